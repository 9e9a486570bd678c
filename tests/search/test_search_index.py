"""The search index against a real store: a table of Vietnamese queries with and without diacritics,
old and new tone placement, đ, word order, fields and ISBN forms, asserting the hits and their
order; facets and filters; autocomplete; new arrivals; and keeping in step with the store.

The index is built from a real pyoxigraph store holding the registry fixture, the Vietnamese sample
(data/sample/vietnamese.xml, sent by Thư viện Hà Nội, VN-TEST1) and the hand-made search fixture
(tests/data/search/search.xml, sent by the Hồ Chí Minh City library, x-tv-hcm); the ISBN-13 record
of the fixture is also sent by Hà Nội, so the union catalogue merges its two copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from lod.ingest import ingest_file
from lod.registry import ingest_registry
from lod.search import ranking
from lod.search import sqlite as sqlite_index
from lod.search.sqlite import SqliteIndex, facet_counts
from lod.store import OxigraphStore
from lod.unions import recluster
from lod.uris import Minter
from tests.conftest import SAMPLE
from tests.data.search.make_search_fixture import RECORDS, record
from tests.test_libraries import REGISTRY

FIXTURE = Path(__file__).parent.parent / "data" / "search" / "search.xml"
HANOI, HCM = "VN-TEST1", "x-tv-hcm"


def write_collection(path: Path, controls: set[str]) -> Path:
    body = "".join(record(*r) for r in RECORDS if r[0] in controls)
    path.write_text(
        f'<collection xmlns="http://www.loc.gov/MARC21/slim">{body}</collection>', encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def search_store(minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    store = OxigraphStore.open(None)
    assert not ingest_registry(store, REGISTRY, minter).errors
    assert ingest_file(store, SAMPLE / "vietnamese.xml", HANOI, minter).loaded == 12
    assert ingest_file(store, FIXTURE, HCM, minter).loaded == len(RECORDS)
    copy = write_collection(tmp_path_factory.mktemp("search") / "copy.xml", {"TK-S007"})
    assert ingest_file(store, copy, HANOI, minter).loaded == 1
    recluster(store, minter)
    return store


@pytest.fixture(scope="module")
def index(search_store: OxigraphStore, minter: Minter) -> SqliteIndex:
    found = SqliteIndex(None)
    report = found.sync(search_store, minter)
    assert report.indexed == 12 + len(RECORDS) + 1
    return found


def titles(index: SqliteIndex, query: str, **options: object) -> list[str]:
    return [hit.title for hit in index.search(query, **options).hits]  # type: ignore[arg-type]


KIEU = "Truyện Kiều"
NHAT_ANH = {"Cho tôi xin một vé đi tuổi thơ : truyện", "Tôi thấy hoa vàng trên cỏ xanh : truyện"}

QUERIES: list[tuple[str, list[str]]] = [
    # (query, the titles expected first, in this order)
    ("truyen kieu", [KIEU]),
    ("Truyện Kiều", [KIEU]),
    ("TRUYỆN KIỀU", [KIEU]),
    ("kieu truyen", [KIEU]),  # word order
    ("nguyen du truyen kieu", [KIEU]),  # author and title words together
    ("Đoạn trường tân thanh", [KIEU]),  # a variant title (246)
    ("doan truong tan thanh", [KIEU]),
    ("Má", ["Má tôi : hồi ký"]),  # as typed first ...
    ("Mà", ["Mà thôi : thơ"]),
    ("ma lang", ["Ma làng : truyện ngắn"]),
    ("hòa bình", ["Hoà bình và phát triển"]),  # new tone placement finds the old one
    ("hoà bình", ["Hoà bình và phát triển"]),
    ("hoa binh", ["Hoà bình và phát triển"]),
    ("sức khoẻ", ["Sức khỏe gia đình : cẩm nang"]),  # old finds new
    ("suc khoe gia dinh", ["Sức khỏe gia đình : cẩm nang"]),
    ("do duc dat", ["Đường về quê : tiểu thuyết"]),  # đ folds to d
    ("Đỗ Đức Đạt", ["Đường về quê : tiểu thuyết"]),
    ("duong ve que", ["Đường về quê : tiểu thuyết"]),
    ("DUONG VE QUE", ["Đường về quê : tiểu thuyết"]),
    ("isbn:978-604-957-123-7", ["Lịch sử Việt Nam : từ nguồn gốc đến năm 1858"]),
    ("9786049571237", ["Lịch sử Việt Nam : từ nguồn gốc đến năm 1858"]),
    ("978 604 957 123 7", ["Lịch sử Việt Nam : từ nguồn gốc đến năm 1858"]),
    ("0-306-40615-2", ["Mathematics for engineers"]),  # ISBN-10 as printed
    ("9780306406157", ["Mathematics for engineers"]),  # ... and its ISBN-13
    ("isbn:978-0-306-40615-7", ["Mathematics for engineers"]),
    ('title:"tôi thấy hoa vàng"', ["Tôi thấy hoa vàng trên cỏ xanh : truyện"]),
    ('subject:"y hoc thuong thuc"', ["Sức khỏe gia đình : cẩm nang"]),
]


@pytest.mark.parametrize(("query", "first"), QUERIES, ids=[q for q, _ in QUERIES])
def test_vietnamese_queries(index: SqliteIndex, query: str, first: list[str]) -> None:
    assert titles(index, query)[: len(first)] == first


def test_a_word_typed_without_diacritics_finds_every_look_alike_the_plain_one_first(
    index: SqliteIndex,
) -> None:
    found = titles(index, "ma")
    assert found[0] == "Ma làng : truyện ngắn"
    assert {"Má tôi : hồi ký", "Mà thôi : thơ"} <= set(found)


def test_a_word_typed_with_its_tone_still_finds_the_look_alikes_after_it(index: SqliteIndex) -> None:
    found = titles(index, "Má")
    assert found[0] == "Má tôi : hồi ký"
    assert {"Ma làng : truyện ngắn", "Mà thôi : thơ"} <= set(found[1:])


def test_fields_limit_where_a_word_is_looked_for(index: SqliteIndex) -> None:
    assert set(titles(index, "author:nguyen nhat anh")) == NHAT_ANH
    assert set(titles(index, 'author:"nguyễn nhật ánh"')) == NHAT_ANH
    assert titles(index, "title:nguyen nhat anh") == []
    assert set(titles(index, "nguyen nhat anh")) == NHAT_ANH


def test_a_phrase_keeps_its_word_order(index: SqliteIndex) -> None:
    assert titles(index, '"hoa vàng trên cỏ"') == ["Tôi thấy hoa vàng trên cỏ xanh : truyện"]
    assert titles(index, '"vàng hoa"') == []


def test_what_cannot_be_searched_for_gives_no_hits_and_no_error(index: SqliteIndex) -> None:
    for query in ["", "   ", '"', "title:", "::", "*", "AND OR NOT", '") OR 1=1 --', "NEAR(a b)"]:
        results = index.search(query)
        assert results.hits == [] or query in {"AND OR NOT"}, query


def test_each_hit_is_the_union_entry_with_its_holding_libraries(index: SqliteIndex, minter: Minter) -> None:
    [hit] = index.search("lich su viet nam nguon goc").hits
    assert hit.union and hit.records == 2 and hit.holdings == 2
    assert hit.iri.startswith(minter.prefixes("instance")[0])
    [single] = index.search("ma lang").hits[:1]
    assert single.holdings == 1 and single.records == 1


def test_facets_count_the_hits_and_filters_narrow_them(index: SqliteIndex, minter: Minter) -> None:
    results = index.search("truyen")
    grouped = facet_counts(results.facets)
    libraries = {v.label: v.count for v in grouped["library"]}
    provinces = {v.value: v.count for v in grouped["province"]}
    assert results.exact
    # every count is what filtering by that value gives
    for name in ("library", "province", "language", "type", "years"):
        for value in grouped[name]:
            narrowed = index.search("truyen", filters={name: [value.value]})
            assert narrowed.total == value.count, (name, value)
    assert libraries["Thư viện Hà Nội"] >= 1 and provinces["01"] == libraries["Thư viện Hà Nội"]
    hcm = index.search("", filters={"province": ["79"]})
    assert hcm.total == len(RECORDS)
    both = index.search("", filters={"province": ["79", "01"]})
    assert both.total == 1  # filters add up: only the union entry held in both


def test_year_ranges_and_sorting(index: SqliteIndex) -> None:
    by_year = index.search("", filters={"province": ["79"]}, sort="year")
    years = [hit.year for hit in by_year.hits]
    assert years == sorted(years, reverse=True)
    by_title = [h.title for h in index.search("", filters={"province": ["79"]}, sort="title").hits]
    # Vietnamese order: Đ after D, before H; "Lịch" before "Ma"; toneless Ma, then Mà (huyền), Má (sắc)
    assert by_title == [
        "Đường về quê : tiểu thuyết",
        "Hoà bình và phát triển",
        "Lịch sử Việt Nam : từ nguồn gốc đến năm 1858",
        "Ma làng : truyện ngắn",
        "Mà thôi : thơ",
        "Má tôi : hồi ký",
        "Mathematics for engineers",
        "Sức khỏe gia đình : cẩm nang",
    ]
    eighties = index.search("", filters={"years": ["1975-1985"]})
    assert [h.title for h in eighties.hits] == ["Mathematics for engineers"]


def test_paging_gives_every_hit_once(index: SqliteIndex) -> None:
    every = index.search("", filters={"province": ["79"]}, limit=100)
    pages = [index.search("", filters={"province": ["79"]}, offset=o, limit=3).hits for o in range(0, 9, 3)]
    assert [h.iri for page in pages for h in page] == [h.iri for h in every.hits]


def test_autocomplete_titles_agents_subjects_and_libraries(index: SqliteIndex) -> None:
    labels = {(s.kind, s.label) for s in index.suggest("nguyen nh")}
    assert ("agent", "Nguyễn Nhật Ánh") in labels or ("agent", "Nguyễn Nhật Ánh, 1955-") in labels
    assert ("title", "Truyện Kiều") in {(s.kind, s.label) for s in index.suggest("truyen k")}
    assert any(s.kind == "library" and s.label == "Thư viện Hà Nội" for s in index.suggest("thu vien ha"))
    assert index.suggest("") == [] and index.suggest("zzzzqqq") == []
    heavy = index.suggest("lich su")
    assert heavy and heavy[0].label == "Lịch sử Việt Nam : từ nguồn gốc đến năm 1858"


def test_new_arrivals_newest_first_overall_and_per_library(index: SqliteIndex, minter: Minter) -> None:
    overall = index.arrivals(limit=50)
    dates = [a.created for a in overall]
    assert dates == sorted(dates, reverse=True) and len(overall) == 12 + len(RECORDS) + 1
    hcm = index.arrivals(minter.library(HCM).value, limit=3)
    assert [(a.created, a.title) for a in hcm] == [
        ("2023-08-10", "Mathematics for engineers"),
        ("2023-07-05", "Lịch sử Việt Nam : từ nguồn gốc đến năm 1858"),
        ("2023-06-30", "Đường về quê : tiểu thuyết"),
    ]
    assert all(a.library == minter.library(HCM).value for a in hcm)
    assert [a.title for a in index.arrivals(minter.library(HCM).value, limit=3, offset=3)][
        0
    ] == "Sức khỏe gia đình : cẩm nang"


def test_libraries_by_name_and_place(index: SqliteIndex) -> None:
    assert [h.name for h in index.libraries("ho chi minh")] == [
        "Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh"
    ]
    assert "Thư viện Hà Nội" in [h.name for h in index.libraries("thu vien ha noi")]


@pytest.fixture
def every_word_common(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word counts as common (lod.search.ranking): the matches are ranked by fields."""
    monkeypatch.setattr(ranking, "COMMON", 0)


