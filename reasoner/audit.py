"""Machine versus reviewer, item by item: outcomes, citations, disagreements with the machine's
reasons, and reviewer rationales that cite no guideline. The reviewer's side is read from the
letter only here, after the machine has decided."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from .build import build_case
from .criteria import read_catalogue
from .ingest import ingest_letter
from .knowledge import Knowledge
from .pipeline import determine_case
from .vocab import BASE, curie

__all__ = ["AuditRow", "audit_letter"]

_NO_EVIDENCE = "did not cite any medical evidence"


@dataclass(frozen=True)
class AuditRow:
    """One disputed item: what the reviewer decided and cited, what imrkg decided and why."""

    source: str
    case: str
    item_index: int
    item_text: str
    reviewer_outcome: str | None
    reviewer_citation: str | None
    machine_outcome: str
    machine_citations: str
    machine_reasons: str
    agrees: bool | None
    reviewer_cites_no_guideline: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def audit_letter(path: Path, knowledge: Knowledge) -> list[AuditRow]:
    """Audit every item of one letter.

    Raises
    ------
    InputFileError, LetterError
        When the file cannot be read as an IMR letter.
    """
    ingested = ingest_letter(path)
    case = build_case(ingested.case, _case_iri(ingested.case_id), knowledge, source=path)
    result = determine_case(case, knowledge)
    catalogue = read_catalogue(knowledge)
    rows = []
    for item, machine in zip(ingested.letter.items, result.results, strict=True):
        cited = sorted(
            {
                p
                for e in machine.evaluations
                if e.status != "not applicable"
                for p in catalogue.cited_for(e.criterion, machine.selection.in_force_on)
            }
        )
        pages = "; ".join(catalogue.parts[p].label for p in cited)
        if machine.decision is None:
            reasons = machine.selection.reason
        else:
            reasons = "; ".join(
                f"{curie(c)} {next(e.status for e in machine.evaluations if e.criterion == c)}"
                for c in machine.decision.decisive_criteria
            )
        decided = machine.outcome in ("Upheld", "Overturned") and item.outcome is not None
        citation = item.maximus_guideline
        rows.append(
            AuditRow(
                source=str(path),
                case=ingested.case_id,
                item_index=item.index,
                item_text=item.text,
                reviewer_outcome=item.outcome,
                reviewer_citation=citation,
                machine_outcome=machine.outcome,
                machine_citations=pages,
                machine_reasons=reasons,
                agrees=(item.outcome == machine.outcome) if decided else None,
                reviewer_cites_no_guideline=bool(citation and _NO_EVIDENCE in citation.lower()),
            )
        )
    return rows


def _case_iri(case_id: str) -> object:
    from rdflib import URIRef

    return URIRef(f"{BASE}case/{case_id}/case")
