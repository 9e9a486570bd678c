"""Errors rendered in one place: a page for people, problem+json (RFC 9457) for everything else."""

from __future__ import annotations

import logging
import uuid

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from lod.errors import HttpError, LodError, NotAcceptable
from lod.formats import HTML, PROBLEM_JSON
from lod.i18n import t
from lod.web.negotiation import negotiate

log = logging.getLogger("lod.web")
API_PREFIXES = ("/api/", "/reconcile")
"""Paths of services that answer programs (the reconciliation service: OpenRefine), whatever they
accept."""


def register(app: Flask) -> None:
    app.register_error_handler(LodError, _lod_error)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(Exception, _unexpected)


def _lod_error(error: LodError) -> Response:
    lang = g.get("lang")
    extra = {"offered": error.offered} if isinstance(error, NotAcceptable) else {}
    headers = dict(error.headers) if isinstance(error, HttpError) else {}
    return render_problem(error.status, error.message(lang), headers, **extra)


def _http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    detail = error.description or error.name
    response = render_problem(status, detail, {})
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response


def _unexpected(error: Exception) -> Response:
    request_id = uuid.uuid4().hex[:12]
    log.exception("unhandled error, request id %s", request_id)
    return render_problem(500, t("error.internal", g.get("lang"), request_id=request_id), {})


def render_problem(status: int, detail: str, headers: dict[str, str], **extra: object) -> Response:
    """A page if the client prefers HTML (never under /api/), else application/problem+json;
    always `Vary: Accept`."""
    try:
        fmt = negotiate(request.headers.get("Accept"), (PROBLEM_JSON, HTML))
    except NotAcceptable:
        fmt = PROBLEM_JSON
    if request.path.startswith(API_PREFIXES):  # an API answers programs, whatever they accept
        fmt = PROBLEM_JSON
    if fmt is HTML:
        body = render_template("error.html", status=status, detail=detail, **extra)
        response = Response(body, status=status, mimetype="text/html")
    else:
        problem = {
            "type": "about:blank",
            "title": _title(status),
            "status": status,
            "detail": detail,
            "instance": request.path,
            **extra,
        }
        response = jsonify(problem)
        response.status_code = status
        response.mimetype = PROBLEM_JSON.media_type
    response.headers.update(headers)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
