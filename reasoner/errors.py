"""Errors the user can fix, each with a stable code, a location and a hint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BadDateError",
    "CaseDataError",
    "ImrkgError",
    "InputFileError",
    "Location",
    "MissingFieldError",
    "NoCaseError",
    "OntologyError",
    "QueryError",
    "RequestBeforeInjuryError",
    "ShapeError",
    "UnknownTermError",
]


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and optionally a 1-based line and column, or a field."""

    path: Path | str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        text = str(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.field is not None:
            text += f" [{self.field}]"
        return text


class ImrkgError(Exception):
    """Base of every error a user can fix; anything else reaching the CLI is a bug."""

    code = "IMR-E000"

    def __init__(self, message: str, *, where: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where is not None else ""
        anchor = f"docs/errors.md#{self.code.lower()}"
        text = f"{prefix}error[{self.code}]: {self.message}"
        hint = f"{self.hint}  ({anchor})" if self.hint else f"see {anchor}"
        return f"{text}\n  hint: {hint}"


class InputFileError(ImrkgError):
    """Raised when a file is missing, unreadable, not UTF-8, or has bad syntax."""

    code = "IMR-E101"


class CaseDataError(ImrkgError):
    """Raised when a case violates the intake shapes (a required fact missing, a bad date)."""

    code = "IMR-E201"


class MissingFieldError(CaseDataError):
    """Raised when a case lacks a field the intake shapes require (a request's date, modality)."""

    code = "IMR-E202"


class UnknownTermError(CaseDataError):
    """Raised when a region, modality or service category is not a term of ontology/schemes.ttl."""

    code = "IMR-E203"


class BadDateError(CaseDataError):
    """Raised when a date is not a valid "YYYY-MM-DD"^^xsd:date, or lies after today."""

    code = "IMR-E204"


class RequestBeforeInjuryError(CaseDataError):
    """Raised when a disputed request is dated before the case's original injury."""

    code = "IMR-E205"


class NoCaseError(CaseDataError):
    """Raised when a case file declares no imr:Case node."""

    code = "IMR-E206"


class ShapeError(ImrkgError):
    """Raised when a criterion shape or decision rule is malformed or cannot be evaluated."""

    code = "IMR-E301"


class OntologyError(ImrkgError):
    """Raised when HermiT finds the ontology or a case inconsistent, or cannot run."""

    code = "IMR-E401"


class QueryError(ImrkgError):
    """Raised when a .rq file does not parse, or a parameter is missing or mistyped."""

    code = "IMR-E501"


class LetterError(ImrkgError):
    """Raised when a determination letter cannot be read into items (base of IMR-E6xx)."""

    code = "IMR-E601"


class NoTextLayerError(LetterError):
    """Raised when a PDF letter has no text layer (a scan): it needs OCR first."""

    code = "IMR-E602"


class NotALetterError(LetterError):
    """Raised when a text has none of the anchors of an IMR final determination letter."""

    code = "IMR-E603"


class EmptyFileError(LetterError):
    """Raised when a letter file is empty or holds only whitespace."""

    code = "IMR-E604"


class NoClinicalSummaryError(LetterError):
    """Raised when a letter has no CLINICAL CASE SUMMARY section, or an empty one."""

    code = "IMR-E605"


class NoDisputedItemsError(LetterError):
    """Raised when a letter lists no disputed item (no issues section, no DISPUTED ITEMS)."""

    code = "IMR-E606"


__all__ += [
    "EmptyFileError",
    "LetterError",
    "NoClinicalSummaryError",
    "NoDisputedItemsError",
    "NoTextLayerError",
    "NotALetterError",
]
