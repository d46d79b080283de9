"""One end of a simulated negotiation (``Side``) and the helpers every stage shares: cited lines,
address derivation, and the ``Failure`` builder (lines of both ends, vendor messages, changes)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ..config.model import Change, DeviceConfig, IkeProposal, Tunnel
from ..model import Line
from . import messages
from .result import Failure


@dataclass
class Side:
    label: str  # "a" / "b"
    dev: DeviceConfig
    tun: Tunnel

    @property
    def vendor(self) -> str:
        return self.dev.vendor

    @property
    def name(self) -> str:
        """How texts name this end: its device name (the label when it has none)."""
        return self.dev.name or self.label

    def cite(self, *fields: str) -> list[Line]:
        """Lines of the tunnel fields named (``psk``, ``pfs`` ...), else the tunnel's own line."""
        out = [self.tun.lines[f] for f in fields if f in self.tun.lines]
        if not out and self.tun.ev is not None:
            out = [self.tun.ev]
        return out

    def source_address(self) -> str | None:
        """The address IKE leaves from: ``local_address``, else the primary address of the
        interface IKE uses (``local_interface``, then the interface carrying the policy), else
        the egress interface towards the peer."""
        if self.tun.local_address:
            return self.tun.local_address
        for name in (self.tun.local_interface, self.tun.bound_interface):
            addr = interface_address(self.dev, name)
            if addr:
                return addr
        peer = self.peer_address()
        if peer:
            itf = egress_interface(self.dev, peer)
            addr = interface_address(self.dev, itf)
            if addr:
                return addr
        own = self.dev.own_addresses()
        return own[0] if own else None

    def peer_address(self) -> str | None:
        return self.tun.peer_addresses[0] if self.tun.peer_addresses else None

    def can_initiate(self) -> bool:
        """A static end, or one an operator can start by hand (strongSwan without
        ``start_action``: ``swanctl --initiate``), with a peer address to send to."""
        starts = self.tun.initiates or self.tun.manual_initiation
        return starts and bool(self.tun.peer_addresses or self.tun.peer_hostname)


def interface_address(dev: DeviceConfig, name: str | None) -> str | None:
    if not name:
        return None
    for itf in dev.interfaces:
        if itf.name == name and itf.addresses:
            return itf.addresses[0].split("/")[0]
    return None


def _net(text: str) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(text, strict=False)
    except ValueError:
        return None


def _addr(text: str | None) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(text or "")
    except ValueError:
        return None


def connected(dev: DeviceConfig, address: str) -> str | None:
    """The interface whose subnet holds ``address`` (not shut down), or None."""
    ip = _addr(address)
    if ip is None:
        return None
    for itf in dev.interfaces:
        if itf.shutdown:
            continue
        for a in (*itf.addresses, *itf.secondary):
            net = _net(a)
            if net is not None and ip in net:
                return itf.name
    return None


def route_lookup(dev: DeviceConfig, address: str) -> tuple[bool, str | None]:
    """(reachable, egress interface) by longest prefix over connected subnets and routes."""
    ip = _addr(address)
    if ip is None:
        return True, None  # not an IPv4 address: not modelled, assume reachable
    best: tuple[int, str | None] | None = None
    for itf in dev.interfaces:
        if itf.shutdown:
            continue
        for a in (*itf.addresses, *itf.secondary):
            net = _net(a)
            if net is not None and ip in net and (best is None or net.prefixlen > best[0]):
                best = (net.prefixlen, itf.name)
    for r in dev.routes:
        net = _net(r.prefix)
        if net is None or ip not in net or (best is not None and net.prefixlen <= best[0]):
            continue
        itf = r.interface or (connected(dev, r.next_hop) if r.next_hop else None)
        if (r.next_hop and itf is None) or _is_down(dev, itf):
            continue  # next hop not on a live subnet: the route is not usable
        best = (net.prefixlen, itf)
    return (best is not None), (best[1] if best else None)


