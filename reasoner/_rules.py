"""Extraction rules for who the worker is, when the injury was, what was diagnosed, and what was
operated on or is planned.

Rules read a `Sentence` (its cue hits come from the lexicon) and return `Draft` facts; keys are
given later. Spinal levels are expanded ("C4-7" is C4-C5, C5-C6, C6-C7); a diagnosis gets a
project ICD-10-CM code only when its condition word and region make the code certain; a planned
procedure takes the status of the plan cue nearest before it ("recommended" epidural, "before
consideration of" surgery), and a declining cue ("not a surgical candidate") wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import URIRef

from ._context import FIND, GAP_STOP, Sentence, dated, narrowest, nearest_date
from ._lexicon import LEX, Hit, literal_of
from ._terminology import icd10cm as icd10cm_codes
from .vocab import BASE, IMR, REGION

__all__ = [
    "Draft",
    "State",
    "diagnoses",
    "injuries",
    "procedures",
    "worker",
]

PROC = BASE + "scheme/procedure/"
_WRITTEN_CODE = re.compile(r"(?<![\w.-])([A-TV-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4})(?![\w.-])")
"""An ICD-10-CM code as a summary writes it, with its dot ("M54.12"); dotless strings are not
read as codes, since spinal levels ("T12") look like categories."""
_AGE_SEX = re.compile(
    r"\b(\d{1,3})[-\s]+years?[-\s]+old\s+(?:[a-z]+\s+){0,2}?(male|female|man|woman|gentleman|lady)\b",
    re.I,
)
_MECH_AS = re.compile(
    r"mechanism\s+of\s+(?:the\s+)?injury\s+(?:(?:is|was)\s+)?(?:\w+\s+)?(?:as\s+|:\s*|of\s+)(?P<m>[^.;]+)",
    re.I,
)
_MECH_CLAUSE = re.compile(r"\b(?:when|while|after|due\s+to)\s+(?P<m>[^.;,]+)", re.I)
_MECH_END = re.compile(
    r"\s+and\s+(?:subsequently|then|later|underwent|was|has|had)\b|[,;.]|\s+on\s+\d"
)
_LEVEL = re.compile(r"\b([CTL])(\d{1,2})\s*-\s*([CTLS])?(\d{1,2})\b")
_LIST_END = re.compile(
    r"\.(?:\s|$)|\b(?:reportedly|associated\s+with|secondary\s+to|as\s+a\s+result\s+of|attributed\s+to"
    r"|who|which|according\s+to|per\s+the|since)\b",
    re.I,
)
_FILLER = re.compile(
    r"^(?:[\s,:;\"'-]|\b(?:are|is|were|was|has|have|been|included|includes|include|consist(?:s|ed)?"
    r"|documented|noted|listed|as|of|the|following|currently|having|diagnos[ie]s|diagnosed|with|that)\b)*",
    re.I,
)
_SIDE_ONLY = re.compile(
    r"^(?:right|left|bilateral|both|the|\s|,|and|/|subsequent|initial|sequela|encounter|unspecified)*$",
    re.I,
)
_ICD_NAMES = "muscle, fascia and tendon"


@dataclass
class Draft:
    """A fact before its key is assigned."""

    kind: str
    values: list[tuple[str, object]]
    start: int
    end: int
    cue: str

    def first(self, prop: str) -> object | None:
        return next((v for p, v in self.values if p == prop), None)


@dataclass
class State:
    """What earlier sentences established: the worker, injuries, the last dated visit."""

    index: int = 0
    has_worker: bool = False
    injuries: list[Draft] = field(default_factory=list)
    injury_index: int = -1
    injury_by_mechanism: bool = False
    """The only injury so far was read from a mechanism sentence (no injury statement yet)."""
    encounter: date | None = None
    encounter_index: int = -1
    exam_regions: tuple[int, list[URIRef]] = (-9, [])
    study_scopes: list[tuple[int, int, list[URIRef]]] = field(default_factory=list)
    reference: date | None = None  # the letter's reference date (UR's decision)
    injury_date: date | None = None  # the original injury's, for "since the injury"
    surgery_date: date | None = None  # the latest dated surgery's, for "since surgery"


def worker(s: Sentence, state: State) -> list[Draft]:
    """The injured worker's age and sex, from the first "N year old male/female"."""
    match = _AGE_SEX.search(s.text)
    if state.has_worker or not match:
        return []
    state.has_worker = True
    sex = IMR.Male if match.group(2).lower() in ("male", "man", "gentleman") else IMR.Female
    values: list[tuple[str, object]] = [("ageYears", int(match.group(1))), ("sex", sex)]
    values.append(("description", f"{match.group(1)}-year-old {match.group(2).lower()}"))
    return [Draft("InjuredWorker", values, s.start, s.end, match.group())]


