"""The sections of a page that list related entities, each from one canned query (values bound):
who holds an Instance, the editions of a Work, the records a union entry merges, an Agent's works,
the works on a subject, the Instances published by or in something, the headings built on a topic.

Entries are put in reading order here (Vietnamese dictionary order for titles and names, newest
first for editions and publications) and `Context.section` makes rows of the page asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import NamedTuple, TypeVar

from pyoxigraph import NamedNode, Triple

from lod.adminunits import units
from lod.clustering import DESCRIPTION_KEY
from lod.describe import Value
from lod.facts.model import Context, Row, Section, number, text
from lod.i18n import MESSAGES
from lod.libraries import sort_key
from lod.vietnamese import fold
from lod.vocab import LODV, RDF, RDFS, SCHEMA, SERVICES

T = TypeVar("T")

EXACT_ORDER = 5_000
"""Longest list put in exact Vietnamese dictionary order (see `in_order`)."""
ITEMS_LISTED = 20
"""Items listed under one library in "held by"; the others are counted."""
NO_YEAR = "~"
"""What the canned queries give as the year of something without one (see editions.rq)."""
LINKED_SCHEMA_ROWS = 500
"""Rows of `linked_schema` read for the embedded JSON-LD: the names of a few hundred linked
entities are plenty for search engines, and a union entry can link to thousands."""


ONLINE_CATALOGUE = NamedNode(SERVICES + "online-catalogue")
HELD_BY_QUERIES = {"instance": "held_by", "work": "held_by_work"}
"""What is bound (an Instance or a Work) -> the canned query listing the libraries holding it."""


@dataclass
class Holder:
    """A library holding something, with its items and what the registry says of it."""

    iri: str
    items: set[str] = field(default_factory=set)
    province: str = ""
    """Its 2025 province's code, or "" when the registry does not say (a placeholder)."""
    catalogue: str = ""
    """Its website, when it offers the online-catalogue service; else ""."""


def held_by(ctx: Context, node: str, bound: str = "instance") -> Section:
    """The libraries holding an Instance (`bound` "instance": a library's own or a union one) or
    any Instance of a Work (`bound` "work"), under their province: readers look for a copy near
    them. Provinces in Vietnamese order, the libraries the registry does not place last."""
    found: dict[str, Holder] = {}
    for r in ctx.rows(HELD_BY_QUERIES[bound], **{bound: NamedNode(node)}):
        holder = found.setdefault(text(r["library"]), Holder(text(r["library"])))
        if item := text(r["item"]):
            holder.items.add(item)
    _registry_facts(ctx, found)
    names = ctx.store.labels([NamedNode(i) for i in found], (RDFS.label, SCHEMA.name), ctx.lang)
    shelved = ctx.store.labels([NamedNode(i) for h in found.values() for i in h.items], (RDFS.label,))
    unknown = ctx.t("facts.province_unknown")
    rows = [_holder_row(ctx, h, names.get(h.iri), shelved, unknown) for h in found.values()]
    rows.sort(key=lambda row: (row.group == unknown, sort_key(row.group), sort_key(row.value.text)))
    return ctx.section("held_by", rows, _same)


def _registry_facts(ctx: Context, holders: dict[str, Holder]) -> None:
    """Each holder's 2025 province and online catalogue, from the registry's statements about it
    (looked up node by node: joined in the query, Oxigraph 0.5 reads every library's)."""
    libraries = [NamedNode(iri) for iri in holders]
    places = ctx.store.objects(libraries, SCHEMA.containedInPlace)
    services = ctx.store.objects(libraries, LODV.service)
    websites = ctx.store.objects(libraries, SCHEMA.url)
    for iri, holder in holders.items():
        for place in places.get(iri, []):
            if isinstance(place, NamedNode) and (code := ctx.minter.unit_code(place.value, "province")):
                holder.province = code
        if ONLINE_CATALOGUE in services.get(iri, []):
            web = [w.value for w in websites.get(iri, []) if w.value.startswith(("https://", "http://"))]
            holder.catalogue = web[0] if web else ""  # never a javascript: link, whatever the store says


