"""The dataset described for portals, harvesters and search engines.

    GET /.well-known/void[.ext]       the VoID description (lod.dcat.void_triples)
    GET /catalog[.ext]                the DCAT catalogue (lod.dcat.dcat_triples)
    GET /sitemap.xml                  the sitemap of the entity pages, or an index of sitemaps
    GET /sitemaps/<kind>-<n>.xml      one file of that index (lod.sitemap)
    GET /robots.txt                   what crawlers may read, and where the sitemap is

The descriptions come in every format an entity does (HTML, Turtle, N-Triples, JSON-LD,
RDF/XML): chosen by the suffix, else `?format=`, else `Accept` (lod.web.negotiation), with
`Content-Location` naming the suffixed document, `Link` to every alternate, an ETag and
Last-Modified (when the data or the newest dump last changed). The HTML page of both is the
catalogue page. The CKAN API is lod.web.ckan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, g, render_template, request, stream_with_context
from flask.blueprints import BlueprintSetupState
from pyoxigraph import Triple
from werkzeug.wrappers import Response as BaseResponse

from lod import sitemap
from lod.dataset import Catalogue, describe_catalogue
from lod.dcat import PREFIXES, dcat_triples, void_triples
from lod.dumps import size_text
from lod.errors import NotFound
from lod.formats import DOCUMENT_FORMATS, HTML, Format, serialize_triples
from lod.uris import CATALOG, VOID_PATH, Minter
from lod.web import minter_of, store_of
from lod.web.dumps import latest_manifest
from lod.web.http import MAX_AGE, last_modified
from lod.web.negotiation import negotiate

blueprint = Blueprint("dataset", __name__)
EXTENSIONS = {f.extension: f for f in DOCUMENT_FORMATS}
SITEMAP_TYPE = "application/xml"
ROBOTS = """# {site}
User-agent: *
Disallow: /sparql?query=
Disallow: /admin/
Disallow: /api/
Disallow: /reconcile
Disallow: /search
Allow: /

