"""The bulk engine: a batch of cases in one Oxigraph store, every stage set-oriented.

Per store: the knowledge background is loaded once and each case's own triples (asserted plus the
derived day numbers, durations and types, never the background again) are loaded as N-Triples;
the derivation rules run once over the store; each shape path is one query for every request, and
the request fields one more; selection, statuses, evidence and decisions are
`pipeline.decide_requests` over all requests at once; justifications come from
`justify.justification_triples` with describe functions backed by in-memory indexes. The
differential tests (tests/properties/test_engines_agree.py) keep statuses, outcomes, evidence and
justification graphs equal to the pyshacl reference, case by case.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .build import CaseGraph, derive_case
from .criteria import Catalogue, read_catalogue
from .errors import InputFileError, Location
from .evidence import derived_links
from .guidelines import RequestInfo
from .justify import RequestResult, Triple, describe_with_links, justification_triples
from .knowledge import Knowledge
from .load import bind_prefixes
from .pipeline import REQUEST_FIELDS, CaseResult, decide_requests, request_info
from .rules import run_rules
from .shapes import ShapeEvaluator
from .store import OxigraphBackend, from_ox
from .validate import evaluator_conformance
from .vocab import IMR, SH

__all__ = [
    "STAGES",
    "BatchResult",
    "BulkCase",
    "BulkCaseResult",
    "determine_batch",
    "iter_batch",
    "prepare_case",
    "write_justifications",
]

ENGINE = "bulk"
STAGES = ("prepare", "load", "rules", "evaluate", "decide", "justify")
"""Keys of the stage timings (prepare: CaseGraph inputs turned into loadable cases)."""

Pairs = tuple[tuple[Node, Node], ...]


@dataclass(frozen=True)
class BulkCase:
    """One case ready to load: its own triples as N-Triples, its asserted triples by subject.

    `facts` is what the justification describes: the case file's own terms (Oxigraph would give
    plain literals back as xsd:string ones, and the graph would no longer equal the reference's).
    """

    source: str
    case: str
    requests: tuple[str, ...]
    ntriples: str
    facts: Mapping[str, Pairs]


@dataclass(frozen=True)
class BulkCaseResult:
    """All determinations of one case, and its justification as triples (a graph on request).

    The justification is `own` (this case's triples) plus `shared` (the descriptions of the
    criteria, groups, rule and guideline parts it cites, one object for every case under the
    same rule); the two are disjoint.
    """

    source: str
    case: str
    results: tuple[RequestResult, ...]
    own: tuple[Triple, ...]
    shared: frozenset[Triple]

    def triples(self) -> Iterator[Triple]:
        """Every justification triple, once."""
        yield from self.own
        yield from self.shared

    def justification(self) -> Graph:
        """The justification as an rdflib graph: slow for a batch, so only to show one case."""
        graph = bind_prefixes(Graph())
        for triple in self.triples():
            graph.add(triple)
        return graph

    def as_case_result(self) -> CaseResult:
        """The record `pipeline.determine_case` returns, for the reports."""
        return CaseResult(self.source, self.case, self.results, self.justification())


@dataclass
class BatchResult:
    """Every case of a batch in input order, and the seconds spent in each of STAGES.

    Iterating yields `pipeline.CaseResult`s (graphs built one at a time, for the reports);
    `cases` holds the light records, and `write` streams every justification to a file.
    """

    cases: list[BulkCaseResult]
    seconds: dict[str, float] = field(default_factory=dict)

    def __iter__(self) -> Iterator[CaseResult]:
        return (case.as_case_result() for case in self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def write(self, path: Path, *, fmt: str = "nq") -> int:
        """Write every justification to `path` (see `write_justifications`); returns lines."""
        return write_justifications(self.cases, path, fmt=fmt)


def prepare_case(
    asserted: Graph,
    case: URIRef,
    knowledge: Knowledge,
    *,
    source: Path,
    today: dt.date | None = None,
) -> BulkCase:
    """What `build.build_case` derives, without copying the case and the background into a
    new graph (most of build_case's time). The derivations are build.py's own functions writing
    into a list, so the two builders cannot drift apart.

    Raises
    ------
    MissingFieldError
        When the case has no disputed request (IMR-E202).
    BadDateError
        When a date is not a valid xsd:date or lies in the future (IMR-E204).
    RequestBeforeInjuryError
        When a request is dated before the original injury (IMR-E205).
    """
    derived = _Derived(asserted)
    requests = derive_case(derived, asserted, case, knowledge, source=source, today=today)
    return _bulk_case(str(source), str(case), requests, asserted, derived.triples, True)


def determine_batch(
    cases: Iterable[CaseGraph | BulkCase],
    knowledge: Knowledge,
    *,
    progress: bool = False,
    batch_size: int = 10_000,
    date_basis: str = "request",
) -> BatchResult:
    """Decide every request of every case: `iter_batch`, collected, with stage timings.

    Examples
    --------
    >>> from reasoner.build import read_case_file
    >>> from reasoner.knowledge import load_knowledge
    >>> from reasoner.load import PROJECT_ROOT
    >>> k = load_knowledge()
    >>> seed = read_case_file(PROJECT_ROOT / "data/cases/seed-cervical-ct.ttl", k)
    >>> [r.outcome for r in determine_batch(seed, k).cases[0].results]
    ['Upheld']
    """
    seconds = dict.fromkeys(STAGES, 0.0)
    found = list(
        iter_batch(
            cases,
            knowledge,
            progress=progress,
            batch_size=batch_size,
            seconds=seconds,
            date_basis=date_basis,
        )
    )
    return BatchResult(found, seconds)


def iter_batch(
    cases: Iterable[CaseGraph | BulkCase],
    knowledge: Knowledge,
    *,
    progress: bool = False,
    batch_size: int = 10_000,
    seconds: dict[str, float] | None = None,
    date_basis: str = "request",
) -> Iterator[BulkCaseResult]:
    """Yield one result per case, in input order, `batch_size` cases to a store.

    Everything up to the decisions is set-oriented over a store; each case's justification is
    built as it is yielded, so a consumer that writes and drops results never holds a store's
    worth of triples, and memory stays bounded however many cases stream through. `seconds`
    (if given) accumulates the time of each of STAGES. The progress bar (rich, on stderr) shows
    only on a terminal, once the batch has run for a second.
    """
    seconds = seconds if seconds is not None else dict.fromkeys(STAGES, 0.0)
    catalogue = read_catalogue(knowledge)
    total = len(cases) if isinstance(cases, Sized) else None
    with _Progress(progress, total) as bar:
        stream = iter(cases)
        while chunk := list(islice(stream, batch_size)):
            with _timed(seconds, "prepare"):
                ready = [
                    c if isinstance(c, BulkCase) else _from_case_graph(c, knowledge) for c in chunk
                ]
            with _gc_paused():
                decided, links = _decide_chunk(
                    ready, knowledge, catalogue, seconds, bar, date_basis
                )
            blocks = _Blocks(catalogue, _knowledge_index(knowledge))
            bar.stage("justify")
            for case, results in decided:
                with _timed(seconds, "justify"), _gc_paused():
                    found = _justify_case(case, results, catalogue, blocks, links)
                bar.advance(1)
                yield found


def write_justifications(cases: Iterable[BulkCaseResult], path: Path, *, fmt: str = "nq") -> int:
    """Write justifications as N-Quads, one named graph `<case>/justification` per case
    (`fmt="nq"`), or as one merged N-Triples graph without repeats (`fmt="nt"`); returns the
    number of lines. Each shared knowledge block is serialised once and reused. The file is
    written beside `path` and moved into place, so a failed run leaves no half file.

    Raises
    ------
    ValueError
        When `fmt` is neither "nq" nor "nt".
    """
    writer = _Writer(fmt)
    temporary = path.with_name(path.name + ".part")
    try:
        with temporary.open("w", encoding="utf-8") as out:
            for case in cases:
                writer.write(out, case)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return writer.lines


# -- one store ----------------------------------------------------------------------------------


def _decide_chunk(
    cases: list[BulkCase],
    knowledge: Knowledge,
    catalogue: Catalogue,
    seconds: dict[str, float],
    bar: _Progress,
    date_basis: str,
) -> tuple[list[tuple[BulkCase, list[RequestResult]]], Mapping[str, Pairs]]:
    """Load, rules, evaluation and decisions over one store; each case with its results, and
    the links the rules derived between facts (evidence.DERIVED_FACT_LINKS)."""
    requests = list(dict.fromkeys(r for c in cases for r in c.requests))
    with _timed(seconds, "load"):
        bar.stage("load")
        store = ox.Store()
        store.load(input=_background_ntriples(knowledge), format=ox.RdfFormat.N_TRIPLES)
        _load_cases(store, cases)
    with _timed(seconds, "rules"):
        bar.stage("rules")
        run_rules(knowledge, store.update)
    with _timed(seconds, "evaluate"):
        bar.stage("evaluate")
        evaluator = ShapeEvaluator(knowledge.shapes, OxigraphBackend(store))
        _warm(evaluator)
        infos = _request_infos(store, requests)
    with _timed(seconds, "decide"):
        bar.stage("decide")
        owners = {r: (c.source, c.case) for c in cases for r in c.requests}
        conforms = evaluator_conformance(evaluator)
        results = decide_requests(
            knowledge,
            catalogue,
            infos,
            conforms,
            evaluator,
            source="",
            case="",
            engine=ENGINE,
            owners=owners,
            date_basis=date_basis,
        )
        by_case: dict[tuple[str, str], list[RequestResult]] = {}
        for result in results:
            by_case.setdefault((result.source, result.case), []).append(result)
    decided = [(c, by_case.get((c.source, c.case), [])) for c in cases]
    return decided, derived_links(evaluator)


def _load_cases(store: ox.Store, cases: Sequence[BulkCase]) -> None:
    data = "".join(c.ntriples for c in cases).encode()
    try:
        store.load(input=data, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError:
        for case in cases:  # name the case holding the term Oxigraph rejects
            try:
                ox.Store().load(input=case.ntriples, format=ox.RdfFormat.N_TRIPLES)
            except SyntaxError as exc:
                raise InputFileError(
                    f"a term of {case.case} is not valid RDF: {exc.msg}",
                    where=Location(Path(case.source)),
                    hint='write absolute IRIs without spaces or any of <>"{}|^`\\',
                ) from None
        raise


def _warm(evaluator: ShapeEvaluator) -> None:
    """Ask the store, once for the whole batch, for every path and class the shapes use, so
    that deciding works on in-memory tables only."""
    shapes = evaluator.shapes
    for path in {*shapes.objects(None, SH.path), *shapes.objects(None, IMR.evidencePath)}:
        evaluator.values(path)
    for cls in {*shapes.objects(None, SH["class"]), IMR.CaseFact}:
        evaluator.instances(cls)


def _request_infos(store: ox.Store, requests: list[str]) -> list[RequestInfo]:
    """Every request's fields in one query: one OPTIONAL per field, one row per request."""
    names = [f"?v{i}" for i in range(len(REQUEST_FIELDS))]
    fields = " ".join(
        f"OPTIONAL {{ ?r <{p}> {n} }}" for p, n in zip(REQUEST_FIELDS, names, strict=True)
    )
    query = f"SELECT ?r {' '.join(names)} WHERE {{ ?r <{IMR.forCase}> ?case . {fields} }}"
    values: dict[str, dict[Node, list[Node]]] = {r: {} for r in requests}
    convert = _Converter()
    for row in cast(ox.QuerySolutions, store.query(query)):
        table = values.get(row[0].value)
        if table is None:
            continue
        for column, prop in enumerate(REQUEST_FIELDS, start=1):
            term = row[column]
            if term is not None:
                found = table.setdefault(prop, [])
                node = convert(term)
                if node not in found:
                    found.append(node)
    return [request_info(r, values[r]) for r in requests]


class _Converter:
    """pyoxigraph terms to rdflib nodes, memoised (dates, modalities and regions repeat)."""

    def __init__(self) -> None:
        self.seen: dict[object, Node] = {}

    def __call__(self, term: object) -> Node:
        node = self.seen.get(term)
        if node is None:
            if isinstance(term, ox.NamedNode):
                node = URIRef(term.value)
            elif isinstance(term, ox.BlankNode):
                node = BNode(term.value)
            else:
                node = cast(Literal, from_ox(term))
            self.seen[term] = node
        return node


# -- justifications -----------------------------------------------------------------------------


def _justify_case(
    case: BulkCase,
    results: list[RequestResult],
    catalogue: Catalogue,
    blocks: _Blocks,
    links: Mapping[str, Pairs],
) -> BulkCaseResult:
    """The case's own justification triples, once each, and its shared knowledge block."""
    describe_case = describe_with_links(_OnceDescriber(case.facts), links)
    produced: list[Triple] = []
    for result in results:
        produced += justification_triples(result, catalogue, describe_case, _nothing)
    own: Iterable[Triple] = dict.fromkeys(produced)
    shared, overlaps = blocks.for_results(results)
    if overlaps:
        own = [t for t in own if t not in shared]
    return BulkCaseResult(case.source, case.case, tuple(results), tuple(own), shared)


class _Blocks:
    """The knowledge part of a justification, once per (edition, chapter, rule).

    What a justification describes of the knowledge (criteria, groups, rule, pages, chapters)
    does not depend on the request, only on that key; it is computed with justification_triples
    itself, as all its triples minus those it gives when the knowledge describes nothing.
    """

    def __init__(self, catalogue: Catalogue, index: Mapping[str, Pairs]) -> None:
        self.catalogue = catalogue
        self.describe = _Describer(index)
        self.by_key: dict[tuple[str | None, ...], frozenset[Triple]] = {}
        self.by_keys: dict[frozenset[tuple[str | None, ...]], frozenset[Triple]] = {}

    def for_results(self, results: list[RequestResult]) -> tuple[frozenset[Triple], bool]:
        """The union of the results' blocks, and whether the requests' own triples may fall in
        it (only when a case's requests have different keys: one request's fixed triples, such
        as a rule typed prov:Plan, may then be in another's block)."""
        keys = frozenset(self._key(r) for r in results)
        if keys not in self.by_keys:
            self.by_keys[keys] = frozenset().union(*(self.by_key[k] for k in keys))
        return self.by_keys[keys], len(keys) > 1

    def _key(self, result: RequestResult) -> tuple[str | None, ...]:
        selection = result.selection
        rule = selection.rule.iri if selection.rule and result.decision else None
        key = (selection.edition, selection.chapter, rule)
        if key not in self.by_key:
            full = justification_triples(result, self.catalogue, _nothing, self.describe)
            bare = justification_triples(result, self.catalogue, _nothing, _nothing)
            self.by_key[key] = frozenset(full) - frozenset(bare)
        return key


class _Describer:
    """Subject IRI -> its (predicate, object) pairs, from a pre-grouped index."""

    def __init__(self, index: Mapping[str, Pairs]) -> None:
        self.index = index

    def __call__(self, subject: str) -> Pairs:
        return self.index.get(subject, ())


class _OnceDescriber(_Describer):
    """Describes each subject of one case once. A fact that several criteria (or requests)
    cite is described, with all its description leads to, the first time; later calls would
    add nothing, so they return nothing and the set of justification triples is unchanged."""

    def __init__(self, index: Mapping[str, Pairs]) -> None:
        super().__init__(index)
        self.done: set[str] = set()

    def __call__(self, subject: str) -> Pairs:
        if subject in self.done:
            return ()
        self.done.add(subject)
        return self.index.get(subject, ())


def _nothing(subject: str) -> Pairs:
    return ()


@cache
def _knowledge_index(knowledge: Knowledge) -> dict[str, Pairs]:
    index: dict[str, list[tuple[Node, Node]]] = {}
    for s, p, o in knowledge.everything:
        index.setdefault(str(s), []).append((p, o))
    return {s: tuple(pairs) for s, pairs in index.items()}


# -- a case as N-Triples ------------------------------------------------------------------------


class _Derived:
    """Stands in for the case graph build.py's helpers write to: keeps only what they add, and
    answers `value` from that, else from the asserted case (as the full graph would)."""

    def __init__(self, asserted: Graph) -> None:
        self.asserted = asserted
        self.triples: list[Triple] = []
        self._index: dict[tuple[Node, Node], Node] = {}

    def add(self, triple: Triple) -> None:
        self.triples.append(triple)
        self._index.setdefault((triple[0], triple[1]), triple[2])

    def value(self, subject: Node, predicate: Node) -> Node | None:
        found = self._index.get((subject, predicate))
        return found if found is not None else self.asserted.value(subject, predicate)


def _from_case_graph(case: CaseGraph, knowledge: Knowledge) -> BulkCase:
    """A built CaseGraph carries the background: drop it, it is loaded once per store."""
    background = _background_set(knowledge)
    own = [t for t in case.graph if t not in background]
    return _bulk_case(str(case.source), case.case, case.requests, case.asserted, own, False)


def _bulk_case(
    source: str,
    case: str,
    requests: Sequence[str],
    asserted: Graph,
    extra: Iterable[Triple],
    with_asserted: bool,
) -> BulkCase:
    """One pass over the asserted triples: group them by subject, and write what to load
    (the asserted triples when `with_asserted`, then `extra`, without repeats)."""
    lines: list[str] = []
    facts: dict[str, list[tuple[Node, Node]]] = {}
    for s, p, o in asserted:
        facts.setdefault(str(s), []).append((p, o))
        if with_asserted:
            lines.append(f"{_nt(s)} {_nt(p)} {_nt(o)} .\n")
    lines += [f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in extra]
    loadable = "".join(dict.fromkeys(lines))
    return BulkCase(
        source, case, tuple(requests), loadable, {s: tuple(pairs) for s, pairs in facts.items()}
    )


_LITERALS: dict[Literal, str] = {}


def _nt(term: Node) -> str:
    """A term in N-Triples syntax; literals are memoised (dates and descriptions recur).

    Examples
    --------
    >>> _nt(URIRef("urn:x")), _nt(Literal(3)), _nt(Literal('say "hi"\\n', lang="en"))
    ('<urn:x>', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"say \\\\"hi\\\\"\\\\n"@en')
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = _LITERALS.get(term)
        if text is None:
            if len(_LITERALS) > 200_000:
                _LITERALS.clear()
            text = _LITERALS[term] = _nt_literal(term)
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"cannot write {term!r} as N-Triples")


def _nt_literal(literal: Literal) -> str:
    """N-Triples literal syntax (rdflib's n3() writes multi-line text as a long string)."""
    text = str(literal)
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(char, escaped)
    if literal.language:
        return f'"{text}"@{literal.language}'
    if literal.datatype is not None:
        return f'"{text}"^^<{literal.datatype}>'
    return f'"{text}"'


@cache
def _background_ntriples(knowledge: Knowledge) -> str:
    return "".join(f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in knowledge.background)


@cache
def _background_set(knowledge: Knowledge) -> frozenset[Triple]:
    return frozenset(knowledge.background)


# -- writing ------------------------------------------------------------------------------------


class _Writer:
    """Serialises justifications: each shared block once, terms memoised (predicates, criteria
    and a case's own IRIs recur on many lines)."""

    def __init__(self, fmt: str) -> None:
        if fmt not in ("nq", "nt"):
            raise ValueError(f"unknown justification format {fmt!r}; use 'nq' or 'nt'")
        self.fmt = fmt
        self.lines = 0
        self._terms: dict[Node, str] = {}
        self._blocks: dict[int, tuple[frozenset[Triple], list[str]]] = {}
        self._seen: set[Triple] = set()

    def write(self, out: IO[str], case: BulkCaseResult) -> None:
        if len(self._terms) > 500_000:
            self._terms.clear()
        if self.fmt == "nt":
            fresh = [t for t in case.triples() if t not in self._seen]
            self._seen.update(fresh)
            out.write("".join(f"{self._statement(t)}.\n" for t in fresh))
            self.lines += len(fresh)
            return
        end = f"<{case.case}/justification> .\n"
        for statements in ([self._statement(t) for t in case.own], self._block(case.shared)):
            if statements:
                out.write(end.join(statements) + end)
                self.lines += len(statements)

    def _block(self, shared: frozenset[Triple]) -> list[str]:
        key = id(shared)
        if key not in self._blocks:  # the block is kept with its id, so the id stays its own
            self._blocks[key] = (shared, [self._statement(t) for t in shared])
        return self._blocks[key][1]

    def _statement(self, triple: Triple) -> str:
        terms = self._terms
        s, p, o = triple
        a = terms.get(s) or terms.setdefault(s, _nt(s))
        b = terms.get(p) or terms.setdefault(p, _nt(p))
        c = terms.get(o) or terms.setdefault(o, _nt(o))
        return f"{a} {b} {c} "


# -- timing, memory and progress ----------------------------------------------------------------


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - start


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a store's stages allocate millions of small tuples
    (nothing here makes cycles): each collection would walk the whole batch; measured at 10,000
    cases, justifying took 1.9x as long with it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Progress:
    """A rich bar on stderr: only when asked, on a terminal, once the batch has run a second."""

    def __init__(self, wanted: bool, total: int | None) -> None:
        self.enabled = wanted and sys.stderr.isatty()
        self.total = total
        self.start = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None
        self.done = 0
        self.name = "load"

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def stage(self, name: str) -> None:
        self.name = name
        self._refresh()

    def advance(self, count: int) -> None:
        self.done += count
        self._refresh()

    def _refresh(self) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.perf_counter() - self.start < 1.0:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=self.total)
        self.bar.update(self.task, completed=self.done, description=f"cases ({self.name})")
