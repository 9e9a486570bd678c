"""Stage 4 of ingest on a thread of its own: the store writes of one file, in file order.

`ingest_file` hands each batch's N-Quads to a `BatchWriter`; it gathers them up to a limit of
quads and writes them with one `GraphStore.load_graphs` (fewer, larger files for the store to
merge), and moves the file's checkpoint once the write has committed. The writes run on a thread
because the bulk loader releases the GIL: while one runs, the main thread goes on handing batches
to the worker processes and taking their results, instead of leaving the workers idle. At most
two writes wait in line, so memory stays bounded whatever the file size.

If the ingest stops on an error, the writes already handed over are finished (each holds whole
records) and the pending ones are dropped: the checkpoint says where a re-run starts.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType

from pyoxigraph import NamedNode

from lod.checkpoint import Checkpoints
from lod.store import GraphStore
from lod.uris import Minter
from lod.withdrawal import revive, withdraw

Task = Callable[[], None]


class BatchWriter:
    def __init__(
        self,
        store: GraphStore,
        minter: Minter,
        *,
        limit: int,
        revive_withdrawn: bool,
        checkpoints: Checkpoints | None = None,
        key: str | None = None,
    ) -> None:
        self.store, self.minter, self.limit = store, minter, limit
        self.revive_withdrawn = revive_withdrawn
        self.checkpoints, self.key = checkpoints, key
        self.withdrawn = 0
        """Records withdrawn so far (counted once their write is done)."""
        self._graphs: list[NamedNode] = []
        self._pending: set[NamedNode] = set()
        self._data: list[bytes] = []
        self._quads = 0
        self._done = 0
        self._failure: BaseException | None = None
        self._tasks: queue.Queue[Task | None] = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._run, name="lod-batch-writer", daemon=True)
        self._thread.start()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.flush()
        self._tasks.put(None)
        self._thread.join()
        if kind is None and self._failure is not None:
            raise self._failure

    # called from the ingest loop
    def add(self, loads: Sequence[tuple[list[NamedNode], bytes]], done: int) -> None:
        """Queue a batch's loads (graphs replaced, N-Quads); `done`: the file's records they complete."""
        if any(graph in self._pending for graphs, _ in loads for graph in graphs):
            self.flush()  # a record sent again: its earlier version goes in first
        for graphs, nquads in loads:
            size = nquads.count(b"\n")
            if self._data and self._quads + size > self.limit:
                self.flush()
            self._graphs += graphs
            self._pending.update(graphs)
            self._data.append(nquads)
            self._quads += size
        self._done = done
        if not loads:
            self.flush()  # nothing to load, but the checkpoint moves on

    def withdraw(self, graphs: Iterable[NamedNode]) -> None:
        """Withdraw these records' graphs, after every write queued before."""
        graphs = list(graphs)
        if graphs:
            self.flush()
            self._submit(lambda: self._withdraw(graphs))

    def flush(self) -> None:
        """Hand what is gathered to the writing thread."""
        graphs, data, done = self._graphs, self._data, self._done
        self._graphs, self._pending, self._data, self._quads = [], set(), [], 0
        if data or done:
            self._submit(lambda: self._write(graphs, b"".join(data), done))

    # on the writing thread
    def _submit(self, task: Task) -> None:
        if self._failure is not None:
            raise self._failure
        self._tasks.put(task)

    def _run(self) -> None:
        while (task := self._tasks.get()) is not None:
            if self._failure is None:
                try:
                    task()
                except BaseException as exc:  # handed to the ingest loop at its next step
                    self._failure = exc

    def _write(self, graphs: list[NamedNode], nquads: bytes, done: int) -> None:
        if nquads:
            self.store.load_graphs(graphs, nquads)
            if self.revive_withdrawn:
                revive(self.store, self.minter, graphs)
        if self.checkpoints is not None and self.key is not None and done:
            self.checkpoints.advance(self.key, done)  # after the write committed

    def _withdraw(self, graphs: list[NamedNode]) -> None:
        self.withdrawn += withdraw(self.store, self.minter, graphs)
