"""Which configured tunnel talks to which: pair tunnel ends across devices by their addresses.

Two ends belong together when one's peer address is an address of the other device (either
direction is enough: the other may point at a wrong address, or sit behind NAT), helped by
mirrored protected subnets.  A responder-only end (template, dynamic map, ``%any``) may pair with
many initiators; a static end pairs once.  With exactly two devices, ends left over one on each
side are paired anyway: the simulator then explains why their addresses do not meet.
"""

from __future__ import annotations

import msgspec

from ..config.model import DeviceConfig, Tunnel
from .report import Unpaired


class Pair(msgspec.Struct, kw_only=True):
    a: DeviceConfig
    ta: Tunnel
    b: DeviceConfig
    tb: Tunnel
    score: int
    how: str


def _first_permit(t: Tunnel):
    for s in t.selectors:
        if s.action == "permit":
            return s
    return None


def _score(
    x: DeviceConfig, t: Tunnel, y: DeviceConfig, u: Tunnel, xa: set[str], ya: set[str]
) -> tuple[int, str]:
    """How surely ``t`` (on ``x``, addresses ``xa``) and ``u`` (on ``y``, ``ya``) are the two
    ends of one tunnel."""
    score, how = 0, []
    if set(t.peer_addresses) & ya or set(t.auth_addresses) & ya:
        score += 4
        how.append(f"{x.name} points at {y.name}")
    if set(u.peer_addresses) & xa or set(u.auth_addresses) & xa:
        score += 4
        how.append(f"{y.name} points at {x.name}")
    if score and (t.peer_any or u.peer_any):
        score += 1
    st, su = _first_permit(t), _first_permit(u)
    if st is not None and su is not None and st.src == su.dst and st.dst == su.src:
        score += 2 if st.src != "0.0.0.0/0" else 1
        how.append("protected subnets mirror")
    return score, "; ".join(how)


def _pointing(devices: list[DeviceConfig]) -> list[tuple[int, int]]:
    """The device pairs ``(i, j)``, ``i < j``, where a tunnel of one points (peer or
    authentication address) at an address of the other: the only ones ``_score`` can rate 4 or
    more.  An address index keeps a fleet folder linear instead of trying every two devices."""
    owners: dict[str, set[int]] = {}
    for j, y in enumerate(devices):
        for addr in y.own_addresses():
            owners.setdefault(addr, set()).add(j)
    out: set[tuple[int, int]] = set()
    for i, x in enumerate(devices):
        for t in x.tunnels:
            for addr in (*t.peer_addresses, *t.auth_addresses):
                for j in owners.get(addr, ()):
                    if j != i:
                        out.add((min(i, j), max(i, j)))
    return sorted(out)


def pair(devices: list[DeviceConfig]) -> tuple[list[Pair], list[Unpaired]]:
    """Pairs in input order (a = the device given first) and the tunnels left without a peer."""
    own = [set(d.own_addresses()) for d in devices]
    cands: list[tuple[int, int, int, int, int, str]] = []
    for i, j in _pointing(devices):
        x, y = devices[i], devices[j]
        for ti, t in enumerate(x.tunnels):
            for ui, u in enumerate(y.tunnels):
                s, how = _score(x, t, y, u, own[i], own[j])
                if s >= 4:
                    cands.append((s, i, ti, j, ui, how))
    cands.sort(key=lambda c: (-c[0], c[1], c[2], c[3], c[4]))
    used: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int, int, int, int, str]] = []
    for s, i, ti, j, ui, how in cands:
        ti_free = (i, ti) not in used or devices[i].tunnels[ti].peer_any
        ui_free = (j, ui) not in used or devices[j].tunnels[ui].peer_any
        if ti_free and ui_free:
            used |= {(i, ti), (j, ui)}
            pairs.append((s, i, ti, j, ui, how))
    # an initiating end that points at a known device whose fitting end is already paired (two
    # spokes at one static hub entry, a template pinned to another address) is paired with that
    # end anyway: the simulator then shows why the responder refuses it
    best: dict[tuple[int, int], tuple[int, int, int, str]] = {}
    for s, i, ti, j, ui, how in cands:
        for me, other, mine, theirs in ((i, j, ti, ui), (j, i, ui, ti)):
            t = devices[me].tunnels[mine]
            if (me, mine) in used or not t.initiates or not set(t.peer_addresses) & own[other]:
                continue
            if (me, mine) not in best or best[(me, mine)][0] < s:
                best[(me, mine)] = (s, other, theirs, how)
    for (me, mine), (s, other, theirs, how) in sorted(best.items()):
        used.add((me, mine))
        a_first = me < other
        i, ti, j, ui = (me, mine, other, theirs) if a_first else (other, theirs, me, mine)
        pairs.append((s, i, ti, j, ui, f"{how}; {devices[other].name}'s end is shared"))
    if len(devices) == 2:
        left_a = [k for k in range(len(devices[0].tunnels)) if (0, k) not in used]
        left_b = [k for k in range(len(devices[1].tunnels)) if (1, k) not in used]
        if len(left_a) == 1 and len(left_b) == 1:
            used |= {(0, left_a[0]), (1, left_b[0])}
            pairs.append((0, 0, left_a[0], 1, left_b[0], "the only two tunnels given"))
    pairs.sort(key=lambda p: (p[1], p[2], p[3], p[4]))
    out = [
        Pair(a=devices[i], ta=devices[i].tunnels[ti], b=devices[j], tb=devices[j].tunnels[ui],
             score=s, how=how)
        for s, i, ti, j, ui, how in pairs
    ]
    unpaired: list[Unpaired] = []
    for i, d in enumerate(devices):
        for k, t in enumerate(d.tunnels):
            if (i, k) in used:
                continue
            peer = ", ".join(t.peer_addresses) or t.peer_hostname
            why = (
                "responder-only end; no initiating peer among the inputs"
                if not t.initiates or t.peer_any
                else f"no configuration given for peer {peer}"
                if peer
                else "no peer address configured"
            )
            unpaired.append(
                Unpaired(device=d.name, source=d.source, tunnel=t.name, peer=peer, why=why)
            )
    return out, unpaired
