"""Parsers: one module per (vendor, command or log family), each turning lines into facts.

``registry()`` discovers them: every module in a vendor package (``parsers/huawei/``, ...) that
defines ``PARSERS`` (a tuple of parser classes implementing ``parsers.base.Parser``) contributes
them, ordered by their ``priority`` (lower first; default 100).  Adding a parser is adding a
module; nothing else to edit.
"""

from __future__ import annotations

import pkgutil
from functools import lru_cache
from importlib import import_module

from .base import Parser

VENDOR_PACKAGES = ("huawei", "cisco", "generic", "strongswan", "libreswan")


@lru_cache(maxsize=1)
def registry() -> tuple[Parser, ...]:
    found: list[Parser] = []
    for vendor in VENDOR_PACKAGES:
        pkg = import_module(f"{__name__}.{vendor}")
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            mod = import_module(f"{pkg.__name__}.{info.name}")
            for cls in getattr(mod, "PARSERS", ()):
                found.append(cls())
    names = [p.name for p in found]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise RuntimeError(f"parser names registered twice: {sorted(dupes)}")
    return tuple(sorted(found, key=lambda p: getattr(p, "priority", 100)))
