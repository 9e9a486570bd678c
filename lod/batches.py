"""Stages 1 to 3 of ingest over batches of records, in worker processes, and the N-Quads that stage 4
loads.

The main process splits each file into records and hands them over in batches of BATCH_SIZE; a
worker parses, converts, validates and computes the match keys of each record (`BatchConverter`)
and sends back one `Batch`: N-Quads bytes for the store, and what the report needs. The converter
is pure Python, so processes, not threads, give it more than one core; a batch crosses between
processes as raw record bytes one way and N-Quads bytes the other, which costs far less than
sending Python objects. One pool serves a whole ingest run, whatever the number of files
(`BatchJob` travels with each batch), so the pipeline never drains and restarts between files.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from pyoxigraph import BlankNode, NamedNode

from lod.archive import StagedRow, source_row
from lod.errors import RecordError
from lod.loading import Load
from lod.marcio import SourceRecord, finish_reading, read_marc
from lod.pipeline import Converted, collecting_rarely, convert, record_title, validate
from lod.search.documents import record_document
from lod.triples import AnyTriple
from lod.uris import Minter
from lod.validation import ValidationResult
from lod.vocab import LODV
from lod.watchdog import exit_with

BATCH_SIZE = 500
"""Records per batch: the unit of work of a worker process."""
BATCH_QUADS = 500_000
"""At most this many quads per store write: under the bulk loader's atomic chunk of 10^6 quads."""
SHARED_MEMORY = 1_000_000
"""Shared statements a worker remembers having sent (then it forgets, and sends some again)."""
SOURCE_DIGEST = f"<{LODV.sourceDigest.value}>"
PARALLEL_FROM_BYTES = 1_000_000
"""With workers on "auto", less input than this is converted in the main process: starting workers
would cost more than it saves."""


@dataclass(frozen=True)
class BatchJob:
    """What the records of one file share (sent with each batch: a few short strings)."""

    base: str
    library: str
    validate: bool = True
    archive: bool = False
    """Make each loaded record's row of the record archive too (`Batch.sources`, lod.archive)."""


Loaded = tuple[str, int, str | None]
"""(source, position, control number) of a record accepted into the store."""


@dataclass
class Batch:
    """What `BatchConverter` makes of one batch of records (all of it can be pickled)."""

    read: int = 0
    loads: list[Load] = field(default_factory=list)
    """(record graphs replaced, N-Quads of them and of their new shared statements), each under
    BATCH_QUADS quads and holding whole records."""
    quads: int = 0
    accepted: list[Loaded] = field(default_factory=list)
    """Records that passed (loaded or withdrawn): their quarantine entries go."""
    live: int = 0
    seen: list[str] = field(default_factory=list)
    """The graph of every record converted, loaded or not (for a full re-send)."""
    deleted: list[NamedNode] = field(default_factory=list)
    rejected: list[tuple[SourceRecord, RecordError, list[ValidationResult], str | None]] = field(
        default_factory=list
    )
    errors: list[RecordError] = field(default_factory=list)
    failed: list[SourceRecord] = field(default_factory=list)
    """The record of each error, as read (its bytes, for the quarantine), in the same order."""
    notes: list[tuple[str, int, str, dict[str, str]]] = field(default_factory=list)
    warned: int = 0
    conforming: int = 0
    documents: list[tuple[str, str, str]] = field(default_factory=list)
    """(record graph, source digest, search document as JSON) of each record loaded with a digest
    (lod.search.documents), for the search index to take instead of reading the record back."""
    sources: list[StagedRow] = field(default_factory=list)
    """The record archive's row of each record loaded with a digest (its MARCXML: lod.archive), when
    the job asks for them."""


