"""Hardening of the web app (lod.web.security, web/errors.py, web/server.py; SECURITY.md): headers
on every kind of response, record values shown as text wherever they go out, no traceback to a
client, request size limits, request ids and the request log; and gunicorn's limits on a real
`lod serve`."""

from __future__ import annotations

import dataclasses
import http.client
import json
import logging
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pymarc
import pytest
from flask import Blueprint, Flask, request
from flask.testing import FlaskClient

from lod.config import Settings, load_settings
from lod.errors import ConfigError
from lod.ingest import ingest_file
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.web import create_app
from lod.web.security import POLICY, body_limit
from tests.conftest import BASE, LOD, ROOT, server_process

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
LIBRARY = "VN-XSS"
CONTROL = "XSS1"
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
SAFE_SCHEMES = {"http", "https", "ftp", "mailto"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}


# helpers ---------------------------------------------------------------------------------------
def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: sources}."""
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


class Page(HTMLParser):
    """Every element with its attributes, the text people read, and the body of each script."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self._body: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script, self._body = attributes, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._body)))
            self._script = None

    def handle_data(self, data: str) -> None:
        (self._body if self._script is not None else self.texts).append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


def scheme_of(url: str) -> str | None:
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", url))
    return found.group(1).lower() if found else None


def assert_inert(markup: str, *shown: str) -> Page:
    """No element, attribute, script or URL came from a record; `shown` texts are read as text."""
    page = Page(markup)
    tags = {tag for tag, _ in page.elements}
    assert not tags & {"img", "iframe", "object", "embed", "svg"}, tags
    for tag, attributes in page.elements:
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        for name in ("href", "src", "action", "formaction"):
            if name in attributes:
                scheme = scheme_of(attributes[name])
                allowed = scheme in SAFE_SCHEMES or scheme is None
                allowed = allowed or (tag == "link" and attributes == {"rel": "icon", "href": "data:,"})
                assert allowed, (tag, attributes)
    for attributes, body in page.scripts:  # scripts from our own files, or data that never runs
        if "src" in attributes:
            assert attributes["src"].startswith("/static/") and not body.strip(), attributes
        else:
            assert attributes.get("type") == "application/ld+json", attributes
            json.loads(body)
    for text in shown:
        assert text in page.text, text
    return page


def local_names(root: ET.Element) -> set[str]:
    return {element.tag.rsplit("}", 1)[-1] for element in root.iter()}


# a hostile record --------------------------------------------------------------------------------
def field(tag: str, indicators: str, *subfields: tuple[str, str]) -> pymarc.Field:
    return pymarc.Field(
        tag=tag,
        indicators=pymarc.Indicators(indicators[0], indicators[1]),
        subfields=[pymarc.Subfield(code, value) for code, value in subfields],
    )


def hostile_record() -> pymarc.Record:
    record = pymarc.Record(force_utf8=True)
    record.leader = pymarc.Leader("00000nam a2200000 a 4500")
    record.add_field(pymarc.Field(tag="001", data=CONTROL))
    record.add_field(pymarc.Field(tag="008", data="250101s2025    vm            000 0 vie d"))
    record.add_field(field("100", "1 ", ("a", f"Tác giả {SCRIPT} {IMG}"), ("0", JS_URL)))
    record.add_field(field("245", "10", ("a", f"Sách {SCRIPT} độc :"), ("b", f"phụ đề {IMG} thử")))
    record.add_field(field("264", " 1", ("a", "Hà Nội :"), ("b", f"NXB {IMG},"), ("c", "2025")))
    record.add_field(field("500", "  ", ("a", f"Ghi chú {SCRIPT} và {IMG} hết")))
    record.add_field(field("650", " 4", ("a", f"Chủ đề {IMG} {SCRIPT} cuối")))
    record.add_field(field("856", "40", ("u", JS_URL), ("y", f"Nhấn {SCRIPT}")))
    record.add_field(field("856", "41", ("u", " JaVaScRiPt:alert(2)")))
    record.add_field(field("952", "  ", ("p", "VV.XSS1")))
    return record


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, settings: Settings, minter: Minter) -> Flask:
    path = tmp_path_factory.mktemp("hostile") / "hostile.mrc"
    path.write_bytes(hostile_record().as_marc())
    store = OxigraphStore.open(None)
    report = ingest_file(store, path, LIBRARY, minter, library_name=f"Thư viện {SCRIPT} {IMG}")
    assert report.loaded == 1, [e.message("en") for e in report.errors]
    return create_app(settings, store=store)


