"""Agreement with IMR reviewers on the real letters in ../shared/letters/ (decided from the
facts-only excerpts): item extraction against labels.jsonl, and for diagnostic-study items the
confusion matrix of machine vs reviewer outcome, balanced accuracy, overturn recall, chapter
agreement, and every disagreement with the machine's explanation.

Usage: python benchmarks/agreement.py [--letters ../shared/letters] [--source facts|text]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from reasoner.classify import classify_item
from reasoner.errors import ImrkgError
from reasoner.ingest import letter_case
from reasoner.knowledge import load_knowledge
from reasoner.pipeline import determine_case

ROOT = Path(__file__).resolve().parents[1]
DIAGNOSTIC = {
    "imaging-mri",
    "imaging-ct",
    "imaging-xray",
    "imaging-bone-scan",
    "imaging-ultrasound",
    "imaging-other",
    "electrodiagnostic",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=Path, default=ROOT.parent / "shared" / "letters")
    parser.add_argument("--source", choices=["facts", "text"], default="facts")
    args = parser.parse_args()
    labels: dict[str, list[dict]] = defaultdict(list)
    for line in (args.letters / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["letter_id"]].append(row)
    knowledge = load_knowledge()
    started = time.perf_counter()
    counts = Counter()
    confusion = Counter()
    chapter = Counter()
    disagreements, failures = [], []
    for letter_id, rows in sorted(labels.items()):
        suffix = ".facts.txt" if args.source == "facts" else ".txt"
        folder = "facts" if args.source == "facts" else "text"
        path = args.letters / folder / f"{letter_id}{suffix}"
        try:
            case = letter_case(path, knowledge)
            result = determine_case(case, knowledge)
        except ImrkgError as error:
            failures.append(f"{path.name}: {str(error).splitlines()[0]}")
            continue
        counts["letters"] += 1
        counts["item count ok"] += len(result.results) == len(rows)
        for row, machine in zip(
            sorted(rows, key=lambda r: r["item_index"]), result.results, strict=False
        ):
            predicted = classify_item(row["item_text"])
            counts["items"] += 1
            counts["category ok"] += predicted.category == row["category"]
            counts["region ok"] += predicted.body_region == row["body_region"]
            if row["category"] not in DIAGNOSTIC:
                continue
            counts["diagnostic items"] += 1
            if machine.outcome == "Not evaluated":
                counts["diagnostic not evaluated"] += 1
                continue
            confusion[(row["outcome"], machine.outcome)] += 1
            if row["acoem_chapter"] is not None and row["guideline_source"] == "MTUS-ACOEM":
                cited = machine.selection.chapter or ""
                chapter["reviewer cited MTUS"] += 1
                chapter["same chapter"] += cited.endswith(f"-ch{row['acoem_chapter']}")
            if row["outcome"] != machine.outcome:
                decisive = ", ".join(
                    c.rsplit("/", 1)[-1] for c in machine.decision.decisive_criteria
                )  # type: ignore[union-attr]
                disagreements.append(
                    f"{letter_id} item {row['item_index']} "
                    f"'{row['item_text']}': reviewer {row['outcome']}, "
                    f"machine {machine.outcome} (decisive: {decisive})"
                )
    seconds = time.perf_counter() - started
    _print(counts, confusion, chapter, disagreements, failures, seconds, args.source)


def _print(
    counts: Counter,
    confusion: Counter,
    chapter: Counter,
    disagreements: list[str],
    failures: list[str],
    seconds: float,
    source: str,
) -> None:
    items = counts["items"] or 1
    print(f"# agreement on {counts['letters']} letters ({source}), {seconds:.1f} s")
    print(f"item count per letter: {counts['item count ok']}/{counts['letters']}")
    for name, key in (("item category", "category ok"), ("item body region", "region ok")):
        print(f"{name}: {counts[key]}/{counts['items']} ({counts[key] / items:.1%})")
    print(
        f"diagnostic-study items: {counts['diagnostic items']}, of which not evaluated "
        f"(no rule for the region/edition yet): {counts['diagnostic not evaluated']}"
    )
    tp = confusion[("Overturned", "Overturned")]
    fn = confusion[("Overturned", "Upheld")]
    tn = confusion[("Upheld", "Upheld")]
    fp = confusion[("Upheld", "Overturned")]
    print("confusion (reviewer x machine):  machine Upheld  machine Overturned")
    print(f"  reviewer Upheld                 {tn:>13}  {fp:>18}")
    print(f"  reviewer Overturned             {fn:>13}  {tp:>18}")
    recall_o = tp / (tp + fn) if tp + fn else float("nan")
    recall_u = tn / (tn + fp) if tn + fp else float("nan")
    print(
        f"overturn recall: {recall_o:.2f}; upheld recall: {recall_u:.2f}; "
        f"balanced accuracy: {(recall_o + recall_u) / 2:.2f} "
        f"(on {tp + fn + tn + fp} evaluated items)"
    )
    if chapter["reviewer cited MTUS"]:
        print(
            f"chapter agreement where the reviewer cited MTUS: {chapter['same chapter']}/"
            f"{chapter['reviewer cited MTUS']}"
        )
    print(f"disagreements ({len(disagreements)}):")
    for line in disagreements:
        print(f"  {line}")
    if failures:
        print(f"letters that could not be read ({len(failures)}):")
        for line in failures:
            print(f"  {line}")


if __name__ == "__main__":
    sys.exit(main())
