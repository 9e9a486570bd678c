"""Dereferencing entity IRIs: `/resource/{kind}/{id}` and its documents `/resource/{kind}/{id}.{ext}`.

The bare IRI answers 200 with the negotiated document and `Content-Location` naming it (so
`curl -H 'Accept: text/turtle' IRI` works without following redirects); the suffixed document
URLs always give their own format. `Link` headers list every alternate; `Vary: Accept` always.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, current_app, render_template, request
from flask.sansio.app import App
from pyoxigraph import NamedNode, QuerySolutions

from lod.describe import Value, describe
from lod.errors import BadRequest, Gone, NotFound
from lod.formats import DOCUMENT_FORMATS, HTML, serialize_triples
from lod.uris import KINDS
from lod.web import minter_of, store_of
from lod.web.negotiation import negotiate
from lod.web.schemaorg import jsonld_for_page
from lod.withdrawal import OWN_KINDS, withdrawn_at

blueprint = Blueprint("resources", __name__)
EXTENSIONS = {f.extension: f for f in DOCUMENT_FORMATS}
Alternates = list[tuple[str, str, str]]
"""(media type, path, label) of each document of an entity."""
HtmlRenderer = Callable[[NamedNode, Alternates], str | None]


@blueprint.route("/resource/<kind>/<path:name>")
def resource(kind: str, name: str) -> Response:
    if kind not in KINDS:
        raise NotFound(iri=request.path)
    entity_id, explicit = _split_suffix(name)
    minter = minter_of(current_app)
    iri = minter.entity(kind, entity_id)
    store = store_of(current_app)
    if kind in OWN_KINDS and withdrawn_at(store, minter, iri) is not None:
        raise Gone(iri=iri.value)  # its record was withdrawn: say so, rather than "never existed"
    if not store.exists(iri):
        raise NotFound(iri=iri.value)
    fmt = negotiate(request.headers.get("Accept"), DOCUMENT_FORMATS, explicit or request.args.get("format"))
    offset = _offset()
    if fmt is HTML:
        renderer = html_renderers(current_app).get(kind)
        body = renderer(iri, _alternates(iri.value)) if renderer is not None else None
        if body is None:
            body = _entity_page(iri, kind, offset)
        response = Response(body, mimetype="text/html")
    else:
        payload = serialize_triples(store.describe(iri), fmt)
        response = Response(payload, mimetype=fmt.media_type)
        response.headers["Access-Control-Allow-Origin"] = "*"
    if not explicit:
        response.headers["Content-Location"] = minter.document_path(iri.value, fmt.extension) or ""
    response.headers["Link"] = ", ".join(
        f'<{path}>; rel="alternate"; type="{media}"' for media, path, _ in _alternates(iri.value)
    )
    return response


def html_renderers(app: App) -> dict[str, HtmlRenderer]:
    """Kind -> the function that renders the HTML page of an entity of that kind (other kinds, and
    a renderer answering None, get the generic page). Blueprints add theirs when registered."""
    renderers: dict[str, HtmlRenderer] = app.extensions.setdefault("lod.html_renderers", {})
    return renderers


def _entity_page(iri: NamedNode, kind: str, offset: int) -> str:
    minter = minter_of(current_app)
    store = store_of(current_app)
    description = describe(
        store, minter, iri, kind, offset, current_app.config["LOD_SETTINGS"].incoming_page_size
    )
    if kind == "instance":
        description.summary["held_by"] = _held_by(iri)
    return render_template(
        "entity.html",
        d=description,
        formats=_alternates(iri.value),
        jsonld=jsonld_for_page(description.triples, iri),
        sparql_query=_describe_query(iri.value),
    )


def _split_suffix(name: str) -> tuple[str, str | None]:
    stem, dot, extension = name.rpartition(".")
    if dot and extension in EXTENSIONS and stem:
        return stem, extension
    return name, None


def _offset() -> int:
    raw = request.args.get("incoming", "0")
    if not raw.isdigit():
        raise BadRequest(message=f"incoming={raw!r} must be a non-negative whole number")
    return int(raw)


def _alternates(iri: str) -> Alternates:
    minter = minter_of(current_app)
    return [(f.media_type, minter.document_path(iri, f.extension) or iri, f.label) for f in DOCUMENT_FORMATS]


def _held_by(iri: NamedNode) -> list[Value]:
    minter = minter_of(current_app)
    rows = store_of(current_app).canned("holdings", instance=iri)
    assert isinstance(rows, QuerySolutions)
    values: dict[str, Value] = {}
    for row in rows:
        library = row["library"]
        label = row["label"]
        if isinstance(library, NamedNode) and library.value not in values:
            values[library.value] = Value(
                label.value if label is not None else library.value,
                iri=library.value,
                href=minter.path_of(library.value),
            )
    return list(values.values())


def _describe_query(iri: str) -> str:
    # Only the text of an "open in SPARQL" link: `iri` was minted and validated as an IRI by
    # pyoxigraph (no '>' or spaces can occur), and the endpoint runs it like any visitor's query.
    return f"DESCRIBE <{iri}>"
