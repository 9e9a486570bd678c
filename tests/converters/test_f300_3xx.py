"""converters/marc/f300_3xx.py: physical description (300 extent, dimensions, page count)."""

from __future__ import annotations

import pytest
from marcrdf import assert_isomorphic, objects, record, values
from pyoxigraph import Literal

from lod.converters.context import RecordContext
from lod.converters.marc import f300_3xx
from lod.vocab import BF, RDFS, SCHEMA, XSD


def test_300_extent_dimensions_pages_full_graph(ctx: RecordContext) -> None:
    """300 $a '235 tr. :' $b $c '21 cm.': Extent '235 tr.', 235 pages, dimensions '21 cm'."""
    marc = record("300 __$a235 tr. :$bminh họa ;$c21 cm.")
    assert_isomorphic(
        f300_3xx.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:extent [ a bf:Extent ; rdfs:label "235 tr." ] ;
            schema:numberOfPages 235 ;
            bf:dimensions "21 cm" .
    """,
    )


def test_300_number_of_pages_is_an_integer(ctx: RecordContext) -> None:
    """300 $a: schema:numberOfPages is an xsd:integer, not a string."""
    triples = list(f300_3xx.convert(record("300 __$a235 tr."), ctx))
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
    triples = list(f300_3xx.convert(record(f"300 __$a{extent}"), ctx))
    found = {int(v) for v in values(triples, ctx.instance, SCHEMA.numberOfPages)}
    assert found == ({pages} if pages is not None else set())
    (node,) = objects(triples, ctx.instance, BF.extent)
    assert len(values(triples, node, RDFS.label)) == 1


def test_300_extent_label_is_a_only(ctx: RecordContext) -> None:
    """300 $a $b: $b (illustrations) is not part of the Extent label."""
    triples = list(f300_3xx.convert(record("300 __$a235 tr. :$bảnh màu"), ctx))
    (node,) = objects(triples, ctx.instance, BF.extent)
    assert values(triples, node, RDFS.label) == {"235 tr."}


def test_300_without_a_uses_what_there_is(ctx: RecordContext) -> None:
    """300 $b only (a broken 300): the extent label falls back to it."""
    triples = list(f300_3xx.convert(record("300 __$bminh họa"), ctx))
    (node,) = objects(triples, ctx.instance, BF.extent)
    assert values(triples, node, RDFS.label) == {"minh họa"}


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
