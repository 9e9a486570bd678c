"""converters/marc/f001_007.py: administrative metadata (001, 003, 005, 008/00-05, 040)."""

from __future__ import annotations

from typing import Any

import pytest
from marcrdf import MakeCtx, assert_isomorphic, objects, record, values
from pyoxigraph import NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc import f001_007
from lod.triples import Triple
from lod.vocab import BF, ID_LANGUAGES, ID_ORGS, RDF, RDFS

BOOK_008 = "150612s2015    vm            000 p vie d"


def admin_node(triples: list[Triple], ctx: RecordContext) -> Any:
    (node,) = objects(triples, ctx.instance, BF.adminMetadata)
    return node


def test_001_003_005_008_040_full_graph(make_ctx: MakeCtx) -> None:
    """001/003/005/008/040: one AdminMetadata with the local number, dates and sources."""
    ctx = make_ctx(control_number="VN0001234", library="TVHN")
    marc = record(
        "001 VN0001234",
        "003 VN-TVHN",
        "005 20240115103000.0",
        f"008 {BOOK_008}",
        "040 __$aVN-TVQG$bvie$cVN-TVHN$eAACR2",
    )
    assert_isomorphic(
        f001_007.convert(marc, ctx),
        f"""
        {ctx.instance} bf:adminMetadata [
            a bf:AdminMetadata ;
            bf:assigner {ctx.library_iri} ;
            bf:identifiedBy [
                a bf:Local ; rdf:value "VN0001234" ; bf:assigner {ctx.library_iri} ;
                bf:source [ a bf:Source ; bf:code "VN-TVHN" ]
            ] ;
            bf:changeDate "2024-01-15T10:30:00"^^xsd:dateTime ;
            bf:creationDate "2015-06-12"^^xsd:date ;
            bf:source <http://id.loc.gov/vocabulary/organizations/vn-tvqg> ;
            bf:agent <http://id.loc.gov/vocabulary/organizations/vn-tvhn> ;
            bf:descriptionLanguage languages:vie ;
            bf:descriptionConventions [ a bf:DescriptionConventions ; bf:code "AACR2" ]
        ] .
        <http://id.loc.gov/vocabulary/organizations/vn-tvqg> rdfs:label "VN-TVQG" .
        <http://id.loc.gov/vocabulary/organizations/vn-tvhn> rdfs:label "VN-TVHN" .
    """,
    )


def test_001_local_number_is_the_context_control_number(make_ctx: MakeCtx) -> None:
    """001: the bf:Local identifier is the control number the pipeline chose for the record."""
    ctx = make_ctx(control_number="KOHA-42")
    triples = list(f001_007.convert(record("001 KOHA-42"), ctx))
    (local,) = objects(triples, admin_node(triples, ctx), BF.identifiedBy)
    assert values(triples, local, RDF.type) == {BF.Local.value}
    assert values(triples, local, RDF.value) == {"KOHA-42"}
    assert objects(triples, local, BF.source) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("20240115103000.0", "2024-01-15T10:30:00", id="005 with tenths"),
        pytest.param("19981231235959", "1998-12-31T23:59:59", id="005 without tenths"),
        pytest.param(" 20240115103000.0 ", "2024-01-15T10:30:00", id="005 with spaces around"),
    ],
)
def test_005_change_date(ctx: RecordContext, value: str, expected: str) -> None:
    triples = list(f001_007.convert(record(f"005 {value}"), ctx))
    admin = admin_node(triples, ctx)
    (changed,) = objects(triples, admin, BF.changeDate)
    assert changed.value == expected
    assert changed.datatype.value == "http://www.w3.org/2001/XMLSchema#dateTime"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("20241315103000.0", id="005 month 13"),
        pytest.param("20240230000000.0", id="005 30 February"),
        pytest.param("00000000000000.0", id="005 all zeros"),
        pytest.param("20240115", id="005 date only"),
        pytest.param("2024-01-15 10:30", id="005 ISO-like text"),
        pytest.param("", id="005 empty"),
    ],
)
def test_005_bad_value_ignored(ctx: RecordContext, value: str) -> None:
    """A bad 005 gives no bf:changeDate, and the rest of the admin metadata is still there."""
    triples = list(f001_007.convert(record(f"005 {value}", f"008 {BOOK_008}"), ctx))
    admin = admin_node(triples, ctx)
    assert objects(triples, admin, BF.changeDate) == []
    assert values(triples, admin, BF.creationDate) == {"2015-06-12"}


