"""converters/marc/f200_24x.py: 245 title and statement of responsibility, 246 variant titles."""

from __future__ import annotations

import unicodedata

from marcrdf import assert_isomorphic, literals, objects, record, values

from lod.converters.context import RecordContext
from lod.converters.marc import f200_24x
from lod.vocab import BF, RDFS, SCHEMA


def test_245_a_b_c_full_graph(ctx: RecordContext) -> None:
    """245 $a $b $c: ISBD punctuation removed; Instance and Work both get the title."""
    marc = record("245 10$aTruyện Kiều :$bĐoạn trường tân thanh /$cNguyễn Du.")
    assert_isomorphic(
        f200_24x.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:title [ a bf:Title ; bf:mainTitle "Truyện Kiều" ;
                       bf:subtitle "Đoạn trường tân thanh" ] ;
            bf:responsibilityStatement "Nguyễn Du" ;
            schema:name "Truyện Kiều : Đoạn trường tân thanh" ;
            rdfs:label "Truyện Kiều : Đoạn trường tân thanh" .
        {ctx.work}
            bf:title [ a bf:Title ; bf:mainTitle "Truyện Kiều" ;
                       bf:subtitle "Đoạn trường tân thanh" ] ;
            schema:name "Truyện Kiều : Đoạn trường tân thanh" ;
            rdfs:label "Truyện Kiều : Đoạn trường tân thanh" .
    """,
    )


def test_245_a_b_isbd_punctuation_removed(ctx: RecordContext) -> None:
    """245 $a $b: ' :', ' /', ' =' and a closing full stop never reach the literals."""
    marc = record("245 10$aKim Vân Kiều =$bThe tale of Kieu /$cNguyễn Du ; Huỳnh Sanh Thông dịch.")
    triples = list(f200_24x.convert(marc, ctx))
    (title,) = objects(triples, ctx.instance, BF.title)
    assert values(triples, title, BF.mainTitle) == {"Kim Vân Kiều"}
    assert values(triples, title, BF.subtitle) == {"The tale of Kieu"}
    assert values(triples, ctx.instance, BF.responsibilityStatement) == {
        "Nguyễn Du ; Huỳnh Sanh Thông dịch",
    }


def test_245_n_p_part_number_and_name(ctx: RecordContext) -> None:
    """245 $a $n $p: part number and part name on the Title."""
    marc = record(
        "245 00$aTuyển tập văn học Việt Nam.$nTập 3,$pVăn học thế kỷ XVIII /$cnhiều tác giả.",
    )
    triples = list(f200_24x.convert(marc, ctx))
    (title,) = objects(triples, ctx.instance, BF.title)
    assert values(triples, title, BF.mainTitle) == {"Tuyển tập văn học Việt Nam"}
    assert values(triples, title, BF.partNumber) == {"Tập 3"}
    assert values(triples, title, BF.partName) == {"Văn học thế kỷ XVIII"}


def test_245_c_short_vietnamese_word_loses_full_stop(ctx: RecordContext) -> None:
    """245 $c 'Nguyễn Du.': the closing full stop goes even after a two-letter syllable."""
    triples = list(f200_24x.convert(record("245 10$aTruyện Kiều /$cNguyễn Du."), ctx))
    assert values(triples, ctx.instance, BF.responsibilityStatement) == {"Nguyễn Du"}


def test_246_variant_title(ctx: RecordContext) -> None:
    """246 $a $b: a bf:VariantTitle on the Instance and schema:alternateName 'a : b'."""
    marc = record("246 3_$aKim Vân Kiều :$btruyện thơ")
    assert_isomorphic(
        f200_24x.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:title [ a bf:VariantTitle ;
                       bf:mainTitle "Kim Vân Kiều" ; bf:subtitle "truyện thơ" ] ;
            schema:alternateName "Kim Vân Kiều : truyện thơ" .
    """,
    )


def test_no_245_no_title_triples(ctx: RecordContext) -> None:
    """No 245 (and no 246): no bf:title, schema:name or rdfs:label at all."""
    assert list(f200_24x.convert(record("100 1_$aNguyễn, Du", "250 __$aIn lần 2"), ctx)) == []


def test_245_without_a_no_title_triples(ctx: RecordContext) -> None:
    """245 with no $a (only $c): not a title."""
    assert list(f200_24x.convert(record("245 10$c Nguyễn Du."), ctx)) == []


def test_245_only_first_is_the_title(ctx: RecordContext) -> None:
    """245 twice (a broken record): only the first one titles the resource."""
    marc = record("245 10$aTruyện Kiều", "245 10$aĐoạn trường tân thanh")
    triples = list(f200_24x.convert(marc, ctx))
    assert values(triples, ctx.instance, SCHEMA.name) == {"Truyện Kiều"}
    assert len(objects(triples, ctx.work, BF.title)) == 1


def test_245_nfd_input_stored_nfc(ctx: RecordContext) -> None:
    """245 in NFD (as some exports write it): every literal stored is NFC."""
    nfd = unicodedata.normalize("NFD", "245 10$aTruyện Kiều :$bĐoạn trường tân thanh /$cNguyễn Du.")
    triples = list(f200_24x.convert(record(nfd), ctx))
    assert values(triples, ctx.instance, RDFS.label) == {"Truyện Kiều : Đoạn trường tân thanh"}
    assert literals(triples) and all(unicodedata.is_normalized("NFC", v) for v in literals(triples))
