"""converters/marc/f500_5xx.py: general notes (500) and summaries (520)."""

from __future__ import annotations

import unicodedata

from marcrdf import assert_isomorphic, objects, record, values

from lod.converters.context import RecordContext
from lod.converters.marc import f500_5xx
from lod.vocab import BF, RDFS, SCHEMA


def test_500_note_and_520_summary_full_graph(ctx: RecordContext) -> None:
    """500 $a: a Note on the Instance; 520 $a $b: a Summary and schema:description on the Work."""
    marc = record(
        "500 __$aChữ Quốc ngữ, có đối chiếu chữ Nôm.",
        "520 __$aTruyện thơ lục bát 3254 câu$bkể về cuộc đời Thúy Kiều.",
    )
    assert_isomorphic(
        f500_5xx.convert(marc, ctx),
        f"""
        {ctx.instance} bf:note [ a bf:Note ; rdfs:label "Chữ Quốc ngữ, có đối chiếu chữ Nôm" ] .
        {ctx.work}
            bf:summary [ a bf:Summary ;
                         rdfs:label "Truyện thơ lục bát 3254 câu kể về cuộc đời Thúy Kiều" ] ;
            schema:description "Truyện thơ lục bát 3254 câu kể về cuộc đời Thúy Kiều" .
    """,
    )


def test_500_repeated_notes(ctx: RecordContext) -> None:
    """500 twice: two Notes."""
    marc = record("500 __$aĐầu trang tên sách ghi: Hội Nhà văn", "500 __$aPhụ lục: tr. 201-235")
    triples = list(f500_5xx.convert(marc, ctx))
    notes = objects(triples, ctx.instance, BF.note)
    assert {v for n in notes for v in values(triples, n, RDFS.label)} == {
        "Đầu trang tên sách ghi: Hội Nhà văn",
        "Phụ lục: tr. 201-235",
    }


def test_500_empty_gives_nothing(ctx: RecordContext) -> None:
    """500 and 520 without text: nothing."""
    assert list(f500_5xx.convert(record("500 __$5VN-TVHN", "520 __$cNXB"), ctx)) == []


def test_520_nfd_stored_nfc(ctx: RecordContext) -> None:
    marc = record(unicodedata.normalize("NFD", "520 __$aCuộc đời Thúy Kiều."))
    triples = list(f500_5xx.convert(marc, ctx))
    assert values(triples, ctx.work, SCHEMA.description) == {"Cuộc đời Thúy Kiều"}
