"""Cisco ASA reader, third part: ``render(change, device, tunnel)`` -> ASA command lines.

Uses the device's own names (IKE policy numbers, crypto map name/sequence or dynamic map,
tunnel-group, crypto ACL, transform sets / IPsec proposals, interface nameifs).  A key is never
printed: the placeholder ``<same key as the peer>`` stands for it.
"""

from __future__ import annotations

import ipaddress

from .model import Change, DeviceConfig, Identity, Route, Selector, Tunnel

KEY = "<same key as the peer>"

_ENC = {"des": "des", "3des": "3des", "aes-cbc-128": "aes", "aes-cbc-192": "aes-192",
        "aes-cbc-256": "aes-256", "aes-gcm-128": "aes-gcm", "aes-gcm-192": "aes-gcm-192",
        "aes-gcm-256": "aes-gcm-256", "null": "null"}
_HASH1 = {"md5": "md5", "sha1": "sha", "sha2-256": "sha256", "sha2-384": "sha384",
          "sha2-512": "sha512"}
_ESP_INT2 = {"md5": "md5", "sha1": "sha-1", "sha2-256": "sha-256", "sha2-384": "sha-384",
             "sha2-512": "sha-512"}
_ESP_ENC1 = {"des": "esp-des", "3des": "esp-3des", "aes-cbc-128": "esp-aes",
             "aes-cbc-192": "esp-aes-192", "aes-cbc-256": "esp-aes-256", "null": "esp-null"}
_ESP_INT1 = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac", "sha2-256": "esp-sha-256-hmac",
             "sha2-384": "esp-sha-384-hmac", "sha2-512": "esp-sha-512-hmac"}
_AUTH1 = {"psk": "pre-share", "rsa-sig": "rsa-sig", "ecdsa-sig": "ecdsa-sig"}


def _entry(t: Tunnel) -> str:
    """``crypto map NAME SEQ`` (or ``crypto dynamic-map DYN SEQ``) of this tunnel."""
    parts = t.name.split()
    if len(parts) >= 5 and parts[2] == "dynamic":
        return f"crypto dynamic-map {parts[3]} {parts[4]}"
    return f"crypto map {parts[0]} {parts[1] if len(parts) > 1 else 10}"


def _map_name(t: Tunnel) -> str:
    return t.name.split()[0]


def _tgroup(t: Tunnel) -> str:
    line = t.lines.get("tunnel-group")
    if line is not None and len(line.text.split()) > 1:
        return line.text.split()[1]
    return t.peer_addresses[0] if t.peer_addresses else "DefaultL2LGroup"


def _policy(t: Tunnel, target: str | None) -> str:
    for p in t.ike_proposals:
        if target is None or p.name == target or p.name.endswith(f" {target}"):
            return f"crypto {p.name}"
    return f"crypto ikev{t.initiate_version} policy 10"


def _net(c: str | None) -> str:
    if not c or c == "0.0.0.0/0":
        return "any4"
    n = ipaddress.IPv4Network(c, strict=False)
    if n.prefixlen == 32:
        return f"host {n.network_address}"
    return f"{n.network_address} {n.netmask}"


def _obj_name(c: str | None) -> str:
    return "NET-" + (c or "0.0.0.0/0").replace("/", "-")


def _obj(c: str | None) -> list[str]:
    n = ipaddress.IPv4Network(c or "0.0.0.0/0", strict=False)
    return [f"object network {_obj_name(c)}", f" subnet {n.network_address} {n.netmask}"]


def _iface_for(device: DeviceConfig, addr_or_net: str | None) -> str | None:
    if not addr_or_net:
        return None
    try:
        net = ipaddress.IPv4Network(addr_or_net, strict=False)
    except ValueError:
        return None
    for itf in device.interfaces:
        for a in itf.addresses:
            if net.subnet_of(ipaddress.IPv4Interface(a).network) or ipaddress.IPv4Interface(
                    a).ip == net.network_address:
                return itf.name
    return None


