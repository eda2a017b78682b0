"""Extraction rules for studies already done, symptoms and examination findings, and care.

A study is recorded when its result is reported or it is said to have been done; a study that is
planned, requested or "to rule out" something is not a result and yields nothing. Observations
carry presence (ConText negation), certainty (hedged, or for neurologic findings graded or
localised), clinical status, nerve roots and regions; whole-limb radicular findings are attributed
to the spinal region supplying the limb (lex:radicularSource), as the seed case is modelled.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import Graph, Literal, URIRef

from ._context import FIND, ITEM, Modifiers, Sentence, dated, narrowest, post_chain, pre_chain
from ._durations import find_sessions
from ._lexicon import LEX, Hit, Matcher
from ._roots import Localisation, localise, radicular_context
from ._rules import Draft, State
from ._timing import absent_before, care_time, observation_time
from .load import PROJECT_ROOT, parse_turtle
from .vocab import BASE, IMR, REGION

__all__ = ["care", "observations", "studies", "systemic"]

FINDING = BASE + "scheme/finding/"
FINDING_CARE_MEDICATION = URIRef(BASE + "scheme/care/Medication")
TRUE = Literal(True)
MODALITY = BASE + "scheme/modality/"
_RADICULAR = {
    f"{FINDING}{n}"
    for n in [
        "RadiatingPain",
        "Numbness",
        "Weakness",
        "DermatomalSensoryLoss",
        "NormalNeurologicExam",
        "ReflexChange",
    ]
}
_NEURO_DEFICITS = {
    f"{FINDING}{n}" for n in ["Weakness", "Numbness", "DermatomalSensoryLoss", "ReflexChange"]
}
_RED_FLAG_TYPES = {
    f"{FINDING}{n}"
    for n in [
        "SuspectedFracture",
        "CancerHistory",
        "FeverOrChills",
        "UnexplainedWeightLoss",
        "BowelBladderDysfunction",
        "GaitDisturbance",
        "HandClumsiness",
        "HardwareFailure",
        "UpperMotorNeuronSign",
        "Hyperreflexia",
        "HoffmannSign",
        "Clonus",
        "BabinskiSign",
    ]
}
_ELECTRO = {URIRef(MODALITY + "EMG"), URIRef(MODALITY + "NCS"), FIND.Electrodiagnostic}
_ROOT_ANY = re.compile(r"\b([CTLS]\d)\b")
_ROOT_REGION = {"C": REGION.CervicalSpine, "L": REGION.LumbarSpine, "S": REGION.LumbarSpine}
_GRADED = re.compile(r"[0-4]\s*[+-]?\s*(?:/|out\s+of|over)\s*5")
_FOR_REGION = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:[\w-]+\s+){0,3}?(?:for|to|of|on|at|in)\s+(?:the\s+)?\w", re.I
)


def studies(s: Sentence, state: State) -> list[Draft]:
    """Imaging and electrodiagnostic studies done, with region, date, result and reading.

    A study word inside another study's reported result ("a study revealed electroneurographic
    findings ...") is part of that result, not a second study."""
    hits = _study_mentions(s)
    if not hits:
        return []
    planned = s.has("plan") or bool(s.cues.of("RULE_OUT"))
    drafts: list[Draft] = []
    for i, hit in enumerate(hits):
        own_end = hits[i + 1].start if i + 1 < len(hits) else len(s.text)
        scope_end = _shared_scope_end(s, hits, i)
        clause_start, _ = s.clause(hit.start, hit.end, ";:,")
        cues = [c for c in s.hits("StudyResult") if clause_start <= c.start < scope_end]
        results = [c for c in cues if c.start >= hit.end]
        readings = [
            c
            for c in s.hits("interpretation")
            if hit.start - 40 <= c.start < scope_end and not s.modifiers(c.start, c.end).ruled_out
        ]
        # a result cue after the study reports it; one before only with a reading ("noted negative")
        reported = bool(results) or (bool(readings) and (bool(cues) or not planned))
        mods = s.modifiers(hit.start, hit.end)
        # "no electroneurographic indicators" negates the noun after it; "negative x-ray" reads
        # it, and so does a backward cue after the study ("the lumbar MRI was negative"): a study
        # said to be negative was done and read as normal, it is not a study that was not done
        negated = mods.negated and not hit.text.lower().endswith("ic")
        negated = negated and mods.negated_by.lower() != "negative" and not mods.negated_after
        if negated or (not reported and (planned or not s.has("Performed"))):
            continue
        if any(hit.end <= c.start < scope_end for c in s.hits("NotPerformed")):
            continue  # "an MRI was not performed": "performed" is no evidence that it was
        if mods.hypothetical:
            continue  # "surgery if the MRI shows a tear" names no study done
        result_at = results[0].start if results else (cues[0].start if cues else scope_end)
        result_at = min(result_at, scope_end)
        drafts.append(_study(s, hit, (result_at, min(result_at, own_end)), scope_end, readings))
        regions = [r for p, r in drafts[-1].values if p == "bodyRegion"]
        state.study_scopes.append((hit.start, scope_end, regions))  # type: ignore[arg-type]
    return drafts


