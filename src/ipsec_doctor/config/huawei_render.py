"""VRP command lines for a proposed ``Change`` (``render(change, device, tunnel)``), reusing the
names the device already uses: IKE proposal numbers, IKE peer names, IPsec proposal and policy
names, ACL numbers, NAT / security policy rules.  A key is never printed: the PSK change shows the
placeholder ``<same key as the peer>``.

Section headers are flush left, sub-commands indented by one blank, as ``display
current-configuration`` prints them.
"""

from __future__ import annotations

import ipaddress

from . import huawei_words as W
from .model import Change, DeviceConfig, Identity, IkeProposal, Route, Selector, Tunnel

KEY_PLACEHOLDER = "<same key as the peer>"


def _word(line_text: str, index: int) -> str | None:
    w = line_text.split()
    return w[index] if len(w) > index else None


def _peer(t: Tunnel) -> str:
    ln = t.lines.get("ike_peer")
    name = _word(ln.text, 1) if ln is not None else None
    return name or "peer1"


def _policy(t: Tunnel) -> list[str]:
    """The header of the policy entry (``ipsec policy P 10 isakmp`` / template / profile)."""
    ev = t.ev
    if ev is not None:
        w = ev.text.split()
        if len(w) >= 3 and w[0] == "ipsec" and w[1] == "profile":
            return [f"ipsec profile {w[2]}"]
        if len(w) >= 4 and w[0] == "ipsec" and w[1] == "policy-template":
            return [f"ipsec policy-template {w[2]} {w[3]}"]
        if len(w) >= 4 and w[0] == "ipsec" and w[1] == "policy":
            return [" ".join(w[:5]) if len(w) >= 5 else " ".join(w)]
    return ["ipsec policy policy1 10 isakmp"]


def _group(t: Tunnel) -> str:
    ln = t.lines.get("policy") or t.ev
    if ln is not None:
        w = ln.text.split()
        if len(w) >= 3 and w[0] == "ipsec" and w[1] == "policy":
            return w[2]
    return "policy1"


def _ike_number(change: Change, device: DeviceConfig, t: Tunnel) -> tuple[str, list[str]]:
    """The IKE proposal to edit; when the peer uses the default proposal a new numbered one is
    created and bound to the peer (extra lines returned)."""
    if change.target and change.target.isdecimal():
        return change.target, []
    for p in t.ike_proposals:
        if p.name.isdecimal():
            if "ike_proposals" not in t.defaults:
                return p.name, []
    used = {int(p.name) for x in device.tunnels for p in x.ike_proposals if p.name.isdecimal()}
    n = 10
    while n in used:
        n += 10
    return str(n), ["#", f"ike peer {_peer(t)}", f" ike-proposal {n}"]


def _ike_change(f: str, v: object, t: Tunnel) -> list[str]:
    """The IKE proposal lines that set field ``f`` to ``v``."""
    if f == "ike.encryption":
        return [f" encryption-algorithm {W.ENC_WORD.get(str(v), str(v))}"]
    if f == "ike.integrity":
        out = []
        if 1 in t.ike_versions:
            out.append(f" authentication-algorithm {W.integrity_word(str(v), 'v1')}")
        if 2 in t.ike_versions:
            out.append(f" integrity-algorithm {W.integrity_word(str(v), 'v2')}")
        return out
    if f == "ike.prf":
        return [f" prf {W.integrity_word(str(v), 'prf')}"]
    if f == "ike.dh":
        return [f" dh group{int(v)}"]  # type: ignore[call-overload]
    if f == "ike.auth_method":
        return [f" authentication-method {W.AUTH_WORD.get(str(v), str(v))}"]
    if f == "ike.lifetime":
        return [f" sa duration {int(v)}"]  # type: ignore[call-overload]
    raise ValueError(f"unknown change field {f}")


