"""Checkpoints of an ingest, per file and batch, so that a re-run after a crash resumes.

A checkpoint says: of this file (its absolute path, size and modification time, and the library it
is ingested for), the first N records are loaded. It is written after each batch's store write has
committed, never before, so a crash between the two only means that batch is loaded again (ingest
is idempotent); a checkpoint can never skip a record that is not in the store. When the file is
done its checkpoint goes: ingesting the same file later (a library re-sending it) runs in full.
Checkpoints live in one small JSON file beside the embedded store, written atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class Checkpoints:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @classmethod
    def beside(cls, store_location: str) -> Checkpoints | None:
        """The checkpoints of an embedded store kept in a directory (None in memory or remote)."""
        if not store_location or store_location == ":memory:" or "://" in store_location:
            return None
        return cls(Path(store_location).with_name(Path(store_location).name + ".checkpoints.json"))

    def _all(self) -> dict[str, int]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write(self, entries: dict[str, int]) -> None:
        if not entries:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, self.path)

    @staticmethod
    def key(source: str | os.PathLike[str], library: str) -> str | None:
        """The file's identity; None when it cannot be read (reading then reports why)."""
        try:
            stat = Path(source).stat()
        except OSError:
            return None
        return f"{Path(source).resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{library}"

    def done(self, key: str) -> int:
        """How many records of the file are loaded already (0: start from the beginning)."""
        return self._all().get(key, 0)

    def advance(self, key: str, records: int) -> None:
        entries = self._all()
        entries[key] = records
        self._write(entries)

    def finish(self, key: str) -> None:
        entries = self._all()
        if entries.pop(key, None) is not None:
            self._write(entries)
