"""The web layer: dereferenceable IRIs, pages for people, and the SPARQL endpoint.

`create_app(settings=None, store=None, search=None)` builds the Flask app; nothing happens at
import time. Views are thin: they parse the request, call `lod` core functions and render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Flask, g, request

from lod.config import Settings, load_settings
from lod.i18n import LANGUAGES, pick_language, t
from lod.sparqlstore import open_store
from lod.store import GraphStore
from lod.uris import Minter

if TYPE_CHECKING:
    from lod.search import SearchIndex


def create_app(
    settings: Settings | None = None, store: GraphStore | None = None, search: SearchIndex | None = None
) -> Flask:
    """Build the app. Without `store`, the store named in the settings is opened read-only (a
    directory, or the URL of a SPARQL server: `lod.sparqlstore.open_store`); without `search`,
    the configured search index likewise (`open_search`). With the `write` setting both are
    opened read-write and the write side is added (lod.web.write: the ingest API, its jobs)."""
    from lod.quarantine import Quarantine
    from lod.web import (
        changes,
        ckan,
        dataset,
        dumps,
        errors,
        fragments,
        home,
        http,
        oai,
        quarantine,
        reconcile,
        registry,
        resources,
        security,
        sparql,
        turns,
        vendor,
        vocabulary,
    )
    from lod.web import search as search_pages

    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["LOD_SETTINGS"] = settings
    app.extensions["lod.store"] = store or open_store(settings.store, read_only=not settings.write)
    app.extensions["lod.minter"] = Minter(settings.base_iri)
    app.extensions["lod.quarantine"] = Quarantine(settings.quarantine)
    if search is None:
        search = open_search(settings, store_of(app), minter_of(app))
    app.extensions["lod.search"] = search
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    fragments.register(app)
    security.register(app)  # first: its request id and timing wrap every other hook
    turns.register(app)  # then: a request's time includes waiting for its turn

    app.register_blueprint(home.blueprint)
    app.register_blueprint(resources.blueprint)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(vendor.blueprint)
    app.register_blueprint(registry.blueprint)
    app.register_blueprint(quarantine.blueprint)
    app.register_blueprint(vocabulary.blueprint)
    app.register_blueprint(search_pages.blueprint)
    app.register_blueprint(dumps.blueprint)
    app.register_blueprint(dataset.blueprint)
    app.register_blueprint(ckan.blueprint)
    app.register_blueprint(oai.blueprint)
    app.register_blueprint(changes.blueprint)
    app.register_blueprint(reconcile.blueprint)
    errors.register(app)
    http.register(app)

    @app.before_request
    def choose_language() -> None:
        g.lang = pick_language(
            [
                request.args.get("lang"),
                request.cookies.get("lang"),
                request.accept_languages.best_match(LANGUAGES),
            ]
        )

    @app.after_request
    def common_headers(response: Any) -> Any:
        # Pages, data and errors are all chosen by Accept somewhere: say so on every response,
        # so no shared cache hands Turtle to a browser or HTML to a harvester.
        response.vary.add("Accept")
        if request.args.get("lang") in LANGUAGES:
            response.set_cookie(
                "lang", request.args["lang"], max_age=365 * 24 * 3600, samesite="Lax", httponly=True
            )
        return response

    @app.context_processor
    def helpers() -> dict[str, Any]:
        lang = g.get("lang", settings.lang)
        return {
            "t": lambda key, **kw: t(key, lang, **kw),
            "lang": lang,
            "languages": LANGUAGES,
            "settings": settings,
            "in_language": in_language,
        }

    if settings.write:
        from lod.web import write

        write.register(app)
    return app


def open_search(settings: Settings, store: GraphStore, minter: Minter) -> SearchIndex:
    """The configured search index, read-only (unless the app writes); an in-memory one
    (in-memory test and demo stores) is built here from `store`, as nothing else would fill it."""
    from lod.search import index_path, open_index

    if index_path(settings) == ":memory:":
        from lod.search.sqlite import SqliteIndex

        index = SqliteIndex(None)
        index.sync(store, minter)
        return index
    return open_index(settings, read_only=not settings.write)


def in_language(code: str) -> str:
    """This page in another language: the same path and parameters, and `lang=code`."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*pairs, ("lang", code)])


def store_of(app: Flask) -> GraphStore:
    store: GraphStore = app.extensions["lod.store"]
    return store


def minter_of(app: Flask) -> Minter:
    minter: Minter = app.extensions["lod.minter"]
    return minter


def search_of(app: Flask) -> SearchIndex:
    index: SearchIndex = app.extensions["lod.search"]
    return index
