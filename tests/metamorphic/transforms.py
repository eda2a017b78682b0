"""Meaning-preserving rewrites of a development letter's clinical case summary, for the
metamorphic tests (tests/metamorphic/test_metamorphic.py) and benchmarks/metamorphic.py.

A rewrite is an `Instance`: a named set of text edits inside the summary of one letter. Three
relations generate them, each defined so that the rewritten letter says exactly what the original
says, and so that imrkg's facts and determinations must not change:

* `synonym`: one occurrence of a finding phrase replaced by a synonym listed in
  `synonyms.tsv` (each row looked up in the Human Phenotype Ontology or ICD-10-CM).
* `duration`: one time span reworded to the same length of time (digits and words, weeks and
  days, years and months, "for the past" and "over the last", "x 6 weeks" and "for 6 weeks").
* `reorder`: two neighbouring sentences (or units of sentences) swapped where order carries no
  meaning (see `reorder_instances` for the exact conditions).

The relations are defined from the text and from the project's region and visit vocabularies
(data), never from what extraction returns, so a fix to extraction does not change the set of
instances.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from reasoner.letters import Letter, Span, sentences
from reasoner.load import PROJECT_ROOT
from reasoner.vocab import BASE

HERE = Path(__file__).resolve().parent
SYNONYMS = HERE / "synonyms.tsv"
KNOWN_FAILURES = HERE / "known-failures.tsv"
RELATIONS = ("synonym", "duration", "reorder")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] of the letter by `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Instance:
    """One rewrite of one letter: `name` identifies it among the letter's instances of the
    relation (stable across runs, so known-failures.tsv can name it)."""

    letter_id: str
    relation: str
    name: str
    edits: tuple[Edit, ...]

    def apply(self, text: str) -> str:
        """The letter text with every edit made (edits never overlap)."""
        out, last = [], 0
        for edit in sorted(self.edits, key=lambda e: e.start):
            out += [text[last : edit.start], edit.text]
            last = edit.end
        return "".join([*out, text[last:]])


def instances(letter: Letter, letter_id: str, relation: str) -> list[Instance]:
    """Every instance of `relation` in the letter's clinical summary, in text order."""
    if letter.summary is None:
        return []
    make = {
        "synonym": synonym_instances,
        "duration": duration_instances,
        "reorder": reorder_instances,
    }[relation]
    return list(make(letter, letter_id))


# ---------------------------------------------------------------- synonyms


@dataclass(frozen=True)
class Synonym:
    """One row of synonyms.tsv."""

    phrase: str
    replacement: str
    term: str
    why: str


def read_synonyms(path: Path = SYNONYMS) -> list[Synonym]:
    """The substitution table (tab-separated, with a header row)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [Synonym(r["phrase"], r["replacement"], r["term"], r["why"]) for r in rows]


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as printed, across line breaks, as a whole word sequence."""
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", re.IGNORECASE)


def _with_case_of(original: str, replacement: str) -> str:
    """Keep a sentence-initial capital: "Tingling" -> "Paresthesias"."""
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


_COORDINATED = re.compile(r"(?:\band|\bor|&|/|,)\s*$", re.IGNORECASE)


def _shares_its_head(text: str, start: int, row: Synonym) -> bool:
    """Whether the phrase follows a coordinator and its head noun is one the replacement does
    not end with: in "neck and back pain" the word "pain" also belongs to "neck", and "neck and
    backache" would lose the neck pain."""
    head = row.phrase.split()[-1].casefold()
    return (
        bool(_COORDINATED.search(text[max(0, start - 8) : start]))
        and len(row.phrase.split()) > 1
        and row.replacement.split()[-1].casefold() != head
    )


def synonym_instances(letter: Letter, letter_id: str) -> Iterator[Instance]:
    """One instance per occurrence of a table phrase in the summary, skipping an occurrence
    that lies inside a longer table phrase ("back pain" inside "low back pain") and one whose
    head noun a coordinated word before it shares ("neck and back pain")."""
    assert letter.summary is not None
    text, span = letter.text, letter.summary
    found: list[tuple[int, int, Synonym]] = []
    for row in read_synonyms():
        pattern = _phrase_pattern(row.phrase)
        found += [(m.start(), m.end(), row) for m in pattern.finditer(text, span.start, span.end)]
    counts: dict[tuple[str, str], int] = {}
    for start, end, row in sorted(found, key=lambda f: (f[0], -f[1])):
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in found):
            continue
        if _shares_its_head(text, start, row):
            continue
        key = (row.phrase, row.replacement)
        counts[key] = counts.get(key, 0) + 1
        name = f"{row.phrase} -> {row.replacement} #{counts[key]}"
        edit = Edit(start, end, _with_case_of(text[start:end], row.replacement))
        yield Instance(letter_id, "synonym", name, (edit,))


