"""Cisco IOS reader, second pass: the collected objects (``cisco_ios_collect.Cfg``) -> one
``Tunnel`` per crypto map entry (``kind="static"``), per dynamic-map entry reached from a crypto
map (``kind="dynamic"``, responder only, any peer) and per tunnel interface with
``tunnel protection ipsec profile`` (``kind="profile"``).

IOS behaviour modelled here (sources in ``defaults/cisco_ios.yaml`` and the comments):

* IKE version: an entry (or IPsec profile) with ``set ikev2-profile`` speaks IKEv2 only;
  otherwise IKEv1 (an IKEv2 profile must be attached to the crypto map or IPsec profile on both
  initiator and responder -- FlexVPN/IKEv2 configuration guide).
* IKEv1 offers every ``crypto isakmp policy`` in priority order (IOS sends them all); with none
  configured, the default suites 65507-65514.  IKEv2 uses the proposals of the first IKEv2
  policy whose ``match address local`` is the tunnel's address (or that has none), else the
  default policy with the default proposal.
* Pre-shared key (IKEv1): the ISAKMP profile's keyrings (profile set on the entry, else the one
  whose ``match identity address`` covers the peer), otherwise global ``crypto isakmp key`` and
  every keyring; the longest address/mask match wins.  IKEv2: inline profile keys, else the
  profile keyring's peer whose address/hostname/identity matches.
* Keys are already digests; lines cite where each value came from.
"""

from __future__ import annotations

from typing import Any

from ..model import Line
from .cisco_ios import default, defaults
from .cisco_ios_collect import Cfg, Itf
from .cisco_ios_tree import covers, is_v4, mask_len, network
from .model import ChildProposal, Identity, IkeProposal, Secret, Selector, Tunnel


def build_tunnels(cfg: Cfg) -> list[Tunnel]:
    tunnels: list[Tunnel] = []
    applied: dict[str, list[Itf]] = {}
    for itf in cfg.interfaces.values():
        if itf.crypto_map:
            applied.setdefault(itf.crypto_map, []).append(itf)
    for (name, seq), st in sorted(cfg.crypto_maps.items()):
        itfs = applied.get(name, [])
        if "dynamic" in st:
            dname = st["dynamic"][0]
            entries = sorted((k[1], v) for k, v in cfg.dynamic_maps.items() if k[0] == dname)
            if not entries:
                cfg.notes.append(st["ev"])  # points at a dynamic map that does not exist
            for dseq, dst in entries:
                t = _map_tunnel(cfg, f"{dname} {dseq}", "dynamic", dst, name, itfs)
                t.lines["crypto_map"] = st["ev"]
                tunnels.append(t)
        else:
            tunnels.append(_map_tunnel(cfg, f"{name} {seq}", "static", st, name, itfs))
    for itf in cfg.interfaces.values():
        if "protection" in itf.tunnel:
            tunnels.append(_vti(cfg, itf))
    return tunnels


# ----------------------------------------------------------------------------- entry kinds


def _address_of(cfg: Cfg, itf_name: str) -> tuple[str | None, Itf | None]:
    itf = cfg.interfaces.get(itf_name)
    if itf is None:
        for cand in cfg.interfaces.values():
            if cand.name.lower() == itf_name.lower():
                itf = cand
                break
    if itf is None or not itf.addresses:
        return None, itf
    return itf.addresses[0].split("/")[0], itf


