"""Classify a disputed item as printed: category, service category, modality, regions, contrast.

The rules are data: `data/lexicon/item-terms.ttl` gives the cue groups (with their rank, category
and svc: concept) and the synonyms of the region and modality concepts of `ontology/schemes.ttl`.
The matching cue group of lowest rank decides the category; regions are every region named, in
order, with a broader one (spine, upper extremity) dropped when a narrower one is also named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef

from ._lexicon import LEX, Hit, Matcher, lexicon, literal_of, members
from .vocab import REGION, SKOS, SVC

__all__ = ["ItemClass", "classify_item", "disputed_wording"]

_ORIGINAL = re.compile(r"^(?P<original>.+?)\s+was\s+the\s+original\s+request\b", re.I | re.S)


@dataclass(frozen=True)
class ItemClass:
    """What a disputed item is: the labels.jsonl vocabulary plus the matching scheme IRIs."""

    category: str
    service_category: str
    modality: str | None
    body_region: str
    regions: tuple[str, ...]
    contrast: str | None
    modalities: tuple[str, ...] = ()  # every study the item names ("EMG and NCS"), first = modality


def classify_item(text: str) -> ItemClass:
    """Classify one disputed item heading; a partial authorization by its original request.

    Examples
    --------
    >>> c = classify_item("MRI of the right shoulder without contrast")
    >>> c.category, c.body_region, c.contrast, c.modality.rsplit("/", 1)[-1]
    ('imaging-mri', 'shoulder', 'without', 'MRI')
    >>> classify_item("EMG/NCV of the hip, lumbar").body_region
    'hip'
    >>> classify_item("Norco 10/325mg #90").category
    'medication'
    >>> classify_item("Gym membership").service_category.rsplit("/", 1)[-1]
    'Other'
    """
    lex = _item_lexicon()
    wording = disputed_wording(text)
    hits = lex.cues.find(wording)
    best = min(hits, key=lambda h: (lex.rank[h.concept], h.start), default=None)
    category = lex.category[best.concept] if best else "other"
    service = lex.service[best.concept] if best else str(SVC.Other)
    modality = None
    modalities: tuple[str, ...] = ()
    if category.startswith("imaging") or category == "electrodiagnostic":
        named = sorted((h for h in hits if h.concept in lex.modalities), key=lambda h: h.start)
        modalities = tuple(dict.fromkeys(str(h.concept) for h in named))
        modality = next((str(h.concept) for h in hits if h.concept in lex.modalities), None)
        if not modalities and best is not None:
            # a cue group that names studies without their own words ("electrodiagnostic")
            modalities = tuple(
                sorted(str(m) for m in lex.graph.objects(best.concept, LEX.namesModality))
            )
            modality = modalities[0] if modalities else None
    contrast_hits = lex.contrast.find(wording)
    contrast = None
    if contrast_hits:
        chosen = min(contrast_hits, key=lambda h: (lex.rank[h.concept], h.start))
        contrast = literal_of(lex.graph, chosen.concept, LEX.contrast)
    labels, iris = _regions(lex, lex.regions.find(wording))
    return ItemClass(
        category=category,
        service_category=service,
        modality=modality,
        body_region=labels[0] if labels else "unknown",
        regions=iris,
        contrast=contrast,
        modalities=modalities,
    )


def disputed_wording(text: str) -> str:
    """The part of an item heading naming the service (a partial authorization's original request).

    Examples
    --------
    >>> disputed_wording("Baclofen 100mg #30 was the original request. Baclofen 100mg #27 was ...")
    'Baclofen 100mg #30'
    >>> disputed_wording("MRI right knee")
    'MRI right knee'
    """
    text = " ".join(text.split())
    match = _ORIGINAL.match(text)
    return match.group("original") if match else text


@dataclass(frozen=True)
class _ItemLexicon:
    graph: Graph
    cues: Matcher
    contrast: Matcher
    regions: Matcher
    rank: dict[URIRef, int]
    category: dict[URIRef, str]
    service: dict[URIRef, str]
    modalities: frozenset[URIRef]
    region_label: dict[URIRef, str]


@cache
def _item_lexicon() -> _ItemLexicon:
    graph = lexicon("item-terms")
    cue_concepts = members(graph, LEX.itemCategory)
    contrast_concepts = members(graph, LEX.contrast)
    region_concepts = [
        c for c in members(graph, SKOS.inScheme, REGION.scheme) if c != REGION.scheme
    ] + [c for c in members(graph, LEX.itemRegion) if not str(c).startswith(str(REGION))]
    rank = {c: int(literal_of(graph, c, LEX.rank) or 100) for c in cue_concepts + contrast_concepts}
    service = {c: str(next(graph.objects(c, LEX.serviceCategory), SVC.Other)) for c in cue_concepts}
    region_label = {
        c: literal_of(graph, c, LEX.itemRegion) or literal_of(graph, c, SKOS.notation) or "other"
        for c in region_concepts
    }
    return _ItemLexicon(
        graph=graph,
        cues=Matcher(graph, cue_concepts),
        contrast=Matcher(graph, contrast_concepts),
        regions=Matcher(graph, region_concepts),
        rank=rank,
        category={c: literal_of(graph, c, LEX.itemCategory) or "other" for c in cue_concepts},
        service=service,
        modalities=frozenset(c for c in cue_concepts if "/scheme/modality/" in str(c)),
        region_label=region_label,
    )


def _regions(lex: _ItemLexicon, hits: list[Hit]) -> tuple[list[str], tuple[str, ...]]:
    """Region labels and IRIs in order of mention, minus any region a named one is narrower than."""
    named = list(dict.fromkeys(h.concept for h in hits))
    broader = {b for c in named for b in lex.graph.transitive_objects(c, SKOS.broader) if b != c}
    kept = [c for c in named if c not in broader]
    labels = list(dict.fromkeys(lex.region_label[c] for c in kept))
    iris = tuple(str(c) for c in kept if str(c).startswith(str(REGION)))
    return labels, iris