# ---------------------------------------------------------------- durations

_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90}
_NUMBER_WORDS = {w: i for i, w in enumerate(_WORDS) if i} | _TENS
_WORD_OF = {v: k for k, v in _NUMBER_WORDS.items()}
_NUMBER = r"\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# "a week" is a duration only where a preposition or "ago" makes it one: "2 times a week" is a
# frequency, "for a week" and "a week ago" are spans
_DURATION = re.compile(
    r"(?<![\w/.-])"
    r"(?:(?P<lead>(?:for|over)\s+the\s+(?:past|last))\s+|(?P<for>for)\s+)?"
    r"(?:(?P<x>x)\s*)?"
    r"(?:(?P<num>" + _NUMBER + r")|(?P<art>an?))"
    r"(?P<sep>\s+|-)"
    r"(?P<unit>day|week|month|year)(?P<plural>s)?"
    r"(?P<ago>\s+ago)?(?![\w-])",
    re.IGNORECASE,
)
_LEAD_ONLY = re.compile(
    r"(?<![\w-])(?P<lead>(?:for|over)\s+the\s+(?:past|last))\s+(?P<unit>day|week|month|year)\b",
    re.IGNORECASE,
)
# what follows a count and unit that is an age or a frequency: "46 year old", "3 days a week"
_NOT_A_SPAN = re.compile(r"\s*(?:-?\s*old\b|a\s+(?:day|week|month)\b|per\b|/|of\s+age\b)", re.I)
# "a week" is a span after these words or before "ago"; "2 times a week" is a frequency
_ARTICLE_SPAN = re.compile(r"\b(?:over|within|about|approximately|nearly|almost)\s+$", re.I)
_FACTORS = {("week", "day"): 7, ("year", "month"): 12}


def duration_instances(letter: Letter, letter_id: str) -> Iterator[Instance]:
    """Rewordings of a time span that name exactly the same length of time.

    A span is a count and a unit (day, week, month, year): "6 weeks", "six-week", "x 6 weeks",
    "for the past 3 months", "a week ago", and "over the past year". Ages ("46 year old") and
    frequencies ("3 days a week", "2 times a week") are not spans, and "a week" is one only
    after "for", "over", "within" or before "ago". Each span yields: the count in digits or in
    words (1-20, 30-90 by tens), weeks as days and days as whole weeks, years as months and
    months as whole years, "a"/"an" as "one", "for the past"/"for the last"/"over the
    past"/"over the last" for one another, and "x N weeks" and "for N weeks" for each other.
    A course of care counted in sessions or visits ("six sessions of physical therapy", "12
    chiropractic visits") has its count written the other way (digits or words), the same
    course in the same time.
    """
    assert letter.summary is not None
    text, span = letter.text, letter.summary
    counts: dict[str, int] = {}
    for start, end, variants in _spans(text, span):
        original = _norm(text[start:end])
        counts[original.lower()] = counts.get(original.lower(), 0) + 1
        for variant in dict.fromkeys(variants):
            if variant.lower() == original.lower():
                continue
            name = f"{original} -> {variant} #{counts[original.lower()]}"
            edit = Edit(start, end, _with_case_of(text[start:end], variant))
            yield Instance(letter_id, "duration", name, (edit,))


# a course of care counted in sessions or visits: "six sessions of physical therapy"
_COUNT = re.compile(
    r"(?<![\w/.-])(?P<num>" + _NUMBER + r")(?P<rest>\s+(?:(?!(?:" + _NUMBER + r")\b)[a-z]+\s+)?"
    r"(?:sessions|visits|treatments))\b",
    re.IGNORECASE,
)


