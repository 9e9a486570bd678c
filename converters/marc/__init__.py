"""MARC 21 bibliographic records to BIBFRAME 2 and schema.org.

One module per tag range, named after the Library of Congress conversion specification sheets
(marc2bibframe2's `ConvSpec-*`); each exposes `convert(record, ctx) -> Iterator[Triple]`.
The registry below is the order they run in. A module never reads another module's output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pymarc
from pyoxigraph import Triple

from lod.converters.context import RecordContext
from lod.marcrecord import Record
from lod.converters.marc import (
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
    holdings,
    leader_008,
)

Converter = Callable[[Record, RecordContext], Iterator[Triple]]

CONVERTERS: tuple[Converter, ...] = (
    leader_008.convert,
    f001_007.convert,
    f010_048.convert,
    f050_088.convert,
    f1xx_7xx_agents.convert,
    f200_24x.convert,
    f250_270.convert,
    f300_3xx.convert,
    f490_8xx.convert,
    f500_5xx.convert,
    f600_662.convert,
    holdings.convert,
)


def convert_record(record: Record | pymarc.Record, ctx: RecordContext) -> list[Triple]:
    """All triples for one bibliographic record (Work, Instance, Items, Agents, Topics)."""
    if isinstance(record, pymarc.Record):
        record = Record.from_pymarc(record)
    triples: list[Triple] = []
    for converter in CONVERTERS:
        triples.extend(converter(record, ctx))
    return triples
