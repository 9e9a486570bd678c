"""Vietnam's administrative units after the 2025 reform, and the 63 provinces before it.

Since 1 July 2025 there are two levels: 34 provinces (tỉnh, thành phố) and their communes (phường,
xã, đặc khu); districts are gone. Library records and older registers still name the 63 former
provinces, so those are kept too, each pointing to the 2025 province that absorbed it. The data are
the CSV files shipped in `lod.ontologies` (admin-units-*.csv; see admin-units-SOURCES.md), read on
first use.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.triples import Triple
from lod.uris import Minter
from lod.vietnamese import match_key
from lod.vocab import RDF, RDFS, SCHEMA, SKOS, VOCAB, XSD

SCHEME_2025 = NamedNode(VOCAB + "admin-units-2025")
SCHEME_BEFORE_2025 = NamedNode(VOCAB + "admin-units-before-2025")

# Terms that lod.vocab's closed vocabularies do not have (used here only).
NOTATION = NamedNode(SKOS.iri + "notation")
TOP_CONCEPT_OF = NamedNode(SKOS.iri + "topConceptOf")
IS_REPLACED_BY = NamedNode("http://purl.org/dc/terms/isReplacedBy")

_PREFIXES = ("thành phố ", "tp ", "tỉnh ")
"""Words before a province's proper name, as `match_key` leaves them ("TP." -> "tp")."""


@dataclass(frozen=True)
class Province:
    """A province-level unit of 2025: code '01', name 'Thành phố Hà Nội', short_name 'Hà Nội'."""

    code: str
    name: str
    short_name: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Commune:
    """A commune-level unit of 2025; `type` is 'Phường', 'Xã' or 'Đặc khu'."""

    code: str
    name: str
    short_name: str
    type: str
    province_code: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class FormerProvince:
    """One of the 63 provinces before 1 July 2025, and the code of the 2025 province it is part of."""

    code: str
    name: str
    new_code: str

    @property
    def short_name(self) -> str:
        """The name without 'Tỉnh' or 'Thành phố': 'Tỉnh Hà Giang' -> 'Hà Giang'."""
        for prefix in ("Tỉnh ", "Thành phố "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class AdminUnits:
    """The units by code, and lookups over them."""

    def __init__(
        self, provinces: list[Province], communes: list[Commune], former: list[FormerProvince]
    ) -> None:
        self.provinces = {p.code: p for p in provinces}
        self.communes = {c.code: c for c in communes}
        self.former = {f.code: f for f in former}
        self._by_name: dict[str, Province] = {}
        for p in provinces:
            self._by_name[match_key(p.name)] = p
            self._by_name[match_key(p.short_name)] = p

    def province(self, code: str) -> Province | None:
        return self.provinces.get(code)

    def commune(self, code: str) -> Commune | None:
        return self.communes.get(code)

    def resolve_province(self, code: str) -> tuple[Province, FormerProvince | None] | None:
        """The 2025 province for a province code, new or old.

        A 2025 code gives (province, None); an old code that is no longer in use gives (the province
        that absorbed it, the former province). Codes kept in 2025 ('01', '79'...) are the 2025 ones.
        """
        if code in self.provinces:
            return self.provinces[code], None
        former = self.former.get(code)
        if former is None:
            return None
        return self.provinces[former.new_code], former

    def find_province(self, name: str) -> Province | None:
        """The 2025 province named `name`, with or without 'Tỉnh', 'Thành phố' or 'TP.' in front.

        Case, punctuation and tone-mark placement do not matter; diacritics do ('Ha Noi' is not found).
        """
        key = match_key(name)
        if key in self._by_name:
            return self._by_name[key]
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                return self._by_name.get(key[len(prefix) :])
        return None


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("lod.ontologies").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _coordinate(text: str) -> float | None:
    return float(text) if text else None


@cache
def units() -> AdminUnits:
    """All units, read from the shipped CSV files once."""
    provinces = [
        Province(
            r["code"], r["name"], r["short_name"], _coordinate(r["latitude"]), _coordinate(r["longitude"])
        )
        for r in _rows("admin-units-2025-provinces.csv")
    ]
    communes = [
        Commune(
            r["code"],
            r["name"],
            r["short_name"],
            r["type"],
            r["province_code"],
            _coordinate(r["latitude"]),
            _coordinate(r["longitude"]),
        )
        for r in _rows("admin-units-2025-communes.csv")
    ]
    former = [
        FormerProvince(r["code"], r["name"], r["new_code"]) for r in _rows("admin-units-former-provinces.csv")
    ]
    return AdminUnits(provinces, communes, former)


def _decimal(value: float) -> Literal:
    # repr() of a float may be in exponent form ('1e-05'), which xsd:decimal does not allow
    return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)


