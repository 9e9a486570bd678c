"""Small helpers the tag modules share to build triples."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from lod.converters.context import Object, Subject
from lod.vocab import RDF, RDFS


def triple(subject: Subject, predicate: NamedNode, obj: Object) -> Triple:
    return Triple(subject, predicate, obj)


def text(value: str, language: str | None = None) -> Literal:
    return Literal(value, language=language) if language else Literal(value)


def typed(node: Subject, *classes: NamedNode) -> list[Triple]:
    return [Triple(node, RDF.type, cls) for cls in classes]


def labelled(cls: NamedNode, label: str, *more: NamedNode) -> tuple[BlankNode, list[Triple]]:
    """A blank node of class `cls` (and `more`) with an rdfs:label, as BIBFRAME uses for Extent etc."""
    node = BlankNode()
    return node, [*typed(node, cls, *more), Triple(node, RDFS.label, Literal(label))]


def identifier(cls: NamedNode, value: str) -> tuple[BlankNode, list[Triple]]:
    node = BlankNode()
    return node, [*typed(node, cls), Triple(node, RDF.value, Literal(value))]
