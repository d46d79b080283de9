"""``render(change, device, tunnel)`` for strongSwan: the settings that apply a ``Change``, in
swanctl.conf dot notation (``connections.CONN.children.CHILD.esp_proposals = ...``, as the
swanctl.conf man page writes them) or as an ipsec.conf ``conn NAME`` block, depending on what the
device was read from.  Things strongSwan does not own (routes, NAT, packet filter) are rendered as
the Linux commands that provide them.  A pre-shared key is never printed.
"""

from __future__ import annotations

from .model import (
    Change,
    ChildProposal,
    DeviceConfig,
    Identity,
    IkeProposal,
    Route,
    Selector,
    Tunnel,
)
from .strongswan_proposals import build, integ_word

KEY_PLACEHOLDER = "<same key as the peer>"


def _names(tunnel: Tunnel) -> tuple[str, str]:
    conn, _, child = tunnel.name.partition("/")
    return conn, child or conn


def _id(ident: Identity | None) -> str:
    if ident is None or ident.type == "any":
        return "%any"
    if ident.value is None:
        return "%any" if ident.type != "ip" else "<this end's address>"
    if ident.type == "key-id":
        return f"@#{ident.value}"
    return ident.value


def _end(ident: Identity | None, address: str | None) -> str:
    """An identity as an ipsec.secrets/secrets id (the address when it is the derived one)."""
    if ident is not None and ident.type == "ip" and ident.value is None and address:
        return address
    return _id(ident)


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _ike(tunnel: Tunnel, change: Change) -> str:
    base = tunnel.ike_proposals[0] if tunnel.ike_proposals else IkeProposal(name="new")
    enc, integ, prf, dh = (list(base.encryption[:1]), list(base.integrity[:1]),
                           list(base.prf[:1]), list(base.dh[:1]))
    f, v = change.field, change.value
    if f == "ike.encryption":
        enc = [str(v)]
        if str(v).startswith("aes-gcm"):
            prf, integ = prf or integ, []
    elif f == "ike.integrity":
        integ = [str(v)]
    elif f == "ike.prf":
        prf = [str(v)]
    elif f == "ike.dh":
        dh = [_int(v, 14)]
    if prf and prf == integ:
        prf = []
    return build(enc, integ, prf, dh)


def _child(tunnel: Tunnel, change: Change) -> tuple[str, str]:
    """(setting name, proposal string) for the first child proposal with the change applied."""
    base = tunnel.child_proposals[0] if tunnel.child_proposals else ChildProposal(name="new")
    proto = base.protocol
    enc, integ = list(base.encryption[:1]), list(base.integrity[:1] or base.ah_integrity[:1])
    pfs = [tunnel.pfs] if tunnel.pfs else []
    trunc = tunnel.sha2_truncation == 96
    f, v = change.field, change.value
    if f == "child.protocol":
        proto = str(v)
        if proto == "ah":
            enc = []
            integ = integ or ["sha2-256"]
    elif f == "child.encryption":
        enc = [str(v)]
        if str(v).startswith("aes-gcm"):
            integ = []
    elif f == "child.integrity":
        integ = [str(v)]
    elif f == "pfs":
        pfs = [_int(v, 14)] if v else []
    elif f == "sha2_truncation":
        trunc = v == 96
    words = build(enc, [], [], []).split("-") if enc else []
    words += [integ_word(i, trunc) for i in integ]
    if pfs:
        words.append(build([], [], [], pfs))
    key = "ah_proposals" if proto == "ah" else "esp_proposals"
    return key, "-".join(w for w in words if w)


def _ts(selectors: list[Selector], side: str) -> str:
    out: list[str] = []
    for s in selectors:
        if s.action != "permit":
            continue
        net = s.src if side == "local" else s.dst
        ports = s.src_ports if side == "local" else s.dst_ports
        item = net or "0.0.0.0/0"
        if s.protocol is not None or ports:
            spec = str(s.protocol) if s.protocol is not None else "%any"
            if ports:
                spec += f"/{ports[0]}" if ports[0] == ports[1] else f"/{ports[0]}-{ports[1]}"
            item += f"[{spec}]"
        if item not in out:
            out.append(item)
    return ", ".join(out) or "dynamic"