def _study_mentions(s: Sentence) -> list[Hit]:
    """Study mentions, without those inside the previous study's result; a generic study named
    again by its modality there takes that modality."""
    kept: list[Hit] = []
    for hit in s.hits("studies"):
        if kept and any(kept[-1].end <= c.start < hit.start for c in s.hits("StudyResult")):
            previous = kept[-1]
            electro = hit.concept in _ELECTRO and previous.concept in _ELECTRO
            if electro or previous.concept == hit.concept:
                if previous.concept == FIND.Electrodiagnostic and hit.concept != previous.concept:
                    kept[-1] = Hit(hit.concept, previous.start, previous.end, previous.text)
                continue
        kept.append(hit)
    return kept


_COORDINATED = re.compile(
    r"\s*(?:(?:of|to)\s+(?:the\s+)?(?:(?:left|right|bilateral|both)\s*)*)?"
    r"(?:,?\s*(?:and|or)\s+|&\s*|/\s*)(?:an?\s+|the\s+)?",
    re.I,
)


def _shared_scope_end(s: Sentence, hits: list[Hit], i: int) -> int:
    """Where the result of the i-th study mention may lie: up to the next study mention, or past
    the studies coordinated with it ("x-rays and MRI of the knee were negative": the x-rays
    were negative too, and of the knee; "MRI of the lumbar spine and x-rays of the knee were
    unremarkable"). A bare comma does not coordinate: summaries list studies with commas, each
    with its own result or none ("MRI of the cervical spine, x-ray of the cervical spine show
    ...")."""
    j = i
    while j + 1 < len(hits) and _COORDINATED.fullmatch(_without_regions(s, hits[j], hits[j + 1])):
        j += 1
    return hits[j + 1].start if j + 1 < len(hits) else len(s.text)


def _without_regions(s: Sentence, first: Hit, second: Hit) -> str:
    """The words between two mentions, without the region words among them."""
    gap, position = "", first.end
    for region in s.regions_in(first.end, second.start):
        gap, position = gap + s.text[position : region.start], region.end
    return gap + s.text[position : second.start]


def _study(
    s: Sentence, hit: Hit, result: tuple[int, int], scope_end: int, readings: list[Hit]
) -> Draft:
    """A study's fact. `result` is where its result starts, and where its own words end (at the
    next study coordinated with it, or at the result): the regions named in its own words are
    its regions; with none, those named up to the shared result ("x-rays and MRI of the
    knee")."""
    result_at, own_end = result
    electro = hit.concept in _ELECTRO
    values: list[tuple[str, object]] = []
    if str(hit.concept).startswith(MODALITY):
        values.append(("modality", hit.concept))
    floor = max((h.end for h in s.hits("studies") if h.end <= hit.start), default=0)
    after = s.regions_in(hit.end, max(hit.end, own_end)) or s.regions_in(
        hit.end, max(hit.end, result_at)
    )
    window = [h.concept for h in pre_chain(s, floor, hit.start) + after]
    in_result = [h.concept for h in s.regions_in(result_at, scope_end)]
    chosen = (in_result or window) if electro else (window or in_result)
    values += [("bodyRegion", r) for r in narrowest(s, chosen)]
    when = next((d for d in s.dates if hit.end <= d.start < result_at), None)
    when = when or next((d for d in reversed(s.dates) if d.end <= hit.start), None)
    if when is not None:
        values += dated(when, s, f"stated as {when.text}")
    result = s.text[result_at:scope_end].strip(" .,;")
    if len(result) < 15 and result_at < scope_end:
        result = s.text[hit.start : scope_end].strip(" .,;")
    if result:
        values.append(("result", result[:240]))
    reading = _reading(s, readings)
    if reading is not None:
        values.append(("interpretation", reading))
    described = s.text[hit.start : max(result_at, hit.end)].strip(" .,;")
    values.append(("description", re.sub(r"\s+(?:which|that|and)$", "", described)[:160]))
    kind = "ElectrodiagnosticStudy" if electro else "ImagingStudy"
    return Draft(kind, values, s.start, s.end, hit.text)


def _reading(s: Sentence, readings: list[Hit]) -> URIRef | None:
    """Positive on any pathology not negated; Negative on normal wording only; else unknown."""
    abnormal = [h for h in readings if h.concept == FIND.InterpAbnormal]
    mods = [s.modifiers(h.start, h.end) for h in abnormal]
    if any(not m.negated and not m.uncertain for m in mods):
        return IMR.Positive
    if any(h.concept == FIND.InterpNormal for h in readings) or any(m.negated for m in mods):
        return IMR.Negative
    return IMR.Indeterminate if mods else None


