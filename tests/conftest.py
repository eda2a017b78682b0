"""Shared pytest options and fixtures for the test suite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reasoner import cli

RunCli = Callable[..., tuple[int, str, str]]


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


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run the imrkg entry point as the console script does; returns (exit code, stdout,
    stderr)."""

    def run(*argv: str | Path) -> tuple[int, str, str]:
        try:
            cli.main([str(a) for a in argv])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run
