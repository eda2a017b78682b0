"""When a fact of a sentence holds: an observation's date and onset, a course of care's length.

An observation takes the date its sentence states, except a comparison date ("not present on
8/27", "compared with the MRI of 1/5/2016"), which dates the earlier state, and a "since" date,
which is its onset; else the dated visit described earlier; else, when the sentence speaks of the
present ("currently", "continues", "for the past three months", "since the injury"), the letter's
reference date (UR's decision: the record as it stood then), marked inferred. Its onset is the
"since ..." or look-back phrase of its clause that no course of care owns ("eight weeks of
physical therapy" is the therapy's length, not the pain's). A course of care takes the length,
session count and stated weekly frequency written next to it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ._context import Sentence, dated
from ._dates import DateMention
from ._durations import (
    CONTINUING,
    ONSET_BEFORE_DATE,
    Onset,
    find_durations,
    find_frequency,
    find_onsets,
    find_sessions,
)
from ._lexicon import Hit
from ._rules import State, carried
from .vocab import IMR

__all__ = ["absent_before", "care_time", "comparison_dates", "observation_time"]

_COMPARISON = re.compile(
    r"\b(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|relative\s+to|than|unlike|"
    r"since)\b[^.;:]{0,45}$",
    re.I,
)
"""Words before a date that make it the date of an earlier state the finding is measured
against ("compared with the MRI of 1/5/2016"), or its onset ("since 3/1/2016"), not the date
the finding was observed."""
_NOT_THEN = re.compile(
    r"\b(?:(?:was|were|had\s+been)\s+)?(?:not\s+(?:present|seen|noted|found|documented|reported|"
    r"evident|there)|absent|previously)\b[^.;:,]{0,30}$",
    re.I,
)
"""An earlier state named apart from the finding: in "new weakness of the deltoid, not present
on 8/27" the date is when the weakness was absent. In "weakness was not present on 8/27" the
clause is the finding's own negation, and 8/27 is its date."""
_ANAPHOR = re.compile(r"\b(?:these|those|such|this|the\s+same|the\s+above)\s+$", re.I)
"""A finding word that refers back ("these deficits were not present on 5/2") names the findings
stated before it, so the clause is apart from them and its date is a comparison date."""
_CURRENT = re.compile(r"\b(?:currently|at present|presently|at this time|now)\b", re.I)
_OF_CARE = re.compile(
    r"^\s*(?:(?:course|trial|program|programme|regimen|block)\s+)?(?:of|in)\s+"
    r"(?:(?:formal|supervised|outpatient|prior|conservative|land-based|aquatic)\s+)?$",
    re.I,
)
_CARE_THEN = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:[\w/-]+\s+){0,5}$")


def comparison_dates(s: Sentence) -> list[DateMention]:
    """Dates of the sentence that date an earlier state or an onset, not an observation."""
    if not s.dates:
        return []
    found = []
    own = [
        f for f in s.hits("findings") if not _ANAPHOR.search(s.text[max(0, f.start - 12) : f.start])
    ]
    for d in s.dates:
        clause_start, _ = s.clause(d.start, d.end, ";:")
        before = s.text[clause_start : d.start]
        if _COMPARISON.search(before) or ONSET_BEFORE_DATE.search(before[-30:]):
            found.append(d)
            continue
        comma_start, _ = s.clause(d.start, d.end, ";:,")
        apart = not any(comma_start <= f.start < d.start for f in own)
        if apart and _NOT_THEN.search(s.text[comma_start : d.start]):
            found.append(d)
    return found


def absent_before(s: Sentence, hit: Hit) -> bool:
    """Whether the sentence says the finding was absent at an earlier date, apart from its own
    clause ("wrist extension was 4/5 ...; these deficits were not present on 5/2/2016", "new
    weakness of the deltoid, not present on 8/27"): a finding present now and absent then is
    new, a change since that date."""
    for d in comparison_dates(s):
        comma_start, _ = s.clause(d.start, d.end, ";:,")
        if hit.end <= comma_start and _NOT_THEN.search(s.text[comma_start : d.start]):
            return True
    return False


