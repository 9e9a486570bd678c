"""The ingest API's jobs: each upload, kept on disk, is ingested by one background worker thread
of the writing server process, one job at a time, through the same core functions as the CLI
(lod.writing.run_ingest, lod.registry.ingest_registry), so the search index, the record archive
and the union catalogue follow as after `lod ingest`.

Jobs are rows of the tokens' SQLite file (lod.tokens.Database): their state (queued, running,
done, failed), counts, quarantined records and errors survive a restart. At start, a job found
running was cut off by a crash: it is failed ("interrupted") and may be sent again (ingest is
idempotent: records already loaded as sent are passed over); jobs still queued, whose upload is
complete on disk, are run. Uploads live in `spool_path`, one folder per job, removed when the job
ends (and at start, those of no queued job: uploads a crash cut off).
"""

from __future__ import annotations

import json
import logging
import queue
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lod.config import Settings
from lod.errors import InputError, LodError, RecordError
from lod.i18n import LANGUAGES, t
from lod.ingest import Source
from lod.quarantine import Entry
from lod.store import OxigraphStore
from lod.tokens import Database, now
from lod.writing import WriteSide, run_ingest

log = logging.getLogger("lod.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
RECORDS, REGISTRY = "records", "registry"
LISTED = 1000
"""Quarantined records and errors a job lists (its counts have them all)."""
DEFAULT_SPOOL = "var/uploads"
COUNTS = (
    "read",
    "loaded",
    "unchanged",
    "skipped",
    "quarantined",
    "withdrawn",
    "conforming",
    "warned",
    "triples",
)
"""What a records job counts (lod.ingest.IngestReport; `withdrawn` adds those a full re-send no
longer held)."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs(
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    library TEXT,
    library_key TEXT,
    full INTEGER NOT NULL DEFAULT 0,
    media_type TEXT NOT NULL,
    file TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    state TEXT NOT NULL,
    created TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    result TEXT NOT NULL DEFAULT '{}'
);
"""
Texts = dict[str, str]
"""A message in every language: {'vi': ..., 'en': ...}."""


def spool_path(settings: Settings, tokens: str) -> Path:
    """Where uploads wait for their job: beside an on-disk store (`<store>-uploads`), else beside
    the tokens file (`var/uploads` for a store on a SPARQL server, a temporary folder in memory)."""
    if settings.store.startswith(("http://", "https://")):
        return Path(DEFAULT_SPOOL)
    if settings.store == ":memory:":
        if tokens == ":memory:":
            import tempfile

            return Path(tempfile.gettempdir()) / f"lod-uploads-{secrets.token_hex(4)}"
        return Path(tokens + ".uploads")
    return Path(str(Path(settings.store)) + "-uploads")


def texts(message: Callable[[str], str]) -> Texts:
    return {lang: message(lang) for lang in LANGUAGES}


@dataclass
class Job:
    id: str
    kind: str
    """'records' (MARC of one library) or 'registry' (a registry file)."""
    library: str | None
    """The library as the request named it; None for the registry."""
    library_key: str | None
    """The library's code in the store (its ISIL or pseudo-ISIL: lod.pipeline.library_key)."""
    full: bool
    media_type: str
    file: str
    """The upload's file name in the job's spool folder (records.mrc, records.xml, registry.csv...)."""
    bytes: int
    state: str = QUEUED
    created: str = field(default_factory=now)
    started: str | None = None
    finished: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    message: Texts | None = None
    published: str | None = None
    """The copy for public readers made after the job (its folder in the `publish` setting's)."""

    @classmethod
    def new(cls, kind: str, library: str | None, library_key: str | None, **fields: Any) -> Job:
        return cls(secrets.token_hex(8), kind, library, library_key, **fields)

    def to_json(self, lang: str | None) -> dict[str, Any]:
        """What GET /api/jobs/{id} answers, messages in `lang`."""

        def pick(message: Texts) -> str:
            return message.get(lang or "vi") or message["vi"]

        return {
            "id": self.id,
            "kind": self.kind,
            "library": self.library,
            "full": self.full,
            "state": self.state,
            "media_type": self.media_type,
            "bytes": self.bytes,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "counts": self.counts,
            "quarantined": [
                {**q, "messages": q["messages"].get(lang or "vi", q["messages"]["vi"])}
                for q in self.quarantined
            ],
            "errors": [{**e, "message": pick(e["message"])} for e in self.errors],
            "message": pick(self.message) if self.message else None,
            "published": self.published,
        }


class JobBook:
    """The jobs, persisted in `db`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.create_tables(_SCHEMA)

    def add(self, job: Job) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO jobs(id, kind, library, library_key, full, media_type, file, bytes, state,"
                " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job.id,
                    job.kind,
                    job.library,
                    job.library_key,
                    int(job.full),
                    job.media_type,
                    job.file,
                    job.bytes,
                    job.state,
                    job.created,
                ),
            )

    def save(self, job: Job) -> None:
        """The job's state, times and result as they are now."""
        result = {"counts": job.counts, "quarantined": job.quarantined, "errors": job.errors}
        if job.message is not None:
            result["message"] = job.message
        if job.published is not None:
            result["published"] = job.published
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE jobs SET state = ?, started = ?, finished = ?, result = ? WHERE id = ?",
                (job.state, job.started, job.finished, json.dumps(result, ensure_ascii=False), job.id),
            )

    def get(self, job_id: str) -> Job | None:
        with self.db.transaction() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else _job(row)

    def in_state(self, state: str) -> list[Job]:
        with self.db.transaction() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE state = ? ORDER BY created, rowid", (state,)
            ).fetchall()
        return [_job(row) for row in rows]


