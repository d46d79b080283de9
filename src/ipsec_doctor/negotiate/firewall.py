"""Security-rule evaluation (USG security policies, ASA interface ACLs) for a set of packets:
first match in ``position`` order, zones checked when both the rule and the packet name one."""

from __future__ import annotations

from ..config.model import DeviceConfig, SecurityRule
from .flows import Flow, flow


def _zone_ok(rule_zones: tuple[str, ...], zone: str | None) -> bool:
    if not rule_zones or zone is None:
        return True
    wanted = {z.lower() for z in rule_zones}
    return "any" in wanted or zone.lower() in wanted


def decide(dev: DeviceConfig, packets: Flow, src_zone: str | None,
           dst_zone: str | None) -> tuple[bool, SecurityRule | None]:
    """(permitted, deciding rule).  No matching rule: denied (the device filters by default).
    A permit that only overlaps the packets is skipped; a deny that overlaps them blocks."""
    rules = sorted(dev.security_rules, key=lambda r: r.position)
    for rule in rules:
        if not (_zone_ok(rule.source_zones, src_zone) and _zone_ok(rule.destination_zones,
                                                                   dst_zone)):
            continue
        f = flow(rule.selector)
        if f is None or not f.meets(packets):
            continue
        if rule.action.lower() in ("deny", "drop", "reject"):
            return False, rule
        if f.contains(packets):
            return True, rule
    return False, None


def zone_of(dev: DeviceConfig, interface: str | None) -> str | None:
    for itf in dev.interfaces:
        if itf.name == interface:
            return itf.zone
    return None
