"""The ingest API (lod.web.write, lod.jobs) against the real app over a real on-disk store:
tokens, authorization, size limits, jobs, full re-sends; and `lod serve --write` as a process."""

from __future__ import annotations

import io
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lod.backup import backup_names
from lod.config import Settings, load_settings
from lod.jobs import DONE, FAILED, RUNNING, Job, JobBook, JobRunner
from lod.store import GraphStore
from lod.tokens import Database, Tokens, tokens_path
from lod.uris import Minter
from lod.web import create_app, store_of
from lod.web.write import runner_of
from lod.writing import WriteSide
from tests.conftest import BASE, LOD, ROOT, SAMPLE, run_lod, server_process

KOHA = SAMPLE / "vietnamese-koha.mrc"  # ISO 2709: 001 1021, 1022, 1023
KIEU = ROOT / "tests" / "data" / "marc" / "truyen-kieu.xml"  # MARCXML: 001 TK2015001
LIMIT = 64 * 1024
MARC = "application/marc"
MARCXML = "application/marcxml+xml"


@dataclass
class Writer:
    app: Flask
    client: FlaskClient
    settings: Settings
    tokens: Tokens

    @property
    def store(self) -> GraphStore:
        return store_of(self.app)

    @property
    def minter(self) -> Minter:
        return Minter(self.settings.base_iri)

    def spool(self) -> Path:
        return runner_of(self.app).spool


@pytest.fixture()
def writer(tmp_path: Path) -> Iterator[Writer]:
    settings = load_settings(
        env={},
        overrides={
            "store": str(tmp_path / "store"),
            "base_iri": BASE,
            "write": True,
            "quarantine": str(tmp_path / "quarantine"),
            "workers": "0",
            "upload_limit": LIMIT,
        },
    )
    app = create_app(settings)
    app.config["TESTING"] = True
    # a second connection to the tokens' file, as `lod token create` in another process would be
    tokens = Tokens(tokens_path(settings))
    try:
        yield Writer(app, app.test_client(), settings, tokens)
    finally:
        runner_of(app).stop(timeout=120)


def post(
    writer: Writer,
    library: str,
    body: bytes,
    token: str | None,
    media: str = MARC,
    full: bool = False,
) -> TestResponse:
    headers = {"Content-Type": media}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    query = "?full=true" if full else ""
    return writer.client.post(f"/api/libraries/{library}/records{query}", data=body, headers=headers)


def finished(writer: Writer, location: str, token: str) -> dict[str, Any]:
    """The job at `location`, once it is done or failed."""
    deadline = time.monotonic() + 120
    while True:
        answer = writer.client.get(location, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        job: dict[str, Any] = answer.get_json()
        if job["state"] in (DONE, FAILED):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.05)


def snapshot(store: GraphStore) -> tuple[int, int, list[str]]:
    return store.triple_count(), store.graph_count(), sorted(store.graph_names(BASE))


def instance_path(writer: Writer, library: str, control: str) -> str:
    iri = writer.minter.instance(writer.minter.record_id(library, control)).value
    return iri.removeprefix(BASE.rstrip("/"))


def records_of(data: bytes) -> list[bytes]:
    """The ISO 2709 records of `data`, each with its terminator."""
    return [part + b"\x1d" for part in data.split(b"\x1d") if part.strip()]


# authorization ----------------------------------------------------------------------------------
def test_write_without_a_token_is_401_and_writes_nothing(writer: Writer) -> None:
    before = snapshot(writer.store)
    answer = post(writer, "VN-A", KOHA.read_bytes(), None)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["status"] == 401
    answer = post(writer, "VN-A", KOHA.read_bytes(), "lod.nope.nope")
    assert answer.status_code == 401 and 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    assert snapshot(writer.store) == before
    assert list(writer.spool().iterdir()) == []


def test_a_library_token_cannot_write_another_library(writer: Writer) -> None:
    _, token = writer.tokens.create(library="VN-A")
    before = snapshot(writer.store)
    answer = post(writer, "VN-B", KOHA.read_bytes(), token)
    assert answer.status_code == 403
    assert "VN-A" in answer.get_json()["detail"]
    assert snapshot(writer.store) == before
    assert list(writer.spool().iterdir()) == []
    assert runner_of(writer.app).book.in_state("queued") == []


def test_revoked_tokens_are_refused(writer: Writer) -> None:
    _, token = writer.tokens.create(library="VN-A")
    writer.tokens.create(library="VN-A")
    assert len(writer.tokens.revoke(library="VN-A")) == 2
    before = snapshot(writer.store)
    answer = post(writer, "VN-A", KOHA.read_bytes(), token)
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    assert snapshot(writer.store) == before


@pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "streamed"])
def test_oversize_upload_is_413_and_nothing_is_written(writer: Writer, with_length: bool) -> None:
    _, token = writer.tokens.create(library="VN-A")
    before = snapshot(writer.store)
    record = KOHA.read_bytes()
    body = record * (LIMIT // len(record) + 2)
    headers = {"Content-Type": MARC, "Authorization": f"Bearer {token}"}
    if with_length:
        answer = writer.client.post("/api/libraries/VN-A/records", data=body, headers=headers)
    else:  # chunked: no Content-Length, the limit is found while the body is read
        answer = writer.client.post(
            "/api/libraries/VN-A/records",
            input_stream=io.BytesIO(body),
            headers=headers,
            environ_overrides={"wsgi.input_terminated": True},
        )
    assert answer.status_code == 413, answer.get_data(as_text=True)
    assert str(LIMIT) in answer.get_json()["detail"]
    assert list(writer.spool().iterdir()) == []  # no spool file, no job folder left
    assert runner_of(writer.app).book.in_state("queued") == []
    assert snapshot(writer.store) == before


def test_unsupported_media_type_is_415(writer: Writer) -> None:
    _, token = writer.tokens.create(library="VN-A")
    answer = post(writer, "VN-A", b"hello", token, media="text/plain")
    assert answer.status_code == 415
    assert MARC in answer.get_json()["detail"]


# jobs -------------------------------------------------------------------------------------------
def test_iso2709_upload_is_ingested_and_searchable(writer: Writer) -> None:
    _, token = writer.tokens.create(library="VN-A")
    answer = post(writer, "VN-A", KOHA.read_bytes(), token)
    assert answer.status_code == 202, answer.get_data(as_text=True)
    location = answer.headers["Location"]
    assert location == f"/api/jobs/{answer.get_json()['id']}"
    job = finished(writer, location, token)
    assert job["state"] == DONE, job
    assert job["counts"]["read"] == 3 and job["counts"]["loaded"] == 3, job
    assert job["library"] == "VN-A" and job["media_type"] == MARC
    page = writer.client.get(
        instance_path(writer, "VN-A", "1022"), headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert page.status_code == 200 and "Đất rừng phương Nam" in page.get_data(as_text=True)
    found = writer.client.get("/api/search", query_string={"q": "Đất rừng phương Nam"}).get_json()
    assert found["total"] >= 1
    assert any("Đất rừng phương Nam" in hit["title"] for hit in found["hits"])
    assert list(writer.spool().iterdir()) == []  # the upload goes once its job is over


def test_marcxml_upload_is_ingested(writer: Writer) -> None:
    _, token = writer.tokens.create(admin=True)  # an administrator may write any library
    answer = post(writer, "VN-X", KIEU.read_bytes(), token, media=MARCXML)
    assert answer.status_code == 202
    job = finished(writer, answer.headers["Location"], token)
    assert job["state"] == DONE and job["counts"]["loaded"] == 1, job
    page = writer.client.get(
        instance_path(writer, "VN-X", "TK2015001"), headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert page.status_code == 200 and "Truyện Kiều" in page.get_data(as_text=True)


def test_full_resend_withdraws_what_it_no_longer_holds(writer: Writer) -> None:
    _, token = writer.tokens.create(library="VN-A")
    records = records_of(KOHA.read_bytes())
    assert len(records) == 3
    job = finished(writer, post(writer, "VN-A", b"".join(records), token).headers["Location"], token)
    assert job["counts"]["loaded"] == 3
    gone = instance_path(writer, "VN-A", "1023")
    assert (
        writer.client.get(gone, headers={"Accept": "text/turtle"}, follow_redirects=True).status_code == 200
    )

    # without full=true, a partial send withdraws nothing
    job = finished(writer, post(writer, "VN-A", b"".join(records[:2]), token).headers["Location"], token)
    assert job["counts"]["withdrawn"] == 0 and job["counts"]["unchanged"] == 2, job
    assert (
        writer.client.get(gone, headers={"Accept": "text/turtle"}, follow_redirects=True).status_code == 200
    )

    answer = post(writer, "VN-A", b"".join(records[:2]), token, full=True)
    job = finished(writer, answer.headers["Location"], token)
    assert job["state"] == DONE and job["full"] is True
    assert job["counts"]["withdrawn"] == 1, job
    assert (
        writer.client.get(gone, headers={"Accept": "text/turtle"}, follow_redirects=True).status_code == 410
    )
    kept = instance_path(writer, "VN-A", "1021")
    assert (
        writer.client.get(kept, headers={"Accept": "text/turtle"}, follow_redirects=True).status_code == 200
    )


def test_bad_records_are_reported_in_the_job(writer: Writer) -> None:
    _, token = writer.tokens.create(library="VN-A")
    bad = (ROOT / "tests" / "data" / "marc" / "bad_records.mrc").read_bytes()
    job = finished(writer, post(writer, "VN-A", bad + KOHA.read_bytes(), token).headers["Location"], token)
    assert job["state"] == DONE
    assert job["counts"]["loaded"] == 3 and job["counts"]["read"] == 8 + 3, job
    # as `lod ingest` counts them: each bad record quarantined (unreadable, or no 001), listed once
    assert job["counts"]["skipped"] == job["counts"]["quarantined"] == 8, job
    assert len(job["quarantined"]) == 8 and job["errors"] == [], job
    assert [q["position"] for q in job["quarantined"]] == list(range(1, 9))
    assert all(q["id"] and q["messages"] for q in job["quarantined"])
    assert any(m.startswith("không đọc được: ") for q in job["quarantined"] for m in q["messages"])
    page = writer.client.get(
        instance_path(writer, "VN-A", "1023"), headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert page.status_code == 200  # the good records after the bad ones are loaded
    assert str(writer.spool()) not in json.dumps(job["quarantined"])  # no server paths


def test_a_job_of_another_library_is_403(writer: Writer) -> None:
    _, token_a = writer.tokens.create(library="VN-A")
    _, token_b = writer.tokens.create(library="VN-B")
    _, admin = writer.tokens.create(admin=True)
    location = post(writer, "VN-A", KOHA.read_bytes(), token_a).headers["Location"]
    answer = writer.client.get(location, headers={"Authorization": f"Bearer {token_b}"})
    assert answer.status_code == 403
    assert "counts" not in answer.get_json()
    assert finished(writer, location, admin)["state"] == DONE
    assert writer.client.get(location).status_code == 401
    missing = writer.client.get("/api/jobs/nope", headers={"Authorization": f"Bearer {admin}"})
    assert missing.status_code == 404


def test_registry_needs_the_administrator(writer: Writer) -> None:
    _, library_token = writer.tokens.create(library="VN-A")
    _, admin = writer.tokens.create(admin=True)
    body = (SAMPLE / "registry.csv").read_bytes()

    def send(token: str) -> TestResponse:
        headers = {"Content-Type": "text/csv", "Authorization": f"Bearer {token}"}
        return writer.client.post("/api/registry", data=body, headers=headers)

    before = snapshot(writer.store)
    assert send(library_token).status_code == 403
    assert snapshot(writer.store) == before
    answer = send(admin)
    assert answer.status_code == 202
    job = finished(writer, answer.headers["Location"], admin)
    assert job["state"] == DONE and job["counts"]["loaded"] >= 1, job
    assert snapshot(writer.store) != before


def test_jobs_survive_a_restart_and_interrupted_ones_fail(tmp_path: Path) -> None:
    settings = load_settings(env={}, overrides={"store": ":memory:", "base_iri": BASE})
    from lod.sparqlstore import open_store

    path = str(tmp_path / "tokens.sqlite3")
    book = JobBook(Database(path))
    cut = Job.new("records", "VN-A", "VN-A", full=False, media_type=MARC, file="records.mrc", bytes=1)
    book.add(cut)
    cut.state = RUNNING
    book.save(cut)
    lost = Job.new("records", "VN-A", "VN-A", full=False, media_type=MARC, file="records.mrc", bytes=1)
    book.add(lost)  # queued, but its upload is gone
    store = open_store(":memory:")
    side = WriteSide(settings, store, Minter(BASE), lambda: None, lambda: None)  # type: ignore[arg-type,return-value]
    spool = tmp_path / "uploads"
    (spool / "leftover").mkdir(parents=True)
    runner = JobRunner(JobBook(Database(path)), side, spool)  # a new process: a new connection
    runner.start()
    try:
        for job_id in (cut.id, lost.id):
            found = JobBook(Database(path)).get(job_id)
            assert found is not None and found.state == FAILED
            assert found.message is not None and "interrupted" in found.message["en"]
            assert "gián đoạn" in found.message["vi"]
        assert list(spool.iterdir()) == []
    finally:
        runner.stop(timeout=10)


def test_the_read_only_app_has_no_write_routes(tmp_path: Path) -> None:
    settings = load_settings(env={}, overrides={"store": str(tmp_path / "store"), "base_iri": BASE})
    client = create_app(settings).test_client()
    answer = client.post("/api/libraries/VN-A/records", data=b"x", headers={"Content-Type": MARC})
    assert answer.status_code in (404, 405)
    assert client.get("/api/jobs/abc").status_code == 404


# a real server ----------------------------------------------------------------------------------
@pytest.mark.server
def test_serve_write_as_a_process(tmp_path: Path) -> None:
    store = tmp_path / "store"
    created = run_lod("--store", str(store), "token", "create", "--library", "VN-A")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("lod.") and token not in created.stderr
    listed = run_lod("--store", str(store), "token", "list")
    assert "VN-A" in listed.stdout and token.split(".")[2] not in listed.stdout

    with server_process(
        lambda port: [LOD, "--store", str(store), "serve", "--write", "--port", str(port)],
        probe="/",
        log_path=tmp_path / "serve.log",
    ) as base:

        def call(path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
            request = urllib.request.Request(base + path, data=data, headers=headers or {})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, dict(response.headers), json.loads(response.read())
            except urllib.error.HTTPError as error:
                with error:
                    return error.code, dict(error.headers), json.loads(error.read())

        status, headers, _ = call("/api/libraries/VN-A/records", KOHA.read_bytes(), {"Content-Type": MARC})
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        auth = {"Authorization": f"Bearer {token}"}
        status, headers, job = call(
            "/api/libraries/VN-A/records", KOHA.read_bytes(), {"Content-Type": MARC, **auth}
        )
        assert status == 202, job
        deadline = time.monotonic() + 120
        while job["state"] not in (DONE, FAILED):
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
            status, _, job = call(headers["Location"], headers=auth)
            assert status == 200
        assert job["state"] == DONE and job["counts"]["loaded"] == 3, job
        status, _, found = call("/api/search?q=Vang+b%C3%B3ng+m%E1%BB%99t+th%E1%BB%9Di")
        assert status == 200 and found["total"] >= 1


# the copy for public readers ------------------------------------------------------------------------
def published(writer: Writer, location: str, token: str) -> dict[str, Any]:
    """The job at `location` once done, and once its copy is published when it makes one."""
    job = finished(writer, location, token)
    deadline = time.monotonic() + 120
    while job["state"] == DONE and job["published"] is None and not runner_of(writer.app).idle():
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
        job = finished(writer, location, token)
    return finished(writer, location, token)


def reader_settings(copy: Path) -> dict[str, str]:
    """A public reader's settings over a published copy, as the README's deployment says."""
    return {
        "store": str(copy / "store"),
        "search_index": str(copy / "search.sqlite3"),
        "records_archive": str(copy / "records.sqlite3"),
        "base_iri": BASE,
    }


def test_a_job_that_changed_the_store_publishes_a_copy_readers_serve(tmp_path: Path) -> None:
    public = tmp_path / "public"
    overrides = {
        "store": str(tmp_path / "store"),
        "base_iri": BASE,
        "write": True,
        "quarantine": str(tmp_path / "quarantine"),
        "workers": "0",
        "publish": str(public),
        "publish_keep": 1,
    }
    settings = load_settings(env={}, overrides=overrides)
    app = create_app(settings)
    app.config["TESTING"] = True
    writer = Writer(app, app.test_client(), settings, Tokens(tokens_path(settings)))
    try:
        _, token = writer.tokens.create(library="VN-A")
        first = published(writer, post(writer, "VN-A", KOHA.read_bytes(), token).headers["Location"], token)
        assert first["state"] == DONE and first["published"], first
        assert backup_names(public) == [first["published"]]
        # a reader on the copy serves what the job loaded, while the writer keeps the store open
        reader = create_app(load_settings(env={}, overrides=reader_settings(public / "latest")))
        page = reader.test_client().get(
            instance_path(writer, "VN-A", "1022"), headers={"Accept": "text/turtle"}, follow_redirects=True
        )
        assert page.status_code == 200 and "Đất rừng phương Nam" in page.get_data(as_text=True)
        assert (
            reader.test_client()
            .get("/api/search", query_string={"q": "dat rung phuong nam"})
            .get_json()["total"]
            >= 1
        )
        # the same file again changes nothing: no new copy
        again = published(writer, post(writer, "VN-A", KOHA.read_bytes(), token).headers["Location"], token)
        assert again["counts"]["loaded"] == 0 and again["published"] is None, again
        # a change does, and only the newest copy is kept (publish_keep = 1)
        time.sleep(1.1)  # copies are named by the second
        kieu = published(
            writer, post(writer, "VN-A", KIEU.read_bytes(), token, media=MARCXML).headers["Location"], token
        )
        assert kieu["published"] and kieu["published"] != first["published"], kieu
        assert backup_names(public) == [kieu["published"]]
        assert (public / "latest").resolve().name == kieu["published"]
    finally:
        runner_of(app).stop(timeout=120)
