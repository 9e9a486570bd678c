"""`lod`: a thin command-line layer over the core functions (pipeline, store, validation, web).

Exit codes: 0 ok, 1 non-conformant input (some records skipped or invalid), 2 error.
Errors are rendered in one place, `main`, in the language of the settings (LOD_LANG, --lang).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import sys
import time
import tomllib
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from pyoxigraph import Triple

from lod.archive import RecordArchive, archive_path, open_archive, retried_row
from lod.config import Settings, load_settings
from lod.coverage import CoverageReport, measure, render_text, render_tsv
from lod.dumps import PART_TRIPLES, Dataset, DumpFile, number_text, size_text, write_dumps
from lod.errors import InputError, LodError, RecordError
from lod.figures import count_dataset
from lod.formats import JSONLD, NTRIPLES, TURTLE, by_name, serialize_triples
from lod.i18n import t
from lod.ingest import IngestReport, Source
from lod.marcio import SourceRecord
from lod.pipeline import check_file, collecting_rarely, convert, read
from lod.quarantine import Entry, Quarantine
from lod.registry import RowProblem, export_records, ingest_registry, write_export
from lod.search import SearchIndex, index_path, open_index
from lod.sparqlstore import open_store
from lod.store import GraphStore
from lod.tokens import Tokens, tokens_path, valid_library
from lod.unions import Touched
from lod.uris import Minter
from lod.validation import report_turtle
from lod.writing import Synced, WriteSide, changing, ingest_sources, recluster_and_sync, run_ingest

CONVERT_FORMATS = (NTRIPLES, TURTLE, JSONLD)
DEFAULT_LIBRARY = "LOCAL"
OUTPUT_BUFFER = 1 << 20


class State:
    """What every command gets: the settings, and the store opened on demand."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.minter = Minter(settings.base_iri)
        self._store: GraphStore | None = None
        self._search: SearchIndex | None = None
        self._archive: RecordArchive | None = None

    def store(self, read_only: bool = False) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.settings.store, read_only=read_only)
        return self._store

    def search(self) -> SearchIndex:
        if self._search is None:
            self._search = open_index(self.settings)
        return self._search

    def archive(self) -> RecordArchive:
        if self._archive is None:
            self._archive = open_archive(self.settings)
        return self._archive

    def quarantine(self) -> Quarantine:
        return Quarantine(self.settings.quarantine)

    def side(self) -> WriteSide:
        """The store and what is kept in step with it, for the core write functions."""
        return WriteSide(self.settings, self.store(), self.minter, self.search, self.archive)

    def say(self, key: str, **params: Any) -> None:
        click.echo(t(key, self.settings.lang, **params), err=True)


pass_state = click.make_pass_decorator(State)


