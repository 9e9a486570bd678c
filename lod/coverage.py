"""How much of the MARC input reaches the RDF output: a coverage report per tag and subfield.

For each record, every subfield value (and each control field as one value) is looked for in what
the converter produced for that record. The test is deliberately simple and converter-agnostic:

* The *haystack* is every literal's lexical value and every IRI of the record's triples (its own
  and the shared ones about agents, topics and libraries), each normalised (`normalise`: NFC,
  case folded, punctuation and symbols to spaces, whitespace collapsed). ISBN-like runs of digits
  are also added with their hyphens and spaces removed.
* A *content* value reaches the output when its normalised cleaned value (`converters.text.clean`,
  without surrounding [brackets]) occurs in the haystack, aligned on word boundaries (so "5" is not
  found inside "2015"; text never matches across two literals). A value that starts with an ISBN
  ("978-604-969-123-2 (bìa cứng)") reaches the output when its compact number and the rest are
  both found. An identifier with its source in front ("(OCoLC)ocm00012345", "(DE-588)4075739-0")
  reaches the output when the source and the identifier are both found, even in separate literals
  (OCLC's ocm/ocn/on prefixes and leading zeros may be dropped from the identifier).
* A *code* value (language codes in 041 and 040 $b, $2 source codes, $4 relator codes, 336-338 $b,
  $7 in linking entries) reaches the output when it is the last path segment of some IRI
  (".../languages/eng", ".../relators/aut") or the whole of some literal ("lcsh").
* Values that are empty after cleaning (or hold only punctuation) are not counted.
* *Structural* subfields are linkage, not content: $6 (linkage) and $8 (field link and sequence
  number). They are counted and listed apart, never in a percentage.
* Fields 880 are counted under "880" and also under "880/<linked tag>" (the tag in $6, e.g.
  "880/245"), so one can see which alternate-script fields are covered. The summary counts them
  once, under 880.

Finding a value does not prove the converter used *that* subfield (the same words may come from
another field), and missing it does not prove loss (the converter may map a code to a label):
the report is a guide to where the converter drops data, not a proof. It is pure: no I/O here.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode

from lod.converters.text import clean
from lod.errors import RecordError
from lod.i18n import t
from lod.triples import AnyTriple

if TYPE_CHECKING:
    from lod.marcio import SourceRecord
    from lod.uris import Minter


def _tags(spec: str) -> frozenset[str]:
    tags: set[str] = set()
    for part in spec.split():
        first, _, last = part.partition("-")
        tags.update(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return frozenset(tags)


COVERED_TAGS: frozenset[str] = _tags(
    "001 003 010 020 022 024 035 040 041 050 082 084 100 110 111 130 240 245 246 250 260 264 "
    "300 336 337 338 490 500 504 505 520 521 546 600 610 611 630 648 650 651 653 655 "
    "700 710 711 760-787 800 810 811 830 852 856 880 952"
)
"""The tags the converter is meant to cover: the summary line is computed over these only.

Other tags (005, 008, 9xx local fields...) still get rows in the table, marked out of scope.
Control fields 001 and 003 count as one value each. 880 counts once, whatever its linked tag."""

STRUCTURAL_CODES = frozenset("68")
"""$6 linkage and $8 field link and sequence number: linkage between fields, not content."""

_CODE_SUBFIELDS: dict[str, str] = {
    "040": "b",  # language of cataloguing
    "041": "abdefghijkmnpqrt",  # language codes (all but $2, which is a code anyway, and $3 $6 $8)
    "336": "b",  # content type code
    "337": "b",  # media type code
    "338": "b",  # carrier type code
    **{f"{n:03d}": "7" for n in range(760, 788)},  # linking entry control subfield
}
_CODE_EVERYWHERE = "24"  # $2 source of term/code, $4 relationship (relator) code

_WORD_RUNS = re.compile(r" {2,}")
_ISBN = r"(?:97[89](?: ?[0-9]){10}|[0-9](?: ?[0-9]){8} ?[0-9x])"
_ISBN_RUN = re.compile(rf"(?<!\w){_ISBN}(?!\w)")
_ISBN_HEAD = re.compile(rf"^({_ISBN})(?: (.*))?$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_BRACKETED = re.compile(r"^\[(.*)\]$", re.DOTALL)
_SOURCED = re.compile(r"^\(([^()]+)\)\s*(\S.*)$", re.DOTALL)
_OCLC_PREFIX = re.compile(r"^(?:ocm|ocn|on)(?=[0-9])")


@cache
def _punctuation_table() -> dict[int, str]:
    """Every Unicode punctuation (P*) and symbol (S*) character, mapped to a space."""
    return {cp: " " for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp))[0] in "PS"}


def normalise(text: str) -> str:
    """NFC, case folded, punctuation and symbols to spaces, whitespace collapsed.

    Combining marks are kept (Arabic harakat, Vietnamese tones stay distinct after NFC)."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(_punctuation_table())
    return " ".join(folded.split())


