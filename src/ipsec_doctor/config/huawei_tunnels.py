"""Tunnel assembly for the Huawei reader (``config/huawei.py``): IPsec policy entries (ISAKMP,
template, profile) with their IKE peer, IKE and IPsec proposals, identities, addresses, PSK
digest, NAT-T, DPD, lifetimes and security-ACL selectors -> ``model.Tunnel``.

Defaults come from ``config/defaults/huawei.yaml`` and are listed in each object's ``defaults``.
"""

from __future__ import annotations

from ..model import Line
from ..parsers.huawei.current_config import (
    CfgAcl,
    CfgIkePeer,
    CfgIkeProposal,
    CfgInterface,
    CfgIpsecPolicy,
)
from ..parsers.util import is_ip
from . import huawei_words as W
from .huawei_facts import BuilderBase, ifkey
from .model import (
    ChildProposal,
    Identity,
    IkeProposal,
    Secret,
    Selector,
    Tunnel,
)
from .secrets import secret


class TunnelParts(BuilderBase):
    """Mixin of the device builder: everything that makes ``Tunnel`` objects."""

    # -- IKE proposals ----------------------------------------------------------------------
    def _ike_proposal(self, cfg: CfgIkeProposal | None, versions: tuple[int, ...]) -> IkeProposal:
        lines: dict[str, Line] = {}
        defaults: list[str] = []

        def pick(field: str, values: tuple[str, ...], conv, default_key: str, model: str):
            if values:
                assert cfg is not None
                lines[model] = cfg.lines.get(field, cfg.ev)
                return tuple(conv(v) for v in values)
            defaults.append(model)
            return (W.default("ike_proposal", default_key),)

        c = cfg or CfgIkeProposal(vendor="huawei", family="", ev=Line(self.source, 0, ""), number=0)
        enc = pick("encryption", c.encryption, W.encryption, "encryption", "encryption")
        v2 = 2 in versions
        if v2:
            integ = pick("integrity", c.integrity, W.integrity, "integrity_v2", "integrity")
            prf = pick("prf", c.prf, W.integrity, "prf", "prf")
            v1i: tuple[str, ...] = ()
            if 1 in versions:
                v1i = pick(
                    "authentication", c.authentication, W.integrity, "integrity_v1", "v1_integrity"
                )
        else:
            integ = pick(
                "authentication", c.authentication, W.integrity, "integrity_v1", "integrity"
            )
            prf = ()
            v1i = ()
        dh_words = c.dh
        if dh_words:
            dh = tuple(g for g in (W.dh(w) for w in dh_words) if g is not None)
            lines["dh"] = c.lines.get("dh", c.ev)
        else:
            dh = (int(W.default("ike_proposal", "dh")),)
            defaults.append("dh")
        if c.auth_method:
            auth = W.auth_method(c.auth_method)
            lines["auth_method"] = c.lines.get("auth_method", c.ev)
        else:
            auth = W.default("ike_proposal", "auth_method")
            defaults.append("auth_method")
        if c.sa_duration is not None:
            life = c.sa_duration
            lines["lifetime"] = c.lines.get("sa_duration", c.ev)
        else:
            life = int(W.default("ike_proposal", "lifetime"))
            defaults.append("lifetime")
        return IkeProposal(
            name=str(cfg.number) if cfg else "default",
            encryption=enc,
            integrity=integ,
            prf=prf,
            dh=dh,
            v1_integrity=v1i,
            auth_method=auth,
            lifetime=life,
            ev=cfg.ev if cfg else None,
            lines=lines,
            defaults=tuple(defaults),
        )

    # -- IPsec proposals ----------------------------------------------------------------------
    def _child(self, name: str, ev: Line) -> ChildProposal:
        cfg = self.d.ipsec.get(name)
        if cfg is None:
            self.note(ev)  # a proposal name that is not configured
            return ChildProposal(name=name, ev=ev, defaults=("missing",))
        lines: dict[str, Line] = {}
        defaults: list[str] = []
        proto = cfg.transform or W.default("ipsec_proposal", "protocol")
        if cfg.transform:
            lines["protocol"] = cfg.lines["transform"]
        else:
            defaults.append("protocol")
        enc: tuple[str, ...] = ()
        integ: tuple[str, ...] = ()
        ah: tuple[str, ...] = ()
        if "esp" in proto:
            if cfg.esp_encryption:
                enc = tuple(W.encryption(w) for w in cfg.esp_encryption)
                lines["encryption"] = cfg.lines["esp_encryption"]
            else:
                enc = (W.default("ipsec_proposal", "esp_encryption"),)
                defaults.append("encryption")
            if cfg.esp_authentication:
                integ = tuple(W.integrity(w) for w in cfg.esp_authentication)
                lines["integrity"] = cfg.lines["esp_authentication"]
            elif not all(e in ("aes-gcm-128", "aes-gcm-192", "aes-gcm-256") for e in enc):
                integ = (W.default("ipsec_proposal", "esp_integrity"),)
                defaults.append("integrity")
        if "ah" in proto:
            if cfg.ah_authentication:
                ah = tuple(W.integrity(w) for w in cfg.ah_authentication)
                lines["ah_integrity"] = cfg.lines["ah_authentication"]
            else:
                ah = (W.default("ipsec_proposal", "ah_integrity"),)
                defaults.append("ah_integrity")
        mode = cfg.encapsulation or W.default("ipsec_proposal", "mode")
        if cfg.encapsulation:
            lines["mode"] = cfg.lines["encapsulation"]
            if mode == "auto":  # USG "auto": tunnel unless the peer proposes transport
                mode = "tunnel"
                self.note(cfg.lines["encapsulation"])
        else:
            defaults.append("mode")
        return ChildProposal(
            name=name,
            protocol=proto,
            encryption=enc,
            integrity=integ,
            ah_integrity=ah,
            mode=mode,
            ev=cfg.ev,
            lines=lines,
            defaults=tuple(defaults),
        )

    # -- selectors ------------------------------------------------------------------------------
    def _acl_selectors(self, acl: CfgAcl) -> list[Selector]:
        basic = acl.kind == "basic"
        out = []
        for rule in acl.rules:
            try:
                out.append(W.acl_selector(rule, basic, rule.ev))
            except (W.Unsupported, ValueError):
                self.note(rule.ev)
        if acl.match_order == "auto":
            self.note(acl.ev)  # depth-first order: kept in configuration order here
        return out

    # -- tunnels --------------------------------------------------------------------------------
    def _tunnels(self) -> list[Tunnel]:
        d = self.d
        templates: dict[str, list[CfgIpsecPolicy]] = {}
        for p in d.policies:
            if p.kind == "template":
                templates.setdefault(p.name, []).append(p)
        used_templates: set[str] = set()
        out: list[Tunnel] = []
        for p in d.policies:
            if p.kind == "policy":
                if p.template is not None:
                    entries = templates.get(p.template, [])
                    if not entries:
                        self.note(p.ev)
                    used_templates.add(p.template)
                    for t in sorted(entries, key=lambda e: e.seq or 0):
                        name = f"{p.name} {p.seq} ({t.name} {t.seq})"
                        out.append(self._tunnel(t, name, "template", group=p))
                elif p.mode == "manual":
                    self.note(p.ev)
                else:
                    out.append(self._tunnel(p, f"{p.name} {p.seq}", "static", group=p))
            elif p.kind == "profile":
                out += self._profile_tunnels(p)
        for name, entries in templates.items():
            if name not in used_templates:
                for t in entries:
                    out.append(self._tunnel(t, f"template {t.name} {t.seq}", "template", None))
        return out

    def _binding(self, group: CfgIpsecPolicy | None) -> tuple[CfgInterface | None, Line | None]:
        if group is None:
            return None, None
        found = [i for i in self.d.interfaces if i.ipsec_policy == group.name]
        if len(found) > 1:
            for i in found[1:]:
                self.note(i.lines.get("ipsec_policy"))
        if not found:
            return None, None
        return found[0], found[0].lines.get("ipsec_policy")

    def _profile_tunnels(self, p: CfgIpsecPolicy) -> list[Tunnel]:
        itfs = [i for i in self.d.interfaces if i.ipsec_profile == p.name]
        if not itfs:
            return [self._tunnel(p, f"profile {p.name}", "profile", None)]
        return [self._tunnel(p, f"{i.name} profile {p.name}", "profile", None, i) for i in itfs]

    def _tunnel(
        self,
        p: CfgIpsecPolicy,
        name: str,
        kind: str,
        group: CfgIpsecPolicy | None,
        tunnel_itf: CfgInterface | None = None,
    ) -> Tunnel:
        d = self.d
        lines: dict[str, Line] = {}
        defaults: list[str] = []
        f: dict[str, object] = {"name": name, "kind": kind, "ev": p.ev}
        if kind == "template":
            f["initiates"] = False
            lines["initiates"] = p.ev
            if group is not None:
                lines["kind"] = group.lines.get("template", group.ev)
        elif kind == "profile" and tunnel_itf is not None:
            lines["kind"] = tunnel_itf.lines.get("ipsec_profile", tunnel_itf.ev)
        peer = d.peers.get(p.ike_peer) if p.ike_peer else None
        if peer is None:
            self.note(p.lines.get("ike_peer", p.ev))
        else:  # names the render step reuses: the peer and the policy group
            lines["ike_peer"] = p.lines["ike_peer"]
        lines["policy"] = (group or p).ev
        # -- IKE versions and mode
        versions, initiate = self._versions(peer, lines, defaults)
        f["ike_versions"] = versions
        f["initiate_version"] = initiate
        if "ike_versions" in lines:
            lines["initiate_version"] = lines["ike_versions"]
        else:
            defaults.append("initiate_version")
        if peer is not None and peer.exchange_mode in ("main", "aggressive"):
            f["exchange_mode"] = peer.exchange_mode
            lines["exchange_mode"] = peer.lines["exchange_mode"]
        else:
            f["exchange_mode"] = W.default("ike_peer", "exchange_mode")
            if 1 in versions:  # meaningless for an IKEv2-only peer
                defaults.append("exchange_mode")
        # -- IKE proposals
        props = self._peer_proposals(peer, versions, str(f["exchange_mode"]), lines, defaults)
        f["ike_proposals"] = props
        auth = props[0].auth_method if props else "psk"
        f["local_auth"] = auth
        if props and "auth_method" in props[0].lines:
            lines["local_auth"] = props[0].lines["auth_method"]
        else:
            defaults.append("local_auth")
        # -- PSK
        if auth == "psk":
            f["psk"] = self._psk(peer)
            if peer is not None and "pre_shared_key" in peer.lines:
                lines["psk"] = peer.lines["pre_shared_key"]
        # -- identities
        f["local_id"] = self._local_id(peer, lines, defaults)
        # -- addresses
        self._addresses(p, peer, kind, group, tunnel_itf, f, lines, defaults)
        f["remote_id"] = self._remote_id(peer, f, lines, defaults)
        # -- NAT-T, DPD
        if peer is not None and peer.nat_traversal is not None:
            f["nat_traversal"] = peer.nat_traversal
            lines["nat_traversal"] = peer.lines["nat_traversal"]
        else:
            f["nat_traversal"] = bool(W.default("ike_peer", "nat_traversal"))
            defaults.append("nat_traversal")
        f["dpd"] = self._dpd(peer, lines, defaults)
        # -- phase 2
        children = [self._child(n, p.lines.get("proposals", p.ev)) for n in p.proposals]
        if not children:
            self.note(p.ev)
        life, life_ev = self._child_lifetime(p, "time")
        life_kb, kb_ev = self._child_lifetime(p, "traffic")
        for c in children:
            c.lifetime = life
            c.lifetime_kb = life_kb
            if life_ev is not None:
                c.lines["lifetime"] = life_ev
            else:
                c.defaults = (*c.defaults, "lifetime")
            if kb_ev is not None:
                c.lines["lifetime_kb"] = kb_ev
            else:
                c.defaults = (*c.defaults, "lifetime_kb")
        f["child_proposals"] = children
        if children:
            lines["child_proposals"] = p.lines.get("proposals", p.ev)
        if p.pfs is not None:
            f["pfs"] = W.pfs_group(p.pfs)
            lines["pfs"] = p.lines["pfs"]
        else:
            defaults.append("pfs")
        # -- selectors
        self._selectors(p, kind, f, lines, defaults)
        f["sha2_truncation"] = self.trunc
        if self.trunc_ev is not None:
            lines["sha2_truncation"] = self.trunc_ev
        else:
            defaults.append("sha2_truncation")
        for k in ("trigger_mode", "route_inject", "alias"):
            if k in p.lines:
                self.note(p.lines[k])
        return Tunnel(**f, lines=lines, defaults=tuple(dict.fromkeys(defaults)))  # type: ignore[arg-type]

    def _versions(
        self, peer: CfgIkePeer | None, lines: dict[str, Line], defaults: list[str]
    ) -> tuple[tuple[int, ...], int]:
        allv = tuple(W.default("ike_peer", "versions"))
        if peer is None or "version" not in peer.lines:
            defaults.append("ike_versions")
            return allv, 2 if 2 in allv else 1
        lines["ike_versions"] = peer.lines["version"]
        if peer.version in ("v1", "v2") and peer.lines["version"] == peer.ev:
            v = (int(peer.version[1]),)  # "ike peer NAME v1" (older AR): that version only
        else:
            # "version N" re-enables a version that is on by default; "undo version N" disables
            v = tuple(x for x in allv if x not in peer.versions_off)
            if not v:
                v = allv
                self.note(peer.lines["version"])
        return v, (2 if 2 in v else 1)

    def _peer_proposals(
        self,
        peer: CfgIkePeer | None,
        versions: tuple[int, ...],
        mode: str,
        lines: dict[str, Line],
        defaults: list[str],
    ) -> list[IkeProposal]:
        d = self.d
        if peer is not None and peer.ike_proposal is not None:
            lines["ike_proposals"] = peer.lines["ike_proposal"]
            cfg = d.ike.get(peer.ike_proposal)
            if cfg is None:
                self.note(peer.lines["ike_proposal"])
            return [self._ike_proposal(cfg, versions)]
        # no ike-proposal: all proposals (by number) + the default one in main mode / IKEv2,
        # only the default one in IKEv1 aggressive mode (seed 003 l.3003)
        defaults.append("ike_proposals")
        default = self._ike_proposal(None, versions)
        if mode == "aggressive" and versions == (1,):
            return [default]
        return [self._ike_proposal(d.ike[n], versions) for n in sorted(d.ike)] + [default]

    def _psk(self, peer: CfgIkePeer | None) -> Secret:
        """The key on the ``pre-shared-key`` line the parser cited, read from the raw text and
        digested at once (the value is never kept).  ``simple`` / ``cipher`` / no qualifier
        (USG); a ``%^%#...%^%#`` blob compares as a vendor cipher, anything else as plain text
        (``cipher`` followed by clear text is how a key is typed, VRP encrypts it on entry)."""
        if peer is None or not peer.pre_shared_key or "pre_shared_key" not in peer.lines:
            return Secret(kind="missing")
        n = peer.lines["pre_shared_key"].line
        if not 0 < n <= len(self.raw):
            return Secret(kind="missing")
        raw = self.raw[n - 1]
        at = raw.lower().find("pre-shared-key")  # "---- More ----" debris may precede it
        words = raw[at:].split(None, 2) if at >= 0 else []
        if len(words) < 2:
            return Secret(kind="missing")
        if words[1].lower() in ("simple", "cipher"):
            if len(words) < 3:
                return Secret(kind="missing")
            value = words[2].strip()
        else:
            value = " ".join(words[1:]).strip()
        return secret(value, encrypted=value.startswith(("%^%#", "%$%$", "%@%@", "%#%#")))

    def _local_id(
        self, peer: CfgIkePeer | None, lines: dict[str, Line], defaults: list[str]
    ) -> Identity:
        g = self.d.g
        if peer is None or (peer.local_id_type is None and peer.local_id is None):
            defaults.append("local_id")
            return Identity(type=W.default("ike_peer", "local_id_type"))
        typ = peer.local_id_type or "ip"
        lines["local_id"] = peer.lines.get("local_id") or peer.lines["local_id_type"]
        if "local_id_type" in peer.lines:
            lines["local_id_type"] = peer.lines["local_id_type"]
        val = peer.local_id
        if typ == "ip":
            return Identity(type="ip", value=val if val and is_ip(val) else None)
        if typ in ("fqdn", "name"):
            if val is None and g is not None and g.ike_local_name:
                val = g.ike_local_name
                lines["local_id"] = g.lines.get("ike_local_name", lines["local_id"])
            if val is None:  # seed 003 l.2983: the sysname applies
                val = self.name
            return Identity(type="fqdn", value=val)
        if typ in ("user-fqdn", "key-id"):
            return Identity(type=typ, value=val)
        if typ == "dn":
            return Identity(type="dn", value=val)
        self.note(lines["local_id"])
        return Identity(type=typ, value=val)

    def _remote_id(
        self, peer: CfgIkePeer | None, f: dict, lines: dict[str, Line], defaults: list[str]
    ) -> Identity | None:
        if peer is None:
            return None
        typ = peer.remote_id_type
        rid = peer.remote_ids[0] if peer.remote_ids else None
        if len(peer.remote_ids) > 1:
            self.note(peer.lines.get("remote_ids"))
        if typ is not None:
            lines["remote_id_type"] = peer.lines["remote_id_type"]
            lines["remote_id"] = peer.lines.get("remote_ids") or peer.lines["remote_id_type"]
            if typ == "any":
                return Identity(type="any")
            if typ == "none":
                return None
            if typ == "ip":
                if rid is None:
                    return self._implied_ip_id(peer, f, lines, defaults, keep_line=True)
                return Identity(type="ip", value=rid)
            return Identity(type=typ, value=rid or peer.remote_name)
        if rid is not None:
            lines["remote_id"] = peer.lines["remote_ids"]
            if is_ip(rid):
                return Identity(type="ip", value=rid)
            return Identity(type="user-fqdn" if "@" in rid else "fqdn", value=rid)
        if peer.remote_name is not None:
            lines["remote_id"] = peer.lines["remote_name"]
            return Identity(type="fqdn", value=peer.remote_name)
        return self._implied_ip_id(peer, f, lines, defaults)

    def _implied_ip_id(
        self,
        peer: CfgIkePeer,
        f: dict,
        lines: dict[str, Line],
        defaults: list[str],
        keep_line: bool = False,
    ) -> Identity | None:
        """An IP identity is checked against remote-address, or against the
        authentication-address when set (seed 002 l.1224-1266); an address range
        (``authentication-address 10.4.1.1 10.4.1.255``, seed 003 l.1768) is an ``ip`` identity
        without value: any address of the range (``negotiate.auth.identity_ok``)."""
        if peer.auth_addresses:
            if not keep_line:
                lines["remote_id"] = peer.lines["auth_addresses"]
                defaults.append("remote_id")
            if "-" in peer.auth_addresses[0]:
                return Identity(type="ip")
            return Identity(type="ip", value=peer.auth_addresses[0])
        addrs = f.get("peer_addresses") or ()
        if len(addrs) == 1 and is_ip(addrs[0]):
            if not keep_line:
                lines["remote_id"] = lines.get("peer_addresses", peer.ev)
                defaults.append("remote_id")
            return Identity(type="ip", value=addrs[0])
        return Identity(type="ip") if keep_line else None

    def _addresses(
        self,
        p: CfgIpsecPolicy,
        peer: CfgIkePeer | None,
        kind: str,
        group: CfgIpsecPolicy | None,
        tunnel_itf: CfgInterface | None,
        f: dict,
        lines: dict[str, Line],
        defaults: list[str],
    ) -> None:
        # peer addresses
        remote: tuple[str, ...] = peer.remote_addresses if peer else ()
        if remote:
            lines["peer_addresses"] = peer.lines["remote_addresses"]  # type: ignore[union-attr]
            for r in remote:
                if "-" in r:
                    self.note(peer.lines["remote_addresses"])  # type: ignore[union-attr]
        elif p.tunnel_remote is not None:
            remote = (p.tunnel_remote,)
            lines["peer_addresses"] = p.lines["tunnel_remote"]
        elif tunnel_itf is not None and tunnel_itf.tunnel_destination:
            remote = (tunnel_itf.tunnel_destination,)
            lines["peer_addresses"] = tunnel_itf.lines["tunnel_destination"]
        f["peer_addresses"] = remote
        if peer is not None and peer.remote_host:
            f["peer_hostname"] = peer.remote_host
            lines["peer_hostname"] = peer.lines["remote_host"]
        if peer is not None and peer.auth_addresses:
            f["auth_addresses"] = peer.auth_addresses
            lines["auth_addresses"] = peer.lines["auth_addresses"]
        if not remote and not f.get("peer_hostname"):
            f["peer_any"] = True
            lines["peer_any"] = peer.ev if peer is not None else p.ev
            if kind == "static":  # an ISAKMP policy needs remote-address to initiate
                f["initiates"] = False
                lines["initiates"] = lines["peer_any"]
                self.note(lines["peer_any"])
        # binding and local address
        if kind == "profile":
            itf = tunnel_itf
            bind_ev = tunnel_itf.lines.get("ipsec_profile") if tunnel_itf else None
        else:
            itf, bind_ev = self._binding(group)
        if itf is not None and bind_ev is not None:
            f["bound_interface"] = itf.name
            lines["bound_interface"] = bind_ev
        src_itf = itf
        if kind == "profile" and tunnel_itf is not None and tunnel_itf.tunnel_source:
            ts = tunnel_itf.tunnel_source
            if is_ip(ts):
                f["local_address"] = ts
                lines["local_address"] = tunnel_itf.lines["tunnel_source"]
                src_itf = None
            else:
                src_itf = self.itf_by_key.get(ifkey(ts))
                lines["local_interface"] = tunnel_itf.lines["tunnel_source"]
        if src_itf is not None:
            f["local_interface"] = src_itf.name
            if "local_interface" not in lines and bind_ev is not None:
                lines["local_interface"] = bind_ev
        if "local_address" in f:
            return
        tl = p.tunnel_local or (group.tunnel_local if group is not None else None)
        tl_ev = p.lines.get("tunnel_local") or (group.lines.get("tunnel_local") if group else None)
        if peer is not None and peer.local_address and is_ip(peer.local_address):
            f["local_address"] = peer.local_address
            lines["local_address"] = peer.lines["local_address"]
        elif tl is not None and is_ip(tl):
            f["local_address"] = tl
            lines["local_address"] = tl_ev  # type: ignore[assignment]
        else:
            addr, ev = self._primary(src_itf.name if src_itf else None)
            if addr is not None:
                f["local_address"] = addr
                lines["local_address"] = tl_ev if tl is not None and tl_ev else ev  # type: ignore
                if tl is None:
                    defaults.append("local_address")

    def _dpd(self, peer: CfgIkePeer | None, lines: dict[str, Line], defaults: list[str]) -> bool:
        if peer is not None and peer.dpd_type is not None:
            lines["dpd"] = peer.lines["dpd_type"]
            return peer.dpd_type in ("periodic", "on-demand")
        g = self.d.g
        if g is not None and g.dpd_type is not None:  # seed 003 l.658: global DPD applies
            lines["dpd"] = g.lines["dpd_type"]
            return g.dpd_type in ("periodic", "on-demand")
        defaults.append("dpd")
        return bool(W.default("ike_peer", "dpd"))

    def _child_lifetime(self, p: CfgIpsecPolicy, kind: str) -> tuple[int, Line | None]:
        field = "sa_duration_time" if kind == "time" else "sa_duration_traffic"
        value = getattr(p, field)
        if value is not None:
            return value, p.lines[field]
        g = self.d.g
        gfield = "sa_global_time" if kind == "time" else "sa_global_traffic"
        if g is not None and getattr(g, gfield) is not None:
            return getattr(g, gfield), g.lines[gfield]
        key = "lifetime" if kind == "time" else "lifetime_kb"
        return int(W.default("ipsec_proposal", key)), None

    def _selectors(
        self, p: CfgIpsecPolicy, kind: str, f: dict, lines: dict[str, Line], defaults: list[str]
    ) -> None:
        if kind == "profile":
            f["selectors"] = [Selector(ev=p.ev)]
            defaults.append("selectors")
            return
        if p.acl is None and p.acl_name is None:
            if kind == "template":  # accepts the initiator's flows (seed 003 l.1980)
                f["selectors"] = [Selector()]
                defaults.append("selectors")
            else:
                f["selectors"] = []
                self.note(p.ev)
            return
        lines["selectors"] = p.lines["acl"]
        f["selector_name"] = str(p.acl) if p.acl is not None else p.acl_name
        lines["selector_name"] = p.lines["acl"]
        acl = self.d.acl(p.acl, p.acl_name)
        if acl is None:
            self.note(p.lines["acl"])
            f["selectors"] = []
            return
        f["selectors"] = self._acl_selectors(acl)

