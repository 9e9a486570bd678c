"""Search and discovery on the web, over the search index (`lod.search`).

    GET /search        the search page: ?q= &sort= &page= and the facet filters (?library=IRI
                       &province=code &type=Text &language=vie &years=2000-2009 &subject=label,
                       each repeatable); without a query or a filter, the form and how to search
    GET /api/search    the same as JSON (&limit=, at most 100)
    GET /api/suggest   autocomplete: ?q= &limit=; titles and libraries with their IRI and page,
                       agents and subjects with the search that finds them
    GET /new           new arrivals (the latest records catalogued), ?library=IRI for one library
    GET /new.atom      the same as an Atom 1.0 feed

Views only read the request, ask the index and render; labels of facet values that are codes
(types of resource, languages) come from lod.i18n. Data responses get CORS from lod.web.http.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for

from lod.errors import BadRequest, NotFound, StoreError
from lod.i18n import MESSAGES, t
from lod.search.backend import FACETS, SORTS, Arrival, Hit, Results, SearchIndex
from lod.search.sqlite import facet_counts
from lod.web import minter_of, search_of
from lod.web.http import last_modified

blueprint = Blueprint("search", __name__)

PAGE_SIZE = 20
MAX_LIMIT = 100
MAX_RESULTS = 10_000
"""How deep results can be paged (as Elasticsearch's max_result_window): past this, narrow the query."""
FACET_VALUES_SHOWN = 10
FACET_VALUES_JSON = 100
SUGGESTIONS = 8
MAX_SUGGESTIONS = 20
ARRIVALS_PER_PAGE = 20
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# the request -----------------------------------------------------------------------------------
@dataclass
class SearchRequest:
    """What a search asks for, read from the query string (BadRequest when it cannot be read)."""

    q: str = ""
    sort: str = "relevance"
    page: int = 1
    limit: int = PAGE_SIZE
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    @property
    def blank(self) -> bool:
        return not self.q.strip() and not self.filters

    def pairs(self, filters: dict[str, list[str]] | None = None, page: int = 1) -> list[tuple[str, str]]:
        """The query string of this search with other filters, at another page."""
        pairs = [("q", self.q)] if self.q else []
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        for name in FACETS:
            pairs += [(name, value) for value in (self.filters if filters is None else filters).get(name, [])]
        if page > 1:
            pairs.append(("page", str(page)))
        return pairs

    def url(self, filters: dict[str, list[str]] | None = None, page: int = 1) -> str:
        pairs = self.pairs(filters, page)
        return url_for("search.search") + ("?" + urlencode(pairs) if pairs else "")

    def toggled(self, name: str, value: str) -> str:
        """The URL of this search with the filter `name=value` added, or removed if it is on."""
        filters = {k: list(v) for k, v in self.filters.items()}
        values = filters.setdefault(name, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return self.url({k: v for k, v in filters.items() if v})


def read_request(api: bool) -> SearchRequest:
    args = request.args
    sort = args.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        raise BadRequest("search.bad_sort", value=sort, known=", ".join(SORTS))
    page = _whole("page", 1, None)
    limit = _whole("limit", PAGE_SIZE, MAX_LIMIT) if api else PAGE_SIZE
    if (page - 1) * limit >= MAX_RESULTS:
        raise BadRequest("search.too_deep", max=MAX_RESULTS)
    filters: dict[str, list[str]] = {}
    for name in FACETS:
        values = list(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
        if values:
            filters[name] = values
    return SearchRequest(args.get("q", "").strip(), sort, page, limit, filters)


def _whole(name: str, default: int, most: int | None) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise BadRequest("search.bad_number", name=name, value=raw)
    if most is not None and int(raw) > most:
        raise BadRequest("search.too_large", name=name, value=raw, most=most)
    return int(raw)


def index() -> SearchIndex:
    """The app's search index; 503 while it has not been built."""
    found = search_of(current_app)
    if not found.available():
        raise StoreError("search.unavailable")
    return found


# labels --------------------------------------------------------------------------------------
def value_label(name: str, value: str, lang: str, known: str | None = None) -> str:
    """How a facet value is shown: types of resource and languages by name, libraries and
    provinces by the name the index knows (`known`), anything else as it is."""
    key = {"type": f"search.type.{value}", "language": f"language.{value}"}.get(name)
    if key is not None:
        return t(key, lang) if key in MESSAGES else value
    if name == "library" and not known:
        return search_of(current_app).library_name(value) or value
    return known or value


def _lang() -> str:
    return str(g.get("lang", current_app.config["LOD_SETTINGS"].lang))


def _page_path(iri: str) -> str:
    """The path of an IRI's page on this server (the IRI itself when it is not one of ours)."""
    path = minter_of(current_app).path_of(iri)
    return request.script_root + path if path is not None else iri


def _page_url(iri: str) -> str:
    path = minter_of(current_app).path_of(iri)
    return request.url_root + path.lstrip("/") if path is not None else iri


# the search page and API ---------------------------------------------------------------------
@dataclass
class FacetLink:
    value: str
    label: str
    count: int
    active: bool
    href: str


@blueprint.route("/search")
def search() -> str:
    wanted = read_request(api=False)
    lang = _lang()
    if wanted.blank:
        return render_template("search.html", wanted=wanted, results=None, sorts=SORTS)
    found = index()
    results = _run(found, wanted)
    grouped = facet_counts(results.facets)
    labels = {(v.name, v.value): value_label(v.name, v.value, lang, v.label) for v in results.facets}
    facets = []
    for name in FACETS:
        values = grouped.get(name, [])
        shown = list(values[:FACET_VALUES_SHOWN])
        shown += [v for v in values[FACET_VALUES_SHOWN:] if v.value in wanted.filters.get(name, [])]
        links = [
            FacetLink(v.value, labels[(name, v.value)], v.count, v.value in wanted.filters.get(name, []),
                      wanted.toggled(name, v.value))
            for v in shown
        ]  # fmt: skip
        if links:
            facets.append((name, links))
    active = [
        (name, labels.get((name, value)) or value_label(name, value, lang), wanted.toggled(name, value))
        for name, values in wanted.filters.items()
        for value in values
    ]
    pages = max(1, -(-min(results.total, MAX_RESULTS) // PAGE_SIZE))
    return render_template(
        "search.html",
        wanted=wanted,
        results=results,
        sorts=SORTS,
        facets=facets,
        active=active,
        libraries=found.libraries(wanted.q, 5) if wanted.q else [],
        page_path=_page_path,
        pages=pages,
        previous=wanted.url(page=wanted.page - 1) if wanted.page > 1 else None,
        next=wanted.url(page=wanted.page + 1) if wanted.page < pages else None,
        clear=wanted.url({}),
    )


@blueprint.route("/api/search")
def api_search() -> Response:
    wanted = read_request(api=True)
    lang = _lang()
    found = index()
    if wanted.blank:
        results = Results("", 0, [], [], wanted.sort, wanted.offset, wanted.limit, exact=True)
    else:
        results = _run(found, wanted)
    return jsonify(
        {
            "query": results.query,
            "total": results.total,
            "total_exact": results.total_exact,
            "offset": results.offset,
            "limit": results.limit,
            "page": wanted.page,
            "sort": results.sort,
            "facets_exact": results.exact,
            "hits": [_hit_json(hit) for hit in results.hits],
            "facets": {
                name: [
                    {"value": v.value, "label": value_label(name, v.value, lang, v.label), "count": v.count}
                    for v in values[:FACET_VALUES_JSON]
                ]
                for name, values in facet_counts(results.facets).items()
            },
        }
    )


def _run(found: SearchIndex, wanted: SearchRequest) -> Results:
    return found.search(wanted.q, wanted.filters, wanted.sort, wanted.offset, wanted.limit, facets=True)


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "iri": hit.iri,
        "title": hit.title,
        "year": hit.year,
        "holdings": hit.holdings,
        "items": hit.items,
        "records": hit.records,
        "union": hit.union,
        "agents": hit.agents,
        "publishers": hit.publishers,
        "url": _page_url(hit.iri),
    }


@blueprint.route("/api/suggest")
def api_suggest() -> Response:
    q = request.args.get("q", "").strip()
    limit = _whole("limit", SUGGESTIONS, MAX_SUGGESTIONS)
    if not q:
        return jsonify([])
    found = []
    for s in index().suggest(q, limit):
        if s.kind in ("title", "library"):
            found.append({"kind": s.kind, "label": s.label, "iri": s.target, "url": _page_url(s.target)})
        else:
            field = "author" if s.kind == "agent" else s.kind
            quoted = s.target.replace('"', " ")
            search_url = url_for("search.search", q=f'{field}:"{quoted}"', _external=True)
            found.append({"kind": s.kind, "label": s.label, "search": search_url, "url": search_url})
    return jsonify(found)


# new arrivals --------------------------------------------------------------------------------
@dataclass
class NewRecord:
    """One record newly catalogued, with the libraries that sent it."""

    record: str
    entry: str
    title: str
    agents: list[str]
    created: str
    libraries: list[tuple[str, str]]
    """(IRI, name) of each library."""


def arrivals(library: str | None, limit: int, offset: int = 0) -> tuple[list[NewRecord], bool]:
    """The latest records (one line per record, whatever the number of libraries holding it),
    and whether there are more."""
    found = index()
    rows = found.arrivals(library=library, limit=limit + 1, offset=offset)
    more = len(rows) > limit
    names: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in names:
            names[iri] = found.library_name(iri) or iri.rsplit("/", 1)[-1]
        return names[iri]

    records = []
    for _, group in groupby(rows[:limit], key=lambda a: (a.record or a.entry, a.created)):
        same: list[Arrival] = list(group)
        first = same[0]
        records.append(
            NewRecord(first.record or first.entry, first.entry, first.title, first.agents, first.created,
                      [(a.library, name(a.library)) for a in same if a.library])
        )  # fmt: skip
    return records, more


def _library_arg() -> tuple[str | None, str | None]:
    """The library asked for (?library=IRI) and its name; 404 when the index knows none there."""
    library = request.args.get("library", "").strip() or None
    if library is None:
        return None, None
    name = index().library_name(library)
    if name is None:
        raise NotFound("search.unknown_library", iri=library)
    return library, name


@blueprint.route("/new")
def new_arrivals() -> str:
    library, name = _library_arg()
    page = _whole("page", 1, None)
    if (page - 1) * ARRIVALS_PER_PAGE >= MAX_RESULTS:
        raise BadRequest("search.too_deep", max=MAX_RESULTS)
    records, more = arrivals(library, ARRIVALS_PER_PAGE, (page - 1) * ARRIVALS_PER_PAGE)

    def at_page(number: int) -> str:
        return url_for("search.new_arrivals", library=library, page=number if number > 1 else None)

    return render_template(
        "arrivals.html",
        records=records,
        library=library,
        library_name=name,
        page=page,
        first=(page - 1) * ARRIVALS_PER_PAGE + 1,
        previous=at_page(page - 1) if page > 1 else None,
        next=at_page(page + 1) if more else None,
        page_path=_page_path,
        catalogued=lambda created: _human_date(created, _lang()),
    )


@blueprint.route("/new.atom")
def new_arrivals_feed() -> Response:
    library, name = _library_arg()
    records, _ = arrivals(library, FEED_SIZE)
    lang = _lang()
    heading = t("new.title_library", lang, library=name) if name else t("new.title", lang)
    body = atom_feed(
        records,
        feed_id=url_for("search.new_arrivals_feed", library=library, _external=True),
        title=f"{heading} · {t('site.name', lang)}",
        page=url_for("search.new_arrivals", library=library, _external=True),
        lang=lang,
        fallback_updated=last_modified(current_app) or datetime.now(UTC),
        page_url=_page_url,
    )  # fmt: skip
    response = Response(body, content_type=ATOM_MEDIA_TYPE)
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.make_conditional(request)
    return response


def atom_feed(
    records: Sequence[NewRecord],
    feed_id: str,
    title: str,
    page: str,
    lang: str,
    fallback_updated: datetime,
    page_url: Callable[[str], str],
) -> bytes:
    """An Atom 1.0 feed (RFC 4287) of new records, newest first: each entry's id is the record's
    IRI, its link the page of the union entry it is in."""
    feed = ET.Element("feed", {"xmlns": ATOM, "{http://www.w3.org/XML/1998/namespace}lang": lang})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    updated = max((_rfc3339(r.created) for r in records if r.created), default=None)
    _text(feed, "updated", updated or fallback_updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": feed_id})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": page})
    _text(ET.SubElement(feed, "author"), "name", t("site.name", lang))
    for r in records:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", r.record)
        _text(entry, "title", r.title or r.record)
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page_url(r.entry)})
        _text(entry, "updated", _rfc3339(r.created) if r.created else updated or "")
        for agent in r.agents:
            _text(ET.SubElement(entry, "author"), "name", agent)
        summary = [t("new.catalogued", lang, date=_human_date(r.created, lang))]
        if r.libraries:
            summary.append(t("new.at", lang, library=", ".join(name for _, name in r.libraries)))
        _text(entry, "summary", " · ".join(summary))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text)  # MARC data may hold control characters XML cannot
    return element


def _rfc3339(created: str) -> str:
    """A catalogue date (YYYY-MM-DD, or a date-time) as an RFC 3339 date-time, in UTC when no
    time zone is given."""
    if re.fullmatch(r"\d{4}", created):
        created += "-01-01"
    elif re.fullmatch(r"\d{4}-\d{2}", created):
        created += "-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", created):
        return created + "T00:00:00Z"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?", created):
        return created + ("Z" if created.count(":") == 2 else ":00Z")
    return created


def _human_date(created: str, lang: str) -> str:
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", created)
    if not found:
        return created
    year, month, day = found.groups()
    return f"{day}/{month}/{year}" if lang == "vi" else f"{year}-{month}-{day}"