class LodGroup(click.Group):
    """Renders every LodError in one place, in the settings' language, with its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LodError as exc:
            root = ctx.find_root()
            state = root.obj if isinstance(root.obj, State) else None
            lang = state.settings.lang if state else os.environ.get("LOD_LANG", "vi")
            click.echo(exc.message(lang), err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=LodGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store",
    metavar="PATH",
    help="Store directory, or :memory: [env LOD_STORE; default ./var/store].",
)
@click.option("--config", "config_file", metavar="FILE", help="TOML settings file [env LOD_CONFIG].")
@click.option("--base-iri", help="Base of every entity IRI [env LOD_BASE_IRI].")
@click.option("--lang", type=click.Choice(["vi", "en"]), help="Language of messages [env LOD_LANG].")
@click.option(
    "--quarantine",
    metavar="PATH",
    help="Directory of records that could not be loaded [env LOD_QUARANTINE; default ./var/quarantine].",
)
@click.pass_context
def cli(
    ctx: click.Context,
    store: str | None,
    config_file: str | None,
    base_iri: str | None,
    lang: str | None,
    quarantine: str | None,
) -> None:
    """Dữ liệu mở thư viện Việt Nam / Vietnam library linked open data."""
    settings = load_settings(
        config_file,
        overrides={"store": store, "base_iri": base_iri, "lang": lang, "quarantine": quarantine},
    )
    ctx.obj = State(settings)


# ingest ----------------------------------------------------------------------------------------
@cli.group(cls=LodGroup)
def ingest() -> None:
    """Read, convert, validate and load records into the store."""


@ingest.command("marc")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--library", required=True, help="Code of the library that sent the records (ISIL or registry id)."
)
@click.option("--library-name", help="Name of the library, until the registry knows it.")
@click.option("--no-validate", is_flag=True, help="Load without SHACL validation.")
@click.option(
    "--full",
    is_flag=True,
    help="The files are the library's whole catalogue: its records missing from them are withdrawn.",
)
@click.option("--no-cluster", is_flag=True, help="Do not recompute the union catalogue afterwards.")
@click.option(
    "--workers",
    metavar="N|auto",
    help="Processes that convert and validate records (0: none; default: one per CPU) [env LOD_WORKERS].",
)
@pass_state
def ingest_marc(
    state: State,
    files: tuple[str, ...],
    library: str,
    library_name: str | None,
    no_validate: bool,
    full: bool,
    no_cluster: bool,
    workers: str | None,
) -> None:
    """Ingest ISO 2709 or MARCXML files (detected by content)."""
    if workers is not None:
        state.settings = dataclasses.replace(state.settings, workers=workers)
    sources = [Source(f, library, library_name) for f in files]
    progress = _Progress(state) if sys.stderr.isatty() else None
    outcome = run_ingest(
        state.side(),
        sources,
        full=full,
        cluster=not no_cluster,  # without, the archive only: it does not depend on the union catalogue
        validate=not no_validate,
        on_progress=progress,
        **_sinks(state),
    )
    if progress is not None:
        progress.done()
    _say_files(state, outcome.reports)
    if full and outcome.withdrawn is None:  # a file could not be read at all
        state.say("ingest.full_skipped")
    elif full:
        state.say("ingest.withdrawn_missing", count=outcome.withdrawn)
    _say_synced(state, outcome.synced)
    _finish(state, outcome.reports)


@ingest.command("manifest")
@click.argument("manifest", type=click.Path(dir_okay=False, exists=True))
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already holds data.")
@pass_state
def ingest_manifest(state: State, manifest: str, if_empty: bool) -> None:
    """Ingest every file listed in a TOML manifest ([[file]] path, library, label)."""
    store = state.store()
    if if_empty and not store.is_empty():
        state.say("ingest.store_not_empty", triples=store.triple_count())
        return
    entries = _manifest_entries(Path(manifest))
    registries = _manifest_registries(Path(manifest))
    skipped = 0
    for path in registries:  # first: the MARC files' libraries are then known, not placeholders
        report = ingest_registry(store, path, state.minter, on_problem=lambda p: _echo_problem(state, p))
        click.echo(report.summary(state.settings.lang), err=True)
        skipped += report.skipped
    touched = _changing(state)
    sources = [Source(path, library, label) for path, library, label in entries]
    reports = _ingest(state, sources, touched=touched)
    _recluster(state, touched=touched)
    _finish(state, reports, skipped)


@ingest.command("registry")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@pass_state
def ingest_registry_command(state: State, files: tuple[str, ...]) -> None:
    """Ingest library registry files (CSV, JSON or JSON Lines; field set in the README).
    Bad rows are reported one by one and skipped; a library's earlier data is replaced whole."""
    lang = state.settings.lang
    skipped = 0
    for path in files:
        try:
            report = ingest_registry(
                state.store(), path, state.minter, on_problem=lambda p: _echo_problem(state, p)
            )
        except InputError as exc:  # the file as a whole: report it and go on with the next one
            click.echo(exc.message(lang), err=True)
            skipped += 1
            continue
        skipped += report.skipped
        click.echo(report.summary(lang), err=True)
    _sync_index(state, quiet=True)  # library names and places, searched and faceted on
    if skipped:
        sys.exit(1)


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Build the index again from nothing.")
@pass_state
def index_command(state: State, rebuild: bool) -> None:
    """Bring the search index in step with the store (ingests do it themselves)."""
    _sync_index(state, rebuild=rebuild)


