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
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QuerySolutions

from lod.search import collation
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
from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import LODV, RDF, RDFS, SCHEMA

SCHEMA_VERSION = "1"
EXACT_COLUMNS = ("x_title", "x_agent", "x_subject", "x_other")
COLUMNS = (*TEXT_FIELDS, *EXACT_COLUMNS)
WEIGHTS = {
    "title": 10.0, "agent": 6.0, "subject": 4.0, "series": 3.0, "publisher": 2.0, "identifier": 8.0,
    "note": 1.0, "x_title": 12.0, "x_agent": 7.0, "x_subject": 5.0, "x_other": 2.0,
}  # fmt: skip
"""BM25 weight of each column: a word in the title counts most, a word as typed (diacritics and
all) more than its look-alike."""
EXACT_OF = {"title": "x_title", "agent": "x_agent", "subject": "x_subject"}
FACET_SAMPLE = 50_000
"""Matching entries beyond which facet counts are counted over the best this many (and say so)."""
SUGGEST_KINDS = ("title", "agent", "subject", "library")
_WEIGHT_SPAN = 1 << 40

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(
  graph TEXT PRIMARY KEY, digest TEXT NOT NULL, instance TEXT NOT NULL, entry TEXT NOT NULL,
  created TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_entry ON records(entry);
CREATE INDEX IF NOT EXISTS records_instance ON records(instance);
CREATE TABLE IF NOT EXISTS staged(graph TEXT PRIMARY KEY, digest TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unions(graph TEXT PRIMARY KEY, digest TEXT NOT NULL, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members(instance TEXT PRIMARY KEY, entry TEXT NOT NULL, graph TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS members_graph ON members(graph);
CREATE TABLE IF NOT EXISTS entries(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, title TEXT NOT NULL, title_key TEXT NOT NULL,
  sort TEXT NOT NULL, year INTEGER, created TEXT NOT NULL, holdings INTEGER NOT NULL,
  items INTEGER NOT NULL, records INTEGER NOT NULL, is_union INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entries_sort ON entries(sort);
CREATE INDEX IF NOT EXISTS entries_year ON entries(year);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
  {", ".join(COLUMNS)}, content='', columnsize=1, tokenize='unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS entries_text(id INTEGER PRIMARY KEY, {", ".join(f"{c} TEXT" for c in COLUMNS)});
CREATE TABLE IF NOT EXISTS facets(name TEXT NOT NULL, value TEXT NOT NULL, entry INTEGER NOT NULL,
  PRIMARY KEY(name, value, entry)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_entry ON facets(entry);
CREATE TABLE IF NOT EXISTS arrivals(graph TEXT NOT NULL, library TEXT NOT NULL, created TEXT NOT NULL,
  entry TEXT NOT NULL, PRIMARY KEY(library, created, graph)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS arrivals_created ON arrivals(created);
CREATE INDEX IF NOT EXISTS arrivals_graph ON arrivals(graph);
CREATE TABLE IF NOT EXISTS terms(kind TEXT NOT NULL, label TEXT NOT NULL, target TEXT NOT NULL,
  weight INTEGER NOT NULL, slot INTEGER NOT NULL UNIQUE, PRIMARY KEY(kind, target)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entry_terms(entry TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
  label TEXT NOT NULL, PRIMARY KEY(entry, kind, target)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS terms_fts USING fts5(
  folded, content='', prefix='1 2 3', tokenize='unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS libraries(iri TEXT PRIMARY KEY, name TEXT NOT NULL, province TEXT,
  province_name TEXT, folded TEXT NOT NULL);
"""


class SqliteIndex:
    """The index in one SQLite file (or in memory: `path` None or ':memory:'). Thread-safe: each
    thread reads through its own connection; writes go through one."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self.memory = path is None or str(path) == ":memory:"
        self.path = ":memory:" if self.memory else str(path)
        self.read_only = read_only and not self.memory
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        if self.memory:
            self._shared = sqlite3.connect(":memory:", check_same_thread=False)
            self._prepare(self._shared)
        elif not self.read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._prepare(self._connection())

    # connections ---------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._shared is not None:
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self.read_only:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA cache_size=-65536")
            self._local.conn = conn
        return conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        if self._shared is not None:
            with self._lock:
                yield self._shared
        else:
            yield self._connection()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        conn.executescript(_SCHEMA)
        version = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        wanted = {"schema": SCHEMA_VERSION, "collation": collation.name()}
        if version and any(version.get(k) != v for k, v in wanted.items()):
            self._clear(conn)
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", wanted.items())
        conn.commit()

    @staticmethod
    def _clear(conn: sqlite3.Connection) -> None:
        for table in ("records", "unions", "members", "entries", "entries_text", "facets", "arrivals",
                      "terms", "entry_terms", "libraries", "meta"):  # fmt: skip
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 (a fixed list of our own tables)
        conn.execute("INSERT INTO entries_fts(entries_fts) VALUES ('delete-all')")
        conn.execute("INSERT INTO terms_fts(terms_fts) VALUES ('delete-all')")

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
        conn = self._connection()
        with self._lock:
            self._clear(conn)
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                {"schema": SCHEMA_VERSION, "collation": collation.name()}.items(),
            )
            conn.commit()
        return self.sync(store, minter)

    def sync(self, store: GraphStore, minter: Minter) -> SyncReport:
        """Bring the index in step with the store: records whose source digest changed, union
        graphs whose digest changed, and everything they touch; one transaction."""
        started = time.monotonic()
        report = SyncReport()
        conn = self._connection()
        with self._lock:
            try:
                self._sync(conn, store, minter, report)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        report.seconds = time.monotonic() - started
        return report

    def _sync(self, conn: sqlite3.Connection, store: GraphStore, minter: Minter, report: SyncReport) -> None:
        dirty: set[str] = set()
        # records
        current = _pairs(store.canned("record_digests"), "g", "digest")
        known = dict(conn.execute("SELECT graph, digest FROM records"))
        staged = {g: (d, doc) for g, d, doc in conn.execute("SELECT graph, digest, doc FROM staged")}
        changed = [g for g, d in current.items() if known.get(g) != d]
        gone = [g for g in known if g not in current]
        for graph in gone:
            row = conn.execute("SELECT entry FROM records WHERE graph = ?", (graph,)).fetchone()
            dirty.add(row[0])
            conn.execute("DELETE FROM records WHERE graph = ?", (graph,))
            conn.execute("DELETE FROM arrivals WHERE graph = ?", (graph,))
        report.removed = len(gone)
        member_of = self._members(conn)
        for graph in changed:
            digest = current[graph]
            if graph in staged and staged[graph][0] == digest:
                doc = RecordDocument.from_json(json.loads(staged[graph][1]))
                report.from_ingest += 1
            else:
                found = record_document(_with_labels(store, store.graph_triples(NamedNode(graph))))
                report.from_store += 1
                if found is None:
                    continue
                doc = found
            old = conn.execute("SELECT entry FROM records WHERE graph = ?", (graph,)).fetchone()
            if old:
                dirty.add(old[0])
            entry = member_of.get(doc.instance, doc.instance)
            dirty.add(entry)
            conn.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                (
                    graph,
                    digest,
                    doc.instance,
                    entry,
                    doc.created,
                    json.dumps(doc.to_json(), ensure_ascii=False),
                ),
            )
            conn.execute("DELETE FROM arrivals WHERE graph = ?", (graph,))
            if doc.created:
                conn.executemany(
                    "INSERT OR REPLACE INTO arrivals VALUES (?, ?, ?, ?)",
                    [(graph, library, doc.created, entry) for library in doc.libraries or [""]],
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
        for entry in dirty:
            self._write_entry(conn, entry)
        report.total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]

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

    def _refresh_libraries(self, conn: sqlite3.Connection, store: GraphStore, minter: Minter) -> None:
        from lod.libraries import list_libraries

        rows = {}
        for lib in _registered(store, minter, list_libraries):
            place = lib.province_name or ""
            rows[lib.iri] = (
                lib.iri,
                lib.name,
                lib.province_code,
                lib.province_name,
                folded_text(f"{lib.name} {place}"),
            )
        holders = {lib for (lib,) in conn.execute("SELECT DISTINCT value FROM facets WHERE name = 'library'")}
        holders |= {
            lib for (lib,) in conn.execute("SELECT DISTINCT library FROM arrivals WHERE library != ''")
        }
        unnamed = [NamedNode(iri) for iri in holders if iri not in rows]
        names = store.labels(unnamed, [RDFS.label, SCHEMA.name]) if unnamed else {}
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
        cursor = conn.execute(
            "INSERT INTO entries(iri, title, title_key, sort, year, created, holdings, items, records, "
            "is_union) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry, title, folded_text(title), collation.sort_string(title), min(years) if years else None,
             created, len(libraries), sum(d.items for d in docs), len(docs), int(is_union)),
        )  # fmt: skip
        rowid = cursor.lastrowid
        values = [folded_text(" ".join(texts[name])) for name in TEXT_FIELDS]
        exact = [exact_text(" ".join(texts[name])) for name in ("title", "agent", "subject")]
        exact.append(exact_text(" ".join(v for name in ("series", "publisher", "note") for v in texts[name])))
        marks = ", ".join("?" * len(COLUMNS))
        conn.execute(
            f"INSERT INTO entries_fts(rowid, {', '.join(COLUMNS)}) VALUES (?, {marks})",
            (rowid, *values, *exact),
        )  # noqa: S608
        conn.execute(f"INSERT INTO entries_text VALUES (?, {marks})", (rowid, *values, *exact))  # noqa: S608
        facets = {("library", lib) for lib in libraries}
        facets |= {("type", t) for d in docs for t in d.types}
        facets |= {("language", lang) for d in docs for lang in d.languages}
        facets |= {("years", r) for y in years if (r := year_range(y))}
        facets |= {("subject", s) for s in texts["subject"][:20]}
        conn.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?, ?)", [(n, v, rowid) for n, v in facets])
        terms = {("title", entry): title} if title else {}
        terms |= {("agent", a): a for a in texts["agent"][:10]}
        terms |= {("subject", s): s for s in texts["subject"][:10]}
        self._set_terms(conn, entry, terms, weight_of_title=len(libraries))

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
        conn.execute("DELETE FROM facets WHERE entry = ?", (rowid,))
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
        old = {
            (k, t): label
            for k, t, label in conn.execute(
                "SELECT kind, target, label FROM entry_terms WHERE entry = ?", (entry,)
            )
        }
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
        conn.execute("DELETE FROM entry_terms WHERE entry = ?", (entry,))
        conn.executemany(
            "INSERT INTO entry_terms VALUES (?, ?, ?, ?)",
            [(entry, k, t, label) for (k, t), label in terms.items()],
        )

    def _add_term(self, conn: sqlite3.Connection, kind: str, target: str, label: str, delta: int) -> None:
        row = conn.execute(
            "SELECT weight, label FROM terms WHERE kind = ? AND target = ?", (kind, target)
        ).fetchone()
        weight = (row[0] if row else 0) + delta
        self._set_term(conn, kind, target, label or (row[1] if row else ""), weight)

    def _set_term(self, conn: sqlite3.Connection, kind: str, target: str, label: str, weight: int) -> None:
        # FTS5 hands matches back in rowid order, so a suggestion's slot (its rowid there) puts
        # the heaviest first: `ORDER BY rowid LIMIT 10` then stops after ten instead of sorting
        # every match of a short prefix
        row = conn.execute(
            "SELECT slot, label FROM terms WHERE kind = ? AND target = ?", (kind, target)
        ).fetchone()
        if row is not None:
            conn.execute(
                "INSERT INTO terms_fts(terms_fts, rowid, folded) VALUES ('delete', ?, ?)",
                (row[0], folded_text(row[1])),
            )
            conn.execute("DELETE FROM terms WHERE kind = ? AND target = ?", (kind, target))
        if weight <= 0 or not label:
            return
        base = (_WEIGHT_SPAN - min(weight, _WEIGHT_SPAN - 1)) << 20
        slot = (
            base
            + (
                conn.execute(
                    "SELECT count(*) FROM terms WHERE slot >= ? AND slot < ?", (base, base + (1 << 20))
                ).fetchone()[0]
            )
        )
        while conn.execute("SELECT 1 FROM terms WHERE slot = ?", (slot,)).fetchone():
            slot += 1
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
        where, params = [], []
        if not parsed.empty:
            where.append("entries_fts MATCH ?")
            params.append(match_expression(parsed.terms))
        for name, values in (filters or {}).items():
            for value in values:
                if name == "province":
                    where.append("e.id IN (SELECT f.entry FROM facets f JOIN libraries l ON f.value = l.iri "
                                 "WHERE f.name = 'library' AND l.province = ?)")  # fmt: skip
                elif name in FACETS:
                    where.append("e.id IN (SELECT entry FROM facets WHERE name = ? AND value = ?)")
                    params.append(name)
                else:
                    continue
                params.append(value)
        if not where:
            return Results(parsed.text, 0, [], [], sort, offset, limit, exact=True)
        source = "entries_fts JOIN entries e ON e.id = entries_fts.rowid" if not parsed.empty else "entries e"
        condition = " AND ".join(where)
        rank = (
            f"bm25(entries_fts, {', '.join(str(WEIGHTS[c]) for c in COLUMNS)})"
            if not parsed.empty
            else "-e.holdings"
        )
        exact_title = folded_text(parsed.text)
        order = {
            "relevance": f"(e.title_key = ?) DESC, {rank}, e.holdings DESC, e.id",
            "title": "e.sort, e.id",
            "year": "e.year IS NULL, e.year DESC, e.id",
            "year_asc": "e.year IS NULL, e.year, e.id",
            "holdings": "e.holdings DESC, e.id",
        }[sort]
        order_params = [exact_title] if sort == "relevance" else []
        with self._reading() as conn:
            total = conn.execute(f"SELECT count(*) FROM {source} WHERE {condition}", params).fetchone()[0]  # noqa: S608
            rows = conn.execute(
                f"SELECT e.iri, e.title, e.year, e.holdings, e.items, e.records, e.is_union, e.id "  # noqa: S608
                f"FROM {source} WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, *order_params, limit, offset],
            ).fetchall()
            hits = [Hit(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]
            self._attach_texts(conn, hits, [r[7] for r in rows])
            counted: list[FacetValue] = []
            exact = True
            if facets:
                counted, exact = self._facets(conn, source, condition, params, total)
        return Results(parsed.text, total, hits, counted, sort, offset, limit, exact)

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

    @staticmethod
    def _facets(
        conn: sqlite3.Connection, source: str, condition: str, params: list[Any], total: int
    ) -> tuple[list[FacetValue], bool]:
        exact = total <= FACET_SAMPLE
        matches = f"SELECT e.id FROM {source} WHERE {condition}" + ("" if exact else f" LIMIT {FACET_SAMPLE}")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS matched(id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.matched")
        conn.execute(f"INSERT INTO temp.matched {matches}", params)  # noqa: S608
        counts = conn.execute(
            "SELECT f.name, f.value, count(*) FROM temp.matched m JOIN facets f ON f.entry = m.id "
            "GROUP BY f.name, f.value"
        ).fetchall()
        provinces = conn.execute(
            "SELECT l.province, l.province_name, count(DISTINCT f.entry) FROM temp.matched m "
            "JOIN facets f ON f.entry = m.id AND f.name = 'library' JOIN libraries l ON l.iri = f.value "
            "WHERE l.province IS NOT NULL GROUP BY l.province"
        ).fetchall()
        names = dict(conn.execute("SELECT iri, name FROM libraries"))
        conn.execute("DELETE FROM temp.matched")
        found = [FacetValue(n, v, c, names.get(v, v) if n == "library" else v) for n, v, c in counts]
        found += [FacetValue("province", code, c, name or code) for code, name, c in provinces]
        return found, exact

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
        else:
            parts.append(f"({{{' '.join(columns)}}} : {folded} OR {{{' '.join(exact_columns)}}} : {exact})")
    return " AND ".join(parts)


def _phrase(words: Sequence[str]) -> str:
    return _quote(" ".join(words))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _pairs(solutions: Any, first: str, second: str) -> dict[str, str]:
    assert isinstance(solutions, QuerySolutions)
    return {row[first].value: row[second].value for row in solutions}


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


def _with_labels(store: GraphStore, triples: list[Any]) -> list[Any]:
    """A record graph's statements and the labels of the shared entities it links to (agents,
    subjects, series: their labels live in the shared graph)."""
    linked = {o for _, _, o in triples if isinstance(o, NamedNode)}
    if not linked:
        return triples
    labels = store.objects(linked, RDFS.label)
    unlabelled = [node for node in linked if not labels.get(node.value)]
    names = store.objects(unlabelled, SCHEMA.name) if unlabelled else {}
    found = [(NamedNode(s), RDFS.label, o) for s, values in labels.items() for o in values]
    found += [(NamedNode(s), SCHEMA.name, o) for s, values in names.items() for o in values]
    return triples + found


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
