"""lod.libraries over a real store: the registry fixture, the Vietnamese sample held by Thư viện Hà
Nội (VN-TEST1), and the Koha sample under a code the registry does not know (a placeholder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, QuerySolutions, Variable

from lod import libraries
from lod.ingest import ingest_file
from lod.libraries import distance_km, library_detail, list_libraries, lookup, near, sort_key, suggest
from lod.registry import ingest_registry
from lod.store import OxigraphStore
from lod.uris import Minter
from tests.conftest import ROOT, SAMPLE

REGISTRY = ROOT / "tests" / "data" / "registry" / "libraries.csv"
PLACEHOLDER = "DEMO-VN2"
EXTRA = (
    "id,name,type,wikidata,province_code,latitude,longitude\n"
    "tv-hl,Thư viện Hạ Long (thử),public,Q987654321,22,20.9510,107.0800\n"
)
"""One more library, with a Wikidata id (the fixture file has none) and another 'Ha' name."""
REGISTERED = [
    "Phòng đọc thiếu nhi (thử)",
    "Thư viện Hạ Long (thử)",
    "Thư viện Hà Nội",
    "Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh",
    "Thư viện Quốc gia Việt Nam",
    "Thư viện Tạ Quang Bửu",
    "Thư viện tỉnh Tuyên Quang (thử)",
]
"""In Vietnamese dictionary order: letters decide before tones, so 'Hạ Long' < 'Hà Nội' (l < n)."""


def build_store(minter: Minter, tmp: Path) -> OxigraphStore:
    store = OxigraphStore.open(None)
    extra = tmp / "extra.csv"
    extra.write_text(EXTRA, encoding="utf-8")
    for path in (REGISTRY, extra):
        report = ingest_registry(store, path, minter)
        assert not report.errors
    assert ingest_file(store, SAMPLE / "vietnamese.xml", "VN-TEST1", minter).loaded > 0
    assert ingest_file(store, SAMPLE / "vietnamese-koha.mrc", PLACEHOLDER, minter).loaded > 0
    return store


@pytest.fixture(scope="module")
def registry_store(minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    return build_store(minter, tmp_path_factory.mktemp("registry"))


COUNTS = """
PREFIX bf: <http://id.loc.gov/ontologies/bibframe/>
SELECT ?library
       (COUNT(DISTINCT ?record) AS ?records) (COUNT(DISTINCT ?item) AS ?items)
