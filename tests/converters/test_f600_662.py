"""converters/marc/f600_662.py: subjects (600-651), keywords (653) and genre/form (655)."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from marcrdf import MakeCtx, assert_isomorphic, literals, objects, record, values
from pyoxigraph import BlankNode, NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, f1xx_7xx_agents, f600_662
from lod.triples import Triple
from lod.uris import Minter
from lod.vocab import BF, ID_GENRE_SCHEMES, ID_SUBJECT_SCHEMES, LODV, OWL, RDF, RDFS, SCHEMA


def convert(ctx: RecordContext, *fields: str) -> list[Triple]:
    return list(f600_662.convert(record(*fields), ctx))


def subjects(triples: list[Triple], ctx: RecordContext) -> list[Any]:
    return objects(triples, ctx.work, BF.subject)


def test_650_with_subdivisions_full_graph(ctx: RecordContext, minter: Minter) -> None:
    """650 $a $x $y $2: one Topic labelled with the subdivisions joined by '--', its components
    the main Topic and one Topic/Temporal per subdivision; $2 (ind2 7) its source."""
    triples = convert(ctx, "650 _7$aVăn học Việt Nam$xPhê bình$yThế kỷ 19.$2Bộ TK TVQG")
    label = "Văn học Việt Nam--Phê bình--Thế kỷ 19"
    topic = minter.topic("Topic", "văn học việt nam--phê bình--thế kỷ 19")
    main = minter.topic("Topic", "văn học việt nam")
    general = minter.topic("Topic", "phê bình")
    period = minter.topic("Temporal", "thế kỷ 19")
    assert_isomorphic(
        triples,
        f"""
        {topic} a bf:Topic ;
            rdfs:label "{label}" ;
            bf:source [ a bf:Source ; bf:code "Bộ TK TVQG" ] ;
            <{LODV.component.value}> {main}, {general}, {period} .
        {main} a bf:Topic ; rdfs:label "Văn học Việt Nam" .
        {general} a bf:Topic ; rdfs:label "Phê bình" .
        {period} a bf:Temporal ; rdfs:label "Thế kỷ 19" .
        {ctx.work} bf:subject {topic} .
    """,
    )
    assert objects(convert_record(record("650 _7$aVăn học Việt Nam$xPhê bình"), ctx), ctx.work, SCHEMA.about)


@pytest.mark.parametrize(
    ("mrk", "scheme"),
    [
        pytest.param("650 _0$aLiterature", ID_SUBJECT_SCHEMES + "lcsh", id="650 _0: lcsh"),
        pytest.param("650 _2$aNeoplasms", ID_SUBJECT_SCHEMES + "mesh", id="650 _2: mesh"),
        pytest.param("650 _7$aHistory$2fast", ID_SUBJECT_SCHEMES + "fast", id="650 _7 $2 fast"),
        pytest.param("655 _7$aNovels$2lcgft", ID_GENRE_SCHEMES + "lcgft", id="655 _7 $2 lcgft"),
    ],
)
def test_6xx_scheme_on_lc_lists_is_an_iri(ctx: RecordContext, mrk: str, scheme: str) -> None:
    triples = convert(ctx, mrk)
    (topic,) = subjects(triples, ctx) or objects(triples, ctx.work, BF.genreForm)
    assert objects(triples, topic, BF.source) == [NamedNode(scheme)]


@pytest.mark.parametrize(
    ("mrk", "code"),
    [
        pytest.param("650 _7$aThơ$2vntvqg", "vntvqg", id="650 _7: local $2"),
        pytest.param("655 _7$aTiểu thuyết$2Bộ TK TVQG", "Bộ TK TVQG", id="655 _7: local $2"),
    ],
)
def test_6xx_other_scheme_is_a_source_with_its_code(ctx: RecordContext, mrk: str, code: str) -> None:
    triples = convert(ctx, mrk)
    (topic,) = subjects(triples, ctx) or objects(triples, ctx.work, BF.genreForm)
    (src,) = objects(triples, topic, BF.source)
    assert values(triples, src, RDF.type) == {BF.Source.value}
    assert values(triples, src, BF.code) == {code}


def test_650_0_1_links(ctx: RecordContext) -> None:
    """$0/$1: a URI is owl:sameAs, '(DLC)sh85077507' an identifier with its source."""
    triples = convert(
        ctx, "650 _0$aLiterature$0(DLC)sh85077507$1http://id.loc.gov/authorities/subjects/sh85077507"
    )
    (topic,) = subjects(triples, ctx)
    assert values(triples, topic, OWL.sameAs) == {"http://id.loc.gov/authorities/subjects/sh85077507"}
    (node,) = objects(triples, topic, BF.identifiedBy)
    assert values(triples, node, RDF.value) == {"sh85077507"}


@pytest.mark.parametrize(
    "mrk",
    [
        pytest.param("650 _0$aLiterature$0(DLC)sh85077507", id="$0 number"),
        pytest.param("650 _0$aLiterature$0http://id.loc.gov/not an iri", id="$0 invalid IRI"),
    ],
)
def test_650_identifier_blank_nodes_are_new_in_every_record(make_ctx: MakeCtx, mrk: str) -> None:
    """Repeated subject fields are converted once and remembered, but never their blank nodes."""
    first, second = make_ctx("1"), make_ctx("2")
    one, two = convert(first, mrk), convert(second, mrk)
    (topic,) = subjects(one, first)
    assert subjects(two, second) == [topic]
    (node_one,) = objects(one, topic, BF.identifiedBy)
    (node_two,) = objects(two, topic, BF.identifiedBy)
    assert isinstance(node_one, BlankNode) and node_one != node_two


def test_650_same_label_in_two_records_is_one_topic(make_ctx: MakeCtx) -> None:
    """650: the same subject string from two libraries is one Topic IRI."""
    first, second = make_ctx("1", "TVHN"), make_ctx("2", "TVHCM")
    one = subjects(convert(first, "650 _7$aVăn học Việt Nam$xPhê bình"), first)
    two = subjects(convert(second, "650 _4$aVăn học Việt Nam.$xPhê bình."), second)
    assert one == two and len(one) == 1


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param("650 _7$avăn học việt nam", id="650 $a lower case"),
        pytest.param("650 _7$aVĂN HỌC VIỆT NAM", id="650 $a capitals"),
        pytest.param("650 _7$aVăn học Việt Nam.", id="650 $a closing full stop"),
        pytest.param(unicodedata.normalize("NFD", "650 _7$aVăn học Việt Nam"), id="650 $a NFD"),
    ],
)
def test_650_variants_are_the_same_topic(ctx: RecordContext, variant: str) -> None:
    reference = subjects(convert(ctx, "650 _7$aVăn học Việt Nam"), ctx)
    assert subjects(convert(ctx, variant), ctx) == reference


def test_650_label_without_closing_full_stop(ctx: RecordContext) -> None:
    """650 $a 'Văn học Việt Nam.': the label has no full stop (a record-final ISBD mark)."""
    triples = convert(ctx, "650 _7$aVăn học Việt Nam.")
    (topic,) = subjects(triples, ctx)
    assert values(triples, topic, RDFS.label) == {"Văn học Việt Nam"}


def test_650_diacritics_are_kept_and_distinguish(ctx: RecordContext) -> None:
    """650 'Văn học Việt Nam' must not be the IRI of 'Van hoc Viet Nam'; labels keep diacritics."""
    with_marks = convert(ctx, "650 _7$aVăn học Việt Nam")
    without = convert(ctx, "650 _7$aVan hoc Viet Nam")
    assert subjects(with_marks, ctx) != subjects(without, ctx)
    (topic,) = subjects(with_marks, ctx)
    assert values(with_marks, topic, RDFS.label) == {"Văn học Việt Nam"}


def test_650_nfd_stored_nfc(ctx: RecordContext) -> None:
    triples = convert(ctx, unicodedata.normalize("NFD", "650 _7$aVăn học Việt Nam$xPhê bình"))
    (topic,) = subjects(triples, ctx)
    assert values(triples, topic, RDFS.label) == {"Văn học Việt Nam--Phê bình"}
    assert all(unicodedata.is_normalized("NFC", v) for v in literals(triples))


@pytest.mark.parametrize(
    ("mrk", "cls", "relation", "label"),
    [
        pytest.param(
            "650 _7$aThơ lục bát", BF.Topic, BF.subject, "Thơ lục bát", id="650: bf:Topic, bf:subject"
        ),
        pytest.param(
            "651 _7$aViệt Nam$xLịch sử$yThế kỷ 18",
            BF.Place,
            BF.subject,
            "Việt Nam--Lịch sử--Thế kỷ 18",
            id="651: bf:Place, bf:subject",
        ),
        pytest.param(
            "655 _7$aTruyện thơ$2Bộ TK TVQG",
            BF.GenreForm,
            BF.genreForm,
            "Truyện thơ",
            id="655: bf:GenreForm, bf:genreForm",
        ),
        pytest.param(
            "653 __$aTruyện Kiều", BF.Topic, BF.subject, "Truyện Kiều", id="653: bf:Topic, bf:subject"
        ),
    ],
)
def test_6xx_classes_and_relations(
    ctx: RecordContext, mrk: str, cls: NamedNode, relation: NamedNode, label: str
) -> None:
    triples = convert(ctx, mrk)
    (node,) = objects(triples, ctx.work, relation)
    assert values(triples, node, RDF.type) == {cls.value}
    assert values(triples, node, RDFS.label) == {label}
    schema_relation = SCHEMA.genre if relation == BF.genreForm else SCHEMA.about
    assert objects(triples, ctx.work, schema_relation) == []
    assert objects(convert_record(record(mrk), ctx), ctx.work, schema_relation) == [node]


def test_655_and_650_same_label_are_different_resources(ctx: RecordContext) -> None:
    """650 and 655 'Truyện thơ': a Topic and a GenreForm, two IRIs."""
    triples = convert(ctx, "650 _7$aTruyện thơ", "655 _7$aTruyện thơ")
    (topic,) = objects(triples, ctx.work, BF.subject)
    (genre,) = objects(triples, ctx.work, BF.genreForm)
    assert topic != genre


def test_653_each_a_is_a_keyword_and_a_topic(ctx: RecordContext) -> None:
    """653 $a $a: each uncontrolled term is its own Topic, without a scheme."""
    triples = convert(ctx, "653 __$aTruyện thơ.$aLục bát")
    topics = subjects(triples, ctx)
    assert len(topics) == 2
    assert all(objects(triples, t, BF.source) == [] for t in topics)
    assert {v for t in topics for v in values(triples, t, RDFS.label)} == {"Truyện thơ", "Lục bát"}


def test_600_person_subject_is_the_same_agent_as_100(ctx: RecordContext) -> None:
    """600 10 with the heading of a 100: the subject is that agent's IRI, typed as a Person."""
    heading = "$aNguyễn, Du,$d1765-1820."
    subject_triples = convert(ctx, f"600 10{heading}")
    author_triples = list(f1xx_7xx_agents.convert(record(f"100 1_{heading}"), ctx))
    (about,) = subjects(subject_triples, ctx)
    (contribution,) = objects(author_triples, ctx.work, BF.contribution)
    assert objects(author_triples, contribution, BF.agent) == [about]
    assert BF.Person.value in values(subject_triples, about, RDF.type)


