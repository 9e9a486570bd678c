"""The catalogue (lod.dataset) as RDF: a VoID description and a DCAT catalogue.

VoID (`void_triples`, served at /.well-known/void): the whole dataset (the base IRI) with its
statements, entities, classes and properties and their partitions, the SPARQL endpoint, the dump
files, example resources, the IRI space, vocabularies and formats; its parts as `void:subset`
(each with its files and, for a library, its records and items as class partitions), and its links
to other datasets as `void:Linkset`s with their counts.

DCAT (`dcat_triples`, served at /catalog), modelled on DCAT-AP 3: a `dcat:Catalog` of the
datasets (the whole and each part), each with titles and descriptions in Vietnamese and English,
publisher, contact point, licence, access rights, spatial coverage (the library's province from
the registry, Vietnam), keywords, the EU data theme, landing page and distributions: every file of
the newest dump (download URL, media type of the content and gzip as compression, EU file type,
size, SHA-256 checksum) and the SPARQL endpoint (`dcat:accessService`, a `dcat:DataService`).
Nodes other than the datasets are typed with the classes DCAT-AP gives their properties' ranges,
so that the shapes in shapes/dcat.ttl can check them.

Both are the same triples for the same catalogue: blank nodes have ids made from what they stand
for, and the order is fixed (so their ETag holds).
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from lod.dataset import ALL, Catalogue, Dataset, Distribution, Texts, texts
from lod.uris import Minter, unique_id
from lod.vocab import (
    BF,
    BFLC,
    DCAT,
    DCTERMS,
    FOAF,
    LODV,
    ORG,
    OWL,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SPDX,
    VCARD,
    VOID,
    XSD,
    Vocabulary,
)

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPES = {
    "nt": "RDF_N_TRIPLES",
    "ttl": "RDF_TURTLE",
    "jsonld": "JSON_LD",
    "nq": "RDF_N_QUADS",
    None: "SPARQLQ",
}
"""lod.formats names -> the EU file-type table (DCAT-AP's dcterms:format); None: the endpoint."""
THEME_SCHEME = EU + "data-theme"
THEME = EU + "data-theme/EDUC"
"""Education, culture and sport: the EU data theme of library data."""
PUBLIC = EU + "access-right/PUBLIC"
LANGUAGES = (EU + "language/VIE", EU + "language/ENG")
"""The languages of the catalogue's own texts."""
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
BIBFRAME = "http://id.loc.gov/ontologies/bibframe/"
FORMATS = "http://www.w3.org/ns/formats/"
FEATURES = ("Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads")
"""W3C format IRIs of the serialisations entities are served in and dumps written in."""
PREFIXES = {v.prefix: v.iri for v in (DCAT, FOAF, VCARD, SPDX)}
"""Prefixes of the descriptions' Turtle, beside lod.vocab's."""
VOCABULARIES: tuple[Vocabulary, ...] = (BF, BFLC, SCHEMA, LODV, SKOS, OWL, RDFS, DCTERMS, ORG, VOID)
TARGET_TITLES = {
    "http://id.loc.gov/vocabulary/languages": "MARC List for Languages",
    "http://id.loc.gov/vocabulary/relators": "MARC Code List for Relators",
    "http://id.loc.gov/vocabulary/issuance": "Issuance Types",
    "http://id.loc.gov/vocabulary/contentTypes": "Content Types",
    "http://id.loc.gov/vocabulary/mediaTypes": "Media Types",
    "http://id.loc.gov/vocabulary/carriers": "Carrier Types",
    "http://id.loc.gov/vocabulary/maudience": "MARC Target Audience",
    "http://id.loc.gov/vocabulary/mstatus": "MARC Status",
    "http://id.loc.gov/vocabulary/marcgt": "MARC Genre Terms",
    "http://id.loc.gov/authorities/names": "LC Name Authority File",
    "http://id.loc.gov/authorities/subjects": "Library of Congress Subject Headings",
    "http://id.loc.gov/authorities/genreForms": "Library of Congress Genre/Form Terms",
    "http://www.wikidata.org/": "Wikidata",
    "http://viaf.org/": "VIAF",
}
TARGET_SPACES = {
    "http://www.wikidata.org/": "http://www.wikidata.org/entity/",
    "http://viaf.org/": "http://viaf.org/viaf/",
}


def void_triples(catalogue: Catalogue, minter: Minter) -> list[Triple]:
    """The VoID description of the whole dataset, its parts and its linksets."""
    out = _Out()
    whole = catalogue.whole
    dataset = NamedNode(whole.iri)
    out.add(dataset, RDF.type, VOID.Dataset)
    _about(out, catalogue, whole)
    out.add(dataset, FOAF.homepage, NamedNode(catalogue.base))
    out.add(dataset, VOID.sparqlEndpoint, minter.sparql_endpoint())
    out.add(dataset, VOID.uriSpace, Literal(f"{catalogue.base}resource/"))
    for example in catalogue.examples:
        out.add(dataset, VOID.exampleResource, NamedNode(example))
    for vocabulary in _vocabularies(catalogue):
        out.add(dataset, VOID.vocabulary, NamedNode(vocabulary))
    for feature in FEATURES:
        out.add(dataset, VOID.feature, NamedNode(FORMATS + feature))
    out.add(dataset, VOID.triples, _integer(catalogue.triples))
    out.add(dataset, VOID.entities, _integer(catalogue.entities))
    if catalogue.classes:
        out.add(dataset, VOID.classes, _integer(len(catalogue.classes)))
    if catalogue.properties:
        out.add(dataset, VOID.properties, _integer(len(catalogue.properties)))
    for cls, n in sorted(catalogue.classes.items()):
        _partition(out, dataset, VOID.classPartition, VOID["class"], cls, VOID.entities, n)
    for prop, n in sorted(catalogue.properties.items()):
        _partition(out, dataset, VOID.propertyPartition, VOID.property, prop, VOID.triples, n)
    _dumps(out, dataset, whole)
    for part in catalogue.parts:
        node = NamedNode(part.iri)
        out.add(dataset, VOID.subset, node)
        out.add(node, RDF.type, VOID.Dataset)
        _about(out, catalogue, part)
        out.add(node, VOID.sparqlEndpoint, minter.sparql_endpoint())
        if part.triples is not None:
            out.add(node, VOID.triples, _integer(part.triples))
        if part.library is not None:
            out.add(node, DCTERMS.creator, NamedNode(part.library.iri))
            for cls, entities in ((BF.Instance.value, part.records), (BF.Item.value, part.items)):
                if entities is not None:
                    _partition(
                        out, node, VOID.classPartition, VOID["class"], cls, VOID.entities, entities, part.iri
                    )
        _dumps(out, node, part)
    for linkset in catalogue.linksets:
        node = NamedNode(linkset.iri)
        objects = NamedNode(linkset.target)
        out.add(dataset, VOID.subset, node)
        out.add(node, RDF.type, VOID.Linkset)
        out.add(node, RDF.type, VOID.Dataset)
        out.add(node, VOID.subjectsTarget, dataset)
        out.add(node, VOID.objectsTarget, objects)
        out.add(node, VOID.linkPredicate, NamedNode(linkset.predicate))
        if linkset.triples is not None:
            out.add(node, VOID.triples, _integer(linkset.triples))
    for target in dict.fromkeys(linkset.target for linkset in catalogue.linksets):
        node = NamedNode(target)
        out.add(node, RDF.type, VOID.Dataset)
        out.add(node, DCTERMS.title, Literal(TARGET_TITLES.get(target, target), language="en"))
        out.add(node, VOID.uriSpace, Literal(TARGET_SPACES.get(target, target.rstrip("/") + "/")))
    _publisher(out, catalogue)
    return out.triples


def dcat_triples(catalogue: Catalogue, minter: Minter) -> list[Triple]:
    """The DCAT catalogue of the whole dataset and its parts."""
    out = _Out()
    catalog = minter.catalog("catalog")
    service = minter.sparql_service()
    out.add(catalog, RDF.type, DCAT.Catalog)
    _literals(out, catalog, DCTERMS.title, catalogue.title)
    _literals(out, catalog, DCTERMS.description, catalogue.description)
    out.add(catalog, DCTERMS.publisher, NamedNode(catalogue.publisher.iri))
    out.add(catalog, FOAF.homepage, NamedNode(catalogue.base))
    out.add(catalog, DCTERMS.license, NamedNode(catalogue.licence))
    for language in LANGUAGES:
        out.add(catalog, DCTERMS.language, NamedNode(language))
        out.add(NamedNode(language), RDF.type, DCTERMS.LinguisticSystem)
    if catalogue.modified is not None:
        out.add(catalog, DCTERMS.modified, _datetime(catalogue))
    out.add(catalog, DCTERMS.spatial, NamedNode(catalogue.whole.spatial[0].iri))
    out.add(catalog, DCAT.themeTaxonomy, NamedNode(THEME_SCHEME))
    out.add(NamedNode(THEME_SCHEME), RDF.type, SKOS.ConceptScheme)
    out.add(NamedNode(THEME_SCHEME), DCTERMS.title, Literal("Data theme", language="en"))
    for dataset in catalogue.datasets:
        out.add(catalog, DCAT.dataset, NamedNode(dataset.iri))
    out.add(catalog, DCAT.service, service)
    for dataset in catalogue.datasets:
        _dataset(out, catalogue, dataset, minter)
    out.add(service, RDF.type, DCAT.DataService)
    _literals(out, service, DCTERMS.title, texts("dataset.sparql"))
    out.add(service, DCAT.endpointURL, minter.sparql_endpoint())
    out.add(service, DCAT.endpointDescription, minter.sparql_endpoint())
    out.add(service, DCTERMS.conformsTo, NamedNode(SPARQL_PROTOCOL))
    out.add(NamedNode(SPARQL_PROTOCOL), RDF.type, DCTERMS.Standard)
    out.add(service, DCTERMS.publisher, NamedNode(catalogue.publisher.iri))
    out.add(service, DCTERMS.license, NamedNode(catalogue.licence))
    out.add(service, DCAT.contactPoint, NamedNode(catalogue.contact.iri))
    for dataset in catalogue.datasets:
        out.add(service, DCAT.servesDataset, NamedNode(dataset.iri))
    out.add(NamedNode(THEME), RDF.type, SKOS.Concept)
    out.add(NamedNode(THEME), SKOS.inScheme, NamedNode(THEME_SCHEME))
    _literals(out, NamedNode(THEME), SKOS.prefLabel, texts("dataset.theme"))
    out.add(NamedNode(PUBLIC), RDF.type, DCTERMS.RightsStatement)
    _publisher(out, catalogue)
    contact = NamedNode(catalogue.contact.iri)
    out.add(contact, RDF.type, VCARD.Kind)
    out.add(contact, RDF.type, VCARD.Organization)
    out.add(contact, VCARD.fn, Literal(catalogue.contact.name))
    out.add(contact, VCARD.hasURL, NamedNode(catalogue.contact.url))
    if catalogue.contact.email:
        out.add(contact, VCARD.hasEmail, NamedNode(f"mailto:{catalogue.contact.email}"))
    return out.triples


# DCAT ------------------------------------------------------------------------------------------
def _dataset(out: _Out, catalogue: Catalogue, dataset: Dataset, minter: Minter) -> None:
    node = NamedNode(dataset.iri)
    out.add(node, RDF.type, DCAT.Dataset)
    _literals(out, node, DCTERMS.title, dataset.title)
    _literals(out, node, DCTERMS.description, dataset.description)
    out.add(node, DCTERMS.identifier, Literal(dataset.key or ALL))
    out.add(node, DCTERMS.publisher, NamedNode(catalogue.publisher.iri))
    out.add(node, DCAT.contactPoint, NamedNode(catalogue.contact.iri))
    out.add(node, DCTERMS.license, NamedNode(catalogue.licence))
    out.add(node, DCTERMS.accessRights, NamedNode(PUBLIC))
    out.add(node, DCTERMS.conformsTo, NamedNode(BIBFRAME))
    out.add(NamedNode(BIBFRAME), RDF.type, DCTERMS.Standard)
    if catalogue.modified is not None:
        out.add(node, DCTERMS.modified, _datetime(catalogue))
    for place in dataset.spatial:
        out.add(node, DCTERMS.spatial, NamedNode(place.iri))
        out.add(NamedNode(place.iri), RDF.type, DCTERMS.Location)
        _literals(out, NamedNode(place.iri), SKOS.prefLabel, place.labels)
    for lang, words in dataset.keywords.items():
        for word in words:
            out.add(node, DCAT.keyword, Literal(word, language=lang))
    out.add(node, DCAT.theme, NamedNode(THEME))
    out.add(node, DCAT.landingPage, NamedNode(dataset.landing_page))
    out.add(node, FOAF.page, minter.void())
    if dataset.key is None:
        for part in catalogue.parts:
            out.add(node, DCTERMS.hasPart, NamedNode(part.iri))
    else:
        out.add(node, DCTERMS.isPartOf, NamedNode(catalogue.whole.iri))
    if dataset.library is not None:
        library = NamedNode(dataset.library.iri)
        out.add(node, DCTERMS.creator, library)
        out.add(library, RDF.type, FOAF.Agent)
        out.add(library, FOAF.name, Literal(dataset.library.name))
    for distribution in dataset.distributions:
        out.add(node, DCAT.distribution, NamedNode(distribution.iri))
        _distribution(out, catalogue, distribution, minter)


def _distribution(out: _Out, catalogue: Catalogue, distribution: Distribution, minter: Minter) -> None:
    node = NamedNode(distribution.iri)
    out.add(node, RDF.type, DCAT.Distribution)
    _literals(out, node, DCTERMS.title, distribution.title)
    out.add(node, DCAT.accessURL, NamedNode(distribution.access_url))
    out.add(node, DCTERMS.license, NamedNode(catalogue.licence))
    file_type = NamedNode(EU + "file-type/" + FILE_TYPES.get(distribution.format, "RDF"))
    out.add(node, DCTERMS.format, file_type)
    out.add(file_type, RDF.type, DCTERMS.MediaTypeOrExtent)
    if distribution.service:
        _literals(out, node, DCTERMS.description, texts("dataset.sparql_description"))
        out.add(node, DCAT.accessService, minter.sparql_service())
        return
    if distribution.download_url:
        out.add(node, DCAT.downloadURL, NamedNode(distribution.download_url))
    if distribution.media_type:
        media = NamedNode(IANA + distribution.media_type)
        out.add(node, DCAT.mediaType, media)
        out.add(media, RDF.type, DCTERMS.MediaType)
    if distribution.compress_format:
        compressed = NamedNode(IANA + distribution.compress_format)
        out.add(node, DCAT.compressFormat, compressed)
        out.add(compressed, RDF.type, DCTERMS.MediaType)
    if distribution.byte_size is not None:
        out.add(node, DCAT.byteSize, Literal(str(distribution.byte_size), datatype=XSD.nonNegativeInteger))
    if distribution.sha256:
        checksum = BlankNode("sha" + unique_id("checksum", distribution.iri))
        out.add(node, SPDX.checksum, checksum)
        out.add(checksum, RDF.type, SPDX.Checksum)
        out.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        out.add(checksum, SPDX.checksumValue, Literal(distribution.sha256, datatype=XSD.hexBinary))
    if distribution.issued:
        out.add(node, DCTERMS.issued, Literal(distribution.issued, datatype=XSD.date))


# VoID ------------------------------------------------------------------------------------------
def _about(out: _Out, catalogue: Catalogue, dataset: Dataset) -> None:
    node = NamedNode(dataset.iri)
    _literals(out, node, DCTERMS.title, dataset.title)
    _literals(out, node, DCTERMS.description, dataset.description)
    out.add(node, DCTERMS.license, NamedNode(catalogue.licence))
    out.add(node, DCTERMS.publisher, NamedNode(catalogue.publisher.iri))
    if catalogue.modified is not None:
        out.add(node, DCTERMS.modified, _datetime(catalogue))


def _dumps(out: _Out, node: NamedNode, dataset: Dataset) -> None:
    for distribution in dataset.distributions:
        if distribution.download_url:
            out.add(node, VOID.dataDump, NamedNode(distribution.download_url))


def _partition(
    out: _Out,
    dataset: NamedNode,
    link: NamedNode,
    kind: NamedNode,
    value: str,
    count: NamedNode,
    n: int,
    scope: str = "",
) -> None:
    partition = BlankNode("p" + unique_id("partition", scope, link.value, value))
    out.add(dataset, link, partition)
    out.add(partition, kind, NamedNode(value))
    out.add(partition, count, _integer(n))


def _vocabularies(catalogue: Catalogue) -> list[str]:
    """The vocabularies whose properties or classes the data uses (all of ours when not counted)."""
    used = [*catalogue.properties, *catalogue.classes]
    if not used:
        return [v.iri for v in VOCABULARIES]
    return [v.iri for v in VOCABULARIES if any(term.startswith(v.iri) for term in used)]


# both ------------------------------------------------------------------------------------------
class _Out:
    """Triples in the order they are added, each once."""

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}

    def add(
        self, subject: NamedNode | BlankNode, predicate: NamedNode, obj: NamedNode | BlankNode | Literal
    ) -> None:
        self._triples[Triple(subject, predicate, obj)] = None

    @property
    def triples(self) -> list[Triple]:
        """Grouped by subject, in the order subjects first came (Turtle then writes each once)."""
        grouped: dict[NamedNode | BlankNode, list[Triple]] = {}
        for triple in self._triples:
            grouped.setdefault(triple.subject, []).append(triple)  # type: ignore[arg-type]
        return [triple for group in grouped.values() for triple in group]


def _publisher(out: _Out, catalogue: Catalogue) -> None:
    publisher = NamedNode(catalogue.publisher.iri)
    out.add(publisher, RDF.type, FOAF.Agent)
    out.add(publisher, RDF.type, FOAF.Organization)
    out.add(publisher, FOAF.name, Literal(catalogue.publisher.name))
    if catalogue.publisher.homepage:
        out.add(publisher, FOAF.homepage, NamedNode(catalogue.publisher.homepage))
    out.add(NamedNode(catalogue.licence), RDF.type, DCTERMS.LicenseDocument)


def _literals(out: _Out, node: NamedNode, predicate: NamedNode, texts: Texts) -> None:
    for lang, text in texts.items():
        out.add(node, predicate, Literal(text, language=lang))


def _datetime(catalogue: Catalogue) -> Literal:
    assert catalogue.modified is not None
    return Literal(catalogue.modified.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


def _integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)
