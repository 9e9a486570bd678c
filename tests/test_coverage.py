"""lod/coverage.py: which MARC values reach the RDF output, and `lod convert --report`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from lod.coverage import (
    COVERED_TAGS,
    CoverageReport,
    Value,
    build_haystack,
    measure,
    normalise,
    reaches,
    record_values,
    render_text,
    render_tsv,
)
from lod.errors import RecordError
from lod.marcio import read_marc
from lod.triples import Triple
from lod.uris import Minter
from tests.conftest import SAMPLE, run_lod

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
BROKEN = Path(__file__).parent / "data" / "pipeline"
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
VALUE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
WORK = NamedNode("http://data.test/resource/work/w1")


def marcxml(*records: str) -> str:
    body = "".join(f"<record><leader>00000nam a2200000 a 4500</leader>{r}</record>" for r in records)
    return f'<?xml version="1.0" encoding="UTF-8"?><collection xmlns="{MARCXML_NS}">{body}</collection>'


def datafield(tag: str, *subfields: tuple[str, str]) -> str:
    subs = "".join(f'<subfield code="{code}">{value}</subfield>' for code, value in subfields)
    return f'<datafield tag="{tag}" ind1=" " ind2=" ">{subs}</datafield>'


def controlfield(tag: str, data: str) -> str:
    return f'<controlfield tag="{tag}">{data}</controlfield>'


def read_one(tmp_path: Path, *fields: str):  # type: ignore[no-untyped-def]
    """One record from a MARCXML snippet, read by the project's own reader."""
    path = tmp_path / "one.xml"
    path.write_text(marcxml("".join(fields)), encoding="utf-8")
    (item,) = list(read_marc(path))
    assert item.record is not None, item.error
    return item.record


def literals(*values: str) -> list[Triple]:
    return [(BlankNode(), LABEL, Literal(v)) for v in values]


def links(*iris: str) -> list[Triple]:
    return [(WORK, VALUE, NamedNode(iri)) for iri in iris]


def rows_by_key(report: CoverageReport) -> dict[tuple[str, str], tuple[int, int | None]]:
    return {(r.tag, r.code): (r.values, r.reached) for r in report.rows()}


# normalisation ---------------------------------------------------------------------------------
def test_normalise_folds_case_form_and_punctuation_but_keeps_diacritics() -> None:
    nfd = "Truye\u0302\u0323n Kie\u0302\u0300u"
    assert normalise(nfd) == normalise("TRUYỆN KIỀU") == "truyện kiều"
    assert normalise("Hà Nội :  Văn học, 2015.") == "hà nội văn học 2015"
    assert normalise("Ha Noi") != normalise("Hà Nội")
    assert normalise(" ©  [s.l.] ") == "s l"


# matching rules --------------------------------------------------------------------------------
def test_a_value_present_in_a_literal_reaches_the_output() -> None:
    haystack = build_haystack(literals("Truyện Kiều", "Đoạn trường tân thanh"))
    assert reaches(Value("245", "a", "Truyện Kiều :"), haystack)
    assert reaches(Value("245", "b", "đoạn trường tân thanh /"), haystack)


def test_an_absent_value_does_not_reach_the_output() -> None:
    haystack = build_haystack(literals("Truyện Kiều"))
    assert not reaches(Value("500", "a", "Chữ Quốc ngữ, có đối chiếu chữ Nôm."), haystack)


def test_values_match_on_word_boundaries_and_within_one_literal() -> None:
    haystack = build_haystack(literals("Hà Nội 2015", "Tủ sách ; 5", "Văn"))
    assert not reaches(Value("490", "v", "12"), haystack)
    assert not reaches(Value("264", "c", "201"), haystack)
    assert reaches(Value("490", "v", "5"), haystack)
    assert not reaches(Value("245", "a", "5 Văn"), haystack)  # would straddle two literals


def test_a_bracketed_value_is_looked_up_without_its_brackets() -> None:
    assert reaches(Value("264", "a", "[Hà Nội] :"), build_haystack(literals("Hà Nội")))


def test_isbn_with_hyphens_matches_the_compact_number_and_its_qualifier() -> None:
    haystack = build_haystack(literals("9786049691232", "bìa cứng"))
    assert reaches(Value("020", "a", "978-604-969-123-2 (bìa cứng) :"), haystack)
    assert reaches(Value("020", "a", "978 604 969 123 2"), haystack)
    assert not reaches(Value("020", "a", "978-604-969-123-2 (bìa mềm)"), haystack)
    assert not reaches(Value("020", "a", "978-604-969-999-9"), haystack)
    # and the other way round: the output keeps hyphens, the record does not
    hyphenated = build_haystack(literals("ISBN 0-19-852663-6"))
    assert reaches(Value("020", "a", "0198526636"), hyphenated)
    assert reaches(Value("020", "z", "019852663X"), build_haystack(literals("0-19-852663-X")))