@cli.command("archive")
@pass_state
def archive_command(state: State) -> None:
    """Bring the record archive behind OAI-PMH and the change feed in step with the store
    (ingests do it themselves): new, changed and withdrawn records get their datestamps."""
    _sync_archive(state)


@cli.command("cluster")
@click.option(
    "--overrides", type=click.Path(dir_okay=False, exists=True), help="Manual merges and splits (TOML)."
)
@pass_state
def cluster_command(state: State, overrides: str | None) -> None:
    """Recompute the union catalogue: records describing the same book share one union Instance
    (`lod ingest` does it after loading, unless told --no-cluster)."""
    _recluster(state, overrides)


def _changing(state: State) -> Touched | None:
    """Before an ingest changes records: what it touches, to recluster only that part afterwards;
    None when an earlier ingest left the union catalogue behind its records (the whole store is
    reclustered then)."""
    return changing(state.store(), state.minter)


def _recluster(state: State, overrides: str | None = None, touched: Touched | None = None) -> None:
    """The whole union catalogue, or (after an ingest) the part connected to what it changed;
    then the search index and the archive."""
    _say_synced(state, recluster_and_sync(state.side(), overrides, touched))


def _say_synced(state: State, synced: Synced) -> None:
    found = synced.clusters
    if found is not None:
        written = found.written
        state.say(
            "cluster.summary_partial" if found.partial else "cluster.summary",
            records=len(found.records),
            clusters=len(found.instances),
            merged=found.merged,
            written=written.written if written else 0,
            removed=written.removed if written else 0,
            kept=written.kept if written else 0,
        )
    if synced.index is not None:
        state.say("index.summary", path=index_path(state.settings), **dataclasses.asdict(synced.index))
    state.say("archive.summary", path=archive_path(state.settings), **dataclasses.asdict(synced.archive))


def _sync_archive(state: State) -> None:
    """Bring the record archive (OAI-PMH, the change feed) in step with the store."""
    report = state.archive().sync(state.store(), state.minter)
    state.say("archive.summary", path=archive_path(state.settings), **dataclasses.asdict(report))


def _sync_index(state: State, rebuild: bool = False, quiet: bool = False) -> None:
    """Bring the search index in step with the store (after every change to it)."""
    index = state.search()
    store = state.store()
    report = index.rebuild(store, state.minter) if rebuild else index.sync(store, state.minter)
    if not quiet:
        state.say("index.summary", path=index_path(state.settings), **dataclasses.asdict(report))


@cli.group(cls=LodGroup)
def registry() -> None:
    """The library registry: export what the store holds."""


@registry.command("export")
@click.option(
    "--format", "format_name", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True
)
@pass_state
def registry_export(state: State, format_name: str) -> None:
    """Every registered library on standard output, in the columns `lod ingest registry` reads."""
    records = export_records(state.store(), state.minter)
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    write_export(records, format_name, out)
    out.flush()
    out.detach()


def _manifest_registries(manifest: Path) -> list[Path]:
    """The registry files a manifest lists (`registry = ["registry.csv"]`), loaded before the MARC."""
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(source=str(manifest), message=f"not a valid manifest: {exc}") from exc
    return [manifest.parent / str(name) for name in data.get("registry", [])]


def _echo_problem(state: State, problem: RowProblem) -> None:
    click.echo(problem.message(state.settings.lang), err=True)


def _manifest_entries(manifest: Path) -> list[tuple[Path, str, str | None]]:
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        return [
            (manifest.parent / entry["path"], str(entry["library"]), entry.get("label"))
            for entry in data["file"]
        ]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise InputError(source=str(manifest), message=f"not a valid manifest: {exc}") from exc


def _ingest(state: State, sources: list[Source], touched: Touched | None = None) -> list[IngestReport]:
    """One run over the files (one pool of workers for all), then a summary line per file."""
    progress = _Progress(state) if sys.stderr.isatty() else None
    reports = ingest_sources(state.side(), sources, touched=touched, on_progress=progress, **_sinks(state))
    if progress is not None:
        progress.done()
    _say_files(state, reports)
    return reports


