"""The description document of an entity, as the data formats (Turtle, N-Triples, JSON-LD,
RDF/XML) give it: its concise bounded description, the label of everything it links to, and one
page of the statements pointing at it. Framework-free: the web layer serialises and serves it.

Incoming links are paged because some entities have very many of them (a library holding 200,000
items, an agent with thousands of works): a document carries at most `limit` of them and says
whether there are more, so the web layer can link the next page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from lod.describe import LABEL_PREDICATES
from lod.store import GraphStore

# RocksDB files that change when data changes (not LOG, LOCK or OPTIONS, which opening touches)
_DATA_FILES = ("*.sst", "*.log", "MANIFEST-*", "CURRENT")


@dataclass(frozen=True)
class Document:
    triples: list[Triple]
    incoming_offset: int
    incoming_more: bool
    """More statements point at the entity than this page holds."""


def description_document(store: GraphStore, iri: NamedNode, incoming_offset: int, limit: int) -> Document:
    own = store.describe(iri)
    page = store.incoming(iri, incoming_offset, limit + 1)
    incoming = page[:limit]
    linked = {t.object for t in own if isinstance(t.object, NamedNode) and t.object != iri}
    linked |= {t.subject for t in incoming if isinstance(t.subject, NamedNode) and t.subject != iri}
    labels = store.label_triples(sorted(linked, key=lambda n: n.value), LABEL_PREDICATES)
    triples = list(dict.fromkeys([*own, *incoming, *labels]))
    return Document(triples, incoming_offset, len(page) > limit)


def snapshot_time(store: GraphStore) -> datetime | None:
    """When the data of an embedded store last changed (the newest of its data files), to the
    second; None for an in-memory store or a SPARQL server, which do not tell. A store opened
    read-only keeps the data it had when opened, so a server reads this once."""
    location = Path(store.location)
    if store.location == ":memory:" or not location.is_dir():
        return None
    newest = max((_mtime(path) for pattern in _DATA_FILES for path in location.glob(pattern)), default=None)
    if newest is None:
        return None
    return datetime.fromtimestamp(int(newest), UTC)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # compacted away between listing and reading: its data lives on
        return 0.0