class BatchConverter:
    """Stages 1 (parsing) to 3 over a batch, and the N-Quads that stage 4 loads. One per process and
    base IRI: it remembers the shared statements (agents, topics...) it has already sent, so each
    goes to the store about once per worker instead of once per record."""

    def __init__(self, base: str) -> None:
        self.minter = Minter(base)
        self.shared_graph = f" <{self.minter.shared_graph().value}> .\n"
        self.sent: set[AnyTriple] = set()

    def __call__(self, items: list[SourceRecord], job: BatchJob) -> Batch:
        batch = Batch(read=len(items))
        converted: list[Converted] = []
        for item in items:
            read = finish_reading(item)
            try:
                converted.append(convert(read, job.library, self.minter))
            except RecordError as error:
                batch.errors.append(error)
                batch.failed.append(read)
        batch.seen = [c.record.graph.value for c in converted if not c.deleted]
        accepted = converted
        if job.validate:
            accepted, rejected, batch.warned = validate(converted)
            batch.conforming = sum(1 for c in accepted if not c.deleted)
            batch.rejected = [
                (c.source, error, report.results, record_title(c.record.triples))
                for c, error, report in rejected
            ]
        for c in accepted:
            item = c.source
            batch.accepted.append((item.source, item.position, item.control_number))
            batch.notes += [(item.source, item.position, key, params) for key, params in item.fixes]
        batch.live = sum(1 for c in accepted if not c.deleted)
        # a record sent twice in one batch: its last version wins, as when sent in two batches
        last = {c.record.graph: c for c in accepted}
        batch.deleted = [graph for graph, c in last.items() if c.deleted]
        self._write([c for c in last.values() if not c.deleted], batch, job)
        return batch

    def _write(self, converted: list[Converted], batch: Batch, job: BatchJob) -> None:
        """N-Quads by string formatting, each term as pyoxigraph writes it (lod.triples.ntriples):
        several times faster than building pyoxigraph Quads and serializing them, and the same
        bytes. Each record graph also gets its source digest (lod.digests)."""
        lines: list[str] = []
        add = lines.append
        graphs: list[NamedNode] = []
        sent = self.sent
        if len(sent) > SHARED_MEMORY:
            sent.clear()
        shared_graph = self.shared_graph
        named, blank = NamedNode, BlankNode
        for c in converted:
            record = c.record
            graph = f" <{record.graph.value}> .\n"
            if c.source.digest is not None:
                add(f'<{record.graph.value}> {SOURCE_DIGEST} "{c.source.digest}"{graph}')
            start = len(lines)
            for s, p, o in record.triples:
                kind = type(o)
                add(
                    (f"<{s.value}> <{p.value}> " if type(s) is named else f"_:{s.value} <{p.value}> ")
                    + (f"<{o.value}>" if kind is named else f"_:{o.value}" if kind is blank else str(o))
                    + graph
                )
            own = lines[start:] if job.archive else []
            for triple in record.shared:
                if triple not in sent:
                    sent.add(triple)
                    s, p, o = triple
                    kind = type(o)
                    add(
                        f"<{s.value}> <{p.value}> "
                        + (f"<{o.value}>" if kind is named else str(o))
                        + shared_graph
                    )
            graphs.append(record.graph)
            if c.source.digest is not None and (doc := record_document([*record.triples, *record.shared])):
                batch.documents.append((record.graph.value, c.source.digest, doc.dumps()))
            if job.archive and c.source.digest is not None and c.source.record is not None:
                row = source_row(record.graph.value, c.source.digest, job.library, c.source.record, own)
                batch.sources.append(row)
            if len(lines) >= BATCH_QUADS - 20_000:  # a record rarely has more than a few thousand
                self._flush(graphs, lines, batch)
                lines, graphs = [], []
                add = lines.append
        if graphs:
            self._flush(graphs, lines, batch)

    @staticmethod
    def _flush(graphs: list[NamedNode], lines: list[str], batch: Batch) -> None:
        batch.loads.append(Load(graphs, "".join(lines).encode(), len(lines)))
        batch.quads += len(lines)


def record_batches(path: str | os.PathLike[str], skip: int = 0) -> Iterator[list[SourceRecord]]:
    """The file's records in batches of BATCH_SIZE, left unparsed for the workers; the first `skip`
    records are passed over (resuming from a checkpoint)."""
    items = islice(read_marc(path, defer=True), skip, None)
    while batch := list(islice(items, BATCH_SIZE)):
        yield batch


def worker_count(paths: Iterable[str | os.PathLike[str]], workers: int) -> int:
    """The worker processes "auto" uses for these files: none when there is little to read."""
    size = 0
    for path in paths:
        try:
            size += os.path.getsize(path)
        except OSError:
            pass  # read_marc names the problem
    return workers if size >= PARALLEL_FROM_BYTES else 0


Task = tuple[Any, BatchJob, list[SourceRecord] | None]
"""(tag, job, records): the runner gives the tag back with the records' Batch. Records None make a
marker that keeps its place in the order without going to a worker (the end of a file)."""
BatchRunner = Callable[[Iterable[Task]], Iterator[tuple[Any, Batch | None]]]
_converters: dict[str, BatchConverter] = {}
"""A worker process's converters, by base IRI (a worker lives as long as its run)."""


def _start_worker(ingest_pid: int) -> None:
    gc.set_threshold(100_000, 1000, 1000)  # see pipeline.collecting_rarely: a worker only converts
    exit_with(ingest_pid)


def convert_batch(
    items: list[SourceRecord], job: BatchJob, converters: dict[str, BatchConverter] | None = None
) -> Batch:
    """One batch, by the run's converter for the job's base IRI (in a worker: its process's)."""
    converters = _converters if converters is None else converters
    converter = converters.get(job.base)
    if converter is None:
        converter = converters[job.base] = BatchConverter(job.base)
    return converter(items, job)


def _empty() -> Future[Batch]:
    """A batch whose records were all passed over (unchanged): nothing for a worker to do."""
    future: Future[Batch] = Future()
    future.set_result(Batch())
    return future


@contextmanager
def batch_runner(workers: int) -> Iterator[BatchRunner]:
    """A function from tasks to their `Batch`es, in order: in this process (`workers` 0), or in
    `workers` processes with at most two batches each in flight (memory stays bounded)."""
    if workers < 1:
        converters: dict[str, BatchConverter] = {}  # this run's: what they sent went to this store
        with collecting_rarely():
            yield lambda tasks: (
                (tag, None if items is None else convert_batch(items, job, converters) if items else Batch())
                for tag, job, items in tasks
            )
        return
    # forkserver: a worker forked from the main process would inherit the store's threads and locks
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["lod.batches"])
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )

    def run(tasks: Iterable[Task]) -> Iterator[tuple[Any, Batch | None]]:
        pending: deque[tuple[Any, Future[Batch] | None, bool]] = deque()
        running = 0  # batches handed to the workers and not yet taken back
        for tag, job, items in tasks:
            if items is None:
                pending.append((tag, None, False))
            elif not items:
                pending.append((tag, _empty(), False))
            else:
                pending.append((tag, pool.submit(convert_batch, items, job), True))
                running += 1
            while running >= 2 * workers:
                tag_done, future, submitted = pending.popleft()
                running -= submitted
                yield tag_done, None if future is None else future.result()
        while pending:
            tag_done, future, _ = pending.popleft()
            yield tag_done, None if future is None else future.result()

    try:
        yield run
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
