"""The case facts each criterion evaluation used, read off the criterion's own shapes.

pyshacl reports only failures; a justification needs the facts behind met criteria too. For each
property shape of a criterion (and of its applicability and documentation shapes) the facts are
the values on its sh:path that conform to its qualified value shape, plus any imr:evidencePath
(for criteria whose path ends in a derived number, such as days since injury). Set-oriented:
each path and value shape is evaluated once for all requests of a batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from rdflib import URIRef
from rdflib.term import Node

from .criteria import Criterion
from .shapes import ShapeEvaluator, Term
from .validate import MET, NOT_APPLICABLE, NOT_DOCUMENTED, NOT_MET, Evaluation
from .vocab import IMR, SH

__all__ = ["DERIVED_FACT_LINKS", "collect_evidence", "collect_preconditions", "derived_links"]

DERIVED_FACT_LINKS = (IMR.supersededBy,)
"""Relations the rules derive between case facts that a justification shows beside the facts'
own triples: a later negative finding that supersedes an earlier positive one is why a criterion
passed over the earlier fact, which stays in the record."""


def collect_evidence(
    evaluator: ShapeEvaluator, criteria: Sequence[Criterion], evaluations: Iterable[Evaluation]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(request, criterion) -> the case facts the evaluation rests on, sorted.

    Met: what satisfied the criterion. Not met / not documented: what the record holds on the
    matter (the documentation shape's values), so a reader sees what was looked at.
    """
    facts = evaluator.instances(IMR.CaseFact)
    by_criterion: dict[str, dict[str, str]] = defaultdict(dict)
    for evaluation in evaluations:
        by_criterion[evaluation.criterion][evaluation.request] = evaluation.status
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for criterion in criteria:
        statuses = by_criterion.get(criterion.iri, {})
        shapes_by_status = _shapes_to_read(criterion)
        for status in set(statuses.values()):
            requests = {r for r, s in statuses.items() if s == status}
            collected: dict[Term, set[Term]] = defaultdict(set)
            for shape in shapes_by_status[status]:
                for request, values in _shape_values(evaluator, URIRef(shape), requests).items():
                    collected[request] |= values
            for request in requests:
                found[(request, criterion.iri)] = tuple(
                    sorted(str(v) for v in collected.get(request, ()) if v in facts)
                )
    return found


def collect_preconditions(
    evaluator: ShapeEvaluator, criteria: Sequence[Criterion], evaluations: Iterable[Evaluation]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(request, criterion) -> facts that only make the criterion apply (e.g. the prior studies
    of a repeat-imaging criterion), not facts that meet it.

    `explain` needs the difference: removing a precondition makes a criterion not applicable,
    which can keep an all-applicable group satisfied, so only the other facts are candidates
    for "what would change the outcome".
    """
    facts = evaluator.instances(IMR.CaseFact)
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    by_criterion: dict[str, set[str]] = defaultdict(set)
    for evaluation in evaluations:
        if evaluation.status != NOT_APPLICABLE:
            by_criterion[evaluation.criterion].add(evaluation.request)
    for criterion in criteria:
        requests = by_criterion.get(criterion.iri, set())
        if criterion.applicability is None or not requests:
            continue
        conditions = _shape_values(evaluator, URIRef(criterion.applicability), requests)
        own: dict[Term, set[Term]] = defaultdict(set)
        for shape in filter(None, (criterion.iri, criterion.documentation)):
            for request, values in _shape_values(evaluator, URIRef(shape), requests).items():
                own[request] |= values
        for request in requests:
            only = conditions.get(request, set()) - own.get(request, set())
            found[(request, criterion.iri)] = tuple(sorted(str(v) for v in only if v in facts))
    return found


def _shapes_to_read(criterion: Criterion) -> dict[str, list[str]]:
    applicability = [criterion.applicability] if criterion.applicability else []
    documentation = [criterion.documentation] if criterion.documentation else []
    return defaultdict(
        list,
        {
            MET: [*applicability, criterion.iri],
            NOT_MET: [*applicability, criterion.iri, *documentation],
            NOT_DOCUMENTED: [*applicability, criterion.iri, *documentation],
            NOT_APPLICABLE: [],
        },
    )


def _shape_values(
    evaluator: ShapeEvaluator, shape: Node, requests: set[str]
) -> dict[Term, set[Term]]:
    graph = evaluator.shapes
    out: dict[Term, set[Term]] = defaultdict(set)
    for prop in graph.objects(shape, SH.property):
        table = evaluator.values(graph.value(prop, SH.path))  # type: ignore[arg-type]
        qualified = graph.value(prop, SH.qualifiedValueShape)
        reached = {v for r in requests for v in table.get(r, ())}
        good = evaluator.conforming(qualified, reached) if qualified is not None else reached
        for request in requests:
            out[request] |= {v for v in table.get(request, ()) if v in good}
        extra = graph.value(prop, IMR.evidencePath)
        if extra is not None:
            for request, values in evaluator.values(extra).items():
                if request in requests:
                    out[request] |= set(values)
    return out


def derived_links(evaluator: ShapeEvaluator) -> dict[str, tuple[tuple[URIRef, URIRef], ...]]:
    """Fact -> its DERIVED_FACT_LINKS (predicate, object) pairs, read once for the whole store."""
    links: dict[str, list[tuple[URIRef, URIRef]]] = defaultdict(list)
    for predicate in DERIVED_FACT_LINKS:
        for subject, objects in evaluator.values(predicate).items():
            links[str(subject)] += [(predicate, URIRef(str(o))) for o in sorted(objects, key=str)]
    return {s: tuple(pairs) for s, pairs in links.items()}