def _egress(cfg: Cfg, dest: str) -> Itf | None:
    """The interface the longest matching static (or connected) route to ``dest`` uses."""
    import ipaddress

    best: tuple[int, Itf] | None = None
    addr = ipaddress.IPv4Address(dest)
    for itf in cfg.interfaces.values():
        for a in itf.addresses:
            net = ipaddress.IPv4Network(a, strict=False)
            if addr in net and (best is None or net.prefixlen > best[0]):
                best = (net.prefixlen, itf)
    if best is not None:
        return best[1]
    for route in cfg.routes:
        net = ipaddress.IPv4Network(route.prefix)
        if addr not in net or (best is not None and net.prefixlen <= best[0]):
            continue
        itf = cfg.interfaces.get(route.interface or "")
        if itf is None and route.next_hop:
            hop = ipaddress.IPv4Address(route.next_hop)
            itf = next((i for i in cfg.interfaces.values() for a in i.addresses
                        if hop in ipaddress.IPv4Network(a, strict=False)), None)  # fmt: skip
        if itf is not None:
            best = (net.prefixlen, itf)
    return best[1] if best else None


def _map_tunnel(cfg: Cfg, name: str, kind: str, st: dict[str, Any], map_name: str,
                itfs: list[Itf]) -> Tunnel:  # fmt: skip
    t = Tunnel(name=name, kind=kind, ev=st["ev"], lines={}, defaults=())
    defs: list[str] = []
    bound = itfs[0] if itfs else None
    if bound is not None:
        t.bound_interface = bound.name
        if bound.crypto_map_ev is not None:
            t.lines["bound_interface"] = bound.crypto_map_ev
        if len(itfs) > 1:
            cfg.notes += [i.crypto_map_ev for i in itfs[1:] if i.crypto_map_ev is not None]
    src_itf = bound
    if map_name in cfg.map_local_address:
        itf_name, ev = cfg.map_local_address[map_name]
        _, src_itf = _address_of(cfg, itf_name)
        t.lines["local_address"] = ev
    if src_itf is None:  # not applied: the interface the route to the peer leaves from
        peer = st["peers"][0][0] if st["peers"] else "0.0.0.0"
        src_itf = _egress(cfg, peer)
    if src_itf is not None:
        t.local_interface = src_itf.name
        if src_itf.addresses:
            t.local_address = src_itf.addresses[0].split("/")[0]
            t.lines.setdefault("local_address", src_itf.address_lines[0])
    if kind == "dynamic":
        t.initiates, t.peer_any = False, True
    else:
        t.peer_addresses = tuple(p for p, _ in st["peers"])
        if st["peers"]:
            t.lines["peer_addresses"] = st["peers"][0][1]
        if "peer_hostname" in st:
            t.peer_hostname, t.lines["peer_hostname"] = st["peer_hostname"]
        if not st["peers"] and "peer_hostname" not in st:
            cfg.notes.append(st["ev"])  # incomplete entry: no peer
    # selectors
    if "acl" in st:
        acl, ev = st["acl"]
        t.selector_name, t.lines["selectors"] = acl, ev
        t.selectors = list(cfg.acls.get(acl, []))
        if acl not in cfg.acls:
            cfg.notes.append(ev)  # match address names an ACL that does not exist
    elif kind == "dynamic":
        t.selectors = [Selector()]  # a dynamic map without ACL accepts what the peer proposes
        defs.append("selectors")
    else:
        cfg.notes.append(st["ev"])  # incomplete entry: no match address
    _negotiation(cfg, t, st, defs)
    t.defaults = tuple(defs)
    return t


