"""Disagreement causes: a fact only the rationale states is found and quoted; hand reviews
override the automatic class while the machine's outcome is unchanged, and are checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reasoner.causes import ABSENT_FACT, DEPARTURE, Review, classify, read_reviews
from reasoner.ingest import letter_case
from reasoner.knowledge import load_knowledge
from reasoner.letters import read_letter
from reasoner.load import DEV_LETTERS, PROJECT_ROOT
from reasoner.pipeline import determine_case

LETTERS = DEV_LETTERS


def _machine(letter_id: str, index: int):  # type: ignore[no-untyped-def]
    knowledge = load_knowledge()
    case = letter_case(LETTERS / "facts" / f"{letter_id}.facts.txt", knowledge)
    [result] = [r for r in determine_case(case, knowledge).results if r.request.item_index == index]
    return result


_PT_TRIAL = re.compile(r"Patient\s+has\s+completed\s+a\s+trial\s+of\s+physical\s+therapy")


def test_a_fact_only_the_rationale_states_is_quoted(tmp_path: Path) -> None:
    """The letter's rationale, reworded so that the trial it states is a strengthening programme
    (issue 10: Ch. 9's trigger is a strengthening programme, not any physical therapy)."""
    machine = _machine("CM17-0009840", 0)
    assert machine.outcome == "Upheld"
    text = (LETTERS / "text" / "CM17-0009840.txt").read_text(encoding="utf-8")
    reworded = tmp_path / "CM17-0009840.txt"
    strengthening, count = _PT_TRIAL.subn("Patient has completed a strengthening program", text)
    assert count == 1
    reworded.write_text(strengthening, encoding="utf-8")
    cause = classify(read_letter(reworded), 0, "Overturned", machine, load_knowledge())
    assert cause.kind == ABSENT_FACT and not cause.reviewed
    assert any("strengthening program" in q for q in cause.quotes)


def test_issue_10_a_therapy_trial_is_no_strengthening_programme() -> None:
    """As the letter words it, the failed physical-therapy trial does not meet Ch. 9's
    strengthening trigger: the disagreement is a departure, naming the unmet trigger."""
    machine = _machine("CM17-0009840", 0)
    full = read_letter(LETTERS / "text" / "CM17-0009840.txt")
    cause = classify(full, 0, "Overturned", machine, load_knowledge())
    assert cause.kind == DEPARTURE
    assert "strengthening programme" in cause.detail


def test_otherwise_a_departure_names_the_criteria() -> None:
    machine = _machine("CM16-0240434", 0)
    full = read_letter(LETTERS / "text" / "CM16-0240434.txt")
    cause = classify(full, 0, "Overturned", machine, load_knowledge())
    assert cause.kind == DEPARTURE and "Knee surgery is being considered" in cause.detail


def test_a_hand_review_overrides_only_while_the_outcome_stands() -> None:
    machine = _machine("CM16-0240434", 0)
    full = read_letter(LETTERS / "text" / "CM16-0240434.txt")
    knowledge = load_knowledge()
    current = Review(machine.outcome, DEPARTURE, "checked by hand")
    assert classify(full, 0, "Overturned", machine, knowledge, current).reviewed
    stale = Review("Overturned", DEPARTURE, "checked by hand")
    cause = classify(full, 0, "Overturned", machine, knowledge, stale)
    assert not cause.reviewed and "hand review stale" in cause.detail


def test_reviews_file_names_the_line_of_a_bad_cause(tmp_path: Path) -> None:
    path = tmp_path / "review.csv"
    path.write_text(
        "letter_id,item_index,machine_outcome,cause,note\nCM1,0,Upheld,bad luck,x\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"review.csv:2: cause 'bad luck'"):
        read_reviews(path)
    shipped = read_reviews(PROJECT_ROOT / "benchmarks" / "disagreement-review.csv")
    assert shipped  # the project's own hand reviews parse
