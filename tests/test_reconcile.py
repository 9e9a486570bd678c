"""The reconciliation service's core (lod.reconcile, lod.reconcile_request, lod.reconcile_data,
lod.matching) over a real store and the search index built from it: the registry fixture, the
Vietnamese sample sent by Thư viện Hà Nội (VN-TEST1), the search fixture sent by the Hồ Chí Minh
City library (x-tv-hcm) with its ISBN-13 record sent by Hà Nội too (one union entry held by two
libraries), and one more edition of Truyện Kiều (1995) that only a year tells from the sample's
(2002). Queries are written as OpenRefine sends them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import NamedNode

from lod import matching
from lod.errors import BadRequest, PayloadTooLarge
from lod.ingest import ingest_file
from lod.reconcile import Reconciler
from lod.reconcile_data import extend, facts, preview
from lod.reconcile_request import MAX_QUERIES, parse_batch, parse_draft_batch, parse_extend
from lod.registry import ingest_registry
from lod.search.sqlite import SqliteIndex
from lod.store import OxigraphStore
from lod.unions import recluster
from lod.uris import Minter
from tests.conftest import BASE, SAMPLE
from tests.data.search.make_search_fixture import RECORDS, record
from tests.test_libraries import REGISTRY

SEARCH_FIXTURE = Path(__file__).parent / "data" / "search" / "search.xml"
HANOI, HCM = "VN-TEST1", "x-tv-hcm"
KIEU_1995 = ("RC-KIEU95", "240110", "1995", "Nguyễn, Du,", "Truyện Kiều", None, ["Thơ"], None, "Giáo dục")
"""Another edition of Truyện Kiều, as a library would catalogue it (hand-made, not real data)."""
LICH_SU = "Lịch sử Việt Nam : từ nguồn gốc đến năm 1858"
NHAT_ANH = "Cho tôi xin một vé đi tuổi thơ : truyện"


def collection(path: Path, *records: tuple[Any, ...]) -> Path:
    body = "".join(record(*r) for r in records)
    path.write_text(
        f'<collection xmlns="http://www.loc.gov/MARC21/slim">{body}</collection>', encoding="utf-8"
    )
    return path


def build_store(minter: Minter, tmp: Path) -> OxigraphStore:
    """The store the reconciliation tests (core and web) reconcile against."""
    store = OxigraphStore.open(None)
    assert not ingest_registry(store, REGISTRY, minter).errors
    assert ingest_file(store, SAMPLE / "vietnamese.xml", HANOI, minter).loaded == 12
    assert ingest_file(store, SEARCH_FIXTURE, HCM, minter).loaded == len(RECORDS)
    copy = [r for r in RECORDS if r[0] == "TK-S007"]
    assert ingest_file(store, collection(tmp / "copy.xml", *copy), HANOI, minter).loaded == 1
    assert ingest_file(store, collection(tmp / "kieu.xml", KIEU_1995), HCM, minter).loaded == 1
    recluster(store, minter)
    return store


@pytest.fixture(scope="module")
def store(minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    return build_store(minter, tmp_path_factory.mktemp("reconcile"))


@pytest.fixture(scope="module")
def service(store: OxigraphStore, minter: Minter) -> Reconciler:
    index = SqliteIndex(None)
    index.sync(store, minter)
    return Reconciler(store, index, minter, "vi")


def run(service: Reconciler, **queries: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each query's candidates, sent as the form field `queries` holds them."""
    batch = parse_batch(json.dumps(queries, ensure_ascii=False))
    return {key: found["result"] for key, found in service.run(batch).items()}


def node(service: Reconciler, entity_id: str) -> NamedNode:
    found = service.entity_iri(entity_id)
    assert found is not None, entity_id
    return found


def best(candidates: list[dict[str, Any]]) -> dict[str, Any]:
    assert candidates, "no candidate"
    return candidates[0]


