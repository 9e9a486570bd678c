"""converters/marc/holdings.py: copies (bf:Item) from 852, 876-878 and Koha's 952, with barcode (ĐKCB)."""

from __future__ import annotations

import unicodedata
from typing import Any

from marcrdf import MakeCtx, assert_isomorphic, literals, objects, record, values

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, holdings
from lod.triples import Triple
from lod.uris import Minter
from lod.validation import validate_records
from lod.vocab import BF, RDF, RDFS, SCHEMA


def convert(ctx: RecordContext, *fields: str) -> list[Triple]:
    return list(holdings.convert(record(*fields), ctx))


def items(triples: list[Triple], ctx: RecordContext) -> list[Any]:
    return objects(triples, ctx.instance, BF.hasItem)


def barcode_of(triples: list[Triple], item: Any) -> set[str]:
    """The values of the Item's bf:Barcode identifiers."""
    return {
        v
        for node in objects(triples, item, BF.identifiedBy)
        if values(triples, node, RDF.type) == {BF.Barcode.value}
        for v in values(triples, node, RDF.value)
    }


def test_952_koha_item_full_graph(ctx: RecordContext, minter: Minter) -> None:
    """952 $a $b $o $p $y: an Item with its barcode (ĐKCB), call number, branch and item type note;
    no schema.org triples from the module."""
    triples = convert(ctx, "952 __$aTVHN$bTVHN$o895.9221 NG-D$pVV.012345$yBK")
    item = minter.item(ctx.record_id, "barcode:VV.012345")
    assert_isomorphic(
        triples,
        f"""
        {item} a bf:Item ;
            bf:itemOf {ctx.instance} ;
            bf:heldBy {ctx.library_iri} ;
            bf:identifiedBy [ a bf:Barcode ; rdf:value "VV.012345" ] ;
            bf:shelfMark [ a bf:ShelfMark ; rdfs:label "895.9221 NG-D" ] ;
            bf:physicalLocation "TVHN" ;
            bf:note [ a bf:Note ; rdfs:label "BK" ] ;
            rdfs:label "895.9221 NG-D (VV.012345)" .
        {ctx.instance} bf:hasItem {item} .
    """,
    )


def test_952_schema_view_through_convert_record(ctx: RecordContext) -> None:
    """schema:holdingArchive and schema:sku come from the schema.org view of convert_record."""
    marc = record("245 10$aTruyện Kiều", "952 __$aTVHN$pVV.012345")
    triples = convert_record(marc, ctx)
    (item,) = items(triples, ctx)
    assert values(triples, item, SCHEMA.holdingArchive) == {ctx.library_iri.value}
    assert values(triples, item, SCHEMA.sku) == {"VV.012345"}


def test_876_barcode_location_and_notes(ctx: RecordContext) -> None:
    """876 $p $l $t $z: barcode, location, copy number and note."""
    triples = convert(ctx, "876 __$p00099$lKho mở$tBản 2$zHư bìa")
    (item,) = items(triples, ctx)
    assert barcode_of(triples, item) == {"00099"}
    assert values(triples, item, BF.physicalLocation) == {"Kho mở"}
    notes = objects(triples, item, BF.note)
    assert {value for note in notes for value in values(triples, note, RDFS.label)} == {"Bản 2", "Hư bìa"}
    assert all(values(triples, note, RDF.type) == {BF.Note.value} for note in notes)
    (copy,) = [note for note in notes if values(triples, note, BF.noteType) == {"copy number"}]
    assert values(triples, copy, RDFS.label) == {"Bản 2"}
    assert objects(triples, item, BF.shelfMark) == []


def test_configured_layout_for_a_local_field(make_ctx: MakeCtx) -> None:
    """A local holdings field (e.g. 930 with the ĐKCB in $a) via ctx.holdings_layouts."""
    ctx = make_ctx()
    ctx.holdings_layouts = {"930": holdings.Layout(barcode="a", call_number="c", branch="b")}
    triples = convert_record(record("245 10$aTruyện Kiều", "930 __$aDKCB-7$bTVHN$c895.9"), ctx)
    (item,) = items(triples, ctx)
    assert barcode_of(triples, item) == {"DKCB-7"}
    assert values(triples, item, BF.physicalLocation) == {"TVHN"}


def test_852_call_number_from_h_i_j(ctx: RecordContext) -> None:
    """852 $a $b $h $i $p: the shelf mark joins $h and $i; $a and $b are both locations."""
    triples = convert(ctx, "852 __$aTVHN$bKho mở$h895.9221$iNG-D$p00012345")
    (item,) = items(triples, ctx)
    (shelf,) = objects(triples, item, BF.shelfMark)
    assert values(triples, shelf, RDFS.label) == {"895.9221 NG-D"}
    assert values(triples, item, BF.physicalLocation) == {"TVHN", "Kho mở"}
    assert barcode_of(triples, item) == {"00012345"}


