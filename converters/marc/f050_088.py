"""050-088: classification numbers (LCC, DDC, and other schemes such as BBK in 084).

Spec sheet: LC ConvSpec-050-088. Vietnamese libraries use DDC (082) and BBK (084) side by side.
"""

from __future__ import annotations

from pymarc import Record
from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import labelled, triple, typed
from lod.converters.text import subfields
from lod.vocab import BF

SCHEMES: dict[str, NamedNode] = {
    "050": BF.ClassificationLcc,
    "082": BF.ClassificationDdc,
    "084": BF.Classification,
}


def convert(record: Record, ctx: RecordContext) -> Triples:
    for tag, cls in SCHEMES.items():
        for field in record.get_fields(tag):
            item_parts = subfields(field, "b")
            for number in subfields(field, "a"):
                node = BlankNode()
                yield triple(ctx.work, BF.classification, node)
                yield from typed(node, cls)
                yield triple(node, BF.classificationPortion, Literal(number))
                if item_parts:
                    yield triple(node, BF.itemPortion, Literal(item_parts[0]))
                for source in subfields(field, "2"):
                    source_node, source_triples = labelled(BF.Source, source)
                    yield triple(node, BF.source, source_node)
                    yield from source_triples
