"""Huawei VRP configuration text: ``display current-configuration`` (whole, ``configuration
<section>`` or ``interface <if>`` filtered, ``| include`` filtered),
``display saved-configuration``, ``display this`` and configurations pasted without any prompt.

What is read (everything else is skipped): interfaces (addresses, ``ipsec policy``, ``nat
outbound``, ``nat server``, ``tcp adjust-mss``, shutdown, zone), static routes, USG ``nat-policy``
and ``security-policy`` rules (and the older ``nat-policy interzone`` / ``policy interzone``
forms), IKE peers and proposals, IPsec proposals, policies, policy templates and profiles, ACLs,
firewall zones, global NAT servers and the global lines that change IPsec behaviour
(``ipsec authentication sha2 compatible enable``, ``ikev1 phase1-phase2 sa dependent``,
``ipsec df-bit``, ``ipsec fragmentation``, ``firewall tcp-mss`` ...).  Every fact cites the exact
configuration line of each field (``State.lines``); nested entries (addresses, NAT entries, ACL
rules, policy addresses) carry their own ``ev``.  Secrets never reach a fact: a pre-shared key is
only ``pre_shared_key=True`` (the lines are redacted before they arrive anyway).

Section tracking is keyword driven, not indentation driven.  Device output indents sub-commands
by one space per level, but the reference documents (seed 002) print whole configurations flush
left, and single lines arrive pasted out of context.  A known section header (``interface``,
``ike peer``, ``acl number`` ...) opens a section and ``#`` closes it; a line that is indented
deeper than its header belongs to it; when header and sub-commands share one indentation
("flat" pastes) a line belongs to the section if the section knows its first keyword.  This is why
``hier_config`` (an indentation tree model, not installed here) does not fit: it would nest the
flat pastes wrongly and needs the whole text while the scanner streams lines.

Facts are emitted when the block closes, in configuration order, so that interfaces can carry the
firewall zone declared later (``firewall zone trust`` / ``add interface ...``) and every fact the
device named by ``sysname`` (a later ``sysname`` with another name starts a new device).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import msgspec

from ...model import Line, State
from ..base import Context
from ..util import is_ip

VENDOR = "huawei"
_MAX_PENDING = 50_000  # sections kept for one device before they are flushed early


# -- nested values ------------------------------------------------------------------------------


class AddrSpec(msgspec.Struct, frozen=True, kw_only=True):
    """One address selector as written in an ACL rule or a policy rule.

    ``network`` is the CIDR block when the selector is one contiguous block (``any`` is
    ``0.0.0.0/0``); a non-contiguous wildcard keeps ``address`` + ``wildcard`` only.  Address sets
    and ranges keep their name / bounds.  ``ev`` is the line of a policy address (ACL rules cite
    their rule line instead).
    """

    raw: str
    network: str | None = None
    address: str | None = None
    wildcard: str | None = None
    address_set: str | None = None
    range_end: str | None = None
    ev: Line | None = None


class IfAddress(msgspec.Struct, frozen=True, kw_only=True):
    """``ip address A M [sub]`` with the mask normalised to dotted form and to a length."""

    address: str
    mask: str
    prefix_len: int
    sub: bool = False
    ev: Line


class NatOutbound(msgspec.Struct, frozen=True, kw_only=True):
    """``nat outbound ACL [address-group G [no-pat]] | [interface IF]``; no group = easy IP."""

    acl: int | None
    address_group: str | None = None
    easy_ip: bool = False
    interface: str | None = None  # easy IP with another interface's address
    no_pat: bool = False
    ev: Line


class NatServerEntry(msgspec.Struct, frozen=True, kw_only=True):
    """``nat server [name] [protocol P] global G [ports] inside I [port] [no-reverse]``."""

    name: str | None = None
    protocol: str | None = None  # None: all protocols
    global_address: str | None = None
    global_interface: str | None = None  # "current-interface" or an interface name
    global_port: str | None = None
    inside_address: str | None = None
    inside_port: str | None = None
    no_reverse: bool = False
    ev: Line


class AclRule(msgspec.Struct, frozen=True, kw_only=True):
    """One ``rule`` of an ACL, in configuration order."""

    id: int | None
    action: str  # permit / deny
    protocol: str | None = None  # None in basic ACLs (2000-2999)
    source: AddrSpec | None = None  # None: any
    destination: AddrSpec | None = None
    source_port: str | None = None  # "eq 500", "range 1 100"
    destination_port: str | None = None
    vpn_instance: str | None = None
    extra: tuple[str, ...] = ()  # words not interpreted (logging, time-range X, icmp-type ...)
    matches: int | None = None  # "(4 matches)" when a display output was pasted as config
    ev: Line


# -- facts ----------------------------------------------------------------------------------------


class CfgInterface(State, kw_only=True):
    """``interface NAME`` and what IPsec troubleshooting needs from its body."""

    name: str
    description: str | None = None
    addresses: tuple[IfAddress, ...] = ()
    dynamic_address: str | None = None  # "dhcp-alloc", "ppp-negotiate", "unnumbered LoopBack0"
    ipv6_addresses: tuple[str, ...] = ()
    ipsec_policy: str | None = None  # name of the policy group applied
    ipsec_auto_neg: bool = False
    ipsec_profile: str | None = None  # tunnel interfaces
    nat_outbound: tuple[NatOutbound, ...] = ()
    nat_servers: tuple[NatServerEntry, ...] = ()
    zone: str | None = None  # from "firewall zone X / add interface" or "zone X"
    shutdown: bool = False
    tcp_mss: int | None = None  # tcp adjust-mss
    mtu: int | None = None
    vpn_instance: str | None = None  # ip binding vpn-instance
    df_bit: str | None = None
    fragmentation: str | None = None
    tunnel_protocol: str | None = None
    tunnel_source: str | None = None
    tunnel_destination: str | None = None


class CfgStaticRoute(State, kw_only=True):
    """``ip route-static [vpn-instance V] PREFIX MASK [IF] [NEXT-HOP] [preference N] ...``."""

    prefix: str
    mask: str | None  # dotted (IPv4); None for IPv6
    prefix_len: int
    next_hop: str | None = None
    interface: str | None = None
    preference: int | None = None
    vpn_instance: str | None = None
    next_hop_vpn: str | None = None  # "... vpn-instance V2 NEXT-HOP" / public
    track: str | None = None
    description: str | None = None
    ipv6: bool = False


class CfgNatPolicyRule(State, kw_only=True):
    """A USG ``nat-policy`` rule (``rule name X``) or an older interzone ``policy N``."""

    name: str
    source_zones: tuple[str, ...] = ()
    destination_zones: tuple[str, ...] = ()
    egress_interfaces: tuple[str, ...] = ()
    source_addresses: tuple[AddrSpec, ...] = ()
    destination_addresses: tuple[AddrSpec, ...] = ()
    services: tuple[str, ...] = ()
    action: str | None = None  # "source-nat", "no-nat", "destination-nat", ...
    translation: str | None = None  # "easy-ip", "address-group"
    address_group: str | None = None
    easy_ip_interface: str | None = None  # old form "easy-ip GigabitEthernet0/0/1"
    enabled: bool = True
    interzone: tuple[str, ...] = ()  # old form "nat-policy interzone Z1 Z2 DIR"
    direction: str | None = None
    position: int = 0  # order among the rules of its policy (first match wins)


class CfgSecurityPolicyRule(State, kw_only=True):
    """A USG ``security-policy`` rule or an older ``policy interzone`` ``policy N``."""

    name: str
    source_zones: tuple[str, ...] = ()
    destination_zones: tuple[str, ...] = ()
    source_addresses: tuple[AddrSpec, ...] = ()
    destination_addresses: tuple[AddrSpec, ...] = ()
    services: tuple[str, ...] = ()
    applications: tuple[str, ...] = ()
    action: str | None = None  # permit / deny
    enabled: bool = True
    interzone: tuple[str, ...] = ()
    direction: str | None = None
    position: int = 0


class CfgIkePeer(State, kw_only=True):
    """``ike peer NAME [v1|v2]``."""

    name: str
    version: str | None = None  # "v1"/"v2" when the configuration pins one
    versions_on: tuple[int, ...] = ()  # "version N" lines / header
    versions_off: tuple[int, ...] = ()  # "undo version N"
    exchange_mode: str | None = None  # main / aggressive
    pre_shared_key: bool = False  # configured (the key itself is never kept)
    ike_proposal: int | None = None
    remote_addresses: tuple[str, ...] = ()  # "1.1.1.1" or "low-high"
    remote_host: str | None = None  # remote-address host-name
    remote_vpn_instance: str | None = None
    auth_addresses: tuple[str, ...] = ()  # remote-address authentication-address (pre-NAT)
    local_address: str | None = None
    local_id_type: str | None = None
    local_id: str | None = None
    remote_id_type: str | None = None
    remote_ids: tuple[str, ...] = ()
    remote_name: str | None = None  # older AR "remote-name"
    nat_traversal: bool | None = None  # None: not configured (the default applies)
    dpd_type: str | None = None
    dpd_idle: int | None = None
    dpd_retransmit: int | None = None
    dpd_retry: int | None = None
    dpd_msg: str | None = None
    pki_realm: str | None = None
    vpn_instance: str | None = None  # sa binding vpn-instance


class CfgIkeProposal(State, kw_only=True):
    """``ike proposal N``; empty tuples mean "not configured" (the default applies)."""

    number: int
    encryption: tuple[str, ...] = ()
    authentication: tuple[str, ...] = ()
    integrity: tuple[str, ...] = ()
    prf: tuple[str, ...] = ()
    dh: tuple[str, ...] = ()
    auth_method: str | None = None
    sa_duration: int | None = None


class CfgIpsecProposal(State, kw_only=True):
    """``ipsec proposal NAME``."""

    name: str
    transform: str | None = None  # esp / ah / ah-esp
    esp_authentication: tuple[str, ...] = ()
    esp_encryption: tuple[str, ...] = ()
    ah_authentication: tuple[str, ...] = ()
    encapsulation: str | None = None  # tunnel / transport / auto


class CfgIpsecPolicy(State, kw_only=True):
    """``ipsec policy NAME SEQ [isakmp|manual] [template T]``, ``ipsec policy-template NAME SEQ``
    (``kind="template"``) or ``ipsec profile NAME`` (``kind="profile"``)."""

    name: str
    seq: int | None = None
    kind: str = "policy"  # policy / template / profile
    mode: str | None = None  # isakmp / manual (policies only)
    template: str | None = None  # the template a policy uses
    acl: int | None = None
    acl_name: str | None = None
    ike_peer: str | None = None
    proposals: tuple[str, ...] = ()
    pfs: str | None = None
    trigger_mode: str | None = None
    sa_duration_time: int | None = None
    sa_duration_traffic: int | None = None
    tunnel_local: str | None = None
    tunnel_remote: str | None = None
    route_inject: str | None = None
    alias: str | None = None


class CfgAcl(State, kw_only=True):
    """``acl number N`` / ``acl name X [N]`` / ``acl ipv6 number N`` with its rules in order."""

    number: int | None = None
    name: str | None = None
    kind: str | None = None  # basic / advanced / layer2 / user (from the number range)
    ipv6: bool = False
    match_order: str | None = None
    rules: tuple[AclRule, ...] = ()


class CfgZone(State, kw_only=True):
    """``firewall zone [name] Z``: priority and member interfaces."""

    name: str
    priority: int | None = None
    interfaces: tuple[str, ...] = ()


class CfgNatServer(State, kw_only=True):
    """A system-view ``nat server`` (USG); interface ones are in ``CfgInterface.nat_servers``."""

    entry: NatServerEntry


class CfgGlobals(State, kw_only=True):
    """Global lines that matter, one record per configuration (per device).

    ``whole`` is True when the text was a complete, unfiltered configuration (it ended with
    ``return``): only then does the absence of a line prove the default is in force.
    """

    sysname: str | None = None
    whole: bool = False
    sha2_compatible: bool = False  # ipsec authentication sha2 compatible enable
    ikev1_sa_dependent: bool = False  # ikev1 phase1-phase2 sa dependent
    df_bit: str | None = None  # clear / set / copy
    fragmentation: str | None = None  # before-encryption / after-encryption
    tcp_mss: int | None = None  # firewall tcp-mss
    sa_global_time: int | None = None
    sa_global_traffic: int | None = None
    anti_replay: bool | None = None
    anti_replay_window: int | None = None
    nat_keepalive: int | None = None
    ike_local_name: str | None = None
    dpd_type: str | None = None
    dpd_idle: int | None = None
    security_default_action: str | None = None  # security-policy "default action deny"


# -- small helpers --------------------------------------------------------------------------------


def _ip4(tok: str) -> int | None:
    parts = tok.split(".")
    if len(parts) != 4:
        return None
    n = 0
    for p in parts:
        if not p.isdecimal() or len(p) > 3 or int(p) > 255:
            return None
        n = (n << 8) | int(p)
    return n


def _dotted(n: int) -> str:
    return ".".join(str((n >> s) & 255) for s in (24, 16, 8, 0))


def _prefix_of_mask(m: int) -> int | None:
    inv = ~m & 0xFFFFFFFF
    return 32 - inv.bit_length() if inv & (inv + 1) == 0 else None


def _prefix_of_wildcard(w: int) -> int | None:
    return 32 - w.bit_length() if w & (w + 1) == 0 else None


def _mask_of(prefix: int) -> int:
    return (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF if prefix else 0


def _cidr(addr: int, prefix: int) -> str:
    return f"{_dotted(addr & _mask_of(prefix))}/{prefix}"


def _int(tok: str | None) -> int | None:
    return int(tok) if tok is not None and tok.isdecimal() and len(tok) < 19 else None


def _small_int(tok: str) -> int | None:
    return int(tok) if tok.isdecimal() and len(tok) <= 2 and int(tok) <= 32 else None


def _net_v6(addr: str, plen: str | None) -> str | None:
    if not is_ip(addr) or ":" not in addr:
        return None
    n = _int(plen) if plen is not None else 128
    return f"{addr}/{n}" if n is not None and n <= 128 else None


def parse_addr(words: list[str], i: int, *, wildcard: bool) -> tuple[AddrSpec | None, int]:
    """Read an address selector at ``words[i]``; return it and the index after it.

    ``wildcard`` (ACL rules): a dotted second word is a wildcard.  Otherwise (policy rules) a
    dotted second word is a mask when it starts with ones and a wildcard when it starts with
    zeros; ``mask M`` and a prefix length are understood in both.
    """
    if i >= len(words):
        return None, i
    w0 = words[i].lower()
    if w0 == "any":
        return AddrSpec(raw="any", network="0.0.0.0/0"), i + 1
    if w0 == "address-set" and i + 1 < len(words):
        return AddrSpec(raw=" ".join(words[i : i + 2]), address_set=words[i + 1]), i + 2
    if w0 == "range" and i + 2 < len(words) and is_ip(words[i + 1]) and is_ip(words[i + 2]):
        raw = " ".join(words[i : i + 3])
        return AddrSpec(raw=raw, address=words[i + 1], range_end=words[i + 2]), i + 3
    addr_tok = words[i]
    if "/" in addr_tok:  # 10.1.1.0/24, 2001:db8::/32
        a, _, p = addr_tok.partition("/")
        n4, plen = _ip4(a), _small_int(p)
        if n4 is not None and plen is not None:
            return AddrSpec(
                raw=addr_tok,
                network=_cidr(n4, plen),
                address=a,
                wildcard=_dotted(~_mask_of(plen) & 0xFFFFFFFF),
            ), i + 1
        return AddrSpec(raw=addr_tok, network=_net_v6(a, p), address=a), i + 1
    n4 = _ip4(addr_tok)
    if n4 is None:
        if is_ip(addr_tok):  # IPv6 with an optional prefix length
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is not None and nxt.isdecimal():
                return AddrSpec(
                    raw=f"{addr_tok} {nxt}", network=_net_v6(addr_tok, nxt), address=addr_tok
                ), i + 2
            return AddrSpec(raw=addr_tok, network=_net_v6(addr_tok, None), address=addr_tok), i + 1
        return None, i
    j = i + 1
    nxt = words[j].lower() if j < len(words) else ""
    prefix: int | None = None
    wild: int | None = None
    if nxt == "mask" and j + 1 < len(words):
        m = _ip4(words[j + 1])
        if m is None:
            plen = _small_int(words[j + 1])
            prefix = plen
        else:
            prefix = _prefix_of_mask(m)
            wild = ~m & 0xFFFFFFFF
        j += 2
    elif nxt.isdecimal():
        plen = _small_int(nxt)
        if plen is not None:
            prefix = 32 if plen == 0 else plen  # "0": a host in ACL and policy syntax alike
        j += 1
    elif _ip4(nxt) is not None:
        v = _ip4(nxt) or 0
        as_mask = not wildcard and (v >> 31) == 1 and _prefix_of_mask(v) is not None
        if as_mask:
            prefix, wild = _prefix_of_mask(v), ~v & 0xFFFFFFFF
        else:
            wild = v
            prefix = _prefix_of_wildcard(v)
        j += 1
    else:
        prefix = 32  # a lone address is a host
    raw = " ".join(words[i:j])
    if prefix is not None:
        if wild is None:
            wild = ~_mask_of(prefix) & 0xFFFFFFFF
        return AddrSpec(
            raw=raw, network=_cidr(n4, prefix), address=addr_tok, wildcard=_dotted(wild)
        ), j
    return AddrSpec(
        raw=raw, address=addr_tok, wildcard=_dotted(wild) if wild is not None else None
    ), j


def _join_ifname(words: list[str], i: int) -> tuple[str | None, int]:
    """An interface name at ``words[i]``: ``GigabitEthernet0/0/1`` or ``gigabitethernet 1/0/0``."""
    if i >= len(words):
        return None, i
    name = words[i]
    if not name[-1:].isdecimal() and i + 1 < len(words):
        nxt = words[i + 1]
        if nxt[:1].isdecimal() and all(c.isdecimal() or c in "/.:" for c in nxt):
            return name + nxt, i + 2
    return name, i + 1


def ifkey(name: str) -> str:
    """Case- and blank-insensitive key of an interface name (for matching across outputs)."""
    return "".join(name.split()).lower()


def _values(words: list[str], i: int) -> tuple[str, ...]:
    return tuple(w.lower() for w in words[i:])


# -- sections -------------------------------------------------------------------------------------


class _Section:
    """One configuration section being read; ``indent`` is its header's (-1: implied)."""

    claims_words: frozenset[str] = frozenset()

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        self.ev = ev
        self.indent = indent
        self.mode: str | None = "indented" if indent < 0 else None  # indented / flat
        self.lines: dict[str, Line] = {}

    def claims(self, low: list[str]) -> bool:
        """Is this line one of our sub-commands (used when indentation says nothing)?"""
        head = low[1] if low[0] == "undo" and len(low) > 1 else low[0]
        return head in self.claims_words

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        """One line of the section's body."""

    def mark(self, field: str, ev: Line) -> None:
        self.lines.setdefault(field, ev)

    def facts(self, out: _Out) -> None:
        """Build this section's facts."""


