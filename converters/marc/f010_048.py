"""010-048: identifiers (LCCN, ISBN, ISSN, other standard numbers, system numbers) and languages.

Spec sheet: LC ConvSpec-010-048. ISBNs are stored without hyphens; an ISBN-10 also yields its
ISBN-13 so that either form finds the book. Cancelled or invalid numbers ($z) are kept with the
status `cancinv`, an incorrect ISSN (022 $y) with `incorrect`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc.build import PREFIXED, convert_fields, identifier, language, language_codes, source
from lod.converters.text import clean
from lod.marcrecord import Field, Record
from lod.triples import Triple
from lod.vocab import BF, ID_MSTATUS

CANCELLED = NamedNode(ID_MSTATUS + "cancinv")
INCORRECT = NamedNode(ID_MSTATUS + "incorrect")
_ISBN = re.compile(r"[0-9][0-9\- ]{8,16}[0-9Xx]")
_OCLC = re.compile(r"^\((?:OCoLC|OCLC)\)\s*(?:ocm|ocn|on)?0*(\d+)", re.IGNORECASE)
# 024 first indicator -> identifier class
STANDARD_NUMBERS = {"0": BF.Isrc, "1": BF.Upc, "2": BF.Ismn, "3": BF.Ean}


def isbn_digits(value: str) -> str | None:
    """'978-604-1-00000-0 (bìa mềm)' -> '9786041000000'; None if no ISBN-shaped number."""
    match = _ISBN.search(value)
    if not match:
        return None
    digits = match.group(0).replace("-", "").replace(" ", "").upper()
    return digits if len(digits) in (10, 13) else None


def isbn10_to_13(isbn10: str) -> str | None:
    if len(isbn10) != 10 or not isbn10[:9].isdigit():
        return None
    core = "978" + isbn10[:9]
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core)) % 10) % 10
    return core + str(check)


def _number(
    ctx: RecordContext, cls: NamedNode, value: str, status: NamedNode | None = None
) -> tuple[BlankNode, list[Triple]]:
    """An identifier of the Instance, with its status when it is cancelled or incorrect."""
    node, triples = identifier(cls, value)
    triples.append((ctx.instance, BF.identifiedBy, node))
    if status is not None:
        triples.append((node, BF.status, status))
    return node, triples


def lccn(field: Field, ctx: RecordContext) -> list[Triple]:
    triples: list[Triple] = []
    for sub in field.subfields:
        if sub.code in "az" and (value := sub.value.strip()):
            triples += _number(ctx, BF.Lccn, value, CANCELLED if sub.code == "z" else None)[1]
    return triples


def isbn(field: Field, ctx: RecordContext) -> list[Triple]:
    qualifiers = [q for sub in field.subfields if sub.code == "q" and (q := clean(sub.value))]
    terms = [t for sub in field.subfields if sub.code == "c" and (t := clean(sub.value))]
    triples: list[Triple] = []
    for sub in field.subfields:
        if sub.code not in "az":
            continue
        digits = isbn_digits(sub.value)
        if digits is None:
            if value := clean(sub.value):  # not ISBN-shaped: kept as written, marked invalid
                triples += _number(ctx, BF.Isbn, value, CANCELLED)[1]
            continue
        forms = [digits]
        if len(digits) == 10 and (thirteen := isbn10_to_13(digits)):
            forms.append(thirteen)
        for form in forms:
            node, id_triples = _number(ctx, BF.Isbn, form, CANCELLED if sub.code == "z" else None)
            triples += id_triples
            for qualifier in qualifiers or _parenthesised(sub.value):
                triples.append((node, BF.qualifier, Literal(qualifier)))
            for term in terms:
                triples.append((node, BF.acquisitionTerms, Literal(term)))
    return triples


def issn(field: Field, ctx: RecordContext) -> list[Triple]:
    statuses = {"a": None, "l": None, "m": CANCELLED, "y": INCORRECT, "z": CANCELLED}
    triples: list[Triple] = []
    for sub in field.subfields:
        if sub.code in statuses and (value := clean(sub.value)):
            cls = BF.IssnL if sub.code in "lm" else BF.Issn
            triples += _number(ctx, cls, value, statuses[sub.code])[1]
    return triples


def standard_number(field: Field, ctx: RecordContext) -> list[Triple]:
    scheme = clean(field.get("2") or "")
    cls = STANDARD_NUMBERS.get(field.indicator1)
    if cls is None:
        cls = BF.Doi if scheme.lower() == "doi" else BF.Identifier
    qualifiers = [q for sub in field.subfields if sub.code == "q" and (q := clean(sub.value))]
    triples: list[Triple] = []
    for sub in field.subfields:
        if sub.code in "az" and (value := clean(sub.value)):
            node, id_triples = _number(ctx, cls, value, CANCELLED if sub.code == "z" else None)
            triples += id_triples
            for qualifier in qualifiers:
                triples.append((node, BF.qualifier, Literal(qualifier)))
            if sub.code == "a" and (addition := field.get("d")):
                triples.append((node, BF.note, Literal(clean(addition))))
            if scheme:
                triples += source(node, scheme)
    return triples


def system_number(field: Field, ctx: RecordContext) -> list[Triple]:
    """035: '(OCoLC)ocm12345678' becomes the OCLC number 12345678 with its source; others are
    local numbers with the source in parentheses."""
    triples: list[Triple] = []
    for sub in field.subfields:
        # $9 is local, but in practice (ACO, OCLC) holds another system number
        if sub.code not in "az9" or not (value := sub.value.strip()):
            continue
        oclc = _OCLC.match(value)
        prefixed = None if oclc else PREFIXED.match(value)
        number = oclc.group(1) if oclc else prefixed.group(2) if prefixed else value
        node, id_triples = _number(ctx, BF.Local, number, CANCELLED if sub.code == "z" else None)
        triples += id_triples
        if oclc or prefixed:
            triples += source(node, "OCoLC" if oclc else prefixed.group(1))  # type: ignore[union-attr]
    return triples


def languages(field: Field, ctx: RecordContext) -> list[Triple]:
    """041: every language code (text, summary, original...) as a language of the Work."""
    triples: list[Triple] = []
    seen: set[str] = set()
    for sub in field.subfields:
        if sub.code in "abdefghjkmnpqrt":
            for code in language_codes(sub.value):
                if code not in seen:
                    seen.add(code)
                    triples.append((ctx.work, BF.language, language(code)))
    return triples


def _parenthesised(value: str) -> list[str]:
    return [clean(q) for q in re.findall(r"\(([^)]*)\)", value) if clean(q)]


FIELDS: dict[str, Callable[[Field, RecordContext], list[Triple]]] = {
    "010": lccn,
    "020": isbn,
    "022": issn,
    "024": standard_number,
    "035": system_number,
    "041": languages,
}

__all__ = ["FIELDS", "isbn10_to_13", "isbn_digits"]


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    """This module's fields of `record` alone (the registry walks all modules at once)."""
    return convert_fields(FIELDS, record, ctx)
