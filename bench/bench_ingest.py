"""Ingest throughput, each stage side by side with its reference, in one run.

    python bench/bench_ingest.py [--records N] [--corpus DIR]

Stages and references (records per second; ratio = ours / reference):
  read     lod.marcio.read_marc          vs  pymarc's own readers (MARCReader / parse_xml_to_array)
  convert  read + lod.converters.marc    vs  read alone                      (what conversion costs)
  validate lod.fastshacl, batches of 500 vs pyshacl, batches of 500       (bench_validate.py: 20,000+)
  load     OxigraphStore.replace_records vs  pyoxigraph bulk_load of the same quads (the floor)
Memory: peak RSS of the process (ru_maxrss) is printed at the end.

Uses ../shared/corpus (the real-data corpus) when present, else data/sample.
"""

from __future__ import annotations

import argparse
import glob
import io
import resource
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pymarc
from pyoxigraph import Quad, RdfFormat, Store, serialize

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.marcio import read_marc
from lod.pipeline import split_shared
from lod.store import OxigraphStore, RecordGraph
from lod.uris import Minter
from lod.validation import validate_records

ROOT = Path(__file__).resolve().parent.parent


def corpus_files(corpus: Path) -> list[Path]:
    patterns = [
        "marcxml/lc-marc2bibframe2-dataset/*.xml",
        "marcxml/aco_*.xml",
        "marc/evergreen/*.mrc",
        "marc/evergreen/*.marc",
    ]
    found = [Path(p) for pattern in patterns for p in sorted(glob.glob(str(corpus / pattern)))]
    return found or sorted((ROOT / "data" / "sample").glob("*.xml"))


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def pymarc_read(files: list[Path], limit: int) -> int:
    count = 0
    for path in files:
        if path.suffix == ".xml":
            count += len(pymarc.parse_xml_to_array(str(path)))
        else:
            with open(path, "rb") as handle:
                for _ in pymarc.MARCReader(handle, to_unicode=True, permissive=True):
                    count += 1
        if count >= limit:
            break
    return count


def our_read(files: list[Path], limit: int) -> list[Any]:
    items: list[Any] = []
    for path in files:
        items.extend(r for r in read_marc(path) if r.record is not None and r.control_number)
        if len(items) >= limit:
            break
    return items[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--validate-records", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    minter = Minter("http://127.0.0.1:5000/")
    rows: list[tuple[str, int, float, float]] = []

    reference_seconds, reference_count = timed(lambda: pymarc_read(files, args.records))
    read_seconds, items = timed(lambda: our_read(files, args.records))
    n = len(items)
    rows.append(("read (lod.marcio vs pymarc)", n, n / read_seconds, reference_count / reference_seconds))

    def convert_all() -> list[RecordGraph]:
        graphs = []
        for item in items:
            ctx = RecordContext(minter, "BENCH", item.control_number)
            own, shared = split_shared(convert_record(item.record, ctx), minter)
            graphs.append(RecordGraph(minter.record_graph(ctx.record_id), own, shared))
        return graphs

    convert_seconds, graphs = timed(convert_all)
    rows.append(("convert (read+convert vs read)", n, n / (read_seconds + convert_seconds), n / read_seconds))

    sample = [[*g.triples, *g.shared] for g in graphs[: args.validate_records]]
    batch_seconds, _ = timed(
        lambda: [validate_records(sample[i : i + 500]) for i in range(0, len(sample), 500)]
    )
    reference_seconds, _ = timed(
        lambda: [validate_records(sample[i : i + 500], engine="pyshacl") for i in range(0, len(sample), 500)]
    )
    rows.append(
        (
            "validate (lod.fastshacl vs pyshacl, batches of 500)",
            len(sample),
            len(sample) / batch_seconds,
            len(sample) / reference_seconds,
        )
    )

    store = OxigraphStore.open(None)
    load_seconds, quads = timed(lambda: store.replace_records(graphs, minter.shared_graph()))
    nquads = (
        serialize(
            (Quad(s, p, o, g.graph) for g in graphs for s, p, o in g.triples),
            format=RdfFormat.N_QUADS,
        )
        or b""
    )
    floor = Store()
    floor_seconds, _ = timed(lambda: floor.bulk_load(io.BytesIO(nquads), format=RdfFormat.N_QUADS))
    rows.append(("load (replace_records vs bulk_load)", n, n / load_seconds, n / floor_seconds))

    print(
        f"Ingest benchmark, {date.today().isoformat()}, Python {sys.version.split()[0]}, "
        f"{n} records ({quads} quads) from {len(files)} files"
    )
    print(f"{'stage':44} {'records':>8} {'ours rec/s':>11} {'ref rec/s':>11} {'ratio':>7}")
    for name, count, ours, reference in rows:
        print(f"{name:44} {count:8d} {ours:11.0f} {reference:11.0f} {ours / reference:7.2f}")
    total = read_seconds + convert_seconds + load_seconds + batch_seconds * n / len(sample)
    print(f"end to end (read+convert+validate+load, estimated): {n / total:.0f} records/s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
