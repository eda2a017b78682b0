"""The textbook letters (data/letters/textbook/): invented facts-only IMR letters, each stating one
clear-cut case as the guideline says, with the expected outcome of each disputed item, the
criterion that decides it and its source (`expected.jsonl`). Shared by the pytest module and
`benchmarks/textbook.py`.

The expected outcomes were decided from the criteria as encoded and cited (docs/rulebook.md,
docs/criteria.md, the domain brief), never from imrkg's output; a letter whose outcome the
guideline leaves open is not in the set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reasoner.ingest import letter_case
from reasoner.justify import RequestResult
from reasoner.knowledge import Knowledge, load_knowledge
from reasoner.pipeline import determine_case
from reasoner.vocab import curie

__all__ = ["LETTERS", "Expected", "Outcome", "judge", "read_expected", "read_known_failures"]

LETTERS = Path(__file__).resolve().parents[1] / "data" / "letters" / "textbook"


@dataclass(frozen=True)
class Expected:
    """One disputed item's expected outcome and the criterion that decides it."""

    letter_id: str
    item_index: int
    item_text: str
    outcome: str
    criterion: str
    source: str
    reasoning: str

    @property
    def key(self) -> str:
        return f"{self.letter_id}#{self.item_index}"


@dataclass(frozen=True)
class Outcome:
    """What the machine decided for an item, and the deciding criterion's status."""

    machine: str
    criterion_status: str
    decisive: tuple[str, ...]

    def diagnosis(self, expected: Expected) -> str:
        """One line: the expected criterion's status and the machine's decisive criteria."""
        return (
            f"machine {self.machine}, expected {expected.outcome}; {expected.criterion}"
            f" {self.criterion_status}; decisive: {', '.join(self.decisive) or '-'}"
        )


def read_expected(path: Path = LETTERS / "expected.jsonl") -> list[Expected]:
    """The expected outcomes, in file order."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Expected(
            r["letter_id"],
            r["item_index"],
            r["item_text"],
            r["expected"],
            r["criterion"],
            r["source"],
            r["reasoning"],
        )
        for r in rows
    ]


def read_known_failures(path: Path = LETTERS / "known-failures.jsonl") -> dict[str, str]:
    """`<letter id>#<item index>` -> one-line diagnosis of what the current code gets wrong."""
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {row["key"]: row["diagnosis"] for row in rows}


@cache
def _knowledge() -> Knowledge:
    return load_knowledge()


@cache
def _results(letters: Path, letter_id: str) -> tuple[RequestResult, ...]:
    knowledge = _knowledge()
    path = letters / f"{letter_id}.facts.txt"
    return tuple(determine_case(letter_case(path, knowledge), knowledge).results)


def judge(expected: Expected, letters: Path = LETTERS) -> Outcome:
    """Determine the item with the current code (each letter is read once); `letters` is the
    directory of the set (the held-out letters of `tests/heldout/letters/` use the same code)."""
    results = _results(letters, expected.letter_id)
    if expected.item_index >= len(results):
        return Outcome("missing item", "not evaluated", ())
    result = results[expected.item_index]
    status = next(
        (e.status for e in result.evaluations if curie(e.criterion) == expected.criterion),
        "not evaluated",
    )
    decisive = tuple(curie(c) for c in result.decision.decisive_criteria) if result.decision else ()
    return Outcome(result.outcome, status, decisive)
