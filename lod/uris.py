"""The only place IRIs are minted and parsed.

Entity IRIs are `{base}resource/{kind}/{id}`; their description documents add a format suffix
(`.ttl`, `.html`...). Ids are opaque, short and stable: a hash of what identifies the entity
(library code and control number for a record's Work, Instance and Items; the normalised heading
for an Agent, Topic or Place; the ISSN or normalised title for a Series), never a position in the
MARC record, so inserting a field changes no IRI.
Library IRIs use the library's ISIL itself, as lobid does, or for a library without one a
pseudo-identifier `x-{registry id}` (no ISIL has a one-letter prefix, so the two never meet).
Administrative units are keyed by their official codes, which never collide, unlike their names.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from urllib.parse import quote, unquote

from pyoxigraph import NamedNode

KINDS = ("work", "instance", "item", "agent", "topic", "place", "series", "library", "unit")
RESOURCE = "resource/"
UNIT_LEVELS = {"province": "p", "commune": "c", "former_province": "f"}
"""What comes before an administrative unit's code in its IRI, by level ('…/unit/p01')."""
GRAPH = "graph/"
SHARED_GRAPH = "shared"
"""Agents, topics and libraries are shared by many records: their statements live once, here."""
CATALOG = "catalog"
"""The path of the DCAT catalogue document; the datasets it describes are IRIs with a fragment."""
VOID_PATH = ".well-known/void"
"""The path of the VoID description (VoID §7: /.well-known/void)."""


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648's alphabet, lower case
_BASE32_PAIRS = [a + b for a in _BASE32 for b in _BASE32]
"""10 bits -> their two base32 characters."""


