"""The library registry as people and programs look it up: the list of libraries, one library's
page, lookup by any identifier, autocomplete by name, and libraries near a point.

Framework-free: the web layer only calls these functions and renders what they return. Queries are
the canned `libraries`, `library_counts`, `library_names` and `library_identified_by` (values bound,
never pasted); filtering, sorting and name matching happen here. Registered libraries have a
registry id; libraries that a MARC ingest met but the registry does not know are placeholders
(`registered` False): `lookup` and `library_detail` find them, the list does not show them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod.adminunits import units
from lod.concepts import Concept, library_types, ownerships, services
from lod.converters.registry import record_from_triples
from lod.figures import LibraryCounts, library_figures
from lod.store import GraphStore
from lod.uris import Minter, pseudo_isil
from lod.vietnamese import fold, match_key
from lod.vocab import ORG, RDF, RDFS, SCHEMA, WIKIDATA

MAX_KM = 500.0
"""The widest radius `near` answers for (the web layer refuses more)."""
EARTH_RADIUS_KM = 6371.0088
_QID = re.compile(r"^(?:https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?([Qq][1-9][0-9]*)$")


@dataclass(frozen=True)
class LibrarySummary:
    """What a list, a lookup or a map shows about one library."""

    iri: str
    key: str
    """The id in the library's IRI: its ISIL, its pseudo-ISIL 'x-{registry id}', or a placeholder's code."""
    name: str
    registered: bool = True
    registry_id: str | None = None
    isil: str | None = None
    type: Concept | None = None
    province_code: str | None = None
    province_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    records: int | None = None
    """Records it sent to the union catalogue; None when not counted (autocomplete)."""
    items: int | None = None
    """Items it holds in the union catalogue; None when not counted."""


@dataclass(frozen=True)
class Identifier:
    scheme: str
    """'registry', 'ISIL', 'egov', 'Wikidata' (the schema:propertyID), or 'code' for a placeholder."""
    value: str
    valid_from: str | None = None
    valid_to: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class LibraryLink:
    iri: str
    name: str


@dataclass
class LibraryDetail:
    """Everything a library's page shows."""

    summary: LibrarySummary
    name_en: str | None = None
    short_name: str | None = None
    ownership: Concept | None = None
    services: list[Concept] = field(default_factory=list)
    street: str | None = None
    commune: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    opening_hours: str | None = None
    collection_size: int | None = None
    founded: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    parent: LibraryLink | None = None
    """The registry library this one is part of."""
    parent_name: str | None = None
    """The organisation it belongs to when that is not a library of the registry (a university)."""
    sub_organisations: list[LibraryLink] = field(default_factory=list)


# the list --------------------------------------------------------------------------------------
def list_libraries(
    store: GraphStore, minter: Minter, type: str | None = None, province: str | None = None
) -> list[LibrarySummary]:
    """Registered libraries, sorted by Vietnamese name, with their record and item counts.

    `type` is a library type code ('public'); `province` a 2025 province code ('01') or a former
    one, which means the 2025 province that absorbed it. Unknown codes raise ValueError."""
    bindings: dict[str, NamedNode] = {}
    if type is not None:
        if type not in library_types():
            raise ValueError(f"unknown library type {type!r}")
        bindings["type"] = NamedNode(library_types()[type].iri)
    summaries = _summaries(store, **bindings)
    if province is not None:
        resolved = units().resolve_province(province)
        if resolved is None:
            raise ValueError(f"unknown province code {province!r}")
        summaries = [s for s in summaries if s.province_code == resolved[0].code]
    return _with_counts(store, minter, summaries)


def province_choices() -> list[tuple[str, str]]:
    """(code, name) of the 34 provinces of 2025, sorted by name, for a filter form."""
    return sorted(((p.code, p.name) for p in units().provinces.values()), key=lambda p: sort_key(p[1]))


def _summaries(store: GraphStore, **bindings: NamedNode) -> list[LibrarySummary]:
    rows = store.canned("libraries", **bindings)
    assert isinstance(rows, QuerySolutions)
    types = {concept.iri: concept for concept in library_types().values()}
    found: dict[str, LibrarySummary] = {}
    for row in rows:
        iri = row["library"].value
        if iri in found:
            continue  # one row per library is enough: each value is single in the registry
        registry_id, isil = _text(row["id"]), _text(row["isil"])
        code = _text(row["provinceCode"])
        province = units().province(code) if code else None
        found[iri] = LibrarySummary(
            iri=iri,
            key=isil or pseudo_isil(registry_id or ""),
            name=_text(row["name"]) or registry_id or iri,
            registry_id=registry_id,
            isil=isil,
            type=types.get(row["type"].value),
            province_code=code,
            province_name=province.name if province else None,
            latitude=_number(row["latitude"]),
            longitude=_number(row["longitude"]),
        )
    return sorted(found.values(), key=lambda s: sort_key(s.name))


