"""010-048: identifiers (LCCN, ISBN, ISSN, other standard numbers, system numbers) and languages.

Spec sheet: LC ConvSpec-010-048. ISBNs are stored without hyphens; an ISBN-10 also yields its
ISBN-13 so that either form finds the book. Cancelled or invalid numbers ($z) are kept, marked
with the status `cancinv`.
"""

from __future__ import annotations

import re

from pymarc import Field, Record
from pyoxigraph import Literal, NamedNode

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import identifier, triple
from lod.converters.text import clean, subfields
from lod.vocab import BF, ID_LANGUAGES, SCHEMA

CANCELLED = NamedNode("http://id.loc.gov/vocabulary/mstatus/cancinv")
_ISBN = re.compile(r"[0-9][0-9\- ]{8,16}[0-9Xx]")
# 024 first indicator -> identifier class
STANDARD_NUMBERS = {"0": BF.Isrc, "1": BF.Upc, "2": BF.Ismn, "3": BF.Ean}


def isbn_digits(value: str) -> str | None:
    """'978-604-1-00000-0 (bìa mềm)' -> '9786041000000'; None if no ISBN-shaped number."""
    match = _ISBN.search(value)
    if not match:
        return None
    digits = re.sub(r"[\- ]", "", match.group(0)).upper()
    return digits if len(digits) in (10, 13) else None


def isbn10_to_13(isbn10: str) -> str | None:
    if len(isbn10) != 10 or not isbn10[:9].isdigit():
        return None
    core = "978" + isbn10[:9]
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core)) % 10) % 10
    return core + str(check)


def convert(record: Record, ctx: RecordContext) -> Triples:
    for field in record.get_fields("010"):
        for value in subfields(field, "a"):
            yield from _identifier(ctx, BF.Lccn, value.strip())
    for field in record.get_fields("020"):
        yield from _isbn(field, ctx)
    for field in record.get_fields("022"):
        for value in subfields(field, "a"):
            yield from _identifier(ctx, BF.Issn, value)
            yield triple(ctx.instance, SCHEMA.issn, Literal(value))
        for value in subfields(field, "yz"):
            yield from _identifier(ctx, BF.Issn, value, cancelled=True)
    for field in record.get_fields("024"):
        cls = STANDARD_NUMBERS.get(field.indicator1)
        if cls is None:
            source = subfields(field, "2")
            cls = BF.Doi if source and source[0].lower() == "doi" else BF.Identifier
        for value in subfields(field, "a"):
            yield from _identifier(ctx, cls, value)
    for field in record.get_fields("035"):
        for value in subfields(field, "a"):
            yield from _identifier(ctx, BF.Local, value)
    for field in record.get_fields("041"):
        for code in subfields(field, "a"):
            for language in _language_codes(code):
                yield triple(ctx.work, BF.language, NamedNode(ID_LANGUAGES + language))


def _isbn(field: Field, ctx: RecordContext) -> Triples:
    qualifiers = subfields(field, "q")
    for code, cancelled in (("a", False), ("z", True)):
        for value in subfields(field, code):
            digits = isbn_digits(value)
            if digits is None:
                continue
            forms = [digits]
            if len(digits) == 10 and (thirteen := isbn10_to_13(digits)):
                forms.append(thirteen)
            for form in forms:
                node, triples = identifier(BF.Isbn, form)
                yield triple(ctx.instance, BF.identifiedBy, node)
                yield from triples
                for qualifier in qualifiers or _parenthesised(value):
                    yield triple(node, BF.qualifier, Literal(qualifier))
                if cancelled:
                    yield triple(node, BF.status, CANCELLED)
                else:
                    yield triple(ctx.instance, SCHEMA.isbn, Literal(form))


def _parenthesised(value: str) -> list[str]:
    return [clean(q) for q in re.findall(r"\(([^)]*)\)", value) if clean(q)]


def _identifier(ctx: RecordContext, cls: NamedNode, value: str, cancelled: bool = False) -> Triples:
    node, triples = identifier(cls, value)
    yield triple(ctx.instance, BF.identifiedBy, node)
    yield from triples
    if cancelled:
        yield triple(node, BF.status, CANCELLED)


def _language_codes(value: str) -> list[str]:
    """041 $a may pack several codes ('vieeng'): split into three-letter codes."""
    letters = value.strip().lower()
    if len(letters) % 3 or not letters.isalpha():
        return []
    return [letters[i : i + 3] for i in range(0, len(letters), 3)]


__all__ = ["convert", "isbn10_to_13", "isbn_digits"]