def observations(s: Sentence, state: State, dx_span: tuple[int, int]) -> list[Draft]:
    """Symptoms and examination findings, with presence, certainty, status, roots and date."""
    hits = _joined(s, s.hits("findings"))
    examined = s.has("ExamCue") and not s.has("ReportCue")
    drafts: dict[tuple[object, ...], Draft] = {}
    regions_of = _regions(s, hits)
    for i, hit in enumerate(hits):
        in_dx = dx_span[0] <= hit.start < dx_span[1]
        kept = str(hit.concept) in _RED_FLAG_TYPES or _kept_in_diagnosis(s, hit.concept)
        if in_dx and not kept:
            continue
        if in_dx:
            a, b = s.clause(hit.start, hit.end, ";:,")
            regions_of[i] = narrowest(s, [h.concept for h in s.regions_in(a, b)])
        mods = s.modifiers(hit.start, hit.end)
        if mods.ruled_out or mods.other_experiencer or mods.hypothetical:
            continue  # looked for, someone else's, or conditional: no finding of the worker's
        if _past_symptom(s, hit, mods) or _qualifies_another(s, hits[:i], hit):
            continue
        lo = hits[i - 1].end if i else 0
        hi = hits[i + 1].start if i + 1 < len(hits) else len(s.text)
        regions = _implied_regions(s, hits[:i], regions_of[:i], hit, regions_of[i])
        draft = _observation(
            s, state, hit, mods.negated, mods.uncertain, examined, regions, (lo, hi)
        )
        key = (draft.kind, tuple(draft.values[:-1]))
        if key in drafts:
            drafts[key].cue += f", {hit.text}"
        else:
            drafts[key] = draft
    return list(drafts.values())


def _past_symptom(s: Sentence, hit: Hit, mods: Modifiers) -> bool:
    """Whether a mention is a symptom the worker had in the past ("past medical history included
    migraine headaches"): not a current symptom. A finding that indicates a red flag
    (`imr:indicatorFinding` in data/guidelines/red-flags*.ttl) is kept, its history being what
    the flag asks about (a history of cancer, of angina), and so are examination findings, which
    a history cue rarely governs."""
    if not mods.historical or str(hit.concept) in _RED_FLAG_TYPES:
        return False
    if hit.concept in _red_flag_indicators():
        return False
    kind = s.lex.value(hit.concept, LEX.observationKind) or IMR.Symptom
    return kind == IMR.Symptom


@cache
def _red_flag_indicators() -> frozenset[URIRef]:
    """The finding types some red-flag indicator names, in any region (read once)."""
    graph = Graph()
    for path in sorted((PROJECT_ROOT / "data" / "guidelines").glob("red-flags*.ttl")):
        parse_turtle(path, into=graph)
    found = graph.objects(None, IMR.indicatorFinding)
    return frozenset(o for o in found if isinstance(o, URIRef))


_JOINT = re.compile(r"[\s/-]*")
"""What may separate two words of one phrase: "Hawkins impingement maneuver", "Neer's/Hawkin's"."""


def _joined(s: Sentence, hits: list[Hit]) -> list[Hit]:
    """Mentions with adjacent hits of one finding type joined into one: "Hawkins impingement
    maneuver" is one positive impingement sign, and the joined mention keeps the region its named
    test implies ("Hawkins") instead of leaving a second, region-less fact for the generic words."""
    joined: list[Hit] = []
    for hit in hits:
        last = joined[-1] if joined else None
        if last and last.concept == hit.concept and _JOINT.fullmatch(s.text[last.end : hit.start]):
            joined[-1] = Hit(hit.concept, last.start, hit.end, s.text[last.start : hit.end])
        else:
            joined.append(hit)
    return joined


def _implied_regions(
    s: Sentence,
    earlier: list[Hit],
    earlier_regions: list[list[URIRef]],
    hit: Hit,
    named: list[URIRef],
) -> list[URIRef]:
    """The regions of a mention, completed from its finding type where its words fall short.

    A type that belongs to one region (lex:impliedRegion: cuff weakness is the shoulder's) takes
    it when the words name none or only a broader one ("4/5 with forward flexion of the arm"). A
    type that qualifies another (lex:qualifies: "back pain, worsening at night") and names no
    region takes the regions of the nearest earlier mention of that type in the sentence."""
    attributed = s.lex.value(hit.concept, LEX.attributedRegion)
    if attributed is not None:
        return [attributed]
    implied = s.lex.value(hit.concept, LEX.impliedRegion)
    if implied is not None and all(r in s.lex.broader(implied) for r in named):
        return [implied]
    qualified = s.lex.value(hit.concept, LEX.qualifies)
    if named or qualified is None:
        return named
    for other, regions in zip(reversed(earlier), reversed(earlier_regions), strict=True):
        if _of_type(s, other, qualified):
            return regions
    return []


def _of_type(s: Sentence, hit: Hit, finding_type: URIRef) -> bool:
    """Whether a mention is a finding of the type or of one narrower (by its lex:examType, else
    its concept)."""
    concept = s.lex.value(hit.concept, LEX.examType) or hit.concept
    return finding_type == concept or finding_type in s.lex.broader(concept)


