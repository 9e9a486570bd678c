"""The quarantine: records that could not be loaded, kept with their report until they load.

A record that cannot be read (a broken leader or directory, bytes its encoding does not explain,
malformed MARCXML), cannot be converted (no 001, not bibliographic, a converter failure) or has a
SHACL violation is never loaded into the public graphs and never silently lost: `lod.ingest`
hands it to a `Quarantine`, a directory holding one JSON file per record. An entry keeps where the
record came from (library, file, position, 001), the stage it failed at (`STAGES`), its title when
known, its bytes as they came (ISO 2709 between record terminators, the record's MARCXML, or the
fragment of a file the XML parser stopped in) and its report: the reader's or converter's error
(message key and parameters), or each validation result with the MARC field it is about when
that is known. `retry` reads the kept bytes again, converts and validates them with today's
reader, converter and shapes, loads the record if it now conforms (and drops the entry), or
updates the entry's report.

An entry's id is a hash of library, file name, position and 001, so ingesting the same bad record
again replaces its entry instead of adding one. Files are written atomically (temp file, then
`os.replace`), so a reader never sees half an entry.
"""

from __future__ import annotations

import base64
import builtins
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import Literal

from lod.errors import InputError, RecordError, StoreError
from lod.i18n import LANGUAGES, t
from lod.marcio import SourceRecord, read_record
from lod.store import GraphStore, RecordGraph
from lod.uris import Minter, unique_id
from lod.validation import ValidationResult
from lod.vocab import LODV

ID_PATTERN = re.compile(r"[a-z2-7]{16}")
SUFFIX = ".json"
UNREADABLE, UNCONVERTIBLE, VALIDATION = "unreadable", "unconvertible", "validation"
STAGES = (UNREADABLE, UNCONVERTIBLE, VALIDATION)
"""Where a record failed: the reader, the converter, or SHACL validation."""
FRAGMENT = 1 << 16
"""At most this many bytes of a MARCXML file are kept for a record the XML parser stopped in."""
XML_POSITION = re.compile(r"line (\d+), column (\d+)")
RECORD_START = re.compile(rb"<(?:[\w.-]+:)?record[\s>/]")
# What a result is about, in MARC terms: the field a shape message names ("(trường 245 $a)",
# "(field 260/264)"), else the field a property always comes from.
FIELD_IN_MESSAGE = re.compile(r"\b(?:field|trường)\s+(\d{3}(?:\s*\$[a-z0-9])?(?:/\d{3})*)")
FIELD_OF_PATH = {
    "http://id.loc.gov/ontologies/bibframe/title": "245",
    "http://id.loc.gov/ontologies/bibframe/mainTitle": "245 $a",
    "http://schema.org/name": "245",
    "http://id.loc.gov/ontologies/bibframe/provisionActivity": "260/264",
    "http://id.loc.gov/ontologies/bibframe/language": "008/35-37, 041",
}


@dataclass(frozen=True)
class Problem:
    """One validation result of a quarantined record (a `ValidationResult` and its MARC field)."""

    focus: str
    path: str | None
    severity: str
    messages: dict[str, str]
    value: str | None = None
    field: str | None = None
    """The MARC field the result is about ('245 $a', '260/264'), when known."""

    def message(self, lang: str | None) -> str:
        for candidate in (lang, "vi", "en"):
            if candidate and candidate in self.messages:
                return self.messages[candidate]
        return next(iter(self.messages.values()), "")

    @classmethod
    def from_result(cls, result: ValidationResult) -> Problem:
        return cls(
            result.focus,
            result.path,
            result.severity,
            dict(result.messages),
            result.value,
            marc_field(result.messages, result.path),
        )

    @classmethod
    def from_error(cls, error: RecordError) -> Problem:
        """A record that can no longer be read or converted (e.g. on retry, after a converter change)."""
        messages = {lang: t(error.reason_key, lang, **_params(error, lang)) for lang in LANGUAGES}
        return cls("", None, "violation", messages)


def _params(error: RecordError, lang: str) -> dict[str, Any]:
    return {
        k: v.get(lang, v.get("en", "")) if isinstance(v, dict) else v for k, v in error.reason_params.items()
    }


