"""What people type into the search box, read into terms, and the Vietnamese text keys the index
and the queries share.

Two keys of every text are indexed (lod.vietnamese): the folded one ("Đặng Thị Hoà" -> "dang thi
hoa") finds a word typed with or without diacritics, the exact one (tones on one canonical vowel,
case folded: "đặng thị hòa") ranks a word typed with its diacritics above its look-alikes: "Má"
finds "Ma" too, but "Má" first.

Syntax: words (all must match, in any order), "a phrase", and fields before a word or phrase:
title: author: subject: series: publisher: isbn: (also Vietnamese without diacritics: nhande:
tacgia: chude: ...). A word that looks like an ISBN (hyphens or spaces allowed) is searched as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lod.vietnamese import fold, tone_key

FIELDS = {
    "title": "title",
    "nhande": "title",
    "tieude": "title",
    "author": "agent",
    "tacgia": "agent",
    "agent": "agent",
    "subject": "subject",
    "chude": "subject",
    "series": "series",
    "tungthu": "series",
    "publisher": "publisher",
    "nxb": "publisher",
    "nhaxuatban": "publisher",
    "isbn": "identifier",
    "issn": "identifier",
    "id": "identifier",
    "note": "note",
    "ghichu": "note",
}
"""Field names people may type (folded) -> the index's field."""

_WORD = re.compile(r"\w+")
_ISBN = re.compile(r"^(?:97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dXx]$")
_ISBN_SPACED = re.compile(r"(?<![\w-])(?:97[89][- ])?\d{1,5}[- ]\d{1,7}[- ]\d{1,7}[- ][\dXx](?![\w-])")
"""An ISBN written with spaces or hyphens between its parts, as printed on a book."""
_PART = re.compile(r'(?:(?P<field>[^\s:"]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


def folded_words(text: str) -> list[str]:
    """The words of `text` as the index's folded columns hold them."""
    return _WORD.findall(fold(text))


def exact_words(text: str) -> list[str]:
    """The words of `text` as the index's exact columns hold them (diacritics kept)."""
    return _WORD.findall(tone_key(text).casefold())


def folded_text(text: str) -> str:
    return " ".join(folded_words(text))


def exact_text(text: str) -> str:
    return " ".join(exact_words(text))


def compact_isbn(text: str) -> str:
    return re.sub(r"[-\s]", "", text).upper()


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query, in both keys, and the field it is limited to (None: any)."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]
    field: str | None = None
    phrase: bool = False


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    text: str

    @property
    def empty(self) -> bool:
        return not self.terms


def parse(text: str) -> Query:
    """Read a query; never fails (an unknown 'field:' is read as words)."""
    terms: list[Term] = []
    text = text.strip()[:500]
    text = _ISBN_SPACED.sub(lambda m: compact_isbn(m.group()), text)
    for m in _PART.finditer(text):
        field_name, phrase, word = m.group("field"), m.group("phrase"), m.group("word")
        field = FIELDS.get(folded_text(field_name).replace(" ", "")) if field_name else None
        if field_name and field is None:
            phrase, word = None, f"{field_name} {phrase if phrase is not None else word or ''}"
        value = phrase if phrase is not None else word or ""
        if (field in (None, "identifier")) and _ISBN.match(value.strip()) and re.search(r"[-\s]", value):
            terms.append(Term((compact_isbn(value).lower(),), (compact_isbn(value).lower(),), "identifier"))
            continue
        folded, exact = folded_words(value), exact_words(value)
        if not folded:
            continue
        if phrase is not None and len(folded) > 1:
            terms.append(Term(tuple(folded), tuple(exact), field, phrase=True))
        else:
            terms += [Term((f,), (e,), field) for f, e in zip(folded, exact, strict=False)]
    return Query(tuple(terms), text)
