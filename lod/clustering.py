"""Union catalogue clusters: the records of many libraries that describe one book share one union
Instance, and the manifestations of one work share one union Work.

Every library's own description stays in its own record graph. What a record can be matched on is
computed beside its conversion (`match_keys`, in the ingest workers) and stored in the record's
graph as `lodv:matchKey` statements, so clustering reads only those. This module clusters records;
`lod.unions` reads them from the store and writes each union Instance in a graph of its own
(rewritten only when its statements change, so a changed, withdrawn or re-sent record never leaves
a stale cluster behind, and an unchanged catalogue costs reading the keys):

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
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from lod.converters.marc.f010_048 import isbn10_to_13
from lod.errors import InputError
from lod.triples import AnyTriple, Statements, Triple
from lod.vietnamese import match_key
from lod.vocab import BF, BFLC, LODV, RDF, RDFS

ID_TYPES = {BF.Isbn.value: "isbn", BF.Issn.value: "issn", BF.Lccn.value: "lccn"}
KEY_PREDICATES = frozenset({
    BF.instanceOf, BF.identifiedBy, BF.status, BF.source, BF.code, RDF.type, RDF.value,
    BF.provisionActivity, BF.date, BFLC.simpleAgent, BF.contribution, BF.agent, RDFS.label,
})  # fmt: skip
"""What `match_keys` reads of a record (the other two thirds of its statements are skipped)."""
WORK_KEY = "work:"
DESCRIPTION_KEY = "tayp:"
TITLE_KEY = "title:"
"""Not a key to match on: the title a union entry is labelled with, kept beside the keys so that
clustering reads one simple pattern instead of joining every record's labels."""


@dataclass(slots=True)
class Record:
    """One catalogued Instance and what it is matched on (its `lodv:matchKey` values). Slots: a
    full recluster holds one per record of the store."""

    instance: str
    work: str
    title: str = ""
    ids: tuple[str, ...] = ()
    """Identifier keys (tuples, not sets: a set costs 216 bytes empty, a million records twice)."""
    description: str | None = None
    """The title|author|year|publisher key, or None when the record says too little to be matched."""
    work_key: str = ""
    items: tuple[str, ...] = ()

    @property
    def links(self) -> list[str]:
        """The keys that can put this record in a cluster with others."""
        return [*self.ids, self.description] if self.description is not None else [*self.ids]

    def add_key(self, key: str) -> None:
        if key.startswith(TITLE_KEY):
            self.title = self.title or key[len(TITLE_KEY) :]
        elif key.startswith(WORK_KEY):
            self.work_key = key[len(WORK_KEY) :]
        elif key.startswith(DESCRIPTION_KEY):
            self.description = key
        elif key not in self.ids:
            self.ids += (key,)

    def add_item(self, item: str) -> None:
        if item not in self.items:
            self.items += (item,)


# match keys, from one record's statements ------------------------------------------------------
def match_keys(triples: Iterable[AnyTriple]) -> list[Triple]:
    """`<instance> lodv:matchKey "…"` for each catalogued Instance (one with bf:instanceOf) of one
    record, from the record's full description (its own and its shared statements): identifier keys
    (isbn:…, issn:…, lccn:…, oclc:…), the title/author/year/publisher key (tayp:…) when the record
    says enough, the union Work key (work:author|title), and its title (title:…, for labels)."""
    about = Statements(KEY_PREDICATES)
    about.add(triples)
    return match_keys_of(about)


def match_keys_of(about: Statements) -> list[Triple]:
    """`match_keys` of a record whose statements are indexed already (`about` holds at least the
    KEY_PREDICATES)."""

    def values(node: Any, predicate: NamedNode) -> list[Any]:
        return about[node].get(predicate, [])

    def text(node: Any, predicate: NamedNode) -> list[str]:
        return [o.value for o in values(node, predicate) if isinstance(o, Literal)]

    keys: list[Triple] = []
    for instance, statements in about.items():
        works = statements.get(BF.instanceOf)
        if not works or not isinstance(instance, NamedNode):
            continue
        work = works[0]
        found: list[str] = []
        for identifier in values(instance, BF.identifiedBy):
            if values(identifier, BF.status):
                continue  # cancelled or incorrect
            codes = [c for source in values(identifier, BF.source) for c in text(source, BF.code)]
            for kind in values(identifier, RDF.type):
                for value in text(identifier, RDF.value):
                    key = _identifier_key(kind.value, value, codes[0] if codes else None)
                    if key is not None:
                        found.append(key)
        publications = [
            a for a in values(instance, BF.provisionActivity) if BF.Publication in values(a, RDF.type)
        ]
        years = {d[:4] for a in publications for d in text(a, BF.date)}
        publishers = {p for a in publications for p in text(a, BFLC.simpleAgent)}
        authors = {
            label
            for contribution in values(work, BF.contribution)
            if BF.PrimaryContribution in values(contribution, RDF.type)
            for agent in values(contribution, BF.agent)
            for label in text(agent, RDFS.label)
        }
        titles, work_titles = text(instance, RDFS.label), text(work, RDFS.label)
        title = titles[0] if titles else ""
        who = min(_match_key(a) for a in authors) if authors else ""
        publisher = min(_match_key(p) for p in publishers) if publishers else ""
        if title and years and (who or publisher):
            found.append(f"{DESCRIPTION_KEY}{_match_key(title)}|{who}|{min(years)}|{publisher}")
        found.append(f"{WORK_KEY}{who}|{_match_key(work_titles[0] if work_titles else title)}")
        if title:
            found.append(f"{TITLE_KEY}{title}")
        keys += [(instance, LODV.matchKey, Literal(key)) for key in dict.fromkeys(found)]
    return keys


_match_key = lru_cache(maxsize=1 << 16)(match_key)
"""`match_key`, remembered: the same authors, publishers and titles come back record after record."""


@dataclass
class Overrides:
    merges: list[list[str]] = field(default_factory=list)
    splits: set[str] = field(default_factory=set)


@dataclass
class Written:
    """What writing the union graphs did: graphs kept as they were, written, removed."""

    kept: int = 0
    written: int = 0
    removed: int = 0


@dataclass
class Clusters:
    instances: dict[str, list[str]]
    """union key -> member Instances."""
    reasons: dict[str, str]
    """member Instance -> why it is in its cluster."""
    records: dict[str, Record]
    written: Written | None = None
    """What `lod.unions.recluster` wrote (union graphs kept, written, removed)."""
    partial: bool = False
    """Whether only the records connected to an ingest's changes were clustered."""

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


def _identifier_key(type_iri: str, value: str, code: str | None) -> str | None:
    kind = ID_TYPES.get(type_iri)
    text = value.strip().upper().replace("-", "").replace(" ", "")
    if kind == "isbn":
        if len(text) == 10:
            text = isbn10_to_13(text) or text
        return f"isbn:{text}" if len(text) == 13 and text.isdigit() else None
    if kind in ("issn", "lccn"):
        return f"{kind}:{text}" if text else None
    if type_iri == BF.Local.value and code in ("OCoLC", "OCLC"):
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
        if record.instance not in overrides.splits and (key := record.description) is not None:
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
