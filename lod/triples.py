"""The converters' triple: a plain tuple `(subject, predicate, object)` of pyoxigraph terms, and
its way out as N-Triples.

Why not `pyoxigraph.Triple`: its constructor tries each term type in turn, and every failed try costs
about a microsecond, so a triple with a blank-node subject or a literal object costs 2 µs to build,
about half of all conversion time at 200+ triples per record. A tuple literal costs next to nothing
(a NamedTuple still costs 0.3 µs, a Python call). Code that takes either kind unpacks
(`s, p, o = t`), which `pyoxigraph.Triple` supports too.

Leaving the converters there are two doors, both through pyoxigraph's own N-Triples syntax:
`ntriples()` writes each term as pyoxigraph prints it (`str(term)` is its N-Triples form, escapes
included; IRIs are written the same way without the call), and `to_oxigraph()` has pyoxigraph
parse that text back into its own `Triple`s, built in Rust, for serializing to other formats or
loading into a store. Blank nodes keep their identifiers both ways.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat

Subject = NamedNode | BlankNode
Object = NamedNode | BlankNode | Literal


Triple = tuple[Subject, NamedNode, Object]


AnyTriple = Triple | pyoxigraph.Triple
"""What the output functions take: converter triples, or pyoxigraph's (from a store or a parser)."""


class Statements(dict[Any, dict[NamedNode, list[Any]]]):
    """Triples by subject and predicate (subject -> predicate -> objects, in the order added,
    repeats kept), only those with one of `predicates`: one record's statements, indexed once for
    all that read them (lod.converters.schemaorg, lod.clustering.match_keys). A subject without
    statements reads as empty."""

    def __init__(self, predicates: frozenset[NamedNode]) -> None:
        super().__init__()
        self.predicates = predicates

    def __missing__(self, subject: Any) -> dict[NamedNode, list[Any]]:
        return {}

    def add(self, triples: Iterable[AnyTriple]) -> None:
        predicates = self.predicates
        get = self.get
        for s, p, o in triples:
            if p in predicates:
                props = get(s)
                if props is None:
                    self[s] = {p: [o]}
                elif (found := props.get(p)) is None:
                    props[p] = [o]
                else:
                    found.append(o)


def ntriples(triples: Iterable[AnyTriple]) -> str:
    """N-Triples, one line per triple, in the order given (no de-duplication)."""
    # An IRI is written as pyoxigraph writes it, '<' + value + '>' (it validated the IRI, so there
    # is nothing to escape), which is three times cheaper than str(); a blank node as '_:' + its
    # id; a literal through str(), pyoxigraph's own N-Triples form with its escaping.
    lines: list[str] = []
    add = lines.append
    for s, p, o in triples:
        add(f"<{s.value}> <{p.value}> " if type(s) is NamedNode else f"_:{s.value} <{p.value}> ")
        t = type(o)
        add(f"<{o.value}> .\n" if t is NamedNode else f"_:{o.value} .\n" if t is BlankNode else f"{o} .\n")
    return "".join(lines)


def to_oxigraph(triples: Iterable[AnyTriple]) -> list[pyoxigraph.Triple]:
    """The same triples as `pyoxigraph.Triple`s, ready for `pyoxigraph.serialize` or a store."""
    items = triples if isinstance(triples, list) else list(triples)
    if all(isinstance(t, pyoxigraph.Triple) for t in items):
        return items  # type: ignore[return-value]
    text = ntriples(items).encode("utf-8")
    return [quad.triple for quad in pyoxigraph.parse(text, format=RdfFormat.N_TRIPLES)]
