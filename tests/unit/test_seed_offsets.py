"""Letter anchors in the case files point at the text they quote.

A justification ends at a letter sentence; if an offset drifts, every why-path built on it points
at the wrong words. The seed is checked in full; its golden variants reuse its segments, so their
anchors are checked the same way (their added facts describe themselves instead). Cases made up
for other regions have no letter: every fact of theirs describes itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.term import Node

from reasoner.load import PROJECT_ROOT
from reasoner.vocab import DCTERMS, IMR, OA, PROV, RDF

SEED = PROJECT_ROOT / "data" / "cases" / "seed-cervical-ct.ttl"
CASES = [SEED, *sorted((PROJECT_ROOT / "data" / "cases" / "variants").glob("*.ttl"))]


def _ids(path: Path) -> str:
    return path.stem


def _letter_text(graph: Graph, selector: Node) -> str:
    segment = graph.value(predicate=OA.hasSelector, object=selector)
    letter = graph.value(segment, OA.hasSource)
    identifier = graph.value(letter, DCTERMS.identifier)
    assert identifier is not None, f"{letter} has no dcterms:identifier (the letter's path)"
    return (PROJECT_ROOT / str(identifier)).read_text(encoding="utf-8")


def _quote_selector(graph: Graph, position: Node) -> Node:
    segment = graph.value(predicate=OA.hasSelector, object=position)
    quotes = [
        s
        for s in graph.objects(segment, OA.hasSelector)
        if (s, RDF.type, OA.TextQuoteSelector) in graph
    ]
    assert len(quotes) == 1, f"{segment} needs exactly one oa:TextQuoteSelector"
    return quotes[0]


def _int(node: Node | None) -> int:
    assert isinstance(node, Literal)
    return int(node)


class TestTextPositionSelector:
    @pytest.mark.parametrize("path", CASES, ids=_ids)
    def test_offsets_select_the_exact_quote(self, path: Path) -> None:
        graph = Graph().parse(path, format="turtle")
        positions = list(graph.subjects(RDF.type, OA.TextPositionSelector))
        if (None, RDF.type, IMR.SourceDocument) not in graph:
            # a constructed case (no letter): every fact describes itself instead (below)
            assert not positions and not list(graph.objects(None, PROV.hadPrimarySource))
            return
        assert positions, f"{path.name} has no oa:TextPositionSelector"
        for position in positions:
            text = _letter_text(graph, position)
            start, end = _int(graph.value(position, OA.start)), _int(graph.value(position, OA.end))
            quote = _quote_selector(graph, position)
            assert text[start:end] == str(graph.value(quote, OA.exact)), position

    @pytest.mark.parametrize("path", CASES, ids=_ids)
    def test_prefix_and_suffix_surround_the_quote(self, path: Path) -> None:
        graph = Graph().parse(path, format="turtle")
        for position in graph.subjects(RDF.type, OA.TextPositionSelector):
            text = _letter_text(graph, position)
            start, end = _int(graph.value(position, OA.start)), _int(graph.value(position, OA.end))
            quote = _quote_selector(graph, position)
            prefix = str(graph.value(quote, OA.prefix) or "")
            suffix = str(graph.value(quote, OA.suffix) or "")
            assert text[start - len(prefix) : start] == prefix, position
            assert text[end : end + len(suffix)] == suffix, position


class TestLetter:
    @pytest.mark.parametrize("path", CASES, ids=_ids)
    def test_sha256_matches_the_letter_file(self, path: Path) -> None:
        graph = Graph().parse(path, format="turtle")
        for letter in graph.subjects(RDF.type, IMR.SourceDocument):
            identifier = graph.value(letter, DCTERMS.identifier)
            digest = hashlib.sha256((PROJECT_ROOT / str(identifier)).read_bytes()).hexdigest()
            assert str(graph.value(letter, IMR.sha256)) == digest


class TestFactSources:
    def test_every_seed_fact_has_a_primary_source(self) -> None:
        graph = Graph().parse(SEED, format="turtle")
        facts = set(graph.objects(None, IMR.hasFact))
        assert facts
        unsourced = sorted(str(f) for f in facts if graph.value(f, PROV.hadPrimarySource) is None)
        assert unsourced == []

    @pytest.mark.parametrize("path", CASES[1:], ids=_ids)
    def test_every_variant_fact_is_sourced_or_described(self, path: Path) -> None:
        graph = Graph().parse(path, format="turtle")
        bare = sorted(
            str(f)
            for f in graph.objects(None, IMR.hasFact)
            if graph.value(f, PROV.hadPrimarySource) is None
            and graph.value(f, IMR.description) is None
        )
        assert bare == []
