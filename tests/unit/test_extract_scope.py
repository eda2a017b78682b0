"""Attributes attach by clause scope, not by distance (issue 10, 2b "Attribute leakage").

Invented sentences: two regions in a sentence, a limb fracture beside spine pain, status words
across 'and' and 'but', a procedure's site word in a test's name. Each asserts what a careful
reader takes from the sentence.
"""

from __future__ import annotations

import pytest

from reasoner.extract import ExtractedFact, extract_facts, iri_name


def facts(text: str) -> list[ExtractedFact]:
    return extract_facts(text, [(0, len(text))])


def observed(text: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(finding types, regions, status) of each symptom or finding of a one-sentence text."""
    kinds = ("Symptom", "ExaminationFinding", "NeurologicFinding")
    return [
        (
            ",".join(iri_name(v) for v in f.all("findingType")),
            tuple(iri_name(r) for r in f.all("bodyRegion")),
            iri_name(f.get("clinicalStatus")) if f.get("clinicalStatus") else "",
        )
        for f in facts(text)
        if f.kind in kinds
    ]


class TestRegions:
    def test_a_region_taken_by_one_mention_is_not_the_next_ones(self) -> None:
        text = "He reports neck pain radiating to the right arm and low back pain."
        assert observed(text)[-1] == ("Pain", ("LumbarSpine",), "")

    def test_a_shared_noun_phrase_still_names_every_region(self) -> None:
        text = "He complains of neck, low back and right shoulder pain."
        [(_, regions, _)] = observed(text)
        assert set(regions) == {"CervicalSpine", "LumbarSpine", "Shoulder"}

    @pytest.mark.parametrize(
        "text",
        [
            "He has mid back pain and a fracture of the left ulna.",
            "He sustained an ulna fracture and has upper back pain.",
            "She reports thoracic pain; x-rays showed a fracture of the right distal radius.",
        ],
    )
    def test_a_limb_fracture_beside_spine_pain_is_the_limbs(self, text: str) -> None:
        [fracture] = [o for o in observed(text) if o[0] == "SuspectedFracture"]
        assert fracture[1] == ("WristHand",)
        [pain] = [o for o in observed(text) if o[0] == "Pain"]
        assert pain[1] == ("ThoracicSpine",)

    def test_radial_head_is_the_elbow(self) -> None:
        text = "He is treated for a nondisplaced fracture of the left radius head."
        [fracture] = [o for o in observed(text) if o[0] == "SuspectedFracture"]
        assert fracture[1] == ("Elbow",)

    def test_region_after_a_mention_stops_at_a_new_clause(self) -> None:
        text = "He has numbness but the shoulder is not painful."
        assert observed(text)[0][:2] == ("Numbness", ())


class TestStatus:
    def test_status_does_not_cross_but(self) -> None:
        text = "Her shoulder pain improved but the neck pain persists."
        assert observed(text) == [
            ("Pain", ("Shoulder",), "Improved"),
            ("Pain", ("CervicalSpine",), ""),
        ]

    def test_status_does_not_cross_a_clause_starting_with_and(self) -> None:
        text = "Low back pain is better and he reports numbness in the left leg."
        found = {o[0]: o[2] for o in observed(text)}
        assert found == {"Pain": "Improved", "Numbness": ""}

    def test_status_describes_the_finding_it_stands_before(self) -> None:
        text = "He has right wrist increasing pain with numbness into the thumb."
        found = {o[0].split(",")[0]: o[2] for o in observed(text)}
        assert found["Pain"] == "Worsened"
        assert found["MedianNerveParesthesia"] == ""

    def test_status_within_its_clause_still_attaches(self) -> None:
        text = "She has worsening numbness in the right hand."
        assert observed(text)[0][2] == "Worsened"


class TestLabels:
    @pytest.mark.parametrize(
        "text",
        [
            "He had trigger point impedance imaging of the lumbar spine.",
            "The MRI showed facet arthropathy at L4-5.",
            "Multiple trigger points were noted in the trapezius.",
        ],
    )
    def test_a_procedure_site_word_qualifying_a_test_or_finding_is_no_procedure(
        self, text: str
    ) -> None:
        kinds = {f.kind for f in facts(text)}
        assert not kinds & {"InjectionGiven", "PlannedProcedure", "Surgery"}

    def test_the_procedure_itself_is_still_read(self) -> None:
        kinds = {f.kind for f in facts("He underwent a facet injection at L4-5 on 3/2/2016.")}
        assert "InjectionGiven" in kinds
