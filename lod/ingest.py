"""An ingest run: any number of MARC files, each for its library, through all stages into the store.

    files ──split──▶ worker processes ──N-Quads──▶ writer threads ──bulk load──▶ store
         (main)      (lod.batches: parse,          (lod.loading: whole
                      convert, validate, keys)       records, atomic)

One run keeps one pool of worker processes and one writer for all its files, so the pipeline does
not drain and restart between files: the next file's records are converted while the last writes
of the one before are loaded. The main process only splits files, keeps the reports, the
quarantine and the checkpoints. A record that fails any stage becomes a `RecordError` naming the
file, its position and its control number, and (given a quarantine) an entry of the quarantine
with its bytes as read; the run goes on, and the report counts every record.
A file that cannot be read at all is reported as such and the run goes on with the next one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from lod.archive import StagedRow
from lod.batches import BATCH_QUADS, Batch, BatchJob, batch_runner, record_batches
from lod.checkpoint import Checkpoints
from lod.digests import source_digest
from lod.errors import InputError, RecordError
from lod.loading import BatchWriter
from lod.marcio import SourceRecord
from lod.pipeline import library_key, library_triples
from lod.store import GraphStore
from lod.unions import Touched
from lod.uris import Minter
from lod.withdrawal import has_tombstones, library_graphs, withdraw

if TYPE_CHECKING:
    from lod.quarantine import Entry, Quarantine


@dataclass
class IngestReport:
    source: str
    read: int = 0
    loaded: int = 0
    unchanged: int = 0
    """Records already in the store exactly as sent (lod.digests): passed over, not rewritten."""
    skipped: int = 0
    withdrawn: int = 0
    conforming: int = 0
    """Records validated without a violation (loaded, or unchanged; some with warnings)."""
    warned: int = 0
    """Conforming records with warnings."""
    quarantined: int = 0
    """Records kept in the quarantine (counted in `skipped` too): unreadable, unconvertible, or
    with violations. With a quarantine, read = loaded + unchanged + quarantined."""
    triples: int = 0
    seconds: float = 0.0
    """From the start of the file to its last record committed."""
    resumed: int = 0
    """Records a checkpoint said were loaded already (not read again)."""
    errors: list[RecordError] = field(default_factory=list)
    notes: list[tuple[str, int, str, dict[str, str]]] = field(default_factory=list)
    """(source, position, message key, params) for repairs and warnings on loaded records."""

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Source:
    """One file of a run and the library that sent it."""

    path: str | os.PathLike[str]
    library: str
    library_name: str | None = None


ErrorSink = Callable[[InputError], None]
QuarantineSink = Callable[["Entry"], None]
ProgressSink = Callable[[int], None]
DocumentSink = Callable[[list[tuple[str, str, str]]], None]
"""Takes the search documents of each batch's records (lod.search: `SearchIndex.stage`)."""
SourceSink = Callable[[list[StagedRow]], None]
"""Takes the record archive's rows of each batch's records (lod.archive: `RecordArchive.stage`)."""


@dataclass
class _File:
    """One file of a run while it goes through."""

    source: Source
    report: IngestReport
    job: BatchJob
    started: float
    key: str | None = None
    """Its checkpoint key (None: no checkpoints, or a full re-send)."""


