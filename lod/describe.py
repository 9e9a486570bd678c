"""What a page shows about one entity: its statements (blank nodes nested), the labels of what it
links to, a summary for people (title, authors, publication, subjects, holdings), and a page of
incoming links. Framework-free: the web layer only renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import BF, BFLC, PREFIXES, RDF, RDFS, SCHEMA

LABEL_PREDICATES = (RDFS.label, SCHEMA.name, BF.mainTitle, RDF.value)
Term = NamedNode | BlankNode | Literal | Triple


@dataclass
class Value:
    text: str
    iri: str | None = None
    href: str | None = None
    """Local path for our own IRIs, the IRI itself for others."""
    language: str | None = None
    datatype: str | None = None
    children: list[Statement] = field(default_factory=list)


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
    summary: dict[str, list[Value]] = field(default_factory=dict)

    def first(self, key: str) -> Value | None:
        values = self.summary.get(key)
        return values[0] if values else None


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
) -> Description:
    triples = store.describe(iri)
    by_subject: dict[NamedNode | BlankNode, list[Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)  # type: ignore[arg-type]
    incoming_page = store.incoming(iri, incoming_offset, incoming_limit + 1)
    linked = {t.object for t in triples if isinstance(t.object, NamedNode)}
    linked |= {t.subject for t in incoming_page if isinstance(t.subject, NamedNode)}
    labels = store.labels(linked, LABEL_PREDICATES)

    def value_of(term: Term, depth: int = 0) -> Value:
        if isinstance(term, Triple):  # RDF 1.2 quoted triple: shown as text
            return Value(str(term))
        if isinstance(term, Literal):
            datatype: str | None = term.datatype.value if term.datatype else None
            if datatype and datatype.endswith(("#string", "#langString")):
                datatype = None
            return Value(term.value, language=term.language, datatype=compact(datatype) if datatype else None)
        if isinstance(term, BlankNode):
            nested = by_subject.get(term, []) if depth < 6 else []
            children = [statement(t, depth + 1) for t in nested]
            return Value(_blank_label(by_subject.get(term, [])), children=children)
        return Value(
            labels.get(term.value) or compact(term.value),
            iri=term.value,
            href=minter.path_of(term.value) or term.value,
        )

    def statement(t: Triple, depth: int = 0) -> Statement:
        return Statement(t.predicate.value, compact(t.predicate.value), value_of(t.object, depth))

    own = by_subject.get(iri, [])
    types = [value_of(t.object) for t in own if t.predicate == RDF.type]
    statements = [statement(t) for t in own if t.predicate != RDF.type]
    label = next(
        (
            t.object.value
            for p in LABEL_PREDICATES
            for t in own
            if t.predicate == p and isinstance(t.object, Literal)
        ),
        compact(iri.value),
    )
    incoming = [
        (value_of(t.subject), t.predicate.value, compact(t.predicate.value))
        for t in incoming_page[:incoming_limit]
    ]
    description = Description(
        iri=iri.value,
        kind=kind,
        label=label,
        types=types,
        statements=statements,
        incoming=incoming,
        incoming_offset=incoming_offset,
        incoming_more=len(incoming_page) > incoming_limit,
        triples=triples,
    )
    description.summary = _summary(description, own, by_subject, value_of)
    if kind == "instance":  # readers expect the work's subjects and summary on the book's page
        for work in description.summary["work"]:
            if work.iri is None:
                continue
            work_node = NamedNode(work.iri)
            work_triples = store.describe(work_node)
            labels.update(
                store.labels(
                    {t.object for t in work_triples if isinstance(t.object, NamedNode)}, LABEL_PREDICATES
                )
            )
            for t in work_triples:
                if t.subject != work_node:
                    continue
                if t.predicate in (SCHEMA.about, SCHEMA.genre):
                    description.summary["subjects"].append(value_of(t.object))
                elif t.predicate == SCHEMA.description:
                    description.summary["description"].append(value_of(t.object))
    return description


def _blank_label(triples: Sequence[Triple]) -> str:
    for predicate in (*LABEL_PREDICATES, BFLC.simpleAgent, BFLC.simplePlace, BFLC.simpleDate):
        for t in triples:
            if t.predicate == predicate and isinstance(t.object, Literal):
                return t.object.value
    return ""


def _summary(
    description: Description,
    own: list[Triple],
    by_subject: dict[NamedNode | BlankNode, list[Triple]],
    value_of: Callable[[Term], Value],
) -> dict[str, list[Value]]:
    """The fields a reader looks for first, for Works and Instances."""

    def objects(predicate: NamedNode, triples: Sequence[Triple] = own) -> list[Value]:
        return [value_of(t.object) for t in triples if t.predicate == predicate]

    summary = {
        "authors": objects(SCHEMA.author) + objects(SCHEMA.contributor),
        "subjects": objects(SCHEMA.about) + objects(SCHEMA.genre),
        "instances": objects(BF.hasInstance),
        "work": objects(BF.instanceOf),
        "responsibility": objects(BF.responsibilityStatement),
        "edition": objects(BF.editionStatement),
        "isbn": objects(SCHEMA.isbn),
        "description": objects(SCHEMA.description),
        "extent": [],
        "publication": [],
        "held_by": [],
    }
    for t in own:
        if t.predicate == BF.provisionActivity and isinstance(t.object, BlankNode):
            parts = by_subject.get(t.object, [])
            text = " : ".join(
                p
                for p in (_first_literal(parts, BFLC.simplePlace), _first_literal(parts, BFLC.simpleAgent))
                if p
            )
            date = _first_literal(parts, BFLC.simpleDate)
            summary["publication"].append(Value(", ".join(p for p in (text, date) if p)))
        if t.predicate == BF.extent and isinstance(t.object, BlankNode):
            summary["extent"].append(Value(_blank_label(by_subject.get(t.object, []))))
    return summary


def _first_literal(triples: Sequence[Triple], predicate: NamedNode) -> str:
    return next(
        (t.object.value for t in triples if t.predicate == predicate and isinstance(t.object, Literal)), ""
    )


__all__ = ["Description", "Statement", "Value", "compact", "describe"]
