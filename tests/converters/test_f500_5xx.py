"""converters/marc/f500_5xx.py: notes (500, 5XX), contents (505), summaries (520), audience."""

from __future__ import annotations

import unicodedata

from marcrdf import assert_isomorphic, objects, record, values

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, f500_5xx
from lod.vocab import BF, RDFS, SCHEMA


def test_500_note_and_520_summary_full_graph(ctx: RecordContext) -> None:
    """500 $a: a Note on the Instance (no noteType); 520 $a $b: a Summary on the Work."""
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
                         rdfs:label "Truyện thơ lục bát 3254 câu kể về cuộc đời Thúy Kiều" ] .
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
    """500 and 520 with only $2 $5 $6 $8 (no text): nothing."""
    assert list(f500_5xx.convert(record("500 __$5VN-TVHN", "520 __$2local$81\\c"), ctx)) == []


def test_520_label_from_all_text_subfields(ctx: RecordContext) -> None:
    """520 $c (assigning source) is part of the label; $5 is not."""
    triples = list(f500_5xx.convert(record("520 __$aTóm tắt$cNXB$5VN-TVHN"), ctx))
    (node,) = objects(triples, ctx.work, BF.summary)
    assert values(triples, node, RDFS.label) == {"Tóm tắt NXB"}


def test_520_nfd_stored_nfc(ctx: RecordContext) -> None:
    marc = record(unicodedata.normalize("NFD", "520 __$aCuộc đời Thúy Kiều."))
    triples = list(f500_5xx.convert(marc, ctx))
    (node,) = objects(triples, ctx.work, BF.summary)
    assert values(triples, node, RDFS.label) == {"Cuộc đời Thúy Kiều"}
    assert values(convert_record(marc, ctx), ctx.work, SCHEMA.description) == {"Cuộc đời Thúy Kiều"}


def test_5xx_notes_typed_and_classes(ctx: RecordContext) -> None:
    """502 a dissertation Note on the Work; 504 supplementary content; 505 table of contents;
    521 intended audience; 546 a Note of type 'language'."""
    marc = record(
        "502 __$aLuận án tiến sĩ",
        "504 __$aThư mục: tr. 201-210",
        "505 0_$aT. 1. Truyện Kiều -- T. 2. Lục Vân Tiên",
        "521 __$aThiếu nhi",
        "546 __$aChữ Quốc ngữ và chữ Nôm",
    )
    assert_isomorphic(
        f500_5xx.convert(marc, ctx),
        f"""
        {ctx.work}
            bf:note [ a bf:Note ; rdfs:label "Luận án tiến sĩ" ; bf:noteType "dissertation" ] ;
            bf:intendedAudience [ a bf:IntendedAudience ; rdfs:label "Thiếu nhi" ] .
        {ctx.instance}
            bf:supplementaryContent [ a bf:SupplementaryContent ; rdfs:label "Thư mục: tr. 201-210" ] ;
            bf:tableOfContents [ a bf:TableOfContents ;
                                 rdfs:label "T. 1. Truyện Kiều -- T. 2. Lục Vân Tiên" ] ;
            bf:note [ a bf:Note ; rdfs:label "Chữ Quốc ngữ và chữ Nôm" ; bf:noteType "language" ] .
    """,
    )


def test_notes_in_cataloguing_language_contents_in_resource_language(ctx: RecordContext) -> None:
    """Through convert_record: 500/520 carry 040 $b's language, 505 the resource's (008/35-37)."""
    marc = record(
        "008 150612s2015    vm            000 0 eng d",
        "040 __$aVN-TVHN$bvie",
        "500 __$aGhi chú",
        "505 0_$aChapter one",
        "520 __$aTóm tắt",
    )
    triples = convert_record(marc, ctx)
    (note,) = objects(triples, ctx.instance, BF.note)
    (toc,) = objects(triples, ctx.instance, BF.tableOfContents)
    (summary,) = objects(triples, ctx.work, BF.summary)
    assert [o.language for o in objects(triples, note, RDFS.label)] == ["vi"]
    assert [o.language for o in objects(triples, toc, RDFS.label)] == ["en"]
    assert [o.language for o in objects(triples, summary, RDFS.label)] == ["vi"]
