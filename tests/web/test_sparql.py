"""The SPARQL 1.1 Protocol endpoint, run against the real app over the real store: every method,
every result format (parsed, and compared with what the store itself answers), every error, and
the endpoint's protection (time limit, row cap, client budget, federation setting)."""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from pyoxigraph import RdfFormat, serialize
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.query import Result

from lod.config import Settings, load_settings
from lod.store import OxigraphStore
from lod.web import create_app
from lod.web.sparql import TRUNCATED_HEADER, protection_of
from tests.conftest import BASE

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""A cross product of every statement with itself four times: runs for ever on the sample."""
PREFIXES = (
    "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX schema: <http://schema.org/> "
)
SELECT = PREFIXES + (
    "SELECT ?instance ?title (STRLEN(?title) AS ?length) ?missing WHERE { "
    "?instance a bf:Instance ; bf:title/bf:mainTitle ?title "
    "OPTIONAL { ?instance <http://example.org/none> ?missing } } ORDER BY ?instance ?title LIMIT 40"
)
"""IRIs, language-tagged Vietnamese literals, integers and an unbound variable."""
CONSTRUCT = PREFIXES + (
    "CONSTRUCT { ?i a bf:Instance ; bf:title ?t . ?t ?p ?o } "
    "WHERE { ?i a bf:Instance ; bf:title ?t . ?t ?p ?o }"
)
"""Titles are blank nodes: the graphs compare by isomorphism."""

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RDF_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}
METHODS = ("GET", "POST form", "POST query")


def ask(client: Any, method: str, query: str, accept: str, **params: str | list[str]) -> Any:
    """The query sent by one of the protocol's three ways; `params` go in the URL (GET, and POST
    of the query itself) or in the form."""
    headers = {"Accept": accept}
    if method == "GET":
        return client.get("/sparql", query_string={"query": query, **params}, headers=headers)
    if method == "POST form":
        return client.post("/sparql", data={"query": query, **params}, headers=headers)
    return client.post(
        "/sparql",
        data=query.encode("utf-8"),
        content_type="application/sparql-query",
        query_string=params,
        headers=headers,
    )


def parsed_results(body: bytes, fmt: str) -> Result:
    return Result.parse(io.BytesIO(body), format=fmt)


def expected_rows(store: OxigraphStore, query: str, values_only: bool = False) -> list[tuple[Any, ...]]:
    """The store's own answer as rdflib terms (or their string values, for CSV)."""
    result = store.query(query)
    variables = [v.value for v in result.variables]  # type: ignore[union-attr]
    rows = []
    for solution in result:  # type: ignore[union-attr]
        terms = [solution[v] for v in variables]
        if values_only:
            rows.append(tuple(None if t is None else t.value for t in terms))
        else:
            rows.append(tuple(None if t is None else rdflib.util.from_n3(str(t)) for t in terms))
    return rows


def rows_of(result: Result, values_only: bool = False) -> list[tuple[Any, ...]]:
    rows = []
    for binding in result.bindings:
        terms = [binding.get(v) for v in result.vars or []]
        rows.append(tuple(None if t is None else str(t) if values_only else t for t in terms))
    return rows


def expected_graph(store: OxigraphStore, query: str) -> rdflib.Graph:
    data = serialize(store.query(query), format=RdfFormat.N_TRIPLES) or b""  # type: ignore[arg-type]
    return rdflib.Graph().parse(data=data, format="nt")


def assert_isomorphic(expected: rdflib.Graph, got: rdflib.Graph) -> None:
    if not isomorphic(expected, got):
        _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        missing, extra = only_expected.serialize(format="nt"), only_got.serialize(format="nt")
        raise AssertionError(f"only expected:\n{missing}\nonly got:\n{extra}")


