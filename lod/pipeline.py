"""Ingest as explicit stages: read -> convert -> validate -> load.

Each stage is a plain function that can be called and tested alone. `lod.batches` runs stages 1 to 3
over batches of records in worker processes, `lod.loading` runs stage 4, and `lod.ingest` strings
them together over the files of a run. A record that fails any stage becomes a `RecordError` naming
the file, its position and its control number.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.clustering import KEY_PREDICATES, match_keys_of
from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.converters.marc.leader_008 import WORK_CLASSES
from lod.converters.schemaorg import INDEXED
from lod.errors import InputError, RecordError
from lod.i18n import LANGUAGES
from lod.marcio import SourceRecord, read_marc
from lod.store import GraphStore, RecordGraph
from lod.triples import AnyTriple, Statements, Triple
from lod.uris import Minter
from lod.validation import RecordReport, ValidationResult, validate_graph, validate_records
from lod.vocab import BF, LODV, RDF, RDFS, SCHEMA
from lod.withdrawal import revive, withdraw

CHECK_BATCH = 500
"""Records validated together by `check_file`."""
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
    while batch_items := list(islice(items, CHECK_BATCH)):
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
