"""Fuzzing the MARC readers and the converter: mutated fixture records (ISO 2709 and MARCXML,
UTF-8, MARC-8 and the legacy Vietnamese encodings) and random bytes each end in records or
RecordErrors that name them, never another exception or a hang (tests/fuzz/targets.py)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fuzz.profiles import LIMIT, examples
from tests.fuzz.strategies import marc_files
from tests.fuzz.targets import build_iso2709, check_marc, seeds, time_limit

LEADER = "00000nam a2200000 a 4500"
FIXED = "260101s2020    vm            000 0 vie d"


def utf8_record(*fields: tuple[str, str]) -> bytes:
    """A well-formed UTF-8 ISO 2709 record of (tag, field text with $-less \x1f subfields)."""
    return build_iso2709(LEADER, [(tag, value.encode("utf-8")) for tag, value in fields])


# Found by fuzzing: an organization code (040 $a, $c, $d) that no IRI may hold ("DL C<>", a NUL
# from a UTF-16 export) failed the record, ValueError: Invalid IRI code point. Now percent-encoded.
BAD_ORGANIZATION = utf8_record(
    ("001", "fz-1"), ("008", FIXED), ("040", "  \x1faDL C<\x00>\x1fcVN%zz"), ("245", "10\x1faTitle")
)
# Found by fuzzing: a cataloguing language (040 $b) or 008/35-37 that is no language tag ("r\x00u",
# Cyrillic letters, which str.isalpha takes) failed the record: The given language subtag is invalid.
BAD_LANGUAGES = utf8_record(
    ("001", "fz-2"), ("008", FIXED[:35] + "рус" + FIXED[38:]), ("040", "  \x1fbr\x00u"),
    ("245", "10\x1faTitle"), ("504", "  \x1faBibliography"),
)  # fmt: skip


# Found by fuzzing: a MARCXML subfield code "" (or "vx") passed `code in "vxyz"` as a subject
# subdivision, and the converter failed with KeyError: ''. The reader now keeps one character.
EMPTY_CODE = (
    b'<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>'
    b'<controlfield tag="001">fz-3</controlfield><datafield tag="245" ind1="1" ind2="0">'
    b'<subfield code="a">Title</subfield></datafield><datafield tag="650" ind1=" " ind2="0">'
    b'<subfield code="a">Topic</subfield><subfield code="">x</subfield><subfield code="vx">y</subfield>'
    b"</datafield></record>"
)


# Found by fuzzing: an XML declaration naming an encoding expat does not know or take ("UTF-0",
# Shift_JIS) raised LookupError or ValueError out of the reader instead of an unreadable record.
BAD_XML_ENCODINGS = [
    b'<?xml version="1.0" encoding="%s"?><collection xmlns="http://www.loc.gov/MARC21/slim"/>' % name
    for name in (b"UTF-0", b"Shift_JIS", b"UTF-7")
]


def test_regressions_convert() -> None:
    """The records fuzzing found failing now read and convert (check_marc raises otherwise)."""
    assert check_marc(BAD_ORGANIZATION) == 1
    assert check_marc(BAD_LANGUAGES) == 1
    assert check_marc(EMPTY_CODE) == 1
    for data in BAD_XML_ENCODINGS:
        assert check_marc(data) == 1  # one unreadable record, naming the XML error


def test_every_seed_record_reads_and_converts() -> None:
    corpus = seeds()
    assert len(corpus.iso) > 50 and len(corpus.xml) > 50
    for data in corpus.iso[:20]:
        check_marc(data)


@settings(max_examples=examples(300))
@given(marc_files)
@example(BAD_ORGANIZATION)
@example(BAD_LANGUAGES)
@example(EMPTY_CODE)
@example(BAD_XML_ENCODINGS[0])
def test_mutated_marc_files(data: bytes) -> None:
    with time_limit(LIMIT):
        check_marc(data)


@settings(max_examples=examples(150))
@given(st.binary(max_size=600) | st.binary(max_size=300).map(lambda tail: b"00123nam  22000" + tail))
def test_random_bytes(data: bytes) -> None:
    with time_limit(LIMIT):
        check_marc(data)
