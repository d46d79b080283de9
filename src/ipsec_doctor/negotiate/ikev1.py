"""IKEv1: main/aggressive mode, phase-1 proposal selection (RFC 2409), authentication in MM5/MM6,
quick mode (transforms, mode, PFS, proxy IDs).

Proposal selection: the responder accepts an offered proposal equal in encryption (with key
length), hash, authentication method and DH group to one of its own; the walk order follows the
responder's vendor (``ikev1_selection_order``).  Lifetimes: a difference never refuses a proposal
(the shorter is used) except on Cisco IOS, whose configuration guide makes a policy match only
when the peer's lifetime is <= its own (``ikev1_lifetime_rule: initiator-le-own``, confidence
0.6).  Cisco's default policy 65535 takes part only when the reader put it in the list.

PFS: a responder with PFS refuses a quick mode without KE or with another group; an initiator
with PFS meets a responder without it: accepted by IOS/ASA, refused by Huawei/strongSwan
(``accepts_pfs_when_not_configured``)."""

from __future__ import annotations

from . import auth, behaviours, ts
from .child import (
    IKE_ATTRS,
    choose_child,
    failures,
    first_common,
    ike_v1_diffs,
    select,
)
from .context import Direction_, Outcome, change
from .context import after_ike as _after_ike
from .result import Failure


def negotiate(d: Direction_) -> Outcome:
    out = Outcome()
    ini, resp = d.ini, d.resp
    out.ike += _exchange_mode(d)
    rule, rule_conf, _src = behaviours.switch(resp.vendor, "ikev1_lifetime_rule")
    order = behaviours.value(resp.vendor, "ikev1_selection_order")
    chosen, best = select(ini.tun.ike_proposals, resp.tun.ike_proposals, ike_v1_diffs(rule),
                          order)
    if chosen is None:
        out.ike += _no_ike_choice(d, best, rule_conf)
        props = [*ini.tun.ike_proposals, *resp.tun.ike_proposals]
        if props and all(p.auth_method == "psk" for p in props):
            out.ike += auth.psk(d)[0]  # an independent mismatch met once proposals agree
    else:
        o, m = chosen
        out.ike_pair = chosen
        algs = [first_common(x, y) for x, y in ((o.encryption, m.encryption),
                                                (o.integrity, m.integrity), (o.dh, m.dh))]
        out.chosen["ike"] = "/".join(str(x) for x in (*algs, o.auth_method))
        d.trace.append(f"{ini.tun.exchange_mode} mode: {resp.name} accepts {ini.name}'s "
                       f"proposal {o.name} (matches its {m.name}): {out.chosen['ike']}")
        if o.auth_method == "psk":
            fails, notes = auth.psk(d)
            out.ike += fails
            out.notes += notes
    out.ike += auth.identities(d)
    if out.ike:
        out.later = _after_ike(d, lambda probe: _quick_mode(d, probe))
        return out
    d.trace.append("phase 1 established")
    _quick_mode(d, out)
    return out


def _no_ike_choice(d: Direction_, best, rule_conf: float) -> list[Failure]:
    if best is None:
        empty = [s.label for s in (d.ini, d.resp) if not s.tun.ike_proposals]
        return [d.fail("ike-proposal-mismatch", "ike",
                       f"IKE proposals: none configured on {' and '.join(empty)}",
                       event="ike-proposal")]
    o, m, dd = best
    d.trace.append(f"phase 1: {d.resp.name} finds no proposal of {d.ini.name} acceptable")
    return failures(d, "ike", o, m, dd, IKE_ATTRS, {"lifetime": rule_conf})