def test_952_item_iri_stable_from_barcode_independent_of_position(ctx: RecordContext) -> None:
    """952 x2 swapped, and another 952 inserted before: each barcode keeps its Item IRI."""
    a, b = "952 __$aTVHN$o895.9221$pVV.000001", "952 __$aTVHN$o895.9221$pVV.000002"
    first = convert(ctx, a, b)
    swapped = convert(ctx, "952 __$aTVHN$pVV.000099", b, a)
    by_barcode = {frozenset(barcode_of(first, i)): i for i in items(first, ctx)}
    by_barcode_swapped = {frozenset(barcode_of(swapped, i)): i for i in items(swapped, ctx)}
    for barcode in ("VV.000001", "VV.000002"):
        assert by_barcode[frozenset({barcode})] == by_barcode_swapped[frozenset({barcode})]
    assert len(set(by_barcode.values())) == 2


def test_952_item_iri_independent_of_call_number_and_branch(ctx: RecordContext) -> None:
    """952: re-shelving a copy (new call number, other branch) keeps its IRI."""
    (before,) = items(convert(ctx, "952 __$aTVHN$o895.9221$pVV.000001"), ctx)
    (after,) = items(convert(ctx, "952 __$aTVHCM$o895.922 NGU$pVV.000001"), ctx)
    assert before == after


def test_852_and_952_same_barcode_is_one_item(ctx: RecordContext) -> None:
    """852 $p and 952 $p with the same barcode: one Item IRI."""
    triples = convert(ctx, "852 __$aTVHN$p00012345", "952 __$aTVHN$p00012345")
    assert len(set(items(triples, ctx))) == 1


def test_952_same_barcode_in_two_records_are_different_items(make_ctx: MakeCtx) -> None:
    """952 $p: item IRIs are minted within a record, so two libraries' '00001' do not clash."""
    one, two = make_ctx("1", "TVHN"), make_ctx("1", "TVHCM")
    assert items(convert(one, "952 __$p00001"), one) != items(convert(two, "952 __$p00001"), two)


def test_952_without_barcode_keyed_by_position_and_call_number(make_ctx: MakeCtx) -> None:
    """952 without $p: an Item still, keyed by its position and call number (documented)."""
    ctx = make_ctx()
    triples = convert(ctx, "952 __$aTVHN$o895.9221", "952 __$aTVHN$o895.9221")
    found = items(triples, ctx)
    assert len(set(found)) == 2
    again = make_ctx()  # positions count within one record's conversion
    assert items(convert(again, "952 __$aTVHN$o895.9221"), again) == found[:1]
    assert all(objects(triples, i, BF.identifiedBy) == [] for i in found)


def test_952_branch_codes_deduplicated(ctx: RecordContext) -> None:
    """952 $a = $b (home = holding branch): one physicalLocation."""
    triples = convert(ctx, "952 __$aTVHN$bTVHN$pVV.1")
    (item,) = items(triples, ctx)
    assert values(triples, item, BF.physicalLocation) == {"TVHN"}


def test_952_nfd_stored_nfc(ctx: RecordContext) -> None:
    """952 in NFD ('Kho mở', 'ĐKCB'): stored NFC."""
    triples = convert(ctx, unicodedata.normalize("NFD", "952 __$aKho mở$oVăn 895$pĐKCB-01"))
    (item,) = items(triples, ctx)
    assert barcode_of(triples, item) == {"ĐKCB-01"}
    assert all(unicodedata.is_normalized("NFC", v) for v in literals(triples))


def test_no_holdings_no_items(ctx: RecordContext) -> None:
    assert convert(ctx, "245 10$aTruyện Kiều", "850 __$aTVHN") == []


HOLDINGS_LEADER = "00000nx  a2200000un 4500"


def holdings_record(ctx: RecordContext) -> list[Triple]:
    """A MARC holdings record (leader/06 x) of one copy of the bibliographic record bib-7."""
    fields = ("001 h-1", "004 bib-7", "952 ## $pVV0001$o895.922 NG-D")
    return convert_record(record(*fields, leader=HOLDINGS_LEADER), ctx)


def test_holdings_record_items_belong_to_the_instance_of_the_record_in_004(
    make_ctx: MakeCtx, minter: Minter
) -> None:
    triples = holdings_record(make_ctx("h-1", "TEST"))
    instance = minter.instance(minter.record_id("TEST", "bib-7"))
    (item,) = objects(triples, instance, BF.hasItem)
    assert objects(triples, item, BF.itemOf) == [instance]
    assert barcode_of(triples, item) == {"VV0001"}
    # the Instance is described in the bibliographic record's own graph, not here
    assert not [t for t in triples if t[0] == instance and t[1] != BF.hasItem]


def test_holdings_record_conforms_to_the_shapes_on_its_own(make_ctx: MakeCtx) -> None:
    # a holdings record's graph holds its Items, not the Instance they belong to (that one is in
    # the bibliographic record's graph), so it must validate without it
    (report,) = validate_records([holdings_record(make_ctx("h-1", "TEST"))])
    assert report.conforms, [(v.path, v.message("en")) for v in report.violations]
