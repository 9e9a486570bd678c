"""`lod backup` and `lod restore`, run as real processes: the sample store (with its search index,
record archive and quarantine) backed up while `lod serve` reads it, restored into an empty place,
compared graph by graph, searched, harvested; a damaged backup and a store holding data refused."""

from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from lod.backup import MANIFEST, find_backup
from lod.marcio import read_record
from lod.quarantine import Problem, Quarantine
from lod.store import OxigraphStore
from tests.conftest import ROOT, run_lod, serving

pytestmark = pytest.mark.server

NO_TITLE = ROOT / "tests" / "data" / "pipeline" / "talis_no_title2.mrc"
TITLE = "Cho tôi xin một vé đi tuổi thơ"
SAMPLED_GRAPHS = 25
ISOMORPHIC_UP_TO = 5000


def get(url: str, accept: str = "*/*") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def by_graph(store: Path) -> dict[str, list[str]]:
    """Every named graph's statements as N-Triples lines."""
    opened = OxigraphStore.open(store, read_only=True)
    graphs: dict[str, list[str]] = {}
    for q in opened.quads():
        graphs.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .\n")
    return graphs


def archived(store: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"{store}-records.sqlite3") as conn:
        rows = conn.execute(
            "SELECT id, library, control, digest, content, marcxml, datestamp, deleted FROM records"
        )
        found = sorted(rows.fetchall())
    conn.close()
    return found


@pytest.fixture(scope="module")
def backed_up(
    served_store: Path, server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """A backup of the sample store taken while `lod serve` (the session's server) reads it, with
    a quarantine of one record; yields (backup root, quarantine, the environment)."""
    work = tmp_path_factory.mktemp("backup")
    quarantine = Quarantine(work / "quarantine")
    item = read_record(NO_TITLE.read_bytes(), str(NO_TITLE), 1)
    quarantine.add(item, "VN-TEST", [Problem("", None, "violation", {"vi": "Thiếu 245", "en": "No 245"})])
    env = {"LOD_QUARANTINE": str(quarantine.path), "LOD_LANG": "en"}
    done = run_lod("--store", str(served_store), "backup", str(work / "backups"), env=env)
    assert done.returncode == 0, done.stderr
    assert "Backed up into" in done.stderr and "search, records" in done.stderr
    assert get(server + "/resource/instance/v2q5u5hbh3shf5tp")[0] == 200  # the server did not mind
    yield work / "backups", quarantine.path, env


def test_a_backup_restored_into_an_empty_place_is_the_same_store(
    backed_up: tuple[Path, Path, dict[str, str]], served_store: Path, tmp_path: Path, server: str
) -> None:
    root, quarantine, env = backed_up
    folder = find_backup(root)
    assert (root / "latest").resolve() == folder.resolve()
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert {p["name"] for p in manifest["parts"]} >= {"search", "records", "quarantine"}
    assert manifest["store"]["by_kind"]["registry"] > 0  # the registry's graphs are in the store
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    original = by_graph(served_store)
    assert manifest["store"]["quads"] == sum(len(lines) for lines in original.values())

    target = tmp_path / "restored" / "store"
    restored_quarantine = tmp_path / "restored" / "quarantine"
    env = {**env, "LOD_QUARANTINE": str(restored_quarantine)}
    done = run_lod("--store", str(target), "restore", str(root), env=env)
    assert done.returncode == 0, done.stderr
    assert "Restored from" in done.stderr

    restored = by_graph(target)
    # a checkpoint is the store's own files: every graph comes back statement for statement (blank
    # node labels included); and, as graphs, isomorphic on a seeded sample of them
    assert restored.keys() == original.keys()
    for name, lines in original.items():
        assert len(restored[name]) == len(lines) and set(restored[name]) == set(lines), name
    small = sorted(g for g, lines in original.items() if len(lines) <= ISOMORPHIC_UP_TO)
    for name in random.Random(11).sample(small, min(SAMPLED_GRAPHS, len(small))):
        expected = rdflib.Graph().parse(data="".join(original[name]), format="nt")
        actual = rdflib.Graph().parse(data="".join(restored[name]), format="nt")
        assert isomorphic(expected, actual), name
    assert archived(target) == archived(served_store)
    assert sorted(p.name for p in restored_quarantine.iterdir()) == sorted(
        p.name for p in quarantine.iterdir()
    )

    with serving(target) as base:
        status, body = get(base + "/api/search?" + urllib.parse.urlencode({"q": "cho toi xin mot ve"}))
        assert status == 200 and TITLE in json.dumps(json.loads(body), ensure_ascii=False)
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        status, body = get(base + "/sparql?" + query, "application/sparql-results+json")
        assert status == 200 and str(manifest["store"]["quads"]) in body
        harvest = "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc"
        restored_list, original_list = get(base + harvest)[1], get(server + harvest)[1]
    identifiers = re.findall(r"<identifier>([^<]+)</identifier>", restored_list)
    assert identifiers and identifiers == re.findall(r"<identifier>([^<]+)</identifier>", original_list)


def test_restore_refuses_a_store_holding_data_unless_forced(
    backed_up: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _, env = backed_up
    target = tmp_path / "store"
    env = {**env, "LOD_QUARANTINE": str(tmp_path / "q")}
    assert run_lod("--store", str(target), "restore", str(root), env=env).returncode == 0
    again = run_lod("--store", str(target), "restore", str(root), env=env)
    assert again.returncode == 2
    assert "already holds data" in again.stderr and "--force" in again.stderr
    forced = run_lod("--store", str(target), "restore", "--force", str(find_backup(root)), env=env)
    assert forced.returncode == 0, forced.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the old store is gone


@pytest.mark.parametrize("damaged", ["store", "search.sqlite3"])
def test_a_damaged_backup_is_refused_naming_the_file(
    backed_up: tuple[Path, Path, dict[str, str]], tmp_path: Path, damaged: str
) -> None:
    root, _, env = backed_up
    copy = tmp_path / "copy"
    shutil.copytree(find_backup(root), copy)
    if damaged == "store":
        path = max((copy / "store").glob("*.sst"), key=lambda p: p.stat().st_size)
    else:
        path = copy / damaged
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    target = tmp_path / "store"
    done = run_lod("--store", str(target), "restore", str(copy), env={**env, "LOD_LANG": "vi"})
    assert done.returncode == 2
    assert "Bản sao lưu bị hỏng" in done.stderr and str(path) in done.stderr
    assert not target.exists()  # nothing restored


def test_backup_errors_exit_2(tmp_path: Path) -> None:
    memory = run_lod("--store", ":memory:", "--lang", "en", "backup", str(tmp_path / "b"))
    assert memory.returncode == 2 and "in-memory store" in memory.stderr
    missing = run_lod("--store", str(tmp_path / "none"), "--lang", "en", "backup", str(tmp_path / "b"))
    assert missing.returncode == 2 and "There is no store" in missing.stderr
    empty = run_lod("--store", str(tmp_path / "s"), "--lang", "en", "restore", str(tmp_path))
    assert empty.returncode == 2 and "No backup in" in empty.stderr