def _holder_row(ctx: Context, holder: Holder, name: str | None, shelved: dict[str, str], unknown: str) -> Row:
    """A holding library's row, grouped under its province's name (`unknown` when not known)."""
    province = units().province(holder.province) if holder.province else None
    row = Row(ctx.link(holder.iri, name), group=province.name if province else unknown)
    copies = in_order(
        [(i, shelved.get(i) or ctx.t("facts.item")) for i in holder.items], lambda pair: pair[1]
    )
    row.links = [ctx.link(iri, label) for iri, label in copies[:ITEMS_LISTED]]
    if copies:
        row.counts.append(("facts.count.items", len(copies)))
    if holder.catalogue:
        row.external.append(Value(ctx.t("facts.online_catalogue"), href=holder.catalogue))
    return row


def editions(ctx: Context, name: str, work: str, exclude: set[str]) -> Section:
    """The Instances of a Work (a union Work's union Instances), newest first, but `exclude`."""
    found: list[tuple[str, Row]] = []
    for r in ctx.rows("editions", work=NamedNode(work)):
        edition = text(r["edition"])
        if edition in exclude:
            continue
        year = _year(r["year"])
        details = [d for d in (text(r["editionStatement"]), text(r["publisher"]), year) if d]
        counts = [
            ("facts.count.libraries", number(r["libraries"])),
            ("facts.count.items", number(r["items"])),
        ]
        row = Row(ctx.link(edition, text(r["title"]) or None), details, counts=[c for c in counts if c[1]])
        found.append((year, row))
    found = in_order(found, lambda pair: pair[1].value.text)
    found.sort(key=lambda pair: pair[0] or "0", reverse=True)  # newest first, undated last
    return ctx.section(name, [row for _, row in found], _same)


def members(ctx: Context, union: str) -> Section:
    """The library records a union Instance or union Work merges, by library."""
    rows = []
    for r in ctx.rows("union_members", union=NamedNode(union)):
        row = Row(ctx.link(text(r["member"]), text(r["title"]) or None))
        if holder := text(r["holder"]):
            row.links.append(ctx.link(holder, text(r["holderName"]) or None))
        if reason := _reason(ctx, text(r["matchedOn"])):
            row.labelled.append(("facts.matched_on", reason))
        rows.append(row)
    rows = in_order(rows, lambda row: row.links[0].text if row.links else row.value.text)
    return ctx.section("members", rows, _same)


class Entry(NamedTuple):
    """A Work or Instance in a long list, before it is made a row (only the page's are)."""

    iri: str
    title: str
    year: str
    publisher: str
    records: int
    record: str = ""
    """One of the records it stands for, when its publisher is to be looked up for its row."""


def works(ctx: Context, name: str, agent: str) -> Section:
    """The Works of an Agent (`works_by_agent`), one per union Work, by title."""
    found = [
        Entry(text(r["entry"]), text(r["title"]), _year(r["year"]), "", number(r["records"]))
        for r in ctx.rows("works_by_agent", agent=NamedNode(agent))
    ]
    return ctx.section(name, in_order(found, lambda e: e.title), lambda e: _entry_row(ctx, e))


WORKS_ABOUT = (SCHEMA.about, SCHEMA.genre)
"""What `works_about` follows: the Works on a subject."""


def linked(
    ctx: Context, name: str, predicates: tuple[NamedNode, ...], target: str, publisher: bool = True
) -> Section:
    """The records linking to `target` with `predicates`: the Works on a subject (WORKS_ABOUT) by
    title, or the Instances published by or in something (publisher, locationCreated, isPartOf)
    newest first, with their publisher unless the page is the publisher's. One row per union
    entry; past EXACT_ORDER records, a page of them in store order instead (grouping and sorting
    100,000 takes seconds)."""
    node = NamedNode(target)
    probes = [ctx.rows("linking", predicate=p, target=node) for p in predicates]
    if sum(1 for _ in islice(chain.from_iterable(probes), EXACT_ORDER + 1)) > EXACT_ORDER:
        return _long_list(ctx, name, predicates, node, publisher)
    works = predicates == WORKS_ABOUT
    rows = ctx.rows("works_about", subject=node) if works else ctx.rows("instances_linking", target=node)
    found = [
        Entry(
            text(r["entry"]),
            text(r["title"]),
            _year(r["year"]),
            "",
            number(r["records"]),
            text(r["one"]) if publisher and not works else "",
        )
        for r in rows
    ]
    found = in_order(found, lambda e: e.title)
    if not works:
        found.sort(key=lambda e: e.year or "0", reverse=True)  # newest first, undated last
    return ctx.section(name, found, lambda e: _entry_row(ctx, _with_publisher(ctx, e)))


