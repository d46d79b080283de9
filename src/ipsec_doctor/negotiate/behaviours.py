"""Vendor behaviour switches (``behaviours.yaml``): what a vendor does where RFCs leave room."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any


@cache
def _table() -> dict[str, dict[str, dict[str, Any]]]:
    import yaml

    text = resources.files(__package__).joinpath("behaviours.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def switch(vendor: str, key: str) -> tuple[Any, float, str]:
    """(value, confidence, source) of ``key`` for ``vendor`` (``default`` when unknown)."""
    table = _table()
    entry = table.get(vendor, {}).get(key) or table["default"][key]
    return entry["value"], float(entry["confidence"]), entry["source"]


def value(vendor: str, key: str) -> Any:
    return switch(vendor, key)[0]
