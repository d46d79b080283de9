"""Cisco ASA reader, second half: statements -> ``DeviceConfig`` (interfaces, routes, IKE
policies, transform sets, crypto map tunnels, tunnel-groups, NAT sections, firewall rules).

Called by ``config/cisco_asa.parse``; the conventions it follows are in that module's docstring.
"""

from __future__ import annotations

from ..model import Line
from .algorithms import AEAD
from .cisco_asa import (
    AUTH,
    ENC,
    ESP_ENC,
    ESP_INT,
    HASH,
    _d,
    _Reader,
    key_secret,
)
from .cisco_asa_objects import ANY, Stmt, acl_entry, cidr, is_v4
from .cisco_asa_tunnels import TunnelMixin, _MapEntry, _TunnelGroup
from .model import (
    ChildProposal,
    DeviceConfig,
    IkeProposal,
    Interface,
    NatRule,
    Route,
    Selector,
)


def build(r: _Reader) -> DeviceConfig:
    b = _Builder(r)
    return b.run()


class _Builder(TunnelMixin):
    def __init__(self, r: _Reader) -> None:
        self.r = r
        self.src = r.source
        self.interfaces: list[Interface] = []
        self.routes: list[Route] = []
        self.acls: dict[str, list[Stmt]] = {}
        self.access_groups: list[tuple[str, str, str | None, Stmt]] = []  # acl, dir, iface
        self.policies: dict[int, list[tuple[int, IkeProposal]]] = {1: [], 2: []}
        self.policy_stmts: dict[tuple[int, int], Stmt] = {}
        self.tsets: dict[str, ChildProposal] = {}
        self.proposals: dict[str, ChildProposal] = {}
        self.maps: dict[tuple[str, int], _MapEntry] = {}
        self.dynmaps: dict[tuple[str, int], _MapEntry] = {}
        self.map_iface: dict[str, tuple[str, Line]] = {}
        self.ike_enable: dict[int, dict[str, Line]] = {1: {}, 2: {}}
        self.tgroups: dict[str, _TunnelGroup] = {}
        self.identity: tuple[str, Line | None] = ("auto", None)
        self.natt: tuple[bool, Line | None] = (True, None)
        self.ipsec_life: tuple[int | None, Line | None] = (None, None)
        self.ipsec_kb: tuple[int | None, Line | None] = (None, None)
        self.nat_rules: list[NatRule] = []
        self.permit_vpn: tuple[bool, Line | None] = (True, None)
        self.am_disable: Line | None = None
        self.object_nat: list[tuple[Stmt, Stmt, str]] = []
        self.nat82: dict[str, list[tuple[Stmt, list[str]]]] = {}
        self.globals82: dict[str, tuple[str, Stmt]] = {}

    # ---------------------------------------------------------------- passes
    def run(self) -> DeviceConfig:
        r = self.r
        for st in r.stmts:  # names and objects first: later lines refer to them
            w = st.words
            k = w[0].lower()
            if k == "name" and len(w) >= 3 and is_v4(w[1]):
                r.objs.names[w[2]] = w[1]
            elif k == "object" and len(w) >= 3 and w[1] == "network":
                prev = r.objs.objects.get(w[2])
                addr_children = [c for c in st.children if c.words[0].lower() != "nat"]
                if prev is None or (addr_children and not _has_addr(prev)):
                    r.objs.objects[w[2]] = Stmt(st.no, st.words, addr_children)
                for c in st.children:
                    if c.words[0].lower() == "nat":
                        self.object_nat.append((st, c, w[2]))
            elif k == "object-group" and len(w) >= 3:
                r.objs.groups[w[2]] = st
                r.objs.group_types[w[2]] = w[1]
            elif k == "hostname" and len(w) > 1:
                r.hostname = w[1]
            elif k == "domain-name" and len(w) > 1:
                r.domain = w[1]
            elif k == "asa" and len(w) > 2 and w[1].lower() == "version":
                r.version_line = r.ln(st)
        for st in r.stmts:
            if st.words[0].lower() == "interface":
                self._interface(st)
        for st in r.stmts:
            self._dispatch(st)
        if not self.interfaces and not self.maps and not self.tgroups:
            from . import ConfigError

            raise ConfigError(f"{self.src}: no ASA interfaces, crypto maps or tunnel-groups found")
        for (ver, num), st in self.policy_stmts.items():
            self._policy(st, ver, num)
        self._nat_objects()
        self._nat82()
        tunnels = self._tunnels()
        dev = DeviceConfig(
            vendor="cisco-asa", name=r.hostname, source=self.src, platform="asa",
            interfaces=self.interfaces, routes=self.routes, tunnels=tunnels,
            nat_rules=sorted(self.nat_rules, key=lambda n: n.position),
            firewall=True, notes=r.notes + r.objs.unresolved,
        )
        anchor = r.version_line or Line(self.src, 1, "")
        on, line = self.permit_vpn
        r.flags["permit-vpn" if on else "no-permit-vpn"] = line or Line(
            self.src, anchor.line, "sysopt connection permit-vpn (default)")
        on, line = self.natt
        r.flags["nat-traversal" if on else "no-nat-traversal"] = line or Line(
            self.src, anchor.line, "crypto isakmp nat-traversal 20 (default)")
        dev.flags = r.flags
        dev.security_rules = self._security_rules(tunnels)
        return dev

    def _interface(self, st: Stmt) -> None:
        r = self.r
        nameif = None
        level = None
        addr = None
        shut = False
        for c in st.children:
            w = [x.lower() for x in c.words]
            if w[0] == "nameif" and len(w) > 1:
                nameif = c.words[1]
            elif w[0] == "security-level" and len(w) > 1 and w[1].isdecimal():
                level = int(w[1])
            elif w[:2] == ["ip", "address"] and len(w) > 3 and is_v4(w[2]):
                addr = cidr(w[2], w[3])
                if addr:
                    addr = f"{w[2]}/{addr.split('/')[1]}"
            elif w[:2] == ["ip", "address"] and len(w) > 2 and w[2] in ("dhcp", "pppoe"):
                r.note(c)
            elif w[0] == "shutdown":
                shut = True
            elif w[0] == "tunnel" or (w[0] == "ip" and w[1:2] != ["address"]):
                r.note(c)  # route-based VTI (tunnel protection ...) is not modelled
            elif w[:2] == ["no", "shutdown"]:
                shut = False
        if nameif is None:
            return
        if level is None:  # ASA: inside defaults to 100, any other nameif to 0
            level = 100 if nameif == "inside" else 0
        itf = Interface(name=nameif, addresses=(addr,) if addr else (), zone=nameif,
                        security_level=level, shutdown=shut, ev=r.ln(st))
        self.interfaces.append(itf)
        if addr:
            r.objs.iface_addr[nameif] = addr.split("/")[0]

    def _dispatch(self, st: Stmt) -> None:
        r = self.r
        w = st.words
        k = w[0].lower()
        low = [x.lower() for x in w]
        if k == "route" and len(w) >= 5:
            c = cidr(r.objs.addr(w[2]), w[3])
            if c:
                self.routes.append(Route(prefix=c, next_hop=r.objs.addr(w[4]), interface=w[1],
                                         ev=r.ln(st)))
        elif k == "access-list" and len(w) >= 3:
            self.acls.setdefault(w[1], []).append(st)
        elif k == "access-group" and len(w) >= 3:
            if low[2] == "global":
                self.access_groups.append((w[1], "global", None, st))
            elif len(w) >= 5 and low[3] == "interface":
                if "control-plane" in low:
                    r.note(st)
                else:
                    self.access_groups.append((w[1], low[2], w[4], st))
        elif k == "crypto":
            self._crypto(st, low)
        elif k == "tunnel-group" and len(w) >= 3:
            self._tunnel_group(st, low)
        elif k == "nat" and len(w) >= 3:
            self._twice_nat(st, low)
        elif k == "global" and len(w) >= 3:
            self.globals82[w[2]] = (w[1].strip("()"), st)
        elif k == "sysopt" and low[1:3] == ["connection", "permit-vpn"]:
            self.permit_vpn = (True, r.ln(st))
        elif k == "no" and low[1:4] == ["sysopt", "connection", "permit-vpn"]:
            self.permit_vpn = (False, r.ln(st))
        elif k == "no" and low[1:4] == ["crypto", "isakmp", "nat-traversal"]:
            self.natt = (False, r.ln(st))
        elif k == "no" and low[1:3] == ["crypto", "map"] and len(w) > 5 and w[4].isdecimal():
            self._no_map(st, low)
        elif k == "no" and low[1:4] == ["crypto", "ipsec", "ikev1"] and low[-2:] == [
                "mode", "transport"] and len(w) > 5 and w[5] in self.tsets:
            cp = self.tsets[w[5]]
            cp.mode, cp.lines["mode"] = "tunnel", r.ln(st)
        elif k == "no" and low[1:2] == ["crypto"]:
            r.note(st)

    # ---------------------------------------------------------------- crypto
    def _crypto(self, st: Stmt, low: list[str]) -> None:
        r = self.r
        w = st.words
        if len(w) < 3:
            r.note(st)
            return
        if low[1] in ("ikev1", "ikev2", "isakmp") and low[2] == "enable" and len(w) > 3:
            ver = 2 if low[1] == "ikev2" else 1
            self.ike_enable[ver][w[3]] = r.ln(st)
        elif low[1] in ("ikev1", "ikev2", "isakmp") and low[2] == "policy" and len(w) > 3:
            ver = 2 if low[1] == "ikev2" else 1
            num = int(st.words[3]) if st.words[3].isdecimal() else 0
            prev = self.policy_stmts.get((ver, num))
            if prev is None:  # a repeated header adds to the same policy (as the CLI does)
                self.policy_stmts[(ver, num)] = Stmt(st.no, st.words, list(st.children))
            else:
                prev.children += st.children
        elif low[1] == "ipsec" and ("transform-set" in low[2:4]):
            self._tset(st, low)
        elif low[1:4] == ["ipsec", "ikev2", "ipsec-proposal"] and len(w) > 4:
            self._proposal(st)
        elif low[1:4] == ["ipsec", "security-association", "lifetime"] and len(w) > 5:
            if low[4] == "seconds" and w[5].isdecimal():
                self.ipsec_life = (int(w[5]), r.ln(st))
            elif low[4] == "kilobytes" and w[5].isdecimal():
                self.ipsec_kb = (int(w[5]), r.ln(st))
        elif low[1:3] == ["isakmp", "identity"] and len(w) > 3:
            self.identity = (" ".join(w[3:]), r.ln(st))
        elif low[1:3] == ["isakmp", "nat-traversal"]:
            self.natt = (True, r.ln(st))
        elif low[1:3] == ["ikev1", "am-disable"]:
            self.am_disable = r.ln(st)
        elif low[1] in ("map", "dynamic-map") and len(w) >= 4:
            self._map(st, low)
        else:
            r.note(st)

    def _policy(self, st: Stmt, ver: int, num: int) -> None:
        r = self.r
        p = IkeProposal(name=f"ikev{ver} policy {num}", ev=r.ln(st), lines={})
        seen: set[str] = set()
        for c in st.children:
            w = [x.lower() for x in c.words]
            k = w[0]
            vals = w[1:]
            if k in ("encryption", "encr"):
                enc = tuple(ENC[v] for v in vals if v in ENC)
                if enc:
                    p.encryption, p.lines["encryption"] = enc, r.ln(c)
                    seen.add("encryption")
            elif k in ("hash", "integrity"):
                h = tuple(HASH[v] for v in vals if v in HASH and v != "null")
                if h:
                    p.integrity, p.lines["integrity"] = h, r.ln(c)
                    seen.add("integrity")
            elif k == "prf" and ver == 2:
                h = tuple(HASH[v] for v in vals if v in HASH)
                if h:
                    p.prf, p.lines["prf"] = h, r.ln(c)
                    seen.add("prf")
            elif k == "group":
                g = tuple(int(v) for v in vals if v.isdecimal())
                if g:
                    p.dh, p.lines["dh"] = g, r.ln(c)
                    seen.add("dh")
            elif k == "authentication" and vals and vals[0] in AUTH:
                p.auth_method, p.lines["auth_method"] = AUTH[vals[0]], r.ln(c)
                seen.add("auth_method")
            elif k == "lifetime":
                nums = [v for v in vals if v.isdecimal()]
                if nums:
                    p.lifetime, p.lines["lifetime"] = int(nums[0]), r.ln(c)
                    seen.add("lifetime")
                elif "none" in vals:
                    p.lifetime, p.lines["lifetime"] = 0, r.ln(c)
                    seen.add("lifetime")
            else:
                r.note(c)
        key = "ikev1_policy" if ver == 1 else "ikev2_policy"
        dflt: list[str] = []
        if "encryption" not in seen:
            p.encryption = (_d(key, "encryption"),)  # type: ignore[assignment]
            dflt.append("encryption")
        if "integrity" not in seen and not (set(p.encryption) <= AEAD and "encryption" in seen):
            p.integrity = (_d(key, "hash" if ver == 1 else "integrity"),)  # type: ignore
            dflt.append("integrity")
        if ver == 2 and "prf" not in seen:
            p.prf = (_d(key, "prf"),)  # type: ignore[assignment]
            dflt.append("prf")
        if "dh" not in seen:
            p.dh = (int(_d(key, "group")),)  # type: ignore[call-overload]
            dflt.append("dh")
        if "lifetime" not in seen:
            p.lifetime = int(_d(key, "lifetime"))  # type: ignore[call-overload]
            dflt.append("lifetime")
        if ver == 1 and "auth_method" not in seen:
            p.auth_method = str(_d(key, "authentication"))
            dflt.append("auth_method")
        p.defaults = tuple(dflt)
        self.policies[ver].append((num, p))

    def _tset(self, st: Stmt, low: list[str]) -> None:
        r = self.r
        i = low.index("transform-set")
        if len(st.words) <= i + 1:
            r.note(st)
            return
        name = st.words[i + 1]
        rest = low[i + 2:]
        cp = self.tsets.get(name)
        if rest[:2] == ["mode", "transport"]:
            if cp is not None:
                cp.mode, cp.lines["mode"] = "transport", r.ln(st)
                cp.defaults = tuple(d for d in cp.defaults if d != "mode")
            return
        enc = tuple(ESP_ENC[t] for t in rest if t in ESP_ENC)
        integ = tuple(ESP_INT[t] for t in rest if ESP_INT.get(t))
        if not enc and not integ:
            r.note(st)
            return
        cp = ChildProposal(name=name, protocol="esp", encryption=enc, integrity=integ,
                           ev=r.ln(st), lines={"encryption": r.ln(st), "integrity": r.ln(st)},
                           defaults=("mode",))
        self.tsets[name] = cp

    def _proposal(self, st: Stmt) -> None:
        r = self.r
        cp = self.proposals.get(st.words[4]) or ChildProposal(
            name=st.words[4], protocol="esp", ev=r.ln(st), lines={}, defaults=("mode",))
        for c in st.children:
            w = [x.lower() for x in c.words]
            if w[:3] == ["protocol", "esp", "encryption"]:
                vals = tuple(ENC[v] for v in w[3:] if v in ENC)
                cp.encryption, cp.lines["encryption"] = vals, r.ln(c)
            elif w[:3] == ["protocol", "esp", "integrity"]:
                vals = tuple(HASH[v] for v in w[3:] if v in HASH and v != "null")
                cp.integrity, cp.lines["integrity"] = vals, r.ln(c)
            else:
                r.note(c)
        self.proposals[cp.name] = cp

    def _map(self, st: Stmt, low: list[str]) -> None:
        r = self.r
        w = st.words
        table = self.maps if low[1] == "map" else self.dynmaps
        if low[1] == "map" and low[3] == "interface" and len(w) > 4:
            self.map_iface[w[2]] = (w[4], r.ln(st))
            return
        if not w[3].isdecimal():
            r.note(st)
            return
        key = (w[2], int(w[3]))
        e = table.setdefault(key, _MapEntry(w[2], int(w[3]), ev=r.ln(st)))
        rest, rlow = w[4:], low[4:]
        if not rest:
            return
        ln = r.ln(st)
        if rlow[0] == "ipsec-isakmp":
            if len(rlow) > 2 and rlow[1] == "dynamic":
                e.dynamic_ref = rest[2]
                e.lines["dynamic"] = ln
            return
        if rlow[:2] == ["match", "address"] and len(rest) > 2:
            e.words["acl"], e.lines["selectors"] = [rest[2]], ln
        elif rlow[0] != "set" or len(rlow) < 2:
            e.notes.append(ln)
        elif rlow[1] == "peer":
            e.words["peer"], e.lines["peer_addresses"] = rest[2:], ln
        elif rlow[1] in ("ikev1", "transform-set") and "transform-set" in rlow[1:3]:
            j = rlow.index("transform-set")
            e.words["tset"], e.lines["ikev1"] = rest[j + 1:], ln
        elif rlow[1:3] == ["ikev2", "ipsec-proposal"]:
            e.words["proposal"], e.lines["ikev2"] = rest[3:], ln
        elif rlow[1] == "pfs":
            e.words["pfs"], e.lines["pfs"] = rlow[2:], ln
        elif rlow[1] == "security-association" and "lifetime" in rlow:
            vals = rlow[rlow.index("lifetime") + 1:]
            for unit in ("seconds", "kilobytes"):  # a later line overrides an earlier one
                if unit in vals and vals.index(unit) + 1 < len(vals):
                    e.words[unit] = [vals[vals.index(unit) + 1]]
            e.lines["child.lifetime"] = ln
        elif rlow[1:3] == ["ikev1", "phase1-mode"] and len(rlow) > 3:
            e.words["mode"], e.lines["exchange_mode"] = rlow[3:], ln
        elif rlow[1] == "connection-type" and len(rlow) > 2:
            e.words["conn"], e.lines["initiates"] = [rlow[2]], ln
        elif rlow[1] == "nat-t-disable":
            e.words["natt"], e.lines["nat_traversal"] = ["disable"], ln
        elif rlow[1] == "reverse-route":
            pass
        else:
            e.notes.append(ln)

    def _no_map(self, st: Stmt, low: list[str]) -> None:
        """``no crypto map NAME SEQ set X`` / ``match address``: forget that setting."""
        e = self.maps.get((st.words[3], int(st.words[4])))
        keys = {"pfs": ("pfs", "pfs"), "peer": ("peer", "peer_addresses"),
                "phase1-mode": ("mode", "exchange_mode"),
                "nat-t-disable": ("natt", "nat_traversal"),
                "connection-type": ("conn", "initiates"), "address": ("acl", "selectors")}
        word = low[6] if low[5] == "set" and len(low) > 6 else low[-1]
        if low[5] == "set" and low[6:7] == ["ikev1"] and len(low) > 7:
            word = low[7]
        if e is None or word not in keys:
            self.r.note(st)
            return
        k, line_key = keys[word]
        e.words.pop(k, None)
        e.lines.pop(line_key, None)

    def _tunnel_group(self, st: Stmt, low: list[str]) -> None:
        r = self.r
        name = st.words[1]
        tg = self.tgroups.setdefault(name, _TunnelGroup(name))
        if low[2] == "type" and len(low) > 3:
            tg.type, tg.lines["tunnel-group"] = low[3], r.ln(st)
            return
        tg.lines.setdefault("tunnel-group", r.ln(st))
        for c in st.children:
            w = c.words
            cl = [x.lower() for x in w]
            if "pre-shared-key" in cl:
                i = cl.index("pre-shared-key")
                s = key_secret(w[i + 1:])
                line = r.ln(c)
                if s.kind == "cipher" and w[i + 1:] and set(w[i + 1]) == {"*"}:
                    r.notes.append(Line(self.src, c.no, line.text + "  (masked by show "
                                        "running-config: use more system:running-config)"))
                if cl[0] == "ikev2" and len(cl) > 1 and cl[1] == "local-authentication":
                    tg.psk2_local, tg.local_auth2 = s, "psk"
                    tg.lines["psk2_local"] = line
                elif cl[0] == "ikev2":
                    tg.psk2_remote, tg.remote_auth2 = s, "psk"
                    tg.lines["psk2_remote"] = line
                else:
                    tg.psk1, tg.lines["psk1"] = s, line
            elif cl[:2] == ["ikev2", "local-authentication"] and "certificate" in cl:
                tg.local_auth2, tg.lines["local_auth"] = "rsa-sig", r.ln(c)
            elif cl[:2] == ["ikev2", "remote-authentication"] and "certificate" in cl:
                tg.remote_auth2, tg.lines["remote_auth"] = "rsa-sig", r.ln(c)
            elif cl[:2] == ["isakmp", "keepalive"]:
                tg.keepalive = "disable" not in cl
                tg.lines["dpd"] = r.ln(c)
            elif cl[0] == "peer-id-validate" and len(cl) > 1:
                tg.peer_id_validate, tg.lines["remote_id"] = cl[1], r.ln(c)
            elif cl[0] in ("default-group-policy",):
                pass
            else:
                r.note(c)

    # ---------------------------------------------------------------- NAT
    def _selectors_pair(self, src: list[str] | None, dst: list[str] | None,
                        ev: Line) -> list[Selector]:
        return [Selector(src=s, dst=d, ev=ev) for s in (src or [ANY]) for d in (dst or [ANY])]

    def _twice_nat(self, st: Stmt, low: list[str]) -> None:
        r = self.r
        w = st.words
        ifs = low[1]
        if not ifs.startswith("("):
            r.note(st)
            return
        real_if, _, mapped_if = ifs.strip("()").partition(",")
        i = 2
        section = 1
        if low[i] == "after-auto":
            section, i = 3, i + 1
        if i < len(low) and low[i].isdecimal():
            i += 1
        if not mapped_if:  # 8.2: nat (inside) 0 access-list X | nat (inside) 1 A M
            self.nat82.setdefault(low[2], []).append((st, [real_if, *w[3:]]))
            return
        if "inactive" in low:
            r.note(st)
            return
        if i >= len(low) or low[i] != "source" or i + 2 >= len(low):
            r.note(st)
            return
        kind_tok = low[i + 1]
        real = self._nat_addr(w[i + 2])
        mapped = w[i + 3] if i + 3 < len(w) else ""
        dst = None
        identity = kind_tok == "static" and mapped == w[i + 2]
        if "destination" in low:
            j = low.index("destination")
            if j + 3 < len(w):
                dst = self._nat_addr(w[j + 2])
                identity = identity and w[j + 2] == w[j + 3]
        if kind_tok == "dynamic":
            kind = "source"
        else:
            kind = "exempt" if identity else "server"
        ev = r.ln(st)
        match_all = kind == "source" and real == [ANY] and dst is None
        base = 1000 if section == 1 else 3000
        n = sum(1 for x in self.nat_rules if base <= x.position < base + 1000)
        self.nat_rules.append(NatRule(
            kind=kind, interface=mapped_if if mapped_if != "any" else None,
            source_zones=_zones(real_if), destination_zones=_zones(mapped_if),
            match=[] if match_all else self._selectors_pair(real, dst, ev),
            match_all=match_all, position=base + n, name=None, ev=ev))

    def _nat_addr(self, tok: str) -> list[str] | None:
        objs = self.r.objs
        if tok.lower() in ("any", "any4"):
            return [ANY]
        if tok in objs.objects:
            return objs.object_cidrs(tok)
        if tok in objs.groups:
            return objs.group_cidrs(tok)
        return None

    def _nat_objects(self) -> None:
        r = self.r
        static_n = dyn_n = 0
        for _obj_st, c, name in self.object_nat:
            low = [x.lower() for x in c.words]
            if len(low) < 3 or not low[1].startswith("("):
                r.note(c)
                continue
            real_if, _, mapped_if = low[1].strip("()").partition(",")
            ev = Line(self.src, c.no, redact_words(c.words))
            src = r.objs.object_cidrs(name) or None
            if low[2] == "static":
                kind = "exempt" if len(c.words) > 3 and c.words[3] == name else "server"
                pos, static_n = 2000 + static_n, static_n + 1
            else:
                kind = "source"
                pos, dyn_n = 2500 + dyn_n, dyn_n + 1
            self.nat_rules.append(NatRule(
                kind=kind, interface=mapped_if or None, position=pos, name=name, ev=ev,
                source_zones=_zones(real_if), destination_zones=_zones(mapped_if),
                match=self._selectors_pair(src, None, ev)))

    def _nat82(self) -> None:
        r = self.r
        for num, entries in self.nat82.items():
            for st, args in entries:
                ev = r.ln(st)
                if num == "0" and len(args) > 2 and args[1].lower() == "access-list":
                    sels = []
                    for a in self.acls.get(args[2], []):
                        sels += acl_entry(r.objs, a, self.src)[0]
                    n = sum(1 for x in self.nat_rules if 500 <= x.position < 1000)
                    self.nat_rules.append(NatRule(
                        kind="exempt", interface=None, source_zones=_zones(args[0]), match=[
                        Selector(action="permit", src=s.src, dst=s.dst, ev=s.ev)
                        for s in sels if s.action == "permit"], position=500 + n,
                        name=args[2], ev=ev))
                elif num.isdecimal() and num != "0" and len(args) > 2:
                    g = self.globals82.get(num)
                    c = cidr(r.objs.addr(args[1]), args[2])
                    n = sum(1 for x in self.nat_rules if x.position >= 4000)
                    self.nat_rules.append(NatRule(
                        kind="source", interface=g[0] if g else None,
                        match=[] if c == ANY else [Selector(src=c, ev=ev)],
                        match_all=c == ANY, position=4000 + n, ev=ev))
                else:
                    r.note(st)

def _zones(name: str) -> tuple[str, ...]:
    return () if not name or name == "any" else (name,)


def _has_addr(st: Stmt) -> bool:
    return any(c.words[0].lower() in ("host", "subnet", "range", "fqdn") for c in st.children)


def redact_words(words: list[str]) -> str:
    from ..redact import redact

    return redact(" ".join(words))

