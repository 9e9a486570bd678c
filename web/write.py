"""The write side: the authenticated ingest API, present only when the app is created with
writing on (`lod serve --write`, setting `write`); the public, read-only app has none of it.

    POST /api/libraries/{id}/records[?full=true]   MARC of one library (application/marc: ISO
                                                   2709; application/marcxml+xml: MARCXML) -> 202
                                                   and a job (Location: /api/jobs/{job})
    POST /api/registry                             a registry file (text/csv, application/json,
                                                   application/jsonl), administrators only -> 202
    GET  /api/jobs/{job}                           the job: state, counts, quarantined, errors

Every call needs `Authorization: Bearer <token>` (lod.tokens; 401 with `WWW-Authenticate:
Bearer` without a valid one). A library's token writes that library's records and reads its jobs
only (403 otherwise, before anything is read or written); an administrator's token may do all.
The body is streamed to a file in the job's spool folder in chunks, never held whole in memory,
and counted: past the `upload_limit` setting the answer is 413 and the file is removed. Jobs run
one at a time in a worker thread of this process (lod.jobs).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, url_for

from lod.archive import RecordArchive, archive_path, open_archive
from lod.config import Settings
from lod.errors import BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthorized, UnsupportedMediaType
from lod.jobs import RECORDS, REGISTRY, Job, JobBook, JobRunner, spool_path
from lod.pipeline import library_key
from lod.tokens import Database, Grant, Tokens, tokens_path, valid_library
from lod.web.security import body_limit
from lod.writing import WriteSide

blueprint = Blueprint("write", __name__)
CHUNK = 1 << 20
"""Bytes read from the request and written to the spool file at a time."""
RECORD_TYPES = {
    "application/marc": "records.mrc",
    "application/marcxml+xml": "records.xml",
    "application/xml": "records.xml",
    "text/xml": "records.xml",
}
"""The upload's media type -> its file name (the reader tells ISO 2709 from MARCXML by content;
quarantine entries are keyed by this name, so a record re-sent replaces its entry)."""
REGISTRY_TYPES = {
    "text/csv": "registry.csv",
    "application/json": "registry.json",
    "application/jsonl": "registry.jsonl",
    "application/x-ndjson": "registry.jsonl",
}
"""lod.registry.read_rows tells the formats by the file's extension."""
_TRUE = {"1", "true", "yes", "on"}


def register(app: Flask) -> None:
    """Turn the write side on: the blueprint, the tokens, the record archive opened for writing,
    and the job worker thread (`runner_of(app).stop()` stops it)."""
    from lod.web import minter_of, search_of, store_of

    settings: Settings = app.config["LOD_SETTINGS"]
    path = tokens_path(settings)
    db = Database(path)
    archive = open_archive(settings) if archive_path(settings) != ":memory:" else None
    if archive is None:
        archive = RecordArchive(None, settings.base_iri)
        archive.sync(store_of(app), minter_of(app))
    app.extensions["lod.archive"] = archive  # the one lod.web.oai reads, kept in step by the jobs
    side = WriteSide(settings, store_of(app), minter_of(app), lambda: search_of(app), lambda: archive)
    runner = JobRunner(JobBook(db), side, spool_path(settings, path))
    app.extensions["lod.tokens"] = Tokens(db)
    app.extensions["lod.jobs"] = runner
    app.register_blueprint(blueprint)
    runner.start()


def runner_of(app: Flask) -> JobRunner:
    runner: JobRunner = app.extensions["lod.jobs"]
    return runner


def _grant() -> Grant:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    tokens: Tokens = current_app.extensions["lod.tokens"]
    grant = tokens.check(token.strip())
    if grant is None:
        raise Unauthorized("write.invalid_token", invalid=True)
    return grant


def _key(code: str) -> str:
    """The library's code in the store (its ISIL or pseudo-ISIL when the registry knows `code`)."""
    from lod.web import minter_of, store_of

    if not valid_library(code):
        raise BadRequest("write.bad_library", library=code)
    return library_key(store_of(current_app), minter_of(current_app), code)


def _may_write(grant: Grant, key: str, library: str) -> None:
    if not grant.admin and (grant.library is None or _key(grant.library) != key):
        raise Forbidden("write.other_library", granted=grant.library or "-", library=library)


@blueprint.post("/api/libraries/<library>/records")
@body_limit(None)  # streamed to disk and counted here, against upload_limit
def post_records(library: str) -> Response:
    grant = _grant()
    key = _key(library)
    _may_write(grant, key, library)
    name = _file_name(RECORD_TYPES)
    full = request.args.get("full", "").strip().lower() in _TRUE
    return _accept(Job.new(RECORDS, library, key, full=full, media_type=_media_type(), file=name, bytes=0))


@blueprint.post("/api/registry")
@body_limit(None)
def post_registry() -> Response:
    grant = _grant()
    if not grant.admin:
        raise Forbidden("write.admin_only")
    name = _file_name(REGISTRY_TYPES)
    return _accept(Job.new(REGISTRY, None, None, full=False, media_type=_media_type(), file=name, bytes=0))


@blueprint.get("/api/jobs/<job_id>")
def get_job(job_id: str) -> Response:
    grant = _grant()
    job = runner_of(current_app).book.get(job_id)
    if job is None:
        raise NotFound("write.unknown_job", id=job_id)
    if not grant.admin and (
        job.library_key is None or grant.library is None or _key(grant.library) != job.library_key
    ):
        raise Forbidden("write.other_job", id=job_id)
    return _private(jsonify(job.to_json(g.get("lang"))))


def _media_type() -> str:
    return (request.mimetype or "").lower()


def _file_name(types: dict[str, str]) -> str:
    name = types.get(_media_type())
    if name is None:
        raise UnsupportedMediaType(content_type=_media_type() or "-", supported=", ".join(types))
    return name


def _accept(job: Job) -> Response:
    """Spool the body for `job`, queue it, answer 202 with where to follow it."""
    runner = runner_of(current_app)
    folder = runner.folder(job.id)
    job.bytes = _spool(folder, job.file, current_app.config["LOD_SETTINGS"].upload_limit)
    runner.submit(job)
    response = jsonify(job.to_json(g.get("lang")))
    response.status_code = 202
    response.headers["Location"] = url_for("write.get_job", job_id=job.id)
    return _private(response)


def _spool(folder: Path, name: str, limit: int) -> int:
    """Write the request body to `folder/name` in chunks; its size. Beyond `limit` bytes (or a
    Content-Length saying so) the folder is removed and the answer is 413; an empty body is 400."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge("write.too_large", limit=limit)
    folder.mkdir(parents=True)
    part = folder / (name + ".part")
    size = 0
    try:
        with open(part, "wb") as out:
            while chunk := request.stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge("write.too_large", limit=limit)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise BadRequest("write.empty")
        os.replace(part, folder / name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return size


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
