"""The reconciliation service on the web (lod.reconcile): OpenRefine, or any client of the W3C
Reconciliation API 0.2, matches its rows to our libraries, agents, works and instances.

    GET  /reconcile                       the service manifest (JSONP with ?callback=, as OpenRefine
                                          fetches it; `lang` and jQuery's `_` are ignored)
    POST /reconcile  queries=…            a query batch, form-encoded (also GET ?queries=)
    POST /reconcile  extend=…             data extension (also GET ?extend=)
    POST /reconcile  application/json     a query batch of the 1.0 draft ({"queries": [...]}, the
                                          answer {"results": [...]}), or a data extension query
    GET  /reconcile/suggest/entity|type|property   ?prefix= &type= &cursor= &limit=
    GET  /reconcile/propose_properties    ?type= &limit=
    GET  /reconcile/preview               ?id= : a small HTML page for OpenRefine's preview iframe

Views only read the request and call lod.reconcile; errors are the app's problem+json (400 naming
what is wrong, 413 for too large a batch). Every JSON answer may be JSONP with `callback`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for

from lod.errors import BadRequest, NotFound, StoreError
from lod.reconcile import Reconciler
from lod.reconcile_data import extend, preview
from lod.reconcile_request import (
    MAX_CURSOR,
    MAX_SUGGEST,
    SUGGEST_LIMIT,
    load_json,
    parse_batch,
    parse_draft_batch,
    parse_extend,
    parse_types,
    positive,
    type_named,
)
from lod.web import minter_of, search_of, store_of

blueprint = Blueprint("reconcile", __name__)

_CALLBACK = re.compile(r"[A-Za-z_$][\w$]{0,99}(?:\.[A-Za-z_$][\w$]{0,99}){0,4}")
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors *; "
    "base-uri 'none'; form-action 'none'"
)
"""The preview is made to be shown in another site's iframe (OpenRefine's): any may frame it."""


def reconciler() -> Reconciler:
    """The service over the app's store and search index; 503 while the index is not built."""
    index = search_of(current_app)
    if not index.available():
        raise StoreError("search.unavailable")
    lang = str(g.get("lang", current_app.config["LOD_SETTINGS"].lang))
    return Reconciler(store_of(current_app), index, minter_of(current_app), lang)


def answer(data: Any) -> Response:
    """JSON, or JSONP when the request names a `callback` (a JavaScript function name only)."""
    callback = request.args.get("callback")
    if callback is None:
        return jsonify(data)
    if not _CALLBACK.fullmatch(callback):
        raise BadRequest("reconcile.bad_callback")
    body = f"/**/{callback}({json.dumps(data, ensure_ascii=False)});"
    return Response(body, mimetype="application/javascript")


@blueprint.route("/reconcile", methods=["GET", "POST"])
def endpoint() -> Response:
    service = reconciler()
    if request.method == "POST" and request.mimetype == "application/json":
        body = load_json(request.get_data(as_text=True), "body")
        if isinstance(body, dict) and "ids" in body:
            return answer(extend(service, *parse_extend(body)))
        return answer(service.run_draft(parse_draft_batch(body)))
    values = request.values
    if "queries" in values:
        return answer(service.run(parse_batch(values["queries"])))
    if "extend" in values:
        return answer(extend(service, *parse_extend(values["extend"])))
    template = url_for("reconcile.preview_page", _external=True) + "?id={{id}}"
    return answer(service.manifest(url_for("reconcile.endpoint", _external=True), template))


@blueprint.route("/reconcile/suggest/<kind>")
def suggest(kind: str) -> Response:
    service = reconciler()
    prefix = request.args.get("prefix", "").strip()[:200]
    cursor = min(_number("cursor", 0), MAX_CURSOR)
    limit = min(_number("limit", SUGGEST_LIMIT, least=1), MAX_SUGGEST)
    # a type this service does not know narrows nothing (OpenRefine may send another service's)
    types = tuple(dict.fromkeys(found for v in request.args.getlist("type") if (found := type_named(v))))
    if kind == "entity":
        return answer(service.suggest_entities(prefix, types, cursor, limit) if prefix else {"result": []})
    if kind == "type":
        return answer(service.suggest_types(prefix, cursor, limit))
    if kind == "property":
        return answer(service.suggest_properties(prefix, types, cursor, limit))
    raise NotFound("error.not_found", iri=request.path)


@blueprint.route("/reconcile/propose_properties")
def propose_properties() -> Response:
    service = reconciler()
    raw = request.args.get("type", "").strip()
    if not raw:
        raise BadRequest("reconcile.missing", field="type")
    (type_id,) = parse_types(raw, "type")
    limit = _number("limit", 0, least=1) or None
    return answer(service.propose_properties(type_id, limit))


@blueprint.route("/reconcile/preview")
def preview_page() -> Response:
    entity_id = request.args.get("id", "").strip()
    if not entity_id:
        raise BadRequest("reconcile.missing", field="id")
    service = reconciler()
    node = service.entity_iri(entity_id)
    found = preview(service, node) if node is not None else None
    if found is None:
        raise NotFound("reconcile.unknown_id", id=entity_id)
    response = Response(render_template("reconcile_preview.html", preview=found), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return response


def _number(name: str, default: int, least: int = 0) -> int:
    raw = request.args.get(name, "").strip()
    return positive(raw, name, least) if raw else default
