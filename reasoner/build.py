"""Case files to self-contained case graphs: day numbers, type closure, background knowledge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import (
    BadDateError,
    Location,
    MissingFieldError,
    NoCaseError,
    RequestBeforeInjuryError,
)
from .knowledge import Knowledge
from .load import bind_prefixes, parse_turtle
from .vocab import IMR, RDF, XSD, curie

__all__ = [
    "CaseGraph",
    "TripleSink",
    "build_case",
    "day_number",
    "derive_case",
    "read_case_file",
]

_EPOCH = dt.date(1970, 1, 1).toordinal()
_DATE_PROPERTIES = (
    IMR.date,
    IMR.onsetDate,
    IMR.startDate,
    IMR.endDate,
    IMR.urDecisionDate,
    IMR.decisionDate,
)
_DAY_NUMBERS = {IMR.date: IMR.dayNumber, IMR.onsetDate: IMR.onsetDayNumber}
"""The dates criteria compare, and the integer day number each gets."""


@dataclass(frozen=True)
class CaseGraph:
    """One case ready for evaluation: its own facts plus what the criteria need to read them."""

    source: Path
    case: str
    requests: tuple[str, ...]  # in the order the letter lists the disputed items
    asserted: Graph  # the case file's triples, untouched
    graph: Graph  # asserted + derived day numbers and types + background


def day_number(value: dt.date) -> int:
    """Days since 1970-01-01: criteria compare these integers, never xsd:date arithmetic.

    Examples
    --------
    >>> day_number(dt.date(1970, 1, 2))
    1
    >>> day_number(dt.date(2014, 8, 27)) - day_number(dt.date(2014, 8, 13))
    14
    """
    return value.toordinal() - _EPOCH


def read_case_file(
    path: Path, knowledge: Knowledge, *, today: dt.date | None = None
) -> list[CaseGraph]:
    """Parse a Turtle case file and build each imr:Case in it.

    Raises
    ------
    InputFileError
        When the file is missing or not valid Turtle.
    NoCaseError
        When the file holds no imr:Case (IMR-E206).
    MissingFieldError
        When a case has no disputed request (IMR-E202).
    BadDateError
        When a date is not a valid xsd:date or lies in the future (IMR-E204).
    RequestBeforeInjuryError
        When a request is dated before the original injury (IMR-E205).
    """
    asserted = parse_turtle(path)
    cases = sorted({str(c) for c in asserted.subjects(RDF.type, IMR.Case)})
    if not cases:
        raise NoCaseError(
            "no imr:Case in this file",
            where=Location(path),
            hint="declare the case node with 'a imr:Case'",
        )
    return [build_case(asserted, URIRef(c), knowledge, source=path, today=today) for c in cases]


def build_case(
    asserted: Graph,
    case: URIRef,
    knowledge: Knowledge,
    *,
    source: Path,
    today: dt.date | None = None,
) -> CaseGraph:
    """Derive what every engine needs from the asserted case, in one graph per case."""
    graph = bind_prefixes(Graph())
    for triple in asserted:
        graph.add(triple)
    for triple in knowledge.background:
        graph.add(triple)
    requests = derive_case(graph, asserted, case, knowledge, source=source, today=today)
    return CaseGraph(
        source=source, case=str(case), requests=tuple(requests), asserted=asserted, graph=graph
    )


class TripleSink(Protocol):
    """Where derived triples go: an rdflib Graph, or the bulk engine's lighter list."""

    def add(self, triple: tuple[Node, Node, Node]) -> object: ...

    def value(self, subject: Node, predicate: Node) -> Node | None: ...


