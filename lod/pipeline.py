"""Ingest as explicit stages: read -> convert -> validate -> load.

Each stage is a plain function that can be called and tested alone; `ingest_file` strings them
together in batches. A record that fails any stage becomes a `RecordError` naming the file, its
position and its control number; the run goes on, and the report counts every record.

Who does what in `ingest_file`: the main process splits the file into records, hands batches of
them to worker processes (`BatchConverter`: parse, convert, validate, match keys, N-Quads), and
takes their results back in file order, loading each batch with the bulk loader and keeping the
report, the quarantine and the checkpoints. The converter is pure Python, so processes, not
threads, give it more than one core; a batch crosses between processes as raw record bytes one
way and N-Quads bytes the other, which costs far less than sending Python objects.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.checkpoint import Checkpoints
from lod.clustering import KEY_PREDICATES, match_keys_of
from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.converters.marc.leader_008 import WORK_CLASSES
from lod.converters.schemaorg import INDEXED
from lod.errors import InputError, RecordError
from lod.i18n import LANGUAGES
from lod.loading import BatchWriter
from lod.marcio import SourceRecord, finish_reading, read_marc
from lod.store import GraphStore, RecordGraph
from lod.triples import AnyTriple, Statements, Triple
from lod.uris import Minter
from lod.validation import RecordReport, ValidationResult, validate_graph, validate_records
from lod.vocab import BF, LODV, RDF, RDFS, SCHEMA
from lod.withdrawal import has_tombstones, library_graphs, revive, withdraw

if TYPE_CHECKING:
    from lod.quarantine import Entry, Quarantine

BATCH_SIZE = 500
"""Records per batch: the unit of work of a worker, of a store write and of a checkpoint."""
BATCH_QUADS = 500_000
"""At most this many quads per store write: under the bulk loader's atomic chunk of 10^6 quads."""
SHARED_MEMORY = 1_000_000
"""Shared statements a worker remembers having sent (then it forgets, and sends some again)."""
PARALLEL_FROM_BYTES = 1_000_000
"""With workers on "auto", smaller files are converted in the main process: starting workers would
cost more than it saves."""
READ_AFTER_CONVERSION = INDEXED | KEY_PREDICATES
"""What the schema.org view and the match keys read of a record's statements (indexed once for both)."""
CONVERTED_KINDS = {"authority", "holdings"}
SHARED_KINDS = {"agent", "topic", "place", "series", "library"}
# leader/06 values that are not bibliographic (those are the keys of the converter's class table)
OTHER_RECORD_KINDS = {
    "z": "authority",
    "u": "holdings",
    "v": "holdings",
    "x": "holdings",
    "y": "holdings",
    "q": "community information",
}

KIND_NAMES = {
    "authority": {"vi": "tệp chuẩn (authority)", "en": "authority"},
    "holdings": {"vi": "vốn tư liệu (holdings)", "en": "holdings"},
    "community information": {"vi": "thông tin cộng đồng", "en": "community information"},
    "unknown": {"vi": "không rõ loại", "en": "unknown"},
}


@dataclass
class Converted:
    source: SourceRecord
    record: RecordGraph
    deleted: bool = False


@dataclass
class IngestReport:
    source: str
    read: int = 0
    loaded: int = 0
    skipped: int = 0
    withdrawn: int = 0
    conforming: int = 0
    """Records validated without a violation (loaded; some with warnings)."""
    warned: int = 0
    """Conforming records with warnings."""
    quarantined: int = 0
    """Records with violations kept in the quarantine (counted in `skipped` too)."""
    triples: int = 0
    seconds: float = 0.0
    resumed: int = 0
    """Records a checkpoint said were loaded already (not read again)."""
    errors: list[RecordError] = field(default_factory=list)
    notes: list[tuple[str, int, str, dict[str, str]]] = field(default_factory=list)
    """(source, position, message key, params) for repairs and warnings on loaded records."""

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


ErrorSink = Callable[[RecordError], None]
QuarantineSink = Callable[["Entry"], None]
ProgressSink = Callable[[int], None]


# stage 1: read ---------------------------------------------------------------------------------
def read(path: str | os.PathLike[str], *, defer: bool = False) -> Iterator[SourceRecord]:
    return read_marc(path, defer=defer)


