"""The embedded search index: SQLite FTS5, one file beside the store.

Why SQLite FTS5 rather than Tantivy: it ships with Python (no wheel to build or trust), its
writes are transactions (an ingest killed mid-write leaves the last committed index, as the store
does), any number of server processes read one file while an ingest writes it (WAL), and its
BM25 ranking with per-column weights and its prefix indexes are what the search and the
autocomplete need. Tantivy is faster for very large indexes, but would add a compiled dependency,
an index directory with its own locking, and a commit model apart from the store's.

What is indexed is one row per union entry (a union Instance, or a record's own Instance when
clustering has not placed it in one): the texts of all its records, folded and exact
(lod.search.query), its facet values, and, for autocomplete, its title and the agents and subjects
of all entries with their counts. `sync` keeps it in step with the store by digests.

Speed (bench/bench_search.py, README "Search benchmark"): an empty index (the first sync, a
rebuild, `load`) is filled in one pass: records in batches, secondary indexes made once the rows
are in, every entry written in one scan of the records ordered by entry, each autocomplete term
written once with its final weight. A later sync rewrites only the entries its changes touch. A
search counts and ranks in the full-text table alone, reads `entries` for the page's hits only,
and counts facets from codes packed in each entry's row; a query matching more than RANK_SAMPLE
entries is ranked and faceted over a sample of them (`Results.exact` False), since FTS5's BM25
costs a scan of each word's postings and some microseconds a match.
"""

from __future__ import annotations

import heapq
import json
import secrets
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QuerySolutions

from lod.search import collation, ranking
from lod.search.backend import (
    FACETS,
    SORTS,
    YEAR_RANGES,
    Arrival,
    FacetValue,
    Hit,
    LibraryHit,
    Results,
    Suggestion,
    SyncReport,
    year_range,
)
from lod.search.documents import TEXT_FIELDS, RecordDocument, record_document
from lod.search.query import Query, Term, exact_text, folded_text, folded_words, parse
from lod.sqlitefile import SqliteFile
from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import LODV, RDF, RDFS, SCHEMA

SCHEMA_VERSION = "2"
EXACT_COLUMNS = ("x_title", "x_agent", "x_subject", "x_other")
COLUMNS = (*TEXT_FIELDS, *EXACT_COLUMNS)
WEIGHTS = {
    "title": 10.0, "agent": 6.0, "subject": 4.0, "series": 3.0, "publisher": 2.0, "identifier": 8.0,
    "note": 1.0, "x_title": 12.0, "x_agent": 7.0, "x_subject": 5.0, "x_other": 2.0,
}  # fmt: skip
"""BM25 weight of each column: a word in the title counts most, a word as typed (diacritics and
all) more than its look-alike."""
EXACT_OF = {"title": "x_title", "agent": "x_agent", "subject": "x_subject"}
FACET_SAMPLE = 2_000
"""Matching entries beyond which facet counts are counted over this many of them, those written
last (and say so: `Results.exact`)."""
COUNT_CAP = 10_000
"""Matching entries counted: beyond, a query has 'more than COUNT_CAP' hits (`Results.total_exact`
False), as no page beyond them is served (web.search.MAX_RESULTS); counting half a million matches
of a common word costs as much as the rest of the query."""
FACET_VALUES = 50
"""Values of each facet given with their counts: the most frequent (a broad query's subjects run
to thousands)."""
RANK_SAMPLE = 3_000
"""Matching entries beyond which hits are ranked among this many of them, those written last
(see `_best`); not below FACET_SAMPLE, so that `Results.exact` is False for such queries."""
SUGGEST_KINDS = ("title", "agent", "subject", "library")
_WEIGHT_SPAN = 1 << 30
_SLOTS_PER_WEIGHT = 1 << 32
"""Autocomplete slots (terms_fts rowids): weight w's slots start at (_WEIGHT_SPAN - w) *
_SLOTS_PER_WEIGHT, so heavier terms come first."""
_BATCH = 10_000
"""Rows written by one executemany while loading."""
_LABEL_CACHE = 200_000
"""Labels of linked entities kept while reading records back from the store (`_with_labels`)."""
_CODES_KEPT = 1_000_000
"""Facet value codes a reader keeps the meaning of (`_facet_values`)."""
_CACHE_KIB = 65_536
"""SQLite's page cache of each connection."""
_LOAD_CACHE_KIB = 524_288
"""... and of the writer while it fills an empty index (its indexes are written in no order)."""
_FTS_BUFFER = 64 << 20
"""Bytes of new full-text postings FTS5 keeps in memory before writing them out as a segment
(its 'hashsize'; 1 MB by default): in a large transaction, fewer and larger segments to merge."""

