"""Durations and relative times as clinical summaries write them, read into day numbers.

A small grammar: a number (digits, or words up to "ninety-nine", "a", "an", "a couple of"), a
range taken at its lower bound ("6-8 weeks" is at least six weeks, so a window is reached only if
the lower bound reaches it), and a unit (day, week, month, year). A duration's lead says what it
is: "for the past/last", "over the past/last", "in the past" and "x 6 weeks" look back from the
sentence's date (an onset); "N sessions" counts visits; "twice a week" / "2x/week" is a
frequency, used only where the summary states one. "since the injury", "since 3/1/2016" and
"since surgery" name an onset directly. Vague quantities ("several weeks", "a few months") are
not durations: a window cannot be shown reached by a count nobody stated.

Days: a week is 7, a month 30 and a year 365 for the length of a course ("eight weeks of PT" is
56 days); an onset looks back by calendar months and years (`_dates.shift`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ._dates import DateMention, shift
from ._numbers import NUMBER, number_value

__all__ = [
    "CONTINUING",
    "ONSET_BEFORE_DATE",
    "UNIT_DAYS",
    "Duration",
    "Onset",
    "find_durations",
    "find_frequency",
    "find_onsets",
    "find_sessions",
    "number_value",
]

UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
"""Days per unit for the length of a course (calendar arithmetic is used for onsets)."""

_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "month": "month",
    "months": "month",
    "mo": "month",
    "mos": "month",
    "year": "year",
    "years": "year",
    "yr": "year",
    "yrs": "year",
}
"""A count: digits or number words ("twenty-four", "a couple of"); "and a half" is dropped."""
_UNIT = r"(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?)\b"
_DURATION = re.compile(
    rf"(?i:(?P<lead>\bfor\s+(?:the\s+)?(?:past|last|previous)\s+|\bover\s+(?:the\s+)?(?:past|last|previous)\s+"
    rf"|\b(?:in|within|during)\s+the\s+(?:past|last|previous)\s+|\bfor\s+(?:about\s+|approximately\s+|over\s+)?"
    rf"|(?<![\w/])x\s*|\bover\s+|(?<![\w/.-]))"
    rf"(?:(?P<n>{NUMBER})(?:\s*(?:-|to|or)\s*(?P<n2>{NUMBER}))?[\s-]*)?{_UNIT}(?!\s+ago\b))"
)
_SESSIONS = re.compile(
    rf"(?i:(?<![\w/.-])(?P<n>{NUMBER})(?:\s*(?:-|to)\s*(?P<n2>{NUMBER}))?\s+"
    r"(?:(?:completed|authorized|approved|prior|previous|additional|physical|therapy|PT|chiropractic"
    r"|acupuncture|treatment|visits?)\s+){0,2}(?P<what>sessions?|visits?|treatments?)\b)"
)
_FREQUENCY = re.compile(
    rf"(?i:\b(?P<n>{NUMBER}|once|twice|thrice)(?:\s*(?:-|to)\s*{NUMBER})?"
    r"(?:\s*(?:x|times?)|(?<=once)|(?<=twice)|(?<=thrice))"
    r"\s*(?:a|an|per|each|every|/)\s*(?P<unit>day|week|wk|month)\b)"
)
_ONCE = {"once": 1, "twice": 2, "thrice": 3}
_SINCE_INJURY = re.compile(
    r"(?i:\bsince\s+(?:(?:the|his|her|this|that|an?)\s+)?(?:date\s+of\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?P<what>injury|injuries|accident|incident|fall|trauma|DOI)\b)"
)
_SINCE_SURGERY = re.compile(
    r"(?i:\bsince\s+(?:(?:the|his|her|this|that)\s+)?(?:\w+\s+){0,2}?(?:surgery|operation|fusion|"
    r"arthroscopy|repair|procedure|decompression|discectomy)\b)"
)
ONSET_BEFORE_DATE = re.compile(
    r"(?i:\b(?:since|began|begun|started|starting|beginning|onset(?:\s+(?:on|in|of))?)\s+"
    r"(?:on\s+|in\s+)?(?:about\s+|around\s+|approximately\s+)?$)"
)
"""Words right before a date that make it an onset: "since 3/1/2016", "began three weeks ago",
"started on 2/1/2016"."""
_HISTORY = re.compile(r"(?i:^[\s-]*(?:long\s+)?(?:history|hx)\s+of\b)")
_LOOK_BACK = ("past", "last", "previous")
CONTINUING = re.compile(
    r"\b(?:continu(?:es|ing|ed)|persist(?:s|ent|ing|ed)?|ongoing|on-going|still|remains?|"
    r"unchanged|constant)\b",
    re.I,
)
"""Words that state a complaint as still present at the time the sentence speaks of."""


@dataclass(frozen=True)
class Duration:
    """A stated length of time: where, how many of which unit, and how it was introduced."""

    start: int
    end: int
    text: str
    amount: int
    unit: str
    lead: str  # "look-back" (for/over the past), "for", "x", "over" or ""

    @property
    def days(self) -> int:
        """The length in days (week 7, month 30, year 365)."""
        return self.amount * UNIT_DAYS[self.unit]

    @property
    def looks_back(self) -> bool:
        """Whether the duration runs back from the time the sentence speaks of ("for the past
        three months", "x 6 weeks" of a complaint), and so dates an onset."""
        return self.lead in ("look-back", "for", "x")


@dataclass(frozen=True)
class Onset:
    """When a complaint began, as a sentence states it, and on what the date rests."""

    start: int
    end: int
    text: str
    value: date
    basis: str
    inferred: bool  # computed from a duration or a named event, not printed as a date


def find_durations(text: str) -> list[Duration]:
    """Every "N unit" length in `text`, left to right; ranges at their lower bound.

    Examples
    --------
    >>> found = find_durations("PT x 6 weeks, pain for the past 3 months")
    >>> [(d.amount, d.unit, d.lead) for d in found]
    [(6, 'week', 'x'), (3, 'month', 'look-back')]
    >>> [d.days for d in find_durations("eight weeks of physical therapy; 6-8 wks")]
    [56, 42]
    """
    found: list[Duration] = []
    rates = [(f.start(), f.end()) for f in _FREQUENCY.finditer(text)]
    for m in _DURATION.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in rates):
            continue  # "three times a day" is a frequency, not a day's length
        lead = (m.group("lead") or "").lower()
        looks_back = any(w in lead for w in _LOOK_BACK)
        if m.group("n") is None and not looks_back:
            continue  # a bare unit word; "over the past year" is one year
        amount = number_value(m.group("n")) if m.group("n") is not None else 1
        if amount is None:
            continue
        if m.group("n2") is not None:
            upper = number_value(m.group("n2"))
            amount = min(amount, upper) if upper is not None else amount
        kind = (
            "look-back"
            if looks_back
            else "for"
            if lead.startswith("for")
            else "x"
            if lead.startswith("x")
            else "over"
            if lead.startswith("over")
            else ""
        )
        unit = _UNITS[m.group("unit").lower().rstrip(".")]
        found.append(Duration(m.start(), m.end(), m.group(), amount, unit, kind))
    return found


