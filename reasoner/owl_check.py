"""OWL 2 check: HermiT finds the ontology (and cases) consistent and classifies the requests."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import owlready2  # type: ignore[import-untyped]
import owlready2.reasoning  # type: ignore[import-untyped]
from owlready2 import (
    OwlReadyInconsistentOntologyError,
    OwlReadyJavaError,
    World,
    sync_reasoner_hermit,
)
from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from .errors import Location, OntologyError
from .load import parse_turtle
from .vocab import IMR, OWL, PREFIXES, RDF, RDFS

__all__ = ["JAVA_MEMORY_MB", "Classification", "OntologyCheck", "check_ontology"]

JAVA_MEMORY_MB = 512
"""HermiT's heap (-Xmx). The TBox plus a few hundred cases needs far less; CI has 2 cores."""

_SCRATCH_IRI = "http://imrkg.invalid/owl-check#"
_JAVA_HINT = "install Java 17 (apt-get install openjdk-17-jre-headless) and put `java` on PATH"


@dataclass(frozen=True)
class Classification:
    """What HermiT adds to one individual's types: imr: classes entailed but not asserted.

    "Asserted" includes the told rdfs:subClassOf ancestors of the asserted types, so the list
    holds only what an RDFS reader could not see, e.g. imr:SpinalImagingRequest.
    """

    individual: str
    inferred_types: tuple[str, ...]


@dataclass(frozen=True)
class OntologyCheck:
    """The outcome of one HermiT run over the given files.

    `consistent` is True whenever a check is returned at all (an inconsistent graph raises);
    it is kept so that reports can print the result without knowing that rule.
    """

    consistent: bool
    files: tuple[Path, ...]
    classifications: tuple[Classification, ...]
    seconds: float


def check_ontology(ontology_files: Sequence[Path], case_files: Sequence[Path] = ()) -> OntologyCheck:
    """Run HermiT over the ontology and cases; classify every imr:DisputedRequest.

    The files are merged with rdflib and handed to owlready2 as N-Triples in a fresh `World`,
    so the global `default_world` is never touched. owl:imports triples are dropped from that
    copy (nothing is fetched at run time; pass the imported files instead). HermiT accepts only
    the OWL 2 datatype map, which lacks xsd:date, so owlready2's `ignore_unsupported_datatypes`
    flag is set: HermiT then treats xsd:date values as opaque, and two different dates on a
    functional property are no inconsistency to it (the intake shapes catch those). No triple
    is retyped or removed for that.

    Raises
    ------
    InputFileError
        When a file is missing or is not valid Turtle.
    OntologyError
        When Java is missing or fails, when HermiT finds the graph inconsistent (the message
        lists the functional-property and disjointness clashes it can find), or when a class
        is unsatisfiable.
    """
    started = time.perf_counter()
    files = (*ontology_files, *case_files)
    per_file = {path: parse_turtle(path) for path in files}
    merged = Graph()
    for graph in per_file.values():
        merged += graph
    world = World()
    try:
        try:
            _reason(world, merged)
        except OwlReadyInconsistentOntologyError:
            raise _inconsistency_error(merged, per_file) from None
        _raise_on_unsatisfiable(world, files)
        classifications = _classify(world, merged)
    finally:
        world.close()
    return OntologyCheck(True, files, classifications, time.perf_counter() - started)


