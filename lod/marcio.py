"""Reading MARC files record by record: ISO 2709 and MARCXML, detected by content.

Every record comes out as a `SourceRecord` that knows its file, its position and its raw bytes,
so an error can name exactly what was wrong, and one bad record never stops the file.
ISO 2709 is split on the record terminator (0x1D) rather than trusting the record length in the
leader, which broken exports get wrong. pymarc decodes MARC-8 and UTF-8 by leader/09; when
leader/09 says MARC-8 but the bytes are valid UTF-8 with non-ASCII characters (a common export
bug: a MARC-8 diacritic byte can never start a valid UTF-8 sequence), the record is read as UTF-8
and the fix is reported.
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


def read_marc(path: str | os.PathLike[str]) -> Iterator[SourceRecord]:
    """Yield every record of a MARC file. Raises InputError only if the file cannot be read at all."""
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
        reader = read_marcxml if kind == "marcxml" else read_iso2709
        yield from reader(handle, name)


def read_iso2709(stream: BinaryIO, source: str) -> Iterator[SourceRecord]:
    position = 0
    for chunk in _split_records(stream):
        position += 1
        yield _parse_iso2709(chunk, source, position)


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


def _parse_iso2709(raw: bytes, source: str, position: int) -> SourceRecord:
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
    return item


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
            try:
                item.record = _element_to_record(element)
            except ValueError as exc:
                # serialising every record would cost more than parsing it: only failures keep XML
                item.raw = ET.tostring(element, encoding="utf-8")
                item.error = RecordError(source, position, "record.unreadable", message=str(exc))
            yield item
            element.clear()
            if root is not None:
                root.clear()
    except ET.ParseError as exc:
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


def _element_to_record(element: ET.Element) -> Record:
    leader = ""
    fields: list[Field] = []
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            leader = (child.text or "").ljust(24)[:24]
        elif name == "controlfield":
            fields.append(Field(_tag(child), data=child.text or ""))
        elif name == "datafield":
            subfields = [
                Subfield(sub.get("code", " "), sub.text or "")
                for sub in child
                if _local(sub.tag) == "subfield"
            ]
            indicators = ((child.get("ind1") or " ")[:1], (child.get("ind2") or " ")[:1])
            fields.append(Field(_tag(child), *indicators, subfields))
    return Record(leader or " " * 24, fields)


def _tag(element: ET.Element) -> str:
    tag = element.get("tag")
    if not tag:
        raise ValueError("a field without a tag")
    return tag
