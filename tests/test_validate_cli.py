"""`lod validate` as a user runs it: the installed console script in a real subprocess.

Exit codes: 0 conforms (warnings allowed), 1 does not conform, 2 the file cannot be read.
Samples are in `tests/data/shapes/` (see its SOURCES.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LOD = Path(sys.executable).parent / "lod"
SAMPLES = Path(__file__).resolve().parent / "data" / "shapes"
NO_TITLE_MARC = SAMPLES / "talis_no_title2.mrc"
NO_TITLE_001 = "e02ac0e42cb64948912dde564dbf19d7"

BF = "http://id.loc.gov/ontologies/bibframe/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
EX = "http://example.org/test/"


def lod(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `lod ARGS` with no LOD_* setting from the caller's environment, in an empty directory
    (so no ./lod.toml is picked up)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOD_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [str(LOD), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def lines_with(text: str, *parts: str) -> list[str]:
    return [line for line in text.splitlines() if all(part in line for part in parts)]


def test_console_script_exists() -> None:
    assert LOD.is_file() and os.access(LOD, os.X_OK)


def test_valid_turtle_exits_0(tmp_path: Path) -> None:
    sample = SAMPLES / "InstanceShape.valid.ttl"
    run = lod("--lang", "en", "validate", sample, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert f"{sample}: 1 records, 0 violations, 0 warnings" in run.stderr


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    sample = SAMPLES / "WorkShape.warning.ttl"
    run = lod("--lang", "en", "validate", sample, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert lines_with(run.stdout, EX + "work1", "warning", "No language (008/35-37 or 041)", BF + "language")
    assert "0 violations, 1 warnings" in run.stderr


@pytest.mark.parametrize(
    ("lang", "message", "other", "summary"),
    [
        (
            "en",
            "An Agent must have a label",
            "Tác giả/tổ chức phải có nhãn",
            "1 records, 1 violations, 0 warnings",
        ),
        (
            "vi",
            "Tác giả/tổ chức phải có nhãn",
            "An Agent must have a label",
            "1 biểu ghi, 1 vi phạm, 0 cảnh báo",
        ),
    ],
    ids=["en", "vi"],
)
def test_invalid_turtle_exits_1_naming_focus_and_message(
    tmp_path: Path, lang: str, message: str, other: str, summary: str
) -> None:
    sample = SAMPLES / "AgentShape.invalid.ttl"
    run = lod("--lang", lang, "validate", sample, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    found = lines_with(run.stdout, str(sample), EX + "agent1", "violation", message, RDFS_LABEL)
    assert len(found) == 1, run.stdout
    assert other not in run.stdout
    assert f"{sample}: {summary}" in run.stderr


def test_invalid_turtle_as_json(tmp_path: Path) -> None:
    sample = SAMPLES / "InstanceShape.invalid.ttl"
    run = lod("--lang", "en", "validate", "--format", "json", sample, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)  # stdout is the JSON document and nothing else
    assert report["source"] == str(sample)
    assert report["records"] == 1
    assert report["conforms"] is False
    results = report["results"]
    assert all(r["severity"] == "violation" for r in results)
    assert all(r["focus"] == EX + "instance1" for r in results)
    assert {r["path"]: r["message"] for r in results} == {
        BF + "title": "An Instance must have a title (field 245 $a)",
        BF + "instanceOf": "An Instance must be an instance of exactly one Work (bf:instanceOf)",
        BF + "adminMetadata": "An Instance must have administrative metadata (control number 001, library)",
        "http://schema.org/name": "An Instance must have a schema:name string",
    }
    assert len(results) == 4


def test_warning_turtle_as_json_conforms(tmp_path: Path) -> None:
    sample = SAMPLES / "InstanceShape.warning.ttl"
    run = lod("--lang", "vi", "validate", "--format", "json", sample, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["conforms"] is True
    assert [(r["severity"], r["path"], r["message"]) for r in report["results"]] == [
        ("warning", BF + "provisionActivity", "Thiếu thông tin xuất bản (trường 260/264)")
    ]


def test_marc_record_without_245_exits_1_naming_file_position_and_001(tmp_path: Path) -> None:
    run = lod("--lang", "en", "validate", NO_TITLE_MARC, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    where = f"{NO_TITLE_MARC}: 1 (001 {NO_TITLE_001})"
    assert lines_with(
        run.stdout, where, "violation", "An Instance must have a title (field 245 $a)", BF + "title"
    )
    assert lines_with(run.stdout, where, "violation", "A Work must have a title")
    assert all(line.startswith(where) for line in run.stdout.splitlines())
    assert f"{NO_TITLE_MARC}: 1 records," in run.stderr


def test_marc_record_without_245_as_json_in_vietnamese(tmp_path: Path) -> None:
    run = lod("--lang", "vi", "validate", "--format", "json", NO_TITLE_MARC, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["conforms"] is False and report["records"] == 1
    titles = [
        r for r in report["results"] if r["path"] == BF + "title" and "/resource/instance/" in r["focus"]
    ]
    assert [(r["where"], r["severity"], r["message"]) for r in titles] == [
        (f"{NO_TITLE_MARC}: 1 (001 {NO_TITLE_001})", "violation", "Ấn phẩm phải có nhan đề (trường 245 $a)")
    ]


@pytest.mark.parametrize("name", ["missing.ttl", "missing.mrc"])
def test_nonexistent_file_exits_2_with_one_line(tmp_path: Path, name: str) -> None:
    missing = tmp_path / name
    run = lod("--lang", "en", "validate", missing, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert str(missing) in lines[0]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "text",
    [
        "ex:a ex:b ex:c .\n",  # prefix never declared
        '@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated .\n',
        "@prefix ex: <http://example.org/> .\nex:a ex:b",  # statement cut short
    ],
    ids=["unbound-prefix", "unterminated-string", "truncated"],
)
def test_malformed_turtle_exits_2(tmp_path: Path, text: str) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(text, encoding="utf-8")
    run = lod("--lang", "en", "validate", broken, cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stdout == ""
    assert f"Cannot read {broken}" in run.stderr
    assert "Traceback" not in run.stderr


def test_turtle_report_is_a_shacl_validation_report(tmp_path: Path) -> None:
    import rdflib

    done = lod("--lang", "en", "validate", NO_TITLE_MARC, "--format", "turtle", cwd=tmp_path)
    assert done.returncode == 1
    graph = rdflib.Graph().parse(data=done.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    reports = list(graph.subjects(rdflib.RDF.type, sh.ValidationReport))
    assert len(reports) == 1 and graph.value(reports[0], sh.conforms) == rdflib.Literal(False)
    results = list(graph.objects(reports[0], sh.result))
    text = lod("--lang", "en", "validate", NO_TITLE_MARC, cwd=tmp_path)
    assert len(results) == sum(1 for line in text.stdout.splitlines() if ": violation: " in line) > 0
    for result in results:
        assert graph.value(result, sh.resultSeverity) == sh.Violation
        assert isinstance(graph.value(result, sh.focusNode), rdflib.URIRef)
        assert {m.language for m in graph.objects(result, sh.resultMessage)} == {"vi", "en"}
        assert str(graph.value(result, sh.sourceConstraintComponent)).endswith("ConstraintComponent")
        assert NO_TITLE_001 in str(graph.value(result, rdflib.RDFS.comment))
