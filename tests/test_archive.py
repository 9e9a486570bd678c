"""The record archive behind OAI-PMH and the change feed (lod.archive), over a real store: what a
sync notes and when, its idempotence, cut-off ingests, records loaded before it existed; the
crosswalks' XML; the change feed's pages; OAI-PMH answers that need a special store."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pyoxigraph import Literal, Triple

from lod.archive import RecordArchive, content_digest, marcxml
from lod.config import Settings, load_settings
from lod.crosswalks import dublin_core, oai_dc_xml, rdf_xml
from lod.ingest import Source, ingest_files
from lod.marcio import finish_reading, read_marc
from lod.marcrecord import Field, Record, Subfield
from lod.oai import Repository, respond
from lod.pipeline import convert
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.vocab import LODV, RDFS
from tests.conftest import BASE, SAMPLE
from tests.test_updates import marc_file

LIBRARY = "VN-TESTOAI"
OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def load(store: OxigraphStore, minter: Minter, path: Path, archive: RecordArchive | None) -> None:
    ingest_files(
        store,
        [Source(path, LIBRARY)],
        minter,
        on_sources=archive.stage if archive is not None else None,
    )


def rows(archive: RecordArchive) -> list[tuple[Any, ...]]:
    return archive._all(
        "SELECT id, library, control, digest, content, datestamp, deleted FROM records ORDER BY id"
    )


def changes(archive: RecordArchive) -> list[tuple[str, str]]:
    return [(c.id, c.kind) for c in archive.changes(1, 10**9)]


def record_id(minter: Minter, control: str) -> str:
    return minter.record_id(LIBRARY, control)


@pytest.fixture()
def minter() -> Minter:
    return Minter(BASE)


def test_a_sync_notes_new_changed_and_withdrawn_records(tmp_path: Path, minter: Minter) -> None:
    store, archive = OxigraphStore.open(None), RecordArchive(tmp_path / "records.sqlite3", BASE)
    load(store, minter, marc_file(tmp_path / "a.mrc", [("1", "Một"), ("2", "Hai"), ("3", "Ba")]), archive)
    report = archive.sync(store, minter)
    assert (report.created, report.updated, report.deleted, report.from_store) == (3, 0, 0, 0)
    first = {r[0]: r for r in rows(archive)}
    assert {r[2] for r in first.values()} == {"1", "2", "3"} and {r[1] for r in first.values()} == {LIBRARY}
    assert archive.marcxml(record_id(minter, "2")) is not None
    # syncing again changes nothing: no datestamp, no change
    assert archive.sync(store, minter).created == 0
    assert {r[0]: r for r in rows(archive)} == first and len(changes(archive)) == 3
    # an update, a deletion, an unchanged record
    changed = marc_file(tmp_path / "b.mrc", [("1", "Một"), ("2", "Hai (sửa)"), ("3", "Ba")], frozenset({"3"}))
    load(store, minter, changed, archive)
    report = archive.sync(store, minter)
    assert (report.created, report.updated, report.deleted) == (0, 1, 1)
    now = {r[0]: r for r in rows(archive)}
    one, two, three = (record_id(minter, c) for c in "123")
    assert now[one] == first[one]
    assert now[two][5] >= first[two][5] and now[two][3] != first[two][3]
    assert now[three][6] == 1 and archive.marcxml(three) is None
    assert "Hai (sửa)" in (archive.marcxml(two) or "")
    assert changes(archive)[3:] == sorted([(two, "Update"), (three, "Delete")])
    # the record comes back: created again
    load(store, minter, marc_file(tmp_path / "c.mrc", [("3", "Ba")]), archive)
    assert archive.sync(store, minter).created == 1
    assert changes(archive)[-1] == (three, "Create") and archive.get(three) is not None
    assert not archive.get(three).deleted  # type: ignore[union-attr]


def test_a_new_converter_that_changes_nothing_re_dates_nothing(tmp_path: Path, minter: Minter) -> None:
    """A new release changes every source digest; a record whose MARCXML and statements come out
    the same keeps its datestamp, so harvesters are not sent the whole catalogue again."""
    store, archive = OxigraphStore.open(None), RecordArchive(None, BASE)
    path = marc_file(tmp_path / "a.mrc", [("1", "Một"), ("2", "Hai")])
    load(store, minter, path, archive)
    archive.sync(store, minter)
    before = {r[0]: r for r in rows(archive)}
    one, two = record_id(minter, "1"), record_id(minter, "2")
    # as the next re-send after a release would: new digests in the store, rows staged again
    staged = []
    for id_, new_content in ((one, before[one][4]), (two, "another content")):
        graph = minter.record_graph(id_)
        store.remove_subject(graph, graph)  # the graph's one statement about itself: its digest
        store.add_shared(graph, [(graph, LODV.sourceDigest, Literal("new-" + id_))])
        staged.append((id_, "new-" + id_, LIBRARY, before[id_][2], new_content, None))
    archive.stage(staged)
    report = archive.sync(store, minter)
    assert (report.same_content, report.updated) == (1, 1)
    after = {r[0]: r for r in rows(archive)}
    assert after[one][5] == before[one][5] and after[one][3] == "new-" + one
    assert after[two][4] == "another content"
    assert [kind for id_, kind in changes(archive) if id_ == one] == ["Create"]


def test_the_content_digest_is_the_same_for_the_same_record_converted_twice(minter: Minter) -> None:
    def digest(item: Any) -> str:
        converted = convert(finish_reading(item), "X", minter)
        lines = [f"{s} {p} {o} .\n" for s, p, o in converted.record.triples]
        assert converted.source.record is not None
        return content_digest(lines, marcxml(converted.source.record))

    first = [digest(item) for item in read_marc(SAMPLE / "vietnamese.xml")]
    again = [digest(item) for item in read_marc(SAMPLE / "vietnamese.xml")]  # other blank nodes
    assert first == again and len(set(first)) == len(first)
    lines = ["<a> <p> _:x1 .\n", '_:x1 <q> "1" .\n', "<a> <p> _:x2 .\n", '_:x2 <q> "2" .\n']
    swapped = ["<a> <p> _:y1 .\n", '_:y1 <q> "2" .\n', "<a> <p> _:y2 .\n", '_:y2 <q> "1" .\n']
    relabelled = [line.replace("_:x", "_:z") for line in lines]
    assert content_digest(lines, "") == content_digest(relabelled, "")
    assert content_digest(lines, "") != content_digest(swapped, "")  # values moved between nodes
    assert content_digest(lines, "") != content_digest(lines, "<record/>")


def test_a_cut_off_ingest_ends_consistent_at_the_next_sync(tmp_path: Path, minter: Minter) -> None:
    store, archive = OxigraphStore.open(None), RecordArchive(tmp_path / "records.sqlite3", BASE)
    load(store, minter, marc_file(tmp_path / "a.mrc", [("1", "Một")]), archive)
    archive.sync(store, minter)
    before = rows(archive)
    # rows staged, then the ingest killed before it wrote the records: the store never had them
    archive.stage([(record_id(minter, "9"), "d9", LIBRARY, "9", "c9", None)])
    archive.stage([(record_id(minter, "1"), "other-digest", LIBRARY, "1", "c1", None)])
    assert archive.sync(store, minter).created == 0
    assert rows(archive) == before
    assert archive._all("SELECT count(*) FROM staged") == [(0,)]
    # an ingest that wrote its records and was killed before its sync: the next sync takes them
    load(store, minter, marc_file(tmp_path / "b.mrc", [("2", "Hai")]), archive)
    reopened = RecordArchive(tmp_path / "records.sqlite3", BASE)
    report = reopened.sync(store, minter)
    assert (report.created, report.from_store) == (1, 0)
    assert reopened.marcxml(record_id(minter, "2")) is not None


def test_records_loaded_before_the_archive_are_offered_without_marcxml(
    tmp_path: Path, minter: Minter
) -> None:
    store = OxigraphStore.open(None)
    load(store, minter, marc_file(tmp_path / "a.mrc", [("1", "Một"), ("2", "Hai"), ("3", "Ba")]), None)
    load(store, minter, marc_file(tmp_path / "b.mrc", [("3", "Ba")], frozenset({"3"})), None)  # withdrawn
    archive = RecordArchive(None, BASE)
    report = archive.sync(store, minter)
    assert (report.created, report.from_store, report.deleted) == (2, 2, 1)
    one, three = record_id(minter, "1"), record_id(minter, "3")
    assert [r[1:3] for r in rows(archive) if r[0] == one] == [(LIBRARY, "1")]
    assert archive.get(three) is not None and archive.get(three).deleted  # type: ignore[union-attr]
    repository = Repository(archive, store, minter, "test", "", "cc0", page_size=10)

    def ask(**args: str) -> etree._Element:
        return etree.fromstring(respond(repository, list(args.items())).encode())

    identifier = f"oai:data.test:{one}"
    formats = ask(verb="ListMetadataFormats", identifier=identifier)
    assert [e.text for e in formats.iterfind(".//oai:metadataPrefix", OAI)] == ["oai_dc", "rdf"]
    error = ask(verb="GetRecord", identifier=identifier, metadataPrefix="marcxml").find("oai:error", OAI)
    assert error is not None and error.get("code") == "cannotDisseminateFormat"
    listed = ask(verb="ListIdentifiers", metadataPrefix="marcxml")  # only the deleted one has none
    assert [h.get("status") for h in listed.iterfind(".//oai:header", OAI)] == ["deleted"]
    assert len(ask(verb="ListRecords", metadataPrefix="oai_dc").findall(".//oai:record", OAI)) == 3
    # sent again, it gets its MARCXML (and a new datestamp: what it disseminates changed)
    again = RecordArchive(None, BASE)
    again.sync(store, minter)
    load(store, minter, marc_file(tmp_path / "c.mrc", [("1", "Một (sửa)")]), again)
    again.sync(store, minter)
    assert again.get(one) is not None and again.get(one).has_marcxml  # type: ignore[union-attr]


def test_an_empty_repository_has_no_sets_and_no_records(minter: Minter) -> None:
    store = OxigraphStore.open(None)
    archive = RecordArchive(None, BASE)
    archive.sync(store, minter)
    repository = Repository(archive, store, minter, "test", "lod@data.test", "cc0")

    def code(**args: str) -> str | None:
        root = etree.fromstring(respond(repository, list(args.items())).encode())
        error = root.find("oai:error", OAI)
        return None if error is None else error.get("code")

    assert code(verb="ListSets") == "noSetHierarchy"
    assert code(verb="ListRecords", metadataPrefix="oai_dc", set="VN-X") == "noSetHierarchy"
    assert code(verb="ListRecords", metadataPrefix="oai_dc") == "noRecordsMatch"
    assert code(verb="Identify") is None
    identify = etree.fromstring(respond(repository, [("verb", "Identify")]).encode())
    assert identify.findtext(".//oai:adminEmail", namespaces=OAI) == "lod@data.test"
    description = identify.find(".//{http://www.openarchives.org/OAI/2.0/oai-identifier}repositoryIdentifier")
    assert description is not None and description.text == "data.test"


# the XML ----------------------------------------------------------------------------------------
def test_what_xml_cannot_carry_never_reaches_it(minter: Minter) -> None:
    record = Record(
        "00000nam a2200000 a 4500",
        [
            Field("245", "1", "0", [Subfield("a", 'Sách <mới> & \x1bcũ\x00 "x"')]),
            Field("001", data="id\x07"),
        ],
    )
    xml = marcxml(record)
    root = etree.fromstring(xml.encode())
    assert [c.tag.split("}")[1] for c in root] == ["leader", "controlfield", "datafield"]  # control first
    assert root[2][0].text == 'Sách <mới> & \ufffdcũ\ufffd "x"'
    triples = [Triple(minter.instance("r"), RDFS.label, Literal("Tựa \x01 <đề> & x", language="vi"))]
    dc = oai_dc_xml(dublin_core(triples, minter, "r", "cc0"))
    title = etree.fromstring(dc.encode()).find("{http://purl.org/dc/elements/1.1/}title")
    assert title is not None and title.text == "Tựa \ufffd <đề> & x"
    assert title.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    parsed = etree.fromstring(rdf_xml(triples).encode())
    label = parsed.find(".//{http://www.w3.org/2000/01/rdf-schema#}label")
    assert label is not None and label.text == "Tựa \ufffd <đề> & x"


# the change feed --------------------------------------------------------------------------------
@pytest.fixture()
def feed(tmp_path: Path, minter: Minter) -> Any:
    from lod.web import create_app

    store, archive = OxigraphStore.open(None), RecordArchive(None, BASE)
    load(store, minter, marc_file(tmp_path / "a.mrc", [(str(i), f"Sách {i}") for i in range(1, 6)]), archive)
    archive.sync(store, minter)
    load(store, minter, marc_file(tmp_path / "b.mrc", [("2", "Sách 2")], frozenset({"2"})), archive)
    archive.sync(store, minter)
    settings: Settings = load_settings(
        env={}, overrides={"store": ":memory:", "base_iri": BASE, "harvest_page_size": 2}
    )
    app = create_app(settings, store=store)
    app.extensions["lod.archive"] = archive
    return app.test_client(), archive


def test_the_change_feed_pages_what_changed(feed: Any, minter: Minter) -> None:
    client, archive = feed
    response = client.get("/changes")
    assert response.status_code == 200
    assert response.content_type == "application/activity+json; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    collection = response.get_json(force=True)
    assert collection["type"] == "OrderedCollection" and collection["totalItems"] == 6
    assert collection["first"]["id"] == BASE + "changes/page/0"
    assert collection["last"]["id"] == BASE + "changes/page/2"
    items, page = [], collection["first"]["id"]
    while page:
        data = client.get(page.removeprefix(BASE.rstrip("/"))).get_json(force=True)
        assert data["type"] == "OrderedCollectionPage" and data["partOf"] == BASE + "changes"
        items += data["orderedItems"]
        page = data.get("next")
    assert [a["type"] for a in items] == ["Create"] * 5 + ["Delete"]
    two = minter.instance(record_id(minter, "2")).value
    assert items[-1]["object"][0] == {
        "id": two,
        "type": "Tombstone",
        "formerType": "bf:Instance",
        "deleted": items[-1]["published"],
    }
    assert items[-1]["object"][1]["id"] == minter.record_graph(record_id(minter, "2")).value
    assert items[0]["actor"]["id"] == minter.library(LIBRARY).value
    assert [a["published"] for a in items] == sorted(a["published"] for a in items)
    last = client.get("/changes/page/2").get_json(force=True)
    assert last["prev"] == BASE + "changes/page/1" and "next" not in last
    ld = client.get("/changes", headers={"Accept": "application/ld+json"})
    assert (
        ld.content_type
        == 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"; charset=utf-8'
    )
    assert client.get("/changes/page/3").status_code == 404
    assert client.get("/changes?since=yesterday").status_code == 400


def test_the_change_feed_since_a_date(feed: Any) -> None:
    client, archive = feed
    stamps = sorted({c.datestamp for c in archive.changes(1, 100)})
    newest = stamps[-1]
    data = client.get(f"/changes?since={newest}").get_json(force=True)
    expected = len([c for c in archive.changes(1, 100) if c.datestamp >= newest])
    assert data["totalItems"] == expected and data["id"] == f"{BASE}changes?since={newest}"
    page = client.get(data["last"]["id"].removeprefix(BASE.rstrip("/"))).get_json(force=True)
    assert page["orderedItems"] and all(a["published"] >= newest for a in page["orderedItems"])
    assert client.get("/changes?since=2999-01-01").get_json(force=True)["totalItems"] == 0


def test_the_archive_lives_beside_the_store(tmp_path: Path) -> None:
    from lod.archive import archive_path

    def path(**overrides: str) -> str:
        return archive_path(load_settings(env={}, overrides=overrides))

    assert path(store=str(tmp_path / "s")) == str(tmp_path / "s") + "-records.sqlite3"
    assert path(store=":memory:") == ":memory:"
    assert path(store="http://localhost:7878") == "var/records.sqlite3"
    assert path(store=":memory:", records_archive=str(tmp_path / "r.db")) == str(tmp_path / "r.db")
    archive = RecordArchive(tmp_path / "r.db", BASE)
    assert sqlite3.connect(tmp_path / "r.db").execute(
        "SELECT value FROM meta WHERE key = 'base'"
    ).fetchone() == (BASE,)
    archive.close()
    assert not RecordArchive(tmp_path / "none.db", BASE, read_only=True).available()


def test_a_record_loaded_by_quarantine_retry_has_its_marcxml(tmp_path: Path) -> None:
    from lod.quarantine import Quarantine
    from lod.validation import ValidationResult
    from tests.test_quarantine import koha_records, lod

    good = koha_records()[0]
    stale = ValidationResult(focus="f", path=None, severity="violation", messages={"vi": "cũ", "en": "old"})
    entry = Quarantine(tmp_path / "q").add(good, "DEMO-VN2", [stale])
    done = lod(tmp_path, "quarantine", "retry", entry.id, lang="en")
    assert done.returncode == 0, done.stderr
    assert "Record archive (OAI-PMH, change feed)" in done.stderr and "1 new" in done.stderr
    archive = RecordArchive(str(tmp_path / "store") + "-records.sqlite3", "http://127.0.0.1:5000/")
    [row] = rows(archive)
    assert row[1:3] == ("DEMO-VN2", "1021") and row[3]  # with the digest an ingest would give
    assert '<controlfield tag="001">1021</controlfield>' in (archive.marcxml(row[0]) or "")
