"""Dereferencing, pinned by a table: (entity, Accept, suffix, ?format=) -> (status, Content-Type,
Location); then conditional GET, CORS, Link headers and what a description document holds."""

from __future__ import annotations

import dataclasses
import json
import time
from email.utils import format_datetime
from pathlib import Path

import pytest
import rdflib
from flask import Flask
from pyoxigraph import NamedNode

from lod.config import Settings
from lod.documents import description_document
from lod.formats import DOCUMENT_FORMATS
from lod.ingest import ingest_file
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.vocab import BF
from tests.test_updates import marc_file

LIBRARY = "VN-TESTDEREF"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


def instance(minter: Minter, control: str) -> NamedNode:
    return minter.instance(minter.record_id(LIBRARY, control))


@pytest.fixture(scope="module")
def deref_store(tmp_path_factory: pytest.TempPathFactory, minter: Minter) -> OxigraphStore:
    """Two records of one library, then the second deleted (its IRIs answer 410)."""
    folder = tmp_path_factory.mktemp("deref")
    store = OxigraphStore.open(folder / "store")
    for path, deleted in (("v1.mrc", frozenset()), ("del.mrc", frozenset({"2"}))):
        records = [("1", "Truyện Kiều"), ("2", "Số đỏ")] if not deleted else [("2", "Số đỏ")]
        report = ingest_file(store, marc_file(folder / path, records, deleted), LIBRARY, minter)
        assert report.skipped == 0
    store.flush()
    return store


@pytest.fixture(scope="module")
def deref_app(settings: Settings, deref_store: OxigraphStore) -> Flask:
    from lod.web import create_app

    app = create_app(settings, store=deref_store)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def deref_client(deref_app: Flask):  # type: ignore[no-untyped-def]
    return deref_app.test_client()


LIVE, GONE, UNKNOWN = "live", "gone", "unknown"
# (entity, Accept, suffix, ?format=) -> (status, Content-Type, Location: the suffix it names)
TABLE = [
    # the entity IRI: 303 to the description document chosen by ?format= or Accept
    (LIVE, None, None, None, 303, "text/html", ".html"),
    (LIVE, "*/*", None, None, 303, "text/html", ".html"),
    (LIVE, BROWSER, None, None, 303, "text/html", ".html"),
    (LIVE, "text/turtle", None, None, 303, "text/html", ".ttl"),
    (LIVE, "application/x-turtle", None, None, 303, "text/html", ".ttl"),
    (LIVE, "application/n-triples", None, None, 303, "text/html", ".nt"),
    (LIVE, "application/ld+json", None, None, 303, "text/html", ".jsonld"),
    (LIVE, "application/rdf+xml", None, None, 303, "text/html", ".rdf"),
    (LIVE, "text/turtle;q=0.5, application/ld+json", None, None, 303, "text/html", ".jsonld"),
    (LIVE, "text/turtle", None, "jsonld", 303, "text/html", ".jsonld"),
    (LIVE, "image/png", None, "nt", 303, "text/html", ".nt"),
    (LIVE, None, None, "text/turtle", 303, "text/html", ".ttl"),
    (LIVE, "image/png", None, None, 406, "application/problem+json", None),
    (LIVE, None, None, "pdf", 406, "application/problem+json", None),
    # the documents: the suffix decides, whatever Accept or ?format= say
    (LIVE, "application/ld+json", "ttl", None, 200, "text/turtle", None),
    (LIVE, "text/turtle", "html", None, 200, "text/html", None),
    (LIVE, None, "nt", "jsonld", 200, "application/n-triples", None),
    (LIVE, "image/png", "jsonld", None, 200, "application/ld+json", None),
    (LIVE, None, "rdf", None, 200, "application/rdf+xml", None),
    # unknown and withdrawn, at the IRI and at its documents
    (UNKNOWN, None, None, None, 404, "application/problem+json", None),
    (UNKNOWN, BROWSER, None, None, 404, "text/html", None),
    (UNKNOWN, "text/turtle", "ttl", None, 404, "application/problem+json", None),
    (GONE, "text/turtle", None, None, 410, "application/problem+json", None),
    (GONE, BROWSER, "html", None, 410, "text/html", None),
    (GONE, None, "jsonld", None, 410, "application/problem+json", None),
]


@pytest.mark.parametrize(("entity", "accept", "suffix", "fmt", "status", "content_type", "location"), TABLE)
def test_negotiation_table(
    deref_client,
    minter: Minter,
    entity: str,
    accept: str | None,
    suffix: str | None,
    fmt: str | None,
    status: int,
    content_type: str,
    location: str | None,
) -> None:
    iri = {LIVE: instance(minter, "1"), GONE: instance(minter, "2"), UNKNOWN: instance(minter, "3")}[entity]
    path = minter.path_of(iri.value)
    assert path is not None
    url = path + (f".{suffix}" if suffix else "")
    response = deref_client.get(
        url,
        headers={"Accept": accept} if accept is not None else {},
        query_string={"format": fmt} if fmt else {},
    )
    assert (response.status_code, response.mimetype) == (status, content_type)
    assert response.headers.get("Location") == (path + location if location else None)
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if status == 406:
        offered = response.get_json()["offered"]
        assert offered == [f.media_type for f in DOCUMENT_FORMATS]


