"""Entity pages and documents against the real app over the real sample store: what a reader sees on
each kind of page (lod.facts), the metadata in its head, paging, escaping and the language switch.
How IRIs are dereferenced (303, the document table) is tests/web/test_dereferencing.py."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from flask import Flask
from pyoxigraph import Literal, NamedNode, Triple

from lod.config import Settings
from lod.formats import DOCUMENT_FORMATS, NTRIPLES, serialize_triples
from lod.ingest import ingest_file
from lod.store import OxigraphStore, RecordGraph
from lod.unions import recluster
from lod.uris import Minter
from lod.vocab import BF, RDF, RDFS, SCHEMA
from tests.conftest import sample_entries

KIEU = ("DEMO-VN1", "TVD240000101")  # Truyện Kiều, 2002, hand-made sample record
DE_MEN = ("DEMO-VN1", "TVD240000102")  # Dế Mèn phiêu lưu ký, with two Koha 952 items
KIEU_1998 = Path(__file__).parent.parent / "data" / "pages" / "truyen-kieu-1998.xml"
NGUYEN_DU = "Nguyễn, Du, 1765-1820"
SDO = rdflib.Namespace("http://schema.org/")
RDF_TYPE = rdflib.RDF.type


# a small DOM from the standard library's parser: enough to look at elements by attribute -------
@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = dataclasses.field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def walk(self) -> Iterator[Element]:
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.walk()

    def all(self, tag: str, **attrs: str) -> list[Element]:
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            e for e in self.walk() if e.tag == tag and all(e.attrs.get(k) == v for k, v in wanted.items())
        ]

    def one(self, tag: str, **attrs: str) -> Element:
        found = self.all(tag, **attrs)
        assert len(found) == 1, (tag, attrs, len(found))
        return found[0]

    def links(self) -> dict[str, str]:
        """href -> link text of every link inside."""
        return {a.attrs["href"]: a.text.strip() for a in self.all("a")}


class _Builder(HTMLParser):
    VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def page_of(response) -> Element:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/html"
    builder = _Builder()
    builder.feed(response.data.decode("utf-8"))
    return builder.root


def field(page: Element, name: str) -> Element:
    """The value (dd) of a field of the page's summary."""
    return page.one("div", data_field=name).one("dd")


def section(page: Element, name: str) -> Element:
    return page.one("section", data_section=name)


def html_path(minter: Minter, iri: str | NamedNode) -> str:
    path = minter.path_of(iri.value if isinstance(iri, NamedNode) else iri)
    assert path is not None
    return path + ".html"


def jsonld_graph(page: Element) -> rdflib.Graph:
    (script,) = page.all("script", type="application/ld+json")
    return rdflib.Graph().parse(data=json.dumps(json.loads(script.text)), format="json-ld")


# fixtures --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kieu(minter: Minter) -> NamedNode:
    return minter.instance(minter.record_id(*KIEU))


@pytest.fixture(scope="module")
def kieu_path(minter: Minter, kieu: NamedNode) -> str:
    path = minter.path_of(kieu.value)
    assert path is not None
    return path


@pytest.fixture(scope="module")
def union_store(minter: Minter) -> OxigraphStore:
    """The sample, plus another edition of Truyện Kiều held by a third demo library (1998,
    tests/data/pages), with the union catalogue clustered as `lod ingest` does."""
    store = OxigraphStore.open(None)
    for path, library, label in [*sample_entries(), (KIEU_1998, "DEMO-VN3", "Thư viện mẫu 3 (demo)")]:
        ingest_file(store, path, library, minter, library_name=label)
    recluster(store, minter)
    return store


@pytest.fixture(scope="module")
def union_app(settings: Settings, union_store: OxigraphStore) -> Flask:
    from lod.web import create_app

    app = create_app(settings, store=union_store)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def union_client(union_app: Flask):  # type: ignore[no-untyped-def]
    return union_app.test_client()


