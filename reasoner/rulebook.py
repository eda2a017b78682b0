"""The rule book: every decision rule, its groups and criteria with their pages, verification and
the editions and chapters they belong to, rendered from the Turtle as Markdown.

Reviewers ask "what does imrkg check for a knee MRI on this date?"; the answer must come from the
same data the reasoner runs, so `docs/rulebook.md` is generated (`imrkg rules > docs/rulebook.md`)
and a test fails when it drifts.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from .criteria import Catalogue, DecisionRule, read_catalogue
from .knowledge import Knowledge
from .vocab import IMR, RDF, RDFS, SKOS, curie

__all__ = ["render_rulebook"]

_VERIFICATION = {
    str(IMR.VerifiedPublicSource): "[V] public source",
    str(IMR.VerifiedInLetters): "[V-L] IMR letters",
    str(IMR.Unverified): "[R] UNVERIFIED",
}
_COMBINES = {str(IMR.AnyOf): "any one met", str(IMR.AllApplicable): "every applicable one met"}


def render_rulebook(knowledge: Knowledge) -> str:
    """Markdown: editions and their chapters (with what is not encoded), then one section per
    decision rule in chapter order."""
    catalogue = read_catalogue(knowledge)
    graph = knowledge.everything
    lines = [
        "# imrkg rule book",
        "",
        "Generated from `data/guidelines/` and `shapes/criteria/` by `imrkg rules`; do not edit.",
        "Criteria are paraphrases in the project's words; pages are those the sources cite.",
        "",
        "## Editions and chapters",
        "",
        "| edition / chapter | in force | covers | decision rules |",
        "|---|---|---|---|",
    ]
    editions = sorted(
        (e for e in graph.subjects(IMR.editionOf, None) if isinstance(e, URIRef)), key=str
    )
    for edition in editions:
        lines.append(f"| **{_label(graph, edition)}** | {_interval(graph, edition)} | | |")
        chapters = sorted(
            (c for c in graph.subjects(IMR.partOf, edition) if (c, RDF.type, IMR.Chapter) in graph),
            key=str,
        )
        for chapter in chapters:
            rules = [r for r in catalogue.rules.values() if r.chapter == str(chapter)]
            regions = ", ".join(
                sorted(curie(str(r)) for r in graph.objects(chapter, IMR.coversRegion))
            )
            gap = graph.value(chapter, IMR.unencodedCriteria)
            ruled = ", ".join(curie(r.iri) for r in rules) or (f"none: {gap}" if gap else "none")
            lines.append(
                f"| {_label(graph, chapter)} | {_interval(graph, chapter)} | {regions} | {ruled} |"
            )
        for part in _dated_parts(graph, edition):
            citing = sorted(
                curie(c.iri)
                for c in catalogue.criteria.values()
                if any(str(part) in catalogue.parts[s].ancestors for s in c.sources)
            )
            cited = ("criteria citing it: " + ", ".join(citing)) if citing else "no criterion"
            lines.append(f"| {_label(graph, part)} | {_interval(graph, part)} | | {cited} |")
    for rule in sorted(catalogue.rules.values(), key=lambda r: (r.chapter, r.iri)):
        lines += _rule_section(catalogue, graph, rule)
    lines += _shared_readings(catalogue, graph)
    return "\n".join(lines) + "\n"


def _shared_readings(catalogue: Catalogue, graph) -> list[str]:  # type: ignore[no-untyped-def]
    """Readings of shapes that several criteria use (e.g. what "persisting past the window"
    means in the timeline) and of the derivation rules (shapes/rules/): a criterion's own table
    row cannot show them."""
    own = set(catalogue.criteria) | set(catalogue.groups)
    shared = sorted(
        (s, r)
        for s, r in graph.subject_objects(IMR.projectReading)
        if isinstance(s, URIRef) and str(s) not in own
    )
    if not shared:
        return []
    lines = ["", "## Readings shared by several criteria, and of the derivation rules", ""]
    for subject, reading in shared:
        lines += [
            f"`{curie(str(subject))}` ({_label(graph, subject)}). Project reading: {reading}",
            "",
        ]
    return lines


def _rule_section(catalogue: Catalogue, graph, rule: DecisionRule) -> list[str]:  # type: ignore[no-untyped-def]
    lines = ["", f"## {rule.label or curie(rule.iri)}", ""]
    scope = [f"chapter {_label(graph, URIRef(rule.chapter))}", f"category {curie(rule.category)}"]
    if rule.modalities:
        scope.append("modality " + ", ".join(curie(m) for m in rule.modalities))
    if rule.regions:
        scope.append("regions " + ", ".join(curie(r) for r in rule.regions))
    lines.append(f"`{curie(rule.iri)}`: " + "; ".join(scope) + ".")
    definition = graph.value(URIRef(rule.iri), SKOS.definition)
    if definition:
        lines += ["", str(definition)]
    if rule.is_fallback:
        silent = rule.silent_in or ", ".join(curie(r) for r in rule.silent_on_regions)
        authorities = ", ".join(curie(a) for a in rule.authorities)
        lines += ["", f"Outside the MTUS (silent: {silent}; authority {authorities}).", ""]
        lines.append(f"Why: {rule.applied_because}")
    for group_iri in rule.groups:
        group = catalogue.groups[group_iri]
        lines += ["", f"### {group.label} ({_COMBINES[group.combination]})", ""]
        if group.applied_because:
            lines += [f"Applied because: {group.applied_because}", ""]
        reading = graph.value(URIRef(group_iri), IMR.projectReading)
        if reading:
            lines += [f"Project reading: {reading}", ""]
        lines += ["| criterion | paraphrase | cites | verification |", "|---|---|---|---|"]
        for member in group.members:
            criterion = catalogue.criteria[member]
            cites = "; ".join(_cites(catalogue, criterion.sources))
            verification = graph.value(URIRef(member), IMR.verification)
            checked = _VERIFICATION.get(str(verification), "not stated")
            reading = graph.value(URIRef(member), IMR.projectReading)
            paraphrase = criterion.paraphrase + (
                f" *Project reading:* {reading}" if reading else ""
            )
            lines.append(
                f"| {criterion.label} (`{curie(member)}`) | {paraphrase} | {cites} | {checked} |"
            )
    return lines


def _cites(catalogue: Catalogue, sources: tuple[str, ...]) -> list[str]:
    """The cited parts' labels. When a criterion names MTUS and other sources, each MTUS part
    says for which requests it is cited, since the others are cited only outside that interval
    (Catalogue.cited)."""
    parts = [catalogue.parts[s] for s in sources]
    mixed = any(p.mtus for p in parts) and not all(p.mtus for p in parts)
    labels = []
    for part in parts:
        label = part.label
        if mixed and part.mtus and part.valid_from is not None:
            before = f" and before {part.valid_until}" if part.valid_until else ""
            label += f" (cited for requests on or after {part.valid_from}{before})"
        labels.append(label)
    return labels


def _dated_parts(graph, edition: URIRef) -> list[URIRef]:  # type: ignore[no-untyped-def]
    """Parts of an edition other than chapters with an interval of their own (e.g. the MTUS
    Chronic Pain guideline's 2009 text and 2016 revision)."""
    return sorted(
        (
            p
            for p in graph.subjects(IMR.partOf, edition)
            if (p, RDF.type, IMR.GuidelinePart) in graph
            and (graph.value(p, IMR.validFrom) or graph.value(p, IMR.validUntil)) is not None
        ),
        key=str,
    )


def _label(graph, node: URIRef) -> str:  # type: ignore[no-untyped-def]
    value = graph.value(node, RDFS.label)
    return str(value) if value is not None else curie(str(node))


def _interval(graph, node: URIRef) -> str:  # type: ignore[no-untyped-def]
    start, end = graph.value(node, IMR.validFrom), graph.value(node, IMR.validUntil)
    if start is None and end is None:
        return "as its edition"
    begin = str(start) if isinstance(start, Literal) else "edition start"
    return f"{begin} to {end if isinstance(end, Literal) else 'now'}"
