"""Bulk dumps: the whole store, and each dataset in it, as files anyone can download.

    DIR/
      2026-07-01/                         one folder per day (UTC); a second run that day replaces it
        all-part001.nq.gz                 the whole store in N-Quads, named graphs kept: loading
                                          every part into an empty store gives this store back
        registry-part001.nt.gz, .ttl.gz, .jsonld.gz      each dataset in three formats
        shared-…  union-…  library-VN-HN001-…  tombstones-…
        manifest.json                     per file: dataset, format, media type, bytes, triples, sha256
        SHA256SUMS                        `sha256sum -c SHA256SUMS` checks every file
      latest -> 2026-07-01                a symbolic link to the newest day, replaced in one step

Datasets, in the order of the manifest and the /dumps page: `all` (N-Quads only), `registry`
(the registry's libraries and the reference data: units, concepts, figures, any other graph),
`shared` (agents, topics, places, series), `union` (the union catalogue), `library-{id}` (the
records each library sent: the record graphs whose AdminMetadata names it as `bf:assigner`),
`tombstones` (withdrawn records' entities). Every dataset but `all` comes as N-Triples, Turtle
and JSON-LD (expanded: pyoxigraph's streaming writer; `/context.jsonld` compacts it), each file
gzipped.

Parts: a file holds at most `part_triples` statements. The graph of one record, one union entry
or one registry library is never cut across two files (it starts a new part when it would not
fit), unless it alone is bigger than a part; the shared graph and the reference data, which grow
with the catalogue, are cut wherever a part fills, but never inside the statements a blank node
joins (`_units`): a blank node's label means one node within one file only. Lobid's users broke
its single 7.7 GB export and got split files instead.

Streaming, in constant memory: the store is read a graph at a time (pyoxigraph's iterators) and
written through pyoxigraph's streaming serialisers into gzip; nothing holds a dataset, only the
graph being placed and the blank-node statements of a graph being cut (each at most
WHOLE_GRAPH_MAX statements). A dataset's Turtle and JSON-LD parts are its N-Triples parts read
back, so the three formats' parts hold the same statements, and the store is read twice in all
(the `all` dataset, then the others), at some 5 µs a statement on disk. `lod dump` opens the store
read-only and, like `lod serve`, should not run beside an ingest. Gzip headers carry no name or
time, so the same store gives the same bytes and checksums.

Atomic: everything is written into a temporary folder beside the dated one (`.2026-07-01.…tmp`),
each file synced to disk, then renamed into place; a dated folder that already exists is swapped
with it in one step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere renamed aside first, leaving
an instant without it), and `latest` is a new symbolic link renamed over the old one. Readers see
a whole dump or the previous one, never a part-written file. Where the filesystem has no symbolic
links there is no `latest` link (the report says so); the web app's `/dumps/latest/…` URLs find
the newest day by itself. One run at a time: a lock file (`DIR/.lock`) keeps a second one out,
and a run clears the temporary folders a killed one left behind.

The embedded store is read through pyoxigraph's iterators; another GraphStore (a SPARQL server)
works through the protocol, a graph per request (`graph_triples`), in memory bounded by the
largest graph rather than by WHOLE_GRAPH_MAX, and slowly: fine for the registry, slow for a
million records.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from itertools import chain
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, QuerySolutions, Triple, parse, serialize

from lod.errors import LodError
from lod.formats import JSONLD, NQUADS, NTRIPLES, TURTLE, Format
from lod.store import GraphStore, OxigraphStore
from lod.uris import Minter, unique_id
from lod.vocab import BF, PREFIXES, RDFS, SCHEMA
from lod.withdrawal import TOMBSTONES

PART_TRIPLES = 1_000_000
"""Statements per file unless told otherwise (`lod dump --part-triples`): of catalogue records,
some 15 MB of gzipped N-Triples, 120 MB unpacked."""
WHOLE_GRAPH_MAX = 100_000
"""A record, union or library graph up to this many statements is never cut across parts: it is
read ahead whole to see whether it fits, so this bounds the memory a dump needs."""
COMPRESS_LEVEL = 6
"""zlib's default: within a few per cent of level 9's size, several times faster."""

ALL, REGISTRY, SHARED, UNION, LIBRARY = "all", "registry", "shared", "union", "library"
WHOLE_DUMP_FORMATS: tuple[Format, ...] = (NQUADS,)
DATASET_FORMATS: tuple[Format, ...] = (NTRIPLES, TURTLE, JSONLD)
GZIP = "application/gzip"

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
LATEST = "latest"
LOCK = ".lock"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""What the name of a file in a dump looks like (no '/', no leading dot): the web app serves
nothing else."""


