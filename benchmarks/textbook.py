"""Textbook letters (data/letters/textbook/): each item's expected vs machine outcome, the
deciding criterion's status on the current code, and the totals.

Usage: python benchmarks/textbook.py
"""

from __future__ import annotations

import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from textbook_set import (  # noqa: E402
    LETTERS,
    Expected,
    judge,
    read_expected,
    read_known_failures,
)


def report(expected: list[Expected], known: dict[str, str], letters: Path = LETTERS) -> None:
    """Print each item's expected vs machine outcome and the totals (shared with
    benchmarks/heldout.py, which judges the held-out letters the same way)."""
    started = time.perf_counter()
    confusion: Counter[tuple[str, str]] = Counter()
    print(f"# textbook letters: {len(expected)} items (Python {platform.python_version()})")
    for e in expected:
        outcome = judge(e, letters)
        confusion[(e.outcome, outcome.machine)] += 1
        mark = "ok " if outcome.machine == e.outcome else "WRONG"
        print(
            f"{mark} {e.key:<16} expected {e.outcome:<10} machine {outcome.machine:<13}"
            f" {e.criterion} {outcome.criterion_status}  [{e.item_text}]"
        )
        if outcome.machine != e.outcome:
            print(f"      {outcome.diagnosis(e)}")
            if e.key in known:
                print(f"      known: {known[e.key]}")
    right = sum(n for (a, b), n in confusion.items() if a == b)
    print(f"right: {right}/{len(expected)}")
    for truth in ("Overturned", "Upheld"):
        row = {m: confusion[(truth, m)] for m in ("Overturned", "Upheld", "Not evaluated")}
        print(f"  expected {truth:<10} machine " + ", ".join(f"{k} {v}" for k, v in row.items()))
    print(f"({time.perf_counter() - started:.1f} s)")


def main() -> None:
    report(read_expected(), read_known_failures())


if __name__ == "__main__":
    main()
