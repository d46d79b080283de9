"""Huawei VRP configuration reader (AR routers, USG firewalls) for ``ipsec-doctor check``.

The text is run through the scanner (``ingest/scan.py``), which feeds it, line by line and
redacted, to the existing configuration parser (``parsers/huawei/current_config.py``); its
facts (interfaces, routes, IKE peers and proposals, IPsec proposals, policies, templates and
profiles, ACLs, zones, NAT and security policies, global switches) are then assembled into the
neutral model (``config/model.py``).  Pre-shared keys are the one thing read from the raw text:
the ``pre-shared-key`` line the parser cites is digested (``config/secrets.py``) and dropped.

Vendor behaviour that fills silent fields comes from ``config/defaults/huawei.yaml`` (each value
with its source) and is listed in each object's ``defaults``.  Rendering of proposed changes
lives in ``config/huawei_render.py``; the parser run and fact index in ``huawei_facts.py``, tunnel
assembly in ``huawei_tunnels.py``, NAT and security rules in ``huawei_firewall.py``.
"""

from __future__ import annotations

import os

from ..model import Line, State
from ..parsers.huawei.current_config import (
    CfgInterface,
    CfgStaticRoute,
    _always_top,
    _header,
)
from ..redact import redact
from . import huawei_words as W
from .huawei_facts import Facts, cidr, ifkey, run_parser, split_lines
from .huawei_firewall import FirewallParts
from .huawei_render import render
from .huawei_tunnels import TunnelParts
from .model import DeviceConfig, Interface, Route

VENDOR = "huawei"
__all__ = ["VENDOR", "detect", "parse", "render"]


# -- detect -----------------------------------------------------------------------------------

_HW_PREFIXES = (
    "sysname ",
    "ike peer ",
    "ike proposal ",
    "ipsec proposal ",
    "ipsec policy ",
    "ipsec policy-template ",
    "acl number ",
    "ip route-static ",
    "undo ",
    "firewall zone ",
    "pre-shared-key cipher",
    "pre-shared-key simple",
    "security acl ",
    "ike-peer ",
    "display current-configuration",
    "user-interface ",
    "nat outbound ",
    "ip address ",
    "rule name ",
    "source-zone ",
    "destination-zone ",
    "action no-nat",
    "action source-nat",
    "default action ",
)
_HW_EXACT = ("#", "return", "nat-policy", "security-policy")
_OTHER_PREFIXES = (
    "crypto ",
    "hostname ",
    "access-list ",
    "ip route ",
    "tunnel-group ",
    "nameif ",
    "conn ",
    "connections {",
    "left=",
    "right=",
    "children {",
    "config setup",
    "ip access-list ",
    "object network ",
    "ikev2 ",
    "leftsubnet=",
    "local_addrs",
    "remote_addrs",
    "auto=",
)
_OTHER_EXACT = ("!", "end", "connections {", "secrets {")



def detect(text: str) -> int:
    """0-100: how sure we are that ``text`` is a Huawei VRP configuration."""
    hw: set[str] = set()
    other: set[str] = set()
    for n, raw in enumerate(text.split("\n")):
        if n > 5000:
            break
        s = raw.strip().lower()
        if not s:
            continue
        if s in _HW_EXACT:
            hw.add(s)
        if s in _OTHER_EXACT:
            other.add(s)
        for p in _HW_PREFIXES:
            if s.startswith(p):
                hw.add(p)
        for p in _OTHER_PREFIXES:
            if s.startswith(p):
                other.add(p)
    if not hw:
        return 0
    strong = len(hw - {"ip address ", "undo ", "nat outbound "})
    score = 10 + 12 * strong + 3 * (len(hw) - strong) - 15 * len(other)
    return max(0, min(100, score))


def parse(text: str, source: str) -> list[DeviceConfig]:
    """One ``DeviceConfig`` per device (``sysname`` or prompt) in the text."""
    raw = split_lines(text, source)
    facts = run_parser(raw, source)
    devs: dict[str | None, Facts] = {}
    for f in facts:
        devs.setdefault(f.device, Facts()).add(f)
    out = []
    for key, dev in devs.items():
        if dev.g is not None and dev.g.sysname is None and len(facts) == 1:
            continue  # a lone global line is no device
        out.append(_Builder(dev, raw, source, key).build())
    return out


