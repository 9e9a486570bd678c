"""A record's statements in the metadata formats OAI-PMH disseminates (lod.oai): simple Dublin
Core (`oai_dc`) and RDF/XML (`rdf`); the third, `marcxml`, is the record as received (lod.archive).

Both are made from the record's graph in the store and the labels of the shared entities it links
to (agents, subjects, series, publishers: their labels live in the shared graph), read in a few
index look-ups, not a query per field.

Dublin Core follows what Thông tư 24/2011/TT-BTTTT asks of Vietnamese government sites (title,
creator, date, description, publisher and identifier mandatory; language, subject, contributor
recommended; type, format, relation and rights optional), in that order, with each literal's
language as `xml:lang`, and the same choices as the <meta name="DC.…"> of our pages
(lod.facts.model.DUBLIN_CORE): the ISBN as written, the language as its ISO 639-2 code, the
extent as format, the Work and the series as relations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from lod.archive import xml_attribute, xml_safe, xml_text
from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import BF, BFLC, ID_LANGUAGES, LODV, PREFIXES, RDF, RDFS, SCHEMA

OAI_DC_NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CONTRIBUTORS = (SCHEMA.contributor, SCHEMA.editor, SCHEMA.translator, SCHEMA.illustrator)
DCMI_TYPES = {
    "Text": "Text", "NotatedMusic": "Text", "Manuscript": "Text", "Cartography": "Image",
    "Audio": "Sound", "MusicAudio": "Sound", "NonMusicAudio": "Sound", "MovingImage": "MovingImage",
    "StillImage": "StillImage", "Object": "PhysicalObject", "Dataset": "Dataset",
    "MixedMaterial": "Collection", "Kit": "Collection", "Multimedia": "InteractiveResource",
}  # fmt: skip
"""BIBFRAME classes of a Work -> the DCMI Type Vocabulary term given as dc:type."""
DcValue = tuple[str, str, str | None]
"""(element, text, language tag or None)."""


def record_statements(store: GraphStore, minter: Minter, record_id: str) -> list[Triple]:
    """The record graph's statements (without its source digest, which is about the graph) and the
    labels of what it links to that it does not label itself."""
    own = [t for t in store.graph_triples(minter.record_graph(record_id)) if t.predicate != LODV.sourceDigest]
    labelled = {t.subject for t in own if t.predicate in (RDFS.label, SCHEMA.name)}
    linked = {
        t.object
        for t in own
        if isinstance(t.object, NamedNode) and t.object not in labelled and t.predicate != RDF.type
    }
    labels = store.objects(linked, RDFS.label)
    names = store.objects([n for n in linked if n.value not in labels], SCHEMA.name)
    extra = [
        Triple(node, predicate, value)
        for found, predicate in ((labels, RDFS.label), (names, SCHEMA.name))
        for iri, values in found.items()
        for node in [NamedNode(iri)]
        for value in values
        if isinstance(value, Literal)
    ]
    return own + extra


class _Statements:
    """A record's statements, indexed by subject and predicate."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[object, dict[NamedNode, list[object]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject][t.predicate].append(t.object)

    def values(self, node: object, *predicates: NamedNode) -> list[object]:
        found = self.out.get(node)
        return [o for p in predicates for o in found.get(p, [])] if found else []

    def iris(self, node: object, *predicates: NamedNode) -> list[NamedNode]:
        return [o for o in self.values(node, *predicates) if isinstance(o, NamedNode)]

    def literals(self, node: object, *predicates: NamedNode) -> list[Literal]:
        return [o for o in self.values(node, *predicates) if isinstance(o, Literal)]

    def labels(self, node: object, *predicates: NamedNode) -> list[Literal]:
        """The values of `predicates` (none: the node itself): literals as they are, other nodes by
        their label."""
        found: list[Literal] = []
        for value in self.values(node, *predicates) if predicates else [node]:
            if isinstance(value, Literal):
                found.append(value)
            else:
                found += self.literals(value, RDFS.label) or self.literals(value, SCHEMA.name)
        return found


