"""What must not change under a metamorphic rewrite, and how to tell: a letter's extracted facts
(a multiset of (kind, values)) and each disputed item's outcome.

Facts are read from the ingested case graph, the reasoner's only input. Fact keys, sentence
anchors (character offsets) and the free-text literals that quote the letter or describe how a
value was read (`description`, `result`, `mechanism`, and every `...Basis`: `dateBasis`, the
time branch's `onsetBasis`) are ignored: a synonym or a reworded span changes them by
construction. Every other value is kept: classes, scheme concepts (finding type, region,
presence, status, care, response...), dates, day counts, session counts, codes, roots.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef

from reasoner.ingest import ingest_letter, letter_case
from reasoner.knowledge import Knowledge, load_knowledge
from reasoner.load import DEV_LETTERS
from reasoner.pipeline import determine_case
from reasoner.vocab import IMR, PROV, RDF

from .rewrite import Instance

FACTS = DEV_LETTERS / "facts"
FREE_TEXT = frozenset({"description", "result", "mechanism"})


def _is_free_text(prop: str) -> bool:
    """A property whose value quotes the letter or says how another value was read."""
    return prop in FREE_TEXT or prop.endswith("Basis")


Fact = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Reading:
    """What imrkg makes of one letter text."""

    facts: Counter[Fact]
    outcomes: tuple[tuple[int, str], ...]  # (item index, outcome)


@dataclass(frozen=True)
class Verdict:
    """How a rewrite compares with the original letter."""

    instance: Instance
    facts_same: bool
    outcomes_same: bool
    first_difference: str

    @property
    def passed(self) -> bool:
        return self.facts_same and self.outcomes_same

    @property
    def differs(self) -> str:
        """Which of the two changed: 'facts', 'outcome', 'facts+outcome' or ''."""
        return "+".join(
            name
            for name, same in (("facts", self.facts_same), ("outcome", self.outcomes_same))
            if not same
        )


def letter_ids() -> list[str]:
    """The development letters, by case number."""
    return sorted(p.name.removesuffix(".facts.txt") for p in FACTS.glob("*.facts.txt"))


def letter_path(letter_id: str) -> Path:
    return FACTS / f"{letter_id}.facts.txt"


@cache
def knowledge() -> Knowledge:
    return load_knowledge()


def _local(term: object) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _value(term: object) -> str:
    if isinstance(term, Literal) and term.datatype is not None:
        return f"{term}^^{_local(term.datatype)}"
    if isinstance(term, URIRef):
        return _local(term)
    return str(term)


def read_facts(path: Path) -> Counter[Fact]:
    """The letter's facts as a multiset of (kind, sorted (property, value) pairs)."""
    case = ingest_letter(path).case
    facts: Counter[Fact] = Counter()
    for node in case.objects(None, IMR.hasFact):
        kind = "/".join(sorted(_local(t) for t in case.objects(node, RDF.type)))
        values = sorted(
            (_local(p), _value(o))
            for p, o in case.predicate_objects(node)
            if p not in (RDF.type, PROV.hadPrimarySource) and not _is_free_text(_local(p))
        )
        facts[(kind, tuple(values))] += 1
    return facts


def read_outcomes(path: Path, *, engine: str = "sets") -> tuple[tuple[int, str], ...]:
    """Each disputed item's outcome, as the bulk engine decides it (the differential test keeps
    it equal to the pyshacl reference)."""
    result = determine_case(letter_case(path, knowledge()), knowledge(), engine=engine)
    return tuple((r.request.item_index, r.outcome) for r in result.results)


def read(path: Path, *, outcomes: bool = True) -> Reading:
    return Reading(read_facts(path), read_outcomes(path) if outcomes else ())


@cache
def original(letter_id: str) -> Reading:
    return read(letter_path(letter_id))


def judge(instance: Instance, *, outcomes: bool = True) -> Verdict:
    """Rewrite the letter, read it again and compare with the original reading."""
    source = letter_path(instance.letter_id)
    text = source.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="imrkg-metamorphic-") as folder:
        path = Path(folder) / source.name
        path.write_text(instance.apply(text), encoding="utf-8")
        rewritten = read(path, outcomes=outcomes)
    before = original(instance.letter_id)
    facts_same = rewritten.facts == before.facts
    outcomes_same = not outcomes or rewritten.outcomes == before.outcomes
    return Verdict(
        instance, facts_same, outcomes_same, first_difference(before, rewritten, outcomes)
    )


def first_difference(before: Reading, after: Reading, outcomes: bool = True) -> str:
    """The first fact only one side has (original side first), else the first outcome that
    changed, as one line."""
    lost = sorted((before.facts - after.facts).elements())
    gained = sorted((after.facts - before.facts).elements())
    if lost or gained:
        parts = []
        if lost:
            parts.append(f"lost {_show(lost[0])}")
        if gained:
            parts.append(f"gained {_show(gained[0])}")
        extra = len(lost) + len(gained) - len(parts)
        return "; ".join(parts) + (f" (+{extra} more)" if extra else "")
    if outcomes:
        for (i, a), (_, b) in zip(before.outcomes, after.outcomes, strict=False):
            if a != b:
                return f"item {i}: {a} -> {b}"
    return ""


def _show(fact: Fact) -> str:
    kind, values = fact
    return f"{kind}(" + ", ".join(f"{p}={v.split('^^')[0]}" for p, v in values) + ")"
