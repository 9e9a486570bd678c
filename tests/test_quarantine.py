"""The quarantine: records that fail validation are kept with their report, never loaded, and
loaded once they conform. Real store, real files, real processes; no mocks."""

from __future__ import annotations

import json
from pathlib import Path

import pymarc
import pytest

from lod.errors import InputError
from lod.ingest import ingest_file
from lod.marcio import SourceRecord, read_marc, read_record
from lod.quarantine import Quarantine, entry_id
from lod.search.sqlite import SqliteIndex
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.validation import ValidationResult
from tests.conftest import SAMPLE, run_lod

BROKEN = Path(__file__).parent / "data" / "pipeline"
NO_TITLE = BROKEN / "talis_no_title2.mrc"  # a real record without 245: no title at all
KOHA = SAMPLE / "vietnamese-koha.mrc"  # three good records
NO_TITLE_CONTROL = "e02ac0e42cb64948912dde564dbf19d7"
EMPTY_TITLE_MESSAGE = "Nhan đề phải có đúng một nhan đề chính không rỗng"


@pytest.fixture()
def store() -> OxigraphStore:
    return OxigraphStore.open(None)


@pytest.fixture()
def quarantine(tmp_path: Path) -> Quarantine:
    return Quarantine(tmp_path / "quarantine")


def koha_records() -> list[SourceRecord]:
    return list(read_marc(KOHA))


def empty_main_title(item: SourceRecord) -> bytes:
    """A good record made bad: 245 $a emptied (its $b stays, so the converter still finds a title)."""
    assert item.record is not None
    record = item.record.to_pymarc()
    field = record["245"]
    field.subfields = [pymarc.Subfield("a", ""), *(s for s in field.subfields if s.code != "a")]
    return bytes(record.as_marc())


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """Koha record 1, the same record with an empty 245 $a (001 changed), the record without 245,
    Koha records 2 and 3: two bad records between good ones."""
    first, second, third = koha_records()
    assert first.record is not None
    renumbered = first.record.to_pymarc()
    renumbered["001"].data = "BAD-1"
    bad = empty_main_title(read_record(bytes(renumbered.as_marc()), "x.mrc", 1))
    path = tmp_path / "mixed.mrc"
    path.write_bytes(first.raw + bad + NO_TITLE.read_bytes() + second.raw + third.raw)
    return path


def instance_of(minter: Minter, library: str, control: str):  # type: ignore[no-untyped-def]
    return minter.instance(minter.record_id(library, control))


# the quarantine on its own ---------------------------------------------------------------------
def test_add_list_get_remove(quarantine: Quarantine) -> None:
    first, second, _ = koha_records()
    result = ValidationResult(
        focus="http://data.test/resource/instance/x",
        path="http://id.loc.gov/ontologies/bibframe/title",
        severity="violation",
        messages={"vi": "Ấn phẩm phải có nhan đề (trường 245 $a)", "en": "An Instance must have a title"},
    )
    assert quarantine.list() == []  # no directory yet: empty, nothing created
    assert not quarantine.path.exists()
    a = quarantine.add(first, "DEMO-VN2", [result], title="Vợ nhặt")
    b = quarantine.add(second, "DEMO-VN2", [result])
    assert [e.id for e in quarantine.list()] == [b.id, a.id]  # newest first (same second: by position)
    got = quarantine.get(a.id)
    assert got == a
    assert got.record == first.raw and got.title == "Vợ nhặt" and got.control == first.control_number
    assert got.problems[0].field == "245 $a"  # from the message
    assert got.time.endswith("Z") and "T" in got.time
    stored = json.loads((quarantine.path / f"{a.id}.json").read_text(encoding="utf-8"))
    assert stored["library"] == "DEMO-VN2" and stored["position"] == 1
    assert stored["results"][0]["messages"]["vi"].startswith("Ấn phẩm")
    assert sorted(p.name for p in quarantine.path.iterdir()) == sorted([f"{a.id}.json", f"{b.id}.json"])
    assert quarantine.remove(a.id) and not quarantine.remove(a.id)
    assert quarantine.get(a.id) is None and [e.id for e in quarantine.list()] == [b.id]
    for bad in ("../etc/passwd", "", b.id.upper(), b.id + "x"):
        assert quarantine.get(bad) is None and not quarantine.remove(bad)


def test_discard_drops_the_entries_of_records_that_loaded_and_only_those(quarantine: Quarantine) -> None:
    first, second, third = koha_records()
    result = ValidationResult("http://data.test/x", None, "violation", {"vi": "Lỗi", "en": "Error"})
    loaded = [(r.source, r.position, r.control_number) for r in (first, second, third)]
    assert quarantine.discard("DEMO-VN2", loaded) == 0  # no directory yet
    a = quarantine.add(first, "DEMO-VN2", [result])
    b = quarantine.add(second, "DEMO-VN2", [result])
    assert quarantine.discard("OTHER", loaded) == 0  # the same records from another library
    assert quarantine.discard("DEMO-VN2", [loaded[0], loaded[2]]) == 1
    assert [e.id for e in quarantine.list()] == [b.id] and quarantine.get(a.id) is None


