"""Nerve roots a neurologic finding's words name or localise, and the spinal region holding them.

A finding names a root outright ("the L5 dermatome", "C5-6 distribution", "C5 and C6") or
localises it by a dermatome, key muscle or reflex ("the fourth and fifth fingers", "ankle
reflex", "dorsiflexion 4/5"). The table of root signs is data
(`data/lexicon/finding-terms-roots.ttl`, after the ISNCSCI key points and key muscles); this
module only reads it. Digits and foot areas that are also a peripheral nerve's territory give no
root in a sentence that names a peripheral nerve or entrapment test ("numbness of the thumb with a
positive Phalen test" is the median nerve's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from ._context import FIND, Sentence
from ._lexicon import LEX, Hit, Matcher, literal_of
from .vocab import RDF, REGION, SKOS

__all__ = ["Localisation", "localise", "radicular_context"]

_NAMED = re.compile(r"\b([CTLS])([1-8])(?:\s*(?:-|/|to|through)\s*([CTLS])?([1-8]))?\b")
_ORDER = [f"C{n}" for n in range(1, 9)] + [f"T{n}" for n in range(1, 13)]
_ORDER += [f"L{n}" for n in range(1, 6)] + [f"S{n}" for n in range(1, 6)]
"""Spinal nerve roots in cranio-caudal order, so that "C5-7" and "L5-S1" expand over a range."""


@dataclass(frozen=True)
class Localisation:
    """What a finding's words say of its roots.

    `roots` are the roots named or localised (in reading order, no repeats); `spinal` the spinal
    regions holding them; `by_sign_only_myotome` is true when every root came from a key muscle
    or movement, which at a named joint may be that joint's own lesion (shoulder abduction
    weakness is usually the rotator cuff's), so the finding is not moved to the spine for it.
    """

    roots: tuple[str, ...] = ()
    spinal: tuple[URIRef, ...] = ()
    by_myotome_only: bool = False
    spans: tuple[tuple[int, int], ...] = ()
    """Where the root signs lie in the sentence: a region word inside one ("wrist" in "wrist
    extension") names the movement, not the site of a lesion."""
    is_ambiguous: bool = False
    """Every root came from an area that is also a peripheral nerve's (the digits), and the
    sentence says nothing radicular (no spinal region, dermatome, root or radiculopathy): the
    roots are recorded, but the finding is not attributed to the spine for them."""

    @property
    def is_localised(self) -> bool:
        """Whether any root is named or localised (the finding is then graded as definitive)."""
        return bool(self.roots)


def localise(s: Sentence, a: int, b: int, signs: tuple[int, int] | None) -> Localisation:
    """The roots named in the sentence's words [a, b), or else localised by the root signs in the
    words `signs` (None: no sign counts).

    Examples
    --------
    >>> from reasoner._context import Sentence, clinical
    >>> def roots(text):
    ...     n = len(text)
    ...     return localise(Sentence(0, n, text, clinical()), 0, n, (0, n)).roots
    >>> roots("Sensation was decreased in the fourth and fifth fingers."), roots("L4-5, L5-S1")
    (('C8',), ('L4', 'L5', 'S1'))
    >>> roots("4/5 in the biceps, the C5 myotome"), roots("thumb numbness, positive Phalen's")
    (('C5',), ())
    """
    table = _table(s.lex.graph)
    peripheral = table.peripheral.search(s.text) is not None
    from_signs: list[tuple[int, str, bool]] = []
    spans: list[tuple[int, int]] = []
    overlaps: list[bool] = []
    lo, hi = signs or (b, b)
    for hit in table.signs.finditer(s.text[lo:hi]) if lo < hi else ():
        overlap = (hit.concept, LEX.peripheralOverlap, Literal(True)) in s.lex.graph
        if peripheral and overlap:
            continue
        overlaps.append(overlap)
        myotome = (hit.concept, LEX.localises, LEX.Myotome) in s.lex.graph
        from_signs += [(lo + hit.start - a, root, myotome) for root in table.roots_of(hit)]
        spans.append((lo + hit.start, lo + hit.end))
    named = [(m.start(), root, False) for m in _NAMED.finditer(s.text, a, b) for root in _range(m)]
    named = [(at - a, r, mt) for at, r, mt in named if r in table.regions]
    # a root the writer names outright is the localisation ("4/5 in the biceps, C5 myotome"): the
    # sign's table roots, where textbooks differ (biceps C5-C6), would only blur it
    found = sorted(named or from_signs, key=lambda f: f[0])
    roots = tuple(dict.fromkeys(r for _, r, _ in found))
    spinal = tuple(dict.fromkeys(table.regions[r] for r in roots))
    only_myotome = bool(found) and all(mt for _, _, mt in found)
    ambiguous = not named and bool(found) and all(overlap for overlap in overlaps)
    ambiguous = ambiguous and not radicular_context(s)
    return Localisation(roots, spinal, only_myotome, tuple(spans), ambiguous)


_RADICULAR_WORDS = re.compile(r"(?i:dermatom|myotom|radicul|nerve\s+root|\broots?\b)")


def radicular_context(s: Sentence) -> bool:
    """Whether the sentence speaks of the spine or its roots: a spinal region word, or a word of
    dermatomes, myotomes, roots or radiculopathy."""
    spine = URIRef(str(REGION) + "Spine")
    spinal = any(h.concept == spine or spine in s.lex.broader(h.concept) for h in s.hits("regions"))
    return spinal or _RADICULAR_WORDS.search(s.text) is not None


def _range(m: re.Match[str]) -> list[str]:
    """The roots of one match: "C5", or a range "C5-6" / "L5-S1" expanded."""
    low = f"{m.group(1)}{m.group(2)}"
    if m.group(4) is None:
        return [low]
    high = f"{m.group(3) or m.group(1)}{m.group(4)}"
    if low not in _ORDER or high not in _ORDER or _ORDER.index(high) < _ORDER.index(low):
        return [low]
    return _ORDER[_ORDER.index(low) : _ORDER.index(high) + 1]


@dataclass(frozen=True)
class _Table:
    signs: Matcher
    peripheral: Matcher
    regions: dict[str, URIRef]
    graph: Graph

    def roots_of(self, hit: Hit) -> list[str]:
        return sorted(str(o) for o in self.graph.objects(hit.concept, LEX.nerveRoot))


_TABLES: dict[int, _Table] = {}


def _table(graph: Graph) -> _Table:
    """The root-sign matcher, the peripheral-nerve cue matcher and each root's spinal region,
    built once per lexicon graph."""
    if id(graph) not in _TABLES:
        signs = sorted(s for s in graph.subjects(RDF.type, LEX.RootSign) if isinstance(s, URIRef))
        regions: dict[str, URIRef] = {}
        for root in graph.subjects(SKOS.inScheme, LEX["root-localisation"]):
            name = literal_of(graph, root, LEX.rootName)
            region = graph.value(root, LEX.spinalRegion)
            if name and isinstance(region, URIRef):
                regions[name] = region
        _TABLES[id(graph)] = _Table(
            Matcher(graph, signs), Matcher(graph, [FIND.PeripheralNerveCue]), regions, graph
        )
    return _TABLES[id(graph)]
