"""Layered settings: defaults, then a TOML file, then `LOD_*` environment variables, then explicit
overrides (tests, CLI options). Later layers win. Nothing is read at import time.

The TOML file is `LOD_CONFIG` if set, else `./lod.toml` if it exists. Keys are the field names of
`Settings`, either at top level or under a `[lod]` table.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lod.errors import ConfigError
from lod.i18n import LANGUAGES

ENV_PREFIX = "LOD_"
DEFAULT_CONFIG_FILE = "lod.toml"


@dataclasses.dataclass(frozen=True)
class Settings:
    base_iri: str = "http://127.0.0.1:5000/"
    """Every entity IRI starts with this; the web app serves the paths below it."""
    store: str = "var/store"
    """Directory of the embedded Oxigraph store; ':memory:' for a throw-away in-memory store."""
    host: str = "127.0.0.1"
    port: int = 5000
    lang: str = "vi"
    """Language of CLI messages and the default language of pages."""
    validate: bool = True
    """Validate every record with the SHACL shapes before loading it."""
    threads: int = 8
    """Worker threads of each process of the HTTP server."""
    processes: str = "auto"
    """Processes of the HTTP server (`lod serve`): "auto" (one per CPU) or a number from 1 to 64."""
    incoming_page_size: int = 50
    """How many incoming links an entity description lists per page."""
    licence: str = "http://creativecommons.org/publicdomain/zero/1.0/"
    publisher: str = ""
    """Who publishes the data, as the dataset descriptions name it (DCAT dcterms:publisher, the
    CKAN organization); empty: the site's name."""
    publisher_url: str = ""
    """The publisher's web site (foaf:homepage); empty: the base IRI."""
    contact_email: str = ""
    """Where questions about the data go (DCAT dcat:contactPoint, CKAN maintainer_email); empty:
    the contact point gives the site's address only."""
    yasgui: str = "var/vendor/yasgui"
    """Folder of the YASGUI npm package (`make vendor` puts it there) whose editor the SPARQL page
    uses (`lod.web.vendor`); when it is missing, the page keeps its plain form."""
    quarantine: str = "var/quarantine"
    """Directory of the quarantine: one JSON file per record that failed validation (`lod.quarantine`)."""
    dumps: str = "var/dumps"
    """Directory of the bulk dumps (`lod dump`, lod.dumps): a folder per day and `latest`; the web
    app lists and serves them at /dumps."""
    cluster_overrides: str = ""
    """TOML file of manual cluster merges and splits (`lod.clustering`), applied whenever the union
    catalogue is recomputed; empty: none."""
    workers: str = "auto"
    """Worker processes that parse, convert and validate records during ingest: "auto" (one per
    CPU when there are two or more) or a number (0: all in the main process)."""
    sparql_timeout: int = 30
    """Seconds a visitor's SPARQL query may run before its worker process is killed (503). Below
    the 60 s after which common reverse proxies (nginx, Apache) give up on a request, so the client
    reads our message rather than the proxy's."""
    sparql_max_rows: int = 10_000
    """Result rows of a SELECT (triples of a CONSTRUCT/DESCRIBE) beyond which the answer is cut
    and says so; DBpedia's Virtuoso caps at the same number. The dumps are the way to everything."""
    sparql_workers: int = 2
    """Worker processes running visitors' SPARQL queries, in each server process."""
    sparql_queue_wait: int = 5
    """Seconds a query waits for a free worker before the answer is 503 with Retry-After."""
    sparql_budget: int = 60
    """Seconds of SPARQL query time each client address may use per `sparql_budget_window`
    (429 with Retry-After beyond it, as the Wikidata Query Service does); 0: no budget."""
    sparql_budget_window: int = 60
    """Seconds over which `sparql_budget` is granted (spent time drains at budget/window per s)."""
    sparql_budget_db: str = ""
    """SQLite file where every server process records each client's query time. Empty: beside an
    on-disk store (`<store>-sparql-budget.sqlite3`, so the servers of one store share it and those
    of another do not), `var/sparql-budget.sqlite3` for a store on a SPARQL server. ':memory:' keeps
    it in one process, as always when the store itself is in memory (a throw-away instance)."""
    search_index: str = ""
    """SQLite file of the search index (lod.search). Empty: beside an on-disk store
    (`<store>-search.sqlite3`), `var/search.sqlite3` for a store on a SPARQL server, in memory for
    an in-memory store."""
    sparql_federation: bool = False
    """Allow SERVICE in visitors' queries: off, since the server would fetch any IRI it is given."""
    records_archive: str = ""
    """SQLite file of the record archive behind OAI-PMH and the change feed (lod.archive): each
    record's MARCXML, datestamp and deletion. Empty: beside an on-disk store
    (`<store>-records.sqlite3`), `var/records.sqlite3` for a store on a SPARQL server, in memory
    for an in-memory store."""
    harvest_page_size: int = 100
    """Records in each OAI-PMH list response (then a resumption token), and activities in each page
    of the change feed."""
    oai_admin_email: str = ""
    """The adminEmail OAI-PMH's Identify gives; empty: webmaster@ the base IRI's host (RFC 2142)."""
    max_request_bytes: int = 1_048_576
    """Largest request body the web app reads (a SPARQL query by POST, a reconciliation batch);
    413 beyond it, before the body is read. Views that stream larger bodies to disk themselves
    (the write API's uploads) opt out with `lod.web.security.body_limit`."""
    write: bool = False
    """Serve the write side too (`lod serve --write`): the ingest API (lod.web.write) with the
    store opened read-write, in one server process. Off: read-only, the write routes do not exist."""
    tokens: str = ""
    """SQLite file of the write side's access tokens (hashed) and ingest jobs (lod.tokens,
    lod.jobs). Empty: beside an on-disk store (`<store>-tokens.sqlite3`), `var/tokens.sqlite3` for
    a store on a SPARQL server, in memory for an in-memory store."""
    upload_limit: int = 200 * 1024 * 1024
    """Largest upload the ingest API takes, in bytes (413 beyond it; nothing is kept)."""
    publish: str = ""
    """Folder the write side backs up to after every job that changed something (`lod backup`'s
    layout: dated folders and `latest`): the copy public readers serve (`lod serve --read-only
    --store <publish>/latest/store`, restarted to see it). Empty: none."""
    publish_keep: int = 2
    """Copies kept in `publish` (older ones are removed; a reader still serving one keeps its
    open files until it restarts)."""