# every method, every format ------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", RESULT_TYPES)
def test_select_in_every_format_by_every_method(client, store, method: str, fmt: str) -> None:
    response = ask(client, method, SELECT, RESULT_TYPES[fmt])
    assert response.status_code == 200, response.data
    assert response.mimetype == RESULT_TYPES[fmt]
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert TRUNCATED_HEADER not in response.headers
    result = parsed_results(response.data, fmt)
    assert [v.toPython().lstrip("?") for v in result.vars or []] == ["instance", "title", "length", "missing"]
    values_only = fmt == "csv"  # CSV has no term types
    expected = expected_rows(store, SELECT, values_only)
    assert len(expected) == 40 and any(not str(row[1]).isascii() for row in expected)
    assert rows_of(result, values_only) == expected


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", RESULT_TYPES)
@pytest.mark.parametrize("answer", [True, False])
def test_ask_in_every_format_by_every_method(client, method: str, fmt: str, answer: bool) -> None:
    query = PREFIXES + ("ASK { ?w a bf:Work }" if answer else "ASK { ?w a <http://example.org/Nothing> }")
    response = ask(client, method, query, RESULT_TYPES[fmt])
    assert response.status_code == 200 and response.mimetype == RESULT_TYPES[fmt]
    if fmt in {"json", "xml"}:
        assert parsed_results(response.data, fmt).askAnswer is answer
    else:  # the CSV/TSV results format defines no boolean: the word itself
        assert response.data.decode().strip() == str(answer).lower()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", RDF_TYPES)
def test_construct_in_every_rdf_format_by_every_method(client, store, method: str, fmt: str) -> None:
    response = ask(client, method, CONSTRUCT, RDF_TYPES[fmt])
    assert response.status_code == 200 and response.mimetype == RDF_TYPES[fmt]
    got = rdflib.Graph().parse(data=response.data, format=fmt)
    expected = expected_graph(store, CONSTRUCT)
    assert len(expected) > 200
    assert_isomorphic(expected, got)


@pytest.mark.parametrize("fmt", RDF_TYPES)
def test_describe_in_every_rdf_format(client, store, minter, fmt: str) -> None:
    iri = minter.instance(minter.record_id("DEMO-VN1", "TVD240000101")).value
    query = f"DESCRIBE <{iri}>"
    response = ask(client, "GET", query, RDF_TYPES[fmt])
    assert response.status_code == 200 and response.mimetype == RDF_TYPES[fmt]
    got = rdflib.Graph().parse(data=response.data, format=fmt)
    assert (rdflib.URIRef(iri), None, None) in got
    assert_isomorphic(expected_graph(store, query), got)


def test_any_client_gets_json_and_a_browser_gets_the_page(client) -> None:
    for accept in ("*/*", ""):
        response = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": accept})
        assert response.mimetype == "application/sparql-results+json"
    page = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and "<table>" in page.data.decode()


def test_format_parameter_overrides_accept(client) -> None:
    response = client.get(
        "/sparql", query_string={"query": COUNT, "format": "csv"}, headers={"Accept": "application/json"}
    )
    assert response.mimetype == "text/csv"


def test_html_results_table(client) -> None:
    response = client.post(
        "/sparql", data={"query": COUNT, "format": "html"}, headers={"Accept-Language": "vi"}
    )
    page = response.data.decode()
    assert response.status_code == 200 and "<table>" in page
    assert '<h2 id="results">Kết quả</h2>' in page


# the dataset -------------------------------------------------------------------------------------
def test_default_graph_uri_restricts_the_dataset(client, minter) -> None:
    """The shared graph holds no catalogued Work (those live in record graphs); the only Works
    there are the shared Series (typed bf:Series and bf:Work)."""
    shared = minter.shared_graph().value

    def count(where: str, graph: str | None = None, method: str = "GET") -> int:
        query = PREFIXES + "SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { " + where + " }"
        params = {} if graph is None else {"default-graph-uri": graph}
        response = ask(client, method, query, "application/json", **params)
        return int(response.get_json()["results"]["bindings"][0]["n"]["value"])

    catalogued = "?w a bf:Work ; bf:hasInstance ?i"
    for method in METHODS:
        assert count(catalogued, shared, method) == 0
    assert count(catalogued) > 0
    series = count("?w a bf:Work, bf:Series", shared)
    assert series > 0
    assert count("?w a bf:Work", shared) == series


def test_named_graph_uri_restricts_the_named_graphs(client, minter) -> None:
    shared = minter.shared_graph().value
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = ask(client, "GET", query, "application/json").get_json()["results"]["bindings"]
    assert len(everything) > 10
    for method in METHODS:
        response = ask(client, method, query, "application/json", **{"named-graph-uri": shared})
        graphs = [b["g"]["value"] for b in response.get_json()["results"]["bindings"]]
        assert graphs == [shared]


def test_a_bad_graph_iri_is_400(client) -> None:
    response = ask(client, "GET", COUNT, "application/json", **{"default-graph-uri": "not an iri"})
    assert response.status_code == 400


