"""IMR final determination letters (.txt, or .pdf through its text layer) read into items and spans.

Anchors are matched on a normalised copy of the text (`_letter_text.normalise`); every `Span`
indexes `Letter.text` as read: the file decoded as UTF-8, or for a PDF pdfplumber's layout text
(`_pdf.pdf_text`). Two shapes of letter are read: the full letter (format F1 of the domain
notes' letters.md: header, HOW THE IMR FINAL DETERMINATION WAS MADE, CLINICAL CASE SUMMARY,
IMR ISSUES, DECISIONS AND RATIONALES) and its facts-only excerpt, whose items are listed under
"DISPUTED ITEMS ... decisions withheld" without outcomes.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ._letter_text import Normalised, collapse, normalise, sentence_bounds
from ._pdf import pdf_text
from .errors import (
    EmptyFileError,
    LetterError,
    Location,
    NoClinicalSummaryError,
    NoDisputedItemsError,
    NotALetterError,
)
from .load import read_text

__all__ = ["Letter", "LetterItem", "Span", "read_letter", "sentences"]


@dataclass(frozen=True)
class Span:
    """Half-open [start, end) character offsets into `Letter.text`."""

    start: int
    end: int


@dataclass(frozen=True)
class LetterItem:
    """One disputed item, in the order the letter lists them.

    `text` is the heading as printed, whitespace collapsed (a line ending in "-" joins the next
    without a space), without the colon and the outcome word; a partial authorization keeps its
    whole sentence. `span` covers exactly that heading text. The guideline fields and the
    rationale are None in a facts-only excerpt.
    """

    index: int
    text: str
    span: Span
    outcome: str | None
    claims_admin_guideline: str | None
    maximus_guideline: str | None
    rationale: Span | None


@dataclass(frozen=True)
class Letter:
    """A letter as read: the anchored text, its header fields, the summary and the items.

    `text` is what every `Span` indexes: a text file decoded as UTF-8, unchanged; for a PDF,
    pdfplumber's `extract_text(layout=True)` of each page with trailing spaces removed, pages
    joined by "\\n\\f". `sha256` hashes the file's bytes. `source_kind` is "text" or "pdf".
    `facts_only` marks the excerpt whose items are listed, without outcomes, under DISPUTED
    ITEMS. Header fields are None when the letter has no header (the seed). `credentials` is the
    reviewer's Certification(s)/Specialty line, or the older narrative "Board Certified in ...".
    `summary` is the CLINICAL CASE SUMMARY body after its lead-in sentence; `read_letter` always
    sets it (a letter without one raises NoClinicalSummaryError).
    """

    path: Path
    text: str
    sha256: str
    source_kind: str
    facts_only: bool
    case_number: str | None
    date_assigned: datetime.date | None
    date_of_injury: datetime.date | None
    decision_date: datetime.date | None
    ur_denial_date: datetime.date | None
    application_received: datetime.date | None
    priority: str | None
    credentials: str | None
    summary: Span | None
    items: tuple[LetterItem, ...]


_HOW = re.compile(r"^HOW THE IMR FINAL DETERMINATION WAS MADE", re.M | re.I)
_SUMMARY = re.compile(r"^CLINICAL CASE SUMMARY\b.*$", re.M | re.I)
_SUMMARY_LEAD = re.compile(r"\s*The expert reviewer developed the following clinical case [^:]*:")
_ISSUES = re.compile(
    r"^IMR (ISSUES, DECISIONS AND RATIONALES|DECISIONS?\(?S?\)? AND RATIONALE)", re.M | re.I
)
_ISSUES_LEAD = re.compile(r"set forth below\s*:", re.I)
_DISPUTED = re.compile(r"^DISPUTED ITEMS\b.*$", re.M)
_NUMBERED = re.compile(r"^\d+[.)] ", re.M)
_CLAIMS = re.compile(r"^Claims Administrator guideline\s*:", re.M | re.I)
_MAXIMUS = re.compile(r"^MAXIMUS guideline\s*:", re.M | re.I)
_RATIONALE = re.compile(r"^Decision rationale\s*:", re.M | re.I)
_OUTCOME = re.compile(r"\s*[:;]?\s*\b(Upheld|Overturned)\b\.?\s*$", re.I)
_VERDICT_LINE_END = re.compile(r"necessary(?: and appropriate)?\.[\"\u201d)]*\n")
_SENTENCE_LINE_END = re.compile(r"[.)\"\u201d]\n")
_HEADER_DATE = {  # "Application Received:" prints as "Application <date>" over "Received:"
    label: re.compile(rf"{label}{suffix}\s*(\d{{1,2}}[/-]\d{{1,2}}[/-](?:\d{{4}}|\d{{2}}))\b")
    for label, suffix in [
        ("Date Assigned", ":"),
        ("Date of Injury", ":"),
        ("Decision Date", ":"),
        ("UR Denial Date", ":"),
        ("Application", r"(?:\s+Received:)?"),
    ]
}


def read_letter(path: Path) -> Letter:
    """Read a letter: a PDF (recognised by its "%PDF" signature) or UTF-8 text.

    Examples
    --------
    >>> from reasoner.load import PROJECT_ROOT
    >>> letter = read_letter(PROJECT_ROOT / "data" / "letters" / "seed.txt")
    >>> [(item.text, item.outcome) for item in letter.items]
    [('CT scan of the cervical spine', 'Upheld')]
    >>> letter.text[letter.items[0].span.start : letter.items[0].span.end]
    'CT scan of the cervical spine'

    Raises
    ------
    InputFileError
        When the file is missing, unreadable, not UTF-8, or a damaged or locked PDF.
    EmptyFileError, NoTextLayerError, NotALetterError, NoClinicalSummaryError,
    NoDisputedItemsError, LetterError
        When the content is not a readable letter (see docs/errors.md#imr-e601).
    """
    try:
        data = path.read_bytes()
    except OSError:
        read_text(path)  # raises the project's InputFileError for a missing or unreadable file
        raise
    if not data.strip():
        raise EmptyFileError(
            "the letter file is empty", where=Location(path), hint="pass the letter's text or PDF"
        )
    if data.startswith(b"%PDF"):
        text, kind = pdf_text(path, data), "pdf"
    else:
        text, kind = read_text(path), "text"
    return _parse(path, text, hashlib.sha256(data).hexdigest(), kind)


def sentences(text: str, span: Span) -> list[Span]:
    """The sentences of text[span.start:span.end], each trimmed and inside `span`.

    Line breaks and blank lines are whitespace, not boundaries; a period ends no sentence when
    a lowercase word follows, after titles and "e.g.", "i.e.", "vs.", nor before a number after
    "no.", "pg.", "Ch."; decimals and dates such as 10-13-16 or 1/23/2012 hold no boundary.

    Examples
    --------
    >>> t = "Seen by Dr. Smith on 10-13-16.\\n\\nMRI, i.e. a scan, was\\n\\ndenied. No. 5 is 2.5."
    >>> [t[s.start : s.end] for s in sentences(t, Span(0, len(t)))]
    ['Seen by Dr. Smith on 10-13-16.', 'MRI, i.e. a scan, was\\n\\ndenied.', 'No. 5 is 2.5.']
    """
    return [Span(s, e) for s, e in sentence_bounds(text, span.start, span.end)]


def _parse(path: Path, text: str, sha256: str, kind: str) -> Letter:
    doc = _Doc(path, text, normalise(text))
    norm, n = doc.norm, doc.norm.text
    if not n:
        raise EmptyFileError(
            "the letter holds only whitespace", where=Location(path), hint="pass the letter's text"
        )
    issues, disputed = _ISSUES.search(n), _DISPUTED.search(n)
    how, summary = _HOW.search(n), _SUMMARY.search(n)
    if not (how or summary or issues or disputed or _CLAIMS.search(n)):
        raise NotALetterError(
            "text is not an IMR determination letter (none of its headings was found)",
            where=Location(path),
            hint='pass a final determination letter with "CLINICAL CASE SUMMARY" and "IMR ISSUES, '
            'DECISIONS AND RATIONALES"',
        )
    end_of_summary = issues or disputed
    summary_span = _summary(doc, summary, end_of_summary.start() if end_of_summary else len(n))
    header_end = how.start() if how else summary.start() if summary else 0
    facts_only = issues is None and disputed is not None
    if issues is None and disputed is not None:
        items = _listed_items(norm, disputed.end())
    else:
        items = _decided_items(doc, issues.end() if issues else summary_span[1])
    if not items:
        raise NoDisputedItemsError(
            "no disputed item found: no item heading ending in Upheld or Overturned before "
            '"Claims Administrator guideline:", and no DISPUTED ITEMS list',
            where=Location(path),
            hint="pass the whole letter, including IMR ISSUES, DECISIONS AND RATIONALES",
        )
    return Letter(
        path=path,
        text=text,
        sha256=sha256,
        source_kind=kind,
        facts_only=facts_only,
        case_number=_header_value(n, r"Case Number:\s*(\S+)", header_end),
        date_assigned=_header_date(doc, "Date Assigned", header_end),
        date_of_injury=_header_date(doc, "Date of Injury", header_end),
        decision_date=_header_date(doc, "Decision Date", header_end),
        ur_denial_date=_header_date(doc, "UR Denial Date", header_end),
        application_received=_header_date(doc, "Application", header_end),
        priority=_header_value(n, r"Priority:\s*([A-Za-z]+)", header_end),
        credentials=_credentials(n, summary.start() if summary else len(n)),
        summary=Span(*norm.raw_span(*summary_span)),
        items=tuple(items),
    )


def _summary(doc: _Doc, heading: re.Match[str] | None, end: int) -> tuple[int, int]:
    """Normalised [start, end) of the summary body, after its lead-in sentence."""
    norm = doc.norm
    if heading is None:
        raise NoClinicalSummaryError(
            "the letter has no CLINICAL CASE SUMMARY section",
            where=Location(doc.path),
            hint="pass the whole letter; facts about the case are read from its summary",
        )
    start = heading.end()
    lead = _SUMMARY_LEAD.match(norm.text, start, end)
    if lead:
        start = lead.end()
    if not norm.text[start:end].strip():
        raise NoClinicalSummaryError(
            "the CLINICAL CASE SUMMARY section is empty",
            where=doc.where(heading.start()),
            hint="pass the whole letter; facts about the case are read from its summary",
        )
    return start, end


def _decided_items(doc: _Doc, start: int) -> list[LetterItem]:
    """Items of a full letter: each heading ends in its outcome word just before
    "Claims Administrator guideline:"; it starts after the last paragraph break since the
    previous item's rationale label (or the issues lead-in)."""
    norm, n = doc.norm, doc.norm.text
    lead = _ISSUES_LEAD.search(n, start)
    region = lead.end() if lead else start
    anchors = list(_CLAIMS.finditer(n, region))
    headings: list[tuple[int, int, str]] = []
    for k, anchor in enumerate(anchors):
        outcome = _OUTCOME.search(n, region, anchor.start())
        if outcome is None:
            raise LetterError(
                f"item {k + 1} has no outcome (Upheld or Overturned) before its "
                '"Claims Administrator guideline:"',
                where=doc.where(anchor.start()),
                hint='end the item heading with ": Upheld" or ": Overturned"',
            )
        headings.append(
            (
                _heading_start(n, region, outcome.start(), first=k == 0),
                outcome.start(),
                outcome.group(1),
            )
        )
        following = anchors[k + 1].start() if k + 1 < len(anchors) else len(n)
        label = _RATIONALE.search(n, anchor.end(), following)
        region = label.end() if label else anchor.end()
    items = []
    for k, ((h_start, h_end, outcome), anchor) in enumerate(zip(headings, anchors, strict=True)):
        block_end = headings[k + 1][0] if k + 1 < len(headings) else len(n)
        fields = _fields(n, anchor.end(), block_end)
        rationale = fields.get("rationale")
        items.append(
            LetterItem(
                index=k,
                text=collapse(n[h_start:h_end]),
                span=Span(*norm.raw_span(h_start, h_end)),
                outcome=outcome,
                claims_admin_guideline=_field_text(n, fields.get("claims")),
                maximus_guideline=_field_text(n, fields.get("maximus")),
                rationale=Span(*norm.raw_span(*rationale)) if rationale else None,
            )
        )
    return items


def _heading_start(n: str, region: int, end: int, *, first: bool) -> int:
    """After the last paragraph break, and after the previous rationale's closing "... is (not)
    medically necessary." when a page break swallowed the blank line before the heading."""
    paragraph = n.rfind("\n\n", region, end)
    start = paragraph + 2 if paragraph >= 0 else region
    verdicts = list(_VERDICT_LINE_END.finditer(n, start, end))
    if verdicts:
        return verdicts[-1].end()
    if paragraph >= 0 or first:
        return start
    line_ends = list(_SENTENCE_LINE_END.finditer(n, start, end))
    return line_ends[-1].end() if line_ends else start


def _fields(n: str, claims: int, end: int) -> dict[str, tuple[int, int]]:
    """Normalised [start, end) of the three fields; each ends where the next label begins."""
    maximus = _MAXIMUS.search(n, claims, end)
    rationale = _RATIONALE.search(n, maximus.end() if maximus else claims, end)
    fields = {
        "claims": (claims, maximus.start() if maximus else rationale.start() if rationale else end)
    }
    if maximus:
        fields["maximus"] = (maximus.end(), rationale.start() if rationale else end)
    if rationale:
        fields["rationale"] = (rationale.end(), end)
    return fields


def _field_text(n: str, bounds: tuple[int, int] | None) -> str | None:
    return collapse(n[bounds[0] : bounds[1]]) or None if bounds else None


def _listed_items(norm: Normalised, start: int) -> list[LetterItem]:
    """Items of a facts-only excerpt: "1. <heading>" lines (wrapped lines continue an item)."""
    n = norm.text
    numbers = list(_NUMBERED.finditer(n, start))
    items = []
    for k, number in enumerate(numbers):
        end = numbers[k + 1].start() if k + 1 < len(numbers) else len(n)
        paragraph = n.find("\n\n", number.end(), end)
        end = paragraph if paragraph >= 0 else end
        items.append(
            LetterItem(
                k,
                collapse(n[number.end() : end]),
                Span(*norm.raw_span(number.end(), end)),
                None,
                None,
                None,
                None,
            )
        )
    return items


def _header_value(n: str, pattern: str, end: int) -> str | None:
    match = re.compile(pattern).search(n, 0, end)
    return match.group(1) if match else None


def _header_date(doc: _Doc, label: str, end: int) -> datetime.date | None:
    match = _HEADER_DATE[label].search(doc.norm.text, 0, end)
    if match is None:
        return None
    month, day, year = (int(part) for part in re.split(r"[/-]", match.group(1)))
    if year < 100:
        year += 1900 if year >= 69 else 2000  # as strptime's %y
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise LetterError(
            f"{label} {match.group(1)!r} is not a valid date (month/day/year)",
            where=doc.where(match.start(1), field=label),
            hint="correct the date in the letter's header",
        ) from None


def _credentials(n: str, end: int) -> str | None:
    """The Certification(s)/Specialty line (2016+), else the 2014 narrative "is Board
    Certified in ..., has a subspecialty in ..."."""
    line = re.compile(r"^Certification\(s\)/Specialty:\s*(.+)$", re.M).search(n, 0, end)
    if line:
        return line.group(1).strip()
    story = re.compile(r"reviewer is (Board Certified in [^.]*?)(?:,? and is licensed|\.)").search(
        n.replace("\n", " "), 0, end
    )
    return collapse(story.group(1)) if story else None


@dataclass(frozen=True)
class _Doc:
    path: Path
    raw: str
    norm: Normalised

    def where(self, index: int, field: str | None = None) -> Location:
        """The 1-based line and column in the raw text of normalised offset `index`."""
        at = self.norm.raw[index]
        line = self.raw.count("\n", 0, at) + 1
        return Location(self.path, line, at - (self.raw.rfind("\n", 0, at) + 1) + 1, field)
