"""Union-catalogue ingest at scale (issue 7): every library's file into one store, then clustering,
beside pyoxigraph's bulk loader of the same quads, in one run on the same CPUs.

    python bench/bench_union.py [--records 10000 [100000 ...]] [--libraries 5] [--seed 1]
                                 [--copies 2.0] [--workers -1] [--no-floor] [--zstd] [--no-chunked]
                                 [--floor-copies N]
                                 [--keep DIR]

Input: bench/synthetic.py's files (one ISO 2709 file per library, DEMO-LIB-01 …), generated in a
subprocess before the clock starts and cached under the temporary directory by parameters, source
file and generator version.
Measured on every CPU the process may use (both sides: ingest runs worker processes and writer
threads, the bulk loader threads of its own):
  ingest   lod.ingest.ingest_files over all the library files in one run, into a fresh embedded
           store on disk, as `lod ingest manifest` runs it (read + convert + SHACL validation + match
           keys + load; conversion and validation in --workers processes, -1 = one per CPU; a
           temporary lod.quarantine.Quarantine keeps invalid records);
           The search index and the record archive stage each batch's documents and rows
           during the ingest (on_documents, on_sources), as `lod ingest manifest` does;
  cluster  lod.unions.recluster over the whole store (what `lod cluster` runs);
  sync     the search index (SqliteIndex.sync: staged documents of the union entries' members,
           then the union entries) and the record archive (RecordArchive.sync), in SQLite files
           beside the store, as after every `lod ingest`;
  floor    the final store's quads, dumped as N-Quads (not timed), loaded by one pyoxigraph
           Store.bulk_load call into a fresh store on disk (lenient, as ingest loads): the floor
           issue 7 names. Also shown, not part of the ratio: the same quads loaded the way ingest
           writes them (chunks of lod.batches.BATCH_QUADS, two bulk_load calls in flight), i.e.
           loading alone with no conversion.
ratio = (ingest + cluster + sync) / floor; issue 7's target is 1.5 or less (it names indexing as part of
the end-to-end run). The ratio without the index and archive is printed too (earlier runs' figure).
Memory: a sampler reads the resident memory (/proc) of this process and every process under it
(the worker processes, the forkserver) five times a second; the peak of their sum is the run's
peak memory, beside the main process's own peak. --no-floor skips the floor. The ingest's store,
index and archive are deleted once the dump is written, before the floor loads it. --zstd writes
the dump through `zstd` and the floor reads it back through `zstd -dc` in a pipe (a 1,000,000-record
run: its plain N-Quads dump would take some 30 GB of disk beside a 50 GB store; the decompressor's
CPU, printed, runs beside the bulk loader). --no-chunked skips loading the dump as ingest writes.
--floor-copies N also loads, with one bulk_load call, N copies of the final store's quads with this
dataset's IRIs and blank nodes renamed apart (vocabulary and code-list IRIs shared): how the floor
grows with the store, e.g. at 10 times 100,000 records without a 1,000,000-record ingest.
Several --records values run one after the other, each into a fresh store, and end with a table of
how time and memory grow.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from bench_convert import CACHE, build_corpus, cpu_model, rate, version
from pyoxigraph import Quad, RdfFormat, Store, serialize

from lod.archive import RecordArchive
from lod.batches import BATCH_QUADS
from lod.ingest import Source, ingest_files
from lod.quarantine import Quarantine
from lod.search.sqlite import SqliteIndex
from lod.store import OxigraphStore
from lod.unions import recluster
from lod.uris import Minter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATOR = HERE / "synthetic.py"
BASE = "http://127.0.0.1:5000/"
PAGE = os.sysconf("SC_PAGE_SIZE")


# memory of the process tree ----------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat fields 14 and 15)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class MemorySampler:
    """Peak resident memory of this process and of all its descendants together, sampled; and the
    CPU time each of them has used (its last sample: a worker's final moments are not counted)."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.peak_total = 0
        self.peak_main = 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        me = os.getpid()
        tree = _children()
        pids, stack = [], [me]
        while stack:
            pid = stack.pop()
            pids.append(pid)
            stack += tree.get(pid, [])
        main = _rss(me)
        self.peak_main = max(self.peak_main, main)
        self.peak_total = max(self.peak_total, main + sum(_rss(p) for p in pids[1:]))
        for pid in pids:
            self.cpu[pid] = _cpu_seconds(pid)

    def cpu_split(self) -> tuple[float, float]:
        """(this process's CPU seconds, its descendants')."""
        me = os.getpid()
        return self.cpu.get(me, 0.0), sum(v for pid, v in self.cpu.items() if pid != me)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()


def mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


# input -------------------------------------------------------------------------------------------
def synthetic_files(args: argparse.Namespace, records: int) -> tuple[list[tuple[str, Path]], dict[str, Any]]:
    """The per-library files (generated unless cached) and the generator's statistics."""
    source = build_corpus(args.corpus)
    key = hashlib.sha256(
        f"{source}|{records}|{args.libraries}|{args.seed}|{args.copies}|".encode() + GENERATOR.read_bytes()
    ).hexdigest()[:12]
    folder = CACHE / f"union-{key}"
    out = folder / "synthetic.mrc"
    stats_path = folder / "synthetic.stats.json"
    if not stats_path.exists():
        command = [
            sys.executable,
            str(GENERATOR),
            *("--records", str(records), "--libraries", str(args.libraries)),
            *("--seed", str(args.seed), "--copies", str(args.copies)),
            *("--source", str(source), "--out", str(out)),
        ]
        subprocess.run(command, check=True)
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    codes = sorted(stats["records per library"])
    return [(code, folder / f"synthetic-{code}.mrc") for code in codes], stats


# the floor ---------------------------------------------------------------------------------------
class _Counting:
    """A binary writer that counts the lines going through it."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.lines = out, 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


@contextmanager
def write_stream(path: Path) -> Iterator[_Counting]:
    """A binary writer to `path` (through `zstd` when its name ends in .zst) counting its lines."""
    with open(path, "wb") as out:
        if path.suffix != ".zst":
            yield _Counting(out)
            return
        zstd = subprocess.Popen(["zstd", "-q", "-3", "-c"], stdin=subprocess.PIPE, stdout=out)
        assert zstd.stdin is not None
        try:
            yield _Counting(zstd.stdin)
        finally:
            zstd.stdin.close()
            if zstd.wait():
                raise SystemExit(f"zstd failed writing {path}")


def write_dump(quads: Iterable[Quad], dump: Path) -> int:
    """The store's quads as N-Quads (compressed when the dump's name ends in .zst); their count."""
    with write_stream(dump) as out:
        serialize(quads, out, format=RdfFormat.N_QUADS)
    return out.lines


@contextmanager
def read_dump(dump: Path) -> Iterator[tuple[BinaryIO, list[float]]]:
    """The dump's N-Quads as a binary stream, and (once done) the CPU seconds of its decompressor."""
    if dump.suffix != ".zst":
        with open(dump, "rb") as handle:
            yield handle, [0.0]
        return
    cpu = [0.0]
    zstd = subprocess.Popen(["zstd", "-q", "-dc", str(dump)], stdout=subprocess.PIPE)
    assert zstd.stdout is not None
    try:
        yield zstd.stdout, cpu
    finally:
        zstd.stdout.close()
        _, status, usage = os.wait4(zstd.pid, 0)
        zstd.returncode = os.waitstatus_to_exitcode(status)
        cpu[0] = usage.ru_utime + usage.ru_stime
    if zstd.returncode:
        raise SystemExit(f"zstd failed reading {dump}")


