"""lod/marcio.py: reading ISO 2709 and MARCXML record by record, with per-record errors and fixes."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pymarc import Field, Indicators, Leader, Record, Subfield

from lod.errors import InputError, RecordError
from lod.i18n import t
from lod.marcio import SourceRecord, read_marc, sniff
from lod.vietnamese import encode_legacy

DATA = Path(__file__).parent / "data" / "marc"
MARCXML_NS = "http://www.loc.gov/MARC21/slim"
FRENCH_TITLE = "De la solitude à la communauté."


def make_record(control: str | None, title: str) -> Record:
    record = Record(force_utf8=True)
    record.leader = Leader("00000nam a2200000 a 4500")
    if control is not None:
        record.add_field(Field(tag="001", data=control))
    record.add_field(Field(tag="245", indicators=Indicators("1", "0"), subfields=[Subfield("a", title)]))
    return record


def marcxml(*records: str, prefix: str = "", namespace: bool = True) -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = (f' xmlns{":" + prefix if prefix else ""}="{MARCXML_NS}"') if namespace else ""
    body = "".join(
        f"<{p}record><{p}leader>00000nam a2200000 a 4500</{p}leader>{fields}</{p}record>\n"
        for fields in records
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}collection{xmlns}>\n{body}</{p}collection>\n'


def xml_fields(control: str, title: str, p: str = "") -> str:
    return (
        f'<{p}controlfield tag="001">{control}</{p}controlfield>'
        f'<{p}datafield tag="245" ind1="1" ind2="0">'
        f'<{p}subfield code="a">{title}</{p}subfield></{p}datafield>'
    )


def read(path: Path) -> list[SourceRecord]:
    return list(read_marc(path))


def titles(items: list[SourceRecord]) -> list[str | None]:
    return [item.record["245"]["a"] if item.record is not None else None for item in items]


# sniffing


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        pytest.param(b"01234nam a2200277 a 4500", "iso2709", id="ISO 2709 leader"),
        pytest.param(b"\xef\xbb\xbf01234nam a2200277 a 4500", "iso2709", id="ISO 2709 after a BOM"),
        pytest.param(b'<?xml version="1.0"?><collection/>', "marcxml", id="MARCXML declaration"),
        pytest.param(
            b"<collection xmlns='http://www.loc.gov/MARC21/slim'/>",
            "marcxml",
            id="MARCXML without declaration",
        ),
        pytest.param(b"\xef\xbb\xbf<?xml version='1.0'?>", "marcxml", id="MARCXML after a BOM"),
        pytest.param(b"\r\n  \t<record/>", "marcxml", id="MARCXML after blank lines"),
    ],
)
def test_sniff(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(b"%PDF-1.7", id="PDF"),
        pytest.param(b"=LDR  00000nam", id="MARC mnemonic text"),
        pytest.param(b"0123 not a leader", id="four digits only"),
        pytest.param(b"", id="empty"),
    ],
)
def test_sniff_rejects(head: bytes) -> None:
    with pytest.raises(InputError):
        sniff(head)


# MARCXML


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        pytest.param(
            marcxml(xml_fields("A1", "Truyện Kiều"), xml_fields("A2", "Lục Vân Tiên")),
            "utf-8",
            id="default namespace",
        ),
        pytest.param(
            marcxml(
                xml_fields("A1", "Truyện Kiều", "marc:"),
                xml_fields("A2", "Lục Vân Tiên", "marc:"),
                prefix="marc",
            ),
            "utf-8",
            id="marc: prefix",
        ),
        pytest.param(
            marcxml(xml_fields("A1", "Truyện Kiều"), xml_fields("A2", "Lục Vân Tiên"), namespace=False),
            "utf-8",
            id="no namespace",
        ),
        pytest.param(
            marcxml(xml_fields("A1", "Truyện Kiều"), xml_fields("A2", "Lục Vân Tiên")),
            "utf-8-sig",
            id="UTF-8 BOM",
        ),
    ],
)
def test_marcxml_variants(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "records.xml"
    path.write_bytes(text.encode(encoding))
    items = read(path)
    assert [(i.position, i.control_number, i.error) for i in items] == [
        (1, "A1", None),
        (2, "A2", None),
    ]
    assert titles(items) == ["Truyện Kiều", "Lục Vân Tiên"]
    assert all(i.source == str(path) and i.source_bytes() for i in items)


def test_marcxml_record_without_tag_is_its_own_error(tmp_path: Path) -> None:
    """MARCXML: a datafield without a tag spoils its record only; the next one is read."""
    broken = '<datafield ind1=" " ind2=" "><subfield code="a">x</subfield></datafield>'
    path = tmp_path / "records.xml"
    path.write_text(marcxml(xml_fields("A1", "Một"), broken, xml_fields("A3", "Ba")), "utf-8")
    items = read(path)
    assert [i.position for i in items] == [1, 2, 3]
    assert titles(items) == ["Một", None, "Ba"]
    assert isinstance(items[1].error, RecordError)
    assert items[1].error.position == 2


def test_marcxml_truncated_file(tmp_path: Path) -> None:
    """A MARCXML file cut off inside record 3: records 1 and 2, then one error record."""
    full = marcxml(xml_fields("A1", "Một"), xml_fields("A2", "Hai"), xml_fields("A3", "Ba"))
    path = tmp_path / "cut.xml"
    path.write_text(full[: full.index("Ba")], "utf-8")
    items = read(path)
    assert [(i.position, i.control_number) for i in items] == [(1, "A1"), (2, "A2"), (3, None)]
    assert items[0].error is None and items[1].error is None
    error = items[2].error
    assert isinstance(error, RecordError) and items[2].record is None
    assert (error.source, error.position) == (str(path), 3)
    assert str(path) in error.message("en") and "XML" in error.message("en")


# ISO 2709


def test_iso2709_positions_control_numbers_and_raw(tmp_path: Path) -> None:
    records = [
        make_record("TK1", "Truyện Kiều"),
        make_record(None, "Không số"),
        make_record("  ", "Số trống"),
        make_record(" TK4 ", "Chinh phụ ngâm"),
    ]
    chunks = [r.as_marc() for r in records]
    path = tmp_path / "records.mrc"
    path.write_bytes(b"".join(chunks))
    items = read(path)
    assert [i.position for i in items] == [1, 2, 3, 4]
    assert [i.control_number for i in items] == ["TK1", None, None, "TK4"]
    assert titles(items) == ["Truyện Kiều", "Không số", "Số trống", "Chinh phụ ngâm"]
    assert [i.raw for i in items] == chunks
    assert all(i.error is None and i.fixes == [] for i in items)


def test_iso2709_records_on_separate_lines(tmp_path: Path) -> None:
    """ISO 2709 with a newline after each record terminator (some exports): still read."""
    records = [make_record("TK1", "Một"), make_record("TK2", "Hai")]
    path = tmp_path / "records.mrc"
    path.write_bytes(b"\r\n".join(r.as_marc() for r in records) + b"\r\n")
    items = read(path)
    assert [(i.position, i.control_number, i.error) for i in items] == [
        (1, "TK1", None),
        (2, "TK2", None),
    ]


def test_iso2709_wrong_record_length_in_leader(tmp_path: Path) -> None:
    """ISO 2709: records are split on 0x1D, so a record whose leader/00-04 lies is an error
    of its own and does not swallow or shift the record after it."""
    first = make_record("TK1", "Một").as_marc()
    path = tmp_path / "records.mrc"
    path.write_bytes(b"99999" + first[5:] + make_record("TK2", "Hai").as_marc())
    items = read(path)
    assert [i.position for i in items] == [1, 2]
    assert isinstance(items[0].error, RecordError) and items[0].error.position == 1
    assert items[0].error.control == "TK1"
    assert items[1].control_number == "TK2" and items[1].error is None


def test_bad_records_in_the_middle(tmp_path: Path) -> None:
    """pymarc's bad_records.mrc: good records 1 and 8 come out; 2-7 each carry a RecordError
    naming the file and the position."""
    path = DATA / "bad_records.mrc"
    items = read(path)
    assert [i.position for i in items] == list(range(1, 9))
    good = [i for i in items if i.record is not None]
    assert [i.position for i in good] == [1, 8]
    assert all(i.record["245"]["a"].startswith("The pragmatic programmer") for i in good)
    assert all(i.error is None for i in good)
    for item in items[1:7]:
        assert item.record is None
        error = item.error
        assert isinstance(error, RecordError)
        assert error.reason_key == "record.unreadable"
        assert (error.source, error.position) == (str(path), item.position)
        assert f"{path}: record {item.position}:" in error.message("en")
        assert f"{path}: biểu ghi {item.position}:" in error.message("vi")


def test_utf8_without_leader_flag_is_repaired() -> None:
    """leader/09 blank (MARC-8) but UTF-8 bytes: read as UTF-8, same text as the flagged file,
    and the repair is reported as a fix."""
    (repaired,) = read(DATA / "utf8_without_leader_flag.dat")
    (flagged,) = read(DATA / "utf8_with_leader_flag.dat")
    assert str(repaired.record.leader)[9] == " " and str(flagged.record.leader)[9] == "a"
    assert repaired.error is None and flagged.error is None
    assert repaired.fixes == [("record.utf8_repaired", {})]
    assert flagged.fixes == []
    assert repaired.record["245"]["a"] == flagged.record["245"]["a"]
    assert [str(f) for f in repaired.record.fields] == [str(f) for f in flagged.record.fields]
    assert unicodedata.normalize("NFC", repaired.record["240"]["a"]) == FRENCH_TITLE


def test_real_marc8_record_decodes_diacritics() -> None:
    """A real MARC-8 record (leader/09 blank): combining diacritics decoded, nothing 'repaired'."""
    (item,) = read(DATA / "marc8.dat")
    assert str(item.record.leader)[9] == " "
    assert item.error is None and item.fixes == []
    assert unicodedata.normalize("NFC", item.record["240"]["a"]) == FRENCH_TITLE
    assert unicodedata.normalize("NFC", item.record["500"]["a"]) == ("Translation of " + FRENCH_TITLE)
    (utf8,) = read(DATA / "utf8_with_leader_flag.dat")
    assert item.record["245"]["a"] == utf8.record["245"]["a"]


# files that cannot be read at all


def test_nonexistent_file_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.mrc"
    with pytest.raises(InputError) as caught:
        read(path)
    assert not isinstance(caught.value, RecordError)
    assert str(path) in caught.value.message("en") and str(path) in caught.value.message("vi")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", id="a PDF"),
        pytest.param("Truyện Kiều, Nguyễn Du, 2015\n".encode(), id="a CSV line"),
        pytest.param(b"", id="an empty file"),
    ],
)
def test_non_marc_file_raises_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not-marc.dat"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read(path)
    assert not isinstance(caught.value, RecordError)
    assert str(path) in caught.value.message("en")


# regressions found while writing the tests above ----------------------------------------------
def test_xml_without_marc_records_is_an_input_error(tmp_path: Path) -> None:
    page = tmp_path / "page.xml"
    page.write_text("<html><body><p>not a catalogue</p></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="page.xml"):
        list(read_marc(page))


def test_oai_pmh_wrapped_marcxml_yields_only_the_marc_records(tmp_path: Path) -> None:
    wrapped = tmp_path / "oai.xml"
    wrapped.write_text(
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
        + "".join(
            f"<record><header><identifier>oai:x:{n}</identifier></header><metadata>"
            f'<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>'
            f'<controlfield tag="001">{n}</controlfield>'
            f'<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Sách {n}</subfield></datafield>'
            f"</record></metadata></record>"
            for n in (1, 2)
        )
        + "</ListRecords></OAI-PMH>",
        encoding="utf-8",
    )
    items = list(read_marc(wrapped))
    assert [(i.position, i.control_number, i.error) for i in items] == [(1, "1", None), (2, "2", None)]


def test_iso2709_with_a_byte_order_mark(tmp_path: Path) -> None:
    source = DATA / "utf8_with_leader_flag.dat"
    with_bom = tmp_path / "bom.mrc"
    with_bom.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    plain, bommed = list(read_marc(source)), list(read_marc(with_bom))
    assert len(plain) == len(bommed) and all(i.error is None for i in bommed)
    assert bommed[0].record["245"]["a"] == plain[0].record["245"]["a"]  # type: ignore[union-attr]


def test_no_repair_note_on_an_unreadable_record() -> None:
    for item in read_marc(DATA / "bad_records.mrc"):
        if item.error is not None:
            assert ("record.utf8_repaired", {}) not in item.fixes


def test_xml_error_names_the_position_once(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(
        '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>x</lead>', encoding="utf-8"
    )
    error = list(read_marc(broken))[-1].error
    assert error is not None
    message = error.message("en")
    assert message.count("line 1") == 1 and "the rest of the file cannot be read" in message


def test_source_bytes_of_a_marcxml_record_round_trip() -> None:
    import pymarc

    first = next(iter(read_marc(Path(__file__).parent.parent / "data" / "sample" / "vietnamese.xml")))
    again = pymarc.parse_xml_to_array(__import__("io").BytesIO(first.source_bytes()))[0]
    assert again.as_marc() == first.record.to_pymarc().as_marc()  # type: ignore[union-attr]


def test_invalid_utf8_bytes_are_replaced_and_reported(tmp_path: Path) -> None:
    sample = Path(__file__).parent.parent / "data" / "sample" / "vietnamese-koha.mrc"
    raw = sample.read_bytes().split(b"\x1d")[0] + b"\x1d"
    assert raw[9:10] == b"a"
    title_at = raw.index("Vợ nhặt".encode())
    broken = raw[:title_at] + b"\xff" + raw[title_at + 1 :]  # 'V' becomes a byte no UTF-8 allows
    path = tmp_path / "broken-utf8.mrc"
    path.write_bytes(broken)
    (item,) = list(read_marc(path))
    assert item.error is None
    assert ("record.utf8_replaced", {}) in item.fixes
    assert item.record["245"]["a"].startswith("\ufffdợ nhặt")  # type: ignore[index]


# legacy Vietnamese encodings and mojibake (lod.vietnamese wired into the reader) ----------------
TITLE_VI = "Khổ mẫu MARC 21 cho dữ liệu thư mục"
AUTHOR_VI = "Nguyễn Du"
PUBLISHER_VI = "Nhà xuất bản Giáo dục"
TCVN3_MOJIBAKE = "Khæ mÉu MARC 21 cho d÷ liÖu th− môc"  # TCVN3 bytes shown as cp1252 (0xAD as a minus)
VNI_MOJIBAKE = "Xin chaøo caùc baïn"
# VISCII capitals shown as cp1252: not one character of Latin-1, only Œ œ Š ž € › and the like
VISCII_CAPITALS_MOJIBAKE = "T›NH œY LžC NG€N"


def legacy_iso2709(*fields: tuple[str, list[tuple[str, bytes]]], control: str = "VN1") -> bytes:
    """An ISO 2709 record declaring MARC-8 (leader/09 blank) whose subfields hold exactly `fields`'
    bytes: pymarc writes str values as Latin-1 when it is not asked to write Unicode."""
    record = Record(to_unicode=False, force_utf8=False)
    record.leader = Leader("00000nam  2200000 a 4500")
    record.add_field(Field(tag="001", data=control))
    for tag, subfields in fields:
        record.add_field(
            Field(
                tag=tag,
                indicators=Indicators("1", "0"),
                subfields=[Subfield(code, value.decode("latin-1")) for code, value in subfields],
            )
        )
    raw = record.as_marc()
    assert raw[9:10] == b" " and b"\x1b" not in raw
    return raw


def vietnamese_record(encoding: str, title: str = TITLE_VI, control: str = "VN1") -> bytes:
    def enc(text: str) -> bytes:
        return encode_legacy(text, encoding)

    return legacy_iso2709(
        ("245", [("a", enc(title)), ("c", enc(AUTHOR_VI))]),
        (
            "260",
            [("a", enc("Hà Nội :")), ("b", enc(PUBLISHER_VI))],
        ),
        control=control,
    )


MOJIBAKE_FIXES = {"record.legacy_decoded", "record.mojibake_repaired"}


def vietnamese_fixes(item: SourceRecord) -> list[tuple[str, dict[str, str]]]:
    return [(key, params) for key, params in item.fixes if key in MOJIBAKE_FIXES]


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI", "VISCII", "CP1258"])
def test_legacy_vietnamese_record_declaring_marc8_is_decoded(tmp_path: Path, encoding: str) -> None:
    """leader/09 says MARC-8, the bytes are TCVN3/VNI/VISCII/Windows-1258: each subfield is decoded
    in that encoding (NFC), the leader and raw bytes are kept, and the reading is reported."""
    raw = vietnamese_record(encoding)
    assert raw.decode("latin-1").count("\x1f") == 4  # the legacy bytes never hold a delimiter
    path = tmp_path / f"{encoding}.mrc"
    path.write_bytes(raw)
    (item,) = read(path)
    assert item.error is None and item.raw == raw
    assert item.record.leader[9] == " "
    assert item.record["245"].get_subfields("a", "c") == [TITLE_VI, AUTHOR_VI]
    assert item.record["260"].get_subfields("a", "b") == ["Hà Nội :", PUBLISHER_VI]
    assert all(unicodedata.is_normalized("NFC", s.value) for f in item.record.fields for s in f.subfields)
    assert item.control_number == "VN1"
    assert item.fixes == [("record.legacy_decoded", {"encoding": encoding})]


def test_short_record_takes_the_encoding_the_file_has_shown(tmp_path: Path) -> None:
    """VISCII "Thị xã" reads as TCVN3 "Thá xó" too; after a record that is clearly VISCII, the same
    file's short record is read as VISCII. Alone in its file, the more common TCVN3 wins."""
    short = legacy_iso2709(("245", [("a", encode_legacy("Thị xã", "VISCII"))]), control="VN2")
    alone = tmp_path / "alone.mrc"
    alone.write_bytes(short)
    (by_itself,) = read(alone)
    assert by_itself.record["245"]["a"] == "Thá xó"
    assert by_itself.fixes == [("record.legacy_decoded", {"encoding": "TCVN3"})]

    together = tmp_path / "together.mrc"
    together.write_bytes(vietnamese_record("VISCII") + short)
    first, second = read(together)
    assert first.fixes == [("record.legacy_decoded", {"encoding": "VISCII"})]
    assert second.record["245"]["a"] == "Thị xã"
    assert second.fixes == [("record.legacy_decoded", {"encoding": "VISCII"})]
    # the evidence is per file: the short record alone is read as before in a new file
    assert read(alone)[0].record["245"]["a"] == "Thá xó"


