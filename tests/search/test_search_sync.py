"""The search index keeps in step with the store (lod.search.sqlite.SqliteIndex.sync), in both store
backends: records changed, withdrawn and merged into union entries are found as the store now has
them; documents made by the ingest are the ones reading the store back gives; a sync after a cut-off
ingest, or twice in a row, changes nothing it should not."""

from __future__ import annotations

import json
from pathlib import Path

from lod.ingest import Source, ingest_files
from lod.search.sqlite import SqliteIndex
from lod.store import GraphStore
from lod.unions import recluster
from lod.uris import Minter
from tests.conftest import SAMPLE
from tests.data.search.make_search_fixture import RECORDS, record
from tests.search.test_search_index import FIXTURE, write_collection
from tests.test_store_backends import sparql_server, store  # noqa: F401  (fixtures: both backends)


def ingest(
    target: GraphStore, path: Path, library: str, minter: Minter, index: SqliteIndex | None = None
) -> None:
    [report] = ingest_files(
        target, [Source(path, library)], minter, on_documents=index.stage if index is not None else None
    )
    assert report.loaded + report.withdrawn >= 1, report.errors
    recluster(target, minter)


def documents(index: SqliteIndex) -> dict[str, dict[str, object]]:
    conn = index._connection()
    return {graph: json.loads(doc) for graph, doc in conn.execute("SELECT graph, doc FROM records")}


def titles(index: SqliteIndex, query: str) -> list[str]:
    return [hit.title for hit in index.search(query).hits]


def test_documents_from_the_ingest_are_those_read_back_from_the_store(
    store,  # noqa: F811
    minter: Minter,
    tmp_path: Path,
) -> None:
    staged = SqliteIndex(tmp_path / "staged.sqlite3")
    ingest(store, SAMPLE / "vietnamese.xml", "VN-TEST1", minter, staged)
    ingest(store, FIXTURE, "x-tv-hcm", minter, staged)
    report = staged.sync(store, minter)
    assert (report.indexed, report.from_ingest, report.from_store) == (
        12 + len(RECORDS),
        12 + len(RECORDS),
        0,
    )
    read_back = SqliteIndex(tmp_path / "read.sqlite3")
    report = read_back.sync(store, minter)
    assert (report.from_ingest, report.from_store) == (0, 12 + len(RECORDS))
    assert documents(staged) == documents(read_back)
    assert titles(staged, "truyen kieu") == titles(read_back, "truyen kieu") == ["Truyện Kiều"]
    again = staged.sync(store, minter)
    assert (again.indexed, again.removed, again.entries) == (0, 0, 0)


def test_changed_withdrawn_and_merged_records_follow_the_store(store, minter: Minter, tmp_path: Path) -> None:  # noqa: F811
    index = SqliteIndex(None)
    ingest(store, FIXTURE, "x-tv-hcm", minter, index)
    index.sync(store, minter)
    assert titles(index, "duong ve que") == ["Đường về quê : tiểu thuyết"]
    # changed: the same record (same control number) with another title
    changed = [(*RECORDS[5][:4], "Đường về làng", *RECORDS[5][5:])]
    path = tmp_path / "changed.xml"
    path.write_text(
        f'<collection xmlns="http://www.loc.gov/MARC21/slim">{record(*changed[0])}</collection>',
        encoding="utf-8",
    )
    ingest(store, path, "x-tv-hcm", minter, index)
    report = index.sync(store, minter)
    assert report.indexed == 1
    assert titles(index, "duong ve que") == []
    assert titles(index, "duong ve lang") == ["Đường về làng : tiểu thuyết"]
    # merged: a second library sends the ISBN record; one entry held by two libraries
    ingest(store, write_collection(tmp_path / "copy.xml", {"TK-S007"}), "VN-TEST1", minter)
    report = index.sync(store, minter)
    assert report.from_store == 1  # no documents staged for it: read back from the store
    [hit] = index.search("isbn:9786049571237").hits
    assert (hit.union, hit.records, hit.holdings) == (True, 2, 2)
    # withdrawn: leader/05 = d
    gone = tmp_path / "gone.xml"
    gone.write_text(
        write_collection(tmp_path / "w.xml", {"TK-S007"})
        .read_text(encoding="utf-8")
        .replace("00000nam", "00000dam"),
        encoding="utf-8",
    )
    ingest(store, gone, "VN-TEST1", minter, index)
    report = index.sync(store, minter)
    assert report.removed == 1
    [hit] = index.search("isbn:9786049571237").hits
    assert (hit.records, hit.holdings) == (1, 1)
    assert minter.library("VN-TEST1").value not in {a.library for a in index.arrivals(limit=100)}


def test_documents_staged_for_records_never_loaded_are_not_found(
    store,  # noqa: F811
    minter: Minter,
    tmp_path: Path,
) -> None:
    """An ingest cut off after staging a batch and before loading it: the next sync indexes what
    the store holds, not what was staged."""
    index = SqliteIndex(tmp_path / "index.sqlite3")
    ingest(store, FIXTURE, "x-tv-hcm", minter, index)
    index.sync(store, minter)
    graph = next(iter(documents(index)))
    index.stage(
        [(graph, "a digest the store does not have", json.dumps({"instance": "x", "title": "Không có"}))]
    )
    index.stage([(graph + "-never-loaded", "d", json.dumps({"instance": "y", "title": "Không có"}))])
    report = index.sync(store, minter)
    assert report.indexed == 0
    assert titles(index, "khong co") == []
