"""The one negotiate(): a table of (Accept, explicit format) -> chosen format or 406."""

from __future__ import annotations

import pytest

from lod.errors import NotAcceptable
from lod.formats import DOCUMENT_FORMATS, RESULT_FORMATS
from lod.web.negotiation import negotiate


@pytest.mark.parametrize(
    ("accept", "explicit", "expected"),
    [
        (None, None, "html"),
        ("", None, "html"),
        ("*/*", None, "html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "html"),
        ("text/turtle", None, "ttl"),
        ("application/x-turtle", None, "ttl"),
        ("application/n-triples", None, "nt"),
        ("application/ld+json", None, "jsonld"),
        ("application/rdf+xml", None, "rdf"),
        ("text/turtle;q=0.5, application/ld+json", None, "jsonld"),
        ("text/*", None, "html"),
        # application/x-turtle, an accepted alias of Turtle, is in application/*
        ("application/*;q=0.9, text/turtle;q=0.1", None, "ttl"),
        ("application/*;q=0.9, text/turtle;q=0.1, application/x-turtle;q=0", None, "nt"),
        ("text/turtle", "jsonld", "jsonld"),  # explicit beats Accept
        ("image/png", "ttl", "ttl"),
    ],
)
def test_documents(accept: str | None, explicit: str | None, expected: str) -> None:
    assert negotiate(accept, DOCUMENT_FORMATS, explicit).name == expected


@pytest.mark.parametrize(
    ("accept", "explicit"), [("image/png", None), (None, "pdf"), ("application/sparql-results+json", None)]
)
def test_not_acceptable_lists_what_is_offered(accept: str | None, explicit: str | None) -> None:
    with pytest.raises(NotAcceptable) as raised:
        negotiate(accept, DOCUMENT_FORMATS, explicit)
    assert raised.value.offered == [f.media_type for f in DOCUMENT_FORMATS]
    assert "text/turtle" in raised.value.message("en")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/json", "json"),
    ],
)
def test_results(accept: str, expected: str) -> None:
    assert negotiate(accept, RESULT_FORMATS).name == expected
