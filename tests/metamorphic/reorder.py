"""The reorder relation: two neighbouring sentences, or units of sentences, swapped where
their order carries no meaning (defined exactly in `reorder_instances`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from reasoner.letters import Letter, Span, sentences
from reasoner.load import PROJECT_ROOT
from reasoner.vocab import BASE

from .rewrite import Edit, Instance

_ABSOLUTE_DATE = re.compile(
    r"(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])"
    r"|(?<![\d/.-])\d{4}-\d{1,2}-\d{1,2}(?![\d/-])"
    r"|(?<![\d/.-])\d{1,2}[/-]\d{4}(?![\d/-])"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+(?:\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+)?(?:of\s+)?\d{4}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*,?\s+\d{4}\b"
    r"|\b(?:in|since|during|around|circa|early|late|mid)\s+(?:19|20)\d{2}\b"
)
# words that tie a sentence to its neighbours in time or in reference
_TEMPORAL = re.compile(
    r"\b(?:ago|later|earlier|prior|previous|previously|since|after|before|then|subsequent|"
    r"subsequently|thereafter|afterwards?|following|today|yesterday|tomorrow|recently|recent|"
    r"next|last|initially|that\s+day|same\s+day|that\s+time|this\s+time|the\s+time|"
    r"that\s+visit|this\s+visit|that\s+date|this\s+date|same\s+date|at\s+that|"
    r"week|weeks|month|months|year|years|day|days)\b",
    re.IGNORECASE,
)
_OPENER = re.compile(
    r"^\W*(?:this|that|these|those|it|its|they|their|such|then|also|however|but|and|or|"
    r"additionally|in\s+addition|furthermore|moreover|otherwise|again|both|there\s+was\s+also|"
    r"the\s+(?:latter|former|same|above|remaining)|of\s+note|finally|overall|despite|"
    r"as\s+such|as\s+a\s+result|because|therefore|thus|consequently|"
    r"(?:the|his|her|this)\s+(?:pain|symptoms?|numbness|tingling|weakness|swelling|discomfort|"
    r"complaints?))\b",
    re.IGNORECASE,
)
# a reference back anywhere in the sentence: "referenced in its determination", "this request"
_REFERENCE = re.compile(
    r"\b(?:it|its|this|these|those|such|said|aforementioned|above|former|latter|"
    r"the\s+same|as\s+well)\b",
    re.IGNORECASE,
)
_AGE = re.compile(r"\b\d{1,3}[\s-]+(?:year|yr)s?[\s-]+old\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Sentence:
    index: int  # 1-based, within the summary
    span: Span
    text: str  # whitespace collapsed, line-broken dates joined

    @property
    def dated(self) -> bool:
        return bool(_ABSOLUTE_DATE.search(self.text))

    @property
    def temporal(self) -> bool:
        return bool(_TEMPORAL.search(_ABSOLUTE_DATE.sub(" ", self.text)))

    @property
    def refers_back(self) -> bool:
        """It needs the sentence before to be understood: it opens with a connective or a
        reference back ("The pain was rated 6/10", "However"), refers back anywhere ("its
        determination", "this request"), starts lower-case or with a digit (a list item), or
        opens or closes a quotation."""
        first = self.text.lstrip("\"'( ")[:1]
        return bool(
            _OPENER.match(self.text)
            or _REFERENCE.search(self.text)
            or not first.isupper()
            or _QUOTES.sub("", self.text).count('"') % 2
        )

    @property
    def continues(self) -> bool:
        """It reads on from the sentence before: it refers back, or it names no body region
        (it continues the examination of the region named before: "There was spasm.")."""
        return self.refers_back or not _names_region(self.text)


_QUOTES = re.compile(r"[\u201c\u201d]")


def _summary_sentences(letter: Letter) -> list[_Sentence]:
    assert letter.summary is not None
    out = []
    for i, s in enumerate(sentences(letter.text, letter.summary), 1):
        raw = letter.text[s.start : s.end]
        # dates broken over a line or spaced ("11-17-\n2016", "11/18/ 2016") are one date
        norm = re.sub(r"\s+", " ", re.sub(r"(?<=\d[/-])\s+(?=\d)", "", raw)).strip()
        out.append(_Sentence(i, s, norm))
    return out


def reorder_instances(letter: Letter, letter_id: str) -> Iterator[Instance]:
    """Swaps of neighbouring sentences whose order carries no meaning.

    The introduction (every sentence up to and including the first that gives the worker's age)
    and any sentence after one ending in ':' never move. Two kinds of swap are generated:

    1. `dated`: two adjacent sentences that each state an absolute date (10-19-16, 11/29/2016,
       "December 15, 2016", "in 2015"), contain no relative time word and do not refer back;
       the sentence after them states its own date and does not refer back either (or there
       is none). Extraction dates an undated sentence by the last dated *visit* sentence
       before it (data/lexicon VisitCue), so the swap is also allowed only if it keeps the
       order of visit sentences (at most one of the two names a visit word) or no sentence
       without its own absolute date follows before the next visit sentence.
    2. `undated`: within one visit block (the sentences after a dated or temporally anchored
       sentence, up to the next one, inside one paragraph), sentences with no date and no time
       word are grouped into units: a unit is a sentence that stands alone (does not refer
       back, names a body region) and the sentences that continue it. Two adjacent units swap.
       A block's leading continuations stay with the sentence before the block, and its last
       unit stays with the sentence after the block when that one refers back ("This was
       done on 8/13/2014.").
    """
    all_sentences = _summary_sentences(letter)
    text = letter.text
    fixed = _fixed(letter, all_sentences)
    for a, b in itertools.pairwise(all_sentences):
        if a.index in fixed or b.index in fixed:
            continue
        if _dated_swap_allowed(all_sentences, a, b):
            yield _swap(letter_id, text, f"dated {a.index}<->{b.index}", [a], [b])
    for block in _undated_blocks(letter, all_sentences, fixed):
        units = _units(block)
        after = all_sentences[block[-1].index :]
        if after and after[0].refers_back:
            units = units[:-1]  # the sentence after the block needs the last unit before it
        for first, second in itertools.pairwise(units):
            name = f"undated {_label(first)}<->{_label(second)}"
            yield _swap(letter_id, text, name, first, second)


def _fixed(letter: Letter, all_sentences: Sequence[_Sentence]) -> set[int]:
    fixed: set[int] = set()
    for s in all_sentences:
        fixed.add(s.index)
        if _AGE.search(s.text):
            break
    else:
        fixed = {all_sentences[0].index} if all_sentences else set()
    for prev, s in itertools.pairwise(all_sentences):
        if prev.text.endswith(":"):
            fixed |= {prev.index, s.index}
    return fixed


def _dated_swap_allowed(all_sentences: Sequence[_Sentence], a: _Sentence, b: _Sentence) -> bool:
    """Both sentences carry their own absolute date, neither refers to another sentence, the
    sentence after them carries its own date too (or there is none: an undated sentence reads
    its date from the one before), and the order of visit sentences is kept (see
    `reorder_instances`)."""
    if not (a.dated and b.dated) or a.temporal or b.temporal:
        return False
    if any(s.refers_back or '"' in s.text for s in (a, b)):
        return False
    after = all_sentences[b.index :]
    if after and (not after[0].dated or after[0].refers_back):
        return False
    if not (_is_visit(a.text) and _is_visit(b.text)):
        return True
    for later in after:
        if not later.dated:
            return False
        if _is_visit(later.text):
            return True
    return True


def _undated_blocks(
    letter: Letter, all_sentences: Sequence[_Sentence], fixed: set[int]
) -> list[list[_Sentence]]:
    blocks: list[list[_Sentence]] = []
    current: list[_Sentence] = []
    previous: _Sentence | None = None
    for s in all_sentences:
        gap = letter.text[previous.span.end : s.span.start] if previous else ""
        boundary = s.dated or s.temporal or s.index in fixed or "\n\n" in gap.replace(" ", "")
        if boundary:
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(s)
        previous = s
    if current:
        blocks.append(current)
    return blocks


def _units(block: Sequence[_Sentence]) -> list[list[_Sentence]]:
    units: list[list[_Sentence]] = []
    for s in block:
        if s.continues:
            if units:
                units[-1].append(s)
            # a leading continuation stays with the sentence before the block
        else:
            units.append([s])
    return units


def _label(unit: Sequence[_Sentence]) -> str:
    first, last = unit[0].index, unit[-1].index
    return str(first) if first == last else f"{first}-{last}"


def _swap(
    letter_id: str, text: str, name: str, first: Sequence[_Sentence], second: Sequence[_Sentence]
) -> Instance:
    """Exchange two adjacent runs of sentences, keeping the whitespace between them."""
    a_start, a_end = first[0].span.start, first[-1].span.end
    b_start, b_end = second[0].span.start, second[-1].span.end
    between = text[a_end:b_start]
    edit = Edit(a_start, b_end, text[b_start:b_end] + between + text[a_start:a_end])
    return Instance(letter_id, "reorder", name, (edit,))


# ---------------------------------------------------------------- vocabularies (data)


@cache
def _vocabulary() -> Graph:
    graph = Graph()
    for path in sorted((PROJECT_ROOT / "ontology").glob("schemes*.ttl")):
        graph.parse(path)
    for path in sorted((PROJECT_ROOT / "data" / "lexicon").glob("*.ttl")):
        graph.parse(path)
    return graph


_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


def _labels_of(concepts: set[URIRef]) -> set[str]:
    graph = _vocabulary()
    return {str(o).casefold() for c in concepts for p in _LABELS for o in graph.objects(c, p)}


def _alternation(labels: set[str]) -> re.Pattern[str]:
    if not labels:
        raise LookupError(
            "no labels found for the vocabulary the metamorphic relations need; "
            "check ontology/schemes*.ttl and data/lexicon/*.ttl"
        )
    words = sorted(labels, key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")"
        r"(?![\w-])",
        re.IGNORECASE,
    )


@cache
def _region_pattern() -> re.Pattern[str]:
    """Words that name a body region by anatomy: the labels of the region scheme's concepts,
    less those that also label a finding, test or cue ("Hawkins", "straight leg raise",
    "tennis elbow"): a test name implies a region but does not say which one was examined
    ("Tinel's sign was positive" continues the wrist examination before it)."""
    graph = _vocabulary()
    prefix = BASE + "scheme/region/"
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    regions = {s for s in subjects if str(s).startswith(prefix)}
    return _alternation(_labels_of(regions) - _labels_of(subjects - regions))


@cache
def _visit_pattern() -> re.Pattern[str]:
    return _alternation(_labels_of({URIRef(BASE + "lexicon/finding/VisitCue")}))


def _names_region(sentence: str) -> bool:
    return bool(_region_pattern().search(sentence))


def _is_visit(sentence: str) -> bool:
    return bool(_visit_pattern().search(sentence))
