"""tests/converters/marcrdf.py: the helpers the converter tests rely on must themselves be right."""

from __future__ import annotations

import pytest
from marcrdf import assert_isomorphic, field, record
from pyoxigraph import BlankNode, Literal, NamedNode

from lod.vocab import BF, RDFS

WORK = NamedNode("http://data.test/resource/work/w")


def test_assert_isomorphic_ignores_blank_node_labels() -> None:
    title = BlankNode("b0")
    assert_isomorphic(
        [(WORK, BF.title, title), (title, BF.mainTitle, Literal("Truyện Kiều"))],
        '<http://data.test/resource/work/w> bf:title [ bf:mainTitle "Truyện Kiều" ] .',
    )


def test_assert_isomorphic_reports_both_sides() -> None:
    with pytest.raises(AssertionError) as caught:
        assert_isomorphic(
            [(WORK, RDFS.label, Literal("Truyện Kiều."))],
            '<http://data.test/resource/work/w> rdfs:label "Truyện Kiều" .',
        )
    report = str(caught.value)
    assert '"Truyện Kiều."' in report.split("only in the expected graph")[0]
    assert '"Truyện Kiều" .' in report.split("only in the expected graph")[1]


def test_assert_isomorphic_sees_an_extra_blank_node() -> None:
    """Two blank titles are not one: isomorphism counts blank nodes."""
    one, two = BlankNode(), BlankNode()
    with pytest.raises(AssertionError):
        assert_isomorphic(
            [
                (WORK, BF.title, one),
                (WORK, BF.title, two),
                (one, BF.mainTitle, Literal("A")),
                (two, BF.mainTitle, Literal("A")),
            ],
            '<http://data.test/resource/work/w> bf:title [ bf:mainTitle "A" ] .',
        )


def test_field_mnemonic() -> None:
    data = field("245 10$aTruyện Kiều :$bĐoạn trường tân thanh /$cNguyễn Du.")
    assert (data.tag, data.indicator1, data.indicator2) == ("245", "1", "0")
    assert [(s.code, s.value) for s in data.subfields] == [
        ("a", "Truyện Kiều :"),
        ("b", "Đoạn trường tân thanh /"),
        ("c", "Nguyễn Du."),
    ]
    blank = field("650 _7$aThơ")
    assert (blank.indicator1, blank.indicator2) == (" ", "7")
    control = field("008 150612s2015    vm ")
    assert control.is_control_field() and control.data == "150612s2015    vm "


def test_record_leader_and_fields() -> None:
    marc = record("001 TK1", "245 10$aTruyện Kiều", leader="00000cas a2200000 a 4500")
    assert str(marc.leader)[6:8] == "as"
    assert marc["001"].data == "TK1" and marc["245"]["a"] == "Truyện Kiều"
