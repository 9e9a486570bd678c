"""Dereferencing under load (issue 8): `lod serve` (gunicorn, --processes N) over the union store of
bench/bench_union.py's synthetic records, driven by wrk; then the same while a deliberately
expensive SPARQL query keeps arriving at /sparql; beside `oxigraph serve-read-only` answering the
same DESCRIBE queries on a copy of the store, in the same run on the same CPUs.

    python bench/bench_web.py [--records 100000] [--seconds 20] [--connections 4] [--wrk-threads 2]
                              [--processes 2] [--threads 8] [--per-kind 600] [--rebuild]

Store: the synthetic files (generated and cached by bench_union.synthetic_files) ingested once by
the real CLI (`lod ingest manifest`, with the sample's library registry; clustering included) into
a store cached beside them, plus a copy of it for Oxigraph's server. --rebuild makes both anew.
Paths: --per-kind entities of each kind (instances, works, agents, items; every library), drawn
with a fixed seed from a canned query (bench/web_entities.rq); our documents `/resource/…/ID.html`
and `.ttl` (what the bare IRI negotiates to), and for the reference `GET /query?query=DESCRIBE <IRI>`
with `Accept: text/turtle`.
Phases (wrk: --wrk-threads threads, --connections connections, --seconds each, every request a
path of the list in turn, bench/wrk_paths.lua), one server at a time (the reference first), after
the store files are read once into the page cache and a warm-up of each server (--warm-up seconds a
format, on as many other entities of each kind: a server that has run a while, not one that has
just served the measured pages; the one-at-a-time samples below, taken before the phases, visit
40 of the measured entities of each kind once), each phase
once the server is idle again (work left over by clients that gave up is done):
  reference turtle, lod html, lod html again (the first is where each process renders most of
  the measured pages for the first time, the second where it renders them again), lod html
  without the library pages, lod turtle: nothing else running;
  the same while one client sends the expensive query (EXPENSIVE) again and again, waiting for
  each answer (or --expensive-timeout seconds): to /query for the reference, to /sparql for ours.
  Its answers are counted by status (429: the per-client budget said no; 503: the time limit).
  The reference runs without --timeout-s: Oxigraph 0.5.13 starts one sleeping thread per query
  for it, and under this load the server ran out of threads and aborted.
Also: each kind's documents requested one at a time (median and 95th percentile, no load), the
peak resident memory of each server's process tree, and whether any process is left after SIGTERM.
Results: a table on stdout and JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench_convert import CACHE, cpu_model, version
from bench_union import BASE, ROOT, _children, _cpu_seconds, _rss, mib, synthetic_files
from pyoxigraph import NamedNode, QuerySolutions, Variable

from lod.formats import HTML, TURTLE
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.vocab import BF, SCHEMA

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WRK_SCRIPT = HERE / "wrk_paths.lua"
ENTITIES = HERE / "web_entities.rq"
BIN = Path(sys.executable).parent
LOD, OXIGRAPH = BIN / "lod", BIN / "oxigraph"
KINDS = {
    "instance": BF.Instance,
    "work": BF.Work,
    "agent": BF.Agent,
    "item": BF.Item,
    "library": SCHEMA.Library,
}
EXPENSIVE = """PREFIX bf: <http://id.loc.gov/ontologies/bibframe/>
# every ordered pair of distinct items: some 10^10 rows at 100,000 records, counted
SELECT (COUNT(*) AS ?pairs) WHERE { ?a a bf:Item . ?b a bf:Item . FILTER(?a != ?b) }"""
FORM = "application/x-www-form-urlencoded"
PROBE_OXIGRAPH = "/query?query=ASK%7B%7D"


# the store ----------------------------------------------------------------------------------------
def union_store(args: argparse.Namespace) -> tuple[Path, Path, dict[str, Any]]:
    """(our store, the reference's copy, how it was built), ingested unless cached."""
    files, _ = synthetic_files(args, args.records)
    folder = CACHE / f"web-{files[0][1].parent.name}"
    store, copy, built = folder / "store", folder / "reference", folder / "built.json"
    if built.exists() and not args.rebuild:
        info = json.loads(built.read_text(encoding="utf-8"))
        if "optimize seconds" not in info:  # cached before `lod optimize` was part of the build
            info["optimize seconds"] = optimize(store)
            optimize(copy)
            info["bytes"] = folder_bytes(store)
            built.write_text(json.dumps(info, indent=2), encoding="utf-8")
        return store, copy, info
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    manifest = folder / "manifest.toml"
    lines = [f"registry = [{json.dumps(str(ROOT / 'data' / 'sample' / 'registry.csv'))}]", ""]
    for number, (code, path) in enumerate(files, 1):
        label = f"Thư viện thử nghiệm {number:02d} (dữ liệu tổng hợp)"
        lines += ["[[file]]", f"path = {json.dumps(str(path))}", f'library = "{code}"']
        lines += [f'label = "{label}"', ""]
    manifest.write_text("\n".join(lines), encoding="utf-8")
    print(f"ingesting {args.records:,} records into {store} (once; `lod ingest manifest`)", flush=True)
    started = time.perf_counter()
    with open(folder / "ingest.log", "w", encoding="utf-8") as log:
        command = [LOD, "--store", store, "--quarantine", folder / "quarantine", "ingest", "manifest"]
        command.append(manifest)
        done = subprocess.run([str(part) for part in command], stdout=log, stderr=subprocess.STDOUT)
    if done.returncode not in (0, 1):  # 1: some records were quarantined, as synthetic data has
        sys.exit(f"ingest failed (exit {done.returncode}): see {folder / 'ingest.log'}")
    seconds = time.perf_counter() - started
    optimized = optimize(store)
    shutil.copytree(store, copy)
    info = {"records": args.records, "ingest seconds": round(seconds, 1), "optimize seconds": optimized}
    info["bytes"] = folder_bytes(store)
    built.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return store, copy, info


def optimize(store: Path) -> float:
    """`lod optimize` (compact the store's files, as a deployment does after a large ingest):
    the seconds it took."""
    print(f"compacting {store} (`lod optimize`)", flush=True)
    started = time.perf_counter()
    subprocess.run([str(LOD), "--store", str(store), "optimize"], check=True)
    return round(time.perf_counter() - started, 1)


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def read_into_page_cache(*folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                with open(path, "rb") as handle:
                    while handle.read(1 << 24):
                        pass


def pick_entities(
    store_path: Path, per_kind: int, seed: int, apart_from: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """Kind -> IRIs drawn from the entities of its class (all of them when fewer than per_kind);
    with `apart_from`, others than those (and no library: every library is measured)."""
    store = OxigraphStore.open(store_path, read_only=True)
    query = ENTITIES.read_text(encoding="utf-8")
    rng = random.Random(seed)
    picked = {}
    for kind, cls in KINDS.items():
        prefix = f"{BASE}resource/{kind}/"
        rows = store.query(query, substitutions={Variable("class"): cls})
        assert isinstance(rows, QuerySolutions)
        iris = sorted({value for row in rows if (value := str(row["entity"].value)).startswith(prefix)})
        if apart_from is not None:
            if kind == "library":
                continue
            taken = set(apart_from.get(kind, ()))
            iris = [iri for iri in iris if iri not in taken]
        picked[kind] = iris if kind == "library" else rng.sample(iris, min(per_kind, len(iris)))
    del store
    return picked


def lod_paths(entities: dict[str, list[str]], extension: str) -> list[str]:
    minter = Minter(BASE)
    return [p for iris in entities.values() for iri in iris if (p := minter.document_path(iri, extension))]


def describe_paths(entities: dict[str, list[str]]) -> list[str]:
    # The IRIs come from our store (pyoxigraph NamedNodes, so no '>' or space in them) and
    # Oxigraph's server takes no bound values: the query is the text of our "open in SPARQL" link.
    return [
        "/query?" + urllib.parse.urlencode({"query": f"DESCRIBE {NamedNode(iri)}"})
        for iris in entities.values()
        for iri in iris
    ]


def interleaved(paths: list[str], seed: int) -> list[str]:
    """The same paths in a shuffled order, so every stretch of a run mixes the kinds."""
    shuffled = list(paths)
    random.Random(seed).shuffle(shuffled)
    return shuffled


# servers ------------------------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    peak_rss: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def tree(self) -> list[int]:
        tree, pids, stack = _children(), [], [self.process.pid]
        while stack:
            pid = stack.pop()
            pids.append(pid)
            stack += tree.get(pid, [])
        return pids

    def sample_memory(self) -> None:
        while not self._stop.wait(0.25):
            self.peak_rss = max(self.peak_rss, sum(_rss(pid) for pid in self.tree()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(name: str, command: Callable[[int], list[str]], probe: str, log: Path) -> Iterator[Server]:
    """A server started with `command(port)` on a free port, once `probe` answers 200; stopped by
    SIGTERM at the end, and any process of its tree still alive afterwards is reported and killed."""
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command(port),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Server(name, process, f"http://127.0.0.1:{port}", log)
    sampler = threading.Thread(target=server.sample_memory, daemon=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(server.base + probe, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start: {log.read_text()}") from None
                time.sleep(0.1)
        sampler.start()
        yield server
    finally:
        server._stop.set()
        pids = server.tree()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        time.sleep(1)
        left = [pid for pid in pids[1:] if _alive(pid)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        print(f"{name}: stopped by SIGTERM (exit {process.returncode}), processes left: {len(left)}")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def settle(server: Server, quiet: float = 0.05, longest: float = 120) -> float:
    """Wait until the server's processes use less than `quiet` CPU-seconds in a second: work left
    over from an earlier phase (pages whose client gave up) is done. Returns the seconds waited
    (`longest` at most)."""
    started = time.monotonic()
    while time.monotonic() - started < longest:
        before = sum(_cpu_seconds(pid) for pid in server.tree())
        time.sleep(1)
        if sum(_cpu_seconds(pid) for pid in server.tree()) - before < quiet:
            break
    return round(time.monotonic() - started, 1)


# load ---------------------------------------------------------------------------------------------
def wrk(args: argparse.Namespace, base: str, paths: Path, accept: str, seconds: int) -> dict[str, Any]:
    command = [
        "wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{seconds}s",
        "--timeout", "30s", "-H", f"Accept: {accept}", "-s", str(WRK_SCRIPT), base, "--", str(paths),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    statuses: Counter[int] = Counter()
    for code, count in result.pop("statuses"):
        statuses[code] += count
    result["statuses"] = dict(sorted(statuses.items()))
    return result


class ExpensiveClient(threading.Thread):
    """Sends EXPENSIVE to `url` (POST, form) again and again, one at a time (the next once the
    last is answered, or after `timeout` seconds without an answer), until stopped."""

    def __init__(self, url: str, timeout: float) -> None:
        super().__init__(daemon=True)
        self.url, self.timeout = url, timeout
        self.answers: Counter[str] = Counter()
        self.seconds: list[float] = []
        self.halt = threading.Event()

    def run(self) -> None:
        body = urllib.parse.urlencode({"query": EXPENSIVE}).encode()
        headers = {"Content-Type": FORM, "Accept": "application/sparql-results+json"}
        while not self.halt.is_set():
            request = urllib.request.Request(self.url, data=body, headers=headers)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
                    outcome = str(response.status)
            except urllib.error.HTTPError as error:
                with error:
                    error.read()
                outcome = str(error.code)
            except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
                outcome = "no answer" if "timed out" in str(error) else f"error: {error}"
            self.seconds.append(time.perf_counter() - started)
            self.answers[outcome] += 1
            if outcome == "429" or outcome.startswith("error"):
                self.halt.wait(0.2)  # refused at once: do not spin

    def snapshot(self) -> tuple[Counter[str], int]:
        return Counter(self.answers), len(self.seconds)

    def since(self, before: tuple[Counter[str], int]) -> dict[str, Any]:
        """What happened to the queries sent since `before` (a snapshot)."""
        answers, count = before
        seconds = self.seconds[count:]
        return {
            "answers": dict(self.answers - answers),
            "mean seconds": round(statistics.fmean(seconds), 2) if seconds else None,
        }


@contextmanager
def expensive_queries(server: Server, path: str, timeout: float) -> Iterator[ExpensiveClient]:
    """A client sending the expensive query to the server for as long as the block runs (a query
    still in flight at the end is left to the server)."""
    settle(server)
    client = ExpensiveClient(server.base + path, timeout)
    client.start()
    time.sleep(1)  # the first query is running when the measurements start
    try:
        yield client
    finally:
        client.halt.set()


def one_at_a_time(base: str, paths: list[str], accept: str, budget: float = 10) -> dict[str, float]:
    """Median and 95th percentile (ms) of the paths requested one after the other with no other
    load, for at most `budget` seconds; how many were requested, and how many did not answer 200
    (or not within 30 s)."""
    times, failed = [], 0
    deadline = time.monotonic() + budget
    for path in paths:
        if time.monotonic() > deadline:
            break
        request = urllib.request.Request(base + path, headers={"Accept": accept})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:
            with error:
                error.read()
            failed += 1
        except TimeoutError:
            failed += 1
        times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
    return {
        "median": round(statistics.median(times), 1),
        "p95": round(p95, 1),
        "requests": len(times),
        "not 200": failed,
    }


# the run ------------------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    server: str
    expensive: bool
    result: dict[str, Any]
    expensive_client: dict[str, Any] | None = None
    settled: float = 0.0
    """Seconds waited before it for the server to be idle."""

    @property
    def rps(self) -> float:
        return float(self.result["requests"] / (self.result["duration_us"] / 1e6))

    def ms(self, key: str) -> float:
        return float(self.result["latency_us"][key] / 1000)


def measure(
    args: argparse.Namespace,
    server: Server,
    name: str,
    paths: Path,
    accept: str,
    client: ExpensiveClient | None = None,
) -> Phase:
    settled = settle(server) if client is None else 0.0  # with the query running, it never is
    before = client.snapshot() if client else None
    result = wrk(args, server.base, paths, accept, args.seconds)
    during = client.since(before) if client and before else None
    phase = Phase(name, server.name, client is not None, result, during, settled)
    print(
        f"  {name}: {phase.rps:,.0f} requests/s, p50 {phase.ms('p50'):.1f} ms, "
        f"p99 {phase.ms('p99'):.1f} ms, statuses {result['statuses']}, errors {result['errors']}"
        + (f"; expensive query: {during}" if during else ""),
        flush=True,
    )
    return phase


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--libraries", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--copies", type=float, default=2.0, help="mean copies of each book")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--rebuild", action="store_true", help="ingest the store again")
    parser.add_argument("--per-kind", type=int, default=600, help="entities of each kind requested")
    parser.add_argument("--seconds", type=int, default=20, help="length of each measured phase")
    parser.add_argument(
        "--warm-up", type=int, default=30, help="seconds of warm-up of each server (each format)"
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--processes", default="2", help="lod serve --processes")
    parser.add_argument("--threads", type=int, default=8, help="lod serve --threads")
    parser.add_argument(
        "--expensive-timeout", type=float, default=60, help="seconds its client waits for an answer"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (or `make bench-web`)")

    store, copy, built = union_store(args)
    entities = pick_entities(store, args.per_kind, args.seed)
    others = pick_entities(store, args.per_kind, args.seed + 1, apart_from=entities)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as scratch:
        phases, unloaded, memory = run(args, store, copy, built, entities, others, Path(scratch))
    report(args, phases, unloaded, memory, {kind: len(iris) for kind, iris in entities.items()}, built)


def run(
    args: argparse.Namespace,
    store: Path,
    copy: Path,
    built: dict[str, Any],
    entities: dict[str, list[str]],
    others: dict[str, list[str]],
    scratch: Path,
) -> tuple[list[Phase], dict[str, dict[str, dict[str, float]]], dict[str, int]]:
    """The servers, one after the other, and every phase: (phases, one at a time, peak memory)."""
    path_files = {}
    without_libraries = {kind: iris for kind, iris in entities.items() if kind != "library"}
    for key, paths in {
        "html": lod_paths(entities, HTML.extension),
        "html-no-library": lod_paths(without_libraries, HTML.extension),
        "turtle": lod_paths(entities, TURTLE.extension),
        "describe": describe_paths(entities),
        "warm-html": lod_paths(others, HTML.extension),
        "warm-turtle": lod_paths(others, TURTLE.extension),
        "warm-describe": describe_paths(others),
    }.items():
        path_files[key] = scratch / f"{key}.txt"
        path_files[key].write_text("\n".join(interleaved(paths, args.seed)) + "\n", encoding="utf-8")
    counts = {kind: len(iris) for kind, iris in entities.items()}
    cpus = len(os.sched_getaffinity(0))
    print(
        f"Web load benchmark, {date.today().isoformat()}, {cpu_model()} ({cpus} CPUs), Python "
        f"{sys.version.split()[0]}, pyoxigraph {version('pyoxigraph')}, "
        f"oxigraph server {version('oxigraph')}, gunicorn {version('gunicorn')}"
    )
    print(
        f"store: {args.records:,} synthetic records ({built['bytes'] / 1e9:.1f} GB); paths: "
        + ", ".join(f"{count:,} {kind}" for kind, count in counts.items())
        + f"; wrk {args.wrk_threads} threads, {args.connections} connections, {args.seconds} s a phase"
    )
    read_into_page_cache(store, copy)

    phases: list[Phase] = []
    unloaded: dict[str, dict[str, dict[str, float]]] = {}
    memory: dict[str, int] = {}

    def lod_command(port: int) -> list[str]:
        return [
            str(LOD), "--store", str(store), "serve", "--processes", args.processes,
            "--threads", str(args.threads), "--port", str(port),
        ]  # fmt: skip

    def oxigraph_command(port: int) -> list[str]:
        return [
            str(OXIGRAPH), "serve-read-only", "--location", str(copy), "--union-default-graph",
            "--bind", f"127.0.0.1:{port}",
        ]  # fmt: skip

    html, turtle, describe = path_files["html"], path_files["turtle"], path_files["describe"]
    client_timeout = args.expensive_timeout
    # One server at a time, the reference first: work one leaves behind (a runaway query, pages
    # whose client gave up) must not run beside the other's measurements.
    with running("reference", oxigraph_command, PROBE_OXIGRAPH, scratch / "oxigraph.log") as ref:
        wrk(args, ref.base, path_files["warm-describe"], TURTLE.media_types[0], args.warm_up)
        sample = {kind: describe_paths({kind: iris[:40]}) for kind, iris in entities.items()}
        unloaded["reference"] = {
            kind: one_at_a_time(ref.base, paths, TURTLE.media_types[0]) for kind, paths in sample.items()
        }
        print(f"  one at a time, reference: {unloaded['reference']}", flush=True)
        phases.append(measure(args, ref, "reference describe", describe, TURTLE.media_types[0]))
        with expensive_queries(ref, "/query", client_timeout) as client:
            name = "reference describe + expensive"
            phases.append(measure(args, ref, name, describe, TURTLE.media_types[0], client))
    memory["reference"] = ref.peak_rss

    # the probe: a data document (the home page counts the whole store: slow at this size)
    probe = lod_paths({"item": entities["item"][:1]}, TURTLE.extension)[0]
    with running("lod", lod_command, probe, scratch / "lod.log") as lod:
        wrk(args, lod.base, path_files["warm-html"], HTML.media_types[0], args.warm_up)
        wrk(args, lod.base, path_files["warm-turtle"], TURTLE.media_types[0], args.warm_up)
        for fmt in (HTML, TURTLE):
            settle(lod)
            sample = {kind: lod_paths({kind: iris[:40]}, fmt.extension) for kind, iris in entities.items()}
            unloaded[fmt.name] = {
                kind: one_at_a_time(lod.base, paths, fmt.media_types[0]) for kind, paths in sample.items()
            }
            print(f"  one at a time, {fmt.name}: {unloaded[fmt.name]}", flush=True)
        phases.append(measure(args, lod, "lod html", html, HTML.media_types[0]))
        phases.append(measure(args, lod, "lod html, again", html, HTML.media_types[0]))
        name = "lod html, no library pages"
        phases.append(measure(args, lod, name, path_files["html-no-library"], HTML.media_types[0]))
        phases.append(measure(args, lod, "lod turtle", turtle, TURTLE.media_types[0]))
        with expensive_queries(lod, "/sparql", client_timeout) as client:
            name = "lod html + expensive"
            phases.append(measure(args, lod, name, html, HTML.media_types[0], client))
            name = "lod html, no library pages + expensive"
            no_library = path_files["html-no-library"]
            phases.append(measure(args, lod, name, no_library, HTML.media_types[0], client))
            name = "lod turtle + expensive"
            phases.append(measure(args, lod, name, turtle, TURTLE.media_types[0], client))
    memory["lod"] = lod.peak_rss
    return phases, unloaded, memory


def report(
    args: argparse.Namespace,
    phases: list[Phase],
    unloaded: dict[str, dict[str, dict[str, float]]],
    memory: dict[str, int],
    counts: dict[str, int],
    built: dict[str, Any],
) -> None:
    reference = {p.expensive: p for p in phases if p.server == "reference"}
    print()
    print(
        "| phase | answered | requests/s | p50 ms | p90 ms | p99 ms | max ms | not 200 "
        "| requests/s vs reference | p99 vs reference |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for phase in phases:
        ref = reference[phase.expensive]
        other = sum(n for code, n in phase.result["statuses"].items() if int(code) != 200)
        other += sum(phase.result["errors"].values())
        print(
            f"| {phase.name} | {phase.result['requests']:,} | {phase.rps:,.0f} | {phase.ms('p50'):.1f} "
            f"| {phase.ms('p90'):.1f} "
            f"| {phase.ms('p99'):.1f} | {phase.ms('max'):.0f} | {other} | {phase.rps / ref.rps:.2f} "
            f"| {phase.ms('p99') / ref.ms('p99'):.2f} |"
        )
    print()
    for phase in phases:
        if phase.expensive_client:
            print(f"expensive query during '{phase.name}': {phase.expensive_client}")
    print(
        f"peak resident memory, whole process tree: lod {mib(memory['lod'])}, "
        f"reference {mib(memory['reference'])}"
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"web-{date.today().isoformat()}-{args.records}.json"
    out.write_text(
        json.dumps(
            {
                "date": date.today().isoformat(),
                "machine": cpu_model(),
                "cpus": len(os.sched_getaffinity(0)),
                "args": {k: str(v) for k, v in vars(args).items()},
                "store": built,
                "paths": counts,
                "phases": [asdict(p) for p in phases],
                "one at a time": unloaded,
                "peak rss": memory,
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
