"""A lean, read-only MARC record: what the converters read, built fast from ISO 2709 or MARCXML.

pymarc stays the reader for everything doubtful (MARC-8, damaged directories, bad UTF-8) and for
writing; but building pymarc's objects costs about 0.35 ms a record, more than our whole
conversion budget, and mrrc's Rust records cost more to walk from Python than they save. So
well-formed UTF-8 ISO 2709 is parsed here (a directory walk and a split on 0x1F), and everything
else is copied from pymarc. The attribute names follow pymarc's (`tag`, `indicator1`, `subfields`
with `.code`/`.value`, `data`, `get_fields`), so code written against either reads both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import pymarc

FIELD_TERMINATOR = 0x1E
# a subfield code must be one ASCII character; pymarc repairs and reports anything else
_BAD_SUBFIELD_CODE = re.compile(rb"\x1f(?:[\x80-\xff]|[\x1d\x1e\x1f])")
SUBFIELD_DELIMITER = "\x1f"


class Subfield(NamedTuple):
    code: str
    value: str


class Linkage(NamedTuple):
    """A parsed $6: '245-01/(3/r' -> tag 245, occurrence '01', script '(3', orientation 'r'."""

    tag: str
    occurrence: str
    script: str
    orientation: str


class Field:
    __slots__ = ("tag", "indicator1", "indicator2", "subfields", "data")

    def __init__(
        self,
        tag: str,
        indicator1: str = " ",
        indicator2: str = " ",
        subfields: Iterable[Subfield] = (),
        data: str | None = None,
    ) -> None:
        self.tag = tag
        self.indicator1 = indicator1
        self.indicator2 = indicator2
        self.subfields: tuple[Subfield, ...] = tuple(subfields)
        self.data = data

    def is_control_field(self) -> bool:
        return self.data is not None

    @property
    def indicators(self) -> tuple[str, str]:
        return (self.indicator1, self.indicator2)

    def get(self, code: str, default: str | None = None) -> str | None:
        for sub in self.subfields:
            if sub.code == code:
                return sub.value
        return default

    def __getitem__(self, code: str) -> str | None:
        return self.get(code)

    def get_subfields(self, *codes: str) -> list[str]:
        return [sub.value for sub in self.subfields if sub.code in codes]

    @property
    def linkage(self) -> Linkage | None:
        """The parsed $6, if the field has one (880 and the fields they pair with)."""
        value = self.get("6")
        if not value or len(value) < 3:
            return None
        head, *rest = value.split("/")
        tag, _, occurrence = head.partition("-")
        return Linkage(
            tag.strip(),
            occurrence.strip()[:2],
            rest[0].strip() if rest else "",
            rest[1].strip() if len(rest) > 1 else "",
        )

    def __str__(self) -> str:
        """The mnemonic (MRK) form, as pymarc prints it: '=245  10$aTitle'."""
        if self.data is not None:
            data = self.data.replace(" ", "\\")
            return f"={self.tag}  {data}"
        indicators = (self.indicator1 + self.indicator2).replace(" ", "\\")
        return f"={self.tag}  {indicators}" + "".join(f"${s.code}{s.value}" for s in self.subfields)

    def __repr__(self) -> str:
        return f"Field({str(self)!r})"


class Record:
    __slots__ = ("leader", "fields", "_first")

    def __init__(self, leader: str, fields: Iterable[Field] = ()) -> None:
        self.leader = leader
        self.fields: list[Field] = list(fields)
        self._first: dict[str, Field] | None = None

    def get_fields(self, *tags: str) -> list[Field]:
        if not tags:
            return list(self.fields)
        if len(tags) == 1:
            tag = tags[0]
            return [field for field in self.fields if field.tag == tag]
        wanted = set(tags)
        return [field for field in self.fields if field.tag in wanted]

    def get(self, tag: str) -> Field | None:
        first = self._first
        if first is None:
            # the first field of each tag, not a list per tag: a batch of parsed records stays in
            # memory until it is written, and fewer objects there make less work for the collector
            first = self._first = {}
            for field in reversed(self.fields):
                first[field.tag] = field
        return first.get(tag)

    def __getitem__(self, tag: str) -> Field | None:
        return self.get(tag)

    def control(self, tag: str) -> str:
        """A control field's data, or '' when it is absent."""
        field = self.get(tag)
        return field.data or "" if field is not None else ""

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    @classmethod
    def from_pymarc(cls, record: pymarc.Record) -> Record:
        fields = []
        for field in record.fields:
            if field.is_control_field():
                fields.append(Field(field.tag, data=field.data or ""))
            else:
                fields.append(
                    Field(
                        field.tag,
                        field.indicator1 or " ",
                        field.indicator2 or " ",
                        [Subfield(sub.code, sub.value) for sub in field.subfields],
                    )
                )
        return cls(str(record.leader), fields)

    def to_pymarc(self) -> pymarc.Record:
        record = pymarc.Record(force_utf8=True)
        record.leader = pymarc.Leader(self.leader)
        for field in self.fields:
            if field.data is not None:
                record.add_field(pymarc.Field(tag=field.tag, data=field.data))
            else:
                record.add_field(
                    pymarc.Field(
                        tag=field.tag,
                        indicators=pymarc.Indicators(field.indicator1, field.indicator2),
                        subfields=[pymarc.Subfield(s.code, s.value) for s in field.subfields],
                    )
                )
        return record


_new = tuple.__new__


def parse_iso2709(raw: bytes, decode: Callable[[bytes], str] | None = None) -> Record | None:
    """A well-formed ISO 2709 record whose fields `decode` accepts (UTF-8 by default), or None
    whenever anything is doubtful: the caller then falls back to pymarc, which reports repairs."""
    try:
        length, base = int(raw[:5]), int(raw[12:17])
        leader = raw[:24].decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    directory = raw[24 : base - 1]
    if length != len(raw) or not 24 < base < length or raw[base - 1] != FIELD_TERMINATOR:
        return None
    if not directory or len(directory) % 12 or _BAD_SUBFIELD_CODE.search(raw):
        return None
    fields: list[Field] = []
    append = fields.append
    new_field = Field.__new__
    try:
        entries = directory.decode("ascii")
        for i in range(0, len(entries), 12):
            tag = entries[i : i + 3]
            length = int(entries[i + 3 : i + 7])
            start = base + int(entries[i + 7 : i + 12])
            end = start + length - 1
            if length < 1 or raw[end] != FIELD_TERMINATOR:
                return None
            body = raw[start:end].decode("utf-8") if decode is None else decode(raw[start:end])
            if tag < "010" and tag.isdigit():
                append(Field(tag, data=body))
                continue
            head, *chunks = body.split(SUBFIELD_DELIMITER)
            if len(head) != 2:
                return None
            # built without Field.__init__ and the NamedTuple's Python-level __new__: a record has
            # some 30 fields and 100 subfields, and this loop is a tenth of `lod convert`'s time
            field = new_field(Field)
            field.tag = tag
            field.indicator1 = head[0]
            field.indicator2 = head[1]
            field.subfields = tuple([_new(Subfield, (c[:1], c[1:])) for c in chunks if c])
            field.data = None
            append(field)
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    return Record(leader, fields)