@dataclass(frozen=True)
class DumpFile:
    """One file of a dump, as the manifest lists it."""

    name: str
    dataset: str
    format: str
    """The format's short name (lod.formats): nq, nt, ttl, jsonld."""
    media_type: str
    """The media type of the content once gunzipped."""
    part: int
    triples: int
    bytes: int
    sha256: str
    encoding: str = "gzip"


@dataclass(frozen=True)
class Dataset:
    """One dataset of a dump: what it is, and how much of it there is."""

    id: str
    kind: str
    graphs: int
    triples: int
    library: str | None = None
    """The library's IRI, for a library's records."""
    labels: dict[str, str] = field(default_factory=dict)
    """The library's name by language, for a library's records."""

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("vi") or self.id


@dataclass(frozen=True)
class Manifest:
    """What `manifest.json` says about one dump."""

    date: str
    created: str
    base_iri: str
    licence: str
    part_triples: int
    datasets: list[Dataset]
    files: list[DumpFile]
    unassigned_records: int = 0
    """Record graphs naming no library (no `bf:assigner`): only in the `all` dataset."""

    def files_of(self, dataset: str) -> list[DumpFile]:
        return [f for f in self.files if f.dataset == dataset]

    def file(self, name: str) -> DumpFile | None:
        return next((f for f in self.files if f.name == name), None)

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)

    @property
    def triples(self) -> int:
        """Statements in the whole store (the `all` dataset)."""
        return sum(d.triples for d in self.datasets if d.kind == ALL)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            **{
                **data,
                "datasets": [Dataset(**d) for d in data["datasets"]],
                "files": [DumpFile(**f) for f in data["files"]],
            }
        )


@dataclass(frozen=True)
class DumpReport:
    folder: Path
    manifest: Manifest
    seconds: float
    latest_linked: bool
    """False where the filesystem has no symbolic links (no `latest` link was made)."""
    removed: list[str]
    """Earlier days removed to keep only the newest `keep`."""


def write_dumps(
    store: GraphStore,
    root: str | os.PathLike[str],
    minter: Minter,
    *,
    licence: str,
    part_triples: int = PART_TRIPLES,
    keep: int = 0,
    day: date | None = None,
    on_dataset: Callable[[Dataset, Sequence[DumpFile]], None] | None = None,
) -> DumpReport:
    """Dump the store into `root`/YYYY-MM-DD (today, UTC) and point `root`/latest at the newest day;
    with `keep`, only the newest `keep` days are left. `on_dataset` hears of each dataset written.
    Raises LodError when the folder cannot be written (nothing of the failed run is left)."""
    if part_triples < 1:
        raise ValueError("part_triples must be at least 1")
    started = time.perf_counter()
    folder = Path(root)
    name = (day or datetime.now(UTC).date()).isoformat()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with locked(folder):
            clear_leftovers(folder)
            building = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=folder))
            building.chmod(0o755)  # mkdtemp's folder is its owner's only: the web server reads it
            try:
                manifest = _write_folder(store, building, minter, name, licence, part_triples, on_dataset)
                publish(building, folder / name)
            except BaseException:
                shutil.rmtree(building, ignore_errors=True)
                raise
            newest = dump_days(folder)[0]
            linked = point_latest(folder, newest)
            removed = [d for d in dump_days(folder)[keep:] if d != name] if keep > 0 else []
            for old in removed:
                shutil.rmtree(folder / old)
            sync_directory(folder)
    except OSError as exc:
        raise LodError("dump.failed", folder=str(folder), message=str(exc)) from exc
    return DumpReport(folder / name, manifest, time.perf_counter() - started, linked, removed)


