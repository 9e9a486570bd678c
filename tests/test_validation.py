"""SHACL validation (`lod.validation`) against the shipped shapes, one sample file per case.

`tests/data/shapes/` holds, for every NodeShape of `shapes/bibframe.ttl`, a conforming sample
(`<Shape>.valid.ttl`), a violating one (`<Shape>.invalid.ttl`, whose top comment names the
constraints it breaks) and, for shapes with a sh:Warning constraint, `<Shape>.warning.ttl`.
The tables below say precisely which results each sample must give.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import rdflib
from pymarc import Field, Indicators, Leader, Record, Subfield
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib.namespace import RDF, SH

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.uris import Minter
from lod.validation import (
    RecordReport,
    ValidationResult,
    shapes_graph,
    validate_graph,
    validate_records,
)

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FILE = ROOT / "shapes" / "bibframe.ttl"
SAMPLES = Path(__file__).resolve().parent / "data" / "shapes"

LODSH = rdflib.Namespace("https://w3id.org/vn-library-lod/shapes#")
BF = "http://id.loc.gov/ontologies/bibframe/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "http://schema.org/"
EX = "http://example.org/test/"

SHAPES = (
    "InstanceShape",
    "WorkShape",
    "TitleShape",
    "AgentShape",
    "TopicShape",
    "ItemShape",
    "AdminMetadataShape",
)
WARNING_SHAPES = ("InstanceShape", "WorkShape")

Expected = tuple[str, str, str, str | None]
"""(focus node, result path, severity, offending value or None)."""

EXPECTED_VIOLATIONS: dict[str, list[Expected]] = {
    "InstanceShape": [
        (EX + "instance1", BF + "title", "violation", None),
        (EX + "instance1", BF + "instanceOf", "violation", EX + "not-a-work"),
        (EX + "instance1", BF + "adminMetadata", "violation", None),
        (EX + "instance1", SCHEMA + "name", "violation", "1820"),
    ],
    "WorkShape": [
        (EX + "work1", BF + "title", "violation", None),
        (EX + "work1", BF + "hasInstance", "violation", EX + "not-an-instance"),
    ],
    "TitleShape": [
        (EX + "title1", BF + "mainTitle", "violation", ""),
        (EX + "title2", BF + "mainTitle", "violation", None),
        (EX + "title3", BF + "mainTitle", "violation", None),
        # ex:title4's language-tagged main title conforms now (xsd:string or rdf:langString)
    ],
    "AgentShape": [
        (EX + "agent1", RDFS + "label", "violation", None),
    ],
    "TopicShape": [
        (EX + "topic1", RDFS + "label", "violation", None),
        (EX + "genre1", RDFS + "label", "violation", None),
    ],
    "ItemShape": [
        (EX + "item1", BF + "itemOf", "violation", None),
        (EX + "item1", BF + "heldBy", "violation", "Thư viện Quốc gia Việt Nam"),
    ],
    "AdminMetadataShape": [
        (EX + "admin1", BF + "identifiedBy", "violation", None),
        (EX + "admin1", BF + "assigner", "violation", "VN-NLV"),
    ],
}
EXPECTED_WARNINGS: dict[str, list[Expected]] = {
    "InstanceShape": [(EX + "instance1", BF + "provisionActivity", "warning", None)],
    "WorkShape": [(EX + "work1", BF + "language", "warning", None)],
}


# helpers -----------------------------------------------------------------------------------------
@cache
def shapes_file_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(SHAPES_FILE, format="turtle")
    return graph


@cache
def sample_results(name: str) -> tuple[ValidationResult, ...]:
    graph = rdflib.Graph()
    graph.parse(SAMPLES / name, format="turtle")
    return tuple(validate_graph(graph))


def as_tuples(results: list[ValidationResult] | tuple[ValidationResult, ...]) -> list[Expected]:
    return sorted((r.focus, r.path or "", r.severity, r.value) for r in results)


def shape_messages(shape: str, path: str) -> dict[str, str]:
    """The sh:message of the property shape of `shape` with sh:path `path`, by language."""
    graph = shapes_file_graph()
    found = [
        {m.language: str(m) for m in graph.objects(prop, SH.message) if isinstance(m, rdflib.Literal)}
        for prop in graph.objects(LODSH[shape], SH.property)
        if graph.value(prop, SH.path) == rdflib.URIRef(path)
    ]
    assert len(found) == 1, f"{shape} has {len(found)} property shapes on {path}"
    return found[0]


def has_vietnamese_diacritics(text: str) -> bool:
    """True if some letter carries a diacritic (ă, ơ, ư, tone marks...) or is đ/Đ."""
    return any(ch in "đĐ" or len(unicodedata.normalize("NFD", ch)) > 1 for ch in text)


def sample_names() -> list[str]:
    names = [f"{shape}.{kind}.ttl" for shape in SHAPES for kind in ("valid", "invalid")]
    return names + [f"{shape}.warning.ttl" for shape in WARNING_SHAPES]


# the sample set is complete ----------------------------------------------------------------------
def test_every_node_shape_has_samples_and_an_expectation() -> None:
    graph = shapes_file_graph()
    declared = {str(s).removeprefix(str(LODSH)) for s in graph.subjects(RDF.type, SH.NodeShape)}
    assert declared == set(SHAPES)
    assert set(EXPECTED_VIOLATIONS) == set(SHAPES)
    with_warning = {
        str(shape).removeprefix(str(LODSH))
        for shape in graph.subjects(RDF.type, SH.NodeShape)
        for prop in graph.objects(shape, SH.property)
        if graph.value(prop, SH.severity) == SH.Warning
    }
    assert with_warning == set(WARNING_SHAPES) == set(EXPECTED_WARNINGS)
    on_disk = {p.name for p in SAMPLES.glob("*.ttl")}
    assert on_disk == set(sample_names())


def test_the_shipped_shapes_are_the_ones_tested() -> None:
    shipped = shapes_graph()
    declared = set(shapes_file_graph().subjects(RDF.type, SH.NodeShape))
    assert declared <= set(shipped.subjects(RDF.type, SH.NodeShape))


@pytest.mark.parametrize("name", sample_names())
def test_sample_names_its_constraints_in_a_top_comment(name: str) -> None:
    first = (SAMPLES / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ")
    if ".invalid." in name:
        assert "Breaks" in first
    elif ".warning." in name:
        assert "Conforms, but breaks the sh:Warning" in first
    else:
        assert first.startswith("# Conforms to")


# samples -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES)
def test_valid_sample_gives_no_result(shape: str) -> None:
    results = sample_results(f"{shape}.valid.ttl")
    assert [r for r in results if r.severity == "violation"] == []
    # the valid samples are complete records: not even a warning
    assert as_tuples(results) == []


@pytest.mark.parametrize("shape", SHAPES)
def test_invalid_sample_gives_the_expected_violations(shape: str) -> None:
    results = sample_results(f"{shape}.invalid.ttl")
    assert as_tuples(results) == sorted(EXPECTED_VIOLATIONS[shape])
    for result in results:
        assert result.path is not None
        assert result.messages == shape_messages(shape, result.path)


@pytest.mark.parametrize("shape", WARNING_SHAPES)
def test_warning_sample_conforms_with_the_expected_warning(shape: str) -> None:
    results = sample_results(f"{shape}.warning.ttl")
    report = RecordReport(list(results))
    assert report.conforms
    assert report.violations == []
    assert as_tuples(report.warnings) == sorted(EXPECTED_WARNINGS[shape])
    for result in results:
        assert result.path is not None
        assert result.messages == shape_messages(shape, result.path)


@pytest.mark.parametrize("name", [n for n in sample_names() if ".valid." not in n])
def test_every_result_is_bilingual(name: str) -> None:
    results = sample_results(name)
    assert results, f"{name} gives no result"
    for result in results:
        assert {"vi", "en"} <= set(result.messages), result
        vi, en = result.messages["vi"], result.messages["en"]
        assert vi and en and vi != en
        assert has_vietnamese_diacritics(vi), vi
        assert result.message("vi") == vi
        assert result.message("en") == en


# the shapes file ---------------------------------------------------------------------------------
def property_shapes() -> list[tuple[str, rdflib.term.Node]]:
    graph = shapes_file_graph()
    return [
        (f"{str(shape).removeprefix(str(LODSH))} {graph.value(prop, SH.path)}", prop)
        for shape in sorted(graph.subjects(RDF.type, SH.NodeShape))
        for prop in graph.objects(shape, SH.property)
    ]


def test_shapes_file_has_property_shapes() -> None:
    # 5 + 3 + 1 + 1 + 1 + 2 + 2 property shapes
    assert len(property_shapes()) == 15


@pytest.mark.parametrize(("label", "prop"), property_shapes(), ids=[p[0] for p in property_shapes()])
def test_every_property_shape_has_bilingual_messages_and_a_severity(
    label: str, prop: rdflib.term.Node
) -> None:
    graph = shapes_file_graph()
    messages = [m for m in graph.objects(prop, SH.message) if isinstance(m, rdflib.Literal)]
    languages = sorted(m.language or "" for m in messages)
    assert languages == ["en", "vi"], f"{label}: sh:message languages {languages}"
    vi = next(str(m) for m in messages if m.language == "vi")
    assert has_vietnamese_diacritics(vi), f"{label}: {vi!r}"
    severities = list(graph.objects(prop, SH.severity))
    assert severities in ([SH.Violation], [SH.Warning], [SH.Info]), f"{label}: {severities}"


def test_message_falls_back_to_vietnamese_then_english_then_any_language() -> None:
    both = ValidationResult("x", None, "violation", {"vi": "Thiếu nhan đề", "en": "No title"})
    assert both.message("vi") == "Thiếu nhan đề"
    assert both.message("en") == "No title"
    assert both.message("fr") == "Thiếu nhan đề"  # Vietnamese first, as lod.i18n.t does
    assert ValidationResult("x", None, "violation", {"en": "No title"}).message("fr") == "No title"
    assert ValidationResult("x", None, "violation", {"vi": "Thiếu nhan đề"}).message("en") == (
        "Thiếu nhan đề"
    )
    assert ValidationResult("x", None, "violation", {"de": "Kein Titel"}).message("en") == "Kein Titel"
    assert ValidationResult("x", None, "violation", {}).message("en") == ""


# validate_records: results go to the record they belong to ---------------------------------------
def n(iri: str) -> NamedNode:
    return NamedNode(iri)


def record_triples(
    number: int,
    *,
    admin: bool = True,
    publication: bool = True,
    main_title: str = "Truyện Kiều",
) -> list[Triple]:
    """One record shaped like the converter's output (Title and AdminMetadata are blank nodes)."""
    base = f"http://example.org/record{number}/"
    instance, work, library = n(base + "instance"), n(base + "work"), n(EX + "library")
    instance_title, work_title = BlankNode(), BlankNode()
    a = n(RDF_NS + "type")
    triples = [
        Triple(instance, a, n(BF + "Instance")),
        Triple(instance, n(BF + "instanceOf"), work),
        Triple(instance, n(BF + "title"), instance_title),
        Triple(instance_title, a, n(BF + "Title")),
        Triple(instance_title, n(BF + "mainTitle"), Literal(main_title)),
        Triple(instance, n(SCHEMA + "name"), Literal("Truyện Kiều")),
        Triple(work, a, n(BF + "Work")),
        Triple(work, n(BF + "hasInstance"), instance),
        Triple(work, n(BF + "title"), work_title),
        Triple(work_title, a, n(BF + "Title")),
        Triple(work_title, n(BF + "mainTitle"), Literal("Truyện Kiều")),
        Triple(work, n(BF + "language"), n("http://id.loc.gov/vocabulary/languages/vie")),
    ]
    if admin:
        node, local = BlankNode(), BlankNode()
        triples += [
            Triple(instance, n(BF + "adminMetadata"), node),
            Triple(node, a, n(BF + "AdminMetadata")),
            Triple(node, n(BF + "assigner"), library),
            Triple(node, n(BF + "identifiedBy"), local),
            Triple(local, a, n(BF + "Local")),
            Triple(local, n(RDF_NS + "value"), Literal(f"VN-{number:04d}")),
        ]
    if publication:
        node = BlankNode()
        triples += [
            Triple(instance, n(BF + "provisionActivity"), node),
            Triple(node, a, n(BF + "Publication")),
        ]
    return triples


