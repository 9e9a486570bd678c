"""converters/marc/f1xx_7xx_agents.py: agents (100-111, 700-711) and their contributions."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from marcrdf import MakeCtx, assert_isomorphic, literals, objects, record, values
from pyoxigraph import Literal, NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, f1xx_7xx_agents
from lod.triples import Triple
from lod.uris import Minter
from lod.vocab import BF, ID_RELATORS, OWL, RDF, RDFS, SCHEMA


def convert(ctx: RecordContext, *fields: str) -> list[Triple]:
    return list(f1xx_7xx_agents.convert(record(*fields), ctx))


def convert_all(ctx: RecordContext, *fields: str) -> list[Triple]:
    """The whole record converted, schema.org view included."""
    return convert_record(record(*fields), ctx)


def agents(triples: list[Triple], ctx: RecordContext) -> list[Any]:
    return [o for c in objects(triples, ctx.work, BF.contribution) for o in objects(triples, c, BF.agent)]


def contribution_of(triples: list[Triple], ctx: RecordContext, agent: Any) -> Any:
    (node,) = [
        c for c in objects(triples, ctx.work, BF.contribution) if agent in objects(triples, c, BF.agent)
    ]
    return node


def test_100_person_full_graph(ctx: RecordContext, minter: Minter) -> None:
    """100 1_ $a $d $e: a Person labelled with its heading as catalogued (untagged), a
    PrimaryContribution whose Vietnamese $e term is a relator IRI; no schema.org from the module."""
    triples = convert(ctx, "100 1_$aNguyễn, Du,$d1765-1820,$etác giả.")
    person = minter.agent("Person", "nguyễn du 1765 1820")
    assert_isomorphic(
        triples,
        f"""
        {person} a bf:Agent, bf:Person ;
            rdfs:label "Nguyễn, Du, 1765-1820" .
        {ctx.work} bf:contribution [
                a bf:Contribution, bf:PrimaryContribution ;
                bf:agent {person} ;
                bf:role relators:aut
            ] .
    """,
    )


def test_100_same_heading_in_two_records_is_one_agent(make_ctx: MakeCtx) -> None:
    """100: the same heading in records of two libraries gives the same agent IRI."""
    first, second = make_ctx("1", "TVHN"), make_ctx("99", "TVHCM")
    assert first.work != second.work
    a = agents(convert(first, "100 1_$aNguyễn, Du,$d1765-1820."), first)
    b = agents(convert(second, "700 1_$aNguyễn, Du,$d1765-1820,$etác giả."), second)
    assert a == b and len(a) == 1


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param("100 0_$aNguyễn Du,$d1765-1820.", id="100 0_: direct order, no comma"),
        pytest.param("100 1_$aNGUYỄN, DU,$d1765-1820", id="100 1_: capitals, no final stop"),
        pytest.param("100 1_$a  Nguyễn,  Du ,$d 1765-1820 .", id="100 1_: extra spaces"),
    ],
)
def test_100_heading_variants_match(ctx: RecordContext, variant: str) -> None:
    """100: case, punctuation and spacing do not split an agent (Vietnamese name forms vary)."""
    reference = agents(convert(ctx, "100 1_$aNguyễn, Du,$d1765-1820."), ctx)
    assert agents(convert(ctx, variant), ctx) == reference


def test_100_nfd_heading_matches_nfc_and_is_stored_nfc(ctx: RecordContext) -> None:
    """100 in NFD: same agent IRI as the NFC heading, and its labels are stored in NFC."""
    nfd = unicodedata.normalize("NFD", "100 1_$aNguyễn, Du,$d1765-1820.$echú giải.")
    triples = convert(ctx, nfd)
    (agent,) = agents(triples, ctx)
    assert [agent] == agents(convert(ctx, "100 1_$aNguyễn, Du,$d1765-1820."), ctx)
    literal_values = literals(triples)
    assert "Nguyễn, Du, 1765-1820" in literal_values
    assert all(unicodedata.is_normalized("NFC", v) for v in literal_values)
    # the NFD relator term is still recognised ('chú giải' -> annotator)
    assert values(triples, contribution_of(triples, ctx, agent), BF.role) == {ID_RELATORS + "ann"}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        pytest.param("100 1_$aNguyễn Du", "100 1_$aNguyen Du", id="100: diacritics distinguish"),
        pytest.param("100 1_$aNguyễn Du", "100 1_$aNguyễn Du,$d1765-1820", id="100: $d dates distinguish"),
        pytest.param("100 1_$aNguyễn Du", "100 3_$aNguyễn Du", id="100 1_ vs 3_: Person vs Family"),
        pytest.param(
            "110 2_$aViện Văn học", "111 2_$aViện Văn học", id="110 vs 111: Organization vs Meeting"
        ),
    ],
)
def test_100_different_agents(ctx: RecordContext, one: str, other: str) -> None:
    assert agents(convert(ctx, one), ctx) != agents(convert(ctx, other), ctx)


@pytest.mark.parametrize(
    ("mrk", "bf_class", "schema_class"),
    [
        pytest.param("100 1_$aNguyễn, Du", BF.Person, SCHEMA.Person, id="100 1_: Person"),
        pytest.param("100 0_$aHồ Xuân Hương", BF.Person, SCHEMA.Person, id="100 0_: Person"),
        pytest.param("100 3_$aNguyễn (Dòng họ)", BF.Family, SCHEMA.Organization, id="100 3_: Family"),
        pytest.param("110 2_$aViện Văn học", BF.Organization, SCHEMA.Organization, id="110 2_: Organization"),
        pytest.param(
            "111 2_$aHội thảo Nguyễn Du$d2015$cHà Tĩnh", BF.Meeting, SCHEMA.Organization, id="111 2_: Meeting"
        ),
        pytest.param("700 1_$aĐào, Duy Anh", BF.Person, SCHEMA.Person, id="700 1_: Person"),
        pytest.param(
            "710 2_$aNhà xuất bản Văn học", BF.Organization, SCHEMA.Organization, id="710 2_: Organization"
        ),
        pytest.param("711 2_$aHội nghị Văn học", BF.Meeting, SCHEMA.Organization, id="711 2_: Meeting"),
    ],
)
def test_1xx_7xx_agent_classes(
    ctx: RecordContext, mrk: str, bf_class: NamedNode, schema_class: NamedNode
) -> None:
    """The module types the agent in BIBFRAME only; the schema.org class comes from the schema view."""
    triples = convert(ctx, mrk)
    (agent,) = agents(triples, ctx)
    assert values(triples, agent, RDF.type) == {BF.Agent.value, bf_class.value}
    everything = convert_all(ctx, mrk)
    assert values(everything, agent, RDF.type) == {BF.Agent.value, bf_class.value, schema_class.value}


def test_110_heading_and_name(ctx: RecordContext) -> None:
    """110 $a $b: the label is the whole heading, inner full stop kept, untagged; the module gives
    no schema:name, the schema view names the agent by its label."""
    mrk = "110 2_$aViện Văn học.$bPhòng Văn học cổ cận đại."
    triples = convert(ctx, mrk)
    (agent,) = agents(triples, ctx)
    assert objects(triples, agent, RDFS.label) == [Literal("Viện Văn học. Phòng Văn học cổ cận đại")]
    assert objects(triples, agent, SCHEMA.name) == []
    assert values(convert_all(ctx, mrk), agent, SCHEMA.name) == {"Viện Văn học. Phòng Văn học cổ cận đại"}


def test_111_heading_has_number_date_place(ctx: RecordContext) -> None:
    """111 $a $n $d $c: the meeting's heading with its ISBD inside the parentheses intact;
    $j is its relator term (not $e): 'biên tập' is the editor relator."""
    triples = convert(ctx, "111 2_$aHội thảo Nguyễn Du$n(2 ;$d2015 ;$cHà Tĩnh)$jbiên tập.")
    (agent,) = agents(triples, ctx)
    assert values(triples, agent, RDFS.label) == {"Hội thảo Nguyễn Du (2 ; 2015 ; Hà Tĩnh)"}
    assert objects(triples, contribution_of(triples, ctx, agent), BF.role) == [NamedNode(ID_RELATORS + "edt")]


def test_700_4_relator_codes_are_iris(ctx: RecordContext) -> None:
    """700 $4: each relator code is an id.loc.gov relator IRI (case folded)."""
    triples = convert(ctx, "700 1_$aĐào, Duy Anh,$d1904-1988$4ann$4EDT")
    (agent,) = agents(triples, ctx)
    assert values(triples, contribution_of(triples, ctx, agent), BF.role) == {
        ID_RELATORS + "ann",
        ID_RELATORS + "edt",
    }


def test_700_e_vietnamese_role_labels(ctx: RecordContext) -> None:
    """700 $e $e: a known Vietnamese relator term ('chú giải') is the relator IRI; an unknown one
    ('khảo đính') a bf:Role labelled with it, punctuation off."""
    triples = convert(ctx, "700 1_$aĐào, Duy Anh,$d1904-1988,$ekhảo đính,$echú giải.")
    (agent,) = agents(triples, ctx)
    roles = objects(triples, contribution_of(triples, ctx, agent), BF.role)
    assert NamedNode(ID_RELATORS + "ann") in roles
    (unknown,) = [r for r in roles if not isinstance(r, NamedNode)]
    assert values(triples, unknown, RDF.type) == {BF.Role.value}
    assert values(triples, unknown, RDFS.label) == {"khảo đính"}
    assert len(roles) == 2


@pytest.mark.parametrize(
    ("term", "code"),
    [
        pytest.param("chủ biên", "edt", id="700 $e 'chủ biên': editor"),
        pytest.param("dịch", "trl", id="700 $e 'dịch': translator"),
        pytest.param("Translator.", "trl", id="700 $e 'Translator.': English, case folded"),
    ],
)
def test_700_e_relator_terms_are_iris(ctx: RecordContext, term: str, code: str) -> None:
    triples = convert(ctx, f"700 1_$aĐào, Duy Anh,$e{term}")
    (agent,) = agents(triples, ctx)
    assert objects(triples, contribution_of(triples, ctx, agent), BF.role) == [NamedNode(ID_RELATORS + code)]


def test_100_0_and_1_links(ctx: RecordContext) -> None:
    """100 $0/$1: a URI is owl:sameAs, a '(DLC)...' number an Identifier with its source code."""
    triples = convert(
        ctx, "100 1_$aNguyễn, Du,$d1765-1820.$0(DLC)n79021164$1http://id.loc.gov/authorities/names/n79021164"
    )
    (agent,) = agents(triples, ctx)
    assert values(triples, agent, OWL.sameAs) == {"http://id.loc.gov/authorities/names/n79021164"}
    (identifier,) = objects(triples, agent, BF.identifiedBy)
    assert values(triples, identifier, RDF.type) == {BF.Identifier.value}
    assert values(triples, identifier, RDF.value) == {"n79021164"}
    (source,) = objects(triples, identifier, BF.source)
    assert values(triples, source, RDF.type) == {BF.Source.value}
    assert values(triples, source, BF.code) == {"DLC"}


@pytest.mark.parametrize(
    ("ind2", "relation"),
    [
        pytest.param("_", BF.relatedTo, id="700 1_ $t: bf:relatedTo"),
        pytest.param("2", BF.hasPart, id="700 12 $t: analytical entry, bf:hasPart"),
    ],
)
def test_700_t_is_a_related_work(ctx: RecordContext, ind2: str, relation: NamedNode) -> None:
    """700 $a $t: a related Work (contributed to by the agent), not a contribution of this Work."""
    triples = convert(ctx, f"700 1{ind2}$aNguyễn, Du,$d1765-1820.$tVăn chiêu hồn.")
    assert objects(triples, ctx.work, BF.contribution) == []
    (work,) = objects(triples, ctx.work, relation)
    assert values(triples, work, RDF.type) == {BF.Work.value}
    assert values(triples, work, RDFS.label) == {"Văn chiêu hồn"}
    (c,) = objects(triples, work, BF.contribution)
    assert objects(triples, c, BF.agent) == [ctx.minter.agent("Person", "nguyễn du 1765 1820")]
    # the same name and title in another record is the same Work
    again = convert(ctx, "700 1_$aNguyễn Du,$d1765-1820$tVăn chiêu hồn")
    assert objects(again, ctx.work, BF.relatedTo) == [work]


def test_1xx_is_primary_contribution_and_7xx_is_not(ctx: RecordContext, minter: Minter) -> None:
    """100 -> bf:PrimaryContribution; 700 -> a plain bf:Contribution."""
    triples = convert(ctx, "100 1_$aNguyễn, Du", "700 1_$aĐào, Duy Anh")
    main = minter.agent("Person", "nguyễn du")
    added = minter.agent("Person", "đào duy anh")
    assert values(triples, contribution_of(triples, ctx, main), RDF.type) == {
        BF.Contribution.value,
        BF.PrimaryContribution.value,
    }
    assert values(triples, contribution_of(triples, ctx, added), RDF.type) == {
        BF.Contribution.value,
    }


@pytest.mark.parametrize(
    ("mrk", "relation"),
    [
        pytest.param("100 1_$aNguyễn, Du", SCHEMA.author, id="100: schema:author"),
        pytest.param(
            "100 1_$aNguyễn, Du$4edt", SCHEMA.author, id="100 $4 edt: still the main entry, schema:author"
        ),
        pytest.param("700 1_$aNguyễn, Du$4aut", SCHEMA.author, id="700 $4 aut: schema:author"),
        pytest.param("700 1_$aNguyễn, Du$4cre", SCHEMA.author, id="700 $4 cre: schema:author"),
        pytest.param("700 1_$aĐào, Duy Anh$4ann", SCHEMA.contributor, id="700 $4 ann: schema:contributor"),
        pytest.param(
            "700 1_$aĐào, Duy Anh$echú giải", SCHEMA.contributor, id="700 $e only: schema:contributor"
        ),
        pytest.param("710 2_$aNhà xuất bản Văn học", SCHEMA.contributor, id="710: schema:contributor"),
    ],
)
def test_schema_author_vs_contributor(ctx: RecordContext, mrk: str, relation: NamedNode) -> None:
    """schema:author/contributor come from the schema view of the whole record, never the module."""
    assert not [p for _, p, _ in convert(ctx, mrk) if p in (SCHEMA.author, SCHEMA.contributor)]
    triples = convert_all(ctx, mrk)
    (agent,) = agents(triples, ctx)
    other = SCHEMA.contributor if relation == SCHEMA.author else SCHEMA.author
    for subject in (ctx.work, ctx.instance):
        assert objects(triples, subject, relation) == [agent]
        assert objects(triples, subject, other) == []


def test_700_without_heading_gives_nothing(ctx: RecordContext) -> None:
    """700 with only $e/$4 names nobody: no agent, no contribution."""
    assert convert(ctx, "700 1_$echú giải$4ann") == []


def test_other_tags_ignored(ctx: RecordContext) -> None:
    """600 and 800 are not contributions (600 is a subject, converted elsewhere)."""
    assert convert(ctx, "600 10$aNguyễn, Du", "800 1_$aNguyễn, Du") == []
