"""The paraphrase set: invented IMR-style sentences with every fact a careful reader takes.

The items (`sentences.jsonl`) were written from clinical language, the guidelines and imrkg's
SKOS schemes before any of the issue-10 fixes they measure, never from imrkg's output. This
module reads them, extracts each item's facts with the current code and scores the set; the
pytest module and `benchmarks/paraphrase.py` share it. `known-failures.jsonl` lists the items the
current code gets wrong, each with a one-line diagnosis; the tests hold them to failing (strict
xfail), so a fix that repairs an item must take it off the list.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from factsummary import timed_summary

from reasoner.extract import extract_facts

__all__ = [
    "HERE",
    "Item",
    "Score",
    "diagnose",
    "extracted",
    "read_items",
    "read_known_failures",
    "score",
]

HERE = Path(__file__).resolve().parent
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
REGIONS = (
    "neck",
    "thoracic",
    "shoulder",
    "elbow",
    "wrist-hand",
    "low-back",
    "hip",
    "knee",
    "ankle-foot",
)
CATEGORIES = (
    "synonym",
    "negation",
    "history",
    "hypothetical",
    "family",
    "time",
    "localisation",
    "umn",
    "red-flag",
    "procedure",
    "surgery",
    "care",
    "attribute",
)


@dataclass(frozen=True)
class Item:
    """One sentence of the set, with the context sentence(s) before it and its expected facts."""

    id: str
    region: str
    category: str
    text: str
    facts: tuple[str, ...]
    context: str = ""
    injury_date: date | None = None
    note: str = ""

    @property
    def dated(self) -> bool:
        """Time items compare each observation's own date (`on=`) as well."""
        return self.category == "time"


@dataclass
class Score:
    """Items fully right, by region and category, and fact precision and recall."""

    items: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    expected_facts: int = 0
    extracted_facts: int = 0
    matched_facts: int = 0

    def add(self, item: Item, got: list[str]) -> None:
        ok = sorted(got) == sorted(item.facts)
        for key in ("all", f"region:{item.region}", f"category:{item.category}"):
            self.items[key] += 1
            self.right[key] += ok
        self.expected_facts += len(item.facts)
        self.extracted_facts += len(got)
        self.matched_facts += sum((Counter(got) & Counter(item.facts)).values())

    @property
    def precision(self) -> float:
        return self.matched_facts / self.extracted_facts if self.extracted_facts else 1.0

    @property
    def recall(self) -> float:
        return self.matched_facts / self.expected_facts if self.expected_facts else 1.0


def read_items(path: Path = HERE / "sentences.jsonl") -> list[Item]:
    """The items of the set, in file order; raises ValueError naming the line of a bad item."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        if row["region"] not in REGIONS or row["category"] not in CATEGORIES:
            raise ValueError(f"{path}:{number}: unknown region or category in {row['id']}")
        injury = row.get("injury_date")
        items.append(
            Item(
                id=row["id"],
                region=row["region"],
                category=row["category"],
                text=row["text"],
                facts=tuple(row["facts"]),
                context=row.get("context", ""),
                injury_date=date.fromisoformat(injury) if injury else None,
                note=row.get("note", ""),
            )
        )
    return items


def read_known_failures(path: Path = HERE / "known-failures.jsonl") -> dict[str, str]:
    """Item id -> one-line diagnosis of what the current code gets wrong."""
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {row["id"]: row["diagnosis"] for row in rows}


def extracted(item: Item) -> list[str]:
    """The summaries of the facts the current code extracts from the item's sentence (the
    context sentences are read first, as a letter's earlier sentences are, but their own facts
    are not the item's)."""
    spans: list[tuple[int, int]] = []
    text = ""
    for sentence in [*_SENTENCE_END.split(item.context.strip()), item.text]:
        if not sentence:
            continue
        if text:
            text += " "
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence
    start = spans[-1][0]
    facts = extract_facts(text, spans, injury_date=item.injury_date)
    return sorted(timed_summary(f, dated=item.dated) for f in facts if f.start >= start)


def diagnose(item: Item, got: list[str]) -> str:
    """One line: what is missing and what is extra (empty when the item is right)."""
    missing = sorted((Counter(item.facts) - Counter(got)).elements())
    extra = sorted((Counter(got) - Counter(item.facts)).elements())
    parts = []
    if missing:
        parts.append("missing " + "; ".join(missing))
    if extra:
        parts.append("extra " + "; ".join(extra))
    return " | ".join(parts)


def score(items: list[Item]) -> tuple[Score, dict[str, list[str]]]:
    """The score of the set on the current code, and what each item extracted."""
    result = Score()
    got = {}
    for item in items:
        got[item.id] = extracted(item)
        result.add(item, got[item.id])
    return result, got