def instance_of(number: int) -> str:
    return f"http://example.org/record{number}/instance"


def test_validate_records_of_nothing() -> None:
    assert validate_records([]) == []


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_validate_records_attributes_each_result_to_its_record(order: tuple[int, ...]) -> None:
    # 0: valid; 1: invalid (no administrative metadata); 2: only a warning (no publication)
    built = {
        0: record_triples(0),
        1: record_triples(1, admin=False),
        2: record_triples(2, publication=False),
    }
    reports = dict(zip(order, validate_records([built[i] for i in order]), strict=True))
    assert reports[0].results == []
    assert as_tuples(reports[1].results) == [(instance_of(1), BF + "adminMetadata", "violation", None)]
    assert not reports[1].conforms
    assert reports[2].conforms
    assert reports[2].violations == []
    assert as_tuples(reports[2].warnings) == [(instance_of(2), BF + "provisionActivity", "warning", None)]


def test_validate_records_attributes_blank_node_results_to_their_record() -> None:
    # the violation's focus node is the blank-node bf:Title of record 1 (an empty main title),
    # as the converter builds titles and administrative metadata as blank nodes
    records = [record_triples(0), record_triples(1, main_title=""), record_triples(2, publication=False)]
    reports = validate_records(records)
    assert len(reports) == 3
    misplaced = [(r.focus, r.path) for r in reports[0].results]
    assert misplaced == [], (
        "BUG lod/validation.py validate_records/to_rdflib: the N-Triples round trip through rdflib "
        "renames blank nodes, so a result on a blank node never matches the `owner` map and falls "
        f"back to record 0 (the valid record got {misplaced})"
    )
    assert [(r.path, r.severity, r.value) for r in reports[1].results] == [
        (BF + "mainTitle", "violation", "")
    ]
    assert reports[2].conforms and len(reports[2].warnings) == 1