def is_structural(code: str) -> bool:
    return code in STRUCTURAL_CODES


def is_code(tag: str, code: str) -> bool:
    """Whether subfield `code` of field `tag` holds a code (matched against IRIs and whole literals)."""
    return code in _CODE_EVERYWHERE or code in _CODE_SUBFIELDS.get(tag, "")


def in_scope(tag: str) -> bool:
    """Whether a table row's tag counts in the summary (880/<tag> breakdown rows do not)."""
    return tag in COVERED_TAGS


# the haystack ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Haystack:
    """What one record's conversion produced, normalised for looking values up."""

    text: str
    """Every normalised literal and IRI, one per line, each line padded with a space on both sides."""
    codes: frozenset[str]
    """Normalised whole literals and last path segments of IRIs."""

    def contains(self, needle: str) -> bool:
        """`needle` (normalised, non-empty) occurs in one literal or IRI, on word boundaries."""
        return f" {needle} " in self.text


def _last_segment(iri: str) -> str:
    return unquote(re.split(r"[/#]", iri.rstrip("/#"))[-1])


def build_haystack(triples: Iterable[AnyTriple]) -> Haystack:
    """The haystack of one record: every literal's lexical value and every IRI, normalised."""
    literals: set[str] = set()
    iris: set[str] = set()
    for triple in triples:
        for term in triple:
            if isinstance(term, Literal):
                literals.add(term.value)
            elif isinstance(term, NamedNode):
                iris.add(term.value)
    pieces = [*literals, *iris]
    # one pass over one string is much faster than normalising thousands of short ones
    joined = "\n".join(" ".join(piece.split()) for piece in pieces)
    folded = unicodedata.normalize("NFC", joined).casefold().translate(_punctuation_table())
    lines = _WORD_RUNS.sub(" ", folded).split("\n")
    text = " " + " \n ".join(line.strip() for line in lines) + " "
    compact = _ISBN_RUN.sub(lambda m: m.group(0).replace(" ", ""), text)
    if compact != text:
        text += "\n" + compact
    codes = {line.strip() for line in lines[: len(literals)]}
    codes.update(normalise(_last_segment(iri)) for iri in iris)
    codes.discard("")
    return Haystack(text, frozenset(codes))


# the needles -----------------------------------------------------------------------------------
class SubfieldLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def value(self) -> str: ...


class FieldLike(Protocol):
    @property
    def tag(self) -> str: ...
    @property
    def data(self) -> str | None: ...
    @property
    def subfields(self) -> Iterable[SubfieldLike]: ...
    def is_control_field(self) -> bool: ...


class RecordLike(Protocol):
    @property
    def fields(self) -> Iterable[FieldLike]: ...


@dataclass(frozen=True)
class Value:
    """One value of the input: where it is, and what to look for."""

    tag: str
    """The field's tag; for 880, "880"."""
    code: str
    """The subfield code; "" for a control field."""
    raw: str
    linked_tag: str | None = None
    """For 880 fields: the tag named in $6 ("245"), "?" if $6 is missing or unreadable."""

    @property
    def structural(self) -> bool:
        return bool(self.code) and is_structural(self.code)

    @property
    def is_code(self) -> bool:
        return bool(self.code) and is_code(self.linked_tag or self.tag, self.code)

    @property
    def needle(self) -> str:
        """The normalised cleaned value ("" when nothing is left to look for)."""
        cleaned = clean(self.raw)
        bracketed = _BRACKETED.match(cleaned)
        return normalise(bracketed.group(1) if bracketed else cleaned)


def linked_tag(field: FieldLike) -> str:
    """The tag an 880 field stands for, from its $6 ("245-01/$1" -> "245"); "?" if there is none."""
    for sub in field.subfields:
        if sub.code == "6":
            head = sub.value.strip()[:3]
            return head if len(head) == 3 and head.isdigit() else "?"
    return "?"