def _ike_lines(p: IkeProposal, t: Tunnel) -> list[str]:
    """Every line of an IKE proposal with ``p``'s values (to create a numbered copy)."""
    out = []
    if p.encryption:
        out += _ike_change("ike.encryption", p.encryption[0], t)
    if p.dh:
        out += _ike_change("ike.dh", p.dh[0], t)
    v1 = p.v1_integrity or (p.integrity if t.ike_versions == (1,) else ())
    if 1 in t.ike_versions and v1:
        out.append(f" authentication-algorithm {W.integrity_word(v1[0], 'v1')}")
    out += _ike_change("ike.auth_method", p.auth_method, t)
    if 2 in t.ike_versions and p.integrity:
        out.append(f" integrity-algorithm {W.integrity_word(p.integrity[0], 'v2')}")
    if 2 in t.ike_versions and p.prf:
        out += _ike_change("ike.prf", p.prf[0], t)
    if p.lifetime:
        out += _ike_change("ike.lifetime", p.lifetime, t)
    return out


def _child_name(change: Change, t: Tunnel) -> str:
    if change.target:
        return change.target
    return t.child_proposals[0].name if t.child_proposals else "prop1"


def _wild(cidr: str | None, wildcard: str | None) -> str:
    if wildcard is not None:
        a, _, w = wildcard.partition("/")
        return f"{a} {w}"
    if cidr is None or cidr == "0.0.0.0/0":
        return "any"
    net = ipaddress.ip_network(cidr, strict=False)
    return f"{net.network_address} {net.hostmask}"


def _mask(cidr: str | None) -> str:
    net = ipaddress.ip_network(cidr or "0.0.0.0/0", strict=False)
    return f"{net.network_address} mask {net.netmask}"


_PROTO_WORD = {v: k for k, v in W.PROTOCOLS.items() if v is not None}


def _ports(kind: str, rng: tuple[int, int] | None) -> str:
    if rng is None:
        return ""
    lo, hi = rng
    return f" {kind} eq {lo}" if lo == hi else f" {kind} range {lo} {hi}"


def acl_rule(rule_id: int, s: Selector) -> str:
    """`` rule N permit ip source A W destination B W`` for a selector."""
    proto = "ip" if s.protocol is None else _PROTO_WORD.get(s.protocol, str(s.protocol))
    out = f" rule {rule_id} {s.action} {proto}"
    src = _wild(s.src, s.src_wildcard)
    dst = _wild(s.dst, s.dst_wildcard)
    if src != "any":
        out += f" source {src}"
    if dst != "any":
        out += f" destination {dst}"
    return out + _ports("source-port", s.src_ports) + _ports("destination-port", s.dst_ports)


def _rule_ids(selectors: list[Selector]) -> list[int]:
    ids = []
    for s in selectors:
        if s.ev is not None:
            w = s.ev.text.split()
            if len(w) > 1 and w[0] == "rule" and w[1].isdecimal():
                ids.append(int(w[1]))
    return ids


def _identity(prefix: str, ident: Identity | None) -> list[str]:
    if ident is None:
        return [f" undo {prefix}-id-type"]
    if ident.type == "any":
        return [f" {prefix}-id-type any"]
    out = [f" {prefix}-id-type {ident.type}"]
    if ident.value is not None:
        out.append(f" {prefix}-id {ident.value}")
    return out


def _zone_of(device: DeviceConfig, address: str | None) -> str | None:
    if address is None or address == "0.0.0.0/0":
        return None
    net = ipaddress.ip_network(address, strict=False)
    own = {ipaddress.ip_address(a) for a in device.own_addresses()}
    if net.prefixlen == 32 and net.network_address in own:
        return "local"
    for itf in device.interfaces:
        for a in (*itf.addresses, *itf.secondary):
            if net.subnet_of(ipaddress.ip_interface(a).network) and itf.zone:
                return itf.zone
    for itf in device.interfaces:  # not directly connected: the zone of the default route
        for r in device.routes:
            if r.prefix == "0.0.0.0/0" and r.next_hop and itf.zone:
                for a in itf.addresses:
                    if ipaddress.ip_address(r.next_hop) in ipaddress.ip_interface(a).network:
                        return itf.zone
    return None


