"""Hypothesis profiles of the fuzz suite, chosen by LOD_FUZZ: "ci" (default; what `make test`
runs: a few hundred examples per target, the same ones every run) or "dev" (many more, new ones
each run). bench/fuzz.py is the development run of a million inputs and more."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("LOD_FUZZ", "ci")
EXAMPLES = {"ci": 1.0, "dev": 50.0}
"""Each target's example count is its CI count times this."""
LIMIT = 20.0
"""Seconds any one input may take before it counts as a hang (SIGALRM; hypothesis' deadline,
below, is lower and reports slow inputs as well)."""

_common = {
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    "print_blob": True,
}
# the CI run is derandomized: the same examples every run, so a red CI is a real, repeatable failure
settings.register_profile("ci", max_examples=200, deadline=5000, derandomize=True, **_common)
settings.register_profile("dev", max_examples=10_000, deadline=3000, **_common)
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """The example count of a target whose CI count is `ci`, in the profile chosen."""
    return max(1, int(ci * EXAMPLES.get(PROFILE, 1.0)))
