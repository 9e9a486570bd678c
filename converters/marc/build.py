"""Small helpers the tag modules share to build triples."""

from __future__ import annotations

import re
from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext
from lod.marcrecord import Field, Record
from lod.triples import Subject, Triple
from lod.vocab import BF, ID_LANGUAGES, OWL, RDF, RDFS

_URI = re.compile(r"^https?://\S+$")
PREFIXED = re.compile(r"^\(([^)]+)\)\s*(.+)$")
"""'(DLC)n79021164': a source code in parentheses before a number."""


def text(value: str, language: str | None = None) -> Literal:
    return Literal(value, language=language) if language else Literal(value)


def typed(node: Subject, *classes: NamedNode) -> list[Triple]:
    return [(node, RDF.type, cls) for cls in classes]


def labelled(cls: NamedNode, label: str | Literal, *more: NamedNode) -> tuple[BlankNode, list[Triple]]:
    """A blank node of class `cls` (and `more`) with an rdfs:label, as BIBFRAME uses for Extent etc."""
    node = BlankNode()
    literal = label if isinstance(label, Literal) else Literal(label)
    return node, [*typed(node, cls, *more), (node, RDFS.label, literal)]


def identifier(cls: NamedNode, value: str) -> tuple[BlankNode, list[Triple]]:
    node = BlankNode()
    return node, [(node, RDF.type, cls), (node, RDF.value, Literal(value))]


def source(subject: Subject, code: str) -> list[Triple]:
    """`subject bf:source [a bf:Source; bf:code code]` (a scheme or agency named by a code)."""
    node = BlankNode()
    return [
        (subject, BF.source, node),
        (node, RDF.type, BF.Source),
        (node, BF.code, Literal(code)),
    ]


def links(subject: Subject, values: list[str]) -> list[Triple]:
    """$0 and $1: a URI becomes owl:sameAs; '(DLC)n79021164' an identifier with its source."""
    triples: list[Triple] = []
    for value in values:
        value = value.strip()
        if _URI.match(value):
            try:
                triples.append((subject, OWL.sameAs, NamedNode(value)))
                continue
            except ValueError:  # not a valid IRI: kept as an identifier below
                pass
        match = PREFIXED.match(value)
        node, id_triples = identifier(BF.Identifier, match.group(2).strip() if match else value)
        triples.append((subject, BF.identifiedBy, node))
        triples.extend(id_triples)
        if match:
            triples.extend(source(node, match.group(1)))
    return triples


def language_codes(value: str) -> list[str]:
    """'vieeng' -> ['vie', 'eng']: 041 subfields may pack several three-letter codes."""
    letters = value.strip().lower()
    if len(letters) % 3 or not letters.isalpha():
        return []
    return [letters[i : i + 3] for i in range(0, len(letters), 3)]


def language(code: str) -> NamedNode:
    return NamedNode(ID_LANGUAGES + code)


def convert_fields(
    fields: dict[str, Callable[[Field, RecordContext], list[Triple]]], record: Record, ctx: RecordContext
) -> list[Triple]:
    """Run one module's field converters over a record (for that module's own tests)."""
    ctx.record = record
    triples: list[Triple] = []
    for field in record.fields:
        converter = fields.get(field.tag)
        if converter is not None:
            ctx.enter(field)
            triples += converter(field, ctx)
    return triples