def _sinks(state: State) -> dict[str, Any]:
    """Where an ingest's rejected and quarantined records are told: one line each on stderr."""
    lang = state.settings.lang
    return {
        "on_error": lambda error: click.echo(error.message(lang), err=True),
        "on_quarantine": lambda entry: click.echo(entry.line(lang), err=True),
    }


def _say_files(state: State, reports: list[IngestReport]) -> None:
    for report in reports:
        for source, position, key, params in report.notes:
            _echo_note(state, source, position, key, params)
        state.say(
            "ingest.summary",
            source=report.source,
            read=report.read,
            loaded=report.loaded,
            unchanged=report.unchanged,
            skipped=report.skipped,
            conforming=report.conforming,
            warned=report.warned,
            quarantined=report.quarantined,
            triples=report.triples,
            seconds=report.seconds,
            rate=report.rate,
        )


def _finish(state: State, reports: list[IngestReport], skipped_rows: int = 0) -> None:
    read_count = sum(r.read for r in reports)
    skipped = sum(r.skipped for r in reports) + skipped_rows
    lang = state.settings.lang
    total = t(
        "ingest.total",
        lang,
        read=read_count,
        loaded=sum(r.loaded for r in reports),
        unchanged=sum(r.unchanged for r in reports),
        skipped=skipped,
    )
    checked = t(
        "ingest.total_checked",
        lang,
        conforming=sum(r.conforming for r in reports),
        warned=sum(r.warned for r in reports),
        quarantined=sum(r.quarantined for r in reports),
    )
    click.echo(total + checked, err=True)
    if skipped:
        sys.exit(1)


