"""SHACL validation of converted records with pyshacl, the reference implementation.

Records are validated in batches (pyshacl's cost is mostly per call), and every result is
traced back to the record whose triples hold its focus node, so one bad record never blocks the
others. The shapes ship as package data (`lod.shapes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib import URIRef
from rdflib.namespace import SH

from lod import fastshacl
from lod.i18n import DEFAULT_LANGUAGE
from lod.triples import AnyTriple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ValidationResult:
    focus: str
    path: str | None
    severity: str
    messages: dict[str, str]
    """Language tag -> message (Vietnamese 'vi' and English 'en' for every shipped shape)."""
    value: str | None = None
    component: str | None = None
    """The SHACL constraint component (sh:MinCountConstraintComponent...), for the report graph."""

    def message(self, lang: str) -> str:
        """The message in `lang`, else Vietnamese, else English (as `lod.i18n.t` falls back)."""
        for candidate in (lang, DEFAULT_LANGUAGE, "en"):
            if candidate in self.messages:
                return self.messages[candidate]
        return next(iter(self.messages.values()), "")


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


def to_rdflib(triples: Iterable[AnyTriple]) -> rdflib.Graph:
    """An rdflib graph of the triples, keeping blank-node ids (so validation results can be traced
    back, and a serialisation of the same triples is the same bytes)."""
    graph = rdflib.Graph()
    for t in triples:
        s, p, o = t
        graph.add((_rdflib_term(s), _rdflib_term(p), _rdflib_term(o)))
    return graph


def _rdflib_term(term: object) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value if term.datatype else XSD_STRING
        return rdflib.Literal(term.value, datatype=None if datatype == XSD_STRING else datatype)
    raise ValueError(f"an RDF 1.2 quoted triple has no rdflib form: {term}")


def validate_graph(data: rdflib.Graph) -> list[ValidationResult]:
    """All results for one rdflib graph (e.g. an RDF file given to `lod validate`)."""
    import pyshacl  # imported late: it is slow to import and only ingest/validate need it

    _, report_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), advanced=False, inference="none", allow_warnings=True
    )
    return [
        _parse_result(report_graph, r) for r in report_graph.subjects(rdflib.RDF.type, SH.ValidationResult)
    ]


def validate_records(records: Sequence[Sequence[AnyTriple]], engine: str = "fast") -> list[RecordReport]:
    """One report per record, in order, from the fast validator (lod.fastshacl), one record at a
    time; or with `engine="pyshacl"` from pyshacl, the reference, all records in one run (its cost
    is mostly per call), each result traced back to the records holding its focus node."""
    if engine == "fast":
        # no cost per call, so each record is checked on its own: its results are its own
        return [RecordReport([_from_fast(r) for r in fastshacl.validate(triples)]) for triples in records]
    reports = [RecordReport() for _ in records]
    if not records:
        return reports
    owners: dict[str, set[int]] = {}
    for index, triples in enumerate(records):
        for t in triples:
            subject = t[0]
            if isinstance(subject, (NamedNode, BlankNode)):
                owners.setdefault(_key(subject), set()).add(index)
    combined = (t for triples in records for t in triples)
    for result in validate_graph(to_rdflib(combined)):
        # A shared node (an agent in several records) is every one of those records' problem.
        # Every focus node is a subject of some record; the fallback keeps the impossible visible.
        for index in sorted(owners.get(result.focus, {0})):
            reports[index].results.append(result)
    return reports


def _from_fast(result: fastshacl.Result) -> ValidationResult:
    return ValidationResult(
        focus=result.focus,
        path=result.path,
        severity=result.severity,
        messages=dict(result.messages),
        value=result.value,
        component=result.component,
    )


def reference_results(triples: Iterable[AnyTriple]) -> list[fastshacl.Result]:
    """pyshacl's results over the triples, in the fast validator's terms (the differential test)."""
    import pyshacl

    _, report, _ = pyshacl.validate(
        to_rdflib(triples), shacl_graph=shapes_graph(), advanced=False, inference="none", allow_warnings=True
    )
    found = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        path_text: str | None = str(path) if path is not None else None
        if isinstance(path, rdflib.BNode):
            path_text = "^" + str(report.value(path, SH.inversePath))
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        found.append(
            fastshacl.Result(
                focus=_rdflib_key(report.value(result, SH.focusNode)),
                path=path_text,
                severity=SEVERITY_NAMES.get(severity, "violation")
                if isinstance(severity, URIRef)
                else "violation",
                component=str(report.value(result, SH.sourceConstraintComponent)),
                value=_rdflib_key(value) if value is not None else None,
                messages=tuple(
                    sorted(
                        (m.language or "en", str(m))
                        for m in report.objects(result, SH.resultMessage)
                        if isinstance(m, rdflib.Literal)
                    )
                ),
            )
        )
    return found


def _key(term: NamedNode | BlankNode) -> str:
    return term.value if isinstance(term, NamedNode) else "_:" + term.value


def _rdflib_key(term: rdflib.term.Node) -> str:
    return "_:" + str(term) if isinstance(term, rdflib.BNode) else str(term)


def _parse_result(graph: rdflib.Graph, result: rdflib.term.Node) -> ValidationResult:
    focus = graph.value(result, SH.focusNode)
    path = graph.value(result, SH.resultPath)
    severity = graph.value(result, SH.resultSeverity)
    value = graph.value(result, SH.value)
    component = graph.value(result, SH.sourceConstraintComponent)
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
        component=str(component) if component is not None else None,
    )


def report_turtle(rows: Sequence[dict[str, object]]) -> str:
    """`lod validate --format turtle`: the rows as a SHACL validation report (sh:ValidationReport),
    with each result's messages in Vietnamese and English and where it came from as rdfs:comment."""
    report = rdflib.BNode()
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    graph.add((report, rdflib.RDF.type, SH.ValidationReport))
    severities = {name: iri for iri, name in SEVERITY_NAMES.items()}
    conforms = not any(row["severity"] == "violation" for row in rows)
    graph.add((report, SH.conforms, rdflib.Literal(conforms)))
    for row in rows:
        node = rdflib.BNode()
        graph.add((report, SH.result, node))
        graph.add((node, rdflib.RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, severities.get(str(row["severity"]), SH.Violation)))
        if row.get("focus"):
            graph.add((node, SH.focusNode, _report_term(str(row["focus"]))))
        path = row.get("path")
        if path:
            text = str(path)
            if text.startswith("^"):
                inverse = rdflib.BNode()
                graph.add((inverse, SH.inversePath, URIRef(text[1:])))
                graph.add((node, SH.resultPath, inverse))
            else:
                graph.add((node, SH.resultPath, URIRef(text)))
        if row.get("component"):
            graph.add((node, SH.sourceConstraintComponent, URIRef(str(row["component"]))))
        if row.get("value") is not None:
            graph.add((node, SH.value, _report_term(str(row["value"]))))
        messages = row.get("messages") or {}
        for lang, text in dict(messages).items():  # type: ignore[call-overload]
            graph.add((node, SH.resultMessage, rdflib.Literal(text, lang=lang)))
        graph.add((node, rdflib.RDFS.comment, rdflib.Literal(str(row["where"]))))
    return graph.serialize(format="turtle")


def _report_term(key: str) -> rdflib.term.Node:
    """A node as lod.validation names it ('_:id', an IRI, or a literal's lexical form)."""
    if key.startswith("_:"):
        return rdflib.BNode(key[2:])
    if re.match(r"^[a-z][a-z0-9+.-]*:\S+$", key) and not key.startswith("urn:isbn"):
        return URIRef(key)
    return rdflib.Literal(key)
