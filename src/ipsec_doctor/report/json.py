"""JSON rendering per ``../shared/spec/README.md``: the ``diagnose`` report
(``ipsec-doctor/report/1``) and the ``check`` report (``ipsec-doctor/check/1``)."""

from __future__ import annotations

import msgspec


def render(report: msgspec.Struct) -> str:
    return msgspec.json.format(msgspec.json.encode(report).decode("utf-8"), indent=2)
