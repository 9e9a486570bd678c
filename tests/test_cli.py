"""The `lod` command, run as a real process."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from tests.conftest import SAMPLE, run_lod

BROKEN = Path(__file__).parent / "data" / "pipeline"
VIETNAMESE = str(SAMPLE / "vietnamese.xml")


def test_help_lists_the_commands() -> None:
    done = run_lod("--help")
    assert done.returncode == 0
    for command in ("ingest", "convert", "validate", "serve", "stats"):
        assert command in done.stdout


def test_ingest_goes_on_after_bad_records_and_counts_them(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    done = run_lod(
        "--store",
        store,
        "--quarantine",
        str(tmp_path / "quarantine"),
        "--lang",
        "en",
        "ingest",
        "marc",
        str(BROKEN / "bad_records.mrc"),
        str(tmp_path / "missing.mrc"),
        VIETNAMESE,
        "--library",
        "DEMO-VN1",
    )
    assert done.returncode == 1  # some input did not conform
    lines = done.stderr.splitlines()
    # every bad record is quarantined, and told as such: library, file, record number, reason
    record_errors = [
        line for line in lines if line.startswith(f"DEMO-VN1: {BROKEN / 'bad_records.mrc'}: record ")
    ]
    assert len(record_errors) == 8
    assert sum("unreadable: " in line for line in record_errors) == 6
    assert sum("no control number (001)" in line for line in record_errors) == 2
    assert any("missing.mrc" in line and "No such file" in line for line in lines)  # a file: no entry
    assert "Total: read 20, loaded 12, unchanged 0, skipped 9" in lines[-1]
    assert "quarantined 8" in lines[-1]
    assert len(list((tmp_path / "quarantine").glob("*.json"))) == 8
    assert "\r" not in done.stderr  # no progress display when stderr is not a terminal
    stats = run_lod("--store", store, "stats", "--json")
    assert stats.returncode == 0
    counts = json.loads(stats.stdout)
    assert counts["instances"] == 12 and counts["triples"] > 1000


def test_vietnamese_messages_by_default(tmp_path: Path) -> None:
    done = run_lod(
        "--store",
        str(tmp_path / "s"),
        "ingest",
        "marc",
        str(BROKEN / "talis_no_title2.mrc"),
        "--library",
        "X",
        env={"LOD_LANG": "vi"},
    )
    assert done.returncode == 1
    assert "biểu ghi 1 (001 e02ac0e42cb64948912dde564dbf19d7)" in done.stderr
    assert (
        "Ấn phẩm phải có nhan đề" in done.stderr
        and "Tổng: đọc 1, nạp 0, không đổi 0, bỏ qua 1" in done.stderr
    )


def test_manifest_if_empty_loads_once(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    manifest = str(SAMPLE / "manifest.toml")
    first = run_lod("--store", store, "--lang", "en", "ingest", "manifest", manifest, "--if-empty")
    assert first.returncode == 0, first.stderr
    assert "Total: read 46, loaded 46, unchanged 0, skipped 0" in first.stderr
    second = run_lod("--store", store, "--lang", "en", "ingest", "manifest", manifest, "--if-empty")
    assert second.returncode == 0 and "already holds data" in second.stderr


def test_convert_formats_agree(tmp_path: Path) -> None:
    graphs = {}
    for fmt, parser in (("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld")):
        done = run_lod("convert", VIETNAMESE, "--format", fmt, "--library", "DEMO-VN1")
        assert done.returncode == 0, done.stderr
        graphs[fmt] = rdflib.Graph().parse(data=done.stdout, format=parser)
    assert len(graphs["nt"]) > 1000
    assert isomorphic(graphs["nt"], graphs["ttl"]) and isomorphic(graphs["nt"], graphs["jsonld"])


def test_convert_describes_each_shared_entity_once(tmp_path: Path) -> None:
    """Places, publishers and subjects named by many records are described once in the output."""
    done = run_lod("convert", VIETNAMESE, "--format", "nt", "--library", "DEMO-VN1")
    assert done.returncode == 0, done.stderr
    shared = [
        line
        for line in done.stdout.splitlines()
        if any(f"/resource/{kind}/" in line.split(" ", 1)[0] for kind in ("agent", "topic", "place"))
        and " _:" not in line
    ]
    assert len(shared) > 100
    assert len(shared) == len(set(shared)), "a statement about a shared entity is repeated"
    places = [line for line in shared if "/resource/place/" in line and "rdf-schema#label" in line]
    hanoi = [line for line in places if line.endswith(' "H." .')]  # Hà Nội, as the records abbreviate it
    assert len(hanoi) == 1  # ten records were published there


def test_convert_needs_no_store_and_reports_skips(tmp_path: Path) -> None:
    done = run_lod("--store", str(tmp_path / "never"), "convert", str(BROKEN / "bad_records.mrc"))
    assert done.returncode == 1
    assert not (tmp_path / "never").exists()
    assert done.stderr.splitlines()[-1] == "Tổng: bỏ qua 8 biểu ghi không chuyển đổi được"


MOJIBAKE_RECORD = """<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader>
<controlfield tag="001">MOJI1</controlfield>
<datafield tag="245" ind1="1" ind2="0">
<subfield code="a">Khæ mÉu MARC 21 cho d÷ liÖu th− môc</subfield></datafield>
<datafield tag="500" ind1=" " ind2=" "><subfield code="a">Xin chaøo caùc baïn</subfield></datafield>
</record></collection>"""


def test_convert_repairs_mojibake_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "mojibake.xml"
    path.write_text(MOJIBAKE_RECORD, encoding="utf-8")
    done = run_lod("--lang", "en", "convert", str(path), "--format", "nt")
    assert done.returncode == 0, done.stderr
    labels = {str(o) for o in rdflib.Graph().parse(data=done.stdout, format="nt").objects()}
    assert {"Khổ mẫu MARC 21 cho dữ liệu thư mục", "Xin chào các bạn"} <= labels
    assert not any("Khæ" in label or "chaøo" in label for label in labels)
    report = done.stderr.splitlines()
    assert any(": 1: " in line and "TCVN3" in line and "245" in line for line in report), report
    assert any(": 1: " in line and "VNI" in line and "500" in line for line in report), report


def test_bad_setting_is_a_one_line_error_with_exit_2() -> None:
    done = run_lod("stats", env={"LOD_PORT": "eighty", "LOD_LANG": "en"})
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "port" in done.stderr


def test_unreadable_store_is_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    done = run_lod("--store", str(blocker / "store"), "--lang", "en", "stats")
    assert done.returncode == 2 and "Store error" in done.stderr


REGISTRY = Path(__file__).parent / "data" / "registry"


def test_ingest_registry_reports_bad_rows_loads_the_rest_and_exports(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    done = run_lod("--store", store, "--lang", "en", "ingest", "registry",
                   str(REGISTRY / "libraries.csv"), str(REGISTRY / "bad.csv"))  # fmt: skip
    assert done.returncode == 1  # some rows did not conform
    lines = done.stderr.splitlines()
    assert any("bad.csv: row 3 (id bad-isil): ISIL" in line for line in lines)
    assert f"{REGISTRY / 'libraries.csv'}: read 6 rows, loaded 6 libraries, skipped 0, notes 1" in lines
    assert lines[-1] == f"{REGISTRY / 'bad.csv'}: read 10 rows, loaded 2 libraries, skipped 8, notes 0"
    exported = run_lod("--store", store, "registry", "export", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    ids = [json.loads(line)["id"] for line in exported.stdout.splitlines()]
    assert ids == sorted(["tv-qg", "tv-hn", "tv-hn-nhi", "tv-bk", "tv-hcm", "tv-tq", "ok-1", "ok-2"])
    good = run_lod("--store", store, "ingest", "registry", str(REGISTRY / "libraries.csv"))
    assert good.returncode == 0, good.stderr
