"""001-007 and 040: the record's administrative metadata (who catalogued it, its number, dates).

Spec sheet: LC ConvSpec-001-007 and ConvSpec-010-048 (040).
"""

from __future__ import annotations

from datetime import date, datetime

from pymarc import Record
from pyoxigraph import BlankNode, Literal

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import identifier, labelled, triple, typed
from lod.converters.text import subfields
from lod.vocab import BF, XSD


def convert(record: Record, ctx: RecordContext) -> Triples:
    admin = BlankNode()
    yield triple(ctx.instance, BF.adminMetadata, admin)
    yield from typed(admin, BF.AdminMetadata)
    yield triple(admin, BF.assigner, ctx.library_iri)

    local, local_triples = identifier(BF.Local, ctx.control_number)
    yield triple(admin, BF.identifiedBy, local)
    yield from local_triples
    yield triple(local, BF.assigner, ctx.library_iri)

    field_003 = record.get("003")
    if field_003 is not None and field_003.data and field_003.data.strip():
        source, source_triples = labelled(BF.Source, field_003.data.strip())
        yield triple(local, BF.source, source)
        yield from source_triples

    changed = _marc_datetime(record)
    if changed is not None:
        yield triple(admin, BF.changeDate, Literal(changed, datatype=XSD.dateTime))
    created = _creation_date(record)
    if created is not None:
        yield triple(admin, BF.creationDate, Literal(created, datatype=XSD.date))

    for field_040 in record.get_fields("040"):
        for agency in subfields(field_040, "a"):
            source, source_triples = labelled(BF.Source, agency)
            yield triple(admin, BF.source, source)
            yield from source_triples


def _marc_datetime(record: Record) -> str | None:
    """005 'yyyymmddhhmmss.f' as xsd:dateTime, or None when it is not a real date."""
    field = record.get("005")
    value = str(field.data).strip() if field is not None and field.data else ""
    try:
        parsed = datetime.strptime(value[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return parsed.isoformat()


def _creation_date(record: Record) -> str | None:
    """008/00-05 'yymmdd': the date the record was first entered."""
    field = record.get("008")
    value = str(field.data)[:6] if field is not None and field.data else ""
    try:
        parsed = datetime.strptime(value, "%y%m%d").date()
    except ValueError:
        return None
    if parsed > date.today():  # '%y' reads 00-68 as 20xx; a record cannot be entered in the future
        parsed = parsed.replace(year=parsed.year - 100)
    return parsed.isoformat()