class _Out:
    """Where sections put their facts at flush time, with the device and the zone map."""

    def __init__(
        self, device: str | None, zones: dict[str, tuple[str, Line]], priorities: dict[str, int]
    ) -> None:
        self.device = device
        self.zones = zones
        self.priorities = priorities
        self.facts: list[State] = []

    def add(
        self, cls: type[State], family: str, ev: Line, lines: dict[str, Line], **fields: object
    ) -> None:
        self.facts.append(
            cls(
                vendor=VENDOR, family=family, ev=ev, device=self.device, lines=dict(lines), **fields
            )
        )


class _Other(_Section):
    """A section we do not read (aaa, ospf, l2tp-group ...): its body is skipped."""


_IF_CLAIMS = frozenset(
    """ip ipv6 ipsec nat tcp mtu shutdown description service-manage tunnel-protocol source
    destination zone vrrp dhcp dialer ppp pppoe-client link-protocol port speed duplex
    negotiation alias arp bandwidth gateway redirect detect-group mac-address traffic-policy
    qos anti-attack vlan-type dot1q eth-trunk combo-port portswitch remote""".split()
)


class _Interface(_Section):
    claims_words = _IF_CLAIMS

    def __init__(self, ev: Line, words: list[str], indent: int, name: str | None = None) -> None:
        super().__init__(ev, words, indent)
        self.name = name if name is not None else (_join_ifname(words, 1)[0] or "")
        self.f: dict[str, object] = {}
        self.addresses: list[IfAddress] = []
        self.v6: list[str] = []
        self.nat_out: list[NatOutbound] = []
        self.nat_srv: list[NatServerEntry] = []
        self.mark("name", ev)

    def claims(self, low: list[str]) -> bool:
        if low[0] == "ip" and len(low) > 1 and low[1] not in ("address", "binding"):
            return False  # "ip route-static", "ip vpn-instance" ... are system view
        if low[0] == "ipsec" and len(low) > 3 and low[1] == "policy" and low[3].isdecimal():
            return False  # a policy header
        return super().claims(low)

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        n = len(low)
        f = self.f
        if low[0] == "undo":
            if low[1:2] == ["shutdown"]:
                f["shutdown"] = False
                self.mark("shutdown", ev)
            return
        k = low[0]
        if k == "shutdown":
            f["shutdown"] = True
            self.mark("shutdown", ev)
        elif k == "description" and n > 1:
            f["description"] = " ".join(words[1:])
            self.mark("description", ev)
        elif k == "ip" and n > 2 and low[1] == "address":
            self._address(ev, words, low)
        elif k == "ip" and n > 3 and low[1] == "binding" and low[2] == "vpn-instance":
            f["vpn_instance"] = words[3]
            self.mark("vpn_instance", ev)
        elif k == "ipv6" and n > 2 and low[1] == "address":
            self.v6.append(words[2])
            self.mark("ipv6_addresses", ev)
        elif k == "ipsec" and n > 2 and low[1] == "policy":
            f["ipsec_policy"] = words[2]
            f["ipsec_auto_neg"] = "auto-neg" in low[3:]
            self.mark("ipsec_policy", ev)
        elif k == "ipsec" and n > 2 and low[1] == "profile":
            f["ipsec_profile"] = words[2]
            self.mark("ipsec_profile", ev)
        elif k == "ipsec" and n > 2 and low[1] == "df-bit":
            f["df_bit"] = low[2]
            self.mark("df_bit", ev)
        elif k == "ipsec" and n > 2 and low[1] == "fragmentation":
            f["fragmentation"] = low[2]
            self.mark("fragmentation", ev)
        elif k == "nat" and n > 1 and low[1] == "outbound":
            self._nat_outbound(ev, words, low)
        elif k == "nat" and n > 1 and low[1] == "server":
            entry = parse_nat_server(ev, words)
            if entry is not None:
                self.nat_srv.append(entry)
                self.mark("nat_servers", ev)
        elif k == "tcp" and n > 2 and low[1] == "adjust-mss":
            f["tcp_mss"] = _int(low[2])
            self.mark("tcp_mss", ev)
        elif k == "mtu" and n > 1:
            f["mtu"] = _int(low[1])
            self.mark("mtu", ev)
        elif k == "zone" and n > 1:
            f["zone"] = words[1]
            self.mark("zone", ev)
        elif k == "tunnel-protocol" and n > 1:
            f["tunnel_protocol"] = low[1]
            self.mark("tunnel_protocol", ev)
        elif k in ("source", "destination") and n > 1:
            name, _ = _join_ifname(words, 1)
            f["tunnel_" + k] = name
            self.mark("tunnel_" + k, ev)

    def _address(self, ev: Line, words: list[str], low: list[str]) -> None:
        a = words[2]
        if low[2] in ("dhcp-alloc", "ppp-negotiate"):
            self.f["dynamic_address"] = low[2]
            self.mark("dynamic_address", ev)
            return
        if low[2] == "unnumbered":
            tail = words[4:] if len(low) > 3 and low[3] == "interface" else words[3:]
            self.f["dynamic_address"] = "unnumbered " + "".join(tail)
            self.mark("dynamic_address", ev)
            return
        n4 = _ip4(a)
        if n4 is None or len(words) < 4:
            return
        m = _ip4(words[3])
        prefix = _prefix_of_mask(m) if m is not None else _small_int(words[3])
        if prefix is None:
            return
        self.addresses.append(
            IfAddress(
                address=a,
                mask=_dotted(_mask_of(prefix)),
                prefix_len=prefix,
                sub="sub" in low[4:],
                ev=ev,
            )
        )
        self.mark("addresses", ev)

    def _nat_outbound(self, ev: Line, words: list[str], low: list[str]) -> None:
        acl = _int(low[2]) if len(low) > 2 else None
        group = None
        iface = None
        if "address-group" in low:
            i = low.index("address-group")
            group = words[i + 1] if i + 1 < len(words) else None
        if "interface" in low:
            iface, _ = _join_ifname(words, low.index("interface") + 1)
        self.nat_out.append(
            NatOutbound(
                acl=acl,
                address_group=group,
                easy_ip=group is None,
                interface=iface,
                no_pat="no-pat" in low,
                ev=ev,
            )
        )
        self.mark("nat_outbound", ev)

    def facts(self, out: _Out) -> None:
        fields = dict(self.f)
        lines = dict(self.lines)
        if "zone" not in fields:
            hit = out.zones.get(ifkey(self.name))
            if hit is not None:
                fields["zone"], lines["zone"] = hit
        out.add(
            CfgInterface,
            "cfg-interface",
            self.ev,
            lines,
            name=self.name,
            addresses=tuple(self.addresses),
            ipv6_addresses=tuple(self.v6),
            nat_outbound=tuple(self.nat_out),
            nat_servers=tuple(self.nat_srv),
            **fields,
        )