def _spans(text: str, span: Span) -> Iterator[tuple[int, int, list[str]]]:
    for m in _COUNT.finditer(text, span.start, span.end):
        raw = m.group("num")
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw.lower()]
        if n > 1 and (n in _WORD_OF or not raw.isdigit()):
            other = _WORD_OF[n] if raw.isdigit() else str(n)
            yield m.start(), m.end(), [f"{other}{_norm(m.group('rest'))}"]
    taken: list[tuple[int, int]] = []
    for m in _DURATION.finditer(text, span.start, span.end):
        if _NOT_A_SPAN.match(text, m.end()):
            continue
        before = text[max(0, m.start() - 16) : m.start()]
        if m.group("art") and not (
            m.group("for") or m.group("ago") or _ARTICLE_SPAN.search(before)
        ):
            continue
        taken.append((m.start(), m.end()))
        yield m.start(), m.end(), _rewordings(m)
    for m in _LEAD_ONLY.finditer(text, span.start, span.end):
        if any(s <= m.start() < e for s, e in taken):
            continue
        lead, unit = m.group("lead"), m.group("unit")
        variants = [f"{other} {unit}" for other in _LEADS]
        small, factor = {"week": ("days", 7), "year": ("months", 12)}.get(unit.lower(), ("", 0))
        if factor:
            variants.append(f"{_norm(lead)} {factor} {small}")
        yield m.start(), m.end(), variants


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s)


_LEADS = [f"{p} the {a}" for p in ("for", "over") for a in ("past", "last")]


def _rewordings(m: re.Match[str]) -> list[str]:
    """The span's count in the other notation (digits or words), its length in the smaller or
    larger unit, and its opener swapped for an equivalent one ("for the past" -> "over the
    last", "x" -> "for"), one change at a time."""
    unit = m.group("unit").lower()
    raw = m.group("num") or m.group("art")
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw.lower(), 1)
    # "6-week course" and "2 week course" are adjectives: the unit stays singular
    adjective = m.group("sep") == "-" or (n != 1 and not m.group("plural"))
    joiner = "-" if m.group("sep") == "-" else " "
    ago = " ago" if m.group("ago") else ""

    def say(count: str, value: int, of: str) -> str:
        return f"{count}{joiner}{of}{'s' if value != 1 and not adjective else ''}{ago}"

    amounts = [say(str(n) if not raw.isdigit() else _WORD_OF.get(n, raw), n, unit)]
    for (big, small), factor in _FACTORS.items():
        if unit == big:
            amounts.append(say(str(n * factor), n * factor, small))
        if unit == small and n % factor == 0:
            amounts.append(say(str(n // factor), n // factor, big))
    printed = _norm(m.string[m.start("num") if m.group("num") else m.start("art") : m.end()])
    if m.group("lead"):
        lead = _norm(m.group("lead")).lower()
        return [f"{o} {printed}" for o in _LEADS if o != lead] + [f"{lead} {a}" for a in amounts]
    if m.group("x") or m.group("for"):
        opener = "x" if m.group("x") else "for"
        other = "for" if opener == "x" else "x"
        return [f"{other} {printed}"] + [f"{opener} {a}" for a in amounts]
    return amounts


# ---------------------------------------------------------------- reordering

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
    def continues(self) -> bool:
        """It reads on from the sentence before: opens with a connective or a reference back
        ("The pain was rated 6/10"), refers back anywhere ("its determination"), starts
        lower-case or with a digit (a list item), opens or closes a quotation, or names no body
        region (it continues the examination of the region named before: "There was spasm.")."""
        first = self.text.lstrip("\"'( ")[:1]
        return bool(
            _OPENER.match(self.text)
            or _REFERENCE.search(self.text)
            or not first.isupper()
            or _QUOTES.sub("", self.text).count('"') % 2
            or not _names_region(self.text)
        )


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
       "December 15, 2016", "in 2015") and contain no relative time word. Extraction dates an
       undated sentence by the last dated *visit* sentence before it (data/lexicon VisitCue),
       so the swap is allowed only if it keeps the order of visit sentences (at most one of the
       two names a visit word) or no sentence without its own absolute date follows before the
       next visit sentence (then no undated sentence reads its date from either).
    2. `undated`: within one visit block (the sentences after a dated or temporally anchored
       sentence, up to the next one, inside one paragraph), sentences with no date and no time
       word are grouped into units: a unit is a sentence that stands alone (opens with no
       reference back or connective, names a body region) and the sentences that continue it.
       Two adjacent units swap. A block's leading continuations stay with the sentence before
       the block.
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
    if any(_OPENER.match(s.text) or _REFERENCE.search(s.text) or '"' in s.text for s in (a, b)):
        return False
    after = all_sentences[b.index :]
    if after and not after[0].dated:
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