def dump_days(root: str | os.PathLike[str]) -> list[str]:
    """The days of the complete dumps in `root`, newest first."""
    return complete_folders(root, DAY)


def complete_folders(root: str | os.PathLike[str], name: re.Pattern[str]) -> list[str]:
    """The folders of `root` named by `name` that are complete (their manifest is written last),
    newest first (the names sort by time): dumps by day, backups by moment."""
    folder = Path(root)
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return []
    return sorted((n for n in names if name.fullmatch(n) and (folder / n / MANIFEST).is_file()), reverse=True)


def read_manifest(folder: str | os.PathLike[str]) -> Manifest:
    """The manifest of one dump folder (OSError, ValueError when it is missing or unreadable)."""
    data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    return Manifest.from_json(data)


def file_media_type(name: str) -> str:
    """What a file of a dump is served as: the parts are gzip files to download."""
    if name == MANIFEST:
        return "application/json"
    if name == CHECKSUMS:
        return "text/plain"  # UTF-8 (Werkzeug adds the charset to text/*)
    return GZIP


def size_text(size: int, lang: str) -> str:
    """A byte count for people: '1,2 MB' (Vietnamese decimal comma), '1.2 MB'; SI units."""
    units = ("B", "kB", "MB", "GB", "TB")
    value, unit = float(size), 0
    while value >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    text = f"{value:.0f}" if unit == 0 else f"{value:.1f}"
    return f"{text.replace('.', ',') if lang == 'vi' else text} {units[unit]}"


def number_text(number: int, lang: str) -> str:
    """'1.234.567' in Vietnamese, '1,234,567' in English."""
    text = f"{number:,}"
    return text.replace(",", ".") if lang == "vi" else text


# reading the store --------------------------------------------------------------------------------
@dataclass
class _Graph:
    """One graph to write: its statements, streamed, and whether it is kept in one part."""

    name: NamedNode | BlankNode | DefaultGraph
    quads: Iterator[Quad]
    whole: bool


class Layout:
    """Which dataset a graph belongs to, by its name (lod.uris)."""

    def __init__(self, minter: Minter) -> None:
        self.minter = minter
        self.record = minter.record_graph("").value
        self.union = minter.union_graph("").value
        self.library = minter.library_graph("").value
        self.shared = minter.shared_graph()
        self.tombstones = minter.data_graph(TOMBSTONES)

    def kind(self, graph: NamedNode | BlankNode) -> str:
        """record, union, shared, tombstones or registry (the libraries and everything else)."""
        if isinstance(graph, NamedNode):
            if graph.value.startswith(self.record):
                return "record"
            if graph.value.startswith(self.union):
                return UNION
            if graph == self.shared:
                return SHARED
            if graph == self.tombstones:
                return TOMBSTONES
        return REGISTRY

    def whole(self, graph: NamedNode | BlankNode) -> bool:
        """Graphs of one thing (a record, a union entry, a library) are not cut across parts."""
        return isinstance(graph, NamedNode) and graph.value.startswith(
            (self.record, self.union, self.library)
        )


