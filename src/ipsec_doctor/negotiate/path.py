"""Reachability between the two ends before any IKE exchange: the policy applied to an interface,
routes both ways, the egress interface, who sits behind NAT, the responder's peer lookup by
address, NAT-T on both ends and firewall rules letting IKE reach the responder.

NAT detection: an end X is behind NAT when the other end's peer address for X is not one of X's
own addresses, X's peer address for the other end is one of the other's (or X has none), and
either X's own IKE source is a private (RFC 1918 / CGNAT) address or the peer address lies outside
X's /24 (a published 1:1 NAT address, as in the lab's success-nat).  A wrong peer address in X's
own /24 (192.0.2.99 for 192.0.2.1) reads as a typo, not as NAT: configurations alone cannot tell
the two apart, this is the heuristic.  Facing a responder-only end without peer address (a
template), X is behind NAT when it sources IKE from a private address towards a public one."""

from __future__ import annotations

import ipaddress

from ..config.model import Route, Selector
from ..diagnose.aggregate import is_behind_nat_address
from . import behaviours
from .context import Direction_, Side, egress_interface, route_lookup
from .context import change as _change
from .firewall import decide, zone_of
from .flows import Flow, flow, host
from .result import Failure


def behind_nat(a: Side, b: Side) -> str | None:
    """Label of the end that sits behind a NAT device, or None."""
    for x, y in ((a, b), (b, a)):
        y_peer, x_peer = y.peer_address(), x.peer_address()
        if not y_peer and y.tun.peer_any and _private_to_public(x, y):
            return x.label
        if not y_peer or y_peer in x.dev.own_addresses():
            continue
        if x_peer is not None and x_peer not in y.dev.own_addresses():
            continue
        src = x.source_address()
        if is_behind_nat_address(src) or not _same_24(src, y_peer):
            return x.label
    return None


def _private_to_public(x: Side, y: Side) -> bool:
    """X (facing a responder-only end that names no peer) sources IKE from a private address
    and sends it to a public address of Y: a private source cannot cross the Internet
    unchanged, so a NAT device sits in between (seed 003 l.1997/l.1980: FW1 at 10.4.1.1 and a
    template FW2 at 2.1.1.1).  All-private pairs (labs, private WANs) are not taken for NAT."""
    x_peer = x.peer_address()
    return (
        x_peer is not None
        and x_peer in y.dev.own_addresses()
        and not is_behind_nat_address(x_peer)
        and is_behind_nat_address(x.source_address())
    )


def _same_24(a: str | None, b: str | None) -> bool:
    try:
        na = ipaddress.IPv4Network(f"{a}/24", strict=False)
        return ipaddress.IPv4Address(b or "") in na
    except ValueError:
        return True  # unknown: do not assume NAT


def seen_source(d: Direction_) -> str | None:
    """The initiator's address as the responder sees it (the NAT's public address when the
    initiator is behind NAT: the responder's peer address for it, when it has one)."""
    if d.nat == d.ini.label:
        return d.resp.peer_address()
    return d.ini.source_address()


def arrival_address(d: Direction_) -> str | None:
    """The responder address the initiator's packets arrive on (after NAT)."""
    if d.nat == d.resp.label:
        return d.resp.source_address()
    return d.ini.peer_address()


def check(d: Direction_) -> list[Failure]:
    """Every reachability problem of this direction, in the order the packets meet them."""
    out: list[Failure] = []
    out += _binding(d)
    out += _routes(d)
    out += _addresses(d)
    out += _ike_nat(d)
    out += _ike_ports(d)
    return out


def _wan(side: Side) -> str | None:
    peer = side.peer_address()
    return (egress_interface(side.dev, peer) if peer else None) or side.tun.local_interface


def _binding(d: Direction_) -> list[Failure]:
    out = []
    for side in (d.ini, d.resp):
        needs, conf, _src = behaviours.switch(side.vendor, "needs_policy_binding")
        if not needs or side.tun.bound_interface is not None:
            continue
        role = "initiator" if side is d.ini else "responder"
        wan = _wan(side)
        out.append(d.fail(
            "ipsec-policy-not-applied", "ike",
            f"{side.name}'s policy {side.tun.name} is not applied to any interface "
            f"({side.name} is the {role}; it should be on {wan or 'the WAN interface'})",
            event="not-applied", lines={side.label: side.cite("bound_interface")},
            changes=[_change(side, "bind", wan or "WAN")], confidence=conf))
    return out


