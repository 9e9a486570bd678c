"""Each client's SPARQL query time, shared by every server process through one small SQLite file.

As on the Wikidata Query Service, a client (an IP address) may use `seconds` of query time per
`window` seconds; once it has used them, it gets 429 with Retry-After. The accounting is a leaky
bucket: the time a client has spent drains at `seconds / window` per second, so a client may spend
its whole allowance at once and then gets it back gradually. A query that starts within the
allowance runs to its end (or to the time limit), so a client can go over by one query's time.

One row per client that spent time recently (`spent`, `at`); each query costs one short write
transaction. SQLite in WAL mode lets readers and the writer of several processes (gunicorn's
workers) work at once; writes wait for each other for at most `BUSY_SECONDS`. If the file cannot
be used, the budget is not enforced and a warning is logged: a broken counter must not close the
public endpoint.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from lod.errors import TooManyRequests

log = logging.getLogger("lod.budget")
BUSY_SECONDS = 5.0
SWEEP_EVERY = 256
"""Every this many charges, rows of clients whose spent time has drained away are deleted."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spent (
    client TEXT PRIMARY KEY,
    seconds REAL NOT NULL,
    at REAL NOT NULL
)
"""
_CHARGE = """
INSERT INTO spent (client, seconds, at) VALUES (:client, :seconds, :now)
ON CONFLICT (client) DO UPDATE SET
    seconds = max(0, seconds - (:now - at) * :rate) + excluded.seconds,
    at = :now
"""


class QueryBudget:
    """`seconds` of query time per `window` seconds for each client, counted in the SQLite file
    at `path` (':memory:' for this process only); `seconds` 0 turns the budget off."""

    def __init__(
        self, path: str, seconds: float, window: float, clock: Callable[[], float] = time.time
    ) -> None:
        if seconds < 0 or window <= 0:
            raise ValueError("a budget needs 0 seconds or more over a positive window")
        self.path = path
        self.seconds = seconds
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._owner: int | None = None
        self._charges = 0
        self._broken = False

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    @property
    def rate(self) -> float:
        """Seconds of spent time that drain away per second."""
        return self.seconds / self.window

    def check(self, client: str) -> None:
        """Raise TooManyRequests, with the seconds to wait, if `client` has no time left."""
        if not self.enabled:
            return
        now = self._clock()
        row = self._run(lambda db: db.execute("SELECT seconds, at FROM spent WHERE client = ?", (client,)))
        if not row:
            return
        spent, at = row
        left = spent - max(0.0, now - at) * self.rate
        if left >= self.seconds:
            wait = (left - self.seconds) / self.rate
            raise TooManyRequests(
                retry_after=max(1, math.ceil(wait)),
                budget=_number(self.seconds),
                window=_number(self.window),
            )

    def charge(self, client: str, seconds: float) -> None:
        """Add `seconds` of query time to what `client` has spent."""
        if not self.enabled:
            return
        params = {"client": client, "seconds": max(0.0, seconds), "now": self._clock(), "rate": self.rate}
        self._run(lambda db: db.execute(_CHARGE, params))
        self._charges += 1
        if self._charges % SWEEP_EVERY == 0:
            self.sweep()

    def spent(self, client: str) -> float:
        """The query time `client` has spent and not yet got back."""
        row = self._run(lambda db: db.execute("SELECT seconds, at FROM spent WHERE client = ?", (client,)))
        if not row:
            return 0.0
        return max(0.0, row[0] - max(0.0, self._clock() - row[1]) * self.rate)

    def sweep(self) -> None:
        """Forget clients whose spent time has all drained away."""
        params = (self._clock(), self.rate)
        self._run(lambda db: db.execute("DELETE FROM spent WHERE seconds - (? - at) * ? <= 0", params))

    def close(self) -> None:
        with self._lock:
            if self._connection is not None and self._owner == os.getpid():
                self._connection.close()
            self._connection = None

    def _run(self, statement: Callable[[sqlite3.Connection], sqlite3.Cursor]) -> tuple[float, float] | None:
        """One statement in its own transaction; its first row, if any. On a database error the
        budget is not enforced (logged once per process)."""
        with self._lock:
            try:
                db = self._connect()
                with db:
                    row = statement(db).fetchone()
            except (sqlite3.Error, OSError) as exc:
                if not self._broken:
                    log.warning("SPARQL budget not enforced: %s: %s", self.path, exc)
                self._broken = True
                return None
            return None if row is None else (float(row[0]), float(row[1]))

    def _connect(self) -> sqlite3.Connection:
        pid = os.getpid()
        if self._connection is None or self._owner != pid:  # a connection must not cross a fork
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            self._connection, self._owner = db, pid
        return self._connection


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