def unique_id(*parts: str) -> str:
    """16 lowercase base32 characters from a hash of `parts` (80 bits: collisions are negligible).

    The same text as `base64.b32encode(digest).lower()`, five times faster: CPython 3.11 encodes
    base32 in pure Python, and this runs for every agent, topic, place and record converted."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=10).digest()
    n = int.from_bytes(digest, "big")
    p = _BASE32_PAIRS
    return (
        p[n >> 70] + p[(n >> 60) & 1023] + p[(n >> 50) & 1023] + p[(n >> 40) & 1023]
        + p[(n >> 30) & 1023] + p[(n >> 20) & 1023] + p[(n >> 10) & 1023] + p[n & 1023]
    )  # fmt: skip


opaque_id = functools.lru_cache(maxsize=1 << 16)(unique_id)
"""`unique_id`, remembered: the same agents, topics and places come back record after record.
The ids of one record's own Work, Instance and Items are made by `unique_id` itself: cached, they
would only push those out."""


PSEUDO_PREFIX = "x-"


def pseudo_isil(registry_id: str) -> str:
    """The identifier of a library without an ISIL, from its registry id: 'x-{id}'."""
    return f"{PSEUDO_PREFIX}{registry_id}"


def _entity_iri(base: str, kind: str, entity_id: str) -> NamedNode:
    if kind not in KINDS:
        raise ValueError(f"unknown entity kind {kind!r}")
    # opaque ids are [a-z2-7] only: no need to percent-encode them
    safe = entity_id if entity_id.isalnum() and entity_id.isascii() else quote(entity_id, safe="")
    return NamedNode(f"{base}{RESOURCE}{kind}/{safe}")


_cached_entity_iri = functools.lru_cache(maxsize=1 << 16)(_entity_iri)


@dataclass(frozen=True)
class EntityRef:
    kind: str
    id: str


class Minter:
    """Mints and parses the IRIs below one base IRI (from settings)."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri if base_iri.endswith("/") else base_iri + "/"

    # minting
    def record_id(self, library: str, control_number: str) -> str:
        return unique_id("record", library, control_number)

    def entity(self, kind: str, entity_id: str) -> NamedNode:
        """The IRI of a shared entity (cached: met again and again); also any kind by its id."""
        return _cached_entity_iri(self.base, kind, entity_id)

    def work(self, record_id: str) -> NamedNode:
        return _entity_iri(self.base, "work", record_id)

    def instance(self, record_id: str) -> NamedNode:
        return _entity_iri(self.base, "instance", record_id)

    def item(self, record_id: str, key: str) -> NamedNode:
        return _entity_iri(self.base, "item", unique_id("item", record_id, key))

    def agent(self, agent_class: str, heading_key: str) -> NamedNode:
        return self.entity("agent", opaque_id("agent", agent_class, heading_key))

    def topic(self, topic_class: str, heading_key: str) -> NamedNode:
        return self.entity("topic", opaque_id("topic", topic_class, heading_key))

    def place(self, heading_key: str) -> NamedNode:
        """A place named in a provision activity (260/264 $a), keyed by its normalised name."""
        return self.entity("place", opaque_id("place", heading_key))

    def series(self, heading_key: str) -> NamedNode:
        """A series (490/8XX), keyed by its ISSN when it has one, else its normalised title."""
        return self.entity("series", opaque_id("series", heading_key))

    def library(self, code: str) -> NamedNode:
        """A library by its ISIL, or by its registry pseudo-identifier (`pseudo_isil`)."""
        return self.entity("library", code)

    def province(self, code: str) -> NamedNode:
        """A province-level unit of 2025 (QĐ 19/2025/QĐ-TTg) by its 2-digit code: '…/unit/p01'."""
        return self.entity("unit", UNIT_LEVELS["province"] + code)

    def commune(self, code: str) -> NamedNode:
        """A commune-level unit of 2025 by its 5-digit code: '…/unit/c00004'."""
        return self.entity("unit", UNIT_LEVELS["commune"] + code)

    def former_province(self, code: str) -> NamedNode:
        """One of the 63 provinces before 1 July 2025, by its old 2-digit code: '…/unit/f02'."""
        return self.entity("unit", UNIT_LEVELS["former_province"] + code)

    def data_graph(self, name: str) -> NamedNode:
        """A graph of reference data loaded whole and replaced whole ('units', 'concepts')."""
        return NamedNode(f"{self.base}{GRAPH}{name}")

    def library_graph(self, registry_id: str) -> NamedNode:
        """The named graph holding one registry library's statements (replaced on re-ingest)."""
        return NamedNode(f"{self.base}{GRAPH}library/{quote(registry_id, safe='')}")

    def record_graph(self, record_id: str) -> NamedNode:
        return NamedNode(f"{self.base}{GRAPH}record/{record_id}")

    def union_graph(self, union_id: str) -> NamedNode:
        """The named graph of one union Instance (lod.clustering), replaced when its cluster changes."""
        return NamedNode(f"{self.base}{GRAPH}union/{union_id}")

    def shared_graph(self) -> NamedNode:
        return NamedNode(f"{self.base}{GRAPH}{SHARED_GRAPH}")

    # the dataset's own descriptions (lod.dataset): VoID, the DCAT catalogue, their parts
    def dataset(self, key: str | None = None) -> NamedNode:
        """A dataset of the catalogue ('union', 'registry', 'library-VN-HN001'...), described in
        the catalogue document: '{base}catalog#union'; without a key, the whole dataset, which is
        the base IRI itself (as lod.figures keeps its figures)."""
        return NamedNode(self.base) if key is None else self.catalog(key)

    def catalog(self, fragment: str | None = None) -> NamedNode:
        """The DCAT catalogue document ('{base}catalog'), or a node described in it ('#catalog',
        '#publisher', a distribution '#union-part001.nt.gz')."""
        return self._document(CATALOG, fragment)

    def void(self, fragment: str | None = None) -> NamedNode:
        """The VoID description ('{base}.well-known/void', RFC 8615 and VoID §7), or a node
        described in it (a linkset '#languages-language')."""
        return self._document(VOID_PATH, fragment)

    def sparql_endpoint(self) -> NamedNode:
        return NamedNode(f"{self.base}sparql")

    def sparql_service(self) -> NamedNode:
        """The endpoint as a service (its SPARQL Service Description and the catalogue's
        dcat:DataService name the same node)."""
        return NamedNode(f"{self.base}sparql#service")

    def dump_file(self, day: str, name: str) -> NamedNode:
        """A file of a bulk dump (lod.dumps): '{base}dumps/2026-07-01/union-part001.nt.gz'."""
        return NamedNode(f"{self.base}dumps/{quote(day, safe='')}/{quote(name, safe='')}")

    def _document(self, path: str, fragment: str | None) -> NamedNode:
        if fragment is None:
            return NamedNode(self.base + path)
        return NamedNode(f"{self.base}{path}#{quote(fragment, safe='')}")

    # parsing
    def prefixes(self, *kinds: str) -> tuple[str, ...]:
        """The IRI prefixes of entities of these kinds, for `str.startswith` over many IRIs."""
        return tuple(f"{self.base}{RESOURCE}{kind}/" for kind in kinds)

    def parse(self, iri: str) -> EntityRef | None:
        """The kind and id of an entity IRI minted here, or None."""
        if not iri.startswith(self.base + RESOURCE):
            return None
        kind, _, rest = iri[len(self.base + RESOURCE) :].partition("/")
        if kind not in KINDS or not rest or "/" in rest:
            return None
        return EntityRef(kind, unquote(rest))

    def entity_space(self) -> str:
        """The start of every entity IRI, '{base}resource/': the identifier space of the
        reconciliation service (lod.reconcile), whose ids are the rest ('instance/v2q5u5hbh3shf5tp')."""
        return self.base + RESOURCE

    def entity_key(self, iri: str) -> str | None:
        """An entity IRI without `entity_space` ('library/VN-TEST1'), or None if not an entity's."""
        return iri[len(self.base + RESOURCE) :] if self.parse(iri) is not None else None

    def from_entity_key(self, key: str) -> NamedNode | None:
        """The entity IRI of an `entity_key`, or None when `key` is not one."""
        ref = self.parse(self.base + RESOURCE + key)
        if ref is None or not ref.id:
            return None
        try:
            return self.entity(ref.kind, ref.id)
        except ValueError:  # not something an IRI can be made of
            return None

    def unit_code(self, iri: str, level: str) -> str | None:
        """The code of an administrative unit's IRI of this level (UNIT_LEVELS), or None:
        ('…/unit/p01', 'province') -> '01'; ('…/unit/c00004', 'province') -> None."""
        ref = self.parse(iri)
        if ref is None or ref.kind != "unit" or not ref.id.startswith(UNIT_LEVELS[level]):
            return None
        return ref.id[len(UNIT_LEVELS[level]) :]

    def path_of(self, iri: str) -> str | None:
        """The local path (`/resource/...`) at which this server answers for `iri`, or None."""
        if not iri.startswith(self.base):
            return None
        return "/" + iri[len(self.base) :]

    def iri_of_path(self, path: str) -> str:
        """The IRI that a local path stands for (the inverse of `path_of`)."""
        return self.base + path.lstrip("/")

    def document_path(self, iri: str, extension: str) -> str | None:
        """The path of the description document of `iri` in the format with `extension`."""
        path = self.path_of(iri)
        return f"{path}.{extension}" if path is not None else None
