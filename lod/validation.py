"""SHACL validation of converted records with pyshacl, the reference implementation.

Records are validated in batches (pyshacl's cost is mostly per call), and every result is
traced back to the record whose triples hold its focus node, so one bad record never blocks the
others. The shapes ship as package data (`lod.shapes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import rdflib
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, serialize
from rdflib import URIRef
from rdflib.namespace import SH

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ValidationResult:
    focus: str
    path: str | None
    severity: str
    messages: dict[str, str]
    """Language tag -> message (Vietnamese 'vi' and English 'en' for every shipped shape)."""
    value: str | None = None

    def message(self, lang: str) -> str:
        return self.messages.get(lang) or self.messages.get("en") or next(iter(self.messages.values()), "")


@dataclass
class RecordReport:
    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


@cache
def shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for entry in resources.files("lod.shapes").iterdir():
        if entry.name.endswith(".ttl"):
            graph.parse(data=entry.read_text(encoding="utf-8"), format="turtle")
    return graph


def to_rdflib(triples: Sequence[Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    data = serialize(triples, format=RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def validate_graph(data: rdflib.Graph) -> list[ValidationResult]:
    """All results for one rdflib graph (e.g. an RDF file given to `lod validate`)."""
    import pyshacl  # imported late: it is slow to import and only ingest/validate need it

    _, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), advanced=False,
                                          inference="none", allow_warnings=True)
    return [_parse_result(report_graph, r)
            for r in report_graph.subjects(rdflib.RDF.type, SH.ValidationResult)]


def validate_records(records: Sequence[Sequence[Triple]]) -> list[RecordReport]:
    """One report per record, in order. The records are checked together in one pyshacl run."""
    reports = [RecordReport() for _ in records]
    if not records:
        return reports
    owner: dict[str, int] = {}
    for index, triples in enumerate(records):
        for t in triples:
            if isinstance(t.subject, (NamedNode, BlankNode)):
                owner.setdefault(_key(t.subject), index)
    combined = [t for triples in records for t in triples]
    for result in validate_graph(to_rdflib(combined)):
        # every focus node is a subject of some record; the fallback only keeps the impossible visible
        reports[owner.get(result.focus, 0)].results.append(result)
    return reports


def _key(term: NamedNode | BlankNode) -> str:
    return term.value if isinstance(term, NamedNode) else "_:" + term.value


def _rdflib_key(term: rdflib.term.Node) -> str:
    return "_:" + str(term) if isinstance(term, rdflib.BNode) else str(term)


def _parse_result(graph: rdflib.Graph, result: rdflib.term.Node) -> ValidationResult:
    focus = graph.value(result, SH.focusNode)
    path = graph.value(result, SH.resultPath)
    severity = graph.value(result, SH.resultSeverity)
    value = graph.value(result, SH.value)
    messages = {
        (m.language or "en"): str(m)
        for m in graph.objects(result, SH.resultMessage)
        if isinstance(m, rdflib.Literal)
    }
    return ValidationResult(
        focus=_rdflib_key(focus) if focus is not None else "",
        path=str(path) if path is not None else None,
        severity=SEVERITY_NAMES.get(severity, "violation") if isinstance(severity, URIRef) else "violation",
        messages=messages,
        value=str(value) if value is not None else None,
    )
