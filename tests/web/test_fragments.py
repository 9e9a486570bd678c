"""The Python-written parts of entity pages (lod.web.fragments): markup, escaping, paging."""

from __future__ import annotations

import gc
from html.parser import HTMLParser

import pytest

from lod.describe import Statement, Value
from lod.facts.model import Facts, Row, Section
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.web.fragments import fact_html, fields_html, row_html, section_html, value_html

HOSTILE = '<script>alert("x")</script>&'


class Elements(HTMLParser):
    """(tag, attributes) of every start tag, and the text, of a fragment."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_a_hostile_text_is_shown_as_text_everywhere() -> None:
    value = Value(HOSTILE, iri="http://example.org/x", href="/resource/agent/x", language="vi")
    row = Row(value, details=[HOSTILE], labelled=[("facts.matched_on", HOSTILE)])
    html = str(value_html(value)) + str(fact_html(value)) + str(row_html(row, "vi"))
    parsed = Elements(html)
    assert "script" not in [tag for tag, _ in parsed.tags]
    assert "".join(parsed.text).count(HOSTILE) == 5  # value, fact, row title, details, labelled


def test_a_javascript_link_from_the_data_is_not_a_link() -> None:
    value = Value("click", iri="javascript:alert(1)", href="javascript:alert(1)")
    assert [tag for tag, _ in Elements(str(fact_html(value))).tags] == ["span"]


def test_a_literal_keeps_its_language_and_datatype_and_a_blank_node_nests() -> None:
    nested = Value(
        "Nhà xuất bản Trẻ",
        children=[Statement("http://example.org/p", "ex:p", Value("1999", datatype="xsd:gYear"))],
    )
    parsed = Elements(str(value_html(nested)))
    assert ("dl", {"class": "nested"}) in parsed.tags
    assert ("dt", {"title": "http://example.org/p"}) in parsed.tags
    assert "xsd:gYear" in parsed.text
    assert ("span", {"lang": "vi"}) in Elements(str(fact_html(Value("Truyện Kiều", language="vi")))).tags


@pytest.mark.parametrize(("lang", "total"), [("vi", "1.234"), ("en", "1,234")])
def test_a_section_counts_in_the_page_language_and_pages_both_ways(lang: str, total: str) -> None:
    rows = [Row(Value(f"Sách {i}", href=f"/resource/instance/{i}"), group="Hà Nội") for i in range(3)]
    section = Section("editions", rows, offset=50, more=True, total=1234)
    html = str(section_html(section, 50, lang))
    parsed = Elements(html)
    hrefs = [a["href"] for tag, a in parsed.tags if tag == "a"]
    assert hrefs[-2:] == ["?editions=0#editions", "?editions=53#editions"]
    assert f"({total})" in "".join(parsed.text)
    assert ("h3", {"class": "group"}) in parsed.tags


def test_fields_list_several_values_and_name_each_field() -> None:
    facts = Facts("Truyện Kiều")
    facts.add(
        "authors", [Value("Nguyễn Du", href="/resource/agent/a"), Value("Khác", href="/resource/agent/b")]
    )
    facts.add("year", [Value("1820")])
    parsed = Elements(str(fields_html(facts, "en")))
    fields = [a["data-field"] for tag, a in parsed.tags if tag == "div" and "data-field" in a]
    assert fields == ["authors", "year"]
    assert [tag for tag, _ in parsed.tags].count("li") == 2


def test_an_entity_page_leaves_no_reference_cycles(client, store: OxigraphStore, minter: Minter) -> None:  # type: ignore[no-untyped-def]
    """What a page is made of goes when its request ends, not at the next cycle collection."""
    works = store.query("SELECT ?work WHERE { ?work a <http://id.loc.gov/ontologies/bibframe/Work> } LIMIT 5")
    paths = [minter.path_of(row["work"].value) for row in works]  # type: ignore[union-attr]
    page = client.get(f"{paths[0]}.html")
    assert page.status_code == 200 and b'class="related"' in page.data  # it has sections
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        for path in paths:
            assert client.get(f"{path}.html").status_code == 200
        gc.collect()
        kinds = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not kinds & {"Value", "Statement", "Row", "Section", "Facts", "Description", "Macro"}
