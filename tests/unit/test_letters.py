"""Letters read into items, outcomes, guideline fields, header dates and raw-offset spans.

The 124 published letters and their facts-only excerpts live in ../shared/letters (always
present in CI); labels.jsonl holds what each item should read. Robustness to what extraction
does to text is checked by rewriting those letters (double spacing as in the seed, CRLF, running
headers and footers, layout padding, lost blank lines) and by small letters built in tmp_path.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasoner._letter_text import collapse
from reasoner.errors import (
    EmptyFileError,
    InputFileError,
    LetterError,
    NoClinicalSummaryError,
    NoDisputedItemsError,
    NotALetterError,
    NoTextLayerError,
)
from reasoner.letters import Letter, Span, read_letter, sentences
from reasoner.load import DEV_LETTERS, PROJECT_ROOT

SHARED = DEV_LETTERS
SEED = PROJECT_ROOT / "data" / "letters" / "seed.txt"
TWIN_FIELDS = ("text", "outcome", "claims_admin_guideline", "maximus_guideline")
HEADER_FIELDS = (
    "case_number",
    "date_assigned",
    "date_of_injury",
    "decision_date",
    "ur_denial_date",
    "application_received",
    "priority",
    "credentials",
)


@functools.cache
def _labels() -> dict[str, list[dict[str, Any]]]:
    by_letter: dict[str, list[dict[str, Any]]] = {}
    path = SHARED / "labels.jsonl"
    if not path.is_file():
        return by_letter
    for line in path.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        by_letter.setdefault(label["letter_id"], []).append(label)
    return by_letter


LETTER_IDS = sorted(_labels()) or ["(../shared/letters missing)"]
PDFS = sorted((SHARED / "pdf").glob("*.pdf")) if SHARED.is_dir() else []


@functools.cache
def _read(path: Path) -> Letter:
    return read_letter(path)


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (the shared letters sit beside the project)")
    return path


def _items(letter: Letter) -> list[tuple[Any, ...]]:
    return [tuple(getattr(item, f) for f in TWIN_FIELDS) for item in letter.items]


def _span_text(letter: Letter, span: Span | None) -> str:
    assert span is not None
    return letter.text[span.start : span.end]


def _check_spans(letter: Letter) -> None:
    for item in letter.items:
        assert collapse(_span_text(letter, item.span)) == item.text
        if item.rationale is not None:
            assert 0 <= item.rationale.start < item.rationale.end <= len(letter.text)
    assert letter.summary is not None
    assert _span_text(letter, letter.summary).strip()


def _date(iso: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(iso) if iso else None


class TestReadLetterOnPublishedLetters:
    @pytest.mark.parametrize("letter_id", LETTER_IDS)
    def test_full_letter_matches_labels(self, letter_id: str) -> None:
        letter = _read(_shared("text", f"{letter_id}.txt"))
        labels = _labels()[letter_id]
        assert (letter.source_kind, letter.facts_only, letter.case_number) == (
            "text",
            False,
            letter_id,
        )
        assert [item.index for item in letter.items] == list(range(len(labels)))
        assert [(i.text, i.outcome) for i in letter.items] == [
            (" ".join(lab["item_text"].split()), lab["outcome"]) for lab in labels
        ]
        assert [(i.claims_admin_guideline, i.maximus_guideline) for i in letter.items] == [
            (lab["claims_admin_guideline"], lab["maximus_guideline"]) for lab in labels
        ]
        for field in ("decision_date", "date_of_injury", "ur_denial_date"):
            assert getattr(letter, field) == _date(labels[0][field]), field
        assert letter.priority == "Standard"
        assert letter.credentials
        _check_spans(letter)

    @pytest.mark.parametrize("letter_id", LETTER_IDS)
    def test_facts_excerpt_lists_the_same_items_without_outcomes(self, letter_id: str) -> None:
        facts = _read(_shared("facts", f"{letter_id}.facts.txt"))
        full = _read(_shared("text", f"{letter_id}.txt"))
        assert facts.facts_only
        assert [i.text for i in facts.items] == [i.text for i in full.items]
        assert {(i.outcome, i.claims_admin_guideline, i.rationale) for i in facts.items} == {
            (None, None, None)
        }
        assert [getattr(facts, f) for f in HEADER_FIELDS] == [
            getattr(full, f) for f in HEADER_FIELDS
        ]
        assert collapse(_span_text(facts, facts.summary)) == collapse(
            _span_text(full, full.summary)
        )
        _check_spans(facts)


class TestReadLetterOnPdfs:
    @pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
    def test_pdf_reads_like_its_text_twin(self, path: Path) -> None:
        pdf = read_letter(path)
        twin = _read(_shared("text", f"{path.stem}.txt"))
        assert pdf.source_kind == "pdf"
        assert pdf.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert _items(pdf) == _items(twin)
        assert [getattr(pdf, f) for f in HEADER_FIELDS] == [getattr(twin, f) for f in HEADER_FIELDS]
        for a, b in zip(pdf.items, twin.items, strict=True):
            assert a.rationale and b.rationale
            assert collapse(_span_text(pdf, a.rationale)) == collapse(_span_text(twin, b.rationale))
        _check_spans(pdf)

    def test_all_eight_pdfs_are_present(self) -> None:
        _shared("pdf")
        assert len(PDFS) == 8


class TestReadLetterOnSeed:
    def test_seed_has_one_upheld_ct_item_and_no_header(self) -> None:
        letter = read_letter(SEED)
        assert [(i.text, i.outcome) for i in letter.items] == [
            ("CT scan of the cervical spine", "Upheld")
        ]
        assert [getattr(letter, f) for f in HEADER_FIELDS[:-1]] == [None] * 7
        assert letter.credentials is not None
        assert letter.credentials.startswith("Board Certified in Physical Medicine")
        item = letter.items[0]
        assert item.maximus_guideline == (
            "Decision based on MTUS ACOEM Chapter 8 Neck and Upper Back Complaints."
        )
        assert item.rationale is not None
        assert _span_text(letter, item.rationale).startswith("ACOEM Chapter 8 entitled")
        assert _span_text(letter, item.rationale).endswith("not medically \n\nnecessary.")
        assert _span_text(letter, letter.summary).startswith("The injured worker is a 60")
        assert letter.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()


def _double_spaced(text: str, _id: str) -> str:
    return "\n\n".join(line if line.strip() else " " for line in text.split("\n"))


def _crlf(text: str, _id: str) -> str:
    return text.replace("\n", "\r\n")


def _running_header_and_page_numbers(text: str, letter_id: str) -> str:
    pages = text.split("\f")
    return "\f".join(
        f"{letter_id}   IMR Final Determination\n{page.rstrip()}\nPage {k + 1} of {n}\n"
        for k, page, n in ((k, page, len(pages)) for k, page in enumerate(pages))
    )


def _layout_padding(text: str, _id: str) -> str:
    lines = text.replace("\f", "\n\n\n\f\n\n").split("\n")
    return "\n".join(
        (line[:1] if line.startswith("\f") else "")
        + " " * 10
        + (line.lstrip("\f").replace(" ", "   ") if k % 3 == 0 else line.lstrip("\f"))
        + "   "
        for k, line in enumerate(lines)
    )


def _no_blank_line_before_headings(text: str, letter_id: str) -> str:
    for item in reversed(_read(_shared("text", f"{letter_id}.txt")).items[1:]):
        line_start = text.rfind("\n", 0, item.span.start) + 1
        text = text[:line_start].rstrip(" \n") + "\n" + text[line_start:]
    return text


class TestReadLetterOnRewrittenLetters:
    """What extraction does to text must not change what is read."""

    @pytest.mark.parametrize(
        "rewrite",
        [
            _double_spaced,
            _crlf,
            _running_header_and_page_numbers,
            _layout_padding,
            _no_blank_line_before_headings,
        ],
    )
    def test_rewrite_keeps_items_and_header(self, rewrite: Any, tmp_path: Path) -> None:
        failures = []
        for letter_id in LETTER_IDS:
            original = _read(_shared("text", f"{letter_id}.txt"))
            path = tmp_path / f"{letter_id}.txt"
            path.write_text(rewrite(original.text, letter_id), encoding="utf-8")
            letter = read_letter(path)
            furniture = re.compile(rf"(?m)^\f?({letter_id} .*|Page \d+ of \d+)$")
            same = _items(letter) == _items(original) and all(
                getattr(letter, f) == getattr(original, f) for f in HEADER_FIELDS
            )
            anchored = all(
                collapse(furniture.sub("", _span_text(letter, item.span))) == item.text
                for item in letter.items
            )
            if not (same and anchored):
                failures.append(letter_id)
        assert failures == []


LETTER = """\
Case Number:          CM16-0000001
Date Assigned:        12/5/16                         Date of Injury:      8-27-14
Decision Date:        12/30/2016                      UR Denial Date:      10-28-2016
Priority:             Expedited                       Application          11/28/2016
                                                      Received:

                 HOW THE IMR FINAL DETERMINATION WAS MADE
