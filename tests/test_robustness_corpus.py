"""The robustness corpus: every deliberately broken record of the public MARC test suites the shared
corpus holds (tests/data/broken, PROVENANCE.md there), ingested in one run with good records after
them. The run goes to its end; every record read is loaded or quarantined (unreadable,
unconvertible or with SHACL violations), reported with its file and position, kept with its bytes;
and nothing valid is lost: every record pymarc itself reads strictly, and that our converter makes
a conforming description of, is loaded.

tests/test_cli.py and tests/test_pipeline.py ingest pymarc's bad_records.mrc alone; this is the
whole corpus, counted record by record."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pymarc
import pytest

from lod.errors import InputError, RecordError
from lod.ingest import IngestReport, Source, ingest_files
from lod.marcio import read_record
from lod.pipeline import convert, validate
from lod.quarantine import Problem, Quarantine
from lod.store import OxigraphStore
from lod.uris import Minter
from tests.conftest import SAMPLE, run_lod

BROKEN = Path(__file__).parent / "data" / "broken"
FILES = sorted(p for p in BROKEN.iterdir() if p.suffix in {".mrc", ".dat", ".marc", ".xml"})
GOOD = SAMPLE / "vietnamese.xml"
LIBRARY = "VN-BROKEN"


def records_in(path: Path) -> int:
    """How many records the file holds, counted without any MARC reader: record terminators in
    ISO 2709, <record> elements in MARCXML."""
    data = path.read_bytes()
    if path.suffix == ".xml":
        return len(re.findall(rb"<(?:\w+:)?record[\s>]", data))
    return data.count(b"\x1d") + (0 if data.rstrip().endswith(b"\x1d") else 1)


def pymarc_readable(path: Path) -> list[pymarc.Record]:
    """The records pymarc reads without complaint (strict UTF-8, its own MARC-8 decoding)."""
    if path.suffix == ".xml":
        try:
            return [r for r in pymarc.parse_xml_to_array(io.BytesIO(path.read_bytes())) if r is not None]
        except Exception:
            return []
    found = []
    with open(path, "rb") as handle:
        reader = pymarc.MARCReader(handle, to_unicode=True, utf8_handling="strict", permissive=True)
        for record in reader:
            if record is not None and reader.current_exception is None:
                found.append(record)
    return found


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory, minter: Minter
) -> tuple[OxigraphStore, list[IngestReport], Quarantine, list[InputError]]:
    store = OxigraphStore.open(None)
    quarantine = Quarantine(tmp_path_factory.mktemp("robustness") / "quarantine")
    errors: list[InputError] = []
    sources = [Source(p, LIBRARY) for p in [*FILES, GOOD]]
    reports = ingest_files(
        store,
        sources,
        minter,
        quarantine=quarantine,
        on_error=errors.append,
    )
    return store, reports, quarantine, errors


def test_the_corpus_is_here() -> None:
    assert len(FILES) >= 14 and (BROKEN / "PROVENANCE.md").is_file()
    for path in FILES:
        assert path.name in (BROKEN / "PROVENANCE.md").read_text(encoding="utf-8"), path.name


def test_every_record_read_is_loaded_or_quarantined_and_reported(
    ingested: tuple[OxigraphStore, list[IngestReport], Quarantine, list[InputError]],
) -> None:
    store, reports, quarantine, errors = ingested
    assert [r.source for r in reports] == [str(p) for p in [*FILES, GOOD]]  # the run went to its end
    for path, report in zip([*FILES, GOOD], reports, strict=True):
        kept = {e.position: e for e in quarantine.list() if e.source == str(path)}
        # every record not loaded is told through on_error, the quarantined ones too
        told = [e for e in errors if isinstance(e, RecordError) and e.source == str(path)]
        assert report.read == records_in(path), path.name  # no record vanished in the reader
        assert report.read == report.loaded + report.unchanged + report.quarantined, path.name
        assert report.skipped == len(told) == report.quarantined == len(kept), path.name
        for error in told:  # one line each, naming the file and the record, in both languages
            assert 1 <= error.position <= report.read
            assert error.message("en").startswith(f"{path}: record {error.position}")
            assert error.message("vi").startswith(f"{path}: biểu ghi {error.position}")
            entry = kept[error.position]  # and each kept, with its bytes and why
            assert entry.library == LIBRARY and entry.record
            assert entry.messages("en") and entry.messages("vi") != entry.messages("en")
            if entry.stage != "validation":
                assert entry.error is not None and entry.error["key"] == error.reason_key
                assert entry.messages("en") == [Problem.from_error(error).messages["en"]]
        assert len({e.position for e in told}) == len(told), path.name  # each bad record once
    good = reports[-1]
    assert good.read == good.loaded > 0 and good.skipped == 0  # after all the broken ones
    total = sum(r.read for r in reports)
    loaded = sum(r.loaded for r in reports)
    assert 0 < loaded < total
    stages = Counter(e.stage for e in quarantine.list())
    assert stages["unreadable"] >= 6 and stages["unconvertible"] >= 1 and stages["validation"] >= 1


def test_nothing_valid_is_lost(
    ingested: tuple[OxigraphStore, list[IngestReport], Quarantine, list[InputError]], minter: Minter
) -> None:
    """Every record pymarc reads strictly, with a 001, that our converter describes conformingly,
    is in the store (or, bibliographic or not, was at least reported)."""
    store, _, quarantine, errors = ingested
    checked = 0
    for path in FILES:
        reported = {e.control for e in errors if isinstance(e, RecordError) and e.source == str(path)} | {
            e.control for e in quarantine.list() if e.source == str(path)
        }
        for record in pymarc_readable(path):
            field = record.get("001")
            control = (field.data or "").strip() if field is not None else ""
            if not control:
                continue
            # what pymarc read, as UTF-8 ISO 2709 saying so, through our reader and converter
            leader = str(record.leader)
            record.leader = pymarc.Leader(leader[:9] + "a" + leader[10:])
            item = read_record(record.as_marc(), str(path), 0)
            try:
                converted = convert(item, LIBRARY, minter)
            except RecordError:
                instance = minter.instance(minter.record_id(LIBRARY, control))
                assert control in reported or store.exists(instance), (path.name, control)
                continue
            accepted = validate([converted])[0]
            if accepted and not converted.deleted:
                checked += 1
                assert store.exists(minter.instance(minter.record_id(LIBRARY, control))), (path.name, control)
    assert checked >= 30  # oss.marc's good records, the openlibrary ones, pymarc's readable ones


def test_the_command_goes_on_with_worker_processes_and_counts_the_same(
    ingested: tuple[OxigraphStore, list[IngestReport], Quarantine, list[InputError]], tmp_path: Path
) -> None:
    _, reports, _, _ = ingested
    done = run_lod(
        "--store",
        str(tmp_path / "store"),
        "--quarantine",
        str(tmp_path / "q"),
        "--lang",
        "en",
        "ingest",
        "marc",
        *map(str, [*FILES, GOOD]),
        "--library",
        LIBRARY,
        "--workers",
        "2",
        env={"LOD_WORKERS": "2"},
    )
    assert done.returncode == 1, done.stderr  # some input did not conform: not an error
    read, loaded, skipped = (sum(getattr(r, k) for r in reports) for k in ("read", "loaded", "skipped"))
    assert f"Total: read {read}, loaded {loaded}, unchanged 0, skipped {skipped}" in done.stderr
    assert len(list((tmp_path / "q").glob("*.json"))) == sum(r.quarantined for r in reports) == skipped
