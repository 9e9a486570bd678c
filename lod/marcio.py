"""Reading MARC files record by record: ISO 2709 and MARCXML, detected by content.

Every record comes out as a `SourceRecord` that knows its file, its position and its raw bytes,
so an error can name exactly what was wrong, and one bad record never stops the file.
ISO 2709 is split on the record terminator (0x1D) rather than trusting the record length in the
leader, which broken exports get wrong. pymarc decodes MARC-8 and UTF-8 by leader/09; when
leader/09 says MARC-8 but the bytes are valid UTF-8 with non-ASCII characters (a common export
bug: a MARC-8 diacritic byte can never start a valid UTF-8 sequence), the record is read as UTF-8
and the fix is reported.

Vietnamese catalogues also hold text in the pre-Unicode encodings (see `lod.vietnamese`):

- A record that declares MARC-8 but is not UTF-8, holds no escape sequence (0x1B) and whose
  non-ASCII subfield values read as TCVN3, VNI, VISCII or Windows-1258 (`decode_legacy`, which
  leaves alone what MARC-8 diacritics explain as well) is read in that encoding instead: the bytes
  are split into fields and subfields first, then each value is decoded (`decode_as`). The record's
  own values choose the encoding when they are clear (`detect_encoding`); a record too short to
  tell (VISCII "Thị xã" is TCVN3 "Thá xó") takes the encoding the evidence of the file's earlier
  legacy records shows. Reported as `record.legacy_decoded`.
- In every record read (UTF-8, MARC-8, legacy, MARCXML), each non-ASCII value with mojibake
  (legacy or UTF-8 bytes once decoded as Latin-1/cp1252: "Khæ mÉu" for "Khổ mẫu") is repaired
  (`repair`, which never changes ASCII or correct Unicode). Reported once a record per encoding
  as `record.mojibake_repaired`, naming the fields. A byte pre-check spares UTF-8 records that
  hold no Latin-1 or cp1252 character the walk through their values.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pymarc

from lod.errors import InputError, RecordError
from lod.marcrecord import Field, Record, Subfield, parse_iso2709
from lod.vietnamese import (
    ENCODINGS,
    TYPOGRAPHY,
    WIDE_VIEWS,
    decode_as,
    decode_legacy,
    detect_encoding,
    repair,
)

RECORD_TERMINATOR = b"\x1d"
MARCXML_NS = "http://www.loc.gov/MARC21/slim"
MARC_RECORD_TAGS = {f"{{{MARCXML_NS}}}record", "record"}
BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 16


@dataclass
class SourceRecord:
    source: str
    position: int
    raw: bytes
    """ISO 2709: the record's bytes. MARCXML: empty unless the record could not be read (then its
    XML); `source_bytes()` gives the XML of a record that was read, when it is needed."""
    record: Record | None = None
    error: RecordError | None = None
    fixes: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """Repairs and oddities met while reading, as (message key, params): reported, never silent."""
    pending: bool = False
    """Split from its file but not parsed yet (`read_marc(defer=True)`); `finish_reading` parses it."""
    digest: str | None = None
    """What its statements are made from, digested (lod.digests), once ingest has computed it."""

    def source_bytes(self) -> bytes:
        """The record as it came (ISO 2709) or as MARCXML, e.g. to keep a rejected record."""
        if self.raw or self.record is None:
            return self.raw
        return bytes(pymarc.record_to_xml(self.record.to_pymarc(), namespace=True))

    @property
    def control_number(self) -> str | None:
        if self.record is not None:
            field_001 = self.record.get("001")
            if field_001 is not None and field_001.data and field_001.data.strip():
                return str(field_001.data).strip()
        return None


def sniff(head: bytes) -> str:
    """'marcxml' or 'iso2709' from the first bytes of a file; raises InputError otherwise."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "marcxml"
    if re.match(rb"\d{5}", stripped[:5]):
        return "iso2709"
    raise InputError(source="?", message="not ISO 2709 nor MARCXML")


