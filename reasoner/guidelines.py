"""Which guideline governs a request: the edition in force on its date, its region's chapter,
and the decision rule for its category. Selection is recorded in the justification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from .criteria import Catalogue, DecisionRule
from .knowledge import Knowledge
from .vocab import IMR, RDF, SKOS, curie

__all__ = ["RequestInfo", "Selection", "select_rule"]


@dataclass(frozen=True)
class RequestInfo:
    """What selection and reporting need to know about one disputed request."""

    iri: str
    item_index: int
    service_text: str
    category: str | None
    modality: str | None
    regions: tuple[str, ...]
    date: dt.date | None


@dataclass(frozen=True)
class Selection:
    """The edition, chapter and rule for a request, or why none applies."""

    edition: str | None
    in_force_on: dt.date | None
    chapter: str | None
    rule: DecisionRule | None
    reason: str = ""


def select_rule(knowledge: Knowledge, catalogue: Catalogue, request: RequestInfo) -> Selection:
    """Pick the MTUS edition in force on the request date, the chapter covering the request's
    region (or a broader one), and the rule for that chapter and the request's category."""
    graph = knowledge.guidelines
    if request.date is None:
        return Selection(None, None, None, None, "the request date is unknown")
    edition = _edition_in_force(graph, request.date)
    if edition is None:
        return Selection(
            None,
            request.date,
            None,
            None,
            f"no MTUS edition in data/guidelines/ is in force on {request.date}",
        )
    chapter = _chapter_for(knowledge, edition, request.regions)
    if chapter is None:
        regions = ", ".join(curie(r) for r in request.regions) or "no body region"
        return Selection(
            edition, request.date, None, None, f"no chapter of {curie(edition)} covers {regions}"
        )
    for rule in catalogue.rules.values():
        if rule.chapter == chapter and rule.category == request.category:
            return Selection(edition, request.date, chapter, rule)
    category = curie(request.category) if request.category else "an unknown category"
    return Selection(
        edition,
        request.date,
        chapter,
        None,
        f"imrkg has no decision rule for {category} under {curie(chapter)}; "
        "only diagnostic studies are evaluated",
    )


def _edition_in_force(graph: Graph, on: dt.date) -> str | None:
    for edition in sorted(graph.subjects(RDF.type, IMR.GuidelineEdition), key=str):
        if graph.value(edition, IMR.isMTUS) != Literal(True):
            continue
        start, end = graph.value(edition, IMR.validFrom), graph.value(edition, IMR.validUntil)
        if start is None or not isinstance(start, Literal) or start.value > on:
            continue
        if end is not None and isinstance(end, Literal) and end.value <= on:
            continue
        return str(edition)
    return None


def _chapter_for(knowledge: Knowledge, edition: str, regions: tuple[str, ...]) -> str | None:
    graph, schemes = knowledge.guidelines, knowledge.background
    for region in regions:
        lineage = [URIRef(region)]
        while (broader := schemes.value(lineage[-1], SKOS.broader)) is not None:
            if broader in lineage:
                break
            lineage.append(broader)  # type: ignore[arg-type]
        for candidate in lineage:
            for chapter in sorted(graph.subjects(IMR.coversRegion, candidate), key=str):
                if (chapter, IMR.partOf, URIRef(edition)) in graph:
                    return str(chapter)
    return None
