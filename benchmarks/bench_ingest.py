"""Letters per second for ingest + determine over the development letters, from text and from PDF.

Usage: python benchmarks/bench_ingest.py [--letters data/letters/dev] [--min-letters 1000]
Prints letters/s per source kind and worker-process count (default: 1 and every core; wall clock,
contiguous shares of the letters per worker), the share of time per stage (read, extract+build,
determine), and peak memory per worker. The figures name the versions.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph
import pyshacl
import rdflib
from rdflib import URIRef

from reasoner.build import build_case
from reasoner.ingest import ingest_read_letter
from reasoner.knowledge import load_knowledge
from reasoner.letters import read_letter
from reasoner.load import DEV_LETTERS
from reasoner.pipeline import determine_case
from reasoner.vocab import BASE

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = (
    f"python {sys.version.split()[0]}, rdflib {rdflib.__version__}, "
    f"pyshacl {pyshacl.__version__}, pyoxigraph {pyoxigraph.__version__}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=Path, default=DEV_LETTERS)
    parser.add_argument("--min-letters", type=int, default=1000)
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, os.cpu_count() or 1],
        help="worker-process counts to measure (each a contiguous share of the letters)",
    )
    args = parser.parse_args()
    load_knowledge()  # parsed once, shared by the forked workers
    print(f"# imrkg ingest + determine benchmark ({VERSIONS}; {os.cpu_count()} cores)")
    for kind, paths in (
        ("text", sorted((args.letters / "text").glob("*.txt"))),
        ("pdf", sorted((args.letters / "pdf").glob("*.pdf"))),
    ):
        wanted = args.min_letters if kind == "text" else max(len(paths), 16)
        run = (paths * (wanted // len(paths) + 1))[:wanted]
        for workers in dict.fromkeys(args.workers):
            size = -(-len(run) // workers)
            chunks = [run[i : i + size] for i in range(0, len(run), size)]
            start = time.perf_counter()
            if workers == 1:
                parts = [_ingest_and_determine(run)]
            else:
                with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
                    parts = pool.map(_ingest_and_determine, chunks)
            wall = time.perf_counter() - start
            seconds: Counter[str] = sum((part for part, _ in parts), Counter())
            peak = max(rss for _, rss in parts)
            total = sum(seconds.values())
            shares = ", ".join(f"{k} {v / total:.0%}" for k, v in seconds.items())
            print(
                f"{kind:4} n={len(run):<5} workers={workers} {wall:7.2f} s "
                f"{len(run) / wall:8.1f} letters/s  ({shares}; peak RSS per worker "
                f"{peak:,.0f} MB)"
            )


def _ingest_and_determine(paths: list[Path]) -> tuple[Counter[str], float]:
    """Read, extract, build and determine each letter; seconds per stage and peak RSS (MB)."""
    knowledge = load_knowledge()
    seconds: Counter[str] = Counter()
    for path in paths:
        start = time.perf_counter()
        letter = read_letter(path)
        read = time.perf_counter()
        ingested = ingest_read_letter(letter)
        iri = URIRef(f"{BASE}case/{ingested.case_id}/case")
        case = build_case(ingested.case, iri, knowledge, source=path)
        built = time.perf_counter()
        determine_case(case, knowledge, engine="sets")
        done = time.perf_counter()
        seconds["read"] += read - start
        seconds["extract+build"] += built - read
        seconds["determine"] += done - built
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
