"""Cisco IOS command renderer: a ``Change`` (one key of ``model.CHANGE_FIELDS``) -> the IOS
configuration lines that make it, using the device's own names (crypto map and sequence,
transform sets, ISAKMP policy numbers, IKEv2 proposal/profile/keyring names, ACL names, NAT ACL,
interfaces) recovered from the tunnel's cited lines.

A key is never printed: PSK lines say ``<same key as the peer>``.  Lines starting with ``!`` are
IOS comments explaining a step that has no single command.
"""

from __future__ import annotations

import ipaddress

from .model import Change, DeviceConfig, Identity, NatRule, Route, Selector, Tunnel

KEY = "<same key as the peer>"

_ISAKMP_ENCR = {"des": "des", "3des": "3des", "aes-cbc-128": "aes", "aes-cbc-192": "aes 192",
                "aes-cbc-256": "aes 256"}  # fmt: skip
_ISAKMP_HASH = {"md5": "md5", "sha1": "sha", "sha2-256": "sha256", "sha2-384": "sha384",
                "sha2-512": "sha512"}  # fmt: skip
_IKEV2_INTEG = {"md5": "md5", "sha1": "sha1", "sha2-256": "sha256", "sha2-384": "sha384",
                "sha2-512": "sha512"}  # fmt: skip
_AUTH_V1 = {"psk": "pre-share", "rsa-sig": "rsa-sig", "rsa-encr": "rsa-encr",
            "ecdsa-sig": "ecdsa-sig"}  # fmt: skip
_AUTH_V2 = {"psk": "pre-share", "rsa-sig": "rsa-sig", "ecdsa-sig": "ecdsa-sig", "eap": "eap"}
_ESP_ENCR = {"des": "esp-des", "3des": "esp-3des", "null": "esp-null",
             "aes-cbc-128": "esp-aes 128", "aes-cbc-192": "esp-aes 192",
             "aes-cbc-256": "esp-aes 256", "aes-gcm-128": "esp-gcm 128",
             "aes-gcm-192": "esp-gcm 192", "aes-gcm-256": "esp-gcm 256"}  # fmt: skip
_ESP_INTEG = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac", "sha2-256": "esp-sha256-hmac",
              "sha2-384": "esp-sha384-hmac", "sha2-512": "esp-sha512-hmac"}  # fmt: skip
_AH_INTEG = {"md5": "ah-md5-hmac", "sha1": "ah-sha-hmac", "sha2-256": "ah-sha256-hmac",
             "sha2-384": "ah-sha384-hmac", "sha2-512": "ah-sha512-hmac"}  # fmt: skip
_PROTO = {1: "icmp", 6: "tcp", 17: "udp", 47: "gre", 50: "esp", 51: "ahp"}


def render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]:
    field = change.field
    fn = _RENDER.get(field)
    if fn is None:
        return [f"! {field}: no IOS command is known for this change"]
    return fn(change, device, tunnel)


# ----------------------------------------------------------------------------- names


def _word_after(text: str | None, word: str) -> str | None:
    if not text:
        return None
    words = text.split()
    low = [w.lower() for w in words]
    if word in low and low.index(word) + 1 < len(words):
        return words[low.index(word) + 1]
    return None


def _line(t: Tunnel, key: str) -> str | None:
    ln = t.lines.get(key)
    return ln.text if ln else None


def _entry(t: Tunnel) -> list[str]:
    """The command that enters the tunnel's policy: crypto map entry, dynamic map entry or the
    IPsec profile of a tunnel interface."""
    if t.kind == "profile":
        prof = _word_after(_line(t, "ipsec_profile"), "profile") or "IPSEC-PROFILE"
        return [f"crypto ipsec profile {prof}"]
    name, _, seq = t.name.rpartition(" ")
    if t.kind == "dynamic":
        return [f"crypto dynamic-map {name} {seq}"]
    return [f"crypto map {name} {seq} ipsec-isakmp"]


def _map_name(t: Tunnel) -> str | None:
    if t.kind == "static":
        return t.name.rpartition(" ")[0]
    if t.kind == "dynamic":
        return _word_after(_line(t, "crypto_map"), "map")
    return None


def _v2(t: Tunnel) -> bool:
    return t.initiate_version == 2 or t.ike_versions == (2,)


def _ikev2_profile(t: Tunnel) -> str:
    text = _line(t, "ikev2_profile")
    return text.split()[-1] if text else "IKEV2-PROFILE"


def _target_proposal(change: Change, t: Tunnel) -> str:
    if change.target:
        return change.target
    if t.ike_proposals and not t.ike_proposals[0].defaults:
        return t.ike_proposals[0].name
    return "10" if not _v2(t) else "IKEV2-PROPOSAL"


