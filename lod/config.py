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


def _checked(settings: Settings) -> Settings:
    parts = urlsplit(settings.base_iri)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(message=f"base_iri must be an absolute http(s) IRI, not {settings.base_iri!r}")
    if not settings.base_iri.endswith("/"):
        settings = dataclasses.replace(settings, base_iri=settings.base_iri + "/")
    if settings.lang not in LANGUAGES:
        raise ConfigError(message=f"lang must be one of {', '.join(LANGUAGES)}, not {settings.lang!r}")
    if not 0 <= settings.port < 65536:
        raise ConfigError(message=f"port {settings.port} is out of range")
    return settings
