"""Reclustering only what an ingest touched gives what reclustering the whole store gives: after an
update that moves a record into another cluster, a withdrawal and a new library's records; and it
falls back to the whole store past its limit."""

from __future__ import annotations

from pathlib import Path

from lod.ingest import ingest_file
from lod.store import OxigraphStore
from lod.unions import Touched, recluster
from lod.uris import Minter
from lod.vocab import BF
from tests.test_clustering import LIBRARIES, Book, write
from tests.test_updates import dataset, same


def build(tmp_path: Path, minter: Minter, name: str) -> OxigraphStore:
    """The three libraries of tests/test_clustering.py, clustered."""
    store = OxigraphStore.open(None)
    for library, books in LIBRARIES.items():
        ingest_file(store, write(tmp_path / f"{name}-{library}.mrc", books), library, minter)
    recluster(store, minter)
    return store


def apply(
    store: OxigraphStore, minter: Minter, changes: list[tuple[Path, str]], partial: bool = True
) -> Touched:
    """Ingest the changes, then recluster the part they touched (asserting it stayed partial)."""
    touched = Touched()
    for path, library in changes:
        ingest_file(store, path, library, minter, touched=touched)
    instances = touched.instances(store, minter)
    found = recluster(store, minter, touched=instances)
    assert found.partial is partial
    return touched


def union_part(store: OxigraphStore, minter: Minter) -> dict:
    prefix = minter.union_graph("").value
    return {name: graph for name, graph in dataset(store, minter).items() if name.startswith(prefix)}


def check_against_whole(store: OxigraphStore, minter: Minter) -> None:
    """The union graphs equal those a recluster of the whole store writes (which then changes nothing)."""
    partial = union_part(store, minter)
    whole = recluster(store, minter)
    assert whole.written is not None and whole.written.written == whole.written.removed == 0
    assert same(partial, union_part(store, minter))


def deleted(path: Path, books: list[Book]) -> Path:
    """The records as ISO 2709 with leader/05 = d (withdrawn)."""
    write(path, books)
    data = path.read_bytes().replace(b"nam a22", b"dam a22")
    path.write_bytes(data)
    return path


def test_an_update_that_moves_a_record_reclusters_only_its_part(tmp_path: Path, minter: Minter) -> None:
    store = build(tmp_path, minter, "s")
    fixed = [("c2", "Tắt đèn", "Ngô, Tất Tố", "2010", "Kim Đồng", None)]  # joins a3 + b3
    touched = apply(store, minter, [(write(tmp_path / "fix.mrc", fixed), "VN-C")])
    assert touched.graphs is not None and len(touched.graphs) == 1
    check_against_whole(store, minter)


def test_a_withdrawal_reclusters_its_part(tmp_path: Path, minter: Minter) -> None:
    store = build(tmp_path, minter, "s")
    gone = deleted(tmp_path / "gone.mrc", [LIBRARIES["VN-B"][0]])  # b1 leaves the Truyện Kiều cluster
    apply(store, minter, [(gone, "VN-B")])
    check_against_whole(store, minter)
    unions = minter.union_graph("").value
    held = [q for q in store.quads() if q.predicate == BF.hasItem and q.graph_name.value.startswith(unions)]
    assert len(held) == sum(len(books) for books in LIBRARIES.values()) - 1  # b1's copy is gone


def test_a_new_library_joins_existing_clusters(tmp_path: Path, minter: Minter) -> None:
    store = build(tmp_path, minter, "s")
    books: list[Book] = [
        ("d1", "Truyện Kiều", "Nguyễn, Du", "2015", "Văn học", "9780306406157"),  # joins a1 + b1 + c1
        ("d2", "Tắt đèn", "Ngô, Tất Tố", "2012", "Kim Đồng", None),  # joins c2 (bare + bare)
        ("d3", "Sách mới", "Ai, Đó", "2020", "Trẻ", "9786040000008"),  # alone
    ]
    apply(store, minter, [(write(tmp_path / "d.mrc", books), "VN-D")])
    check_against_whole(store, minter)


def test_past_its_limit_the_whole_store_is_reclustered(tmp_path: Path, minter: Minter) -> None:
    store = build(tmp_path, minter, "s")
    touched = Touched(limit=2)
    changed = [(c, t, a, y, "Nhà xuất bản khác", i) for c, t, a, y, _, i in LIBRARIES["VN-A"]]
    ingest_file(store, write(tmp_path / "a.mrc", changed), "VN-A", minter, touched=touched)
    assert touched.graphs is None and touched.instances(store, minter) is None
    assert recluster(store, minter, touched=None).partial is False
    few = recluster(store, minter, touched=[next(iter(store.graph_names(minter.record_graph("").value)))])
    assert few.partial is True
    # a part that grows past the limit while it is followed is given up for the whole store
    from lod.clustering import Overrides
    from lod.unions import connected_records

    instance = minter.instance(minter.record_id("VN-A", "a1")).value
    assert connected_records(store, [instance], Overrides(), limit=1) is None
    part = connected_records(store, [instance], Overrides())
    assert part is not None and len(part[0]) == 3  # a1, b1, c1


