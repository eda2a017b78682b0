"""The bulk engine equals the pyshacl reference and the per-case set engine, case by case.

Each example is a small batch of synthetic cases (reasoner.synthetic, hypothesis-drawn seed and
indices) decided together in one Oxigraph store, so that cases sharing a store cannot leak into
one another; every case is also decided alone by `pipeline.determine_case` with
engine="reference" (pyshacl) and engine="sets". Compared: the status and unmet requirements of
every (request, criterion), the outcome and decision, the evidence, and the justification graph
(isomorphic once the imr:engine literal is dropped).

IMRKG_ENGINE_EXAMPLES sets the number of examples (default 40, about 30 s; pyshacl dominates).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from reasoner.build import CaseGraph, build_case, read_case_file
from reasoner.bulk import BulkCaseResult, determine_batch, prepare_case
from reasoner.justify import RequestResult
from reasoner.knowledge import Knowledge, load_knowledge
from reasoner.load import PROJECT_ROOT
from reasoner.pipeline import CaseResult, determine_case
from reasoner.shapes import ShapeEvaluator
from reasoner.store import GraphBackend, OxigraphBackend
from reasoner.synthetic import case_iri, synthetic_case

ENGINE = URIRef("https://w3id.org/imrkg/ontology#engine")
SEED = PROJECT_ROOT / "data" / "cases" / "seed-cervical-ct.ttl"
AGREE = settings(
    max_examples=int(os.environ.get("IMRKG_ENGINE_EXAMPLES", "40")),
    derandomize=True,
    deadline=None,
    database=None,
)


@cache
def knowledge() -> Knowledge:
    return load_knowledge()


def built(seed: int, index: int) -> CaseGraph:
    graph = synthetic_case(seed, index)
    return build_case(
        graph,
        URIRef(case_iri(seed, index) + "case"),
        knowledge(),
        source=Path(f"synthetic-{seed}-{index}.ttl"),
    )


def summary(result: RequestResult) -> tuple[object, ...]:
    """Everything decided about one request, engine name aside."""
    evaluations = tuple((e.criterion, e.status, e.unmet) for e in result.evaluations)
    evidence = tuple(sorted(result.evidence.items()))
    return (
        result.request,
        result.selection,
        result.outcome,
        result.decision,
        evaluations,
        evidence,
    )


def without_engine(graph: Graph) -> Graph:
    kept = Graph()
    for triple in graph:
        if triple[1] != ENGINE:
            kept.add(triple)
    return kept


def assert_same_graph(actual: Graph, expected: Graph, label: str) -> None:
    a, e = (to_isomorphic(without_engine(g)) for g in (actual, expected))
    if a != e:
        _, only_a, only_e = graph_diff(a, e)
        pytest.fail(
            f"{label}: justification graphs differ\nonly in bulk:\n"
            f"{only_a.serialize(format='nt')}\nonly in reference:\n"
            f"{only_e.serialize(format='nt')}"
        )


def assert_agree(bulk: BulkCaseResult, other: CaseResult, label: str) -> None:
    assert (bulk.source, bulk.case) == (other.source, other.case)
    assert [summary(r) for r in bulk.results] == [summary(r) for r in other.results], label
    assert_same_graph(bulk.justification(), other.justification, label)


class TestBulkEqualsReference:
    @AGREE
    @given(
        seed=st.integers(min_value=0, max_value=2**31),
        indices=st.lists(
            st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4, unique=True
        ),
    )
    def test_synthetic_batch(self, seed: int, indices: list[int]) -> None:
        cases = [built(seed, i) for i in indices]
        batch = determine_batch(cases, knowledge())
        assert len(batch.cases) == len(cases)
        for case, bulk in zip(cases, batch.cases, strict=True):
            label = f"{case.case} (seed {seed})"
            assert_agree(bulk, determine_case(case, knowledge(), engine="reference"), label)
            assert_agree(bulk, determine_case(case, knowledge(), engine="sets"), label)

    @AGREE
    @given(
        seed=st.integers(min_value=0, max_value=2**31),
        start=st.integers(min_value=0, max_value=10**6),
    )
    def test_light_build_equals_build_case(self, seed: int, start: int) -> None:
        """prepare_case (no background copy) decides exactly as a built CaseGraph does."""
        indices = range(start, start + 5)
        graphs = {i: synthetic_case(seed, i) for i in indices}
        light = [
            prepare_case(
                graphs[i],
                URIRef(case_iri(seed, i) + "case"),
                knowledge(),
                source=Path(f"synthetic-{seed}-{i}.ttl"),
            )
            for i in indices
        ]
        heavy = [built(seed, i) for i in indices]
        for a, b in zip(
            determine_batch(light, knowledge()).cases,
            determine_batch(heavy, knowledge()).cases,
            strict=True,
        ):
            assert [summary(r) for r in a.results] == [summary(r) for r in b.results]
            assert set(a.triples()) == set(b.triples())


class TestProjectCases:
    def test_seed_justification_is_the_reference_one(self) -> None:
        [case] = read_case_file(SEED, knowledge())
        [bulk] = determine_batch([case], knowledge()).cases
        reference = determine_case(case, knowledge(), engine="reference")
        assert [r.outcome for r in bulk.results] == ["Upheld"]
        assert_agree(bulk, reference, "seed")

    def test_case_files_together_with_synthetic_cases(self) -> None:
        """Every case file of data/cases/ in one store with synthetic cases: each comes out as
        the reference decides it alone."""
        files = sorted((PROJECT_ROOT / "data" / "cases").rglob("*.ttl"))
        cases = [c for path in files for c in read_case_file(path, knowledge())]
        cases += [built(7, i) for i in range(10)]
        batch = determine_batch(cases, knowledge())
        for case, bulk in zip(cases, batch.cases, strict=True):
            reference = determine_case(case, knowledge(), engine="reference")
            assert_agree(bulk, reference, str(case.source))


STRING_PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix imr: <https://w3id.org/imrkg/ontology#> .
"""
STRING_SHAPES = {
    "hasValue": 'sh:property [ sh:path imr:nerveRoot ; sh:hasValue "C6" ]',
    "in": 'sh:property [ sh:path imr:nerveRoot ; sh:in ( "C5" "C6" ) ]',
    "value node in": 'sh:property [ sh:path imr:nerveRoot ; sh:node [ sh:in ( "C6" ) ] ]',
}
STRING_DATA = """
@prefix imr: <https://w3id.org/imrkg/ontology#> .
<urn:c6> a imr:NeurologicFinding ; imr:nerveRoot "C6" .
<urn:c7> a imr:NeurologicFinding ; imr:nerveRoot "C7" .
"""


