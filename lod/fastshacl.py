"""A fast SHACL Core validator for the shapes we ship, over converter triples, in plain Python.

pyshacl stays the reference (lod.validation.validate_graph); this is the path ingest takes. It
supports the subset of SHACL Core the shipped shapes use, and refuses (UnsupportedShape) any shape
outside it, so a shape can never be skipped silently:
- targets: sh:targetClass, sh:targetSubjectsOf, sh:targetObjectsOf, sh:targetNode;
- property shapes whose sh:path is an IRI or [sh:inversePath IRI];
- sh:minCount, sh:maxCount, sh:class, sh:datatype, sh:nodeKind, sh:pattern (+ sh:flags), sh:in,
  sh:hasValue, sh:minInclusive, sh:maxInclusive, sh:minLength, sh:maxLength, sh:languageIn,
  sh:qualifiedValueShape (of one sh:class, sh:datatype or sh:nodeKind) with sh:qualifiedMinCount /
  sh:qualifiedMaxCount, and sh:or of shapes of one sh:class, sh:datatype or sh:nodeKind each.
No rdfs:subClassOf reasoning (the data and shapes have none, and pyshacl runs without inference).

Why it is fast: a batch of records is indexed once (subject -> predicate -> objects, and class ->
instances), every shape is compiled once into small closures, and a constraint is a dictionary
lookup and a loop over a handful of values. A differential test (tests/test_fastshacl.py) runs it and
pyshacl over the corpus and broken records and requires the same results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib.collection import Collection
from rdflib.namespace import SH

from lod import vocab
from lod.triples import AnyTriple

Term = NamedNode | BlankNode | Literal
RDF_TYPE = vocab.RDF.type
XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SUPPORTED_PARAMETERS = {
    SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags,
    SH["in"], SH.hasValue, SH.minInclusive, SH.maxInclusive, SH.minLength, SH.maxLength,
    SH.languageIn, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH["or"],
    SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group, rdflib.RDFS.label,
    rdflib.RDFS.comment, rdflib.RDF.type,
}  # fmt: skip
NODE_SHAPE_KEYS = {
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.property,
    rdflib.RDF.type, rdflib.RDFS.label, rdflib.RDFS.comment, SH.name, SH.description,
    SH.severity, SH.message,
}  # fmt: skip
_WELL_FORMED = {
    XSD + "integer": re.compile(r"^[+-]?\d+$"),
    XSD + "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    XSD + "boolean": re.compile(r"^(true|false|1|0)$"),
    XSD + "date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "dateTime": re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "gYear": re.compile(r"^-?\d{4,}(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "gYearMonth": re.compile(r"^-?\d{4,}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
}


class UnsupportedShape(ValueError):
    """A shipped shape uses SHACL the fast validator does not implement (validate with pyshacl)."""


@dataclass(frozen=True)
class Result:
    """One validation result, in the terms pyshacl's report gives (for the differential test)."""

    focus: str
    path: str | None
    severity: str
    component: str
    value: str | None
    messages: tuple[tuple[str, str], ...]


# the data --------------------------------------------------------------------------------------
class Index:
    """One batch's triples, only those the shapes read: subject -> predicate -> objects (a set, in
    order), class -> instances, and for inverse paths and target predicates the other direction."""

    def __init__(self, triples: Iterable[AnyTriple], plan: Plan) -> None:
        out: dict[Term, dict[NamedNode, list[Term]]] = {}
        back: dict[NamedNode, dict[Term, list[Term]]] = {p: {} for p in plan.inverse}
        subjects: dict[NamedNode, dict[Term, None]] = {p: {} for p in plan.forward}
        types: dict[Term, list[Term]] = {}
        roles = plan.roles
        for s, p, o in triples:
            role = roles.get(p)  # one lookup: most predicates the shapes never read stop here
            if role is None:
                continue
            props = out.get(s)
            if props is None:
                out[s] = props = {p: [o]}
            else:
                values = props.get(p)
                if values is None:
                    props[p] = [o]
                elif o in values:
                    continue
                else:
                    values.append(o)
            if role:
                if role & TYPE:
                    if (instances := types.get(o)) is None:
                        types[o] = [s]
                    else:
                        instances.append(s)
                if role & BACK:
                    back[p].setdefault(o, []).append(s)
                if role & FORWARD:
                    subjects[p][s] = None
        self.out = out
        self.back = back
        self.subjects = subjects
        self.types = types

    def has_type(self, node: Term, cls: Term) -> bool:
        props = self.out.get(node)
        return props is not None and cls in props.get(RDF_TYPE, ())


