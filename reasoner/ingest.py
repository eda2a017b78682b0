"""IMR letters to case graphs: facts from the header and clinical summary, each anchored to its
sentence; the reviewer's own determination kept apart and never read by the reasoner.

Only what a facts-only excerpt also holds is read for facts (header, summary, item headings), so
determining from a full letter and from its excerpt gives the same machine determinations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .build import CaseGraph, build_case
from .classify import classify_item
from .extract import ExtractedFact, extract_facts, parse_date
from .knowledge import Knowledge
from .letters import Letter, Span, read_letter, sentences
from .load import bind_prefixes
from .vocab import BASE, DCTERMS, IMR, OA, PROV, RDF, RDFS

__all__ = [
    "IngestedLetter",
    "ingest_letter",
    "ingest_read_letter",
    "letter_case",
]

_INJURY_LINE = re.compile(r"Date of Injury:\s*\S+")
_CONTEXT = 32


@dataclass(frozen=True)
class IngestedLetter:
    """A letter read into its case graph (the reasoner's only input) and the reviewer's
    determination graph (for audit)."""

    letter: Letter
    case_id: str
    case: Graph
    reviewer: Graph


def ingest_letter(path: Path) -> IngestedLetter:
    """Read a letter and build both graphs.

    Raises
    ------
    InputFileError, LetterError
        When the file cannot be read as an IMR letter (see docs/errors.md, IMR-E1xx, E6xx).
    """
    return ingest_read_letter(read_letter(path))


def ingest_read_letter(letter: Letter, *, also_read: Sequence[Span] = ()) -> IngestedLetter:
    """Build the case and reviewer graphs of a letter already read.

    `also_read` adds sentences outside the clinical summary to read for facts. Only the audit
    uses it, to ask whether a fact that only the reviewer's rationale states would have changed
    the machine's decision; determinations never read the rationale.
    """
    case_id = _case_id(letter)
    base = f"{BASE}case/{case_id}/"
    builder = _CaseBuilder(letter, base, also_read)
    builder.add_case()
    return IngestedLetter(letter, case_id, builder.graph, _reviewer_graph(letter, base))


def letter_case(path: Path, knowledge: Knowledge) -> CaseGraph:
    """A letter as a built case, ready for either engine."""
    ingested = ingest_letter(path)
    case = URIRef(f"{BASE}case/{ingested.case_id}/case")
    return build_case(ingested.case, case, knowledge, source=path)


class _CaseBuilder:
    def __init__(self, letter: Letter, base: str, also_read: Sequence[Span] = ()) -> None:
        self.letter = letter
        self.also_read = tuple(also_read)
        self.base = base
        self.graph = bind_prefixes(Graph())
        self.case = URIRef(base + "case")
        self.document = URIRef(base + "letter")

    def add_case(self) -> None:
        letter, g = self.letter, self.graph
        g.add((self.case, RDF.type, IMR.Case))
        g.add((self.case, IMR.sourceDocument, self.document))
        if letter.case_number:
            g.add((self.case, IMR.caseNumber, Literal(letter.case_number)))
        if letter.decision_date:
            g.add((self.case, IMR.decisionDate, Literal(letter.decision_date, datatype=XSD.date)))
        g.add((self.document, RDF.type, IMR.SourceDocument))
        g.add((self.document, DCTERMS.identifier, Literal(str(letter.path))))
        g.add((self.document, IMR.sha256, Literal(letter.sha256)))
        spans = sentences(letter.text, letter.summary) if letter.summary else []
        spans += self.also_read
        facts = extract_facts(
            letter.text,
            [(s.start, s.end) for s in spans],
            injury_date=letter.date_of_injury,
            reference_date=letter.ur_denial_date or letter.decision_date,
        )
        injury = self._add_facts(facts)
        self._add_injury(injury)
        latest = max(
            (v for f in facts for k, v in f.values if k == "date" and isinstance(v, dt.date)),
            default=None,
        )
        for item in letter.items:
            self._add_request(item.index, item.text, item.span, latest)

    def _add_facts(self, facts: list[ExtractedFact]) -> URIRef | None:
        injury: URIRef | None = None
        for fact in facts:
            node = URIRef(self.base + fact.key)
            if fact.kind == "InjuredWorker":
                self.graph.add((self.case, IMR.worker, node))
            if fact.kind == "Injury" and injury is None:
                injury = node
            self.graph.add((self.case, IMR.hasFact, node))
            self.graph.add((node, RDF.type, IMR[fact.kind]))
            for name, value in fact.values:
                self.graph.add((node, IMR[name], _object(value)))
            self.graph.add((node, PROV.hadPrimarySource, self._segment(Span(fact.start, fact.end))))
        return injury

    def _add_injury(self, injury: URIRef | None) -> None:
        """The header's date of injury is the original injury (the summary's own mention, if
        extracted, gets that date too)."""
        letter = self.letter
        if letter.date_of_injury is None:
            if injury is not None:
                self.graph.add((self.case, IMR.originalInjury, injury))
            return
        node = injury if injury is not None else URIRef(self.base + "injury")
        self.graph.add((self.case, IMR.originalInjury, node))
        self.graph.add((self.case, IMR.hasFact, node))
        self.graph.add((node, RDF.type, IMR.Injury))
        self.graph.set((node, IMR.date, Literal(letter.date_of_injury, datatype=XSD.date)))
        self.graph.add((node, IMR.description, Literal("date of injury (letter header)")))
        header = _INJURY_LINE.search(letter.text)
        if header:
            self.graph.add(
                (node, PROV.hadPrimarySource, self._segment(Span(header.start(), header.end())))
            )

    def _add_request(self, index: int, text: str, span: Span, latest: dt.date | None) -> None:
        g, letter = self.graph, self.letter
        node = URIRef(f"{self.base}request-{index}")
        kind = classify_item(text)
        g.add((self.case, IMR.hasRequest, node))
        g.add((node, RDF.type, IMR.DisputedRequest))
        g.add((node, IMR.itemIndex, Literal(index)))
        g.add((node, IMR.serviceText, Literal(text)))
        g.add((node, IMR.serviceCategory, URIRef(kind.service_category)))
        if kind.modality:
            g.add((node, IMR.modality, URIRef(kind.modality)))
        for named in kind.modalities:
            g.add((node, IMR.includesModality, URIRef(named)))
        for region in kind.regions:
            g.add((node, IMR.bodyRegion, URIRef(region)))
        g.add((node, PROV.hadPrimarySource, self._segment(span)))
        service = _service_date(text, letter)
        if service is not None:
            g.add((node, IMR.serviceDate, Literal(service, datatype=XSD.date)))
        date, basis = _request_date(letter, latest, service)
        if date is not None:
            g.add((node, IMR.date, Literal(date, datatype=XSD.date)))
            g.add((node, IMR.dateCertainty, IMR.InferredFromRecord))
            g.add((node, IMR.dateBasis, Literal(basis)))
        if letter.ur_denial_date is not None:
            g.add((node, IMR.urDecision, IMR.Denied))
            g.add((node, IMR.urDecisionDate, Literal(letter.ur_denial_date, datatype=XSD.date)))

    def _segment(self, span: Span) -> URIRef:
        text = self.letter.text
        node = URIRef(f"{self.base}seg-{span.start}-{span.end}")
        if (node, RDF.type, IMR.LetterSegment) in self.graph:
            return node
        position, quote = URIRef(f"{node}-position"), URIRef(f"{node}-quote")
        g = self.graph
        g.add((node, RDF.type, IMR.LetterSegment))
        g.add((node, RDF.type, OA.SpecificResource))
        g.add((node, OA.hasSource, self.document))
        g.add((node, OA.hasSelector, position))
        g.add((node, OA.hasSelector, quote))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(span.start)))
        g.add((position, OA.end, Literal(span.end)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(text[span.start : span.end])))
        g.add((quote, OA.prefix, Literal(text[max(0, span.start - _CONTEXT) : span.start])))
        g.add((quote, OA.suffix, Literal(text[span.end : span.end + _CONTEXT])))
        return node


_DOS = re.compile(r"\b(?:DOS|date of service)\s*:?\s*(\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))\b", re.I)


def _service_date(item_text: str, letter: Letter) -> dt.date | None:
    """The date of service an item names ("DOS 11/18/16"), as retrospective requests do."""
    match = _DOS.search(item_text)
    if match is None:
        return None
    return parse_date(match.group(1), reference_date=letter.decision_date)


def _request_date(
    letter: Letter, latest: dt.date | None, service: dt.date | None = None
) -> tuple[dt.date | None, str]:
    """Letters print no request date. A retrospective item names its date of service: the
    record is judged as it stood then (a study done that day is the disputed service itself,
    not a prior one). Otherwise the UR denial date bounds the request from above and is what
    the edition-in-force rule keys on here; without a header, the latest date in the summary."""
    if service is not None:
        return (
            service,
            "The item names its date of service (a retrospective request); the record is "
            "judged as it stood on that date.",
        )
    if letter.ur_denial_date is not None:
        return (
            letter.ur_denial_date,
            "The letter prints no request date; the UR denial date (header) is used.",
        )
    if latest is not None:
        return (
            latest,
            "The letter prints no request or UR date; "
            "the latest date in the clinical summary is used.",
        )
    return None, ""


def _reviewer_graph(letter: Letter, base: str) -> Graph:
    """The reviewer's outcome and citations per item: audit data, never a reasoner input."""
    g = bind_prefixes(Graph())
    for item in letter.items:
        if item.outcome is None:
            continue
        node = URIRef(f"{base}request-{item.index}/reviewer-determination")
        g.add((node, RDF.type, IMR.ReviewerDetermination))
        g.add((node, IMR.determines, URIRef(f"{base}request-{item.index}")))
        outcome = IMR.Upheld if item.outcome.lower() == "upheld" else IMR.Overturned
        g.add((node, IMR.outcome, outcome))
        if item.maximus_guideline:
            g.add((node, IMR.reviewerCitation, Literal(item.maximus_guideline)))
        if item.claims_admin_guideline:
            g.add((node, IMR.claimsAdministratorCitation, Literal(item.claims_admin_guideline)))
        if item.rationale is not None:
            g.add(
                (
                    node,
                    RDFS.comment,
                    Literal(f"rationale at characters {item.rationale.start}-{item.rationale.end}"),
                )
            )
    return g


def _case_id(letter: Letter) -> str:
    if letter.case_number:
        return letter.case_number
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", letter.path.stem).strip("-")
    return stem.removesuffix(".facts").removesuffix("-facts") or "letter"


def _object(value: object) -> Literal | URIRef:
    if isinstance(value, dt.date):
        return Literal(value, datatype=XSD.date)
    if isinstance(value, URIRef):
        return value
    if isinstance(value, str) and str(value).startswith(("http://", "https://")):
        return URIRef(value)  # rdflib's str subclasses reject a tuple in startswith
    return Literal(value)
