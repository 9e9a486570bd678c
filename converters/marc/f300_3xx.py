"""300: physical description (extent, dimensions).

Spec sheet: LC ConvSpec-3XX. '235 tr. ; 21 cm' gives the Extent '235 tr.' and dimensions '21 cm'.
"""

from __future__ import annotations

import re

from pymarc import Record
from pyoxigraph import Literal

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import labelled, triple
from lod.converters.text import clean, subfields
from lod.vocab import BF, SCHEMA

_PAGES = re.compile(r"(\d+)\s*(?:tr|p|pp|pages|S|с|стр)\b\.?", re.IGNORECASE)


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("300"):
        extent = clean(" ".join(subfields(field, "abe")))
        if extent:
            node, triples = labelled(BF.Extent, clean(" ".join(subfields(field, "a"))) or extent)
            yield triple(ctx.instance, BF.extent, node)
            yield from triples
            pages = _PAGES.search(extent)
            if pages:
                yield triple(ctx.instance, SCHEMA.numberOfPages, Literal(int(pages.group(1))))
        for dimensions in subfields(field, "c"):
            yield triple(ctx.instance, BF.dimensions, Literal(dimensions))
