"""OAI-PMH 2.0 at /oai: GET, or POST of application/x-www-form-urlencoded, as the protocol allows.

The protocol itself is lod.oai; this only hands it the request's arguments and sends its XML
(`text/xml`, HTTP 200 even for the protocol's errors, which are in the XML). The record archive
it reads (lod.archive) is opened once per app: the configured SQLite file read-only, or, for an
in-memory store (tests, demos), an in-memory archive filled from the store, whose records then
have no MARCXML.
"""

from __future__ import annotations

import threading

from flask import Blueprint, Flask, Response, current_app, request

from lod.archive import RecordArchive, archive_path, open_archive
from lod.config import Settings
from lod.i18n import t
from lod.oai import Repository, respond
from lod.web import minter_of, store_of

blueprint = Blueprint("oai", __name__)
_opening = threading.Lock()


@blueprint.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    arguments = request.form if request.method == "POST" else request.args
    body = respond(repository_of(current_app), list(arguments.items(multi=True)))
    response = Response(body, mimetype="text/xml")
    response.cache_control.no_cache = True  # a list changes with every ingest
    return response


def repository_of(app: Flask) -> Repository:
    settings: Settings = app.config["LOD_SETTINGS"]
    return Repository(
        archive=archive_of(app),
        store=store_of(app),
        minter=minter_of(app),
        name=t("site.name", settings.lang),
        admin_email=settings.oai_admin_email,
        licence=settings.licence,
        page_size=settings.harvest_page_size,
    )


def archive_of(app: Flask) -> RecordArchive:
    """The app's record archive, opened at its first use."""
    archive: RecordArchive | None = app.extensions.get("lod.archive")
    if archive is not None:
        return archive
    with _opening:
        archive = app.extensions.get("lod.archive")
        if archive is None:
            settings: Settings = app.config["LOD_SETTINGS"]
            if archive_path(settings) == ":memory:":
                archive = RecordArchive(None, settings.base_iri)
                archive.sync(store_of(app), minter_of(app))
            else:
                archive = open_archive(settings, read_only=True)
            app.extensions["lod.archive"] = archive
    return archive