def _qualifies_another(s: Sentence, earlier: list[Hit], hit: Hit) -> bool:
    """Whether a qualifying mention describes an earlier finding of another type, and so states no
    finding of its own: in "numbness in the thumb and index finger, worse at night" the words
    "worse at night" (lex:qualifies finding:Pain) describe the numbness; there is no night pain.
    A qualifier that names what it qualifies ("night pain"), one after a mention of that type
    ("back pain, worse at night"), and one with nothing before it in its clause ("symptoms are
    worse at night") are kept, as before."""
    qualified = s.lex.value(hit.concept, LEX.qualifies)
    if qualified is None or _label_matcher(s, qualified).search(hit.text) is not None:
        return False
    clause_start, _ = s.clause(hit.start, hit.end, ";:")
    before = [h for h in earlier if h.start >= clause_start]
    return bool(before) and not any(_of_type(s, h, qualified) for h in before)


_LABEL_MATCHERS: dict[URIRef, Matcher] = {}


def _label_matcher(s: Sentence, concept: URIRef) -> Matcher:
    """A matcher of one concept's labels and patterns (built once per concept)."""
    if concept not in _LABEL_MATCHERS:
        _LABEL_MATCHERS[concept] = Matcher(s.lex.graph, [concept])
    return _LABEL_MATCHERS[concept]


def _kept_in_diagnosis(s: Sentence, concept: URIRef) -> bool:
    """A finding type the lexicon marks lex:keptInDiagnosis is also recorded when it is named in a
    list of diagnoses (carpal tunnel syndrome, epicondylitis): the diagnosis is what its criterion
    asks about, as it is for red-flag types."""
    return (concept, LEX.keptInDiagnosis, Literal(True)) in s.lex.graph


def _observation(
    s: Sentence,
    state: State,
    hit: Hit,
    negated: bool,
    uncertain: bool,
    examined: bool,
    regions: list[URIRef],
    window: tuple[int, int],
) -> Draft:
    lex = s.lex
    graded = bool(_GRADED.search(hit.text))
    kind_iri = lex.value(hit.concept, LEX.observationKind) or IMR.Symptom
    if (examined or graded) and lex.value(hit.concept, LEX.examKind) is not None:
        kind_iri = lex.value(hit.concept, LEX.examKind) or kind_iri
    kind = str(kind_iri).rsplit("#", 1)[-1]
    ftype = lex.value(hit.concept, LEX.examType) if kind != "Symptom" else None
    ftype = ftype or (hit.concept if str(hit.concept).startswith(FINDING) else None)
    values: list[tuple[str, object]] = [("findingType", ftype)] if ftype else []
    status = None if negated else _status(s, hit, kind)
    if status is None and not negated and absent_before(s, hit):
        status = IMR.New
    if status == IMR.Worsened and str(ftype) in _NEURO_DEFICITS | {str(FIND.NeuroDeficit)}:
        values.append(("findingType", URIRef(FINDING + "ProgressiveNeurologicDeficit")))
    located = _located(s, hit, kind, ftype, window)
    if systemic(s, hit.concept):
        regions = []  # a patient's finding: no root, study or examination region either
    else:
        regions = _local_regions(s, state, hit, kind, regions, located, window)
    values += [("bodyRegion", r) for r in regions]
    values.append(("presence", IMR.Absent if negated else IMR.Present))
    if status is not None:
        values.append(("clinicalStatus", status))
    localised = graded or located.is_localised
    certainty = _certainty(s, hit, kind, negated, uncertain, localised, window)
    if certainty is not None:
        values.append(("certainty", certainty))
    values += [("nerveRoot", r) for r in located.roots]
    values += observation_time(s, state, hit, negated=negated)
    values.append(("description", _phrase(s, hit, window)))
    return Draft(kind, values, s.start, s.end, hit.text)


def _local_regions(
    s: Sentence,
    state: State,
    hit: Hit,
    kind: str,
    regions: list[URIRef],
    located: Localisation,
    window: tuple[int, int],
) -> list[URIRef]:
    """A local finding's regions: its words' (`_regions`) with the spinal regions of its roots;
    with none, a root named near it, the study whose result it is, or the region examined in
    this or the previous sentence; a finding with regions becomes the examined region."""
    regions = _with_root_regions(s, regions, located, window)
    if not regions and kind == "NeurologicFinding":
        letters = {m.group(1)[0] for m in _ROOT_ANY.finditer(s.text[window[0] : window[1]])}
        regions = [_ROOT_REGION[x] for x in sorted(letters) if x in _ROOT_REGION]
    in_study = [r for a, b, r in state.study_scopes if a <= hit.start < b]
    if not regions and in_study:
        regions = in_study[0]
    elif not regions and kind != "Symptom" and state.exam_regions[0] >= state.index - 1:
        regions = [] if _names_region(s) else state.exam_regions[1]
    elif regions and kind != "Symptom":
        state.exam_regions = (state.index, regions)
    return regions


