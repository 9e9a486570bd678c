"""converters/marc/leader_008.py: Work and Instance classes, issuance, language, date."""

from __future__ import annotations

from typing import Any

import pytest
from marcrdf import assert_isomorphic, objects, record, values
from pyoxigraph import NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record, leader_008
from lod.triples import Triple
from lod.vocab import BF, EDTF, ID_AUDIENCE, ID_COUNTRIES, ID_ISSUANCE, ID_LANGUAGES, RDF, SCHEMA

# 008 of a Vietnamese printed book: entered 2015-06-12, published 2015 in Vietnam, poetry,
# in Vietnamese.
BOOK_008 = "150612s2015    vm            000 p vie d"


def leader(record_type: str = "a", level: str = "m") -> str:
    return f"00000n{record_type}{level} a2200000 a 4500"


def with_008(value: str, at: int, code: str) -> str:
    return value[:at] + code + value[at + len(code) :]


def test_leader_008_book_full_graph(ctx: RecordContext) -> None:
    """leader/06 a, leader/07 m, 008/35-37 vie: a Text Work and a printed Book Instance."""
    assert len(BOOK_008) == 40
    triples = list(leader_008.convert(record(f"008 {BOOK_008}", leader=leader("a", "m")), ctx))
    assert_isomorphic(
        triples,
        f"""
        {ctx.work} a bf:Work, bf:Text ;
            bf:hasInstance {ctx.instance} ;
            bf:language languages:vie .
        {ctx.instance} a bf:Instance, bf:Print ;
            bf:instanceOf {ctx.work} ;
            bf:issuance issuance:mono ;
            bf:provisionActivity [
                a bf:ProvisionActivity, bf:Publication ;
                bf:date "2015"^^edtf:edtf ;
                bf:place <http://id.loc.gov/vocabulary/countries/vm>
            ] .
    """,
    )


def test_leader_008_book_schema_view(ctx: RecordContext) -> None:
    """The schema.org view of the same record (derived in converters/schemaorg.py): a Book
    published in 2015, in Vietnamese."""
    triples = convert_record(record(f"008 {BOOK_008}", leader=leader("a", "m")), ctx)
    assert values(triples, ctx.work, RDF.type) == {BF.Work.value, BF.Text.value, SCHEMA.CreativeWork.value}
    assert values(triples, ctx.work, SCHEMA.workExample) == {ctx.instance.value}
    assert values(triples, ctx.work, SCHEMA.inLanguage) == {"vi"}
    assert values(triples, ctx.instance, RDF.type) == {BF.Instance.value, BF.Print.value, SCHEMA.Book.value}
    assert values(triples, ctx.instance, SCHEMA.exampleOfWork) == {ctx.work.value}
    assert values(triples, ctx.instance, SCHEMA.datePublished) == {"2015"}
    assert values(triples, ctx.instance, SCHEMA.inLanguage) == {"vi"}


def test_leader_008_emits_no_schema_org(ctx: RecordContext) -> None:
    """leader_008.convert gives BIBFRAME only: schema.org comes from the schema view."""
    triples = list(leader_008.convert(record(f"008 {BOOK_008}", leader=leader("a", "s")), ctx))
    assert triples
    schema_org = "http://schema.org/"
    assert [p for _, p, _ in triples if p.value.startswith(schema_org)] == []
    assert [o for _, _, o in triples if isinstance(o, NamedNode) and o.value.startswith(schema_org)] == []


