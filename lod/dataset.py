"""What the dataset is, for the portals and harvesters that catalogue it: the whole dataset and its
parts (the union catalogue, the library registry, the shared entities, each library's records,
the withdrawn records), each with its titles, figures, spatial coverage and distributions (the
files of the newest dump, the SPARQL endpoint). Framework-free: `lod.dcat` writes it as VoID and
DCAT, `lod.ckan` as CKAN's package dictionaries, the web layer serves them.

Nothing is counted here: the figures are those lod.figures kept after the last ingest (a store
never counted is counted, as the home page does), the libraries and their provinces come from the
registry (lod.libraries), the files and their sizes, statements and checksums from the newest
dump's manifest (lod.dumps). The datasets are the dumps' datasets, with the same ids: a library's
dataset is `library-{ISIL}` in both (lod.dumps.library_dataset_id), and the whole dataset is the
base IRI itself, as lod.figures names it. The others are `{base}catalog#{id}`, described in the
catalogue document.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pyoxigraph import NamedNode, QuerySolutions

from lod.config import Settings
from lod.dumps import ALL, LIBRARY, REGISTRY, SHARED, UNION, Manifest, library_dataset_id
from lod.figures import KeptFigures, dataset_figures, kept_figures, library_figures
from lod.formats import JSONLD, NQUADS, NTRIPLES, TURTLE
from lod.i18n import LANGUAGES, t
from lod.libraries import LibrarySummary, list_libraries
from lod.store import GraphStore
from lod.uris import Minter, unique_id
from lod.vocab import PREFIXES, RDFS, SCHEMA
from lod.withdrawal import TOMBSTONES, has_tombstones

Texts = dict[str, str]
"""Language tag ('vi', 'en') -> text."""

VIETNAM = "http://publications.europa.eu/resource/authority/country/VNM"
"""Vietnam in the EU country authority table, which DCAT-AP uses for dcterms:spatial."""
GZIP = "application/gzip"
FORMAT_LABELS = {f.name: f.label for f in (NQUADS, NTRIPLES, TURTLE, JSONLD)}
EXAMPLES = 3
"""Example resources the VoID description names (one instance of each of the first libraries)."""
_SLUG = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class Place:
    iri: str
    labels: Texts


@dataclass(frozen=True)
class Agent:
    iri: str
    name: str
    homepage: str | None = None


@dataclass(frozen=True)
class Contact:
    iri: str
    name: str
    url: str
    email: str | None = None


@dataclass(frozen=True)
class Distribution:
    """A file of the newest dump, or the SPARQL endpoint (`service`)."""

    key: str
    """The fragment of its IRI in the catalogue: the file's name, or '{dataset}-sparql'."""
    iri: str
    title: Texts
    access_url: str
    download_url: str | None = None
    format: str | None = None
    """A lod.formats name (nt, ttl, jsonld, nq); None for the endpoint."""
    media_type: str | None = None
    """Of the content (unpacked)."""
    compress_format: str | None = None
    byte_size: int | None = None
    sha256: str | None = None
    triples: int | None = None
    issued: str | None = None
    """The dump's day (YYYY-MM-DD)."""
    service: bool = False


@dataclass(frozen=True)
class Dataset:
    key: str | None
    """The dump dataset id ('union', 'library-VN-HN001'); None for the whole dataset."""
    kind: str
    """lod.dumps' kinds: all, registry, shared, union, library, tombstones."""
    iri: str
    title: Texts
    description: Texts
    keywords: dict[str, tuple[str, ...]]
    landing_page: str
    spatial: tuple[Place, ...] = ()
    points: tuple[tuple[float, float], ...] = ()
    """(latitude, longitude) of the libraries it is about."""
    library: Agent | None = None
    """The library whose records these are (dcterms:creator)."""
    records: int | None = None
    items: int | None = None
    triples: int | None = None
    """Statements, when the newest dump counted them."""
    distributions: tuple[Distribution, ...] = ()

    @property
    def name(self) -> str:
        """The dataset's CKAN name: lower case letters, digits, '-' and '_'."""
        return ckan_name(self.key or ALL)


@dataclass(frozen=True)
class Linkset:
    iri: str
    predicate: str
    target: str
    triples: int | None