def _peer(t: Tunnel) -> str:
    return t.peer_addresses[0] if t.peer_addresses else (t.peer_hostname or "<peer address>")


# ----------------------------------------------------------------------------- IKE


def _ike_algo(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    field = change.field.split(".")[1]
    value = change.value
    name = _target_proposal(change, t)
    if not _v2(t):
        head = [f"crypto isakmp policy {name}"]
        if field == "encryption":
            return [*head, f" encr {_ISAKMP_ENCR.get(str(value), value)}"]
        if field == "integrity":
            return [*head, f" hash {_ISAKMP_HASH.get(str(value), value)}"]
        if field == "dh":
            return [*head, f" group {value}"]
        if field == "lifetime":
            return [*head, f" lifetime {value}"]
        if field == "auth_method":
            return [*head, f" authentication {_AUTH_V1.get(str(value), value)}"]
        return ["! IKEv1 derives the PRF from the ISAKMP policy hash: change the hash instead"]
    if field == "lifetime":
        return [f"crypto ikev2 profile {_ikev2_profile(t)}", f" lifetime {value}"]
    if field == "auth_method":
        method = _AUTH_V2.get(str(value), value)
        return [f"crypto ikev2 profile {_ikev2_profile(t)}", f" authentication local {method}",
                f" authentication remote {method}"]  # fmt: skip
    prop = next((p for p in t.ike_proposals if p.name == name), None)
    keyword = {"encryption": "encryption", "integrity": "integrity", "prf": "prf",
               "dh": "group"}[field]  # fmt: skip
    old = ()
    if prop is not None:
        old = {"encryption": prop.encryption, "integrity": prop.integrity, "prf": prop.prf,
               "dh": prop.dh}[field]  # fmt: skip
    word = {"integrity": _IKEV2_INTEG, "prf": _IKEV2_INTEG}.get(field, {})
    out = [f"crypto ikev2 proposal {name}"]
    out += [f" no {keyword} {word.get(str(o), o)}" for o in old if o != value]
    out.append(f" {keyword} {word.get(str(value), value)}")
    return out


def _ike_version(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    entry = _entry(t)
    if change.value == 1:
        prof = _ikev2_profile(t)
        return [*entry, f" no set ikev2-profile {prof}",
                "! IKEv1 also needs an ISAKMP policy and a key for the peer:",
                f"crypto isakmp key {KEY} address {_peer(t)}"]  # fmt: skip
    return ["crypto ikev2 proposal IKEV2-PROPOSAL", " encryption aes-cbc-256",
            " integrity sha256", " group 14", "crypto ikev2 policy IKEV2-POLICY",
            " proposal IKEV2-PROPOSAL", "crypto ikev2 keyring IKEV2-KEYRING", " peer PEER",
            f"  address {_peer(t)}", f"  pre-shared-key {KEY}",
            "crypto ikev2 profile IKEV2-PROFILE",
            f" match identity remote address {_peer(t)} 255.255.255.255",
            " authentication remote pre-share", " authentication local pre-share",
            " keyring local IKEV2-KEYRING", *entry, " set ikev2-profile IKEV2-PROFILE"]  # fmt: skip


def _exchange_mode(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    if _v2(t):
        return ["! IKEv2 has no main/aggressive mode"]
    prof = _word_after(_line(t, "isakmp_profile"), "isakmp-profile") or _word_after(
        _line(t, "isakmp_profile"), "profile"
    )
    if change.value == "aggressive":
        out = (
            ["no crypto isakmp aggressive-mode disable"]
            if "aggressive-mode-disable" in (d.flags)
            else []
        )
        if prof:
            return [*out, f"crypto isakmp profile {prof}", " initiate mode aggressive"]
        return [*out, f"crypto isakmp peer address {_peer(t)}",
                f" set aggressive-mode client-endpoint ipv4-address {t.local_address}",
                f" set aggressive-mode password {KEY}"]  # fmt: skip
    text = _line(t, "exchange_mode") or ""
    if "initiate" in text and prof:
        return [f"crypto isakmp profile {prof}", " no initiate mode aggressive"]
    return [f"no crypto isakmp peer address {_peer(t)}",
            f"crypto isakmp key {KEY} address {_peer(t)}"]  # fmt: skip


def _psk(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    peer = _peer(t) if not t.peer_any else "0.0.0.0 0.0.0.0"
    if _v2(t):
        ring = (_line(t, "keyring") or "").split()
        ring_name = ring[-1] if ring else "IKEV2-KEYRING"
        peer_name = _word_after(_line(t, "keyring_peer"), "peer") or "PEER"
        out = [f"crypto ikev2 keyring {ring_name}", f" peer {peer_name}"]
        if not t.lines.get("keyring_peer"):
            out.append(f"  address {peer}")
        return [*out, f"  pre-shared-key {KEY}"]
    ring = _word_after(_line(t, "keyring"), "keyring")
    if ring:
        return [f"crypto keyring {ring}", f"  pre-shared-key address {peer} key {KEY}"]
    return [f"crypto isakmp key {KEY} address {peer}"]


def _identity_v2(ident: Identity, local: bool) -> str:
    word = {"ip": "address", "fqdn": "fqdn", "user-fqdn": "email", "key-id": "key-id",
            "dn": "dn", "any": "any"}.get(ident.type, ident.type)  # fmt: skip
    value = f" {ident.value}" if ident.value else ""
    if not local and ident.type == "ip" and ident.value and "/" not in ident.value:
        value += " 255.255.255.255"
    return f"{word}{value}"


def _local_id(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    ident: Identity = change.value  # type: ignore[assignment]
    if _v2(t):
        return [f"crypto ikev2 profile {_ikev2_profile(t)}",
                f" identity local {_identity_v2(ident, True)}"]  # fmt: skip
    prof = _word_after(_line(t, "isakmp_profile"), "isakmp-profile")
    if ident.type == "fqdn":
        host, _, domain = (ident.value or d.name).partition(".")
        out = [f"hostname {host}"] if host != d.name else []
        out += [f"ip domain name {domain}"] if domain else []
        if prof:
            return [*out, f"crypto isakmp profile {prof}", " self-identity fqdn"]
        return [*out, "crypto isakmp identity hostname"]
    if ident.type == "dn":
        return ["crypto isakmp identity dn"]
    if prof:
        return [f"crypto isakmp profile {prof}", " self-identity address"]
    return ["crypto isakmp identity address"]


def _remote_id(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    ident: Identity = change.value  # type: ignore[assignment]
    if _v2(t):
        out = [f"crypto ikev2 profile {_ikev2_profile(t)}"]
        new = f" match identity remote {_identity_v2(ident, False)}"
        old = _line(t, "remote_id")
        if old and " ".join(old.split()) != new.strip():
            out.append(" no " + " ".join(old.split()))
        return [*out, new]
    prof = _word_after(_line(t, "isakmp_profile"), "isakmp-profile") or "ISAKMP-PROFILE"
    if ident.type == "fqdn":
        match = f" match identity host {ident.value}"
    elif ident.type == "user-fqdn":
        match = f" match identity user-fqdn {ident.value}"
    elif ident.type == "any":
        match = " match identity address 0.0.0.0"
    else:
        match = f" match identity address {ident.value or _peer(t)} 255.255.255.255"
    out = [f"crypto isakmp profile {prof}"]
    old = _line(t, "remote_id")
    if old and " ".join(old.split()) != match.strip():
        out.append(" no " + " ".join(old.split()))
    out.append(match)
    if not t.lines.get("isakmp_profile"):
        out += [f" keyring {_word_after(_line(t, 'keyring'), 'keyring') or 'KEYRING'}",
                *_entry(t), f" set isakmp-profile {prof}"]  # fmt: skip
    return out


def _peer_address(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    new = str(change.value)
    if t.kind == "profile":
        return [f"interface {t.bound_interface}", f" tunnel destination {new}"]
    out = [*_entry(t)]
    out += [f" no set peer {p}" for p in t.peer_addresses if p != new]
    out.append(f" set peer {new}")
    if _v2(t):
        ring = (_line(t, "keyring") or "").split()
        peer_name = _word_after(_line(t, "keyring_peer"), "peer") or "PEER"
        if ring:
            out += [f"crypto ikev2 keyring {ring[-1]}", f" peer {peer_name}", f"  address {new}"]
    elif _word_after(_line(t, "keyring"), "keyring"):
        out += [f"crypto keyring {_word_after(_line(t, 'keyring'), 'keyring')}",
                f"  pre-shared-key address {new} key {KEY}"]  # fmt: skip
    else:
        out.append(f"crypto isakmp key {KEY} address {new}")
    return out


def _auth_address(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    addr = str(change.value)
    if _v2(t):
        return [f"crypto ikev2 profile {_ikev2_profile(t)}",
                f" match identity remote address {addr} 255.255.255.255"]  # fmt: skip
    return [
        "! IOS IKEv1 finds the key by the peer's (post-NAT) source address and does not "
        f"check its identity {addr} unless an ISAKMP profile matches it"
    ]


def _local_address(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    addr = str(change.value)
    owner, secondary = None, False
    for itf in d.interfaces:
        if any(a.split("/")[0] == addr for a in itf.addresses):
            owner = itf.name
        elif any(a.split("/")[0] == addr for a in itf.secondary):
            owner, secondary = itf.name, True
    if t.kind == "profile":
        return [f"interface {t.bound_interface}", f" tunnel source {owner or addr}"]
    out: list[str] = []
    if owner is None or secondary:
        out = [
            "! IOS sources IKE from an interface's primary address: put the address on a loopback"
        ]
        if secondary:
            out += [f"interface {owner}", f" no ip address {addr} {_mask_of(d, owner, addr)} "
                    "secondary"]  # fmt: skip
        out += ["interface Loopback100", f" ip address {addr} 255.255.255.255"]
        owner = "Loopback100"
    return [*out, f"crypto map {_map_name(t)} local-address {owner}"]


def _mask_of(d: DeviceConfig, itf_name: str | None, addr: str) -> str:
    for itf in d.interfaces:
        if itf.name == itf_name:
            for a in itf.addresses + itf.secondary:
                if a.split("/")[0] == addr:
                    return str(ipaddress.IPv4Network(a, strict=False).netmask)
    return "255.255.255.255"


def _nat_t(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    if change.value:
        return ["crypto ipsec nat-transparency udp-encapsulation"]
    return ["no crypto ipsec nat-transparency udp-encapsulation"]


def _dpd(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    on = bool(change.value)
    if _v2(t):
        return [f"crypto ikev2 profile {_ikev2_profile(t)}",
                " dpd 10 3 periodic" if on else " no dpd"]  # fmt: skip
    prof = _word_after(_line(t, "isakmp_profile"), "isakmp-profile")
    if prof and not (_line(t, "dpd") or "crypto").lstrip().startswith("crypto"):
        return [f"crypto isakmp profile {prof}",
                " keepalive 10 retry 3" if on else " no keepalive"]  # fmt: skip
    return ["crypto isakmp keepalive 10 3 periodic" if on else "no crypto isakmp keepalive"]


# ----------------------------------------------------------------------------- IPsec


def _transform(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    field = change.field.split(".")[1]
    name = change.target or (t.child_proposals[0].name if t.child_proposals else "TS")
    prop = next((c for c in t.child_proposals if c.name == name), None)
    protocol = prop.protocol if prop else "esp"
    enc = list(prop.encryption) if prop else ["aes-cbc-256"]
    integ = list(prop.integrity) if prop else ["sha2-256"]
    ah = list(prop.ah_integrity) if prop else []
    mode = prop.mode if prop else "tunnel"
    v = change.value
    if field == "protocol":
        protocol = str(v)
        if "ah" in protocol and not ah:
            ah = integ[:1] or ["sha2-256"]
        if protocol == "ah":
            enc, integ = [], []
        elif protocol == "esp":
            ah = []
            enc = enc or ["aes-cbc-256"]
            integ = integ or ["sha2-256"]
    elif field == "encryption":
        enc = [str(v)]
        if str(v).startswith("aes-gcm"):
            integ = []
    elif field == "integrity":
        if protocol == "ah":
            ah = [str(v)]
        else:
            integ = [str(v)]
    elif field == "mode":
        mode = str(v)
    words = [_AH_INTEG.get(a, a) for a in ah[:1]]
    if protocol != "ah":
        words += [_ESP_ENCR.get(e, e) for e in enc[:1]] + [_ESP_INTEG.get(i, i) for i in integ[:1]]
    out = [f"crypto ipsec transform-set {name} {' '.join(words)}", f" mode {mode}"]
    if prop is None:
        out += [*_entry(t), f" set transform-set {name}"]
    return out


def _child_lifetime(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    return [*_entry(t), f" set security-association lifetime seconds {change.value}"]


def _pfs(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    if change.value is None:
        return [*_entry(t), " no set pfs"]
    return [*_entry(t), f" set pfs group{change.value}"]


def _wild(cidr: str | None, wild: str | None) -> str:
    if wild:
        addr, _, w = wild.partition("/")
        return f"{addr} {w}"
    if cidr is None or cidr == "0.0.0.0/0":
        return "any"
    net = ipaddress.IPv4Network(cidr, strict=False)
    if net.prefixlen == 32:
        return f"host {net.network_address}"
    return f"{net.network_address} {net.hostmask}"


def _ports(ports: tuple[int, int] | None) -> str:
    if ports is None:
        return ""
    lo, hi = ports
    return f" eq {lo}" if lo == hi else f" range {lo} {hi}"


def acl_line(sel: Selector, action: str | None = None) -> str:
    proto = "ip" if sel.protocol is None else _PROTO.get(sel.protocol, str(sel.protocol))
    return (
        f"{action or sel.action} {proto} {_wild(sel.src, sel.src_wildcard)}"
        f"{_ports(sel.src_ports)} {_wild(sel.dst, sel.dst_wildcard)}{_ports(sel.dst_ports)}"
    )


def _selectors(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    sels: list[Selector] = list(change.value or [])  # type: ignore[arg-type]
    if t.kind == "profile":
        return [
            "! a tunnel interface protects any <-> any: route the networks into "
            f"{t.bound_interface} instead"
        ]
    name = t.selector_name or "VPN-ACL"
    out = [f"no ip access-list extended {name}", f"ip access-list extended {name}"]
    out += [" " + acl_line(s) for s in sels]
    if not t.selector_name:
        out += [*_entry(t), f" match address {name}"]
    return out


def _bind(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    itf = str(change.value)
    if t.kind == "profile":
        prof = _word_after(_line(t, "ipsec_profile"), "profile") or "IPSEC-PROFILE"
        return [f"interface {t.bound_interface}", f" tunnel protection ipsec profile {prof}"]
    return [f"interface {itf}", f" crypto map {_map_name(t)}"]


def _nat_rule(d: DeviceConfig) -> NatRule | None:
    return next((r for r in d.nat_rules if r.kind == "source" and r.name), None)


def _nat_exempt(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    sel: Selector = change.value  # type: ignore[assignment]
    rule = _nat_rule(d)
    if rule is None:
        return ["! no 'ip nat inside source' rule translates this traffic"]
    deny = acl_line(sel, "deny")
    standard = rule.match and all(s.dst == "0.0.0.0/0" and s.protocol is None for s in rule.match)
    text = rule.ev.text if rule.ev else ""
    if standard and rule.name and rule.name.isdecimal() and int(rule.name) < 100:
        # a standard ACL cannot name a destination: move NAT to an extended ACL
        new = f"NAT-{rule.name}"
        out = [f"ip access-list extended {new}", f" {deny}"]
        out += [" " + acl_line(Selector(action=s.action, src=s.src, src_wildcard=s.src_wildcard))
                for s in rule.match]  # fmt: skip
        if text:
            out += [f"no {text.strip()}", text.strip().replace(f" list {rule.name} ",
                                                                f" list {new} ")]  # fmt: skip
        return out
    if " route-map " in f" {text} ":
        return [f"! the NAT route-map {rule.name} must deny: {deny}"]
    return [f"ip access-list extended {rule.name}", f" 1 {deny}"]


def _security_rule(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    sel: Selector = change.value  # type: ignore[assignment]
    return [f"! if an inbound access-group filters {t.local_interface or 'the WAN interface'}, "
            "it must permit:", f" {acl_line(sel, 'permit')}"]  # fmt: skip


def _route(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    r: Route = change.value  # type: ignore[assignment]
    net = ipaddress.IPv4Network(r.prefix, strict=False)
    itf = r.interface or (None if r.next_hop else t.local_interface)
    via = " ".join(x for x in (itf, r.next_hop) if x)
    if not r.next_hop:
        via += f" <gateway on {itf}>" if itf else "<next hop>"
    return [f"ip route {net.network_address} {net.netmask} {via}"]


def _sha2(change: Change, d: DeviceConfig, t: Tunnel) -> list[str]:
    return [
        "! IOS always uses RFC 4868 SHA-2 truncation (128-bit ICV for SHA-256); "
        "change the peer's setting instead"
    ]


_RENDER = {
    "ike.encryption": _ike_algo,
    "ike.integrity": _ike_algo,
    "ike.prf": _ike_algo,
    "ike.dh": _ike_algo,
    "ike.auth_method": _ike_algo,
    "ike.lifetime": _ike_algo,
    "ike_version": _ike_version,
    "exchange_mode": _exchange_mode,
    "psk": _psk,
    "local_id": _local_id,
    "remote_id": _remote_id,
    "peer_address": _peer_address,
    "auth_address": _auth_address,
    "local_address": _local_address,
    "nat_traversal": _nat_t,
    "dpd": _dpd,
    "child.protocol": _transform,
    "child.encryption": _transform,
    "child.integrity": _transform,
    "child.mode": _transform,
    "child.lifetime": _child_lifetime,
    "pfs": _pfs,
    "selectors": _selectors,
    "bind": _bind,
    "nat_exempt": _nat_exempt,
    "security_rule": _security_rule,
    "route": _route,
    "sha2_truncation": _sha2,
}