_COLUMNS = (
    "id, kind, library, library_key, full, media_type, file, bytes, state, created, started, finished, result"
)


def _job(row: tuple[Any, ...]) -> Job:
    *columns, result = row
    data = json.loads(result)
    job_id, kind, library, key, full, media_type, file, size, state, created, started, finished = columns
    return Job(
        job_id,
        kind,
        library,
        key,
        bool(full),
        media_type,
        file,
        size,
        state,
        created,
        started,
        finished,
        counts=data.get("counts", {}),
        quarantined=data.get("quarantined", []),
        errors=data.get("errors", []),
        message=data.get("message"),
        published=data.get("published"),
    )


class JobRunner:
    """One worker thread running the queued jobs in order, in the process that writes the store."""

    def __init__(self, book: JobBook, side: WriteSide, spool: Path) -> None:
        self.book = book
        self.side = side
        self.spool = spool
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def folder(self, job_id: str) -> Path:
        return self.spool / job_id

    def start(self) -> None:
        """Recover from an earlier stop (see the module's docstring), then start the thread."""
        self.spool.mkdir(parents=True, exist_ok=True)
        for job in self.book.in_state(RUNNING):
            job.state, job.finished = FAILED, now()
            job.message = texts(lambda lang: t("write.interrupted", lang))
            self.book.save(job)
        waiting = []
        for job in self.book.in_state(QUEUED):
            if (self.folder(job.id) / job.file).is_file():
                waiting.append(job.id)
            else:
                job.state, job.finished = FAILED, now()
                job.message = texts(lambda lang: t("write.interrupted", lang))
                self.book.save(job)
        for leftover in self.spool.iterdir():
            if leftover.name not in waiting:
                shutil.rmtree(leftover, ignore_errors=True)
        for job_id in waiting:
            self._queue.put(job_id)
        self._thread = threading.Thread(target=self._work, name="lod-jobs", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        """Queue a job whose upload is complete in `folder(job.id)`."""
        self.book.add(job)
        self._queue.put(job.id)

    def stop(self, timeout: float | None = None) -> None:
        """Let the running job finish (at most `timeout` seconds), run no more."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)

    def idle(self) -> bool:
        return self._queue.unfinished_tasks == 0

    def _work(self) -> None:
        while (job_id := self._queue.get()) is not None:
            try:
                job = self.book.get(job_id)
                if job is not None and job.state == QUEUED:
                    self.run(job)
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def run(self, job: Job) -> None:
        job.state, job.started = RUNNING, now()
        self.book.save(job)
        folder = self.folder(job.id)
        try:
            if job.kind == REGISTRY:
                self._registry(job, folder / job.file)
                job.state = DONE
            else:
                job.state = DONE if self._records(job, folder / job.file) else FAILED
        except LodError as exc:
            job.state, job.message = FAILED, texts(exc.message)
        except Exception:  # a bug: the job fails, the worker goes on with the next one
            log.exception("job %s failed", job.id)
            job.state = FAILED
            job.message = texts(lambda lang: t("write.failed", lang, message="internal error"))
        finally:
            job.finished = now()
            self.book.save(job)
            shutil.rmtree(folder, ignore_errors=True)
        if job.state == DONE and self.side.settings.publish and self._changed(job):
            self.publish(job)

    @staticmethod
    def _changed(job: Job) -> bool:
        """Whether the job changed the store (a re-send of records loaded as they are did not)."""
        return job.kind == REGISTRY or any(job.counts.get(k) for k in ("loaded", "withdrawn"))

    def publish(self, job: Job) -> None:
        """A copy of the store and its side files for public readers, as `lod backup` makes it,
        from the store this process has open for writing (no other process can read it)."""
        from lod.backup import backup

        store = self.side.store
        if not isinstance(store, OxigraphStore):  # a SPARQL server: its readers read it live
            return
        try:
            report = backup(
                self.side.settings, self.side.settings.publish, store, self.side.settings.publish_keep
            )
        except LodError as exc:
            log.error("job %s: publishing a copy failed: %s", job.id, exc.message("en"))
            return
        job.published = report.folder.name
        self.book.save(job)

    def _records(self, job: Job, path: Path) -> bool:
        """Ingest the upload; False when it could not be read at all."""
        assert job.library is not None
        hide = str(path.parent) + "/"  # messages name the upload, not where the server keeps it

        def on_error(error: InputError) -> None:
            if len(job.errors) < LISTED:
                where = (
                    {"position": error.position, "control": error.control}
                    if isinstance(error, RecordError)
                    else {"position": None, "control": None}
                )
                job.errors.append(
                    {**where, "message": texts(lambda lang: error.message(lang).replace(hide, ""))}
                )

        def on_quarantine(entry: Entry) -> None:
            if len(job.quarantined) < LISTED:
                job.quarantined.append(
                    {
                        "id": entry.id,
                        "position": entry.position,
                        "control": entry.control,
                        "title": entry.title,
                        "messages": {lang: entry.messages(lang) for lang in LANGUAGES},
                    }
                )

        outcome = run_ingest(
            self.side,
            [Source(path, job.library)],
            full=job.full,
            on_error=on_error,
            on_quarantine=on_quarantine,
        )
        [report] = outcome.reports
        job.counts = {name: getattr(report, name) for name in COUNTS}
        job.counts["withdrawn"] += outcome.withdrawn or 0
        if report.read == 0 and report.skipped:  # the upload as a whole could not be read
            first = job.errors[0]["message"] if job.errors else texts(lambda lang: "-")
            job.message = texts(lambda lang: t("write.failed", lang, message=first[lang]))
            return False
        return True

    def _registry(self, job: Job, path: Path) -> None:
        from lod.registry import RowProblem, ingest_registry

        hide = str(path.parent) + "/"

        def on_problem(problem: RowProblem) -> None:
            if len(job.errors) < LISTED:
                job.errors.append(
                    {
                        "position": problem.row,
                        "control": None,
                        "message": texts(lambda lang: problem.message(lang).replace(hide, "")),
                    }
                )

        side = self.side
        report = ingest_registry(side.store, path, side.minter, on_problem=on_problem)
        side.search().sync(side.store, side.minter)  # library names and places, searched on
        job.counts = {"read": report.read, "loaded": report.loaded, "skipped": report.skipped}
