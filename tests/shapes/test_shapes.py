"""Every shipped SHACL shape (all of `shapes/*.ttl`, as `lod.validation.shapes_graph()` loads them)
has a conforming and a violating example under `tests/data/shapes/examples/`
(`<ShapeLocalName>.ok.ttl`, `<ShapeLocalName>.bad.ttl`), checked with pyshacl; every constraint
has a severity and messages in Vietnamese and English; and the shapes stay inside the SHACL
subset the fast validator (`lod.fastshacl`) supports.

The examples live in a subfolder: `tests/test_validation.py` requires `tests/data/shapes/*.ttl` to
be exactly its own samples.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from lod.validation import ValidationResult, shapes_graph, validate_graph

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "shapes" / "examples"
LODSH = "https://w3id.org/vn-library-lod/shapes#"

TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
CONSTRAINTS = {
    SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["in"],
    SH.hasValue, SH.minInclusive, SH.maxInclusive, SH.minLength, SH.maxLength, SH.languageIn,
    SH.qualifiedValueShape, SH["or"],
}  # fmt: skip
QUALIFIED_COUNTS = {SH.qualifiedMinCount, SH.qualifiedMaxCount}
ONE_TERM = {SH["class"], SH.datatype, SH.nodeKind}
PROPERTY_KEYS = {SH.path, SH.severity, SH.message, SH.flags, *CONSTRAINTS, *QUALIFIED_COUNTS}
NODE_KEYS = {RDF.type, rdflib.RDFS.label, SH.property, *TARGETS}


def node_shapes() -> list[str]:
    graph = shapes_graph()
    return sorted(str(s).removeprefix(LODSH) for s in graph.subjects(RDF.type, SH.NodeShape))


def property_shapes() -> list[tuple[str, rdflib.term.Node]]:
    graph = shapes_graph()
    return [
        (name, prop)
        for name in node_shapes()
        for prop in graph.objects(rdflib.URIRef(LODSH + name), SH.property)
    ]


def label(name: str, prop: rdflib.term.Node) -> str:
    graph = shapes_graph()
    kinds = sorted(str(p).removeprefix(str(SH)) for p in graph.predicates(prop) if p in CONSTRAINTS)
    return f"{name} {graph.value(prop, SH.path)} {'+'.join(kinds)}"


def messages_of(prop: rdflib.term.Node) -> dict[str, str]:
    return {
        m.language or "": str(m)
        for m in shapes_graph().objects(prop, SH.message)
        if isinstance(m, rdflib.Literal)
    }


@cache
def example(name: str) -> tuple[rdflib.Graph, tuple[ValidationResult, ...]]:
    data = rdflib.Graph()
    data.parse(EXAMPLES / name, format="turtle")
    return data, tuple(validate_graph(data))


def focus_nodes(shape: str, data: rdflib.Graph) -> set[str]:
    """The focus nodes of `shape` in `data` (no rdfs:subClassOf reasoning: we ship none)."""
    graph = shapes_graph()
    node = rdflib.URIRef(LODSH + shape)
    found: set[rdflib.term.Node] = set()
    for cls in graph.objects(node, SH.targetClass):
        found |= set(data.subjects(RDF.type, cls))
    for p in graph.objects(node, SH.targetSubjectsOf):
        found |= set(data.subjects(p, None))
    for p in graph.objects(node, SH.targetObjectsOf):
        found |= set(data.objects(None, p))
    found |= set(graph.objects(node, SH.targetNode))
    return {"_:" + str(n) if isinstance(n, rdflib.BNode) else str(n) for n in found}


def shape_violation_messages(shape: str) -> list[dict[str, str]]:
    return [
        messages_of(prop)
        for name, prop in property_shapes()
        if name == shape and shapes_graph().value(prop, SH.severity) == SH.Violation
    ]


# the example set is complete ---------------------------------------------------------------------
def test_every_shape_has_both_examples_and_nothing_else_is_there() -> None:
    expected = {f"{shape}.{kind}.ttl" for shape in node_shapes() for kind in ("ok", "bad")}
    assert {p.name for p in EXAMPLES.glob("*.ttl")} == expected


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.ttl")))
def test_example_names_what_it_shows_in_a_top_comment(name: str) -> None:
    first = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()[0]
    shape = name.split(".")[0]
    assert first.startswith(f"# Conforms to {shape}" if ".ok." in name else f"# Breaks {shape}:"), first


# examples ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", node_shapes())
def test_ok_example_gives_no_violation_on_the_shapes_focus_nodes(shape: str) -> None:
    data, results = example(f"{shape}.ok.ttl")
    focus = focus_nodes(shape, data)
    assert focus, f"{shape}.ok.ttl has no focus node of {shape}"
    bad = [r for r in results if r.severity == "violation" and r.focus in focus]
    assert bad == []
    # the examples are whole: no violation of any other shape either
    assert [r for r in results if r.severity == "violation"] == []


@pytest.mark.parametrize("shape", node_shapes())
def test_bad_example_breaks_a_violation_constraint_of_its_shape(shape: str) -> None:
    data, results = example(f"{shape}.bad.ttl")
    focus = focus_nodes(shape, data)
    own = shape_violation_messages(shape)
    hits = [r for r in results if r.severity == "violation" and r.focus in focus and r.messages in own]
    assert hits, [(r.focus, r.severity, r.messages) for r in results]
    for result in hits:
        assert result.messages["vi"] and result.messages["en"]


# the shapes --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "prop"), property_shapes(), ids=[label(n, p) for n, p in property_shapes()])
def test_every_constraint_has_a_severity_and_messages_in_vietnamese_and_english(
    name: str, prop: rdflib.term.Node
) -> None:
    graph = shapes_graph()
    assert list(graph.objects(prop, SH.severity)) in ([SH.Violation], [SH.Warning])
    languages = sorted(
        m.language or "" for m in graph.objects(prop, SH.message) if isinstance(m, rdflib.Literal)
    )
    assert languages == ["en", "vi"]
    messages = messages_of(prop)
    assert messages["vi"] != messages["en"]


@pytest.mark.parametrize("shape", node_shapes())
def test_node_shapes_stay_inside_the_fast_subset(shape: str) -> None:
    graph = shapes_graph()
    node = rdflib.URIRef(LODSH + shape)
    assert set(graph.predicates(node)) <= NODE_KEYS  # no constraint directly on the NodeShape
    assert set(graph.predicates(node)) & TARGETS
    assert set(graph.objects(node, RDF.type)) == {SH.NodeShape}


@pytest.mark.parametrize(("name", "prop"), property_shapes(), ids=[label(n, p) for n, p in property_shapes()])
def test_property_shapes_stay_inside_the_fast_subset(name: str, prop: rdflib.term.Node) -> None:
    graph = shapes_graph()
    assert set(graph.predicates(prop)) <= PROPERTY_KEYS
    assert set(graph.predicates(prop)) & CONSTRAINTS
    paths = list(graph.objects(prop, SH.path))
    assert len(paths) == 1
    path = paths[0]
    if isinstance(path, rdflib.BNode):  # [ sh:inversePath IRI ], nothing else
        assert set(graph.predicate_objects(path)) == {(SH.inversePath, graph.value(path, SH.inversePath))}
        assert isinstance(graph.value(path, SH.inversePath), rdflib.URIRef)
    else:
        assert isinstance(path, rdflib.URIRef)
    qualified = graph.value(prop, SH.qualifiedValueShape)
    if qualified is not None:
        assert len(list(graph.predicate_objects(qualified))) == 1
        assert set(graph.predicates(qualified)) <= ONE_TERM
        assert set(graph.predicates(prop)) & QUALIFIED_COUNTS
    else:
        assert not set(graph.predicates(prop)) & QUALIFIED_COUNTS
    for alternatives in graph.objects(prop, SH["or"]):
        members = list(rdflib.collection.Collection(graph, alternatives))
        assert members
        for member in members:
            pairs = list(graph.predicate_objects(member))
            assert len(pairs) == 1 and pairs[0][0] in ONE_TERM, pairs


def test_new_property_shapes_hold_one_constraint_kind_each() -> None:
    # bibframe.ttl's own property shapes predate the rule (tests/test_validation.py pins them)
    graph = shapes_graph()
    original = rdflib.Graph()
    original.parse(Path(__file__).resolve().parents[2] / "shapes" / "bibframe.ttl", format="turtle")
    pinned = {
        (
            shape,
            original.value(prop, SH.path),
            frozenset(p for p in original.predicates(prop) if p in CONSTRAINTS),
        )
        for shape, _, prop in original.triples((None, SH.property, None))
    }
    for name, prop in property_shapes():
        kinds = frozenset(p for p in graph.predicates(prop) if p in CONSTRAINTS)
        if (rdflib.URIRef(LODSH + name), graph.value(prop, SH.path), kinds) in pinned:
            continue
        assert len(kinds) == 1, label(name, prop)
