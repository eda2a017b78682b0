"""Hand, elbow and ankle/foot: what imrkg does not decide, and says so.

Chapter 14's MRI criteria are unverified recollections, so an ankle or foot MRI must come out
"Not evaluated" with the chapter's own account of what is missing, never Upheld or Overturned by a
guess; the same holds for the studies the hand and elbow chapters leave unencoded. The ODG elbow
MRI rule is a fallback outside the MTUS: it is used only while the 2007 elbow chapter is in force.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reasoner.build import read_case_file
from reasoner.criteria import read_catalogue
from reasoner.guidelines import RequestInfo, select_rule
from reasoner.knowledge import load_knowledge
from reasoner.load import PROJECT_ROOT
from reasoner.pipeline import determine_case

VARIANTS = PROJECT_ROOT / "data" / "cases" / "variants"
CRIT = "https://w3id.org/imrkg/criteria/"
GL = "https://w3id.org/imrkg/guideline/"
REGION = "https://w3id.org/imrkg/scheme/region/"
MODALITY = "https://w3id.org/imrkg/scheme/modality/"
SVC = "https://w3id.org/imrkg/scheme/service/"


def _with_request(source: str, tmp_path: Path, **swap: str) -> Path:
    """A copy of a golden case file with the request's modality or region replaced."""
    text = (VARIANTS / source).read_text(encoding="utf-8")
    for old, new in swap.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / source
    path.write_text(text, encoding="utf-8")
    return path


def _decide(path: Path):  # type: ignore[no-untyped-def]
    knowledge = load_knowledge()
    [case] = read_case_file(path, knowledge)
    [result] = determine_case(case, knowledge).results
    return result


def _select(category: str, modality: str, region: str, on: dt.date):  # type: ignore[no-untyped-def]
    knowledge = load_knowledge()
    info = RequestInfo("urn:r", 0, "", SVC + category, MODALITY + modality, (REGION + region,), on)
    return select_rule(knowledge, read_catalogue(knowledge), info)


class TestAnkleMriIsNotGuessed:
    def test_ankle_mri_is_not_evaluated_with_the_missing_criteria(self, tmp_path: Path) -> None:
        path = _with_request(
            "ankle-bone-scan-stress-fracture.ttl",
            tmp_path,
            **{
                "modality:BoneScan": "modality:MRI",
                "Bone scan of the left foot": "MRI of the left foot",
            },
        )
        result = _decide(path)
        assert result.decision is None
        assert result.outcome == "Not evaluated"
        reason = result.selection.reason
        assert "no verified criteria" in reason
        assert "modality:MRI" in reason and "gl:acoem2-ch14" in reason
        assert "unverified" in reason  # the chapter's own imr:unencodedCriteria is quoted

    def test_a_suspected_stress_fracture_does_not_make_the_mri_decidable(
        self, tmp_path: Path
    ) -> None:
        # the bone-scan criterion is met in this record; MRI still has no verified rule
        path = _with_request(
            "ankle-bone-scan-stress-fracture.ttl", tmp_path, **{"modality:BoneScan": "modality:MRI"}
        )
        assert _decide(path).decision is None

    @pytest.mark.parametrize(
        ("category", "modality", "region", "chapter"),
        [
            ("DiagnosticImaging", "MRI", "AnkleFoot", "acoem2-ch14"),
            ("DiagnosticImaging", "XRay", "AnkleFoot", "acoem2-ch14"),
            ("DiagnosticImaging", "CT", "AnkleFoot", "acoem2-ch14"),
            ("DiagnosticImaging", "CT", "WristHand", "acoem2-ch11"),
            ("DiagnosticImaging", "XRay", "Elbow", "acoem-elbow-2007"),
            ("DiagnosticImaging", "BoneScan", "Elbow", "acoem-elbow-2007"),
        ],
    )
    def test_unencoded_studies_name_their_chapter(
        self, category: str, modality: str, region: str, chapter: str
    ) -> None:
        selection = _select(category, modality, region, dt.date(2016, 12, 1))
        assert selection.rule is None
        assert selection.chapter == GL + chapter
        assert "no verified criteria" in selection.reason


class TestRuleSelection:
    @pytest.mark.parametrize(
        ("category", "modality", "region", "rule"),
        [
            ("Electrodiagnostic", "EMG", "UpperExtremity", "Ch11UpperExtremityEdxRule"),
            ("Electrodiagnostic", "NCS", "WristHand", "Ch11UpperExtremityEdxRule"),
            ("Electrodiagnostic", "NCS", "Elbow", "ElbowEdxRule"),
            ("DiagnosticImaging", "MRI", "WristHand", "Ch11HandMriRule"),
            ("DiagnosticImaging", "XRay", "WristHand", "Ch11HandRadiographRule"),
            ("DiagnosticImaging", "BoneScan", "AnkleFoot", "Ch14AnkleBoneScanRule"),
        ],
    )
    def test_mtus_rule_by_modality_and_region(
        self, category: str, modality: str, region: str, rule: str
    ) -> None:
        selection = _select(category, modality, region, dt.date(2016, 12, 1))
        assert selection.rule is not None and selection.rule.iri == CRIT + rule
        assert not selection.is_fallback

    def test_elbow_mri_falls_back_to_odg_because_the_2007_chapter_is_silent(self) -> None:
        selection = _select("DiagnosticImaging", "MRI", "Elbow", dt.date(2016, 12, 1))
        assert selection.rule is not None and selection.rule.iri == CRIT + "OdgElbowMriRule"
        assert selection.is_fallback
        assert selection.silent_in == GL + "acoem-elbow-2007"
        assert set(selection.rule.authorities) == {GL + "ccr-9792-25-2009", GL + "ccr-9792-21-1"}
        assert "silent" in selection.rule.applied_because

    def test_odg_elbow_mri_is_not_used_once_the_2007_chapter_is_replaced(self) -> None:
        selection = _select("DiagnosticImaging", "MRI", "Elbow", dt.date(2018, 1, 2))
        assert selection.rule is None
        assert selection.chapter == GL + "acoem-elbow-2013"
