"""The example queries of the SPARQL page, each run through the endpoint over the whole sample as
`make run` loads it (the registry, every MARC file and the union catalogue, by the real CLI): each
parses and returns rows (or triples), and the values that say what the example is about are there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, parse

from lod.config import load_settings
from lod.store import ExampleQuery, OxigraphStore, load_example_queries
from lod.vocab import RDF, SCHEMA

EXAMPLES = {example.name: example for example in load_example_queries()}
SELECT_JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def sample_client(served_store: Path) -> Iterator[object]:
    """The app over an in-memory copy of the store that `lod ingest manifest` made of the sample."""
    from lod.web import create_app

    copy = Store()
    copy.bulk_extend(Store.read_only(str(served_store)).quads_for_pattern(None, None, None, None))
    settings = load_settings(env={}, overrides={"store": ":memory:"})
    app = create_app(settings, store=OxigraphStore(copy, ":memory:"))
    app.config["TESTING"] = True
    yield app.test_client()


def select(client, name: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The example's rows through the endpoint, each as {variable: the term's lexical value}."""
    response = client.post("/sparql", data={"query": EXAMPLES[name].text}, headers={"Accept": SELECT_JSON})
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = response.get_json()["results"]["bindings"]
    return [{var: term["value"] for var, term in row.items()} for row in rows]


