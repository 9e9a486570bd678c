"""500-5XX: notes and summaries.

Spec sheet: LC ConvSpec-5XX. 500 is a general note on the Instance; 520 a summary of the Work.
"""

from __future__ import annotations

from pymarc import Record
from pyoxigraph import Literal

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import labelled, triple
from lod.converters.text import joined
from lod.vocab import BF, SCHEMA


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("500"):
        note = joined(field, "a")
        if note:
            node, triples = labelled(BF.Note, note)
            yield triple(ctx.instance, BF.note, node)
            yield from triples
    for field in record.get_fields("520"):
        summary = joined(field, "ab")
        if summary:
            node, triples = labelled(BF.Summary, summary)
            yield triple(ctx.work, BF.summary, node)
            yield from triples
            yield triple(ctx.work, SCHEMA.description, Literal(summary))
