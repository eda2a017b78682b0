"""Letters per second for ingest + determine over the development letters, from text and from PDF.

Usage: python benchmarks/bench_ingest.py [--letters ../shared/letters] [--min-letters 1000]
Prints letters/s per source kind, the share of time per stage (read, extract+build, determine),
and peak memory. One process; the figures name the versions.
"""

from __future__ import annotations

import argparse
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
from reasoner.pipeline import determine_case
from reasoner.vocab import BASE

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = (
    f"python {sys.version.split()[0]}, rdflib {rdflib.__version__}, "
    f"pyshacl {pyshacl.__version__}, pyoxigraph {pyoxigraph.__version__}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=Path, default=ROOT.parent / "shared" / "letters")
    parser.add_argument("--min-letters", type=int, default=1000)
    args = parser.parse_args()
    knowledge = load_knowledge()
    print(f"# imrkg ingest + determine benchmark ({VERSIONS})")
    for kind, paths in (
        ("text", sorted((args.letters / "text").glob("*.txt"))),
        ("pdf", sorted((args.letters / "pdf").glob("*.pdf"))),
    ):
        wanted = args.min_letters if kind == "text" else max(len(paths), 16)
        run = (paths * (wanted // len(paths) + 1))[:wanted]
        seconds: Counter[str] = Counter()
        for path in run:
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
        total = sum(seconds.values())
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in seconds.items())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{kind:4} n={len(run):<5} {total:7.2f} s {len(run) / total:8.1f} letters/s  "
            f"({shares}; peak RSS {peak:,.0f} MB)  [{VERSIONS}]"
        )


if __name__ == "__main__":
    main()
