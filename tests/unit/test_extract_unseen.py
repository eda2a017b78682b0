"""Extraction from invented sentences written as IMR clinical case summaries (not letter text).

Each sentence is paired with every fact a careful reader takes from it, one summary string per
fact (`summary`), so that a missing fact, a spurious one and a wrong value all fail. The
sentences were written to cover the ways summaries commonly state symptoms, signs, studies, care
and procedures in each region, beyond the development letters; the extraction was then fixed by
vocabulary (data/lexicon) or by generic rules, not by fitting these sentences.
"""

from __future__ import annotations

import pytest
from factsummary import summary

from reasoner.extract import extract_facts


def summaries(text: str) -> list[str]:
    """The summaries of every fact of a one-sentence text, sorted."""
    return sorted(summary(f) for f in extract_facts(text, [(0, len(text))]))


NECK = [
    (
        "The patient was negative for Spurling's sign.",
        ["NeurologicFinding:PositiveSpurling CervicalSpine Absent"],
    ),
    (
        "Examination of the cervical spine showed no tenderness, spasm or guarding.",
        ["ExaminationFinding:Tenderness CervicalSpine Absent"],
    ),
    (
        "She denies any numbness or tingling in the upper extremities.",
        ["Symptom:Numbness CervicalSpine Absent"],
    ),
    (
        "He reports neck pain radiating down the right arm to the hand.",
        ["Symptom:RadiatingPain CervicalSpine Present"],
    ),
    (
        "Spurling's maneuver was positive on the left.",
        ["NeurologicFinding:PositiveSpurling CervicalSpine Present Definitive"],
    ),
    (
        "Cervical spine range of motion was decreased in all planes.",
        ["ExaminationFinding:ReducedRangeOfMotion CervicalSpine Present"],
    ),
    (
        "Biceps and brachioradialis reflexes were 1+ bilaterally.",
        ["NeurologicFinding:ReflexChange CervicalSpine Present Definitive roots=C5,C6"],
    ),
    (
        "Sensation was decreased to light touch in the C6 and C7 dermatomes on the right.",
        ["NeurologicFinding:DermatomalSensoryLoss CervicalSpine Present Definitive roots=C6,C7"],
    ),
    (
        "An MRI of the cervical spine dated 03/12/2016 revealed a 3 mm disc protrusion at C5-6"
        " with mild foraminal narrowing.",
        ["ImagingStudy:MRI CervicalSpine 2016-03-12 Positive"],
    ),
    (
        "EMG/NCS of the bilateral upper extremities on 1/5/16 was normal.",
        ["ElectrodiagnosticStudy:- UpperExtremity 2016-01-05 Negative"],
    ),
    ("Cervical spine x-rays were unremarkable.", ["ImagingStudy:XRay CervicalSpine - Negative"]),
    (
        "He completed 12 sessions of physical therapy for the neck without improvement.",
        ["Care:PhysicalTherapy CervicalSpine NoImprovement"],
    ),
    (
        "The patient is status post C5-6 anterior cervical discectomy and fusion in 2013.",
        [
            "Diagnosis:Z98.1 CervicalSpine",
            "Surgery:SpinalFusion CervicalSpine - levels=C5-C6 2013-01-01",
        ],
    ),
    (
        "He denies bowel or bladder incontinence, fevers, or unexplained weight loss.",
        [
            "Symptom:BowelBladderDysfunction - Absent",
            "Symptom:FeverOrChills - Absent",
            "Symptom:UnexplainedWeightLoss - Absent",
        ],
    ),
    (
        "Hoffmann's sign was negative bilaterally.",
        ["NeurologicFinding:HoffmannSign Spine Absent"],
    ),
    (
        "Reflexes were 2+ and symmetric in the upper extremities.",
        ["NeurologicFinding:NormalNeurologicExam CervicalSpine Present Definitive"],
    ),
    (
        "There was 4/5 strength in the right biceps, C5 myotome.",
        ["NeurologicFinding:Weakness CervicalSpine Present Definitive roots=C5"],
    ),
    (
        "A cervical epidural steroid injection at C6-7 has been recommended.",
        ["PlannedProcedure:EpiduralInjection CervicalSpine Planned levels=C6-C7 -"],
    ),
]
LOW_BACK = [
    ("A lumbar MRI was negative.", ["ImagingStudy:MRI LumbarSpine - Negative"]),
    (
        "EMG of the left leg was negative for radiculopathy.",
        ["ElectrodiagnosticStudy:EMG LowerExtremity - Negative"],
    ),
    (
        "The right knee jerk was absent.",
        ["NeurologicFinding:ReflexChange LumbarSpine Present Definitive roots=L3,L4"],
    ),
    (
        "He received a right L5-S1 transforaminal epidural steroid injection on 5/12/16.",
        ["InjectionGiven:EpiduralInjection LumbarSpine - levels=L5-S1 2016-05-12"],
    ),
    (
        "Lumbar spine examination revealed spasm and decreased range of motion.",
        ["ExaminationFinding:ReducedRangeOfMotion LumbarSpine Present"],
    ),
    ("An MRI of the lumbar spine has not been performed.", []),
    (
        "She complains of low back pain radiating to the left buttock and posterior thigh.",
        ["Symptom:RadiatingPain LumbarSpine Present"],
    ),
    (
        "Straight leg raise was positive on the right at 45 degrees.",
        ["NeurologicFinding:StraightLegRaise LumbarSpine Present Equivocal"],
    ),
    (
        "Seated straight leg raise was negative bilaterally.",
        ["NeurologicFinding:StraightLegRaise LumbarSpine Absent"],
    ),
    (
        "Achilles reflexes were 1+ on the left.",
        ["NeurologicFinding:ReflexChange LumbarSpine Present Definitive roots=S1"],
    ),
    (
        "Sensation is diminished in the left L5 and S1 dermatomes.",
        ["NeurologicFinding:DermatomalSensoryLoss LumbarSpine Present Definitive roots=L5,S1"],
    ),
    (
        "MRI of the lumbar spine dated 03/12/2016 revealed a 4 mm disc protrusion at L4-5.",
        ["ImagingStudy:MRI LumbarSpine 2016-03-12 Positive"],
    ),
    (
        "Lumbar x-rays on 2/3/2015 showed mild degenerative disc disease at L5-S1.",
        ["ImagingStudy:XRay LumbarSpine 2015-02-03 Positive"],
    ),
    (
        "An EMG/NCV study of the lower extremities dated November 9, 2015 revealed evidence of"
        " chronic left L5 radiculopathy.",
        ["ElectrodiagnosticStudy:- LowerExtremity 2015-11-09 Positive"],
    ),
    (
        "He has tried NSAIDs, muscle relaxants and a home exercise program with minimal relief.",
        ["Care:HomeExercise - PartialImprovement", "Care:Medication - PartialImprovement"],
    ),
    ("Chiropractic care helped temporarily.", ["Care:Chiropractic - PartialImprovement"]),
    (
        "The patient is status post L5-S1 fusion in 2013.",
        [
            "Diagnosis:Z98.1 LumbarSpine",
            "Surgery:SpinalFusion LumbarSpine - levels=L5-S1 2013-01-01",
        ],
    ),
    (
        "He underwent a right L4-5 microdiscectomy on 6/14/2012.",
        ["Surgery:Decompression LumbarSpine - levels=L4-L5 2012-06-14"],
    ),
    (
        "The provider would like to proceed with a lumbar epidural steroid injection at L4-5.",
        ["PlannedProcedure:EpiduralInjection LumbarSpine UnderConsideration levels=L4-L5 -"],
    ),
    (
        "He is a surgical candidate for an L4-S1 fusion.",
        ["PlannedProcedure:SpinalFusion LumbarSpine UnderConsideration levels=L4-L5,L5-S1 -"],
    ),
    (
        "Surgery was discussed, but the patient wishes to avoid it.",
        ["PlannedProcedure:- - Declined levels=- -"],
    ),
    (
        "She denies saddle anesthesia or bowel and bladder dysfunction.",
        ["Symptom:BowelBladderDysfunction - Absent", "Symptom:SaddleAnesthesia - Absent"],
    ),
    (
        "There was tenderness to palpation over the lumbar paraspinal muscles.",
        ["ExaminationFinding:Tenderness LumbarSpine Present"],
    ),
    (
        "Lumbar flexion was limited to 40 degrees.",
        ["ExaminationFinding:ReducedRangeOfMotion LumbarSpine Present"],
    ),
    (
        "He reports possible weakness in the left leg.",
        ["Symptom:Weakness LumbarSpine Present Equivocal"],
    ),
    ("An MRI of the lumbar spine was ordered to rule out a disc herniation.", []),
    (
        "Motor strength was 5/5 throughout the bilateral lower extremities.",
        ["NeurologicFinding:NormalNeurologicExam LumbarSpine Present Definitive"],
    ),
    (
        "On 11/22/2016, she presented with worsening low back pain.",
        ["Symptom:Pain LumbarSpine Present Worsened"],
    ),
]
SHOULDER = [
    (
        "Neer and Hawkins impingement signs were positive on the right.",
        ["ExaminationFinding:ImpingementSign Shoulder Present"],
    ),
    ("Drop arm test was negative.", ["ExaminationFinding:DropArmSign Shoulder Absent"]),
    (
        "MRI of the right shoulder on 8/27/14 demonstrated a full-thickness supraspinatus tear.",
        ["ImagingStudy:MRI Shoulder 2014-08-27 Positive"],
    ),
    (
        "X-rays of the right shoulder were negative for fracture or dislocation.",
        [
            "ExaminationFinding:Dislocation Shoulder Absent",
            "ExaminationFinding:SuspectedFracture Shoulder Absent",
            "ImagingStudy:XRay Shoulder - Negative",
        ],
    ),
    (
        "She has attended 18 sessions of physical therapy for the shoulder with some improvement.",
        ["Care:PhysicalTherapy Shoulder PartialImprovement"],
    ),
    (
        "He would like to proceed with arthroscopic surgery of the right shoulder.",
        ["PlannedProcedure:- Shoulder UnderConsideration levels=- -"],
    ),
    ("O'Brien's test was positive.", ["ExaminationFinding:BicepsLabralSign Shoulder Present"]),
    (
        "Shoulder abduction was limited to 90 degrees.",
        ["ExaminationFinding:ReducedRangeOfMotion Shoulder Present"],
    ),
]
ELBOW = [
    (
        "There is tenderness over the lateral epicondyle of the right elbow.",
        ["ExaminationFinding:Tenderness Elbow Present"],
    ),
    (
        "Tinel's sign was positive at the left cubital tunnel.",
        ["ExaminationFinding:PositiveTinel Elbow Present"],
    ),
    (
        "Elbow flexion test was positive on the left.",
        ["ExaminationFinding:PositiveElbowFlexionTest Elbow Present"],
    ),
    (
        "EMG/NCS dated 10/13/2016 showed moderate ulnar neuropathy at the left elbow.",
        [
            "ElectrodiagnosticStudy:- Elbow 2016-10-13 Positive",
            "ExaminationFinding:UlnarNeuropathy Elbow Present",
        ],
    ),
    (
        "She has tried physical therapy for the elbow with no relief.",
        ["Care:PhysicalTherapy Elbow NoImprovement"],
    ),
]
WRIST_HAND = [
    (
        "Physical therapy notes document ongoing numbness in the hand.",
        ["Care:PhysicalTherapy - -", "Symptom:Numbness WristHand Present"],
    ),
    (
        "Phalen's and Tinel's tests were positive at the right wrist.",
        [
            "ExaminationFinding:PositivePhalen WristHand Present",
            "ExaminationFinding:PositiveTinel WristHand Present",
        ],
    ),
    (
        "He reports numbness and tingling in the right thumb and index finger, worse at night.",
        ["Symptom:MedianNerveParesthesia WristHand Present"],
    ),
    (
        "Grip strength was decreased on the right.",
        ["NeurologicFinding:Weakness WristHand Present Equivocal"],
    ),
    (
        "Wrist x-rays dated 12 July 2015 showed no fracture.",
        [
            "ExaminationFinding:SuspectedFracture WristHand Absent",
            "ImagingStudy:XRay WristHand 2015-07-12 Negative",
        ],
    ),
    (
        "She is not interested in a carpal tunnel release at this time.",
        ["PlannedProcedure:- WristHand Declined levels=- -"],
    ),
    (
        "She has completed six sessions of occupational therapy for the hand.",
        ["Care:PhysicalTherapy WristHand -"],
    ),
]
KNEE = [
    (
        "No swelling, effusion or erythema was noted about the knee.",
        ["ExaminationFinding:JointEffusion Knee Absent"],
    ),
    (
        "X-rays and MRI of the knee were negative.",
        ["ImagingStudy:MRI Knee - Negative", "ImagingStudy:XRay Knee - Negative"],
    ),
    (
        "McMurray's test was positive medially and there was medial joint line tenderness.",
        [
            "ExaminationFinding:JointLineTenderness Knee Present",
            "ExaminationFinding:McMurraySign Knee Present",
        ],
    ),
    (
        "Lachman and anterior drawer tests were negative.",
        ["ExaminationFinding:LigamentLaxity Knee Absent"],
    ),
    (
        "He reports episodes of the right knee giving way and locking.",
        ["Symptom:JointInstability Knee Present", "Symptom:Locking Knee Present"],
    ),
    (
        "MRI of the left knee dated 2016-11-30 revealed a complex tear of the medial meniscus.",
        ["ImagingStudy:MRI Knee 2016-11-30 Positive"],
    ),
    (
        "There is a small effusion of the right knee.",
        ["ExaminationFinding:JointEffusion Knee Present"],
    ),
    (
        "He is status post right knee arthroscopy with partial medial meniscectomy in 2014.",
        ["Surgery:- Knee - levels=- 2014-01-01"],
    ),
    (
        "The orthopedic surgeon has recommended a total knee arthroplasty.",
        ["PlannedProcedure:- Knee Planned levels=- -"],
    ),
    ("Knee x-rays showed tricompartmental osteoarthritis.", ["ImagingStudy:XRay Knee - Positive"]),
    (
        "She denies any locking or catching of the knee.",
        ["Symptom:Catching Knee Absent", "Symptom:Locking Knee Absent"],
    ),
]
ANKLE_FOOT = [
    (
        "He sustained an inversion injury to the right ankle on 10-13-16.",
        ["Injury AnkleFoot 2016-10-13"],
    ),
    (
        "There was tenderness over the anterior talofibular ligament.",
        ["ExaminationFinding:Tenderness AnkleFoot Present"],
    ),
    (
        "Ankle radiographs dated 10/14/2016 were negative for fracture.",
        [
            "ExaminationFinding:SuspectedFracture AnkleFoot Absent",
            "ImagingStudy:XRay AnkleFoot 2016-10-14 Negative",
        ],
    ),
    (
        "Anterior drawer test of the right ankle was positive.",
        ["ExaminationFinding:LigamentLaxity AnkleFoot Present"],
    ),
    ("She has been taking ibuprofen with some relief.", ["Care:Medication - PartialImprovement"]),
    (
        "He reports plantar heel pain that is worst with the first steps in the morning.",
        ["Symptom:Pain AnkleFoot Present"],
    ),
]
ANY_REGION = [
    ("EMG/NCS on 1/5/16 was negative.", ["ElectrodiagnosticStudy:- - 2016-01-05 Negative"]),
    (
        "He has undergone 24 sessions of acupuncture with no lasting benefit.",
        ["Care:Acupuncture - NoImprovement"],
    ),
    (
        "He was treated with rest and anti-inflammatory medications without significant"
        " improvement.",
        ["Care:ActivityModification - NoImprovement", "Care:Medication - NoImprovement"],
    ),
    (
        "Neurological examination was unremarkable.",
        ["NeurologicFinding:NormalNeurologicExam - Present Definitive"],
    ),
    ("He is a surgical candidate.", ["PlannedProcedure:- - UnderConsideration levels=- -"]),
    (
        "The surgeon stated that he is not a surgical candidate.",
        ["PlannedProcedure:- - Declined levels=- -"],
    ),
    (
        "MRI of the lumbar spine and x-rays of the right knee were unremarkable.",
        ["ImagingStudy:MRI LumbarSpine - Negative", "ImagingStudy:XRay Knee - Negative"],
    ),
]


def _ids(cases: list[tuple[str, list[str]]]) -> list[str]:
    return [text[:48] for text, _ in cases]


class TestUnseenSentences:
    """Every fact of each sentence, and no other."""

    @pytest.mark.parametrize(("text", "expected"), NECK, ids=_ids(NECK))
    def test_neck(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), LOW_BACK, ids=_ids(LOW_BACK))
    def test_low_back(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), SHOULDER, ids=_ids(SHOULDER))
    def test_shoulder(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), ELBOW, ids=_ids(ELBOW))
    def test_elbow(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), WRIST_HAND, ids=_ids(WRIST_HAND))
    def test_wrist_hand(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), KNEE, ids=_ids(KNEE))
    def test_knee(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), ANKLE_FOOT, ids=_ids(ANKLE_FOOT))
    def test_ankle_foot(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected

    @pytest.mark.parametrize(("text", "expected"), ANY_REGION, ids=_ids(ANY_REGION))
    def test_any_region(self, text: str, expected: list[str]) -> None:
        assert summaries(text) == expected
