"""After the SAs are up: what still stops the protected traffic.

* source NAT translating the protected traffic before IPsec (first match in ``position`` order;
  a deny in the NAT rule's match list or an earlier exempt rule keeps it untranslated; seed 003
  ~545: the device performs NAT first) -> nat-before-ipsec;
* firewall rules (``DeviceConfig.firewall``) for local LAN <-> remote LAN, both ways; ASA lets
  decrypted traffic through unless ``no-permit-vpn`` is flagged (sysopt connection permit-vpn is
  the default) and only filters outbound when an ACL names the LAN interface ->
  security-policy-blocks-traffic; ESP from the peer on filtering devices -> esp-blocked;
* ESP/AH SHA2 integrity with different truncation (96 vs 128 bits, Huawei ``ipsec
  authentication sha2 compatible enable``; seed 002 ~1030 and ~1820-1860) ->
  sha2-compatibility-mismatch;
* AH across NAT (seed 002 ~1000, seed 003 ~2081: NAT traversal supports ESP only) ->
  nat-traversal-mismatch;
* the route to the remote protected subnet leaving through another interface than the one
  carrying the policy (seed 003 l.2237-2321) -> private-route-missing;
* an earlier entry of the same policy group (same interface, listed before this one, as
  ``display current-configuration`` lists sequence numbers) whose ACL also covers the protected
  traffic takes it to its own peer (seed 002 4.2.4, seed 003 l.1856-1944) ->
  traffic-selector-overlap;
* equal-cost routes to the peer through several interfaces: ESP leaves through the other ISP
  although IKE came up (seed 003 l.2323-2476) -> wrong-egress-interface."""

from __future__ import annotations

from ..config.model import DeviceConfig, NatRule, Route, Selector
from . import behaviours, path, ts
from .context import (
    Direction_,
    Outcome,
    Side,
    change,
    connected,
    equal_cost_egress,
    route_lookup,
)
from .firewall import decide, zone_of
from .flows import Flow, flow, host
from .result import Failure


def check(d: Direction_, out: Outcome) -> list[Failure]:
    fails: list[Failure] = []
    for side, other in ((d.ini, d.resp), (d.resp, d.ini)):
        for f in protected(d, side, other):
            fails += _private_route(d, side, f)
            fails += _earlier_entry(d, side, f)
            fails += _nat(d, side, f)
            fails += _firewall(d, side, f)
        fails += _esp(d, side, other)
        fails += _esp_egress(d, side)
    fails += path.nat_t(d)
    fails += _sha2(d, out)
    fails += _ah_nat(d, out)
    return fails


def protected(d: Direction_, side: Side, other: Side) -> list[Flow]:
    """The flows ``side`` sends into the tunnel (its own view): the flows the negotiation agreed
    (narrowed in IKEv2), else its permit selectors, else the mirror of the other end's."""
    if d.flows:
        return list(d.flows) if side is d.ini else [f.mirrored() for f in d.flows]
    own = [f for f in ts.rules(side) if f.action == "permit"]
    if own:
        return own
    return [f.mirrored() for f in ts.permits(other)]


def egress(side: Side) -> str | None:
    return side.tun.bound_interface or side.tun.local_interface


