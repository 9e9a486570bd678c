"""lod.fastshacl against pyshacl, the reference: the same results (focus node, path, severity,
constraint component, value, messages) on real records, on broken ones, and on every constraint
kind the fast path claims to support."""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode

from lod import fastshacl
from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.marcio import read_marc
from lod.triples import Triple
from lod.uris import Minter
from lod.validation import reference_results

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS / "converters"))
from golden import BASE_IRI, all_records  # noqa: E402

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def assert_same(triples: list[Triple], shapes: list[fastshacl.NodeShape] | None = None) -> Counter[str]:
    """Both validators give the same results (as multisets); returns the components seen."""
    fast = Counter(fastshacl.validate(triples, shapes))
    if shapes is not None:
        fast = Counter(replace(r, messages=()) for r in fast.elements())
    if shapes is None:  # the shipped shapes: their messages (vi and en) must come out the same too
        reference = Counter(reference_results(triples))
    else:  # pyshacl makes up an English message where a shape has none: compare without messages
        reference = Counter(replace(r, messages=()) for r in _pyshacl_with(triples))
    only_fast, only_reference = fast - reference, reference - fast
    assert not only_fast and not only_reference, (
        f"only fast: {sorted(map(str, only_fast))[:5]}\nonly pyshacl: {sorted(map(str, only_reference))[:5]}"
    )
    return Counter(r.component.rsplit("#", 1)[-1] for r in fast.elements())


def golden_triples() -> list[Triple]:
    minter = Minter(BASE_IRI)
    triples: list[Triple] = []
    for rec in all_records().values():
        if rec.item.record is not None:
            try:
                triples += convert_record(
                    rec.item.record, RecordContext(minter, "GOLDEN", rec.control_number)
                )
            except Exception:  # a record the golden files store as an error
                continue
    return triples


def test_every_shipped_shape_compiles() -> None:
    assert len(fastshacl.shipped_shapes()) >= 7


def test_a_shape_outside_the_subset_is_refused_not_skipped() -> None:
    graph = rdflib.Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ] .""",
        format="turtle",
    )
    with pytest.raises(fastshacl.UnsupportedShape):
        fastshacl.compile_shapes(graph)


def test_same_results_as_pyshacl_on_the_golden_records() -> None:
    assert_same(golden_triples())


def test_same_results_as_pyshacl_on_the_broken_pipeline_records() -> None:
    minter = Minter(BASE_IRI)
    triples: list[Triple] = []
    for path in sorted((TESTS / "data" / "pipeline").glob("*.mrc")):
        for item in read_marc(path):
            if item.record is not None:
                ctx = RecordContext(minter, "BROKEN", item.control_number or f"pos{item.position}")
                triples += convert_record(item.record, ctx)
    assert assert_same(triples)  # these records do break shapes


def mutations(triples: list[Triple], seed: int) -> Iterator[list[Triple]]:
    """Deterministic damage to real records: dropped statements, values of the wrong kind, extra
    values, lost types, wrong datatypes and languages."""
    rng = random.Random(seed)
    predicates = sorted({p.value for _, p, _ in triples})
    for _ in range(3 if seed == 1 else 12):  # seed 1 runs in make test; the others are slow
        chosen = set(rng.sample(predicates, 3))
        yield [t for t in triples if t[1].value not in chosen]  # a property gone
    damaged: list[Triple] = []
    for s, p, o in triples:
        roll = rng.random()
        if roll < 0.03 and isinstance(o, NamedNode) and p != RDF_TYPE:
            damaged.append((s, p, Literal(o.value)))  # an IRI became a string
        elif roll < 0.06 and isinstance(o, Literal):
            damaged.append(
                (s, p, Literal(o.value, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
            )
        elif roll < 0.08 and isinstance(o, Literal):
            damaged.append((s, p, BlankNode()))  # a value became an empty node
        elif roll < 0.10:
            damaged += [(s, p, o), (s, p, Literal("thêm"))]  # one value too many
        elif roll < 0.12 and p == RDF_TYPE:
            continue  # a type lost
        elif roll < 0.14 and isinstance(o, Literal) and o.language:
            damaged.append((s, p, Literal(o.value, language="zz")))
        else:
            damaged.append((s, p, o))
    yield damaged


@pytest.mark.parametrize(
    "seed", [1, pytest.param(2, marks=pytest.mark.slow), pytest.param(3, marks=pytest.mark.slow)]
)
def test_same_results_as_pyshacl_on_damaged_records(seed: int) -> None:
    triples = golden_triples()
    seen: Counter[str] = Counter()
    for damaged in mutations(triples, seed):
        seen += assert_same(damaged)
    assert len(seen) >= 3, seen  # the damage did reach several kinds of constraint


def test_same_results_as_pyshacl_on_the_shape_examples() -> None:
    folder = TESTS / "data" / "shapes"
    files = sorted(folder.rglob("*.ttl"))  # the shapes' own examples, ok and bad
    if not files:
        pytest.fail("tests/data/shapes has no examples")
    for path in files:
        triples = [q.triple for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)]
        assert_same([(t.subject, t.predicate, t.object) for t in triples])  # type: ignore[misc]


# every supported constraint kind, on a small synthetic shapes graph --------------------------------
EVERY_CONSTRAINT = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ex:A a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 2 ; sh:message "tên"@vi, "name"@en ] ,
    [ sh:path ex:name ; sh:datatype rdf:langString ; sh:languageIn ( "vi" "en" ) ] ,
    [ sh:path ex:name ; sh:minLength 2 ; sh:maxLength 12 ; sh:severity sh:Warning ] ,
    [ sh:path ex:code ; sh:pattern "^[a-z]+-[0-9]+$" ; sh:flags "i" ] ,
    [ sh:path ex:kind ; sh:in ( ex:k1 ex:k2 "k3" ) ] ,
    [ sh:path ex:kind ; sh:hasValue ex:k1 ; sh:severity sh:Info ] ,
    [ sh:path ex:size ; sh:datatype xsd:integer ; sh:minInclusive 0 ; sh:maxInclusive 100 ] ,
    [ sh:path ex:link ; sh:nodeKind sh:IRI ; sh:class ex:Target ] ,
    [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Part ] ; sh:qualifiedMinCount 1 ;
      sh:qualifiedMaxCount 2 ] ,
    [ sh:path ex:label ; sh:or ( [ sh:datatype xsd:string ] [ sh:datatype rdf:langString ] ) ] ,
    [ sh:path [ sh:inversePath ex:owns ] ; sh:minCount 1 ; sh:nodeKind sh:BlankNodeOrIRI ] .
ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:code ; sh:targetObjectsOf ex:link ; sh:targetNode ex:lonely ;
  sh:property [ sh:path ex:note ; sh:maxCount 0 ; sh:severity sh:Warning ] .
"""

