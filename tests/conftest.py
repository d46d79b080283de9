"""Shared test helpers: paths to fixtures and to the reference documents."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "reference" / "seeds"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"reference documents not found at {SEEDS}")
    return SEEDS


@contextmanager
def use_finder(name: str) -> Iterator[None]:
    """Run fast mode with the named candidate finder (``ingest.candidates.FINDERS``); skips when
    it is "hyperscan" and the package does not import on this machine."""
    from ipsec_doctor.ingest import candidates

    if name == "hyperscan" and not candidates.load_hyperscan():
        pytest.skip("the hyperscan package does not import here (no wheel for this platform)")
    old = candidates._chosen
    candidates._chosen = candidates.FINDERS[name]
    try:
        yield
    finally:
        candidates._chosen = old
