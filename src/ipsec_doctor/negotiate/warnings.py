"""Weaknesses that never break the tunnel (never Failures): weak algorithms chosen (DES, 3DES,
NULL, MD5, SHA1, DH 1/2/5/22), no PFS, no DPD, lifetimes that differ, IKEv2 selectors narrowed,
pre-shared keys that cannot be compared, a side that only responds."""

from __future__ import annotations

from ..config.algorithms import WEAK_DH, WEAK_ENCRYPTION, WEAK_INTEGRITY
from .child import first_common
from .context import Outcome, Side
from .result import Warning_


def collect(a: Side, b: Side, outcomes: list[Outcome]) -> list[Warning_]:
    out: list[Warning_] = []
    for o in outcomes:
        out += _weak(o)
        out += o.notes
    out += _lifetimes(a, b, outcomes)
    for side in (a, b):
        if side.tun.pfs is None:
            out.append(Warning_(code="no-pfs", side=side.label, lines=side.cite("pfs"),
                                detail=f"{side.name} does not use PFS for its IPsec SAs"))
        if not side.tun.dpd:
            out.append(Warning_(code="no-dpd", side=side.label, lines=side.cite("dpd"),
                                detail=f"{side.name} has no dead peer detection: a dead peer "
                                       "is noticed only when the SAs expire"))
        if not side.tun.initiates and side.tun.manual_initiation:
            out.append(Warning_(
                code="manual-start", side=side.label, lines=side.cite("initiates"),
                detail=f"{side.name} starts the tunnel only by hand or when the other end "
                       "initiates: nothing brings it up automatically (start_action/auto)"))
        elif not side.tun.initiates:
            out.append(Warning_(
                code="responder-only", side=side.label, lines=side.cite(),
                detail=f"{side.name} ({side.tun.kind}) only responds: the tunnel comes up "
                       "only when the other end initiates"))
    return _dedupe(out)


def _weak(o: Outcome) -> list[Warning_]:
    out = []
    for pair, what in ((o.ike_pair, "IKE"), (o.child_pair, "IPsec")):
        if pair is None:
            continue
        p, q = pair
        enc = first_common(p.encryption, q.encryption)
        integ = first_common((*p.integrity, *p.ah_integrity) if what == "IPsec" else p.integrity,
                             (*q.integrity, *q.ah_integrity) if what == "IPsec" else q.integrity)
        if enc in WEAK_ENCRYPTION:
            out.append(Warning_(code="weak-encryption", detail=f"{what} encryption {enc}"))
        if integ in WEAK_INTEGRITY:
            out.append(Warning_(code="weak-integrity", detail=f"{what} integrity {integ}"))
        if what == "IKE":
            dh = first_common(p.dh, q.dh)
            if dh in WEAK_DH:
                out.append(Warning_(code="weak-dh", detail=f"IKE DH group {dh}"))
    return out


def _lifetimes(a: Side, b: Side, outcomes: list[Outcome]) -> list[Warning_]:
    out = []
    for kind, attr in (("IKE", "ike_pair"), ("IPsec", "child_pair")):
        pairs = [getattr(o, attr) for o in outcomes if getattr(o, attr) is not None]
        if pairs:
            p, q = pairs[0]
        else:
            props_a = a.tun.ike_proposals if kind == "IKE" else a.tun.child_proposals
            props_b = b.tun.ike_proposals if kind == "IKE" else b.tun.child_proposals
            if not props_a or not props_b:
                continue
            p, q = props_a[0], props_b[0]
        if p.lifetime and q.lifetime and p.lifetime != q.lifetime:
            lines = [x for x in (p.lines.get("lifetime") or p.ev, q.lines.get("lifetime") or q.ev)
                     if x is not None]
            out.append(Warning_(
                code="lifetime-differs", lines=lines,
                detail=f"{kind} SA lifetimes differ ({p.lifetime} s and {q.lifetime} s): the "
                       "shorter one is used and the longer end may rekey late"))
    return out


def _dedupe(items: list[Warning_]) -> list[Warning_]:
    seen, out = set(), []
    for w in items:
        key = (w.code, w.side, w.detail)
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out
