"""300-388: physical description, frequency, content/media/carrier types and other 3XX.

Spec sheet: LC ConvSpec-3XX. '235 tr. : minh họa ; 21 cm' gives the Extent '235 tr.', the note
'minh họa' and the dimensions '21 cm'. 336/337/338 codes ($b) become id.loc.gov content, media and
carrier type IRIs; terms without a code are labelled nodes.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields, known_iri, labelled, source
from lod.converters.text import clean
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF, ID_CARRIERS, ID_CONTENT, ID_MEDIA, RDF, RDFS

TYPES = {
    "336": (BF.content, BF.Content, ID_CONTENT, "work"),
    "337": (BF.media, BF.Media, ID_MEDIA, "instance"),
    "338": (BF.carrier, BF.Carrier, ID_CARRIERS, "instance"),
}


def physical(field: Field, ctx: RecordContext) -> list[Triple]:
    triples: list[Triple] = []
    extent = clean(" ".join(sub.value for sub in field.subfields if sub.code in "af"))
    if extent:
        node, extent_triples = labelled(BF.Extent, ctx.text(extent))
        triples += [(ctx.instance, BF.extent, node), *extent_triples]
        for sub in field.subfields:
            if sub.code == "3" and (value := clean(sub.value)):
                triples.append((node, BF.note, literal(value)))
    for sub in field.subfields:
        value = clean(sub.value)
        if not value:
            continue
        if sub.code == "c":
            triples.append((ctx.instance, BF.dimensions, literal(value)))
        elif sub.code in "beg":
            triples.append((ctx.instance, BF.note, ctx.text(value)))
    return triples


def content_type(field: Field, ctx: RecordContext) -> list[Triple]:
    predicate, cls, base, target = TYPES[field.tag]
    subject = ctx.work if target == "work" else ctx.instance
    terms = [t for sub in field.subfields if sub.code == "a" and (t := clean(sub.value))]
    codes = [c for sub in field.subfields if sub.code == "b" and (c := clean(sub.value))]
    scheme = clean(field.get("2") or "")
    triples: list[Triple] = []
    for index, code in enumerate(codes):
        iri = known_iri(base + code)
        triples.append((subject, predicate, iri))
        term = terms[index] if index < len(terms) else None
        if not ctx.describes((iri, term, scheme, ctx.field_language)):
            continue
        triples.append((iri, RDF.type, cls))
        if term is not None:
            triples.append((iri, RDFS.label, ctx.text(term)))
        if scheme:
            triples += source(iri, scheme)
    for term in terms[len(codes) :]:
        node: BlankNode
        node, term_triples = labelled(cls, ctx.text(term))
        triples += [(subject, predicate, node), *term_triples]
        if scheme:
            triples += source(node, scheme)
    for sub in field.subfields:
        if sub.code == "3" and (value := clean(sub.value)):
            triples.append((subject, BF.note, ctx.text(value)))
    return triples


def frequency(field: Field, ctx: RecordContext) -> list[Triple]:
    value = clean(" ".join(sub.value for sub in field.subfields if sub.code in "ab"))
    if not value:
        return []
    node, triples = labelled(BF.Frequency, ctx.text(value))
    return [(ctx.instance, BF.frequency, node), *triples]


def other_3xx(field: Field, ctx: RecordContext) -> list[Triple]:
    """Other 3XX (340 medium, 344-348 sound/video/file/music characteristics, 362 dates of
    publication, 380-388 work characteristics) as notes of the Instance."""
    value = clean(" ".join(sub.value for sub in field.subfields if sub.code.isalpha() and sub.code != "2"))
    return [(ctx.instance, BF.note, ctx.text(value))] if value else []


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = {
    "300": physical,
    "310": frequency,
    "321": frequency,
    "336": content_type,
    "337": content_type,
    "338": content_type,
    **dict.fromkeys(("340", "344", "345", "346", "347", "348", "351", "362", "370", "377", "380", "381",
                     "382", "383", "384", "385", "386", "388"), other_3xx),
}  # fmt: skip


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
