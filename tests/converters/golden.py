"""Golden-record regression machinery: real MARC records, converted, against stored Turtle.

The golden set is every record of every MARC file in `tests/data/golden/` (real records copied
byte for byte from the shared corpus; provenance in `tests/data/golden/SOURCES.md`) plus the
project's hand-made Vietnamese fixtures in `data/sample/` (read in place). Each record has a stable
key, `<file stem>-<001>`, and one expected graph, `tests/data/golden/expected/<key>.ttl`.

Regenerate the expected files from the current converter (and review the diff in git):

    python -m tests.converters.golden            # from the project root

A record whose conversion raises gets `<key>.error` instead of `<key>.ttl`, holding the exception
type and message: a crash is then part of the golden behaviour, so regeneration reports it and
exits with status 1 (after writing every file).
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_canonical_graph, to_isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from lod import vocab
from lod.marcio import SourceRecord, read_marc
from lod.triples import AnyTriple, ntriples
from lod.uris import Minter

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
EXPECTED = GOLDEN / "expected"
SOURCES_MD = GOLDEN / "SOURCES.md"
FIXTURES = (ROOT / "data" / "sample" / "vietnamese.xml", ROOT / "data" / "sample" / "vietnamese-koha.mrc")
"""The hand-made Vietnamese records (not real catalogue data), referenced in place."""
MARC_SUFFIXES = (".xml", ".mrc")
BASE_IRI = "http://data.test/"
LIBRARY = "GOLDEN"
TTL, ERROR = ".ttl", ".error"
DIFF_LINES = 60
"""How many lines of each side of a diff to show before truncating."""


# the selection -----------------------------------------------------------------------------------
def real_files() -> list[Path]:
    """The golden MARC files copied from the corpus, in a stable order."""
    return sorted(p for p in GOLDEN.iterdir() if p.is_file() and p.suffix in MARC_SUFFIXES)


def source_files() -> list[Path]:
    """Every file of the golden set: the real records, then the Vietnamese fixtures."""
    return [*real_files(), *FIXTURES]


def is_fixture(path: Path) -> bool:
    return path.resolve() in {p.resolve() for p in FIXTURES}


@dataclass
class GoldenRecord:
    key: str
    path: Path
    item: SourceRecord
    control_number: str
    """The 001, or `pos<N>` for a record without one (the pipeline would reject it)."""

    @property
    def position(self) -> int:
        return self.item.position

    @property
    def real(self) -> bool:
        return not is_fixture(self.path)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "_"


def read_records(path: Path) -> list[GoldenRecord]:
    """Every record of one file, keyed `<stem>-<001>` (`-<position>` added if a 001 repeats)."""
    items = list(read_marc(path))
    controls = [item.control_number for item in items]
    result = []
    for item, control in zip(items, controls, strict=True):
        if control is None:
            key, control = f"{path.stem}-pos{item.position}", f"pos{item.position}"
        elif controls.count(control) > 1:
            key = f"{path.stem}-{_safe(control)}-{item.position}"
        else:
            key = f"{path.stem}-{_safe(control)}"
        result.append(GoldenRecord(key, path, item, control))
    return result


@cache
def all_records() -> dict[str, GoldenRecord]:
    """Every golden record by key, read once per process."""
    records: dict[str, GoldenRecord] = {}
    for path in source_files():
        for rec in read_records(path):
            if rec.key in records:
                raise ValueError(f"duplicate golden key {rec.key} ({path} and {records[rec.key].path})")
            records[rec.key] = rec
    return records


# conversion --------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What converting one golden record gave: a graph, or the exception it raised."""

    record: GoldenRecord
    graph: Graph | None = None
    error: BaseException | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def error_text(self) -> str:
        assert self.error is not None
        return error_text(self.error)


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip() + "\n"


def to_graph(triples: Iterable[AnyTriple]) -> Graph:
    """Converter triples as an rdflib Graph, through N-Triples (blank nodes stay distinct)."""
    result = Graph()
    result.parse(data=ntriples(triples), format="nt")
    return result


