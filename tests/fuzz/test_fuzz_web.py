"""Fuzzing the request handlers: random requests (methods, paths under every route and entity,
parameters, Accept and other headers, bodies) to the real app over the sample never get a 5xx, and
every 4xx is the app's one error shape (tests/fuzz/targets.py: check_response)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.profiles import LIMIT, examples
from tests.fuzz.targets import (
    HypothesisDraw,
    Request,
    check_request,
    entity_paths,
    request_input,
    time_limit,
)


@pytest.fixture(scope="module")
def entities(store: Any) -> list[str]:
    return entity_paths(store)


@settings(max_examples=examples(300))
@given(data=st.data())
def test_requests(app: Any, entities: list[str], data: st.DataObject) -> None:
    request = data.draw(st.composite(lambda draw: request_input(HypothesisDraw(draw), entities))())
    with time_limit(LIMIT):
        check_request(app.test_client(), request)


def test_regressions(app: Any, entities: list[str]) -> None:
    """Requests fuzzing found answered with a 500: offsets past what a query or itertools.islice
    takes, and digits that str.isdigit() takes and int() does not."""
    page = next(path for path in entities if "/instance/" in path) + ".html"
    client = app.test_client()
    for query in (
        [("incoming", "99999999999999999999")],
        [("incoming", "²")],
        [("editions", "99999999999999999999")],
        [("held_by", "²")],
    ):
        assert check_request(client, Request("GET", page, query)) in (200, 400)
