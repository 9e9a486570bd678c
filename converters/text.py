"""Cleaning MARC values: Unicode NFC, ISBD punctuation off the ends, headings to match keys.

Diacritics are never stripped from stored values; `heading_key` folds case, punctuation and
tone-mark placement only, for deciding that two headings name the same agent or topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pymarc import Field

from lod.vietnamese import match_key, nfc

ISBD_END = "/:;=,+\u060c\u061b"
"""Punctuation that ISBD puts between elements (Arabic comma and semicolon too), taken off the end."""
_CLEAN_END = ")]\"'?!"
BIDI_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Directional marks that Arabic and Hebrew records put around values ('\u200fالقاهرة :\u200f')."""
_END_NOISE = ISBD_END + BIDI_MARKS
_SPACES = re.compile(r"\s+")
_BRACKETS = re.compile(r"^\[(.*)\]$")
_DOTTED = re.compile(r"^(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}$")
ABBREVIATIONS = frozenset(
    # Vietnamese cataloguing: trang, Nhà xuất bản, thành phố, tái bản, xuất bản, chủ biên
    "tr nxb tp tb xb cb "
    # English and Latin ones common in AACR2 records
    "pp ed eds vol vols no nos ill illus col ca fl jr sr st co inc ltd dept bros corp "
    "etc al comp comps trans rev enl pbk hbk pt pts ser suppl univ assoc dr mr mrs prof".split()
)


@lru_cache(maxsize=1 << 16)
def clean(value: str | None) -> str:
    """NFC, collapsed spaces, ISBD punctuation and a closing full stop removed from the end."""
    # cached: codes, terms and headings ('rdacontent', 'ill.', 'Hà Nội :') recur in every record
    if not value:
        return ""
    text = nfc(value)
    if "  " in text or "\t" in text or "\n" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    text = text.strip()
    if text[:1] in BIDI_MARKS or text[-1:] in BIDI_MARKS:
        text = text.strip(BIDI_MARKS + " ")
    while True:
        last = text[-1:]
        if last.isalnum() or last in _CLEAN_END:  # the common case: nothing (more) to take off
            return text
        shorter = _drop_final_period(text.rstrip(_END_NOISE).rstrip())
        if shorter == text:
            return text
        text = shorter


def _drop_final_period(text: str) -> str:
    """'Truyện Kiều.' loses its full stop; abbreviations such as 'tr.', 'H.', 'Nxb.' keep theirs.

    Word length says nothing in Vietnamese, where most syllables ('học.', 'Nam.', 'Du.') are
    short: an abbreviation is a known one, an initial, an all-capitals word or a dotted form ('s.l.').
    """
    if not text.endswith(".") or text.endswith("..."):
        return text
    last_word = text[:-1].rsplit(" ", 1)[-1].lstrip("([")
    if (
        last_word.casefold() in ABBREVIATIONS
        or (len(last_word) == 1 and last_word.isalpha())
        or last_word.isupper()
        or _DOTTED.match(last_word)
    ):
        return text
    return text[:-1].rstrip()


def unbracket(value: str) -> str:
    """'[Hà Nội]' -> 'Hà Nội' (a cataloguer's supplied value)."""
    match = _BRACKETS.match(value)
    return match.group(1).strip() if match else value


def subfields(field: Field, codes: str) -> list[str]:
    """The cleaned, non-empty values of the given subfield codes, in field order."""
    return [c for sub in field.subfields if sub.code in codes and (c := clean(sub.value))]


def joined(field: Field, codes: str, separator: str = " ") -> str:
    return clean(separator.join(subfields(field, codes)))


def heading_key(parts: Iterable[str]) -> str:
    """A match key for a heading (`lod.vietnamese.match_key`): NFC, one tone-mark placement, lower
    case, punctuation as spaces, single spaces. Keeps diacritics: "Nguyễn, Du." = "NGUYỄN DU".
    Subdivisions stay apart ("văn học--phê bình"), so a subdivided heading never meets a plain one."""
    return _heading_key(" ".join(parts))


@lru_cache(maxsize=1 << 16)
def _heading_key(text: str) -> str:
    # cached: the same headings (subjects, places, publishers) come back record after record
    return "--".join(match_key(part) for part in text.split("--"))


def year(value: str) -> str | None:
    """The first plausible four-digit year in a date statement ('c2015.' -> '2015')."""
    match = re.search(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)", value)
    return match.group(1) if match else None
