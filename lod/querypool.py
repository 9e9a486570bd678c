"""Visitors' SPARQL queries in worker processes, so that a query past the time limit really stops.

pyoxigraph has no query timeout and goes on evaluating after the client has left (oxigraph issues
1926 and 1874): the one way to stop a query is to end the process running it. Each worker opens
the store read-only itself (any number of processes may open a store read-only at once, beside the
web process's own), runs `lod.sparql.answer` and sends back the serialised bytes. The parent waits
up to the time limit, then SIGKILLs the worker and starts a replacement.

- Workers start at the first query (nothing at import or when the app is built), from a
  forkserver: the web process has threads by then, and a process forked from one that has opened
  a store crashes (RocksDB's threads do not survive a fork).
- Workers run at a lower CPU priority (`NICENESS`), so that a runaway query leaves the cores to
  the web process, which dereferences IRIs for everyone else.
- A query waits at most `queue_wait` seconds for a free worker, and no more queries wait than there
  are workers, so SPARQL never holds all the server's threads; beyond, EndpointBusy (503) with
  Retry-After.
- A worker ends when the process that started it ends, however it ends (kill -9 included), and
  `shutdown` (registered with atexit when the pool starts) stops them all.
- A pool inherited through a fork (gunicorn forks its workers) is forgotten in the child, which
  starts its own at its first query.

A store in memory cannot be opened by another process: `InProcessRunner` then runs queries in the
web process itself, without a time limit.
"""

from __future__ import annotations

import atexit
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from lod.errors import EndpointBusy, LodError, QueryTimeout, StoreError
from lod.sparql import Answer, Job, answer
from lod.sparqlstore import open_store
from lod.store import GraphStore
from lod.watchdog import exit_with

NICENESS = 10
"""Added to a worker's nice value: under Linux's scheduler a worker then gets about a tenth of a
core that the web process also wants."""
STARTUP_SECONDS = 60.0
"""How long a new worker may take to open the store before the query waiting for it fails."""
STOP_SECONDS = 2.0
"""How long `shutdown` lets an idle worker end by itself before killing it."""

Charge = Callable[[float], None]


class QueryRunner(Protocol):
    """Runs `lod.sparql.Job`s: `QueryPool` (time limit) or `InProcessRunner` (a store in memory)."""

    isolated: bool
    """True if queries run in other processes and are stopped at the time limit."""

    def run(self, job: Job, charge: Charge | None = None) -> Answer:
        """Run `job`; `charge` is called once with the seconds it took (the limit if stopped)."""
        ...

    def pids(self) -> list[int]: ...

    def shutdown(self) -> None: ...


def runner_for(store: GraphStore, timeout: float, size: int, queue_wait: float) -> QueryRunner:
    """A pool of `size` workers over the store's location, or an in-process runner for a store
    in memory."""
    if store.location == ":memory:":
        return InProcessRunner(store)
    return QueryPool(store.location, size=size, timeout=timeout, queue_wait=queue_wait)


class InProcessRunner:
    """Queries in this process: no time limit, since nothing can stop a running pyoxigraph query
    short of ending its process (used for a store in memory, which other processes cannot see)."""

    isolated = False

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def run(self, job: Job, charge: Charge | None = None) -> Answer:
        started = time.monotonic()
        try:
            return answer(self.store, job)
        finally:
            if charge is not None:
                charge(time.monotonic() - started)

    def pids(self) -> list[int]:
        return []

    def shutdown(self) -> None:
        pass


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    generation: int
    ready: bool = False
    deadline: float | None = None
    """When the query it runs reaches the time limit (None while idle or starting)."""


