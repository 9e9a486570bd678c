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

For the dataset's VoID description (lod.dataset) they also hold a class partition for every class
(not only those pages show), a property partition per property (`void:property`, `void:triples`:
the statements are counted by property in the one scan that counted them all) and the links to
other datasets (`void:subset` nodes with `void:linkPredicate`, `void:objectsTarget` and
`void:triples`; `link_counts.rq` says which properties are read). Nothing in them depends on when
they were counted: the same store gives the same figures, on either backend.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

from lod.store import GraphStore, class_counts_from, kinds_from
from lod.triples import AnyTriple
from lod.uris import Minter
from lod.vocab import LODV, VOID, XSD

LibraryCounts = dict[tuple[str, str], int]
"""(library IRI, 'records' or 'items') -> how many; a library that has none is absent."""

LIBRARY_PROPERTIES = {"records": LODV.recordCount, "items": LODV.itemCount}
LinkCounts = dict[tuple[str, str], int]
"""(link property IRI, target dataset IRI) -> statements; see `link_target`."""

_LINK_TARGETS = (
    (re.compile(r"^(http://id\.loc\.gov/(?:vocabulary|authorities)/[A-Za-z0-9]+)/"), r"\1"),
    (re.compile(r"^https?://www\.wikidata\.org/(?:entity|wiki)/Q"), "http://www.wikidata.org/"),
    (re.compile(r"^https?://viaf\.org/viaf/"), "http://viaf.org/"),
)


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
    properties = _counted(store.canned("property_counts"), "property")
    for triples in passing:
        properties.subtract(t.predicate.value for t in triples)
    properties = +properties  # drops what only the passing graphs had
    found = _Found(
        classes=class_counts_from(store.canned("class_counts")),
        libraries=count_libraries(store),
        links=_links(store),
        graphs=store.graph_count() - sum(1 for t in passing if t) + 1,
    )
    # The figures count their own statements too. How many they have of each property does not
    # depend on the numbers they hold, only on which properties have a partition: drafted with
    # the data's properties and then their own too (until no new one appears: twice, or three
    # times in an empty store), they hold the partitions they will have, and can be counted.
    keys = set(properties)
    while True:
        own = Counter(t[1].value for t in found.triples(minter, dict.fromkeys(keys, 0)))
        if set(own) <= keys:
            break
        keys |= set(own)
    properties.update(own)
    store.replace_graph(graph, found.triples(minter, properties))


@dataclass
class _Found:
    """What `refresh` counted, to be written as the figures' statements."""

    classes: dict[str, int]
    libraries: LibraryCounts
    links: LinkCounts
    graphs: int

    def triples(self, minter: Minter, properties: Mapping[str, int]) -> list[AnyTriple]:
        dataset = NamedNode(minter.base)
        triples: list[AnyTriple] = []
        for cls, n in sorted(self.classes.items()):
            partition = BlankNode()
            triples += [
                (dataset, VOID.classPartition, partition),
                (partition, VOID["class"], NamedNode(cls)),
                (partition, VOID.entities, _integer(n)),
            ]
        for prop, n in sorted(properties.items()):
            partition = BlankNode()
            triples += [
                (dataset, VOID.propertyPartition, partition),
                (partition, VOID.property, NamedNode(prop)),
                (partition, VOID.triples, _integer(n)),
            ]
        for (prop, target), n in sorted(self.links.items()):
            linkset = BlankNode()
            triples += [
                (dataset, VOID.subset, linkset),
                (linkset, VOID.linkPredicate, NamedNode(prop)),
                (linkset, VOID.objectsTarget, NamedNode(target)),
                (linkset, VOID.triples, _integer(n)),
            ]
        for (library, kind), n in sorted(self.libraries.items()):
            triples.append((NamedNode(library), LIBRARY_PROPERTIES[kind], _integer(n)))
        statements = sum(properties.values())
        triples += [
            (dataset, VOID.triples, _integer(statements)),
            (dataset, LODV.graphCount, _integer(self.graphs)),
        ]
        return triples


def link_target(iri: str) -> str | None:
    """The dataset an IRI of another dataset belongs to, as VoID names linksets' targets: one of
    id.loc.gov's vocabularies or authorities ('http://id.loc.gov/vocabulary/languages'), Wikidata,
    VIAF; None for any other IRI (this dataset's own, or one not described)."""
    for pattern, target in _LINK_TARGETS:
        match = pattern.match(iri)
        if match is not None:
            return match.expand(target)
    return None


def _links(store: GraphStore) -> LinkCounts:
    counts: Counter[tuple[str, str]] = Counter()
    rows = store.canned("link_counts")
    assert isinstance(rows, QuerySolutions)
    for row in rows:
        target = link_target(row["target"].value)
        if target is not None:
            counts[(row["property"].value, target)] += int(row["n"].value)
    return dict(counts)


def _counted(solutions: object, key: str) -> Counter[str]:
    """Rows of (?key, ?n) as a Counter."""
    assert isinstance(solutions, QuerySolutions)
    return Counter({row[key].value: int(row["n"].value) for row in solutions})


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


@dataclass(frozen=True)
class KeptFigures:
    """Everything `refresh` kept, for the VoID description (lod.dataset)."""

    triples: int
    graphs: int
    classes: dict[str, int] = field(default_factory=dict)
    """Class IRI -> entities."""
    properties: dict[str, int] = field(default_factory=dict)
    """Property IRI -> statements."""
    links: LinkCounts = field(default_factory=dict)
    libraries: LibraryCounts = field(default_factory=dict)


def kept_figures(store: GraphStore, minter: Minter) -> KeptFigures | None:
    """The whole figures graph (a few statements per class, property, linkset and library, read
    at once), or None when the store was never counted."""
    triples = store.graph_triples(figures_graph(minter))
    dataset = NamedNode(minter.base)
    by_node: dict[object, dict[NamedNode, Triple]] = {}
    totals: dict[NamedNode, int] = {}
    libraries: LibraryCounts = {}
    kinds = {p: kind for kind, p in LIBRARY_PROPERTIES.items()}
    for t in triples:
        if t.subject == dataset and isinstance(t.object, Literal):
            totals[t.predicate] = int(t.object.value)
        elif t.predicate in kinds and isinstance(t.object, Literal):
            libraries[(t.subject.value, kinds[t.predicate])] = int(t.object.value)  # type: ignore[union-attr]
        elif isinstance(t.subject, BlankNode):
            by_node.setdefault(t.subject, {})[t.predicate] = t
    if VOID.triples not in totals:
        return None
    classes: dict[str, int] = {}
    properties: dict[str, int] = {}
    links: LinkCounts = {}
    for node in by_node.values():
        number = node.get(VOID.entities) or node.get(VOID.triples)
        if number is None:
            continue
        n = int(_value(number))
        if VOID["class"] in node:
            classes[_value(node[VOID["class"]])] = n
        elif VOID.property in node:
            properties[_value(node[VOID.property])] = n
        elif VOID.linkPredicate in node and VOID.objectsTarget in node:
            links[(_value(node[VOID.linkPredicate]), _value(node[VOID.objectsTarget]))] = n
    return KeptFigures(
        totals[VOID.triples], totals.get(LODV.graphCount, 0), classes, properties, links, libraries
    )


def _value(triple: Triple) -> str:
    """The object's IRI or lexical form."""
    obj = triple.object
    return obj.value if isinstance(obj, (NamedNode, Literal)) else str(obj)


def _integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)
