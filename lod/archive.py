"""The record archive: what OAI-PMH (lod.oai) and the change feed serve, kept beside the store.

One SQLite file beside the store (`<store>-records.sqlite3`; the `records_archive` setting) holds a
row for every record graph the store holds or once held: its library, its control number (001),
the record as received and repaired as MARCXML (zlib-compressed), the digest of its source
(lod.digests) and of its content, its datestamp (UTC, to the second: when what it disseminates
last changed) and whether it is deleted. Deleted records keep their row for good (OAI-PMH
`deletedRecord` persistent). A log of changes (Create, Update, Delete, in order) feeds /changes.

It keeps in step with the store as the search index does. The ingest's workers make a row for
each record they convert (`source_row`: the MARCXML and the content digest), the ingest stages
those rows (`stage`) before writing the records, and `sync`, after the ingest, compares the
store's record graphs and source digests with the archive in one transaction:

- a record graph the archive lacks, or holds as deleted, is created (a Create); one whose source
  digest moved is updated (an Update) unless its content digest did not move, which happens when
  a new release of the converter changes every source digest but not this record's MARCXML or
  statements: then only the digest is noted, and harvesters are not sent the record again;
- a live row whose graph is gone is deleted (a Delete): withdrawn, or left out of a full re-send;
- rows come from the staged ones when their digest is the store's; a record loaded another way
  (before the archive existed, or by a program that did not stage) gets its library and 001 from
  the store and no MARCXML: it is offered in oai_dc and rdf only, until it is sent again;
- the first sync of an archive also notes the records the store's tombstones name as deleted.

Datestamps are set when the transaction is about to commit, never earlier than the newest one:
a harvester that starts from the `responseDate` of its last harvest misses nothing. A sync that
is cut off changes nothing; one that runs again finds nothing to do (it is idempotent), and an
ingest cut off after staging leaves rows that the next sync takes or drops by their digests.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import QuerySolutions

from lod.config import beside_store
from lod.sqlitefile import SqliteFile
from lod.store import GraphStore
from lod.uris import Minter
from lod.withdrawal import tombstone_graph

if TYPE_CHECKING:
    from lod.config import Settings
    from lod.marcrecord import Record

SCHEMA_VERSION = "1"
DEFAULT_ARCHIVE = "var/records.sqlite3"
DATESTAMP = "%Y-%m-%dT%H:%M:%SZ"
MARC_NAMESPACE = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FROM_STORE_BULK = 1000
"""Records to describe from the store beyond which one query reads them all, not one each."""
_BLANK = re.compile(r"_:[0-9A-Za-z]+")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry (control characters, lone surrogates): written as U+FFFD."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(
  id TEXT PRIMARY KEY, library TEXT NOT NULL, control TEXT NOT NULL, digest TEXT NOT NULL,
  content TEXT, marcxml BLOB, datestamp TEXT NOT NULL, deleted INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS records_datestamp ON records(datestamp, id);
CREATE INDEX IF NOT EXISTS records_library ON records(library, datestamp, id);
CREATE TABLE IF NOT EXISTS changes(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL,
  datestamp TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS changes_datestamp ON changes(datestamp);
CREATE TABLE IF NOT EXISTS staged(id TEXT PRIMARY KEY, digest TEXT NOT NULL, library TEXT NOT NULL,
  control TEXT NOT NULL, content TEXT, marcxml BLOB);
"""

StagedRow = tuple[str, str, str, str, str | None, bytes | None]
"""(record id, source digest, library key, control number, content digest, MARCXML zlib-compressed):
what an ingest worker makes of a record it converted (`source_row`)."""


@dataclass(frozen=True)
class ArchivedRecord:
    id: str
    library: str
    """The library's key: its ISIL or registry pseudo-identifier (the last part of its IRI); ''
    for a record the archive only knows from a tombstone."""
    datestamp: str
    deleted: bool
    has_marcxml: bool


@dataclass(frozen=True)
class Change:
    seq: int
    id: str
    kind: str
    """Create, Update or Delete (ActivityStreams 2.0 activity types)."""
    datestamp: str
    library: str


