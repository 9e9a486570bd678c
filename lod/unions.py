"""The union catalogue in the store: read what clustering needs, write the union graphs, and
recluster either the whole store or only the part of it an ingest touched.

Each union Instance lives in its own graph `{base}graph/union/{id}` with a digest of its statements
(lod.clustering tells what is in it); a union graph is rewritten only when its digest changes.

Whole store (`lod cluster`, a first load, an ingest that touched many records): three single-
pattern queries read every record's match keys, Work and Items; the union graphs are made and
written a chunk at a time (never all in memory), and the ones no cluster has any more go.

Part of it (an ingest that touched a few records of a big store): clustering is local, so only the
records connected to the touched ones need clustering again: the touched records, the members of
the union Instances they were in, and, again and again, every record sharing a key (identifier or
title/author/year/publisher) or an override with one of those. Clustering that closed set gives
exactly what clustering the whole store gives for it (`tests/test_unions.py` checks it), at the
cost of a few point queries per record instead of reading millions.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod import figures
from lod.clustering import Clusters, Overrides, Record, Written, cluster, read_overrides
from lod.store import GraphStore
from lod.uris import Minter, unique_id
from lod.vocab import BF, LODV, RDF, RDFS, XSD

WRITE_QUADS = 500_000
"""Union statements written per store write."""
INCREMENTAL_LIMIT = 50_000
"""Records connected to an ingest's changes beyond which the whole store is reclustered instead
(reading everything then costs less than that many point queries)."""


# reading -----------------------------------------------------------------------------------------
def read_records(store: GraphStore) -> dict[str, Record]:
    """Every catalogued Instance in the store with its match keys, title, Work and items (three
    single-pattern queries: a join over a million records would take minutes)."""
    records: dict[str, Record] = {}
    for instance, key in _pairs(store, "cluster_keys", "instance", "key"):
        record = records.get(instance)
        if record is None:
            record = records[instance] = Record(instance, "")
        record.add_key(key)
    for instance, work in _pairs(store, "cluster_works", "instance", "work"):
        if (catalogued := records.get(instance)) is not None:
            catalogued.work = work
    for item, instance in _pairs(store, "cluster_items", "item", "instance"):
        if (holding := records.get(instance)) is not None:
            holding.add_item(item)
    return {i: r for i, r in records.items() if r.work}


def connected_records(
    store: GraphStore, touched: Iterable[str], overrides: Overrides, limit: int = INCREMENTAL_LIMIT
) -> tuple[dict[str, Record], set[str]] | None:
    """The records connected to the `touched` Instances (see the module's docstring) and the union
    graphs they are in now; None when there are more than `limit` of them."""
    records: dict[str, Record] = {}
    graphs: set[str] = set()
    keys_seen: set[str] = set()
    merged = {iri: group for group in overrides.merges for iri in group}
    todo = list(dict.fromkeys(touched))
    while todo:
        instance = todo.pop()
        if instance in records:
            continue
        record = records[instance] = _record(store, instance)
        if len(records) > limit:
            return None
        for row in _solutions(store, "union_mates", member=NamedNode(instance)):
            graphs.add(row["g"].value)
            todo.append(row["mate"].value)
        for key in record.links:
            if key not in keys_seen:
                keys_seen.add(key)
                todo += (row["instance"].value for row in _solutions(store, "with_key", key=Literal(key)))
        todo += merged.get(instance, ())
    # an Instance that is gone (a withdrawn record) is left out: its old union is rewritten or goes
    return {i: r for i, r in records.items() if r.work}, graphs


def _record(store: GraphStore, instance: str) -> Record:
    record = Record(instance, "")
    for row in _solutions(store, "record_facts", instance=NamedNode(instance)):
        if (key := row["key"]) is not None:
            record.add_key(key.value)
        elif (work := row["work"]) is not None:
            record.work = work.value
        elif (item := row["item"]) is not None:
            record.add_item(item.value)
    if not (record.ids or record.description or record.work_key or record.title):
        record.work = ""  # not a catalogued Instance (or not any more)
    return record


def union_digests(store: GraphStore, graphs: Iterable[str] | None = None) -> dict[str, str]:
    """The digest of each union graph (every one, or those named)."""
    if graphs is None:
        return dict(_pairs(store, "union_digests", "g", "digest"))
    found: dict[str, str] = {}
    for graph in graphs:
        for row in _solutions(store, "union_digest", g=NamedNode(graph)):
            found[graph] = row["digest"].value
    return found


# writing ---------------------------------------------------------------------------------------
def union_lines(members: Sequence[Record], reasons: dict[str, str], minter: Minter) -> tuple[str, list[str]]:
    """One union Instance's graph IRI and statements, as N-Triples lines without their final
    ' .': the union Instance, its members and holdings, and the part of its union Work that
    concerns it (the union of all graphs gives each union Work whole)."""
    identity = min((i for r in members for i in r.ids), default=None) or members[0].instance
    union_id = "u" + unique_id("union-instance", identity)
    union = f"<{minter.entity('instance', union_id).value}>"
    work = f"<{minter.entity('work', 'u' + unique_id('union-work', members[0].work_key)).value}>"
    member, union_instance, matched = f"<{LODV.member.value}>", f"<{LODV.unionInstance.value}>", _MATCHED
    lines = [
        f"{union} {_TYPE} <{BF.Instance.value}>",
        f"{union} {_TYPE} <{LODV.UnionInstance.value}>",
        f"{union} <{BF.instanceOf.value}> {work}",
        f"{work} {_TYPE} <{BF.Work.value}>",
        f"{work} {_TYPE} <{LODV.UnionWork.value}>",
        f"{work} <{BF.hasInstance.value}> {union}",
    ]
    title = next((r.title for r in members if r.title), "")
    if title:
        lines.append(f"{union} <{RDFS.label.value}> {Literal(title)}")
    for record in members:
        iri = f"<{record.instance}>"
        reason = Literal(reasons.get(record.instance, "only member"))
        lines += [
            f"{union} {member} {iri}",
            f"{iri} {union_instance} {union}",
            f"{iri} {matched} {reason}",
            f"{work} {member} <{record.work}>",
        ]
        lines += [f"{union} {_HAS_ITEM} <{item}>" for item in sorted(record.items)]
    return minter.union_graph(union_id).value, lines


_TYPE = f"<{RDF.type.value}>"
_MATCHED = f"<{LODV.matchedOn.value}>"
_HAS_ITEM = f"<{BF.hasItem.value}>"
_DIGEST = f"<{LODV.digest.value}>"


def digest(lines: Iterable[str]) -> str:
    """A digest of a union graph's statements (N-Triples lines), independent of their order."""
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:32]


