"""`lod serve` as a real process on a free port, spoken to over HTTP; its worker processes."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import rdflib

from lod import store as store_module
from lod.store import OxigraphStore
from tests.conftest import LOD, children, descendants, free_port, run_lod
from tests.test_store_labels import labelled

pytestmark = pytest.mark.server


def fetch(url: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def first_instance(server: str) -> str:
    query = (
        "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "
        "SELECT ?i WHERE { ?i a bf:Instance } ORDER BY ?i LIMIT 1"
    )
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": query})
    _, _, body = fetch(url, "application/sparql-results+json")
    return str(json.loads(body)["results"]["bindings"][0]["i"]["value"])


DEFAULT_BASE = "http://127.0.0.1:5000"


def test_instance_turtle_over_http(server: str) -> None:
    iri = first_instance(server)
    assert iri.startswith(DEFAULT_BASE + "/resource/instance/")
    status, headers, body = fetch(server + iri.removeprefix(DEFAULT_BASE), "text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert "Accept" in headers["Vary"]
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (
        rdflib.URIRef(iri),
        rdflib.RDF.type,
        rdflib.URIRef("http://id.loc.gov/ontologies/bibframe/Instance"),
    ) in graph


def test_sparql_count_in_json(server: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, headers, body = fetch(
        f"{server}/sparql?" + urllib.parse.urlencode({"query": query}), "application/sparql-results+json"
    )
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 5000


def test_errors_over_http(server: str) -> None:
    status, headers, body = fetch(f"{server}/resource/instance/nope", "text/turtle")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
    path = first_instance(server).removeprefix(DEFAULT_BASE)
    status, _, body = fetch(server + path, "image/png")
    assert status == 406 and "text/turtle" in json.loads(body)["offered"]


def test_home_page(server: str) -> None:
    status, headers, body = fetch(server + "/", "text/html")
    assert status == 200 and "Dữ liệu mở thư viện Việt Nam" in body.decode("utf-8")
    assert headers["Server"] == "lod"


# several processes (lod.web.server) ------------------------------------------------------------
@contextmanager
def started(store: Path, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """`lod serve` with `options` on a free port, once it answers: (arbiter process, base URL, log).
    Whatever is left of it is killed when the block ends."""
    port = free_port()
    log_path = store.parent / f"serve-{port}.log"
    command = [LOD, "--store", str(store), "serve", "--port", str(port), *options]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.05)
        yield process, base, log_path
    finally:
        for pid in [*descendants(process.pid), process.pid]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()


def workers_of(process: subprocess.Popen[bytes], count: int) -> list[int]:
    """The worker processes of the arbiter, once `count` of them are running."""
    deadline = time.monotonic() + 30
    while len(found := children(process.pid)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(found) == count
    return found


def opened(pid: int) -> list[str]:
    """What the process's file descriptors point at (a path, "socket:[inode]"...)."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with suppress(OSError):  # closed since listed
            found.append(os.readlink(fd))
    return found


def open_in(pid: int, folder: Path) -> int:
    """How many files under `folder` the process has open."""
    return sum(target.startswith(str(folder) + os.sep) for target in opened(pid))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_bytes()
    return stat.rsplit(b")", 1)[1].split()[0] != b"Z"  # a zombie has stopped: only not reaped yet


def test_every_process_opens_the_store_itself(served_store: Path) -> None:
    with started(served_store, "--processes", "2", "--threads", "2") as (process, base, _):
        workers = workers_of(process, 2)
        deadline = time.monotonic() + 30  # a worker opens the store once forked, while it boots
        while not all(open_in(pid, served_store) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(open_in(pid, served_store) > 0 for pid in workers)
        assert open_in(process.pid, served_store) == 0  # the arbiter keeps nothing of the store open
        path = first_instance(base).removeprefix(DEFAULT_BASE)
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: fetch(base + path, "text/turtle"), range(40)))
        assert {status for status, _, _ in answers} == {200}
        assert len({body for _, _, body in answers}) == 1
        assert sorted(children(process.pid)) == sorted(workers)  # none died on the way


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_every_process(served_store: Path, stop: signal.Signals) -> None:
    with started(served_store, "--processes", "2") as (process, base, log_path):
        workers_of(process, 2)
        assert fetch(base + "/", "text/html")[0] == 200
        first_instance(base)  # a SPARQL query: the query worker processes start
        tree = descendants(process.pid)
        process.send_signal(stop)
        assert process.wait(timeout=15) == 0
        deadline = time.monotonic() + 5
        while [pid for pid in tree if alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in tree if alive(pid)]
        log = log_path.read_text(encoding="utf-8")
        # a worker forked after the store was opened in the arbiter crashed on its way out
        assert "SIGSEGV" not in log and "Traceback" not in log, log


def test_workers_stop_when_the_arbiter_is_killed(served_store: Path) -> None:
    with started(served_store, "--processes", "2") as (process, _, _):
        workers = workers_of(process, 2)
        process.kill()
        process.wait()
        deadline = time.monotonic() + 15
        while [pid for pid in workers if alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)]


