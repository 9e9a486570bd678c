"""converters/marc/__init__.py: `convert_record` over a whole record, against a golden graph.

The golden record is tests/data/marc/truyen-kieu.xml (a hand-made Vietnamese record); its expected
graph, BIBFRAME and the schema.org view derived from it, is `GOLDEN` below.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path

import pytest
from marcrdf import assert_isomorphic, graph, literals
from pymarc import Field, Record, Subfield
from rdflib import Graph

import lod.converters.marc as marc_package
from lod.converters.context import RecordContext
from lod.converters.marc import FIELD_CONVERTERS, RECORD_CONVERTERS, convert_record
from lod.marcio import read_marc
from lod.uris import Minter

DATA = Path(__file__).parent.parent / "data" / "marc"
LIBRARY = "TVHN"

# The expected conversion of truyen-kieu.xml (context: base IRI http://data.test/, library
# "TVHN", control number "TK2015001"). tests/data/marc/truyen-kieu.expected.ttl describes the
# converter before the schema.org view moved to converters/schemaorg.py and before literals
# carried language tags; this is the graph of the current design:
# - transcribed fields (245, 246, 250, 264, 490) are tagged with 008/35-37 ("vi"), notes (500,
#   520) with 040 $b ("vi"), headings (agents, topics, places) are untagged;
# - 008/07-17 is a bf:Publication of its own with an EDTF date and an id.loc.gov country;
# - 040 names organizations by id.loc.gov IRIs; codes of sources are bf:code;
# - the schema.org triples are derived from the BIBFRAME ones (schema:name = rdfs:label).
GOLDEN = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix bf: <http://id.loc.gov/ontologies/bibframe/> .
@prefix bflc: <http://id.loc.gov/ontologies/bflc/> .
@prefix schema: <http://schema.org/> .
@prefix lodv: <https://w3id.org/vn-library-lod/vocab#> .
@prefix work: <http://data.test/resource/work/> .
@prefix instance: <http://data.test/resource/instance/> .
@prefix item: <http://data.test/resource/item/> .
@prefix agent: <http://data.test/resource/agent/> .
@prefix topic: <http://data.test/resource/topic/> .
@prefix place: <http://data.test/resource/place/> .
@prefix series: <http://data.test/resource/series/> .
@prefix library: <http://data.test/resource/library/> .
@prefix languages: <http://id.loc.gov/vocabulary/languages/> .
@prefix relators: <http://id.loc.gov/vocabulary/relators/> .
@prefix orgs: <http://id.loc.gov/vocabulary/organizations/> .
@prefix edtf: <http://id.loc.gov/datatypes/> .

# Leader/06 a, leader/07 m; 008/35-37 vie (and 041 $a vie)
work:noasjhjed2ehynz2 a bf:Work, bf:Text, schema:CreativeWork ;
    bf:hasInstance instance:noasjhjed2ehynz2 ;
    schema:workExample instance:noasjhjed2ehynz2 ;
    bf:language languages:vie ;
    schema:inLanguage "vi" ;
    # 245 (no 130/240): the Work takes the title
    bf:title [ a bf:Title ; bf:mainTitle "Truyện Kiều"@vi ; bf:subtitle "Đoạn trường tân thanh"@vi ] ;
    rdfs:label "Truyện Kiều : Đoạn trường tân thanh"@vi ;
    schema:name "Truyện Kiều : Đoạn trường tân thanh"@vi ;
    # 082 (ind1 0: full edition, $2 23), 084
    bf:classification [
        a bf:ClassificationDdc ;
        bf:classificationPortion "895.9221" ;
        bf:itemPortion "NG-D" ;
        bf:edition "23", "full"
    ] , [
        a bf:Classification ;
        bf:classificationPortion "8(V)1" ;
        bf:source [ a bf:Source ; bf:code "bbk" ]
    ] ;
    # 100 ($e tác giả -> aut), 700 ($e chú giải -> ann; khảo đính has no relator code)
    bf:contribution [
        a bf:Contribution, bf:PrimaryContribution ;
        bf:agent agent:o2evs3dmlxm76m54 ;
        bf:role relators:aut
    ] , [
        a bf:Contribution ;
        bf:agent agent:umg4hvpqzphqgumy ;
        bf:role [ a bf:Role ; rdfs:label "khảo đính" ] , relators:ann
    ] ;
    schema:author agent:o2evs3dmlxm76m54 ;
    schema:contributor agent:umg4hvpqzphqgumy ;
    # 520 (a note: the cataloguing language, 040 $b vie)
    bf:summary [ a bf:Summary ; rdfs:label "Truyện thơ lục bát 3254 câu, kể về cuộc đời Thúy Kiều"@vi ] ;
    schema:description "Truyện thơ lục bát 3254 câu, kể về cuộc đời Thúy Kiều"@vi ;
    # 600, 650, 653, 655
    bf:subject agent:o2evs3dmlxm76m54, topic:6s6efsvy7jspygts, topic:aztakxjml2ucjktj,
        topic:dt7gg2hdemzw2u2j ;
    schema:about agent:o2evs3dmlxm76m54, topic:6s6efsvy7jspygts, topic:aztakxjml2ucjktj,
        topic:dt7gg2hdemzw2u2j ;
    bf:genreForm topic:nxrt7mx2zkhqmeh3 ;
    schema:genre topic:nxrt7mx2zkhqmeh3 .

instance:noasjhjed2ehynz2 a bf:Instance, bf:Print, schema:Book ;
    bf:instanceOf work:noasjhjed2ehynz2 ;
    schema:exampleOfWork work:noasjhjed2ehynz2 ;
    bf:issuance <http://id.loc.gov/vocabulary/issuance/mono> ;
    schema:inLanguage "vi" ;
    # 001, 003, 005, 008/00-05, 040 $a $b $c $e
    bf:adminMetadata [
        a bf:AdminMetadata ;
        bf:assigner library:TVHN ;
        bf:identifiedBy [
            a bf:Local ;
            rdf:value "TK2015001" ;
            bf:assigner library:TVHN ;
            bf:source [ a bf:Source ; bf:code "VN-TVHN" ]
        ] ;
        bf:changeDate "2024-01-15T10:30:00"^^xsd:dateTime ;
        bf:creationDate "2015-06-12"^^xsd:date ;
        bf:source orgs:vn-tvqg ;
        bf:agent orgs:vn-tvhn ;
        bf:descriptionLanguage languages:vie ;
        bf:descriptionConventions [ a bf:DescriptionConventions ; bf:code "AACR2" ]
    ] ;
    # 020 $a with hyphens and a qualifier in parentheses, $c terms of availability; 035
    bf:identifiedBy [
        a bf:Isbn ; rdf:value "9786049691232" ; bf:qualifier "bìa cứng" ; bf:acquisitionTerms "120000đ"
    ] , [ a bf:Local ; rdf:value "0012345" ; bf:source [ a bf:Source ; bf:code "VN-TVQG" ] ] ;
    schema:isbn "9786049691232" ;
    # 245 $a $b $c, 246
    bf:title [ a bf:Title ; bf:mainTitle "Truyện Kiều"@vi ; bf:subtitle "Đoạn trường tân thanh"@vi ] ,
        [ a bf:VariantTitle ; bf:mainTitle "Kim Vân Kiều"@vi ] ;
    rdfs:label "Truyện Kiều : Đoạn trường tân thanh"@vi ;
    schema:name "Truyện Kiều : Đoạn trường tân thanh"@vi ;
    bf:responsibilityStatement "Nguyễn Du ; Đào Duy Anh khảo đính, chú giải"@vi ;
    schema:author agent:o2evs3dmlxm76m54 ;
    schema:contributor agent:umg4hvpqzphqgumy ;
    # 250
    bf:editionStatement "Tái bản lần thứ 5"@vi ;
    schema:bookEdition "Tái bản lần thứ 5"@vi ;
    # 264 _1 ("[Hà Nội]" unbracketed), 264 _4, and 008/07-17
    bf:provisionActivity [
        a bf:ProvisionActivity, bf:Publication ;
        bflc:simplePlace "Hà Nội"@vi ;
        bf:place place:lcokqxwb3gu3tjqu ;
        bflc:simpleAgent "Văn học"@vi ;
        bf:agent agent:zlepd3uhz6xjwjv3 ;
        bflc:simpleDate "2015" ;
        bf:date "2015"^^edtf:edtf
    ] , [
        a bf:ProvisionActivity, bf:Publication ;
        bf:date "2015"^^edtf:edtf ;
        bf:place <http://id.loc.gov/vocabulary/countries/vm>
    ] ;
    bf:copyrightDate "©2015" ;
    schema:publisher agent:zlepd3uhz6xjwjv3 ;
    schema:locationCreated place:lcokqxwb3gu3tjqu ;
    schema:datePublished "2015" ;
    # 300: extent from $a, pages from "235 tr.", $b as a note, dimensions from $c
    bf:extent [ a bf:Extent ; rdfs:label "235 tr." ] ;
    schema:numberOfPages 235 ;
    bf:note "minh họa" ;
    bf:dimensions "21 cm" ;
    # 490
    bf:seriesStatement "Tủ sách Văn học cổ điển Việt Nam ; 5"@vi ;
    bf:seriesEnumeration "5"@vi ;
    bf:hasSeries series:noxfsur3woj6xoi2 ;
    schema:isPartOf series:noxfsur3woj6xoi2 ;
    # 500
    bf:note [ a bf:Note ; rdfs:label "Chữ Quốc ngữ, có đối chiếu chữ Nôm"@vi ] ;
    # 952 x2
    bf:hasItem item:nejeysh564kl2g3z, item:pgneyruxn5bkzgld .

orgs:vn-tvqg rdfs:label "VN-TVQG" .
orgs:vn-tvhn rdfs:label "VN-TVHN" .

# Agents (100 and 600 name the same person: one IRI; 600 _0 gives its LCSH source)
agent:o2evs3dmlxm76m54 a bf:Agent, bf:Person, schema:Person ;
    rdfs:label "Nguyễn, Du, 1765-1820" ;
    schema:name "Nguyễn, Du, 1765-1820" ;
    bf:source <http://id.loc.gov/vocabulary/subjectSchemes/lcsh> .

agent:umg4hvpqzphqgumy a bf:Agent, bf:Person, schema:Person ;
    rdfs:label "Đào, Duy Anh, 1904-1988" ;
    schema:name "Đào, Duy Anh, 1904-1988" .

# 264 $b publisher and $a place: headings, untagged
agent:zlepd3uhz6xjwjv3 a bf:Agent, schema:Organization ;
    rdfs:label "Văn học" ;
    schema:name "Văn học" .

place:lcokqxwb3gu3tjqu a bf:Place, schema:Place ;
    rdfs:label "Hà Nội" ;
    schema:name "Hà Nội" .

# 490: the series (a transcribed title: tagged)
series:noxfsur3woj6xoi2 a bf:Work, bf:Series, schema:CreativeWorkSeries ;
    rdfs:label "Tủ sách Văn học cổ điển Việt Nam"@vi ;
    schema:name "Tủ sách Văn học cổ điển Việt Nam"@vi .

# Topics and genre (653 "Truyện thơ" and 655 "Truyện thơ" are a Topic and a GenreForm: two IRIs)
topic:6s6efsvy7jspygts a bf:Topic, schema:DefinedTerm ;
    rdfs:label "Văn học trung đại--Việt Nam" ;
    schema:name "Văn học trung đại--Việt Nam" ;
    bf:source [ a bf:Source ; bf:code "Bộ TK TVQG" ] ;
    lodv:component topic:xto5v72vomjd4d4t, topic:nenpm5siaxc6vkhs .

topic:xto5v72vomjd4d4t a bf:Topic, schema:DefinedTerm ;
    rdfs:label "Văn học trung đại" ;
    schema:name "Văn học trung đại" .

topic:nenpm5siaxc6vkhs a bf:Place, schema:Place ;
    rdfs:label "Việt Nam" ;
    schema:name "Việt Nam" .

topic:aztakxjml2ucjktj a bf:Topic, schema:DefinedTerm ;
    rdfs:label "Truyện thơ" ;
    schema:name "Truyện thơ" .

topic:dt7gg2hdemzw2u2j a bf:Topic, schema:DefinedTerm ;
    rdfs:label "Lục bát" ;
    schema:name "Lục bát" .

topic:nxrt7mx2zkhqmeh3 a bf:GenreForm, schema:DefinedTerm ;
    rdfs:label "Truyện thơ" ;
    schema:name "Truyện thơ" ;
    bf:source [ a bf:Source ; bf:code "Bộ TK TVQG" ] .

# Items (Koha 952: $p barcode / ĐKCB, $o call number, $a/$b branch, $y item type as a note)
item:nejeysh564kl2g3z a bf:Item, schema:Thing ;
    bf:itemOf instance:noasjhjed2ehynz2 ;
    bf:heldBy library:TVHN ;
    schema:holdingArchive library:TVHN ;
    bf:identifiedBy [ a bf:Barcode ; rdf:value "VV.012345" ] ;
    schema:sku "VV.012345" ;
    bf:shelfMark [ a bf:ShelfMark ; rdfs:label "895.9221 NG-D" ] ;
    bf:physicalLocation "TVHN" ;
    bf:note [ a bf:Note ; rdfs:label "BK" ] ;
    rdfs:label "895.9221 NG-D (VV.012345)" .

item:pgneyruxn5bkzgld a bf:Item, schema:Thing ;
    bf:itemOf instance:noasjhjed2ehynz2 ;
    bf:heldBy library:TVHN ;
    schema:holdingArchive library:TVHN ;
    bf:identifiedBy [ a bf:Barcode ; rdf:value "VV.012346" ] ;
    schema:sku "VV.012346" ;
    bf:shelfMark [ a bf:ShelfMark ; rdfs:label "895.9221 NG-D" ] ;
    bf:physicalLocation "TVHN" ;
    bf:note [ a bf:Note ; rdfs:label "BK" ] ;
    rdfs:label "895.9221 NG-D (VV.012346)" .
"""


