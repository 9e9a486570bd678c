"""A library registry record to RDF: schema.org Library, W3C ORG hierarchy, address and place,
identifiers as typed values and as links.

The record has been checked already (`lod.registry.check_row`); this module only maps it. IRIs:
the library is `{base}resource/library/{ISIL}`, or `…/library/x-{registry id}` without an ISIL
(`lod.uris.pseudo_isil`); its type, ownership and services are the SKOS concepts of
ontologies/registry.ttl; its commune and province are the administrative units of 2025.
Every identifier appears twice: as a property the data community queries directly (lodv:isil,
lodv:registryId, lodv:egovCode) and as a schema:PropertyValue that schema.org readers understand.
`record_from_triples` reads the record back from the triples (for `lod registry export`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.triples import Subject, Triple
from lod.uris import Minter, pseudo_isil
from lod.vocab import (
    BF,
    LIBRARY_TYPES,
    LODV,
    ORG,
    OWL,
    OWNERSHIPS,
    RDF,
    RDFS,
    SCHEMA,
    SERVICES,
    WIKIDATA,
    XSD,
)

COUNTRY = "VN"


@dataclass(frozen=True)
class LibraryRecord:
    """One checked row of the registry (the field set of docs: README, 'Library registry')."""

    id: str
    name: str
    type: str
    name_en: str | None = None
    short_name: str | None = None
    isil: str | None = None
    egov_code: str | None = None
    egov_valid_from: str | None = None
    egov_valid_to: str | None = None
    wikidata: str | None = None
    ownership: str | None = None
    parent_id: str | None = None
    parent_name: str | None = None
    street: str | None = None
    commune_code: str | None = None
    province_code: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    opening_hours: str | None = None
    services: tuple[str, ...] = ()
    collection_size: int | None = None
    founded: str | None = None

    @property
    def key(self) -> str:
        """What the library's IRI is made of: its ISIL, else its pseudo-identifier."""
        return self.isil or pseudo_isil(self.id)


FIELD_NAMES = (
    "id", "name", "name_en", "short_name", "isil", "egov_code", "egov_valid_from", "egov_valid_to",
    "wikidata", "type", "ownership", "parent_id", "parent_name", "street", "commune_code",
    "province_code", "latitude", "longitude", "website", "email", "phone", "opening_hours",
    "services", "collection_size", "founded",
)  # fmt: skip
"""The registry's field set, in the column order of its CSV files."""
assert set(FIELD_NAMES) == {f.name for f in fields(LibraryRecord)}


@dataclass(frozen=True)
class Place:
    """The names of the units a record's codes point at (from lod.adminunits), for the address."""

    commune: str | None = None
    province: str | None = None


