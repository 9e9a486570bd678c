"""Copy the golden selection out of the shared corpus and write SOURCES.md (run once, from the root).

    python tests/data/golden/extract.py [CORPUS]      # CORPUS defaults to /work/shared/corpus

ISO 2709 records are copied as their exact bytes (record terminator included), concatenated.
MARCXML records are copied as their exact text, from the `<record` start tag to the `</record>`
end tag, into one small collection per group; the collection's start tag is chosen so that every
namespace prefix the records rely on stays declared. Every copied record is then read back with
lod.marcio and compared, field by field, with the same record read from the corpus file.
The expected graphs are not written here: `python -m tests.converters.golden` does that.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.path.insert(0, str(ROOT))

from lod.marcio import read_marc  # noqa: E402
from tests.converters import golden  # noqa: E402

LC = "marcxml/lc-marc2bibframe2-dataset/"
EG = "marc/evergreen/"
OL = "marc/openlibrary/"
NS = "http://www.loc.gov/MARC21/slim"


@dataclass(frozen=True)
class Group:
    file: str
    why: str
    collection: str = ""
    """MARCXML only: the collection start tag wrapped around the copied records."""
    end: str = ""


@dataclass(frozen=True)
class Pick:
    group: str
    path: str
    position: int
    why: str


GROUPS = [
    Group(
        "lc-dataset.xml",
        "LC marc2bibframe2 comparison dataset, all 7 libraries (each record declares its own namespace)",
        f'<marcxml:collection xmlns:marcxml="{NS}">',
        "</marcxml:collection>",
    ),
    Group(
        "aco.xml",
        "Arabic Collections Online: heavy 880 (Arabic script) use, 7 partner libraries",
        f'<collection xmlns="{NS}">',
        "</collection>",
    ),
    Group(
        "evergreen-marc8.mrc",
        "Evergreen test sets, MARC-8 declared (the FSL and map records are UTF-8 bytes behind that leader)",
    ),
    Group("evergreen-rda.mrc", "Evergreen single RDA records (UTF-8): CD, DVD, map, photo, score, serial"),
    Group("authority.mrc", "Evergreen authority records (leader/06 z)"),
    Group(
        "holdings.xml",
        "Evergreen MFHD holdings (leader/06 y) and their bib record; MARCXML without namespace",
        "<collection>",
        "</collection>",
    ),
    Group("openlibrary.mrc", "Open Library import test records: real-world quirks"),
    Group(
        "openlibrary.xml",
        "Open Library MARCXML test records (each a stand-alone `<record>` declaring its namespace)",
        f'<collection xmlns="{NS}">',
        "</collection>",
    ),
    Group("pymarc.mrc", "pymarc test files: odd but readable records"),
]

PICKS = [
    # --- LC marc2bibframe2 dataset: 7 libraries -------------------------------------------------
    Pick(
        "lc-dataset.xml",
        LC + "british_library.xml",
        77,
        "BL serial: 130, 246 ind2 7, 776/780 links, 856, 022, 035 OCoLC",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "british_library.xml",
        94,
        "BL monograph: 490/830, 505, 651 with $x$y, 043, 050+082",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "british_library.xml",
        65,
        "BL serial: 084, 321 former frequency, 770 supplement link, 246 ind2 3",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "dnb.xml",
        35,
        "DNB serial: NFD diacritics, 016, 041, 247, 6XX $2, 787 link, 110",
    ),
    Pick(
        "lc-dataset.xml", LC + "dnb.xml", 57, "DNB monograph: 024 ind1 3 (EAN), 502 thesis, 600, 490/830, 856"
    ),
    Pick(
        "lc-dataset.xml",
        LC + "dnb.xml",
        12,
        "DNB serial: 648 chronological, 655, 772 parent link, 246 ind2 9",
    ),
    Pick(
        "lc-dataset.xml", LC + "gwu.xml", 53, "GWU Chinese book: 880 for 111/245/246/250/260/490/520/700, 776"
    ),
    Pick(
        "lc-dataset.xml",
        LC + "gwu.xml",
        5,
        "GWU sound recording (j): 024, 028, 033, 240, 505, 511, 518, 533, 773",
    ),
    Pick("lc-dataset.xml", LC + "gwu.xml", 82, "GWU kit (o): 336-338, 546, 508, 880 for 505/508"),
    Pick("lc-dataset.xml", LC + "gwu.xml", 63, "GWU Japanese serial: 880 for 362/550/710/767/780, 066"),
    Pick(
        "lc-dataset.xml",
        LC + "loc_general.xml",
        67,
        "LC book: 6XX with $v$x$y$z, 520, 521, 586, 856, 490/830, 020",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "loc_general.xml",
        76,
        "LC book: 505, 610, 700, 246 ind2 0 (marc: prefix in the XML)",
    ),
    Pick("lc-dataset.xml", LC + "loc_general.xml", 99, "LC book: 246, 440 (obsolete series), 600, 710"),
    Pick("lc-dataset.xml", LC + "nlm.xml", 97, "NLM serial: 060, 246 with ind2 blank/0/1/4, 510, 546, 780"),
    Pick("lc-dataset.xml", LC + "nlm.xml", 57, "NLM analytic (leader/07 a): 773 host, 711 meeting, 088, 630"),
    Pick("lc-dataset.xml", LC + "nlm.xml", 37, "NLM book: 250, 263 projected date, 730, 504"),
    Pick(
        "lc-dataset.xml",
        LC + "oclc.xml",
        66,
        "OCLC music sound recording in Irish: 047/048, 033, 511, 518, 505",
    ),
    Pick("lc-dataset.xml", LC + "oclc.xml", 22, "OCLC video (g): 090, 490/830, 520, 730"),
    Pick(
        "lc-dataset.xml", LC + "oclc.xml", 7, "OCLC nonmusical sound (i): 306 duration, 655 with $2, 6XX $y"
    ),
    Pick(
        "lc-dataset.xml",
        LC + "oclc.xml",
        2,
        "OCLC book: damaged leader ('450 ' for 4500), XML comments in the record, 776, 015, 508",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "princeton.xml",
        58,
        "Princeton Arabic manuscript (t): 880 for 100/245/246/500, 541/561/563",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "princeton.xml",
        13,
        "Princeton archival photographs (k, leader/07 c): 544/545, 600/610/651",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "princeton.xml",
        6,
        "Princeton Japanese book (a panorama map): 880 for 100/245/260/490/830",
    ),
    Pick(
        "lc-dataset.xml",
        LC + "princeton.xml",
        11,
        "Princeton Maya manuscript: 130, 041, 546, 773, 752, 524, 581",
    ),
    # --- ACO: many 880s ---------------------------------------------------------------------------
    Pick(
        "aco.xml", "marcxml/aco_aub.xml", 2198, "AUB: 880 for 100/240/245/246/264/300/490/700/773/775/787/830"
    ),
    Pick("aco.xml", "marcxml/aco_aub.xml", 2432, "AUB: 505 with $t/$r, 111 meeting and 880 111/710, 651/655"),
    Pick("aco.xml", "marcxml/aco_aub.xml", 3477, "AUB: 264 ind2 0 (production) with 880 264, 6XX $x$z"),
    Pick("aco.xml", "marcxml/aco_auc.xml", 148, "AUC: 880 for 100/245/264/490/500/600/700/800, 776"),
    Pick("aco.xml", "marcxml/aco_auc.xml", 90, "AUC: 880 for 505 and 600, 246 ind2 3, 490/830"),
    Pick("aco.xml", "marcxml/aco_auc.xml", 22, "AUC: 264 ind2 1 and 3 (manufacture), 880 264, 245 nonfiling"),
    Pick("aco.xml", "marcxml/aco_auc.xml", 227, "AUC: corporate 110/610/710 with 880s"),
    Pick(
        "aco.xml", "marcxml/aco_columbia.xml", 716, "Columbia: 880 for 100/245/246/264/490/830, 630, 655 $2"
    ),
    Pick("aco.xml", "marcxml/aco_cornell.xml", 381, "Cornell: 880 for 100/240/245/246/260, 740"),
    Pick(
        "aco.xml",
        "marcxml/aco_nyu.xml",
        139,
        "NYU: blank leader length, 880 for 100/240/245/246/260/490/700/740, 533, 856",
    ),
    Pick(
        "aco.xml",
        "marcxml/aco_princeton.xml",
        1551,
        "Princeton: 880 for 600, 024 ind1 7, 852/866 holdings in bib",
    ),
    Pick(
        "aco.xml",
        "marcxml/aco_uaena.xml",
        30,
        "UAE National Archives: Arabic script in the main fields (no 880), 505 $t/$r",
    ),
    # --- Evergreen, MARC-8 declared -------------------------------------------------------------------
    Pick(
        "evergreen-marc8.mrc",
        EG + "lul_fre_500.mrc",
        151,
        "French, MARC-8 diacritics, 245 nonfiling 3, 505, 651 $x$y",
    ),
    Pick("evergreen-marc8.mrc", EG + "lul_fre_500.mrc", 168, "French, MARC-8 diacritics, 440, 502, 600"),
    Pick(
        "evergreen-marc8.mrc",
        EG + "lul_fre_500.mrc",
        58,
        "French, MARC-8 diacritics (père, Montréal), 610, 740",
    ),
    Pick(
        "evergreen-marc8.mrc",
        EG + "hebrew.marc",
        20,
        "Hebrew in MARC-8 880 (245/246), 130 uniform title, 630",
    ),
    Pick("evergreen-marc8.mrc", EG + "hebrew.marc", 19, "Hebrew 880, 240, 246 ind2 0 and 2, 600"),
    Pick(
        "evergreen-marc8.mrc",
        EG + "FSL.marc",
        40,
        "Cyrillic, UTF-8 bytes behind a MARC-8 leader, 246 ind2 4, 505, 653",
    ),
    Pick(
        "evergreen-marc8.mrc", EG + "FSL.marc", 51, "Armenian, UTF-8 bytes behind a MARC-8 leader, 505 $t/$r"
    ),
    Pick("evergreen-marc8.mrc", EG + "jazz_1k.mrc", 831, "Jazz sound recording (j): 007, 041, 505, 730"),
    Pick(
        "evergreen-marc8.mrc",
        EG + "jazz_1k.mrc",
        338,
        "Jazz sound recording collection (leader/07 c): 511, 710, 246",
    ),
    Pick("evergreen-marc8.mrc", EG + "jazz_1k.mrc", 6, "Jazz printed score (c), 349, 596"),
    Pick("evergreen-marc8.mrc", EG + "jazz_1k.mrc", 229, "Jazz video (g) with 505 and 650 $x$z"),
    Pick(
        "evergreen-marc8.mrc", EG + "jazz_1k.mrc", 938, "Jazz serial (s): 022, 310/362, 780, 055, 035 OCoLC"
    ),
    Pick(
        "evergreen-marc8.mrc",
        EG + "map_data.mrc",
        1,
        "Map (e): 034, 255, 852, UTF-8 bytes behind a MARC-8 leader",
    ),
    Pick("evergreen-marc8.mrc", EG + "oss.marc", 35, "Book: 020 $z, 533 reproduction, 630, 655, 776, 856"),
    Pick("evergreen-marc8.mrc", EG + "oss.marc", 36, "Analytic (leader/07 a): 773, 711, 506, 538, 866"),
    # --- Evergreen RDA (UTF-8) -----------------------------------------------------------------------
    Pick(
        "evergreen-rda.mrc",
        EG + "RDA/RDA_record_CD_Claudia.mrc",
        1,
        "RDA CD: 264 ind2 1 and 4, 505 $t/$r, 024 ind1 3",
    ),
    Pick(
        "evergreen-rda.mrc",
        EG + "RDA/RDA_record_DVD-BLUE-RAY-MOVIE_Pineapple_express.mrc",
        1,
        "RDA video: 257, 508, 511, 521, 538, 546, 655 $2",
    ),
    Pick(
        "evergreen-rda.mrc",
        EG + "RDA/RDA_record_MAP_2012_Enchanted_Circle.mrc",
        1,
        "RDA map: 034, 130, 255, 651",
    ),
    Pick(
        "evergreen-rda.mrc",
        EG + "RDA/RDA_record_PHOTO_Srid_pa_ho.mrc",
        1,
        "RDA photograph (k): 264 ind2 0, 336-338, 546",
    ),
    Pick(
        "evergreen-rda.mrc",
        EG + "RDA/RDA_record_SCORE_Intermediate_studies.mrc",
        1,
        "RDA score: 264 ind2 1, 2 and 4, 028, 250",
    ),
    Pick(
        "evergreen-rda.mrc",
        EG + "RDA/RDA_record_SERIAL_IEEE_International_conference.mrc",
        1,
        "RDA serial conference proceedings",
    ),
    # --- authority ------------------------------------------------------------------------------------
    Pick(
        "authority.mrc",
        "authority/evergreen/authority-record.mrc",
        1,
        "Topical authority: 150 with 450/550, 670/681",
    ),
    Pick(
        "authority.mrc",
        "authority/evergreen/auth-1066.mrc",
        4,
        "IISH local 103 heading only, with a diacritic (Maoïsme)",
    ),
    Pick("authority.mrc", "authority/evergreen/auth-1066.mrc", 11, "IISH local 103 with 503 see-also"),
    Pick(
        "authority.mrc",
        "authority/evergreen/auth-1066.mrc",
        31,
        "IISH local 103 with 403 (one without $a) and 503s",
    ),
    # --- holdings ------------------------------------------------------------------------------------
    Pick(
        "holdings.xml",
        "holdings/evergreen/serials_marc21.xml",
        1,
        "The serial bib record the MFHDs belong to: 022, 310/321, 580, 787",
    ),
    Pick("holdings.xml", "holdings/evergreen/serials_mfhd.xml", 1, "MFHD with two 001s, 852 and 856"),
    Pick(
        "holdings.xml",
        "holdings/evergreen/serials_mfhd.xml",
        3,
        "MFHD with 852, 853 captions and 863 enumeration",
    ),
    Pick(
        "holdings.xml",
        "holdings/evergreen/serials_mfhd.xml",
        5,
        "MFHD with 530, 590, 853/863 and 866 textual holdings",
    ),
    # --- Open Library ---------------------------------------------------------------------------------
    Pick(
        "openlibrary.mrc",
        OL + "880_arabic_french_many_linkages.mrc",
        1,
        "Arabic/French: 880 for 245/250/260/490/700/710/830, 020 $z",
    ),
    Pick(
        "openlibrary.mrc", OL + "880_Nihon_no_chasho.mrc", 1, "Japanese 880s (245/260/490/700/830), 797 local"
    ),
    Pick(
        "openlibrary.mrc", OL + "710_org_name_in_direct_order.mrc", 1, "Chinese serial: 880 for 362/710/780"
    ),
    Pick(
        "openlibrary.mrc",
        OL + "880_table_of_contents.mrc",
        1,
        "Russian in MARC-8 (Cyrillic escape sequences), 505, 740",
    ),
    Pick(
        "openlibrary.mrc",
        OL + "lesnoirsetlesrou0000garl_meta.mrc",
        1,
        "French, MARC-8: 020 with $q, 024 ind1 3, 760 series link, 338",
    ),
    Pick("openlibrary.mrc", OL + "ithaca_two_856u.mrc", 1, "Serial with two 856 $u, 130, 780/785"),
    Pick("openlibrary.mrc", OL + "talis_two_authors.mrc", 1, "Talis: 111 and 711 meetings"),
    Pick("openlibrary.mrc", OL + "talis_no_title.mrc", 1, "Talis record with no 245 at all"),
    Pick("openlibrary.mrc", OL + "talis_empty_245.mrc", 1, "Talis score with an empty 245"),
    Pick("openlibrary.mrc", OL + "wrapped_lines.mrc", 1, "Long wrapped 260/300 lines, 086, 510, 610"),
    Pick("openlibrary.mrc", OL + "9999_sd_dates.mrc", 1, "008 dates 9999, Urdu"),
    Pick(
        "openlibrary.mrc",
        OL + "lesabndioeinas00sche_meta.mrc",
        1,
        "Leader/06 x (holdings), UTF-8 behind MARC-8 leader, indicator damage",
    ),
    Pick(
        "openlibrary.mrc",
        OL + "dasrmischepriv00rein_meta.mrc",
        1,
        "Double-encoded UTF-8 (mojibake) and fields with more than 2 indicators",
    ),
    Pick(
        "openlibrary.xml",
        "marcxml/openlibrary/nybc200247_marc.xml",
        1,
        "Yiddish: 880 for 100/245, 533, 060, 084",
    ),
    Pick(
        "openlibrary.xml",
        "marcxml/openlibrary/abhandlungender01ggoog_marc.xml",
        1,
        "Serial with alphabetic tags (AVA, CAT, FMT...), 866, 538",
    ),
    # --- pymarc: odd but readable ---------------------------------------------------------------------
    Pick("pymarc.mrc", "marc/pymarc/alphatag.dat", 1, "Alphabetic tag CAT, 240, 520"),
    Pick(
        "pymarc.mrc", "marc/pymarc/bad_indicator.dat", 1, "A field with missing indicators (reader warning)"
    ),
    Pick(
        "pymarc.mrc",
        "marc/pymarc/bad_eacc_encoding.dat",
        1,
        "MARC-8 EACC (CJK) 880 with a bad multibyte sequence",
    ),
    Pick(
        "pymarc.mrc",
        "marc/pymarc/1251.dat",
        1,
        "Windows-1251 bytes that claim MARC-8: garbled text, 080 UDC, 084",
    ),
]


RECORD_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?record(?=[\s>/])")
RECORD_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?record\s*>")


def xml_records(data: bytes) -> list[bytes]:
    """The text of every MARC `record` element, in order (no nested records in the corpus)."""
    result = []
    pos = 0
    while match := RECORD_START.search(data, pos):
        end = RECORD_END.search(data, match.end())
        if end is None:
            break
        result.append(data[match.start() : end.end()])
        pos = end.end()
    return result


def fingerprint(record: Any) -> tuple[object, ...]:
    fields: list[tuple[object, ...]] = []
    for f in record.fields:
        if f.is_control_field():
            fields.append((f.tag, f.data))
        else:
            fields.append((f.tag, tuple(f.indicators), tuple((s.code, s.value) for s in f.subfields)))
    return (str(record.leader), tuple(fields))


def copy_out(corpus: Path) -> dict[tuple[str, int], tuple[str, int]]:
    """Write every group file; return (corpus path, position) -> (group file, position in it)."""
    placed: dict[tuple[str, int], tuple[str, int]] = {}
    for group in GROUPS:
        picks = [p for p in PICKS if p.group == group.file]
        chunks = []
        for n, pick in enumerate(picks, 1):
            data = (corpus / pick.path).read_bytes()
            if group.collection:
                chunks.append(xml_records(data)[pick.position - 1])
            else:
                (item,) = [i for i in read_marc(corpus / pick.path) if i.position == pick.position]
                assert item.raw in data, pick
                chunks.append(item.raw)
            placed[(pick.path, pick.position)] = (group.file, n)
        out = HERE / group.file
        if group.collection:
            body = b"\n".join(chunks)
            head = f'<?xml version="1.0" encoding="UTF-8"?>\n{group.collection}\n'.encode()
            out.write_bytes(head + body + f"\n{group.end}\n".encode())
        else:
            out.write_bytes(b"".join(chunks))
    return placed


def verify(corpus: Path, placed: dict[tuple[str, int], tuple[str, int]]) -> None:
    copies = {g.file: list(read_marc(HERE / g.file)) for g in GROUPS}
    for (path, position), (file, n) in placed.items():
        (original,) = [i for i in read_marc(corpus / path) if i.position == position]
        copy = copies[file][n - 1]
        assert original.record is not None and copy.record is not None, (path, position)
        assert fingerprint(original.record) == fingerprint(copy.record), (path, position)
        assert original.fixes == copy.fixes, (path, position)
    for group in GROUPS:
        expected = sum(p.group == group.file for p in PICKS)
        assert len(copies[group.file]) == expected, (group.file, len(copies[group.file]), expected)


def write_sources(corpus: Path, placed: dict[tuple[str, int], tuple[str, int]]) -> None:
    manifest = {entry["path"]: entry for entry in json.loads((corpus / "MANIFEST.json").read_text())}
    records = {(r.path.name, r.position): r for r in golden.all_records().values() if r.real}
    lines = [
        "# Golden records: where every one comes from",
        "",
        "Real catalogue records copied out of the shared corpus (`/work/shared/corpus`, see its",
        "SOURCES.md and MANIFEST.json) by `extract.py` in this folder, for the golden conversion",
        "tests (`tests/converters/test_golden.py`, machinery in `tests/converters/golden.py`).",
        "",
        "- **ISO 2709** files (`*.mrc`): each record's exact bytes, record terminator included,",
        "  concatenated in the order below.",
        "- **MARCXML** files (`*.xml`): each `<record>` element copied as its exact text (start",
        "  tag to end tag, namespace declarations, comments and whitespace included) into one",
        "  collection per group, whose start tag keeps every prefix the records rely on declared.",
        "- `extract.py` reads every copy back and checks it field by field against the corpus record.",
        "",
        "The key of a record is `<file stem>-<001>`: its expected graph is `expected/<key>.ttl`",
        "(regenerate with `python -m tests.converters.golden` from the project root). The",
        "Vietnamese fixtures `data/sample/vietnamese.xml` and `data/sample/vietnamese-koha.mrc`",
        "(hand-made, not real data) are part of the golden set too, read where they are.",
        "",
        "Corpus citations (`owner/name:path@commit`) are the corpus's; the ACO files in the corpus",
        "were already concatenated from single-record files (prefixes and indentation changed,",
        "values unchanged), so the ACO records here are byte-exact copies of the corpus text, not",
        "of the upstream files.",
        "",
        "Not in the corpus, so not here: authority records with 100/110/151 headings (the corpus",
        "has one 150 record and the IISH thesaurus, whose headings are in local tags 103/403/503).",
        "",
        "| key | golden file #n | corpus file | record # | 001 | citation | licence | why |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for group in GROUPS:
        for pick in (p for p in PICKS if p.group == group.file):
            file, n = placed[(pick.path, pick.position)]
            rec = records[(file, n)]
            entry = manifest[pick.path]
            lines.append(
                f"| `{rec.key}` | `{file}` #{n} | `{pick.path}` | {pick.position} | `{rec.control_number}` "
                f"| `{entry['source']}` | {entry['license']} | {pick.why} |"
            )
    total = sum((HERE / g.file).stat().st_size for g in GROUPS)
    lines += [
        "",
        f"{len(PICKS)} real records in {len(GROUPS)} files, {total:,} bytes.",
        "",
        "## Files",
        "",
        "| file | records | bytes | what |",
        "|---|---|---|---|",
        *[
            f"| `{g.file}` | {sum(p.group == g.file for p in PICKS)} | {(HERE / g.file).stat().st_size:,} "
            f"| {g.why} |"
            for g in GROUPS
        ],
        "",
        "## Vietnamese fixtures (hand-made, read in place)",
        "",
        "| key | file | record # | 001 |",
        "|---|---|---|---|",
        *[
            f"| `{r.key}` | `{r.path.relative_to(ROOT)}` | {r.position} | `{r.control_number}` |"
            for r in golden.all_records().values()
            if not r.real
        ],
        "",
    ]
    (HERE / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus")
    placed = copy_out(corpus)
    verify(corpus, placed)
    golden.all_records.cache_clear()
    write_sources(corpus, placed)
    print(f"{len(PICKS)} records copied into {len(GROUPS)} files under {HERE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
