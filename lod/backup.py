"""Backup and restore: the store, the registry in it, and the files beside it, one command each.

    DIR/
      2026-07-01T120301Z/                 one folder per backup (UTC time)
        store/                            the embedded store: a RocksDB checkpoint (`Store.backup`)
        store.nq.gz                       or, for a store on a SPARQL server, every graph in N-Quads
        search.sqlite3, records.sqlite3   the search index, the record archive (OAI-PMH)
        tokens.sqlite3                    the write API's tokens, when there are any
        quarantine/                       the records that failed validation, one JSON file each
        manifest.json                     what, from where, bytes and SHA-256 of every file, the
                                          store's statements by kind, the software's version
        SHA256SUMS                        `sha256sum -c SHA256SUMS` checks every file
      latest -> 2026-07-01T120301Z

The registry is not a file of its own: the libraries and the reference data are named graphs of
the store (`lod.registry`), so they come with it (the manifest counts them apart, `registry`).

Consistent while in use: the store is opened read-only, as `lod serve` opens it, and Oxigraph
writes a checkpoint of it (a point-in-time copy; files shared with the store through hard links
are then copied, so the backup shares nothing with the store it came from); each SQLite file is
copied with SQLite's online backup API, a consistent snapshot even while a server reads it or an
ingest writes it. A backup while an ingest writes the store is refused (Oxigraph does not support
a reader beside a writer): the write lock RocksDB holds says so. The folder is written under a
temporary name, each file synced, then renamed into place (lod.dumps' helpers), so a folder with
a manifest is a whole backup.

Restore checks every file against the manifest first (a damaged backup is refused, naming the
file), refuses to replace a store that holds data unless told `force`, builds the new store
beside the configured one and swaps it in, copies the SQLite files back through the backup API
(which replaces a database whole, in one transaction, WAL and all), and opens the result and
counts its statements by kind against the manifest.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

import lod
from lod.archive import archive_path
from lod.config import Settings
from lod.dumps import (
    MANIFEST,
    Layout,
    Reader,
    clear_leftovers,
    complete_folders,
    locked,
    point_latest,
    publish,
    sync_directory,
    write_part,
)
from lod.errors import LodError
from lod.formats import NQUADS
from lod.search import index_path
from lod.sparqlstore import SparqlStore
from lod.store import OxigraphStore
from lod.uris import Minter

FORMAT = "lod-backup/1"
CHECKSUMS = "SHA256SUMS"
STORE_FOLDER = "store"
STORE_NQUADS = "store.nq.gz"
QUARANTINE = "quarantine"
NAME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{6}Z")
CHUNK = 1 << 20
LOAD_BYTES = 4_000_000
"""N-Quads sent to a SPARQL server per update on restore (about its MAX_REQUEST_CHARS)."""


@dataclass(frozen=True)
class BackupReport:
    folder: Path
    manifest: dict[str, Any]
    seconds: float

    @property
    def bytes(self) -> int:
        return sum(int(f["bytes"]) for f in self.manifest["files"])


@dataclass(frozen=True)
class RestoreReport:
    folder: Path
    manifest: dict[str, Any]
    restored: list[str]
    """What was put back: 'store', then the side files' names."""
    seconds: float


def side_files(settings: Settings) -> dict[str, str]:
    """The SQLite files beside the store, by name in a backup: the search index, the record archive
    and the write API's tokens (nothing for an in-memory store)."""
    files = {
        "search": index_path(settings),
        "records": archive_path(settings),
        "tokens": _tokens_path(settings),
    }
    return {name: path for name, path in files.items() if path != ":memory:"}


def _tokens_path(settings: Settings) -> str:
    from lod.tokens import tokens_path  # the write API's tokens and jobs

    return tokens_path(settings)


def _is_server(location: str) -> bool:
    return location.startswith(("http://", "https://"))


# backup -------------------------------------------------------------------------------------------
def backup(
    settings: Settings, root: str | os.PathLike[str], store: OxigraphStore | None = None, keep: int = 0
) -> BackupReport:
    """Back up the configured store and the files beside it into `root`/<UTC time>, and point
    `root`/latest at it. Raises LodError (exit 2) when that cannot be done; nothing of a failed
    run is left. `store`: the configured store as this process has it open (the write side
    publishing its copy: another process cannot read a store open for writing); `keep`: the
    newest backups kept in `root`, older ones removed (0: all kept)."""
    started = time.perf_counter()
    if settings.store == ":memory:":
        raise LodError("backup.memory")
    folder = Path(root)
    name = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    minter = Minter(settings.base_iri)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with locked(folder):
            clear_leftovers(folder)
            building = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=folder))
            try:
                manifest = _write_backup(settings, minter, building, name, store)
                publish(building, folder / name)
            except BaseException:
                shutil.rmtree(building, ignore_errors=True)
                raise
            point_latest(folder, backup_names(folder)[0])
            for old in backup_names(folder)[keep:] if keep else []:
                shutil.rmtree(folder / old, ignore_errors=True)
            sync_directory(folder)
    except LodError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise LodError("backup.failed", folder=str(folder), message=str(exc)) from exc
    return BackupReport(folder / name, manifest, time.perf_counter() - started)


