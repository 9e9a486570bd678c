"""Sitemaps (sitemaps.org 0.9) of the entity pages, for search engines: the HTML page of every
instance, work, agent and library, and the site's main pages.

One sitemap holds at most 50,000 URLs. Up to that many, `/sitemap.xml` is one `urlset`; beyond,
it is a `sitemapindex` of files of one kind each (`/sitemaps/instance-1.xml`...), each of at
most ENTITIES_PER_FILE entities. How many files a kind needs comes from the kept figures (the
class partitions lod.figures counted after the last ingest): nothing is counted on a request.

A file is written as it is read: the canned `sitemap_entities` query streams the entities of one
class in the store's order (stable for a store opened read-only, as a server's is), the rows
before the file's first are skipped, and nothing is held. An entity typed in two graphs comes as
two rows, one after the other: the second is dropped. A kind's last file takes every remaining
row, so an entity is never lost between files, and stops at 50,000 URLs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from xml.sax.saxutils import escape

from pyoxigraph import NamedNode, QuerySolutions

from lod.figures import kept_figures
from lod.formats import HTML
from lod.store import GraphStore, class_counts_from
from lod.uris import Minter
from lod.vocab import BF, SCHEMA

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
URLS_PER_FILE = 50_000
"""The sitemaps.org limit of URLs in one file."""
ENTITIES_PER_FILE = 40_000
"""Entities a kind's file starts at (a fifth of room left for rows of the same entity twice)."""
KINDS = {"instance": BF.Instance, "work": BF.Work, "agent": BF.Agent, "library": SCHEMA.Library}
"""The kinds of entity whose pages are listed, by the class their entities have."""
EXCEPT = {"agent": SCHEMA.Library}
"""Libraries are agents too: they are listed as libraries, not twice."""
PAGES = ("/", "/libraries", "/new", "/sparql", "/dumps", "/catalog")
"""The site's own pages, listed first."""
_ESCAPES = {'"': "&quot;", "'": "&apos;"}


def class_counts(store: GraphStore, minter: Minter) -> dict[str, int]:
    """Entities of each class: the kept class partitions, or in a store never counted, counted
    now (the classes pages show, which hold those listed here)."""
    kept = kept_figures(store, minter)
    return kept.classes if kept is not None else class_counts_from(store.canned("counts"))


def files(counts: Mapping[str, int], per_file: int | None = None) -> list[tuple[str, int]]:
    """(kind, number from 1) of every file the sitemap index lists."""
    per_file = per_file or ENTITIES_PER_FILE
    return [
        (kind, number)
        for kind in KINDS
        for number in range(1, math.ceil(entities(counts, kind) / per_file) + 1)
    ]


def entities(counts: Mapping[str, int], kind: str) -> int:
    """Entities of a kind, from the class partitions (each library is also a bf:Agent)."""
    excluded = EXCEPT.get(kind)
    return max(counts.get(KINDS[kind].value, 0) - (counts.get(excluded.value, 0) if excluded else 0), 0)


def url_count(counts: Mapping[str, int]) -> int:
    """URLs of the whole sitemap: the site's pages and every entity of the listed kinds."""
    return len(PAGES) + sum(entities(counts, kind) for kind in KINDS)


def page_urls(minter: Minter) -> list[str]:
    return [minter.iri_of_path(path) for path in PAGES]


def entity_urls(
    store: GraphStore,
    minter: Minter,
    kind: str,
    number: int | None = None,
    per_file: int | None = None,
    last: bool = True,
) -> Iterator[str]:
    """The HTML pages of the entities of `kind`: all of them (`number` None), or those of its file
    `number`; `last` says it is the kind's last file (which takes every remaining row)."""
    excluded = EXCEPT.get(kind)
    if excluded is None:
        rows = store.canned("sitemap_entities", **{"class": KINDS[kind]})
    else:
        rows = store.canned("sitemap_entities_except", **{"class": KINDS[kind], "except": excluded})
    assert isinstance(rows, QuerySolutions)
    iris: Iterator[str] = (row["entity"].value for row in rows if isinstance(row["entity"], NamedNode))
    if number is not None:
        start = (number - 1) * (per_file or ENTITIES_PER_FILE)
        iris = islice(iris, start, None if last else start + (per_file or ENTITIES_PER_FILE))
    previous = None
    for iri in iris:
        if iri == previous:
            continue
        previous = iri
        ref = minter.parse(iri)
        if ref is None or ref.kind != kind:  # not an entity minted here
            continue
        yield minter.iri_of_path(minter.document_path(iri, HTML.extension) or iri)


def urlset(urls: Iterable[str]) -> Iterator[str]:
    """A sitemap (`urlset`) of at most URLS_PER_FILE URLs, piece by piece."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'
    for url in islice(urls, URLS_PER_FILE):
        yield f"<url><loc>{escape(url, _ESCAPES)}</loc></url>\n"
    yield "</urlset>\n"


def sitemap_index(urls: Iterable[str], lastmod: str | None = None) -> Iterator[str]:
    """A sitemap index (`sitemapindex`) of the sitemap files at `urls`."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n'
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    for url in urls:
        yield f"<sitemap><loc>{escape(url, _ESCAPES)}</loc>{modified}</sitemap>\n"
    yield "</sitemapindex>\n"
