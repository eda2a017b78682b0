"""Regions attach where the sentence puts them, and injuries come from mechanism sentences (issue
10, 2b "Attribute leakage" and regions left empty).

Invented sentences, one rule per class: systemic finding types take no region
(lex:systemic); a local finding naming none takes the one region of its clause, else of its
sentence up to a contrast, never one of two; vertebral levels name their spinal region
(lex:levelPattern); a region joined by "and the" and followed by a verb starts a new clause;
landmarks (groin, outstretched hand) are data; a mechanism sentence is an injury event. Rules and
data: reasoner/_findings.py `_regions`, `_clause_region`; reasoner/_rules.py `injuries`;
data/lexicon/finding-terms-regions.ttl.
"""

from __future__ import annotations

import pytest
from factsummary import summary

from reasoner.extract import ExtractedFact, extract_facts, iri_name


def facts(text: str) -> list[ExtractedFact]:
    """The facts of a text whose sentences end at '. '."""
    spans, start = [], 0
    for piece in text.split(". "):
        end = start + len(piece) + (1 if not piece.endswith(".") else 0)
        spans.append((start, min(end, len(text))))
        start = end + 1
    return extract_facts(text, spans)


def regions_of(text: str, finding_type: str) -> list[tuple[str, ...]]:
    """The regions of each observation of one finding type."""
    return [
        tuple(iri_name(r) for r in f.all("bodyRegion"))
        for f in facts(text)
        if finding_type in {iri_name(t) for t in f.all("findingType")}
    ]


def injuries(text: str) -> list[ExtractedFact]:
    return [f for f in facts(text) if f.kind == "Injury"]


class TestSystemicTypes:
    """A finding of the whole patient takes no region from a word beside it."""

    @pytest.mark.parametrize(
        ("text", "finding_type"),
        [
            ("She has right knee pain and a fever of 102 degrees.", "FeverOrChills"),
            ("He reports low back pain with new urinary incontinence.", "BowelBladderDysfunction"),
            ("She has an unsteady gait and right ankle swelling.", "GaitDisturbance"),
            ("He reports unexplained weight loss and shoulder pain.", "UnexplainedWeightLoss"),
        ],
    )
    def test_no_region_from_a_nearby_word(self, text: str, finding_type: str) -> None:
        assert regions_of(text, finding_type) == [()]

    def test_a_local_finding_in_the_same_sentence_keeps_its_region(self) -> None:
        text = "She has right knee pain and a fever of 102 degrees."
        assert regions_of(text, "Pain") == [("Knee",)]


class TestClauseRegion:
    """A local finding whose words name no region takes the one region its clause names."""

    @pytest.mark.parametrize(
        ("text", "finding_type", "expected"),
        [
            # the subject of the sentence names the region
            ("The ankle is swollen and warm with an effusion.", "JointEffusion", ("AnkleFoot",)),
            # the region is the object of the verb, the finding a gerund after it
            ("He describes the knee locking when he stands up.", "Locking", ("Knee",)),
            # a later clause naming no region: the sentence's one region
            (
                "The wrist is swollen after the accident, and a fracture is suspected.",
                "SuspectedFracture",
                ("WristHand",),
            ),
        ],
    )
    def test_the_one_region_of_the_clause(
        self, text: str, finding_type: str, expected: tuple[str, ...]
    ) -> None:
        assert regions_of(text, finding_type) == [expected]

    def test_two_regions_in_the_clause_give_none(self) -> None:
        text = "The knee and the ankle were examined and an effusion was found."
        assert regions_of(text, "JointEffusion") == [()]

    def test_no_region_past_a_contrast(self) -> None:
        text = "There is tenderness to palpation, but the shoulder moves freely."
        assert regions_of(text, "Tenderness") == [()]

    def test_a_clause_of_its_own_beats_the_sentence(self) -> None:
        text = "There is swelling of the right wrist, and the elbow is tender."
        assert regions_of(text, "Tenderness") == [("Elbow",)]

    def test_a_radicular_finding_takes_no_region_from_its_clause(self) -> None:
        """Numbness is felt where the nerve ends: a wrist splint does not make it the wrist's."""
        text = "He wears a wrist splint at night and still reports tingling."
        assert regions_of(text, "Numbness") == [()]


