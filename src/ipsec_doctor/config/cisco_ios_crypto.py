"""Cisco IOS reader, first pass continued: every ``crypto ...`` global command and block
(ISAKMP policies/keys/keyrings/profiles/peers, IKEv2 proposals/policies/keyrings/profiles,
transform sets, IPsec profiles, crypto maps, dynamic maps and the global switches) collected
into ``Cfg`` with the ``Line`` of each value.  Unknown sub-commands go to ``notes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .cisco_ios import psk_secret
from .cisco_ios_tree import (
    AH_INTEG,
    ESP_ENCR,
    ESP_INTEG,
    IKEV2_AUTH,
    IKEV2_ENCR,
    IKEV2_INTEG,
    ISAKMP_AUTH,
    ISAKMP_HASH,
    Node,
    is_v4,
    itf_name,
    to_int,
)  # fmt: skip
from .model import Identity

if TYPE_CHECKING:
    from .cisco_ios_collect import Cfg


def crypto(cfg: Cfg, node: Node, low: list[str]) -> bool:
    """Handle one top-level ``crypto`` line; False when the form is unknown."""
    w = node.words
    two = low[1:3]
    if two == ["isakmp", "policy"] and len(w) > 3:
        _isakmp_policy(cfg, node)
    elif two == ["isakmp", "key"]:
        _isakmp_key(cfg, node, low)
    elif low[1] == "keyring" and len(w) > 2:
        _keyring(cfg, node)
    elif two == ["isakmp", "profile"] and len(w) > 3:
        _isakmp_profile(cfg, node)
    elif two == ["isakmp", "identity"] and len(w) > 3:
        cfg.globals["identity"] = cfg.line(node)
        cfg.globals["identity:" + low[3]] = cfg.line(node)
    elif two == ["isakmp", "keepalive"]:
        cfg.globals["keepalive"] = cfg.line(node)
    elif low[1:4] == ["isakmp", "nat", "keepalive"]:
        cfg.flags["isakmp-nat-keepalive"] = cfg.line(node)
    elif low[1:4] == ["isakmp", "aggressive-mode", "disable"]:
        cfg.globals["aggressive-mode-disable"] = cfg.line(node)
        cfg.flags["aggressive-mode-disable"] = cfg.line(node)
    elif two == ["isakmp", "peer"] and len(w) > 4:
        _isakmp_peer(cfg, node, low)
    elif two == ["ikev2", "proposal"] and len(w) > 3:
        _ikev2_proposal(cfg, node)
    elif two == ["ikev2", "policy"] and len(w) > 3:
        _ikev2_policy(cfg, node)
    elif two == ["ikev2", "keyring"] and len(w) > 3:
        _ikev2_keyring(cfg, node)
    elif two == ["ikev2", "profile"] and len(w) > 3:
        _ikev2_profile(cfg, node)
    elif two == ["ikev2", "dpd"]:
        cfg.globals["ikev2-dpd"] = cfg.line(node)
    elif two == ["ipsec", "transform-set"] and len(w) > 4:
        _transform_set(cfg, node, low)
    elif two == ["ipsec", "profile"] and len(w) > 3:
        cfg.ipsec_profiles[w[3]] = _settings(cfg, node)
    elif low[1:4] == ["ipsec", "security-association", "lifetime"] and len(w) > 5:
        value = to_int(w[5])
        if value is None or low[4] not in ("seconds", "kilobytes"):
            return False
        cfg.ipsec_lifetime[low[4]] = (value, cfg.line(node))
    elif low[1] == "map" and len(w) > 3:
        return _crypto_map(cfg, node, low)
    elif low[1] == "dynamic-map" and len(w) > 3 and w[3].isdecimal():
        cfg.dynamic_maps[(w[2], int(w[3]))] = _settings(cfg, node)
    elif low[1] in ("pki", "key") or two == ["ipsec", "df-bit"]:
        return True  # certificates, RSA keys, df-bit: not part of negotiation here
    else:
        return False
    return True


# ----------------------------------------------------------------------------- IKEv1


def _isakmp_policy(cfg: Cfg, node: Node) -> None:
    prio = to_int(node.words[3])
    if prio is None:
        raise ValueError("policy number")
    pol: dict[str, Any] = {"priority": prio, "ev": cfg.line(node)}
    for ch in node.children:
        w = ch.words
        key = w[0].lower()
        ev = cfg.line(ch)
        if key in ("encr", "encryption") and len(w) > 1:
            algo = w[1].lower()
            if algo == "aes":
                bits = w[2] if len(w) > 2 and w[2].isdecimal() else "128"
                pol["encryption"] = (f"aes-cbc-{bits}", ev)
            elif algo in ("des", "3des"):
                pol["encryption"] = (algo, ev)
            else:
                cfg.notes.append(ev)
        elif key == "hash" and len(w) > 1 and w[1].lower() in ISAKMP_HASH:
            pol["hash"] = (ISAKMP_HASH[w[1].lower()], ev)
        elif key == "authentication" and len(w) > 1 and w[1].lower() in ISAKMP_AUTH:
            pol["auth"] = (ISAKMP_AUTH[w[1].lower()], ev)
        elif key == "group" and len(w) > 1 and w[1].isdecimal():
            pol["group"] = (int(w[1]), ev)
        elif key == "lifetime" and len(w) > 1 and w[1].isdecimal():
            pol["lifetime"] = (int(w[1]), ev)
        else:
            cfg.notes.append(ev)
    cfg.isakmp_policies.append(pol)


def _key_target(words: list[str], low: list[str], start: int) -> dict[str, Any]:
    """``address A [M]`` / ``hostname H`` from ``start`` on."""
    out: dict[str, Any] = {}
    if "address" in low[start:]:
        i = low.index("address", start)
        out["addr"] = words[i + 1]
        if i + 2 < len(words) and is_v4(words[i + 2]):
            out["mask"] = words[i + 2]
    elif "hostname" in low[start:]:
        i = low.index("hostname", start)
        out["hostname"] = words[i + 1].lower()
    return out


def _isakmp_key(cfg: Cfg, node: Node, low: list[str]) -> None:
    # crypto isakmp key [0|6|7] KEY address A [M] [no-xauth] | hostname H
    w = node.words
    key = {"psk": psk_secret(w, 3), "ev": cfg.line(node)}
    after = 5 if w[3] in ("0", "6", "7", "8") else 4
    key.update(_key_target(w, low, after))
    cfg.isakmp_keys.append(key)


def _keyring(cfg: Cfg, node: Node) -> None:
    ring: dict[str, Any] = {"name": node.words[2], "keys": [], "ev": cfg.line(node)}
    for ch in node.children:
        w = ch.words
        low = [x.lower() for x in w]
        if low[0] == "pre-shared-key" and "key" in low[2:]:
            i = low.index("key", 2)
            key = {"psk": psk_secret(w, i + 1), "ev": cfg.line(ch), "ring": ring["ev"]}
            key.update(_key_target(w[:i], low[:i], 1))
            ring["keys"].append(key)
        elif low[0] in ("local-address", "description"):
            continue
        else:
            cfg.notes.append(cfg.line(ch))
    cfg.keyrings[ring["name"]] = ring


def _isakmp_profile(cfg: Cfg, node: Node) -> None:
    prof: dict[str, Any] = {"name": node.words[3], "ev": cfg.line(node), "keyrings": [],
                            "match": []}  # fmt: skip
    for ch in node.children:
        w = ch.words
        low = [x.lower() for x in w]
        ev = cfg.line(ch)
        if low[0] == "keyring" and len(w) > 1:
            prof["keyrings"].append((w[1], ev))
        elif low[:2] == ["match", "identity"] and len(w) > 3:
            if low[2] == "address":
                mask = w[4] if len(w) > 4 and is_v4(w[4]) else None
                prof["match"].append(("address", w[3], mask, ev))
            elif low[2] == "host" and low[3] == "domain" and len(w) > 4:
                prof["match"].append(("domain", w[4].lower(), None, ev))
            elif low[2] == "host":
                prof["match"].append(("fqdn", w[3].lower(), None, ev))
            elif low[2] == "user-fqdn":
                prof["match"].append(("user-fqdn", w[3], None, ev))
            else:
                prof["match"].append(("other", " ".join(w[2:]), None, ev))
        elif low[0] == "self-identity" and len(w) > 1:
            prof["self_identity"] = (_self_identity(cfg, w, low), ev)
        elif low[0] == "keepalive":
            prof["keepalive"] = (True, ev)
        elif low[:2] == ["no", "keepalive"]:
            prof["keepalive"] = (False, ev)
        elif low[:3] == ["initiate", "mode", "aggressive"]:
            prof["aggressive"] = ev
        elif low[0] == "local-address" and len(w) > 1:
            prof["local_address"] = (w[1], ev)
        elif low[0] in ("description", "vrf"):
            continue
        else:
            cfg.notes.append(ev)
    cfg.isakmp_profiles[prof["name"]] = prof


def _self_identity(cfg: Cfg, w: list[str], low: list[str]) -> Identity:
    kind = low[1]
    if kind == "address" and len(w) > 3 and low[2] == "ipv4":
        return Identity(type="ip", value=w[3])
    if kind == "address":
        return Identity(type="ip")
    if kind == "fqdn":
        return Identity(type="fqdn", value=_fqdn(cfg))
    if kind == "user-fqdn" and len(w) > 2:
        return Identity(type="user-fqdn", value=w[2])
    if is_v4(w[1]):
        return Identity(type="ip", value=w[1])
    return Identity(type=kind)


def _fqdn(cfg: Cfg) -> str | None:
    if not cfg.hostname:
        return None
    return f"{cfg.hostname}.{cfg.domain}".lower() if cfg.domain else cfg.hostname.lower()


def _isakmp_peer(cfg: Cfg, node: Node, low: list[str]) -> None:
    # crypto isakmp peer address A  /  set aggressive-mode client-endpoint ... / password K
    peer: dict[str, Any] = {"ev": cfg.line(node)}
    for ch in node.children:
        cl = [x.lower() for x in ch.words]
        if cl[:2] == ["set", "aggressive-mode"]:
            peer["aggressive"] = cfg.line(ch)
            if len(cl) > 3 and cl[2] == "password":
                peer["psk"] = psk_secret(ch.words, 3)
        else:
            cfg.notes.append(cfg.line(ch))
    cfg.isakmp_peers[node.words[4].lower()] = peer


# ----------------------------------------------------------------------------- IKEv2


def _ikev2_proposal(cfg: Cfg, node: Node) -> None:
    prop: dict[str, Any] = {"name": node.words[3], "ev": cfg.line(node)}
    tables = {"encryption": IKEV2_ENCR, "integrity": IKEV2_INTEG, "prf": IKEV2_INTEG}
    for ch in node.children:
        w = ch.words
        key = w[0].lower()
        ev = cfg.line(ch)
        if key in tables:
            vals = [tables[key].get(x.lower()) for x in w[1:]]
            if None in vals:
                cfg.notes.append(ev)
            old = prop.get(key, ((), ev))[0]
            prop[key] = (old + tuple(v for v in vals if v), ev)
        elif key == "group":
            old = prop.get("group", ((), ev))[0]
            prop["group"] = (old + tuple(int(x) for x in w[1:] if x.isdecimal()), ev)
        else:
            cfg.notes.append(ev)
    cfg.ikev2_proposals[prop["name"]] = prop


def _ikev2_policy(cfg: Cfg, node: Node) -> None:
    pol: dict[str, Any] = {"name": node.words[3], "ev": cfg.line(node), "proposals": [],
                           "match_local": []}  # fmt: skip
    for ch in node.children:
        w = ch.words
        low = [x.lower() for x in w]
        ev = cfg.line(ch)
        if low[0] == "proposal" and len(w) > 1:
            pol["proposals"].append((w[1], ev))
        elif low[:3] == ["match", "address", "local"] and len(w) > 3:
            pol["match_local"].append((w[3], ev))
        elif low[:2] == ["match", "fvrf"]:
            continue
        else:
            cfg.notes.append(ev)
    cfg.ikev2_policies.append(pol)


def _ikev2_keyring(cfg: Cfg, node: Node) -> None:
    peers: list[dict[str, Any]] = []
    for ch in node.children:
        if ch.words[0].lower() != "peer" or len(ch.words) < 2:
            cfg.notes.append(cfg.line(ch))
            continue
        peer: dict[str, Any] = {"name": ch.words[1], "ev": cfg.line(ch)}
        for sub in ch.children:
            w = sub.words
            low = [x.lower() for x in w]
            ev = cfg.line(sub)
            if low[0] == "address" and len(w) > 1:
                mask = w[2] if len(w) > 2 and is_v4(w[2]) else None
                peer["address"] = (w[1], mask, ev)
            elif low[0] == "hostname" and len(w) > 1:
                peer["hostname"] = (w[1].lower(), ev)
            elif low[0] == "identity" and len(w) > 2:
                peer["identity"] = (_ikev2_identity(w[1:], low[1:]), ev)
            elif low[0] == "pre-shared-key" and len(w) > 1:
                if low[1] in ("local", "remote"):
                    peer["psk_" + low[1]] = (psk_secret(w, 2), ev)
                else:
                    peer["psk"] = (psk_secret(w, 1), ev)
            elif low[0] == "description":
                continue
            else:
                cfg.notes.append(ev)
        peers.append(peer)
    cfg.ikev2_keyrings[node.words[3]] = peers


def _ikev2_identity(w: list[str], low: list[str]) -> Identity:
    """``address A`` / ``fqdn [domain] X`` / ``email X`` / ``key-id X`` / ``dn`` / ``any``."""
    kind = low[0]
    rest = [x for x in w[1:] if x.lower() not in ("domain", "ipv4")]
    value = rest[0] if rest else None
    if kind == "address":
        if value in ("0.0.0.0", None):
            return Identity(type="any")
        return Identity(type="ip", value=value)
    if kind == "fqdn":
        return Identity(type="fqdn", value=value.lower() if value else None)
    if kind == "email":
        return Identity(type="user-fqdn", value=value)
    if kind == "key-id":
        return Identity(type="key-id", value=value)
    if kind == "any":
        return Identity(type="any")
    return Identity(type=kind, value=value)


def _ikev2_profile(cfg: Cfg, node: Node) -> None:
    prof: dict[str, Any] = {"name": node.words[3], "ev": cfg.line(node), "match_remote": [],
                            "auth_local": [], "auth_remote": []}  # fmt: skip
    for ch in node.children:
        w = ch.words
        low = [x.lower() for x in w]
        ev = cfg.line(ch)
        if low[:3] == ["match", "identity", "remote"] and len(w) > 3:
            mask = w[5] if len(w) > 5 and low[3] == "address" and is_v4(w[5]) else None
            prof["match_remote"].append((_ikev2_identity(w[3:], low[3:]), mask, ev))
        elif low[:3] == ["match", "address", "local"]:
            prof.setdefault("match_local", []).append((" ".join(w[3:]), ev))
        elif low[:2] == ["match", "fvrf"] or low[0] in ("description", "ivrf", "aaa", "pki"):
            continue
        elif low[:2] == ["identity", "local"] and len(w) > 2:
            prof["identity_local"] = (_ikev2_identity(w[2:], low[2:]), ev)
        elif low[0] == "authentication" and len(w) > 2 and low[1] in ("local", "remote"):
            method = IKEV2_AUTH.get(low[2], low[2])
            prof["auth_" + low[1]].append((method, ev))
            if "key" in low[3:]:
                prof["inline_" + low[1]] = psk_secret(w, low.index("key", 3) + 1)
        elif low[0] == "keyring" and len(w) > 1:
            prof["keyring"] = (w[2] if low[1] == "local" and len(w) > 2 else w[1], ev)
        elif low[0] == "lifetime" and len(w) > 1 and w[1].isdecimal():
            prof["lifetime"] = (int(w[1]), ev)
        elif low[0] == "dpd":
            prof["dpd"] = ev
        elif low[:2] == ["nat", "keepalive"]:
            continue
        else:
            cfg.notes.append(ev)
    cfg.ikev2_profiles[prof["name"]] = prof


# ----------------------------------------------------------------------------- IPsec


def _transform_set(cfg: Cfg, node: Node, low: list[str]) -> None:
    # crypto ipsec transform-set NAME t1 [bits] t2 ...
    w = node.words
    ts: dict[str, Any] = {"name": w[3], "ev": cfg.line(node), "encryption": [], "integrity": [],
                          "ah": []}  # fmt: skip
    i = 4
    while i < len(w):
        t = low[i]
        bits = w[i + 1] if i + 1 < len(w) and w[i + 1].isdecimal() else None
        if t in ("esp-aes", "esp-gcm"):
            mode = "cbc" if t == "esp-aes" else "gcm"
            ts["encryption"].append(f"aes-{mode}-{bits or 128}")
        elif t in ESP_ENCR:
            ts["encryption"].append(ESP_ENCR[t])
        elif t in ESP_INTEG:
            ts["integrity"].append(ESP_INTEG[t])
        elif t in AH_INTEG:
            ts["ah"].append(AH_INTEG[t])
        else:
            ts.setdefault("unknown", []).append(t)
            cfg.notes.append(cfg.line(node))
        i += 2 if bits else 1
    for ch in node.children:
        cl = [x.lower() for x in ch.words]
        if cl[0] == "mode" and len(cl) > 1 and cl[1] in ("tunnel", "transport"):
            ts["mode"] = (cl[1], cfg.line(ch))
            if "require" in cl:
                ts["mode_require"] = True
        else:
            cfg.notes.append(cfg.line(ch))
    cfg.transform_sets[ts["name"]] = ts


def _settings(cfg: Cfg, node: Node) -> dict[str, Any]:
    """The ``set ...`` / ``match address`` lines of a crypto map entry, dynamic map entry or
    IPsec profile."""
    st: dict[str, Any] = {"ev": cfg.line(node), "peers": []}
    for ch in node.children:
        w = ch.words
        low = [x.lower() for x in w]
        ev = cfg.line(ch)
        if low[:2] == ["set", "peer"] and len(w) > 2:
            if is_v4(w[2]):
                st["peers"].append((w[2], ev))
            else:
                st["peer_hostname"] = (w[2].lower(), ev)
        elif low[:2] == ["set", "transform-set"] and len(w) > 2:
            st["transform_sets"] = (w[2:], ev)
        elif low[:2] == ["set", "pfs"]:
            group = low[2] if len(low) > 2 else "group1"
            num = to_int(group.removeprefix("group"))
            if num is None:
                cfg.notes.append(ev)
            else:
                st["pfs"] = (num, ev)
        elif low[:3] == ["set", "security-association", "lifetime"] and len(w) > 4:
            value = to_int(w[4])
            if value is not None and low[3] in ("seconds", "kilobytes"):
                st["lifetime_" + low[3]] = (value, ev)
            else:
                cfg.notes.append(ev)
        elif low[:2] == ["match", "address"] and len(w) > 2:
            st["acl"] = (w[2], ev)
        elif low[:2] == ["set", "ikev2-profile"] and len(w) > 2:
            st["ikev2_profile"] = (w[2], ev)
        elif low[:2] == ["set", "isakmp-profile"] and len(w) > 2:
            st["isakmp_profile"] = (w[2], ev)
        elif low[0] in ("reverse-route", "description") or low[:2] == ["set", "reverse-route"]:
            continue
        else:
            cfg.notes.append(ev)
    return st


def _crypto_map(cfg: Cfg, node: Node, low: list[str]) -> bool:
    w = node.words
    if low[3] == "local-address" and len(w) > 4:
        cfg.map_local_address[w[2]] = (itf_name(w[4:]), cfg.line(node))
        return True
    if not w[3].isdecimal():
        return False  # client authentication / isakmp authorization ...
    st = _settings(cfg, node)
    kind = low[4] if len(low) > 4 else "ipsec-isakmp"
    if kind != "ipsec-isakmp":
        cfg.notes.append(st["ev"])  # ipsec-manual / gdoi
        return True
    if len(low) > 6 and low[5] == "dynamic":
        st["dynamic"] = (w[6], st["ev"])
    cfg.crypto_maps[(w[2], int(w[3]))] = st
    return True