@dataclass
class ArchiveReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    same_content: int = 0
    """Records whose source digest moved but whose MARCXML and statements did not: not re-dated."""
    from_store: int = 0
    """Created or updated records read from the store, with no staged row (no MARCXML)."""
    total: int = 0
    withdrawn: int = 0
    """Deleted rows in all (kept for good)."""
    seconds: float = 0.0


def archive_path(settings: Settings) -> str:
    """Where the record archive of this configuration lives (see `Settings.records_archive`)."""
    return beside_store(settings, settings.records_archive, "-records.sqlite3", DEFAULT_ARCHIVE)


def open_archive(settings: Settings, read_only: bool = False) -> RecordArchive:
    return RecordArchive(archive_path(settings), settings.base_iri, read_only=read_only)


def datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DATESTAMP)


# what a worker makes of a record --------------------------------------------------------------
def source_row(graph: str, digest: str, library: str, record: Record, lines: Sequence[str]) -> StagedRow:
    """The archive's row of a record just converted: its MARCXML, and a digest of that and of its
    statements as N-Quads `lines` (`content_digest`)."""
    xml = marcxml(record)
    control = record.control("001").strip()
    record_id = graph.rsplit("/", 1)[-1]
    return record_id, digest, library, control, content_digest(lines, xml), zlib.compress(xml.encode())


def retried_row(graph: str, library: str, record: Record, digest: str | None) -> StagedRow:
    """The row of a record `lod quarantine retry` loaded: its MARCXML, under the source digest it
    is loaded with; its content digest unknown (its datestamp is new whatever it was)."""
    xml = zlib.compress(marcxml(record).encode())
    return graph.rsplit("/", 1)[-1], digest or "", library, record.control("001").strip(), None, xml


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


