"""Ingest stages and the whole pipeline over a real pyoxigraph store."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from lod.errors import InputError, RecordError
from lod.ingest import ingest_file
from lod.pipeline import check_file, convert, read, split_shared
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.vocab import BF, RDFS
from tests.conftest import SAMPLE

VIETNAMESE = SAMPLE / "vietnamese.xml"
KOHA = SAMPLE / "vietnamese-koha.mrc"
BROKEN = Path(__file__).parent / "data" / "pipeline"


@pytest.fixture()
def store() -> OxigraphStore:
    """An empty in-memory store for each test (the sample store is the session fixture)."""
    return OxigraphStore.open(None)


def test_sample_loads_completely(sample_store) -> None:
    store, reports = sample_store
    assert sum(r.read for r in reports) == sum(r.loaded for r in reports) == 46
    assert all(r.skipped == 0 and not r.errors for r in reports)
    catalogued = (
        "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "
        "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a bf:Instance ; bf:instanceOf ?w }"
    )
    assert int(next(iter(store.query(catalogued)))["n"].value) == 46
    # plus the 11 Instances the records only link to (76X-78X)
    assert store.counts()["instances"] == 46 + 11


def kind_of(term, minter: Minter) -> str | None:  # type: ignore[no-untyped-def]
    ref = minter.parse(term.value) if isinstance(term, NamedNode) else None
    return ref.kind if ref is not None else None


def test_convert_stage_splits_record_and_shared_statements(minter: Minter) -> None:
    item = next(iter(read(VIETNAMESE)))
    converted = convert(item, "DEMO-VN1", minter)
    shared_kinds = {kind_of(s, minter) for s, _, _ in converted.record.shared}
    assert shared_kinds == {"agent", "topic", "place"}
    assert not any(isinstance(o, BlankNode) for _, _, o in converted.record.shared)
    # what stays with the record about a shared entity points at one of the record's blank nodes
    assert all(
        isinstance(o, BlankNode)
        for s, _, o in converted.record.triples
        if kind_of(s, minter) in {"agent", "topic", "place", "series"}
    )
    own, shared = split_shared([*converted.record.triples, *converted.record.shared], minter)
    assert len(own) == len(converted.record.triples) and len(shared) == len(converted.record.shared)


def test_reingest_is_idempotent_and_writes_nothing(minter: Minter) -> None:
    store = OxigraphStore.open(None)
    first = ingest_file(store, VIETNAMESE, "DEMO-VN1", minter)
    before = sorted(str(q) for q in store.quads())
    second = ingest_file(store, VIETNAMESE, "DEMO-VN1", minter)
    assert (first.loaded, first.unchanged) == (12, 0)
    assert (second.read, second.loaded, second.unchanged, second.triples) == (12, 0, 12, 0)
    assert sorted(str(q) for q in store.quads()) == before  # not even blank nodes renamed
    assert store.graph_count() == 12 + 1  # one graph per record plus the shared graph


def test_same_control_number_in_two_libraries_gives_two_instances(store, minter) -> None:
    ingest_file(store, VIETNAMESE, "DEMO-VN1", minter)
    ingest_file(store, VIETNAMESE, "DEMO-VN3", minter)
    assert store.counts()["instances"] == 24
    # shared agents are not duplicated: Nguyễn Du is one agent
    rows = list(
        store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            'SELECT DISTINCT ?a WHERE { ?a rdfs:label ?l FILTER(STRSTARTS(?l, "Nguyễn, Du")) }'
        )
    )
    assert len(rows) == 1


def test_bad_records_are_reported_and_the_rest_loads(store, minter, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.mrc"
    # good Koha records around the broken ones from pymarc's test suite
    mixed.write_bytes(KOHA.read_bytes() + (BROKEN / "bad_records.mrc").read_bytes() + KOHA.read_bytes())
    errors: list[RecordError] = []
    report = ingest_file(store, mixed, "DEMO-VN2", minter, on_error=errors.append)
    assert report.read == 3 + 8 + 3
    assert report.loaded == 6  # the Koha records twice (the second time replaces the first)
    assert report.skipped == 8 == len(errors) == len(report.errors)
    messages = [e.message("en") for e in errors]
    assert all(m.startswith(f"{mixed}: record ") for m in messages)
    assert {e.position for e in errors} == set(range(4, 12))
    assert any("no control number (001)" in m for m in messages)
    assert any("Invalid directory" in m for m in messages)
    assert store.counts()["instances"] == 3


def test_invalid_record_is_skipped_with_shacl_message(store, minter) -> None:
    errors: list[RecordError] = []
    report = ingest_file(store, BROKEN / "talis_no_title2.mrc", "X", minter, on_error=errors.append)
    assert (report.read, report.loaded, report.skipped) == (1, 0, 1)
    assert "An Instance must have a title (field 245 $a)" in errors[0].message("en")
    assert "Ấn phẩm phải có nhan đề" in errors[0].message("vi")
    assert "e02ac0e42cb64948912dde564dbf19d7" in errors[0].message("en")
    assert store.counts().get("instances", 0) == 0


def test_authority_record_is_converted_and_loaded(store, minter) -> None:
    """Authority records (leader/06 'z') are converted now, numbered apart from bibliographic 001s."""
    report = ingest_file(store, BROKEN / "authority-record.mrc", "X", minter)
    assert (report.read, report.loaded, report.skipped) == (1, 1, 0)
    assert report.errors == [] and report.triples > 0
    assert store.counts().get("instances", 0) == 0


def test_deleted_record_withdraws_the_loaded_one(store, minter, tmp_path: Path) -> None:
    ingest_file(store, KOHA, "DEMO-VN2", minter)
    assert store.counts()["instances"] == 3
    deleted = tmp_path / "deleted.mrc"
    raw = KOHA.read_bytes().split(b"\x1d")[0] + b"\x1d"
    deleted.write_bytes(raw[:5] + b"d" + raw[6:])
    report = ingest_file(store, deleted, "DEMO-VN2", minter)
    assert report.withdrawn == 1 and report.skipped == 0
    assert store.counts()["instances"] == 2


def test_unreadable_file_raises_input_error_naming_it(store, minter, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nowhere.mrc"):
        ingest_file(store, tmp_path / "nowhere.mrc", "X", minter)
    not_marc = tmp_path / "notes.txt"
    not_marc.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="notes.txt"):
        ingest_file(store, not_marc, "X", minter)


def test_validation_can_be_switched_off(store, minter) -> None:
    report = ingest_file(store, BROKEN / "talis_no_title2.mrc", "X", minter, validate_shapes=False)
    assert report.loaded == 1 and report.skipped == 0


def test_diacritics_are_stored_nfc_and_never_stripped(store, minter) -> None:
    ingest_file(store, VIETNAMESE, "DEMO-VN1", minter)
    labels = [
        t.object.value for t in store.quads() if t.predicate == RDFS.label and isinstance(t.object, Literal)
    ]
    import unicodedata

    assert all(unicodedata.is_normalized("NFC", label) for label in labels)
    assert any(label.startswith("Số đỏ") for label in labels)  # the NFD record, composed
    assert "Truyện Kiều" in {label.split(" :")[0] for label in labels}


def test_check_file_reports_without_loading(minter) -> None:
    results, records = check_file(str(BROKEN / "talis_no_title2.mrc"), "X", minter, "en")
    assert records == 1
    # 008 gives the publication (date and country), so no warning: only the missing title
    assert {r["severity"] for r in results} == {"violation"}
    assert "An Instance must have a title (field 245 $a)" in {r["message"] for r in results}
    clean, count = check_file(str(VIETNAMESE), "DEMO-VN1", minter, "en")
    assert count == 12 and not [r for r in clean if r["severity"] == "violation"]


def test_items_are_held_by_the_sending_library(store, minter) -> None:
    ingest_file(store, KOHA, "DEMO-VN2", minter)
    holders = {t.object for t in store.quads() if t.predicate == BF.heldBy}
    assert holders == {minter.library("DEMO-VN2")}


@pytest.fixture(autouse=True, scope="module")
def _fixtures_present() -> None:
    for name in ("bad_records.mrc", "talis_no_title2.mrc", "authority-record.mrc"):
        assert (BROKEN / name).exists(), name


def test_worker_processes_load_the_same_store_and_report(tmp_path: Path, minter: Minter) -> None:
    """The same mixed file ingested in this process and in two worker processes (records split
    into batches of 5 so that the batches really spread): the same store, graph by graph, and the
    same report, down to each error's position and each quarantined record."""
    import lod.batches as batches
    from lod.quarantine import Quarantine
    from tests.test_marcio import vietnamese_record
    from tests.test_updates import dataset, same

    mixed = tmp_path / "mixed.mrc"
    mixed.write_bytes(
        KOHA.read_bytes()
        + (BROKEN / "bad_records.mrc").read_bytes()  # quarantined: unreadable, or no 001
        + vietnamese_record("TCVN3", control="VN-T1")  # legacy: read in the main process
        + (BROKEN / "talis_no_title2.mrc").read_bytes()  # quarantined
        + KOHA.read_bytes().replace(b"nam a22", b"dam a22", 1)  # the first Koha record withdrawn
        + vietnamese_record("VNI", control="VN-V1")
    )
    outcomes = []
    for workers in (0, 2):
        store = OxigraphStore.open(None)
        quarantine = Quarantine(tmp_path / f"quarantine-{workers}")
        original = batches.BATCH_SIZE
        batches.BATCH_SIZE = 5
        try:
            report = ingest_file(store, mixed, "DEMO-VN2", minter, quarantine=quarantine, workers=workers)
        finally:
            batches.BATCH_SIZE = original
        outcomes.append((store, report, sorted(e.position for e in quarantine.list())))
    (serial, one, kept_one), (parallel, two, kept_two) = outcomes
    # (not `triples`: each worker sends a shared statement once, so two send some twice)
    counts = ("read", "loaded", "skipped", "withdrawn", "quarantined", "conforming", "warned")
    assert {c: getattr(one, c) for c in counts} == {c: getattr(two, c) for c in counts}
    assert (one.read, one.withdrawn, one.quarantined) == (3 + 8 + 1 + 1 + 3 + 1, 1, 8 + 1)
    assert one.read == one.loaded + one.quarantined + 1  # the withdrawn record is neither
    assert [e.message("en") for e in one.errors] == [e.message("en") for e in two.errors]
    assert one.notes == two.notes and any(key == "record.legacy_decoded" for _, _, key, _ in two.notes)
    assert kept_one == kept_two == [*range(4, 12), 13]
    assert same(dataset(serial, minter), dataset(parallel, minter))
    titles = {q.object.value for q in parallel.quads() if q.predicate == RDFS.label}
    assert "Khổ mẫu MARC 21 cho dữ liệu thư mục" in {t.split(" /")[0] for t in titles}


def test_a_store_that_cannot_be_written_stops_the_ingest_with_a_store_error(tmp_path: Path, minter) -> None:
    """The writes run on a thread of their own (lod.loading): its failure still reaches the caller,
    and the checkpoint does not move past records that were not written."""
    from lod.checkpoint import Checkpoints
    from lod.errors import StoreError
    from lod.registry import ingest_registry

    registry = tmp_path / "registry.csv"
    registry.write_text("id,name,type,ownership,province_code\nt1,Thư viện thử,public,public,01\n", "utf-8")
    writable = OxigraphStore.open(tmp_path / "store")
    assert ingest_registry(writable, registry, minter).skipped == 0  # known: nothing to add for it
    writable.flush()
    del writable
    read_only = OxigraphStore.open(tmp_path / "store", read_only=True)
    checkpoints = Checkpoints(tmp_path / "store.checkpoints.json")
    with pytest.raises(StoreError):
        ingest_file(read_only, KOHA, "t1", minter, validate_shapes=False, checkpoints=checkpoints)
    assert not checkpoints.path.exists()  # never moved
