"""Criterion shapes, groups and decision rules read as data into frozen records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import ShapeError
from .knowledge import Knowledge
from .vocab import DCTERMS, IMR, RDF, RDFS, SH, SKOS, curie

__all__ = [
    "Catalogue",
    "Criterion",
    "CriterionGroup",
    "DecisionRule",
    "GuidelinePart",
    "read_catalogue",
]


@dataclass(frozen=True)
class GuidelinePart:
    """A citable chapter, section, table or page range, with its chain up to the edition."""

    iri: str
    label: str
    first_page: int | None
    last_page: int | None
    ancestors: tuple[str, ...]  # nearest first: section/table, chapter, edition
    valid_from: dt.date | None = None  # the latest imr:validFrom on the part and its ancestors
    valid_until: dt.date | None = None  # the earliest imr:validUntil, exclusive
    mtus: bool = False  # whether the part belongs to an MTUS edition

    def in_force(self, on: dt.date) -> bool:
        """Whether the part, and everything it is part of, is in force on the date."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_until is None or on < self.valid_until

    @property
    def pages(self) -> str:
        """Pages as letters print them, e.g. '177-182' or '182'; '' when not a page range."""
        if self.first_page is None:
            return ""
        if self.last_page is None or self.last_page == self.first_page:
            return str(self.first_page)
        return f"{self.first_page}-{self.last_page}"


@dataclass(frozen=True)
class Criterion:
    """One atomic criterion: the node shape a request meets, plus its auxiliary shapes."""

    iri: str
    label: str
    paraphrase: str
    sources: tuple[str, ...]
    groups: tuple[str, ...]
    applicability: str | None
    documentation: str | None
    what_would_satisfy: str
    order: float


@dataclass(frozen=True)
class CriterionGroup:
    """Criteria combined by one rule: imr:AnyOf or imr:AllApplicable."""

    iri: str
    label: str
    combination: str
    members: tuple[str, ...]
    sources: tuple[str, ...]
    applied_because: str
    fallback_authority: str | None


@dataclass(frozen=True)
class DecisionRule:
    """The groups that must all be satisfied for a chapter's requests of one category.

    `modalities` and `regions`, when not empty, narrow or redirect the rule (imr:appliesToModality,
    imr:appliesToRegion). `selected_when` names a node shape the request must conform to for the
    rule to be chosen (the suspected condition decides the chapter, e.g. an arm EMG for a
    suspected cervical radiculopathy). A rule outside the MTUS names where the MTUS is silent
    (`silent_in`, a chapter, or `silent_on_regions`) and the regulation that lets it apply
    (`authorities`).
    """

    iri: str
    label: str
    chapter: str
    category: str
    groups: tuple[str, ...]
    sources: tuple[str, ...]
    modalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    silent_in: str | None = None
    silent_on_regions: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()
    applied_because: str = ""
    selected_when: str | None = None

    @property
    def is_fallback(self) -> bool:
        """Whether the rule comes from outside the MTUS (used only where the MTUS is silent)."""
        return self.silent_in is not None or bool(self.silent_on_regions)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Every criterion, group, rule and cited guideline part, keyed by IRI (hashed by identity:
    one catalogue per knowledge, so caches may key on it)."""

    criteria: dict[str, Criterion]
    groups: dict[str, CriterionGroup]
    rules: dict[str, DecisionRule]
    parts: dict[str, GuidelinePart]

    @lru_cache(maxsize=1 << 14)  # noqa: B019 (one catalogue per knowledge, kept for the run)
    def cited(self, sources: tuple[str, ...], on: dt.date | None) -> tuple[str, ...]:
        """The sources a justification cites on the date: those in force, and of them only the
        MTUS ones when any is. The evidence hierarchy (8 CCR 9792.25(b) in its 2009 text,
        9792.21.1 from 2016) puts the MTUS first: a criterion an MTUS part in force states is
        cited from the MTUS; the same criterion from another guideline only where no MTUS part
        in force states it. Without a date, all."""
        if on is None:
            return sources
        in_force = [s for s in sources if self.parts[s].in_force(on)]
        mtus = [s for s in in_force if self.parts[s].mtus]
        return tuple(mtus or in_force)

    def cited_for(self, criterion: str, on: dt.date | None) -> tuple[str, ...]:
        """What a criterion cites on the date (`cited` over its sources): what its evaluation
        in a justification cites, and what reports and reviews print beside it."""
        return self.cited(self.criteria[criterion].sources, on)

    def criteria_of(self, rule: DecisionRule) -> list[Criterion]:
        """The rule's criteria, each once, in their sh:order."""
        wanted = {m for g in rule.groups for m in self.groups[g].members}
        return [c for iri, c in self.criteria.items() if iri in wanted]


