"""Layered settings: defaults, then a TOML file, then `LOD_*` environment variables, then explicit
overrides (tests, CLI options). Later layers win. Nothing is read at import time.

The TOML file is `LOD_CONFIG` if set, else `./lod.toml` if it exists. Keys are the field names of
`Settings`, either at top level or under a `[lod]` table.
"""

from __future__ import annotations

import dataclasses
import os
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
    """Worker threads of the HTTP server."""
    incoming_page_size: int = 50
    """How many incoming links an entity description lists per page."""
    licence: str = "http://creativecommons.org/publicdomain/zero/1.0/"
    quarantine: str = "var/quarantine"
    """Directory of the quarantine: one JSON file per record that failed validation (`lod.quarantine`)."""
    cluster_overrides: str = ""
    """TOML file of manual cluster merges and splits (`lod.clustering`), applied whenever the union
    catalogue is recomputed; empty: none."""
    workers: str = "auto"
    """Worker processes that parse, convert and validate records during ingest: "auto" (one per
    CPU when there are two or more) or a number (0: all in the main process)."""


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
    if settings.lang not in LANGUAGES:
        raise ConfigError(message=f"lang must be one of {', '.join(LANGUAGES)}, not {settings.lang!r}")
    worker_processes(settings.workers)
    if not 0 <= settings.port < 65536:
        raise ConfigError(message=f"port {settings.port} is out of range")
    return settings
