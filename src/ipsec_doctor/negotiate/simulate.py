"""Orchestration: both directions (each end as initiator), stage by stage.

A direction stops at its first breaking stage (ike, then ipsec, then traffic) but reports every
independent mismatch of that stage, in the order the exchange meets them (less certain vendor
assumptions after the documented ones).  An IKEv2 PFS difference (``when`` set: only at the
first rekey) lets the traffic stage run too, because the first CHILD_SA does come up."""

from __future__ import annotations

from msgspec.structs import replace

from ..config.model import DeviceConfig, Tunnel
from . import ikev1, ikev2, path, traffic, versions, warnings
from .context import Direction_, Outcome, Side
from .result import Direction, Failure, PairResult


def check_pair(a: DeviceConfig, ta: Tunnel, b: DeviceConfig, tb: Tunnel) -> PairResult:
    A, B = Side("a", a, ta), Side("b", b, tb)
    nat = path.behind_nat(A, B)
    directions, outcomes = [], []
    for ini, resp in ((A, B), (B, A)):
        direction, outcome = run(Direction_(ini=ini, resp=resp, nat=nat))
        directions.append(direction)
        if outcome is not None:
            outcomes.append(outcome)
    return PairResult(
        a_device=a.name, a_tunnel=ta.name, b_device=b.name, b_tunnel=tb.name,
        directions=directions, warnings=warnings.collect(A, B, outcomes),
        nat_between=nat is not None)


def for_version(t: Tunnel, version: int) -> Tunnel:
    """The tunnel as seen in one IKE version: proposals tagged for the other version dropped
    (ASA maps carry both), and IKEv1 hashes that a vendor keeps apart from its IKEv2 integrity
    (Huawei ``authentication-algorithm``) in place of ``integrity``."""
    ike = [p for p in t.ike_proposals if p.version in (None, version)]
    if version == 1:
        ike = [replace(p, integrity=p.v1_integrity) if p.v1_integrity else p for p in ike]
    child = [p for p in t.child_proposals if p.version in (None, version)]
    if ike == t.ike_proposals and child == t.child_proposals:
        return t
    return replace(t, ike_proposals=ike, child_proposals=child)


def rank(failures: list[Failure]) -> list[Failure]:
    """Stable: exchange order, documented behaviour before assumed behaviour."""
    return sorted(failures, key=lambda f: f.confidence < 0.7)


def run(d: Direction_) -> tuple[Direction, Outcome | None]:
    ini = d.ini
    if not ini.can_initiate():
        why = ("responder-only entry" if not ini.tun.initiates else "no peer address")
        return Direction(initiator=ini.label, outcome="not-initiated",
                         trace=[f"{ini.name} cannot initiate ({why}: {ini.tun.kind})"]), None
    if d.nat:
        d.trace.append(f"NAT between the peers: {d.nat} is behind NAT")
    version, vfails = versions.pick(d)
    d.version = version or ini.tun.initiate_version
    d.ini = Side(d.ini.label, d.ini.dev, for_version(d.ini.tun, d.version))
    d.resp = Side(d.resp.label, d.resp.dev, for_version(d.resp.tun, d.version))
    ike = path.check(d) + vfails
    outcome = Outcome()
    if version is not None:
        outcome = (ikev1 if version == 1 else ikev2).negotiate(d)
        ike += outcome.ike
    if ike:
        done = _done(d, outcome, "ike", ike)
        done.later = outcome.later
        return done, outcome
    if outcome.ipsec and any(f.when is None for f in outcome.ipsec):
        return _done(d, outcome, "ipsec", outcome.ipsec), outcome
    later = traffic.check(d, outcome)
    if outcome.ipsec:
        return _done(d, outcome, "ipsec", outcome.ipsec + later), outcome
    if later:
        return _done(d, outcome, "traffic", later), outcome
    d.trace.append("protected traffic passes")
    return Direction(initiator=ini.label, outcome="established", version=d.version,
                     trace=d.trace, chosen=outcome.chosen), outcome


def _done(d: Direction_, outcome: Outcome, stage: str, failures: list[Failure]) -> Direction:
    return Direction(initiator=d.ini.label, outcome="fails", stage=stage, version=d.version,
                     failures=rank(failures), trace=d.trace, chosen=outcome.chosen)
