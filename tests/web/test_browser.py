"""Pages in a real browser: Debian's chromium, driven by Playwright, against `lod serve`.

`make test` installs chromium (Debian package) when it is missing; Playwright's own browser
download is never used.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def phone(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def horizontal_overflow(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_home_then_an_instance_on_a_phone(phone, server, tmp_path_factory) -> None:
    phone.goto(server + "/")
    assert phone.locator("h1").inner_text() == "Dữ liệu mở thư viện Việt Nam"
    assert horizontal_overflow(phone) <= 0
    vietnamese = phone.locator("ul.examples a", has_text=re.compile("[ăâđêôơưĐ]")).first
    title = vietnamese.inner_text()
    vietnamese.click()
    phone.wait_for_url("**/resource/instance/**")
    assert phone.locator("h1").inner_text() == title
    assert phone.locator("dl.summary").is_visible()
    assert horizontal_overflow(phone) <= 0  # long IRIs wrap instead of widening the page
    shots = tmp_path_factory.mktemp("screens")
    phone.screenshot(path=str(shots / "instance-360.png"), full_page=True)
    if os.environ.get("LOD_KEEP_SCREENSHOTS"):
        shutil.copy(shots / "instance-360.png", os.environ["LOD_KEEP_SCREENSHOTS"])


def test_skip_link_is_first_and_moves_focus(phone, server) -> None:
    phone.goto(server + "/")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "skip"
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"


def test_language_switch_to_english(phone, server) -> None:
    phone.goto(server + "/")
    phone.locator("nav.lang a[hreflang=en]").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.lang") == "en"
    assert phone.locator("h1").inner_text() == "Vietnam Library Open Data"


def test_sparql_form_runs_a_query(phone, server) -> None:
    phone.goto(server + "/sparql")
    phone.fill("#query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    phone.select_option("#format", "html")
    phone.locator("form.sparql button").click()
    phone.wait_for_selector("table td")
    assert int(phone.locator("table td").first.inner_text()) > 5000
    assert horizontal_overflow(phone) <= 0


def test_no_console_errors_or_csp_violations(browser, server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in ("/", "/sparql"):
        page.goto(server + path)
    page.goto(server + "/")
    page.locator("ul.examples a").first.click()
    page.wait_for_url("**/resource/instance/**")
    context.close()
    assert problems == []


@pytest.fixture(scope="module")
def registry_server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`lod serve` over a store with the registry fixture and the Vietnamese sample held by VN-TEST1."""
    from tests.conftest import ROOT, SAMPLE, run_lod, serving

    store = tmp_path_factory.mktemp("registry-served") / "store"
    registry = ROOT / "tests" / "data" / "registry" / "libraries.csv"
    for args in (
        ("ingest", "registry", str(registry)),
        ("ingest", "marc", str(SAMPLE / "vietnamese.xml"), "--library", "VN-TEST1"),
    ):
        done = run_lod("--store", str(store), *args)
        assert done.returncode == 0, done.stderr
    with serving(store) as base:
        yield base


def test_library_list_then_a_library_on_a_phone(browser, registry_server) -> None:
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(registry_server + "/libraries")
    assert page.locator("h1").inner_text() == "Danh mục thư viện"
    assert page.locator("select#type").is_visible() and page.locator("select#province").is_visible()
    assert horizontal_overflow(page) <= 0
    page.locator("ul.libraries a", has_text="Thư viện Hà Nội").click()
    page.wait_for_url("**/resource/library/VN-TEST1")
    assert page.locator("h1").inner_text() == "Thư viện Hà Nội"
    assert "12 biểu ghi" in page.locator("p.holdings").inner_text()
    assert page.locator("a.map").is_visible()
    assert horizontal_overflow(page) <= 0
    context.close()
