"""490: series statements as transcribed.

Spec sheet: LC ConvSpec-490-510. Linking series (8XX) to series Works comes with the full converter.
"""

from __future__ import annotations

from pymarc import Record
from pyoxigraph import Literal

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import triple
from lod.converters.text import clean, subfields
from lod.vocab import BF


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("490"):
        statement = clean(" ; ".join(subfields(field, "av")))
        if statement:
            yield triple(ctx.instance, BF.seriesStatement, Literal(statement))
