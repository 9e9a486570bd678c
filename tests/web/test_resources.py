"""Dereferencing entity IRIs against the real app over the real sample store."""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from lod.formats import DOCUMENT_FORMATS, NTRIPLES, serialize_triples
from lod.uris import Minter

KIEU = ("DEMO-VN1", "TVD240000101")  # Truyện Kiều, hand-made sample record


@pytest.fixture(scope="module")
def kieu_path(minter: Minter) -> str:
    path = minter.path_of(minter.instance(minter.record_id(*KIEU)).value)
    assert path is not None
    return path


RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def expected_graph(store, minter: Minter) -> rdflib.Graph:  # type: ignore[no-untyped-def]
    iri = minter.instance(minter.record_id(*KIEU))
    graph = rdflib.Graph()
    graph.parse(data=serialize_triples(store.describe(iri), NTRIPLES).decode(), format="nt")
    return graph


@pytest.mark.parametrize("media_type", list(RDFLIB_FORMATS))
def test_accept_gives_each_rdf_format_with_the_same_graph(
    client, store, minter, kieu_path, media_type
) -> None:
    response = client.get(kieu_path, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    graph = rdflib.Graph().parse(data=response.data, format=RDFLIB_FORMATS[media_type])
    assert len(graph) > 20
    assert isomorphic(graph, expected_graph(store, minter))
    assert response.headers["Content-Location"].endswith(
        "." + next(f.extension for f in DOCUMENT_FORMATS if f.media_type == media_type)
    )


def test_turtle_keeps_vietnamese_text(client, kieu_path) -> None:
    body = client.get(kieu_path, headers={"Accept": "text/turtle"}).data.decode("utf-8")
    assert "Truyện Kiều" in body


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.name)
def test_suffix_and_format_parameter_override_accept(client, kieu_path, fmt) -> None:
    by_suffix = client.get(f"{kieu_path}.{fmt.extension}", headers={"Accept": "image/png"})
    by_param = client.get(kieu_path, query_string={"format": fmt.name}, headers={"Accept": "image/png"})
    for response in (by_suffix, by_param):
        assert response.status_code == 200
        assert response.mimetype == fmt.media_type


def test_browser_gets_the_page(client, kieu_path) -> None:
    response = client.get(
        kieu_path, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode("utf-8")
    assert "<h1>Truyện Kiều" in page
    assert "Nguyễn Du" in page
    assert 'type="application/ld+json"' in page
    assert '<meta name="DC.title" content="Truyện Kiều' in page


def test_page_embeds_schema_org_jsonld(client, kieu_path) -> None:
    page = client.get(kieu_path + ".html").data.decode("utf-8")
    raw = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)
    graph = rdflib.Graph().parse(data=json.dumps(data), format="json-ld")
    names = {str(o) for o in graph.objects(None, rdflib.URIRef("http://schema.org/name"))}
    assert any(name.startswith("Truyện Kiều") for name in names)


def test_link_headers_list_every_alternate(client, kieu_path) -> None:
    link = client.get(kieu_path, headers={"Accept": "text/turtle"}).headers["Link"]
    for fmt in DOCUMENT_FORMATS:
        assert f'<{kieu_path}.{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"' in link


