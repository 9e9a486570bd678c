"""Dereferencing entity IRIs: `/resource/{kind}/{id}` and its documents `/resource/{kind}/{id}.{ext}`.

The entity IRI answers 303 See Other to the description document chosen by `?format=` or
`Accept`; the documents (`.html`, `.ttl`, `.nt`, `.jsonld`, `.rdf`) always give their own format,
with `Link` headers to every alternate, an ETag and Last-Modified for conditional GET, and CORS
(`lod.web.http`). Unknown entities are 404 and withdrawn ones 410, at the IRI and its documents.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, redirect, render_template, request
from flask.sansio.app import App
from pyoxigraph import NamedNode
from werkzeug.wrappers import Response as WerkzeugResponse

from lod.describe import describe
from lod.documents import description_document
from lod.errors import BadRequest, Gone, NotFound
from lod.facts import MAX_OFFSET, facts_of, page_offsets
from lod.formats import DOCUMENT_FORMATS, HTML, serialize_triples
from lod.uris import KINDS
from lod.web import minter_of, store_of
from lod.web.http import conditional
from lod.web.negotiation import negotiate
from lod.web.schemaorg import jsonld_for_page
from lod.withdrawal import OWN_KINDS, withdrawn_at

blueprint = Blueprint("resources", __name__)
EXTENSIONS = {f.extension: f for f in DOCUMENT_FORMATS}
Alternates = list[tuple[str, str, str]]
"""(media type, path, label) of each document of an entity."""
HtmlRenderer = Callable[[NamedNode, Alternates], str | None]


@blueprint.route("/resource/<kind>/<path:name>")
def resource(kind: str, name: str) -> WerkzeugResponse:
    if kind not in KINDS:
        raise NotFound(iri=request.path)
    entity_id, suffix = _split_suffix(name)
    minter = minter_of(current_app)
    iri = minter.entity(kind, entity_id)
    store = store_of(current_app)
    if kind in OWN_KINDS and withdrawn_at(store, minter, iri) is not None:
        raise Gone(iri=iri.value)  # its record was withdrawn: say so, rather than "never existed"
    if not store.exists(iri):
        raise NotFound(iri=iri.value)
    if suffix is None:
        return _see_other(iri)
    fmt = EXTENSIONS[suffix]
    offset = _offset()
    if fmt is HTML:
        renderer = html_renderers(current_app).get(kind)
        body = renderer(iri, _alternates(iri.value)) if renderer is not None else None
        if body is None:
            body = _entity_page(iri, kind, offset)
        response = Response(body, mimetype="text/html")
        # the page's language follows ?lang=, the cookie and Accept-Language
        response.vary.update(("Accept-Language", "Cookie"))
    else:
        page_size = current_app.config["LOD_SETTINGS"].incoming_page_size
        document = description_document(store, iri, offset, page_size)
        response = Response(serialize_triples(document.triples, fmt), mimetype=fmt.media_type)
        if document.incoming_more:
            response.headers.add("Link", f'<{request.path}?incoming={offset + page_size}>; rel="next"')
    _link_alternates(response, iri)
    response.headers.add("Link", f'<{iri.value}>; rel="describes"')
    return conditional(response)


def _see_other(iri: NamedNode) -> WerkzeugResponse:
    """The entity itself is not a document: 303 to the description chosen by `?format=` or
    `Accept` (the httpRange-14 answer; DNB and the Cool URIs note do the same)."""
    fmt = negotiate(request.headers.get("Accept"), DOCUMENT_FORMATS, request.args.get("format"))
    location = minter_of(current_app).document_path(iri.value, fmt.extension) or iri.value
    kept = [(key, value) for key, value in request.args.items(multi=True) if key != "format"]
    if kept:
        location += "?" + urlencode(kept)
    response = redirect(location, 303)
    _link_alternates(response, iri)
    return response


def _link_alternates(response: WerkzeugResponse, iri: NamedNode) -> None:
    for media, path, _ in _alternates(iri.value):
        response.headers.add("Link", f'<{path}>; rel="alternate"; type="{media}"')


def html_renderers(app: App) -> dict[str, HtmlRenderer]:
    """Kind -> the function that renders the HTML page of an entity of that kind (other kinds, and
    a renderer answering None, get the generic page). Blueprints add theirs when registered."""
    renderers: dict[str, HtmlRenderer] = app.extensions.setdefault("lod.html_renderers", {})
    return renderers


def _entity_page(iri: NamedNode, kind: str, offset: int) -> str:
    minter = minter_of(current_app)
    store = store_of(current_app)
    page_size = current_app.config["LOD_SETTINGS"].incoming_page_size
    lang = g.get("lang", current_app.config["LOD_SETTINGS"].lang)
    description = describe(store, minter, iri, kind, offset, page_size, lang)
    facts = facts_of(store, minter, description, lang, page_size, page_offsets(request.args))
    return render_template(
        "entity.html",
        d=description,
        f=facts,
        page_size=page_size,
        formats=_alternates(iri.value),
        canonical=minter.iri_of_path(minter.document_path(iri.value, HTML.extension) or ""),
        dublin_core=facts.dublin_core(iri.value),
        jsonld=jsonld_for_page(facts.schema, iri),
        sparql_query=_describe_query(iri.value),
    )


def _split_suffix(name: str) -> tuple[str, str | None]:
    stem, dot, extension = name.rpartition(".")
    if dot and extension in EXTENSIONS and stem:
        return stem, extension
    return name, None


def _offset() -> int:
    raw = request.args.get("incoming", "0")
    if not (raw.isascii() and raw.isdigit()):
        raise BadRequest(message=f"incoming={raw!r} must be a non-negative whole number")
    return min(int(raw), MAX_OFFSET)  # beyond it, the same empty page (10**20 was a 500)


def _alternates(iri: str) -> Alternates:
    minter = minter_of(current_app)
    return [(f.media_type, minter.document_path(iri, f.extension) or iri, f.label) for f in DOCUMENT_FORMATS]


def _describe_query(iri: str) -> str:
    # Only the text of an "open in SPARQL" link: `iri` was minted and validated as an IRI by
    # pyoxigraph (no '>' or spaces can occur), and the endpoint runs it like any visitor's query.
    return f"DESCRIBE <{iri}>"
