"""The duration and relative-time grammar (reasoner._durations): numbers in digits and words,
units, look-back leads, sessions, frequencies and onsets."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasoner._dates import find_dates, shift
from reasoner._durations import (
    UNIT_DAYS,
    find_durations,
    find_frequency,
    find_onsets,
    find_sessions,
    number_value,
)

FAST = settings(max_examples=80, derandomize=True, deadline=None, database=None)
_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
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
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    """The English words for 1..99, written independently of the module under test."""
    if n < 10:
        return _ONES[n - 1]
    if n < 20:
        return _TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_ONES[ones - 1]}" if ones else "")


UNITS = st.sampled_from(["day", "week", "month", "year"])
COUNTS = st.integers(min_value=1, max_value=99)
LEADS = st.sampled_from(["for the past ", "over the last ", "for ", "x ", "", "in the last "])


@FAST
@given(COUNTS, UNITS, LEADS)
def test_digits_and_words_give_the_same_days(n: int, unit: str, lead: str) -> None:
    plural = unit if n == 1 else unit + "s"
    digits = find_durations(f"neck pain {lead}{n} {plural} without relief")
    spelled = find_durations(f"neck pain {lead}{words(n)} {plural} without relief")
    assert len(digits) == len(spelled) == 1
    assert digits[0].days == spelled[0].days == n * UNIT_DAYS[unit]
    assert digits[0].lead == spelled[0].lead


@FAST
@given(COUNTS, COUNTS, UNITS)
def test_a_range_is_read_at_its_lower_bound(low: int, high: int, unit: str) -> None:
    low, high = sorted((low, high))
    for joiner in ("-", " to "):
        found = find_durations(f"therapy for {low}{joiner}{high} {unit}s")
        assert [d.amount for d in found] == [low]


@FAST
@given(COUNTS, st.sampled_from(["day", "week", "month"]), st.dates(date(2000, 1, 1)))
def test_a_look_back_onset_is_the_anchor_moved_back(n: int, unit: str, anchor: date) -> None:
    onsets = find_onsets(f"low back pain for the past {words(n)} {unit}s", anchor=anchor, dates=[])
    assert [o.value for o in onsets] == [shift(anchor, n, unit)]
    assert all(o.inferred for o in onsets)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("eight weeks of physical therapy", 56),
        ("PT x6 weeks", 42),
        ("a 3-month history of neck pain", 90),
        ("over the past year", 365),
        ("for the last month", 30),
        ("one and a half years", 365),
        ("a couple of weeks", 14),
    ],
)
def test_lengths(text: str, days: int) -> None:
    assert [d.days for d in find_durations(text)] == [days]


@pytest.mark.parametrize(
    "text",
    [
        "several weeks of therapy",  # vague: no count stated
        "x-rays two weeks ago",  # a date, not a length
        "ibuprofen three times a day",  # a frequency
        "weeks of therapy",
        "on 3/12/2016",
    ],
)
def test_not_lengths(text: str) -> None:
    assert find_durations(text) == []


def test_number_words() -> None:
    assert [number_value(w) for w in ("12", "twelve", "forty-two", "an", "a couple of")] == [
        12,
        12,
        42,
        1,
        2,
    ]
    assert number_value("several") is None and number_value("few") is None


def test_sessions_and_frequency() -> None:
    assert [c for _, _, c in find_sessions("12 sessions of PT and six chiropractic visits")] == [
        12,
        6,
    ]
    assert [c for _, _, c in find_sessions("at least 3-4 physical therapy visits")] == [3]
    assert find_frequency("physical therapy twice a week")[2] == 2.0  # type: ignore[index]
    assert find_frequency("PT 3x/week for 4 weeks")[2] == 3.0  # type: ignore[index]
    assert find_frequency("PT 2-3 times per week")[2] == 2.0  # type: ignore[index]
    assert find_frequency("PT for 4 weeks") is None


def test_onsets_named_by_an_event_or_a_date() -> None:
    injury, surgery = date(2016, 3, 1), date(2015, 6, 2)
    text = "numbness since the work injury, pain since his fusion, weakness since 1/5/2016"
    onsets = find_onsets(text, anchor=None, dates=find_dates(text), injury=injury, surgery=surgery)
    assert [o.value for o in onsets] == [injury, surgery, date(2016, 1, 5)]
    assert [o.inferred for o in onsets] == [True, True, False]


def test_no_onset_without_what_it_refers_to() -> None:
    # the injury date unknown, no anchor: nothing can be dated
    assert find_onsets("pain since the injury for the past 3 months", anchor=None, dates=[]) == []
