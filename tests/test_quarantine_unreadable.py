"""Records that cannot be read or converted go to the quarantine too, as records that fail
validation do: their bytes as read, file, position, library and the reader's or converter's
error, listed and shown by `lod quarantine` and /admin/quarantine, and retried like the others.
The broken files of tests/data/broken (PROVENANCE.md there); real stores, files and processes."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pymarc
import pytest

import lod.batches as batches
import lod.quarantine
from lod.ingest import Source, ingest_file, ingest_files
from lod.marcio import SourceRecord, read_marc, read_record
from lod.quarantine import UNCONVERTIBLE, UNREADABLE, VALIDATION, Entry, Quarantine
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.web import create_app
from tests.conftest import SAMPLE, run_lod

BROKEN = Path(__file__).parent / "data" / "broken"
FILES = sorted(p for p in BROKEN.iterdir() if p.suffix in {".mrc", ".dat", ".marc", ".xml"})
BAD_RECORDS = BROKEN / "bad_records.mrc"  # pymarc's: 8 records, 6 unreadable, 2 without a 001
KOHA = SAMPLE / "vietnamese-koha.mrc"  # three good records
LIBRARY = "VN-BROKEN"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def ingest(paths: list[Path], quarantine: Quarantine, minter: Minter, workers: int = 0) -> list:  # type: ignore[type-arg]
    store = OxigraphStore.open(None)
    original = batches.BATCH_SIZE
    batches.BATCH_SIZE = 5  # several batches per file, spread over the workers
    try:
        return ingest_files(
            store, [Source(p, LIBRARY) for p in paths], minter, quarantine=quarantine, workers=workers
        )
    finally:
        batches.BATCH_SIZE = original


def records_between_terminators(path: Path) -> list[bytes]:
    return [chunk + b"\x1d" for chunk in path.read_bytes().split(b"\x1d") if chunk.strip()]


def unreadable_xml(tmp_path: Path) -> Path:
    """A good MARCXML record, then one with a mismatched end tag (the parser stops there)."""
    [good, *_] = read_marc(KOHA)
    assert good.record is not None
    record = pymarc.record_to_xml(good.record.to_pymarc(), namespace=False).decode()
    path = tmp_path / "cut.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
        f"{record}\n<record>\n<leader>00000nam a2200000 a 4500</leader>\n"
        '<controlfield tag="001">CUT-1</controlfield>\n'
        '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Cut off</datafield>\n'
        "</record>\n</collection>\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, minter: Minter) -> tuple[list, Quarantine]:  # type: ignore[type-arg]
    quarantine = Quarantine(tmp_path_factory.mktemp("unreadable") / "quarantine")
    return ingest([*FILES, KOHA], quarantine, minter), quarantine


def test_the_broken_files_ingest_to_the_end_and_every_bad_record_is_kept(corpus) -> None:  # type: ignore[no-untyped-def]
    reports, quarantine = corpus
    assert [r.source for r in reports] == [str(p) for p in [*FILES, KOHA]]
    assert reports[-1].loaded == 3  # the good file after them all
    entries = quarantine.list()
    for report in reports:
        kept = [e for e in entries if e.source == report.source]
        assert report.read == report.loaded + report.quarantined, report.source
        assert report.skipped == report.quarantined == len(kept) == len(report.errors), report.source
        # each error of the report has its entry: same file, same position, same reason
        by_position = {e.position: e for e in kept}
        for error in report.errors:
            entry = by_position[error.position]
            assert entry.library == LIBRARY and entry.record and entry.messages("en")
            if entry.stage != VALIDATION:
                assert entry.error == {"key": error.reason_key, "params": error.reason_params}
                assert entry.problems[0].messages["vi"] != entry.problems[0].messages["en"]
    stages = Counter(e.stage for e in entries)
    assert stages[UNREADABLE] >= 6 and stages[UNCONVERTIBLE] >= 1 and stages[VALIDATION] >= 1


def test_an_iso2709_entry_holds_the_bytes_between_record_terminators(corpus) -> None:  # type: ignore[no-untyped-def]
    _, quarantine = corpus
    raw = records_between_terminators(BAD_RECORDS)
    kept = {e.position: e for e in quarantine.list() if e.source == str(BAD_RECORDS)}
    assert sorted(kept) == list(range(1, 9))
    assert [kept[n].record for n in sorted(kept)] == raw
    assert Counter(e.stage for e in kept.values()) == {UNREADABLE: 6, UNCONVERTIBLE: 2}
    base_address = kept[2]
    assert base_address.stage == UNREADABLE and base_address.control is None
    assert base_address.line("en") == (
        f"{LIBRARY}: {BAD_RECORDS}: record 2: unreadable: Base address exceeds size of record"
    )
    assert base_address.messages("vi") == ["không đọc được: Base address exceeds size of record"]
    assert base_address.mnemonic() == []
    dump = "\n".join(base_address.dump())
    assert "\\x1e" in dump and "\\x1d" in dump and "\x1e" not in dump  # escaped, one field a line
    stored = json.loads((quarantine.path / f"{base_address.id}.json").read_text(encoding="utf-8"))
    assert stored["stage"] == UNREADABLE and stored["error"]["key"] == "record.unreadable"
    no_001 = kept[1]  # read, but no 001: unconvertible, with the title it has
    assert no_001.stage == UNCONVERTIBLE and no_001.title == "The pragmatic programmer"
    assert no_001.messages("en") == ["no control number (001)"] and no_001.mnemonic()


def test_worker_processes_keep_the_same_entries(corpus, minter: Minter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reports, quarantine = corpus
    parallel = Quarantine(tmp_path / "quarantine")
    reports_two = ingest([*FILES, KOHA], parallel, minter, workers=2)
    counts = ("read", "loaded", "skipped", "quarantined")
    assert [[getattr(r, c) for c in counts] for r in reports] == [
        [getattr(r, c) for c in counts] for r in reports_two
    ]

    def kept(q: Quarantine) -> list[tuple[str, str, int, str | None, bytes, str, object]]:
        return sorted((e.id, e.source, e.position, e.control, e.record, e.stage, e.error) for e in q.list())

    assert kept(parallel) == kept(quarantine)


def test_marcxml_keeps_the_record_element_or_the_fragment_the_parser_stopped_in(
    tmp_path: Path, minter: Minter
) -> None:
    quarantine = Quarantine(tmp_path / "quarantine")
    path = unreadable_xml(tmp_path)
    [report] = ingest([path], quarantine, minter)
    assert (report.read, report.loaded, report.quarantined) == (2, 1, 1)
    [entry] = quarantine.list()
    assert (entry.source, entry.position, entry.stage) == (str(path), 2, UNREADABLE)
    assert "mismatched tag: line" in entry.messages("en")[0]
    assert entry.record.startswith(b"<record>") and entry.record.endswith(b"</datafield>")
    assert b"CUT-1" in entry.record and b"<leader>00000nam" not in entry.record.split(b"<record>")[0]
    assert entry.mnemonic() == [] and any("Cut off" in line for line in entry.dump())
    [outcome] = quarantine.retry([entry.id], OxigraphStore.open(None), minter)
    assert not outcome.loaded and outcome.entry.stage == UNREADABLE
    # a record element the reader refuses (a field without a tag): its own XML is kept
    no_tag = tmp_path / "no_tag.xml"
    no_tag.write_text(
        '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader>'
        '<controlfield tag="001">T-1</controlfield><datafield ind1=" " ind2=" ">'
        '<subfield code="a">x</subfield></datafield></record></collection>',
        encoding="utf-8",
    )
    [report] = ingest([no_tag], quarantine, minter)
    [kept] = [e for e in quarantine.list() if e.source == str(no_tag)]
    assert report.quarantined == 1 and kept.messages("en") == ["unreadable: a field without a tag"]
    assert b"record" in kept.record[:40] and b"T-1" in kept.record


def test_retry_keeps_an_unreadable_record_and_loads_it_once_the_reader_reads_it(
    tmp_path: Path, minter: Minter, monkeypatch: pytest.MonkeyPatch
) -> None:
    quarantine = Quarantine(tmp_path / "quarantine")
    ingest([BAD_RECORDS], quarantine, minter)
    [entry] = [e for e in quarantine.list() if e.position == 4]  # "Invalid directory"
    store = OxigraphStore.open(None)
    [outcome] = quarantine.retry([entry.id], store, minter)
    assert not outcome.loaded and outcome.entry.messages("en") == entry.messages("en")
    assert quarantine.get(entry.id) == outcome.entry and outcome.entry.stage == UNREADABLE
    # a reader that now reads these bytes (here: as a good record): loaded, the entry goes
    [good, *_] = read_marc(KOHA)

    def fixed_reader(data: bytes, source: str, position: int) -> SourceRecord:
        return read_record(good.raw if data == entry.record else data, source, position)

    monkeypatch.setattr(lod.quarantine, "read_record", fixed_reader)
    [outcome] = quarantine.retry([entry.id], store, minter)
    assert outcome.loaded and quarantine.get(entry.id) is None
    assert store.exists(minter.instance(minter.record_id(LIBRARY, good.control_number or "")))


def test_a_fixed_record_sent_again_drops_the_entry_kept_without_a_001(tmp_path: Path, minter: Minter) -> None:
    quarantine = Quarantine(tmp_path / "quarantine")
    first, second, third = records_between_terminators(KOHA)
    bad = records_between_terminators(BAD_RECORDS)[1]  # "Base address exceeds size of record"
    sent = tmp_path / "catalogue.mrc"
    sent.write_bytes(first + bad + third)
    store = OxigraphStore.open(None)
    assert ingest_file(store, sent, LIBRARY, minter, quarantine=quarantine).quarantined == 1
    [entry] = quarantine.list()
    assert (entry.position, entry.control) == (2, None)
    sent.write_bytes(first + second + third)
    report = ingest_file(store, sent, LIBRARY, minter, quarantine=quarantine)
    assert (report.loaded, report.quarantined) == (1, 0) and quarantine.list() == []


def test_cli_lists_shows_and_retries_an_unreadable_record(tmp_path: Path) -> None:
    def lod(*args: str):  # type: ignore[no-untyped-def]
        return run_lod(
            "--store", str(tmp_path / "store"), "--quarantine", str(tmp_path / "q"), "--lang", "en", *args
        )

    done = lod("ingest", "marc", str(BAD_RECORDS), "--library", LIBRARY, "--workers", "2")
    assert done.returncode == 1, done.stderr
    assert f"{LIBRARY}: {BAD_RECORDS}: record 4: unreadable: Invalid directory" in done.stderr.splitlines()
    assert "Total: read 8, loaded 0, unchanged 0, skipped 8; conforming 0, warnings 0, quarantined 8" in (
        done.stderr
    )
    listed = lod("quarantine", "list", "--json")
    assert listed.returncode == 0
    entries = json.loads(listed.stdout)
    assert len(entries) == 8 and {e["stage"] for e in entries} == {UNREADABLE, UNCONVERTIBLE}
    [entry] = [e for e in entries if e["position"] == 4]
    assert entry["error"] == {"key": "record.unreadable", "params": {"message": "Invalid directory"}}
    shown = lod("quarantine", "show", entry["id"])
    assert shown.returncode == 0, shown.stderr
    assert "Failed at: unreadable" in shown.stdout and "The kept record cannot be read again." in shown.stdout
    assert "\\x1e" in shown.stdout
    retried = lod("quarantine", "retry", entry["id"])
    assert retried.returncode == 1
    assert (
        f"{entry['id']}: still failing: {LIBRARY}: {BAD_RECORDS}: record 4: unreadable: Invalid directory"
        in (retried.stderr)
    )
    assert "Retried 1 records: loaded 0, still quarantined 1" in retried.stderr
    assert len(json.loads(lod("quarantine", "list", "--json").stdout)) == 8


@pytest.fixture(scope="module")
def admin(settings, corpus):  # type: ignore[no-untyped-def]
    _, quarantine = corpus
    app = create_app(
        dataclasses.replace(settings, quarantine=str(quarantine.path)), store=OxigraphStore.open(None)
    )
    app.config["TESTING"] = True
    return app.test_client()


def unreadable_entry(corpus) -> Entry:  # type: ignore[no-untyped-def]
    return next(e for e in corpus[1].list() if e.source == str(BAD_RECORDS) and e.position == 2)


def test_admin_pages_show_an_unreadable_record(admin, corpus) -> None:  # type: ignore[no-untyped-def]
    entry = unreadable_entry(corpus)
    listing = admin.get("/admin/quarantine?lang=en", headers={"Accept": BROWSER})
    assert listing.status_code == 200
    html = listing.data.decode("utf-8")
    assert f'<tr data-id="{entry.id}" data-stage="unreadable">' in html
    assert "unreadable: Base address exceeds size of record" in html
    response = admin.get(f"/admin/quarantine/{entry.id}?lang=en", headers={"Accept": BROWSER})
    assert response.status_code == 200
    html = response.data.decode("utf-8")
    assert '<dd data-stage="unreadable">unreadable</dd>' in html
    assert '<pre class="raw">' in html and "\\x1e" in html and "\x1e" not in html
    data = admin.get(f"/admin/quarantine/{entry.id}?format=json").get_json()
    assert data["stage"] == UNREADABLE and data["mrk"] == [] and data["error"]["key"] == "record.unreadable"
    for other in corpus[1].list():  # every entry of the corpus, whatever its bytes
        assert admin.get(f"/admin/quarantine/{other.id}", headers={"Accept": BROWSER}).status_code == 200
