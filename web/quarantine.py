"""The quarantine for administrators: records that failed validation, read-only.

    GET /admin/quarantine          every kept record, newest first; JSON by Accept or ?format=json
    GET /admin/quarantine/<id>     one record: where it came from, its report, its MARC (MRK)

Not linked from the public pages and marked `noindex`; what it shows comes from lod.quarantine,
kept in the directory named by the `quarantine` setting.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request

from lod.errors import NotFound
from lod.formats import HTML, JSON, Format
from lod.quarantine import Quarantine
from lod.web.negotiation import negotiate

blueprint = Blueprint("quarantine", __name__, url_prefix="/admin/quarantine")
FORMATS = (HTML, JSON)


def quarantine_of(app: Flask) -> Quarantine:
    quarantine: Quarantine = app.extensions["lod.quarantine"]
    return quarantine


@blueprint.route("")
def entries() -> Response:
    found = quarantine_of(current_app).list()
    if _format() is JSON:
        return _private(jsonify([e.to_json(with_record=False) for e in found]))
    return _private(Response(render_template("quarantine.html", entries=found), mimetype="text/html"))


@blueprint.route("/<entry_id>")
def entry(entry_id: str) -> Response:
    fmt = _format()
    found = quarantine_of(current_app).get(entry_id)
    if found is None:
        raise NotFound("quarantine.unknown", id=entry_id)
    mrk = found.mnemonic()
    if fmt is JSON:
        return _private(jsonify({**found.to_json(), "mrk": mrk}))
    page = render_template("quarantine_entry.html", e=found, mrk=mrk)
    return _private(Response(page, mimetype="text/html"))


def _format() -> Format:
    return negotiate(request.headers.get("Accept"), FORMATS, request.args.get("format"))


def _private(response: Response) -> Response:
    """Administrative pages: kept out of search engines and shared caches."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response