# errors ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_syntax_error_is_400_with_the_parser_message(client, method: str) -> None:
    response = ask(client, method, "SELEC * WHERE { ?s ?p ?o }", "application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "1:1" in response.get_json()["detail"]


def test_two_query_parameters_are_400(client) -> None:
    twice = client.get(
        "/sparql", query_string={"query": [COUNT, COUNT]}, headers={"Accept": "application/json"}
    )
    assert twice.status_code == 400
    form = client.post("/sparql", data={"query": [COUNT, COUNT]}, headers={"Accept": "application/json"})
    assert form.status_code == 400
    both = client.post(
        "/sparql",
        query_string={"query": COUNT},
        data={"query": COUNT},
        headers={"Accept": "application/json"},
    )
    assert both.status_code == 400


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
def test_another_body_type_is_415(client, content_type: str | None) -> None:
    response = client.post(
        "/sparql", data=COUNT.encode(), content_type=content_type, headers={"Accept": "application/json"}
    )
    assert response.status_code == 415
    assert "application/sparql-query" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("query", "offered"),
    [(COUNT, "application/sparql-results+json"), (CONSTRUCT, "text/turtle"), (None, "text/turtle")],
)
def test_unacceptable_format_is_406_listing_the_offered_types(client, query: str | None, offered) -> None:
    params = {} if query is None else {"query": query}
    response = client.get("/sparql", query_string=params, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert offered in response.get_json()["offered"]


def test_a_construct_asked_for_in_a_results_format_is_406(client) -> None:
    response = client.get(
        "/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 406
    assert "text/turtle" in response.get_json()["offered"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "query_string": {"update": "INSERT DATA { <a:b> <a:b> <a:b> }"}},
        {"method": "POST", "data": {"update": "INSERT DATA { <a:b> <a:b> <a:b> }"}},
        {
            "method": "POST",
            "data": b"INSERT DATA { <a:b> <a:b> <a:b> }",
            "content_type": "application/sparql-update",
        },
    ],
)
def test_updates_are_refused(client, store, request_kwargs) -> None:
    before = store.triple_count()
    response = client.open(
        "/sparql", headers={"Accept": "application/json", "Accept-Language": "en"}, **request_kwargs
    )
    assert response.status_code == 403
    assert "read-only" in response.get_json()["detail"]
    assert store.triple_count() == before


def test_update_in_query_parameter_is_a_syntax_error_and_changes_nothing(client, store) -> None:
    before = store.triple_count()
    response = client.get("/sparql", query_string={"query": "INSERT DATA { <a:b> <a:b> <a:b> }"})
    assert response.status_code == 400
    assert store.triple_count() == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client, method: str) -> None:
    response = client.open("/sparql", method=method, headers={"Accept": "application/json"})
    assert response.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_service_is_refused_before_running(client) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/json", "Accept-Language": "en"},
    )
    assert response.status_code == 403
    assert "SERVICE" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("query", "uses"),
    [
        ("SELECT * WHERE { SERVICE <x:y> { ?s ?p ?o } }", True),
        ("select * where { service silent <x:y> { ?s ?p ?o } }", True),
        ('SELECT * WHERE { ?s ?p "SERVICE" }', False),
        ("SELECT * WHERE { ?s <http://ex/SERVICE> ?o }", False),
        ("SELECT * WHERE { ?s ex:SERVICE ?o }", False),
        ("# SERVICE in a comment\nSELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT ?SERVICE WHERE { ?SERVICE ?p ?o }", False),
    ],
)
def test_service_detection(query: str, uses: bool) -> None:
    from lod.sparql import uses_service

    assert uses_service(query) is uses


# the bare endpoint -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", RDF_TYPES)
def test_service_description_on_a_bare_get(client, fmt: str) -> None:
    response = client.get("/sparql", headers={"Accept": RDF_TYPES[fmt]})
    assert response.status_code == 200 and response.mimetype == RDF_TYPES[fmt]
    graph = rdflib.Graph().parse(data=response.data, format=fmt)
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = rdflib.Namespace("http://www.w3.org/ns/formats/")
    service = graph.value(None, rdflib.RDF.type, sd.Service)
    assert service is not None
    assert (service, sd.endpoint, rdflib.URIRef(BASE + "sparql")) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    assert {formats.SPARQL_Results_JSON, formats.SPARQL_Results_CSV, formats.Turtle} <= set(
        graph.objects(service, sd.resultFormat)
    )