def _routes(d: Direction_) -> list[Failure]:
    out = []
    peer = d.ini.peer_address()
    if peer:
        ok, itf = route_lookup(d.ini.dev, peer)
        if not ok:
            out.append(d.fail(
                "peer-unreachable", "ike",
                f"{d.ini.name} has no route to its peer {peer}: IKE is never sent",
                event="no-response", lines={d.ini.label: d.ini.cite("peer_addresses")},
                changes=[_change(d.ini, "route", Route(prefix="0.0.0.0/0"))]))
        elif itf and d.ini.tun.bound_interface and itf != d.ini.tun.bound_interface:
            out.append(d.fail(
                "wrong-egress-interface", "ike",
                f"{d.ini.name} reaches {peer} through {itf}, but its policy is applied to "
                f"{d.ini.tun.bound_interface}", event="no-response",
                lines={d.ini.label: d.ini.cite("bound_interface")},
                changes=[_change(d.ini, "bind", itf)], confidence=0.7))
    back = seen_source(d)
    if back:
        ok, _itf = route_lookup(d.resp.dev, back)
        if not ok:
            out.append(d.fail(
                "return-route-missing", "ike",
                f"{d.resp.name} has no route back to {back} ({d.ini.name}): its IKE replies "
                "are never sent", event="no-response",
                lines={d.resp.label: d.resp.cite("peer_addresses")},
                changes=[_change(d.resp, "route", Route(prefix="0.0.0.0/0"))]))
    return out


def _addresses(d: Direction_) -> list[Failure]:
    """The initiator's destination must be the responder's, the responder's tunnel must expect
    the initiator's (seen) address and, when it pins one, the arrival address."""
    ini, resp = d.ini, d.resp
    out = []
    dst = ini.peer_address()
    resp_own = resp.dev.own_addresses()
    if dst and d.nat != resp.label and dst not in resp_own:
        out.append(d.fail(
            "peer-address-mismatch", "ike",
            f"peer address: {ini.name} sends IKE to {dst}, which is not an address of "
            f"{resp.name} ({', '.join(resp_own) or 'none known'})",
            event="no-response", lines={ini.label: ini.cite("peer_addresses")},
            changes=[_change(ini, "peer_address", resp.source_address())]))
        return out  # the packets never reach the responder
    arrived = arrival_address(d)
    if resp.tun.local_address and arrived and resp.tun.local_address != arrived:
        out.append(d.fail(
            "peer-address-mismatch", "ike",
            f"local address: {ini.name} sends IKE to {arrived}, {resp.name}'s tunnel uses "
            f"{resp.tun.local_address}", event="local-address",
            lines={ini.label: ini.cite("peer_addresses"),
                   resp.label: resp.cite("local_address")},
            changes=[_change(ini, "peer_address", resp.tun.local_address),
                     _change(resp, "local_address", arrived)]))
    src = seen_source(d)
    tun = resp.tun
    if src and not tun.peer_any and src not in tun.peer_addresses and tun.peer_addresses:
        changes = [_change(resp, "peer_address", src)]
        if d.nat != ini.label and tun.peer_addresses[0] in ini.dev.own_addresses():
            changes.append(_change(ini, "local_address", tun.peer_addresses[0]))
        out.append(d.fail(
            "peer-address-mismatch", "ike",
            f"peer address: {resp.name} expects its peer at "
            f"{', '.join(tun.peer_addresses)}, {ini.name}'s IKE comes from {src}",
            event="peer-not-found",
            lines={resp.label: resp.cite("peer_addresses"),
                   ini.label: ini.cite("local_address", "local_interface")},
            changes=changes))
    return out


def nat_t(d: Direction_) -> list[Failure]:
    """NAT between the peers with NAT-T off at one end: IKE and the SAs still come up over UDP
    500, but ESP (IP protocol 50, not encapsulated in UDP 4500) does not cross the NAT, so no
    traffic passes (seed 003: both SAs up, "UDP encapsulation used for NAT traversal: N",
    PCs cannot communicate)."""
    if d.nat is None:
        return []
    off = [s for s in (d.ini, d.resp) if not s.tun.nat_traversal]
    if not off:
        return []
    names = " and ".join(s.name for s in off)
    behind = d.by_label(d.nat).name
    return [d.fail(
        "nat-traversal-mismatch", "traffic",
        f"NAT traversal: {behind} is behind NAT but NAT-T is disabled on {names}: the SAs come "
        "up over UDP 500, ESP is not encapsulated in UDP 4500 and does not cross the NAT",
        event="nat-t", lines={s.label: s.cite("nat_traversal") for s in off},
        changes=[_change(s, "nat_traversal", True) for s in off])]


