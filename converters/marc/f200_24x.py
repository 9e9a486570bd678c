"""130, 240, 242-247, 730, 740: titles of the Work and Instance, statement of responsibility,
variant, translated, former and uniform titles.

Spec sheet: LC ConvSpec-200-247 and ConvSpec-130,240. ISBD punctuation is taken off the ends
('Truyện Kiều :' -> 'Truyện Kiều'). The Work takes its title from 130/240 (the uniform title)
when the record has one, else from 245. An 880 paired with 245 adds a parallel Title in its
script to the Instance.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields
from lod.converters.text import clean, heading_key
from lod.marcrecord import Field, Record
from lod.triples import Subject, Triple
from lod.uris import opaque_id
from lod.vocab import BF, RDF, RDFS

TITLE_PARTS = (("a", BF.mainTitle), ("b", BF.subtitle), ("n", BF.partNumber), ("p", BF.partName))
# 246 second indicator -> variant type
VARIANT_TYPES = {
    "0": "portion", "1": "parallel", "2": "distinctive", "3": "other", "4": "cover",
    "5": "added title page", "6": "caption", "7": "running", "8": "spine",
}  # fmt: skip


def full_title(field: Field, codes: str = "abnp") -> str:
    """'Truyện Kiều : bản mới. Phần 1, Quyển thượng': $a $b $n $p as one readable string."""
    parts: list[str] = []
    for sub in field.subfields:
        if sub.code in codes and (value := clean(sub.value)):
            if parts:
                parts.append(" : " if sub.code == "b" else ". ")
            parts.append(value)
    return "".join(parts)


def title_node(field: Field, ctx: RecordContext, cls: NamedNode) -> tuple[BlankNode, list[Triple]]:
    node = BlankNode()
    triples: list[Triple] = [(node, RDF.type, cls)]
    if cls is BF.VariantTitle and (kind := VARIANT_TYPES.get(field.indicator2)):
        triples.append((node, BF.variantType, literal(kind)))
    main = clean(" ".join(sub.value for sub in field.subfields if sub.code == "a"))
    if main:
        triples.append((node, BF.mainTitle, ctx.text(main)))
    for code, predicate in TITLE_PARTS[1:]:
        for sub in field.subfields:
            if sub.code == code and (value := clean(sub.value)):
                triples.append((node, predicate, ctx.text(value)))
    for sub in field.subfields:
        if sub.code in "fg" and (value := clean(sub.value)):
            triples.append((node, BF.date, Literal(value)))
        elif sub.code == "i" and (value := clean(sub.value)):
            triples.append((node, BF.note, ctx.text(value)))
    return node, triples


def _title(subject: Subject, field: Field, ctx: RecordContext, cls: NamedNode) -> list[Triple]:
    node, triples = title_node(field, ctx, cls)
    return [(subject, BF.title, node), *triples]


def title_245(field: Field, ctx: RecordContext) -> list[Triple]:
    full = full_title(field)
    if not full:
        return []
    record = ctx.record
    if record is not None and field in record.get_fields("245")[1:]:
        return []  # a second 245 is a cataloguing error: the first one is the title
    uniform = record is not None and (record.get("130") or record.get("240"))
    triples = _title(ctx.instance, field, ctx, BF.Title)
    triples.append((ctx.instance, RDFS.label, ctx.text(full)))
    if not uniform:
        triples += _title(ctx.work, field, ctx, BF.Title)
        triples.append((ctx.work, RDFS.label, ctx.text(full)))
    for sub in field.subfields:
        if sub.code == "c" and (statement := clean(sub.value)):
            triples.append((ctx.instance, BF.responsibilityStatement, ctx.text(statement)))
        elif sub.code in "hks" and (value := clean(sub.value).strip("[]")):
            triples.append((ctx.instance, BF.note, ctx.text(value)))
    return triples


def parallel_245(field: Field, paired: Field, ctx: RecordContext) -> list[Triple]:
    """An 880 paired with 245: the title in its original script, as a parallel Title."""
    triples = _title(ctx.instance, field, ctx, BF.ParallelTitle)
    full = full_title(field)
    if full:
        triples.append((ctx.instance, RDFS.label, ctx.text(full)))
    for sub in field.subfields:
        if sub.code == "c" and (statement := clean(sub.value)):
            triples.append((ctx.instance, BF.responsibilityStatement, ctx.text(statement)))
    return triples


def uniform_title(field: Field, ctx: RecordContext) -> list[Triple]:
    """130/240: the Work's own title (language and parts included)."""
    full = full_title(field, "adfgklmnoprs")
    if not full:
        return []
    triples = _title(ctx.work, field, ctx, BF.Title)
    triples.append((ctx.work, RDFS.label, ctx.text(full)))
    for sub in field.subfields:
        if sub.code in "dfgklmors" and (value := clean(sub.value)):
            predicate = BF.version if sub.code in "ks" else BF.note
            triples.append((ctx.work, predicate, ctx.text(value)))
    return triples


def variant_title(field: Field, ctx: RecordContext) -> list[Triple]:
    if not any(sub.code == "a" and sub.value.strip() for sub in field.subfields):
        return []
    cls = BF.ParallelTitle if field.tag == "246" and field.indicator2 == "1" else BF.VariantTitle
    return _title(ctx.instance, field, ctx, cls)


def related_title(field: Field, ctx: RecordContext) -> list[Triple]:
    """730/740: a related or analytical title, a Work shared by every record naming it."""
    full = full_title(field, "adfgklmnoprs")
    if not full:
        return []
    work = ctx.minter.entity("work", opaque_id("work", heading_key(["", full])))
    relation = BF.hasPart if field.indicator2 == "2" else BF.relatedTo
    return [
        (work, RDF.type, BF.Work),
        (work, RDFS.label, ctx.text(full)),
        *_title(work, field, ctx, BF.Title),
        (ctx.work, relation, work),
    ]


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = {
    "130": uniform_title,
    "240": uniform_title,
    "242": variant_title,
    "243": uniform_title,
    "245": title_245,
    "246": variant_title,
    "247": variant_title,
    "730": related_title,
    "740": related_title,
}
PARALLEL = {"245": parallel_245}


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
