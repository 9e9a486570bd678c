"""SHACL validation of converted records: the fast path (lod.fastshacl) beside pyshacl, in one run.

    python bench/bench_validate.py [--records 20000] [--batch 500] [--file PATH]

The records are converted first (not timed), as ingest converts them: each record's BIBFRAME and
schema.org triples, no shared-description dedup. Both validators then check the same records in
the same batches (`lod.validation.validate_records`, engine "fast" and "pyshacl"); records/s and
the ratio are printed, and the two must report the same number of results (the differential test,
tests/test_fastshacl.py, checks them result by result). One pinned CPU.

Input: the benchmark file of bench_convert.py (the corpus's 14,239 UTF-8 bibliographic records of
the LC dataset and Arabic Collections Online), read as many times as needed under different library
codes, so that the records (and their IRIs) are all distinct: 20,000 records = 14,239 + 5,761.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_convert import ROOT, build_corpus, cpu_model, pin_to_one_cpu, version  # noqa: E402

from lod.converters.context import RecordContext  # noqa: E402
from lod.converters.marc import convert_record  # noqa: E402
from lod.marcio import read_marc  # noqa: E402
from lod.triples import Triple  # noqa: E402
from lod.uris import Minter  # noqa: E402
from lod.validation import validate_records  # noqa: E402


def converted(path: Path, wanted: int) -> list[list[Triple]]:
    minter = Minter("http://127.0.0.1:5000/")
    records: list[list[Triple]] = []
    rounds = 0
    while len(records) < wanted:
        rounds += 1
        before = len(records)
        for item in read_marc(path):
            if item.record is None or not item.control_number:
                continue
            ctx = RecordContext(minter, f"BENCH-{rounds}", item.control_number)
            records.append(convert_record(item.record, ctx))
            if len(records) >= wanted:
                break
        if len(records) == before:
            sys.exit(f"{path}: no records")
    return records


def run(records: list[list[Triple]], batch: int, engine: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    violations = warnings = 0
    for i in range(0, len(records), batch):
        for report in validate_records(records[i : i + batch], engine=engine):
            violations += len(report.violations)
            warnings += len(report.warnings)
    return time.perf_counter() - started, violations, warnings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    pinned = pin_to_one_cpu()
    path = args.file or build_corpus(args.corpus)
    records = converted(path, args.records)
    triples = sum(len(r) for r in records)
    run(records[: args.batch], args.batch, "fast")  # warm-up: shapes compiled, caches filled
    run(records[: args.batch], args.batch, "pyshacl")
    fast_seconds, fast_v, fast_w = run(records, args.batch, "fast")
    ref_seconds, ref_v, ref_w = run(records, args.batch, "pyshacl")
    print(
        f"SHACL validation benchmark, {date.today().isoformat()}, {cpu_model()} ({os.cpu_count()} CPUs, "
        f"{pinned}), Python {sys.version.split()[0]}, pyoxigraph {version('pyoxigraph')}, "
        f"pyshacl {version('pyshacl')}"
    )
    print(
        f"Input: {len(records)} converted records ({triples / len(records):.0f} triples each) from {path}, "
        f"batches of {args.batch}"
    )
    print()
    print("| one core | records/s | violations | warnings |")
    print("|---|---:|---:|---:|")
    print(f"| lod.fastshacl | {len(records) / fast_seconds:,.0f} | {fast_v} | {fast_w} |")
    print(f"| pyshacl (reference) | {len(records) / ref_seconds:,.0f} | {ref_v} | {ref_w} |")
    print(f"| **ratio fast / pyshacl** | **{ref_seconds / fast_seconds:.1f}** | | |")
    if (fast_v, fast_w) != (ref_v, ref_w):
        sys.exit("the two validators disagree: run tests/test_fastshacl.py")


if __name__ == "__main__":
    main()
