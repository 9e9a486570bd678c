"""Facts of the entities records point to by heading: Agents (their works, what they published,
works about them), Topics and Places (works on them, headings built on them), Series."""

from __future__ import annotations

import re

from lod.describe import Description, Value
from lod.facts import lists
from lod.facts.model import Context, Facts
from lod.vocab import BF, LODV, OWL, RDF, SCHEMA, SKOS

DATES = re.compile(r",?\s*(\d{3,4}\??\s*-\s*(?:\d{3,4}\??)?)\.?$")
"""The dates a personal name heading ends with (100 $d): 'Nguyễn, Du, 1765-1820', 'Tô Hoài, 1920-'."""


def agent(ctx: Context) -> Facts:
    """A person, family or organization: names, dates, identifiers, then their works, what they
    published and the works about them."""
    d = ctx.d
    facts = Facts(d.label)
    facts.add("variant_names", d.values(SCHEMA.alternateName))
    facts.add("dates", _dates(d))
    facts.add("identifiers", _identifiers(d))
    facts.add("same_as", d.values(SCHEMA.sameAs, OWL.sameAs))
    facts.sections += [
        lists.works(ctx, "works", d.iri),
        lists.linked(ctx, "published", (SCHEMA.publisher,), d.iri, publisher=False),
        lists.linked(ctx, "about", lists.WORKS_ABOUT, d.iri),
    ]
    facts.schema = lists.schema_statements(ctx, d.iri, d.triples)
    return facts


def topic(ctx: Context) -> Facts:
    """A subject heading (topic, period, genre...): its scheme, its parts and related concepts,
    then the works on it and the headings built on it."""
    facts = _heading(ctx)
    facts.sections += [
        lists.linked(ctx, "about", lists.WORKS_ABOUT, ctx.d.iri),
        lists.headings(ctx, ctx.d.iri),
    ]
    return facts


def place(ctx: Context) -> Facts:
    """A place: as a subject (works about it) and as where Instances were published."""
    facts = _heading(ctx)
    facts.sections += [
        lists.linked(ctx, "about", lists.WORKS_ABOUT, ctx.d.iri),
        lists.linked(ctx, "published_here", (SCHEMA.locationCreated,), ctx.d.iri),
        lists.headings(ctx, ctx.d.iri),
    ]
    return facts


def series(ctx: Context) -> Facts:
    """A series and the Instances in it."""
    d = ctx.d
    facts = Facts(d.label)
    facts.add("identifiers", _identifiers(d))
    facts.sections.append(lists.linked(ctx, "in_series", (SCHEMA.isPartOf,), d.iri))
    facts.schema = lists.schema_statements(ctx, d.iri, d.triples)
    return facts


def _heading(ctx: Context) -> Facts:
    d = ctx.d
    facts = Facts(d.label)
    facts.add("scheme", [_scheme(v) for v in d.values(BF.source)])
    facts.add("components", d.values(LODV.component))
    facts.add("broader", d.values(SKOS.broader))
    facts.add("narrower", d.values(SKOS.narrower))
    facts.add("related", d.values(SKOS.related))
    facts.add("variant_names", d.values(SKOS.altLabel, SCHEMA.alternateName))
    facts.add("identifiers", _identifiers(d))
    facts.schema = lists.schema_statements(ctx, d.iri, d.triples)
    return facts


def _dates(d: Description) -> list[Value]:
    if not d.has_type(BF.Person) or not (match := DATES.search(d.label)):
        return []
    return [Value(match.group(1).replace(" ", ""))]


def _identifiers(d: Description) -> list[Value]:
    """bf:identifiedBy values: a link when they are IRIs (id.loc.gov, VIAF...), else the text."""
    found = []
    for identifier in d.values(BF.identifiedBy):
        for v in identifier.get(RDF.value):
            value = v.text.strip(" ,")
            iri = value if value.startswith(("http://", "https://")) else None
            found.append(Value(value, iri=iri, href=iri))
    return found


def _scheme(source: Value) -> Value:
    """A bf:Source: an id.loc.gov scheme IRI, or a local code ('Bộ TK TVQG')."""
    if source.iri is not None:
        return source
    return Value(next((c.text for c in source.get(BF.code)), source.text))
