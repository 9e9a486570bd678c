"""760-788 linking entries and 856 electronic locations.

Spec sheet: LC ConvSpec-760-788-Links and ConvSpec-856. A linked resource is an Instance IRI keyed
by its strongest identifier ($w record number, $x ISSN, $z ISBN) or else its title, with its title,
responsibility, edition, provision and identifiers; the relation comes from the tag (and for 775/787
the relationship in $i is kept as a note). 856 $u is the Instance's electronic locator, or for a
related resource (ind2 2) supplementary content with its label.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc.build import convert_fields, identifier
from lod.converters.marc.f010_048 import isbn_digits
from lod.converters.text import clean, heading_key
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.uris import opaque_id
from lod.vocab import BF, RDF, RDFS

RELATIONS: dict[str, NamedNode] = {
    "760": BF.hasSeries, "762": BF.hasPart, "765": BF.translationOf, "767": BF.translation,
    "770": BF.supplement, "772": BF.supplementTo, "773": BF.partOf, "774": BF.hasPart,
    "775": BF.otherEdition, "776": BF.otherPhysicalFormat, "777": BF.relatedTo, "780": BF.precededBy,
    "785": BF.succeededBy, "786": BF.relatedTo, "787": BF.relatedTo,
}  # fmt: skip
IDENTIFIERS = {"x": BF.Issn, "z": BF.Isbn, "w": BF.Local, "o": BF.Identifier, "r": BF.Identifier,
               "u": BF.Identifier, "y": BF.Identifier}  # fmt: skip
PROPERTIES = {"a": BF.responsibilityStatement, "b": BF.editionStatement, "d": BF.provisionActivityStatement,
              "g": BF.note, "h": BF.note, "i": BF.note, "k": BF.seriesStatement, "n": BF.note,
              "c": BF.note, "e": BF.note, "f": BF.note, "j": BF.note, "m": BF.note, "q": BF.note}  # fmt: skip


def link(field: Field, ctx: RecordContext) -> list[Triple]:
    values = [(sub.code, v) for sub in field.subfields if (v := clean(sub.value))]
    title = " ".join(v for code, v in values if code in "st") or " ".join(
        v for code, v in values if code == "p"
    )
    keys = [f"{code}:{v}" for code, v in values if code in "wxz"]
    if not title and not keys:
        return []
    key = keys[0] if keys else heading_key([title])
    related = ctx.minter.entity("instance", opaque_id("related", key))
    triples: list[Triple] = [(ctx.instance, RELATIONS[field.tag], related), (related, RDF.type, BF.Instance)]
    if title:
        node = BlankNode()
        triples += [
            (related, BF.title, node),
            (node, RDF.type, BF.Title),
            (node, BF.mainTitle, ctx.text(title)),
            (related, RDFS.label, ctx.text(title)),
        ]
    for code, value in values:
        if code in IDENTIFIERS:
            number = isbn_digits(value) if code == "z" else None
            id_node, id_triples = identifier(IDENTIFIERS[code], number or value)
            triples += [(related, BF.identifiedBy, id_node), *id_triples]
        elif code in PROPERTIES:
            triples.append((related, PROPERTIES[code], ctx.text(value)))
    return triples


def electronic_location(field: Field, ctx: RecordContext) -> list[Triple]:
    urls = [u for sub in field.subfields if sub.code == "u" and (u := sub.value.strip().replace(" ", "%20"))]
    labels = [v for sub in field.subfields if sub.code in "3yz" and (v := clean(sub.value))]
    triples: list[Triple] = []
    for url in urls:
        if not url.lower().startswith(("http://", "https://", "ftp://")):
            triples.append((ctx.instance, BF.note, Literal(url)))
            continue
        try:
            target = NamedNode(url)
        except ValueError:  # not a valid IRI: kept as text
            triples.append((ctx.instance, BF.note, Literal(url)))
            continue
        if field.indicator2 == "2":
            node = BlankNode()
            triples += [
                (ctx.instance, BF.supplementaryContent, node),
                (node, RDF.type, BF.SupplementaryContent),
                (node, BF.electronicLocator, target),
            ]
            triples += [(node, RDFS.label, ctx.text(label)) for label in labels]
        else:
            triples.append((ctx.instance, BF.electronicLocator, target))
            triples += [(target, RDFS.label, ctx.text(label)) for label in labels]
    return triples


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = {**dict.fromkeys(RELATIONS, link), "856": electronic_location}


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