def equal_cost_egress(dev: DeviceConfig, address: str) -> list[str]:
    """Every egress interface of the equally long best static routes towards ``address`` (more
    than one: the device load-shares per flow; a connected subnet wins alone)."""
    ip = _addr(address)
    if ip is None or connected(dev, address):
        return []
    best, out = -1, []
    for r in dev.routes:
        net = _net(r.prefix)
        if net is None or ip not in net:
            continue
        itf = r.interface or (connected(dev, r.next_hop) if r.next_hop else None)
        if itf is None or _is_down(dev, itf):
            continue
        if net.prefixlen > best:
            best, out = net.prefixlen, [itf]
        elif net.prefixlen == best and itf not in out:
            out.append(itf)
    return out


def _is_down(dev: DeviceConfig, name: str | None) -> bool:
    return any(itf.name == name and itf.shutdown for itf in dev.interfaces)


def egress_interface(dev: DeviceConfig, address: str) -> str | None:
    return route_lookup(dev, address)[1]


def proposal_lines(props: list[IkeProposal] | list, attr: str) -> list[Line]:
    out: list[Line] = []
    for p in props:
        line = p.lines.get(attr) or p.ev
        if line is not None and line not in out:
            out.append(line)
    return out


@dataclass
class Direction_:
    """The two ends of one simulated direction."""

    ini: Side
    resp: Side
    nat: str | None = None  # label of the end behind NAT, None when no NAT between them
    version: int | None = None
    trace: list[str] = field(default_factory=list)
    flows: list = field(default_factory=list)  # agreed flows (flows.Flow), initiator's view

    def by_label(self, label: str) -> Side:
        return self.ini if self.ini.label == label else self.resp

    def addresses(self) -> dict[str, dict[str, str | None]]:
        """Per role, this end's address and the peer's address as this end sees it."""
        ini_src, resp_dst = self.ini.source_address(), self.ini.peer_address()
        seen_ini = self.resp.peer_address() if self.nat == self.ini.label else ini_src
        return {
            "initiator": {"me": ini_src, "peer": resp_dst},
            "responder": {"me": self.resp.source_address(), "peer": seen_ini},
        }

    def fail(self, cause: str, stage: str, detail: str, *, event: str | tuple[str, ...],
             lines: dict[str, list[Line]] | None = None, changes: list[Change] | None = None,
             attr: str | None = None, confidence: float = 0.9, when: str | None = None,
             **values: object) -> Failure:
        """A Failure with each end's cited lines and what each vendor logs in its role."""
        lines = lines or {}
        addrs = self.addresses()
        msgs: dict[str, list[str]] = {}
        for side, role in ((self.ini, "initiator"), (self.resp, "responder")):
            ids = {"my_id": _id_text(side), "peer_id": _id_text(self._other(side))}
            got = messages.lines(event, side.vendor, role, version=self.version, attr=attr,
                                 **{**addrs[role], **ids, **values})
            if got:
                msgs[side.label] = got
        return Failure(
            cause=cause, stage=stage, detail=detail,
            lines_a=lines.get("a", []), lines_b=lines.get("b", []),
            messages=msgs, changes=changes or [], confidence=confidence, when=when,
        )

    def _other(self, side: Side) -> Side:
        return self.resp if side is self.ini else self.ini


def _id_text(side: Side) -> str:
    ident = side.tun.local_id
    if ident.type == "ip" and ident.value is None:
        return side.source_address() or "%any"
    return ident.value or "%any"


def change(side: Side, fld: str, value: object = None, target: str | None = None) -> Change:
    return Change(side=side.label, field=fld, value=value, target=target)


@dataclass
class Outcome:
    """What one negotiation produced: failures per stage, the chosen proposals, notes that become
    warnings (narrowed selectors, unverifiable keys) and the flows agreed."""

    ike: list[Failure] = field(default_factory=list)
    ipsec: list[Failure] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)
    ike_pair: tuple | None = None  # (initiator IkeProposal, responder IkeProposal)
    child_pair: tuple | None = None  # (initiator ChildProposal, responder ChildProposal)
    notes: list = field(default_factory=list)  # Warning_ objects
    later: list[Failure] = field(default_factory=list)  # what fails next once IKE is fixed


def after_ike(d: Direction_, run_child) -> list[Failure]:
    """The phase-2 failures a direction would meet once its IKE failures are fixed: the child
    stage is simulated on a scratch ``Outcome`` and its trace lines are dropped."""
    mark = len(d.trace)
    probe = Outcome()
    try:
        run_child(probe)
    finally:
        del d.trace[mark:]
    return probe.ipsec
