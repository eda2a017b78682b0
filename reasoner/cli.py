"""The `imrkg` command line: arguments, progress, the error boundary and exit codes; no logic.

Exit codes follow pyshacl: 0 ok, 1 findings (a case fails intake), 2 bad input, 3 internal error.
Upheld is an outcome, not a failure: it exits 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .batch import read_inputs
from .criteria import read_catalogue
from .errors import ImrkgError
from .guidelines import DATE_BASES
from .knowledge import load_knowledge
from .load import PROJECT_ROOT, scheme_files

if TYPE_CHECKING:
    from .audit import AuditRow

__all__ = ["main"]

SEED = PROJECT_ROOT / "data" / "cases" / "seed-cervical-ct.ttl"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imrkg")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """imrkg: decide IMR imaging disputes from a knowledge graph, and show why."""
    ctx.obj = {"debug": debug}


DATE_BASIS_OPTION = click.option(
    "--date-basis",
    default="request",
    type=click.Choice(sorted(DATE_BASES)),
    show_default=True,
    help="The date that picks the guideline edition in force: the request date, the UR "
    "decision date or the date of service (imr:serviceDate).",
)


@cli.command()
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    default="text",
    type=click.Choice(["text", "json", "turtle", "jsonld"]),
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write one file per case here instead of printing.",
)
@click.option(
    "--engine",
    default="reference",
    type=click.Choice(["reference", "bulk"]),
    show_default=True,
    help="pyshacl per case, or one Oxigraph pass over the batch.",
)
@click.option(
    "--jobs",
    "-j",
    default=0,
    type=click.IntRange(min=0),
    help="Worker processes (each its own store); inputs are split among them. "
    "Default 0: every core.",
)
@DATE_BASIS_OPTION
def determine(
    cases: tuple[Path, ...], fmt: str, out: Path | None, engine: str, jobs: int, date_basis: str
) -> None:
    """Decide every disputed request of each CASE (Turtle case files or IMR letters)."""
    from .batch import determine_paths
    from .report import write_atomically

    failures = 0
    rendered_cases = determine_paths(
        list(cases), fmt=fmt, engine=engine, jobs=jobs, date_basis=date_basis
    )
    for rendered in rendered_cases:
        if rendered.error is not None:
            failures += 1
            click.echo(rendered.error, err=True)
            continue
        assert rendered.text is not None and rendered.case is not None
        if out is None:
            click.echo(rendered.text, nl=False)
        else:
            suffix = {"json": "json", "text": "txt", "turtle": "ttl", "jsonld": "jsonld"}[fmt]
            target = out / f"{_case_id(rendered.case)}.{suffix}"
            write_atomically(target, rendered.text)
            click.echo(f"wrote {target}", err=True)
    if failures:
        raise SystemExit(2)


@cli.command()
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    default="table",
    type=click.Choice(["table", "turtle", "json"]),
    show_default=True,
)
def validate(cases: tuple[Path, ...], fmt: str) -> None:
    """Check each CASE against the intake shapes and report every criterion, met or not."""
    from .review import validation_report

    knowledge = load_knowledge()
    worst = 0
    for _path, built, error in read_inputs(cases, knowledge, check=False):
        if error is not None:
            click.echo(str(error), err=True)
            worst = max(worst, 2)
            continue
        assert built is not None
        text, conforms = validation_report(built, knowledge, fmt)
        click.echo(text, nl=False)
        if not conforms:
            worst = max(worst, 1)
    raise SystemExit(worst)


@cli.command()
@click.argument("case", type=click.Path(path_type=Path))
@click.option(
    "--request",
    "request_index",
    type=int,
    default=None,
    help="Only the disputed item with this index (from 0).",
)
@click.option(
    "--format", "-f", "fmt", default="text", type=click.Choice(["text", "json"]), show_default=True
)
def explain(case: Path, request_index: int | None, fmt: str) -> None:
    """Why each request of CASE came out as it did, and what would change it."""
    from .explain import explain_case, explanation_json, explanation_text
    from .pipeline import determine_case

    knowledge = load_knowledge()
    catalogue = read_catalogue(knowledge)
    for _path, built, error in read_inputs((case,), knowledge):
        if error is not None:
            raise error
        assert built is not None
        result = determine_case(built, knowledge)
        explanations = explain_case(result.justification, catalogue)
        if request_index is not None:
            explanations = [e for e in explanations if e.item_index == request_index]
            if not explanations:
                raise click.BadParameter(
                    f"no disputed item {request_index} in {case}", param_hint="--request"
                )
        if fmt == "json":
            payload = {
                "case": result.case,
                "determinations": [explanation_json(e) for e in explanations],
            }
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            click.echo("\n\n".join(explanation_text(e) for e in explanations))


@cli.command()
@click.argument("name")
@click.argument("graphs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a declared parameter (CURIEs allowed).",
)
@click.option(
    "--format", "-f", "fmt", default="table", type=click.Choice(["table", "csv"]), show_default=True
)
def query(name: str, graphs: tuple[Path, ...], params: tuple[str, ...], fmt: str) -> None:
    """Run the named query NAME (queries/**/NAME.rq) over GRAPHS in Oxigraph.

    GRAPHS are justification graphs (.ttl, .nt, .nq) as `determine --format turtle --out`
    or the bulk engine writes them. With no NAME match, lists the queries.
    """
    import csv

    from .queries import bind_parameters, find_queries, run_query
    from .store import load_into_store

    queries = find_queries()
    if name not in queries:
        listing = "\n".join(f"  {q.name:<36} {q.title}" for q in queries.values())
        raise click.BadParameter(
            f"no query named {name!r}; known queries:\n{listing}", param_hint="NAME"
        )
    bindings = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        bindings[key.lstrip("?")] = value
    store = load_into_store(list(graphs))
    variables, rows = run_query(
        store, bind_parameters(queries[name], bindings), path=queries[name].path
    )
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(rows)
        return
    from .vocab import curie

    rows = [[curie(c) if c.startswith(("http://", "https://")) else c for c in r] for r in rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    click.echo("  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)))
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    click.echo(f"({len(rows)} row(s))", err=True)


@cli.command()
@click.argument("letters", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write <case>.ttl (facts) and <case>.reviewer.ttl (the reviewer's decision).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    default="turtle",
    type=click.Choice(["turtle", "jsonld"]),
    show_default=True,
)
@click.option(
    "--jobs",
    "-j",
    default=0,
    type=click.IntRange(min=0),
    help="Worker processes; letters are split among them. Default 0: every core.",
)
def ingest(letters: tuple[Path, ...], out: Path | None, fmt: str, jobs: int) -> None:
    """Read IMR letters (.txt, .pdf) into case graphs, every fact anchored to its sentence."""
    from .batch import ingest_paths
    from .report import write_atomically

    failures = 0
    suffix = "ttl" if fmt == "turtle" else "jsonld"
    for ingested in ingest_paths(list(letters), fmt=fmt, jobs=jobs):
        if ingested.error is not None:
            failures += 1
            click.echo(ingested.error, err=True)
            continue
        assert ingested.case_text is not None and ingested.reviewer_text is not None
        if out is None:
            click.echo(ingested.case_text, nl=False)
            continue
        write_atomically(out / f"{ingested.case_id}.{suffix}", ingested.case_text)
        write_atomically(out / f"{ingested.case_id}.reviewer.{suffix}", ingested.reviewer_text)
        click.echo(f"wrote {out / str(ingested.case_id)}.{suffix} (+ .reviewer.{suffix})", err=True)
    if failures:
        raise SystemExit(2)


@cli.command()
@click.argument("letters", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "csv"]),
)
def audit(letters: tuple[Path, ...], fmt: str) -> None:
    """Machine versus reviewer per item of each IMR LETTER, flagging disagreements."""
    import csv
    import json

    from .audit import audit_letter

    knowledge = load_knowledge()
    failures = 0
    writer = None
    for path in letters:
        try:
            rows = audit_letter(path, knowledge)
        except ImrkgError as error:
            failures += 1
            click.echo(str(error), err=True)
            continue
        for row in rows:
            if fmt == "json":
                click.echo(json.dumps(row.as_dict(), ensure_ascii=False))
            elif fmt == "csv":
                if writer is None:
                    writer = csv.DictWriter(
                        sys.stdout, fieldnames=list(row.as_dict()), lineterminator="\n"
                    )
                    writer.writeheader()
                writer.writerow(row.as_dict())
            else:
                click.echo(_audit_line(row))
    if failures:
        raise SystemExit(2)


def _audit_line(row: AuditRow) -> str:
    flag = {True: "agree", False: "DISAGREE", None: "not compared"}[row.agrees]
    text = (
        f"{row.case} item {row.item_index} {row.item_text!r}: reviewer "
        f"{row.reviewer_outcome or '-'}, imrkg {row.machine_outcome} [{flag}]"
    )
    if row.agrees is False or row.machine_outcome == "Not evaluated":
        text += f"\n    imrkg: {row.machine_reasons}"
    if row.reviewer_cites_no_guideline:
        text += "\n    reviewer rationale cites no guideline"
    return text


@cli.command()
def rules() -> None:
    """Print the rule book (Markdown): editions, chapters, rules, groups, criteria and pages."""
    from .rulebook import render_rulebook

    click.echo(render_rulebook(load_knowledge()), nl=False)


@cli.command("check-ontology")
@click.argument("cases", nargs=-1, type=click.Path(path_type=Path))
def check_ontology_command(cases: tuple[Path, ...]) -> None:
    """Prove the ontology (and CASES) consistent with HermiT and print inferred classes."""
    from .owl_check import check_ontology
    from .vocab import curie

    files = [PROJECT_ROOT / "ontology" / "imr.ttl", *scheme_files()]
    result = check_ontology(files, list(cases))
    click.echo(
        f"consistent: {len(files) + len(cases)} file(s) checked by HermiT in {result.seconds:.1f} s"
    )
    for item in result.classifications:
        inferred = ", ".join(curie(t) for t in item.inferred_types) or "nothing new"
        click.echo(f"  {curie(item.individual)}: inferred {inferred}")


@cli.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """What `make demo` runs: the seed case determined, explained and checked."""
    rel = SEED.relative_to(Path.cwd()) if SEED.is_relative_to(Path.cwd()) else SEED
    click.echo(f"$ imrkg determine {rel}")
    ctx.invoke(
        determine,
        cases=(rel,),
        fmt="text",
        out=None,
        engine="reference",
        jobs=1,
        date_basis="request",
    )
    click.echo(f"\n$ imrkg explain {rel}")
    ctx.invoke(explain, case=rel, request_index=None, fmt="text")
    click.echo(f"\n$ imrkg check-ontology {rel}")
    ctx.invoke(check_ontology_command, cases=(rel,))


def _case_id(case: str) -> str:
    parts = case.rstrip("/").split("/")
    return parts[-2] if parts[-1] == "case" and len(parts) > 1 else parts[-1]


def main(argv: list[str] | None = None) -> None:
    """Entry point: the only place that catches errors."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="imrkg", standalone_mode=False)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(2) from None
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        raise SystemExit(2) from None
    except ImrkgError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from None
    except SystemExit:
        raise
    except Exception:
        if debug:
            raise
        click.echo("internal error (a bug); rerun with --debug", err=True)
        raise SystemExit(3) from None
