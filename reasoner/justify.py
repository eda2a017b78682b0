"""Determination + evaluations + evidence -> a PROV-O justification graph, IRIs from the input.

The chain a reader (or `explain`) follows:

    determination -prov:wasGeneratedBy-> decision -prov:wasInformedBy-> evaluation
    evaluation -imr:evaluates-> criterion -dcterms:source-> page range -imr:partOf-> chapter
    evaluation, determination -imr:cites-> the sources in force on the date (MTUS first)
    evaluation -prov:used-> fact -prov:hadPrimarySource-> letter segment -oa:hasSelector-> offsets

Output is deterministic: no blank nodes, no UUIDs, no timestamps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from . import __version__
from .criteria import Catalogue
from .decide import Decision
from .guidelines import DATE_BASES, RequestInfo, Selection
from .validate import Evaluation
from .vocab import BASE, Resolved
from .vocab import DCTERMS as _DCTERMS
from .vocab import IMR as _IMR
from .vocab import OA as _OA
from .vocab import PROV as _PROV
from .vocab import RDF as _RDF
from .vocab import RDFS as _RDFS

__all__ = ["SOFTWARE", "RequestResult", "Triple", "describe_with_links", "justification_triples"]

Triple = tuple[Node, Node, Node]
Describe = Callable[[str], Iterable[tuple[Node, Node]]]
"""Subject IRI -> its (predicate, object) pairs in the asserted case data."""

IMR, PROV, RDF, RDFS, OA, DCTERMS = map(Resolved, (_IMR, _PROV, _RDF, _RDFS, _OA, _DCTERMS))
SOFTWARE = URIRef(BASE + "software/imrkg")

_term = lru_cache(maxsize=1 << 16)(URIRef)
"""IRIs of the knowledge side (criteria, groups, pages, rules) recur in every justification:
build each once. Case IRIs are unique and are built directly."""
_literal = lru_cache(maxsize=1 << 16)(Literal)
"""Booleans, engine names and unmet-requirement messages recur likewise; creating an rdflib
Literal (type casting and validation) is the single largest cost of the bulk justify stage."""
_STATUS = {
    "met": IMR.Met,
    "not met": IMR.NotMet,
    "not documented": IMR.NotDocumented,
    "not applicable": IMR.NotApplicable,
}
_OUTCOME = {"Upheld": IMR.Upheld, "Overturned": IMR.Overturned, "Not evaluated": IMR.NotEvaluated}
_FOLLOW = frozenset(
    (
        PROV.hadPrimarySource,
        OA.hasSelector,
        OA.hasSource,
        IMR.partOf,
        IMR.sourceConflict,
        IMR.conflictingSource,
        IMR.choiceRule,
    )
)
_SKIP = frozenset((IMR.hasFact, IMR.hasRequest, IMR.worker, IMR.originalInjury))


@dataclass(frozen=True)
class RequestResult:
    """Everything decided about one disputed request."""

    source: str
    case: str
    request: RequestInfo
    selection: Selection
    evaluations: tuple[Evaluation, ...] = ()
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)  # criterion -> facts
    decision: Decision | None = None
    engine: str = "reference"
    preconditions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # criterion -> facts

    @property
    def outcome(self) -> str:
        """Upheld, Overturned, or Not evaluated when no rule applies."""
        return self.decision.outcome if self.decision else "Not evaluated"

    @cached_property
    def determination_iri(self) -> URIRef:
        return URIRef(self.request.iri + "/determination")

    def evaluation_iri(self, criterion: str) -> URIRef:
        return URIRef(f"{self.request.iri}/evaluation/{_local(criterion)}")


def describe_with_links(
    describe: Describe, links: Mapping[str, Sequence[tuple[Node, Node]]]
) -> Describe:
    """A describer that adds, to a fact's own triples, the links the rules derived from it
    (imr:supersededBy), so a justification shows why an earlier fact no longer holds. A
    describer that describes a subject once (the bulk engine's) adds them once too."""

    def described(subject: str) -> list[tuple[Node, Node]]:
        own = list(describe(subject))
        return own + list(links.get(subject, ())) if own else own

    return described


def justification_triples(
    result: RequestResult,
    catalogue: Catalogue,
    describe_case: Describe,
    describe_knowledge: Describe,
) -> list[Triple]:
    """The justification graph of one request as a list of triples (deduplicated by caller)."""
    triples: list[Triple] = []
    det = result.determination_iri
    decision_iri = URIRef(result.request.iri + "/decision")
    triples += [
        (det, RDF.type, IMR.Determination),
        (det, RDF.type, PROV.Entity),
        (det, IMR.determines, URIRef(result.request.iri)),
        (det, IMR.outcome, _OUTCOME[result.outcome]),
        (det, PROV.wasGeneratedBy, decision_iri),
        (decision_iri, RDF.type, IMR.DecisionActivity),
        (decision_iri, RDF.type, PROV.Activity),
        (decision_iri, PROV.wasAssociatedWith, SOFTWARE),
        (decision_iri, IMR.engine, _literal(result.engine)),
        (SOFTWARE, RDF.type, PROV.SoftwareAgent),
        (SOFTWARE, RDFS.label, _literal("imrkg")),
        (SOFTWARE, DCTERMS.hasVersion, _literal(__version__)),
    ]
    triples += _describe_closure([result.request.iri], describe_case)
    triples += _selection_triples(det, result.selection, describe_knowledge)
    if result.decision is None:
        triples.append((det, IMR.notEvaluatedReason, _literal(result.selection.reason)))
        return triples
    triples.append((det, IMR.medicallyNecessary, _literal(result.decision.medically_necessary)))
    rule = result.selection.rule
    assert rule is not None
    triples += _association(decision_iri, _term(rule.iri))
    triples += _describe_closure([rule.iri, *rule.sources], describe_knowledge)
    decisive = set(result.decision.decisive_criteria)
    statuses = {e.criterion: e.status for e in result.evaluations}
    on = result.selection.in_force_on
    for evaluation in result.evaluations:
        triples += _evaluation_triples(
            result, evaluation, decision_iri, decisive, describe_case, describe_knowledge, catalogue
        )
    for group in result.decision.groups:
        node = URIRef(f"{result.request.iri}/group/{_local(group.group)}")
        triples += [
            (node, RDF.type, IMR.GroupResult),
            (node, RDF.type, PROV.Entity),
            (node, IMR.group, _term(group.group)),
            (node, IMR.satisfied, _literal(group.satisfied)),
            (node, PROV.wasGeneratedBy, decision_iri),
            (det, PROV.wasDerivedFrom, node),
        ]
        triples += [
            (node, IMR.memberEvaluation, result.evaluation_iri(m))
            for m in catalogue.groups[group.group].members
        ]
        triples += _describe_closure(
            [group.group, *catalogue.groups[group.group].sources], describe_knowledge
        )
        if any(statuses[m] != "not applicable" for m in catalogue.groups[group.group].members):
            cited = catalogue.cited(catalogue.groups[group.group].sources, on)
            triples += [(det, IMR.cites, _term(s)) for s in cited]
    return triples


def _evaluation_triples(
    result: RequestResult,
    evaluation: Evaluation,
    decision_iri: URIRef,
    decisive: set[str],
    describe_case: Describe,
    describe_knowledge: Describe,
    catalogue: Catalogue,
) -> list[Triple]:
    node = result.evaluation_iri(evaluation.criterion)
    criterion = catalogue.criteria[evaluation.criterion]
    facts = result.evidence.get(evaluation.criterion, ())
    triples: list[Triple] = [
        (node, RDF.type, IMR.CriterionEvaluation),
        (node, RDF.type, PROV.Activity),
        (node, IMR.evaluates, _term(criterion.iri)),
        (node, IMR.focus, URIRef(result.request.iri)),
        (node, IMR.evaluationStatus, _STATUS[evaluation.status]),
        (node, IMR.decisive, _literal(evaluation.criterion in decisive)),
        (decision_iri, PROV.wasInformedBy, node),
    ]
    triples += [(node, IMR.unmetRequirement, _literal(m)) for m in evaluation.unmet]
    triples += [(node, PROV.used, URIRef(f)) for f in facts]
    triples += [
        (node, IMR.usedAsPrecondition, URIRef(f))
        for f in result.preconditions.get(evaluation.criterion, ())
    ]
    triples += _association(node, _term(criterion.iri))
    cited = catalogue.cited_for(criterion.iri, result.selection.in_force_on)
    triples += [(node, IMR.cites, _term(s)) for s in cited]
    if evaluation.status != "not applicable":
        triples += [(result.determination_iri, IMR.cites, _term(s)) for s in cited]
    triples += _describe_closure([criterion.iri, *criterion.sources], describe_knowledge)
    triples += _describe_closure(list(facts), describe_case)
    return triples


def _association(activity: URIRef, plan: URIRef) -> list[Triple]:
    association = URIRef(str(activity) + "/association")
    return [
        (activity, PROV.qualifiedAssociation, association),
        (activity, PROV.wasAssociatedWith, SOFTWARE),
        (association, RDF.type, PROV.Association),
        (association, PROV.agent, SOFTWARE),
        (association, PROV.hadPlan, plan),
        (plan, RDF.type, PROV.Plan),
    ]


def _selection_triples(det: URIRef, selection: Selection, describe: Describe) -> list[Triple]:
    triples: list[Triple] = []
    if selection.in_force_on is not None:
        triples.append((det, IMR.inForceOn, _date(selection.in_force_on)))
        triples.append((det, IMR.editionDateBasis, _literal(DATE_BASES[selection.date_basis])))
    if selection.edition is not None:
        triples.append((det, IMR.guidelineEdition, _term(selection.edition)))
        triples += _describe_closure([selection.edition], describe)
    if selection.chapter is not None:
        triples.append((det, IMR.chapter, _term(selection.chapter)))
        triples += _describe_closure([selection.chapter], describe)
    rule = selection.rule
    if rule is not None and rule.selected_when is not None:
        # the suspected condition chose the chapter: the shape the request conformed to
        triples.append((det, IMR.ruleSelectedBy, _term(rule.selected_when)))
        triples += _describe_closure([rule.selected_when], describe)
    if rule is not None and rule.is_fallback:
        # the evidence search sequence, recorded: where the MTUS is silent, which regulation
        # sends the question on, and why this source
        triples.append((det, IMR.appliedBecause, _literal(rule.applied_because)))
        triples += [(det, IMR.fallbackAuthority, _term(a)) for a in rule.authorities]
        triples += [(det, IMR.cites, _term(a)) for a in rule.authorities]
        triples += _describe_closure(list(rule.authorities), describe)
        if selection.silent_in is not None:
            triples.append((det, IMR.mtusSilentIn, _term(selection.silent_in)))
            triples += _describe_closure([selection.silent_in], describe)
    return triples


def _describe_closure(start: list[str], describe: Describe) -> Iterator[Triple]:
    """A node's own triples, following provenance and partOf links (sentences, selectors,
    documents, chapter chains) but not case membership links."""
    seen: set[str] = set()
    stack = list(start)
    while stack:
        subject = stack.pop()
        if subject in seen:
            continue
        seen.add(subject)
        node = URIRef(subject)
        for predicate, obj in describe(subject):
            if predicate in _SKIP:
                continue
            yield (node, predicate, obj)
            if predicate in _FOLLOW and isinstance(obj, URIRef):
                stack.append(str(obj))


@cache
def _date(value: dt.date) -> Literal:
    return Literal(value, datatype=XSD.date)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
