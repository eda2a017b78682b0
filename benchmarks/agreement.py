"""Agreement with IMR reviewers on the real letters in data/letters/dev/ (decided from the
facts-only excerpts): item extraction against labels.jsonl, and for diagnostic-study items the
confusion matrix of machine vs reviewer outcome, balanced accuracy, overturn recall, chapter
agreement, letter-level outcomes derived from the items, items not evaluated and why, and every
disagreement with the machine's explanation and a classified cause (reasoner.causes).

Usage: python benchmarks/agreement.py [--letters data/letters/dev] [--source facts|text]
           [--review benchmarks/disagreement-review.csv]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from reasoner.causes import CAUSES, classify, read_reviews
from reasoner.classify import classify_item
from reasoner.criteria import Catalogue, read_catalogue
from reasoner.errors import ImrkgError
from reasoner.ingest import letter_case
from reasoner.justify import RequestResult
from reasoner.knowledge import Knowledge, load_knowledge
from reasoner.letters import read_letter
from reasoner.load import DEV_LETTERS
from reasoner.pipeline import determine_case
from reasoner.vocab import IMR, RDF, SKOS, curie

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


@dataclass(frozen=True)
class Disagreement:
    """One diagnostic item on which imrkg and the reviewer differ, with its classified cause."""

    letter_id: str
    item_index: int
    item_text: str
    reviewer: str
    machine: str
    explanation: str
    cause: str
    detail: str
    quotes: tuple[str, ...]
    reviewed: bool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=Path, default=DEV_LETTERS)
    parser.add_argument("--source", choices=["facts", "text"], default="facts")
    parser.add_argument(
        "--review", type=Path, default=ROOT / "benchmarks" / "disagreement-review.csv"
    )
    args = parser.parse_args()
    labels: dict[str, list[dict]] = defaultdict(list)
    for line in (args.letters / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["letter_id"]].append(row)
    reviews = read_reviews(args.review)
    knowledge = load_knowledge()
    catalogue = read_catalogue(knowledge)
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    chapter: Counter[str] = Counter()
    letters: Counter[tuple[str, str]] = Counter()
    not_evaluated: Counter[str] = Counter()
    disagreements: list[Disagreement] = []
    mismatches: list[str] = []  # items whose chapter differs from the label's
    failures: list[str] = []
    for letter_id, rows in sorted(labels.items()):
        suffix = ".facts.txt" if args.source == "facts" else ".txt"
        folder = "facts" if args.source == "facts" else "text"
        path = args.letters / folder / f"{letter_id}{suffix}"
        try:
            result = determine_case(letter_case(path, knowledge), knowledge)
        except ImrkgError as error:
            failures.append(f"{path.name}: {str(error).splitlines()[0]}")
            continue
        counts["letters"] += 1
        counts["item count ok"] += len(result.results) == len(rows)
        rows = sorted(rows, key=lambda r: r["item_index"])
        pairs = list(zip(rows, result.results, strict=False))
        letters[_letter_outcomes(pairs)] += 1
        for row, machine in pairs:
            predicted = classify_item(row["item_text"])
            counts["items"] += 1
            counts["category ok"] += predicted.category == row["category"]
            counts["region ok"] += predicted.body_region == row["body_region"]
            if row["category"] not in DIAGNOSTIC:
                continue
            counts["diagnostic items"] += 1
            if machine.outcome == "Not evaluated":
                not_evaluated[machine.selection.reason.split(";")[0]] += 1
                continue
            confusion[(row["outcome"], machine.outcome)] += 1
            if row["acoem_chapter"] is not None and row["guideline_source"] == "MTUS-ACOEM":
                cited = machine.selection.chapter or ""
                chapter["reviewer cited MTUS"] += 1
                chapter["same chapter"] += cited.endswith(f"-ch{row['acoem_chapter']}")
                # the label keeps the first chapter the reviewer cited; some cite several
                named = reviewer_chapters(knowledge, row["mtus_parts"] or [])
                chapter["among the chapters cited"] += cited in named
                if not cited.endswith(f"-ch{row['acoem_chapter']}"):
                    mismatches.append(
                        f"{letter_id} item {row['item_index']} '{row['item_text']}': reviewer "
                        f"{'; '.join(row['mtus_parts'] or [])}; imrkg {curie(cited) or 'none'}"
                        + (" (among those cited)" if cited in named else "")
                    )
            parts = row["mtus_parts"] or []
            if row["acoem_chapter"] is None and any(p.startswith("Chronic Pain") for p in parts):
                # the reviewer cited the MTUS Chronic Pain guideline and no chapter
                chapter["reviewer cited an MTUS part only"] += 1
                cited = result.justification.objects(machine.determination_iri, IMR.cites)
                chapter["machine cited an MTUS part"] += any(
                    _is_mtus_part(knowledge, catalogue, str(c)) for c in cited
                )
            if row["outcome"] != machine.outcome:
                full = read_letter(args.letters / "text" / f"{letter_id}.txt")
                review = reviews.get((letter_id, row["item_index"]))
                cause = classify(
                    full, row["item_index"], row["outcome"], machine, knowledge, review
                )
                disagreements.append(
                    Disagreement(
                        letter_id,
                        row["item_index"],
                        row["item_text"],
                        row["outcome"],
                        machine.outcome,
                        _explanation(machine),
                        cause.kind,
                        cause.detail,
                        cause.quotes,
                        cause.reviewed,
                    )
                )
    seconds = time.perf_counter() - started
    _print(counts, confusion, chapter, letters, not_evaluated, disagreements, failures)
    print(f"chapter differs from the label's ({len(mismatches)}):")
    for line in mismatches:
        print(f"  {line}")
    print(f"({seconds:.1f} s, source: {args.source})")


def reviewer_chapters(knowledge: Knowledge, parts: list[str]) -> set[str]:
    """The chapters a reviewer's "Decision based on MTUS ..." names, matched to the chapters'
    skos:altLabel (the titles letters print, e.g. "Low Back Complaints 2004")."""
    wanted = {p.casefold() for p in parts}
    graph = knowledge.guidelines
    return {
        str(c)
        for c, label in graph.subject_objects(SKOS.altLabel)
        if (c, RDF.type, IMR.Chapter) in graph and str(label).casefold() in wanted
    }


def _is_mtus_part(knowledge: Knowledge, catalogue: Catalogue, source: str) -> bool:
    """Whether a cited source belongs to an MTUS guideline that is not a chapter (such as the
    Chronic Pain guideline's sections)."""
    part = catalogue.parts.get(source)
    if part is None or not part.mtus:
        return False
    graph = knowledge.guidelines
    return not any((URIRef(n), RDF.type, IMR.Chapter) in graph for n in (source, *part.ancestors))


def _letter_outcomes(pairs: list[tuple[dict, RequestResult]]) -> tuple[str, str]:
    """(reviewer, machine) letter-level outcome derived from the items: Upheld, Overturned or
    Partially overturned; the machine's is "Not derived" unless it decided every item."""

    def derive(outcomes: list[str]) -> str:
        if all(o == "Upheld" for o in outcomes):
            return "Upheld"
        if all(o == "Overturned" for o in outcomes):
            return "Overturned"
        return "Partially overturned"

    reviewer = derive([row["outcome"] for row, _ in pairs])
    machine = [m.outcome for _, m in pairs]
    return reviewer, derive(machine) if "Not evaluated" not in machine else "Not derived"


def _explanation(machine: RequestResult) -> str:
    assert machine.decision is not None and machine.selection.rule is not None
    statuses = {e.criterion: e.status for e in machine.evaluations}
    decisive = "; ".join(
        f"{c.rsplit('/', 1)[-1]} {statuses[c]}" for c in machine.decision.decisive_criteria
    )
    return f"{machine.selection.rule.iri.rsplit('/', 1)[-1]}: decisive {decisive}"


def _print(
    counts: Counter[str],
    confusion: Counter[tuple[str, str]],
    chapter: Counter[str],
    letters: Counter[tuple[str, str]],
    not_evaluated: Counter[str],
    disagreements: list[Disagreement],
    failures: list[str],
) -> None:
    items = counts["items"] or 1
    print(f"# agreement on {counts['letters']} letters")
    print(f"item count per letter: {counts['item count ok']}/{counts['letters']}")
    for name, key in (("item category", "category ok"), ("item body region", "region ok")):
        print(f"{name}: {counts[key]}/{counts['items']} ({counts[key] / items:.1%})")
    evaluated = sum(confusion.values())
    print(f"diagnostic-study items: {counts['diagnostic items']}; decided {evaluated}")
    for reason, n in not_evaluated.most_common():
        print(f"  not evaluated ({n}): {reason}")
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
        f"balanced accuracy: {(recall_o + recall_u) / 2:.2f} (on {evaluated} decided items)"
    )
    if chapter["reviewer cited MTUS"]:
        share = chapter["same chapter"] / chapter["reviewer cited MTUS"]
        print(
            f"chapter agreement where the reviewer cited MTUS: {chapter['same chapter']}/"
            f"{chapter['reviewer cited MTUS']} ({share:.0%})"
        )
        among = chapter["among the chapters cited"]
        print(
            f"  counting any chapter the reviewer cited (some cite several; the label keeps "
            f"the first): {among}/{chapter['reviewer cited MTUS']} "
            f"({among / chapter['reviewer cited MTUS']:.0%})"
        )
    if chapter["reviewer cited an MTUS part only"]:
        print(
            "where the reviewer cited the MTUS Chronic Pain guideline and no chapter (Chronic Pain "
            f"2016): imrkg cited one of its sections on {chapter['machine cited an MTUS part']}/"
            f"{chapter['reviewer cited an MTUS part only']} decided items"
        )
    derived = {k: v for k, v in letters.items() if k[1] != "Not derived"}
    same = sum(v for (r, m), v in derived.items() if r == m)
    print(
        f"letter-level outcome (derived from items): {same}/{sum(derived.values())} letters "
        f"agree where imrkg decided every item ({sum(letters.values())} letters)"
    )
    causes = Counter(d.cause for d in disagreements)
    print(f"disagreements ({len(disagreements)}): " + ", ".join(f"{c} {causes[c]}" for c in CAUSES))
    for d in disagreements:
        checked = "hand-reviewed" if d.reviewed else "automatic"
        print(
            f"  {d.letter_id} item {d.item_index} '{d.item_text}': reviewer {d.reviewer}, "
            f"machine {d.machine} ({d.explanation})"
        )
        print(f"    cause [{checked}]: {d.cause}: {d.detail}")
        for quote in d.quotes:
            print(f'      rationale: "{quote}"')
    if failures:
        print(f"letters that could not be read ({len(failures)}):")
        for line in failures:
            print(f"  {line}")


if __name__ == "__main__":
    sys.exit(main())
