"""The SPARQL 1.1 Protocol endpoint, over the real store."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
import rdflib

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count_of(store) -> int:  # type: ignore[no-untyped-def]
    return store.triple_count()


def test_get_count_as_json(client, store) -> None:
    response = client.get(
        "/sparql", query_string={"query": COUNT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    value = response.get_json()["results"]["bindings"][0]["n"]["value"]
    assert int(value) == count_of(store) > 1000


def test_default_for_any_client_is_json(client) -> None:
    response = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "*/*"})
    assert response.mimetype == "application/sparql-results+json"


def test_post_form_and_post_query_body(client, store) -> None:
    form = client.post("/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"})
    assert form.status_code == 200 and form.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(form.data.decode())))
    assert rows[0] == ["n"] and int(rows[1][0]) == count_of(store)
    body = client.post(
        "/sparql",
        data=COUNT.encode(),
        content_type="application/sparql-query",
        headers={"Accept": "text/tab-separated-values"},
    )
    assert body.status_code == 200 and body.mimetype == "text/tab-separated-values"
    assert body.data.decode().splitlines()[0] == "?n"


def test_xml_results(client) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    root = ET.fromstring(response.data)
    boolean = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert boolean is not None and boolean.text == "true"


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_rdf_formats(client, accept: str, rdflib_format: str) -> None:
    query = (
        "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "
        "CONSTRUCT { ?w a bf:Work } WHERE { ?w a bf:Work }"
    )
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    works = set(graph.subjects())
    assert len(works) > 30


def test_describe_query(client, minter) -> None:
    iri = minter.instance(minter.record_id("DEMO-VN1", "TVD240000101")).value
    response = client.get(
        "/sparql", query_string={"query": f"DESCRIBE <{iri}>"}, headers={"Accept": "text/turtle"}
    )
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    assert (rdflib.URIRef(iri), None, None) in graph


def test_bad_query_is_400_with_parser_message(client) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "SELEC * WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "1:1" in response.get_json()["detail"] or "expected" in response.get_json()["detail"]


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
    before = count_of(store)
    response = client.open("/sparql", headers={"Accept": "application/json"}, **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.get_json()["detail"] or "chỉ cho phép đọc" in response.get_json()["detail"]
    assert count_of(store) == before


def test_update_in_query_parameter_is_a_syntax_error_and_changes_nothing(client, store) -> None:
    before = count_of(store)
    response = client.get("/sparql", query_string={"query": "INSERT DATA { <a:b> <a:b> <a:b> }"})
    assert response.status_code == 400
    assert count_of(store) == before


def test_service_is_refused_before_running(client) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
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


def test_wrong_content_type_is_415(client) -> None:
    response = client.post(
        "/sparql", data=b"{}", content_type="application/json", headers={"Accept": "application/json"}
    )
    assert response.status_code == 415


def test_unacceptable_result_format_is_406(client) -> None:
    response = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.get_json()["offered"]


def test_default_graph_uri_restricts_the_dataset(client, minter) -> None:
    """The shared graph holds no catalogued Work (those live in record graphs); the only Works
    there are the shared Series (typed bf:Series and bf:Work)."""
    shared = minter.shared_graph().value
    prefix = "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "

    def count(where: str, graph: str | None = None) -> int:
        query_string = {"query": prefix + "SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { " + where + " }"}
        if graph is not None:
            query_string["default-graph-uri"] = graph
        response = client.get("/sparql", query_string=query_string, headers={"Accept": "application/json"})
        return int(response.get_json()["results"]["bindings"][0]["n"]["value"])

    catalogued = "?w a bf:Work ; bf:hasInstance ?i"
    assert count(catalogued, shared) == 0
    assert count(catalogued) > 0
    series = count("?w a bf:Work, bf:Series", shared)
    assert series > 0
    assert count("?w a bf:Work", shared) == series
    query = prefix + "SELECT (COUNT(?w) AS ?n) WHERE { ?w a bf:Work }"
    bad = client.get(
        "/sparql",
        query_string={"query": query, "default-graph-uri": "not an iri"},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400


def test_form_page_and_service_description(client) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<textarea" in page.data.decode()
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=description.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in graph
    assert (None, sd.feature, sd.UnionDefaultGraph) in graph


def test_html_results_table(client) -> None:
    response = client.post(
        "/sparql", data={"query": COUNT, "format": "html"}, headers={"Accept-Language": "vi"}
    )
    page = response.data.decode()
    assert response.status_code == 200 and "<table>" in page
    assert '<h2 id="results">Kết quả</h2>' in page
