"""Why-paths over a justification graph, and what would change each determination.

Everything here reads the PROV-O justification graph (see `reasoner.justify`) turned into a
`networkx.DiGraph` whose edges follow the chain a reader follows::

    determination -> decision -> evaluation -> criterion -> guideline part -> ... -> chapter
    determination -> group result -> evaluation -> fact -> letter segment
    determination -> request -> letter segment

Nothing is re-decided: statuses, group results and outcomes are those the graph records; the
catalogue only supplies labels, what-would-satisfy text and group combinations.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
from rdflib import Graph

from .criteria import Catalogue
from .decide import ALL_APPLICABLE, ANY_OF
from .digraph import justification_digraph
from .explain_render import explanation_json, explanation_text
from .validate import MET, NOT_APPLICABLE
from .vocab import curie

__all__ = [
    "Change",
    "Evidence",
    "Explanation",
    "Reason",
    "criteria_to_meet",
    "criteria_to_unmeet",
    "explain_case",
    "explain_request",
    "explanation_json",
    "explanation_text",
    "justification_digraph",
    "minimal_support",
    "why_paths",
]

_F = TypeVar("_F", bound=Callable[..., Any])


_CITES = "imr:cites"
"""The relation from an evaluation to what it cites on the request's date."""


def _requires_dag(func: _F) -> _F:
    """Guard: the digraph must be acyclic (a justification never cites itself)."""

    @functools.wraps(func)
    def guarded(digraph: nx.DiGraph, *args: Any, **kwargs: Any) -> Any:
        if not nx.is_directed_acyclic_graph(digraph):
            cycle = [u for u, _ in nx.find_cycle(digraph)]
            raise nx.NetworkXUnfeasible(f"justification has a cycle: {' -> '.join(cycle)}")
        return func(digraph, *args, **kwargs)

    return guarded  # type: ignore[return-value]


@dataclass(frozen=True)
class Evidence:
    """One fact an evaluation used, with one letter sentence stating it (None when unsourced)."""

    fact: str
    text: str
    date: str | None
    quote: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Source:
    """A guideline part a criterion's evaluation cites: its IRI, its label (which names the
    section where the part has no pages, as letters cite the Chronic Pain sections) and pages."""

    part: str
    label: str
    pages: str  # '' for an unpaged section


@dataclass(frozen=True)
class Reason:
    """A decisive evaluation: the criterion, its status, its pages and the evidence looked at."""

    criterion: str
    label: str
    status: str
    pages: str  # page ranges, comma-joined, e.g. '177-182, 182'
    evidence: tuple[Evidence, ...]
    citation: str = ""  # the cited parts' labels, '; '-joined
    unmet: tuple[str, ...] = ()  # what the record lacks, one sentence per failing shape
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Change:
    """One minimal change that would flip the outcome.

    Upheld -> Overturned: `changes` are 'document: ...' texts, one per criterion to meet, or
    'request instead: ...' for a criterion only a different request can meet.
    Overturned -> Upheld: `changes` are 'remove/contradict: ...' texts, one per fact in `facts`.
    """

    changes: tuple[str, ...]
    criteria: tuple[str, ...]
    labels: tuple[str, ...]
    pages: str
    new_outcome: str
    citation: str = ""
    facts: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def criterion(self) -> str | tuple[str, ...]:
        """The criterion IRI, or a tuple of IRIs when the change needs several."""
        return self.criteria[0] if len(self.criteria) == 1 else self.criteria


@dataclass(frozen=True)
class Explanation:
    """Why one request came out as it did, and the minimal changes that would flip it."""

    request: str
    item_index: int
    outcome: str
    why: tuple[Reason, ...]
    what_would_change: tuple[Change, ...]
    item_text: str = ""
    reason: str = ""  # why it was not evaluated, when it was not


