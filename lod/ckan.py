"""The catalogue (lod.dataset) in CKAN's terms, so that a CKAN harvester (ckanext-harvest's
CKANHarvester, which the national data portal runs) takes the datasets as they are.

A dataset is a package in `package_show`'s form: name, title, notes, licence, the publisher as the
one organization, the library as author, the contact as maintainer, metadata dates, tags, and a
resource per distribution (URL, format, media type, size, SHA-256); everything else DCAT says is in
`extras`, under the keys ckanext-dcat uses (`uri`, `identifier`, `spatial_uri`, `theme`...), with
`spatial` as GeoJSON (ckanext-spatial). Ids are UUIDs made from the IRIs, so they never change.

The harvester asks `package_search` for pages of 100 packages sorted by id and, after its first
run, only for those modified since (`fq=metadata_modified:[2026-07-01T00:00:00Z TO *]`), maybe
of some organizations (`organization:…`, `-organization:…`): `search` understands those filters
and a few more, and refuses others rather than ignoring them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lod.dataset import Catalogue, Dataset, Distribution, ckan_id, ckan_name
from lod.dcat import FILE_TYPES
from lod.formats import JSONLD, NQUADS, NTRIPLES, TURTLE
from lod.vietnamese import fold

LICENCES = {
    "http://creativecommons.org/publicdomain/zero/1.0/": ("cc-zero", "Creative Commons CCZero", True),
    "https://creativecommons.org/publicdomain/zero/1.0/": ("cc-zero", "Creative Commons CCZero", True),
    "http://creativecommons.org/licenses/by/4.0/": ("cc-by", "Creative Commons Attribution", True),
    "https://creativecommons.org/licenses/by/4.0/": ("cc-by", "Creative Commons Attribution", True),
    "http://opendatacommons.org/licenses/odbl/1-0/": (
        "odc-odbl",
        "Open Data Commons Open Database License",
        True,
    ),
}
"""Licence IRI -> CKAN's licence id, title and whether it is open (CKAN's default licence list)."""
FORMAT_NAMES = {f.name: f.label for f in (NQUADS, NTRIPLES, TURTLE, JSONLD)}
SORTS = {
    "id": lambda p: p["id"],
    "name": lambda p: p["name"],
    "title": lambda p: p["title"],
    "metadata_modified": lambda p: p["metadata_modified"],
    "metadata_created": lambda p: p["metadata_created"],
}
MAX_ROWS = 1000
"""CKAN's default ckan.search.rows_max."""
_TERM = re.compile(r'([+-]?)([a-z_]+):(\[[^\]]*\]|"[^"]*"|\S+)')
_RANGE = re.compile(r"^\[(\S+) TO (\S+)\]$")


class SearchQueryError(ValueError):
    """A `fq` or `sort` this API does not understand (CKAN answers 400 Search Query Error)."""


@dataclass(frozen=True)
class Site:
    """What CKAN's dictionaries need beyond the catalogue: when metadata changed (when the data
    did, else when the server started) and the language the texts are taken in."""

    modified: datetime
    lang: str = "vi"
    organization: dict[str, Any] = field(default_factory=dict)


def site(catalogue: Catalogue, started: datetime, lang: str = "vi") -> Site:
    modified = catalogue.modified or started
    return Site(modified, lang, organization(catalogue, modified, lang))


def organization(catalogue: Catalogue, modified: datetime, lang: str = "vi") -> dict[str, Any]:
    """The publisher as CKAN's organization (organization_show's fields)."""
    publisher = catalogue.publisher
    return {
        "id": ckan_id(publisher.iri),
        "name": ckan_name(fold(publisher.name)),
        "title": publisher.name,
        "type": "organization",
        "description": catalogue.description.get(lang) or catalogue.description["vi"],
        "image_url": "",
        "created": _timestamp(modified),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }


def packages(catalogue: Catalogue, site: Site) -> list[dict[str, Any]]:
    return [package(catalogue, dataset, site) for dataset in catalogue.datasets]


def package(catalogue: Catalogue, dataset: Dataset, site: Site) -> dict[str, Any]:
    """One dataset as `package_show` returns it."""
    lang = site.lang
    licence_id, licence_title, is_open = LICENCES.get(
        catalogue.licence, ("other-open", catalogue.licence, True)
    )
    package_id = ckan_id(dataset.iri)
    tags = sorted({word for words in dataset.keywords.values() for word in words if _tag(word)})
    resources = [_resource(d, package_id, position, site) for position, d in enumerate(dataset.distributions)]
    modified = _timestamp(site.modified)
    return {
        "id": package_id,
        "name": dataset.name,
        "title": _text(dataset.title, lang),
        "notes": _text(dataset.description, lang),
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": dataset.landing_page,
        "version": catalogue.dump_day or "",
        "license_id": licence_id,
        "license_title": licence_title,
        "license_url": catalogue.licence,
        "isopen": is_open,
        "author": dataset.library.name if dataset.library else catalogue.publisher.name,
        "author_email": None,
        "maintainer": catalogue.contact.name,
        "maintainer_email": catalogue.contact.email,
        "metadata_created": modified,
        "metadata_modified": modified,
        "owner_org": site.organization["id"],
        "organization": site.organization,
        "num_resources": len(resources),
        "resources": resources,
        "num_tags": len(tags),
        "tags": [
            {
                "id": ckan_id(f"tag:{tag}"),
                "name": tag,
                "display_name": tag,
                "state": "active",
                "vocabulary_id": None,
            }
            for tag in tags
        ],
        "groups": [],
        "relationships_as_subject": [],
        "relationships_as_object": [],
        "extras": [{"key": key, "value": value} for key, value in _extras(catalogue, dataset, site)],
    }


