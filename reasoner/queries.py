"""Named SPARQL queries in queries/**/*.rq: headers as documentation, parameters as VALUES."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import Location, QueryError
from .load import PROJECT_ROOT, read_text
from .vocab import PREFIXES

__all__ = ["NamedQuery", "bind_parameters", "find_queries", "run_query"]

_HEADER = re.compile(r"^#\s*(title|description|params|returns):\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """One .rq file: its text and the header that documents it."""

    name: str
    path: Path
    title: str
    description: str
    params: str
    returns: str
    text: str

    @property
    def is_check(self) -> bool:
        """Checks select violations: any row is a failure."""
        return self.name.endswith("-violation")


def find_queries(root: Path = PROJECT_ROOT / "queries") -> dict[str, NamedQuery]:
    """Every .rq under `root`, by file stem, with its header parsed.

    Raises
    ------
    QueryError
        When a query lacks a `# title:` header.
    """
    found: dict[str, NamedQuery] = {}
    for path in sorted(root.rglob("*.rq")):
        text = read_text(path)
        header: dict[str, str] = {}
        for line in text.splitlines():
            match = _HEADER.match(line)
            if match:
                header[match.group(1)] = match.group(2).strip()
        if "title" not in header:
            raise QueryError(
                "query has no '# title:' header",
                where=Location(path, 1),
                hint="start the file with '# title:' and '# description:' lines",
            )
        found[path.stem] = NamedQuery(
            path.stem,
            path,
            header["title"],
            header.get("description", ""),
            header.get("params", ""),
            header.get("returns", ""),
            text,
        )
    return found


def bind_parameters(query: NamedQuery, params: dict[str, str]) -> str:
    """Bind ?name parameters with a VALUES block inside the top-level WHERE (never
    initBindings, which Oxigraph and rdflib treat differently). CURIEs expand with the project
    prefixes.

    Raises
    ------
    QueryError
        When a parameter is not declared in the query's `# params:` header.
    """
    declared = set(re.findall(r"\?(\w+)", query.params))
    text = query.text
    for name, value in params.items():
        if name not in declared:
            raise QueryError(
                f"query {query.name} has no parameter ?{name}",
                where=Location(query.path, field=f"?{name}"),
                hint=f"its parameters are: {query.params or 'none'}",
            )
        term = _term(value)
        head, sep, body = text.partition("WHERE {")
        if not sep:
            raise QueryError(
                "query has no 'WHERE {'",
                where=Location(query.path),
                hint="write the WHERE keyword before the group pattern",
            )
        text = f"{head}WHERE {{ VALUES ?{name} {{ {term} }} {body}"
    return text


def run_query(
    store: ox.Store,
    text: str,
    *,
    path: Path | None = None,
) -> tuple[list[str], list[list[str]]]:
    """Run a SELECT on Oxigraph; rows as plain strings for CSV and tables.

    Raises
    ------
    QueryError
        When the query does not parse.
    """
    try:
        result = store.query(text)
    except SyntaxError as exc:
        raise QueryError(
            f"query does not parse: {exc}",
            where=Location(path or "<query>"),
            hint="check the query in YASGUI or `oxigraph query`",
        ) from None
    variables = [v.value for v in result.variables]  # type: ignore[union-attr]
    rows = [[_text(row[v]) for v in variables] for row in result]  # type: ignore[union-attr]
    return variables, rows


def _term(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return f"<{value}>"
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        return f"<{PREFIXES[prefix]}{local}>"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(term: object) -> str:
    if term is None:
        return ""
    return str(getattr(term, "value", term))