def _child_lines(t: Tunnel, target: str | None, *, enc: str | None = None,
                 integ: str | None = None) -> list[str]:
    cps = [c for c in t.child_proposals if target is None or c.name == target]
    cp = cps[0] if cps else None
    name = cp.name if cp else "TS-NEW"
    if ((cp.version if cp else None) or t.initiate_version) == 1:
        e = enc or (cp.encryption[0] if cp and cp.encryption else "aes-cbc-256")
        i = integ or (cp.integrity[0] if cp and cp.integrity else "sha2-256")
        return [f"crypto ipsec ikev1 transform-set {name} {_ESP_ENC1.get(e, e)} "
                f"{_ESP_INT1.get(i, i)}"]
    out = [f"crypto ipsec ikev2 ipsec-proposal {name}"]
    if enc:
        out.append(f" protocol esp encryption {_ENC.get(enc, enc)}")
    if integ:
        out.append(f" protocol esp integrity {_ESP_INT2.get(integ, integ)}")
    return out


def _identity(v: Identity | None) -> list[str]:
    if v is None or v.type in ("ip", "address"):
        return ["crypto isakmp identity address"]
    if v.type == "fqdn" and v.value:
        host, _, dom = v.value.partition(".")
        out = [f"hostname {host}"]
        if dom:
            out.append(f"domain-name {dom}")
        return [*out, "crypto isakmp identity hostname"]
    if v.type == "key-id" and v.value:
        return [f"crypto isakmp identity key-id {v.value}"]
    return ["crypto isakmp identity auto"]


def _acl_line(acl: str, s: Selector, line_no: int | None = None) -> str:
    proto = {None: "ip", 6: "tcp", 17: "udp", 1: "icmp", 50: "esp"}.get(s.protocol,
                                                                         str(s.protocol))
    where = f" line {line_no}" if line_no else ""
    out = f"access-list {acl}{where} extended {s.action} {proto} {_net(s.src)} {_net(s.dst)}"
    if s.dst_ports and s.protocol in (6, 17):
        lo, hi = s.dst_ports
        out += f" eq {lo}" if lo == hi else f" range {lo} {hi}"
    return out