class Reader:
    """Reads the store a graph at a time: the embedded store through pyoxigraph's iterators, any
    other GraphStore (a SPARQL server) through the protocol, one request per graph."""

    def __init__(self, store: GraphStore, layout: Layout) -> None:
        self.store = store
        self.embedded = store if isinstance(store, OxigraphStore) else None
        self.layout = layout

    def graph_names(self) -> Iterator[NamedNode | BlankNode]:
        if self.embedded is not None:
            return self.embedded.named_graphs()
        return (NamedNode(name) for name in self.store.graph_names(""))

    def graph(self, name: NamedNode | BlankNode) -> _Graph:
        return _Graph(name, self._quads(name), self.layout.whole(name))

    def _quads(self, name: NamedNode | BlankNode) -> Iterator[Quad]:
        if self.embedded is not None:
            return self.embedded.quads_for_pattern(None, None, None, name)
        assert isinstance(name, NamedNode)
        # a server labels blank nodes per answer (Fuseki's _:b0 in every graph): fresh ones per
        # graph keep two graphs' nodes apart in one file (no blank node is in two graphs)
        fresh: dict[BlankNode, BlankNode] = {}

        def own(term: Any) -> Any:
            return fresh.setdefault(term, BlankNode()) if isinstance(term, BlankNode) else term

        return (
            Quad(own(t.subject), t.predicate, own(t.object), name) for t in self.store.graph_triples(name)
        )

    def default_graph(self) -> Iterator[_Graph]:
        """Statements outside the named graphs (none are ever written there; a server's default
        graph is the union of the others, so it is not read)."""
        if self.embedded is not None:
            yield _Graph(
                DefaultGraph(), self.embedded.quads_for_pattern(None, None, None, DefaultGraph()), False
            )

    def libraries(self) -> list[NamedNode]:
        """The libraries whose records are loaded, in the order of their IRIs."""
        rows = self.store.canned("record_libraries")
        assert isinstance(rows, QuerySolutions)
        found = {row["library"] for row in rows}
        return sorted((n for n in found if isinstance(n, NamedNode)), key=lambda n: n.value)

    def library_graphs(self, library: NamedNode) -> Iterator[NamedNode]:
        """The record graphs whose AdminMetadata names `library`, each once."""
        if self.embedded is None:
            rows = self.store.canned("record_graphs_of_library", library=library)
            assert isinstance(rows, QuerySolutions)
            for row in rows:
                graph = row["g"]
                if isinstance(graph, NamedNode) and graph.value.startswith(self.layout.record):
                    yield graph
            return
        # A record graph names its library twice (its AdminMetadata and its local identifier):
        # each graph is taken at the statement with the least subject among its own few, so it
        # comes once without remembering the graphs seen (a set of a million names is not small).
        store = self.embedded
        for quad in store.quads_for_pattern(None, BF.assigner, library, None):
            graph = quad.graph_name
            if not isinstance(graph, NamedNode) or not graph.value.startswith(self.layout.record):
                continue
            subjects = (str(q.subject) for q in store.quads_for_pattern(None, BF.assigner, library, graph))
            if str(quad.subject) == min(subjects):
                yield graph


@dataclass(frozen=True)
class _Plan:
    """A dataset to write: its formats (the first read from the store, the others derived from it)
    and where its graphs come from."""

    id: str
    kind: str
    formats: tuple[Format, ...]
    graphs: Callable[[], Iterator[_Graph]]
    library: NamedNode | None = None


def _plans(reader: Reader, layout: Layout, tally: Counter[str]) -> Iterator[_Plan]:
    """Every dataset, in the order of the manifest; `tally` counts the graphs of each kind the `all` dataset
    holds (to tell records that name no library)."""

    def everything() -> Iterator[_Graph]:
        tally.clear()
        yield from reader.default_graph()
        for name in reader.graph_names():
            tally[layout.kind(name)] += 1
            yield reader.graph(name)

    def of_kind(kind: str) -> Callable[[], Iterator[_Graph]]:
        return lambda: (reader.graph(n) for n in reader.graph_names() if layout.kind(n) == kind)

    def one(graph: NamedNode) -> Callable[[], Iterator[_Graph]]:
        return lambda: iter([reader.graph(graph)])

    def records(library: NamedNode) -> Callable[[], Iterator[_Graph]]:
        return lambda: (reader.graph(g) for g in reader.library_graphs(library))

    yield _Plan(ALL, ALL, WHOLE_DUMP_FORMATS, everything)
    yield _Plan(REGISTRY, REGISTRY, DATASET_FORMATS, of_kind(REGISTRY))
    yield _Plan(SHARED, SHARED, DATASET_FORMATS, one(layout.shared))
    yield _Plan(UNION, UNION, DATASET_FORMATS, of_kind(UNION))
    taken: set[str] = set()
    for library in reader.libraries():
        dataset_id = library_dataset_id(library, layout.minter, taken)
        yield _Plan(dataset_id, LIBRARY, DATASET_FORMATS, records(library), library)
    yield _Plan(TOMBSTONES, TOMBSTONES, DATASET_FORMATS, one(layout.tombstones))


