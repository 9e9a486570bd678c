"""converters/marc/f250_270.py: edition statement (250), provision activity (260, 264)."""

from __future__ import annotations

import unicodedata

import pytest
from marcrdf import assert_isomorphic, literals, objects, record, values
from pyoxigraph import NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, f250_270
from lod.uris import Minter
from lod.vocab import BF, BFLC, RDF, RDFS, SCHEMA


def test_250_edition_statement(ctx: RecordContext) -> None:
    """250 $a $b: bf:editionStatement, full stop after '5' removed; schema:bookEdition comes from
    the schema view of the whole record."""
    marc = record("250 __$aTái bản lần thứ 5 /$bcó sửa chữa.")
    assert_isomorphic(
        f250_270.convert(marc, ctx),
        f"""
        {ctx.instance} bf:editionStatement "Tái bản lần thứ 5 có sửa chữa" .
    """,
    )
    assert values(convert_record(marc, ctx), ctx.instance, SCHEMA.bookEdition) == {
        "Tái bản lần thứ 5 có sửa chữa"
    }


def test_250_abbreviation_kept(ctx: RecordContext) -> None:
    """250 $a '2nd ed.': the abbreviation keeps its full stop."""
    triples = list(f250_270.convert(record("250 __$a2nd ed."), ctx))
    assert values(triples, ctx.instance, BF.editionStatement) == {"2nd ed."}


def test_260_bracketed_place_full_graph(ctx: RecordContext, minter: Minter) -> None:
    """260 $a '[Hà Nội] :' $b $c 'c2015.': brackets and ISBD off, year as EDTF; the place and the
    publisher are shared Place and Agent IRIs keyed by their normalised names."""
    marc = record("260 __$a[Hà Nội] :$bVăn học,$cc2015.")
    place, publisher = minter.place("hà nội"), minter.agent("Agent", "văn học")
    assert_isomorphic(
        f250_270.convert(marc, ctx),
        f"""
        {ctx.instance} bf:provisionActivity [
                a bf:ProvisionActivity, bf:Publication ;
                bflc:simplePlace "Hà Nội" ;
                bf:place {place} ;
                bflc:simpleAgent "Văn học" ;
                bf:agent {publisher} ;
                bflc:simpleDate "c2015" ;
                bf:date "2015"^^edtf:edtf
            ] .
        {place} a bf:Place ; rdfs:label "Hà Nội" .
        {publisher} a bf:Agent ; rdfs:label "Văn học" .
    """,
    )
    assert values(convert_record(marc, ctx), ctx.instance, SCHEMA.publisher) == {publisher.value}


