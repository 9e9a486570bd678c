"""Worker processes that end with the process that started them, however it ends.

Killed with -9, a parent cannot stop its workers; a worker waiting for its next job, or in the
middle of one, would not notice (a queue's pipe is not closed while the worker holds both ends,
and the forkserver it came from stays up as long as one of its workers does). Used by the ingest
workers (lod.batches) and the SPARQL query workers (lod.querypool).
"""

from __future__ import annotations

import os
import select
import threading
import time


def exit_with(parent: int) -> None:
    """In a worker: start a daemon thread that ends this process once `parent` has ended."""
    threading.Thread(target=_wait_then_exit, args=(parent,), name="lod-watchdog", daemon=True).start()


def _wait_then_exit(parent: int) -> None:
    try:
        handle = os.pidfd_open(parent)
    except (AttributeError, OSError):  # no pidfd (Linux before 5.3, other systems): ask each second
        while alive(parent):
            time.sleep(1.0)
    else:
        select.select([handle], [], [])  # readable once the process has ended
    os._exit(1)


def alive(pid: int) -> bool:
    """Whether process `pid` exists (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