def translating_rule(dev: DeviceConfig, itf: str | None, f: Flow) -> NatRule | None:
    """The NAT rule that translates ``f`` on ``itf``, or None.  NAT servers come first: their
    reverse mapping takes precedence over source-NAT policies and their no-nat rules (seed 003
    l.2150), and it translates what the inside host sends from any port (seed 002 4.1.3: Telnet
    from 10.1.1.2 to port 1054 translated by a TCP 8080 server, ping not; only ``nat static``
    limits it to the server port), on a USG firewall whatever the protocol (seed 003
    l.2118/l.2146: ICMP from 10.1.2.2 translated by a TCP 3389 server)."""
    for rule in sorted(dev.nat_rules, key=lambda r: (r.kind != "server", r.position)):
        if rule.interface and itf and rule.interface != itf:
            continue
        sels = [x for x in (flow(s) for s in rule.match) if x is not None]
        if rule.kind == "server":
            any_proto = dev.platform == "usg"
            sels = [Flow(x.src, x.dst, None if any_proto else x.protocol, None, None, x.action)
                    for x in sels]
        if rule.kind == "exempt":
            if any(x.action == "permit" and x.contains(f) for x in sels):
                return None
            continue
        if rule.kind not in ("source", "server"):
            continue
        if not sels:
            if rule.match_all:
                return rule
            continue
        for x in sels:
            if not x.meets(f):
                continue
            if x.action == "deny":
                if x.contains(f):
                    break  # exempted from this rule
                continue
            return rule
    return None


def _nat(d: Direction_, side: Side, f: Flow) -> list[Failure]:
    itf = egress(side)
    rule = translating_rule(side.dev, itf, f)
    if rule is None:
        return []
    lines = [x for x in [rule.ev, *(s.ev for s in rule.match)] if x is not None]
    if rule.kind == "server":
        # a no-nat exemption does not help against a NAT server (it takes precedence): the
        # documented fixes are 'no-reverse' (seed 003 l.2155) or 'nat static' (seed 002 l.1548)
        return [d.fail(
            "nat-before-ipsec", "traffic",
            f"NAT: {side.name}'s NAT server {rule.name or ''} translates what its inside host "
            f"sends, part of the protected traffic {f}, before IPsec sees it (make the server "
            "one-way: 'no-reverse', or a port-bound 'nat static')".replace("  ", " "),
            event="nat-before-ipsec", lines={side.label: lines})]
    return [d.fail(
        "nat-before-ipsec", "traffic",
        f"NAT: {side.name} translates the protected traffic {f} with "
        f"{rule.kind} NAT {rule.name or ''} on {rule.interface or itf or 'its WAN'} before "
        "IPsec sees it (no exemption)".replace("  ", " "),
        event="nat-before-ipsec", lines={side.label: lines},
        changes=[change(side, "nat_exempt", ts.to_selector(f))])]


def _private_route(d: Direction_, side: Side, f: Flow) -> list[Failure]:
    """A policy-based end sends the protected traffic into the tunnel only when its route to
    the remote subnet leaves through the interface carrying the policy; otherwise it goes out
    elsewhere in clear (seed 003 l.2237-2321: the IKE SA is up via GE1/0/1, the default route
    via GE1/0/7 takes 10.1.2.0/24; fix: a route to it via the peer's next hop)."""
    from ipaddress import IPv4Address

    itf = side.tun.bound_interface
    if itf is None or side.tun.kind == "profile" or f.dst.care == 0:
        return []
    if not behaviours.value(side.vendor, "needs_policy_binding"):
        return []
    ok, out_itf = route_lookup(side.dev, str(IPv4Address(f.dst.value)))
    if not ok or out_itf in (None, itf):
        return []  # no route at all is not judged: configurations may rely on dynamic routing
    peer = side.peer_address()
    hop = _next_hop(side.dev, peer) if peer and route_lookup(side.dev, peer)[1] == itf else None
    return [d.fail(
        "private-route-missing", "traffic",
        f"route: {side.name} sends the protected traffic {f} through {out_itf}, not through "
        f"{itf} where its policy is applied", event="private-route",
        lines={side.label: side.cite("bound_interface")},
        changes=[change(side, "route", Route(prefix=str(f.dst), next_hop=hop))])]