def convert(rec: GoldenRecord, library: str = LIBRARY) -> Graph:
    """The converter's output for one golden record; raises what the converter raises."""
    # imported here, so the selection can be read (and extract.py run) while a converter is broken
    from lod.converters.context import RecordContext
    from lod.converters.marc import convert_record

    if rec.item.record is None:
        raise ValueError(f"{rec.key}: record unreadable: {rec.item.error}")
    ctx = RecordContext(Minter(BASE_IRI), library, rec.control_number)
    return to_graph(convert_record(rec.item.record, ctx))


def convert_file(path: str | Path, library: str = LIBRARY) -> dict[str, Graph]:
    """One graph per record of a MARC file, keyed like the expected files (`<stem>-<001>`)."""
    return {rec.key: convert(rec, library) for rec in read_records(Path(path))}


def attempt(rec: GoldenRecord, library: str = LIBRARY) -> Outcome:
    """Convert, catching the exception and recording any Python warnings."""
    outcome = Outcome(rec)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome.graph = convert(rec, library)
        except Exception as exc:  # a crash is a golden outcome too
            outcome.error = exc
    outcome.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
    return outcome


# stable Turtle -----------------------------------------------------------------------------------
def prefixes() -> dict[str, str]:
    """Fixed prefixes for the expected files: lod.vocab's and id.loc.gov vocabularies."""
    result = dict(getattr(vocab, "PREFIXES", {}))
    for prefix, name in (
        ("languages", "ID_LANGUAGES"),
        ("relators", "ID_RELATORS"),
        ("countries", "ID_COUNTRIES"),
        ("issuance", "ID_ISSUANCE"),
    ):
        if isinstance(getattr(vocab, name, None), str):
            result.setdefault(prefix, getattr(vocab, name))
    for name in ("mstatus", "carriers", "contentTypes", "mediaTypes", "genreForms"):
        result.setdefault(name, f"http://id.loc.gov/vocabulary/{name}/")
    result.setdefault("edtf", "http://id.loc.gov/datatypes/")
    return result


RESOURCES = f"{BASE_IRI}resource/"
"""Minted entity IRIs, `{base}resource/{kind}/{id}`, get the kind as prefix (`work:`, `agent:`...)."""