def search(
    found: Sequence[dict[str, Any]],
    q: str = "",
    fq: str = "",
    sort: str = "",
    rows: int = 10,
    start: int = 0,
) -> dict[str, Any]:
    """`package_search` over the packages: `q` words in the name, title, notes or tags (`*:*` or
    nothing: all), `fq` filters, `sort` ('id asc', 'metadata_modified desc'...), a page of `rows`
    from `start`."""
    tests = [_filter(term) for term in _terms(fq)] + [_filter(term) for term in _query_terms(q)]
    matched = [p for p in found if all(test(p) for test in tests)]
    for key, descending in reversed(_sorts(sort)):
        matched.sort(key=SORTS[key], reverse=descending)
    return {
        "count": len(matched),
        "sort": sort or "score desc, metadata_modified desc",
        "facets": {},
        "search_facets": {},
        "results": matched[start : start + min(rows, MAX_ROWS)],
    }


# packages --------------------------------------------------------------------------------------
def _resource(distribution: Distribution, package_id: str, position: int, site: Site) -> dict[str, Any]:
    title = _text(distribution.title, site.lang)
    created = f"{distribution.issued}T00:00:00" if distribution.issued else _timestamp(site.modified)
    resource: dict[str, Any] = {
        "id": ckan_id(distribution.iri),
        "package_id": package_id,
        "position": position,
        "name": title,
        "description": title,
        "url": distribution.download_url or distribution.access_url,
        "format": "SPARQL" if distribution.service else FORMAT_NAMES.get(distribution.format or "", ""),
        "mimetype": distribution.media_type,
        "mimetype_inner": None,
        "compress_format": distribution.compress_format,
        "size": distribution.byte_size,
        "hash": distribution.sha256 or "",
        "hash_algorithm": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
        if distribution.sha256
        else None,
        "created": created,
        "last_modified": created,
        "state": "active",
        "resource_type": "api" if distribution.service else "file",
        "url_type": None,
        "uri": distribution.iri,
        "access_url": distribution.access_url,
        "download_url": distribution.download_url,
        "triples": distribution.triples,
    }
    return resource


def _extras(catalogue: Catalogue, dataset: Dataset, site: Site) -> list[tuple[str, str]]:
    from lod.dcat import PUBLIC, THEME

    extras = [
        ("uri", dataset.iri),
        ("identifier", dataset.name),
        ("dcat_type", "http://www.w3.org/ns/dcat#Dataset"),
        ("theme", json.dumps([THEME])),
        ("access_rights", PUBLIC),
        ("conforms_to", json.dumps(["http://id.loc.gov/ontologies/bibframe/"])),
        ("language", json.dumps(["vi", "en"])),
        ("publisher_uri", catalogue.publisher.iri),
        ("publisher_name", catalogue.publisher.name),
        ("publisher_url", catalogue.publisher.homepage or catalogue.base),
        ("contact_uri", catalogue.contact.iri),
        ("contact_name", catalogue.contact.name),
        ("contact_url", catalogue.contact.url),
        ("sparql_endpoint", next((d.access_url for d in dataset.distributions if d.service), "")),
        ("void", catalogue.base + ".well-known/void"),
        ("title_en", _text(dataset.title, "en")),
        ("notes_en", _text(dataset.description, "en")),
    ]
    if catalogue.contact.email:
        extras.append(("contact_email", catalogue.contact.email))
    if dataset.library is not None:
        extras += [("creator_uri", dataset.library.iri), ("creator_name", dataset.library.name)]
    if dataset.spatial:
        extras.append(("spatial_uri", dataset.spatial[0].iri))
        extras.append(("spatial_text", "; ".join(_text(p.labels, site.lang) for p in dataset.spatial)))
    geometry = _geometry(dataset.points)
    if geometry is not None:
        extras.append(("spatial", json.dumps(geometry)))
    for key, value in (("triples", dataset.triples), ("records", dataset.records), ("items", dataset.items)):
        if value is not None:
            extras.append((key, str(value)))
    if catalogue.dump_day:
        extras.append(("dump_date", catalogue.dump_day))
    extras.append(
        ("file_types", json.dumps(sorted({FILE_TYPES.get(d.format) or "" for d in dataset.distributions})))
    )
    return sorted((key, value) for key, value in extras if value)


