"""Rules of the public SPARQL endpoint, independent of the web framework.

- Read-only: SPARQL Update is refused (pyoxigraph's `query` cannot update anyway; this says why).
- No federation: pyoxigraph would fetch `SERVICE` IRIs over HTTP from the server's network, so
  queries using SERVICE are refused before they run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
)

from lod.errors import BadRequest, Forbidden, QueryError
from lod.store import GraphStore, QueryResult
from lod.vocab import RDF

SD = "http://www.w3.org/ns/sparql-service-description#"
# Everything that can hide the word SERVICE without being the keyword: comments, strings, IRIs.
_NOT_KEYWORDS = re.compile(
    r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """True if the query has a SERVICE clause (outside comments, strings and IRIs)."""
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", query)))


def run_query(
    store: GraphStore, query: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
) -> QueryResult:
    """Run a visitor's query under the endpoint's rules; raises QueryError, Forbidden or BadRequest."""
    if uses_service(query):
        raise Forbidden("error.service_disabled")
    options: dict[str, object] = {}
    if default_graphs:
        options["default_graph"] = [_graph_iri(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [_graph_iri(g) for g in named_graphs]
    try:
        return store.query(query, **options)
    except SyntaxError as exc:
        raise QueryError(message=str(exc)) from exc


def _graph_iri(value: str) -> NamedNode:
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise BadRequest(message=f"{value!r} is not a valid graph IRI: {exc}") from exc


def service_description(endpoint: str, result_media_types: Sequence[str]) -> list[Triple]:
    """A SPARQL 1.1 Service Description of the endpoint, answered to a GET without a query."""
    service = NamedNode(endpoint + "#service")
    sd = {
        name: NamedNode(SD + name)
        for name in (
            "Service",
            "endpoint",
            "supportedLanguage",
            "SPARQL11Query",
            "resultFormat",
            "feature",
            "UnionDefaultGraph",
            "defaultDataset",
            "Dataset",
        )
    }
    triples = [
        Triple(service, RDF.type, sd["Service"]),
        Triple(service, sd["endpoint"], NamedNode(endpoint)),
        Triple(service, sd["supportedLanguage"], sd["SPARQL11Query"]),
        Triple(service, sd["feature"], sd["UnionDefaultGraph"]),
    ]
    formats = {
        "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "text/turtle": "http://www.w3.org/ns/formats/Turtle",
        "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
        "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
        "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
    }
    triples.extend(
        Triple(service, sd["resultFormat"], NamedNode(formats[m])) for m in result_media_types if m in formats
    )
    return triples


__all__ = [
    "QueryBoolean",
    "QuerySolutions",
    "QueryTriples",
    "run_query",
    "service_description",
    "uses_service",
]
