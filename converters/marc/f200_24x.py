"""245 and 246: titles of the Instance (and the Work), statement of responsibility, variants.

Spec sheet: LC ConvSpec-200-247. ISBD punctuation is taken off ('Truyện Kiều :' -> 'Truyện Kiều').
The Work takes the 245 title too, as marc2bibframe2 does when there is no 130/240 uniform title;
130/240 are not converted yet, so for now the Work takes it even when they are present.
"""

from __future__ import annotations

from pymarc import Field, Record
from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, Subject, Triples
from lod.converters.marc.build import triple, typed
from lod.converters.text import clean, joined, subfields
from lod.vocab import BF, RDFS, SCHEMA


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("245")[:1]:
        main = joined(field, "a")
        if not main:
            continue
        for subject in (ctx.instance, ctx.work):
            yield from _title(field, subject, BF.Title)
        full = clean(" : ".join(filter(None, [main, joined(field, "b")])))
        yield triple(ctx.instance, SCHEMA.name, Literal(full))
        yield triple(ctx.work, SCHEMA.name, Literal(full))
        yield triple(ctx.instance, RDFS.label, Literal(full))
        yield triple(ctx.work, RDFS.label, Literal(full))
        for statement in subfields(field, "c"):
            yield triple(ctx.instance, BF.responsibilityStatement, Literal(statement))
    for field in record.get_fields("246"):
        if joined(field, "a"):
            yield from _title(field, ctx.instance, BF.VariantTitle)
            yield triple(ctx.instance, SCHEMA.alternateName, Literal(joined(field, "ab", " : ")))


def _title(field: Field, subject: Subject, cls: NamedNode) -> Triples:
    node = BlankNode()
    yield triple(subject, BF.title, node)
    yield from typed(node, cls)
    yield triple(node, BF.mainTitle, Literal(joined(field, "a")))
    for code, predicate in (("b", BF.subtitle), ("n", BF.partNumber), ("p", BF.partName)):
        for value in subfields(field, code):
            yield triple(node, predicate, Literal(value))