class TestVertebralLevels:
    """A vertebral level names its spinal region for a finding that names none."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("There is point tenderness over the L4 spinous process.", ("LumbarSpine",)),
            ("Tenderness was elicited at C6-7 on palpation.", ("CervicalSpine",)),
            ("Percussion tenderness was present at T11.", ("ThoracicSpine",)),
        ],
    )
    def test_the_level_names_the_region(self, text: str, expected: tuple[str, ...]) -> None:
        assert regions_of(text, "Tenderness") == [expected]

    def test_an_mri_sequence_is_no_thoracic_level(self) -> None:
        text = "The T2-weighted images were reviewed and tenderness was noted on examination."
        assert regions_of(text, "Tenderness") == [()]


class TestNewClauseSubject:
    """A region word joined by 'and the' and followed by a verb is a new clause's subject."""

    def test_the_second_region_is_not_the_first_findings(self) -> None:
        text = "There is tenderness of the left wrist and the right elbow is not swollen."
        assert regions_of(text, "Tenderness") == [("WristHand",)]

    def test_a_list_of_regions_is_still_shared(self) -> None:
        text = "There is tenderness of the left wrist and the right elbow."
        assert regions_of(text, "Tenderness") == [("WristHand", "Elbow")]


class TestLandmarks:
    def test_groin_pain_is_the_hips(self) -> None:
        assert regions_of("She has groin pain when climbing stairs.", "Pain") == [("Hip",)]

    def test_an_outstretched_hand_names_the_mechanism_not_the_region(self) -> None:
        text = "She fell on an outstretched hand and now has right elbow pain."
        assert [iri_name(r) for r in injuries(text)[0].all("bodyRegion")] == ["Elbow"]


class TestMechanismInjury:
    """A mechanism sentence, with no injury statement before it, is an injury event."""

    def test_region_and_date_from_its_words(self) -> None:
        text = "He tripped over a box on 3/4/2016 and now has right knee pain."
        assert [summary(f) for f in injuries(text)] == ["Injury Knee 2016-03-04"]

    @pytest.mark.parametrize(
        "text",
        [
            "She denies any fall and reports knee pain.",
            "If she falls again, an x-ray of the knee would be needed.",
        ],
    )
    def test_no_injury_from_a_negated_or_hypothetical_mechanism(self, text: str) -> None:
        assert injuries(text) == []

    def test_a_mechanism_referred_back_to_is_no_injury_event(self) -> None:
        # "the twisting injury" is one the letter states elsewhere, not a new event
        assert (
            injuries("Aspiration of the knee yielded bloody fluid after the twisting injury.") == []
        )

    def test_a_possessive_mechanism_can_be_the_first_statement(self) -> None:
        text = "Following her fall at work on 1/5/2016, she developed low back pain."
        assert [summary(f) for f in injuries(text)] == ["Injury LumbarSpine 2016-01-05"]

    def test_a_later_injury_statement_completes_it(self) -> None:
        text = (
            "He fell from a ladder onto his right shoulder. "
            "He sustained an industrial injury on 1/2/2015."
        )
        assert [summary(f) for f in injuries(text)] == ["Injury Shoulder 2015-01-02"]

    def test_an_injury_statement_first_is_not_repeated(self) -> None:
        text = "He sustained an industrial injury on 1/2/2015. He fell from a ladder."
        found = injuries(text)
        assert [summary(f) for f in found] == ["Injury - 2015-01-02"]
        assert found[0].get("mechanism") == "fell from a ladder"
