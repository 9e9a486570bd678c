"""How many records each library sent to the union catalogue and how many items it holds there.

Counting them takes one pass over every Instance and Item (about 4 s at 100,000 records, and
Oxigraph takes as long for one library as for all of them), far too slow for a library's page, the
list or the map. So they are counted once, after every change to the records (`lod.unions.recluster`
calls `refresh`, before it clears the pending mark: an ingest cut off before then leaves the mark,
and the next one reclusters and counts again), and kept in a graph of their own as
`lodv:recordCount` and `lodv:itemCount` of each library. A store that was never counted (made
before these figures were kept) is counted on each view, as it was.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import LODV, XSD

Counts = dict[tuple[str, str], int]
"""(library IRI, 'records' or 'items') -> how many; a library that has none is absent."""

PROPERTIES = {"records": LODV.recordCount, "items": LODV.itemCount}


def counts_graph(minter: Minter) -> NamedNode:
    return minter.data_graph("library-counts")


def count(store: GraphStore, library: NamedNode | None = None) -> Counts:
    """Counted now, over the whole store (or for one library)."""
    rows = store.canned("library_counts", **({"library": library} if library is not None else {}))
    assert isinstance(rows, QuerySolutions)
    return {(row["library"].value, row["kind"].value): int(row["n"].value) for row in rows}


def refresh(store: GraphStore, minter: Minter) -> Counts:
    """Count again and replace the kept figures with the new ones (in one transaction)."""
    found = count(store)
    graph = counts_graph(minter)
    triples = [
        (NamedNode(library), PROPERTIES[kind], Literal(str(n), datatype=XSD.integer))
        for (library, kind), n in sorted(found.items())
    ]
    store.replace_graph(graph, triples)
    return found


def kept(store: GraphStore, minter: Minter) -> Counts | None:
    """The figures `refresh` kept; None when the store was never counted."""
    graph = counts_graph(minter)
    if not store.query_bool("graph_not_empty", graph=graph):
        return None
    rows = store.canned("library_counts_kept", graph=graph)
    assert isinstance(rows, QuerySolutions)
    kinds = {p.value: kind for kind, p in PROPERTIES.items()}
    return {(row["library"].value, kinds[row["property"].value]): int(row["n"].value) for row in rows}
