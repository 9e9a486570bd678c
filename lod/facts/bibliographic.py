"""Facts of Instances, Works and Items, a library's own and the union catalogue's.

A union entry (lod.clustering) states little itself (its members, items and Work), so its page
shows the facts of one of its records, the representative (the first by IRI: stable between
visits), and says which one.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Triple

from lod.converters.context import BCP47
from lod.describe import Description, Value, compact, describe
from lod.facts import lists
from lod.facts.model import Context, Facts
from lod.i18n import MESSAGES
from lod.vocab import BF, BFLC, ID_LANGUAGES, LODV, RDF, SCHEMA

MARC_LANGUAGE = {bcp47: marc for marc, bcp47 in BCP47.items()}
CONTRIBUTORS = (SCHEMA.contributor, SCHEMA.editor, SCHEMA.translator, SCHEMA.illustrator)


def instance(ctx: Context) -> Facts:
    """A library's own Instance: its record's facts, who holds it, the union entry it is in, and
    the other editions of its work."""
    d = ctx.d
    facts = instance_facts(ctx, d)
    union = lists.union_entry(ctx, d.iri)
    if union is not None:
        facts.add("union_entry", [ctx.link(union, d.label)])
    work = next((v.iri for v in d.values(BF.instanceOf) if v.iri), None)
    union_work = lists.union_entry(ctx, work) if work and union else None
    facts.sections.append(lists.held_by(ctx, d.iri))
    if work is not None:
        others = lists.editions(ctx, "other_editions", union_work or work, {d.iri, union or d.iri})
        facts.sections.append(others)
    facts.schema = lists.schema_statements(ctx, d.iri, d.triples)
    return facts


def union_instance(ctx: Context) -> Facts:
    """A union Instance: its representative record's facts, every library holding it, the other
    editions of its union Work, and the records it merges."""
    d = ctx.d
    record = _representative(ctx, "instance")
    facts = instance_facts(ctx, record, d.label if d.label != compact(d.iri) else None)
    work = next((v.iri for v in d.values(BF.instanceOf) if v.iri), None)
    facts.fields.pop("work", None)
    facts.add("work", [ctx.link(work, facts.title)] if work else [])  # union Works have no label
    facts.add("described_from", [ctx.link(record.iri, record.label)])
    facts.sections.append(lists.held_by(ctx, d.iri))
    if work is not None:
        facts.sections.append(lists.editions(ctx, "other_editions", work, {d.iri}))
    facts.sections.append(lists.members(ctx, d.iri))
    facts.schema = _union_schema(ctx, record, work)
    return facts


def work(ctx: Context) -> Facts:
    """A library's own Work: its facts, who holds its Instances, and its editions (the union Work's,
    when it is in one)."""
    d = ctx.d
    facts = work_facts(ctx, d)
    union = lists.union_entry(ctx, d.iri)
    if union is not None:
        facts.add("union_entry", [ctx.link(union, d.label)])
    facts.sections.append(lists.held_by(ctx, d.iri, "work"))
    facts.sections.append(lists.editions(ctx, "editions", union or d.iri, set()))
    facts.sections.append(lists.linked(ctx, "about", lists.WORKS_ABOUT, d.iri))
    facts.schema = lists.schema_statements(ctx, d.iri, d.triples)
    return facts


def union_work(ctx: Context) -> Facts:
    """A union Work: its representative record's facts, every library holding one of its editions,
    its editions and the records it merges."""
    d = ctx.d
    record = _representative(ctx, "work")
    facts = work_facts(ctx, record)
    facts.add("described_from", [ctx.link(record.iri, record.label)])
    facts.sections.append(lists.held_by(ctx, d.iri, "work"))
    facts.sections.append(lists.editions(ctx, "editions", d.iri, set()))
    facts.sections.append(lists.members(ctx, d.iri))
    facts.schema = _union_schema(ctx, record, None)
    return facts


def item(ctx: Context) -> Facts:
    """An Item: which Instance, which library, its shelf mark and barcode."""
    d = ctx.d
    of = d.values(BF.itemOf)
    facts = Facts(of[0].text if of else d.label)
    facts.add("instance", of)
    if (union := lists.union_entry(ctx, d.iri)) is not None:
        facts.add("union_entry", [ctx.link(union, of[0].text if of else None)])
    facts.add("library", d.values(BF.heldBy))
    facts.add("shelf_mark", _labels(d.values(BF.shelfMark)))
    barcodes = [b for b in d.values(BF.identifiedBy) if b.is_a(BF.Barcode)]
    facts.add("barcode", [v for b in barcodes for v in b.get(RDF.value)])
    facts.add("location", d.values(BF.physicalLocation))
    facts.add("notes", _labels(d.values(BF.note)))
    facts.schema = lists.schema_statements(ctx, d.iri, d.triples)
    return facts


def instance_facts(ctx: Context, d: Description, label: str | None = None) -> Facts:
    """The fields of an Instance record, with its Work's subjects, summary and classification;
    titled `label` (a union entry's) or the record's own label."""
    title, subtitle = _title(d, label or d.label)
    facts = Facts(title, subtitle)
    work = next((v for v in d.values(BF.instanceOf) if v.iri), None)
    w = (
        describe(ctx.store, ctx.minter, NamedNode(work.iri), "work", 0, 0, ctx.lang)
        if work and work.iri
        else None
    )
    facts.add("variant_titles", _variant_titles(d, label or d.label))
    facts.add("responsibility", d.values(BF.responsibilityStatement))
    facts.add("authors", d.values(SCHEMA.author) or (w.values(SCHEMA.author) if w else []))
    facts.add("contributors", d.values(*CONTRIBUTORS) or (w.values(*CONTRIBUTORS) if w else []))
    facts.add("edition", d.values(BF.editionStatement))
    facts.add("publisher", d.values(SCHEMA.publisher) or _published(d, BFLC.simpleAgent))
    facts.add("place", d.values(SCHEMA.locationCreated) or _published(d, BFLC.simplePlace))
    facts.add("year", d.values(SCHEMA.datePublished) or _published(d, BFLC.simpleDate)[:1])
    facts.add("extent", _extent(d))
    facts.add("series", d.values(SCHEMA.isPartOf) or d.values(BF.seriesStatement))
    facts.add("isbn", d.values(SCHEMA.isbn))
    facts.add("issn", d.values(SCHEMA.issn))
    languages = d.values(SCHEMA.inLanguage) or (w.values(BF.language) if w else [])
    facts.add("language", _languages(ctx, languages))
    if w is not None:
        facts.add("subjects", w.values(SCHEMA.about))
        facts.add("genres", w.values(SCHEMA.genre))
        facts.add("summary", w.values(SCHEMA.description))
        facts.add("classification", _classification(w))
    facts.add("contents", _labels(d.values(BF.tableOfContents)))
    facts.add("notes", _labels(d.values(BF.note)))
    facts.add("online", d.values(SCHEMA.url))
    facts.add("work", [work] if work else [])
    return facts


def work_facts(ctx: Context, d: Description) -> Facts:
    """The fields of a Work record."""
    title, subtitle = _title(d, d.label)
    facts = Facts(title, subtitle)
    facts.add("variant_titles", _variant_titles(d, d.label))
    facts.add("authors", d.values(SCHEMA.author))
    facts.add("contributors", d.values(*CONTRIBUTORS))
    facts.add("language", _languages(ctx, d.values(BF.language) or d.values(SCHEMA.inLanguage)))
    facts.add("subjects", d.values(SCHEMA.about))
    facts.add("genres", d.values(SCHEMA.genre))
    facts.add("summary", d.values(SCHEMA.description))
    facts.add("classification", _classification(d))
    facts.add("notes", _labels(d.values(BF.note)))
    return facts


def _representative(ctx: Context, kind: str) -> Description:
    node = NamedNode(ctx.d.iri)
    members = sorted(
        t.object.value
        for t in ctx.d.triples
        if t.subject == node and t.predicate == LODV.member and isinstance(t.object, NamedNode)
    )
    if not members:
        return ctx.d
    return describe(ctx.store, ctx.minter, NamedNode(members[0]), kind, 0, 0, ctx.lang)


def _union_schema(ctx: Context, record: Description, work: str | None) -> list[Triple]:
    """The representative record's schema.org statements, said of the union entry; its links
    between Work and Instance are the union catalogue's (a union Instance's Work is `work`)."""
    statements = lists.schema_statements(ctx, record.iri, record.triples, ctx.d.iri)
    subject = NamedNode(ctx.d.iri)
    record_links = (SCHEMA.exampleOfWork, SCHEMA.workExample)
    kept = [t for t in statements if not (t.subject == subject and t.predicate in record_links)]
    if work is not None:
        kept.append(Triple(subject, SCHEMA.exampleOfWork, NamedNode(work)))
    return kept


def _published(d: Description, predicate: NamedNode) -> list[Value]:
    """What the record transcribed of its publication (260/264 $a $b $c), when schema.org has not."""
    activities = [a for a in d.values(BF.provisionActivity) if a.is_a(BF.Publication)]
    return [v for a in activities for v in a.get(predicate)]


def _titles(d: Description) -> list[tuple[str, str]]:
    """(main title, subtitle) of each bf:Title (a record with 880 fields has one per script)."""
    found = []
    for title in d.values(BF.title):
        if title.is_a(BF.Title):
            main = ". ".join(v.text for p in (BF.mainTitle, BF.partNumber, BF.partName) for v in title.get(p))
            if main:
                found.append((main, next((v.text for v in title.get(BF.subtitle)), "")))
    return found


def _title(d: Description, label: str) -> tuple[str, str]:
    """`label` (the entity's), split into main title and subtitle when one of the record's
    bf:Title says how; the record's other titles (other scripts) are variants."""
    for main, subtitle in _titles(d):
        if (f"{main} : {subtitle}" if subtitle else main) == label:
            return main, subtitle
    return label, ""


def _variant_titles(d: Description, label: str) -> list[Value]:
    """Variant and parallel titles, and the title in another script (romanised, original)."""
    shown = " : ".join(p for p in _title(d, label) if p)
    other_scripts = [" : ".join(p for p in pair if p) for pair in _titles(d)]
    return [Value(text) for text in other_scripts if text != shown] + [
        Value(v.text, language=v.language)
        for title in d.values(BF.title)
        if not title.is_a(BF.Title)
        for v in title.get(BF.mainTitle)
    ]


def _labels(values: list[Value]) -> list[Value]:
    """Blank nodes (notes, extents, shelf marks) as their label."""
    return [Value(v.text) for v in values]


def _extent(d: Description) -> list[Value]:
    parts = [v.text for v in d.values(BF.extent)] + [v.text for v in d.values(BF.dimensions)]
    return [Value(" ; ".join(p for p in parts if p))] if parts else []


def _classification(d: Description) -> list[Value]:
    found = []
    for c in d.values(BF.classification):
        prefix = BF.iri + "Classification"
        types = [v.iri[len(prefix) :].upper() for v in c.get(RDF.type) if v.iri and v.iri.startswith(prefix)]
        scheme = next((s for s in types if s), "")  # DDC, LCC, NLM...; "" for bf:Classification
        for portion in c.get(BF.classificationPortion):
            found.append(Value(f"{portion.text} ({scheme})" if scheme else portion.text))
    return found


def _languages(ctx: Context, values: list[Value]) -> list[Value]:
    """Language codes (an id.loc.gov IRI, or a BCP 47 tag) as the language's name."""
    found: dict[str, Value] = {}
    for v in values:
        code = v.iri.rsplit("/", 1)[-1] if v.iri else MARC_LANGUAGE.get(v.text, v.text)
        key = f"language.{code}"
        name = ctx.t(key) if key in MESSAGES else code
        found.setdefault(code, Value(name, iri=ID_LANGUAGES + code))
    return list(found.values())
