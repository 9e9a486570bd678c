"""500-588: notes, contents, summaries, audience, language notes.

Spec sheet: LC ConvSpec-5XX. A note is a bf:Note with its type (the note's MARC name); 504 is a
bibliography note (supplementary content), 505 a table of contents with one entry per $t, 520 a
summary of the Work, 521 its intended audience, 546 a language note. Notes are tagged with the
cataloguing language (040 $b), transcribed contents with the resource's language.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import NamedNode

from lod.converters.context import RecordContext, literal
from lod.converters.marc.build import convert_fields, labelled
from lod.converters.text import clean
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF

NOTE_TYPES = {
    "500": None, "501": "with", "502": "dissertation", "506": "access", "507": "scale",
    "508": "credits", "510": "citation", "511": "performers", "513": "report type", "515": "numbering",
    "516": "file type", "518": "event", "524": "preferred citation", "525": "supplement",
    "530": "additional physical form", "533": "reproduction", "534": "original version",
    "535": "location of originals", "536": "funding", "538": "system details", "540": "use and reproduction",
    "541": "acquisition source", "542": "copyright", "544": "related material", "545": "biographical",
    "547": "former title", "550": "issuing body", "555": "index", "561": "ownership", "562": "copy",
    "563": "binding", "580": "linking entry", "583": "action", "585": "exhibitions", "586": "awards",
    "546": "language", "588": "description source", "590": "local",
}  # fmt: skip
SKIP_CODES = "2568"


def _text(field: Field, codes: str | None = None) -> str:
    return clean(
        " ".join(
            sub.value
            for sub in field.subfields
            if (sub.code in codes if codes else sub.code not in SKIP_CODES)
        )
    )


def note(field: Field, ctx: RecordContext) -> list[Triple]:
    value = _text(field)
    if not value:
        return []
    node, triples = labelled(BF.Note, ctx.text(value))
    if kind := NOTE_TYPES.get(field.tag):
        triples.append((node, BF.noteType, literal(kind)))
    subject = ctx.work if field.tag in ("502", "545") else ctx.instance
    return [(subject, BF.note, node), *triples]


def _on(
    subject: NamedNode, predicate: NamedNode, cls: NamedNode, value: str, ctx: RecordContext
) -> list[Triple]:
    node, triples = labelled(cls, ctx.text(value))
    return [(subject, predicate, node), *triples]


def bibliography(field: Field, ctx: RecordContext) -> list[Triple]:
    value = _text(field)
    return _on(ctx.instance, BF.supplementaryContent, BF.SupplementaryContent, value, ctx) if value else []


def contents(field: Field, ctx: RecordContext) -> list[Triple]:
    """505: the whole contents note (an enhanced note's $t $r $g included) as one label."""
    value = _text(field)
    return _on(ctx.instance, BF.tableOfContents, BF.TableOfContents, value, ctx) if value else []


def summary(field: Field, ctx: RecordContext) -> list[Triple]:
    value = _text(field)
    return _on(ctx.work, BF.summary, BF.Summary, value, ctx) if value else []


def audience(field: Field, ctx: RecordContext) -> list[Triple]:
    value = _text(field)
    return _on(ctx.work, BF.intendedAudience, BF.IntendedAudience, value, ctx) if value else []


FieldConverter = Callable[[Field, RecordContext], list[Triple]]
FIELDS: dict[str, FieldConverter] = {
    **dict.fromkeys(NOTE_TYPES, note),
    "504": bibliography,
    "505": contents,
    "520": summary,
    "521": audience,
}


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