def test_unacceptable_accept_is_406_listing_offered(client, kieu_path) -> None:
    response = client.get(kieu_path, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"
    assert "Accept" in response.headers["Vary"]
    problem = response.get_json()
    assert problem["status"] == 406
    assert problem["offered"] == [f.media_type for f in DOCUMENT_FORMATS]


def test_unknown_entity_is_404(client, minter) -> None:
    response = client.get("/resource/instance/doesnotexist", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.get_json()["detail"].endswith("resource/instance/doesnotexist")


def test_unknown_kind_is_404_page_for_browsers(client) -> None:
    response = client.get("/resource/book/x", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "404" in response.data.decode()


def test_agent_topic_library_and_work_pages_resolve(client, store, minter) -> None:
    from pyoxigraph import NamedNode

    iri = minter.instance(minter.record_id(*KIEU))
    linked = {t.object.value for t in store.describe(iri) if isinstance(t.object, NamedNode)}
    kinds = {ref.kind for ref in (minter.parse(i) for i in linked) if ref is not None}
    work = minter.work(minter.record_id(*KIEU)).value
    work_links = {
        t.object.value
        for t in store.describe(minter.work(minter.record_id(*KIEU)))
        if isinstance(t.object, NamedNode)
    }
    kinds |= {ref.kind for ref in (minter.parse(i) for i in work_links) if ref is not None}
    assert {"work", "agent", "topic", "library"} <= kinds
    for target in sorted(linked | work_links | {work}):
        if minter.parse(target) is None:
            continue
        response = client.get(minter.path_of(target), headers={"Accept": "text/turtle"})
        assert response.status_code == 200, target


def test_incoming_links_are_paged(settings, store, minter) -> None:
    import dataclasses

    from lod.web import create_app

    library = minter.library("DEMO-VN1")
    total = sum(1 for _ in store.incoming(library, 0, 10_000))
    assert total > 3
    client = create_app(dataclasses.replace(settings, incoming_page_size=2), store=store).test_client()
    path = minter.path_of(library.value)
    first = client.get(path + ".html").data.decode()
    assert 'rel="next" href="?incoming=2"' in first
    last = client.get(path + ".html", query_string={"incoming": total - 1}).data.decode()
    assert 'rel="next"' not in last
    assert client.get(path + ".html", query_string={"incoming": "x"}).status_code == 400


def test_record_values_are_escaped_in_html(client, store, minter) -> None:
    from pyoxigraph import Literal, Triple

    from lod.store import RecordGraph
    from lod.vocab import BF, RDF, RDFS

    node = minter.instance("xss-test")
    store.replace_records(
        [
            RecordGraph(
                minter.record_graph("xss-test"),
                [
                    Triple(node, RDF.type, BF.Instance),
                    Triple(node, RDFS.label, Literal('<script>alert("x")</script>')),
                ],
                [],
            )
        ],
        minter.shared_graph(),
    )
    try:
        page = client.get(minter.path_of(node.value) + ".html").data.decode()
        assert '<script>alert("x")</script>' not in page
        assert "&lt;script&gt;" in page
    finally:
        store.remove_record(minter.record_graph("xss-test"))


def test_language_switch(app, kieu_path) -> None:
    client = app.test_client()
    english = client.get(kieu_path + ".html", query_string={"lang": "en"})
    assert '<html lang="en">' in english.data.decode() and "Subjects" in english.data.decode()
    assert "lang=en" in english.headers["Set-Cookie"]
    remembered = client.get(kieu_path + ".html", headers={"Accept-Language": "vi"})
    assert "Subjects" in remembered.data.decode()  # the cookie beats Accept-Language
    vietnamese = app.test_client().get(kieu_path + ".html", headers={"Accept-Language": "vi,en;q=0.5"})
    assert '<html lang="vi">' in vietnamese.data.decode() and "Chủ đề" in vietnamese.data.decode()
    by_header = app.test_client().get(kieu_path + ".html", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Subjects" in by_header.data.decode()
    default = app.test_client().get(kieu_path + ".html")
    assert '<html lang="vi">' in default.data.decode()


def test_items_link_instance_and_library(client, store, minter) -> None:
    from lod.vocab import BF

    rows = list(
        store.query(
            "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "
            "SELECT ?item ?instance ?library WHERE { ?item bf:itemOf ?instance ; bf:heldBy ?library }"
        )
    )
    assert len(rows) >= 3
    item = rows[0]["item"]
    turtle = client.get(minter.path_of(item.value) + ".ttl").data
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (
        rdflib.URIRef(item.value),
        rdflib.URIRef(BF.heldBy.value),
        rdflib.URIRef(rows[0]["library"].value),
    ) in graph
    page = client.get(
        minter.path_of(rows[0]["instance"].value) + ".html", query_string={"lang": "en"}
    ).data.decode()
    assert "Held by" in page and minter.path_of(rows[0]["library"].value) in page
