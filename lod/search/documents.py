"""What the search index knows of one catalogue record: a pure function of its record graph.

A record graph holds the library's description of one book (its Instance, Work, Items and the
labels of what they link to: lod.converters). `record_document` reads the texts people search by
(titles, agents, subjects, series, publishers, identifiers, notes) and the values they narrow a
search by (library, type of resource, language, year) from those statements alone, so the index
can be rebuilt from the store at any time and a changed record costs reading its graph only.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from lod.converters.marc.f010_048 import isbn10_to_13
from lod.triples import AnyTriple, Triple
from lod.vocab import BF, BFLC, ID_LANGUAGES, RDF, RDFS, SCHEMA

TEXT_FIELDS = ("title", "agent", "subject", "series", "publisher", "identifier", "note")
"""The searchable fields, in the order of the index's columns."""

RESOURCE_TYPES = (
    "Text NotatedMusic Cartography Audio MusicAudio NonMusicAudio MovingImage StillImage Object "
    "MixedMaterial Multimedia Dataset Kit Manuscript"
).split()
"""BIBFRAME classes of a Work (or a manuscript Instance) offered as the 'type of resource' facet."""

_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_ID_TYPES = {BF.Isbn, BF.Issn, BF.Lccn, BF.Ean, BF.Ismn, BF.Doi, BF.Local}


@dataclass(slots=True)
class RecordDocument:
    """One record's searchable texts and facet values; `instance` is its own Instance's IRI."""

    instance: str
    title: str = ""
    texts: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in TEXT_FIELDS})
    libraries: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    year: int | None = None
    created: str = ""
    items: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "instance": self.instance,
            "title": self.title,
            "texts": {k: v for k, v in self.texts.items() if v},
            "libraries": self.libraries,
            "types": self.types,
            "languages": self.languages,
            "year": self.year,
            "created": self.created,
            "items": self.items,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: dict[str, object]) -> RecordDocument:
        texts: dict[str, list[str]] = {name: [] for name in TEXT_FIELDS}
        texts.update(data.get("texts") or {})  # type: ignore[call-overload]
        return cls(
            instance=str(data["instance"]),
            title=str(data.get("title") or ""),
            texts=texts,
            libraries=list(data.get("libraries") or []),  # type: ignore[call-overload]
            types=list(data.get("types") or []),  # type: ignore[call-overload]
            languages=list(data.get("languages") or []),  # type: ignore[call-overload]
            year=data.get("year"),  # type: ignore[arg-type]
            created=str(data.get("created") or ""),
            items=int(data.get("items") or 0),  # type: ignore[call-overload]
        )


