"""Tests for reasoner.explain: the justification digraph, why-paths, and what would change it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef

from reasoner.build import build_case
from reasoner.criteria import Catalogue, read_catalogue
from reasoner.decide import ALL_APPLICABLE, ANY_OF, decide, group_satisfied
from reasoner.explain import (
    Change,
    Explanation,
    criteria_to_meet,
    criteria_to_unmeet,
    explain_case,
    explain_request,
    explanation_json,
    explanation_text,
    justification_digraph,
    minimal_support,
    why_paths,
)
from reasoner.knowledge import Knowledge, load_knowledge
from reasoner.pipeline import CaseResult, determine_case
from reasoner.vocab import CRIT, GL, IMR, RDF, REGION

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "cases" / "seed-cervical-ct.ttl"
CASE = Namespace("https://w3id.org/imrkg/case/seed-cervical-ct/")
REQUEST = str(CASE["request-0"])
DETERMINATION = REQUEST + "/determination"
NEURO = str(CASE["neuro-2014-08-27"])
REPEAT = str(CRIT.RepeatImagingAfterSignificantChange)
STATUSES = ("met", "not met", "not documented", "not applicable")


def seed_graph() -> Graph:
    """The seed case file as parsed (a fresh copy each call)."""
    return Graph().parse(SEED, format="turtle")


def add_new_deficit(graph: Graph) -> Graph:
    """The seed plus a new, definitive C6 deficit on the request date: a significant change."""
    finding = URIRef(NEURO)
    graph += [
        (finding, RDF.type, IMR.NeurologicFinding),
        (finding, IMR.date, Literal(dt.date(2014, 8, 27))),
        (finding, IMR.description, Literal("new C6 deficit on examination")),
        (finding, IMR.clinicalStatus, IMR.New),
        (finding, IMR.certainty, IMR.Definitive),
        (finding, IMR.nerveRoot, Literal("C6")),
        (finding, IMR.presence, IMR.Present),
        (finding, IMR.bodyRegion, REGION.CervicalSpine),
        (CASE.case, IMR.hasFact, finding),
    ]
    return graph


def remove_facts(graph: Graph, facts: tuple[str, ...]) -> Graph:
    """The case file without the given facts: their own triples and every link to them."""
    for fact in facts:
        graph.remove((URIRef(fact), None, None))
        graph.remove((None, None, URIRef(fact)))
    return graph


def determine(graph: Graph, knowledge: Knowledge) -> CaseResult:
    return determine_case(build_case(graph, CASE.case, knowledge, source=SEED), knowledge)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def catalogue(knowledge: Knowledge) -> Catalogue:
    return read_catalogue(knowledge)


@pytest.fixture(scope="module")
def seed(knowledge: Knowledge) -> CaseResult:
    return determine(seed_graph(), knowledge)


@pytest.fixture(scope="module")
def variant(knowledge: Knowledge) -> CaseResult:
    return determine(add_new_deficit(seed_graph()), knowledge)


@pytest.fixture(scope="module")
def seed_explanation(seed: CaseResult, catalogue: Catalogue) -> Explanation:
    return explain_request(seed.justification, REQUEST, catalogue)


@pytest.fixture(scope="module")
def variant_explanation(variant: CaseResult, catalogue: Catalogue) -> Explanation:
    return explain_request(variant.justification, DETERMINATION, catalogue)


class TestJustificationDigraph:
    def test_kinds_and_relations(self, seed: CaseResult) -> None:
        G = justification_digraph(seed.justification)
        kinds = set(nx.get_node_attributes(G, "kind").values())
        assert kinds == {
            "determination",
            "decision",
            "group result",
            "group",
            "evaluation",
            "criterion",
            "fact",
            "request",
            "segment",
            "part",
        }
        assert G.edges[DETERMINATION, REQUEST + "/decision"]["relation"] == "prov:wasGeneratedBy"
        assert all(":" in r and not r.startswith("<") for *_, r in G.edges(data="relation"))
        assert nx.is_directed_acyclic_graph(G)

    def test_everything_hangs_off_a_determination(self, seed: CaseResult) -> None:
        G = justification_digraph(seed.justification)
        assert nx.descendants(G, DETERMINATION) | {DETERMINATION} == set(G)

    def test_evaluation_attributes(self, seed: CaseResult) -> None:
        node = justification_digraph(seed.justification).nodes[
            REQUEST + "/evaluation/RepeatImagingAfterSignificantChange"
        ]
        assert (node["status"], node["decisive"], node["criterion"]) == ("not met", True, REPEAT)


class TestWhyPaths:
    def test_reaches_pages_and_letter_sentences(self, seed: CaseResult) -> None:
        paths = why_paths(justification_digraph(seed.justification), DETERMINATION)
        ends = {p[-1] for p in paths}
        assert str(GL["acoem2-ch8-pp177-182"]) in ends
        assert str(CASE["seg-1547-1657"]) in ends  # "More recent imaging ... plain films ..."
        assert all(p[0] == DETERMINATION for p in paths)

    def test_films_reached_through_the_decisive_evaluation(self, seed: CaseResult) -> None:
        paths = why_paths(justification_digraph(seed.justification), DETERMINATION)
        evaluation = REQUEST + "/evaluation/RepeatImagingAfterSignificantChange"
        assert [
            DETERMINATION,
            REQUEST + "/decision",
            evaluation,
            str(CASE["xr-2014-08-13"]),
            str(CASE["seg-1547-1657"]),
        ] in paths

    def test_unknown_determination(self, seed: CaseResult) -> None:
        with pytest.raises(nx.NodeNotFound, match=r"not a node"):
            why_paths(justification_digraph(seed.justification), "http://example.org/nope")

    def test_cycle_is_refused(self) -> None:
        with pytest.raises(nx.NetworkXUnfeasible, match=r"cycle: a -> b"):
            why_paths(nx.DiGraph([("a", "b"), ("b", "a")]), "a")


class TestExplainRequest:
    def test_seed_is_upheld_for_want_of_a_significant_change(
        self, seed_explanation: Explanation
    ) -> None:
        assert (seed_explanation.outcome, seed_explanation.item_index) == ("Upheld", 0)
        [reason] = [r for r in seed_explanation.why if r.criterion == REPEAT]
        assert reason.status == "not met"
        films = [e for e in reason.evidence if e.fact == str(CASE["xr-2014-08-13"])]
        assert films and {e.date for e in films} == {"2014-08-13"}
        assert any(
            "plain films" in (e.quote or "") and (e.start, e.end) == (1547, 1657) for e in films
        )

    def test_seed_would_be_overturned_by_a_significant_change(
        self, seed_explanation: Explanation
    ) -> None:
        single = [c for c in seed_explanation.what_would_change if c.criteria == (REPEAT,)]
        assert single and single[0].new_outcome == "Overturned"
        assert single[0].criterion == REPEAT
        assert "after the most recent study" in single[0].changes[0]

    def test_request_and_determination_iris_agree(
        self, seed: CaseResult, seed_explanation: Explanation, catalogue: Catalogue
    ) -> None:
        assert explain_request(seed.justification, DETERMINATION, catalogue) == seed_explanation

    def test_without_catalogue_reads_the_graph(
        self, seed: CaseResult, seed_explanation: Explanation
    ) -> None:
        assert explain_request(seed.justification, REQUEST, None) == seed_explanation

    def test_unknown_request(self, seed: CaseResult, catalogue: Catalogue) -> None:
        with pytest.raises(ValueError, match=r"no determination for"):
            explain_request(seed.justification, "http://example.org/nope", catalogue)

    def test_variant_is_overturned_and_removing_the_finding_is_offered(
        self, variant_explanation: Explanation
    ) -> None:
        assert variant_explanation.outcome == "Overturned"
        assert REPEAT in {r.criterion for r in variant_explanation.why}
        removals = [c for c in variant_explanation.what_would_change if NEURO in c.facts]
        assert removals and all(c.new_outcome == "Upheld" for c in removals)
        assert any("new C6 deficit" in text for text in removals[0].changes)
        assert all(t.startswith("remove/contradict: ") for t in removals[0].changes)


class TestChangesReallyFlip:
    """Applying a suggested change to the case file and deciding again flips the outcome."""

    def test_overturned_removals_flip_to_upheld(
        self, knowledge: Knowledge, variant_explanation: Explanation
    ) -> None:
        assert variant_explanation.what_would_change
        for change in variant_explanation.what_would_change:
            graph = remove_facts(add_new_deficit(seed_graph()), change.facts)
            assert determine(graph, knowledge).results[0].outcome == "Upheld", change

    def test_upheld_suggestion_met_flips_to_overturned(
        self, seed_explanation: Explanation, variant: CaseResult
    ) -> None:
        [result] = variant.results
        met = {e.criterion for e in result.evaluations if e.status == "met"}
        suggested = [c for c in seed_explanation.what_would_change if set(c.criteria) <= met]
        assert suggested and result.outcome == "Overturned"


groups_strategy = st.lists(
    st.tuples(
        st.sampled_from([ANY_OF, ALL_APPLICABLE]),
        st.lists(st.sampled_from("abcdef"), min_size=1, max_size=4, unique=True),
    ),
    min_size=1,
    max_size=4,
)
statuses_strategy = st.fixed_dictionaries({c: st.sampled_from(STATUSES) for c in "abcdef"})


def _outcome(groups: list[tuple[str, list[str]]], statuses: dict[str, str]) -> str:
    return decide([(str(i), c, m) for i, (c, m) in enumerate(groups)], statuses).outcome


class TestCriteriaToMeet:
    @settings(max_examples=300, deadline=None)
    @given(groups=groups_strategy, statuses=statuses_strategy)
    def test_each_set_flips_and_is_minimal(
        self, groups: list[tuple[str, list[str]]], statuses: dict[str, str]
    ) -> None:
        failed = [(c, m) for c, m in groups if not group_satisfied(c, [statuses[x] for x in m])]
        for change in criteria_to_meet(failed, statuses):
            assert _outcome(groups, {**statuses, **dict.fromkeys(change, "met")}) == "Overturned"
            for left_out in change:
                fewer = dict.fromkeys(change - {left_out}, "met")
                assert _outcome(groups, {**statuses, **fewer}) == "Upheld"

    @settings(max_examples=300, deadline=None)
    @given(groups=groups_strategy, statuses=statuses_strategy)
    def test_every_single_criterion_fix_is_offered(
        self, groups: list[tuple[str, list[str]]], statuses: dict[str, str]
    ) -> None:
        failed = [(c, m) for c, m in groups if not group_satisfied(c, [statuses[x] for x in m])]
        offered = criteria_to_meet(failed, statuses)
        for name, status in statuses.items():
            if (
                failed
                and status not in ("met", "not applicable")
                and _outcome(groups, {**statuses, name: "met"}) == "Overturned"
            ):
                assert frozenset([name]) in offered

    def test_shared_criterion_fixes_two_groups(self) -> None:
        statuses = {"flag": "not met", "neuro": "not met", "window": "not met"}
        failed = [(ANY_OF, ["flag", "neuro"]), (ANY_OF, ["window", "flag"])]
        sets = criteria_to_meet(failed, statuses)
        assert frozenset(["flag"]) in sets and frozenset(["flag", "window"]) not in sets

    def test_unknown_combination(self) -> None:
        with pytest.raises(ValueError, match=r"unknown combination"):
            criteria_to_meet([("http://example.org/Majority", ["a"])], {"a": "not met"})


class TestCriteriaToUnmeet:
    @settings(max_examples=300, deadline=None)
    @given(groups=groups_strategy, statuses=statuses_strategy)
    def test_losing_each_set_flips_and_is_minimal(
        self, groups: list[tuple[str, list[str]]], statuses: dict[str, str]
    ) -> None:
        satisfied = [(c, m) for c, m in groups if group_satisfied(c, [statuses[x] for x in m])]
        for change in criteria_to_unmeet(satisfied, statuses):
            lost = dict.fromkeys(change, "not met")
            assert _outcome(satisfied, {**statuses, **lost}) == "Upheld"
            for kept in change:
                assert _outcome(satisfied, {**statuses, **lost, kept: "met"}) == "Overturned"

    def test_conditional_member_is_not_offered(self) -> None:
        assert criteria_to_unmeet([(ALL_APPLICABLE, ["c"])], {"c": "met"}, {"c"}) == []


class TestMinimalSupport:
    def test_upheld_is_what_the_decisive_evaluation_looked_at(self, seed: CaseResult) -> None:
        support = minimal_support(justification_digraph(seed.justification), DETERMINATION)
        assert support == set(seed.results[0].evidence[REPEAT])

    def test_overturned_takes_the_cheapest_member_per_group(self, variant: CaseResult) -> None:
        support = minimal_support(justification_digraph(variant.justification), DETERMINATION)
        evidence = variant.results[0].evidence
        assert NEURO in support
        assert set(evidence[str(CRIT.NeckPhysiologicEvidence)]) <= support
        assert not set(evidence[str(CRIT.NeckNerveRootCompromise)]) <= support - set(
            evidence[str(CRIT.NeckConservativeCareFailed)]
        )

    def test_unknown_determination(self, seed: CaseResult) -> None:
        with pytest.raises(nx.NodeNotFound, match=r"not a node"):
            minimal_support(justification_digraph(seed.justification), "http://example.org/x")


class TestExplainCase:
    def test_one_explanation_per_item(self, seed: CaseResult, catalogue: Catalogue) -> None:
        explanations = explain_case(seed.justification, catalogue)
        assert [e.item_index for e in explanations] == [0]
        assert explanations[0].request == REQUEST


class TestExplanationJson:
    def test_exact_shape(self, seed_explanation: Explanation) -> None:
        data = json.loads(json.dumps(explanation_json(seed_explanation)))
        assert list(data) == ["item_index", "outcome", "why", "what_would_change"]
        [why] = data["why"]
        assert list(why) == ["criterion", "status", "pages", "sources", "evidence"]
        assert why["criterion"] == "crit:RepeatImagingAfterSignificantChange"
        assert set(why["evidence"][0]) == {"fact", "text", "date", "quote", "start", "end"}
        [change] = data["what_would_change"]
        assert list(change) == ["changes", "criterion", "pages", "sources", "new_outcome"]
        assert change["new_outcome"] == "Overturned"

    def test_an_unpaged_change_still_names_its_source(self, seed_explanation: Explanation) -> None:
        """The ODG repeat-imaging rule has no pages: the change says which section it is."""
        [change] = explanation_json(seed_explanation)["what_would_change"]
        assert change["pages"] == ""
        [source] = change["sources"]
        assert source["id"].startswith("gl:odg")
        assert "MRI" in source["label"] and source["pages"] is None

    def test_best_change_removes_only_the_new_finding(
        self, variant_explanation: Explanation
    ) -> None:
        """The prior studies only make the repeat criterion apply (imr:usedAsPrecondition), so
        the smallest flip is removing the new C6 finding alone."""
        changes = explanation_json(variant_explanation)["what_would_change"]
        assert changes[0]["criterion"] == "crit:RepeatImagingAfterSignificantChange"
        assert len(changes[0]["changes"]) == 1
        assert "C6" in changes[0]["changes"][0]

    def test_multi_criterion_change_lists_its_criteria(self) -> None:
        change = Change(
            ("document: a", "document: b"),
            ("https://w3id.org/imrkg/criteria/A", "https://w3id.org/imrkg/criteria/B"),
            ("A", "B"),
            "177-182",
            "Overturned",
        )
        explanation = Explanation("urn:r", 0, "Upheld", (), (change,))
        [rendered] = explanation_json(explanation)["what_would_change"]
        assert rendered["criterion"] == ["crit:A", "crit:B"]
        assert rendered["pages"] == "177-182"


class TestExplanationText:
    def test_reads_like_a_rationale(self, seed_explanation: Explanation) -> None:
        text = explanation_text(seed_explanation)
        assert text.startswith("Upheld: CT scan of the cervical spine (item 0)")
        assert "because" in text and "What would change it" in text
        assert "=> Overturned" in text and "8/13/2014" in text

    def test_overturned_names_the_removal(self, variant_explanation: Explanation) -> None:
        text = explanation_text(variant_explanation)
        assert text.startswith("Overturned:") and "remove/contradict: new C6 deficit" in text


class TestAChangeOnlyAnotherRequestMakes:
    """A criterion that tests the request itself (lower-limb NCS is not recommended) cannot be
    met by documenting anything: explain offers the other study as a different request, and
    that request, on the same record, is overturned."""

    NCS = ROOT / "data" / "cases" / "variants" / "lumbar-ncs-lower-limb-after-month.ttl"

    def test_offered_as_a_request_and_it_flips(
        self, knowledge: Knowledge, catalogue: Catalogue
    ) -> None:
        graph = Graph().parse(self.NCS, format="turtle")
        case = URIRef("https://w3id.org/imrkg/case/lumbar-ncs-lower-limb-after-month/case")
        result = determine_case(build_case(graph, case, knowledge, source=self.NCS), knowledge)
        [request] = result.results
        explanation = explain_request(result.justification, request.request.iri, catalogue)
        [change] = explanation.what_would_change
        assert change.changes[0].startswith("request instead: a needle EMG")
        # apply it: the same record, the request for an EMG
        [node] = graph.subjects(RDF.type, IMR.DisputedRequest)
        modality = URIRef("https://w3id.org/imrkg/scheme/modality/")
        graph.set((node, IMR.modality, modality + "EMG"))
        flipped = determine_case(build_case(graph, case, knowledge, source=self.NCS), knowledge)
        assert flipped.results[0].outcome == "Overturned"
