"""Tests for reasoner.owl_check: HermiT consistency, request classification, clash messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reasoner.errors import OntologyError
from reasoner.load import scheme_files
from reasoner.owl_check import Classification, OntologyCheck, check_ontology
from reasoner.vocab import IMR

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = (ROOT / "ontology" / "imr.ttl", *scheme_files(ROOT))
SEED = ROOT / "data" / "cases" / "seed-cervical-ct.ttl"
SEED_REQUEST = "https://w3id.org/imrkg/case/seed-cervical-ct/request-0"

HEADER = """\
@prefix imr:      <https://w3id.org/imrkg/ontology#> .
@prefix owl:      <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:     <http://www.w3.org/2000/01/rdf-schema#> .
@prefix modality: <https://w3id.org/imrkg/scheme/modality/> .
@prefix region:   <https://w3id.org/imrkg/scheme/region/> .
@prefix case:     <https://w3id.org/imrkg/case/bad/> .
"""

WriteCase = Callable[[str], Path]


@pytest.fixture
def write_case(tmp_path: Path) -> WriteCase:
    """Write a Turtle case (project prefixes prepended) into tmp_path and return its path."""

    def write(body: str) -> Path:
        path = tmp_path / "bad-case.ttl"
        path.write_text(HEADER + body, encoding="utf-8")
        return path

    return write


class TestCheckOntology:
    def test_ontology_alone_is_consistent(self) -> None:
        check = check_ontology(ONTOLOGY)
        assert isinstance(check, OntologyCheck)
        assert check.consistent
        assert check.files == ONTOLOGY
        assert check.classifications == ()
        assert check.seconds > 0

    def test_seed_request_is_classified_as_cervical_spine_imaging(self) -> None:
        check = check_ontology(ONTOLOGY, [SEED])
        assert check.files == (*ONTOLOGY, SEED)
        assert [c.individual for c in check.classifications] == [SEED_REQUEST]
        inferred = check.classifications[0].inferred_types
        assert str(IMR.SpinalImagingRequest) in inferred
        assert str(IMR.CervicalSpineImagingRequest) in inferred
        assert str(IMR.ImagingRequest) in inferred
        assert str(IMR.DisputedRequest) not in inferred  # asserted, so not reported
        assert list(inferred) == sorted(inferred)

    def test_non_spinal_request_is_only_an_imaging_request(self, write_case: WriteCase) -> None:
        case = write_case(
            "case:request-0 a imr:DisputedRequest ; "
            "imr:modality modality:MRI ; imr:bodyRegion region:Knee .\n"
        )
        check = check_ontology(ONTOLOGY, [case])
        assert check.classifications == (
            Classification(
                "https://w3id.org/imrkg/case/bad/request-0",
                (str(IMR.DiagnosticStudyRequest), str(IMR.ImagingRequest)),
            ),
        )


class TestInconsistency:
    @pytest.mark.parametrize(
        ("body", "match"),
        [
            pytest.param(
                "case:worker a imr:InjuredWorker ; imr:sex imr:Male , imr:Female .\n",
                r"case:worker imr:sex has two values imr:Female and imr:Male "
                r"\(imr:sex is functional\)",
                id="sex-male-and-female",
            ),
            pytest.param(
                "case:request-0 a imr:DisputedRequest ;"
                " imr:modality modality:CT , modality:EMG .\n",
                r"case:request-0 imr:modality has two values modality:CT and modality:EMG "
                r"\(imr:modality is functional\)",
                id="modality-ct-and-emg",
            ),
            pytest.param(
                "case:worker a imr:InjuredWorker ; imr:ageYears 60 , 61 .\n",
                r'imr:ageYears has two values "60"\^\^xsd:integer and "61"\^\^xsd:integer',
                id="age-60-and-61",
            ),
            pytest.param(
                "case:obs a imr:Symptom , imr:NeurologicFinding .\n",
                r"case:obs is both imr:ExaminationFinding and imr:Symptom, which are disjoint",
                id="symptom-and-neurologic-finding",
            ),
        ],
    )
    def test_clash_is_named(self, write_case: WriteCase, body: str, match: str) -> None:
        case = write_case(body)
        with pytest.raises(OntologyError, match=match) as raised:
            check_ontology(ONTOLOGY, [case])
        assert raised.value.code == "IMR-E401"
        assert raised.value.where is not None
        assert Path(raised.value.where.path) == case

    def test_modality_ct_and_mri_clash(self, write_case: WriteCase) -> None:
        case = write_case(
            "case:request-0 a imr:DisputedRequest ; imr:modality modality:CT , modality:MRI .\n"
        )
        with pytest.raises(
            OntologyError, match=r"imr:modality has two values modality:CT and modality:MRI"
        ):
            check_ontology(ONTOLOGY, [case])

    def test_inconsistency_without_a_known_clash_still_raises(self, write_case: WriteCase) -> None:
        case = write_case("case:obs a imr:Symptom ; imr:presence imr:Male .\n")  # oneOf violated
        with pytest.raises(OntologyError, match=r"no functional-property or disjointness clash"):
            check_ontology(ONTOLOGY, [case])

    def test_unsatisfiable_class_is_named(self, write_case: WriteCase) -> None:
        case = write_case(
            "<http://example.org/Bad> a owl:Class ; "
            "rdfs:subClassOf imr:Symptom , imr:ExaminationFinding .\n"
        )
        with pytest.raises(
            OntologyError, match=r"unsatisfiable classes.*<http://example\.org/Bad>"
        ):
            check_ontology(ONTOLOGY, [case])


class TestEnvironment:
    def test_missing_java_names_the_package(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("PATH", str(tmp_path))
        with pytest.raises(OntologyError, match=r"cannot run HermiT: `java` not found") as raised:
            check_ontology(ONTOLOGY)
        assert "openjdk-17-jre-headless" in raised.value.hint
