"""Leader and 008: the classes of the Work and Instance, issuance, language, place, dates, audience.

Spec sheet: LC ConvSpec-Leader and ConvSpec-006,008. 008/07-14 with 008/15-17 become a
bf:Publication carrying the date (typed as EDTF) and the country as an id.loc.gov IRI.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, NamedNode

from lod.converters.context import BCP47, RecordContext
from lod.converters.marc.build import edtf, known_iri
from lod.marcrecord import Record
from lod.triples import Triple
from lod.vocab import BF, ID_AUDIENCE, ID_COUNTRIES, ID_ISSUANCE, ID_LANGUAGES, RDF, SCHEMA

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
# 008/23 (books, music, serials, mixed) or 008/29 (maps, visual): o/q/s = online/electronic;
# a/b/c = microform (neither print nor electronic)
ELECTRONIC_FORMS = {"o", "q", "s"}
MICROFORMS = {"a", "b", "c"}
VISUAL_TYPES = {"e", "f", "g", "k", "o", "r"}
# 008/22 target audience -> id.loc.gov/vocabulary/maudience
AUDIENCES = {"a": "pre", "b": "pri", "c": "pad", "d": "ado", "e": "adu", "f": "spe", "g": "gen", "j": "juv"}
AUDIENCE_TYPES = {"a", "t", "c", "d", "i", "j", "g", "k", "o", "r", "m"}
# 008/06 date types whose Date 2 ends a range
RANGES = {"c", "d", "i", "k", "m", "q", "u"}


def record_language(record: Record) -> str | None:
    """The BCP 47 tag of 008/35-37, or None when the record does not say."""
    code = record.control("008")[35:38].strip().lower()
    # ASCII letters only: str.isalpha() takes "ấ" or "д" too, and no language tag may hold them
    if len(code) != 3 or not (code.isascii() and code.isalpha()) or code in {"zxx", "und", "mul"}:
        return None
    return BCP47.get(code, code)


def convert(record: Record, ctx: RecordContext) -> list[Triple]:
    leader = record.leader
    record_type, level = leader[6:7], leader[7:8]
    work_class, schema_class = WORK_CLASSES.get(record_type, (BF.Text, SCHEMA.CreativeWork))
    work, instance = ctx.work, ctx.instance
    triples: list[Triple] = [
        (work, RDF.type, BF.Work),
        (work, RDF.type, work_class),
        (work, BF.hasInstance, instance),
        (instance, RDF.type, BF.Instance),
        (instance, RDF.type, _instance_class(record, record_type)),
        (instance, BF.instanceOf, work),
    ]
    if level in SERIAL_LEVELS:
        triples.append((instance, RDF.type, BF.Serial))
    if level in ISSUANCE:
        triples.append((instance, BF.issuance, known_iri(ID_ISSUANCE + ISSUANCE[level])))
    fixed = record.control("008")
    if fixed:  # a short 008 still gives what it has (a date, a country)
        triples.extend(_fixed_fields(fixed, record_type, ctx))
    return triples


def _instance_class(record: Record, record_type: str) -> NamedNode:
    if record_type in MANUSCRIPT_TYPES:
        return BF.Manuscript
    fixed = record.control("008")
    form = fixed[29:30] if record_type in VISUAL_TYPES else fixed[23:24]
    if form in ELECTRONIC_FORMS:
        return BF.Electronic
    if form in MICROFORMS:
        return BF.Instance
    if record_type in {"a", "c", "e", "p"}:
        return BF.Print
    return BF.Instance


def _fixed_fields(fixed: str, record_type: str, ctx: RecordContext) -> list[Triple]:
    triples: list[Triple] = []
    code = fixed[35:38].strip().lower()
    if len(code) == 3 and code.isalpha() and code not in {"zxx", "und", "mul", "   "}:
        triples.append((ctx.work, BF.language, known_iri(ID_LANGUAGES + code)))
    date = _date(fixed)
    country = fixed[15:18].strip().strip("|").lower()
    if date or (len(country) >= 2 and country.isalpha() and country != "xx"):
        activity = BlankNode()
        triples += [
            (ctx.instance, BF.provisionActivity, activity),
            (activity, RDF.type, BF.ProvisionActivity),
            (activity, RDF.type, BF.Publication),
        ]
        if date:
            triples.append((activity, BF.date, edtf(date)))
        if len(country) >= 2 and country.isalpha() and country != "xx":
            triples.append((activity, BF.place, known_iri(ID_COUNTRIES + country)))
    audience = AUDIENCES.get(fixed[22:23]) if record_type in AUDIENCE_TYPES else None
    if audience:
        triples.append((ctx.work, BF.intendedAudience, known_iri(ID_AUDIENCE + audience)))
    return triples


def _date(fixed: str) -> str | None:
    """008/07-14 as EDTF: '2015', '1952/1954', '19uu' -> '19XX'; None when there is no date."""
    kind = fixed[6:7]
    if kind in {"b", "n", "|", " "}:
        return None
    first, second = _edtf_year(fixed[7:11]), _edtf_year(fixed[11:15])
    if first is None:
        return None
    if kind in RANGES and second and second != first and not second.startswith("9999"):
        return f"{first}/{second}"
    if kind in RANGES and fixed[11:15] == "9999":
        return f"{first}/.."
    return first


def _edtf_year(value: str) -> str | None:
    if len(value) != 4 or not value[:1].isdigit():
        return None
    year = value.replace("u", "X").replace("-", "X")
    return year if all(c.isdigit() or c == "X" for c in year) else None
