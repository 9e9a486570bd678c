"""Vietnamese dictionary order as a string that sorts right byte by byte (SQLite's BINARY
collation), for ordering result lists in the index.

PyICU's Vietnamese collator is used when it is installed; otherwise `lod.libraries.sort_key`
(a < ă < â < b, d < đ, e < ê, o < ô < ơ, u < ư; then the tones ngang, huyền, hỏi, ngã, sắc,
nặng) is written out as a string. An index records which one made its keys (`name()`), and is
rebuilt when that changes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lod.libraries import sort_key


@lru_cache(maxsize=1)
def _icu() -> Any:
    try:
        import icu
    except ImportError:
        return None
    return icu.Collator.createInstance(icu.Locale("vi"))


def name() -> str:
    return "icu" if _icu() is not None else "lod-2"


def sort_string(text: str) -> str:
    """A key whose code point order is Vietnamese dictionary order of `text`."""
    collator = _icu()
    if collator is not None:
        return bytes(collator.getSortKey(text)).hex()
    letters, tones, _ = sort_key(text)
    # each letter then its mark's rank: "a0" < "a1" (ă) < "a2" (â) < "b0"; "\x01" ends the letters
    # so that a word sorts before its longer extensions ("an" < "anh")
    return "".join(f"{c}{m}" for c, m in letters) + "\x01" + "".join(map(str, tones))