@_requires_dag
def why_paths(digraph: nx.DiGraph, determination: str) -> list[list[str]]:
    """Every simple path from the determination to a cited guideline part or a letter segment.

    Raises
    ------
    networkx.NodeNotFound
        When the determination is not in the digraph.
    networkx.NetworkXUnfeasible
        When the digraph has a cycle.

    Examples
    --------
    >>> G = nx.DiGraph([("d", "e"), ("e", "c"), ("c", "p"), ("e", "f"), ("f", "s")])
    >>> nx.set_node_attributes(G, {"p": "part", "s": "segment"}, "kind")
    >>> G.edges["c", "p"]["relation"] = "dcterms:source"
    >>> why_paths(G, "d")
    [['d', 'e', 'c', 'p'], ['d', 'e', 'f', 's']]
    """
    if determination not in digraph:
        raise nx.NodeNotFound(f"{determination} is not a node of the justification digraph")
    targets = {n for n in nx.descendants(digraph, determination) if _is_end(digraph, n)}
    return sorted(nx.all_simple_paths(digraph, determination, targets), key=lambda p: (len(p), p))


def criteria_to_meet(
    failed: Sequence[tuple[str, Sequence[str]]], statuses: Mapping[str, str]
) -> list[frozenset[str]]:
    """Minimal sets of criteria that, once met, satisfy every failed (combination, members) group.

    An any-of group is fixed by any one member that is neither met nor not applicable; an
    all-applicable group by all its failing members together. A criterion in several groups
    fixes them all at once, so the product over groups is pruned to its minimal sets.

    Examples
    --------
    >>> s = {"flag": "not met", "neuro": "not documented", "window": "not met", "change": "not met"}
    >>> failed = [(ANY_OF, ["flag", "neuro"]), (ANY_OF, ["window", "flag"]),
    ...           (ALL_APPLICABLE, ["change"])]
    >>> sorted(sorted(c) for c in criteria_to_meet(failed, s))
    [['change', 'flag'], ['change', 'neuro', 'window']]
    """
    options: list[list[frozenset[str]]] = []
    for combination, members in failed:
        failing = [m for m in members if statuses[m] not in (MET, NOT_APPLICABLE)]
        if combination == ANY_OF:
            options.append([frozenset([m]) for m in failing])
        elif combination == ALL_APPLICABLE:
            options.append([frozenset(failing)] if failing else [])
        else:
            raise ValueError(f"unknown combination {combination}")
    if not options:
        return []
    return _minimal(frozenset().union(*choice) for choice in itertools.product(*options))


def criteria_to_unmeet(
    satisfied: Sequence[tuple[str, Sequence[str]]],
    statuses: Mapping[str, str],
    conditional: Collection[str] = (),
) -> list[frozenset[str]]:
    """Minimal sets of met criteria whose loss would leave one satisfied group unsatisfied.

    An any-of group fails when all its met members are lost; an all-applicable group when any
    one met member is. `conditional` members (those with an applicability condition) are not
    offered for all-applicable groups: losing their facts may make them not applicable, which
    keeps the group satisfied.

    Examples
    --------
    >>> s = {"a": "met", "b": "met", "c": "met", "d": "not applicable"}
    >>> sorted(sorted(c) for c in criteria_to_unmeet(
    ...     [(ANY_OF, ["a", "b"]), (ALL_APPLICABLE, ["c", "d"])], s))
    [['a', 'b'], ['c']]
    >>> criteria_to_unmeet([(ALL_APPLICABLE, ["c"])], s, conditional={"c"})
    []
    """
    found: list[frozenset[str]] = []
    for combination, members in satisfied:
        met = [m for m in members if statuses[m] == MET]
        if combination == ANY_OF and met:
            found.append(frozenset(met))
        elif combination == ALL_APPLICABLE:
            found += [frozenset([m]) for m in met if m not in conditional]
    return _minimal(found)


