"""The web layer: dereferenceable IRIs, pages for people, and the SPARQL endpoint.

`create_app(settings=None, store=None)` builds the Flask app; nothing happens at import time.
Views are thin: they parse the request, call `lod` core functions and render.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request

from lod.config import Settings, load_settings
from lod.i18n import LANGUAGES, pick_language, t
from lod.sparqlstore import open_store
from lod.store import GraphStore
from lod.uris import Minter

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Flask:
    """Build the app. Without `store`, the store named in the settings is opened read-only (a
    directory, or the URL of a SPARQL server: `lod.sparqlstore.open_store`)."""
    from lod.quarantine import Quarantine
    from lod.web import errors, home, http, quarantine, registry, resources, sparql, vendor, vocabulary

    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["LOD_SETTINGS"] = settings
    app.extensions["lod.store"] = store or open_store(settings.store, read_only=True)
    app.extensions["lod.minter"] = Minter(settings.base_iri)
    app.extensions["lod.quarantine"] = Quarantine(settings.quarantine)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    app.register_blueprint(home.blueprint)
    app.register_blueprint(resources.blueprint)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(vendor.blueprint)
    app.register_blueprint(registry.blueprint)
    app.register_blueprint(quarantine.blueprint)
    app.register_blueprint(vocabulary.blueprint)
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
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
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
        }

    return app


def store_of(app: Flask) -> GraphStore:
    store: GraphStore = app.extensions["lod.store"]
    return store


def minter_of(app: Flask) -> Minter:
    minter: Minter = app.extensions["lod.minter"]
    return minter
