"""Onsets, care lengths and later negatives deciding criteria, end to end from invented letters
(not letter text): the rules of shapes/rules/case-relations.ttl that read the timeline
(rules:days-persisted, rules:care-days, rules:superseded-observation,
rules:arises-after-latest-prior-study) and the window shapes that use them, in both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasoner.bulk import determine_batch
from reasoner.ingest import letter_case
from reasoner.intake import check_intake
from reasoner.knowledge import load_knowledge
from reasoner.pipeline import determine_case
from reasoner.vocab import CRIT

HEADER = """Case Number:          CM16-9990100
Date Assigned:        06/09/2016                      Date of Injury:      {injury}
Decision Date:        07/09/2016                      UR Denial Date:      06/03/2016
Priority:             Standard                        Application          06/03/2016
                                                      Received:

                                CLINICAL CASE SUMMARY
The expert reviewer developed the following clinical case summary based on a review of the
case file, including all medical records:

The injured worker is a 50 year old male who sustained an industrial injury on {injury}.
{summary}
On 06-03-2016, utilization review determined the {item} was not medically necessary.

DISPUTED ITEMS (as listed in the letter; decisions withheld)
1. {item}
"""


def statuses(tmp_path: Path, summary: str, *, item: str, injury: str) -> dict[str, str]:
    """Criterion -> status for the letter's one item; both engines must agree."""
    path = tmp_path / "letter.txt"
    path.write_text(HEADER.format(summary=summary, item=item, injury=injury))
    knowledge = load_knowledge()
    check_intake(letter_case(path, knowledge), knowledge)  # what extraction wrote is valid
    (reference,) = determine_case(letter_case(path, knowledge), knowledge).results
    (bulk,) = determine_batch([letter_case(path, knowledge)], knowledge).cases[0].results
    found = {e.criterion.rsplit("/", 1)[-1]: e.status for e in reference.evaluations}
    assert found == {e.criterion.rsplit("/", 1)[-1]: e.status for e in bulk.evaluations}
    return found


NECK_MRI = {"item": "MRI of the cervical spine", "injury": "01/04/2016"}


@pytest.mark.parametrize(
    ("summary", "status"),
    [
        ("He reports neck pain radiating into the right arm since the injury.", "met"),
        (
            "On 05-20-2016, he reported neck pain radiating to the arm for the past two weeks.",
            "not met",
        ),
        (
            "On 05-20-2016, he reported neck pain radiating to the arm for the past six weeks.",
            "met",
        ),
        # no onset stated: documented 137 days after the injury, as before onsets were read
        ("On 05-20-2016, he reported neck pain radiating into the right arm.", "met"),
    ],
)
def test_a_stated_onset_decides_whether_symptoms_persisted(
    tmp_path: Path, summary: str, status: str
) -> None:
    assert statuses(tmp_path, summary, **NECK_MRI)["NeckConservativeCareFailed"] == status


@pytest.mark.parametrize(
    ("care", "status"),
    [
        ("He completed eight weeks of physical therapy without improvement.", "met"),
        ("He completed two weeks of physical therapy without improvement.", "not met"),
        ("He completed 12 sessions of physical therapy twice a week without improvement.", "met"),
        # sessions without a stated frequency give no length
        ("He completed 12 sessions of physical therapy without improvement.", "not met"),
    ],
)
def test_care_tried_for_the_window_shows_persisting_symptoms(
    tmp_path: Path, care: str, status: str
) -> None:
    # the only symptom is two weeks old: only the course of care can show persistence
    summary = f"On 05-20-2016, he reported neck pain for the past two weeks. {care}"
    assert statuses(tmp_path, summary, **NECK_MRI)["NeckConservativeCareFailed"] == status


def test_a_later_negative_finding_supersedes_a_red_flag(tmp_path: Path) -> None:
    early = "On 01-20-2016, he reported neck pain and a new gait disturbance."
    assert statuses(tmp_path, early, **NECK_MRI)["NeckRedFlag"] == "met"
    later = early + " On 05-20-2016, he reported neck pain and denied any gait disturbance."
    assert statuses(tmp_path, later, **NECK_MRI)["NeckRedFlag"] == "not met"


@pytest.mark.parametrize(
    ("onset", "status"),
    [("for the past three weeks", "met"), ("for the past two years", "not met")],
)
def test_an_onset_after_the_last_study_is_a_change_since_it(
    tmp_path: Path, onset: str, status: str
) -> None:
    summary = (
        "An MRI of the cervical spine on 03-02-2015 showed a disc protrusion at C5-6. "
        f"On 05-20-2016, he reported numbness in the right arm {onset}."
    )
    found = statuses(
        tmp_path, summary, item="Repeat MRI of the cervical spine", injury="01/04/2015"
    )
    assert found[CRIT.RepeatImagingAfterSignificantChange.rsplit("/", 1)[-1]] == status


def test_the_window_and_a_documented_deficit_overturn_what_the_window_alone_does_not(
    tmp_path: Path,
) -> None:
    """Issue 10's invented case: pain radiating to the arm since the injury after eight weeks of
    failed therapy passes the window, but the window is a precondition, not a trigger; with a
    definitive C6 deficit (physiologic evidence, Ch. 8) the same record is overturned."""
    window = (
        "He reports neck pain radiating into the right arm since the injury. He has completed"
        " eight weeks of physical therapy without improvement."
    )
    alone = statuses(tmp_path, window, **NECK_MRI)
    assert alone["NeckConservativeCareFailed"] == "met"
    assert alone["NeckPhysiologicEvidence"] != "met"
    deficit = window + (
        " On 05-20-2016, examination showed decreased sensation in the right C6 dermatome and an"
        " absent right brachioradialis reflex."
    )
    both = statuses(tmp_path, deficit, **NECK_MRI)
    assert both["NeckConservativeCareFailed"] == "met"
    assert both["NeckPhysiologicEvidence"] == "met"
    path = tmp_path / "letter.txt"  # statuses() left the deficit letter there
    knowledge = load_knowledge()
    (result,) = determine_case(letter_case(path, knowledge), knowledge).results
    assert result.outcome == "Overturned"
