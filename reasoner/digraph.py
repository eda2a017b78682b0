"""A justification graph as a networkx DiGraph: the chain a reader follows, with attributes.

Edges follow the PROV-O chain written by `reasoner.justify`::

    determination -> decision -> evaluation -> criterion -> guideline part -> ... -> chapter
    determination -> group result -> evaluation -> fact -> letter segment
    determination -> request -> letter segment

Each node carries a "kind" and what explanations read from it (status, label, pages, quote).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef

from .criteria import GuidelinePart
from .validate import MET, NOT_APPLICABLE, NOT_DOCUMENTED, NOT_MET
from .vocab import DCTERMS, IMR, OA, PROV, RDF, RDFS, SH, curie

__all__ = ["justification_digraph"]

_STATUS = {
    IMR.Met: MET,
    IMR.NotMet: NOT_MET,
    IMR.NotDocumented: NOT_DOCUMENTED,
    IMR.NotApplicable: NOT_APPLICABLE,
}
_CHAIN = (  # (subject kind, predicate, object kind): the edges of the digraph
    ("determination", PROV.wasGeneratedBy, "decision"),
    ("determination", PROV.wasDerivedFrom, "group result"),
    ("determination", IMR.determines, "request"),
    ("decision", PROV.wasInformedBy, "evaluation"),
    ("group result", IMR.memberEvaluation, "evaluation"),
    ("group result", IMR.group, "group"),
    ("evaluation", IMR.evaluates, "criterion"),
    ("evaluation", PROV.used, "fact"),
    ("evaluation", IMR.usedAsPrecondition, "fact"),
    ("evaluation", IMR.cites, "part"),
    ("criterion", DCTERMS.source, "part"),
    ("group", DCTERMS.source, "part"),
    ("part", IMR.partOf, "part"),
    ("request", PROV.hadPrimarySource, "segment"),
    ("fact", PROV.hadPrimarySource, "segment"),
)


def justification_digraph(justification: Graph) -> nx.DiGraph:
    """The justification as a DiGraph of IRIs, each edge's "relation" the predicate's CURIE.

    Nodes carry a "kind" (determination, decision, group result, group, evaluation, criterion,
    fact, request, segment, part) and what explanations read from them (status, label, ...).

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix imr: <https://w3id.org/imrkg/ontology#> . @prefix ex: <http://ex.org/> .
    ... @prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcterms: <http://purl.org/dc/terms/> .
    ... ex:d a imr:Determination ; imr:outcome imr:Upheld ; prov:wasGeneratedBy ex:a .
    ... ex:a prov:wasInformedBy ex:e .
    ... ex:e imr:evaluates ex:c ; imr:evaluationStatus imr:NotMet ; prov:used ex:f .
    ... ex:c dcterms:source ex:p . ex:p imr:firstPage 177 ; imr:lastPage 182 .''')
    >>> G = justification_digraph(g)
    >>> sorted(G.edges(data="relation"))[:2]  # doctest: +NORMALIZE_WHITESPACE
    [('http://ex.org/a', 'http://ex.org/e', 'prov:wasInformedBy'),
     ('http://ex.org/c', 'http://ex.org/p', 'dcterms:source')]
    >>> G.nodes["http://ex.org/e"]["status"], G.nodes["http://ex.org/p"]["pages"]
    ('not met', '177-182')
    """
    digraph = nx.DiGraph()
    determinations = justification.subjects(RDF.type, IMR.Determination)
    todo = [(d, "determination") for d in sorted(determinations)]
    seen: set[URIRef] = set()
    while todo:
        node, kind = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        digraph.add_node(str(node), kind=kind, **_ATTRIBUTES.get(kind, _none)(justification, node))
        for subject_kind, predicate, object_kind in _CHAIN:
            if subject_kind != kind:
                continue
            objects = justification.objects(node, predicate)
            for obj in sorted(o for o in objects if isinstance(o, URIRef)):
                digraph.add_edge(str(node), str(obj), relation=curie(str(predicate)))
                todo.append((obj, object_kind))
    return digraph


def _text(graph: Graph, node: URIRef, *predicates: URIRef) -> str:
    for predicate in predicates:
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return ""


def _local(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _none(graph: Graph, node: URIRef) -> dict[str, Any]:
    return {}


def _determination(graph: Graph, node: URIRef) -> dict[str, Any]:
    outcome = _local(graph.value(node, IMR.outcome))
    return {
        "outcome": "Not evaluated" if outcome == "NotEvaluated" else outcome,
        "reason": _text(graph, node, IMR.notEvaluatedReason),
    }


def _request(graph: Graph, node: URIRef) -> dict[str, Any]:
    index = graph.value(node, IMR.itemIndex)
    return {
        "item_index": int(index) if isinstance(index, Literal) else 0,
        "text": _text(graph, node, IMR.serviceText, RDFS.label),
    }


def _group_result(graph: Graph, node: URIRef) -> dict[str, Any]:
    group = graph.value(node, IMR.group)
    return {
        "group": str(group),
        "satisfied": bool(graph.value(node, IMR.satisfied)),
        "combination": str(graph.value(group, IMR.combines)) if group is not None else "",
    }


def _evaluation(graph: Graph, node: URIRef) -> dict[str, Any]:
    return {
        "criterion": str(graph.value(node, IMR.evaluates)),
        "status": _STATUS.get(graph.value(node, IMR.evaluationStatus), NOT_DOCUMENTED),  # type: ignore[arg-type]
        "decisive": bool(graph.value(node, IMR.decisive)),
        "unmet": tuple(sorted(str(m) for m in graph.objects(node, IMR.unmetRequirement))),
    }


def _criterion(graph: Graph, node: URIRef) -> dict[str, Any]:
    order = graph.value(node, SH.order)
    return {
        "label": _text(graph, node, RDFS.label) or curie(str(node)),
        "what_would_satisfy": _text(graph, node, IMR.whatWouldSatisfy),
        "order": float(order) if isinstance(order, Literal) else 0.0,
        "conditional": graph.value(node, IMR.applicability) is not None,
        "another_request": graph.value(node, IMR.metByAnotherRequest) == Literal(True),
    }


def _fact(graph: Graph, node: URIRef) -> dict[str, Any]:
    date = graph.value(node, IMR.date) or graph.value(node, IMR.startDate)
    kind = _local(graph.value(node, RDF.type) or "fact")
    return {
        "text": _text(graph, node, IMR.description, RDFS.label) or f"{kind} {curie(str(node))}",
        "date": str(date) if date is not None else None,
    }


def _segment(graph: Graph, node: URIRef) -> dict[str, Any]:
    found: dict[str, Any] = {"quote": None, "start": None, "end": None}
    for selector in graph.objects(node, OA.hasSelector):
        if (exact := graph.value(selector, OA.exact)) is not None:
            found["quote"] = " ".join(str(exact).split())
        if (start := graph.value(selector, OA.start)) is not None:
            found["start"], found["end"] = int(start), int(graph.value(selector, OA.end))  # type: ignore[arg-type]
    return found


def _part(graph: Graph, node: URIRef) -> dict[str, Any]:
    first, last = graph.value(node, IMR.firstPage), graph.value(node, IMR.lastPage)
    part = GuidelinePart(
        str(node),
        _text(graph, node, RDFS.label) or curie(str(node)),
        int(first) if isinstance(first, Literal) else None,
        int(last) if isinstance(last, Literal) else None,
        (),
    )
    return {"label": part.label, "pages": part.pages, "first_page": part.first_page}


_ATTRIBUTES: dict[str, Callable[[Graph, URIRef], dict[str, Any]]] = {
    "determination": _determination,
    "request": _request,
    "group result": _group_result,
    "group": lambda g, n: {
        "label": _text(g, n, RDFS.label),
        "combination": str(g.value(n, IMR.combines) or ""),
    },
    "evaluation": _evaluation,
    "criterion": _criterion,
    "fact": _fact,
    "segment": _segment,
    "part": _part,
}