EVERY_CONSTRAINT_DATA = """
@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:good a ex:Thing ; ex:name "Hà Nội"@vi ; ex:code "ab-12" ; ex:kind ex:k1 ; ex:size 5 ;
  ex:link ex:t1 ; ex:part ex:p1 ; ex:label "x" .
ex:owner ex:owns ex:good , ex:bad2 .
ex:t1 a ex:Target . ex:p1 a ex:Part . ex:p2 a ex:Part . ex:p3 a ex:Part .
ex:bad1 a ex:Thing ; ex:code "AB-12", "a b", ex:iri ; ex:kind "k3", ex:k9 ;
  ex:size 101, -1, "7", "x"^^xsd:integer ;
  ex:link "t1", ex:t2, [ a ex:Target ] ; ex:part ex:p1, ex:p2, ex:p3 ; ex:label 5, "y"@fr ; ex:note "n" .
ex:bad2 a ex:Thing ; ex:name "H"@fr, "Một tên rất rất dài"@vi, "x" ; ex:part ex:t1 .
ex:bad3 a ex:Thing ; ex:name "a"@en, "b"@en, "c"@en .
ex:t2 ex:note "one", "two" .
ex:lonely ex:note "alone" .
"""


def _pyshacl_with(triples: list[Triple]) -> list[fastshacl.Result]:
    from lod import validation

    original = validation.shapes_graph
    graph = rdflib.Graph().parse(data=EVERY_CONSTRAINT, format="turtle")
    validation.shapes_graph = lambda: graph  # type: ignore[assignment]
    try:
        return reference_results(triples)
    finally:
        validation.shapes_graph = original  # type: ignore[assignment]


def test_every_supported_constraint_agrees_with_pyshacl() -> None:
    shapes = fastshacl.compile_shapes(rdflib.Graph().parse(data=EVERY_CONSTRAINT, format="turtle"))
    triples = [
        (q.subject, q.predicate, q.object)
        for q in pyoxigraph.parse(EVERY_CONSTRAINT_DATA, format=pyoxigraph.RdfFormat.TURTLE)
    ]
    seen = assert_same(triples, shapes)  # type: ignore[arg-type]
    expected = {
        "MinCountConstraintComponent", "MaxCountConstraintComponent", "DatatypeConstraintComponent",
        "LanguageInConstraintComponent", "MinLengthConstraintComponent", "MaxLengthConstraintComponent",
        "PatternConstraintComponent", "InConstraintComponent", "HasValueConstraintComponent",
        "MinInclusiveConstraintComponent", "MaxInclusiveConstraintComponent", "NodeKindConstraintComponent",
        "ClassConstraintComponent", "QualifiedMinCountConstraintComponent",
        "QualifiedMaxCountConstraintComponent", "OrConstraintComponent",
    }  # fmt: skip
    assert expected <= set(seen), expected - set(seen)
