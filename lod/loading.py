"""Stage 4 of ingest: the store writes of a run, on threads of their own, with checkpoints that only
ever move past committed records.

The ingest loop hands each batch's N-Quads to a `BatchWriter`, which gathers them up to a limit of
quads and writes them with one `GraphStore.load_graphs` (one atomic bulk load of whole records).
Writes run on `writers` threads at once: pyoxigraph's bulk loader releases the GIL, and one call
parses its input and then encodes and sorts it one after the other, so two calls in flight keep
both cores busy where one leaves a core idle half the time (bench/bench_union.py measures it).
Meanwhile the main thread goes on handing batches to the worker processes.

Order is kept where it matters:
- writes in flight never share a record graph (a record sent again waits for its earlier version);
- withdrawals wait for every write queued before them;
- a checkpoint mark (`file key -> records done`, or the end of a file) is applied only once its own
  write and every earlier one have committed, in the order the marks were given: a crash at any
  moment costs at most the writes in flight, which a re-run loads again (ingest is idempotent).

At most `writers` writes are in flight, so memory stays bounded whatever the input size. If the
ingest stops on an error, the writes in flight are finished (each holds whole records), the
gathered ones are dropped, and the checkpoints say where a re-run starts.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import NamedTuple

from pyoxigraph import NamedNode

from lod.store import GraphStore
from lod.uris import Minter
from lod.withdrawal import revive, withdraw


class Load(NamedTuple):
    """Record graphs to replace, the N-Quads of their statements (and of new shared ones), and how
    many quads that is (counted where the lines are made: counting again costs a pass over them)."""

    graphs: list[NamedNode]
    nquads: bytes
    quads: int


Mark = Callable[[], None]
"""What to do once a write and every earlier one have committed: move a file's checkpoint, close
its report."""


@dataclass
class _Write:
    graphs: list[NamedNode] = field(default_factory=list)
    data: list[bytes] = field(default_factory=list)
    quads: int = 0
    marks: list[Mark] = field(default_factory=list)
    future: Future[None] | None = None

    @property
    def done(self) -> bool:
        return self.future is None or self.future.done()


class BatchWriter:
    def __init__(
        self,
        store: GraphStore,
        minter: Minter,
        *,
        limit: int,
        revive_withdrawn: bool,
        writers: int = 2,
    ) -> None:
        self.store, self.minter, self.limit = store, minter, limit
        self.revive_withdrawn = revive_withdrawn
        """Whether loaded records may have tombstones to drop (set once anything is withdrawn)."""
        self.writers = max(1, writers)
        self._gathering = _Write()
        self._pending: set[NamedNode] = set()
        """The record graphs gathered or in flight."""
        self._flight: deque[_Write] = deque()
        self._failure: BaseException | None = None
        self._pool = ThreadPoolExecutor(self.writers, thread_name_prefix="lod-writer")

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.drain()
            else:  # keep what is committed (and its checkpoints); drop what was only gathered
                for write in self._flight:
                    if write.future is not None:
                        write.future.exception()
                try:
                    self._settle()
                except BaseException:  # noqa: S110 - the error already on its way out matters more
                    pass
        finally:
            self._pool.shutdown(wait=True)

    # called from the ingest loop
    def add(self, loads: Sequence[Load], mark: Mark | None = None) -> None:
        """Queue a batch's loads (graphs replaced, N-Quads); `mark` is applied once they are written."""
        if any(graph in self._pending for load in loads for graph in load.graphs):
            self.drain()  # a record sent again: its earlier version goes in first
        gathering = self._gathering
        for graphs, nquads, size in loads:
            if gathering.data and gathering.quads + size > self.limit:
                self.flush()
                gathering = self._gathering
            gathering.graphs += graphs
            self._pending.update(graphs)
            gathering.data.append(nquads)
            gathering.quads += size
        if mark is not None:
            gathering.marks.append(mark)

    def mark(self, mark: Mark) -> None:
        """Apply `mark` once everything queued so far is written."""
        self._gathering.marks.append(mark)

    def withdraw(self, graphs: Iterable[NamedNode]) -> int:
        """Withdraw these records' graphs, after every write queued before; returns how many
        were in the store."""
        graphs = list(graphs)
        if not graphs:
            return 0
        self.drain()
        withdrawn = withdraw(self.store, self.minter, graphs)
        self.revive_withdrawn = True
        return withdrawn

    def flush(self) -> None:
        """Hand what is gathered to a writing thread (waiting while `writers` writes are in flight)."""
        write, self._gathering = self._gathering, _Write()
        if not write.data and not write.marks:
            return
        while sum(1 for w in self._flight if w.future is not None) >= self.writers:
            self._wait_oldest()
        if write.data:
            revive_withdrawn = self.revive_withdrawn
            write.future = self._pool.submit(
                self._write, write.graphs, b"".join(write.data), revive_withdrawn
            )
            write.data = []
        self._flight.append(write)
        self._settle()

    def drain(self) -> None:
        """Write everything queued and wait for it (and apply its marks)."""
        self.flush()
        while self._flight:
            self._wait_oldest()

    # on the writing threads
    def _write(self, graphs: list[NamedNode], nquads: bytes, revive_withdrawn: bool) -> None:
        self.store.load_graphs(graphs, nquads)
        if revive_withdrawn:
            revive(self.store, self.minter, graphs)

    # bookkeeping, on the ingest loop's thread
    def _wait_oldest(self) -> None:
        oldest = self._flight[0]
        if oldest.future is not None:
            oldest.future.exception()  # waits; the error, if any, is raised by _settle
        self._settle()

    def _settle(self) -> None:
        """Retire the writes done, oldest first, applying their marks; raise a failed write's error."""
        if self._failure is not None:
            raise self._failure
        while self._flight and self._flight[0].done:
            write = self._flight.popleft()
            if write.future is not None and (failure := write.future.exception()) is not None:
                self._failure = failure
                raise failure
            self._pending.difference_update(write.graphs)
            for mark in write.marks:
                mark()
