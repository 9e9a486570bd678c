"""schema.org JSON-LD for the <head> of pages (for search engines and portals that read embedded
metadata): an entity's own schema.org statements with the type and name of what they link to,
and the dataset's description on the home page. Dublin Core comes from `lod.facts.Facts`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from lod.vocab import RDF, SCHEMA


def jsonld_for_page(triples: Sequence[Triple], iri: NamedNode) -> str:
    """The entity's schema.org statements as compact JSON-LD, safe to put in a <script> element,
    with the schema.org type and name of the entities they link to when `triples` has them (so an
    author is a named Person rather than a bare IRI)."""
    own = [t for t in triples if t.subject == iri and _schema(t)]
    linked = {t.object for t in own if isinstance(t.object, NamedNode) and t.object != iri}
    named = [
        t
        for t in triples
        if t.subject in linked and (t.predicate == SCHEMA.name or (t.predicate == RDF.type and _schema(t)))
    ]
    data = serialize(list(dict.fromkeys(own + named)), format=RdfFormat.JSON_LD) or b"[]"
    nodes = [_compact(node) for node in json.loads(data)]
    return _script_safe({"@context": {"@vocab": SCHEMA.iri}, "@graph": nodes})


def _compact(node: dict[str, Any]) -> dict[str, Any]:
    """One node object of pyoxigraph's expanded JSON-LD, compacted against `{"@vocab": schema}`:
    schema.org IRIs as terms, rdf:type as @type, plain strings as strings, one value unwrapped.
    (rdflib's compaction did the same at 2.8 ms of an instance page's 12; this takes 0.1.)"""
    compact: dict[str, Any] = {"@id": node["@id"]}
    for key, values in node.items():
        if key == "@id":
            continue
        if key == RDF.type.value:
            compact["@type"] = _one([_term(v["@id"]) for v in values])
        else:
            compact[_term(key)] = _one([_value(v) for v in values])
    return compact


def _term(iri: str) -> str:
    # a schema.org IRI whose local name is a plain word is that word under @vocab; others stay whole
    local = iri[len(SCHEMA.iri) :] if iri.startswith(SCHEMA.iri) else ""
    return local if local.isalnum() else iri


def _value(value: dict[str, str]) -> Any:
    return value["@value"] if set(value) == {"@value"} else value


def _one(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def dataset_jsonld(name: str, description: str, url: str, licence: str) -> str:
    """The home page's schema.org Dataset: what the data is and under which licence."""
    dataset: dict[str, Any] = {
        "@context": "http://schema.org/",
        "@type": "Dataset",
        "@id": url,
        "name": name,
        "description": description,
        "url": url,
        "license": licence,
        "isAccessibleForFree": True,
    }
    return _script_safe(dataset)


def _schema(t: Triple) -> bool:
    if t.predicate == RDF.type:
        return isinstance(t.object, NamedNode) and t.object.value.startswith(SCHEMA.iri)
    return t.predicate.value.startswith(SCHEMA.iri)


def _script_safe(data: object) -> str:
    # '</script>' inside a string would end the element early; JSON allows '<\/'.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
