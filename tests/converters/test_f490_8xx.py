"""converters/marc/f490_8xx.py: series statements (490) and the Series (untraced 490, 8XX)."""

from __future__ import annotations

import unicodedata

from marcrdf import assert_isomorphic, objects, record, values

from lod.converters.context import RecordContext
from lod.converters.marc import f490_8xx
from lod.converters.text import heading_key
from lod.vocab import BF, RDF


def test_490_a_v_series_statement(ctx: RecordContext) -> None:
    """490 $a ' ;' $v: one statement 'a ; v', trailing ISBD off; $v the enumeration; an untraced
    490 (ind1 0) names the Series itself, keyed by its title."""
    marc = record("490 0_$aTủ sách Văn học cổ điển Việt Nam ;$v5.")
    series = ctx.minter.series(heading_key(["Tủ sách Văn học cổ điển Việt Nam"]))
    assert_isomorphic(
        f490_8xx.convert(marc, ctx),
        f"""
        {ctx.instance} bf:seriesStatement "Tủ sách Văn học cổ điển Việt Nam ; 5" ;
            bf:seriesEnumeration "5" ;
            bf:hasSeries {series} .
        {series} a bf:Series, bf:Work ; rdfs:label "Tủ sách Văn học cổ điển Việt Nam" .
    """,
    )


def test_490_traced_leaves_the_series_to_8xx(ctx: RecordContext) -> None:
    """490 ind1 1: statement only, no Series."""
    triples = list(f490_8xx.convert(record("490 1_$aDanh tác Việt Nam ;$vT. 2"), ctx))
    assert values(triples, ctx.instance, BF.seriesStatement) == {"Danh tác Việt Nam ; T. 2"}
    assert values(triples, ctx.instance, BF.hasSeries) == set()


def test_490_with_issn_keyed_by_issn(ctx: RecordContext) -> None:
    """An untraced 490 with $x: the Series IRI is keyed by the ISSN and carries it."""
    triples = list(f490_8xx.convert(record("490 0_$aTạp chí Văn học$x1859-0000"), ctx))
    series = ctx.minter.series("issn:1859-0000")
    assert values(triples, ctx.instance, BF.hasSeries) == {series.value}
    (node,) = objects(triples, series, BF.identifiedBy)
    assert values(triples, node, RDF.type) == {BF.Issn.value}
    assert values(triples, node, RDF.value) == {"1859-0000"}


def test_490_repeated(ctx: RecordContext) -> None:
    """490 twice: two statements."""
    marc = record("490 0_$aVăn học nhà trường", "490 1_$aDanh tác Việt Nam ;$vT. 2")
    triples = list(f490_8xx.convert(marc, ctx))
    assert values(triples, ctx.instance, BF.seriesStatement) == {
        "Văn học nhà trường",
        "Danh tác Việt Nam ; T. 2",
    }


def test_490_empty_gives_nothing(ctx: RecordContext) -> None:
    """490 with no $a/$v (only $x ISSN): no statement."""
    assert list(f490_8xx.convert(record("490 0_$x1859-0000"), ctx)) == []


def test_830_series_added_entry(ctx: RecordContext) -> None:
    """830: a Series IRI, the same one an untraced 490 of that title names; $v the enumeration."""
    marc = record("830 _0$aTủ sách Văn học cổ điển Việt Nam ;$v5")
    series = ctx.minter.series(heading_key(["Tủ sách Văn học cổ điển Việt Nam"]))
    assert_isomorphic(
        f490_8xx.convert(marc, ctx),
        f"""
        {ctx.instance} bf:hasSeries {series} ; bf:seriesEnumeration "5" .
        {series} a bf:Series, bf:Work ; rdfs:label "Tủ sách Văn học cổ điển Việt Nam" .
    """,
    )
    untraced = f490_8xx.convert(record("490 0_$aTủ sách Văn học cổ điển Việt Nam"), ctx)
    assert values(untraced, ctx.instance, BF.hasSeries) == {series.value}


def test_800_series_by_a_person(ctx: RecordContext) -> None:
    """800: the Series is keyed by its title ($t) and related to the agent."""
    triples = list(f490_8xx.convert(record("800 1_$aNguyễn, Du,$d1765-1820.$tTác phẩm ;$v2"), ctx))
    series = ctx.minter.series(heading_key(["Tác phẩm"]))
    assert values(triples, ctx.instance, BF.hasSeries) == {series.value}
    assert values(triples, series, RDF.type) == {BF.Series.value, BF.Work.value}
    assert len(values(triples, series, BF.relatedTo)) == 1


def test_490_nfd_stored_nfc(ctx: RecordContext) -> None:
    marc = record(unicodedata.normalize("NFD", "490 0_$aTủ sách Văn học ;$v5"))
    triples = list(f490_8xx.convert(marc, ctx))
    assert values(triples, ctx.instance, BF.seriesStatement) == {"Tủ sách Văn học ; 5"}