class _Builder(TunnelParts, FirewallParts):
    """Turns one device's facts into a ``DeviceConfig``."""

    def __init__(self, dev: Facts, raw: list[str], source: str, device: str | None) -> None:
        self.d = dev
        self.raw = raw
        self.source = source
        g = dev.g
        self.name = (g.sysname if g and g.sysname else None) or device or os.path.basename(source)
        self.notes: list[Line] = []
        self.flags: dict[str, Line] = {}
        self.platform = self._platform()
        self.itf_by_key = {ifkey(i.name): i for i in dev.interfaces}

    def note(self, ev: Line | None) -> None:
        if ev is not None and ev not in self.notes:
            self.notes.append(ev)

    # -- platform, flags --------------------------------------------------------------------
    def _platform(self) -> str:
        d = self.d
        if d.sec_rules or d.nat_rules:
            return "usg"
        for z in d.zones:
            if "interfaces" in z.lines or z.name.lower() == "local":
                return "usg"  # USG zones list members ("add interface"); AR uses "zone X"
        return "ar"

    def _sha2(self) -> tuple[int, Line | None]:
        g = self.d.g
        key = self.platform
        base = W.defaults()["sha2_truncation"][key]
        if g is None or "sha2_compatible" not in g.lines:
            return int(base["value"]), None
        ev = g.lines["sha2_compatible"]
        if not g.sha2_compatible:
            return int(base["value"]), ev
        # "ipsec authentication sha2 compatible enable" (AR): RFC 4868 128-bit ICV;
        # "ipsec sha2 compatible enable" (USG): the non-standard 96-bit mode
        return (128 if "authentication" in ev.text.lower() else 96), ev

    # -- build ------------------------------------------------------------------------------
    def build(self) -> DeviceConfig:
        d = self.d
        self.trunc, self.trunc_ev = self._sha2()
        if self.trunc_ev is not None:
            self.flags["sha2-compatible"] = self.trunc_ev
        g = d.g
        if g is not None:
            for field, flag in (
                ("ikev1_sa_dependent", "ikev1-sa-dependent"),
                ("df_bit", "df-bit"),
                ("fragmentation", "fragmentation"),
                ("security_default_action", "default-action"),
            ):
                if field in g.lines:
                    self.flags[flag] = g.lines[field]
        interfaces = [self._interface(i) for i in d.interfaces]
        routes: list[Route] = []
        for r in (self._route(r) for r in d.routes):
            if r is not None and all(
                (r.prefix, r.next_hop, r.interface) != (x.prefix, x.next_hop, x.interface)
                for x in routes
            ):
                routes.append(r)
        tunnels = self._tunnels()
        nat = self._nat()
        sec = self._security()
        cfg = DeviceConfig(
            vendor=VENDOR,
            name=self.name,
            source=self.source,
            platform=self.platform,
            interfaces=interfaces,
            routes=routes,
            tunnels=tunnels,
            nat_rules=nat,
            security_rules=sec,
            firewall=self.platform == "usg",
            flags=self.flags,
        )
        self._uncited(cfg)
        cfg.notes = sorted(self.notes, key=lambda ln: ln.line)
        return cfg

    # -- interfaces, routes -------------------------------------------------------------------
    def _interface(self, i: CfgInterface) -> Interface:
        prim = tuple(f"{a.address}/{a.prefix_len}" for a in i.addresses if not a.sub)
        sec = tuple(f"{a.address}/{a.prefix_len}" for a in i.addresses if a.sub)
        if i.dynamic_address is not None:
            self.note(i.lines.get("dynamic_address"))
        return Interface(
            name=i.name, addresses=prim, secondary=sec, zone=i.zone, shutdown=i.shutdown, ev=i.ev
        )

    def _route(self, r: CfgStaticRoute) -> Route | None:
        if r.ipv6 or r.vpn_instance is not None or r.mask is None:
            self.note(r.ev)
            return None
        return Route(
            prefix=cidr(r.prefix, r.prefix_len),
            next_hop=r.next_hop,
            interface=r.interface,
            ev=r.ev,
        )

    def _primary(self, itf_name: str | None) -> tuple[str | None, Line | None]:
        itf = self.itf_by_key.get(ifkey(itf_name)) if itf_name else None
        if itf is None:
            return None, None
        for a in itf.addresses:
            if not a.sub:
                return a.address, a.ev
        return None, None


    def _span(self) -> tuple[int, int]:
        """First and last line of this device's facts (1-based)."""
        d = self.d
        objs: list[State] = [*d.interfaces, *d.routes, *d.peers.values(), *d.ike.values()]
        objs += [*d.ipsec.values(), *d.policies, *d.acls.values(), *d.zones, *d.nat_rules]
        objs += [*d.sec_rules, *d.nat_servers] + ([d.g] if d.g else [])
        nums = [o.ev.line for o in objs] + [ln.line for o in objs for ln in o.lines.values()]
        return (min(nums), max(nums)) if nums else (1, 0)

    # -- notes -------------------------------------------------------------------------------
    def _uncited(self, cfg: DeviceConfig) -> None:
        """IPsec-relevant lines (IKE/IPsec sections and global ``ike``/``ipsec`` lines) that no
        model field cites go to ``notes``."""
        cited: set[int] = {n.line for n in self.notes}
        for ln in cfg.flags.values():
            cited.add(ln.line)
        for t in cfg.tunnels:
            _cite(cited, t.ev, t.lines)
            for s in t.selectors:
                _cite(cited, s.ev, {})
            for ip in t.ike_proposals:
                _cite(cited, ip.ev, ip.lines)
            for c in t.child_proposals:
                _cite(cited, c.ev, c.lines)
        d = self.d
        starts = [f.ev.line for f in (*d.peers.values(), *d.ike.values(), *d.ipsec.values())]
        starts += [p.ev.line for p in d.policies]
        lo, hi = self._span()
        for n in sorted(set(starts)):
            for i in range(n, min(n + 200, len(self.raw))):
                s = self.raw[i].strip()
                low = s.lower().split()
                if not s or s == "#" or low == ["return"]:
                    break
                if _header(low) is not None or _always_top(low):
                    break
                if i + 1 not in cited and not s.lower().startswith("description"):
                    self.notes.append(Line(self.source, i + 1, redact(self.raw[i])))
                    cited.add(i + 1)
        for i in range(lo - 1, min(hi, len(self.raw))):
            r = self.raw[i]
            low = r.strip().lower().split()
            if (
                low
                and low[0] in ("ike", "ipsec", "ikev1", "ikev2")
                and len(r) - len(r.lstrip()) <= 1
                and _header(low) is None
                and i + 1 not in cited
            ):
                self.notes.append(Line(self.source, i + 1, redact(r)))
                cited.add(i + 1)


def _cite(cited: set[int], ev: Line | None, lines: dict[str, Line]) -> None:
    if ev is not None:
        cited.add(ev.line)
    for ln in lines.values():
        cited.add(ln.line)