@pytest.mark.parametrize(
    ("code", "work_class", "instance_class", "schema_class"),
    [
        pytest.param("a", BF.Text, BF.Print, SCHEMA.Book, id="leader/06 a: language material"),
        pytest.param("t", BF.Text, BF.Manuscript, SCHEMA.Book, id="leader/06 t: manuscript text"),
        pytest.param(
            "c", BF.NotatedMusic, BF.Print, SCHEMA.MusicComposition, id="leader/06 c: notated music"
        ),
        pytest.param(
            "d", BF.NotatedMusic, BF.Manuscript, SCHEMA.MusicComposition, id="leader/06 d: manuscript music"
        ),
        pytest.param("e", BF.Cartography, BF.Print, SCHEMA.Map, id="leader/06 e: map"),
        pytest.param("f", BF.Cartography, BF.Manuscript, SCHEMA.Map, id="leader/06 f: manuscript map"),
        pytest.param("g", BF.MovingImage, BF.Instance, SCHEMA.VideoObject, id="leader/06 g: video"),
        pytest.param(
            "i", BF.NonMusicAudio, BF.Instance, SCHEMA.CreativeWork, id="leader/06 i: nonmusical sound"
        ),
        pytest.param("j", BF.MusicAudio, BF.Instance, SCHEMA.MusicRecording, id="leader/06 j: musical sound"),
        pytest.param("k", BF.StillImage, BF.Instance, SCHEMA.VisualArtwork, id="leader/06 k: still image"),
        pytest.param("m", BF.Multimedia, BF.Instance, SCHEMA.CreativeWork, id="leader/06 m: computer file"),
        pytest.param("o", BF.Kit, BF.Instance, SCHEMA.CreativeWork, id="leader/06 o: kit"),
        pytest.param("p", BF.MixedMaterial, BF.Print, SCHEMA.CreativeWork, id="leader/06 p: mixed materials"),
        pytest.param("r", BF.Object, BF.Instance, SCHEMA.CreativeWork, id="leader/06 r: object"),
        pytest.param(
            "b", BF.Text, BF.Instance, SCHEMA.Book, id="leader/06 unknown (b, obsolete): Text, so a Book"
        ),
    ],
)
def test_leader_06_type_of_record(
    ctx: RecordContext, code: str, work_class: NamedNode, instance_class: NamedNode, schema_class: NamedNode
) -> None:
    triples = list(leader_008.convert(record(f"008 {BOOK_008}", leader=leader(code)), ctx))
    assert values(triples, ctx.work, RDF.type) == {BF.Work.value, work_class.value}
    assert values(triples, ctx.instance, RDF.type) == {BF.Instance.value, instance_class.value}
    viewed = convert_record(record(f"008 {BOOK_008}", leader=leader(code)), ctx)
    assert values(viewed, ctx.work, RDF.type) == {BF.Work.value, work_class.value, SCHEMA.CreativeWork.value}
    assert values(viewed, ctx.instance, RDF.type) == {
        BF.Instance.value,
        instance_class.value,
        schema_class.value,
    }


@pytest.mark.parametrize(
    ("level", "schema_class", "issuance"),
    [
        pytest.param("m", SCHEMA.Book, "mono", id="leader/07 m: monograph is a schema:Book"),
        pytest.param("s", SCHEMA.Periodical, "serl", id="leader/07 s: serial is a Periodical"),
        pytest.param("b", SCHEMA.Periodical, "serl", id="leader/07 b: serial component part"),
        pytest.param("i", SCHEMA.Periodical, "intg", id="leader/07 i: integrating resource"),
        pytest.param("a", SCHEMA.Book, "mono", id="leader/07 a: monographic component part"),
    ],
)
def test_leader_07_serial_vs_book(
    ctx: RecordContext, level: str, schema_class: NamedNode, issuance: str
) -> None:
    triples = list(leader_008.convert(record(f"008 {BOOK_008}", leader=leader("a", level)), ctx))
    assert values(triples, ctx.instance, BF.issuance) == {ID_ISSUANCE + issuance}
    serial = schema_class == SCHEMA.Periodical
    assert (BF.Serial.value in values(triples, ctx.instance, RDF.type)) is serial
    viewed = convert_record(record(f"008 {BOOK_008}", leader=leader("a", level)), ctx)
    schema_types = {t for t in values(viewed, ctx.instance, RDF.type) if t.startswith("http://schema.org/")}
    assert schema_types == {schema_class.value}


def test_leader_07_serial_map_is_a_serial_cartography(ctx: RecordContext) -> None:
    """leader/06 e + leader/07 s: a map series is a Cartography Work with a bf:Serial Instance;
    the schema view, which types every bf:Serial a schema:Periodical, makes it one."""
    triples = list(leader_008.convert(record(f"008 {BOOK_008}", leader=leader("e", "s")), ctx))
    assert BF.Cartography.value in values(triples, ctx.work, RDF.type)
    assert BF.Serial.value in values(triples, ctx.instance, RDF.type)
    viewed = convert_record(record(f"008 {BOOK_008}", leader=leader("e", "s")), ctx)
    schema_types = {t for t in values(viewed, ctx.instance, RDF.type) if t.startswith("http://schema.org/")}
    assert schema_types == {SCHEMA.Periodical.value}


@pytest.mark.parametrize("level", [pytest.param(c, id=f"leader/07 {c}") for c in "abcdims"])
def test_leader_07_issuance_only_from_the_lc_vocabulary(ctx: RecordContext, level: str) -> None:
    """leader/07: bf:issuance points only at terms of id.loc.gov/vocabulary/issuance."""
    triples = list(leader_008.convert(record(f"008 {BOOK_008}", leader=leader("a", level)), ctx))
    issued = values(triples, ctx.instance, BF.issuance)
    assert issued <= {ID_ISSUANCE + code for code in ("mono", "mulm", "serl", "intg")}


