"""Attributes attach by clause scope, not by distance (issue 10, 2b "Attribute leakage").

Invented sentences: two regions in a sentence, a limb fracture beside spine pain, status words
across 'and' and 'but', a procedure's site word in a test's name. Each asserts what a careful
reader takes from the sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reasoner.extract import ExtractedFact, extract_facts, iri_name
from reasoner.ingest import letter_case
from reasoner.knowledge import load_knowledge
from reasoner.load import DEV_LETTERS
from reasoner.pipeline import determine_case


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


def _letter(tmp_path: Path, summary: str, item: str) -> Path:
    """A facts-only letter: a development letter's header with an invented summary and item."""
    template = (DEV_LETTERS / "facts" / "CM16-0213037.facts.txt").read_text(encoding="utf-8")
    head = template[: template.index("The injured worker is a 48")]
    text = head.replace("CM16-0213037", "CM16-9999001") + summary
    text += f"\n\nDISPUTED ITEMS (as listed in the letter; decisions withheld)\n1. {item}\n"
    path = tmp_path / "CM16-9999001.facts.txt"
    path.write_text(text, encoding="utf-8")
    return path


class TestDetermination:
    def test_a_limb_fracture_is_no_red_flag_for_the_spine(self, tmp_path: Path) -> None:
        summary = (
            "The injured worker is a 40 year old male who sustained an industrial injury on "
            "9-1-16 when he fell from a ladder. He was evaluated on 10-10-16 for complaints of "
            "mid back pain. X-rays on 9-2-16 showed a nondisplaced fracture of the left ulna. "
            "He has had physical therapy. On 11-3-16, utilization review determined MRI of the "
            "thoracic spine was not medically necessary."
        )
        knowledge = load_knowledge()
        case = letter_case(_letter(tmp_path, summary, "MRI of the thoracic spine"), knowledge)
        [result] = determine_case(case, knowledge).results
        red_flags = [e for e in result.evaluations if "RedFlag" in e.criterion]
        assert red_flags and all(e.status != "met" for e in red_flags)
        assert result.outcome == "Upheld"
