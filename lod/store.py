"""The store: a small interface over an embedded Oxigraph (pyoxigraph) database.

Each source record's statements live in their own named graph, so re-ingesting a record replaces
exactly its statements. Agents, topics and libraries, which many records share, live once in the
shared graph. Queries see the union of all graphs as their default graph.

Canned queries are `.rq` files in `lod/queries`; values are bound with `substitutions`, never
pasted into query text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
)

from lod.errors import StoreError
from lod.triples import AnyTriple
from lod.vocab import BF, LODV, RDFS, SCHEMA

SOURCE_DIGEST = LODV.sourceDigest

Term = NamedNode | BlankNode | Literal
QueryResult = QuerySolutions | QueryTriples | QueryBoolean


@dataclass
class RecordGraph:
    """One converted record, ready to load."""

    graph: NamedNode
    triples: Sequence[AnyTriple]
    shared: Sequence[AnyTriple]


class GraphStore(Protocol):
    """What the pipeline, the registry and the web layer need from a store: `OxigraphStore` (embedded)
    and `lod.sparqlstore.SparqlStore` (a SPARQL 1.1 server) both provide it."""

    location: str

    def replace_records(self, records: Sequence[RecordGraph], shared_graph: NamedNode) -> int: ...
    def add_shared(self, graph: NamedNode, triples: Iterable[AnyTriple]) -> None: ...
    def replace_graph(self, graph: NamedNode, triples: Iterable[AnyTriple]) -> int: ...
    def load_graphs(self, graphs: Sequence[NamedNode], nquads: bytes) -> None: ...
    def remove_subject(self, subject: NamedNode, graph: NamedNode) -> int: ...
    def graph_names(self, prefix: str) -> list[str]: ...
    def graph_triples(self, graph: NamedNode) -> list[Triple]: ...
    def remove_record(self, graph: NamedNode) -> bool: ...
    def flush(self) -> None: ...
    def optimize(self) -> bool: ...
    def query(self, query: str, **options: Any) -> QueryResult: ...
    def canned(self, name: str, **bindings: Term) -> QueryResult: ...
    def query_bool(self, name: str, **bindings: Term) -> bool: ...
    def exists(self, iri: NamedNode) -> bool: ...
    def describe(self, iri: NamedNode) -> list[Triple]: ...
    def incoming(self, iri: NamedNode, offset: int, limit: int) -> list[Triple]: ...
    def labels(
        self, nodes: Iterable[NamedNode], predicates: Sequence[NamedNode], lang: str | None = None
    ) -> dict[str, str]: ...
    def label_triples(
        self, nodes: Iterable[NamedNode], predicates: Sequence[NamedNode], lang: str | None = None
    ) -> list[Triple]: ...
    def keep_shared_labels(self, langs: Sequence[str]) -> int: ...
    def objects(self, nodes: Iterable[NamedNode], predicate: NamedNode) -> dict[str, list[Term]]: ...
    def is_empty(self) -> bool: ...
    def triple_count(self) -> int: ...
    def graph_count(self) -> int: ...
    def graphs_with_digests(self, digests: Sequence[str]) -> dict[str, str]: ...
    def quads(self) -> Iterator[Quad]: ...
    def counts(self) -> Mapping[str, int]: ...


_LABEL_COPIES = 64
"""Statements of a node's label read one by one before asking the store for its distinct values."""
LABELS_KEPT = 100_000
"""Labels a read-only store keeps (code list terms, agents, libraries a page links to). Why: a code
list term (a carrier, a media type, the cataloguing agency) is labelled in every record graph, so
finding its best label reads one statement per record: 0.25 s at 100,000 records."""


def label_language_rank(label: Literal, lang: str) -> int:
    """How well a label suits a page in `lang`: in that language, then without a language, then in
    Vietnamese (the catalogue's own language), then any other (a registry library has its name in
    Vietnamese and English: an English page shows the English one, a Vietnamese page the other)."""
    tag = (label.language or "").lower()
    if tag == lang or tag.startswith(lang + "-"):
        return 0
    return 1 if not tag else 2 if tag == "vi" or tag.startswith("vi-") else 3


