"""schema.org JSON-LD and Dublin Core for the <head> of entity pages (for search engines and
portals that read embedded metadata)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from lod.vocab import RDF, SCHEMA


def jsonld_for_page(triples: Sequence[Triple], iri: NamedNode) -> str:
    """The entity's schema.org statements as compact JSON-LD, safe to put in a <script> element."""
    import rdflib

    own = [
        t
        for t in triples
        if t.subject == iri
        and (
            t.predicate.value.startswith(SCHEMA.iri)
            or (
                t.predicate == RDF.type
                and isinstance(t.object, NamedNode)
                and t.object.value.startswith(SCHEMA.iri)
            )
        )
    ]
    graph = rdflib.Graph()
    data = serialize(own, format=RdfFormat.N_TRIPLES) or b""
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    text = graph.serialize(format="json-ld", context={"@vocab": SCHEMA.iri}, auto_compact=True)
    # '</script>' inside a string would end the element early; JSON allows '<\/'.
    return json.dumps(json.loads(text), ensure_ascii=False).replace("</", "<\\/")
