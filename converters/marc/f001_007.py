"""001-007 and 040: the record's administrative metadata (who catalogued it, its number, dates).

Spec sheet: LC ConvSpec-001-007 and ConvSpec-010-048 (040). Agencies named by MARC organization
codes (003, 040 $a $c $d) become id.loc.gov organization IRIs, as marc2bibframe2 does.
"""

from __future__ import annotations

from datetime import date, datetime

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import identifier, known_iri, language, language_codes, source
from lod.converters.text import clean
from lod.marcrecord import Record
from lod.triples import Triple
from lod.vocab import BF, ID_ORGS, RDF, RDFS, XSD


def organization(code: str) -> NamedNode:
    return known_iri(ID_ORGS + "".join(code.split()).lower().replace("/", "-"))


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    return admin_metadata(record, ctx, ctx.instance)


def admin_metadata(record: Record, ctx: RecordContext, subject: NamedNode) -> list[Triple]:
    """The AdminMetadata of `subject` (the Instance, or an authority's entity)."""
    admin = BlankNode()
    local, local_triples = identifier(BF.Local, ctx.control_number.split(":", 1)[-1])
    triples: list[Triple] = [
        (subject, BF.adminMetadata, admin),
        (admin, RDF.type, BF.AdminMetadata),
        (admin, BF.assigner, ctx.library_iri),
        (admin, BF.identifiedBy, local),
        *local_triples,
        (local, BF.assigner, ctx.library_iri),
    ]
    agency = record.control("003").strip()
    if agency:
        triples.extend(source(local, agency))
    changed = _marc_datetime(record)
    if changed is not None:
        triples.append((admin, BF.changeDate, Literal(changed, datatype=XSD.dateTime)))
    created = _creation_date(record)
    if created is not None:
        triples.append((admin, BF.creationDate, Literal(created, datatype=XSD.date)))
    for field in record.get_fields("040"):
        for sub in field.subfields:
            value = clean(sub.value)
            if not value:
                continue
            if sub.code in "acd":
                org = organization(value)
                triples.append((admin, BF.source if sub.code == "a" else BF.agent, org))
                if ctx.describes(("040", value)):
                    triples.append((org, RDFS.label, literal(value)))
            elif sub.code == "b":
                for code in language_codes(value):
                    triples.append((admin, BF.descriptionLanguage, language(code)))
            elif sub.code == "e":
                node = BlankNode()
                triples += [
                    (admin, BF.descriptionConventions, node),
                    (node, RDF.type, BF.DescriptionConventions),
                    (node, BF.code, literal(value)),
                ]
    return triples


def _marc_datetime(record: Record) -> str | None:
    """005 'yyyymmddhhmmss.f' as xsd:dateTime, or None when it is not a real date."""
    value = record.control("005").strip()[:14]
    if len(value) != 14 or not value.isdigit():
        return None
    try:  # slicing: datetime.strptime costs ten times as much, once per record
        parsed = datetime(
            int(value[:4]), int(value[4:6]), int(value[6:8]),
            int(value[8:10]), int(value[10:12]), int(value[12:14]),
        )  # fmt: skip
    except ValueError:
        return None
    return parsed.isoformat()


def _creation_date(record: Record) -> str | None:
    """008/00-05 'yymmdd': the date the record was first entered."""
    value = record.control("008")[:6]
    if not value.isdigit():
        return None
    try:
        parsed = date(2000 + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None
    if parsed > date.today():  # a record cannot be entered in the future: then it is 19yy
        parsed = parsed.replace(year=parsed.year - 100)
    return parsed.isoformat()