def _exchange_mode(d: Direction_) -> list[Failure]:
    ini, resp = d.ini, d.resp
    if ini.tun.exchange_mode == resp.tun.exchange_mode:
        return _aggressive_psk(d)
    key = f"responder_accepts_{ini.tun.exchange_mode}_when_{resp.tun.exchange_mode}"
    accepts, conf, source = behaviours.switch(resp.vendor, key)
    if accepts and ini.tun.exchange_mode == "aggressive" and (
        "aggressive-mode-disable" in resp.dev.flags
    ):  # IOS "crypto isakmp aggressive-mode disable" / ASA "crypto ikev1 am-disable"
        accepts, conf, source = False, 0.9, "aggressive mode disabled on the responder"
    if accepts:
        d.trace.append(f"{resp.name} answers {ini.tun.exchange_mode} mode although configured "
                       f"for {resp.tun.exchange_mode} ({source})")
        return []
    return [d.fail(
        "exchange-mode-mismatch", "ike",
        f"exchange mode: {ini.name} initiates {ini.tun.exchange_mode} mode, {resp.name} is "
        f"configured for {resp.tun.exchange_mode} mode",
        event="exchange-mode",
        lines={ini.label: ini.cite("exchange_mode"), resp.label: resp.cite("exchange_mode")},
        changes=[change(ini, "exchange_mode", resp.tun.exchange_mode),
                 change(resp, "exchange_mode", ini.tun.exchange_mode)], confidence=conf,
        mode=ini.tun.exchange_mode.capitalize())]


def _aggressive_psk(d: Direction_) -> list[Failure]:
    """strongSwan refuses aggressive mode with a PSK as responder unless strongswan.conf sets
    charon.i_dont_care_about_security_and_use_aggressive_mode_psk (reader flag
    ``aggressive-psk-allowed``)."""
    ini, resp = d.ini, d.resp
    if ini.tun.exchange_mode != "aggressive" or "aggressive-psk-allowed" in resp.dev.flags:
        return []
    refuses, conf, source = behaviours.switch(resp.vendor, "refuses_aggressive_psk")
    psk = any(p.auth_method == "psk" for p in ini.tun.ike_proposals)
    if not (refuses and psk):
        return []
    return [d.fail(
        "exchange-mode-mismatch", "ike",
        f"exchange mode: {ini.name} initiates aggressive mode with a pre-shared key, "
        f"{resp.name} refuses it by default ({source})",
        event="aggressive-psk",
        lines={ini.label: ini.cite("exchange_mode"), resp.label: resp.cite("exchange_mode")},
        changes=[change(ini, "exchange_mode", "main"), change(resp, "exchange_mode", "main")],
        confidence=conf)]


def _quick_mode(d: Direction_, out: Outcome) -> None:
    choose_child(d, out, "ikev1_selection_order")
    out.ipsec += pfs_v1(d)
    out.ipsec += ts.check_v1(d)
    if not out.ipsec:
        d.trace.append(f"quick mode established: {out.chosen.get('child', '')}")


def pfs_v1(d: Direction_) -> list[Failure]:
    ini, resp = d.ini, d.resp
    gi, gr = ini.tun.pfs, resp.tun.pfs
    if gi == gr:
        return []
    conf = 0.9
    if gr is None:
        accepts, conf, source = behaviours.switch(resp.vendor, "accepts_pfs_when_not_configured")
        if accepts:
            d.trace.append(f"quick mode: {resp.name} has no PFS but accepts {ini.name}'s "
                           f"group {gi} ({source})")
            return []
    if gr is None:
        detail = (f"PFS: {ini.name} offers {_pfs(gi)}, {resp.name} has no PFS and refuses a "
                  "quick mode with KE")
    else:
        detail = f"PFS: {ini.name} offers {_pfs(gi)}, {resp.name} requires {_pfs(gr)}"
    return [d.fail(
        "pfs-mismatch", "ipsec", detail, event="pfs",
        lines={ini.label: ini.cite("pfs"), resp.label: resp.cite("pfs")},
        changes=[change(ini, "pfs", gr), change(resp, "pfs", gi)], confidence=conf)]


def _pfs(group: int | None) -> str:
    return "no PFS" if group is None else f"PFS group {group}"
