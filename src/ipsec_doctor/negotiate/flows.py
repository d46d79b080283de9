"""Address-set arithmetic for traffic selectors, crypto ACLs, NAT and firewall rules.

An address set is ``(value, care)``: the addresses whose bits under ``care`` equal ``value``.
A CIDR has a contiguous ``care``; a Cisco/Huawei non-contiguous wildcard keeps its holes.  A
``Flow`` is one selector reduced to sets (source = the local side of the device that wrote it).
"""

from __future__ import annotations

import ipaddress

import msgspec

from ..config.model import Selector

ALL = 0xFFFFFFFF


class AddrSet(msgspec.Struct, frozen=True):
    value: int
    care: int

    def contains(self, other: AddrSet) -> bool:
        """Every address of ``other`` is in ``self``."""
        return (self.care & ~other.care) == 0 and (other.value & self.care) == self.value

    def meets(self, other: AddrSet) -> bool:
        return ((self.value ^ other.value) & self.care & other.care) == 0

    def meet(self, other: AddrSet) -> AddrSet | None:
        if not self.meets(other):
            return None
        care = self.care | other.care
        return AddrSet((self.value & self.care) | (other.value & other.care), care)

    def __str__(self) -> str:
        addr = str(ipaddress.IPv4Address(self.value))
        inv = (~self.care) & ALL
        if (inv & (inv + 1)) == 0:  # contiguous mask
            return f"{addr}/{bin(self.care).count('1')}"
        return f"{addr}/{ipaddress.IPv4Address(inv)}"


ANY = AddrSet(0, 0)


def addr_set(net: str | None, wildcard: str | None = None) -> AddrSet | None:
    """``10.1.1.0/24``, ``10.1.1.1``, ``0.0.0.0/0`` or a wildcard ``10.1.0.1/0.0.255.0``.
    None when the text is not an IPv4 address set (IPv6 is not modelled)."""
    text = net if net is not None else wildcard
    if text is None:
        return ANY
    try:
        if "/" in text:
            addr, _, mask = text.partition("/")
            value = int(ipaddress.IPv4Address(addr))
            if mask.isdigit():
                bits = int(mask)
                if bits > 32:
                    return None
                care = (ALL << (32 - bits)) & ALL
            else:
                care = (~int(ipaddress.IPv4Address(mask))) & ALL
        else:
            value, care = int(ipaddress.IPv4Address(text)), ALL
    except ValueError:
        return None
    return AddrSet(value & care, care)


def ports_contain(outer: tuple[int, int] | None, inner: tuple[int, int] | None) -> bool:
    if outer is None:
        return True
    if inner is None:
        return outer[0] <= 0 and outer[1] >= 65535
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def ports_meet(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]


class Flow(msgspec.Struct, frozen=True):
    """A selector as sets, seen from the device that wrote it (src = its local side)."""

    src: AddrSet
    dst: AddrSet
    protocol: int | None = None
    src_ports: tuple[int, int] | None = None
    dst_ports: tuple[int, int] | None = None
    action: str = "permit"

    def mirrored(self) -> Flow:
        return Flow(self.dst, self.src, self.protocol, self.dst_ports, self.src_ports, self.action)

    def contains(self, other: Flow) -> bool:
        proto = self.protocol is None or self.protocol == other.protocol
        return (proto and self.src.contains(other.src) and self.dst.contains(other.dst)
                and ports_contain(self.src_ports, other.src_ports)
                and ports_contain(self.dst_ports, other.dst_ports))

    def meets(self, other: Flow) -> bool:
        proto = self.protocol is None or other.protocol is None or self.protocol == other.protocol
        return (proto and self.src.meets(other.src) and self.dst.meets(other.dst)
                and ports_meet(self.src_ports, other.src_ports)
                and ports_meet(self.dst_ports, other.dst_ports))

    def meet(self, other: Flow) -> Flow | None:
        if not self.meets(other):
            return None
        src, dst = self.src.meet(other.src), self.dst.meet(other.dst)
        assert src is not None and dst is not None
        proto = self.protocol if self.protocol is not None else other.protocol
        return Flow(src, dst, proto, _port_meet(self.src_ports, other.src_ports),
                    _port_meet(self.dst_ports, other.dst_ports), self.action)

    def __str__(self) -> str:
        proto = "" if self.protocol is None else f" proto {self.protocol}"
        return f"{self.src} -> {self.dst}{proto}"


def _port_meet(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return (max(a[0], b[0]), min(a[1], b[1]))


def flow(sel: Selector) -> Flow | None:
    src = addr_set(sel.src, sel.src_wildcard)
    dst = addr_set(sel.dst, sel.dst_wildcard)
    if src is None or dst is None:
        return None
    return Flow(src, dst, sel.protocol, sel.src_ports, sel.dst_ports, sel.action)


def host(address: str) -> AddrSet | None:
    return addr_set(address)


def first_match(rules: list[Flow], f: Flow) -> Flow | None:
    """The first rule that meets ``f`` (ACL first-match order), or None."""
    for r in rules:
        if r.meets(f):
            return r
    return None


def covered(rules: list[Flow], f: Flow) -> tuple[bool, Flow | None]:
    """Does an ordered permit/deny list accept all of ``f``?  Walks the rules in order: a deny
    that meets ``f`` before a permit containing it refuses; a permit that only overlaps ``f`` is
    skipped (a later rule may contain it).  Returns (accepted, deciding rule)."""
    for r in rules:
        if not r.meets(f):
            continue
        if r.action == "deny":
            return False, r
        if r.contains(f):
            return True, r
    return False, None
