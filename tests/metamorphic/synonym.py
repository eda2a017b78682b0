"""The synonym relation: one occurrence of a finding phrase replaced by a synonym from
synonyms.tsv, where each row names a Human Phenotype Ontology term or an ICD-10-CM code whose
names include both phrases (test_metamorphic checks every row against the terminology)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reasoner.letters import Letter

from .rewrite import Edit, Instance, with_case_of

SYNONYMS = Path(__file__).resolve().parent / "synonyms.tsv"


@dataclass(frozen=True)
class Synonym:
    """One row of synonyms.tsv."""

    phrase: str
    replacement: str
    term: str
    why: str


def read_synonyms(path: Path = SYNONYMS) -> list[Synonym]:
    """The substitution table (tab-separated, with a header row)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [Synonym(r["phrase"], r["replacement"], r["term"], r["why"]) for r in rows]


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as printed, across line breaks, as a whole word sequence."""
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", re.IGNORECASE)


_COORDINATED = re.compile(r"(?:\band|\bor|&|/|,)\s*$", re.IGNORECASE)


def _shares_its_head(text: str, start: int, row: Synonym) -> bool:
    """Whether the phrase follows a coordinator and its head noun is one the replacement does
    not end with: in "neck and back pain" the word "pain" also belongs to "neck", and "neck and
    backache" would lose the neck pain."""
    head = row.phrase.split()[-1].casefold()
    return (
        bool(_COORDINATED.search(text[max(0, start - 8) : start]))
        and len(row.phrase.split()) > 1
        and row.replacement.split()[-1].casefold() != head
    )


def synonym_instances(letter: Letter, letter_id: str) -> Iterator[Instance]:
    """One instance per occurrence of a table phrase in the summary, skipping an occurrence
    that lies inside a longer table phrase ("back pain" inside "low back pain") and one whose
    head noun a coordinated word before it shares ("neck and back pain")."""
    assert letter.summary is not None
    text, span = letter.text, letter.summary
    found: list[tuple[int, int, Synonym]] = []
    for row in read_synonyms():
        pattern = _phrase_pattern(row.phrase)
        found += [(m.start(), m.end(), row) for m in pattern.finditer(text, span.start, span.end)]
    counts: dict[tuple[str, str], int] = {}
    for start, end, row in sorted(found, key=lambda f: (f[0], -f[1])):
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in found):
            continue
        if _shares_its_head(text, start, row):
            continue
        key = (row.phrase, row.replacement)
        counts[key] = counts.get(key, 0) + 1
        name = f"{row.phrase} -> {row.replacement} #{counts[key]}"
        edit = Edit(start, end, with_case_of(text[start:end], row.replacement))
        yield Instance(letter_id, "synonym", name, (edit,))
