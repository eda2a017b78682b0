"""Metamorphic robustness on the 124 development letters: every applicable rewrite of every
letter (synonym substitution, duration rewording, sentence reordering; defined in
tests/metamorphic/transforms.py), and for each relation the share of rewrites that leave the
extracted facts unchanged and the share that leave every item's outcome unchanged, with the
first differing fact of each failure.

Usage: python benchmarks/metamorphic.py [--relation synonym|duration|reorder]... [--letter ID]...
           [--quiet] [--write-failures PATH]

`--write-failures` writes the failures in the format of tests/metamorphic/known-failures.tsv
with the first difference as a draft diagnosis, to be reviewed by hand before it replaces the
known-failures file.
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the relations are test code (tests/metamorphic/), shared with test_metamorphic.py; put tests/
# first so that `metamorphic` is that package, not this script
sys.path.insert(0, str(ROOT / "tests"))

from metamorphic.oracle import Verdict, judge, letter_ids, letter_path, original  # noqa: E402
from metamorphic.transforms import RELATIONS, instances  # noqa: E402

from reasoner.letters import read_letter  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relation", action="append", choices=RELATIONS)
    parser.add_argument("--letter", action="append")
    parser.add_argument("--quiet", action="store_true", help="only the pass rates")
    parser.add_argument("--write-failures", type=Path)
    args = parser.parse_args()
    relations = args.relation or list(RELATIONS)
    ids = args.letter or letter_ids()
    started = time.perf_counter()
    verdicts: dict[str, list[Verdict]] = {r: [] for r in relations}
    for letter_id in ids:
        letter = read_letter(letter_path(letter_id))
        for relation in relations:
            verdicts[relation] += [judge(i) for i in instances(letter, letter_id, relation)]
    seconds = time.perf_counter() - started
    everything = [v for done in verdicts.values() for v in done]
    print(f"# metamorphic relations on {len(ids)} development letters")
    _print_rates(verdicts)
    passed = sum(v.passed for v in everything)
    share = passed / (len(everything) or 1)
    print(f"all: {len(everything)} rewrites, {passed} ({share:.1%}) with both unchanged")
    print("on letters where imrkg decides at least one item (Upheld or Overturned):")
    _print_rates(
        {r: [v for v in done if _decides(v.instance.letter_id)] for r, done in verdicts.items()}
    )
    if not args.quiet:
        for relation, done in verdicts.items():
            failures = [v for v in done if not v.passed]
            print(f"\n## {relation}: {len(failures)} failures")
            for v in failures:
                print(f"  {v.instance.letter_id} [{v.instance.name}] {v.differs}")
                print(f"      {v.first_difference}")
    if args.write_failures:
        write_failures(args.write_failures, everything)
    print(
        f"({seconds:.1f} s, {len(everything)} rewrites, "
        f"{len(everything) / (seconds or 1):.1f} rewrites/s, Python {platform.python_version()})"
    )


def _print_rates(verdicts: dict[str, list[Verdict]]) -> None:
    """One line per relation: letters, rewrites, facts unchanged, outcomes unchanged."""
    print(
        f"{'relation':<10} {'letters':>7} {'rewrites':>8} {'facts same':>16} {'outcomes same':>16}"
    )
    for relation, done in verdicts.items():
        n = len(done) or 1
        letters = len({v.instance.letter_id for v in done})
        facts = sum(v.facts_same for v in done)
        outcomes = sum(v.outcomes_same for v in done)
        print(
            f"{relation:<10} {letters:>7} {len(done):>8} "
            f"{facts:>6} ({facts / n:6.1%}) {outcomes:>6} ({outcomes / n:6.1%})"
        )


def _decides(letter_id: str) -> bool:
    return any(o in ("Upheld", "Overturned") for _, o in original(letter_id).outcomes)


def write_failures(path: Path, verdicts: list[Verdict]) -> None:
    """Failures as known-failures.tsv rows; the diagnosis column is the first difference."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n")
        out.writerow(["letter", "relation", "instance", "differs", "diagnosis"])
        for v in verdicts:
            if not v.passed:
                i = v.instance
                out.writerow([i.letter_id, i.relation, i.name, v.differs, v.first_difference])


if __name__ == "__main__":
    sys.exit(main())