def dublin_core(triples: Iterable[Triple], minter: Minter, record_id: str, licence: str) -> list[DcValue]:
    """The record's simple Dublin Core elements, each value once, in the order of TT 24/2011."""
    g = _Statements(triples)
    instance, work = minter.instance(record_id), minter.work(record_id)
    both = (instance, work)
    out: list[DcValue] = []

    def add(element: str, values: Iterable[Literal | str]) -> None:
        for value in values:
            text, lang = (value.value, value.language) if isinstance(value, Literal) else (value, None)
            text = " ".join(text.split())
            if text and all((e, t) != (element, text) for e, t, _ in out):
                out.append((element, text, lang))

    add("title", g.literals(instance, RDFS.label) or g.labels(instance, SCHEMA.name))
    add("creator", _first(g, both, SCHEMA.author))
    add("subject", _first(g, (work, instance), SCHEMA.about))
    for classification in g.values(work, BF.classification):
        if BF.ClassificationDdc in g.values(classification, RDF.type):
            add("subject", g.literals(classification, BF.classificationPortion))
    add("description", _first(g, (work, instance), SCHEMA.description))
    add("description", g.labels(instance, BF.tableOfContents))
    notes = [n for n in g.values(instance, BF.note) if not isinstance(n, Literal)]
    add("description", [label for n in notes if not g.values(n, BF.noteType) for label in g.labels(n)])
    publishers = g.labels(instance, SCHEMA.publisher)
    if not publishers:
        publishers = [
            a for p in g.values(instance, BF.provisionActivity) for a in g.literals(p, BFLC.simpleAgent)
        ]
    add("publisher", publishers)
    add("contributor", _first(g, both, *CONTRIBUTORS))
    add("date", g.literals(instance, SCHEMA.datePublished))
    add("type", [DCMI_TYPES[c.value[len(BF.iri) :]] for c in g.iris(work, RDF.type) if _dcmi(c)])
    add("type", g.labels(work, SCHEMA.genre))
    # extent, physical details (300 $b, a plain bf:note) and dimensions, as ISBD's area 5
    add("format", g.labels(instance, BF.extent) + g.literals(instance, BF.note, BF.dimensions))
    add("identifier", [instance.value])
    add("identifier", g.literals(instance, SCHEMA.isbn) + g.literals(instance, SCHEMA.issn))
    languages = [v.value[len(ID_LANGUAGES) :] for v in g.iris(work, BF.language) if _language(v)]
    add("language", languages or [v.value for v in g.literals(instance, SCHEMA.inLanguage)])
    add("relation", [work.value] if g.out.get(work) else [])
    add("relation", g.labels(instance, SCHEMA.isPartOf) or g.literals(instance, BF.seriesStatement))
    add("rights", [licence])
    return out


def _first(g: _Statements, nodes: tuple[NamedNode, ...], *predicates: NamedNode) -> list[Literal]:
    """The labels of the first of `nodes` that has values of `predicates`."""
    for node in nodes:
        if found := g.labels(node, *predicates):
            return found
    return []


def _dcmi(node: NamedNode) -> bool:
    return node.value.startswith(BF.iri) and node.value[len(BF.iri) :] in DCMI_TYPES


def _language(node: NamedNode) -> bool:
    return node.value.startswith(ID_LANGUAGES)


def oai_dc_xml(values: Iterable[DcValue]) -> str:
    """The elements as an `oai_dc:dc` element (the OAI-PMH schema for simple Dublin Core)."""
    parts = [
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NAMESPACE}" xmlns:dc="{DC_NAMESPACE}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI_DC_NAMESPACE} {OAI_DC_SCHEMA}">'
    ]
    for element, text, lang in values:
        language = f" xml:lang={xml_attribute(lang)}" if lang else ""
        parts.append(f"<dc:{element}{language}>{xml_text(text)}</dc:{element}>")
    parts.append("</oai_dc:dc>")
    return "".join(parts)


def rdf_xml(triples: Iterable[Triple]) -> str:
    """The statements as an `rdf:RDF` element (RDF/XML without the XML declaration)."""
    cleaned = [_clean(t) for t in triples]
    data = serialize(cleaned, format=RdfFormat.RDF_XML, prefixes=PREFIXES) or b""
    text = data.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    return text.strip()


def _clean(t: Triple) -> Triple:
    """A statement whose literal XML could not carry, with those characters as U+FFFD."""
    o = t.object
    if isinstance(o, Literal) and (value := xml_safe(o.value)) != o.value:
        if o.language:
            return Triple(t.subject, t.predicate, Literal(value, language=o.language))
        return Triple(t.subject, t.predicate, Literal(value, datatype=o.datatype))
    return t