def _settings(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[tuple[str, str, str]]:
    """(scope, key, value) triples; scope is ``conn``, ``child``, ``local``, ``remote``,
    ``secret`` or ``cmd`` (a host command)."""
    f, v = change.field, change.value
    if f in ("ike.encryption", "ike.integrity", "ike.prf", "ike.dh"):
        return [("conn", "proposals", _ike(tunnel, change))]
    if f == "ike.lifetime":
        return [("conn", "rekey_time", f"{_int(v, 14400)}s")]
    if f == "ike.auth_method":
        word = {"psk": "psk", "eap": "eap"}.get(str(v), "pubkey")
        out = [("local", "auth", word), ("remote", "auth", word)]
        if word == "pubkey":
            out.append(("note", "", "and local.certs = <this end's certificate>"))
        elif word == "psk":
            out.append(("secret", "secret", KEY_PLACEHOLDER))
        return out
    if f == "ike_version":
        return [("conn", "version", str(v))]
    if f == "exchange_mode":
        return [("conn", "aggressive", "yes" if v == "aggressive" else "no")]
    if f == "psk":
        return [("secret", "secret", KEY_PLACEHOLDER)]
    if f == "local_id":
        return [("local", "id", _id(v))]  # type: ignore[arg-type]
    if f in ("remote_id", "auth_address"):
        value = _id(v) if isinstance(v, Identity) else str(v)
        return [("remote", "id", value)]
    if f == "peer_address":
        return [("conn", "remote_addrs", str(v))]
    if f == "local_address":
        return [("conn", "local_addrs", str(v))]
    if f == "nat_traversal":
        if v:
            return [("note", "", "NAT-T is automatic in strongSwan; to force UDP "
                     "encapsulation set:"), ("conn", "encap", "yes")]
        return [("note", "", "strongSwan cannot disable NAT-T; disable it on the peer instead")]
    if f == "dpd":
        return [("conn", "dpd_delay", "30s" if v else "0s")]
    if f in ("child.protocol", "child.encryption", "child.integrity", "pfs", "sha2_truncation"):
        if f == "child.protocol" and v == "ah-esp":
            return [("note", "", "strongSwan does not negotiate AH+ESP bundles")]
        key, value = _child(tunnel, change)
        out = [("child", key, value)]
        have = {c.protocol for c in tunnel.child_proposals}
        if f == "child.protocol" and have - {key[:-10]}:
            other = "esp_proposals" if key == "ah_proposals" else "ah_proposals"
            out.append(("note", "", f"and remove {other}"))
        return out
    if f == "child.mode":
        return [("child", "mode", str(v))]
    if f == "child.lifetime":
        return [("child", "rekey_time", f"{_int(v, 3600)}s")]
    if f == "selectors":
        sels = list(v) if isinstance(v, (list, tuple)) else []
        return [("child", "local_ts", _ts(sels, "local")),
                ("child", "remote_ts", _ts(sels, "remote"))]
    if f == "bind":
        return [("note", "", f"strongSwan has no interface binding: make sure local_addrs is "
                 f"an address of {v}")]
    if f == "route" and isinstance(v, Route):
        via = f" via {v.next_hop}" if v.next_hop else ""
        dev = f" dev {v.interface}" if v.interface else ""
        return [("cmd", "", f"ip route add {v.prefix}{via}{dev}")]
    if f == "nat_exempt" and isinstance(v, Selector):
        return [("cmd", "", f"iptables -t nat -I POSTROUTING -s {v.src} -d {v.dst} "
                 "-m policy --dir out --pol ipsec -j ACCEPT")]
    if f == "security_rule" and isinstance(v, Selector):
        proto = f" -p {v.protocol}" if v.protocol is not None else ""
        port = f" --dport {v.dst_ports[0]}" if v.dst_ports and v.protocol in (6, 17) else ""
        return [("cmd", "", f"iptables -I FORWARD -s {v.src} -d {v.dst}{proto}{port} -j ACCEPT")]
    return [("note", "", f"no strongSwan setting for {f}")]


def render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]:
    """The settings applying ``change`` to ``tunnel`` in the syntax the device was read from."""
    conn, child = _names(tunnel)
    triples = _settings(change, device, tunnel)
    if device.platform in ("ipsec.conf", "libreswan"):
        return _ipsec_conf(conn, tunnel, triples, device.platform == "libreswan")
    out: list[str] = []
    for scope, key, value in triples:
        if scope == "note":
            out.append(f"# {value}")
        elif scope == "cmd":
            out.append(value)
        elif scope == "secret":
            for suffix, ident in (("local", _end(tunnel.local_id, tunnel.local_address)),
                                  ("remote", _end(tunnel.remote_id, None))):
                if ident[:1] not in "%<":
                    out.append(f"secrets.ike-{conn}.id-{suffix} = {ident}")
            out.append(f"secrets.ike-{conn}.secret = {value}")
        elif scope == "conn":
            out.append(f"connections.{conn}.{key} = {value}")
        elif scope in ("local", "remote"):
            out.append(f"connections.{conn}.{scope}.{key} = {value}")
        else:
            out.append(f"connections.{conn}.children.{child}.{key} = {value}")
    return out


