"""Union catalogue clusters: the records of many libraries that describe one book share one union
Instance, and the manifestations of one work share one union Work.

Every library's own description stays in its own record graph; clustering only adds the graph
`{base}graph/clusters`, recomputed whole by `lod cluster` (so a changed, withdrawn or re-sent record
can never leave a stale cluster behind):

    <union instance> a bf:Instance, lodv:UnionInstance ; rdfs:label "…" ;
        lodv:member <record instance>, … ; bf:hasItem <every member's items> ; bf:instanceOf <union work> .
    <union work> a bf:Work, lodv:UnionWork ; lodv:member <record work>, … ; bf:hasInstance <union instance> .
    <record instance> lodv:unionInstance <union instance> ; lodv:matchedOn "isbn:9786041000000" .

Matching, strongest first (why two records merged is stored as lodv:matchedOn):
1. a shared identifier: ISBN (as ISBN-13, so an ISBN-10 meets its ISBN-13), ISSN, LCCN, OCLC number;
2. the same title + author + year + publisher key (lod.vietnamese.match_key on each part), for a
   record without identifiers, and only into a cluster that is the one cluster with that key: two
   editions with different ISBNs never merge through it.
Union Works: the same main author + the Work's title (the uniform title when there is one).
An override file (TOML) forces merges and splits: `[[merge]] instances = [IRI, IRI]`,
`[[split]] instances = [IRI]`, recorded as "override:merge" / "override:split".
"""

from __future__ import annotations

import os
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod.converters.marc.f010_048 import isbn10_to_13
from lod.errors import InputError
from lod.store import GraphStore
from lod.triples import Triple
from lod.uris import Minter, unique_id
from lod.vietnamese import match_key
from lod.vocab import BF, LODV, RDF, RDFS

ID_TYPES = {BF.Isbn.value: "isbn", BF.Issn.value: "issn", BF.Lccn.value: "lccn"}


@dataclass
class Record:
    """One catalogued Instance and what it can be matched on."""

    instance: str
    work: str
    title: str = ""
    work_title: str = ""
    ids: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    publishers: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)

    def description_key(self) -> str | None:
        """title|author|year|publisher, or None when the record says too little to be matched."""
        year = min(self.years) if self.years else ""
        who = min(match_key(a) for a in self.authors) if self.authors else ""
        publisher = min(match_key(p) for p in self.publishers) if self.publishers else ""
        if not self.title or not year or not (who or publisher):
            return None
        return f"tayp:{match_key(self.title)}|{who}|{year}|{publisher}"

    def work_key(self) -> str:
        who = min(match_key(a) for a in self.authors) if self.authors else ""
        return f"{who}|{match_key(self.work_title or self.title)}"


@dataclass
class Overrides:
    merges: list[list[str]] = field(default_factory=list)
    splits: set[str] = field(default_factory=set)


@dataclass
class Clusters:
    instances: dict[str, list[str]]
    """union key -> member Instances."""
    reasons: dict[str, str]
    """member Instance -> why it is in its cluster."""
    records: dict[str, Record]

    @property
    def merged(self) -> int:
        return sum(1 for members in self.instances.values() if len(members) > 1)


def read_overrides(path: str | os.PathLike[str] | None) -> Overrides:
    if path is None:
        return Overrides()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        merges = [[str(i) for i in entry["instances"]] for entry in data.get("merge", [])]
        splits = {str(i) for entry in data.get("split", []) for i in entry["instances"]}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise InputError(source=str(path), message=f"not a valid cluster override file: {exc}") from exc
    return Overrides(merges, splits)


# reading the records ---------------------------------------------------------------------------
def read_records(store: GraphStore, minter: Minter) -> dict[str, Record]:
    """Every record's Instance in the store (record graphs only) with what it can be matched on."""
    prefix = NamedNode(minter.record_graph("").value)
    records: dict[str, Record] = {}
    for row in _rows(store, "cluster_records", prefix):
        instance = row["instance"].value
        record = records.setdefault(instance, Record(instance, row["work"].value))
        if row["title"] is not None and not record.title:
            record.title = row["title"].value
        if row["workTitle"] is not None and not record.work_title:
            record.work_title = row["workTitle"].value
    for row in _rows(store, "cluster_identifiers", prefix):
        key = _identifier_key(row["type"].value, row["value"].value, row["code"])
        if key is not None and (identified := records.get(row["instance"].value)) is not None:
            identified.ids.add(key)
    facts = {"year": "years", "publisher": "publishers", "author": "authors", "item": "items"}
    for row in _rows(store, "cluster_facts", prefix):
        if (described := records.get(row["instance"].value)) is not None:
            value = row["value"].value
            getattr(described, facts[row["fact"].value]).add(
                value[:4] if row["fact"].value == "year" else value
            )
    return records


