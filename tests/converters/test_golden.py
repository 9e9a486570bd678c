"""Golden records: real MARC records (and the Vietnamese fixtures) against their stored graphs.

Each `tests/data/golden/expected/<key>.ttl` is the graph `convert_record` gave for one record when
the expected files were last regenerated; a change in the converter's output shows up here as
the triples only in the expected graph and only in the converter's output. When the change is
intended, regenerate (`python -m tests.converters.golden`) and review the diff of the .ttl files.
Sources and the reason each record was chosen: tests/data/golden/SOURCES.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import (
    ERROR,
    EXPECTED,
    FIXTURES,
    SOURCES_MD,
    TTL,
    all_records,
    convert,
    diff_report,
    error_text,
    expected_files,
    parse_turtle,
    to_turtle,
)
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

MIN_REAL_RECORDS = 40


@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.stem)
def test_golden_record(path: Path) -> None:
    """The converter's graph for the record is isomorphic to the stored one (or raises the same)."""
    rec = all_records().get(path.stem)
    assert rec is not None, f"{path.name}: no golden record has this key; regenerate the expected files"
    where = f"{rec.key} ({rec.path.name} record {rec.position})"
    if path.suffix == ERROR:
        stored = path.read_text(encoding="utf-8")
        try:
            convert(rec)
        except Exception as exc:
            assert error_text(exc) == stored, f"{where}: raised another error than the stored one"
        else:
            pytest.fail(f"{where}: converts now, but the stored outcome is {stored.strip()!r}", pytrace=False)
        return
    expected = parse_turtle(path.read_text(encoding="utf-8"))
    actual = convert(rec)
    if not isomorphic(expected, actual):
        pytest.fail(f"{where}: {diff_report(expected, actual)}", pytrace=False)


def test_every_record_has_an_expected_file_and_vice_versa() -> None:
    keys = set(all_records())
    stored = {p.stem for p in expected_files()}
    assert len(stored) == len(expected_files()), "a key has both a .ttl and a .error file"
    assert sorted(keys - stored) == [], "records without an expected file: regenerate"
    assert sorted(stored - keys) == [], "expected files without a record: regenerate"


def test_the_golden_set_is_mostly_real_records_plus_the_vietnamese_fixtures() -> None:
    records = list(all_records().values())
    real = [r for r in records if r.real]
    assert len(real) >= MIN_REAL_RECORDS
    for fixture in FIXTURES:
        assert any(r.path == fixture for r in records), fixture
    assert all(r.item.record is not None for r in records), "an unreadable record in the golden set"


def test_sources_md_names_every_real_record() -> None:
    text = SOURCES_MD.read_text(encoding="utf-8")
    missing = [r.key for r in all_records().values() if r.real and f"`{r.key}`" not in text]
    assert missing == []


def test_expected_files_are_as_regenerated() -> None:
    """Stored Turtle is the generator's own stable form (not hand-edited), so diffs stay small."""
    edited = []
    for path in EXPECTED.glob(f"*{TTL}"):
        text = path.read_text(encoding="utf-8")
        body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# golden:"))
        if to_turtle(parse_turtle(body)) != body:
            edited.append(path.name)
    assert edited == []


def test_diff_report_shows_both_sides_as_turtle() -> None:
    ex = "http://example.org/"
    expected, actual = Graph(), Graph()
    for g in (expected, actual):
        g.add((URIRef(ex + "w"), URIRef(ex + "title"), Literal("Truyện Kiều")))
    expected.add((URIRef(ex + "w"), URIRef(ex + "date"), Literal("1820")))
    actual.add((URIRef(ex + "w"), URIRef(ex + "date"), Literal("1820", lang="vi")))
    report = diff_report(expected, actual)
    only_expected, only_actual = report.split("+++ only in actual")
    assert "1 only in expected, 1 only in actual" in report
    assert '"1820"' in only_expected and "@vi" not in only_expected
    assert '"1820"@vi' in only_actual
    assert "Truyện Kiều" not in report
