"""050-088: classification numbers (LCC, NLM, UDC, DDC with its edition, and other schemes such
as BBK in 084 with $2).

Spec sheet: LC ConvSpec-050-088. Vietnamese libraries use DDC (082) and BBK (084) side by side.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields, source
from lod.converters.text import clean
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF, RDF

SCHEMES: dict[str, NamedNode] = {
    "050": BF.ClassificationLcc,
    "055": BF.ClassificationLcc,
    "060": BF.ClassificationNlm,
    "070": BF.Classification,
    "080": BF.ClassificationUdc,
    "082": BF.ClassificationDdc,
    "083": BF.ClassificationDdc,
    "084": BF.Classification,
    "086": BF.Classification,
}
DDC_EDITIONS = {"0": "full", "1": "abridged"}


def classification(field: Field, ctx: RecordContext) -> list[Triple]:
    cls = SCHEMES[field.tag]
    item_part = next((c for sub in field.subfields if sub.code == "b" and (c := clean(sub.value))), None)
    scheme = clean(field.get("2") or "")
    triples: list[Triple] = []
    for sub in field.subfields:
        if sub.code != "a" or not (number := clean(sub.value)):
            continue
        node = BlankNode()
        triples += [
            (ctx.work, BF.classification, node),
            (node, RDF.type, cls),
            (node, BF.classificationPortion, literal(number)),
        ]
        if item_part:
            triples.append((node, BF.itemPortion, Literal(item_part)))
        if field.tag in ("082", "083"):
            # $2 of 082 is the DDC edition number ('23'), ind1 says full or abridged
            if scheme:
                triples.append((node, BF.edition, literal(scheme)))
            if edition := DDC_EDITIONS.get(field.indicator1):
                triples.append((node, BF.edition, literal(edition)))
        elif scheme:
            triples += source(node, scheme)
        if field.tag in ("050", "060") and field.indicator2 == "0":
            triples += source(node, "DLC" if field.tag == "050" else "DNLM")
    return triples


FIELDS: dict[str, Callable[[Field, RecordContext], list[Triple]]] = dict.fromkeys(SCHEMES, classification)


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
