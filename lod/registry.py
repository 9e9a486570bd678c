"""The library registry: read a registry file (CSV, JSON or JSON Lines), check it row by row, load
it into the store library by library, and export it again.

One field set for every format (`FIELD_NAMES`; documented in the README and in
ontologies/registry.schema.json). A bad row is reported with its file, row number, id and field, in
Vietnamese or English, and every other row still loads. Each library lives in its own named graph,
keyed by its registry id, and re-ingesting replaces that graph whole: a changed row leaves no old
value behind, even when the library's ISIL (and so its IRI) changes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode

from lod.adminunits import units
from lod.concepts import Concept, library_types, ownerships, services
from lod.converters.registry import (
    FIELD_NAMES,
    LibraryRecord,
    Place,
    hierarchy_triples,
    library_triples,
    record_from_triples,
)
from lod.errors import InputError
from lod.i18n import t
from lod.store import GraphStore
from lod.triples import Triple
from lod.uris import Minter
from lod.vietnamese import nfc, repair
from lod.vocab import LODV

REQUIRED = ("id", "name", "type")
LIST_SEPARATORS = re.compile(r"\s*[;|]\s*")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# ISO 15511: a prefix (ISO 3166-1 country code, or a 3-4 letter non-country prefix), a hyphen, a
# local part; at most 16 characters of A-Z a-z 0-9 / : -
_ISIL = re.compile(r"^(?:[A-Z]{2}|[A-Za-z]{3,4})-[A-Za-z0-9/:-]{1,13}$")
_EGOV = re.compile(r"^[0-9A-Z]+(?:\.[0-9A-Z]+)*$")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,24}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
VIETNAM = (8.0, 23.5, 102.0, 118.0)
"""Latitude and longitude bounds around Vietnam, its islands included (south, north, west, east)."""


@dataclass
class Row:
    """One row of a registry file, as read: its number (the line in a CSV file, the item in JSON)."""

    source: str
    number: int
    values: dict[str, str]
    error: tuple[str, dict[str, Any]] | None = None


@dataclass
class RowProblem:
    """Something wrong (or repaired) in one row, reported as 'file: row N (id X): message'."""

    source: str
    row: int
    ident: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        ident = f" (id {self.ident})" if self.ident else ""
        params = {
            k: v.get(lang or "vi", v.get("vi")) if isinstance(v, dict) else v for k, v in self.params.items()
        }
        reason = t(self.key, lang, **params)
        return t("registry.row", lang, source=self.source, row=self.row, ident=ident, message=reason)


@dataclass
class Checked:
    """A row that passed: the record, where it came from, and notes (repairs, former codes)."""

    record: LibraryRecord
    row: Row
    notes: list[RowProblem] = field(default_factory=list)


@dataclass
class RegistryReport:
    source: str
    read: int = 0
    loaded: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    notes: list[RowProblem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len({(e.source, e.row) for e in self.errors})

    def summary(self, lang: str | None = None) -> str:
        return t(
            "registry.summary",
            lang,
            source=self.source,
            read=self.read,
            loaded=self.loaded,
            skipped=self.skipped,
            notes=len(self.notes),
        )


# reading ---------------------------------------------------------------------------------------
def read_rows(path: str | os.PathLike[str]) -> tuple[list[Row], list[str]]:
    """The rows of a CSV, JSON (an array of objects) or JSON Lines file, and the columns it has
    outside the field set. Raises InputError when the file as a whole cannot be read."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(source=source, message=exc.strerror or str(exc)) from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return _read_json(source, data)
    if suffix == ".jsonl":
        return _read_lines(source, data)
    return _read_csv(source, data)


