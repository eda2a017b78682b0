"""Issue 10: nerve-root localisation, upper-motor-neuron signs, criteria as strict as the chapters,
and the hip.

Sentences and letters here are invented (textbook cases), not development letters. Each
localisation row kind of `data/lexicon/finding-terms-roots.ttl` (dermatome, key muscle or
movement, reflex, a root named outright or as a range, the peripheral-nerve exception) has its own
extraction test; the textbook letters go through ingest and the reference engine, as an unseen
letter would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_extract_unseen import summaries

from reasoner.ingest import letter_case
from reasoner.justify import RequestResult
from reasoner.knowledge import load_knowledge
from reasoner.pipeline import determine_case

NEURO = "NeurologicFinding"


def _id(row: tuple[str, object]) -> str:
    return str(row[0])[:48]


LOCALISATION = [
    # dermatomes (ISNCSCI key sensory points)
    (
        "Sensation was decreased in the fourth and fifth fingers in a C8 distribution.",
        [f"{NEURO}:DermatomalSensoryLoss WristHand,CervicalSpine Present Definitive roots=C8"],
    ),
    (
        "Examination of the cervical spine revealed decreased sensation in the middle finger.",
        [f"{NEURO}:DermatomalSensoryLoss WristHand,CervicalSpine Present Definitive roots=C7"],
    ),
    (
        "Diminished sensation along the lateral aspect of the right forearm.",
        [f"{NEURO}:DermatomalSensoryLoss WristHand,CervicalSpine Present Definitive roots=C6"],
    ),
    (
        "Decreased pinprick sensation in the left lateral calf.",
        [f"{NEURO}:DermatomalSensoryLoss LumbarSpine Present Definitive roots=L5"],
    ),
    (
        "There was decreased sensation in the medial forearm.",
        [f"{NEURO}:DermatomalSensoryLoss WristHand,CervicalSpine Present Definitive roots=T1"],
    ),
    (
        "Sensation was decreased over the dorsum of the left foot.",
        [f"{NEURO}:DermatomalSensoryLoss AnkleFoot,LumbarSpine Present Definitive roots=L5"],
    ),
    (
        "Decreased sensation over the lateral foot on the right.",
        [f"{NEURO}:DermatomalSensoryLoss AnkleFoot,LumbarSpine Present Definitive roots=S1"],
    ),
    # key muscles and movements
    (
        "Great toe extension was 4/5 on the right.",
        [f"{NEURO}:Weakness AnkleFoot,LumbarSpine Present Definitive roots=L5"],
    ),
    (
        "Dorsiflexion strength was 4/5 on the left.",
        [f"{NEURO}:Weakness LumbarSpine Present Definitive roots=L4,L5"],
    ),
    (
        "Motor strength was 4/5 in the right deltoid.",
        [f"{NEURO}:Weakness Shoulder,CervicalSpine Present Definitive roots=C5"],
    ),
    # reflexes
    (
        "The Achilles reflex was absent on the left.",
        [f"{NEURO}:ReflexChange LumbarSpine Present Definitive roots=S1"],
    ),
    (
        "Triceps reflex was 1+ on the left.",
        [f"{NEURO}:ReflexChange CervicalSpine Present Definitive roots=C7"],
    ),
    # roots named outright, in long phrases and as ranges
    (
        "There was decreased C5 and C6 dermatome sensation on the left.",
        [f"{NEURO}:DermatomalSensoryLoss CervicalSpine Present Definitive roots=C5,C6"],
    ),
    (
        "There was diminished sensation in the L5 distribution on the right.",
        [f"{NEURO}:DermatomalSensoryLoss LumbarSpine Present Definitive roots=L5"],
    ),
    (
        "Sensation was decreased in the C5-6 distribution.",
        [f"{NEURO}:DermatomalSensoryLoss CervicalSpine Present Definitive roots=C5,C6"],
    ),
    (
        "There was 4/5 strength in the right biceps, C5 myotome.",
        [f"{NEURO}:Weakness CervicalSpine Present Definitive roots=C5"],
    ),
]

PERIPHERAL = [
    # the hand lexicon reads the ulnar digits as an ulnar-nerve finding; in a cervical
    # examination the same digits are the C8 dermatome
    (
        "Examination of the cervical spine revealed decreased sensation in the fourth and fifth "
        "fingers of the right hand.",
        [f"{NEURO}:UlnarNerveParesthesia WristHand,CervicalSpine Present Definitive roots=C8"],
    ),
    # a digit is a median or ulnar territory too: no root with an entrapment test in the sentence
    (
        "Numbness of the thumb and index finger with a positive Phalen test.",
        [
            "ExaminationFinding:PositivePhalen WristHand Present",
            f"{NEURO}:MedianNerveParesthesia WristHand Present Definitive",
        ],
    ),
    # and without anything radicular in the sentence the root is kept, but not the spine
    (
        "Sensation was decreased in the fourth and fifth fingers of the right hand.",
        [f"{NEURO}:DermatomalSensoryLoss WristHand Present Definitive roots=C8"],
    ),
]

NOT_LOCALISED = [
    # "second digit" may be a toe: digits by number are no root sign
    (
        "There was decreased sensation to the right third, fourth, and fifth digits.",
        [f"{NEURO}:DermatomalSensoryLoss - Present Definitive"],
    ),
    # a root sign localises only a deficit in its own comma clause, never a tension sign
    (
        "Exam revealed a positive straight leg raise test on the right, and inability to perform "
        "heel to toe walk.",
        [f"{NEURO}:StraightLegRaise LumbarSpine Present Equivocal"],
    ),
]

UPPER_MOTOR_NEURON = [
    (
        "She has a new gait disturbance with urinary urgency and a new Hoffmann sign.",
        [
            "ExaminationFinding:GaitDisturbance - Present New",
            f"{NEURO}:HoffmannSign Spine Present Definitive New",
            "Symptom:BowelBladderDysfunction - Present New",
        ],
    ),
    (
        "There were 3 beats of clonus at the ankles and upgoing toes bilaterally.",
        [
            f"{NEURO}:BabinskiSign Spine Present Definitive",
            f"{NEURO}:Clonus Spine Present Definitive",
        ],
    ),
    (
        "Plantar responses were upgoing bilaterally.",
        [f"{NEURO}:BabinskiSign Spine Present Definitive"],
    ),
    (
        "He has a myelopathic gait and is dropping objects.",
        ["Symptom:GaitDisturbance - Present", "Symptom:HandClumsiness - Present"],
    ),
    ("He has numbness in the groin and perineum.", ["Symptom:SaddleAnesthesia - Present"]),
    (
        "Reflexes were 3+ and brisk throughout.",
        [f"{NEURO}:Hyperreflexia Spine Present Definitive"],
    ),
    ("Hoffmann's sign was negative bilaterally.", [f"{NEURO}:HoffmannSign Spine Absent"]),
]

PLANS = [
    ("She may consider a possible future injection.", "Possible"),
    ("Surgery is an option in the future.", "Possible"),
    ("He is considering arthroscopic surgery.", "UnderConsideration"),
    ("He may be a surgical candidate.", "Possible"),
    ("Consider injection if symptoms persist.", "Possible"),
    ("Surgery is recommended if conservative care fails.", "Possible"),
    ("He is not a surgical candidate.", "Declined"),
    ("A subacromial injection is scheduled.", "Planned"),
]


class TestLocalisation:
    @pytest.mark.parametrize(("text", "expected"), LOCALISATION, ids=_id)
    def test_root_signs_give_roots_and_spinal_region(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), PERIPHERAL, ids=_id)
    def test_peripheral_nerve_territories(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), NOT_LOCALISED, ids=_id)
    def test_what_gives_no_root(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    def test_shoulder_abduction_weakness_stays_the_shoulder_s(self) -> None:
        """A movement at a named joint is usually the joint's lesion (the cuff): no C5 root."""
        assert summaries("Strength was 4/5 with shoulder abduction on the right.") == [
            "ExaminationFinding:RotatorCuffWeakness Shoulder Present"
        ]


