"""Rule-based, explainable extraction of clinical facts from a letter's clinical case summary.

Every fact names the sentence that states it (raw offsets) and the words that triggered the rule.
The trigger words are data (`data/lexicon/finding-terms.ttl`); the rules here say what a cue means:
who the worker is, when the injury was, diagnoses (with a project ICD-10-CM mapping where the
wording makes the code certain), surgeries and planned procedures, prior studies and their
reading, symptoms and examination findings (ConText negation and hedging, change of status,
nerve roots), and courses of conservative care with their response. Sentences that state what
utilization review or a reviewer decided, or what was requested, yield nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rdflib import URIRef

from ._context import Clinical, Sentence, clinical, normalize
from ._dates import find_dates, parse_date
from ._findings import care, observations, studies
from ._rules import Draft, State, diagnoses, injuries, procedures, worker
from ._timing import comparison_dates
from .vocab import IMR

__all__ = ["ExtractedFact", "extract_facts", "parse_date"]

_SLUGS = {
    "InjuredWorker": "worker",
    "Injury": "injury",
    "Diagnosis": "diagnosis",
    "Surgery": "surgery",
    "InjectionGiven": "injection",
    "PlannedProcedure": "planned-procedure",
    "ImagingStudy": "imaging-study",
    "ElectrodiagnosticStudy": "electrodiagnostic-study",
    "Symptom": "symptom",
    "ExaminationFinding": "examination-finding",
    "NeurologicFinding": "neurologic-finding",
    "ConservativeCareEpisode": "conservative-care",
}


@dataclass(frozen=True)
class ExtractedFact:
    """One clinical fact: its imr class, its property values and the sentence that states it.

    `values` pairs an imr property local name with a value: a `str` literal, an `int`, a `bool`,
    a `datetime.date`, or an `rdflib.URIRef` (a scheme concept or imr individual; URIRef is a str).
    A property may occur more than once (e.g. several `bodyRegion`s or `levels`).
    """

    key: str
    kind: str
    values: tuple[tuple[str, object], ...]
    start: int
    end: int
    cue: str

    def get(self, prop: str) -> object | None:
        """The first value of `prop`, or None."""
        return next((v for p, v in self.values if p == prop), None)

    def all(self, prop: str) -> tuple[object, ...]:
        """Every value of `prop`, in order."""
        return tuple(v for p, v in self.values if p == prop)


def extract_facts(
    text: str,
    sentence_spans: Sequence[tuple[int, int]],
    *,
    injury_date: date | None = None,
    reference_date: date | None = None,
) -> list[ExtractedFact]:
    """Extract the clinical facts stated in the given sentences of `text`, in reading order.

    `injury_date` (the letter header's date of injury) dates the original injury when the summary
    names the injury without a date; `reference_date` (e.g. the decision date) resolves relative
    dates ("two weeks ago") when no dated visit precedes them. Keys are `<kind-slug>-<n>`.

    Examples
    --------
    >>> text = "The injured worker is a 48 year old male. He denies bowel or bladder dysfunction."
    >>> [(f.key, f.get("ageYears")) for f in extract_facts(text, [(0, 41)])]
    [('worker-1', 48)]
    >>> fact = extract_facts(text, [(42, len(text))])[0]
    >>> fact.kind, str(fact.get("presence")).rsplit("#")[-1], (fact.start, fact.end)
    ('Symptom', 'Absent', (42, 81))
    """
    lex = clinical()
    state = State(reference=reference_date, injury_date=injury_date)
    drafts: list[Draft] = []
    for start, end in sentence_spans:
        for piece in _pieces(normalize(text[start:end])):
            state.index += 1
            sentence = _sentence(lex, piece, start, end, state, reference_date)
            if sentence is not None:
                drafts += _facts(sentence, state)
    _date_original_injury(state, injury_date)
    return _keyed(drafts)


_RUN_ON = re.compile(r"(?<=[a-z0-9)\]][.?!])(?=[A-Z][a-z])")


def _pieces(normalized: str) -> list[str]:
    """A span's sentences: letters sometimes print "2016.In a utilization review ..." with no
    space, so a splitter may hand over two sentences as one; each is judged on its own (the
    facts still cite the whole span)."""
    return [p for p in _RUN_ON.split(normalized) if p.strip()]


def _sentence(
    lex: Clinical, normalized: str, start: int, end: int, state: State, reference: date | None
) -> Sentence | None:
    """The sentence, or None when it is administrative (what UR or a reviewer decided)."""
    explicit = find_dates(normalized)
    anchor = explicit[0].value if explicit else (state.encounter or reference)
    sentence = Sentence(start, end, normalized, lex, anchor)
    return None if sentence.has("Administrative") else sentence


def _facts(s: Sentence, state: State) -> list[Draft]:
    """All facts of one sentence, in a fixed rule order (so keys are deterministic)."""
    _update_encounter(s, state)
    found = worker(s, state) + injuries(s, state)
    listed, dx_span = diagnoses(s)
    state.study_scopes = []
    done = procedures(s, state)
    _remember_dates(state, found + done)
    found += listed + done + studies(s, state)
    found += observations(s, state, dx_span) + care(s)
    return found


def _remember_dates(state: State, drafts: list[Draft]) -> None:
    """The injury and surgery dates "since the injury" and "since surgery" refer to: the header's
    date of injury, else the summary's first injury; the latest dated surgery so far."""
    if state.injury_date is None and state.injuries:
        first = state.injuries[0].first("date")
        state.injury_date = first if isinstance(first, date) else None
    for draft in drafts:
        when = draft.first("date")
        if draft.kind == "Surgery" and isinstance(when, date):
            state.surgery_date = when


def _update_encounter(s: Sentence, state: State) -> None:
    """A dated visit sentence sets the date later undated observations inherit; a comparison
    date ("these deficits were not present on 5/2") dates an earlier state, not the visit."""
    earlier = comparison_dates(s)
    explicit = [d for d in s.dates if not d.relative and d not in earlier]
    injury_cue = s.has("InjuryCue") or s.has("ReinjuryCue")
    if explicit and s.has("VisitCue") and not injury_cue:
        state.encounter = explicit[0].value
        state.encounter_index = state.index


def _date_original_injury(state: State, injury_date: date | None) -> None:
    """Give the original injury the header's date when the summary states none."""
    original = state.injuries[0] if state.injuries else None
    if original is None or injury_date is None:
        return
    if original.first("date") is None:
        original.values += [
            ("date", injury_date),
            ("dateCertainty", IMR.InferredFromRecord),
            ("dateBasis", "the letter header's date of injury; the summary states none"),
        ]
    elif original.first("date") != injury_date:
        original.values.append(
            ("description", f"the letter header gives {injury_date.isoformat()} as date of injury")
        )


def _keyed(drafts: list[Draft]) -> list[ExtractedFact]:
    counts: dict[str, int] = {}
    facts = []
    for draft in drafts:
        slug = _SLUGS[draft.kind]
        counts[slug] = counts.get(slug, 0) + 1
        facts.append(
            ExtractedFact(
                key=f"{slug}-{counts[slug]}",
                kind=draft.kind,
                values=tuple(draft.values),
                start=draft.start,
                end=draft.end,
                cue=draft.cue,
            )
        )
    return facts


def iri_name(value: object) -> str:
    """Local name of an IRI value (for messages and tests), the value itself otherwise.

    Examples
    --------
    >>> iri_name(IMR.Absent), iri_name(URIRef("https://w3id.org/imrkg/scheme/region/Hip")), 7
    ('Absent', 'Hip', 7)
    """
    if isinstance(value, URIRef):
        return re.split(r"[#/]", str(value))[-1]
    return str(value)
