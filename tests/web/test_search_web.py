"""Search on the web (lod.web.search): the search page, its JSON API, autocomplete, and the new
arrivals page and feed, against the real app over the real sample store and the search index the
app builds from it (an in-memory store gets an in-memory index, synced when the app is created)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lod.config import load_settings
from lod.search import sqlite as sqlite_index
from lod.search.backend import FACETS
from lod.search.sqlite import SqliteIndex
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.web import create_app, search_of
from tests.conftest import BASE
from tests.test_libraries import build_store
from tests.web.test_browser import CHROMIUM_ARGS, PHONE, horizontal_overflow
from tests.web.test_resources import Element, page_of

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ATOM = "{http://www.w3.org/2005/Atom}"
DEMO_VN1 = BASE + "resource/library/DEMO-VN1"
DEMO_VN2 = BASE + "resource/library/DEMO-VN2"


def html(client: FlaskClient, path: str) -> Element:
    return page_of(client.get(path, headers={"Accept": BROWSER}))


def api(client: FlaskClient, path: str, **params: Any) -> Any:
    response = client.get(path + ("?" + urlencode(params, doseq=True) if params else ""))
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/problem+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json(force=True)
    assert (
        body["status"] == status
        and body["detail"]
        and body["instance"] == urlsplit(response.request.url).path
    )
    return dict(body)


def hits(page: Element) -> list[tuple[str, str]]:
    """(title, href) of the hits of a results page, in order."""
    return [(a.text.strip(), a.attrs["href"]) for a in page.all("a", class_="hit-title")]


def total(page: Element) -> int:
    return int(page.one("p", class_="result-count").attrs["data-total"])


def local(url: str) -> str:
    """The path and query of an absolute URL of the test app (http://localhost/...)."""
    parts = urlsplit(url)
    assert parts.netloc == "localhost", url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def entry_page(client: FlaskClient, path: str) -> Element:
    return page_of(client.get(path, headers={"Accept": BROWSER}, follow_redirects=True))


# the search page -------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["truyen kieu", "Truyện Kiều", "TRUYỆN KIỀU", "kieu truyen"])
def test_truyen_kieu_comes_first_and_links_to_its_page(client: FlaskClient, q: str) -> None:
    page = html(client, "/search?" + urlencode({"q": q}))
    (title, href), *_ = hits(page)
    assert title == "Truyện Kiều"
    assert href.startswith("/resource/instance/")
    assert "Truyện Kiều" in entry_page(client, href).one("h1").text
    first = page.one("ol", class_="hits").all("li")[0]
    assert "Nguyễn, Du" in first.one("span", class_="agents").text
    assert first.one("span", class_="year").text == "2002"
    assert first.one("span", class_="holdings").text.strip() == "Có ở 1 thư viện"


def test_a_filter_narrows_the_results_and_is_shown_removable(client: FlaskClient) -> None:
    broad = html(client, "/search?q=nguyen")
    library = broad.one("section", data_facet="library")
    link = library.one("a", data_value=DEMO_VN2)
    counts = {li.one("a").attrs["data-value"]: int(li.one("span", class_="count").attrs["data-count"])
              for li in library.all("li")}  # fmt: skip
    assert total(broad) > counts[DEMO_VN2] > 0

    narrowed = html(client, link.attrs["href"])
    assert total(narrowed) == counts[DEMO_VN2]
    assert len(hits(narrowed)) == counts[DEMO_VN2]
    (chip,) = narrowed.all("a", class_="chip")
    assert "Thư viện mẫu 2" in chip.text and "Bỏ lọc" in chip.text
    active = narrowed.one("section", data_facet="library").one("a", data_value=DEMO_VN2)
    assert active.attrs["class"] == "active" and active.attrs["aria-current"] == "true"
    # the search form keeps the filter for the next query, and removing it gives the broad search back
    assert narrowed.one("input", type="hidden", name="library").attrs["value"] == DEMO_VN2
    assert total(html(client, chip.attrs["href"])) == total(broad)
    assert total(html(client, active.attrs["href"])) == total(broad)


def test_two_filters_narrow_further(client: FlaskClient) -> None:
    both = api(client, "/api/search", q="nguyen", library=DEMO_VN1, language="chi")
    one = api(client, "/api/search", q="nguyen", library=DEMO_VN1)
    assert 0 < both["total"] < one["total"]
    assert all(v["count"] <= both["total"] for values in both["facets"].values() for v in values)


@pytest.mark.parametrize("q", ["nguyen", "van hoc", ""])
def test_facet_counts_are_the_totals_of_their_filters(client: FlaskClient, q: str) -> None:
    start: dict[str, list[str]] = {"q": [q]} if q else {"type": ["Text"]}  # no query: browse a facet
    body = api(client, "/api/search", **start)
    assert body["total"] > 0 and body["facets_exact"] is True
    assert set(body["facets"]) <= set(FACETS)
    checked = 0
    for name, values in body["facets"].items():
        for v in values:
            wanted = {**start, name: [*start.get(name, []), v["value"]]}  # this value AND what is asked
            assert api(client, "/api/search", **wanted)["total"] == v["count"], (name, v)
            checked += 1
    assert checked >= 5


def test_facets_on_the_page_are_the_api_counts_with_names(client: FlaskClient) -> None:
    page = html(client, "/search?q=nguyen")
    body = api(client, "/api/search", q="nguyen")
    for name, values in body["facets"].items():
        shown = page.one("section", data_facet=name)
        for v in values[:10]:
            link = shown.one("a", data_value=v["value"])
            assert link.text.strip() == v["label"]
        counts = [int(s.attrs["data-count"]) for s in shown.all("span", class_="count")]
        assert counts == [v["count"] for v in values[:10]]
    languages = {v["value"]: v["label"] for v in body["facets"]["language"]}
    assert languages["vie"] == "Tiếng Việt"
    assert body["facets"]["type"][0] == {
        "value": "Text",
        "label": "Văn bản",
        "count": body["facets"]["type"][0]["count"],
    }


def test_province_facet_and_filter(
    minter: Minter, settings: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = build_store(minter, tmp_path_factory.mktemp("search-registry"))
    client = create_app(settings, store=store).test_client()
    body = api(client, "/api/search", type="Text")
    provinces = {v["value"]: v for v in body["facets"]["province"]}
    assert provinces["01"]["label"] == "Thành phố Hà Nội"
    narrowed = api(client, "/api/search", type="Text", province="01")
    assert narrowed["total"] == provinces["01"]["count"] < body["total"]  # the Koha sample is unregistered
    page = html(client, "/search?type=Text&province=01")
    chips = {a.attrs["data-filter"]: a.text for a in page.all("a", class_="chip")}
    assert "Thành phố Hà Nội" in chips["province"] and "Văn bản" in chips["type"]
    box = html(client, "/search?q=" + "thu vien ha noi").one("aside", class_="library-matches")
    assert "Thư viện Hà Nội" in box.links().values()
    for href in box.links():
        assert client.get(href, headers={"Accept": BROWSER}, follow_redirects=True).status_code == 200


def test_paging_and_sorting(client: FlaskClient) -> None:
    first = html(client, "/search?type=Text&sort=title")
    assert total(first) > 20
    assert len(hits(first)) == 20
    assert first.one("ol", class_="hits").attrs["start"] == "1"
    pager = first.one("nav", class_="pager")
    (following,) = pager.all("a", rel="next")
    assert not pager.all("a", rel="prev")
    second = html(client, following.attrs["href"])
    assert second.one("ol", class_="hits").attrs["start"] == "21"
    assert not {h for _, h in hits(first)} & {h for _, h in hits(second)}
    (back,) = second.one("nav", class_="pager").all("a", rel="prev")
    assert hits(html(client, back.attrs["href"])) == hits(first)
    assert parse_qs(urlsplit(following.attrs["href"]).query) == {
        "sort": ["title"],
        "type": ["Text"],
        "page": ["2"],
    }

    by_year = api(client, "/api/search", type="Text", sort="year", limit=100)["hits"]
    years = [h["year"] for h in by_year]
    known = [y for y in years if y is not None]
    assert known == sorted(known, reverse=True) and years[: len(known)] == known  # unknown years last
    oldest = api(client, "/api/search", type="Text", sort="year_asc", limit=5)["hits"][0]["year"]
    assert oldest == min(known)
    selected = html(client, "/search?q=nguyen&sort=year").one("select", name="sort")
    assert [o.attrs["value"] for o in selected.all("option") if "selected" in o.attrs] == ["year"]


def test_nothing_found(client: FlaskClient) -> None:
    page = html(client, "/search?q=khongcotudaynao")
    assert total(page) == 0 and not hits(page)
    assert page.one("p", class_="none").text.startswith("Không tìm thấy")
    assert not page.all("aside", class_="facets")


def test_a_blank_search_shows_how_to_search_and_its_examples_find_something(client: FlaskClient) -> None:
    page = html(client, "/search")
    assert page.one("form", role="search", class_="search").one("label", for_="q")
    help_ = page.one("section", class_="search-help")
    text = help_.text
    for needle in ('"', "title:", "author:", "subject:", "isbn:", "nguyen du"):
        assert needle in text, needle
    examples = [a.attrs["href"] for a in help_.all("a")]
    assert len(examples) == 6
    for href in examples:
        assert total(html(client, href)) >= 1, href
    assert "Diacritics" not in text and "Dấu tiếng Việt không bắt buộc" in text
    english = html(client, "/search?lang=en").one("section", class_="search-help").text
    assert "Vietnamese diacritics are optional" in english


def test_what_is_typed_is_shown_as_text(client: FlaskClient) -> None:
    typed = '<script>alert("x")</script>'
    response = client.get("/search?" + urlencode({"q": typed}), headers={"Accept": BROWSER})
    body = response.data.decode()
    assert typed not in body
    assert "&lt;script&gt;" in body
    page = page_of(response)
    assert page.one("input", id="q").attrs["value"] == typed
    assert page.one("title").text.startswith("Tìm “" + typed)
    assert [s.attrs.get("src") for s in page.all("script")] == ["/static/search.js"]  # no other script


def test_english_page(client: FlaskClient) -> None:
    response = client.get("/search?q=truyen+kieu&lang=en", headers={"Accept": BROWSER})
    page = page_of(response)
    assert page.one("html").attrs["lang"] == "en"
    assert page.one("p", class_="result-count").text.strip() == "1 result"
    assert page.one("span", class_="holdings").text.strip() == "Held by 1 library"
    assert page.one("section", data_facet="language").one("h3").text == "Language"
    assert page.one("a", data_value="vie").text.strip() == "Vietnamese"
    assert page.one("label", for_="sort").text == "Sort by"
    # the language switch keeps the search
    switch = {a.attrs["hreflang"]: a.attrs["href"] for a in page.one("nav", class_="lang").all("a")}
    assert parse_qs(urlsplit(switch["vi"]).query) == {"q": ["truyen kieu"], "lang": ["vi"]}


def test_header_search_form_on_every_page_and_a_link_to_new_arrivals(client: FlaskClient) -> None:
    for path in ("/", "/libraries", "/new"):
        page = html(client, path)
        form = page.one("form", class_="site-search")
        assert form.attrs["role"] == "search" and form.attrs["action"] == "/search"
        field = form.one("input", name="q")
        assert form.one("label", for_=field.attrs["id"])
        assert field.attrs["data-suggest"] == "/api/suggest"
        assert "/new" in page.one("header", class_="site").links()
    # the search page has its own form instead
    assert not html(client, "/search").all("form", class_="site-search")


# the API -----------------------------------------------------------------------------------------
def test_api_search_shape(client: FlaskClient) -> None:
    body = api(client, "/api/search", q="truyen kieu")
    assert set(body) >= {"query", "total", "offset", "limit", "sort", "facets_exact", "hits", "facets"}
    assert (body["query"], body["total"], body["offset"], body["limit"], body["sort"]) == (
        "truyen kieu",
        1,
        0,
        20,
        "relevance",
    )
    (hit,) = body["hits"]
    assert set(hit) == {
        "iri",
        "title",
        "year",
        "holdings",
        "items",
        "records",
        "union",
        "agents",
        "publishers",
        "url",
    }
    assert hit["title"] == "Truyện Kiều" and hit["year"] == 2002 and hit["holdings"] == 1
    assert hit["iri"].startswith(BASE) and isinstance(hit["union"], bool)
    assert any("Nguyễn, Du" in a for a in hit["agents"])
    assert local(hit["url"]) == "/" + hit["iri"][len(BASE) :]
    assert "Truyện Kiều" in entry_page(client, local(hit["url"])).one("h1").text
    for values in body["facets"].values():
        for v in values:
            assert set(v) == {"value", "label", "count"} and v["count"] == 1


def test_api_paging(client: FlaskClient) -> None:
    everything = api(client, "/api/search", type="Text", sort="title", limit=100)
    second = api(client, "/api/search", type="Text", sort="title", limit=7, page=2)
    assert (second["offset"], second["limit"]) == (7, 7)
    assert [h["iri"] for h in second["hits"]] == [h["iri"] for h in everything["hits"][7:14]]
    assert api(client, "/api/search", type="Text", page=50)["hits"] == []
    assert api(client, "/api/search")["total"] == 0  # nothing asked, nothing found


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=1.5",
        "page=%EF%BC%92",
        "limit=101",
        "limit=0",
        "sort=popular",
        "page=99999",
    ],
)
def test_bad_parameters_are_400_problems(client: FlaskClient, query: str) -> None:
    name = query.split("=")[0]
    body = problem(client.get(f"/api/search?q=kieu&{query}"), 400)
    assert name in body["detail"] or "10000" in body["detail"]
    english = problem(client.get(f"/api/search?q=kieu&{query}&lang=en"), 400)
    assert english["detail"] != body["detail"]
    if name != "limit":  # the page reads no limit
        page = client.get(f"/search?q=kieu&{query}", headers={"Accept": BROWSER})
        assert page.status_code == 400 and page.mimetype == "text/html"