def parse_nat_server(ev: Line, words: list[str]) -> NatServerEntry | None:
    """``nat server ...`` (interface or system view, AR and USG forms)."""
    low = [w.lower() for w in words]
    if len(low) < 4 or low[:2] != ["nat", "server"]:
        return None
    f: dict[str, object] = {}
    i = 2
    n = len(low)
    if low[i] not in ("protocol", "global", "zone"):
        f["name"] = words[i]
        i += 1
    while i < n:
        k = low[i]
        if k == "protocol" and i + 1 < n:
            f["protocol"] = low[i + 1]
            i += 2
        elif k == "zone" and i + 1 < n:
            i += 2
        elif k == "global" and i + 1 < n:
            i += 1
            if low[i] == "interface":
                f["global_interface"], i = _join_ifname(words, i + 1)
            elif low[i] == "current-interface":
                f["global_interface"] = "current-interface"
                i += 1
            else:
                f["global_address"] = words[i]
                i += 1
            ports = []
            while (
                i < n and low[i] not in ("inside", "vpn-instance", "no-reverse") and len(ports) < 2
            ):
                ports.append(words[i])
                i += 1
            if ports:
                f["global_port"] = " ".join(ports)
        elif k == "inside" and i + 1 < n:
            f["inside_address"] = words[i + 1]
            i += 2
            if i < n and low[i] not in ("vpn-instance", "no-reverse", "description", "vrrp"):
                f["inside_port"] = words[i]
                i += 1
        elif k == "no-reverse":
            f["no_reverse"] = True
            i += 1
        elif k == "description":
            break
        else:
            i += 1
    return NatServerEntry(ev=ev, **f)  # type: ignore[arg-type]