class _Progress:
    """records/s on a terminal, refreshed at most twice a second."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.started = time.perf_counter()
        self.shown = 0.0

    def __call__(self, count: int) -> None:
        now = time.perf_counter()
        if now - self.shown >= 0.5:
            self.shown = now
            rate = count / max(now - self.started, 1e-9)
            click.echo(
                "\r" + t("progress", self.state.settings.lang, count=count, rate=rate), err=True, nl=False
            )

    def done(self) -> None:
        click.echo("\r\033[K", err=True, nl=False)


# quarantine ------------------------------------------------------------------------------------
@cli.group(cls=LodGroup)
def quarantine() -> None:
    """Records that could not be read, converted or validated: list, show, retry (see --quarantine)."""


@quarantine.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (every field but the record).")
@pass_state
def quarantine_list(state: State, as_json: bool) -> None:
    """One line per kept record, newest first: id, time, library, file:record, 001, title, first problem."""
    entries = state.quarantine().list()
    lang = state.settings.lang
    if as_json:
        click.echo(json.dumps([e.to_json(with_record=False) for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        state.say("quarantine.empty")
    for e in entries:
        first = next(iter(e.messages(lang)), "")
        columns = [
            e.id,
            e.time,
            e.library,
            f"{e.source}:{e.position}",
            e.control or "-",
            e.title or "-",
            first,
        ]
        click.echo("\t".join(columns))


@quarantine.command("show")
@click.argument("entry_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="The entry as stored (record in base64).")
@pass_state
def quarantine_show(state: State, entry_id: str, as_json: bool) -> None:
    """Everything about one kept record: where it came from, the report, the record in MARC mnemonic form."""
    entry = state.quarantine().get(entry_id)
    if entry is None:
        raise InputError("quarantine.unknown", id=entry_id)
    if as_json:
        click.echo(json.dumps({**entry.to_json(), "mrk": entry.mnemonic()}, ensure_ascii=False, indent=2))
        return
    click.echo(_entry_text(entry, state.settings.lang))


def _entry_text(entry: Entry, lang: str) -> str:
    def label(key: str) -> str:
        return t(f"quarantine.col.{key}", lang)

    lines = [
        entry.line(lang),
        "",
        f"{label('id')}: {entry.id}",
        f"{label('time')}: {entry.time}",
        f"{label('library')}: {entry.library}",
        f"{label('source')}: {entry.source}: {entry.position}",
        f"{label('control')}: {entry.control or '-'}",
        f"{label('title')}: {entry.title or '-'}",
        f"{label('stage')}: {t('quarantine.stage.' + entry.stage, lang)}",
        "",
        t("quarantine.report", lang) + ":",
    ]
    for p in entry.problems:
        where = f"[{p.field}] " if p.field else ""
        lines.append(f"  {t('quarantine.severity.' + p.severity, lang)}: {where}{p.message(lang)}")
        details = [(label("focus"), p.focus), (label("path"), p.path), (label("value"), p.value)]
        lines.extend(f"    {name}: {value}" for name, value in details if value)
    mrk = entry.mnemonic()
    shown = mrk or [f"{t('quarantine.unreadable', lang)} {t('quarantine.raw', lang)}", *entry.dump()]
    lines += ["", t("quarantine.marc", lang) + ":", *shown]
    lines += ["", t("quarantine.retry_hint", lang, id=entry.id)]
    return "\n".join(lines)


@quarantine.command("retry")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "retry_all", is_flag=True, help="Retry every kept record.")
@pass_state
def quarantine_retry(state: State, ids: tuple[str, ...], retry_all: bool) -> None:
    """Convert and validate kept records again; load those that now conform.
    Exit 0: all loaded; 1: some still fail; 2: error (e.g. an unknown id)."""
    if not ids and not retry_all:
        raise InputError("quarantine.retry_what")
    lang = state.settings.lang
    touched = _changing(state)
    outcomes = state.quarantine().retry(None if retry_all else ids, state.store(), state.minter)
    if touched is not None:
        touched.add(o.graph for o in outcomes if o.graph is not None)
    retried = [(o, o.entry.source_record().record) for o in outcomes if o.loaded]
    state.archive().stage(
        retried_row(o.graph, o.entry.library, record, o.digest) for o, record in retried if o.graph and record
    )
    _recluster(state, touched=touched)
    for outcome in outcomes:
        entry = outcome.entry
        if outcome.loaded:
            click.echo(t("quarantine.loaded", lang, id=entry.id, line=entry.where(lang)), err=True)
        else:
            click.echo(t("quarantine.still_invalid", lang, id=entry.id, line=entry.line(lang)), err=True)
    failed = sum(1 for o in outcomes if not o.loaded)
    state.say("quarantine.retry_summary", count=len(outcomes), loaded=len(outcomes) - failed, failed=failed)
    if failed:
        sys.exit(1)


# convert and validate --------------------------------------------------------------------------
@cli.command("convert")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "format_name",
    default="nt",
    show_default=True,
    type=click.Choice([f.name for f in CONVERT_FORMATS]),
)
@click.option("--library", default=DEFAULT_LIBRARY, show_default=True)
@click.option(
    "--report",
    is_flag=True,
    help="Print a coverage report (how many values of each tag/subfield reach the RDF) instead of RDF.",
)
@click.option(
    "--report-format",
    type=click.Choice(["text", "tsv"]),
    help="Coverage report as a text table (default) or TSV; implies --report.",
)
@pass_state
def convert_command(
    state: State,
    files: tuple[str, ...],
    format_name: str,
    library: str,
    report: bool,
    report_format: str | None,
) -> None:
    """Convert MARC files to RDF on standard output (no store needed), or report coverage."""
    if report or report_format:
        _coverage_report(state, files, library, report_format or "text")
        return
    fmt = by_name(format_name, CONVERT_FORMATS)
    assert fmt is not None
    skipped = 0
    triples: list[Triple] = []
    progress = _Progress(state) if sys.stderr.isatty() else None
    count = 0
    described: set[Hashable] = set()  # one output: each shared entity is described once in it
    sys.stdout.flush()
    # a record's N-Triples are some 20 KB, more than io's default 8 KB buffer, which would make
    # each record a system call of its own; a 1 MB buffer on the same file descriptor does not
    with (
        open(sys.stdout.fileno(), "wb", buffering=OUTPUT_BUFFER, closefd=False) as out,
        collecting_rarely(),
    ):
        for file in files:
            for converted in _converted(state, file, library, described):
                count += 1
                if progress is not None:
                    progress(count)
                if converted is None:
                    skipped += 1
                    continue
                record_triples = [*converted.record.triples, *converted.record.shared]
                if fmt is NTRIPLES:  # line-based: stream record by record
                    out.write(serialize_triples(record_triples, fmt))
                else:
                    triples.extend(record_triples)
        if fmt is not NTRIPLES:
            out.write(serialize_triples(triples, fmt))
    if progress is not None:
        progress.done()
    if skipped:
        click.echo(t("convert.total", state.settings.lang, skipped=skipped), err=True)
        sys.exit(1)


def _converted(
    state: State, file: str, library: str, described: set[Hashable] | None = None
) -> Iterator[Any]:
    """Each record converted (None if it could not be); errors and the reader's repairs go to stderr."""
    for item in read(file):
        for key, params in item.fixes:  # e.g. legacy encoding decoded, mojibake repaired
            _echo_note(state, item.source, item.position, key, params)
        try:
            yield convert(item, library, state.minter, described, split=False)
        except RecordError as error:
            click.echo(error.message(state.settings.lang), err=True)
            yield None


