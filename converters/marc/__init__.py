"""MARC 21 records to BIBFRAME 2 (and, from it, schema.org).

One module per tag range, named after the Library of Congress conversion specification sheets
(marc2bibframe2's `ConvSpec-*`). Record-level converters see the whole record (leader, 008,
administrative metadata); every other module registers one small function per tag in `FIELDS`,
`(field, ctx) -> triples`. The record is walked once and each field goes to its function. An 880
(alternate script) goes to the function of the tag its $6 names, with literals tagged by script;
when it is paired with a field that names an agent or topic, or with the 245, its `PARALLEL`
function adds the other-script label to the same entity instead of minting a second one.
Authority records have their own converter (`authority.py`), holdings records theirs
(`holdings.convert_holdings`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pymarc

from lod.converters.context import BCP47, RecordContext
from lod.converters.marc import (
    authority,
    f001_007,
    f010_048,
    f050_088,
    f1xx_7xx_agents,
    f200_24x,
    f250_270,
    f300_3xx,
    f490_8xx,
    f500_5xx,
    f600_662,
    f760_887,
    holdings,
    leader_008,
)
from lod.converters.schemaorg import schema_view
from lod.marcrecord import Field, Record
from lod.triples import Statements, Triple

RecordConverter = Callable[[Record, RecordContext], Iterable[Triple]]
FieldConverter = Callable[[Field, RecordContext], list[Triple]]
ParallelConverter = Callable[[Field, Field, RecordContext], list[Triple]]

RECORD_CONVERTERS: tuple[RecordConverter, ...] = (leader_008.convert, f001_007.convert)
FIELD_CONVERTERS: dict[str, FieldConverter] = {
    **f010_048.FIELDS,
    **f050_088.FIELDS,
    **f1xx_7xx_agents.FIELDS,
    **f200_24x.FIELDS,
    **f250_270.FIELDS,
    **f300_3xx.FIELDS,
    **f490_8xx.FIELDS,
    **f500_5xx.FIELDS,
    **f600_662.FIELDS,
    **f760_887.FIELDS,
    **holdings.FIELDS,
}
PARALLEL: dict[str, ParallelConverter] = {
    **f1xx_7xx_agents.PARALLEL,
    **f200_24x.PARALLEL,
    **f600_662.PARALLEL,
}
AUTHORITY_TYPES = {"z"}
HOLDINGS_TYPES = {"u", "v", "x", "y"}


def record_kind(record: Record) -> str:
    code = record.leader[6:7]
    if code in AUTHORITY_TYPES:
        return "authority"
    if code in HOLDINGS_TYPES:
        return "holdings"
    return "bibliographic"


def convert_record(
    record: Record | pymarc.Record, ctx: RecordContext, index: Statements | None = None
) -> list[Triple]:
    """All triples for one record: BIBFRAME and the schema.org view of it. `index`, when given,
    receives them all (it must take at least the predicates the view reads, schemaorg.INDEXED),
    for whatever else reads the record after the view (lod.clustering.match_keys_of)."""
    if isinstance(record, pymarc.Record):
        record = Record.from_pymarc(record)
    triples = convert_bibframe(record, ctx)
    if index is None:
        triples += schema_view(triples, ctx)
        return triples
    index.add(triples)
    schema = schema_view(triples, ctx, index)
    index.add(schema)
    triples += schema
    return triples


def convert_bibframe(record: Record, ctx: RecordContext) -> list[Triple]:
    kind = record_kind(record)
    if kind == "authority":
        return authority.convert_authority(record, ctx)
    if kind == "holdings":
        return holdings.convert_holdings(record, ctx)
    ctx.record = record
    ctx.language = leader_008.record_language(record)
    cataloguing = record.get("040")
    code = (cataloguing.get("b") or "").strip().lower()[:3] if cataloguing is not None else ""
    # a code that cannot be a language tag (found by fuzzing: "r\x00u") tags nothing
    valid = len(code) in (2, 3) and code.isascii() and code.isalpha()
    ctx.cataloguing_language = BCP47.get(code, code if valid else None)
    ctx.describe_once = ctx.described is not None
    triples: list[Triple] = []
    for record_converter in RECORD_CONVERTERS:
        triples.extend(record_converter(record, ctx))
    converters = FIELD_CONVERTERS
    local = ctx.holdings_layouts
    for field in record.fields:
        tag = field.tag
        if tag == "880":
            linkage = field.linkage
            if linkage is None or linkage.tag not in converters:
                continue
            tag = linkage.tag
            shadow = Field(tag, field.indicator1, field.indicator2, field.subfields)
            ctx.enter(field, tag)
            parallel = PARALLEL.get(tag)
            if parallel is not None and linkage.occurrence not in ("", "00"):
                paired = _paired(record, tag, linkage.occurrence)
                if paired is not None:
                    triples.extend(parallel(shadow, paired, ctx))
                    continue
            triples.extend(converters[tag](shadow, ctx))
            continue
        converter = converters.get(tag)
        if converter is None:
            if tag in local:
                converter = holdings.holdings_field
            else:
                continue
        ctx.enter(field)
        triples.extend(converter(field, ctx))
    return triples


def _paired(record: Record, tag: str, occurrence: str) -> Field | None:
    """The regular field an 880 with $6 '<tag>-<occurrence>' is paired with (its $6 '880-<occurrence>')."""
    for field in record.get_fields(tag):
        linkage = field.linkage
        if linkage is not None and linkage.tag == "880" and linkage.occurrence == occurrence:
            return field
    return None
