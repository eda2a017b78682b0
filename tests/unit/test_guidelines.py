"""Which guideline governs: the edition in force by the chosen date, across the 1 Dec 2017 change
and the later per-topic orders; the date basis; and, for any date and request, that every page a
selected rule cites belongs to an edition in force on that date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from reasoner.build import read_case_file
from reasoner.criteria import read_catalogue
from reasoner.guidelines import RequestInfo, select_rule
from reasoner.knowledge import load_knowledge
from reasoner.load import PROJECT_ROOT
from reasoner.pipeline import determine_case
from reasoner.vocab import IMR, RDF, SKOS

RunCli = Callable[..., tuple[int, str, str]]
GL = "https://w3id.org/imrkg/guideline/"
CRIT = "https://w3id.org/imrkg/criteria/"
REGION = "https://w3id.org/imrkg/scheme/region/"
MODALITY = "https://w3id.org/imrkg/scheme/modality/"
SVC = "https://w3id.org/imrkg/scheme/service/"
SEED = PROJECT_ROOT / "data" / "cases" / "seed-cervical-ct.ttl"


def _neck_mri(on: dt.date | None, **dates: dt.date) -> RequestInfo:
    return RequestInfo(
        "urn:r",
        0,
        "MRI of the cervical spine",
        SVC + "DiagnosticImaging",
        MODALITY + "MRI",
        (REGION + "CervicalSpine",),
        on,
        **dates,
    )


def _select(info: RequestInfo, basis: str = "request"):  # type: ignore[no-untyped-def]
    knowledge = load_knowledge()
    return select_rule(knowledge, read_catalogue(knowledge), info, basis)


class TestEditionByDate:
    def test_last_day_of_mtus_2009_uses_chapter_8(self) -> None:
        selection = _select(_neck_mri(dt.date(2017, 11, 30)))
        assert selection.edition == GL + "mtus-2009"
        assert selection.chapter == GL + "acoem2-ch8"
        assert selection.rule is not None

    def test_from_1_dec_2017_the_current_acoem_chapter_governs_and_nothing_is_guessed(
        self,
    ) -> None:
        selection = _select(_neck_mri(dt.date(2017, 12, 1)))
        assert selection.edition == GL + "mtus-2017"
        assert selection.chapter == GL + "acoem-ct-2016"
        assert selection.rule is None
        assert "no verified criteria" in selection.reason
        assert "repeat-MRI rule" in selection.reason  # says what is known and what is missing

    def test_a_later_order_replaces_one_topic_from_its_date(self) -> None:
        assert _select(_neck_mri(dt.date(2019, 4, 17))).chapter == GL + "acoem-ct-2016"
        assert _select(_neck_mri(dt.date(2019, 4, 18))).chapter == GL + "acoem-ct-2018"

    def test_before_the_first_edition_nothing_is_in_force(self) -> None:
        selection = _select(_neck_mri(dt.date(2005, 1, 1)))
        assert selection.edition is None and "no MTUS edition" in selection.reason


class TestDateBasis:
    REQUEST = dt.date(2017, 11, 20)
    UR = dt.date(2017, 12, 5)

    def test_the_basis_picks_the_date_and_is_recorded(self) -> None:
        info = _neck_mri(self.REQUEST, ur_date=self.UR)
        by_request, by_ur = _select(info, "request"), _select(info, "ur")
        assert (by_request.edition, by_request.in_force_on) == (GL + "mtus-2009", self.REQUEST)
        assert (by_ur.edition, by_ur.in_force_on, by_ur.date_basis) == (
            GL + "mtus-2017",
            self.UR,
            "ur",
        )

    def test_a_missing_date_on_the_chosen_basis_is_said_not_guessed(self) -> None:
        selection = _select(_neck_mri(self.REQUEST), "service")
        assert selection.rule is None and selection.reason == "the date of service is unknown"

    def test_justification_records_the_basis(self) -> None:
        knowledge = load_knowledge()
        [case] = read_case_file(SEED, knowledge)
        result = determine_case(case, knowledge)
        [request] = result.results
        basis = result.justification.value(request.determination_iri, IMR.editionDateBasis)
        assert basis == Literal("request date")

    def test_cli_date_basis_ur(self, run_cli: RunCli, tmp_path: Path) -> None:
        text = SEED.read_text(encoding="utf-8").replace(
            "imr:urDecision imr:Denied ;",
            'imr:urDecision imr:Denied ; imr:urDecisionDate "2017-12-05"^^xsd:date ;',
        )
        case = tmp_path / "seed-ur-2017.ttl"
        case.write_text(text, encoding="utf-8")
        code, out, _ = run_cli("determine", "--date-basis", "ur", case)
        assert code == 0
        assert "Not evaluated: imrkg has no verified criteria" in out
        code, out, _ = run_cli("determine", case)
        assert code == 0 and "Upheld" in out


def _schemes() -> tuple[list[str], list[str], list[str]]:
    schemes = load_knowledge().ontology  # the OWL ontology and the SKOS schemes
    members = {
        kind: sorted(str(c) for c in schemes.subjects(SKOS.inScheme, URIRef(f"{base}scheme")))
        for kind, base in (("region", REGION), ("modality", MODALITY), ("svc", SVC))
    }
    return members["region"], members["modality"], members["svc"]


REGIONS, MODALITIES, CATEGORIES = _schemes()


def _edition_of(part: str) -> str | None:
    catalogue = read_catalogue(load_knowledge())
    graph = load_knowledge().guidelines
    for node in (part, *catalogue.parts[part].ancestors):
        if (URIRef(node), RDF.type, IMR.GuidelineEdition) in graph:
            return node
    return None


def _in_force(edition: str, on: dt.date) -> bool:
    graph = load_knowledge().guidelines
    start = graph.value(URIRef(edition), IMR.validFrom)
    end = graph.value(URIRef(edition), IMR.validUntil)
    return (start is None or start.value <= on) and (end is None or on < end.value)


@settings(max_examples=300, deadline=None)
@given(
    on=st.dates(min_value=dt.date(2009, 7, 18), max_value=dt.date(2024, 12, 31)),
    region=st.sampled_from(REGIONS),
    modality=st.sampled_from(MODALITIES),
    category=st.sampled_from(CATEGORIES),
)
def test_every_cited_source_belongs_to_an_edition_in_force(
    on: dt.date, region: str, modality: str, category: str
) -> None:
    knowledge = load_knowledge()
    catalogue = read_catalogue(knowledge)
    info = RequestInfo("urn:r", 0, "", category, modality, (region,), on)
    selection = select_rule(knowledge, catalogue, info)
    if selection.rule is None:
        assert selection.reason
        return
    graph = knowledge.guidelines
    for criterion in catalogue.criteria_of(selection.rule):
        cited = catalogue.cited(criterion.sources, on)
        assert cited, f"{criterion.iri} cites nothing in force on {on}"
        for source in cited:
            edition = _edition_of(source)
            assert edition is not None, f"{source} reaches no edition"
            assert _in_force(edition, on), f"{source}: {edition} not in force on {on}"
            assert catalogue.parts[source].in_force(on), f"{source} not in force on {on}"
            if graph.value(URIRef(edition), IMR.isMTUS) == Literal(True):
                assert edition == selection.edition
                # a page range, or a section cited by name as reviewers cite it
                by_name = (URIRef(source), RDF.type, IMR.Section) in graph
                assert catalogue.parts[source].first_page is not None or by_name, source


class TestMtusSectionBeforeOtherGuidelines:
    """A criterion stated by both an MTUS section and ODG cites the MTUS section on the dates it
    is in force (requests from 29 July 2016 for the Chronic Pain guideline's EMG/NCS section),
    and ODG before; a point only ODG states is cited from ODG on every date."""

    NCS = CRIT + "LowerLimbNcsNotRecommended"
    OBVIOUS = CRIT + "LumbarEmgRadiculopathyNotObvious"

    def _cited(self, criterion: str, on: dt.date) -> tuple[str, ...]:
        catalogue = read_catalogue(load_knowledge())
        return catalogue.cited_for(criterion, on)

    def test_before_the_2016_revision_odg_is_cited(self) -> None:
        assert self._cited(self.NCS, dt.date(2016, 7, 28)) == (GL + "odg-low-back-emg-ncs",)

    def test_from_its_first_day_the_mtus_section_is_cited_alone(self) -> None:
        assert self._cited(self.NCS, dt.date(2016, 7, 29)) == (GL + "mtus-cp16-edx",)
        assert self._cited(self.NCS, dt.date(2017, 11, 30)) == (GL + "mtus-cp16-edx",)

    def test_a_point_only_odg_states_stays_with_odg(self) -> None:
        for on in (dt.date(2016, 7, 28), dt.date(2016, 7, 29)):
            assert self._cited(self.OBVIOUS, on) == (GL + "odg-low-back-emg-ncs",)


def test_a_whole_limb_request_says_the_chapters_go_part_by_part() -> None:
    """A request for 'MRI of the left lower extremity' names no part a chapter covers; the
    reason names the parts that are covered, not a silent MTUS."""
    info = RequestInfo(
        "urn:r",
        0,
        "",
        SVC + "DiagnosticImaging",
        MODALITY + "MRI",
        (REGION + "LowerExtremity",),
        dt.date(2016, 12, 1),
    )
    selection = _select(info)
    assert selection.rule is None
    assert "region:Knee" in selection.reason and "region:AnkleFoot" in selection.reason
    assert "should name the part" in selection.reason and "silent" not in selection.reason


@pytest.mark.parametrize("region", ["HeadBrain"])
def test_a_region_no_chapter_covers_names_the_search_sequence(region: str) -> None:
    info = RequestInfo(
        "urn:r",
        0,
        "",
        SVC + "DiagnosticImaging",
        MODALITY + "CT",
        (REGION + region,),
        dt.date(2016, 12, 1),
    )
    selection = _select(info)
    assert selection.rule is None
    assert "9792.21.1" in selection.reason and f"region:{region}" in selection.reason


def test_a_source_conflict_shows_both_sources_and_the_rule_that_chose() -> None:
    knowledge = load_knowledge()
    [case] = read_case_file(SEED, knowledge)
    graph = determine_case(case, knowledge).justification
    [conflict] = graph.subjects(RDF.type, IMR.SourceConflict)
    assert set(graph.objects(conflict, IMR.conflictingSource)) == {
        URIRef(GL + "acoem2-ch8-pp177-182"),
        URIRef(GL + "acoem2-ch8-p182"),
    }
    assert graph.value(conflict, IMR.choiceRule) == URIRef(GL + "ccr-9792-25-1")
    assert graph.value(conflict, IMR.resolution) is not None
    for part in graph.objects(conflict, IMR.conflictingSource):
        assert graph.value(part, IMR.firstPage) is not None  # both described, not just named
