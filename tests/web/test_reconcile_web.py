"""The reconciliation service on the web (lod.web.reconcile), spoken to as OpenRefine speaks it:
the manifest over JSONP, form-encoded `queries` and `extend`, suggest with `prefix`, property
proposals, the preview page. The real app over a real store (tests/test_reconcile.py's) and the
in-memory search index the app builds from it; every JSON answer is validated against the
Reconciliation API's own JSON Schemas (tests/data/reconciliation-schemas, see PROVENANCE.md)."""

from __future__ import annotations

import json
import re
import urllib.robotparser
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from referencing import Registry
from referencing.jsonschema import DRAFT7

from lod.config import Settings
from lod.reconcile_request import MAX_QUERIES
from lod.uris import Minter
from lod.web import create_app
from tests.conftest import BASE
from tests.test_reconcile import LICH_SU, NHAT_ANH, build_store

SCHEMAS = Path(__file__).parent.parent / "data" / "reconciliation-schemas"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@cache
def schema_registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*/*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], DRAFT7.create_resource(contents)))
    return Registry().with_resources(resources)


def valid(name: str, instance: Any) -> Any:
    """`instance`, once the spec's schema `name` ('0.2/manifest.json') accepts it."""
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, registry=schema_registry()).validate(instance)
    return instance


@pytest.fixture(scope="module")
def app(settings: Settings, minter: Minter, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    application = create_app(settings, store=build_store(minter, tmp_path_factory.mktemp("reconcile-web")))
    application.config["TESTING"] = True
    return application


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()  # a new one for each test: no language cookie left by another


def data(response: Any) -> Any:
    assert response.status_code == 200, response.data[:400]
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def problem(response: Any, status: int) -> str:
    assert response.status_code == status, response.data[:400]
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    return str(body["detail"])


def reconcile(client: FlaskClient, batch: dict[str, Any], method: str = "POST") -> dict[str, list[Any]]:
    """Each query's candidates: the batch sent as OpenRefine sends it (form field `queries`)."""
    valid("0.2/reconciliation-query-batch.json", batch)
    raw = json.dumps(batch, ensure_ascii=False)
    if method == "POST":
        response = client.post("/reconcile", data={"queries": raw})
    else:
        response = client.get("/reconcile?" + urlencode({"queries": raw}))
    answer = valid("0.2/reconciliation-result-batch.json", data(response))
    assert set(answer) == set(batch)
    return {key: found["result"] for key, found in answer.items()}


# the manifest ------------------------------------------------------------------------------------
def test_the_manifest_describes_the_service(client: FlaskClient) -> None:
    manifest = valid("0.2/manifest.json", data(client.get("/reconcile")))
    assert "0.2" in manifest["versions"]
    assert (
        "Dữ liệu mở thư viện Việt Nam" in manifest["name"] and "Vietnam Library Open Data" in manifest["name"]
    )
    assert manifest["identifierSpace"] == BASE + "resource/"
    assert manifest["view"]["url"] == BASE + "resource/{{id}}"
    assert [t["id"] for t in manifest["defaultTypes"]] == ["Instance", "Work", "Agent", "Library"]
    assert manifest["batchSize"] == MAX_QUERIES
    assert manifest["preview"]["url"] == "http://localhost/reconcile/preview?id={{id}}"
    suggest = manifest["suggest"]
    assert suggest["entity"] == {
        "service_url": "http://localhost/reconcile",
        "service_path": "/suggest/entity",
    }
    assert manifest["extend"]["propose_properties"]["service_path"] == "/propose_properties"


def test_the_manifest_over_jsonp_as_openrefine_fetches_it(client: FlaskClient) -> None:
    plain = data(client.get("/reconcile"))
    response = client.get("/reconcile?callback=jQuery36009_1700000000&_=1700000000123")
    assert response.status_code == 200 and response.mimetype == "application/javascript"
    wrapped = re.fullmatch(r"/\*\*/jQuery36009_1700000000\((.*)\);", response.get_data(as_text=True), re.S)
    assert wrapped is not None and json.loads(wrapped.group(1)) == plain
    detail = problem(client.get("/reconcile?" + urlencode({"callback": "alert(1)//"})), 400)
    assert "callback" in detail


