"""The one table of formats: RDF serialisations, the HTML page, and SPARQL result formats.

The CLI, the web layer (`lod.web.negotiation`) and the dumps (`lod.dumps`) all look formats up here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pyoxigraph import QueryResultsFormat, RdfFormat, serialize

from lod.triples import AnyTriple, ntriples, to_oxigraph
from lod.vocab import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str
    """Short name used in `?format=` and `--format`; also the file extension."""
    media_types: tuple[str, ...]
    """The first one is what we send; the others are accepted aliases."""
    label: str
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def extension(self) -> str:
        return self.name


HTML = Format("html", ("text/html",), "HTML")
TURTLE = Format("ttl", ("text/turtle", "application/x-turtle"), "Turtle", rdf=RdfFormat.TURTLE)
NTRIPLES = Format("nt", ("application/n-triples", "text/plain"), "N-Triples", rdf=RdfFormat.N_TRIPLES)
JSONLD = Format("jsonld", ("application/ld+json",), "JSON-LD", rdf=RdfFormat.JSON_LD)
NQUADS = Format("nq", ("application/n-quads",), "N-Quads", rdf=RdfFormat.N_QUADS)
"""A whole dataset with its named graphs (the dumps of lod.dumps)."""
RDFXML = Format("rdf", ("application/rdf+xml", "application/xml"), "RDF/XML", rdf=RdfFormat.RDF_XML)

SPARQL_JSON = Format(
    "json",
    ("application/sparql-results+json", "application/json"),
    "SPARQL JSON",
    results=QueryResultsFormat.JSON,
)
SPARQL_XML = Format(
    "xml", ("application/sparql-results+xml", "application/xml"), "SPARQL XML", results=QueryResultsFormat.XML
)
SPARQL_CSV = Format("csv", ("text/csv",), "CSV", results=QueryResultsFormat.CSV)
SPARQL_TSV = Format("tsv", ("text/tab-separated-values",), "TSV", results=QueryResultsFormat.TSV)

JSON = Format("json", ("application/json",), "JSON")
"""Plain JSON answers of the web API (library lists, lookups)."""
PROBLEM_JSON = Format("problem", ("application/problem+json", "application/json"), "Problem JSON")
"""RFC 9457 error bodies for programs (people get an HTML page)."""

RDF_FORMATS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML)
"""Entity descriptions and CONSTRUCT/DESCRIBE results."""
DOCUMENT_FORMATS: tuple[Format, ...] = (HTML, *RDF_FORMATS)
"""What an entity IRI can be dereferenced to; HTML first: browsers and `*/*` get the page."""
RESULT_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
"""SELECT and ASK results; JSON first."""
SPARQL_PAGE_FORMATS: tuple[Format, ...] = (HTML, *RESULT_FORMATS)


def by_name(name: str, offered: Iterable[Format]) -> Format | None:
    wanted = name.strip().lower()
    return next((f for f in offered if f.name == wanted or wanted in f.media_types), None)


@cache
def jsonld_context() -> dict[str, Any]:
    """Our published JSON-LD context (ontologies/context.jsonld)."""
    text = resources.files("lod.ontologies").joinpath("context.jsonld").read_text(encoding="utf-8")
    return dict(json.loads(text))


def serialize_triples(
    triples: Iterable[AnyTriple], fmt: Format, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise triples (the converters' or pyoxigraph's); JSON-LD is compacted with our context
    so people can read it. `prefixes` are used besides ours (lod.vocab.PREFIXES)."""
    if fmt.rdf is None:
        raise ValueError(f"{fmt.name} is not an RDF format")
    if fmt.rdf == RdfFormat.N_TRIPLES:
        return ntriples(triples).encode("utf-8")
    if fmt.rdf == RdfFormat.JSON_LD:
        return _compact_jsonld(triples)
    return serialize(to_oxigraph(triples), format=fmt.rdf, prefixes={**PREFIXES, **(prefixes or {})}) or b""


def _compact_jsonld(triples: Iterable[AnyTriple]) -> bytes:
    """JSON-LD compacted with our context, the same bytes for the same triples (so its ETag holds):
    blank nodes keep the store's identifiers, and nodes and values are sorted."""
    from lod.validation import to_rdflib

    context = jsonld_context()["@context"]
    text = to_rdflib(triples).serialize(format="json-ld", context=context, auto_compact=True)
    return json.dumps(_sorted(json.loads(text)), ensure_ascii=False, indent=2).encode("utf-8")


def _sorted(value: Any) -> Any:
    """Keys and unordered arrays in a fixed order (JSON-LD arrays are sets, except @list)."""
    if isinstance(value, dict):
        return {key: (item if key == "@list" else _sorted(item)) for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