def test_form_page_shows_the_limits(client) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html", "Accept-Language": "en"})
    text = page.data.decode()
    assert page.status_code == 200 and "<textarea" in text
    assert "At most 10,000 result rows" in text
    assert "Each client address gets 60 s of query time per 60 s" in text
    assert "Federated queries (SERVICE) are off." in text
    # the store of these tests is in memory: queries run in the server process, and the page says so
    assert "there is no time limit" in text
    vi = client.get("/sparql", headers={"Accept": "text/html", "Accept-Language": "vi"}).data.decode()
    assert "Tối đa 10.000 dòng kết quả" in vi


# the row cap -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def capped_client(settings: Settings, store: OxigraphStore):  # type: ignore[no-untyped-def]
    app = create_app(dataclasses.replace(settings, sparql_max_rows=7), store=store)
    return app.test_client()


@pytest.mark.parametrize("fmt", RESULT_TYPES)
def test_the_row_cap_cuts_select_and_says_so(capped_client, fmt: str) -> None:
    response = ask(capped_client, "GET", "SELECT * WHERE { ?s ?p ?o }", RESULT_TYPES[fmt])
    assert response.status_code == 200
    assert response.headers[TRUNCATED_HEADER] == "7"
    assert len(list(parsed_results(response.data, fmt).bindings)) == 7
    under = ask(capped_client, "GET", "SELECT * WHERE { ?s ?p ?o } LIMIT 7", RESULT_TYPES[fmt])
    assert TRUNCATED_HEADER not in under.headers
    assert len(list(parsed_results(under.data, fmt).bindings)) == 7


@pytest.mark.parametrize("fmt", RDF_TYPES)
def test_the_row_cap_cuts_construct_and_says_so(capped_client, fmt: str) -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    response = ask(capped_client, "GET", query, RDF_TYPES[fmt])
    assert response.status_code == 200 and response.headers[TRUNCATED_HEADER] == "7"
    assert len(rdflib.Graph().parse(data=response.data, format=fmt)) == 7


def test_the_html_page_says_the_results_were_cut(capped_client) -> None:
    response = capped_client.post(
        "/sparql",
        data={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "html"},
        headers={"Accept-Language": "en"},
    )
    page = response.data.decode()
    assert response.headers[TRUNCATED_HEADER] == "7"
    assert page.count("<tr>") == 8  # the header row and 7 rows
    assert "The results were cut: only the first 7 rows are here." in page
    assert "At most 7 result rows" in page


