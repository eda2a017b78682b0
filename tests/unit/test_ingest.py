"""Letters in: case graphs anchored to sentences, the reviewer's decision kept apart, and the
same machine determinations from a full letter and from its facts-only excerpt."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

from reasoner.ingest import ingest_letter, letter_case
from reasoner.knowledge import load_knowledge
from reasoner.load import DEV_LETTERS
from reasoner.pipeline import determine_case
from reasoner.vocab import IMR, OA, PROV, RDF

RunCli = Callable[..., tuple[int, str, str]]
"""The run_cli fixture (tests/conftest.py): argv in, (exit code, stdout, stderr) out."""

LETTERS = DEV_LETTERS
IDS = sorted(p.name.removesuffix(".txt") for p in (LETTERS / "text").glob("*.txt"))
LABELS = [json.loads(line) for line in (LETTERS / "labels.jsonl").read_text().splitlines()]


def _decisions(path: Path) -> list[tuple[int, str, tuple[tuple[str, str], ...]]]:
    knowledge = load_knowledge()
    result = determine_case(letter_case(path, knowledge), knowledge, engine="sets")
    return [
        (r.request.item_index, r.outcome, tuple((e.criterion, e.status) for e in r.evaluations))
        for r in result.results
    ]


@pytest.mark.parametrize("letter_id", IDS)
def test_full_letter_and_excerpt_give_the_same_determinations(letter_id: str) -> None:
    """The reviewer's outcome, citations and rationale are never an input."""
    full = _decisions(LETTERS / "text" / f"{letter_id}.txt")
    excerpt = _decisions(LETTERS / "facts" / f"{letter_id}.facts.txt")
    assert full == excerpt


def test_reviewer_determination_is_kept_apart() -> None:
    ingested = ingest_letter(LETTERS / "text" / "CM16-0213037.txt")
    assert (None, RDF.type, IMR.ReviewerDetermination) not in ingested.case
    outcomes = sorted(
        str(o).rsplit("#", 1)[-1] for o in ingested.reviewer.objects(None, IMR.outcome)
    )
    expected = sorted(r["outcome"] for r in LABELS if r["letter_id"] == "CM16-0213037")
    assert outcomes == expected


def test_every_fact_is_anchored_to_its_sentence() -> None:
    ingested = ingest_letter(LETTERS / "facts" / "CM16-0213037.facts.txt")
    text = ingested.letter.text
    facts = list(ingested.case.objects(None, IMR.hasFact))
    assert len(facts) > 10
    for fact in facts:
        [segment, *_] = list(ingested.case.objects(fact, PROV.hadPrimarySource))
        selectors = list(ingested.case.objects(segment, OA.hasSelector))
        start = next(
            ingested.case.value(s, OA.start)
            for s in selectors
            if ingested.case.value(s, OA.start) is not None
        )
        end = next(
            ingested.case.value(s, OA.end)
            for s in selectors
            if ingested.case.value(s, OA.end) is not None
        )
        exact = next(
            ingested.case.value(s, OA.exact)
            for s in selectors
            if ingested.case.value(s, OA.exact) is not None
        )
        assert text[int(start) : int(end)] == str(exact)


def test_scheme_values_are_iris() -> None:
    ingested = ingest_letter(LETTERS / "facts" / "CM16-0213037.facts.txt")
    for predicate in (IMR.careType, IMR.presence, IMR.findingType, IMR.bodyRegion):
        assert all(isinstance(o, URIRef) for o in ingested.case.objects(None, predicate))


def test_determine_a_letter_as_json(run_cli: RunCli) -> None:
    code, out, _ = run_cli("determine", "-f", "json", LETTERS / "facts" / "CM16-0213037.facts.txt")
    assert code == 0
    dets = json.loads(out)["determinations"]
    assert [d["item_text"] for d in dets] == [
        "MRI of the right shoulder without contrast",
        "MRI of the cervical spine without contrast",
    ]
    assert dets[0]["service"]["body_region"] == "shoulder"
    assert dets[1]["outcome"] in ("Upheld", "Overturned")
    assert dets[1]["service"] == {
        "category": "imaging",
        "modality": "MRI",
        "body_region": "cervical-spine",
    }


def test_ingest_writes_case_and_reviewer_files(run_cli: RunCli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, _, err = run_cli(
        "ingest", "--out", tmp_path, empty, LETTERS / "text" / "CM16-0213037.txt"
    )
    assert code == 2
    assert "error[IMR-E604]" in err and str(empty) in err
    assert sorted(p.name for p in tmp_path.glob("CM16*")) == [
        "CM16-0213037.reviewer.ttl",
        "CM16-0213037.ttl",
    ]


def test_ingest_over_workers_matches_one_process(run_cli: RunCli, tmp_path: Path) -> None:
    letters = [LETTERS / "text" / f"{i}.txt" for i in IDS[:3]]
    bad = tmp_path / "not-a-letter.txt"
    bad.write_text("Dear diary, nothing here is an IMR letter.\n")
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli("ingest", "-j", "1", "--out", one, *letters)[0] == 0
    code, _, err = run_cli("ingest", "-j", "2", "--out", two, letters[0], bad, *letters[1:])
    assert code == 2 and str(bad) in err
    written = sorted(p.name for p in one.iterdir())
    assert written == sorted(p.name for p in two.iterdir()) and len(written) == 6
    for name in written:
        assert (one / name).read_text() == (two / name).read_text()


class TestAudit:
    def test_rows_compare_machine_and_reviewer(self) -> None:
        from reasoner.audit import audit_letter

        rows = audit_letter(LETTERS / "text" / "CM16-0213037.txt", load_knowledge())
        assert [(r.item_index, r.reviewer_outcome) for r in rows] == [(0, "Upheld"), (1, "Upheld")]
        # the shoulder MRI is decided under ACOEM Ch. 9 (21 days after the injury: too early)
        assert rows[0].machine_outcome == "Upheld" and rows[0].agrees is True
        assert rows[1].agrees is (rows[1].machine_outcome == "Upheld")
        assert "MTUS Neck and Upper Back Complaints 2004" in (rows[1].reviewer_citation or "")

    def test_flags_a_rationale_that_cites_no_guideline(self) -> None:
        from reasoner.audit import audit_letter

        rows = audit_letter(LETTERS / "text" / "CM16-0238035.txt", load_knowledge())
        assert any(r.reviewer_cites_no_guideline for r in rows)

    def test_cli_json_and_bad_input(self, run_cli: RunCli, tmp_path: Path) -> None:
        empty = tmp_path / "empty.txt"
        empty.write_text("")
        code, out, err = run_cli(
            "audit", "-f", "json", empty, LETTERS / "text" / "CM16-0213037.txt"
        )
        assert code == 2 and "error[IMR-E604]" in err
        assert [json.loads(line)["item_index"] for line in out.splitlines()] == [0, 1]
