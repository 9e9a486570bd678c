"""lod.triples: converter triples written as N-Triples exactly as pyoxigraph writes them."""

from __future__ import annotations

import pyoxigraph
import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat

from lod.triples import Triple, ntriples, to_oxigraph

S = NamedNode("http://data.test/resource/work/abc")
P = NamedNode("http://id.loc.gov/ontologies/bibframe/note")
XSD_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
TRICKY_OBJECTS = [
    Literal("Truyện Kiều"),
    Literal("Vang bóng một thời", language="vi"),
    Literal('say "hi"\nand \\ leave\r\ttab'),
    Literal("\u200fالقاهرة\u200f", language="ar-Arab"),
    Literal("42", datatype=XSD_INT),
    Literal("2020", datatype=NamedNode("http://id.loc.gov/datatypes/edtf")),
    Literal("\x00\x1f control"),
    NamedNode("http://example.org/ti%E1%BA%BFng?q=a&b=c#frag"),
    NamedNode("http://example.org/tiếng-việt"),
    BlankNode(),
]


@pytest.mark.parametrize("obj", TRICKY_OBJECTS, ids=lambda o: f"{type(o).__name__}-{TRICKY_OBJECTS.index(o)}")
def test_ntriples_is_what_pyoxigraph_writes(obj: NamedNode | BlankNode | Literal) -> None:
    for subject in (S, BlankNode()):
        triple: Triple = (subject, P, obj)
        expected = pyoxigraph.serialize([pyoxigraph.Triple(*triple)], format=RdfFormat.N_TRIPLES)
        assert ntriples([triple]).encode("utf-8") == expected


def test_ntriples_parses_back_to_the_same_triples() -> None:
    triples: list[Triple] = [(S, P, obj) for obj in TRICKY_OBJECTS]
    parsed = pyoxigraph.parse(ntriples(triples).encode("utf-8"), format=RdfFormat.N_TRIPLES)
    assert [tuple(q.triple) for q in parsed] == triples


def test_to_oxigraph_keeps_order_and_blank_nodes() -> None:
    node = BlankNode()
    triples: list[Triple] = [(S, P, node), (node, P, Literal("x", language="vi"))]
    converted = to_oxigraph(triples)
    assert all(isinstance(t, pyoxigraph.Triple) for t in converted)
    assert [tuple(t) for t in converted] == triples
    assert converted[0].object == converted[1].subject == node


def test_to_oxigraph_passes_pyoxigraph_triples_through() -> None:
    already = [pyoxigraph.Triple(S, P, Literal("x"))]
    assert to_oxigraph(already) is already
