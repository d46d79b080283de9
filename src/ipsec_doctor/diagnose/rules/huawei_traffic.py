"""Fault-tree rules for a tunnel that is up but carries no (or poor) traffic, over Huawei
display outputs (AR guide 3.6/3.7 and cases 4.1.3, 4.2.2-4.2.5; USG guide NAT, ACL, routing and
MSS cases):

* source NAT (``nat outbound`` ACL) or a NAT server on the IPsec interface takes the protected
  flow before IPsec sees it;
* a protected source is translated in the session table / by a NAT-server reverse server-map;
* the flows of two policies of one device overlap (the first policy takes the other's traffic);
* one end sits behind NAT (private tunnel address) while ESP is not UDP-encapsulated;
* one end encrypts on an SA whose inbound side at the other end decrypts nothing;
* equal-cost default routes over different interfaces;
* the protected destination is routed out of another interface than the peer;
* pings of growing size stop at a size threshold (MTU / fragmentation), DF copied.

Every derived signal cites the lines that prove it: the translating rule, the flow it takes,
both ends' counters.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from ...model import Line, Signal
from ...parsers.huawei.acl import Acl
from ...parsers.huawei.global_config import IpsecGlobalConfig
from ...parsers.huawei.ike_sa import IkeSa
from ...parsers.huawei.ipsec_sa import Flow, IpsecSa
from ...parsers.huawei.nat import NatOutbound, NatServer
from ...parsers.huawei.ping import PingResult
from ...parsers.huawei.routes import Route
from ..aggregate import is_behind_nat_address
from . import Position, World, derived

Net = ipaddress.IPv4Network | ipaddress.IPv6Network


def _net(flow: Flow | None) -> Net | None:
    if flow is None:
        return None
    mask = flow.mask or "32"
    try:
        return ipaddress.ip_network(f"{flow.address}/{mask}", strict=False)
    except ValueError:
        return None


def _host(net: Net) -> str:
    """A representative address inside ``net`` (its first host)."""
    if net.num_addresses > 2:
        return str(net.network_address + 1)
    return str(net.network_address)


def _flows(world: World, device: str | None) -> list[tuple[Net, Net, IpsecSa]]:
    out = []
    for sa in world.states(IpsecSa, device):
        src, dst = _net(sa.flow_src), _net(sa.flow_dst)
        if src is not None and dst is not None:
            out.append((src, dst, sa))
    return out


def _ipsec_interfaces(world: World, device: str | None) -> set[str]:
    return {
        sa.interface.replace(" ", "").lower()
        for sa in world.states(IpsecSa, device)
        if sa.interface
    }


def _same_if(a: str | None, ifs: set[str]) -> bool:
    return not ifs or (a is not None and a.replace(" ", "").lower() in ifs)


def nat_takes_protected_flow(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        flows = _flows(world, device)
        if not flows:
            continue
        ifs = _ipsec_interfaces(world, device)
        acls = {a.number: a for a in world.states(Acl, device) if a.number is not None}
        for nat in world.states(NatOutbound, device):
            acl = acls.get(nat.acl) if nat.acl is not None else None
            if acl is None or not _same_if(nat.interface, ifs):
                continue
            for src, dst, sa in flows:
                rule = acl.first_match(_host(src), _host(dst))
                if rule is not None and rule.permit:
                    yield derived(
                        "source nat covers the protected flow",
                        nat.ev,
                        rule.ev,
                        sa.line_of("flow_src"),
                        device=device,
                        peer=sa.remote,
                    )
                    yield Position(device, "no-traffic", sa.remote, nat.ev, "source-nat")
                    break
        for srv in world.states(NatServer, device):
            if not srv.inside_address or not _same_if(srv.interface, ifs):
                continue
            try:
                inside = ipaddress.ip_address(srv.inside_address)
            except ValueError:
                continue
            for src, _dst, sa in flows:
                if inside in src:
                    yield derived(
                        "nat server covers a protected host",
                        srv.ev,
                        sa.line_of("flow_src"),
                        device=device,
                        peer=sa.remote,
                    )
                    yield Position(device, "no-traffic", sa.remote, srv.ev, "nat-server")
                    break


def overlapping_flows(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        flows = _flows(world, device)
        for i, (s1, d1, a) in enumerate(flows):
            for s2, d2, b in flows[i + 1 :]:
                if a.remote == b.remote or (a.policy, a.seq) == (b.policy, b.seq):
                    continue
                if s1.overlaps(s2) and d1.overlaps(d2):
                    first, second = (a, b) if (a.seq or 0) <= (b.seq or 0) else (b, a)
                    yield derived(
                        "protected flows overlap between policies",
                        first.line_of("flow_dst"),
                        second.line_of("flow_dst"),
                        first.line_of("acl"),
                        second.line_of("acl"),
                        device=device,
                        peer=second.remote,
                    )
                    yield Position(device, "no-traffic", second.remote, second.ev, "overlap")


def nat_without_nat_traversal(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        for sa in world.states(IpsecSa, device):
            if sa.nat_traversal is not False:
                continue
            if is_behind_nat_address(sa.local) != is_behind_nat_address(sa.remote):
                flag = next((s.line_of("nat_traversal") for s in sa.sides), sa.ev)
                yield derived(
                    "behind nat without nat traversal",
                    sa.line_of("local"),
                    sa.line_of("remote"),
                    flag,
                    device=device,
                    peer=sa.remote,
                )
                yield Position(device, "no-traffic", sa.remote, sa.line_of("local"), "nat-t")
                break


def encrypted_never_decrypted(world: World) -> Iterator[Signal | Position]:
    """One end encrypts on SPI x; the other end's inbound SPI x decrypts nothing."""
    inbound: dict[int, tuple[str | None, IpsecSa, Line]] = {}
    for device in world.devices():
        for sa in world.states(IpsecSa, device):
            side = sa.inbound
            if side is not None and side.spi is not None and side.processed is not None:
                inbound[side.spi] = (device, sa, side.line_of("processed"))
    for device in world.devices():
        for sa in world.states(IpsecSa, device):
            side = sa.outbound
            if side is None or side.spi is None or not side.processed:
                continue
            other = inbound.get(side.spi)
            if other is None or other[0] == device:
                continue
            _rdev, rsa, rline = other
            if rsa.inbound is not None and rsa.inbound.processed == 0:
                yield derived(
                    "encrypted packets never arrive",
                    side.line_of("processed"),
                    rline,
                    device=device,
                    peer=sa.remote,
                )
                yield Position(device, "no-traffic", sa.remote, side.line_of("processed"), "lost")


