"""One case end to end with the reference engine: rules, pyshacl, evidence, decision, proof."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .build import CaseGraph
from .criteria import Catalogue, read_catalogue
from .decide import decide
from .evidence import collect_evidence, collect_preconditions, derived_links
from .guidelines import RequestInfo, Selection, select_rule
from .justify import RequestResult, describe_with_links, justification_triples
from .knowledge import Knowledge
from .load import bind_prefixes
from .rules import run_rules_on_graph
from .validate import (
    Conformance,
    evaluate_criteria,
    evaluator_conformance,
    reference_conformance,
    reference_evaluator,
)
from .vocab import IMR

__all__ = [
    "REQUEST_FIELDS",
    "CaseResult",
    "decide_requests",
    "determine_case",
    "read_request_info",
    "request_info",
]

REQUEST_FIELDS = (
    IMR.itemIndex,
    IMR.serviceText,
    IMR.serviceCategory,
    IMR.modality,
    IMR.bodyRegion,
    IMR.date,
    IMR.urDecisionDate,
    IMR.serviceDate,
)
"""The request properties `request_info` reads (the bulk engine fetches them in one query)."""


@dataclass(frozen=True)
class CaseResult:
    """All determinations of one case, in the order its items are listed, and their graph."""

    source: str
    case: str
    results: tuple[RequestResult, ...]
    justification: Graph

    @property
    def case_outcome(self) -> str | None:
        """The letter-level outcome derived from the items, as IMR letters state it: Upheld
        when every item is upheld, Overturned when every item is, else Partially overturned;
        None when some item was not evaluated (its outcome is unknown, so the case's is too).

        Examples
        --------
        >>> CaseResult("", "", (), Graph()).case_outcome is None
        True
        """
        outcomes = {r.outcome for r in self.results}
        if not outcomes or "Not evaluated" in outcomes:
            return None
        return outcomes.pop() if len(outcomes) == 1 else "Partially overturned"


def determine_case(
    case: CaseGraph,
    knowledge: Knowledge,
    *,
    engine: str = "reference",
    date_basis: str = "request",
) -> CaseResult:
    """Decide every disputed request of one case.

    `engine="reference"` takes conformance from pyshacl; `engine="sets"` from the set-oriented
    evaluator over the same case graph (what the bulk engine runs over a whole batch).
    `date_basis` (a key of guidelines.DATE_BASES) is the date the edition is chosen by.
    """
    catalogue = read_catalogue(knowledge)
    graph = case.graph
    run_rules_on_graph(knowledge, graph)
    evaluator = reference_evaluator(graph, knowledge)
    conforms: Conformance = (
        reference_conformance(graph, knowledge)
        if engine == "reference"
        else evaluator_conformance(evaluator)
    )
    infos = [read_request_info(graph, r) for r in case.requests]
    results = decide_requests(
        knowledge,
        catalogue,
        infos,
        conforms,
        evaluator,
        source=str(case.source),
        case=case.case,
        engine=engine,
        date_basis=date_basis,
    )
    justification = bind_prefixes(Graph())
    describe_case = describe_with_links(_describer(case.asserted), derived_links(evaluator))
    describe_knowledge = _describer(knowledge.everything)
    for result in results:
        for triple in justification_triples(result, catalogue, describe_case, describe_knowledge):
            justification.add(triple)
    return CaseResult(str(case.source), case.case, tuple(results), justification)


def decide_requests(
    knowledge: Knowledge,
    catalogue: Catalogue,
    infos: Iterable[RequestInfo],
    conforms: Conformance,
    evaluator: object,
    *,
    source: str,
    case: str,
    engine: str,
    owners: Mapping[str, tuple[str, str]] | None = None,
    date_basis: str = "request",
) -> list[RequestResult]:
    """Select, evaluate, collect evidence and decide for a set of requests sharing one store.

    Requests are grouped by decision rule so each criterion is evaluated once per group. A batch
    of many cases passes `owners` (request IRI -> (source, case)); otherwise every request
    belongs to `source` and `case`.
    """
    infos = list(infos)
    selections = _select_all(knowledge, catalogue, infos, date_basis, conforms)
    by_rule: dict[str, list[str]] = defaultdict(list)
    for info in infos:
        rule = selections[info.iri].rule
        if rule is not None:
            by_rule[rule.iri].append(info.iri)
    evaluations: dict[str, list] = defaultdict(list)
    evidence: dict[tuple[str, str], tuple[str, ...]] = {}
    preconditions: dict[tuple[str, str], tuple[str, ...]] = {}
    for rule_iri, requests in by_rule.items():
        criteria = catalogue.criteria_of(catalogue.rules[rule_iri])
        found = evaluate_criteria(criteria, requests, knowledge.shapes, conforms)
        for evaluation in found:
            evaluations[evaluation.request].append(evaluation)
        evidence.update(collect_evidence(evaluator, criteria, found))  # type: ignore[arg-type]
        preconditions.update(collect_preconditions(evaluator, criteria, found))  # type: ignore[arg-type]
    results = []
    for info in infos:
        selection = selections[info.iri]
        owner = owners[info.iri] if owners is not None else (source, case)
        if selection.rule is None:
            results.append(RequestResult(*owner, info, selection, engine=engine))
            continue
        found = evaluations[info.iri]
        statuses = {e.criterion: e.status for e in found}
        groups = [
            (g, catalogue.groups[g].combination, catalogue.groups[g].members)
            for g in selection.rule.groups
        ]
        results.append(
            RequestResult(
                *owner,
                info,
                selection,
                tuple(found),
                {e.criterion: evidence.get((info.iri, e.criterion), ()) for e in found},
                decide(groups, statuses),
                engine,
                {
                    e.criterion: preconditions[(info.iri, e.criterion)]
                    for e in found
                    if preconditions.get((info.iri, e.criterion))
                },
            )
        )
    return results


def _select_all(
    knowledge: Knowledge,
    catalogue: Catalogue,
    infos: list[RequestInfo],
    date_basis: str,
    conforms: Conformance,
) -> dict[str, Selection]:
    """select_rule once per distinct request description (date, regions, category, modality,
    rule guards held): in a batch many requests share one."""
    held = guards_held(catalogue, conforms, infos)
    memo: dict[tuple[RequestInfo, frozenset[str]], Selection] = {}
    selections = {}
    for info in infos:
        key = (dataclasses.replace(info, iri="", item_index=0, service_text=""), held[info.iri])
        if key not in memo:
            memo[key] = select_rule(knowledge, catalogue, info, date_basis, held[info.iri])
        selections[info.iri] = memo[key]
    return selections


def guards_held(
    catalogue: Catalogue, conforms: Conformance, infos: Sequence[RequestInfo]
) -> dict[str, frozenset[str]]:
    """For each request, the imr:selectedWhen shapes it conforms to, asked only of the requests
    whose category a rule guarded by that shape decides (each shape evaluated once over them;
    for the reference engine a case without such a request costs no pyshacl run)."""
    categories: dict[str, set[str | None]] = defaultdict(set)
    for rule in catalogue.rules.values():
        if rule.selected_when:
            categories[rule.selected_when].add(rule.category)
    passing = {
        shape: conforms(shape, asked)
        if (asked := {i.iri for i in infos if i.category in cats})
        else set()
        for shape, cats in sorted(categories.items())
    }
    return {i.iri: frozenset(s for s, ok in passing.items() if i.iri in ok) for i in infos}


def read_request_info(graph: Graph, request: str) -> RequestInfo:
    """The fields of one request that selection and reports need, from its case graph."""
    node = URIRef(request)
    return request_info(request, {p: list(graph.objects(node, p)) for p in REQUEST_FIELDS})


def request_info(request: str, values: Mapping[Node, Sequence[Node]]) -> RequestInfo:
    """A RequestInfo from the request's values of each of REQUEST_FIELDS (missing = none).

    Examples
    --------
    >>> day = Literal(dt.date(2014, 8, 27))
    >>> info = request_info("urn:r", {IMR.itemIndex: [Literal(1)], IMR.date: [day]})
    >>> info.item_index, info.date, info.category, info.regions
    (1, datetime.date(2014, 8, 27), None, ())
    """

    def first(prop: Node) -> Node | None:
        found = values.get(prop, ())
        return found[0] if found else None

    index = first(IMR.itemIndex)
    return RequestInfo(
        iri=request,
        item_index=int(index) if isinstance(index, Literal) else 0,
        service_text=str(first(IMR.serviceText) or ""),
        category=_iri(first(IMR.serviceCategory)),
        modality=_iri(first(IMR.modality)),
        regions=tuple(sorted(str(r) for r in values.get(IMR.bodyRegion, ()))),
        date=_date(first(IMR.date)),
        ur_date=_date(first(IMR.urDecisionDate)),
        service_date=_date(first(IMR.serviceDate)),
    )


def _date(node: Node | None) -> dt.date | None:
    return node.value if isinstance(node, Literal) and isinstance(node.value, dt.date) else None


def _iri(node: Node | None) -> str | None:
    return str(node) if isinstance(node, URIRef) else None


def _describer(graph: Graph):  # type: ignore[no-untyped-def]
    def describe(subject: str) -> list[tuple[Node, Node]]:
        return list(graph.predicate_objects(URIRef(subject)))

    return describe