def _security_rule(device: DeviceConfig, s: Selector, name: str) -> list[str]:
    out = ["security-policy", f" rule name {name}"]
    sz = _zone_of(device, s.src)
    dz = _zone_of(device, s.dst)
    if sz:
        out.append(f"  source-zone {sz}")
    if dz:
        out.append(f"  destination-zone {dz}")
    if s.src not in (None, "0.0.0.0/0"):
        out.append(f"  source-address {_mask(s.src)}")
    if s.dst not in (None, "0.0.0.0/0"):
        out.append(f"  destination-address {_mask(s.dst)}")
    if s.protocol is not None:
        word = _PROTO_WORD.get(s.protocol, str(s.protocol))
        if s.protocol in (6, 17) and (s.dst_ports or s.src_ports):
            svc = f"  service protocol {word}"
            for kind, rng in (("source-port", s.src_ports), ("destination-port", s.dst_ports)):
                if rng is not None:
                    lo, hi = rng
                    svc += f" {kind} {lo}" if lo == hi else f" {kind} {lo} to {hi}"
            out.append(svc)
        elif word in ("esp", "ah", "gre", "icmp"):
            out.append(f"  service {word}")
        else:
            out.append(f"  service protocol {s.protocol}")
    out += ["  action permit", f" rule move {name} top"]
    return out


def _nat_exempt(device: DeviceConfig, t: Tunnel, s: Selector) -> list[str]:
    if device.platform == "usg":
        name = "no_nat_ipsec"
        out = ["nat-policy", f" rule name {name}"]
        if t.bound_interface:
            out.append(f"  egress-interface {t.bound_interface}")
        if s.src not in (None, "0.0.0.0/0"):
            out.append(f"  source-address {_mask(s.src)}")
        if s.dst not in (None, "0.0.0.0/0"):
            out.append(f"  destination-address {_mask(s.dst)}")
        return [*out, "  action no-nat", f" rule move {name} top"]
    rules = [
        r
        for r in device.nat_rules
        if r.kind == "source" and (t.bound_interface is None or r.interface == t.bound_interface)
    ]
    deny = Selector(
        action="deny",
        src=s.src,
        dst=s.dst,
        src_wildcard=s.src_wildcard,
        dst_wildcard=s.dst_wildcard,
        protocol=s.protocol,
    )
    if not rules or not (rules[0].name or "").split()[-1].isdecimal():
        return [
            "acl number 3999",
            acl_rule(5, deny),
            " rule 10 permit ip",
            f"interface {t.bound_interface or 'GigabitEthernet0/0/1'}",
            " nat outbound 3999",
        ]
    acl = (rules[0].name or "").split()[-1]
    ids = _rule_ids(rules[0].match)
    first = min(ids) if ids else 5
    rid = first - 1 if first > 0 else 0
    return [f"acl number {acl}", acl_rule(rid, deny)]


def _route(r: Route, t: Tunnel) -> list[str]:
    """``ip route-static``; without a known next hop the gateway is a placeholder (Ethernet
    interfaces need one)."""
    net = ipaddress.ip_network(r.prefix, strict=False)
    itf = r.interface or (None if r.next_hop else t.bound_interface)
    hop = " ".join(x for x in (itf, r.next_hop or "<gateway address>") if x)
    return [f"ip route-static {net.network_address} {net.netmask} {hop}"]


_NONE_OK = frozenset({"psk", "pfs", "local_id", "remote_id"})  # None: set / turn off / undo


def render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]:
    """The VRP commands that apply ``change`` to ``tunnel`` of ``device`` (``ValueError`` for a
    field or value it cannot express)."""
    if change.value is None and change.field not in _NONE_OK:
        raise ValueError(f"cannot render {change.field} without a value")
    try:
        return _render(change, device, tunnel)
    except (TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"cannot render {change.field}: {type(exc).__name__}") from None