def marc_field(messages: dict[str, str], path: str | None) -> str | None:
    """The MARC field a result is about: the one its message names, else the one its path maps to."""
    for text in messages.values():
        found = FIELD_IN_MESSAGE.search(text)
        if found:
            return found.group(1)
    return FIELD_OF_PATH.get(path or "")


@dataclass(frozen=True)
class Entry:
    id: str
    time: str
    """When the record was last checked, UTC, ISO 8601 ('2026-11-25T04:12:28Z')."""
    library: str
    source: str
    position: int
    control: str | None
    title: str | None
    record: bytes
    """The record's bytes: ISO 2709 as it came, the record's MARCXML, or (XML the parser stopped in)
    the fragment of the file around where it stopped."""
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    stage: str = VALIDATION
    """Where the record failed (one of STAGES)."""
    error: dict[str, Any] | None = None
    """The reader's or converter's error, {"key": message key, "params": its parameters} (lod.i18n),
    for a record that failed before validation."""

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "violation"]

    def messages(self, lang: str | None) -> list[str]:
        """The violations' messages in `lang`, each once, in order."""
        return list(dict.fromkeys(p.message(lang) for p in self.violations))

    def where(self, lang: str | None) -> str:
        """Library, file, record number, 001 and title: what a cataloguer needs to find the record."""
        about = [f"001 {self.control}"] if self.control else []
        if self.title:
            about.append(f"“{self.title}”")
        return t(
            "quarantine.where",
            lang,
            library=self.library,
            source=self.source,
            position=self.position,
            about=f" ({', '.join(about)})" if about else "",
        )

    def line(self, lang: str | None) -> str:
        """One line a cataloguer reads: where the record is, then what is wrong with it."""
        return f"{self.where(lang)}: {'; '.join(self.messages(lang))}"

    def source_record(self) -> SourceRecord:
        return read_record(self.record, self.source, self.position)

    def mnemonic(self) -> list[str]:
        """The record in MARC mnemonic form ('=LDR  …', '=245  10$aTitle'), or [] if unreadable."""
        try:
            record = self.source_record().record
        except Exception:  # whatever the kept bytes are, showing the entry must not fail
            return []
        if record is None:
            return []
        leader = record.leader.replace(" ", "\\")
        return [f"=LDR  {leader}", *(str(f) for f in record.fields)]

    def dump(self) -> list[str]:
        """The kept bytes as text lines, for a record that cannot be shown in mnemonic form: UTF-8
        as it is, any other byte and every control character escaped (\\x1e, \\x1f…), one ISO 2709
        field (ending in \\x1e) a line."""
        text = self.record.decode("utf-8", "backslashreplace").replace("\x1e", "\x1e\n")
        return "".join(
            c if c.isprintable() or c == "\n" else c.encode("unicode_escape").decode("ascii") for c in text
        ).splitlines()

    def to_json(self, *, with_record: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "time": self.time,
            "library": self.library,
            "source": self.source,
            "position": self.position,
            "control": self.control,
            "title": self.title,
            "stage": self.stage,
            "error": self.error,
            "results": [
                {
                    "focus": p.focus,
                    "path": p.path,
                    "severity": p.severity,
                    "messages": p.messages,
                    "value": p.value,
                    "field": p.field,
                }
                for p in self.problems
            ],
        }
        if with_record:
            data["record"] = base64.b64encode(self.record).decode("ascii")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(
            id=str(data["id"]),
            time=str(data["time"]),
            library=str(data["library"]),
            source=str(data["source"]),
            position=int(data["position"]),
            control=data.get("control"),
            title=data.get("title"),
            record=base64.b64decode(data["record"]),
            stage=str(data.get("stage") or VALIDATION),
            error=data.get("error"),
            problems=tuple(
                Problem(
                    r.get("focus", ""),
                    r.get("path"),
                    r.get("severity", "violation"),
                    dict(r.get("messages", {})),
                    r.get("value"),
                    r.get("field"),
                )
                for r in data.get("results", [])
            ),
        )


@dataclass(frozen=True)
class RetryOutcome:
    entry: Entry
    """The entry as it was (loaded) or as it is now (still failing, with today's report)."""
    loaded: bool
    graph: str | None = None
    """The record graph it was loaded into (for reclustering what it touches)."""
    digest: str | None = None
    """The source digest it was loaded with (lod.digests)."""