def test_a_clear_record_keeps_its_own_encoding_in_a_mixed_file(tmp_path: Path) -> None:
    """A file that has shown VISCII three times does not force VISCII on a record whose values are
    clearly VNI."""
    path = tmp_path / "mixed.mrc"
    viscii = [vietnamese_record("VISCII", control=f"V{n}") for n in range(3)]
    path.write_bytes(b"".join(viscii) + vietnamese_record("VNI", control="N1"))
    items = read(path)
    assert [i.record["245"]["a"] for i in items] == [TITLE_VI] * 4
    assert [i.fixes for i in items] == [[("record.legacy_decoded", {"encoding": "VISCII"})]] * 3 + [
        [("record.legacy_decoded", {"encoding": "VNI"})]
    ]


def test_damaged_legacy_record_is_decoded_after_pymarc_repairs_it(tmp_path: Path) -> None:
    """A TCVN3 record whose leader understates its length: the lean parser refuses it, pymarc reads
    it (bytes kept as they are) and the values are still decoded as TCVN3."""
    raw = vietnamese_record("TCVN3")
    damaged = b"%05d" % (len(raw) - 10) + raw[5:]
    path = tmp_path / "damaged.mrc"
    path.write_bytes(damaged)
    (item,) = read(path)
    assert item.error is None and item.raw == damaged
    assert item.record["245"].get_subfields("a", "c") == [TITLE_VI, AUTHOR_VI]
    assert item.fixes == [("record.legacy_decoded", {"encoding": "TCVN3"})]