def _read_csv(source: str, data: bytes) -> tuple[list[Row], list[str]]:
    lines = data.splitlines(keepends=True)
    if not lines:
        return [], []
    header = next(csv.reader([_decode(lines[0])[0]]), [])
    columns = [name.strip() for name in header]
    rows: list[Row] = []
    # Decoded line by line, so a badly encoded line costs its own row only; the csv module then
    # joins what decoded (a quoted value may span lines). A row is numbered by its first line.
    first: list[int] = []

    def decoded() -> Iterator[str]:
        for number, raw in enumerate(lines[1:], start=2):
            text, problem = _decode(raw)
            if problem is not None:
                rows.append(Row(source, number, {}, ("registry.broken_encoding", problem)))
                continue
            first.append(number)
            yield text

    for cells in csv.reader(decoded()):
        number = first[0] if first else 0
        first.clear()
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cell for name, cell in zip(columns, cells, strict=False) if name}
        rows.append(Row(source, number, values))
    rows.sort(key=lambda row: row.number)
    return rows, [name for name in columns if name and name not in FIELD_NAMES]


def _read_json(source: str, data: bytes) -> tuple[list[Row], list[str]]:
    text, problem = _decode(data)
    if problem is not None:
        raise InputError(source=source, message=t("registry.broken_encoding", "en", **problem))
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source=source, message=f"JSON: {exc}") from exc
    if isinstance(items, dict) and isinstance(items.get("libraries"), list):
        items = items["libraries"]
    if not isinstance(items, list):
        raise InputError(source=source, message="JSON: expected an array of library objects")
    return _rows_from_objects(source, list(enumerate(items, start=1)))


def _read_lines(source: str, data: bytes) -> tuple[list[Row], list[str]]:
    numbered: list[tuple[int, Any]] = []
    broken: list[Row] = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        text, problem = _decode(raw)
        if problem is not None:
            broken.append(Row(source, number, {}, ("registry.broken_encoding", problem)))
            continue
        try:
            numbered.append((number, json.loads(text)))
        except json.JSONDecodeError as exc:
            broken.append(Row(source, number, {}, ("registry.bad_file", {"message": f"JSON: {exc}"})))
    rows, unknown = _rows_from_objects(source, numbered)
    return sorted([*rows, *broken], key=lambda row: row.number), unknown


