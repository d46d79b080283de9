"""Fault-tree rules over Huawei ``display ike sa``: which stage did negotiation reach?

* no SA at all (empty table, or only the 0.0.0.0 placeholder of a template) -> the tunnel is
  not established; the counters (``display ipsec statistics``) decide between "IKE not
  triggered" and "IKE SA fails";
* phase 1 stuck negotiating (NEG) for a peer -> IKE SA fails;
* phase 1 ready but no ready phase 2 for a peer -> IPsec SA fails (derived signal
  ``state: phase1 up, phase2 missing``);
* both phases ready -> the tunnel is up: any complaint is about traffic.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Signal
from ...parsers.huawei.ike_sa import IkeSa, IkeSaTable
from . import Position, World, derived


def _by_peer(rows: list[IkeSa]) -> dict[str, list[IkeSa]]:
    out: dict[str, list[IkeSa]] = {}
    for r in rows:
        if r.peer not in ("0.0.0.0", "::"):
            out.setdefault(r.peer, []).append(r)
    return out


def sa_stage(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        tables = world.states(IkeSaTable, device)
        rows = world.states(IkeSa, device)
        peers = _by_peer(rows)
        if tables and not peers:
            yield Position(device, "tunnel-down", because=tables[-1].ev, rule="no-sa")
            continue
        for peer, prs in peers.items():
            p1 = [r for r in prs if r.phase == 1]
            p2 = [r for r in prs if r.phase == 2]
            p1_up = [r for r in p1 if r.ready]
            p2_up = [r for r in p2 if r.ready]
            if p1_up and p2_up:
                yield Position(device, "service-abnormal", peer, p2_up[0].ev, "sa-up")
            elif p1_up:
                yield derived(
                    "phase1 up, phase2 missing",
                    p1_up[0].ev,
                    *(r.ev for r in p2),
                    device=device,
                    peer=peer,
                )
                yield Position(device, "ipsec-sa", peer, p1_up[0].ev, "phase2-missing")
            elif p1:
                yield Position(device, "ike-sa", peer, p1[0].ev, "phase1-negotiating")


def one_sided(world: World) -> Iterator[Signal | Position]:
    """Two devices pasted: one holds ready SAs, the other none -> stale SAs on one end
    (AR guide 3.5: after an abnormal restart only one direction renegotiates)."""
    ends = [d for d in world.devices() if world.states(IkeSaTable, d)]
    if len(ends) != 2:
        return
    for a, b in (ends, ends[::-1]):
        a_up = [r for r in world.states(IkeSa, a) if r.ready and r.peer not in ("0.0.0.0", "::")]
        b_rows = [r for r in world.states(IkeSa, b) if r.peer not in ("0.0.0.0", "::")]
        if a_up and not b_rows:
            b_table = world.states(IkeSaTable, b)[-1]
            peer = a_up[0].peer
            yield derived("sa on one end only", a_up[0].ev, b_table.ev, device=a, peer=peer)
            yield Position(a, "one-sided", peer, a_up[0].ev, "one-sided")
            yield Position(b, "one-sided", None, b_table.ev, "one-sided")


RULES = (one_sided, sa_stage)