def render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]:
    """ASA command lines that apply ``change`` to ``tunnel`` of ``device``."""
    f = change.field
    v = change.value
    t = tunnel
    ver = t.initiate_version
    entry = _entry(t)
    tg = _tgroup(t)
    if f == "ike.encryption":
        return [_policy(t, change.target), f" encryption {_ENC.get(v, v)}"]
    if f == "ike.integrity":
        return [_policy(t, change.target), f" {'hash' if ver == 1 else 'integrity'} "
                f"{_HASH1.get(v, v)}"]
    if f == "ike.prf":
        if ver == 1:
            return ["! IKEv1 on the ASA has no separate PRF: it follows the policy hash",
                    _policy(t, change.target), f" hash {_HASH1.get(v, v)}"]
        return [_policy(t, change.target), f" prf {_HASH1.get(v, v)}"]
    if f == "ike.dh":
        return [_policy(t, change.target), f" group {v}"]
    if f == "ike.auth_method":
        if ver == 1:
            return [_policy(t, change.target), f" authentication {_AUTH1.get(v, v)}"]
        if v == "psk":
            return [f"tunnel-group {tg} ipsec-attributes",
                    f" ikev2 remote-authentication pre-shared-key {KEY}",
                    f" ikev2 local-authentication pre-shared-key {KEY}"]
        return [f"tunnel-group {tg} ipsec-attributes",
                " ikev2 remote-authentication certificate",
                " ikev2 local-authentication certificate <trustpoint>"]
    if f == "ike.lifetime":
        return [_policy(t, change.target), f" lifetime {v}" if ver == 1 else
                f" lifetime seconds {v}"]
    if f == "ike_version":
        return _ike_version(t, int(v), entry, tg)  # type: ignore[call-overload]
    if f == "exchange_mode":
        if v == "aggressive":
            return ["no crypto ikev1 am-disable", f"{entry} set ikev1 phase1-mode aggressive"]
        return [f"no {entry} set ikev1 phase1-mode aggressive"]
    if f == "psk":
        return [f"tunnel-group {tg} ipsec-attributes", *_psk_lines(ver)]
    if f == "local_id":
        return _identity(v)  # type: ignore[arg-type]
    if f == "remote_id":
        return ["! the ASA cannot require a peer identity for pre-shared keys; stop checking it:",
                f"tunnel-group {tg} ipsec-attributes", " peer-id-validate nocheck"]
    if f == "peer_address":
        return [f"{entry} set peer {v}", f"tunnel-group {v} type ipsec-l2l",
                f"tunnel-group {v} ipsec-attributes", *_psk_lines(ver)]
    if f == "auth_address":
        return ["! the ASA picks the tunnel-group by the address the peer's packets come from",
                "! and does not compare a pre-shared-key peer's identity with it",
                f"tunnel-group {tg} ipsec-attributes", " peer-id-validate nocheck"]
    if f == "local_address":
        iface = _iface_for(device, f"{v}/32")
        if iface is None:
            return [f"! no interface has {v}: give one a nameif and 'ip address {v} <mask>'",
                    f"crypto map {_map_name(t)} interface <nameif>"]
        return [f"crypto map {_map_name(t)} interface {iface}", f"crypto ikev{ver} enable {iface}"]
    if f == "nat_traversal":
        if v:
            out = ["crypto isakmp nat-traversal 20"]
            if "nat_traversal" in t.lines and "nat-t-disable" in t.lines["nat_traversal"].text:
                out.append(f"no {entry} set nat-t-disable")
            return out
        return [f"{entry} set nat-t-disable"]
    if f == "dpd":
        return [f"tunnel-group {tg} ipsec-attributes",
                " isakmp keepalive threshold 10 retry 2" if v else " isakmp keepalive disable"]
    if f == "child.protocol":
        if v == "esp":
            return ["! the ASA only negotiates ESP: the peer must propose ESP"]
        return ["! the ASA does not support AH: change the peer to ESP"]
    if f == "child.encryption":
        return _child_lines(t, change.target, enc=v)  # type: ignore[arg-type]
    if f == "child.integrity":
        return _child_lines(t, change.target, integ=v)  # type: ignore[arg-type]
    if f == "child.mode":
        name = t.child_proposals[0].name if t.child_proposals else "TS-NEW"
        if ver == 2:
            return ["! IKEv2 IPsec proposals on the ASA always negotiate tunnel mode"]
        if v == "transport":
            return [f"crypto ipsec ikev1 transform-set {name} mode transport"]
        return [f"no crypto ipsec ikev1 transform-set {name} mode transport"]
    if f == "child.lifetime":
        return [f"{entry} set security-association lifetime seconds {v}"]
    if f == "pfs":
        return [f"no {entry} set pfs"] if v is None else [f"{entry} set pfs group{v}"]
    if f == "selectors":
        acl = t.selector_name or "VPN-ACL"
        out = [f"clear configure access-list {acl}"]
        out += [_acl_line(acl, s) for s in (v or [])]  # type: ignore[union-attr]
        out.append(f"{entry} match address {acl}")
        return out
    if f == "bind":
        return [f"crypto map {_map_name(t)} interface {v}", f"crypto ikev{ver} enable {v}"]
    if f == "nat_exempt":
        s: Selector = v  # type: ignore[assignment]
        inside = _iface_for(device, s.src) or "inside"
        outside = t.bound_interface or "outside"
        return [*_obj(s.src), *_obj(s.dst),
                f"nat ({inside},{outside}) 1 source static {_obj_name(s.src)} "
                f"{_obj_name(s.src)} destination static {_obj_name(s.dst)} {_obj_name(s.dst)} "
                "no-proxy-arp route-lookup"]
    if f == "security_rule":
        s = v  # type: ignore[assignment]
        if s.protocol == 17 and s.dst_ports and s.dst_ports[0] in (500, 4500):
            return [f"crypto ikev{ver} enable {t.bound_interface or 'outside'}"]
        if s.protocol == 50:
            return [f"crypto ikev{ver} enable {t.bound_interface or 'outside'}"]
        ingress = _iface_for(device, s.src)
        if ingress is None:  # from the remote LAN: arrives decrypted on the crypto interface
            ingress = t.bound_interface or "outside"
        acl = _acl_for(device, ingress)
        if acl is None:
            if ingress == t.bound_interface:
                return ["sysopt connection permit-vpn"]
            acl = f"{ingress}_access_in"
            return [_acl_line(acl, s), f"access-group {acl} in interface {ingress}"]
        return [_acl_line(acl, s, 1)]
    if f == "route":
        rt: Route = v  # type: ignore[assignment]
        n = ipaddress.IPv4Network(rt.prefix, strict=False)
        iface = rt.interface or t.bound_interface or "outside"
        return [f"route {iface} {n.network_address} {n.netmask} {rt.next_hop or '<gateway>'}"]
    if f == "sha2_truncation":
        if v == 128:
            return ["! the ASA always uses RFC 4868 SHA-2 (128-bit ICV): change the peer"]
        return ["! the ASA cannot truncate SHA-2 to 96 bits: use RFC 4868 on the peer"]
    raise ValueError(f"unknown change field {f!r}")


