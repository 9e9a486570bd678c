"""Fixtures for the converter tests: one Minter on a test base IRI and record contexts from it.

The record-building and graph-comparison helpers live in `marcrdf.py` next to this file.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lod.converters.context import RecordContext
from lod.uris import Minter

BASE_IRI = "http://data.test/"


@pytest.fixture
def minter() -> Minter:
    return Minter(BASE_IRI)


@pytest.fixture
def make_ctx(minter: Minter) -> Callable[..., RecordContext]:
    """`make_ctx(control_number="rec-1", library="TEST")`: the context of one record."""

    def make(control_number: str = "rec-1", library: str = "TEST") -> RecordContext:
        return RecordContext(minter, library, control_number)

    return make


@pytest.fixture
def ctx(make_ctx: Callable[..., RecordContext]) -> RecordContext:
    return make_ctx()
