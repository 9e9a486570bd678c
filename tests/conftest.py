"""Shared fixtures: settings, a real in-memory pyoxigraph store with the sample loaded, the app."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lod.config import Settings, load_settings
from lod.pipeline import IngestReport, ingest_file
from lod.store import OxigraphStore
from lod.uris import Minter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
BASE = "http://data.test/"


def sample_entries() -> list[tuple[Path, str, str | None]]:
    manifest = tomllib.loads((SAMPLE / "manifest.toml").read_text(encoding="utf-8"))
    return [(SAMPLE / e["path"], e["library"], e.get("label")) for e in manifest["file"]]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(env={}, overrides={"store": ":memory:", "base_iri": BASE})


@pytest.fixture(scope="session")
def minter(settings: Settings) -> Minter:
    return Minter(settings.base_iri)


@pytest.fixture(scope="session")
def sample_store(minter: Minter) -> tuple[OxigraphStore, list[IngestReport]]:
    """The bundled sample, ingested once per test session (with SHACL validation)."""
    store = OxigraphStore.open(None)
    reports = [ingest_file(store, path, library, minter, library_name=label)
               for path, library, label in sample_entries()]
    return store, reports


@pytest.fixture(scope="session")
def store(sample_store: tuple[OxigraphStore, list[IngestReport]]) -> OxigraphStore:
    return sample_store[0]


@pytest.fixture(scope="session")
def app(settings: Settings, store: OxigraphStore):  # type: ignore[no-untyped-def]
    from lod.web import create_app

    application = create_app(settings, store=store)
    application.config["TESTING"] = True
    return application


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()