@pytest.fixture()
def web(hostile: Flask) -> FlaskClient:
    return hostile.test_client()


def instance_path(minter: Minter) -> str:
    path = minter.path_of(minter.instance(minter.record_id(LIBRARY, CONTROL)).value)
    assert path is not None
    return path


# escaping ----------------------------------------------------------------------------------------
def test_the_record_page_shows_every_hostile_value_as_text(web: FlaskClient, minter: Minter) -> None:
    response = web.get(instance_path(minter), headers={"Accept": HTML_ACCEPT}, follow_redirects=True)
    assert response.status_code == 200
    markup = response.get_data(as_text=True)
    page = assert_inert(markup, f"Sách {SCRIPT} độc", IMG, f"Ghi chú {SCRIPT} và {IMG} hết")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup  # escaped by the template, not dropped
    assert JS_URL in page.text  # the 856 link is shown as text, never as a link
    [jsonld] = [json.loads(body) for attributes, body in page.scripts if "src" not in attributes]
    assert SCRIPT in json.dumps(jsonld, ensure_ascii=False)  # the data is whole, and inert


def test_every_linked_page_of_the_record_is_inert(web: FlaskClient, minter: Minter) -> None:
    """The work, agents, subjects, library and items the record's page links to."""
    start = web.get(instance_path(minter), headers={"Accept": HTML_ACCEPT}, follow_redirects=True)
    links = {
        attributes["href"].split("#")[0]
        for tag, attributes in Page(start.get_data(as_text=True)).elements
        if tag == "a" and attributes.get("href", "").startswith("/resource/")
    }
    assert len(links) >= 4, links
    shown = 0
    for link in sorted(links):
        response = web.get(link, headers={"Accept": HTML_ACCEPT}, follow_redirects=True)
        assert response.status_code == 200, link
        if response.mimetype != "text/html":  # a data document: never read as a page
            assert response.headers["X-Content-Type-Options"] == "nosniff", link
            assert response.mimetype in RDF_TYPES, (link, response.mimetype)
            continue
        page = assert_inert(response.get_data(as_text=True))
        shown += SCRIPT in page.text or IMG in page.text
    assert shown >= 3  # the agent, subject and library pages carry the payloads as text


def test_search_page_and_json(web: FlaskClient) -> None:
    response = web.get("/search", query_string={"q": "độc"}, headers={"Accept": HTML_ACCEPT})
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True), f"Sách {SCRIPT} độc")
    found = web.get("/api/search", query_string={"q": "độc"})
    assert found.mimetype == "application/json" and found.headers["X-Content-Type-Options"] == "nosniff"
    [hit] = found.get_json()["hits"]
    assert SCRIPT in hit["title"] and any(SCRIPT in agent for agent in hit["agents"])
    assert hit["url"].startswith("http://localhost/resource/")  # a page of this server
    suggested = web.get("/api/suggest", query_string={"q": "sách độc"})
    assert suggested.mimetype == "application/json" and SCRIPT in suggested.get_data(as_text=True)


def test_new_arrivals_page_and_atom_feed(web: FlaskClient) -> None:
    page = web.get("/new", headers={"Accept": HTML_ACCEPT})
    assert_inert(page.get_data(as_text=True), f"Sách {SCRIPT} độc")
    feed = web.get("/new.atom")
    assert feed.status_code == 200
    root = ET.fromstring(feed.data)
    assert not local_names(root) & {"script", "img"}
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") or "" for e in root.iter(f"{atom}entry")]
    assert any(SCRIPT in title for title in titles), titles
    hrefs = [e.get("href", "") for e in root.iter(f"{atom}link")]
    assert hrefs and all(scheme_of(href) in {"http", "https"} for href in hrefs)