@_requires_dag
def minimal_support(digraph: nx.DiGraph, determination: str) -> set[str]:
    """The facts the outcome rests on.

    Overturned: per group, the facts of the met member with fewest facts (any-of), or of every
    met member (all-applicable). Upheld: the facts the decisive failed evaluations looked at.

    Raises
    ------
    networkx.NodeNotFound
        When the determination is not in the digraph.
    networkx.NetworkXUnfeasible
        When the digraph has a cycle.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("d", kind="determination", outcome="Overturned")
    >>> G.add_node("g", kind="group result", combination=ANY_OF, satisfied=True)
    >>> G.add_nodes_from(["e1", "e2"], kind="evaluation", status="met", decisive=True)
    >>> G.add_edges_from([("d", "g"), ("g", "e1"), ("g", "e2"),
    ...                   ("e1", "x"), ("e1", "y"), ("e2", "z")], relation="prov:used")
    >>> minimal_support(G, "d")
    {'z'}
    """
    if determination not in digraph:
        raise nx.NodeNotFound(f"{determination} is not a node of the justification digraph")
    outcome = digraph.nodes[determination]["outcome"]
    if outcome == "Upheld":
        return {
            f
            for e in _evaluations(digraph, determination)
            if digraph.nodes[e]["decisive"] and digraph.nodes[e]["status"] != MET
            for f in (*_facts(digraph, e), *_precondition_facts(digraph, e))
        }
    if outcome != "Overturned":
        return set()
    support: set[str] = set()
    for group in _kind_successors(digraph, determination, "group result"):
        met = [
            e
            for e in _kind_successors(digraph, group, "evaluation")
            if digraph.nodes[e]["status"] == MET
        ]
        if digraph.nodes[group]["combination"] == ANY_OF and met:
            met = [min(met, key=lambda e: (len(_facts(digraph, e)), e))]
        support.update(f for e in met for f in _facts(digraph, e))
    return support


def explain_request(
    justification: Graph, request_or_determination: str, catalogue: Catalogue | None
) -> Explanation:
    """Explain one request, named by its IRI or its determination's.

    Raises
    ------
    ValueError
        When the justification holds no determination for it.
    """
    digraph = justification_digraph(justification)
    node = request_or_determination
    if digraph.nodes.get(node, {}).get("kind") != "determination":
        found = (
            [d for d in digraph.predecessors(node) if digraph.nodes[d]["kind"] == "determination"]
            if node in digraph
            else []
        )
        if not found:
            raise ValueError(f"no determination for {curie(node)} in the justification")
        node = found[0]
    return _explain(digraph, node, catalogue)


def explain_case(justification: Graph, catalogue: Catalogue | None) -> list[Explanation]:
    """Explain every determination in the justification, in the order of the letter's items."""
    digraph = justification_digraph(justification)
    determinations = [n for n, kind in digraph.nodes(data="kind") if kind == "determination"]
    found = [_explain(digraph, d, catalogue) for d in determinations]
    return sorted(found, key=lambda e: (e.item_index, e.request))


def _explain(digraph: nx.DiGraph, determination: str, catalogue: Catalogue | None) -> Explanation:
    node = digraph.nodes[determination]
    request = next(iter(_kind_successors(digraph, determination, "request")), "")
    details = digraph.nodes[request] if request else {}
    base = {
        "request": request,
        "item_index": details.get("item_index", 0),
        "outcome": node["outcome"],
        "item_text": details.get("text", ""),
    }
    if node["outcome"] not in ("Upheld", "Overturned"):
        return Explanation(why=(), what_would_change=(), reason=node["reason"], **base)
    evaluations = _evaluations(digraph, determination)
    why = [_reason(digraph, e, catalogue) for e in evaluations if digraph.nodes[e]["decisive"]]
    why.sort(key=lambda r: (digraph.nodes[r.criterion]["order"], r.criterion))
    groups = [
        (
            digraph.nodes[g]["satisfied"],
            _combination(digraph, g, catalogue),
            [digraph.nodes[e]["criterion"] for e in _kind_successors(digraph, g, "evaluation")],
        )
        for g in _kind_successors(digraph, determination, "group result")
    ]
    statuses = {digraph.nodes[e]["criterion"]: digraph.nodes[e]["status"] for e in evaluations}
    if node["outcome"] == "Upheld":
        sets = criteria_to_meet([(c, m) for ok, c, m in groups if not ok], statuses)
        changes = [_meet_change(digraph, s, catalogue) for s in sets]
    else:
        facts = {digraph.nodes[e]["criterion"]: _facts(digraph, e) for e in evaluations}
        # a conditional criterion whose preconditions are recorded can be unmet by removing its
        # other facts; without that record, removal might only make it not applicable
        conditional = {
            digraph.nodes[e]["criterion"]
            for e in evaluations
            if digraph.nodes[digraph.nodes[e]["criterion"]]["conditional"]
            and not _precondition_facts(digraph, e)
        }
        sets = criteria_to_unmeet([(c, m) for ok, c, m in groups if ok], statuses, conditional)
        changes = _removal_changes(digraph, sets, facts, catalogue)
    changes.sort(key=lambda c: (len(c.criteria), len(c.facts), c.criteria))
    return Explanation(why=tuple(why), what_would_change=tuple(changes), **base)


