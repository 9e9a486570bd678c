"""The one way the write side changes records: an ingest run and what follows it, shared by the
CLI (`lod ingest marc`, `lod ingest manifest`, `lod quarantine retry`) and the ingest API's jobs
(lod.jobs), so both load, withdraw, recluster and sync the same way.

    changing()      mark the union catalogue pending; what the run touches (None: everything)
    ingest_sources  all stages over the files (lod.ingest.ingest_files), with the settings' workers,
                    checkpoints, quarantine, and the search index's and archive's staging
    withdraw_unsent after a full re-send: the library's records it no longer holds are withdrawn
    recluster_and_sync   the union catalogue for what changed, then the search index and archive
    run_ingest      all of the above, in that order
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lod.archive import ArchiveReport, RecordArchive
from lod.batches import worker_count
from lod.checkpoint import Checkpoints
from lod.config import Settings, auto_workers, worker_processes
from lod.ingest import (
    ErrorSink,
    IngestReport,
    ProgressSink,
    QuarantineSink,
    Source,
    ingest_files,
    withdraw_missing,
)
from lod.quarantine import Quarantine
from lod.store import GraphStore
from lod.unions import Clusters, Touched, mark_pending, pending, recluster
from lod.uris import Minter

if TYPE_CHECKING:
    from lod.search import SearchIndex
    from lod.search.backend import SyncReport


@dataclass
class WriteSide:
    """What a run writes to: the store and what is kept in step with it."""

    settings: Settings
    store: GraphStore
    minter: Minter
    search: Callable[[], SearchIndex]
    archive: Callable[[], RecordArchive]

    def quarantine(self) -> Quarantine:
        return Quarantine(self.settings.quarantine)


@dataclass
class Synced:
    """The union catalogue recomputed for what changed, then the search index and the archive."""

    clusters: Clusters | None
    index: SyncReport | None
    archive: ArchiveReport


@dataclass
class IngestOutcome:
    reports: list[IngestReport]
    withdrawn: int | None
    """Records withdrawn because a full re-send no longer held them; None: not a full re-send, or
    one of its files could not be read at all (then nothing is withdrawn)."""
    synced: Synced


def changing(store: GraphStore, minter: Minter) -> Touched | None:
    """Before a run changes records: what it touches, to recluster only that part afterwards;
    None when an earlier run left the union catalogue behind its records (the whole store is
    reclustered then)."""
    earlier = pending(store, minter)
    mark_pending(store, minter)
    return None if earlier else Touched()


def ingest_sources(
    side: WriteSide,
    sources: Sequence[Source],
    *,
    validate: bool | None = None,
    seen: set[str] | None = None,
    touched: Touched | None = None,
    on_error: ErrorSink | None = None,
    on_quarantine: QuarantineSink | None = None,
    on_progress: ProgressSink | None = None,
) -> list[IngestReport]:
    """One run over the files (one pool of workers for all), as the settings say: SHACL
    validation, worker processes, checkpoints beside the store, the quarantine."""
    settings = side.settings
    validate = settings.validate if validate is None else validate
    workers = worker_processes(settings.workers)
    if auto_workers(settings.workers):
        workers = worker_count([s.path for s in sources], workers)
    return ingest_files(
        side.store,
        sources,
        side.minter,
        validate_shapes=validate,
        on_error=on_error,
        on_progress=on_progress,
        quarantine=side.quarantine() if validate else None,
        on_quarantine=on_quarantine,
        seen=seen,
        touched=touched,
        checkpoints=Checkpoints.beside(settings.store),
        workers=workers,
        on_documents=side.search().stage,
        on_sources=side.archive().stage,
    )


def withdraw_unsent(
    side: WriteSide,
    library: str,
    seen: set[str],
    reports: Sequence[IngestReport],
    touched: Touched | None = None,
) -> int | None:
    """After a full re-send: withdraw the library's records it did not hold. Not when one of its
    files could not be read at all (None): its records would all look missing."""
    if any(r.read == 0 and r.skipped for r in reports):
        return None
    withdrawn = withdraw_missing(side.store, side.minter, library, seen, touched)
    side.store.flush()
    return withdrawn


def recluster_and_sync(
    side: WriteSide, overrides: str | None = None, touched: Touched | None = None, cluster: bool = True
) -> Synced:
    """The whole union catalogue, or (after a run) the part connected to what it changed; then
    the search index and the record archive. Without `cluster`, the archive only (it does not
    depend on the union catalogue; the index does)."""
    clusters = index = None
    if cluster:
        store = side.store
        changed = touched.instances(store, side.minter) if touched is not None else None
        rules = overrides or side.settings.cluster_overrides or None
        clusters = recluster(store, side.minter, rules, touched=changed)
        index = side.search().sync(store, side.minter)
    return Synced(clusters, index, side.archive().sync(side.store, side.minter))


def run_ingest(
    side: WriteSide,
    sources: Sequence[Source],
    *,
    full: bool = False,
    cluster: bool = True,
    validate: bool | None = None,
    on_error: ErrorSink | None = None,
    on_quarantine: QuarantineSink | None = None,
    on_progress: ProgressSink | None = None,
) -> IngestOutcome:
    """Load the files; with `full` (they are the whole catalogue of their one library) withdraw
    what they no longer hold; recluster and sync."""
    seen: set[str] | None = set() if full else None
    touched = changing(side.store, side.minter)
    reports = ingest_sources(
        side,
        sources,
        validate=validate,
        seen=seen,
        touched=touched,
        on_error=on_error,
        on_quarantine=on_quarantine,
        on_progress=on_progress,
    )
    withdrawn = None
    if seen is not None:
        libraries = {s.library for s in sources}
        if len(libraries) != 1:
            raise ValueError("a full re-send is the catalogue of one library")
        withdrawn = withdraw_unsent(side, libraries.pop(), seen, reports, touched)
    return IngestOutcome(reports, withdrawn, recluster_and_sync(side, touched=touched, cluster=cluster))