_IPSEC_KEYS = {
    ("conn", "proposals"): "ike", ("conn", "rekey_time"): "ikelifetime",
    ("conn", "version"): "keyexchange", ("conn", "aggressive"): "aggressive",
    ("conn", "remote_addrs"): "right", ("conn", "local_addrs"): "left",
    ("conn", "encap"): "forceencaps", ("conn", "dpd_delay"): "dpddelay",
    ("local", "id"): "leftid", ("remote", "id"): "rightid", ("local", "auth"): "leftauth",
    ("remote", "auth"): "rightauth", ("child", "esp_proposals"): "esp",
    ("child", "ah_proposals"): "ah", ("child", "mode"): "type",
    ("child", "rekey_time"): "lifetime", ("child", "local_ts"): "leftsubnet",
    ("child", "remote_ts"): "rightsubnet",
}


_LSW_WORDS = {"sha256": "sha2_256", "sha384": "sha2_384", "sha512": "sha2_512",
              "aes128gcm16": "aes_gcm128", "aes192gcm16": "aes_gcm192",
              "aes256gcm16": "aes_gcm256", "sha256_96": "sha2_256"}


def _libreswan_proposal(value: str) -> str:
    """``aes256-sha256-modp2048`` -> ``aes256-sha2_256;modp2048`` (Libreswan ike=/esp=)."""
    words = [_LSW_WORDS.get(w, w) for w in value.split("-") if not w.startswith("prf")]
    algs = [w for w in words if not (w.startswith(("modp", "ecp", "curve")))]
    groups = [w for w in words if w.startswith(("modp", "ecp", "curve"))]
    return "-".join(algs) + (";" + groups[0] if groups else "")


def _libreswan(name: str, value: str, body: list[str]) -> tuple[str, str]:
    if name == "keyexchange":
        return "ikev2", "no" if value == "ikev1" else "insist"
    if name in ("ike", "esp", "ah"):
        value = _libreswan_proposal(value.rstrip("!"))
        if name == "esp" and ";" not in value:
            body.append("    pfs=no")
        return name, value
    if name == "forceencaps":
        return "encapsulation", value
    if name == "lifetime":
        return "salifetime", value
    if name == "dpdaction":
        return "", ""
    return name, value


def _ipsec_conf(conn: str, tunnel: Tunnel, triples: list[tuple[str, str, str]],
                libreswan: bool = False) -> list[str]:
    body: list[str] = []
    after: list[str] = []
    if libreswan and any(k == "encap" or "NAT-T" in v for _s, k, v in triples):
        # pluto can switch NAT-T off: encapsulation=no; auto (default) re-enables it
        on = any(k == "encap" for _s, k, _v in triples)
        triples = [("conn", "encapsulation", "auto" if on else "no")]
    for scope, key, value in triples:
        if scope == "note":
            value = value.replace("local.certs = ", "leftcert=").replace(
                "make sure local_addrs", "make sure left=").replace(
                "remove esp_proposals", "remove esp=").replace("remove ah_proposals",
                                                               "remove ah=")
            body.append(f"    # {value}")
        elif scope == "cmd":
            after.append(value)
        elif scope == "secret":
            ids = " ".join(x for x in (_end(tunnel.local_id, tunnel.local_address),
                                       _end(tunnel.remote_id, None)) if x and x[0] not in "%<")
            after.append(f'{ids + " " if ids else ""}: PSK "{value}"   # in ipsec.secrets')
        else:
            name = _IPSEC_KEYS.get((scope, key), key)
            if name == "keyexchange":
                value = f"ikev{value}"
            elif name in ("ike", "esp", "ah"):
                value += "!"
            elif name == "dpddelay" and not libreswan:
                body.append("    dpdaction=" + ("none" if value == "0s" else "restart"))
            if libreswan:
                name, value = _libreswan(name, value, body)
                if not name:
                    continue
            body.append(f"    {name}={value}")
    out = [f"conn {conn}", *body] if body else []
    return out + after
