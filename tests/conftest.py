"""Shared fixtures: settings, a real in-memory pyoxigraph store with the sample loaded, the app."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lod.config import Settings, load_settings
from lod.ingest import IngestReport, ingest_file
from lod.store import OxigraphStore
from lod.uris import Minter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
BASE = "http://data.test/"


def sample_entries() -> list[tuple[Path, str, str | None]]:
    manifest = tomllib.loads((SAMPLE / "manifest.toml").read_text(encoding="utf-8"))
    return [(SAMPLE / e["path"], e["library"], e.get("label")) for e in manifest["file"]]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(env={}, overrides={"store": ":memory:", "base_iri": BASE})


@pytest.fixture(scope="session")
def minter(settings: Settings) -> Minter:
    return Minter(settings.base_iri)


@pytest.fixture(scope="session")
def sample_store(minter: Minter) -> tuple[OxigraphStore, list[IngestReport]]:
    """The bundled sample, ingested once per test session (with SHACL validation)."""
    store = OxigraphStore.open(None)
    reports = [
        ingest_file(store, path, library, minter, library_name=label)
        for path, library, label in sample_entries()
    ]
    return store, reports


@pytest.fixture(scope="session")
def store(sample_store: tuple[OxigraphStore, list[IngestReport]]) -> OxigraphStore:
    return sample_store[0]


@pytest.fixture(scope="session")
def app(settings: Settings, store: OxigraphStore):  # type: ignore[no-untyped-def]
    from lod.web import create_app

    application = create_app(settings, store=store)
    application.config["TESTING"] = True
    return application


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


# real processes --------------------------------------------------------------------------------
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402

LOD = str(Path(sys.executable).with_name("lod"))


def run_lod(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed `lod` command as a real process."""
    return subprocess.run(
        [LOD, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session", autouse=True)
def _quarantine_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`lod ingest` keeps rejected records in ./var/quarantine by default: the processes tests run
    keep them in a temporary directory instead (a test that looks at them passes --quarantine)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOD_QUARANTINE", str(tmp_path_factory.mktemp("quarantine")))
        yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def served_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the whole sample, ingested by the real CLI."""
    store = tmp_path_factory.mktemp("served") / "store"
    done = run_lod("--store", str(store), "ingest", "manifest", str(SAMPLE / "manifest.toml"))
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="session")
def server(served_store: Path) -> Iterator[str]:
    """`lod serve` as a real process on a free loopback port; yields its base URL."""
    with serving(served_store) as base:
        yield base


@contextmanager
def serving(store: Path) -> Iterator[str]:
    """`lod serve` over `store` on a free loopback port, for as long as the block runs."""
    # The store's IRIs use the default base (http://127.0.0.1:5000/) while this server listens on
    # another port: paths map to IRIs through the configured base, as behind a proxy.
    with server_process(
        lambda port: [LOD, "--store", str(store), "serve", "--port", str(port)],
        probe="/",
        log_path=store.parent / "serve.log",
    ) as base:
        yield base


@contextmanager
def server_process(command: Callable[[int], list[str]], probe: str, log_path: Path) -> Iterator[str]:
    """A server started with `command(port)` on a free loopback port, once `probe` answers; its
    output goes to `log_path`, shown when it fails to start. Stopped when the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command(port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(base + probe, timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError):
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        raise RuntimeError(
                            f"{command(port)[0]} did not start: " + log_path.read_text(encoding="utf-8")
                        ) from None
                    time.sleep(0.05)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# processes --------------------------------------------------------------------------------------
def process_parents() -> dict[int, int]:
    """Each process's parent, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:  # a process may end while it is read
                parents[int(entry.name)] = int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    return [child for child, parent in process_parents().items() if parent == pid]


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, their children...)."""
    parents = process_parents()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found