def _geometry(points: Sequence[tuple[float, float]]) -> dict[str, Any] | None:
    """GeoJSON for ckanext-spatial: the library's point, or the libraries' points."""
    coordinates = [[round(lon, 6), round(lat, 6)] for lat, lon in sorted(set(points))]
    if not coordinates:
        return None
    if len(coordinates) == 1:
        return {"type": "Point", "coordinates": coordinates[0]}
    return {"type": "MultiPoint", "coordinates": coordinates}


def _tag(word: str) -> bool:
    """CKAN's tag rules: 2 to 100 characters, letters, digits, spaces, '-', '_', '.'."""
    return 2 <= len(word) <= 100 and all(c.isalnum() or c in " -_." for c in word)


def _text(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("vi") or next(iter(texts.values()), "")


def _timestamp(moment: datetime) -> str:
    """CKAN's form: ISO 8601 in UTC without a zone, to the microsecond."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


# search ----------------------------------------------------------------------------------------
Test = Callable[[dict[str, Any]], bool]
FIELDS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "id": lambda p: [p["id"]],
    "name": lambda p: [p["name"]],
    "organization": lambda p: [p["organization"]["name"]],
    "owner_org": lambda p: [p["owner_org"]],
    "groups": lambda p: [g["name"] for g in p["groups"]],
    "tags": lambda p: [t["name"] for t in p["tags"]],
    "license_id": lambda p: [p["license_id"]],
    "res_format": lambda p: [r["format"] for r in p["resources"]],
    "type": lambda p: [p["type"]],
    "dataset_type": lambda p: [p["type"]],
    "state": lambda p: [p["state"]],
    "metadata_modified": lambda p: [p["metadata_modified"]],
    "metadata_created": lambda p: [p["metadata_created"]],
}


def _terms(fq: str) -> list[list[tuple[bool, str, str]]]:
    """`fq` as conjunctions of disjunctions: 'a:1 b:2 OR b:3' -> [[a:1], [b:2, b:3]]."""
    groups: list[list[tuple[bool, str, str]]] = []
    text = fq.strip()
    joined = False
    while text:
        if text.startswith("OR ") and groups:
            joined, text = True, text[3:].lstrip()
            continue
        if text.startswith("AND "):
            text = text[4:].lstrip()
            continue
        match = _TERM.match(text)
        if match is None:
            raise SearchQueryError(f"cannot read the filter at {text[:40]!r}")
        negated, key, value = match.group(1) == "-", match.group(2), match.group(3)
        if key not in FIELDS:
            raise SearchQueryError(f"unknown field {key!r}")
        if joined:
            groups[-1].append((negated, key, value))
        else:
            groups.append([(negated, key, value)])
        joined = False
        text = text[match.end() :].lstrip()
    return groups


def _query_terms(q: str) -> list[list[tuple[bool, str, str]]]:
    """`q`: '*:*' or nothing for all; 'field:value' filters; other words must each be found."""
    words = q.split()
    if not words or words == ["*:*"]:
        return []
    groups: list[list[tuple[bool, str, str]]] = []
    for word in words:
        if ":" in word and word.split(":", 1)[0].lstrip("+-") in FIELDS:
            groups += _terms(word)
        else:
            groups.append([(False, "text", word)])
    return groups


def _filter(group: list[tuple[bool, str, str]]) -> Test:
    tests = [_one(negated, key, value) for negated, key, value in group]
    return lambda p: any(test(p) for test in tests)


def _one(negated: bool, key: str, value: str) -> Test:
    if key == "text":
        wanted = value.casefold()

        def test(p: dict[str, Any]) -> bool:
            text = " ".join([p["name"], p["title"], p["notes"], *(t["name"] for t in p["tags"])]).casefold()
            return wanted in text

        return test
    values = FIELDS[key]
    found = _RANGE.match(value)
    if found is not None:
        low, high = (_bound(b) for b in found.groups())

        def in_range(p: dict[str, Any]) -> bool:
            return any((low is None or v >= low) and (high is None or v <= high) for v in values(p))

        return (lambda p: not in_range(p)) if negated else in_range
    wanted = value.strip('"')

    def equal(p: dict[str, Any]) -> bool:
        return wanted == "*" or wanted in values(p)

    return (lambda p: not equal(p)) if negated else equal


def _bound(text: str) -> str | None:
    """A range bound as CKAN's timestamps compare ('2026-07-01T00:00:00Z' -> '2026-07-01T00:00:00'),
    or None for '*'. NOW and date maths are not understood."""
    if text == "*":
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?Z?", text):
        raise SearchQueryError(f"cannot read the range bound {text!r}")
    return text.rstrip("Z")


def _sorts(sort: str) -> list[tuple[str, bool]]:
    found = []
    for part in filter(None, (p.strip() for p in sort.split(","))):
        key, _, direction = part.partition(" ")
        if key == "score":
            continue
        if key not in SORTS or direction.strip() not in ("", "asc", "desc"):
            raise SearchQueryError(f"cannot sort by {part!r}")
        found.append((key, direction.strip() == "desc"))
    return found
