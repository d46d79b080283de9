"""The ``ipsec-doctor/check/1`` report (``../shared/spec/README.md``, section ``check``).

Spec fields are kept exactly (``tunnels[].a/b/outcome/stage/initiator/findings/
predicted_messages/warnings``); everything else is an addition.
"""

from __future__ import annotations

import msgspec

from ..model import Evidence, Finding


class CheckWarning(msgspec.Struct, kw_only=True):
    code: str
    detail: str
    side: str | None = None
    evidence: list[Evidence] = msgspec.field(default_factory=list)


class DirectionReport(msgspec.Struct, kw_only=True):
    initiator: str
    outcome: str
    stage: str | None = None
    version: int | None = None
    causes: list[str] = msgspec.field(default_factory=list)
    chosen: dict[str, str] = msgspec.field(default_factory=dict)
    trace: list[str] = msgspec.field(default_factory=list)


class TunnelReport(msgspec.Struct, kw_only=True, omit_defaults=False):
    a: str
    b: str
    outcome: str
    stage: str | None
    initiator: str | None
    findings: list[Finding]
    predicted_messages: dict[str, list[str]]
    warnings: list[CheckWarning]
    a_device: str = ""
    b_device: str = ""
    a_source: str = ""
    b_source: str = ""
    a_tunnel: str = ""
    b_tunnel: str = ""
    a_vendor: str = ""
    b_vendor: str = ""
    nat_between: bool = False
    directions: list[DirectionReport] = msgspec.field(default_factory=list)
    defaults: dict[str, list[str]] = msgspec.field(default_factory=dict)


class Unpaired(msgspec.Struct, kw_only=True):
    """A configured tunnel whose peer configuration was not among the inputs."""

    device: str
    source: str
    tunnel: str
    peer: str | None
    why: str


class DeviceSummary(msgspec.Struct, kw_only=True):
    name: str
    vendor: str
    source: str
    tunnels: int
    platform: str | None = None


class Skipped(msgspec.Struct, kw_only=True):
    source: str
    why: str


class CheckReport(msgspec.Struct, kw_only=True):
    schema: str = "ipsec-doctor/check/1"
    tunnels: list[TunnelReport] = msgspec.field(default_factory=list)
    unpaired: list[Unpaired] = msgspec.field(default_factory=list)
    devices: list[DeviceSummary] = msgspec.field(default_factory=list)
    skipped: list[Skipped] = msgspec.field(default_factory=list)
    lang: str = "en"

    @property
    def all_ok(self) -> bool:
        return all(t.outcome == "established" for t in self.tunnels)