def test_viscii_letter_on_the_field_terminator_byte_does_not_break_the_file(tmp_path: Path) -> None:
    """VISCII writes Ỵ as 0x1E, the MARC field terminator: the directory still places the field, and
    the record after it is read."""
    raw = legacy_iso2709(("245", [("a", encode_legacy("Ỵ " + TITLE_VI, "VISCII"))]))
    assert b"\x1e" in raw[raw.index(b"\x1fa") :][:3]
    path = tmp_path / "viscii-y.mrc"
    path.write_bytes(raw + vietnamese_record("VISCII", control="VN2"))
    first, second = read(path)
    assert first.error is None and first.record["245"]["a"] == "Ỵ " + TITLE_VI
    assert second.error is None and second.record["245"]["a"] == TITLE_VI


@pytest.mark.parametrize(
    ("mojibake", "expected", "encoding"),
    [
        pytest.param(TCVN3_MOJIBAKE, TITLE_VI, "TCVN3", id="TCVN3"),
        pytest.param(VNI_MOJIBAKE, "Xin chào các bạn", "VNI", id="VNI"),
        pytest.param(VISCII_CAPITALS_MOJIBAKE, "TỈNH ỦY LỤC NGẠN", "VISCII", id="VISCII, no Latin-1"),
        pytest.param("Das rÃ¶mische Recht", "Das römische Recht", "UTF-8", id="UTF-8 twice"),
    ],
)
@pytest.mark.parametrize("kind", ["iso2709", "marcxml"])
def test_mojibake_is_repaired_and_reported(
    tmp_path: Path, kind: str, mojibake: str, expected: str, encoding: str
) -> None:
    if kind == "iso2709":
        path = tmp_path / "records.mrc"
        path.write_bytes(make_record("M1", mojibake).as_marc())
    else:
        path = tmp_path / "records.xml"
        path.write_text(marcxml(xml_fields("M1", mojibake)), "utf-8")
    (item,) = read(path)
    assert item.error is None
    assert item.record["245"]["a"] == expected
    assert item.fixes == [("record.mojibake_repaired", {"fields": "245", "encoding": encoding})]