def _identifier_key(type_iri: str, value: str, code: object) -> str | None:
    kind = ID_TYPES.get(type_iri)
    text = value.strip().upper().replace("-", "").replace(" ", "")
    if kind == "isbn":
        if len(text) == 10:
            text = isbn10_to_13(text) or text
        return f"isbn:{text}" if len(text) == 13 and text.isdigit() else None
    if kind in ("issn", "lccn"):
        return f"{kind}:{text}" if text else None
    if type_iri == BF.Local.value and isinstance(code, Literal) and code.value in ("OCoLC", "OCLC"):
        return f"oclc:{text.lstrip('0')}" if text.isdigit() else None
    return None


# clustering ------------------------------------------------------------------------------------
class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster(records: dict[str, Record], overrides: Overrides | None = None) -> Clusters:
    overrides = overrides or Overrides()
    sets = _UnionFind()
    reasons: dict[str, str] = {}
    by_key: dict[str, list[str]] = defaultdict(list)
    for record in records.values():
        sets.find(record.instance)
        if record.instance in overrides.splits:
            reasons[record.instance] = "override:split"
            continue
        for key in sorted(record.ids):
            by_key[key].append(record.instance)
    for key, members in sorted(by_key.items()):
        for other in members[1:]:
            sets.union(members[0], other)
        if len(members) > 1:
            for member in members:
                reasons.setdefault(member, key)
    _match_descriptions(records, sets, reasons, overrides)
    for group in overrides.merges:
        known = [i for i in group if i in records]
        for other in known[1:]:
            sets.union(known[0], other)
        for member in known:
            reasons[member] = "override:merge"
    clusters: dict[str, list[str]] = defaultdict(list)
    for instance in sorted(records):
        clusters[sets.find(instance)].append(instance)
    for members in clusters.values():
        if len(members) == 1:
            reasons.setdefault(members[0], "only member")
    return Clusters(dict(clusters), reasons, records)


def _match_descriptions(
    records: dict[str, Record], sets: _UnionFind, reasons: dict[str, str], overrides: Overrides
) -> None:
    """Records without identifiers join by title/author/year/publisher: with each other, and with
    the one identified cluster sharing the key (never when two identified clusters share it)."""
    by_key: dict[str, list[Record]] = defaultdict(list)
    for record in records.values():
        if record.instance not in overrides.splits and (key := record.description_key()) is not None:
            by_key[key].append(record)
    for key, group in sorted(by_key.items()):
        bare = [r.instance for r in group if not r.ids]
        identified = {sets.find(r.instance) for r in group if r.ids}
        if not bare or len(identified) > 1 or (not identified and len(bare) == 1):
            continue  # nothing to attach, ambiguous (two editions share the description), or alone
        anchor = next(iter(identified)) if identified else bare[0]
        for instance in bare:
            sets.union(anchor, instance)
            reasons.setdefault(instance, key)
        for record in group:
            if record.ids:
                reasons.setdefault(record.instance, key)


# writing ---------------------------------------------------------------------------------------
def cluster_triples(clusters: Clusters, minter: Minter) -> list[Triple]:
    triples: list[Triple] = []
    union_works: dict[str, NamedNode] = {}
    for members in clusters.instances.values():
        records = [clusters.records[m] for m in members]
        identity = min((i for r in records for i in r.ids), default=None) or members[0]
        union = minter.entity("instance", "u" + unique_id("union-instance", identity))
        work_key = records[0].work_key()
        union_work = union_works.get(work_key)
        if union_work is None:
            union_work = union_works[work_key] = minter.entity(
                "work", "u" + unique_id("union-work", work_key)
            )
            triples += [(union_work, RDF.type, BF.Work), (union_work, RDF.type, LODV.UnionWork)]
        triples += [
            (union, RDF.type, BF.Instance),
            (union, RDF.type, LODV.UnionInstance),
            (union, BF.instanceOf, union_work),
            (union_work, BF.hasInstance, union),
        ]
        title = next((r.title for r in records if r.title), "")
        if title:
            triples.append((union, RDFS.label, Literal(title)))
        for record in records:
            member = NamedNode(record.instance)
            triples += [
                (union, LODV.member, member),
                (member, LODV.unionInstance, union),
                (member, LODV.matchedOn, Literal(clusters.reasons.get(record.instance, "only member"))),
                (union_work, LODV.member, NamedNode(record.work)),
            ]
            triples += [(union, BF.hasItem, NamedNode(item)) for item in sorted(record.items)]
    return triples


def recluster(store: GraphStore, minter: Minter, overrides: str | os.PathLike[str] | None = None) -> Clusters:
    """Recompute every cluster from the store and replace the clusters graph."""
    clusters = cluster(read_records(store, minter), read_overrides(overrides))
    store.replace_graph(minter.data_graph("clusters"), cluster_triples(clusters, minter))
    store.flush()
    return clusters


def _rows(store: GraphStore, name: str, records: NamedNode) -> Iterable[dict[str, Any]]:
    solutions = store.canned(name, records=records)
    assert isinstance(solutions, QuerySolutions), name
    variables = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {variable: solution[variable] for variable in variables}