def test_an_identifier_with_its_source_may_be_split_in_two_literals() -> None:
    haystack = build_haystack(literals("606772036", "OCoLC", "4075739-0", "DE-588", "notisAMQ1434"))
    assert reaches(Value("035", "a", "(OCoLC)ocn606772036"), haystack)
    assert reaches(Value("035", "a", "(OCoLC)ocm000606772036"), haystack)
    assert reaches(Value("650", "0", "(DE-588)4075739-0"), haystack)
    assert not reaches(Value("035", "a", "(MNU)notisAMQ1434"), haystack)  # source missing
    assert not reaches(Value("035", "a", "(OCoLC)12345"), haystack)  # identifier missing


def test_codes_count_as_the_last_segment_of_an_iri_or_a_whole_literal() -> None:
    haystack = build_haystack(
        [
            *links(
                "http://id.loc.gov/vocabulary/languages/eng",
                "http://id.loc.gov/vocabulary/relators/aut",
                "http://id.loc.gov/vocabulary/contentTypes#txt",
            ),
            *literals("lcsh", "Bộ TK TVQG", "authors and editors", "fre"),
        ]
    )
    assert reaches(Value("041", "a", "eng"), haystack)
    assert reaches(Value("100", "4", "aut."), haystack)
    assert reaches(Value("100", "4", "http://id.loc.gov/vocabulary/relators/aut"), haystack)
    assert reaches(Value("336", "b", "txt"), haystack)
    assert reaches(Value("650", "2", "lcsh"), haystack)
    assert reaches(Value("650", "2", "Bộ TK TVQG"), haystack)
    assert reaches(Value("041", "a", "engfre"), haystack)  # packed codes, one by one
    # a code inside a longer text, or a path segment that is not the last, does not count
    assert not reaches(Value("700", "4", "edt"), haystack)
    assert not reaches(Value("041", "a", "vocabulary"), haystack)
    assert not reaches(Value("100", "4", "authors"), haystack)
    assert not reaches(Value("041", "a", "ger"), haystack)


def test_codes_in_880_follow_the_linked_field() -> None:
    haystack = build_haystack(links("http://id.loc.gov/vocabulary/relators/aut"))
    assert reaches(Value("880", "4", "aut", linked_tag="100"), haystack)
    assert Value("880", "a", "eng", linked_tag="041").is_code
    assert not Value("880", "a", "eng", linked_tag="245").is_code


# counting a record -----------------------------------------------------------------------------
def test_structural_subfields_are_listed_apart_and_not_counted(tmp_path: Path) -> None:
    record = read_one(
        tmp_path,
        controlfield("001", "R1"),
        datafield("245", ("6", "880-01"), ("a", "Kitāb al-aghānī"), ("8", "1\\c")),
        datafield("500", ("a", "Gone from the output.")),
    )
    report = CoverageReport()
    report.add(record, literals("R1", "Kitāb al-aghānī"))
    rows = {(r.tag, r.code): r for r in report.rows()}
    assert rows["245", "6"].structural and rows["245", "6"].reached is None
    assert rows["245", "8"].structural and rows["245", "8"].values == 1
    assert (rows["245", "a"].values, rows["245", "a"].reached) == (1, 1)
    assert (rows["500", "a"].values, rows["500", "a"].reached) == (1, 0)
    summary = report.summary()
    assert (summary.values, summary.reached, summary.structural) == (3, 2, 2)
    assert summary.percent == pytest.approx(200 / 3)


def test_880_counts_under_880_and_under_its_linked_tag(tmp_path: Path) -> None:
    record = read_one(
        tmp_path,
        controlfield("001", "R2"),
        datafield("245", ("6", "880-01"), ("a", "Kitāb")),
        datafield("880", ("6", "245-01/(3/r"), ("a", "كتاب"), ("b", "غائب")),
        datafield("880", ("a", "no linkage")),
    )
    report = CoverageReport()
    report.add(record, literals("R2", "Kitāb", "كتاب"))
    rows = rows_by_key(report)
    assert rows["880", "a"] == (2, 1)
    assert rows["880/245", "a"] == (1, 1)
    assert rows["880/245", "b"] == (1, 0)
    assert rows["880/?", "a"] == (1, 0)
    assert rows["880", "6"] == (1, None) and rows["880/245", "6"] == (1, None)
    breakdown = [r for r in report.rows() if r.tag.startswith("880/")]
    assert breakdown and not any(r.in_summary for r in breakdown)
    summary = report.summary()  # 001, 245 $a, 880 $a twice, 880 $b: 880 values counted once
    assert (summary.values, summary.reached) == (5, 3)


def test_control_fields_are_one_value_and_empty_values_are_not_counted(tmp_path: Path) -> None:
    record = read_one(
        tmp_path,
        controlfield("001", "R3"),
        controlfield("003", "VN-TVHN"),
        controlfield("008", "150612s2015    vm            000 p vie d"),
        datafield("245", ("a", "Tiêu đề"), ("b", " / "), ("c", "")),
        datafield("999", ("a", "Local")),
    )
    values = list(record_values(record))
    assert [(v.tag, v.code) for v in values][:3] == [("001", ""), ("003", ""), ("008", "")]
    report = CoverageReport()
    report.add(record, literals("R3", "VN-TVHN", "Tiêu đề", "Local"))
    rows = {(r.tag, r.code): r for r in report.rows()}
    assert ("245", "b") not in rows and ("245", "c") not in rows
    assert rows["001", ""].values == rows["003", ""].reached == 1
    assert not rows["008", ""].in_summary and not rows["999", "a"].in_summary
    assert report.summary().values == 3  # 001, 003, 245 $a: 008 and 999 are out of scope


