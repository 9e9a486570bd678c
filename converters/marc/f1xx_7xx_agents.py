"""100-111 and 700-711: agents and their contributions to the Work.

Spec sheet: LC ConvSpec-1XX,6XX,7XX,8XX-names. An agent's IRI comes from its class and its
normalised heading ($a $b $c $d $q), so the same heading in many records is one agent.
Roles come from $4 (relator codes) and $e (relator terms, e.g. Vietnamese "chú giải").
"""

from __future__ import annotations

from pymarc import Field, Record
from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import triple, typed
from lod.converters.text import clean, heading_key, subfields
from lod.vocab import BF, ID_RELATORS, RDFS, SCHEMA

HEADING_CODES = {"00": "abcdq", "10": "abcdn", "11": "acdnq"}
AUTHOR_ROLES = {"aut", "cre"}


def agent_classes(field: Field) -> tuple[NamedNode, NamedNode]:
    """(BIBFRAME class, schema.org class) of the agent named in an X00/X10/X11 field."""
    kind = field.tag[1:]
    if kind == "00":
        return (BF.Family if field.indicator1 == "3" else BF.Person), SCHEMA.Person
    if kind == "11":
        return BF.Meeting, SCHEMA.Organization
    return BF.Organization, SCHEMA.Organization


def agent(field: Field, ctx: RecordContext) -> tuple[NamedNode | None, list]:
    """The agent IRI of a name field and the triples describing it (for the shared graph)."""
    codes = HEADING_CODES.get(field.tag[1:], "abcd")
    # the heading as catalogued, inner punctuation kept ('Nguyễn, Du, 1765-1820'), end cleaned
    label = clean(" ".join(sub.value for sub in field.subfields if sub.code in codes))
    if not label:
        return None, []
    bf_class, schema_class = agent_classes(field)
    name = clean(" ".join(subfields(field, "a")))
    node = ctx.minter.agent(bf_class.value.rsplit("/", 1)[-1], heading_key([label]))
    triples = [
        *typed(node, BF.Agent, bf_class, schema_class),
        triple(node, RDFS.label, Literal(label)),
        triple(node, SCHEMA.name, Literal(name or label)),
    ]
    return node, triples


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("100", "110", "111", "700", "710", "711"):
        node, agent_triples = agent(field, ctx)
        if node is None:
            continue
        yield from agent_triples
        primary = field.tag.startswith("1")
        contribution = BlankNode()
        yield triple(ctx.work, BF.contribution, contribution)
        yield from typed(contribution, BF.Contribution, *([BF.PrimaryContribution] if primary else []))
        yield triple(contribution, BF.agent, node)
        codes = [c.lower() for c in subfields(field, "4") if c.isalpha()]
        for code in codes:
            yield triple(contribution, BF.role, NamedNode(ID_RELATORS + code))
        for term in subfields(field, "e" if field.tag[1:] != "11" else "j"):
            role = BlankNode()
            yield triple(contribution, BF.role, role)
            yield from typed(role, BF.Role)
            yield triple(role, RDFS.label, Literal(term))
        is_author = primary or bool(AUTHOR_ROLES & set(codes))
        relation = SCHEMA.author if is_author else SCHEMA.contributor
        yield triple(ctx.work, relation, node)
        yield triple(ctx.instance, relation, node)
