"""600-662: subjects (names, titles, chronological terms, topics, places), uncontrolled keywords
(653) and genre/form (655).

Spec sheet: LC ConvSpec-600-662. A heading with subdivisions is one Topic labelled
'Văn học Việt Nam--Phê bình', linked with lodv:component to a Topic, Place, Temporal or GenreForm
for each subdivision ($v $x $y $z), so both the whole heading and its parts can be searched.
Topics are keyed by class and match key (no national authority file exists). The thesaurus comes
from the second indicator or $2: a code on LC's lists is its id.loc.gov subjectSchemes (for
655 genreFormSchemes) IRI, another code a bf:Source with bf:code. $0/$1 become links.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from pyoxigraph import BlankNode, NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields, known_iri, links, source
from lod.converters.marc.f1xx_7xx_agents import (
    agent,
    agent_iri,
    agent_types,
    heading,
    related_work,
    work_title,
)
from lod.converters.text import clean, heading_key
from lod.marcrecord import Field, Record, Subfield
from lod.triples import Triple
from lod.uris import Minter
from lod.vocab import BF, ID_GENRE_SCHEMES, ID_SUBJECT_SCHEMES, LODV, RDF, RDFS

TOPIC_CLASSES: dict[str, NamedNode] = {
    "630": BF.Work, "647": BF.Topic, "648": BF.Temporal, "650": BF.Topic, "651": BF.Place,
    "653": BF.Topic, "654": BF.Topic, "655": BF.GenreForm, "656": BF.Topic, "657": BF.Topic,
    "658": BF.Topic, "662": BF.Place, "690": BF.Topic, "691": BF.Place,
}  # fmt: skip
SUBDIVISION_CLASSES = {"v": BF.GenreForm, "x": BF.Topic, "y": BF.Temporal, "z": BF.Place}
THESAURI = {"0": "lcsh", "1": "cyac", "2": "mesh", "3": "nal", "5": "cash", "6": "rvm"}
SUBJECT_SCHEMES = frozenset(
    "lcsh cyac mesh nal cash rvm fast gnd swd ram aat embne larpcal bisacsh sears lctgm tgm".split()
)
"""Codes of LC's 'Subject Heading and Term Source Codes' list that we name by IRI; any other code
(a local one such as 'Bộ TK TVQG') stays a bf:Source with its bf:code, never a made-up LC IRI."""
GENRE_SCHEMES = frozenset(
    "lcgft gsafd aat gmgpc rbbin rbgenr rbpap rbpri rbprov rbtyp tgm fast marcgt gnd-content".split()
)
"""Codes of LC's 'Genre/Form Code and Term Source Codes' list that we name by IRI (655 $2)."""
MAIN_CODES = {"630": "adfghklmnoprst", "648": "a", "651": "a", "655": "a", "662": "abcdfgh"}


def _scheme(field: Field) -> str | None:
    if field.tag == "653":
        return None
    if field.indicator2 == "7" or field.indicator2 == "4" or field.tag == "655" and field.indicator2 == " ":
        return clean(field.get("2") or "") or None
    return THESAURI.get(field.indicator2)


def _topic(minter: Minter, cls: NamedNode, label: str) -> tuple[NamedNode, list[Triple]]:
    node = minter.topic(cls.value.rsplit("/", 1)[-1], heading_key([label]))
    return node, [(node, RDF.type, cls), (node, RDFS.label, literal(label))]


def subdivisions(field: Field) -> list[tuple[str, str]]:
    return [
        (sub.code, v)
        for sub in field.subfields
        if sub.code in SUBDIVISION_CLASSES and (v := clean(sub.value))
    ]


Description = tuple[Hashable, tuple[Triple, ...]]
"""(key, triples): one shared entity's description, which a record leaves out when an earlier
record of the same run stated it (RecordContext.describes); the key fixes the triples."""


def _topic_description(minter: Minter, cls: NamedNode, label: str) -> tuple[NamedNode, Description]:
    node, triples = _topic(minter, cls, label)
    return node, ((node, label), tuple(triples))


def _with_subdivisions(
    minter: Minter, field: Field, main: NamedNode, label: str, cls: NamedNode
) -> tuple[NamedNode, list[Description]]:
    """The subject a field names: `main` itself, or with subdivisions the whole heading
    'main--x--y' (of class `cls`) linked to `main` and to one entity per subdivision."""
    parts = subdivisions(field)
    if not parts:
        return main, []
    whole_label = "--".join([label, *(v for _, v in parts)])
    whole, whole_triples = _topic(minter, cls, whole_label)
    whole_triples.append((whole, LODV.component, main))
    descriptions: list[Description] = []
    for code, value in parts:
        part, description = _topic_description(minter, SUBDIVISION_CLASSES[code], value)
        descriptions.append(description)
        whole_triples.append((whole, LODV.component, part))
    return whole, [((whole, whole_label, main), tuple(whole_triples)), *descriptions]


def _described(descriptions: Iterable[Description], ctx: RecordContext) -> list[Triple]:
    """The triples of the descriptions this record is to state."""
    return [t for key, triples in descriptions if ctx.describes(key) for t in triples]