def floor_single(dump: Path, target: Path) -> tuple[float, float, float]:
    """(seconds, CPU seconds, the decompressor's CPU seconds) of one bulk_load call of the dump (a
    plain one read by the loader itself, from its path)."""
    store = Store(str(target))
    started, cpu, unzip = time.perf_counter(), _own_cpu(), [0.0]
    if dump.suffix == ".zst":
        with read_dump(dump) as (stream, unzip):
            store.bulk_load(input=stream, format=RdfFormat.N_QUADS, lenient=True)
    else:
        store.bulk_load(path=str(dump), format=RdfFormat.N_QUADS, lenient=True)
    store.flush()
    return time.perf_counter() - started, _own_cpu() - cpu, unzip[0]


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def write_copies(dump: Path, out: Path, copies: int, base: str) -> int:
    """`copies` copies of the dump, each with this dataset's IRIs and the blank nodes renamed apart
    (base + 'c1/'..., '_:c1'...), the vocabularies' and code lists' IRIs left shared: a store as
    many times larger, of the same shape (--floor-copies). Returns the lines written."""
    with write_stream(out) as writer:
        for copy in range(1, copies + 1):
            renames = ((base.encode(), f"{base}c{copy}/".encode()), (b"_:", f"_:c{copy}".encode()))
            with read_dump(dump) as (stream, _):
                while block := stream.read(1 << 26):
                    block += stream.readline()  # whole lines only
                    for old, new in renames:
                        block = block.replace(old, new)
                    writer.write(block)
    return writer.lines