def _rows_from_objects(source: str, items: list[tuple[int, Any]]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    unknown: dict[str, None] = {}
    for number, item in items:
        if not isinstance(item, dict):
            rows.append(Row(source, number, {}, ("registry.bad_file", {"message": "not a JSON object"})))
            continue
        values: dict[str, str] = {}
        for name, value in item.items():
            if name not in FIELD_NAMES:
                unknown[name] = None
                continue
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            values[name] = "" if value is None else str(value)
        rows.append(Row(source, number, values))
    return rows, list(unknown)


def _decode(data: bytes) -> tuple[str, dict[str, Any] | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return "", {"byte": data[exc.start], "offset": exc.start}


# checking --------------------------------------------------------------------------------------
class _Problems(Exception):
    pass


def check_rows(rows: Iterable[Row]) -> tuple[list[Checked], list[RowProblem]]:
    """Every row checked on its own, then across rows (repeated ids and ISILs, parent ids)."""
    checked: list[Checked] = []
    errors: list[RowProblem] = []
    first_id: dict[str, int] = {}
    first_isil: dict[str, int] = {}
    for row in rows:
        result = check_row(row)
        if isinstance(result, list):
            errors += result
            continue
        record = result.record
        repeats = [("id", record.id, first_id), ("isil", record.isil, first_isil)]
        duplicate = False
        for name, value, seen in repeats:
            if value is None:
                continue
            if value in seen:
                errors.append(_problem(row, "registry.duplicate", field=name, value=value, first=seen[value]))
                duplicate = True
            else:
                seen[value] = row.number
        if not duplicate:
            checked.append(result)
    ids = {c.record.id for c in checked}
    dropped = True
    while dropped:  # a library whose parent was just dropped goes too (found by fuzzing: KeyError)
        dropped = False
        for item in list(checked):
            parent = item.record.parent_id
            if parent is not None and parent not in ids:
                errors.append(_problem(item.row, "registry.unknown_parent", value=parent))
                checked.remove(item)
                ids.discard(item.record.id)
                dropped = True
    return checked, errors


def check_row(row: Row) -> Checked | list[RowProblem]:
    """The row as a LibraryRecord, or every problem it has (all of them, not just the first)."""
    if row.error is not None:
        key, params = row.error
        return [_problem(row, key, **params)]
    problems: list[RowProblem] = []
    notes: list[RowProblem] = []
    values: dict[str, str] = {}
    for name, raw in row.values.items():
        value = nfc(raw.strip())
        fixed, encoding = repair(value)
        if encoding is not None:
            notes.append(
                _problem(row, "registry.repaired", field=name, encoding=encoding, before=value, after=fixed)
            )
            value = fixed
        if value:
            values[name] = value
    for name in REQUIRED:
        if name not in values:
            problems.append(_problem(row, "registry.missing", field=name))
    out: dict[str, Any] = {}

    def fail(key: str, **params: Any) -> None:
        problems.append(_problem(row, key, **params))

    for name, value in values.items():
        check = CHECKS.get(name)
        if check is None:
            out[name] = value
            continue
        try:
            out[name] = check(value, fail)
        except _Problems:
            continue
    _check_place(row, out, fail, notes)
    _check_coordinates(values, out, fail)
    if problems:
        return problems
    known: dict[str, Any] = {name: out[name] for name in FIELD_NAMES if name in out}
    return Checked(LibraryRecord(**known), row, notes)


def _problem(row: Row, key: str, **params: Any) -> RowProblem:
    ident = row.values.get("id", "").strip() or None
    return RowProblem(row.source, row.number, ident, key, params)


Fail = Callable[..., None]


def _pattern(name: str, pattern: re.Pattern[str], key: str) -> Callable[[str, Fail], str]:
    def check(value: str, fail: Fail) -> str:
        if not pattern.match(value):
            fail(key, field=name, value=value)
            raise _Problems
        return value

    return check


def _isil(value: str, fail: Fail) -> str:
    if len(value) > 16 or not _ISIL.match(value):
        fail("registry.bad_isil", value=value)
        raise _Problems
    return value


def _egov(value: str, fail: Fail) -> str:
    if len(value) > 35 or not _EGOV.match(value):
        fail("registry.bad_egov", value=value)
        raise _Problems
    return value


def _date(name: str) -> Callable[[str, Fail], str]:
    def check(value: str, fail: Fail) -> str:
        if not _DATE.match(value) or not _real_date(value):
            fail("registry.bad_date", field=name, value=value)
            raise _Problems
        return value

    return check


def _real_date(value: str) -> bool:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        return date(parts[0], parts[1], parts[2]) <= date.today()
    except ValueError:
        return False


def _concept(name: str, concepts: Callable[[], Mapping[str, Concept]]) -> Callable[[str, Fail], str]:
    def check(value: str, fail: Fail) -> str:
        code = _concept_code(value, concepts())
        if code is None:
            fail("registry.unknown_concept", field=name, value=value, known=", ".join(concepts()))
            raise _Problems
        return code

    return check


def _concept_code(value: str, concepts: Mapping[str, Concept]) -> str | None:
    """A code, or a label in either language ('Thư viện công cộng', 'public library')."""
    if value in concepts:
        return value
    wanted = value.casefold()
    for code, concept in concepts.items():
        if any(label.casefold() == wanted for label in concept.labels.values()):
            return code
    return None


def _services(value: str, fail: Fail) -> tuple[str, ...]:
    codes: list[str] = []
    for part in LIST_SEPARATORS.split(value):
        if not part:
            continue
        code = _concept_code(part, services())
        if code is None:
            fail("registry.unknown_concept", field="services", value=part, known=", ".join(services()))
        elif code not in codes:
            codes.append(code)
    if len(codes) < len([p for p in LIST_SEPARATORS.split(value) if p]):
        raise _Problems
    return tuple(sorted(codes))  # a set: the order means nothing, and export gives it sorted


def _count(value: str, fail: Fail) -> int:
    digits = value.replace(" ", "").replace(",", "").replace(".", "")
    if not (digits.isascii() and digits.isdigit()):  # "²".isdigit(), and int() refuses it (fuzzing)
        fail("registry.bad_value", field="collection_size", value=value, expected="0, 1, 2…")
        raise _Problems
    return int(digits)


def _url(value: str, fail: Fail) -> str:
    if not _URL.match(value):
        fail("registry.bad_value", field="website", value=value, expected="http(s)://…")
        raise _Problems
    try:
        NamedNode(value)
    except ValueError:
        fail("registry.bad_value", field="website", value=value, expected="http(s)://…")
        raise _Problems from None
    return value


def _simple(name: str, pattern: re.Pattern[str], expected: str) -> Callable[[str, Fail], str]:
    def check(value: str, fail: Fail) -> str:
        if not pattern.match(value):
            fail("registry.bad_value", field=name, value=value, expected=expected)
            raise _Problems
        return value

    return check


def _code(name: str, digits: int) -> Callable[[str, Fail], str]:
    def check(value: str, fail: Fail) -> str:
        ascii_digits = value.isascii() and value.isdigit()  # not "²", which str.isdigit() takes
        code = value.zfill(digits) if ascii_digits else value
        if not ascii_digits or len(code) != digits:
            key = "registry.unknown_province" if name == "province_code" else "registry.unknown_commune"
            fail(key, value=value)
            raise _Problems
        return code

    return check


CHECKS: dict[str, Callable[[str, Fail], Any]] = {
    "id": _pattern("id", _ID, "registry.bad_id"),
    "isil": _isil,
    "egov_code": _egov,
    "egov_valid_from": _date("egov_valid_from"),
    "egov_valid_to": _date("egov_valid_to"),
    "wikidata": _pattern("wikidata", _WIKIDATA, "registry.bad_wikidata"),
    "type": _concept("type", library_types),
    "ownership": _concept("ownership", ownerships),
    "services": _services,
    "collection_size": _count,
    "founded": _date("founded"),
    "website": _url,
    "email": _simple("email", _EMAIL, "name@example.vn"),
    "phone": _simple("phone", _PHONE, "+84 24 3825 3357"),
    "province_code": _code("province_code", 2),
    "commune_code": _code("commune_code", 5),
}
"""Field -> its check: returns the value to keep, or reports (fail) and raises _Problems."""


def _check_place(row: Row, out: dict[str, Any], fail: Fail, notes: list[RowProblem]) -> None:
    """Province and commune codes exist, agree, and former province codes become 2025 ones."""
    admin = units()
    province = out.get("province_code")
    if province is not None:
        resolved = admin.resolve_province(province)
        if resolved is None:
            fail("registry.unknown_province", value=province)
            out.pop("province_code")
            province = None
        else:
            new, former = resolved
            if former is not None:
                notes.append(
                    _problem(
                        row,
                        "registry.former_province",
                        value=province,
                        old=former.name,
                        new=new.code,
                        name=new.name,
                    )  # fmt: skip
                )
            province = out["province_code"] = new.code
    commune_code = out.get("commune_code")
    if commune_code is not None:
        commune = admin.commune(commune_code)
        if commune is None:
            fail("registry.unknown_commune", value=commune_code)
        elif province is not None and commune.province_code != province:
            fail("registry.commune_elsewhere", value=commune_code, name=commune.name,
                 actual=commune.province_code, given=province)  # fmt: skip
        elif province is None:
            out["province_code"] = commune.province_code


def _canonical_decimal(value: float) -> str:
    """21.0050 -> '21.005', 21.0 -> '21': the form the store gives back for an xsd:decimal."""
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _check_coordinates(values: Mapping[str, str], out: dict[str, Any], fail: Fail) -> None:
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        fail("registry.coordinates_pair")
        return
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        fail("registry.coordinates_number", latitude=latitude, longitude=longitude)
        return
    south, north, west, east = VIETNAM
    if not (south <= lat <= north and west <= lon <= east):
        swapped = south <= lon <= north and west <= lat <= east
        hint = {"vi": t("registry.coordinates_swapped", "vi"), "en": t("registry.coordinates_swapped", "en")}
        fail("registry.coordinates_outside", latitude=latitude, longitude=longitude,
             hint=hint if swapped else "")  # fmt: skip
        return
    out["latitude"], out["longitude"] = _canonical_decimal(lat), _canonical_decimal(lon)


# converting and loading ------------------------------------------------------------------------
def registry_triples(checked: list[Checked], minter: Minter) -> dict[str, list[Triple]]:
    """registry id -> the statements of its library's graph (hierarchy included)."""
    admin = units()
    by_id = {c.record.id: c.record for c in checked}
    graphs: dict[str, list[Triple]] = {}
    for item in checked:
        record = item.record
        commune = admin.commune(record.commune_code) if record.commune_code else None
        province = admin.province(record.province_code) if record.province_code else None
        place = Place(commune.name if commune else None, province.name if province else None)
        triples = library_triples(record, minter, place)
        if record.parent_id is not None:
            parent = by_id[record.parent_id]
            triples += hierarchy_triples(minter.library(record.key), minter.library(parent.key))
        graphs[record.id] = triples
    return graphs


def ingest_registry(
    store: GraphStore,
    path: str | os.PathLike[str],
    minter: Minter,
    on_problem: Callable[[RowProblem], None] | None = None,
) -> RegistryReport:
    """Check and load a registry file; each library's graph is replaced whole."""
    report = RegistryReport(source=str(path))
    rows, unknown = read_rows(path)
    report.read = len(rows)
    if unknown:
        note = RowProblem(str(path), 1, None, "registry.unknown_columns", {"columns": ", ".join(unknown)})
        report.notes.append(note)
        if on_problem is not None:
            on_problem(note)
    checked, errors = check_rows(rows)
    report.errors += errors
    for item in checked:
        report.notes += item.notes
    if on_problem is not None:
        for problem in sorted([*errors, *(n for c in checked for n in c.notes)], key=lambda p: p.row):
            on_problem(problem)
    from lod.adminunits import unit_triples
    from lod.concepts import concept_triples

    shared = minter.shared_graph()
    # replaced, not added to: their geo coordinates are blank nodes, new on every load
    store.replace_graph(minter.data_graph("concepts"), concept_triples())
    store.replace_graph(minter.data_graph("units"), unit_triples(minter))
    graphs = registry_triples(checked, minter)
    for registry_id, triples in graphs.items():
        store.replace_graph(minter.library_graph(registry_id), triples)
    for item in checked:  # a placeholder made by a MARC ingest before the library was registered
        store.remove_subject(minter.library(item.record.key), shared)
    report.loaded = len(graphs)
    store.flush()
    return report


# exporting -------------------------------------------------------------------------------------
def export_records(store: GraphStore, minter: Minter) -> list[LibraryRecord]:
    """Every registry library in the store, read back from its graph, by registry id."""
    graphs = store.graph_names(minter.library_graph("").value)
    contents = {graph: store.graph_triples(NamedNode(graph)) for graph in graphs}
    registry_ids: dict[str, str] = {}
    for triples in contents.values():
        for s, p, o in triples:
            if p == LODV.registryId:
                registry_ids[s.value] = o.value
    records = [record_from_triples(triples, minter, registry_ids) for triples in contents.values()]
    return sorted((r for r in records if r is not None), key=lambda r: r.id)


def write_export(records: list[LibraryRecord], fmt: str, out: io.TextIOBase | Any) -> None:
    """CSV (the same columns `lod ingest registry` reads) or JSON Lines."""
    if fmt == "csv":
        # Written with "\r\n" so that the writer quotes a value holding a lone "\r" too (with "\n"
        # it wrote it bare, and reading split the row there: found by fuzzing); rows end in "\n".
        row = io.StringIO()
        writer = csv.writer(row, lineterminator="\r\n")
        for values in [FIELD_NAMES, *([_cell(getattr(r, name)) for name in FIELD_NAMES] for r in records)]:
            writer.writerow(values)
            out.write(row.getvalue()[:-2] + "\n")
            row.seek(0)
            row.truncate()
        return
    for record in records:
        item = {name: getattr(record, name) for name in FIELD_NAMES}
        item["services"] = list(record.services)
        item = {k: v for k, v in item.items() if v not in (None, [], "")}
        out.write(json.dumps(item, ensure_ascii=False) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def is_registered(store: GraphStore, library: NamedNode) -> bool:
    """Whether the registry describes this library (not a placeholder from a MARC ingest)."""
    return store.query_bool("registered", library=library)
