"""The schema.org view of a converted record, derived from its BIBFRAME triples in this one place.

What search engines, the national knowledge portal and the HTML pages' JSON-LD read: Book (or the
type the record's leader implies), name, author, contributor, isbn, issn, publisher,
datePublished, inLanguage, about, genre, bookEdition, numberOfPages, description,
workExample/exampleOfWork, url, isPartOf, and for copies holdingArchive and sku.
"""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode

from lod.converters.context import BCP47, RecordContext, literal
from lod.triples import Statements, Triple
from lod.vocab import BF, ID_COUNTRIES, ID_LANGUAGES, ID_RELATORS, OWL, RDF, RDFS, SCHEMA

AUTHOR_ROLES = {NamedNode(ID_RELATORS + code) for code in ("aut", "cre")}
ROLE_PROPERTIES = {
    NamedNode(ID_RELATORS + "edt"): SCHEMA.editor,
    NamedNode(ID_RELATORS + "trl"): SCHEMA.translator,
    NamedNode(ID_RELATORS + "ill"): SCHEMA.illustrator,
}
AGENT_CLASSES = {
    BF.Person: SCHEMA.Person,
    BF.Family: SCHEMA.Organization,
    BF.Organization: SCHEMA.Organization,
    BF.Meeting: SCHEMA.Organization,
}
TOPIC_CLASSES = {BF.Topic: SCHEMA.DefinedTerm, BF.Temporal: SCHEMA.DefinedTerm,
                 BF.GenreForm: SCHEMA.DefinedTerm, BF.Place: SCHEMA.Place}  # fmt: skip
WORK_TYPES = {
    BF.Text: SCHEMA.Book,
    BF.NotatedMusic: SCHEMA.MusicComposition,
    BF.Cartography: SCHEMA.Map,
    BF.MovingImage: SCHEMA.VideoObject,
    BF.MusicAudio: SCHEMA.MusicRecording,
    BF.StillImage: SCHEMA.VisualArtwork,
}
_PAGES = re.compile(r"(\d+)\s*(?:tr|p|pp|pages|S|с|стр|trang)\b\.?", re.IGNORECASE)


ENTITY_TYPES: dict[NamedNode, NamedNode] = {
    **AGENT_CLASSES, **TOPIC_CLASSES, BF.Series: SCHEMA.CreativeWorkSeries,
}  # fmt: skip
"""BIBFRAME class of a shared entity -> its schema.org type (each entity gets schema:name too)."""


INDEXED = frozenset({
    RDF.type, RDF.value, RDFS.label, OWL.sameAs, BF.heldBy, BF.identifiedBy, BF.status,
    BF.contribution, BF.agent, BF.role, BF.subject, BF.genreForm, BF.language, BF.summary,
    BF.provisionActivity, BF.place, BF.date, BF.editionStatement, BF.extent,
    BF.electronicLocator, BF.hasSeries,
})  # fmt: skip
"""The predicates the view reads; the others (titles, notes, sources...) are not indexed."""


def schema_view(triples: list[Triple], ctx: RecordContext, index: Statements | None = None) -> list[Triple]:
    """The schema.org statements of a record's BIBFRAME `triples`, read from `index` when the caller
    has them indexed already (at least the INDEXED predicates), else from an index of their own."""
    if index is None:
        index = Statements(INDEXED)
        index.add(triples)
    out: list[Triple] = []
    add = out.append
    work, instance = ctx.work, ctx.instance
    entity_types = ENTITY_TYPES
    for subject, props in index.items():
        types = props.get(RDF.type)
        if types is None:  # the Work and Instance have types, but none of those below
            continue
        entity = False
        agent_class = False
        for cls in types:
            schema_type = entity_types.get(cls)
            if schema_type is not None:
                add((subject, RDF.type, schema_type))
                entity = True
                agent_class = agent_class or cls in AGENT_CLASSES
        is_agent = BF.Agent in types
        if entity or is_agent:
            for label in props.get(RDFS.label, ()):
                add((subject, SCHEMA.name, label))
            for same in props.get(OWL.sameAs, ()):
                add((subject, SCHEMA.sameAs, same))
            if is_agent and not agent_class:
                add((subject, RDF.type, SCHEMA.Organization))
        elif BF.Item in types:
            add((subject, RDF.type, SCHEMA.Thing))
            for library in props.get(BF.heldBy, ()):
                add((subject, SCHEMA.holdingArchive, library))
            for node in props.get(BF.identifiedBy, ()):
                if BF.Barcode in index[node].get(RDF.type, ()):
                    for value in index[node].get(RDF.value, ()):
                        add((subject, SCHEMA.sku, value))
    if work in index:
        out += _work(index, work, instance)
    if instance in index:
        out += _instance(index, work, instance)
    return out


