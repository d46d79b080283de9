"""Cisco IOS / IOS-XE configuration reader (``show running-config`` text) for ``check``.

``detect`` scores IOS syntax, ``parse`` turns one configuration into a ``DeviceConfig``:
interfaces, static routes, NAT (``ip nat inside source`` list / route-map / static forms, ACL deny
rules kept as exemptions) and one ``Tunnel`` per crypto map entry, dynamic-map entry and
``tunnel protection ipsec profile`` interface.  The collection of the configuration objects lives
here; turning them into tunnels lives in ``cisco_ios_tunnels.py``, the command renderer in
``cisco_ios_render.py``, the indentation walker and ACL reader in ``cisco_ios_tree.py``, and the
vendor defaults (with their sources) in ``defaults/cisco_ios.yaml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..model import Line
from .model import Change, DeviceConfig, Interface, NatRule, Selector, Tunnel
from .secrets import secret

VENDOR = "cisco-ios"

# ----------------------------------------------------------------------------- detect

_IOS_MARKS = (
    "crypto isakmp policy",
    "crypto isakmp key",
    "crypto ipsec transform-set",
    "ipsec-isakmp",
    "crypto ikev2 proposal",
    "crypto ikev2 profile",
    "crypto ipsec profile",
    "tunnel protection ipsec",
    "ip nat inside source",
    "ip access-list extended",
    "crypto keyring",
    "crypto isakmp profile",
    "crypto dynamic-map",
    "ip route ",
    "interface gigabitethernet",
    "interface fastethernet",
    "interface tunnel",
    "service timestamps",
    "boot-start-marker",
    "ip address ",
    "crypto map ",
)
_ASA_MARKS = ("asa version", "nameif", "tunnel-group", "crypto ikev1", "object network",
              "security-level", "crypto ikev2 enable", "same-security-traffic",
              "sysopt connection", "crypto ca trustpool")  # fmt: skip
_OTHER_MARKS = ("sysname", "ike proposal", "ipsec policy", "ipsec proposal", "ike peer",
                "undo ", "conn ", "connections {", "left=", "config setup", "children {",
                "remote_addrs", "leftsubnet", "display current-configuration")  # fmt: skip


def detect(text: str) -> int:
    """0-100: how sure we are that ``text`` is an IOS / IOS-XE configuration."""
    low = text.lower()
    score = sum(8 for m in _IOS_MARKS if m in low)
    if "\nhostname " in low or low.startswith("hostname "):
        score += 10
    if "building configuration" in low or "current configuration :" in low:
        score += 10
    asa = sum(1 for m in _ASA_MARKS if m in low)
    other = sum(1 for m in _OTHER_MARKS if m in low)
    if asa:
        score = min(score, 10) - 5 * asa
    if other >= 2:
        score = min(score, 10) - 5 * other
    return max(0, min(100, score))


# ----------------------------------------------------------------------------- defaults


@cache
def defaults() -> dict[str, Any]:
    """``defaults/cisco_ios.yaml`` (loaded once, lazily: PyYAML only when a config is read)."""
    import yaml

    path = Path(__file__).with_name("defaults") / "cisco_ios.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def default(section: str, key: str) -> Any:
    return defaults()[section][key]["value"]


# ----------------------------------------------------------------------------- parse


def parse(text: str, source: str) -> list[DeviceConfig]:
    """One ``DeviceConfig`` for the IOS configuration in ``text``."""
    from .cisco_ios_collect import collect
    from .cisco_ios_tunnels import build_tunnels

    if not text or not text.strip():
        from . import ConfigError

        raise ConfigError(f"{source}: empty configuration")
    cfg = collect(text, source)
    dev = DeviceConfig(vendor=VENDOR, name=cfg.hostname or Path(source).stem, source=source,
                       platform="ios")  # fmt: skip
    dev.interfaces = [_interface(i) for i in cfg.interfaces.values()]
    dev.routes = cfg.routes
    dev.nat_rules = _nat_rules(cfg)
    dev.flags = cfg.flags
    dev.tunnels = build_tunnels(cfg)
    dev.notes = list(dict.fromkeys(cfg.notes))  # one note per line, in order
    return [dev]


def _interface(i: Any) -> Interface:
    return Interface(name=i.name, addresses=tuple(i.addresses[:1]),
                     secondary=tuple(i.addresses[1:]), nat_role=i.nat_role, shutdown=i.shutdown,
                     ev=i.ev)  # fmt: skip


def _nat_rules(cfg: Any) -> list[NatRule]:
    rules: list[NatRule] = []
    outside = next((i.name for i in cfg.interfaces.values() if i.nat_role == "outside"), None)
    for pos, nat in enumerate(cfg.nat, 1):
        ev: Line = nat["ev"]
        if nat["form"] in ("list", "route-map"):
            if nat["form"] == "list":
                match = list(cfg.acls.get(nat["ref"], []))
            else:
                match = _route_map_selectors(cfg, nat["ref"])
            if nat["ref"] not in cfg.acls and nat["form"] == "list":
                cfg.notes.append(ev)  # NAT list names an ACL that does not exist
            rules.append(NatRule(kind="source", interface=nat.get("interface") or outside,
                                 match=match, position=pos, name=nat["ref"], ev=ev))  # fmt: skip
        elif nat["form"] == "static":
            kind = "server" if nat.get("protocol") else "source"
            sel = Selector(src=nat["local"], protocol=nat.get("protocol"),
                           src_ports=nat.get("ports"), ev=ev)  # fmt: skip
            match = [sel]
            if nat.get("route_map"):
                match = _route_map_selectors(cfg, nat["route_map"])
            rules.append(NatRule(kind=kind, interface=outside, match=match, position=pos,
                                 name=nat.get("global"), ev=ev))  # fmt: skip
    return rules


def _route_map_selectors(cfg: Any, name: str) -> list[Selector]:
    out: list[Selector] = []
    for entry in cfg.route_maps.get(name, []):
        for acl in entry["acls"]:
            for sel in cfg.acls.get(acl, []):
                if entry["action"] == "deny" and sel.action == "permit":
                    sel = Selector(action="deny", src=sel.src, dst=sel.dst,
                                   src_wildcard=sel.src_wildcard, dst_wildcard=sel.dst_wildcard,
                                   protocol=sel.protocol, src_ports=sel.src_ports,
                                   dst_ports=sel.dst_ports, ev=sel.ev)  # fmt: skip
                out.append(sel)
    return out


def psk_secret(words: list[str], i: int) -> Any:
    """``[0|6|7] KEY`` at ``words[i]`` -> Secret (type 6/7 = vendor-encrypted)."""
    if i >= len(words):
        return secret(None)
    if words[i] in ("0", "6", "7", "8") and i + 1 < len(words):
        return secret(words[i + 1], encrypted=words[i] != "0")
    return secret(words[i], encrypted=False)


# ----------------------------------------------------------------------------- render


def render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]:
    """IOS commands that apply ``change`` to ``tunnel`` on ``device`` (keys never printed)."""
    from .cisco_ios_render import render as _render

    return _render(change, device, tunnel)