@pytest.mark.parametrize("kind", ["iso2709", "marcxml"])
def test_mojibake_fix_names_every_field_once_per_encoding(tmp_path: Path, kind: str) -> None:
    """One fix per record and encoding, naming the fields in record order; ASCII and correct values
    of the same record are untouched."""
    fields = [
        ("245", [("a", TCVN3_MOJIBAKE), ("c", "Nguyễn Du")]),
        ("260", [("a", "Hµ Néi :"), ("b", "Gi¸o dôc"), ("c", "2015")]),
        ("500", [("a", VNI_MOJIBAKE)]),
        ("650", [("a", "Khæ mÉu MARC")]),
    ]
    if kind == "iso2709":
        record = make_record("M2", "x")
        record.remove_fields("245")
        for tag, subfields in fields:
            record.add_field(
                Field(tag=tag, indicators=Indicators(" ", " "), subfields=[Subfield(*s) for s in subfields])
            )
        path = tmp_path / "records.mrc"
        path.write_bytes(record.as_marc())
    else:
        body = '<controlfield tag="001">M2</controlfield>' + "".join(
            f'<datafield tag="{tag}" ind1=" " ind2=" ">'
            + "".join(f'<subfield code="{c}">{v}</subfield>' for c, v in subfields)
            + "</datafield>"
            for tag, subfields in fields
        )
        path = tmp_path / "records.xml"
        path.write_text(marcxml(body), "utf-8")
    (item,) = read(path)
    assert item.record["245"].get_subfields("a", "c") == [TITLE_VI, "Nguyễn Du"]
    assert item.record["260"].get_subfields("a", "b", "c") == ["Hà Nội :", "Giáo dục", "2015"]
    assert item.record["500"]["a"] == "Xin chào các bạn"
    assert item.record["650"]["a"] == "Khổ mẫu MARC"
    assert item.fixes == [
        ("record.mojibake_repaired", {"encoding": "TCVN3", "fields": "245, 260, 650"}),
        ("record.mojibake_repaired", {"encoding": "VNI", "fields": "500"}),
    ]


