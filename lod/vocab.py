"""Closed vocabularies: a misspelt term raises AttributeError instead of minting a bogus IRI."""

from __future__ import annotations

from pyoxigraph import NamedNode


class Vocabulary:
    def __init__(self, prefix: str, iri: str, terms: str) -> None:
        self.prefix = prefix
        self.iri = iri
        self._terms = {term: NamedNode(iri + term) for term in terms.split()}
        # terms as plain attributes: found without calling __getattr__ (converters use them a lot)
        self.__dict__.update(self._terms)

    def __getattr__(self, name: str) -> NamedNode:
        try:
            return self._terms[name]
        except KeyError:
            raise AttributeError(f"{self.prefix}:{name} is not a known term") from None

    def __getitem__(self, name: str) -> NamedNode:
        return self.__getattr__(name)

    def __contains__(self, name: str) -> bool:
        return name in self._terms


RDF = Vocabulary("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type value")
RDFS = Vocabulary("rdfs", "http://www.w3.org/2000/01/rdf-schema#", "label comment seeAlso")
XSD = Vocabulary(
    "xsd",
    "http://www.w3.org/2001/XMLSchema#",
    "string date dateTime gYear gYearMonth integer decimal nonNegativeInteger hexBinary",
)
BF = Vocabulary(
    "bf",
    "http://id.loc.gov/ontologies/bibframe/",
    """Work Instance Item Title VariantTitle Contribution PrimaryContribution Agent Person Family
    Organization Meeting Jurisdiction Topic Place Temporal GenreForm AdminMetadata Identifier Local
    Isbn Issn Lccn Ean Upc Ismn Isrc Doi Barcode ShelfMark ShelfMarkDdc ShelfMarkLcc Publication
    Manufacture Distribution Production ProvisionActivity Extent Note Summary Language Role Source
    Classification ClassificationDdc ClassificationLcc Status Series
    Text NotatedMusic NotatedMovement Cartography Audio MusicAudio NonMusicAudio MovingImage
    StillImage Object MixedMaterial Multimedia Dataset Kit
    Print Manuscript Electronic Tactile Archival Serial Collection Monograph
    instanceOf hasInstance itemOf hasItem title mainTitle subtitle partNumber partName
    responsibilityStatement editionStatement provisionActivity provisionActivityStatement place
    agent date role contribution subject genreForm language identifiedBy extent dimensions note
    summary adminMetadata assigner source changeDate creationDate status heldBy shelfMark
    classification classificationPortion itemPortion code seriesStatement electronicLocator
    originDate originPlace issuance qualifier physicalLocation
    ParallelTitle Content Media Carrier content media carrier copyrightDate hasSeries seriesEnumeration
    relatedTo precededBy succeededBy translationOf translation otherEdition hasPart partOf
    supplement supplementTo otherPhysicalFormat hasReproduction reproductionOf hasEquivalent
    tableOfContents TableOfContents supplementaryContent SupplementaryContent intendedAudience
    IntendedAudience noteType usageAndAccessPolicy genreForm geographicCoverage temporalCoverage
    edition legalDate version expressionOf relation Relation Relationship relationship
    associatedResource descriptionConventions DescriptionConventions sourceCharacteristic
    ClassificationUdc ClassificationNlm Script notation descriptionLanguage Uri Hub
    baseMaterial projectedProvisionDate mainTitle variantType acquisitionTerms IssnL scale
    projection cartographicAttributes frequency Frequency contribution credits""",
)
BFLC = Vocabulary(
    "bflc",
    "http://id.loc.gov/ontologies/bflc/",
    "simplePlace simpleAgent simpleDate PrimaryContribution applicableInstitution",
)
SCHEMA = Vocabulary(
    "schema",
    "http://schema.org/",
    """CreativeWork Book Periodical MusicComposition MusicRecording Map Movie VideoObject
    Photograph VisualArtwork Dataset Thing Person Organization Library Place Intangible
    Offer name alternateName author contributor creator publisher datePublished
    inLanguage isbn issn identifier about genre bookEdition numberOfPages description
    workExample exampleOfWork url sameAs holdingArchive locationCreated sku
    keywords isPartOf offers seller itemOffered Thing Collection Periodical DefinedTerm
    alternativeHeadline copyrightYear familyName givenName temporalCoverage spatialCoverage
    translationOfWork workTranslation encodingFormat bookFormat audience ProductModel
    editor translator illustrator numberOfPages CreativeWorkSeries
    PropertyValue propertyID value address PostalAddress streetAddress addressLocality
    addressRegion addressCountry postalCode geo GeoCoordinates latitude longitude email telephone
    openingHours foundingDate parentOrganization containedInPlace validFrom validThrough
    additionalType AdministrativeArea""",
)
OWL = Vocabulary("owl", "http://www.w3.org/2002/07/owl#", "sameAs")
SKOS = Vocabulary(
    "skos",
    "http://www.w3.org/2004/02/skos/core#",
    "Concept ConceptScheme prefLabel altLabel hiddenLabel related broader narrower inScheme note",
)
DCTERMS = Vocabulary(
    "dcterms",
    "http://purl.org/dc/terms/",
    """title creator date identifier description modified issued license publisher spatial language
    accessRights conformsTo format type hasPart isPartOf LicenseDocument Location MediaType
    MediaTypeOrExtent RightsStatement LinguisticSystem Standard""",
)
LODV = Vocabulary(
    "lodv",
    "https://w3id.org/vn-library-lod/vocab#",
    """component HeadingKey matchKey Repair repair
    isil registryId egovCode libraryType ownership service collectionSize registered
    withdrawn withdrawnRecord UnionInstance UnionWork member unionInstance matchedOn digest
    sourceDigest reclusterPending recordCount itemCount graphCount""",
)
VOID = Vocabulary(
    "void",
    "http://rdfs.org/ns/void#",
    """Dataset Linkset triples classPartition class entities propertyPartition property classes
    properties subset linkPredicate subjectsTarget objectsTarget sparqlEndpoint dataDump
    exampleResource uriSpace vocabulary feature""",
)
DCAT = Vocabulary(
    "dcat",
    "http://www.w3.org/ns/dcat#",
    """Catalog Dataset Distribution DataService dataset distribution service accessURL downloadURL
    mediaType compressFormat byteSize contactPoint keyword theme themeTaxonomy landingPage
    accessService endpointURL endpointDescription servesDataset""",
)
FOAF = Vocabulary("foaf", "http://xmlns.com/foaf/0.1/", "Agent Organization Document name homepage page")
VCARD = Vocabulary("vcard", "http://www.w3.org/2006/vcard/ns#", "Kind Organization fn hasEmail hasURL")
SPDX = Vocabulary(
    "spdx", "http://spdx.org/rdf/terms#", "Checksum checksum algorithm checksumValue checksumAlgorithm_sha256"
)
ORG = Vocabulary("org", "http://www.w3.org/ns/org#", "Organization subOrganizationOf hasSubOrganization")
VOCAB = "https://w3id.org/vn-library-lod/vocab/"
LIBRARY_TYPES = VOCAB + "library-type/"
"""SKOS concepts of the 8 library types of Article 9(1), Law on Libraries 2019 (ontologies/registry.ttl)."""
OWNERSHIPS = VOCAB + "ownership/"
"""SKOS concepts of Article 9(2): công lập (public) and ngoài công lập (non-public)."""
SERVICES = VOCAB + "service/"
"""SKOS concepts of the services a library offers (lending, reading room, interlibrary loan...)."""
WIKIDATA = "http://www.wikidata.org/entity/"
ID_LANGUAGES = "http://id.loc.gov/vocabulary/languages/"
ID_RELATORS = "http://id.loc.gov/vocabulary/relators/"
ID_COUNTRIES = "http://id.loc.gov/vocabulary/countries/"
ID_ISSUANCE = "http://id.loc.gov/vocabulary/issuance/"
ID_CONTENT = "http://id.loc.gov/vocabulary/contentTypes/"
ID_MEDIA = "http://id.loc.gov/vocabulary/mediaTypes/"
ID_CARRIERS = "http://id.loc.gov/vocabulary/carriers/"
ID_MSTATUS = "http://id.loc.gov/vocabulary/mstatus/"
ID_MARCGT = "http://id.loc.gov/vocabulary/marcgt/"
ID_AUDIENCE = "http://id.loc.gov/vocabulary/maudience/"
ID_ORGS = "http://id.loc.gov/vocabulary/organizations/"
ID_SUBJECT_SCHEMES = "http://id.loc.gov/vocabulary/subjectSchemes/"
ID_GENRE_SCHEMES = "http://id.loc.gov/vocabulary/genreFormSchemes/"
EDTF = "http://id.loc.gov/datatypes/edtf"

PREFIXES = {v.prefix: v.iri for v in (RDF, RDFS, XSD, BF, BFLC, SCHEMA, DCTERMS, OWL, SKOS, LODV, ORG, VOID)}