def record_values(record: RecordLike) -> Iterator[Value]:
    """Every value of a record in file order: control fields whole, data fields by subfield."""
    for fld in record.fields:
        tag = str(fld.tag)
        if fld.is_control_field():
            yield Value(tag, "", fld.data or "")
            continue
        link = linked_tag(fld) if tag == "880" else None
        for sub in fld.subfields:
            yield Value(tag, str(sub.code), sub.value or "", link)


def reaches(value: Value, haystack: Haystack, needle: str | None = None) -> bool:
    """Whether a (non-structural, non-empty) value reaches the output; see the module docstring."""
    needle = value.needle if needle is None else needle
    if value.is_code:
        cleaned = clean(value.raw)
        if _URL.match(cleaned):  # a code given as an IRI (e.g. $4 http://id.loc.gov/.../aut)
            return haystack.contains(needle) or normalise(_last_segment(cleaned)) in haystack.codes
        if needle in haystack.codes:
            return True
        # old-style concatenated language codes in 041 ("engfre")
        squeezed = needle.replace(" ", "")
        return (
            value.code != "2"
            and (value.linked_tag or value.tag) == "041"
            and len(squeezed) > 3
            and len(squeezed) % 3 == 0
            and all(squeezed[i : i + 3] in haystack.codes for i in range(0, len(squeezed), 3))
        )
    if haystack.contains(needle):
        return True
    sourced = _SOURCED.match(clean(value.raw))
    if sourced is not None:
        source, identifier = normalise(sourced.group(1)), normalise(sourced.group(2))
        unprefixed = _OCLC_PREFIX.sub("", identifier)
        candidates = {identifier, unprefixed, unprefixed.lstrip("0")} - {""}
        return (haystack.contains(source) or source in haystack.codes) and any(
            haystack.contains(candidate) for candidate in candidates
        )
    isbn = _ISBN_HEAD.match(needle)
    if isbn is None:
        return False
    number, rest = isbn.group(1).replace(" ", ""), isbn.group(2)
    return haystack.contains(number) and (not rest or haystack.contains(rest))


# the report ------------------------------------------------------------------------------------
@dataclass
class Tally:
    values: int = 0
    reached: int = 0


def percent(reached: int, values: int) -> float | None:
    """reached / values as a percentage, None when there is nothing to divide by."""
    return 100.0 * reached / values if values else None


@dataclass(frozen=True)
class Row:
    tag: str
    """"245", "880", or "880/245" (880 fields broken down by linked tag)."""
    code: str
    values: int
    reached: int | None
    """None for structural subfields, which are not measured."""
    structural: bool
    in_summary: bool

    @property
    def percent(self) -> float | None:
        return None if self.reached is None else percent(self.reached, self.values)


@dataclass(frozen=True)
class Summary:
    values: int
    reached: int
    structural: int

    @property
    def percent(self) -> float | None:
        return percent(self.reached, self.values)


