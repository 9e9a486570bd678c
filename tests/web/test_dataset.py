"""The dataset described for portals and harvesters, through the real app over a real store (the
registry with the Vietnamese and Koha samples, tests/test_libraries.py, plus three of the sample's
foreign libraries, reclustered so that the figures are kept) and a real dump of it (lod.dumps):
/.well-known/void and /catalog in every format, checked against the kept figures, the dump's
manifest and the shapes; the CKAN API as a CKAN harvester reads it; the sitemap and robots.txt."""

from __future__ import annotations

import dataclasses
import json
import shutil
import urllib.request
import urllib.robotparser
from datetime import date
from typing import Any
from xml.etree import ElementTree

import pytest
import rdflib
from flask import Flask
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID

from lod import sitemap
from lod.config import Settings
from lod.dataset import ENTITY_CLASSES, VIETNAM, ckan_name
from lod.dumps import DumpReport, write_dumps
from lod.figures import kept_figures
from lod.ingest import ingest_file
from lod.store import OxigraphStore
from lod.unions import recluster
from lod.uris import Minter
from lod.validation import validate_graph
from lod.web import create_app
from tests.conftest import sample_entries
from tests.test_libraries import PLACEHOLDER, build_store
from tests.web.test_browser import CHROMIUM_ARGS, PHONE, horizontal_overflow
from tests.web.test_dumps_page import dumps_server  # noqa: F401  (fixture: `lod serve` with a dump)
from tests.web.test_resources import page_of

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
IANA = "http://www.iana.org/assignments/media-types/"
LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/"
RDF_SUFFIXES = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}
DOCUMENTS = ("/.well-known/void", "/catalog")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CKAN_PACKAGE_FIELDS = {
    "id": str, "name": str, "title": str, "notes": str, "type": str, "state": str, "private": bool,
    "url": str, "version": str, "license_id": str, "license_title": str, "license_url": str,
    "isopen": bool, "author": str, "maintainer": str, "metadata_created": str,
    "metadata_modified": str, "owner_org": str, "organization": dict, "num_resources": int,
    "resources": list, "num_tags": int, "tags": list, "groups": list, "extras": list,
    "relationships_as_subject": list, "relationships_as_object": list,
}  # fmt: skip
"""package_show's fields as CKAN documents them (ckan.logic.action.get.package_show, the default
package schema) and ckanext-harvest's CKANHarvester reads them, with their JSON types."""
CKAN_RESOURCE_FIELDS = {
    "id": str, "package_id": str, "url": str, "name": str, "description": str, "format": str,
    "position": int, "state": str, "created": str, "last_modified": str, "hash": str,
}  # fmt: skip


# fixtures --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def described_store(minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    store = build_store(minter, tmp_path_factory.mktemp("described"))
    for path, library, label in sample_entries()[:3]:  # three foreign libraries
        assert ingest_file(store, path, library, minter, library_name=label).loaded > 0
    recluster(store, minter)  # as every ingest ends: the figures are counted and kept
    return store


@pytest.fixture(scope="module")
def dumped(
    described_store: OxigraphStore, minter: Minter, tmp_path_factory: pytest.TempPathFactory
) -> DumpReport:
    root = tmp_path_factory.mktemp("described-dumps")
    for day in (date(2026, 6, 30), date(2026, 7, 1)):
        report = write_dumps(described_store, root, minter, licence=LICENCE, day=day, part_triples=20_000)
    return report


@pytest.fixture(scope="module")
def described_app(settings: Settings, described_store: OxigraphStore, dumped: DumpReport) -> Flask:
    configured = dataclasses.replace(
        settings,
        dumps=str(dumped.folder.parent),
        publisher="Thư viện Quốc gia Việt Nam",
        publisher_url="https://nlv.gov.vn/",
        contact_email="dulieumo@example.vn",
    )
    app = create_app(configured, store=described_store)
    app.config["TESTING"] = True
    return app


@pytest.fixture(scope="module")
def undumped_app(
    settings: Settings, described_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory
) -> Flask:
    app = create_app(
        dataclasses.replace(settings, dumps=str(tmp_path_factory.mktemp("no-dumps"))), store=described_store
    )
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def web(described_app: Flask):  # type: ignore[no-untyped-def]
    return described_app.test_client()


def graph_of(response: Any, fmt: str = "turtle") -> rdflib.Graph:
    assert response.status_code == 200, response.data[:500]
    return rdflib.Graph().parse(data=response.data, format=fmt)