def _attach(subject: NamedNode, field: Field, ctx: RecordContext) -> list[Triple]:
    genre = field.tag == "655"
    triples: list[Triple] = [(ctx.work, BF.genreForm if genre else BF.subject, subject)]
    if scheme := _scheme(field):
        if scheme in (GENRE_SCHEMES if genre else SUBJECT_SCHEMES):
            base = ID_GENRE_SCHEMES if genre else ID_SUBJECT_SCHEMES
            triples.append((subject, BF.source, known_iri(base + scheme)))
        else:
            triples += source(subject, scheme)
    return triples


def name_subject(field: Field, ctx: RecordContext) -> list[Triple]:
    """600/610/611: a person, organization or meeting (or a work, with $t) as a subject."""
    node, triples = agent(field, ctx)
    if node is None:
        return []
    subject: NamedNode = node
    if field.get("t") is not None:
        subject, work_triples = related_work(field, ctx, node)
        triples += work_triples
    label = heading(field) if field.get("t") is None else work_title(field)
    subject, descriptions = _with_subdivisions(ctx.minter, field, subject, label, BF.Topic)
    return [*triples, *_described(descriptions, ctx), *_attach(subject, field, ctx)]


def topic_subject(field: Field, ctx: RecordContext) -> list[Triple]:
    if field.tag == "653":
        triples: list[Triple] = []
        for sub in field.subfields:
            if sub.code == "a" and (value := clean(sub.value)):
                node, description = _topic_description(ctx.minter, BF.Topic, value)
                triples += [*_described((description,), ctx), *_attach(node, field, ctx)]
        return triples
    key = (field.tag, field.subfields)  # (code, value) tuples: hashable as they are
    subject, descriptions = _cached_topic_entity(ctx.minter, key, field)
    if subject is None:
        return []
    return [*_described(descriptions, ctx), *_attach(subject, field, ctx)]


def _topic_entity(minter: Minter, field: Field) -> TopicEntity:
    """The topic a 647-662 names and the triples describing it (not yet attached to the Work)."""
    codes = MAIN_CODES.get(field.tag, "abcdg")
    main_label = clean(" ".join(sub.value for sub in field.subfields if sub.code in codes))
    if not main_label:
        parts = subdivisions(field)
        if not parts:
            return None, ()
        main_label = parts[0][1]
    cls = TOPIC_CLASSES[field.tag]
    if cls is BF.Work:
        cls = BF.Topic
    node, triples = _topic(minter, cls, main_label)
    ids = [sub.value for sub in field.subfields if sub.code in "01"]
    triples += links(node, ids)
    subject, descriptions = _with_subdivisions(minter, field, node, main_label, cls)
    return subject, (((node, main_label, *ids), tuple(triples)), *descriptions)


TopicKey = tuple[str, tuple[Subfield, ...]]
TopicEntity = tuple[NamedNode | None, tuple[Description, ...]]
_TOPIC_CACHE: dict[tuple[Minter, TopicKey], TopicEntity] = {}
_TOPIC_CACHE_SIZE = 1 << 15


def _cached_topic_entity(minter: Minter, key: TopicKey, field: Field) -> TopicEntity:
    """`_topic_entity`, remembered: half the subject fields of a catalogue repeat word for word
    ('History', 'Vietnam--History--1945-1975'). Only IRIs and literals are remembered: an entity
    with a blank node (a '(DLC)sh85…' identifier from $0) must get new ones in every record."""
    found = _TOPIC_CACHE.get((minter, key))
    if found is not None:
        return found
    found = _topic_entity(minter, field)
    if not any(type(term) is BlankNode for _, triples in found[1] for triple in triples for term in triple):
        if len(_TOPIC_CACHE) >= _TOPIC_CACHE_SIZE:
            _TOPIC_CACHE.clear()
        _TOPIC_CACHE[(minter, key)] = found
    return found


def parallel_subject(field: Field, paired: Field, ctx: RecordContext) -> list[Triple]:
    """An 880 in another script paired with a subject: a label of the paired subject's entity."""
    if paired.tag in ("600", "610", "611") and paired.get("t") is None and not subdivisions(paired):
        node, label = agent_iri(paired, ctx), heading(field)
        types = agent_types(node, paired) if node is not None else []
    else:
        # the paired field again, described in full whatever earlier records stated: its entity's
        # types go beside the new label, for the schema view (see agent_types)
        once, ctx.describe_once = ctx.describe_once, False
        try:
            converted = (name_subject if paired.tag in ("600", "610", "611") else topic_subject)(paired, ctx)
        finally:
            ctx.describe_once = once
        attached = [o for s, _, o in converted if s == ctx.work]
        node = attached[-1] if attached else None  # type: ignore[assignment]
        types = [t for t in converted if t[0] == node and t[1] == RDF.type]
        label = "--".join(
            filter(
                None,
                [
                    clean(" ".join(s.value for s in field.subfields if s.code not in "vxyz0123468")),
                    *(v for _, v in subdivisions(field)),
                ],
            )  # fmt: skip
        )
    if node is None or not label:
        return []
    return [*types, (node, RDFS.label, ctx.text(label))]


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = {
    **dict.fromkeys(("600", "610", "611"), name_subject),
    **dict.fromkeys(TOPIC_CLASSES, topic_subject),
}
PARALLEL = dict.fromkeys(FIELDS, parallel_subject)


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