def labels_from(triples: Iterable[Triple]) -> dict[str, str]:
    """`label_triples` as node IRI -> label text (what `labels` answers, in every backend)."""
    return {str(t.subject.value): str(t.object.value) for t in triples}  # type: ignore[union-attr]


def _best_label(
    node: NamedNode, predicate: NamedNode, labels: Sequence[Literal], lang: str | None
) -> Triple | None:
    """The statement of the label best for `lang` (label_language_rank; the first of the best),
    or None when there are no labels."""
    best, best_rank = None, 4
    for label in labels:
        rank = 0 if lang is None else label_language_rank(label, lang)
        if rank < best_rank:
            best, best_rank = label, rank
            if rank == 0:  # none better: the first of the best, as min() would take
                break
    return None if best is None else Triple(node, predicate, best)


def _in_order(labels: list[Literal]) -> list[Literal]:
    """The distinct labels a query found, in one order whichever query found them, so that the
    first of equally good labels is always the same one."""
    return sorted(labels, key=lambda label: (label.value, label.language or ""))


KIND_CLASSES = {
    "works": BF.Work,
    "instances": BF.Instance,
    "items": BF.Item,
    "agents": BF.Agent,
    "topics": BF.Topic,
    "libraries": SCHEMA.Library,
    "union_instances": LODV.UnionInstance,
    "union_works": LODV.UnionWork,
}
"""The kinds of entity people read counts of, by their class (works and instances: see kinds_from)."""
UNION_CLASSES = {"works": "union_works", "instances": "union_instances"}


def class_counts_from(solutions: QueryResult) -> dict[str, int]:
    """The canned `counts` query's rows (class, n) as class IRI -> n; the same for every backend."""
    assert isinstance(solutions, QuerySolutions)
    result: dict[str, int] = {}
    for row in solutions:
        cls, n = row["class"], row["n"]
        if isinstance(cls, NamedNode) and isinstance(n, Literal):
            result[cls.value] = int(n.value)
    return result


def kinds_from(class_counts: Mapping[str, int]) -> dict[str, int]:
    """Class counts as kinds (absent when none): the libraries' own works and instances are the
    classes' entities less the union catalogue's entries, which are typed with both."""
    found = {kind: class_counts.get(cls.value, 0) for kind, cls in KIND_CLASSES.items()}
    for kind, union in UNION_CLASSES.items():
        found[kind] -= found[union]
    return {kind: n for kind, n in found.items() if n > 0}


def counts_from(solutions: QueryResult) -> dict[str, int]:
    """The canned `counts` query's rows as kinds (kinds_from)."""
    return kinds_from(class_counts_from(solutions))


