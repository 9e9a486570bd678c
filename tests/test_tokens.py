"""Access tokens of the write side (lod.tokens) and `lod token`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lod.tokens import Tokens
from tests.conftest import run_lod


def test_only_the_hash_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "tokens.sqlite3"
    tokens = Tokens(str(path))
    token_id, token = tokens.create(library="VN-A")
    prefix, found_id, secret = token.split(".")
    assert prefix == "lod" and found_id == token_id and len(secret) >= 43  # 32 random bytes
    kept = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # the file and its WAL
    assert secret.encode() not in kept and token.encode() not in kept
    assert hashlib.sha256(token.encode()).hexdigest().encode() in kept
    assert all(token not in repr(info) and secret not in repr(info) for info in tokens.list())


def test_check_compares_the_whole_token(tmp_path: Path) -> None:
    tokens = Tokens(str(tmp_path / "tokens.sqlite3"))
    token_id, token = tokens.create(library="VN-A")
    _, admin = tokens.create(admin=True)
    grant = tokens.check(token)
    assert grant is not None and grant.library == "VN-A" and not grant.admin and grant.token_id == token_id
    admin_grant = tokens.check(admin)
    assert admin_grant is not None and admin_grant.admin and admin_grant.library is None
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (wrong, f"lod.{token_id}.", "lod.nope." + token.split(".")[2], "", "Bearer", token + "x"):
        assert tokens.check(bad) is None, bad
    assert Tokens(str(tmp_path / "tokens.sqlite3")).check(token) == grant  # another connection


def test_revoke(tmp_path: Path) -> None:
    tokens = Tokens(str(tmp_path / "tokens.sqlite3"))
    first_id, first = tokens.create(library="VN-A")
    _, second = tokens.create(library="VN-A")
    other_id, other = tokens.create(library="VN-B")
    assert tokens.revoke(token_id=first_id) == [first_id]
    assert tokens.check(first) is None and tokens.check(second) is not None
    assert len(tokens.revoke(library="VN-A")) == 1  # the one still valid
    assert tokens.check(second) is None and tokens.check(other) is not None
    listed = {info.id: info for info in tokens.list()}
    assert listed[first_id].revoked is not None and listed[other_id].revoked is None
    with pytest.raises(ValueError):
        tokens.revoke()
    with pytest.raises(ValueError):
        tokens.create()


def test_token_commands(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    created = run_lod("--store", store, "--lang", "en", "token", "create", "--library", "VN-A")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert Path(store + "-tokens.sqlite3").exists()
    assert Tokens(store + "-tokens.sqlite3").check(token) is not None
    listed = run_lod("--store", store, "token", "list")
    assert "VN-A" in listed.stdout and token.split(".")[2] not in listed.stdout + listed.stderr
    assert run_lod("--store", store, "token", "create").returncode == 2  # neither --library nor --admin
    assert run_lod("--store", store, "token", "create", "--library", "bad id/").returncode == 2
    revoked = run_lod("--store", store, "--lang", "en", "token", "revoke", "--library", "VN-A")
    assert revoked.returncode == 0 and "Revoked 1" in revoked.stderr
    assert Tokens(store + "-tokens.sqlite3").check(token) is None