def test_line_names_library_record_control_number_title_and_messages(quarantine: Quarantine) -> None:
    first = koha_records()[0]
    result = ValidationResult(
        focus="f",
        path=None,
        severity="violation",
        messages={"vi": "Ấn phẩm phải có nhan đề (trường 245 $a)", "en": "An Instance must have a title"},
    )
    entry = quarantine.add(first, "thư-viện-X", [result], title="Truyện Kiều")
    assert entry.line("vi") == (
        f"thư-viện-X: {first.source}: biểu ghi 1 (001 {first.control_number}, “Truyện Kiều”): "
        "Ấn phẩm phải có nhan đề (trường 245 $a)"
    )
    assert entry.line("en").endswith(": record 1 (001 1021, “Truyện Kiều”): An Instance must have a title")
    mrk = entry.mnemonic()
    assert mrk[0].startswith("=LDR  ") and any(line.startswith("=245  10$aVợ nhặt") for line in mrk)


# the pipeline ----------------------------------------------------------------------------------
def test_bad_records_are_quarantined_and_not_loaded_while_batch_mates_are(
    store: OxigraphStore, minter: Minter, quarantine: Quarantine, mixed: Path
) -> None:
    told = []
    report = ingest_file(store, mixed, "DEMO-VN2", minter, quarantine=quarantine, on_quarantine=told.append)
    assert (report.read, report.loaded, report.skipped) == (5, 3, 2)
    assert (report.conforming, report.quarantined) == (3, 2)
    assert store.counts()["instances"] == 3
    for control in ("1021", "1022", "1023"):
        assert store.exists(instance_of(minter, "DEMO-VN2", control))
    for control in ("BAD-1", NO_TITLE_CONTROL):
        iri = instance_of(minter, "DEMO-VN2", control)
        assert not store.exists(iri)
        assert not [q for q in store.quads() if iri in (q.subject, q.object)]
    entries = {e.control: e for e in quarantine.list()}
    assert sorted(entries) == sorted(["BAD-1", NO_TITLE_CONTROL]) and len(told) == 2
    bad, untitled = entries["BAD-1"], entries[NO_TITLE_CONTROL]
    assert (bad.position, untitled.position) == (2, 3)
    assert bad.title == "truyện ngắn" and untitled.title is None  # what the converter found
    assert untitled.record == NO_TITLE.read_bytes()  # the source bytes, as they came
    assert EMPTY_TITLE_MESSAGE in bad.messages("vi")
    assert {p.field for p in bad.violations} == {"245 $a"}
    assert "Ấn phẩm phải có nhan đề (trường 245 $a)" in untitled.messages("vi")
    assert f"biểu ghi 2 (001 BAD-1, “truyện ngắn”): {EMPTY_TITLE_MESSAGE}" in bad.line("vi")
    assert {e.position for e in report.errors} == {2, 3}


def test_reingest_replaces_the_entry_and_a_fixed_record_drops_it(
    store: OxigraphStore, minter: Minter, quarantine: Quarantine, tmp_path: Path
) -> None:
    first = koha_records()[0]
    path = tmp_path / "one.mrc"
    path.write_bytes(empty_main_title(first))
    once = ingest_file(store, path, "DEMO-VN2", minter, quarantine=quarantine)
    [entry] = quarantine.list()
    twice = ingest_file(store, path, "DEMO-VN2", minter, quarantine=quarantine)
    assert once.quarantined == twice.quarantined == 1
    assert [e.id for e in quarantine.list()] == [entry.id]  # replaced, not piled up
    assert entry.id == entry_id("DEMO-VN2", str(path), 1, "1021")
    # the same record in a file of the same name elsewhere is the same record
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "one.mrc").write_bytes(path.read_bytes())
    ingest_file(store, other / "one.mrc", "DEMO-VN2", minter, quarantine=quarantine)
    assert [e.id for e in quarantine.list()] == [entry.id]
    # another library's copy of the record is another entry
    ingest_file(store, path, "DEMO-VN1", minter, quarantine=quarantine)
    assert len(quarantine.list()) == 2
    # the library sends the record again, fixed: it loads and its entry goes
    path.write_bytes(first.raw)
    fixed = ingest_file(store, path, "DEMO-VN2", minter, quarantine=quarantine)
    assert (fixed.loaded, fixed.quarantined) == (1, 0)
    assert quarantine.get(entry.id) is None and len(quarantine.list()) == 1


