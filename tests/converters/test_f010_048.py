"""converters/marc/f010_048.py: LCCN, ISBN, ISSN, 024 standard numbers, 035, 041 languages."""

from __future__ import annotations

from typing import Any

import pytest
from marcrdf import assert_isomorphic, objects, record, values
from pyoxigraph import NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, f010_048
from lod.converters.marc.f010_048 import isbn10_to_13, isbn_digits
from lod.triples import Triple
from lod.vocab import BF, ID_LANGUAGES, RDF, SCHEMA

CANCINV = "http://id.loc.gov/vocabulary/mstatus/cancinv"


def identifiers(triples: list[Triple], ctx: RecordContext, cls: NamedNode) -> dict[str, Any]:
    """value -> node of the Instance's identifiers of class `cls`."""
    found = {}
    for node in objects(triples, ctx.instance, BF.identifiedBy):
        if cls.value in values(triples, node, RDF.type):
            (value,) = values(triples, node, RDF.value)
            found[value] = node
    return found


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        pytest.param("978-604-1-00000-1", "9786041000001", id="020 $a ISBN-13 with hyphens"),
        pytest.param("9786041000001 (bìa mềm)", "9786041000001", id="020 $a with '(bìa mềm)'"),
        pytest.param("978 604 1 00000 1", "9786041000001", id="020 $a with spaces"),
        pytest.param("0-8044-2957-x", "080442957X", id="020 $a ISBN-10 with lower-case x"),
        pytest.param("9786041000001 :", "9786041000001", id="020 $a with ISBD ' :' before $c"),
        pytest.param("978604100000", None, id="020 $a twelve digits is no ISBN"),
        pytest.param("bìa mềm", None, id="020 $a without a number"),
    ],
)
def test_isbn_digits(raw: str, digits: str | None) -> None:
    assert isbn_digits(raw) == digits


@pytest.mark.parametrize(
    ("isbn10", "isbn13"),
    [
        pytest.param("0306406152", "9780306406157", id="ISBN-10 0-306-40615-2"),
        pytest.param("080442957X", "9780804429573", id="ISBN-10 with check digit X"),
        pytest.param("6041000000", "9786041000001", id="ISBN-10 of a Vietnamese publisher"),
        pytest.param("978604100", None, id="nine digits"),
        pytest.param("X804429570", None, id="X not in check position"),
    ],
)
def test_isbn10_to_13_check_digit(isbn10: str, isbn13: str | None) -> None:
    assert isbn10_to_13(isbn10) == isbn13


def test_020_isbn13_full_graph(ctx: RecordContext) -> None:
    """020 $a with hyphens and a parenthesised qualifier; $c (price) is the ISBN's acquisition terms."""
    marc = record("020 __$a978-604-1-00000-1 (bìa cứng) :$c85000đ")
    assert_isomorphic(
        f010_048.convert(marc, ctx),
        f"""
        {ctx.instance} bf:identifiedBy [
            a bf:Isbn ; rdf:value "9786041000001" ; bf:qualifier "bìa cứng" ;
            bf:acquisitionTerms "85000đ"
        ] .
    """,
    )


def test_020_isbn_gives_schema_isbn_through_convert_record(ctx: RecordContext) -> None:
    """schema:isbn comes from the schema.org view that convert_record appends, not the module."""
    marc = record("020 __$a978-604-1-00000-1$z9786041000000")
    assert values(f010_048.convert(marc, ctx), ctx.instance, SCHEMA.isbn) == set()
    triples = convert_record(marc, ctx)
    assert values(triples, ctx.instance, SCHEMA.isbn) == {"9786041000001"}


def test_020_not_isbn_shaped_kept_as_cancelled_isbn(ctx: RecordContext) -> None:
    """020 $a without an ISBN-shaped number is kept as written, with status cancinv."""
    marc = record("020 __$a978604100000")
    triples = list(f010_048.convert(marc, ctx))
    isbns = identifiers(triples, ctx, BF.Isbn)
    assert set(isbns) == {"978604100000"}
    assert values(triples, isbns["978604100000"], BF.status) == {CANCINV}


def test_020_isbn10_also_gives_isbn13(ctx: RecordContext) -> None:
    """020 $a ISBN-10: both forms are identifiers (and schema:isbn), so either finds the book."""
    marc = record("020 __$a0-306-40615-2$qpbk")
    assert_isomorphic(
        f010_048.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:identifiedBy [ a bf:Isbn ; rdf:value "0306406152" ; bf:qualifier "pbk" ] ,
                            [ a bf:Isbn ; rdf:value "9780306406157" ; bf:qualifier "pbk" ] .
    """,
    )
    assert values(convert_record(marc, ctx), ctx.instance, SCHEMA.isbn) == {"0306406152", "9780306406157"}


def test_020_q_qualifiers_win_over_parentheses(ctx: RecordContext) -> None:
    """020 $q: when present, the qualifiers come from $q (pymarc 5 / MARC 2013 practice)."""
    marc = record("020 __$a9786041000001 (bìa mềm)$qtập 1$qbìa cứng")
    triples = list(f010_048.convert(marc, ctx))
    (node,) = identifiers(triples, ctx, BF.Isbn).values()
    assert values(triples, node, BF.qualifier) == {"tập 1", "bìa cứng"}


def test_020_z_cancelled_isbn(ctx: RecordContext) -> None:
    """020 $z: kept as an identifier with status cancinv, but never a schema:isbn."""
    marc = record("020 __$a9786041000001$z9786041000000")
    triples = list(f010_048.convert(marc, ctx))
    isbns = identifiers(triples, ctx, BF.Isbn)
    assert set(isbns) == {"9786041000001", "9786041000000"}
    assert values(triples, isbns["9786041000000"], BF.status) == {CANCINV}
    assert values(triples, isbns["9786041000001"], BF.status) == set()
    assert values(convert_record(marc, ctx), ctx.instance, SCHEMA.isbn) == {"9786041000001"}


def test_020_without_a_number_gives_nothing(ctx: RecordContext) -> None:
    assert list(f010_048.convert(record("020 __$qbìa mềm$c50000đ"), ctx)) == []


def test_022_issn_and_cancelled_issn(ctx: RecordContext) -> None:
    """022 $a ISSN (schema:issn in the view); $y incorrect, $z cancelled; $l ISSN-L."""
    marc = record("022 0_$a0866-7373$y0866-7375$z0866-7374$l0866-7373")
    assert_isomorphic(
        f010_048.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:identifiedBy [ a bf:Issn ; rdf:value "0866-7373" ] ,
                            [ a bf:Issn ; rdf:value "0866-7375" ; bf:status mstatus:incorrect ] ,
                            [ a bf:Issn ; rdf:value "0866-7374" ; bf:status mstatus:cancinv ] ,
                            [ a bf:IssnL ; rdf:value "0866-7373" ] .
    """,
    )
    assert values(convert_record(marc, ctx), ctx.instance, SCHEMA.issn) == {"0866-7373"}


