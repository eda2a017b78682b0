"""The strict known-failures scheme the robustness sets share (docs/robustness.md).

A case the current code gets wrong is listed with a one-line diagnosis and must still fail:
`strict=True` turns a repaired case into a failure, so a fix must take it off the list and the
list stays the set's score.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest


def case_param(value: object, key: str, known: Mapping[str, str]) -> object:
    """`value` as a pytest parameter named `key`, a strict xfail when `known` lists it."""
    marks = [pytest.mark.xfail(strict=True, reason=known[key])] if key in known else []
    return pytest.param(value, id=key, marks=marks)