def _vti(cfg: Cfg, itf: Itf) -> Tunnel:
    prof_name, prot_ev = itf.tunnel["protection"]
    t = Tunnel(name=itf.name, kind="profile", ev=itf.ev, lines={"ipsec_profile": prot_ev},
               defaults=())  # fmt: skip
    defs: list[str] = []
    t.bound_interface = itf.name
    t.lines["bound_interface"] = prot_ev
    st = cfg.ipsec_profiles.get(prof_name)
    if st is None:
        cfg.notes.append(prot_ev)  # protection names a profile that does not exist
        st = {"ev": prot_ev, "peers": []}
    if "source" in itf.tunnel and itf.tunnel["source"][0].lower() != "dynamic":
        src, ev = itf.tunnel["source"]
        t.lines["local_address"] = ev
        if is_v4(src):
            t.local_address = src
            owner = next((i for i in cfg.interfaces.values()
                          if any(a.split("/")[0] == src for a in i.addresses)), None)  # fmt: skip
            t.local_interface = owner.name if owner else None
        else:
            t.local_address, owner = _address_of(cfg, src)
            t.local_interface = owner.name if owner else src
    mode, mode_ev = itf.tunnel.get("mode", ("gre ip", itf.ev))
    if "destination" in itf.tunnel:
        dst, ev = itf.tunnel["destination"]
        t.lines["peer_addresses"] = ev
        if dst.lower() == "dynamic":  # FlexVPN client: the peer comes from "crypto ikev2 client"
            t.peer_any = True
        elif is_v4(dst):
            t.peer_addresses = (dst,)
        else:
            t.peer_hostname = dst
    elif "multipoint" in mode:
        t.peer_any = True
    t.lines["selectors"] = mode_ev
    if mode.startswith("ipsec"):
        t.selectors = [Selector()]
    else:  # GRE (point-to-point or multipoint) over IPsec protects GRE between the tunnel ends
        src = f"{t.local_address}/32" if t.local_address else None
        dst = f"{t.peer_addresses[0]}/32" if t.peer_addresses else "0.0.0.0/0"
        t.selectors = [Selector(src=src, dst=dst, protocol=47, ev=mode_ev)]
    _negotiation(cfg, t, st, defs)
    t.defaults = tuple(defs)
    return t


# ----------------------------------------------------------------------------- negotiation


def _negotiation(cfg: Cfg, t: Tunnel, st: dict[str, Any], defs: list[str]) -> None:
    peer = t.peer_addresses[0] if t.peer_addresses else None
    nat_t = cfg.globals.get("no-nat-t")
    t.nat_traversal = nat_t is None and bool(defaults()["nat_traversal"]["value"])
    if nat_t is not None:
        t.lines["nat_traversal"] = nat_t
    else:
        defs.append("nat_traversal")
    if "ikev2_profile" in st:
        _ikev2(cfg, t, st, peer, defs)
    else:
        _ikev1(cfg, t, st, peer, defs)
    _child(cfg, t, st, defs)


def _ikev1(cfg: Cfg, t: Tunnel, st: dict[str, Any], peer: str | None, defs: list[str]) -> None:
    t.ike_versions, t.initiate_version = (1,), 1
    t.lines["ike_versions"] = st["ev"]  # an entry without "set ikev2-profile" speaks IKEv1
    t.ike_proposals = _isakmp_proposals(cfg, defs)
    if t.ike_proposals:
        t.local_auth = t.ike_proposals[0].auth_method
    prof = None
    if "isakmp_profile" in st:
        pname, ev = st["isakmp_profile"]
        prof = cfg.isakmp_profiles.get(pname)
        t.lines["isakmp_profile"] = ev
        if prof is None:
            cfg.notes.append(ev)
    elif peer is not None:
        prof = _profile_by_identity(cfg, peer)
        if prof is not None:
            t.lines["isakmp_profile"] = prof["ev"]
    # identities
    if prof is not None and "self_identity" in prof:
        t.local_id, t.lines["local_id"] = prof["self_identity"]
    elif "identity" in cfg.globals:
        ev = cfg.globals["identity"]
        if "identity:hostname" in cfg.globals:
            from .cisco_ios_crypto import _fqdn

            t.local_id = Identity(type="fqdn", value=_fqdn(cfg))
        elif "identity:dn" in cfg.globals:
            t.local_id = Identity(type="dn")
        t.lines["local_id"] = ev
    else:
        defs.append("local_id")
    if prof is not None and prof["match"]:
        kind, value, mask, ev = prof["match"][0]
        t.remote_id, t.lines["remote_id"] = _v1_remote_id(kind, value, mask), ev
    # exchange mode
    peer_cfg = cfg.isakmp_peers.get(peer or "")
    if prof is not None and "aggressive" in prof:
        t.exchange_mode, t.lines["exchange_mode"] = "aggressive", prof["aggressive"]
    elif peer_cfg is not None and "aggressive" in peer_cfg:
        t.exchange_mode, t.lines["exchange_mode"] = "aggressive", peer_cfg["aggressive"]
    else:
        defs.append("exchange_mode")
    # DPD
    if prof is not None and "keepalive" in prof:
        t.dpd, t.lines["dpd"] = prof["keepalive"]
    elif "keepalive" in cfg.globals:
        t.dpd, t.lines["dpd"] = True, cfg.globals["keepalive"]
    else:
        t.dpd = default("isakmp", "keepalive")
        defs.append("dpd")
    # pre-shared key
    if peer_cfg is not None and "psk" in peer_cfg:
        t.psk, t.lines["psk"] = peer_cfg["psk"], peer_cfg["aggressive"]
    elif any(p.auth_method == "psk" for p in t.ike_proposals):
        key = _v1_key(cfg, prof, peer, t.peer_hostname, t.peer_any)
        if key is None:
            t.psk = Secret(kind="missing")
        else:
            t.psk, t.lines["psk"] = key["psk"], key["ev"]
            if "ring" in key:
                t.lines["keyring"] = key["ring"]


