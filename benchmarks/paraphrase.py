"""Score of the paraphrase set (tests/paraphrase/sentences.jsonl) on the current extraction:
items fully right / total, by region and by category, and fact precision and recall.

Usage: python benchmarks/paraphrase.py [--failures] [--write-known-failures]

--failures prints each wrong item with what is missing and extra; --write-known-failures
rewrites tests/paraphrase/known-failures.jsonl from the current code (review the diff: a line
that disappears is an item a change repaired, a new line one it broke).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "paraphrase")]

from paraphrase_set import (  # noqa: E402
    CATEGORIES,
    HERE,
    REGIONS,
    Item,
    diagnose,
    read_items,
    read_known_failures,
    score,
)


def report(
    items: list[Item],
    known_path: Path,
    *,
    title: str = "paraphrase set",
    failures: bool = False,
    write_known_failures: bool = False,
) -> None:
    """Print the score of `items` and compare it with the known-failures list at `known_path`
    (shared with benchmarks/heldout.py, which scores the held-out set the same way)."""
    started = time.perf_counter()
    result, got = score(items)
    seconds = time.perf_counter() - started
    print(f"# {title}: {len(items)} sentences (Python {platform.python_version()})")
    print(f"fully right: {result.right['all']}/{result.items['all']}")
    print("by region:")
    for region in REGIONS:
        key = f"region:{region}"
        print(f"  {region:<14} {result.right[key]:>3}/{result.items[key]:<3}")
    print("by category:")
    for category in CATEGORIES:
        key = f"category:{category}"
        print(f"  {category:<14} {result.right[key]:>3}/{result.items[key]:<3}")
    print(
        f"facts: precision {result.precision:.3f} ({result.matched_facts}/"
        f"{result.extracted_facts}), recall {result.recall:.3f} ({result.matched_facts}/"
        f"{result.expected_facts})"
    )
    known = read_known_failures(known_path)
    wrong = {i.id for i in items if diagnose(i, got[i.id])}
    print(
        f"known-failures list: {len(known)} items; now failing {len(wrong)};"
        f" repaired {len(set(known) - wrong)}; newly failing {len(wrong - set(known))}"
    )
    if failures:
        for item in items:
            line = diagnose(item, got[item.id])
            if line:
                print(f"  {item.id} [{item.category}] {item.text}\n      {line}")
    if write_known_failures:
        lines = []
        for item in items:
            line = diagnose(item, got[item.id])
            if line:
                reason = known.get(item.id) or line
                lines.append(json.dumps({"id": item.id, "diagnosis": reason}))
        known_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} known failures")
    print(f"({seconds:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="print every wrong item")
    parser.add_argument("--write-known-failures", action="store_true")
    args = parser.parse_args()
    report(
        read_items(),
        HERE / "known-failures.jsonl",
        failures=args.failures,
        write_known_failures=args.write_known_failures,
    )


if __name__ == "__main__":
    main()
