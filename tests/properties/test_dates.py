"""Date properties of the reference pipeline, over the seed and the golden variants.

1. Criteria compare dates only with each other, so shifting every date of a case by the same
   number of days changes no status and no outcome, as long as the request stays inside the
   validity interval of the guideline edition chosen for it (which edition governs is, by design,
   a question of the calendar date) and every date stays in the past.
2. The repeat-imaging gate counts only what is documented strictly after the latest prior study of
   the region: a new or worsened observation dated on or before that day never meets
   crit:RepeatImagingAfterSignificantChange; the same observation dated a day or more later (and
   no later than the request) does.
3. Two runs on the same input give isomorphic justification graphs.

Each example runs pyshacl on one small case graph, hence few examples and no deadline.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic

from reasoner.build import build_case
from reasoner.justify import RequestResult
from reasoner.knowledge import load_knowledge
from reasoner.load import PROJECT_ROOT, parse_turtle
from reasoner.pipeline import CaseResult, determine_case
from reasoner.vocab import IMR, RDF

CASES = (
    PROJECT_ROOT / "data" / "cases" / "seed-cervical-ct.ttl",
    *sorted((PROJECT_ROOT / "data" / "cases" / "variants").glob("*.ttl")),
)
REPEAT = "https://w3id.org/imrkg/criteria/RepeatImagingAfterSignificantChange"
DATE_PROPERTIES = (IMR.date, IMR.onsetDate, IMR.startDate, IMR.endDate)
# Spelled out: a module-level rdflib XSD makes pytest's probing of test-module globals warn.
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

FAST = settings(max_examples=50, derandomize=True, deadline=None, database=None)


# ---------------------------------------------------------------- running a case


@cache
def _asserted(path: Path) -> Graph:
    """The case file's triples, parsed once; never mutated (every edit works on a copy)."""
    return parse_turtle(path)


def _determine(asserted: Graph, path: Path) -> CaseResult:
    case = asserted.value(predicate=RDF.type, object=IMR.Case)
    assert isinstance(case, URIRef)
    return determine_case(
        build_case(asserted, case, load_knowledge(), source=path), load_knowledge()
    )


def _only_request(result: CaseResult) -> RequestResult:
    [request] = result.results
    assert request.decision is not None, request.selection.reason
    return request


def _statuses(request: RequestResult) -> dict[str, str]:
    return {e.criterion: e.status for e in request.evaluations}


@cache
def _baseline(path: Path) -> RequestResult:
    return _only_request(_determine(_asserted(path), path))


# ---------------------------------------------------------------- editing dates


def shift_dates(graph: Graph, days: int) -> Graph:
    """A copy of the case with every imr:date, imr:onsetDate, imr:startDate and imr:endDate moved
    by `days`."""
    shifted = Graph()
    delta = dt.timedelta(days=days)
    for s, p, o in graph:
        if p in DATE_PROPERTIES and isinstance(o, Literal) and o.datatype == XSD_DATE:
            o = Literal(o.value + delta, datatype=XSD_DATE)
        shifted.add((s, p, o))
    return shifted


def _dates(graph: Graph) -> list[dt.date]:
    return [
        o.value
        for p in DATE_PROPERTIES
        for o in graph.objects(None, p)
        if isinstance(o, Literal) and o.datatype == XSD_DATE
    ]


@cache
def _shift_bounds(path: Path) -> tuple[int, int]:
    """Shifts (in days) that keep the request inside its edition's validity interval and every
    date of the case in the past."""
    request = _baseline(path)
    guidelines = load_knowledge().guidelines
    edition = URIRef(request.selection.edition or "")
    valid_from = guidelines.value(edition, IMR.validFrom)
    valid_until = guidelines.value(edition, IMR.validUntil)
    assert isinstance(valid_from, Literal) and request.request.date is not None
    latest = dt.date.today() - dt.timedelta(days=1)
    if isinstance(valid_until, Literal):
        latest = min(latest, valid_until.value - dt.timedelta(days=1))
    low = (valid_from.value - request.request.date).days
    high = min(
        (latest - request.request.date).days, (dt.date.today() - max(_dates(_asserted(path)))).days
    )
    assert low <= 0 <= high
    return low, high


@st.composite
def shifted_cases(draw: st.DrawFn) -> tuple[Path, int]:
    path = draw(st.sampled_from(CASES))
    low, high = _shift_bounds(path)
    return path, draw(st.integers(low, high))


# ---------------------------------------------------------------- property 1


@FAST
@given(shifted_cases())
def test_shifting_every_date_changes_no_status_and_no_outcome(case: tuple[Path, int]) -> None:
    path, days = case
    before = _baseline(path)
    after = _only_request(_determine(shift_dates(_asserted(path), days), path))
    assert _statuses(after) == _statuses(before)
    assert after.outcome == before.outcome