class _IkePeer(_Section):
    claims_words = frozenset(
        """pre-shared-key ike-proposal remote-address local-address local-id-type local-id
        remote-id-type remote-id remote-name nat dpd exchange-mode version certificate pki sa
        rsa service-scheme config-exchange inband lifetime-notification-message
        local-id-preference authentication-address""".split()
    )

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        super().__init__(ev, words, indent)
        self.name = words[2]
        self.f: dict[str, object] = {}
        self.on: list[int] = []
        self.off: list[int] = []
        self.remote: list[str] = []
        self.auth: list[str] = []
        self.rids: list[str] = []
        self.header_version: str | None = None
        if len(words) > 3 and words[3].lower() in ("v1", "v2"):
            self.header_version = words[3].lower()
            self.on.append(int(self.header_version[1]))
            self.mark("version", ev)
        self.mark("name", ev)

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        n = len(low)
        f = self.f
        if low[0] == "undo" and n > 1:
            if low[1] == "version" and n > 2 and low[2] in ("1", "2"):
                self.off.append(int(low[2]))
                self.mark("version", ev)
            elif low[1:3] == ["nat", "traversal"]:
                f["nat_traversal"] = False
                self.mark("nat_traversal", ev)
            return
        k = low[0]
        if k == "version" and n > 1 and low[1] in ("1", "2"):
            self.on.append(int(low[1]))
            self.mark("version", ev)
        elif k == "pre-shared-key":
            f["pre_shared_key"] = True
            self.mark("pre_shared_key", ev)
        elif k == "exchange-mode" and n > 1:
            f["exchange_mode"] = low[1]
            self.mark("exchange_mode", ev)
        elif k == "ike-proposal" and n > 1:
            f["ike_proposal"] = _int(low[1])
            self.mark("ike_proposal", ev)
        elif k == "remote-address" and n > 1:
            self._remote(ev, words, low)
        elif k == "local-address" and n > 1:
            f["local_address"] = words[-1]
            self.mark("local_address", ev)
        elif k in ("local-id-type", "remote-id-type") and n > 1:
            f[k.replace("-", "_")] = low[1]
            self.mark(k.replace("-", "_"), ev)
        elif k == "local-id" and n > 1:
            f["local_id"] = " ".join(words[1:])
            self.mark("local_id", ev)
        elif k == "remote-id" and n > 1:
            self.rids.append(" ".join(words[1:]))
            self.mark("remote_ids", ev)
        elif k == "remote-name" and n > 1:
            f["remote_name"] = " ".join(words[1:])
            self.mark("remote_name", ev)
        elif k == "nat" and low[1:2] == ["traversal"]:
            f["nat_traversal"] = True
            self.mark("nat_traversal", ev)
        elif k == "dpd" and n > 2:
            self._dpd(ev, low)
        elif k == "pki" and n > 2 and low[1] == "realm":
            f["pki_realm"] = words[2]
            self.mark("pki_realm", ev)
        elif k == "sa" and n > 3 and low[1] == "binding" and low[2] == "vpn-instance":
            f["vpn_instance"] = words[3]
            self.mark("vpn_instance", ev)

    def _remote(self, ev: Line, words: list[str], low: list[str]) -> None:
        i = 1
        if low[i] == "authentication-address":
            self.auth.append("-".join(w for w in words[2:4] if is_ip(w)))
            self.mark("auth_addresses", ev)
            return
        if low[i] == "host-name" and len(words) > 2:
            self.f["remote_host"] = words[2]
            self.mark("remote_host", ev)
            return
        if low[i] == "vpn-instance" and len(words) > 3:
            self.f["remote_vpn_instance"] = words[2]
            i = 3
        elif low[i] == "ipv6":
            i = 2
        ips = [w for w in words[i : i + 2] if is_ip(w)]
        if ips:
            self.remote.append("-".join(ips))
            self.mark("remote_addresses", ev)

    def _dpd(self, ev: Line, low: list[str]) -> None:
        keys = {
            "type": "dpd_type",
            "idle-time": "dpd_idle",
            "retransmit-interval": "dpd_retransmit",
            "retry-limit": "dpd_retry",
            "msg": "dpd_msg",
        }
        field = keys.get(low[1])
        if field is None:
            return
        self.f[field] = low[2] if field in ("dpd_type", "dpd_msg") else _int(low[2])
        self.mark(field, ev)

    def facts(self, out: _Out) -> None:
        version = self.header_version
        if version is None:
            left = {1, 2} - set(self.off)
            if self.off and len(left) == 1:
                version = f"v{left.pop()}"
            elif not self.off and len(set(self.on)) == 1:
                version = f"v{self.on[0]}"
        out.add(
            CfgIkePeer,
            "cfg-ike-peer",
            self.ev,
            self.lines,
            name=self.name,
            version=version,
            versions_on=tuple(sorted(set(self.on))),
            versions_off=tuple(sorted(set(self.off))),
            remote_addresses=tuple(self.remote),
            auth_addresses=tuple(self.auth),
            remote_ids=tuple(self.rids),
            **self.f,
        )


