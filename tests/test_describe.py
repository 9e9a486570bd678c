"""lod.describe and lod.facts without the web layer: what a page is built from, over real stores
(the session's sample store, and small in-memory stores made for one case)."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from lod.describe import VALUES_SHOWN, describe
from lod.errors import BadRequest
from lod.facts import facts_of, page_offsets
from lod.facts.headings import DATES
from lod.store import OxigraphStore, RecordGraph
from lod.uris import Minter
from lod.vocab import BF, LODV, RDF, RDFS, SCHEMA

KIEU = ("DEMO-VN1", "TVD240000101")


def small_store(minter: Minter, triples: list[Triple]) -> OxigraphStore:
    store = OxigraphStore.open(None)
    store.replace_records([RecordGraph(minter.record_graph("test"), triples, [])], minter.shared_graph())
    return store


def test_describe_lists_a_capped_number_of_values_and_counts_the_rest(minter: Minter) -> None:
    union = minter.instance("u-many")
    items = [minter.item("r", str(i)) for i in range(VALUES_SHOWN + 30)]
    store = small_store(
        minter,
        [Triple(union, RDF.type, LODV.UnionInstance), Triple(union, RDFS.label, Literal("Nhiều bản sao"))]
        + [Triple(union, BF.hasItem, item) for item in items]
        + [Triple(item, BF.itemOf, union) for item in items],
    )
    d = describe(store, minter, union, "instance", 0, 10)
    assert len(d.values(BF.hasItem)) == VALUES_SHOWN
    assert d.omitted == {"bf:hasItem": 30}
    assert len(d.triples) == VALUES_SHOWN + 30 + 2  # the data keeps them all
    assert len(d.incoming) == 10 and d.incoming_more
    assert describe(store, minter, union, "instance", 0, 0).incoming == []


def test_facts_are_chosen_by_class(store: OxigraphStore, minter: Minter) -> None:
    instance = minter.instance(minter.record_id(*KIEU))
    work = minter.work(minter.record_id(*KIEU))
    kinds = {}
    for iri, kind in ((instance, "instance"), (work, "work"), (minter.library("DEMO-VN1"), "library")):
        facts = facts_of(store, minter, describe(store, minter, iri, kind, 0, 5), "vi", 5)
        kinds[kind] = facts.kind
    assert kinds == {"instance": "instance", "work": "work", "library": "agent"}
    plain = minter.entity("unit", "p01")
    unit_store = small_store(minter, [Triple(plain, RDFS.label, Literal("Thành phố Hà Nội"))])
    facts = facts_of(unit_store, minter, describe(unit_store, minter, plain, "unit", 0, 5), "vi", 5)
    assert (facts.kind, facts.title, facts.fields, facts.sections) == ("", "Thành phố Hà Nội", {}, [])


def test_instance_facts_and_dublin_core(store: OxigraphStore, minter: Minter) -> None:
    instance = minter.instance(minter.record_id(*KIEU))
    work = minter.work(minter.record_id(*KIEU))
    facts = facts_of(store, minter, describe(store, minter, instance, "instance", 0, 5), "en", 5)
    assert facts.title == "Truyện Kiều"
    assert [v.text for v in facts.fields["authors"]] == ["Nguyễn, Du, 1765-1820"]
    assert [v.text for v in facts.fields["language"]] == ["Vietnamese"]
    assert [s.name for s in facts.sections] == ["held_by", "other_editions"]
    meta = facts.dublin_core(instance.value)
    assert ("DC.title", "Truyện Kiều") in meta and ("DC.identifier", instance.value) in meta
    assert ("DC.language", "vie") in meta and ("DC.relation", work.value) in meta
    schema = {(t.subject, t.predicate) for t in facts.schema}
    assert (instance, SCHEMA.author) in schema and (instance, SCHEMA.name) in schema
    author = next(t.object for t in facts.schema if t.predicate == SCHEMA.author)
    assert Triple(author, SCHEMA.name, Literal("Nguyễn, Du, 1765-1820")) in facts.schema


def test_editions_newest_first_and_undated_last(minter: Minter) -> None:
    work = minter.work("w")
    editions = {year: minter.instance(f"e{year or 'none'}") for year in ("1999", "", "2001")}
    triples = [Triple(work, RDF.type, BF.Work), Triple(work, RDFS.label, Literal("Tác phẩm"))]
    for year, edition in editions.items():
        triples += [
            Triple(edition, RDF.type, BF.Instance),
            Triple(edition, RDFS.label, Literal(f"Ấn phẩm {year or 'không năm'}")),
            Triple(work, BF.hasInstance, edition),
        ]
        if year:
            triples.append(Triple(edition, SCHEMA.datePublished, Literal(year)))
    store = small_store(minter, triples)
    facts = facts_of(store, minter, describe(store, minter, work, "work", 0, 5), "vi", 2, {"editions": 0})
    section = next(s for s in facts.sections if s.name == "editions")
    assert [r.value.iri for r in section.rows] == [editions["2001"].value, editions["1999"].value]
    assert section.rows[0].details == ["2001"] and section.more and section.total == 3
    rest = facts_of(store, minter, describe(store, minter, work, "work", 0, 5), "vi", 2, {"editions": 2})
    last = next(s for s in rest.sections if s.name == "editions")
    assert [s.name for s in rest.sections] == ["held_by", "editions", "about"]
    assert [r.value.iri for r in last.rows] == [editions[""].value]
    assert last.rows[0].details == [] and not last.more  # no "~" from the query's missing year


def test_page_offsets() -> None:
    assert page_offsets({"editions": "50", "incoming": "x", "lang": "en"}) == {"editions": 50}
    with pytest.raises(BadRequest) as raised:
        page_offsets({"works": "-1"})
    assert raised.value.message("vi") == "works=“-1” phải là số nguyên không âm"
    assert raised.value.message("en") == "works=“-1” must be a non-negative whole number"


@pytest.mark.parametrize(
    ("heading", "dates"),
    [
        ("Nguyễn, Du, 1765-1820", "1765-1820"),
        ("Tô Hoài, 1920-2014", "1920-2014"),
        ("Nguyễn Nhật Ánh, 1955-", "1955-"),
        ("Hồ, Xuân Hương, 1772?-1822.", "1772?-1822"),
        ("Kim Đồng", None),
    ],
)
def test_dates_of_a_personal_name_heading(heading: str, dates: str | None) -> None:
    match = DATES.search(heading)
    assert (match.group(1) if match else None) == dates


def test_a_union_entry_is_described_from_its_first_record(minter: Minter) -> None:
    union = minter.instance("u-two")
    records = [minter.instance("a-record"), minter.instance("b-record")]
    triples = [Triple(union, RDF.type, BF.Instance), Triple(union, RDF.type, LODV.UnionInstance)]
    for record, title in zip(records, ("Số đỏ", "So do"), strict=True):
        triples += [
            Triple(union, LODV.member, record),
            Triple(record, RDF.type, BF.Instance),
            Triple(record, RDFS.label, Literal(title)),
            Triple(record, SCHEMA.name, Literal(title)),
            Triple(record, LODV.unionInstance, union),
        ]
    store = small_store(minter, triples)
    facts = facts_of(store, minter, describe(store, minter, union, "instance", 0, 5), "vi", 5)
    assert facts.kind == "union_instance" and facts.title == "Số đỏ"
    assert [v.iri for v in facts.fields["described_from"]] == [records[0].value]
    assert {r.value.iri for r in facts.sections[-1].rows} == {r.value for r in records}
    assert Triple(union, SCHEMA.name, Literal("Số đỏ")) in facts.schema
    assert not any(t.subject == NamedNode(records[0].value) for t in facts.schema)


def place_of_kieu(store: OxigraphStore, minter: Minter) -> NamedNode:
    kieu = minter.instance(minter.record_id(*KIEU))
    place = next(t.object for t in store.describe(kieu) if t.predicate == SCHEMA.locationCreated)
    assert isinstance(place, NamedNode)
    return place


def test_publications_are_newest_first(store: OxigraphStore, minter: Minter) -> None:
    place = place_of_kieu(store, minter)
    facts = facts_of(store, minter, describe(store, minter, place, "place", 0, 5), "vi", 100)
    (published,) = [s for s in facts.sections if s.name == "published_here"]
    years = [r.details[-1] for r in published.rows]
    assert len(years) > 5 and years == sorted(years, reverse=True)
    assert published.note == ""


def test_a_long_list_is_paged_in_store_order(
    store: OxigraphStore, minter: Minter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lod.facts import lists

    place = place_of_kieu(store, minter)
    whole = facts_of(store, minter, describe(store, minter, place, "place", 0, 5), "vi", 100)
    (grouped,) = [s for s in whole.sections if s.name == "published_here"]
    monkeypatch.setattr(lists, "EXACT_ORDER", 3)  # what 100,000 records would do
    pages = []
    for offset in range(0, grouped.total, 4):
        d = describe(store, minter, place, "place", 0, 5)
        facts = facts_of(store, minter, d, "vi", 4, {"published_here": offset})
        (section,) = [s for s in facts.sections if s.name == "published_here"]
        assert section.note == "facts.store_order" and section.total == grouped.total
        assert section.more == (offset + 4 < grouped.total)
        pages += section.rows
    assert len(pages) == grouped.total
    assert {r.value.text for r in pages} == {r.value.text for r in grouped.rows}
    assert all(r.details and r.details[-1].isdigit() for r in pages)  # each with its year


def test_every_field_section_and_kind_has_its_texts() -> None:
    import re
    from pathlib import Path

    import lod.facts
    from lod.facts import FACTS, SECTIONS
    from lod.i18n import MESSAGES

    folder = Path(lod.facts.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py"))
    fields = set(re.findall(r'facts\.add\("(\w+)"', source))
    assert {"authors", "publisher", "shelf_mark", "dates", "components"} <= fields
    keys = (
        [f"facts.{f}" for f in fields]
        + [f"facts.section.{s}" for s in SECTIONS]
        + [f"facts.kind.{kind}" for _, kind, _ in FACTS]
    )
    for key in keys:
        assert set(MESSAGES.get(key, {})) == {"vi", "en"}, key
