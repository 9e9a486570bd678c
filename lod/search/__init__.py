"""Search and discovery: an index kept in step with the store (`lod.search.sqlite`, behind the
interface of `lod.search.backend`), Vietnamese query handling (`lod.search.query`), and the
documents it indexes (`lod.search.documents`)."""

from __future__ import annotations

from lod.config import Settings, beside_store
from lod.search.backend import SearchIndex

DEFAULT_INDEX = "var/search.sqlite3"


def index_path(settings: Settings) -> str:
    """Where the search index of this configuration lives (see `Settings.search_index`)."""
    return beside_store(settings, settings.search_index, "-search.sqlite3", DEFAULT_INDEX)


def open_index(settings: Settings, read_only: bool = False) -> SearchIndex:
    """The configured search index (the embedded SQLite one)."""
    from lod.search.sqlite import SqliteIndex

    return SqliteIndex(index_path(settings), read_only=read_only)


__all__ = ["SearchIndex", "index_path", "open_index"]