@pytest.mark.parametrize(
    ("record_type", "position", "form", "electronic"),
    [
        pytest.param("a", 23, "o", True, id="008/23 o: online book is bf:Electronic"),
        pytest.param("a", 23, "s", True, id="008/23 s: electronic book"),
        pytest.param("a", 23, "q", True, id="008/23 q: direct electronic"),
        pytest.param("a", 23, "r", False, id="008/23 r: regular print reproduction is print"),
        pytest.param("a", 29, "o", False, id="008/29 is not the form of a book"),
        pytest.param("e", 29, "o", True, id="008/29 o: online map is bf:Electronic"),
        pytest.param("e", 23, "o", False, id="008/23 is not the form of a map"),
        pytest.param("g", 29, "o", True, id="008/29 o: online video is bf:Electronic"),
    ],
)
def test_008_form_of_item_electronic(
    ctx: RecordContext, record_type: str, position: int, form: str, electronic: bool
) -> None:
    fixed = with_008(BOOK_008, position, form)
    triples = list(leader_008.convert(record(f"008 {fixed}", leader=leader(record_type)), ctx))
    types = values(triples, ctx.instance, RDF.type)
    assert (BF.Electronic.value in types) is electronic
    if electronic:
        assert BF.Print.value not in types


@pytest.mark.parametrize(
    ("code", "bcp47"),
    [
        pytest.param("vie", "vi", id="008/35-37 vie -> vi"),
        pytest.param("eng", "en", id="008/35-37 eng -> en"),
        pytest.param("fre", "fr", id="008/35-37 fre -> fr (bibliographic code)"),
        pytest.param("chi", "zh", id="008/35-37 chi -> zh (Hán Nôm sources)"),
        pytest.param("tay", "tay", id="008/35-37 tay (Tày) has no 2-letter code: kept"),
        pytest.param("VIE", "vi", id="008/35-37 upper case folded"),
    ],
)
def test_008_language(ctx: RecordContext, code: str, bcp47: str) -> None:
    marc = record(f"008 {with_008(BOOK_008, 35, code)}")
    triples = list(leader_008.convert(marc, ctx))
    assert values(triples, ctx.work, BF.language) == {ID_LANGUAGES + code.lower()}
    assert objects(triples, ctx.work, SCHEMA.inLanguage) == []
    assert leader_008.record_language(marc) == bcp47
    viewed = convert_record(marc, ctx)
    assert values(viewed, ctx.work, SCHEMA.inLanguage) == {bcp47}


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("und", id="008/35-37 und: undetermined"),
        pytest.param("zxx", id="008/35-37 zxx: no linguistic content"),
        pytest.param("mul", id="008/35-37 mul: multiple (041 says which)"),
        pytest.param("   ", id="008/35-37 blank"),
        pytest.param("|||", id="008/35-37 fill characters"),
        pytest.param("v1e", id="008/35-37 not letters"),
    ],
)
def test_008_language_not_a_language(ctx: RecordContext, code: str) -> None:
    marc = record(f"008 {with_008(BOOK_008, 35, code)}")
    triples = list(leader_008.convert(marc, ctx))
    assert objects(triples, ctx.work, BF.language) == []
    assert leader_008.record_language(marc) is None
    assert objects(convert_record(marc, ctx), ctx.work, SCHEMA.inLanguage) == []


def publications(triples: list[Triple], ctx: RecordContext) -> list[Any]:
    return [
        node
        for node in objects(triples, ctx.instance, BF.provisionActivity)
        if BF.Publication.value in values(triples, node, RDF.type)
    ]


@pytest.mark.parametrize(
    ("dates", "edtf", "published"),
    [
        pytest.param("s2015    ", "2015", "2015", id="008/06-10 s2015: single date"),
        pytest.param("r20151998", "2015", "2015", id="008/06-10 r: reprint date first"),
        pytest.param("m19522005", "1952/2005", "1952/2005", id="008/06-14 m: a range"),
        pytest.param("m19521954", "1952/1954", "1952/1954", id="008/06-14 m 1952/1954"),
        pytest.param("s19uu    ", "19XX", "19XX", id="008/07-10 19uu: partly unknown is 19XX"),
        pytest.param("n        ", None, None, id="008/06 n: dates unknown"),
        pytest.param("b        ", None, None, id="008/06 b: no dates, B.C."),
        pytest.param("|2015    ", None, None, id="008/06 |: not coded"),
    ],
)
def test_008_dates_as_publication_date(
    ctx: RecordContext, dates: str, edtf: str | None, published: str | None
) -> None:
    """008/06-14: the date of the bf:Publication, typed EDTF; the schema view's datePublished."""
    marc = record(f"008 {with_008(BOOK_008, 6, dates)}")
    triples = list(leader_008.convert(marc, ctx))
    (publication,) = publications(triples, ctx)  # 008/15-17 vm: a place even without a date
    dated = objects(triples, publication, BF.date)
    assert [d.value for d in dated] == ([edtf] if edtf else [])
    assert all(d.datatype == NamedNode(EDTF) for d in dated)
    viewed = convert_record(marc, ctx)
    assert values(viewed, ctx.instance, SCHEMA.datePublished) == ({published} if published else set())


