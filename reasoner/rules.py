"""Run the SHACL-AF SPARQL rules of shapes/rules/ set-oriented, in sh:order, on any store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal
from rdflib.plugins.sparql import prepareUpdate
from rdflib.plugins.sparql.sparql import Update

from .errors import ShapeError
from .knowledge import Knowledge
from .vocab import SH, curie

__all__ = ["DerivationRule", "derivation_rules", "run_rules", "run_rules_on_graph"]


@dataclass(frozen=True)
class DerivationRule:
    """One sh:SPARQLRule rewritten as a SPARQL UPDATE over every target at once."""

    iri: str
    order: float
    update: str


@cache
def derivation_rules(knowledge: Knowledge) -> tuple[DerivationRule, ...]:
    """Rewrite each rule: `$this` becomes ?this bound by the shape's target class, and
    CONSTRUCT becomes INSERT, so one update derives the relation for a whole batch.

    Raises
    ------
    ShapeError
        When a rule has no sh:construct, its shape no sh:targetClass, or the query lacks WHERE.
    """
    graph = knowledge.rules
    found: list[DerivationRule] = []
    for shape, rule in graph.subject_objects(SH.rule):
        target = graph.value(shape, SH.targetClass)
        query = graph.value(rule, SH.construct)
        if target is None or query is None:
            raise ShapeError(
                f"rule {curie(str(rule))} needs sh:construct and a target class",
                hint="see shapes/rules/case-relations.ttl for the form",
            )
        order = graph.value(rule, SH.order)
        text = str(query).replace("$this", "?this")
        head, sep, body = text.partition("WHERE {")
        if not sep or "CONSTRUCT" not in head:
            raise ShapeError(
                f"rule {curie(str(rule))} is not a CONSTRUCT ... WHERE {{ }} query",
                hint="write the rule as CONSTRUCT { ... } WHERE { ... }",
            )
        update = (
            _prefixes(graph, rule)
            + head.replace("CONSTRUCT", "INSERT", 1)
            + f"WHERE {{ ?this a <{target}> . "
            + body
        )
        found.append(
            DerivationRule(str(rule), float(order) if isinstance(order, Literal) else 0.0, update)
        )
    return tuple(sorted(found, key=lambda r: (r.order, r.iri)))


def run_rules(knowledge: Knowledge, execute: Callable[[str], None]) -> None:
    """Apply every rule in order through `execute` (rdflib Graph.update or Store.update)."""
    for rule in derivation_rules(knowledge):
        execute(rule.update)


def run_rules_on_graph(knowledge: Knowledge, graph: Graph) -> None:
    """Apply the rules to one in-memory case graph.

    rdflib would re-parse each update for every case (most of the cost: measured 62 ms against
    8 ms a case with the seed), so the parsed updates are prepared once per process.
    """
    for update in _prepared(knowledge):
        graph.update(update)


@cache
def _prepared(knowledge: Knowledge) -> tuple[Update, ...]:
    return tuple(prepareUpdate(rule.update) for rule in derivation_rules(knowledge))


def _prefixes(graph: Graph, rule: object) -> str:
    lines = []
    for declarations in graph.objects(rule, SH.prefixes):  # type: ignore[arg-type]
        for declaration in graph.objects(declarations, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(lines)