@cache
def read_catalogue(knowledge: Knowledge) -> Catalogue:
    """Read criteria, groups and rules from the shapes, and the parts they cite.

    Raises
    ------
    ShapeError
        When a criterion cites no page, belongs to no group, or a group or rule is incomplete.
    """
    shapes, guidelines = knowledge.shapes, knowledge.guidelines
    groups = {
        str(g): _read_group(shapes, g)
        for g in _sorted(shapes.subjects(RDF.type, IMR.CriterionGroup))
    }
    read = [
        _read_criterion(shapes, node) for node in _sorted(shapes.subjects(RDF.type, IMR.Criterion))
    ]
    criteria = {c.iri: c for c in sorted(read, key=lambda c: (c.order, c.iri))}
    members: dict[str, list[str]] = {g: [] for g in groups}
    for criterion in criteria.values():
        for group in criterion.groups:
            if group not in groups:
                raise ShapeError(
                    f"{curie(criterion.iri)} names unknown group {curie(group)}",
                    hint="declare the group as an imr:CriterionGroup with imr:combines",
                )
            members[group].append(criterion.iri)
    groups = {
        iri: CriterionGroup(**{**group.__dict__, "members": tuple(members[iri])})
        for iri, group in groups.items()
    }
    rules = {
        str(r): _read_rule(shapes, r, groups)
        for r in _sorted(shapes.subjects(RDF.type, IMR.DecisionRule))
    }
    cited = {s for c in criteria.values() for s in c.sources}
    cited |= {s for g in groups.values() for s in g.sources}
    cited |= {s for r in rules.values() for s in r.sources}
    cited |= {r.chapter for r in rules.values()}
    cited |= {a for r in rules.values() for a in r.authorities}
    cited |= {r.silent_in for r in rules.values() if r.silent_in}
    parts = {iri: _read_part(guidelines, URIRef(iri)) for iri in sorted(cited)}
    return Catalogue(criteria=criteria, groups=groups, rules=rules, parts=parts)


def _read_criterion(shapes: Graph, node: Node) -> Criterion:
    iri = str(node)
    sources = _iris(shapes, node, DCTERMS.source)
    groups = _iris(shapes, node, IMR.memberOfGroup)
    if not sources:
        raise ShapeError(
            f"criterion {curie(iri)} cites no guideline page",
            hint="add dcterms:source with a gl: page range",
        )
    if not groups:
        raise ShapeError(
            f"criterion {curie(iri)} belongs to no group", hint="add imr:memberOfGroup"
        )
    return Criterion(
        iri=iri,
        label=_text(shapes, node, RDFS.label) or curie(iri),
        paraphrase=_text(shapes, node, IMR.paraphrase),
        sources=sources,
        groups=groups,
        applicability=_optional_iri(shapes, node, IMR.applicability),
        documentation=_optional_iri(shapes, node, IMR.documentation),
        what_would_satisfy=_text(shapes, node, IMR.whatWouldSatisfy),
        order=float(shapes.value(node, SH.order) or 0),  # type: ignore[arg-type]
    )


def _read_group(shapes: Graph, node: Node) -> CriterionGroup:
    combination = _optional_iri(shapes, node, IMR.combines)
    if combination not in (str(IMR.AnyOf), str(IMR.AllApplicable)):
        raise ShapeError(
            f"group {curie(str(node))} has no valid imr:combines",
            hint="use imr:combines imr:AnyOf or imr:AllApplicable",
        )
    return CriterionGroup(
        iri=str(node),
        label=_text(shapes, node, RDFS.label) or curie(str(node)),
        combination=combination,
        members=(),
        sources=_iris(shapes, node, DCTERMS.source),
        applied_because=_text(shapes, node, IMR.appliedBecause),
        fallback_authority=_optional_iri(shapes, node, IMR.fallbackAuthority),
    )