def xml_safe(value: str) -> str:
    """`value` with what XML 1.0 cannot carry (control characters, lone surrogates) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def xml_text(value: str) -> str:
    """`value` as XML character data."""
    return xml_safe(value).translate(_TEXT)


def xml_attribute(value: str) -> str:
    """`value` as a double-quoted XML attribute value."""
    return '"' + xml_safe(value).translate(_ATTRIBUTE) + '"'


def marcxml(record: Record) -> str:
    """The record in MARC 21 XML (slim schema), as received and repaired by the reader: its text
    is Unicode now, so leader/09 says so ('a'), as MARCXML requires."""
    leader = record.leader
    if len(leader) >= 10:
        leader = leader[:9] + "a" + leader[10:]
    text, attribute = _TEXT, _ATTRIBUTE
    parts = [
        f'<record xmlns="{MARC_NAMESPACE}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{MARC_NAMESPACE} {MARC_SCHEMA}">',
        f"<leader>{leader.translate(text)}</leader>",
    ]
    add = parts.append
    for field in record.fields:  # the schema wants control fields first
        if field.data is not None:
            tag = field.tag.translate(attribute)
            add(f'<controlfield tag="{tag}">{field.data.translate(text)}</controlfield>')
    for field in record.fields:
        tag = field.tag.translate(attribute)
        if field.data is not None:
            continue
        ind1, ind2 = field.indicator1.translate(attribute), field.indicator2.translate(attribute)
        add(f'<datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">')
        for code, value in field.subfields:
            add(f'<subfield code="{code.translate(attribute)}">{value.translate(text)}</subfield>')
        add("</datafield>")
    add("</record>")
    return xml_safe("".join(parts))  # what XML cannot carry is never part of the markup


def content_digest(lines: Sequence[str], xml: str) -> str:
    """A digest of a record's MARCXML and statements (N-Triples or N-Quads lines, in the order the
    converter made them) that does not depend on the labels of its blank nodes, new on every
    conversion: each is named by the order it first appears in. The same record converted twice
    by the same code thus gets the same digest; any other statements get another one (as may the
    same statements made in another order by another release of the converter: re-dated, then)."""
    labels: dict[str, str] = {}

    def relabel(found: re.Match[str]) -> str:
        return labels.setdefault(found.group(), f"_:b{len(labels)}")

    text = _BLANK.sub(relabel, "".join(lines)) + "\0" + xml
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# the archive ----------------------------------------------------------------------------------
class RecordArchive(SqliteFile):
    """The archive in one SQLite file (or in memory: `path` None or ':memory:'). Thread-safe:
    each thread reads through its own connection; an in-memory archive shares one, locked."""

    def __init__(self, path: str | Path | None, base: str, read_only: bool = False) -> None:
        self.base = base
        super().__init__(path, read_only)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        conn.executescript(_SCHEMA)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta and (meta.get("schema") != SCHEMA_VERSION or meta.get("base") != self.base):
            # another layout, or another dataset (its IRIs are other IRIs): begun again
            for table in ("records", "changes", "staged", "meta"):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.executescript(_SCHEMA)
        conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION), ("base", self.base)]
        )
        conn.commit()

    def available(self) -> bool:
        """Whether there is an archive to read (a read-only one opened before any sync has none)."""
        return self.memory or not self.read_only or Path(self.path).exists()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # writing -------------------------------------------------------------------------------
    def stage(self, rows: Iterable[StagedRow]) -> None:
        """Rows the ingest made beside its conversion, taken by the next `sync` for the records
        the store then holds with the same source digest."""
        conn = self._connection()
        with self._lock:
            conn.executemany("INSERT OR REPLACE INTO staged VALUES (?, ?, ?, ?, ?, ?)", rows)
            conn.commit()

    def sync(self, store: GraphStore, minter: Minter) -> ArchiveReport:
        """Bring the archive in step with the store (see the module's docstring); one transaction."""
        started = time.monotonic()
        report = ArchiveReport()
        current = _record_digests(store, minter)
        conn = self._connection()
        with self._lock:
            try:
                self._sync(conn, store, minter, current, report)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                for table in ("present", "changed", "events"):
                    conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        report.seconds = time.monotonic() - started
        return report

    def _sync(
        self,
        conn: sqlite3.Connection,
        store: GraphStore,
        minter: Minter,
        current: dict[str, str],
        report: ArchiveReport,
    ) -> None:
        first = conn.execute("SELECT 1 FROM records LIMIT 1").fetchone() is None
        conn.execute("CREATE TEMP TABLE present(id TEXT PRIMARY KEY, digest TEXT NOT NULL)")
        conn.executemany("INSERT INTO present VALUES (?, ?)", current.items())
        conn.execute(
            "CREATE TEMP TABLE changed AS SELECT c.id AS id, c.digest AS digest, "
            "r.id IS NOT NULL AND r.deleted = 0 AS live, r.content AS content "
            "FROM present c LEFT JOIN records r ON r.id = c.id "
            "WHERE r.id IS NULL OR r.deleted = 1 OR r.digest != c.digest"
        )
        # the source moved, the content did not (a new converter, the same result): no new datestamp
        same = (
            "SELECT c.id FROM changed c JOIN staged s ON s.id = c.id AND s.digest = c.digest "
            "WHERE c.live AND s.content IS NOT NULL AND s.content = c.content"
        )
        report.same_content = conn.execute(
            "UPDATE records SET digest = (SELECT digest FROM changed c WHERE c.id = records.id) "
            f"WHERE id IN ({same})"  # noqa: S608 (our own SQL)
        ).rowcount
        conn.execute(f"DELETE FROM changed WHERE id IN ({same})")  # noqa: S608
        conn.execute("CREATE TEMP TABLE events(id TEXT PRIMARY KEY, kind TEXT NOT NULL)")
        conn.execute(
            "INSERT INTO events SELECT id, CASE WHEN live THEN 'Update' ELSE 'Create' END FROM changed"
        )
        conn.execute(
            "INSERT OR REPLACE INTO records "
            "SELECT c.id, s.library, s.control, c.digest, s.content, s.marcxml, '', 0 "
            "FROM changed c JOIN staged s ON s.id = c.id AND s.digest = c.digest"
        )
        unstaged = conn.execute(
            "SELECT c.id, c.digest FROM changed c LEFT JOIN staged s ON s.id = c.id AND s.digest = c.digest "
            "WHERE s.id IS NULL"
        ).fetchall()
        facts = _record_facts(store, minter, [record_id for record_id, _ in unstaged])
        conn.executemany(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, NULL, NULL, '', 0)",
            [(record_id, *facts.get(record_id, ("", "")), digest) for record_id, digest in unstaged],
        )
        report.from_store = len(unstaged)
        # gone from the store: withdrawn, or left out of a full re-send
        conn.execute(
            "INSERT INTO events SELECT id, 'Delete' FROM records "
            "WHERE deleted = 0 AND id NOT IN (SELECT id FROM present)"
        )
        conn.execute(
            "UPDATE records SET deleted = 1, datestamp = '', digest = '', content = NULL, marcxml = NULL "
            "WHERE deleted = 0 AND id NOT IN (SELECT id FROM present)"
        )
        if first:  # records withdrawn before the archive existed
            withdrawn = [g for g in _withdrawn_graphs(store, minter) if g not in current]
            conn.executemany(
                "INSERT OR IGNORE INTO records VALUES (?, '', '', '', NULL, NULL, '', 1)",
                [(g,) for g in withdrawn],
            )
            conn.executemany("INSERT OR IGNORE INTO events VALUES (?, 'Delete')", [(g,) for g in withdrawn])
        counts = dict(conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
        report.created, report.updated, report.deleted = (
            counts.get(k, 0) for k in ("Create", "Update", "Delete")
        )
        conn.execute("INSERT INTO changes(id, kind, datestamp) SELECT id, kind, '' FROM events ORDER BY id")
        conn.execute("DELETE FROM staged")
        # stamped last: a harvest that read the archive before this commit has an earlier responseDate
        stamp = self._now(conn)
        conn.execute("UPDATE records SET datestamp = ? WHERE datestamp = ''", (stamp,))
        conn.execute("UPDATE changes SET datestamp = ? WHERE datestamp = ''", (stamp,))
        report.total, report.withdrawn = conn.execute(
            "SELECT count(*), total(deleted) FROM records"
        ).fetchone()
        report.withdrawn = int(report.withdrawn)

    @staticmethod
    def _now(conn: sqlite3.Connection) -> str:
        """Now, to the second, and never before the newest datestamp (a clock set back)."""
        now = datestamp(datetime.now(UTC))
        (newest,) = conn.execute("SELECT max(datestamp) FROM changes").fetchone()
        return max(now, newest or "")

    # reading -------------------------------------------------------------------------------
    def earliest(self) -> str | None:
        """The oldest datestamp (OAI-PMH's earliestDatestamp), or None when the archive is empty."""
        row = self._one("SELECT min(datestamp) FROM records")
        return str(row[0]) if row and row[0] else None

    def get(self, record_id: str) -> ArchivedRecord | None:
        row = self._one(
            "SELECT id, library, datestamp, deleted, marcxml IS NOT NULL FROM records WHERE id = ?", record_id
        )
        return _archived(row) if row else None

    def marcxml(self, record_id: str) -> str | None:
        """The record as received and repaired, in MARCXML; None when the archive has none."""
        row = self._one("SELECT marcxml FROM records WHERE id = ?", record_id)
        return zlib.decompress(row[0]).decode() if row and row[0] is not None else None

    def libraries(self) -> list[str]:
        """The keys of the libraries the archive has records of (deleted ones too)."""
        rows = self._all("SELECT DISTINCT library FROM records WHERE library != '' ORDER BY library")
        return [str(library) for (library,) in rows]

    def records(
        self,
        *,
        start: str = "",
        until: str = "\uffff",
        library: str | None = None,
        marcxml: bool = False,
        after: tuple[str, str] | None = None,
        limit: int = 100,
    ) -> list[ArchivedRecord]:
        """Records by datestamp then id, datestamps from `start` to `until` (inclusive), of one
        library; with `marcxml`, only those that have it (and the deleted ones); after the
        (datestamp, id) `after`."""
        where, params = _filter(start, until, library, marcxml)
        if after is not None:
            where += " AND (datestamp > ? OR (datestamp = ? AND id > ?))"
            params += [after[0], after[0], after[1]]
        rows = self._all(
            "SELECT id, library, datestamp, deleted, marcxml IS NOT NULL FROM records "  # noqa: S608
            f"WHERE {where} ORDER BY datestamp, id LIMIT ?",
            *params,
            limit,
        )
        return [_archived(row) for row in rows]

    def count(
        self, *, start: str = "", until: str = "\uffff", library: str | None = None, marcxml: bool = False
    ) -> int:
        where, params = _filter(start, until, library, marcxml)
        row = self._one(f"SELECT count(*) FROM records WHERE {where}", *params)  # noqa: S608
        return int(row[0]) if row else 0

    def changes(self, first: int, last: int, since: str = "") -> list[Change]:
        """The changes numbered `first` to `last` (inclusive, from 1), from datestamp `since` on."""
        rows = self._all(
            "SELECT c.seq, c.id, c.kind, c.datestamp, r.library FROM changes c JOIN records r ON r.id = c.id "
            "WHERE c.seq BETWEEN ? AND ? AND c.datestamp >= ? ORDER BY c.seq",
            first,
            last,
            since,
        )
        return [
            Change(int(seq), str(i), str(kind), str(stamp), str(lib)) for seq, i, kind, stamp, lib in rows
        ]

    def change_span(self, since: str = "") -> tuple[int, int, int]:
        """(how many changes from datestamp `since` on, the number of the first, of the last)."""
        row = self._one("SELECT count(*), min(seq), max(seq) FROM changes WHERE datestamp >= ?", since)
        if not row or not row[0]:
            return 0, 0, 0
        return int(row[0]), int(row[1]), int(row[2])

    def _one(self, sql: str, *params: Any) -> tuple[Any, ...] | None:
        rows = self._all(sql, *params)
        return rows[0] if rows else None

    def _all(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if not self.available():
            return []
        with self._reading() as conn:
            return conn.execute(sql, params).fetchall()


def _filter(start: str, until: str, library: str | None, marcxml: bool) -> tuple[str, list[Any]]:
    where = "datestamp >= ? AND datestamp <= ?"
    params: list[Any] = [start, until]
    if library is not None:
        where += " AND library = ?"
        params.append(library)
    if marcxml:
        where += " AND (marcxml IS NOT NULL OR deleted = 1)"
    return where, params


def _archived(row: tuple[Any, ...]) -> ArchivedRecord:
    record_id, library, stamp, deleted, has_marcxml = row
    return ArchivedRecord(str(record_id), str(library), str(stamp), bool(deleted), bool(has_marcxml))


# what the store says --------------------------------------------------------------------------
def _record_digests(store: GraphStore, minter: Minter) -> dict[str, str]:
    """Record id -> its source digest, of every record graph in the store ('' for one loaded
    without a digest, as `lod quarantine retry` loads them)."""
    prefix = minter.record_graph("").value
    found = {name[len(prefix) :]: "" for name in store.graph_names(prefix)}
    for row in _rows(store.canned("record_digests")):
        graph, digest = row["g"].value, row["digest"].value
        if graph.startswith(prefix):
            found[graph[len(prefix) :]] = digest
    return found


def _record_facts(store: GraphStore, minter: Minter, record_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Record id -> (library key, control number), read from the record graphs in the store."""
    if not record_ids:
        return {}
    prefix = minter.record_graph("").value
    if len(record_ids) > FROM_STORE_BULK:
        solutions = [_rows(store.canned("record_origin"))]
    else:
        solutions = [_rows(store.canned("record_origin", g=minter.record_graph(i))) for i in record_ids]
    found: dict[str, tuple[str, str]] = {}
    for rows in solutions:
        for row in rows:
            graph = row["g"].value
            ref = minter.parse(row["library"].value)
            control = row["control"]
            library = ref.id if ref is not None and ref.kind == "library" else ""
            if graph.startswith(prefix) and (library or graph[len(prefix) :] not in found):
                found[graph[len(prefix) :]] = (library, control.value if control is not None else "")
    return found


def _withdrawn_graphs(store: GraphStore, minter: Minter) -> list[str]:
    """The ids of the records the tombstones name."""
    prefix = minter.record_graph("").value
    rows = _rows(store.canned("withdrawn_records", tombstones=tombstone_graph(minter)))
    return sorted({v[len(prefix) :] for row in rows if (v := row["record"].value).startswith(prefix)})


def _rows(solutions: object) -> QuerySolutions:
    assert isinstance(solutions, QuerySolutions)
    return solutions
