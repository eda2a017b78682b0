"""Meaning-preserving rewrites of a development letter's clinical case summary, for the
metamorphic tests (tests/metamorphic/test_metamorphic.py) and benchmarks/metamorphic.py: the
entry point over the three relations (synonym.py, duration.py, reorder.py).

A rewrite is an `Instance`: a named set of text edits inside the summary of one letter. Three
relations generate them, each defined so that the rewritten letter says exactly what the original
says, and so that imrkg's facts and determinations must not change:

* `synonym`: one occurrence of a finding phrase replaced by a synonym listed in
  `synonyms.tsv` (each row looked up in the Human Phenotype Ontology or ICD-10-CM).
* `duration`: one time span reworded to the same length of time (digits and words, weeks and
  days, years and months, "for the past" and "over the last", "x 6 weeks" and "for 6 weeks").
* `reorder`: two neighbouring sentences (or units of sentences) swapped where order carries no
  meaning (see `reorder_instances` for the exact conditions).

The relations are defined from the text and from the project's region and visit vocabularies
(data), never from what extraction returns, so a fix to extraction code does not change the set
of instances. A change to the region labels or the VisitCue words can change the reorder
instances; test_known_failures_still_differ then names any row of known-failures.tsv whose
rewrite no longer exists.
"""

from __future__ import annotations

from pathlib import Path

from reasoner.letters import Letter

from .duration import duration_instances
from .reorder import reorder_instances
from .rewrite import Edit, Instance
from .synonym import SYNONYMS, Synonym, read_synonyms, synonym_instances

__all__ = [
    "KNOWN_FAILURES",
    "RELATIONS",
    "SYNONYMS",
    "Edit",
    "Instance",
    "Synonym",
    "instances",
    "read_synonyms",
]

KNOWN_FAILURES = Path(__file__).resolve().parent / "known-failures.tsv"
RELATIONS = ("synonym", "duration", "reorder")


def instances(letter: Letter, letter_id: str, relation: str) -> list[Instance]:
    """Every instance of `relation` in the letter's clinical summary, in text order."""
    if letter.summary is None:
        return []
    make = {
        "synonym": synonym_instances,
        "duration": duration_instances,
        "reorder": reorder_instances,
    }[relation]
    return list(make(letter, letter_id))
