"""NAT and firewall rules for the Huawei reader (``config/huawei.py``): AR ``nat outbound`` (ACL
deny rules are the exemption), ``nat server``, USG ``nat-policy`` (no-nat, source-nat) and
``security-policy`` rules -> ``model.NatRule`` / ``model.SecurityRule``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import State
from ..parsers.huawei.current_config import (
    CfgAcl,
    CfgNatPolicyRule,
    CfgSecurityPolicyRule,
    NatServerEntry,
)
from ..parsers.util import is_ip
from . import huawei_words as W
from .huawei_facts import BuilderBase
from .model import (
    NatRule,
    SecurityRule,
    Selector,
)

_MAX_RULE_PRODUCT = 64  # security/NAT rule address x service combinations kept per rule


class FirewallParts(BuilderBase):
    """Mixin of the device builder: NAT and security rules."""

    def _acl_selectors(self, acl: CfgAcl) -> list[Selector]:  # from TunnelParts
        raise NotImplementedError

    # -- NAT ------------------------------------------------------------------------------------
    def _nat(self) -> list[NatRule]:
        out: list[NatRule] = []
        pos = 0
        for r in sorted(self.d.nat_rules, key=lambda r: r.position):
            if not r.enabled:
                self.note(r.ev)
                continue
            kind = {"no-nat": "exempt", "source-nat": "source", "destination-nat": "server"}.get(
                r.action or ""
            )
            if kind is None:
                self.note(r.ev)
                continue
            match = self._rule_selectors(r, "permit")
            if match is None:
                continue
            out.append(
                NatRule(
                    kind=kind,
                    interface=r.egress_interfaces[0] if r.egress_interfaces else None,
                    match=match,
                    match_all=not match,
                    position=pos,
                    name=r.name,
                    source_zones=r.source_zones,
                    destination_zones=r.destination_zones,
                    ev=r.ev,
                )
            )
            pos += 1
        for itf in self.d.interfaces:
            for no in itf.nat_outbound:
                acl = self.d.acl(no.acl, None)
                match: list[Selector] = []
                if acl is None:
                    self.note(no.ev)
                else:
                    match = self._acl_selectors(acl)
                out.append(
                    NatRule(
                        kind="source",
                        interface=itf.name,
                        match=match,
                        match_all=False,
                        position=pos,
                        name=f"nat outbound {no.acl}",
                        ev=no.ev,
                    )
                )
                pos += 1
            for srv in itf.nat_servers:
                out.append(self._server(srv, itf.name, pos))
                pos += 1
        for s in self.d.nat_servers:
            out.append(self._server(s.entry, None, pos))
            pos += 1
        return out

    def _server(self, e: NatServerEntry, interface: str | None, pos: int) -> NatRule:
        """A NAT server, seen from inside: the reverse translation of the inside host's traffic
        (unless ``no-reverse``)."""
        match: list[Selector] = []
        if e.inside_address and is_ip(e.inside_address) and not e.no_reverse:
            try:
                proto = W.protocol_number(e.protocol) if e.protocol else None
                ports = W.port_range(e.inside_port) if e.inside_port and proto in (6, 17) else None
                match = [
                    Selector(src=f"{e.inside_address}/32", protocol=proto, src_ports=ports, ev=e.ev)
                ]
            except W.Unsupported:
                self.note(e.ev)
        return NatRule(
            kind="server", interface=interface, match=match, position=pos, name=e.name, ev=e.ev
        )

    def _rule_selectors(
        self, r: CfgNatPolicyRule | CfgSecurityPolicyRule, action: str
    ) -> list[Selector] | None:
        """Address x service combinations of a policy rule (None: cannot be modelled)."""
        srcs = self._specs(r.source_addresses, r)
        dsts = self._specs(r.destination_addresses, r)
        svcs: list[tuple[int | None, tuple[int, int] | None, tuple[int, int] | None]] = []
        for s in r.services:
            try:
                svcs.append(W.service(s))
            except W.Unsupported:  # taken as any protocol, noted
                self.note(r.lines.get("services", r.ev))
                svcs.append((None, None, None))
        if srcs is None or dsts is None:
            return None
        if not r.source_addresses and not r.destination_addresses and not r.services:
            return []
        out: list[Selector] = []
        for src, src_w in srcs or [("0.0.0.0/0", None)]:
            for dst, dst_w in dsts or [("0.0.0.0/0", None)]:
                for proto, sp, dp in svcs or [(None, None, None)]:
                    out.append(
                        Selector(
                            action=action,
                            src=src,
                            dst=dst,
                            src_wildcard=src_w,
                            dst_wildcard=dst_w,
                            protocol=proto,
                            src_ports=sp,
                            dst_ports=dp,
                            ev=r.ev,
                        )
                    )
                    if len(out) >= _MAX_RULE_PRODUCT:
                        self.note(r.ev)
                        return out
        return out

    def _specs(self, specs: Iterable, r: State) -> list[tuple[str | None, str | None]] | None:
        """Networks of policy addresses.  An element the model cannot express (address set,
        range, IPv6) is taken as "any" (the rule most likely targets that traffic) and noted."""
        out = []
        for s in specs:
            try:
                out.append(W.address(s))
            except W.Unsupported:
                self.note(s.ev or r.ev)
                out.append(("0.0.0.0/0", None))
        return out

    # -- security policy --------------------------------------------------------------------------
    def _security(self) -> list[SecurityRule]:
        out: list[SecurityRule] = []
        pos = 0
        for r in sorted(self.d.sec_rules, key=lambda r: r.position):
            if not r.enabled or r.action not in ("permit", "deny"):
                self.note(r.ev)
                continue
            if r.applications:
                self.note(r.lines.get("applications", r.ev))
            sels = self._rule_selectors(r, r.action)
            if sels is None:
                continue
            for sel in sels or [Selector(action=r.action, ev=r.ev)]:
                out.append(
                    SecurityRule(
                        name=r.name,
                        action=r.action,
                        source_zones=r.source_zones,
                        destination_zones=r.destination_zones,
                        selector=sel,
                        position=pos,
                        ev=r.ev,
                    )
                )
                pos += 1
        # "default action deny|permit" closes the rule list as an explicit catch-all rule, so
        # that a packet no rule permits cites that line (without it the USG denies anyway)
        g = self.d.g
        if g is not None and g.security_default_action in ("permit", "deny"):
            ev = g.lines["security_default_action"]
            out.append(
                SecurityRule(name="default", action=g.security_default_action, position=pos, ev=ev)
            )
        return out