def _earlier_entry(d: Direction_, side: Side, f: Flow) -> list[Failure]:
    """The first entry of the interface's policy group whose ACL meets the traffic wins; when
    it is an earlier entry for another peer, the traffic goes there (seed 002 l.1886-1923: seq 1
    10.1.0.0/16 <-> 10.1.0.0/16 to 1.1.5.1 before seq 2 10.1.0.0/16 -> 10.1.3.0/24 to
    1.1.6.1)."""
    me = side.tun
    if me.bound_interface is None or me.kind == "profile":
        return []
    for t in side.dev.tunnels:
        if t is me:
            return []
        if t.bound_interface != me.bound_interface or t.kind == "profile":
            continue
        rule = next((x for x in (flow(s) for s in t.selectors) if x is not None and x.meets(f)),
                    None)
        if rule is None or rule.action != "permit":
            continue
        peer = ", ".join(t.peer_addresses) or "any peer"
        return [d.fail(
            "traffic-selector-overlap", "traffic",
            f"policy order: {side.name}'s earlier entry {t.name} (peer {peer}) also covers "
            f"the protected traffic {f} and takes it before {me.name}",
            event="overlap",
            lines={side.label: [x for x in (t.lines.get("selectors"), me.lines.get("selectors"))
                                if x is not None] or ts.selector_lines(side)},
            confidence=0.8)]  # the fix edits the other entry's ACL: no Change for it
    return []


def _esp_egress(d: Direction_, side: Side) -> list[Failure]:
    """Equal-cost routes to the peer through several interfaces: the device load-shares per
    flow, so ESP from the policy interface's address may leave through the other provider,
    which drops it (seed 003 l.2323-2476; fix: a specific route to the peer via the policy
    interface's next hop)."""
    itf, peer = side.tun.bound_interface, side.peer_address()
    if itf is None or peer is None or side.tun.kind == "profile":
        return []
    outs = equal_cost_egress(side.dev, peer)
    if len(outs) < 2 or itf not in outs:
        return []
    others = [o for o in outs if o != itf]
    hop = next((r.next_hop for r in side.dev.routes if r.next_hop and (
        r.interface == itf or connected(side.dev, r.next_hop) == itf)), None)
    return [d.fail(
        "wrong-egress-interface", "traffic",
        f"route: {side.name} has equal-cost routes to {peer} through {itf} and "
        f"{', '.join(others)}; IPsec packets from {itf}'s address can leave through "
        f"{others[0]}", event="esp-lost",
        lines={side.label: _best_route_lines(side.dev, peer) or side.cite("bound_interface")},
        changes=[change(side, "route", Route(prefix=f"{peer}/32", next_hop=hop,
                                             interface=None if hop else itf))],
        confidence=0.7)]


def _best_route_lines(dev: DeviceConfig, address: str) -> list:
    from ipaddress import IPv4Address, IPv4Network

    found: list[tuple[int, object]] = []
    for r in dev.routes:
        try:
            net = IPv4Network(r.prefix, strict=False)
        except ValueError:
            continue
        if r.ev is not None and IPv4Address(address) in net:
            found.append((net.prefixlen, r.ev))
    best = max((n for n, _ in found), default=-1)
    return [ev for n, ev in found if n == best]


def _next_hop(dev: DeviceConfig, address: str) -> str | None:
    """The next hop of the longest static route towards ``address`` (None: connected or
    unknown)."""
    from ipaddress import IPv4Address, IPv4Network

    best: tuple[int, str | None] | None = None
    for r in dev.routes:
        try:
            net = IPv4Network(r.prefix, strict=False)
            inside = IPv4Address(address) in net
        except ValueError:
            continue
        if inside and (best is None or net.prefixlen > best[0]):
            best = (net.prefixlen, r.next_hop)
    return best[1] if best else None


def _lan_zone(side: Side, f: Flow) -> str | None:
    from ipaddress import IPv4Address

    return zone_of(side.dev, connected(side.dev, str(IPv4Address(f.src.value))))