def test_the_schemas_do_reject_a_wrong_answer() -> None:
    with pytest.raises(jsonschema.ValidationError):
        valid("0.2/manifest.json", {"versions": ["0.2"], "name": "x", "schemaSpace": "y"})
    with pytest.raises(jsonschema.ValidationError):
        valid("0.2/reconciliation-result-batch.json", {"q0": {"result": [{"id": "a", "name": "b"}]}})


def test_names_follow_the_language_asked_for(client: FlaskClient) -> None:
    english = data(client.get("/reconcile?lang=en"))
    assert english["defaultTypes"][0] == {"id": "Instance", "name": "Instance (edition)"}
    assert data(client.get("/reconcile?lang=vi"))["defaultTypes"][0]["name"] == "Ấn phẩm"


# reconciling -------------------------------------------------------------------------------------
def test_a_batch_posted_as_a_form(client: FlaskClient) -> None:
    found = reconcile(
        client,
        {
            "q0": {"query": "cho toi xin mot ve di tuoi tho", "type": "Instance", "type_strict": "should"},
            "q1": {
                "query": "nguyen nhat anh",
                "type": "Agent",
                "properties": [{"pid": "dates", "v": "1955"}],
            },
            "q2": {"query": "978-604-957-123-7", "type": "Instance"},
            "q3": {"query": "VN-TEST1", "type": "Library"},
            "q4": {"query": "thu vien ha noi", "type": "Library", "limit": 2},
            "q5": {"query": "khong co cuon sach nay dau xyzzy", "type": "Instance"},
            "q6": {
                "query": "truyen kieu",
                "type": "Instance",
                "properties": [{"pid": "author", "v": "Nguyen Du"}, {"pid": "year", "v": "1995"}],
            },
        },
    )
    assert (found["q0"][0]["name"], found["q0"][0]["match"]) == (NHAT_ANH, True)
    assert (found["q1"][0]["name"], found["q1"][0]["match"]) == ("Nguyễn Nhật Ánh, 1955-", True)
    assert (found["q2"][0]["name"], found["q2"][0]["score"], found["q2"][0]["match"]) == (LICH_SU, 100, True)
    assert (found["q3"][0]["id"], found["q3"][0]["match"]) == ("library/VN-TEST1", True)
    assert found["q4"][0]["id"] == "library/VN-TEST1" and len(found["q4"]) == 2
    assert found["q5"] == []
    assert found["q6"][0]["match"] and "1995" in found["q6"][0]["description"]
    assert not found["q6"][1]["match"] and "2002" in found["q6"][1]["description"]


def test_a_batch_in_the_query_string_answers_the_same(client: FlaskClient) -> None:
    batch = {"q0": {"query": "Truyện Kiều", "type": "Instance"}, "q1": {"query": "Hanoi Library"}}
    assert reconcile(client, batch, "GET") == reconcile(client, batch, "POST")