TIERED = [(q, first) for q, first in QUERIES if not q.replace("-", "").replace(" ", "").isdigit()]


@pytest.mark.parametrize(("query", "first"), TIERED, ids=[q for q, _ in TIERED])
def test_queries_of_common_words_rank_by_the_fields_they_are_in(
    index: SqliteIndex, every_word_common: None, query: str, first: list[str]
) -> None:
    """The Vietnamese table holds when no word of a query is weighed by bm25: the entry titled as
    the query, or with the words in its title as typed, comes first."""
    assert titles(index, query)[: len(first)] == first


def test_common_words_change_the_order_not_the_hits(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    weighed = {q: index.search(q) for q in ("truyen", "nguyen nhat anh", "ma", "hoa")}
    monkeypatch.setattr(ranking, "COMMON", 0)
    for query, results in weighed.items():
        tiered = index.search(query)
        assert tiered.total == results.total > 0
        assert sorted(h.iri for h in tiered.hits) == sorted(h.iri for h in results.hits)
    # a word common, the other rare: ranked by the rare one, over the same matches
    monkeypatch.setattr(ranking, "common", lambda conn, expression: '"nguyen"' in expression)
    mixed = index.search("nguyen nhat anh")
    assert {h.title for h in mixed.hits} == NHAT_ANH
    assert mixed.total == weighed["nguyen nhat anh"].total


def test_matches_beyond_the_count_cap_are_said_to_be_more(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = index.search("truyen")
    assert counted.total_exact and counted.total > 3
    monkeypatch.setattr(sqlite_index, "COUNT_CAP", 3)
    for sort in ("relevance", "title", "year"):
        capped = index.search("truyen", sort=sort)
        assert (capped.total, capped.total_exact) == (3, False), sort
        assert len(capped.hits) == counted.total  # every hit is still served
    exact = index.search("ma lang")
    assert exact.total_exact and 0 < exact.total <= 3


def test_each_facet_gives_its_most_frequent_values_and_the_chosen_ones(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = facet_counts(index.search("truyen").facets)
    assert len(full["subject"]) > 2
    monkeypatch.setattr(sqlite_index, "FACET_VALUES", 1)
    grouped = facet_counts(index.search("truyen").facets)
    assert all(len(values) == 1 for values in grouped.values())
    assert grouped["subject"][0].count == full["subject"][0].count
    rare = full["subject"][-1]
    chosen = facet_counts(index.search("truyen", filters={"subject": [rare.value]}).facets)
    assert rare.value in {v.value for v in chosen["subject"]}
