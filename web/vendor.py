"""The SPARQL page's editor, YASGUI (@zazuko/yasgui from the npm registry, fetched by `make vendor`
into the folder named by the `yasgui` setting), served from that folder under /static/vendor/yasgui/.

Only the two built files the page uses are served, never the folder at large. When the folder is
missing (no npm on the machine), `sparql_editor()` gives None and the page keeps its plain form.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, current_app, g, request, send_from_directory, url_for

from lod.config import Settings
from lod.errors import NotFound
from lod.vocab import PREFIXES
from lod.web.security import CSP, POLICY

blueprint = Blueprint("vendor", __name__)
FILES = ("yasgui.min.js", "yasgui.min.css")
MAX_AGE = 24 * 3600
"""The URLs carry the package's version, so a new version is fetched at once anyway."""
INJECTED_STYLES = (
    " .grip-resizable{table-layout:fixed;} .grip-resizable > tbody > tr > td, .grip-resizable >"
    " tbody > tr > th{overflow:hidden} .grip-padding > tbody > tr > td, .grip-padding > tbody >"
    " tr > th{padding-left:0!important; padding-right:0!important;} .grip-container{ height:0px;"
    " position:relative;} .grip-handle{margin-left:-5px; position:absolute; z-index:5; }"
    " .grip-handle .grip-resizable{position:absolute;background-color:red;filter:alpha(opacity=1);"
    "opacity:0;width:10px;height:100%;cursor: col-resize;top:0px} .grip-lastgrip{position:absolute;"
    " width:1px; } .grip-drag{ border-left:1px dotted black;\t} .grip-flex{width:auto!important;}"
    " .grip-handle.grip-disabledgrip .grip-resizable{cursor:default; display:none;}",
    "*{cursor:col-resize!important}",
)
"""The two style sheets that YASR's table (its column resizer) adds as <style> elements, when it
draws a table and while a column is dragged. Pages with the editor allow exactly these, by their
hashes, so the CSP still has no 'unsafe-inline'."""
STYLE_HASHES = " ".join(
    "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"
    for css in INJECTED_STYLES
)


@dataclass(frozen=True)
class Editor:
    """What the SPARQL page needs to load the editor: its files' URLs and our prefixes (JSON)."""

    script: str
    stylesheet: str
    prefixes: str


def yasgui_folder(settings: Settings) -> Path:
    return Path(settings.yasgui)


def yasgui_version(folder: Path) -> str | None:
    """The installed package's version, or None when the folder lacks the package or its files."""
    if not all((folder / "build" / name).is_file() for name in FILES):
        return None
    try:
        version = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return str(version)


@blueprint.route("/static/vendor/yasgui/<name>")
def yasgui_file(name: str) -> Response:
    if name not in FILES:
        raise NotFound(iri=request.path)
    folder = yasgui_folder(current_app.config["LOD_SETTINGS"])
    if yasgui_version(folder) is None:
        raise NotFound(iri=request.path)
    return send_from_directory(folder.resolve() / "build", name, max_age=MAX_AGE)


@blueprint.app_context_processor
def editor_helper() -> dict[str, object]:
    return {"sparql_editor": sparql_editor}


def sparql_editor() -> Editor | None:
    """The editor's files, or None when they are not installed (the page then keeps its plain form)."""
    version = yasgui_version(yasgui_folder(current_app.config["LOD_SETTINGS"]))
    if version is None:
        return None
    g.sparql_editor = True
    return Editor(
        script=url_for("vendor.yasgui_file", name="yasgui.min.js", v=version),
        stylesheet=url_for("vendor.yasgui_file", name="yasgui.min.css", v=version),
        prefixes=json.dumps(PREFIXES, sort_keys=True),
    )


@blueprint.after_app_request
def allow_editor_styles(response: Response) -> Response:
    """On a page that loads the editor, let the CSP's style-src allow the editor's two style sheets.

    The exception is this page's alone (the flag is set only when a page asks for the editor), and
    only for those two sheets: scripts stay 'self' without 'unsafe-eval' (see security.POLICY)."""
    if g.get("sparql_editor"):
        policy = response.headers.get(CSP, POLICY)
        response.headers[CSP] = policy.replace("style-src 'self'", f"style-src 'self' {STYLE_HASHES}", 1)
    return response
