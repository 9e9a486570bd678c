"""What a page shows about one entity: its statements (blank nodes nested), the labels of what it
links to, and a page of incoming links. Framework-free: the web layer only renders it; what a
reader looks for first on each kind of entity (title, authors, holdings...) is `lod.facts`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import BF, BFLC, PREFIXES, RDF, RDFS, SCHEMA

LABEL_PREDICATES = (RDFS.label, SCHEMA.name, BF.mainTitle, RDF.value)
VALUES_SHOWN = 100
"""Values of one property listed on a page; the rest are counted (a union Instance held by many
libraries has thousands of bf:hasItem), and the data documents have them all."""
Term = NamedNode | BlankNode | Literal | Triple
LINK_SCHEMES = frozenset({"http", "https", "ftp", "mailto"})
"""Schemes a page may link to; an IRI of any other (javascript:, data:, vbscript:...) is shown
as text, whatever a record or the store holds."""
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")
"""What browsers drop from a URL before reading its scheme: a tab inside 'javascript:' still
makes it javascript:."""


def safe_href(href: str | None) -> str | None:
    """`href` if a page may link to it (a relative reference, or one of LINK_SCHEMES), else None."""
    if href is None:
        return None
    scheme = _SCHEME.match(_IGNORED_IN_URLS.sub("", href))
    return href if scheme is None or scheme.group(1).lower() in LINK_SCHEMES else None


@dataclass
class Value:
    text: str
    iri: str | None = None
    href: str | None = None
    """Local path for our own IRIs, the IRI itself for others."""
    language: str | None = None
    datatype: str | None = None
    children: list[Statement] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.href = safe_href(self.href)

    def get(self, predicate: NamedNode) -> list[Value]:
        """The values of `predicate` on this blank node."""
        return [s.value for s in self.children if s.predicate == predicate.value]

    def is_a(self, cls: NamedNode) -> bool:
        return any(s.predicate == RDF.type.value and s.value.iri == cls.value for s in self.children)


@dataclass
class Statement:
    predicate: str
    predicate_label: str
    value: Value


@dataclass
class Description:
    iri: str
    kind: str
    label: str
    types: list[Value]
    statements: list[Statement]
    incoming: list[tuple[Value, str, str]]
    """(subject, predicate IRI, predicate label) of statements pointing here."""
    incoming_offset: int
    incoming_more: bool
    triples: list[Triple]
    omitted: dict[str, int] = field(default_factory=dict)
    """Predicate label -> how many more of its values the data has than `statements` lists."""

    def values(self, *predicates: NamedNode) -> list[Value]:
        """The values of these predicates, in this order."""
        return [s.value for p in predicates for s in self.statements if s.predicate == p.value]

    def has_type(self, cls: NamedNode) -> bool:
        return any(t.iri == cls.value for t in self.types)


def compact(iri: str) -> str:
    """'http://id.loc.gov/ontologies/bibframe/title' -> 'bf:title'."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def describe(
    store: GraphStore,
    minter: Minter,
    iri: NamedNode,
    kind: str,
    incoming_offset: int = 0,
    incoming_limit: int = 50,
    lang: str | None = None,
) -> Description:
    """The entity's statements and one page of incoming links (none when `incoming_limit` is 0);
    what they link to named in `lang` where the data says it in several languages."""
    triples = store.describe(iri)
    by_subject: dict[NamedNode | BlankNode, list[Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)  # type: ignore[arg-type]
    own, omitted = _capped(by_subject.get(iri, []))
    incoming_page = store.incoming(iri, incoming_offset, incoming_limit + 1) if incoming_limit > 0 else []
    shown = [t for t in triples if t.subject != iri] + own
    linked = {t.object for t in shown if isinstance(t.object, NamedNode)}
    linked |= {t.subject for t in incoming_page if isinstance(t.subject, NamedNode)}
    labels = store.labels(linked, LABEL_PREDICATES, lang)
    values = _Values(by_subject, labels, minter)
    types = [values.of(t.object) for t in own if t.predicate == RDF.type]
    label = next(
        (
            t.object.value
            for p in LABEL_PREDICATES
            for t in own
            if t.predicate == p and isinstance(t.object, Literal)
        ),
        compact(iri.value),
    )
    return Description(
        iri=iri.value,
        kind=kind,
        label=label,
        types=types,
        statements=[values.statement(t) for t in own if t.predicate != RDF.type],
        incoming=[
            (values.of(t.subject), t.predicate.value, compact(t.predicate.value))
            for t in incoming_page[:incoming_limit]
        ],
        incoming_offset=incoming_offset,
        incoming_more=len(incoming_page) > incoming_limit,
        triples=triples,
        omitted={compact(p): n for p, n in omitted.items()},
    )


class _Values:
    """Terms as Values: labels for IRIs, blank nodes nested (to a depth of 6)."""

    def __init__(
        self, by_subject: dict[NamedNode | BlankNode, list[Triple]], labels: dict[str, str], minter: Minter
    ) -> None:
        self.by_subject = by_subject
        self.labels = labels
        self.minter = minter

    def of(self, term: Term, depth: int = 0) -> Value:
        if isinstance(term, Triple):  # RDF 1.2 quoted triple: shown as text
            return Value(str(term))
        if isinstance(term, Literal):
            datatype: str | None = term.datatype.value if term.datatype else None
            if datatype and datatype.endswith(("#string", "#langString")):
                datatype = None
            return Value(term.value, language=term.language, datatype=compact(datatype) if datatype else None)
        if isinstance(term, BlankNode):
            nested = self.by_subject.get(term, []) if depth < 6 else []
            children = [self.statement(t, depth + 1) for t in nested]
            return Value(blank_label(self.by_subject.get(term, [])), children=children)
        return Value(
            self.labels.get(term.value) or compact(term.value),
            iri=term.value,
            href=self.minter.path_of(term.value) or term.value,
        )

    def statement(self, t: Triple, depth: int = 0) -> Statement:
        return Statement(t.predicate.value, compact(t.predicate.value), self.of(t.object, depth))


def _capped(own: list[Triple]) -> tuple[list[Triple], dict[str, int]]:
    """At most VALUES_SHOWN statements per predicate, and how many were left out of each."""
    seen: dict[str, int] = {}
    kept: list[Triple] = []
    for t in own:
        n = seen[t.predicate.value] = seen.get(t.predicate.value, 0) + 1
        if n <= VALUES_SHOWN:
            kept.append(t)
    return kept, {p: n - VALUES_SHOWN for p, n in seen.items() if n > VALUES_SHOWN}


def blank_label(triples: Sequence[Triple]) -> str:
    """What a blank node (a title, a provision activity...) is called: its first label."""
    for predicate in (*LABEL_PREDICATES, BFLC.simpleAgent, BFLC.simplePlace, BFLC.simpleDate):
        for t in triples:
            if t.predicate == predicate and isinstance(t.object, Literal):
                return t.object.value
    return ""


__all__ = ["LABEL_PREDICATES", "Description", "Statement", "Value", "compact", "describe"]
