"""converters/marc/__init__.py: `convert_record` over a whole record, against a golden graph.

The golden pair is tests/data/marc/truyen-kieu.xml (a hand-made Vietnamese record) and
truyen-kieu.expected.ttl, written by hand from the mapping the modules' docstrings describe.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path

import pytest
from marcrdf import assert_isomorphic, graph, literals
from pymarc import Field, Record, Subfield
from rdflib import Graph

import lod.converters.marc as marc_package
from lod.converters.context import RecordContext
from lod.converters.marc import CONVERTERS, convert_record
from lod.marcio import read_marc
from lod.uris import Minter

DATA = Path(__file__).parent.parent / "data" / "marc"
LIBRARY = "TVHN"


@pytest.fixture(scope="module")
def truyen_kieu() -> Record:
    (item,) = list(read_marc(DATA / "truyen-kieu.xml"))
    assert item.error is None and item.fixes == [] and item.record is not None
    return item.record


@pytest.fixture(scope="module")
def expected() -> Graph:
    result = Graph()
    result.parse(DATA / "truyen-kieu.expected.ttl", format="turtle")
    return result


@pytest.fixture
def golden_ctx(minter: Minter) -> RecordContext:
    return RecordContext(minter, LIBRARY, "TK2015001")


def test_truyen_kieu_golden_graph(truyen_kieu: Record, expected: Graph, golden_ctx: RecordContext) -> None:
    """Leader to 952 of a whole Vietnamese record: the graph is exactly the hand-written one."""
    assert truyen_kieu["001"].data == golden_ctx.control_number
    assert_isomorphic(convert_record(truyen_kieu, golden_ctx), expected)


def _nfd(record: Record) -> Record:
    copy = Record(force_utf8=True)
    copy.leader = record.leader
    for f in record.fields:
        if f.is_control_field():
            copy.add_field(Field(tag=f.tag, data=unicodedata.normalize("NFD", f.data)))
        else:
            copy.add_field(
                Field(
                    tag=f.tag,
                    indicators=f.indicators,
                    subfields=[Subfield(s.code, unicodedata.normalize("NFD", s.value)) for s in f.subfields],
                )
            )
    return copy


def test_truyen_kieu_nfd_input_gives_the_same_nfc_graph(
    truyen_kieu: Record, expected: Graph, golden_ctx: RecordContext
) -> None:
    """Every field in NFD (as some exports write Vietnamese): same IRIs, every literal NFC."""
    decomposed = _nfd(truyen_kieu)
    assert decomposed["245"]["a"] != truyen_kieu["245"]["a"]
    triples = convert_record(decomposed, golden_ctx)
    assert all(unicodedata.is_normalized("NFC", value) for value in literals(triples))
    assert_isomorphic(triples, expected)


def test_truyen_kieu_field_order_does_not_matter(
    truyen_kieu: Record, expected: Graph, golden_ctx: RecordContext
) -> None:
    """Fields in reverse order (952s swapped too): the same graph, the same item IRIs."""
    reordered = Record(force_utf8=True)
    reordered.leader = truyen_kieu.leader
    for f in reversed(truyen_kieu.fields):
        reordered.add_field(f)
    assert [f.tag for f in reordered.get_fields("952")] == ["952", "952"]
    assert reordered.get_fields("952")[0]["p"] == "VV.012346"
    assert_isomorphic(convert_record(reordered, golden_ctx), expected)


def test_convert_record_depends_on_library_and_control_number(
    truyen_kieu: Record, minter: Minter, golden_ctx: RecordContext
) -> None:
    """The same record from another library is another Work, sharing agents and topics."""
    ours = graph(convert_record(truyen_kieu, golden_ctx))
    other_ctx = RecordContext(minter, "TVHCM", "TK2015001")
    theirs = graph(convert_record(truyen_kieu, other_ctx))
    subjects = {str(s) for s in ours.subjects()} & {str(s) for s in theirs.subjects()}
    assert golden_ctx.work.value not in {str(s) for s in theirs.subjects()}
    assert any("/resource/agent/" in s for s in subjects)
    assert any("/resource/topic/" in s for s in subjects)
    assert not any("/resource/work/" in s or "/resource/item/" in s for s in subjects)


def test_every_tag_module_is_registered() -> None:
    """Each converters/marc module with a `convert` runs in convert_record, exactly once."""
    modules = [
        importlib.import_module(f"{marc_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(marc_package.__path__)
    ]
    converters = [m.convert for m in modules if hasattr(m, "convert")]
    assert len(converters) == 12
    assert sorted(CONVERTERS, key=id) == sorted(converters, key=id)
