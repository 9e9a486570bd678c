"""The library registry on the web: list page, library pages, identifier redirects and the JSON API,
against the real app over a real store (registry + MARC samples, see tests/test_libraries.py)."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic

from lod.documents import description_document
from lod.formats import NTRIPLES, serialize_triples
from lod.web import create_app
from tests.test_libraries import PLACEHOLDER, REGISTERED, build_store, counts

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HANOI = "/resource/library/VN-TEST1"


@pytest.fixture(scope="module")
def registry_store(minter, tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_store(minter, tmp_path_factory.mktemp("registry-web"))


@pytest.fixture(scope="module")
def registry_app(settings, registry_store):  # type: ignore[no-untyped-def]
    app = create_app(settings, store=registry_store)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def registry_client(registry_app):  # type: ignore[no-untyped-def]
    return registry_app.test_client()  # one per test: ?lang= sets a cookie


def html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    return str(response.data.decode("utf-8"))


def problem(response, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert "Accept" in response.headers["Vary"]
    body = response.get_json(force=True)
    assert body["status"] == status and body["detail"]
    return dict(body)


# the list page ---------------------------------------------------------------------------------
def test_list_page(registry_client) -> None:
    page = html(registry_client.get("/libraries", headers={"Accept": BROWSER}))
    positions = [page.index(f">{name}</a>") for name in REGISTERED]
    assert positions == sorted(positions)  # Vietnamese order
    assert f'href="{HANOI}"' in page
    assert "Thư viện mẫu 2" not in page  # placeholders are not in the registry's list
    assert '<option value="academic">Thư viện cơ sở giáo dục đại học</option>' in page
    assert '<option value="01">Thành phố Hà Nội</option>' in page
    assert "12 biểu ghi" in page


def test_list_page_filters_and_english(registry_client) -> None:
    page = html(
        registry_client.get("/libraries?type=academic&province=01&lang=en", headers={"Accept": BROWSER})
    )
    assert ">Thư viện Tạ Quang Bửu</a>" in page and ">Thư viện Hà Nội</a>" not in page
    assert '<option value="academic" selected>Library of a higher-education institution</option>' in page
    assert '<option value="01" selected>' in page
    assert "0 records, 0 items in the union catalogue" in page
    empty = html(registry_client.get("/libraries?type=foreign&lang=vi", headers={"Accept": BROWSER}))
    assert "Không có thư viện nào khớp" in empty


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/libraries", "application/json"), ("/libraries?format=json", BROWSER), ("/api/libraries", BROWSER)],
)
def test_list_as_json(registry_client, registry_store, minter, path, accept) -> None:
    response = registry_client.get(path, headers={"Accept": accept}, follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "Accept" in response.headers["Vary"]
    body = response.get_json()
    assert [item["name"] for item in body] == REGISTERED
    hanoi = next(item for item in body if item["id"] == "VN-TEST1")
    assert (hanoi["records"], hanoi["items"]) == counts(registry_store, minter.library("VN-TEST1"))
    assert hanoi["iri"] == minter.library("VN-TEST1").value
    assert hanoi["type"] == {"code": "public", "label": {"vi": "Thư viện công cộng", "en": "Public library"}}
    assert hanoi["province"] == {"code": "01", "name": "Thành phố Hà Nội"}


def test_api_list_filters(registry_client) -> None:
    body = registry_client.get("/api/libraries?province=79").get_json()
    assert [item["name"] for item in body] == ["Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh"]
    assert registry_client.get("/api/libraries?type=&province=").get_json()[0]["name"] == REGISTERED[0]


@pytest.mark.parametrize("query", ["type=bogus", "province=99", "province=ha-noi"])
def test_bad_filters(registry_client, query) -> None:
    detail = problem(registry_client.get(f"/api/libraries?{query}", headers={"Accept": BROWSER}), 400)[
        "detail"
    ]
    assert query.split("=")[1] in detail
    assert registry_client.get(f"/libraries?{query}", headers={"Accept": BROWSER}).status_code == 400


def test_list_not_acceptable(registry_client) -> None:
    response = registry_client.get("/libraries", headers={"Accept": "image/png"})
    assert response.status_code == 406


# library pages ---------------------------------------------------------------------------------
def test_library_page(registry_client) -> None:
    page = html(registry_client.get(HANOI, headers={"Accept": BROWSER}, follow_redirects=True))
    assert "<h1>Thư viện Hà Nội</h1>" in page
    assert "https://www.openstreetmap.org/?mlat=21.019&amp;mlon=105.85#map=17/21.019/105.85" in page
    assert "Phục vụ thiếu nhi" in page and "Mượn về nhà" in page  # services by their labels
    assert "47 Bà Triệu, Thành phố Hà Nội" in page
    assert "000.00.00.H26" in page and "từ 2020-09-15" in page
    assert "info@example.vn" in page and "123.456" in page and "1956" in page
    assert '<a href="/resource/library/x-tv-hn-nhi">Phòng đọc thiếu nhi (thử)</a>' in page
    assert "12 biểu ghi, 10 bản sao trong mục lục liên hợp" in page
    assert 'class="notice"' not in page
    assert 'type="application/ld+json"' in page


def test_library_page_in_english_with_parent(registry_client) -> None:
    page = html(
        registry_client.get(
            "/resource/library/x-tv-hn-nhi?lang=en", headers={"Accept": BROWSER}, follow_redirects=True
        )
    )
    assert "Part of" in page and f'<a href="{HANOI}">Thư viện Hà Nội</a>' in page
    assert "Children&#39;s services" in page


def test_placeholder_page_says_it_is_not_registered(registry_client, registry_store, minter) -> None:
    page = html(
        registry_client.get(
            f"/resource/library/{PLACEHOLDER}", headers={"Accept": BROWSER}, follow_redirects=True
        )
    )
    assert 'class="notice"' in page and "chưa có trong danh mục thư viện" in page
    records, items = counts(registry_store, minter.library(PLACEHOLDER))
    assert f"{records} biểu ghi, {items} bản sao" in page


def test_library_rdf_is_unchanged(registry_client, registry_store, minter) -> None:
    response = registry_client.get(HANOI, headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert response.request.path == f"{HANOI}.ttl"
    document = description_document(registry_store, minter.library("VN-TEST1"), 0, 50)
    expected = rdflib.Graph().parse(data=serialize_triples(document.triples, NTRIPLES).decode(), format="nt")
    assert isomorphic(rdflib.Graph().parse(data=response.data, format="turtle"), expected)


def test_other_kinds_keep_the_generic_page(registry_client, minter) -> None:
    path = minter.path_of(minter.instance(minter.record_id("VN-TEST1", "TVD240000101")).value)
    page = html(registry_client.get(path, headers={"Accept": BROWSER}, follow_redirects=True))
    assert 'class="statements"' in page and 'data-kind="instance"' in page
    assert f'href="{HANOI}"' in page  # held by


# identifiers -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "target"),
    [
        ("VN-TEST1", HANOI),
        ("tv-hn", HANOI),
        ("000.00.00.H26", HANOI),
        ("Q987654321", "/resource/library/x-tv-hl"),
        ("tv-qg", "/resource/library/x-tv-qg"),
    ],
)
def test_identifiers_redirect_to_the_canonical_iri(registry_client, value, target) -> None:
    response = registry_client.get(f"/libraries/id/{value}", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == target
    assert registry_client.get(f"/libraries/id/{value}", follow_redirects=True).status_code == 200


def test_unknown_identifier(registry_client) -> None:
    assert registry_client.get("/libraries/id/VN-NOPE", headers={"Accept": BROWSER}).status_code == 404
    assert "VN-NOPE" in problem(registry_client.get("/libraries/id/VN-NOPE"), 404)["detail"]


# the API ---------------------------------------------------------------------------------------
def test_api_lookup(registry_client, registry_store, minter) -> None:
    response = registry_client.get("/api/libraries/lookup?id=000.00.00.H26")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    [hanoi] = response.get_json()
    assert (hanoi["id"], hanoi["registry_id"], hanoi["registered"]) == ("VN-TEST1", "tv-hn", True)
    [placeholder] = registry_client.get(f"/api/libraries/lookup?id={PLACEHOLDER}").get_json()
    assert placeholder["registered"] is False
    records, items = counts(registry_store, minter.library(PLACEHOLDER))
    assert (placeholder["records"], placeholder["items"]) == (records, items)


def test_api_lookup_errors(registry_client) -> None:
    detail = problem(
        registry_client.get("/api/libraries/lookup?id=VN-NOPE", headers={"Accept": BROWSER}), 404
    )
    assert "VN-NOPE" in detail["detail"]
    problem(registry_client.get("/api/libraries/lookup"), 400)


def test_api_suggest(registry_client, minter) -> None:
    response = registry_client.get("/api/libraries/suggest", query_string={"q": "thu vien ha"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert {"id": "VN-TEST1", "iri": minter.library("VN-TEST1").value, "name": "Thư viện Hà Nội",
            "province": "Thành phố Hà Nội"} in body  # fmt: skip
    assert all(set(item) == {"id", "iri", "name", "province"} for item in body)
    assert len(registry_client.get("/api/libraries/suggest?q=t").get_json()) <= 10
    assert registry_client.get("/api/libraries/suggest").get_json() == []


def test_api_near(registry_client) -> None:
    response = registry_client.get("/api/libraries/near?lat=21.0195&lon=105.8505&km=5")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert [item["name"] for item in body] == [
        "Thư viện Hà Nội", "Thư viện Quốc gia Việt Nam", "Thư viện Tạ Quang Bửu"
    ]  # fmt: skip
    assert [item["distance_km"] for item in body] == sorted(item["distance_km"] for item in body)
    assert body[0]["records"] == 12


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("lon=105.85&km=5", "lat"),
        ("lat=21.02&km=5", "lon"),
        ("lat=21.02&lon=105.85", "km"),
        ("lat=abc&lon=105.85&km=5", "abc"),
        ("lat=21,02&lon=105.85&km=5", "21,02"),
        ("lat=nan&lon=105.85&km=5", "nan"),
        ("lat=95&lon=105.85&km=5", "95"),
        ("lat=21.02&lon=105.85&km=501", "501"),
        ("lat=21.02&lon=105.85&km=-1", "-1"),
    ],
)
def test_api_near_bad_numbers(registry_client, query, word) -> None:
    vi = problem(
        registry_client.get(f"/api/libraries/near?{query}&lang=vi", headers={"Accept": BROWSER}), 400
    )
    en = problem(registry_client.get(f"/api/libraries/near?{query}&lang=en"), 400)
    assert word in vi["detail"] and word in en["detail"]
    assert vi["detail"] != en["detail"]
    assert any(w in en["detail"] for w in ("missing", "not a number", "outside the allowed range"))
