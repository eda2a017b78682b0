"""Render determinations: letter-like text, the JSON line contract, Turtle and JSON-LD graphs."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from .criteria import Catalogue, GuidelinePart
from .guidelines import DATE_BASES, Selection
from .justify import RequestResult
from .knowledge import Knowledge
from .pipeline import CaseResult
from .vocab import IMR, OA, PROV, RDFS, SKOS, curie

__all__ = [
    "case_json",
    "case_text",
    "evidence_items",
    "graph_text",
    "render_case",
    "write_atomically",
]

_MARK = {"met": "+", "not met": "-", "not documented": "?", "not applicable": " "}


def case_json(result: CaseResult, knowledge: Knowledge, catalogue: Catalogue) -> dict[str, Any]:
    """One case as the JSON object of the `determine --format json` contract."""
    return {
        "source": result.source,
        "case": result.case,
        "case_outcome": result.case_outcome,
        "determinations": [
            _determination_json(r, result.justification, knowledge, catalogue)
            for r in result.results
        ],
    }


def case_text(result: CaseResult, knowledge: Knowledge, catalogue: Catalogue) -> str:
    """One case as a decision rationale, in the order the letter lists the items."""
    lines = [f"{result.source}: {curie(result.case)}"]
    for r in result.results:
        lines += _request_text(r, result.justification, knowledge, catalogue)
    if len(result.results) > 1:
        outcome = result.case_outcome or "not derived (an item was not evaluated)"
        lines.append(f"\nCase outcome: {outcome}.")
    return "\n".join(lines) + "\n"


def render_case(result: CaseResult, fmt: str, knowledge: Knowledge, catalogue: Catalogue) -> str:
    """One case in a `determine` format: 'text', 'json' (one line), 'turtle' or 'jsonld'."""
    if fmt == "json":
        return json_line(case_json(result, knowledge, catalogue)) + "\n"
    if fmt == "text":
        return case_text(result, knowledge, catalogue)
    return graph_text(result.justification, fmt)


def graph_text(graph: Graph, fmt: str) -> str:
    """Serialise a justification graph: 'turtle' (stable longturtle) or 'jsonld'."""
    if fmt == "turtle":
        return graph.serialize(format="longturtle")
    context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    return graph.serialize(format="json-ld", context=context, auto_compact=True)


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def evidence_items(justification: Graph, facts: Iterable[str]) -> list[dict[str, Any]]:
    """Each fact with its description, date and the letter sentence it came from."""
    items = []
    for fact in facts:
        node = URIRef(fact)
        # every description, in one order: an ingested injury carries the summary's and the
        # header's, and Graph.value would pick either, differently in each engine
        described = sorted(str(d) for d in justification.objects(node, IMR.description))
        description = "; ".join(described) or justification.value(node, RDFS.label) or ""
        date = justification.value(node, IMR.date)
        item: dict[str, Any] = {
            "fact": curie(fact),
            "text": str(description),
            "date": str(date) if date is not None else None,
        }
        segment = next(
            iter(sorted(justification.objects(node, PROV.hadPrimarySource), key=str)), None
        )
        if segment is not None:
            for selector in justification.objects(segment, OA.hasSelector):
                exact = justification.value(selector, OA.exact)
                start = justification.value(selector, OA.start)
                if exact is not None:
                    item["quote"] = " ".join(str(exact).split())
                if start is not None:
                    item["start"] = int(start)  # type: ignore[arg-type]
                    item["end"] = int(justification.value(selector, OA.end))  # type: ignore[arg-type]
        items.append(item)
    return items


def _determination_json(
    r: RequestResult, justification: Graph, knowledge: Knowledge, catalogue: Catalogue
) -> dict[str, Any]:
    everything = knowledge.everything
    info, selection = r.request, r.selection
    edition = URIRef(selection.edition) if selection.edition else None
    guideline = everything.value(edition, IMR.editionOf) if edition is not None else None
    cited = sorted(
        {URIRef(s) for s in justification.objects(r.determination_iri, IMR.cites)}, key=str
    )
    return {
        "item_index": info.item_index,
        "item_text": info.service_text,
        "service": {
            "category": _notation(everything, info.category),
            "modality": _notation(everything, info.modality),
            "body_region": _notation(everything, info.regions[0] if info.regions else None),
        },
        "outcome": r.outcome,
        "medically_necessary": r.decision.medically_necessary if r.decision else None,
        "reason": selection.reason or None,
        "guideline": {
            "name": _label(everything, guideline),
            "edition": _label(everything, edition),
            "in_force_on": selection.in_force_on.isoformat() if selection.in_force_on else None,
            "date_basis": DATE_BASES[selection.date_basis],
            "mtus_silent": _fallback_json(selection),
        },
        "citations": [
            _citation(everything, catalogue.parts[str(p)])
            for p in cited
            if str(p) in catalogue.parts
        ],
        "criteria": [
            {
                "id": curie(e.criterion),
                "label": catalogue.criteria[e.criterion].label,
                "status": e.status,
                "pages": _pages(catalogue, catalogue.cited_for(e.criterion, selection.in_force_on)),
                "sources": [
                    curie(c) for c in catalogue.cited_for(e.criterion, selection.in_force_on)
                ],
                "decisive": e.criterion in (r.decision.decisive_criteria if r.decision else ()),
                "unmet": list(e.unmet),
                "evidence": evidence_items(justification, r.evidence.get(e.criterion, ())),
            }
            for e in r.evaluations
        ],
    }


def _fallback_json(selection: Selection) -> dict[str, Any] | None:
    """Where the MTUS was silent and what was applied instead (the search sequence), or None."""
    rule = selection.rule
    if rule is None or not rule.is_fallback:
        return None
    return {
        "silent_chapter": curie(selection.silent_in) if selection.silent_in else None,
        "applied": curie(rule.chapter),
        "authority": [curie(a) for a in rule.authorities],
        "because": rule.applied_because,
    }


def _request_text(
    r: RequestResult, justification: Graph, knowledge: Knowledge, catalogue: Catalogue
) -> list[str]:
    everything = knowledge.everything
    info, selection = r.request, r.selection
    lines = [f"\n{info.service_text}:  {r.outcome}  (item {info.item_index})"]
    if r.decision is None:
        lines.append(f"  Not evaluated: {selection.reason}.")
        return lines
    edition = _label(everything, URIRef(selection.edition)) if selection.edition else "?"
    chapter = _label(everything, URIRef(selection.chapter)) if selection.chapter else "?"
    basis = DATE_BASES[selection.date_basis]
    lines.append(f"  Guideline: {edition}, in force on {selection.in_force_on} ({basis}).")
    rule = selection.rule
    assert rule is not None
    if rule.is_fallback:
        silent = _label(everything, URIRef(selection.silent_in)) if selection.silent_in else None
        lines.append(f"  MTUS silent: {silent or 'no MTUS chapter covers the region'}.")
        lines.append(f"  Applied instead: {chapter}. {rule.applied_because}")
    else:
        lines.append(f"  Chapter: {chapter}.")
    definition = everything.value(URIRef(rule.iri), SKOS.definition)
    if definition:
        lines.append(f"  Rule: {definition}")
    decisive = set(r.decision.decisive_criteria)
    lines.append(
        "  Criteria (+ met, - not met, ? not documented, blank not applicable; * decisive):"
    )
    for e in r.evaluations:
        criterion = catalogue.criteria[e.criterion]
        star = "*" if e.criterion in decisive else " "
        pages = _source_text(catalogue, catalogue.cited_for(e.criterion, selection.in_force_on))
        lines.append(f"   {_MARK[e.status]}{star} {criterion.label} [{e.status}] ({pages})")
        for conflict in everything.objects(URIRef(e.criterion), IMR.sourceConflict):
            label = everything.value(conflict, RDFS.label)
            lines.append(
                f"        sources differ: {label}. {everything.value(conflict, IMR.resolution)}"
            )
        for item in evidence_items(justification, r.evidence.get(e.criterion, ())):
            where = f" {item['date']}" if item["date"] else ""
            quote = f' -- "{_clip(item["quote"])}"' if "quote" in item else ""
            lines.append(f"        fact{where}: {item['text'] or item['fact']}{quote}")
        lines += [f"        missing: {m}" for m in e.unmet]
    for group in r.decision.groups:
        spec = catalogue.groups[group.group]
        state = "satisfied" if group.satisfied else "NOT satisfied"
        lines.append(f"  Group {spec.label}: {state}.")
        if spec.applied_because:
            lines.append(f"    Applied because: {spec.applied_because}")
    verdict = (
        "is medically necessary" if r.decision.medically_necessary else "is not medically necessary"
    )
    lines.append(f"  This request {verdict}.")
    return lines


def _citation(graph: Graph, part: GuidelinePart) -> dict[str, Any]:
    chain = [part.iri, *part.ancestors]
    chapter = next((c for c in chain if (URIRef(c), None, IMR.Chapter) in graph), None)
    section = next(
        (
            c
            for c in chain
            if (URIRef(c), None, IMR.Section) in graph or (URIRef(c), None, IMR.Table) in graph
        ),
        None,
    )
    edition = next((c for c in chain if (URIRef(c), None, IMR.GuidelineEdition) in graph), None)
    guideline = graph.value(URIRef(edition), IMR.editionOf) if edition else None
    return {
        "guideline": _label(graph, guideline),
        "edition": _label(graph, URIRef(edition)) if edition else None,
        "chapter": _label(graph, URIRef(chapter)) if chapter else None,
        "section": _label(graph, URIRef(section)) if section else None,
        "pages": part.pages or None,
        "id": curie(part.iri),
    }


def _pages(catalogue: Catalogue, sources: Iterable[str]) -> str:
    return ", ".join(p for p in (catalogue.parts[s].pages for s in sources) if p)


def _source_text(catalogue: Catalogue, sources: Iterable[str]) -> str:
    parts = []
    for source in sources:
        part = catalogue.parts[source]
        if not part.pages:
            parts.append(part.label)
        else:
            parts.append(f"{'pp.' if '-' in part.pages else 'p.'} {part.pages}")
    return "; ".join(parts)


def _notation(graph: Graph, iri: str | None) -> str | None:
    if iri is None:
        return None
    value = graph.value(URIRef(iri), SKOS.notation)
    return str(value) if value is not None else curie(iri)


def _label(graph: Graph, node: object) -> str | None:
    if node is None:
        return None
    value = graph.value(node, RDFS.label)  # type: ignore[arg-type]
    return str(value) if isinstance(value, Literal) else curie(str(node))


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


__all__ += ["json_line"]


def json_line(payload: dict[str, Any]) -> str:
    """One JSON object on one line (the `--format json` stream)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=False)