def marc_record(control: str, *, title: bool = True, publication: bool = True) -> Record:
    """A converted-shaped MARC record; without `publication` neither a 260 nor 008 dates/country
    (008 alone gives a provision activity)."""
    record = Record(force_utf8=True)
    record.leader = Leader("00000nam a2200000 a 4500")
    record.add_field(Field(tag="001", data=control))
    fixed = (
        "150612s1820    vm            000 0 vie d"
        if publication
        else "150612n        xx            000 0 vie d"
    )
    record.add_field(Field(tag="008", data=fixed))
    if title:
        record.add_field(
            Field(
                tag="245",
                indicators=Indicators("1", "0"),
                subfields=[Subfield("a", "Truyện Kiều /"), Subfield("c", "Nguyễn Du.")],
            )
        )
    if publication:
        record.add_field(
            Field(
                tag="260",
                indicators=Indicators(" ", " "),
                subfields=[Subfield("a", "Hà Nội :"), Subfield("b", "Văn học,"), Subfield("c", "2015.")],
            )
        )
    return record


def test_validate_records_on_converted_marc_records() -> None:
    minter = Minter("http://data.test/")
    contexts = [RecordContext(minter, "TEST", control) for control in ("ok", "no245", "no260")]
    records = [
        convert_record(marc_record("ok"), contexts[0]),
        convert_record(marc_record("no245", title=False), contexts[1]),
        convert_record(marc_record("no260", publication=False), contexts[2]),
    ]
    reports = validate_records(records)
    assert reports[0].results == []
    no245 = contexts[1]
    assert as_tuples(reports[1].violations) == sorted(
        [
            (no245.instance.value, BF + "title", "violation", None),
            (no245.instance.value, SCHEMA + "name", "violation", None),
            (no245.work.value, BF + "title", "violation", None),
        ]
    )
    assert reports[1].warnings == []
    assert reports[2].conforms
    assert as_tuples(reports[2].warnings) == [
        (contexts[2].instance.value, BF + "provisionActivity", "warning", None)
    ]