def _reason(digraph: nx.DiGraph, evaluation: str, catalogue: Catalogue | None) -> Reason:
    node = digraph.nodes[evaluation]
    criterion = node["criterion"]
    used = _facts(digraph, evaluation) | frozenset(_precondition_facts(digraph, evaluation))
    evidence = [
        Evidence(f, digraph.nodes[f]["text"], digraph.nodes[f]["date"], *_quote(digraph, s))
        for f in sorted(used, key=lambda f: _fact_key(digraph, f))
        for s in (_kind_successors(digraph, f, "segment") or [None])
    ]
    return Reason(
        criterion,
        _label(digraph, criterion, catalogue),
        node["status"],
        _pages(digraph, [criterion]),
        tuple(evidence),
        _citation(digraph, [criterion]),
        node["unmet"],
        _sources(digraph, [criterion]),
    )


def _meet_change(
    digraph: nx.DiGraph, criteria: frozenset[str], catalogue: Catalogue | None
) -> Change:
    ordered = sorted(criteria, key=lambda c: (digraph.nodes[c]["order"], c))
    texts = []
    for c in ordered:
        known = catalogue.criteria.get(c) if catalogue is not None else None
        verb = "request instead: " if digraph.nodes[c].get("another_request") else "document: "
        texts.append(
            verb + (known.what_would_satisfy if known else digraph.nodes[c]["what_would_satisfy"])
        )
    labels = tuple(_label(digraph, c, catalogue) for c in ordered)
    return Change(
        tuple(texts),
        tuple(ordered),
        labels,
        _pages(digraph, ordered),
        "Overturned",
        _citation(digraph, ordered),
        sources=_sources(digraph, ordered),
    )


def _removal_changes(
    digraph: nx.DiGraph,
    sets: Iterable[frozenset[str]],
    facts: Mapping[str, Collection[str]],
    catalogue: Catalogue | None,
) -> list[Change]:
    by_facts: dict[frozenset[str], list[str]] = {}
    for criteria in sets:
        if all(facts[c] for c in criteria):  # met on no fact: removal cannot unmeet it
            removed = frozenset().union(*(facts[c] for c in criteria))
            ordered = sorted(criteria, key=lambda c: (digraph.nodes[c]["order"], c))
            by_facts.setdefault(removed, ordered)
    changes = []
    for removed in _minimal(by_facts):
        ordered_facts = sorted(removed, key=lambda f: _fact_key(digraph, f))
        texts = tuple(f"remove/contradict: {_fact_text(digraph, f)}" for f in ordered_facts)
        crits = by_facts[removed]
        labels = tuple(_label(digraph, c, catalogue) for c in crits)
        changes.append(
            Change(
                texts,
                tuple(crits),
                labels,
                _pages(digraph, crits),
                "Upheld",
                _citation(digraph, crits),
                tuple(ordered_facts),
                _sources(digraph, crits),
            )
        )
    return changes


def _minimal(sets: Iterable[frozenset[str]]) -> list[frozenset[str]]:
    kept: list[frozenset[str]] = []
    for candidate in sorted(set(sets), key=lambda s: (len(s), sorted(s))):
        if not any(k <= candidate for k in kept):
            kept.append(candidate)
    return kept


def _is_end(digraph: nx.DiGraph, node: str) -> bool:
    """Segments, and the guideline parts the evaluations cite: on the request's date, where
    the justification records it (imr:cites on each evaluation); else every part a criterion
    names (dcterms:source)."""
    kind = digraph.nodes[node].get("kind")
    if kind != "part":
        return kind == "segment"
    relation = _CITES if _dated(digraph) else "dcterms:source"
    return any(
        digraph.edges[u, node].get("relation") == relation for u in digraph.predecessors(node)
    )