def library_dataset_id(library: NamedNode, minter: Minter, taken: set[str]) -> str:
    """'library-VN-HN001': the library's ISIL or registry pseudo-identifier, its characters other
    than letters, digits, '.' and '-' written as _XX (ISILs may hold '/' and ':'); an IRI of
    another form, or one that would share a name with another on a case-blind filesystem, gets a
    hash instead."""
    iri = library.value
    ref = minter.parse(iri)
    local = ref.id if ref is not None and ref.kind == LIBRARY else ""
    safe = re.sub(r"[^A-Za-z0-9.-]", lambda m: "".join(f"_{b:02X}" for b in m.group().encode()), local)
    dataset_id = f"{LIBRARY}-{safe}" if safe and not safe.startswith(".") else ""
    if not dataset_id or dataset_id.lower() in taken:
        dataset_id = f"{LIBRARY}-{unique_id('dump', iri)}"
    taken.add(dataset_id.lower())
    return dataset_id


# splitting into parts -----------------------------------------------------------------------------
def _units(graphs: Iterable[_Graph]) -> Iterator[_Graph]:
    """The graphs as units no part may cut: a graph kept whole is one; a graph that may be cut
    (shared, reference data) streams its statements without blank nodes one by one, then gives
    each group of statements joined by blank nodes as a unit of its own. A blank node's statements
    thus never straddle two files (its label would name two nodes to a reader loading one file,
    or a standard loader scoping labels to their file). Only such statements are held, at most
    WHOLE_GRAPH_MAX of them per graph; beyond that they stream too (the converters mint IRIs for
    everything shared: only reference data has blank nodes, some 13,000 statements in all)."""
    for graph in graphs:
        if graph.whole:
            yield graph
            continue
        held: list[Quad] = []

        def plain(graph: _Graph = graph, held: list[Quad] = held) -> Iterator[Quad]:
            overflowed = False
            for quad in graph.quads:
                if overflowed or not (
                    isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)
                ):
                    yield quad
                elif len(held) < WHOLE_GRAPH_MAX:
                    held.append(quad)
                else:
                    overflowed = True
                    yield from held
                    held.clear()
                    yield quad

        yield _Graph(graph.name, plain(), False)
        # _Parts has read the stream to its end before it asks for the next unit
        for group in _joined_by_blank_nodes(held):
            yield _Graph(graph.name, iter(group), True)


def _joined_by_blank_nodes(quads: list[Quad]) -> list[list[Quad]]:
    """The statements grouped by the blank nodes they share (connected components), in order."""
    parent: dict[BlankNode, BlankNode] = {}

    def root(node: BlankNode) -> BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for quad in quads:
        nodes = [t for t in (quad.subject, quad.object) if isinstance(t, BlankNode)]
        first = root(nodes[0])
        for other in nodes[1:]:
            parent[root(other)] = first
    groups: dict[BlankNode, list[Quad]] = {}
    for quad in quads:
        node = quad.subject if isinstance(quad.subject, BlankNode) else quad.object
        assert isinstance(node, BlankNode)
        groups.setdefault(root(node), []).append(quad)
    return list(groups.values())


