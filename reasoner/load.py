"""Files to graphs: every parse or decoding failure becomes an InputFileError at path:line:col."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import InputFileError, Location
from .vocab import PREFIXES

__all__ = [
    "PROJECT_ROOT",
    "bind_prefixes",
    "parse_turtle",
    "read_text",
    "turtle_files",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_LETTERS = PROJECT_ROOT / "data" / "letters" / "dev"
"""The 124 published development letters (text, facts-only excerpts, PDFs, labels.jsonl), public
records copied from ../shared/letters so that tests and benchmarks run on a bare clone."""


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project prefixes so serialisations and messages print CURIEs."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def read_text(path: Path) -> str:
    """Read a UTF-8 file, naming the line and column of the first undecodable byte.

    Raises
    ------
    InputFileError
        When the file is missing, unreadable or not UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(
            "file not found", where=Location(path), hint="check the path (it is read as given)"
        ) from None
    except OSError as exc:
        raise InputFileError(
            f"cannot read file: {exc.strerror}", where=Location(path), hint="check permissions"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputFileError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x})",
            where=Location(path, line, column),
            hint="re-save the file as UTF-8",
        ) from None


def parse_turtle(path: Path, *, into: Graph | None = None) -> Graph:
    """Parse one Turtle file into `into` (or a new graph), translating rdflib's syntax errors.

    rdflib counts lines from 0 and prints byte strings; the user gets 1-based line and column.

    Raises
    ------
    InputFileError
        When the file cannot be read or is not valid Turtle.
    """
    text = read_text(path)
    graph = into if into is not None else bind_prefixes(Graph())
    try:
        with _quiet_rdflib_terms():
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line, column = _bad_syntax_position(exc)
        raise InputFileError(
            f"invalid Turtle: {exc._why}",
            where=Location(path, line, column),
            hint="fix the statement at or just before this position",
        ) from None
    except Exception as exc:  # rdflib raises bare Exceptions for some lexical errors
        raise InputFileError(
            f"invalid Turtle: {exc}", where=Location(path), hint="fix the syntax error"
        ) from None
    return graph


def scheme_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """The SKOS scheme files: `ontology/schemes.ttl` and any `ontology/schemes-*.ttl` beside it
    (one per region or topic, so that adding a region never edits a shared file)."""
    return sorted((root / "ontology").glob("schemes*.ttl"))


def turtle_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their *.ttl files (sorted), keeping files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.ttl")))
        else:
            found.append(path)
    return found


def _bad_syntax_position(exc: BadSyntax) -> tuple[int, int | None]:
    text: bytes | str = getattr(exc, "_str", b"")
    index: int = getattr(exc, "_i", 0)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if index < 0:  # rdflib reports -1 at end of input: point at the last line with text
        return text.rstrip().count("\n") + 1, None
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


@contextmanager
def _quiet_rdflib_terms() -> Iterator[None]:
    """rdflib logs a traceback for an ill-typed literal such as "2014-13-45"^^xsd:date while
    parsing; the case builder reports that date with its field, so the log is noise (and would
    put case data on stderr)."""
    logger = logging.getLogger("rdflib.term")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)
