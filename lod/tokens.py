"""Access tokens of the write side (`lod token`, the ingest API in lod.web.write).

A token is `lod.{id}.{secret}`: the id is public (listed, named when revoking), the secret is 32
random bytes (`secrets.token_urlsafe`). Only the SHA-256 of the whole token is kept: a random
token of 256 bits needs no slow, salted password hash, since there is no dictionary to try, and a
copy of the file does not let anyone write. A token is checked by its id's row and a constant-time
comparison of the hashes (`hmac.compare_digest`). Each token is a library's (it may write that
library's records only) or an administrator's (any library, and the registry); a revoked token is
kept, marked, so that `lod token list` still tells what it was.

The tokens live in one SQLite file beside the store (`tokens_path`), with the jobs of the ingest
API (lod.jobs): the CLI creates and revokes tokens while a server reads them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lod.config import Settings, beside_store

DEFAULT_TOKENS = "var/tokens.sqlite3"
PREFIX = "lod"
_LIBRARY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens(
    id TEXT PRIMARY KEY,
    library TEXT,
    admin INTEGER NOT NULL DEFAULT 0,
    hash TEXT NOT NULL,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE INDEX IF NOT EXISTS tokens_library ON tokens(library);
"""


def valid_library(code: str) -> bool:
    """Whether `code` can name a library (an ISIL, a registry id, a pseudo-ISIL)."""
    return _LIBRARY.fullmatch(code) is not None


def tokens_path(settings: Settings) -> str:
    """Where the tokens (and jobs) of this configuration live (see `Settings.tokens`)."""
    return beside_store(settings, settings.tokens, "-tokens.sqlite3", DEFAULT_TOKENS)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: an administrator's, or one library's (as the token was created
    for it: an ISIL or registry id)."""

    token_id: str
    library: str | None
    admin: bool


@dataclass(frozen=True)
class TokenInfo:
    """A token as `lod token list` shows it: never its secret."""

    id: str
    library: str | None
    admin: bool
    created: str
    revoked: str | None


class Database:
    """One SQLite file (or one in-memory database) shared by lod.tokens and lod.jobs. One
    connection, used under a lock: the write side serves few requests, and the CLI and a server
    may use the file at once (WAL)."""

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def create_tables(self, schema: str) -> None:
        with self._lock:
            self._conn.executescript(schema)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class Tokens:
    """The tokens in `database` (a path, or a Database shared with lod.jobs)."""

    def __init__(self, database: str | Database) -> None:
        self.db = database if isinstance(database, Database) else Database(database)
        self.db.create_tables(_SCHEMA)

    def create(self, library: str | None = None, admin: bool = False) -> tuple[str, str]:
        """A new token for `library`, or an administrator's: (its id, the token). The token is
        shown once and never kept."""
        if (library is None) == (not admin):
            raise ValueError("a token is either a library's or an administrator's")
        token_id = secrets.token_hex(6)
        token = f"{PREFIX}.{token_id}.{secrets.token_urlsafe(32)}"
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO tokens(id, library, admin, hash, created) VALUES (?, ?, ?, ?, ?)",
                (token_id, library, int(admin), token_hash(token), now()),
            )
        return token_id, token

    def check(self, token: str) -> Grant | None:
        """What `token` allows; None when it is not a token of ours or has been revoked."""
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
            return None
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT library, admin, hash, revoked FROM tokens WHERE id = ?", (parts[1],)
            ).fetchone()
        if row is None:
            token_hash(token)  # the same work whether the id exists or not
            return None
        library, admin, stored, revoked = row
        if not hmac.compare_digest(str(stored), token_hash(token)) or revoked is not None:
            return None
        return Grant(parts[1], library, bool(admin))

    def revoke(
        self, library: str | None = None, token_id: str | None = None, admin: bool = False
    ) -> list[str]:
        """Revoke every token of `library`, the token `token_id`, or every administrator token;
        returns the ids revoked (those revoked before are not counted again)."""
        if sum(x is not None and x is not False for x in (library, token_id, admin)) != 1:
            raise ValueError("revoke a library's tokens, one token, or the administrator tokens")
        where, value = (
            ("library = ?", library)
            if library is not None
            else ("id = ?", token_id)
            if token_id is not None
            else ("admin = ?", 1)
        )
        with self.db.transaction() as conn:
            ids = [
                str(r[0])
                for r in conn.execute(f"SELECT id FROM tokens WHERE {where} AND revoked IS NULL", (value,))
            ]
            conn.executemany("UPDATE tokens SET revoked = ? WHERE id = ?", [(now(), i) for i in ids])
        return ids

    def list(self) -> list[TokenInfo]:
        """Every token, oldest first."""
        with self.db.transaction() as conn:
            rows = conn.execute(
                "SELECT id, library, admin, created, revoked FROM tokens ORDER BY created, id"
            ).fetchall()
        return [TokenInfo(str(i), lib, bool(adm), str(c), r) for i, lib, adm, c, r in rows]
