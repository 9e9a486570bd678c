"""One suite over both store backends: the embedded pyoxigraph store and `lod.sparqlstore.SparqlStore`
against a real Oxigraph server (`oxigraph serve`, from the `oxigraph` package of the test extra)."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
    Variable,
)
from rdflib.compare import graph_diff, isomorphic

from lod.config import Settings
from lod.errors import StoreError
from lod.ingest import ingest_file
from lod.registry import ingest_registry
from lod.sparqlstore import SparqlStore, open_store, with_values
from lod.store import GraphStore, OxigraphStore, RecordGraph
from lod.triples import AnyTriple, ntriples
from lod.uris import Minter
from lod.vocab import LODV as VOCAB
from lod.vocab import RDF, RDFS, SCHEMA
from tests.conftest import ROOT, SAMPLE, free_port, server_process

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
EX = "http://example.test/"
LODV = "https://w3id.org/vn-library-lod/vocab#"
TRICKY = 'Thư viện "Hà Nội" \\ {x} } ; DROP ALL ; # Đ\u0301'


def ex(name: str) -> NamedNode:
    return NamedNode(EX + name)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """`oxigraph serve` over `location` on a free loopback port, union default graph on."""
    with server_process(
        lambda port: [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],  # fmt: skip
        probe="/query?query=ASK%7B%7D",
        log_path=location.parent / f"{location.name}.log",
    ) as base:
        yield base


@pytest.fixture(scope="module")
def sparql_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not OXIGRAPH.exists():
        pytest.fail(f"{OXIGRAPH} is missing: install the test extra (pip install -e '.[test]')")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "store") as base:
        yield base


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """An empty store of each kind."""
    if request.param == "embedded":
        return OxigraphStore.open(None)
    server = SparqlStore.open(request.getfixturevalue("sparql_server"))
    server._update("DROP ALL")
    return server


def graph_of(triples: Iterable[AnyTriple]) -> rdflib.Graph:
    return rdflib.Graph().parse(data=ntriples(triples), format="nt")


def assert_isomorphic(actual: Iterable[AnyTriple], expected: Iterable[AnyTriple]) -> None:
    """rdflib.compare.isomorphic; above ISOMORPHIC_LIMIT statements (rdflib takes minutes on the
    10,000 blank nodes of the admin units graph) equal multisets of statements with each blank
    node written as its content, which decides isomorphism when blank nodes form trees, as ours do."""
    actual, expected = list(actual), list(expected)
    if max(len(actual), len(expected)) > ISOMORPHIC_LIMIT:
        assert len(actual) == len(expected)
        assert tree_form(actual) == tree_form(expected)
        return
    left, right = graph_of(actual), graph_of(expected)
    if not isomorphic(left, right):
        _, only_left, only_right = graph_diff(left, right)
        left_text, right_text = only_left.serialize(format="nt"), only_right.serialize(format="nt")
        pytest.fail(f"only in actual:\n{left_text}\nonly in expected:\n{right_text}")


ISOMORPHIC_LIMIT = 5000


def tree_form(triples: Iterable[AnyTriple]) -> Counter[str]:
    outgoing: dict[BlankNode, list[tuple[NamedNode, object]]] = defaultdict(list)
    items = list(triples)
    for s, p, o in items:
        if isinstance(s, BlankNode):
            outgoing[s].append((p, o))
    memo: dict[BlankNode, str] = {}

    def written(node: object, depth: int = 0) -> str:
        if not isinstance(node, BlankNode):
            return str(node)
        if depth > 50:
            return "[cycle]"
        if node not in memo:
            memo[node] = (
                "[" + " ; ".join(sorted(f"{p} {written(o, depth + 1)}" for p, o in outgoing[node])) + "]"
            )
        return memo[node]

    return Counter(f"{written(s)} {p} {written(o)}" for s, p, o in items)


def record(name: str, *triples: AnyTriple, shared: Iterable[AnyTriple] = ()) -> RecordGraph:
    return RecordGraph(ex(f"graph/{name}"), list(triples), list(shared))


SHARED = ex("graph/shared")


# writing -----------------------------------------------------------------------------------------


def test_replace_records_replaces_without_leftovers(store: GraphStore) -> None:
    title = BlankNode()
    first = record(
        "r1",
        (ex("i1"), RDFS.label, Literal("cũ")),
        (ex("i1"), ex("title"), title),
        (title, ex("main"), Literal("Nhan đề cũ", language="vi")),
        shared=[(ex("a1"), RDFS.label, Literal("Tác giả"))],
    )
    other = record("r2", (ex("i2"), RDFS.label, Literal("khác")))
    assert store.replace_records([first, other], SHARED) == 5
    new_title = BlankNode()
    second = record(
        "r1",
        (ex("i1"), RDFS.label, Literal("mới")),
        (ex("i1"), ex("title"), new_title),
        (new_title, ex("main"), Literal('Nhan đề "mới"', language="vi")),
        shared=[(ex("a1"), RDFS.label, Literal("Tác giả"))],
    )
    assert store.replace_records([second], SHARED) == 4
    assert_isomorphic(store.graph_triples(first.graph), second.triples)
    assert_isomorphic(store.graph_triples(other.graph), other.triples)
    assert_isomorphic(store.graph_triples(SHARED), second.shared)
    assert store.graph_count() == 3
    assert store.triple_count() == 5


def test_remove_record(store: GraphStore) -> None:
    r = record("r1", (ex("i1"), RDFS.label, Literal("x")))
    store.replace_records([r], SHARED)
    assert store.remove_record(r.graph) is True
    assert store.remove_record(r.graph) is False
    assert store.graph_triples(r.graph) == []
    assert store.is_empty()


def test_add_shared_is_idempotent(store: GraphStore) -> None:
    triples = [(ex("lib"), RDF.type, SCHEMA.Library), (ex("lib"), SCHEMA.name, Literal("Thư viện"))]
    store.add_shared(SHARED, triples)
    store.add_shared(SHARED, triples)
    assert store.triple_count() == 2
    assert_isomorphic(store.graph_triples(SHARED), triples)


def test_replace_graph(store: GraphStore) -> None:
    graph = ex("graph/lib")
    geo = BlankNode()
    old = [(ex("lib"), SCHEMA.geo, geo), (geo, SCHEMA.latitude, Literal("21.0"))]
    assert store.replace_graph(graph, old) == 2
    geo2 = BlankNode()
    new = [(ex("lib"), SCHEMA.geo, geo2), (geo2, SCHEMA.latitude, Literal("10.8"))]
    assert store.replace_graph(graph, new) == 2
    assert_isomorphic(store.graph_triples(graph), new)
    assert store.replace_graph(graph, []) == 0
    assert store.graph_triples(graph) == []
    assert store.graph_names(EX) == []


def test_remove_subject_takes_its_blank_nodes(store: GraphStore) -> None:
    address, geo, inner = BlankNode(), BlankNode(), BlankNode()
    doomed = [
        (ex("lib"), RDF.type, SCHEMA.Library),
        (ex("lib"), SCHEMA.address, address),
        (address, SCHEMA.streetAddress, Literal("47 Bà Triệu")),
        (address, ex("nested"), inner),
        (inner, RDFS.label, Literal("deeper")),
    ]
    kept = [
        (ex("other"), SCHEMA.geo, geo),
        (geo, SCHEMA.latitude, Literal("1")),
        (ex("x"), ex("about"), ex("lib")),
    ]
    store.add_shared(SHARED, doomed + kept)
    elsewhere = ex("graph/elsewhere")
    store.replace_graph(elsewhere, [(ex("lib"), RDFS.label, Literal("stays"))])
    assert store.remove_subject(ex("lib"), SHARED) == 5
    assert_isomorphic(store.graph_triples(SHARED), kept)
    assert len(store.graph_triples(elsewhere)) == 1


def test_graph_names_triples_and_quads(store: GraphStore) -> None:
    store.replace_records([record("b", (ex("i"), RDFS.label, Literal("b"))), record("a")], SHARED)
    store.replace_graph(ex("other/1"), [(ex("o"), RDFS.label, Literal("o"))])
    assert store.graph_names(EX + "graph/") == [EX + "graph/b"]
    assert store.graph_names(EX) == [EX + "graph/b", EX + "other/1"]
    assert store.graph_triples(ex("graph/b")) == [Triple(ex("i"), RDFS.label, Literal("b"))]
    assert sorted(store.quads(), key=str) == [
        Quad(ex("i"), RDFS.label, Literal("b"), ex("graph/b")),
        Quad(ex("o"), RDFS.label, Literal("o"), ex("other/1")),
    ]
    assert store.graph_triples(ex("graph/none")) == []


# reading -----------------------------------------------------------------------------------------


def registry_library(store: GraphStore, node: NamedNode, code: str, name: str) -> None:
    store.replace_graph(
        ex(f"graph/{node.value.rsplit('/', 1)[1]}"),
        [
            (node, RDF.type, SCHEMA.Library),
            (node, NamedNode(LODV + "registryId"), Literal(code)),
            (node, NamedNode(LODV + "isil"), Literal(code)),
            (node, SCHEMA.name, Literal(name)),
        ],
    )


def test_canned_queries_bind_iris_and_tricky_literals(store: GraphStore) -> None:
    registry_library(store, ex("lib1"), TRICKY, "Một")
    registry_library(store, ex("lib2"), "VN-2", "Hai")
    rows = store.canned("library_by_code", code=Literal(TRICKY))
    assert isinstance(rows, QuerySolutions)
    assert [(r["library"], r["code"]) for r in rows] == [(ex("lib1"), Literal(TRICKY))]
    assert list(store.canned("library_by_code", code=Literal("nothing"))) == []
    rows = store.canned("library_names")
    assert sorted(r["name"].value for r in rows) == ["Hai", "Một"]  # type: ignore[union-attr]
    bound = store.query(
        "SELECT ?library ?name WHERE { ?library <http://schema.org/name> ?name }",
        substitutions={Variable("library"): ex("lib2")},
    )
    assert [r["name"] for r in bound] == [Literal("Hai")]  # type: ignore[union-attr]
    assert store.triple_count() == 8  # nothing was dropped by the literal's text


def test_query_bool(store: GraphStore) -> None:
    registry_library(store, ex("lib1"), "VN-1", "Một")
    store.add_shared(SHARED, [(ex("placeholder"), RDF.type, SCHEMA.Library)])
    assert store.query_bool("registered", library=ex("lib1")) is True
    assert store.query_bool("registered", library=ex("placeholder")) is False
    assert store.query_bool("is_library", library=ex("placeholder")) is True
    assert store.query_bool("is_library", library=ex("nobody")) is False
    assert store.query_bool("triple_count") is False  # not an ASK query


def test_query_result_types_and_errors(store: GraphStore) -> None:
    store.replace_graph(
        ex("g"), [(ex("s"), ex("p"), BlankNode()), (ex("s"), RDFS.label, Literal("s", language="vi"))]
    )
    assert isinstance(store.query("ASK { ?s ?p ?o }"), QueryBoolean)
    solutions = store.query("SELECT ?o ?s WHERE { ?s ?p ?o } ORDER BY ?o")
    assert isinstance(solutions, QuerySolutions)
    assert solutions.variables == [Variable("o"), Variable("s")]
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(triples, QueryTriples)
    assert len(list(triples)) == 2
    assert len(list(store.query("SELECT * WHERE { ?s ?p ?o }", default_graph=[ex("other")]))) == 0
    with pytest.raises(SyntaxError):
        store.query("SELEC * WHERE { ?s ?p ?o }")


def test_exists_and_describe_follow_blank_nodes(store: GraphStore) -> None:
    contribution, role = BlankNode(), BlankNode()
    own = [
        (ex("w"), RDF.type, ex("Work")),
        (ex("w"), ex("contribution"), contribution),
        (contribution, ex("agent"), ex("a")),
        (contribution, ex("role"), role),
        (role, RDFS.label, Literal("tác giả", language="vi")),
    ]
    store.replace_records([record("w", *own, shared=[(ex("a"), RDFS.label, Literal("A"))])], SHARED)
    store.replace_graph(ex("graph/other"), [(ex("w"), RDFS.label, Literal("W")), (ex("x"), ex("p"), ex("w"))])
    assert store.exists(ex("w")) and not store.exists(ex("nobody"))
    assert not store.exists(RDFS.label)  # appears, but never as a subject
    assert_isomorphic(store.describe(ex("w")), [*own, (ex("w"), RDFS.label, Literal("W"))])
    assert store.describe(ex("nobody")) == []


def test_incoming_pages(store: GraphStore) -> None:
    target = ex("t")
    store.replace_graph(ex("g1"), [(ex(f"s{i}"), ex("p"), target) for i in range(5)])
    store.replace_graph(ex("g2"), [(ex("s0"), ex("q"), target), (BlankNode(), ex("p"), target)])
    everything = store.incoming(target, 0, 100)
    assert len(everything) == 7
    pages = [store.incoming(target, offset, 3) for offset in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [t for page in pages for t in page] == everything  # stable between calls
    assert all(t.object == target for t in everything)


def test_objects_of_a_few_nodes_in_any_graph(store: GraphStore) -> None:
    store.replace_graph(ex("g1"), [(ex("a"), SCHEMA.url, ex("site")), (ex("a"), SCHEMA.name, Literal("Tên"))])
    store.replace_graph(
        ex("g2"),
        [
            (ex("a"), SCHEMA.url, ex("other")),
            (ex("a"), SCHEMA.url, ex("site")),
            (ex("b"), SCHEMA.url, ex("b-site")),
        ],
    )
    found = store.objects([ex("a"), ex("b"), ex("c"), ex("a")], SCHEMA.url)
    assert {node: sorted(v.value for v in values) for node, values in found.items()} == {
        EX + "a": [EX + "other", EX + "site"],  # once each, whichever graphs say it
        EX + "b": [EX + "b-site"],
    }
    assert store.objects([ex("a")], SCHEMA.name) == {EX + "a": [Literal("Tên")]}
    assert store.objects([], SCHEMA.url) == {}


def test_labels_in_the_page_language_first(store: GraphStore) -> None:
    store.replace_graph(
        ex("g"),
        [
            (ex("lib"), SCHEMA.name, Literal("Hanoi Library", language="en")),
            (ex("lib"), SCHEMA.name, Literal("Thư viện Hà Nội", language="vi")),
            (ex("plain"), SCHEMA.name, Literal("Zürich", language="de")),
            (ex("plain"), SCHEMA.name, Literal("Zurich")),
            (ex("arabic"), SCHEMA.name, Literal("سنة", language="ar-Arab")),
            (ex("arabic"), RDFS.label, Literal("Sunnah")),
        ],
    )
    nodes = [ex("lib"), ex("plain"), ex("arabic")]
    predicates = (SCHEMA.name, RDFS.label)
    assert store.labels(nodes, predicates, "vi") == {
        EX + "lib": "Thư viện Hà Nội",
        EX + "plain": "Zurich",
        EX + "arabic": "سنة",
    }
    assert store.labels(nodes, predicates, "en")[EX + "lib"] == "Hanoi Library"
    assert store.labels(nodes, predicates, "de")[EX + "plain"] == "Zürich"


def test_labels_prefer_earlier_predicates(store: GraphStore) -> None:
    store.replace_graph(
        ex("g"),
        [
            (ex("a"), SCHEMA.name, Literal("Tên")),
            (ex("a"), RDFS.label, Literal("Nhãn")),
            (ex("b"), RDFS.label, Literal("Chỉ nhãn")),
            (ex("c"), SCHEMA.name, ex("not-a-literal")),
        ],
    )
    nodes = [ex("a"), ex("b"), ex("c"), ex("d")]
    labels = store.labels(nodes, (SCHEMA.name, RDFS.label))
    assert labels == {EX + "a": "Tên", EX + "b": "Chỉ nhãn"}
    assert store.labels(nodes, (RDFS.label, SCHEMA.name))[EX + "a"] == "Nhãn"
    assert store.labels([], (RDFS.label,)) == {}


def test_counts_and_emptiness(store: GraphStore) -> None:
    assert store.is_empty()
    assert store.triple_count() == 0 and store.graph_count() == 0 and store.counts() == {}
    bf = "http://id.loc.gov/ontologies/bibframe/"
    store.replace_records(
        [
            record(
                "r",
                (ex("w"), RDF.type, NamedNode(bf + "Work")),
                (ex("i"), RDF.type, NamedNode(bf + "Instance")),
            )
        ],
        SHARED,
    )
    store.add_shared(SHARED, [(ex("l"), RDF.type, SCHEMA.Library)])
    assert not store.is_empty()
    assert dict(store.counts()) == {"works": 1, "instances": 1, "libraries": 1}
    assert store.triple_count() == 3 and store.graph_count() == 2
    store.flush()


def test_graphs_with_digests(store: GraphStore) -> None:
    """A record graph found by the source digest it carries (lod.digests); other digests not."""
    digest = Literal("0" * 31 + "a")
    store.replace_records(
        [record("r", (ex("graph/r"), VOCAB.sourceDigest, digest), (ex("i"), RDFS.label, digest))], SHARED
    )
    assert store.graphs_with_digests([digest.value, "f" * 32]) == {digest.value: ex("graph/r").value}
    assert store.graphs_with_digests([]) == {}
    assert store.query_bool("has_source_digests")


def test_a_resend_and_a_partial_recluster(store: GraphStore, minter: Minter, tmp_path: Path) -> None:
    """Records sent again as they were are passed over; a changed one is loaded and reclustered
    with the part of the union catalogue it touches, the same on both backends."""
    from lod.unions import Touched, recluster
    from tests.test_clustering import LIBRARIES, write

    for library, books in LIBRARIES.items():
        ingest_file(store, write(tmp_path / f"{library}.mrc", books), library, minter)
    assert recluster(store, minter).written.written == 6  # type: ignore[union-attr]
    again = ingest_file(store, write(tmp_path / "again.mrc", LIBRARIES["VN-A"]), "VN-A", minter)
    assert (again.read, again.loaded, again.unchanged) == (3, 0, 3)
    touched = Touched()
    fixed = [("c2", "Tắt đèn", "Ngô, Tất Tố", "2010", "Kim Đồng", None)]
    report = ingest_file(store, write(tmp_path / "fix.mrc", fixed), "VN-C", minter, touched=touched)
    assert (report.loaded, report.unchanged) == (1, 0)
    found = recluster(store, minter, touched=touched.instances(store, minter))
    assert found.partial and found.written is not None
    assert (found.written.written, found.written.removed) == (1, 1)  # a3 + b3 gain c2; c2's own goes
    whole = recluster(store, minter).written
    assert whole is not None and (whole.written, whole.removed, whole.kept) == (0, 0, 5)


# the server backend alone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ASK { ?s ?p ?o }", "ASK { VALUES (?x) { (<http://x>) }\n ?s ?p ?o }"),
        (
            "# a { comment\nPREFIX p: <http://p/{}>\nSELECT * WHERE { ?s p:q '{' }",
            "# a { comment\nPREFIX p: <http://p/{}>\nSELECT * WHERE { VALUES (?x) { (<http://x>) }\n"
            " ?s p:q '{' }",
        ),
        (
            "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
            "CONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x) { (<http://x>) }\n ?x ?p ?o }",
        ),
        ("DESCRIBE ?x", "DESCRIBE ?x\nVALUES (?x) { (<http://x>) }\n"),
    ],
)
def test_values_go_into_the_where_group(query: str, expected: str) -> None:
    assert with_values(query, {"x": NamedNode("http://x")}) == expected


def test_values_refuse_what_cannot_be_sent() -> None:
    with pytest.raises(ValueError):
        with_values("ASK {}", {"x": BlankNode()})
    with pytest.raises(TypeError):
        with_values("ASK {}", {"x": "<http://x>"})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        with_values("ASK {}", {"x) { } DROP ALL #": NamedNode("http://x")})


def test_open_store_picks_the_backend(tmp_path: Path) -> None:
    server = open_store("http://127.0.0.1:7878/", read_only=True)
    assert isinstance(server, SparqlStore)
    assert (server.query_url, server.update_url, server.store_url) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    assert server.location == "http://127.0.0.1:7878"
    assert isinstance(open_store(str(tmp_path / "store")), OxigraphStore)
    assert isinstance(open_store(None), OxigraphStore)


@pytest.mark.server
def test_read_only_server_store_refuses_writes(sparql_server: str) -> None:
    store = SparqlStore.open(sparql_server, read_only=True)
    with pytest.raises(StoreError):
        store.add_shared(SHARED, [(ex("s"), ex("p"), ex("o"))])
    assert isinstance(store.is_empty(), bool)


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        SparqlStore.open(f"http://127.0.0.1:{free_port()}").is_empty()


# end to end ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def both_loaded(
    tmp_path_factory: pytest.TempPathFactory, minter: Minter
) -> Iterator[tuple[OxigraphStore, SparqlStore]]:
    """The Vietnamese sample and the test registry, ingested into each backend."""
    if not OXIGRAPH.exists():
        pytest.fail(f"{OXIGRAPH} is missing: install the test extra (pip install -e '.[test]')")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-e2e") / "store") as base:
        stores = (OxigraphStore.open(None), SparqlStore.open(base))
        for store in stores:
            ingest_file(store, SAMPLE / "vietnamese.xml", "DEMO-VN1", minter, library_name="Thư viện mẫu 1")
            ingest_registry(store, ROOT / "tests" / "data" / "registry" / "libraries.csv", minter)
        yield stores


@pytest.mark.server
def test_ingest_gives_the_same_graphs_on_both_backends(
    both_loaded: tuple[OxigraphStore, SparqlStore],
) -> None:
    embedded, server = both_loaded
    names = embedded.graph_names("")
    assert len(names) > 10
    assert server.graph_names("") == names
    for name in names:
        assert_isomorphic(server.graph_triples(NamedNode(name)), embedded.graph_triples(NamedNode(name)))
    assert server.triple_count() == embedded.triple_count()
    assert server.graph_count() == embedded.graph_count()
    assert server.counts() == embedded.counts()
    assert_isomorphic((q.triple for q in server.quads()), (q.triple for q in embedded.quads()))


@pytest.mark.server
def test_descriptions_agree_on_both_backends(both_loaded: tuple[OxigraphStore, SparqlStore]) -> None:
    embedded, server = both_loaded
    query = (
        "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> PREFIX schema: <http://schema.org/> "
        "SELECT DISTINCT ?s WHERE { VALUES ?class { bf:Work bf:Instance bf:Item bf:Agent bf:Topic "
        "schema:Library } ?s a ?class FILTER(isIRI(?s)) } ORDER BY ?s"
    )
    subjects = [row["s"] for row in embedded.query(query)]  # type: ignore[union-attr]
    assert len(subjects) > 50
    assert [row["s"] for row in server.query(query)] == subjects  # type: ignore[union-attr]
    for subject in subjects:
        assert_isomorphic(server.describe(subject), embedded.describe(subject))
        assert server.exists(subject)
        assert_isomorphic(server.incoming(subject, 0, 10_000), embedded.incoming(subject, 0, 10_000))


@pytest.mark.server
def test_web_app_over_a_server_store(
    settings: Settings, both_loaded: tuple[OxigraphStore, SparqlStore]
) -> None:
    from lod.web import create_app

    _, server = both_loaded
    app = create_app(settings, store=SparqlStore.open(server.location, read_only=True))
    app.config["TESTING"] = True
    client = app.test_client()
    rows = server.query(
        "PREFIX bf: <http://id.loc.gov/ontologies/bibframe/> "
        "SELECT ?i WHERE { ?i a bf:Instance } ORDER BY ?i LIMIT 1"
    )
    instance = next(iter(rows))["i"].value  # type: ignore[arg-type,index]
    page = client.get(
        instance.removeprefix(settings.base_iri.rstrip("/")),
        headers={"Accept": "text/html"},
        follow_redirects=True,
    )
    assert page.status_code == 200, page.text
    assert "<html" in page.text
    turtle = client.get(instance.removeprefix(settings.base_iri.rstrip("/")) + ".ttl")
    assert turtle.status_code == 200
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) > 5
    answer = client.get(
        "/sparql",
        query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200
    assert int(answer.json["results"]["bindings"][0]["n"]["value"]) == server.triple_count()  # type: ignore[index]
    bad = client.get(
        "/sparql", query_string={"query": "SELEC"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert bad.status_code == 400


def test_the_record_archive_keeps_in_step_with_either_store(store: GraphStore, minter: Minter) -> None:
    """lod.archive reads the store through the interface only: the same rows from both kinds."""
    from lod.archive import RecordArchive

    archive = RecordArchive(None, minter.base)
    ingest_file(store, SAMPLE / "vietnamese-koha.mrc", "DEMO-VN2", minter, on_sources=archive.stage)
    archive.sync(store, minter)
    found = archive.records(limit=10)
    assert len(found) == 3 and all(r.library == "DEMO-VN2" and r.has_marcxml for r in found)
    unstaged = RecordArchive(None, minter.base)  # as for records loaded before the archive existed
    report = unstaged.sync(store, minter)
    assert (report.created, report.from_store) == (3, 3)
    assert {r.library for r in unstaged.records(limit=10)} == {"DEMO-VN2"}
    store.remove_record(minter.record_graph(found[0].id))
    assert archive.sync(store, minter).deleted == 1