def test_008_alone_is_a_provision_activity() -> None:
    """A record without 260/264 but with 008 date and country: no provisionActivity warning."""
    minter = Minter("http://data.test/")
    record = marc_record("no260", publication=False)
    record["008"].data = "150612s1820    vm            000 0 vie d"
    (report,) = validate_records([convert_record(record, RecordContext(minter, "TEST", "no260"))])
    assert report.results == []


def test_language_tagged_titles_conform_and_parallel_titles_are_checked() -> None:
    """schema:name and bf:mainTitle may be rdf:langString; TitleShape also targets bf:ParallelTitle."""
    tagged = [
        Triple(t.subject, t.predicate, Literal(t.object.value, language="vi"))
        if isinstance(t.object, Literal) and t.predicate.value in (BF + "mainTitle", SCHEMA + "name")
        else t
        for t in record_triples(1)
    ]
    (ok,) = validate_records([tagged])
    assert ok.results == []
    parallel = BlankNode()
    instance = n("http://example.org/record1/instance")
    broken = [
        *tagged,
        Triple(instance, n(BF + "title"), parallel),
        Triple(parallel, n(RDF_NS + "type"), n(BF + "ParallelTitle")),
    ]
    (report,) = validate_records([broken])
    assert [(r.path, r.severity) for r in report.results] == [(BF + "mainTitle", "violation")]


def test_only_catalogued_instances_and_works_are_targeted() -> None:
    """A linked Instance/Work (no bf:instanceOf / bf:hasInstance) is not held to the record shapes."""
    linked = n("http://example.org/linked/instance")
    linked_work = n("http://example.org/linked/work")
    a = n(RDF_NS + "type")
    extra = [Triple(linked, a, n(BF + "Instance")), Triple(linked_work, a, n(BF + "Work"))]
    (report,) = validate_records([[*record_triples(1), *extra]])
    assert report.results == []


def test_a_bad_shared_node_is_every_owning_records_problem() -> None:
    """An agent in two records (shared graph) without a label rejects both records, not the first."""
    from lod.validation import validate_records
    from lod.vocab import BF as LBF
    from lod.vocab import RDF as LRDF

    agent = NamedNode("http://data.test/resource/agent/shared")

    def record(name: str) -> list[Triple]:
        work = NamedNode(f"http://data.test/resource/work/{name}")
        return [
            Triple(work, LRDF.type, LBF.Work),
            Triple(work, LBF.contribution, agent),
            Triple(agent, LRDF.type, LBF.Agent),
        ]

    reports = validate_records([record("a"), record("b")])
    for report in reports:
        assert [r.focus for r in report.results if r.path == str(rdflib.RDFS.label)] == [agent.value]
