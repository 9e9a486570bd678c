"""lod.concepts: the registry's SKOS concept schemes, read from ontologies/registry.ttl."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph
import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat

from lod.concepts import Concept, concept_triples, library_types, ownerships, services
from lod.vocab import LIBRARY_TYPES, OWNERSHIPS, SERVICES, SKOS, WIKIDATA

SCHEMES = [(library_types, LIBRARY_TYPES, 8), (ownerships, OWNERSHIPS, 2), (services, SERVICES, 12)]


@pytest.mark.parametrize(("scheme", "namespace", "count"), SCHEMES)
def test_schemes_have_their_concepts_with_vietnamese_and_english_labels(
    scheme: Callable[[], dict[str, Concept]], namespace: str, count: int
) -> None:
    concepts = scheme()
    assert len(concepts) == count
    for code, concept in concepts.items():
        assert concept.code == code
        assert concept.iri == namespace + code
        assert set(concept.labels) == {"vi", "en"} and all(concept.labels.values())


def test_library_types_are_those_of_the_law_in_its_order() -> None:
    types = library_types()
    assert list(types) == [
        "national",
        "public",
        "special",
        "armed-forces",
        "academic",
        "school",
        "community",
        "foreign",
    ]
    assert types["national"].labels["vi"] == "Thư viện Quốc gia Việt Nam"
    assert types["armed-forces"].labels["vi"] == "Thư viện lực lượng vũ trang nhân dân"
    assert types["school"].labels["vi"] == (
        "Thư viện cơ sở giáo dục mầm non, phổ thông, nghề nghiệp và cơ sở giáo dục khác"
    )
    assert types["foreign"].label("en").startswith("Library of a foreign organisation")


def test_library_types_match_wikidata() -> None:
    matches = {code: c.matches for code, c in library_types().items()}
    assert matches == {
        "national": (WIKIDATA + "Q22806",),
        "public": (WIKIDATA + "Q28564",),
        "special": (WIKIDATA + "Q385994",),
        "armed-forces": (),
        "academic": (WIKIDATA + "Q1622062", WIKIDATA + "Q856234"),
        "school": (),
        "community": (WIKIDATA + "Q380829",),
        "foreign": (),
    }
    exact = {
        (t.subject, t.object) for t in concept_triples() if t.predicate == NamedNode(SKOS.iri + "exactMatch")
    }
    assert exact == {
        (NamedNode(LIBRARY_TYPES + "national"), NamedNode(WIKIDATA + "Q22806")),
        (NamedNode(LIBRARY_TYPES + "public"), NamedNode(WIKIDATA + "Q28564")),
    }


def test_ownerships_and_services() -> None:
    assert {code: c.labels["vi"] for code, c in ownerships().items()} == {
        "public": "Công lập",
        "non-public": "Ngoài công lập",
    }
    assert set(services()) == {
        "lending",
        "renewal",
        "reading-room",
        "reference",
        "remote-copying",
        "interlibrary-loan",
        "online-catalogue",
        "digital-library",
        "children",
        "mobile-library",
        "internet-access",
        "reading-events",
    }
    assert services()["reading-events"].labels["vi"] == "Hoạt động phát triển văn hóa đọc"


def test_concept_triples_are_the_whole_file_and_serialize() -> None:
    triples = concept_triples()
    assert all(isinstance(t, pyoxigraph.Triple) for t in triples)
    schemes = {t.subject for t in triples if t.object == SKOS.ConceptScheme}
    assert schemes == {NamedNode(ns.rstrip("/")) for ns in (LIBRARY_TYPES, OWNERSHIPS, SERVICES)}
    turtle = pyoxigraph.serialize(triples, format=RdfFormat.TURTLE)
    assert len(list(pyoxigraph.parse(turtle, format=RdfFormat.TURTLE))) == len(triples)
    concepts = {t.subject for t in triples if t.object == SKOS.Concept}
    assert len(concepts) == 8 + 2 + 12
    labelled = {
        (t.subject, t.object.language)
        for t in triples
        if t.predicate == SKOS.prefLabel and isinstance(t.object, Literal)
    }
    assert labelled == {(s, lang) for s in concepts | schemes for lang in ("vi", "en")}