def read_marc(path: str | os.PathLike[str], *, defer: bool = False) -> Iterator[SourceRecord]:
    """Yield every record of a MARC file. Raises InputError only if the file cannot be read at all.

    `defer=True` leaves ISO 2709 records unparsed (`pending`) so that worker processes parse them
    (`finish_reading`); a record in a legacy Vietnamese encoding is still read here, in file order,
    because the encoding of an ambiguous one is settled by the file's earlier records."""
    name = str(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(source=name, message=exc.strerror or str(exc)) from exc
    with handle:
        try:
            kind = sniff(handle.read(512))
        except InputError:
            raise InputError(source=name, message="not ISO 2709 nor MARCXML") from None
        handle.seek(0)
        if kind == "marcxml":
            yield from read_marcxml(handle, name)
        else:
            yield from read_iso2709(handle, name, defer=defer)


def finish_reading(item: SourceRecord) -> SourceRecord:
    """A record that `read_marc(defer=True)` left pending, parsed; any other record as it is."""
    if not item.pending:
        return item
    parsed = _parse_iso2709(item.raw, item.source, item.position)
    parsed.digest = item.digest
    return parsed


def read_record(data: bytes, source: str, position: int) -> SourceRecord:
    """One record from its own bytes (ISO 2709 or MARCXML, as `SourceRecord.source_bytes()` gives
    them), e.g. a kept rejected record read again; it keeps the `source` and `position` given.
    A record that cannot be read comes back with its `error` set, like any other."""
    try:
        kind = sniff(data[:512])
    except InputError:
        kind = "iso2709"  # the leader check in the ISO 2709 reader names what is wrong
    reader = read_marcxml if kind == "marcxml" else read_iso2709
    try:
        item = next(iter(reader(io.BytesIO(data), source)), None)
    except InputError as exc:
        item = SourceRecord(
            source,
            position,
            data,
            error=RecordError(source, position, "record.unreadable", message=exc.params.get("message", "")),
        )
    if item is None:
        item = SourceRecord(
            source, position, data, error=RecordError(source, position, "record.unreadable", message="empty")
        )
    item.position = position
    if item.error is not None:
        item.error.position = position
    return item


def read_iso2709(stream: BinaryIO, source: str, *, defer: bool = False) -> Iterator[SourceRecord]:
    position = 0
    legacy = _FileEncoding()
    for chunk in _split_records(stream):
        position += 1
        if defer and not _may_be_legacy(chunk):
            yield SourceRecord(source, position, chunk, pending=True)
        else:
            yield _parse_iso2709(chunk, source, position, legacy)


def _may_be_legacy(raw: bytes) -> bool:
    """Whether `_parse_iso2709` would read this record through the file's legacy-encoding evidence:
    it declares MARC-8, holds non-ASCII bytes but no escape sequence, and is not UTF-8."""
    if len(raw) < 24 or not raw[:5].isdigit() or raw[9:10] == b"a":
        return False
    return b"\x1b" not in raw and not raw.isascii() and not _is_utf8_with_non_ascii(raw)


def _split_records(stream: BinaryIO) -> Iterator[bytes]:
    pending = b""
    first = stream.read(len(BOM))
    if first != BOM:  # a byte-order mark is not part of the first record
        pending = first
    while block := stream.read(CHUNK):
        pending += block
        *complete, pending = pending.split(RECORD_TERMINATOR)
        for raw in complete:
            if raw.strip():
                yield raw.lstrip(b"\r\n") + RECORD_TERMINATOR
    if pending.strip():
        yield pending.lstrip(b"\r\n")


def _parse_iso2709(
    raw: bytes, source: str, position: int, legacy: _FileEncoding | None = None
) -> SourceRecord:
    item = SourceRecord(source, position, raw)
    if len(raw) < 24 or not raw[:5].isdigit():
        item.error = RecordError(source, position, "record.unreadable", message="no valid leader")
        return item
    declared_utf8 = raw[9:10] == b"a"
    force_utf8 = not declared_utf8 and _is_utf8_with_non_ascii(raw)
    if declared_utf8 or force_utf8 or (raw.isascii() and b"\x1b" not in raw):
        item.record = parse_iso2709(raw)
        if item.record is not None:
            if force_utf8:
                item.fixes.append(("record.utf8_repaired", {}))
            if _may_hold_mojibake(raw):
                _repair_mojibake(item.record, item.fixes)
            return item
    elif b"\x1b" not in raw and _read_legacy(item, legacy if legacy is not None else _FileEncoding()):
        return item
    failure: Exception | None = None
    with _pymarc_complaints(item.fixes):
        # strict first; on bad UTF-8, keep the record with U+FFFD and say so (nothing silently lost)
        for handling in ("strict", "replace"):
            try:
                parsed = pymarc.Record(
                    data=raw,
                    to_unicode=True,
                    force_utf8=force_utf8,
                    hide_utf8_warnings=True,
                    utf8_handling=handling,
                )
                item.record = Record.from_pymarc(parsed)
                break
            except UnicodeDecodeError as exc:
                failure = exc
            except Exception as exc:  # pymarc raises many types for broken records
                failure = exc
                break
    if item.record is None:
        item.error = _record_error(item, failure or ValueError("unreadable"))
        return item
    if failure is not None:
        item.fixes.append(("record.utf8_replaced", {}))
    if force_utf8:
        item.fixes.insert(0, ("record.utf8_repaired", {}))
    if not (declared_utf8 or force_utf8) or _may_hold_mojibake(raw):
        _repair_mojibake(item.record, item.fixes)
    return item


# legacy Vietnamese encodings and mojibake -----------------------------------------------------

_SAMPLE_LIMIT = 512
"""How many non-ASCII values of a file's legacy records are kept as evidence for its encoding."""


class _FileEncoding:
    """The evidence for a legacy Vietnamese encoding seen so far in one ISO 2709 file.

    A short value often reads as Vietnamese in two encodings (VISCII "Thị xã" is TCVN3 "Thá xó"),
    so a record that does not settle the question on its own is read in the encoding the file's
    earlier legacy records have shown."""

    __slots__ = ("samples", "verdict", "stale")

    def __init__(self) -> None:
        self.samples: list[bytes] = []
        self.verdict: str | None = None
        self.stale = False

    def choose(self, values: list[bytes]) -> str | None:
        """The encoding to read a record in, from its non-ASCII data values; None: MARC-8."""
        readings = [found[1] for value in values if (found := decode_legacy(value)) is not None]
        if not readings:
            return None  # nothing reads as legacy Vietnamese (MARC-8 diacritics explain it, or no text)
        if len(self.samples) < _SAMPLE_LIMIT:
            self.samples.extend(values[: _SAMPLE_LIMIT - len(self.samples)])
            self.stale = True
        own = detect_encoding(values)
        if own is not None:
            return own
        if self.stale:
            self.verdict, self.stale = detect_encoding(self.samples), False
        if self.verdict is not None:
            return self.verdict
        # still ambiguous: the reading most values chose, the more common encoding on a tie
        return max(ENCODINGS, key=lambda name: (readings.count(name), -ENCODINGS.index(name)))


def _latin1(data: bytes) -> str:
    return data.decode("latin-1")


def _read_legacy(item: SourceRecord, legacy: _FileEncoding) -> bool:
    """Read a record declaring MARC-8, holding no escape sequence and not UTF-8, in the legacy
    Vietnamese encoding its values show, if any. The bytes are split into fields and subfields
    first (as Latin-1, which keeps every byte), then each value is decoded on its own."""
    raw = item.raw
    notes: list[tuple[str, dict[str, str]]] = []
    # split by the directory, not on 0x1E: VISCII's Ỵ is the byte 0x1E
    view = parse_iso2709(raw, _latin1)
    if view is None:  # a damaged record: pymarc repairs what it can, still without decoding
        with _pymarc_complaints(notes):
            try:
                view = Record.from_pymarc(pymarc.Record(data=raw, file_encoding="latin-1"))
            except Exception:  # the MARC-8 reading below reports what is wrong
                return False
    values = [
        sub.value.encode("latin-1") for fld in view.fields for sub in fld.subfields if not sub.value.isascii()
    ]
    encoding = legacy.choose(values)
    if encoding is None:
        return False

    def decode(text: str) -> str:
        # VISCII and TCVN3 put a few capitals on C0 control bytes, so only printable ASCII is kept
        if text.isascii() and text.isprintable():
            return text
        return decode_as(text.encode("latin-1"), encoding)

    fields = [
        Field(fld.tag, data=decode(fld.data))
        if fld.data is not None
        else Field(
            fld.tag,
            fld.indicator1,
            fld.indicator2,
            [Subfield(sub.code, decode(sub.value)) for sub in fld.subfields],
        )
        for fld in view.fields
    ]
    item.record = Record(view.leader, fields)
    item.fixes.extend(notes)
    item.fixes.append(("record.legacy_decoded", {"encoding": encoding}))
    _repair_mojibake(item.record, item.fixes)
    return True


# What mojibake is made of, in UTF-8: characters U+0080-U+00FF (lead bytes C2, C3) and the wider
# characters `lod.vietnamese.repair` reads as legacy bytes; quotes and dashes alone are never
# repaired, so they do not count.
_SIGNS = sorted(WIDE_VIEWS - TYPOGRAPHY)
_WIDE_VIEWS = {
    lead: re.compile(b"|".join(re.escape(v.encode()) for v in _SIGNS if v.encode()[:1] == lead))
    for lead in sorted({v.encode()[:1] for v in _SIGNS})
}
"""cp1252's other characters by UTF-8 lead byte (C5, C6, CB, E2): searching one of these patterns
is quick, since it starts with a fixed byte."""


def _may_hold_mojibake(utf8: bytes) -> bool:
    """Whether UTF-8 record bytes may hold a value that `repair` changes: a quick and complete
    pre-check (byte searches) that spares most records the walk through every value."""
    if b"\xc3" in utf8 or b"\xc2" in utf8:
        return True
    return any(lead in utf8 and views.search(utf8) for lead, views in _WIDE_VIEWS.items())


def _repair_mojibake(record: Record, fixes: list[tuple[str, dict[str, str]]]) -> None:
    """Undo mojibake (legacy Vietnamese or UTF-8 bytes once decoded as Latin-1/cp1252) in every
    non-ASCII value, noting each encoding once with the tags of the fields repaired."""
    repaired: dict[str, list[str]] = {}
    for fld in record.fields:
        if fld.data is not None:
            if not fld.data.isascii():
                fld.data = _repaired(fld.data, fld.tag, repaired)
            continue
        changed: list[Subfield] | None = None
        for i, (code, value) in enumerate(fld.subfields):
            if value.isascii():
                continue
            text = _repaired(value, fld.tag, repaired)
            if text is not value:
                if changed is None:
                    changed = list(fld.subfields)
                changed[i] = Subfield(code, text)
        if changed is not None:
            fld.subfields = tuple(changed)
    _note_repairs(repaired, fixes)


def _repaired(value: str, tag: str, repaired: dict[str, list[str]]) -> str:
    """`value` with its mojibake undone (the same object when there is none); the field's tag is
    added under the encoding's name in `repaired`."""
    text, encoding = repair(value)
    if encoding is None:
        return value
    tags = repaired.setdefault(encoding, [])
    if tag not in tags:
        tags.append(tag)
    return text


def _note_repairs(repaired: dict[str, list[str]], fixes: list[tuple[str, dict[str, str]]]) -> None:
    for encoding, tags in repaired.items():
        fixes.append(("record.mojibake_repaired", {"encoding": encoding, "fields": ", ".join(tags)}))


class _Collector(logging.Handler):
    def __init__(self, sink: list[tuple[str, dict[str, str]]]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(("record.reader_warning", {"message": _short(record.getMessage())}))


@contextlib.contextmanager
def _pymarc_complaints(sink: list[tuple[str, dict[str, str]]]) -> Iterator[None]:
    """pymarc logs and warns about damaged fields; keep those as the record's notes instead."""
    logger = logging.getLogger("pymarc")
    handler = _Collector(sink)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    printed = io.StringIO()
    try:
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(printed):
            warnings.simplefilter("always")
            yield
        for warning in caught:
            sink.append(("record.reader_warning", {"message": _short(str(warning.message))}))
        for line in filter(None, printed.getvalue().splitlines()):
            sink.append(("record.reader_warning", {"message": _short(line)}))
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[:limit] + "…"


def _is_utf8_with_non_ascii(raw: bytes) -> bool:
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _record_error(item: SourceRecord, exc: Exception) -> RecordError:
    message = str(exc) or type(exc).__name__
    return RecordError(
        item.source,
        item.position,
        "record.unreadable",
        control=_raw_control_number(item.raw),
        message=message,
    )


def _raw_control_number(raw: bytes) -> str | None:
    """Best-effort 001 of a record pymarc could not parse, to name it in the error."""
    try:
        base = int(raw[12:17])
        directory = raw[24 : base - 1]
        for i in range(0, len(directory) - 11, 12):
            if directory[i : i + 3] == b"001":
                length, start = int(directory[i + 3 : i + 7]), int(directory[i + 7 : i + 12])
                value = raw[base + start : base + start + length].rstrip(b"\x1e")
                return value.decode("utf-8", "replace").strip() or None
    except (ValueError, IndexError):
        pass
    return None


def read_marcxml(stream: BinaryIO, source: str) -> Iterator[SourceRecord]:
    """MARCXML with or without the MARC 21 slim namespace, streamed in constant memory."""
    position = 0
    parser = ET.iterparse(stream, events=("start", "end"))
    root: ET.Element | None = None
    try:
        for event, element in parser:
            if event == "start":
                if root is None:
                    root = element
                continue
            if element.tag not in MARC_RECORD_TAGS:  # e.g. an OAI-PMH <record> around a MARC one
                continue
            position += 1
            item = SourceRecord(source, position, b"")
            repaired: dict[str, list[str]] = {}
            try:
                item.record = _element_to_record(element, repaired)
                _note_repairs(repaired, item.fixes)
            except ValueError as exc:
                # serialising every record would cost more than parsing it: only failures keep XML
                item.raw = ET.tostring(element, encoding="utf-8")
                item.error = RecordError(source, position, "record.unreadable", message=str(exc))
            yield item
            element.clear()
            if root is not None:
                root.clear()
    except (ET.ParseError, LookupError, ValueError) as exc:
        # expat refuses an unknown declared encoding (LookupError: "UTF-0") or a multi-byte one
        # (ValueError: Shift_JIS, UTF-7) outside ParseError: found by fuzzing, each as unreadable
        position += 1
        yield SourceRecord(
            source,
            position,
            b"",
            error=RecordError(
                source,
                position,
                "record.unreadable",
                message=f"XML error: {exc}; the rest of the file cannot be read",
            ),
        )
        return
    if position == 0:
        raise InputError(source=source, message="no MARC 21 record in this XML (is it MARCXML?)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element_to_record(element: ET.Element, repaired: dict[str, list[str]]) -> Record:
    """The record of a MARCXML `record` element, with mojibake undone (noted in `repaired`)."""
    leader = ""
    fields: list[Field] = []
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            leader = (child.text or "").ljust(24)[:24]
        elif name == "controlfield":
            tag = _tag(child)
            data = child.text or ""
            fields.append(Field(tag, data=data if data.isascii() else _repaired(data, tag, repaired)))
        elif name == "datafield":
            tag = _tag(child)
            # a code is one character, as the indicators are: "" or "vx" (found by fuzzing) would
            # pass every `code in "vxyz"` test of the converters
            subfields = [
                Subfield(
                    (sub.get("code") or " ")[:1], text if text.isascii() else _repaired(text, tag, repaired)
                )
                for sub in child
                if _local(sub.tag) == "subfield"
                for text in (sub.text or "",)
            ]
            indicators = ((child.get("ind1") or " ")[:1], (child.get("ind2") or " ")[:1])
            fields.append(Field(tag, *indicators, subfields))
    return Record(leader or " " * 24, fields)


def _tag(element: ET.Element) -> str:
    tag = element.get("tag")
    if not tag:
        raise ValueError("a field without a tag")
    return tag
