"""schema.org JSON-LD for the <head> of pages (for search engines and portals that read embedded
metadata): an entity's own schema.org statements with the type and name of what they link to,
and the dataset's description on the home page. Dublin Core comes from `lod.facts.Facts`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pyoxigraph import NamedNode, Triple

from lod.validation import to_rdflib
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
    graph = to_rdflib(dict.fromkeys(own + named))
    text = graph.serialize(format="json-ld", context={"@vocab": SCHEMA.iri}, auto_compact=True)
    return _script_safe(json.loads(text))


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
