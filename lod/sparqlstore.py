"""The store on a SPARQL server: SPARQL 1.1 Query, SPARQL 1.1 Update and the Graph Store HTTP
Protocol, for deployments that outgrow the embedded Oxigraph (Oxigraph server, Fuseki, Virtuoso,
GraphDB, QLever).

`SparqlStore` has the public methods of `lod.store.OxigraphStore` with the same return types: the
server's SPARQL JSON and N-Triples answers are parsed by pyoxigraph, so callers get the same
`QuerySolutions`, `QueryBoolean`, `QueryTriples`, `Triple` and `Quad` objects as from the embedded
store. `open_store(location)` picks the backend: an http(s) URL is a server, anything else a
directory (or ':memory:').

What a deployment must configure on the server:

- Queries without `FROM` must see the union of all named graphs as their default graph, as the
  embedded store's do: `oxigraph serve --union-default-graph`, Fuseki `tdb2:unionDefaultGraph true`
  (Virtuoso, GraphDB and QLever do it by default). Only `query`, `canned`, `triple_count` and
  `counts` depend on it; the other methods name their graphs (`GRAPH ?g`).
- The endpoints, derived from the URL as Oxigraph server names them: `{url}/query`,
  `{url}/update`, `{url}/store`; other servers differ (Fuseki: `/ds/query`, `/ds/update`,
  `/ds/data`): construct `SparqlStore(query_url, update_url, store_url)` for those.
- A query timeout on the server (`oxigraph serve --timeout-s`): the public endpoint passes visitors'
  queries through.

Writes that replace graphs are one SPARQL Update request each, `DROP SILENT GRAPH <g> ; INSERT DATA
{ GRAPH <g> { … } }`, which Oxigraph server runs as one transaction; a request is kept under
`MAX_REQUEST_CHARS`, so a very large call becomes several requests (each record, and each group of
statements linked by blank nodes, stays whole in one request). Blank nodes get fresh identifiers on
the server: contents compare by isomorphism, and adding statements with blank nodes twice adds them
twice (the embedded store keeps the identifiers and adds them once).

Values are never pasted into query text as strings: bound terms are written in their N-Triples form
(pyoxigraph's, escapes included) in a `VALUES` clause at the start of the query's WHERE group.
HTTP goes through the standard library's `urllib`: the protocols need nothing more, and neither
`SPARQLWrapper` nor `requests` is a dependency of the project.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import count
from typing import Any

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)

from lod.errors import StoreError
from lod.store import (
    SOURCE_DIGEST,
    GraphStore,
    OxigraphStore,
    QueryResult,
    RecordGraph,
    Term,
    counts_from,
    label_language_rank,
    labels_from,
    load_query,
)
from lod.triples import AnyTriple, ntriples

MAX_REQUEST_CHARS = 4_000_000
"""Above this many characters of data, a write is split into several update requests."""
BLANK_NODE_DEPTH = 6
"""How deep `describe` and `remove_subject` follow chains of blank nodes (a SPARQL property path
cannot be limited to blank nodes, so the chains are spelt out up to this length)."""
TIMEOUT = 300.0

_RESULTS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
}
_GRAPHS = {"application/n-triples": RdfFormat.N_TRIPLES, "text/turtle": RdfFormat.TURTLE}
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
# Everything that can hide a keyword or a brace without being one: comments, strings, IRIs.
_NOT_SYNTAX = re.compile(
    r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)
_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_WHERE = re.compile(r"(?<![\w:?$])WHERE(?![\w:])", re.IGNORECASE)
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def open_store(location: str | None, read_only: bool = False) -> GraphStore:
    """An http(s) URL opens a SPARQL server (`SparqlStore.open`), anything else the embedded store
    at that directory (`OxigraphStore.open`; None or ':memory:' for an in-memory one)."""
    if location is not None and location.startswith(("http://", "https://")):
        return SparqlStore.open(location, read_only=read_only)
    return OxigraphStore.open(location, read_only=read_only)


def sparql_term(term: Term) -> str:
    """`term` as SPARQL syntax: an IRI in <>, a literal in pyoxigraph's N-Triples form."""
    if isinstance(term, NamedNode | Literal):
        return str(term)
    if isinstance(term, BlankNode):
        raise ValueError("a blank node cannot be bound in a query sent to a server")
    raise TypeError(f"not an RDF term: {term!r}")


