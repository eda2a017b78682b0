"""Adding a region is Turtle only: the project's Turtle without the ankle chapter cannot decide an
ankle bone scan; the same tree plus the chapter's two Turtle files decides it, with no change to
any Python. (The README walks through the same two files.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reasoner.build import read_case_file
from reasoner.criteria import read_catalogue
from reasoner.errors import ShapeError
from reasoner.knowledge import load_knowledge
from reasoner.load import PROJECT_ROOT
from reasoner.pipeline import determine_case

CHAPTER = Path("data/guidelines/acoem2-ch14.ttl")
SHAPES = Path("shapes/criteria/acoem-ch14-ankle.ttl")
CASE = PROJECT_ROOT / "data" / "cases" / "variants" / "ankle-bone-scan-stress-fracture.ttl"


def _tree(root: Path, *, with_ankle: bool) -> Path:
    for folder in ("ontology", "data/guidelines", "shapes"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    if not with_ankle:
        (root / CHAPTER).unlink()
        (root / SHAPES).unlink()
    return root


def test_the_ankle_chapter_is_two_turtle_files(tmp_path: Path) -> None:
    without = load_knowledge(_tree(tmp_path / "without", with_ankle=False))
    [case] = read_case_file(CASE, without)
    [before] = determine_case(case, without).results
    assert before.outcome == "Not evaluated"
    assert "covers region:AnkleFoot" in before.selection.reason

    with_ankle = load_knowledge(_tree(tmp_path / "with", with_ankle=True))
    [case] = read_case_file(CASE, with_ankle)
    [after] = determine_case(case, with_ankle).results
    assert after.outcome == "Overturned"
    assert after.selection.rule is not None
    assert after.selection.rule.iri.endswith("Ch14AnkleBoneScanRule")


def test_a_rule_outside_the_mtus_must_say_why(tmp_path: Path) -> None:
    """A fallback rule without its authority and reason is refused with a hint, not used."""
    root = _tree(tmp_path / "bad", with_ankle=True)
    (root / "shapes" / "criteria" / "bad-fallback.ttl").write_text(
        """@prefix imr: <https://w3id.org/imrkg/ontology#> .
@prefix crit: <https://w3id.org/imrkg/criteria/> .
@prefix gl: <https://w3id.org/imrkg/guideline/> .
@prefix svc: <https://w3id.org/imrkg/scheme/service/> .
crit:BadFallbackRule a imr:DecisionRule ;
    imr:appliesToChapter gl:odg-neck-mri ;
    imr:appliesToCategory svc:DiagnosticImaging ;
    imr:mtusSilentIn gl:acoem2-ch8 ;
    imr:requiresGroup crit:RepeatImagingGate .
""",
        encoding="utf-8",
    )
    with pytest.raises(ShapeError, match="applies outside the MTUS but does not say why"):
        read_catalogue(load_knowledge(root))


def test_a_cited_part_never_in_force_is_refused(tmp_path: Path) -> None:
    """A guideline part whose start falls after its edition's end (a typo in a new part's
    dates) is refused, naming the cited section and both dates, not silently never cited."""
    root = _tree(tmp_path / "bad", with_ankle=True)
    chronic_pain = root / "data" / "guidelines" / "mtus-chronic-pain.ttl"
    text = chronic_pain.read_text(encoding="utf-8")
    typo = text.replace('imr:validFrom "2016-07-29"', 'imr:validFrom "2018-07-29"')
    assert typo != text
    chronic_pain.write_text(typo, encoding="utf-8")
    never = r"gl:mtus-cp16-edx is cited but is never in force.*from 2018-07-29 to 2017-12-01"
    with pytest.raises(ShapeError, match=never):
        read_catalogue(load_knowledge(root))
