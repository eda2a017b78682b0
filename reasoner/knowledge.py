"""The project's Turtle as one read-only bundle: ontology, schemes, guidelines, shapes, rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from .load import PROJECT_ROOT, bind_prefixes, parse_turtle, scheme_files, turtle_files
from .vocab import IMR, OWL, RDF, RDFS, SKOS

__all__ = ["Knowledge", "load_knowledge", "type_closure"]


BACKGROUND_PREDICATES = frozenset(
    (
        RDF.type,
        SKOS.broader,
        IMR.spinalSource,
        IMR.indicatorFinding,
        IMR.indicatesRedFlag,
        IMR.appliesToRegion,
    )
)
"""What the rules and shapes read of the schemes and guidelines inside a case graph: concept
types, region and finding hierarchies, limbs' spinal sources, red-flag indicators. Labels,
definitions and citations stay out (every case graph carries this copy; letters showed the
full copy as a fifth of ingest time)."""


@dataclass(eq=False)
class Knowledge:
    """Everything a case is judged against, parsed once per process.

    `background` is the part of the knowledge a case graph must carry for the criteria to be
    evaluated on it alone (region and finding hierarchies, red-flag indicators): pyshacl and the
    rules see one self-contained graph per case.
    """

    root: Path
    ontology: Graph
    background: Graph
    guidelines: Graph
    shapes: Graph
    rules: Graph
    intake: Graph
    superclasses: dict[Node, frozenset[Node]] = field(default_factory=dict)

    @cached_property
    def everything(self) -> Graph:
        """Ontology, guidelines, shapes and rules in one graph (for labels and citations)."""
        merged = bind_prefixes(Graph())
        for graph in (self.ontology, self.background, self.guidelines, self.shapes, self.rules):
            for triple in graph:
                merged.add(triple)
        return merged


@cache
def load_knowledge(root: Path = PROJECT_ROOT) -> Knowledge:
    """Parse ontology/, data/guidelines/, shapes/criteria/, shapes/rules/ and shapes/intake/.

    Raises
    ------
    InputFileError
        When any of those Turtle files is malformed.
    """
    ontology = _parse_all([root / "ontology" / "imr.ttl"])
    schemes = _parse_all(scheme_files(root))
    guidelines = _parse_all(turtle_files([root / "data" / "guidelines"]))
    shapes = _parse_all(turtle_files([root / "shapes" / "criteria"]))
    rules = _parse_all(turtle_files([root / "shapes" / "rules"]))
    intake = _parse_all(turtle_files([root / "shapes" / "intake"]))
    background = bind_prefixes(Graph())
    for graph in (schemes, guidelines):
        for triple in graph:
            if triple[1] in BACKGROUND_PREDICATES:
                background.add(triple)
    return Knowledge(
        root=root,
        ontology=ontology + schemes,
        background=background,
        guidelines=guidelines,
        shapes=shapes,
        rules=rules,
        intake=intake,
        superclasses=type_closure(ontology),
    )


def type_closure(ontology: Graph) -> dict[Node, frozenset[Node]]:
    """Map each named class to all its named superclasses (itself included).

    Cases assert the most specific class; the shapes and rules match on general ones
    (imr:ClinicalObservation, imr:CaseFact). Materialising this closure when a case is built keeps
    both engines free of rdfs:subClassOf* paths, which is all the typing the criteria need.
    """
    direct: dict[Node, set[Node]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef):
            direct.setdefault(cls, set())
    closure: dict[Node, frozenset[Node]] = {}
    for cls in direct:
        seen: set[Node] = {cls}
        stack = list(direct[cls])
        while stack:
            sup = stack.pop()
            if sup not in seen:
                seen.add(sup)
                stack.extend(direct.get(sup, ()))
        closure[cls] = frozenset(seen)
    return closure


def _parse_all(paths: list[Path]) -> Graph:
    graph = bind_prefixes(Graph())
    for path in paths:
        parse_turtle(path, into=graph)
    return graph
