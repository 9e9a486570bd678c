"""A read-only CKAN Action API (version 3) over the catalogue, for the national data portal's
harvester and any CKAN client (ckanapi, ckanext-harvest, ckanext-dcat).

    GET|POST /api/3/action/<action>   (and /api/action/<action>, as CKAN answers both)
      package_list [limit, offset]                    the datasets' names
      package_show id=<name or id>                     one dataset
      package_search [q, fq, sort, rows, start]       what the CKAN harvester reads
      current_package_list_with_resources [limit, offset]
      organization_list [all_fields], organization_show id=[, include_datasets]
      group_list, tag_list, status_show, help_show name=

Answers have CKAN's envelope, `{"help": …, "success": true, "result": …}`, and its errors too:
404 `Not Found Error`, 409 `Validation Error` (a missing or bad parameter), 400 `Search Query
Error` (a filter this API does not read) and 400 for an unknown action, each with
`"success": false` and an `error` object. Parameters come from the query string or a JSON body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.wrappers import Response

from lod import ckan
from lod.i18n import t
from lod.web.dataset import catalogue, started

blueprint = Blueprint("ckan", __name__)
CKAN_VERSION = "2.10.0"
"""The CKAN release whose API this one answers as (status_show)."""
Params = dict[str, Any]


class _Failure(Exception):
    def __init__(self, status: int, error: dict[str, Any]) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


@blueprint.route("/api/action/<name>", methods=["GET", "POST"])
@blueprint.route("/api/3/action/<name>", methods=["GET", "POST"])  # the first: what url_for gives
def action(name: str) -> Response:
    envelope: dict[str, Any] = {"help": _help_url(name)}
    handler = ACTIONS.get(name)
    try:
        if handler is None:
            raise _Failure(
                400, {"__type": "Bad Request", "message": t("ckan.unknown_action", _lang(), name=name)}
            )
        envelope.update(success=True, result=handler(_params()))
        status = 200
    except _Failure as failure:
        envelope.update(success=False, error=failure.error)
        status = failure.status
    except ckan.SearchQueryError as error:
        envelope.update(
            success=False,
            error={"__type": "Search Query Error", "message": t("ckan.bad_query", _lang(), message=error)},
        )
        status = 400
    response = jsonify(envelope)
    response.status_code = status
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


# actions ---------------------------------------------------------------------------------------
def package_list(params: Params) -> list[str]:
    """Return a list of the names of the site's datasets (packages)."""
    names = [d.name for d in catalogue().datasets]
    return _page(names, params)


def package_show(params: Params) -> dict[str, Any]:
    """Return the metadata of a dataset (package) and its resources; id: its name or id."""
    found = catalogue()
    wanted = _required(params, "id", "name_or_id")
    dataset = found.dataset(wanted)
    if dataset is None:
        raise _not_found()
    return ckan.package(found, dataset, _site(found))


def package_search(params: Params) -> dict[str, Any]:
    """Search for packages: q, fq (metadata_modified ranges, organization, name, id, tags,
    res_format, license_id...), sort (id, name, title, metadata_modified asc/desc), rows, start."""
    found = catalogue()
    return ckan.search(
        ckan.packages(found, _site(found)),
        q=str(params.get("q") or ""),
        fq=str(params.get("fq") or ""),
        sort=str(params.get("sort") or ""),
        rows=_number(params, "rows", 10),
        start=_number(params, "start", 0),
    )


def current_package_list_with_resources(params: Params) -> list[dict[str, Any]]:
    """Return a list of the site's datasets (packages) and their resources; limit, offset."""
    found = catalogue()
    return _page(ckan.packages(found, _site(found)), params)


def organization_list(params: Params) -> list[Any]:
    """Return a list of the names of the site's organizations (all_fields: their dictionaries)."""
    found = catalogue()
    organization = _site(found).organization
    return [organization] if _flag(params, "all_fields") else [organization["name"]]


def organization_show(params: Params) -> dict[str, Any]:
    """Return the details of an organization; id: its name or id; include_datasets."""
    found = catalogue()
    site = _site(found)
    wanted = _required(params, "id")
    organization = dict(site.organization)
    if wanted not in (organization["id"], organization["name"]):
        raise _not_found()
    organization["package_count"] = len(found.datasets)
    if _flag(params, "include_datasets"):
        organization["packages"] = ckan.packages(found, site)
    return organization


def group_list(params: Params) -> list[Any]:
    """Return a list of the names of the site's groups (there are none)."""
    return []


def tag_list(params: Params) -> list[str]:
    """Return a list of the site's tags."""
    found = catalogue()
    return sorted({word for d in found.datasets for words in d.keywords.values() for word in words})


def status_show(params: Params) -> dict[str, Any]:
    """Return the site's status: CKAN version, site URL, title and description."""
    found = catalogue()
    return {
        "ckan_version": CKAN_VERSION,
        "site_url": found.base.rstrip("/"),
        "site_title": found.title.get(_lang()) or found.title["vi"],
        "site_description": found.description.get(_lang()) or found.description["vi"],
        "locale_default": current_app.config["LOD_SETTINGS"].lang,
        "error_emails_to": None,
        "extensions": [],
    }


def help_show(params: Params) -> str:
    """Return the help string of an action; name: the action."""
    name = _required(params, "name")
    handler = ACTIONS.get(name)
    if handler is None:
        raise _not_found()
    return " ".join((handler.__doc__ or "").split())


ACTIONS: dict[str, Callable[[Params], Any]] = {
    f.__name__: f
    for f in (
        package_list,
        package_show,
        package_search,
        current_package_list_with_resources,
        organization_list,
        organization_show,
        group_list,
        tag_list,
        status_show,
        help_show,
    )
}


# helpers ---------------------------------------------------------------------------------------
def _params() -> Params:
    params: Params = dict(request.args.items())
    if request.method == "POST":
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            params.update(body)
        else:
            params.update(request.form.items())
    return params


def _site(found: Any) -> ckan.Site:
    return ckan.site(found, started(), _lang())


def _lang() -> str:
    lang: str = g.get("lang", "vi")
    return lang


def _help_url(name: str) -> str:
    from lod.web import minter_of

    return minter_of(current_app).iri_of_path(
        f"/api/3/action/help_show?name={name if name in ACTIONS else ''}"
    )


def _required(params: Params, key: str, error_key: str | None = None) -> str:
    value = params.get(key)
    if value is None or str(value).strip() == "":
        raise _Failure(409, {"__type": "Validation Error", error_key or key: [t("ckan.missing", _lang())]})
    return str(value).strip()


def _number(params: Params, key: str, default: int) -> int:
    value = params.get(key)
    if value is None or value == "":
        return default
    text = str(value).strip()
    if not text.isdigit():
        raise _Failure(409, {"__type": "Validation Error", key: [t("ckan.bad_number", _lang())]})
    return int(text)


def _flag(params: Params, key: str) -> bool:
    return str(params.get(key, "")).strip().lower() in ("true", "1", "yes", "on")


def _page(items: list[Any], params: Params) -> list[Any]:
    offset = _number(params, "offset", 0)
    limit = params.get("limit")
    return items[offset : offset + _number(params, "limit", 0)] if limit not in (None, "") else items[offset:]


def _not_found() -> _Failure:
    return _Failure(404, {"__type": "Not Found Error", "message": t("ckan.not_found", _lang())})