def _psk_lines(ver: int) -> list[str]:
    if ver == 1:
        return [f" ikev1 pre-shared-key {KEY}"]
    return [f" ikev2 remote-authentication pre-shared-key {KEY}",
            f" ikev2 local-authentication pre-shared-key {KEY}"]


def _ike_version(t: Tunnel, want: int, entry: str, tg: str) -> list[str]:
    """Make the entry speak IKE version ``want``: enable it on the interface, and when the
    device has no policy / transform set for it, create them from the current algorithms."""
    iface = t.bound_interface or "outside"
    p = t.ike_proposals[0] if t.ike_proposals else None
    cp = t.child_proposals[0] if t.child_proposals else None
    enc = p.encryption[0] if p and p.encryption else "aes-cbc-256"
    integ = p.integrity[0] if p and p.integrity else "sha2-256"
    dh = p.dh[0] if p and p.dh else 14
    life = p.lifetime if p and p.lifetime else 86400
    cenc = cp.encryption[0] if cp and cp.encryption else "aes-cbc-256"
    cint = cp.integrity[0] if cp and cp.integrity else "sha2-256"
    out = [f"crypto ikev{want} enable {iface}"]
    if want == 1:
        out += ["crypto ikev1 policy 10", " authentication pre-share",
                f" encryption {_ENC.get(enc, enc)}", f" hash {_HASH1.get(integ, integ)}",
                f" group {dh}", f" lifetime {life}",
                f"crypto ipsec ikev1 transform-set TS-V1 {_ESP_ENC1.get(cenc, cenc)} "
                f"{_ESP_INT1.get(cint, cint)}",
                f"{entry} set ikev1 transform-set TS-V1"]
    else:
        out += ["crypto ikev2 policy 10", f" encryption {_ENC.get(enc, enc)}",
                f" integrity {_HASH1.get(integ, integ)}", f" group {dh}",
                f" prf {_HASH1.get(integ, integ)}", f" lifetime seconds {life}",
                "crypto ipsec ikev2 ipsec-proposal PROP-V2",
                f" protocol esp encryption {_ENC.get(cenc, cenc)}",
                f" protocol esp integrity {_ESP_INT2.get(cint, cint)}",
                f"{entry} set ikev2 ipsec-proposal PROP-V2"]
    if t.initiate_version == want:  # already speaks it: the interface and key are missing
        out = out[:1]
    return [*out, f"tunnel-group {tg} ipsec-attributes", *_psk_lines(want)]


def _acl_for(device: DeviceConfig, iface: str) -> str | None:
    for r in device.security_rules:
        if r.source_zones == (iface,) and r.ev is not None and r.name and " " not in r.name \
                and r.destination_zones != ("local",):
            return r.name
    return None
