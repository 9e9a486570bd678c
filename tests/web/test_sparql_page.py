"""The SPARQL page with and without the YASGUI editor (`make vendor`), and how its files are served.

The pages in a real browser, with the real bundle, are in test_browser.py."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from lod.config import load_settings
from lod.vocab import PREFIXES
from lod.web.vendor import INJECTED_STYLES, STYLE_HASHES
from tests.conftest import BASE, ROOT

CSP = "Content-Security-Policy"
SELECT_JSON = "application/sparql-results+json"
INSTALLED = ROOT / "var" / "vendor" / "yasgui"


def client_with(store, folder: Path):  # type: ignore[no-untyped-def]
    from lod.web import create_app

    settings = load_settings(env={}, overrides={"store": ":memory:", "base_iri": BASE, "yasgui": str(folder)})
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture()
def package(tmp_path: Path) -> Path:
    """A folder laid out as `make vendor` leaves it, with small stand-ins for the built files."""
    (tmp_path / "build").mkdir()
    (tmp_path / "package.json").write_text(json.dumps({"name": "@zazuko/yasgui", "version": "9.8.7"}))
    (tmp_path / "build" / "yasgui.min.js").write_text("window.Yasgui = {};\n")
    (tmp_path / "build" / "yasgui.min.css").write_text(".yasqe {}\n")
    (tmp_path / "build" / "yasgui.esm.js").write_text("export {};\n")
    return tmp_path


def test_without_the_editor_the_page_is_the_plain_form(store, tmp_path: Path) -> None:
    client = client_with(store, tmp_path / "missing")
    response = client.get("/sparql", headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    assert '<textarea id="query" name="query"' in page and "<script" not in page
    assert "data-prefixes" not in page and "yasgui" not in page
    assert "sha256" not in response.headers[CSP] and "unsafe-inline" not in response.headers[CSP]
    assert client.get("/static/vendor/yasgui/yasgui.min.js").status_code == 404


def test_with_the_editor_the_page_loads_it_with_our_prefixes(store, package: Path) -> None:
    client = client_with(store, package)
    response = client.get("/sparql", headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)" defer></script>', page)
    assert scripts == ["/static/vendor/yasgui/yasgui.min.js?v=9.8.7", "/static/sparql.js"]
    assert '<link rel="stylesheet" href="/static/vendor/yasgui/yasgui.min.css?v=9.8.7">' in page
    [prefixes] = re.findall(r'data-prefixes="([^"]+)"', page)
    assert json.loads(html.unescape(prefixes)) == PREFIXES
    assert f'data-base="{BASE}"' in page
    assert '<textarea id="query" name="query"' in page  # still the form's field, for the plain POST
    assert "Ctrl+Enter" in page


def test_only_pages_with_the_editor_allow_its_two_style_sheets(store, package: Path) -> None:
    client = client_with(store, package)
    policy = client.get("/sparql", headers={"Accept": "text/html"}).headers[CSP]
    assert f"style-src 'self' {STYLE_HASHES};" in policy and len(STYLE_HASHES.split()) == 2
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy
    for path in ("/", "/static/sparql.js"):
        with client.get(path) as other:
            assert "sha256" not in other.headers[CSP], path
    data = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": SELECT_JSON})
    assert "sha256" not in data.headers[CSP]


def test_only_the_built_files_are_served(store, package: Path) -> None:
    client = client_with(store, package)
    with client.get("/static/vendor/yasgui/yasgui.min.js?v=9.8.7") as script:
        assert script.status_code == 200 and script.data == b"window.Yasgui = {};\n"
        assert script.mimetype == "text/javascript" and "max-age=86400" in script.headers["Cache-Control"]
    with client.get("/static/vendor/yasgui/yasgui.min.css") as sheet:
        assert sheet.status_code == 200 and sheet.mimetype == "text/css"
    for name in ("yasgui.esm.js", "package.json", "..%2Fpackage.json", "build"):
        assert client.get(f"/static/vendor/yasgui/{name}").status_code == 404, name


def test_a_folder_without_the_built_files_counts_as_missing(store, package: Path) -> None:
    (package / "build" / "yasgui.min.css").unlink()
    page = client_with(store, package).get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "yasgui" not in page


@pytest.mark.skipif(not INSTALLED.is_dir(), reason="YASGUI is not installed: `make vendor` needs npm")
def test_the_allowed_style_sheets_are_the_ones_the_installed_bundle_adds() -> None:
    bundle = (INSTALLED / "build" / "yasgui.min.js").read_text(encoding="utf-8")
    grips, drag = INJECTED_STYLES
    assert bundle.count(grips) == 1
    assert drag == "*{cursor:col-resize!important}" and "dragCursor:`col-resize`" in bundle
    # nothing but our prefixes: the prefix.cc lookup is off unless configured
    assert "prefixCcApi:null" in bundle.replace(" ", "")
