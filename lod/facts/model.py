"""What the facts of a page are made of: named fields of values, sections listing related entities
(paged), and what feeds the embedded metadata (schema.org statements, Dublin Core elements)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pyoxigraph import Literal, NamedNode, QuerySolutions, Triple

from lod.describe import Description, Value
from lod.i18n import t
from lod.store import GraphStore
from lod.uris import Minter

T = TypeVar("T")
SECTIONS = (
    "held_by",
    "other_editions",
    "editions",
    "members",
    "works",
    "about",
    "published",
    "published_here",
    "in_series",
    "headings",
)
"""The sections a page can have: each is paged by a query parameter of the same name."""

DUBLIN_CORE: dict[str, str] = {
    "authors": "DC.creator",
    "contributors": "DC.contributor",
    "publisher": "DC.publisher",
    "year": "DC.date",
    "subjects": "DC.subject",
    "genres": "DC.type",
    "language": "DC.language",
    "isbn": "DC.identifier",
    "issn": "DC.identifier",
    "summary": "DC.description",
    "extent": "DC.format",
    "series": "DC.relation",
    "work": "DC.relation",
}
"""Field -> the Dublin Core element (dc elements 1.1) its values are given as in the page's <head>."""


def _text_of(value: Value) -> str:
    return value.text


DUBLIN_CORE_CONTENT: dict[str, Callable[[Value], str]] = {
    "language": lambda v: v.iri.rsplit("/", 1)[-1] if v.iri else v.text,  # the ISO 639-2 code
    "work": lambda v: v.iri or v.text,
}
"""Fields whose Dublin Core content is not the text shown: the language's code, the Work's IRI."""


@dataclass
class Row:
    """One related entity in a section: a link, then what tells it apart."""

    value: Value
    details: list[str] = field(default_factory=list)
    """Facts as the data gives them (year, publisher, edition)."""
    labelled: list[tuple[str, str]] = field(default_factory=list)
    """(message key, text): facts that need naming ("shelf mark: 895.9 NG-D")."""
    links: list[Value] = field(default_factory=list)
    """Further links (the library sending a record, the items held)."""
    counts: list[tuple[str, int]] = field(default_factory=list)
    """(message key with a {count} placeholder, number)."""
    external: list[Value] = field(default_factory=list)
    """Links out of the catalogue (a library's online catalogue on its website)."""
    group: str = ""
    """The heading of the group the row is in (a library's province), or "" in a flat list."""


@dataclass
class Section:
    name: str
    """One of SECTIONS: its heading's message key is `facts.section.{name}`."""
    rows: list[Row]
    offset: int = 0
    more: bool = False
    total: int = 0
    note: str = ""
    """Message key of a remark on the list (how it is ordered), or ""."""

    def groups(self) -> list[tuple[str, list[Row]]]:
        """The page's rows under their group headings, in row order: rows come sorted by group, so
        a heading is shown once per page (again on the next page when its group goes on)."""
        found: list[tuple[str, list[Row]]] = []
        for row in self.rows:
            if not found or found[-1][0] != row.group:
                found.append((row.group, []))
            found[-1][1].append(row)
        return found


@dataclass
class Facts:
    title: str
    subtitle: str = ""
    kind: str = ""
    """What the entity is, for readers (message key `facts.kind.{kind}`); "" when not known."""
    fields: dict[str, list[Value]] = field(default_factory=dict)
    """Field name (message key `facts.{name}`) -> its values, in the order shown."""
    sections: list[Section] = field(default_factory=list)
    schema: list[Triple] = field(default_factory=list)
    """Statements for the page's embedded schema.org JSON-LD."""

    def add(self, name: str, values: Iterable[Value]) -> None:
        """Set a field, unless it has no values."""
        kept = {(v.text, v.href): v for v in values if v.text or v.href}  # two records, one value
        if kept:
            self.fields[name] = list(kept.values())

    def dublin_core(self, iri: str) -> list[tuple[str, str]]:
        """(element, content) pairs for <meta name="DC.…"> in the page's head."""
        title = f"{self.title} : {self.subtitle}" if self.subtitle else self.title
        meta = [("DC.title", title), ("DC.identifier", iri)]
        for name, element in DUBLIN_CORE.items():
            content = DUBLIN_CORE_CONTENT.get(name, _text_of)
            meta += [(element, content(value)) for value in self.fields.get(name, [])]
        return meta


@dataclass
class Context:
    """What a facts function works from: the entity's description and the store, with the page's
    language, page size and section offsets."""

    store: GraphStore
    minter: Minter
    d: Description
    lang: str
    page_size: int
    offsets: Mapping[str, int]

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def link(self, iri: str, text: str | None = None) -> Value:
        return Value(text or iri, iri=iri, href=self.minter.path_of(iri) or iri)

    def rows(self, query: str, **bindings: NamedNode) -> QuerySolutions:
        solutions = self.store.canned(query, **bindings)
        assert isinstance(solutions, QuerySolutions), query
        return solutions

    def section(self, name: str, entries: Sequence[T], row: Callable[[T], Row]) -> Section:
        """The page asked for of the section `name`: `entries` (in reading order) from the offset
        asked for, made into rows (only the page's: a place can have 100,000 entries)."""
        offset = self.offsets.get(name, 0)
        page = [row(entry) for entry in entries[offset : offset + self.page_size]]
        return Section(name, page, offset, offset + self.page_size < len(entries), len(entries))


FactsFunction = Callable[[Context], Facts]


def text(term: object) -> str:
    """The text of a query result term ('' when unbound)."""
    return term.value if isinstance(term, Literal | NamedNode) else ""


def number(term: object) -> int:
    return int(term.value) if isinstance(term, Literal) and term.value.isdigit() else 0
