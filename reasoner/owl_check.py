"""OWL 2 check: HermiT finds the ontology and cases consistent, and classifies the requests."""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import owlready2  # type: ignore[import-untyped]
import owlready2.reasoning  # type: ignore[import-untyped]
from owlready2 import (  # type: ignore[import-untyped]
    OwlReadyInconsistentOntologyError,
    OwlReadyJavaError,
    World,
    sync_reasoner_hermit,
)
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import Location, OntologyError
from .load import parse_turtle
from .vocab import IMR, OWL, PREFIXES, RDF, RDFS

__all__ = ["JAVA_MEMORY_MB", "Classification", "OntologyCheck", "check_ontology"]

JAVA_MEMORY_MB = 512
"""HermiT's heap (-Xmx): the TBox and the seed case need far less, and CI has 2 cores."""

_SCRATCH_IRI = "http://imrkg.invalid/owl-check#"
_JAVA_HINT = "install Java 17 (apt-get install openjdk-17-jre-headless) and put `java` on PATH"
_NS = {"owl": OWL, "rdf": RDF, "rdfs": RDFS}


@dataclass(frozen=True)
class Classification:
    """What HermiT adds to one individual's types: imr: classes entailed but not asserted.

    The told rdfs:subClassOf ancestors of asserted types count as asserted, so the tuple holds
    only what an RDFS reader could not see, such as imr:SpinalImagingRequest.
    """

    individual: str
    inferred_types: tuple[str, ...]


@dataclass(frozen=True)
class OntologyCheck:
    """The outcome of one HermiT run over the given files.

    `consistent` is True whenever a check is returned, since an inconsistent graph raises; it
    is kept so that a report can print the outcome without knowing that rule.
    """

    consistent: bool
    files: tuple[Path, ...]
    classifications: tuple[Classification, ...]
    seconds: float