def observation_time(
    s: Sentence, state: State, hit: Hit, *, negated: bool
) -> list[tuple[str, object]]:
    """The date values of an observation, then its onset values (imr:onsetDate and basis)."""
    earlier = comparison_dates(s)
    own = [d for d in s.dates if d not in earlier]
    onset = None if negated else _onset(s, state, hit, own)
    if own:
        when = min(own, key=lambda d: min(abs(d.start - hit.end), abs(hit.start - d.end)))
        values = dated(when, s, f"stated as {when.text}")
    elif state.encounter is not None:
        values = carried(state)
    elif state.reference is not None and (onset is not None or _speaks_of_now(s)):
        # the summary describes the record as it stood when UR decided, the latest date it can
        # speak of: "currently", "continues", "for the past three months", "since the injury"
        values = [
            ("date", state.reference),
            ("dateCertainty", IMR.InferredFromRecord),
            ("dateBasis", f"stated as current; the letter's reference date ({state.reference})"),
        ]
    else:
        values = []
    if onset is not None:
        values.append(("onsetDate", onset.value))
        if onset.inferred:
            values.append(("onsetCertainty", IMR.InferredFromRecord))
        values.append(("onsetBasis", onset.basis))
    return values


def _speaks_of_now(s: Sentence) -> bool:
    return bool(_CURRENT.search(s.text) or CONTINUING.search(s.text))


def _anchor(state: State, own: list[DateMention]) -> date | None:
    """The date the sentence speaks of: its own date, the visit's, else the reference date."""
    return own[0].value if own else (state.encounter or state.reference)


def _onset(s: Sentence, state: State, hit: Hit, own: list[DateMention]) -> Onset | None:
    """The onset phrase of the mention's clause nearest to it, unless a course of care owns it
    or a care word stands between them."""
    onsets = find_onsets(
        s.text,
        anchor=_anchor(state, own),
        dates=s.dates,
        injury=state.injury_date,
        surgery=state.surgery_date,
    )
    a, b = s.clause(hit.start, hit.end, ";:")
    care = s.hits("care")
    candidates = [
        o
        for o in onsets
        if a <= o.start < b
        and not _owned_by_care(s, o.start, o.end, care)
        and not any(min(o.end, hit.end) <= c.start < max(o.start, hit.start) for c in care)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda o: min(abs(o.start - hit.end), abs(hit.start - o.end)))


def _owned_by_care(s: Sentence, start: int, end: int, care: list[Hit]) -> bool:
    """Whether a length is a course of care's: "eight weeks of physical therapy", "PT x 6
    weeks", "physical therapy (12 sessions) for 6 weeks"."""
    findings = s.hits("findings")
    for c in care:
        if c.start >= end and _OF_CARE.match(s.text[end : c.start]):
            return True
        between = any(c.end <= f.start and f.end <= start for f in findings)
        if c.end <= start and _CARE_THEN.match(s.text[c.end : start]) and not between:
            return True
    return False


def care_time(s: Sentence, hits: list[Hit], bounds: tuple[int, int]) -> list[tuple[str, object]]:
    """durationDays, sessionCount and sessionsPerWeek stated next to a course of care (within
    `bounds`, its comma clause, and 40 characters either side), and its start date ("since
    3/1/2016", "started on ...")."""
    first, last = hits[0], hits[-1]
    lo, hi = max(bounds[0], first.start - 40), min(bounds[1], last.end + 40)
    near = s.text[lo:hi]
    values: list[tuple[str, object]] = []
    lengths = [d for d in find_durations(near) if _owned_by_care(s, lo + d.start, lo + d.end, hits)]
    if lengths:
        values.append(("durationDays", lengths[0].days))
    sessions = find_sessions(near)
    if sessions:
        values.append(("sessionCount", sessions[0][2]))
        frequency = find_frequency(near)
        if frequency is not None:
            # xsd:decimal, as the intake shape asks (a float would be written as xsd:double)
            values.append(("sessionsPerWeek", Decimal(f"{frequency[2]:.2f}")))
    for d in s.dates:
        if lo <= d.start < hi and re.search(
            r"\b(?:since|started|starting|began|beginning|initiated)\s+(?:on\s+|in\s+)?$",
            s.text[max(lo, d.start - 20) : d.start],
            re.I,
        ):
            values += [("startDate", d.value)]
            break
    return values