def _located(
    s: Sentence, hit: Hit, kind: str, ftype: URIRef | None, window: tuple[int, int]
) -> Localisation:
    """The roots a neurologic finding's words name or localise. A normal examination names none,
    and neither does a sign attributed to the cord (lex:attributedRegion: "hyperreflexia"). Root
    signs (a dermatome, key muscle or reflex) localise only a sensory, motor or reflex deficit,
    and only in its own comma clause: in "sensation diminished at the tip of the second toe,
    dorsiflexion 0 degrees" the range of motion is not a myotome of the sensory finding, and a
    straight leg raise is no dermatomal finding, nor a median or ulnar paresthesia unless the
    sentence speaks of the spine or its roots (lex:localisedInRadicularContext)."""
    if kind != "NeurologicFinding" or ftype == URIRef(FINDING + "NormalNeurologicExam"):
        return Localisation()
    if s.lex.value(hit.concept, LEX.attributedRegion) is not None:
        return Localisation()
    a, b = s.clause(hit.start, hit.end, ";:,")
    deficit = str(ftype) in _NEURO_DEFICITS
    peripheral = ftype is not None and (ftype, LEX.localisedInRadicularContext, TRUE) in s.lex.graph
    deficit = deficit or (peripheral and radicular_context(s))
    signs = (max(a, window[0]), min(b, window[1])) if deficit else None
    return localise(s, *window, signs)


def _with_root_regions(
    s: Sentence, regions: list[URIRef], located: Localisation, window: tuple[int, int]
) -> list[URIRef]:
    """The finding's regions with the spinal regions of its roots: a dermatomal, reflex or named
    root finding in a limb ("decreased sensation in the fourth and fifth fingers", C8) is a sign
    of the cervical spine as well as of the hand. A finding localised only by a key muscle or
    movement keeps a joint named apart from the movement ("right knee: quadriceps 4/5"): the
    joint's own lesion is the likelier cause, and its chapter decides; a region word that is part
    of the movement's name ("wrist extension 4/5") names no site and does not hold it back."""
    if not located.spinal or (regions and located.is_ambiguous):
        return regions
    limbs = {REGION.UpperExtremity, REGION.LowerExtremity}
    in_limbs = all(r in limbs or s.lex.broader(r) & limbs for r in regions)
    if regions and not in_limbs:
        return regions
    if regions and located.by_myotome_only:
        apart = [
            h
            for h in s.regions_in(*window)
            if not any(a <= h.start and h.end <= b for a, b in located.spans)
        ]
        if any(h.concept in regions for h in apart):
            return regions
    return list(dict.fromkeys([*regions, *located.spinal]))


def _names_region(s: Sentence) -> bool:
    """Whether the sentence names a region outside its finding mentions. A region word inside a
    mention belongs to that finding, often implied by its label ("Hawkins", "straight leg
    raise"): it gives the finding its region, which becomes the examination region later
    findings may inherit (in this sentence or the next), but it does not stop a region-less
    finding from inheriting."""
    findings = s.hits("findings")
    return any(not any(r in _overlapping(s, f) for f in findings) for r in s.hits("regions"))


def _overlapping(s: Sentence, hit: Hit) -> list[Hit]:
    """Region words sharing any character with a mention. A region label may straddle the start
    of a finding's words: in "Achilles reflexes were 1+" the region word is "Achilles reflexes"
    (an S1 root sign, hence the lumbar spine) and the reflex finding "reflexes were 1+"; the
    region word lies neither wholly inside the mention nor before it, yet it is the mention's."""
    return [r for r in s.hits("regions") if r.start < hit.end and hit.start < r.end]


def _phrase(s: Sentence, hit: Hit, window: tuple[int, int]) -> str:
    """The mention with the words around it: back to the clause start (at most six words) and on
    to the last region word named after it."""
    a, b = s.clause(hit.start, hit.end, ";:,")
    chain = pre_chain(s, max(window[0], hit.start - 60), hit.start)
    a = min([a] + [h.start for h in chain])
    head = s.text[max(a, window[0]) : hit.start].split()[-6:]
    after = [h.end for h in s.regions_in(hit.end, min(b, window[1], hit.end + 80))]
    tail = s.text[hit.end : max(after, default=hit.end)]
    return " ".join([*head, s.text[hit.start : hit.end] + tail]).strip(" ,.")[:160]


def _certainty(
    s: Sentence,
    hit: Hit,
    kind: str,
    negated: bool,
    uncertain: bool,
    localised: bool,
    window: tuple[int, int],
) -> URIRef | None:
    if negated:
        return None
    if uncertain:
        return IMR.Equivocal
    if kind != "NeurologicFinding":
        return None
    localised = localised or any(window[0] <= h.start < window[1] for h in s.hits("DefinitiveCue"))
    return (
        IMR.Definitive
        if localised
        else (s.lex.value(hit.concept, LEX.defaultCertainty) or IMR.Equivocal)
    )


def _status(s: Sentence, hit: Hit, kind: str) -> URIRef | None:
    """The clinical status a status word of the mention's clause states: the nearest within six
    words, neither across a clause boundary ("improved but ...", "improved and he now has ...")
    nor past another finding mention, which the word then describes instead."""
    a, b = s.clause(hit.start, hit.end, ";:,")
    findings = s.hits("findings")
    near = [
        h
        for h in s.hits("status")
        if a <= h.start < b
        and len(s.text[min(h.end, hit.end) : max(h.start, hit.start)].split()) <= 6
        and not _between(findings, h, hit)
        and not s.separated(min(h.end, hit.end), max(h.start, hit.start))
    ]
    for h in sorted(near, key=lambda h: abs(h.start - hit.start)):
        value = s.lex.value(h.concept)
        if value in (IMR.Improved, IMR.Resolved) and kind != "Symptom":
            continue
        return value
    return None


