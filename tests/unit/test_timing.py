"""Durations and relative times read into the timeline of extracted facts (reasoner._timing):
onsets, present-tense dating, comparison dates and care lengths, on invented sentences (not
letter text)."""

from __future__ import annotations

from datetime import date

from reasoner.extract import ExtractedFact, extract_facts, iri_name

INJURY, REFERENCE = date(2016, 3, 1), date(2016, 6, 3)


def facts(*sentences: str, **kwargs: object) -> list[ExtractedFact]:
    text, spans = "", []
    for sentence in sentences:
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence + " "
    options = {"injury_date": INJURY, "reference_date": REFERENCE} | kwargs
    return extract_facts(text, spans, **options)  # type: ignore[arg-type]


def of_kind(found: list[ExtractedFact], kind: str) -> list[ExtractedFact]:
    return [f for f in found if f.kind == kind]


def symptom(found: list[ExtractedFact], finding: str) -> ExtractedFact:
    matches = [
        f
        for f in found
        if f.kind in ("Symptom", "ExaminationFinding", "NeurologicFinding")
        and finding in {iri_name(v) for v in f.all("findingType")}
    ]
    assert len(matches) == 1, [(f.key, f.values) for f in found]
    return matches[0]


class TestOnsets:
    def test_since_the_injury_is_the_injury_date_and_persists_to_the_reference(self) -> None:
        found = facts("He reports neck pain radiating into the right arm since the injury.")
        pain = symptom(found, "RadiatingPain")
        assert pain.get("onsetDate") == INJURY
        assert iri_name(pain.get("onsetCertainty")) == "InferredFromRecord"
        assert pain.get("date") == REFERENCE  # stated as current, no visit date
        assert iri_name(pain.get("dateCertainty")) == "InferredFromRecord"

    def test_for_the_past_weeks_looks_back_from_the_visit(self) -> None:
        found = facts("On 5/20/2016 she reported low back pain for the past two weeks.")
        pain = symptom(found, "Pain")
        assert pain.get("date") == date(2016, 5, 20)
        assert pain.get("onsetDate") == date(2016, 5, 6)

    def test_for_the_past_months_looks_back_from_a_visit_described_earlier(self) -> None:
        found = facts(
            "She was seen on 4/14/2016.",
            "She has had numbness of the left hand over the past three months.",
        )
        numbness = symptom(found, "Numbness")
        assert numbness.get("date") == date(2016, 4, 14)
        assert numbness.get("onsetDate") == date(2016, 1, 14)  # calendar months

    def test_since_a_date_is_the_onset_not_the_observation_date(self) -> None:
        found = facts("He has had numbness in the right hand since 1/5/2016.")
        numbness = symptom(found, "Numbness")
        assert numbness.get("onsetDate") == date(2016, 1, 5)
        assert numbness.get("onsetCertainty") is None  # printed
        assert numbness.get("date") == REFERENCE

    def test_since_surgery_is_the_surgery_date(self) -> None:
        found = facts("Since the lumbar fusion on 6/2/2015 he has had persistent leg numbness.")
        numbness = symptom(found, "Numbness")
        assert numbness.get("onsetDate") == date(2015, 6, 2)
        assert numbness.get("date") != date(2015, 6, 2)

    def test_the_length_of_a_course_of_care_is_not_a_symptom_onset(self) -> None:
        found = facts(
            "He has neck pain and completed eight weeks of physical therapy without improvement."
        )
        assert symptom(found, "Pain").get("onsetDate") is None
        (therapy,) = of_kind(found, "ConservativeCareEpisode")
        assert therapy.get("durationDays") == 56

    def test_a_denied_symptom_has_no_onset(self) -> None:
        found = facts("He denies numbness since the injury.")
        assert symptom(found, "Numbness").get("onsetDate") is None

    def test_continuing_complaints_are_dated_at_the_reference_without_a_visit(self) -> None:
        found = facts("The injured worker continues to complain of low back pain.")
        assert symptom(found, "Pain").get("date") == REFERENCE

    def test_a_past_complaint_without_a_date_stays_undated(self) -> None:
        found = facts("The injured worker complained of low back pain.")
        assert symptom(found, "Pain").get("date") is None


