"""Which guideline governs a request: the MTUS edition and chapter in force on the date the
configured basis gives, the decision rule for its category, modality and region, and, where the
MTUS is silent, the rule from the next source of the evidence search sequence. Everything chosen
here is recorded in the justification; nothing is guessed when data is missing."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef

from .criteria import Catalogue, DecisionRule
from .knowledge import Knowledge
from .vocab import IMR, RDF, SKOS, curie

__all__ = ["DATE_BASES", "RequestInfo", "Selection", "select_rule"]

DATE_BASES = {
    "request": "request date",
    "ur": "utilization-review decision date",
    "service": "date of service",
}
"""The dates an edition can be chosen by (`--date-basis`). The AD order of Dec 2017 keys on
services rendered on or after a date; whether a request made before and reviewed after it falls
under the old or new edition is an open question, so the basis is configurable and recorded."""


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
    ur_date: dt.date | None = None
    service_date: dt.date | None = None

    def date_for(self, basis: str) -> dt.date | None:
        """The request's date on one of DATE_BASES."""
        return {"request": self.date, "ur": self.ur_date, "service": self.service_date}[basis]


@dataclass(frozen=True)
class Selection:
    """The edition, chapter and rule for a request, or why none applies.

    `date_basis` names the date `in_force_on` was taken from. For a rule outside the MTUS,
    `silent_in` is the MTUS chapter that does not address the question (None when no chapter
    covers the region at all).
    """

    edition: str | None
    in_force_on: dt.date | None
    chapter: str | None
    rule: DecisionRule | None
    reason: str = ""
    date_basis: str = "request"
    silent_in: str | None = None

    @property
    def is_fallback(self) -> bool:
        """Whether the rule comes from outside the MTUS."""
        return self.rule is not None and self.rule.is_fallback


def select_rule(
    knowledge: Knowledge,
    catalogue: Catalogue,
    request: RequestInfo,
    date_basis: str = "request",
    guards: frozenset[str] = frozenset(),
) -> Selection:
    """Pick the MTUS edition and chapters in force on the request's date (by `date_basis`), then
    the most specific MTUS rule for its category, modality and region; failing that, a rule from
    outside the MTUS that declares the MTUS silent on exactly this question. A rule with an
    imr:selectedWhen shape is a candidate only when that shape is among `guards` (the shapes the
    request conforms to), and then comes before an otherwise equal rule without one."""
    if date_basis not in DATE_BASES:
        raise ValueError(f"unknown date basis {date_basis!r}; use one of {sorted(DATE_BASES)}")
    basis = DATE_BASES[date_basis]
    on = request.date_for(date_basis)
    if on is None:
        return Selection(None, None, None, None, f"the {basis} is unknown", date_basis)
    edition, chapters = _period(knowledge, on)
    if edition is None:
        reason = f"no MTUS edition in data/guidelines/ is in force on {on} (the {basis})"
        return Selection(None, on, None, None, reason, date_basis)
    what = (request.category, request.modality, request.regions)
    chapter, rule, silent_in, reason = _choose(
        knowledge, catalogue, edition, chapters, what, guards
    )
    return Selection(edition, on, chapter, rule, reason, date_basis, silent_in)


@cache
def _timeline(knowledge: Knowledge) -> tuple[list[dt.date], list[tuple[str | None, frozenset]]]:
    """The dates where an edition or chapter starts or ends, and for each period between them
    the MTUS edition and the chapters in force (periods[i] holds before points[i])."""
    graph = knowledge.guidelines
    points = sorted(
        {
            v.value
            for p in (IMR.validFrom, IMR.validUntil)
            for v in graph.objects(None, p)
            if isinstance(v, Literal) and isinstance(v.value, dt.date)
        }
    )
    starts = [points[0] - dt.timedelta(days=1), *points] if points else [dt.date.min]
    periods = []
    for day in starts:
        edition = _edition_in_force(graph, day)
        chapters = frozenset(_chapters_in_force(graph, edition, day)) if edition else frozenset()
        periods.append((edition, chapters))
    return points, periods


