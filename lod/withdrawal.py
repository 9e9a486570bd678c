"""Withdrawn records and their tombstones.

A record is withdrawn when its library sends it with leader/05 = 'd', or leaves it out of a full
re-send (`lod ingest marc --full`). Its named graph is removed, and each entity it minted (its Work,
Instance and Items) gets a tombstone in the graph `{base}graph/tombstones`:
`<iri> lodv:withdrawn "2026-11-25T10:00:00Z"^^xsd:dateTime ; lodv:withdrawnRecord <record graph>`.
The web layer answers 410 Gone for a tombstoned IRI, and harvesters find the tombstones with SPARQL.
When the record comes back, its tombstones go.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod.store import GraphStore
from lod.triples import Triple
from lod.uris import Minter
from lod.vocab import LODV, XSD

TOMBSTONES = "tombstones"
OWN_KINDS = ("work", "instance", "item")
"""The entities a record mints for itself (agents, topics, places are shared and stay)."""


def tombstone_graph(minter: Minter) -> NamedNode:
    return minter.data_graph(TOMBSTONES)


def withdraw(store: GraphStore, minter: Minter, graphs: Iterable[NamedNode]) -> int:
    """Remove each record graph, leaving tombstones for its own entities; returns how many existed."""
    prefixes = minter.prefixes(*OWN_KINDS)
    when = Literal(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    withdrawn = 0
    stones: list[Triple] = []
    for graph in graphs:
        subjects = {
            t.subject
            for t in store.graph_triples(graph)
            if isinstance(t.subject, NamedNode) and t.subject.value.startswith(prefixes)
        }
        if not store.remove_record(graph):
            continue
        withdrawn += 1
        for subject in sorted(subjects, key=lambda s: s.value):
            store.remove_subject(subject, tombstone_graph(minter))  # one tombstone, the latest
            stones += [(subject, LODV.withdrawn, when), (subject, LODV.withdrawnRecord, graph)]
    if stones:
        store.add_shared(tombstone_graph(minter), stones)
    return withdrawn


def revive(store: GraphStore, minter: Minter, graphs: Iterable[NamedNode]) -> int:
    """Drop the tombstones of records that are loaded again; returns how many entities came back."""
    graph = tombstone_graph(minter)
    back = 0
    for record in graphs:
        for row in _rows(store, "tombstones_of_record", record=record, tombstones=graph):
            entity = row["entity"]
            if isinstance(entity, NamedNode):
                back += store.remove_subject(entity, graph) > 0
    return back


def has_tombstones(store: GraphStore, minter: Minter) -> bool:
    return store.query_bool("graph_not_empty", graph=tombstone_graph(minter))


def withdrawn_at(store: GraphStore, minter: Minter, iri: NamedNode) -> str | None:
    """When `iri` was withdrawn, if it has a tombstone."""
    for row in _rows(store, "withdrawn_at", iri=iri, tombstones=tombstone_graph(minter)):
        return str(row["when"].value)
    return None


def library_graphs(store: GraphStore, minter: Minter, library: NamedNode) -> set[str]:
    """The record graphs a library's records are loaded in (their AdminMetadata names it)."""
    prefix = minter.record_graph("").value
    rows = _rows(store, "record_graphs_of_library", library=library)
    return {row["g"].value for row in rows if row["g"].value.startswith(prefix)}


def _rows(store: GraphStore, name: str, **bindings: NamedNode) -> QuerySolutions:
    solutions = store.canned(name, **bindings)
    assert isinstance(solutions, QuerySolutions), name
    return solutions