def _v1_remote_id(kind: str, value: str, mask: str | None) -> Identity:
    if kind == "address":
        plen = 32 if mask is None else mask_len(mask)
        if value == "0.0.0.0" or plen == 0:
            return Identity(type="any")
        if plen in (None, 32):
            return Identity(type="ip", value=value)
        return Identity(type="ip", value=network(value, plen))  # a subnet of accepted peers
    if kind == "domain":
        return Identity(type="fqdn", value="*." + value)
    if kind in ("fqdn", "user-fqdn"):
        return Identity(type=kind, value=value)
    return Identity(type="any")


def _profile_by_identity(cfg: Cfg, peer: str) -> dict[str, Any] | None:
    best: tuple[int, dict[str, Any]] | None = None
    for prof in cfg.isakmp_profiles.values():
        for kind, value, mask, _ in prof["match"]:
            if kind != "address":
                continue
            plen = covers(value, mask if value != "0.0.0.0" else "0.0.0.0", peer)
            if plen is not None and (best is None or plen > best[0]):
                best = (plen, prof)
    return best[1] if best else None


def _v1_key(cfg: Cfg, prof: dict[str, Any] | None, peer: str | None, hostname: str | None,
            any_peer: bool) -> dict[str, Any] | None:  # fmt: skip
    if prof is not None and prof["keyrings"]:
        rings = [cfg.keyrings[name] for name, _ in prof["keyrings"] if name in cfg.keyrings]
        keys = [k for r in rings for k in r["keys"]]
    else:
        keys = list(cfg.isakmp_keys) + [k for r in cfg.keyrings.values() for k in r["keys"]]
    return _best_key(keys, peer, hostname, any_peer)


def _best_key(keys: list[dict[str, Any]], peer: str | None, hostname: str | None,
              any_peer: bool) -> dict[str, Any] | None:  # fmt: skip
    best: tuple[int, dict[str, Any]] | None = None
    for key in keys:
        if "addr" in key and peer is not None:
            mask = key.get("mask")
            if key["addr"] == "0.0.0.0" and mask is None:
                mask = "0.0.0.0"  # "address 0.0.0.0" is the wildcard key
            plen = covers(key["addr"], mask, peer)
            if plen is not None and (best is None or plen > best[0]):
                best = (plen, key)
        elif hostname and key.get("hostname") == hostname:
            return key
    if best is not None:
        return best[1]
    if any_peer:
        wild = [k for k in keys if k.get("addr") == "0.0.0.0"]
        if wild:
            return wild[0]
        if len(keys) == 1:
            return keys[0]
    return None


