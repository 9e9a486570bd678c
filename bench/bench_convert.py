"""MARC 21 to BIBFRAME N-Triples on one core, ours beside mrrc's Rust converter, in one run.

    python bench/bench_convert.py [--file PATH] [--records N] [--runs 3] [--corpus DIR]

Both sides read the same ISO 2709 file and write N-Triples to a file, record by record:
  ours  what `lod convert` runs: lod.pipeline.read -> lod.pipeline.convert -> lod.formats.serialize_triples
  mrrc  mrrc.MARCReader      -> mrrc.marc_to_bibframe (default BibframeConfig) -> graph.serialize
Printed per side: records/s end to end, then the same run split into read, convert and
serialize+write (each stage's records/s is records / time spent in that stage), and triples per
record (lines of N-Triples written, counted in the output file after the run). ratio = ours / mrrc.
The process is pinned to one CPU (os.sched_setaffinity), both sides first convert a few hundred
records to warm up, then run alternately --runs times; the best (fastest end-to-end) run of each
side is shown.
The marc2bibframe2 column is LC's XSLT converter's published rate (about 160 records/s per CPU,
the figure cited in the issue): a published figure, not measured here.

Without --file, the input is built once from ../shared/corpus, all its UTF-8 bibliographic
MARCXML records (LC comparison dataset, Arabic Collections Online: about 14,000), written by
pymarc as one ISO 2709 file with leader/09 = 'a'; it is cached under the temporary directory and
rebuilt when the source files change.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import importlib.metadata
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pymarc

from lod import pipeline
from lod.errors import RecordError
from lod.formats import NTRIPLES, serialize_triples
from lod.uris import Minter

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["marcxml/lc-marc2bibframe2-dataset/*.xml", "marcxml/aco_*.xml"]
BIBLIOGRAPHIC = set("acdefgijkmoprt")  # leader/06 types of bibliographic records
MARC2BIBFRAME2_PUBLISHED = 160.0  # records/s per CPU, LC's published figure (not measured here)
CACHE = Path(tempfile.gettempdir()) / "lod-bench"
OUTPUT_BUFFER = 1 << 20  # as lod convert writes: a record's N-Triples (~20 KB) is more than io's 8 KB


@dataclass
class Run:
    """One pass over the file: records converted, triples written, seconds per stage."""

    records: int = 0
    skipped: int = 0
    triples: int = 0
    read: float = 0.0
    convert: float = 0.0
    write: float = 0.0
    total: float = 0.0

    def wrote(self, out: BinaryIO, data: bytes, read_at: float, converted_at: float) -> None:
        """Count one converted record: its conversion time, and the N-Triples written now."""
        out.write(data)
        self.convert += converted_at - read_at
        self.write += time.perf_counter() - converted_at
        self.records += 1


def build_corpus(corpus: Path) -> Path:
    """The cached ISO 2709 file of all UTF-8 bibliographic records of the corpus (built if missing)."""
    files = [Path(p) for pattern in SOURCES for p in sorted(glob.glob(str(corpus / pattern)))]
    if not files:
        sys.exit(f"no MARCXML under {corpus}; pass --file PATH")
    key = hashlib.sha256(
        "\n".join(f"{f}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files).encode()
    ).hexdigest()[:16]
    target = CACHE / f"utf8-bibliographic-{key}.mrc"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    written = left_out = 0
    with open(partial, "wb") as out:
        for path in files:
            for record in pymarc.parse_xml_to_array(str(path)):
                if record is None or record.leader[6] not in BIBLIOGRAPHIC or record.get("001") is None:
                    left_out += 1
                    continue
                record.leader.coding_scheme = "a"  # MARCXML is Unicode: say UTF-8 in leader/09
                try:
                    data = record.as_marc()
                except Exception:  # e.g. longer than ISO 2709's 99,999 bytes
                    left_out += 1
                    continue
                out.write(data)
                written += 1
    partial.replace(target)
    print(
        f"built {target}: {written} records from {len(files)} files ({left_out} left out)",
        file=sys.stderr,
    )
    return target


def run_ours(path: Path, limit: int, out: BinaryIO) -> Run:
    """What `lod convert FILE` does: the pipeline's read and convert stages, one `described` set for
    the run (each shared entity described once in the output), N-Triples record by record, with the
    cycle collector running rarely (pipeline.collecting_rarely)."""
    minter = Minter("http://127.0.0.1:5000/")
    described: set[Hashable] = set()
    clock = time.perf_counter
    run = Run()
    started = t0 = clock()
    with pipeline.collecting_rarely():
        for item in pipeline.read(path):
            t1 = clock()
            run.read += t1 - t0
            try:
                converted = pipeline.convert(item, "BENCH", minter, described, split=False)
            except RecordError:
                converted = None
            if converted is None or converted.deleted:
                run.skipped += 1
            else:
                t2 = clock()
                graph = converted.record
                run.wrote(out, serialize_triples([*graph.triples, *graph.shared], NTRIPLES), t1, t2)
            if run.records + run.skipped >= limit:
                break
            t0 = clock()
    run.total = clock() - started
    return run


def run_mrrc(path: Path, limit: int, out: BinaryIO) -> Run:
    import mrrc

    config = mrrc.BibframeConfig()
    clock = time.perf_counter
    run = Run()
    started = t0 = clock()
    for record in mrrc.MARCReader(str(path)):
        t1 = clock()
        run.read += t1 - t0
        graph = None
        if record is not None:  # None: a record mrrc could not read
            try:
                graph = mrrc.marc_to_bibframe(record, config)
            except Exception:
                graph = None
        if graph is None:
            run.skipped += 1
        else:
            t2 = clock()
            run.wrote(out, graph.serialize("ntriples").encode(), t1, t2)
        if run.records + run.skipped >= limit:
            break
        t0 = clock()
    run.total = clock() - started
    return run


def one_run(side: Callable[[Path, int, BinaryIO], Run], path: Path, limit: int, out: Path) -> Run:
    with open(out, "wb", buffering=OUTPUT_BUFFER) as handle:
        run = side(path, limit, handle)
    run.triples = count_lines(out)  # after the clock stopped: counting is not converting
    return run


def count_lines(path: Path) -> int:
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def pin_to_one_cpu() -> str:
    try:
        os.sched_setaffinity(0, {0})
    except (AttributeError, OSError) as exc:
        return f"NOT pinned ({exc})"
    return "pinned to CPU 0 by os.sched_setaffinity"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def rate(records: int, seconds: float) -> float:
    return records / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--file", type=Path, help="any MARC file (default: built from --corpus)")
    parser.add_argument("--records", type=int, default=sys.maxsize, help="read at most N records")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    pinned = pin_to_one_cpu()
    try:
        import mrrc  # noqa: F401
    except ImportError:
        sys.exit("mrrc is not installed: pip install -e '.[bench]'")
    path = args.file or build_corpus(args.corpus)

    sides: dict[str, Callable[[Path, int, BinaryIO], Run]] = {"ours": run_ours, "mrrc": run_mrrc}
    runs: dict[str, list[Run]] = {name: [] for name in sides}
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as scratch:
        outputs = {name: Path(scratch) / f"{name}.nt" for name in sides}
        for name, side in sides.items():
            one_run(side, path, args.warmup, outputs[name])
        for _ in range(args.runs):
            for name, side in sides.items():
                runs[name].append(one_run(side, path, args.records, outputs[name]))
        sizes = {name: outputs[name].stat().st_size for name in sides}
    best: dict[str, Run] = {name: min(found, key=lambda r: r.total) for name, found in runs.items()}
    ours, ref = best["ours"], best["mrrc"]
    if ours.records != ref.records:
        print(f"note: ours converted {ours.records} records, mrrc {ref.records}", file=sys.stderr)

    print(
        f"Conversion benchmark, {date.today().isoformat()}, {cpu_model()} "
        f"({os.cpu_count()} CPUs, {pinned}), Python {sys.version.split()[0]}, "
        f"pyoxigraph {version('pyoxigraph')}, pymarc {version('pymarc')}, mrrc {version('mrrc')}"
    )
    print(
        f"Input: {path} ({path.stat().st_size / 1e6:.1f} MB ISO 2709), {ours.records} records converted "
        f"by ours ({ours.skipped} skipped), {ref.records} by mrrc ({ref.skipped} skipped); "
        f"best of {args.runs} run(s) each after a {args.warmup}-record warm-up; output N-Triples to a file"
    )
    print()
    print("| one core | ours (records/s) | mrrc (records/s) | ratio ours / mrrc |")
    print("|---|---:|---:|---:|")
    rows: list[tuple[str, float, float]] = [
        ("read MARC", rate(ours.records, ours.read), rate(ref.records, ref.read)),
        ("convert to BIBFRAME", rate(ours.records, ours.convert), rate(ref.records, ref.convert)),
        ("serialize N-Triples + write", rate(ours.records, ours.write), rate(ref.records, ref.write)),
        ("**end to end**", rate(ours.records, ours.total), rate(ref.records, ref.total)),
    ]
    for label, mine, theirs in rows:
        print(f"| {label} | {mine:,.0f} | {theirs:,.0f} | {mine / theirs:.2f} |")
    per_ours = ours.triples / max(ours.records, 1)
    per_ref = ref.triples / max(ref.records, 1)
    print(f"| triples per record | {per_ours:.1f} | {per_ref:.1f} | {per_ours / per_ref:.2f} |")
    print(
        f"| N-Triples bytes per record | {sizes['ours'] / max(ours.records, 1):,.0f} "
        f"| {sizes['mrrc'] / max(ref.records, 1):,.0f} | "
        f"{sizes['ours'] / max(ours.records, 1) / (sizes['mrrc'] / max(ref.records, 1)):.2f} |"
    )
    print()
    end_to_end = rate(ours.records, ours.total)
    print(
        f"ours end to end: {end_to_end:,.0f} records/s = "
        f"{end_to_end / MARC2BIBFRAME2_PUBLISHED:.2f} x marc2bibframe2 (published figure, "
        f"~{MARC2BIBFRAME2_PUBLISHED:.0f} records/s per CPU as cited in the issue; not measured here)"
    )
    print(
        "mrrc end to end: "
        f"{rate(ref.records, ref.total) / MARC2BIBFRAME2_PUBLISHED:.2f} x marc2bibframe2 (published figure)"
    )


if __name__ == "__main__":
    main()
