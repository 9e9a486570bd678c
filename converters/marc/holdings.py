"""852, 876-878 and local holdings fields (Koha 952, and any layout configured for a Vietnamese
system's copy numbers, 'ĐKCB'): the library's copies as bf:Item.

Spec sheet: LC ConvSpec-841-887 (852). An Item's IRI comes from its barcode when it has one, else
from its call number and position among the record's holdings fields. The holding library is the
library that sent the record; branch and shelving codes are kept as sublocations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields, identifier, labelled
from lod.converters.text import clean
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF, RDF, RDFS


@dataclass(frozen=True)
class Layout:
    """Which subfields of a holdings field hold what. Configurable per system."""

    barcode: str
    call_number: str
    branch: str
    notes: str = ""
    copy_number: str = ""


COPY_NUMBER = Literal("copy number")
LAYOUTS: dict[str, Layout] = {
    "852": Layout(barcode="p", call_number="khijlm", branch="abc", notes="exz3n0", copy_number="t"),
    "876": Layout(barcode="p", call_number="", branch="l", notes="xz3", copy_number="t"),
    "877": Layout(barcode="p", call_number="", branch="l", notes="xz3", copy_number="t"),
    "878": Layout(barcode="p", call_number="", branch="l", notes="xz3", copy_number="t"),
    # Koha: a home branch, b holding branch, c shelving location, o call number, p barcode,
    # t copy number, z public note, y item type, 8 collection code
    "952": Layout(barcode="p", call_number="o", branch="abc8", notes="zxy", copy_number="t"),
}


def layout_for(tag: str, ctx: RecordContext) -> Layout | None:
    """The layout of a holdings field: the one configured for this source first, else the standard."""
    return ctx.holdings_layouts.get(tag) or LAYOUTS.get(tag)


def item(field: Field, ctx: RecordContext, layout: Layout, instance: NamedNode) -> list[Triple]:
    position = ctx.next(field.tag)
    values: dict[str, list[str]] = {}
    for sub in field.subfields:
        if value := clean(sub.value):
            values.setdefault(sub.code, []).append(value)

    def pick(codes: str) -> list[str]:
        return [v for code in codes for v in values.get(code, [])]

    barcodes = pick(layout.barcode)
    call_number = " ".join(pick(layout.call_number))
    key = f"barcode:{barcodes[0]}" if barcodes else f"{field.tag}:{position}:{call_number}"
    node = ctx.minter.item(ctx.record_id, key)
    triples: list[Triple] = [
        (node, RDF.type, BF.Item),
        (node, BF.itemOf, instance),
        (instance, BF.hasItem, node),
        (node, BF.heldBy, ctx.library_iri),
    ]
    for barcode in barcodes:
        id_node, id_triples = identifier(BF.Barcode, barcode)
        triples += [(node, BF.identifiedBy, id_node), *id_triples]
    label = " ".join(filter(None, [call_number, f"({barcodes[0]})" if barcodes else ""]))
    if label:  # what a reader sees for the copy: call number and ĐKCB
        triples.append((node, RDFS.label, Literal(label)))
    if call_number:
        shelf, shelf_triples = labelled(BF.ShelfMark, call_number)
        triples += [(node, BF.shelfMark, shelf), *shelf_triples]
    for branch in dict.fromkeys(pick(layout.branch)):
        triples.append((node, BF.physicalLocation, literal(branch)))
    for copy in pick(layout.copy_number):  # '1', 'Bản 2': a Note typed as the copy number
        note_node, note_triples = labelled(BF.Note, copy)
        triples += [(node, BF.note, note_node), *note_triples, (note_node, BF.noteType, COPY_NUMBER)]
    for note in pick(layout.notes):
        note_node, note_triples = labelled(BF.Note, note)
        triples += [(node, BF.note, note_node), *note_triples]
    return triples


def holdings_field(field: Field, ctx: RecordContext) -> list[Triple]:
    layout = layout_for(field.tag, ctx)
    return item(field, ctx, layout, ctx.instance) if layout is not None else []


def convert_holdings(record: Record, ctx: RecordContext) -> list[Triple]:
    """A MARC holdings record (leader/06 u, v, x, y): the Items it describes belong to the Instance
    of the bibliographic record whose 001 is in 004 (from the same library)."""
    bib = record.control("004").strip()
    if not bib:
        return []
    instance = ctx.minter.instance(ctx.minter.record_id(ctx.library, bib))
    triples: list[Triple] = []
    for field in record.fields:
        if (layout := layout_for(field.tag, ctx)) is not None:
            triples += item(field, ctx, layout, instance)
    return triples


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = dict.fromkeys(LAYOUTS, holdings_field)


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