# stage 2: convert ------------------------------------------------------------------------------
@contextmanager
def collecting_rarely() -> Iterator[None]:
    """For a long conversion loop: CPython's cycle collector runs every 100,000 allocations instead
    of every 700, and restores its thresholds on the way out.

    Why: the converter's caches keep some 10^5 IRIs, literals and triples alive, all tracked by the
    collector, and each record allocates about 2,000 more containers that die with it. At the
    default thresholds the collector walks the survivors again and again and took 15 % of `lod
    convert`'s time (bench/bench_convert.py) while finding next to nothing: converting a record
    makes no reference cycles (an exception's traceback does; those are still collected)."""
    old = gc.get_threshold()
    gc.set_threshold(100_000, 1000, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def convert(
    item: SourceRecord,
    library: str,
    minter: Minter,
    described: set[Hashable] | None = None,
    *,
    split: bool = True,
) -> Converted:
    """Convert one read record; raises RecordError when it cannot be converted. `described`, one set
    for a whole run, leaves out the shared entities earlier records described (RecordContext).
    `split=False` keeps all statements in `record.triples` (for output that does not tell the
    record's graph from the shared one, such as `lod convert`)."""
    if item.error is not None:
        raise item.error
    assert item.record is not None
    control = item.control_number
    if control is None:
        raise RecordError(item.source, item.position, "record.no_control_number")
    leader = str(item.record.leader)
    code = leader[6:7]
    kind = "bibliographic" if code in WORK_CLASSES else OTHER_RECORD_KINDS.get(code, "unknown")
    if kind in CONVERTED_KINDS:
        # authority and holdings records number their 001s apart from bibliographic ones
        control = f"{kind}:{control}"
    elif kind != "bibliographic":
        raise RecordError(
            item.source,
            item.position,
            "record.not_bibliographic",
            control,
            kind=KIND_NAMES.get(kind, {"vi": kind, "en": kind}),
            code=code,
        )
    ctx = RecordContext(minter, library, control, described=described)
    graph = minter.record_graph(ctx.record_id)
    if leader[5:6] == "d":
        return Converted(item, RecordGraph(graph, [], []), deleted=True)
    statements = Statements(READ_AFTER_CONVERSION)
    try:
        triples = convert_record(item.record, ctx, statements)
    except Exception as exc:  # a converter bug must cost one record, not the run
        raise RecordError(
            item.source, item.position, "record.invalid", control, message=f"{type(exc).__name__}: {exc}"
        ) from exc
    if split:
        triples += match_keys_of(statements)
    own, shared = split_shared(triples, minter) if split else (triples, [])
    return Converted(item, RecordGraph(graph, own, shared))


def split_shared(triples: Iterable[Triple], minter: Minter) -> tuple[list[Triple], list[Triple]]:
    """Statements about agents, topics and libraries go to the shared graph; the rest is the record's.

    A shared entity's statement that points at a blank node stays with the record: blank nodes are
    new on every conversion, so in the shared graph they would pile up on each re-ingest, while the
    record's graph is replaced whole."""
    own: list[Triple] = []
    shared: list[Triple] = []
    prefixes = minter.prefixes(*SHARED_KINDS)
    for t in triples:
        subject, _, obj = t
        if type(subject) is NamedNode and type(obj) is not BlankNode and subject.value.startswith(prefixes):
            shared.append(t)
        else:
            own.append(t)
    return own, shared


def library_triples(minter: Minter, code: str, name: str | None = None) -> list[Triple]:
    """A library the registry does not know yet: its code (and a name if given), flagged
    `lodv:registered false` so that pages and queries can tell it from a registered one."""
    node = minter.library(code)
    return [
        (node, RDF.type, BF.Agent),
        (node, RDF.type, BF.Organization),
        (node, RDF.type, SCHEMA.Library),
        (node, RDFS.label, Literal(name or code)),
        (node, SCHEMA.name, Literal(name or code)),
        (node, SCHEMA.identifier, Literal(code)),
        (node, LODV.registered, Literal(False)),
    ]


def library_key(store: GraphStore, minter: Minter, code: str) -> str:
    """The code a library's IRI is made of (its ISIL, else its pseudo-ISIL), when the registry
    knows the library by `code` (ISIL or registry id); else `code` itself."""
    solutions = store.canned("library_by_code", code=Literal(code))
    for row in solutions:  # type: ignore[union-attr]
        ref = minter.parse(row["library"].value)
        if ref is not None and ref.kind == "library":
            return ref.id
    return code


def convert_batches(
    path: str | os.PathLike[str], library: str, minter: Minter, skip: int = 0
) -> Iterator[tuple[int, list[Converted], list[RecordError]]]:
    """Stages 1 and 2 in batches: (records read, records converted, records that could not be).
    The first `skip` records are read past, not converted (resuming from a checkpoint)."""
    items = islice(read(path), skip, None)
    while batch_items := list(islice(items, BATCH_SIZE)):
        converted: list[Converted] = []
        errors: list[RecordError] = []
        for item in batch_items:
            try:
                converted.append(convert(item, library, minter))
            except RecordError as error:
                errors.append(error)
        yield len(batch_items), converted, errors


# stage 3: validate -----------------------------------------------------------------------------
Rejected = tuple[Converted, RecordError, RecordReport]


def validate(batch: list[Converted]) -> tuple[list[Converted], list[Rejected], int]:
    """Split a batch into conforming records and rejected ones (with the error to report and the
    validation report); also count records with warnings."""
    live = [c for c in batch if not c.deleted]
    reports = validate_records([[*c.record.triples, *c.record.shared] for c in live])
    accepted: list[Converted] = [c for c in batch if c.deleted]
    rejected: list[Rejected] = []
    warned = 0
    for converted, report in zip(live, reports, strict=True):
        if report.conforms:
            accepted.append(converted)
            warned += bool(report.warnings)
            continue
        messages = {
            lang: "; ".join(dict.fromkeys(v.message(lang) for v in report.violations)) for lang in LANGUAGES
        }
        item = converted.source
        rejected.append(
            (
                converted,
                RecordError(
                    item.source, item.position, "record.invalid", item.control_number, message=messages
                ),
                report,
            )
        )
    return accepted, rejected, warned


def record_title(triples: Iterable[AnyTriple]) -> str | None:
    """The title the converter found for a record: its catalogued Instance's rdfs:label, else the
    bf:mainTitle of its bf:title (for reports on records that are not loaded)."""
    triples = list(triples)
    instances = {s for s, p, _ in triples if p == BF.instanceOf}
    labels = [o.value for s, p, o in triples if s in instances and p == RDFS.label and isinstance(o, Literal)]
    if labels:
        return labels[0]
    titles = {o for s, p, o in triples if s in instances and p == BF.title}
    mains = [o.value for s, p, o in triples if s in titles and p == BF.mainTitle and isinstance(o, Literal)]
    return mains[0] if mains else None


# stage 4: load ---------------------------------------------------------------------------------
def load(
    store: GraphStore, batch: list[Converted], minter: Minter, revive_withdrawn: bool = True
) -> tuple[int, int]:
    """Write the batch; deleted records are withdrawn (tombstones left, lod.withdrawal), and a
    record that comes back loses its tombstones. Returns (statements written, withdrawn)."""
    withdrawn = withdraw(store, minter, [c.record.graph for c in batch if c.deleted])
    loading = [c.record for c in batch if not c.deleted]
    written = store.replace_records(loading, minter.shared_graph())
    if revive_withdrawn:
        revive(store, minter, [r.graph for r in loading])
    return written, withdrawn


# stages 1 to 3 in workers, and the N-Quads for stage 4 --------------------------------------------
@dataclass(frozen=True)
class BatchJob:
    """What every batch of one file's ingest shares (sent once to each worker process)."""

    base: str
    library: str
    validate: bool = True


Loaded = tuple[str, int, str | None]
"""(source, position, control number) of a record accepted into the store."""


@dataclass
class Batch:
    """What `BatchConverter` makes of one batch of records (all of it can be pickled)."""

    read: int = 0
    loads: list[tuple[list[NamedNode], bytes]] = field(default_factory=list)
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
    notes: list[tuple[str, int, str, dict[str, str]]] = field(default_factory=list)
    warned: int = 0
    conforming: int = 0


class BatchConverter:
    """Stages 1 (parsing) to 3 over a batch, and the N-Quads that stage 4 loads. One per ingest run
    and process: it remembers the shared statements (agents, topics...) it has already sent, so
    each goes to the store about once per worker instead of once per record."""

    def __init__(self, job: BatchJob) -> None:
        self.job = job
        self.minter = Minter(job.base)
        self.shared_graph = f" {self.minter.shared_graph()} .\n"
        self.sent: set[AnyTriple] = set()

    def __call__(self, items: list[SourceRecord]) -> Batch:
        batch = Batch(read=len(items))
        converted: list[Converted] = []
        for item in items:
            try:
                converted.append(convert(finish_reading(item), self.job.library, self.minter))
            except RecordError as error:
                batch.errors.append(error)
        batch.seen = [c.record.graph.value for c in converted if not c.deleted]
        accepted = converted
        if self.job.validate:
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
        self._write([c.record for c in last.values() if not c.deleted], batch)
        return batch

    def _write(self, records: list[RecordGraph], batch: Batch) -> None:
        """N-Quads by string formatting (a term's str() is its N-Triples form): 2.5 times faster
        than building pyoxigraph Quads and serializing them, and the same bytes."""
        lines: list[str] = []
        graphs: list[NamedNode] = []
        if len(self.sent) > SHARED_MEMORY:
            self.sent.clear()
        for record in records:
            graph = f" {record.graph} .\n"
            lines += [f"{s} {p} {o}{graph}" for s, p, o in record.triples]
            for triple in record.shared:
                if triple not in self.sent:
                    self.sent.add(triple)
                    lines.append(f"{triple[0]} {triple[1]} {triple[2]}{self.shared_graph}")
            graphs.append(record.graph)
            if len(lines) >= BATCH_QUADS - 20_000:  # a record rarely has more than a few thousand
                self._flush(graphs, lines, batch)
                lines, graphs = [], []
        if graphs:
            self._flush(graphs, lines, batch)

    @staticmethod
    def _flush(graphs: list[NamedNode], lines: list[str], batch: Batch) -> None:
        batch.loads.append((graphs, "".join(lines).encode()))
        batch.quads += len(lines)


def record_batches(path: str | os.PathLike[str], skip: int = 0) -> Iterator[list[SourceRecord]]:
    """The file's records in batches of BATCH_SIZE, left unparsed for the workers; the first `skip`
    records are passed over (resuming from a checkpoint)."""
    items = islice(read(path, defer=True), skip, None)
    while batch := list(islice(items, BATCH_SIZE)):
        yield batch


def worker_count(path: str | os.PathLike[str], workers: int) -> int:
    """The worker processes "auto" uses for this file: none for a small one."""
    try:
        small = os.path.getsize(path) < PARALLEL_FROM_BYTES
    except OSError:
        small = True  # read_marc names the problem
    return 0 if small else workers


BatchRunner = Callable[[Iterable[list[SourceRecord]]], Iterator[Batch]]
_worker: BatchConverter | None = None


def _start_worker(job: BatchJob) -> None:
    global _worker
    _worker = BatchConverter(job)
    gc.set_threshold(100_000, 1000, 1000)  # see collecting_rarely: a worker only converts


def _run_in_worker(items: list[SourceRecord]) -> Batch:
    assert _worker is not None
    return _worker(items)


@contextmanager
def batch_runner(job: BatchJob, workers: int) -> Iterator[BatchRunner]:
    """A function from batches of records to their `Batch`es, in order: in this process (`workers`
    0), or in `workers` processes with at most two batches each in flight (memory stays bounded)."""
    if workers < 1:
        converter = BatchConverter(job)
        with collecting_rarely():
            yield lambda batches: map(converter, batches)
        return
    # forkserver: a worker forked from the main process would inherit the store's threads and locks
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["lod.pipeline"])
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(job,))

    def run(batches: Iterable[list[SourceRecord]]) -> Iterator[Batch]:
        pending: deque[Future[Batch]] = deque()
        for items in batches:
            pending.append(pool.submit(_run_in_worker, items))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    try:
        yield run
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# all stages ------------------------------------------------------------------------------------
def ingest_file(
    store: GraphStore,
    path: str | os.PathLike[str],
    library: str,
    minter: Minter,
    *,
    library_name: str | None = None,
    validate_shapes: bool = True,
    on_error: ErrorSink | None = None,
    on_progress: ProgressSink | None = None,
    quarantine: Quarantine | None = None,
    on_quarantine: QuarantineSink | None = None,
    seen: set[str] | None = None,
    checkpoints: Checkpoints | None = None,
    workers: int = 0,
) -> IngestReport:
    """All stages over one file. Records with violations go to `quarantine` (`on_quarantine` is
    told of each entry; without a quarantine they are only reported, through `on_error`); records
    with warnings only are loaded and counted. A record that loads drops its earlier entry.
    `seen` collects the graph of every record the file holds, loaded or not (for `withdraw_missing`).
    With `checkpoints`, a file whose ingest was cut off resumes after its last loaded batch (not
    when `seen` is asked for: a full re-send must see every record). With `workers` > 0, records
    are parsed, converted and validated in that many processes (for files of PARALLEL_FROM_BYTES
    or more); the store ends up the same either way."""
    report = IngestReport(source=str(path))
    started = time.perf_counter()
    tombstones = has_tombstones(store, minter)
    library = library_key(store, minter, library)
    if not store.query_bool("registered", library=minter.library(library)):
        # kept and flagged, never dropped: the items point at a placeholder until the registry
        # describes the library (lod ingest registry then removes the placeholder)
        store.add_shared(minter.shared_graph(), library_triples(minter, library, library_name))
        report.notes.append((str(path), 0, "registry.unregistered_library", {"code": library}))

    def reject(error: RecordError) -> None:
        report.skipped += 1
        report.errors.append(error)
        if on_error is not None:
            on_error(error)

    key = checkpoints.key(path, library) if checkpoints is not None and seen is None else None
    resumed = checkpoints.done(key) if checkpoints is not None and key is not None else 0
    report.resumed = resumed
    job = BatchJob(minter.base, library, validate_shapes)
    writer = BatchWriter(
        store, minter, limit=BATCH_QUADS, revive_withdrawn=tombstones, checkpoints=checkpoints, key=key
    )
    with batch_runner(job, workers) as run, writer:
        for batch in run(record_batches(path, skip=resumed)):
            report.read += batch.read
            if seen is not None:
                seen.update(batch.seen)
            for error in batch.errors:
                reject(error)
            report.warned += batch.warned
            report.conforming += batch.conforming
            for source, invalid, results, title in batch.rejected:
                if quarantine is None:
                    reject(invalid)
                    continue
                entry = quarantine.add(source, library, results, title)
                report.skipped += 1
                report.quarantined += 1
                report.errors.append(invalid)
                if on_quarantine is not None:
                    on_quarantine(entry)
                elif on_error is not None:
                    on_error(invalid)
            if quarantine is not None:
                for source_name, position, control in batch.accepted:
                    quarantine.discard(library, source_name, position, control)
            writer.withdraw(batch.deleted)
            writer.add(batch.loads, resumed + report.read)
            report.triples += batch.quads
            report.loaded += batch.live
            report.notes += batch.notes
            if on_progress is not None:
                on_progress(report.read)
    report.withdrawn = writer.withdrawn
    store.flush()
    if checkpoints is not None and key is not None:
        checkpoints.finish(key)
    report.seconds = time.perf_counter() - started
    return report