def write_unions(
    store: GraphStore, clusters: Clusters, minter: Minter, old: dict[str, str], replaced: Iterable[str] = ()
) -> Written:
    """Bring the union graphs in line with `clusters`: write the new and changed ones (each with its
    digest), a chunk at a time; drop those of `old` (graph -> digest) that no cluster has any more;
    leave the unchanged ones alone. `replaced`: graphs to drop as well (an earlier layout's)."""
    outcome = Written()
    graphs: list[NamedNode] = []
    lines: list[str] = []
    for members in clusters.instances.values():
        graph, statements = union_lines([clusters.records[m] for m in members], clusters.reasons, minter)
        stamp = digest(statements)
        if old.pop(graph, None) == stamp:
            outcome.kept += 1
            continue
        suffix = f" <{graph}> .\n"
        lines += [line + suffix for line in statements]
        lines.append(f"<{graph}> {_DIGEST} {Literal(stamp)}{suffix}")
        graphs.append(NamedNode(graph))
        outcome.written += 1
        if len(lines) >= WRITE_QUADS:
            store.load_graphs(graphs, "".join(lines).encode())
            graphs, lines = [], []
    if graphs:
        store.load_graphs(graphs, "".join(lines).encode())
    for graph in [*old, *replaced]:
        outcome.removed += store.remove_record(NamedNode(graph))
    return outcome