def ingest_files(
    store: GraphStore,
    sources: Sequence[Source],
    minter: Minter,
    *,
    validate_shapes: bool = True,
    on_error: ErrorSink | None = None,
    on_progress: ProgressSink | None = None,
    quarantine: Quarantine | None = None,
    on_quarantine: QuarantineSink | None = None,
    seen: set[str] | None = None,
    checkpoints: Checkpoints | None = None,
    workers: int = 0,
    writers: int = 2,
    touched: Touched | None = None,
    on_documents: DocumentSink | None = None,
    on_sources: SourceSink | None = None,
) -> list[IngestReport]:
    """All stages over the files, in order; one report per file.

    Records that cannot be read or converted, and records with violations, go to `quarantine`
    (`on_quarantine` is told of each entry; without a quarantine they are only reported, through
    `on_error`); records with warnings only are loaded
    and counted; a record that loads drops its earlier quarantine entry. `on_error` hears of every
    record that is not loaded and of every file that cannot be read. `seen` collects the graph of
    every record the files hold, loaded or not (for `withdraw_missing`). With `checkpoints`, a file
    whose ingest was cut off resumes after its last loaded record (not when `seen` is asked for: a
    full re-send must see every record). `workers` processes parse, convert and validate records
    (0: this process); `writers` threads load them. The store ends up the same either way.
    `touched` collects the record graphs loaded or withdrawn (to recluster only what they touch);
    `on_documents` takes the search documents of the records loaded (lod.search), `on_sources` their
    rows of the record archive, MARCXML and all (lod.archive)."""
    files: list[_File] = []
    read_so_far = 0
    look_up = store.query_bool("has_source_digests")  # in an empty store, every record is new

    def reject(report: IngestReport, error: RecordError) -> None:
        report.skipped += 1
        report.errors.append(error)
        if on_error is not None:
            on_error(error)

    def tasks() -> Iterator[tuple[tuple[_File, list[str]], BatchJob, list[Any] | None]]:
        for source in sources:
            current = _start(store, minter, source, validate_shapes, checkpoints, seen is not None)
            if on_sources is not None:
                current.job = replace(current.job, archive=True)
            files.append(current)
            try:
                for items in record_batches(source.path, skip=current.report.resumed):
                    items, unchanged = _changed(store, current.job, items, look_up)
                    yield (current, unchanged), current.job, items
            except InputError as exc:  # the file as a whole: report it and go on with the next one
                current.report.skipped += 1
                current.report.errors.append(
                    RecordError(str(source.path), 0, "record.unreadable", message=exc.message("en"))
                )
                if on_error is not None:
                    on_error(exc)
            yield (current, []), current.job, None

    def take(current: _File, batch: Batch, unchanged: list[str]) -> None:
        nonlocal read_so_far
        report = current.report
        report.read += batch.read + len(unchanged)
        report.unchanged += len(unchanged)
        if current.job.validate:  # validated when they were loaded, by the same code (lod.digests)
            report.conforming += len(unchanged)
        read_so_far += batch.read + len(unchanged)
        if seen is not None:
            seen.update(batch.seen)
            seen.update(unchanged)
        report.warned += batch.warned
        report.conforming += batch.conforming
        library = current.job.library

        def keep(entry: Entry, error: RecordError) -> None:
            report.skipped += 1
            report.quarantined += 1
            report.errors.append(error)
            if on_quarantine is not None:
                on_quarantine(entry)
            elif on_error is not None:
                on_error(error)

        for item, error in zip(batch.failed, batch.errors, strict=True):
            if quarantine is None:
                reject(report, error)
            else:
                keep(quarantine.add_failed(item, library, error), error)
        for source, invalid, results, title in batch.rejected:
            if quarantine is None:
                reject(report, invalid)
            else:
                keep(quarantine.add(source, library, results, title), invalid)
        if quarantine is not None:
            quarantine.discard(library, batch.accepted)
        report.withdrawn += writer.withdraw(batch.deleted)
        if touched is not None:
            touched.add(graph.value for load in batch.loads for graph in load.graphs)
            touched.add(graph.value for graph in batch.deleted)
        mark = None
        if checkpoints is not None and current.key is not None:
            mark = _advance(checkpoints, current.key, report.resumed + report.read)
        if on_documents is not None and batch.documents:
            on_documents(batch.documents)
        if on_sources is not None and batch.sources:
            on_sources(batch.sources)
        writer.add(batch.loads, mark)
        report.triples += batch.quads
        report.loaded += batch.live
        report.notes += batch.notes
        if on_progress is not None:
            on_progress(read_so_far)

    revive = has_tombstones(store, minter)
    with (
        batch_runner(workers) as run,
        BatchWriter(store, minter, limit=BATCH_QUADS, revive_withdrawn=revive, writers=writers) as writer,
    ):
        for (current, unchanged), batch in run(tasks()):
            if batch is not None:
                take(current, batch, unchanged)
            else:
                writer.mark(_finish(current, checkpoints))
    store.flush()
    return [f.report for f in files]


