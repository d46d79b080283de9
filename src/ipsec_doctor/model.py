"""Typed facts and report structures shared by every layer.

Data flows one way: evidence lines -> facts (``Signal``, ``Unparsed``) -> findings -> ``Report``.
Every fact carries the ``Line`` it came from (source name, 1-based line number, redacted text),
so any finding can cite its proof.
"""

from __future__ import annotations

import msgspec


class Line(msgspec.Struct, frozen=True):
    """One evidence line: where it came from and its (already redacted) text."""

    source: str
    line: int
    text: str


class Signal(msgspec.Struct, kw_only=True):
    """A vendor message that points at root causes (a failure reason, a teardown reason, ...).

    ``kind`` is one of ``ike-failure`` (a negotiation failed), ``teardown`` (a tunnel went down),
    ``debug`` (a debugging message), ``notify`` (a protocol notification received or sent).
    ``reason`` is the vendor's own wording, whitespace-normalised, never translated.
    """

    vendor: str
    family: str
    kind: str
    reason: str
    ev: Line
    device: str | None = None
    peer: str | None = None
    port: int | None = None
    version: str | None = None
    time: str | None = None
    detail: str | None = None
    code: int | None = None
    interface: str | None = None
    extra: tuple[Line, ...] = ()  # further evidence lines (derived signals cite several)


class Unparsed(msgspec.Struct, kw_only=True):
    """A block the scanner recognised as IPsec-related but no parser could read."""

    family: str
    ev: Line
    device: str | None = None


class State(msgspec.Struct, kw_only=True):
    """A state, statistics or configuration record read from a display command.

    Each parser defines its own subclass with typed fields (counters as ints, flags as bools,
    addresses as strings) and documents them; ``family`` names the record type (``ike-sa``,
    ``ipsec-statistics``, ...).  ``ev`` is the record's first line; ``lines`` maps field names to
    the line each field came from, so rules can cite exactly the line that proves a point.
    """

    vendor: str
    family: str
    ev: Line
    device: str | None = None
    lines: dict[str, Line] = {}

    def line_of(self, field: str) -> Line:
        return self.lines.get(field, self.ev)


Fact = Signal | Unparsed | State


class Evidence(msgspec.Struct):
    """The shape of one cited line in a finding (``../shared/spec``)."""

    source: str
    line: int
    text: str


class NextStep(msgspec.Struct, kw_only=True):
    command: str
    why: str
    device: str | None = None  # where to run it, when known
    stage: str | None = None  # the fault-tree stage this step belongs to


class TreePosition(msgspec.Struct, kw_only=True):
    """Where the evidence puts a device/peer in the vendor fault tree."""

    device: str | None
    peer: str | None
    stage: str
    root: str  # "tunnel-down" or "service-abnormal"
    title: str  # the stage's title, in the report language
    because: Evidence | None = None


class Finding(msgspec.Struct, kw_only=True, omit_defaults=False):
    cause: str
    title: str
    confidence: float
    signals: list[str]
    evidence: list[Evidence]
    steps: list[str]
    fix: list[str]
    device: str | None = None
    peer: str | None = None
    summary: str = ""
    count: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    normal: bool = False
    stage: str | None = None  # fault-tree stage (kb.schema.STAGES) the evidence points at
    details: list[str] = msgspec.field(default_factory=list)  # e.g. which attribute differed


class PeerSummary(msgspec.Struct, kw_only=True):
    """Counts per (device, peer) so the terminal report can group findings."""

    device: str | None
    peer: str | None
    signals: dict[str, int]
    first_seen: str | None = None
    last_seen: str | None = None


class Report(msgspec.Struct, kw_only=True):
    schema: str = "ipsec-doctor/report/1"
    findings: list[Finding] = msgspec.field(default_factory=list)
    next: list[NextStep] = msgspec.field(default_factory=list)
    peers: list[PeerSummary] = msgspec.field(default_factory=list)
    tree: list[TreePosition] = msgspec.field(default_factory=list)
    unknown: list[Evidence] = msgspec.field(default_factory=list)
    unparsed: list[Evidence] = msgspec.field(default_factory=list)
    sources: list[str] = msgspec.field(default_factory=list)
    lines_read: int = 0
    lang: str = "en"