def test_008_one_publication_with_date_and_country(ctx: RecordContext) -> None:
    """008/07-14 and 008/15-17 are one bf:Publication, not two activities."""
    triples = list(leader_008.convert(record(f"008 {BOOK_008}"), ctx))
    (publication,) = objects(triples, ctx.instance, BF.provisionActivity)
    assert values(triples, publication, RDF.type) == {BF.ProvisionActivity.value, BF.Publication.value}
    assert values(triples, publication, BF.date) == {"2015"}
    assert values(triples, publication, BF.place) == {ID_COUNTRIES + "vm"}


@pytest.mark.parametrize(
    ("country", "place"),
    [
        pytest.param("vm ", "vm", id="008/15-17 vm: Vietnam"),
        pytest.param("nyu", "nyu", id="008/15-17 nyu: three-letter code"),
        pytest.param("xx ", None, id="008/15-17 xx: no place"),
        pytest.param("   ", None, id="008/15-17 blank"),
        pytest.param("|||", None, id="008/15-17 fill characters"),
    ],
)
def test_008_country_as_publication_place(ctx: RecordContext, country: str, place: str | None) -> None:
    triples = list(leader_008.convert(record(f"008 {with_008(BOOK_008, 15, country)}"), ctx))
    (publication,) = publications(triples, ctx)  # 008/07-10 2015: a date in any case
    assert values(triples, publication, BF.place) == ({ID_COUNTRIES + place} if place else set())


def test_008_no_date_no_country_no_publication(ctx: RecordContext) -> None:
    fixed = with_008(with_008(BOOK_008, 6, "n        "), 15, "xx ")
    triples = list(leader_008.convert(record(f"008 {fixed}"), ctx))
    assert objects(triples, ctx.instance, BF.provisionActivity) == []


@pytest.mark.parametrize(
    ("record_type", "code", "audience"),
    [
        pytest.param("a", "j", "juv", id="008/22 j: juvenile"),
        pytest.param("a", "e", "adu", id="008/22 e: adult"),
        pytest.param("a", "a", "pre", id="008/22 a: preschool"),
        pytest.param("a", "g", "gen", id="008/22 g: general"),
        pytest.param("a", " ", None, id="008/22 blank: unknown"),
        pytest.param("a", "|", None, id="008/22 fill character"),
        pytest.param("e", "j", None, id="008/22 of a map is not an audience"),
    ],
)
def test_008_22_intended_audience(
    ctx: RecordContext, record_type: str, code: str, audience: str | None
) -> None:
    fixed = with_008(BOOK_008, 22, code)
    triples = list(leader_008.convert(record(f"008 {fixed}", leader=leader(record_type)), ctx))
    expected = {ID_AUDIENCE + audience} if audience else set()
    assert values(triples, ctx.work, BF.intendedAudience) == expected


@pytest.mark.parametrize("form", [pytest.param(c, id=f"008/23 {c}: microform") for c in "abc"])
def test_008_23_microform_is_neither_print_nor_electronic(ctx: RecordContext, form: str) -> None:
    triples = list(leader_008.convert(record(f"008 {with_008(BOOK_008, 23, form)}"), ctx))
    assert values(triples, ctx.instance, RDF.type) == {BF.Instance.value}


def test_leader_without_008(ctx: RecordContext) -> None:
    """No 008: the classes still come from the leader, and no language or date is invented."""
    triples = list(leader_008.convert(record(leader=leader("a", "m")), ctx))
    assert_isomorphic(
        triples,
        f"""
        {ctx.work} a bf:Work, bf:Text ; bf:hasInstance {ctx.instance} .
        {ctx.instance} a bf:Instance, bf:Print ;
            bf:instanceOf {ctx.work} ;
            bf:issuance issuance:mono .
    """,
    )


def test_leader_short_008_is_not_an_error(ctx: RecordContext) -> None:
    """A truncated 008 (broken exports) yields what it has: the publication date, no language."""
    triples = list(leader_008.convert(record("008 150612s2015"), ctx))
    (publication,) = publications(triples, ctx)
    assert values(triples, publication, BF.date) == {"2015"}
    assert objects(triples, ctx.work, BF.language) == []