def check_ontology(
    ontology_files: Sequence[Path], case_files: Sequence[Path] = ()
) -> OntologyCheck:
    """Run HermiT over the ontology and cases, and classify every imr:DisputedRequest.

    The files are merged with rdflib and handed to owlready2 as N-Triples in a fresh `World`,
    so owlready2's global `default_world` is never touched. owl:imports triples are left out of
    that copy: nothing is fetched at run time, so pass the imported files too. HermiT accepts
    only the OWL 2 datatype map, which lacks xsd:date, so owlready2's
    `ignore_unsupported_datatypes` flag is set and no triple is retyped or dropped. HermiT then
    treats xsd:date values as opaque: two different dates on a functional property are no
    inconsistency to it (the intake shapes catch those).

    Raises
    ------
    InputFileError
        When a file is missing or is not valid Turtle.
    OntologyError
        When Java is missing or fails; when HermiT finds the graph inconsistent (the message
        lists the functional-property and disjointness clashes found in the asserted triples);
        or when a class is unsatisfiable.
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
        _raise_on_unsatisfiable(world, _prefixes(per_file.values()))
        classifications = _classify(world, merged)
    finally:
        world.close()
    return OntologyCheck(True, files, classifications, time.perf_counter() - started)


def _reason(world: World, merged: Graph) -> None:
    """Load a copy of `merged` into `world`; HermiT adds its inferences to the world."""
    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise OntologyError(f"cannot run HermiT: `{owlready2.JAVA_EXE}` not found", hint=_JAVA_HINT)
    copy = Graph()
    copy += merged
    copy.remove((None, OWL.imports, None))
    ntriples = copy.serialize(format="nt", encoding="utf-8")
    world.get_ontology(_SCRATCH_IRI).load(fileobj=io.BytesIO(ntriples), format="ntriples")
    with _hermit_settings():
        sync_reasoner_hermit(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )


@contextmanager
def _hermit_settings() -> Iterator[None]:
    """Modest heap, and a private temporary directory removed afterwards.

    owlready2 writes the whole graph (case data included) to a temporary file for HermiT and
    deletes it only when HermiT succeeds; an inconsistent case would leave it behind in /tmp.
    Java failures become OntologyError here.
    """
    saved_memory, saved_tempdir = owlready2.reasoning.JAVA_MEMORY, tempfile.tempdir
    owlready2.reasoning.JAVA_MEMORY = JAVA_MEMORY_MB
    try:
        with tempfile.TemporaryDirectory(prefix="imrkg-hermit-") as private:
            tempfile.tempdir = private
            yield
    except OSError as exc:
        raise OntologyError(f"cannot run HermiT: {exc}", hint=_JAVA_HINT) from None
    except OwlReadyJavaError as exc:
        tail = " / ".join(str(exc).strip().splitlines()[-3:])
        raise OntologyError(
            f"HermiT failed: {tail}",
            hint=f"if Java ran out of memory, raise reasoner.owl_check.JAVA_MEMORY_MB (now "
            f"{JAVA_MEMORY_MB}); otherwise fix the axiom or datatype named above",
        ) from None
    finally:
        owlready2.reasoning.JAVA_MEMORY, tempfile.tempdir = saved_memory, saved_tempdir


def _classify(world: World, merged: Graph) -> tuple[Classification, ...]:
    """Entailed minus asserted imr: types of each individual HermiT puts in DisputedRequest."""
    request_class = world[str(IMR.DisputedRequest)]
    if request_class is None:
        return ()
    found = []
    for individual in world.search(type=request_class):
        entailed = {
            ancestor.iri
            for cls in individual.is_a
            if hasattr(cls, "ancestors")  # named classes; restrictions have no ancestors()
            for ancestor in cls.ancestors()
        }
        asserted = {str(c) for c in _type_closure(merged, URIRef(individual.iri))}
        inferred = sorted(i for i in entailed - asserted if i.startswith(str(IMR)))
        found.append(Classification(individual.iri, tuple(inferred)))
    return tuple(sorted(found, key=lambda c: c.individual))


def _raise_on_unsatisfiable(world: World, prefixes: Mapping[str, str]) -> None:
    """A class equivalent to owl:Nothing is a modelling error even when no individual has it."""
    iris = sorted(
        cls.iri
        for cls in world.inconsistent_classes()
        if getattr(cls, "iri", str(OWL.Nothing)) != str(OWL.Nothing)
    )
    if iris:
        raise OntologyError(
            "HermiT found unsatisfiable classes (nothing can belong to them): "
            + ", ".join(_shorten(iri, prefixes) for iri in iris),
            hint="look for disjoint superclasses or contradictory restrictions on these classes",
        )


@dataclass(frozen=True)
class _Clash:
    """One clash in the asserted triples: `template` is filled with the shortened `nodes`."""

    subject: Node
    template: str
    nodes: tuple[Node, ...]

    def render(self, prefixes: Mapping[str, str]) -> str:
        return self.template.format(*(_show(node, prefixes) for node in self.nodes))


def _inconsistency_error(merged: Graph, per_file: Mapping[Path, Graph]) -> OntologyError:
    """Name the clashing facts, since HermiT only says "inconsistent"."""
    prefixes = _prefixes(per_file.values())
    clashes = sorted(
        {
            c.render(prefixes): c
            for c in (*_functional_clashes(merged), *_disjoint_clashes(merged))
        }.items()
    )
    if not clashes:
        return OntologyError(
            "HermiT found the ontology and cases inconsistent, and no functional-property or "
            "disjointness clash was identified in the asserted triples",
            hint="check owl:oneOf, cardinality and hasValue axioms against the case facts, or "
            "open the files in Protégé and ask HermiT for an explanation",
        )
    lines, sources = [], set()
    for text, clash in clashes:
        where = [str(p) for p, g in per_file.items() if (clash.subject, None, None) in g]
        sources.update(where)
        lines.append(f"  - {text}" + (f" [{', '.join(where)}]" if where else ""))
    return OntologyError(
        "HermiT found the ontology and cases inconsistent:\n" + "\n".join(lines),
        where=Location(sources.pop()) if len(sources) == 1 else None,
        hint="keep one value of each functional property and drop one of each pair of disjoint "
        "types, then run the check again",
    )


def _functional_clashes(graph: Graph) -> Iterator[_Clash]:
    """Subjects with two values of a functional property (or its sub-properties) that differ."""
    rows = graph.query(
        """SELECT DISTINCT ?p ?s ?a ?b WHERE {
             ?p a owl:FunctionalProperty .
             ?q rdfs:subPropertyOf* ?p . ?s ?q ?a .
             ?r rdfs:subPropertyOf* ?p . ?s ?r ?b .
             FILTER (!sameTerm(?a, ?b)) }""",
        initNs=_NS,
    )
    different = _all_different(graph)
    disjoint = _disjoint_pairs(graph)
    for prop, subject, a, b in rows:  # type: ignore[misc]
        if a.n3() < b.n3() and _differ(graph, a, b, different, disjoint):
            yield _Clash(
                subject,
                "{0} {1} has two values {2} and {3} ({1} is functional)",
                (subject, prop, a, b),
            )


def _disjoint_clashes(graph: Graph) -> Iterator[_Clash]:
    """Individuals whose asserted types, with told superclasses, include two disjoint classes."""
    disjoint = _disjoint_pairs(graph)
    for individual in set(graph.subjects(RDF.type, None)):
        types = _type_closure(graph, individual)
        for pair in disjoint:
            if pair <= types:
                first, second = sorted(pair)
                yield _Clash(
                    individual,
                    "{0} is both {1} and {2}, which are disjoint",
                    (individual, first, second),
                )


def _differ(
    graph: Graph,
    a: Node,
    b: Node,
    different: set[frozenset[Node]],
    disjoint: set[frozenset[Node]],
) -> bool:
    """True when a and b are known to denote different things (OWL has no unique names)."""
    if isinstance(a, Literal) and isinstance(b, Literal):
        return _literal_key(a) != _literal_key(b)
    if isinstance(a, Literal) or isinstance(b, Literal):
        return False
    if frozenset((a, b)) in different:
        return True
    types_a, types_b = _type_closure(graph, a), _type_closure(graph, b)
    return any(frozenset((x, y)) in disjoint for x in types_a for y in types_b)


def _literal_key(literal: Literal) -> tuple[object, ...]:
    """Compare by value where rdflib knows it ("1"^^xsd:int equals "01"^^xsd:integer)."""
    if literal.value is None:
        return (None, str(literal), literal.datatype, literal.language)
    return (type(literal.value).__name__, literal.value, literal.language)


def _all_different(graph: Graph) -> set[frozenset[Node]]:
    """Pairs declared different by owl:AllDifferent (either list property) or owl:differentFrom."""
    rows = graph.query(
        """SELECT ?a ?b WHERE {
             { ?d a owl:AllDifferent ; owl:distinctMembers|owl:members ?l .
               ?l rdf:rest*/rdf:first ?a . ?l rdf:rest*/rdf:first ?b . FILTER (!sameTerm(?a, ?b)) }
             UNION { ?a owl:differentFrom ?b } }""",
        initNs=_NS,
    )
    return {frozenset((a, b)) for a, b in rows}  # type: ignore[misc]


def _disjoint_pairs(graph: Graph) -> set[frozenset[Node]]:
    """Pairs of classes declared disjoint by owl:disjointWith or owl:AllDisjointClasses."""
    rows = graph.query(
        """SELECT ?a ?b WHERE {
             { ?a owl:disjointWith ?b }
             UNION { ?d a owl:AllDisjointClasses ; owl:members ?l .
                     ?l rdf:rest*/rdf:first ?a . ?l rdf:rest*/rdf:first ?b .
                     FILTER (!sameTerm(?a, ?b)) } }""",
        initNs=_NS,
    )
    return {frozenset((a, b)) for a, b in rows}  # type: ignore[misc]


def _type_closure(graph: Graph, node: Node) -> set[Node]:
    """Asserted types of `node` and their told rdfs:subClassOf ancestors."""
    return {
        ancestor
        for cls in graph.objects(node, RDF.type)
        for ancestor in graph.transitive_objects(cls, RDFS.subClassOf)
    }


def _prefixes(graphs: Iterable[Graph]) -> dict[str, str]:
    """Project prefixes, plus each prefix the input files bind to one namespace only."""
    seen: dict[str, set[str]] = {}
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            seen.setdefault(prefix, set()).add(str(namespace))
    found = {p: ns.pop() for p, ns in seen.items() if len(ns) == 1 and p}
    return {**found, **PREFIXES}


def _show(node: Node, prefixes: Mapping[str, str]) -> str:
    """A term as Turtle would print it with `prefixes` bound.

    Examples
    --------
    >>> from rdflib import XSD
    >>> _show(Literal("60", datatype=XSD.integer), {"xsd": str(XSD)})
    '"60"^^xsd:integer'
    """
    if not isinstance(node, Literal):
        return _shorten(str(node), prefixes) if isinstance(node, URIRef) else node.n3()
    quoted = Literal(str(node)).n3()
    if node.language:
        return f"{quoted}@{node.language}"
    return f"{quoted}^^{_shorten(str(node.datatype), prefixes)}" if node.datatype else quoted


def _shorten(iri: str, prefixes: Mapping[str, str]) -> str:
    """The CURIE of the longest matching namespace, or the IRI in angle brackets.

    Examples
    --------
    >>> _shorten("https://w3id.org/imrkg/ontology#sex", {"imr": "https://w3id.org/imrkg/ontology#"})
    'imr:sex'
    >>> _shorten("http://example.org/x", {})
    '<http://example.org/x>'
    """
    matches = [(len(ns), p) for p, ns in prefixes.items() if iri.startswith(ns) and iri != ns]
    if not matches:
        return f"<{iri}>"
    _, prefix = max(matches)
    return f"{prefix}:{iri[len(prefixes[prefix]) :]}"