def backup_names(root: str | os.PathLike[str]) -> list[str]:
    """The complete backups in `root`, newest first."""
    return complete_folders(root, NAME)


def _write_backup(
    settings: Settings, minter: Minter, building: Path, name: str, open_store: OxigraphStore | None = None
) -> dict[str, Any]:
    parts: list[dict[str, str]] = []
    if _is_server(settings.store):
        store_part = _backup_server(SparqlStore.open(settings.store, read_only=True), minter, building)
    else:
        store_part = _backup_embedded(Path(settings.store), minter, building, open_store)
    for part, path in side_files(settings).items():
        if Path(path).is_file():
            _copy_sqlite(path, building / f"{part}.sqlite3")
            parts.append({"name": part, "path": f"{part}.sqlite3", "source": path})
    quarantine = Path(settings.quarantine)
    if quarantine.is_dir():
        target = building / QUARANTINE
        target.mkdir()
        for entry in sorted(quarantine.iterdir()):
            # entries are written whole (temp file, then rename): a file is one entry or absent
            if entry.is_file() and entry.suffix == ".json" and not entry.name.startswith("."):
                _copy_file(entry, target / entry.name)
        parts.append({"name": QUARANTINE, "path": QUARANTINE, "source": str(quarantine)})
    files = [_file_entry(building, path) for path in sorted(_files(building))]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "name": name,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": {
            "lod": lod.__version__,
            "code": _code_fingerprint(),
            "pyoxigraph": pyoxigraph.__version__,
        },
        "base_iri": minter.base,
        "store": store_part,
        "parts": parts,
        "files": files,
    }
    _write_text(building / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    sums = [(f["sha256"], f["path"]) for f in files]
    sums.append((_sha256(building / MANIFEST), MANIFEST))
    _write_text(building / CHECKSUMS, "".join(f"{digest}  {path}\n" for digest, path in sums))
    for directory in {building, *(p.parent for p in _files(building))}:
        sync_directory(directory)
    building.chmod(0o755)
    return manifest


def _code_fingerprint() -> str:
    from lod.digests import code_fingerprint

    return code_fingerprint()


def _backup_embedded(
    location: Path, minter: Minter, building: Path, open_store: OxigraphStore | None = None
) -> dict[str, Any]:
    """A checkpoint of the store, opened read-only (readers may be serving it meanwhile), or of
    `open_store`, the store as this process has it open."""
    if not (location / "CURRENT").is_file():
        raise LodError("backup.no_store", store=str(location))
    writer = _writer_of(location)
    if writer is not None:
        raise LodError("backup.store_busy", store=str(location), pid=writer)
    target = building / STORE_FOLDER
    try:
        if open_store is not None:
            open_store.checkpoint(str(target))
        else:
            store = pyoxigraph.Store.read_only(str(location))
            store.backup(str(target))
            del store
    except OSError as exc:
        raise LodError("backup.failed", folder=str(building.parent), message=f"{location}: {exc}") from exc
    for path in _files(target):
        if path.stat().st_nlink > 1:  # hard-linked to the live store's file: make it a copy
            copy = path.with_name(path.name + ".copy")
            _copy_file(path, copy)
            os.replace(copy, path)
    counted = count_by_kind(OxigraphStore(pyoxigraph.Store.read_only(str(target)), str(target)), minter)
    return {"backend": "oxigraph", "source": str(location), "path": STORE_FOLDER, **counted}


def _backup_server(store: SparqlStore, minter: Minter, building: Path) -> dict[str, Any]:
    """Every graph of a store on a SPARQL server, in one gzipped N-Quads file (lod.dumps' writer)."""
    reader = Reader(store, Layout(minter))
    tally: Counter[str] = Counter()
    graphs: Counter[str] = Counter()
    layout = Layout(minter)

    def quads() -> Iterator[Quad]:
        for name in reader.graph_names():
            kind = layout.kind(name)
            graphs[kind] += 1
            for quad in reader.graph(name).quads:
                tally[kind] += 1
                yield quad

    write_part(building / STORE_NQUADS, NQUADS, quads())
    return {
        "backend": "sparql",
        "source": store.location,
        "path": STORE_NQUADS,
        "quads": sum(tally.values()),
        "graphs": sum(graphs.values()),
        "by_kind": dict(sorted(tally.items())),
    }


def count_by_kind(store: OxigraphStore, minter: Minter) -> dict[str, Any]:
    """Statements and graphs of the store, and statements by kind of graph (record, union, shared,
    registry, tombstones): what the manifest says and a restore checks."""
    layout = Layout(minter)
    tally: Counter[str] = Counter()
    graphs = 0
    for name in store.named_graphs():
        graphs += 1
        kind = layout.kind(name)
        tally[kind] += sum(1 for _ in store.quads_for_pattern(None, None, None, name))
    return {"quads": sum(tally.values()), "graphs": graphs, "by_kind": dict(sorted(tally.items()))}


def _writer_of(location: Path) -> int | None:
    """The process holding the store's RocksDB write lock (an ingest), if another one does. Read
    from /proc/locks, so that nothing here opens (and, closing it, unlocks) the lock file."""
    try:
        info = (location / "LOCK").stat()
        held = Path("/proc/locks").read_text(encoding="ascii")
    except OSError:
        return None
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in held.splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[5] == device and fields[4].isdigit() and int(fields[4]) != os.getpid():
            return int(fields[4])
    return None


def _copy_sqlite(source: str, target: Path) -> None:
    """A consistent copy of an SQLite database in use (its online backup API)."""
    with sqlite3.connect(_read_only(source), uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def _read_only(path: str | os.PathLike[str]) -> str:
    """The URI that opens an SQLite file read-only, whatever characters its path holds."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def _copy_file(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "xb") as dst:
        shutil.copyfileobj(src, dst, CHUNK)
        dst.flush()
        os.fsync(dst.fileno())


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(folder: Path, path: Path) -> dict[str, Any]:
    return {
        "path": path.relative_to(folder).as_posix(),
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
    }


def _write_text(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


# restore ------------------------------------------------------------------------------------------
def find_backup(path: str | os.PathLike[str]) -> Path:
    """The backup folder `path` names: a backup itself, or a folder of backups (its newest)."""
    folder = Path(path)
    if (folder / MANIFEST).is_file():
        return folder
    names = backup_names(folder)
    if not names:
        raise LodError("restore.no_backup", folder=str(folder))
    return folder / names[0]


def verify(folder: Path) -> dict[str, Any]:
    """The backup's manifest, once every file it lists is there with its size and SHA-256;
    LodError naming the first file that is missing or damaged."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest.get("format") != FORMAT:
            raise ValueError(f"unknown format {manifest.get('format')!r}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LodError("restore.damaged", file=str(folder / MANIFEST), message=str(exc)) from exc
    sums = folder / CHECKSUMS
    if sums.is_file():  # the manifest's own checksum
        listed: dict[str, str] = {}
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, _, named = line.partition("  ")
            listed[named] = digest
        if listed.get(MANIFEST, _sha256(folder / MANIFEST)) != _sha256(folder / MANIFEST):
            raise LodError("restore.damaged", file=str(folder / MANIFEST), message="SHA-256 differs")
    for entry in files:
        path = folder / entry["path"]
        if not path.is_file():
            raise LodError("restore.damaged", file=str(path), message="missing")
        if path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise LodError("restore.damaged", file=str(path), message="SHA-256 differs")
    return cast(dict[str, Any], manifest)


def restore(settings: Settings, source: str | os.PathLike[str], *, force: bool = False) -> RestoreReport:
    """Put the backup at `source` (or the newest in it) back into the configured store and files.
    Refuses (LodError, exit 2) a damaged backup, a store that holds data unless `force`, and a
    store an ingest is writing."""
    started = time.perf_counter()
    folder = find_backup(source)
    manifest = verify(folder)
    if settings.store == ":memory:":
        raise LodError("backup.memory")
    store_part = manifest["store"]
    server = _is_server(settings.store)
    if server != (store_part["backend"] == "sparql"):
        raise LodError("restore.backend", backend=store_part["backend"], store=settings.store)
    if Minter(settings.base_iri).base != manifest["base_iri"]:
        raise LodError("restore.base_iri", backup=manifest["base_iri"], configured=settings.base_iri)
    minter = Minter(settings.base_iri)
    sides = side_files(settings)
    parts = {p["name"]: p for p in manifest["parts"]}
    try:
        if not force:  # before anything is changed
            for name in parts.keys() & sides.keys():
                if _has_rows(sides[name]):
                    raise LodError("restore.not_empty", store=sides[name])
        if server:
            _restore_server(SparqlStore.open(settings.store), folder / store_part["path"], force)
            counted = _server_counts(settings, minter)
        else:
            counted = _restore_embedded(Path(settings.store), folder / store_part["path"], minter, force)
        restored = ["store"]
        for name, part in parts.items():
            if name in sides:
                Path(sides[name]).parent.mkdir(parents=True, exist_ok=True)
                _restore_sqlite(folder / part["path"], sides[name])
                restored.append(name)
            elif name == QUARANTINE:
                _restore_folder(folder / part["path"], Path(settings.quarantine))
                restored.append(name)
    except (OSError, sqlite3.Error) as exc:
        raise LodError("restore.failed", store=settings.store, message=str(exc)) from exc
    expected = {k: store_part[k] for k in ("quads", "graphs", "by_kind")}
    if server:
        expected.pop("graphs")  # a server may hold empty graphs it does not list
        counted.pop("graphs", None)
    if counted != expected:
        raise LodError("restore.mismatch", expected=json.dumps(expected), found=json.dumps(counted))
    return RestoreReport(folder, manifest, restored, time.perf_counter() - started)


def _restore_embedded(target: Path, backup_store: Path, minter: Minter, force: bool) -> dict[str, Any]:
    if target.exists():
        writer = _writer_of(target)
        if writer is not None:
            raise LodError("backup.store_busy", store=str(target), pid=writer)
        if (target / "CURRENT").is_file() and not force:
            if not OxigraphStore.open(target, read_only=True).is_empty():
                raise LodError("restore.not_empty", store=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore.", suffix=".tmp", dir=target.parent))
    try:
        for path in _files(backup_store):
            copy = building / path.relative_to(backup_store)
            copy.parent.mkdir(parents=True, exist_ok=True)
            _copy_file(path, copy)
        sync_directory(building)
        opened = OxigraphStore.open(building)  # a checkpoint opens as a store of its own
        counted = count_by_kind(opened, minter)
        opened.flush()
        del opened
        if target.exists() and not any(target.iterdir()):
            target.rmdir()
        publish(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    sync_directory(target.parent)
    return counted


def _restore_server(store: SparqlStore, nquads: Path, force: bool) -> None:
    if not store.is_empty():
        if not force:
            raise LodError("restore.not_empty", store=store.location)
        for name in store.graph_names(""):
            store.remove_record(NamedNode(name))
    with gzip.open(nquads) as stream:
        chunk: list[str] = []
        size = 0
        new: list[NamedNode] = []
        quads = parse(cast(IO[bytes], stream), format=RdfFormat.N_QUADS)
        for graph, members in groupby(quads, key=lambda q: q.graph_name):
            assert isinstance(graph, NamedNode), "the backup holds named graphs only"
            new.append(graph)
            for quad in members:
                line = f"{quad} .\n"
                chunk.append(line)
                size += len(line)
                if size >= LOAD_BYTES:
                    store.load_graphs(new, "".join(chunk).encode())
                    chunk, size, new = [], 0, []
        if chunk or new:
            store.load_graphs(new, "".join(chunk).encode())


def _server_counts(settings: Settings, minter: Minter) -> dict[str, Any]:
    store = SparqlStore.open(settings.store, read_only=True)
    layout = Layout(minter)
    tally: Counter[str] = Counter()
    for name in store.graph_names(""):
        node = NamedNode(name)
        tally[layout.kind(node)] += len(store.graph_triples(node))
    return {"quads": sum(tally.values()), "by_kind": dict(sorted(tally.items()))}


def _has_rows(path: str) -> bool:
    """Whether an SQLite file exists and has a table with a row in it."""
    if not Path(path).is_file():
        return False
    with sqlite3.connect(_read_only(path), uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = any(conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in tables)
    conn.close()
    return found


def _restore_sqlite(backup_file: Path, target: str) -> None:
    """Replace the database at `target` by the backup's, in one transaction (SQLite's backup API
    takes care of the target's write-ahead log, which a plain file copy would leave stale)."""
    with sqlite3.connect(_read_only(backup_file), uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _restore_folder(backup_folder: Path, target: Path) -> None:
    """The quarantine: built beside the configured folder, then swapped in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore.", suffix=".tmp", dir=target.parent))
    try:
        for path in sorted(backup_folder.iterdir()):
            _copy_file(path, building / path.name)
        building.chmod(0o755)
        publish(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
