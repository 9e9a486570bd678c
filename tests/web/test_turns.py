"""lod.web.turns: one request of a process runs at a time; one waiting elsewhere lets others in."""

from __future__ import annotations

import threading
import time

from flask import Flask

from lod.web import turns


def _app() -> tuple[Flask, dict[str, int]]:
    app = Flask(__name__)
    turns.register(app)
    seen = {"inside": 0, "most": 0}
    lock = threading.Lock()

    def enter() -> None:
        with lock:
            seen["inside"] += 1
            seen["most"] = max(seen["most"], seen["inside"])

    def leave() -> None:
        with lock:
            seen["inside"] -= 1

    @app.get("/page")
    def page() -> str:
        enter()
        time.sleep(0.02)  # the GIL is let go here, as in a store call: only the turn keeps others out
        leave()
        return "page"

    @app.get("/waits")
    def waits() -> str:
        with turns.elsewhere():
            time.sleep(0.5)
        return "waited"

    @app.get("/fails")
    def fails() -> str:
        raise RuntimeError("a bug")

    return app, seen


def _in_threads(app: Flask, paths: list[str]) -> list[tuple[str, float]]:
    results: list[tuple[str, float]] = [("", 0.0)] * len(paths)

    def get(i: int, path: str) -> None:
        started = time.perf_counter()
        response = app.test_client().get(path)
        results[i] = (response.get_data(as_text=True), time.perf_counter() - started)

    threads = [threading.Thread(target=get, args=(i, p)) for i, p in enumerate(paths)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_requests_of_one_process_take_turns() -> None:
    app, seen = _app()
    results = _in_threads(app, ["/page"] * 8)
    assert [body for body, _ in results] == ["page"] * 8
    assert seen["most"] == 1


def test_a_request_waiting_elsewhere_lets_the_others_in() -> None:
    app, _ = _app()
    results = _in_threads(app, ["/waits", "/page", "/page"])
    assert results[0][0] == "waited"
    assert max(seconds for _, seconds in results[1:]) < 0.4  # not behind the 0.5 s wait


def test_a_failed_request_gives_its_turn_back() -> None:
    app, _ = _app()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.test_client().get("/fails").status_code == 500
    done = _in_threads(app, ["/page"])  # would wait for ever if the turn were still held
    assert done[0][0] == "page"


def test_the_sparql_endpoint_gives_its_turn_away_while_its_query_runs(app) -> None:  # type: ignore[no-untyped-def]
    assert "lod.turns" in app.extensions
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?t . ?c a ?u FILTER(STR(?a) < STR(?c)) }"
    ended: dict[str, float] = {}

    def query() -> None:
        app.test_client().get("/sparql", query_string={"query": slow}, headers={"Accept": "text/csv"})
        ended["query"] = time.perf_counter()

    runner = threading.Thread(target=query)
    runner.start()
    time.sleep(0.3)
    page = app.test_client().get("/", headers={"Accept": "text/html"})
    ended["page"] = time.perf_counter()
    runner.join()
    assert page.status_code == 200
    assert "query" in ended and ended["page"] < ended["query"]  # the page did not wait for the query
