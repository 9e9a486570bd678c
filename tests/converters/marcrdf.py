"""Helpers for the converter tests: build MARC records tersely, compare RDF graphs by isomorphism.

Fields are written in MARC mnemonic ("MRK") form, the way cataloguers read them:
`field("245 10$aTruyện Kiều /$cNguyễn Du.")`; a blank indicator is `_` (or a space), and a control
field is `field("008 150612s2015    vm ...")`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pymarc import Field, Indicators, Leader, Record, Subfield
from pyoxigraph import Literal, NamedNode
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from lod.converters.context import RecordContext
from lod.marcrecord import Record as LeanRecord
from lod.triples import AnyTriple as Triple
from lod.triples import ntriples
from lod.vocab import PREFIXES

MakeCtx = Callable[..., RecordContext]
"""The type of the `make_ctx` fixture."""
BOOK_LEADER = "00000nam a2200000 a 4500"
TURTLE_PREFIXES = "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items()) + (
    "@prefix edtf: <http://id.loc.gov/datatypes/> .\n"
    "@prefix relators: <http://id.loc.gov/vocabulary/relators/> .\n"
    "@prefix languages: <http://id.loc.gov/vocabulary/languages/> .\n"
    "@prefix issuance: <http://id.loc.gov/vocabulary/issuance/> .\n"
    "@prefix mstatus: <http://id.loc.gov/vocabulary/mstatus/> .\n"
)


def field(mrk: str) -> Field:
    """One field from its mnemonic form: '245 10$aTitle :$bsubtitle', '001 123'."""
    tag, rest = mrk[:3], mrk[4:]
    if tag < "010" and tag.isdigit():
        return Field(tag=tag, data=rest)
    indicators, _, body = rest.partition("$")
    ind1, ind2 = (indicators + "  ")[:2].replace("_", " ").replace("\\", " ")
    subfields = [Subfield(code=chunk[0], value=chunk[1:]) for chunk in body.split("$") if chunk]
    return Field(tag=tag, indicators=Indicators(ind1, ind2), subfields=subfields)


def record(*fields: str | Field, leader: str = BOOK_LEADER) -> LeanRecord:
    """A record with the given leader and fields (mnemonic strings or pymarc Fields), as the
    reader gives it to the converters."""
    result = Record(force_utf8=True)
    result.leader = Leader(leader)
    for item in fields:
        result.add_field(field(item) if isinstance(item, str) else item)
    return LeanRecord.from_pymarc(result)


def graph(triples: Iterable[Triple]) -> Graph:
    """Converter triples as an rdflib Graph, through N-Triples (blank nodes stay distinct)."""
    result = Graph()
    result.parse(data=ntriples(triples), format="nt")
    return result


def turtle(text: str) -> Graph:
    """An expected graph written in Turtle; the project's prefixes are declared already."""
    result = Graph()
    result.parse(data=TURTLE_PREFIXES + text, format="turtle")
    return result


def _lines(g: Graph) -> str:
    nt = g.serialize(format="nt")
    return "\n".join(sorted(line for line in nt.splitlines() if line.strip())) or "(nothing)"


def assert_isomorphic(actual: Graph | Iterable[Triple], expected: Graph | str) -> None:
    """Graphs equal up to blank-node labels, or an AssertionError listing what differs."""
    actual_graph = actual if isinstance(actual, Graph) else graph(actual)
    expected_graph = expected if isinstance(expected, Graph) else turtle(expected)
    if to_isomorphic(actual_graph) == to_isomorphic(expected_graph):
        return
    _, only_actual, only_expected = graph_diff(actual_graph, expected_graph)
    raise AssertionError(
        "graphs differ\n--- only in the converter's output:\n"
        + _lines(only_actual)
        + "\n--- only in the expected graph:\n"
        + _lines(only_expected)
    )


def objects(triples: Iterable[Triple], subject: Any, predicate: NamedNode) -> list[Any]:
    return [o for s, p, o in triples if s == subject and p == predicate]


def values(triples: Iterable[Triple], subject: Any, predicate: NamedNode) -> set[str]:
    """The lexical values of the literals (or the IRIs) of `subject predicate ?o`."""
    return {o.value for o in objects(triples, subject, predicate)}


def literals(triples: Iterable[Triple]) -> list[str]:
    """Every literal value in the output."""
    return [o.value for _, _, o in triples if isinstance(o, Literal)]