@dataclass(frozen=True)
class Catalogue:
    base: str
    title: Texts
    description: Texts
    publisher: Agent
    contact: Contact
    licence: str
    modified: datetime | None
    datasets: tuple[Dataset, ...]
    """The whole dataset first, then its parts."""
    triples: int
    entities: int
    classes: dict[str, int] = field(default_factory=dict)
    """Kept class partitions (empty in a store never counted)."""
    properties: dict[str, int] = field(default_factory=dict)
    linksets: tuple[Linkset, ...] = ()
    examples: tuple[str, ...] = ()
    dump_day: str | None = None

    @property
    def whole(self) -> Dataset:
        return self.datasets[0]

    @property
    def parts(self) -> tuple[Dataset, ...]:
        return self.datasets[1:]

    def dataset(self, name: str) -> Dataset | None:
        """A dataset by its CKAN name or its id (CKAN's package_show takes either)."""
        return next((d for d in self.datasets if name in (d.name, ckan_id(d.iri))), None)


ENTITY_CLASSES = (
    "http://id.loc.gov/ontologies/bibframe/Work",
    "http://id.loc.gov/ontologies/bibframe/Instance",
    "http://id.loc.gov/ontologies/bibframe/Item",
    "http://id.loc.gov/ontologies/bibframe/Agent",
    "http://id.loc.gov/ontologies/bibframe/Topic",
    "http://id.loc.gov/ontologies/bibframe/Temporal",
    "http://id.loc.gov/ontologies/bibframe/GenreForm",
    "http://id.loc.gov/ontologies/bibframe/Place",
    "http://id.loc.gov/ontologies/bibframe/Series",
)
"""The classes whose entities `void:entities` counts: the works, instances (the union catalogue's
among them), items, agents (libraries among them), topics, places and series this dataset mints
IRIs for. Their kept class partitions are summed: counting distinct subjects over every typed
statement took 25 times as long as the class partitions do, on every ingest."""
DEFAULT_LINKSETS = (
    ("http://id.loc.gov/ontologies/bibframe/language", "http://id.loc.gov/vocabulary/languages"),
    ("http://id.loc.gov/ontologies/bibframe/role", "http://id.loc.gov/vocabulary/relators"),
    ("http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/"),
)
"""Linksets described, without counts, for a store whose figures hold none (counted before
lod.figures counted links)."""