def _reason(world: World, merged: Graph) -> None:
    """Load a copy of `merged` into `world` and let HermiT add its inferences to it."""
    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise OntologyError(f"cannot run HermiT: `{owlready2.JAVA_EXE}` not found", hint=_JAVA_HINT)
    copy = Graph()
    copy += merged
    copy.remove((None, OWL.imports, None))
    world.get_ontology(_SCRATCH_IRI).load(
        fileobj=_BytesReader(copy.serialize(format="nt", encoding="utf-8")), format="ntriples"
    )
    saved_memory = owlready2.reasoning.JAVA_MEMORY
    owlready2.reasoning.JAVA_MEMORY = JAVA_MEMORY_MB
    try:
        sync_reasoner_hermit(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    except FileNotFoundError:
        raise OntologyError(f"cannot run HermiT: `{java}` did not start", hint=_JAVA_HINT) from None
    except OwlReadyJavaError as exc:
        last_lines = " / ".join(str(exc).strip().splitlines()[-3:])
        raise OntologyError(
            f"HermiT failed: {last_lines}",
            hint=f"raise reasoner.owl_check.JAVA_MEMORY_MB (now {JAVA_MEMORY_MB}) if it ran out "
            "of memory; otherwise check the axiom named above",
        ) from None
    finally:
        owlready2.reasoning.JAVA_MEMORY = saved_memory


def _classify(world: World, merged: Graph) -> tuple[Classification, ...]:
    """Entailed minus asserted imr: types for each individual HermiT puts in DisputedRequest."""
    request_class = world[str(IMR.DisputedRequest)]
    if request_class is None:
        return ()
    found = []
    for individual in world.search(type=request_class):
        entailed = {
            ancestor.iri
            for cls in individual.is_a
            if hasattr(cls, "ancestors")
            for ancestor in cls.ancestors()
        }
        asserted = {str(c) for c in _type_closure(merged, _iri_node(merged, individual.iri))}
        inferred = sorted(i for i in entailed - asserted if i.startswith(str(IMR)))
        found.append(Classification(individual.iri, tuple(inferred)))
    return tuple(sorted(found, key=lambda c: c.individual))


def _raise_on_unsatisfiable(world: World, files: Sequence[Path]) -> None:
    """A class equivalent to owl:Nothing is a modelling error even when no individual uses it."""
    unsatisfiable = sorted(cls.iri for cls in world.inconsistent_classes() if hasattr(cls, "iri"))
    if unsatisfiable:
        names = ", ".join(_shorten(iri, PREFIXES) for iri in unsatisfiable)
        raise OntologyError(
            f"HermiT found unsatisfiable classes (no individual can belong to them): {names}",
            where=Location(files[0]) if len(files) == 1 else None,
            hint="look for disjoint superclasses or contradictory restrictions on these classes",
        )


def _inconsistency_error(merged: Graph, per_file: Mapping[Path, Graph]) -> OntologyError:
    """Name the clashing facts; HermiT itself only says "inconsistent"."""
    prefixes = _prefixes(per_file.values())
    clashes = sorted(set(_functional_clashes(merged)) | set(_disjoint_clashes(merged)))
    if not clashes:
        return OntologyError(
            "HermiT found the ontology and cases inconsistent, and no functional-property or "
            "disjointness clash was identified",
            hint="check owl:oneOf, cardinality and hasValue axioms against the case facts, or "
            "load the files in Protégé and ask HermiT for an explanation",
        )
    lines, sources = [], set()
    for subject, text in clashes:
        where = sorted(str(p) for p, g in per_file.items() if (subject, None, None) in g)
        sources.update(where)
        shown = text.format(*(_shorten(str(n), prefixes) if not isinstance(n, Literal)
                              else n.n3() for n in _clash_nodes(text, subject)))
        lines.append(f"  - {shown}" + (f" (in {', '.join(where)})" if where else ""))
    return OntologyError(
        "HermiT found the ontology and cases inconsistent:\n" + "\n".join(lines),
        where=Location(next(iter(sources))) if len(sources) == 1 else None,
        hint="keep one value of each functional property and one of each pair of disjoint "
        "types, then run the check again",
    )


def _functional_clashes(graph: Graph) -> Iterator[tuple[Node, str]]:
    """Subjects with two values of a functional property that are known to differ."""
    rows = graph.query(
        """SELECT DISTINCT ?p ?s ?a ?b WHERE {
             ?p a owl:FunctionalProperty . ?q rdfs:subPropertyOf* ?p .
             ?s ?q ?a . ?s ?r ?b . ?r rdfs:subPropertyOf* ?p .
             FILTER (!sameTerm(?a, ?b) && STR(?a) < STR(?b)) }""",
        initNs={"owl": OWL, "rdfs": RDFS},
    )
    different = _all_different_pairs(graph)
    for prop, subject, a, b in rows:  # type: ignore[misc]
        if _differ(graph, a, b, different):
            _CLASH_NODES[(subject, prop, a, b)] = (subject, prop, a, b, prop)
            yield subject, _key("{0} {1} has two values {2} and {3} ({4} is functional)",
                                (subject, prop, a, b, prop))


def _disjoint_clashes(graph: Graph) -> Iterator[tuple[Node, str]]:
    """Individuals whose asserted types (with told superclasses) include two disjoint classes."""
    rows = graph.query(
        """SELECT DISTINCT ?x ?c1 ?c2 WHERE {
             { ?c1 owl:disjointWith ?c2 }
             UNION { ?d a owl:AllDisjointClasses ; owl:members ?l .
                     ?l rdf:rest*/rdf:first ?c1 . ?l rdf:rest*/rdf:first ?c2 }
             FILTER (!sameTerm(?c1, ?c2))
             ?x rdf:type/rdfs:subClassOf* ?c1 . ?x rdf:type/rdfs:subClassOf* ?c2 .
             FILTER (STR(?c1) < STR(?c2)) }""",
        initNs={"owl": OWL, "rdf": RDF, "rdfs": RDFS},
    )
    for individual, c1, c2 in rows:  # type: ignore[misc]
        yield individual, _key("{0} is both {1} and {2}, which are disjoint", (individual, c1, c2))
