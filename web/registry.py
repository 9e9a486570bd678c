"""The library registry on the web: the list of libraries, each library's page, and a JSON API.

    GET /libraries                 list page, ?type= and ?province= filters; JSON by Accept or ?format=json
    GET /libraries/id/<value>      303 to the page of any identifier (ISIL, registry id, e-gov code, QID)
    GET /api/libraries             the list as JSON (same filters)
    GET /api/libraries/lookup?id=  libraries known by an identifier; 404 problem when none
    GET /api/libraries/suggest?q=  autocomplete by name (any word start, with or without diacritics)
    GET /api/libraries/near?lat=&lon=&km=   libraries within km of a point, nearest first

A library IRI (`/resource/library/<key>`) stays with lod.web.resources; this module only gives it
its HTML page, through `html_renderers`. Everything it shows comes from lod.libraries.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, redirect, render_template, request
from flask.blueprints import BlueprintSetupState
from pyoxigraph import NamedNode

from lod.concepts import library_types
from lod.describe import describe
from lod.errors import BadRequest, NotFound
from lod.formats import HTML, JSON
from lod.libraries import (
    MAX_KM,
    LibrarySummary,
    library_detail,
    list_libraries,
    lookup,
    near,
    province_choices,
    suggest,
)
from lod.web import minter_of, store_of
from lod.web.negotiation import negotiate
from lod.web.resources import Alternates, html_renderers
from lod.web.schemaorg import jsonld_for_page

blueprint = Blueprint("registry", __name__)
LIST_FORMATS = (HTML, JSON)
SUGGESTIONS = 10


@blueprint.record_once
def _add_library_page(state: BlueprintSetupState) -> None:
    html_renderers(state.app)["library"] = library_page


@blueprint.route("/libraries")
def libraries() -> Response | str:
    type_code, province = _filters()
    found = _list(type_code, province)
    fmt = negotiate(request.headers.get("Accept"), LIST_FORMATS, request.args.get("format"))
    if fmt is JSON:
        return _json([summary_json(s) for s in found])
    lang = g.get("lang", "vi")
    return render_template(
        "libraries.html",
        libraries=found,
        types=[(code, concept.label(lang)) for code, concept in library_types().items()],
        provinces=province_choices(),
        type=type_code,
        province=province,
        path_of=minter_of(current_app).path_of,
    )


@blueprint.route("/libraries/id/<path:value>")
def by_identifier(value: str) -> Any:
    found = lookup(store_of(current_app), minter_of(current_app), value)
    if not found:
        raise NotFound("library.unknown_id", value=value)
    return redirect(minter_of(current_app).path_of(found[0].iri) or found[0].iri, code=303)


@blueprint.route("/api/libraries")
def api_list() -> Response:
    return _json([summary_json(s) for s in _list(*_filters())])


@blueprint.route("/api/libraries/lookup")
def api_lookup() -> Response:
    value = request.args.get("id", "").strip()
    if not value:
        raise BadRequest("library.missing_parameter", name="id", example="VN-HN001")
    found = lookup(store_of(current_app), minter_of(current_app), value)
    if not found:
        raise NotFound("library.unknown_id", value=value)
    return _json([summary_json(s) for s in found])


@blueprint.route("/api/libraries/suggest")
def api_suggest() -> Response:
    found = suggest(store_of(current_app), request.args.get("q", ""), SUGGESTIONS)
    return _json([{"id": s.key, "iri": s.iri, "name": s.name, "province": s.province_name} for s in found])


@blueprint.route("/api/libraries/near")
def api_near() -> Response:
    lat = _number("lat", "21.0245", -90, 90)
    lon = _number("lon", "105.8412", -180, 180)
    km = _number("km", "5", 0, MAX_KM)
    found = near(store_of(current_app), minter_of(current_app), lat, lon, km)
    return _json([{**summary_json(s), "distance_km": round(d, 3)} for s, d in found])


def library_page(iri: NamedNode, formats: Alternates) -> str | None:
    """The HTML page of a library (None: not a library after all, the generic page is shown)."""
    store, minter = store_of(current_app), minter_of(current_app)
    detail = library_detail(store, minter, iri)
    if detail is None:
        return None
    s = detail.summary
    osm = None
    if s.latitude is not None and s.longitude is not None:
        lat, lon = _coordinate(s.latitude), _coordinate(s.longitude)
        osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    offset = int(request.args.get("incoming", "0"))  # checked by lod.web.resources already
    page_size = current_app.config["LOD_SETTINGS"].incoming_page_size
    return render_template(
        "library.html",
        d=detail,
        links=describe(store, minter, iri, "library", offset, page_size, g.get("lang")),
        formats=formats,
        osm=osm,
        jsonld=jsonld_for_page(store.describe(iri), iri),
        path_of=minter.path_of,
    )


def summary_json(s: LibrarySummary) -> dict[str, Any]:
    """One library in the API's answers."""
    return {
        "id": s.key,
        "iri": s.iri,
        "name": s.name,
        "registered": s.registered,
        "registry_id": s.registry_id,
        "isil": s.isil,
        "type": {"code": s.type.code, "label": s.type.labels} if s.type else None,
        "province": {"code": s.province_code, "name": s.province_name} if s.province_code else None,
        "latitude": s.latitude,
        "longitude": s.longitude,
        "records": s.records,
        "items": s.items,
    }


def _filters() -> tuple[str | None, str | None]:
    type_code = request.args.get("type", "").strip() or None
    province = request.args.get("province", "").strip() or None
    if type_code is not None and type_code not in library_types():
        raise BadRequest("library.bad_type", value=type_code, known=", ".join(library_types()))
    return type_code, province


def _list(type_code: str | None, province: str | None) -> list[LibrarySummary]:
    try:
        return list_libraries(store_of(current_app), minter_of(current_app), type_code, province)
    except ValueError:  # the type was checked above: the province is unknown
        raise BadRequest("library.bad_province", value=province) from None


def _number(name: str, example: str, low: float, high: float) -> float:
    raw = request.args.get(name, "").strip()
    if not raw:
        raise BadRequest("library.missing_parameter", name=name, example=example)
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest("library.bad_number", name=name, value=raw, example=example) from None
    if not math.isfinite(value):
        raise BadRequest("library.bad_number", name=name, value=raw, example=example)
    if not low <= value <= high:
        raise BadRequest("library.out_of_range", name=name, value=raw, low=f"{low:g}", high=f"{high:g}")
    return value


def _coordinate(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _json(data: object) -> Response:
    response = jsonify(data)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