class TestUpperMotorNeuronSigns:
    @pytest.mark.parametrize(("text", "expected"), UPPER_MOTOR_NEURON, ids=_id)
    def test_signs_are_typed_and_attributed_to_the_cord(
        self, text: str, expected: list[str]
    ) -> None:
        assert summaries(text) == expected


class TestPlanStatus:
    @pytest.mark.parametrize(("text", "status"), PLANS, ids=_id)
    def test_plan_status(self, text: str, status: str) -> None:
        [fact] = summaries(text)
        assert fact.startswith("PlannedProcedure:")
        assert fact.split()[2] == status

    def test_care_only_prescribed_is_not_care_given(self) -> None:
        assert summaries("She was prescribed physical therapy.") == []
        assert summaries("The patient began prescribed physical therapy.") == [
            "Care:PhysicalTherapy - -"
        ]
        assert summaries("He was prescribed naproxen.") == ["Care:Medication - -"]


_HEADER = """Case Number:          CM99-{number}
Date Assigned:        11/09/{year}                      Date of Injury:      {injury}
Decision Date:        12/09/{year}                      UR Denial Date:      11/03/{year}
Priority:             Standard                        Application          11/03/{year}
                                                      Received:

                                CLINICAL CASE SUMMARY
The expert reviewer developed the following clinical case summary based on a review of the
case file, including all medical records:

{summary}

DISPUTED ITEMS (as listed in the letter; decisions withheld)
1. {item}
"""


