"""converters/text.py: NFC, ISBD punctuation, brackets, heading match keys, years."""

from __future__ import annotations

import unicodedata

import pytest
from marcrdf import field

from lod.converters.text import clean, heading_key, joined, nfc, subfields, unbracket, year


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def test_nfc_composes_decomposed_vietnamese() -> None:
    """NFD input ('ệ' = e + U+0323 + U+0302) comes out composed."""
    assert nfd("Nguyễn Du") != "Nguyễn Du"
    assert nfc(nfd("Nguyễn Du")) == "Nguyễn Du"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        pytest.param("Truyện Kiều :", "Truyện Kiều", id="245 $a: ' :' before $b removed"),
        pytest.param("Truyện Kiều /", "Truyện Kiều", id="245 $a: ' /' before $c removed"),
        pytest.param("Tủ sách văn học ;", "Tủ sách văn học", id="490 $a: ' ;' before $v removed"),
        pytest.param("Kim Vân Kiều =", "Kim Vân Kiều", id="245 $a: ' =' before parallel title"),
        pytest.param("Văn học,", "Văn học", id="260 $b: ',' before $c removed"),
        pytest.param("Hà Nội : /", "Hà Nội", id="stacked ISBD marks all removed"),
        pytest.param("  Truyện   Kiều  ", "Truyện Kiều", id="spaces collapsed and trimmed"),
        pytest.param("", "", id="empty string"),
        pytest.param(None, "", id="None"),
    ],
)
def test_clean_isbd_punctuation(raw: str | None, cleaned: str) -> None:
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        pytest.param("Truyện Kiều.", "Truyện Kiều", id="245 $a: closing full stop removed"),
        pytest.param(
            "Văn học Việt Nam.",
            "Văn học Việt Nam",
            id="650 $a: full stop after a short Vietnamese syllable removed",
        ),
        pytest.param("Nguyễn Du.", "Nguyễn Du", id="245 $c: full stop after 'Du' removed"),
        pytest.param("Tập 1.", "Tập 1", id="245 $n: full stop after a number removed"),
        pytest.param("Tái bản lần thứ 2.", "Tái bản lần thứ 2", id="250 $a: edition number"),
        pytest.param("1765-1820.", "1765-1820", id="100 $d: dates"),
        pytest.param("c2015.", "c2015", id="260 $c: date"),
        pytest.param("21 cm.", "21 cm", id="300 $c: unit symbol takes no full stop"),
        pytest.param("235 tr.", "235 tr.", id="300 $a: 'tr.' (trang) is an abbreviation"),
        pytest.param("H.", "H.", id="260 $a: 'H.' (Hà Nội) is an abbreviation"),
        pytest.param("Nxb.", "Nxb.", id="260 $b: 'Nxb.' (Nhà xuất bản) is an abbreviation"),
        pytest.param("Tp. Hồ Chí Minh.", "Tp. Hồ Chí Minh", id="260 $a: 'Minh.' is a word"),
        pytest.param("2nd ed.", "2nd ed.", id="250 $a: 'ed.' is an abbreviation"),
        pytest.param("xii, 235 p.", "xii, 235 p.", id="300 $a: 'p.' is an abbreviation"),
        pytest.param("Smith, J.", "Smith, J.", id="100 $a: an initial keeps its full stop"),
        pytest.param("[S.l.]", "[S.l.]", id="260 $a: bracketed abbreviation untouched"),
        pytest.param("Huế : s.n.", "Huế : s.n.", id="260 $b: dotted abbreviation 's.n.' kept"),
        pytest.param("Viện KHXH.", "Viện KHXH.", id="110 $a: capitals abbreviation kept"),
        pytest.param("Nguyễn Văn A (ch.b.)", "Nguyễn Văn A (ch.b.)", id="no final full stop"),
        pytest.param("Và rồi...", "Và rồi...", id="ellipsis kept"),
    ],
)
def test_clean_closing_full_stop(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_clean_returns_nfc_for_nfd_input() -> None:
    assert clean(nfd("Văn học Việt Nam :")) == "Văn học Việt Nam"


@pytest.mark.parametrize(
    ("raw", "unbracketed"),
    [
        pytest.param("[Hà Nội]", "Hà Nội", id="260 $a: '[Hà Nội]' supplied place"),
        pytest.param("[ Hà Nội ]", "Hà Nội", id="260 $a: spaces inside brackets"),
        pytest.param("Hà Nội", "Hà Nội", id="260 $a: no brackets"),
        pytest.param("[Hà Nội] ; Huế", "[Hà Nội] ; Huế", id="260 $a: partly bracketed kept"),
    ],
)
def test_unbracket(raw: str, unbracketed: str) -> None:
    assert unbracket(raw) == unbracketed


def test_subfields_keeps_field_order_and_drops_empty_values() -> None:
    f = field("245 10$aTruyện Kiều :$b /$bĐoạn trường tân thanh /$cNguyễn Du.")
    assert subfields(f, "ab") == ["Truyện Kiều", "Đoạn trường tân thanh"]
    assert subfields(f, "c") == ["Nguyễn Du"]
    assert subfields(f, "z") == []


def test_joined_cleans_the_joined_value() -> None:
    f = field("246 1_$aKim Vân Kiều :$bTruyện thơ.")
    assert joined(f, "ab", " : ") == "Kim Vân Kiều : Truyện thơ"


def test_clean_takes_directional_marks_off_with_the_punctuation() -> None:
    assert clean("\u200fالقاهرة :\u200f") == "القاهرة"
    assert clean("عياد، كامل،\u200f") == "عياد، كامل"  # Arabic comma: ending punctuation too
    assert clean("\u200fالقاهرة\u200f الجديدة") == "القاهرة\u200f الجديدة"  # inside: kept


def test_heading_key_folds_case_and_punctuation() -> None:
    assert heading_key(["Nguyễn, Du, 1765-1820."]) == "nguyễn du 1765 1820"
    assert heading_key(["NGUYỄN DU"]) == heading_key(["Nguyễn Du"]) == heading_key(["Nguyễn, Du"])


def test_heading_key_keeps_diacritics_and_đ() -> None:
    assert heading_key(["Văn học Việt Nam"]) == "văn học việt nam"
    assert heading_key(["Văn học Việt Nam"]) != heading_key(["Van hoc Viet Nam"])
    assert heading_key(["Đào Duy Anh"]) == "đào duy anh"
    assert heading_key(["Đào Duy Anh"]) != heading_key(["Dao Duy Anh"])


def test_heading_key_same_for_both_tone_mark_placements() -> None:
    assert heading_key(["Khánh Hoà"]) == heading_key(["Khánh Hòa"]) == "khánh hòa"
    assert heading_key(["Thuỵ Khuê"]) == heading_key(["Thụy Khuê"])


def test_heading_key_keeps_subdivisions_apart() -> None:
    assert heading_key(["Văn học--Phê bình."]) == "văn học--phê bình"
    assert heading_key(["Văn học--Phê bình"]) != heading_key(["Văn học Phê bình"])


def test_heading_key_same_for_nfd_and_nfc() -> None:
    assert heading_key([nfd("Văn học Việt Nam")]) == heading_key(["Văn học Việt Nam"])


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        pytest.param("c2015.", "2015", id="260 $c: 'c2015.'"),
        pytest.param("©2015", "2015", id="264 $c: '©2015'"),
        pytest.param("[2015?]", "2015", id="260 $c: '[2015?]'"),
        pytest.param("1765-1820", "1765", id="first of two years"),
        pytest.param("19--", None, id="260 $c: decade unknown"),
        pytest.param("s.a.", None, id="260 $c: no date"),
        pytest.param("12015", None, id="five digits are no year"),
        pytest.param("0999", None, id="implausible year"),
    ],
)
def test_year(statement: str, found: str | None) -> None:
    assert year(statement) == found