def with_values(query: str, bindings: Mapping[str, Term]) -> str:
    """`query` with `bindings` joined in as a `VALUES` clause at the start of its WHERE group (or at
    its end when it has none, as `DESCRIBE <x>`), the remote equivalent of pyoxigraph's
    `substitutions`."""
    if not bindings:
        return query
    for name in bindings:
        if not _VARNAME.match(name):
            raise ValueError(f"not a variable name: {name!r}")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(sparql_term(term) for term in bindings.values())
    clause = f"VALUES ({names}) {{ ({values}) }}"
    brace = _where_brace(query)
    if brace is None:
        return f"{query}\n{clause}\n"
    return f"{query[: brace + 1]} {clause}\n{query[brace + 1 :]}"


def _where_brace(query: str) -> int | None:
    """The position of the `{` opening the query's WHERE group, None if it has none."""
    masked = _NOT_SYNTAX.sub(lambda m: " " * len(m.group()), query)
    form = _FORM.search(masked)
    if form is None:
        raise SyntaxError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    depth = 0
    top: list[int] = []
    for position in range(form.end(), len(masked)):
        char = masked[position]
        if char == "{":
            if depth == 0:
                top.append(position)
            depth += 1
        elif char == "}":
            depth -= 1
    if form.group(1).upper() == "CONSTRUCT" and top and not _WHERE.search(masked, form.end(), top[0]):
        top = top[1:]  # the first group is the template
    return top[0] if top else None


def blank_node_chains(start: str, graph: str | None, depth: int = BLANK_NODE_DEPTH) -> str:
    """A group pattern binding ?s ?p ?o to the statements about `start` and about every blank node
    reached from it through blank nodes only, up to `depth` steps. `graph` is a graph IRI in <>, or
    None for any graph at each step."""
    steps = count()

    def within(pattern: str) -> str:
        return f"GRAPH {graph if graph is not None else f'?g{next(steps)}'} {{ {pattern} }}"

    branches = [f"{{ {within(f'{start} ?p ?o')} BIND({start} AS ?s) }}"]
    for length in range(1, depth + 1):
        chain, node = [], start
        for step in range(1, length + 1):
            chain.append(f"{within(f'{node} ?cp{step} ?cb{step}')} FILTER(isBlank(?cb{step}))")
            node = f"?cb{step}"
        branches.append(f"{{ {' '.join(chain)} {within(f'{node} ?p ?o')} BIND({node} AS ?s) }}")
    return " UNION ".join(branches)