def _determine(tmp_path: Path, injury: str, summary: str, item: str) -> RequestResult:
    """An invented facts-only letter, ingested and determined by the reference engine."""
    year = "2016"
    path = tmp_path / "CM99-0000001.facts.txt"
    text = _HEADER.format(number="0000001", year=year, injury=injury, summary=summary, item=item)
    path.write_text(text, encoding="utf-8")
    knowledge = load_knowledge()
    [result] = determine_case(letter_case(path, knowledge), knowledge).results
    return result


def _status(result: RequestResult, criterion: str) -> str:
    return next(e.status for e in result.evaluations if e.criterion.endswith(criterion))


class TestTextbookCases:
    """Issue 10: clear-cut indications decided as the guideline says, from letter text."""

    def test_issue_10_myelopathy_signs_are_a_red_flag_inside_the_window(
        self, tmp_path: Path
    ) -> None:
        result = _determine(
            tmp_path,
            "10/20/2016",
            "The injured worker is a 58 year old male who sustained an industrial injury on "
            "10-20-2016. He was seen on 10-27-2016 for neck pain. He has a new gait disturbance "
            "with urinary urgency and a new Hoffmann sign.",
            "MRI of the cervical spine",
        )
        assert result.outcome == "Overturned"
        assert _status(result, "NeckRedFlag") == "met"
        assert _status(result, "NeckConservativeCareFailed") == "not met"

    def test_issue_10_hyperreflexia_and_clonus_alone_are_a_red_flag(self, tmp_path: Path) -> None:
        result = _determine(
            tmp_path,
            "10/20/2016",
            "The injured worker is a 60 year old female who sustained an industrial injury on "
            "10-20-2016. On 10-27-2016 she was seen for neck pain. Examination revealed "
            "hyperreflexia in the upper extremities and sustained ankle clonus.",
            "MRI of the cervical spine",
        )
        assert (result.outcome, _status(result, "NeckRedFlag")) == ("Overturned", "met")

    def test_issue_10_ulnar_digits_in_a_neck_exam_are_the_c8_root(self, tmp_path: Path) -> None:
        result = _determine(
            tmp_path,
            "06/01/2016",
            "The injured worker is a 50 year old male who sustained an industrial injury on "
            "06-01-2016. On 10-20-2016 he was seen for neck pain radiating to the right hand. "
            "Examination of the cervical spine revealed decreased sensation in the fourth and "
            "fifth fingers of the right hand.",
            "MRI of the cervical spine",
        )
        assert (result.outcome, _status(result, "NeckNerveRootCompromise")) == (
            "Overturned",
            "met",
        )

    def test_issue_10_absent_ankle_reflex_is_the_s1_root(self, tmp_path: Path) -> None:
        result = _determine(
            tmp_path,
            "06/01/2016",
            "The injured worker is a 50 year old male who sustained an industrial injury on "
            "06-01-2016. On 10-20-2016 he was seen for low back pain radiating to the left foot. "
            "The left ankle reflex was absent. He completed physical therapy without improvement. "
            "He is a surgical candidate for a microdiscectomy.",
            "MRI of the lumbar spine",
        )
        assert (result.outcome, _status(result, "LumbarNerveCompromise")) == ("Overturned", "met")

    def test_issue_10_cauda_equina_signs_are_a_low_back_red_flag(self, tmp_path: Path) -> None:
        result = _determine(
            tmp_path,
            "10/20/2016",
            "The injured worker is a 50 year old female who sustained an industrial injury on "
            "10-20-2016. She was seen on 10-27-2016 for low back pain. She reported saddle "
            "anesthesia and new bladder incontinence. Examination showed bilateral leg weakness.",
            "MRI of the lumbar spine",
        )
        assert (result.outcome, _status(result, "LumbarRedFlag")) == ("Overturned", "met")

    def test_issue_10_mechanical_knee_signs_with_surgery_considered(self, tmp_path: Path) -> None:
        result = _determine(
            tmp_path,
            "06/01/2016",
            "The injured worker is a 40 year old male who sustained an industrial injury on "
            "06-01-2016. He was seen on 10-20-2016 for right knee pain with locking, catching and "
            "giving way. McMurray test was positive on the right. Arthroscopic surgery is being "
            "considered.",
            "MRI of the right knee",
        )
        assert result.outcome == "Overturned"
        assert _status(result, "KneeSurgeryConsidered") == "met"

    @pytest.mark.parametrize(
        ("plan", "outcome"),
        [
            ("A subacromial injection is scheduled.", "Overturned"),
            ("She may consider a possible future injection.", "Upheld"),
        ],
    )
    def test_issue_10_shoulder_mri_before_an_injection(
        self, tmp_path: Path, plan: str, outcome: str
    ) -> None:
        result = _determine(
            tmp_path,
            "06/01/2016",
            "The injured worker is a 45 year old female who sustained an industrial injury on "
            f"06-01-2016. She was seen on 10-20-2016 for right shoulder pain. {plan}",
            "MRI of the right shoulder",
        )
        assert result.outcome == outcome

    def test_issue_10_physical_therapy_is_not_a_strengthening_programme(
        self, tmp_path: Path
    ) -> None:
        result = _determine(
            tmp_path,
            "06/01/2016",
            "The injured worker is a 45 year old female who sustained an industrial injury on "
            "06-01-2016. She was seen on 10-20-2016 for right shoulder pain. She has had eight "
            "weeks of physical therapy without improvement.",
            "MRI of the right shoulder",
        )
        assert (result.outcome, _status(result, "ShoulderFailedStrengthening")) == (
            "Upheld",
            "not met",
        )


class TestHip:
    def test_issue_10_hip_is_not_evaluated_and_says_why(self, tmp_path: Path) -> None:
        result = _determine(
            tmp_path,
            "06/01/2016",
            "The injured worker is a 45 year old female who sustained an industrial injury on "
            "06-01-2016. She was seen on 10-20-2016 for right hip pain.",
            "MRI of the right hip",
        )
        reason = result.selection.reason or ""
        assert result.outcome == "Not evaluated"
        assert "MTUS 2009 has no hip chapter" in reason
        assert "ODG's hip imaging criteria are not recorded" in reason
        assert "ACOEM Hip and Groin Disorders" in reason
        assert result.request.date_for("request") == dt.date(2016, 11, 3)
