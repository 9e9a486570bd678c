"""Union catalogue clustering across three libraries: true matches merge (shared ISBN in its two
forms, the same title/author/year/publisher without an ISBN), false ones do not (another edition
with its own ISBN, another year, another author), clusters say why, and overrides win."""

from __future__ import annotations

from pathlib import Path

import pymarc
import pytest
from pyoxigraph import NamedNode

from lod.clustering import cluster, match_keys, read_overrides
from lod.ingest import ingest_file
from lod.store import OxigraphStore
from lod.unions import read_records, recluster
from lod.uris import Minter
from lod.vocab import BF, LODV

Book = tuple[str, str, str, str, str, str | None]
"""001, title, author, year, publisher, ISBN."""

LIBRARIES: dict[str, list[Book]] = {
    "VN-A": [
        ("a1", "Truyện Kiều", "Nguyễn, Du", "2015", "Văn học", "978-0-306-40615-7"),
        ("a2", "Số đỏ", "Vũ, Trọng Phụng", "2016", "Hội Nhà văn", "9786049000001"),
        ("a3", "Tắt đèn", "Ngô, Tất Tố", "2010", "Kim Đồng", None),
    ],
    "VN-B": [
        ("b1", "Truyện Kiều :", "Nguyễn Du", "2015", "Văn học", "0-306-40615-2"),  # its ISBN-10
        ("b2", "Số đỏ", "Vũ, Trọng Phụng", "2016", "Hội Nhà văn", "9786049000002"),  # another edition
        ("b3", "Tắt đèn.", "NGÔ, TẤT TỐ", "2010", "Kim Đồng", None),
    ],
    "VN-C": [
        ("c1", "Truyện Kiều", "Nguyễn, Du.", "2015", "Văn học", None),
        ("c2", "Tắt đèn", "Ngô, Tất Tố", "2012", "Kim Đồng", None),  # another year
        ("c3", "Truyện Kiều", "Nguyễn, Văn A", "2015", "Văn học", None),  # another author
    ],
}


def write(path: Path, books: list[Book]) -> Path:
    with open(path, "wb") as out:
        for control, title, author, year, publisher, isbn in books:
            record = pymarc.Record(force_utf8=True)
            record.leader = pymarc.Leader("00000nam a2200000 a 4500")
            record.add_field(pymarc.Field(tag="001", data=control))
            record.add_field(pymarc.Field(tag="008", data=f"200101s{year}    vm            000 0 vie d"))
            if isbn:
                record.add_field(pymarc.Field(tag="020", indicators=pymarc.Indicators(" ", " "),
                                              subfields=[pymarc.Subfield("a", isbn)]))  # fmt: skip
            record.add_field(pymarc.Field(tag="100", indicators=pymarc.Indicators("1", " "),
                                          subfields=[pymarc.Subfield("a", author)]))  # fmt: skip
            record.add_field(pymarc.Field(tag="245", indicators=pymarc.Indicators("1", "0"),
                                          subfields=[pymarc.Subfield("a", title)]))  # fmt: skip
            record.add_field(pymarc.Field(tag="264", indicators=pymarc.Indicators(" ", "1"), subfields=[
                pymarc.Subfield("a", "Hà Nội :"), pymarc.Subfield("b", publisher + ","),
                pymarc.Subfield("c", year)]))  # fmt: skip
            record.add_field(pymarc.Field(tag="952", indicators=pymarc.Indicators(" ", " "),
                                          subfields=[pymarc.Subfield("p", f"VV.{control}")]))  # fmt: skip
            out.write(record.as_marc())
    return path


@pytest.fixture()
def union(tmp_path: Path, minter: Minter) -> tuple[OxigraphStore, dict[str, str]]:
    """A store with the three libraries' records; and 001 -> that record's Instance IRI."""
    store = OxigraphStore.open(None)
    instances: dict[str, str] = {}
    for library, books in LIBRARIES.items():
        report = ingest_file(store, write(tmp_path / f"{library}.mrc", books), library, minter)
        assert report.loaded == len(books), [e.message("en") for e in report.errors]
        for book in books:
            instances[book[0]] = minter.instance(minter.record_id(library, book[0])).value
    return store, instances


def union_triples(store: OxigraphStore, minter: Minter) -> list:
    """The statements of every union graph."""
    prefix = minter.union_graph("").value
    return [t for g in store.graph_names(prefix) for t in store.graph_triples(NamedNode(g))]


def groups(
    store: OxigraphStore, instances: dict[str, str], overrides: Path | None = None
) -> set[frozenset[str]]:
    found = cluster(read_records(store), read_overrides(overrides))
    by_iri = {iri: control for control, iri in instances.items()}
    return {frozenset(by_iri[m] for m in members) for members in found.instances.values()}


def test_true_matches_merge_and_false_ones_do_not(union: tuple[OxigraphStore, dict[str, str]]) -> None:
    store, instances = union
    assert groups(store, instances) == {
        frozenset({"a1", "b1", "c1"}),  # ISBN-13 = ISBN-10; c1 (no ISBN) by title/author/year/publisher
        frozenset({"a2"}), frozenset({"b2"}),  # same description, different ISBNs: two editions
        frozenset({"a3", "b3"}),  # no ISBN: the same title, author, year and publisher
        frozenset({"c2"}),  # another year
        frozenset({"c3"}),  # another author
    }  # fmt: skip