@pytest.fixture(scope="module")
def truyen_kieu() -> Record:
    (item,) = list(read_marc(DATA / "truyen-kieu.xml"))
    assert item.error is None and item.fixes == [] and item.record is not None
    return item.record


@pytest.fixture(scope="module")
def expected() -> Graph:
    result = Graph()
    result.parse(data=GOLDEN, format="turtle")
    return result


@pytest.fixture
def golden_ctx(minter: Minter) -> RecordContext:
    return RecordContext(minter, LIBRARY, "TK2015001")


def test_truyen_kieu_golden_graph(truyen_kieu: Record, expected: Graph, golden_ctx: RecordContext) -> None:
    """Leader to 952 of a whole Vietnamese record: the graph is exactly the hand-written one."""
    assert truyen_kieu["001"].data == golden_ctx.control_number
    assert_isomorphic(convert_record(truyen_kieu, golden_ctx), expected)


def _nfd(record: Record) -> Record:
    copy = Record(force_utf8=True)
    copy.leader = record.leader
    for f in record.fields:
        if f.is_control_field():
            copy.add_field(Field(tag=f.tag, data=unicodedata.normalize("NFD", f.data)))
        else:
            copy.add_field(
                Field(
                    tag=f.tag,
                    indicators=f.indicators,
                    subfields=[Subfield(s.code, unicodedata.normalize("NFD", s.value)) for s in f.subfields],
                )
            )
    return copy