def injuries(s: Sentence, state: State) -> list[Draft]:
    """The original injury (date, mechanism, region) and any later re-injury."""
    mechanism = _mechanism(s)
    if mechanism and state.injuries and state.injury_index == state.index - 1:
        original = state.injuries[0]
        if original.first("mechanism") is None and len(state.injuries) == 1:
            original.values.append(("mechanism", mechanism))
            original.end, original.cue = s.end, f"{original.cue}; {mechanism}"
    re_cues = [h for h in s.hits("ReinjuryCue") if not s.modifiers(h.start, h.end).negated]
    cues = s.hits("InjuryCue")
    if re_cues and state.injuries:
        return [_injury(s, state, re_cues[0], mechanism, "re-injury")]
    if cues and state.injury_by_mechanism and len(state.injuries) == 1:
        return _complete(s, state, state.injuries[0], cues[0])
    if cues and not state.injuries and (s.dates or state.index <= 3):
        return [_injury(s, state, cues[0], mechanism, "original industrial injury")]
    event = _mechanism_event(s) if mechanism and not state.injuries else None
    if event is not None and state.index <= 3:
        state.injury_by_mechanism = True
        return [_injury(s, state, event, mechanism, "injury event")]
    return []


def _mechanism_event(s: Sentence) -> Hit | None:
    """The mechanism verb of a sentence that tells how the worker got hurt ("she slipped on ice
    on 11/28/2016 and now has low back pain", "after a fall onto the outstretched hand she
    has ..."), when the letter has stated no injury yet: the event is the injury, with the
    region and date its sentence gives. A mechanism negated, hypothetical, another person's or
    in the past history ("a history of falls") is no injury event."""
    for verb in s.hits("Mechanism"):
        mods = s.modifiers(verb.start, verb.end)
        if mods.negated or mods.hypothetical or mods.other_experiencer or mods.historical:
            continue
        if mods.uncertain or mods.ruled_out:
            continue
        if _GIVEN.search(s.text[max(0, verb.start - 12) : verb.start]):
            continue  # "after the twisting injury": an event stated elsewhere, referred back to
        return verb
    return None


_GIVEN = re.compile(r"\b(?:the|that|this|same)\s+$", re.I)
"""A definite word before a mechanism ("after the twisting injury") refers back to an event the
letter states elsewhere; it does not tell the event itself. A possessive ("following her fall at
work on 1/5/2016") often is the first statement of the injury, so it does not count."""


def _complete(s: Sentence, state: State, injury: Draft, cue: Hit) -> list[Draft]:
    """An injury statement after the mechanism sentence that announced the injury completes it
    (its date, its regions when the mechanism named none) instead of adding a second one."""
    state.injury_by_mechanism = False
    when = nearest_date(s.dates, cue.end)
    if injury.first("date") is None and when is not None:
        at = next(i for i, (p, _) in enumerate(injury.values) if p == "description")
        injury.values[at:at] = dated(when, s, f"the injury sentence states {when.text}")
    if injury.first("bodyRegion") is None:
        regions = narrowest(s, [h.concept for h in s.hits("regions")])
        at = next(i for i, (p, _) in enumerate(injury.values) if p == "description")
        injury.values[at:at] = [("bodyRegion", r) for r in regions]
    injury.cue = f"{injury.cue}; {cue.text}"
    injury.end = s.end
    return []


