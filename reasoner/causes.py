"""Why imrkg and a reviewer disagree on an item: a classified cause for every disagreement.

Three causes (issue 5): a rule or extraction error (to be fixed, with a guideline basis); a
deciding fact absent from the facts-only text (the reviewer's rationale states it; quoted); or a
reviewer departure from the cited criteria (naming the criteria the record meets or fails).

The classification is mechanical and says so. The rationale's own sentences about the worker
(sentences citing a guideline are skipped) are read for facts as if the summary had stated them;
if the machine's outcome then matches the reviewer's, the fact was absent from the summary.
Otherwise the disagreement is provisionally a departure, named by the machine's decisive
criteria. A hand review (benchmarks/disagreement-review.csv) confirms or overrides it, and is
reported as stale when the machine's outcome has changed since.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from .build import build_case
from .criteria import read_catalogue
from .ingest import ingest_read_letter
from .justify import RequestResult
from .knowledge import Knowledge
from .letters import Letter, Span, sentences
from .pipeline import determine_case
from .vocab import BASE, PROV

__all__ = ["ABSENT_FACT", "DEPARTURE", "RULE_ERROR", "Cause", "Review", "classify", "read_reviews"]

RULE_ERROR = "rule or extraction error"
ABSENT_FACT = "deciding fact absent from the facts-only text"
DEPARTURE = "reviewer departure from the cited criteria"
CAUSES = (RULE_ERROR, ABSENT_FACT, DEPARTURE)

_CITES_GUIDELINE = re.compile(
    r"\b(MTUS|ACOEM|ODG|guidelines?|Official Disability|recommend\w*|criteria)\b", re.I
)


@dataclass(frozen=True)
class Review:
    """A hand review of one disagreement, valid while the machine's outcome is unchanged."""

    machine_outcome: str
    cause: str
    note: str


@dataclass(frozen=True)
class Cause:
    """The cause of one disagreement, its explanation, and the rationale sentences quoted."""

    kind: str
    detail: str
    quotes: tuple[str, ...] = ()
    reviewed: bool = False


def read_reviews(path: Path) -> dict[tuple[str, int], Review]:
    """Hand reviews keyed by (letter id, item index); an absent file means none.

    Raises
    ------
    ValueError
        When a row names a cause other than the three, with the file and line.
    """
    if not path.exists():
        return {}
    reviews = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["cause"] not in CAUSES:
                raise ValueError(
                    f"{path}:{line}: cause {row['cause']!r} is not one of {', '.join(CAUSES)}"
                )
            key = (row["letter_id"], int(row["item_index"]))
            reviews[key] = Review(row["machine_outcome"], row["cause"], row["note"])
    return reviews


def classify(
    letter: Letter,
    item_index: int,
    reviewer_outcome: str,
    machine: RequestResult,
    knowledge: Knowledge,
    review: Review | None = None,
) -> Cause:
    """Classify one disagreement; `letter` is the FULL letter (with the rationale)."""
    if review is not None and review.machine_outcome == machine.outcome:
        return Cause(review.cause, review.note, reviewed=True)
    stale = " (hand review stale: the machine's outcome changed)" if review else ""
    item = next(i for i in letter.items if i.index == item_index)
    about_worker = [
        s
        for s in (sentences(letter.text, item.rationale) if item.rationale else [])
        if not _CITES_GUIDELINE.search(letter.text[s.start : s.end])
    ]
    reread = _with_rationale(letter, item_index, about_worker, knowledge) if about_worker else None
    if reread is not None and reread[0].outcome == reviewer_outcome:
        return Cause(
            ABSENT_FACT,
            "read with the rationale's statements about the worker, imrkg decides as the "
            f"reviewer did{stale}",
            reread[1],
        )
    basis = machine if reread is None else reread[0]
    caveat = "" if reread is None else " (even with the rationale's own statements read)"
    return Cause(DEPARTURE, _departure(basis, knowledge) + caveat + stale)


def _with_rationale(
    letter: Letter, item_index: int, extra: list[Span], knowledge: Knowledge
) -> tuple[RequestResult, tuple[str, ...]] | None:
    """The item decided with the rationale read too, and the rationale sentences its evidence
    uses; None when the item is not found."""
    ingested = ingest_read_letter(letter, also_read=extra)
    iri = URIRef(f"{BASE}case/{ingested.case_id}/case")
    case = build_case(ingested.case, iri, knowledge, source=letter.path)
    result = determine_case(case, knowledge, engine="sets")
    found = [r for r in result.results if r.request.item_index == item_index]
    if not found:
        return None
    [request] = found
    bounds = {(s.start, s.end) for s in extra}
    quotes: dict[str, None] = {}
    for facts in request.evidence.values():
        for fact in facts:
            for segment in ingested.case.objects(URIRef(fact), PROV.hadPrimarySource):
                start, end = (int(n) for n in str(segment).rsplit("seg-", 1)[1].split("-"))
                if any(s <= start and end <= e for s, e in bounds):
                    quotes[" ".join(letter.text[start:end].split())] = None
    return request, tuple(quotes)


def _departure(machine: RequestResult, knowledge: Knowledge) -> str:
    catalogue = read_catalogue(knowledge)
    if machine.decision is None:
        return "imrkg did not decide the item"
    statuses = {e.criterion: e.status for e in machine.evaluations}
    named = "; ".join(
        f"{catalogue.criteria[c].label} ({statuses[c]})" for c in machine.decision.decisive_criteria
    )
    if machine.decision.medically_necessary:
        return f"the reviewer upheld the denial although the record meets: {named}"
    return f"the reviewer overturned the denial although the record does not meet: {named}"
