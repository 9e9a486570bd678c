"""/admin/quarantine: the quarantine for administrators, read-only, HTML and JSON, over a real
quarantine directory filled by a real ingest."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lod.ingest import ingest_file
from lod.quarantine import Entry, Quarantine
from lod.store import OxigraphStore
from lod.web import create_app
from tests.conftest import SAMPLE

NO_TITLE = Path(__file__).parent.parent / "data" / "pipeline" / "talis_no_title2.mrc"
CONTROL = "e02ac0e42cb64948912dde564dbf19d7"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def quarantined(settings, minter, tmp_path_factory):  # type: ignore[no-untyped-def]
    store = OxigraphStore.open(None)
    quarantine = Quarantine(tmp_path_factory.mktemp("admin") / "quarantine")
    for path in (SAMPLE / "vietnamese-koha.mrc", NO_TITLE):
        ingest_file(store, path, "DEMO-VN2", minter, quarantine=quarantine)
    app = create_app(dataclasses.replace(settings, quarantine=str(quarantine.path)), store=store)
    app.config["TESTING"] = True
    [entry] = quarantine.list()
    return app, entry


@pytest.fixture()
def admin(quarantined):  # type: ignore[no-untyped-def]
    return quarantined[0].test_client()


@pytest.fixture()
def entry(quarantined) -> Entry:  # type: ignore[no-untyped-def]
    return quarantined[1]  # type: ignore[no-any-return]


def page(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    assert "noindex" in response.headers["X-Robots-Tag"]
    return str(response.data.decode("utf-8"))


def test_list_page_in_vietnamese_first(admin, entry: Entry) -> None:
    html = page(admin.get("/admin/quarantine", headers={"Accept": BROWSER}))
    assert "<h1>Biểu ghi bị cách ly</h1>" in html and 'data-count="1"' in html
    assert f'href="/admin/quarantine/{entry.id}"' in html
    assert CONTROL in html and f"{NO_TITLE}: 1" in html
    assert "Ấn phẩm phải có nhan đề (trường 245 $a)" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    english = page(admin.get("/admin/quarantine?lang=en", headers={"Accept": BROWSER}))
    assert "<h1>Quarantined records</h1>" in english and "An Instance must have a title" in english


def test_list_as_json(admin, entry: Entry) -> None:
    for response in (
        admin.get("/admin/quarantine", headers={"Accept": "application/json"}),
        admin.get("/admin/quarantine?format=json", headers={"Accept": BROWSER}),
    ):
        assert response.status_code == 200 and response.mimetype == "application/json"
        [item] = response.get_json()
        assert item["id"] == entry.id and item["control"] == CONTROL and item["library"] == "DEMO-VN2"
        assert "record" not in item
        assert item["results"][0]["messages"]["vi"]


def test_entry_page_shows_report_and_mrk(admin, entry: Entry) -> None:
    html = page(admin.get(f"/admin/quarantine/{entry.id}", headers={"Accept": BROWSER}))
    assert "Báo cáo kiểm tra" in html and "Ấn phẩm phải có nhan đề (trường 245 $a)" in html
    assert "<td>245 $a</td>" in html and "http://id.loc.gov/ontologies/bibframe/title" in html
    assert f"=001  {CONTROL}" in html and "=008  930326s1983" in html
    assert f"lod quarantine retry {entry.id}" in html


def test_entry_as_json(admin, entry: Entry) -> None:
    response = admin.get(f"/admin/quarantine/{entry.id}", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert Entry.from_json(body) == entry
    assert body["mrk"][0].startswith("=LDR  ")


def test_unknown_entry_is_404_and_unoffered_format_406(admin) -> None:
    missing = admin.get("/admin/quarantine/aaaaaaaaaaaaaaaa", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert "aaaaaaaaaaaaaaaa" in missing.get_json()["detail"]
    assert admin.get("/admin/quarantine/../etc", headers={"Accept": BROWSER}).status_code == 404
    refused = admin.get("/admin/quarantine", headers={"Accept": "text/turtle"})
    assert refused.status_code == 406


def test_not_linked_from_public_pages(admin) -> None:
    home = admin.get("/", headers={"Accept": BROWSER}).data.decode("utf-8")
    assert "/admin" not in home


def test_empty_or_missing_quarantine(settings, tmp_path: Path) -> None:
    app = create_app(
        dataclasses.replace(settings, quarantine=str(tmp_path / "none")), store=OxigraphStore.open(None)
    )
    html = page(app.test_client().get("/admin/quarantine", headers={"Accept": BROWSER}))
    assert "Khu cách ly trống." in html
    assert not (tmp_path / "none").exists()  # the read-only web app creates nothing