def _injury(s: Sentence, state: State, cue: Hit, mechanism: str | None, what: str) -> Draft:
    values: list[tuple[str, object]] = []
    when = nearest_date(s.dates, cue.end)
    if when is not None:
        values += dated(when, s, f"the injury sentence states {when.text}")
    if mechanism:
        values.append(("mechanism", mechanism))
    values += [("bodyRegion", r) for r in narrowest(s, [h.concept for h in s.hits("regions")])]
    values.append(("description", what + (f" ({mechanism})" if mechanism else "")))
    draft = Draft("Injury", values, s.start, s.end, cue.text)
    state.injuries.append(draft)
    state.injury_index = state.index
    return draft


def _mechanism(s: Sentence) -> str | None:
    match = _MECH_AS.search(s.text)
    if match:
        return match.group("m").strip()[:120]
    verbs = s.hits("Mechanism")
    for clause in _MECH_CLAUSE.finditer(s.text):
        if any(clause.start("m") <= h.start < clause.end("m") for h in verbs):
            return clause.group("m").strip()[:120]
    if verbs and len(s.text[: verbs[0].start].split()) <= 6 and not s.has("InjuryCue"):
        tail = s.text[verbs[0].start :]
        stop = _MECH_END.search(tail)
        return tail[: stop.start() if stop else len(tail)].strip()[:120]
    return None


def diagnoses(s: Sentence) -> tuple[list[Draft], tuple[int, int]]:
    """Diagnoses listed after a cue ("diagnoses included ...", "being treated for ..."), and the
    span of the list (findings inside it are diagnoses, not observations)."""
    cue = next((h for h in s.hits("DiagnosisCue") if not s.modifiers(h.start, h.end).negated), None)
    if cue is None:
        return [], (0, 0)
    tail = s.text[cue.end :]
    stop = _LIST_END.search(tail)
    dates = [d.start - cue.end for d in s.dates if d.start > cue.end]
    end = min([stop.start() if stop else len(tail), *dates])
    listed = tail[:end].replace(_ICD_NAMES, "muscle/fascia/tendon")
    listed = listed[_FILLER.match(listed).end() :]  # type: ignore[union-attr]
    drafts: list[Draft] = []
    previous: tuple[str, list[URIRef]] = ("", [])
    prefix = ""
    for item, joined_by_and in _split_items(listed):
        if _region_only(s, item):
            if drafts and not prefix:  # "strain ... at upper arm level, right arm": a qualifier
                last = drafts.pop()
                item = f"{last.first('description')}, {item}"
            else:  # "neck, shoulder, and arm pain": regions sharing the next item's head
                prefix += f"{item}, "
                continue
        item, prefix = prefix + item, ""
        draft = _diagnosis(s, item, previous if joined_by_and else ("", []))
        if draft is not None:
            drafts.append(draft)
            previous = (item, [r for p, r in draft.values if p == "bodyRegion"])  # type: ignore[misc]
    return drafts, (cue.start, cue.end + end)


def _split_items(listed: str) -> list[tuple[str, bool]]:
    pieces = [p for p in re.split(r";" if ";" in listed else r",", listed) if p.strip()]
    items: list[tuple[str, bool]] = []
    for piece in pieces:
        parts = re.split(r"\s+and\s+(?!tendon)", re.sub(r"^\s*and\s+", "", piece))
        items += [(part, i > 0) for i, part in enumerate(parts)]
    return [(_balanced(i).replace("muscle/fascia/tendon", _ICD_NAMES), j) for i, j in items]