def _period(knowledge: Knowledge, on: dt.date) -> tuple[str | None, frozenset[str]]:
    points, periods = _timeline(knowledge)
    return periods[bisect_right(points, on)]


@cache
def _choose(
    knowledge: Knowledge,
    catalogue: Catalogue,
    edition: str,
    chapters: frozenset[str],
    what: tuple[str | None, str | None, tuple[str, ...]],
    guards: frozenset[str],
) -> tuple[str | None, DecisionRule | None, str | None, str]:
    """(chapter, rule, silent MTUS chapter, reason when no rule) for a request description in
    one period: selection without the date, computed once per distinct description."""
    category, modality, regions = what
    request = RequestInfo("", 0, "", category, modality, regions, None)
    graph = knowledge.guidelines
    lineages = [_lineage(knowledge.background, r) for r in regions]
    covering = _covering_chapter(graph, chapters, lineages)
    mtus = [r for r in catalogue.rules.values() if not r.is_fallback and r.chapter in chapters]
    mtus = [r for r in mtus if r.selected_when is None or r.selected_when in guards]
    rule = _best_rule(graph, mtus, request, lineages)
    if rule is not None:
        return rule.chapter, rule, None, ""
    fallback = _fallback_rule(graph, catalogue, request, lineages, covering)
    if fallback is not None:
        return fallback.chapter, fallback, covering, ""
    narrower = [] if covering else _narrower_covered(knowledge, chapters, regions)
    return covering, None, None, _why_none(graph, catalogue, request, edition, covering, narrower)


def _edition_in_force(graph: Graph, on: dt.date) -> str | None:
    for edition in sorted(graph.subjects(RDF.type, IMR.GuidelineEdition), key=str):
        if graph.value(edition, IMR.isMTUS) == Literal(True) and _in_force(graph, edition, on):
            return str(edition)
    return None


def _in_force(graph: Graph, node: URIRef, on: dt.date) -> bool:
    """Within [imr:validFrom, imr:validUntil); a part without an interval of its own inherits
    its edition's, which the caller has already checked."""
    start, end = graph.value(node, IMR.validFrom), graph.value(node, IMR.validUntil)
    if isinstance(start, Literal) and start.value > on:
        return False
    return not (isinstance(end, Literal) and end.value <= on)


def _chapters_in_force(graph: Graph, edition: str, on: dt.date) -> set[str]:
    """Chapters of the edition in force on the date: later AD orders replace chapters one
    region at a time, so each chapter may carry its own validity interval."""
    return {
        str(c)
        for c in graph.subjects(IMR.partOf, URIRef(edition))
        if (c, RDF.type, IMR.Chapter) in graph and _in_force(graph, c, on)  # type: ignore[arg-type]
    }


def _lineage(schemes: Graph, region: str) -> list[str]:
    """The region and its broader regions, nearest first."""
    lineage = [URIRef(region)]
    while (broader := schemes.value(lineage[-1], SKOS.broader)) is not None:
        if broader in lineage:
            break
        lineage.append(broader)  # type: ignore[arg-type]
    return [str(r) for r in lineage]


def _rule_regions(graph: Graph, rule: DecisionRule) -> set[str]:
    if rule.regions:
        return set(rule.regions)
    return {str(r) for r in graph.objects(URIRef(rule.chapter), IMR.coversRegion)}


def _match(
    graph: Graph, rule: DecisionRule, request: RequestInfo, lineages: list[list[str]]
) -> tuple[int, int, int] | None:
    """How specifically a rule fits a request, lower is better: (distance from the request's
    region to the rule's, 0 when the rule names the modality else 1, 0 when a selectedWhen shape
    chose it else 1); None when it does not fit."""
    if rule.category != request.category:
        return None
    if rule.modalities and request.modality not in rule.modalities:
        return None
    regions = _rule_regions(graph, rule)
    distances = [i for lineage in lineages for i, r in enumerate(lineage) if r in regions]
    if not distances:
        return None
    return (min(distances), 0 if rule.modalities else 1, 0 if rule.selected_when else 1)