def _between(hits: list[Hit], first: Hit, second: Hit) -> bool:
    """Whether one of the hits lies wholly between two others (not overlapping either)."""
    a, b = min(first.end, second.end), max(first.start, second.start)
    return any(a <= h.start and h.end <= b for h in hits)


def _regions(s: Sentence, hits: list[Hit]) -> list[list[URIRef]]:
    """Regions per mention: its noun phrase, else the words up to the next mention; a list of
    mentions joined by commas, 'and' or 'or' shares the regions named for it. A mention naming a
    body part outside the region scheme ("abdominal pain") has no scheme region but is not
    region-less: it takes no region from the list, nor hands one on ("denied fevers, abdominal
    pain, chest pain": the fevers are not the chest's). The region noun phrase before a mention
    also covers a region-less mention of the same kind coordinated with it ("the right knee
    giving way and locking", `_alike`). A systemic type (`systemic`) has none; a local mention
    still without one takes the one region of its clause or sentence (`_clause_region`)."""
    found: list[list[URIRef]] = []
    named: list[bool] = []
    by_phrase: list[bool] = []
    chains = [
        pre_chain(s, max(hits[i - 1].end if i else 0, hit.start - 60), hit.start)
        for i, hit in enumerate(hits)
    ]
    claimed: list[Hit] = []
    for i, hit in enumerate(hits):
        hi = hits[i + 1].start if i + 1 < len(hits) else len(s.text)
        if i + 1 < len(hits) and chains[i + 1]:
            hi = chains[i + 1][-1].start
        _, clause_end = s.clause(hit.start, hit.end, ";:")
        # a region word the previous mention took after it is that finding's own region, not
        # the head of this one's noun phrase ("neck pain radiating to the right arm and low
        # back pain": the arm is not the back pain's)
        pre = [h.concept for h in chains[i] if h not in claimed]
        after = post_chain(s, hit.end, min(hi, clause_end, hit.end + 120))
        post = [h.concept for h in after]
        inside = [h.concept for h in _overlapping(s, hit)]
        attached = bool(after) and _OBJECT_OF.match(s.text[hit.end : after[0].start]) is not None
        claimed = after if attached or not (inside or pre) else []
        found.append(_radicular(s, hit, narrowest(s, inside or pre or post)))
        named.append(bool(inside or pre or post))
        by_phrase.append(bool(pre) and not inside and not post)
    negated = [s.modifiers(h.start, h.end).negated for h in hits]
    for i in range(len(hits) - 1, 0, -1):
        gap = s.text[hits[i - 1].end : hits[i].start]
        listed = re.fullmatch(r"[\s,]*(?:and|or|and/or)?\s*(?:\w+\s+)?", gap)
        neuro = {str(hits[i - 1].concept), str(hits[i].concept)} <= _RADICULAR
        if not named[i - 1] and listed and ((negated[i - 1] and negated[i]) or neuro):
            found[i - 1] = found[i]
    for i in range(1, len(hits)):
        gap = s.text[hits[i - 1].end : hits[i].start]
        coordinated = re.fullmatch(r"\s*(?:and|or|,)\s*", gap) and negated[i - 1] == negated[i]
        if coordinated and not named[i] and by_phrase[i - 1] and _alike(s, hits[i - 1], hits[i]):
            found[i] = _radicular(s, hits[i], found[i - 1])
            named[i] = by_phrase[i] = True
    found = [
        f if f or named[i] else _radicular(s, hits[i], _examined(s, hits[i]))
        for i, f in enumerate(found)
    ]
    for i, hit in enumerate(hits):
        if systemic(s, hit.concept):
            found[i] = []
        elif not found[i] and not named[i]:
            found[i] = _radicular(s, hit, _clause_region(s, hit, _is_radicular(s, hit)))
    return found


def systemic(s: Sentence, concept: URIRef) -> bool:
    """Whether a finding type belongs to the whole patient (lex:systemic in
    data/lexicon/finding-terms-regions.ttl: fever, weight loss, bowel or bladder, gait): such a
    mention takes no region from the words near it, and is relevant to every request."""
    typed = s.lex.value(concept, LEX.examType) or concept
    return any((c, LEX.systemic, TRUE) in s.lex.graph for c in (concept, typed))


_NEW_CLAUSE = re.compile(
    r"[;:]|,\s*(?=(?:he|she|they|it|there)\b|(?:and|but|or|while|whereas|although|though)\s+"
    r"(?:he|she|they|it|there|the|his|her|a|an)\b)",
    re.I,
)
"""Where a clause starts, for a finding that names no region of its own: at ';' or ':', and at a
comma before a new subject, alone or after a conjunction ("the elbow is hot with an effusion,
she has a fever", "..., and the neck is not tender"); ConText's clause boundaries as well. A
comma before "and" with no new subject still lists ("tenderness of the erector spinae,
supraspinatus, and upper trapezius")."""

