"""Figures of the store, counted once after every change to the records and kept, so that pages
read them instead of counting on every view: the dataset's statements, graphs and entities of each
class (the home page), and each library's records sent and items held (its page, the list, the
map).

Counting on every view was too slow: at 100,000 records the home page's counts took 4 s (the
statements of the whole store), a library's 3.3 s (Oxigraph takes as long for one library, its IRI
bound, as for all of them). `lod.unions.recluster` calls `refresh` after every ingest, withdrawal or
retry, before it clears its pending mark: an ingest cut off before then leaves the mark, and the
next one reclusters and counts again. They are kept in the graph `data/figures`: the dataset (the
base IRI) with `void:triples`, `lodv:graphCount` and a VoID class partition per class
(`void:class`, `void:entities`), each library with `lodv:recordCount` and `lodv:itemCount`. A store
never counted (made before figures were kept) is counted on each view, as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions

from lod.store import GraphStore, class_counts_from, kinds_from
from lod.triples import AnyTriple
from lod.uris import Minter
from lod.vocab import LODV, VOID, XSD

LibraryCounts = dict[tuple[str, str], int]
"""(library IRI, 'records' or 'items') -> how many; a library that has none is absent."""

LIBRARY_PROPERTIES = {"records": LODV.recordCount, "items": LODV.itemCount}


def figures_graph(minter: Minter) -> NamedNode:
    return minter.data_graph("figures")


def count_libraries(store: GraphStore, library: NamedNode | None = None) -> LibraryCounts:
    """Counted now, over the whole store (or for one library)."""
    rows = store.canned("library_counts", **({"library": library} if library is not None else {}))
    assert isinstance(rows, QuerySolutions)
    return {(row["library"].value, row["kind"].value): int(row["n"].value) for row in rows}


def count_dataset(store: GraphStore) -> dict[str, int]:
    """Counted now: 'triples', 'graphs' and the entities of each kind (lod.store.kinds_from)."""
    return {"triples": store.triple_count(), "graphs": store.graph_count(), **store.counts()}


def refresh(store: GraphStore, minter: Minter, leaving: Sequence[NamedNode] = ()) -> None:
    """Count again and replace the kept figures with the new ones (in one transaction). They count
    the store as it is once they are written and the graphs `leaving` (a caller's bookkeeping,
    about to go) are gone: neither those graphs nor the previous figures are counted, the new
    figures are."""
    graph = figures_graph(minter)
    passing = [store.graph_triples(g) for g in (graph, *leaving)]
    classes = class_counts_from(store.canned("counts"))
    dataset = NamedNode(minter.base)
    triples: list[AnyTriple] = []
    for cls, n in sorted(classes.items()):
        partition = BlankNode()
        triples += [
            (dataset, VOID.classPartition, partition),
            (partition, VOID["class"], NamedNode(cls)),
            (partition, VOID.entities, _integer(n)),
        ]
    for (library, kind), n in sorted(count_libraries(store).items()):
        triples.append((NamedNode(library), LIBRARY_PROPERTIES[kind], _integer(n)))
    statements = store.triple_count() - sum(len(t) for t in passing) + len(triples) + 2
    graphs = store.graph_count() - sum(1 for t in passing if t) + 1
    triples += [(dataset, VOID.triples, _integer(statements)), (dataset, LODV.graphCount, _integer(graphs))]
    store.replace_graph(graph, triples)


def dataset_figures(store: GraphStore, minter: Minter) -> dict[str, int]:
    """The kept dataset figures or, in a store never counted, counted now."""
    return kept_dataset(store, minter) or count_dataset(store)


def library_figures(store: GraphStore, minter: Minter, library: NamedNode | None = None) -> LibraryCounts:
    """The kept library figures or, in a store never counted, counted now (for `library` alone when
    given: cheaper than counting every library)."""
    kept = kept_libraries(store, minter)
    return kept if kept is not None else count_libraries(store, library)


def kept_dataset(store: GraphStore, minter: Minter) -> dict[str, int] | None:
    """The dataset's figures as `count_dataset` has them, as `refresh` kept them; None when the
    store was never counted."""
    rows = store.canned("figures_of_dataset", graph=figures_graph(minter), dataset=NamedNode(minter.base))
    assert isinstance(rows, QuerySolutions)
    totals: dict[str, int] = {}
    classes: dict[str, int] = {}
    for row in rows:
        if row["triples"] is not None:
            totals = {"triples": int(row["triples"].value), "graphs": int(row["graphs"].value)}
        elif row["class"] is not None:
            classes[row["class"].value] = int(row["entities"].value)
    return {**totals, **kinds_from(classes)} if totals else None


def kept_libraries(store: GraphStore, minter: Minter) -> LibraryCounts | None:
    """The libraries' figures `refresh` kept; None when the store was never counted."""
    graph = figures_graph(minter)
    if not store.query_bool("graph_not_empty", graph=graph):
        return None
    rows = store.canned("figures_of_libraries", graph=graph)
    assert isinstance(rows, QuerySolutions)
    kinds = {p.value: kind for kind, p in LIBRARY_PROPERTIES.items()}
    return {(row["library"].value, kinds[row["property"].value]): int(row["n"].value) for row in rows}


def _integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)
