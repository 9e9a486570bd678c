"""converters/marc/f490_8xx.py: series statements (490) as transcribed."""

from __future__ import annotations

import unicodedata

from marcrdf import assert_isomorphic, record, values

from lod.converters.context import RecordContext
from lod.converters.marc import f490_8xx
from lod.vocab import BF


def test_490_a_v_series_statement(ctx: RecordContext) -> None:
    """490 $a ' ;' $v: one statement 'a ; v', trailing ISBD off."""
    marc = record("490 0_$aTủ sách Văn học cổ điển Việt Nam ;$v5.")
    assert_isomorphic(
        f490_8xx.convert(marc, ctx),
        f"""
        {ctx.instance} bf:seriesStatement "Tủ sách Văn học cổ điển Việt Nam ; 5" .
    """,
    )


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


def test_830_not_converted_here(ctx: RecordContext) -> None:
    """8XX series added entries: not yet converted (see the module docstring)."""
    assert list(f490_8xx.convert(record("830 _0$aTủ sách Văn học cổ điển Việt Nam"), ctx)) == []


def test_490_nfd_stored_nfc(ctx: RecordContext) -> None:
    marc = record(unicodedata.normalize("NFD", "490 0_$aTủ sách Văn học ;$v5"))
    triples = list(f490_8xx.convert(marc, ctx))
    assert values(triples, ctx.instance, BF.seriesStatement) == {"Tủ sách Văn học ; 5"}