def test_260_unknown_place_and_publisher_get_no_entity(ctx: RecordContext) -> None:
    """260 $a '[S.l.]' $b 's.n.': kept as transcribed, but no Place or Agent is minted."""
    triples = list(f250_270.convert(record("260 __$a[S.l.] :$bs.n.,$c2015"), ctx))
    (activity,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert values(triples, activity, BFLC.simplePlace) == {"S.l."}
    assert values(triples, activity, BFLC.simpleAgent) == {"s.n."}
    assert objects(triples, activity, BF.place) == []
    assert objects(triples, activity, BF.agent) == []


def test_260_e_f_g_manufacture(ctx: RecordContext) -> None:
    """260 $e $f $g: a second activity, the bf:Manufacture."""
    triples = list(
        f250_270.convert(record("260 __$aHà Nội :$bVăn học,$c2015$e(Huế :$fNhà in Thuận Hóa,$g2015)"), ctx)
    )
    kinds = {
        frozenset(values(triples, a, RDF.type)): a
        for a in objects(triples, ctx.instance, BF.provisionActivity)
    }
    assert set(kinds) == {
        frozenset({BF.ProvisionActivity.value, BF.Publication.value}),
        frozenset({BF.ProvisionActivity.value, BF.Manufacture.value}),
    }
    manufacture = kinds[frozenset({BF.ProvisionActivity.value, BF.Manufacture.value})]
    assert values(triples, manufacture, BFLC.simpleAgent) == {"Nhà in Thuận Hóa"}


def test_260_abbreviated_place_and_publisher(ctx: RecordContext) -> None:
    """260 $a 'H. :' $b 'Nxb. Trẻ,': abbreviations keep their full stops."""
    triples = list(f250_270.convert(record("260 __$aH. :$bNxb. Trẻ,$c2015."), ctx))
    (activity,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert values(triples, activity, BFLC.simplePlace) == {"H."}
    assert values(triples, activity, BFLC.simpleAgent) == {"Nxb. Trẻ"}
    assert values(triples, activity, BFLC.simpleDate) == {"2015"}


def test_260_repeated_a_b(ctx: RecordContext) -> None:
    """260 $a $b $a $b: every place and publisher kept, each publisher an Agent and (in the
    schema view) a schema:publisher."""
    marc = record("260 __$aH. :$bKim Đồng ;$aTp. Hồ Chí Minh :$bTrẻ,$c2015")
    triples = list(f250_270.convert(marc, ctx))
    (activity,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert values(triples, activity, BFLC.simplePlace) == {"H.", "Tp. Hồ Chí Minh"}
    publishers = objects(triples, activity, BF.agent)
    assert {v for p in publishers for v in values(triples, p, RDFS.label)} == {"Kim Đồng", "Trẻ"}
    assert objects(convert_record(marc, ctx), ctx.instance, SCHEMA.publisher) == publishers
    places = objects(triples, activity, BF.place)
    assert {v for p in places for v in values(triples, p, RDFS.label)} == {"H.", "Tp. Hồ Chí Minh"}


@pytest.mark.parametrize(
    ("date", "found"),
    [
        pytest.param("c2015.", "2015", id="260 $c 'c2015.'"),
        pytest.param("[2015]", "2015", id="260 $c '[2015]'"),
        pytest.param("2015-2016.", "2015", id="260 $c '2015-2016.'"),
        pytest.param("[199-?]", None, id="260 $c '[199-?]': statement only"),
    ],
)
def test_260_c_year(ctx: RecordContext, date: str, found: str | None) -> None:
    triples = list(f250_270.convert(record(f"260 __$aHuế :$bThuận Hóa,$c{date}"), ctx))
    (activity,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert len(values(triples, activity, BFLC.simpleDate)) == 1
    assert values(triples, activity, BF.date) == ({found} if found else set())


@pytest.mark.parametrize(
    ("ind2", "cls"),
    [
        pytest.param("0", BF.Production, id="264 _0: production"),
        pytest.param("1", BF.Publication, id="264 _1: publication"),
        pytest.param("2", BF.Distribution, id="264 _2: distribution"),
        pytest.param("3", BF.Manufacture, id="264 _3: manufacture"),
    ],
)
def test_264_second_indicator_is_the_activity(ctx: RecordContext, ind2: str, cls: NamedNode) -> None:
    marc = record(f"264 _{ind2}$aHà Nội :$bVăn học,$c2015")
    triples = list(f250_270.convert(marc, ctx))
    (activity,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert values(triples, activity, RDF.type) == {BF.ProvisionActivity.value, cls.value}
    publishers = objects(convert_record(marc, ctx), ctx.instance, SCHEMA.publisher)
    assert publishers == (objects(triples, activity, BF.agent) if cls == BF.Publication else [])
    assert len(objects(triples, activity, BF.agent)) == 1


def test_264_4_copyright_date(ctx: RecordContext) -> None:
    """264 _4 $c ©2015: no provision activity (only _1 makes the publication), a bf:copyrightDate."""
    marc = record("264 _1$a[Hà Nội] :$bVăn học,$c[2015]", "264 _4$c©2015")
    triples = list(f250_270.convert(marc, ctx))
    (activity,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert values(triples, activity, RDF.type) == {BF.ProvisionActivity.value, BF.Publication.value}
    assert values(triples, ctx.instance, BF.copyrightDate) == {"©2015"}
    assert_isomorphic(
        f250_270.convert(record("264 _4$c©2015"), ctx), f'{ctx.instance} bf:copyrightDate "©2015" .'
    )


def test_264_unknown_indicator_ignored(ctx: RecordContext) -> None:
    """264 with a blank or invalid second indicator: not guessed."""
    assert list(f250_270.convert(record("264 __$aHà Nội", "264 _9$aHuế"), ctx)) == []


def test_260_nfd_input_stored_nfc(ctx: RecordContext) -> None:
    nfd = unicodedata.normalize("NFD", "260 __$a[Hà Nội] :$bThế giới,$c2015.")
    triples = list(f250_270.convert(record(nfd), ctx))
    (activity,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert values(triples, activity, BFLC.simpleAgent) == {"Thế giới"}
    (publisher,) = objects(triples, activity, BF.agent)
    assert values(triples, publisher, RDFS.label) == {"Thế giới"}
    assert all(unicodedata.is_normalized("NFC", v) for v in literals(triples))
