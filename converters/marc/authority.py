"""Authority records (leader/06 z) to Agents and Topics with variant labels.

Spec sheet: LC's MARC 21 Authority to BIBFRAME/MADS conversion, reduced to what a union catalogue
needs: the heading (1XX) is the entity, with the same IRI a bibliographic heading gets, so the
authority's variant forms (4XX, skos:altLabel) and related headings (5XX) attach to the agents and
topics already in the catalogue; 670/680 are notes; 024 and $0/$1 are links.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc.build import links
from lod.converters.marc.f001_007 import admin_metadata
from lod.converters.marc.f1xx_7xx_agents import agent, heading
from lod.converters.text import clean, heading_key
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF, RDF, RDFS, SKOS

TOPIC_TAGS = {
    "50": BF.Topic,
    "51": BF.Place,
    "55": BF.GenreForm,
    "48": BF.Temporal,
    "30": BF.Topic,
    "47": BF.Topic,
}
NAME_TAGS = {"00", "10", "11"}
SUBDIVISIONS = "vxyz"


def entity(field: Field, ctx: RecordContext) -> tuple[NamedNode | None, list[Triple], str]:
    """The IRI (as a bibliographic heading would get it), its triples and its label."""
    kind = field.tag[1:]
    if kind in NAME_TAGS:
        node, triples = agent(field, ctx)
        label = heading(field)
        if field.get("t") is not None:
            label = clean(" ".join(s.value for s in field.subfields if s.code not in "0123456789"))
        return node, triples, label
    # a local heading tag (e.g. IISH's 103/403/503) is a topic
    cls = TOPIC_TAGS.get(kind, BF.Topic)
    parts = [clean(" ".join(s.value for s in field.subfields if s.code not in SUBDIVISIONS + "0123456789wi"))]
    parts += [v for s in field.subfields if s.code in SUBDIVISIONS and (v := clean(s.value))]
    label = "--".join(p for p in parts if p)
    if not label:
        return None, [], ""
    node = ctx.minter.topic(cls.value.rsplit("/", 1)[-1], heading_key([label]))
    return node, [(node, RDF.type, cls), (node, RDFS.label, Literal(label))], label


def convert_authority(record: Record, ctx: RecordContext) -> list[Triple]:
    headings = [f for f in record.fields if f.tag[:1] == "1" and f.data is None]
    if not headings:
        return []
    node, triples, _ = entity(headings[0], ctx)
    if node is None:
        return []
    triples.append((node, RDF.type, SKOS.Concept))
    triples += admin_metadata(record, ctx, node)
    for field in record.fields:
        group = field.tag[:1]
        if group == "4":
            _, _, label = entity(field, ctx)
            if label:
                triples.append((node, SKOS.altLabel, Literal(label)))
        elif group == "5":
            related, related_triples, _ = entity(field, ctx)
            if related is not None:
                relation = {"g": SKOS.broader, "h": SKOS.narrower}.get(
                    (field.get("w") or " ")[:1], SKOS.related
                )
                triples += [*related_triples, (node, relation, related)]
        elif field.tag in ("670", "675", "678", "680", "681", "688", "667"):
            value = clean(" ".join(s.value for s in field.subfields if s.code not in "0125678"))
            if value:
                triples.append((node, SKOS.note, Literal(value)))
        elif field.tag == "024":
            triples += links(node, [s.value for s in field.subfields if s.code in "a01"])
    return triples
