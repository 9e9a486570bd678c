"""kill -9 at seeded random moments, on loopback only, in bounded loops: of `lod ingest` (then the
same command again, and the store, its record archive and its search index are what a clean run
gives), and of `lod serve` while a client is sending requests (a worker: the server goes on; the
whole server: restarted, it answers, and the store is unchanged).

`tests/test_updates.py` kills an ingest once its first batch is converted; here the moments are
spread over the whole run, startup and the steps after loading (clustering, the search index, the
record archive) included, and the same store is killed several times before it is let finish."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from lod.search.sqlite import SqliteIndex
from lod.store import OxigraphStore
from tests.conftest import BASE, LOD, descendants, free_port
from tests.test_updates import LIBRARY, _env, assert_like_clean_run, marc_file

pytestmark = pytest.mark.server

RECORDS = 1000
KILLS = 3
SEED = 20260701
INSTANCE = "/resource/instance/v2q5u5hbh3shf5tp"  # from the sample (README)
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _wait_gone(pids: set[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := [p for p in pids if Path(f"/proc/{p}").exists()]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process we started and every process below it, as a crash would end them."""
    below = descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    assert not _wait_gone(below), "processes of the killed command still running"


def test_an_ingest_killed_at_random_moments_then_rerun_ends_as_a_clean_run(tmp_path: Path) -> None:
    path = marc_file(tmp_path / "records.mrc", [(str(n), f"Sách số {n} về Hà Nội") for n in range(RECORDS)])
    env = _env({"LOD_BASE_IRI": BASE, "LOD_QUARANTINE": str(tmp_path / "q"), "LOD_WORKERS": "0"})

    def command(store: Path) -> list[str]:
        return [LOD, "--store", str(store), "ingest", "marc", str(path), "--library", LIBRARY]

    started = time.monotonic()
    clean = subprocess.run(command(tmp_path / "clean"), env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    took = time.monotonic() - started
    moments = random.Random(SEED)
    killed_while_running = 0
    for kill in range(KILLS):
        process = subprocess.Popen(
            command(tmp_path / "killed"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # the first kill within the loading; the later ones, each run resuming after the last
        # committed records, anywhere from startup to the steps after loading
        share = moments.uniform(0.35, 0.75) if kill == 0 else moments.uniform(0.1, 0.6)
        deadline = time.monotonic() + share * took
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        killed_while_running += process.poll() is None
        _kill_tree(process)
    assert killed_while_running >= 1, "the ingest ended before it could be killed: make the file bigger"
    rerun = subprocess.run(command(tmp_path / "killed"), env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr

    assert_like_clean_run(tmp_path / "clean", tmp_path / "killed")
    index = {
        name: SqliteIndex(f"{tmp_path / name}-search.sqlite3", read_only=True) for name in ("clean", "killed")
    }
    assert index["clean"].count() == index["killed"].count() > 0


@contextmanager
def _server(store: Path, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`lod serve` with two processes on a free loopback port, once it answers; killed at the end
    if a test has not killed it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [LOD, "--store", str(store), "serve", "--port", str(port), "--processes", "2", "--threads", "4"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 30
        while _status(base + "/") != 200:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.05)
        yield process, base
    finally:
        if process.poll() is None:
            _kill_tree(process)


def _status(url: str, accept: str = "text/html") -> int:
    try:
        request = urllib.request.Request(url, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0  # refused or cut off: the server is down


def _requests(base: str) -> list[tuple[str, str]]:
    sparql = base + "/sparql?" + urllib.parse.urlencode({"query": COUNT_QUERY})
    return [
        (base + INSTANCE, "text/html"),
        (base + INSTANCE, "text/turtle"),
        (sparql, "application/sparql-results+json"),
        (base + "/search?q=truyen+kieu", "text/html"),
    ]


class _Client(threading.Thread):
    """Sends the requests round and round until told to stop; keeps each answer's status."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.requests = _requests(base)
        self.statuses: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for url, accept in self.requests:
                self.statuses.append(_status(url, accept))


def _counts(store: Path) -> dict[str, int]:
    opened = OxigraphStore.open(store, read_only=True)
    counts: dict[str, int] = {}
    for quad in opened.quads():
        counts[str(quad.graph_name)] = counts.get(str(quad.graph_name), 0) + 1
    return counts


def test_a_server_killed_under_load_comes_back_and_the_store_is_unchanged(
    served_store: Path, tmp_path: Path
) -> None:
    before = _counts(served_store)
    moments = random.Random(SEED)
    log = tmp_path / "serve.log"
    with _server(served_store, log) as (process, base):
        client = _Client(base)
        client.start()
        try:
            time.sleep(moments.uniform(0.2, 1.0))
            # one worker dies: the server goes on (gunicorn starts another)
            workers = [pid for pid in descendants(process.pid) if _parent(pid) == process.pid]
            assert workers, log.read_text("utf-8")
            os.kill(moments.choice(sorted(workers)), signal.SIGKILL)
            time.sleep(moments.uniform(0.2, 1.0))
            # then the whole server, while the client is still sending
            _kill_tree(process)
        finally:
            client.stop.set()
            client.join(timeout=30)
        assert client.statuses.count(200) > 0
        assert set(client.statuses) <= {200, 0}, client.statuses  # answered, or cut off: never an error
    with _server(served_store, log) as (_, base):
        for url, accept in _requests(base):
            assert _status(url, accept) == 200, (url, log.read_text("utf-8"))
    assert _counts(served_store) == before


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0
