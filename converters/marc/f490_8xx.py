"""490 and 800-830: series statements and the series themselves.

Spec sheet: LC ConvSpec-490-510 and ConvSpec-8XX. The statement as transcribed (490) is kept as
bf:seriesStatement. A Series is an IRI keyed by its ISSN ($x) when it has one, else its normalised
title, so every volume of 'Tủ sách Văn học' across libraries points at one Series. A 490 traced
differently (ind1 1) leaves the Series to its 8XX; an untraced 490 (ind1 0) names the Series itself.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import Literal, NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc.build import convert_fields, identifier, links
from lod.converters.marc.f1xx_7xx_agents import agent
from lod.converters.text import clean, heading_key
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF, RDF, RDFS


def series(
    ctx: RecordContext, title: str, issn: str | None, name: NamedNode | None = None
) -> tuple[NamedNode, list[Triple]]:
    key = f"issn:{issn}" if issn else heading_key([title])
    node = ctx.minter.series(key)
    triples: list[Triple] = [
        (node, RDF.type, BF.Series),
        (node, RDF.type, BF.Work),
        (node, RDFS.label, ctx.text(title)),
    ]
    if issn:
        id_node, id_triples = identifier(BF.Issn, issn)
        triples += [(node, BF.identifiedBy, id_node), *id_triples]
    if name is not None:
        triples.append((node, BF.relatedTo, name))
    return node, triples


def statement_490(field: Field, ctx: RecordContext) -> list[Triple]:
    titles = [t for sub in field.subfields if sub.code == "a" and (t := clean(sub.value))]
    numbers = [n for sub in field.subfields if sub.code == "v" and (n := clean(sub.value))]
    issns = [i for sub in field.subfields if sub.code in "xy" and (i := clean(sub.value))]
    statement = clean(" ; ".join(filter(None, [" ".join(titles), " ".join(numbers)])))
    triples: list[Triple] = [(ctx.instance, BF.seriesStatement, ctx.text(statement))] if statement else []
    for number in numbers:
        triples.append((ctx.instance, BF.seriesEnumeration, ctx.text(number)))
    if field.indicator1 != "1" and titles:
        node, series_triples = series(ctx, " ".join(titles), issns[0] if issns else None)
        triples += [(ctx.instance, BF.hasSeries, node), *series_triples]
    for sub in field.subfields:
        if sub.code in "3l" and (value := clean(sub.value)):
            triples.append((ctx.instance, BF.note, ctx.text(value)))
    return triples


def added_entry_8xx(field: Field, ctx: RecordContext) -> list[Triple]:
    codes = "adfghklmnoprst" if field.tag == "830" else "fhklmnoprst"
    title = clean(" ".join(sub.value for sub in field.subfields if sub.code in codes))
    if not title:
        return []
    name_node, triples = (None, []) if field.tag == "830" else agent(field, ctx)
    issn = clean(field.get("x") or "") or None
    node, series_triples = series(ctx, title, issn, name_node)
    triples = [*triples, *series_triples, (ctx.instance, BF.hasSeries, node)]
    ids = [sub.value for sub in field.subfields if sub.code in "01"] if field.tag == "830" else []
    triples += links(node, ids)
    for sub in field.subfields:
        if sub.code == "v" and (number := clean(sub.value)):
            triples.append((ctx.instance, BF.seriesEnumeration, Literal(number)))
        elif sub.code in "3" and (value := clean(sub.value)):
            triples.append((ctx.instance, BF.note, ctx.text(value)))
    return triples


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = {
    "440": statement_490,
    "490": statement_490,
    "800": added_entry_8xx,
    "810": added_entry_8xx,
    "811": added_entry_8xx,
    "830": added_entry_8xx,
}


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
