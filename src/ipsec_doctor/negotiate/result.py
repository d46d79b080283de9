"""What the negotiation simulator returns (``negotiate.simulate``), before any rendering.

``check_pair(a, ta, b, tb)`` simulates both directions (each side as initiator, when it can
initiate), then the traffic stage, and returns a ``PairResult``.  The ``check`` front end turns it
into the JSON contract of ``../shared/spec/README.md`` (titles/steps from the KB, fixes rendered by
each vendor reader from the ``Change`` objects).
"""

from __future__ import annotations

import msgspec

from ..config.model import Change
from ..model import Line


class Failure(msgspec.Struct, kw_only=True):
    """One reason the tunnel fails (or will fail), with the config lines on both sides that cause
    it, what each vendor will log, and the minimal changes that fix it (alternatives: fixing
    side a OR side b; ``changes`` lists them all, the front end shows each side's)."""

    cause: str  # root-cause id (../shared/spec/root-causes.tsv or kb/causes.yaml)
    stage: str  # ike / ipsec / traffic
    detail: str  # one line, English, e.g. "encryption: a offers AES-CBC-256, b accepts AES-CBC-128"
    lines_a: list[Line] = []
    lines_b: list[Line] = []
    messages: dict[str, list[str]] = {}  # "a"/"b" -> vendor log lines this side will show
    changes: list[Change] = []
    confidence: float = 0.9  # below 1 when a vendor behaviour is assumed, not documented
    when: str | None = None  # e.g. "at the first rekey" (IKEv2 PFS), None = at once


class Warning_(msgspec.Struct, kw_only=True):
    """A weakness that does not break the tunnel (weak algorithm, no PFS/DPD, lifetimes differ,
    assumptions the simulator had to make such as an unverifiable cipher-blob PSK)."""

    code: str  # weak-encryption, weak-integrity, weak-dh, no-pfs, no-dpd, lifetime-differs, ...
    detail: str
    side: str | None = None  # a / b / None (both)
    lines: list[Line] = []


class Direction(msgspec.Struct, kw_only=True):
    """One simulated negotiation with ``initiator`` starting it."""

    initiator: str  # a / b
    outcome: str  # established / fails / not-initiated (the side cannot initiate)
    stage: str | None = None  # ike / ipsec / traffic when it fails
    version: int | None = None  # IKE version actually used
    failures: list[Failure] = []  # ranked, most likely first
    later: list[Failure] = []  # met next, once the failures of ``stage`` are fixed
    trace: list[str] = []  # human-readable steps: "IKE_SA_INIT: a offers ..., b chooses ..."
    chosen: dict[str, str] = {}  # "ike": "aes-cbc-256/sha2-256/sha2-256/14", "child": ...


class PairResult(msgspec.Struct, kw_only=True):
    a_device: str
    a_tunnel: str
    b_device: str
    b_tunnel: str
    directions: list[Direction] = []
    warnings: list[Warning_] = []
    nat_between: bool = False  # a NAT device is assumed on the path (addresses do not meet)
