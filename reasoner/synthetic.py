"""Seeded synthetic imaging and electrodiagnostic cases, shaped like the seed case.

Benchmarks and the differential tests need many varied cases; real letters are few. Each case is
drawn from its own generator seeded by ``(seed, index)``, so case *i* is the same whatever the
batch size, and a batch is deterministic for a given seed. A case concerns one body region (half
of them the neck, the rest spread over the other regions MTUS chapters cover) and holds an
injured worker, the original injury, and a varied record: prior imaging studies, symptoms,
neurologic and examination findings of any finding type of the schemes (new, worsened,
unchanged, improved or resolved; sometimes documented as absent; some red-flag indicators),
electrodiagnostic and laboratory tests, conservative care with its response, planned
procedures, re-injuries, and one or two disputed requests (imaging, bone scan or EMG/NCS) dated
5 days to 4 years after the injury. Every date lies in the past (no later than 2024-12-31). No
letter segments are modelled (facts carry no prov:hadPrimarySource).

Finding types are read from the schemes (ontology/schemes*.ttl), so a region added as Turtle
is exercised here, and by the differential tests that use these cases, without code changes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from functools import cache

from rdflib import Graph, Literal, Namespace, URIRef

from .knowledge import load_knowledge
from .load import bind_prefixes
from .vocab import BASE, FINDING, IMR, MODALITY, PREFIXES, RDF, RDFS, REGION, SKOS, SVC, XSD

__all__ = ["LATEST_DATE", "case_iri", "synthetic_case", "synthetic_cases"]

LATEST_DATE = dt.date(2024, 12, 31)
"""No synthetic date is later than this."""

CARE = Namespace(PREFIXES["care"])
PROC = Namespace(PREFIXES["proc"])

_MAX_OFFSET = 4 * 365  # days from the injury to the latest request
_FIRST_INJURY = dt.date(2009, 3, 1)
_LAST_INJURY = dt.date(2015, 12, 31)
_ROOTS = ("C5", "C6", "C7", "C8")
_MODALITIES = (MODALITY.CT, MODALITY.MRI, MODALITY.XRay)
_REGIONS = (
    (REGION.CervicalSpine, "cervical spine", 8),
    (REGION.LumbarSpine, "lumbar spine", 3),
    (REGION.Shoulder, "right shoulder", 1),
    (REGION.Knee, "left knee", 1),
    (REGION.WristHand, "right wrist", 1),
    (REGION.Elbow, "right elbow", 1),
    (REGION.AnkleFoot, "left ankle", 1),
)
_EDX_REGION = {  # electrodiagnostics are requested for a limb
    REGION.CervicalSpine: REGION.UpperExtremity,
    REGION.Shoulder: REGION.UpperExtremity,
    REGION.WristHand: REGION.UpperExtremity,
    REGION.Elbow: REGION.UpperExtremity,
    REGION.LumbarSpine: REGION.LowerExtremity,
    REGION.Knee: REGION.LowerExtremity,
    REGION.AnkleFoot: REGION.LowerExtremity,
}
_LIMB_TEXT = {REGION.UpperExtremity: "upper extremity", REGION.LowerExtremity: "lower extremity"}
_MODALITY_TEXT = {
    MODALITY.CT: "CT scan of the",
    MODALITY.MRI: "MRI of the",
    MODALITY.XRay: "X-rays of the",
    MODALITY.BoneScan: "Bone scan of the",
    MODALITY.EMG: "EMG of the",
    MODALITY.NCS: "NCS of the",
}
_STATUSES = (IMR.New, IMR.Worsened, IMR.Unchanged, IMR.Improved, IMR.Resolved)
_STATUS_WEIGHTS = (3, 2, 4, 2, 1)
_SYMPTOMS = (FINDING.Pain, FINDING.RadiatingPain, FINDING.Numbness, FINDING.Weakness)
_RED_FLAGS = (
    FINDING.GaitDisturbance,
    FINDING.HandClumsiness,
    FINDING.BowelBladderDysfunction,
    FINDING.ProgressiveNeurologicDeficit,
    FINDING.FeverOrChills,
    FINDING.UnexplainedWeightLoss,
    FINDING.CancerHistory,
    FINDING.SuspectedFracture,
)
_NEURO = (
    FINDING.DermatomalSensoryLoss,
    FINDING.ReflexChange,
    FINDING.Weakness,
    FINDING.PositiveSpurling,
    FINDING.NormalNeurologicExam,
)
_EXAM = (FINDING.Tenderness, FINDING.ReducedRangeOfMotion)
_CARE = (
    CARE.PhysicalTherapy,
    CARE.StrengtheningProgram,
    CARE.HomeExercise,
    CARE.Medication,
    CARE.Chiropractic,
    CARE.Acupuncture,
    CARE.ActivityModification,
)
_RESPONSES = (IMR.NoImprovement, IMR.PartialImprovement, IMR.Improvement, IMR.FailedToProgress)
_PROCEDURES = (
    PROC.EpiduralInjection,
    PROC.FacetInjection,
    PROC.Decompression,
    PROC.SpinalFusion,
    PROC.RevisionSurgery,
)
_PLAN_STATUSES = (IMR.Planned, IMR.UnderConsideration, IMR.Possible, IMR.Declined)
_INTERPRETATIONS = (IMR.Positive, IMR.Negative, IMR.Indeterminate)


def case_iri(seed: int, index: int) -> str:
    """The namespace of one synthetic case.

    Examples
    --------
    >>> case_iri(7, 42)
    'https://w3id.org/imrkg/case/synthetic-7-42/'
    """
    return f"{BASE}case/synthetic-{seed}-{index}/"


def synthetic_cases(n: int, seed: int = 0) -> Iterator[Graph]:
    """Yield `n` asserted case graphs (one imr:Case each), case *i* seeded by (seed, i).

    Examples
    --------
    >>> graphs = list(synthetic_cases(3, seed=1))
    >>> [len(list(g.subjects(RDF.type, IMR.Case))) for g in graphs]
    [1, 1, 1]
    >>> set(next(synthetic_cases(1, seed=1))) == set(graphs[0])
    True
    """
    for index in range(n):
        yield synthetic_case(seed, index)


def synthetic_case(seed: int, index: int) -> Graph:
    """One asserted case graph, the same for the same (seed, index).

    Examples
    --------
    >>> g = synthetic_case(0, 5)
    >>> case = URIRef(case_iri(0, 5) + "case")
    >>> (case, RDF.type, IMR.Case) in g and g.value(case, IMR.originalInjury) is not None
    True
    >>> all(v.value <= LATEST_DATE for v in g.objects(None, IMR.date))
    True
    """
    graph = bind_prefixes(Graph())
    graph.bind("case", case_iri(seed, index))
    for triple in _CaseDrawer(
        random.Random(f"imrkg-synthetic:{seed}:{index}"), case_iri(seed, index)
    ).triples():
        graph.add(triple)
    return graph


@cache
def _scheme_findings() -> tuple[URIRef, ...]:
    """Every finding type of the schemes, in a stable order (so a seed gives one case)."""
    schemes = load_knowledge().ontology  # the OWL ontology and the SKOS schemes, parsed once
    found = schemes.subjects(SKOS.inScheme, FINDING.scheme)
    return tuple(sorted((c for c in found if isinstance(c, URIRef)), key=str))


class _CaseDrawer:
    """Draws one case's record; each `_draw_*` method adds one kind of fact."""

    def __init__(self, rng: random.Random, namespace: str) -> None:
        self.rng = rng
        regions = [r for r, _, _ in _REGIONS]
        self.region = rng.choices(regions, [w for _, _, w in _REGIONS])[0]
        self.region_text = next(t for r, t, _ in _REGIONS if r == self.region)
        self.ns = Namespace(namespace)
        self.case = self.ns.case
        self.out: list[tuple[URIRef, URIRef, URIRef | Literal]] = []
        self.counter = 0
        span = (_LAST_INJURY - _FIRST_INJURY).days
        self.injury_date = _FIRST_INJURY + dt.timedelta(days=rng.randrange(span))
        self.request_date = min(
            self.injury_date + dt.timedelta(days=self._request_offset()), LATEST_DATE
        )

    def triples(self) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
        rng = self.rng
        self._draw_case()
        self._draw_studies()
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
            self._draw_symptom()
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            self._draw_neurologic_finding()
        if rng.random() < 0.3:
            self._draw_observation(IMR.ExaminationFinding, rng.choice(_EXAM), "examination")
        for _ in range(rng.choice((0, 0, 1, 2))):
            finding = rng.choice(_scheme_findings())
            self._draw_observation(IMR.ExaminationFinding, finding, "examination")
        if rng.random() < 0.08:
            self._draw_observation(
                rng.choice((IMR.Symptom, IMR.NeurologicFinding)), rng.choice(_RED_FLAGS), "red flag"
            )
        if rng.random() < 0.25:
            self._draw_test(IMR.ElectrodiagnosticStudy, "electrodiagnostic study")
        if rng.random() < 0.05:
            self._draw_test(IMR.LaboratoryTest, "laboratory test")
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            self._draw_care()
        if rng.random() < 0.2:
            self._draw_plan()
        if rng.random() < 0.1:
            self._draw_reinjury()
        if rng.random() < 0.4:
            self._draw_diagnosis()
        self._draw_requests()
        return self.out

    # -- the case, its worker and injury -------------------------------------------------------

    def _draw_case(self) -> None:
        rng, case = self.rng, self.case
        worker, injury = self.ns.worker, self.ns.injury
        self._add(case, RDF.type, IMR.Case)
        self._add(case, RDFS.label, Literal(f"Synthetic case {self.ns}"))
        self._add(case, IMR.worker, worker)
        self._add(case, IMR.originalInjury, injury)
        self._fact(worker)
        self._fact(injury)
        self._add(worker, RDF.type, IMR.InjuredWorker)
        self._add(worker, IMR.ageYears, Literal(rng.randint(19, 70)))
        self._add(worker, IMR.sex, rng.choice((IMR.Male, IMR.Female)))
        self._add(injury, RDF.type, IMR.Injury)
        self._add(injury, IMR.date, Literal(self.injury_date))
        self._add(
            injury,
            IMR.mechanism,
            Literal(
                rng.choice(
                    (
                        "lifting a heavy box",
                        "motor vehicle accident",
                        "fall from a ladder",
                        "struck by a falling object",
                        "repetitive overhead work",
                    )
                )
            ),
        )

    def _draw_requests(self) -> None:
        rng = self.rng
        first = self._requested_modality()
        requests = [(first, self.request_date)]
        if rng.random() < 0.25:
            second = rng.choice([m for m in _MODALITIES if m != first])
            later = min(
                self.request_date + dt.timedelta(days=rng.choice((0, 0, 14, 60))),
                self.injury_date + dt.timedelta(days=_MAX_OFFSET),
                LATEST_DATE,
            )
            requests.append((second, later))
        for index, (modality, date) in enumerate(requests):
            request = self.ns[f"request-{index}"]
            self._add(self.case, IMR.hasRequest, request)
            self._add(request, RDF.type, IMR.DisputedRequest)
            self._add(request, IMR.forCase, self.case)
            self._add(request, IMR.itemIndex, Literal(index))
            edx = modality in (MODALITY.EMG, MODALITY.NCS)
            region = _EDX_REGION[self.region] if edx else self.region
            text = f"{_MODALITY_TEXT[modality]} {_LIMB_TEXT.get(region, self.region_text)}"
            self._add(request, IMR.serviceText, Literal(text))
            category = SVC.Electrodiagnostic if edx else SVC.DiagnosticImaging
            self._add(request, IMR.serviceCategory, category)
            self._add(request, IMR.modality, modality)
            self._add(request, IMR.bodyRegion, region)
            self._add(request, IMR.date, Literal(date))
            self._add(request, IMR.urDecision, rng.choice((IMR.Denied, IMR.Denied, IMR.Modified)))

    # -- the record ----------------------------------------------------------------------------

    def _draw_studies(self) -> None:
        rng = self.rng
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
            node = self._new_fact("study", IMR.ImagingStudy)
            modality = rng.choice(_MODALITIES)
            self._add(node, IMR.modality, modality)
            text = f"{_MODALITY_TEXT[modality]} {self.region_text} (prior)"
            self._add(node, IMR.description, Literal(text))
            self._add(
                node,
                IMR.bodyRegion,
                rng.choice((self.region, self.region, self.region, REGION.Spine, REGION.Knee)),
            )
            self._add(node, IMR.date, Literal(self._date_in_record(before_request=True)))
            self._add(
                node,
                IMR.result,
                Literal(
                    rng.choice(
                        (
                            "degenerative changes",
                            "no acute findings",
                            "disc protrusion",
                            "solid fusion",
                        )
                    )
                ),
            )
        if rng.random() < 0.04:
            node = self._new_fact("bone-scan", IMR.ImagingStudy)
            self._add(node, IMR.modality, MODALITY.BoneScan)
            self._add(node, IMR.interpretation, rng.choice(_INTERPRETATIONS))
            self._add(node, IMR.date, Literal(self._date_in_record()))

    def _draw_symptom(self) -> None:
        self._draw_observation(IMR.Symptom, self.rng.choice(_SYMPTOMS), "symptom")

    def _draw_neurologic_finding(self) -> None:
        node = self._draw_observation(
            IMR.NeurologicFinding, self.rng.choice(_NEURO), "neurologic finding"
        )
        rng = self.rng
        self._add(node, IMR.certainty, rng.choice((IMR.Definitive, IMR.Equivocal)))
        if rng.random() < 0.5:
            self._add(node, IMR.nerveRoot, Literal(rng.choice(_ROOTS)))

    def _draw_observation(self, cls: URIRef, finding: URIRef, kind: str) -> URIRef:
        rng = self.rng
        node = self._new_fact("finding", cls)
        self._add(node, IMR.findingType, finding)
        self._add(node, IMR.description, Literal(f"{kind}: {finding.rsplit('/', 1)[-1]}"))
        if rng.random() < 0.9:
            self._add(node, IMR.bodyRegion, self.region)
        self._add(node, IMR.date, Literal(self._date_in_record()))
        if rng.random() < 0.85:
            self._add(node, IMR.clinicalStatus, rng.choices(_STATUSES, _STATUS_WEIGHTS)[0])
        presence = IMR.Absent if rng.random() < 0.12 else IMR.Present
        if presence == IMR.Absent or rng.random() < 0.6:
            self._add(node, IMR.presence, presence)
        self._draw_onset_and_later(node, cls, finding, presence)
        return node

    def _draw_onset_and_later(
        self, node: URIRef, cls: URIRef, finding: URIRef, presence: URIRef
    ) -> None:
        """Now and then a stated onset (the injury's date, or some days before the observation)
        and a later negative observation of the same type and region (which supersedes it).
        Drawn from a generator of the node's own, so that the cases drawn before onsets were
        read stay as they were."""
        side = random.Random(f"{node}:time")
        observed = next(o for s, p, o in reversed(self.out) if s == node and p == IMR.date)
        day = observed.value  # type: ignore[union-attr]
        roll = side.random()
        if roll < 0.15:
            self._add(node, IMR.onsetDate, Literal(self.injury_date))
        elif roll < 0.35:
            onset = max(
                day - dt.timedelta(days=side.choice((7, 14, 27, 28, 29, 60))), self.injury_date
            )
            self._add(node, IMR.onsetDate, Literal(onset))
        if presence != IMR.Present or side.random() >= 0.15:
            return
        later = URIRef(f"{node}-later")
        self._fact(later)
        self._add(later, RDF.type, cls)
        self._add(later, IMR.findingType, finding)
        self._add(later, IMR.description, Literal(f"no {finding.rsplit('/', 1)[-1]} now"))
        for s_, p_, o_ in list(self.out):
            if s_ == node and p_ == IMR.bodyRegion and side.random() < 0.9:
                self._add(later, IMR.bodyRegion, o_)
        when = min(day + dt.timedelta(days=side.choice((0, 1, 30))), self.request_date)
        self._add(later, IMR.date, Literal(when))
        self._add(later, IMR.presence, IMR.Absent)

    def _draw_test(self, cls: URIRef, kind: str) -> None:
        rng = self.rng
        node = self._new_fact("test", cls)
        self._add(node, IMR.description, Literal(kind))
        self._add(node, IMR.interpretation, rng.choice(_INTERPRETATIONS))
        self._add(node, IMR.bodyRegion, self.region)
        if cls == IMR.ElectrodiagnosticStudy:
            self._add(node, IMR.modality, rng.choice((MODALITY.EMG, MODALITY.NCS)))
        if rng.random() < 0.7:
            self._add(node, IMR.date, Literal(self._date_in_record()))

    def _draw_care(self) -> None:
        rng = self.rng
        node = self._new_fact("care", IMR.ConservativeCareEpisode)
        care = rng.choice(_CARE)
        self._add(node, IMR.careType, care)
        self._add(node, IMR.description, Literal(f"course of {care.rsplit('/', 1)[-1]}"))
        if rng.random() < 0.85:
            self._add(node, IMR.response, rng.choice(_RESPONSES))
        start = self._date_in_record()
        if rng.random() < 0.6:
            end = min(start + dt.timedelta(days=rng.randint(7, 90)), LATEST_DATE)
            self._add(node, IMR.startDate, Literal(start))
            self._add(node, IMR.endDate, Literal(end))
        else:
            self._add(node, IMR.date, Literal(start))
            self._draw_course_length(node)

    def _draw_course_length(self, node: URIRef) -> None:
        """A stated length, or sessions with or without a stated weekly frequency (from a
        generator of the node's own, as `_draw_onset_and_later`)."""
        side = random.Random(f"{node}:time")
        roll = side.random()
        if roll < 0.25:
            self._add(node, IMR.durationDays, Literal(side.choice((14, 27, 28, 42, 56))))
        elif roll < 0.5:
            self._add(node, IMR.sessionCount, Literal(side.choice((3, 6, 8, 12, 24))))
            if side.random() < 0.6:
                per_week = side.choice(("1.0", "2.0", "3.0"))
                self._add(node, IMR.sessionsPerWeek, Literal(per_week, datatype=XSD.decimal))

    def _draw_plan(self) -> None:
        rng = self.rng
        node = self._new_fact("plan", IMR.PlannedProcedure)
        self._add(node, IMR.procedureType, rng.choice(_PROCEDURES))
        self._add(node, IMR.planStatus, rng.choice(_PLAN_STATUSES))
        self._add(node, IMR.bodyRegion, self.region)
        self._add(node, IMR.date, Literal(self._date_in_record()))

    def _draw_reinjury(self) -> None:
        node = self._new_fact("reinjury", IMR.Injury)
        self._add(node, IMR.description, Literal(f"re-injury of the {self.region_text}"))
        self._add(node, IMR.bodyRegion, self.region)
        self._add(node, IMR.date, Literal(self._date_in_record()))

    def _draw_diagnosis(self) -> None:
        node = self._new_fact("diagnosis", IMR.Diagnosis)
        code, text = self.rng.choice(
            (
                ("M54.12", "cervical radiculopathy"),
                ("M48.02", "cervical spinal stenosis"),
                ("M50.20", "cervical disc displacement"),
            )
        )
        self._add(node, IMR.description, Literal(text))
        self._add(node, IMR.icd10cm, Literal(code))
        self._add(node, IMR.bodyRegion, self.region)

    # -- helpers -------------------------------------------------------------------------------

    def _requested_modality(self) -> URIRef:
        """Mostly imaging; now and then a bone scan or electrodiagnostics."""
        roll = self.rng.random()
        if roll < 0.12:
            return self.rng.choice((MODALITY.EMG, MODALITY.NCS))
        if roll < 0.16:
            return MODALITY.BoneScan
        return self.rng.choice(_MODALITIES)

    def _request_offset(self) -> int:
        """Days from injury to request: a few early requests, most within two years."""
        roll = self.rng.random()
        if roll < 0.1:
            return self.rng.randint(5, 27)
        if roll < 0.75:
            return self.rng.randint(28, 730)
        return self.rng.randint(731, _MAX_OFFSET)

    def _date_in_record(self, *, before_request: bool = False) -> dt.date:
        """A date between the injury and the request; now and then later than the request."""
        span = (self.request_date - self.injury_date).days
        if before_request:
            span = max(span - 1, 0)
        elif self.rng.random() < 0.05:
            span += self.rng.randint(1, 60)
        return min(self.injury_date + dt.timedelta(days=self.rng.randint(0, span)), LATEST_DATE)

    def _new_fact(self, kind: str, cls: URIRef) -> URIRef:
        self.counter += 1
        node = self.ns[f"{kind}-{self.counter}"]
        self._fact(node)
        self._add(node, RDF.type, cls)
        return node

    def _fact(self, node: URIRef) -> None:
        self._add(self.case, IMR.hasFact, node)

    def _add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.out.append((s, p, o))
