"""HTTP caching and CORS, the same for every response that carries data.

Every data document and page gets a strong ETag (a digest of its bytes) and, when the store can
tell, `Last-Modified` (when its data last changed); `If-None-Match` and `If-Modified-Since` then
answer 304. Data is open: every response may be read by scripts on any origin, with the headers
that tell them about alternates and paging, and the SPARQL endpoint answers CORS preflights
(POST with `application/sparql-query` needs one).
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

from lod.documents import snapshot_time
from lod.web import store_of

MAX_AGE = 60
"""Seconds a cache may reuse a response before it checks its ETag again."""
EXPOSED = ("Link", "ETag", "Content-Location", "Location", "Retry-After", "LOD-Results-Truncated")
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def register(app: Flask) -> None:
    app.extensions["lod.snapshot_time"] = snapshot_time(store_of(app))
    app.after_request(_cors)


def last_modified(app: Flask) -> datetime | None:
    modified: datetime | None = app.extensions.get("lod.snapshot_time")
    return modified


def conditional(response: Response) -> Response:
    """Add the validators to a complete 200 response and answer 304 when the client has it."""
    response.add_etag()
    modified = last_modified(current_app)
    if modified is not None:
        response.last_modified = modified
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT)
    return response
