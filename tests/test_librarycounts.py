"""Each library's records and items are counted after every recluster and kept in a graph of their
own (lod.librarycounts), in both store backends: the kept figures are what counting now gives, they
follow updates and withdrawals, and a store never counted is counted on each view instead."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from lod.ingest import ingest_file
from lod.libraries import library_detail, list_libraries
from lod.librarycounts import count, counts_graph, kept
from lod.store import GraphStore
from lod.unions import recluster
from lod.uris import Minter
from lod.vocab import BF, LODV, XSD
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
    assert kept(store, minter) is None  # nothing counted before the union catalogue is made
    recluster(store, minter)
    found = kept(store, minter)
    assert found == count(store)
    assert {library: found[(library, "records")] for library in loaded} == loaded
    items = {library: found.get((library, "items"), 0) for library in loaded}
    assert items == {library: held(store, NamedNode(library)) for library in loaded}
    assert items[minter.library("VN-TEST1").value] > 0


def test_kept_as_typed_integers_of_each_library(store, minter, tmp_path) -> None:  # noqa: F811
    load(store, minter, tmp_path)
    recluster(store, minter)
    triples = store.graph_triples(counts_graph(minter))
    assert {t.predicate for t in triples} == {LODV.recordCount, LODV.itemCount}
    assert all(t.object.datatype == XSD.integer for t in triples)  # type: ignore[union-attr]
    subjects = {t.subject.value for t in triples}  # type: ignore[union-attr]
    assert subjects == {minter.library(code).value for code in [*LIBRARIES, "VN-TEST1"]}


def test_follow_a_withdrawal(store, minter, tmp_path) -> None:  # noqa: F811
    load(store, minter, tmp_path)
    recluster(store, minter)
    library = minter.library("VN-A").value
    before = kept(store, minter)
    assert before is not None
    gone = deleted(tmp_path / "withdrawn.mrc", LIBRARIES["VN-A"][:1])
    ingest_file(store, gone, "VN-A", minter)
    assert kept(store, minter) == before  # kept until the union catalogue is remade
    recluster(store, minter)
    after = kept(store, minter)
    assert after is not None and after == count(store)
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
    graph = counts_graph(minter)
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
    assert kept(embedded, minter) is None
    detail = library_detail(embedded, minter, test1)
    assert detail is not None
    assert (detail.summary.records, detail.summary.items) == (loaded[test1.value], held(embedded, test1))


def _integer(n: int):  # type: ignore[no-untyped-def]
    from pyoxigraph import Literal

    return Literal(str(n), datatype=XSD.integer)