@pytest.mark.parametrize(
    ("mrk", "cls"),
    [
        pytest.param("024 0_$aVNA231500001", BF.Isrc, id="024 0_: ISRC"),
        pytest.param("024 1_$a012345678905", BF.Upc, id="024 1_: UPC"),
        pytest.param("024 2_$a9790260000438", BF.Ismn, id="024 2_: ISMN"),
        pytest.param("024 3_$a8935235226272", BF.Ean, id="024 3_: EAN"),
        pytest.param("024 7_$a10.1000/182$2doi", BF.Doi, id="024 7_ $2 doi: DOI"),
        pytest.param("024 7_$a10.1000/182$2DOI", BF.Doi, id="024 7_ $2 DOI: case folded"),
        pytest.param("024 7_$aQ7186$2wikidata", BF.Identifier, id="024 7_ $2 other: Identifier"),
        pytest.param("024 8_$a123-456", BF.Identifier, id="024 8_: unspecified"),
    ],
)
def test_024_identifier_classes(ctx: RecordContext, mrk: str, cls: NamedNode) -> None:
    triples = list(f010_048.convert(record(mrk), ctx))
    (node,) = objects(triples, ctx.instance, BF.identifiedBy)
    assert values(triples, node, RDF.type) == {cls.value}
    assert len(values(triples, node, RDF.value)) == 1


def test_010_lccn_and_035_system_numbers(ctx: RecordContext) -> None:
    """010 $a: bf:Lccn; 035 $a (each of them): bf:Local, the '(XX)' prefix becoming its source
    (an OCLC number loses its 'ocm' prefix)."""
    marc = record(
        "010 __$a  2015123456 ",
        "035 __$a(OCoLC)ocm123456789",
        "035 __$a(VNLIB)42",
        "035 __$aKOHA-42",
    )
    assert_isomorphic(
        f010_048.convert(marc, ctx),
        f"""
        {ctx.instance}
            bf:identifiedBy [ a bf:Lccn ; rdf:value "2015123456" ] ,
                            [ a bf:Local ; rdf:value "123456789" ;
                              bf:source [ a bf:Source ; bf:code "OCoLC" ] ] ,
                            [ a bf:Local ; rdf:value "42" ; bf:source [ a bf:Source ; bf:code "VNLIB" ] ] ,
                            [ a bf:Local ; rdf:value "KOHA-42" ] .
    """,
    )


def test_024_2_is_the_source(ctx: RecordContext) -> None:
    """024 $2 names the identifier's scheme: bf:source [a bf:Source; bf:code]."""
    marc = record("024 7_$aQ7186$2wikidata")
    assert_isomorphic(
        f010_048.convert(marc, ctx),
        f"""
        {ctx.instance} bf:identifiedBy [
            a bf:Identifier ; rdf:value "Q7186" ; bf:source [ a bf:Source ; bf:code "wikidata" ]
        ] .
    """,
    )


@pytest.mark.parametrize(
    ("mrk", "codes"),
    [
        pytest.param("041 0_$avie", ["vie"], id="041 $a vie"),
        pytest.param("041 0_$avieeng", ["vie", "eng"], id="041 $a vieeng: packed codes split"),
        pytest.param("041 1_$avie$achi", ["vie", "chi"], id="041 $a repeated"),
        pytest.param("041 0_$aVIEFRE", ["vie", "fre"], id="041 $a upper case"),
        pytest.param("041 0_$avi", [], id="041 $a two letters ignored"),
        pytest.param("041 0_$avie-eng", [], id="041 $a with punctuation ignored"),
        pytest.param("041 1_$bvie$heng", ["vie", "eng"], id="041 $b $h are languages of the Work too"),
        pytest.param("041 1_$avie$bvie$heng", ["vie", "eng"], id="041 codes deduplicated"),
    ],
)
def test_041_language_codes(ctx: RecordContext, mrk: str, codes: list[str]) -> None:
    triples = list(f010_048.convert(record(mrk), ctx))
    assert values(triples, ctx.work, BF.language) == {ID_LANGUAGES + code for code in codes}
    assert len(objects(triples, ctx.work, BF.language)) == len(codes)
