"""852 and Koha's 952: the library's copies (bf:Item) with call number and barcode (ĐKCB).

Spec sheet: LC ConvSpec-841-887 (852). An Item's IRI comes from its barcode when it has one,
else from its call number and position among the record's holdings fields.
The holding library is the library that sent the record; branch codes are kept as sublocations.
"""

from __future__ import annotations

from pymarc import Field, Record
from pyoxigraph import Literal, NamedNode

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import identifier, labelled, triple, typed
from lod.converters.text import clean, subfields
from lod.vocab import BF, RDFS, SCHEMA

# tag -> (barcode codes, call number codes, branch codes)
LAYOUTS: dict[str, tuple[str, str, str]] = {
    "852": ("p", "hij", "ab"),
    "952": ("p", "o", "ab"),
}


def convert(record: Record, ctx: RecordContext) -> Triples:
    for tag, layout in LAYOUTS.items():
        for position, field in enumerate(record.get_fields(tag), start=1):
            yield from _item(field, position, layout, ctx)


def _item(field: Field, position: int, layout: tuple[str, str, str], ctx: RecordContext) -> Triples:
    barcode_codes, call_codes, branch_codes = layout
    barcodes = subfields(field, barcode_codes)
    call_number = clean(" ".join(subfields(field, call_codes)))
    key = f"barcode:{barcodes[0]}" if barcodes else f"{field.tag}:{position}:{call_number}"
    item: NamedNode = ctx.minter.item(ctx.record_id, key)
    yield from typed(item, BF.Item)
    yield triple(item, BF.itemOf, ctx.instance)
    yield triple(ctx.instance, BF.hasItem, item)
    yield triple(item, BF.heldBy, ctx.library_iri)
    yield triple(item, SCHEMA.holdingArchive, ctx.library_iri)
    for barcode in barcodes:
        node, triples = identifier(BF.Barcode, barcode)
        yield triple(item, BF.identifiedBy, node)
        yield from triples
        yield triple(item, SCHEMA.sku, Literal(barcode))
    label = " ".join(filter(None, [call_number, f"({barcodes[0]})" if barcodes else ""]))
    if label:  # what a reader sees for the copy: call number and ĐKCB
        yield triple(item, RDFS.label, Literal(label))
    if call_number:
        node, triples = labelled(BF.ShelfMark, call_number)
        yield triple(item, BF.shelfMark, node)
        yield from triples
    for branch in dict.fromkeys(subfields(field, branch_codes)):
        yield triple(item, BF.physicalLocation, Literal(branch))
