"""lod.registry: reading and checking registry files row by row, loading in place, exporting."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from lod.ingest import ingest_file
from lod.registry import (
    check_rows,
    export_records,
    ingest_registry,
    is_registered,
    read_rows,
    write_export,
)
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.vocab import LODV, RDFS, SCHEMA
from tests.conftest import SAMPLE

BF = "http://id.loc.gov/ontologies/bibframe/"

DATA = Path(__file__).parent / "data" / "registry"
HEADER = "id,name,type,isil,province_code,street,services"


def problems(path: Path, lang: str = "en") -> dict[str, list[str]]:
    rows, _ = read_rows(path)
    _, errors = check_rows(rows)
    found: dict[str, list[str]] = {}
    for error in errors:
        found.setdefault(error.ident or f"row {error.row}", []).append(error.message(lang))
    return found


def test_every_bad_row_is_reported_with_its_row_and_reason_and_good_rows_pass() -> None:
    rows, _ = read_rows(DATA / "bad.csv")
    checked, _ = check_rows(rows)
    assert sorted(c.record.id for c in checked) == ["ok-1", "ok-2"]
    found = problems(DATA / "bad.csv")
    assert (
        "ISIL “VN_HN 001” is invalid" in found["bad-isil"][0]
        and "row 3 (id bad-isil)" in found["bad-isil"][0]
    )
    assert "type “bảo tàng” is not a known code" in found["bad-type"][0]
    assert "province code “99”" in found["bad-province"][0]
    assert "id “ok-1” repeats row 2" in found["ok-1"][0]
    assert "swapped" in found["bad-coords"][0]
    assert "not decimal numbers" in found["bad-coords2"][0]
    assert "commune 00004 (Phường Ba Đình) is in province 01, not 79" in found["bad-commune"][0]
    many = " | ".join(found["bad-many"])  # every problem of a row, not just the first
    for part in (
        "name is missing",
        "ISIL “xx”",
        "founded: date “3000”",
        "website “ftp://x”",
        "services “bay”",
    ):
        assert part in many


def test_messages_are_vietnamese_too() -> None:
    found = problems(DATA / "bad.csv", "vi")
    assert found["bad-province"][0].startswith(f"{DATA / 'bad.csv'}: dòng 5 (id bad-province): mã tỉnh “99”")
    assert "vĩ độ và kinh độ bị đảo" in found["bad-coords"][0]


def test_a_row_in_another_encoding_costs_that_row_only() -> None:
    rows, _ = read_rows(DATA / "encoding.csv")
    checked, errors = check_rows(rows)
    assert [c.record.name for c in checked] == ["Thư viện UTF-8", "Thư viện bốn"]
    assert len(errors) == 1 and errors[0].row == 3
    assert "not valid UTF-8 (byte 0xfd at offset 10)" in errors[0].message("en")


def test_mojibake_is_repaired_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "moji.csv"
    path.write_text("id,name,type\nm-1,Th\u00ad viÖn tØnh Hµ Giang,public\n", encoding="utf-8")  # TCVN3
    rows, _ = read_rows(path)
    checked, errors = check_rows(rows)
    assert not errors
    assert checked[0].record.name == "Thư viện tỉnh Hà Giang"
    assert "repaired TCVN3" in checked[0].notes[0].message("en")


def test_former_province_codes_resolve_to_2025_ones_with_a_note() -> None:
    rows, _ = read_rows(DATA / "libraries.csv")
    checked, errors = check_rows(rows)
    assert not errors
    tq = next(c for c in checked if c.record.id == "tv-tq")
    assert tq.record.province_code == "08"  # Hà Giang (02) merged into Tuyên Quang
    assert tq.record.type == "public"  # given as its Vietnamese label "Thư viện công cộng"
    assert "former province code 02" in tq.notes[0].message("en")


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_and_json_lines_read_the_same_field_set(tmp_path: Path, suffix: str) -> None:
    items = [
        {"id": "j-1", "name": "Thư viện JSON", "type": "academic", "services": ["lending", "reference"]},
        {"id": "j-2", "name": "Thư viện hai", "type": "nope", "colour": "blue"},
    ]
    path = tmp_path / f"registry{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    rows, unknown = read_rows(path)
    checked, errors = check_rows(rows)
    assert unknown == ["colour"]
    assert [c.record.services for c in checked] == [("lending", "reference")]
    assert [(e.row, e.ident) for e in errors] == [(2, "j-2")]


def _names(store: OxigraphStore, library: NamedNode) -> set[str]:
    return {q.object.value for q in store._store.quads_for_pattern(library, SCHEMA.name, None)}


def test_reingesting_a_changed_file_updates_libraries_in_place(tmp_path: Path, minter: Minter) -> None:
    store = OxigraphStore.open(None)
    first = tmp_path / "v1.csv"
    first.write_text(
        f"{HEADER}\na,Thư viện A,public,VN-TESTA,01,1 Phố Cũ,lending;children\n", encoding="utf-8"
    )
    assert ingest_registry(store, first, minter).loaded == 1
    old_iri = minter.library("VN-TESTA")
    assert _names(store, old_iri) == {"Thư viện A"}
    second = tmp_path / "v2.csv"  # new name, no street, one service fewer, and a new ISIL
    second.write_text(f"{HEADER}\na,Thư viện A mới,public,VN-TESTB,01,,lending\n", encoding="utf-8")
    for _ in range(2):  # twice: the second time must change nothing
        ingest_registry(store, second, minter)
        new_iri = minter.library("VN-TESTB")
        assert not store.exists(old_iri)
        assert _names(store, new_iri) == {"Thư viện A mới"}
        assert [r.street for r in export_records(store, minter)] == [None]
        assert [r.services for r in export_records(store, minter)] == [("lending",)]
        assert len(store.graph_names(minter.library_graph("").value)) == 1
        assert store.triple_count() == _count_after_one_ingest(second, minter)


def _count_after_one_ingest(path: Path, minter: Minter) -> int:
    fresh = OxigraphStore.open(None)
    ingest_registry(fresh, path, minter)
    return fresh.triple_count()


def test_export_reads_back_what_was_ingested(minter: Minter) -> None:
    store = OxigraphStore.open(None)
    ingest_registry(store, DATA / "libraries.csv", minter)
    rows, _ = read_rows(DATA / "libraries.csv")
    checked, _ = check_rows(rows)
    assert export_records(store, minter) == sorted((c.record for c in checked), key=lambda r: r.id)
    out = io.StringIO()
    write_export(export_records(store, minter), "csv", out)
    lines = out.getvalue().splitlines()
    assert lines[0] == (DATA / "libraries.csv").read_text(encoding="utf-8").splitlines()[0]
    assert any(line.startswith("tv-hn-nhi,") and ",tv-hn," in line for line in lines)


def test_a_library_met_first_in_marc_is_flagged_then_registered(tmp_path: Path, minter: Minter) -> None:
    store = OxigraphStore.open(None)
    report = ingest_file(store, SAMPLE / "vietnamese.xml", "VN-TEST1", minter)
    library = minter.library("VN-TEST1")
    assert report.loaded > 0
    assert ("registry.unregistered_library", {"code": "VN-TEST1"}) in [(n[2], n[3]) for n in report.notes]
    assert not is_registered(store, library)
    flags = list(store._store.quads_for_pattern(library, LODV.registered, None))
    assert [q.object for q in flags] == [Literal(False)]
    ingest_registry(store, DATA / "libraries.csv", minter)
    assert is_registered(store, library)
    assert not list(store._store.quads_for_pattern(library, LODV.registered, None))
    labels = {q.object.value for q in store._store.quads_for_pattern(library, RDFS.label, None)}
    assert labels == {"Thư viện Hà Nội", "Hanoi Library"}  # the placeholder's code label is gone
    again = ingest_file(store, SAMPLE / "vietnamese.xml", "tv-hn", minter)  # by registry id
    assert not [n for n in again.notes if n[2] == "registry.unregistered_library"]
    held = list(store._store.quads_for_pattern(None, NamedNode(BF + "heldBy"), library))
    assert held  # the items still point at the library, now a registered one


def test_the_json_schema_documents_the_same_field_set_and_rules() -> None:
    import jsonschema

    from lod.converters.registry import FIELD_NAMES

    schema = json.loads(
        (Path(__file__).parent.parent / "ontologies" / "registry.schema.json").read_text("utf-8")
    )
    assert list(schema["properties"]) == list(FIELD_NAMES)
    validator = jsonschema.Draft202012Validator(schema)
    rows, _ = read_rows(SAMPLE / "registry.csv")
    checked, errors = check_rows(rows)
    assert not errors and len(checked) == 39
    for item in checked:  # every sample library is valid under the schema too
        record = {k: v for k, v in item.row.values.items() if v}
        assert not list(validator.iter_errors(record)), record
    bad = {"id": "bad id", "name": "", "type": "museum", "isil": "VN_HN 001", "colour": "blue"}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    for part in ("bad id", "museum", "VN_HN 001", "colour"):
        assert part in messages