# titles, authors, identifiers -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "score"),
    [
        ("cho toi xin mot ve di tuoi tho", 95.0),  # typed without diacritics
        ("Cho tôi xin một vé đi tuổi thơ", 100.0),  # as written (the main title)
        ("CHO TÔI XIN MỘT VÉ ĐI TUỔI THƠ : TRUYỆN", 100.0),
    ],
)
def test_a_vietnamese_title_matches_with_or_without_diacritics(
    service: Reconciler, query: str, score: float
) -> None:
    found = run(service, q0={"query": query, "type": "Instance"})["q0"]
    top = best(found)
    assert (top["name"], top["score"], top["match"]) == (NHAT_ANH, score, True)
    assert top["id"].startswith("instance/") and top["type"] == [{"id": "Instance", "name": "Ấn phẩm"}]
    assert "Nguyễn Nhật Ánh" in top["description"] and "2010" in top["description"]
    assert node(service, top["id"]).value == service.minter.entity_space() + top["id"]


def test_two_editions_of_one_title_are_no_match_until_author_and_year_tell_them_apart(
    service: Reconciler,
) -> None:
    author = {"pid": "author", "v": "nguyen du"}
    found = run(
        service,
        bare={"query": "truyen kieu", "type": "Instance"},
        y1995={
            "query": "truyen kieu",
            "type": "Instance",
            "properties": [author, {"pid": "year", "v": "1995"}],
        },
        y2002={
            "query": "truyen kieu",
            "type": "Instance",
            "properties": [author, {"pid": "year", "v": 2002}],
        },
    )
    bare = found["bare"]
    assert [c["name"] for c in bare[:2]] == ["Truyện Kiều", "Truyện Kiều"]
    assert bare[0]["score"] == bare[1]["score"] == 95.0
    assert not any(c["match"] for c in bare)
    by_year = {c["id"]: c for c in bare[:2]}
    for key, year in (("y1995", "1995"), ("y2002", "2002")):
        top, second = found[key][:2]
        assert top["match"] and not second["match"] and top["score"] - second["score"] >= 10
        assert year in by_year[top["id"]]["description"]
        assert {f["id"]: f["value"] for f in top["features"]} == {"title": 0.95, "author": 0.95, "year": 1.0}
    assert found["y1995"][0]["id"] != found["y2002"][0]["id"]


@pytest.mark.parametrize(
    "isbn", ["978-604-957-123-7", "9786049571237", "978 604 957 123 7", "ISBN 978-604-957-123-7"]
)
def test_an_isbn_with_or_without_hyphens_is_a_match(service: Reconciler, isbn: str) -> None:
    [top] = run(service, q0={"query": isbn, "type": "Instance"})["q0"]
    assert (top["name"], top["score"], top["match"]) == (LICH_SU, 100.0, True)
    assert "2 thư viện" in top["description"]  # the union entry both libraries' records are in


@pytest.mark.parametrize("isbn", ["0-306-40615-2", "0306406152", "978-0-306-40615-7"])
def test_an_isbn_10_and_its_isbn_13_find_the_same_record(service: Reconciler, isbn: str) -> None:
    top = best(run(service, q0={"query": isbn})["q0"])  # no type: every type is tried
    assert (top["name"], top["match"]) == ("Mathematics for engineers", True)


def test_an_isbn_property_beside_the_title_decides(service: Reconciler) -> None:
    props = [{"pid": "isbn", "v": "978-604-957-123-7"}]
    found = run(service, q0={"query": "lich su viet nam", "type": "Instance", "properties": props})["q0"]
    assert best(found)["name"] == LICH_SU and best(found)["match"]
    assert {f["id"]: f["value"] for f in best(found)["features"]}["isbn"] is True


def test_an_author_typed_without_diacritics_finds_both_headings_and_dates_decide(service: Reconciler) -> None:
    found = run(
        service,
        bare={"query": "nguyen nhat anh", "type": "Agent"},
        dated={"query": "nguyen nhat anh", "type": "Agent", "properties": [{"pid": "dates", "v": "1955"}]},
        inline={"query": "Nguyễn Nhật Ánh, 1955-", "type": "Agent"},
    )
    assert sorted(c["name"] for c in found["bare"]) == ["Nguyễn Nhật Ánh", "Nguyễn Nhật Ánh, 1955-"]
    assert not any(c["match"] for c in found["bare"])  # two headings: no clear winner
    for key in ("dated", "inline"):
        top = best(found[key])
        assert (top["name"], top["match"]) == ("Nguyễn Nhật Ánh, 1955-", True), key
        assert top["id"].startswith("agent/") and top["description"] == "Cá nhân · 1955-"


