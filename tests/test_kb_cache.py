"""The compiled knowledge-base cache (``kb._compiled``): written once, read back equal, a broken
file falls back to the YAML, and old compilations are pruned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ipsec_doctor import kb


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("IPSEC_DOCTOR_NO_CACHE", raising=False)
    return tmp_path / "ipsec-doctor"


def test_written_once_and_read_back_equal(cache: Path) -> None:
    first = kb._compiled()
    files = list(cache.glob("kb-*.msgpack"))
    assert len(files) == 1
    assert kb._compiled() == first


def test_broken_cache_falls_back_to_the_yaml(cache: Path) -> None:
    good = kb._compiled()
    (path,) = cache.glob("kb-*.msgpack")
    path.write_bytes(b"\x00not msgpack")
    assert kb._compiled() == good
    assert path.read_bytes() != b"\x00not msgpack"  # rewritten


def test_old_compilations_are_pruned(cache: Path) -> None:
    cache.mkdir(parents=True)
    for i in range(10):
        old = cache / f"kb-old{i:02d}.msgpack"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    kb._compiled()
    left = sorted(f.name for f in cache.glob("kb-*.msgpack"))
    assert len(left) == kb.CACHE_KEEP
    assert "kb-old09.msgpack" in left and "kb-old00.msgpack" not in left