class _Parts:
    """The statements of a sequence of units (`_units`), cut into parts of at most `limit`
    statements: a unit kept whole goes to the next part when it does not fit in this one (unless
    it is bigger than a part, or than WHOLE_GRAPH_MAX: then it is cut like the others). Each part
    must be read to its end before the next one is asked for."""

    def __init__(self, units: Iterable[_Graph], limit: int) -> None:
        self._units = iter(units)
        self._limit = limit
        self._ahead: list[Quad] = []
        """The next statements to write, read ahead: a whole unit when `_keep`."""
        self._rest: Iterator[Quad] = iter(())
        self._keep = False
        self._last: object = None
        self.graphs = 0
        """Graphs with statements, read so far (the units of one graph come one after another)."""
        self.triples = 0

    def __iter__(self) -> Iterator[Iterator[Quad]]:
        while self._ahead or self._next_unit():
            yield self._part()

    def _next_unit(self) -> bool:
        for unit in self._units:
            quads = iter(unit.quads)
            if unit.whole:
                cap = min(self._limit, WHOLE_GRAPH_MAX)
                ahead = [q for _, q in zip(range(cap + 1), quads, strict=False)]
                self._keep = len(ahead) <= cap
            else:
                ahead = [q for _, q in zip(range(1), quads, strict=False)]
                self._keep = False
            if ahead:
                if unit.name != self._last:
                    self.graphs += 1
                    self._last = unit.name
                self._ahead, self._rest = ahead, quads
                return True
        return False

    def _part(self) -> Iterator[Quad]:
        room = self._limit
        while room > 0 and (self._ahead or self._next_unit()):
            if self._keep:
                if len(self._ahead) > room:
                    return  # a fresh part has room for it: kept units are at most a part
                yield from self._ahead
                room -= len(self._ahead)
                self.triples += len(self._ahead)
                self._ahead = []
                continue
            stream = chain(self._ahead, self._rest)
            self._ahead, self._rest = [], iter(())
            for quad in stream:
                yield quad
                room -= 1
                self.triples += 1
                if room == 0:
                    following = next(stream, None)
                    if following is not None:  # the unit goes on in the next part
                        self._ahead, self._rest = [following], stream
                    break


