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
  nat-traversal-mismatch."""

from __future__ import annotations

from ..config.model import DeviceConfig, NatRule, Selector
from . import behaviours, ts
from .context import Direction_, Outcome, Side, change, connected
from .firewall import decide, zone_of
from .flows import Flow, flow, host
from .result import Failure


def check(d: Direction_, out: Outcome) -> list[Failure]:
    fails: list[Failure] = []
    for side, other in ((d.ini, d.resp), (d.resp, d.ini)):
        for f in protected(d, side, other):
            fails += _nat(d, side, f)
            fails += _firewall(d, side, f)
        fails += _esp(d, side, other)
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
    for rule in sorted(dev.nat_rules, key=lambda r: r.position):
        if rule.interface and itf and rule.interface != itf:
            continue
        sels = [x for x in (flow(s) for s in rule.match) if x is not None]
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
    return [d.fail(
        "nat-before-ipsec", "traffic",
        f"NAT: {side.name} translates the protected traffic {f} with "
        f"{rule.kind} NAT {rule.name or ''} on {rule.interface or itf or 'its WAN'} before "
        "IPsec sees it (no exemption)".replace("  ", " "),
        event="nat-before-ipsec", lines={side.label: lines},
        changes=[change(side, "nat_exempt", ts.to_selector(f))])]


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