CORRECT_TEXTS = [
    pytest.param(TITLE_VI, id="Vietnamese NFC"),
    pytest.param(unicodedata.normalize("NFD", "Truyện Kiều của Nguyễn Du"), id="Vietnamese NFD"),
    pytest.param("Où est le Café de la Gare ? Répertoire général", id="French"),
    pytest.param("Straße über die Größe: Änderungen für Bücher", id="German"),
    pytest.param("Ḥikāyāt al-ʻArab / كتاب الأغاني", id="Arabic and its romanisation"),
    pytest.param("红楼梦 / 紅樓夢 / 源氏物語", id="CJK"),
    pytest.param("Encyclopædia “Britannica” – 3rd ed. ©1797 £5 ½ · ¿Qué?", id="Latin-1 symbols"),
    pytest.param("Xin chao cac ban (VIQR: Xin cha`o ca'c ba.n)", id="ASCII"),
]


@pytest.mark.parametrize("text", CORRECT_TEXTS)
@pytest.mark.parametrize("kind", ["iso2709", "marcxml"])
def test_correct_text_is_never_changed(tmp_path: Path, kind: str, text: str) -> None:
    if kind == "iso2709":
        path = tmp_path / "records.mrc"
        record = make_record("C1", text)
        record.add_field(Field(tag="500", indicators=Indicators(" ", " "), subfields=[Subfield("a", text)]))
        path.write_bytes(record.as_marc())
    else:
        path = tmp_path / "records.xml"
        path.write_text(marcxml(xml_fields("C1", text)), "utf-8")
    (item,) = read(path)
    assert item.error is None and item.fixes == []
    assert item.record["245"]["a"] == text  # the very same characters, NFD included
    if kind == "iso2709":
        assert item.record["500"]["a"] == text