def test_shift_dates_moves_every_date_and_nothing_else() -> None:
    graph = _asserted(CASES[0])
    shifted = shift_dates(graph, -10)
    assert len(shifted) == len(graph)
    assert sorted(_dates(shifted)) == [d - dt.timedelta(days=10) for d in sorted(_dates(graph))]


# ---------------------------------------------------------------- property 2


@cache
def _repeat_bases() -> tuple[Path, ...]:
    """Cases with a prior study of the region and no change after it (repeat gate not met)."""
    return tuple(p for p in CASES if _statuses(_baseline(p)).get(REPEAT) == "not met")


OBSERVATION_CLASSES = (IMR.Symptom, IMR.ExaminationFinding, IMR.NeurologicFinding)
FINDINGS = tuple(
    URIRef(f"https://w3id.org/imrkg/scheme/finding/{name}")
    for name in ("Weakness", "Numbness", "RadiatingPain", "ReflexChange")
)


def _latest_prior_study(graph: Graph, request: RequestResult) -> dt.date:
    """The last day the requested region was imaged before the request, read off the case file."""
    regions = {URIRef(r) for r in request.request.regions}
    days = [
        d.value
        for study in graph.subjects(RDF.type, IMR.ImagingStudy)
        if set(graph.objects(study, IMR.bodyRegion)) & regions
        for d in graph.objects(study, IMR.date)
        if request.request.date is not None and d.value < request.request.date
    ]
    return max(days)


def _with_observation(
    path: Path, cls: URIRef, status: URIRef, finding: URIRef, day: dt.date
) -> Graph:
    graph = Graph()
    for triple in _asserted(path):
        graph.add(triple)
    case = graph.value(predicate=RDF.type, object=IMR.Case)
    request = _baseline(path)
    fact = URIRef(str(case).rsplit("/", 1)[0] + "/drawn-change")
    graph.add((case, IMR.hasFact, fact))
    graph.add((fact, RDF.type, cls))
    graph.add((fact, IMR.description, Literal("drawn change (property test)")))
    graph.add((fact, IMR.findingType, finding))
    graph.add((fact, IMR.clinicalStatus, status))
    graph.add((fact, IMR.presence, IMR.Present))
    graph.add((fact, IMR.bodyRegion, URIRef(request.request.regions[0])))
    graph.add((fact, IMR.date, Literal(day, datatype=XSD_DATE)))
    return graph


@st.composite
def changes(draw: st.DrawFn) -> tuple[Path, URIRef, URIRef, URIRef, int, int]:
    path = draw(st.sampled_from(_repeat_bases()))
    request = _baseline(path)
    latest = _latest_prior_study(_asserted(path), request)
    assert request.request.date is not None
    room_after = (request.request.date - latest).days
    earliest = min(_dates(_asserted(path)))
    return (
        path,
        draw(st.sampled_from(OBSERVATION_CLASSES)),
        draw(st.sampled_from((IMR.New, IMR.Worsened))),
        draw(st.sampled_from(FINDINGS)),
        draw(st.integers(0, (latest - earliest).days)),  # days before the latest study
        draw(st.integers(1, room_after)),  # days after it, up to the request
    )


def test_repeat_bases_have_room_after_the_latest_study() -> None:
    assert _repeat_bases(), "no case with a prior study and no change after it"
    for path in _repeat_bases():
        request = _baseline(path)
        assert request.request.date is not None
        assert _latest_prior_study(_asserted(path), request) < request.request.date


@FAST
@given(changes())
def test_a_change_counts_only_after_the_latest_prior_study(
    change: tuple[Path, URIRef, URIRef, URIRef, int, int],
) -> None:
    path, cls, status, finding, before, after = change
    latest = _latest_prior_study(_asserted(path), _baseline(path))
    on_or_before = _with_observation(path, cls, status, finding, latest - dt.timedelta(before))
    later = _with_observation(path, cls, status, finding, latest + dt.timedelta(after))
    assert _statuses(_only_request(_determine(on_or_before, path)))[REPEAT] == "not met"
    assert _statuses(_only_request(_determine(later, path)))[REPEAT] == "met"


# ---------------------------------------------------------------- property 3


@FAST
@given(shifted_cases())
def test_two_runs_give_isomorphic_justifications(case: tuple[Path, int]) -> None:
    path, days = case
    first = _determine(shift_dates(parse_turtle(path), days), path).justification
    second = _determine(shift_dates(parse_turtle(path), days), path).justification
    assert to_isomorphic(first) == to_isomorphic(second)