def test_truyen_kieu_nfd_input_gives_the_same_nfc_graph(
    truyen_kieu: Record, expected: Graph, golden_ctx: RecordContext
) -> None:
    """Every field in NFD (as some exports write Vietnamese): same IRIs, every literal NFC."""
    decomposed = _nfd(truyen_kieu)
    assert decomposed["245"]["a"] != truyen_kieu["245"]["a"]
    triples = convert_record(decomposed, golden_ctx)
    assert all(unicodedata.is_normalized("NFC", value) for value in literals(triples))
    assert_isomorphic(triples, expected)


def test_truyen_kieu_field_order_does_not_matter(
    truyen_kieu: Record, expected: Graph, golden_ctx: RecordContext
) -> None:
    """Fields in reverse order (952s swapped too): the same graph, the same item IRIs."""
    reordered = Record(force_utf8=True)
    reordered.leader = truyen_kieu.leader
    for f in reversed(truyen_kieu.fields):
        reordered.add_field(f)
    assert [f.tag for f in reordered.get_fields("952")] == ["952", "952"]
    assert reordered.get_fields("952")[0]["p"] == "VV.012346"
    assert_isomorphic(convert_record(reordered, golden_ctx), expected)


def test_convert_record_depends_on_library_and_control_number(
    truyen_kieu: Record, minter: Minter, golden_ctx: RecordContext
) -> None:
    """The same record from another library is another Work, sharing agents and topics."""
    ours = graph(convert_record(truyen_kieu, golden_ctx))
    other_ctx = RecordContext(minter, "TVHCM", "TK2015001")
    theirs = graph(convert_record(truyen_kieu, other_ctx))
    subjects = {str(s) for s in ours.subjects()} & {str(s) for s in theirs.subjects()}
    assert golden_ctx.work.value not in {str(s) for s in theirs.subjects()}
    assert any("/resource/agent/" in s for s in subjects)
    assert any("/resource/topic/" in s for s in subjects)
    assert not any("/resource/work/" in s or "/resource/item/" in s for s in subjects)


def test_every_tag_module_is_registered() -> None:
    """Record-level modules (leader_008, f001_007) are RECORD_CONVERTERS; every tag module's FIELDS
    is in FIELD_CONVERTERS with its own function, no tag claimed twice."""
    modules = [
        importlib.import_module(f"{marc_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(marc_package.__path__)
    ]
    record_level = [m.convert for m in modules if hasattr(m, "convert") and not hasattr(m, "FIELDS")]
    assert sorted(RECORD_CONVERTERS, key=id) == sorted(record_level, key=id)
    assert len(RECORD_CONVERTERS) == len(set(RECORD_CONVERTERS)) == 2
    field_modules = [m for m in modules if hasattr(m, "FIELDS")]
    assert len(field_modules) == 11
    assert all(hasattr(m, "convert") for m in field_modules)
    for module in field_modules:
        for tag, function in module.FIELDS.items():
            assert FIELD_CONVERTERS[tag] is function, f"{module.__name__} {tag}"
    assert len(FIELD_CONVERTERS) == sum(len(m.FIELDS) for m in field_modules)
