"""What the reconciliation service tells of one entity: the values of its properties, for data
extension (OpenRefine's 'Add columns from reconciled values') and for the preview.

Values are in the forms of the Reconciliation API: `{"str": …}`, `{"int": …}`, or an entity of
ours `{"id": …, "name": …}` (an author, a holding library, a work), so that a column of them comes
back reconciled. Everything is read from the store (labels, the registry through lod.libraries,
the canned `held_by`, `held_by_work` and `works_by_agent`): nothing is pasted into a query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod import libraries, matching
from lod.i18n import t
from lod.reconcile import Reconciler
from lod.reconcile_request import PROPERTIES
from lod.store import Term
from lod.vocab import BF, LODV, RDFS, SCHEMA

Value = dict[str, Any]
Facts = dict[str, list[Value]]


def extend(reconciler: Reconciler, ids: list[str], pids: list[str]) -> dict[str, Any]:
    """A data extension response: `meta` (each property, with the type of its entity values) and
    `rows` (each id's values of each property; none for an id we do not know or a property its
    type does not have)."""
    meta = []
    for pid in pids:
        column: dict[str, Any] = reconciler.property_json(pid)
        if PROPERTIES[pid].entity:
            column["type"] = reconciler.type_json(PROPERTIES[pid].entity or "")
        meta.append(column)
    rows = {}
    for entity_id in ids:
        node = reconciler.entity_iri(entity_id)
        known = facts(reconciler, node) if node is not None else {}
        rows[entity_id] = {pid: known.get(pid, []) for pid in pids}
    return {"meta": meta, "rows": rows}


def facts(reconciler: Reconciler, node: NamedNode) -> Facts:
    """Every property value of one entity (none when the store does not know it)."""
    if not reconciler.store.exists(node):
        return {}
    kind = reconciler.type_of(node)
    return {k: v for k, v in _READERS[kind](reconciler, node).items() if v}


# each type --------------------------------------------------------------------------------------
def _instance(r: Reconciler, node: NamedNode) -> Facts:
    records = _members(r, node)
    holders = _holders(r, "held_by", instance=node)
    works = [w for w in _objects(r, [node], BF.instanceOf) if isinstance(w, NamedNode)]
    return {
        "title": [{"str": r.name_of(node)}],
        "author": _agents(r, records),
        "year": _year(r, records),
        "isbn": [{"str": v.value} for v in _objects(r, records, SCHEMA.isbn) if isinstance(v, Literal)],
        "publisher": [{"str": name} for name in _labels(r, _objects(r, records, SCHEMA.publisher))],
        "holdings": [{"int": len(holders)}],
        "libraries": [_entity(r, h, name) for h, name in holders],
        "work": [_entity(r, w) for w in works[:1]],
    }


def _work(r: Reconciler, node: NamedNode) -> Facts:
    records = _members(r, node)
    entries = [i for i in _objects(r, [node], BF.hasInstance) if isinstance(i, NamedNode)]
    instances = [i for i in _objects(r, records, BF.hasInstance) if isinstance(i, NamedNode)]
    holders = _holders(r, "held_by_work", work=node)
    return {
        "title": [{"str": r.name_of(node)}],
        "author": _agents(r, records),
        "year": _year(r, instances),
        "isbn": [{"str": v.value} for v in _objects(r, instances, SCHEMA.isbn) if isinstance(v, Literal)],
        "holdings": [{"int": len(holders)}],
        "libraries": [_entity(r, h, name) for h, name in holders],
        "instances": [_entity(r, i) for i in entries],
    }


def _agent(r: Reconciler, node: NamedNode) -> Facts:
    label = r.name_of(node)
    name, dates = matching.split_dates(label)
    rows = r.store.canned("works_by_agent", agent=node)
    assert isinstance(rows, QuerySolutions)
    works = {row["entry"].value for row in rows}
    return {
        "name": [{"str": name}],
        "dates": [{"str": dates}] if dates else [],
        "kind": [{"str": t(f"reconcile.kind.{k}", r.lang)} for k in r.agent_kinds(node)],
        "works": [{"int": len(works)}],
    }


def _library(r: Reconciler, node: NamedNode) -> Facts:
    detail = libraries.library_detail(r.store, r.minter, node)
    if detail is None:
        return {}
    s = detail.summary
    address = ", ".join(p for p in (detail.street, detail.commune, s.province_name) if p)
    return {
        "name": [{"str": s.name}],
        "isil": [{"str": s.isil}] if s.isil else [],
        "province": [{"str": s.province_name}] if s.province_name else [],
        "address": [{"str": address}] if address else [],
        "website": [{"str": detail.website}] if detail.website else [],
        "email": [{"str": detail.email}] if detail.email else [],
        "library_type": [{"str": s.type.label(r.lang)}] if s.type else [],
        "records": [{"int": s.records}] if s.records is not None else [],
    }


_READERS: dict[str, Callable[[Reconciler, NamedNode], Facts]] = {
    "Instance": _instance,
    "Work": _work,
    "Agent": _agent,
    "Library": _library,
}


# helpers ----------------------------------------------------------------------------------------
def _objects(r: Reconciler, nodes: list[NamedNode], predicate: NamedNode) -> list[Term]:
    found = r.store.objects(nodes, predicate)
    return list(dict.fromkeys(v for node in nodes for v in found.get(node.value, [])))


def _members(r: Reconciler, node: NamedNode) -> list[NamedNode]:
    """The library records a union entry merges, or the entity itself."""
    members = [m for m in _objects(r, [node], LODV.member) if isinstance(m, NamedNode)]
    return members or [node]


def _labels(r: Reconciler, nodes: list[Term]) -> list[str]:
    named = [n for n in nodes if isinstance(n, NamedNode)]
    labels = r.store.labels(named, (RDFS.label, SCHEMA.name), r.lang)
    return list(dict.fromkeys(labels[n.value] for n in named if n.value in labels))


def _agents(r: Reconciler, records: list[NamedNode]) -> list[Value]:
    agents = _objects(r, records, SCHEMA.author) + _objects(r, records, SCHEMA.contributor)
    named = list(dict.fromkeys(a for a in agents if isinstance(a, NamedNode)))
    return [_entity(r, a) for a in named if r.type_of(a) == "Agent"]


def _year(r: Reconciler, records: list[NamedNode]) -> list[Value]:
    found = {y for v in _objects(r, records, SCHEMA.datePublished) for y in matching.years(v.value)}
    return [{"int": min(found)}] if found else []


def _holders(r: Reconciler, query: str, **bound: NamedNode) -> list[tuple[NamedNode, str]]:
    """(library, name) of each library holding an Instance or Work, by name."""
    rows = r.store.canned(query, **bound)
    assert isinstance(rows, QuerySolutions)
    found = list(dict.fromkeys(row["library"] for row in rows if isinstance(row["library"], NamedNode)))
    named = [(lib, r.index.library_name(lib.value) or r.name_of(lib)) for lib in found]
    return sorted(named, key=lambda pair: libraries.sort_key(pair[1]))


def _entity(r: Reconciler, node: NamedNode, name: str | None = None) -> Value:
    return {"id": r.entity_id(node.value), "name": name or r.name_of(node)}


# the preview ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Preview:
    """What the preview page of one entity shows: its name, type, page and facts as text."""

    iri: str
    name: str
    type: str
    lines: list[tuple[str, str]]


def preview(reconciler: Reconciler, node: NamedNode) -> Preview | None:
    known = facts(reconciler, node)
    if not known:
        return None
    type_id = reconciler.type_of(node)
    name = reconciler.name_of(node)
    lines = [
        (t(f"reconcile.property.{pid}", reconciler.lang), "; ".join(_text(v) for v in values[:5]))
        for pid, values in known.items()
        if pid not in ("title", "name")
    ]
    return Preview(node.value, name, t(f"reconcile.type.{type_id}", reconciler.lang), lines)


def _text(value: Value) -> str:
    return str(value.get("name") or value.get("str") or value.get("int", ""))
