"""The bulk dumps on the web: a page listing the newest dump, and its files to download.

    GET /dumps                        the newest dump's files by dataset, with format, size,
                                      triples, SHA-256, date and licence; JSON by Accept or ?format=json
    GET /dumps/<YYYY-MM-DD>/<file>    one file of a dump: a part (application/gzip, a download),
                                      manifest.json or SHA256SUMS; ETag, Last-Modified, Range
    GET /dumps/latest/<file>          302 to that file of the newest dump: a link that stays

The files are those `lod dump` wrote (lod.dumps) into the folder of the `dumps` setting. Only a
day's folder name and a file name its manifest lists (or manifest.json, SHA256SUMS) are ever
joined to that folder, so no request reaches any other file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from lod.dumps import (
    CHECKSUMS,
    DAY,
    FILE_NAME,
    LATEST,
    MANIFEST,
    Dataset,
    DumpFile,
    Manifest,
    dump_days,
    file_media_type,
    read_manifest,
    size_text,
)
from lod.errors import NotFound
from lod.formats import HTML, JSON, JSONLD, NQUADS, NTRIPLES, TURTLE
from lod.i18n import t
from lod.web import minter_of
from lod.web.negotiation import negotiate

blueprint = Blueprint("dumps", __name__)
FORMATS = (HTML, JSON)
FORMAT_LABELS = {f.name: f.label for f in (NQUADS, NTRIPLES, TURTLE, JSONLD)}
MAX_AGE = 300
"""Seconds a cache may keep a page or a file before checking its ETag again: a day's folder is
replaced when the dump is made again that day."""


@blueprint.route("/dumps")
def page() -> BaseResponse:
    root = _root()
    days = dump_days(root)
    manifest = _manifest(root, days[0]) if days else None
    fmt = negotiate(request.headers.get("Accept"), FORMATS, request.args.get("format"))
    if fmt is JSON:
        response = jsonify(_json(days, manifest))
    else:
        lang = g.get("lang", "vi")
        body = render_template(
            "dumps.html",
            manifest=manifest,
            sections=_sections(manifest, lang) if manifest else [],
            days=days,
            size=lambda n: size_text(n, lang),
            path=_path,
            latest_url=_latest_example(manifest),
        )
        response = Response(body, mimetype="text/html")
        response.vary.update(("Accept-Language", "Cookie"))
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


@blueprint.route("/dumps/<day>/<name>")
def dump_file(day: str, name: str) -> BaseResponse:
    root = _root()
    manifest = _manifest(root, day) if DAY.fullmatch(day) else None
    listed = manifest is not None and (name in (MANIFEST, CHECKSUMS) or manifest.file(name) is not None)
    if not listed or not FILE_NAME.fullmatch(name):
        raise NotFound("dumps.unknown_file", name=name, date=day)
    response = send_from_directory(
        (root / day).resolve(),
        name,
        mimetype=file_media_type(name),
        as_attachment=name.endswith(".gz"),
        max_age=MAX_AGE,
        conditional=True,
        etag=True,
    )
    response.cache_control.public = True
    return response


@blueprint.route(f"/dumps/{LATEST}/<name>")
def latest_file(name: str) -> BaseResponse:
    root = _root()
    days = dump_days(root)
    manifest = _manifest(root, days[0]) if days else None
    if manifest is None or (name not in (MANIFEST, CHECKSUMS) and manifest.file(name) is None):
        raise NotFound("dumps.unknown_file", name=name, date=LATEST)
    response = redirect(url_for("dumps.dump_file", day=days[0], name=name), 302)
    response.cache_control.no_cache = True
    return response


def latest_manifest() -> Manifest | None:
    """The newest dump's manifest (read again only when it changes), or None when there is none."""
    root = _root()
    days = dump_days(root)
    return _manifest(root, days[0]) if days else None


def _latest_example(manifest: Manifest | None) -> str | None:
    """The stable URL of the newest dump's first file, to show how such links look."""
    if manifest is None:
        return None
    return _url(LATEST, manifest.files[0].name if manifest.files else MANIFEST)


def _root() -> Path:
    return Path(current_app.config["LOD_SETTINGS"].dumps)


def _manifest(root: Path, day: str) -> Manifest | None:
    """The manifest of one day's dump, read again only when its file changes."""
    path = root / day / MANIFEST
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read(str(path.parent), stat.st_ino, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _read(folder: str, inode: int, mtime: int) -> Manifest | None:
    try:
        return read_manifest(folder)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _path(day: str, name: str) -> str:
    if day == LATEST:
        return url_for("dumps.latest_file", name=name)
    return url_for("dumps.dump_file", day=day, name=name)


def _url(day: str, name: str) -> str:
    """The full URL of a file, made from the base IRI as every IRI of the dataset is."""
    return minter_of(current_app).iri_of_path(_path(day, name))


def _sections(manifest: Manifest, lang: str) -> list[tuple[Dataset, str, list[tuple[DumpFile, str, str]]]]:
    """Each dataset with its title and its files (with their format's label and URL)."""
    sections = []
    for dataset in manifest.datasets:
        title_params = {"library": dataset.label(lang)} if dataset.kind == "library" else {}
        title = t(f"dumps.dataset.{dataset.kind}", lang, **title_params)
        files = [
            (f, FORMAT_LABELS.get(f.format, f.format), _path(manifest.date, f.name))
            for f in manifest.files_of(dataset.id)
        ]
        sections.append((dataset, title, files))
    return sections


def _json(days: list[str], manifest: Manifest | None) -> dict[str, Any]:
    """The newest dump's manifest, each file with its URL; and the days of every dump kept."""
    if manifest is None:
        return {"latest": None, "days": days}
    data = manifest.to_json()
    for entry in data["files"]:
        entry["url"] = _url(manifest.date, entry["name"])
    return {
        "latest": {
            **data,
            "manifest_url": _url(manifest.date, MANIFEST),
            "checksums_url": _url(manifest.date, CHECKSUMS),
        },
        "days": days,
    }