def _ike_nat(d: Direction_) -> list[Failure]:
    """A firewall whose first matching zone-based source-NAT rule (no source zone, or zone
    ``local``) covers its own IKE packets translates them: the peer sees another port, the SAs
    come up and are torn down ('port mismatch after inbound sa miss', seed 003 l.2557-2640)."""
    out: list[Failure] = []
    for side, other in ((d.ini, d.resp), (d.resp, d.ini)):
        if not (side.dev.firewall and behaviours.value(side.vendor, "nats_own_ike")):
            continue
        src = side.source_address()
        dst = side.peer_address() or other.source_address()
        s_set, d_set = host(src or ""), host(dst or "")
        if s_set is None or d_set is None or src is None or dst is None:
            continue
        packets = Flow(s_set, d_set, 17, (500, 500), (500, 500))
        zone = zone_of(side.dev, egress_interface(side.dev, dst) or side.tun.bound_interface)
        rule = _own_nat_rule(side, packets, zone)
        if rule is None:
            continue
        conf = behaviours.switch(side.vendor, "nats_own_ike")[1]
        role = "initiator" if side is d.ini else "responder"
        out.append(d.fail(
            "nat-on-ike-packets", "ike",
            f"NAT: {side.name}'s source NAT rule {rule.name or ''} (source zone "
            f"{', '.join(rule.source_zones) or 'any'}) also translates its own IKE packets "
            f"{src} -> {dst}".replace("  ", " "),
            event="nat-on-ike", attr=f"by-{role}",
            lines={side.label: [x for x in [rule.ev] if x is not None]},
            changes=[_change(side, "nat_exempt", Selector(
                src=f"{src}/32", dst=f"{dst}/32", protocol=17))],
            confidence=conf))
    return out


def _own_nat_rule(side: Side, packets: Flow, zone: str | None):
    """The zone-based NAT rule that decides the device's own packets (first match), if it
    translates them."""
    for rule in sorted(side.dev.nat_rules, key=lambda r: r.position):
        if not rule.destination_zones and not rule.source_zones:
            continue  # interface NAT (AR nat outbound): not zone-based
        if rule.source_zones and "local" not in rule.source_zones:
            continue
        if rule.destination_zones and zone not in rule.destination_zones:
            continue
        sels = [x for x in (flow(s) for s in rule.match) if x is not None]
        if sels and not any(x.action == "permit" and x.meets(packets) for x in sels):
            continue
        if not sels and not rule.match_all:
            continue
        return rule if rule.kind == "source" else None
    return None


def _ike_ports(d: Direction_) -> list[Failure]:
    resp = d.resp
    filters, conf, _src = behaviours.switch(resp.vendor, "filters_ike_to_device")
    if not (resp.dev.firewall and filters):
        return []
    src, dst = seen_source(d), arrival_address(d)
    s_set, d_set = host(src or "0.0.0.0/0"), host(dst or "0.0.0.0/0")
    if s_set is None or d_set is None:
        return []
    wan = egress_interface(resp.dev, src) if src else None
    ports = [500] + ([4500] if d.nat else [])
    blocked, deciding = [], []
    for port in ports:
        packets = Flow(s_set, d_set, 17, None, (port, port))
        ok, rule = decide(resp.dev, packets, zone_of(resp.dev, wan), "local")
        if not ok:
            blocked.append(port)
            if rule is not None and rule not in deciding:
                deciding.append(rule)
    if not blocked:
        return []
    why = (", ".join(f"rule {r.name} denies it" for r in deciding) if deciding
           else "no rule permits it")
    low, high = min(blocked), max(blocked)
    return [d.fail(
        "ike-ports-blocked", "ike",
        f"{resp.name}'s security rules do not let UDP {' and '.join(map(str, blocked))} from "
        f"{src} reach {dst} ({why})",
        event="no-response",
        lines={resp.label: [r.ev for r in deciding if r.ev is not None]
               or resp.cite("bound_interface")},
        changes=[_change(resp, "security_rule", Selector(
            src=f"{src}/32" if src else "0.0.0.0/0", dst=f"{dst}/32" if dst else "0.0.0.0/0",
            protocol=17, dst_ports=(low, high)))],
        confidence=conf)]
