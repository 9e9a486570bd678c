"""converters/marc/f050_088.py: classification numbers (050 LCC, 082 DDC, 084 other schemes)."""

from __future__ import annotations

from marcrdf import assert_isomorphic, objects, record, values

from lod.converters.context import RecordContext
from lod.converters.marc import f050_088
from lod.vocab import BF, RDF


def test_082_ddc_with_item_part_and_edition_full_graph(ctx: RecordContext) -> None:
    """082 $a $b $2: a ClassificationDdc on the Work, $2 (DDC edition number) and ind1 0 ('full')
    as its bf:edition."""
    marc = record("082 04$a895.9221$bNG-D$223")
    assert_isomorphic(
        f050_088.convert(marc, ctx),
        f"""
        {ctx.work} bf:classification [
            a bf:ClassificationDdc ;
            bf:classificationPortion "895.9221" ;
            bf:itemPortion "NG-D" ;
            bf:edition "23", "full"
        ] .
    """,
    )


def test_084_other_scheme_named_by_2(ctx: RecordContext) -> None:
    """084 $a $2 bbk: a plain bf:Classification whose source says which scheme (BBK)."""
    marc = record("084 __$aV5(1)1-5$2bbk")
    assert_isomorphic(
        f050_088.convert(marc, ctx),
        f"""
        {ctx.work} bf:classification [
            a bf:Classification ;
            bf:classificationPortion "V5(1)1-5" ;
            bf:source [ a bf:Source ; bf:code "bbk" ]
        ] .
    """,
    )


def test_050_lcc(ctx: RecordContext) -> None:
    """050 $a $b, ind2 0 (assigned by LC): ClassificationLcc with source DLC."""
    marc = record("050 00$aPL4378.9.N5$bT78 2015")
    assert_isomorphic(
        f050_088.convert(marc, ctx),
        f"""
        {ctx.work} bf:classification [
            a bf:ClassificationLcc ;
            bf:classificationPortion "PL4378.9.N5" ;
            bf:itemPortion "T78 2015" ;
            bf:source [ a bf:Source ; bf:code "DLC" ]
        ] .
    """,
    )


def test_050_ind2_4_has_no_source(ctx: RecordContext) -> None:
    """050 ind2 4 (not assigned by LC): no source."""
    assert_isomorphic(
        f050_088.convert(record("050 _4$aPL4378.9.N5"), ctx),
        f"""
        {ctx.work} bf:classification [
            a bf:ClassificationLcc ; bf:classificationPortion "PL4378.9.N5"
        ] .
    """,
    )


def test_060_ind2_0_source_dnlm(ctx: RecordContext) -> None:
    triples = f050_088.convert(record("060 00$aWB 100"), ctx)
    (node,) = objects(triples, ctx.work, BF.classification)
    (src,) = objects(triples, node, BF.source)
    assert values(triples, src, BF.code) == {"DNLM"}


def test_082_ind1_1_is_abridged(ctx: RecordContext) -> None:
    triples = f050_088.convert(record("082 14$a895.9$215"), ctx)
    (node,) = objects(triples, ctx.work, BF.classification)
    assert values(triples, node, BF.edition) == {"15", "abridged"}
    assert objects(triples, node, BF.source) == []


def test_082_repeated_a_gives_one_classification_each(ctx: RecordContext) -> None:
    """082 $a $a: two DDC numbers, two classification nodes."""
    triples = list(f050_088.convert(record("082 04$a895.9221$a398.209597$223"), ctx))
    nodes = objects(triples, ctx.work, BF.classification)
    assert len(nodes) == 2
    assert {v for n in nodes for v in values(triples, n, BF.classificationPortion)} == {
        "895.9221",
        "398.209597",
    }
    assert all(values(triples, n, RDF.type) == {BF.ClassificationDdc.value} for n in nodes)


def test_082_and_084_side_by_side(ctx: RecordContext) -> None:
    """082 and 084 in one record (DDC and BBK, as Vietnamese libraries do): both kept."""
    triples = list(f050_088.convert(record("084 __$a8(V)$2bbk", "082 04$a895.922$223"), ctx))
    classes = {c for n in objects(triples, ctx.work, BF.classification) for c in values(triples, n, RDF.type)}
    assert classes == {BF.ClassificationDdc.value, BF.Classification.value}


def test_082_without_a_gives_nothing(ctx: RecordContext) -> None:
    assert list(f050_088.convert(record("082 04$bNG-D$223"), ctx)) == []
