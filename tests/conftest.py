"""Shared pytest options and fixtures for the test suite."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/expected/*.ttl from the current pipeline output, then review "
        "the Turtle diff",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite the golden files instead of comparing with them."""
    return bool(request.config.getoption("--update-goldens"))