def derive_case(
    sink: TripleSink,
    asserted: Graph,
    case: URIRef,
    knowledge: Knowledge,
    *,
    source: Path,
    today: dt.date | None = None,
) -> list[str]:
    """Add what every engine derives from an asserted case (request-to-case links, day numbers,
    durations, the type closure) to `sink`, check its dates, and return its requests in order.

    Raises
    ------
    MissingFieldError, BadDateError, RequestBeforeInjuryError
        As `read_case_file`.
    """
    requests = _requests(asserted, case, source)
    for request in requests:
        sink.add((URIRef(request), IMR.forCase, case))
    target = cast(Graph, sink)  # the helpers call only .add and .value
    _add_day_numbers(target, asserted, source, today or dt.date.today())
    _add_durations(target, asserted)
    _add_types(target, asserted, knowledge)
    _check_request_after_injury(target, case, requests, source)
    return requests


def _requests(asserted: Graph, case: URIRef, source: Path) -> list[str]:
    found = set(asserted.objects(case, IMR.hasRequest)) | set(asserted.subjects(IMR.forCase, case))
    if not found:
        raise MissingFieldError(
            f"{curie(str(case))} has no disputed request",
            where=Location(source, field="imr:hasRequest"),
            hint="link each disputed item with imr:hasRequest",
        )

    def order(request: Node) -> tuple[int, str]:
        index = asserted.value(request, IMR.itemIndex)
        return (
            int(index) if isinstance(index, Literal) and index.value is not None else 1 << 30,
            str(request),
        )

    return [str(r) for r in sorted(found, key=order)]


def _add_day_numbers(graph: Graph, asserted: Graph, source: Path, today: dt.date) -> None:
    for prop in _DATE_PROPERTIES:
        for subject, value in asserted.subject_objects(prop):
            date = _as_date(value, subject, prop, source)
            if date > today:
                raise BadDateError(
                    f"{curie(str(subject))} {curie(str(prop))} {date.isoformat()} is in the future",
                    where=Location(source, field=curie(str(prop))),
                    hint="check the date; facts cannot be dated after today",
                )
            if prop in _DAY_NUMBERS:
                graph.add((subject, _DAY_NUMBERS[prop], Literal(day_number(date))))


def _add_durations(graph: Graph, asserted: Graph) -> None:
    for subject, start in asserted.subject_objects(IMR.startDate):
        end = asserted.value(subject, IMR.endDate)
        if end is None or asserted.value(subject, IMR.durationDays) is not None:
            continue
        if isinstance(start.value if isinstance(start, Literal) else None, dt.date) and isinstance(
            end.value if isinstance(end, Literal) else None, dt.date
        ):
            days = day_number(end.value) - day_number(start.value)  # type: ignore[union-attr]
            graph.add((subject, IMR.durationDays, Literal(days)))
        if asserted.value(subject, IMR.date) is None:
            graph.add((subject, IMR.dayNumber, Literal(day_number(start.value))))  # type: ignore[union-attr]


def _add_types(graph: Graph, asserted: Graph, knowledge: Knowledge) -> None:
    for subject, cls in list(asserted.subject_objects(RDF.type)):
        for superclass in knowledge.superclasses.get(cls, ()):
            graph.add((subject, RDF.type, superclass))


def _check_request_after_injury(
    graph: Graph, case: URIRef, requests: list[str], source: Path
) -> None:
    injury = graph.value(case, IMR.originalInjury)
    injury_day = graph.value(injury, IMR.dayNumber) if injury is not None else None
    if injury_day is None:
        return
    for request in requests:
        request_day = graph.value(URIRef(request), IMR.dayNumber)
        if request_day is not None and int(request_day) < int(injury_day):
            raise RequestBeforeInjuryError(
                f"{curie(request)} is dated before the injury it concerns",
                where=Location(source, field="imr:date"),
                hint="check the request date and the date of injury",
            )


def _as_date(value: Node, subject: Node, prop: URIRef, source: Path) -> dt.date:
    if (
        isinstance(value, Literal)
        and value.datatype == XSD.date
        and isinstance(value.value, dt.date)
    ):
        return value.value
    raise BadDateError(
        f"{curie(str(subject))} {curie(str(prop))} is {value.n3()!s}, not an ISO date",
        where=Location(source, field=curie(str(prop))),
        hint='write dates as "YYYY-MM-DD"^^xsd:date',
    )