Sitemap: {sitemap}
"""
"""Pages may be crawled; queries may not: SPARQL query URLs (each a query run for the crawler),
searches, the JSON APIs and the reconciliation service are endless, and /admin/ is not public (its
pages say noindex too). The Disallow lines come first for crawlers that take the first matching rule (Python's
robotparser) as well as those that take the longest (RFC 9309); `/sparql?query=` rather than
`/sparql?`, which Python's robotparser reads as `/sparql` (the endpoint's page itself)."""

Describer = Callable[[Catalogue, Minter], list[Triple]]


@blueprint.record_once
def _started(state: BlueprintSetupState) -> None:
    state.app.extensions.setdefault("lod.started", datetime.now(UTC).replace(microsecond=0))


def catalogue() -> Catalogue:
    """The catalogue as it is now: the kept figures, the registry, the newest dump."""
    settings = current_app.config["LOD_SETTINGS"]
    return describe_catalogue(
        store_of(current_app), minter_of(current_app), settings, latest_manifest(), last_modified(current_app)
    )


def started() -> datetime:
    moment: datetime = current_app.extensions["lod.started"]
    return moment


@blueprint.route(f"/{VOID_PATH}")
@blueprint.route(f"/{VOID_PATH}.<ext>")
def void(ext: str | None = None) -> BaseResponse:
    return _description(VOID_PATH, void_triples, ext)


@blueprint.route(f"/{CATALOG}")
@blueprint.route(f"/{CATALOG}.<ext>")
def catalog(ext: str | None = None) -> BaseResponse:
    return _description(CATALOG, dcat_triples, ext)


def _description(path: str, describer: Describer, ext: str | None) -> BaseResponse:
    if ext is not None and ext not in EXTENSIONS:
        raise NotFound(iri=request.path)
    fmt = (
        EXTENSIONS[ext]
        if ext
        else negotiate(request.headers.get("Accept"), DOCUMENT_FORMATS, request.args.get("format"))
    )
    found = catalogue()
    minter = minter_of(current_app)
    if fmt is HTML:
        response = Response(_page(found, minter), mimetype=HTML.media_type)
        response.vary.update(("Accept-Language", "Cookie"))
    else:
        response = Response(
            serialize_triples(describer(found, minter), fmt, PREFIXES), mimetype=fmt.media_type
        )
    if ext is None:
        response.headers["Content-Location"] = _document(path, fmt)
    for alternate in DOCUMENT_FORMATS:
        response.headers.add(
            "Link", f'<{_document(path, alternate)}>; rel="alternate"; type="{alternate.media_type}"'
        )
    return _conditional(response, found)


def _page(found: Catalogue, minter: Minter) -> str:
    lang = g.get("lang", "vi")
    formats = [(f, _document(CATALOG, f), _document(VOID_PATH, f)) for f in DOCUMENT_FORMATS if f is not HTML]
    return render_template(
        "catalog.html",
        catalogue=found,
        formats=formats,
        lang=lang,
        size=lambda n: size_text(n, lang),
        path_of=minter.path_of,
    )


def _document(path: str, fmt: Format) -> str:
    return f"/{path}.{fmt.extension}"


def _conditional(response: BaseResponse, found: Catalogue) -> BaseResponse:
    """ETag, and Last-Modified when the data's time is known: the later of it and the dump's."""
    response.add_etag()
    moments = [m for m in (found.modified, _dump_created()) if m is not None]
    if moments:
        response.last_modified = max(moments)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


def _dump_created() -> datetime | None:
    manifest = latest_manifest()
    if manifest is None:
        return None
    try:
        return datetime.strptime(manifest.created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


# sitemaps and robots.txt -----------------------------------------------------------------------
@blueprint.route("/sitemap.xml")
def sitemap_xml() -> BaseResponse:
    store, minter = store_of(current_app), minter_of(current_app)
    counts = sitemap.class_counts(store, minter)
    if sitemap.url_count(counts) <= sitemap.URLS_PER_FILE:
        urls = _chain(
            sitemap.page_urls(minter), *(sitemap.entity_urls(store, minter, kind) for kind in sitemap.KINDS)
        )
        return _xml(sitemap.urlset(urls))
    files = [minter.iri_of_path(f"/sitemaps/{kind}-{number}.xml") for kind, number in sitemap.files(counts)]
    pages = minter.iri_of_path("/sitemaps/pages.xml")
    modified = last_modified(current_app)
    return _xml(sitemap.sitemap_index([pages, *files], modified.strftime("%Y-%m-%d") if modified else None))


@blueprint.route("/sitemaps/pages.xml")
def sitemap_pages() -> BaseResponse:
    return _xml(sitemap.urlset(sitemap.page_urls(minter_of(current_app))))


@blueprint.route("/sitemaps/<kind>-<int:number>.xml")
def sitemap_file(kind: str, number: int) -> BaseResponse:
    store, minter = store_of(current_app), minter_of(current_app)
    files = sitemap.files(sitemap.class_counts(store, minter))
    if kind not in sitemap.KINDS or (kind, number) not in files:
        raise NotFound(iri=request.path)
    last = (kind, number + 1) not in files
    return _xml(sitemap.urlset(sitemap.entity_urls(store, minter, kind, number, last=last)))


@blueprint.route("/robots.txt")
def robots() -> BaseResponse:
    minter = minter_of(current_app)
    text = ROBOTS.format(site=minter.base, sitemap=minter.iri_of_path("/sitemap.xml"))
    response = Response(text, mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def _xml(pieces: Iterator[str]) -> BaseResponse:
    """A sitemap streamed as it is read from the store."""
    response = Response(stream_with_context(pieces), mimetype=SITEMAP_TYPE)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    modified = last_modified(current_app)
    if modified is not None:
        response.last_modified = modified
    return response


def _chain(first: list[str], *rest: Iterator[str]) -> Iterator[str]:
    yield from first
    for urls in rest:
        yield from urls
