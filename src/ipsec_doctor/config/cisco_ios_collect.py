"""Cisco IOS reader, first pass: walk the indentation tree once and collect every object the
tunnels are built from (interfaces, routes, ACLs, route-maps, NAT statements, ISAKMP policies,
keys and keyrings, ISAKMP/IKEv2 profiles, IKEv2 proposals/policies/keyrings, transform sets,
IPsec profiles, crypto maps and dynamic maps), each with the ``Line`` it came from.

Nothing here decides negotiation behaviour; ``cisco_ios_tunnels.py`` does.  Lines that belong to
crypto configuration but are not modelled are appended to ``notes`` so that nothing is silently
ignored.  Keys are digested (``psk_secret``) as soon as they are read and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Line
from .cisco_ios_tree import (
    AclError,
    Node,
    acl_rule,
    build_tree,
    is_v4,
    itf_name,
    make_line,
    mask_len,
    network,
    to_int,
)  # fmt: skip
from .model import Route, Selector


@dataclass
class Itf:
    name: str
    ev: Line
    addresses: list[str] = field(default_factory=list)  # primary first
    address_lines: list[Line] = field(default_factory=list)
    nat_role: str | None = None
    shutdown: bool = False
    crypto_map: str | None = None
    crypto_map_ev: Line | None = None
    tunnel: dict[str, Any] = field(default_factory=dict)  # source/destination/mode/protection


@dataclass
class Cfg:
    source: str
    hostname: str | None = None
    domain: str | None = None
    interfaces: dict[str, Itf] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    acls: dict[str, list[Selector]] = field(default_factory=dict)
    acl_ev: dict[str, Line] = field(default_factory=dict)
    route_maps: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    nat: list[dict[str, Any]] = field(default_factory=list)
    isakmp_policies: list[dict[str, Any]] = field(default_factory=list)
    isakmp_keys: list[dict[str, Any]] = field(default_factory=list)  # global keys
    keyrings: dict[str, dict[str, Any]] = field(default_factory=dict)
    isakmp_profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    isakmp_peers: dict[str, dict[str, Any]] = field(default_factory=dict)
    ikev2_proposals: dict[str, dict[str, Any]] = field(default_factory=dict)
    ikev2_policies: list[dict[str, Any]] = field(default_factory=list)
    ikev2_keyrings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ikev2_profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    transform_sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    ipsec_profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    crypto_maps: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    dynamic_maps: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    map_local_address: dict[str, tuple[str, Line]] = field(default_factory=dict)
    globals: dict[str, Line] = field(default_factory=dict)  # global switches
    ipsec_lifetime: dict[str, tuple[int, Line]] = field(default_factory=dict)
    flags: dict[str, Line] = field(default_factory=dict)
    notes: list[Line] = field(default_factory=list)

    def line(self, node: Node) -> Line:
        return make_line(self.source, node)


def collect(text: str, source: str) -> Cfg:
    cfg = Cfg(source=source)
    for node in build_tree(text):
        low = [w.lower() for w in node.words]
        try:
            _top(cfg, node, low)
        except (IndexError, ValueError):
            cfg.notes.append(cfg.line(node))  # a form we do not know: keep it visible
    return cfg


def _top(cfg: Cfg, node: Node, low: list[str]) -> None:
    w = node.words
    if low[0] == "hostname" and len(w) > 1:
        cfg.hostname = w[1]
    elif low[:3] in (["ip", "domain", "name"],) and len(w) > 3:
        cfg.domain = w[3]
    elif low[:2] == ["ip", "domain-name"] and len(w) > 2:
        cfg.domain = w[2]
    elif low[0] == "interface" and len(w) > 1:
        _interface(cfg, node)
    elif low[:2] == ["ip", "route"]:
        _route(cfg, node, low)
    elif low[0] == "access-list" and len(w) > 2:
        _numbered_acl(cfg, node, low)
    elif low[:2] == ["ip", "access-list"] and len(w) > 3:
        _named_acl(cfg, node, low)
    elif low[0] == "route-map" and len(w) > 1:
        _route_map(cfg, node, low)
    elif low[:4] == ["ip", "nat", "inside", "source"]:
        _nat(cfg, node, low)
    elif low[0] == "crypto":
        _crypto(cfg, node, low)
    elif low[:2] == ["no", "crypto"]:
        if low[2:] == ["ipsec", "nat-transparency", "udp-encapsulation"]:
            cfg.globals["no-nat-t"] = cfg.line(node)
            cfg.flags["no-nat-transparency"] = cfg.line(node)
        else:
            cfg.notes.append(cfg.line(node))
    elif low[:3] == ["ip", "nat", "outside"]:
        cfg.notes.append(cfg.line(node))


# ----------------------------------------------------------------------------- interfaces


def _interface(cfg: Cfg, node: Node) -> None:
    name = itf_name(node.words[1:])  # "interface Tunnel 10" == Tunnel10
    itf = cfg.interfaces.setdefault(name, Itf(name=name, ev=cfg.line(node)))
    for ch in node.children:
        w = ch.words
        low = [x.lower() for x in w]
        if low[:2] == ["ip", "address"] and len(w) >= 4 and is_v4(w[2]):
            plen = mask_len(w[3])
            if plen is None:
                cfg.notes.append(cfg.line(ch))
                continue
            addr = f"{w[2]}/{plen}"
            if "secondary" in low:
                itf.addresses.append(addr)
                itf.address_lines.append(cfg.line(ch))
            else:
                itf.addresses.insert(0, addr)
                itf.address_lines.insert(0, cfg.line(ch))
        elif low[:2] == ["ip", "address"] and len(w) > 2:
            cfg.notes.append(cfg.line(ch))  # dhcp / negotiated: address unknown
        elif low[:3] in (["ip", "nat", "inside"], ["ip", "nat", "outside"]):
            itf.nat_role = low[2]
        elif low[0] == "shutdown":
            itf.shutdown = True
        elif low[:2] == ["no", "shutdown"] or low[:2] == ["no", "shut"]:
            itf.shutdown = False
        elif low[:2] == ["crypto", "map"] and len(w) > 2:
            if itf.crypto_map is not None:
                cfg.notes.append(cfg.line(ch))
            itf.crypto_map, itf.crypto_map_ev = w[2], cfg.line(ch)
        elif low[0] == "tunnel" and len(w) > 1:
            _tunnel_line(cfg, itf, ch, low)


def _tunnel_line(cfg: Cfg, itf: Itf, ch: Node, low: list[str]) -> None:
    w = ch.words
    ev = cfg.line(ch)
    if low[1] in ("source", "destination") and len(w) > 2:
        itf.tunnel[low[1]] = (itf_name(w[2:]) if not is_v4(w[2]) else w[2], ev)
    elif low[1] == "mode" and len(w) > 2:
        itf.tunnel["mode"] = (" ".join(low[2:]), ev)
    elif low[1:4] == ["protection", "ipsec", "profile"] and len(w) > 4:
        itf.tunnel["protection"] = (w[4], ev)
        if "shared" in low[5:]:
            cfg.notes.append(ev)
    elif low[1] in ("vrf", "key", "path-mtu-discovery"):
        pass
    else:
        cfg.notes.append(ev)


def _route(cfg: Cfg, node: Node, low: list[str]) -> None:
    w = node.words
    ev = cfg.line(node)
    if len(w) < 5 or low[2] == "vrf" or not is_v4(w[2]):
        cfg.notes.append(ev)
        return
    plen = mask_len(w[3])
    if plen is None:
        cfg.notes.append(ev)
        return
    nh: str | None = None
    itf: str | None = None
    if is_v4(w[4]):
        nh = w[4]
    else:
        itf = w[4]
        if len(w) > 5 and is_v4(w[5]):
            nh = w[5]
        elif len(w) > 5 and w[5][:1].isdecimal() and not w[4][-1:].isdecimal():
            itf = w[4] + w[5]  # "ip route ... Tunnel 10"
            nh = w[6] if len(w) > 6 and is_v4(w[6]) else None
        itf = itf_name([itf])
    cfg.routes.append(Route(prefix=network(w[2], plen), next_hop=nh, interface=itf, ev=ev))


# ----------------------------------------------------------------------------- ACLs


def _add_rule(cfg: Cfg, name: str, words: list[str], standard: bool, node: Node) -> None:
    ev = cfg.line(node)
    cfg.acl_ev.setdefault(name, ev)
    rules = cfg.acls.setdefault(name, [])
    try:
        rules.append(acl_rule(words, standard, ev))
    except AclError:
        cfg.notes.append(ev)


def _numbered_acl(cfg: Cfg, node: Node, low: list[str]) -> None:
    w = node.words
    num = to_int(w[1])
    if num is None or low[2] == "remark":
        if low[2] != "remark":
            cfg.notes.append(cfg.line(node))
        return
    standard = num < 100 or 1300 <= num <= 1999
    words = w[2:]
    if words and words[0].lower() == "dynamic" and len(words) > 2:
        words = words[2:]
    _add_rule(cfg, w[1], words, standard, node)


def _named_acl(cfg: Cfg, node: Node, low: list[str]) -> None:
    w = node.words
    if low[2] not in ("extended", "standard"):
        cfg.notes.append(cfg.line(node))
        return
    name = w[3]
    cfg.acls.setdefault(name, [])
    cfg.acl_ev.setdefault(name, cfg.line(node))
    for ch in node.children:
        words = ch.words
        if words and words[0].isdecimal():
            words = words[1:]
        if not words or words[0].lower() == "remark":
            continue
        _add_rule(cfg, name, words, low[2] == "standard", ch)


def _route_map(cfg: Cfg, node: Node, low: list[str]) -> None:
    w = node.words
    action = low[2] if len(low) > 2 and low[2] in ("permit", "deny") else "permit"
    entry: dict[str, Any] = {"action": action, "acls": [], "ev": cfg.line(node)}
    for ch in node.children:
        cl = [x.lower() for x in ch.words]
        if cl[:3] == ["match", "ip", "address"] and len(cl) > 3 and cl[3] != "prefix-list":
            entry["acls"] += ch.words[3:]
    cfg.route_maps.setdefault(w[1], []).append(entry)


def _nat(cfg: Cfg, node: Node, low: list[str]) -> None:
    w = node.words
    ev = cfg.line(node)
    form = low[4] if len(low) > 4 else ""
    if form in ("list", "route-map") and len(w) > 5:
        nat: dict[str, Any] = {"form": form, "ref": w[5], "ev": ev}
        if "interface" in low:
            i = low.index("interface")
            words = [x for x in w[i + 1 :] if x.lower() not in ("overload", "vrf")]
            nat["interface"] = itf_name(words[:2] if len(words) > 1 and words[1][:1].isdecimal()
                                        else words[:1])  # fmt: skip
        elif "pool" in low:
            nat["pool"] = w[low.index("pool") + 1]
        cfg.nat.append(nat)
    elif form == "static" and len(w) > 6 and low[5] in ("tcp", "udp"):
        proto = 6 if low[5] == "tcp" else 17
        port = to_int(w[7])
        cfg.nat.append({"form": "static", "local": f"{w[6]}/32", "protocol": proto,
                        "ports": (port, port) if port is not None else None,
                        "global": " ".join(w[8:10]), "ev": ev})  # fmt: skip
    elif form == "static" and len(w) > 6 and low[5] == "network" and len(w) > 8:
        plen = mask_len(w[8]) if is_v4(w[8]) else to_int(w[8].lstrip("/"))
        local = network(w[6], plen) if plen is not None else f"{w[6]}/32"
        cfg.nat.append({"form": "static", "local": local, "global": w[7], "ev": ev})
    elif form == "static" and len(w) > 6 and is_v4(w[5]):
        nat = {"form": "static", "local": f"{w[5]}/32", "global": w[6], "ev": ev}
        if "route-map" in low:
            nat["route_map"] = w[low.index("route-map") + 1]
        cfg.nat.append(nat)
    else:
        cfg.notes.append(ev)


# ----------------------------------------------------------------------------- crypto


def _crypto(cfg: Cfg, node: Node, low: list[str]) -> None:
    from . import cisco_ios_crypto as cc

    handled = cc.crypto(cfg, node, low)
    if not handled:
        cfg.notes.append(cfg.line(node))