def _isakmp_proposals(cfg: Cfg, defs: list[str]) -> list[IkeProposal]:
    base = defaults()["isakmp_policy"]
    out: list[IkeProposal] = []
    fields = (("encryption", "encryption"), ("hash", "integrity"), ("auth", "auth_method"),
              ("group", "dh"), ("lifetime", "lifetime"))  # fmt: skip
    yaml_key = {"encryption": "encryption", "hash": "hash", "auth": "authentication",
                "group": "group", "lifetime": "lifetime"}  # fmt: skip
    for pol in sorted(cfg.isakmp_policies, key=lambda p: p["priority"]):
        vals: dict[str, Any] = {}
        lines: dict[str, Line] = {}
        pdefs: list[str] = []
        for key, attr in fields:
            if key in pol:
                value, lines[attr] = pol[key]
            else:
                value = base[yaml_key[key]]["value"]
                pdefs.append(attr)
            vals[attr] = value
        out.append(
            IkeProposal(
                name=str(pol["priority"]),
                encryption=(vals["encryption"],),
                integrity=(vals["integrity"],),
                dh=(vals["dh"],),
                auth_method=vals["auth_method"],
                lifetime=vals["lifetime"],
                ev=pol["ev"],
                lines=lines,
                defaults=tuple(pdefs),
            )
        )
    if out:
        return out
    suites = defaults()["isakmp_default_suites"]
    defs.append("ike_proposals")
    for s in suites["policies"]:
        out.append(
            IkeProposal(
                name=str(s["priority"]),
                encryption=(s["encryption"],),
                integrity=(s["hash"],),
                dh=(s["group"],),
                auth_method=s["authentication"],
                lifetime=suites["lifetime"],
                defaults=("encryption", "integrity", "dh", "auth_method", "lifetime"),
            )
        )
    return out


# ----------------------------------------------------------------------------- IKEv2


def _ikev2(cfg: Cfg, t: Tunnel, st: dict[str, Any], peer: str | None, defs: list[str]) -> None:
    t.ike_versions, t.initiate_version = (2,), 2
    pname, pev = st["ikev2_profile"]
    t.lines["ikev2_profile"] = pev
    t.lines["ike_versions"] = pev
    prof = cfg.ikev2_profiles.get(pname)
    if prof is None:
        cfg.notes.append(pev)
        prof = {"name": pname, "ev": pev, "match_remote": [], "auth_local": [],
                "auth_remote": []}  # fmt: skip
    if prof["auth_local"]:
        t.local_auth, t.lines["local_auth"] = prof["auth_local"][0]
    if prof["auth_remote"]:
        t.remote_auth, t.lines["remote_auth"] = prof["auth_remote"][0]
        if len(prof["auth_remote"]) > 1:
            cfg.notes += [ev for _, ev in prof["auth_remote"][1:]]
    lifetime = prof.get("lifetime")
    t.ike_proposals = _ikev2_proposals(cfg, t, lifetime, defs)
    if "identity_local" in prof:
        t.local_id, t.lines["local_id"] = prof["identity_local"]
    else:
        defs.append("local_id")
    if prof["match_remote"]:
        ident, mask, ev = prof["match_remote"][0]
        if ident.type == "ip" and mask is not None and mask_len(mask) not in (None, 32):
            plen = mask_len(mask)
            ident = (
                Identity(type="any")
                if plen == 0
                else Identity(type="ip", value=network(ident.value or "0.0.0.0", plen or 0))
            )
        t.remote_id, t.lines["remote_id"] = ident, ev
        if len(prof["match_remote"]) > 1:
            cfg.notes += [m[2] for m in prof["match_remote"][1:]]
    if "dpd" in prof:
        t.dpd, t.lines["dpd"] = True, prof["dpd"]
    elif "ikev2-dpd" in cfg.globals:
        t.dpd, t.lines["dpd"] = True, cfg.globals["ikev2-dpd"]
    else:
        t.dpd = default("ikev2_profile", "dpd")
        defs.append("dpd")
    defs.append("exchange_mode")
    if t.local_auth == "psk" or t.remote_auth == "psk":
        _ikev2_psk(cfg, t, prof, peer)


