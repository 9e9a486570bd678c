"""What a converter needs to know beyond the field itself: the record, where it comes from, how to
mint IRIs, and which language tag the field's literals carry."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pyoxigraph import Literal, NamedNode

from lod.marcrecord import Field, Record
from lod.uris import Minter

# MARC language code -> BCP 47 language subtag
BCP47 = {
    "vie": "vi", "eng": "en", "fre": "fr", "ger": "de", "ara": "ar", "chi": "zh", "jpn": "ja",
    "kor": "ko", "rus": "ru", "heb": "he", "arm": "hy", "nep": "ne", "lat": "la", "per": "fa",
    "spa": "es", "ita": "it", "por": "pt", "tha": "th", "khm": "km", "lao": "lo", "dut": "nl",
    "pol": "pl", "ukr": "uk", "tur": "tr", "hin": "hi", "yid": "yi", "gre": "el", "cze": "cs",
    "swe": "sv", "dan": "da", "nor": "no", "fin": "fi", "hun": "hu", "rum": "ro", "bul": "bg",
    "srp": "sr", "hrv": "hr", "slo": "sk", "slv": "sl", "ind": "id", "may": "ms", "urd": "ur",
    "ben": "bn", "tam": "ta", "syr": "syc", "cat": "ca", "gle": "ga", "wel": "cy", "ice": "is",
    "mon": "mn", "bur": "my", "tib": "bo", "san": "sa", "grc": "grc", "ota": "ota", "kur": "ku",
}  # fmt: skip
# $6 script identification codes (MARC 21 Appendix) -> ISO 15924 script subtags
SCRIPTS = {"(3": "Arab", "(4": "Arab", "(B": "Latn", "$1": "Hani", "(N": "Cyrl", "(S": "Grek", "(2": "Hebr"}
# languages whose usual script is not Latin: their Latin-script fields are romanised
NON_LATIN = {"ar", "fa", "ur", "he", "yi", "ru", "uk", "bg", "sr", "el", "zh", "ja", "ko", "hy", "th",
             "km", "lo", "hi", "ne", "bn", "ta", "mn", "my", "bo", "sa", "syc", "ota", "ku"}  # fmt: skip
TRANSCRIBED = frozenset("130 240 245 246 250 260 264 490 505 730 740 800 810 811 830".split())
"""Fields transcribed from the resource: their literals are in the resource's language."""
CATALOGUER_NOTES = frozenset("500 502 504 508 511 518 520 521 530 533 538 546 550 588".split())
"""Notes written by the cataloguer: their literals are in the cataloguing language (040 $b)."""


DESCRIBED_LIMIT = 1 << 20


@lru_cache(maxsize=1 << 16)
def literal(value: str, language: str | None = None) -> Literal:
    """A plain literal, or one in `language`, remembered: headings, places, publishers, codes and
    extents ('Hà Nội', 'rdacontent', '21 cm') come back record after record, and one shared object
    is no new object for the garbage collector to walk while a batch waits to be written."""
    return Literal(value, language=language) if language else Literal(value)


@dataclass
class RecordContext:
    """One record being converted for one library."""

    minter: Minter
    library: str
    control_number: str
    record: Record | None = None
    language: str | None = None
    """BCP 47 tag of the resource's language (008/35-37), when the record says it."""
    cataloguing_language: str | None = None
    """BCP 47 tag of 040 $b, the language the cataloguer wrote notes in."""
    record_id: str = field(init=False)
    work: NamedNode = field(init=False)
    instance: NamedNode = field(init=False)
    library_iri: NamedNode = field(init=False)
    field_language: str | None = field(init=False, default=None)
    """The language tag of the literals of the field being converted (set per field)."""
    counters: dict[str, int] = field(init=False, default_factory=dict)
    holdings_layouts: dict[str, Any] = field(default_factory=dict)
    """Extra holdings field layouts (tag -> holdings.Layout), e.g. a local system's copy-number field."""
    described: set[Hashable] | None = None
    """Shared entities (agents, topics, places) already described earlier in this run, shared by
    the contexts of one file conversion so that its output states each entity once, not once per
    record that names it. None (the default): every record describes every entity it names, as a
    store needs when it validates and replaces records one by one."""
    describe_once: bool = field(init=False, default=False)
    """Whether this record may leave out descriptions made earlier (set by the record converter)."""

    def __post_init__(self) -> None:
        self.record_id = self.minter.record_id(self.library, self.control_number)
        self.work = self.minter.work(self.record_id)
        self.instance = self.minter.instance(self.record_id)
        self.library_iri = self.minter.library(self.library)

    def enter(self, field: Field, linked_tag: str | None = None) -> None:
        """Set the language tag for `field`'s literals: an 880 takes its script from $6, a
        transcribed field the resource's language, a note the cataloguing language."""
        tag = linked_tag or field.tag
        language = self.language
        if linked_tag is not None:
            linkage = field.linkage
            script = SCRIPTS.get(linkage.script) if linkage else None
            if script is None or script == "Latn":
                self.field_language = language
            else:
                self.field_language = f"{language or 'und'}-{script}"
        elif tag in TRANSCRIBED:
            romanised = language in NON_LATIN and field.get("6") is not None
            self.field_language = f"{language}-Latn" if romanised else language
        elif tag in CATALOGUER_NOTES:
            self.field_language = self.cataloguing_language
        else:
            self.field_language = None

    def text(self, value: str) -> Literal:
        """A literal in the current field's language."""
        language = self.field_language
        return literal(value, language) if language else literal(value)

    def describes(self, key: Hashable) -> bool:
        """Whether to state the description of the shared entity known by `key` in this record:
        always, unless this run has already stated it (see `described`)."""
        if not self.describe_once:
            return True
        seen = self.described
        assert seen is not None
        if key in seen:
            return False
        if len(seen) >= DESCRIBED_LIMIT:
            seen.clear()  # memory stays bounded; the cost is an entity described twice
        seen.add(key)
        return True

    def next(self, name: str) -> int:
        """1, 2, 3... per name within the record (e.g. the n-th holdings field)."""
        self.counters[name] = count = self.counters.get(name, 0) + 1
        return count
