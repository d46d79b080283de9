"""Proposal matching shared by IKEv1, IKEv2 and the CHILD_SA / quick mode: which attributes of
two proposals differ, the responder's choice (initiator order or its own priority order, per
vendor), and the Failures for the closest pair when nothing matches (one Failure per root cause,
naming every differing attribute and both values)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..config.algorithms import AEAD
from ..config.model import ChildProposal, IkeProposal
from . import behaviours
from .context import Direction_, change, proposal_lines
from .result import Failure

# attribute -> (root cause, Change field, message event, words for the detail)
IKE_ATTRS = {
    "encryption": ("ike-proposal-mismatch", "ike.encryption", "ike-proposal", "IKE encryption"),
    "integrity": ("ike-proposal-mismatch", "ike.integrity", "ike-proposal", "IKE integrity"),
    "prf": ("ike-proposal-mismatch", "ike.prf", "ike-proposal", "IKE PRF"),
    "lifetime": ("ike-proposal-mismatch", "ike.lifetime", "ike-proposal", "IKE lifetime"),
    "dh": ("ike-dh-group-mismatch", "ike.dh", "ike-dh", "IKE DH group"),
    "auth_method": ("auth-method-mismatch", "ike.auth_method", "auth-method",
                    "IKE authentication method"),
}
CHILD_ATTRS = {
    "protocol": ("ipsec-proposal-mismatch", "child.protocol", "child-proposal",
                 "IPsec protocol"),
    "encryption": ("ipsec-proposal-mismatch", "child.encryption", "child-proposal",
                   "ESP encryption"),
    "integrity": ("ipsec-proposal-mismatch", "child.integrity", "child-proposal",
                  "ESP integrity"),
    "ah_integrity": ("ipsec-proposal-mismatch", "child.integrity", "child-proposal",
                     "AH integrity"),
    "mode": ("encapsulation-mode-mismatch", "child.mode", "child-mode", "encapsulation mode"),
}


def _none_common(x: Sequence, y: Sequence) -> bool:
    return not set(x) & set(y)


def ike_v1_diffs(lifetime_rule: str) -> Callable[[IkeProposal, IkeProposal], list[str]]:
    """Differences RFC 2409 cares about: encryption (with key length), hash, DH group, auth
    method; the lifetime only under the ``initiator-le-own`` rule (Cisco IOS)."""

    def diffs(o: IkeProposal, m: IkeProposal) -> list[str]:
        out = [a for a in ("encryption", "integrity", "dh")
               if _none_common(getattr(o, a), getattr(m, a))]
        if o.auth_method != m.auth_method:
            out.append("auth_method")
        if (lifetime_rule == "initiator-le-own" and o.lifetime and m.lifetime
                and o.lifetime > m.lifetime):
            out.append("lifetime")
        return out

    return diffs


def _integrity_needed(p: IkeProposal | ChildProposal) -> bool:
    return not (p.encryption and all(e in AEAD for e in p.encryption))


def ike_v2_diffs(o: IkeProposal, m: IkeProposal) -> list[str]:
    """Per transform type intersection (RFC 7296 3.3): ENCR, INTEG (not with AEAD), PRF, D-H."""
    out = []
    common = set(o.encryption) & set(m.encryption)
    if not common:
        out.append("encryption")
    aead_possible = bool(common & AEAD) or not (_integrity_needed(o) or _integrity_needed(m))
    if not aead_possible and _none_common(o.integrity, m.integrity):
        out.append("integrity")
    if _none_common(o.prf or o.integrity, m.prf or m.integrity):
        out.append("prf")
    if _none_common(o.dh, m.dh):
        out.append("dh")
    return out


def child_diffs(ini_vendor: str, resp_vendor: str
                ) -> Callable[[ChildProposal, ChildProposal], list[str]]:
    """Protocol, ESP encryption/integrity, AH integrity, mode.  Tunnel against transport passes
    when the transport end is a vendor that treats transport as a request (``behaviours.yaml``
    ``accepts_tunnel_when_transport_configured``)."""

    def diffs(o: ChildProposal, m: ChildProposal) -> list[str]:
        out = []
        if o.protocol != m.protocol:
            out.append("protocol")
        else:
            if "esp" in o.protocol:
                if _none_common(o.encryption, m.encryption):
                    out.append("encryption")
                if (o.integrity or m.integrity) and _none_common(o.integrity, m.integrity):
                    out.append("integrity")
            if "ah" in o.protocol and _none_common(o.ah_integrity, m.ah_integrity):
                out.append("ah_integrity")
        if o.mode != m.mode and not _mode_tolerated(o.mode, m.mode, ini_vendor, resp_vendor):
            out.append("mode")
        return out

    return diffs


def _mode_tolerated(offered: str, own: str, ini_vendor: str, resp_vendor: str) -> bool:
    key = "accepts_tunnel_when_transport_configured"
    if offered == "tunnel" and own == "transport":
        return bool(behaviours.value(resp_vendor, key))
    if offered == "transport" and own == "tunnel":  # the initiator also offers tunnel
        return bool(behaviours.value(ini_vendor, key))
    return False


def select(offered: Sequence[Any], own: Sequence[Any], diffs: Callable[[Any, Any], list[str]],
           order: str) -> tuple[tuple[Any, Any] | None, tuple[Any, Any, list[str]] | None]:
    """(chosen (offered, own) pair, closest pair with its differences).  ``order`` is
    ``initiator`` (first offered proposal the responder supports) or ``responder`` (the
    responder walks its own proposals in priority order)."""
    pairs = ([(o, m) for o in offered for m in own] if order == "initiator"
             else [(o, m) for m in own for o in offered])
    best = None
    for o, m in pairs:
        dd = diffs(o, m)
        if not dd:
            return (o, m), None
        if best is None or len(dd) < len(best[2]):
            best = (o, m, dd)
    return None, best


def first_common(pref: Sequence, other: Sequence) -> Any:
    for x in pref:
        if x in other:
            return x
    return None


def _values(p: Any, attr: str) -> str:
    v = getattr(p, attr if attr != "prf" or p.prf else "integrity")
    if isinstance(v, tuple):
        return "/".join(str(x) for x in v) or "none"
    return str(v) if v is not None else "default"


def _value_for_change(p: Any, attr: str) -> object:
    v = getattr(p, attr if attr != "prf" or p.prf else "integrity")
    if isinstance(v, tuple):
        return v[0] if v else None
    return v


def failures(d: Direction_, stage: str, o: Any, m: Any, dd: list[str],
             table: dict[str, tuple[str, str, str, str]], confidence: dict[str, float] | None = None
             ) -> list[Failure]:
    """One Failure per root cause for the closest (offered ``o``, responder ``m``) pair."""
    ini, resp = d.ini, d.resp
    by_cause: dict[str, list[str]] = {}
    for attr in dd:
        by_cause.setdefault(table[attr][0], []).append(attr)
    out = []
    for cause, attrs in by_cause.items():
        parts, changes = [], []
        lines_i, lines_r = [], []
        for attr in attrs:
            _c, fld, _e, words = table[attr]
            parts.append(f"{words}: {ini.name} offers {_values(o, attr)}, "
                         f"{resp.name} accepts {_values(m, attr)}")
            lines_i += [x for x in proposal_lines([o], attr) if x not in lines_i]
            lines_r += [x for x in proposal_lines([m], attr) if x not in lines_r]
            changes.append(change(ini, fld, _value_for_change(m, attr), o.name))
            changes.append(change(resp, fld, _value_for_change(o, attr), m.name))
        changes.sort(key=lambda c: c.side != ini.label)
        event = table[attrs[0]][2]
        conf = min((confidence or {}).get(a, 0.9) for a in attrs)
        out.append(d.fail(
            cause, stage, "; ".join(parts), event=event,
            attr=attrs[0] if len(attrs) == 1 else None,
            lines={ini.label: lines_i, resp.label: lines_r}, changes=changes, confidence=conf))
    return out


def child_text(o: ChildProposal, m: ChildProposal) -> str:
    """The chosen phase-2 transforms as one word: ``esp/aes-cbc-256/sha2-256/tunnel``."""
    pairs = ((o.encryption, m.encryption), (o.integrity, m.integrity),
             (o.ah_integrity, m.ah_integrity))
    algs = [first_common(x, y) for x, y in pairs if x and y]
    mode = o.mode if o.mode == m.mode else "tunnel"
    return "/".join([o.protocol, *algs, mode])


def choose_child(d: Direction_, out: Any, order_key: str) -> None:
    """Phase-2 transform choice, the same in IKEv1 quick mode and the IKEv2 CHILD_SA: the chosen
    pair (``out.child_pair``, ``out.chosen["child"]``) or the failures of the closest pair.
    ``order_key`` names the behaviour switch giving the responder's walk order."""
    order = behaviours.value(d.resp.vendor, order_key)
    chosen, best = select(d.ini.tun.child_proposals, d.resp.tun.child_proposals,
                          child_diffs(d.ini.vendor, d.resp.vendor), order)
    if chosen is None:
        if best is None:
            out.ipsec.append(d.fail("ipsec-proposal-mismatch", "ipsec",
                                    "IPsec proposals: none configured", event="child-proposal"))
        else:
            out.ipsec += failures(d, "ipsec", best[0], best[1], best[2], CHILD_ATTRS)
    else:
        out.child_pair = chosen
        out.chosen["child"] = child_text(chosen[0], chosen[1])