WHERE {
  { ?record a bf:Instance ; bf:adminMetadata ?admin . ?admin bf:assigner ?library . }
  UNION
  { ?item a bf:Item ; bf:heldBy ?library . }
}
GROUP BY ?library
"""
"""Written apart from lod/queries, to check the library counts."""


def counts(store: OxigraphStore, library: NamedNode) -> tuple[int, int]:
    rows = store.query(COUNTS, substitutions={Variable("library"): library})
    assert isinstance(rows, QuerySolutions)
    row = next(rows, None)
    return (int(row["records"].value), int(row["items"].value)) if row is not None else (0, 0)


# list ------------------------------------------------------------------------------------------
def test_list_has_registered_libraries_in_vietnamese_order(registry_store, minter) -> None:
    found = list_libraries(registry_store, minter)
    assert [s.name for s in found] == REGISTERED
    assert all(s.registered for s in found)
    assert PLACEHOLDER not in {s.key for s in found}


def test_list_counts_records_and_items(registry_store, minter) -> None:
    by_key = {s.key: s for s in list_libraries(registry_store, minter)}
    hanoi = by_key["VN-TEST1"]
    records, items = counts(registry_store, minter.library("VN-TEST1"))
    assert (hanoi.records, hanoi.items) == (records, items)
    assert records == 12 and items > 0
    assert all((s.records, s.items) == (0, 0) for key, s in by_key.items() if key != "VN-TEST1")


def test_list_summary_fields(registry_store, minter) -> None:
    hanoi = next(s for s in list_libraries(registry_store, minter) if s.key == "VN-TEST1")
    assert hanoi.iri == minter.library("VN-TEST1").value
    assert (hanoi.registry_id, hanoi.isil) == ("tv-hn", "VN-TEST1")
    assert hanoi.type is not None and hanoi.type.code == "public"
    assert (hanoi.province_code, hanoi.province_name) == ("01", "Thành phố Hà Nội")
    assert (hanoi.latitude, hanoi.longitude) == (21.019, 105.85)
    without_isil = next(s for s in list_libraries(registry_store, minter) if s.registry_id == "tv-qg")
    assert without_isil.key == "x-tv-qg"


@pytest.mark.parametrize(
    ("type_", "province", "expected"),
    [
        ("academic", None, ["Thư viện Tạ Quang Bửu"]),
        ("national", "01", ["Thư viện Quốc gia Việt Nam"]),
        (None, "79", ["Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh"]),
        (None, "08", ["Thư viện tỉnh Tuyên Quang (thử)"]),
        (None, "02", ["Thư viện tỉnh Tuyên Quang (thử)"]),  # former Hà Giang, now in Tuyên Quang
        ("academic", "79", []),
    ],
)
def test_list_filters(registry_store, minter, type_, province, expected) -> None:
    assert [s.name for s in list_libraries(registry_store, minter, type_, province)] == expected


@pytest.mark.parametrize(("type_", "province"), [("bogus", None), (None, "99"), (None, "x")])
def test_list_refuses_unknown_codes(registry_store, minter, type_, province) -> None:
    with pytest.raises(ValueError):
        list_libraries(registry_store, minter, type_, province)


# detail ----------------------------------------------------------------------------------------
def test_detail_of_a_registered_library(registry_store, minter) -> None:
    d = library_detail(registry_store, minter, minter.library("VN-TEST1"))
    assert d is not None and d.summary.registered
    assert d.summary.name == "Thư viện Hà Nội" and d.name_en == "Hanoi Library"
    assert d.ownership is not None and d.ownership.code == "public"
    assert [c.code for c in d.services] == ["children", "lending"]
    assert (d.street, d.summary.province_name) == ("47 Bà Triệu", "Thành phố Hà Nội")
    assert (d.email, d.phone, d.collection_size, d.founded) == (
        "info@example.vn", "+84 24 0000 0000", 123456, "1956"
    )  # fmt: skip
    schemes = {i.scheme: i for i in d.identifiers}
    assert schemes["ISIL"].value == "VN-TEST1" and schemes["registry"].value == "tv-hn"
    assert (schemes["egov"].value, schemes["egov"].valid_from) == ("000.00.00.H26", "2020-09-15")
    assert [s.name for s in d.sub_organisations] == ["Phòng đọc thiếu nhi (thử)"]
    assert d.parent is None
    assert (d.summary.records, d.summary.items) == counts(registry_store, minter.library("VN-TEST1"))


def test_detail_parent_library_and_parent_organisation(registry_store, minter) -> None:
    child = library_detail(registry_store, minter, minter.library("x-tv-hn-nhi"))
    assert child is not None and child.parent is not None
    assert (child.parent.iri, child.parent.name) == (minter.library("VN-TEST1").value, "Thư viện Hà Nội")
    faculty = library_detail(registry_store, minter, minter.library("x-tv-bk"))
    assert faculty is not None and faculty.parent is None
    assert faculty.parent_name == "Đại học Bách khoa Hà Nội"


def test_detail_of_a_placeholder(registry_store, minter) -> None:
    d = library_detail(registry_store, minter, minter.library(PLACEHOLDER))
    assert d is not None and not d.summary.registered
    assert d.summary.key == PLACEHOLDER
    records, items = counts(registry_store, minter.library(PLACEHOLDER))
    assert (d.summary.records, d.summary.items) == (records, items) and records > 0


def test_detail_of_something_else_is_none(registry_store, minter) -> None:
    instance = minter.instance(minter.record_id("VN-TEST1", "TVD240000101"))
    assert registry_store.exists(instance)
    assert library_detail(registry_store, minter, instance) is None
    assert library_detail(registry_store, minter, minter.library("NOPE")) is None


# lookup ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("VN-TEST1", "VN-TEST1"),  # ISIL
        ("vn-test1", "VN-TEST1"),  # ISIL typed in lower case
        ("tv-hn", "VN-TEST1"),  # registry id
        ("000.00.00.H26", "VN-TEST1"),  # e-government code
        ("Q987654321", "x-tv-hl"),  # Wikidata QID
        ("q987654321", "x-tv-hl"),
        ("http://www.wikidata.org/entity/Q987654321", "x-tv-hl"),
        ("x-tv-qg", "x-tv-qg"),  # pseudo-ISIL
        ("tv-qg", "x-tv-qg"),
        (" VN-TEST1 ", "VN-TEST1"),
        (PLACEHOLDER, PLACEHOLDER),  # a placeholder's code
    ],
)
def test_lookup_by_any_identifier(registry_store, minter, value, key) -> None:
    found = lookup(registry_store, minter, value)
    assert [s.key for s in found] == [key]
    assert found[0].records is not None


@pytest.mark.parametrize("value", ["", "nope", "VN-NOPE", "a b<c>", "Q1", "Thư viện Hà Nội"])
def test_lookup_finds_nothing(registry_store, minter, value) -> None:
    assert lookup(registry_store, minter, value) == []


# suggest ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prefix", "name"),
    [
        ("thu vien ha", "Thư viện Hà Nội"),  # no diacritics
        ("THƯ VIỆN HÀ", "Thư viện Hà Nội"),
        ("thư viện hạ", "Thư viện Hạ Long (thử)"),
        ("ha noi", "Thư viện Hà Nội"),  # any word start
        ("hanoi", "Thư viện Hà Nội"),  # the English name
        ("tạ q", "Thư viện Tạ Quang Bửu"),
        ("tvqg", "Thư viện Quốc gia Việt Nam"),  # the short name
        ("  Chí   Minh ", "Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh"),
    ],
)
def test_suggest_by_word_prefix(registry_store, prefix, name) -> None:
    assert name in [s.name for s in suggest(registry_store, prefix)]


def test_suggest_ranks_diacritics_as_typed_first(registry_store) -> None:
    assert [s.name for s in suggest(registry_store, "hà")] == ["Thư viện Hà Nội", "Thư viện Hạ Long (thử)"]
    assert [s.name for s in suggest(registry_store, "hạ")] == ["Thư viện Hạ Long (thử)", "Thư viện Hà Nội"]


@pytest.mark.parametrize("prefix", ["", "   ", "uang", "viện hà nội x", "DEMO"])
def test_suggest_needs_a_word_start(registry_store, prefix) -> None:
    assert suggest(registry_store, prefix) == []


def test_suggest_limit_and_registered_only(registry_store) -> None:
    assert len(suggest(registry_store, "thu", limit=3)) == 3
    assert len(suggest(registry_store, "thu")) == 7  # 'Phòng đọc thiếu nhi (thử)' too
    assert suggest(registry_store, "thu", limit=0) == []
    assert "Thư viện mẫu 2" not in {s.name for s in suggest(registry_store, "thu vien mau")}


# near ------------------------------------------------------------------------------------------
BA_TRIEU = (21.0195, 105.8505)


def test_near_sorted_by_distance(registry_store, minter) -> None:
    found = near(registry_store, minter, *BA_TRIEU, 5)
    assert [s.name for s, _ in found] == [
        "Thư viện Hà Nội",
        "Thư viện Quốc gia Việt Nam",
        "Thư viện Tạ Quang Bửu",
    ]
    distances = [d for _, d in found]
    assert distances == sorted(distances) and distances[-1] <= 5
    hanoi = found[0][0]
    assert distances[0] == pytest.approx(distance_km(*BA_TRIEU, 21.019, 105.85))
    assert (hanoi.records, hanoi.items) == counts(registry_store, NamedNode(hanoi.iri))


def test_near_radius(registry_store, minter) -> None:
    assert near(registry_store, minter, *BA_TRIEU, 0) == []
    everywhere = near(registry_store, minter, *BA_TRIEU, libraries.MAX_KM * 4)
    assert [s.name for s, _ in everywhere][-1] == "Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh"
    assert len(everywhere) == 5  # those with coordinates


def test_haversine() -> None:
    assert distance_km(21.0285, 105.8542, 21.0285, 105.8542) == 0
    assert distance_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.001)  # one degree of meridian
    assert distance_km(21.0285, 105.8542, 10.7769, 106.7009) == pytest.approx(1140, abs=10)
    assert distance_km(0, 0, 0, 180) == pytest.approx(20015.1, abs=1)


# Vietnamese order ------------------------------------------------------------------------------
def test_sort_key_follows_the_vietnamese_alphabet_then_tones() -> None:
    words = ["đa", "Dê", "da", "ca", "ăn", "an", "ân", "ơ", "ô", "o", "ư", "u"]
    assert sorted(words, key=sort_key) == ["an", "ăn", "ân", "ca", "da", "Dê", "đa", "o", "ô", "ơ", "u", "ư"]
    tones = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(tones, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(["Hạ Long", "Hà Nội"], key=sort_key) == ["Hạ Long", "Hà Nội"]
