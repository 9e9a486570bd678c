"""`lod serve` as a real process on a free port, spoken to over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib

pytestmark = pytest.mark.server


def fetch(url: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def first_instance(server: str) -> str:
    query = (
        "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "
        "SELECT ?i WHERE { ?i a bf:Instance } ORDER BY ?i LIMIT 1"
    )
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": query})
    _, _, body = fetch(url, "application/sparql-results+json")
    return str(json.loads(body)["results"]["bindings"][0]["i"]["value"])


DEFAULT_BASE = "http://127.0.0.1:5000"


def test_instance_turtle_over_http(server: str) -> None:
    iri = first_instance(server)
    assert iri.startswith(DEFAULT_BASE + "/resource/instance/")
    status, headers, body = fetch(server + iri.removeprefix(DEFAULT_BASE), "text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert "Accept" in headers["Vary"]
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (
        rdflib.URIRef(iri),
        rdflib.RDF.type,
        rdflib.URIRef("http://id.loc.gov/ontologies/bibframe/Instance"),
    ) in graph


def test_sparql_count_in_json(server: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, headers, body = fetch(
        f"{server}/sparql?" + urllib.parse.urlencode({"query": query}), "application/sparql-results+json"
    )
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 5000


def test_errors_over_http(server: str) -> None:
    status, headers, body = fetch(f"{server}/resource/instance/nope", "text/turtle")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
    path = first_instance(server).removeprefix(DEFAULT_BASE)
    status, _, body = fetch(server + path, "image/png")
    assert status == 406 and "text/turtle" in json.loads(body)["offered"]


def test_home_page(server: str) -> None:
    status, headers, body = fetch(server + "/", "text/html")
    assert status == 200 and "Dữ liệu mở thư viện Việt Nam" in body.decode("utf-8")
    assert headers["Server"] == "lod"
