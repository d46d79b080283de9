"""Traffic selectors / proxy IDs / crypto ACLs.

IKEv1 (RFC 2409 quick mode; Huawei seeds 002 ~671 and 003 ~531: "the initiator's ACL range must
be included in the responder's"): each flow the initiator proposes must lie inside the
responder's mirrored rules, walked in order (a deny met first refuses).  A responder without
selectors (Huawei template without ACL) accepts what the initiator proposes.

IKEv2 (RFC 7296 2.9): a narrowing responder (``behaviours.yaml`` ``narrows_ts``: Huawei seed 003
~532, strongSwan, IOS-XE) keeps the intersection; an empty one is TS_UNACCEPTABLE.  A
non-narrowing responder (ASA, assumed) applies the IKEv1 inclusion rule."""

from __future__ import annotations

from ..config.model import Selector
from ..model import Line
from . import behaviours
from .context import Direction_, Side, change
from .flows import ANY, AddrSet, Flow, covered, flow
from .result import Failure, Warning_


def rules(side: Side) -> list[Flow]:
    return [f for f in (flow(s) for s in side.tun.selectors) if f is not None]


def permits(side: Side) -> list[Flow]:
    """The flows the end protects; none configured means any <-> any (route-based)."""
    out = [f for f in rules(side) if f.action == "permit"]
    return out or [Flow(ANY, ANY)]


def selector_lines(side: Side) -> list[Line]:
    out = [s.ev for s in side.tun.selectors if s.ev is not None]
    return out or side.cite("selectors")


def _net_text(s: AddrSet) -> tuple[str | None, str | None]:
    text = str(s)
    mask = text.partition("/")[2]
    return (text, None) if mask.isdigit() else (None, text)


def to_selector(f: Flow) -> Selector:
    src, src_w = _net_text(f.src)
    dst, dst_w = _net_text(f.dst)
    return Selector(action=f.action, src=src, dst=dst, src_wildcard=src_w, dst_wildcard=dst_w,
                    protocol=f.protocol, src_ports=f.src_ports, dst_ports=f.dst_ports)


def _mirrors(side: Side, only_permit: bool = False) -> list[Flow]:
    return [f.mirrored() for f in rules(side) if not only_permit or f.action == "permit"]


def _failure(d: Direction_, f: Flow, note: str, version: int) -> Failure:
    ini, resp = d.ini, d.resp
    theirs = ", ".join(str(x) for x in _mirrors(resp, True)) or "nothing"
    return d.fail(
        "traffic-selector-mismatch", "ipsec",
        f"traffic selectors: {ini.name} proposes {f}, {resp.name} protects {theirs} "
        f"(seen from {ini.name}); {note}",
        event="ts", lines={ini.label: selector_lines(ini), resp.label: selector_lines(resp)},
        changes=[change(ini, "selectors", [to_selector(x) for x in _mirrors(resp, True)]),
                 change(resp, "selectors", [to_selector(x.mirrored()) for x in permits(ini)])],
        ts=f"{f.dst} === {f.src}")  # strongSwan prints TSr === TSi


def check_v1(d: Direction_) -> list[Failure]:
    d.flows = permits(d.ini)
    if not d.resp.tun.selectors:
        d.trace.append(f"quick mode: {d.resp.name} has no selectors and accepts "
                       f"{d.ini.name}'s flows")
        return []
    theirs = _mirrors(d.resp)
    out = []
    for f in permits(d.ini):
        ok, rule = covered(theirs, f)
        if ok:
            continue
        why = (f"{d.resp.name}'s deny rule {rule.mirrored()} refuses it" if rule is not None
               else "IKEv1 needs the initiator's flow to equal or lie inside the responder's")
        out.append(_failure(d, f, why, 1))
    return out


def check_v2(d: Direction_) -> tuple[list[Failure], list[Warning_]]:
    d.flows = permits(d.ini)
    if not d.resp.tun.selectors:
        return [], []
    narrows, _conf, source = behaviours.switch(d.resp.vendor, "narrows_ts")
    if not narrows:
        out = []
        for f in permits(d.ini):
            ok, _rule = covered(_mirrors(d.resp), f)
            if not ok:
                out.append(_failure(d, f, f"{d.resp.name} does not narrow ({source}) and the "
                                          "proposal is not inside its selectors", 2))
        return out, []
    theirs = _mirrors(d.resp, True)
    out, notes, agreed = [], [], []
    for f in permits(d.ini):
        inter = [x for x in (f.meet(r) for r in theirs) if x is not None]
        agreed += inter
        if not inter:
            out.append(_failure(d, f, "no overlap, TS_UNACCEPTABLE", 2))
        elif inter != [f]:
            got = ", ".join(str(x) for x in inter)
            d.trace.append(f"CHILD_SA: {d.resp.name} narrows {f} to {got}")
            notes.append(Warning_(
                code="ts-narrowed", side=d.resp.label,
                detail=f"IKEv2 traffic selectors narrowed when {d.ini.name} initiates: "
                       f"{d.ini.name} proposes {f}, {d.resp.name} accepts {got}",
                lines=selector_lines(d.ini) + selector_lines(d.resp)))
    d.flows = agreed
    return out, notes
