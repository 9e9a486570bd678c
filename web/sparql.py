"""`/sparql`: the SPARQL 1.1 Protocol (query operation only), with a form for people.

GET `?query=`; POST `application/x-www-form-urlencoded` with `query=`; POST
`application/sparql-query` with the query as body. `default-graph-uri` and `named-graph-uri`
are honoured. Updates answer 403; other POST bodies 415; bad queries 400 with the parser's message.
A GET without a query gives the form (browsers) or the service description (RDF clients).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples
from werkzeug.datastructures import MultiDict

from lod.errors import BadRequest, Forbidden, UnsupportedMediaType
from lod.formats import HTML, RDF_FORMATS, RESULT_FORMATS, Format, serialize_triples
from lod.sparql import run_query, service_description
from lod.store import load_example_queries
from lod.web import minter_of, store_of
from lod.web.negotiation import negotiate, offered_media_types

blueprint = Blueprint("sparql", __name__)
FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
HTML_ROW_LIMIT = 1000


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query, params = _protocol_request()
    explicit = params.get("format")
    if query is None:
        return _without_query(explicit)
    result = run_query(
        store_of(current_app), query, params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    )
    offered = (*RDF_FORMATS, HTML) if isinstance(result, QueryTriples) else (*RESULT_FORMATS, HTML)
    fmt = negotiate(request.headers.get("Accept"), offered, explicit)
    if fmt is HTML:
        response = Response(_render_page(query, result), mimetype="text/html")
    elif isinstance(result, QueryTriples):
        response = Response(serialize_triples(result, fmt), mimetype=fmt.media_type)
    else:
        assert fmt.results is not None
        response = Response(result.serialize(format=fmt.results), mimetype=fmt.media_type)
    return _finish(response, fmt)


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
        )
        return _finish(Response(body, mimetype="text/html"), fmt)
    endpoint_iri = minter_of(current_app).iri_of_path("/sparql")
    triples = service_description(endpoint_iri, offered_media_types((*RESULT_FORMATS, *RDF_FORMATS)))
    return _finish(Response(serialize_triples(triples, fmt), mimetype=fmt.media_type), fmt)


def _render_page(query: str, result: QuerySolutions | QueryTriples | QueryBoolean) -> str:
    table: dict[str, object]
    if isinstance(result, QueryBoolean):
        table = {"boolean": bool(result)}
    elif isinstance(result, QueryTriples):
        table = {"rdf": serialize_triples(result, RDF_FORMATS[0]).decode("utf-8")}
    else:
        variables = [v.value for v in result.variables]
        rows, truncated = [], False
        for index, solution in enumerate(result):
            if index >= HTML_ROW_LIMIT:
                truncated = True
                break
            rows.append([solution[v] for v in variables])
        table = {"variables": variables, "rows": rows, "truncated": truncated}
    minter = minter_of(current_app)
    return render_template(
        "sparql.html",
        query=query,
        examples=load_example_queries(),
        result=table,
        formats=RESULT_FORMATS,
        path_of=minter.path_of,
    )


def _default_query() -> str:
    examples = load_example_queries()
    return examples[1].text if len(examples) > 1 else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"


def _finish(response: Response, fmt: Format) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