def _read_rule(shapes: Graph, node: Node, groups: dict[str, CriterionGroup]) -> DecisionRule:
    chapter = _optional_iri(shapes, node, IMR.appliesToChapter)
    category = _optional_iri(shapes, node, IMR.appliesToCategory)
    required = _iris(shapes, node, IMR.requiresGroup)
    if chapter is None or category is None or not required:
        raise ShapeError(
            f"decision rule {curie(str(node))} is incomplete",
            hint="give it imr:appliesToChapter, imr:appliesToCategory and imr:requiresGroup",
        )
    for group in required:
        if group not in groups or not groups[group].members:
            raise ShapeError(
                f"decision rule {curie(str(node))} requires {curie(group)}, "
                "which is not a group with members",
                hint="declare the group and give it member criteria",
            )
    rule = DecisionRule(
        iri=str(node),
        label=_text(shapes, node, RDFS.label),
        chapter=chapter,
        category=category,
        groups=required,
        sources=_iris(shapes, node, DCTERMS.source),
        modalities=_iris(shapes, node, IMR.appliesToModality),
        regions=_iris(shapes, node, IMR.appliesToRegion),
        silent_in=_optional_iri(shapes, node, IMR.mtusSilentIn),
        silent_on_regions=_iris(shapes, node, IMR.mtusSilentOnRegion),
        authorities=_iris(shapes, node, IMR.fallbackAuthority),
        applied_because=_text(shapes, node, IMR.appliedBecause),
        selected_when=_optional_iri(shapes, node, IMR.selectedWhen),
    )
    if rule.is_fallback and not (rule.authorities and rule.applied_because):
        raise ShapeError(
            f"decision rule {curie(rule.iri)} applies outside the MTUS but does not say why",
            hint="give it imr:fallbackAuthority (e.g. gl:ccr-9792-21-1) and imr:appliedBecause",
        )
    return rule


def _read_part(guidelines: Graph, node: URIRef) -> GuidelinePart:
    if (node, None, None) not in guidelines:
        raise ShapeError(
            f"{curie(str(node))} is cited but not described in data/guidelines/",
            hint="add the chapter, section, table or page range to data/guidelines/",
        )
    ancestors: list[str] = []
    current: Node | None = guidelines.value(node, IMR.partOf)
    while current is not None and str(current) not in ancestors:
        ancestors.append(str(current))
        current = guidelines.value(current, IMR.partOf)
    first = guidelines.value(node, IMR.firstPage)
    last = guidelines.value(node, IMR.lastPage)
    chain = [node, *map(URIRef, ancestors)]
    starts = [
        v.value for n in chain if isinstance(v := guidelines.value(n, IMR.validFrom), Literal)
    ]
    ends = [v.value for n in chain if isinstance(v := guidelines.value(n, IMR.validUntil), Literal)]
    valid_from, valid_until = max(starts, default=None), min(ends, default=None)
    if valid_from is not None and valid_until is not None and valid_until <= valid_from:
        raise ShapeError(
            f"{curie(str(node))} is cited but is never in force: its interval, with those of "
            f"what it is part of, runs from {valid_from} to {valid_until}",
            hint="check imr:validFrom / imr:validUntil on it and on its chapter and edition",
        )
    return GuidelinePart(
        iri=str(node),
        label=_text(guidelines, node, RDFS.label) or _text(guidelines, node, SKOS.prefLabel),
        first_page=int(first) if isinstance(first, Literal) else None,
        last_page=int(last) if isinstance(last, Literal) else None,
        ancestors=tuple(ancestors),
        valid_from=valid_from,
        valid_until=valid_until,
        mtus=any(guidelines.value(n, IMR.isMTUS) == Literal(True) for n in chain),
    )


def _sorted(nodes: object) -> list[Node]:
    return sorted(set(nodes), key=str)  # type: ignore[call-overload]


def _iris(graph: Graph, node: Node, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(node, predicate) if isinstance(o, URIRef)))


def _optional_iri(graph: Graph, node: Node, predicate: URIRef) -> str | None:
    value = graph.value(node, predicate)
    return str(value) if isinstance(value, URIRef) else None


def _text(graph: Graph, node: Node, predicate: URIRef) -> str:
    value = graph.value(node, predicate)
    return str(value) if value is not None else ""
