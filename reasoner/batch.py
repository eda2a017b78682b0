"""Input files to rendered determinations or ingested letters, in one process or split over
worker processes (one Oxigraph store each, so a batch uses every core): what `imrkg determine`
and `imrkg ingest` run."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .build import CaseGraph, read_case_file
from .criteria import read_catalogue
from .errors import ImrkgError
from .knowledge import Knowledge, load_knowledge
from .pipeline import CaseResult, determine_case
from .report import render_case

__all__ = [
    "LETTER_SUFFIXES",
    "Ingested",
    "Rendered",
    "determine_paths",
    "ingest_paths",
    "read_inputs",
    "worker_count",
]

LETTER_SUFFIXES = (".txt", ".pdf")


@dataclass(frozen=True)
class Rendered:
    """One case rendered, or the error that stopped its input file (the rest still run)."""

    source: str
    case: str | None
    text: str | None
    error: str | None


@dataclass(frozen=True)
class Ingested:
    """One letter's case graph and reviewer graph as text, or the error that stopped it."""

    source: str
    case_id: str | None
    case_text: str | None
    reviewer_text: str | None
    error: str | None


def worker_count(jobs: int, inputs: int) -> int:
    """`jobs` worker processes (0 = every core), never more than there are inputs."""
    wanted = jobs if jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, inputs))


def _split(paths: Sequence[Path], jobs: int, work: Callable[[list[Path]], list]) -> list:
    """Run `work` over contiguous chunks of `paths`, one forked worker per chunk (the parsed
    knowledge is shared by fork), and concatenate the results in input order."""
    workers = worker_count(jobs, len(paths))
    if workers == 1:
        return work(list(paths))
    size = -(-len(paths) // workers)
    chunks = [list(paths[i : i + size]) for i in range(0, len(paths), size)]
    load_knowledge()  # parse once, before forking
    with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
        parts = pool.map(work, chunks)
    return [item for part in parts for item in part]


def ingest_paths(paths: Sequence[Path], *, fmt: str, jobs: int = 0) -> list[Ingested]:
    """Ingest every letter, serialised as `fmt` (turtle or jsonld), in input order; a bad
    letter yields its error and the rest still run."""
    return _split(paths, jobs, partial(_ingest_chunk, fmt=fmt))


def _ingest_chunk(paths: list[Path], *, fmt: str) -> list[Ingested]:
    from .ingest import ingest_letter
    from .report import graph_text

    done = []
    for path in paths:
        try:
            found = ingest_letter(path)
        except ImrkgError as error:
            done.append(Ingested(str(path), None, None, None, str(error)))
            continue
        done.append(
            Ingested(
                str(path),
                found.case_id,
                graph_text(found.case, fmt),
                graph_text(found.reviewer, fmt),
                None,
            )
        )
    return done


def read_inputs(
    paths: Sequence[Path],
    knowledge: Knowledge,
    *,
    check: bool = True,
) -> Iterator[tuple[Path, CaseGraph | None, ImrkgError | None]]:
    """Each input's cases (Turtle case files, or letters), or the error that stops that input.

    Case files are checked against the intake shapes when `check`; letters carry what they
    carry, and a request without a known region or modality comes out "Not evaluated" with the
    reason rather than failing intake.
    """
    for path in paths:
        try:
            if path.suffix.lower() in LETTER_SUFFIXES:
                from .ingest import letter_case

                built = [letter_case(path, knowledge)]
            else:
                built = read_case_file(path, knowledge)
                if check:
                    from .intake import check_intake

                    for case in built:
                        check_intake(case, knowledge)
        except ImrkgError as error:
            yield path, None, error
            continue
        for case in built:
            yield path, case, None


def determine_paths(
    paths: Sequence[Path],
    *,
    fmt: str,
    engine: str,
    jobs: int = 1,
    date_basis: str = "request",
) -> list[Rendered]:
    """Determine and render every case of every input, in input order.

    With `jobs` other than 1 (0 = every core) the inputs are split into contiguous chunks, one
    worker process each, each running the chosen engine over its chunk.
    """
    work = partial(_determine_chunk, fmt=fmt, engine=engine, date_basis=date_basis)
    return _split(paths, jobs, work)


def _determine_chunk(
    paths: list[Path], *, fmt: str, engine: str, date_basis: str
) -> list[Rendered]:
    knowledge = load_knowledge()
    catalogue = read_catalogue(knowledge)
    slots: list[CaseGraph | Rendered] = []
    for path, built, error in read_inputs(paths, knowledge):
        slots.append(built if built is not None else Rendered(str(path), None, None, str(error)))
    cases = [s for s in slots if isinstance(s, CaseGraph)]
    results = iter(_results(cases, knowledge, engine, date_basis))
    rendered = []
    for slot in slots:
        if isinstance(slot, Rendered):
            rendered.append(slot)
            continue
        result = next(results)
        rendered.append(
            Rendered(
                result.source, result.case, render_case(result, fmt, knowledge, catalogue), None
            )
        )
    return rendered


def _results(
    cases: list[CaseGraph], knowledge: Knowledge, engine: str, date_basis: str
) -> Iterator[CaseResult]:
    if engine == "bulk":
        from .bulk import determine_batch

        yield from determine_batch(cases, knowledge, progress=True, date_basis=date_basis)
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("determine (pyshacl)", total=len(cases))
        for case in cases:
            yield determine_case(case, knowledge, date_basis=date_basis)
            progress.advance(task)