class TestStringConstants:
    @pytest.mark.parametrize("constraint", list(STRING_SHAPES.values()), ids=list(STRING_SHAPES))
    def test_string_constants_match_values_read_from_oxigraph(self, constraint: str) -> None:
        """Regression: Oxigraph returns "C6" as "C6"^^xsd:string, which rdflib does not equate
        with the shape's "C6" (RDF 1.1 does: they are one literal), so the set evaluator over
        Oxigraph found no node conforming to a sh:hasValue or sh:in string constant where
        pyshacl found <urn:c6>."""
        shapes = Graph().parse(
            data=f"{STRING_PREFIXES} <urn:shape> a sh:NodeShape ; "
            f"sh:targetClass imr:NeurologicFinding ; {constraint} .",
            format="turtle",
        )
        data = Graph().parse(data=STRING_DATA, format="turtle")
        store = ox.Store()
        store.load(input=STRING_DATA, format=ox.RdfFormat.TURTLE)
        nodes = {"urn:c6", "urn:c7"}
        _, report, _ = validate(data, shacl_graph=shapes)
        focus = URIRef("http://www.w3.org/ns/shacl#focusNode")
        reference = nodes - {str(f) for f in report.objects(None, focus)}
        in_memory = ShapeEvaluator(shapes, GraphBackend(data)).conforming(
            URIRef("urn:shape"), nodes
        )
        bulk = ShapeEvaluator(shapes, OxigraphBackend(store)).conforming(URIRef("urn:shape"), nodes)
        assert reference == in_memory == bulk == {"urn:c6"}
