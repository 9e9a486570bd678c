"""Rules of the public SPARQL endpoint, independent of the web framework.

- Read-only: SPARQL Update is refused (pyoxigraph's `query` cannot update anyway; this says why).
- No federation unless the `sparql_federation` setting allows it: pyoxigraph would fetch `SERVICE`
  IRIs over HTTP from the server's network, so queries using SERVICE are refused before they run.
- At most `Output.max_rows` rows (or triples) per answer: `answer` cuts the rest and says so.

`answer(store, job)` runs one `Job` and serialises what it gives, so that a worker process
(`lod.querypool`) sends back bytes, never Python objects for every row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    Triple,
    parse_query_results,
)

from lod.errors import BadRequest, Forbidden, QueryError, StoreError
from lod.formats import RDF_FORMATS, RESULT_FORMATS, Format, by_name, serialize_triples
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
    store: GraphStore,
    query: str,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    federation: bool = False,
) -> QueryResult:
    """Run a visitor's query under the endpoint's rules; raises QueryError, Forbidden or BadRequest."""
    if not federation and uses_service(query):
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


@dataclass(frozen=True)
class Output:
    """How to write one kind of result: a format name (`lod.formats`) and a cap."""

    format: str
    max_rows: int


@dataclass(frozen=True)
class Job:
    """A visitor's query and how to answer it, whatever form it turns out to have: `solutions`
    is for SELECT and ASK (a RESULT_FORMATS name), `triples` for CONSTRUCT and DESCRIBE (an
    RDF_FORMATS name); None when the client accepts no format for that form."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    solutions: Output | None = Output("json", 10_000)
    triples: Output | None = Output("ttl", 10_000)
    federation: bool = False


@dataclass(frozen=True)
class Answer:
    """A serialised result. `format` is None when the client accepts no format for its form."""

    form: Literal["solutions", "boolean", "triples"]
    format: str | None
    body: bytes
    rows: int
    """Rows (triples for CONSTRUCT/DESCRIBE) in `body`."""
    truncated: bool
    """True if the query gave more than the cap and `body` holds only the first ones."""


def answer(store: GraphStore, job: Job) -> Answer:
    """Run `job` and serialise its result, cut at its cap."""
    result = run_query(store, job.query, job.default_graphs, job.named_graphs, job.federation)
    try:
        if isinstance(result, QueryTriples):
            if job.triples is None:
                return Answer("triples", None, b"", 0, False)
            fmt = _format(job.triples.format, RDF_FORMATS)
            triples = list(islice(result, job.triples.max_rows + 1))
            truncated = len(triples) > job.triples.max_rows
            del triples[job.triples.max_rows :]
            return Answer("triples", fmt.name, serialize_triples(triples, fmt), len(triples), truncated)
        form: Literal["solutions", "boolean"] = "boolean" if isinstance(result, QueryBoolean) else "solutions"
        if job.solutions is None:
            return Answer(form, None, b"", 0, False)
        fmt = _format(job.solutions.format, RESULT_FORMATS)
        assert fmt.results is not None
        if isinstance(result, QueryBoolean):
            return Answer(form, fmt.name, result.serialize(format=fmt.results) or b"", 1, False)
        capped, rows, truncated = capped_solutions(result, job.solutions.max_rows)
        return Answer(form, fmt.name, capped.serialize(format=fmt.results) or b"", rows, truncated)
    except OSError as exc:  # while evaluating: a store failure, or a SERVICE that failed
        raise StoreError(message=str(exc)) from exc


def capped_solutions(solutions: QuerySolutions, max_rows: int) -> tuple[QuerySolutions, int, bool]:
    """The first `max_rows` solutions as a new QuerySolutions, their number, and whether there
    were more.

    pyoxigraph serialises only the solutions it produced itself, all of them, so the first ones
    are written as SPARQL TSV, whose cells are terms in the N-Triples syntax that pyoxigraph's own
    `str()` gives, and parsed back: the result serialises in every format exactly as the query's
    would have."""
    variables = solutions.variables
    lines = ["\t".join(str(v) for v in variables)]
    count = 0
    truncated = False
    for solution in solutions:
        if count == max_rows:
            truncated = True
            break
        lines.append("\t".join("" if solution[v] is None else str(solution[v]) for v in variables))
        count += 1
    parsed = parse_query_results("\n".join(lines) + "\n", QueryResultsFormat.TSV)
    assert isinstance(parsed, QuerySolutions)
    return parsed, count, truncated


def _format(name: str, offered: Sequence[Format]) -> Format:
    fmt = by_name(name, offered)
    if fmt is None:
        raise ValueError(f"{name!r} is not one of {[f.name for f in offered]}")
    return fmt


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
    "Answer",
    "Job",
    "Output",
    "QueryBoolean",
    "QuerySolutions",
    "QueryTriples",
    "answer",
    "capped_solutions",
    "run_query",
    "service_description",
    "uses_service",
]