# federation --------------------------------------------------------------------------------------
def test_federation_when_the_setting_allows_it(settings: Settings, store: OxigraphStore, server: str) -> None:
    """SERVICE to a real `lod serve` on loopback: refused by default, answered when allowed."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{server}/sparql> {{ ?s a ?type }} }}"
    refused = ask(create_app(settings, store=store).test_client(), "GET", query, "application/json")
    assert refused.status_code == 403
    allowed = create_app(
        dataclasses.replace(settings, sparql_federation=True),
        store=store,
    )
    response = ask(allowed.test_client(), "GET", query, "application/json")
    assert response.status_code == 200, response.data
    assert int(response.get_json()["results"]["bindings"][0]["n"]["value"]) > 1000
    page = allowed.test_client().get("/sparql", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert "Federated queries (SERVICE) are allowed" in page.data.decode()


# the time limit and the budget, over a store on disk ---------------------------------------------
def disk_app(store: Path, tmp_path: Path, **overrides: Any):  # type: ignore[no-untyped-def]
    settings = load_settings(
        env={},
        overrides={
            "store": str(store),
            "sparql_budget_db": str(tmp_path / "budget.sqlite3"),
            "sparql_workers": 1,
            **overrides,
        },
    )
    return create_app(settings)


@pytest.fixture()
def limited_app(served_store: Path, tmp_path: Path) -> Iterator[Any]:
    app = disk_app(served_store, tmp_path, sparql_timeout=1, sparql_budget=0)
    yield app
    protection_of(app).runner.shutdown()


def test_nothing_starts_with_the_app(limited_app) -> None:
    assert protection_of(limited_app).runner.pids() == []
    limited_app.test_client().get("/sparql", headers={"Accept": "text/html"})
    assert protection_of(limited_app).runner.pids() == []


def test_a_query_past_the_time_limit_is_stopped(limited_app) -> None:
    client = limited_app.test_client()
    runner = protection_of(limited_app).runner
    first = ask(client, "GET", COUNT, "application/json")
    assert first.status_code == 200
    count = first.get_json()["results"]["bindings"][0]["n"]["value"]
    (pid,) = runner.pids()
    started = time.monotonic()
    for lang, words in (("en", "limit of 1 s"), ("vi", "giới hạn 1 giây")):
        response = client.get(
            "/sparql",
            query_string={"query": RUNAWAY},
            headers={"Accept": "application/json", "Accept-Language": lang},
        )
        assert response.status_code == 503
        assert words in response.get_json()["detail"]
    assert time.monotonic() - started < 60  # stopped, not run to their end
    assert not Path(f"/proc/{pid}").exists()
    again = ask(client, "GET", COUNT, "application/json")
    assert again.status_code == 200 and again.get_json()["results"]["bindings"][0]["n"]["value"] == count
    page = client.get("/sparql", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert "Each query may run for 1 s; past that it is stopped (HTTP 503)." in page.data.decode()


def test_the_budget_answers_429_with_retry_after_and_recovers(served_store: Path, tmp_path: Path) -> None:
    """1 s of query time per 1 s: a query stopped at the 2 s limit leaves the client 1 s over."""
    app = disk_app(served_store, tmp_path, sparql_timeout=2, sparql_budget=1, sparql_budget_window=1)
    client = app.test_client()
    visitor = {"REMOTE_ADDR": "192.0.2.1"}
    try:
        stopped = client.get("/sparql", query_string={"query": RUNAWAY}, environ_base=visitor)
        assert stopped.status_code == 503
        for lang, words in (("en", "used up your query time (1 s per 1 s)"), ("vi", "dùng hết thời gian")):
            refused = client.get(
                "/sparql",
                query_string={"query": COUNT},
                headers={"Accept": "application/json", "Accept-Language": lang},
                environ_base=visitor,
            )
            assert refused.status_code == 429
            assert words in refused.get_json()["detail"]
        retry_after = int(refused.headers["Retry-After"])
        assert 1 <= retry_after <= 2
        other = client.get(
            "/sparql",
            query_string={"query": COUNT},
            headers={"Accept": "application/json"},
            environ_base={"REMOTE_ADDR": "192.0.2.2"},
        )
        assert other.status_code == 200
        time.sleep(retry_after)
        again = client.get(
            "/sparql",
            query_string={"query": COUNT},
            headers={"Accept": "application/json"},
            environ_base=visitor,
        )
        assert again.status_code == 200
    finally:
        protection_of(app).runner.shutdown()


def test_the_row_cap_applies_in_the_workers(served_store: Path, tmp_path: Path) -> None:
    app = disk_app(served_store, tmp_path, sparql_max_rows=3)
    try:
        response = ask(app.test_client(), "POST query", "SELECT * WHERE { ?s ?p ?o }", "text/csv")
        assert response.headers[TRUNCATED_HEADER] == "3" and len(response.data.splitlines()) == 4
        assert len(protection_of(app).runner.pids()) == 1
    finally:
        protection_of(app).runner.shutdown()


def test_settings_out_of_range_fail_when_the_app_is_built(settings: Settings, store: OxigraphStore) -> None:
    from lod.errors import ConfigError

    with pytest.raises(ConfigError, match="sparql_timeout"):
        create_app(
            dataclasses.replace(settings, sparql_timeout=0),
            store=store,
        )


@pytest.mark.parametrize(
    ("configured", "store", "expected"),
    [
        ("", "/srv/lod/store", "/srv/lod/store-sparql-budget.sqlite3"),
        ("", "/srv/lod/store/", "/srv/lod/store-sparql-budget.sqlite3"),
        ("", "http://127.0.0.1:7878", "var/sparql-budget.sqlite3"),
        ("", ":memory:", ":memory:"),
        ("/var/lib/lod/budget.sqlite3", "/srv/lod/store", "/var/lib/lod/budget.sqlite3"),
        ("/var/lib/lod/budget.sqlite3", ":memory:", ":memory:"),
    ],
)
def test_where_the_budget_is_counted(settings: Settings, configured: str, store: str, expected: str) -> None:
    from lod.web.sparql import budget_path

    assert budget_path(dataclasses.replace(settings, sparql_budget_db=configured), store) == expected
