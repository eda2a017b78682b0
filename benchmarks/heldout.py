"""Score of the held-out set (tests/heldout/): the sentences, scored as the paraphrase set is
(items fully right / total, by region and category, fact precision and recall), and the held-out
textbook letters, judged as data/letters/textbook/ is (letters right / total).

Usage: python benchmarks/heldout.py [--failures] [--write-known-failures]

--failures prints each wrong sentence with what is missing and extra; --write-known-failures
rewrites tests/heldout/known-failures.jsonl from the current code (review the diff: a line that
disappears is an item a change repaired, a new line one it broke). The letters' known failures
(tests/heldout/letters/known-failures.jsonl) are written by hand, one diagnosis each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "heldout")]

import paraphrase  # noqa: E402  (benchmarks/paraphrase.py: the same report)
import textbook  # noqa: E402  (benchmarks/textbook.py: the same report)
from heldout_set import (  # noqa: E402
    HERE,
    LETTERS,
    read_expected_letters,
    read_items,
    read_known_letter_failures,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="print every wrong sentence")
    parser.add_argument("--write-known-failures", action="store_true")
    args = parser.parse_args()
    paraphrase.report(
        read_items(),
        HERE / "known-failures.jsonl",
        title="held-out sentences",
        failures=args.failures,
        write_known_failures=args.write_known_failures,
    )
    print()
    textbook.report(read_expected_letters(), read_known_letter_failures(), LETTERS)


if __name__ == "__main__":
    main()