FIELDS = {field.name: field for field in dataclasses.fields(Settings)}


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the settings from all layers; raises ConfigError naming the bad key and its source."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    values.update(_from_file(config_file, env))
    values.update(_from_env(env))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ConfigError(message=f"unknown setting(s): {', '.join(unknown)}")
    typed = {name: _coerce(name, value) for name, value in values.items()}
    return _checked(Settings(**typed))


def _from_file(config_file: str | os.PathLike[str] | None, env: Mapping[str, str]) -> dict[str, Any]:
    explicit = config_file or env.get(ENV_PREFIX + "CONFIG")
    path = Path(explicit) if explicit else Path(DEFAULT_CONFIG_FILE)
    if not path.exists():
        if explicit:
            raise ConfigError(message=f"config file {path} does not exist")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(message=f"{path}: {exc}") from exc
    table = data.get("lod", data)
    if not isinstance(table, dict):
        raise ConfigError(message=f"{path}: [lod] must be a table")
    return dict(table)


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    return {name: env[ENV_PREFIX + name.upper()] for name in FIELDS if ENV_PREFIX + name.upper() in env}


def _coerce(name: str, value: Any) -> Any:
    kind = FIELDS[name].type
    try:
        if kind == "bool" and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(value)
            return lowered in {"1", "true", "yes", "on"}
        if kind == "int":
            return int(value)
        if kind == "bool":
            return bool(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(message=f"{name}: {value!r} is not a valid {kind}") from exc


def beside_store(settings: Settings, configured: str, suffix: str, default: str) -> str:
    """Where a file kept in step with the store lives: `configured` when set; in memory for an
    in-memory store; `default` for a store on a SPARQL server; else `<store><suffix>`."""
    if configured:
        return configured
    if settings.store == ":memory:":
        return ":memory:"
    if settings.store.startswith(("http://", "https://")):
        return default
    return str(Path(settings.store)) + suffix


def auto_workers(setting: str) -> bool:
    return setting.strip().lower() == "auto"


def worker_processes(setting: str) -> int:
    """Worker processes for a `workers` setting: "auto" is one per CPU this process may use when
    there are two or more (with one, a worker would only take turns with the main process)."""
    value = setting.strip().lower()
    if value == "auto":
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return cpus if cpus > 1 else 0
    if not value.isdigit() or int(value) > 256:
        raise ConfigError(message=f"workers must be 'auto' or a number from 0 to 256, not {setting!r}")
    return int(value)


def _checked(settings: Settings) -> Settings:
    parts = urlsplit(settings.base_iri)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(message=f"base_iri must be an absolute http(s) IRI, not {settings.base_iri!r}")
    if not settings.base_iri.endswith("/"):
        settings = dataclasses.replace(settings, base_iri=settings.base_iri + "/")
    if settings.publisher_url and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", settings.publisher_url):
        raise ConfigError(message=f"publisher_url must be an http(s) URL, not {settings.publisher_url!r}")
    if settings.contact_email and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+", settings.contact_email):
        raise ConfigError(message=f"contact_email must be an e-mail address, not {settings.contact_email!r}")
    if settings.lang not in LANGUAGES:
        raise ConfigError(message=f"lang must be one of {', '.join(LANGUAGES)}, not {settings.lang!r}")
    worker_processes(settings.workers)
    if settings.harvest_page_size < 1:
        raise ConfigError(message=f"harvest_page_size must be at least 1, not {settings.harvest_page_size}")
    if settings.max_request_bytes < 1024:
        least = f"at least 1024, not {settings.max_request_bytes}"
        raise ConfigError(message=f"max_request_bytes must be {least}")
    if settings.publish_keep < 1:
        raise ConfigError(message=f"publish_keep must be at least 1, not {settings.publish_keep}")
    if settings.upload_limit < 1:
        raise ConfigError(message=f"upload_limit must be at least 1, not {settings.upload_limit}")
    if not 0 <= settings.port < 65536:
        raise ConfigError(message=f"port {settings.port} is out of range")
    return settings
