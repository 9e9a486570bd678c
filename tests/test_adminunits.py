"""lod.adminunits over the shipped data: the 34 provinces and 3,305 communes of 2025, the 63 before."""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from pyoxigraph import Literal, RdfFormat

from lod.adminunits import (
    IS_REPLACED_BY,
    SCHEME_2025,
    SCHEME_BEFORE_2025,
    unit_triples,
    units,
)
from lod.triples import ntriples
from lod.uris import Minter
from lod.vocab import RDF, SCHEMA, SKOS, XSD

PROVINCE_CODES = (
    "01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79 80 82 86 91 92 96"
).split()
minter = Minter("http://data.test/")


def test_counts_and_codes() -> None:
    data = units()
    assert sorted(data.provinces) == PROVINCE_CODES
    assert len(data.communes) == 3305
    assert len(data.former) == 63
    assert all(re.fullmatch(r"\d{5}", code) for code in data.communes)
    assert all(re.fullmatch(r"\d{2}", code) for code in data.former)
    assert {c.type for c in data.communes.values()} == {"Phường", "Xã", "Đặc khu"}


def test_every_commune_and_former_province_points_to_a_2025_province() -> None:
    data = units()
    assert {c.province_code for c in data.communes.values()} == set(data.provinces)
    assert {f.new_code for f in data.former.values()} == set(data.provinces)


def test_lookups_by_code() -> None:
    data = units()
    hanoi = data.province("01")
    assert hanoi is not None and hanoi.name == "Thành phố Hà Nội" and hanoi.short_name == "Hà Nội"
    commune = data.commune("00004")
    assert commune is not None
    assert (commune.name, commune.short_name, commune.type, commune.province_code) == (
        "Phường Ba Đình",
        "Ba Đình",
        "Phường",
        "01",
    )
    assert commune.latitude is not None and 20 < commune.latitude < 22
    special_zone = data.commune("06994")
    assert special_zone is not None and special_zone.name == "Đặc khu Vân Đồn"
    assert data.province("02") is None and data.commune("99999") is None


@pytest.mark.parametrize(
    ("old", "old_name", "new", "new_name"),
    [
        ("02", "Tỉnh Hà Giang", "08", "Tỉnh Tuyên Quang"),
        ("74", "Tỉnh Bình Dương", "79", "Thành phố Hồ Chí Minh"),
        ("49", "Tỉnh Quảng Nam", "48", "Thành phố Đà Nẵng"),
        ("30", "Tỉnh Hải Dương", "31", "Thành phố Hải Phòng"),
    ],
)
def test_former_provinces_resolve_to_the_province_that_absorbed_them(
    old: str, old_name: str, new: str, new_name: str
) -> None:
    resolved = units().resolve_province(old)
    assert resolved is not None
    province, former = resolved
    assert former is not None and former.name == old_name and former.new_code == new
    assert province.code == new and province.name == new_name


def test_a_code_used_before_and_after_2025_is_the_2025_province() -> None:
    data = units()
    assert data.former["01"].new_code == "01"
    assert data.resolve_province("01") == (data.provinces["01"], None)
    assert data.resolve_province("79") == (data.provinces["79"], None)
    assert data.resolve_province("99") is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Hà Nội", "01"),
        ("Thành phố Hà Nội", "01"),
        ("thành phố hà nội", "01"),
        ("TP. Hồ Chí Minh", "79"),
        ("tp hồ chí minh", "79"),
        ("Hồ Chí Minh", "79"),
        ("Tỉnh Tuyên Quang", "08"),
        ("Tuyên Quang", "08"),
        ("Khánh Hoà", "56"),  # the other tone-mark placement
        ("Tỉnh Thanh Hóa.", "38"),
        ("TP Huế", "46"),
    ],
)
def test_find_province_by_name(name: str, code: str) -> None:
    province = units().find_province(name)
    assert province is not None and province.code == code


@pytest.mark.parametrize("name", ["Ha Noi", "Hà Giang", "Thành phố", "", "Hà Nội Hà Nội"])
def test_find_province_needs_the_diacritics_and_a_2025_name(name: str) -> None:
    assert units().find_province(name) is None


def test_unit_triples_round_trip_through_pyoxigraph() -> None:
    triples = unit_triples(minter)
    text = ntriples(triples).encode("utf-8")
    graph = [q.triple for q in pyoxigraph.parse(text, format=RdfFormat.N_TRIPLES)]
    assert len(graph) == len(triples)
    turtle = pyoxigraph.serialize(graph, format=RdfFormat.TURTLE)
    assert len(list(pyoxigraph.parse(turtle, format=RdfFormat.TURTLE))) == len(triples)


def test_every_unit_is_a_concept_in_its_scheme() -> None:
    triples = unit_triples(minter)
    concepts = {s for s, p, o in triples if p == RDF.type and o == SKOS.Concept}
    assert len(concepts) == 34 + 3305 + 63
    schemes = {o for s, p, o in triples if p == SKOS.inScheme}
    assert schemes == {SCHEME_2025, SCHEME_BEFORE_2025}
    assert len({s for s, p, o in triples if p == SCHEMA.geo}) == 34 + 3305


def test_a_commune_links_to_its_province() -> None:
    triples = set(unit_triples(minter))
    commune, hanoi = minter.commune("00004"), minter.province("01")
    assert (commune, SKOS.broader, hanoi) in triples
    assert (commune, SCHEMA.containedInPlace, hanoi) in triples
    assert (commune, SKOS.prefLabel, Literal("Phường Ba Đình", language="vi")) in triples
    assert (minter.former_province("02"), IS_REPLACED_BY, minter.province("08")) in triples


def test_coordinates_are_decimals() -> None:
    triples = unit_triples(minter)
    geo = next(o for s, p, o in triples if s == minter.province("01") and p == SCHEMA.geo)
    latitude = next(o for s, p, o in triples if s == geo and p == SCHEMA.latitude)
    assert isinstance(latitude, Literal)
    assert latitude.datatype == XSD.decimal
    assert latitude.value == "21.0001"