def test_303_keeps_other_parameters_and_links_alternates(deref_client, minter: Minter) -> None:
    path = minter.path_of(instance(minter, "1").value)
    response = deref_client.get(
        path, query_string={"incoming": "50", "format": "ttl", "lang": "en"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{path}.ttl?incoming=50&lang=en"
    links = response.headers.getlist("Link")
    for f in DOCUMENT_FORMATS:
        assert f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' in links


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.name)
def test_documents_are_conditional(deref_client, deref_store, minter: Minter, fmt) -> None:
    path = f"{minter.path_of(instance(minter, '1').value)}.{fmt.extension}"
    first = deref_client.get(path)
    again = deref_client.get(path)
    assert first.status_code == 200
    assert first.headers["ETag"] and first.headers["ETag"] == again.headers["ETag"]
    assert first.last_modified is not None  # an on-disk store tells when its data last changed
    assert "public" in first.headers["Cache-Control"]
    cached = deref_client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304 and cached.data == b""
    stale = deref_client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == first.data
    since = deref_client.get(path, headers={"If-Modified-Since": format_datetime(first.last_modified, True)})
    assert since.status_code == 304
    links = first.headers.getlist("Link")
    assert f'<{instance(minter, "1").value}>; rel="describes"' in links
    assert len([link for link in links if 'rel="alternate"' in link]) == len(DOCUMENT_FORMATS)


def test_pages_vary_by_language(deref_client, minter: Minter) -> None:
    path = f"{minter.path_of(instance(minter, '1').value)}.html"
    vi = deref_client.get(path, headers={"Accept-Language": "vi"})
    en = deref_client.get(path, headers={"Accept-Language": "en"})
    assert {"Accept", "Accept-Language", "Cookie"} <= set(vi.vary.as_set(preserve_casing=True))
    assert vi.headers["ETag"] != en.headers["ETag"]  # another language is another representation


def test_cors_preflight_for_a_sparql_post(deref_client) -> None:
    response = deref_client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("suffix", list(RDFLIB))
def test_a_document_holds_the_description_labels_and_incoming_links(
    deref_client, deref_store, minter: Minter, suffix: str
) -> None:
    iri = instance(minter, "1")
    response = deref_client.get(f"{minter.path_of(iri.value)}.{suffix}")
    graph = rdflib.Graph().parse(data=response.data, format=RDFLIB[suffix])
    subject = rdflib.URIRef(iri.value)
    work = graph.value(subject, rdflib.URIRef(BF.instanceOf.value))
    assert work is not None
    assert (work, None, None) in graph  # the label of what it links to comes along
    items = set(graph.subjects(rdflib.URIRef(BF.itemOf.value), subject))
    assert items  # incoming: the library's copy points at the instance
    expected = description_document(deref_store, iri, 0, 50).triples
    assert len(graph) == len(expected)


def test_incoming_links_are_paged_with_a_next_link(
    settings: Settings, deref_store: OxigraphStore, minter: Minter
) -> None:
    from lod.web import create_app

    app = create_app(dataclasses.replace(settings, incoming_page_size=1), store=deref_store)
    library = minter.library(LIBRARY)
    assert deref_store.exists(library)
    incoming = deref_store.incoming(library, 0, 10)
    assert len(incoming) >= 2, "the library needs two incoming links for this test"
    client = app.test_client()
    path = f"{minter.path_of(library.value)}.nt"
    first = client.get(path)
    assert f'<{path}?incoming=1>; rel="next"' in first.headers.getlist("Link")
    second = client.get(path, query_string={"incoming": "1"})
    assert second.status_code == 200 and second.data != first.data
    last = client.get(path, query_string={"incoming": str(len(incoming) - 1)})
    assert not any('rel="next"' in link for link in last.headers.getlist("Link"))


def test_last_modified_follows_the_store(tmp_path: Path, minter: Minter) -> None:
    from lod.documents import snapshot_time

    assert snapshot_time(OxigraphStore.open(None)) is None
    store = OxigraphStore.open(tmp_path / "store")
    ingest_file(store, marc_file(tmp_path / "a.mrc", [("1", "Truyện Kiều")]), LIBRARY, minter)
    store.flush()
    first = snapshot_time(store)
    assert first is not None
    time.sleep(1.1)  # the time is kept to the second, as Last-Modified carries it
    ingest_file(store, marc_file(tmp_path / "b.mrc", [("2", "Số đỏ")]), LIBRARY, minter)
    store.flush()
    later = snapshot_time(store)
    assert later is not None and later > first


def test_the_jsonld_context_is_published_with_cors(deref_client, deref_store, minter: Minter) -> None:
    response = deref_client.get("/context.jsonld", headers={"Origin": "https://example.org"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"]
    context = response.get_json()
    assert context["@context"]["bf"] == "http://id.loc.gov/ontologies/bibframe/"
    # a program can expand our JSON-LD documents with the published context and get the same graph
    document = deref_client.get(f"{minter.path_of(instance(minter, '1').value)}.jsonld").get_json()
    document["@context"] = context["@context"]
    expanded = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    expected = description_document(deref_store, instance(minter, "1"), 0, 50).triples
    assert len(expanded) == len(expected) > 10