def test_oai_pmh_and_the_sitemap(web: FlaskClient) -> None:
    answer = web.get("/oai", query_string={"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    root = ET.fromstring(answer.data)
    assert not local_names(root) & {"script", "img"}
    titles = [e.text or "" for e in root.iter("{http://purl.org/dc/elements/1.1/}title")]
    assert any(SCRIPT in title and "độc" in title for title in titles), titles
    sitemap = web.get("/sitemap.xml")
    root = ET.fromstring(sitemap.data)
    assert not local_names(root) & {"script", "img"}
    locations = [e.text or "" for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations and all(location.startswith(BASE) for location in locations)


def test_the_reconciliation_preview_is_inert_and_frameable(web: FlaskClient, minter: Minter) -> None:
    entity = instance_path(minter).removeprefix("/resource/")
    response = web.get("/reconcile/preview", query_string={"id": entity})
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True), SCRIPT)
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["*"] and "X-Frame-Options" not in response.headers
    assert "script-src" not in policy and policy["default-src"] == ["'none'"]  # no script at all


def test_a_javascript_iri_is_never_a_link() -> None:
    from lod.describe import Value

    for iri in (JS_URL, " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>", "vbscript:x"):
        assert Value("x", iri=iri, href=iri).href is None, iri
    for href in ("https://id.loc.gov/x", "/resource/agent/abc", "?incoming=50", "mailto:a@b.vn"):
        assert Value("x", href=href).href == href


def test_templates_and_scripts_have_no_inline_code() -> None:
    """Scripts come from files (script-src 'self'): no inline <script> code, no on…= handler and
    no javascript: URL in any template; static scripts set no handler from strings."""
    for template in sorted((ROOT / "web" / "templates").glob("*.html")):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/ld+json"' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text.lower(), template.name
    for script in sorted((ROOT / "web" / "static").glob("*.js")):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*['\"]|\.innerHTML\s*=", text), (
            script.name
        )


# headers -----------------------------------------------------------------------------------------
def assert_security_headers(response: Any, what: str) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff", what
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", what
    policy = directives(headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], what  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], what
    assert policy["frame-ancestors"] == ["'none'"] and headers["X-Frame-Options"] == "DENY", what
    assert "unsafe-inline" not in headers["Content-Security-Policy"], what
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-Id"]), what


def test_headers_on_pages_data_and_errors(client: FlaskClient, minter: Minter) -> None:
    instance = minter.path_of(minter.instance(minter.record_id("DEMO-VN1", "TVD240000101")).value)
    ask = {"query": "ASK {}"}
    cases = [
        ("/", {"Accept": HTML_ACCEPT}, {}, "text/html", False),
        (f"{instance}.ttl", {}, {}, "text/turtle", True),
        (instance, {"Accept": "application/ld+json"}, {}, "application/ld+json", True),
        ("/api/search", {}, {"q": "Kiều"}, "application/json", True),
        (
            "/sparql",
            {"Accept": "application/sparql-results+json"},
            ask,
            "application/sparql-results+json",
            True,
        ),
        ("/nowhere", {"Accept": HTML_ACCEPT}, {}, "text/html", False),
        ("/nowhere", {"Accept": "application/json"}, {}, "application/problem+json", True),
        ("/sparql", {"Accept": "application/json"}, {"query": "SELEC"}, "application/problem+json", True),
        ("/static/style.css", {}, {}, "text/css", False),
    ]
    for path, headers, query, mimetype, cors in cases:
        with client.get(path, headers=headers, query_string=query, follow_redirects=True) as response:
            what = f"{path} {headers}"
            assert response.mimetype == mimetype, what
            assert_security_headers(response, what)
            if cors:  # data may be read by scripts on any origin, errors too
                assert response.headers["Access-Control-Allow-Origin"] == "*", what


