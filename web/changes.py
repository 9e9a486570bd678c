"""The change feed: what changed since a date, deletions included, as ActivityStreams 2.0.

    GET /changes[?since=D]            an OrderedCollection: how many changes, its first and last page
    GET /changes/page/<n>[?since=D]   an OrderedCollectionPage of `harvest_page_size` activities

Each change of a record is a Create, an Update or a Delete, `published` at its datestamp (the same
as its OAI-PMH datestamp), whose object is the record's Instance and its record graph (for a Delete,
Tombstones of them), and whose actor is the library that sent it. Activities are in the order the
changes were made (by datestamp, then record id); a page holds the changes numbered
n × size + 1 to (n + 1) × size, so a full page never changes and any page can be cached. `since`
(YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, inclusive) leaves out what is older. As the IIIF Change
Discovery API 1.0 (which Europeana reads), a consumer starts at `last` and walks `prev` until it
meets what it has seen, or follows `next` from `first`. JSON-LD: `application/activity+json` by
default, `application/ld+json` with the ActivityStreams profile when asked for.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Response as BaseResponse

from lod.archive import Change
from lod.errors import BadRequest, NotFound
from lod.oai import OaiError, date_range
from lod.web import minter_of
from lod.web.oai import archive_of

blueprint = Blueprint("changes", __name__)
ACTIVITY_JSON = "application/activity+json"
LD_JSON = "application/ld+json"
PROFILE = "https://www.w3.org/ns/activitystreams"
MAX_AGE = 60
CONTEXT: list[Any] = [
    PROFILE,
    {
        "bf": "http://id.loc.gov/ontologies/bibframe/",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
    },
]


@blueprint.route("/changes")
def collection() -> BaseResponse:
    since = _since()
    archive, size = archive_of(current_app), _page_size(current_app)
    total, first, last = archive.change_span(since)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "id": _url(current_app, "changes", since),
        "type": "OrderedCollection",
        "summary": "Records created, changed and withdrawn, oldest first",
        "totalItems": total,
    }
    if total:
        data["first"] = {
            "id": _page_url(current_app, (first - 1) // size, since),
            "type": "OrderedCollectionPage",
        }
        data["last"] = {
            "id": _page_url(current_app, (last - 1) // size, since),
            "type": "OrderedCollectionPage",
        }
    return _json(data)


@blueprint.route("/changes/page/<int:number>")
def page(number: int) -> BaseResponse:
    since = _since()
    archive, size = archive_of(current_app), _page_size(current_app)
    total, first, last = archive.change_span(since)
    first_page, last_page = (first - 1) // size, (last - 1) // size
    if not total or not first_page <= number <= last_page:
        raise NotFound(iri=request.path)
    changes = archive.changes(number * size + 1, (number + 1) * size, since)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "id": _page_url(current_app, number, since),
        "type": "OrderedCollectionPage",
        "partOf": _url(current_app, "changes", since),
        "startIndex": number * size,
    }
    if number > first_page:
        data["prev"] = _page_url(current_app, number - 1, since)
    if number < last_page:
        data["next"] = _page_url(current_app, number + 1, since)
    data["orderedItems"] = [_activity(current_app, change) for change in changes]
    return _json(data)


def _activity(app: Flask, change: Change) -> dict[str, Any]:
    minter = minter_of(app)
    instance, graph = minter.instance(change.id).value, minter.record_graph(change.id).value
    objects: list[dict[str, Any]] = [
        {"id": instance, "type": "bf:Instance"},
        {"id": graph, "type": "sd:NamedGraph"},
    ]
    if change.kind == "Delete":
        objects = [
            {"id": o["id"], "type": "Tombstone", "formerType": o["type"], "deleted": change.datestamp}
            for o in objects
        ]
    activity: dict[str, Any] = {
        "type": change.kind,
        "published": change.datestamp,
        "endTime": change.datestamp,
        "object": objects,
    }
    if change.library:
        activity["actor"] = {"id": minter.library(change.library).value, "type": "Organization"}
    return activity


def _since() -> str:
    value = request.args.get("since")
    if value is None:
        return ""
    try:
        start, _ = date_range(value, None, "")
    except OaiError as error:
        raise BadRequest(message=f"since: {error.message.replace('from', 'since', 1)}") from None
    return start


def _page_size(app: Flask) -> int:
    size: int = app.config["LOD_SETTINGS"].harvest_page_size
    return size


def _url(app: Flask, path: str, since: str) -> str:
    return minter_of(app).base + path + (f"?since={since}" if since else "")


def _page_url(app: Flask, number: int, since: str) -> str:
    return _url(app, f"changes/page/{number}", since)


def _json(data: dict[str, Any]) -> BaseResponse:
    accept = parse_accept_header(request.headers.get("Accept"), MIMEAccept)
    best = accept.best_match([ACTIVITY_JSON, LD_JSON, "application/json"], default=ACTIVITY_JSON)
    media_type = f'{LD_JSON}; profile="{PROFILE}"' if best == LD_JSON else best
    body = json.dumps(data, ensure_ascii=False, indent=1)
    response = Response(body, content_type=f"{media_type}; charset=utf-8")
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)
