"""A rewrite of a letter: text edits, named so that known-failures.tsv can list it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] of the letter by `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Instance:
    """One rewrite of one letter: `name` identifies it among the letter's instances of the
    relation (stable across runs, so known-failures.tsv can name it)."""

    letter_id: str
    relation: str
    name: str
    edits: tuple[Edit, ...]

    def apply(self, text: str) -> str:
        """The letter text with every edit made (edits never overlap)."""
        out, last = [], 0
        for edit in sorted(self.edits, key=lambda e: e.start):
            out += [text[last : edit.start], edit.text]
            last = edit.end
        return "".join([*out, text[last:]])


def with_case_of(original: str, replacement: str) -> str:
    """Keep a sentence-initial capital: "Tingling" -> "Paresthesias"."""
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