def test_suggest_completes_a_name(client: FlaskClient) -> None:
    found = api(client, "/api/suggest", q="nguyen nh")
    agent = next(s for s in found if s["label"] == "Nguyễn Nhật Ánh")
    assert agent["kind"] == "agent"
    assert parse_qs(urlsplit(agent["search"]).query) == {"q": ['author:"Nguyễn Nhật Ánh"']}
    results = api(client, "/api/search", q='author:"Nguyễn Nhật Ánh"')
    assert results["total"] >= 2
    assert all(any("Nguyễn Nhật Ánh" in a for a in h["agents"]) for h in results["hits"])
    assert html(client, local(agent["url"])).all("a", class_="hit-title")


def test_suggest_titles_and_libraries_lead_to_their_pages(client: FlaskClient) -> None:
    title = next(s for s in api(client, "/api/suggest", q="de men") if s["kind"] == "title")
    assert title["label"] == "Dế Mèn phiêu lưu ký" and title["iri"].startswith(BASE)
    assert entry_page(client, local(title["url"])).one("h1").text.startswith("Dế Mèn phiêu lưu ký")
    library = next(s for s in api(client, "/api/suggest", q="thu vien mau") if s["kind"] == "library")
    assert library["iri"] in (DEMO_VN1, DEMO_VN2)
    assert entry_page(client, local(library["url"])).one("h1").text.startswith("Thư viện mẫu")


