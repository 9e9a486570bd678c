"""The store's figures (the dataset's statements, graphs and entities; each library's records and
items) are counted after every recluster and kept in a graph of their own (lod.figures), in both
store backends: the kept figures are what counting now gives, they follow updates and withdrawals,
pages read them, and a store never counted is counted on each view instead."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from lod.figures import (
    count_dataset,
    count_libraries,
    figures_graph,
    kept_dataset,
    kept_figures,
    kept_libraries,
    link_target,
)
from lod.ingest import ingest_file
from lod.libraries import library_detail, list_libraries
from lod.registry import ingest_registry
from lod.store import GraphStore
from lod.unions import recluster
from lod.uris import Minter
from lod.vocab import BF, ID_LANGUAGES, LODV, OWL, RDF, VOID, WIKIDATA, XSD
from tests.conftest import SAMPLE
from tests.test_clustering import LIBRARIES, write
from tests.test_libraries import EXTRA, REGISTRY
from tests.test_store_backends import sparql_server, store  # noqa: F401  (fixtures: both backends)
from tests.test_unions import deleted


def held(target: GraphStore, library: NamedNode) -> int:
    """Items held, found apart from lod/queries (no type, no aggregate)."""
    query = f"SELECT DISTINCT ?item WHERE {{ ?item <{BF.heldBy.value}> <{library.value}> }}"
    return len(list(target.query(query)))  # type: ignore[arg-type]


def load(target: GraphStore, minter: Minter, tmp_path: Path) -> dict[str, int]:
    """The three libraries of tests/test_clustering.py and the Vietnamese sample (with items, held
    by VN-TEST1); returns the records each library loaded."""
    loaded = {}
    for library, books in LIBRARIES.items():
        report = ingest_file(target, write(tmp_path / f"{library}.mrc", books), library, minter)
        loaded[minter.library(library).value] = report.loaded
    report = ingest_file(target, SAMPLE / "vietnamese.xml", "VN-TEST1", minter)
    loaded[minter.library("VN-TEST1").value] = report.loaded
    return loaded


def test_kept_after_recluster_and_equal_to_counting_now(store, minter, tmp_path) -> None:  # noqa: F811
    loaded = load(store, minter, tmp_path)
    assert kept_libraries(store, minter) is None  # nothing counted before the union catalogue is made
    recluster(store, minter)
    found = kept_libraries(store, minter)
    assert found == count_libraries(store)
    assert {library: found[(library, "records")] for library in loaded} == loaded
    items = {library: found.get((library, "items"), 0) for library in loaded}
    assert items == {library: held(store, NamedNode(library)) for library in loaded}
    assert items[minter.library("VN-TEST1").value] > 0


def test_the_dataset_figures_are_what_counting_after_the_recluster_gives(store, minter, tmp_path) -> None:  # noqa: F811
    load(store, minter, tmp_path)
    assert kept_dataset(store, minter) is None
    recluster(store, minter)
    found = kept_dataset(store, minter)
    assert found is not None and found == count_dataset(store)  # the figures themselves counted in
    assert found["instances"] == sum(len(books) for books in LIBRARIES.values()) + 12
    assert found["union_instances"] > 0 and found["libraries"] == len(LIBRARIES) + 1


def test_kept_as_typed_integers(store, minter, tmp_path) -> None:  # noqa: F811
    load(store, minter, tmp_path)
    recluster(store, minter)
    triples = store.graph_triples(figures_graph(minter))
    libraries = {minter.library(code).value for code in [*LIBRARIES, "VN-TEST1"]}
    of_libraries = [t for t in triples if t.subject.value in libraries]  # type: ignore[union-attr]
    assert {t.predicate for t in of_libraries} == {LODV.recordCount, LODV.itemCount}
    assert {t.subject.value for t in of_libraries} == libraries  # type: ignore[union-attr]
    numbers = [t for t in triples if t.predicate in (VOID.triples, VOID.entities, LODV.graphCount)]
    kept = kept_figures(store, minter)
    assert kept is not None
    # void:triples and lodv:graphCount, the entities of each class, the statements of each property
    # and of each linkset
    assert len(numbers) == 2 + len(kept.classes) + len(kept.properties) + len(kept.links)
    assert all(t.object.datatype == XSD.integer for t in numbers + of_libraries)  # type: ignore[union-attr]


def test_the_void_figures_are_what_counting_apart_from_lod_queries_gives(store, minter, tmp_path) -> None:  # noqa: F811
    """Every class's entities, every property's statements (the figures' own included) and the
    links to other datasets, counted here from the statements themselves."""
    load(store, minter, tmp_path)
    extra = tmp_path / "extra.csv"
    extra.write_text(EXTRA, encoding="utf-8")  # a library with a Wikidata id
    for path in (REGISTRY, extra):
        assert not ingest_registry(store, path, minter).errors
    recluster(store, minter)
    kept = kept_figures(store, minter)
    assert kept is not None
    statements = [q.triple for q in store.quads()]
    assert kept.triples == len(statements) == store.triple_count()
    assert kept.properties == dict(Counter(t.predicate.value for t in statements))
    typed: dict[str, set[str]] = {}
    for t in statements:
        if t.predicate == RDF.type:
            typed.setdefault(t.object.value, set()).add(str(t.subject))  # type: ignore[union-attr]
    assert kept.classes == {cls: len(entities) for cls, entities in typed.items()}
    assert kept.libraries == kept_libraries(store, minter)
    languages = sum(
        1
        for t in statements
        if t.predicate == BF.language and t.object.value.startswith(ID_LANGUAGES)  # type: ignore[union-attr]
    )
    assert languages > 0
    assert kept.links[(BF.language.value, ID_LANGUAGES.rstrip("/"))] == languages
    wikidata = sum(
        1
        for t in statements
        if t.predicate == OWL.sameAs and t.object.value.startswith(WIKIDATA)  # type: ignore[union-attr]
    )
    assert wikidata > 0 and kept.links[(OWL.sameAs.value, "http://www.wikidata.org/")] == wikidata
    assert all(target != minter.base for _, target in kept.links)


def test_the_figures_count_themselves_even_in_an_empty_store(minter) -> None:
    from lod.figures import refresh
    from lod.store import OxigraphStore

    empty = OxigraphStore.open(None)
    refresh(empty, minter)
    kept = kept_figures(empty, minter)
    assert kept is not None
    statements = [q.triple for q in empty.quads()]
    assert kept.triples == len(statements) == empty.triple_count()
    assert kept.properties == dict(Counter(t.predicate.value for t in statements))
    refresh(empty, minter)  # counting again counts the same
    assert kept_figures(empty, minter) == kept


@pytest.mark.parametrize(
    ("iri", "target"),
    [
        ("http://id.loc.gov/vocabulary/languages/vie", "http://id.loc.gov/vocabulary/languages"),
        ("http://id.loc.gov/vocabulary/relators/aut", "http://id.loc.gov/vocabulary/relators"),
        ("http://id.loc.gov/authorities/names/n79021164", "http://id.loc.gov/authorities/names"),
        ("http://www.wikidata.org/entity/Q1093346", "http://www.wikidata.org/"),
        ("http://viaf.org/viaf/96994450", "http://viaf.org/"),
        ("http://data.test/resource/agent/abc", None),
        ("http://id.loc.gov/ontologies/bibframe/Work", None),
        ("https://w3id.org/vn-library-lod/vocab/library-type/public", None),
    ],
)
def test_link_targets(iri: str, target: str | None) -> None:
    assert link_target(iri) == target


def test_follow_a_withdrawal(store, minter, tmp_path) -> None:  # noqa: F811
    load(store, minter, tmp_path)
    recluster(store, minter)
    library = minter.library("VN-A").value
    before = kept_libraries(store, minter)
    assert before is not None
    gone = deleted(tmp_path / "withdrawn.mrc", LIBRARIES["VN-A"][:1])
    ingest_file(store, gone, "VN-A", minter)
    assert kept_libraries(store, minter) == before  # kept until the union catalogue is remade
    recluster(store, minter)
    after = kept_libraries(store, minter)
    assert after is not None and after == count_libraries(store)
    assert after[(library, "records")] == before[(library, "records")] - 1
    assert {k: v for k, v in after.items() if k[0] != library} == {
        k: v for k, v in before.items() if k[0] != library
    }


def test_pages_read_the_kept_figures(minter, tmp_path) -> None:
    """Kept figures are what the list and a library's page show, even when the records changed
    since (until the next recluster counts again): they are read, not counted on each view."""
    from lod.store import OxigraphStore

    embedded = OxigraphStore.open(None)
    load(embedded, minter, tmp_path)
    recluster(embedded, minter)
    test1 = minter.library("VN-TEST1")
    graph = figures_graph(minter)
    embedded.replace_graph(
        graph, [(test1, LODV.recordCount, _integer(7)), (test1, LODV.itemCount, _integer(3))]
    )
    detail = library_detail(embedded, minter, test1)
    assert detail is not None and (detail.summary.records, detail.summary.items) == (7, 3)
    listed = {s.iri: s for s in list_libraries(embedded, minter)}
    assert all((s.records, s.items) == (0, 0) for iri, s in listed.items() if iri != test1.value)


def test_a_store_never_counted_is_counted_on_each_view(minter, tmp_path) -> None:
    from lod.store import OxigraphStore

    embedded = OxigraphStore.open(None)
    loaded = load(embedded, minter, tmp_path)
    test1 = minter.library("VN-TEST1")
    assert kept_libraries(embedded, minter) is None
    detail = library_detail(embedded, minter, test1)
    assert detail is not None
    assert (detail.summary.records, detail.summary.items) == (loaded[test1.value], held(embedded, test1))


def test_the_home_page_reads_the_kept_figures(minter, settings, tmp_path) -> None:
    from lod.store import OxigraphStore
    from lod.web import create_app

    embedded = OxigraphStore.open(None)
    load(embedded, minter, tmp_path)
    recluster(embedded, minter)
    dataset = NamedNode(minter.base)
    graph = figures_graph(minter)
    kept_triples = [t for t in embedded.graph_triples(graph) if t.predicate != VOID.triples]
    embedded.replace_graph(graph, [*kept_triples, (dataset, VOID.triples, _integer(123456))])
    page = create_app(settings, store=embedded).test_client().get("/", headers={"Accept": "text/html"})
    assert 'data-count="triples">123.456<' in page.text


def _integer(n: int):  # type: ignore[no-untyped-def]
    from pyoxigraph import Literal

    return Literal(str(n), datatype=XSD.integer)