def test_the_policy_is_set_in_one_place() -> None:
    policy = directives(POLICY)
    assert policy["default-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


# no tracebacks -----------------------------------------------------------------------------------
SECRET = "s3cr3t-/etc/lod/passwords"

trap = Blueprint("trap", __name__)


@trap.route("/test-only/boom")
@trap.route("/api/test-only/boom")
def boom() -> str:
    raise RuntimeError(SECRET)


@trap.route("/test-only/stream", methods=["POST"])
@body_limit(None)
def streamed() -> dict[str, int]:
    return {"read": len(request.get_data())}


@trap.route("/test-only/larger", methods=["POST"])
@body_limit(8192)
def larger() -> dict[str, int]:
    return {"read": len(request.get_data())}


@pytest.fixture(scope="module")
def trapped(settings: Settings, store: OxigraphStore) -> Flask:
    """The real app, with a small body limit and a test-only blueprint that fails on purpose."""
    app = create_app(dataclasses.replace(settings, max_request_bytes=2048), store=store)
    app.register_blueprint(trap)
    return app


def assert_no_traceback(body: str) -> None:
    for leak in ("Traceback", "RuntimeError", SECRET, 'File "', "site-packages"):
        assert leak not in body, leak


def test_an_internal_error_is_one_shape_without_the_traceback(
    trapped: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = trapped.test_client()
    caplog.set_level(logging.INFO, logger="lod.web")
    page = client.get("/test-only/boom", headers={"Accept": HTML_ACCEPT})
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert_no_traceback(page.get_data(as_text=True))
    ident = page.headers["X-Request-Id"]
    assert ident in Page(page.get_data(as_text=True)).text  # people can quote it
    assert_security_headers(page, "500 page")
    for path, accept in (("/test-only/boom", "application/json"), ("/api/test-only/boom", HTML_ACCEPT)):
        problem = client.get(path, headers={"Accept": accept})
        assert problem.status_code == 500 and problem.mimetype == "application/problem+json", path
        body = problem.get_json()
        assert set(body) == {"type", "title", "status", "detail", "instance", "request_id"}
        assert body["status"] == 500 and body["instance"] == path
        assert body["request_id"] == problem.headers["X-Request-Id"] and body["request_id"] in body["detail"]
        assert_no_traceback(problem.get_data(as_text=True))
    # the traceback is in the server's log, under the id the client was given
    [failure] = [r for r in caplog.records if r.exc_info and ident in r.getMessage()]
    assert failure.exc_info is not None and SECRET in str(failure.exc_info[1])


def test_a_broken_store_is_an_error_without_the_traceback(
    trapped: Flask, minter: Minter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lod.web import sparql, store_of

    def broken(*args: object, **kwargs: object) -> Any:
        raise OSError(SECRET)

    monkeypatch.setattr(store_of(trapped), "exists", broken)
    monkeypatch.setattr(sparql.protection_of(trapped).runner, "run", broken)
    client = trapped.test_client()
    instance = minter.path_of(minter.instance(minter.record_id("DEMO-VN1", "TVD240000101")).value)
    for path, query, accept, mimetype in (
        (f"{instance}.html", {}, HTML_ACCEPT, "text/html"),
        (f"{instance}.ttl", {}, "text/turtle", "application/problem+json"),
        ("/sparql", {"query": "ASK {}"}, "application/sparql-results+json", "application/problem+json"),
    ):
        response = client.get(path, query_string=query, headers={"Accept": accept})
        assert response.status_code == 500 and response.mimetype == mimetype, path
        assert_no_traceback(response.get_data(as_text=True))


# request size ------------------------------------------------------------------------------------
def test_bodies_over_the_limit_are_413_before_they_are_read(trapped: Flask) -> None:
    client = trapped.test_client()
    small = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    large = small + " #" + "x" * 4096
    for body, status in ((small, 200), (large, 413)):
        answer = client.post(
            "/sparql",
            data=body.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == status
    form = client.post("/sparql", data={"query": large}, headers={"Accept": "application/json"})
    assert form.status_code == 413 and form.mimetype == "application/problem+json"
    assert "2048" in form.get_json()["detail"] and form.get_json()["request_id"]
    page = client.post(
        "/sparql", data={"query": large}, headers={"Accept": HTML_ACCEPT, "Accept-Language": "vi"}
    )
    assert page.status_code == 413 and "vượt quá giới hạn 2048 byte" in page.get_data(as_text=True)
    batch = json.dumps({f"q{i}": {"query": "x" * 100} for i in range(40)})
    assert client.post("/reconcile", data={"queries": batch}).status_code == 413


def test_a_view_may_take_larger_bodies_it_bounds_itself(trapped: Flask) -> None:
    client = trapped.test_client()
    assert client.post("/test-only/stream", data=b"x" * 100_000).get_json() == {"read": 100_000}
    assert client.post("/test-only/larger", data=b"x" * 5000).get_json() == {"read": 5000}
    assert client.post("/test-only/larger", data=b"x" * 9000).status_code == 413


def test_the_limit_is_a_setting() -> None:
    assert load_settings(env={"LOD_MAX_REQUEST_BYTES": "4096"}).max_request_bytes == 4096
    with pytest.raises(ConfigError, match="max_request_bytes"):
        load_settings(env={}, overrides={"max_request_bytes": 10})


# request ids and the log -------------------------------------------------------------------------
def log_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    lines = []
    for record in caplog.records:
        if record.name == "lod.web" and record.getMessage().startswith("{"):
            lines.append(json.loads(record.getMessage()))
    return lines


def test_a_sane_request_id_is_echoed_and_others_replaced(client: FlaskClient) -> None:
    for sane in ("abc-123.DEF_4:5", "0" * 64, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"):
        assert client.get("/", headers={"X-Request-Id": sane}).headers["X-Request-Id"] == sane
    seen = set()
    for insane in ("0" * 65, "two words", "<script>", "-leading", "a\u00e9", ""):
        ident = client.get("/", headers={"X-Request-Id": insane}).headers["X-Request-Id"]
        assert re.fullmatch(r"[0-9a-f]{32}", ident), insane
        seen.add(ident)
    assert len(seen) == 6  # a new one each time
    problem = client.get("/nowhere", headers={"Accept": "application/json", "X-Request-Id": "trace-42"})
    assert problem.get_json()["request_id"] == "trace-42" == problem.headers["X-Request-Id"]


def test_one_json_log_line_per_request_without_secrets(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lod.web")
    secret = "tok_live_0123456789abcdef"
    response = client.get(
        "/search",
        query_string={"q": "Kiều", "token": secret},
        headers={"Accept": HTML_ACCEPT, "Authorization": f"Bearer {secret}", "Cookie": f"session={secret}",
                 "X-Request-Id": "req-search-1"},
    )  # fmt: skip
    missing = client.get("/nowhere", headers={"Accept": "application/json", "X-Request-Id": "req-missing-2"})
    assert response.status_code == 200 and missing.status_code == 404
    lines = log_lines(caplog)
    [search] = [line for line in lines if line["request_id"] == "req-search-1"]
    [nowhere] = [line for line in lines if line["request_id"] == "req-missing-2"]
    assert search["method"] == "GET" and search["path"] == "/search" and search["status"] == 200
    assert nowhere["path"] == "/nowhere" and nowhere["status"] == 404
    assert isinstance(search["duration_ms"], float) and search["duration_ms"] >= 0
    assert search["remote_addr"] == "127.0.0.1" and re.match(r"\d{4}-\d\d-\d\dT", search["time"])
    assert secret not in caplog.text and "Bearer" not in caplog.text and "Kiều" not in caplog.text


# gunicorn, for real ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`lod serve` over the sample, with a log of its own: (base URL, log file)."""
    log = tmp_path_factory.mktemp("security-serve") / "serve.log"
    command = lambda port: [LOD, "--store", str(served_store), "serve", "--port", str(port)]  # noqa: E731
    with server_process(command, "/", log) as base:
        yield base, log


def test_gunicorn_is_configured_with_limits(settings: Settings) -> None:
    from lod.web.server import ProcessServer

    configured = ProcessServer(dataclasses.replace(settings, sparql_timeout=20), "127.0.0.1", 0, 1, 1).cfg
    assert configured.timeout == 50 and configured.keepalive == 5
    assert configured.limit_request_line == 8190
    assert configured.limit_request_fields == 64 and configured.limit_request_field_size == 8190


def raw_request(
    base: str, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body or None)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.server
def test_a_real_server_refuses_oversized_requests(served: tuple[str, Path]) -> None:
    server, _ = served
    status, _, body = raw_request(server, "GET", "/sparql?query=" + "x" * 9000, {})
    assert status == 414 and b"Traceback" not in body
    many = {f"X-Extra-{i}": "1" for i in range(70)}
    assert raw_request(server, "GET", "/", many)[0] == 431
    assert raw_request(server, "GET", "/", {"X-Big": "y" * 9000})[0] == 431
    # a body over max_request_bytes is refused from its Content-Length, before it is sent whole
    status, headers, body = raw_request(
        server,
        "POST",
        "/sparql",
        {
            "Content-Type": "application/sparql-query",
            "Content-Length": "5000000",
            "Accept": "application/json",
        },
        b"ASK {}",
    )
    assert status == 413 and headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["request_id"] == headers["X-Request-Id"]


@pytest.mark.server
def test_a_real_server_logs_one_json_line_per_request(served: tuple[str, Path]) -> None:
    server, log = served
    status, headers, _ = raw_request(
        server, "GET", "/", {"X-Request-Id": "serve-log-check-1", "Authorization": "Bearer hush-hush"}
    )
    assert status == 200 and headers["X-Request-Id"] == "serve-log-check-1"
    lines = [
        json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("{")
    ]
    [mine] = [line for line in lines if line.get("request_id") == "serve-log-check-1"]
    assert mine["path"] == "/" and mine["status"] == 200 and mine["method"] == "GET"
    assert "hush-hush" not in log.read_text(encoding="utf-8")