Boilerplate.

                                CLINICAL CASE SUMMARY
The expert reviewer developed the following clinical case summary based on a review of the
case file, including all medical records:

A 50 year old male was seen by Dr. Smith on 10-13-16. X-rays were normal.

                      IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:

Repeat x-
rays of the left
knee, two views:
Upheld

Claims Administrator guideline: Decision based on MTUS Knee Complaints 2004, Section(s): Special
Studies.

MAXIMUS guideline: Decision based on MTUS Knee Complaints 2004.

Decision rationale: Nothing changed. The request is not medically necessary.
Lidocaine 5% patch #30 was the original request. Lidocaine 5% patch #10 was authorized by the
Claims Administrator. The remaining IMR eligible portion of the original request, Lidocaine 5%
\fpatch #20 is:   Overturned
Claims Administrator guideline: The Claims Administrator did not cite any medical evidence for
its decision.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2009.

Decision rationale: Helps. The request is medically necessary.
"""


def _write(tmp_path: Path, text: str | bytes, name: str = "letter.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


class TestReadLetterOnBuiltLetters:
    def test_wrapped_hyphenated_partial_and_page_broken_headings(self, tmp_path: Path) -> None:
        letter = read_letter(_write(tmp_path, LETTER))
        assert [(i.text, i.outcome) for i in letter.items] == [
            ("Repeat x-rays of the left knee, two views", "Upheld"),
            (
                "Lidocaine 5% patch #30 was the original request. Lidocaine 5% patch #10 was "
                "authorized by the Claims Administrator. The remaining IMR eligible portion of the "
                "original request, Lidocaine 5% patch #20 is",
                "Overturned",
            ),
        ]
        assert letter.items[0].claims_admin_guideline == (
            "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies."
        )
        _check_spans(letter)

    def test_header_dates_mix_formats(self, tmp_path: Path) -> None:
        letter = read_letter(_write(tmp_path, LETTER))
        assert (letter.date_assigned, letter.date_of_injury, letter.ur_denial_date) == (
            datetime.date(2016, 12, 5),
            datetime.date(2014, 8, 27),
            datetime.date(2016, 10, 28),
        )
        assert (letter.application_received, letter.priority) == (
            datetime.date(2016, 11, 28),
            "Expedited",
        )

    def test_summary_span_is_the_body_after_the_lead_in(self, tmp_path: Path) -> None:
        letter = read_letter(_write(tmp_path, LETTER))
        assert letter.summary is not None
        assert _span_text(letter, letter.summary) == (
            "A 50 year old male was seen by Dr. Smith on 10-13-16. X-rays were normal."
        )

    def test_facts_excerpt_items_may_wrap(self, tmp_path: Path) -> None:
        cut = LETTER[: LETTER.index("                      IMR ISSUES")]
        text = cut + (
            "DISPUTED ITEMS (as listed in the letter; decisions withheld)\n"
            "1. Repeat x-\nrays of the left knee\n2. Lidocaine 5% patch\n"
        )
        letter = read_letter(_write(tmp_path, text))
        assert letter.facts_only
        assert [(i.text, i.outcome) for i in letter.items] == [
            ("Repeat x-rays of the left knee", None),
            ("Lidocaine 5% patch", None),
        ]


class TestReadLetterErrors:
    @pytest.mark.parametrize(
        ("content", "error", "match"),
        [
            (b"", EmptyFileError, r"IMR-E604.*empty"),
            (b" \n\n\t\n", EmptyFileError, r"IMR-E604.*empty"),
            (
                b"Dear Sir,\nplease find the invoice attached.\n",
                NotALetterError,
                r"IMR-E603.*not an IMR determination letter",
            ),
            (
                "CLINICAL CASE SUMMARY\nM\u00e9dico r\u00e9sum\u00e9.\n".encode("latin-1"),
                InputFileError,
                r"IMR-E101.*not UTF-8",
            ),
        ],
        ids=["empty", "whitespace", "not-a-letter", "latin-1"],
    )
    def test_bad_file(self, tmp_path: Path, content: bytes, error: type, match: str) -> None:
        path = _write(tmp_path, content)
        with pytest.raises(error, match=match) as caught:
            read_letter(path)
        assert str(caught.value).startswith(str(path))
        assert "hint:" in str(caught.value)

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(InputFileError, match=r"IMR-E101.*file not found"):
            read_letter(tmp_path / "absent.txt")

    def test_letter_without_clinical_summary(self, tmp_path: Path) -> None:
        start = LETTER.index("                                CLINICAL CASE SUMMARY")
        text = LETTER[:start] + LETTER[LETTER.index("                      IMR ISSUES") :]
        with pytest.raises(NoClinicalSummaryError, match=r"IMR-E605.*no CLINICAL CASE SUMMARY"):
            read_letter(_write(tmp_path, text))

    def test_letter_with_empty_clinical_summary(self, tmp_path: Path) -> None:
        text = LETTER.replace(
            "A 50 year old male was seen by Dr. Smith on 10-13-16. X-rays were normal.", ""
        )
        with pytest.raises(NoClinicalSummaryError, match=r"IMR-E605.*empty"):
            read_letter(_write(tmp_path, text))

    def test_letter_cut_before_its_items(self, tmp_path: Path) -> None:
        text = LETTER[: LETTER.index("Repeat x-")]
        with pytest.raises(NoDisputedItemsError, match=r"IMR-E606.*no disputed item"):
            read_letter(_write(tmp_path, text))

    def test_heading_without_outcome_names_its_line(self, tmp_path: Path) -> None:
        path = _write(tmp_path, LETTER.replace("knee, two views:\nUpheld", "knee, two views"))
        with pytest.raises(LetterError, match=r"letter.txt:23:1: error\[IMR-E601\]: item 1 has no"):
            read_letter(path)

    def test_impossible_header_date(self, tmp_path: Path) -> None:
        path = _write(tmp_path, LETTER.replace("12/30/2016", "02/30/2016"))
        with pytest.raises(LetterError, match=r":3:23 \[Decision Date\]: error\[IMR-E601\]"):
            read_letter(path)

    def test_image_only_pdf_needs_ocr(self, tmp_path: Path) -> None:
        path = _write(tmp_path, _image_only_pdf(), "scan.pdf")
        with pytest.raises(NoTextLayerError, match=r"scan.pdf: error\[IMR-E602\]: PDF has no text"):
            read_letter(path)

    def test_damaged_pdf(self, tmp_path: Path) -> None:
        path = _write(tmp_path, b"%PDF-1.4\nnot really\n", "damaged.pdf")
        with pytest.raises(InputFileError, match=r"IMR-E101.*not a readable PDF"):
            read_letter(path)


def _image_only_pdf() -> bytes:
    """A one-page PDF that paints a 1x1 grey image and holds no text, as a scan does."""
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class TestSentences:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Seen by Dr. Smith. He improved.", ["Seen by Dr. Smith.", "He improved."]),
            (
                "MRI on 10-13-16. CT on 1/23/2012. Done.",
                ["MRI on 10-13-16.", "CT on 1/23/2012.", "Done."],
            ),
            (
                "Use e.g. Tramadol, i.e. an opioid. Next.",
                ["Use e.g. Tramadol, i.e. an opioid.", "Next."],
            ),
            (
                "Surgery vs. Therapy was weighed. Next.",
                ["Surgery vs. Therapy was weighed.", "Next."],
            ),
            (
                "See no. 5 and pg. 607 for 2.5 mg. Next.",
                ["See no. 5 and pg. 607 for 2.5 mg.", "Next."],
            ),
            (
                "Wrapped\n\nline ends here. \n\n \n\nNew one.",
                ["Wrapped\n\nline ends here.", "New one."],
            ),
            ('It says "stop." Then more.', ['It says "stop."', "Then more."]),
            ("Criteria: 1. Pain. 2. Weakness.", ["Criteria: 1. Pain.", "2. Weakness."]),
        ],
    )
    def test_boundaries(self, text: str, expected: list[str]) -> None:
        assert [text[s.start : s.end] for s in sentences(text, Span(0, len(text)))] == expected

    def test_spans_stay_inside_the_given_span(self) -> None:
        text = "Before. Seen by Dr. Smith on 10-13-16. After."
        span = Span(text.index("Seen"), text.index(" After"))
        assert [text[s.start : s.end] for s in sentences(text, span)] == [
            "Seen by Dr. Smith on 10-13-16."
        ]

    @settings(max_examples=100, deadline=None)
    @given(
        words=st.lists(
            st.sampled_from(
                [
                    "Dr. Smith",
                    "10-13-16",
                    "pain.",
                    "The",
                    "x-",
                    "\n\n",
                    " ",
                    "e.g.",
                    "rays",
                    "1/23/2012.",
                    "No. 5",
                    "2.5",
                ]
            ),
            max_size=30,
        ),
        cut=st.tuples(st.integers(0, 40), st.integers(0, 40)),
    )
    def test_spans_are_ordered_inside_and_keep_dr_smith(
        self, words: list[str], cut: tuple[int, int]
    ) -> None:
        text = " ".join(words)
        start = min(cut[0], len(text))
        span = Span(start, max(start, len(text) - cut[1]))
        found = sentences(text, span)
        previous = span.start
        for s in found:
            assert previous <= s.start < s.end <= span.end
            assert text[s.start : s.end] == text[s.start : s.end].strip()
            previous = s.end
        ends = {s.end for s in found}
        for match in re.finditer(r"Dr\. Smith|10-13-16|No\. 5", text):
            if span.start <= match.start() and match.end() <= span.end:
                assert not any(match.start() < end < match.end() for end in ends)
