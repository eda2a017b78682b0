"""Cases per second, end to end and per stage: the bulk engine against the pyshacl reference.

    python benchmarks/bench_determine.py [--sizes 1000,10000] [--reference-size 200] [--seed 0]

Each size runs in a fresh process so that its peak memory (ru_maxrss) is its own. Synthetic
cases (reasoner.synthetic) are generated outside the timed stages. Bulk stages: build (asserted
graph -> loadable case, bulk.prepare_case), load, rules, evaluate, decide (selection, statuses,
evidence, decisions) and justify (full justification triples for every request); end to end is
their sum. Writing every justification as N-Quads is timed on its own. The reference runs
build.build_case and pipeline.determine_case(engine="reference") per case. Every line names the
size, seconds, rate and versions; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pyshacl
import rdflib
from rdflib import URIRef

from reasoner.build import build_case
from reasoner.bulk import (
    STAGES,
    BulkCase,
    BulkCaseResult,
    iter_batch,
    prepare_case,
    write_justifications,
)
from reasoner.knowledge import Knowledge, load_knowledge
from reasoner.pipeline import determine_case
from reasoner.synthetic import case_iri, synthetic_case, synthetic_cases

ROOT = Path(__file__).resolve().parent.parent
BULK_STAGES = ("build", *(s for s in STAGES if s != "prepare"))
VERSIONS = (
    f"python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
    f"pyshacl {pyshacl.__version__}, rdflib {rdflib.__version__}"
)


def main() -> None:
    args = _arguments()
    if args.part is not None:
        _run_part(args)
        return
    if args.one is not None:
        engine, size = args.one.split(":")
        figures = (_run_bulk if engine == "bulk" else _run_reference)(int(size), args)
        print(json.dumps(figures))
        return
    print(f"# imrkg determination benchmark ({VERSIONS}; {_cores()} cores)")
    reference = _in_subprocess("reference", args.reference_size, args)
    _print("reference", reference)
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        bulk = _in_subprocess("bulk", size, args)
        _print("bulk", bulk)
        if args.workers > 1:
            _print_parallel(size, _parallel(size, args))
        ratio = bulk["end_to_end_rate"] / reference["end_to_end_rate"]
        print(
            f"ratio  bulk n={size} / reference n={args.reference_size}: {ratio:,.0f}x cases/s"
            f"  [{VERSIONS}]"
        )


def _run_bulk(size: int, args: argparse.Namespace) -> dict[str, Any]:
    knowledge = load_knowledge()
    seconds = dict.fromkeys(("generate", "build", *STAGES, "write"), 0.0)
    outcomes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"justifications.{args.write}"
        stream = iter_batch(
            _prepared(size, args.seed, knowledge, seconds),
            knowledge,
            batch_size=args.batch_size,
            seconds=seconds,
            progress=True,
        )
        start = time.perf_counter()
        counted = _counted(stream, outcomes, seconds)
        if args.write == "none":
            lines = sum(len(c.own) + len(c.shared) for c in counted)
        else:
            lines = write_justifications(counted, target, fmt=args.write)
        wall = time.perf_counter() - start
        size_bytes = target.stat().st_size if target.exists() else 0
    seconds["build"] += seconds.pop("prepare")  # prepare: CaseGraph inputs only, ~0 here
    end_to_end = sum(seconds[s] for s in BULK_STAGES)
    return {
        "size": size,
        "seconds": seconds,
        "end_to_end": end_to_end,
        "end_to_end_rate": size / end_to_end,
        "wall": wall,
        "outcomes": dict(outcomes),
        "lines": lines,
        "write": args.write,
        "bytes": size_bytes,
        "peak_mb": _peak_mb(),
    }


def _run_reference(size: int, args: argparse.Namespace) -> dict[str, Any]:
    knowledge = load_knowledge()
    seconds = {"generate": 0.0, "build": 0.0, "determine": 0.0}
    outcomes: Counter[str] = Counter()
    for index, graph in _timed(enumerate(synthetic_cases(size, args.seed)), seconds):
        start = time.perf_counter()
        case = build_case(
            graph,
            URIRef(case_iri(args.seed, index) + "case"),
            knowledge,
            source=Path(f"synthetic-{args.seed}-{index}.ttl"),
        )
        built = time.perf_counter()
        result = determine_case(case, knowledge, engine="reference")
        seconds["build"] += built - start
        seconds["determine"] += time.perf_counter() - built
        outcomes.update(r.outcome for r in result.results)
    end_to_end = seconds["build"] + seconds["determine"]
    return {
        "size": size,
        "seconds": seconds,
        "end_to_end": end_to_end,
        "end_to_end_rate": size / end_to_end,
        "outcomes": dict(outcomes),
        "peak_mb": _peak_mb(),
    }


def _parallel(size: int, args: argparse.Namespace) -> dict[str, Any]:
    """The batch split over worker processes, one Oxigraph store each. Every worker generates
    its share first (untimed), then all start together; the rate is cases over the wall-clock
    time from that start until the last worker is done, justifications built for every request."""
    command = [
        sys.executable,
        __file__,
        "--seed",
        str(args.seed),
        "--batch-size",
        str(args.batch_size),
    ]
    workers = [
        subprocess.Popen(
            [*command, "--part", f"{w}:{args.workers}:{size}"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for w in range(args.workers)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    parts = []
    for worker in workers:
        assert worker.stdout is not None
        parts.append(json.loads(worker.stdout.readline()))
    wall = time.perf_counter() - start
    for worker in workers:
        worker.wait()
    outcomes: Counter[str] = Counter()
    for part in parts:
        outcomes.update(part["outcomes"])
    return {
        "size": sum(p["size"] for p in parts),
        "wall": wall,
        "workers": args.workers,
        "outcomes": dict(outcomes),
        "peak_mb": max(p["peak_mb"] for p in parts),
    }


def _run_part(args: argparse.Namespace) -> None:
    worker, workers, size = (int(x) for x in args.part.split(":"))
    knowledge = load_knowledge()
    graphs = [(i, synthetic_case(args.seed, i)) for i in range(worker, size, workers)]
    print("ready", flush=True)
    sys.stdin.readline()
    seconds = dict.fromkeys((*STAGES, "write"), 0.0)
    outcomes: Counter[str] = Counter()
    cases = (
        prepare_case(
            graph,
            URIRef(case_iri(args.seed, i) + "case"),
            knowledge,
            source=Path(f"synthetic-{args.seed}-{i}.ttl"),
        )
        for i, graph in graphs
    )
    stream = iter_batch(cases, knowledge, batch_size=args.batch_size, seconds=seconds)
    triples = sum(len(c.own) + len(c.shared) for c in _counted(stream, outcomes, seconds))
    print(
        json.dumps(
            {
                "size": len(graphs),
                "outcomes": dict(outcomes),
                "triples": triples,
                "peak_mb": _peak_mb(),
            }
        ),
        flush=True,
    )


def _print_parallel(size: int, figures: dict[str, Any]) -> None:
    requests = ", ".join(f"{v} {k}" for k, v in sorted(figures["outcomes"].items()))
    print(
        f"bulk x{figures['workers']:<3} n={size:<7} {'END2END':9} {figures['wall']:8.2f} s "
        f"{size / figures['wall']:>10,.0f} cases/s  wall clock, {figures['workers']} processes "
        f"(one store each), peak RSS {figures['peak_mb']:,.0f} MB per process"
        f"  (requests: {requests}; generation untimed)  [{VERSIONS}]"
    )


def _prepared(
    size: int, seed: int, knowledge: Knowledge, seconds: dict[str, float]
) -> Iterator[BulkCase]:
    for index, graph in _timed(enumerate(synthetic_cases(size, seed)), seconds):
        start = time.perf_counter()
        case = prepare_case(
            graph,
            URIRef(case_iri(seed, index) + "case"),
            knowledge,
            source=Path(f"synthetic-{seed}-{index}.ttl"),
        )
        seconds["build"] += time.perf_counter() - start
        yield case


def _timed(items: Iterator[Any], seconds: dict[str, float]) -> Iterator[Any]:
    """Generation time, kept out of every stage."""
    while True:
        start = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            return
        seconds["generate"] += time.perf_counter() - start
        yield item


def _counted(
    stream: Iterator[BulkCaseResult],
    outcomes: Counter[str],
    seconds: dict[str, float],
) -> Iterator[BulkCaseResult]:
    """Count outcomes and time the writer (the time between two results is the writer's,
    except when the next result starts a new batch, which the stages account for)."""
    for case in stream:
        outcomes.update(r.outcome for r in case.results)
        start = time.perf_counter()
        yield case
        seconds["write"] += time.perf_counter() - start


def _in_subprocess(engine: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--one",
        f"{engine}:{size}",
        "--seed",
        str(args.seed),
        "--batch-size",
        str(args.batch_size),
        "--write",
        args.write,
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _print(engine: str, figures: dict[str, Any]) -> None:
    size, seconds = figures["size"], figures["seconds"]
    stages = BULK_STAGES if engine == "bulk" else ("build", "determine")
    for stage in stages:
        took = seconds[stage]
        print(
            f"{engine:9} n={size:<7} {stage:9} {took:8.2f} s {size / took:>10,.0f} cases/s"
            f"  [{VERSIONS}]"
        )
    requests = ", ".join(f"{v} {k}" for k, v in sorted(figures["outcomes"].items()))
    print(
        f"{engine:9} n={size:<7} {'END2END':9} {figures['end_to_end']:8.2f} s "
        f"{figures['end_to_end_rate']:>10,.0f} cases/s  peak RSS {figures['peak_mb']:,.0f} MB"
        f"  (requests: {requests}; generating the cases took {seconds['generate']:.1f} s,"
        f" untimed)  [{VERSIONS}]"
    )
    if engine == "bulk":
        kind = {"nq": "N-Quads lines", "nt": "N-Triples lines"}.get(figures["write"], "triples")
        print(
            f"{engine:9} n={size:<7} {'write':9} {seconds['write']:8.2f} s "
            f"{size / max(seconds['write'], 1e-9):>10,.0f} cases/s  ({figures['lines']:,} {kind},"
            f" {figures['bytes'] / 1e6:,.0f} MB, not in END2END)  [{VERSIONS}]"
        )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="bulk batch sizes, comma-separated (default: 1000,10000)",
    )
    parser.add_argument(
        "--reference-size",
        type=int,
        default=200,
        help="cases for the pyshacl reference (default: 200)",
    )
    parser.add_argument("--seed", type=int, default=0, help="synthetic seed (default: 0)")
    parser.add_argument(
        "--batch-size", type=int, default=10_000, help="cases per Oxigraph store (default: 10000)"
    )
    parser.add_argument(
        "--write",
        choices=("nq", "nt", "none"),
        default="nq",
        help="justifications to a temporary file as N-Quads (a graph per case), as merged "
        "N-Triples, or not at all (default: nq)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=_cores(),
        help="also run the bulk engine as this many processes, one store each, and print the "
        "wall-clock rate over the whole batch (default: the number of cores)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--part", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    main()
