"""Criterion statuses per request: pyshacl per case graph (reference) or the set evaluator (bulk).

Both engines answer one question per node shape, "which requests conform?"; the four statuses
follow from the answers in one shared function, so the engines can only differ on conformance,
which the differential tests compare.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from .criteria import Criterion, read_catalogue
from .knowledge import Knowledge
from .shapes import ShapeEvaluator
from .store import GraphBackend, to_term
from .vocab import SH

__all__ = [
    "MET",
    "NOT_APPLICABLE",
    "NOT_DOCUMENTED",
    "NOT_MET",
    "Conformance",
    "Evaluation",
    "evaluate_criteria",
    "evaluator_conformance",
    "reference_conformance",
]

MET, NOT_MET, NOT_DOCUMENTED, NOT_APPLICABLE = "met", "not met", "not documented", "not applicable"

Conformance = Callable[[str, set[str]], set[str]]
"""(node shape IRI, request IRIs) -> the requests that conform to the shape."""


@dataclass(frozen=True)
class Evaluation:
    """One criterion for one request: its status and, when not met, what the record lacks."""

    request: str
    criterion: str
    status: str
    unmet: tuple[str, ...]  # sh:message of each failing property shape, sorted


def evaluate_criteria(
    criteria: Sequence[Criterion], requests: Iterable[str], shapes: Graph, conforms: Conformance
) -> list[Evaluation]:
    """Evaluate every criterion for every request, status by status.

    Not applicable when the applicability shape fails; met when the criterion shape holds;
    not met when the documentation shape holds (or there is none); else not documented.
    """
    targets = set(requests)
    results: list[Evaluation] = []
    for criterion in criteria:
        applicable = (
            conforms(criterion.applicability, targets) if criterion.applicability else targets
        )
        met = conforms(criterion.iri, applicable)
        rest = applicable - met
        documented = conforms(criterion.documentation, rest) if criterion.documentation else rest
        failing = _failing_messages(shapes, criterion.iri, rest, conforms)
        for request in sorted(targets):
            if request not in applicable:
                status = NOT_APPLICABLE
            elif request in met:
                status = MET
            elif request in documented:
                status = NOT_MET
            else:
                status = NOT_DOCUMENTED
            unmet = (
                tuple(sorted(failing.get(request, ())))
                if status in (NOT_MET, NOT_DOCUMENTED)
                else ()
            )
            results.append(Evaluation(request, criterion.iri, status, unmet))
    return results


def evaluator_conformance(evaluator: ShapeEvaluator) -> Conformance:
    """Conformance answered by the set-oriented evaluator (bulk engine, or one case)."""

    def conforms(shape: str, requests: set[str]) -> set[str]:
        return {str(n) for n in evaluator.conforming(URIRef(shape), requests)}

    return conforms


def reference_conformance(graph: Graph, knowledge: Knowledge) -> Conformance:
    """Conformance read off pyshacl validations of a self-contained case graph.

    A request fails a node shape when a result names it as focus node with the node shape, or
    one of its property shapes, as source. pyshacl validates every targeted shape it is given,
    so it is given one decision rule's shapes at a time (or the rule-selection guards), when
    the first question about one of them is asked: a case is validated against the rules its
    requests fall under, not against every region's criteria. The graph must already carry the
    derived relations (rules.run_rules_on_graph).
    """
    index, bundles = _bundles(knowledge)
    answered: dict[int, Conformance] = {}

    def conforms(shape: str, requests: set[str]) -> set[str]:
        bundle = index.get(shape, -1)
        if bundle not in answered:
            shapes = bundles[bundle] if bundle >= 0 else knowledge.shapes
            answered[bundle] = report_conformance(_report(graph, shapes), knowledge)
        return answered[bundle](shape, requests)

    return conforms


@cache
def _bundles(knowledge: Knowledge) -> tuple[dict[str, int], tuple[Graph, ...]]:
    """The shapes pyshacl needs per decision rule (its criteria with their applicability and
    documentation shapes), and one bundle of rule-selection guards; each shape (and each of its
    property shapes) maps to the first bundle holding it."""
    catalogue = read_catalogue(knowledge)
    starts: list[list[str]] = []
    for rule in catalogue.rules.values():
        nodes = []
        for criterion in catalogue.criteria_of(rule):
            nodes += [criterion.iri, criterion.applicability, criterion.documentation]
        starts.append([n for n in nodes if n])
    starts.append(sorted({r.selected_when for r in catalogue.rules.values() if r.selected_when}))
    index: dict[str, int] = {}
    bundles = []
    for number, nodes in enumerate(starts):
        bundles.append(_closure(knowledge.shapes, nodes))
        for node in nodes:
            index.setdefault(node, number)
            for prop in knowledge.shapes.objects(URIRef(node), SH.property):
                index.setdefault(str(prop), number)
    return index, tuple(bundles)


def _closure(shapes: Graph, nodes: Sequence[str]) -> Graph:
    """The triples of `nodes` and of every blank node or shape they reach."""
    out = Graph()
    stack: list[Node] = [URIRef(n) for n in nodes]
    seen: set[Node] = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, BNode) or (isinstance(o, URIRef) and (o, None, None) in shapes):
                stack.append(o)
    return out


def _report(graph: Graph, shapes: Graph) -> Graph:
    _, report, _ = pyshacl_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        inplace=True,
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
    )
    return report  # type: ignore[no-any-return]


def reference_report(graph: Graph, knowledge: Knowledge) -> Graph:
    """pyshacl's validation report of all the criteria shapes over one case graph."""
    return _report(graph, knowledge.shapes)


def report_conformance(report: Graph, knowledge: Knowledge) -> Conformance:
    """Conformance as a pyshacl report states it (absence of results = conforms)."""
    owner = _property_owners(knowledge.shapes)
    failing: dict[str, set[str]] = defaultdict(set)
    for result in report.subjects(SH.focusNode, None):
        focus = report.value(result, SH.focusNode)
        source = report.value(result, SH.sourceShape)
        if focus is None or source is None:
            continue
        node_shape = owner.get(source, source)
        failing[str(node_shape)].add(str(to_term(focus)))
        failing[str(source)].add(str(to_term(focus)))

    def conforms(shape: str, requests: set[str]) -> set[str]:
        return {r for r in requests if r not in failing.get(shape, ())}

    return conforms


def reference_evaluator(graph: Graph, knowledge: Knowledge) -> ShapeEvaluator:
    """A set evaluator over one case graph, used for evidence and per-property messages."""
    return ShapeEvaluator(knowledge.shapes, GraphBackend(graph))


def _failing_messages(
    shapes: Graph, criterion: str, requests: set[str], conforms: Conformance
) -> dict[str, list[str]]:
    messages: dict[str, list[str]] = defaultdict(list)
    if not requests:
        return messages
    for prop in shapes.objects(URIRef(criterion), SH.property):
        if not isinstance(prop, URIRef):
            continue
        ok = conforms(str(prop), requests)
        message = shapes.value(prop, SH.message)
        for request in requests - ok:
            messages[request].append(str(message) if message else str(prop))
    return messages


def _property_owners(shapes: Graph) -> dict[Node, Node]:
    return {prop: node for node, prop in shapes.subject_objects(SH.property)}


__all__ += ["reference_evaluator", "reference_report", "report_conformance"]
