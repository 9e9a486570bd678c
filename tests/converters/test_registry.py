"""converters/registry.py: a checked registry record to RDF, compared by graph isomorphism, and read
back (lod registry export)."""

from __future__ import annotations

from marcrdf import assert_isomorphic

from lod.converters.registry import (
    LibraryRecord,
    Place,
    hierarchy_triples,
    library_triples,
    record_from_triples,
)
from lod.uris import Minter

FULL = LibraryRecord(
    id="tv-hn",
    name="Thư viện Hà Nội",
    type="public",
    name_en="Hanoi Library",
    short_name="TVHN",
    isil="VN-TEST1",
    egov_code="000.00.00.H26",
    egov_valid_from="2020-09-15",
    wikidata="Q123",
    ownership="public",
    parent_name="Sở Văn hóa và Thể thao Hà Nội",
    street="47 Bà Triệu",
    commune_code="00070",
    province_code="01",
    latitude="21.0190",
    longitude="105.8500",
    website="https://example.vn/",
    email="info@example.vn",
    phone="+84 24 0000 0000",
    opening_hours="Mo-Fr 08:00-17:00",
    services=("children", "lending"),
    collection_size=123456,
    founded="1956",
)

EXPECTED_FULL = """
@prefix lib: <http://data.test/resource/library/> .
@prefix unit: <http://data.test/resource/unit/> .
@prefix type: <https://w3id.org/vn-library-lod/vocab/library-type/> .
@prefix service: <https://w3id.org/vn-library-lod/vocab/service/> .
@prefix own: <https://w3id.org/vn-library-lod/vocab/ownership/> .

lib:VN-TEST1 a schema:Library, org:Organization, bf:Organization, bf:Agent ;
    rdfs:label "Thư viện Hà Nội"@vi, "Hanoi Library"@en ;
    schema:name "Thư viện Hà Nội"@vi, "Hanoi Library"@en ;
    schema:alternateName "TVHN"@vi ;
    lodv:registryId "tv-hn" ;
    lodv:isil "VN-TEST1" ;
    lodv:egovCode "000.00.00.H26" ;
    owl:sameAs <http://www.wikidata.org/entity/Q123> ;
    schema:sameAs <http://www.wikidata.org/entity/Q123> ;
    lodv:libraryType type:public ;
    schema:additionalType type:public ;
    lodv:ownership own:public ;
    schema:identifier [ a schema:PropertyValue ; schema:propertyID "registry" ; schema:value "tv-hn" ] ,
        [ a schema:PropertyValue ; schema:propertyID "ISIL" ; schema:value "VN-TEST1" ] ,
        [ a schema:PropertyValue ; schema:propertyID "egov" ; schema:value "000.00.00.H26" ;
          schema:validFrom "2020-09-15"^^xsd:date ] ,
        [ a schema:PropertyValue ; schema:propertyID "Wikidata" ; schema:value "Q123" ] ;
    schema:parentOrganization [ a schema:Organization ; schema:name "Sở Văn hóa và Thể thao Hà Nội"@vi ] ;
    schema:address [ a schema:PostalAddress ; schema:addressCountry "VN" ;
        schema:streetAddress "47 Bà Triệu"@vi ; schema:addressLocality "Phường Hoàn Kiếm"@vi ;
        schema:addressRegion "Thành phố Hà Nội"@vi ] ;
    schema:containedInPlace unit:c00070, unit:p01 ;
    schema:geo [ a schema:GeoCoordinates ; schema:latitude "21.0190"^^xsd:decimal ;
        schema:longitude "105.8500"^^xsd:decimal ] ;
    schema:url <https://example.vn/> ;
    schema:email "info@example.vn" ;
    schema:telephone "+84 24 0000 0000" ;
    schema:openingHours "Mo-Fr 08:00-17:00" ;
    lodv:service service:children, service:lending ;
    lodv:collectionSize 123456 ;
    schema:foundingDate "1956"^^xsd:gYear .
"""


def test_a_full_record_maps_to_schema_org_org_and_our_terms(minter: Minter) -> None:
    place = Place(commune="Phường Hoàn Kiếm", province="Thành phố Hà Nội")
    assert_isomorphic(library_triples(FULL, minter, place), EXPECTED_FULL)


def test_a_library_without_isil_gets_a_pseudo_identifier_and_only_what_it_has(minter: Minter) -> None:
    record = LibraryRecord(id="tv-xa-1", name="Thư viện xã Yên Sở", type="community")
    assert_isomorphic(
        library_triples(record, minter),
        """
        <http://data.test/resource/library/x-tv-xa-1> a schema:Library, org:Organization,
                bf:Organization, bf:Agent ;
            rdfs:label "Thư viện xã Yên Sở"@vi ;
            schema:name "Thư viện xã Yên Sở"@vi ;
            lodv:registryId "tv-xa-1" ;
            lodv:libraryType <https://w3id.org/vn-library-lod/vocab/library-type/community> ;
            schema:additionalType <https://w3id.org/vn-library-lod/vocab/library-type/community> ;
            schema:identifier [ a schema:PropertyValue ; schema:propertyID "registry" ;
                schema:value "tv-xa-1" ] ;
            schema:address [ a schema:PostalAddress ; schema:addressCountry "VN" ] .
        """,
    )


def test_founding_dates_keep_their_precision(minter: Minter) -> None:
    for founded, datatype in (("1917", "gYear"), ("1917-11", "gYearMonth"), ("1917-11-29", "date")):
        record = LibraryRecord(id="a", name="A", type="public", founded=founded)
        dates = [o for _, p, o in library_triples(record, minter) if p.value.endswith("foundingDate")]
        assert [(d.value, d.datatype.value.rsplit("#", 1)[1]) for d in dates] == [(founded, datatype)]


def test_a_record_reads_back_from_its_triples(minter: Minter) -> None:
    parent = LibraryRecord(id="tv-cha", name="Thư viện mẹ", type="public", isil="VN-TEST9")
    child = LibraryRecord(**{**FULL.__dict__, "parent_id": "tv-cha", "parent_name": None})
    triples = library_triples(child, minter) + hierarchy_triples(
        minter.library(child.key), minter.library(parent.key)
    )
    ids = {minter.library(parent.key).value: "tv-cha"}
    assert record_from_triples(triples, minter, ids) == child
    assert record_from_triples(library_triples(FULL, minter), minter) == FULL
