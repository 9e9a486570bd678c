"""Leader and 008: the classes of the Work and Instance, issuance, language and dates.

Spec sheet: LC ConvSpec-Leader and ConvSpec-006,008.
"""

from __future__ import annotations

from pymarc import Record
from pyoxigraph import Literal, NamedNode, Triple

from lod.converters.context import RecordContext, Triples
from lod.converters.marc.build import triple, typed
from lod.vocab import BF, ID_ISSUANCE, ID_LANGUAGES, SCHEMA

# leader/06 -> (BIBFRAME Work class, schema.org class of the Instance)
WORK_CLASSES: dict[str, tuple[NamedNode, NamedNode]] = {
    "a": (BF.Text, SCHEMA.Book),
    "t": (BF.Text, SCHEMA.Book),
    "c": (BF.NotatedMusic, SCHEMA.MusicComposition),
    "d": (BF.NotatedMusic, SCHEMA.MusicComposition),
    "e": (BF.Cartography, SCHEMA.Map),
    "f": (BF.Cartography, SCHEMA.Map),
    "g": (BF.MovingImage, SCHEMA.VideoObject),
    "i": (BF.NonMusicAudio, SCHEMA.CreativeWork),
    "j": (BF.MusicAudio, SCHEMA.MusicRecording),
    "k": (BF.StillImage, SCHEMA.VisualArtwork),
    "m": (BF.Multimedia, SCHEMA.CreativeWork),
    "o": (BF.Kit, SCHEMA.CreativeWork),
    "p": (BF.MixedMaterial, SCHEMA.CreativeWork),
    "r": (BF.Object, SCHEMA.CreativeWork),
}
MANUSCRIPT_TYPES = {"t", "d", "f"}
# leader/07 -> issuance code (id.loc.gov/vocabulary/issuance has only mono, mulm, serl, intg;
# a collection, leader/07 c, has no issuance term)
ISSUANCE = {"m": "mono", "s": "serl", "i": "intg", "a": "mono", "b": "serl", "d": "mono"}
SERIAL_LEVELS = {"s", "b", "i"}
# 008/23 (books, music, serials, mixed) or 008/29 (maps, visual): o/s = online/electronic
ELECTRONIC_FORMS = {"o", "q", "s"}

# MARC language code -> BCP 47, for schema:inLanguage
BCP47 = {
    "vie": "vi",
    "eng": "en",
    "fre": "fr",
    "ger": "de",
    "ara": "ar",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
    "rus": "ru",
    "heb": "he",
    "arm": "hy",
    "nep": "ne",
    "lat": "la",
    "per": "fa",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "tha": "th",
    "khm": "km",
    "lao": "lo",
    "dut": "nl",
    "pol": "pl",
    "ukr": "uk",
    "tur": "tr",
    "hin": "hi",
    "yid": "yi",
    "gre": "el",
    "cze": "cs",
}


def convert(record: Record, ctx: RecordContext) -> Triples:
    leader = str(record.leader)
    record_type, level = leader[6:7], leader[7:8]
    work_class, schema_class = WORK_CLASSES.get(record_type, (BF.Text, SCHEMA.CreativeWork))
    if level in SERIAL_LEVELS and schema_class is SCHEMA.Book:
        schema_class = SCHEMA.Periodical

    yield from typed(ctx.work, BF.Work, work_class, SCHEMA.CreativeWork)
    yield triple(ctx.work, BF.hasInstance, ctx.instance)
    yield triple(ctx.work, SCHEMA.workExample, ctx.instance)

    yield from typed(ctx.instance, BF.Instance, _instance_class(record, record_type), schema_class)
    yield triple(ctx.instance, BF.instanceOf, ctx.work)
    yield triple(ctx.instance, SCHEMA.exampleOfWork, ctx.work)
    if level in ISSUANCE:
        yield triple(ctx.instance, BF.issuance, NamedNode(ID_ISSUANCE + ISSUANCE[level]))

    yield from _fixed_fields(record, ctx)


def _instance_class(record: Record, record_type: str) -> NamedNode:
    if record_type in MANUSCRIPT_TYPES:
        return BF.Manuscript
    fixed = _008(record)
    form = fixed[29:30] if record_type in {"e", "f", "g", "k", "o", "r"} else fixed[23:24]
    if form in ELECTRONIC_FORMS:
        return BF.Electronic
    if record_type in {"a", "c", "e", "p"}:
        return BF.Print
    return BF.Instance


def _008(record: Record) -> str:
    field = record.get("008")
    return str(field.data) if field is not None and field.data else ""


def _fixed_fields(record: Record, ctx: RecordContext) -> list[Triple]:
    fixed = _008(record)
    triples: list[Triple] = []
    language = fixed[35:38].strip().lower()
    if len(language) == 3 and language.isalpha() and language not in {"zxx", "und", "mul"}:
        triples.append(triple(ctx.work, BF.language, NamedNode(ID_LANGUAGES + language)))
        triples.append(triple(ctx.work, SCHEMA.inLanguage, Literal(BCP47.get(language, language))))
    date1 = fixed[7:11]
    if date1.isdigit() and fixed[6:7] not in {"b", "n", "|"}:
        triples.append(triple(ctx.instance, SCHEMA.datePublished, Literal(date1)))
    return triples
