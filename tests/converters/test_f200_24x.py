"""converters/marc/f200_24x.py: 245 title and statement of responsibility, 246 variant titles."""

from __future__ import annotations

import unicodedata

import pytest
from marcrdf import assert_isomorphic, literals, objects, record, values
from pyoxigraph import Literal

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, f200_24x
from lod.vocab import BF, RDF, RDFS, SCHEMA

VIE_008 = "008 150612s2015    vm            000 0 vie d"


def test_245_a_b_c_full_graph(ctx: RecordContext) -> None:
    """245 $a $b $c: ISBD punctuation removed; Instance and Work both get the title (no 130/240);
    no 008, so the literals are untagged; no schema.org from the module."""
    marc = record("245 10$aTruyện Kiều :$bĐoạn trường tân thanh /$cNguyễn Du.")
    assert_isomorphic(
        f200_24x.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:title [ a bf:Title ; bf:mainTitle "Truyện Kiều" ;
                       bf:subtitle "Đoạn trường tân thanh" ] ;
            bf:responsibilityStatement "Nguyễn Du" ;
            rdfs:label "Truyện Kiều : Đoạn trường tân thanh" .
        {ctx.work}
            bf:title [ a bf:Title ; bf:mainTitle "Truyện Kiều" ;
                       bf:subtitle "Đoạn trường tân thanh" ] ;
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
    assert values(triples, ctx.instance, RDFS.label) == {
        "Tuyển tập văn học Việt Nam. Tập 3. Văn học thế kỷ XVIII"
    }


def test_245_repeated_a_joined_and_h_k_s_are_notes(ctx: RecordContext) -> None:
    """245 $a $a: the main title is every $a; $h (medium) is an Instance note, brackets off."""
    triples = list(f200_24x.convert(record("245 10$aTruyện Kiều$h[Sách nói] ;$aLục Vân Tiên"), ctx))
    (title,) = objects(triples, ctx.instance, BF.title)
    assert values(triples, title, BF.mainTitle) == {"Truyện Kiều Lục Vân Tiên"}
    assert values(triples, ctx.instance, BF.note) == {"Sách nói"}


@pytest.mark.parametrize("uniform", ["130 0_$aTruyện Kiều.", "240 10$aTruyện Kiều."])
def test_uniform_title_titles_the_work(ctx: RecordContext, uniform: str) -> None:
    """130/240 present: the Work takes its title from it, the 245 titles only the Instance."""
    marc = record(uniform, "245 10$aKim Vân Kiều truyện /$cNguyễn Du.")
    triples = list(f200_24x.convert(marc, ctx))
    (work_title,) = objects(triples, ctx.work, BF.title)
    assert values(triples, work_title, BF.mainTitle) == {"Truyện Kiều"}
    assert values(triples, ctx.work, RDFS.label) == {"Truyện Kiều"}
    (instance_title,) = objects(triples, ctx.instance, BF.title)
    assert values(triples, instance_title, BF.mainTitle) == {"Kim Vân Kiều truyện"}


def test_245_literals_carry_the_resource_language(ctx: RecordContext) -> None:
    """245 in a record whose 008/35-37 is 'vie': its literals are tagged @vi."""
    triples = convert_record(record(VIE_008, "245 10$aTruyện Kiều /$cNguyễn Du."), ctx)
    (title,) = objects(triples, ctx.instance, BF.title)
    assert objects(triples, title, BF.mainTitle) == [Literal("Truyện Kiều", language="vi")]
    assert objects(triples, ctx.instance, BF.responsibilityStatement) == [Literal("Nguyễn Du", language="vi")]
    assert Literal("Truyện Kiều", language="vi") in objects(triples, ctx.instance, SCHEMA.name)


def test_245_c_short_vietnamese_word_loses_full_stop(ctx: RecordContext) -> None:
    """245 $c 'Nguyễn Du.': the closing full stop goes even after a two-letter syllable."""
    triples = list(f200_24x.convert(record("245 10$aTruyện Kiều /$cNguyễn Du."), ctx))
    assert values(triples, ctx.instance, BF.responsibilityStatement) == {"Nguyễn Du"}


def test_246_variant_title(ctx: RecordContext) -> None:
    """246 3_ $a $b: a bf:VariantTitle on the Instance (no variant type for a blank ind2)."""
    marc = record("246 3_$aKim Vân Kiều :$btruyện thơ")
    assert_isomorphic(
        f200_24x.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:title [ a bf:VariantTitle ;
                       bf:mainTitle "Kim Vân Kiều" ; bf:subtitle "truyện thơ" ] .
    """,
    )


def test_246_second_indicator(ctx: RecordContext) -> None:
    """246 ind2: a variant type literal ('8' spine), and '1' a bf:ParallelTitle."""
    triples = list(f200_24x.convert(record("246 18$aKiều", "246 31$aThe tale of Kieu"), ctx))
    by_class = {
        cls: node
        for node in objects(triples, ctx.instance, BF.title)
        for cls in values(triples, node, RDF.type)
    }
    assert set(by_class) == {BF.VariantTitle.value, BF.ParallelTitle.value}
    assert values(triples, by_class[BF.VariantTitle.value], BF.variantType) == {"spine"}
    assert values(triples, by_class[BF.ParallelTitle.value], BF.mainTitle) == {"The tale of Kieu"}


def test_no_245_no_title_triples(ctx: RecordContext) -> None:
    """No 245 (and no 246): no bf:title or rdfs:label at all."""
    assert list(f200_24x.convert(record("100 1_$aNguyễn, Du", "250 __$aIn lần 2"), ctx)) == []


def test_245_without_a_no_title_triples(ctx: RecordContext) -> None:
    """245 with no $a (only $c): not a title."""
    assert list(f200_24x.convert(record("245 10$c Nguyễn Du."), ctx)) == []


def test_245_only_first_is_the_title(ctx: RecordContext) -> None:
    """245 twice (a broken record): only the first one titles the resource."""
    marc = record("245 10$aTruyện Kiều", "245 10$aĐoạn trường tân thanh")
    triples = list(f200_24x.convert(marc, ctx))
    assert values(triples, ctx.instance, RDFS.label) == {"Truyện Kiều"}
    assert len(objects(triples, ctx.instance, BF.title)) == 1
    assert len(objects(triples, ctx.work, BF.title)) == 1


def test_245_nfd_input_stored_nfc(ctx: RecordContext) -> None:
    """245 in NFD (as some exports write it): every literal stored is NFC."""
    nfd = unicodedata.normalize("NFD", "245 10$aTruyện Kiều :$bĐoạn trường tân thanh /$cNguyễn Du.")
    triples = list(f200_24x.convert(record(nfd), ctx))
    assert values(triples, ctx.instance, RDFS.label) == {"Truyện Kiều : Đoạn trường tân thanh"}
    assert literals(triples) and all(unicodedata.is_normalized("NFC", v) for v in literals(triples))