def _with_counts(store: GraphStore, minter: Minter, summaries: list[LibrarySummary]) -> list[LibrarySummary]:
    counts = _counts(store, minter, [s.iri for s in summaries])
    return [
        replace(s, records=counts.get((s.iri, "records"), 0), items=counts.get((s.iri, "items"), 0))
        for s in summaries
    ]


def _counts(store: GraphStore, minter: Minter, libraries: list[str]) -> LibraryCounts:
    if not libraries:
        return {}
    return library_figures(store, minter, NamedNode(libraries[0]) if len(libraries) == 1 else None)


# one library -----------------------------------------------------------------------------------
def library_detail(store: GraphStore, minter: Minter, iri: str | NamedNode) -> LibraryDetail | None:
    """What the page of the library `iri` shows, or None when `iri` is not a library."""
    node = iri if isinstance(iri, NamedNode) else NamedNode(iri)
    triples = store.describe(node)
    own = [t for t in triples if t.subject == node]
    if not any(t.predicate == RDF.type and t.object == SCHEMA.Library for t in own):
        return None
    record = record_from_triples(triples, minter)
    if record is None:
        key = ref.id if (ref := minter.parse(node.value)) is not None else node.value
        return LibraryDetail(
            _placeholder_summary(store, minter, node, key), identifiers=[Identifier("code", key)]
        )
    summary = _with_counts(store, minter, _summaries(store, library=node))[0]
    province = units().province(record.province_code) if record.province_code else None
    commune = units().commune(record.commune_code) if record.commune_code else None
    parents = [t.object for t in own if t.predicate == SCHEMA.parentOrganization]
    parent = next((p for p in parents if isinstance(p, NamedNode)), None)
    subs = [
        t.object for t in own if t.predicate == ORG.hasSubOrganization and isinstance(t.object, NamedNode)
    ]
    identifiers = [
        Identifier(
            scheme,
            value,
            valid_from=record.egov_valid_from if scheme == "egov" else None,
            valid_to=record.egov_valid_to if scheme == "egov" else None,
            href=href,
        )
        for scheme, value, href in (
            ("ISIL", record.isil, None),
            ("registry", record.id, None),
            ("egov", record.egov_code, None),
            ("Wikidata", record.wikidata, WIKIDATA + record.wikidata if record.wikidata else None),
        )
        if value
    ]
    return LibraryDetail(
        summary=replace(summary, province_name=province.name if province else summary.province_name),
        name_en=record.name_en,
        short_name=record.short_name,
        ownership=ownerships().get(record.ownership) if record.ownership else None,
        services=[services()[code] for code in record.services if code in services()],
        street=record.street,
        commune=commune.name if commune else None,
        website=record.website,
        email=record.email,
        phone=record.phone,
        opening_hours=record.opening_hours,
        collection_size=record.collection_size,
        founded=record.founded,
        identifiers=identifiers,
        parent=_link(store, parent) if parent else None,
        parent_name=record.parent_name,
        sub_organisations=sorted((_link(store, s) for s in subs), key=lambda s: sort_key(s.name)),
    )


def _link(store: GraphStore, node: NamedNode) -> LibraryLink:
    found = _summaries(store, library=node)
    if found:
        return LibraryLink(node.value, found[0].name)
    return LibraryLink(
        node.value, store.labels([node], (SCHEMA.name, RDFS.label)).get(node.value, node.value)
    )


def _placeholder_summary(store: GraphStore, minter: Minter, node: NamedNode, key: str) -> LibrarySummary:
    name = store.labels([node], (SCHEMA.name, RDFS.label)).get(node.value, key)
    counts = _counts(store, minter, [node.value])
    return LibrarySummary(
        iri=node.value,
        key=key,
        name=name,
        registered=False,
        records=counts.get((node.value, "records"), 0),
        items=counts.get((node.value, "items"), 0),
    )


# lookup ----------------------------------------------------------------------------------------
def lookup(store: GraphStore, minter: Minter, value: str) -> list[LibrarySummary]:
    """Libraries known by `value`: an ISIL, registry id, e-government code, Wikidata QID (also as a
    Wikidata IRI), pseudo-ISIL or a placeholder's code. Exact first; then upper case ('vn-hn1')."""
    value = value.strip()
    qid = _QID.match(value)
    candidates = [qid.group(1).upper()] if qid else [value, value.upper()]
    for candidate in dict.fromkeys(c for c in candidates if c):
        iris = _identified_by(store, minter, candidate)
        if iris:
            return [s for iri in iris if (s := _summary_of(store, minter, iri)) is not None]
    return []


