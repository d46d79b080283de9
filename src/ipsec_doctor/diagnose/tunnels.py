"""Pairing the two ends of one tunnel when both devices are in the evidence (any vendors).

A device's own addresses come from the state facts that print them (local tunnel endpoints,
interface addresses of a configuration).  Device A's peer group and device B's peer group are
the same tunnel when A's peer address is one of B's own addresses and B's peer address is not
known to be some other device (it is one of A's own addresses, or A's addresses are unknown).
The two groups are then joined under one key, ``"A ↔ B"``, so both sides' messages are scored
together and every finding cites evidence from both ends.
"""

from __future__ import annotations

from ..parsers.util import is_ip
from .aggregate import Aggregate

_LOCAL_FIELDS = ("local", "local_addr", "local_endpoint", "local_address", "tunnel_local")


def _is_ip(value: object) -> bool:
    return isinstance(value, str) and is_ip(value)


def own_addresses(agg: Aggregate) -> dict[str | None, set[str]]:
    out: dict[str | None, set[str]] = {}
    for s in agg.states:
        mine = out.setdefault(s.device, set())
        for field in _LOCAL_FIELDS:
            value = getattr(s, field, None)
            if _is_ip(value) and value not in ("0.0.0.0", "::"):
                mine.add(value)
        for addr in getattr(s, "addresses", ()) or ():
            value = getattr(addr, "address", None)
            if _is_ip(value):
                mine.add(value)
    return out


def join_tunnels(agg: Aggregate) -> list[tuple[str, str, str | None, str | None]]:
    """Join the two ends' groups; returns (device A, device B, A's peer, B's peer) per tunnel."""
    own = own_addresses(agg)
    keys = [k for k in agg.groups if k[0] is not None and k[1] is not None]
    joined: list[tuple[str, str, str | None, str | None]] = []
    used: set[tuple[str | None, str | None]] = set()
    for a in keys:
        if a in used:
            continue
        for b in keys:
            if b in used or b == a or b[0] == a[0]:
                continue
            a_dev, a_peer = a
            b_dev, b_peer = b
            if a_peer in own.get(b_dev, set()) and (
                b_peer in own.get(a_dev, set()) or not own.get(a_dev)
            ):
                target = agg.groups.setdefault((f"{a_dev} ↔ {b_dev}", a_peer), {})
                for key in (a, b):
                    for k, t in agg.groups.pop(key).items():
                        if k in target:
                            target[k].merge(t)
                        else:
                            target[k] = t
                used |= {a, b}
                joined.append((a_dev, b_dev, a_peer, b_peer))  # type: ignore[arg-type]
                break
    return joined
