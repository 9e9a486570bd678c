"""250-270: edition, cartographic data, computer file characteristics, and provision activity
(publication, production, distribution, manufacture, copyright).

Spec sheet: LC ConvSpec-250-270. 260 and 264 become a bf:ProvisionActivity with the place,
agent and date as transcribed (bflc:simple*) and as entities: places and publishers are Place
and Agent IRIs keyed by their normalised names, so 'Hà Nội' is one place across the catalogue.
The date is typed as EDTF when a year can be read from it. 264 _4 is a copyright date.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields, edtf
from lod.converters.text import clean, heading_key, unbracket, year
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF, BFLC, RDF, RDFS

ACTIVITIES_264: dict[str, NamedNode] = {
    "0": BF.Production,
    "1": BF.Publication,
    "2": BF.Distribution,
    "3": BF.Manufacture,
}
# '[S.l.]', '[s.n.]', Vietnamese 'K.đ.' / 'K.nxb' and RDA phrases: no place or publisher is named
_UNKNOWN_PLACES = {
    "s l", "sl", "k đ", "kđ", "knxb", "k nxb", "s n", "sn", "place of publication not identified",
    "publisher not identified", "n p", "o o", "o o u j", "s a",
}  # fmt: skip


def edition(field: Field, ctx: RecordContext) -> list[Triple]:
    statement = clean(" ".join(v for sub in field.subfields if sub.code in "ab" and (v := clean(sub.value))))
    return [(ctx.instance, BF.editionStatement, ctx.text(statement))] if statement else []


def description_note(field: Field, ctx: RecordContext) -> list[Triple]:
    """254-258: musical presentation, cartographic data, file characteristics, as notes."""
    triples: list[Triple] = []
    for sub in field.subfields:
        if sub.code.isalpha() and (value := clean(sub.value)):
            predicate = BF.scale if field.tag == "255" and sub.code == "a" else BF.note
            predicate = BF.projection if field.tag == "255" and sub.code == "b" else predicate
            triples.append((ctx.instance, predicate, ctx.text(value)))
    return triples


def publication_260(field: Field, ctx: RecordContext) -> list[Triple]:
    triples = activity(field, ctx, BF.Publication, "abc")
    if any(sub.code in "efg" for sub in field.subfields):
        triples += activity(field, ctx, BF.Manufacture, "efg")
    return triples


def publication_264(field: Field, ctx: RecordContext) -> list[Triple]:
    if field.indicator2 == "4":
        return [
            (ctx.instance, BF.copyrightDate, Literal(value))
            for sub in field.subfields
            if sub.code == "c" and (value := clean(sub.value))
        ]
    cls = ACTIVITIES_264.get(field.indicator2)
    return activity(field, ctx, cls, "abc") if cls is not None else []  # an invalid ind2 is not guessed


def activity(field: Field, ctx: RecordContext, cls: NamedNode, codes: str) -> list[Triple]:
    place_code, agent_code, date_code = codes[0], codes[1], codes[2]
    node = BlankNode()
    triples: list[Triple] = [
        (ctx.instance, BF.provisionActivity, node),
        (node, RDF.type, BF.ProvisionActivity),
        (node, RDF.type, cls),
    ]
    for sub in field.subfields:
        value = unbracket(clean(sub.value))
        if not value:
            continue
        if sub.code == place_code:
            triples.append((node, BFLC.simplePlace, ctx.text(value)))
            if (key := heading_key([value])) not in _UNKNOWN_PLACES:
                place = ctx.minter.place(key)
                triples.append((node, BF.place, place))
                if ctx.describes(("place", value)):
                    triples += [(place, RDF.type, BF.Place), (place, RDFS.label, literal(value))]
        elif sub.code == agent_code:
            triples.append((node, BFLC.simpleAgent, ctx.text(value)))
            if (key := heading_key([value])) not in _UNKNOWN_PLACES:
                agent = ctx.minter.agent("Agent", key)
                triples.append((node, BF.agent, agent))
                if ctx.describes(("publisher", value)):
                    triples += [(agent, RDF.type, BF.Agent), (agent, RDFS.label, literal(value))]
        elif sub.code == date_code:
            triples.append((node, BFLC.simpleDate, literal(value)))
            if (found := year(value)) is not None:
                triples.append((node, BF.date, edtf(found)))
        elif sub.code == "3":
            triples.append((node, BF.note, ctx.text(value)))
    return triples


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = {
    "250": edition,
    "254": description_note,
    "255": description_note,
    "256": description_note,
    "257": description_note,
    "258": description_note,
    "260": publication_260,
    "264": publication_264,
}


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
