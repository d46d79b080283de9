"""Fault-tree rules over Huawei configuration (``display current-configuration`` sections,
pasted configs) together with display outputs:

* a NAT policy (``nat-policy`` / ``policy-nat``) source-translates the protected flow before any
  ``no-nat`` rule exempts it (USG case: NAT before IPsec);
* a NAT server's reverse server-map translates traffic from a protected host (USG case);
* a NAT server maps every UDP port to an inside host (AR case 4.4.1: it captures IKE/L2TP);
* the security policy denies by default and only permits the tunnel endpoints (USG case);
* a security ACL holds a deny rule (AR case 4.2.1);
* equal-cost default routes leave by different interfaces (USG two-ISP case).

"Protected flows" come from every source that names them: negotiated SAs (``display ipsec
sa``), the security ACL of an IPsec policy (display or configuration), and the flows an
administrator exempted from NAT for IPsec (``no-nat`` rules).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from ...model import Line, Signal
from ...parsers.huawei.acl import Acl
from ...parsers.huawei.current_config import (
    AddrSpec,
    CfgAcl,
    CfgGlobals,
    CfgInterface,
    CfgIpsecPolicy,
    CfgNatPolicyRule,
    CfgSecurityPolicyRule,
    CfgStaticRoute,
)
from ...parsers.huawei.ike_sa import IkeSa
from ...parsers.huawei.ipsec_policy import IpsecPolicy
from ...parsers.huawei.ipsec_sa import IpsecSa
from ...parsers.huawei.nat import NatServer
from ...parsers.huawei.server_map import ServerMapEntry
from . import Position, World, derived

Net = ipaddress.IPv4Network | ipaddress.IPv6Network
ANY = ipaddress.ip_network("0.0.0.0/0")


@dataclass(frozen=True)
class ProtectedFlow:
    src: Net
    dst: Net
    line: Line
    exempted: bool = False  # known only from a no-nat rule


def _net(text: str | None, wildcard: str | None = None) -> Net | None:
    if not text:
        return None
    try:
        if wildcard:
            inv = int(ipaddress.ip_address(wildcard))
            bits = 32 - inv.bit_length()
            if inv != (1 << inv.bit_length()) - 1:
                return None  # non-contiguous wildcard: not a block
            return ipaddress.ip_network(f"{text}/{bits}", strict=False)
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _spec_net(spec: AddrSpec | None) -> Net | None:
    if spec is None:
        return ANY
    if spec.network:
        return _net(spec.network)
    return _net(spec.address, spec.wildcard)


def _host(net: Net) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return net.network_address + 1 if net.num_addresses > 2 else net.network_address


def _in_specs(specs: tuple[AddrSpec, ...], addr) -> bool | None:
    """True/False when ``addr`` is (not) in one of the selectors; None when not testable."""
    if not specs:
        return True  # no selector: any
    unknown = False
    for s in specs:
        net = _spec_net(s)
        if net is None:
            unknown = True
        elif addr.version == net.version and addr in net:
            return True
    return None if unknown else False


def protected_flows(world: World, device: str | None) -> list[ProtectedFlow]:
    out: list[ProtectedFlow] = []
    for sa in world.states(IpsecSa, device):
        if sa.flow_src is not None and sa.flow_dst is not None:
            src = _net(f"{sa.flow_src.address}/{sa.flow_src.mask or 32}")
            dst = _net(f"{sa.flow_dst.address}/{sa.flow_dst.mask or 32}")
            if src and dst:
                out.append(ProtectedFlow(src, dst, sa.line_of("flow_src")))
    acl_numbers = {p.acl for p in world.states(IpsecPolicy, device) if p.acl is not None}
    acl_numbers |= {p.acl for p in world.states(CfgIpsecPolicy, device) if p.acl is not None}
    for acl in world.states(Acl, device):
        if acl.number in acl_numbers:
            for r in acl.rules:
                src, dst = (
                    _net(r.source, r.source_wildcard),
                    _net(r.destination, r.destination_wildcard),
                )
                if r.permit and src and dst:
                    out.append(ProtectedFlow(src, dst, r.ev))
    for acl in world.states(CfgAcl, device):
        if acl.number in acl_numbers:
            for r in acl.rules:
                src, dst = _spec_net(r.source), _spec_net(r.destination)
                if r.action == "permit" and src and dst and src != ANY and dst != ANY:
                    out.append(ProtectedFlow(src, dst, r.ev))
    for rule in world.states(CfgNatPolicyRule, device):
        if rule.action == "no-nat" and rule.source_addresses and rule.destination_addresses:
            src = _spec_net(rule.source_addresses[0])
            dst = _spec_net(rule.destination_addresses[0])
            if src and dst:
                out.append(ProtectedFlow(src, dst, rule.line_of("action"), exempted=True))
    return out


def nat_policy_takes_flow(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        rules = sorted(world.states(CfgNatPolicyRule, device), key=lambda r: r.position)
        if not rules:
            continue
        for flow in protected_flows(world, device):
            if flow.exempted:
                continue
            s, d = _host(flow.src), _host(flow.dst)
            for rule in rules:
                if not rule.enabled:
                    continue
                if _in_specs(rule.source_addresses, s) and _in_specs(rule.destination_addresses, d):
                    if rule.action == "source-nat":
                        yield derived(
                            "nat policy translates the protected flow",
                            rule.ev,
                            rule.line_of("action"),
                            flow.line,
                            device=device,
                        )
                        yield Position(device, "no-traffic", None, rule.ev, "nat-policy")
                    break  # first match decides
            else:
                continue
            break


def server_map_reverse(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        flows = protected_flows(world, device)
        if not flows:
            continue
        for entry in world.states(ServerMapEntry, device):
            if "reverse" not in entry.type.lower() or not entry.source or not entry.source_nat:
                continue
            try:
                addr = ipaddress.ip_address(entry.source)
            except ValueError:
                continue
            flow = next((f for f in flows if addr.version == f.src.version and addr in f.src), None)
            if flow is not None:
                yield derived(
                    "protected source translated",
                    entry.ev,
                    flow.line,
                    device=device,
                    detail=f"{entry.source} -> {entry.source_nat}",
                )
                yield Position(device, "no-traffic", None, entry.ev, "nat-server-reverse")
                break


def nat_server_all_udp(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        hits: list[Line] = []
        for itf in world.states(CfgInterface, device):
            for srv in itf.nat_servers:
                if (srv.protocol or "").lower() == "udp" and (srv.global_port or "any") == "any":
                    hits.append(srv.ev)
        for srv in world.states(NatServer, device):
            if (srv.protocol or "").lower() == "udp" and srv.global_port in (None, 0):
                hits.append(srv.ev)
        if hits:
            yield derived("nat server maps every udp port", hits[0], *hits[1:3], device=device)
            yield Position(device, "no-traffic", None, hits[0], "nat-server-udp")


def security_policy_endpoints_only(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        rules = world.states(CfgSecurityPolicyRule, device)
        if not rules:
            continue
        deny_default = [
            g
            for g in world.states(CfgGlobals, device)
            if (g.security_default_action or "").lower() == "deny"
        ]
        if not deny_default:
            continue
        permits = [r for r in rules if r.enabled and r.action == "permit"]
        through = [
            r
            for r in permits
            if "local" not in {z.lower() for z in r.source_zones + r.destination_zones}
        ]
        if permits and not through:
            up = any(r.ready for r in world.states(IkeSa, device))
            if not up and not world.states(IpsecSa, device):
                continue
            g = deny_default[-1]
            yield derived(
                "security policy permits only the tunnel endpoints",
                g.line_of("security_default_action"),
                *(r.ev for r in permits[:3]),
                device=device,
            )
            yield Position(
                device, "no-traffic", None, g.line_of("security_default_action"), "secpol"
            )


def deny_in_security_acl(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        used = {p.acl: p for p in world.states(CfgIpsecPolicy, device) if p.acl is not None}
        for acl in world.states(CfgAcl, device):
            policy = used.get(acl.number)
            if policy is None:
                continue
            denies = [r for r in acl.rules if r.action == "deny"]
            if denies:
                yield derived(
                    "deny rule in a security acl",
                    denies[0].ev,
                    policy.line_of("acl"),
                    device=device,
                )
                yield Position(device, "no-traffic", None, denies[0].ev, "acl-deny")


def equal_cost_static_defaults(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        defaults = [r for r in world.states(CfgStaticRoute, device) if r.prefix_len == 0]
        by_pref: dict[int, list[CfgStaticRoute]] = {}
        for r in defaults:
            by_pref.setdefault(r.preference or 60, []).append(r)
        for same in by_pref.values():
            if len({(r.interface or r.next_hop) for r in same}) > 1:
                yield derived(
                    "equal-cost routes over different interfaces",
                    same[0].ev,
                    same[1].ev,
                    device=device,
                )
                break


RULES = (
    nat_policy_takes_flow,
    server_map_reverse,
    nat_server_all_udp,
    security_policy_endpoints_only,
    deny_in_security_acl,
    equal_cost_static_defaults,
)
