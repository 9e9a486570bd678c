"""RecordContext.described: a run states each shared entity's description once, and loses nothing.

`lod convert` shares one `described` set between the records of its output, so an agent, topic,
place or content term named by a thousand records is described once, not a thousand times. The
output must still hold every statement the records make: compared here with blank nodes read by
value (a blank node is what its statements say), which is how a repeated description collapses.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from golden import BASE_IRI, all_records
from marcrdf import field, record
from pyoxigraph import BlankNode, Literal, NamedNode

from lod.converters.context import RecordContext
from lod.converters.marc import convert_record
from lod.triples import Triple
from lod.uris import Minter
from lod.vocab import RDF, RDFS, SCHEMA

Term = NamedNode | BlankNode | Literal


def by_value(triples: Iterable[Triple]) -> set[tuple[str, str, str]]:
    """The statements with each blank node replaced by what is said about it (recursively)."""
    out: dict[BlankNode, list[tuple[str, Term]]] = {}
    items = list(triples)
    for s, p, o in items:
        if type(s) is BlankNode:
            out.setdefault(s, []).append((str(p), o))

    def text(term: Term, seen: tuple[BlankNode, ...] = ()) -> str:
        if type(term) is not BlankNode or term in seen:
            return str(term)
        inner = sorted(f"{p} {text(o, (*seen, term))}" for p, o in out.get(term, []))
        return "[" + "; ".join(inner) + "]"

    return {(text(s), str(p), text(o)) for s, p, o in items if type(s) is not BlankNode}


def convert_all(described: set[Hashable] | None) -> list[Triple]:
    minter = Minter(BASE_IRI)
    triples: list[Triple] = []
    for rec in all_records().values():
        if rec.item.record is None:
            continue
        ctx = RecordContext(minter, "GOLDEN", rec.control_number, described=described)
        triples += convert_record(rec.item.record, ctx)
    return triples


def test_a_run_over_the_golden_records_loses_no_statement_and_repeats_fewer() -> None:
    every_time = convert_all(None)
    once = convert_all(set())
    assert by_value(once) == by_value(every_time)
    assert len(once) < len(every_time) - 100  # the golden records share headings, terms and places


def _agent_labels(triples: list[Triple], predicate: NamedNode) -> list[str]:
    return sorted(o.value for s, p, o in triples if p == predicate and "/agent/" in str(s))  # type: ignore[union-attr]


def test_the_second_record_naming_an_agent_leaves_its_description_out(minter: Minter) -> None:
    described: set[Hashable] = set()
    first = record(field("001 a"), field("100 1_$aNguyễn, Du,$d1765-1820."), field("245 10$aTruyện Kiều"))
    second = record(field("001 b"), field("100 1_$aNguyễn, Du,$d1765-1820."), field("245 10$aVăn chiêu hồn"))
    one = convert_record(first, RecordContext(minter, "T", "a", described=described))
    two = convert_record(second, RecordContext(minter, "T", "b", described=described))
    assert _agent_labels(one, RDFS.label) == ["Nguyễn, Du, 1765-1820"]
    assert _agent_labels(two, RDFS.label) == []
    assert _agent_labels(two, SCHEMA.name) == []
    # the second record still says who its author is: the same agent the first one described
    author = {o for s, p, o in one if p == SCHEMA.author}
    assert author and {o for s, p, o in two if p == SCHEMA.author} == author


def test_a_label_in_another_script_is_named_even_when_the_agent_was_described_before(minter: Minter) -> None:
    described: set[Hashable] = set()
    first = record(field("001 a"), field("100 1_$aNguyễn, Du,$d1765-1820."), field("245 10$aTruyện Kiều"))
    second = record(
        field("001 b"),
        field("100 1_$6880-01$aNguyễn, Du,$d1765-1820."),
        field("245 10$aTruyện Kiều"),
        field("880 1_$6100-01/$1$a阮攸"),
    )
    convert_record(first, RecordContext(minter, "T", "a", described=described))
    two = convert_record(second, RecordContext(minter, "T", "b", described=described))
    assert _agent_labels(two, SCHEMA.name) == ["阮攸"]
    assert any(p == RDF.type and o == SCHEMA.Person for _, p, o in two)
