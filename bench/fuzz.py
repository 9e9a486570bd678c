"""The development fuzz run (issue 11): a million generated inputs and more over the MARC readers
and the converter, the Vietnamese text functions, the registry reader and the web app's request
handlers, on one core.

    python bench/fuzz.py [--minutes 40] [--plan target=share,...] [--seed N] [--only target,...]

Each target is a check of tests/fuzz/targets.py over inputs from its generator (mutated fixture
records and files, random text and bytes, random requests), run in a plain seeded loop for its
share of the time (the fast targets carry most of the count); then the hypothesis targets of the
CI suite run with many examples each. An input passes when it ends in a result or one of the
platform's own errors; anything else (another exception, a 5xx, a 4xx in another shape, more
than --limit seconds) is a failure, printed with its input and kept in the results.

Prints inputs, inputs/s and failures per target and the total; writes
bench/results/fuzz-YYYY-MM-DD.json. Exit code 1 when any input failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz import targets  # noqa: E402
from tests.fuzz.targets import RandomDraw, time_limit  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PLAN = {
    "marc-read": 0.22,
    "marc-convert": 0.16,
    "text": 0.14,
    "legacy-bytes": 0.08,
    "round-trip": 0.04,
    "registry": 0.10,
    "web": 0.14,
    "hypothesis": 0.12,
}
"""Share of the time of each target (the hypothesis targets share theirs)."""


@dataclass
class Outcome:
    target: str
    inputs: int = 0
    seconds: float = 0.0
    failures: int = 0
    slowest: float = 0.0
    examples: list[dict[str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.inputs / self.seconds if self.seconds else 0.0


Check = Callable[[RandomDraw], object]


def plain_targets(scratch: Path) -> dict[str, Check]:
    """name -> one input generated and checked."""

    def marc_read(r: RandomDraw) -> object:
        return targets.check_marc(targets.marc_input(r), convert=False)

    def marc_convert(r: RandomDraw) -> object:
        return targets.check_marc(targets.marc_input(r))

    def text(r: RandomDraw) -> object:
        return targets.check_text(targets.text_input(r))

    def legacy_bytes(r: RandomDraw) -> object:
        if r.integer(0, 1):
            data = targets.blob(r, 120)
        else:
            data = targets.mojibake(targets.text_input(r), r).encode("latin-1", "replace")
        return targets.check_bytes(data)

    def round_trip(r: RandomDraw) -> object:
        pool = "".join(sorted(targets.VIETNAMESE_ALPHABET))
        value = "".join(r.choice(pool) for _ in range(r.integer(0, 30)))
        return targets.check_round_trip(value, r.choice(targets.ENCODINGS))

    def registry(r: RandomDraw) -> object:
        name, data = targets.registry_input(r)
        return targets.check_registry(name, data, scratch)

    client = None
    entities: list[str] = []

    def web(r: RandomDraw) -> object:
        nonlocal client, entities
        if client is None:
            app = targets.sample_app()
            client = app.test_client()
            entities = targets.entity_paths(app.extensions["lod.store"])
        return targets.check_request(client, targets.request_input(r, entities))

    return {
        "marc-read": marc_read,
        "marc-convert": marc_convert,
        "text": text,
        "legacy-bytes": legacy_bytes,
        "round-trip": round_trip,
        "registry": registry,
        "web": web,
    }


def run_plain(name: str, check: Check, seconds: float, seed: int, limit: float) -> Outcome:
    """Inputs from a seeded generator, one after another, until `seconds` have passed. Each input
    has its own seed (seed, target, n), so a failure is generated again from the three alone."""
    outcome = Outcome(name)
    start = time.perf_counter()
    end = start + seconds
    n = 0
    while time.perf_counter() < end:
        rng = random.Random(f"{seed}:{name}:{n}")
        began = time.perf_counter()
        try:
            with time_limit(limit):
                check(RandomDraw(rng))
        except Exception as exc:  # every failure is kept, and the run goes on
            _failed(outcome, f"--seed {seed}, input {n}", exc)
        took = time.perf_counter() - began
        outcome.slowest = max(outcome.slowest, took)
        n += 1
    outcome.inputs = n
    outcome.seconds = time.perf_counter() - start
    return outcome


def _failed(outcome: Outcome, where: str, exc: BaseException) -> None:
    outcome.failures += 1
    if len(outcome.examples) < 20:
        trace = "".join(traceback.format_exception(exc)[-4:])
        outcome.examples.append(
            {"input": where, "error": f"{type(exc).__name__}: {exc}"[:2000], "trace": trace}
        )
        print(f"  FAIL {outcome.target} {where}: {type(exc).__name__}: {str(exc)[:300]}", flush=True)


def run_hypothesis(seconds: float, limit: float, scratch: Path) -> list[Outcome]:
    """The hypothesis targets of the CI suite, each with as many examples as fit its share of
    `seconds` (measured on a first batch of 200)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from tests.fuzz import strategies

    app = targets.sample_app()
    entities = targets.entity_paths(app.extensions["lod.store"])
    client = app.test_client()
    requests = st.composite(lambda draw: targets.request_input(targets.HypothesisDraw(draw), entities))()
    cases: list[tuple[str, Any, Callable[[Any], object]]] = [
        ("hypothesis-marc", strategies.marc_files, targets.check_marc),
        ("hypothesis-text", strategies.texts | strategies.vietnamese_texts, targets.check_text),
        ("hypothesis-bytes", st.binary(max_size=200), targets.check_bytes),
        ("hypothesis-registry", strategies.registry_files, lambda f: targets.check_registry(*f, scratch)),
        ("hypothesis-web", requests, lambda request: targets.check_request(client, request)),
    ]
    outcomes = []
    share = seconds / len(cases)
    for name, strategy, check in cases:
        outcome = Outcome(name)
        started = time.perf_counter()
        budget = 200
        while time.perf_counter() - started < share and budget > 0:
            count = 0

            def counted(check: Callable[[Any], object]) -> Callable[[Any], None]:
                def one(value: Any) -> None:
                    nonlocal count
                    count += 1
                    with time_limit(limit):
                        check(value)

                return one

            test = settings(
                max_examples=budget,
                deadline=None,
                database=None,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )(given(strategy)(counted(check)))
            began = time.perf_counter()
            try:
                test()
            except Exception as exc:  # hypothesis raises the shrunk failure: kept, next target
                _failed(outcome, "hypothesis (shrunk example in the error)", exc)
                outcome.inputs += count
                break
            took = time.perf_counter() - began
            outcome.inputs += count
            left = share - (time.perf_counter() - started)
            budget = min(int(left / (took / max(count, 1))), 20_000) if left > 1 else 0
        outcome.seconds = time.perf_counter() - started
        outcomes.append(outcome)
        _print(outcome)
    return outcomes