def entry_id(library: str, source: str, position: int, control: str | None) -> str:
    """Stable: the same record of the same file from the same library always has the same id."""
    return unique_id("quarantine", library, os.path.basename(source), str(position), control or "")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Quarantine:
    """The quarantine in directory `path` (created on the first entry; reading a missing one is empty)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Quarantine({str(self.path)!r})"

    def add(
        self,
        item: SourceRecord,
        library: str,
        results: Sequence[ValidationResult | Problem],
        title: str | None = None,
    ) -> Entry:
        """Keep a rejected record with its report; replaces the entry of the same record, if any."""
        problems = tuple(r if isinstance(r, Problem) else Problem.from_result(r) for r in results)
        control = item.control_number
        entry = Entry(
            id=entry_id(library, item.source, item.position, control),
            time=now(),
            library=library,
            source=item.source,
            position=item.position,
            control=control,
            title=title,
            record=item.source_bytes(),
            problems=problems,
        )
        self._write(entry)
        return entry

    def add_failed(self, item: SourceRecord, library: str, error: RecordError) -> Entry:
        """Keep a record that could not be read or converted, with the error: its bytes as read
        (for MARCXML the parser stopped in, the fragment of the file around where it stopped)."""
        data = item.raw or item.source_bytes()
        if not data:
            data = xml_fragment(item.source, str(error.reason_params.get("message", "")))
        control = error.control or item.control_number
        entry = Entry(
            id=entry_id(library, item.source, item.position, control),
            time=now(),
            library=library,
            source=item.source,
            position=item.position,
            control=control,
            title=_title(item),
            record=data,
            problems=(Problem.from_error(error),),
            stage=stage_of(error),
            error=error_json(error),
        )
        self._write(entry)
        return entry

    def list(self) -> builtins.list[Entry]:
        """Every entry, newest first."""
        if not self.path.is_dir():
            return []
        entries = [self._read(p) for p in self.path.iterdir() if p.suffix == SUFFIX and _is_id(p.stem)]
        return sorted(entries, key=lambda e: (e.time, e.source, e.position), reverse=True)

    def get(self, entry_id: str) -> Entry | None:
        if not _is_id(entry_id):
            return None
        path = self._file(entry_id)
        return self._read(path) if path.exists() else None

    def remove(self, entry_id: str) -> bool:
        """Drop an entry; False if there was none."""
        if not _is_id(entry_id):
            return False
        try:
            self._file(entry_id).unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(message=f"{self.path}: {exc}") from exc
        return True

    def discard(self, library: str, loaded: Iterable[tuple[str, int, str | None]]) -> int:
        """Drop the entries of records that have now loaded (ingested again, fixed), given as
        (source, position, control number); returns how many had one. The directory is listed
        once: trying each record's file cost a system call per record loaded, and most never had one."""
        try:
            kept = {name[: -len(SUFFIX)] for name in os.listdir(self.path) if name.endswith(SUFFIX)}
        except FileNotFoundError:
            return 0
        except OSError as exc:
            raise StoreError(message=f"{self.path}: {exc}") from exc
        if not kept:
            return 0
        # a record kept without its 001 (unreadable, or none) has an id without it
        found = {
            i
            for source, position, control in loaded
            for i in (entry_id(library, source, position, control), entry_id(library, source, position, None))
        }
        return sum(self.remove(i) for i in found if i in kept)

    def retry(
        self, ids: str | Iterable[str] | None, store: GraphStore, minter: Minter
    ) -> builtins.list[RetryOutcome]:
        """Read, convert and validate kept records again (`ids`, or every entry when None); load
        those that now conform and drop their entries, update the others' report and time.
        Raises InputError naming an unknown id before anything is retried."""
        if ids is None:
            entries = self.list()
        else:
            wanted = [ids] if isinstance(ids, str) else list(ids)
            found = {i: self.get(i) for i in wanted}
            unknown = [i for i, e in found.items() if e is None]
            if unknown:
                raise InputError("quarantine.unknown", id=", ".join(unknown))
            entries = [e for e in found.values() if e is not None]
        outcomes = [self._retry(entry, store, minter) for entry in entries]
        store.flush()
        return outcomes

    def _retry(self, entry: Entry, store: GraphStore, minter: Minter) -> RetryOutcome:
        from lod.digests import source_digest
        from lod.pipeline import convert, load, record_title, validate

        item = entry.source_record()
        # the digest an ingest of the same bytes gives: sending the record again is then
        # "unchanged", and the search index and the record archive see it like any other
        item.digest = source_digest(item, minter.base, entry.library, validate=True)
        try:
            converted = convert(item, entry.library, minter)
        except RecordError as error:
            updated = replace(
                entry,
                time=now(),
                problems=(Problem.from_error(error),),
                stage=stage_of(error),
                error=error_json(error),
            )
            self._write(updated)
            return RetryOutcome(updated, loaded=False)
        accepted, rejected = validate([converted])[:2]
        if accepted:
            if item.digest is not None:
                record = converted.record
                digest = (record.graph, LODV.sourceDigest, Literal(item.digest))
                converted.record = RecordGraph(record.graph, [*record.triples, digest], record.shared)
            load(store, accepted, minter)
            self.remove(entry.id)
            return RetryOutcome(entry, loaded=True, graph=converted.record.graph.value, digest=item.digest)
        report = rejected[0][2]
        updated = replace(
            entry,
            time=now(),
            title=record_title(converted.record.triples) or entry.title,
            problems=tuple(Problem.from_result(r) for r in report.results),
            stage=VALIDATION,
            error=None,
        )
        self._write(updated)
        return RetryOutcome(updated, loaded=False)

    def _file(self, entry_id: str) -> Path:
        return self.path / f"{entry_id}{SUFFIX}"

    def _write(self, entry: Entry) -> None:
        text = json.dumps(entry.to_json(), ensure_ascii=False, indent=1)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{entry.id}.", suffix=".tmp", dir=self.path)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(temp, self._file(entry.id))
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StoreError(message=f"{self.path}: {exc}") from exc

    def _read(self, path: Path) -> Entry:
        try:
            return Entry.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(message=f"{path}: {exc}") from exc