def test_the_candidates_ids_open_their_pages_and_previews(client: FlaskClient) -> None:
    manifest = data(client.get("/reconcile"))
    [top] = reconcile(client, {"q0": {"query": "978-604-957-123-7", "limit": 1}})["q0"]
    for entity_id in (top["id"], quote(top["id"], safe="")):  # clients encode it, as the spec says
        page = urlsplit(manifest["view"]["url"].replace("{{id}}", entity_id)).path  # the IRI, here
        response = client.get(page, headers={"Accept": BROWSER}, follow_redirects=True)
        assert response.status_code == 200 and LICH_SU in response.get_data(as_text=True)
    preview = urlsplit(manifest["preview"]["url"].replace("{{id}}", quote(top["id"], safe="")))
    response = client.get(f"{preview.path}?{preview.query}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]  # OpenRefine's iframe
    html = response.get_data(as_text=True)
    assert LICH_SU in html and "Thư viện Hà Nội" in html and "9786049571237" in html
    assert f'href="{BASE}resource/{top["id"]}"' in html


@pytest.mark.parametrize(
    ("queries", "status", "named"),
    [
        ('{"q0": {"query": "truyen kieu"', 400, "queries"),
        ('{"q0": {"query": "truyen kieu", "type": "Book"}}', 400, "Book"),
        ('{"q0": {"query": "truyen kieu", "limit": -1}}', 400, "queries.q0.limit"),
        ('{"q0": {}}', 400, "queries.q0"),
        (json.dumps({f"q{n}": {"query": "x"} for n in range(MAX_QUERIES + 1)}), 413, str(MAX_QUERIES)),
    ],
)
def test_a_bad_batch_is_a_problem_naming_what_is_wrong(
    client: FlaskClient, queries: str, status: int, named: str
) -> None:
    detail = problem(
        client.post("/reconcile?lang=vi", data={"queries": queries}, headers={"Accept": BROWSER}), status
    )
    assert named in detail
    english = problem(client.post("/reconcile?lang=en", data={"queries": queries}), status)
    assert named in english and english != detail


def test_a_batch_of_the_draft_posted_as_json(client: FlaskClient) -> None:
    batch = {
        "queries": [
            {"type": "Instance", "conditions": [{"matchType": "name", "v": "lich su viet nam"},
                                                {"matchType": "property", "pid": "year", "v": "2012"}]},
            {"type": "Library", "conditions": [{"matchType": "name", "v": "thu vien ha noi"}]},
        ]
    }  # fmt: skip
    answer = valid("1.0-draft/reconciliation-result-batch.json", data(client.post("/reconcile", json=batch)))
    first, second = answer["results"]
    assert first["candidates"][0]["name"] == LICH_SU and first["candidates"][0]["match"]
    assert second["candidates"][0]["id"] == "library/VN-TEST1"
    problem(client.post("/reconcile", data="{", content_type="application/json"), 400)


# suggest ----------------------------------------------------------------------------------------
def suggest(client: FlaskClient, kind: str, **params: Any) -> list[dict[str, Any]]:
    answer = data(client.get(f"/reconcile/suggest/{kind}?" + urlencode(params, doseq=True)))
    schema = {"entity": "entities", "type": "types", "property": "properties"}[kind]
    return list(valid(f"0.2/suggest-{schema}-response.json", answer)["result"])


def test_entity_suggestions_complete_a_prefix(client: FlaskClient) -> None:
    agents = suggest(client, "entity", prefix="nguyen nhat", type="Agent")
    assert {a["name"] for a in agents} == {"Nguyễn Nhật Ánh", "Nguyễn Nhật Ánh, 1955-"}
    assert all(a["id"].startswith("agent/") and a["notable"][0]["id"] == "Agent" for a in agents)
    titles = suggest(client, "entity", prefix="lich su v", type="Instance")
    assert titles[0]["name"] == LICH_SU and titles[0]["id"].startswith("instance/")
    assert suggest(client, "entity", prefix="978-604-957-123-7")[0]["name"] == LICH_SU
    libraries = suggest(client, "entity", prefix="thu vien ha", type="Library")
    assert libraries[0]["id"] == "library/VN-TEST1"
    assert suggest(client, "entity", prefix="VN-TEST1", type="Library")[0]["name"] == "Thư viện Hà Nội"
    later = suggest(client, "entity", prefix="thu vien", type="Library", cursor=1, limit=2)
    assert [s["id"] for s in later] == [
        s["id"] for s in suggest(client, "entity", prefix="thu vien", type="Library")[1:3]
    ]
    assert suggest(client, "entity", prefix="") == []


def test_type_and_property_suggestions(client: FlaskClient) -> None:
    assert [t["id"] for t in suggest(client, "type", prefix="thu vien")] == ["Library"]
    assert [t["id"] for t in suggest(client, "type", prefix="tac")] == ["Work", "Agent"]
    assert [p["id"] for p in suggest(client, "property", prefix="nam", type="Instance")] == ["year"]
    assert "isil" in [p["id"] for p in suggest(client, "property", prefix="", type="Library")]
    assert "isil" not in [p["id"] for p in suggest(client, "property", prefix="", type="Instance")]


def test_suggestions_over_jsonp(client: FlaskClient) -> None:
    response = client.get("/reconcile/suggest/entity?prefix=truyen+k&callback=cb")
    body = response.get_data(as_text=True)
    assert response.mimetype == "application/javascript" and body.startswith("/**/cb(")
    assert json.loads(body[len("/**/cb(") : -2])["result"][0]["name"] == "Truyện Kiều"


# data extension ----------------------------------------------------------------------------------
def test_property_proposals_for_each_type(client: FlaskClient) -> None:
    proposal = data(client.get("/reconcile/propose_properties?type=Instance"))
    valid("1.0-draft/data-extension-property-proposal.json", proposal)
    assert proposal["type"] == "Instance"
    wanted = {"title", "author", "year", "isbn", "publisher", "holdings", "libraries"}
    assert wanted <= {p["id"] for p in proposal["properties"]}
    library = data(client.get("/reconcile/propose_properties?type=Library&limit=3"))
    assert [p["id"] for p in library["properties"]] == ["name", "isil", "province"] and library["limit"] == 3
    assert "type" in problem(client.get("/reconcile/propose_properties"), 400)
    assert "Book" in problem(client.get("/reconcile/propose_properties?type=Book"), 400)


def test_extension_posted_as_a_form(client: FlaskClient) -> None:
    [entry] = reconcile(client, {"q0": {"query": "978-604-957-123-7", "limit": 1}})["q0"]
    query = {
        "ids": [entry["id"], "library/VN-TEST1", "instance/nope"],
        "properties": [
            {"id": p} for p in ("title", "year", "isbn", "holdings", "libraries", "isil", "province")
        ],
    }
    valid("0.2/data-extension-query.json", query)
    answer = data(client.post("/reconcile", data={"extend": json.dumps(query)}))
    valid("0.2/data-extension-response.json", answer)
    assert [m["id"] for m in answer["meta"]] == [p["id"] for p in query["properties"]]
    row = answer["rows"][entry["id"]]
    assert row["holdings"] == [{"int": 2}] and row["isbn"] == [{"str": "9786049571237"}]
    assert row["libraries"][0] == {"id": "library/VN-TEST1", "name": "Thư viện Hà Nội"}
    assert answer["rows"]["library/VN-TEST1"]["isil"] == [{"str": "VN-TEST1"}]
    assert all(values == [] for values in answer["rows"]["instance/nope"].values())
    assert data(client.get("/reconcile?" + urlencode({"extend": json.dumps(query)}))) == answer
    detail = problem(
        client.post("/reconcile", data={"extend": '{"ids": [], "properties": [{"id": "x"}]}'}), 400
    )
    assert "extend.properties[0]" in detail


def test_the_preview_of_something_unknown(client: FlaskClient) -> None:
    assert "instance/nope" in problem(client.get("/reconcile/preview?id=instance/nope"), 404)
    assert "id" in problem(client.get("/reconcile/preview"), 400)


def test_crawlers_are_kept_out_and_browsers_let_in(client: FlaskClient) -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(client.get("/robots.txt").get_data(as_text=True).splitlines())
    assert not robots.can_fetch("*", BASE + "reconcile?queries=x")
    assert not robots.can_fetch("*", BASE + "reconcile/suggest/entity?prefix=x")
    preflight = client.options(
        "/reconcile", headers={"Origin": "http://openrefine.test", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    with client.get("/static/reconcile.css") as stylesheet:  # the preview's
        assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css"