def describe_catalogue(
    store: GraphStore,
    minter: Minter,
    settings: Settings,
    manifest: Manifest | None = None,
    modified: datetime | None = None,
) -> Catalogue:
    """Everything the VoID description, the DCAT catalogue and the CKAN API say, from the kept
    figures, the registry and the newest dump's `manifest` (None: no dump yet). `modified` is when
    the data last changed, when known (lod.documents.snapshot_time)."""
    kept = kept_figures(store, minter)
    figures = dataset_figures(store, minter) if kept is None else None
    libraries = library_figures(store, minter) if kept is None else kept.libraries
    summaries = {s.iri: s for s in list_libraries(store, minter)}
    sending = sorted({iri for (iri, kind), n in libraries.items() if kind == "records" and n > 0})
    files = _Files(minter, manifest)
    vietnam = Place(VIETNAM, {lang: t("dataset.vietnam", lang) for lang in LANGUAGES})
    points = tuple(p for s in summaries.values() if (p := _point(s)) is not None)

    def dataset(
        key: str | None,
        kind: str,
        landing_page: str,
        title: Texts | None = None,
        description: Texts | None = None,
        extra_keywords: Sequence[str] = (),
        **details: Any,
    ) -> Dataset:
        return Dataset(
            key=key,
            kind=kind,
            iri=minter.dataset(key).value,
            title=title or texts(f"dumps.dataset.{kind}"),
            description=description or texts(f"dataset.description.{kind}"),
            keywords=_keywords(kind, *extra_keywords),
            landing_page=landing_page,
            distributions=(*files.of(key or ALL), _sparql(minter, key or ALL)),
            **details,
        )

    whole = dataset(
        None,
        ALL,
        title=texts("site.name"),
        description=texts("home.dataset_description"),
        landing_page=minter.base,
        spatial=(vietnam,),
        points=points,
        triples=files.triples(ALL),
    )
    parts = [
        dataset(
            UNION,
            UNION,
            landing_page=minter.iri_of_path("/search"),
            spatial=(vietnam,),
            points=points,
            triples=files.triples(UNION),
        ),
        dataset(
            REGISTRY,
            REGISTRY,
            landing_page=minter.iri_of_path("/libraries"),
            spatial=(vietnam,),
            points=points,
            triples=files.triples(REGISTRY),
        ),
        dataset(SHARED, SHARED, landing_page=minter.base, spatial=(vietnam,), triples=files.triples(SHARED)),
    ]
    taken: set[str] = set()
    for iri in sending:
        library = NamedNode(iri)
        key = files.library_key(iri) or library_dataset_id(library, minter, taken)
        taken.add(key.lower())
        summary = summaries.get(iri)
        names = _library_names(store, library, summary)
        records, items = libraries.get((iri, "records"), 0), libraries.get((iri, "items"), 0)
        parts.append(
            dataset(
                key,
                LIBRARY,
                title={lang: t("dumps.dataset.library", lang, library=names[lang]) for lang in LANGUAGES},
                description={
                    lang: t(
                        "dataset.description.library", lang, library=names[lang], records=records, items=items
                    )
                    for lang in LANGUAGES
                },
                extra_keywords=[
                    names["vi"],
                    *((summary.province_name,) if summary and summary.province_name else ()),
                ],
                landing_page=minter.iri_of_path(minter.document_path(iri, "html") or iri),
                spatial=_library_places(minter, iri, summary, vietnam),
                points=tuple(p for p in [_point(summary)] if p is not None),
                library=Agent(iri, names["vi"]),
                records=records,
                items=items,
                triples=files.triples(key),
            )
        )
    if has_tombstones(store, minter) or files.triples(TOMBSTONES) is not None:
        parts.append(
            dataset(TOMBSTONES, TOMBSTONES, landing_page=minter.base, triples=files.triples(TOMBSTONES))
        )

    publisher_name = settings.publisher or t("site.name", "vi")
    publisher = Agent(
        minter.catalog("publisher").value, publisher_name, settings.publisher_url or minter.base
    )
    contact = Contact(
        minter.catalog("contact").value,
        publisher_name,
        settings.publisher_url or minter.base,
        settings.contact_email or None,
    )
    classes = kept.classes if kept is not None else {}
    return Catalogue(
        base=minter.base,
        title=texts("dataset.catalog.title"),
        description=texts("dataset.catalog.description"),
        publisher=publisher,
        contact=contact,
        licence=settings.licence,
        modified=modified,
        datasets=(whole, *parts),
        triples=kept.triples if kept is not None else (figures or {}).get("triples", 0),
        entities=sum(classes.get(c, 0) for c in ENTITY_CLASSES)
        if kept is not None
        else _entities(figures or {}),
        classes=classes,
        properties=kept.properties if kept is not None else {},
        linksets=_linksets(minter, kept),
        examples=_examples(store, sending),
        dump_day=manifest.date if manifest is not None else None,
    )


def ckan_name(key: str) -> str:
    """A CKAN package name for a dataset id: lower case, every other character a '-'."""
    return _SLUG.sub("-", key.lower()).strip("-") or "dataset"


def ckan_id(iri: str) -> str:
    """A stable UUID for an IRI, as CKAN identifies packages and resources."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


# helpers ---------------------------------------------------------------------------------------
class _Files:
    """The newest dump's files, by dataset."""

    def __init__(self, minter: Minter, manifest: Manifest | None) -> None:
        self.minter = minter
        self.manifest = manifest
        self.by_library = {d.library: d.id for d in manifest.datasets if d.library} if manifest else {}

    def library_key(self, library: str) -> str | None:
        return self.by_library.get(library)

    def triples(self, dump_id: str) -> int | None:
        if self.manifest is None:
            return None
        return next((d.triples for d in self.manifest.datasets if d.id == dump_id), None)

    def of(self, dump_id: str) -> list[Distribution]:
        if self.manifest is None:
            return []
        files = self.manifest.files_of(dump_id)
        formats = {f.format for f in files}
        several = {fmt: sum(1 for f in files if f.format == fmt) > 1 for fmt in formats}
        found = []
        for f in files:
            label = FORMAT_LABELS.get(f.format, f.format)
            key = "dataset.distribution_part" if several[f.format] else "dataset.distribution"
            found.append(
                Distribution(
                    key=f.name,
                    iri=self.minter.catalog(f.name).value,
                    title={lang: t(key, lang, format=label, part=f.part) for lang in LANGUAGES},
                    access_url=self.minter.iri_of_path("/dumps"),
                    download_url=self.minter.dump_file(self.manifest.date, f.name).value,
                    format=f.format,
                    media_type=f.media_type,
                    compress_format=GZIP if f.encoding == "gzip" else None,
                    byte_size=f.bytes,
                    sha256=f.sha256,
                    triples=f.triples,
                    issued=self.manifest.date,
                )
            )
        return found


