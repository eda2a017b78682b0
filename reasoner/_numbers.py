"""Counts written in digits or words ("8", "eight", "twenty-four", "a couple of"), read one way
for every part of extraction that counts (durations, sessions, relative dates), so that "six
weeks" and "6 weeks" can never mean different things in two places. Vague quantities ("several",
"a few") are no count here; a caller that must read them says so.
"""

from __future__ import annotations

__all__ = ["NUMBER", "number_value"]

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
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
_WORDS: dict[str, int] = (
    {w: i for i, w in enumerate(_ONES)}
    | {w: 10 + i for i, w in enumerate(_TEENS)}
    | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
    | {"a": 1, "an": 1, "a single": 1, "a couple of": 2, "couple of": 2, "a dozen": 12}
)
_WORD = "|".join(sorted(_WORDS, key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
_ONES_WORD = "|".join(_ONES[1:])
NUMBER = (
    rf"(?:\d{{1,3}}|(?:{_TENS_WORD})[\s-](?:{_ONES_WORD})|(?:{_WORD}))"
    r"(?:\s+and\s+a\s+half)?"
)
"""A count in digits (up to three) or words (up to ninety-nine), as a regular expression."""


def number_value(token: str) -> int | None:
    """The count a number token states, or None for a vague one.

    Examples
    --------
    >>> number_value("8"), number_value("eight"), number_value("twenty-four"), number_value("a")
    (8, 8, 24, 1)
    >>> number_value("several") is None
    True
    """
    text = " ".join(token.lower().replace("-", " ").split())
    text = text.removesuffix(" and a half")
    if text.isdigit():
        return int(text)
    if text in _WORDS:
        return _WORDS[text]
    parts = text.split()
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ONES[1:]:
        return _WORDS[parts[0]] + _WORDS[parts[1]]
    return None
