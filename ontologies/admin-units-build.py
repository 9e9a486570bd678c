"""Rebuild the three admin-units CSV files of this folder from their sources (admin-units-SOURCES.md).

    .venv/bin/pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/vnpk
    .venv/bin/python ontologies/admin-units-build.py /tmp/vnpk/vietnamadminunits-1.0.4-py3-none-any.whl \\
        ../shared/corpus/registry/vietnam-admin/vn_only_simplified_json_generated_data_vn_units_minified.json

The wheel (MIT) gives the 34 provinces and 3,305 communes of 2025 (`data/parser_from_2025.json`) and
which pre-2025 provinces each new one absorbed (`data/converter_2025.json`, by unaccented key); the
ThangLeQuoc gazetteer (MIT) gives the 63 old provinces with their GSO codes. Any surprise in the
sources (a count, a code, an old province matched zero or twice) stops the build: nothing is written.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROVINCE_CODES = (
    "01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79 80 82 86 91 92 96"
).split()
"""The 34 province-level units of Resolution 202/2025/QH15, as coded by QĐ 19/2025/QĐ-TTg."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def unaccented_key(name: str) -> str:
    """The package's own key: 'Tỉnh Bà Rịa - Vũng Tàu' -> 'tinhbariavungtau'."""
    text = unicodedata.normalize("NFD", name).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"admin-units-build: {message}")


def write(name: str, header: list[str], rows: list[list[Any]]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main(wheel: str, gazetteer: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        parser = json.loads(z.read("vietnamadminunits/data/parser_from_2025.json"))
        converter = json.loads(z.read("vietnamadminunits/data/converter_2025.json"))
    old = json.loads(Path(gazetteer).read_text(encoding="utf-8"))

    provinces = parser["DICT_PROVINCE"]
    code_of = {key: p["provinceCode"] for key, p in provinces.items()}
    check(sorted(code_of.values()) == PROVINCE_CODES, f"province codes differ: {sorted(code_of.values())}")

    communes = []
    for key, wards in parser["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
        for w in wards.values():
            communes.append(
                [w["wardCode"], nfc(w["ward"]), nfc(w["wardShort"]), nfc(w["wardType"]), code_of[key]]
                + [w["wardLat"], w["wardLon"]]
            )
    codes = [c[0] for c in communes]
    check(all(re.fullmatch(r"\d{5}", c) for c in codes), "a commune code is not 5 digits")
    check(len(set(codes)) == len(codes) == 3305, f"{len(codes)} commune codes, {len(set(codes))} distinct")

    old_by_key = {unaccented_key(o["FullName"]): o for o in old}
    check(len(old_by_key) == len(old) == 63, f"{len(old)} old provinces, {len(old_by_key)} distinct keys")
    new_code: dict[str, str] = {}
    for key, absorbed in converter["DICT_PROVINCE"].items():
        for old_key in absorbed:
            check(old_key in old_by_key, f"{old_key!r} (absorbed by {key!r}) is not an old province")
            code = old_by_key[old_key]["Code"]
            check(code not in new_code, f"old province {code} is absorbed twice")
            new_code[code] = code_of[key]
    check(len(new_code) == 63, f"{63 - len(new_code)} old provinces are absorbed by none")

    write(
        "admin-units-2025-provinces.csv",
        ["code", "name", "short_name", "latitude", "longitude"],
        sorted(
            [
                p["provinceCode"],
                nfc(p["province"]),
                nfc(p["provinceShort"]),
                p["provinceLat"],
                p["provinceLon"],
            ]
            for p in provinces.values()
        ),
    )
    write(
        "admin-units-2025-communes.csv",
        ["code", "name", "short_name", "type", "province_code", "latitude", "longitude"],
        sorted(communes),
    )
    write(
        "admin-units-former-provinces.csv",
        ["code", "name", "new_code"],
        sorted([o["Code"], nfc(o["FullName"]), new_code[o["Code"]]] for o in old),
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