@cache
def load_query(name: str) -> str:
    return resources.files("lod").joinpath("queries", f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class ExampleQuery:
    name: str
    title: str
    """The first comment line: 'Vietnamese / English'."""
    text: str


@cache
def load_example_queries() -> tuple[ExampleQuery, ...]:
    """The example queries shown on the home page and the SPARQL page (lod/queries/examples)."""
    folder = resources.files("lod").joinpath("queries", "examples")
    examples = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            title = text.splitlines()[0].lstrip("# ").strip() if text else entry.name
            examples.append(ExampleQuery(entry.name[:-3], title, text))
    return tuple(examples)


class OxigraphStore:
    """pyoxigraph on disk (or in memory for tests and `--store :memory:`)."""

    def __init__(self, store: Store, location: str, read_only: bool = False) -> None:
        self._store = store
        self.location = location
        self._labels: dict[tuple[str, str, str | None], Triple | None] | None = {} if read_only else None
        """The label found for (node, predicate, language) (`label_triples`; None: it has none),
        kept while the store is read-only: what it holds does not change under this object then
        (it sees the store as it was when opened)."""

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None, read_only: bool = False) -> OxigraphStore:
        """Open (creating if needed) the store at `path`; None or ':memory:' gives an in-memory one."""
        if path is None or str(path) == ":memory:":
            return cls(Store(), ":memory:")
        location = Path(path)
        try:
            if read_only:
                if not location.exists():
                    location.mkdir(parents=True)
                    Store(str(location)).flush()  # an empty store to open read-only
                return cls(Store.read_only(str(location)), str(location), read_only=True)
            location.mkdir(parents=True, exist_ok=True)
            return cls(Store(str(location)), str(location))
        except OSError as exc:
            raise StoreError(message=f"{location}: {exc}") from exc

    # writing
    def replace_records(self, records: Sequence[RecordGraph], shared_graph: NamedNode) -> int:
        """Replace each record's graph by its new statements and add the statements it shares
        (agents, topics, libraries) to `shared_graph`. Returns the number of statements written."""
        try:
            for record in records:
                self._store.remove_graph(record.graph)
            quads = [Quad(s, p, o, r.graph) for r in records for s, p, o in r.triples]
            quads.extend(Quad(s, p, o, shared_graph) for r in records for s, p, o in r.shared)
            self._store.extend(quads)
            return len(quads)
        except OSError as exc:
            raise StoreError(message=str(exc)) from exc

    def add_shared(self, graph: NamedNode, triples: Iterable[AnyTriple]) -> None:
        """Add statements that many records share; adding one that is there already is a no-op."""
        try:
            self._store.extend(Quad(s, p, o, graph) for s, p, o in triples)
        except OSError as exc:
            raise StoreError(message=str(exc)) from exc

    def replace_graph(self, graph: NamedNode, triples: Iterable[AnyTriple]) -> int:
        """Empty `graph` and fill it with `triples` in one go (a registry library on re-ingest)."""
        try:
            self._store.remove_graph(graph)
            quads = [Quad(s, p, o, graph) for s, p, o in triples]
            self._store.extend(quads)
            return len(quads)
        except OSError as exc:
            raise StoreError(message=str(exc)) from exc

    def load_graphs(self, graphs: Sequence[NamedNode], nquads: bytes) -> None:
        """Replace each of `graphs` by its statements in `nquads` (N-Quads, as pyoxigraph writes
        them); statements in other graphs (the shared one) are added.

        The graphs already in the store are emptied first (each removal is its own transaction),
        then everything goes in through Oxigraph's bulk loader: it writes sorted files and hands
        them to RocksDB in one atomic ingestion per chunk of a million quads, 3 to 4 times faster
        than `extend`. Callers keep a call under that chunk (lod.ingest_worker.BATCH_QUADS), so a
        kill -9 leaves a graph either removed or whole: never half-written."""
        try:
            for graph in graphs:
                if self._store.contains_named_graph(graph):
                    self._store.remove_graph(graph)
            if nquads:
                self._store.bulk_load(input=nquads, format=RdfFormat.N_QUADS, lenient=True)
        except (OSError, RuntimeError, SyntaxError) as exc:  # RuntimeError: a read-only store
            raise StoreError(message=str(exc)) from exc

    def remove_subject(self, subject: NamedNode, graph: NamedNode) -> int:
        """Remove every statement about `subject` in `graph` (and blank nodes hanging off them)."""
        quads = list(self._store.quads_for_pattern(subject, None, None, graph))
        for quad in quads:
            if isinstance(quad.object, BlankNode):
                quads += self._store.quads_for_pattern(quad.object, None, None, graph)
        for quad in quads:
            self._store.remove(quad)
        return len(quads)

    def graph_names(self, prefix: str) -> list[str]:
        """The named graphs whose IRI starts with `prefix`."""
        return sorted(
            g.value
            for g in self._store.named_graphs()
            if isinstance(g, NamedNode) and g.value.startswith(prefix)
        )

    def graph_triples(self, graph: NamedNode) -> list[Triple]:
        return [quad.triple for quad in self._store.quads_for_pattern(None, None, None, graph)]

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        """Every named graph, streamed (lod.dumps reads the store a graph at a time)."""
        return iter(self._store.named_graphs())

    def quads_for_pattern(
        self,
        subject: NamedNode | BlankNode | None,
        predicate: NamedNode | None,
        obj: Term | None,
        graph: NamedNode | BlankNode | DefaultGraph | None = None,
    ) -> Iterator[Quad]:
        """The quads matching a pattern (None: any), streamed in index order (lod.dumps); on disk,
        a graph's statements come grouped by subject."""
        return iter(self._store.quads_for_pattern(subject, predicate, obj, graph))

    def remove_record(self, graph: NamedNode) -> bool:
        if not self._store.contains_named_graph(graph):
            return False
        self._store.remove_graph(graph)
        return True

    def checkpoint(self, target: str) -> None:
        """A consistent copy of the store in the new folder `target` (RocksDB's checkpoint: its
        files may be hard links to the store's), taken while the store is open, even for writing."""
        self._store.backup(target)

    def flush(self) -> None:
        if self.location != ":memory:":
            self._store.flush()

    def optimize(self) -> bool:
        """Compact the store's files (RocksDB's full compaction), as Oxigraph advises after a batch
        load; True when done. Why: an ingest leaves its statements in many overlapping files, and
        each first read of a node then looks in all of them. Measured at 100,000 records: 5.3 GB
        in 110 files became 3.2 GB in 65 (55 s), and pages seen for the first time rendered 22-25%
        faster (instances, works, agents; paired, interleaved)."""
        if self.location == ":memory:":
            return False
        self._store.optimize()
        return True

    # reading
    def query(self, query: str, **options: Any) -> QueryResult:
        """Run SPARQL over the union of all graphs (unless default_graph/named_graphs are given)."""
        if "default_graph" not in options:
            options.setdefault("use_default_graph_as_union", True)
        try:
            return self._store.query(query, **options)
        except OSError as exc:
            raise StoreError(message=str(exc)) from exc

    def canned(self, name: str, **bindings: Term) -> QueryResult:
        substitutions = {Variable(k): v for k, v in bindings.items()}
        return self.query(load_query(name), substitutions=substitutions)

    def query_bool(self, name: str, **bindings: Term) -> bool:
        """The answer of a canned ASK query."""
        result = self.canned(name, **bindings)
        return bool(result) if isinstance(result, QueryBoolean) else False

    def exists(self, iri: NamedNode) -> bool:
        return next(self._store.quads_for_pattern(iri, None, None), None) is not None

    def describe(self, iri: NamedNode) -> list[Triple]:
        """The concise bounded description: outgoing statements, following blank nodes."""
        seen: set[Triple] = set()
        ordered: list[Triple] = []
        pending: list[NamedNode | BlankNode] = [iri]
        visited: set[NamedNode | BlankNode] = set()
        while pending:
            subject = pending.pop()
            if subject in visited:
                continue
            visited.add(subject)
            for quad in self._store.quads_for_pattern(subject, None, None):
                triple = quad.triple
                if triple not in seen:
                    seen.add(triple)
                    ordered.append(triple)
                    if isinstance(triple.object, BlankNode):
                        pending.append(triple.object)
        return ordered

    def incoming(self, iri: NamedNode, offset: int, limit: int) -> list[Triple]:
        """Statements pointing at `iri`, one page of them (store order, stable between calls)."""
        quads = self._store.quads_for_pattern(None, None, iri)
        return [q.triple for q in islice(quads, offset, offset + limit)]

    def labels(
        self, nodes: Iterable[NamedNode], predicates: Sequence[NamedNode], lang: str | None = None
    ) -> dict[str, str]:
        """A label for each node, trying `predicates` in order (`label_language_rank` for `lang`)."""
        return labels_from(self.label_triples(nodes, predicates, lang))

    def label_triples(
        self, nodes: Iterable[NamedNode], predicates: Sequence[NamedNode], lang: str | None = None
    ) -> list[Triple]:
        """The statement giving each node its label, so that a description document or a page can
        say what the things it links to are called: of the first of `predicates` the node has, the
        first label found, or with `lang` the label in that language first (label_language_rank)."""
        found: list[Triple] = []
        for node in dict.fromkeys(nodes):
            for predicate in predicates:
                label = self._label_triple(node, predicate, lang)
                if label is not None:
                    found.append(label)
                    break
        return found

    def keep_shared_labels(self, langs: Sequence[str]) -> int:
        """Find now, and keep, the rdfs:labels of the nodes labelled in many graphs, for pages in
        each of `langs` and for none; the number of such nodes. Without this, the first
        page linking to such a node (a code list term: a carrier, a cataloguing agency...) reads
        all of its copies: some 15 ms for each of a hundred terms at 100,000 records. Only a
        read-only store keeps labels (otherwise: 0, nothing done)."""
        if self._labels is None:
            return 0
        values: dict[NamedNode, list[Literal]] = {}
        predicate = RDFS.label
        for row in self.canned("shared_labels"):  # type: ignore[union-attr]
            values.setdefault(row["s"], []).append(row["l"])
        for node, labels in values.items():
            ordered = _in_order(labels)
            for lang in (None, *langs):
                self._keep((node.value, predicate.value, lang), _best_label(node, predicate, ordered, lang))
        return len(values)

    def _label_triple(self, node: NamedNode, predicate: NamedNode, lang: str | None) -> Triple | None:
        key = (node.value, predicate.value, lang)
        if self._labels is not None and key in self._labels:
            return self._labels[key]
        quads = self._store.quads_for_pattern(node, predicate, None)
        first = list(islice(quads, _LABEL_COPIES))
        labels = [q.object for q in first if isinstance(q.object, Literal)]
        if len(first) == _LABEL_COPIES and next(quads, None) is not None:
            # labelled in many graphs: the distinct values, from the store's own engine
            labels = _in_order([row["l"] for row in self.canned("label_values", s=node, p=predicate)])  # type: ignore[union-attr]
        label = _best_label(node, predicate, labels, lang)
        self._keep(key, label)
        return label

    def _keep(self, key: tuple[str, str, str | None], label: Triple | None) -> None:
        if self._labels is not None:
            if len(self._labels) >= LABELS_KEPT:
                self._labels.clear()
            self._labels[key] = label

    def objects(self, nodes: Iterable[NamedNode], predicate: NamedNode) -> dict[str, list[Term]]:
        """Each node's values of `predicate` (in any graph; nodes without one are absent): a few
        facts of a few nodes, where a query joining them would be planned over every node."""
        found: dict[str, list[Term]] = {}
        for node in dict.fromkeys(nodes):
            quads = self._store.quads_for_pattern(node, predicate, None)
            values = dict.fromkeys(q.object for q in quads if not isinstance(q.object, Triple))
            if values:
                found[node.value] = list(values)
        return found

    def is_empty(self) -> bool:
        return next(iter(self._store), None) is None

    def triple_count(self) -> int:
        solutions = self.canned("triple_count")
        assert isinstance(solutions, QuerySolutions)
        row = next(solutions)
        value = row["n"]
        return int(value.value) if isinstance(value, Literal) else 0

    def graph_count(self) -> int:
        return sum(1 for _ in self._store.named_graphs())

    def graphs_with_digests(self, digests: Sequence[str]) -> dict[str, str]:
        """digest -> the record graph loaded from a source record with that `lodv:sourceDigest`."""
        found: dict[str, str] = {}
        for value in digests:
            quad = next(self._store.quads_for_pattern(None, SOURCE_DIGEST, Literal(value)), None)
            if quad is not None and isinstance(quad.graph_name, NamedNode):
                found[value] = quad.graph_name.value
        return found

    def quads(self) -> Iterator[Quad]:
        return iter(self._store)

    def counts(self) -> Mapping[str, int]:
        return counts_from(self.canned("counts"))