class SparqlStore:
    """A store on a SPARQL 1.1 server, with the public methods of `OxigraphStore`."""

    def __init__(
        self,
        query_url: str,
        update_url: str,
        store_url: str,
        read_only: bool = False,
        timeout: float = TIMEOUT,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.read_only = read_only
        self.timeout = timeout
        self.location = query_url.rsplit("/", 1)[0] if query_url.endswith("/query") else query_url

    @classmethod
    def open(cls, url: str, read_only: bool = False) -> SparqlStore:
        """The server at `url`, with Oxigraph server's endpoint names below it."""
        base = url.rstrip("/")
        return cls(f"{base}/query", f"{base}/update", f"{base}/store", read_only=read_only)

    # writing
    def replace_records(self, records: Sequence[RecordGraph], shared_graph: NamedNode) -> int:
        """Replace each record's graph by its new statements and add the statements it shares to
        `shared_graph`, in as few update requests as `MAX_REQUEST_CHARS` allows (one per batch of
        whole records). Returns the number of statements written."""
        pieces = [
            (record.graph, ntriples(record.triples), ntriples(record.shared), record) for record in records
        ]
        written = 0
        batch: list[tuple[NamedNode, str, str, RecordGraph]] = []
        size = 0
        for piece in [*pieces, None]:
            if piece is None or (batch and size + len(piece[1]) + len(piece[2]) > MAX_REQUEST_CHARS):
                if batch:
                    drops = [f"DROP SILENT GRAPH {graph} ;\n" for graph, _, _, _ in batch]
                    blocks = [(graph, own) for graph, own, _, _ in batch]
                    blocks.append((shared_graph, "".join(shared for _, _, shared, _ in batch)))
                    self._update("".join(drops) + _insert_data(blocks))
                    written += sum(len(r.triples) + len(r.shared) for _, _, _, r in batch)
                batch, size = [], 0
            if piece is not None:
                batch.append(piece)
                size += len(piece[1]) + len(piece[2])
        return written

    def load_graphs(self, graphs: Sequence[NamedNode], nquads: bytes) -> None:
        """Replace each of `graphs` by its statements in `nquads` (statements of other graphs are
        added): DROP SILENT GRAPH and INSERT DATA, in requests of at most about MAX_REQUEST_CHARS."""
        by_graph: dict[NamedNode, list[Triple]] = {graph: [] for graph in graphs}
        for quad in parse(nquads, format=RdfFormat.N_QUADS):
            assert isinstance(quad.graph_name, NamedNode), "record data is in named graphs"
            by_graph.setdefault(quad.graph_name, []).append(quad.triple)
        dropping = set(graphs)
        for graph, triples in by_graph.items():
            first = graph in dropping
            for chunk in _chunks(triples):
                self._update(
                    (f"DROP SILENT GRAPH {graph} ;\n" if first else "") + _insert_data([(graph, chunk)])
                )
                first = False
            if first:
                self._update(f"DROP SILENT GRAPH {graph}")

    def add_shared(self, graph: NamedNode, triples: Iterable[AnyTriple]) -> None:
        """Add statements that many records share; adding one that is there already is a no-op
        (unless it has blank nodes, which are new on every request)."""
        for chunk in _chunks(list(triples)):
            self._update(_insert_data([(graph, chunk)]))

    def replace_graph(self, graph: NamedNode, triples: Iterable[AnyTriple]) -> int:
        """Empty `graph` and fill it with `triples`: one update request unless it is very large."""
        items = list(triples)
        first = True
        for chunk in _chunks(items):
            self._update((f"DROP SILENT GRAPH {graph} ;\n" if first else "") + _insert_data([(graph, chunk)]))
            first = False
        if first:
            self._update(f"DROP SILENT GRAPH {graph}")
        return len(items)

    def remove_subject(self, subject: NamedNode, graph: NamedNode) -> int:
        """Remove every statement about `subject` in `graph` (and blank nodes hanging off them)."""
        pattern = blank_node_chains(str(subject), str(graph))
        removed = self._count(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {pattern} }} }}"
        )
        if removed:
            self._update(f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ {pattern} }}")
        return removed

    def graph_names(self, prefix: str) -> list[str]:
        """The named graphs whose IRI starts with `prefix`."""
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(
            g.value for row in rows if isinstance(g := row["g"], NamedNode) and g.value.startswith(prefix)
        )

    def graph_triples(self, graph: NamedNode) -> list[Triple]:
        """The statements of `graph`, read with the Graph Store Protocol (GET ?graph=)."""
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph.value})}"
        status, _, body = self._send(urllib.request.Request(url, headers={"Accept": "application/n-triples"}))
        if status == 404:
            return []
        self._check(url, status, body)
        return [quad.triple for quad in parse(body, format=RdfFormat.N_TRIPLES)]

    def remove_record(self, graph: NamedNode) -> bool:
        if not self._ask(f"ASK {{ GRAPH {graph} {{ }} }}"):
            return False
        self._update(f"DROP SILENT GRAPH {graph}")
        return True

    def flush(self) -> None:
        """Nothing to do: the server has made each request durable before answering."""

    def optimize(self) -> bool:
        """Nothing done: the server manages its own files (Oxigraph server: `oxigraph optimize`)."""
        return False

    # reading
    def query(self, query: str, **options: Any) -> QueryResult:
        """Run SPARQL on the server; without default_graph/named_graphs its default graph must be
        the union of all graphs (see the module docstring). `substitutions` become a VALUES clause."""
        options.pop("use_default_graph_as_union", None)  # the server's configuration decides
        substitutions = options.pop("substitutions", None) or {}
        form: list[tuple[str, str]] = []
        for key, parameter in (("default_graph", "default-graph-uri"), ("named_graphs", "named-graph-uri")):
            graphs = options.pop(key, None)
            if graphs is None:
                continue
            for graph in graphs if isinstance(graphs, list | tuple | set) else [graphs]:
                if isinstance(graph, NamedNode):
                    form.append((parameter, graph.value))
                elif not isinstance(graph, DefaultGraph):
                    raise ValueError(f"not a graph name that a server can be sent: {graph!r}")
        prologue = "".join(
            f"PREFIX {p}: <{NamedNode(iri).value}>\n" for p, iri in options.pop("prefixes", {}).items()
        )
        if (base := options.pop("base_iri", None)) is not None:
            prologue = f"BASE <{NamedNode(base).value}>\n" + prologue
        if options:
            raise TypeError(f"query options a server cannot take: {', '.join(sorted(options))}")
        text = with_values(query, {v.value: t for v, t in substitutions.items()})
        return self._query(prologue + text, form)

    def canned(self, name: str, **bindings: Term) -> QueryResult:
        return self._query(with_values(load_query(name), bindings))

    def query_bool(self, name: str, **bindings: Term) -> bool:
        """The answer of a canned ASK query."""
        result = self.canned(name, **bindings)
        return bool(result) if isinstance(result, QueryBoolean) else False

    def exists(self, iri: NamedNode) -> bool:
        return self._ask(f"ASK {{ GRAPH ?g {{ {iri} ?p ?o }} }}")

    def describe(self, iri: NamedNode) -> list[Triple]:
        """The concise bounded description: outgoing statements, following blank nodes."""
        rows = self._select(f"SELECT DISTINCT ?s ?p ?o WHERE {{ {blank_node_chains(str(iri), None)} }}")
        return [Triple(row["s"], row["p"], row["o"]) for row in rows]

    def incoming(self, iri: NamedNode, offset: int, limit: int) -> list[Triple]:
        """Statements pointing at `iri`, one page of them (in a fixed order, stable between calls)."""
        rows = self._select(
            f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {iri} }} }} ORDER BY ?s ?p ?g "
            f"OFFSET {int(offset)} LIMIT {int(limit)}"
        )
        return [Triple(row["s"], row["p"], iri) for row in rows]

    def labels(
        self, nodes: Iterable[NamedNode], predicates: Sequence[NamedNode], lang: str | None = None
    ) -> dict[str, str]:
        """A label for each node, trying `predicates` in order (`label_language_rank` for `lang`)."""
        return labels_from(self.label_triples(nodes, predicates, lang))

    def label_triples(
        self, nodes: Iterable[NamedNode], predicates: Sequence[NamedNode], lang: str | None = None
    ) -> list[Triple]:
        """The statement giving each node its label, trying `predicates` in order (with `lang`, the
        label in that language first: lod.store.label_language_rank)."""
        nodes = list(dict.fromkeys(nodes))
        rank = {p.value: i for i, p in reversed(list(enumerate(predicates)))}
        best: dict[str, tuple[int, int, str, Triple]] = {}
        for start in range(0, len(nodes) if predicates else 0, 500):
            node_values = " ".join(str(n) for n in nodes[start : start + 500])
            rows = self._select(
                f"SELECT ?node ?p ?label WHERE {{ VALUES ?node {{ {node_values} }} "
                f"VALUES ?p {{ {' '.join(str(p) for p in predicates)} }} "
                f"GRAPH ?g {{ ?node ?p ?label }} FILTER(isLiteral(?label)) }}"
            )
            for row in rows:
                node, label, order = row["node"].value, row["label"], rank[row["p"].value]
                suits = label_language_rank(label, lang) if lang is not None else 0
                if node not in best or (order, suits, label.value) < best[node][:3]:
                    best[node] = (order, suits, label.value, Triple(row["node"], row["p"], label))
        return [triple for _, _, _, triple in best.values()]

    def keep_shared_labels(self, langs: Sequence[str]) -> int:
        """Nothing: a server's data may change under this object at any time, so it keeps no
        labels (lod.store.OxigraphStore.keep_shared_labels)."""
        return 0

    def objects(self, nodes: Iterable[NamedNode], predicate: NamedNode) -> dict[str, list[Term]]:
        """Each node's values of `predicate` (in any graph; nodes without one are absent)."""
        nodes = list(dict.fromkeys(nodes))
        found: dict[str, dict[Term, None]] = {}
        for start in range(0, len(nodes), 500):
            node_values = " ".join(str(n) for n in nodes[start : start + 500])
            rows = self._select(
                f"SELECT DISTINCT ?node ?value WHERE {{ VALUES ?node {{ {node_values} }} "
                f"GRAPH ?g {{ ?node {predicate} ?value }} }}"
            )
            for row in rows:
                found.setdefault(row["node"].value, {})[row["value"]] = None
        return {node: list(values) for node, values in found.items()}

    def is_empty(self) -> bool:
        return not self._ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

    def triple_count(self) -> int:
        return self._count(load_query("triple_count"))

    def graph_count(self) -> int:
        return self._count("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { } }")

    def graphs_with_digests(self, digests: Sequence[str]) -> dict[str, str]:
        """digest -> the record graph loaded from a source record with that `lodv:sourceDigest`."""
        found: dict[str, str] = {}
        for start in range(0, len(digests), 500):
            values = " ".join(str(Literal(d)) for d in digests[start : start + 500])
            pattern = f"GRAPH ?g {{ ?g <{SOURCE_DIGEST.value}> ?d }}"
            rows = self._select(f"SELECT ?d ?g WHERE {{ VALUES ?d {{ {values} }} {pattern} }}")
            found.update((row["d"].value, row["g"].value) for row in rows)
        return found

    def quads(self) -> Iterator[Quad]:
        rows = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return (Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows)

    def counts(self) -> Mapping[str, int]:
        return counts_from(self.canned("counts"))

    # protocol
    def _query(self, query: str, form: Sequence[tuple[str, str]] = ()) -> QueryResult:
        body = urllib.parse.urlencode([("query", query), *form]).encode("ascii")
        request = urllib.request.Request(
            self.query_url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
        )
        status, media_type, payload = self._send(request)
        if status == 400:  # the server's parser refused the query, as pyoxigraph's would
            raise SyntaxError(payload.decode("utf-8", "replace").strip()[:2000])
        self._check(self.query_url, status, payload)
        if media_type in _RESULTS:
            return parse_query_results(payload, format=_RESULTS[media_type])
        if media_type in _GRAPHS:
            # A CONSTRUCT or DESCRIBE answer: run through a throw-away store, so that callers get
            # pyoxigraph's own QueryTriples (blank nodes bound by the query stay as they are).
            graph = Store()
            graph.load(payload, format=_GRAPHS[media_type])
            return graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        raise StoreError(message=f"{self.query_url}: unexpected answer of type {media_type!r}")

    def _select(self, query: str) -> QuerySolutions:
        result = self._query(query)
        if not isinstance(result, QuerySolutions):
            raise StoreError(message=f"{self.query_url}: expected solutions, got {type(result).__name__}")
        return result

    def _ask(self, query: str) -> bool:
        result = self._query(query)
        if not isinstance(result, QueryBoolean):
            raise StoreError(message=f"{self.query_url}: expected a boolean, got {type(result).__name__}")
        return bool(result)

    def _count(self, query: str) -> int:
        row = next(self._select(query), None)
        value = row["n"] if row is not None else None
        return int(value.value) if isinstance(value, Literal) else 0

    def _update(self, update: str) -> None:
        if self.read_only:
            raise StoreError(message=f"{self.location}: the store was opened read-only")
        request = urllib.request.Request(
            self.update_url,
            data=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        status, _, body = self._send(request)
        self._check(self.update_url, status, body)

    def _send(self, request: urllib.request.Request) -> tuple[int, str, bytes]:
        """(HTTP status, media type, body) of the answer; StoreError if there is none."""
        request.add_header("User-Agent", "vn-library-lod")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers.get_content_type(), exc.read()
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(message=f"{request.full_url}: {exc}") from exc

    @staticmethod
    def _check(url: str, status: int, body: bytes) -> None:
        if not 200 <= status < 300:
            detail = body.decode("utf-8", "replace").strip()[:2000]
            raise StoreError(message=f"{url}: HTTP {status}: {detail}")


def _insert_data(blocks: Sequence[tuple[NamedNode, str | Sequence[AnyTriple]]]) -> str:
    """One INSERT DATA with a GRAPH block per (graph, statements) (a blank node label means the same
    node in all of them); empty blocks are left out, and an empty request is an empty string."""
    parts = []
    for graph, data in blocks:
        text = data if isinstance(data, str) else ntriples(data)
        if text:
            parts.append(f"GRAPH {graph} {{\n{text}}}\n")
    return f"INSERT DATA {{\n{''.join(parts)}}}" if parts else ""


def _chunks(triples: Sequence[AnyTriple]) -> Iterator[list[AnyTriple]]:
    """`triples` in chunks of at most about MAX_REQUEST_CHARS of N-Triples, keeping statements that
    share blank nodes together (a blank node label only means one node within one request)."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    for s, _, o in triples:
        if isinstance(s, BlankNode) and isinstance(o, BlankNode):
            parent[root(s.value)] = root(o.value)
    groups: dict[object, list[AnyTriple]] = {}
    for index, (s, p, o) in enumerate(triples):
        node = s if isinstance(s, BlankNode) else o if isinstance(o, BlankNode) else None
        groups.setdefault(root(node.value) if node is not None else index, []).append((s, p, o))
    chunk: list[AnyTriple] = []
    size = 0
    for group in groups.values():
        length = len(ntriples(group))
        if chunk and size + length > MAX_REQUEST_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.extend(group)
        size += length
    if chunk:
        yield chunk