@pytest.mark.parametrize(
    ("fixed", "expected"),
    [
        pytest.param("150612" + BOOK_008[6:], "2015-06-12", id="008/00-05 150612"),
        pytest.param("991231" + BOOK_008[6:], "1999-12-31", id="008/00-05 991231: last century"),
        pytest.param("000101" + BOOK_008[6:], "2000-01-01", id="008/00-05 000101"),
        pytest.param("000229" + BOOK_008[6:], "2000-02-29", id="008/00-05 000229: leap day"),
        pytest.param("690101" + BOOK_008[6:], "1969-01-01", id="008/00-05 690101"),
        pytest.param("970229" + BOOK_008[6:], None, id="008/00-05 970229 not a date"),
        pytest.param("151312" + BOOK_008[6:], None, id="008/00-05 month 13 ignored"),
        pytest.param("      " + BOOK_008[6:], None, id="008/00-05 blank ignored"),
        pytest.param("1506", None, id="008 too short ignored"),
    ],
)
def test_008_00_05_creation_date(ctx: RecordContext, fixed: str, expected: str | None) -> None:
    triples = list(f001_007.convert(record(f"008 {fixed}"), ctx))
    admin = admin_node(triples, ctx)
    assert values(triples, admin, BF.creationDate) == ({expected} if expected else set())


def test_040_each_agency_is_a_source(ctx: RecordContext) -> None:
    """040 $a (repeated fields too): one id.loc.gov organization IRI each, labelled with the code;
    $b $c $e are not sources."""
    marc = record("040 __$aVN-TVQG$bvie$cVN-TVQG$eAACR2", "040 __$aVN-ĐHQGHN")
    triples = list(f001_007.convert(marc, ctx))
    admin = admin_node(triples, ctx)
    sources = objects(triples, admin, BF.source)
    assert {s.value for s in sources} == {ID_ORGS + "vn-tvqg", ID_ORGS + "vn-đhqghn"}
    assert len(sources) == 2
    assert {label for s in sources for label in values(triples, s, RDFS.label)} == {
        "VN-TVQG",
        "VN-ĐHQGHN",
    }
    assert values(triples, admin, BF.agent) == {ID_ORGS + "vn-tvqg"}
    assert values(triples, admin, BF.descriptionLanguage) == {ID_LANGUAGES + "vie"}
    (conventions,) = objects(triples, admin, BF.descriptionConventions)
    assert values(triples, conventions, RDF.type) == {BF.DescriptionConventions.value}
    assert values(triples, conventions, BF.code) == {"AACR2"}


@pytest.mark.parametrize(
    ("code", "iri"),
    [
        pytest.param("DLC", "dlc", id="040 DLC -> organizations/dlc"),
        pytest.param("VN-TVQG", "vn-tvqg", id="040 VN-TVQG lower-cased"),
        pytest.param("Uk", "uk", id="040 Uk (British Library)"),
    ],
)
def test_040_organization_iri_is_the_lower_case_code(ctx: RecordContext, code: str, iri: str) -> None:
    triples = list(f001_007.convert(record(f"040 __$a{code}$d{code}"), ctx))
    admin = admin_node(triples, ctx)
    assert values(triples, admin, BF.source) == {ID_ORGS + iri}
    assert values(triples, admin, BF.agent) == {ID_ORGS + iri}
    assert values(triples, NamedNode(ID_ORGS + iri), RDFS.label) == {code}


def test_003_agency_is_the_source_code_of_the_local_number(ctx: RecordContext) -> None:
    """003: the agency whose number the 001 is, as bf:source [a bf:Source; bf:code]."""
    triples = list(f001_007.convert(record("001 42", "003 VN-TVHN"), ctx))
    (local,) = objects(triples, admin_node(triples, ctx), BF.identifiedBy)
    (source,) = objects(triples, local, BF.source)
    assert values(triples, source, RDF.type) == {BF.Source.value}
    assert values(triples, source, BF.code) == {"VN-TVHN"}
    assert objects(triples, source, RDFS.label) == []


def test_003_blank_gives_no_source(ctx: RecordContext) -> None:
    triples = list(f001_007.convert(record("003    "), ctx))
    (local,) = objects(triples, admin_node(triples, ctx), BF.identifiedBy)
    assert objects(triples, local, BF.source) == []