def test_incremental_and_whole_agree_on_a_fresh_store(tmp_path: Path, minter: Minter) -> None:
    """Loading everything with the part-wise recluster after each library gives the same union
    catalogue as loading everything and reclustering once."""
    step = OxigraphStore.open(None)
    for library, books in LIBRARIES.items():
        apply(step, minter, [(write(tmp_path / f"step-{library}.mrc", books), library)])
    once = build(tmp_path, minter, "once")
    assert same(union_part(step, minter), union_part(once, minter))


def test_touched_ignores_graphs_that_are_not_records(minter: Minter) -> None:
    store = OxigraphStore.open(None)
    touched = Touched()
    touched.add([minter.data_graph("units").value])
    assert touched.instances(store, minter) == []


def test_an_ingest_left_unclustered_makes_the_next_one_recluster_everything(tmp_path: Path) -> None:
    """`--no-cluster` (or an ingest cut off before it reclustered) leaves a mark in the store; the
    next ingest then reclusters the whole store, since the records the first one loaded are
    unchanged now and would not count as touched. Reclustering clears the mark."""
    from tests.conftest import run_lod

    store = str(tmp_path / "store")
    first = write(tmp_path / "a.mrc", LIBRARIES["VN-A"])
    second = write(tmp_path / "b.mrc", LIBRARIES["VN-B"])
    base = ["--store", store, "--lang", "en", "ingest", "marc", "--library"]
    left = run_lod(*base, "VN-A", "--no-cluster", str(first))
    assert left.returncode == 0, left.stderr
    assert "Union catalogue" not in left.stderr
    whole = run_lod(*base, "VN-B", str(second))
    assert "Union catalogue: 6 records" in whole.stderr, whole.stderr  # VN-A's three as well
    part = run_lod(*base, "VN-C", str(write(tmp_path / "c.mrc", LIBRARIES["VN-C"])))
    assert "Union catalogue, the part the changes touch:" in part.stderr, part.stderr
    from lod.config import Settings
    from lod.unions import mark_pending, pending

    opened = OxigraphStore.open(store)
    minter = Minter(Settings().base_iri)  # what `lod` used
    assert not pending(opened, minter)
    mark_pending(opened, minter)
    assert pending(opened, minter)


def holdings(path: Path, copies: list[tuple[str, str, str]], status: str = "n") -> Path:
    """MARC holdings records (leader/06 x): (001, 004 of the bibliographic record, barcode)."""
    import pymarc

    with open(path, "wb") as out:
        for control, bib, barcode in copies:
            record = pymarc.Record(force_utf8=True)
            record.leader = pymarc.Leader(f"00000{status}x  a2200000un 4500")
            record.add_field(pymarc.Field(tag="001", data=control))
            record.add_field(pymarc.Field(tag="004", data=bib))
            record.add_field(pymarc.Field(tag="952", indicators=pymarc.Indicators(" ", " "),
                                          subfields=[pymarc.Subfield("p", barcode)]))  # fmt: skip
            out.write(record.as_marc())
    return path


def union_items(store: OxigraphStore, minter: Minter, library: str, control: str) -> set[str]:
    """The Items the union Instance of a library's record lists."""
    from lod.vocab import LODV

    instance = minter.instance(minter.record_id(library, control))
    (union,) = [
        q.object for q in store.quads() if q.subject == instance and q.predicate == LODV.unionInstance
    ]
    return {q.object.value for q in store.quads() if q.subject == union and q.predicate == BF.hasItem}


def test_a_holdings_record_adds_its_copies_to_the_union_and_its_withdrawal_takes_them_away(
    tmp_path: Path, minter: Minter
) -> None:
    store = build(tmp_path, minter, "s")
    before = union_items(store, minter, "VN-B", "b1")  # Truyện Kiều: a1 + b1 + c1
    copies = [("h1", "b1", "VV.h1-1"), ("h2", "b1", "VV.h1-2")]
    touched = apply(store, minter, [(holdings(tmp_path / "h.mrc", copies), "VN-B")])
    assert touched.graphs is not None and len(touched.graphs) == 2  # loaded, not quarantined
    added = union_items(store, minter, "VN-B", "b1") - before
    assert len(added) == 2
    assert union_items(store, minter, "VN-A", "a1") == before | added  # the same union Instance
    check_against_whole(store, minter)

    apply(store, minter, [(holdings(tmp_path / "h-gone.mrc", copies[:1], status="d"), "VN-B")])
    assert len(union_items(store, minter, "VN-B", "b1") - before) == 1
    check_against_whole(store, minter)
