"""One SQLite file kept beside the store (the search index, the record archive): a connection per
thread (WAL, so readers in other processes go on while one writes), read-only by URI, or one
connection shared under a lock when the file is in memory (`path` None or ':memory:')."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SqliteFile:
    """Subclasses make their tables in `_prepare` (run once by a writer, or on the shared
    in-memory connection) and may set `cache_kib`, the page cache of each connection."""

    cache_kib: int | None = None

    def __init__(self, path: str | Path | None, read_only: bool = False) -> None:
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

    def _prepare(self, conn: sqlite3.Connection) -> None:
        raise NotImplementedError

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
            if self.cache_kib is not None:
                conn.execute(f"PRAGMA cache_size=-{self.cache_kib}")
            self._local.conn = conn
        return conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        if self._shared is not None:
            with self._lock:
                yield self._shared
        else:
            yield self._connection()