def test_without_a_quarantine_rejected_records_are_only_reported(
    store: OxigraphStore, minter: Minter, tmp_path: Path
) -> None:
    errors = []
    report = ingest_file(store, NO_TITLE, "X", minter, on_error=errors.append)
    assert (report.skipped, report.quarantined, len(errors)) == (1, 0, 1)
    assert not list(tmp_path.iterdir())


def test_marcxml_record_is_kept_as_xml_and_read_again(
    store: OxigraphStore, minter: Minter, quarantine: Quarantine, tmp_path: Path
) -> None:
    [item] = read_marc(NO_TITLE)
    assert item.record is not None
    path = tmp_path / "no-title.xml"
    xml = pymarc.record_to_xml(item.record.to_pymarc(), namespace=True)
    path.write_bytes(b"<collection xmlns='http://www.loc.gov/MARC21/slim'>" + xml + b"</collection>")
    report = ingest_file(store, path, "X", minter, quarantine=quarantine)
    assert report.quarantined == 1
    [entry] = quarantine.list()
    assert entry.record.startswith(b"<") and entry.control == NO_TITLE_CONTROL
    assert "=001  " + NO_TITLE_CONTROL in entry.mnemonic()
    [outcome] = quarantine.retry(entry.id, store, minter)
    assert not outcome.loaded and outcome.entry.control == NO_TITLE_CONTROL


# retry -----------------------------------------------------------------------------------------
def test_retry_loads_what_now_conforms_and_updates_what_still_fails(
    store: OxigraphStore, minter: Minter, quarantine: Quarantine
) -> None:
    ingest_file(store, NO_TITLE, "X", minter, quarantine=quarantine)
    [failing] = quarantine.list()
    # a record kept when the shapes or the converter said otherwise: today it conforms
    good = koha_records()[0]
    stale = ValidationResult(focus="f", path=None, severity="violation", messages={"vi": "cũ", "en": "old"})
    conforming = quarantine.add(good, "X", [stale], title="Vợ nhặt")
    assert not store.exists(instance_of(minter, "X", "1021"))

    outcomes = {o.entry.id: o for o in quarantine.retry([conforming.id, failing.id], store, minter)}
    assert outcomes[conforming.id].loaded and not outcomes[failing.id].loaded
    assert store.exists(instance_of(minter, "X", "1021"))
    assert not store.exists(instance_of(minter, "X", NO_TITLE_CONTROL))
    assert quarantine.get(conforming.id) is None
    still = quarantine.get(failing.id)
    assert still is not None and still.time >= failing.time
    assert "An Instance must have a title (field 245 $a)" in still.messages("en")
    assert quarantine.retry(None, store, minter)[0].entry.id == failing.id  # all: what is left


def test_retry_of_an_unknown_id_changes_nothing(store: OxigraphStore, minter: Minter, quarantine) -> None:
    ingest_file(store, NO_TITLE, "X", minter, quarantine=quarantine)
    [entry] = quarantine.list()
    with pytest.raises(InputError, match="nosuchentry"):
        quarantine.retry([entry.id, "nosuchentry"], store, minter)
    assert quarantine.list() == [entry]


# the command line ------------------------------------------------------------------------------
def lod(tmp_path: Path, *args: str, lang: str = "vi"):  # type: ignore[no-untyped-def]
    return run_lod(
        "--store", str(tmp_path / "store"), "--quarantine", str(tmp_path / "q"), "--lang", lang, *args
    )


def test_cli_ingest_quarantines_and_says_so(tmp_path: Path, mixed: Path) -> None:
    done = lod(tmp_path, "ingest", "marc", str(mixed), "--library", "DEMO-VN2")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert f"DEMO-VN2: {mixed}: biểu ghi 2 (001 BAD-1, “truyện ngắn”): {EMPTY_TITLE_MESSAGE}" in lines
    assert any(
        line.startswith(f"DEMO-VN2: {mixed}: biểu ghi 3 (001 {NO_TITLE_CONTROL}): Ấn phẩm phải có nhan đề")
        for line in lines
    )
    summary = "đọc 5 biểu ghi, nạp 3, không đổi 0, bỏ qua 2; hợp lệ 3, cảnh báo 0, cách ly 2"
    assert any(line.startswith(f"{mixed}: {summary}") for line in lines), lines
    assert lines[-1] == "Tổng: đọc 5, nạp 3, không đổi 0, bỏ qua 2; hợp lệ 3, cảnh báo 0, cách ly 2"
    english = lod(tmp_path, "ingest", "marc", str(mixed), "--library", "DEMO-VN2", lang="en")
    assert f"DEMO-VN2: {mixed}: record 2 (001 BAD-1, “truyện ngắn”): " in english.stderr
    # sent again: the three loaded records are passed over as they are, the two bad ones kept again
    last = english.stderr.splitlines()[-1]
    assert last == "Total: read 5, loaded 0, unchanged 3, skipped 2; conforming 3, warnings 0, quarantined 2"
    assert len(list((tmp_path / "q").glob("*.json"))) == 2  # the second run replaced the entries