def test_real_marc8_records_read_as_pymarc_reads_them() -> None:
    """Real MARC-8 records from Evergreen (French: diacritics before their letter) are not taken for
    a Vietnamese encoding nor repaired: every field is what pymarc's MARC-8 decoder gives."""
    import pymarc

    path = Path(__file__).parent / "data" / "golden" / "evergreen-marc8.mrc"
    ours = read(path)
    with open(path, "rb") as handle:
        theirs = list(pymarc.MARCReader(handle, to_unicode=True, hide_utf8_warnings=True))
    marc8 = [
        (item, reference)
        for item, reference in zip(ours, theirs, strict=True)
        if ("record.utf8_repaired", {}) not in item.fixes  # those few are UTF-8 bytes, not MARC-8
    ]
    with_diacritics = [item for item, _ in marc8 if not item.raw.isascii()]
    assert len(with_diacritics) >= 5
    for item, reference in marc8:
        assert vietnamese_fixes(item) == []
        assert [str(f) for f in item.record.fields] == [str(f) for f in reference.fields]
    (dat,) = read(DATA / "marc8.dat")
    assert dat.fixes == []


def test_latin1_bytes_declaring_marc8_are_not_taken_for_vietnamese(tmp_path: Path) -> None:
    """Western European Latin-1 bytes in a record declaring MARC-8 are not Vietnamese: read with
    MARC-8 as before (whatever that gives), with no legacy reading reported."""
    import pymarc

    raw = legacy_iso2709(("245", [("a", "Où est le café ? Straße über Größe".encode("latin-1"))]))
    path = tmp_path / "latin1.mrc"
    path.write_bytes(raw)
    (item,) = read(path)
    assert vietnamese_fixes(item) == []
    reference = pymarc.Record(data=raw, to_unicode=True, hide_utf8_warnings=True)
    assert item.record["245"]["a"] == reference["245"]["a"]


@pytest.mark.parametrize(
    ("key", "params"),
    [
        ("record.legacy_decoded", {"encoding": "TCVN3"}),
        ("record.mojibake_repaired", {"encoding": "VNI", "fields": "245, 260"}),
    ],
)
def test_vietnamese_fix_messages_in_both_languages(key: str, params: dict[str, str]) -> None:
    vi, en = t(key, "vi", **params), t(key, "en", **params)
    assert vi != en
    for text in (vi, en):
        assert all(value in text for value in params.values()) and "{" not in text
