"""Pure decision logic: criterion statuses + the rule's groups (data) -> outcome.

Nothing here knows a criterion by name; the groups, their combination and the rule come from
shapes/criteria/ through reasoner.criteria.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "ALL_APPLICABLE",
    "ANY_OF",
    "Decision",
    "GroupOutcome",
    "decide",
    "group_satisfied",
]

ANY_OF = "https://w3id.org/imrkg/ontology#AnyOf"
ALL_APPLICABLE = "https://w3id.org/imrkg/ontology#AllApplicable"


@dataclass(frozen=True)
class GroupOutcome:
    """One required group for one request: satisfied or not, and which members decide it."""

    group: str
    combination: str
    satisfied: bool
    decisive: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """The rule's verdict: medically necessary when every required group is satisfied."""

    medically_necessary: bool
    groups: tuple[GroupOutcome, ...]

    @property
    def outcome(self) -> str:
        """IMR wording: Overturned when necessary (UR denial reversed), else Upheld."""
        return "Overturned" if self.medically_necessary else "Upheld"

    @property
    def decisive_criteria(self) -> tuple[str, ...]:
        """Criteria the outcome rests on: the failed groups' members when Upheld, else the
        met members of each group."""
        groups = [g for g in self.groups if not g.satisfied] or list(self.groups)
        seen: dict[str, None] = {}
        for group in groups:
            seen.update(dict.fromkeys(group.decisive))
        return tuple(seen)


def group_satisfied(combination: str, statuses: Sequence[str]) -> bool:
    """Whether a group holds, given its members' statuses.

    Examples
    --------
    >>> group_satisfied(ANY_OF, ["not met", "met"])
    True
    >>> group_satisfied(ANY_OF, ["not documented", "not applicable"])
    False
    >>> group_satisfied(ALL_APPLICABLE, ["met", "not applicable"])
    True
    >>> group_satisfied(ALL_APPLICABLE, ["not met"])
    False
    """
    if combination == ANY_OF:
        return any(s == "met" for s in statuses)
    if combination == ALL_APPLICABLE:
        return all(s in ("met", "not applicable") for s in statuses)
    raise ValueError(f"unknown combination {combination}")


def decide(
    groups: Sequence[tuple[str, str, Sequence[str]]], statuses: Mapping[str, str]
) -> Decision:
    """Combine statuses by the rule's groups, given as (group IRI, combination, members).

    A member is decisive in a satisfied group when it is met; in a failed group every member
    that is not met (or, for AllApplicable, every failing member) is decisive: documenting it
    is what would change the group.

    Examples
    --------
    >>> d = decide([("g1", ANY_OF, ["a", "b"]), ("g2", ALL_APPLICABLE, ["c"])],
    ...            {"a": "met", "b": "not met", "c": "not met"})
    >>> d.outcome, d.decisive_criteria
    ('Upheld', ('c',))
    >>> decide([("g1", ANY_OF, ["a"])], {"a": "met"}).outcome
    'Overturned'
    """
    outcomes = []
    for group, combination, members in groups:
        member_statuses = [statuses[m] for m in members]
        satisfied = group_satisfied(combination, member_statuses)
        if satisfied:
            decisive = tuple(m for m in members if statuses[m] == "met")
        else:
            decisive = tuple(m for m in members if statuses[m] not in ("met", "not applicable"))
        outcomes.append(GroupOutcome(group, combination, satisfied, decisive))
    return Decision(all(o.satisfied for o in outcomes), tuple(outcomes))