def _print(outcome: Outcome) -> None:
    print(
        f"{outcome.target:<20} {outcome.inputs:>10,} inputs {outcome.seconds:8.1f} s "
        f"{outcome.rate:9,.0f}/s  failures {outcome.failures}  slowest {outcome.slowest:.2f} s",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=40.0, help="whole run (default 40)")
    parser.add_argument("--plan", default="", help="target=share,... (shares of the time; default PLAN)")
    parser.add_argument("--only", default="", help="run only these targets (comma-separated)")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--limit", type=float, default=20.0, help="seconds after which an input hangs")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    plan = dict(PLAN)
    for item in filter(None, args.plan.split(",")):
        name, _, share = item.partition("=")
        plan[name.strip()] = float(share)
    if args.only:
        plan = {name: share for name, share in plan.items() if name in args.only.split(",")}
    total_share = sum(plan.values()) or 1.0
    seconds = {name: args.minutes * 60 * share / total_share for name, share in plan.items()}
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[-1]})  # one core, whatever the machine has
    print(
        f"Fuzz run {date.today()}, seed {args.seed}, {args.minutes:g} min on one core, "
        f"Python {platform.python_version()}",
        flush=True,
    )
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="lod-fuzz-") as scratch:
        plain = plain_targets(Path(scratch))
        for name, check in plain.items():
            if name in seconds:
                outcome = run_plain(name, check, seconds[name], args.seed, args.limit)
                outcomes.append(outcome)
                _print(outcome)
        if "hypothesis" in seconds:
            outcomes += run_hypothesis(seconds["hypothesis"], args.limit, Path(scratch))
    duration = time.perf_counter() - started
    inputs = sum(o.inputs for o in outcomes)
    failures = sum(o.failures for o in outcomes)
    print(f"{'total':<20} {inputs:>10,} inputs {duration:8.1f} s  failures {failures}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"fuzz-{date.today()}.json"
    report = {
        "date": str(date.today()),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "minutes": args.minutes,
        "machine": {"cpu": platform.processor() or platform.machine(), "cores_used": 1},
        "python": platform.python_version(),
        "total_inputs": inputs,
        "total_failures": failures,
        "seconds": round(duration, 1),
        "targets": [{**asdict(o), "rate": round(o.rate, 1)} for o in outcomes],
    }
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"results: {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