class _IkeProposal(_Section):
    claims_words = frozenset(
        "encryption-algorithm authentication-algorithm integrity-algorithm prf dh "
        "authentication-method sa description".split()
    )
    _MULTI: ClassVar[dict[str, str]] = {
        "encryption-algorithm": "encryption",
        "authentication-algorithm": "authentication",
        "integrity-algorithm": "integrity",
        "prf": "prf",
        "dh": "dh",
    }

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        super().__init__(ev, words, indent)
        self.number = _int(words[2]) or 0
        self.f: dict[str, object] = {}
        self.mark("number", ev)

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        k = low[0]
        if k in self._MULTI and len(low) > 1:
            field = self._MULTI[k]
            self.f[field] = _values(words, 1)
            self.mark(field, ev)
        elif k == "authentication-method" and len(low) > 1:
            self.f["auth_method"] = low[1]
            self.mark("auth_method", ev)
        elif k == "sa" and len(low) > 2 and low[1] == "duration":
            self.f["sa_duration"] = _int(low[2])
            self.mark("sa_duration", ev)

    def facts(self, out: _Out) -> None:
        out.add(
            CfgIkeProposal, "cfg-ike-proposal", self.ev, self.lines, number=self.number, **self.f
        )


class _IpsecProposal(_Section):
    claims_words = frozenset("transform esp ah encapsulation-mode description".split())

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        super().__init__(ev, words, indent)
        self.name = words[2]
        self.f: dict[str, object] = {}
        self.mark("name", ev)

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        k = low[0]
        n = len(low)
        if k == "transform" and n > 1:
            self.f["transform"] = low[1]
            self.mark("transform", ev)
        elif k in ("esp", "ah") and n > 2:
            kind = {
                "authentication-algorithm": "authentication",
                "encryption-algorithm": "encryption",
            }.get(low[1])
            if kind is not None:
                field = f"{k}_{kind}"
                self.f[field] = _values(words, 2)
                self.mark(field, ev)
        elif k == "encapsulation-mode" and n > 1:
            self.f["encapsulation"] = low[1]
            self.mark("encapsulation", ev)

    def facts(self, out: _Out) -> None:
        out.add(
            CfgIpsecProposal, "cfg-ipsec-proposal", self.ev, self.lines, name=self.name, **self.f
        )


class _IpsecPolicy(_Section):
    claims_words = frozenset(
        """security ike-peer proposal pfs sa tunnel route alias local-address respond-only
        scenario match qos anti-replay connect sa-trigger description""".split()
    )

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        super().__init__(ev, words, indent)
        low = [w.lower() for w in words]
        self.f: dict[str, object] = {"name": words[2]}
        if low[1] == "profile":
            self.f["kind"] = "profile"
        else:
            self.f["kind"] = "template" if low[1] == "policy-template" else "policy"
            self.f["seq"] = _int(low[3]) if len(low) > 3 else None
            if low[1] == "policy" and len(low) > 4 and low[4] in ("isakmp", "manual"):
                self.f["mode"] = low[4]
            if "template" in low[4:]:
                i = low.index("template", 4)
                if i + 1 < len(words):
                    self.f["template"] = words[i + 1]
                    self.mark("template", ev)
        self.props: list[str] = []
        self.mark("name", ev)

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        k = low[0]
        n = len(low)
        f = self.f
        if k == "security" and n > 2 and low[1] == "acl":
            if low[2] == "name" and n > 3:
                f["acl_name"] = words[3]
            elif low[2].isdecimal():
                f["acl"] = _int(low[2])
            else:
                f["acl_name"] = words[2]
            self.mark("acl", ev)
        elif k == "ike-peer" and n > 1:
            f["ike_peer"] = words[1]
            self.mark("ike_peer", ev)
        elif k == "proposal" and n > 1:
            self.props.extend(words[1:])
            self.mark("proposals", ev)
        elif k == "pfs" and n > 1:
            f["pfs"] = low[1]
            self.mark("pfs", ev)
        elif k == "sa" and n > 2 and low[1] == "trigger-mode":
            f["trigger_mode"] = low[2]
            self.mark("trigger_mode", ev)
        elif k == "sa" and n > 3 and low[1] == "duration":
            field = {"time-based": "sa_duration_time", "traffic-based": "sa_duration_traffic"}.get(
                low[2]
            )
            if field is not None:
                f[field] = _int(low[3])
                self.mark(field, ev)
        elif k == "tunnel" and n > 2 and low[1] in ("local", "remote"):
            f["tunnel_" + low[1]] = words[2]
            self.mark("tunnel_" + low[1], ev)
        elif k == "route" and n > 2 and low[1] == "inject":
            f["route_inject"] = low[2]
            self.mark("route_inject", ev)
        elif k == "alias" and n > 1:
            f["alias"] = words[1]
            self.mark("alias", ev)

    def facts(self, out: _Out) -> None:
        out.add(
            CfgIpsecPolicy,
            "cfg-ipsec-policy",
            self.ev,
            self.lines,
            proposals=tuple(self.props),
            **self.f,
        )


def _acl_kind(number: int | None) -> str | None:
    if number is None:
        return None
    for low, high, kind in (
        (2000, 2999, "basic"),
        (3000, 3999, "advanced"),
        (4000, 4999, "layer2"),
        (5000, 5999, "user"),
        (6000, 6999, "user"),
        (9000, 9999, "acl-rule-set"),
    ):
        if low <= number <= high:
            return kind
    return None


_RULE_STOP = frozenset(
    """source destination source-port destination-port vpn-instance time-range logging
    fragment icmp-type tos dscp precedence tcp-flag""".split()
)


def parse_acl_rule(ev: Line, words: list[str]) -> AclRule | None:
    """``rule [ID] permit|deny [PROTOCOL] [source ...] [destination ...] [ports] ...``."""
    low = [w.lower() for w in words]
    n = len(low)
    if n < 2 or low[0] != "rule":
        return None
    i = 1
    rid = None
    if low[i].isdecimal():
        rid = _int(low[i])
        i += 1
    if i >= n or low[i] not in ("permit", "deny"):
        return None
    f: dict[str, object] = {"id": rid, "action": low[i]}
    i += 1
    if i < n and low[i] not in _RULE_STOP and not low[i].startswith("("):
        f["protocol"] = low[i]
        i += 1
    extra: list[str] = []
    while i < n:
        k = low[i]
        if k in ("source", "destination"):
            spec, j = parse_addr(words, i + 1, wildcard=True)
            if spec is None:
                extra.append(words[i])
                i += 1
                continue
            f[k] = spec
            i = j
        elif k in ("source-port", "destination-port") and i + 2 < n:
            width = 3 if low[i + 1] == "range" else 2  # "eq 500" / "range 1 100"
            f[k.replace("-", "_")] = " ".join(words[i + 1 : i + 1 + width])
            i += 1 + width
        elif k == "vpn-instance" and i + 1 < n:
            f["vpn_instance"] = words[i + 1]
            i += 2
        elif k.startswith("("):  # "(4 matches)", "(0 times matched)" from display acl
            num = k[1:]
            if num.isdecimal():
                f["matches"] = _int(num)
            break
        else:
            extra.append(words[i])
            i += 1
    return AclRule(ev=ev, extra=tuple(extra), **f)  # type: ignore[arg-type]


class _Acl(_Section):
    claims_words = frozenset(("rule", "description", "step"))

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        super().__init__(ev, words, indent)
        low = [w.lower() for w in words]
        self.f: dict[str, object] = {}
        i = 1
        if i < len(low) and low[i] == "ipv6":
            self.f["ipv6"] = True
            i += 1
        rest = low[i:]
        if rest[:1] == ["number"] and len(rest) > 1:
            self.f["number"] = _int(rest[1])
            i += 2
        elif rest[:1] == ["name"] and len(rest) > 1:
            self.f["name"] = words[i + 1]
            i += 2
            if i < len(low) and low[i].isdecimal():
                self.f["number"] = _int(low[i])
                i += 1
            elif i < len(low) and low[i] in ("basic", "advance", "advanced"):
                self.f["kind"] = "basic" if low[i] == "basic" else "advanced"
        elif rest[:1] and rest[0].isdecimal():
            self.f["number"] = _int(rest[0])
            i += 1
        if "match-order" in low:
            j = low.index("match-order")
            if j + 1 < len(low):
                self.f["match_order"] = low[j + 1]
        if "kind" not in self.f:
            self.f["kind"] = _acl_kind(self.f.get("number"))  # type: ignore[arg-type]
        self.rules: list[AclRule] = []
        self.mark("number", ev)

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        if low[0] == "rule":
            rule = parse_acl_rule(ev, words)
            if rule is not None:
                self.rules.append(rule)
                self.mark("rules", ev)

    def facts(self, out: _Out) -> None:
        out.add(CfgAcl, "cfg-acl", self.ev, self.lines, rules=tuple(self.rules), **self.f)


