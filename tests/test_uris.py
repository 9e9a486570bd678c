from __future__ import annotations

import pytest

from lod.uris import EntityRef, Minter, opaque_id

BASE = "https://data.example/"


def test_record_ids_are_stable_opaque_and_distinct() -> None:
    minter = Minter(BASE)
    first = minter.record_id("DEMO-VN1", "000123")
    assert first == minter.record_id("DEMO-VN1", "000123")
    assert first != minter.record_id("DEMO-VN2", "000123")
    assert first != minter.record_id("DEMO-VN1", "000124")
    assert len(first) == 16 and first.isalnum() and first == first.lower()


@pytest.mark.parametrize(
    "parts",
    [("record", "DEMO-VN1", "000123"), ("topic", "Topic", "văn học việt nam--phê bình"), ("",), ("ẞ",)],
)
def test_opaque_ids_are_rfc4648_base32_of_the_blake2b_hash(parts: tuple[str, ...]) -> None:
    """Minted IRIs must not change when the encoding code does: the same text as base64's encoder."""
    import base64
    import hashlib

    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=10).digest()
    assert opaque_id(*parts) == base64.b32encode(digest).decode("ascii").lower()


def test_prefixes_match_minted_iris_of_those_kinds_only() -> None:
    minter = Minter(BASE)
    prefixes = minter.prefixes("agent", "topic")
    assert minter.agent("Person", "nguyễn du").value.startswith(prefixes)
    assert minter.topic("Topic", "lịch sử").value.startswith(prefixes)
    assert not minter.work("abc").value.startswith(prefixes)
    assert not minter.place("hà nội").value.startswith(prefixes)


def test_separator_prevents_ambiguous_joins() -> None:
    assert opaque_id("ab", "c") != opaque_id("a", "bc")


@pytest.mark.parametrize("kind", ["work", "instance", "item", "agent", "topic", "library"])
def test_mint_then_parse_round_trip(kind: str) -> None:
    minter = Minter(BASE)
    iri = minter.entity(kind, "abc123")
    assert iri.value == f"{BASE}resource/{kind}/abc123"
    assert minter.parse(iri.value) == EntityRef(kind, "abc123")


def test_library_codes_with_reserved_characters_are_escaped() -> None:
    minter = Minter(BASE)
    iri = minter.library("DE-Hil2/x:y")
    assert "/x" not in iri.value.rsplit("library/", 1)[1]
    assert minter.parse(iri.value) == EntityRef("library", "DE-Hil2/x:y")


@pytest.mark.parametrize(
    "iri",
    [
        "https://other.example/resource/work/abc",
        f"{BASE}resource/unknown/abc",
        f"{BASE}resource/work/",
        f"{BASE}resource/work/a/b",
        f"{BASE}graph/record/abc",
    ],
)
def test_parse_rejects_foreign_iris(iri: str) -> None:
    assert Minter(BASE).parse(iri) is None


def test_paths_and_documents() -> None:
    minter = Minter(BASE.rstrip("/"))
    iri = minter.instance("abc").value
    assert minter.path_of(iri) == "/resource/instance/abc"
    assert minter.iri_of_path("/resource/instance/abc") == iri
    assert minter.document_path(iri, "ttl") == "/resource/instance/abc.ttl"
    assert minter.path_of("https://elsewhere.example/x") is None


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        Minter(BASE).entity("book", "x")


def test_unit_codes_round_trip_by_level() -> None:
    minter = Minter("https://lod.example.vn/")
    minted = {
        "province": minter.province("01"),
        "commune": minter.commune("00004"),
        "former_province": minter.former_province("02"),
    }
    for level, iri in minted.items():
        assert minter.unit_code(iri.value, level) == {"province": "01", "commune": "00004"}.get(level, "02")
        assert all(minter.unit_code(iri.value, other) is None for other in minted if other != level)
    assert minter.unit_code(minter.library("p01").value, "province") is None  # not a unit
    assert minter.unit_code("https://elsewhere.example/resource/unit/p01", "province") is None


def test_dataset_description_iris() -> None:
    minter = Minter(BASE)
    assert minter.dataset().value == BASE  # the whole dataset is the base IRI (lod.figures keeps its figures)
    assert minter.dataset("union").value == f"{BASE}catalog#union"
    assert minter.dataset("library-VN-HN001").value == f"{BASE}catalog#library-VN-HN001"
    assert minter.catalog().value == f"{BASE}catalog"
    assert minter.catalog("union-part001.nt.gz").value == f"{BASE}catalog#union-part001.nt.gz"
    assert minter.void().value == f"{BASE}.well-known/void"
    assert minter.void("languages-language").value == f"{BASE}.well-known/void#languages-language"
    assert minter.sparql_endpoint().value == f"{BASE}sparql"
    assert minter.sparql_service().value == f"{BASE}sparql#service"
    assert (
        minter.dump_file("2026-07-01", "all-part001.nq.gz").value
        == f"{BASE}dumps/2026-07-01/all-part001.nq.gz"
    )
    # a fragment or file name that is not IRI-safe is escaped, never pasted
    assert minter.catalog("a b#c").value == f"{BASE}catalog#a%20b%23c"
    assert minter.dump_file("x/y", "z").value == f"{BASE}dumps/x%2Fy/z"
