"""Search and discovery: an index kept in step with the store (`lod.search.sqlite`, behind the
interface of `lod.search.backend`), Vietnamese query handling (`lod.search.query`), and the
documents it indexes (`lod.search.documents`)."""

from __future__ import annotations

from pathlib import Path

from lod.config import Settings
from lod.search.backend import SearchIndex

DEFAULT_INDEX = "var/search.sqlite3"


def index_path(settings: Settings) -> str:
    """Where the search index of this configuration lives (see `Settings.search_index`)."""
    if settings.search_index:
        return settings.search_index
    if settings.store == ":memory:":
        return ":memory:"
    if settings.store.startswith(("http://", "https://")):
        return DEFAULT_INDEX
    return str(Path(settings.store)) + "-search.sqlite3"


def open_index(settings: Settings, read_only: bool = False) -> SearchIndex:
    """The configured search index (the embedded SQLite one)."""
    from lod.search.sqlite import SqliteIndex

    return SqliteIndex(index_path(settings), read_only=read_only)


__all__ = ["SearchIndex", "index_path", "open_index"]