@pytest.mark.parametrize(
    "query", ["VN-TEST1", "vn-test1", "thu vien ha noi", "Thư viện Hà Nội", "Hanoi Library"]
)
def test_a_library_by_isil_by_name_without_diacritics_or_in_english(service: Reconciler, query: str) -> None:
    found = run(service, q0={"query": query, "type": "Library"})["q0"]
    top = best(found)
    assert (top["id"], top["name"], top["match"]) == ("library/VN-TEST1", "Thư viện Hà Nội", True)
    assert top["description"] == "VN-TEST1 · Thành phố Hà Nội"
    assert all(c["score"] <= top["score"] - 10 for c in found[1:])


def test_a_library_in_another_province_scores_less(service: Reconciler) -> None:
    found = run(
        service,
        here={
            "query": "thu vien ha noi",
            "type": "Library",
            "properties": [{"pid": "province", "v": "Hà Nội"}],
        },
        there={"query": "thu vien ha noi", "type": "Library", "properties": [{"pid": "province", "v": "79"}]},
    )
    assert best(found["here"])["score"] == 95.0 and best(found["here"])["match"]
    hanoi = next(c for c in found["there"] if c["id"] == "library/VN-TEST1")
    assert hanoi["score"] < 60 and not hanoi["match"]


def test_a_work_is_found_through_its_instances(service: Reconciler) -> None:
    props = [{"pid": "author", "v": "Nguyễn Du"}, {"pid": "year", "v": "1995"}]
    found = run(service, q0={"query": "Truyện Kiều", "type": "Work", "properties": props})["q0"]
    top = best(found)
    assert top["id"].startswith("work/") and top["name"] == "Truyện Kiều" and top["match"]
    assert {v["int"] for v in facts(service, node(service, top["id"]))["year"]} == {1995}


def test_an_id_or_iri_of_ours_as_query_is_that_entity(service: Reconciler) -> None:
    for query in ("library/VN-TEST1", BASE + "resource/library/VN-TEST1"):
        [top] = run(service, q0={"query": query, "type": "Library"})["q0"]
        assert (top["id"], top["score"], top["match"]) == ("library/VN-TEST1", 100.0, True)


def test_something_unknown_has_no_candidates(service: Reconciler) -> None:
    found = run(
        service,
        q0={"query": "xyzzy plugh quux"},
        q1={"query": "xyzzy", "type": "Library"},
        q2={"query": "978-3-16-148410-0", "type": "Instance"},  # a valid ISBN no library has
        q3={"query": "instance/doesnotexist"},
    )
    assert found == {"q0": [], "q1": [], "q2": [], "q3": []}


def test_limit_cuts_candidates_but_not_the_decision(service: Reconciler) -> None:
    [top] = run(service, q0={"query": "truyen kieu", "type": "Instance", "limit": 1})["q0"]
    assert top["name"] == "Truyện Kiều" and not top["match"]  # its rival is cut, not forgotten