# writing --------------------------------------------------------------------------------------------
class _Digesting(io.RawIOBase):
    """Passes bytes on to a file, counting them and computing their SHA-256 on the way."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self._raw.write(view)
        self.sha256.update(view)
        self.size += view.nbytes
        return view.nbytes


@dataclass(frozen=True)
class _Written:
    triples: int
    size: int
    sha256: str


def write_part(path: Path, fmt: Format, statements: Iterable[Quad | Triple]) -> _Written:
    """One gzipped file of `statements` (quads for N-Quads, else triples), synced to disk."""
    assert fmt.rdf is not None
    count = 0

    def counted() -> Iterator[Quad | Triple]:
        nonlocal count
        for statement in statements:
            count += 1
            yield statement

    with open(path, "xb") as raw:
        digesting = _Digesting(raw)
        # no name and no time in the gzip header: the same statements give the same bytes
        with gzip.GzipFile(
            filename="", mode="wb", fileobj=digesting, compresslevel=COMPRESS_LEVEL, mtime=0
        ) as zipped:
            # pyoxigraph writes in chunks of 8 KB: no buffer of our own is needed
            prefixes = PREFIXES if fmt is TURTLE else None
            items = cast("Iterator[Quad]", counted())  # quads or triples: all one kind, by `fmt`
            serialize(items, cast(IO[bytes], zipped), fmt.rdf, prefixes=prefixes)
        raw.flush()
        os.fsync(raw.fileno())
    return _Written(count, digesting.size, digesting.sha256.hexdigest())


def _write_folder(
    store: GraphStore,
    folder: Path,
    minter: Minter,
    day: str,
    licence: str,
    part_triples: int,
    on_dataset: Callable[[Dataset, Sequence[DumpFile]], None] | None,
) -> Manifest:
    layout = Layout(minter)
    reader = Reader(store, layout)
    tally: Counter[str] = Counter()
    datasets: list[Dataset] = []
    files: list[DumpFile] = []
    for plan in _plans(reader, layout, tally):
        dataset, written = _write_dataset(folder, plan, part_triples, store)
        if dataset.graphs == 0:
            continue  # nothing of that kind (no withdrawn records yet): no files
        datasets.append(dataset)
        files.extend(written)
        if on_dataset is not None:
            on_dataset(dataset, written)
    in_libraries = sum(d.graphs for d in datasets if d.kind == LIBRARY)
    manifest = Manifest(
        date=day,
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        base_iri=minter.base,
        licence=licence,
        part_triples=part_triples,
        datasets=datasets,
        files=files,
        unassigned_records=max(tally["record"] - in_libraries, 0),
    )
    _write_text(folder / MANIFEST, json.dumps(manifest.to_json(), ensure_ascii=False, indent=1) + "\n")
    sums = [(f.sha256, f.name) for f in files]
    sums.append((hashlib.sha256((folder / MANIFEST).read_bytes()).hexdigest(), MANIFEST))
    _write_text(folder / CHECKSUMS, "".join(f"{digest}  {name}\n" for digest, name in sums))
    sync_directory(folder)
    return manifest


def _write_dataset(
    folder: Path, plan: _Plan, limit: int, store: GraphStore
) -> tuple[Dataset, list[DumpFile]]:
    """The dataset's parts in its first format, read from the store; each part in the other
    formats is the first one read back (parsing is four times faster than reading the store)."""
    first, *others = plan.formats
    files: dict[Format, list[DumpFile]] = {fmt: [] for fmt in plan.formats}

    def written(fmt: Format, number: int, statements: Iterable[Quad | Triple]) -> Path:
        path = folder / f"{plan.id}-part{number:03d}.{fmt.extension}.gz"
        done = write_part(path, fmt, statements)
        files[fmt].append(
            DumpFile(
                path.name, plan.id, fmt.name, fmt.media_type, number, done.triples, done.size, done.sha256
            )
        )
        return path

    parts = _Parts(_units(plan.graphs()), limit)
    for number, part in enumerate(parts, 1):
        path = written(first, number, part if first is NQUADS else (q.triple for q in part))
        for fmt in others:
            assert first.rdf is not None
            with gzip.open(path) as source:
                written(fmt, number, parse(cast(IO[bytes], source), format=first.rdf))
    labels = _labels(store, plan.library) if plan.library is not None and parts.graphs else {}
    library = plan.library.value if plan.library is not None else None
    dataset = Dataset(plan.id, plan.kind, parts.graphs, parts.triples, library, labels)
    return dataset, [f for fmt in plan.formats for f in files[fmt]]


def _labels(store: GraphStore, library: NamedNode) -> dict[str, str]:
    found = {
        lang: store.labels([library], [SCHEMA.name, RDFS.label], lang).get(library.value)
        for lang in ("vi", "en")
    }
    return {lang: label for lang, label in found.items() if label}


def _write_text(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


# publishing -----------------------------------------------------------------------------------------
@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One dump at a time in `folder` (released when the process ends, however it ends)."""
    with open(folder / LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LodError("dump.busy", folder=str(folder)) from None
        yield


def clear_leftovers(folder: Path) -> None:
    """Temporary folders and links of a run that was killed (the lock says none is running)."""
    for entry in folder.iterdir():
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def publish(building: Path, target: Path) -> None:
    """Put the finished folder at `target` in one step, replacing an earlier one of that name."""
    try:
        os.rename(building, target)
        return
    except OSError as exc:
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
            raise
    if _exchange(building, target):
        shutil.rmtree(building)  # now the earlier folder
        return
    aside = building.with_name(building.name[: -len(".tmp")] + ".old.tmp")
    os.rename(target, aside)
    os.rename(building, target)
    shutil.rmtree(aside)


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where the system
    or the filesystem cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def point_latest(folder: Path, day: str) -> bool:
    """Make `latest` a symbolic link to `day`, replaced in one step; False without symbolic links."""
    temporary = folder / f".{LATEST}.{os.getpid()}.tmp"
    try:
        os.symlink(day, temporary, target_is_directory=True)
    except (OSError, NotImplementedError):
        return False
    os.replace(temporary, folder / LATEST)
    return True


def sync_directory(folder: Path) -> None:
    """Make the names written or renamed in `folder` durable (POSIX: fsync the directory)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
