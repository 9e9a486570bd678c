"""The differential check of the fast SHACL validator over a whole corpus: every MARC file under a
directory is converted, and lod.fastshacl and pyshacl validate the same batches of records; their
results (focus node, path, severity, constraint component, value, messages) must be the same.

    python bench/shacl_diff.py [DIR ...] [--batch 500]        (default DIR: ../shared/corpus)

Prints per file the records, the results of each validator and the differences (the first few
in full). Exit code 0 when they agree everywhere, 1 when they do not, 2 when no MARC was found.
The test suite runs the same comparison on the golden records and broken fixtures
(tests/test_fastshacl.py); this is the run over all of ../shared/corpus that a clone cannot do.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from corpus_check import MARC_SUFFIXES, ROOT

from lod import fastshacl
from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.errors import InputError
from lod.marcio import read_marc
from lod.triples import Triple
from lod.uris import Minter
from lod.validation import reference_results


def records_of(path: Path, minter: Minter) -> list[list[Triple]]:
    records: list[list[Triple]] = []
    try:
        items = list(read_marc(path))
    except InputError:
        return records
    for item in items:
        if item.record is None:
            continue
        ctx = RecordContext(minter, "DIFF", item.control_number or f"pos{item.position}")
        try:
            records.append(convert_record(item.record, ctx))
        except Exception:  # corpus_check reports converter crashes; here they are not records
            continue
    return records


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dirs", nargs="*", type=Path, default=[ROOT.parent / "shared" / "corpus"])
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    files = sorted(p for d in args.dirs for p in d.rglob("*") if p.suffix.lower() in MARC_SUFFIXES)
    minter = Minter("http://127.0.0.1:5000/")
    started = time.perf_counter()
    total_records = total_results = differences = 0
    for path in files:
        records = records_of(path, minter)
        if not records:
            continue
        fast: Counter[fastshacl.Result] = Counter()
        reference: Counter[fastshacl.Result] = Counter()
        for i in range(0, len(records), args.batch):
            batch = [t for record in records[i : i + args.batch] for t in record]
            fast.update(fastshacl.validate(batch))
            reference.update(reference_results(batch))
        only_fast, only_reference = fast - reference, reference - fast
        total_records += len(records)
        total_results += sum(reference.values())
        differences += sum(only_fast.values()) + sum(only_reference.values())
        mark = "" if not only_fast and not only_reference else "  DIFFERENT"
        print(f"{len(records):6} records {sum(reference.values()):6} results  {path}{mark}")
        for result in [*only_fast.elements()][:3]:
            print(f"    only fast:    {result}")
        for result in [*only_reference.elements()][:3]:
            print(f"    only pyshacl: {result}")
    if not total_records:
        sys.exit(2)
    print(
        f"{total_records} records, {total_results} results, {differences} differences, "
        f"{time.perf_counter() - started:.0f} s"
    )
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
