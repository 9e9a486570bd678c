"""Re-sending records: ingest is idempotent, an update replaces, a deletion or a record missing
from a full re-send is withdrawn (410 Gone, tombstone), and a killed ingest re-run ends where a
clean run ends."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import time
from pathlib import Path

import pymarc
import pytest
import rdflib
from rdflib.compare import isomorphic

from lod.config import Settings
from lod.ingest import ingest_file, withdraw_missing
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.withdrawal import tombstone_graph, withdrawn_at
from tests.conftest import BASE, LOD, descendants

LIBRARY = "VN-TESTUPD"


def marc_file(path: Path, records: list[tuple[str, str]], deleted: frozenset[str] = frozenset()) -> Path:
    """ISO 2709 records (001, title), each with one copy (Koha 952), some marked deleted."""
    with open(path, "wb") as out:
        for control, title in records:
            record = pymarc.Record(force_utf8=True)
            record.leader = pymarc.Leader(f"00000{'d' if control in deleted else 'n'}am a2200000 a 4500")
            record.add_field(pymarc.Field(tag="001", data=control))
            record.add_field(pymarc.Field(tag="008", data="200101s2020    vm            000 0 vie d"))
            record.add_field(
                pymarc.Field(
                    tag="245", indicators=pymarc.Indicators("1", "0"), subfields=[pymarc.Subfield("a", title)]
                )  # fmt: skip
            )
            record.add_field(
                pymarc.Field(
                    tag="264",
                    indicators=pymarc.Indicators(" ", "1"),
                    subfields=[pymarc.Subfield("a", "Hà Nội"), pymarc.Subfield("c", "2020")],
                )  # fmt: skip
            )
            record.add_field(
                pymarc.Field(
                    tag="952",
                    indicators=pymarc.Indicators(" ", " "),
                    subfields=[pymarc.Subfield("p", f"VV.{control}"), pymarc.Subfield("o", "895.92")],
                )  # fmt: skip
            )
            out.write(record.as_marc())
    return path


def dataset(store: OxigraphStore, minter: Minter) -> dict[str, rdflib.Graph]:
    """Every named graph as an rdflib graph (the tombstones aside: they hold times)."""
    skip = tombstone_graph(minter).value
    by_graph: dict[str, list[str]] = {}
    for q in store.quads():
        if q.graph_name.value != skip:
            by_graph.setdefault(q.graph_name.value, []).append(f"{q.subject} {q.predicate} {q.object} .\n")
    return {name: rdflib.Graph().parse(data="".join(lines), format="nt") for name, lines in by_graph.items()}


def same(a: dict[str, rdflib.Graph], b: dict[str, rdflib.Graph]) -> bool:
    return a.keys() == b.keys() and all(isomorphic(a[name], b[name]) for name in a)


def ingest(store: OxigraphStore, path: Path, minter: Minter, seen: set[str] | None = None) -> None:
    report = ingest_file(store, path, LIBRARY, minter, seen=seen)
    assert report.skipped == 0, [e.message("en") for e in report.errors]


def instance_of(minter: Minter, control: str) -> str:
    return minter.instance(minter.record_id(LIBRARY, control)).value


def test_ingesting_the_same_file_twice_changes_nothing(tmp_path: Path, minter: Minter) -> None:
    path = marc_file(tmp_path / "a.mrc", [("1", "Truyện Kiều"), ("2", "Số đỏ"), ("3", "Tắt đèn")])
    once, twice = OxigraphStore.open(None), OxigraphStore.open(None)
    ingest(once, path, minter)
    ingest(twice, path, minter)
    second = ingest_file(twice, path, LIBRARY, minter)
    assert (second.read, second.loaded, second.unchanged) == (3, 0, 3)  # passed over: nothing written
    assert once.triple_count() == twice.triple_count()
    assert same(dataset(once, minter), dataset(twice, minter))


def test_a_record_sent_again_is_converted_again_when_it_or_the_code_changed(
    tmp_path: Path, minter: Minter, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lod.digests

    store = OxigraphStore.open(None)
    ingest(store, marc_file(tmp_path / "a.mrc", [("1", "Truyện Kiều"), ("2", "Số đỏ")]), minter)
    changed = ingest_file(
        store, marc_file(tmp_path / "b.mrc", [("1", "Truyện Kiều"), ("2", "Số đỏ!")]), LIBRARY, minter
    )
    assert (changed.loaded, changed.unchanged) == (1, 1)
    other = ingest_file(store, marc_file(tmp_path / "b.mrc", [("1", "Truyện Kiều")]), "VN-OTHER", minter)
    assert (other.loaded, other.unchanged) == (1, 0)  # another library's record: its own graph
    unvalidated = ingest_file(store, tmp_path / "b.mrc", LIBRARY, minter, validate_shapes=False)
    assert unvalidated.unchanged == 0  # loaded with validation, now without: not the same inputs
    monkeypatch.setattr(lod.digests, "code_fingerprint", lambda: "another version of the converters")
    upgraded = ingest_file(
        store, marc_file(tmp_path / "a.mrc", [("1", "Truyện Kiều"), ("2", "Số đỏ!")]), LIBRARY, minter
    )
    assert (upgraded.loaded, upgraded.unchanged) == (2, 0)


def test_an_update_replaces_the_record_and_a_deletion_leaves_a_tombstone(
    tmp_path: Path, minter: Minter, settings: Settings
) -> None:
    from lod.web import create_app

    store = OxigraphStore.open(None)
    ingest(store, marc_file(tmp_path / "v1.mrc", [("1", "Truyện Kiều"), ("2", "Số đỏ")]), minter)
    ingest(store, marc_file(tmp_path / "v2.mrc", [("1", "Truyện Kiều (tái bản)")]), minter)
    labels = {
        str(o)
        for o in dataset(store, minter)[minter.record_graph(minter.record_id(LIBRARY, "1")).value].objects()
    }
    assert "Truyện Kiều (tái bản)" in labels and "Truyện Kiều" not in labels  # nothing old left
    client = create_app(settings, store=store).test_client()
    path = "/resource/instance/" + instance_of(minter, "2").rsplit("/", 1)[1]
    assert client.get(path, follow_redirects=True).status_code == 200
    ingest(store, marc_file(tmp_path / "del.mrc", [("2", "Số đỏ")], deleted=frozenset({"2"})), minter)
    gone = client.get(path, headers={"Accept": "application/json"})
    assert gone.status_code == 410
    assert gone.mimetype == "application/problem+json"
    assert client.get(path).status_code == 410  # the page for people too
    from pyoxigraph import NamedNode

    assert withdrawn_at(store, minter, NamedNode(instance_of(minter, "2"))) is not None
    item_stones = [
        q for q in store.quads() if q.graph_name == tombstone_graph(minter) and "/item/" in q.subject.value
    ]
    assert item_stones  # its copy too
    # the record comes back: its tombstones go, its IRIs answer again
    ingest(store, marc_file(tmp_path / "back.mrc", [("2", "Số đỏ")]), minter)
    assert client.get(path, follow_redirects=True).status_code == 200
    assert withdrawn_at(store, minter, NamedNode(instance_of(minter, "2"))) is None


def test_a_full_resend_withdraws_what_it_no_longer_holds(tmp_path: Path, minter: Minter) -> None:
    store = OxigraphStore.open(None)
    other = "VN-OTHER"
    ingest(store, marc_file(tmp_path / "all.mrc", [("1", "Một"), ("2", "Hai"), ("3", "Ba")]), minter)
    ingest_file(store, marc_file(tmp_path / "o.mrc", [("9", "Của thư viện khác")]), other, minter)
    seen: set[str] = set()
    ingest(store, marc_file(tmp_path / "resend.mrc", [("1", "Một"), ("3", "Ba")]), minter, seen)
    assert withdraw_missing(store, minter, LIBRARY, seen) == 1
    from pyoxigraph import NamedNode

    assert withdrawn_at(store, minter, NamedNode(instance_of(minter, "2"))) is not None
    assert store.exists(NamedNode(instance_of(minter, "1")))
    assert store.exists(minter.instance(minter.record_id(other, "9")))  # another library is untouched
    assert withdraw_missing(store, minter, LIBRARY, seen) == 0  # idempotent


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_killed_ingest_rerun_ends_as_a_clean_run(tmp_path: Path, workers: str) -> None:
    """kill -9 of `lod ingest marc` part-way (converting in the main process, or in two worker
    processes that die with it), then the same command again: the store equals a clean run's."""
    path = marc_file(tmp_path / "big.mrc", [(str(n), f"Sách số {n}") for n in range(2500)])
    env = {"LOD_BASE_IRI": BASE, "LOD_QUARANTINE": str(tmp_path / "q"), "LOD_WORKERS": workers}

    def command(store: Path) -> list[str]:
        return [LOD, "--store", str(store), "ingest", "marc", str(path), "--library", LIBRARY]

    clean = subprocess.run(command(tmp_path / "clean"), env=_env(env), capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    # killed once the first batch is converted (the progress line on a terminal says so): waiting
    # for a share of the clean run's time was flaky, the first run compiling the bytecode
    terminal, stderr = pty.openpty()
    process = subprocess.Popen(command(tmp_path / "killed"), env=_env(env), stderr=stderr)
    os.close(stderr)
    shown = b""
    while b"\r" not in shown and select.select([terminal], [], [], 60)[0]:
        shown += os.read(terminal, 1024)
    assert process.poll() is None, "the ingest ended before it could be killed: make the file bigger"
    helpers = descendants(process.pid)  # the worker processes, their forkserver, resource tracker
    assert len(helpers) >= (3 if workers == "2" else 0)
    process.send_signal(signal.SIGKILL)
    process.wait()
    os.close(terminal)
    deadline = time.monotonic() + 10
    while (left := [pid for pid in helpers if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes of the killed ingest still running: {left}"
    rerun = subprocess.run(command(tmp_path / "killed"), env=_env(env), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert_like_clean_run(tmp_path / "clean", tmp_path / "killed")


def assert_like_clean_run(clean: Path, killed: Path) -> None:
    """The store a killed and re-run ingest left equals a clean run's, graph by graph, and so does
    the record archive (OAI-PMH): every record, with the MARCXML the killed run staged."""
    minter = Minter(BASE)
    clean_store = OxigraphStore.open(clean, read_only=True)
    killed_store = OxigraphStore.open(killed, read_only=True)
    assert clean_store.triple_count() == killed_store.triple_count()
    assert same(dataset(clean_store, minter), dataset(killed_store, minter))
    assert archived(clean) == archived(killed)


def archived(store: Path) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(f"{store}-records.sqlite3") as conn:
        columns = "id, library, control, digest, content, marcxml IS NOT NULL, deleted"
        return conn.execute(f"SELECT {columns} FROM records ORDER BY id").fetchall()


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOD_")}
    env.update(extra)
    return env


def test_cli_full_resend_reports_what_it_withdrew(tmp_path: Path) -> None:
    env = _env({"LOD_BASE_IRI": BASE, "LOD_QUARANTINE": str(tmp_path / "q"), "LOD_LANG": "en"})
    store = str(tmp_path / "store")
    first = marc_file(tmp_path / "all.mrc", [("1", "Một"), ("2", "Hai"), ("3", "Ba")])
    again = marc_file(tmp_path / "resend.mrc", [("1", "Một")])
    base = [LOD, "--store", store, "ingest", "marc", "--library", LIBRARY]
    assert subprocess.run([*base, str(first)], env=env, capture_output=True).returncode == 0
    done = subprocess.run([*base, "--full", str(again)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Full re-send: withdrew 2 records missing from the files" in done.stderr


class _Crash(Exception):
    pass


def test_a_cut_off_ingest_resumes_after_its_last_loaded_batch(
    tmp_path: Path, minter: Minter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checkpoint moves after each store write, which gathers batches up to BATCH_QUADS quads:
    set to 1 here, every batch is written on its own (the batch read when the run is cut off is
    still waiting, so it is read again)."""
    import lod.batches
    import lod.ingest
    from lod.batches import BATCH_SIZE
    from lod.checkpoint import Checkpoints

    monkeypatch.setattr(lod.ingest, "BATCH_QUADS", 1)
    path = marc_file(tmp_path / "big.mrc", [(str(n), f"Sách {n}") for n in range(BATCH_SIZE * 2 + 70)])
    checkpoints = Checkpoints(tmp_path / "store.checkpoints.json")
    store = OxigraphStore.open(None)

    def crash_after_two_batches(read: int) -> None:
        if read >= BATCH_SIZE * 2:
            raise _Crash

    try:
        ingest_file(
            store, path, LIBRARY, minter, checkpoints=checkpoints, on_progress=crash_after_two_batches
        )
    except _Crash:
        pass
    key = Checkpoints.key(path, LIBRARY)
    assert key is not None
    assert checkpoints.done(key) == BATCH_SIZE  # the first batch is written, the second waited
    report = ingest_file(store, path, LIBRARY, minter, checkpoints=checkpoints)
    assert (report.resumed, report.read, report.loaded) == (BATCH_SIZE, BATCH_SIZE + 70, BATCH_SIZE + 70)
    assert checkpoints.done(key) == 0 and not checkpoints.path.exists()  # the file is done
    clean = OxigraphStore.open(None)
    ingest_file(clean, path, LIBRARY, minter)
    assert same(dataset(store, minter), dataset(clean, minter))
    again = ingest_file(store, path, LIBRARY, minter, checkpoints=checkpoints)
    # a later re-send is read in full (no stale checkpoint), and its records are all unchanged
    assert (again.resumed, again.read, again.unchanged) == (0, BATCH_SIZE * 2 + 70, BATCH_SIZE * 2 + 70)


def test_checkpoints_live_beside_an_embedded_store_only(tmp_path: Path) -> None:
    from lod.checkpoint import Checkpoints

    beside = Checkpoints.beside(str(tmp_path / "store"))
    assert beside is not None and beside.path == tmp_path / "store.checkpoints.json"
    assert Checkpoints.beside(":memory:") is None
    assert Checkpoints.beside("http://127.0.0.1:7878") is None
