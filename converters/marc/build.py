"""Small helpers the tag modules share to build triples."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, literal
from lod.marcrecord import Field, Record
from lod.triples import Subject, Triple
from lod.vocab import BF, EDTF, ID_LANGUAGES, OWL, RDF, RDFS

_URI = re.compile(r"^https?://\S+$")
PREFIXED = re.compile(r"^\(([^)]+)\)\s*(.+)$")
"""'(DLC)n79021164': a source code in parentheses before a number."""


EDTF_TYPE = NamedNode(EDTF)


def text(value: str, language: str | None = None) -> Literal:
    return literal(value, language) if language else literal(value)


def typed(node: Subject, *classes: NamedNode) -> list[Triple]:
    return [(node, RDF.type, cls) for cls in classes]


def labelled(cls: NamedNode, label: str | Literal, *more: NamedNode) -> tuple[BlankNode, list[Triple]]:
    """A blank node of class `cls` (and `more`) with an rdfs:label, as BIBFRAME uses for Extent etc."""
    node = BlankNode()
    return node, [
        *typed(node, cls, *more),
        (node, RDFS.label, label if isinstance(label, Literal) else literal(label)),
    ]


def identifier(cls: NamedNode, value: str) -> tuple[BlankNode, list[Triple]]:
    node = BlankNode()
    return node, [(node, RDF.type, cls), (node, RDF.value, Literal(value))]


def source(subject: Subject, code: str) -> list[Triple]:
    """`subject bf:source [a bf:Source; bf:code code]` (a scheme or agency named by a code)."""
    node = BlankNode()
    return [
        (subject, BF.source, node),
        (node, RDF.type, BF.Source),
        (node, BF.code, literal(code)),
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


@lru_cache(maxsize=1 << 12)
def known_iri(iri: str) -> NamedNode:
    """The term of a code list (language, country, relator, scheme, content type...) with this IRI,
    remembered: a few hundred of them come back in every record, and a NamedNode costs an IRI parse.

    The code comes from the record, so it may hold what no IRI may (a space, a control character,
    `<`, a stray `%`: found by fuzzing, tests/fuzz): those are percent-encoded, so the record still
    converts and keeps its code."""
    try:
        return NamedNode(iri)
    except ValueError:
        return NamedNode(quote(iri, safe=_IRI_SAFE, errors="replace"))


_IRI_SAFE = ":/?@!$&'()*+,;=~"
"""What `quote` keeps of a code-list IRI that did not parse: not `%` (a stray one may be what made
it invalid), nor `#`, `[`, `]` (a second `#`, brackets outside the host)."""


@lru_cache(maxsize=1 << 12)
def edtf(value: str) -> Literal:
    """A date typed as EDTF ('2015', '1952/1954', '19XX'), remembered: the same years recur."""
    return Literal(value, datatype=EDTF_TYPE)


def language(code: str) -> NamedNode:
    return known_iri(ID_LANGUAGES + code)


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
