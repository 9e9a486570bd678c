"""One ingest run over many files (lod.ingest) and its writer (lod.loading): the same store as one
run per file, a file that cannot be read costs only itself, and the writer keeps order where it
matters (checkpoints only past committed writes, never two writes of one record at once)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from lod.errors import InputError, StoreError
from lod.ingest import Source, ingest_file, ingest_files
from lod.loading import BatchWriter, Load
from lod.store import OxigraphStore
from lod.uris import Minter
from tests.test_clustering import LIBRARIES, write
from tests.test_updates import dataset, same


@pytest.mark.parametrize("workers", [0, 2])
def test_one_run_over_many_files_gives_what_one_run_per_file_gives(
    tmp_path: Path, minter: Minter, workers: int
) -> None:
    files = [Source(write(tmp_path / f"{code}.mrc", books), code) for code, books in LIBRARIES.items()]
    missing = Source(tmp_path / "missing.mrc", "VN-X")
    errors: list[InputError] = []
    together = OxigraphStore.open(None)
    reports = ingest_files(
        together, [files[0], missing, *files[1:]], minter, workers=workers, on_error=errors.append
    )
    assert [r.source for r in reports] == [str(s.path) for s in (files[0], missing, *files[1:])]
    assert [(r.read, r.loaded, r.skipped) for r in reports] == [(3, 3, 0), (0, 0, 1), (3, 3, 0), (3, 3, 0)]
    assert len(errors) == 1 and "missing.mrc" in errors[0].message("en")
    assert all(r.seconds > 0 for r in reports)
    apart = OxigraphStore.open(None)
    for source in files:
        ingest_file(apart, source.path, source.library, minter)
    placeholder = minter.library("VN-X").value  # the unreadable file's library is still flagged
    assert any(q.subject.value == placeholder for q in together.quads())
    shared = minter.shared_graph().value
    graphs_together = {k: v for k, v in dataset(together, minter).items() if k != shared}
    assert same(graphs_together, {k: v for k, v in dataset(apart, minter).items() if k != shared})


def test_ingest_file_still_raises_for_a_file_it_cannot_read(tmp_path: Path, minter: Minter) -> None:
    with pytest.raises(InputError):
        ingest_file(OxigraphStore.open(None), tmp_path / "nowhere.mrc", "VN-X", minter)


class SlowFirstStore(OxigraphStore):
    """A real in-memory store whose first bulk write takes a while (to order the writes)."""

    def __init__(self) -> None:
        store = OxigraphStore.open(None)
        super().__init__(store._store, store.location)
        self.calls = 0
        self.active: set[str] = set()
        self.overlaps: list[str] = []
        self.lock = threading.Lock()

    def load_graphs(self, graphs, nquads):  # type: ignore[no-untyped-def]
        with self.lock:
            self.calls += 1
            first = self.calls == 1
            names = {g.value for g in graphs}
            self.overlaps += sorted(names & self.active)
            self.active |= names
        if first:
            time.sleep(0.5)
        super().load_graphs(graphs, nquads)
        with self.lock:
            self.active -= names


def load(graph: NamedNode, n: int = 1) -> Load:
    lines = [f'<http://ex.test/s{i}> <http://ex.test/p> "{i}" <{graph.value}> .\n' for i in range(n)]
    return Load([graph], "".join(lines).encode(), n)


def test_marks_wait_for_every_earlier_write(minter: Minter) -> None:
    store = SlowFirstStore()
    applied: list[str] = []
    with BatchWriter(store, minter, limit=1, revive_withdrawn=False, writers=2) as writer:
        a, b = NamedNode("http://ex.test/g/a"), NamedNode("http://ex.test/g/b")
        writer.add([load(a)], lambda: applied.append("a"))
        writer.add([load(b)], lambda: applied.append("b"))
        writer.flush()
        time.sleep(0.2)  # b's write is done by now, a's is not: b's mark must wait
        writer._settle()
        assert applied == []
    assert applied == ["a", "b"]
    assert {q.graph_name.value for q in store.quads()} == {"http://ex.test/g/a", "http://ex.test/g/b"}


def test_a_record_sent_again_waits_for_its_earlier_version(minter: Minter) -> None:
    store = SlowFirstStore()
    graph = NamedNode("http://ex.test/g/same")
    with BatchWriter(store, minter, limit=1, revive_withdrawn=False, writers=2) as writer:
        writer.add([load(graph, 3)])
        writer.add([load(graph, 1)])  # the later version: one statement
    assert store.overlaps == []
    assert len(list(store.quads())) == 1  # the later version replaced the earlier one


def test_a_failed_write_stops_the_marks_and_reaches_the_caller(tmp_path: Path, minter: Minter) -> None:
    writable = OxigraphStore.open(tmp_path / "store")
    writable.flush()
    del writable
    read_only = OxigraphStore.open(tmp_path / "store", read_only=True)
    applied: list[str] = []
    with (
        pytest.raises(StoreError),
        BatchWriter(read_only, minter, limit=1, revive_withdrawn=False) as writer,
    ):
        graph = NamedNode("http://ex.test/g/x")
        writer.add([load(graph)], lambda: applied.append("x"))
        writer.drain()
    assert applied == []