def _echo_note(state: State, source: str, position: int, key: str, params: dict[str, str]) -> None:
    """A repair or oddity of one record, on stderr: 'file: record number: message'."""
    where = f"{source}: {position}: " if position else f"{source}: "  # 0: the file as a whole
    click.echo(f"{where}{t(key, state.settings.lang, **params)}", err=True)


def _coverage_report(state: State, files: tuple[str, ...], library: str, report_format: str) -> None:
    """`lod convert --report`: every file is converted and measured; bad records and files are
    reported on stderr and skipped. Exit 0 whenever the report could be written."""
    lang = state.settings.lang
    coverage = CoverageReport()
    progress = _Progress(state) if sys.stderr.isatty() else None

    def items(path: str) -> Iterator[SourceRecord]:
        for item in read(path):
            yield item
            if progress is not None:
                progress(coverage.read)

    for path in files:
        try:
            measure(
                items(path),
                library,
                state.minter,
                coverage,
                on_error=lambda error: click.echo(error.message(lang), err=True),
            )
        except InputError as exc:  # the file as a whole: report it and go on with the next one
            coverage.unreadable_files += 1
            click.echo(exc.message(lang), err=True)
    if progress is not None:
        progress.done()
    if report_format == "tsv":
        click.echo(render_tsv(coverage), nl=False)
        state.say("coverage.records", **coverage.counts())
    else:
        click.echo(render_text(coverage, lang))