def library_triples(record: LibraryRecord, minter: Minter, place: Place = Place()) -> list[Triple]:
    """All statements about one registry library."""
    lib = minter.library(record.key)
    vi = "vi"
    triples: list[Triple] = [
        (lib, RDF.type, SCHEMA.Library),
        (lib, RDF.type, ORG.Organization),
        (lib, RDF.type, BF.Organization),
        (lib, RDF.type, BF.Agent),
        (lib, RDFS.label, Literal(record.name, language=vi)),
        (lib, SCHEMA.name, Literal(record.name, language=vi)),
        (lib, LODV.registryId, Literal(record.id)),
        (lib, LODV.libraryType, NamedNode(LIBRARY_TYPES + record.type)),
        (lib, SCHEMA.additionalType, NamedNode(LIBRARY_TYPES + record.type)),
        (lib, SCHEMA.address, address := BlankNode()),
        (address, RDF.type, SCHEMA.PostalAddress),
        (address, SCHEMA.addressCountry, Literal(COUNTRY)),
    ]
    triples += _identifier(lib, "registry", record.id)
    if record.name_en:
        triples += [(lib, SCHEMA.name, Literal(record.name_en, language="en")),
                    (lib, RDFS.label, Literal(record.name_en, language="en"))]  # fmt: skip
    if record.short_name:
        triples.append((lib, SCHEMA.alternateName, Literal(record.short_name, language=vi)))
    if record.isil:
        triples.append((lib, LODV.isil, Literal(record.isil)))
        triples += _identifier(lib, "ISIL", record.isil)
    if record.egov_code:
        triples.append((lib, LODV.egovCode, Literal(record.egov_code)))
        triples += _identifier(lib, "egov", record.egov_code, record.egov_valid_from, record.egov_valid_to)
    if record.wikidata:
        entity = NamedNode(WIKIDATA + record.wikidata)
        triples += [(lib, OWL.sameAs, entity), (lib, SCHEMA.sameAs, entity)]
        triples += _identifier(lib, "Wikidata", record.wikidata)
    if record.ownership:
        triples.append((lib, LODV.ownership, NamedNode(OWNERSHIPS + record.ownership)))
    if record.parent_name:
        parent = BlankNode()
        triples += [
            (lib, SCHEMA.parentOrganization, parent),
            (parent, RDF.type, SCHEMA.Organization),
            (parent, SCHEMA.name, Literal(record.parent_name, language=vi)),
        ]
    if record.street:
        triples.append((address, SCHEMA.streetAddress, Literal(record.street, language=vi)))
    if record.commune_code:
        triples.append((lib, SCHEMA.containedInPlace, minter.commune(record.commune_code)))
        if place.commune:
            triples.append((address, SCHEMA.addressLocality, Literal(place.commune, language=vi)))
    if record.province_code:
        triples.append((lib, SCHEMA.containedInPlace, minter.province(record.province_code)))
        if place.province:
            triples.append((address, SCHEMA.addressRegion, Literal(place.province, language=vi)))
    if record.latitude and record.longitude:
        geo = BlankNode()
        triples += [
            (lib, SCHEMA.geo, geo),
            (geo, RDF.type, SCHEMA.GeoCoordinates),
            (geo, SCHEMA.latitude, Literal(record.latitude, datatype=XSD.decimal)),
            (geo, SCHEMA.longitude, Literal(record.longitude, datatype=XSD.decimal)),
        ]
    if record.website:
        triples.append((lib, SCHEMA.url, NamedNode(record.website)))
    if record.email:
        triples.append((lib, SCHEMA.email, Literal(record.email)))
    if record.phone:
        triples.append((lib, SCHEMA.telephone, Literal(record.phone)))
    if record.opening_hours:
        triples.append((lib, SCHEMA.openingHours, Literal(record.opening_hours)))
    for service in record.services:
        triples.append((lib, LODV.service, NamedNode(SERVICES + service)))
    if record.collection_size is not None:
        triples.append((lib, LODV.collectionSize, Literal(str(record.collection_size), datatype=XSD.integer)))
    if record.founded:
        triples.append(
            (lib, SCHEMA.foundingDate, Literal(record.founded, datatype=_date_type(record.founded)))
        )
    return triples


def hierarchy_triples(child: NamedNode, parent: NamedNode) -> list[Triple]:
    """A library that is part of another registry library (a branch, a faculty library)."""
    return [
        (child, ORG.subOrganizationOf, parent),
        (child, SCHEMA.parentOrganization, parent),
        (parent, ORG.hasSubOrganization, child),
    ]


def _identifier(
    lib: Subject, scheme: str, value: str, valid_from: str | None = None, valid_to: str | None = None
) -> list[Triple]:
    node = BlankNode()
    triples: list[Triple] = [
        (lib, SCHEMA.identifier, node),
        (node, RDF.type, SCHEMA.PropertyValue),
        (node, SCHEMA.propertyID, Literal(scheme)),
        (node, SCHEMA.value, Literal(value)),
    ]
    if valid_from:
        triples.append((node, SCHEMA.validFrom, Literal(valid_from, datatype=XSD.date)))
    if valid_to:
        triples.append((node, SCHEMA.validThrough, Literal(valid_to, datatype=XSD.date)))
    return triples


