"""strongSwan traffic selectors (swanctl ``local_ts``/``remote_ts``, ipsec.conf ``leftsubnet``/
``rightsubnet`` + ``leftprotoport``) to model ``Selector`` objects.

Syntax (swanctl.opt ``local_ts``): comma-separated CIDR subnets, addresses or ``a-b`` ranges,
``dynamic`` (the tunnel's own outer address), each optionally followed by ``[proto/port]`` where
proto and port are numbers or getservent names (``[tcp/ssh]``, ``[icmp]``, ``[17/1701]``,
``[udp/%any]``).  The local x remote product gives the selectors, local view (``src`` = local).
A ``dynamic`` side whose address is unknown (``%any``) is ``0.0.0.0/0``: it narrows to whatever
address the SA ends up with.
"""

from __future__ import annotations

import ipaddress

from ..model import Line
from .model import Selector

# the getservent(3) names that show up in real configurations
PROTOCOLS = {"icmp": 1, "igmp": 2, "ipencap": 4, "tcp": 6, "udp": 17, "gre": 47, "esp": 50,
             "ah": 51, "ipv6-icmp": 58, "icmpv6": 58, "ospf": 89, "sctp": 132, "l2tp": 115}
PORTS = {"ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "dns": 53, "http": 80, "www": 80,
         "pop3": 110, "ntp": 123, "snmp": 161, "bgp": 179, "https": 443, "isakmp": 500,
         "l2tp": 1701, "ipsec-nat-t": 4500, "syslog": 514, "ldap": 389, "ldaps": 636,
         "radius": 1812}


def _proto_port(spec: str) -> tuple[int | None, tuple[int, int] | None]:
    proto_s, _, port_s = spec.partition("/")
    proto_s, port_s = proto_s.strip().lower(), port_s.strip().lower()
    proto: int | None = None
    if proto_s and proto_s not in ("%any", "0", "any"):
        proto = int(proto_s[:4]) if proto_s.isdecimal() else PROTOCOLS.get(proto_s)
    ports: tuple[int, int] | None = None
    if port_s and port_s not in ("%any", "0", "opaque", "any"):
        lo, _, hi = port_s.partition("-")
        vals = [int(p[:6]) if p.isdecimal() else PORTS.get(p) for p in (lo, hi or lo)]
        if vals[0] is not None and vals[1] is not None:
            ports = (vals[0], vals[1])
    return proto, ports


def _networks(item: str, own: str | None) -> list[str]:
    item = item.strip()
    if item.lower() in ("dynamic", "%dynamic", ""):
        if own is None:
            return ["0.0.0.0/0"]
        return [f"{own}/{128 if ':' in own else 32}"]
    if item.lower() in ("%any", "%any4"):
        return ["0.0.0.0/0"]
    if "-" in item and "/" not in item:
        lo, _, hi = item.partition("-")
        try:
            nets = ipaddress.summarize_address_range(ipaddress.ip_address(lo.strip()),
                                                     ipaddress.ip_address(hi.strip()))
            return [str(n) for n in nets][:64]
        except (ValueError, TypeError):
            return []
    try:
        return [str(ipaddress.ip_network(item, strict=False))]
    except ValueError:
        return []


def parse_ts(value: str, own: str | None,
             protoport: str | None = None) -> list[tuple[str, int | None, tuple[int, int] | None]]:
    """``(network, protocol, ports)`` for every selector of one side."""
    out = []
    for raw in value.split(","):
        raw = raw.strip()
        if not raw:
            continue
        spec = protoport
        if raw.endswith("]") and "[" in raw:
            raw, _, spec = raw[:-1].partition("[")
        proto, ports = _proto_port(spec) if spec else (None, None)
        for net in _networks(raw, own):
            out.append((net, proto, ports))
    return out


def selectors(local_ts: str, remote_ts: str, local_addr: str | None, remote_addr: str | None,
              ev: Line | None, local_pp: str | None = None,
              remote_pp: str | None = None) -> list[Selector]:
    """The local x remote product as permit selectors (pairs with different explicit protocols
    cannot carry traffic and are dropped)."""
    out: list[Selector] = []
    for lnet, lproto, lports in parse_ts(local_ts, local_addr, local_pp):
        for rnet, rproto, rports in parse_ts(remote_ts, remote_addr, remote_pp):
            if lproto is not None and rproto is not None and lproto != rproto:
                continue
            out.append(Selector(action="permit", src=lnet, dst=rnet,
                                protocol=lproto if lproto is not None else rproto,
                                src_ports=lports, dst_ports=rports, ev=ev))
    return out