@cli.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "report_format",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "turtle"]),
    help="text for people, json for programs, turtle: a SHACL validation report (sh:ValidationReport).",
)
@click.option("--library", default=DEFAULT_LIBRARY, show_default=True)
@pass_state
def validate_command(state: State, file: str, report_format: str, library: str) -> None:
    """Validate a MARC or RDF file against the shapes: exit 0 conforms, 1 does not, 2 error."""
    results, records = check_file(file, library, state.minter, state.settings.lang)
    violations = sum(1 for r in results if r["severity"] == "violation")
    warnings = len(results) - violations
    if report_format == "turtle":
        click.echo(report_turtle(results))
    elif report_format == "json":
        click.echo(
            json.dumps(
                {"source": file, "records": records, "conforms": not violations, "results": results},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for result in results:
            click.echo(
                f"{result['where']}: {result['severity']}: {result['message']}"
                + (f" [{result['path']}]" if result.get("path") else "")
            )
        state.say("validate.summary", source=file, records=records, violations=violations, warnings=warnings)
    if violations:
        sys.exit(1)


# dumps -----------------------------------------------------------------------------------------
@cli.command("dump")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option(
    "--part-triples",
    type=click.IntRange(min=1),
    default=PART_TRIPLES,
    show_default=True,
    help="Most triples in one file; a record is never cut across two.",
)
@click.option(
    "--keep", type=click.IntRange(min=0), default=0, help="Keep only the newest N days of dumps (0: all)."
)
@pass_state
def dump_command(state: State, directory: str | None, part_triples: int, keep: int) -> None:
    """Write the whole store as downloadable files into DIRECTORY/YYYY-MM-DD (default: the dumps
    setting, var/dumps) and point DIRECTORY/latest at it: N-Quads of everything, and each dataset
    (registry, shared entities, union catalogue, each library's records) as N-Triples, Turtle and
    JSON-LD, gzipped, in parts, with SHA256SUMS and manifest.json. Exit 0 ok, 2 error."""
    lang = state.settings.lang
    root = directory or state.settings.dumps

    def said(dataset: Dataset, files: Sequence[DumpFile]) -> None:
        state.say(
            "dump.dataset",
            dataset=dataset.id,
            graphs=number_text(dataset.graphs, lang),
            triples=number_text(dataset.triples, lang),
            files=len(files),
            size=size_text(sum(f.bytes for f in files), lang),
        )

    report = write_dumps(
        state.store(read_only=True),
        root,
        state.minter,
        licence=state.settings.licence,
        part_triples=part_triples,
        keep=keep,
        on_dataset=said,
    )
    manifest = report.manifest
    if manifest.unassigned_records:
        state.say("dump.unassigned", count=manifest.unassigned_records)
    if not report.latest_linked:
        state.say("dump.no_symlink", link=str(Path(root) / "latest"))
    if report.removed:
        state.say("dump.removed", days=", ".join(report.removed))
    state.say(
        "dump.summary",
        folder=str(report.folder),
        files=len(manifest.files),
        triples=number_text(manifest.triples, lang),
        size=size_text(manifest.bytes, lang),
        seconds=report.seconds,
    )


@cli.command("optimize")
@pass_state
def optimize_command(state: State) -> None:
    """Compact the store's files after a large ingest (smaller, and faster to read; takes about a
    minute for 100,000 records). Not needed for a SPARQL server backend. Exit 0 ok, 2 error."""
    store = state.store()
    started = time.perf_counter()
    if store.optimize():
        state.say("optimize.done", store=state.settings.store, seconds=time.perf_counter() - started)
    else:
        state.say("optimize.nothing", store=state.settings.store)


# backup and restore ----------------------------------------------------------------------------
@cli.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
@pass_state
def backup_command(state: State, directory: str) -> None:
    """Back up the store (its registry included), the search index, the record archive, the
    tokens and the quarantine into DIRECTORY/<UTC time>, with manifest.json and SHA256SUMS, and
    point DIRECTORY/latest at it. Safe while `lod serve` reads the store. Exit 0 ok, 2 error."""
    from lod.backup import backup

    report = backup(state.settings, directory)
    _say_backup(state, "backup.summary", report.folder, report.manifest, report.seconds)


@cli.command("restore")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace a store (and files) that already hold data.")
@pass_state
def restore_command(state: State, directory: str, force: bool) -> None:
    """Restore the backup DIRECTORY (or the newest backup in it) into the configured store and
    files, after checking every file's SHA-256. Exit 0 ok, 2 error (damaged backup, store not
    empty without --force)."""
    from lod.backup import restore

    report = restore(state.settings, directory, force=force)
    _say_backup(state, "restore.summary", report.folder, report.manifest, report.seconds)


def _say_backup(state: State, key: str, folder: Path, manifest: dict[str, Any], seconds: float) -> None:
    lang = state.settings.lang
    store = manifest["store"]
    state.say(
        key,
        folder=str(folder),
        created=manifest["created"],
        quads=number_text(store["quads"], lang),
        graphs=number_text(store.get("graphs", 0), lang),
        parts=", ".join(["store", *(p["name"] for p in manifest["parts"])]),
        files=len(manifest["files"]),
        size=size_text(sum(f["bytes"] for f in manifest["files"]), lang),
        seconds=seconds,
    )


# serve and stats -------------------------------------------------------------------------------
@cli.command("serve")
@click.option("--host", help="Interface to listen on [default 127.0.0.1].")
@click.option("--port", type=int, help="Port [default 5000].")
@click.option(
    "--processes", metavar="N|auto", help="Server processes [default auto: one per CPU] [env LOD_PROCESSES]."
)
@click.option("--threads", type=int, help="Threads of each process [default 8].")
@click.option(
    "--write/--read-only",
    "write",
    default=None,
    help="Also serve the ingest API (store opened read-write, one process), or not [default "
    "--read-only] [env LOD_WRITE].",
)
@pass_state
def serve(
    state: State,
    host: str | None,
    port: int | None,
    processes: str | None,
    threads: int | None,
    write: bool | None,
) -> None:
    """Serve the dereferenceable IRIs, the pages and the SPARQL endpoint, read-only; with --write,
    the authenticated ingest API too (one process: the embedded store allows one writer)."""
    from lod.web.server import prepare, server_processes
    from lod.web.server import serve as run_server

    settings = state.settings
    if write is not None:
        settings = dataclasses.replace(settings, write=write)
    host, port = host or settings.host, port if port is not None else settings.port
    count = server_processes(processes or settings.processes)
    if settings.write:
        count = 1
        state.say("serve.write_single")
    location = prepare(settings)
    state.say("serve.listening", host=host, port=port, store=location)
    run_server(settings, host, port, count, threads or settings.threads)


# tokens of the write side ---------------------------------------------------------------------
@cli.group(cls=LodGroup)
def token() -> None:
    """Access tokens of the ingest API (`lod serve --write`): kept hashed beside the store."""


def _tokens(state: State) -> Tokens:
    return Tokens(tokens_path(state.settings))


@token.command("create")
@click.option("--library", metavar="ID", help="The library (ISIL or registry id) whose records it may write.")
@click.option("--admin", is_flag=True, help="An administrator's token: any library, and the registry.")
@pass_state
def token_create(state: State, library: str | None, admin: bool) -> None:
    """Make a token and print it on standard output, this once (only its hash is kept)."""
    lang = state.settings.lang
    if (library is None) == (not admin):
        raise InputError("token.which", more="")
    if library is not None and not valid_library(library):
        raise InputError("write.bad_library", library=library)
    token_id, secret = _tokens(state).create(library, admin)
    holder = t("token.admin", lang) if admin else t("token.library", lang, library=library)
    state.say("token.created", id=token_id, holder=holder)
    click.echo(secret)


@token.command("revoke")
@click.option("--library", metavar="ID", help="Revoke every token of this library.")
@click.option("--token-id", metavar="ID", help="Revoke this token (its id, as `lod token list` shows).")
@click.option("--admin", is_flag=True, help="Revoke every administrator token.")
@pass_state
def token_revoke(state: State, library: str | None, token_id: str | None, admin: bool) -> None:
    """Revoke tokens: they are refused from the next request on."""
    if sum((library is not None, token_id is not None, admin)) != 1:
        raise InputError("token.which", more=", --token-id ID")
    ids = _tokens(state).revoke(library=library, token_id=token_id, admin=admin)
    state.say("token.revoked", count=len(ids), ids=", ".join(ids) or "-")


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def token_list(state: State, as_json: bool) -> None:
    """Every token: id, library (or admin), created, revoked. Never the token itself."""
    found = _tokens(state).list()
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(i) for i in found], ensure_ascii=False, indent=2))
        return
    if not found:
        state.say("token.none")
    for info in found:
        holder = "admin" if info.admin else info.library or "-"
        click.echo("\t".join([info.id, holder, info.created, info.revoked or "-"]))


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def stats(state: State, as_json: bool) -> None:
    """Counts of statements and entities in the store."""
    store = state.store(read_only=True)
    counts = count_dataset(store)
    if as_json:
        click.echo(json.dumps(counts))
        return
    labels = {"graphs": "count.graphs"}
    for key, value in counts.items():
        click.echo(f"{t(labels.get(key, 'count.' + key), state.settings.lang)}: {value}")


def main() -> None:
    """Entry point of the `lod` command."""
    cli(prog_name="lod")
