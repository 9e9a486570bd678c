"""250-270: edition statement and provision activity (publication, production, distribution...).

Spec sheet: LC ConvSpec-250-270. 260 and 264 become a bf:ProvisionActivity with the place, agent
and date as transcribed (bflc:simple*) and as labelled nodes. The 264 second indicator says which
activity it is; a 264 _4 (copyright notice date) is not converted: it is no provision activity, and
bf:copyrightDate is not in `lod.vocab` yet.
"""

from __future__ import annotations

from pymarc import Field, Record
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import labelled, triple, typed
from lod.converters.text import clean, subfields, unbracket, year
from lod.vocab import BF, BFLC, SCHEMA

EDTF = NamedNode("http://id.loc.gov/datatypes/edtf")
ACTIVITIES_264: dict[str, NamedNode] = {
    "0": BF.Production,
    "1": BF.Publication,
    "2": BF.Distribution,
    "3": BF.Manufacture,
}


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("250"):
        statement = clean(" ".join(subfields(field, "ab")))
        if statement:
            yield triple(ctx.instance, BF.editionStatement, Literal(statement))
            yield triple(ctx.instance, SCHEMA.bookEdition, Literal(statement))
    for field in record.get_fields("260"):
        yield from _activity(field, ctx, BF.Publication)
    for field in record.get_fields("264"):
        activity = ACTIVITIES_264.get(field.indicator2)
        if activity is not None:
            yield from _activity(field, ctx, activity)


def _activity(field: Field, ctx: RecordContext, cls: NamedNode) -> Triples:
    node = BlankNode()
    yield triple(ctx.instance, BF.provisionActivity, node)
    yield from typed(node, BF.ProvisionActivity, cls)
    for place in subfields(field, "a"):
        yield from _simple(node, BFLC.simplePlace, BF.place, BF.Place, unbracket(place))
    for agent in subfields(field, "b"):
        yield from _simple(node, BFLC.simpleAgent, BF.agent, BF.Agent, unbracket(agent))
        if cls is BF.Publication:
            yield triple(ctx.instance, SCHEMA.publisher, Literal(unbracket(agent)))
    for date in subfields(field, "c"):
        yield triple(node, BFLC.simpleDate, Literal(date))
        if (found := year(date)) is not None:
            yield triple(node, BF.date, Literal(found, datatype=EDTF))


def _simple(
    node: BlankNode, simple: NamedNode, relation: NamedNode, cls: NamedNode, value: str
) -> list[Triple]:
    labelled_node, triples = labelled(cls, value)
    return [triple(node, simple, Literal(value)), triple(node, relation, labelled_node), *triples]