_DEFAULT_PRIORITY = {"local": 100, "trust": 85, "dmz": 50, "untrust": 5}


class _Rule:
    """A policy rule being read (shared by NAT and security policies)."""

    def __init__(self, ev: Line, name: str, position: int) -> None:
        self.ev = ev
        self.name = name
        self.position = position
        self.f: dict[str, object] = {}
        self.lists: dict[str, list] = {}
        self.lines: dict[str, Line] = {"name": ev}

    def add(self, field: str, value: object, ev: Line) -> None:
        self.lists.setdefault(field, []).append(value)
        self.lines.setdefault(field, ev)

    def set(self, field: str, value: object, ev: Line) -> None:
        self.f[field] = value
        self.lines.setdefault(field, ev)


class _PolicyContainer(_Section):
    """``nat-policy`` / ``security-policy`` (USG) and ``[nat-]policy interzone A B dir``."""

    family = ""
    cls: type[State] = State

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        super().__init__(ev, words, indent)
        low = [w.lower() for w in words]
        self.interzone: tuple[str, ...] = ()
        self.direction: str | None = None
        iz = low.index("interzone") if "interzone" in low else -1
        if iz >= 0 and len(low) > iz + 3:
            self.interzone = (words[iz + 1], words[iz + 2])
            self.direction = low[iz + 3]
        self.rules: list[_Rule] = []
        self.cur: _Rule | None = None

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        n = len(low)
        k = low[0]
        if k == "rule" and n > 2 and low[1] == "name":
            self._new(ev, " ".join(words[2:]))
            return
        if k == "policy" and n == 2 and low[1].isdecimal():
            self._new(ev, low[1])
            return
        if k == "default" and n > 2 and low[1] == "action":
            self.default_action(ev, low[2])
            return
        r = self.cur
        if r is None:
            return
        if k == "policy" and n > 2 and low[1] in ("source", "destination", "service"):
            k, words, low = low[1], words[1:], low[1:]  # old "policy source A W" forms
            k = {"source": "source-address", "destination": "destination-address"}.get(k, k)
            n = len(low)
        if k in ("source-zone", "destination-zone") and n > 1:
            for z in words[1:]:
                r.add(k.replace("-", "_") + "s", z, ev)
        elif k in ("source-address", "destination-address") and n > 1:
            spec, _ = parse_addr(words, 1, wildcard=False)
            if spec is not None:
                spec = msgspec.structs.replace(spec, ev=ev)
                r.add(k.replace("-", "_") + "es", spec, ev)
        elif k == "service" and n > 1:
            if low[1] == "protocol":  # "service protocol udp destination-port 500": one item
                r.add("services", " ".join(low[2:]), ev)
            else:  # "service esp http", old "policy service service-set ike"
                for v in words[2:] if low[1] == "service-set" else words[1:]:
                    r.add("services", v, ev)
        elif k == "egress-interface" and n > 1:
            r.add("egress_interfaces", _join_ifname(words, 1)[0], ev)
        elif k == "application" and n > 1:
            r.add("applications", " ".join(words[1:]), ev)
        elif k == "action" and n > 1:
            self._action(r, ev, words, low)
        elif k == "address-group" and n > 1:
            r.set("translation", "address-group", ev)
            r.set("address_group", words[1], ev)
        elif k == "easy-ip" and n > 1:
            r.set("translation", "easy-ip", ev)
            r.set("easy_ip_interface", _join_ifname(words, 1)[0], ev)
        elif k == "disable":
            r.set("enabled", False, ev)

    def default_action(self, ev: Line, action: str) -> None:
        """``default action X`` (security policies)."""

    def _action(self, r: _Rule, ev: Line, words: list[str], low: list[str]) -> None:
        r.set("action", low[1], ev)
        if "easy-ip" in low:
            r.set("translation", "easy-ip", ev)
        if "address-group" in low:
            i = low.index("address-group")
            r.set("translation", "address-group", ev)
            if i + 1 < len(words):
                r.set("address_group", words[i + 1], ev)

    def _new(self, ev: Line, name: str) -> None:
        self.cur = _Rule(ev, name, len(self.rules))
        self.rules.append(self.cur)

    def _zones(self, out: _Out) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if len(self.interzone) != 2 or self.direction not in ("inbound", "outbound"):
            return (), ()
        a, b = self.interzone
        pa = out.priorities.get(a.lower())
        pb = out.priorities.get(b.lower())
        if pa is None or pb is None or pa == pb:
            return (), ()
        high, low = (a, b) if pa > pb else (b, a)
        return ((high,), (low,)) if self.direction == "outbound" else ((low,), (high,))

    def facts(self, out: _Out) -> None:
        src, dst = self._zones(out)
        for r in self.rules:
            fields: dict[str, object] = dict(r.f)
            for k, v in r.lists.items():
                fields[k] = tuple(v)
            if self.interzone:
                fields.setdefault("source_zones", src)
                fields.setdefault("destination_zones", dst)
            out.add(
                self.cls,
                self.family,
                r.ev,
                r.lines,
                name=r.name,
                position=r.position,
                interzone=self.interzone,
                direction=self.direction,
                **fields,
            )


_POLICY_CLAIMS = frozenset(
    """rule policy source-zone destination-zone source-address destination-address service
    action egress-interface description disable enable address-group easy-ip application user
    time-range profile source-address-exclude destination-address-exclude long-link session
    default""".split()
)


class _NatPolicy(_PolicyContainer):
    claims_words = _POLICY_CLAIMS
    family = "cfg-nat-policy-rule"
    cls = CfgNatPolicyRule

    def facts(self, out: _Out) -> None:
        for r in self.rules:
            r.lists.pop("applications", None)
        super().facts(out)


class _SecurityPolicy(_PolicyContainer):
    claims_words = _POLICY_CLAIMS
    family = "cfg-security-policy-rule"
    cls = CfgSecurityPolicyRule

    def __init__(
        self,
        ev: Line,
        words: list[str],
        indent: int,
        on_default: Callable[[Line, str], None] | None = None,
    ) -> None:
        super().__init__(ev, words, indent)
        self.on_default = on_default

    def default_action(self, ev: Line, action: str) -> None:
        if self.on_default is not None:
            self.on_default(ev, action)

    def facts(self, out: _Out) -> None:
        for r in self.rules:
            for k in ("translation", "address_group", "easy_ip_interface"):
                r.f.pop(k, None)
            r.lists.pop("egress_interfaces", None)
        super().facts(out)


class _Zone(_Section):
    claims_words = frozenset(("set", "add", "priority", "description"))

    def __init__(self, ev: Line, words: list[str], indent: int) -> None:
        super().__init__(ev, words, indent)
        low = [w.lower() for w in words]
        i = 3 if len(low) > 3 and low[2] == "name" else 2
        self.name = words[i] if i < len(words) else words[-1]
        self.priority: int | None = _DEFAULT_PRIORITY.get(self.name.lower())
        self.members: list[tuple[str, Line]] = []
        self.mark("name", ev)

    def sub(self, ev: Line, words: list[str], low: list[str]) -> None:
        if low[0] == "set" and len(low) > 2 and low[1] == "priority":
            self.priority = _int(low[2])
            self.mark("priority", ev)
        elif low[0] == "priority" and len(low) > 1:
            self.priority = _int(low[1])
            self.mark("priority", ev)
        elif low[0] == "add" and len(low) > 2 and low[1] == "interface":
            name, _ = _join_ifname(words, 2)
            if name:
                self.members.append((name, ev))
                self.mark("interfaces", ev)

    def facts(self, out: _Out) -> None:
        out.add(
            CfgZone,
            "cfg-zone",
            self.ev,
            self.lines,
            name=self.name,
            priority=self.priority,
            interfaces=tuple(n for n, _ in self.members),
        )


# -- line classification --------------------------------------------------------------------------