def catalog(web: Any) -> rdflib.Graph:
    return graph_of(web.get("/catalog.ttl"))


def void(web: Any) -> rdflib.Graph:
    return graph_of(web.get("/.well-known/void.ttl"))


def ckan(web: Any, action: str, status: int = 200, **params: Any) -> Any:
    response = web.get(f"/api/3/action/{action}", query_string=params)
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    assert body["success"] is (status == 200)
    return body["result"] if status == 200 else body["error"]


def libraries_with_records(store: OxigraphStore, minter: Minter) -> set[str]:
    kept = kept_figures(store, minter)
    assert kept is not None
    return {iri for (iri, kind), n in kept.libraries.items() if kind == "records" and n > 0}


# formats and negotiation ------------------------------------------------------------------------
@pytest.mark.parametrize("path", DOCUMENTS)
def test_every_rdf_format_parses_to_the_same_graph(web, path: str) -> None:
    turtle = graph_of(web.get(f"{path}.ttl"))
    assert len(turtle) > 100
    for suffix, fmt in RDF_SUFFIXES.items():
        response = web.get(f"{path}.{suffix}")
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        parsed = graph_of(response, fmt)
        assert isomorphic(parsed, turtle), suffix
    # the same document by Accept and by ?format=, naming the document it is
    for media, suffix in (
        ("text/turtle", "ttl"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "jsonld"),
    ):
        response = web.get(path, headers={"Accept": media})
        assert response.mimetype == media and response.headers["Content-Location"] == f"{path}.{suffix}"
        assert "Accept" in response.headers["Vary"]
        assert isomorphic(graph_of(response, RDF_SUFFIXES[suffix]), turtle)
    assert isomorphic(graph_of(web.get(path, query_string={"format": "nt"}), "nt"), turtle)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_headers_alternates_errors_and_conditional_get(web, path: str) -> None:
    response = web.get(path, headers={"Accept": BROWSER})
    assert response.mimetype == "text/html" and response.headers["Content-Location"] == f"{path}.html"
    links = response.headers.getlist("Link")
    assert f'<{path}.ttl>; rel="alternate"; type="text/turtle"' in links
    assert len(links) == 5
    assert web.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert web.get(f"{path}.png").status_code == 404
    first = web.get(f"{path}.ttl")
    again = web.get(f"{path}.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304  # the same description is the same bytes
    assert first.headers["Last-Modified"]  # the newest dump's time, the store being in memory


# VoID -------------------------------------------------------------------------------------------
def test_void_figures_are_the_kept_figures(web, described_store, minter) -> None:
    kept = kept_figures(described_store, minter)
    assert kept is not None
    graph = void(web)
    dataset = rdflib.URIRef(minter.base)
    assert (dataset, RDF.type, VOID.Dataset) in graph

    def number(node: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
        value = graph.value(node, predicate)
        assert isinstance(value, rdflib.Literal), (node, predicate)
        return int(value)

    assert number(dataset, VOID.triples) == kept.triples
    assert number(dataset, VOID.classes) == len(kept.classes)
    assert number(dataset, VOID.properties) == len(kept.properties)
    assert number(dataset, VOID.entities) == sum(kept.classes.get(c, 0) for c in ENTITY_CLASSES)
    classes = {
        str(graph.value(p, VOID["class"])): number(p, VOID.entities)
        for p in graph.objects(dataset, VOID.classPartition)
    }
    assert classes == kept.classes
    properties = {
        str(graph.value(p, VOID.property)): number(p, VOID.triples)
        for p in graph.objects(dataset, VOID.propertyPartition)
    }
    assert properties == kept.properties
    linksets = {
        (str(graph.value(s, VOID.linkPredicate)), str(graph.value(s, VOID.objectsTarget))): number(
            s, VOID.triples
        )
        for s in graph.subjects(RDF.type, VOID.Linkset)
    }
    assert linksets == kept.links
    assert ("http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/") in linksets
    assert (
        "http://id.loc.gov/ontologies/bibframe/language",
        "http://id.loc.gov/vocabulary/languages",
    ) in linksets
    for linkset in graph.subjects(RDF.type, VOID.Linkset):
        assert (dataset, VOID.subset, linkset) in graph
        assert graph.value(linkset, VOID.subjectsTarget) == dataset
        assert graph.value(graph.value(linkset, VOID.objectsTarget), DCTERMS.title) is not None


def test_void_names_the_endpoint_dumps_examples_space_and_vocabularies(web, dumped, minter) -> None:
    graph = void(web)
    dataset = rdflib.URIRef(minter.base)
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{minter.base}sparql")
    assert str(graph.value(dataset, VOID.uriSpace)) == f"{minter.base}resource/"
    assert graph.value(dataset, DCTERMS.license) == rdflib.URIRef(LICENCE)
    vocabularies = {str(v) for v in graph.objects(dataset, VOID.vocabulary)}
    assert {"http://id.loc.gov/ontologies/bibframe/", "http://schema.org/"} <= vocabularies
    examples = list(graph.objects(dataset, VOID.exampleResource))
    assert examples
    for example in examples:
        path = minter.path_of(str(example))
        assert path is not None and web.get(f"{path}.html").status_code == 200
    dumps = {str(d) for d in graph.objects(dataset, VOID.dataDump)}
    manifest = dumped.manifest
    assert dumps == {f"{minter.base}dumps/{manifest.date}/{f.name}" for f in manifest.files_of("all")}
    for part in graph.objects(dataset, VOID.subset):
        assert (part, RDF.type, VOID.Dataset) in graph


# DCAT -------------------------------------------------------------------------------------------
def datasets(graph: rdflib.Graph) -> dict[str, rdflib.term.Node]:
    """dcterms:identifier -> dataset, of every dataset of the catalogue."""
    (catalog_node,) = graph.subjects(RDF.type, DCAT.Catalog)
    found = {str(graph.value(d, DCTERMS.identifier)): d for d in graph.objects(catalog_node, DCAT.dataset)}
    assert set(found.values()) == set(graph.subjects(RDF.type, DCAT.Dataset))
    return found


def test_a_dataset_per_library_that_sent_records_and_for_the_registry_and_the_union(
    web, described_store, minter
) -> None:
    graph = catalog(web)
    found = datasets(graph)
    assert {"all", "union", "registry", "shared"} <= set(found)
    creators = {
        str(graph.value(d, DCTERMS.creator)) for d in found.values() if graph.value(d, DCTERMS.creator)
    }
    assert creators == libraries_with_records(described_store, minter)
    assert minter.library("VN-TEST1").value in creators and minter.library(PLACEHOLDER).value in creators
    whole = rdflib.URIRef(minter.base)
    assert found["all"] == whole
    for key, node in found.items():
        if node != whole:
            assert (whole, DCTERMS.hasPart, node) in graph and (node, DCTERMS.isPartOf, whole) in graph
        titles = {t.language: str(t) for t in graph.objects(node, DCTERMS.title)}
        descriptions = {t.language for t in graph.objects(node, DCTERMS.description)}
        assert set(titles) == descriptions == {"vi", "en"} and titles["vi"] != titles["en"], key
        assert graph.value(node, DCTERMS.publisher) == rdflib.URIRef(f"{minter.base}catalog#publisher")
        assert graph.value(node, DCAT.contactPoint) == rdflib.URIRef(f"{minter.base}catalog#contact")
        assert graph.value(node, DCTERMS.license) == rdflib.URIRef(LICENCE)
        assert {k.language for k in graph.objects(node, DCAT.keyword)} == {"vi", "en"}
        assert graph.value(node, DCAT.theme) is not None and graph.value(node, DCAT.landingPage) is not None


def test_publisher_contact_and_spatial_coverage(web, minter) -> None:
    graph = catalog(web)
    publisher = rdflib.URIRef(f"{minter.base}catalog#publisher")
    assert str(graph.value(publisher, FOAF.name)) == "Thư viện Quốc gia Việt Nam"
    assert graph.value(publisher, FOAF.homepage) == rdflib.URIRef("https://nlv.gov.vn/")
    contact = rdflib.URIRef(f"{minter.base}catalog#contact")
    assert graph.value(contact, VCARD.hasEmail) == rdflib.URIRef("mailto:dulieumo@example.vn")
    found = datasets(graph)
    spatial = {key: {str(s) for s in graph.objects(node, DCTERMS.spatial)} for key, node in found.items()}
    hanoi = minter.province("01").value  # the registry puts Thư viện Hà Nội (VN-TEST1) in Hà Nội
    assert spatial["library-VN-TEST1"] == {hanoi, VIETNAM}
    assert str(graph.value(rdflib.URIRef(hanoi), SKOS.prefLabel)) == "Thành phố Hà Nội"
    assert spatial["all"] == spatial["union"] == spatial["registry"] == {VIETNAM}
    assert spatial["library-US-DLC"] == set()  # the Library of Congress is not in Vietnam
    assert {str(label) for label in graph.objects(rdflib.URIRef(VIETNAM), SKOS.prefLabel)} == {
        "Việt Nam",
        "Vietnam",
    }


def test_distributions_are_the_newest_dumps_files(web, dumped, minter) -> None:
    graph = catalog(web)
    found = datasets(graph)
    manifest = dumped.manifest
    assert manifest.date == "2026-07-01"
    by_library = {d.library: d.id for d in manifest.datasets if d.library}
    listed = 0
    for key, node in found.items():
        library = graph.value(node, DCTERMS.creator)
        dump_id = by_library[str(library)] if library is not None else key
        files = {f"{minter.base}dumps/{manifest.date}/{f.name}": f for f in manifest.files_of(dump_id)}
        downloads = {}
        for distribution in graph.objects(node, DCAT.distribution):
            url = graph.value(distribution, DCAT.downloadURL)
            if url is None:  # the SPARQL endpoint
                assert graph.value(distribution, DCAT.accessURL) == rdflib.URIRef(f"{minter.base}sparql")
                assert graph.value(distribution, DCAT.accessService) == rdflib.URIRef(
                    f"{minter.base}sparql#service"
                )
                continue
            downloads[str(url)] = distribution
        assert set(downloads) == set(files), key
        for url, distribution in downloads.items():
            file = files[url]
            assert int(graph.value(distribution, DCAT.byteSize)) == file.bytes  # type: ignore[arg-type]
            assert graph.value(distribution, DCAT.mediaType) == rdflib.URIRef(IANA + file.media_type)
            assert graph.value(distribution, DCAT.compressFormat) == rdflib.URIRef(IANA + "application/gzip")
            checksum = graph.value(distribution, SPDX.checksum)
            assert str(graph.value(checksum, SPDX.checksumValue)) == file.sha256
            assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
            assert graph.value(distribution, DCAT.accessURL) == rdflib.URIRef(f"{minter.base}dumps")
            path = minter.path_of(url)
            assert path is not None
            with web.get(path) as response:
                assert response.status_code == 200
            listed += 1
    assert listed == len([f for f in manifest.files if f.dataset != "tombstones"])
    assert any(f.part > 1 for f in manifest.files)  # several parts: each is a distribution of its own


def test_without_a_dump_the_endpoint_is_every_datasets_distribution(undumped_app, minter) -> None:
    graph = catalog(undumped_app.test_client())
    for node in datasets(graph).values():
        (distribution,) = graph.objects(node, DCAT.distribution)
        assert graph.value(distribution, DCAT.accessService) == rdflib.URIRef(f"{minter.base}sparql#service")
    service = rdflib.URIRef(f"{minter.base}sparql#service")
    assert (service, RDF.type, DCAT.DataService) in graph
    assert set(graph.objects(service, DCAT.servesDataset)) == set(graph.subjects(RDF.type, DCAT.Dataset))


# the shapes -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", DOCUMENTS)
@pytest.mark.parametrize("app_name", ["described_app", "undumped_app"])
def test_the_live_descriptions_conform_to_the_shapes(request, path: str, app_name: str) -> None:
    client = request.getfixturevalue(app_name).test_client()
    graph = graph_of(client.get(f"{path}.ttl"))
    results = validate_graph(graph)
    assert [r for r in results if r.severity == "violation"] == []
    # the shapes did look at it: the same document missing a mandatory property does not conform
    broken = rdflib.Graph()
    for triple in graph:
        broken.add(triple)
    kind = DCAT.Dataset if path == "/catalog" else VOID.Linkset
    node = next(iter(graph.subjects(RDF.type, kind)))
    predicate = DCTERMS.title if kind == DCAT.Dataset else VOID.objectsTarget
    broken.remove((node, predicate, None))
    assert any(r.severity == "violation" and r.focus == str(node) for r in validate_graph(broken))


# the HTML page ----------------------------------------------------------------------------------
def test_the_catalogue_page_lists_the_datasets_and_their_files(web, dumped) -> None:
    page = page_of(web.get("/catalog", headers={"Accept": BROWSER}))
    assert page.one("h1").text == "Dữ liệu mở"
    sections = {s.attrs["data-dataset"]: s for s in page.all("section", class_="dump-dataset")}
    assert {"all", "union", "registry", "library-vn-test1"} <= set(sections)
    hrefs = sections["library-vn-test1"].links()
    assert any(
        href.startswith(f"/dumps/{dumped.manifest.date}/library-VN-TEST1-part001.nt.gz") for href in hrefs
    )
    links = page.links()
    assert "/.well-known/void.ttl" in links and "/catalog.jsonld" in links
    english = page_of(web.get("/catalog?lang=en", headers={"Accept": BROWSER}))
    assert english.one("h1").text == "Open data"


def test_the_home_page_links_the_open_data(web) -> None:
    response = web.get("/", headers={"Accept": BROWSER})
    page = page_of(response)
    links = page.one("section", aria_labelledby="open-data").links()
    assert {"/catalog", "/.well-known/void.ttl", "/dumps", "/sparql", "/api/3/action/package_list"} <= set(
        links
    )
    assert page.all("link", rel="describedby", href="/.well-known/void.ttl")
    assert '</.well-known/void>; rel="describedby"' in response.headers.getlist("Link")


# CKAN -------------------------------------------------------------------------------------------
def test_package_list_names_the_catalogues_datasets(web) -> None:
    names = ckan(web, "package_list")
    assert sorted(names) == sorted(ckan_name(key) for key in datasets(catalog(web)))
    assert all(name == name.lower() and 2 <= len(name) <= 100 for name in names)
    assert ckan(web, "package_list", limit=2, offset=1) == names[1:3]


def test_package_show_has_ckans_fields(web, dumped, minter) -> None:
    graph = catalog(web)
    for key, node in datasets(graph).items():
        name = ckan_name(key)
        package = ckan(web, "package_show", id=name)
        for key, kind in CKAN_PACKAGE_FIELDS.items():
            assert isinstance(package[key], kind), (name, key)
        assert package["name"] == name
        assert package["title"] == _vi(graph, node, DCTERMS.title)
        assert package["license_id"] == "cc-zero" and package["license_url"] == LICENCE and package["isopen"]
        assert package["maintainer_email"] == "dulieumo@example.vn"
        assert (
            package["organization"]["is_organization"]
            and package["owner_org"] == package["organization"]["id"]
        )
        assert package["num_resources"] == len(package["resources"]) and package["num_tags"] == len(
            package["tags"]
        )
        assert ckan(web, "package_show", id=package["id"]) == package  # by its id too
        extras = {e["key"]: e["value"] for e in package["extras"]}
        assert all(isinstance(v, str) for v in extras.values())
        assert extras["uri"] == str(node)
        distributions = {str(d): d for d in graph.objects(node, DCAT.distribution)}
        assert {r["uri"] for r in package["resources"]} == set(distributions)
        for resource in package["resources"]:
            for key, kind in CKAN_RESOURCE_FIELDS.items():
                assert isinstance(resource[key], kind), (name, key)
            assert resource["package_id"] == package["id"]
            distribution = distributions[resource["uri"]]
            download = graph.value(distribution, DCAT.downloadURL)
            if download is None:
                assert resource["url"] == f"{minter.base}sparql" and resource["format"] == "SPARQL"
                continue
            assert resource["url"] == str(download)
            assert resource["size"] == int(graph.value(distribution, DCAT.byteSize))  # type: ignore[arg-type]
            assert resource["hash"] == str(
                graph.value(graph.value(distribution, SPDX.checksum), SPDX.checksumValue)
            )
            assert resource["mimetype"] == str(graph.value(distribution, DCAT.mediaType)).removeprefix(IANA)
    hanoi = {e["key"]: e["value"] for e in ckan(web, "package_show", id="library-vn-test1")["extras"]}
    assert json.loads(hanoi["spatial"]) == {"type": "Point", "coordinates": [105.85, 21.019]}
    assert hanoi["spatial_text"] == "Thành phố Hà Nội; Việt Nam"
    assert ckan(web, "package_show", id="library-vn-test1")["author"] == "Thư viện Hà Nội"


def _vi(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> str:
    return next(
        str(t) for t in graph.objects(node, predicate) if isinstance(t, rdflib.Literal) and t.language == "vi"
    )


def test_package_search_as_the_ckan_harvester_pages_it(web) -> None:
    names = set(ckan(web, "package_list"))
    # ckanext-harvest's CKANHarvester: rows=100 from start=0, sorted by id, until a page is empty
    first = ckan(web, "package_search", rows=100, start=0, sort="id asc")
    assert first["count"] == len(names) and {p["name"] for p in first["results"]} == names
    assert [p["id"] for p in first["results"]] == sorted(p["id"] for p in first["results"])
    assert ckan(web, "package_search", rows=100, start=100, sort="id asc")["results"] == []
    # later runs: only what changed since the last one
    modified = first["results"][0]["metadata_modified"]
    since = ckan(web, "package_search", fq=f"metadata_modified:[{modified[:10]}T00:00:00Z TO *]", rows=100)
    assert since["count"] == len(names)
    assert (
        ckan(web, "package_search", fq="metadata_modified:[2999-01-01T00:00:00.000000Z TO *]")["count"] == 0
    )
    organization = first["results"][0]["organization"]["name"]
    assert ckan(web, "package_search", fq=f"organization:{organization}", rows=100)["count"] == len(names)
    assert ckan(web, "package_search", fq=f"-organization:{organization}")["count"] == 0
    assert ckan(web, "package_search", fq="name:union OR name:registry")["count"] == 2
    assert ckan(web, "package_search", q="Hà Nội")["count"] >= 1
    paged = ckan(web, "package_search", rows=2, start=2, sort="name asc")
    assert [p["name"] for p in paged["results"]] == sorted(names)[2:4]


def test_organizations(web) -> None:
    (name,) = ckan(web, "organization_list")
    organization = ckan(web, "organization_show", id=name)
    assert organization["title"] == "Thư viện Quốc gia Việt Nam" and organization["name"] == name
    assert organization["package_count"] == len(ckan(web, "package_list"))
    assert "packages" not in organization
    assert (
        len(ckan(web, "organization_show", id=name, include_datasets="true")["packages"])
        == organization["package_count"]
    )
    assert ckan(web, "organization_list", all_fields="true")[0]["id"] == organization["id"]


def test_ckan_errors_have_ckans_shape(web) -> None:
    assert ckan(web, "package_show", 404, id="nothing-like-this") == {
        "__type": "Not Found Error",
        "message": "Không tìm thấy",
    }
    missing = ckan(web, "package_show", 409)
    assert missing["__type"] == "Validation Error" and missing["name_or_id"]
    assert ckan(web, "package_search", 409, rows="many")["__type"] == "Validation Error"
    assert ckan(web, "package_search", 400, fq="nonsense:1")["__type"] == "Search Query Error"
    assert ckan(web, "package_search", 400, sort="colour asc")["__type"] == "Search Query Error"
    response = web.get("/api/3/action/package_create")
    assert response.status_code == 400 and response.get_json()["success"] is False
    assert response.get_json()["error"]["__type"] == "Bad Request"


def test_ckan_answers_on_both_paths_and_to_a_json_body(web) -> None:
    names = ckan(web, "package_list")
    assert web.get("/api/action/package_list").get_json()["result"] == names
    posted = web.post("/api/3/action/package_show", json={"id": names[0]})
    assert posted.get_json()["result"]["name"] == names[0]
    assert ckan(web, "status_show")["ckan_version"].startswith("2.")
    assert "package" in ckan(web, "help_show", name="package_search")


# the sitemap and robots.txt ---------------------------------------------------------------------
def entity_pages(store: OxigraphStore, minter: Minter) -> set[str]:
    """The HTML page of every instance, work, agent and library, found apart from lod.sitemap."""
    found = set()
    for kind, cls in sitemap.KINDS.items():
        for row in store.query(f"SELECT DISTINCT ?e WHERE {{ ?e a <{cls.value}> }}"):  # type: ignore[union-attr]
            ref = minter.parse(row[0].value)
            if ref is not None and ref.kind == kind:
                found.add(f"{row[0].value}.html")
    return found


def urlset(response: Any, base: str) -> list[str]:
    """The URLs of a sitemap, checked against the sitemaps.org 0.9 schema's structure."""
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    urls = []
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        children = [child.tag for child in url]
        assert children[0] == f"{SITEMAP}loc" and children.count(f"{SITEMAP}loc") == 1
        assert set(children) <= {f"{SITEMAP}{t}" for t in ("loc", "lastmod", "changefreq", "priority")}
        loc = url.find(f"{SITEMAP}loc").text or ""  # type: ignore[union-attr]
        assert loc.startswith(base) and len(loc) <= 2048 and loc.isascii()
        urls.append(loc)
    assert 0 < len(urls) <= sitemap.URLS_PER_FILE
    assert len(urls) == len(set(urls))
    return urls


def test_the_sitemap_lists_every_entity_page_and_each_answers(web, described_store, minter) -> None:
    urls = urlset(web.get("/sitemap.xml"), minter.base)
    assert set(urls) == entity_pages(described_store, minter) | {minter.iri_of_path(p) for p in sitemap.PAGES}
    for url in urls:
        path = minter.path_of(url)
        assert path is not None
        response = web.get(path, headers={"Accept": BROWSER})
        assert response.status_code == 200 and response.mimetype == "text/html", url


def test_beyond_50000_urls_the_sitemap_is_an_index(web, described_store, minter, monkeypatch) -> None:
    single = set(urlset(web.get("/sitemap.xml"), minter.base))
    monkeypatch.setattr(sitemap, "URLS_PER_FILE", 30)
    monkeypatch.setattr(sitemap, "ENTITIES_PER_FILE", 20)
    response = web.get("/sitemap.xml")
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SITEMAP}sitemapindex"
    files = [entry.find(f"{SITEMAP}loc").text for entry in root]  # type: ignore[union-attr]
    assert all(entry.tag == f"{SITEMAP}sitemap" for entry in root)
    assert len(files) > 3 and f"{minter.base}sitemaps/instance-2.xml" in files
    listed: list[str] = []
    for file in files:
        path = minter.path_of(file or "")
        assert path is not None
        listed += urlset(web.get(path), minter.base)
    assert sorted(listed) == sorted(single)  # every page once, in one file or another
    assert web.get("/sitemaps/instance-99.xml").status_code == 404
    assert web.get("/sitemaps/topic-1.xml").status_code == 404


def test_robots_txt(web, minter) -> None:
    response = web.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(response.data.decode("utf-8").splitlines())
    base = minter.base
    assert robots.site_maps() == [f"{base}sitemap.xml"]
    for allowed in ("", "resource/instance/abc.html", "catalog", "sparql", "libraries", ".well-known/void"):
        assert robots.can_fetch("*", base + allowed), allowed
    for disallowed in ("sparql?query=SELECT%20*", "admin/quarantine", "api/search?q=x", "search?q=x"):
        assert not robots.can_fetch("*", base + disallowed), disallowed


# a real server, on disk, and a phone ------------------------------------------------------------
@pytest.mark.server
def test_a_served_store_says_when_its_data_changed(dumps_server: str) -> None:  # noqa: F811
    """`lod serve` over an on-disk store knows when the data last changed: dcterms:modified, and
    the documents still conform."""
    with urllib.request.urlopen(dumps_server + "/catalog.ttl") as response:
        graph = rdflib.Graph().parse(data=response.read(), format="turtle")
        assert response.headers["Last-Modified"]
    (catalog_node,) = graph.subjects(RDF.type, DCAT.Catalog)
    modified = graph.value(catalog_node, DCTERMS.modified)
    assert isinstance(modified, rdflib.Literal) and modified.datatype == rdflib.XSD.dateTime
    assert all(graph.value(d, DCTERMS.modified) == modified for d in graph.subjects(RDF.type, DCAT.Dataset))
    results = validate_graph(graph)
    assert [r for r in results if r.severity == "violation"] == []
    assert [r for r in results if r.severity == "warning"] == []  # every recommended property too
    with urllib.request.urlopen(dumps_server + "/api/3/action/package_list") as response:
        names = json.load(response)["result"]
    assert len(names) == len(list(graph.subjects(RDF.type, DCAT.Dataset)))


@pytest.mark.browser
@pytest.mark.server
def test_the_open_data_page_reads_on_a_phone(dumps_server: str) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            phone = browser.new_page(viewport=PHONE, locale="vi-VN")
            phone.goto(dumps_server + "/catalog")
            assert phone.locator("h1").inner_text() == "Dữ liệu mở"
            assert horizontal_overflow(phone) <= 0  # IRIs, file names and checksums wrap
            phone.goto(dumps_server + "/")
            phone.locator("section[aria-labelledby=open-data] a[href='/catalog']").click()
            phone.wait_for_url("**/catalog")
            assert phone.locator("section[data-dataset=union]").count() == 1
        finally:
            browser.close()
