"""ConText modifiers of a sentence, found by medspaCy's ConText over a tokenizer-only pipeline.

The rules are medspaCy's maintained default English rule set (negation, possible existence,
historical, hypothetical, family, termination) extended as data by
`data/lexicon/context-rules.json`: rules it removes or replaces (each with its reason), default
rules it makes clause-bound (six tokens, ended by a clause-ending comma), project rules (pseudo
triggers such as "no change", terminators, rule-out, the letters' backward negations) and the
global reach. A sentence is tokenized once and its modifiers and their scopes are found once
(`Cues`); a mention then asks which modifiers reach it, by character offsets. No model is
loaded: tokenization and rule matching are all ConText needs, and nothing is fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from .errors import InputFileError
from .load import PROJECT_ROOT

__all__ = ["Cue", "Cues", "find_boundaries", "find_cues"]

RULES_PATH = PROJECT_ROOT / "data" / "lexicon" / "context-rules.json"
_CLAUSE_BREAK = "CLAUSE_BREAK"


@dataclass(frozen=True)
class Cue:
    """One ConText modifier: its category and direction, its words and the characters it reaches."""

    category: str
    direction: str
    start: int
    end: int
    text: str
    scope_start: int
    scope_end: int
    bounds_clause: bool = False
    """Whether the cue also ends a clause for the attributes a mention takes from its words
    (status, regions): "but", ";", a conjunction that starts a new clause."""

    def reaches(self, start: int, end: int) -> bool:
        """Whether the mention at [start, end) lies in this cue's scope. A cue inside the
        mention is part of its words ("absent pulses") and modifies nothing, as in medspaCy; a
        cue that only shares words with it still does ("no history of" and the mention
        "history of cancer")."""
        if self.direction in ("PSEUDO", "TERMINATE") or (start <= self.start and self.end <= end):
            return False
        return self.scope_start < end and start < self.scope_end


@dataclass(frozen=True)
class Cues:
    """The ConText modifiers of one sentence."""

    found: tuple[Cue, ...]
    complete: bool = True
    """False when the matcher was skipped (no modifying rule could match): terminators were
    then not looked for (`find_boundaries` finds the clause boundaries alone)."""

    def boundaries(self) -> list[int]:
        """Where the cues that end a clause for attribute attachment begin."""
        return [c.start for c in self.found if c.bounds_clause]

    def reaching(self, start: int, end: int) -> list[Cue]:
        """The modifiers whose scope holds the mention at [start, end)."""
        return [c for c in self.found if c.reaches(start, end)]

    def of(self, category: str) -> list[Cue]:
        """The modifiers of one category, in reading order."""
        return [c for c in self.found if c.category == category]


def find_cues(text: str) -> Cues:
    """Tokenize the sentence, match the ConText rules and settle their scopes.

    medspaCy's scope update misses a terminator whose own window holds the whole scope of the
    cue it should end (its overlap test is one-sided, so with windowed scopes "no swelling;
    pain" keeps "pain" negated); the scopes are therefore settled here by ConText's rule
    itself: a terminator, a cue of a category in the rule's `terminated_by`, or another cue of
    the same category ends a scope where it begins. A sentence in which no modifying rule can
    match skips the matcher."""
    nlp, context = _pipeline()
    doc = nlp.make_doc(text)
    requirements = _requirements()
    if requirements is not None:
        words = {t.lower_ for t in doc}
        if not any(all(w & words for w in rule) for rule in requirements):
            return Cues((), complete=False)  # no modifying rule can match: nothing to scope
    doc = context(doc)
    modifiers = doc._.context_graph.modifiers
    found = []
    for modifier in modifiers:
        start, end = modifier.modifier_span
        scope_start, scope_end = _settled(modifier, modifiers, doc)
        found.append(
            Cue(
                category=modifier.category,
                direction=modifier.direction.upper(),
                start=doc[start].idx,
                end=_char_end(doc, end, len(text)),
                text=doc[start:end].text,
                scope_start=doc[scope_start].idx if scope_start < len(doc) else len(text),
                scope_end=_char_end(doc, scope_end, len(text)),
                bounds_clause=modifier.rule.literal in _clause_literals(),
            )
        )
    return Cues(tuple(sorted(found, key=lambda c: c.start)))


def find_boundaries(text: str) -> list[int]:
    """Where a clause boundary for attribute attachment begins ("but", ";", a conjunction
    starting a new clause), matched by the clause-boundary rules alone: cheaper than every cue
    of a sentence that has none that modifies."""
    nlp, _ = _pipeline()
    doc = _boundary_context()(nlp.make_doc(text))
    return sorted(doc[m.modifier_span[0]].idx for m in doc._.context_graph.modifiers)


@cache
def _boundary_context() -> Any:
    """A ConText component holding only the clause-boundary rules."""
    from medspacy.context import ConText

    nlp, context = _pipeline()
    boundary = ConText(
        nlp, name="clause_boundaries", rules=None, span_attrs=None, max_scope=context.max_scope
    )
    boundary.add([r for r in context.rules if r.literal in _clause_literals()])
    return boundary


def _settled(modifier: Any, modifiers: list[Any], doc: Any) -> tuple[int, int]:
    """The token scope of a modifier once its reach is counted and the cues that end it are
    applied."""
    start, end = modifier.modifier_span
    scope_start, scope_end = modifier.scope_span
    direction = modifier.direction.upper()
    if direction in ("TERMINATE", "PSEUDO"):
        return scope_start, scope_end
    if direction == "FORWARD" and _CLAUSE_BREAK in modifier.rule.terminated_by:
        scope_end = _clause_reach(modifier, modifiers, doc)
    for other in modifiers:
        if other is modifier or not _ends(modifier, other):
            continue
        other_start, other_end = other.modifier_span
        if direction == "FORWARD" and other_start >= end:
            scope_end = min(scope_end, other_start)
        elif direction == "BACKWARD" and other_end <= start:
            scope_start = max(scope_start, other_end)
    return scope_start, scope_end


def _clause_reach(modifier: Any, modifiers: list[Any], doc: Any) -> int:
    """Where a clause-bound cue's reach ends: `max_scope` words on (punctuation is no word, so
    "and/or" is one), or the global reach when a comma inside them is a list comma, not a clause
    break ("no diplopia, paralysis, paresis, muscle weakness, tremors, ataxia or dysesthesia":
    the cue heads the whole list)."""
    _, end = modifier.modifier_span
    breaks = {m.modifier_span[0] for m in modifiers if m.category == _CLAUSE_BREAK}
    words, position, limit = 0, end, int(modifier.rule.max_scope or 0)
    while position < len(doc) and words < limit:
        token = doc[position]
        if token.text == "," and position not in breaks:
            return min(len(doc), end + _pipeline()[1].max_scope)
        words += not token.is_punct
        position += 1
    return position


def _ends(modifier: Any, other: Any) -> bool:
    """Whether `other` ends `modifier`'s scope (ConTextModifier.limit_scope's test)."""
    if other.direction.upper() == "TERMINATE":
        return True
    if other.category.upper() in modifier.rule.terminated_by:
        return True
    return bool(
        other.category.upper() == modifier.category.upper()
        and other.allowed_types == modifier.allowed_types
        and other.excluded_types == modifier.excluded_types
    )


def _char_end(doc: Any, token_end: int, length: int) -> int:
    if token_end <= 0:
        return 0
    token = doc[min(token_end, len(doc)) - 1]
    return min(length, int(token.idx) + len(token))


@cache
def _pipeline() -> tuple[Any, Any]:
    """medspaCy's tokenizer and a ConText component with the default rules adjusted by the
    project file; built once per process (about a second)."""
    from loguru import logger

    logger.disable("PyRuSH")  # PyRuSH logs every rule at DEBUG through loguru
    import medspacy
    from medspacy.context import ConText, ConTextRule

    settings = _settings()
    nlp = medspacy.load(medspacy_enable=["medspacy_tokenizer"])
    context = ConText(nlp, rules=None, max_scope=int(settings["max_scope"]))
    removed = {entry["literal"] for entry in settings["remove"]}
    bound = settings["clause_bound"]
    rules = list(ConTextRule.from_json(context.DEFAULT_RULES_FILEPATH))
    rules = [r for r in rules if r.literal not in removed]
    for rule in rules:
        if rule.literal in bound["literals"]:
            rule.max_scope = int(bound["max_scope"])
            rule.terminated_by.add("CLAUSE_BREAK")
    rules += [_rule(ConTextRule, entry) for entry in settings["context_rules"]]
    context.add(rules)
    return nlp, context


def _rule(rule_class: Any, entry: dict[str, Any]) -> Any:
    """A project rule; `terminated_by` (a constructor argument medspaCy's JSON reader does not
    accept) names the categories that end its scope."""
    fields = dict(entry)
    fields["terminated_by"] = set(fields.get("terminated_by", ()))
    return rule_class(**fields)


def _words(token: dict[str, Any]) -> set[str | None]:
    """The lower-case words a token pattern accepts (None: not told by LOWER)."""
    value = token.get("LOWER")
    if isinstance(value, str):
        return {value}
    return set(value.get("IN", [None])) if isinstance(value, dict) else {None}


@cache
def _requirements() -> tuple[tuple[frozenset[str], ...], ...] | None:
    """For each modifying rule (neither a terminator, a pseudo-trigger nor a clause break), the
    word sets of its required tokens, lower-case: a sentence can match the rule only if each set
    meets its words, so a sentence that meets no rule's sets skips the matcher. None when a
    rule's words cannot be told (another attribute, or a regular expression that does not
    declare its `first_words` in its metadata)."""
    nlp, context = _pipeline()
    found: list[tuple[frozenset[str], ...]] = []
    for rule in context.rules:
        if rule.direction.upper() in ("TERMINATE", "PSEUDO") or rule.category == _CLAUSE_BREAK:
            continue
        pattern = rule.pattern
        if pattern is None:
            found.append(tuple(frozenset([t.lower_]) for t in nlp.make_doc(rule.literal)))
            continue
        if isinstance(pattern, str):
            declared = (rule.metadata or {}).get("first_words")
            if declared is None:
                return None
            found.append((frozenset(declared),))
            continue
        required = [_words(t) for t in pattern if t.get("OP") not in ("?", "*")]
        if not required or any(None in w for w in required):
            return None
        found.append(tuple(frozenset(str(x) for x in w) for w in required))
    return tuple(found)


@cache
def _clause_literals() -> frozenset[str]:
    """The rules (by literal) that end a clause for status and region attachment."""
    return frozenset(_settings()["clause_boundaries"]["literals"])


@cache
def _settings() -> dict[str, Any]:
    """The project's rule file.

    Raises
    ------
    InputFileError
        When the file is missing or is not valid JSON.
    """
    try:
        settings: dict[str, Any] = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputFileError(
            f"cannot read the ConText rules: {error}",
            hint="restore data/lexicon/context-rules.json from the repository",
        ) from error
    return settings
