"""IKEv2: IKE_SA_INIT (proposal choice, KE / INVALID_KE_PAYLOAD retry), IKE_AUTH (methods, PSK,
identities) and the first CHILD_SA carried in IKE_AUTH (transforms, mode, traffic selectors).

KE: the initiator sends KE for the first DH group of its first proposal.  When the responder
accepts the proposal but with another of the initiator's groups it answers INVALID_KE_PAYLOAD
and the initiator retries once with that group (traced, not a failure).  No common group when
everything else matches is NO_PROPOSAL_CHOSEN with cause ike-dh-group-mismatch.

The CHILD_SA in IKE_AUTH carries no KE (RFC 7296 1.2), so a PFS difference only shows at the
first CREATE_CHILD_SA rekey: Failure(stage="ipsec", cause="pfs-mismatch", when="at the first
CHILD_SA rekey")."""

from __future__ import annotations

from ..config.algorithms import AEAD
from . import auth, behaviours, ts
from .child import (
    IKE_ATTRS,
    choose_child,
    failures,
    first_common,
    ike_v2_diffs,
    select,
)
from .context import Direction_, Outcome, change
from .context import after_ike as _after_ike
from .messages import lines as message_lines
from .result import Failure


def negotiate(d: Direction_) -> Outcome:
    out = Outcome()
    ini, resp = d.ini, d.resp
    order = behaviours.value(resp.vendor, "ikev2_selection_order")
    chosen, best = select(ini.tun.ike_proposals, resp.tun.ike_proposals, ike_v2_diffs, order)
    if chosen is None:
        if best is None:
            empty = [s.label for s in (ini, resp) if not s.tun.ike_proposals]
            out.ike.append(d.fail("ike-proposal-mismatch", "ike",
                                  f"IKE proposals: none configured on {' and '.join(empty)}",
                                  event="ike-proposal"))
        else:
            d.trace.append(f"IKE_SA_INIT: {resp.name} answers NO_PROPOSAL_CHOSEN")
            out.ike += failures(d, "ike", best[0], best[1], best[2], IKE_ATTRS)
    else:
        out.ike_pair = chosen
        out.chosen["ike"] = _sa_init(d, chosen, order)
    out.ike += auth.methods_v2(d)
    if auth.uses_psk_v2(d):
        fails, notes = auth.psk(d)
        out.ike += fails
        out.notes += notes
    out.ike += auth.identities(d)
    if out.ike:
        out.later = _after_ike(d, lambda probe: _child(d, probe))
        return out
    d.trace.append("IKE_AUTH: IKE SA established")
    _child(d, out)
    return out


def _sa_init(d: Direction_, pair, order: str) -> str:
    o, m = pair
    first, second = (o, m) if order == "initiator" else (m, o)
    enc = first_common(first.encryption, second.encryption)
    integ = None if enc in AEAD else first_common(first.integrity, second.integrity)
    prf = first_common(first.prf or first.integrity, second.prf or second.integrity)
    common = [g for g in first.dh if g in second.dh]
    ini_props = d.ini.tun.ike_proposals
    ke = ini_props[0].dh[0] if ini_props and ini_props[0].dh else None
    group = ke if ke in common else (common[0] if common else None)
    d.trace.append(f"IKE_SA_INIT: {d.ini.name} offers {len(ini_props)} proposal(s), KE group "
                   f"{ke}; {d.resp.name} chooses {o.name} / its {m.name}")
    if ke is not None and group != ke:
        logs = []
        for side, role in ((d.resp, "responder"), (d.ini, "initiator")):
            logs += [f"{side.name}: {x}" for x in message_lines(
                "invalid-ke", side.vendor, role, group=ke, want=group)]
        d.trace.append(f"IKE_SA_INIT: {d.resp.name} answers INVALID_KE_PAYLOAD requesting "
                       f"group {group}; {d.ini.name} retries once with KE group {group}"
                       + (f" ({'; '.join(logs)})" if logs else ""))
    parts = [enc, integ if integ is not None else "aead", prf, group]
    return "/".join(str(x) for x in parts)


def _child(d: Direction_, out: Outcome) -> None:
    choose_child(d, out, "ikev2_selection_order")
    fails, notes = ts.check_v2(d)
    out.ipsec += fails
    out.notes += notes
    out.ipsec += pfs_at_rekey(d)
    if not out.ipsec:
        d.trace.append(f"IKE_AUTH: CHILD_SA established: {out.chosen.get('child', '')}")


def pfs_at_rekey(d: Direction_) -> list[Failure]:
    ini, resp = d.ini, d.resp
    if ini.tun.pfs == resp.tun.pfs:
        return []
    d.trace.append("IKE_AUTH: the first CHILD_SA carries no KE, PFS is not compared yet")
    return [d.fail(
        "pfs-mismatch", "ipsec",
        f"PFS: {ini.name} uses {_pfs(ini.tun.pfs)}, {resp.name} uses {_pfs(resp.tun.pfs)}; "
        "the first CHILD_SA comes up (no KE in IKE_AUTH), its CREATE_CHILD_SA rekey fails",
        event="pfs", lines={ini.label: ini.cite("pfs"), resp.label: resp.cite("pfs")},
        changes=[change(ini, "pfs", resp.tun.pfs), change(resp, "pfs", ini.tun.pfs)],
        when="at the first CHILD_SA rekey")]


def _pfs(group: int | None) -> str:
    return "no PFS" if group is None else f"PFS group {group}"