def equal_cost_defaults(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        defaults = [
            r
            for r in world.states(Route, device)
            if r.mask_length == 0 and r.interface and r.active is not False
        ]
        if len({r.interface for r in defaults}) > 1 and world.states(IpsecSa, device):
            yield derived(
                "equal-cost routes over different interfaces",
                defaults[0].ev,
                defaults[1].ev,
                device=device,
            )


def routed_away(world: World) -> Iterator[Signal | Position]:
    """A failed ping to a remote protected host whose best route leaves by another interface
    than the route to the IPsec peer."""
    for device in world.devices():
        routes = world.states(Route, device)
        peers = {r.peer for r in world.states(IkeSa, device) if r.ready}
        peers.discard("0.0.0.0")
        if not routes or not peers:
            continue
        for ping in world.states(PingResult, device):
            if not ping.all_lost or not ping.target or ping.target in peers:
                continue
            best = _lookup(routes, ping.target)
            for peer in peers:
                via = _lookup(routes, peer)
                if via is None or best is None or best.interface == via.interface:
                    continue
                yield derived(
                    "protected traffic routed away from the ipsec interface",
                    ping.ev,
                    best.ev,
                    via.ev,
                    device=device,
                    peer=peer,
                )
                yield Position(device, "no-traffic", peer, ping.ev, "route")


def _lookup(routes: list[Route], addr: str) -> Route | None:
    best: Route | None = None
    for r in routes:
        if r.contains(addr) and (best is None or r.mask_length > best.mask_length):
            best = r
    return best


def size_threshold(world: World) -> Iterator[Signal | Position]:
    """Pings to one target succeed up to a size and are all lost above it (seed 002 4.2.5,
    seed 003 TCP MSS case)."""
    for device in world.devices():
        by_target: dict[tuple[str | None, str | None], list[PingResult]] = {}
        for p in world.states(PingResult, device):
            if p.size is not None and p.target:
                by_target.setdefault((p.source, p.target), []).append(p)
        for results in by_target.values():
            ok = [p for p in results if p.success]
            lost = [p for p in results if p.all_lost]
            if not ok or not lost:
                continue
            big_ok = max(ok, key=lambda p: p.size or 0)
            small_lost = min(lost, key=lambda p: p.size or 0)
            if (big_ok.size or 0) < (small_lost.size or 0) and (big_ok.size or 0) >= 512:
                extra: list[Line] = []
                for g in world.states(IpsecGlobalConfig, device):
                    if (g.df_bit or "").lower() == "copy":
                        extra.append(g.line_of("df_bit"))
                yield derived(
                    "large packets lost above a size",
                    big_ok.ev,
                    small_lost.ev,
                    *extra,
                    device=device,
                    detail=f"{big_ok.size} passes, {small_lost.size} is lost",
                )
                yield Position(device, "poor-quality", None, small_lost.ev, "mtu")
                break


RULES = (
    nat_takes_protected_flow,
    overlapping_flows,
    nat_without_nat_traversal,
    encrypted_never_decrypted,
    equal_cost_defaults,
    routed_away,
    size_threshold,
)