def _ikev2_proposals(cfg: Cfg, t: Tunnel, lifetime: tuple[int, Line] | None,
                     defs: list[str]) -> list[IkeProposal]:  # fmt: skip
    life = lifetime[0] if lifetime else default("ikev2_profile", "lifetime")
    chosen = None
    for pol in cfg.ikev2_policies:
        if any(a == t.local_address for a, _ in pol["match_local"]):
            chosen = pol
            break
    if chosen is None:
        chosen = next((p for p in cfg.ikev2_policies if not p["match_local"]), None)
    out: list[IkeProposal] = []
    if chosen is not None:
        t.lines["ike_proposals"] = chosen["ev"]
        for name, ev in chosen["proposals"]:
            prop = cfg.ikev2_proposals.get(name)
            if prop is None:
                cfg.notes.append(ev)
                continue
            keys = ("encryption", "integrity", "prf", "group")
            lines = {k: prop[k][1] for k in keys if k in prop}
            if "group" in lines:
                lines["dh"] = lines.pop("group")
            if lifetime:
                lines["lifetime"] = lifetime[1]
            out.append(
                IkeProposal(
                    name=name,
                    encryption=prop.get("encryption", ((), None))[0],
                    integrity=prop.get("integrity", ((), None))[0],
                    prf=prop.get("prf", ((), None))[0],
                    dh=prop.get("group", ((), None))[0],
                    auth_method=t.local_auth,
                    lifetime=life,
                    ev=prop["ev"],
                    lines=lines,
                    defaults=() if lifetime else ("lifetime",),
                )
            )
        return out
    if cfg.ikev2_policies:
        return out  # policies exist but none applies to this address: nothing is offered
    d = defaults()["ikev2_default_proposal"]
    defs.append("ike_proposals")
    return [
        IkeProposal(
            name="default",
            encryption=tuple(d["encryption"]),
            integrity=tuple(d["integrity"]),
            dh=tuple(d["group"]),
            auth_method=t.local_auth,
            lifetime=life,
            defaults=("encryption", "integrity", "dh") + (() if lifetime else ("lifetime",)),
        )
    ]


def _ikev2_psk(cfg: Cfg, t: Tunnel, prof: dict[str, Any], peer: str | None) -> None:
    if "inline_local" in prof:
        t.psk = prof["inline_local"]
        t.lines["psk"] = next(ev for m, ev in prof["auth_local"] if m == "psk")
        return
    ring_name, ring_ev = prof.get("keyring", (None, None))
    peers = cfg.ikev2_keyrings.get(ring_name or "", [])
    if ring_name and ring_name not in cfg.ikev2_keyrings:
        cfg.notes.append(ring_ev)
    if ring_ev is not None:
        t.lines["keyring"] = ring_ev
    entry = _ikev2_peer(peers, peer, t.peer_hostname, t.remote_id, t.peer_any)
    if entry is not None:
        t.lines["keyring_peer"] = entry["ev"]
    if entry is None:
        t.psk = Secret(kind="missing")
        return
    if "psk" in entry:
        t.psk, t.lines["psk"] = entry["psk"]
    elif "psk_local" in entry:
        t.psk, t.lines["psk"] = entry["psk_local"]
        remote = entry.get("psk_remote")
        if remote is not None and remote[0].same_as(entry["psk_local"][0]) is not True:
            cfg.notes.append(remote[1])  # asymmetric keys: the model keeps the local one
    else:
        t.psk = Secret(kind="missing")
        t.lines["psk"] = entry["ev"]