# reading queries ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "key", "where"),
    [
        ('{"q0": {"query": "x"', "reconcile.bad_json", "queries"),
        ('["x"]', "reconcile.not_object", "queries"),
        ('{"q0": "truyen kieu"}', "reconcile.not_object", "queries.q0"),
        ('{"q0": {"query": 7}}', "reconcile.not_string", "queries.q0.query"),
        ('{"q0": {"query": "x", "limit": 0}}', "reconcile.not_positive", "queries.q0.limit"),
        ('{"q0": {"query": "x", "limit": true}}', "reconcile.not_positive", "queries.q0.limit"),
        ('{"q0": {"query": "x", "type": "Book"}}', "reconcile.unknown_type", "queries.q0.type"),
        ('{"q0": {"query": "x", "type_strict": "maybe"}}', "reconcile.bad_choice", "queries.q0.type_strict"),
        ('{"q0": {"query": "x", "properties": {}}}', "reconcile.not_list", "queries.q0.properties"),
        (
            '{"q0": {"query": "x", "properties": [{"v": 1}]}}',
            "reconcile.not_string",
            "queries.q0.properties[0].pid",
        ),
        (
            '{"q0": {"query": "x", "type": "Library", "properties": [{"pid": "year", "v": 1}]}}',
            "reconcile.unknown_property",
            "queries.q0.properties[0]",
        ),
        ('{"q0": {"type": "Instance"}}', "reconcile.no_query", "queries.q0"),
    ],
)
def test_a_bad_batch_says_what_is_wrong(raw: str, key: str, where: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_batch(raw)
    assert caught.value.key == key and caught.value.status == 400
    assert where in caught.value.message("en") and where in caught.value.message("vi")


def test_a_batch_past_the_cap_is_too_large() -> None:
    batch = {f"q{n}": {"query": "x"} for n in range(MAX_QUERIES + 1)}
    with pytest.raises(PayloadTooLarge) as caught:
        parse_batch(json.dumps(batch))
    assert caught.value.status == 413 and str(MAX_QUERIES) in caught.value.message("en")
    assert len(parse_batch(json.dumps(dict(list(batch.items())[:MAX_QUERIES])))) == MAX_QUERIES


def test_types_and_values_are_read_as_openrefine_and_the_spec_write_them() -> None:
    batch = parse_batch(
        json.dumps(
            {
                "q0": {
                    "query": " Truyện Kiều ",
                    "type": ["http://id.loc.gov/ontologies/bibframe/Instance", "work"],
                    "limit": 3.0,
                    "type_strict": "should",
                    "properties": [
                        {"pid": "author", "v": {"id": "agent/x", "name": "Nguyễn Du"}},
                        {"pid": "year", "v": [1995, "1996"]},
                    ],
                },
                "q1": {"properties": [{"pid": "isbn", "v": "978-604-957-123-7"}]},
            }
        )
    )
    q0 = batch["q0"]
    assert (q0.text, q0.types, q0.limit) == ("Truyện Kiều", ("Instance", "Work"), 3)
    assert q0.properties == {"author": ["Nguyễn Du"], "year": ["1995", "1996"]}
    assert batch["q1"].text == "" and batch["q1"].properties == {"isbn": ["978-604-957-123-7"]}


def test_the_draft_json_batch_is_read_into_the_same_queries() -> None:
    [query] = parse_draft_batch(
        {
            "queries": [
                {
                    "type": "Instance",
                    "limit": 2,
                    "conditions": [
                        {"matchType": "name", "v": "truyen kieu"},
                        {"matchType": "property", "pid": "year", "v": "1995", "required": False},
                    ],
                }
            ]
        }
    )
    assert (query.text, query.types, query.limit, query.properties) == (
        "truyen kieu",
        ("Instance",),
        2,
        {"year": ["1995"]},
    )
    with pytest.raises(BadRequest) as caught:
        parse_draft_batch({"queries": [{"conditions": []}]})
    assert "queries[0]" in caught.value.message("en")


# data extension and preview ----------------------------------------------------------------------
def test_extension_gives_an_instances_properties_with_entities_as_ids(service: Reconciler) -> None:
    [top] = run(service, q0={"query": "978-604-957-123-7", "type": "Instance"})["q0"]
    ids, pids = parse_extend(
        json.dumps(
            {
                "ids": [top["id"], "instance/unknown"],
                "properties": [
                    {"id": p}
                    for p in (
                        "title",
                        "author",
                        "year",
                        "isbn",
                        "publisher",
                        "holdings",
                        "libraries",
                        "work",
                        "isil",
                    )
                ],
            }
        )  # fmt: skip
    )
    answer = extend(service, ids, pids)
    assert [m["id"] for m in answer["meta"]] == pids
    assert next(m for m in answer["meta"] if m["id"] == "libraries")["type"]["id"] == "Library"
    row = answer["rows"][top["id"]]
    assert row["title"] == [{"str": LICH_SU}]
    assert row["year"] == [{"int": 2012}] and row["isbn"] == [{"str": "9786049571237"}]
    assert row["publisher"] == [{"str": "Giáo dục Việt Nam"}]
    assert row["holdings"] == [{"int": 2}]
    assert [lib["id"] for lib in row["libraries"]] == ["library/VN-TEST1", "library/x-tv-hcm"]
    [author] = row["author"]
    assert author["name"] == "Hoàng, Minh Tuấn" and service.entity_iri(author["id"]) is not None
    assert row["work"][0]["id"].startswith("work/") and row["isil"] == []
    assert answer["rows"]["instance/unknown"] == {pid: [] for pid in pids}


def test_extension_of_a_library_and_an_agent(service: Reconciler) -> None:
    library = facts(service, node(service, "library/VN-TEST1"))
    assert library["isil"] == [{"str": "VN-TEST1"}] and library["name"] == [{"str": "Thư viện Hà Nội"}]
    assert library["province"] == [{"str": "Thành phố Hà Nội"}]
    assert library["address"] == [{"str": "47 Bà Triệu, Thành phố Hà Nội"}]
    assert library["records"][0]["int"] >= 13
    [agent] = run(service, q0={"query": "Nguyễn Nhật Ánh, 1955-", "type": "Agent", "limit": 1})["q0"]
    known = facts(service, node(service, agent["id"]))
    assert known["name"] == [{"str": "Nguyễn Nhật Ánh"}] and known["dates"] == [{"str": "1955-"}]
    assert known["kind"] == [{"str": "Cá nhân"}] and known["works"] == [{"int": 1}]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ('{"ids": "x", "properties": []}', "extend.ids"),
        ('{"ids": [], "properties": [{"id": "colour"}]}', "extend.properties[0]"),
        ('{"ids": [1], "properties": []}', "extend.ids[0]"),
        ("{ids: []}", "extend"),
    ],
)
def test_a_bad_extension_query_says_what_is_wrong(raw: str, where: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_extend(raw)
    assert where in caught.value.message("en")


def test_the_preview_lists_what_extension_gives(service: Reconciler) -> None:
    shown = preview(service, node(service, "library/VN-TEST1"))
    assert shown is not None and shown.name == "Thư viện Hà Nội" and shown.type == "Thư viện"
    assert ("ISIL", "VN-TEST1") in shown.lines
    assert preview(service, service.minter.entity("library", "NOPE-1")) is None


# scoring ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "ours", "score"),
    [
        ("Nguyễn, Du", "NGUYỄN DU.", 100.0),
        ("hòa bình", "Hoà bình", 100.0),  # tone placement is not a difference
        ("nguyen du", "Nguyễn Du", 95.0),
        ("Đặng", "dang", 85.0),  # other diacritics than ours: another word
        ("Má", "Ma", 85.0),
    ],
)
def test_name_scores(typed: str, ours: str, score: float) -> None:
    assert matching.name_score(typed, ours) == score