_CONTRAST = re.compile(r"[;:]|\b(?:but|while|whereas|although|though|however)\b", re.I)
"""Where the sentence turns to something else ("he has numbness but the shoulder is not
painful"): a finding's region is not looked for past it."""


def _clause_region(s: Sentence, hit: Hit, levels_only: bool = False) -> list[URIRef]:
    """The region of a local finding whose own words name none: the one region its clause names
    ("she describes the elbow catching and locking", "point tenderness over the T8 spinous
    process"), else, when its clause names none, the one region the sentence names up to a
    contrast ("the knee swelled within two hours and aspiration returned blood"). Two regions
    are no answer: with the knee and the ankle in the clause, the finding is left without a
    region rather than guessed (issue 10, attribute leakage). A radicular finding (numbness,
    weakness, a reflex) is felt where its nerve ends, not where its lesion is, so only a
    vertebral level gives it one here (`levels_only`): "tingling" beside "elbow splint" is not
    the elbow's."""
    clause = [m.end() for m in _NEW_CLAUSE.finditer(s.text)] + list(s.boundaries)
    turns = [m.start() for m in _CONTRAST.finditer(s.text)]
    spans = [_around(hit, clause, len(s.text)), _around(hit, turns, len(s.text))]
    for lo, hi in spans:
        named = _named_regions(s, lo, hi, levels_only)
        if named:
            return named if len(named) == 1 and str(named[0]).startswith(str(REGION)) else []
    return []


def _around(hit: Hit, starts: list[int], length: int) -> tuple[int, int]:
    """The span between the nearest of `starts` before a mention and the nearest after it."""
    a = max((x for x in starts if x <= hit.start), default=0)
    return a, min((x for x in starts if x >= hit.end), default=length)


def _is_radicular(s: Sentence, hit: Hit) -> bool:
    concept = s.lex.value(hit.concept, LEX.examType) or hit.concept
    return str(hit.concept) in _RADICULAR or str(concept) in _RADICULAR


def _named_regions(s: Sentence, a: int, b: int, levels_only: bool = False) -> list[URIRef]:
    """The distinct regions the words in [a, b) name: region words (the narrowest of them: "pain
    in the right leg and foot" names the foot), a body part outside the schemes ("abdominal",
    which makes the answer ambiguous) and vertebral levels (lex:levelPattern: "T8" names the
    thoracic spine); with `levels_only`, the levels alone."""
    hits = [] if levels_only else s.regions_in(a, b)
    others = list(
        dict.fromkeys(h.concept for h in hits if not str(h.concept).startswith(str(REGION)))
    )
    levels = [
        region
        for region, pattern in _level_patterns(s)
        if re.search(pattern, s.text[a:b]) is not None
    ]
    return narrowest(s, [h.concept for h in hits] + levels) + others


def _level_patterns(s: Sentence) -> list[tuple[URIRef, str]]:
    """The spinal regions with the vertebral-level pattern that names each (sorted, read once
    per lexicon graph)."""
    return sorted(
        (r, str(p))
        for r, p in s.lex.graph.subject_objects(LEX.levelPattern)
        if isinstance(r, URIRef)
    )


_OBJECT_OF = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:to|into|in|of|at|down|along|over|from|through|towards?)\s+"
    r"(?:(?:the|his|her|both|right|left|bilateral)\s+)*$",
    re.I,
)
"""A region joined to the mention before it by a preposition ("radiating to the right arm",
"numbness into the left hand") is that mention's, whatever else it names."""

_EXAM_OF = re.compile(
    r"\b(?:exam(?:ination)?|evaluation|inspection)\s+of\s+(?:the\s+|his\s+|her\s+)?",
    re.I,
)
_EXAM_WORD = re.compile(r"\bexam(?:ination)?\b", re.I)
_SIDES = re.compile(r"^(?:(?:left|right|bilateral|both)\s+)*$", re.I)


def _examined(s: Sentence, hit: Hit) -> list[URIRef]:
    """The region the clause of a mention says is examined, before the mention ("examination of
    the cervical spine showed no tenderness, spasm or guarding", "lumbar spine exam noted ..."):
    it is the region of a finding that names none, the region word being too far from it to be
    its noun phrase. Only the clause up to ';' or ':' counts, as summaries string the
    examinations of several regions into one sentence ("cervical exam noted ...; right elbow has
    ..."); the nearest examined region before the mention wins."""
    a, b = s.clause(hit.start, hit.end, ";:")
    found: list[tuple[int, list[Hit]]] = []
    for m in _EXAM_OF.finditer(s.text, a, hit.start):
        chain = post_chain(s, m.end(), b)
        if chain and _SIDES.match(s.text[m.end() : chain[0].start]):
            found.append((m.start(), chain))
    for m in _EXAM_WORD.finditer(s.text, a, hit.start):
        chain = pre_chain(s, a, m.start())
        if chain:
            found.append((chain[0].start, chain))
    if not found:
        return []
    return narrowest(s, [h.concept for h in max(found, key=lambda f: f[0])[1]])


