"""What a reviewer validating one case sees: intake problems, the status of every criterion of
the rule each request falls under (with what it cites on the request's date), and how many
targets each of those criteria's shapes matched, so that "conforms" never hides that nothing was
checked."""

from __future__ import annotations

import json
from collections import Counter

from rdflib import Graph, URIRef

from .build import CaseGraph
from .criteria import read_catalogue
from .guidelines import select_rule
from .intake import intake_problems
from .knowledge import Knowledge
from .load import bind_prefixes
from .pipeline import guards_held, read_request_info
from .rules import run_rules_on_graph
from .validate import evaluate_criteria, reference_report, report_conformance
from .vocab import RDF, SH, curie

__all__ = ["validation_report"]


def validation_report(case: CaseGraph, knowledge: Knowledge, fmt: str) -> tuple[str, bool]:
    """Render intake and criteria results as 'table', 'json' or a SHACL report in 'turtle'.

    Returns the text and whether the case conforms to the intake shapes (criteria that are not
    met are findings about the request, not defects of the case file).
    """
    catalogue = read_catalogue(knowledge)
    problems = intake_problems(case, knowledge)
    graph = case.graph
    run_rules_on_graph(knowledge, graph)
    report = reference_report(graph, knowledge)
    conforms = report_conformance(report, knowledge)
    rows = []
    checked: set[str] = set()  # the shapes behind the rows: criteria, their aux shapes, guards
    for request in case.requests:
        info = read_request_info(graph, request)
        guards = guards_held(catalogue, conforms, [info])[request]
        selection = select_rule(knowledge, catalogue, info, guards=guards)
        criteria = catalogue.criteria_of(selection.rule) if selection.rule else []
        rows.extend(
            (
                info.item_index,
                curie(e.criterion),
                e.status,
                "; ".join(e.unmet),
                [curie(c) for c in catalogue.cited_for(e.criterion, selection.in_force_on)],
            )
            for e in evaluate_criteria(criteria, [request], knowledge.shapes, conforms)
        )
        for criterion in criteria:
            checked |= {criterion.iri, criterion.applicability or "", criterion.documentation or ""}
        if selection.rule is not None and selection.rule.selected_when:
            checked.add(selection.rule.selected_when)
        if selection.rule is None:
            rows.append((info.item_index, "-", "not evaluated", selection.reason, []))
    targets = _target_counts(graph, knowledge.shapes, checked - {""})
    if fmt == "turtle":
        return bind_prefixes(report).serialize(format="longturtle"), not problems
    if fmt == "json":
        payload = {
            "source": str(case.source),
            "case": case.case,
            "intake_conforms": not problems,
            "intake": [p.__dict__ for p in problems],
            "criteria": [
                {"item_index": i, "criterion": c, "status": s, "unmet": u, "cites": cites}
                for i, c, s, u, cites in rows
            ],
            "targets": {curie(str(k)): v for k, v in sorted(targets.items(), key=str)},
        }
        return json.dumps(payload, ensure_ascii=False) + "\n", not problems
    return _table(case, problems, rows, targets), not problems


Row = tuple[int, str, str, str, list[str]]
"""item index, criterion, status, what is missing, what it cites on the request's date"""


def _table(case: CaseGraph, problems: list, rows: list[Row], targets: Counter[URIRef]) -> str:
    lines = [f"{case.source}: {curie(case.case)}"]
    lines.append(f"intake: {'conforms' if not problems else f'{len(problems)} problem(s)'}")
    lines += [f"  {p.focus} {p.path}: {p.message}" for p in problems]
    lines.append("criteria:")
    lines.append(f"  {'item':>4}  {'criterion':<48} {'status':<15} missing [cites on the date]")
    for i, c, s, u, g in rows:
        cites = f"[{', '.join(g)}]" if g else ""
        lines.append(f"  {i:>4}  {c:<48} {s:<15} {' '.join(x for x in (u, cites) if x)}")
    lines.append("shapes of those criteria and the targets they matched:")
    if not targets:
        lines.append("  none: no request falls under a decision rule, so no criterion was checked")
    lines += [
        f"  {curie(str(shape)):<56} {count:>3} target(s)"
        for shape, count in sorted(targets.items(), key=lambda kv: str(kv[0]))
    ]
    return "\n".join(lines) + "\n"


def _target_counts(graph: Graph, shapes: Graph, wanted: set[str]) -> Counter[URIRef]:
    counts: Counter[URIRef] = Counter()
    for shape, cls in shapes.subject_objects(SH.targetClass):
        if isinstance(shape, URIRef) and str(shape) in wanted:
            counts[shape] = len(set(graph.subjects(RDF.type, cls)))
    return counts
