"""The search backend interface: what the web layer and the ingest ask of a search index, so that
a deployment that outgrows one machine can put OpenSearch or Elasticsearch behind it
(docs/search.md maps the fields). The embedded SQLite index (lod.search.sqlite) is the default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lod.search.query import Query
from lod.store import GraphStore
from lod.uris import Minter

FACETS = ("library", "province", "type", "language", "years", "subject")
"""Facets offered, in the order pages show them."""
SORTS = ("relevance", "title", "year", "year_asc", "holdings")
YEAR_RANGES = ("<1900", "1900-1944", "1945-1974", "1975-1985", "1986-1999", "2000-2009", "2010-2019", "2020-")
"""Year ranges of the year facet: the periods Vietnamese catalogues are browsed by (1945: the
Democratic Republic; 1975: reunification; 1986: Đổi mới)."""


def year_range(year: int) -> str | None:
    if year < 1900:
        return YEAR_RANGES[0]
    for label in YEAR_RANGES[1:]:
        low, _, high = label.partition("-")
        if int(low) <= year and (not high or year <= int(high)):
            return label
    return None


@dataclass
class Hit:
    """One union entry found: its IRI (the union Instance, or the record's own Instance), title,
    year, how many libraries hold it and how many items, from how many records."""

    iri: str
    title: str
    year: int | None
    holdings: int
    items: int
    records: int
    union: bool
    agents: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FacetValue:
    name: str
    value: str
    count: int
    label: str


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    facets: list[FacetValue]
    sort: str
    offset: int
    limit: int
    exact: bool
    """False when the facet counts were counted over a sample of the matches (very broad queries)."""
    total_exact: bool = True
    """False when more entries match than were counted: `total` is then a lower bound."""


@dataclass(frozen=True)
class Suggestion:
    kind: str
    """'title', 'agent', 'subject' or 'library'."""
    label: str
    target: str
    """An entry's or library's IRI; an agent's or subject's label (a search for it)."""
    weight: int


@dataclass(frozen=True)
class Arrival:
    record: str
    entry: str
    library: str
    created: str
    title: str
    agents: list[str]
    holdings: int


@dataclass(frozen=True)
class LibraryHit:
    iri: str
    name: str
    province: str | None
    province_name: str | None


@dataclass
class SyncReport:
    indexed: int = 0
    """Records (re)indexed."""
    from_ingest: int = 0
    """Of those, documents the ingest made beside its conversion."""
    from_store: int = 0
    """Of those, documents read back from the store (records loaded without the index)."""
    removed: int = 0
    entries: int = 0
    """Entries written again."""
    total: int = 0
    seconds: float = 0.0


class SearchIndex(Protocol):
    """What a search backend does. `sync` must be idempotent and bring the index in step with the
    store whatever happened before (an ingest killed midway, a store restored from a backup)."""

    def stage(self, documents: Iterable[tuple[str, str, str]]) -> None: ...
    def sync(self, store: GraphStore, minter: Minter) -> SyncReport: ...
    def rebuild(self, store: GraphStore, minter: Minter) -> SyncReport: ...
    def search(
        self,
        query: Query | str,
        filters: Mapping[str, Sequence[str]] | None = None,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        facets: bool = True,
    ) -> Results: ...
    def suggest(self, prefix: str, limit: int = 10, kinds: Sequence[str] = ...) -> list[Suggestion]: ...
    def arrivals(self, library: str | None = None, limit: int = 20, offset: int = 0) -> list[Arrival]: ...
    def libraries(self, query: str, limit: int = 10) -> list[LibraryHit]: ...
    def library_name(self, iri: str) -> str | None: ...
    def count(self) -> int: ...
    def available(self) -> bool: ...
