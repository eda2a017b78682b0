"""One-line summaries of extracted facts, shared by the sentence-level extraction tests.

A summary names every value a test compares, so that a missing fact, a spurious one and a wrong
value all fail; '-' stands for a value the sentence does not state. `summary` is the format of
`tests/unit/test_extract_unseen.py`; `timed_summary` extends it, without changing what it shows
for a fact that has none of the new values, with the time and localisation values of issue 10:

- ``onset=YYYY-MM-DD``: an observation's ``onsetDate`` ("since the injury", "for the past three
  months"), shown whenever the fact has one;
- ``on=YYYY-MM-DD``: an observation's own ``date``, shown only when asked (``dated=True``: the
  paraphrase set's time items), because most sentences inherit it from a visit they do not state;
- ``days=N`` and ``sessions=N``: a care episode's ``durationDays`` and ``sessionCount``.
"""

from __future__ import annotations

from datetime import date

from reasoner.extract import ExtractedFact, iri_name

__all__ = ["summary", "timed_summary"]

_OBSERVATIONS = ("Symptom", "ExaminationFinding", "NeurologicFinding")
_STUDIES = ("ImagingStudy", "ElectrodiagnosticStudy")


def _names(fact: ExtractedFact, prop: str) -> str:
    return ",".join(iri_name(v) for v in fact.all(prop)) or "-"


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else "-"


def summary(fact: ExtractedFact) -> str:
    """One fact as "<kind>:<type> <regions> <status...>", '-' for a value not stated.

    Observations: type, regions, presence, then certainty, roots and clinical status when
    stated; studies: modality, regions, date, reading; care: type, regions, response;
    procedures: type, regions, plan status, levels, date; diagnoses: code and regions.
    """
    when = _iso(fact.get("date"))
    if fact.kind in _OBSERVATIONS:
        text = (
            f"{fact.kind}:{_names(fact, 'findingType')} {_names(fact, 'bodyRegion')}"
            f" {_names(fact, 'presence')}"
        )
        if fact.get("certainty") is not None:
            text += f" {_names(fact, 'certainty')}"
        if fact.all("nerveRoot"):
            text += f" roots={_names(fact, 'nerveRoot')}"
        if fact.get("clinicalStatus") is not None:
            text += f" {_names(fact, 'clinicalStatus')}"
        return text
    if fact.kind in _STUDIES:
        return (
            f"{fact.kind}:{_names(fact, 'modality')} {_names(fact, 'bodyRegion')} {when}"
            f" {_names(fact, 'interpretation')}"
        )
    if fact.kind == "ConservativeCareEpisode":
        care = f"{_names(fact, 'careType')} {_names(fact, 'bodyRegion')}"
        return f"Care:{care} {_names(fact, 'response')}"
    if fact.kind in ("Surgery", "InjectionGiven", "PlannedProcedure"):
        return (
            f"{fact.kind}:{_names(fact, 'procedureType')} {_names(fact, 'bodyRegion')}"
            f" {_names(fact, 'planStatus')} levels={_names(fact, 'levels')} {when}"
        )
    if fact.kind == "Diagnosis":
        return f"Diagnosis:{fact.get('icd10cm') or '-'} {_names(fact, 'bodyRegion')}"
    if fact.kind == "Injury":
        return f"Injury {_names(fact, 'bodyRegion')} {when}"
    return fact.kind


def timed_summary(fact: ExtractedFact, *, dated: bool = False) -> str:
    """`summary` followed by onset, (when `dated`) the observation's date, duration and sessions.

    Examples
    --------
    >>> from reasoner.extract import extract_facts
    >>> text = "She completed six sessions of occupational therapy for the hand."
    >>> [timed_summary(f) for f in extract_facts(text, [(0, len(text))])][0].split()[0]
    'Care:PhysicalTherapy'
    """
    text = summary(fact)
    if fact.kind in _OBSERVATIONS:
        if fact.get("onsetDate") is not None:
            text += f" onset={_iso(fact.get('onsetDate'))}"
        if dated and fact.get("date") is not None:
            text += f" on={_iso(fact.get('date'))}"
    if fact.kind == "ConservativeCareEpisode":
        if fact.get("durationDays") is not None:
            text += f" days={fact.get('durationDays')}"
        if fact.get("sessionCount") is not None:
            text += f" sessions={fact.get('sessionCount')}"
    return text