def _is_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


def stage_of(error: RecordError) -> str:
    """UNREADABLE for the reader's errors, UNCONVERTIBLE for the converter's."""
    return UNREADABLE if error.reason_key == "record.unreadable" else UNCONVERTIBLE


def error_json(error: RecordError) -> dict[str, Any]:
    """A record's error as an entry keeps it: message key and parameters (kept JSON-safe)."""
    params = json.loads(json.dumps(error.reason_params, ensure_ascii=False, default=str))
    return {"key": error.reason_key, "params": params}


def _title(item: SourceRecord) -> str | None:
    """245 $a of a record that was read but not converted, to help find it."""
    field_245 = item.record.get("245") if item.record is not None else None
    title = field_245.get("a") if field_245 is not None and field_245.data is None else None
    if not title:
        return None
    return title.strip(" /:;,.") or None


def xml_fragment(source: str, message: str) -> bytes:
    """What to keep of a MARCXML file the parser stopped in (`message` names the line and column
    where, as expat does): from the start of the record element it stopped in to the end of that
    line, at most FRAGMENT bytes; without a position (an encoding expat refuses), the file's first
    FRAGMENT bytes. Empty if the file cannot be read."""
    found = XML_POSITION.search(message)
    try:
        with open(source, "rb") as handle:
            if found is None:
                return handle.read(FRAGMENT)
            line, column = int(found.group(1)), int(found.group(2))
            offset = _line_start(handle, line) + column
            start = max(0, offset - FRAGMENT // 2)
            handle.seek(start)
            window = handle.read(offset - start + FRAGMENT // 2)
    except OSError:
        return b""
    at = offset - start
    starts = [m.start() for m in RECORD_START.finditer(window, 0, at)]
    end = window.find(b"\n", at)
    return window[starts[-1] if starts else 0 : end if end >= 0 else len(window)][:FRAGMENT]


def _line_start(handle: BinaryIO, line: int) -> int:
    """The byte offset where line `line` (from 1) of a file starts, read in blocks (a MARCXML file
    may be one line of a gigabyte)."""
    offset, wanted = 0, line - 1
    while wanted > 0 and (block := handle.read(FRAGMENT)):
        count = block.count(b"\n")
        if count < wanted:
            offset, wanted = offset + len(block), wanted - count
            continue
        at = -1
        for _ in range(wanted):
            at = block.index(b"\n", at + 1)
        return offset + at + 1
    return offset
