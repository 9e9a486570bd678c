"""Regenerate ``vietnamese-koha.mrc``: three hand-made Vietnamese demo records, ISO 2709, UTF-8.

The records imitate a Vietnamese Koha export (library code DEMO-VN2): MARC 21 + AACR2 + DDC,
leader/09 = 'a', 001 = Koha biblionumber, 942 (Koha item type), 952 items whose $p barcode is
the ĐKCB accession number, 999 $c/$d (biblionumber/biblioitemnumber).  They are demo data, not
real catalogue records: see SOURCES.md for which facts are real and which are illustrative.

Usage (from the repository root, in any environment with pymarc 5.x)::

    python data/sample/make_vietnamese_iso2709.py

The output is deterministic: running the script twice gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pymarc import Field, Indicators, Record, Subfield

OUTPUT = Path(__file__).with_name("vietnamese-koha.mrc")
LIBRARY = "DEMO-VN2"

# (tag, indicators, [(code, value), ...]); control fields use indicators=None and one value.
FieldSpec = tuple[str, str | None, list[tuple[str, str]]]


def fixed_008(entered: str, year: str, literary_form: str, illus: str = "    ", audience: str = " ") -> str:
    """Books 008: single date, place 'vm ', language 'vie', cataloguing source 'd'."""
    value = f"{entered}s{year}    vm {illus}{audience}      000 {literary_form} vie d"
    assert len(value) == 40, value
    return value


def item(barcode: str, call_number: str, holding: str = "TVTT", copy: str = "1") -> FieldSpec:
    """A Koha 952 item: status flags, branches, shelving location, call number, ĐKCB barcode."""
    return (
        "952",
        "  ",
        [
            ("0", "0"),  # withdrawn
            ("1", "0"),  # lost
            ("4", "0"),  # damaged
            ("7", "0"),  # not for loan
            ("a", "TVTT"),  # home branch
            ("b", holding),  # holding branch
            ("c", "KM"),  # shelving location: kho mượn (lending stock)
            ("d", "2024-03-20"),  # date accessioned
            ("o", call_number),
            ("p", barcode),  # ĐKCB (số đăng ký cá biệt)
            ("t", copy),
            ("y", "SACH"),  # item type
            ("2", "ddc"),
        ],
    )


def koha_tail(biblionumber: str) -> list[FieldSpec]:
    return [("999", "  ", [("c", biblionumber), ("d", biblionumber)])]


def common(biblionumber: str, timestamp: str, f008: str) -> list[FieldSpec]:
    return [
        ("001", None, [("", biblionumber)]),
        ("003", None, [("", LIBRARY)]),
        ("005", None, [("", timestamp)]),
        ("008", None, [("", f008)]),
        ("040", "  ", [("a", LIBRARY), ("b", "vie"), ("c", LIBRARY)]),
        ("041", "0 ", [("a", "vie")]),
    ]


RECORDS: list[list[FieldSpec]] = [
    # Vợ nhặt (Kim Lân): 100 ind1=0 pen name, 505 contents.
    common("1021", "20240320101500.0", fixed_008("240320", "2019", "j"))
    + [
        ("082", "04", [("a", "895.9223"), ("2", "23")]),
        ("100", "0 ", [("a", "Kim Lân,"), ("d", "1920-2007")]),
        ("245", "10", [("a", "Vợ nhặt :"), ("b", "truyện ngắn /"), ("c", "Kim Lân")]),
        ("260", "  ", [("a", "H. :"), ("b", "Văn học,"), ("c", "2019")]),
        ("300", "  ", [("a", "207 tr. ;"), ("c", "21 cm")]),
        ("500", "  ", [("a", 'Truyện "Vợ nhặt" in lần đầu trong tập "Con chó xấu xí" (1962)')]),
        ("505", "0 ", [("a", "Làng -- Vợ nhặt -- Con chó xấu xí")]),
        (
            "520",
            "  ",
            [("a", 'Tràng, anh cu nghèo ở xóm ngụ cư, "nhặt" được vợ giữa nạn đói năm 1945.')],
        ),
        ("650", " 4", [("a", "Văn học Việt Nam")]),
        ("650", " 4", [("a", "Truyện ngắn")]),
        ("653", "  ", [("a", "Nạn đói năm 1945")]),
        ("942", "  ", [("2", "ddc"), ("c", "SACH")]),
        item("VV.020101", "895.9223 KI-L"),
    ]
    + koha_tail("1021"),
    # Đất rừng phương Nam (Đoàn Giỏi): juvenile, illustrated, 250, two items in two branches.
    common("1022", "20240320103212.0", fixed_008("240320", "2018", "f", illus="a   ", audience="j"))
    + [
        ("082", "04", [("a", "895.9223"), ("2", "23")]),
        ("100", "0 ", [("a", "Đoàn Giỏi,"), ("d", "1925-1989")]),
        ("245", "10", [("a", "Đất rừng phương Nam /"), ("c", "Đoàn Giỏi")]),
        ("250", "  ", [("a", "Tái bản lần thứ 3")]),
        ("260", "  ", [("a", "H. :"), ("b", "Kim Đồng,"), ("c", "2018")]),
        ("300", "  ", [("a", "291 tr. :"), ("b", "tranh vẽ ;"), ("c", "21 cm")]),
        ("500", "  ", [("a", "Xuất bản lần đầu năm 1957")]),
        (
            "520",
            "  ",
            [
                (
                    "a",
                    "Câu chuyện về cậu bé An lưu lạc khắp vùng rừng U Minh và miền Tây Nam Bộ "
                    "trong những năm đầu kháng chiến chống Pháp.",
                )
            ],
        ),
        ("650", " 4", [("a", "Văn học thiếu nhi")]),
        ("650", " 4", [("a", "Tiểu thuyết")]),
        ("651", " 4", [("a", "Nam Bộ (Việt Nam)")]),
        ("942", "  ", [("2", "ddc"), ("c", "SACH")]),
        item("VV.020201", "895.9223 DO-G"),
        item("VV.020202", "895.9223 DO-G", holding="CS2", copy="2"),
    ]
    + koha_tail("1022"),
    # Vang bóng một thời (Nguyễn Tuân): 100 ind1=1 inverted LC form, 505 partial contents.
    common("1023", "20240321090045.0", fixed_008("240321", "2020", "j"))
    + [
        ("082", "04", [("a", "895.9223"), ("2", "23")]),
        ("100", "1 ", [("a", "Nguyễn, Tuân,"), ("d", "1910-1987")]),
        ("245", "10", [("a", "Vang bóng một thời /"), ("c", "Nguyễn Tuân")]),
        ("260", "  ", [("a", "H. :"), ("b", "Hội Nhà văn,"), ("c", "2020")]),
        ("300", "  ", [("a", "191 tr. ;"), ("c", "20 cm")]),
        ("500", "  ", [("a", "Xuất bản lần đầu năm 1940")]),
        ("505", "2 ", [("a", "Chữ người tử tù -- Hương cuội")]),
        ("650", " 4", [("a", "Văn học Việt Nam")]),
        ("650", " 4", [("a", "Truyện ngắn")]),
        ("653", "  ", [("a", "Văn học hiện đại")]),
        ("942", "  ", [("2", "ddc"), ("c", "SACH")]),
        item("VV.020301", "895.9223 NG-T"),
    ]
    + koha_tail("1023"),
]


def build(specs: list[FieldSpec]) -> Record:
    record = Record(leader="00000nam a2200000 a 4500", force_utf8=True)
    for tag, indicators, pairs in specs:
        if indicators is None:
            record.add_field(Field(tag=tag, data=pairs[0][1]))
            continue
        subfields = [Subfield(code, unicodedata.normalize("NFC", value)) for code, value in pairs]
        record.add_field(Field(tag=tag, indicators=Indicators(*indicators), subfields=subfields))
    return record


def main() -> None:
    data = b"".join(build(specs).as_marc() for specs in RECORDS)
    OUTPUT.write_bytes(data)
    print(f"wrote {len(RECORDS)} records ({len(data)} bytes) to {OUTPUT}")


if __name__ == "__main__":
    main()
