"""One request at a time runs Python in a server process; the others wait their turn.

Why: a page is Python (the GIL: one thread of a process runs at a time) between calls into the
store (which let go of the GIL). When several threads of a process make pages at once, each store
call hands the GIL away, and getting it back waits for another thread to let go, up to the
interpreter's switch interval (5 ms) each time; a page making ten queries could wait 50 ms. Under
load (bench/bench_web.py's HTML pages, 2 processes of 8 threads on 2 cores, 4 clients), taking
turns gave a p99 of 42–47 ms where sharing the GIL freely gave 51–57 ms, run for run (and with two
turns at a time, no better than free sharing). The threads are still there: while a request
waits on something outside the process (a SPARQL query running in a query process,
lod.querypool) it gives its turn away (`elsewhere`), so a runaway query never holds up the pages
of other users.

A turn starts before the view and ends when the response is made (after_request), before its body
is sent: a slow client reading a large answer holds no turn. `teardown_request` ends a turn a
failed request still holds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g


class Turns:
    """A process's turns: one lock, held by the request whose turn it is."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def take(self) -> None:
        if not g.get("lod_turn_held"):
            self._lock.acquire()
            g.lod_turn_held = True

    def give_back(self) -> None:
        if g.get("lod_turn_held"):
            g.lod_turn_held = False
            self._lock.release()

    @contextmanager
    def elsewhere(self) -> Iterator[None]:
        """While the request waits on another process: others take their turn meanwhile."""
        held = bool(g.get("lod_turn_held"))
        if held:
            self.give_back()
        try:
            yield
        finally:
            if held:
                self.take()


def register(app: Flask) -> None:
    turns = app.extensions["lod.turns"] = Turns()

    @app.before_request
    def take_turn() -> None:
        turns.take()

    @app.after_request
    def end_turn(response: Any) -> Any:
        turns.give_back()
        return response

    @app.teardown_request
    def end_failed_turn(_: BaseException | None) -> None:
        turns.give_back()


@contextmanager
def elsewhere() -> Iterator[None]:
    """`Turns.elsewhere` of the current app (a no-op for an app without turns)."""
    turns: Turns | None = current_app.extensions.get("lod.turns")
    if turns is None:
        yield
        return
    with turns.elsewhere():
        yield
