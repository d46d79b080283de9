"""Authentication checks shared by IKEv1 (MM5/MM6) and IKEv2 (IKE_AUTH): authentication methods,
the pre-shared key (``Secret.same_as``; unknown -> a warning, never a failure) and identities.

Identity rule: an end's ``remote_id`` None is not checked, ``any`` accepts anything; an ``ip``
remote id with value None means "the peer's IP ID must be one of my peer addresses or
authentication addresses" (Huawei checks the received IP ID this way even without a remote id:
``behaviours.yaml`` has no switch for it, the Huawei reader expresses it with that remote id).
An ``ip`` local id with value None is the end's own source address (pre-NAT when behind NAT,
seed 002 ~1285)."""

from __future__ import annotations

from ipaddress import ip_address

from ..config.model import Identity
from .context import Direction_, Side, change
from .result import Failure, Warning_


def sent_identity(side: Side) -> Identity:
    ident = side.tun.local_id
    if ident.type == "ip" and ident.value is None:
        return Identity(type="ip", value=side.source_address())
    return ident


def _id_text(ident: Identity | None) -> str:
    if ident is None:
        return "unchecked"
    return f"{ident.type} {ident.value}" if ident.value else f"{ident.type} (derived)"


def _address_in(value: str | None, spec: str) -> bool:
    """``value`` is the address ``spec`` or lies in its ``start-end`` range (Huawei
    ``remote-address authentication-address START END``, seed 003 l.1768)."""
    if value is None:
        return False
    if "-" not in spec:
        return value == spec
    lo, _, hi = spec.partition("-")
    try:
        return int(ip_address(lo)) <= int(ip_address(value)) <= int(ip_address(hi))
    except ValueError:
        return False


def identity_ok(sender: Side, receiver: Side) -> bool:
    want = receiver.tun.remote_id
    got = sent_identity(sender)
    if want is None or want.type == "any":
        return True
    if want.type != got.type:
        return False
    if want.type == "ip" and want.value is None:
        tun = receiver.tun
        return tun.peer_any or any(
            _address_in(got.value, a) for a in (*tun.peer_addresses, *tun.auth_addresses)
        )
    if want.type == "ip":
        return want.value == got.value
    return (want.value or "").lower() == (got.value or "").lower()


def identities(d: Direction_) -> list[Failure]:
    """The responder checks the initiator's ID first (MM5 / IKE_AUTH request), then the
    initiator checks the responder's."""
    out = []
    for sender, receiver in ((d.ini, d.resp), (d.resp, d.ini)):
        if identity_ok(sender, receiver):
            continue
        got = sent_identity(sender)
        want = receiver.tun.remote_id
        fix_value = want if want and want.value else Identity(type=got.type, value=got.value)
        if d.nat == sender.label and got.type == "ip" and (want is None or want.type == "ip"):
            out.append(_nat_identity(d, sender, receiver, got))
            continue
        out.append(d.fail(
            "identity-mismatch", "ike",
            f"identity: {sender.name} sends {_id_text(got)}, {receiver.name} expects "
            f"{_id_text(want)}", event="identity",
            lines={sender.label: sender.cite("local_id"),
                   receiver.label: receiver.cite("remote_id")},
            changes=[change(sender, "local_id", fix_value),
                     change(receiver, "remote_id", got)]))
    return out


def _nat_identity(d: Direction_, sender, receiver, got: Identity) -> Failure:
    """The NAT authentication-address case (seed 002 ~l.1224-1266, seed 003 ~l.1700-1770): the
    end behind NAT sends its private address as IP identity, the other end expects the public
    address it sees.  One fault, filed as the peer address the responder checks against (the
    same verdict ``diagnose`` reaches from "authentication fail" + "config ID mismatch" + "peer
    address mismatch"); the fix names the pre-NAT address on the checking end."""
    fix = (change(receiver, "auth_address", got.value) if receiver.vendor == "huawei"
           else change(receiver, "remote_id", got))
    public = receiver.peer_address()  # what the checking end knows the NATed end as
    return d.fail(
        "peer-address-mismatch", "ike",
        f"identity behind NAT: {sender.name} sends its pre-NAT address {got.value} as IP "
        f"identity, {receiver.name} expects {_id_text(receiver.tun.remote_id)} (the address it "
        "sees after NAT)", event="identity",
        lines={sender.label: sender.cite("local_id", "local_address"),
               receiver.label: receiver.cite("remote_id", "peer_addresses")},
        changes=[fix, change(sender, "local_id", Identity(type="ip", value=public))]
        if public else [fix])


def psk(d: Direction_) -> tuple[list[Failure], list[Warning_]]:
    ini, resp = d.ini, d.resp
    same = ini.tun.psk.same_as(resp.tun.psk) if ini.tun.psk is not None else False
    if same is True:
        return [], []
    if same is None:
        return [], [Warning_(
            code="psk-unverifiable", side=None,
            detail="pre-shared keys cannot be compared (different vendor-encrypted forms): "
                   "assumed equal", lines=ini.cite("psk") + resp.cite("psk"))]
    missing = [s.label for s in (ini, resp) if s.tun.psk is None or s.tun.psk.kind == "missing"]
    detail = ("pre-shared key: missing on " + " and ".join(missing) if missing
              else f"pre-shared key: {ini.name} and {resp.name} use different keys")
    return [d.fail(
        "psk-mismatch", "ike", detail, event=("psk-missing", "psk") if missing else "psk",
        lines={ini.label: ini.cite("psk"), resp.label: resp.cite("psk")},
        changes=[change(ini, "psk"), change(resp, "psk")])], []


def methods_v2(d: Direction_) -> list[Failure]:
    """Each end's ``local_auth`` must be what the other requires (``remote_auth``, else the
    other's own method).  Both ways wrong is one Failure naming both."""
    parts, lines, changes = [], {}, []
    for prover, verifier in ((d.ini, d.resp), (d.resp, d.ini)):
        wanted = verifier.tun.remote_auth or verifier.tun.local_auth
        if prover.tun.local_auth == wanted:
            continue
        parts.append(f"authentication method: {prover.name} authenticates with "
                     f"{prover.tun.local_auth}, {verifier.name} expects {wanted}")
        for s, fields in ((prover, ("local_auth",)), (verifier, ("remote_auth", "local_auth"))):
            lines.setdefault(s.label, [])
            lines[s.label] += [x for x in s.cite(*fields) if x not in lines[s.label]]
        changes += [change(prover, "ike.auth_method", wanted)]
    if not parts:
        return []
    return [d.fail("auth-method-mismatch", "ike", "; ".join(parts), event="auth-method",
                   lines=lines, changes=changes)]


def uses_psk_v2(d: Direction_) -> bool:
    return any(s.tun.local_auth == "psk" or s.tun.remote_auth == "psk" for s in (d.ini, d.resp))
