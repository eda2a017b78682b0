"""The imrkg command line: output, exit codes and error messages, through its real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from reasoner.load import PROJECT_ROOT

RunCli = Callable[..., tuple[int, str, str]]
"""The run_cli fixture (tests/conftest.py): argv in, (exit code, stdout, stderr) out."""

SEED = PROJECT_ROOT / "data" / "cases" / "seed-cervical-ct.ttl"
BAD = PROJECT_ROOT / "tests" / "bad_inputs"
IMR = "https://w3id.org/imrkg/ontology#"


class TestDetermine:
    def test_text_reads_like_a_rationale_citing_pages(self, run_cli: RunCli) -> None:
        code, out, _ = run_cli("determine", SEED)
        assert code == 0
        assert "CT scan of the cervical spine:  Upheld" in out
        assert "pp. 177-182" in out
        assert "This request is not medically necessary." in out
        assert "Applied because: MTUS (ACOEM 2nd ed., 2004) is silent on repeat imaging" in out

    def test_json_is_one_object_per_input_with_the_contract(self, run_cli: RunCli) -> None:
        code, out, _ = run_cli("determine", "--format", "json", SEED, SEED)
        assert code == 0
        lines = out.splitlines()
        assert len(lines) == 2
        payload = json.loads(lines[0])
        assert payload["source"] == str(SEED)
        assert payload["case_outcome"] == "Upheld"  # derived from the items
        [det] = payload["determinations"]
        assert det["item_index"] == 0
        assert det["item_text"] == "CT scan of the cervical spine"
        assert det["service"] == {
            "category": "imaging",
            "modality": "CT",
            "body_region": "cervical-spine",
        }
        assert det["outcome"] == "Upheld"
        assert det["medically_necessary"] is False
        assert det["guideline"]["in_force_on"] == "2014-08-27"
        pages = {(c["id"], c["pages"]) for c in det["citations"]}
        assert ("gl:acoem2-ch8-pp177-182", "177-182") in pages
        assert ("gl:odg-neck-mri", None) in pages
        statuses = {c["id"]: c["status"] for c in det["criteria"]}
        assert statuses["crit:RepeatImagingAfterSignificantChange"] == "not met"
        assert statuses["crit:NeckPhysiologicEvidence"] == "met"
        assert set(statuses.values()) <= {"met", "not met", "not documented", "not applicable"}
        decisive = [c["id"] for c in det["criteria"] if c["decisive"]]
        assert decisive == ["crit:RepeatImagingAfterSignificantChange"]
        edx = next(c for c in det["criteria"] if c["id"] == "crit:NeckPhysiologicEvidence")
        assert edx["evidence"][0]["quote"].startswith("He has had electrodiagnostic confirmation")

    @pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
    def test_graph_formats_parse_as_rdf(self, run_cli: RunCli, fmt: str) -> None:
        code, out, _ = run_cli("determine", "--format", fmt, SEED)
        assert code == 0
        graph = Graph().parse(data=out, format="turtle" if fmt == "turtle" else "json-ld")
        outcomes = {str(o) for _, p, o in graph if str(p) == IMR + "outcome"}
        assert outcomes == {IMR + "Upheld"}

    def test_bad_input_is_reported_and_good_input_still_lands(self, run_cli: RunCli) -> None:
        bad = BAD / "unknown-region.ttl"
        code, out, err = run_cli("determine", "--format", "json", bad, SEED)
        assert code == 2
        assert len(out.splitlines()) == 1
        assert json.loads(out)["determinations"][0]["outcome"] == "Upheld"
        assert f"{bad} [imr:bodyRegion]: error[IMR-E203]" in err
        assert "Traceback" not in err

    def test_out_writes_one_file_per_case(self, run_cli: RunCli, tmp_path: Path) -> None:
        code, _, err = run_cli("determine", "--format", "turtle", "--out", tmp_path, SEED)
        assert code == 0
        [written] = list(tmp_path.iterdir())
        assert written.name == "seed-cervical-ct.ttl"
        assert "wrote" in err
        assert len(Graph().parse(written)) > 100

    def test_malformed_turtle_names_file_and_line(self, run_cli: RunCli, tmp_path: Path) -> None:
        case = tmp_path / "case.ttl"
        case.write_text(
            "@prefix imr: <https://w3id.org/imrkg/ontology#> .\n"
            "<urn:a> a imr:Case\n<urn:b> a imr:Case .\n"
        )
        code, out, err = run_cli("determine", case)
        assert (code, out) == (2, "")
        assert err.startswith(f"{case}:3:1: error[IMR-E101]: invalid Turtle")
        assert "hint:" in err

    def test_bulk_engine_over_workers_matches_the_reference(self, run_cli: RunCli) -> None:
        variants = sorted((PROJECT_ROOT / "data" / "cases" / "variants").glob("*.ttl"))
        inputs = [SEED, *variants, BAD / "no-case.ttl"]
        code, reference, _ = run_cli("determine", "-f", "json", *inputs)
        assert code == 2
        code, bulk, err = run_cli("determine", "-f", "json", "--engine", "bulk", "-j", "2", *inputs)
        assert code == 2
        assert "error[IMR-E206]" in err
        assert [json.loads(line) for line in bulk.splitlines()] == [
            json.loads(line) for line in reference.splitlines()
        ]


class TestValidate:
    def test_table_lists_criteria_and_targets(self, run_cli: RunCli) -> None:
        code, out, _ = run_cli("validate", SEED)
        assert code == 0
        assert "intake: conforms" in out
        assert "crit:NeckPhysiologicEvidence" in out and " met " in out
        assert "crit:RepeatImagingAfterSignificantChange" in out and "not met" in out
        assert "crit:NeckRedFlag" in out and "1 target(s)" in out
        assert "crit:ElbowChronicPain" not in out  # only the shapes of the rule the request meets
        assert "[gl:odg-neck-mri]" in out  # what each criterion cites on the request's date

    def test_says_when_no_criterion_was_checked(self, run_cli: RunCli) -> None:
        _, out, _ = run_cli("validate", BAD / "unknown-region.ttl")
        assert "not evaluated" in out
        assert "none: no request falls under a decision rule" in out

    def test_json_cites_what_was_in_force_on_the_date(self, run_cli: RunCli) -> None:
        variants = PROJECT_ROOT / "data" / "cases" / "variants"
        cites = {}
        for case in ("lumbar-ncs-lower-limb-after-month", "lumbar-ncs-after-chronic-pain-revision"):
            code, out, _ = run_cli("validate", "--format", "json", variants / f"{case}.ttl")
            assert code == 0
            rows = json.loads(out)["criteria"]
            [row] = [r for r in rows if r["criterion"] == "crit:LowerLimbNcsNotRecommended"]
            cites[case] = row["cites"]
        assert cites["lumbar-ncs-lower-limb-after-month"] == ["gl:odg-low-back-emg-ncs"]
        assert cites["lumbar-ncs-after-chronic-pain-revision"] == ["gl:mtus-cp16-edx"]

    def test_turtle_is_a_shacl_report(self, run_cli: RunCli) -> None:
        code, out, _ = run_cli("validate", "--format", "turtle", SEED)
        assert code == 0
        report = Graph().parse(data=out, format="turtle")
        assert any(
            str(o) == "http://www.w3.org/ns/shacl#ValidationReport" for o in report.objects()
        )

    def test_intake_problem_exits_1(self, run_cli: RunCli) -> None:
        code, out, _ = run_cli("validate", "--format", "json", BAD / "missing-request-modality.ttl")
        assert code == 1
        payload = json.loads(out)
        assert payload["intake_conforms"] is False
        assert any(p["path"] == "imr:modality" for p in payload["intake"])


class TestExplain:
    def test_json_contract(self, run_cli: RunCli) -> None:
        code, out, _ = run_cli("explain", "--format", "json", SEED)
        assert code == 0
        payload = json.loads(out)
        [det] = payload["determinations"]
        assert det["outcome"] == "Upheld"
        assert {w["criterion"] for w in det["why"]} == {"crit:RepeatImagingAfterSignificantChange"}
        assert all(set(w) >= {"criterion", "status", "pages", "evidence"} for w in det["why"])
        change = det["what_would_change"][0]
        assert change["new_outcome"] == "Overturned"
        assert change["criterion"] == "crit:RepeatImagingAfterSignificantChange"

    @pytest.mark.parametrize(
        ("case", "cited", "not_cited"),
        [
            ("lumbar-ncs-lower-limb-after-month", "ODG Low Back", "Chronic Pain"),
            ("lumbar-ncs-after-chronic-pain-revision", "Chronic Pain", "ODG Low Back"),
        ],
    )
    def test_reasons_cite_what_was_in_force_on_the_date(
        self, run_cli: RunCli, case: str, cited: str, not_cited: str
    ) -> None:
        path = PROJECT_ROOT / "data" / "cases" / "variants" / f"{case}.ttl"
        code, out, _ = run_cli("explain", path)
        assert code == 0
        [line] = [x for x in out.splitlines() if "studies are not recommended: not met" in x]
        assert cited in line and not_cited not in line

    def test_unknown_request_index_is_bad_input(self, run_cli: RunCli) -> None:
        code, _, err = run_cli("explain", "--request", "5", SEED)
        assert code == 2
        assert "no disputed item 5" in err


class TestQuery:
    def test_evidence_sources_show_the_mtus_section_replacing_odg_by_date(
        self, run_cli: RunCli, tmp_path: Path
    ) -> None:
        """The same NCS request before and after 29 July 2016: ODG states all three lower-limb
        points before; after, the MTUS Chronic Pain section states two and ODG only one."""
        variants = PROJECT_ROOT / "data" / "cases" / "variants"
        cases = [
            variants / "lumbar-ncs-lower-limb-after-month.ttl",
            variants / "lumbar-ncs-after-chronic-pain-revision.ttl",
        ]
        run_cli("determine", "--format", "turtle", "--out", tmp_path, *cases)
        code, out, _ = run_cli(
            "query", "evidence-sources", "--format", "csv", *sorted(tmp_path.iterdir())
        )
        assert code == 0
        rows = {line.split(",")[0].rsplit("/", 1)[-1]: line for line in out.splitlines()[1:]}
        assert rows["mtus-cp16-edx"].endswith(",true,2,1")
        assert rows["odg-low-back-emg-ncs"].endswith(",false,4,2")

    def test_analyst_query_over_written_graphs(self, run_cli: RunCli, tmp_path: Path) -> None:
        run_cli("determine", "--format", "turtle", "--out", tmp_path, SEED)
        code, out, _ = run_cli(
            "query", "decisive-criteria", "--format", "csv", *sorted(tmp_path.iterdir())
        )
        assert code == 0
        lines = out.splitlines()
        assert lines[0] == "outcome,criterion,label,determinations"
        assert lines[1].endswith(
            ",https://w3id.org/imrkg/criteria/RepeatImagingAfterSignificantChange,"
            "Significant change since the most recent study of the region,1"
        )

    def test_unknown_parameter_is_bad_input(self, run_cli: RunCli) -> None:
        code, _, err = run_cli("query", "decisive-criteria", "-p", "chapter=gl:acoem2-ch8")
        assert code == 2
        assert "error[IMR-E501]: query decisive-criteria has no parameter ?chapter" in err


class TestErrorBoundary:
    def test_internal_error_exits_3_without_traceback(
        self, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*_: object, **__: object) -> None:
            raise RuntimeError("boom with patient data")

        monkeypatch.setattr("reasoner.batch.determine_case", broken)
        code, _, err = run_cli("determine", SEED)
        assert code == 3
        assert err.strip() == "internal error (a bug); rerun with --debug"


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["determine", "--format", "json", str(SEED)],
        ["validate", str(SEED)],
        ["explain", str(SEED)],
    ],
)
def test_installed_entry_point_smoke(argv: list[str]) -> None:
    """`python -m reasoner` runs the same entry point as the console script."""
    done = subprocess.run(
        [sys.executable, "-m", "reasoner", *argv],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout
