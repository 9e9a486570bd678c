"""Fuzzing the registry reader (lod.registry): generated and mutated CSV, JSON and JSON Lines
files, in the wrong encodings too, end in checked libraries and row problems (or an InputError
for a file that cannot be read at all); what passes exports and reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings

from tests.fuzz.profiles import LIMIT, examples
from tests.fuzz.strategies import registry_files
from tests.fuzz.targets import check_registry, time_limit


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("registry-fuzz")


@settings(max_examples=examples(300))
@given(registry_files)
# found by fuzzing: a lone "\r" in a value was exported unquoted, and the CSV read back split there
@example(("r.jsonl", b'{"id": "tv-1", "name": "a\\rb", "type": "public"}'))
# found by fuzzing: "²" passed str.isdigit() in collection_size and the unit codes, then int() failed
@example(("r.csv", "id,name,type,collection_size,province_code\ntv-1,A,public,²,²\n".encode()))
# found by fuzzing: a library whose parent was dropped (its own parent unknown) stayed: KeyError
@example(("r.csv", b"id,name,type,parent_id\na,A,public,b\nb,B,public,missing\n"))
def test_registry_files(scratch: Path, file: tuple[str, bytes]) -> None:
    name, data = file
    with time_limit(LIMIT):
        check_registry(name, data, scratch)