def floor_chunked(dump: Path, target: Path, writers: int = 2) -> float:
    """The dump loaded as ingest writes: chunks of BATCH_QUADS quads, `writers` calls in flight
    (the chunks are read from the dump on the calling thread, as ingest receives them from its
    workers)."""
    store = Store(str(target))
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=writers)

    def load() -> None:
        while (chunk := chunks.get()) is not None:
            store.bulk_load(input=chunk, format=RdfFormat.N_QUADS, lenient=True)

    threads = [threading.Thread(target=load) for _ in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    with read_dump(dump) as (handle, _):
        lines: list[bytes] = []
        for line in handle:
            lines.append(line)
            if len(lines) >= BATCH_QUADS:
                chunks.put(b"".join(lines))
                lines = []
        if lines:
            chunks.put(b"".join(lines))
    for _ in threads:
        chunks.put(None)
    for thread in threads:
        thread.join()
    store.flush()
    return time.perf_counter() - started


# one size ----------------------------------------------------------------------------------------
@dataclass
class Outcome:
    records: int
    loaded: int
    quads: int
    ingest: float
    cluster: float
    sync: float
    floor: float
    chunked: float
    peak_total: int
    peak_main: int
    store_bytes: int


def run(args: argparse.Namespace, records: int, workers: int, cpus: int) -> Outcome:
    files, stats = synthetic_files(args, records)  # generation is not measured
    minter = Minter(BASE)
    scratch = Path(tempfile.mkdtemp(prefix="bench-union-", dir=args.keep))
    try:
        store = OxigraphStore.open(scratch / "store")
        quarantine = Quarantine(scratch / "quarantine")
        index = SqliteIndex(scratch / "store-search.sqlite3")
        archive = RecordArchive(scratch / "store-records.sqlite3", BASE)
        sources = [Source(path, code) for code, path in files]
        with MemorySampler() as memory:
            memory.sample()
            main_before = memory.cpu_split()[0]
            started = time.perf_counter()
            reports = ingest_files(
                store, sources, minter, quarantine=quarantine, workers=workers,
                on_documents=index.stage, on_sources=archive.stage,
            )  # fmt: skip
            ingest_seconds = time.perf_counter() - started
            memory.sample()
            main_cpu, worker_cpu = memory.cpu_split()
            main_cpu -= main_before
            started = time.perf_counter()
            clusters = recluster(store, minter)
            cluster_seconds = time.perf_counter() - started
            started = time.perf_counter()
            indexed = index.sync(store, minter)
            archived = archive.sync(store, minter)
            sync_seconds = time.perf_counter() - started
            memory.sample()
        side_bytes = sum(f.stat().st_size for f in scratch.glob("store-*.sqlite3*"))
        store_bytes = sum(f.stat().st_size for f in (scratch / "store").rglob("*") if f.is_file())
        floor = chunked = floor_cpu = unzip_cpu = 0.0
        copied, copied_quads = (0.0, 0.0, 0.0), 0
        index.close()  # room for the dump and the floor's store: at 1M records ~70 GB in all
        archive.close()
        for side in scratch.glob("store-*.sqlite3*"):
            side.unlink()
        if args.no_floor:
            quads = store.triple_count()
        else:
            dump = scratch / ("store.nq.zst" if args.zstd else "store.nq")
            quads = write_dump(store.quads(), dump)
            dump_bytes = dump.stat().st_size
        del store
        shutil.rmtree(scratch / "store")
        if not args.no_floor:
            floor, floor_cpu, unzip_cpu = floor_single(dump, scratch / "floor")
            shutil.rmtree(scratch / "floor")
            if not args.no_chunked:
                chunked = floor_chunked(dump, scratch / "chunked")
                shutil.rmtree(scratch / "chunked")
            if args.floor_copies > 1:
                copies = scratch / "copies.nq.zst"
                copied_quads = write_copies(dump, copies, args.floor_copies, BASE)
                dump.unlink()
                copied = floor_single(copies, scratch / "floor-copies")
                shutil.rmtree(scratch / "floor-copies")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    read = sum(r.read for r in reports)
    loaded = sum(r.loaded for r in reports)
    quarantined = sum(r.quarantined for r in reports)
    skipped = sum(r.skipped for r in reports)
    total = ingest_seconds + cluster_seconds + sync_seconds
    reasons = Counter(reason.split(":", 1)[0] for reason in clusters.reasons.values())
    sizes = Counter(len(members) for members in clusters.instances.values())
    variations = ", ".join(f"{k} {v}" for k, v in stats["variations"].items())
    print()
    print(
        f"Input: bench/synthetic.py --records {records} --libraries {args.libraries} "
        f"--seed {args.seed} --copies {args.copies}: {stats['books (pool)']} books from "
        f"{stats['source records']} corpus records ({variations}); {len(files)} files, one per library"
    )
    print(
        f"Store: embedded Oxigraph on disk, fresh; validation on, quarantine in a temporary "
        f"directory; {read:,} records read, {loaded:,} loaded, {quarantined} quarantined, "
        f"{skipped - quarantined} other errors; {quads:,} quads in the final store "
        f"({store_bytes / 1e9:.1f} GB on disk)"
    )
    print()
    print(f"| {cpus} CPUs, {records:,} records | seconds | records/s |")
    print("|---|---:|---:|")
    for report in reports:
        print(
            f"| {Path(report.source).name} (its start to its last record committed) "
            f"| {report.seconds:.1f} | {rate(report.read, report.seconds):,.0f} |"
        )
    print(f"| ingest, all files in one run | {ingest_seconds:.1f} | {rate(read, ingest_seconds):,.0f} |")
    print(
        f"| recluster (whole store: read keys, cluster, write union graphs) | {cluster_seconds:.1f} "
        f"| {rate(read, cluster_seconds):,.0f} |"
    )
    print(
        f"| sync the search index ({indexed.indexed:,} records, {indexed.entries:,} entries) and the "
        f"record archive ({archived.created:,} records) | {sync_seconds:.1f} "
        f"| {rate(read, sync_seconds):,.0f} |"
    )
    print(f"| **ingest + cluster + sync** | **{total:.1f}** | {rate(read, total):,.0f} |")
    if floor:
        print(
            f"| floor: one pyoxigraph bulk_load call of the final store's quads | {floor:.1f} "
            f"| {rate(read, floor):,.0f} |"
        )
        if chunked:
            print(
                f"| (loading alone as ingest writes: chunks of {BATCH_QUADS:,} quads, 2 in flight) "
                f"| {chunked:.1f} | {rate(read, chunked):,.0f} |"
            )
        print()
        ratio = total / floor
        print(f"ratio (ingest + cluster + sync) / bulk_load: **{ratio:.2f}** (issue 7 target: <= 1.5)")
        print(f"ratio without the search index and archive, (ingest + cluster) / bulk_load: "
              f"{(ingest_seconds + cluster_seconds) / floor:.2f}")  # fmt: skip
        if chunked:
            print(f"ratio (ingest + cluster + sync) / loading alone as ingest writes: {total / chunked:.2f}")
        print(f"bulk_load CPU: {floor_cpu:,.0f} s ({floor_cpu / floor:.1f} CPUs busy on average)")
        if copied_quads:
            seconds, cpu, unzip = copied
            print(
                f"floor at {args.floor_copies} times the size: one bulk_load call of {copied_quads:,} quads "
                f"({args.floor_copies} copies of the final store's, this dataset's IRIs and blank nodes "
                f"renamed apart): {seconds:.1f} s, {seconds / floor:.2f} times the floor above "
                f"({rate(copied_quads, seconds):,.0f} quads/s against {rate(quads, floor):,.0f}); "
                f"bulk_load CPU {cpu:,.0f} s, its decompressor's {unzip:,.0f} s"
            )
        if args.zstd:
            print(
                f"dump: {dump_bytes / 1e9:.1f} GB of zstd; its decompressor beside the bulk loader used "
                f"{unzip_cpu:,.0f} s of CPU ({unzip_cpu / floor:.0%} of one CPU)"
            )
    print(f"quads per record: {quads / max(loaded, 1):.0f}; index and archive: {side_bytes / 1e9:.1f} GB")
    per_record = worker_cpu * 1000 / max(read, 1)
    busy = (main_cpu + worker_cpu) / ingest_seconds / cpus
    print(
        f"ingest CPU: {main_cpu:,.0f} s in the main process (splitting, its writer threads and the bulk "
        f"loader's), {worker_cpu:,.0f} s in the worker processes ({per_record:.2f} ms a record); "
        f"{busy:.0%} of {cpus} CPUs for {ingest_seconds:.0f} s"
    )
    print(
        f"peak memory: {mib(memory.peak_total)} for the whole process tree (main process, workers, "
        f"forkserver), {mib(memory.peak_main)} for the main process alone"
    )
    print(
        f"clusters: {len(clusters.instances):,} union instances for {len(clusters.records):,} records, "
        f"{clusters.merged:,} merged (2 or more members; largest {max(sizes, default=0)}); "
        "records per merge reason: "
        + ", ".join(f"{reason} {count:,}" for reason, count in reasons.most_common())
    )
    return Outcome(
        read, loaded, quads, ingest_seconds, cluster_seconds, sync_seconds, floor, chunked,
        memory.peak_total, memory.peak_main, store_bytes,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, nargs="+", default=[10000])
    parser.add_argument("--libraries", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--copies", type=float, default=2.0, help="mean copies of each book")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--workers", type=int, default=-1, help="worker processes (-1: one per CPU; 0: none)")
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the bulk_load floor",
    )
    parser.add_argument(
        "--zstd", action="store_true", help="compress the floor's N-Quads dump (~30 GB plain at 1M records)"
    )
    parser.add_argument(
        "--floor-copies",
        type=int,
        default=0,
        help="also bulk_load N renamed copies of the final store's quads (the floor at N times the size)",
    )
    parser.add_argument(
        "--no-chunked", action="store_true", help="skip loading the dump as ingest writes (not in the ratio)"
    )
    parser.add_argument("--keep", type=Path, help="scratch directory (default: the system's)")
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0))
    workers = cpus if args.workers < 0 else args.workers
    print(
        f"Union ingest benchmark, {date.today().isoformat()}, {cpu_model()} "
        f"({cpus} CPUs used, ingest with {workers} worker processes and 2 writer threads), "
        f"Python {sys.version.split()[0]}, pyoxigraph {version('pyoxigraph')}, pymarc {version('pymarc')}"
    )
    outcomes = [run(args, records, workers, cpus) for records in args.records]
    if len(outcomes) > 1:
        print()
        print(
            "| records | quads | ingest s | cluster s | sync s | total s | floor s | ratio | peak memory "
            "| store |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for o in outcomes:
            total = o.ingest + o.cluster + o.sync
            ratio = f"{total / o.floor:.2f}" if o.floor else "-"
            floor = f"{o.floor:.1f}" if o.floor else "-"
            print(
                f"| {o.records:,} | {o.quads:,} | {o.ingest:.1f} | {o.cluster:.1f} | {o.sync:.1f} "
                f"| {total:.1f} "
                f"| {floor} | {ratio} | {mib(o.peak_total)} | {o.store_bytes / 1e9:.1f} GB |"
            )


if __name__ == "__main__":
    main()
