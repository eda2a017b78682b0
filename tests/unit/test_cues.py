"""ConText cues by medspaCy (reasoner/_cues.py) and the project's rule file (issue 10, part 2).

Invented sentences, one per ConText category, read through `Sentence.modifiers` (what the
extraction rules ask) and through the facts they yield; and checks that the rule file only
removes, narrows or binds rules that exist, each with its reason.
"""

from __future__ import annotations

import json

import pytest
from medspacy.context import ConTextRule

from reasoner._context import Modifiers, Sentence, clinical
from reasoner._cues import RULES_PATH, _pipeline, find_cues
from reasoner.extract import extract_facts, iri_name


def modifiers_of(text: str, mention: str) -> Modifiers:
    """The modifiers of the first occurrence of `mention` in the one-sentence `text`."""
    start = text.index(mention)
    return Sentence(0, len(text), text, clinical()).modifiers(start, start + len(mention))


def finding(text: str, ftype: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(presence, regions, status) of each fact of the finding type in a one-sentence text."""
    return [
        (
            iri_name(f.get("presence")),
            tuple(iri_name(r) for r in f.all("bodyRegion")),
            iri_name(f.get("clinicalStatus")) if f.get("clinicalStatus") else "",
        )
        for f in extract_facts(text, [(0, len(text))])
        if ftype in {iri_name(v) for v in f.all("findingType")}
    ]


class TestCategories:
    def test_negated(self) -> None:
        mods = modifiers_of("He denies numbness in the right hand.", "numbness")
        assert mods.negated and mods.negated_by.lower() == "denies"
        assert finding("He denies numbness in the right hand.", "Numbness")[0][0] == "Absent"

    def test_negated_by_a_backward_cue(self) -> None:
        mods = modifiers_of("Tinel's and Phalen's tests were negative.", "Phalen's")
        assert mods.negated and mods.negated_after

    def test_historical_symptom_is_not_current(self) -> None:
        text = "Past medical history included migraine headaches."
        assert modifiers_of(text, "headaches").historical
        assert finding(text, "Pain") == []

    def test_historical_red_flag_indicator_is_kept(self) -> None:
        # a history of cancer is what the red flag asks about
        text = "He has a history of cancer."
        assert modifiers_of(text, "cancer").historical
        assert [p for p, _, _ in finding(text, "CancerHistory")] == ["Present"]

    @pytest.mark.parametrize(
        "text",
        [
            "He has no history of cancer.",
            "There is no history of malignancy.",
            "He denies fever or weight loss, and has no history of cancer.",
        ],
    )
    def test_no_history_of_negates_a_mention_sharing_its_words(self, text: str) -> None:
        # the cue "no history of" overlaps the mention "history of cancer" without lying in it
        assert [p for p, _, _ in finding(text, "CancerHistory")] == ["Absent"]

    def test_history_ends_at_the_present(self) -> None:
        text = "He has a history of a lumbar strain and now has numbness in the left leg."
        assert not modifiers_of(text, "numbness").historical
        assert [p for p, _, _ in finding(text, "Numbness")] == ["Present"]

    def test_hypothetical_is_no_finding(self) -> None:
        text = "He was told to come back if he develops numbness in the legs."
        assert modifiers_of(text, "numbness").hypothetical
        assert finding(text, "Numbness") == []

    def test_family_is_another_experiencer(self) -> None:
        text = "His mother has neck pain."
        assert modifiers_of(text, "pain").other_experiencer
        assert finding(text, "Pain") == []

    def test_pseudo_negation_no_change(self) -> None:
        text = "There is no change in the neck pain."
        assert not modifiers_of(text, "pain").negated
        assert finding(text, "Pain") == [("Present", ("CervicalSpine",), "Unchanged")]

    def test_pseudo_negation_no_better_is_unchanged(self) -> None:
        text = "He reports no better at all left foot pain."
        assert finding(text, "Pain") == [("Present", ("AnkleFoot",), "Unchanged")]

    def test_pseudo_negation_keeps_the_failed_response(self) -> None:
        facts = extract_facts(
            "He had 12 sessions of acupuncture with no lasting benefit.", [(0, 57)]
        )
        [care] = [f for f in facts if f.kind == "ConservativeCareEpisode"]
        assert iri_name(care.get("response")) == "NoImprovement"

    @pytest.mark.parametrize(
        "text",
        ["No numbness, but there is weakness in the right arm.", "No numbness but weakness."],
    )
    def test_termination_by_but(self, text: str) -> None:
        assert modifiers_of(text, "numbness").negated
        assert not modifiers_of(text, "weakness").negated

    def test_conjunction_starting_a_clause_terminates(self) -> None:
        text = "She denies fever and reports new numbness in the hands."
        assert modifiers_of(text, "fever").negated
        assert not modifiers_of(text, "numbness").negated

    def test_rule_out_is_no_finding(self) -> None:
        text = "An MRI was requested to rule out a meniscal tear."
        assert modifiers_of(text, "meniscal tear").ruled_out

    def test_hedge(self) -> None:
        assert modifiers_of("There is possible weakness of the left hip.", "weakness").uncertain

    def test_subjective_heading_hedges_nothing(self) -> None:
        assert not modifiers_of("Subjective complaints included neck pain.", "pain").uncertain


class TestScope:
    def test_short_negation_stops_at_a_clause_comma(self) -> None:
        text = "He has no neck stiffness, tenderness of the spine."
        assert modifiers_of(text, "stiffness").negated
        assert not modifiers_of(text, "tenderness").negated

    @pytest.mark.parametrize("item", ["swelling", "effusion", "erythema"])
    def test_short_negation_heads_an_or_list(self, item: str) -> None:
        assert modifiers_of("There is no swelling, effusion or erythema.", item).negated

    @pytest.mark.parametrize("item", ["wheezing", "hemoptysis", "infections", "orthopnea"])
    def test_review_of_systems_list_runs_to_the_next_negation(self, item: str) -> None:
        text = "There is no wheezing, hemoptysis, recurrent infections, no orthopnea."
        assert modifiers_of(text, item).negated

    def test_an_and_list_of_statements_is_not_one_list(self) -> None:
        text = "He has no motor weakness, intact sensation, and no ataxia."
        assert not modifiers_of(text, "intact sensation").negated

    def test_short_negation_reaches_six_words(self) -> None:
        near = "There is no sign of new weakness."
        far = "No discussion of the planned course of physical therapy with the worker or numbness."
        assert modifiers_of(near, "weakness").negated
        assert not modifiers_of(far, "numbness").negated

    def test_semicolon_ends_every_scope(self) -> None:
        text = "Cervical exam shows no tenderness; the right elbow has swelling."
        assert not modifiers_of(text, "swelling").negated

    def test_cue_inside_a_mention_modifies_nothing(self) -> None:
        # "absent pulses" is a finding's own words, not a negation of it
        cues = find_cues("Absent pulses in the right foot.")
        assert [c.text for c in cues.found if c.category == "NEGATED_EXISTENCE"] == ["Absent"]
        assert not cues.found[0].reaches(0, len("Absent pulses"))


@pytest.fixture(scope="module")
def settings() -> dict[str, object]:
    """The project's rule file."""
    return json.loads(RULES_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def defaults() -> set[str]:
    """The literals of medspaCy's default English rules."""
    return {r.literal for r in ConTextRule.from_json(_pipeline()[1].DEFAULT_RULES_FILEPATH)}


class TestRuleFile:
    def test_every_project_rule_says_why(self, settings: dict[str, list[dict]]) -> None:
        missing = [r["literal"] for r in settings["context_rules"] if not r["metadata"]["reason"]]
        assert missing == []

    def test_removed_rules_exist_in_the_defaults(
        self, settings: dict[str, list[dict]], defaults: set[str]
    ) -> None:
        removed = {r["literal"] for r in settings["remove"] if r["reason"]}
        assert removed == {r["literal"] for r in settings["remove"]}
        assert removed <= defaults

    def test_narrowed_and_bound_rules_exist(
        self, settings: dict[str, object], defaults: set[str]
    ) -> None:
        rules = settings["context_rules"]
        named = {r["metadata"].get("narrows") or r["metadata"].get("replaces") for r in rules}  # type: ignore[union-attr]
        assert named - {None} <= defaults
        assert set(settings["clause_bound"]["literals"]) <= defaults  # type: ignore[index]
        project = {r["literal"] for r in rules}  # type: ignore[union-attr]
        boundaries = set(settings["clause_boundaries"]["literals"])  # type: ignore[index]
        assert boundaries <= defaults | project
