"""Writes search.xml: hand-made MARCXML records (not real catalogue data) for the search tests
(tests/search). Each record is there for one point of Vietnamese searching: look-alike words that
differ only by tone (Ma, Má, Mà), old and new tone placement (hoà/hòa, khoẻ/khỏe), đ, ISBN-10 and
ISBN-13 forms. Run `python tests/data/search/make_search_fixture.py` to write it again."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

RECORDS = [
    # control, date entered (008/00-05), year, author, title, subtitle, subjects, isbn, publisher
    ("TK-S001", "230105", "2001", "Lê, Văn Tám,", "Ma làng", "truyện ngắn", ["Truyện ngắn"], None, "Văn học"),
    ("TK-S002", "230210", "2005", "Trần, Thị Lan,", "Má tôi", "hồi ký", ["Hồi ký"], None, "Phụ nữ"),
    ("TK-S003", "230315", "2010", "Phạm, Quang Huy,", "Mà thôi", "thơ", ["Thơ"], None, "Hội Nhà văn"),
    (
        "TK-S004",
        "230420",
        "1998",
        "Nguyễn, Văn Hoà,",
        "Hoà bình và phát triển",
        None,
        ["Chính trị"],
        None,
        "Chính trị quốc gia",
    ),
    (
        "TK-S005",
        "230525",
        "2015",
        "Vũ, Thị Khỏe,",
        "Sức khỏe gia đình",
        "cẩm nang",
        ["Y học thường thức"],
        "9786040005557",
        "Y học",
    ),
    (
        "TK-S006",
        "230630",
        "2019",
        "Đỗ, Đức Đạt,",
        "Đường về quê",
        "tiểu thuyết",
        ["Tiểu thuyết"],
        None,
        "Trẻ",
    ),
    (
        "TK-S007",
        "230705",
        "2012",
        "Hoàng, Minh Tuấn,",
        "Lịch sử Việt Nam",
        "từ nguồn gốc đến năm 1858",
        ["Lịch sử"],
        "978-604-957-123-7",
        "Giáo dục Việt Nam",
    ),
    (
        "TK-S008",
        "230810",
        "1985",
        "Smith, John,",
        "Mathematics for engineers",
        None,
        ["Mathematics"],
        "0-306-40615-2",
        "Plenum",
    ),
]


def datafield(tag: str, subfields: list[tuple[str, str]], ind1: str = " ", ind2: str = " ") -> str:
    inner = "".join(f'\n    <subfield code="{c}">{escape(v)}</subfield>' for c, v in subfields)
    return f'  <datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">{inner}\n  </datafield>\n'


def record(control: str, entered: str, year: str, author: str, title: str, subtitle: str | None,
           subjects: list[str], isbn: str | None, publisher: str) -> str:  # fmt: skip
    language = "eng" if control == "TK-S008" else "vie"
    out = ["<record>\n", "  <leader>00000nam a2200000 a 4500</leader>\n"]
    out.append(f'  <controlfield tag="001">{control}</controlfield>\n')
    out.append(
        f'  <controlfield tag="008">{entered}s{year}    vm            000 0 {language} d</controlfield>\n'
    )
    if isbn:
        out.append(datafield("020", [("a", isbn)]))
    out.append(datafield("041", [("a", language)], "0"))
    out.append(datafield("100", [("a", author)], "1"))
    parts = [("a", f"{title} :" if subtitle else f"{title} /")]
    if subtitle:
        parts.append(("b", f"{subtitle} /"))
    parts.append(("c", author.rstrip(",")))
    out.append(datafield("245", parts, "1", "0"))
    out.append(datafield("260", [("a", "H. :"), ("b", f"{publisher},"), ("c", year)]))
    out += [datafield("650", [("a", s), ("2", "Bộ TK TVQG")], " ", "7") for s in subjects]
    out.append("</record>\n")
    return "".join(out)


def main() -> None:
    text = '<?xml version="1.0" encoding="UTF-8"?>\n'
    text += "<!-- Hand-made records for the search tests; written by make_search_fixture.py. -->\n"
    text += '<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
    text += "".join(record(*r) for r in RECORDS)
    text += "</collection>\n"
    Path(__file__).with_name("search.xml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