# compiled shapes ---------------------------------------------------------------------------------
Check = Callable[[Index, Term, list[Term]], list[tuple[str, Term | None]]]
"""(index, focus, value nodes) -> [(constraint component, offending value or None)]."""


@dataclass
class PropertyShape:
    path: NamedNode
    inverse: bool
    severity: str
    messages: tuple[tuple[str, str], ...]
    checks: list[Check] = field(default_factory=list)


@dataclass
class NodeShape:
    name: str
    classes: list[Term] = field(default_factory=list)
    subjects_of: list[NamedNode] = field(default_factory=list)
    objects_of: list[NamedNode] = field(default_factory=list)
    nodes: list[Term] = field(default_factory=list)
    properties: list[PropertyShape] = field(default_factory=list)

    @cached_property
    def only_class(self) -> Term | None:
        """The target class, when the shape's one target is a class (then the instances of that
        class are its focus nodes as they are: unique, in order)."""
        if len(self.classes) == 1 and not (self.subjects_of or self.objects_of or self.nodes):
            return self.classes[0]
        return None


_VOCABULARIES = [v for v in vars(vocab).values() if isinstance(v, vocab.Vocabulary)]


def _named(iri: str) -> NamedNode:
    """The IRI as a NamedNode; for a term of our vocabularies (lod.vocab), the very object the
    converters use, so that looking a shape's paths and classes up among their statements finds
    them by identity, without comparing IRIs in pyoxigraph (hundreds of lookups a record)."""
    for vocabulary in _VOCABULARIES:
        if iri.startswith(vocabulary.iri) and (name := iri[len(vocabulary.iri) :]) in vocabulary:
            return vocabulary[name]
    return NamedNode(iri)