def test_cli_list_show_and_retry(tmp_path: Path, mixed: Path) -> None:
    lod(tmp_path, "ingest", "marc", str(mixed), "--library", "DEMO-VN2")
    listed = lod(tmp_path, "quarantine", "list")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert len(rows) == 2 and all(len(row) == 7 for row in rows)
    by_control = {row[4]: row for row in rows}
    bad = by_control["BAD-1"]
    assert (
        bad[2:4] == ["DEMO-VN2", f"{mixed}:2"] and bad[5] == "truyện ngắn" and bad[6] == EMPTY_TITLE_MESSAGE
    )
    assert by_control[NO_TITLE_CONTROL][5] == "-"
    as_json = json.loads(lod(tmp_path, "quarantine", "list", "--json").stdout)
    assert {e["id"] for e in as_json} == {row[0] for row in rows}
    assert all("record" not in e and e["results"] for e in as_json)

    shown = lod(tmp_path, "quarantine", "show", bad[0])
    assert shown.returncode == 0, shown.stderr
    assert f"{EMPTY_TITLE_MESSAGE}" in shown.stdout and "[245 $a]" in shown.stdout
    assert "=245  10$a$btruyện ngắn /$cKim Lân" in shown.stdout and "=001  BAD-1" in shown.stdout
    english = lod(tmp_path, "quarantine", "show", bad[0], lang="en")
    assert "A Title must have exactly one non-empty main title" in english.stdout
    assert EMPTY_TITLE_MESSAGE not in english.stdout
    raw = json.loads(lod(tmp_path, "quarantine", "show", bad[0], "--json").stdout)
    assert raw["id"] == bad[0] and raw["record"] and raw["mrk"][0].startswith("=LDR")

    missing = lod(tmp_path, "quarantine", "show", "nosuchentry", lang="en")
    assert missing.returncode == 2 and "nosuchentry" in missing.stderr

    still = lod(tmp_path, "quarantine", "retry", "--all")
    assert still.returncode == 1, still.stderr
    assert "Thử lại 2 biểu ghi: nạp 0, vẫn cách ly 2" in still.stderr
    assert lod(tmp_path, "quarantine", "retry", "nosuchentry").returncode == 2
    assert lod(tmp_path, "quarantine", "retry").returncode == 2  # neither ids nor --all


def test_cli_retry_loads_a_record_that_now_conforms(tmp_path: Path) -> None:
    good = koha_records()[0]
    stale = ValidationResult(focus="f", path=None, severity="violation", messages={"vi": "cũ", "en": "old"})
    entry = Quarantine(tmp_path / "q").add(good, "DEMO-VN2", [stale])
    done = lod(tmp_path, "quarantine", "retry", entry.id, lang="en")
    assert done.returncode == 0, done.stderr
    assert f"{entry.id}: loaded: DEMO-VN2: {good.source}: record 1 (001 1021)" in done.stderr
    assert json.loads(lod(tmp_path, "stats", "--json").stdout)["instances"] >= 1
    assert lod(tmp_path, "quarantine", "list", "--json").stdout.strip() == "[]"
    # it carries the digest an ingest gives: searchable, and unchanged when the library sends it again
    assert SqliteIndex(tmp_path / "store-search.sqlite3", read_only=True).count() == 1
    again = tmp_path / "again.mrc"
    again.write_bytes(good.raw)
    sent = lod(tmp_path, "ingest", "marc", str(again), "--library", "DEMO-VN2", lang="en")
    assert sent.returncode == 0 and "unchanged 1" in sent.stderr, sent.stderr


def test_retry_of_a_record_that_cannot_be_read_keeps_it_with_the_reason(
    store: OxigraphStore, minter: Minter, quarantine: Quarantine
) -> None:
    stale = ValidationResult(focus="f", path=None, severity="violation", messages={"vi": "cũ", "en": "old"})
    entry = quarantine.add(SourceRecord("broken.mrc", 4, b"not a record\x1d"), "X", [stale])
    assert entry.mnemonic() == []
    [outcome] = quarantine.retry([entry.id], store, minter)
    assert not outcome.loaded
    assert outcome.entry.messages("en") == ["unreadable: no valid leader"]
    assert outcome.entry.messages("vi") == ["không đọc được: no valid leader"]
    assert outcome.entry.stage == "unreadable"  # it was kept for a violation; now the reader refuses it
    assert outcome.entry.error == {"key": "record.unreadable", "params": {"message": "no valid leader"}}
    assert quarantine.get(entry.id) == outcome.entry