def _dated(digraph: nx.DiGraph) -> bool:
    """Whether the evaluations record what they cite on the date (justifications since the
    citations were filtered by date; a hand-made graph may name only criterion sources)."""
    if "dated" not in digraph.graph:
        digraph.graph["dated"] = any(r == _CITES for _, _, r in digraph.edges(data="relation"))
    return bool(digraph.graph["dated"])


def _kind_successors(digraph: nx.DiGraph, node: str, kind: str) -> list[str]:
    return sorted(s for s in digraph.successors(node) if digraph.nodes[s].get("kind") == kind)


def _evaluations(digraph: nx.DiGraph, determination: str) -> list[str]:
    found = {
        e
        for g in _kind_successors(digraph, determination, "group result")
        for e in _kind_successors(digraph, g, "evaluation")
    }
    found |= {
        e
        for a in _kind_successors(digraph, determination, "decision")
        for e in _kind_successors(digraph, a, "evaluation")
    }
    return sorted(found)


def _facts(digraph: nx.DiGraph, evaluation: str) -> frozenset[str]:
    """Facts whose removal could unmeet the evaluation: those it used, less its preconditions
    (removing a precondition makes the criterion not applicable instead)."""
    used = frozenset(
        f
        for f in digraph.successors(evaluation)
        if digraph.edges[evaluation, f].get("relation") == "prov:used"
    )
    preconditions = frozenset(_precondition_facts(digraph, evaluation))
    return used - preconditions


def _precondition_facts(digraph: nx.DiGraph, evaluation: str) -> list[str]:
    return [
        f
        for f in digraph.successors(evaluation)
        if digraph.edges[evaluation, f].get("relation") == "imr:usedAsPrecondition"
    ]


def _combination(digraph: nx.DiGraph, group: str, catalogue: Catalogue | None) -> str:
    spec = catalogue.groups.get(digraph.nodes[group].get("group", "")) if catalogue else None
    return spec.combination if spec is not None else digraph.nodes[group]["combination"]


def _label(digraph: nx.DiGraph, criterion: str, catalogue: Catalogue | None) -> str:
    known = catalogue.criteria.get(criterion) if catalogue is not None else None
    return known.label if known is not None else digraph.nodes[criterion]["label"]


def _parts(digraph: nx.DiGraph, criteria: Iterable[str]) -> list[str]:
    """The parts cited for the criteria: what their evaluations cite on the date, where
    recorded, else what the criteria name."""
    if _dated(digraph):
        parts = {
            p
            for c in criteria
            for e in digraph.predecessors(c)
            if digraph.edges[e, c].get("relation") == "imr:evaluates"
            for p in digraph.successors(e)
            if digraph.edges[e, p].get("relation") == _CITES
        }
    else:
        parts = {p for c in criteria for p in _kind_successors(digraph, c, "part")}
    return sorted(parts, key=lambda p: (digraph.nodes[p]["first_page"] or 1 << 30, p))


def _pages(digraph: nx.DiGraph, criteria: Iterable[str]) -> str:
    pages = [digraph.nodes[p]["pages"] for p in _parts(digraph, criteria)]
    return ", ".join(dict.fromkeys(p for p in pages if p))


def _sources(digraph: nx.DiGraph, criteria: Iterable[str]) -> tuple[Source, ...]:
    return tuple(
        Source(p, digraph.nodes[p]["label"], digraph.nodes[p]["pages"] or "")
        for p in _parts(digraph, criteria)
    )


def _citation(digraph: nx.DiGraph, criteria: Iterable[str]) -> str:
    return "; ".join(digraph.nodes[p]["label"] for p in _parts(digraph, criteria))


def _quote(digraph: nx.DiGraph, segment: str | None) -> tuple[str | None, int | None, int | None]:
    if segment is None:
        return None, None, None
    node = digraph.nodes[segment]
    return node["quote"], node["start"], node["end"]


def _fact_key(digraph: nx.DiGraph, fact: str) -> tuple[str, str]:
    return (digraph.nodes[fact]["date"] or "", fact)


def _fact_text(digraph: nx.DiGraph, fact: str) -> str:
    node = digraph.nodes[fact]
    return f"{node['text']} ({node['date']})" if node["date"] else node["text"]