class QueryPool:
    """`size` worker processes over the store at `location`; see the module's docstring."""

    isolated = True

    def __init__(self, location: str, size: int = 2, timeout: float = 30.0, queue_wait: float = 5.0) -> None:
        if size < 1 or timeout <= 0 or queue_wait < 0:
            raise ValueError("a pool needs a worker, a positive time limit and a wait of 0 s or more")
        self.location = location
        self.size = size
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._changed = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: list[_Worker] = []
        self._waiting = 0
        self._owner: int | None = None
        """The process whose workers these are; None until the first query."""
        self._generation = 0

    def run(self, job: Job, charge: Charge | None = None) -> Answer:
        """Run `job` in a worker; raises QueryTimeout past the limit, EndpointBusy when no worker
        frees up in time, StoreError if the worker fails, or the query's own error."""
        worker = self._checkout()
        started: float | None = None
        reply: tuple[str, Any] | None = None
        try:
            self._wait_until_ready(worker)
            started = time.monotonic()
            with self._changed:
                worker.deadline = started + self.timeout
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout):
                raise QueryTimeout(seconds=_seconds(self.timeout))
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            worker.process.join(1.0)
            raise StoreError("error.query_worker", reason=_ending(worker.process.exitcode)) from exc
        finally:
            if charge is not None and started is not None:
                charge(min(time.monotonic() - started, self.timeout))
            if reply is None:
                self._replace(worker)
            else:
                self._checkin(worker)
        return _unpacked(reply)

    def pids(self) -> list[int]:
        """The process ids of this process's workers (none before the first query)."""
        with self._changed:
            if self._owner != os.getpid():
                return []
            return [w.process.pid for w in (*self._idle, *self._busy) if w.process.pid is not None]

    def running(self) -> int:
        """How many queries hold a worker now."""
        with self._changed:
            return len(self._busy) if self._owner == os.getpid() else 0

    def shutdown(self) -> None:
        """Stop every worker (idle ones are asked, busy ones killed); the next query starts anew."""
        with self._changed:
            mine = self._owner == os.getpid()
            idle, busy = (self._idle, self._busy) if mine else ([], [])
            self._idle, self._busy, self._owner = [], [], None
            self._generation += 1
            self._changed.notify_all()
        for worker in busy:
            worker.process.kill()
        for worker in idle:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in (*idle, *busy):
            _stop(worker, STOP_SECONDS)
        atexit.unregister(self.shutdown)

    # the workers ------------------------------------------------------------------------------
    def _checkout(self) -> _Worker:
        give_up = time.monotonic() + self.queue_wait
        with self._changed:
            self._start_if_needed()
            if not self._idle and self._waiting >= self.size:
                raise EndpointBusy(retry_after=self._retry_after())
            self._waiting += 1
            try:
                while not self._idle:
                    remaining = give_up - time.monotonic()
                    if remaining <= 0:
                        raise EndpointBusy(retry_after=self._retry_after())
                    self._changed.wait(remaining)
            finally:
                self._waiting -= 1
            worker = self._idle.pop()
            self._busy.append(worker)
            return worker

    def _checkin(self, worker: _Worker) -> None:
        with self._changed:
            worker.deadline = None
            if worker.generation == self._generation:
                self._busy.remove(worker)
                self._idle.append(worker)
                self._changed.notify()
                return
        _stop(worker, 0)  # the pool was shut down meanwhile

    def _replace(self, worker: _Worker) -> None:
        _stop(worker, 0)
        with self._changed:
            if worker.generation == self._generation:
                self._busy.remove(worker)
                self._idle.append(self._spawn())
                self._changed.notify()

    def _start_if_needed(self) -> None:
        pid = os.getpid()
        if self._owner == pid:
            return
        # never started here, or inherited through a fork: those workers belong to the parent
        self._idle, self._busy, self._owner = [], [], pid
        self._generation += 1
        self._idle = [self._spawn() for _ in range(self.size)]
        atexit.register(self.shutdown)

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["lod.querypool"])
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve, args=(self.location, theirs, os.getpid()), name="lod-sparql", daemon=True
        )
        process.start()
        theirs.close()
        return _Worker(process, ours, self._generation)

    def _wait_until_ready(self, worker: _Worker) -> None:
        if worker.ready:
            return
        if not worker.conn.poll(STARTUP_SECONDS):
            raise StoreError("error.query_worker", reason=f"not ready after {STARTUP_SECONDS:.0f} s")
        reply = worker.conn.recv()
        if reply[0] != "ready":
            _unpacked(reply)  # raises the worker's error (the store could not be opened)
        worker.ready = True

    def _retry_after(self) -> int:
        """Seconds until the first running query ends or is stopped (at least 1)."""
        now = time.monotonic()
        deadlines = [w.deadline for w in self._busy if w.deadline is not None]
        soonest = min(deadlines, default=now + self.timeout)
        return max(1, math.ceil(soonest - now))


def _stop(worker: _Worker, wait: float) -> None:
    """End the worker: it has `wait` seconds to exit by itself, then it is killed and reaped."""
    if wait:
        worker.process.join(wait)
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(5.0)
    worker.conn.close()


def _unpacked(reply: tuple[str, Any]) -> Answer:
    kind, payload = reply
    if kind == "answer":
        assert isinstance(payload, Answer)
        return payload
    if kind == "error":
        error_class, key, params = payload
        raise error_class(key, **params)
    raise RuntimeError(f"a SPARQL worker failed: {payload}")


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _ending(exitcode: int | None) -> str:
    if exitcode is None:
        return "no exit status"
    if exitcode < 0:
        return f"signal {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


# in the worker process ----------------------------------------------------------------------------
def _serve(location: str, conn: Connection, parent: int) -> None:
    """A worker's life: open the store, say so, then answer jobs until None or the end of the pipe."""
    exit_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    os.nice(NICENESS)
    try:
        store = open_store(location, read_only=True)
    except LodError as exc:
        conn.send(_failure(exc))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply: tuple[str, Any] = ("answer", answer(store, job))
        except LodError as exc:
            reply = _failure(exc)
        except Exception as exc:  # a bug: the parent raises it as RuntimeError (logged, 500)
            reply = ("crash", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


def _failure(error: LodError) -> tuple[str, Any]:
    """An error as (class, key, params): LodError's pickling keeps only its English message."""
    if type(error).__init__ is not LodError.__init__:
        return ("crash", f"{type(error).__name__}: {error}")
    return ("error", (type(error), error.key, error.params))
