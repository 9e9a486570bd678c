"""The schema.org view of a converted record, derived from its BIBFRAME triples in this one place.

What search engines, the national knowledge portal and the HTML pages' JSON-LD read: Book (or the
type the record's leader implies), name, author, contributor, isbn, issn, publisher,
datePublished, inLanguage, about, genre, bookEdition, numberOfPages, description,
workExample/exampleOfWork, url, isPartOf, and for copies holdingArchive and sku.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from lod.converters.context import BCP47, RecordContext
from lod.triples import Triple
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


class Index(dict[object, dict[NamedNode, list[object]]]):
    """subject -> predicate -> objects; a subject with no statements reads as empty."""

    def __missing__(self, key: object) -> dict[NamedNode, list[object]]:
        return {}


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


def _index(triples: Iterable[Triple]) -> Index:
    index = Index()
    indexed = INDEXED
    for s, p, o in triples:
        if p not in indexed:
            continue
        props = index.get(s)
        if props is None:
            index[s] = {p: [o]}
            continue
        found = props.get(p)
        if found is None:
            props[p] = [o]
        else:
            found.append(o)
    return index


def schema_view(triples: list[Triple], ctx: RecordContext) -> list[Triple]:
    index = _index(triples)
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
            schema_type = entity_types.get(cls)  # type: ignore[call-overload]
            if schema_type is not None:
                add((subject, RDF.type, schema_type))  # type: ignore[arg-type]
                entity = True
                agent_class = agent_class or cls in AGENT_CLASSES
        is_agent = BF.Agent in types
        if entity or is_agent:
            for label in props.get(RDFS.label, ()):
                add((subject, SCHEMA.name, label))  # type: ignore[arg-type]
            for same in props.get(OWL.sameAs, ()):
                add((subject, SCHEMA.sameAs, same))  # type: ignore[arg-type]
            if is_agent and not agent_class:
                add((subject, RDF.type, SCHEMA.Organization))  # type: ignore[arg-type]
        elif BF.Item in types:
            add((subject, RDF.type, SCHEMA.Thing))  # type: ignore[arg-type]
            for library in props.get(BF.heldBy, ()):
                add((subject, SCHEMA.holdingArchive, library))  # type: ignore[arg-type]
            for node in props.get(BF.identifiedBy, ()):
                if BF.Barcode in index[node].get(RDF.type, ()):
                    for value in index[node].get(RDF.value, ()):
                        add((subject, SCHEMA.sku, value))  # type: ignore[arg-type]
    if work in index:
        out += _work(index, work, instance)
    if instance in index:
        out += _instance(index, work, instance)
    return out


def _work(index: Index, work: NamedNode, instance: NamedNode) -> list[Triple]:
    props = index[work]
    out: list[Triple] = [(work, RDF.type, SCHEMA.CreativeWork), (work, SCHEMA.workExample, instance)]
    for label in props.get(RDFS.label, []):
        out.append((work, SCHEMA.name, label))  # type: ignore[arg-type]
    for contribution in props.get(BF.contribution, []):
        c = index[contribution]
        roles = set(c.get(BF.role, []))
        primary = BF.PrimaryContribution in c.get(RDF.type, [])
        relation = SCHEMA.author if primary or roles & AUTHOR_ROLES else SCHEMA.contributor
        for agent in c.get(BF.agent, []):
            out.append((work, relation, agent))  # type: ignore[arg-type]
            out.append((instance, relation, agent))  # type: ignore[arg-type]
            for role in roles:
                if role in ROLE_PROPERTIES:
                    out.append((work, ROLE_PROPERTIES[role], agent))  # type: ignore[index,arg-type]
    for topic in props.get(BF.subject, []):
        out.append((work, SCHEMA.about, topic))  # type: ignore[arg-type]
    for genre in props.get(BF.genreForm, []):
        out.append((work, SCHEMA.genre, genre))  # type: ignore[arg-type]
    out += [(work, SCHEMA.inLanguage, tag) for tag in _languages(index, work)]
    for summary in props.get(BF.summary, []):
        for label in index[summary].get(RDFS.label, []):
            out.append((work, SCHEMA.description, label))  # type: ignore[arg-type]
    return out


def _instance(index: Index, work: NamedNode, instance: NamedNode) -> list[Triple]:
    props = index[instance]
    types = index[work].get(RDF.type, [])
    schema_type = next((WORK_TYPES[t] for t in types if t in WORK_TYPES), SCHEMA.CreativeWork)  # type: ignore[index]
    if BF.Serial in props.get(RDF.type, []):
        schema_type = SCHEMA.Periodical
    out: list[Triple] = [(instance, RDF.type, schema_type), (instance, SCHEMA.exampleOfWork, work)]
    for label in props.get(RDFS.label, []):
        out.append((instance, SCHEMA.name, label))  # type: ignore[arg-type]
    for node in props.get(BF.identifiedBy, []):
        id_props = index[node]
        if BF.status in id_props:
            continue
        id_types = id_props.get(RDF.type, [])
        for value in id_props.get(RDF.value, []):
            if BF.Isbn in id_types:
                out.append((instance, SCHEMA.isbn, value))  # type: ignore[arg-type]
            elif BF.Issn in id_types:
                out.append((instance, SCHEMA.issn, value))  # type: ignore[arg-type]
    dated = False
    for activity in props.get(BF.provisionActivity, []):
        a = index[activity]
        if BF.Publication not in a.get(RDF.type, []):
            continue
        for agent in a.get(BF.agent, []):
            out.append((instance, SCHEMA.publisher, agent))  # type: ignore[arg-type]
        for place in a.get(BF.place, []):
            if not place.value.startswith(ID_COUNTRIES):  # type: ignore[attr-defined]  # 008's code
                out.append((instance, SCHEMA.locationCreated, place))  # type: ignore[arg-type]
        for date in a.get(BF.date, []):
            if not dated:
                out.append((instance, SCHEMA.datePublished, Literal(date.value)))  # type: ignore[attr-defined]
                dated = True
    for statement in props.get(BF.editionStatement, []):
        out.append((instance, SCHEMA.bookEdition, statement))  # type: ignore[arg-type]
    for extent in props.get(BF.extent, []):
        for label in index[extent].get(RDFS.label, []):
            if pages := _PAGES.search(label.value):  # type: ignore[attr-defined]
                out.append((instance, SCHEMA.numberOfPages, Literal(int(pages.group(1)))))
                break
    for url in props.get(BF.electronicLocator, []):
        out.append((instance, SCHEMA.url, Literal(url.value)))  # type: ignore[attr-defined]
    for series in props.get(BF.hasSeries, []):
        out.append((instance, SCHEMA.isPartOf, series))  # type: ignore[arg-type]
    out += [(instance, SCHEMA.inLanguage, tag) for tag in _languages(index, work)]
    return out


def _languages(index: Index, work: NamedNode) -> list[Literal]:
    """The Work's bf:language IRIs as BCP 47 tags, as schema:inLanguage wants them."""
    codes = [language.value.removeprefix(ID_LANGUAGES) for language in index[work].get(BF.language, [])]  # type: ignore[attr-defined]
    return [Literal(BCP47.get(code, code)) for code in codes]
