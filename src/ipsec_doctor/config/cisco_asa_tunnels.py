"""Cisco ASA reader, third part: crypto map entries -> ``Tunnel`` objects (IKE policies,
transform sets / IPsec proposals, tunnel-group keys, defaults) and the firewall rules
(interface ACLs plus the ASA's implicit behaviour) -> ``SecurityRule`` objects.

A mixin of ``cisco_asa_build._Builder``; conventions are in ``config/cisco_asa.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec

from ..model import Line
from .cisco_asa import _d
from .cisco_asa_objects import ANY, acl_entry, is_v4
from .model import ChildProposal, Identity, Secret, SecurityRule, Selector, Tunnel

if TYPE_CHECKING:
    from .cisco_asa import _Reader
    from .model import IkeProposal, Interface


@dataclass
class _MapEntry:
    name: str
    seq: int
    lines: dict[str, Line] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    ev: Line | None = None
    dynamic_ref: str | None = None  # ipsec-isakmp dynamic DYN
    notes: list[Line] = field(default_factory=list)


@dataclass
class _TunnelGroup:
    name: str
    type: str | None = None
    lines: dict[str, Line] = field(default_factory=dict)
    psk1: Secret | None = None
    psk2_remote: Secret | None = None
    psk2_local: Secret | None = None
    local_auth2: str | None = None
    remote_auth2: str | None = None
    keepalive: bool | None = None
    peer_id_validate: str | None = None


class TunnelMixin:
    r: _Reader
    src: str
    maps: dict[tuple[str, int], _MapEntry]
    dynmaps: dict[tuple[str, int], _MapEntry]
    map_iface: dict[str, tuple[str, Line]]
    policies: dict[int, list[tuple[int, IkeProposal]]]
    tsets: dict[str, ChildProposal]
    proposals: dict[str, ChildProposal]
    tgroups: dict[str, _TunnelGroup]
    acls: dict[str, list]
    access_groups: list
    ike_enable: dict[int, dict[str, Line]]
    interfaces: list[Interface]
    identity: tuple[str, Line | None]
    natt: tuple[bool, Line | None]
    ipsec_life: tuple[int | None, Line | None]
    ipsec_kb: tuple[int | None, Line | None]
    permit_vpn: tuple[bool, Line | None]

    # ---------------------------------------------------------------- tunnels
    def _tunnels(self) -> list[Tunnel]:
        out = []
        for (name, _seq), e in sorted(self.maps.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            if e.dynamic_ref:
                dyn = [d for k, d in sorted(self.dynmaps.items()) if k[0] == e.dynamic_ref]
                for d in dyn:
                    out.append(self._tunnel(d, name, dynamic=True, parent=e))
                if not dyn:
                    self.r.notes.append(e.lines["dynamic"])
                continue
            out.append(self._tunnel(e, name, dynamic=False, parent=e))
        return out

    def _tunnel(self, e: _MapEntry, map_name: str, *, dynamic: bool,
                parent: _MapEntry) -> Tunnel:
        r = self.r
        lines: dict[str, Line] = {}
        dflt: list[str] = []
        t = Tunnel(name=f"{map_name} {parent.seq}" + (f" dynamic {e.name} {e.seq}"
                                                     if dynamic else ""),
                   kind="dynamic" if dynamic else "static", ev=parent.ev)
        lines["map"] = parent.ev  # type: ignore[assignment]
        if dynamic:
            lines["dynamic"] = parent.lines["dynamic"]
        r.notes.extend(e.notes)
        # versions
        vers = []
        if "tset" in e.words:
            vers.append(1)
            lines["ike_versions"] = e.lines["ikev1"]
        if "proposal" in e.words:
            vers.append(2)
            lines["ike_versions"] = e.lines["ikev2"]
        t.ike_versions = tuple(vers) or (1,)
        t.initiate_version = 2 if 2 in vers else 1
        if len(vers) > 1:
            dflt.append("initiate_version")
        v = t.initiate_version
        # IKE policies (global, lowest number first) and transform sets / IPsec proposals of
        # every version the entry speaks, the initiating version first, each tagged
        order = [v] + [x for x in t.ike_versions if x != v]
        t.ike_proposals = []
        for ver in order:
            for _, pol in sorted(self.policies[ver], key=lambda x: x[0]):
                tagged = msgspec.structs.replace(pol, version=ver if len(order) > 1 else None)
                t.ike_proposals.append(tagged)
        life, life_line = self.ipsec_life
        kb, kb_line = self.ipsec_kb
        if e.words.get("seconds", [""])[0].isdecimal():
            life, life_line = int(e.words["seconds"][0]), e.lines["child.lifetime"]
        if e.words.get("kilobytes", [""])[0].isdecimal():
            kb, kb_line = int(e.words["kilobytes"][0]), e.lines["child.lifetime"]
        children = []
        for ver in order:
            key = "ikev1" if ver == 1 else "ikev2"
            table = self.tsets if ver == 1 else self.proposals
            for n in e.words.get("tset" if ver == 1 else "proposal", []):
                cp = table.get(n)
                if cp is None:
                    r.notes.append(e.lines[key])
                    continue
                cp = msgspec.structs.replace(cp, lines=dict(cp.lines),
                                             version=ver if len(order) > 1 else None)
                cp.lifetime = life if life is not None else int(
                    _d("ipsec_sa", "lifetime_seconds"))  # type: ignore[call-overload]
                cp.lifetime_kb = kb if kb is not None else int(
                    _d("ipsec_sa", "lifetime_kilobytes"))  # type: ignore[call-overload]
                if life_line:
                    cp.lines["lifetime"] = life_line
                else:
                    cp.defaults = (*cp.defaults, "lifetime")
                if kb_line:
                    cp.lines["lifetime_kb"] = kb_line
                children.append(cp)
        names = e.words.get("tset" if v == 1 else "proposal", [])
        t.child_proposals = children
        if names:
            lines["child_proposals"] = e.lines["ikev1" if v == 1 else "ikev2"]
        # PFS
        pfs = e.words.get("pfs")
        if pfs is None:
            t.pfs = None
            dflt.append("pfs")
        else:
            g = [x for x in pfs if x.startswith("group")]
            t.pfs = int(g[0][5:]) if g and g[0][5:].isdecimal() else int(
                _d("ipsec_sa", "pfs_bare_group"))  # type: ignore[call-overload]
            lines["pfs"] = e.lines["pfs"]
        # mode / initiation
        if e.words.get("mode", [""])[0] == "aggressive":
            t.exchange_mode, lines["exchange_mode"] = "aggressive", e.lines["exchange_mode"]
        else:
            dflt.append("exchange_mode")
        conn = e.words.get("conn", ["bidirectional"])[0]
        t.initiates = not dynamic and conn != "answer-only"
        if "conn" in e.words:
            lines["initiates"] = e.lines["initiates"]
        # peers
        peers = [r.objs.addr(p) for p in e.words.get("peer", [])]
        t.peer_addresses = tuple(p for p in peers if is_v4(p))
        hosts = [p for p in peers if not is_v4(p)]
        t.peer_hostname = hosts[0] if hosts else None
        t.peer_any = dynamic and not peers
        if "peer" in e.words:
            lines["peer_addresses"] = e.lines["peer_addresses"]
        # selectors
        acl = e.words.get("acl", [None])[0]
        t.selector_name = acl
        sels: list[Selector] = []
        for a in self.acls.get(acl or "", []):
            got, ok = acl_entry(r.objs, a, self.src)
            sels += got
            if not ok:
                r.note(a)
        t.selectors = sels
        if acl:
            lines["selectors"] = e.lines["selectors"]
        # binding and local address
        bind = self.map_iface.get(map_name)
        if bind:
            t.bound_interface = t.local_interface = bind[0]
            lines["bound_interface"] = lines["local_address"] = bind[1]
            t.local_address = r.objs.iface_addr.get(bind[0])
        # tunnel-group
        tg = self._group_for(t.peer_addresses, t.peer_hostname, dynamic=dynamic)
        self._apply_group(t, tg, lines, dflt, v)
        # NAT-T
        if "natt" in e.words:
            t.nat_traversal = False
            lines["nat_traversal"] = e.lines["nat_traversal"]
        elif not self.natt[0] and t.ike_versions == (1,):
            t.nat_traversal = False
            lines["nat_traversal"] = self.natt[1]  # type: ignore[assignment]
        elif self.natt[1] is not None:
            lines["nat_traversal"] = self.natt[1]
        else:
            dflt.append("nat_traversal")
        # identity
        ident, iline = self.identity
        itype = ident.split()[0].lower()
        if itype == "hostname":
            fq = r.hostname + (f".{r.domain}" if r.domain else "")
            t.local_id = Identity(type="fqdn", value=fq)
        elif itype == "key-id" and len(ident.split()) > 1:
            t.local_id = Identity(type="key-id", value=ident.split()[1])
        elif itype == "auto" and t.local_auth != "psk":
            t.local_id = Identity(type="dn")
        else:
            t.local_id = Identity(type="ip")
        if iline:
            lines["local_id"] = iline
        else:
            dflt.append("local_id")
        t.sha2_truncation = int(_d("ipsec_sa", "sha2_truncation"))  # type: ignore[call-overload]
        dflt.append("sha2_truncation")
        t.lines = {k: v for k, v in lines.items() if v is not None}
        t.defaults = tuple(dflt)
        return t

    def _group_for(self, peers: tuple[str, ...], host: str | None, *,
                   dynamic: bool = False) -> _TunnelGroup | None:
        """The tunnel-group the ASA uses: the one named after the peer, else DefaultL2LGroup.
        A dynamic entry answers peers whose tunnel-group is named after their address: with
        no keyed DefaultL2LGroup, the one keyed L2L group no static entry uses stands for it."""
        for p in (*peers, host or ""):
            if p in self.tgroups:
                return self.tgroups[p]
        dflt = self.tgroups.get("DefaultL2LGroup")
        if not dynamic or (dflt is not None and (dflt.psk1 or dflt.psk2_remote)):
            return dflt
        used = {self.r.objs.addr(p) for e in self.maps.values() for p in e.words.get("peer", [])}
        free = [g for n, g in self.tgroups.items() if n not in used and n != "DefaultL2LGroup"
                and g.type == "ipsec-l2l" and (g.psk1 or g.psk2_remote or g.psk2_local)]
        if len(free) > 1:
            self.r.notes.append(free[0].lines["tunnel-group"])
        return free[0] if free else dflt

    def _apply_group(self, t: Tunnel, tg: _TunnelGroup | None, lines: dict[str, Line],
                     dflt: list[str], v: int) -> None:
        if tg is None:
            t.psk = Secret(kind="missing")
            dflt.append("dpd")
            t.dpd = bool(_d("keepalive"))
            return
        lines["tunnel-group"] = tg.lines.get("tunnel-group")  # type: ignore[assignment]
        if v == 2:
            t.local_auth = tg.local_auth2 or "psk"
            t.remote_auth = tg.remote_auth2 or t.local_auth
            t.psk = tg.psk2_remote or tg.psk2_local or Secret(kind="missing")
            lines["psk"] = tg.lines.get("psk2_remote") or tg.lines.get("psk2_local")  # type: ignore
            if tg.psk2_remote and tg.psk2_local and tg.psk2_remote.same_as(tg.psk2_local) is False:
                self.r.notes.append(tg.lines["psk2_local"])
            for k in ("local_auth", "remote_auth"):
                if k in tg.lines:
                    lines[k] = tg.lines[k]
        else:
            t.psk = tg.psk1 or Secret(kind="missing")
            lines["psk"] = tg.lines.get("psk1")  # type: ignore[assignment]
            auths = {p.auth_method for p in t.ike_proposals}
            t.local_auth = "psk" if "psk" in auths or not auths else sorted(auths)[0]
        if tg.keepalive is None:  # L2L default keepalive, implied by the tunnel-group
            t.dpd = bool(_d("keepalive"))
            dflt.append("dpd")
            if "tunnel-group" in tg.lines:
                lines["dpd"] = tg.lines["tunnel-group"]
        else:
            t.dpd = tg.keepalive
            lines["dpd"] = tg.lines["dpd"]
        if tg.peer_id_validate == "nocheck" or t.local_auth == "psk":
            t.remote_id = None  # PSK: the tunnel-group is chosen by address, no ID check
        else:
            t.remote_id = Identity(type="dn")
        if "remote_id" in tg.lines:
            lines["remote_id"] = tg.lines["remote_id"]

    # ---------------------------------------------------------------- firewall
    def _security_rules(self, tunnels: list[Tunnel]) -> list[SecurityRule]:
        r = self.r
        rules: list[SecurityRule] = []
        pos = 0
        # interface ACLs and sysopt only see through-the-box traffic: every nameif, not "local"
        through = tuple(i.name for i in self.interfaces)
        # sysopt connection permit-vpn: decrypted traffic bypasses the interface ACLs
        if self.permit_vpn[0]:
            ev = self.permit_vpn[1] or r.flags.get("permit-vpn")
            for t in tunnels:
                if not t.bound_interface:
                    continue
                for s in t.selectors:
                    if s.action != "permit":
                        continue
                    rules.append(SecurityRule(
                        name="sysopt connection permit-vpn", action="permit",
                        source_zones=(t.bound_interface,), destination_zones=through,
                        selector=Selector(src=s.dst, dst=s.src, protocol=s.protocol,
                                          src_ports=s.dst_ports, dst_ports=s.src_ports, ev=ev),
                        position=pos, ev=ev))
                    pos += 1
        # crypto ikevN enable IF: IKE (UDP 500/4500) and ESP reach the box on IF
        for ver in (1, 2):
            for itf, ev in self.ike_enable[ver].items():
                addr = r.objs.iface_addr.get(itf)
                dst = f"{addr}/32" if addr else ANY
                for proto, ports in ((17, (500, 500)), (17, (4500, 4500)), (50, None)):
                    rules.append(SecurityRule(
                        name=ev.text, action="permit", source_zones=(itf,),
                        destination_zones=("local",),
                        selector=Selector(dst=dst, protocol=proto, dst_ports=ports, ev=ev),
                        position=pos, ev=ev))
                    pos += 1
        # interface ACLs in order
        bound: set[str] = set()
        for gi, (acl, direction, itf, _st) in enumerate(self.access_groups):
            base = 1000 * (1 + gi)
            if direction == "in" and itf:
                bound.add(itf)
            for n, a in enumerate(self.acls.get(acl, [])):
                sels, ok = acl_entry(r.objs, a, self.src)
                if not ok and a.words[2:3] == ["extended"]:
                    r.note(a)
                for s in sels:
                    rules.append(SecurityRule(
                        name=acl, action=s.action,
                        source_zones=(itf,) if direction == "in" and itf else (),
                        destination_zones=(itf,) if direction == "out" and itf else through,
                        selector=s, position=base + n, ev=s.ev))
        # implicit: no inbound ACL -> traffic to lower security levels is permitted
        pos = 900000
        for itf in self.interfaces:
            if itf.name in bound or itf.security_level is None:
                continue
            lower = tuple(o.name for o in self.interfaces
                          if o.security_level is not None and o.security_level < itf.security_level)
            if lower:
                rules.append(SecurityRule(
                    name=f"implicit: security-level {itf.security_level} to lower levels",
                    action="permit", source_zones=(itf.name,), destination_zones=lower,
                    selector=Selector(), position=pos, ev=itf.ev))
                pos += 1
        return rules