def _header(low: list[str]) -> str | None:
    """The kind of section a line opens, or None.  Shapes are exact (word counts included) so
    that prose such as "ike peer configuration not found for ..." opens nothing."""
    n = len(low)
    k = low[0]
    if k == "interface":
        if n == 2 or (n == 3 and low[2][:1].isdecimal()):
            return "interface"
        return None
    if k == "ike" and n >= 3:
        if low[1] == "peer" and (n == 3 or (n == 4 and low[3] in ("v1", "v2"))):
            return "ike-peer"
        if low[1] == "proposal" and n == 3 and low[2].isdecimal():
            return "ike-proposal"
        return None
    if k == "ipsec" and n >= 3:
        if low[1] in ("proposal", "profile") and n == 3:
            return "ipsec-" + low[1].replace("profile", "policy")
        if low[1] == "policy-template" and n == 4 and low[3].isdecimal():
            return "ipsec-policy"
        if low[1] == "policy" and 4 <= n <= 8 and low[3].isdecimal():
            return "ipsec-policy"
        return None
    if k == "acl" and 2 <= n <= 6:
        # "acl 150" is Cisco; VRP numbers start at 2000
        if low[1] in ("number", "name", "ipv6") or (
            len(low[1]) == 4 and low[1].isdecimal() and int(low[1]) >= 2000
        ):
            return "acl"
        return None
    if k in ("nat-policy", "policy-nat", "security-policy", "policy-security", "policy"):
        if (n == 1 and k != "policy") or (n == 5 and low[1] == "interzone"):
            return "nat-policy" if "nat" in k else "security-policy"
        return None
    if k == "firewall" and 3 <= n <= 6 and low[1] == "zone":
        return "zone"
    return None


# Top-level words that never are a sub-command of the sections we read: in flat pastes they end
# the current section.
_OTHER_TOP = frozenset(
    """aaa l2tp-group l2tp user-interface ospf ospfv3 bgp rip ripng isis vlan sysname snmp-agent
    ntp-service info-center radius-server hwtacacs-server stelnet ssh http pki rsa time-range
    clock license web-manager telnet ftp return user-manage local-user traffic-policy
    route-policy ip-link nqa capwap wlan domain dns-server ip-prefix firewall drop
    sa-trigger""".split()
)


def _always_top(low: list[str]) -> bool:
    """System-view single lines that can never belong to a section (exact shapes: prose such as
    "ikev1 phase1-phase2 sa dependent offline", an offline reason, is no configuration)."""
    k = low[0]
    n = len(low)
    if k in ("ip", "ipv6"):
        return n >= 4 and low[1] == "route-static"
    if k == "sysname":
        return n == 2
    if k == "ipsec" and n > 2:
        if low[1] == "authentication":
            return low[2:] == ["sha2", "compatible", "enable"]
        if low[1] == "sha2":
            return low[2:] in (["compatible", "enable"], ["compatible", "disable"])
        if low[1] == "sa":
            return n == 5 and low[2] == "global-duration" and low[4].isdecimal()
        if low[1] == "anti-replay":
            return low[2:] in (["enable"], ["disable"]) or (
                n == 4 and low[2] == "window" and low[3].isdecimal()
            )
        return False
    if k == "ikev1":
        return low[1:] == ["phase1-phase2", "sa", "dependent"]
    if k == "firewall":
        return n == 3 and low[1] == "tcp-mss" and low[2].isdecimal()
    if k == "ike" and n > 2:
        if low[1] == "local-name":
            return n == 3
        if low[1] == "nat-keepalive-timer":
            return n == 4 and low[3].isdecimal()
        return n == 4 and low[1] == "dpd" and low[2] in ("type", "idle-time")
    return False


def _configish(text: str) -> bool:
    """Could ``text`` (stripped) be a configuration line?  Display outputs, prose, log lines and
    table rows are not: VRP commands start with a lower-case keyword and hold no ``key : value``."""
    c = text[0]
    if c in "#!":
        return True
    if not ("a" <= c <= "z"):
        return False
    if text.startswith(("description ", "remote-id ", "local-id ")):
        return True
    if " :" in text or text.endswith(":"):
        return False
    # "Key: value" shapes; IPv6 addresses ending in "::" are no keys
    return not any(w.endswith(":") and not is_ip(w) for w in text.split())


def parse_static_route(ev: Line, words: list[str]) -> dict | None:
    """The fields of ``ip route-static ...`` / ``ipv6 route-static ...`` (None if unreadable)."""
    low = [w.lower() for w in words]
    n = len(low)
    ipv6 = low[0] == "ipv6"
    i = 2
    f: dict[str, object] = {"ipv6": ipv6}
    if i + 1 < n and low[i] == "vpn-instance":
        f["vpn_instance"] = words[i + 1]
        i += 2
    if i + 1 >= n:
        return None
    prefix_tok, mask_tok = words[i], words[i + 1]
    if ipv6:
        plen = _int(mask_tok)
        if not is_ip(prefix_tok) or plen is None or plen > 128:
            return None
        f.update(prefix=prefix_tok, mask=None, prefix_len=plen)
    else:
        a = _ip4(prefix_tok)
        m = _ip4(mask_tok)
        plen = _prefix_of_mask(m) if m is not None else _small_int(mask_tok)
        if a is None or plen is None:
            return None
        f.update(prefix=prefix_tok, mask=_dotted(_mask_of(plen)), prefix_len=plen)
    i += 2
    while i < n:
        k = low[i]
        if k == "preference" and i + 1 < n:
            f["preference"] = _int(low[i + 1])
            i += 2
        elif k == "tag" and i + 1 < n:
            i += 2
        elif k == "description":
            f["description"] = " ".join(words[i + 1 :]) or None
            break
        elif k == "track":
            f["track"] = " ".join(words[i + 1 :]) or None
            break
        elif k == "vpn-instance" and i + 1 < n:
            f["next_hop_vpn"] = words[i + 1]
            i += 2
        elif k == "public":
            f["next_hop_vpn"] = "public"
            i += 1
        elif is_ip(words[i]):
            f.setdefault("next_hop", words[i])
            i += 1
        elif k in ("permanent", "inherit-cost", "no-advertise", "no-install", "bfd", "name"):
            i += 2 if k in ("bfd", "name") else 1
        elif "interface" not in f and "next_hop" not in f and words[i][:1].isalpha():
            f["interface"], i = _join_ifname(words, i)
        else:
            i += 1
    return f


# -- the block ------------------------------------------------------------------------------------


