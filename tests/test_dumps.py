"""Bulk dumps (lod.dumps, `lod dump`): a real pyoxigraph store with the sample, the registry, the
union catalogue and a withdrawn record, dumped into a temporary folder and read back."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tracemalloc
import urllib.request
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    parse,
)

from lod import dumps
from lod.dumps import DumpReport, _Graph, _Parts, _units, dump_days, read_manifest, write_dumps
from lod.errors import LodError
from lod.ingest import ingest_file
from lod.registry import ingest_registry
from lod.sparqlstore import SparqlStore
from lod.store import OxigraphStore
from lod.unions import recluster
from lod.uris import Minter
from lod.vocab import RDFS
from lod.withdrawal import library_graphs, withdraw
from tests.conftest import BASE, SAMPLE, run_lod, sample_entries

LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/"
DAY = date(2026, 7, 1)
FORMATS = {
    "nq": RdfFormat.N_QUADS,
    "nt": RdfFormat.N_TRIPLES,
    "ttl": RdfFormat.TURTLE,
    "jsonld": RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="module")
def full_store(minter: Minter) -> OxigraphStore:
    """The registry, the sample, one record withdrawn (so there are tombstones), then the union
    catalogue: every kind of graph the store has."""
    store = OxigraphStore.open(None)
    ingest_registry(store, SAMPLE / "registry.csv", minter)
    for path, library, label in sample_entries():
        ingest_file(store, path, library, minter, library_name=label)
    withdraw(store, minter, [NamedNode(store.graph_names(minter.record_graph("").value)[0])])
    recluster(store, minter)
    return store


@pytest.fixture(scope="module")
def dumped(full_store: OxigraphStore, minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> DumpReport:
    root = tmp_path_factory.mktemp("dumps")
    return write_dumps(full_store, root, minter, licence=LICENCE, day=DAY)


def quads_of(store: OxigraphStore) -> list[Quad]:
    return list(store.quads_for_pattern(None, None, None, None))


def read_part(path: Path) -> list[Quad]:
    fmt = FORMATS[path.name.removesuffix(".gz").rsplit(".", 1)[1]]
    with gzip.open(path) as data:
        found = parse(data, format=fmt, rename_blank_nodes=True)
        return [q if fmt == RdfFormat.N_QUADS else Quad(q.subject, q.predicate, q.object) for q in found]


def parts(folder: Path, dataset: str, extension: str) -> list[Path]:
    return sorted(folder.glob(f"{dataset}-part*.{extension}.gz"))


def canonical(quads: Iterable[Quad]) -> Dataset:
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def per_graph(quads: Iterable[Quad]) -> Counter[str]:
    return Counter(str(q.graph_name) for q in quads)


# round trip ----------------------------------------------------------------------------------------
def test_the_nquads_parts_load_back_into_the_same_store(
    dumped: DumpReport, full_store: OxigraphStore
) -> None:
    fresh = OxigraphStore(Store(), ":memory:")
    for part in parts(dumped.folder, "all", "nq"):
        with gzip.open(part) as data:
            fresh.load_graphs([], data.read())  # the bulk loader ingest uses
    original, loaded = quads_of(full_store), quads_of(fresh)
    assert per_graph(loaded) == per_graph(original)  # the same graphs, each as big
    assert len(per_graph(original)) > 100
    assert canonical(loaded) == canonical(original)  # isomorphic, graph names and all


def test_every_kind_of_graph_is_in_a_dataset(dumped: DumpReport, full_store: OxigraphStore) -> None:
    manifest = dumped.manifest
    kinds = {d.kind for d in manifest.datasets}
    assert kinds == {"all", "registry", "shared", "union", "library", "tombstones"}
    assert manifest.unassigned_records == 0
    everything = next(d for d in manifest.datasets if d.kind == "all")
    assert everything.triples == len(quads_of(full_store))
    # the datasets split the store: each statement of it is in exactly one of them
    assert sum(d.triples for d in manifest.datasets if d.kind != "all") == everything.triples
    dumped_triples = [
        quad
        for dataset in manifest.datasets
        if dataset.kind != "all"
        for part in parts(dumped.folder, dataset.id, "nt")
        for quad in read_part(part)
    ]
    stored = [Quad(q.subject, q.predicate, q.object) for q in quads_of(full_store)]
    assert len(dumped_triples) == len(stored)
    assert canonical(dumped_triples) == canonical(stored)


def test_a_library_dataset_holds_exactly_its_record_graphs(
    dumped: DumpReport, full_store: OxigraphStore, minter: Minter
) -> None:
    libraries = [d for d in dumped.manifest.datasets if d.kind == "library"]
    assert len(libraries) >= 10
    assert {d.id for d in libraries} >= {"library-DEMO-VN1", "library-US-DLC", "library-DE-101"}
    for dataset in libraries:
        assert dataset.library is not None
        graphs = library_graphs(full_store, minter, NamedNode(dataset.library))
        expected = [
            Quad(q.subject, q.predicate, q.object)
            for g in graphs
            for q in full_store.quads_for_pattern(None, None, None, NamedNode(g))
        ]
        found = [q for part in parts(dumped.folder, dataset.id, "nt") for q in read_part(part)]
        assert dataset.graphs == len(graphs)
        assert dataset.triples == len(expected) == len(found)
        assert canonical(found) == canonical(expected), dataset.id
    vn1 = next(d for d in libraries if d.id == "library-DEMO-VN1")
    assert vn1.labels["vi"]  # the library's name, for the page


def test_the_three_formats_of_a_part_hold_the_same_statements(dumped: DumpReport) -> None:
    for dataset in dumped.manifest.datasets:
        if dataset.kind == "all":
            continue
        triples = [parts(dumped.folder, dataset.id, ext) for ext in ("nt", "ttl", "jsonld")]
        assert len({len(p) for p in triples}) == 1, dataset.id
        for nt, ttl, jsonld in zip(*triples, strict=True):
            expected = canonical(read_part(nt))
            assert canonical(read_part(ttl)) == expected, ttl.name
            assert canonical(read_part(jsonld)) == expected, jsonld.name


# parts -------------------------------------------------------------------------------------------------
def test_parts_are_bounded_and_never_cut_a_record(
    full_store: OxigraphStore, minter: Minter, tmp_path: Path
) -> None:
    record, union = minter.record_graph("").value, minter.union_graph("").value
    sizes = per_graph(quads_of(full_store))
    largest = max(n for g, n in sizes.items() if g.startswith(("<" + record, "<" + union)))
    limit = largest + 10
    report = write_dumps(full_store, tmp_path, minter, licence=LICENCE, part_triples=limit, day=DAY)
    assert report.manifest.part_triples == limit
    assert all(0 < f.triples <= limit for f in report.manifest.files)
    in_parts: dict[str, set[str]] = {}
    for part in parts(report.folder, "all", "nq"):
        for quad in read_part(part):
            in_parts.setdefault(str(quad.graph_name), set()).add(part.name)
    assert len(parts(report.folder, "all", "nq")) > 50
    for graph, names in in_parts.items():
        if graph.startswith(("<" + record, "<" + union)):
            assert len(names) == 1, graph  # a record or a union entry is in one file
    assert len(in_parts[str(minter.shared_graph())]) > 1  # the shared graph is cut where parts fill
    for dataset in report.manifest.datasets:  # and no blank node is in two files
        extension = "nq" if dataset.kind == "all" else "nt"
        files_of_node: dict[str, set[str]] = {}
        for part in parts(report.folder, dataset.id, extension):
            with gzip.open(part) as data:  # labels as written
                for quad in parse(data, format=FORMATS[extension]):
                    for term in (quad.subject, quad.object):
                        if isinstance(term, BlankNode):
                            files_of_node.setdefault(term.value, set()).add(part.name)
        assert all(len(names) == 1 for names in files_of_node.values()), dataset.id
    everything = next(d for d in report.manifest.datasets if d.kind == "all")
    assert sum(f.triples for f in report.manifest.files_of("all")) == everything.triples


def graph(name: str, size: int, whole: bool) -> _Graph:
    node = NamedNode(f"http://ex.test/{name}")
    quads = (Quad(node, RDFS.label, Literal(str(i)), node) for i in range(size))
    return _Graph(node, quads, whole)


def sizes(graphs: Iterable[_Graph], limit: int) -> list[list[tuple[str, int]]]:
    """Each part as (graph, statements) runs."""
    found = []
    for part in _Parts(graphs, limit):
        runs: list[tuple[str, int]] = []
        for quad in part:
            name = quad.graph_name.value.rsplit("/", 1)[1]  # type: ignore[union-attr]
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + 1)
            else:
                runs.append((name, 1))
        found.append(runs)
    return found


def test_a_graph_kept_whole_starts_a_new_part_when_it_does_not_fit() -> None:
    graphs = [graph("a", 6, True), graph("b", 5, True), graph("c", 10, True), graph("d", 0, True)]
    assert sizes(graphs, 10) == [[("a", 6)], [("b", 5)], [("c", 10)]]


def test_other_graphs_are_cut_where_the_part_fills() -> None:
    graphs = [graph("a", 3, True), graph("shared", 25, False), graph("b", 4, True)]
    assert sizes(graphs, 10) == [[("a", 3), ("shared", 7)], [("shared", 10)], [("shared", 8)], [("b", 4)]]


def test_a_graph_bigger_than_a_part_is_cut_after_all() -> None:
    assert sizes([graph("a", 2, True), graph("huge", 23, True)], 10) == [
        [("a", 2), ("huge", 8)],
        [("huge", 10)],
        [("huge", 5)],
    ]
    assert sizes([graph("a", 10, False)], 10) == [[("a", 10)]]  # no empty part after a full one
    assert sizes([], 10) == []


def test_blank_nodes_of_a_graph_that_is_cut_stay_together() -> None:
    g = NamedNode("http://ex.test/units")
    iri = [NamedNode(f"http://ex.test/u{i}") for i in range(6)]
    b1, b2, b3 = BlankNode("b1"), BlankNode("b2"), BlankNode("b3")
    quads = [
        Quad(iri[0], RDFS.label, Literal("0"), g),
        Quad(iri[1], RDFS.seeAlso, b1, g),
        Quad(iri[2], RDFS.label, Literal("2"), g),
        Quad(b1, RDFS.label, Literal("b1"), g),
        Quad(b1, RDFS.seeAlso, b2, g),
        Quad(b3, RDFS.label, Literal("b3"), g),
        Quad(b2, RDFS.label, Literal("b2"), g),
        Quad(iri[3], RDFS.label, Literal("3"), g),
    ]
    cut = [
        [f"{q.subject} {q.object}" for q in part]
        for part in _Parts(_units([_Graph(g, iter(quads), False)]), 4)
    ]
    assert cut == [
        ['<http://ex.test/u0> "0"', '<http://ex.test/u2> "2"', '<http://ex.test/u3> "3"'],
        ["<http://ex.test/u1> _:b1", '_:b1 "b1"', "_:b1 _:b2", '_:b2 "b2"'],  # not cut: next part
        ['_:b3 "b3"'],
    ]


# checksums and manifest --------------------------------------------------------------------------------
def test_checksums_verify(dumped: DumpReport) -> None:
    folder = dumped.folder
    listed = dict(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(listed) == {f.name for f in dumped.manifest.files} | {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    for file in dumped.manifest.files:
        assert listed[file.name] == file.sha256
        assert (folder / file.name).stat().st_size == file.bytes
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=folder, capture_output=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_manifest_describes_every_file(dumped: DumpReport) -> None:
    data = json.loads((dumped.folder / "manifest.json").read_text(encoding="utf-8"))
    assert data["date"] == "2026-07-01"
    assert data["licence"] == LICENCE
    assert data["base_iri"] == BASE
    assert read_manifest(dumped.folder) == dumped.manifest
    first = data["files"][0]
    assert first == {
        "name": "all-part001.nq.gz",
        "dataset": "all",
        "format": "nq",
        "media_type": "application/n-quads",
        "part": 1,
        "triples": first["triples"],
        "bytes": first["bytes"],
        "sha256": first["sha256"],
        "encoding": "gzip",
    }
    media = {f["format"]: f["media_type"] for f in data["files"]}
    assert media == {
        "nq": "application/n-quads",
        "nt": "application/n-triples",
        "ttl": "text/turtle",
        "jsonld": "application/ld+json",
    }
    on_disk = {p.name for p in dumped.folder.iterdir()}
    assert on_disk == {f["name"] for f in data["files"]} | {"manifest.json", "SHA256SUMS"}


# the dated folder and latest ------------------------------------------------------------------------------
def test_a_second_dump_the_same_day_replaces_it_and_latest_moves_on(
    full_store: OxigraphStore, minter: Minter, tmp_path: Path
) -> None:
    first = write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    assert os.readlink(tmp_path / "latest") == "2026-07-01"
    (first.folder / "stray.txt").write_text("from the first run")
    inode = first.folder.stat().st_ino
    again = write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    assert again.folder == first.folder
    assert first.folder.stat().st_ino != inode  # a new folder took its place
    assert not (first.folder / "stray.txt").exists()
    # the same statements give the same bytes (no time nor name in the gzip headers)
    assert [f.sha256 for f in again.manifest.files] == [f.sha256 for f in first.manifest.files]
    later = write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=date(2026, 7, 2))
    assert os.readlink(tmp_path / "latest") == "2026-07-02"
    assert (tmp_path / "latest" / "SHA256SUMS").read_text() == (later.folder / "SHA256SUMS").read_text()
    assert dump_days(tmp_path) == ["2026-07-02", "2026-07-01"]
    kept = write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=date(2026, 7, 3), keep=2)
    assert kept.removed == ["2026-07-01"]
    assert dump_days(tmp_path) == ["2026-07-03", "2026-07-02"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "2026-07-02", "2026-07-03", "latest"]


def test_without_an_atomic_exchange_the_folder_is_still_replaced(
    full_store: OxigraphStore, minter: Minter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    (tmp_path / "2026-07-01" / "stray.txt").write_text("old")
    monkeypatch.setattr(dumps, "_exchange", lambda first, second: False)  # another OS or filesystem
    write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    assert not (tmp_path / "2026-07-01" / "stray.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "2026-07-01", "latest"]


def test_the_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").touch()
    (tmp_path / "b").mkdir()
    if not dumps._exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert (tmp_path / "b" / "from-a").exists()
    assert not (tmp_path / "a" / "from-a").exists()


def test_a_failed_dump_leaves_nothing_and_the_previous_one_stays(
    full_store: OxigraphStore, minter: Minter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    before = (tmp_path / "latest" / "SHA256SUMS").read_text()

    def full_disk(*args: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dumps, "_write_text", full_disk)
    with pytest.raises(LodError) as caught:
        write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    assert "No space left on device" in caught.value.message("en")
    assert caught.value.exit_code == 2
    assert (tmp_path / "latest" / "SHA256SUMS").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "2026-07-01", "latest"]


def test_one_dump_at_a_time(full_store: OxigraphStore, minter: Minter, tmp_path: Path) -> None:
    import fcntl

    with open(tmp_path / ".lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(LodError) as caught:
            write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    assert caught.value.key == "dump.busy"
    (tmp_path / ".2026-07-01.killed.tmp").mkdir()  # what a killed run leaves
    write_dumps(full_store, tmp_path, minter, licence=LICENCE, day=DAY)
    assert not (tmp_path / ".2026-07-01.killed.tmp").exists()


# memory -----------------------------------------------------------------------------------------------------
def synthetic_store(minter: Minter, records: int) -> OxigraphStore:
    """`records` record graphs of 20 statements, as many in the shared graph, in one library."""
    store = Store()
    library = minter.library("DEMO-MEM")
    bf = "http://id.loc.gov/ontologies/bibframe/"
    quads: list[Quad] = []
    for n in range(records):
        graph = minter.record_graph(f"r{n:07d}")
        instance = minter.instance(f"r{n:07d}")
        admin = BlankNode()
        quads.append(Quad(instance, NamedNode(bf + "adminMetadata"), admin, graph))
        quads.append(Quad(admin, NamedNode(bf + "assigner"), library, graph))
        quads.extend(
            Quad(instance, RDFS.label, Literal(f"Sách số {n}, tập {i}", language="vi"), graph)
            for i in range(18)
        )
        agent = minter.agent("Person", f"tác giả {n}")
        quads.extend(
            Quad(agent, RDFS.label, Literal(f"Tác giả {n} {i}"), minter.shared_graph()) for i in range(20)
        )
    store.extend(quads)
    return OxigraphStore(store, ":memory:")


def peak_while_dumping(store: OxigraphStore, minter: Minter, folder: Path) -> tuple[int, DumpReport]:
    tracemalloc.start()
    try:
        report = write_dumps(store, folder, minter, licence=LICENCE, part_triples=20_000, day=DAY)
        return tracemalloc.get_traced_memory()[1], report
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_store(minter: Minter, tmp_path: Path) -> None:
    small, small_report = peak_while_dumping(synthetic_store(minter, 200), minter, tmp_path / "small")
    big, big_report = peak_while_dumping(synthetic_store(minter, 2_000), minter, tmp_path / "big")
    assert big_report.manifest.triples == 80_000 == 10 * small_report.manifest.triples
    unpacked = 80_000 * 100  # bytes of N-Triples: what holding the data would cost at the least
    assert big < small + 2_000_000, (small, big)
    assert big < unpacked / 4, big


# the SPARQL server backend -------------------------------------------------------------------------------
@pytest.mark.server
def test_a_store_on_a_sparql_server_dumps_the_same(
    dumped: DumpReport, minter: Minter, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.test_store_backends import OXIGRAPH, oxigraph_server

    if not OXIGRAPH.exists():
        pytest.fail(f"{OXIGRAPH} is missing: install the test extra (pip install -e '.[test]')")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-dump") / "store") as base:
        for part in parts(dumped.folder, "all", "nq"):
            with gzip.open(part) as data:
                body = data.read()
            request = urllib.request.Request(
                base + "/store", data=body, headers={"Content-Type": "application/n-quads"}, method="POST"
            )
            with urllib.request.urlopen(request, timeout=60) as answer:
                assert answer.status in (200, 201, 204)
        server = SparqlStore.open(base)
        report = write_dumps(server, tmp_path_factory.mktemp("from-server"), minter, licence=LICENCE, day=DAY)
    expected = {d.id: (d.graphs, d.triples) for d in dumped.manifest.datasets}
    assert {d.id: (d.graphs, d.triples) for d in report.manifest.datasets} == expected
    original = [q for p in parts(dumped.folder, "all", "nq") for q in read_part(p)]
    again = [q for p in parts(report.folder, "all", "nq") for q in read_part(p)]
    assert canonical(again) == canonical(original)


# the command ----------------------------------------------------------------------------------------------
@pytest.mark.server
def test_lod_dump_writes_the_folder_and_says_what_it_wrote(served_store: Path, tmp_path: Path) -> None:
    done = run_lod(
        "--store", str(served_store), "--lang", "en", "dump", str(tmp_path), "--part-triples", "20000"
    )
    assert done.returncode == 0, done.stderr
    assert "library-DEMO-VN1: 12 graphs" in done.stderr
    assert f"Dump {tmp_path}" in done.stderr and " files, " in done.stderr
    latest = tmp_path / "latest"
    manifest = read_manifest(latest)
    assert manifest.part_triples == 20_000
    assert max(f.triples for f in manifest.files) <= 20_000
    vietnamese = run_lod("--store", str(served_store), "dump", str(tmp_path))
    assert vietnamese.returncode == 0, vietnamese.stderr
    assert "Bản sao toàn bộ dữ liệu" in vietnamese.stderr and "bộ ba" in vietnamese.stderr


def test_lod_dump_into_a_file_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    done = run_lod("--store", ":memory:", "--lang", "en", "dump", str(blocker / "dumps"))
    assert done.returncode == 2
    assert "Could not write the dump into" in done.stderr


def test_an_empty_store_gives_an_empty_dump(minter: Minter, tmp_path: Path) -> None:
    report = write_dumps(OxigraphStore.open(None), tmp_path, minter, licence=LICENCE, day=DAY)
    assert report.manifest.files == [] and report.manifest.datasets == []
    assert (report.folder / "SHA256SUMS").read_text().endswith("  manifest.json\n")
    default = Store()
    default.add(Quad(NamedNode("http://ex.test/s"), RDFS.label, Literal("x"), DefaultGraph()))
    report = write_dumps(OxigraphStore(default, ":memory:"), tmp_path, minter, licence=LICENCE, day=DAY)
    assert [d.id for d in report.manifest.datasets] == ["all"]  # kept: the default graph's statements
    assert read_part(report.folder / "all-part001.nq.gz") == list(default)
