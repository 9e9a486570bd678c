"""Convert every MARC file under a directory and report what could not be read or converted.

    python bench/corpus_check.py [DIR ...] [--quiet]      (default DIR: ../shared/corpus)

Per file: records converted, records that could not be read (with record number and reason) and
records whose conversion raised (a converter bug: with record number, control number and the
exception). Files that are not MARC at all (registry data, notes) are listed as skipped.
Exit code: 0 when no conversion raised, 1 when some did, 2 when no MARC file was found.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.errors import InputError
from lod.marcio import read_marc
from lod.uris import Minter

ROOT = Path(__file__).resolve().parent.parent
MARC_SUFFIXES = {".mrc", ".marc", ".xml", ".dat", ".bin", ".iso", ".mrk21"}


@dataclass
class FileResult:
    path: Path
    converted: int = 0
    triples: int = 0
    unreadable: list[str] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)
    skipped: str | None = None


def check_file(path: Path, minter: Minter) -> FileResult:
    result = FileResult(path)
    try:
        for item in read_marc(path):
            if item.record is None:
                reason = item.error.message("en") if item.error is not None else "unreadable"
                result.unreadable.append(reason)  # it names the file and the record
                continue
            control = item.control_number or f"{path.name}#{item.position}"
            try:
                triples = convert_record(item.record, RecordContext(minter, "CHECK", control))
            except Exception as exc:  # the point of the script: find converter crashes
                where = traceback.extract_tb(exc.__traceback__)[-1]
                result.crashed.append(
                    f"record {item.position} (001 {control}): {type(exc).__name__}: {exc} "
                    f"[{Path(where.filename).name}:{where.lineno}]"
                )
                continue
            result.converted += 1
            result.triples += len(triples)
    except InputError as exc:
        if result.converted == 0 and not result.unreadable:
            result.skipped = exc.message("en")
        else:
            result.unreadable.append(f"after record {result.converted}: {exc.message('en')}")
    return result


def marc_files(folders: list[Path]) -> list[Path]:
    return sorted(
        p
        for folder in folders
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in MARC_SUFFIXES
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", nargs="*", type=Path, default=[ROOT.parent / "shared" / "corpus"])
    parser.add_argument("--quiet", action="store_true", help="only the totals and the problems")
    args = parser.parse_args(argv)
    files = marc_files(args.folders)
    if not files:
        print(f"no MARC files under {', '.join(map(str, args.folders))}", file=sys.stderr)
        return 2
    minter = Minter("http://127.0.0.1:5000/")
    totals: Counter[str] = Counter()
    started = time.perf_counter()
    for path in files:
        result = check_file(path, minter)
        name = os.path.relpath(path)
        if result.skipped is not None:
            totals["skipped files"] += 1
            print(f"skipped  {name}: {result.skipped}")
            continue
        totals["files"] += 1
        totals["converted"] += result.converted
        totals["triples"] += result.triples
        totals["unreadable"] += len(result.unreadable)
        totals["crashed"] += len(result.crashed)
        if not args.quiet or result.unreadable or result.crashed:
            print(
                f"{result.converted:6d} converted  {len(result.unreadable):3d} unreadable  "
                f"{len(result.crashed):3d} crashed  {name}"
            )
        for line in result.unreadable:
            print(f"    unreadable: {line}")
        for line in result.crashed:
            print(f"    CRASHED    {line}")
    seconds = time.perf_counter() - started
    print(
        f"\n{totals['files']} MARC files ({totals['skipped files']} other files skipped): "
        f"{totals['converted']:,} records converted ({totals['triples']:,} triples), "
        f"{totals['unreadable']} unreadable, {totals['crashed']} crashed, in {seconds:.0f} s"
    )
    return 1 if totals["crashed"] else 0


if __name__ == "__main__":
    sys.exit(main())
