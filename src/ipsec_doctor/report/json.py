"""JSON rendering per ``../shared/spec/README.md`` (schema ``ipsec-doctor/report/1``)."""

from __future__ import annotations

import msgspec

from ..model import Report


def render(report: Report) -> str:
    return msgspec.json.format(msgspec.json.encode(report).decode("utf-8"), indent=2)
