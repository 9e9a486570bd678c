"""converters/marc/f300_3xx.py: physical description (300 extent, dimensions; the page count is the
schema view's), 336/337/338 content, media and carrier types."""

from __future__ import annotations

import pytest
from marcrdf import assert_isomorphic, objects, record, values
from pyoxigraph import Literal

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, f300_3xx
from lod.vocab import BF, RDFS, SCHEMA, XSD


def test_300_extent_dimensions_pages_full_graph(ctx: RecordContext) -> None:
    """300 $a '235 tr. :' $b $c '21 cm.': Extent '235 tr.', note 'minh họa', dimensions '21 cm';
    the schema view of the whole record counts 235 pages."""
    marc = record("300 __$a235 tr. :$bminh họa ;$c21 cm.")
    assert_isomorphic(
        f300_3xx.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:extent [ a bf:Extent ; rdfs:label "235 tr." ] ;
            bf:note "minh họa" ;
            bf:dimensions "21 cm" .
    """,
    )
    assert values(convert_record(marc, ctx), ctx.instance, SCHEMA.numberOfPages) == {"235"}


def test_300_number_of_pages_is_an_integer(ctx: RecordContext) -> None:
    """300 $a: schema:numberOfPages (from the schema view) is an xsd:integer, not a string."""
    assert objects(f300_3xx.convert(record("300 __$a235 tr."), ctx), ctx.instance, SCHEMA.numberOfPages) == []
    triples = convert_record(record("300 __$a235 tr."), ctx)
    assert objects(triples, ctx.instance, SCHEMA.numberOfPages) == [
        Literal("235", datatype=XSD.integer),
    ]


@pytest.mark.parametrize(
    ("extent", "pages"),
    [
        pytest.param("235 tr.", 235, id="300 $a '235 tr.'"),
        pytest.param("235tr.", 235, id="300 $a '235tr.' without space"),
        pytest.param("xii, 348 p.", 348, id="300 $a 'xii, 348 p.'"),
        pytest.param("120 pages", 120, id="300 $a '120 pages'"),
        pytest.param("96 pp.", 96, id="300 $a '96 pp.'"),
        pytest.param("320 S.", 320, id="300 $a '320 S.' (German)"),
        pytest.param("1 đĩa CD", None, id="300 $a '1 đĩa CD': no pages"),
        pytest.param("3 tập", None, id="300 $a '3 tập' (volumes): no pages"),
        pytest.param("2 sound discs", None, id="300 $a: 's' of 'sound' is not 'S.'"),
        pytest.param("1 bản đồ", None, id="300 $a '1 bản đồ' (map): no pages"),
    ],
)
def test_300_page_counts(ctx: RecordContext, extent: str, pages: int | None) -> None:
    triples = convert_record(record(f"300 __$a{extent}"), ctx)
    found = {int(v) for v in values(triples, ctx.instance, SCHEMA.numberOfPages)}
    assert found == ({pages} if pages is not None else set())
    (node,) = objects(triples, ctx.instance, BF.extent)
    assert len(values(triples, node, RDFS.label)) == 1


def test_300_extent_label_is_a_only(ctx: RecordContext) -> None:
    """300 $a $b: $b (illustrations) is not part of the Extent label."""
    triples = list(f300_3xx.convert(record("300 __$a235 tr. :$bảnh màu"), ctx))
    (node,) = objects(triples, ctx.instance, BF.extent)
    assert values(triples, node, RDFS.label) == {"235 tr."}


def test_300_without_a_has_no_extent(ctx: RecordContext) -> None:
    """300 $b only (a broken 300): the extent is $a (+$f) only, so no Extent; $b is a note."""
    triples = list(f300_3xx.convert(record("300 __$bminh họa"), ctx))
    assert objects(triples, ctx.instance, BF.extent) == []
    assert values(triples, ctx.instance, BF.note) == {"minh họa"}


def test_300_f_and_e(ctx: RecordContext) -> None:
    """300 $a $f: both in the Extent label; $e (accompanying material) a note."""
    triples = list(f300_3xx.convert(record("300 __$a2$ftập ;$c24 cm +$e1 đĩa CD"), ctx))
    (node,) = objects(triples, ctx.instance, BF.extent)
    assert values(triples, node, RDFS.label) == {"2 tập"}
    assert values(triples, ctx.instance, BF.note) == {"1 đĩa CD"}
    assert values(triples, ctx.instance, BF.dimensions) == {"24 cm"}


def test_336_337_338_types(ctx: RecordContext) -> None:
    """336 -> Work bf:content, 337 -> Instance bf:media, 338 -> Instance bf:carrier: id.loc.gov
    IRIs from $b, typed and labelled with $a."""
    marc = record(
        "336 __$avăn bản$btxt$2rdacontent",
        "337 __$akhông qua thiết bị$bn$2rdamedia",
        "338 __$atập$bnc$2rdacarrier",
    )
    assert_isomorphic(
        f300_3xx.convert(marc, ctx),
        f"""
        {ctx.work} bf:content <http://id.loc.gov/vocabulary/contentTypes/txt> .
        <http://id.loc.gov/vocabulary/contentTypes/txt> a bf:Content ; rdfs:label "văn bản" ;
            bf:source [ a bf:Source ; bf:code "rdacontent" ] .
        {ctx.instance} bf:media <http://id.loc.gov/vocabulary/mediaTypes/n> ;
            bf:carrier <http://id.loc.gov/vocabulary/carriers/nc> .
        <http://id.loc.gov/vocabulary/mediaTypes/n> a bf:Media ; rdfs:label "không qua thiết bị" ;
            bf:source [ a bf:Source ; bf:code "rdamedia" ] .
        <http://id.loc.gov/vocabulary/carriers/nc> a bf:Carrier ; rdfs:label "tập" ;
            bf:source [ a bf:Source ; bf:code "rdacarrier" ] .
    """,
    )


def test_300_c_only_gives_dimensions_only(ctx: RecordContext) -> None:
    """300 $c: dimensions without an extent."""
    triples = list(f300_3xx.convert(record("300 __$c19 x 27 cm"), ctx))
    assert values(triples, ctx.instance, BF.dimensions) == {"19 x 27 cm"}
    assert objects(triples, ctx.instance, BF.extent) == []


def test_300_repeated_fields(ctx: RecordContext) -> None:
    """300 twice (book + accompanying disc): two extents."""
    marc = record("300 __$a235 tr. ;$c21 cm", "300 __$a1 đĩa CD ;$c12 cm")
    triples = list(f300_3xx.convert(marc, ctx))
    assert len(objects(triples, ctx.instance, BF.extent)) == 2
    assert values(triples, ctx.instance, BF.dimensions) == {"21 cm", "12 cm"}