def test_covered_tags_expand_the_linking_entry_range() -> None:
    assert {"760", "773", "787", "001", "003", "880", "952"} <= COVERED_TAGS
    assert not {"005", "008", "759", "788", "999"} & COVERED_TAGS


def test_measure_converts_counts_and_passes_on_records_that_fail(tmp_path: Path) -> None:
    path = tmp_path / "two.xml"
    title = datafield("245", ("a", "Truyện Kiều"))
    path.write_text(marcxml(controlfield("001", "OK1") + title, title), encoding="utf-8")
    errors: list[RecordError] = []
    report = measure(read_marc(path), "DEMO", Minter("http://data.test/"), CoverageReport(), errors.append)
    assert (report.read, report.measured, report.skipped) == (2, 1, 1)
    assert [e.position for e in errors] == [2]
    assert rows_by_key(report)["001", ""][0] == rows_by_key(report)["245", "a"][0] == 1


def test_renderings_agree_with_the_counts(tmp_path: Path) -> None:
    record = read_one(
        tmp_path,
        controlfield("001", "R4"),
        datafield("245", ("6", "880-01"), ("a", "Title")),
        datafield("500", ("a", "Absent")),
    )
    report = CoverageReport()
    report.add(record, literals("R4", "Title"))
    tsv = render_tsv(report).splitlines()
    assert tsv[0].split("\t") == [
        "tag",
        "subfield",
        "in_summary",
        "structural",
        "values",
        "reached",
        "percent",
    ]
    assert "245\t6\ttrue\ttrue\t1\t\t" in tsv
    assert "500\ta\ttrue\tfalse\t1\t0\t0.0" in tsv
    assert tsv[-1] == "TOTAL\t\ttrue\tfalse\t3\t2\t66.7"
    for lang, total in (
        ("en", "3 values, 2 reached the output (66.7%)"),
        ("vi", "3 giá trị, 2 có trong RDF"),
    ):
        text = render_text(report, lang)
        assert total in text


# the command -----------------------------------------------------------------------------------
def _check_tsv(stdout: str) -> list[dict[str, str]]:
    lines = stdout.splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    for row in rows:
        if row["structural"] == "true":
            assert row["reached"] == row["percent"] == ""
            continue
        values, reached = int(row["values"]), int(row["reached"])
        assert 0 <= reached <= values and values > 0
        assert row["percent"] == f"{100 * reached / values:.1f}"
    return rows


def test_cli_report_table_and_tsv_on_the_sample() -> None:
    files = sorted(str(p) for p in SAMPLE.iterdir() if p.suffix in {".xml", ".mrc"})
    done = run_lod("--lang", "en", "convert", "--report", *files)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["Tag", "Subfield", "Values"]
    body = lines[1 : lines.index("")]
    table = [line.split() for line in body]
    assert len(table) > 50
    assert any(row[:2] == ["245", "$a"] for row in table)
    assert any(row[0].startswith("880/") for row in table)
    assert any(line.endswith("structural, not counted") for line in body)
    assert "Records: read 46, measured 46, skipped 0" in done.stdout
    total = lines[-1]
    assert total.startswith("Total (tags the converter is meant to cover): ")

    tsv = run_lod("convert", "--report-format", "tsv", *files)  # implies --report; Vietnamese stderr
    assert tsv.returncode == 0, tsv.stderr
    rows = _check_tsv(tsv.stdout)
    counted = [r for r in rows[:-1] if r["in_summary"] == "true" and r["structural"] == "false"]
    summary = rows[-1]
    assert summary["tag"] == "TOTAL"
    assert int(summary["values"]) == sum(int(r["values"]) for r in counted) > 0
    assert int(summary["reached"]) == sum(int(r["reached"]) for r in counted)
    assert (
        f"{summary['values']} values, {summary['reached']} reached the output ({summary['percent']}%)"
        in total
    )
    assert "Biểu ghi: đọc 46" in tsv.stderr


def test_cli_report_lists_bad_records_and_files_and_goes_on(tmp_path: Path) -> None:
    bad = str(BROKEN / "bad_records.mrc")
    done = run_lod(
        "--lang",
        "en",
        "convert",
        "--report-format",
        "tsv",
        bad,
        str(tmp_path / "missing.mrc"),
        str(SAMPLE / "lc.xml"),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    errors = [line for line in lines if line.startswith(f"{bad}: record ")]
    assert errors and any("missing.mrc" in line for line in lines)
    assert f"skipped {len(errors)}, deleted 0; unreadable files: 1" in lines[-1]
    _check_tsv(done.stdout)