def _unit(
    iri: NamedNode,
    code: str,
    name: str,
    short_name: str,
    scheme: NamedNode,
    latitude: float | None = None,
    longitude: float | None = None,
) -> list[Triple]:
    triples: list[Triple] = [
        (iri, RDF.type, SKOS.Concept),
        (iri, RDF.type, SCHEMA.AdministrativeArea),
        (iri, SKOS.prefLabel, Literal(name, language="vi")),
        (iri, SKOS.altLabel, Literal(short_name, language="vi")),
        (iri, RDFS.label, Literal(name, language="vi")),
        (iri, NOTATION, Literal(code)),
        (iri, SKOS.inScheme, scheme),
    ]
    if latitude is not None and longitude is not None:
        geo = BlankNode()
        triples += [
            (iri, SCHEMA.geo, geo),
            (geo, RDF.type, SCHEMA.GeoCoordinates),
            (geo, SCHEMA.latitude, _decimal(latitude)),
            (geo, SCHEMA.longitude, _decimal(longitude)),
        ]
    return triples


def _scheme(iri: NamedNode, vi: str, en: str) -> list[Triple]:
    return [
        (iri, RDF.type, SKOS.ConceptScheme),
        (iri, SKOS.prefLabel, Literal(vi, language="vi")),
        (iri, SKOS.prefLabel, Literal(en, language="en")),
        (iri, RDFS.label, Literal(vi, language="vi")),
        (iri, RDFS.label, Literal(en, language="en")),
    ]


def unit_triples(minter: Minter) -> list[Triple]:
    """Every unit as a SKOS concept and schema:AdministrativeArea, in two concept schemes.

    Provinces are the top concepts of the 2025 scheme and communes are narrower than (and contained
    in) their province; each former province is dcterms:isReplacedBy the province that absorbed it.
    """
    data = units()
    triples = _scheme(
        SCHEME_2025, "Đơn vị hành chính từ 01/7/2025", "Administrative units from 1 July 2025"
    ) + _scheme(SCHEME_BEFORE_2025, "Tỉnh, thành phố trước 01/7/2025", "Provinces before 1 July 2025")
    for p in data.provinces.values():
        iri = minter.province(p.code)
        triples += _unit(iri, p.code, p.name, p.short_name, SCHEME_2025, p.latitude, p.longitude)
        triples.append((iri, TOP_CONCEPT_OF, SCHEME_2025))
    for c in data.communes.values():
        iri = minter.commune(c.code)
        province = minter.province(c.province_code)
        triples += _unit(iri, c.code, c.name, c.short_name, SCHEME_2025, c.latitude, c.longitude)
        triples += [(iri, SKOS.broader, province), (iri, SCHEMA.containedInPlace, province)]
    for f in data.former.values():
        iri = minter.former_province(f.code)
        triples += _unit(iri, f.code, f.name, f.short_name, SCHEME_BEFORE_2025)
        triples += [
            (iri, TOP_CONCEPT_OF, SCHEME_BEFORE_2025),
            (iri, IS_REPLACED_BY, minter.province(f.new_code)),
        ]
    return triples
