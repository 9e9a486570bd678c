"""`lod optimize`: the store's files compacted, its statements unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

from lod.store import OxigraphStore
from tests.conftest import run_lod


def quads(store: Path) -> set[str]:
    opened = OxigraphStore.open(store, read_only=True)
    found = {f"{q.subject} {q.predicate} {q.object} {q.graph_name} ." for q in opened.quads()}
    del opened
    return found


def table_files(store: Path) -> list[Path]:
    return sorted(store.glob("*.sst"))


def test_optimize_compacts_the_files_and_keeps_every_statement(served_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(served_store, store)  # the session's server reads the original
    before, files_before = quads(store), table_files(store)
    done = run_lod("--lang", "en", "--store", str(store), "optimize")
    assert done.returncode == 0, done.stderr
    assert f"Optimized the store {store} in " in done.stderr
    assert quads(store) == before and len(before) > 1000
    files_after = table_files(store)
    assert len(files_after) < len(files_before), (files_before, files_after)


def test_nothing_to_optimize_in_memory() -> None:
    done = run_lod("--lang", "vi", "--store", ":memory:", "optimize")
    assert done.returncode == 0, done.stderr
    assert "Kho :memory: không cần tối ưu" in done.stderr
