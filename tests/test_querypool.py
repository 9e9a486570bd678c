"""Visitors' SPARQL queries in worker processes (lod.querypool) over a real on-disk store: the time
limit kills the worker, the next query works, threads share the pool, and no process outlives it."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from lod.errors import EndpointBusy, Forbidden, QueryError, QueryTimeout
from lod.querypool import NICENESS, InProcessRunner, QueryPool, runner_for
from lod.sparql import Job, Output
from lod.store import OxigraphStore
from tests.conftest import descendants, process_parents, serving

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""A cross product of every statement with itself four times: runs for ever on the sample."""


def count_of(answer_body: bytes) -> int:
    return int(json.loads(answer_body)["results"]["bindings"][0]["n"]["value"])


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def wait_until(condition, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def triple_count(served_store: Path) -> int:
    reader = OxigraphStore.open(served_store, read_only=True)
    return reader.triple_count()


@pytest.fixture()
def pool(served_store: Path) -> Iterator[QueryPool]:
    pool = QueryPool(str(served_store), size=2, timeout=1, queue_wait=1)
    yield pool
    pool.shutdown()


def test_nothing_starts_before_the_first_query(served_store: Path) -> None:
    before = set(multiprocessing.active_children())
    pool = QueryPool(str(served_store), size=2, timeout=1, queue_wait=1)
    try:
        assert pool.pids() == [] and set(multiprocessing.active_children()) == before
        assert count_of(pool.run(Job(COUNT)).body) > 1000
        assert len(pool.pids()) == 2
    finally:
        pool.shutdown()


def test_a_query_past_the_limit_is_killed_and_the_next_one_works(pool: QueryPool, triple_count: int) -> None:
    assert count_of(pool.run(Job(COUNT)).body) == triple_count
    before = set(pool.pids())
    charged: list[float] = []
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as stopped:
        pool.run(Job(RUNAWAY), charge=charged.append)
    assert time.monotonic() - started < 30  # stopped, not run to its end
    assert charged == [1]
    assert stopped.value.status == 503
    assert "1 s" in stopped.value.message("en") and "1 giây" in stopped.value.message("vi")
    killed = before - set(pool.pids())
    assert len(killed) == 1 and all(gone(pid) for pid in killed)
    assert len(pool.pids()) == 2
    assert count_of(pool.run(Job(COUNT)).body) == triple_count
    assert count_of(pool.run(Job(COUNT)).body) == triple_count


def test_workers_run_at_a_lower_priority(pool: QueryPool) -> None:
    pool.run(Job(COUNT))
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    for pid in pool.pids():
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, ours + NICENESS)


def test_query_errors_come_back_and_the_worker_stays(pool: QueryPool) -> None:
    pool.run(Job(COUNT))
    before = set(pool.pids())
    with pytest.raises(QueryError) as bad:
        pool.run(Job("SELEC * WHERE { ?s ?p ?o }"))
    assert "1:1" in bad.value.message("en")
    with pytest.raises(Forbidden):
        pool.run(Job("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"))
    assert set(pool.pids()) == before


def test_rows_are_capped_in_the_worker(pool: QueryPool) -> None:
    answer = pool.run(Job("SELECT * WHERE { ?s ?p ?o }", solutions=Output("json", 7)))
    assert answer.truncated and answer.rows == 7
    assert len(json.loads(answer.body)["results"]["bindings"]) == 7
    small = pool.run(Job("SELECT * WHERE { ?s ?p ?o } LIMIT 3", solutions=Output("csv", 7)))
    assert not small.truncated and small.rows == 3 and len(small.body.splitlines()) == 4


def test_concurrent_queries_from_threads(served_store: Path, triple_count: int) -> None:
    """Four threads on two workers: two queries run, two wait (as long as they need: on a loaded
    machine a query at the workers' low priority can take a while)."""
    pool = QueryPool(str(served_store), size=2, timeout=60, queue_wait=60)
    results: list[int] = []
    errors: list[Exception] = []

    def ask() -> None:
        try:
            for _ in range(5):
                results.append(count_of(pool.run(Job(COUNT)).body))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
        assert errors == [] and results == [triple_count] * 20
        assert len(pool.pids()) == 2
    finally:
        pool.shutdown()


def test_busy_pool_answers_503_with_retry_after(served_store: Path) -> None:
    pool = QueryPool(str(served_store), size=1, timeout=2, queue_wait=0.3)
    try:
        pool.run(Job(COUNT))
        stopped: list[Exception] = []

        def run_away() -> None:
            try:
                pool.run(Job(RUNAWAY))
            except QueryTimeout as exc:
                stopped.append(exc)

        runaway = threading.Thread(target=run_away)
        runaway.start()
        assert wait_until(lambda: pool.running() == 1)
        started = time.monotonic()
        with pytest.raises(EndpointBusy) as busy:
            pool.run(Job(COUNT))
        assert time.monotonic() - started >= 0.3
        assert busy.value.status == 503 and 1 <= int(busy.value.headers["Retry-After"]) <= 2
        runaway.join()
        assert len(stopped) == 1
        assert count_of(pool.run(Job(COUNT)).body) > 1000
    finally:
        pool.shutdown()


def test_shutdown_leaves_no_process(pool: QueryPool) -> None:
    pool.run(Job(COUNT))
    pids = pool.pids()
    assert len(pids) == 2
    pool.shutdown()
    assert all(gone(pid) for pid in pids) and pool.pids() == []
    assert count_of(pool.run(Job(COUNT)).body) > 1000  # starts again on demand
    assert not set(pids) & set(pool.pids())


def test_a_store_in_memory_runs_in_process() -> None:
    memory = OxigraphStore.open(None)
    runner = runner_for(memory, timeout=1, size=2, queue_wait=1)
    assert isinstance(runner, InProcessRunner) and not runner.isolated
    charged: list[float] = []
    answer = runner.run(Job("ASK { ?s ?p ?o }"), charge=charged.append)
    assert answer.form == "boolean" and json.loads(answer.body)["boolean"] is False
    assert len(charged) == 1 and runner.pids() == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_no_orphans_when_the_server_stops(
    served_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: signal.Signals
) -> None:
    """A real `lod serve`: after a query, its query workers exist below it; once it is stopped
    (gracefully, or killed outright), none of its processes is left."""
    monkeypatch.setenv("LOD_SPARQL_BUDGET_DB", str(tmp_path / "budget.sqlite3"))
    monkeypatch.setenv("LOD_PROCESSES", "1")
    with serving(served_store) as base:
        query = urllib.parse.urlencode({"query": COUNT})
        request = urllib.request.Request(f"{base}/sparql?{query}", headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert count_of(response.read()) > 1000
        server = _server_pid(base)
        below = descendants(server)
        workers = [pid for pid in below if _is_worker(pid)]
        assert len(workers) >= 2, {pid: _command(pid) for pid in below}
        os.kill(server, stop)
        assert wait_until(lambda: all(gone(pid) for pid in below), seconds=20), {
            pid: _command(pid) for pid in below if not gone(pid)
        }


def _server_pid(base: str) -> int:
    """The `lod serve` process this test started for `base` (its own workers share its command)."""
    port = base.rsplit(":", 1)[1]
    parents = process_parents()
    for pid, parent in parents.items():
        if parent == os.getpid() and f"--port {port}" in _command(pid):
            return pid
    raise AssertionError(f"no lod serve on port {port}")


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _is_worker(pid: int) -> bool:
    """A query worker: a process forked by a forkserver (so its command is the forkserver's)."""
    parent = process_parents().get(pid)
    return parent is not None and "multiprocessing.forkserver" in _command(parent)
