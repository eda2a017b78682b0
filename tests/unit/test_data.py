"""The project's data is sound: Turtle parses, shapes pass meta-SHACL, queries prepare, checks
return no rows, and every imr: term the engine uses is defined in the ontology."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from reasoner.knowledge import load_knowledge
from reasoner.load import PROJECT_ROOT, parse_turtle
from reasoner.queries import find_queries
from reasoner.vocab import IMR, RDF

TURTLE = sorted(
    p for folder in ("ontology", "shapes", "data") for p in (PROJECT_ROOT / folder).rglob("*.ttl")
)
QUERIES = find_queries()


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_turtle_file_parses(path: Path) -> None:
    assert len(parse_turtle(path)) > 0


def test_shapes_pass_meta_shacl() -> None:
    knowledge = load_knowledge()
    shapes = knowledge.shapes + knowledge.intake + knowledge.rules
    conforms, _, text = validate(Graph(), shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_prepares_in_both_engines(name: str) -> None:
    prepareQuery(QUERIES[name].text)
    ox.Store().query(QUERIES[name].text)


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.is_check))
def test_checks_find_no_violations(name: str) -> None:
    graph = load_knowledge().everything
    rows = list(graph.query(QUERIES[name].text))
    assert rows == [], f"{name}: {[tuple(map(str, r)) for r in rows]}"


def test_checks_catch_a_criterion_without_page() -> None:
    graph = Graph()
    graph.add((URIRef("urn:x:c"), RDF.type, IMR.Criterion))
    rows = list(graph.query(QUERIES["criterion-without-page-violation"].text))
    assert [str(r[0]) for r in rows] == ["urn:x:c"]


def test_every_imr_term_used_by_the_engine_is_defined() -> None:
    ontology = load_knowledge().ontology
    used = set()
    for module in (PROJECT_ROOT / "reasoner").glob("*.py"):
        used |= set(re.findall(r"\bIMR\.(\w+)", module.read_text(encoding="utf-8")))
    missing = sorted(t for t in used if (IMR[t], None, None) not in ontology)
    assert missing == []