class _Graph:
    """The statements of one record graph, indexed by subject."""

    def __init__(self, triples: Iterable[Triple | AnyTriple]) -> None:
        self.out: dict[object, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            self.out[s][p.value].append(o)

    def values(self, node: object, predicate: NamedNode) -> list[object]:
        found = self.out.get(node)
        return found.get(predicate.value, []) if found else []

    def texts(self, node: object, predicate: NamedNode) -> list[str]:
        return [o.value for o in self.values(node, predicate) if isinstance(o, Literal)]

    def label(self, node: object) -> list[str]:
        """A node's own text: itself when a literal, else its labels (or a title's parts)."""
        if isinstance(node, Literal):
            return [node.value]
        labels = self.texts(node, RDFS.label) or self.texts(node, SCHEMA.name)
        if labels:
            return labels
        parts = [
            *self.texts(node, BF.mainTitle),
            *self.texts(node, BF.subtitle),
            *self.texts(node, BF.partName),
        ]
        return [" ".join(parts)] if parts else []

    def labels(self, node: object, *predicates: NamedNode) -> list[str]:
        return [text for p in predicates for o in self.values(node, p) for text in self.label(o)]


def find_instance(triples: Iterable[Triple]) -> NamedNode | None:
    """The record's own Instance: the subject with a Work (bf:instanceOf) and an AdminMetadata."""
    graph = _Graph(triples)
    return _main_instance(graph)


def _main_instance(graph: _Graph) -> NamedNode | None:
    for node, predicates in graph.out.items():
        if (
            isinstance(node, NamedNode)
            and BF.instanceOf.value in predicates
            and BF.adminMetadata.value in predicates
        ):
            return node
    return None


def record_document(triples: Iterable[Triple | AnyTriple]) -> RecordDocument | None:
    """The search document of one record graph's statements; None if it describes no Instance."""
    graph = _Graph(triples)
    instance = _main_instance(graph)
    if instance is None:
        return None
    works = [w for w in graph.values(instance, BF.instanceOf) if isinstance(w, NamedNode)]
    subjects = [instance, *works]
    doc = RecordDocument(instance.value)
    own_title = graph.texts(instance, RDFS.label)
    doc.title = min(own_title) if own_title else min(graph.labels(instance, BF.title), default="")
    texts = doc.texts
    for node in subjects:
        texts["title"] += graph.texts(node, RDFS.label) + graph.labels(node, BF.title)
        for contribution in graph.values(node, BF.contribution):
            texts["agent"] += graph.labels(contribution, BF.agent)
        texts["agent"] += graph.labels(node, SCHEMA.author, SCHEMA.contributor)
        texts["subject"] += graph.labels(node, BF.subject, BF.genreForm)
        texts["series"] += graph.texts(node, BF.seriesStatement) + graph.labels(node, BF.hasSeries)
        texts["note"] += graph.labels(node, BF.note, BF.summary, BF.tableOfContents)
        texts["note"] += graph.texts(node, BF.responsibilityStatement) + graph.texts(
            node, BF.editionStatement
        )
    for activity in graph.values(instance, BF.provisionActivity):
        texts["publisher"] += graph.texts(activity, BFLC.simpleAgent) + graph.labels(activity, BF.agent)
    texts["publisher"] += graph.labels(instance, SCHEMA.publisher)
    texts["identifier"] += identifiers(graph, instance)
    for name, values in texts.items():
        texts[name] = sorted({v.strip() for v in values if v.strip()})  # the same whatever the order read
    items = [i for i in graph.values(instance, BF.hasItem)]
    doc.items = len(items)
    holders = [h.value for i in items for h in graph.values(i, BF.heldBy) if isinstance(h, NamedNode)]
    for admin in graph.values(instance, BF.adminMetadata):
        if not holders:
            holders = [a.value for a in graph.values(admin, BF.assigner) if isinstance(a, NamedNode)]
        doc.created = max([doc.created, *graph.texts(admin, BF.creationDate)])
    doc.libraries = sorted(set(holders))
    doc.types = sorted(set(_types(graph, [*works, instance])))
    doc.languages = sorted(set(_languages(graph, works)))
    doc.year = _year(graph.texts(instance, SCHEMA.datePublished))
    return doc


def identifiers(graph: _Graph, instance: NamedNode) -> list[str]:
    """Every identifier's value, an ISBN also without hyphens and in its other length."""
    found: list[str] = []
    for node in graph.values(instance, BF.identifiedBy):
        kinds = set(graph.values(node, RDF.type))
        for value in graph.texts(node, RDF.value):
            found.append(value)
            if BF.Isbn in kinds:
                found += isbn_forms(value)
    for value in [*graph.texts(instance, SCHEMA.isbn), *graph.texts(instance, SCHEMA.issn)]:
        found += [value, *isbn_forms(value)]
    return found


def isbn_forms(value: str) -> list[str]:
    """An ISBN as people type it: without hyphens or spaces, as ISBN-13 and (978 only) as ISBN-10."""
    compact = re.sub(r"[^0-9Xx]", "", value.split("(")[0]).upper()
    forms = [compact]
    if len(compact) == 10 and (thirteen := isbn10_to_13(compact)):
        forms.append(thirteen)
    elif len(compact) == 13 and compact.startswith("978"):
        body = compact[3:12]
        total = sum((10 - i) * int(d) for i, d in enumerate(body))
        check = (11 - total % 11) % 11
        forms.append(body + ("X" if check == 10 else str(check)))
    return forms


def _types(graph: _Graph, nodes: list[NamedNode]) -> Iterable[str]:
    for node in nodes:
        for cls in graph.values(node, RDF.type):
            name = cls.value.rsplit("/", 1)[-1] if isinstance(cls, NamedNode) else ""
            if cls.value.startswith(BF.Text.value.rsplit("/", 1)[0]) and name in RESOURCE_TYPES:  # type: ignore[attr-defined]
                yield name


def _languages(graph: _Graph, works: list[NamedNode]) -> Iterable[str]:
    for work in works:
        for language in graph.values(work, BF.language):
            if isinstance(language, NamedNode) and language.value.startswith(ID_LANGUAGES):
                yield language.value[len(ID_LANGUAGES) :]


def _year(dates: list[str]) -> int | None:
    for date in dates:
        if found := _YEAR.search(date):
            return int(found.group())
    return None
