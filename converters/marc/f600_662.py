"""600-662: subjects (names, topics, places), uncontrolled keywords (653) and genre/form (655).

Spec sheet: LC ConvSpec-600-662. A subject heading with subdivisions is one Topic labelled
'Văn học Việt Nam--Phê bình'. Topics are keyed by class and normalised label, so the same
Vietnamese subject string from many libraries is one Topic (no national authority file exists).
"""

from __future__ import annotations

from pymarc import Field, Record
from pyoxigraph import Literal, NamedNode

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import labelled, triple, typed
from lod.converters.marc.f1xx_7xx_agents import agent
from lod.converters.text import clean, heading_key, subfields
from lod.vocab import BF, RDFS, SCHEMA

TOPIC_CLASSES: dict[str, NamedNode] = {"650": BF.Topic, "651": BF.Place, "653": BF.Topic, "655": BF.GenreForm}
SUBDIVISIONS = "vxyz"


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("600", "610", "611"):
        node, agent_triples = agent(field, ctx)
        if node is not None:
            yield from agent_triples
            yield triple(ctx.work, BF.subject, node)
            yield triple(ctx.work, SCHEMA.about, node)
    for field in record.get_fields("650", "651", "653", "655"):
        yield from _topics(field, ctx)
    for field in record.get_fields("653"):
        for keyword in subfields(field, "a"):
            yield triple(ctx.work, SCHEMA.keywords, Literal(keyword))


def _topics(field: Field, ctx: RecordContext) -> Triples:
    cls = TOPIC_CLASSES[field.tag]
    headings = subfields(field, "a") if field.tag == "653" else [_heading(field)]
    for label in filter(None, headings):
        node = ctx.minter.topic(cls.value.rsplit("/", 1)[-1], heading_key([label]))
        yield from typed(node, cls)
        yield triple(node, RDFS.label, Literal(label))
        yield triple(node, SCHEMA.name, Literal(label))
        if field.tag == "655":
            yield triple(ctx.work, BF.genreForm, node)
            yield triple(ctx.work, SCHEMA.genre, node)
        else:
            yield triple(ctx.work, BF.subject, node)
            yield triple(ctx.work, SCHEMA.about, node)
        for source in subfields(field, "2"):
            source_node, source_triples = labelled(BF.Source, source)
            yield triple(node, BF.source, source_node)
            yield from source_triples


def _heading(field: Field) -> str:
    main = clean(" ".join(subfields(field, "abcd")))
    parts = [main, *subfields(field, SUBDIVISIONS)]
    return "--".join(p for p in parts if p)