def _ox(term: rdflib.term.Node) -> Term:
    if isinstance(term, rdflib.URIRef):
        return _named(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise UnsupportedShape(f"unsupported term {term!r}")


def compile_shapes(graph: rdflib.Graph) -> list[NodeShape]:
    """Every sh:NodeShape of the graph, compiled; raises UnsupportedShape outside the subset."""
    shapes: list[NodeShape] = []
    for node in sorted(set(graph.subjects(rdflib.RDF.type, SH.NodeShape)), key=str):
        unknown = {p for p in graph.predicates(node) if p not in NODE_SHAPE_KEYS}
        if unknown:
            raise UnsupportedShape(f"{node}: {sorted(map(str, unknown))}")
        shape = NodeShape(str(node))
        shape.classes = [_ox(o) for o in graph.objects(node, SH.targetClass)]
        shape.subjects_of = [_named(str(o)) for o in graph.objects(node, SH.targetSubjectsOf)]
        shape.objects_of = [_named(str(o)) for o in graph.objects(node, SH.targetObjectsOf)]
        shape.nodes = [_ox(o) for o in graph.objects(node, SH.targetNode)]
        for prop in graph.objects(node, SH.property):
            shape.properties.append(_property(graph, prop))
        shapes.append(shape)
    return shapes


def _property(graph: rdflib.Graph, node: rdflib.term.Node) -> PropertyShape:
    unknown = {p for p in graph.predicates(node) if p not in SUPPORTED_PARAMETERS}
    if unknown:
        raise UnsupportedShape(f"property shape {node}: {sorted(map(str, unknown))}")
    path = graph.value(node, SH.path)
    inverse = False
    if isinstance(path, rdflib.BNode):
        inner = graph.value(path, SH.inversePath)
        if not isinstance(inner, rdflib.URIRef) or len(list(graph.predicate_objects(path))) != 1:
            raise UnsupportedShape(f"property shape {node}: only IRI and inverse paths")
        path, inverse = inner, True
    if not isinstance(path, rdflib.URIRef):
        raise UnsupportedShape(f"property shape {node}: sh:path must be an IRI")
    severity = graph.value(node, SH.severity, default=SH.Violation)
    messages = tuple(
        sorted(
            (m.language or "en", str(m))
            for m in graph.objects(node, SH.message)
            if isinstance(m, rdflib.Literal)
        )
    )
    severity_name = (
        SEVERITIES.get(severity, "violation") if isinstance(severity, rdflib.URIRef) else "violation"
    )
    shape = PropertyShape(_named(str(path)), inverse, severity_name, messages)
    value = graph.value

    def number(predicate: rdflib.URIRef) -> int | None:
        found = value(node, predicate)
        return int(str(found)) if found is not None else None

    if (n := number(SH.minCount)) is not None:
        shape.checks.append(_min_count(n))
    if (n := number(SH.maxCount)) is not None:
        shape.checks.append(_max_count(n))
    for component, test in _value_tests(graph, node).items():
        shape.checks.append(_each(component, test))
    if (has := value(node, SH.hasValue)) is not None:
        shape.checks.append(_has_value(_ox(has)))
    qualified = value(node, SH.qualifiedValueShape)
    if qualified is not None:
        component, test = _single_test(graph, qualified)
        shape.checks.append(_qualified(test, number(SH.qualifiedMinCount), number(SH.qualifiedMaxCount)))
    alternatives = value(node, SH["or"])
    if alternatives is not None:
        tests = [_single_test(graph, member)[1] for member in Collection(graph, alternatives)]
        shape.checks.append(_each(str(SH.OrConstraintComponent), _any_test(tests)))
    return shape


ValueTest = Callable[[Index, Term], bool]


def _value_tests(graph: rdflib.Graph, node: rdflib.term.Node) -> dict[str, ValueTest]:
    """Constraints checked value by value: component IRI -> test a value passes."""
    tests: dict[str, ValueTest] = {}
    value = graph.value
    if (cls := value(node, SH["class"])) is not None:
        tests[str(SH.ClassConstraintComponent)] = _class_test(_ox(cls))
    if (datatype := value(node, SH.datatype)) is not None:
        tests[str(SH.DatatypeConstraintComponent)] = _datatype_test(str(datatype))
    if (kind := value(node, SH.nodeKind)) is not None:
        tests[str(SH.NodeKindConstraintComponent)] = _node_kind_test(kind)
    if (pattern := value(node, SH.pattern)) is not None:
        flags = str(value(node, SH.flags) or "")
        regex = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
        tests[str(SH.PatternConstraintComponent)] = lambda idx, v: (
            not isinstance(v, BlankNode) and bool(regex.search(v.value))
        )
    if (members := value(node, SH["in"])) is not None:
        allowed = frozenset(_ox(m) for m in Collection(graph, members))
        tests[str(SH.InConstraintComponent)] = lambda idx, v: v in allowed
    for predicate, component, compare in (
        (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda a, b: a >= b),
        (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda a, b: a <= b),
    ):
        if (bound := value(node, predicate)) is not None:
            tests[str(component)] = _range_test(Decimal(str(bound)), compare)
    for predicate, component, compare in (
        (SH.minLength, SH.MinLengthConstraintComponent, lambda a, b: a >= b),
        (SH.maxLength, SH.MaxLengthConstraintComponent, lambda a, b: a <= b),
    ):
        if (length := value(node, predicate)) is not None:
            tests[str(component)] = _length_test(int(str(length)), compare)
    if (languages := value(node, SH.languageIn)) is not None:
        ranges = [str(m).lower() for m in Collection(graph, languages)]
        tests[str(SH.LanguageInConstraintComponent)] = _language_test(ranges)
    return tests


def _single_test(graph: rdflib.Graph, node: rdflib.term.Node) -> tuple[str, ValueTest]:
    """The one value test of a shape used inside sh:or or sh:qualifiedValueShape."""
    allowed = {SH["class"], SH.datatype, SH.nodeKind, rdflib.RDF.type}
    unknown = {p for p in graph.predicates(node) if p not in allowed}
    tests = _value_tests(graph, node)
    if unknown or len(tests) != 1:
        raise UnsupportedShape(
            f"{node}: an inner shape must hold exactly one sh:class, sh:datatype or sh:nodeKind"
        )
    return next(iter(tests.items()))


def _any_test(tests: list[ValueTest]) -> ValueTest:
    def test(idx: Index, v: Term) -> bool:
        for alternative in tests:
            if alternative(idx, v):
                return True
        return False

    return test


def _class_test(cls: Term) -> ValueTest:
    return lambda idx, v: not isinstance(v, Literal) and idx.has_type(v, cls)


def _datatype_test(datatype: str) -> ValueTest:
    well_formed = _WELL_FORMED.get(datatype)

    def test(idx: Index, v: Term) -> bool:
        if not isinstance(v, Literal):
            return False
        actual = LANG_STRING if v.language else v.datatype.value
        if actual != datatype:
            return False
        return well_formed is None or bool(well_formed.match(v.value))

    return test


def _node_kind_test(kind: rdflib.term.Node) -> ValueTest:
    allowed = {
        SH.IRI: (NamedNode,),
        SH.Literal: (Literal,),
        SH.BlankNode: (BlankNode,),
        SH.BlankNodeOrIRI: (BlankNode, NamedNode),
        SH.BlankNodeOrLiteral: (BlankNode, Literal),
        SH.IRIOrLiteral: (NamedNode, Literal),
    }.get(kind)  # type: ignore[call-overload]
    if allowed is None:
        raise UnsupportedShape(f"unknown sh:nodeKind {kind}")
    return lambda idx, v: isinstance(v, allowed)


NUMERIC = frozenset(
    XSD + name
    for name in "integer decimal double float int long short byte nonNegativeInteger positiveInteger "
    "nonPositiveInteger negativeInteger unsignedInt unsignedLong unsignedShort unsignedByte".split()
)


def _range_test(bound: Decimal, compare: Callable[[Decimal, Decimal], bool]) -> ValueTest:
    def test(idx: Index, v: Term) -> bool:
        if not isinstance(v, Literal) or v.datatype.value not in NUMERIC:
            return False  # a string "7" is not comparable with a number: SHACL says violation
        try:
            return compare(Decimal(v.value), bound)
        except InvalidOperation:
            return False

    return test


def _length_test(length: int, compare: Callable[[int, int], bool]) -> ValueTest:
    return lambda idx, v: not isinstance(v, BlankNode) and compare(len(v.value), length)


def _language_test(ranges: list[str]) -> ValueTest:
    def test(idx: Index, v: Term) -> bool:
        if not isinstance(v, Literal) or not v.language:
            return False
        tag = v.language.lower()
        return any(tag == r or tag.startswith(r + "-") or r == "*" for r in ranges)

    return test


def _min_count(n: int) -> Check:
    component = str(SH.MinCountConstraintComponent)
    return lambda idx, focus, values: [(component, None)] if len(values) < n else []


def _max_count(n: int) -> Check:
    component = str(SH.MaxCountConstraintComponent)
    return lambda idx, focus, values: [(component, None)] if len(values) > n else []


def _each(component: str, test: ValueTest) -> Check:
    def check(idx: Index, focus: Term, values: list[Term]) -> list[tuple[str, Term | None]]:
        for v in values:  # values nearly always pass: no list is made for them
            if not test(idx, v):
                return [(component, w) for w in values if not test(idx, w)]
        return []

    return check


def _has_value(expected: Term) -> Check:
    component = str(SH.HasValueConstraintComponent)
    return lambda idx, focus, values: [] if expected in values else [(component, None)]


def _qualified(test: ValueTest, least: int | None, most: int | None) -> Check:
    def check(idx: Index, focus: Term, values: list[Term]) -> list[tuple[str, Term | None]]:
        count = sum(1 for v in values if test(idx, v))
        found: list[tuple[str, Term | None]] = []
        if least is not None and count < least:
            found.append((str(SH.QualifiedMinCountConstraintComponent), None))
        if most is not None and count > most:
            found.append((str(SH.QualifiedMaxCountConstraintComponent), None))
        return found

    return check


# validating --------------------------------------------------------------------------------------
TYPE, BACK, FORWARD = 1, 2, 4


@dataclass(frozen=True)
class Plan:
    """What a set of shapes reads: predicate -> role bits (0: a path only; TYPE, BACK, FORWARD)."""

    shapes: tuple[NodeShape, ...]
    roles: dict[NamedNode, int]
    inverse: frozenset[NamedNode]
    forward: frozenset[NamedNode]


def plan(shapes: Sequence[NodeShape]) -> Plan:
    inverse = frozenset({p.path for s in shapes for p in s.properties if p.inverse}
                        | {p for s in shapes for p in s.objects_of})  # fmt: skip
    forward = frozenset(p for s in shapes for p in s.subjects_of)
    roles = {p.path: 0 for s in shapes for p in s.properties}
    roles[RDF_TYPE] = roles.get(RDF_TYPE, 0) | TYPE
    for predicate in inverse:
        roles[predicate] = roles.get(predicate, 0) | BACK
    for predicate in forward:
        roles[predicate] = roles.get(predicate, 0) | FORWARD
    return Plan(tuple(shapes), roles, inverse, forward)


@cache
def shipped_plan() -> Plan:
    """The shipped shapes (lod.shapes), compiled once."""
    from lod.validation import shapes_graph

    return plan(compile_shapes(shapes_graph()))


def shipped_shapes() -> list[NodeShape]:
    return list(shipped_plan().shapes)


def validate(triples: Iterable[AnyTriple], shapes: Sequence[NodeShape] | None = None) -> list[Result]:
    """Every result of the shipped (or given) shapes over the triples, as pyshacl would report them."""
    compiled = shipped_plan() if shapes is None else plan(shapes)
    index = Index(triples, compiled)
    out, back = index.out, index.back
    results: list[Result] = []
    for shape in compiled.shapes:
        for focus in _focus_nodes(shape, index):
            props = out.get(focus, _NO_PROPERTIES)
            for prop in shape.properties:
                path = prop.path
                values = back[path].get(focus, _NO_VALUES) if prop.inverse else props.get(path, _NO_VALUES)
                for check in prop.checks:
                    found = check(index, focus, values)
                    if found:
                        results += [_result(prop, focus, component, value) for component, value in found]
    return results


_NO_PROPERTIES: dict[NamedNode, list[Term]] = {}
_NO_VALUES: list[Term] = []
"""What a node without statements has (shared: never changed)."""


def _result(prop: PropertyShape, focus: Term, component: str, value: Term | None) -> Result:
    return Result(
        focus=_key(focus),
        path=("^" if prop.inverse else "") + prop.path.value,
        severity=prop.severity,
        component=component,
        value=_key(value) if value is not None else None,
        messages=prop.messages,
    )


def _focus_nodes(shape: NodeShape, index: Index) -> Iterable[Term]:
    if shape.only_class is not None:
        return index.types.get(shape.only_class, ())
    found: dict[Term, None] = {}
    for cls in shape.classes:
        found.update(dict.fromkeys(index.types.get(cls, ())))
    for predicate in shape.subjects_of:
        found.update(index.subjects[predicate])
    for predicate in shape.objects_of:
        found.update(dict.fromkeys(index.back[predicate]))
    found.update(dict.fromkeys(shape.nodes))
    return found


def _key(term: Term) -> str:
    """How lod.validation names a node: the IRI, '_:id', or the literal's lexical form."""
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return term.value
