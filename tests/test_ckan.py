"""lod.ckan's package_search filters and sorting, on packages written by hand: the `fq` forms the
CKAN harvester sends (metadata_modified ranges, organization lists, negations), and refusals of
what it does not read (tests/web/test_dataset.py has the API over the real catalogue)."""

from __future__ import annotations

from typing import Any

import pytest

from lod.ckan import SearchQueryError, search


def package(
    name: str, modified: str, organization: str = "nlv", tags: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "id": f"id-{name}",
        "name": name,
        "title": name.title(),
        "notes": f"Notes of {name}",
        "metadata_modified": modified,
        "metadata_created": modified,
        "organization": {"name": organization},
        "owner_org": f"org-{organization}",
        "groups": [],
        "tags": [{"name": t} for t in tags],
        "license_id": "cc-zero",
        "resources": [{"format": "N-Triples"}],
        "type": "dataset",
        "state": "active",
    }


PACKAGES = [
    package("union", "2026-07-01T02:00:00.000000", tags=("mục lục liên hợp",)),
    package("registry", "2026-06-01T02:00:00.000000"),
    package("library-vn-hn", "2026-07-02T10:30:00.500000", organization="hanoi"),
]


def names(result: dict[str, Any]) -> list[str]:
    return [p["name"] for p in result["results"]]


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("", ["union", "registry", "library-vn-hn"]),
        ("metadata_modified:[2026-07-01T00:00:00Z TO *]", ["union", "library-vn-hn"]),
        ("metadata_modified:[2026-07-02T10:30:00.500000Z TO *]", ["library-vn-hn"]),
        ("metadata_modified:[* TO 2026-06-30]", ["registry"]),
        ("organization:nlv", ["union", "registry"]),
        ("organization:nlv OR organization:hanoi", ["union", "registry", "library-vn-hn"]),
        ("-organization:nlv", ["library-vn-hn"]),
        ("-organization:nlv -organization:hanoi", []),
        ("+dataset_type:dataset organization:hanoi", ["library-vn-hn"]),
        ('tags:"mục lục liên hợp"', ["union"]),
        ("res_format:N-Triples name:registry", ["registry"]),
        ("organization:nlv metadata_modified:[2026-06-15T00:00:00Z TO *]", ["union"]),
    ],
)
def test_filters_as_the_harvester_sends_them(fq: str, expected: list[str]) -> None:
    assert names(search(PACKAGES, fq=fq, rows=100)) == expected


def test_paging_and_sorting() -> None:
    assert names(search(PACKAGES, sort="name asc")) == ["library-vn-hn", "registry", "union"]
    assert names(search(PACKAGES, sort="metadata_modified desc", rows=2)) == ["library-vn-hn", "union"]
    assert names(search(PACKAGES, sort="id asc", rows=1, start=1)) == ["registry"]
    result = search(PACKAGES, sort="id asc", rows=100, start=3)
    assert result["results"] == [] and result["count"] == 3


def test_free_text_and_all() -> None:
    assert names(search(PACKAGES, q="*:*")) == ["union", "registry", "library-vn-hn"]
    assert names(search(PACKAGES, q="registry")) == ["registry"]
    assert names(search(PACKAGES, q="MỤC")) == ["union"]  # in a tag, any case
    assert names(search(PACKAGES, q="organization:hanoi")) == ["library-vn-hn"]


@pytest.mark.parametrize(
    ("fq", "sort"),
    [
        ("colour:red", ""),
        ("metadata_modified:[NOW-1DAY TO *]", ""),
        ("organization", ""),
        ("", "colour asc"),
        ("", "name sideways"),
    ],
)
def test_what_it_cannot_read_is_refused(fq: str, sort: str) -> None:
    with pytest.raises(SearchQueryError):
        search(PACKAGES, fq=fq, sort=sort)