def _work(index: Statements, work: NamedNode, instance: NamedNode) -> list[Triple]:
    props = index[work]
    out: list[Triple] = [(work, RDF.type, SCHEMA.CreativeWork), (work, SCHEMA.workExample, instance)]
    for label in props.get(RDFS.label, []):
        out.append((work, SCHEMA.name, label))
    for contribution in props.get(BF.contribution, []):
        c = index[contribution]
        roles = set(c.get(BF.role, []))
        primary = BF.PrimaryContribution in c.get(RDF.type, [])
        relation = SCHEMA.author if primary or roles & AUTHOR_ROLES else SCHEMA.contributor
        for agent in c.get(BF.agent, []):
            out.append((work, relation, agent))
            out.append((instance, relation, agent))
            for role in roles:
                if role in ROLE_PROPERTIES:
                    out.append((work, ROLE_PROPERTIES[role], agent))
    for topic in props.get(BF.subject, []):
        out.append((work, SCHEMA.about, topic))
    for genre in props.get(BF.genreForm, []):
        out.append((work, SCHEMA.genre, genre))
    out += [(work, SCHEMA.inLanguage, tag) for tag in _languages(index, work)]
    for summary in props.get(BF.summary, []):
        for label in index[summary].get(RDFS.label, []):
            out.append((work, SCHEMA.description, label))
    return out


def _instance(index: Statements, work: NamedNode, instance: NamedNode) -> list[Triple]:
    props = index[instance]
    types = index[work].get(RDF.type, [])
    schema_type = next((WORK_TYPES[t] for t in types if t in WORK_TYPES), SCHEMA.CreativeWork)
    if BF.Serial in props.get(RDF.type, []):
        schema_type = SCHEMA.Periodical
    out: list[Triple] = [(instance, RDF.type, schema_type), (instance, SCHEMA.exampleOfWork, work)]
    for label in props.get(RDFS.label, []):
        out.append((instance, SCHEMA.name, label))
    for node in props.get(BF.identifiedBy, []):
        id_props = index[node]
        if BF.status in id_props:
            continue
        id_types = id_props.get(RDF.type, [])
        for value in id_props.get(RDF.value, []):
            if BF.Isbn in id_types:
                out.append((instance, SCHEMA.isbn, value))
            elif BF.Issn in id_types:
                out.append((instance, SCHEMA.issn, value))
    dated = False
    for activity in props.get(BF.provisionActivity, []):
        a = index[activity]
        if BF.Publication not in a.get(RDF.type, []):
            continue
        for agent in a.get(BF.agent, []):
            out.append((instance, SCHEMA.publisher, agent))
        for place in a.get(BF.place, []):
            if not place.value.startswith(ID_COUNTRIES):  # 008's code
                out.append((instance, SCHEMA.locationCreated, place))
        for date in a.get(BF.date, []):
            if not dated:
                out.append((instance, SCHEMA.datePublished, literal(date.value)))
                dated = True
    for statement in props.get(BF.editionStatement, []):
        out.append((instance, SCHEMA.bookEdition, statement))
    for extent in props.get(BF.extent, []):
        for label in index[extent].get(RDFS.label, []):
            if pages := _PAGES.search(label.value):
                out.append((instance, SCHEMA.numberOfPages, Literal(int(pages.group(1)))))
                break
    for url in props.get(BF.electronicLocator, []):
        out.append((instance, SCHEMA.url, Literal(url.value)))
    for series in props.get(BF.hasSeries, []):
        out.append((instance, SCHEMA.isPartOf, series))
    out += [(instance, SCHEMA.inLanguage, tag) for tag in _languages(index, work)]
    return out


def _languages(index: Statements, work: NamedNode) -> list[Literal]:
    """The Work's bf:language IRIs as BCP 47 tags, as schema:inLanguage wants them."""
    codes = [language.value.removeprefix(ID_LANGUAGES) for language in index[work].get(BF.language, [])]
    return [literal(BCP47.get(code, code)) for code in codes]
