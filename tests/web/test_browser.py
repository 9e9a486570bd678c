"""Pages in a real browser: Debian's chromium, driven by Playwright, against `lod serve`.

`make test` installs chromium (Debian package) when it is missing; Playwright's own browser
download is never used.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

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
    page.wait_for_url("**/resource/library/VN-TEST1.html")
    assert page.locator("h1").inner_text() == "Thư viện Hà Nội"
    assert "12 biểu ghi" in page.locator("p.holdings").inner_text()
    assert page.locator("a.map").is_visible()
    assert horizontal_overflow(page) <= 0
    context.close()


# the SPARQL page: with the YASGUI editor (`make vendor`), and the plain form without it ----------
YASGUI = Path(__file__).resolve().parents[2] / "var" / "vendor" / "yasgui"


@contextmanager
def serving_with_yasgui(store: Path, folder: Path, log: Path) -> Iterator[str]:
    """`lod serve` over `store` with the `yasgui` setting naming `folder`."""
    from tests.conftest import LOD, server_process

    with ExitStack() as running:
        with pytest.MonkeyPatch.context() as patch:  # the server's environment, not the tests'
            patch.setenv("LOD_YASGUI", str(folder))
            base = running.enter_context(
                server_process(
                    lambda port: [LOD, "--store", str(store), "serve", "--port", str(port)], "/", log
                )
            )
        yield base


@pytest.fixture(scope="module")
def yasgui_server(served_store, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not (YASGUI / "build" / "yasgui.min.js").is_file():
        pytest.skip("YASGUI is not installed: `make vendor` (run by `make test`) installs it with npm")
    with serving_with_yasgui(served_store, YASGUI, tmp_path_factory.mktemp("yasgui") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def plain_server(served_store, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    logs = tmp_path_factory.mktemp("no-yasgui")
    with serving_with_yasgui(served_store, logs / "not-installed", logs / "serve.log") as base:
        yield base


def watch(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Console errors (CSP violations among them), script errors and requests to any other server."""
    problems: list[str] = []
    ours = (base, "data:", "blob:")

    def console(message) -> None:  # type: ignore[no-untyped-def]
        # the site has no favicon: Chromium's own request for one is not the page's doing
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: None if request.url.startswith(ours) else problems.append(request.url))
    return problems


def test_sparql_example_runs_in_the_editor_on_a_phone(browser, yasgui_server, tmp_path_factory) -> None:
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, yasgui_server)
    page.goto(yasgui_server + "/sparql")
    page.locator("form.sparql .yasqe .CodeMirror").wait_for()
    assert page.locator("#query").is_hidden()
    assert horizontal_overflow(page) <= 0
    page.locator("ul.queries a", has_text="Sách của một tác giả Việt Nam").click()
    table = page.locator("section.results.live table.dataTable")
    table.locator("a.iri").first.wait_for()
    assert "Nguyễn Nhật Ánh" in table.inner_text() and "Tôi thấy hoa vàng trên cỏ xanh" in table.inner_text()
    assert horizontal_overflow(page) <= 0  # the table scrolls inside its box
    shots = tmp_path_factory.mktemp("screens")
    page.screenshot(path=str(shots / "sparql-yasgui-360.png"), full_page=True)
    instance = table.locator("a.iri", has_text="/resource/instance/").first
    title = instance.locator("xpath=ancestor::tr").inner_text()
    instance.click()
    page.wait_for_url(yasgui_server + "/resource/instance/**")
    assert page.locator("h1").inner_text() in title
    context.close()
    assert problems == []


