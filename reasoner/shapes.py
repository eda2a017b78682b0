"""A set-oriented evaluator for the SHACL core subset the criteria use, over any SPARQL backend.

pyshacl is the reference engine and validates one focus node at a time. This module answers the
same question, "which of these nodes conform to shape S?", for a whole set of nodes at once: each
property path is one SPARQL query over the backend (one case graph, or a whole batch in Oxigraph),
and the constraint components are set operations in Python. No per-row EXISTS, no date arithmetic.
The differential tests keep it equal to pyshacl.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .errors import ShapeError
from .vocab import DCTERMS, IMR, RDF, RDFS, SH, SKOS, curie

__all__ = ["Backend", "ShapeEvaluator", "Term", "sparql_path"]

Term = str | Literal
"""IRIs and blank nodes as strings ('_:' + id for blank nodes), literals as rdflib Literals."""


class Backend(Protocol):
    """Where the data lives: one rdflib case graph, or a whole batch in an Oxigraph store."""

    def pairs(self, path: str) -> list[tuple[Term, Term]]:
        """Every (subject, value) pair linked by a SPARQL property path."""
        ...

    def instances(self, cls: str) -> set[Term]:
        """Every node with rdf:type cls (types are materialised when a case is built)."""
        ...


_IGNORED = {
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.severity,
    SH.deactivated,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.group,
    SH.rule,
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SKOS.definition,
    DCTERMS.source,
    SH.qualifiedValueShapesDisjoint,
}


class ShapeEvaluator:
    """Answers `conforming(shape, nodes)` for node shapes of a shapes graph over a backend.

    Path results and class extents are cached per evaluator, so create one per batch.
    """

    def __init__(self, shapes: Graph, backend: Backend) -> None:
        self.shapes = shapes
        self.backend = backend
        self._values: dict[str, dict[Term, list[Term]]] = {}
        self._instances: dict[str, set[Term]] = {}

    def conforming(self, shape: Node, nodes: Iterable[Term]) -> set[Term]:
        """The subset of `nodes` that conforms to the node shape `shape`.

        Raises
        ------
        ShapeError
            When the shape uses a constraint component this evaluator does not implement.
        """
        if (shape, SH.path, None) in self.shapes:
            return self._property_conforming(shape, set(nodes))
        result = set(nodes)
        for predicate, value in sorted(self.shapes.predicate_objects(shape), key=_key):
            if not result:
                break
            if predicate in _IGNORED or str(predicate).startswith(str(IMR)):
                continue
            result = self._apply_node_constraint(shape, predicate, value, result)
        return result

    def values(self, path_node: Node) -> dict[Term, list[Term]]:
        """Subject -> values along a SHACL path, over the whole backend (cached)."""
        path = sparql_path(self.shapes, path_node)
        if path not in self._values:
            table: dict[Term, list[Term]] = defaultdict(list)
            for subject, value in self.backend.pairs(path):
                table[subject].append(_canonical(value) if isinstance(value, Literal) else value)
            self._values[path] = dict(table)
        return self._values[path]

    def instances(self, cls: Node) -> set[Term]:
        key = str(cls)
        if key not in self._instances:
            self._instances[key] = self.backend.instances(key)
        return self._instances[key]

    # -- node-level components ---------------------------------------------------------------

    def _apply_node_constraint(
        self, shape: Node, predicate: Node, value: Node, nodes: set[Term]
    ) -> set[Term]:
        if predicate == SH.property:
            return self._property_conforming(value, nodes)
        if predicate == SH.node:
            return self.conforming(value, nodes)
        if predicate == SH["and"]:
            for member in self._list(value):
                nodes = self.conforming(member, nodes)
            return nodes
        if predicate == SH["or"]:
            union: set[Term] = set()
            for member in self._list(value):
                union |= self.conforming(member, nodes - union)
            return union
        if predicate == SH["not"]:
            return nodes - self.conforming(value, nodes)
        if predicate == SH["class"]:
            return nodes & self.instances(value)
        if predicate == SH.hasValue:
            return nodes & {_term(value)}
        if predicate == SH["in"]:
            return nodes & {_term(v) for v in self._list(value)}
        raise ShapeError(
            f"shape {_name(shape)} uses {curie(str(predicate))}, which the bulk engine does not "
            "implement",
            hint="use the SHACL core components listed in docs/criteria.md, or run with "
            "--engine reference",
        )

    # -- property shapes ------------------------------------------------------------------------

    def _property_conforming(self, shape: Node, nodes: set[Term]) -> set[Term]:
        path_node = self.shapes.value(shape, SH.path)
        if path_node is None:
            raise ShapeError(f"property shape {_name(shape)} has no sh:path", hint="add sh:path")
        table = self.values(path_node)
        result = set(nodes)
        qualified = self.shapes.value(shape, SH.qualifiedValueShape)
        if qualified is not None:
            result = self._qualified(shape, qualified, table, result)
        for predicate, value in sorted(self.shapes.predicate_objects(shape), key=_key):
            if not result:
                break
            if predicate in _IGNORED or predicate in _QUALIFIED or predicate == SH.path:
                continue
            if str(predicate).startswith(str(IMR)):
                continue
            result = self._apply_value_constraint(shape, predicate, value, table, result)
        return result

    def _qualified(
        self, shape: Node, qualified: Node, table: dict[Term, list[Term]], nodes: set[Term]
    ) -> set[Term]:
        low = self.shapes.value(shape, SH.qualifiedMinCount)
        high = self.shapes.value(shape, SH.qualifiedMaxCount)
        candidates = {v for n in nodes for v in table.get(n, ())}
        good = self.conforming(qualified, candidates)
        kept = set()
        for node in nodes:
            count = len({v for v in table.get(node, ()) if v in good})
            if low is not None and count < int(low):
                continue
            if high is not None and count > int(high):
                continue
            kept.add(node)
        return kept

    def _apply_value_constraint(
        self,
        shape: Node,
        predicate: Node,
        value: Node,
        table: dict[Term, list[Term]],
        nodes: set[Term],
    ) -> set[Term]:
        if predicate == SH.minCount:
            return {n for n in nodes if len(set(table.get(n, ()))) >= int(value)}
        if predicate == SH.maxCount:
            return {n for n in nodes if len(set(table.get(n, ()))) <= int(value)}
        if predicate == SH.hasValue:
            target = _term(value)
            return {n for n in nodes if target in table.get(n, ())}
        if predicate in _COMPARISONS:
            bound = value
            test = _COMPARISONS[predicate]
            return {n for n in nodes if all(_compare(test, v, bound) for v in table.get(n, ()))}
        if predicate == SH["in"]:
            allowed = {_term(v) for v in self._list(value)}
            return {n for n in nodes if all(v in allowed for v in table.get(n, ()))}
        if predicate in (SH["class"], SH.node, SH["not"], SH["and"], SH["or"]):
            every_value = {v for n in nodes for v in table.get(n, ())}
            inner = _single_constraint_shape(predicate, value)
            good = self._conforming_with(inner, every_value)
            return {n for n in nodes if all(v in good for v in table.get(n, ()))}
        raise ShapeError(
            f"property shape {_name(shape)} uses {curie(str(predicate))}, which the bulk engine "
            "does not implement",
            hint="use the SHACL core components listed in docs/criteria.md, or run with "
            "--engine reference",
        )

    def _conforming_with(self, constraint: tuple[Node, Node], nodes: set[Term]) -> set[Term]:
        predicate, value = constraint
        return self._apply_node_constraint(BNode("inline"), predicate, value, nodes)

    def _list(self, head: Node) -> list[Node]:
        return list(Collection(self.shapes, head))


_QUALIFIED = {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
_COMPARISONS = {
    SH.minInclusive: lambda a, b: a >= b,
    SH.maxInclusive: lambda a, b: a <= b,
    SH.minExclusive: lambda a, b: a > b,
    SH.maxExclusive: lambda a, b: a < b,
}


def _single_constraint_shape(predicate: Node, value: Node) -> tuple[Node, Node]:
    return predicate, value


def _compare(test: object, value: Term, bound: Node) -> bool:
    if not isinstance(value, Literal) or not isinstance(bound, Literal):
        return False
    left, right = value.toPython(), bound.toPython()
    try:
        return bool(test(left, right))  # type: ignore[operator]
    except TypeError:
        return False


def sparql_path(shapes: Graph, node: Node) -> str:
    """Render a SHACL path as a SPARQL 1.1 property path with full IRIs.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:s> sh:path ( <urn:a> [ sh:inversePath <urn:b> ] ) .''', format="turtle")
    >>> sparql_path(g, g.value(URIRef("urn:s"), SH.path))
    '(<urn:a>/^<urn:b>)'
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in shapes:
        return "(" + "/".join(sparql_path(shapes, n) for n in Collection(shapes, node)) + ")"
    for predicate, template in _PATH_FORMS.items():
        inner = shapes.value(node, predicate)
        if inner is not None:
            if predicate == SH.alternativePath:
                members = "|".join(sparql_path(shapes, n) for n in Collection(shapes, inner))
                return f"({members})"
            return template.format(sparql_path(shapes, inner))
    raise ShapeError(
        f"unsupported SHACL path {_name(node)}",
        hint="use an IRI, a sequence, sh:inversePath, sh:alternativePath or sh:zeroOrMorePath",
    )


_PATH_FORMS = {
    SH.inversePath: "^{}",
    SH.alternativePath: "{}",
    SH.zeroOrMorePath: "{}*",
    SH.oneOrMorePath: "{}+",
    SH.zeroOrOnePath: "{}?",
}


def _term(node: Node) -> Term:
    if isinstance(node, Literal):
        return _canonical(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _canonical(literal: Literal) -> Literal:
    """One form for each literal, as RDF 1.1 has it: "C6" and "C6"^^xsd:string are the same
    term. rdflib keeps them apart and Oxigraph returns every simple literal typed, so without
    this sh:hasValue "C6" and sh:in ( "C6" ) never matched a value read from Oxigraph, and the
    bulk engine disagreed with pyshacl on string constants.

    Examples
    --------
    >>> _canonical(Literal("C6", datatype=_XSD_STRING)) == Literal("C6")
    True
    >>> _canonical(Literal("C6", lang="en")) == Literal("C6", lang="en")
    True
    """
    if literal.datatype == _XSD_STRING and not literal.language:
        return Literal(str(literal))
    return literal


def _key(pair: tuple[Node, Node]) -> tuple[str, str]:
    return str(pair[0]), str(pair[1])


def _name(node: Node) -> str:
    return curie(str(node)) if isinstance(node, URIRef) else "a blank-node shape"
