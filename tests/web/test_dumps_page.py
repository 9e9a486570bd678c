"""/dumps: the page listing the newest dump and the files it serves, through the real app over a
real dump of the sample (lod.dumps), and on a phone in a real browser."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from pyoxigraph import RdfFormat, parse

from lod.config import Settings
from lod.dumps import DumpReport, write_dumps
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.web import create_app
from tests.conftest import LOD, run_lod, server_process
from tests.web.test_browser import CHROMIUM_ARGS, PHONE, horizontal_overflow
from tests.web.test_resources import page_of

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/"


@pytest.fixture(scope="module")
def dumped(store: OxigraphStore, minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> DumpReport:
    root = tmp_path_factory.mktemp("web-dumps")
    write_dumps(store, root, minter, licence=LICENCE, day=date(2026, 6, 30))
    return write_dumps(store, root, minter, licence=LICENCE, day=date(2026, 7, 1))


@pytest.fixture(scope="module")
def dumps_app(settings: Settings, store: OxigraphStore, dumped: DumpReport) -> Flask:
    app = create_app(dataclasses.replace(settings, dumps=str(dumped.folder.parent)), store=store)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def web(dumps_app: Flask):  # type: ignore[no-untyped-def]
    return dumps_app.test_client()


def test_the_page_lists_the_newest_dump_by_dataset(web, dumped: DumpReport) -> None:
    response = web.get("/dumps", headers={"Accept": BROWSER})
    page = page_of(response)
    assert page.one("h1").text == "Bản sao toàn bộ dữ liệu"
    html = response.data.decode("utf-8")
    assert '<time datetime="2026-07-01">2026-07-01</time>' in html
    assert f'<a href="{LICENCE}" rel="license">' in html
    manifest = dumped.manifest
    sections = {s.attrs["data-dataset"]: s for s in page.all("section", class_="dump-dataset")}
    assert list(sections) == [d.id for d in manifest.datasets]
    assert sections["library-DEMO-VN1"].one("h2").text.startswith("Biểu ghi của ")
    assert sections["all"].one("h2").text == "Toàn bộ kho (N-Quads)"
    for file in manifest.files:
        item = sections[file.dataset].one("li", data_format=file.format)
        link = item.one("a")
        assert link.attrs["href"] == f"/dumps/2026-07-01/{file.name}" and link.text == file.name
        assert item.one("code").text == file.sha256
        meta = item.one("span").text
        triples = f"{file.triples:,}".replace(",", ".")
        assert f"· {triples} bộ ba" in meta and "nén gzip" in meta
    assert page.one("a", href="/dumps/2026-07-01/SHA256SUMS")
    assert page.one("a", href="/dumps/2026-06-30/manifest.json")  # an earlier day
    assert "http://data.test/dumps/latest/all-part001.nq.gz" in html
    english = page_of(web.get("/dumps?lang=en", headers={"Accept": BROWSER}))
    assert english.one("h1").text == "Data dumps"
    assert "gzipped" in english.one("section", data_dataset="shared").text


def test_the_page_as_json(web, dumped: DumpReport) -> None:
    for response in (
        web.get("/dumps", headers={"Accept": "application/json"}),
        web.get("/dumps?format=json"),
    ):
        assert response.status_code == 200 and response.mimetype == "application/json"
        data = response.get_json()
        assert data["days"] == ["2026-07-01", "2026-06-30"]
        latest = data["latest"]
        assert latest["date"] == "2026-07-01" and latest["licence"] == LICENCE
        assert len(latest["files"]) == len(dumped.manifest.files)
        first = latest["files"][0]
        assert first["url"] == "http://data.test/dumps/2026-07-01/all-part001.nq.gz"
        assert first["media_type"] == "application/n-quads" and first["encoding"] == "gzip"
        assert latest["checksums_url"] == "http://data.test/dumps/2026-07-01/SHA256SUMS"
    assert web.get("/dumps", headers={"Accept": "text/turtle"}).status_code == 406


def test_the_page_has_validators(web) -> None:
    first = web.get("/dumps", headers={"Accept": BROWSER})
    assert first.headers["ETag"] and "max-age=300" in first.headers["Cache-Control"]
    again = web.get("/dumps", headers={"Accept": BROWSER, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_part_downloads_as_gzip_with_validators_and_ranges(web, dumped: DumpReport) -> None:
    file = next(f for f in dumped.manifest.files if f.format == "ttl" and f.dataset == "shared")
    response = web.get(f"/dumps/2026-07-01/{file.name}", buffered=True)
    assert response.status_code == 200
    assert response.mimetype == "application/gzip"
    assert "Content-Encoding" not in response.headers  # a file to keep, not a body to unpack
    assert response.headers["Content-Disposition"] == f"attachment; filename={file.name}"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.data
    assert len(body) == file.bytes and hashlib.sha256(body).hexdigest() == file.sha256
    assert len(list(parse(gzip.decompress(body), format=RdfFormat.TURTLE))) == file.triples
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert (
        web.get(f"/dumps/2026-07-01/{file.name}", headers={"If-None-Match": etag}, buffered=True).status_code
        == 304
    )
    assert (
        web.get(
            f"/dumps/2026-07-01/{file.name}", headers={"If-Modified-Since": modified}, buffered=True
        ).status_code
        == 304
    )
    partial = web.get(f"/dumps/2026-07-01/{file.name}", headers={"Range": "bytes=10-19"}, buffered=True)
    assert partial.status_code == 206 and partial.data == body[10:20]
    assert partial.headers["Content-Range"] == f"bytes 10-19/{file.bytes}"


def test_manifest_and_checksums_are_served_as_text(web, dumped: DumpReport) -> None:
    manifest = web.get("/dumps/2026-07-01/manifest.json", buffered=True)
    assert manifest.mimetype == "application/json"
    assert json.loads(manifest.data)["files"][0]["name"] == "all-part001.nq.gz"
    sums = web.get("/dumps/2026-07-01/SHA256SUMS", buffered=True)
    assert sums.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert sums.data == (dumped.folder / "SHA256SUMS").read_bytes()


def test_latest_redirects_to_the_newest_day(web) -> None:
    response = web.get("/dumps/latest/all-part001.nq.gz", buffered=True)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dumps/2026-07-01/all-part001.nq.gz"
    assert "no-cache" in response.headers["Cache-Control"]
    assert web.get("/dumps/latest/SHA256SUMS", buffered=True).status_code == 302
    assert web.get("/dumps/latest/nothing.nt.gz", buffered=True).status_code == 404


def test_nothing_outside_the_listed_files_is_served(web, dumped: DumpReport) -> None:
    (dumped.folder / "stray.nt.gz").write_bytes(b"not in the manifest")
    (dumped.folder.parent / "secret.txt").write_text("beside the dumps")
    for path in (
        "/dumps/2026-07-01/stray.nt.gz",
        "/dumps/2026-07-01/..%2Fsecret.txt",
        "/dumps/2026-07-01/../secret.txt",
        "/dumps/..%2F2026-07-01/SHA256SUMS",
        "/dumps/2026-07-01/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/dumps/latest/..%2Fsecret.txt",
        "/dumps/latest/.lock",
        "/dumps/2026-07-1/SHA256SUMS",
        "/dumps/2026-07-02/SHA256SUMS",
        "/dumps/.2026-07-01.x.tmp/SHA256SUMS",
    ):
        response = web.get(path, buffered=True)
        assert response.status_code == 404, path
        assert b"beside the dumps" not in response.data and b"root:" not in response.data
    problem = web.get("/dumps/2026-07-01/stray.nt.gz", headers={"Accept": "application/json"}, buffered=True)
    assert problem.mimetype == "application/problem+json"
    assert "stray.nt.gz" in problem.get_json()["detail"]


def test_without_a_dump_the_page_says_how_to_make_one(settings: Settings, tmp_path: Path) -> None:
    app = create_app(
        dataclasses.replace(settings, dumps=str(tmp_path / "none")), store=OxigraphStore.open(None)
    )
    client = app.test_client()
    page = page_of(client.get("/dumps", headers={"Accept": BROWSER}))
    assert "lod dump" in page.one("main").text
    assert client.get("/dumps?format=json").get_json() == {"latest": None, "days": []}
    assert client.get("/dumps/latest/SHA256SUMS").status_code == 404
    assert not (tmp_path / "none").exists()  # the read-only web app creates nothing


# on a phone --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dumps_server(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`lod serve` over the sample, with a dump made by `lod dump`."""
    root = tmp_path_factory.mktemp("served-dumps")
    done = run_lod("--store", str(served_store), "dump", str(root))
    assert done.returncode == 0, done.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOD_DUMPS", str(root))
        with server_process(
            lambda port: [LOD, "--store", str(served_store), "serve", "--port", str(port)],
            probe="/dumps",
            log_path=root.parent / "serve.log",
        ) as base:
            yield base


@pytest.mark.browser
@pytest.mark.server
def test_the_page_reads_on_a_phone(dumps_server: str) -> None:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            phone = browser.new_page(viewport=PHONE, locale="vi-VN")
            phone.goto(dumps_server + "/dumps")
            assert phone.locator("h1").inner_text() == "Bản sao toàn bộ dữ liệu"
            assert horizontal_overflow(phone) <= 0  # file names and checksums wrap
            link = phone.locator("section[data-dataset=union] a").first
            with phone.expect_download() as download:
                link.click()
            assert download.value.suggested_filename == link.inner_text()
            path = download.value.path()
            assert os.path.getsize(path) > 0 and gzip.decompress(Path(path).read_bytes())
        finally:
            browser.close()