class TestComparisonDates:
    def test_a_date_the_finding_is_compared_with_is_not_its_date(self) -> None:
        found = facts(
            "On 9/15/2016 there was new weakness of the right deltoid, not present on 8/27/2016."
        )
        assert symptom(found, "Weakness").get("date") == date(2016, 9, 15)

    def test_findings_referred_back_to_keep_the_visit_date_and_are_new(self) -> None:
        """ "these deficits were not present on <date>" names an earlier normal state: the visit
        sentence's date is not that date, and the deficits are new since it."""
        found = facts(
            "He was seen on 8/9/2016 for neck pain.",
            "On examination wrist extension was 4/5 on the right and the brachioradialis reflex"
            " was absent; these deficits were not present on 5/2/2016.",
        )
        for finding in ("Weakness", "ReflexChange"):
            fact = symptom(found, finding)
            assert fact.get("date") == date(2016, 8, 9)
            assert iri_name(fact.get("clinicalStatus")) == "New"

    def test_a_conjunction_that_is_no_reference_back(self) -> None:
        found = facts("He reports that numbness was not present on 5/2/2016.")
        assert symptom(found, "Numbness").get("date") == date(2016, 5, 2)

    def test_a_finding_of_its_own_dated_clause_is_not_made_new(self) -> None:
        found = facts("Weakness of the right deltoid was not present on 8/27/2016.")
        assert symptom(found, "Weakness").get("clinicalStatus") is None

    def test_compared_with_an_earlier_study(self) -> None:
        found = facts(
            "She was seen on 9/15/2016.",
            "Numbness of the left hand is worse compared with the MRI of 1/5/2016.",
        )
        assert symptom(found, "Numbness").get("date") == date(2016, 9, 15)

    def test_a_negation_dated_in_its_own_clause_keeps_its_date(self) -> None:
        found = facts("Weakness of the right deltoid was not present on 8/27/2016.")
        weakness = symptom(found, "Weakness")
        assert weakness.get("date") == date(2016, 8, 27)
        assert iri_name(weakness.get("presence")) == "Absent"


class TestCareTime:
    def test_sessions_with_a_stated_frequency(self) -> None:
        (therapy,) = of_kind(
            facts(
                "She completed 12 sessions of physical therapy twice a week with minimal relief."
            ),
            "ConservativeCareEpisode",
        )
        assert therapy.get("sessionCount") == 12
        assert therapy.get("sessionsPerWeek") == 2.0
        assert therapy.get("durationDays") is None  # computed by rules:care-days, not here

    def test_sessions_alone_give_no_frequency(self) -> None:
        (therapy,) = of_kind(
            facts("Treatment has included 6 sessions of chiropractic care without benefit."),
            "ConservativeCareEpisode",
        )
        assert therapy.get("sessionCount") == 6 and therapy.get("sessionsPerWeek") is None

    def test_care_written_with_x_weeks(self) -> None:
        (therapy,) = of_kind(
            facts("He has had physical therapy x 6 weeks with no improvement."),
            "ConservativeCareEpisode",
        )
        assert therapy.get("durationDays") == 42

    def test_a_medication_frequency_is_not_a_length(self) -> None:
        (medication,) = of_kind(
            facts("He continues ibuprofen three times a day without relief."),
            "ConservativeCareEpisode",
        )
        assert medication.get("durationDays") is None

    def test_a_symptom_duration_is_not_the_care_length(self) -> None:
        found = facts(
            "He has had low back pain for 3 months and tried physical therapy with no relief."
        )
        (therapy,) = of_kind(found, "ConservativeCareEpisode")
        assert therapy.get("durationDays") is None
        assert symptom(found, "Pain").get("onsetDate") == date(2016, 3, 3)


class TestMorePhrasings:
    """Phrasings probed after the first version of the grammar (not letter text)."""

    def test_began_ago_is_the_onset_and_the_visit_date_stays(self) -> None:
        found = facts("On 5/20/2016 he reported that his low back pain began three weeks ago.")
        pain = symptom(found, "Pain")
        assert (pain.get("date"), pain.get("onsetDate")) == (date(2016, 5, 20), date(2016, 4, 29))

    def test_started_on_a_date_is_the_onset(self) -> None:
        pain = symptom(facts("Her neck pain started on 2/1/2016."), "Pain")
        assert pain.get("onsetDate") == date(2016, 2, 1) and pain.get("date") == REFERENCE

    def test_a_history_of_n_months(self) -> None:
        pain = symptom(facts("He has had a six-month history of right knee pain."), "Pain")
        assert pain.get("onsetDate") == date(2015, 12, 3)

    def test_a_course_of_n_weeks(self) -> None:
        (therapy,) = of_kind(
            facts("He completed a 6-week course of physical therapy without improvement."),
            "ConservativeCareEpisode",
        )
        assert therapy.get("durationDays") == 42

    def test_a_care_start_date_is_not_a_symptom_onset(self) -> None:
        found = facts("He started physical therapy on 3/1/2016 for neck pain.")
        assert symptom(found, "Pain").get("onsetDate") is None