def _identified_by(store: GraphStore, minter: Minter, value: str) -> list[NamedNode]:
    rows = store.canned("library_identified_by", value=Literal(value))
    assert isinstance(rows, QuerySolutions)
    iris = [row["library"] for row in rows if isinstance(row["library"], NamedNode)]
    try:
        by_key = minter.library(value)
    except ValueError:  # not something an IRI can be made of
        by_key = None
    if by_key is not None and by_key not in iris and store.exists(by_key):
        iris.append(by_key)
    return list(dict.fromkeys(iris))


def _summary_of(store: GraphStore, minter: Minter, node: NamedNode) -> LibrarySummary | None:
    registered = _summaries(store, library=node)
    if registered:
        return _with_counts(store, minter, registered)[0]
    if not store.query_bool("is_library", library=node):
        return None
    ref = minter.parse(node.value)
    return _placeholder_summary(store, minter, node, ref.id if ref is not None else node.value)


# autocomplete ----------------------------------------------------------------------------------
def suggest(store: GraphStore, prefix: str, limit: int = 10) -> list[LibrarySummary]:
    """Registered libraries whose name (Vietnamese, English or short) has a word that starts the
    way `prefix` does, case- and diacritic-insensitively ("thu vien ha" finds "Thư viện Hà Nội").
    Names matching with the diacritics as typed come first, then matches nearer the name's start."""
    wanted = match_key(prefix)
    wanted_folded = fold(wanted)
    if not wanted_folded or limit <= 0:
        return []
    rows = store.canned("library_names")
    assert isinstance(rows, QuerySolutions)
    best: dict[str, tuple[int, int]] = {}
    for row in rows:
        key = match_key(row["name"].value)
        rank = _word_prefix_rank(key, wanted, wanted_folded)
        if rank is not None:
            iri = row["library"].value
            best[iri] = min(rank, best.get(iri, rank))
    if not best:
        return []
    summaries = [s for s in _summaries(store) if s.iri in best]
    summaries.sort(key=lambda s: (best[s.iri], sort_key(s.name)))
    return summaries[:limit]


def _word_prefix_rank(name_key: str, wanted: str, wanted_folded: str) -> tuple[int, int] | None:
    """(0 if the diacritics match as typed else 1, index of the first matching word), or None."""
    words = name_key.split()
    folded = fold(name_key).split()
    if len(folded) != len(words):  # folding never splits words; be safe anyway
        words = folded
    ranks = [
        (0 if " ".join(words[i:]).startswith(wanted) else 1, i)
        for i in range(len(folded))
        if " ".join(folded[i:]).startswith(wanted_folded)
    ]
    return min(ranks) if ranks else None


# near a point ----------------------------------------------------------------------------------
def near(
    store: GraphStore, minter: Minter, lat: float, lon: float, km: float
) -> list[tuple[LibrarySummary, float]]:
    """Registered libraries with coordinates within `km` of (lat, lon), nearest first, with the
    great-circle distance in km (haversine)."""
    found = [
        (s, distance_km(lat, lon, s.latitude, s.longitude))
        for s in _summaries(store)
        if s.latitude is not None and s.longitude is not None
    ]
    within = [(s, d) for s, d in found if d <= km]
    within.sort(key=lambda pair: (pair[1], sort_key(pair[0].name)))
    counted = {s.iri: s for s in _with_counts(store, minter, [s for s, _ in within])}
    return [(counted[s.iri], d) for s, d in within]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, by the haversine formula."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# Vietnamese order ------------------------------------------------------------------------------
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
"""Marks that make another letter: a < ă < â, e < ê, o < ô < ơ, u < ư."""
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng."""


def sort_key(text: str) -> tuple[list[tuple[str, int]], list[int], str]:
    """A key that sorts Vietnamese text in dictionary order: letters first (d < đ, o < ô < ơ), then
    the tone of each word (wherever its mark sits: "hoạ" and "họa" are one), then the text itself.
    For sorting only; the text shown is never changed."""
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    in_word = False
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _TONES and in_word:
            tones[-1] = _TONES[char]
        elif char in _LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], _LETTER_MARKS[char])
        else:
            letters.append(("d", 1) if char == "đ" else (char, 0))
            if char.isalnum() and not in_word:
                tones.append(0)
            in_word = char.isalnum()
    return letters, tones, text


# helpers ---------------------------------------------------------------------------------------
def _text(term: object) -> str | None:
    return term.value if isinstance(term, Literal) else None


def _number(term: object) -> float | None:
    try:
        return float(term.value) if isinstance(term, Literal) else None
    except ValueError:
        return None


__all__ = [
    "Identifier",
    "LibraryDetail",
    "LibraryLink",
    "LibrarySummary",
    "MAX_KM",
    "distance_km",
    "library_detail",
    "list_libraries",
    "lookup",
    "near",
    "province_choices",
    "sort_key",
    "suggest",
]