def _best_rule(
    graph: Graph, rules: list[DecisionRule], request: RequestInfo, lineages: list[list[str]]
) -> DecisionRule | None:
    scored = [(m, r.iri, r) for r in rules if (m := _match(graph, r, request, lineages))]
    return min(scored, key=lambda t: (t[0], t[1]))[2] if scored else None


def _covering_chapter(graph: Graph, chapters: set[str], lineages: list[list[str]]) -> str | None:
    """The in-force chapter nearest to the request's region, if any covers it."""
    best: tuple[int, str] | None = None
    for lineage in lineages:
        for distance, region in enumerate(lineage):
            for chapter in graph.subjects(IMR.coversRegion, URIRef(region)):
                if str(chapter) in chapters and (best is None or (distance, str(chapter)) < best):
                    best = (distance, str(chapter))
    return best[1] if best else None


def _fallback_rule(
    graph: Graph,
    catalogue: Catalogue,
    request: RequestInfo,
    lineages: list[list[str]],
    covering: str | None,
) -> DecisionRule | None:
    """A rule outside the MTUS, eligible only where the data says the MTUS is silent: in the
    chapter that covers the region, or on a region no chapter in force covers."""
    regions = {r for lineage in lineages for r in lineage}
    eligible = [
        r
        for r in catalogue.rules.values()
        if (covering is not None and r.silent_in == covering)
        or (covering is None and regions & set(r.silent_on_regions))
    ]
    return _best_rule(graph, eligible, request, lineages)


def _narrower_covered(
    knowledge: Knowledge, chapters: frozenset[str], regions: tuple[str, ...]
) -> list[str]:
    """Regions narrower than the request's that a chapter in force covers (a whole-limb request
    when the chapters go joint by joint), sorted by IRI."""
    schemes, graph = knowledge.background, knowledge.guidelines
    found = {
        str(narrower)
        for region in regions
        for narrower in schemes.transitive_subjects(SKOS.broader, URIRef(region))
        if str(narrower) != region
        and any(str(c) in chapters for c in graph.subjects(IMR.coversRegion, narrower))
    }
    return sorted(found)


def _why_none(
    graph: Graph,
    catalogue: Catalogue,
    request: RequestInfo,
    edition: str,
    chapter: str | None,
    narrower: Sequence[str] = (),
) -> str:
    if not any(r.category == request.category for r in catalogue.rules.values()):
        what = curie(request.category) if request.category else "an unknown category"
        return f"imrkg has no decision rule for {what}; only diagnostic studies are evaluated"
    if not request.regions:
        return "the request names no body region of the schemes, so no chapter can be chosen"
    if chapter is None and narrower:
        regions = ", ".join(curie(r) for r in request.regions)
        parts = ", ".join(curie(r) for r in narrower)
        return (
            f"the request names {regions} as a whole; the chapters of {curie(edition)} in force "
            f"go part by part ({parts}), so imrkg cannot choose one: the request should name "
            "the part to be studied"
        )
    if chapter is None:
        regions = ", ".join(curie(r) for r in request.regions)
        gaps = sorted(
            str(graph.value(gap, IMR.gapReason))
            for gap in graph.subjects(IMR.gapInEdition, URIRef(edition))
            if any((gap, IMR.gapRegion, URIRef(r)) in graph for r in request.regions)
            and graph.value(gap, IMR.gapReason) is not None
        )
        if gaps:
            return f"no chapter of {curie(edition)} in force covers {regions}: " + "; ".join(gaps)
        return (
            f"no chapter of {curie(edition)} in force covers {regions}; the MTUS is silent, and "
            "imrkg has no verified criteria from the next source of the evidence search sequence "
            "(8 CCR 9792.21.1: ACOEM or ODG) for it"
        )
    what = curie(request.category or "")
    if request.modality:
        what += f" by {curie(request.modality)}"
    reason = f"imrkg has no verified criteria for {what} under {curie(chapter)}"
    gap = graph.value(URIRef(chapter), IMR.unencodedCriteria)
    return reason + (f": {gap}" if gap else "")
