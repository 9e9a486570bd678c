"""The shared table of worker loads (lod.web.balancing.Loads); the workers themselves are tested
through `lod serve` in tests/test_serve.py."""

from __future__ import annotations

import os

from lod.web.balancing import Loads


def test_each_worker_gets_its_own_slot_and_sees_the_others() -> None:
    loads = Loads(slots=4)
    first, second = loads.claim(os.getpid()), loads.claim(os.getppid())
    assert first != second
    assert loads.least_other(first) == 0
    loads.publish(second, 3)
    assert loads.least_other(first) == 3
    assert loads.least_other(second) == 0
    loads.release(os.getppid())
    assert loads.least_other(first) is None  # alone


def test_a_slot_of_a_process_gone_is_taken_again() -> None:
    loads = Loads(slots=1)
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    loads.claim(child)
    assert loads.claim(os.getpid()) == 0  # the only slot, its process gone


def test_the_table_is_shared_with_forked_workers() -> None:
    loads = Loads(slots=4)
    mine = loads.claim(os.getpid())
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # a worker: claims a slot and says how many connections it holds
        try:
            loads.publish(loads.claim(os.getpid()), 7)
            os.write(write, b"x")
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 1) == b"x"
    assert loads.least_other(mine) == 7
    os.waitpid(child, 0)
