"""What a client of the reconciliation service (lod.reconcile) can ask: the types and properties
it may name, and its requests read and checked. Every problem is a BadRequest (400) naming the
field that is wrong ('queries.q0.limit must be a positive whole number'); too many queries or
ids at once is a PayloadTooLarge (413, as the Reconciliation API suggests).

Limits: MAX_QUERIES queries a batch (the manifest's `batchSize`), MAX_LIMIT candidates a query,
MAX_EXTEND_IDS ids and MAX_EXTEND_PROPERTIES properties a data extension query, MAX_SUGGEST
suggestions a page of a suggest service (and MAX_CURSOR skipped at most).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lod.errors import BadRequest, PayloadTooLarge
from lod.vocab import BF, LODV, SCHEMA

MAX_QUERIES = 50
"""Queries in one batch (the manifest's `batchSize`); OpenRefine sends 10 at a time."""
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
"""Candidates of one query, at most."""
MAX_EXTEND_IDS = 100
MAX_EXTEND_PROPERTIES = 20
SUGGEST_LIMIT = 10
MAX_SUGGEST = 25
MAX_CURSOR = 500


@dataclass(frozen=True)
class EntityType:
    id: str
    kind: str
    """The kind of entity IRI (lod.uris.KINDS)."""
    classes: tuple[str, ...]
    """Class IRIs accepted as the type too."""


TYPES = {
    "Instance": EntityType("Instance", "instance", (BF.Instance.value, LODV.UnionInstance.value)),
    "Work": EntityType("Work", "work", (BF.Work.value, LODV.UnionWork.value)),
    "Agent": EntityType(
        "Agent",
        "agent",
        (
            BF.Agent.value,
            BF.Person.value,
            BF.Organization.value,
            SCHEMA.Person.value,
            SCHEMA.Organization.value,
        ),
    ),
    "Library": EntityType("Library", "library", (SCHEMA.Library.value,)),
}
TYPE_OF_KIND = {entity_type.kind: entity_type.id for entity_type in TYPES.values()}


@dataclass(frozen=True)
class Property:
    id: str
    types: tuple[str, ...]
    matching: bool
    """Usable in a reconciliation query's `properties`."""
    entity: str | None = None
    """The type of its values when they are entities."""


PROPERTIES = {
    p.id: p
    for p in (
        Property("title", ("Instance", "Work"), True),
        Property("author", ("Instance", "Work"), True, "Agent"),
        Property("year", ("Instance", "Work"), True),
        Property("isbn", ("Instance", "Work"), True),
        Property("publisher", ("Instance",), True),
        Property("holdings", ("Instance", "Work"), False),
        Property("libraries", ("Instance", "Work"), False, "Library"),
        Property("work", ("Instance",), False, "Work"),
        Property("instances", ("Work",), False, "Instance"),
        Property("name", ("Library", "Agent"), True),
        Property("isil", ("Library",), True),
        Property("province", ("Library",), True),
        Property("address", ("Library",), False),
        Property("website", ("Library",), False),
        Property("email", ("Library",), False),
        Property("library_type", ("Library",), False),
        Property("records", ("Library",), False),
        Property("dates", ("Agent",), True),
        Property("kind", ("Agent",), False),
        Property("works", ("Agent",), False),
    )
}


# requests ---------------------------------------------------------------------------------------
@dataclass
class ReconQuery:
    """One reconciliation query, read and checked."""

    text: str = ""
    types: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    properties: dict[str, list[str]] = field(default_factory=dict)
    """Each property's values as text (an entity value by its name, else by its id)."""

    def value(self, pid: str) -> str:
        return " ".join(self.properties.get(pid, []))


def load_json(raw: str, name: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise BadRequest("reconcile.bad_json", field=name, message=str(exc)) from None


def parse_batch(raw: str, name: str = "queries") -> dict[str, ReconQuery]:
    """A query batch of API 0.2 (`{"q0": {"query": …}, …}`); BadRequest naming what is wrong,
    PayloadTooLarge past MAX_QUERIES."""
    batch = load_json(raw, name)
    if not isinstance(batch, dict):
        raise BadRequest("reconcile.not_object", where=name)
    if len(batch) > MAX_QUERIES:
        raise PayloadTooLarge("reconcile.too_many", field=name, count=len(batch), most=MAX_QUERIES)
    return {str(key): parse_query(value, f"{name}.{key}") for key, value in batch.items()}


def parse_query(query: Any, where: str) -> ReconQuery:
    if not isinstance(query, dict):
        raise BadRequest("reconcile.not_object", where=where)
    found = ReconQuery()
    text = query.get("query")
    if text is not None and not isinstance(text, str):
        raise BadRequest("reconcile.not_string", where=f"{where}.query")
    found.text = (text or "").strip()[:500]
    found.types = parse_types(query.get("type"), f"{where}.type")
    if "limit" in query:
        found.limit = min(positive(query["limit"], f"{where}.limit"), MAX_LIMIT)
    strict = query.get("type_strict")
    if strict is not None and strict not in ("any", "should", "all"):
        raise BadRequest(
            "reconcile.bad_choice", where=f"{where}.type_strict", known="any, should, all", value=strict
        )
    props = query.get("properties", [])
    if not isinstance(props, list):
        raise BadRequest("reconcile.not_list", where=f"{where}.properties")
    for n, prop in enumerate(props):
        here = f"{where}.properties[{n}]"
        if not isinstance(prop, dict):
            raise BadRequest("reconcile.not_object", where=here)
        pid = prop.get("pid")
        if not isinstance(pid, str):
            raise BadRequest("reconcile.not_string", where=f"{here}.pid")
        add_property(found, pid, prop.get("v"), here)
    if not found.text and not any(found.properties.values()):
        raise BadRequest("reconcile.no_query", where=where)
    return found


def add_property(query: ReconQuery, pid: str, value: Any, where: str) -> None:
    known = [
        p for p in PROPERTIES.values() if p.matching and (not query.types or set(p.types) & set(query.types))
    ]
    if pid not in {p.id for p in known}:
        raise BadRequest(
            "reconcile.unknown_property", where=where, value=pid, known=", ".join(p.id for p in known)
        )
    values = value if isinstance(value, list) else [value]
    texts = query.properties.setdefault(pid, [])
    for v in values:
        if isinstance(v, dict):
            v = v.get("name") or v.get("id")
        if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip():
            texts.append(str(v).strip()[:500])


def parse_types(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    found = []
    for v in values:
        if not isinstance(v, str):
            raise BadRequest("reconcile.not_string", where=where)
        type_id = type_named(v)
        if type_id is None:
            raise BadRequest("reconcile.unknown_type", where=where, value=v, known=", ".join(TYPES))
        found.append(type_id)
    return tuple(dict.fromkeys(found))


def type_named(name: str) -> str | None:
    """The type an id, a class IRI or a name in any case stands for ('instance', bf:Instance)."""
    for entity_type in TYPES.values():
        if name.strip().casefold() == entity_type.id.casefold() or name.strip() in entity_type.classes:
            return entity_type.id
    return None


def positive(value: Any, where: str, least: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadRequest("reconcile.not_positive", where=where, value=json.dumps(value))
    text = str(value).strip()
    if not text.isascii() or not text.removesuffix(".0").isdigit() or int(float(text)) < least:
        key = "reconcile.not_positive" if least else "reconcile.not_whole"
        raise BadRequest(key, where=where, value=text)
    return int(float(text))


def parse_draft_batch(batch: Any) -> list[ReconQuery]:
    """A query batch of the 1.0 draft, POSTed as JSON: `{"queries": [{"conditions": [{"matchType":
    "name", "v": …}, {"matchType": "property", "pid": …, "v": …}], "type": …, "limit": …}]}`."""
    if not isinstance(batch, dict) or not isinstance(batch.get("queries"), list):
        raise BadRequest("reconcile.not_list", where="queries")
    if len(batch["queries"]) > MAX_QUERIES:
        raise PayloadTooLarge(
            "reconcile.too_many", field="queries", count=len(batch["queries"]), most=MAX_QUERIES
        )
    found = []
    for n, query in enumerate(batch["queries"]):
        where = f"queries[{n}]"
        if not isinstance(query, dict):
            raise BadRequest("reconcile.not_object", where=where)
        conditions = query.get("conditions")
        if not isinstance(conditions, list) or not conditions:
            raise BadRequest("reconcile.no_query", where=where)
        names: list[str] = []
        props: list[dict[str, Any]] = []
        for m, condition in enumerate(conditions):
            here = f"{where}.conditions[{m}]"
            if not isinstance(condition, dict):
                raise BadRequest("reconcile.not_object", where=here)
            kind, value = condition.get("matchType"), condition.get("v")
            if kind == "name":
                names += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
            elif kind == "property":
                props.append({"pid": condition.get("pid"), "v": value})
            else:
                known = "name, property"
                raise BadRequest("reconcile.bad_choice", where=f"{here}.matchType", known=known, value=kind)
        legacy: dict[str, Any] = {"query": " ".join(names), "properties": props, "type": query.get("type")}
        if "limit" in query:
            legacy["limit"] = query["limit"]
        found.append(parse_query({k: v for k, v in legacy.items() if v not in (None, "")}, where))
    return found


# data extension queries --------------------------------------------------------------------------
def parse_extend(raw: str | dict[str, Any]) -> tuple[list[str], list[str]]:
    """The ids and property ids of a data extension query (`{"ids": [...], "properties": [{"id":
    ...}]}`, as JSON text or already read); BadRequest naming what is wrong."""
    query = load_json(raw, "extend") if isinstance(raw, str) else raw
    if not isinstance(query, dict):
        raise BadRequest("reconcile.not_object", where="extend")
    ids, props = query.get("ids"), query.get("properties")
    for name, value in (("ids", ids), ("properties", props)):
        if not isinstance(value, list):
            raise BadRequest("reconcile.not_list", where=f"extend.{name}")
    assert isinstance(ids, list) and isinstance(props, list)
    most = {"ids": MAX_EXTEND_IDS, "properties": MAX_EXTEND_PROPERTIES}
    for name, value in (("ids", ids), ("properties", props)):
        if len(value) > most[name]:
            raise PayloadTooLarge(
                "reconcile.too_many", field=f"extend.{name}", count=len(value), most=most[name]
            )
    for n, entity_id in enumerate(ids):
        if not isinstance(entity_id, str):
            raise BadRequest("reconcile.not_string", where=f"extend.ids[{n}]")
    pids = []
    for n, prop in enumerate(props):
        pid = prop.get("id") if isinstance(prop, dict) else None
        if not isinstance(pid, str):
            raise BadRequest("reconcile.not_string", where=f"extend.properties[{n}].id")
        if pid not in PROPERTIES:
            known = ", ".join(PROPERTIES)
            raise BadRequest(
                "reconcile.unknown_property", where=f"extend.properties[{n}]", value=pid, known=known
            )
        pids.append(pid)
    return list(dict.fromkeys(ids)), list(dict.fromkeys(pids))