def _alike(s: Sentence, first: Hit, second: Hit) -> bool:
    """Whether two coordinated mentions are findings of one kind, neither a red flag: "the right
    knee giving way and locking" names the knee for both, so the region noun phrase before the
    first is shared with the second; a fever after "low back pain and" is not the back's."""
    kinds = {s.lex.value(h.concept, LEX.observationKind) for h in (first, second)}
    flags = {str(first.concept), str(second.concept)} & _RED_FLAG_TYPES
    return len(kinds) == 1 and not flags


def _radicular(s: Sentence, hit: Hit, regions: list[URIRef]) -> list[URIRef]:
    concept = s.lex.value(hit.concept, LEX.examType) or hit.concept
    if str(hit.concept) not in _RADICULAR and str(concept) not in _RADICULAR:
        return regions
    sources = {r: s.lex.value(r, LEX.radicularSource) for r in regions}
    spinal = [r for r in regions if sources[r] is None and "Spine" in str(r)]
    mapped = [r if sources[r] is None else sources[r] for r in regions if r not in spinal]
    return list(dict.fromkeys(spinal or mapped))  # type: ignore[arg-type]


def care(s: Sentence) -> list[Draft]:
    """Courses of conservative care (not injections) tried or ongoing, with response and length.

    A mention counts when the sentence says care was done, is ongoing or helped (or not), unless a
    plan cue precedes it ("treatment plan included ..."); "continued" care always counts. Care that
    was only prescribed or ordered (find:CareOrdered: "he was prescribed physical therapy") has not
    been tried and is not recorded, unless it is a medication, which is taken when prescribed."""
    ordered = _label_matcher(s, FIND.CareOrdered)
    given = [h for h in s.hits("Performed") if ordered.search(h.text) is None]
    underway = _label_matcher(s, FIND.CareUnderway).search(s.text) is not None
    done = bool(given) or underway or s.has("response")
    prescribed = s.has("Performed") and not done
    groups: dict[URIRef, list[Hit]] = {}
    for hit in s.hits("care"):
        mods = s.modifiers(hit.start, hit.end)
        if mods.negated or mods.hypothetical:
            continue
        continued = re.search(
            r"continu\w*\s+(?:[^\s,]+\s+){0,3}$", s.text[max(0, hit.start - 40) : hit.start]
        )
        planned = any(c.end <= hit.start for c in s.hits("plan"))
        care_type = s.lex.value(hit.concept) if hit.concept == ITEM.Medication else hit.concept
        taken = prescribed and care_type == FINDING_CARE_MEDICATION  # a prescribed drug is taken
        if not continued and (planned or not (done or taken)):
            continue
        groups.setdefault(care_type or hit.concept, []).append(hit)
    return [_care(s, care_type, hits) for care_type, hits in groups.items()]


def _response(s: Sentence, cue: Hit) -> URIRef | None:
    """The response a cue states; a negated cue of benefit states none ("with no lasting
    benefit", "without significant improvement", "did not provide any relief"): the lexicon
    cannot list every word a negation and its benefit word may be separated by, so the ConText
    negation of the benefit word decides."""
    value = s.lex.value(cue.concept)
    if value not in (IMR.Improvement, IMR.PartialImprovement):
        return value
    negated = s.modifiers(cue.start, cue.end).negated or any(
        c.category == "NEGATED_EXISTENCE" and c.direction == "PSEUDO" and c.start <= cue.start
        for c in s.cues.found
        if cue.end <= c.end
    )  # a pseudo-trigger holding the benefit word ("no lasting benefit") negates the benefit
    return IMR.NoImprovement if negated else value


def _care(s: Sentence, care_type: URIRef, hits: list[Hit]) -> Draft:
    values: list[tuple[str, object]] = [("careType", care_type)]
    first, last = hits[0], hits[-1]
    a, b = s.clause(first.start, last.end, ";:")
    responses = [h for h in s.hits("response") if a <= h.start < b]
    if responses:
        nearest = min(responses, key=lambda h: min(abs(h.start - x.end) for x in hits))
        values.append(("response", _response(s, nearest)))
    regions = [h.concept for h in pre_chain(s, max(a, first.start - 40), first.start)]
    if _FOR_REGION.match(s.text[last.end : b]):
        regions += [h.concept for h in post_chain(s, last.end, min(b, last.end + 90))]
    values += [("bodyRegion", r) for r in narrowest(s, regions)]
    left, right = s.clause(first.start, last.end, ";:,")
    values += care_time(s, hits, (left, right))
    near = s.text[max(left, first.start - 40) : min(right, last.end + 40)]
    sessions = find_sessions(near)
    phrase = s.text[first.start : last.end]
    described = f"{phrase} ({near[sessions[0][0] : sessions[0][1]]})" if sessions else phrase
    values.append(("description", described[:160]))
    return Draft("ConservativeCareEpisode", values, s.start, s.end, ", ".join(h.text for h in hits))
