"""A PDF's text layer through pdfplumber, as the letter text imrkg anchors to.

The text is `page.extract_text(layout=True)` for each page, trailing spaces removed from each
line, pages joined by "\\n\\f" (a form feed starts each new page, as in the published .txt
letters). Layout mode keeps the vertical gaps as blank lines, which mark paragraphs; the plain
mode drops them. The published letters are AES-encrypted with an empty user password and forbid
copying: pdfminer decrypts them and ignores the copy permission, as a reader must.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from .errors import InputFileError, Location, NoTextLayerError

__all__ = ["pdf_text"]

_TRAILING_SPACES = re.compile(r"[ \t]+$", re.MULTILINE)


def pdf_text(path: Path, data: bytes) -> str:
    """The text layer of the PDF whose bytes are `data` (read from `path`).

    Raises
    ------
    InputFileError
        When the PDF cannot be parsed or needs a password.
    NoTextLayerError
        When no page has any text (a scan that was never OCRed).
    """
    import pdfplumber  # deferred: slow to import, and only PDFs need it
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings carry no case data
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text(layout=True) or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many unrelated types for a damaged file
        wrapped = (
            isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], Exception)
        )
        cause = exc.args[0] if wrapped else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputFileError(
                "PDF is protected by a password",
                where=Location(path),
                hint="decrypt it first, e.g. qpdf --decrypt --password=... in.pdf out.pdf",
            ) from None
        raise InputFileError(
            f"not a readable PDF ({type(cause).__name__}: {cause})",
            where=Location(path),
            hint="check that the file is a complete PDF; repair it with qpdf or re-download it",
        ) from None
    if not pages:
        raise InputFileError(
            "PDF has no pages", where=Location(path), hint="check that the file is the letter"
        )
    if not any(page.strip() for page in pages):
        raise NoTextLayerError(
            f"PDF has no text layer ({len(pages)} page(s), none with text)",
            where=Location(path),
            hint="run OCR first (e.g. ocrmypdf --sidecar letter.txt in.pdf out.pdf) and pass "
            "the text",
        )
    return "\n\f".join(_TRAILING_SPACES.sub("", page) for page in pages)