def _ikev2_peer(peers: list[dict[str, Any]], peer: str | None, hostname: str | None,
                remote_id: Identity | None, any_peer: bool) -> dict[str, Any] | None:  # fmt: skip
    best: tuple[int, dict[str, Any]] | None = None
    for entry in peers:
        if "address" in entry and peer is not None:
            addr, mask, _ = entry["address"]
            if addr == "0.0.0.0" and mask is None:
                mask = "0.0.0.0"
            plen = covers(addr, mask, peer)
            if plen is not None and (best is None or plen > best[0]):
                best = (plen, entry)
        if hostname and entry.get("hostname", (None,))[0] == hostname:
            return entry
        if remote_id is not None and entry.get("identity", (None,))[0] == remote_id:
            best = best or (0, entry)
    if best is not None:
        return best[1]
    if any_peer or peer is None:
        wild = [e for e in peers if e.get("address", ("",))[0] == "0.0.0.0"]
        if wild:
            return wild[0]
        if len(peers) == 1:
            return peers[0]
    return None


# ----------------------------------------------------------------------------- IPsec


def _child(cfg: Cfg, t: Tunnel, st: dict[str, Any], defs: list[str]) -> None:
    life_s, life_s_ev = _lifetime(cfg, st, "seconds")
    life_kb, _ = _lifetime(cfg, st, "kilobytes")
    if "pfs" in st:
        t.pfs, t.lines["pfs"] = st["pfs"]
    else:
        defs.append("pfs")
    t.sha2_truncation = default("ipsec", "sha2_truncation")
    defs.append("sha2_truncation")
    mode_default = default("ipsec", "mode")
    props: list[ChildProposal] = []
    if "transform_sets" in st:
        names, ev = st["transform_sets"]
        t.lines["child_proposals"] = ev
        for name in names:
            ts = cfg.transform_sets.get(name)
            if ts is None:
                cfg.notes.append(ev)
                continue
            lines = {"encryption": ts["ev"], "integrity": ts["ev"]}
            cdefs = []
            if "mode" in ts:
                mode, lines["mode"] = ts["mode"]
            else:
                mode = mode_default
                cdefs.append("mode")
            if life_s_ev is not None:
                lines["lifetime"] = life_s_ev
            else:
                cdefs.append("lifetime")
            esp = bool(ts["encryption"] or ts["integrity"])
            protocol = "ah-esp" if esp and ts["ah"] else ("ah" if ts["ah"] else "esp")
            props.append(
                ChildProposal(
                    name=name,
                    protocol=protocol,
                    encryption=tuple(ts["encryption"]),
                    integrity=tuple(ts["integrity"]),
                    ah_integrity=tuple(ts["ah"]),
                    mode=mode,
                    lifetime=life_s,
                    lifetime_kb=life_kb,
                    ev=ts["ev"],
                    lines=lines,
                    defaults=tuple(cdefs),
                )
            )
    else:
        defs.append("child_proposals")
        for d in default("ipsec", "default_transform_sets"):
            props.append(
                ChildProposal(
                    name=d["name"],
                    encryption=(d["encryption"],),
                    integrity=(d["integrity"],),
                    mode=mode_default,
                    lifetime=life_s,
                    lifetime_kb=life_kb,
                    defaults=("encryption", "integrity", "mode", "lifetime"),
                )
            )
    if life_s_ev is not None:
        t.lines["child.lifetime"] = life_s_ev
    t.child_proposals = props


def _lifetime(cfg: Cfg, st: dict[str, Any], unit: str) -> tuple[int, Line | None]:
    if "lifetime_" + unit in st:
        return st["lifetime_" + unit]
    if unit in cfg.ipsec_lifetime:
        return cfg.ipsec_lifetime[unit]
    key = "lifetime_seconds" if unit == "seconds" else "lifetime_kilobytes"
    return default("ipsec", key), None