def construct(client, name: str) -> list:  # type: ignore[no-untyped-def]
    response = client.post("/sparql", data={"query": EXAMPLES[name].text}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(parse(response.data, format=RdfFormat.TURTLE))


# every example ----------------------------------------------------------------------------------
def test_a_dozen_examples_numbered_in_order() -> None:
    names = list(EXAMPLES)
    assert len(names) >= 12
    assert [int(name[:2]) for name in names] == list(range(1, len(names) + 1))
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+", name) for name in names)


@pytest.mark.parametrize("example", EXAMPLES.values(), ids=list(EXAMPLES))
def test_example_opens_with_a_title_and_an_explanation_in_both_languages(example: ExampleQuery) -> None:
    title, about = example.text.splitlines()[:2]
    for line in (title, about):
        assert line.startswith("# ")
        vietnamese, english = line[2:].split(" / ", 1)
        assert re.search("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ]", vietnamese)
        assert english.isascii(), line
    assert example.title == title[2:]
    assert len({e.title for e in EXAMPLES.values()}) == len(EXAMPLES)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_answers_through_the_endpoint(sample_client, name: str) -> None:
    if "CONSTRUCT" in EXAMPLES[name].text:
        assert construct(sample_client, name)
    else:
        assert select(sample_client, name)


def test_the_page_lists_every_example_and_runs_it_on_the_server(sample_client) -> None:
    page = sample_client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    for example in EXAMPLES.values():
        assert example.title.split(" / ")[0] in page
    english = sample_client.get("/sparql?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Books by a Vietnamese author" in english and "Sách của một tác giả Việt Nam" not in english
    assert "Change the name in VALUES" in english
    books = sample_client.get("/sparql", query_string={"query": EXAMPLES["06-books-by-author"].text})
    assert books.status_code == 200 and "Tôi thấy hoa vàng trên cỏ xanh" in books.get_data(as_text=True)


# what each example is about ---------------------------------------------------------------------
def test_books_by_a_vietnamese_author_match_both_name_forms(sample_client) -> None:
    rows = select(sample_client, "06-books-by-author")
    assert {row["name"] for row in rows} == {"Nguyễn Nhật Ánh, 1955-", "Nguyễn Nhật Ánh"}
    assert {row["title"] for row in rows} == {
        "Cho tôi xin một vé đi tuổi thơ : truyện",
        "Tôi thấy hoa vàng trên cỏ xanh : truyện",
    }
    inverted = EXAMPLES["06-books-by-author"].text.replace('"nguyễn nhật ánh"', '"hồ chí minh"')
    response = sample_client.post("/sparql", data={"query": inverted}, headers={"Accept": SELECT_JSON})
    [row] = response.get_json()["results"]["bindings"]
    assert row["name"]["value"] == "Hồ, Chí Minh, 1890-1969" and row["title"]["value"] == "Nhật ký trong tù"


def test_holdings_of_a_library_are_every_item_it_holds(sample_client, served_store: Path) -> None:
    rows = select(sample_client, "07-library-holdings")
    held = Store.read_only(str(served_store)).quads_for_pattern(
        None, NamedNode("http://id.loc.gov/ontologies/bibframe/heldBy"), None, None
    )
    demo = {q.subject.value for q in held if q.object.value.endswith("/resource/library/DEMO-VN1")}
    assert {row["item"] for row in rows} == demo and len(demo) >= 10
    assert {"Tắt đèn : tiểu thuyết", "Dế Mèn phiêu lưu ký"} <= {row["title"] for row in rows}
    assert all(row.get("shelfMark") for row in rows)


def test_libraries_of_a_province(sample_client) -> None:
    names = {row["name"] for row in select(sample_client, "08-libraries-of-a-province")}
    assert {"Thư viện Quốc gia Việt Nam", "Thư viện Hà Nội"} <= names
    assert not any("Hồ Chí Minh" in name for name in names)


def test_books_per_year_counts_what_the_store_holds(sample_client, served_store: Path) -> None:
    rows = select(sample_client, "09-books-per-year")
    years = [row["year"] for row in rows]
    assert years == sorted(years, reverse=True)
    dated: dict[str, set[str]] = {}
    for quad in Store.read_only(str(served_store)).quads_for_pattern(None, SCHEMA.datePublished, None, None):
        if re.match(r"\d{4}", quad.object.value):
            dated.setdefault(quad.object.value[:4], set()).add(quad.subject.value)
    assert {row["year"]: int(row["books"]) for row in rows} == {y: len(i) for y, i in dated.items()}
    assert len(dated["2010"]) >= 2


def test_works_per_language_puts_vietnamese_first(sample_client) -> None:
    rows = select(sample_client, "10-works-per-language")
    assert rows[0]["code"] == "vie" and rows[0]["language"] == "http://id.loc.gov/vocabulary/languages/vie"
    assert [int(row["works"]) for row in rows] == sorted((int(row["works"]) for row in rows), reverse=True)


def test_works_with_several_records_come_from_the_union_catalogue(sample_client) -> None:
    [row] = select(sample_client, "11-works-with-several-records")
    assert row["title"] == "Escape from loneliness"
    assert (row["editions"], row["records"], row["libraries"]) == ("1", "2", "2")


def test_which_libraries_have_a_book(sample_client) -> None:
    rows = select(sample_client, "12-libraries-of-a-book")
    assert {row["library"].rsplit("/", 1)[1] for row in rows} == {"DEMO-PYMARC-M8", "DEMO-PYMARC-U8"}
    assert len({row["book"] for row in rows}) == 1


def test_books_with_an_isbn(sample_client) -> None:
    rows = select(sample_client, "13-books-with-isbn")
    assert all(re.fullmatch(r"\d{9}[\dX]|\d{13}", row["isbn"]) for row in rows)
    assert {"9780385734400", "0385734409"} <= {row["isbn"] for row in rows}


def test_authors_with_most_works(sample_client) -> None:
    rows = select(sample_client, "14-authors-with-most-works")
    counts = [int(row["works"]) for row in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2


def test_construct_of_one_work(sample_client) -> None:
    triples = construct(sample_client, "15-construct-one-work")
    [work] = {t.subject for t in triples if t.predicate == RDF.type and t.object == SCHEMA.CreativeWork}
    described = {(t.predicate, t.object) for t in triples if t.subject == work}
    assert (SCHEMA.name, Literal("Truyện Kiều", language="vi")) in described
    [author] = [o for p, o in described if p == SCHEMA.author]
    assert Literal("Nguyễn, Du, 1765-1820") in {t.object for t in triples if t.subject == author}
    assert sum(1 for p, _ in described if p == SCHEMA.about) >= 3
    assert any(p == SCHEMA.workExample for p, _ in described)


def test_records_by_library(sample_client) -> None:
    counts = {row["name"]: int(row["records"]) for row in select(sample_client, "04-libraries")}
    assert counts["Thư viện mẫu 1 (demo, MARCXML)"] == 12
    assert counts["Thư viện mẫu 2 (demo, Koha-style ISO 2709)"] == 3
