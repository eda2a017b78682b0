"""Term lexicons read from Turtle: labels become regular expressions, concepts keep their IRIs.

The words classification and extraction react to are data (`data/lexicon/*.ttl` plus the
prefLabel/altLabel of `ontology/schemes.ttl`); this module only turns labels into matchers. The
matching conventions are stated in the lexicon files' headers: whole words, case-insensitive with
an optional plural, acronyms (labels in capitals) case-sensitive, `lex:pattern` taken verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .load import PROJECT_ROOT, parse_turtle, scheme_files
from .vocab import BASE, SKOS

__all__ = [
    "LEX",
    "Hit",
    "Matcher",
    "label_regex",
    "lexicon",
    "literal_of",
    "members",
]

LEX = Namespace(BASE + "lexicon/")
_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
_ACRONYM = re.compile(r"^[A-Z0-9/&-]{2,8}$")
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")


@dataclass(frozen=True)
class Hit:
    """One match of a concept's label in a text: where, what matched, and for which concept."""

    concept: URIRef
    start: int
    end: int
    text: str


@cache
def lexicon(*names: str) -> Graph:
    """The schemes plus the named lexicon files (`data/lexicon/<name>.ttl` and any
    `data/lexicon/<name>-*.ttl` extending it), parsed once.

    Raises
    ------
    InputFileError
        When a lexicon file is missing or is not valid Turtle.
    """
    graph = Graph()
    for path in scheme_files():
        parse_turtle(path, into=graph)
    folder = PROJECT_ROOT / "data" / "lexicon"
    for name in names:
        parse_turtle(folder / f"{name}.ttl", into=graph)
        for extension in sorted(folder.glob(f"{name}-*.ttl")):
            parse_turtle(extension, into=graph)
    return graph


def label_regex(label: str) -> str:
    """The regular expression a label stands for (see the module docstring).

    Examples
    --------
    >>> bool(re.search(label_regex("upper extremity"), "both Upper  Extremity"))
    True
    >>> bool(re.search(label_regex("CT"), "the act of"))
    False
    >>> bool(re.search(label_regex("knee"), "bilateral knees"))
    True
    """
    words = [re.escape(w) for w in label.split()]
    body = r"\s+".join(words).replace(r"\-", r"[-\s]?")
    if label[-1].isalpha():
        body += "(?:e?s)?"
    head = r"(?<!\w)" if label[0].isalnum() else ""
    tail = r"(?![\w])" if label[-1].isalnum() else ""
    if _ACRONYM.match(label):
        return f"{head}(?:{body}){tail}"
    return f"{head}(?i:{body}){tail}"


def literal_of(graph: Graph, node: Node, prop: URIRef) -> str | None:
    """The first literal value of `prop` on `node` as a string (sorted, so deterministic)."""
    values = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal))
    return values[0] if values else None


def members(graph: Graph, prop: URIRef, value: Node | None = None) -> list[URIRef]:
    """Concepts carrying `prop` (with `value`, when given), sorted by IRI."""
    return sorted({s for s, _, _ in graph.triples((None, prop, value)) if isinstance(s, URIRef)})


class Matcher:
    """Leftmost, longest-label matching of many concepts' labels in one compiled expression."""

    def __init__(
        self,
        graph: Graph,
        concepts: Iterable[URIRef],
        *,
        labels_only: Iterable[URIRef] = (),
        terminology: Mapping[URIRef, Iterable[str]] | None = None,
    ) -> None:
        """Compile the labels (and, unless listed in `labels_only`, the patterns) of `concepts`,
        and the labels `terminology` gives them (words of a mapped HPO term).

        One alternation over hundreds of labels is slow to try at every word, so the labels are
        split by their first letter (patterns, whose first character is not known, go to a
        group tried everywhere); at a word start the letter's group and the general group are
        tried, and the alternative first in the global order (longest first) wins, exactly as
        one alternation would choose.

        A label two concepts share goes to the one listed first in `concepts`, so a caller
        states which group wins a tie (the region scheme before the item lexicon's
        `OtherRegion`: "chest" is `region:Chest` in a summary sentence), not the IRIs' spelling.
        The project's own labels win every tie with a terminology label: a terminology label
        whose expression a project label already has is dropped, and terminology labels come
        after every project label in the order that breaks ties.
        """
        skip_patterns = set(labels_only)
        ordered = list(dict.fromkeys(concepts))
        entries: list[tuple[URIRef, str, str, int]] = []  # concept, source, first letter, order
        for order, concept in enumerate(ordered):
            for prop in _LABELS:
                entries += [
                    (concept, label_regex(str(o)), str(o)[:1].lower(), order)
                    for o in graph.objects(concept, prop)
                ]
            if concept not in skip_patterns:
                entries += [
                    (concept, str(o), "", order) for o in graph.objects(concept, LEX.pattern)
                ]
        taken = {e[1].lower() for e in entries}
        entries += _terminology_entries(ordered, terminology or {}, taken)
        entries.sort(key=lambda e: (-len(e[1]), e[1], e[3]))
        self._concepts = [concept for concept, _, _, _ in entries]
        groups: dict[str, list[int]] = {}
        for index, (_, _, first, _) in enumerate(entries):
            groups.setdefault(first, []).append(index)
        self._groups = {
            first: re.compile("|".join(f"(?P<g{i}>{entries[i][1]})" for i in members))
            for first, members in groups.items()
        }
        self._general = self._groups.pop("", None)

    def _match_at(self, text: str, start: int) -> re.Match[str] | None:
        found = [
            m
            for regex in (self._groups.get(text[start].lower()), self._general)
            if regex is not None and (m := regex.match(text, start)) is not None
        ]
        if not found:
            return None
        return min(found, key=lambda m: int(str(m.lastgroup)[1:]))

    def finditer(self, text: str) -> Iterator[Hit]:
        """Non-overlapping hits, left to right. Every label and pattern starts a word, so the
        expressions are tried at word starts only (about five times fewer attempts than a scan)."""
        position = 0
        for start in (w.start() for w in _WORD_START.finditer(text)):
            if start < position:
                continue
            m = self._match_at(text, start)
            if m is None or m.end() == start:
                continue
            position = m.end()
            index = int(str(m.lastgroup)[1:])
            yield Hit(self._concepts[index], m.start(), m.end(), m.group())

    def find(self, text: str) -> list[Hit]:
        """All hits as a list."""
        return list(self.finditer(text))

    def search(self, text: str) -> Hit | None:
        """The leftmost hit, if any."""
        return next(self.finditer(text), None)


def _terminology_entries(
    concepts: list[URIRef], terminology: Mapping[URIRef, Iterable[str]], taken: set[str]
) -> list[tuple[URIRef, str, str, int]]:
    """Matcher entries for terminology labels, ordered after every project label, without the
    expressions a project label (or an earlier terminology label) already has, case aside."""
    entries: list[tuple[URIRef, str, str, int]] = []
    for order, concept in enumerate(concepts, start=len(concepts)):
        for label in terminology.get(concept, ()):
            regex = label_regex(label)
            if regex.lower() not in taken:
                taken.add(regex.lower())
                entries.append((concept, regex, label[:1].lower(), order))
    return entries