def test_partial_names_score_at_most_80_and_by_what_they_share() -> None:
    close, far = (
        matching.name_score("truyen kieu tap 1", "Truyện Kiều"),
        matching.name_score("so do", "Truyện Kiều"),
    )
    assert 50 < close < 80 and far < close


@pytest.mark.parametrize(
    ("label", "name", "dates"),
    [
        ("Nguyễn Nhật Ánh, 1955-", "Nguyễn Nhật Ánh", "1955-"),
        ("Nguyễn, Du, 1765-1820", "Nguyễn, Du", "1765-1820"),
        ("Farghānī, fl. 861", "Farghānī", "fl. 861"),
        ("Maurer, Eva 1972-", "Maurer, Eva", "1972-"),
        ("Ngô Tất Tố", "Ngô Tất Tố", ""),
    ],
)
def test_dates_are_split_from_headings(label: str, name: str, dates: str) -> None:
    assert matching.split_dates(label) == (name, dates)


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("978-604-957-123-7", "9786049571237"),
        ("0-306-40615-2", "0306406152"),
        ("080442957X", "080442957X"),
        ("978-604-957-123-8", None),  # wrong check digit
        ("Truyện Kiều", None),
        ("1234567890123", None),
    ],
)
def test_isbns_are_checked(text: str, compact: str | None) -> None:
    assert matching.isbn(text) == compact


def test_a_match_needs_a_clear_lead() -> None:
    assert matching.decide([95.0, 40.0]) == [True, False]
    assert matching.decide([95.0, 90.0]) == [False, False]
    assert matching.decide([85.0]) == [False]
    assert matching.decide([]) == []
