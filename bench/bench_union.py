"""Union-catalogue ingest at scale (issue 7): every library's file into one store, then clustering,
beside pyoxigraph's bulk loader of the same quads, in one run on the same CPUs.

    python bench/bench_union.py [--records 10000] [--libraries 5] [--seed 1] [--copies 2.0]
                                 [--workers -1] [--no-floor]

Input: bench/synthetic.py's files (one ISO 2709 file per library, DEMO-LIB-01 …), generated in a
subprocess before the clock starts and cached under the temporary directory by parameters, source
file and generator version.
Measured on every CPU the process may use (both sides: ingest runs worker processes, the bulk
loader its own threads):
  ingest   lod.pipeline.ingest_file for each library file, in order, into one fresh embedded store
           on disk (read + convert + SHACL validation + match keys + load, conversion and validation
           in --workers processes, -1 = one per CPU, 0 = none; a temporary lod.quarantine.Quarantine keeps
           invalid records), as `lod ingest marc FILE --library CODE` runs it;
  cluster  lod.clustering.recluster over the whole store (what `lod cluster` runs);
  floor    the final store's quads, dumped as N-Quads (not timed), loaded by pyoxigraph
           Store.bulk_load into a fresh store on disk: the physical floor of writing those quads.
ratio = (ingest + cluster) / floor; issue 7's target is 1.5 or less.
Peak RSS (ru_maxrss) of the main process is printed after ingest, after cluster and after the
floor (bulk_load's own memory), and that of the largest worker process. --no-floor skips the floor
(for 1,000,000 records the N-Quads dump alone would take some 30 GB of disk).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from bench_convert import CACHE, build_corpus, count_lines, cpu_model, rate, version
from pyoxigraph import RdfFormat, Store, serialize

from lod.clustering import recluster
from lod.pipeline import IngestReport, ingest_file
from lod.quarantine import Quarantine
from lod.store import OxigraphStore
from lod.uris import Minter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATOR = HERE / "synthetic.py"
BASE = "http://127.0.0.1:5000/"


def synthetic_files(args: argparse.Namespace) -> tuple[list[tuple[str, Path]], dict[str, Any]]:
    """The per-library files (generated unless cached) and the generator's statistics."""
    source = build_corpus(args.corpus)
    key = hashlib.sha256(
        f"{source}|{args.records}|{args.libraries}|{args.seed}|{args.copies}|".encode()
        + GENERATOR.read_bytes()
    ).hexdigest()[:12]
    folder = CACHE / f"union-{key}"
    out = folder / "synthetic.mrc"
    stats_path = folder / "synthetic.stats.json"
    if not stats_path.exists():
        command = [
            sys.executable,
            str(GENERATOR),
            *("--records", str(args.records), "--libraries", str(args.libraries)),
            *("--seed", str(args.seed), "--copies", str(args.copies)),
            *("--source", str(source), "--out", str(out)),
        ]
        subprocess.run(command, check=True)
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    codes = sorted(stats["records per library"])
    return [(code, folder / f"synthetic-{code}.mrc") for code in codes], stats


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--libraries", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--copies", type=float, default=2.0, help="mean copies of each book")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--workers", type=int, default=-1, help="worker processes (-1: one per CPU; 0: none)")
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the bulk_load floor (a 1,000,000-record run: its N-Quads dump alone is ~30 GB)",
    )
    args = parser.parse_args()
    files, stats = synthetic_files(args)  # generation is not measured
    cpus = len(os.sched_getaffinity(0))
    workers = cpus if args.workers < 0 else args.workers
    minter = Minter(BASE)
    reports: list[tuple[str, IngestReport, float]] = []

    with tempfile.TemporaryDirectory(prefix="bench-union-") as scratch:
        store = OxigraphStore.open(Path(scratch) / "store")
        quarantine = Quarantine(Path(scratch) / "quarantine")
        for code, path in files:
            started = time.perf_counter()
            report = ingest_file(store, path, code, minter, quarantine=quarantine, workers=workers)
            print(f"  {code}: {report.read:,} records, {time.perf_counter() - started:.1f} s", flush=True)
            reports.append((code, report, time.perf_counter() - started))
        rss_ingest = peak_rss_mib()
        started = time.perf_counter()
        clusters = recluster(store, minter)
        cluster_seconds = time.perf_counter() - started
        rss_cluster = peak_rss_mib()
        store_bytes = sum(f.stat().st_size for f in (Path(scratch) / "store").rglob("*") if f.is_file())
        if args.no_floor:
            quads = store.triple_count()

            floor_seconds, rss_floor, dump_mb = 0.0, 0.0, 0.0
        else:
            dump = Path(scratch) / "store.nq"
            serialize(store.quads(), str(dump), format=RdfFormat.N_QUADS)
            quads = count_lines(dump)
            del store
            floor = Store(str(Path(scratch) / "floor"))
            started = time.perf_counter()
            floor.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
            floor.flush()
            floor_seconds = time.perf_counter() - started
            rss_floor = peak_rss_mib()
            dump_mb = dump.stat().st_size / 1e6
            del floor

    read = sum(r.read for _, r, _ in reports)
    loaded = sum(r.loaded for _, r, _ in reports)
    quarantined = sum(r.quarantined for _, r, _ in reports)
    skipped = sum(r.skipped for _, r, _ in reports)
    ingest_seconds = sum(s for _, _, s in reports)
    total = ingest_seconds + cluster_seconds
    reasons = Counter(reason.split(":", 1)[0] for reason in clusters.reasons.values())
    sizes = Counter(len(members) for members in clusters.instances.values())

    print(
        f"Union ingest benchmark, {date.today().isoformat()}, {cpu_model()} "
        f"({cpus} CPUs used, ingest with {workers} worker processes), Python {sys.version.split()[0]}, "
        f"pyoxigraph {version('pyoxigraph')}, pymarc {version('pymarc')}"
    )
    variations = ", ".join(f"{k} {v}" for k, v in stats["variations"].items())
    print(
        f"Input: bench/synthetic.py --records {args.records} --libraries {args.libraries} "
        f"--seed {args.seed} --copies {args.copies}: {stats['books (pool)']} books from "
        f"{stats['source records']} corpus records ({variations}); {len(files)} files, one per library"
    )
    print(
        f"Store: embedded Oxigraph on disk, fresh; validation on, quarantine in a temporary "
        f"directory; {read} records read, {loaded} loaded, {quarantined} quarantined, "
        f"{skipped - quarantined} other errors; {quads:,} quads in the final store "
        f"({store_bytes / 1e9:.1f} GB on disk" + (f", {dump_mb:,.0f} MB as N-Quads)" if dump_mb else ")")
    )
    print()
    print(f"| {cpus} CPUs | records | seconds | records/s |")
    print("|---|---:|---:|---:|")
    for code, report, seconds in reports:
        print(
            f"| ingest {code} (read + convert + validate + load) | {report.read:,} "
            f"| {seconds:.1f} | {rate(report.read, seconds):,.0f} |"
        )
    print(f"| ingest, all files | {read:,} | {ingest_seconds:.1f} | {rate(read, ingest_seconds):,.0f} |")
    print(
        f"| recluster (whole store: read keys, cluster, write union graphs) | {read:,} "
        f"| {cluster_seconds:.1f} | {rate(read, cluster_seconds):,.0f} |"
    )
    print(f"| **ingest + cluster** | {read:,} | {total:.1f} | {rate(read, total):,.0f} |")
    if floor_seconds:
        print(
            f"| floor: pyoxigraph bulk_load of the final store's quads | {read:,} | {floor_seconds:.1f} "
            f"| {rate(read, floor_seconds):,.0f} |"
        )
    print()
    if floor_seconds:
        print(f"ratio (ingest + cluster) / bulk_load: {total / floor_seconds:.2f} (issue 7 target: <= 1.5)")
    print(f"quads per record: {quads / max(loaded, 1):.0f}")
    print(
        f"peak RSS of the main process: {rss_ingest:,.0f} MiB after ingest, {rss_cluster:,.0f} MiB after "
        f"cluster"
        + (f", {rss_floor:,.0f} MiB after bulk_load" if floor_seconds else "")
        + f"; largest worker process: {peak_rss_mib(resource.RUSAGE_CHILDREN):,.0f} MiB"
    )
    print(
        f"clusters: {len(clusters.instances):,} union instances for {len(clusters.records):,} records, "
        f"{clusters.merged:,} merged (2 or more members; largest {max(sizes, default=0)}); "
        "records per merge reason: "
        + ", ".join(f"{reason} {count:,}" for reason, count in reasons.most_common())
    )


if __name__ == "__main__":
    main()