def find_sessions(text: str) -> list[tuple[int, int, int]]:
    """(start, end, count) of every "N sessions/visits/treatments" (ranges at the lower bound).

    Examples
    --------
    >>> find_sessions("completed 12 sessions of therapy and six chiropractic visits")
    [(10, 21, 12), (37, 60, 6)]
    """
    found: list[tuple[int, int, int]] = []
    for m in _SESSIONS.finditer(text):
        count = number_value(m.group("n"))
        if count is None:
            continue
        if m.group("n2") is not None:
            upper = number_value(m.group("n2"))
            count = min(count, upper) if upper is not None else count
        found.append((m.start(), m.end(), count))
    return found


def find_frequency(text: str) -> tuple[int, int, float] | None:
    """(start, end, sessions per week) of the first stated frequency ("twice a week", "3x/week",
    "2 times per week"), or None.

    Examples
    --------
    >>> find_frequency("physical therapy 2x/week for 6 weeks")[2], find_frequency("twice a week")[2]
    (2.0, 2.0)
    >>> find_frequency("therapy for 6 weeks") is None
    True
    """
    m = _FREQUENCY.search(text)
    if m is None:
        return None
    word = m.group("n").lower()
    count = _ONCE.get(word) or number_value(word)
    if count is None:
        return None
    per = {"day": 1 / 7, "week": 1.0, "wk": 1.0, "month": 30 / 7}[m.group("unit").lower()]
    return m.start(), m.end(), count / per


def find_onsets(
    text: str,
    *,
    anchor: date | None,
    dates: list[DateMention],
    injury: date | None = None,
    surgery: date | None = None,
) -> list[Onset]:
    """Every onset a sentence states: "since the injury" (`injury`), "since surgery" (`surgery`),
    "since <date>" (the date printed), "for the past three months" / "x 6 weeks" / "a 3-month
    history of" (`anchor`, the date the sentence speaks of, minus the duration).

    Examples
    --------
    >>> [o.value.isoformat() for o in find_onsets("pain for the past three months",
    ...     anchor=date(2016, 6, 3), dates=[])]
    ['2016-03-03']
    >>> [o.value.isoformat() for o in find_onsets("numbness since the injury",
    ...     anchor=None, dates=[], injury=date(2016, 3, 1))]
    ['2016-03-01']
    """
    found: list[Onset] = []
    if injury is not None:
        for m in _SINCE_INJURY.finditer(text):
            basis = f"{m.group()}: the injury's date ({injury.isoformat()})"
            found.append(Onset(m.start(), m.end(), m.group(), injury, basis, True))
    if surgery is not None:
        for m in _SINCE_SURGERY.finditer(text):
            basis = f"{m.group()}: the surgery's date ({surgery.isoformat()})"
            found.append(Onset(m.start(), m.end(), m.group(), surgery, basis, True))
    for d in dates:
        if ONSET_BEFORE_DATE.search(text[max(0, d.start - 30) : d.start]):
            coarse = d.relative or d.precision != "day"
            lead = ONSET_BEFORE_DATE.search(text[max(0, d.start - 30) : d.start])
            words = " ".join(lead.group().split()) if lead else "since"
            basis = f"{words} {d.text}" + (" (relative, or not to the day)" if coarse else "")
            found.append(Onset(d.start, d.end, d.text, d.value, basis, coarse))
    if anchor is not None:
        for duration in find_durations(text):
            history = _HISTORY.match(text[duration.end :])
            if not (duration.looks_back or history):
                continue
            value = shift(anchor, duration.amount, duration.unit)
            basis = f"{duration.text.strip()}, counted back from {anchor.isoformat()}"
            found.append(Onset(duration.start, duration.end, duration.text, value, basis, True))
    return sorted(found, key=lambda o: o.start)