def _with_publisher(ctx: Context, entry: Entry) -> Entry:
    """The entry with the publisher of its record (publisher_of), for a row shown: looked up for
    the page's rows only, as joining every record's provision activities in instances_linking
    cost as much as the rest of it."""
    if not entry.record:
        return entry
    found = next(iter(ctx.rows("publisher_of", record=NamedNode(entry.record))), None)
    return entry._replace(publisher=text(found["publisher"])) if found else entry


def _long_list(
    ctx: Context, name: str, predicates: tuple[NamedNode, ...], target: NamedNode, publisher: bool
) -> Section:
    offset = ctx.offsets.get(name, 0)
    total = sum(
        number(r["n"]) for p in predicates for r in ctx.rows("linking_count", predicate=p, target=target)
    )
    linking = chain.from_iterable(ctx.rows("linking", predicate=p, target=target) for p in predicates)
    rows = []
    for r in islice(linking, offset, offset + ctx.page_size):
        record = text(r["record"])
        about = next(iter(ctx.rows("record_summary", record=NamedNode(record))), None)
        title, year, by = (
            (text(about["title"]), text(about["year"]), text(about["publisher"])) if about else ("", "", "")
        )
        rows.append(_entry_row(ctx, Entry(record, title, year, by if publisher else "", 1)))
    return Section(name, rows, offset, offset + ctx.page_size < total, total, "facts.store_order")


def headings(ctx: Context, part: str) -> Section:
    """The subject headings having `part` as one of their parts."""
    found = [(text(r["heading"]), text(r["title"])) for r in ctx.rows("headings_with", part=NamedNode(part))]
    found = in_order(found, lambda pair: pair[1])
    return ctx.section("headings", found, lambda pair: Row(ctx.link(pair[0], pair[1] or None)))


def in_order(entries: list[T], title: Callable[[T], str]) -> list[T]:
    """`entries` in Vietnamese dictionary order of their titles; past EXACT_ORDER of them, in the
    order of their titles without diacritics (exact order costs 3.7 s for 100,000 titles)."""
    key = sort_key if len(entries) <= EXACT_ORDER else fold
    return sorted(entries, key=lambda entry: key(title(entry)))


def _entry_row(ctx: Context, entry: Entry) -> Row:
    row = Row(ctx.link(entry.iri, entry.title or None))
    row.details = [d for d in (entry.publisher, entry.year) if d]
    if entry.records > 1:
        row.counts.append(("facts.count.records", entry.records))
    return row


def _same(row: Row) -> Row:
    return row


def union_entry(ctx: Context, node: str) -> str | None:
    """The union Instance or union Work a library's own Instance, Work or Item belongs to."""
    return next((text(r["union"]) for r in ctx.rows("union_entry", node=NamedNode(node))), None)


def schema_statements(
    ctx: Context, source: str, triples: list[Triple], subject: str | None = None
) -> list[Triple]:
    """The statements about `source` (as `subject`, when given: a union entry shows its record's),
    with the schema.org type and name of what they link to, for the page's JSON-LD."""
    node = NamedNode(source)
    target = NamedNode(subject or source)
    own = [Triple(target, t.predicate, t.object) for t in triples if t.subject == node]
    linked: list[Triple] = []
    for i, r in enumerate(ctx.rows("linked_schema", entity=node)):
        if i >= LINKED_SCHEMA_ROWS:
            break
        other = r["node"]
        if isinstance(other, NamedNode):
            if r["type"] is not None:
                linked.append(Triple(other, RDF.type, r["type"]))
            if r["name"] is not None:
                linked.append(Triple(other, SCHEMA.name, r["name"]))
    return own + list(dict.fromkeys(linked))


def _reason(ctx: Context, reason: str) -> str:
    """Why lod.clustering put a record in its union entry, for readers ('' when it is alone)."""
    kind, _, value = reason.partition(":")
    if kind == "override" and f"facts.reason.override_{value}" in MESSAGES:
        return ctx.t(f"facts.reason.override_{value}")
    if kind == DESCRIPTION_KEY.rstrip(":"):
        return ctx.t("facts.reason.description")
    return f"{kind.upper()} {value}" if value else ""


def _year(term: object) -> str:
    year = text(term)
    return "" if year == NO_YEAR else year
