"""The held-out set (issue 10, section 3): invented sentences and textbook letters written before
the round-2 fixes and kept from the fixers, so that their score measures generalisation.

The sentences (`sentences.jsonl`) use the layout, fact-summary format and scoring of the first
paraphrase set (`tests/paraphrase/paraphrase_set.py`) and the letters (`letters/`) the layout
and judging of the first textbook set (`tests/textbook_set.py`); this module only points that
code at the held-out files. `known-failures.jsonl` (sentences) and `letters/known-failures.jsonl`
list what the current code gets wrong, each with a one-line diagnosis; the tests hold them to
failing (strict xfail), so a fix that repairs an item takes it off the list.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LETTERS = HERE / "letters"

# The first paraphrase set's module lives beside this directory, not in a package; put it on the
# path (as benchmarks/paraphrase.py does) so that its scoring is imported, not copied.
_PARAPHRASE = str(HERE.parent / "paraphrase")
if _PARAPHRASE not in sys.path:
    sys.path.append(_PARAPHRASE)

import paraphrase_set  # noqa: E402
import textbook_set  # noqa: E402

__all__ = [
    "HERE",
    "LETTERS",
    "read_expected_letters",
    "read_items",
    "read_known_failures",
    "read_known_letter_failures",
]


def read_items() -> list[paraphrase_set.Item]:
    """The held-out sentences, in file order."""
    return paraphrase_set.read_items(HERE / "sentences.jsonl")


def read_known_failures() -> dict[str, str]:
    """Sentence id -> diagnosis of what the current code gets wrong."""
    return paraphrase_set.read_known_failures(HERE / "known-failures.jsonl")


def read_expected_letters() -> list[textbook_set.Expected]:
    """The held-out letters' disputed items and their expected outcomes."""
    return textbook_set.read_expected(LETTERS / "expected.jsonl")


def read_known_letter_failures() -> dict[str, str]:
    """`<letter id>#<item index>` -> diagnosis of what the current code decides wrongly."""
    return textbook_set.read_known_failures(LETTERS / "known-failures.jsonl")