def _render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]:
    f = change.field
    v = change.value
    t = tunnel
    peer = [f"ike peer {_peer(t)}"]
    if f.startswith("ike.") and f != "ike_version":
        num, extra = _ike_number(change, device, t)
        body = _ike_change(f, v, t)
        if extra and t.ike_proposals:  # a new proposal: the current values, then the change
            named = [p for p in t.ike_proposals if p.name == change.target]
            base = (named or t.ike_proposals)[0]
            keys = {ln.split()[0] for ln in body}
            body = [ln for ln in _ike_lines(base, t) if ln.split()[0] not in keys]
            body += _ike_change(f, v, t)
        return [f"ike proposal {num}", *body, *extra]
    if f == "ike_version":
        other = 2 if v == 1 else 1
        return [*peer, f" version {v}", f" undo version {other}"]
    if f == "exchange_mode":
        return [*peer, f" exchange-mode {v}"]
    if f == "psk":
        word = "" if device.platform == "usg" else "cipher "
        return [*peer, f" pre-shared-key {word}{KEY_PLACEHOLDER}"]
    if f == "local_id":
        return peer + _identity("local", v if isinstance(v, Identity) else None)
    if f == "remote_id":
        return peer + _identity("remote", v if isinstance(v, Identity) else None)
    if f == "peer_address":
        return [*peer, f" remote-address {v}"]
    if f == "auth_address":
        return [*peer, f" remote-address authentication-address {v}"]
    if f == "local_address":
        if device.platform == "usg":
            return [*_policy(t), f" tunnel local {v}"]
        return [*peer, f" local-address {v}"]
    if f == "nat_traversal":
        return [*peer, " nat traversal" if v else " undo nat traversal"]
    if f == "dpd":
        return [*peer, " dpd type periodic" if v else " undo dpd type"]
    if f.startswith("child."):
        if f == "child.lifetime":
            return [*_policy(t), f" sa duration time-based {int(v)}"]  # type: ignore[call-overload]
        head = [f"ipsec proposal {_child_name(change, t)}"]
        proto = t.child_proposals[0].protocol if t.child_proposals else "esp"
        if f == "child.protocol":
            body = [f" transform {v}"]
            if "ah" in str(v):
                cur = t.child_proposals[0].integrity if t.child_proposals else ()
                alg = cur[0] if cur else "sha2-256"
                body.append(f" ah authentication-algorithm {W.integrity_word(alg, 'ah')}")
            return head + body
        if f == "child.encryption":
            return [*head, f" esp encryption-algorithm {W.ENC_WORD.get(str(v), str(v))}"]
        if f == "child.integrity":
            kind = "ah" if proto == "ah" else "esp"
            return [*head, f" {kind} authentication-algorithm {W.integrity_word(str(v), kind)}"]
        if f == "child.mode":
            return [*head, f" encapsulation-mode {v}"]
        raise ValueError(f"unknown change field {f}")
    if f == "pfs":
        return [*_policy(t), f" pfs dh-group{v}" if v else " undo pfs"]
    if f == "selectors":
        acl = t.selector_name or "3000"
        out = [f"acl number {acl}"]
        out += [f" undo rule {i}" for i in _rule_ids(t.selectors)]
        sels = v if isinstance(v, list) else []
        out += [acl_rule(5 * (i + 1), s) for i, s in enumerate(sels)]
        if not t.selector_name:
            out += [*_policy(t), f" security acl {acl}"]
        return out
    if f == "bind":
        return [f"interface {v}", f" ipsec policy {_group(t)}"]
    if f == "nat_exempt":
        return _nat_exempt(device, t, v if isinstance(v, Selector) else Selector())
    if f == "security_rule":
        if not device.firewall:
            return []
        s = v if isinstance(v, Selector) else Selector()
        n = sum(1 for r in device.security_rules if r.name.startswith("ipsec_fix"))
        return _security_rule(device, s, f"ipsec_fix{n + 1}")
    if f == "route":
        return _route(v, t) if isinstance(v, Route) else []
    if f == "sha2_truncation":
        if device.platform == "usg":
            return [
                "ipsec sha2 compatible enable" if v == 96 else "undo ipsec sha2 compatible enable"
            ]
        return [
            "ipsec authentication sha2 compatible enable"
            if v == 128
            else "undo ipsec authentication sha2 compatible enable"
        ]
    raise ValueError(f"unknown change field {f}")