class _ConfigBlock:
    """One configuration text (one command output, or one pasted configuration)."""

    def __init__(self, ctx: Context, command: str | None) -> None:
        self.ctx = ctx
        self.prompted = command is not None
        self.first: Line | None = None
        self.started = False  # a configuration line was seen
        self.after_return = False
        self.saw_return = False
        self.filtered = False
        self.implied: Callable[[Line], _Section] | None = None
        self.header_seen = False
        self.cur: _Section | None = None
        self.done: list[_Section] = []
        self.g: dict[str, object] = {}
        self.glines: dict[str, Line] = {}
        if command is not None:
            self._from_command(command)

    # -- command ------------------------------------------------------------------------------
    def _from_command(self, command: str) -> None:
        body, pipe, _ = command.partition("|")
        words = body.split()
        low = [w.lower() for w in words]
        self.filtered = (
            bool(pipe)
            or any(w not in ("all", "inactive") for w in low[2:])
            or (len(low) > 1 and "this".startswith(low[1]))
        )
        if len(low) < 4:
            return
        if "configuration".startswith(low[2]) and len(low[2]) >= 4:
            section = low[3]
            if section in ("policy-nat", "nat-policy"):
                self.implied = lambda ev: _NatPolicy(ev, ["nat-policy"], -1)
            elif section in ("policy-security", "security-policy"):
                self.implied = lambda ev: _SecurityPolicy(
                    ev, ["security-policy"], -1, self._default_action
                )
        elif "interface".startswith(low[2]) and len(low[2]) >= 3:
            name = "".join(words[3:])
            self.implied = lambda ev: _Interface(ev, ["interface", name], -1, name)

    # -- feeding ------------------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        raw = ev.text
        text = raw.strip()
        if self.first is None:
            self.first = ev
        if not text:
            return True
        if self.after_return:
            return False
        if not _configish(text):
            if self.prompted and (not self.started or raw[:1].isspace()):
                return True  # a banner before the configuration, or a wrapped fragment
            return False
        if not self.started:
            self.first = ev  # CfgGlobals cite the first configuration line
        self.started = True
        try:
            self._line(ev, raw, text)
        except (ValueError, IndexError):  # a truncated or garbled line: skip it, keep going
            pass
        return True

    def _line(self, ev: Line, raw: str, text: str) -> None:
        c = text[0]
        if c == "#":
            self._close_section()
            return
        if c == "!":
            return
        words = text.split()
        low = [w.lower() for w in words]
        indent = len(raw) - len(raw.lstrip())
        if low == ["return"]:
            self._close_section()
            self.saw_return = True
            self.after_return = True
            return
        if self._is_sub(indent, low):
            assert self.cur is not None
            self.cur.sub(ev, words, low)
            return
        if _always_top(low):
            self._close_section()
            self._top(ev, words, low)
            return
        kind = _header(low)
        if kind is not None:
            self._close_section()
            self.header_seen = True
            self.cur = self._open(kind, ev, words, indent)
            return
        if self.cur is None and self.implied is not None and not self.header_seen:
            self.cur = self.implied(ev)
            self.cur.sub(ev, words, low)
            return
        self._close_section()
        if low[0] == "nat" and low[1:2] == ["server"]:
            entry = parse_nat_server(ev, words)
            if entry is not None:
                self._fact(CfgNatServer, "cfg-nat-server", ev, {"entry": entry})
            return
        if low[0] == "ipsec" and len(low) == 3 and low[1] in ("df-bit", "fragmentation"):
            self._set_global(low[1].replace("-", "_"), low[2], ev)
            return
        self.cur = _Other(ev, words, indent)  # an unknown top-level section: skip its body

    def _is_sub(self, indent: int, low: list[str]) -> bool:
        """Does this line belong to the open section?"""
        cur = self.cur
        if cur is None or _always_top(low):
            return False
        if indent > cur.indent:
            cur.mode = cur.mode or "indented"
            return True
        if cur.mode == "indented":
            # Deeper lines belong to the section.  A sub-command of ours at the header's column
            # lost its indentation to a "---- More ----" erase; a header never does.
            return _header(low) is None and cur.claims(low)
        if indent < cur.indent:
            return False
        if _header(low) is not None and not (
            low[:2] == ["ipsec", "profile"] and isinstance(cur, _Interface)  # tunnel interfaces
        ):
            return False
        if cur.claims(low):
            cur.mode = "flat"
            return True
        return cur.mode == "flat" and low[0] not in _OTHER_TOP  # a sub-command we do not read

    def _open(self, kind: str, ev: Line, words: list[str], indent: int) -> _Section:
        if kind == "interface":
            return _Interface(ev, words, indent)
        if kind == "ike-peer":
            return _IkePeer(ev, words, indent)
        if kind == "ike-proposal":
            return _IkeProposal(ev, words, indent)
        if kind == "ipsec-proposal":
            return _IpsecProposal(ev, words, indent)
        if kind == "ipsec-policy":
            return _IpsecPolicy(ev, words, indent)
        if kind == "acl":
            return _Acl(ev, words, indent)
        if kind == "nat-policy":
            return _NatPolicy(ev, words, indent)
        if kind == "security-policy":
            return _SecurityPolicy(ev, words, indent, self._default_action)
        return _Zone(ev, words, indent)

    def _close_section(self) -> None:
        cur = self.cur
        self.cur = None
        if cur is not None and not isinstance(cur, _Other):
            self.done.append(cur)
            if len(self.done) > _MAX_PENDING:
                self._flush()

    # -- top-level lines ------------------------------------------------------------------------
    def _default_action(self, ev: Line, action: str) -> None:
        self._set_global("security_default_action", action, ev)

    def _set_global(self, field: str, value: object, ev: Line) -> None:
        self.g[field] = value
        self.glines[field] = ev

    def _fact(self, cls: type[State], family: str, ev: Line, fields: dict[str, object]) -> None:
        self.done.append(_Single(cls, family, ev, fields))

    def _top(self, ev: Line, words: list[str], low: list[str]) -> None:
        k = low[0]
        n = len(low)
        if k == "sysname" and n > 1:
            name = words[1]
            if self.g.get("sysname") not in (None, name):
                self._flush()  # a second device's configuration in the same paste
                self.first = ev
            self._set_global("sysname", name, ev)
        elif k in ("ip", "ipv6"):
            f = parse_static_route(ev, words)
            if f is not None:
                self._fact(CfgStaticRoute, "cfg-static-route", ev, f)
        elif k == "ipsec" and low[1] == "authentication" and "sha2" in low and "enable" in low:
            self._set_global("sha2_compatible", True, ev)
        elif k == "ipsec" and low[1] == "sha2" and "compatible" in low:
            self._set_global("sha2_compatible", "enable" in low, ev)
        elif k == "ikev1" and "dependent" in low:
            self._set_global("ikev1_sa_dependent", True, ev)
        elif k == "firewall" and n > 2:
            self._set_global("tcp_mss", _int(low[2]), ev)
        elif k == "ipsec" and low[1] == "sa" and n > 4 and low[2] == "global-duration":
            field = {"time-based": "sa_global_time", "traffic-based": "sa_global_traffic"}.get(
                low[3]
            )
            if field is not None:
                self._set_global(field, _int(low[4]), ev)
        elif k == "ipsec" and low[1] == "anti-replay" and n > 2:
            if low[2] in ("enable", "disable"):
                self._set_global("anti_replay", low[2] == "enable", ev)
            elif low[2] == "window" and n > 3:
                self._set_global("anti_replay_window", _int(low[3]), ev)
        elif k == "ike" and low[1] == "local-name" and n > 2:
            self._set_global("ike_local_name", words[2], ev)
        elif k == "ike" and low[1] == "nat-keepalive-timer" and n > 3:
            self._set_global("nat_keepalive", _int(low[-1]), ev)
        elif k == "ike" and low[1] == "dpd" and n > 3:
            if low[2] == "type":
                self._set_global("dpd_type", low[3], ev)
            elif low[2] == "idle-time":
                self._set_global("dpd_idle", _int(low[3]), ev)

    # -- output -------------------------------------------------------------------------------
    def _flush(self) -> None:
        """Emit everything read so far (one device) and start afresh."""
        self._close_section()
        device = self.g.get("sysname") or self.ctx.device
        zones: dict[str, tuple[str, Line]] = {}
        priorities = dict(_DEFAULT_PRIORITY)
        for sec in self.done:
            if isinstance(sec, _Zone):
                for name, line in sec.members:
                    zones[ifkey(name)] = (sec.name, line)
                if sec.priority is not None:
                    priorities[sec.name.lower()] = sec.priority
        out = _Out(device if isinstance(device, str) else None, zones, priorities)
        for sec in self.done:
            sec.facts(out)
        # unprompted pastes are often excerpts: whole only with a sysname and the final return
        whole = self.saw_return and not self.filtered and (self.prompted or "sysname" in self.g)
        if whole or self.g:
            ev = self.ctx.prompt or self.first
            if ev is not None:
                out.add(CfgGlobals, "cfg-globals", ev, self.glines, whole=whole, **self.g)
        for fact in out.facts:
            self.ctx.emit(fact)
        self.done = []
        self.g = {}
        self.glines = {}

    def close(self) -> None:
        self._flush()


class _Single(_Section):
    """A single-line fact (static route, system-view NAT server) kept in configuration order."""

    def __init__(self, cls: type[State], family: str, ev: Line, fields: dict[str, object]) -> None:
        super().__init__(ev, [], 0)
        self.cls = cls
        self.family = family
        self.fields = fields

    def facts(self, out: _Out) -> None:
        out.add(self.cls, self.family, self.ev, {}, **self.fields)


class CurrentConfigParser:
    name = "huawei.current-configuration"
    vendor = VENDOR
    log_like = False
    priority = 100
    commands = (
        ("display", "current-configuration"),
        ("display", "saved-configuration"),
        ("display", "this"),
    )

    def accepts(self, text: str) -> bool:
        """A configuration pasted without its prompt: ``#``, ``sysname X`` or a section header
        we read (``rule`` lines alone are not enough: ``display acl`` prints those too)."""
        s = text.strip()
        if s == "#":
            return True
        if not s or not _configish(s) or len(s) > 512:
            return False
        low = s.lower().split()
        return _header(low) is not None or _always_top(low)

    def start(self, ctx: Context) -> _ConfigBlock:
        return _ConfigBlock(ctx, ctx.command if self._ours(ctx.command) else None)

    def _ours(self, command: str) -> bool:
        toks = command.split("|", 1)[0].lower().split()
        return (
            len(toks) >= 2
            and "display".startswith(toks[0])
            and any(
                c.startswith(toks[1])
                for c in ("current-configuration", "saved-configuration", "this")
            )
        )


PARSERS = (CurrentConfigParser,)
