"""Hardening that every response shares, set in one place: security headers, a request id, the
request size limit and one structured log line per request (SECURITY.md says why each exists).

- Headers: a Content-Security-Policy with no inline script (`script-src 'self'`: pages load their
  scripts from /static; `<script type="application/ld+json">` blocks are data, never run),
  `object-src 'none'`, `base-uri 'self'`, `frame-ancestors 'none'` (and `X-Frame-Options: DENY`
  for browsers that predate it), `X-Content-Type-Options: nosniff` and `Referrer-Policy`. A view
  that needs another policy sets its own header, which is kept: the reconciliation preview
  (web/reconcile.py) may be framed by OpenRefine from any origin, and the SPARQL page with the
  YASGUI editor allows the editor's two injected style sheets by their hashes (web/vendor.py).
- Request id: an incoming `X-Request-Id` that is a sane token (letters, digits, `.`, `_`, `:`,
  `-`; at most 64) is kept, else one is made; it comes back in the `X-Request-Id` header, in every
  problem+json body (`request_id`) and error page, and in the request's log line.
- Size: request bodies are limited to the `max_request_bytes` setting (413 beyond it, before the
  body is read). A view that takes larger bodies and streams them itself opts out with
  `@body_limit(None)` (or a limit of its own); it must then bound what it reads itself.
- Log: one JSON line per request on the logger "lod.web" (INFO; WARNING for 5xx): time, request
  id, method, path (never the query string), status, duration in ms, remote address, response
  size. Never a header's value (Authorization, tokens, cookies) and never a body.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from werkzeug.wrappers import Response

log = logging.getLogger("lod.web")

CSP = "Content-Security-Policy"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""No 'unsafe-inline' and no 'unsafe-eval' anywhere: YASGUI's bundle has one eval, in json2's
JSON.parse polyfill that only runs where the browser has no JSON.parse of its own (none today);
its only inline code is two <style> elements, allowed by hash on the SPARQL page alone
(web/vendor.py). The browser tests (tests/web/test_browser.py) fail on any CSP violation."""
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    CSP: POLICY,
}
REQUEST_ID_HEADER = "X-Request-Id"
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_LIMIT_ATTRIBUTE = "lod_max_request_bytes"
NO_LIMIT = 2**63 - 1

View = TypeVar("View", bound=Callable[..., Any])


def register(app: Flask) -> None:
    """Install the hooks. Called first in `create_app`, so the request id and start time exist
    before any other hook runs, and the log line (the last after-request hook) sees the final
    response."""
    limit = app.config["LOD_SETTINGS"].max_request_bytes
    app.config["MAX_CONTENT_LENGTH"] = limit
    app.config["MAX_FORM_MEMORY_SIZE"] = limit  # a form field may be as large as the body (a query)
    app.before_request(_start)
    app.after_request(_finish)


def body_limit(max_bytes: int | None) -> Callable[[View], View]:
    """Give a view its own request-body limit instead of `max_request_bytes`: None for a view
    that streams the body to disk and counts it itself (the write API's uploads)."""

    def mark(view: View) -> View:
        setattr(view, _LIMIT_ATTRIBUTE, max_bytes)
        return view

    return mark


def request_id() -> str:
    """This request's id (made now if the request hooks have not run)."""
    found = g.get("request_id")
    if found is None:
        found = g.request_id = _incoming_id() or uuid.uuid4().hex
    return str(found)


def _incoming_id() -> str | None:
    value = request.headers.get(REQUEST_ID_HEADER, "")
    return value if _SANE_ID.fullmatch(value) else None


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and hasattr(view, _LIMIT_ATTRIBUTE):
        # Flask reads None on a request as "the app's limit": no limit is a limit none reaches
        limit: int | None = getattr(view, _LIMIT_ATTRIBUTE)
        request.max_content_length = NO_LIMIT if limit is None else limit


def _finish(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if "frame-ancestors 'none'" in response.headers.get(CSP, ""):
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers[REQUEST_ID_HEADER] = request_id()
    _log_request(response)
    return response


def _log_request(response: Response) -> None:
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    line = {
        "request_id": request_id(),
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(duration, 1) if duration is not None else None,
        "remote_addr": request.remote_addr,
        "bytes": response.content_length,
    }
    log_line(logging.WARNING if response.status_code >= 500 else logging.INFO, line)


def log_line(level: int, fields: dict[str, Any]) -> None:
    """One JSON line on the `lod.web` log: the time (UTC, milliseconds) first, then `fields`."""
    stamped = {"time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")}
    log.log(level, json.dumps(stamped | fields, ensure_ascii=False))
