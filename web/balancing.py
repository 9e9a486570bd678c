"""Spreading keep-alive connections evenly over `lod serve`'s worker processes.

gunicorn's workers take turns at one listening socket: whichever wakes first accepts, and a keep-
alive connection then stays with that process for good. With a few busy clients (a harvester with
four connections, a proxy keeping a pool) the luck of those races decides the load: measured with
wrk's 4 connections on 2 processes, one process got 3 or all 4 of them in 5 of 8 phases, and the
HTML p99 went from 36-39 ms (2 and 2) to 43-44 (3 and 1) and 60 ms (4 and 0), the other core idle
(bench/bench_web.py). Reconnecting every 100 requests did not help: the busy process wins the next
race as often as the idle one.

So each worker publishes how many connections it holds, in memory shared by the arbiter's children
(`Loads`), and `BalancedWorker` (a gthread worker):
- leaves a new connection to a worker holding fewer (for at most ACCEPT_DEFER_SECONDS: a worker
  that stopped answering must not stop the server accepting), and
- answers with `Connection: close` while it holds more than one connection over the least loaded
  worker: the client's next connection goes to that worker.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from lod.watchdog import alive

SLOTS = 64
"""Worker processes whose loads are kept (`lod serve --processes` allows 64 at most)."""
ACCEPT_DEFER_SECONDS = 0.02
"""How long a worker leaves a waiting connection to a less loaded one before accepting it itself."""
DEFERRAL_GAP_SECONDS = 0.005
"""A worker leaving a connection to another is woken again every 0.5 ms while it waits: a longer
gap since the last time means the connection was taken, and another one is waiting now."""


class Loads:
    """(pid, open connections) of each worker process, in shared memory made by the arbiter
    before it forks (the workers inherit it)."""

    def __init__(self, slots: int = SLOTS) -> None:
        self._pids = multiprocessing.RawArray("q", slots)
        self._connections = multiprocessing.RawArray("q", slots)
        self._lock = multiprocessing.Lock()

    def claim(self, pid: int) -> int:
        """A slot for worker `pid`: a free one, or that of a process no longer alive."""
        with self._lock:
            for slot, holder in enumerate(self._pids):
                if holder == 0 or not alive(holder):
                    self._pids[slot] = pid
                    self._connections[slot] = 0
                    return slot
        raise RuntimeError(f"more than {len(self._pids)} worker processes")

    def release(self, pid: int) -> None:
        """Forget worker `pid` (called by the arbiter when the worker has exited)."""
        with self._lock:
            for slot, holder in enumerate(self._pids):
                if holder == pid:
                    self._pids[slot] = 0
                    self._connections[slot] = 0

    def publish(self, slot: int, connections: int) -> None:
        self._connections[slot] = connections

    def least_other(self, slot: int) -> int | None:
        """The fewest connections any other worker holds (None when there is no other)."""
        pairs = enumerate(zip(self._pids, self._connections, strict=True))
        others = [connections for s, (pid, connections) in pairs if pid and s != slot]
        return min(others) if others else None


class BalancedWorker(ThreadWorker):
    """A gthread worker that keeps its share of the connections (see the module's docstring).
    `loads` is set on the class by the arbiter before it forks."""

    loads: Loads | None = None

    slot = -1
    deferred_since = deferred_last = 0.0

    def run(self) -> None:
        # counted once it is ready to accept: a worker still loading the app would look idle
        self.slot = self.loads.claim(os.getpid()) if self.loads is not None else -1
        super().run()

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        super().wait_for_and_dispatch_events(timeout)
        self.publish()

    def publish(self) -> None:
        if self.loads is not None and self.slot >= 0:
            self.loads.publish(self.slot, self.nr_conns)

    def accept(self, listener: Any) -> None:
        if self.over(0):
            now = time.monotonic()
            if now - self.deferred_last > DEFERRAL_GAP_SECONDS:  # a new connection waiting
                self.deferred_since = now
            self.deferred_last = now
            if now - self.deferred_since < ACCEPT_DEFER_SECONDS:
                time.sleep(0.0005)  # the other worker's turn; the listener stays readable
                return
        super().accept(listener)
        self.publish()

    def handle_request(self, req: Any, conn: Any) -> Any:
        if self.over(1):
            req.must_close = True  # gunicorn then answers "Connection: close"
        return super().handle_request(req, conn)

    def over(self, margin: int) -> bool:
        """Whether this worker holds more than `margin` connections over the least loaded one."""
        if self.loads is None or self.slot < 0:
            return False
        least = self.loads.least_other(self.slot)
        return least is not None and self.nr_conns > least + margin