def test_sparql_editor_declares_our_prefixes_and_asks_no_other_server(browser, yasgui_server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, yasgui_server)
    page.goto(yasgui_server + "/sparql")
    editor = page.locator("form.sparql .yasqe .CodeMirror")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT ?book WHERE { ?book a lodv:UnionInstance }")
    assert "PREFIX lodv: <https://w3id.org/vn-library-lod/vocab#>" in editor.inner_text()
    assert page.locator("label[for=query-editor]").inner_text() == "Query"
    page.keyboard.press("Tab")  # no keyboard trap: Tab leaves the editor
    assert page.evaluate("document.activeElement.id") == "format"
    editor.click()
    page.keyboard.press("Control+Enter")
    table = page.locator("section.results.live table.dataTable")
    table.locator("a.iri").first.wait_for()
    assert table.locator("tbody tr").count() >= 40  # the sample's union instances
    # dragging a column's edge: YASR's resizer adds its second style sheet (allowed by its hash)
    grip = page.locator(".grip-container .grip-resizable").first.bounding_box()
    assert grip is not None
    page.mouse.move(grip["x"] + 5, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(grip["x"] + 80, grip["y"] + 5, steps=4)
    page.mouse.up()
    # the other formats are the plain form's: the endpoint's CSV, as a download
    page.select_option("#format", "csv")
    with page.expect_download() as download:
        page.locator("form.sparql button").click()
    lines = Path(download.value.path()).read_bytes().decode("utf-8").splitlines()
    assert lines[0] == "book" and len(lines) == 1 + table.locator("tbody tr").count()
    context.close()
    assert problems == []


def test_sparql_plain_form_example_on_a_phone(browser, plain_server) -> None:
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, plain_server)
    page.goto(plain_server + "/sparql")
    assert page.locator("#query").is_visible() and page.locator(".yasqe").count() == 0
    page.locator("ul.queries a", has_text="Thư viện nào có cuốn sách này?").click()
    table = page.locator("section.results table")
    table.locator("a").first.wait_for()
    assert '"escape from loneliness"' in page.locator("#query").input_value()
    assert horizontal_overflow(page) <= 0
    library = table.locator("a", has_text="/resource/library/DEMO-PYMARC-M8")
    library.click()
    page.wait_for_url(plain_server + "/resource/library/DEMO-PYMARC-M8**")
    assert page.locator("h1").inner_text() == "pymarc test records, MARC-8 (leader/09 blank)"
    context.close()
    assert problems == []


def test_sparql_plain_form_runs_a_typed_query(browser, plain_server) -> None:
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(plain_server + "/sparql")
    page.fill("#query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    page.select_option("#format", "html")
    page.locator("form.sparql button").click()
    page.wait_for_selector("table td")
    assert int(page.locator("table td").first.inner_text()) > 5000
    assert horizontal_overflow(page) <= 0
    context.close()


# entity pages by kind (lod.facts): an Instance, then its author, on a phone ---------------------
def test_instance_then_its_author_on_a_phone(phone, server) -> None:
    from lod.uris import Minter

    minter = Minter("http://127.0.0.1:5000/")  # the served store's base; paths do not depend on it
    kieu = minter.path_of(minter.instance(minter.record_id("DEMO-VN1", "TVD240000101")).value)
    phone.goto(f"{server}{kieu}.html")
    assert phone.locator("h1").inner_text() == "Truyện Kiều"
    assert phone.locator("section[data-section=held_by] a", has_text="Thư viện mẫu 1").is_visible()
    assert horizontal_overflow(phone) <= 0
    author = phone.locator("[data-field=authors] a").first
    name = author.inner_text()
    author.click()
    phone.wait_for_url("**/resource/agent/**")
    assert phone.locator("h1").inner_text() == name
    assert phone.locator("section[data-section=works] a", has_text="Truyện Kiều").is_visible()
    assert horizontal_overflow(phone) <= 0


# the journey of issue 8, at phone and desktop widths, with screenshots kept for people to look at
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(
    os.environ.get("LOD_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_journey_home_book_author_language_query(browser, server, viewport) -> None:  # type: ignore[no-untyped-def]
    """Home page, browse to a book, follow its author, switch to English, run an example query.
    Screenshots of each step go to var/screenshots (or $LOD_SCREENSHOTS)."""
    width = viewport["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, server)

    def step(name: str) -> None:
        page.wait_for_load_state()
        assert horizontal_overflow(page) <= 0, f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)

    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Dữ liệu mở thư viện Việt Nam"
    step("1-home")
    books = page.locator("ul.examples a").count()
    for index in range(books):  # browse: the first example book that names an author
        page.goto(server + "/")
        page.locator("ul.examples a").nth(index).click()
        page.wait_for_url("**/resource/instance/**")
        if page.locator("[data-field=authors] a").count():
            break
    else:
        pytest.fail("no example book on the home page names an author")
    step("2-book")
    author = page.locator("[data-field=authors] a").first
    name = author.inner_text()
    author.click()
    page.wait_for_url("**/resource/agent/**")
    assert page.locator("h1").inner_text() == name
    step("3-author")
    page.locator("nav.lang a[hreflang=en]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text() == name  # the data stays as written
    step("4-author-en")
    page.locator("header.site nav a", has_text="SPARQL").first.click()
    page.wait_for_url("**/sparql**")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator("ul.queries a", has_text="Books by a Vietnamese author").click()
    table = page.locator("section.results table").last
    table.locator("a").first.wait_for()
    assert "Nguyễn Nhật Ánh" in table.inner_text()
    step("5-query")
    context.close()
    assert problems == []
