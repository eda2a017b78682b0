"""Tests for reasoner.bulk on a small deterministic batch of synthetic cases."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from reasoner.build import build_case, read_case_file
from reasoner.bulk import (
    STAGES,
    BatchResult,
    BulkCase,
    determine_batch,
    iter_batch,
    prepare_case,
    write_justifications,
)
from reasoner.criteria import read_catalogue
from reasoner.errors import BadDateError, InputFileError, MissingFieldError
from reasoner.knowledge import Knowledge, load_knowledge
from reasoner.load import PROJECT_ROOT
from reasoner.pipeline import CaseResult
from reasoner.synthetic import LATEST_DATE, case_iri, synthetic_case, synthetic_cases

SEED = PROJECT_ROOT / "data" / "cases" / "seed-cervical-ct.ttl"
IMR = "https://w3id.org/imrkg/ontology#"
N = 50


@cache
def knowledge() -> Knowledge:
    return load_knowledge()


def prepared(n: int = N, seed: int = 3) -> list[BulkCase]:
    return [
        prepare_case(
            graph,
            URIRef(case_iri(seed, i) + "case"),
            knowledge(),
            source=Path(f"synthetic-{seed}-{i}.ttl"),
        )
        for i, graph in enumerate(synthetic_cases(n, seed))
    ]


@cache
def batch() -> BatchResult:
    return determine_batch(prepared(), knowledge())


class TestDetermineBatch:
    def test_one_result_per_case_in_input_order(self) -> None:
        cases = prepared()
        assert [r.case for r in batch().cases] == [c.case for c in cases]
        assert len(batch()) == N

    def test_one_result_per_request_in_item_order(self) -> None:
        for case, result in zip(prepared(), batch().cases, strict=True):
            assert tuple(r.request.iri for r in result.results) == case.requests
            assert [r.request.item_index for r in result.results] == list(range(len(case.requests)))

    def test_every_evaluated_request_has_every_criterion_of_its_rule(self) -> None:
        catalogue = read_catalogue(load_knowledge())
        for result in (r for c in batch().cases for r in c.results):
            if result.outcome == "Not evaluated":
                assert result.evaluations == ()
            else:
                assert result.selection.rule is not None
                rule_criteria = catalogue.criteria_of(result.selection.rule)
                assert [e.criterion for e in result.evaluations] == [c.iri for c in rule_criteria]
                assert set(result.evidence) == {e.criterion for e in result.evaluations}

    def test_outcomes_are_mixed(self) -> None:
        outcomes = Counter(r.outcome for c in batch().cases for r in c.results)
        assert outcomes["Upheld"] > 0
        assert outcomes["Overturned"] > 0
        # synthetic cases span every region; some ask what no verified criterion decides
        assert outcomes["Upheld"] + outcomes["Overturned"] >= 0.7 * sum(outcomes.values())

    def test_many_rules_are_exercised(self) -> None:
        rules = {r.selection.rule.iri for c in batch().cases for r in c.results if r.selection.rule}
        assert len(rules) >= 5

    def test_statuses_are_mixed(self) -> None:
        statuses = {e.status for c in batch().cases for r in c.results for e in r.evaluations}
        assert statuses == {"met", "not met", "not documented", "not applicable"}

    def test_stage_timings(self) -> None:
        assert set(batch().seconds) == set(STAGES)
        assert all(s >= 0 for s in batch().seconds.values())

    def test_deterministic(self) -> None:
        again = determine_batch(prepared(), knowledge())
        for a, b in zip(batch().cases, again.cases, strict=True):
            assert a.results == b.results
            assert set(a.triples()) == set(b.triples())

    def test_store_size_does_not_change_results(self) -> None:
        small = list(iter_batch(prepared(), knowledge(), batch_size=7))
        for a, b in zip(batch().cases, small, strict=True):
            assert a.results == b.results
            assert set(a.triples()) == set(b.triples())

    def test_iterating_gives_case_results_with_graphs(self) -> None:
        [case] = read_case_file(SEED, knowledge())
        result = next(iter(determine_batch([case], knowledge())))
        assert isinstance(result, CaseResult)
        assert isinstance(result.justification, Graph)
        assert [r.outcome for r in result.results] == ["Upheld"]

    def test_engine_is_recorded(self) -> None:
        result = batch().cases[0]
        engines = {o for _, p, o in result.triples() if str(p) == IMR + "engine"}
        assert engines == {Literal("bulk")}


class TestJustificationTriples:
    def test_own_and_shared_are_disjoint(self) -> None:
        for result in batch().cases:
            assert not set(result.own) & result.shared
            assert len(set(result.own)) == len(result.own)

    def test_every_determination_is_in_its_graph(self) -> None:
        for case in batch().cases:
            subjects = {str(s) for s, _, _ in case.own}
            for request in case.results:
                assert request.request.iri + "/determination" in subjects

    def test_no_blank_nodes(self) -> None:
        for case in batch().cases:
            for triple in case.triples():
                assert all(isinstance(term, URIRef | Literal) for term in triple)


class TestWriteJustifications:
    def test_nquads_one_graph_per_case(self, tmp_path: Path) -> None:
        target = tmp_path / "all.nq"
        lines = write_justifications(batch().cases, target)
        store = ox.Store()
        store.load(path=target, format=ox.RdfFormat.N_QUADS)
        assert len(store) == lines == sum(len(c.own) + len(c.shared) for c in batch().cases)
        graphs = {g.value for g in store.named_graphs()}
        assert graphs == {c.case + "/justification" for c in batch().cases}

    def test_ntriples_merge_without_repeats(self, tmp_path: Path) -> None:
        target = tmp_path / "all.nt"
        lines = write_justifications(batch().cases, target, fmt="nt")
        store = ox.Store()
        store.load(path=target, format=ox.RdfFormat.N_TRIPLES)
        assert len(store) == lines == len({t for c in batch().cases for t in c.triples()})

    def test_nquads_round_trip_to_the_same_graph(self, tmp_path: Path) -> None:
        case = batch().cases[0]
        target = tmp_path / "one.nq"
        write_justifications([case], target)
        text = target.read_text(encoding="utf-8").replace(f" <{case.case}/justification> .", " .")
        assert set(Graph().parse(data=text, format="nt")) == set(case.triples())

    def test_unknown_format(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match=r"unknown justification format 'ttl'"):
            write_justifications(batch().cases, tmp_path / "x", fmt="ttl")
        assert not list(tmp_path.iterdir())


class TestPrepareCase:
    def test_loads_no_background(self) -> None:
        graph = synthetic_case(3, 0)
        case = prepare_case(
            graph, URIRef(case_iri(3, 0) + "case"), knowledge(), source=Path("x.ttl")
        )
        assert len(case.ntriples.splitlines()) < 3 * len(graph)
        assert "skos/core#broader" not in case.ntriples

    def test_same_triples_as_build_case_minus_background(self) -> None:
        graph = synthetic_case(3, 1)
        iri = URIRef(case_iri(3, 1) + "case")
        light = prepare_case(graph, iri, knowledge(), source=Path("x.ttl"))
        heavy = build_case(graph, iri, knowledge(), source=Path("x.ttl"))
        loaded = set(Graph().parse(data=light.ntriples, format="nt"))
        assert loaded == set(heavy.graph) - set(knowledge().background)

    def test_future_date(self) -> None:
        graph = synthetic_case(3, 2)
        with pytest.raises(BadDateError, match=r"is in the future"):
            prepare_case(
                graph,
                URIRef(case_iri(3, 2) + "case"),
                knowledge(),
                source=Path("x.ttl"),
                today=dt.date(2000, 1, 1),
            )

    def test_no_request(self) -> None:
        graph = Graph()
        case = URIRef("https://w3id.org/imrkg/case/empty/case")
        graph.add(
            (case, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(IMR + "Case"))
        )
        with pytest.raises(MissingFieldError, match=r"has no disputed request"):
            prepare_case(graph, case, knowledge(), source=Path("empty.ttl"))

    def test_invalid_iri_names_the_case(self) -> None:
        graph = synthetic_case(3, 4)
        graph.add(
            (
                URIRef(case_iri(3, 4) + "case"),
                URIRef(IMR + "hasFact"),
                URIRef(case_iri(3, 4) + "a fact with spaces"),
            )
        )
        case = prepare_case(
            graph, URIRef(case_iri(3, 4) + "case"), knowledge(), source=Path("bad-iri.ttl")
        )
        with pytest.raises(InputFileError, match=r"bad-iri\.ttl.*is not valid RDF"):
            determine_batch([case], knowledge())


class TestSyntheticCases:
    def test_deterministic_and_independent_of_batch_size(self) -> None:
        assert set(synthetic_case(9, 4)) == set(list(synthetic_cases(5, 9))[4])
        assert set(synthetic_case(9, 4)) != set(synthetic_case(10, 4))

    def test_dates_in_the_past_and_requests_5_days_to_4_years_after_injury(self) -> None:
        for case in batch().cases:
            for result in case.results:
                assert result.request.date is not None
                assert result.request.date <= LATEST_DATE
        for i, graph in enumerate(synthetic_cases(N, 3)):
            injury = graph.value(URIRef(case_iri(3, i) + "injury"), URIRef(IMR + "date"))
            for request in graph.objects(None, URIRef(IMR + "hasRequest")):
                date = graph.value(request, URIRef(IMR + "date"))
                assert 5 <= (date.value - injury.value).days <= 4 * 365
            assert all(d.value <= LATEST_DATE for d in graph.objects(None, URIRef(IMR + "date")))
