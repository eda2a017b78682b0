"""Extraction of hand, elbow and ankle/foot findings (finding-terms-hand-elbow-ankle.ttl): each
sentence yields the finding type, presence and region the criteria need."""

from __future__ import annotations

import pytest

from reasoner.extract import extract_facts, iri_name

OBSERVATIONS = ("Symptom", "ExaminationFinding", "NeurologicFinding")


def _findings(text: str) -> list[tuple[str, tuple[str, ...], str]]:
    facts = extract_facts(text, [(0, len(text))])
    return [
        (
            ",".join(iri_name(v) for v in f.all("findingType")),
            tuple(sorted(iri_name(v) for v in f.all("bodyRegion"))),
            iri_name(f.get("presence")),
        )
        for f in facts
        if f.kind in OBSERVATIONS
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The patient had a positive Phalen test and Tinel test on the left wrist.",
            [
                ("PositivePhalen", ("WristHand",), "Present"),
                ("PositiveTinel", ("WristHand",), "Present"),
            ],
        ),
        (
            "There was a positive elbow flexion test on the right.",
            [("PositiveElbowFlexionTest", ("Elbow",), "Present")],
        ),
        (
            "Tinel's test was negative at the wrist.",
            [("PositiveTinel", ("WristHand",), "Absent")],
        ),
        (
            "She reports numbness in the ulnar nerve distribution of the right hand.",
            [("UlnarNerveParesthesia", ("UpperExtremity",), "Present")],
        ),
        (
            "The applicant reported numbness and tingling about the left thumb.",
            [("MedianNerveParesthesia", ("WristHand",), "Present")],
        ),
        (
            "Examination showed thenar atrophy on the left.",
            [("ThenarAtrophy", ("WristHand",), "Present")],
        ),
        (
            "The diagnoses include stress fracture of the second metatarsal of the left foot.",
            [("SuspectedStressFracture", ("AnkleFoot",), "Present")],
        ),
        (
            "There is no evidence of infection of the hand.",
            [("SuspectedLocalInfection", ("WristHand",), "Absent")],
        ),
    ],
)
def test_sentence_yields_typed_regional_finding(
    text: str, expected: list[tuple[str, tuple[str, ...], str]]
) -> None:
    assert _findings(text) == expected


def test_tinel_at_the_elbow_is_not_placed_at_the_wrist_only() -> None:
    """Tinel is not a wrist word: the sign is elicited over the ulnar nerve at the elbow too."""
    [(ftype, regions, presence)] = _findings("The exam reveals a positive Tinel's at the elbow.")
    assert (ftype, regions, presence) == ("PositiveTinel", ("Elbow",), "Present")


def test_a_listed_diagnosis_of_epicondylitis_is_recorded_as_a_finding() -> None:
    found = _findings("The patient is being treated for right lateral epicondylitis.")
    assert found == [("Epicondylitis", ("Elbow",), "Present")]


@pytest.mark.parametrize(
    "text",
    [
        "Status post carpal tunnel release on the right in 2012.",
        "Body mass index is 31.",
        "He was treated for a urinary tract infection last year.",
    ],
)
def test_phrases_that_state_no_such_finding(text: str) -> None:
    assert _findings(text) == []
