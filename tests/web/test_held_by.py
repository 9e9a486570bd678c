""" "Held by" on Instance and Work pages, grouped by the holding library's 2025 province, against the
real app over a real store: the registry fixture (tests/data/registry/libraries.csv) plus two
libraries written here, and one hand-made record (tests/data/pages/truyen-kieu-1998.xml) sent by
five libraries, so that the union catalogue merges it into one union Instance and one union Work."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from pyoxigraph import NamedNode

from lod.ingest import ingest_file
from lod.registry import ingest_registry
from lod.store import OxigraphStore
from lod.unions import recluster
from lod.uris import Minter
from lod.vocab import BF
from tests.test_libraries import REGISTRY
from tests.web.test_resources import Element, html_path, page_of, section

KIEU_1998 = Path(__file__).parent.parent / "data" / "pages" / "truyen-kieu-1998.xml"
RECORD = "TK1998001"
EXTRA = (
    "id,name,type,province_code,website,services\n"
    "tv-dn,Thư viện Đà Nẵng (thử),public,48,https://opac.example.vn/,online-catalogue;lending\n"
    "tv-cb,Thư viện Cao Bằng (thử),public,04,,online-catalogue\n"
)
"""A library with a website and the online-catalogue service; one with the service, no website."""
SENDERS = ["VN-TEST1", "x-tv-qg", "x-tv-hcm", "x-tv-dn", "x-tv-cb", "DEMO-VN3"]
"""Who sends the record: Hà Nội (ISIL), National Library (website, no online-catalogue service),
Hồ Chí Minh City, Đà Nẵng, Cao Bằng (registry pseudo-ISILs) and a placeholder the registry lacks."""
GROUPS = [
    ("Thành phố Đà Nẵng", ["Thư viện Đà Nẵng (thử)"]),
    ("Thành phố Hà Nội", ["Thư viện Hà Nội", "Thư viện Quốc gia Việt Nam"]),
    ("Thành phố Hồ Chí Minh", ["Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh"]),
    ("Tỉnh Cao Bằng", ["Thư viện Cao Bằng (thử)"]),
    ("Chưa rõ tỉnh/thành", ["Thư viện mẫu 3 (demo)"]),
]
"""Provinces in Vietnamese order (Đ after D, 'Thành' before 'Tỉnh'), the unknown province last.
Libraries by the name shown in the page's language: a registry library has its name in Vietnamese
and in English (the English names are in ENGLISH_HANOI)."""
ENGLISH_HANOI = ("Thành phố Hà Nội", ["Hanoi Library", "National Library of Vietnam"])
"""The Hà Nội group on an English page: province names stay Vietnamese, library names do not."""


@pytest.fixture(scope="module")
def held_store(minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    store = OxigraphStore.open(None)
    extra = tmp_path_factory.mktemp("held-by") / "extra.csv"
    extra.write_text(EXTRA, encoding="utf-8")
    for path in (REGISTRY, extra):
        assert not ingest_registry(store, path, minter).errors
    for code in SENDERS:
        label = "Thư viện mẫu 3 (demo)" if code.startswith("DEMO") else None
        assert ingest_file(store, KIEU_1998, code, minter, library_name=label).loaded == 1
    recluster(store, minter)
    return store


@pytest.fixture(scope="module")
def held_app(settings, held_store: OxigraphStore) -> Flask:  # type: ignore[no-untyped-def]
    from lod.web import create_app

    app = create_app(settings, store=held_store)
    app.config["TESTING"] = True
    return app


def objects(store: OxigraphStore, subject: NamedNode, predicate: NamedNode) -> list[str]:
    return [t.object.value for t in store.describe(subject) if t.predicate == predicate]


def groups(page: Element) -> list[tuple[str, list[str]]]:
    """(province heading, library names) of the "held by" section, in page order."""
    found: list[tuple[str, list[str]]] = []
    for e in section(page, "held_by").walk():
        if e.tag == "h3":
            found.append((e.text.strip(), []))
        elif e.tag == "span" and e.attrs.get("class") == "row-title":
            found[-1][1].append(e.text.strip())
    return found


def catalogue_links(page: Element) -> dict[str, str]:
    """Library name -> the href of its online-catalogue link."""
    found = {}
    for row in section(page, "held_by").all("li"):
        title = row.all("span", class_="row-title")
        for a in row.all("a", class_="external"):
            found[title[0].text.strip()] = a.attrs["href"]
            assert a.text == "Mục lục trực tuyến"
    return found


def test_instance_page_groups_libraries_by_province(held_app, held_store, minter) -> None:
    record = minter.instance(minter.record_id("VN-TEST1", RECORD))
    (union,) = objects(held_store, record, NamedNode("https://w3id.org/vn-library-lod/vocab#unionInstance"))
    page = page_of(held_app.test_client().get(html_path(minter, union)))
    assert groups(page) == GROUPS
    assert catalogue_links(page) == {"Thư viện Đà Nẵng (thử)": "https://opac.example.vn/"}
    held = section(page, "held_by")
    assert "895.9221 NG-D (VV.000981)" in held.links().values()  # the items are still listed
    assert "1 bản sao" in held.text


def test_union_work_page_lists_who_holds_its_editions(held_app, held_store, minter) -> None:
    record = minter.instance(minter.record_id("VN-TEST1", RECORD))
    (union,) = objects(held_store, record, NamedNode("https://w3id.org/vn-library-lod/vocab#unionInstance"))
    (work,) = objects(held_store, NamedNode(union), BF.instanceOf)
    page = page_of(held_app.test_client().get(html_path(minter, work)))
    assert page.one("p", class_="kind").text == "Tác phẩm · mục lục liên hợp"
    assert groups(page) == GROUPS
    assert catalogue_links(page) == {"Thư viện Đà Nẵng (thử)": "https://opac.example.vn/"}


def test_own_work_page_lists_its_library_under_its_province(held_app, held_store, minter) -> None:
    record = minter.instance(minter.record_id("x-tv-dn", RECORD))
    (work,) = objects(held_store, record, BF.instanceOf)
    page = page_of(held_app.test_client().get(html_path(minter, work) + "?lang=en"))
    assert groups(page) == [("Thành phố Đà Nẵng", ["Thư viện Đà Nẵng (thử)"])]
    (link,) = section(page, "held_by").all("a", class_="external")
    assert link.text == "Online catalogue"


def test_unknown_province_in_english(held_app, held_store, minter) -> None:
    record = minter.instance(minter.record_id("DEMO-VN3", RECORD))
    page = page_of(held_app.test_client().get(html_path(minter, record) + "?lang=en"))
    assert groups(page) == [("Province unknown", ["Thư viện mẫu 3 (demo)"])]
    assert catalogue_links(page) == {}


def test_an_english_page_names_the_libraries_in_english(held_app, held_store, minter) -> None:
    record = minter.instance(minter.record_id("VN-TEST1", RECORD))
    (union,) = objects(held_store, record, NamedNode("https://w3id.org/vn-library-lod/vocab#unionInstance"))
    page = page_of(held_app.test_client().get(html_path(minter, union) + "?lang=en"))
    assert ENGLISH_HANOI in groups(page)
    assert ("Province unknown", ["Thư viện mẫu 3 (demo)"]) == groups(page)[-1]  # only a Vietnamese name