def withdraw_missing(store: GraphStore, minter: Minter, library: str, seen: set[str]) -> int:
    """After a full re-send (`lod ingest marc --full`): withdraw the library's records that it no
    longer sent. A record it sent that failed validation counts as sent: its old version stays."""
    key = library_key(store, minter, library)
    missing = library_graphs(store, minter, minter.library(key)) - seen
    return withdraw(store, minter, [NamedNode(g) for g in sorted(missing)])


# checking without loading (`lod validate`) ------------------------------------------------------
RDF_EXTENSIONS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}


def check_file(path: str, library: str, minter: Minter, lang: str) -> tuple[list[dict[str, Any]], int]:
    """Validate a MARC file (converted first) or an RDF file against the shipped shapes.

    Returns the results (where, severity, message, path) and the number of records checked.
    Raises InputError when the file cannot be read at all."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in RDF_EXTENSIONS:
        return _check_rdf(path, RDF_EXTENSIONS[suffix], lang), 1
    results: list[dict[str, Any]] = []
    records = 0
    for read_count, converted, errors in convert_batches(path, library, minter):
        records += read_count
        results.extend(
            {
                "where": f"{error.source}: {error.position}",
                "severity": "violation",
                "message": error.message(lang),
                "path": None,
                "focus": None,
            }
            for error in errors
        )
        batch = [c for c in converted if not c.deleted]
        reports = validate_records([[*c.record.triples, *c.record.shared] for c in batch])
        for record, report in zip(batch, reports, strict=True):
            item = record.source
            title = record_title(record.record.triples)
            named = f", “{title}”" if title else ""
            where = f"{item.source}: {item.position} (001 {item.control_number}{named})"
            results.extend(_result_row(where, r, lang) for r in report.results)
    return results, records


def _result_row(where: str, result: ValidationResult, lang: str) -> dict[str, Any]:
    return {
        "where": where,
        "severity": result.severity,
        "message": result.message(lang),
        "messages": result.messages,
        "path": result.path,
        "focus": result.focus,
        "value": result.value,
        "component": result.component,
    }


def _one_line(exc: Exception, limit: int = 200) -> str:
    """rdflib's parser errors span lines and quote bytes; one readable line names the problem."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "…"


def _check_rdf(path: str, rdflib_format: str, lang: str) -> list[dict[str, Any]]:
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(path, format=rdflib_format)
    except Exception as exc:  # rdflib raises parser-specific types
        raise InputError(source=path, message=_one_line(exc)) from exc
    return [_result_row(f"{path}: {r.focus}", r, lang) for r in validate_graph(graph)]
