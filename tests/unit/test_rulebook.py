"""The rule book in docs/ is the one the Turtle renders: documentation cannot drift from data."""

from __future__ import annotations

from reasoner.criteria import read_catalogue
from reasoner.knowledge import load_knowledge
from reasoner.load import PROJECT_ROOT
from reasoner.rulebook import render_rulebook
from reasoner.vocab import IMR, RDFS, curie

RULEBOOK = PROJECT_ROOT / "docs" / "rulebook.md"


def test_docs_rulebook_is_current() -> None:
    rendered = render_rulebook(load_knowledge())
    assert RULEBOOK.read_text(encoding="utf-8") == rendered, "run `make docs` and commit"


def test_every_rule_and_criterion_is_in_the_rulebook() -> None:
    knowledge = load_knowledge()
    catalogue = read_catalogue(knowledge)
    text = render_rulebook(knowledge)
    for iri in [*catalogue.rules, *catalogue.criteria]:
        assert f"`{curie(iri)}`" in text, iri


def test_project_readings_are_marked_as_such() -> None:
    """A criterion whose met-condition is imrkg's reading says so in imr:projectReading (shown in
    the rule book), not only in a free comment."""
    knowledge = load_knowledge()
    text = render_rulebook(knowledge)
    readings = [
        *knowledge.shapes.subject_objects(IMR.projectReading),
        *knowledge.rules.subject_objects(IMR.projectReading),  # the time rules' readings
    ]
    assert len(readings) >= 5
    assert text.count("Project reading:") == len(readings)
    for subject, _ in readings:
        comment = knowledge.everything.value(subject, RDFS.comment)
        assert comment is None or "project's reading" not in str(comment).lower(), subject