def pending(store: GraphStore, minter: Minter) -> bool:
    """Whether records were changed since the union catalogue was last reclustered for them (an
    ingest was cut off before it reclustered, or ran without)."""
    return store.query_bool("graph_not_empty", graph=_state_graph(minter))


def mark_pending(store: GraphStore, minter: Minter) -> None:
    """Say, before changing records, that the union catalogue will need reclustering; `recluster`
    clears it. An ingest that finds it set from an earlier run reclusters the whole store: the
    records that run committed are unchanged now and would not be counted as touched."""
    when = Literal(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    state = _state_graph(minter)
    store.replace_graph(state, [(state, LODV.reclusterPending, when)])
    store.flush()


def _state_graph(minter: Minter) -> NamedNode:
    return minter.data_graph("union-state")


def recluster(
    store: GraphStore,
    minter: Minter,
    overrides: str | os.PathLike[str] | None = None,
    touched: Iterable[str] | None = None,
) -> Clusters:
    """Recompute the clusters and rewrite the union graphs that changed: of the whole store, or
    (with `touched`, the Instances an ingest loaded, changed or withdrew) of the records connected
    to those, unless there are too many of them; then count the store's figures again
    (lod.figures). Clears `pending`: callers pass `touched` only when nothing was pending before
    their changes."""
    rules = read_overrides(overrides)
    part = None if touched is None else connected_records(store, touched, rules)
    if part is None:
        clusters = cluster(read_records(store), rules)
        legacy = [minter.data_graph("clusters").value]  # the single graph of earlier versions
        clusters.written = write_unions(store, clusters, minter, union_digests(store), legacy)
    else:
        records, graphs = part
        clusters = cluster(records, rules)
        clusters.written = write_unions(store, clusters, minter, union_digests(store, graphs))
        clusters.partial = True
    figures.refresh(store, minter, leaving=[_state_graph(minter)])
    store.remove_record(_state_graph(minter))
    store.flush()
    return clusters


class Touched:
    """The record graphs an ingest loaded or withdrew, so that only what they connect to is
    clustered again; past `limit` of them the whole store will be, and they are no longer kept."""

    def __init__(self, limit: int = INCREMENTAL_LIMIT) -> None:
        self.limit = limit
        self.graphs: set[str] | None = set()

    def add(self, graphs: Iterable[str]) -> None:
        if self.graphs is not None:
            self.graphs.update(graphs)
            if len(self.graphs) > self.limit:
                self.graphs = None

    def instances(self, store: GraphStore, minter: Minter) -> list[str] | None:
        """The Instances whose clusters the changes can move (None: too many to tell one by one):
        each record's own (same id: lod.uris), and those its Items are, or were, items of."""
        if self.graphs is None:
            return None
        prefix = minter.record_graph("").value
        found: dict[str, None] = {}
        for graph in sorted(self.graphs):
            if graph.startswith(prefix):
                found[minter.instance(graph[len(prefix) :]).value] = None
            for row in _solutions(store, "instances_of_graph", g=NamedNode(graph)):
                found[row["instance"].value] = None
        return list(found)


def _solutions(store: GraphStore, name: str, **bindings: NamedNode | Literal) -> QuerySolutions:
    solutions = store.canned(name, **bindings)
    assert isinstance(solutions, QuerySolutions), name
    return solutions


def _pairs(store: GraphStore, name: str, first: str, second: str) -> Iterator[tuple[str, str]]:
    solutions = _solutions(store, name)
    names = [v.value for v in solutions.variables]
    i, j = names.index(first), names.index(second)  # by position: a quarter faster than by name
    for row in solutions:
        yield row[i].value, row[j].value
