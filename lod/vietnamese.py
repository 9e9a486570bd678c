"""Vietnamese text: legacy-encoding repair and keys for matching.

Vietnamese catalogue data reaches us in more shapes than Unicode NFC: bytes in the pre-Unicode 8-bit
encodings (TCVN3/ABC, VNI, VISCII, Windows-1258), those bytes already decoded as Latin-1 or cp1252 by
some earlier tool ("Khæ mÉu MARC 21" for "Khổ mẫu MARC 21"), NFD instead of NFC, and two styles of
tone-mark placement ("hoà" and "hòa"). This module turns such text back into Unicode and builds the
keys used to match headings and to search. It depends on the standard library only.

Repair (keep the raw value next to the result; the returned name says what was done):

- `decode_legacy(data)`: detect a legacy encoding in the bytes of one value and decode them.
- `detect_encoding(values)`: the legacy encoding of a whole source, by summing the evidence.
- `repair(text)`: undo mojibake (legacy or UTF-8 bytes that were decoded as Latin-1/cp1252 upstream).
- `decode_as(data, encoding)`, `decode_viqr(text)`: decode when a source is *configured* as one
  encoding; VIQR is plain ASCII, so it is never detected.
- `encode_legacy(text, encoding)`: the inverse, for fixtures and tests.

Keys (never for display):

- `nfc(text)`, `tone_key(text)`: NFC plus one canonical tone placement.
- `fold(text)`: without diacritics and case, for search.
- `match_key(text)`, `name_key(name, dates)`: for deciding that two headings are the same.

Detection decodes the bytes under each encoding and accepts a decoding only when the words it
produces are well-formed Vietnamese syllables (initial consonant, vowel nucleus, final consonant,
one tone mark on a vowel that may carry it, a tone the final allows), with evidence that the input
was not ordinary text: a symbol or a capital inside a word (how TCVN3 and VISCII look through
Latin-1: "B¶o", "mÉu"), a vowel followed by a VNI or Windows-1258 diacritic byte in a pair that
Western languages do not use ("aø", but not French "où"), or at least three changed words that all
read as Vietnamese. Bytes that MARC-8 diacritics (written before their letter) explain as well are
left alone. Text that already reads as Vietnamese, and text holding any character that no 8-bit
code page shows (ư, ơ, ă, đ, ệ, NFD marks, Arabic, CJK...), is never changed.

Limits: a short value can read as Vietnamese in two encodings (VISCII "Thị xã" is TCVN3 "Thá xó");
`decode_legacy` then takes the more common encoding, in the order of `ENCODINGS`, so decode a
whole source with `detect_encoding` and `decode_as` where possible. All-capital TCVN3 text with
fewer than three changed words is not detected, since it looks like capitalised French or German.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

__all__ = [
    "ENCODINGS",
    "VIETNAMESE_LETTERS",
    "decode_as",
    "decode_legacy",
    "decode_viqr",
    "detect_encoding",
    "encode_legacy",
    "fold",
    "match_key",
    "name_key",
    "nfc",
    "repair",
    "tone_key",
]

ENCODINGS = ("TCVN3", "VNI", "VISCII", "CP1258")
"""Legacy encodings that `decode_legacy`, `repair`, `decode_as` and `encode_legacy` know."""

_ALIASES = {
    "TCVN3": "TCVN3",
    "TCVN": "TCVN3",
    "ABC": "TCVN3",
    "TCVN5712": "TCVN3",
    "VN3": "TCVN3",
    "VNI": "VNI",
    "VNIWIN": "VNI",
    "VNIWINDOWS": "VNI",
    "VISCII": "VISCII",
    "CP1258": "CP1258",
    "WINDOWS1258": "CP1258",
}

# --- Vietnamese letters ------------------------------------------------------------------------------

# Tone indices used throughout: 0 none (ngang), 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng.
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_ACUTE, _DOT = 2, 5
_VOWELS = "aăâeêioôơuưy"
_MODIFIED = frozenset("ăâêôơư")

_SPLIT: dict[str, tuple[str, int]] = {}
"""Every Vietnamese vowel letter (both cases, with or without tone) -> (letter without tone, tone)."""
_JOIN: dict[tuple[str, int], str] = {}
for _base in _VOWELS + _VOWELS.upper():
    for _tone, _mark in enumerate(_TONE_MARKS):
        _letter = unicodedata.normalize("NFC", _base + _mark)
        _SPLIT[_letter] = (_base, _tone)
        _JOIN[(_base, _tone)] = _letter

VIETNAMESE_LETTERS = "".join(sorted(c for c in _SPLIT if not c.isascii())) + "Đđ"
"""The 134 precomposed letters Vietnamese adds to ASCII: 66 vowel forms in each case, Đ and đ."""

_UNTONE = str.maketrans({c: b for c, (b, t) in _SPLIT.items() if t})

# --- code tables ---------------------------------------------------------------------------------------

# TCVN 5712:1993, bytes 0x80-0xFF, as in GNU libiconv's TCVN table. That table is VN1, a superset of
# VN3 (the "ABC" fonts): VN3 leaves 0x80-0x9F and the few capitals above 0xA0 empty and makes
# capitals with a tone mark by showing the lowercase bytes in an all-caps font (.VnTimeH).
# 0xB0-0xB4 are combining tone marks.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)
_TCVN3_LOW = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ"}
_TCVN3_LOW |= {0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}

# VISCII 1.1 (RFC 1456), bytes 0x80-0xFF; six capitals sit on C0 control positions.
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"  # 0x80
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 0x90
    "Õắằặấầẩậẽẹếềểễệố"  # 0xA0
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"  # 0xB0
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"  # 0xC0
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # 0xD0
    "àáâãảăữẫèéêẻìíĩỉ"  # 0xE0
    "đựòóôõỏọụùúũủýợỮ"  # 0xF0
)
_VISCII_LOW = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}


def _decode_table(high: str, low: dict[int, str]) -> dict[int, str]:
    return {0x80 + i: c for i, c in enumerate(high)} | low


_TCVN3_DECODE = _decode_table(_TCVN3_HIGH, _TCVN3_LOW)
_VISCII_DECODE = _decode_table(_VISCII_HIGH, _VISCII_LOW)
_TCVN3_ENCODE = {c: b for b, c in _TCVN3_DECODE.items() if not unicodedata.combining(c)}
_VISCII_ENCODE = {c: b for b, c in _VISCII_DECODE.items()}

# VNI (the VNI-Windows fonts) writes a letter as its base letter followed by a byte whose glyph is
# the diacritic: "aø" is à, "aâ" is â, "aà" is ầ. A few letters take one byte of their own (ơ, ư, đ,
# i with a tone, ỵ). In capitals the diacritic byte is the Latin-1 capital of the lowercase one.
_VNI_TONE = ("", "ø", "ù", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "à", "á", "å", "ã", "ä")
_VNI_BREVE = ("ê", "è", "é", "ú", "ü", "ë")
_VNI_I = ("i", "ì", "í", "æ", "ó", "ò")
_VNI_OWN = {"ơ": "ô", "ư": "ö", "đ": "ñ"}


def _vni_lower(base: str, tone: int) -> str:
    """VNI spelling of one lowercase letter, given without tone as `base`."""
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == _DOT:
        return "î"
    if base in "âêô":
        return {"â": "a", "ê": "e", "ô": "o"}[base] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    return _VNI_OWN.get(base, base) + _VNI_TONE[tone]


_VNI_ENCODE: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}
for (_base, _tone), _letter in _JOIN.items():
    _spelled = _vni_lower(_base.lower(), _tone)
    _VNI_ENCODE[_letter] = _spelled.upper() if _base.isupper() else _spelled
_VNI_MARKS = frozenset("".join(_VNI_TONE + _VNI_CIRCUMFLEX + _VNI_BREVE)) - {""}
_VNI_MARKS |= frozenset(c.upper() for c in _VNI_MARKS)
_VNI_DECODE: dict[str, str] = {}
for _letter, _spelled in _VNI_ENCODE.items():
    if _spelled != _letter:
        _VNI_DECODE[_spelled] = _letter
        if len(_spelled) == 2:
            # a capital followed by a lowercase diacritic byte (and the reverse) still shows right
            _VNI_DECODE.setdefault(_spelled[0] + _spelled[1].swapcase(), _letter)
_VNI_DECODE["yï"], _VNI_DECODE["YÏ"], _VNI_DECODE["Yï"] = "ỵ", "Ỵ", "Ỵ"
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI_DECODE), key=len, reverse=True)))
# French, Spanish and Catalan spell these letter pairs too ("où", "goût", "naïf", "aéroport",
# "Raphaël", "aún"), so alone they are no sign of VNI.
_WESTERN_PAIRS = frozenset({"où", "oû", "aï", "oï", "uï", "eï", "aé", "aë", "aú", "uò", "iò"})

# Windows-1258: base letters (â, ê, ô, ơ, ư, ă precomposed) followed by a combining tone byte.
_CP1258_TONE_BYTES = frozenset("\xcc\xec\xd2\xde\xf2")

# How code pages show a byte: every byte as its Latin-1 character, 0x80-0x9F also as cp1252's, and
# the TCVN3 "ư" byte 0xAD (a soft hyphen in Latin-1) also as the minus or hyphen some PDF viewers emit.
_VIEW_TO_BYTE = {
    ord(bytes([b]).decode("cp1252")): b for b in range(0x80, 0xA0) if b not in b"\x81\x8d\x8f\x90\x9d"
}
_VIEW_TO_BYTE |= {0x2212: 0xAD, 0x2010: 0xAD}
_VIEW_TO_RAW = {k: chr(v) for k, v in _VIEW_TO_BYTE.items()}
WIDE_VIEWS = frozenset(map(chr, _VIEW_TO_BYTE))
"""The characters above U+00FF that `repair` reads back as legacy bytes (cp1252's 0x80-0x9F, and
U+2212/U+2010 for TCVN3's 0xAD): with U+0080-U+00FF, all mojibake is made of."""
_NOT_A_VIEW = re.compile("[^\x00-\xff" + "".join(sorted(WIDE_VIEWS)) + "]")
TYPOGRAPHY = frozenset("\u00a0\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022")
"""Curly quotes, dashes and bullets: what most non-ASCII text from English sources holds, and text
made only of these and ASCII is never repaired."""
_ONLY_TYPOGRAPHY = re.compile("[\x00-\x7f" + "".join(sorted(TYPOGRAPHY)) + "]*")

# MARC-8 (ANSEL): the diacritic bytes 0xE0-0xFE precede their base letter.
# fmt: off
_MARC8_COMBINING = {
    0xE0: "\u0309", 0xE1: "\u0300", 0xE2: "\u0301", 0xE3: "\u0302", 0xE4: "\u0303", 0xE5: "\u0304",
    0xE6: "\u0306", 0xE7: "\u0307", 0xE8: "\u0308", 0xE9: "\u030c", 0xEA: "\u030a", 0xEB: "\ufe20",
    0xEC: "\ufe21", 0xED: "\u0315", 0xEE: "\u030b", 0xEF: "\u0310", 0xF0: "\u0327", 0xF1: "\u0328",
    0xF2: "\u0323", 0xF3: "\u0324", 0xF4: "\u0325", 0xF5: "\u0333", 0xF6: "\u0332", 0xF7: "\u0312",
    0xF8: "\u031c", 0xF9: "\u032e", 0xFA: "\ufe22", 0xFB: "\ufe23", 0xFE: "\u0313",
}
# fmt: on
_MARC8_SPECIAL = dict(
    zip(range(0xA1, 0xC9), "ŁØĐÞÆŒʹ·♭®±ƠƯʼ\ufffdʻłøđþæœʺı£ð\ufffdơư\ufffd\ufffd°ℓ℗©♯¿¡ß€", strict=True)
)

# --- syllables -------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
_FINALS = "ch|nh|ng|[cmnpt]"
_OPEN_NUCLEI = (
    "oai|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|yêu|iêu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ui|ưi|ưu|ưa|ua|uơ"
)
_CLOSED_NUCLEI = "uyê|iê|yê|uô|ươ|oă|uâ|oo|ă|â"
_NUCLEI = "oa|oe|uê|uy|[aeêioôơuưy]"
_SYLLABLE = re.compile(
    f"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    f"(?:({_OPEN_NUCLEI})|({_CLOSED_NUCLEI})({_FINALS})|({_NUCLEI})({_FINALS})?)"
)


def _placement(word: str) -> tuple[int, int, int, int, int] | None:
    """Where the tone mark of a one-tone word is and may go.

    Returns (start, end) of the vowel run holding the tone, the index of the toned vowel, and the
    index of the vowel that carries the tone in the traditional style ("hòa", "thủy") and in the
    modern one ("hoà", "thuỷ"); None when the word has no tone mark, several, or a run of more than
    three vowels.
    """
    toned = [i for i, c in enumerate(word) if c in _SPLIT and _SPLIT[c][1]]
    if len(toned) != 1:
        return None
    start = end = toned[0]
    while start and word[start - 1] in _SPLIT:
        start -= 1
    while end < len(word) and word[end] in _SPLIT:
        end += 1
    bases = [_SPLIT[c][0].lower() for c in word[start:end]]
    prev = word[start - 1].lower() if start else ""
    # the u of "qu" and the i of "gi" before another vowel belong to the initial consonant
    skip = 1 if len(bases) > 1 and (prev, bases[0]) in (("q", "u"), ("g", "i")) else 0
    nucleus = bases[skip:]
    modified = [i for i, b in enumerate(nucleus) if b in _MODIFIED]
    if modified:
        old = new = modified[-1]
    elif len(nucleus) == 1:
        old = new = 0
    elif end < len(word):
        old = new = len(nucleus) - 1
    elif len(nucleus) == 2:
        old, new = 0, (1 if "".join(nucleus) in ("oa", "oe", "uy") else 0)
    elif len(nucleus) == 3:
        old = new = 1
    else:
        return None
    return start, end, toned[0], start + skip + old, start + skip + new


@lru_cache(maxsize=8192)
def _is_syllable(word: str) -> bool:
    """Whether `word` is one well-formed Vietnamese syllable in lower, Title or UPPER case."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    lower = word.lower()
    tones = [_SPLIT[c][1] for c in lower if c in _SPLIT and _SPLIT[c][1]]
    if len(tones) > 1:
        return False
    m = _SYLLABLE.fullmatch(lower.translate(_UNTONE))
    if m is None:
        return False
    initial, open_nucleus, closed_nucleus, closed_final, nucleus, final = m.groups()
    nucleus = open_nucleus or closed_nucleus or nucleus
    final = closed_final or final
    if final in ("c", "ch", "p", "t") and (not tones or tones[0] not in (_ACUTE, _DOT)):
        return False
    if tones:
        where = _placement(lower)
        if where is None or where[2] not in where[3:]:
            return False
    if final in ("ch", "nh") and nucleus not in ("a", "ê", "i", "y", "oa", "uê", "uy"):
        return False
    front = nucleus[0] in "eêiy"
    if initial in ("k", "gh", "ngh") and not front:
        return False
    return not (initial in ("c", "ng") and front) and not (initial == "g" and nucleus[0] in "eê")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


# --- detection ------------------------------------------------------------------------------------------

# A byte that is no letter in Latin-1, or a capital after a small letter, inside a word: how TCVN3 and
# VISCII text looks when read as Latin-1 ("B¶o", "mÉu", "th\xad"). 0xA0 is a no-break space in all;
# 0x80-0x9F are left out because cp1252 puts curly quotes there ("a-‘a" in romanised Arabic).
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
_ODD = "\xa1-\xbf×÷"
_SIGNAL = re.compile(f"[{_LETTER}][{_ODD}]|[{_ODD}][{_LETTER}]|[a-zß-öø-ÿ][À-ÖØ-Þ]")


def _decode_tcvn3(raw: str) -> tuple[str, int, int]:
    text = unicodedata.normalize("NFC", raw.translate(_TCVN3_DECODE))
    capitals = _tcvn3_capitals if _all_caps(raw) else _tcvn3_word_caps
    return _WORD.sub(capitals, text), 0, 0


def _all_caps(raw: str) -> bool:
    letters = [c for c in raw if c.isascii() and c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _tcvn3_capitals(m: re.Match[str]) -> str:
    return m.group().upper()


def _tcvn3_word_caps(m: re.Match[str]) -> str:
    # VN3 has no capitals with a tone mark: all-caps text shows the lowercase bytes in a capitals font.
    word = m.group()
    ascii_letters = [c for c in word if c.isascii()]
    if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
        return word.upper()
    return word


def _decode_viscii(raw: str) -> tuple[str, int, int]:
    return unicodedata.normalize("NFC", raw.translate(_VISCII_DECODE)), 0, 0


def _decode_vni(raw: str) -> tuple[str, int, int]:
    """(text, letter pairs not found in Western languages, diacritic bytes left without a base letter)."""
    out: list[str] = []
    rare = stray = pos = 0
    for m in _VNI_PATTERN.finditer(raw):
        gap = raw[pos : m.start()]
        stray += sum(c in _VNI_MARKS for c in gap)
        seq = m.group()
        if len(seq) == 2 and seq.lower() not in _WESTERN_PAIRS:
            rare += 1
        out += (gap, _VNI_DECODE[seq])
        pos = m.end()
    stray += sum(c in _VNI_MARKS for c in raw[pos:])
    out.append(raw[pos:])
    return unicodedata.normalize("NFC", "".join(out)), rare, stray


def _decode_cp1258(raw: str) -> tuple[str, int, int]:
    try:
        text = raw.encode("latin-1").decode("cp1258")
    except UnicodeDecodeError:
        return raw, 0, len(raw)
    rare = stray = 0
    for i, c in enumerate(raw):
        if c in _CP1258_TONE_BYTES:
            if not i or text[i - 1] not in _SPLIT:
                stray += 1
            elif (raw[i - 1] + c).lower() not in _WESTERN_PAIRS:
                rare += 1
    return unicodedata.normalize("NFC", text), rare, stray


_DECODERS: dict[str, Callable[[str], tuple[str, int, int]]] = {
    "TCVN3": _decode_tcvn3,
    "VNI": _decode_vni,
    "VISCII": _decode_viscii,
    "CP1258": _decode_cp1258,
}


def _marc8_view(raw: str) -> str:
    out: list[str] = []
    marks: list[str] = []
    for c in raw:
        b = ord(c)
        if b in _MARC8_COMBINING:
            marks.append(_MARC8_COMBINING[b])
            continue
        out.append(_MARC8_SPECIAL.get(b, c if b < 0x80 else "\ufffd"))
        out.extend(marks)
        marks.clear()
    return unicodedata.normalize("NFC", "".join(out))


_UTF8_SEQUENCE = re.compile("[\xc2-\xf4][\x80-\xbf]")
# A vowel followed by a VNI diacritic byte or a Windows-1258 tone byte.
_PAIR = re.compile(f"[aeiouyAEIOUYôöÔÖ][{''.join(sorted(_VNI_MARKS))}ÌìÒòÞ]")

# Left over in a decoding: controls, combining marks with no letter to sit on, and symbols inside words.
_JUNK = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u0300-\u036f\ufffd]|(?<=[^\\W\\d_])[{_ODD}]|[{_ODD}](?=[^\\W\\d_])"
)


def _changed(text: str, original: Counter[str]) -> tuple[int, int, int, int]:
    """Evidence in a decoding: its non-ASCII words plus twice its stray marks and controls, how many
    of those words are Vietnamese syllables, and the number and letters of those that differ from
    `original`."""
    kept = original.copy()
    n = 2 * len(_JUNK.findall(text))
    valid = changed = letters = 0
    for word in _tokens(text):
        if word.isascii():
            continue
        n += 1
        if _is_syllable(word):
            valid += 1
            if kept[word] > 0:
                kept[word] -= 1
            else:
                changed += 1
                letters += len(word)
    return n, valid, changed, letters


def _syllable_letters(text: str) -> int:
    return sum(len(w) for w in _tokens(text) if _is_syllable(w))


def _vietnamese_share(text: str) -> float:
    words = _tokens(text)
    return sum(map(_is_syllable, words)) / len(words) if words else 0.0


@lru_cache(maxsize=4096)
def _candidates(raw: str) -> tuple[tuple[int, int, str, str], ...]:
    """Acceptable legacy decodings of `raw` (bytes as Latin-1 characters), best first, as
    (score, -rank in `ENCODINGS`, encoding, text); none when there is not enough evidence."""
    signal = _SIGNAL.search(raw) is not None
    if not signal and not _PAIR.search(raw) and len(raw) - len(raw.encode("ascii", "ignore")) < 3:
        return ()  # no evidence any decoding could reach
    as_is = unicodedata.normalize("NFC", raw)
    original = Counter(_tokens(as_is))
    n, valid, _, _ = _changed(as_is, Counter())
    if n and valid == n and not signal:
        return ()  # already reads as Vietnamese
    found: list[tuple[int, int, str, str]] = []
    for rank, (name, decoder) in enumerate(_DECODERS.items()):
        text, rare, stray = decoder(raw)
        if text == as_is:
            continue
        n, valid, changed, letters = _changed(text, original)
        invalid = n - valid + stray
        if letters < 2 or invalid > n // 10 or _syllable_letters(text) < 4:
            continue
        strong = rare > 0 if name in ("VNI", "CP1258") else signal
        if not strong and (changed < 3 or _vietnamese_share(text) < 0.5):
            continue
        found.append((valid - 2 * invalid, -rank, name, text))
    found.sort(reverse=True)
    if found:
        n, valid, changed, _ = _changed(_marc8_view(raw), original)
        if changed and valid == n and valid >= found[0][0]:
            return ()  # MARC-8 diacritics (before their letter) explain the bytes as well
    return tuple(found)


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """Detect and decode Vietnamese text in a legacy 8-bit encoding.

    Returns (NFC text, encoding name from `ENCODINGS`), or None when `data` is ASCII, is valid UTF-8,
    holds MARC-8 escape sequences, or does not read as Vietnamese in any of the encodings with enough
    confidence (Latin-1 Western European text and MARC-8 diacritics are not taken for Vietnamese).
    Pass field or subfield values, not whole ISO 2709 records: VISCII uses 0x1E for a letter.
    """
    if data.isascii() or b"\x1b" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        found = _candidates(data.decode("latin-1"))
        return (found[0][3], found[0][2]) if found else None
    return None


def detect_encoding(samples: Iterable[bytes]) -> str | None:
    """The legacy encoding that best explains many values from one source (a file, a batch).

    Short values are often ambiguous (VISCII "Thị xã" is TCVN3 "Thá xó"; `decode_legacy` then
    prefers the more common encoding, in the order of `ENCODINGS`); summing the evidence over a
    source settles it. Returns None when no value has legacy evidence, or when the runner-up has at
    least two thirds of the winner's evidence. Decode the source with `decode_as` afterwards.
    """
    totals: Counter[str] = Counter()
    for data in samples:
        if data.isascii() or b"\x1b" in data:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            for score, _, name, _ in _candidates(data.decode("latin-1")):
                totals[name] += max(score, 1)
    ranked = totals.most_common(2)
    if not ranked or (len(ranked) == 2 and 3 * ranked[1][1] >= 2 * ranked[0][1]):
        return None
    return ranked[0][0]


def repair(text: str) -> tuple[str, str | None]:
    """Undo mojibake: legacy Vietnamese (or UTF-8) bytes that were decoded as Latin-1 or cp1252.

    Returns (repaired NFC text, name of the repair: one of `ENCODINGS` or "UTF-8"), or (text, None)
    unchanged. Text that is ASCII (VIQR included; see `decode_viqr`) or correct Unicode (Vietnamese
    in NFC or NFD, other languages, other scripts) is never changed.
    """
    if text.isascii() or _NOT_A_VIEW.search(text) or _ONLY_TYPOGRAPHY.fullmatch(text):
        return text, None
    return _repair(text)


@lru_cache(maxsize=8192)
def _repair(text: str) -> tuple[str, str | None]:
    raw = text.translate(_VIEW_TO_RAW) if max(text) > "\xff" else text
    if _UTF8_SEQUENCE.search(raw):
        try:
            utf8 = raw.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not any("\x80" <= c <= "\x9f" for c in utf8):
                return unicodedata.normalize("NFC", utf8), "UTF-8"
    found = _candidates(raw)
    return (found[0][3], found[0][2]) if found else (text, None)


def decode_as(data: bytes, encoding: str) -> str:
    """Decode bytes known to be in `encoding` (a name from `ENCODINGS`, or "VIQR") to NFC text.

    For a source configured with its encoding, or one found by `detect_encoding`. Bytes that
    Windows-1258 leaves undefined become U+FFFD.
    """
    name = _encoding_name(encoding)
    if name == "VIQR":
        return decode_viqr(data.decode("ascii"))
    if name == "CP1258":
        return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    return _DECODERS[name](data.decode("latin-1"))[0]


def _encoding_name(encoding: str) -> str:
    key = re.sub(r"[\s_.:-]", "", encoding).upper()
    if key == "VIQR":
        return key
    try:
        return _ALIASES[key]
    except KeyError:
        raise ValueError(f"unknown Vietnamese encoding: {encoding!r}") from None


def encode_legacy(text: str, encoding: str) -> bytes:
    """Encode `text` in a legacy Vietnamese encoding (TCVN3 gets VN1 capitals); for fixtures and tests.

    Raises ValueError for a character the encoding has no byte for.
    """
    name = _encoding_name(encoding)
    if name == "VIQR":
        raise ValueError("VIQR is written by hand, not encoded here")
    out = bytearray()
    for c in unicodedata.normalize("NFC", text):
        out += _encode_char(c, name)
    return bytes(out)


def _encode_char(c: str, name: str) -> bytes:
    if name == "TCVN3":
        if c in _TCVN3_ENCODE:
            return bytes([_TCVN3_ENCODE[c]])
        if c.isascii() and ord(c) not in _TCVN3_DECODE:
            return c.encode("ascii")
    elif name == "VISCII":
        if c in _VISCII_ENCODE:
            return bytes([_VISCII_ENCODE[c]])
        if c.isascii() and ord(c) not in _VISCII_DECODE:
            return c.encode("ascii")
    elif name == "VNI":
        if c in _VNI_ENCODE:
            return _VNI_ENCODE[c].encode("latin-1")
        if c.isascii():
            return c.encode("ascii")
    else:
        base, tone = _SPLIT.get(c, (c, 0))
        for spelled in (c, base + _TONE_MARKS[tone]):
            try:
                return spelled.encode("cp1258")
            except UnicodeEncodeError:
                pass
    raise ValueError(f"{c!r} cannot be encoded in {name}")


# --- VIQR -------------------------------------------------------------------------------------------------

_VIQR_MODIFIER = {("a", "("): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô", ("o", "+"): "ơ"}
_VIQR_MODIFIER[("u", "+")] = "ư"
_VIQR_TONE = {"`": 1, "'": 2, "?": 3, "~": 4, ".": 5}
_VIQR = re.compile(r"\\(.)|([dD])([dD])|([aeiouyAEIOUY])([(^+]?)([`'?~.]?)", re.DOTALL)


def decode_viqr(text: str) -> str:
    """Decode VIQR (RFC 1456: "Vie^.t Nam" -> "Việt Nam") for a source configured as VIQR.

    "dd" is đ; a backslash keeps the next character literal ("Du\\." is "Du."). As RFC 1456 has it, a
    "." or "?" after a vowel marks the tone, except at the end of the value, where MARC punctuation
    puts a full stop ("Nguye^~n Du." is "Nguyễn Du.").
    """

    def sub(m: re.Match[str]) -> str:
        escaped, d1, _, vowel, modifier, tone = m.groups()
        if escaped is not None:
            return escaped
        if d1 is not None:
            return "Đ" if d1 == "D" else "đ"
        base = _VIQR_MODIFIER.get((vowel.lower(), modifier))
        if base is None:
            base, rest = vowel.lower(), modifier
        else:
            rest = ""
        if vowel.isupper():
            base = base.upper()
        if not tone or (tone in ".?" and not _viqr_tone_follows(m.string, m.end())):
            return base + rest + tone
        return _JOIN[(base, _VIQR_TONE[tone])] + rest

    return unicodedata.normalize("NFC", _VIQR.sub(sub, text))


def _viqr_tone_follows(text: str, end: int) -> bool:
    return bool(text[end:].strip(" \t\r\n.,;:!?)]}\"'"))


# --- keys ---------------------------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """Unicode NFC (Vietnamese letters precomposed); ASCII and text already in NFC are returned as is."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


_V = "".join(_SPLIT)
_T = "".join(c for c, (_, tone) in _SPLIT.items() if tone)
# only a word with a toned vowel next to another vowel can have its tone mark elsewhere
_TONE_PLACEMENT_MATTERS = re.compile(f"[{_T}][{_V}]|[{_V}][{_T}]")
_WORD = re.compile(r"[^\W\d_]+")


def tone_key(text: str) -> str:
    """NFC with every syllable's tone mark on one canonical vowel, so "hoà" and "hòa" compare equal.

    The canonical style is the traditional one ("hòa", "hóa", "khỏe", "thúy", "ủy"): in a syllable
    without final consonant, the open rhymes oa, oe and uy carry the tone on their first vowel. It is
    what Unikey produces by default and what current official lists use (QĐ 19/2025: "Thanh Hóa",
    "Khánh Hòa"), so the key equals the input for most real data. Everywhere else both styles agree:
    on ơ/ê/ô/â/ă/ư (the last one, for ươ), else on the last vowel before a final consonant, else on
    the first of two vowels or the middle of three. The u of "qu" and the i of "gi" before another
    vowel belong to the consonant ("quý", "giá", "giữa"). Words with several tone marks (not
    Vietnamese) are left alone. For keys only: never for display.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    # a pair is found in one pass; a pattern for whole words holding one backtracks at every letter
    if not _TONE_PLACEMENT_MATTERS.search(text):
        return text
    keyed = _WORD.sub(_retone, text)
    # A tone moved off a vowel that a combining mark follows (a mark typed twice: "hoá" + U+0301)
    # leaves the vowel and the mark apart, which NFC composes (found by fuzzing, tests/fuzz).
    return keyed if unicodedata.is_normalized("NFC", keyed) else unicodedata.normalize("NFC", keyed)


def _retone(m: re.Match[str]) -> str:
    word = m.group()
    return _retone_word(word) if _TONE_PLACEMENT_MATTERS.search(word) else word


@lru_cache(maxsize=16384)
def _retone_word(word: str) -> str:
    where = _placement(word)
    if where is None or where[2] == where[3]:
        return word
    _, _, toned, target, _ = where
    base, tone = _SPLIT[word[toned]]
    chars = list(word)
    chars[toned] = base
    chars[target] = _JOIN[(_SPLIT[word[target]][0], tone)]
    return "".join(chars)


# Letters that have no decomposition but are read as a plain Latin letter in searches.
_FOLD_SPECIAL = {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h"}


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        c = chr(cp)
        stripped = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
        if stripped != c and stripped.isascii():
            table[cp] = stripped.lower()
    table.update({ord(k): v for k, v in _FOLD_SPECIAL.items()})
    return table


_FOLD = _fold_table()
_LATIN_MARKS = re.compile(r"(?<=[a-z])[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Key for accent-insensitive search: "Đặng Thị Hoà" -> "dang thi hoa".

    Case-folds, drops the diacritics of Latin letters (đ -> d, which NFKD alone loses) and leaves
    other scripts (Arabic, CJK, Cyrillic...) as they are apart from case folding.
    """
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    return _LATIN_MARKS.sub("", folded)


class _Punctuation(dict[int, int]):
    """str.translate table turning every Unicode punctuation character into a space, built lazily."""

    def __missing__(self, cp: int) -> int:
        value = 0x20 if unicodedata.category(chr(cp)).startswith("P") else cp
        self[cp] = value
        return value


_PUNCTUATION = _Punctuation()


def match_key(text: str) -> str:
    """Key for deciding that two headings are the same: "Nguyễn, Du" = "NGUYỄN DU." != "Nguyen Du".

    NFC, canonical tone placement (`tone_key`), case folding, punctuation (commas included) turned
    into spaces and white space collapsed; diacritics are kept.
    """
    folded = tone_key(text).casefold()
    if not folded.isascii() and not unicodedata.is_normalized("NFC", folded):
        # case folding can undo NFC ("ß" + U+0323 -> "ss" + U+0323, which is "sṣ"): found by fuzzing
        folded = unicodedata.normalize("NFC", folded)
    return " ".join(folded.translate(_PUNCTUATION).split())


def name_key(name: str, dates: str = "") -> str:
    """`match_key` for a personal name (100/600/700 $a) with its dates ($d).

    The first indicator (forename, surname) is not trusted: Vietnamese names come as "Nguyễn, Du"
    (LC inverted form), "Nguyễn Du" (direct order) and "Nguyễn Nhật Ánh" with ind1=1 alike. Since a
    Vietnamese name keeps its word order in both forms, dropping the comma is enough to match them;
    no words are reordered.
    """
    return match_key(f"{name} {dates}")