def test_each_worker_finds_the_shared_labels_as_it_starts(tmp_path: Path) -> None:
    store = tmp_path / "store"
    writable = OxigraphStore.open(store)
    labelled(writable, store_module._LABEL_COPIES + 1)  # one term labelled in 66 graphs
    writable.flush()
    del writable
    with started(store, "--processes", "2", "--threads", "2") as (process, _, log_path):
        workers_of(process, 2)
        deadline = time.monotonic() + 30
        while len(found := shared_label_lines(log_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [line["labelled"] for line in found] == [1, 1], log_path.read_text()
        assert len({line["pid"] for line in found}) == 2


FREEZE_CHECK = """
import gc
from lod.web.server import freeze_survivors

gc.collect()
gc.freeze()
freeze_survivors()
kept = [[n] for n in range(1000)]
before = gc.get_freeze_count()
gc.collect()
assert gc.get_freeze_count() >= before + 1000, (before, gc.get_freeze_count())

class Node:
    pass

a, b = Node(), Node()
a.other, b.other = b, a
del a, b
assert gc.collect() >= 2  # a cycle made since is still found
print("ok")
"""


def test_what_survives_a_full_collection_is_frozen() -> None:
    done = subprocess.run([sys.executable, "-c", FREEZE_CHECK], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def shared_label_lines(log_path: Path) -> list[dict[str, object]]:
    lines = log_path.read_text(encoding="utf-8").splitlines()
    found = [json.loads(line) for line in lines if line.startswith("{")]
    return [line for line in found if line.get("event") == "shared_labels"]


def test_one_process(served_store: Path) -> None:
    with started(served_store, "--processes", "1", "--threads", "1") as (process, base, _):
        assert len(workers_of(process, 1)) == 1
        status, headers, _ = fetch(base + "/", "text/html")
        assert status == 200 and headers["Server"] == "lod"


@pytest.mark.parametrize("bad", ["0", "65", "two", "-1"])
def test_bad_process_count(bad: str) -> None:
    done = run_lod("--lang", "en", "--store", ":memory:", "serve", "--processes", bad, timeout=30)
    assert done.returncode == 2 and "processes must be 'auto' or a number" in done.stderr
    done = run_lod("--lang", "en", "--store", ":memory:", "serve", env={"LOD_PROCESSES": bad}, timeout=30)
    assert done.returncode == 2 and "processes must be 'auto' or a number" in done.stderr


def test_a_store_that_cannot_be_opened(tmp_path: Path) -> None:
    not_a_store = tmp_path / "file"
    not_a_store.write_text("not a store", encoding="utf-8")
    done = run_lod("--lang", "en", "--store", str(not_a_store), "serve", "--port", str(free_port()))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Store error: ") and "Traceback" not in done.stderr


# connections spread over the workers (lod.web.balancing) ---------------------------------------
def holder(connection: http.client.HTTPConnection, workers: list[int]) -> int:
    """The worker process holding the server's end of `connection` (0 when none does)."""
    client_port = connection.sock.getsockname()[1]
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[2].rsplit(":", 1)[1], 16) == client_port and fields[3] == "01":  # ESTABLISHED
            inodes.add(f"socket:[{fields[9]}]")
    return next((pid for pid in workers if inodes & set(opened(pid))), 0)


def ask(connection: http.client.HTTPConnection) -> http.client.HTTPResponse:
    connection.request("GET", "/robots.txt")
    response = connection.getresponse()
    response.read()
    assert response.status == 200
    return response


def test_keep_alive_connections_are_spread_over_the_workers(served_store: Path) -> None:
    with started(served_store, "--processes", "2", "--threads", "4") as (process, base, log_path):
        workers = workers_of(process, 2)
        deadline = time.monotonic() + 30  # both have loaded the app
        while len(shared_label_lines(log_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # and are in their loops, taking connections
        port = int(base.rsplit(":", 1)[1])
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(4)]
        for connection in connections:  # one after the other: each worker holds both ends' counts
            ask(connection)
        holders = [holder(c, workers) for c in connections]
        assert sorted(Counter(holders).values()) == [2, 2], holders

        # the clients of one worker leave: the other now holds two connections more
        one, other = workers
        for connection in connections:
            if holder(connection, workers) == one:
                connection.close()
        kept = [c for c in connections if c.sock is not None]
        deadline = time.monotonic() + 10
        while ask(kept[0]).getheader("Connection") != "close":
            assert time.monotonic() < deadline, "the busier worker never closed a connection"
            time.sleep(0.05)
        kept[0].close()
        ask(kept[0])  # http.client connects again: the worker with none takes it
        assert holder(kept[0], workers) == one
        assert ask(kept[1]).getheader("Connection") == "keep-alive"  # one each: no more closing
        assert holder(kept[1], workers) == other
        for connection in kept:
            connection.close()
