"""Intake: every file in tests/bad_inputs/ fails with the code its header names; the seed passes."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from rdflib import Graph

from reasoner.build import read_case_file
from reasoner.errors import ImrkgError, ShapeError
from reasoner.intake import IntakeProblem, check_intake, intake_problems
from reasoner.knowledge import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
BAD_INPUTS = ROOT / "tests" / "bad_inputs"
SEED = ROOT / "data" / "cases" / "seed-cervical-ct.ttl"
HEADER = re.compile(
    r"# expect: (?P<code>IMR-E\d{3})(?: line (?P<line>\d+))?(?: field (?P<field>\S+))?\s*"
)


@dataclasses.dataclass(frozen=True)
class Expectation:
    """What a bad input's first line promises: the code, and optionally a line and a field."""

    code: str
    line: int | None
    field: str | None


def read_expectation(path: Path) -> Expectation:
    """Parse the `# expect: IMR-Exxx [line N] [field imr:x]` header (read as bytes: some files
    are deliberately not UTF-8)."""
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    found = HEADER.fullmatch(first)
    if found is None:
        raise ValueError(f"{path}: first line must be '# expect: IMR-Exxx [line N] [field F]'")
    line = found["line"]
    return Expectation(found["code"], int(line) if line else None, found["field"])


def check_file(path: Path, knowledge: Knowledge) -> None:
    """What the CLI does before deciding: build each case of the file, then check intake."""
    for case in read_case_file(path, knowledge):
        check_intake(case, knowledge)


BAD_FILES = sorted(BAD_INPUTS.glob("*.ttl"))


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


class TestCheckIntake:
    @pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
    def test_bad_input_fails_with_its_code_location_and_hint(
        self, path: Path, knowledge: Knowledge
    ) -> None:
        expected = read_expectation(path)
        with pytest.raises(ImrkgError, match=re.escape(f"error[{expected.code}]")) as raised:
            check_file(path, knowledge)
        error = raised.value
        text = str(error)
        assert error.code == expected.code
        assert str(path) in text
        if expected.line is not None:
            assert error.where is not None
            assert error.where.line == expected.line
            assert f"{path}:{expected.line}" in text
        if expected.field is not None:
            assert error.where is not None
            assert error.where.field == expected.field
            assert expected.field in text
        assert error.hint.strip()
        assert f"docs/errors.md#{expected.code.lower()}" in text

    def test_seed_case_passes(self, knowledge: Knowledge) -> None:
        check_file(SEED, knowledge)

    def test_every_problem_is_listed_one_per_line(self, knowledge: Knowledge) -> None:
        path = BAD_INPUTS / "several-kinds-of-problem.ttl"
        with pytest.raises(ImrkgError, match=r"2 intake problems:\n") as raised:
            check_file(path, knowledge)
        lines = str(raised.value).splitlines()
        for field in ("imr:bodyRegion", "imr:modality"):
            line = rf"request-0 \(case:.*/request-0\): {field}: "
            assert any(re.search(line, x) for x in lines)

    def test_unloadable_shapes_are_a_shape_error(self, knowledge: Knowledge) -> None:
        broken = Graph().parse(
            format="turtle",
            data="""
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix imr: <https://w3id.org/imrkg/ontology#> .
            <https://w3id.org/imrkg/intake/Broken> a sh:NodeShape ;
                sh:targetClass imr:Case ;
                sh:property [ sh:path imr:hasRequest ; sh:minCount "many" ] .
        """,
        )
        (case,) = read_case_file(SEED, knowledge)
        with pytest.raises(ShapeError, match=r"cannot run the intake shapes"):
            check_intake(case, dataclasses.replace(knowledge, intake=broken))


class TestIntakeProblems:
    def test_seed_case_has_none(self, knowledge: Knowledge) -> None:
        (case,) = read_case_file(SEED, knowledge)
        assert intake_problems(case, knowledge) == []

    def test_problems_name_focus_path_and_shape_in_curies(self, knowledge: Knowledge) -> None:
        (case,) = read_case_file(BAD_INPUTS / "several-kinds-of-problem.ttl", knowledge)
        problems = intake_problems(case, knowledge)
        request = "case:bad-several-kinds-of-problem/request-0"
        assert [(p.focus, p.path, p.shape) for p in problems] == [
            (request, "imr:bodyRegion", "intake:RequestBodyRegionIsKnown"),
            (request, "imr:modality", "intake:RequestHasModality"),
        ]
        assert all("imr:" in p.message for p in problems)

    def test_problems_are_deterministic(self, knowledge: Knowledge) -> None:
        (case,) = read_case_file(BAD_INPUTS / "several-kinds-of-problem.ttl", knowledge)
        assert intake_problems(case, knowledge) == intake_problems(case, knowledge)

    def test_case_graph_is_left_untouched(self, knowledge: Knowledge) -> None:
        (case,) = read_case_file(SEED, knowledge)
        before = len(case.graph)
        intake_problems(case, knowledge)
        assert len(case.graph) == before

    @pytest.mark.parametrize("category", ["svc:Medication", "svc:Therapy"])
    def test_non_diagnostic_request_needs_no_modality_or_region(
        self, category: str, knowledge: Knowledge, tmp_path: Path
    ) -> None:
        text = (BAD_INPUTS / "several-kinds-of-problem.ttl").read_text(encoding="utf-8")
        text = text.replace(
            "imr:serviceCategory svc:DiagnosticImaging", f"imr:serviceCategory {category}"
        )
        text = text.replace("    imr:bodyRegion region:Pancreas ;\n", "")
        path = tmp_path / "medication.ttl"
        path.write_text(text, encoding="utf-8")
        (case,) = read_case_file(path, knowledge)
        assert intake_problems(case, knowledge) == []

    @pytest.mark.parametrize("category", ["svc:DiagnosticImaging", "svc:Electrodiagnostic"])
    def test_diagnostic_request_needs_modality(
        self, category: str, knowledge: Knowledge, tmp_path: Path
    ) -> None:
        text = (BAD_INPUTS / "missing-request-modality.ttl").read_text(encoding="utf-8")
        path = tmp_path / "diagnostic.ttl"
        path.write_text(text.replace("svc:DiagnosticImaging", category), encoding="utf-8")
        (case,) = read_case_file(path, knowledge)
        assert intake_problems(case, knowledge) == [
            IntakeProblem(
                focus="case:bad-missing-request-modality/request-0",
                path="imr:modality",
                message=intake_problems(case, knowledge)[0].message,
                shape="intake:RequestHasModality",
            )
        ]


def test_bad_inputs_directory_is_not_empty() -> None:
    assert len(BAD_FILES) >= 10
