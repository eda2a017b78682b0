"""Findings a summary describes instead of naming (issue 10 §1 and the red-flag indicators of §4):
lay words, manoeuvres told without their eponym, a range of motion given as its limit, risk
factors given as their cause (data/lexicon/finding-terms-described.ttl), and the HPO and ICD-10-CM
words mapped for them (terminology-hpo.ttl, terminology-icd10cm.ttl).

The sentences are invented for these tests, in wordings of the same clinical meaning as the
paraphrase set's items but not theirs; each positive case has a near miss beside it that must not
be read as the finding."""

from __future__ import annotations

import pytest
from test_extract_unseen import summaries


def _types(sentence: str) -> set[str]:
    """The finding types of a sentence's facts ("Symptom:Pain ..." -> "Pain")."""
    return {s.split()[0].partition(":")[2] for s in summaries(sentence)}


class TestRedFlagWordings:
    """Lay and descriptive wordings of the red-flag indicator findings."""

    @pytest.mark.parametrize(
        ("sentence", "expected"),
        [
            (
                "He lost control of his bowels at work.",
                ["Symptom:BowelBladderDysfunction - Present"],
            ),
            ("He wet himself twice this week.", ["Symptom:BowelBladderDysfunction - Present"]),
            (
                "He denies losing control of his bowels.",
                ["Symptom:BowelBladderDysfunction - Absent"],
            ),
            (
                "She cannot feel the toilet paper when she wipes.",
                ["Symptom:SaddleAnesthesia - Present"],
            ),
            ("He describes tingling in the genital area.", ["Symptom:SaddleAnesthesia - Present"]),
            ("He received a kidney transplant in 2010.", ["Symptom:Immunosuppression - Present"]),
            ("He is HIV positive.", ["Symptom:Immunosuppression - Present"]),
            (
                "The posterior tibial pulse was not palpable on the left.",
                ["ExaminationFinding:NeurovascularCompromise AnkleFoot Present"],
            ),
            (
                "Her knee got stuck in a bent position twice last week.",
                ["Symptom:Locking Knee Present"],
            ),
        ],
    )
    def test_read_as_the_indicator_finding(self, sentence: str, expected: list[str]) -> None:
        assert summaries(sentence) == sorted(expected)

    @pytest.mark.parametrize(
        ("sentence", "finding"),
        [
            ("She is on chronic prednisone for lupus.", "Immunosuppression"),
            ("The hand was cool and mottled.", "NeurovascularCompromise"),
            (
                "His left arm pain starts with exertion and comes with pressure in the chest.",
                "ReferredVisceralPain",
            ),
            ("She complains of myalgia in the shoulders.", "Pain"),
            ("She has a known immune deficiency and low back pain.", "Immunosuppression"),
        ],
    )
    def test_the_finding_type_is_recognised(self, sentence: str, finding: str) -> None:
        assert finding in _types(sentence)

    @pytest.mark.parametrize(
        ("sentence", "not_this"),
        [
            ("He falls asleep easily at night.", "Numbness"),
            ("A short course of oral steroids was prescribed.", "Immunosuppression"),
            ("He had an epidural steroid injection last year.", "Immunosuppression"),
            ("He is HIV negative.", "Immunosuppression"),
            ("Labs were HIV-negative.", "Immunosuppression"),
            ("She appears pale and tired.", "NeurovascularCompromise"),
            ("His shoulder pain worsens with exertion.", "ReferredVisceralPain"),
            ("He walks with a disturbed gait due to pain.", "GaitDisturbance"),
            ("Heart sounds were regular with no murmurs, rubs or clicks.", "MechanicalSymptom"),
        ],
    )
    def test_the_near_miss_is_not(self, sentence: str, not_this: str) -> None:
        assert not_this not in _types(sentence)


class TestExaminationDescriptions:
    """Examination findings told as what the examiner did or measured."""

    @pytest.mark.parametrize(
        ("sentence", "expected"),
        [
            (
                "Abduction of the left shoulder was restricted to 90 degrees.",
                ["ExaminationFinding:ReducedRangeOfMotion Shoulder Present"],
            ),
            (
                "He lacks full extension of the right knee.",
                ["ExaminationFinding:ReducedRangeOfMotion Knee Present"],
            ),
            (
                "Percussion over the median nerve at the wrist elicited paresthesias in the thumb.",
                ["ExaminationFinding:PositiveTinel WristHand Present"],
            ),
            (
                "Direct pressure over the left carpal tunnel produced tingling within 20 seconds.",
                ["ExaminationFinding:PositiveDurkan WristHand Present"],
            ),
            (
                "Maximal elbow flexion held for 60 seconds brought on numbness in the ring finger.",
                ["ExaminationFinding:PositiveElbowFlexionTest Elbow Present"],
            ),
            ("The interossei were weak on the left.", ["Symptom:Weakness WristHand Present"]),
            (
                "There is clicking in the left knee on squatting.",
                ["Symptom:MechanicalSymptom Knee Present"],
            ),
            (
                "His right hand goes to sleep when he drives.",
                ["Symptom:Numbness WristHand Present"],
            ),
        ],
    )
    def test_read_as_the_named_finding(self, sentence: str, expected: list[str]) -> None:
        assert summaries(sentence) == sorted(expected)

    def test_a_bare_measurement_is_not_a_reduced_range(self) -> None:
        """Whether 130 degrees is reduced depends on the joint's normal range: not read."""
        assert summaries("Knee flexion was 130 degrees.") == []

    def test_the_drop_arm_sign_described(self) -> None:
        sentence = "He was unable to lower his arm slowly and it dropped to his side."
        assert "DropArmSign" in _types(sentence)

    @pytest.mark.parametrize(
        ("sentence", "expected"),
        [
            (
                "Lumbar exam showed decreased range of motion and difficulty walking on heels "
                "and toes.",
                ["ExaminationFinding:ReducedRangeOfMotion LumbarSpine Present"],
            ),
            (
                "He had tenderness and could not heel walk on the right.",
                ["ExaminationFinding:Tenderness - Present"],
            ),
        ],
    )
    def test_heel_and_toe_walking_is_not_the_foot(self, sentence: str, expected: list[str]) -> None:
        """Heel and toe walking test the lumbar roots in a back examination: not a foot word."""
        assert summaries(sentence) == expected


class TestOneWordNames:
    """Words that name a finding and its region at once give the facts the two-word forms do."""

    @pytest.mark.parametrize(
        ("one_word", "two_words"),
        [
            (
                "He reports backache since the lifting injury.",
                "He reports back pain since the lifting injury.",
            ),
            ("Examination showed a left footdrop.", "Examination showed a left foot drop."),
            ("There was backache radiating downward.", "There was back pain radiating downward."),
            (
                "He is being treated for the diagnosis of backache.",
                "He is being treated for the diagnosis of back pain.",
            ),
            ("Upper backache rated 4/10.", "Upper back pain rated 4/10."),
            (
                "Diagnoses include cervical strain, right tennis elbow, and wrist sprain.",
                "Diagnoses include cervical strain, right lateral epicondylitis, and wrist sprain.",
            ),
            (
                "Examination noted abnormal gait with limp and tenderness.",
                "Examination noted gait disturbance with limp and tenderness.",
            ),
        ],
    )
    def test_same_facts(self, one_word: str, two_words: str) -> None:
        assert summaries(one_word) == summaries(two_words)
        assert summaries(one_word)

    def test_groin_pain_is_the_hip(self) -> None:
        """region:Hip is defined as hip and groin (ontology/schemes.ttl)."""
        assert summaries("She has groin pain when she climbs stairs.") == [
            "Symptom:Pain Hip Present"
        ]

    @pytest.mark.parametrize(
        "sentence",
        [
            "He has numbness in the groin and perineum.",
            "She reports numbness of the buttocks and groin.",
        ],
    )
    def test_the_groin_with_the_saddle_area_is_not_the_hip(self, sentence: str) -> None:
        """Named with the perineum or buttocks, the groin is the saddle (sacral dermatomes)."""
        assert summaries(sentence)
        assert not any(" Hip " in s for s in summaries(sentence))

    def test_chest_wall_radiating_pain_is_thoracic(self) -> None:
        """The intercostal nerves are thoracic roots: a radicular finding of the chest wall is the
        thoracic spine's."""
        assert summaries("The pain wraps around the left rib cage from the spine.") == [
            "Symptom:RadiatingPain ThoracicSpine Present"
        ]