def _firewall(d: Direction_, side: Side, f: Flow) -> list[Failure]:
    dev = side.dev
    if not dev.firewall:
        return []
    lan, wan = _lan_zone(side, f), zone_of(dev, egress(side))
    checks = []
    if dev.vendor == "cisco-asa":
        if "no-permit-vpn" in dev.flags:
            checks.append(("inbound", f.mirrored(), wan, lan))
        if lan and any(lan in r.source_zones for r in dev.security_rules):
            checks.append(("outbound", f, lan, wan))
    else:
        checks = [("outbound", f, lan, wan), ("inbound", f.mirrored(), wan, lan)]
    out = []
    for way, packets, src_zone, dst_zone in checks:
        ok, rule = decide(dev, packets, src_zone, dst_zone)
        if ok:
            continue
        why = f"rule {rule.name} denies it" if rule is not None else "no rule permits it"
        out.append(d.fail(
            "security-policy-blocks-traffic", "traffic",
            f"firewall: {side.name} blocks {way} protected traffic {packets} ({why})",
            event="firewall",
            lines={side.label: [rule.ev] if rule is not None and rule.ev is not None
                   else ts.selector_lines(side)},
            changes=[change(side, "security_rule", ts.to_selector(packets))]))
    return out


def _esp(d: Direction_, side: Side, other: Side) -> list[Failure]:
    """ESP from the peer must reach a filtering device (UDP 4500 is checked with IKE when NAT
    sits between them)."""
    dev = side.dev
    if not dev.firewall or d.nat is not None:
        return []
    if not behaviours.value(side.vendor, "filters_ike_to_device"):
        return []
    src, dst = other.source_address(), side.source_address()
    s_set, d_set = host(src or "0.0.0.0/0"), host(dst or "0.0.0.0/0")
    if s_set is None or d_set is None:
        return []
    ok, rule = decide(dev, Flow(s_set, d_set, 50), zone_of(dev, egress(side)), "local")
    if ok:
        return []
    return [d.fail(
        "esp-blocked", "traffic",
        f"firewall: {side.name}'s security rules do not let ESP from {src} reach {dst}",
        event="firewall",
        lines={side.label: [rule.ev] if rule is not None and rule.ev is not None
               else side.cite("bound_interface")},
        changes=[change(side, "security_rule", Selector(src=f"{src}/32", dst=f"{dst}/32",
                                                        protocol=50))])]


def _sha2(d: Direction_, out: Outcome) -> list[Failure]:
    if out.child_pair is None:
        return []
    o, m = out.child_pair
    algs = [a for a in (*o.integrity, *o.ah_integrity) if a in (*m.integrity, *m.ah_integrity)]
    if not algs or not algs[0].startswith("sha2-"):
        return []
    ti, tr = d.ini.tun.sha2_truncation, d.resp.tun.sha2_truncation
    if ti == tr:
        return []
    lines = {}
    for s in (d.ini, d.resp):
        got = s.cite("sha2_truncation")
        flag = s.dev.flags.get("sha2-compatible")
        lines[s.label] = got + ([flag] if flag is not None and flag not in got else [])
    return [d.fail(
        "sha2-compatibility-mismatch", "traffic",
        f"ESP {algs[0]} truncation: {d.ini.name} uses {ti} bits, {d.resp.name} uses {tr} "
        "bits; every packet fails authentication at the other end",
        event="sha2", lines=lines,
        changes=[change(d.ini, "sha2_truncation", tr), change(d.resp, "sha2_truncation", ti)])]


def _ah_nat(d: Direction_, out: Outcome) -> list[Failure]:
    if d.nat is None or out.child_pair is None or "ah" not in out.child_pair[0].protocol:
        return []
    return [d.fail(
        "nat-traversal-mismatch", "traffic",
        f"AH across NAT: {d.nat} is behind NAT and the SA uses {out.child_pair[0].protocol}; "
        "AH authenticates the IP header NAT rewrites",
        event="nat-t", lines={s.label: s.cite("child_proposals") for s in (d.ini, d.resp)},
        changes=[change(d.ini, "child.protocol", "esp"), change(d.resp, "child.protocol", "esp")])]
