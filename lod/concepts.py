"""The library registry's controlled values: library types, ownership and services.

They are SKOS concepts in ontologies/registry.ttl, the single source of their codes, labels and
Wikidata matches; this module reads that file on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat

from lod.vocab import LIBRARY_TYPES, OWNERSHIPS, SERVICES, SKOS

# skos:notation, exactMatch and closeMatch are not in lod.vocab.SKOS; only this module needs them.
NOTATION = NamedNode(SKOS.iri + "notation")
MATCHES = (NamedNode(SKOS.iri + "exactMatch"), NamedNode(SKOS.iri + "closeMatch"))
Term = NamedNode | BlankNode | pyoxigraph.Triple


@dataclass(frozen=True)
class Concept:
    """A concept: its code (skos:notation), IRI, labels by language ('vi', 'en') and Wikidata matches."""

    code: str
    iri: str
    labels: dict[str, str] = field(hash=False)
    matches: tuple[str, ...] = ()

    def label(self, lang: str = "vi") -> str:
        """The label in `lang`, else the Vietnamese one."""
        return self.labels.get(lang) or self.labels["vi"]


@cache
def _triples() -> tuple[pyoxigraph.Triple, ...]:
    data = resources.files("lod.ontologies").joinpath("registry.ttl").read_bytes()
    return tuple(quad.triple for quad in pyoxigraph.parse(data, RdfFormat.TURTLE))


def concept_triples() -> list[pyoxigraph.Triple]:
    """Every statement of registry.ttl, for loading into the store."""
    return list(_triples())


def _scheme(namespace: str) -> dict[str, Concept]:
    """The concepts of the scheme whose IRI is `namespace` without its final '/', by code, in file order."""
    scheme = NamedNode(namespace.rstrip("/"))
    members = [t.subject for t in _triples() if t.predicate == SKOS.inScheme and t.object == scheme]
    codes: dict[Term, str] = {}
    labels: dict[Term, dict[str, str]] = {s: {} for s in members}
    matches: dict[Term, list[str]] = {s: [] for s in members}
    for s, p, o in _triples():
        if s not in labels or not isinstance(o, Literal | NamedNode):
            continue
        if p == NOTATION:
            codes[s] = o.value
        elif p == SKOS.prefLabel and isinstance(o, Literal) and o.language:
            labels[s][o.language] = o.value
        elif p in MATCHES and isinstance(o, NamedNode):
            matches[s].append(o.value)
    concepts = {}
    for s in members:
        if not isinstance(s, NamedNode) or s not in codes:
            raise ValueError(f"registry.ttl: {s} needs an IRI and a skos:notation")
        concepts[codes[s]] = Concept(codes[s], s.value, labels[s], tuple(sorted(matches[s])))
    return concepts


@cache
def library_types() -> dict[str, Concept]:
    """The 8 library types of Article 9(1), Law on Libraries 46/2019/QH14, by code ('public'...)."""
    return _scheme(LIBRARY_TYPES)


@cache
def ownerships() -> dict[str, Concept]:
    """Article 9(2): 'public' (công lập) and 'non-public' (ngoài công lập)."""
    return _scheme(OWNERSHIPS)


@cache
def services() -> dict[str, Concept]:
    """The services a library offers, by code ('lending', 'reading-room'...)."""
    return _scheme(SERVICES)
