"""Golden determinations: each entry of manifest.ttl (and of every manifest-*.ttl beside it,
one per region) through the reference pipeline.

An entry names a case file and what must come out of it: the outcome, the status of every
criterion, the decisive criteria, and the justification graph (``mf:result``, stable longturtle).
Graphs are compared as graphs, after the volatile triples are dropped. ``pytest tests/golden
--update-goldens`` rewrites the expected graphs; the other expectations are written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, to_isomorphic

from reasoner.build import read_case_file
from reasoner.criteria import read_catalogue
from reasoner.justify import SOFTWARE
from reasoner.knowledge import load_knowledge
from reasoner.load import PROJECT_ROOT, bind_prefixes
from reasoner.pipeline import determine_case
from reasoner.report import graph_text, write_atomically
from reasoner.vocab import DCTERMS, IMR, OA, PROV, RDF

MANIFESTS = sorted(Path(__file__).parent.glob("manifest*.ttl"))
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
IMRT = Namespace("https://w3id.org/imrkg/test#")
CRIT = Namespace("https://w3id.org/imrkg/criteria/")
GL = Namespace("https://w3id.org/imrkg/guideline/")

ODG_REPEAT = GL["odg-neck-mri"]
REPEAT = str(CRIT.RepeatImagingAfterSignificantChange)

VOLATILE = ((SOFTWARE, DCTERMS.hasVersion, None),)
"""Triples that change without the determination changing: the software version."""


@dataclass(frozen=True)
class Entry:
    """One manifest entry, its IRIs resolved to files."""

    id: str
    name: str
    case: Path
    outcome: str
    statuses: dict[str, str]
    decisive: frozenset[str]
    expected: Path
    cites: frozenset[str] = frozenset()  # sources the determination must cite (imrt:cites)
    not_cited: frozenset[str] = frozenset()  # sources it must not cite (imrt:doesNotCite)


def read_manifest(path: Path) -> list[Entry]:
    """The entries in mf:entries order; relative IRIs resolve against the manifest file."""
    graph = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    [manifest] = graph.subjects(RDF.type, MF.Manifest)
    items = Collection(graph, graph.value(manifest, MF.entries))
    return [_entry(graph, item) for item in items]  # type: ignore[arg-type]


def _entry(graph: Graph, node: URIRef) -> Entry:
    action = graph.value(node, MF.action)
    statuses = {
        str(graph.value(s, IMRT.criterion)): str(graph.value(s, IMRT.value))
        for s in graph.objects(node, IMRT.status)
    }
    return Entry(
        id=urlparse(str(node)).fragment,
        name=str(graph.value(node, MF.name)),
        case=_file(graph.value(action, IMRT.case)),
        outcome=str(graph.value(node, IMRT.outcome)),
        statuses=statuses,
        decisive=frozenset(str(c) for c in graph.objects(node, IMRT.decisive)),
        expected=_file(graph.value(node, MF.result)),
        cites=frozenset(str(c) for c in graph.objects(node, IMRT.cites)),
        not_cited=frozenset(str(c) for c in graph.objects(node, IMRT.doesNotCite)),
    )


def _file(iri: object) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def without_volatile(graph: Graph) -> Graph:
    """A copy of the graph without the triples listed in VOLATILE."""
    kept = bind_prefixes(Graph())
    for triple in graph:
        kept.add(triple)
    for pattern in VOLATILE:
        kept.remove(pattern)
    return kept


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    """Fail with the triples found only on each side, as sorted N-Triples."""
    a, e = (to_isomorphic(without_volatile(g)) for g in (actual, expected))
    if a != e:
        _, only_a, only_e = graph_diff(a, e)
        pytest.fail(
            f"justification differs from the golden file\n"
            f"only in actual:\n{_dump(only_a)}\nonly in expected:\n{_dump(only_e)}"
        )


def _dump(graph: Graph) -> str:
    lines = graph.serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) or "(nothing)"


ENTRIES = [entry for manifest in MANIFESTS for entry in read_manifest(manifest)]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_golden_determination(entry: Entry, update_goldens: bool) -> None:
    knowledge = load_knowledge()
    [case] = read_case_file(entry.case, knowledge)
    result = determine_case(case, knowledge)
    [request] = result.results
    assert request.decision is not None, request.selection.reason

    assert request.outcome == entry.outcome
    assert {e.criterion: e.status for e in request.evaluations} == entry.statuses
    assert set(request.decision.decisive_criteria) == entry.decisive

    cited = set(result.justification.objects(request.determination_iri, IMR.cites))
    assert request.selection.rule is not None
    catalogue = read_catalogue(knowledge)
    rule_sources = catalogue.cited(request.selection.rule.sources, request.selection.in_force_on)
    assert {URIRef(s) for s in rule_sources} <= cited
    assert {URIRef(s) for s in entry.cites} <= cited
    assert not {URIRef(s) for s in entry.not_cited} & cited
    if REPEAT in entry.statuses:
        # ODG is cited exactly when the repeat-imaging criterion applied (MTUS silent on repeats)
        assert (ODG_REPEAT in cited) == (entry.statuses[REPEAT] != "not applicable")
    _assert_facts_anchored(result.justification)

    if update_goldens:
        write_atomically(
            entry.expected, graph_text(without_volatile(result.justification), "turtle")
        )
        return
    if not entry.expected.exists():
        pytest.fail(f"{entry.expected} is missing; run pytest tests/golden --update-goldens")
    expected = Graph().parse(entry.expected, format="turtle")
    assert_isomorphic(result.justification, expected)


def _assert_facts_anchored(justification: Graph) -> None:
    """Every fact an evaluation used either quotes the letter exactly at its offsets or, when a
    variant added it, describes itself (imr:description)."""
    facts = set(justification.objects(None, PROV.used))
    assert facts, "no evaluation used any fact"
    for fact in facts:
        segments = list(justification.objects(fact, PROV.hadPrimarySource))
        if not segments:
            assert justification.value(fact, IMR.description) is not None, fact
        for segment in segments:
            assert _quoted_text(justification, segment) == _position_text(justification, segment)


def _quoted_text(graph: Graph, segment: object) -> str:
    [exact] = [
        graph.value(s, OA.exact)
        for s in graph.objects(segment, OA.hasSelector)
        if graph.value(s, OA.exact) is not None
    ]
    return str(exact)


def _position_text(graph: Graph, segment: object) -> str:
    [selector] = [
        s for s in graph.objects(segment, OA.hasSelector) if graph.value(s, OA.start) is not None
    ]
    start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
    letter = graph.value(segment, OA.hasSource)
    identifier = graph.value(letter, DCTERMS.identifier)
    assert isinstance(start, Literal) and isinstance(end, Literal) and identifier is not None
    text = (PROJECT_ROOT / str(identifier)).read_text(encoding="utf-8")
    return text[int(start) : int(end)]
