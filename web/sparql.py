"""`/sparql`: the SPARQL 1.1 Protocol (query operation only), with a form for people.

GET `?query=`; POST `application/x-www-form-urlencoded` with `query=`; POST
`application/sparql-query` with the query as body. `default-graph-uri` and `named-graph-uri`
are honoured. Updates answer 403; other POST bodies 415; bad queries 400 with the parser's message.
A GET without a query gives the form (browsers) or the service description (RDF clients).

The endpoint is public, so it protects itself (the limits are settings, shown on the page):
queries run in worker processes killed at the time limit (`lod.querypool`; 503), answers are cut at
a number of rows (header `LOD-Results-Truncated`), each client address has a budget of query time
(`lod.budget`; 429 with Retry-After), and SERVICE is refused unless federation is allowed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, parse_query_results
from werkzeug.datastructures import MultiDict

from lod.budget import QueryBudget
from lod.config import Settings
from lod.errors import BadRequest, ConfigError, Forbidden, NotAcceptable, UnsupportedMediaType
from lod.formats import HTML, RDF_FORMATS, RESULT_FORMATS, SPARQL_TSV, TURTLE, Format, serialize_triples
from lod.querypool import QueryRunner, runner_for
from lod.sparql import Answer, Job, Output, service_description
from lod.store import load_example_queries
from lod.web import minter_of, store_of
from lod.web.negotiation import negotiate, offered_media_types
from lod.web.turns import elsewhere

blueprint = Blueprint("sparql", __name__)
FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
HTML_ROW_LIMIT = 1000
"""Rows (or triples) an HTML page shows; the other formats go up to `sparql_max_rows`."""
TRUNCATED_HEADER = "LOD-Results-Truncated"
"""Sent only when an answer was cut; its value is the number of rows (or triples) it holds."""
SOLUTION_FORMATS: tuple[Format, ...] = (*RESULT_FORMATS, HTML)
"""For SELECT and ASK; JSON first, so `*/*` and no Accept get JSON (the form's own POST asks for HTML)."""
GRAPH_FORMATS: tuple[Format, ...] = (*RDF_FORMATS, HTML)
"""For CONSTRUCT and DESCRIBE."""
DEFAULT_BUDGET_DB = "var/sparql-budget.sqlite3"
"""The budget's file when the store is on a SPARQL server and no file is configured."""


@dataclass(frozen=True)
class Limits:
    """What the endpoint allows, from the settings; the page shows them (`_sparql_limits.html`)."""

    timeout: int
    max_rows: int
    html_rows: int
    budget: int
    window: int
    federation: bool
    isolated: bool = True
    """False when queries run in the web process (a store in memory): no time limit then."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits, or ConfigError naming the setting that is out of range."""
        for name, least in (
            ("sparql_timeout", 1),
            ("sparql_max_rows", 1),
            ("sparql_workers", 1),
            ("sparql_queue_wait", 0),
            ("sparql_budget", 0),
            ("sparql_budget_window", 1),
        ):
            if getattr(settings, name) < least:
                raise ConfigError(message=f"{name} must be {least} or more, not {getattr(settings, name)}")
        return cls(
            timeout=settings.sparql_timeout,
            max_rows=settings.sparql_max_rows,
            html_rows=min(HTML_ROW_LIMIT, settings.sparql_max_rows),
            budget=settings.sparql_budget,
            window=settings.sparql_budget_window,
            federation=settings.sparql_federation,
        )


@dataclass(frozen=True)
class Protection:
    """An app's query runner, client budget and limits; built at its first use (it costs nothing:
    the pool's processes start at the first query, the budget's file at the first charge)."""

    runner: QueryRunner
    budget: QueryBudget
    limits: Limits


_building = threading.Lock()


def protection_of(app: Flask) -> Protection:
    found: Protection | None = app.extensions.get("lod.sparql")
    if found is None:
        with _building:
            found = app.extensions.get("lod.sparql")
            if found is None:
                found = app.extensions["lod.sparql"] = _protection(app)
    return found


def _protection(app: Flask) -> Protection:
    settings: Settings = app.config["LOD_SETTINGS"]
    store = store_of(app)
    limits = Limits.from_settings(settings)
    runner = runner_for(
        store,
        timeout=settings.sparql_timeout,
        size=settings.sparql_workers,
        queue_wait=settings.sparql_queue_wait,
    )
    budget = QueryBudget(
        budget_path(settings, store.location), settings.sparql_budget, settings.sparql_budget_window
    )
    return Protection(runner, budget, replace(limits, isolated=runner.isolated))


def budget_path(settings: Settings, store_location: str) -> str:
    """Where the client budget is counted (see `Settings.sparql_budget_db`)."""
    if store_location == ":memory:":
        return ":memory:"
    if settings.sparql_budget_db:
        return settings.sparql_budget_db
    if store_location.startswith(("http://", "https://")):
        return DEFAULT_BUDGET_DB
    return str(Path(store_location)) + "-sparql-budget.sqlite3"


@blueprint.record_once
def _check_settings(state: BlueprintSetupState) -> None:
    """Settings out of range fail when the app is built, not at the first query."""
    Limits.from_settings(state.app.config["LOD_SETTINGS"])


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query, params = _protocol_request()
    explicit = params.get("format")
    if query is None:
        return _without_query(explicit)
    guard = protection_of(current_app)
    accept = request.headers.get("Accept")
    solutions = _choose(accept, SOLUTION_FORMATS, explicit)
    graphs = _choose(accept, GRAPH_FORMATS, explicit)
    if isinstance(solutions, NotAcceptable) and isinstance(graphs, NotAcceptable):
        # the query's form is not known before it runs: name every type either form could have
        offered = offered_media_types(tuple(dict.fromkeys((*SOLUTION_FORMATS, *GRAPH_FORMATS))))
        raise NotAcceptable(solutions.params["requested"], offered)
    html_rows, max_rows = guard.limits.html_rows, guard.limits.max_rows
    job = Job(
        query,
        tuple(params.getlist("default-graph-uri")),
        tuple(params.getlist("named-graph-uri")),
        solutions=_output(solutions, SPARQL_TSV, html_rows, max_rows),
        triples=_output(graphs, TURTLE, html_rows, max_rows),
        federation=guard.limits.federation,
    )
    client = request.remote_addr or "-"
    guard.budget.check(client)
    with elsewhere():  # the query runs in a query process (or the store's threads): others' turn
        answer = guard.runner.run(job, charge=lambda seconds: guard.budget.charge(client, seconds))
    fmt = graphs if answer.form == "triples" else solutions
    if isinstance(fmt, NotAcceptable):
        raise fmt
    if fmt is HTML:
        response = Response(_render_page(query, answer, guard.limits), mimetype="text/html")
    else:
        response = Response(answer.body, mimetype=fmt.media_type)
    if answer.truncated:
        response.headers[TRUNCATED_HEADER] = str(answer.rows)
    return _finish(response)


def _choose(accept: str | None, offered: tuple[Format, ...], explicit: str | None) -> Format | NotAcceptable:
    """The negotiated format, or the error to raise if the query turns out to need one."""
    try:
        return negotiate(accept, offered, explicit)
    except NotAcceptable as refusal:
        return refusal


def _output(
    chosen: Format | NotAcceptable, page_carrier: Format, html_rows: int, max_rows: int
) -> Output | None:
    """What the worker writes: the format itself, or for a page `page_carrier` (parsed back here)."""
    if isinstance(chosen, NotAcceptable):
        return None
    if chosen is HTML:
        return Output(page_carrier.name, html_rows)
    return Output(chosen.name, max_rows)


def _protocol_request() -> tuple[str | None, MultiDict[str, str]]:
    params = request.args.copy()
    if request.method == "POST":
        content_type = (request.mimetype or "").lower()
        if content_type == FORM:
            params = request.values.copy()
        elif content_type == QUERY_BODY:
            return request.get_data(as_text=True), params
        elif content_type == UPDATE_BODY:
            raise Forbidden("error.read_only")
        else:
            raise UnsupportedMediaType(
                content_type=content_type or "-", supported=", ".join((QUERY_BODY, FORM))
            )
    if "update" in params:
        raise Forbidden("error.read_only")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise BadRequest(message="more than one query parameter")
    return (queries[0] if queries else None), params


def _without_query(explicit: str | None) -> Response:
    offered = (HTML, *RDF_FORMATS)
    fmt = negotiate(request.headers.get("Accept"), offered, explicit)
    if fmt is HTML:
        body = render_template(
            "sparql.html",
            query=_default_query(),
            examples=load_example_queries(),
            result=None,
            formats=RESULT_FORMATS,
            limits=protection_of(current_app).limits,
        )
        return _finish(Response(body, mimetype="text/html"))
    endpoint_iri = minter_of(current_app).iri_of_path("/sparql")
    triples = service_description(endpoint_iri, offered_media_types((*RESULT_FORMATS, *RDF_FORMATS)))
    return _finish(Response(serialize_triples(triples, fmt), mimetype=fmt.media_type))


def _render_page(query: str, answer: Answer, limits: Limits) -> str:
    """The page with the answer, which the worker wrote as TSV (solutions, booleans) or Turtle."""
    table: dict[str, object] = {"truncated": answer.truncated, "shown": answer.rows}
    if answer.form == "triples":
        table["rdf"] = answer.body.decode("utf-8")
    else:
        parsed = parse_query_results(answer.body, QueryResultsFormat.TSV)
        if isinstance(parsed, QueryBoolean):
            table["boolean"] = bool(parsed)
        else:
            assert isinstance(parsed, QuerySolutions)
            variables = [v.value for v in parsed.variables]
            table["variables"] = variables
            table["rows"] = [[solution[v] for v in variables] for solution in parsed]
    minter = minter_of(current_app)
    return render_template(
        "sparql.html",
        query=query,
        examples=load_example_queries(),
        result=table,
        formats=RESULT_FORMATS,
        path_of=minter.path_of,
        limits=limits,
    )


def _default_query() -> str:
    examples = load_example_queries()
    return examples[1].text if len(examples) > 1 else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"


def _finish(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"  # lod.web.http exposes TRUNCATED_HEADER
    return response
