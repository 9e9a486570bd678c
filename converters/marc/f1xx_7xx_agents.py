"""100-111 and 700-711: agents and their contributions to the Work; 720 uncontrolled names.

Spec sheet: LC ConvSpec-1XX,6XX,7XX,8XX-names. An agent's IRI comes from its class and the match
key of its heading ($a $b $c $d $q), so the same heading in many records and many libraries is one
agent. The first indicator is not trusted to tell inverted from direct order: Vietnamese names
occur as 'Nguyễn, Du', 'Nguyễn Du' and 'Nguyễn Nhật Ánh' with ind1=1 alike, and the match key
treats the comma and no-comma forms as one name. The heading is kept as written for display.
Roles come from $4 (relator codes or URIs) and $e/$j (relator terms, English or Vietnamese);
a term we know becomes the relator IRI, any other a labelled bf:Role. $0 and $1 become links.
A name/title field (7XX $t) is a related Work.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode, NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields, known_iri, links
from lod.converters.text import clean, heading_key
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.uris import opaque_id
from lod.vocab import BF, ID_RELATORS, RDF, RDFS

HEADING_CODES = {"00": "abcdgjq", "10": "abcdgn", "11": "acdegnq", "20": "a"}
TITLE_CODES = "tfklmnoprs"
ROLE_TERMS: dict[str, str] = {
    # English relator terms (MARC Code List for Relators)
    "author": "aut", "creator": "cre", "editor": "edt", "translator": "trl", "illustrator": "ill",
    "compiler": "com", "contributor": "ctb", "composer": "cmp", "performer": "prf",
    "photographer": "pht", "publisher": "pbl", "director": "drt", "film director": "fmd",
    "narrator": "nrt", "lyricist": "lyr", "arranger": "arr", "conductor": "cnd", "singer": "sng",
    "writer of introduction": "win", "writer of preface": "wpr", "author of introduction": "aui",
    "commentator": "cmm", "annotator": "ann", "printer": "prt", "cartographer": "ctg",
    "artist": "art", "interviewer": "ivr", "interviewee": "ive", "honoree": "hnr",
    "former owner": "fmo", "dedicatee": "dte", "instrumentalist": "itr", "producer": "pro",
    "editor of compilation": "edc", "degree granting institution": "dgg", "thesis advisor": "ths",
    "sponsor": "spn", "host institution": "his", "organizer": "orm", "issuing body": "isb",
    "author of afterword, colophon, etc.": "aft", "scribe": "scr", "calligrapher": "cll",
    "transcriber": "trc", "reviser": "rev", "adapter": "adp", "abridger": "abr",
    "engraver": "egr", "lithographer": "ltg", "bookseller": "bsl", "binder": "bnd",
    # Vietnamese terms used in $e by Vietnamese catalogues
    "tác giả": "aut", "đồng tác giả": "aut", "chủ biên": "edt", "biên tập": "edt",
    "người biên tập": "edt", "dịch": "trl", "người dịch": "trl", "dịch giả": "trl",
    "biên dịch": "trl", "minh họa": "ill", "minh hoạ": "ill", "vẽ minh họa": "ill",
    "biên soạn": "com", "người biên soạn": "com", "sưu tầm": "com", "tuyển chọn": "com",
    "hiệu đính": "rev", "chú giải": "ann", "chú thích": "ann", "giới thiệu": "aui",
    "viết lời giới thiệu": "win", "lời tựa": "wpr", "phiên âm": "trc", "khảo dị": "cmm",
    "bình luận": "cmm", "nhiếp ảnh": "pht", "soạn nhạc": "cmp", "hướng dẫn khoa học": "ths",
    "đạo diễn": "drt", "tổng biên tập": "edt",
}  # fmt: skip
AUTHOR_ROLES = {"aut", "cre"}


def agent_classes(field: Field) -> NamedNode:
    """The BIBFRAME class of the agent named in an X00/X10/X11/720 field."""
    kind = field.tag[1:]
    if kind == "00":
        return BF.Family if field.indicator1 == "3" else BF.Person
    if kind == "11":
        return BF.Meeting
    if kind == "20":
        return BF.Person if field.indicator1 == "1" else BF.Agent
    return BF.Organization


def heading(field: Field) -> str:
    """The name as catalogued, inner punctuation kept ('Nguyễn, Du, 1765-1820'), end cleaned."""
    codes = HEADING_CODES.get(field.tag[1:], "abcd")
    return clean(" ".join(sub.value for sub in field.subfields if sub.code in codes))


def _mint(ctx: RecordContext, cls: NamedNode, label: str) -> NamedNode:
    return ctx.minter.agent(cls.value.rsplit("/", 1)[-1], heading_key([label]))


def agent_iri(field: Field, ctx: RecordContext) -> NamedNode | None:
    label = heading(field)
    return _mint(ctx, agent_classes(field), label) if label else None


def agent(field: Field, ctx: RecordContext) -> tuple[NamedNode | None, list[Triple]]:
    """The agent IRI of a name field and the triples describing it (for the shared graph)."""
    label = heading(field)
    if not label:
        return None, []
    cls = agent_classes(field)
    node = _mint(ctx, cls, label)
    ids = [sub.value for sub in field.subfields if sub.code in "01"]
    if not ctx.describes((node, label, *ids)):
        return node, []
    triples = [*agent_types(node, field), (node, RDFS.label, literal(label))]
    if ids:
        triples += links(node, ids)
    return node, triples


def parallel_label(field: Field, paired: Field, ctx: RecordContext) -> list[Triple]:
    """An 880 in another script: its heading is a label of the agent of the paired field."""
    node, label = agent_iri(paired, ctx), heading(field)
    if node is None or not label:
        return []
    return [*agent_types(node, paired), (node, RDFS.label, ctx.text(label))]


def agent_types(node: NamedNode, field: Field) -> list[Triple]:
    """The classes of the agent a name field names. Restated beside a label in another script: the
    schema view names an entity from the types it sees in the same record, and the agent's own
    description may have been left out (stated by an earlier record, RecordContext.described)."""
    cls = agent_classes(field)
    return (
        [(node, RDF.type, BF.Agent)]
        if cls is BF.Agent
        else [(node, RDF.type, BF.Agent), (node, RDF.type, cls)]
    )


def work_title(field: Field) -> str:
    """The title part ($t and what follows it) of a name/title field."""
    return clean(" ".join(sub.value for sub in field.subfields if sub.code in TITLE_CODES))


def related_work(
    field: Field, ctx: RecordContext, agent_node: NamedNode | None
) -> tuple[NamedNode, list[Triple]]:
    """7XX/6XX $t: the Work named by name and title, minted from both so it is shared."""
    title = work_title(field)
    key = heading_key([heading(field), title])
    work = ctx.minter.entity("work", opaque_id("work", key))
    triples: list[Triple] = [
        (work, RDF.type, BF.Work),
        (work, RDFS.label, ctx.text(title)),
    ]
    if agent_node is not None:
        contribution = BlankNode()
        triples += [
            (work, BF.contribution, contribution),
            (contribution, RDF.type, BF.Contribution),
            (contribution, BF.agent, agent_node),
        ]
    return work, triples


def roles(field: Field) -> tuple[list[NamedNode], list[str]]:
    """(relator IRIs, unmapped role terms) from $4 and $e (or $j for meetings)."""
    term_code = "j" if field.tag[1:] == "11" else "e"
    iris: list[NamedNode] = []
    unknown: list[str] = []
    for sub in field.subfields:
        if sub.code == "4":
            value = sub.value.strip()
            if value.startswith("http"):
                iris.append(known_iri(value))
            elif (code := value.strip(".,; ").lower()).isalpha() and len(code) == 3:
                iris.append(known_iri(ID_RELATORS + code))
            elif value:
                unknown.append(clean(value))
        elif sub.code == term_code:
            for term in clean(sub.value).split(","):
                term = term.strip()
                if not term:
                    continue
                relator = ROLE_TERMS.get(term.casefold().rstrip("."))
                if relator:
                    iris.append(known_iri(ID_RELATORS + relator))
                else:
                    unknown.append(term)
    return list(dict.fromkeys(iris)), unknown


def contribution(field: Field, ctx: RecordContext) -> list[Triple]:
    node, triples = agent(field, ctx)
    if node is None:
        return []
    if field.get("t") is not None and field.tag.startswith("7"):
        work, work_triples = related_work(field, ctx, node)
        relation = BF.hasPart if field.indicator2 == "2" else BF.relatedTo
        return [*triples, *work_triples, (ctx.work, relation, work)]
    primary = field.tag.startswith("1")
    node_c = BlankNode()
    triples += [
        (ctx.work, BF.contribution, node_c),
        (node_c, RDF.type, BF.Contribution),
        (node_c, BF.agent, node),
    ]
    if primary:
        triples.append((node_c, RDF.type, BF.PrimaryContribution))
    role_iris, role_terms = roles(field)
    for role in role_iris:
        triples.append((node_c, BF.role, role))
    for term in role_terms:
        role_node = BlankNode()
        triples += [
            (node_c, BF.role, role_node),
            (role_node, RDF.type, BF.Role),
            (role_node, RDFS.label, literal(term)),
        ]
    return triples


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = dict.fromkeys(
    ("100", "110", "111", "700", "710", "711", "720"), contribution
)
PARALLEL = dict.fromkeys(("100", "110", "111", "700", "710", "711"), parallel_label)

__all__ = ["AUTHOR_ROLES", "FIELDS", "PARALLEL", "agent", "agent_iri", "heading", "roles", "work_title"]


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
