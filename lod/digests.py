"""Source digests: a library that sends the very same record again costs nothing.

Every record graph carries `<graph> lodv:sourceDigest "…"`, a BLAKE2b digest of everything its
statements were made from: the record as received (its ISO 2709 bytes; for MARCXML, its fields as
read), the library it was ingested for, the base IRI, whether it was SHACL-validated, and a
fingerprint of the code and data that convert and validate it. Before a batch goes to the workers,
its records' digests are looked up in the store; a record whose digest is there is passed over
(reported as unchanged): the same inputs to the same code give the same statements, already
loaded. A nightly re-send of a catalogue then converts and writes only what changed, and ingesting
the same file twice writes nothing the second time. Any change to the converters, the shapes or
the vocabularies changes the fingerprint, and with it every digest: the next re-send is converted
again in full.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from importlib.abc import Traversable

from lod.marcio import SourceRecord

FINGERPRINTED = ("lod", "lod.converters", "lod.shapes", "lod.ontologies")
"""The packages whose files decide what a record becomes (the web layer's do not)."""
SUFFIXES = (".py", ".ttl", ".json", ".csv", ".rq")
NOT_FINGERPRINTED = {"web", "__pycache__"}


@cache
def code_fingerprint() -> str:
    """A digest of the files of the packages that convert and validate records."""
    digest = hashlib.blake2b(digest_size=16)
    for package in FINGERPRINTED:
        for name, entry in sorted(_files(resources.files(package), "")):
            digest.update(f"{package}/{name}\0".encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def _files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in folder.iterdir():
        if entry.is_file() and entry.name.endswith(SUFFIXES):
            found.append((prefix + entry.name, entry))
        elif entry.is_dir() and entry.name not in NOT_FINGERPRINTED:
            found += _files(entry, prefix + entry.name + "/")
    return found


def source_digest(item: SourceRecord, base: str, library: str, validate: bool) -> str | None:
    """The digest of what the record's statements are made from; None for a record that could not
    be read (it is reported again each time)."""
    if item.error is not None:
        return None
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{code_fingerprint()}\0{base}\0{library}\0{int(validate)}\0".encode())
    if item.raw:
        digest.update(item.raw)
    elif item.record is not None:
        digest.update(_fields_text(item).encode("utf-8", "surrogatepass"))
    else:
        return None
    return digest.hexdigest()


def _fields_text(item: SourceRecord) -> str:
    """A record read from MARCXML (no bytes of its own kept), as text: its leader and fields."""
    assert item.record is not None
    parts = [str(item.record.leader)]
    for field in item.record.fields:
        if field.data is not None:
            parts.append(f"{field.tag}\x1e{field.data}")
        else:
            subfields = "".join(f"\x1f{code}{value}" for code, value in field.subfields)
            parts.append(f"{field.tag}\x1e{field.indicator1}{field.indicator2}{subfields}")
    return "\x1d".join(parts)
