"""The schema.org JSON-LD of pages: compact (terms under "@vocab", "@type", plain strings), and the
same statements as the entity's schema.org triples plus the type and name of what it links to,
checked by graph isomorphism after parsing it with rdflib's JSON-LD parser."""

from __future__ import annotations

import json

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib.compare import isomorphic

from lod.validation import to_rdflib
from lod.vocab import BF, RDF, RDFS, SCHEMA, XSD
from lod.web.schemaorg import jsonld_for_page

BOOK = NamedNode("http://example.org/resource/instance/kieu")
AUTHOR = NamedNode("http://example.org/resource/agent/du")
PLACE = NamedNode("http://example.org/resource/place/hn")
ABOUT = BlankNode("about")

OWN = [
    Triple(BOOK, RDF.type, SCHEMA.Book),
    Triple(BOOK, SCHEMA.name, Literal("Truyện Kiều", language="vi")),
    Triple(BOOK, SCHEMA.name, Literal("The Tale of Kieu")),
    Triple(BOOK, SCHEMA.datePublished, Literal("1998", datatype=XSD.gYear)),
    Triple(BOOK, SCHEMA.author, AUTHOR),
    Triple(BOOK, SCHEMA.locationCreated, PLACE),
    Triple(BOOK, SCHEMA.about, ABOUT),
]
LINKED = [
    Triple(AUTHOR, RDF.type, SCHEMA.Person),
    Triple(AUTHOR, SCHEMA.name, Literal("Nguyễn Du")),
    Triple(PLACE, SCHEMA.name, Literal("Hà Nội")),
]
LEFT_OUT = [
    Triple(BOOK, RDF.type, BF.Instance),  # not schema.org
    Triple(BOOK, RDFS.label, Literal("Truyện Kiều")),
    # of a linked node only its type and name
    Triple(AUTHOR, NamedNode("http://schema.org/birthDate"), Literal("1765")),
    Triple(ABOUT, SCHEMA.name, Literal("Thơ")),  # a blank node's statements are not followed
]


def parsed(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="json-ld")


def test_the_same_statements_as_the_triples() -> None:
    text = jsonld_for_page([*OWN, *LINKED, *LEFT_OUT], BOOK)
    assert isomorphic(parsed(text), to_rdflib([*OWN, *LINKED]))


def test_compact_form() -> None:
    data = json.loads(jsonld_for_page([*OWN, *LINKED, *LEFT_OUT], BOOK))
    assert data["@context"] == {"@vocab": "http://schema.org/"}
    nodes = {node["@id"]: node for node in data["@graph"]}
    book = nodes[BOOK.value]
    assert book["@type"] == "Book"
    assert sorted(book["name"], key=str) == sorted(
        ["The Tale of Kieu", {"@language": "vi", "@value": "Truyện Kiều"}], key=str
    )
    assert book["author"] == {"@id": AUTHOR.value}
    assert book["datePublished"] == {"@type": XSD.gYear.value, "@value": "1998"}
    assert nodes[AUTHOR.value] == {"@id": AUTHOR.value, "@type": "Person", "name": "Nguyễn Du"}


def test_safe_inside_a_script_element() -> None:
    hostile = [Triple(BOOK, SCHEMA.name, Literal("</script><script>alert(1)</script>"))]
    text = jsonld_for_page(hostile, BOOK)
    assert "</" not in text
    assert isomorphic(parsed(text), to_rdflib(hostile))


def test_nothing_to_say() -> None:
    data = json.loads(jsonld_for_page([Triple(BOOK, RDF.type, BF.Instance)], BOOK))
    assert data == {"@context": {"@vocab": "http://schema.org/"}, "@graph": []}