@dataclass
class CoverageReport:
    """Counts over many records; `add` one converted record at a time."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    structural: dict[tuple[str, str], int] = field(default_factory=dict)
    read: int = 0
    measured: int = 0
    skipped: int = 0
    deleted: int = 0
    unreadable_files: int = 0

    def counts(self) -> dict[str, int]:
        """Record counts, named as the `coverage.records` message wants them."""
        return {
            "read": self.read,
            "measured": self.measured,
            "skipped": self.skipped,
            "deleted": self.deleted,
            "files": self.unreadable_files,
        }

    def add(self, record: RecordLike, triples: Iterable[AnyTriple]) -> None:
        """Count the values of one record against what its conversion produced."""
        haystack = build_haystack(triples)
        self.measured += 1
        for value in record_values(record):
            keys = [(value.tag, value.code)]
            if value.linked_tag is not None:
                keys.append((f"{value.tag}/{value.linked_tag}", value.code))
            if value.structural:
                for key in keys:
                    self.structural[key] = self.structural.get(key, 0) + 1
                continue
            needle = value.needle
            if not needle:
                continue
            hit = reaches(value, haystack, needle)
            for key in keys:
                tally = self.tallies.get(key)
                if tally is None:
                    tally = self.tallies[key] = Tally()
                tally.values += 1
                tally.reached += hit

    def rows(self) -> list[Row]:
        """One row per tag and subfield, in tag order (880/<tag> rows after 880), $a-$z before $0-$9."""
        rows = [
            Row(tag, code, t.values, t.reached, False, in_scope(tag))
            for (tag, code), t in self.tallies.items()
        ]
        rows += [
            Row(tag, code, count, None, True, in_scope(tag)) for (tag, code), count in self.structural.items()
        ]
        return sorted(rows, key=_row_order)

    def summary(self) -> Summary:
        """Totals over the tags the converter is meant to cover (COVERED_TAGS); structural apart."""
        counted = [t for (tag, _), t in self.tallies.items() if in_scope(tag)]
        return Summary(
            values=sum(t.values for t in counted),
            reached=sum(t.reached for t in counted),
            structural=sum(n for (tag, _), n in self.structural.items() if in_scope(tag)),
        )


def _row_order(row: Row) -> tuple[int, str, str, bool, str]:
    base, _, linked = row.tag.partition("/")
    return (0 if base.isdigit() else 1, base, linked, row.code.isdigit(), row.code)


def measure(
    items: Iterable[SourceRecord],
    library: str,
    minter: Minter,
    report: CoverageReport,
    on_error: Callable[[RecordError], None] | None = None,
) -> CoverageReport:
    """Convert every read record (as `lod convert` does) and add it to `report`.

    A record that cannot be read or converted (or is not bibliographic) is counted as skipped and
    passed to `on_error`; a deleted record (leader/05 = d) converts to nothing and is counted apart.
    """
    from lod.pipeline import convert  # here, so the matching rules above need no converter

    for item in items:
        report.read += 1
        try:
            converted = convert(item, library, minter)
        except RecordError as error:
            report.skipped += 1
            if on_error is not None:
                on_error(error)
            continue
        if converted.deleted:
            report.deleted += 1
            continue
        assert item.record is not None
        report.add(item.record, [*converted.record.triples, *converted.record.shared])
    return report


# rendering -------------------------------------------------------------------------------------
def percent_text(value: float | None) -> str:
    """A percentage with one decimal, "—" when there is nothing to divide by."""
    return "—" if value is None else f"{value:.1f}"


def render_text(report: CoverageReport, lang: str) -> str:
    """The report as an aligned table for a terminal, then the legend, counts and the summary line."""
    names = ("tag", "code", "values", "reached", "percent")
    lines: list[list[str]] = [[t(f"coverage.col.{name}", lang) for name in names]]
    notes = [t("coverage.col.note", lang)]
    for row in report.rows():
        lines.append(
            [
                row.tag,
                f"${row.code}" if row.code else "—",
                str(row.values),
                "—" if row.reached is None else str(row.reached),
                percent_text(row.percent),
            ]
        )
        if row.structural:
            notes.append(t("coverage.structural", lang))
        elif not row.in_summary and "/" not in row.tag:
            notes.append(t("coverage.out_of_scope", lang))
        else:
            notes.append("")
    widths = [max(len(line[i]) for line in lines) for i in range(len(names))]
    text = [
        "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        + f"  {note}"
        for line, note in zip(lines, notes, strict=True)
    ]
    summary = report.summary()
    text += [
        "",
        t("coverage.legend", lang),
        t("coverage.records", lang, **report.counts()),
        t("coverage.structural_summary", lang, count=summary.structural),
        t(
            "coverage.summary",
            lang,
            values=summary.values,
            reached=summary.reached,
            percent=percent_text(summary.percent),
        ),
    ]
    return "\n".join(line.rstrip() for line in text)


TSV_COLUMNS = ("tag", "subfield", "in_summary", "structural", "values", "reached", "percent")
"""`in_summary`: counted in the TOTAL row (false for tags out of scope and for 880/<tag> rows).
`reached` and `percent` are empty for structural subfields; `percent` has one decimal."""


def render_tsv(report: CoverageReport) -> str:
    """The report as TSV: a header, one row per tag and subfield, then the summary as tag TOTAL."""

    def cells(*values: object) -> str:
        return "\t".join(
            "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in values
        )

    out = ["\t".join(TSV_COLUMNS)]
    for row in report.rows():
        pct = None if row.percent is None else f"{row.percent:.1f}"
        out.append(cells(row.tag, row.code, row.in_summary, row.structural, row.values, row.reached, pct))
    summary = report.summary()
    pct = None if summary.percent is None else f"{summary.percent:.1f}"
    out.append(cells("TOTAL", "", True, False, summary.values, summary.reached, pct))
    return "\n".join(out) + "\n"
