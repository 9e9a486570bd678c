"""The store's figures (the dataset's statements, graphs and entities; each library's records and
items) are counted after every recluster and kept in a graph of their own (lod.figures), in both
store backends: the kept figures are what counting now gives, they follow updates and withdrawals,
pages read them, and a store never counted is counted on each view instead."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from lod.figures import count_dataset, count_libraries, figures_graph, kept_dataset, kept_libraries
from lod.ingest import ingest_file
from lod.libraries import library_detail, list_libraries
from lod.store import GraphStore
from lod.unions import recluster
from lod.uris import Minter
from lod.vocab import BF, LODV, VOID, XSD
from tests.conftest import SAMPLE
from tests.test_clustering import LIBRARIES, write
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
    assert len(numbers) == 2 + 8  # void:triples, lodv:graphCount and the entities of eight classes
    assert all(t.object.datatype == XSD.integer for t in numbers + of_libraries)  # type: ignore[union-attr]


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
