from __future__ import annotations


def test_home_shows_counts_examples_and_queries(client, store) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).data.decode("utf-8")
    assert "Dữ liệu mở thư viện Việt Nam" in page
    counts = store.counts()
    assert counts["instances"] > 40 and counts["libraries"] >= 10
    assert f'data-count="instances">{counts["instances"]}<' in page
    assert page.count('href="/resource/instance/') >= 10
    assert page.count('href="/sparql?query=') >= 4


def test_example_queries_run(client) -> None:
    from lod.store import load_example_queries

    for example in load_example_queries():
        response = client.post(
            "/sparql",
            data={"query": example.text},
            headers={"Accept": "application/sparql-results+json, text/turtle"},
        )
        assert response.status_code == 200, example.name
        assert len(response.data) > 50, example.name


def test_security_headers(client) -> None:
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_unknown_route_is_404_problem(client) -> None:
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.get_json()["instance"] == "/nowhere"


def test_static_css(client) -> None:
    with client.get("/static/style.css") as response:
        assert response.status_code == 200 and b"max-width" in response.data


def test_vary_accept_on_every_response(client, minter) -> None:
    instance = minter.instance(minter.record_id("DEMO-VN1", "TVD240000101"))
    for path in ("/", "/sparql", minter.path_of(instance.value) + ".ttl", "/nowhere"):
        with client.get(path) as response:
            assert "Accept" in response.headers["Vary"], path
