"""Where graphs live: rdflib in memory for one case, Oxigraph for a batch; both answer paths."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import InputFileError, Location
from .shapes import Term

__all__ = ["GraphBackend", "OxigraphBackend", "from_ox", "load_into_store", "to_term"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def to_term(node: Node) -> Term:
    """An rdflib node as an evaluator term (IRIs as str, blank nodes as '_:id')."""
    if isinstance(node, Literal):
        return node
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def from_ox(term: object) -> Term:
    """A pyoxigraph term as an evaluator term; literals become rdflib Literals."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    raise TypeError(f"unexpected term {term!r}")


@lru_cache(maxsize=1 << 16)  # bounded: free-text literals are mostly unique
def _literal(value: str, language: str | None, datatype: str) -> Literal:
    """Batches repeat the same literals (day numbers, statuses' labels) many times over."""
    if language:
        return Literal(value, lang=language)
    return Literal(value, datatype=URIRef(datatype))


class GraphBackend:
    """One self-contained case graph in rdflib (the reference engine's world)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def pairs(self, path: str) -> list[tuple[Term, Term]]:
        rows = self.graph.query(_path_query(path))
        return [(to_term(s), to_term(o)) for s, o in rows]  # type: ignore[misc]

    def instances(self, cls: str) -> set[Term]:
        return {to_term(s) for s in self.graph.subjects(URIRef(_RDF_TYPE), URIRef(cls))}


@cache
def _path_query(path: str) -> Query:
    """Parsed once per process: rdflib would otherwise re-parse it for every case."""
    return prepareQuery(f"SELECT ?s ?o WHERE {{ ?s {path} ?o }}")


class OxigraphBackend:
    """A whole batch in one Oxigraph store: one query per path for every case at once."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def pairs(self, path: str) -> list[tuple[Term, Term]]:
        result = self.store.query(f"SELECT ?s ?o WHERE {{ ?s {path} ?o }}")
        return [(from_ox(row[0]), from_ox(row[1])) for row in result]  # type: ignore[union-attr]

    def instances(self, cls: str) -> set[Term]:
        quads: Iterable[ox.Quad] = self.store.quads_for_pattern(
            None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(cls), None
        )
        return {from_ox(q.subject) for q in quads}


_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS}


def load_into_store(paths: Sequence[Path], store: ox.Store | None = None) -> ox.Store:
    """Bulk-load RDF files into an in-memory Oxigraph store (Turtle, N-Triples, N-Quads).

    Raises
    ------
    InputFileError
        When a file is missing, of an unknown kind, or does not parse (with line and column).
    """
    store = store if store is not None else ox.Store()
    for path in paths:
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputFileError(
                f"unknown RDF file kind {path.suffix!r}",
                where=Location(path),
                hint="use .ttl, .nt or .nq",
            )
        if not path.is_file():
            raise InputFileError(
                "file not found", where=Location(path), hint="check the path (it is read as given)"
            )
        try:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        except SyntaxError as exc:
            line = getattr(exc, "lineno", None)
            column = getattr(exc, "offset", None)
            raise InputFileError(
                f"invalid RDF: {exc.msg}",
                where=Location(path, line, column),
                hint="fix the syntax error at this position",
            ) from None
    return store
