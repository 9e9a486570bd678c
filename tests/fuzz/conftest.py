"""The fuzz suite's hypothesis profiles (tests/fuzz/profiles.py): LOD_FUZZ=ci (default) or dev."""

from __future__ import annotations

from tests.fuzz import profiles  # noqa: F401  (registers and loads the profile)