def _date_type(value: str) -> NamedNode:
    return {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)


# reading a record back (lod registry export) ---------------------------------------------------
def record_from_triples(
    triples: Iterable[Any], minter: Minter, registry_ids: Mapping[str, str] | None = None
) -> LibraryRecord | None:
    """The registry record that `library_triples` (+ `hierarchy_triples`) stated, or None.
    `registry_ids` (library IRI -> registry id) names a parent library by its registry id."""
    by_subject: dict[Any, list[tuple[Any, Any]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    lib = next((s for s, props in by_subject.items() if any(p == LODV.registryId for p, _ in props)), None)
    if lib is None:
        return None
    props = by_subject[lib]

    def values(predicate: NamedNode, language: str | None = None) -> list[Any]:
        found = [o for p, o in props if p == predicate]
        if language is not None:
            found = [o for o in found if isinstance(o, Literal) and o.language == language]
        return found

    def text(predicate: NamedNode, language: str | None = None) -> str | None:
        found = sorted(o.value for o in values(predicate, language))
        return found[0] if found else None

    def code(predicate: NamedNode, namespace: str) -> str | None:
        found = [o.value[len(namespace) :] for o in values(predicate) if o.value.startswith(namespace)]
        return found[0] if found else None

    def inner(node: Any, predicate: NamedNode) -> str | None:
        found = [o.value for p, o in by_subject.get(node, []) if p == predicate]
        return found[0] if found else None

    egov = next((n for n in values(SCHEMA.identifier) if inner(n, SCHEMA.propertyID) == "egov"), None)
    address = next(iter(values(SCHEMA.address)), None)
    geo = next(iter(values(SCHEMA.geo)), None)
    parents = values(SCHEMA.parentOrganization)
    parent_node = next((p for p in parents if isinstance(p, BlankNode)), None)
    parent_iri = next((p for p in parents if isinstance(p, NamedNode)), None)
    parent_id = (registry_ids or {}).get(parent_iri.value) if parent_iri is not None else None
    places = [o.value for o in values(SCHEMA.containedInPlace)]
    size = text(LODV.collectionSize)
    wikidata = [o.value[len(WIKIDATA) :] for o in values(OWL.sameAs) if o.value.startswith(WIKIDATA)]
    return LibraryRecord(
        id=text(LODV.registryId) or "",
        name=text(SCHEMA.name, "vi") or "",
        type=code(LODV.libraryType, LIBRARY_TYPES) or "",
        name_en=text(SCHEMA.name, "en"),
        short_name=text(SCHEMA.alternateName),
        isil=text(LODV.isil),
        egov_code=text(LODV.egovCode),
        egov_valid_from=inner(egov, SCHEMA.validFrom) if egov is not None else None,
        egov_valid_to=inner(egov, SCHEMA.validThrough) if egov is not None else None,
        wikidata=wikidata[0] if wikidata else None,
        ownership=code(LODV.ownership, OWNERSHIPS),
        parent_id=parent_id,
        parent_name=inner(parent_node, SCHEMA.name) if parent_node is not None else None,
        street=inner(address, SCHEMA.streetAddress) if address is not None else None,
        commune_code=next((c for iri in places if (c := minter.unit_code(iri, "commune"))), None),
        province_code=next((c for iri in places if (c := minter.unit_code(iri, "province"))), None),
        latitude=inner(geo, SCHEMA.latitude) if geo is not None else None,
        longitude=inner(geo, SCHEMA.longitude) if geo is not None else None,
        website=next((o.value for o in values(SCHEMA.url)), None),
        email=text(SCHEMA.email),
        phone=text(SCHEMA.telephone),
        opening_hours=text(SCHEMA.openingHours),
        services=tuple(sorted(o.value[len(SERVICES) :] for o in values(LODV.service))),
        collection_size=int(size) if size is not None else None,
        founded=text(SCHEMA.foundingDate),
    )
