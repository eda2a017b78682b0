"""The duration relation: one time span (or count of care sessions) reworded to exactly the
same length of time."""

from __future__ import annotations

import re
from collections.abc import Iterator

from reasoner.letters import Letter, Span

from .rewrite import Edit, Instance, with_case_of

# The test's own number words, not reasoner._numbers: what counts as a rewording must
# not shrink when extraction reads fewer words (that is what the relation is there to catch).
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
            edit = Edit(start, end, with_case_of(text[start:end], variant))
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
