"""How well a name, title, year or ISBN someone typed matches one of ours: pure functions behind
the reconciliation service (lod.reconcile), on the Vietnamese keys of lod.vietnamese.

Scores are 0-100. A name typed exactly as ours (diacritics and all, whatever the case, the tone
placement or the punctuation: "Nguyễn, Du" = "NGUYỄN DU") scores 100; typed without diacritics and
otherwise the same ("nguyen du") 95; the same letters with other diacritics ("Má" for "Ma") 85;
anything else at most 80, by how much of it is shared. `decide` says which candidate, if any, is a
match: one at 90 or more with no other within 10 points of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lod.vietnamese import fold, match_key

EXACT = 100.0
FOLDED = 95.0
OTHER_DIACRITICS = 85.0
PARTIAL = 80.0
MATCH_AT = 90.0
"""The least score of a match ..."""
RIVAL_GAP = 10.0
"""... and how far ahead of every other candidate it must be."""

_WORD = re.compile(r"\w+")
_DATES = re.compile(
    r"(?:,\s*|\s+|\s*\()(?P<dates>(?:(?:ca|b|d|fl|sinh|mất)\.?\s*)?\d{3,4}\??\s*-\s*(?:\d{3,4}\??)?"
    r"|(?:(?:ca|b|d|fl|sinh|mất)\.?\s*)\d{3,4}\??|\d{4})\)?[.,]?\s*$",
    re.IGNORECASE,
)
_TITLE_PARTS = re.compile(r"\s+[:/;=]\s*|\s*[:/;=]\s+")
_YEAR = re.compile(r"(?<!\d)(\d{3,4})(?!\d)")


def words(text: str) -> list[str]:
    """The folded words of `text` ("Đặng Thị Hoà" -> ["dang", "thi", "hoa"])."""
    return _WORD.findall(fold(text))


def exact_words(text: str) -> list[str]:
    """The words of `text` with their diacritics (tone placement, case and punctuation ignored)."""
    return _WORD.findall(match_key(text))


def has_diacritics(text: str) -> bool:
    return " ".join(words(text)) != " ".join(_WORD.findall(text.casefold()))


def name_score(typed: str, ours: str) -> float:
    """How well `typed` matches the name or title `ours`, 0-100 (see the module's docstring)."""
    typed_words, our_words = words(typed), words(ours)
    if not typed_words or not our_words:
        return 0.0
    if typed_words == our_words:
        if exact_words(typed) == exact_words(ours):
            return EXACT
        return FOLDED if not has_diacritics(typed) else OTHER_DIACRITICS
    return round(PARTIAL * similarity(typed_words, our_words), 1)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """0-1: the better of the words shared (in any order) and the letters shared in order."""
    shared = sum((Counter(a) & Counter(b)).values())
    overlap = 2 * shared / (len(a) + len(b))
    letters = SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False).ratio()
    return max(overlap, letters)


def title_score(typed: str, title: str) -> float:
    """`name_score` against the whole title and its main title (before " : ", " / ", " = ")."""
    main = _TITLE_PARTS.split(title, maxsplit=1)[0]
    return max(name_score(typed, title), name_score(typed, main) if main != title else 0.0)


def split_dates(label: str) -> tuple[str, str]:
    """A heading's name and its dates: "Nguyễn Nhật Ánh, 1955-" -> ("Nguyễn Nhật Ánh", "1955-");
    "Farghānī, fl. 861" -> ("Farghānī", "fl. 861"); no dates -> (label, "")."""
    found = _DATES.search(label)
    if found is None or found.start() == 0:
        return label.strip(), ""
    return label[: found.start()].strip(" ,"), found.group("dates").strip()


def years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


def agent_score(typed: str, label: str, typed_dates: str = "") -> float:
    """How well a name as typed (with its dates, or `typed_dates`) matches an agent's heading:
    the names by `name_score`; dates typed and found among the heading's keep the score, dates
    typed that the heading does not have halve it, and a heading without dates when dates were
    typed loses 15 points."""
    name, dates = split_dates(typed)
    wanted = years(f"{dates} {typed_dates}")
    our_name, our_dates = split_dates(label)
    score = name_score(name, our_name)
    if not wanted:
        return score
    ours = years(our_dates)
    if not ours:
        return max(score - 15.0, 0.0)
    return score if wanted <= ours else round(score / 2, 1)


_UNIT_WORDS = {"tinh", "thanh", "pho", "tp", "province", "city"}


def same_place(typed: str, code: str | None, name: str | None) -> bool:
    """Whether a province as typed is ours: its code ('01', '1') or its name with or without
    diacritics and 'Tỉnh', 'Thành phố' ("Hà Nội", "ha noi", "TP Hà Nội" = "Thành phố Hà Nội")."""
    if code and typed.strip().zfill(2) == code:
        return True

    def core(text: str) -> list[str]:
        return [w for w in words(text) if w not in _UNIT_WORDS]

    return bool(core(typed)) and core(typed) == core(name or "")


def year_score(typed: object, year: int | None) -> float | None:
    """1 for the same year, 0.5 a year apart (reprints, catalogues that differ), else 0; None
    when nothing usable was typed."""
    wanted = years(str(typed))
    if not wanted:
        return None
    if year is None:
        return 0.0
    gap = min(abs(y - year) for y in wanted)
    return 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0


# ISBN -------------------------------------------------------------------------------------------
def isbn(text: str) -> str | None:
    """An ISBN-10 or -13 with a right check digit, without hyphens or spaces ("978-604-957-123-7"
    -> "9786049571237"); None when `text` is not one."""
    compact = re.sub(r"[\s-]", "", text.strip()).upper()
    if compact.startswith("ISBN"):
        compact = compact[4:].lstrip(":")
    if re.fullmatch(r"\d{9}[\dX]", compact):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(compact))
        return compact if total % 11 == 0 else None
    if re.fullmatch(r"97[89]\d{10}", compact):
        total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(compact))
        return compact if total % 10 == 0 else None
    return None


def isbn13(compact: str) -> str:
    """The ISBN-13 of a checked ISBN (`isbn`)."""
    if len(compact) == 13:
        return compact
    body = "978" + compact[:9]
    check = (10 - sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


# combining --------------------------------------------------------------------------------------
@dataclass
class Scored:
    """A candidate's score and the features it was made of (`id` -> value: a 0-1 similarity, or
    True/False)."""

    score: float
    features: dict[str, float | bool] = field(default_factory=dict)


def combine(parts: dict[str, tuple[float, float]]) -> float:
    """The weighted mean of (score 0-100, weight) parts that were asked about."""
    total = sum(weight for _, weight in parts.values())
    if total <= 0:
        return 0.0
    return round(sum(score * weight for score, weight in parts.values()) / total, 1)


def decide(scores: Sequence[float]) -> list[bool]:
    """Which of the candidates (in any order) is a match: the best one, if it scores MATCH_AT or
    more and every other scores at least RIVAL_GAP less."""
    if not scores:
        return []
    best = max(range(len(scores)), key=lambda i: scores[i])
    top = scores[best]
    clear = top >= MATCH_AT and all(s <= top - RIVAL_GAP for i, s in enumerate(scores) if i != best)
    return [clear and i == best for i in range(len(scores))]
