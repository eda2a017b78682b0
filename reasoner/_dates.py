"""Dates as IMR letters print them: 1/23/2012, 8/27/14, 10-13-16, 10/2016, March 2016, "a week ago".

Two-digit years are read in the century that puts them no later than the reference date (without
one, 00-40 are 2000s). A month without a day is its first day and a bare year ("in 2015") is
1 January; `DateMention.precision` says so, for callers that must record the inference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ._numbers import number_value

__all__ = ["DateMention", "find_dates", "parse_date", "shift"]

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_VAGUE = {"several": 3, "few": 3, "a few": 3}
"""'Several weeks ago' dates an event about three weeks back, marked inferred like every relative
date; a duration ('for several weeks') is not read as a length (reasoner/_durations.py)."""
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d/-])")),
    (
        "mdy",
        re.compile(
            r"(?<![\d/.-])(?P<m>\d{1,2})(?P<sep>[/.-])(?P<d>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|-\d)"
        ),
    ),
    ("month-d-y", re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b")),
    (
        "d-month-y",
        re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>\d{4})\b"),
    ),
    ("month-y", re.compile(r"\b" + _MONTH + r",?\s+(?:of\s+)?(?P<y>\d{4})\b")),
    ("m-y", re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})[/-](?P<y>\d{4})(?![\d/-])")),
    (
        "year",
        re.compile(
            r"(?i:\b(?:in|since|during|around|circa|early|late|mid)\s+)(?P<y>(?:19|20)\d{2})\b"
        ),
    ),
    (
        "ago",
        re.compile(
            r"(?i:\b(?P<n>\d+|a couple of|a few|an?|one|two|three|four|five|six|seven|eight|nine"
            r"|ten|eleven|twelve|several|few)\s+(?P<unit>day|week|month|year)s?\s+ago\b)"
        ),
    ),
    ("last", re.compile(r"(?i:\b(?:last|past|previous)\s+(?P<unit>week|month|year)\b)")),
    ("yesterday", re.compile(r"(?i:\byesterday\b)")),
)


@dataclass(frozen=True)
class DateMention:
    """A date found in a text: where, the date, how precise, and whether it was relative."""

    start: int
    end: int
    text: str
    value: date
    precision: str  # "day", "month" or "year"
    relative: bool = False


def parse_date(token: str, *, reference_date: date | None = None) -> date | None:
    """The date a printed token stands for, or None.

    Examples
    --------
    >>> parse_date("1/23/2012"), parse_date("8/27/14"), parse_date("10-13-16")
    (datetime.date(2012, 1, 23), datetime.date(2014, 8, 27), datetime.date(2016, 10, 13))
    >>> parse_date("10/2016"), parse_date("March 2016"), parse_date("October 10, 2015")
    (datetime.date(2016, 10, 1), datetime.date(2016, 3, 1), datetime.date(2015, 10, 10))
    >>> parse_date("two weeks ago", reference_date=date(2016, 12, 1))
    datetime.date(2016, 11, 17)
    >>> parse_date("two weeks ago") is None, parse_date("13/45/2016") is None
    (True, True)
    """
    token = " ".join(token.split())
    mentions = find_dates(token, reference_date=reference_date)
    return mentions[0].value if mentions else None


def find_dates(text: str, *, reference_date: date | None = None) -> list[DateMention]:
    """Every date in `text`, left to right, without overlaps; relative ones need a reference."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _mention(kind, m, reference_date)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def shift(anchor: date, amount: int, unit: str) -> date:
    """`anchor` moved back by `amount` days, weeks, months or years (calendar months and years).

    Examples
    --------
    >>> shift(date(2016, 3, 31), 1, "month")
    datetime.date(2016, 2, 29)
    """
    if unit == "day":
        return anchor - timedelta(days=amount)
    if unit == "week":
        return anchor - timedelta(weeks=amount)
    months = amount * (12 if unit == "year" else 1)
    year, month = divmod(anchor.year * 12 + anchor.month - 1 - months, 12)
    day = anchor.day
    while day > 28:
        try:
            return date(year, month + 1, day)
        except ValueError:
            day -= 1
    return date(year, month + 1, day)


def _mention(kind: str, m: re.Match[str], reference: date | None) -> DateMention | None:
    groups = m.groupdict()
    if kind in ("ago", "last", "yesterday"):
        if reference is None:
            return None
        count = (groups.get("n") or "1").lower()
        amount = number_value(count) or _VAGUE.get(count, 1)
        unit = groups.get("unit", "day").lower() if kind != "yesterday" else "day"
        precision = "day" if unit in ("day", "week") else unit
        return DateMention(
            m.start(), m.end(), m.group(), shift(reference, amount, unit), precision, True
        )
    year = _year(groups["y"], reference)
    month = _month_number(groups["mon"]) if groups.get("mon") else int(groups.get("m") or 1)
    day = int(groups.get("d") or 1)
    precision = "day" if groups.get("d") else ("month" if kind != "year" else "year")
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return DateMention(m.start(), m.end(), m.group(), value, precision)


def _year(text: str, reference: date | None) -> int:
    if len(text) == 4:
        return int(text)
    year = 2000 + int(text)
    if reference is not None:
        return year - 100 if year > reference.year else year
    return year if int(text) <= 40 else year - 100


def _month_number(name: str) -> int:
    return next(i for i, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name[:3]))
