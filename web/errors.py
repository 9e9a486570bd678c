"""Errors rendered in one place: a page for people, problem+json (RFC 9457) for everything else.

Every error answer carries the request's id (lod.web.security): the `request_id` member of the
problem, a line on the page. An unexpected exception is logged with its traceback under that id,
and the client gets the id and a fixed message, never the traceback or the exception's text.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from lod.errors import HttpError, LodError, NotAcceptable
from lod.formats import HTML, PROBLEM_JSON
from lod.i18n import t
from lod.web.negotiation import negotiate
from lod.web.security import request_id

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
    detail = _http_detail(error)
    response = render_problem(status, detail, {})
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response


def _http_detail(error: HTTPException) -> str:
    """Werkzeug's own errors speak English only: the ones a visitor meets get our messages."""
    lang = g.get("lang")
    if isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length
        return t("error.body_too_large", lang, limit=limit) if limit else t("error.too_large", lang)
    if isinstance(error, NotFound):
        return t("error.not_found", lang, iri=request.path)
    return error.description or error.name


def _unexpected(error: Exception) -> Response:
    ident = request_id()
    log.exception("unhandled error: request_id=%s %s %s", ident, request.method, request.path)
    return render_problem(500, t("error.internal", g.get("lang"), request_id=ident), {})


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
        body = render_template("error.html", status=status, detail=detail, request_id=request_id(), **extra)
        response = Response(body, status=status, mimetype="text/html")
    else:
        problem = {
            "type": "about:blank",
            "title": _title(status),
            "status": status,
            "detail": detail,
            "instance": request.path,
            "request_id": request_id(),
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