_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class _Writer:
    """Deterministic Turtle: sorted subjects and predicates, single-use blank nodes inlined."""

    def __init__(self, graph: Graph) -> None:
        self.graph = to_canonical_graph(graph) if any(isinstance(t, BNode) for t in _terms(graph)) else graph
        # longest namespace first, so `bf:` never shadows a longer one
        self.namespaces = sorted(prefixes().items(), key=lambda kv: -len(kv[1]))
        self.used: set[str] = set()
        self.kinds: dict[str, str] = {}
        refs: dict[BNode, int] = {}
        for o in self.graph.objects():
            if isinstance(o, BNode):
                refs[o] = refs.get(o, 0) + 1
        self.inline = {b for b, n in refs.items() if n == 1}
        self.labels: dict[Node, str] = {}
        self.cache: dict[BNode, str] = {}

    def iri(self, node: Node) -> str:
        text = str(node)
        for prefix, ns in self.namespaces:
            if text.startswith(ns) and _LOCAL.fullmatch(text[len(ns) :]):
                self.used.add(prefix)
                return f"{prefix}:{text[len(ns) :]}"
        kind, _, local = text.removeprefix(RESOURCES).partition("/")
        if text.startswith(RESOURCES) and re.fullmatch("[a-z]+", kind) and _LOCAL.fullmatch(local):
            if kind not in dict(self.namespaces):
                self.kinds[kind] = f"{RESOURCES}{kind}/"
                return f"{kind}:{local}"
        return f"<{text}>"

    def literal(self, lit: Literal) -> str:
        body = '"' + "".join(_ESCAPES.get(c, c) for c in str(lit)) + '"'
        if lit.language:
            return f"{body}@{lit.language}"
        if lit.datatype is not None and lit.datatype != XSD.string:
            return f"{body}^^{self.iri(lit.datatype)}"
        return body

    def label(self, node: Node) -> str:
        if node not in self.labels:
            self.labels[node] = f"_:b{len(self.labels) + 1}"
        return self.labels[node]

    def term(self, node: Node, indent: int, stack: tuple[BNode, ...]) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        assert isinstance(node, BNode)
        if node in self.inline and node not in stack:
            return self.nested(node, indent, stack)
        return self.label(node)

    def nested(self, node: BNode, indent: int, stack: tuple[BNode, ...]) -> str:
        body = self.properties(node, indent + 1, (*stack, node))
        if not body:
            return "[]"
        pad = "    " * indent
        return "[\n" + body + "\n" + pad + "]"

    def sort_key(self, node: Node) -> tuple[int, str]:
        if isinstance(node, URIRef):
            return (0, str(node))
        if isinstance(node, Literal):
            return (1, f"{node}\x00{node.language or ''}\x00{node.datatype or ''}")
        assert isinstance(node, BNode)
        if node not in self.cache:  # the content, so ordering does not depend on hash labels
            self.cache[node] = self.properties(node, 0, (node,)) if node in self.inline else str(node)
        return (2, self.cache[node])

    def properties(self, subject: Node, indent: int, stack: tuple[BNode, ...]) -> str:
        pad = "    " * indent
        predicates = sorted(set(self.graph.predicates(subject)), key=lambda p: (p != RDF.type, str(p)))
        lines = []
        for p in predicates:
            verb = "a" if p == RDF.type else self.iri(p)
            objects = sorted(self.graph.objects(subject, p), key=self.sort_key)
            text = ""
            for o in objects:
                item = self.term(o, indent, stack)
                if text:  # `] , [` between inlined blank nodes, otherwise one object a line
                    text += " , " if text.endswith("]") and item.startswith("[") else " ,\n" + pad + "    "
                text += item
            lines.append(pad + verb + " " + text)
        return " ;\n".join(lines)

    def write(self) -> str:
        named = sorted({s for s in self.graph.subjects() if isinstance(s, URIRef)}, key=str)
        blanks = sorted(
            {s for s in self.graph.subjects() if isinstance(s, BNode) and s not in self.inline}, key=str
        )
        # single-use blank nodes in a cycle of their own are never reached from a top subject:
        # give them a label and a block of their own
        reached = self._reachable([*named, *blanks])
        orphans = sorted(
            {s for s in self.graph.subjects() if isinstance(s, BNode) and s not in reached}, key=str
        )
        self.inline -= set(orphans)
        for node in [*blanks, *orphans]:  # labels in output order
            self.label(node)
        blocks = []
        for subject in [*named, *blanks, *orphans]:
            head = self.iri(subject) if isinstance(subject, URIRef) else self.label(subject)
            blocks.append(head + "\n" + self.properties(subject, 1, ()) + " .")
        used = {p: ns for p, ns in prefixes().items() if p in self.used} | self.kinds
        header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(used.items()))
        return header + ("\n" if header else "") + "\n\n".join(blocks) + ("\n" if blocks else "")

    def _reachable(self, tops: list[Node]) -> set[Node]:
        seen: set[Node] = set(tops)
        todo = list(tops)
        while todo:
            for o in self.graph.objects(todo.pop()):
                if isinstance(o, BNode) and o in self.inline and o not in seen:
                    seen.add(o)
                    todo.append(o)
        return seen


def _terms(graph: Graph) -> Iterator[Node]:
    for s, _, o in graph:
        yield s
        yield o


def to_turtle(graph: Graph) -> str:
    """The graph as deterministic Turtle: same graph, same bytes (up to blank-node structure)."""
    return _Writer(graph).write()


def parse_turtle(text: str) -> Graph:
    result = Graph()
    result.parse(data=text, format="turtle")
    return result


