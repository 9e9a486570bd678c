"""What a reader looks for first on an entity's page, by kind: an Instance's title, authors,
publisher, holdings and other editions; a Work's editions; an Item's library and shelf mark; an
Agent's works; a Topic's works... Framework-free: the web layer renders `Facts`.

Which function applies is decided by the entity's classes (`FACTS`, first match), not its IRI:
a union Instance is a bf:Instance too, and a subject heading can be a Place or an Agent.
"""

from __future__ import annotations

from collections.abc import Mapping

from lod.describe import Description
from lod.errors import BadRequest
from lod.facts import bibliographic, headings, lists
from lod.facts.model import SECTIONS, Context, Facts, FactsFunction, Row, Section
from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import BF, LODV

FACTS: tuple[tuple[str, str, FactsFunction], ...] = (
    (LODV.UnionInstance.value, "union_instance", bibliographic.union_instance),
    (LODV.UnionWork.value, "union_work", bibliographic.union_work),
    (BF.Instance.value, "instance", bibliographic.instance),
    (BF.Work.value, "work", bibliographic.work),
    (BF.Item.value, "item", bibliographic.item),
    (BF.Place.value, "place", headings.place),
    (BF.Agent.value, "agent", headings.agent),
    (BF.Topic.value, "topic", headings.topic),
    (BF.Temporal.value, "topic", headings.topic),
    (BF.GenreForm.value, "genre", headings.topic),
    (BF.Series.value, "series", headings.series),
)
"""(class, kind, function): the first class an entity has decides which function gathers its facts;
the kind names it for readers (message key `facts.kind.{kind}`)."""


def facts_of(
    store: GraphStore,
    minter: Minter,
    description: Description,
    lang: str,
    page_size: int,
    offsets: Mapping[str, int] | None = None,
) -> Facts:
    """The facts of the described entity, in `lang`, its sections cut in pages of `page_size`
    at `offsets` (section name -> offset)."""
    ctx = Context(store, minter, description, lang, page_size, offsets or {})
    types = {t.iri for t in description.types}
    kind, function = next(((k, f) for cls, k, f in FACTS if cls in types), ("", _plain))
    facts = function(ctx)
    facts.kind = kind
    return facts


def page_offsets(args: Mapping[str, str]) -> dict[str, int]:
    """The section offsets a request asks for (`?editions=50`); BadRequest for a bad number."""
    offsets = {}
    for name in SECTIONS:
        raw = args.get(name)
        if raw is None:
            continue
        if not (raw.isascii() and raw.isdigit()):  # "²".isdigit(), and int() refuses it
            raise BadRequest("facts.bad_offset", name=name, value=raw)
        offsets[name] = min(int(raw), MAX_OFFSET)
    return offsets


MAX_OFFSET = 10**12
"""Past every list: a larger offset asks for the same empty page (found by fuzzing: 10**20 is more
than a query's OFFSET or itertools.islice takes, a 500)."""


def _plain(ctx: Context) -> Facts:
    return Facts(ctx.d.label, schema=lists.schema_statements(ctx, ctx.d.iri, ctx.d.triples))


__all__ = ["FACTS", "MAX_OFFSET", "SECTIONS", "Facts", "Row", "Section", "facts_of", "page_offsets"]
