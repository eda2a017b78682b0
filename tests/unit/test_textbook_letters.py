"""Textbook letters (issue 10, section 4): clear-cut invented letters decided as the guideline says.

Each item's expected outcome, deciding criterion and source are in
`data/letters/textbook/expected.jsonl`; items the current code decides wrongly are listed with a
diagnosis in `known-failures.jsonl` and must still fail (strict xfail), so a fix that repairs
one takes it off the list. `python benchmarks/textbook.py` prints every letter.
"""

from __future__ import annotations

import pytest
from known_failures import case_param
from textbook_set import LETTERS, Expected, judge, read_expected, read_known_failures

EXPECTED = read_expected()
KNOWN = read_known_failures()


class TestTextbookLetters:
    """Each disputed item comes out as the guideline says."""

    @pytest.mark.parametrize("expected", [case_param(e, e.key, KNOWN) for e in EXPECTED])
    def test_outcome(self, expected: Expected) -> None:
        outcome = judge(expected)
        assert outcome.machine == expected.outcome, outcome.diagnosis(expected)


class TestTextbookSet:
    """The set is what docs/robustness.md says it is."""

    def test_at_least_24_letters_each_with_an_expectation(self) -> None:
        letters = sorted(p.name.removesuffix(".facts.txt") for p in LETTERS.glob("*.facts.txt"))
        assert len(letters) >= 24
        assert sorted({e.letter_id for e in EXPECTED}) == letters

    def test_positives_and_negatives_are_balanced(self) -> None:
        outcomes = [e.outcome for e in EXPECTED]
        assert set(outcomes) == {"Upheld", "Overturned"}
        assert abs(outcomes.count("Upheld") - outcomes.count("Overturned")) <= 4

    def test_every_expectation_cites_a_criterion_and_a_source(self) -> None:
        for e in EXPECTED:
            assert e.criterion.startswith("crit:"), e.key
            assert e.source and e.reasoning, e.key

    def test_known_failures_name_items_of_the_set(self) -> None:
        assert set(KNOWN) <= {e.key for e in EXPECTED}