def union_of(store: OxigraphStore, minter: Minter, record: tuple[str, str]) -> str:
    instance = minter.instance(minter.record_id(*record))
    return next(
        t.object.value for t in store.describe(instance) if t.predicate.value.endswith("#unionInstance")
    )


# data documents --------------------------------------------------------------------------------
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@pytest.mark.parametrize("media_type", list(RDFLIB_FORMATS))
def test_every_rdf_format_holds_the_description(client, store, kieu, kieu_path, media_type) -> None:
    response = client.get(kieu_path, headers={"Accept": media_type}, follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == media_type
    graph = rdflib.Graph().parse(data=response.data, format=RDFLIB_FORMATS[media_type])
    expected = rdflib.Graph().parse(
        data=serialize_triples(store.describe(kieu), NTRIPLES).decode(), format="nt"
    )
    own = rdflib.Graph()
    for triple in graph.triples((rdflib.URIRef(kieu.value), None, None)):
        own.add(triple)
    for triple in expected.triples((rdflib.URIRef(kieu.value), None, None)):
        if not isinstance(triple[2], rdflib.BNode):
            assert triple in own, triple
    assert len(graph) >= len(expected)


def test_turtle_keeps_vietnamese_text(client, kieu_path) -> None:
    body = client.get(kieu_path + ".ttl").data.decode("utf-8")
    assert "Truyện Kiều" in body


def test_browser_gets_the_page(client, kieu_path) -> None:
    response = client.get(
        kieu_path,
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
        follow_redirects=True,
    )
    page = page_of(response)
    assert page.one("h1").text == "Truyện Kiều"


def test_unacceptable_accept_is_406_listing_offered(client, kieu_path) -> None:
    response = client.get(kieu_path, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.get_json()["offered"] == [f.media_type for f in DOCUMENT_FORMATS]


def test_unknown_kind_is_404_page_for_browsers(client) -> None:
    response = client.get("/resource/book/x", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_linked_entities_resolve(client, store, minter, kieu) -> None:
    work = minter.work(minter.record_id(*KIEU))
    linked = {
        t.object.value for t in store.describe(kieu) + store.describe(work) if isinstance(t.object, NamedNode)
    }
    kinds = {ref.kind for ref in (minter.parse(i) for i in linked) if ref is not None}
    assert {"work", "agent", "topic", "library", "place"} <= kinds
    for target in sorted(linked):
        if minter.parse(target) is not None:
            assert client.get(html_path(minter, target)).status_code == 200, target


# an Instance -----------------------------------------------------------------------------------
def test_instance_page_reads_like_a_catalogue_record(client, store, minter, kieu) -> None:
    page = page_of(client.get(html_path(minter, kieu)))
    assert page.one("h1").text == "Truyện Kiều"
    assert page.one("p", class_="kind").text == "Ấn phẩm"
    author = minter.path_of(
        next(t.object.value for t in store.describe(kieu) if t.predicate == SCHEMA.author)
    )
    assert field(page, "authors").links() == {author: NGUYEN_DU}
    assert list(field(page, "contributors").links().values()) == ["Đào, Duy Anh, 1904-1988"]
    assert field(page, "publisher").text.strip() == "Văn hoá - Thông tin"
    assert field(page, "place").text.strip().endswith("H.")
    assert "2002" in field(page, "year").text
    assert "Tái bản lần thứ 3" in field(page, "edition").text
    assert "279 tr." in field(page, "extent").text
    assert "Tiếng Việt" in field(page, "language").text
    subjects = field(page, "subjects").links()
    assert {"Văn học trung đại", "Truyện thơ", "Việt Nam"} <= set(subjects.values())
    assert all(href.startswith("/resource/topic/") for href in subjects)
    assert "Kim Vân Kiều" in field(page, "variant_titles").text
    assert "Thuý Kiều" in field(page, "summary").text
    assert field(page, "work").links() == {
        minter.path_of(minter.work(minter.record_id(*KIEU)).value): "Truyện Kiều"
    }
    held = section(page, "held_by").links()
    assert held == {minter.path_of(minter.library("DEMO-VN1").value): "Thư viện mẫu 1 (demo, MARCXML)"}
    assert not page.all("section", data_section="other_editions")  # the sample has no other edition


def test_instance_page_head_has_dublin_core_jsonld_and_alternates(
    client, minter, kieu, kieu_path, settings
) -> None:
    page = page_of(client.get(kieu_path + ".html"))
    head = page.one("head")
    assert head.one("link", rel="schema.DC").attrs["href"] == "http://purl.org/dc/elements/1.1/"
    meta: dict[str, list[str]] = {}
    for m in head.all("meta"):
        if m.attrs.get("name", "").startswith("DC."):
            meta.setdefault(m.attrs["name"], []).append(m.attrs["content"])
    assert meta["DC.title"] == ["Truyện Kiều"]
    assert meta["DC.creator"] == [NGUYEN_DU]
    assert meta["DC.date"] == ["2002"]
    assert meta["DC.publisher"] == ["Văn hoá - Thông tin"]
    assert meta["DC.language"] == ["vie"]
    assert {"Văn học trung đại", "Truyện thơ"} <= set(meta["DC.subject"])
    assert kieu.value in meta["DC.identifier"]
    assert meta["DC.relation"] == [minter.work(minter.record_id(*KIEU)).value]
    assert (
        head.one("link", rel="canonical").attrs["href"] == settings.base_iri + kieu_path.lstrip("/") + ".html"
    )
    alternates = {link.attrs["type"]: link.attrs["href"] for link in head.all("link", rel="alternate")}
    assert alternates == {f.media_type: f"{kieu_path}.{f.extension}" for f in DOCUMENT_FORMATS}

    graph = jsonld_graph(page)
    subject = rdflib.URIRef(kieu.value)
    assert (subject, RDF_TYPE, SDO.Book) in graph
    assert (subject, SDO.name, rdflib.Literal("Truyện Kiều", lang="vi")) in graph
    assert (subject, SDO.datePublished, rdflib.Literal("2002")) in graph
    (author,) = graph.objects(subject, SDO.author)
    assert (author, SDO.name, rdflib.Literal(NGUYEN_DU)) in graph
    assert (author, RDF_TYPE, SDO.Person) in graph
    (publisher,) = graph.objects(subject, SDO.publisher)
    assert (publisher, SDO.name, rdflib.Literal("Văn hoá - Thông tin")) in graph


def test_body_links_raw_data_and_sparql(client, kieu, kieu_path) -> None:
    page = page_of(client.get(kieu_path + ".html"))
    formats = page.one("section", aria_labelledby="formats").links()
    for f in DOCUMENT_FORMATS:
        assert f"{kieu_path}.{f.extension}" in formats
    sparql = next(href for href in formats if href.startswith("/sparql?"))
    assert parse_qs(urlsplit(sparql).query)["query"] == [f"DESCRIBE <{kieu.value}>"]


def test_english_page(client, kieu_path) -> None:
    page = page_of(client.get(kieu_path + ".html", query_string={"lang": "en"}))
    labels = [dt.text for dt in page.one("dl", class_="summary").all("dt")]
    assert {"Authors", "Publisher", "Year", "Subjects", "Language"} <= set(labels)
    assert "Vietnamese" in field(page, "language").text
    assert section(page, "held_by").one("h2").text.startswith("Held by")


# an Item, a Work, an Agent, a Topic ------------------------------------------------------------
def test_item_page(client, store, minter) -> None:
    instance = minter.instance(minter.record_id(*DE_MEN))
    items = sorted(t.subject for t in store.incoming(instance, 0, 100) if t.predicate == BF.itemOf)
    assert len(items) == 2
    page = page_of(client.get(html_path(minter, items[0])))
    assert page.one("h1").text == "Dế Mèn phiêu lưu ký"
    assert field(page, "instance").links() == {minter.path_of(instance.value): "Dế Mèn phiêu lưu ký"}
    assert field(page, "library").links() == {
        minter.path_of(minter.library("DEMO-VN1").value): "Thư viện mẫu 1 (demo, MARCXML)"
    }
    assert field(page, "shelf_mark").text.strip() == "895.9223 TO-H"
    assert field(page, "barcode").text.strip() in {"VV.012345", "VV.012346"}


def test_work_page_lists_its_editions(client, minter) -> None:
    work = minter.work(minter.record_id(*KIEU))
    page = page_of(client.get(html_path(minter, work)))
    assert page.one("p", class_="kind").text == "Tác phẩm"
    assert NGUYEN_DU in field(page, "authors").links().values()
    assert "Truyện thơ" in field(page, "subjects").links().values()
    editions = section(page, "editions")
    instance = minter.path_of(minter.instance(minter.record_id(*KIEU)).value)
    assert editions.links() == {instance: "Truyện Kiều"}
    assert (
        "2002" in editions.text and "Văn hoá - Thông tin" in editions.text and "1 thư viện" in editions.text
    )


def test_agent_page_lists_works_first(client, store, minter, kieu) -> None:
    agent = next(t.object for t in store.describe(kieu) if t.predicate == SCHEMA.author)
    page = page_of(client.get(html_path(minter, agent)))
    assert page.one("h1").text == NGUYEN_DU
    assert field(page, "dates").text.strip() == "1765-1820"
    works = section(page, "works")
    assert works.links() == {minter.path_of(minter.work(minter.record_id(*KIEU)).value): "Truyện Kiều"}
    main = page.one("main")
    sections = [s.attrs.get("data-section") or s.attrs.get("aria-labelledby") for s in main.all("section")]
    assert sections.index("works") < sections.index("statements") < sections.index("incoming")


def test_publisher_page_lists_what_it_published(client, store, minter, kieu) -> None:
    publisher = next(t.object for t in store.describe(kieu) if t.predicate == SCHEMA.publisher)
    page = page_of(client.get(html_path(minter, publisher)))
    published = section(page, "published")
    assert published.links() == {minter.path_of(kieu.value): "Truyện Kiều"}
    assert "Văn hoá - Thông tin" not in published.text  # the page's own publisher is not repeated


def test_place_page_rows_name_their_publisher(client, store, minter, kieu) -> None:
    place = next(t.object for t in store.describe(kieu) if t.predicate == SCHEMA.locationCreated)
    published = section(page_of(client.get(html_path(minter, place))), "published_here")
    rows = [li for li in published.one("ul", class_="rows").children if isinstance(li, Element)]
    (row,) = [r for r in rows if r.all("a")[0].attrs["href"] == minter.path_of(kieu.value)]
    year = next(t.object.value for t in store.describe(kieu) if t.predicate == SCHEMA.datePublished)
    assert "Văn hoá - Thông tin" in row.text and year in row.text


def test_topic_page_lists_works_on_it(client, store, minter) -> None:
    work = minter.work(minter.record_id(*KIEU))
    topic = next(
        t.object
        for t in store.describe(work)
        if t.predicate == SCHEMA.about and "Truyện thơ" == label(store, t.object)
    )
    page = page_of(client.get(html_path(minter, topic)))
    assert page.one("h1").text == "Truyện thơ"
    assert field(page, "scheme").text.strip() == "Bộ TK TVQG"  # stated by two records, shown once
    assert minter.path_of(work.value) in section(page, "about").links()


def label(store: OxigraphStore, node: object) -> str:
    assert isinstance(node, NamedNode)
    return store.labels([node], [RDFS.label]).get(node.value, "")


# paging ----------------------------------------------------------------------------------------
def test_sections_are_paged(settings, store, minter) -> None:
    from lod.web import create_app

    client = create_app(dataclasses.replace(settings, incoming_page_size=2), store=store).test_client()
    place = next(
        t.object
        for t in store.describe(minter.instance(minter.record_id(*KIEU)))
        if t.predicate == SCHEMA.locationCreated
    )
    path = html_path(minter, place)
    first = page_of(client.get(path))
    published = section(first, "published_here")
    total = int(published.one("span", class_="total").text.strip("()").replace(".", ""))
    assert total > 4
    rows = [li for li in published.one("ul", class_="rows").children if isinstance(li, Element)]
    assert len(rows) == 2
    assert "?published_here=2#published_here" in published.links()
    seen = {r.all("a")[0].attrs["href"] for r in rows}
    last = section(page_of(client.get(path, query_string={"published_here": total - 1})), "published_here")
    last_rows = [li for li in last.one("ul", class_="rows").children if isinstance(li, Element)]
    assert len(last_rows) == 1 and last_rows[0].all("a")[0].attrs["href"] not in seen
    assert not any(href.startswith(f"?published_here={total}") for href in last.links())
    assert f"?published_here={total - 3}#published_here" in last.links()  # the page before
    assert client.get(path, query_string={"published_here": "x"}).status_code == 400


def test_incoming_links_are_paged(settings, store, minter, kieu) -> None:
    from lod.web import create_app

    agent = next(t.object for t in store.describe(kieu) if t.predicate == SCHEMA.author)
    assert isinstance(agent, NamedNode)
    total = len(store.incoming(agent, 0, 10_000))
    assert total > 2
    client = create_app(dataclasses.replace(settings, incoming_page_size=2), store=store).test_client()
    path = html_path(minter, agent)
    first = page_of(client.get(path)).one("section", aria_labelledby="incoming")
    assert len(first.one("ul", class_="incoming").all("li")) == 2
    assert "?incoming=2" in first.links()
    last = page_of(client.get(path, query_string={"incoming": total - 1})).one(
        "section", aria_labelledby="incoming"
    )
    assert len(last.one("ul", class_="incoming").all("li")) == 1
    assert not any(a.attrs.get("rel") == "next" for a in last.all("a"))
    assert client.get(path, query_string={"incoming": "x"}).status_code == 400


def test_library_page_pages_its_incoming_links(settings, store, minter) -> None:
    from lod.web import create_app

    library = minter.library("DEMO-VN1")
    total = len(store.incoming(library, 0, 10_000))
    assert total > 3
    client = create_app(dataclasses.replace(settings, incoming_page_size=2), store=store).test_client()
    path = html_path(minter, library)
    assert 'rel="next" href="?incoming=2"' in client.get(path).data.decode()
    assert 'rel="next"' not in client.get(path, query_string={"incoming": total - 1}).data.decode()


# escaping --------------------------------------------------------------------------------------
def test_a_script_in_a_title_is_shown_as_text(client, store, minter) -> None:
    node = minter.instance("xss-test")
    title = '<script>alert("x")</script>'
    store.replace_records(
        [
            RecordGraph(
                minter.record_graph("xss-test"),
                [
                    Triple(node, RDF.type, BF.Instance),
                    Triple(node, RDF.type, SCHEMA.Book),
                    Triple(node, RDFS.label, Literal(title)),
                    Triple(node, SCHEMA.name, Literal(title)),
                ],
                [],
            )
        ],
        minter.shared_graph(),
    )
    try:
        response = client.get(html_path(minter, node))
        body = response.data.decode()
        assert title not in body
        page = page_of(response)
        assert page.one("h1").text == title  # shown as text
        assert page.one("title").text.startswith(title)
        assert page.one("meta", name="DC.title").attrs["content"] == title
        assert len(page.all("script")) == 1  # the JSON-LD only: the title did not open a script
        assert (rdflib.URIRef(node.value), SDO.name, rdflib.Literal(title)) in jsonld_graph(page)
    finally:
        store.remove_record(minter.record_graph("xss-test"))


# languages -------------------------------------------------------------------------------------
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


# the union catalogue ---------------------------------------------------------------------------
def test_other_editions_of_the_work(union_client, union_store, minter) -> None:
    page = page_of(union_client.get(html_path(minter, minter.instance(minter.record_id(*KIEU)))))
    union_2002 = union_of(union_store, minter, KIEU)
    union_1998 = union_of(union_store, minter, ("DEMO-VN3", "TK1998001"))
    assert field(page, "union_entry").links() == {minter.path_of(union_2002): "Truyện Kiều"}
    others = section(page, "other_editions")
    assert others.links() == {minter.path_of(union_1998): "Truyện Kiều"}
    assert "1998" in others.text and "Giáo dục" in others.text and "In lần thứ 2" in others.text
    assert "1 bản sao" in others.text


def test_union_work_lists_editions_newest_first(union_client, union_store, minter) -> None:
    union_2002 = union_of(union_store, minter, KIEU)
    page = page_of(union_client.get(html_path(minter, union_2002)))
    (work,) = field(page, "work").links()
    work_page = page_of(union_client.get(work + ".html"))
    assert work_page.one("p", class_="kind").text == "Tác phẩm · mục lục liên hợp"
    assert work_page.one("h1").text == "Truyện Kiều"
    editions = [a.attrs["href"] for a in section(work_page, "editions").all("a")]
    union_1998 = union_of(union_store, minter, ("DEMO-VN3", "TK1998001"))
    assert editions == [minter.path_of(union_2002), minter.path_of(union_1998)]
    records = section(work_page, "members").links()
    assert minter.path_of(minter.library("DEMO-VN3").value) in records


def test_union_instance_lists_every_library_and_item(union_client, union_store, minter) -> None:
    union_1998 = union_of(union_store, minter, ("DEMO-VN3", "TK1998001"))
    page = page_of(union_client.get(html_path(minter, union_1998)))
    assert page.one("p", class_="kind").text == "Ấn phẩm · mục lục liên hợp"
    assert page.one("h1").text == "Truyện Kiều"
    assert "9786040001238" in field(page, "isbn").text
    held = section(page, "held_by")
    links = held.links()
    assert links[minter.path_of(minter.library("DEMO-VN3").value)] == "Thư viện mẫu 3 (demo)"
    assert "895.9221 NG-D (VV.000981)" in links.values()
    record = minter.instance(minter.record_id("DEMO-VN3", "TK1998001"))
    assert field(page, "described_from").links() == {minter.path_of(record.value): "Truyện Kiều"}
    graph = jsonld_graph(page)
    subject = rdflib.URIRef(union_1998)
    assert (subject, SDO.name, rdflib.Literal("Truyện Kiều", lang="vi")) in graph
    assert (subject, SDO.isbn, rdflib.Literal("9786040001238")) in graph
    works = set(graph.objects(subject, SDO.exampleOfWork))
    assert works == {rdflib.URIRef(minter.iri_of_path(next(iter(field(page, "work").links()))))}


def test_union_instance_shows_the_records_it_merges(union_client, union_store, minter) -> None:
    rows = list(
        union_store.query(
            "PREFIX lodv: <https://w3id.org/vn-library-lod/vocab#> SELECT ?union (COUNT(?m) AS ?n) "
            "WHERE { ?union a lodv:UnionInstance ; lodv:member ?m } GROUP BY ?union HAVING (COUNT(?m) > 1)"
        )
    )
    assert rows, "the sample has records of one book from two libraries (pymarc, MARC-8 and UTF-8)"
    union = rows[0]["union"].value
    page = page_of(union_client.get(html_path(minter, union)))
    merged = section(page, "members")
    libraries = {href for href in merged.links() if href.startswith("/resource/library/")}
    assert libraries == {
        minter.path_of(minter.library(c).value) for c in ("DEMO-PYMARC-M8", "DEMO-PYMARC-U8")
    }
    assert "Gộp theo: LCCN" in merged.text
    held = {href for href in section(page, "held_by").links() if href.startswith("/resource/library/")}
    assert held == libraries