def _balanced(item: str) -> str:
    """The item without surrounding quotes, stops and unbalanced parentheses."""
    item = item.strip(" .\"'")
    if item.count("(") > item.count(")"):
        item = item + ")" if item.rfind("(") > item.rfind(" ") - 6 else item.replace("(", "")
    return item.strip(" .\"'") if item.count(")") <= item.count("(") else item.strip(" .\"')")


def _diagnosis(s: Sentence, item: str, previous: tuple[str, list[URIRef]]) -> Draft | None:
    probe = Sentence(s.start, s.end, item, s.lex)
    if len(item) < 3 or (_SIDE_ONLY.match(_strip_regions(s, item)) and not probe.has("conditions")):
        return None
    hedge = next((c for c in probe.cues.found if c.direction != "PSEUDO"), None)
    if hedge is not None and hedge.start == 0 and hedge.category == "RULE_OUT":
        return None
    uncertain = hedge is not None and hedge.start == 0 and hedge.category == "POSSIBLE_EXISTENCE"
    regions = narrowest(probe, [h.concept for h in probe.hits("regions")])
    conditions = sorted(probe.hits("conditions"), key=lambda h: s.lex.rank(h.concept))
    context = item
    if not regions and previous[1] and len(item.split()) <= 3:
        regions, context = previous[1], f"{previous[0]} {item}"
    values: list[tuple[str, object]] = [("description", item)]
    values += [("bodyRegion", r) for r in regions]
    written = _written_code(item)
    code = None if uncertain or not conditions else icd10cm(s, conditions[0].concept, context)
    if written or code:
        values += [
            ("icd10cm", written or code),
            ("codeSystemVersion", icd10cm_codes().release),
            ("isProjectMapping", not written),
        ]
    if uncertain:
        values.append(("certainty", IMR.Equivocal))
    return Draft("Diagnosis", values, s.start, s.end, item)


def _written_code(item: str) -> str | None:
    """The first ICD-10-CM code the item writes that is a code of the release imrkg reads; a
    code-shaped string the release does not hold is not taken for one."""
    codes = icd10cm_codes()
    return next((m for m in _WRITTEN_CODE.findall(item) if codes.is_code(m)), None)


def icd10cm(s: Sentence, condition: URIRef, wording: str) -> str | None:
    """The project's ICD-10-CM code for a condition in `wording`, if the region makes it certain."""
    graph = s.lex.graph
    rows = sorted(graph.subjects(LEX.condition, condition), key=lambda r: s.lex.rank(r))  # type: ignore[arg-type]
    for row in rows:
        pattern = literal_of(graph, row, LEX.regionWord)
        if pattern and re.search(pattern, wording):
            return literal_of(graph, row, LEX.icd10cm)
    return None


def procedures(s: Sentence, state: State) -> list[Draft]:
    """Surgeries done (with date, region, levels) and invasive procedures planned or declined."""
    groups: dict[str, list[tuple[Hit, URIRef | None]]] = {}
    for hit in s.hits("procedures"):
        mods = s.modifiers(hit.start, hit.end)
        if mods.ruled_out or (mods.negated and _plan_status(s, hit) != IMR.Declined):
            continue
        kind = _procedure_type(s, hit)
        label = str(kind) if kind else _UNTYPED.get(hit.concept, "surgery")
        groups.setdefault(label, []).append((hit, kind))
    _drop_generic(s, groups)
    performed = s.has("Performed") or bool(s.dates)
    drafts: list[Draft] = []
    for members in groups.values():
        status = _plan_status(s, members[0][0])
        if status is None and not performed:
            continue
        drafts += _procedure(s, state, members, status)
    return drafts


_UNTYPED = {FIND.OtherInjection: "injection", FIND.GenericSurgery: "generic surgery"}


def _drop_generic(s: Sentence, groups: dict[str, list[tuple[Hit, URIRef | None]]]) -> None:
    """Drop the generic surgery words ("surgery", "surgical") when the sentence names an operation
    with the same plan status: "he is a surgical candidate for an L4-S1 fusion" states one planned
    fusion, not a fusion and an unnamed operation besides. Generic words whose plan status
    differs from every named operation's stay a fact of their own."""
    generic = groups.get("generic surgery")
    if not generic:
        return
    status = _plan_status(s, generic[0][0])
    others = [members for label, members in groups.items() if label != "generic surgery"]
    if any(_plan_status(s, members[0][0]) == status for members in others):
        del groups["generic surgery"]


