"""Each client's SPARQL query time (lod.budget), in a real SQLite file shared between processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lod.budget import QueryBudget
from lod.errors import TooManyRequests


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_spends_its_budget_and_gets_it_back(tmp_path: Path) -> None:
    clock = Clock()
    budget = QueryBudget(str(tmp_path / "budget.sqlite3"), seconds=60, window=60, clock=clock)
    budget.check("192.0.2.1")
    budget.charge("192.0.2.1", 45)
    budget.check("192.0.2.1")  # 15 s left
    budget.charge("192.0.2.1", 30)  # a query that started within the budget runs to its end
    with pytest.raises(TooManyRequests) as refused:
        budget.check("192.0.2.1")
    # 75 s spent, 60 allowed, draining at 1 s per s: 15 s to wait
    assert refused.value.status == 429 and refused.value.headers == {"Retry-After": "15"}
    assert "60 s per 60 s" in refused.value.message("en") and "15 giây" in refused.value.message("vi")
    budget.check("192.0.2.2")  # other clients are not affected
    clock.now += 14
    with pytest.raises(TooManyRequests) as still:
        budget.check("192.0.2.1")
    assert still.value.headers["Retry-After"] == "1"
    clock.now += 1.5
    budget.check("192.0.2.1")
    assert budget.spent("192.0.2.1") == pytest.approx(59.5)
    clock.now += 600
    assert budget.spent("192.0.2.1") == 0


def test_sweep_forgets_clients_with_nothing_spent(tmp_path: Path) -> None:
    clock = Clock()
    budget = QueryBudget(str(tmp_path / "budget.sqlite3"), seconds=10, window=60, clock=clock)
    budget.charge("192.0.2.1", 5)
    budget.charge("192.0.2.2", 20)
    clock.now += 60  # 10 s drained each
    budget.sweep()
    with sqlite3.connect(tmp_path / "budget.sqlite3") as db:
        rows = dict(db.execute("SELECT client, seconds FROM spent"))
    assert list(rows) == ["192.0.2.2"]


def test_no_budget_means_no_file_and_no_refusal(tmp_path: Path) -> None:
    budget = QueryBudget(str(tmp_path / "budget.sqlite3"), seconds=0, window=60)
    budget.charge("192.0.2.1", 1000)
    budget.check("192.0.2.1")
    assert not (tmp_path / "budget.sqlite3").exists()


def test_the_budget_is_shared_between_processes(tmp_path: Path) -> None:
    """Another process (as another gunicorn worker would) spends the client's time; this one sees it."""
    path = tmp_path / "var" / "budget.sqlite3"
    ours = QueryBudget(str(path), seconds=5, window=60)
    ours.check("192.0.2.1")
    script = (
        "import sys; from lod.budget import QueryBudget; "
        "QueryBudget(sys.argv[1], seconds=5, window=60).charge('192.0.2.1', 30)"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    with pytest.raises(TooManyRequests) as refused:
        ours.check("192.0.2.1")
    assert int(refused.value.headers["Retry-After"]) >= 299  # 25 s over, draining at 1/12 s per s
    ours.close()


def test_an_unusable_file_does_not_close_the_endpoint(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    budget = QueryBudget(str(blocker / "budget.sqlite3"), seconds=1, window=60)
    budget.charge("192.0.2.1", 100)
    budget.check("192.0.2.1")
    assert "SPARQL budget not enforced" in caplog.text
