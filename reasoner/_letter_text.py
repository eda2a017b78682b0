"""Letter text as extracted, normalised for matching, with every character mapped back to raw.

PDF-to-text leaves wrapped lines, blank lines between them (the seed is double-spaced), page
breaks (form feeds, runs of empty lines), running headers and footers and runs of spaces. The
parser matches anchors on a normalised copy; a span found there maps back through `raw` so that
Web Annotation selectors point into the text exactly as read.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["Normalised", "collapse", "normalise", "sentence_bounds"]

_TOKEN = re.compile(r"[^\s\ufeff]+")
_PAGE_NUMBER = re.compile(r"(?i)^(page\s*)?\d{1,3}(\s*(of|/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$")
_LINE_END_HYPHEN = re.compile(r"(?<=\S)-[^\S\n]*\n\s*(?=\S)")


@dataclass(frozen=True)
class Normalised:
    """Lines stripped, inner whitespace collapsed to one space, lines joined by "\\n" and
    paragraphs by "\\n\\n"; running headers, footers and page numbers dropped.

    `raw[i]` is the offset in the raw text of normalised character i (an inserted space or
    newline maps to the whitespace it replaces); `raw` has one extra entry, the raw length.
    """

    text: str
    raw: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw [start, end) covering normalised [start, end), after trimming whitespace."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start == end:
            return self.raw[start], self.raw[start]
        return self.raw[start], self.raw[end - 1] + 1


@dataclass(frozen=True)
class _Line:
    tokens: tuple[tuple[int, int], ...]  # raw [start, end) of each word
    page: int
    gap_before: tuple[str, ...]  # the blank lines between the previous content line and this


def collapse(text: str) -> str:
    """One line, single spaces; a line ending in "-" joins the next without a space.

    Examples
    --------
    >>> collapse("MRI of the red-\\n\\nflag   neck\\n without  contrast")
    'MRI of the red-flag neck without contrast'
    """
    return " ".join(_LINE_END_HYPHEN.sub("-", text).split())


def normalise(raw: str) -> Normalised:
    """Normalise extracted letter text for matching (see `Normalised`).

    Examples
    --------
    >>> raw = "Wrap \\n\\nline. \\n\\n \\n\\nNext  para\\n\\nwraps\\n\\nover\\n\\nit.\\n\\fPage 2."
    >>> n = normalise(raw)
    >>> n.text
    'Wrap\\nline.\\n\\nNext para\\nwraps\\nover\\nit.\\nPage 2.'
    >>> start, end = n.raw_span(n.text.index("line."), n.text.index("para"))
    >>> raw[start:end]
    'line. \\n\\n \\n\\nNext'
    """
    lines = _lines(raw)
    lines = _drop_furniture(lines, raw)
    double_spaced = _is_double_spaced(lines)
    chars: list[str] = []
    offsets: list[int] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None:
            same_page = previous.page == line.page
            breaks = same_page and _is_paragraph_break(line.gap_before, double_spaced)
            chars.append("\n\n" if breaks else "\n")
            offsets.extend([previous.tokens[-1][1]] * (2 if breaks else 1))
        for k, (start, end) in enumerate(line.tokens):
            if k:
                chars.append(" ")
                offsets.append(line.tokens[k - 1][1])
            chars.append(raw[start:end])
            offsets.extend(range(start, end))
        previous = line
    offsets.append(len(raw))
    return Normalised("".join(chars), tuple(offsets))


def sentence_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) of each sentence of text[start:end], trimmed; see letters.sentences."""
    bounds: list[tuple[int, int]] = []
    first = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start(2)
        if _is_abbreviation(text, first, match.start(1), text[match.end() : match.end() + 1]):
            continue
        bounds.append((first, stop))
        first = match.end()
    bounds.append((first, end))
    merged: list[tuple[int, int]] = []
    for s, e in (_trim(text, s, e) for s, e in bounds):
        if s == e:
            continue
        if merged and _ENUMERATOR.match(text, *merged[-1]):  # "1." opens the next sentence
            s = merged.pop()[0]
        merged.append((s, e))
    return merged


# sentence end: terminal punctuation, closing quotes or brackets, whitespace, then what can
# start a sentence (not a lowercase letter, which rules out "e.g. the" and "Inc. has")
_SENTENCE_END = re.compile(r"([.!?])[\"'\u201d\u2019)\]]*(\s+)(?=[^\sa-z])")
_ENUMERATOR = re.compile(r"\(?\d{1,2}[.)]\Z")
_ALWAYS = frozenset({"dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "cf", "approx", "st", "viz"})
_BEFORE_NUMBER = frozenset({"no", "nos", "pg", "pgs", "pp", "p", "ch", "fig", "vol", "sec", "ref"})


def _is_abbreviation(text: str, first: int, dot: int, following: str) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > first and not text[word_start - 1].isspace() and text[word_start - 1] != "(":
        word_start -= 1
    word = text[word_start:dot].lower()
    if word.isdigit() and len(word) <= 2 and text[first:word_start].rstrip().endswith(":"):
        return True  # "Criteria: 1. Pain ..." opens a list
    if word in _ALWAYS or (word in _BEFORE_NUMBER and (following.isdigit() or following == "#")):
        return True
    return len(word) == 1 and word.isalpha() and word.upper() == text[dot - 1]  # an initial


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _lines(raw: str) -> list[_Line]:
    feeds = [m.start() for m in re.finditer("\f", raw)]
    lines: list[_Line] = []
    gap: list[str] = []
    position = 0
    for text in raw.split("\n"):
        tokens = tuple((position + m.start(), position + m.end()) for m in _TOKEN.finditer(text))
        if tokens:
            page = bisect.bisect_right(feeds, tokens[0][0])
            lines.append(_Line(tokens, page, tuple(gap)))
            gap = []
        else:
            gap.append(text)
        position += len(text) + 1
    return lines


def _drop_furniture(lines: list[_Line], raw: str) -> list[_Line]:
    """Drop page numbers, and lines with a number repeated at the top or bottom of pages
    (a running case number, "Page 2 of 3"): they would split a heading that crosses a page."""
    pages: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        pages.setdefault(line.page, []).append(index)
    if len(pages) < 2:
        return lines
    edges = [
        (i, "top" if i == idx[0] else "bottom") for idx in pages.values() for i in {idx[0], idx[-1]}
    ]
    masked = {i: re.sub(r"\d+", "9", _line_text(lines[i], raw)) for i, _ in edges}
    seen = Counter((masked[i], edge) for i, edge in edges)
    drop = set()
    for i, edge in edges:
        text = _line_text(lines[i], raw)
        repeated = seen[masked[i], edge] >= 2 and re.search(r"\d", text) is not None
        if _PAGE_NUMBER.match(text) or (
            repeated
            and not text.endswith((".", ",", ";", ":"))
            and (lines[i].page or edge == "bottom")
        ):
            drop.add(i)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return kept if kept else lines


def _line_text(line: _Line, raw: str) -> str:
    return " ".join(raw[s:e] for s, e in line.tokens)


def _is_double_spaced(lines: list[_Line]) -> bool:
    """The seed's extraction puts an empty line after every text line; paragraphs are then
    marked by a line holding only spaces."""
    gaps = [line.gap_before for line in lines[1:]]
    single = sum(1 for gap in gaps if gap == ("",))
    return len(gaps) >= 4 and single > 0.6 * len(gaps)


def _is_paragraph_break(gap: tuple[str, ...], double_spaced: bool) -> bool:
    if double_spaced:
        return any(part.strip("\r") for part in gap)  # a line of spaces, not just empty lines
    return bool(gap)
