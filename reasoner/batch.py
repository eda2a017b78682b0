"""Input files to rendered determinations, in one process or split over worker processes (one
Oxigraph store each, so a batch uses every core): what `imrkg determine` runs."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator, Sequence
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

__all__ = ["LETTER_SUFFIXES", "Rendered", "determine_paths", "read_inputs"]

LETTER_SUFFIXES = (".txt", ".pdf")


@dataclass(frozen=True)
class Rendered:
    """One case rendered, or the error that stopped its input file (the rest still run)."""

    source: str
    case: str | None
    text: str | None
    error: str | None


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

    With `jobs` > 1 the inputs are split into contiguous chunks, one worker process each
    (forked, so the parsed knowledge is shared), each running the chosen engine over its chunk.
    """
    if jobs <= 1 or len(paths) < 2:
        return _determine_chunk(list(paths), fmt=fmt, engine=engine, date_basis=date_basis)
    size = -(-len(paths) // jobs)
    chunks = [list(paths[i : i + size]) for i in range(0, len(paths), size)]
    load_knowledge()  # parse once, before forking
    with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
        work = partial(_determine_chunk, fmt=fmt, engine=engine, date_basis=date_basis)
        parts = pool.map(work, chunks)
    return [rendered for part in parts for rendered in part]


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