@pytest.mark.parametrize(
    ("mrk", "cls"),
    [
        pytest.param("610 20$aViện Văn học", BF.Organization, id="610: Organization subject"),
        pytest.param("611 20$aHội thảo Nguyễn Du$d2015", BF.Meeting, id="611: Meeting subject"),
        pytest.param("600 30$aNguyễn (Dòng họ)", BF.Family, id="600 3_: Family subject"),
    ],
)
def test_61x_name_subjects(ctx: RecordContext, mrk: str, cls: NamedNode) -> None:
    triples = convert(ctx, mrk)
    (about,) = subjects(triples, ctx)
    assert cls.value in values(triples, about, RDF.type)


def test_650_empty_gives_nothing(ctx: RecordContext) -> None:
    """650 with only $2: no Topic."""
    assert convert(ctx, "650 _7$2Bộ TK TVQG", "600 10$eđề cập") == []


def test_600_name_title_with_subdivisions_is_labelled_by_its_title(ctx: RecordContext) -> None:
    """600 $t with $x: the whole heading is 'title--subdivision' and has the related Work as a
    component (not the agent's IRI as text, as a positional lookup once gave)."""
    triples = f600_662.convert(record("600 10$aNguyễn, Du,$d1765-1820.$tTruyện Kiều$xPhê bình."), ctx)
    (subject,) = objects(triples, ctx.work, BF.subject)
    assert values(triples, subject, RDFS.label) == {"Truyện Kiều--Phê bình"}
    components = objects(triples, subject, LODV.component)
    assert {label for c in components for label in values(triples, c, RDFS.label)} == {
        "Truyện Kiều",
        "Phê bình",
    }
    assert all(
        BF.Work in objects(triples, c, RDF.type) or BF.Topic in objects(triples, c, RDF.type)
        for c in components
    )