def _sparql(minter: Minter, key: str) -> Distribution:
    endpoint = minter.sparql_endpoint().value
    name = f"{key}-sparql"
    return Distribution(
        key=name,
        iri=minter.catalog(name).value,
        title=texts("dataset.sparql"),
        access_url=endpoint,
        service=True,
    )


def texts(key: str) -> Texts:
    """A text of lod.i18n in every language."""
    return {lang: t(key, lang) for lang in LANGUAGES}


def _keywords(kind: str, *extra: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        words = [*t("dataset.keywords", lang).split(";"), *t(f"dataset.keywords.{kind}", lang).split(";")]
        if lang == "vi":
            words += extra
        found[lang] = tuple(dict.fromkeys(w.strip() for w in words if w.strip()))
    return found


def _library_names(store: GraphStore, library: NamedNode, summary: LibrarySummary | None) -> Texts:
    names: Texts = {}
    for lang in LANGUAGES:
        label = store.labels([library], (SCHEMA.name, RDFS.label), lang).get(library.value)
        names[lang] = label or (summary.name if summary else None) or library.value
    if summary is not None:
        names["vi"] = summary.name
    return names


def _library_places(
    minter: Minter, iri: str, summary: LibrarySummary | None, vietnam: Place
) -> tuple[Place, ...]:
    """The library's province (from the registry) and Vietnam, for a library of the registry or
    one whose ISIL is Vietnamese; nothing for a library elsewhere (the sample has some)."""
    ref = minter.parse(iri)
    vietnamese = summary is not None or (ref is not None and ref.id.upper().startswith("VN-"))
    places: list[Place] = []
    if summary is not None and summary.province_code and summary.province_name:
        places.append(Place(minter.province(summary.province_code).value, {"vi": summary.province_name}))
    if vietnamese:
        places.append(vietnam)
    return tuple(places)


def _point(summary: LibrarySummary | None) -> tuple[float, float] | None:
    if summary is None or summary.latitude is None or summary.longitude is None:
        return None
    if not (math.isfinite(summary.latitude) and math.isfinite(summary.longitude)):
        return None
    return (summary.latitude, summary.longitude)


def _entities(figures: dict[str, int]) -> int:
    """void:entities in a store never counted: the kinds the home page counts."""
    return sum(n for kind, n in figures.items() if kind not in ("triples", "graphs"))


def _linksets(minter: Minter, kept: KeptFigures | None) -> tuple[Linkset, ...]:
    counted: dict[tuple[str, str], int | None] = dict(kept.links) if kept is not None and kept.links else {}
    if not counted:
        counted = dict.fromkeys(DEFAULT_LINKSETS)
    found = []
    for (predicate, target), n in sorted(counted.items()):
        found.append(Linkset(minter.void(_linkset_name(predicate, target)).value, predicate, target, n))
    return tuple(found)


def _linkset_name(predicate: str, target: str) -> str:
    """'languages-bf-language', 'www-wikidata-org-owl-sameAs': the target's last segment and the
    property as a prefixed name (lod.vocab's prefixes; else a hash of the property)."""
    prefix = next((p for p, iri in PREFIXES.items() if predicate.startswith(iri)), None)
    local = f"{prefix}-{predicate[len(PREFIXES[prefix]) :]}" if prefix else unique_id(predicate)[:8]
    return f"{_last_segment(target)}-{_last_segment(local)}"


def _last_segment(iri: str) -> str:
    segment = re.split(r"[/#]", iri.rstrip("/"))[-1]
    ascii_only = unicodedata.normalize("NFKD", segment).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_only) or "link"


def _examples(store: GraphStore, libraries: Sequence[str]) -> tuple[str, ...]:
    """An instance of each of the first libraries that sent records (the home page's query)."""
    found: list[str] = []
    for library in libraries:
        rows = store.canned("examples", library=NamedNode(library))
        assert isinstance(rows, QuerySolutions)
        first = next((row["instance"] for row in rows if isinstance(row["instance"], NamedNode)), None)
        if first is not None:
            found.append(first.value)
        if len(found) >= EXAMPLES:
            break
    return tuple(found)
