"""The paraphrase set (issue 10, section 3): every fact of each invented sentence, and no other.

Items the current code gets wrong are listed with a diagnosis in `known-failures.jsonl` and must
still fail (strict xfail): a fix that repairs an item takes it off the list, so the list is the
set's score. `python benchmarks/paraphrase.py` prints the score by region and category.
"""

from __future__ import annotations

import pytest
from known_failures import case_param
from paraphrase_set import CATEGORIES, REGIONS, Item, diagnose, extracted, read_items
from paraphrase_set import read_known_failures as _known

ITEMS = read_items()
KNOWN = _known()


class TestParaphraseSet:
    """Each item's facts, as a careful reader takes them."""

    @pytest.mark.parametrize("item", [case_param(i, i.id, KNOWN) for i in ITEMS])
    def test_item(self, item: Item) -> None:
        got = extracted(item)
        assert got == sorted(item.facts), diagnose(item, got)


class TestSetShape:
    """The set is what docs/robustness.md says it is."""

    def test_at_least_160_items_with_unique_ids(self) -> None:
        ids = [i.id for i in ITEMS]
        assert len(ids) >= 160
        assert len(set(ids)) == len(ids)

    def test_every_region_and_category_is_covered(self) -> None:
        assert {i.region for i in ITEMS} == set(REGIONS)
        assert {i.category for i in ITEMS} == set(CATEGORIES)

    def test_known_failures_name_items_of_the_set_with_a_diagnosis(self) -> None:
        ids = {i.id for i in ITEMS}
        assert set(KNOWN) <= ids, sorted(set(KNOWN) - ids)
        assert all(reason.strip() for reason in KNOWN.values())

    def test_time_values_are_well_formed(self) -> None:
        """onset=, on=, days= and sessions= carry ISO dates and integers (a typo in the data
        would otherwise be a failure no fix can repair)."""
        import re

        pattern = re.compile(r"(onset|on)=\d{4}-\d{2}-\d{2}\b|(days|sessions)=\d+\b")
        for item in ITEMS:
            for fact in item.facts:
                for token in fact.split():
                    if token.startswith(("onset=", "on=", "days=", "sessions=")):
                        assert pattern.fullmatch(token), (item.id, token)