def _plan_status(s: Sentence, hit: Hit) -> URIRef | None:
    """The plan cue nearest before the mention (else nearest after): planned, considered, only
    possible, declined.

    A declining cue anywhere in the sentence wins ("not a surgical candidate"); then a condition in
    the mention's clause ("injection if symptoms persist"): the procedure is only a possibility."""
    plans = s.hits("plan")
    declined = [h for h in plans if s.lex.value(h.concept) == IMR.Declined]
    a, b = s.clause(hit.start, hit.end, ";:.")
    conditional = [h for h in plans if h.concept == FIND.PlanConditional and a <= h.start < b]
    before = [h for h in plans if h.end <= hit.start]
    chosen = declined or conditional or before[-1:] or [h for h in plans if h.start >= hit.end][:1]
    return s.lex.value(chosen[0].concept) if chosen else None


def _procedure(
    s: Sentence, state: State, members: list[tuple[Hit, URIRef | None]], status: URIRef | None
) -> list[Draft]:
    first, last, kind = members[0][0], members[-1][0], members[0][1]
    a, b = max(0, first.start - 40), min(len(s.text), last.end + 60)
    values: list[tuple[str, object]] = []
    if status is not None:
        values.append(("planStatus", status))
    if kind is not None:
        values.append(("procedureType", kind))
    regions = narrowest(s, [h.concept for h in s.regions_in(a, b)])
    levels = spinal_levels(s.text[a:b])
    if not regions and levels:
        regions = [_LEVEL_REGION[levels[0][0]]]
    values += [("bodyRegion", r) for r in regions] + [("levels", lv) for lv in levels]
    when = nearest_date(s.dates, first.end)
    if when is not None:
        values += dated(when, s, f"stated as {when.text}")
    elif status is not None and state.encounter is not None:
        values += carried(state)
    values.append(("description", _phrase(s, first, last, a, b)))
    kind_name = "PlannedProcedure" if status is not None else _performed_class(s, kind)
    drafts = [Draft(kind_name, values, s.start, s.end, ", ".join(h.text for h, _ in members))]
    if kind_name == "Surgery" and kind == URIRef(PROC + "SpinalFusion"):
        code = icd10cm(s, FIND.ArthrodesisStatus, "arthrodesis")
        dx = [("description", "arthrodesis status after spinal fusion")]
        dx += [("bodyRegion", r) for r in regions]
        dx += [
            ("icd10cm", code or "Z98.1"),
            ("codeSystemVersion", icd10cm_codes().release),
            ("isProjectMapping", True),
        ]
        drafts.append(Draft("Diagnosis", dx, s.start, s.end, first.text))  # type: ignore[arg-type]
    return drafts


def _performed_class(s: Sentence, kind: URIRef | None) -> str:
    """An injection already given is imr:InjectionGiven, any other procedure done imr:Surgery:
    the procedure scheme puts every injection type under proc:Injection, "an invasive procedure,
    but not surgery"."""
    injection = URIRef(PROC + "Injection")
    if kind is not None and (kind == injection or injection in s.lex.broader(kind)):
        return "InjectionGiven"
    return "Surgery"


def _phrase(s: Sentence, first: Hit, last: Hit, a: int, b: int) -> str:
    """The procedure as worded: its mentions with the region and level words around them."""
    near = [*s.regions_in(a, b)] + [
        Hit(first.concept, a + m.start(), a + m.end(), m.group())
        for m in _LEVEL.finditer(s.text[a:b])
    ]
    left = min(
        [first.start] + [h.start for h in near if h.end <= first.start and first.start - h.end < 12]
    )
    right = max(
        [last.end] + [h.end for h in near if h.start >= last.end and h.start - last.end < 25]
    )
    word_start = s.text.rfind(" ", 0, max(0, left - 1)) + 1
    if not GAP_STOP.match(s.text[word_start:left].strip(" ,;")):
        left = word_start
    phrase = s.text[left:right].strip(" ,.;")
    return phrase if len(phrase) < 160 else f"{phrase[:157]}..."