# comparison --------------------------------------------------------------------------------------
def _truncate(text: str, limit: int) -> str:
    lines = text.rstrip("\n").splitlines()
    body = [line for line in lines if not line.startswith("@prefix")]
    if len(body) <= limit:
        return "\n".join(body) or "(nothing)"
    return "\n".join(body[:limit]) + f"\n... ({len(body) - limit} more lines)"


def diff_report(expected: Graph, actual: Graph, limit: int = DIFF_LINES) -> str:
    """What differs between two graphs, as Turtle: triples only in expected, only in actual.

    Blank nodes are matched by their canonical form, so a change inside a blank node shows its
    whole description on both sides (that is where to look).
    """
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    return (
        f"graphs differ: {len(expected)} expected triples, {len(actual)} actual; "
        f"{len(only_expected)} only in expected, {len(only_actual)} only in actual\n"
        f"--- only in expected:\n{_truncate(to_turtle(only_expected), limit)}\n"
        f"+++ only in actual (the converter's output):\n{_truncate(to_turtle(only_actual), limit)}"
    )


def expected_files() -> list[Path]:
    return sorted(p for p in EXPECTED.glob("*") if p.suffix in (TTL, ERROR))


def expected_keys() -> list[str]:
    return [p.stem for p in expected_files()]


def expected_path(key: str) -> Path | None:
    for suffix in (TTL, ERROR):
        path = EXPECTED / f"{key}{suffix}"
        if path.exists():
            return path
    return None


# regeneration ------------------------------------------------------------------------------------
def regenerate(out: Path = EXPECTED, echo: bool = True) -> list[Outcome]:
    """Write one expected file per golden record (and delete stale ones); report what happened."""
    out.mkdir(parents=True, exist_ok=True)
    outcomes = [attempt(rec) for rec in all_records().values()]
    written: set[Path] = set()
    for outcome in outcomes:
        key = outcome.record.key
        if outcome.graph is not None:
            path = out / f"{key}{TTL}"
            text = f"# golden: {_describe(outcome.record)}\n" + to_turtle(outcome.graph)
        else:
            path = out / f"{key}{ERROR}"
            text = outcome.error_text
        path.write_text(text, encoding="utf-8")
        written.add(path)
    stale = [p for p in out.glob("*") if p.suffix in (TTL, ERROR) and p not in written]
    for path in stale:
        path.unlink()
    if echo:
        _report(outcomes, stale)
    return outcomes


def _describe(rec: GoldenRecord) -> str:
    try:
        where = rec.path.resolve().relative_to(ROOT)
    except ValueError:
        where = rec.path
    return f"{where} record {rec.position} (001 {rec.control_number}), library {LIBRARY}, base {BASE_IRI}"


def _report(outcomes: list[Outcome], stale: list[Path]) -> None:
    real = sum(o.record.real for o in outcomes)
    ok = [o for o in outcomes if o.graph is not None]
    print(
        f"{len(outcomes)} golden records ({real} real, {len(outcomes) - real} Vietnamese fixtures): "
        f"{len(ok)} converted, {len(outcomes) - len(ok)} raised; "
        f"{sum(len(o.graph) for o in ok if o.graph is not None)} triples; "
        f"expected files in {EXPECTED.relative_to(ROOT)}"
    )
    for outcome in outcomes:
        notes = []
        if outcome.error is not None:
            notes.append("RAISED " + outcome.error_text.strip())
        if outcome.graph is not None and len(outcome.graph) == 0:
            notes.append("EMPTY graph (no triples)")
        notes += [f"warning {w}" for w in outcome.warnings]
        notes += [
            f"reader {key}" + "".join(f": {value}" for value in params.values())
            for key, params in outcome.record.item.fixes
        ]
        for note in notes:
            print(f"  {outcome.record.key}: {note}")
    for path in stale:
        print(f"  removed stale {path.name}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        print("usage: python -m tests.converters.golden   (regenerates tests/data/golden/expected/)")
        return 2
    outcomes = regenerate()
    return 1 if not outcomes or any(o.error is not None for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
