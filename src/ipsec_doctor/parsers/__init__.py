"""Parsers: one module per (vendor, command or log family), each turning lines into facts.

``registry()`` lists every parser in dispatch order.  To add one, write a module with a class
that implements ``parsers.base.Parser`` and add it to ``_PARSER_PATHS`` below.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from .base import Parser

_PARSER_PATHS = (
    "ipsec_doctor.parsers.huawei.error_info:ErrorInfoParser",
    "ipsec_doctor.parsers.huawei.offline_info:OfflineInfoParser",
    "ipsec_doctor.parsers.huawei.debug:DebugParser",
    "ipsec_doctor.parsers.huawei.syslog:SyslogParser",
)


@lru_cache(maxsize=1)
def registry() -> tuple[Parser, ...]:
    out = []
    for path in _PARSER_PATHS:
        mod, _, cls = path.partition(":")
        out.append(getattr(import_module(mod), cls)())
    return tuple(out)