def _procedure_type(s: Sentence, hit: Hit) -> URIRef | None:
    if not str(hit.concept).startswith(PROC):
        return s.lex.value(hit.concept)  # a lexicon concept may name its type (lex:value)
    required = s.lex.value(hit.concept, LEX.requiresRegion)
    if required is None:
        return hit.concept
    a, b = max(0, hit.start - 40), min(len(s.text), hit.end + 60)
    near = [h.concept for h in s.regions_in(a, b)]
    spinal = any(c == required or required in s.lex.broader(c) for c in near)
    return hit.concept if spinal or spinal_levels(s.text[a:b]) else None


_LEVEL_REGION = {"C": REGION.CervicalSpine, "T": REGION.ThoracicSpine, "L": REGION.LumbarSpine}


def spinal_levels(text: str) -> list[str]:
    """Motion segments named in `text`, ranges expanded.

    A range that crosses a junction is expanded over it: "L4-S1" is L4-L5 and L5-S1, "C6-T1" is
    C6-C7 and C7-T1 (a fusion "from L4 to S1" spans two segments, not one), while "L5-S1" and
    "C7-T1" stay the single junctional segment.

    Examples
    --------
    >>> spinal_levels("fusion of the C4-7 levels"), spinal_levels("L4-5, L5-S1")
    (['C4-C5', 'C5-C6', 'C6-C7'], ['L4-L5', 'L5-S1'])
    >>> spinal_levels("L4-S1 fusion"), spinal_levels("C6-T1"), spinal_levels("C7-T1")
    (['L4-L5', 'L5-S1'], ['C6-C7', 'C7-T1'], ['C7-T1'])
    """
    levels: list[str] = []
    for m in _LEVEL.finditer(text):
        low = f"{m.group(1)}{int(m.group(2))}"
        high = f"{m.group(3) or m.group(1)}{int(m.group(4))}"
        if low not in _VERTEBRAE or high not in _VERTEBRAE:
            levels.append(f"{low}-{high}")
            continue
        a, b = _VERTEBRAE.index(low), _VERTEBRAE.index(high)
        levels += [f"{_VERTEBRAE[n]}-{_VERTEBRAE[n + 1]}" for n in range(a, b)]
    return list(dict.fromkeys(levels))


_VERTEBRAE = [f"C{n}" for n in range(1, 8)] + [f"T{n}" for n in range(1, 13)]
_VERTEBRAE += [f"L{n}" for n in range(1, 6)] + ["S1"]
"""The mobile vertebrae in order, so that a range of motion segments can cross a junction."""


def carried(state: State) -> list[tuple[str, object]]:
    """The last dated visit's date, marked as inferred."""
    assert state.encounter is not None
    basis = f"the date of the visit described earlier ({state.encounter.isoformat()})"
    return [
        ("date", state.encounter),
        ("dateCertainty", IMR.InferredFromRecord),
        ("dateBasis", basis),
    ]


def _region_only(s: Sentence, item: str) -> bool:
    """Whether a list item names only regions and sides ("neck", "right arm"), no condition."""
    probe = Sentence(s.start, s.end, item, s.lex)
    return (
        bool(item.strip())
        and not probe.has("conditions")
        and bool(_SIDE_ONLY.match(_strip_regions(s, item)))
    )


def _strip_regions(s: Sentence, item: str) -> str:
    probe = Sentence(s.start, s.end, item, s.lex)
    for hit in reversed(probe.hits("regions")):
        item = item[: hit.start] + item[hit.end :]
    return item