def ingest_file(
    store: GraphStore,
    path: str | os.PathLike[str],
    library: str,
    minter: Minter,
    *,
    library_name: str | None = None,
    **options: Any,
) -> IngestReport:
    """One file (`ingest_files` with one source). Raises InputError when it cannot be read at all."""
    failure: list[InputError] = []
    on_error: ErrorSink | None = options.pop("on_error", None)

    def errors(error: InputError) -> None:
        if not isinstance(error, RecordError):
            failure.append(error)
        elif on_error is not None:
            on_error(error)

    [report] = ingest_files(store, [Source(path, library, library_name)], minter, on_error=errors, **options)
    if failure:
        raise failure[0]
    return report


def _start(
    store: GraphStore,
    minter: Minter,
    source: Source,
    validate_shapes: bool,
    checkpoints: Checkpoints | None,
    full: bool,
) -> _File:
    """A file's report, its library as the store knows it (a placeholder if the registry does not),
    and where it resumes."""
    report = IngestReport(source=str(source.path))
    started = time.perf_counter()
    library = library_key(store, minter, source.library)
    if not store.query_bool("registered", library=minter.library(library)):
        # kept and flagged, never dropped: the items point at a placeholder until the registry
        # describes the library (lod ingest registry then removes the placeholder)
        store.add_shared(minter.shared_graph(), library_triples(minter, library, source.library_name))
        report.notes.append((str(source.path), 0, "registry.unregistered_library", {"code": library}))
    key = checkpoints.key(source.path, library) if checkpoints is not None and not full else None
    report.resumed = checkpoints.done(key) if checkpoints is not None and key is not None else 0
    return _File(source, report, BatchJob(minter.base, library, validate_shapes), started, key)


def _changed(
    store: GraphStore, job: BatchJob, items: list[SourceRecord], look_up: bool
) -> tuple[list[SourceRecord], list[str]]:
    """The records to convert, each with its source digest, and the graphs of those the store holds
    exactly as sent already (passed over: nothing to convert or write)."""
    for item in items:
        item.digest = source_digest(item, job.base, job.library, job.validate)
    if not look_up:
        return items, []
    known = store.graphs_with_digests([i.digest for i in items if i.digest is not None])
    if not known:
        return items, []
    changed = [i for i in items if i.digest not in known]
    return changed, [known[i.digest] for i in items if i.digest in known]


def _advance(checkpoints: Checkpoints, key: str, done: int) -> Callable[[], None]:
    return lambda: checkpoints.advance(key, done)


def _finish(current: _File, checkpoints: Checkpoints | None) -> Callable[[], None]:
    """Once the file's last record is committed: its checkpoint goes (a later re-send of the same
    file runs in full), and its report gets its time."""

    def finish() -> None:
        if checkpoints is not None and current.key is not None:
            checkpoints.finish(current.key)
        current.report.seconds = time.perf_counter() - current.started

    return finish


def withdraw_missing(
    store: GraphStore, minter: Minter, library: str, seen: set[str], touched: Touched | None = None
) -> int:
    """After a full re-send (`lod ingest marc --full`): withdraw the library's records that it no
    longer sent. A record it sent that failed validation counts as sent: its old version stays."""
    key = library_key(store, minter, library)
    missing = sorted(library_graphs(store, minter, minter.library(key)) - seen)
    if touched is not None:
        touched.add(missing)
    return withdraw(store, minter, [NamedNode(g) for g in missing])