def test_clusters_say_why_and_list_every_holding(
    union: tuple[OxigraphStore, dict[str, str]], minter: Minter
) -> None:
    store, instances = union
    recluster(store, minter)
    triples = union_triples(store, minter)
    reason = {t.subject.value: t.object.value for t in triples if t.predicate == LODV.matchedOn}
    assert reason[instances["a1"]] == reason[instances["b1"]] == "isbn:9780306406157"
    assert reason[instances["c1"]].startswith("tayp:truyện kiều|nguyễn du|2015|")
    assert reason[instances["a2"]] == "only member"
    union_of = {t.subject.value: t.object for t in triples if t.predicate == LODV.unionInstance}
    kieu = union_of[instances["a1"]]
    assert union_of[instances["b1"]] == union_of[instances["c1"]] == kieu
    items = [t.object for t in triples if t.subject == kieu and t.predicate == BF.hasItem]
    held_by = {
        q.object.value
        for item in items
        for q in store.quads()
        if q.subject == item and q.predicate == BF.heldBy
    }
    assert held_by == {minter.library(code).value for code in ("VN-A", "VN-B", "VN-C")}
    # the two editions of Số đỏ are two union Instances of one union Work
    works = {t.subject: t.object for t in triples if t.predicate == BF.instanceOf}
    assert union_of[instances["a2"]] != union_of[instances["b2"]]
    assert works[union_of[instances["a2"]]] == works[union_of[instances["b2"]]]
    # each library's own description is untouched, in its own graph
    assert store.exists(NamedNode(instances["b1"]))


def test_overrides_merge_and_split(union: tuple[OxigraphStore, dict[str, str]], tmp_path: Path) -> None:
    store, instances = union
    overrides = tmp_path / "clusters.toml"
    overrides.write_text(
        f'[[merge]]\ninstances = ["{instances["a3"]}", "{instances["c2"]}"]\n'
        f'[[split]]\ninstances = ["{instances["b1"]}"]\n',
        encoding="utf-8",
    )
    found = groups(store, instances, overrides)
    assert frozenset({"a3", "b3", "c2"}) in found
    assert frozenset({"b1"}) in found and frozenset({"a1", "c1"}) in found
    reasons = cluster(read_records(store), read_overrides(overrides)).reasons
    assert reasons[instances["c2"]] == "override:merge" and reasons[instances["b1"]] == "override:split"


def test_reclustering_is_stable(union: tuple[OxigraphStore, dict[str, str]], minter: Minter) -> None:
    store, _ = union
    first_run = recluster(store, minter).written
    assert first_run is not None and (first_run.written, first_run.kept) == (6, 0)
    first = sorted(str(t) for t in union_triples(store, minter))
    again = recluster(store, minter).written
    assert again is not None and (again.written, again.kept, again.removed) == (0, 6, 0)
    assert sorted(str(t) for t in union_triples(store, minter)) == first


def test_reclustering_rewrites_only_the_unions_that_changed(
    union: tuple[OxigraphStore, dict[str, str]], minter: Minter, tmp_path: Path
) -> None:
    """c2 (Tắt đèn, 2012) is re-sent as 2010: it joins a3 + b3. The old union of c2 alone goes, the
    union of a3 + b3 is rewritten with c2 in it (keeping its IRI), and the four other unions are
    left alone."""
    store, instances = union
    recluster(store, minter)
    before = set(store.graph_names(minter.union_graph("").value))
    fixed = [("c2", "Tắt đèn", "Ngô, Tất Tố", "2010", "Kim Đồng", None)]
    ingest_file(store, write(tmp_path / "VN-C-fix.mrc", fixed), "VN-C", minter)
    found = recluster(store, minter)
    assert found.written is not None
    assert (found.written.kept, found.written.written, found.written.removed) == (4, 1, 1)
    after = set(store.graph_names(minter.union_graph("").value))
    assert len(before - after) == 1 and after < before
    assert frozenset({"a3", "b3", "c2"}) in groups(store, instances)
    triples = union_triples(store, minter)
    members = [t for t in triples if t.predicate == LODV.unionInstance and t.subject.value == instances["c2"]]
    assert len(members) == 1  # no stale union left pointing at it


def test_match_keys_come_from_the_record_itself(tmp_path: Path, minter: Minter) -> None:
    """The keys a record is clustered on are computed from its own statements at conversion and
    stored with it: identifiers as ISBN-13, the folded title/author/year/publisher, the work."""
    from lod.pipeline import convert, read

    item = next(iter(read(write(tmp_path / "b.mrc", [LIBRARIES["VN-B"][0]]))))
    converted = convert(item, "VN-B", minter)
    stored = {t[2].value for t in converted.record.triples if t[1] == LODV.matchKey}
    assert stored == {k[2].value for k in match_keys([*converted.record.triples, *converted.record.shared])}
    assert "isbn:9780306406157" in stored
    assert "work:nguyễn du|truyện kiều" in stored
    assert any(k.startswith("tayp:truyện kiều|nguyễn du|2015|") for k in stored)


def test_cli_cluster_reports_the_union_catalogue(tmp_path: Path) -> None:
    from tests.conftest import run_lod

    store = str(tmp_path / "store")
    for library, books in LIBRARIES.items():
        done = run_lod("--store", store, "ingest", "marc", str(write(tmp_path / f"{library}.mrc", books)),
                       "--library", library)  # fmt: skip
        assert done.returncode == 0, done.stderr
    done = run_lod("--store", store, "--lang", "en", "cluster")
    assert done.returncode == 0, done.stderr
    assert "Union catalogue: 9 records, 6 union instances, 2 merged from several" in done.stderr