def test_suggest_limits(client: FlaskClient) -> None:
    assert api(client, "/api/suggest", q="") == []
    assert len(api(client, "/api/suggest", q="t", limit=3)) <= 3
    problem(client.get("/api/suggest?q=t&limit=21"), 400)
    problem(client.get("/api/suggest?q=t&limit=x"), 400)


def test_an_index_not_built_yet_is_503_until_it_is(
    minter: Minter, store: OxigraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "search.sqlite3"
    settings = load_settings(
        env={}, overrides={"store": ":memory:", "base_iri": BASE, "search_index": str(path)}
    )
    app = create_app(settings, store=store)
    client = app.test_client()
    assert search_of(app).available() is False
    unavailable = problem(client.get("/api/search?q=kieu"), 503)
    assert "lod index" in unavailable["detail"]
    problem(client.get("/api/suggest?q=kieu"), 503)
    assert client.get("/search?q=kieu", headers={"Accept": BROWSER}).status_code == 503
    assert client.get("/new.atom").status_code == 503
    assert html(client, "/search").one("section", class_="search-help")  # the form still works
    SqliteIndex(path).sync(store, minter)  # what `lod index` does, in another process
    assert api(client, "/api/search", q="truyen kieu")["total"] == 1


def test_an_index_given_to_the_app_is_the_one_used(settings: Any, store: OxigraphStore) -> None:
    empty = SqliteIndex(None)
    app = create_app(settings, store=store, search=empty)
    assert search_of(app) is empty
    assert api(app.test_client(), "/api/search", q="truyen kieu")["total"] == 0


# new arrivals ------------------------------------------------------------------------------------
def feed_of(client: FlaskClient, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.headers["ETag"]
    return ET.fromstring(response.data)


def test_atom_feed(client: FlaskClient) -> None:
    feed = feed_of(client, "/new.atom")
    assert feed.tag == ATOM + "feed"
    assert local(feed.findtext(ATOM + "id") or "") == "/new.atom"
    assert feed.findtext(ATOM + "title", "").startswith("Tài liệu mới")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and local(self_link.attrib["href"]) == "/new.atom"
    entries = feed.findall(ATOM + "entry")
    assert len(entries) >= 10
    updated = [e.findtext(ATOM + "updated") or "" for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(ATOM + "updated") == updated[0]
    assert len({e.findtext(ATOM + "id") for e in entries}) == len(entries)
    titles = {e.findtext(ATOM + "title") for e in entries}
    assert "Truyện Kiều" in titles
    for entry in entries:
        assert (entry.findtext(ATOM + "id") or "").startswith(BASE)
        link = entry.find(ATOM + "link")
        assert link is not None and link.attrib["rel"] == "alternate"
        page = entry_page(client, local(link.attrib["href"]))  # answers 200
        assert page.one("h1").text
    kieu = next(e for e in entries if e.findtext(ATOM + "title") == "Truyện Kiều")
    assert [a.findtext(ATOM + "name") for a in kieu.findall(ATOM + "author")][0].startswith("Nguyễn, Du")
    assert (
        client.get(
            "/new.atom", headers={"If-None-Match": client.get("/new.atom").headers["ETag"]}
        ).status_code
        == 304
    )


def test_a_library_feed_and_page(client: FlaskClient) -> None:
    everything = {e.findtext(ATOM + "id") for e in feed_of(client, "/new.atom").findall(ATOM + "entry")}
    feed = feed_of(client, "/new.atom?" + urlencode({"library": DEMO_VN2}))
    entries = feed.findall(ATOM + "entry")
    assert entries and {e.findtext(ATOM + "id") for e in entries} <= everything
    assert all("Thư viện mẫu 2" in (e.findtext(ATOM + "summary") or "") for e in entries)
    assert "Thư viện mẫu 2" in (feed.findtext(ATOM + "title") or "")

    page = html(client, "/new?" + urlencode({"library": DEMO_VN2}))
    assert "Thư viện mẫu 2" in page.one("h1").text
    alternate = page.one("link", rel="alternate", type="application/atom+xml")
    assert parse_qs(urlsplit(alternate.attrs["href"]).query) == {"library": [DEMO_VN2]}
    listed = page.one("ol", class_="arrivals").all("li")
    assert [li.attrs["data-record"] for li in listed] == [e.findtext(ATOM + "id") for e in entries][
        : len(listed)
    ]


def test_a_library_page_leads_to_its_holdings_and_new_arrivals(client: FlaskClient, minter: Minter) -> None:
    page = entry_page(client, minter.path_of(DEMO_VN2) or "")
    links = {
        a.text.strip(): a.attrs["href"]
        for a in page.one("section", **{"aria-labelledby": "discover"}).all("a")
    }
    held = html(client, links["Tìm trong tài liệu thư viện có"])
    assert total(held) == 3 and len(hits(held)) == 3  # the three records DEMO-VN2 sent
    assert total(held) == api(client, "/api/search", library=DEMO_VN2)["total"]
    arrivals = html(client, links["Tài liệu mới của thư viện"])
    assert "Thư viện mẫu 2" in arrivals.one("h1").text
    feed = feed_of(client, links["Nguồn tin Atom"])
    assert len(feed.findall(ATOM + "entry")) == 3


def test_new_arrivals_page(client: FlaskClient) -> None:
    page = html(client, "/new")
    assert page.one("link", rel="alternate", type="application/atom+xml").attrs["href"] == "/new.atom"
    listed = page.one("ol", class_="arrivals").all("li")
    assert len(listed) == 20
    dates = [li.one("time").attrs["datetime"] for li in listed]
    assert dates == sorted(dates, reverse=True)
    first = listed[0]
    title = first.one("a", class_="hit-title")
    assert entry_page(client, title.attrs["href"]).one("h1").text.startswith(title.text.split(" : ")[0])
    library = first.one("span", class_="library").one("a")
    assert html(client, library.attrs["href"]).one("h1").text.endswith(library.text)
    assert first.one("time").text.startswith("Biên mục ngày ")
    (following,) = page.one("nav", class_="pager").all("a", rel="next")
    second = html(client, following.attrs["href"]).one("ol", class_="arrivals")
    assert second.attrs["start"] == "21"
    assert not {li.attrs["data-record"] for li in listed} & {
        li.attrs["data-record"] for li in second.all("li")
    }


def test_unknown_library_is_404(client: FlaskClient) -> None:
    problem(client.get("/new.atom?library=http://example.org/nowhere"), 404)
    assert (
        client.get("/new?library=http://example.org/nowhere", headers={"Accept": BROWSER}).status_code == 404
    )


def test_the_app_builds_an_in_memory_index_at_creation(app: Flask) -> None:
    index = search_of(app)
    assert index.available() and index.count() > 40


# in a real browser ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def search_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`lod serve` over the Vietnamese sample, with the search index the ingest built beside the store."""
    from lod.search import index_path
    from tests.conftest import SAMPLE, run_lod, serving

    store = tmp_path_factory.mktemp("search-served") / "store"
    for path, library in (("vietnamese.xml", "DEMO-VN1"), ("vietnamese-koha.mrc", "DEMO-VN2")):
        done = run_lod("--store", str(store), "ingest", "marc", str(SAMPLE / path), "--library", library)
        assert done.returncode == 0, done.stderr
    settings = load_settings(env={}, overrides={"store": str(store)})
    assert SqliteIndex(index_path(settings), read_only=True).count() == 15  # the ingest made it
    with serving(store) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium, as tests/web/test_browser.py drives it."""
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.mark.browser
@pytest.mark.server
def test_autocomplete_with_the_keyboard_on_a_phone(chromium: Any, search_server: str) -> None:
    context = chromium.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(search_server + "/search?q=nguyen")
    assert page.locator("ol.hits li").count() >= 2
    assert horizontal_overflow(page) <= 0

    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.fill("")
    box.press_sequentially("nguyen nh", delay=30)
    listbox = page.locator("#" + (box.get_attribute("aria-controls") or ""))
    assert listbox.get_attribute("role") == "listbox"
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert horizontal_overflow(page) <= 0
    page.keyboard.press("ArrowDown")
    option = page.locator("#" + (box.get_attribute("aria-activedescendant") or "missing"))
    assert option.get_attribute("aria-selected") == "true"
    assert "Nguyễn Nhật Ánh" in option.inner_text() and "Tác giả" in option.inner_text()
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and listbox.is_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")  # opens the list again, on its first suggestion
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=author*")
    assert "Nguyễn Nhật Ánh" in page.locator("ol.hits").inner_text()

    page.goto(search_server + "/new")
    assert horizontal_overflow(page) <= 0
    page.locator("#site-q").press_sequentially("de men", delay=30)
    page.locator("[role=option]", has_text="Dế Mèn").first.click()
    page.wait_for_url("**/resource/instance/**")
    assert page.locator("h1").inner_text().startswith("Dế Mèn phiêu lưu ký")
    context.close()
    assert problems == []


@pytest.mark.browser
@pytest.mark.server
def test_search_without_scripts_on_a_phone(chromium: Any, search_server: str) -> None:
    context = chromium.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(search_server + "/")
    page.locator("#site-q").fill("truyen kieu")
    page.locator("form.site-search button").click()
    page.wait_for_url("**/search?q=truyen+kieu")
    assert page.locator("a.hit-title").first.inner_text() == "Truyện Kiều"
    assert horizontal_overflow(page) <= 0
    page.locator("section[data-facet=language] a").first.click()
    assert page.locator("a.chip").count() == 1
    assert horizontal_overflow(page) <= 0
    context.close()


def test_more_matches_than_are_counted_are_said_to_be_more(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api(client, "/api/search", q="nguyen")["total_exact"] is True
    counted = api(client, "/api/search", type="Text", limit=1)["total"]
    monkeypatch.setattr(sqlite_index, "COUNT_CAP", 5)
    body = api(client, "/api/search", type="Text", limit=1)
    assert (body["total"], body["total_exact"]) == (5, False) and counted > 5
    page = html(client, "/search?type=Text")
    count = page.one("p", class_="result-count")
    assert count.attrs["data-total-exact"] == "false"
    assert count.text.split() == "Tìm thấy hơn 5 kết quả · 1–20 trong 5+".split(), count.text
    english = page_of(client.get("/search?type=Text&lang=en", headers={"Accept": BROWSER}))
    assert english.one("p", class_="result-count").text.strip().startswith("More than 5 results")