_INDEXES = {
    "records_entry": "records(entry)",
    "records_instance": "records(instance)",
    "entries_sort": "entries(sort)",
    "entries_title_key": "entries(title_key)",
    "entries_year": "entries(year)",
    "arrivals_created": "arrivals(created)",
    "arrivals_graph": "arrivals(graph)",
}
"""The indexes a load into an empty index makes after its rows are in (sorting once is faster than
keeping them in order row by row)."""
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(
  graph TEXT PRIMARY KEY, digest TEXT NOT NULL, instance TEXT NOT NULL, entry TEXT NOT NULL,
  created TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS staged(graph TEXT PRIMARY KEY, digest TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unions(graph TEXT PRIMARY KEY, digest TEXT NOT NULL, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members(instance TEXT PRIMARY KEY, entry TEXT NOT NULL, graph TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS members_graph ON members(graph);
CREATE TABLE IF NOT EXISTS entries(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, title TEXT NOT NULL, title_key TEXT NOT NULL,
  sort TEXT NOT NULL, year INTEGER, created TEXT NOT NULL, holdings INTEGER NOT NULL,
  items INTEGER NOT NULL, records INTEGER NOT NULL, is_union INTEGER NOT NULL, codes TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
  {", ".join(COLUMNS)}, content='', columnsize=1, tokenize='unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS entries_text(id INTEGER PRIMARY KEY, {", ".join(f"{c} TEXT" for c in COLUMNS)});
CREATE TABLE IF NOT EXISTS facets(code INTEGER NOT NULL, entry INTEGER NOT NULL,
  PRIMARY KEY(code, entry)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facet_values(id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL,
  UNIQUE(name, value));
CREATE TABLE IF NOT EXISTS arrivals(graph TEXT NOT NULL, library TEXT NOT NULL, created TEXT NOT NULL,
  entry TEXT NOT NULL, PRIMARY KEY(library, created, graph)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms(kind TEXT NOT NULL, label TEXT NOT NULL, target TEXT NOT NULL,
  weight INTEGER NOT NULL, slot INTEGER NOT NULL UNIQUE, PRIMARY KEY(kind, target)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entry_terms(entry TEXT PRIMARY KEY, terms TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS terms_fts USING fts5(
  folded, content='', prefix='1 2 3', tokenize='unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS libraries(iri TEXT PRIMARY KEY, name TEXT NOT NULL, province TEXT,
  province_name TEXT, folded TEXT NOT NULL);
""" + "".join(f"CREATE INDEX IF NOT EXISTS {name} ON {on};\n" for name, on in _INDEXES.items())


class SqliteIndex(SqliteFile):
    """The index in one SQLite file (or in memory: `path` None or ':memory:'). Thread-safe: each
    thread reads through its own connection; writes go through one."""

    cache_kib = _CACHE_KIB

    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self._codes: dict[str, tuple[str, str]] = {}
        self._codes_generation = ""
        super().__init__(path, read_only)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        conn.executescript(_SCHEMA)
        version = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        wanted = {"schema": SCHEMA_VERSION, "collation": collation.name()}
        if version and version.get("schema") != SCHEMA_VERSION:
            # tables of another layout: made again
            tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for name in ("entries_fts", "terms_fts", *tables):
                if name in tables and not name.startswith(("entries_fts_", "terms_fts_", "sqlite_")):
                    conn.execute(f'DROP TABLE IF EXISTS "{name}"')
            conn.executescript(_SCHEMA)
        elif version and any(version.get(k) != v for k, v in wanted.items()):
            self._clear(conn)
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", wanted.items())
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', ?)", (secrets.token_hex(8),))
        for table in ("entries_fts", "terms_fts"):
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (_FTS_BUFFER,))  # noqa: S608
        conn.commit()

    @staticmethod
    def _clear(conn: sqlite3.Connection) -> None:
        for table in ("records", "unions", "members", "entries", "entries_text", "facets", "facet_values",
                      "arrivals", "terms", "entry_terms", "libraries", "meta"):  # fmt: skip
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 (a fixed list of our own tables)
        conn.execute("INSERT INTO entries_fts(entries_fts) VALUES ('delete-all')")
        conn.execute("INSERT INTO terms_fts(terms_fts) VALUES ('delete-all')")
        conn.execute("INSERT INTO meta VALUES ('generation', ?)", (secrets.token_hex(8),))

    def available(self) -> bool:
        """Whether the index file exists (a read-only index opened before any sync has none)."""
        return self.memory or not self.read_only or Path(self.path).exists()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # writing -------------------------------------------------------------------------------
    def stage(self, documents: Iterable[tuple[str, str, str]]) -> None:
        """Documents the ingest made beside its conversion, (record graph, source digest, JSON),
        used by the next `sync` instead of reading those records back from the store."""
        conn = self._connection()
        with self._lock:
            conn.executemany("INSERT OR REPLACE INTO staged VALUES (?, ?, ?)", documents)
            conn.commit()

    def rebuild(self, store: GraphStore, minter: Minter) -> SyncReport:
        """Make the index anew from the store, in one transaction: readers see the old index
        until it is done."""

        def anew(conn: sqlite3.Connection, report: SyncReport) -> None:
            self._clear(conn)
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                {"schema": SCHEMA_VERSION, "collation": collation.name()}.items(),
            )
            self._sync(conn, store, minter, report)

        return self._transaction(anew)

    def sync(self, store: GraphStore, minter: Minter) -> SyncReport:
        """Bring the index in step with the store: records whose source digest changed, union
        graphs whose digest changed, and everything they touch; one transaction. An empty index
        (the first sync, a rebuild) is filled at once (`load`)."""
        return self._transaction(lambda conn, report: self._sync(conn, store, minter, report))

    def load(
        self,
        records: Iterable[tuple[str, str, RecordDocument | str]],
        unions: Iterable[tuple[str, str, str, Sequence[str]]] = (),
        store: GraphStore | None = None,
        minter: Minter | None = None,
    ) -> SyncReport:
        """Fill an empty index at once, in one transaction: `records` as (record graph, source
        digest, document or its JSON), `unions` as (union graph, its digest, union Instance,
        member Instances). What a first `sync` and `rebuild` do with what they read from the
        store. Libraries are named from `store` (its registry and labels) when given, else by
        their IRI's last part."""

        def fill(conn: sqlite3.Connection, report: SyncReport) -> None:
            if not self._empty(conn):
                raise ValueError("load() fills an empty index; sync() or rebuild() change one")
            self._load(conn, records, unions, report)
            self._refresh_libraries(conn, store, minter)
            report.total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]

        return self._transaction(fill)

    def _transaction(self, work: Callable[[sqlite3.Connection, SyncReport], None]) -> SyncReport:
        """`work` in one transaction of the writer's connection (rolled back if it fails), timed."""
        started = time.monotonic()
        report = SyncReport()
        conn = self._connection()
        with self._lock:
            try:
                work(conn, report)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        report.seconds = time.monotonic() - started
        return report

    @staticmethod
    def _empty(conn: sqlite3.Connection) -> bool:
        return all(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None  # noqa: S608 (our own tables)
            for table in ("records", "entries", "unions", "terms")
        )

    def _sync(self, conn: sqlite3.Connection, store: GraphStore, minter: Minter, report: SyncReport) -> None:
        current = _pairs(store.canned("record_digests"), "g", "digest")
        labels: dict[str, list[Any]] = {}
        if self._empty(conn):
            unions = _read_unions(store, _pairs(store.canned("union_digests"), "g", "digest"))
            self._load(
                conn, self._documents(conn, store, current, list(current), report, labels), unions, report
            )
            report.indexed = len(current)
            conn.execute("DELETE FROM staged")
            self._refresh_libraries(conn, store, minter)
            report.total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            return
        dirty: set[str] = set()
        # records
        known = dict(conn.execute("SELECT graph, digest FROM records"))
        changed = [g for g, d in current.items() if known.get(g) != d]
        gone = [g for g in known if g not in current]
        for graph in gone:
            row = conn.execute("SELECT entry FROM records WHERE graph = ?", (graph,)).fetchone()
            dirty.add(row[0])
            conn.execute("DELETE FROM records WHERE graph = ?", (graph,))
            conn.execute("DELETE FROM arrivals WHERE graph = ?", (graph,))
        report.removed = len(gone)
        member_of = self._members(conn)
        for graph, digest, doc in self._documents(conn, store, current, changed, report, labels):
            instance, created, libraries, text = _record_values(doc)
            old = conn.execute("SELECT entry FROM records WHERE graph = ?", (graph,)).fetchone()
            if old:
                dirty.add(old[0])
            entry = member_of.get(instance, instance)
            dirty.add(entry)
            conn.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                (graph, digest, instance, entry, created, text),
            )
            conn.execute("DELETE FROM arrivals WHERE graph = ?", (graph,))
            if created:
                conn.executemany(
                    "INSERT OR REPLACE INTO arrivals VALUES (?, ?, ?, ?)",
                    [(graph, library, created, entry) for library in libraries or [""]],
                )
        report.indexed = len(changed)
        conn.execute("DELETE FROM staged")
        # union graphs: who is a member of which union entry
        unions_now = _pairs(store.canned("union_digests"), "g", "digest")
        unions_known = dict(conn.execute("SELECT graph, digest FROM unions"))
        for graph in [g for g in unions_known if g not in unions_now]:
            dirty.update(self._drop_union(conn, graph))
        for graph, digest in unions_now.items():
            if unions_known.get(graph) == digest:
                continue
            dirty.update(self._drop_union(conn, graph))
            union, members = _union_members(store.graph_triples(NamedNode(graph)))
            if union is None:
                continue
            conn.execute("INSERT INTO unions VALUES (?, ?, ?)", (graph, digest, union))
            conn.executemany(
                "INSERT OR REPLACE INTO members VALUES (?, ?, ?)", [(m, union, graph) for m in members]
            )
            dirty.add(union)
            for member in members:
                for (old,) in conn.execute(
                    "SELECT entry FROM records WHERE instance = ?", (member,)
                ).fetchall():
                    dirty.add(old)
                conn.execute("UPDATE records SET entry = ? WHERE instance = ?", (union, member))
                conn.execute(
                    "UPDATE arrivals SET entry = ? "
                    "WHERE graph IN (SELECT graph FROM records WHERE instance = ?)",
                    (union, member),
                )
        self._refresh_libraries(conn, store, minter)
        report.entries = len(dirty)
        for entry in sorted(dirty):
            self._write_entry(conn, entry)
        report.total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]

    @staticmethod
    def _documents(
        conn: sqlite3.Connection,
        store: GraphStore,
        current: dict[str, str],
        graphs: list[str],
        report: SyncReport,
        labels: dict[str, list[Any]],
    ) -> Iterator[tuple[str, str, RecordDocument | str]]:
        """(graph, digest, document) of each of `graphs`: the one staged by the ingest for that
        digest (its JSON as staged), else read back from the store (records loaded without the
        index)."""
        staged = conn.execute("SELECT 1 FROM staged LIMIT 1").fetchone() is not None
        for graph in graphs:
            digest = current[graph]
            row = (
                conn.execute("SELECT digest, doc FROM staged WHERE graph = ?", (graph,)).fetchone()
                if staged
                else None
            )
            doc: RecordDocument | str
            if row is not None and row[0] == digest:
                doc = row[1]
                report.from_ingest += 1
            else:
                found = record_document(_with_labels(store, store.graph_triples(NamedNode(graph)), labels))
                report.from_store += 1
                if found is None:
                    continue
                doc = found
            yield graph, digest, doc

    def _load(
        self,
        conn: sqlite3.Connection,
        records: Iterable[tuple[str, str, RecordDocument | str]],
        unions: Iterable[tuple[str, str, str, Sequence[str]]],
        report: SyncReport,
    ) -> None:
        """Fill an empty index: members, records and arrivals as they come, then every entry in
        one pass over the records ordered by entry, then the autocomplete terms with their final
        weights (a term is written once, not once for each entry that counts it)."""
        conn.execute(f"PRAGMA cache_size=-{_LOAD_CACHE_KIB}")
        try:
            self._load_all(conn, records, unions, report)
        finally:
            conn.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")

    def _load_all(
        self,
        conn: sqlite3.Connection,
        records: Iterable[tuple[str, str, RecordDocument | str]],
        unions: Iterable[tuple[str, str, str, Sequence[str]]],
        report: SyncReport,
    ) -> None:
        for name in _INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        member_of: dict[str, str] = {}
        for graph, digest, union, members in unions:
            conn.execute("INSERT OR REPLACE INTO unions VALUES (?, ?, ?)", (graph, digest, union))
            conn.executemany(
                "INSERT OR REPLACE INTO members VALUES (?, ?, ?)", [(m, union, graph) for m in members]
            )
            member_of.update((m, union) for m in members)
        rows: list[tuple[str, ...]] = []
        arrivals: list[tuple[str, str, str, str]] = []

        def flush_records() -> None:
            conn.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT OR REPLACE INTO arrivals VALUES (?, ?, ?, ?)", arrivals)
            rows.clear()
            arrivals.clear()

        for graph, digest, doc in records:
            instance, created, libraries, text = _record_values(doc)
            entry = member_of.get(instance, instance)
            rows.append((graph, digest, instance, entry, created, text))
            if created:
                arrivals.extend((graph, library, created, entry) for library in libraries or [""])
            report.indexed += 1
            if len(rows) >= _BATCH:
                flush_records()
        flush_records()
        del member_of
        conn.execute(f"CREATE INDEX records_entry ON {_INDEXES['records_entry']}")
        # entries, in one ordered pass (each entry's records together)
        marks = ", ".join("?" * len(COLUMNS))
        weights: dict[tuple[str, str], list[Any]] = {}
        entries: list[tuple[Any, ...]] = []
        texts: list[tuple[Any, ...]] = []
        facets: list[tuple[int, int]] = []
        entry_terms: list[tuple[str, str]] = []

        def flush_entries() -> None:
            conn.executemany("INSERT INTO facet_values VALUES (?, ?, ?)", new_values)
            conn.executemany(
                "INSERT INTO entries(id, iri, title, title_key, sort, year, created, holdings, items, "
                "records, is_union, codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entries,
            )
            conn.executemany(
                f"INSERT INTO entries_fts(rowid, {', '.join(COLUMNS)}) VALUES (?, {marks})", texts
            )  # noqa: S608
            conn.executemany(f"INSERT INTO entries_text VALUES (?, {marks})", texts)  # noqa: S608
            conn.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?)", facets)
            conn.executemany("INSERT OR REPLACE INTO entry_terms VALUES (?, ?)", entry_terms)
            for batch in (entries, texts, facets, entry_terms, new_values):
                batch.clear()

        codes_of = {(name, value): code for code, name, value in conn.execute("SELECT * FROM facet_values")}
        new_values: list[tuple[int, str, str]] = []
        rowid = 0
        scan = conn.execute("SELECT entry, doc FROM records ORDER BY entry")
        for entry, group in groupby(scan, key=itemgetter(0)):
            made = _entry_values(entry, [RecordDocument.from_json(json.loads(doc)) for _, doc in group])
            rowid += 1
            codes = []
            for value in made.facets:
                if (code := codes_of.get(value)) is None:
                    code = codes_of[value] = len(codes_of) + 1
                    new_values.append((code, *value))
                codes.append((value[0] == "library", code))
            entries.append((rowid, entry, *made.row, _pack_codes(codes)))
            texts.append((rowid, *made.texts))
            facets.extend((code, rowid) for _, code in codes)
            entry_terms.append((entry, _pack_terms(made.terms)))
            for key, label in made.terms.items():
                if key[0] == "title":
                    weights[key] = [label, max(made.holdings, 1)]
                elif (known := weights.get(key)) is not None:
                    known[0] = label
                    known[1] += 1
                else:
                    weights[key] = [label, 1]
            if len(entries) >= _BATCH // 2:
                flush_entries()
        flush_entries()
        for name, on in _INDEXES.items():
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
        report.entries = rowid
        # the autocomplete: heaviest first, each weight's terms in the order of their folded labels
        ordered = sorted(
            (
                (weight, _folded(label), kind, target, label)
                for (kind, target), (label, weight) in weights.items()
            ),
            key=lambda t: (-t[0], t[1], t[2], t[3]),
        )
        del weights
        slots: list[tuple[str, str, str, int, int]] = []
        weight_before, position = 0, 0
        for weight, _, kind, target, label in ordered:
            position = position + 1 if weight == weight_before else 0
            weight_before = weight
            slots.append((kind, label, target, weight, _slot(weight) + position))
        conn.executemany("INSERT INTO terms VALUES (?, ?, ?, ?, ?)", slots)
        conn.executemany(
            "INSERT INTO terms_fts(rowid, folded) VALUES (?, ?)",
            ((slot[4], term[1]) for slot, term in zip(slots, ordered, strict=True)),
        )

    @staticmethod
    def _members(conn: sqlite3.Connection) -> dict[str, str]:
        return dict(conn.execute("SELECT instance, entry FROM members"))

    @staticmethod
    def _drop_union(conn: sqlite3.Connection, graph: str) -> set[str]:
        """Forget a union graph's membership; its entry and its members' own entries need writing."""
        dirty: set[str] = set()
        for instance, entry in conn.execute(
            "SELECT instance, entry FROM members WHERE graph = ?", (graph,)
        ).fetchall():
            dirty.update((entry, instance))
            conn.execute("UPDATE records SET entry = instance WHERE instance = ?", (instance,))
            conn.execute(
                "UPDATE arrivals SET entry = ? WHERE graph IN (SELECT graph FROM records WHERE instance = ?)",
                (instance, instance),
            )
        conn.execute("DELETE FROM members WHERE graph = ?", (graph,))
        conn.execute("DELETE FROM unions WHERE graph = ?", (graph,))
        return dirty

    def _refresh_libraries(
        self, conn: sqlite3.Connection, store: GraphStore | None, minter: Minter | None
    ) -> None:
        from lod.libraries import list_libraries

        rows = {}
        for lib in (
            _registered(store, minter, list_libraries) if store is not None and minter is not None else []
        ):
            place = lib.province_name or ""
            rows[lib.iri] = (
                lib.iri,
                lib.name,
                lib.province_code,
                lib.province_name,
                folded_text(f"{lib.name} {place}"),
            )
        holders = {
            lib
            for (lib,) in conn.execute(
                "SELECT v.value FROM facet_values v WHERE v.name = 'library' "
                "AND EXISTS (SELECT 1 FROM facets f WHERE f.code = v.id)"
            )
        }
        holders |= {
            lib for (lib,) in conn.execute("SELECT DISTINCT library FROM arrivals WHERE library != ''")
        }
        unnamed = [NamedNode(iri) for iri in sorted(holders) if iri not in rows]
        names = store.labels(unnamed, [RDFS.label, SCHEMA.name]) if unnamed and store is not None else {}
        for node in unnamed:
            name = names.get(node.value) or node.value.rsplit("/", 1)[-1]
            rows[node.value] = (node.value, name, None, None, folded_text(name))
        old = {r[0]: r for r in conn.execute("SELECT * FROM libraries")}
        if old == rows:
            return
        conn.execute("DELETE FROM libraries")
        conn.executemany("INSERT INTO libraries VALUES (?, ?, ?, ?, ?)", rows.values())
        for iri, name, *_ in rows.values():
            self._set_term(conn, "library", iri, name, 1)

    def _write_entry(self, conn: sqlite3.Connection, entry: str) -> None:
        row = conn.execute("SELECT id FROM entries WHERE iri = ?", (entry,)).fetchone()
        if row is not None:
            self._delete_entry(conn, row[0])
        docs = [
            RecordDocument.from_json(json.loads(d))
            for (d,) in conn.execute("SELECT doc FROM records WHERE entry = ?", (entry,))
        ]
        if not docs:
            self._set_terms(conn, entry, {})
            return
        made = _entry_values(entry, docs)
        codes = [(name == "library", self._facet_code(conn, name, value)) for name, value in made.facets]
        cursor = conn.execute(
            "INSERT INTO entries(iri, title, title_key, sort, year, created, holdings, items, records, "
            "is_union, codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry, *made.row, _pack_codes(codes)),
        )
        rowid = cursor.lastrowid
        marks = ", ".join("?" * len(COLUMNS))
        conn.execute(
            f"INSERT INTO entries_fts(rowid, {', '.join(COLUMNS)}) VALUES (?, {marks})",  # noqa: S608
            (rowid, *made.texts),
        )
        conn.execute(f"INSERT INTO entries_text VALUES (?, {marks})", (rowid, *made.texts))  # noqa: S608
        conn.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?)", [(code, rowid) for _, code in codes])
        self._set_terms(conn, entry, made.terms, weight_of_title=made.holdings)

    @staticmethod
    def _facet_code(conn: sqlite3.Connection, name: str, value: str) -> int:
        row = conn.execute(
            "SELECT id FROM facet_values WHERE name = ? AND value = ?", (name, value)
        ).fetchone()
        if row is not None:
            return int(row[0])
        return int(
            conn.execute("INSERT INTO facet_values(name, value) VALUES (?, ?)", (name, value)).lastrowid or 0
        )

    def _delete_entry(self, conn: sqlite3.Connection, rowid: int) -> None:
        old = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM entries_text WHERE id = ?", (rowid,)).fetchone()  # noqa: S608
        if old is not None:
            marks = ", ".join("?" * len(COLUMNS))
            conn.execute(
                f"INSERT INTO entries_fts(entries_fts, rowid, {', '.join(COLUMNS)}) "  # noqa: S608
                f"VALUES ('delete', ?, {marks})",
                (rowid, *old),
            )
            conn.execute("DELETE FROM entries_text WHERE id = ?", (rowid,))
        (codes,) = conn.execute("SELECT codes FROM entries WHERE id = ?", (rowid,)).fetchone() or ("",)
        conn.executemany(
            "DELETE FROM facets WHERE code = ? AND entry = ?",
            [(int(c), rowid) for c in codes.replace("|", " ").split()],
        )
        conn.execute("DELETE FROM entries WHERE id = ?", (rowid,))

    def _set_terms(
        self,
        conn: sqlite3.Connection,
        entry: str,
        terms: dict[tuple[str, str], str],
        weight_of_title: int = 0,
    ) -> None:
        """Replace what one entry adds to the autocomplete: its title (weighted by its holding
        libraries) and one count for each of its agents and subjects."""
        row = conn.execute("SELECT terms FROM entry_terms WHERE entry = ?", (entry,)).fetchone()
        old = _unpack_terms(row[0]) if row else {}
        for kind, target in old.keys() - terms.keys():
            if kind == "title":
                self._set_term(conn, kind, target, "", 0)
            else:
                self._add_term(conn, kind, target, old[(kind, target)], -1)
        for (kind, target), label in terms.items():
            if kind == "title":
                self._set_term(conn, kind, target, label, max(weight_of_title, 1))
            elif (kind, target) not in old:
                self._add_term(conn, kind, target, label, +1)
        if old == terms:
            return
        if terms:
            conn.execute("INSERT OR REPLACE INTO entry_terms VALUES (?, ?)", (entry, _pack_terms(terms)))
        else:
            conn.execute("DELETE FROM entry_terms WHERE entry = ?", (entry,))

    def _add_term(self, conn: sqlite3.Connection, kind: str, target: str, label: str, delta: int) -> None:
        row = conn.execute(
            "SELECT weight, label FROM terms WHERE kind = ? AND target = ?", (kind, target)
        ).fetchone()
        weight = (row[0] if row else 0) + delta
        self._set_term(conn, kind, target, label or (row[1] if row else ""), weight)

    def _set_term(self, conn: sqlite3.Connection, kind: str, target: str, label: str, weight: int) -> None:
        # FTS5 hands matches back in rowid order, so a suggestion's slot (its rowid there) puts
        # the heaviest first: `ORDER BY rowid LIMIT 10` then stops after ten instead of sorting
        # every match of a short prefix. A term whose weight changes moves to the end of the
        # slots of its new weight (found through the unique index on slot: no counting).
        row = conn.execute(
            "SELECT slot, label, weight FROM terms WHERE kind = ? AND target = ?", (kind, target)
        ).fetchone()
        if row is not None:
            if row[1] == label and row[2] == weight:
                return
            conn.execute(
                "INSERT INTO terms_fts(terms_fts, rowid, folded) VALUES ('delete', ?, ?)",
                (row[0], folded_text(row[1])),
            )
            conn.execute("DELETE FROM terms WHERE kind = ? AND target = ?", (kind, target))
        if weight <= 0 or not label:
            return
        base = _slot(weight)
        last = conn.execute(
            "SELECT slot FROM terms WHERE slot >= ? AND slot < ? ORDER BY slot DESC LIMIT 1",
            (base, base + _SLOTS_PER_WEIGHT),
        ).fetchone()
        slot = base if last is None else last[0] + 1
        conn.execute("INSERT INTO terms VALUES (?, ?, ?, ?, ?)", (kind, label, target, weight, slot))
        conn.execute("INSERT INTO terms_fts(rowid, folded) VALUES (?, ?)", (slot, folded_text(label)))

    # reading -------------------------------------------------------------------------------
    def search(
        self,
        query: Query | str,
        filters: Mapping[str, Sequence[str]] | None = None,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        facets: bool = True,
    ) -> Results:
        parsed = parse(query) if isinstance(query, str) else query
        sort = sort if sort in SORTS else "relevance"
        expression = None if parsed.empty else match_expression(parsed.terms)
        narrowing_all = _narrowing(filters or {})
        narrowing, narrowing_params = narrowing_all
        if expression is None and not narrowing:
            return Results(parsed.text, 0, [], [], sort, offset, limit, exact=True)
        offset, limit = max(offset, 0), max(limit, 0)
        if expression is not None:
            # the full-text table alone where no column of `entries` is needed (counting, ranking)
            source, id_column = "entries_fts", "entries_fts.rowid"
            where, params = (
                ["entries_fts MATCH ?", *(n.format(id=id_column) for n in narrowing)],
                [expression],
            )
        else:
            source, id_column = "entries e", "e.id"
            where, params = [n.format(id=id_column) for n in narrowing], []
        params += narrowing_params
        condition = " AND ".join(where)
        with self._reading() as conn:
            matched: list[int] | None = None
            if expression is not None and sort == "relevance":
                total, ids, matched = self._best(
                    conn, parsed, condition, params, narrowing_all, offset + limit
                )
                ids = ids[offset:]
            else:
                total = _count(conn, source, condition, params)
                joined = "entries_fts JOIN entries e ON e.id = entries_fts.rowid" if expression else source
                order = {
                    "relevance": "(e.title_key = '') DESC, e.holdings DESC, e.id",
                    "title": "e.sort, e.id",
                    "year": "e.year IS NULL, e.year DESC, e.id",
                    "year_asc": "e.year IS NULL, e.year, e.id",
                    "holdings": "e.holdings DESC, e.id",
                }[sort]
                ids = [
                    row[0]
                    for row in conn.execute(
                        f"SELECT e.id FROM {joined} WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
                        [*params, limit, offset],
                    )
                ]
            found = {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT id, iri, title, year, holdings, items, records, is_union FROM entries "
                    f"WHERE id IN ({', '.join('?' * len(ids))})",  # noqa: S608
                    ids,
                )
            }
            hits = [Hit(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in map(found.__getitem__, ids)]
            self._attach_texts(conn, hits, ids)
            counted: list[FacetValue] = []
            exact = True
            if facets:
                counted, exact = self._facets(
                    conn, source, id_column, condition, params, total, matched, filters
                )
        return Results(
            parsed.text, min(total, COUNT_CAP), hits, counted, sort, offset, limit, exact, total <= COUNT_CAP
        )

    @staticmethod
    def _best(
        conn: sqlite3.Connection,
        parsed: Query,
        condition: str,
        params: list[Any],
        narrowing: tuple[list[str], list[str]],
        wanted: int,
    ) -> tuple[int, list[int], list[int]]:
        """(how many entries match, the ids of the `wanted` best, the ids of the matches ranked,
        the last written first). Best: entries whose folded title is the query first, then by
        BM25 rank, then the most held, then the first indexed.

        The full-text table alone is read: first the ids of the last RANK_SAMPLE + 1 matches by
        id (all of them, counted, for most queries), then their ranks, `LIMIT` keeping the best
        few while SQLite ranks every one; `entries` is read for those few only (more are taken
        when equal ranks reach the last one taken). Ranking costs FTS5 a scan of each word's
        postings and then some microseconds a match, so a query matching more than RANK_SAMPLE
        entries is counted apart and ranked over its RANK_SAMPLE matches written last (an
        entry written again gets a new id: new and changed entries are among them), and the
        entries titled as the query among the others follow those within, most held first
        (`Results.exact` is then False)."""
        sample = max(RANK_SAMPLE, wanted)
        matched = [
            row[0]
            for row in conn.execute(
                f"SELECT entries_fts.rowid FROM entries_fts WHERE {condition} "  # noqa: S608
                "ORDER BY entries_fts.rowid DESC LIMIT ?",
                [*params, sample + 1],
            )
        ]
        bound: list[int] = []
        if len(matched) > sample:
            matched.pop()
            bound = [matched[-1]]
            total = _count(conn, "entries_fts", condition, params)
        else:
            total = len(matched)
        if wanted <= 0 or not matched:
            return total, [], matched
        title_key = folded_text(parsed.text)
        rank = f"bm25(entries_fts, {', '.join(str(WEIGHTS[c]) for c in COLUMNS)})"
        order = _ranked_without_common(conn, parsed, rank, matched, title_key)
        within = " AND entries_fts.rowid >= ?" if bound else ""
        taking = wanted + 32
        while order is None:
            ranked = conn.execute(
                f"SELECT entries_fts.rowid, {rank} AS r, "  # noqa: S608
                "entries_fts.rowid IN (SELECT id FROM entries WHERE title_key = ?) AS t "
                f"FROM entries_fts WHERE {condition}{within} ORDER BY t DESC, r LIMIT ?",
                [title_key, *params, *bound, taking],
            ).fetchall()
            order = _in_order(conn, ranked)
            # matches not ranked here come after the last one ranked: the page is right unless
            # its last hit ties with that one (then the tie is taken whole, next time)
            last = min(wanted, len(order)) - 1
            if len(ranked) < taking or (-order[last][2], order[last][1]) < (-ranked[-1][2], ranked[-1][1]):
                break
            taking *= 4
            order = None
        ids = [row[0] for row in order[:wanted]]
        plain = all(term.field is None for term in parsed.terms)
        if bound and plain and (len(ids) < wanted or not order[wanted - 1][2]):
            # entries titled as the query among the matches not ranked (every word of a query
            # without fields is in the title of such an entry: it matches)
            conditions, values = narrowing
            where = "".join(f" AND {c.format(id='e.id')}" for c in conditions)
            beyond = conn.execute(
                f"SELECT e.id FROM entries e WHERE e.title_key = ? AND e.id < ?{where} "  # noqa: S608
                "ORDER BY e.holdings DESC, e.id LIMIT ?",
                [title_key, *bound, *values, wanted],
            ).fetchall()
            first = [row[0] for row in order if row[2]]
            ids = (first + [row[0] for row in beyond] + [row[0] for row in order if not row[2]])[:wanted]
        return total, ids, matched

    @staticmethod
    def _attach_texts(conn: sqlite3.Connection, hits: list[Hit], ids: list[int]) -> None:
        for hit, rowid in zip(hits, ids, strict=True):
            docs = conn.execute("SELECT doc FROM records WHERE entry = ? LIMIT 5", (hit.iri,)).fetchall()
            agents: list[str] = []
            publishers: list[str] = []
            for (doc,) in docs:
                texts = json.loads(doc).get("texts", {})
                agents += texts.get("agent", [])
                publishers += texts.get("publisher", [])
            hit.agents = list(dict.fromkeys(agents))[:3]
            hit.publishers = list(dict.fromkeys(publishers))[:2]
            del rowid

    def _facets(
        self,
        conn: sqlite3.Connection,
        source: str,
        id_column: str,
        condition: str,
        params: list[Any],
        total: int,
        matched: list[int] | None = None,
        selected: Mapping[str, Sequence[str]] | None = None,
    ) -> tuple[list[FacetValue], bool]:
        """Facet counts of the matches (of FACET_SAMPLE of them, those written last, when there
        are more; `matched`: their ids, the last written first, when known). Each entry's facet
        values are codes packed in one column of `entries`, its libraries' before a '|', counted
        here; provinces by the libraries each entry has. The FACET_VALUES most frequent values of
        each facet are given, and the `selected` ones (the filters)."""
        selected = selected or {}
        exact = total <= FACET_SAMPLE
        if matched is not None:
            rows = [codes for _, codes in _entry_columns(conn, "codes", matched[:FACET_SAMPLE])]
        else:
            limit = "" if exact else f" ORDER BY {id_column} DESC LIMIT {FACET_SAMPLE}"
            rows = [
                codes
                for (codes,) in conn.execute(
                    f"SELECT e.codes FROM (SELECT {id_column} AS id FROM {source} "  # noqa: S608
                    f"WHERE {condition}{limit}) m CROSS JOIN entries e ON e.id = m.id",
                    params,
                )
            ]
        counts = Counter(" ".join(rows).replace("|", " ").split())
        if not counts:
            return [], exact
        values = self._facet_values(conn, counts)
        libraries = {
            iri: (name, province, province_name)
            for iri, name, province, province_name in conn.execute(
                "SELECT iri, name, province, province_name FROM libraries"
            )
        }
        by_facet: dict[str, list[str]] = defaultdict(list)
        province_of: dict[str, str] = {}
        for code in counts:
            name, value = values[code]
            by_facet[name].append(code)
            if name == "library" and value in libraries and libraries[value][1] is not None:
                province_of[code] = libraries[value][1]
        found = []
        for name, codes in sorted(by_facet.items()):
            chosen = {*heapq.nlargest(FACET_VALUES, codes, key=counts.__getitem__)}
            if name in selected:
                chosen |= {code for code in codes if values[code][1] in selected[name]}
            for code in sorted(chosen, key=values.__getitem__):
                value = values[code][1]
                label = libraries[value][0] if name == "library" and value in libraries else value
                found.append(FacetValue(name, value, counts[code], label))
        if province_of:
            provinces: Counter[str] = Counter()
            for held, count in Counter(codes.partition("|")[0] for codes in rows).items():
                for province in {province_of[c] for c in held.split() if c in province_of}:
                    provinces[province] += count
            names = {province: province_name for _, province, province_name in libraries.values() if province}
            chosen = {*heapq.nlargest(FACET_VALUES, provinces, key=provinces.__getitem__)}
            chosen |= {code for code in provinces if code in selected.get("province", ())}
            found += [
                FacetValue("province", code, provinces[code], names.get(code) or code)
                for code in sorted(chosen)
            ]
        return found, exact

    def _facet_values(self, conn: sqlite3.Connection, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(facet, value) of each code: kept by this object, read for codes not seen yet. A code
        means the same value until the index is cleared, which changes its 'generation'."""
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        generation = row[0] if row else ""
        known = self._codes
        if generation != self._codes_generation or len(known) > _CODES_KEPT:
            known.clear()
            self._codes_generation = generation
        missing = [code for code in codes if code not in known]
        for start in range(0, len(missing), 10_000):
            part = missing[start : start + 10_000]
            for code, name, value in conn.execute(
                f"SELECT id, name, value FROM facet_values WHERE id IN ({', '.join('?' * len(part))})",  # noqa: S608
                part,
            ):
                known[str(code)] = (name, value)
        return known

    def suggest(self, prefix: str, limit: int = 10, kinds: Sequence[str] = SUGGEST_KINDS) -> list[Suggestion]:
        """What to complete `prefix` with: the heaviest titles, agents, subjects and libraries
        with a word starting with each of its words (the last one as a prefix)."""
        words = folded_words(prefix)
        if not words or limit <= 0:
            return []
        expression = " ".join(_quote(w) for w in words[:-1]) + " " + _quote(words[-1]) + "*"
        wanted = set(kinds)
        found: list[Suggestion] = []
        with self._reading() as conn:
            offset, page = 0, max(limit * 4, 40)
            while len(found) < limit:
                rows = conn.execute(
                    "SELECT t.kind, t.label, t.target, t.weight FROM terms_fts "
                    "JOIN terms t ON t.slot = terms_fts.rowid "
                    "WHERE terms_fts MATCH ? ORDER BY terms_fts.rowid LIMIT ? OFFSET ?",
                    (expression.strip(), page, offset),
                ).fetchall()
                found += [Suggestion(k, label, target, w) for k, label, target, w in rows if k in wanted]
                if len(rows) < page:
                    break
                offset += page
        return found[:limit]

    def arrivals(self, library: str | None = None, limit: int = 20, offset: int = 0) -> list[Arrival]:
        """The latest records (by the date they were catalogued, 008/00-05), of one library or all."""
        with self._reading() as conn:
            if library is None:
                rows = conn.execute(
                    "SELECT a.graph, a.library, a.created, a.entry FROM arrivals a "
                    "ORDER BY a.created DESC, a.graph LIMIT ? OFFSET ?", (limit, offset)
                ).fetchall()  # fmt: skip
            else:
                rows = conn.execute(
                    "SELECT a.graph, a.library, a.created, a.entry FROM arrivals a WHERE a.library = ? "
                    "ORDER BY a.created DESC, a.graph LIMIT ? OFFSET ?", (library, limit, offset)
                ).fetchall()  # fmt: skip
            found = []
            for graph, lib, created, entry in rows:
                doc = conn.execute("SELECT doc, instance FROM records WHERE graph = ?", (graph,)).fetchone()
                info = conn.execute("SELECT title, holdings FROM entries WHERE iri = ?", (entry,)).fetchone()
                texts = json.loads(doc[0]).get("texts", {}) if doc else {}
                found.append(
                    Arrival(
                        record=doc[1] if doc else "", entry=entry, library=lib, created=created,
                        title=(json.loads(doc[0]).get("title") if doc else None) or (info[0] if info else ""),
                        agents=texts.get("agent", [])[:3], holdings=info[1] if info else 0,
                    )
                )  # fmt: skip
            return found

    def libraries(self, query: str, limit: int = 10) -> list[LibraryHit]:
        """Registered (and holding) libraries by name and place, every word matching."""
        words = folded_words(query)
        if not words:
            return []
        with self._reading() as conn:
            rows = conn.execute("SELECT iri, name, province, province_name, folded FROM libraries").fetchall()
        found = []
        for iri, name, province, province_name, folded in rows:
            tokens = folded.split()
            if all(any(t.startswith(w) for t in tokens) for w in words):
                found.append(LibraryHit(iri, name, province, province_name))
        found.sort(key=lambda h: collation.sort_string(h.name))
        return found[:limit]

    def library_name(self, iri: str) -> str | None:
        with self._reading() as conn:
            row = conn.execute("SELECT name FROM libraries WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def match_expression(terms: Sequence[Term]) -> str:
    """The FTS5 query for a parsed query: every term must match its field (or any) in the folded
    columns, OR the same words as typed in the exact ones (which only adds to the rank). Words
    are quoted: nothing typed can reach FTS5's syntax."""
    parts = []
    for term in terms:
        columns = TEXT_FIELDS if term.field is None else (term.field,)
        exact_columns = EXACT_COLUMNS if term.field is None else (EXACT_OF.get(term.field, "x_other"),)
        folded = _phrase(term.folded)
        exact = _phrase(term.exact)
        if term.field == "identifier":
            parts.append(f"{{{' '.join(columns)}}} : {folded}")
        elif term.folded == term.exact:
            # typed without diacritics (or in a script without any): the same words in both keys,
            # so one phrase over both sets of columns finds the same entries with one look-up
            parts.append(
                folded if term.field is None else f"{{{' '.join((*columns, *exact_columns))}}} : {folded}"
            )
        else:
            parts.append(f"({{{' '.join(columns)}}} : {folded} OR {{{' '.join(exact_columns)}}} : {exact})")
    return " AND ".join(parts)


def _ranked_without_common(
    conn: sqlite3.Connection, parsed: Query, rank: str, matched: list[int], title_key: str
) -> list[ranking.Ranked] | None:
    """The matches in order when some words of the query are common (see lod.search.ranking);
    None when none is (bm25 over the whole query then)."""
    if not any(term.field != "identifier" for term in parsed.terms):
        return None
    common = [ranking.common(conn, match_expression([term])) for term in parsed.terms]
    if not any(common):
        return None
    titled = {row[0] for row in conn.execute("SELECT id FROM entries WHERE title_key = ?", (title_key,))}
    rare = [term for term, is_common in zip(parsed.terms, common, strict=True) if not is_common]
    if rare:
        rows = ranking.rare_ranked(conn, match_expression(rare), rank, matched, titled)
    else:
        rows = ranking.tier_ranked(conn, parsed.terms, matched, titled, match_expression)
    return _in_order(conn, rows)


def _in_order(conn: sqlite3.Connection, rows: list[ranking.Ranked]) -> list[ranking.Ranked]:
    """Ranked matches in order: titled as the query first, then by rank, the most held, the
    first indexed."""
    holdings = dict(_entry_columns(conn, "holdings", [row[0] for row in rows]))
    return sorted(rows, key=lambda row: (-row[2], row[1], -holdings[row[0]], row[0]))


def _entry_columns(conn: sqlite3.Connection, column: str, ids: Sequence[int]) -> Iterator[tuple[int, Any]]:
    """(id, `column`) of the entries `ids`, read in parts below SQLite's limit of variables."""
    for start in range(0, len(ids), 20_000):
        part = ids[start : start + 20_000]
        yield from conn.execute(
            f"SELECT id, {column} FROM entries WHERE id IN ({', '.join('?' * len(part))})",  # noqa: S608
            part,
        )


def _count(conn: sqlite3.Connection, source: str, condition: str, params: list[Any]) -> int:
    """The matches, counted up to COUNT_CAP + 1."""
    return int(
        conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {condition} LIMIT ?)",  # noqa: S608
            [*params, COUNT_CAP + 1],
        ).fetchone()[0]
    )


def _narrowing(filters: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
    """SQL conditions (on an entry id, `{id}`) and their parameters for the filters: each value
    narrows the hits (a province: held by a library there). Unknown facets are ignored."""
    conditions: list[str] = []
    params: list[str] = []
    for name, values in filters.items():
        for value in values:
            if name == "province":
                conditions.append(
                    "{id} IN (SELECT f.entry FROM facets f JOIN facet_values v ON v.id = f.code "
                    "JOIN libraries l ON v.value = l.iri WHERE v.name = 'library' AND l.province = ?)"
                )
            elif name in FACETS:
                conditions.append(
                    "{id} IN (SELECT entry FROM facets WHERE code = "
                    "(SELECT id FROM facet_values WHERE name = ? AND value = ?))"
                )
                params.append(name)
            else:
                continue
            params.append(value)
    return conditions, params


def _phrase(words: Sequence[str]) -> str:
    return _quote(" ".join(words))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _pairs(solutions: Any, first: str, second: str) -> dict[str, str]:
    assert isinstance(solutions, QuerySolutions)
    return {row[first].value: row[second].value for row in solutions}


def _solutions(solutions: Any) -> QuerySolutions:
    assert isinstance(solutions, QuerySolutions)
    return solutions


def _union_members(triples: Iterable[Any]) -> tuple[str | None, list[str]]:
    """A union graph's union Instance and its members (the union Work has members too: skipped)."""
    entry: str | None = None
    members: list[tuple[str, str]] = []
    for s, p, o in triples:
        if p == RDF.type and o == LODV.UnionInstance:
            entry = s.value
        elif p == LODV.member and s != o:
            members.append((s.value, o.value))
    return entry, [member for union, member in members if union == entry]


_folded = lru_cache(maxsize=1 << 18)(folded_text)
_exact = lru_cache(maxsize=1 << 18)(exact_text)
"""The keys of one text, kept for the next entries: names, subjects, publishers and series recur."""


def _joined(key: Callable[[str], str], values: list[str]) -> str:
    """The key of the values joined by spaces (`folded_text(" ".join(values))`), from the key of
    each: both keys are the words of the text, which a space between values keeps apart."""
    return " ".join(found for value in values if (found := key(value)))


def _record_values(doc: RecordDocument | str) -> tuple[str, str, list[str], str]:
    """(instance, created, libraries, JSON) of a document, or of its JSON (kept as it is)."""
    if isinstance(doc, str):
        data = json.loads(doc)
        return str(data["instance"]), str(data.get("created") or ""), list(data.get("libraries") or []), doc
    return doc.instance, doc.created, doc.libraries, doc.dumps()


def _pack_codes(codes: list[tuple[bool, int]]) -> str:
    """An entry's facet value codes as `entries.codes` holds them: '3 7|12 45 90', its libraries'
    codes before the '|'."""
    held = " ".join(str(code) for library, code in sorted(codes) if library)
    return held + "|" + " ".join(str(code) for library, code in sorted(codes) if not library)


def _pack_terms(terms: dict[tuple[str, str], str]) -> str:
    """An entry's autocomplete terms as one JSON list: [kind, target] (label the same) or
    [kind, target, label]."""
    return json.dumps(
        [[k, t] if t == label else [k, t, label] for (k, t), label in terms.items()],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _unpack_terms(packed: str) -> dict[tuple[str, str], str]:
    return {(item[0], item[1]): item[-1] for item in json.loads(packed)}


def _slot(weight: int) -> int:
    """The first autocomplete slot of a weight: heavier weights have lower slots."""
    return (_WEIGHT_SPAN - min(weight, _WEIGHT_SPAN - 1)) * _SLOTS_PER_WEIGHT


@dataclass(slots=True)
class _EntryValues:
    """What the index holds of one entry, made from its records' documents."""

    row: tuple[Any, ...]
    """entries' columns from title to is_union."""
    texts: tuple[str, ...]
    """The FTS columns (COLUMNS)."""
    facets: set[tuple[str, str]]
    terms: dict[tuple[str, str], str]
    holdings: int


def _entry_values(entry: str, docs: list[RecordDocument]) -> _EntryValues:
    docs.sort(key=lambda d: d.instance)
    texts: dict[str, list[str]] = {name: [] for name in TEXT_FIELDS}
    for doc in docs:
        for name, values in doc.texts.items():
            texts[name] += values
    texts = {name: list(dict.fromkeys(values)) for name, values in texts.items()}
    title = next((d.title for d in docs if d.title), "")
    libraries = list(dict.fromkeys(lib for d in docs for lib in d.libraries))
    years = [d.year for d in docs if d.year]
    created = max((d.created for d in docs), default="")
    is_union = entry not in {d.instance for d in docs} or len(docs) > 1
    row = (
        title, _folded(title), collation.sort_string(title), min(years) if years else None,
        created, len(libraries), sum(d.items for d in docs), len(docs), int(is_union),
    )  # fmt: skip
    values = [_joined(_folded, texts[name]) for name in TEXT_FIELDS]
    exact = [_joined(_exact, texts[name]) for name in ("title", "agent", "subject")]
    exact.append(_joined(_exact, [v for name in ("series", "publisher", "note") for v in texts[name]]))
    facets = {("library", lib) for lib in libraries}
    facets |= {("type", t) for d in docs for t in d.types}
    facets |= {("language", lang) for d in docs for lang in d.languages}
    facets |= {("years", r) for y in years if (r := year_range(y))}
    facets |= {("subject", s) for s in texts["subject"][:20]}
    terms = {("title", entry): title} if title else {}
    terms |= {("agent", a): a for a in texts["agent"][:10]}
    terms |= {("subject", s): s for s in texts["subject"][:10]}
    return _EntryValues(row, (*values, *exact), facets, terms, len(libraries))


def _read_unions(store: GraphStore, digests: dict[str, str]) -> list[tuple[str, str, str, list[str]]]:
    """(union graph, digest, union Instance, member Instances) of each union graph: what
    `_union_members` reads from one."""
    found: dict[str, dict[str, list[str]]] = {}
    for row in _solutions(store.canned("union_graph_members")):
        graph, union, member = row["g"].value, row["union"].value, row["member"].value
        members = found.setdefault(graph, {}).setdefault(union, [])
        if member != union:
            members.append(member)
    return [
        (graph, digest, union, found[graph][union])
        for graph, digest in digests.items()
        if graph in found
        for union in [max(found[graph])]
    ]


def _with_labels(
    store: GraphStore, triples: list[Any], cache: dict[str, list[Any]] | None = None
) -> list[Any]:
    """A record graph's statements and the labels of the shared entities it links to (agents,
    subjects, series: their labels live in the shared graph). Nodes the record labels itself are
    not looked up: code list terms and the cataloguing agency are labelled in every record graph,
    so asking the store for their labels reads one statement per record in the store. `cache`
    keeps what was found across the records of one sync (the same agents and terms recur)."""
    own = {s for s, p, _ in triples if p == RDFS.label}
    linked = {o for _, _, o in triples if isinstance(o, NamedNode) and o not in own}
    if not linked:
        return triples
    if cache is None:
        cache = {}
    wanted = [node for node in linked if node.value not in cache]
    if wanted:
        if len(cache) + len(wanted) > _LABEL_CACHE:
            cache.clear()
        labels = store.objects(wanted, RDFS.label)
        unlabelled = [node for node in wanted if not labels.get(node.value)]
        names = store.objects(unlabelled, SCHEMA.name) if unlabelled else {}
        for node in wanted:
            if node.value in labels:
                cache[node.value] = [(node, RDFS.label, o) for o in labels[node.value]]
            else:
                cache[node.value] = [(node, SCHEMA.name, o) for o in names.get(node.value, [])]
    return triples + [t for node in linked for t in cache[node.value]]


def _registered(store: GraphStore, minter: Minter, list_libraries: Any) -> list[Any]:
    try:
        return list(list_libraries(store, minter))
    except Exception:  # noqa: BLE001 -- a store without a registry has no libraries to list
        return []


def facet_counts(values: Iterable[FacetValue]) -> dict[str, list[FacetValue]]:
    grouped: dict[str, list[FacetValue]] = defaultdict(list)
    for value in values:
        grouped[value.name].append(value)
    for name, found in grouped.items():
        if name == "years":
            order = {r: i for i, r in enumerate(YEAR_RANGES)}
            found.sort(key=lambda v: order.get(v.value, 99))
        else:
            found.sort(key=lambda v: (-v.count, collation.sort_string(v.label)))
    return dict(grouped)


__all__ = ["SqliteIndex", "match_expression", "facet_counts", "Counter"]
