"""Fault-tree rules over Huawei ``display ipsec statistics`` (AR guide 3.2/3.3/3.6/3.7, USG
guide): was IKE triggered, sent, answered; are decrypted packets dropped, and why.

One device:

* ``outbound ok`` 0 and no IKE SA -> IKE was never sent: not triggered (``trigger ok`` 0 with
  traffic-based triggering), or triggered but not sent (policy not on the egress interface);
* ``outbound ok`` > 0 and ``inbound ok`` 0 -> sent, never answered;
* drop counters of received ESP: authentication (SHA2 truncation, corruption), replay
  (reordering), no SA (stale SA after a restart), policy deny (flows outside the SA).

Two devices pasted together (exactly two devices with counters are taken as the two ends):
the initiator sends and the responder receives nothing -> the path drops UDP 500/4500; both send
but the initiator receives nothing -> replies are lost on the way back.  A responder that
receives but sends nothing refuses the peer by its own configuration: that shows on its own
counters, so the one-device rule says it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Signal
from ...parsers.huawei.ike_sa import IkeSa
from ...parsers.huawei.ipsec_statistics import IpsecStatistics
from . import Position, World, derived

# drop counter -> derived reason
_DROPS = (
    ("auth_failed", "esp authentication failures"),
    ("replay", "esp replay drops"),
    ("replay_too_old", "esp replay drops"),
    ("no_sa", "esp packets without sa"),
    ("policy_deny", "decrypted packets outside the protected flow"),
    ("decrypt_failed", "esp decryption failures"),
)


def _stats(world: World, device: str | None) -> IpsecStatistics | None:
    """The latest IPv4 (or only) statistics of a device."""
    found = [s for s in world.states(IpsecStatistics, device) if s.af in (None, "ipv4")]
    return found[-1] if found else None


def _ready_sa(world: World, device: str | None) -> bool:
    return any(r.ready and r.peer not in ("0.0.0.0", "::") for r in world.states(IkeSa, device))


def single_device(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        st = _stats(world, device)
        if st is None:
            continue
        out_ok, in_ok, trig = st.ike_ctrl_out_ok, st.ike_ctrl_in_ok, st.trigger_ok
        up = _ready_sa(world, device)
        if out_ok == 0 and in_ok and not up:
            # a responder that hears IKE and never answers (also proven with one end only)
            yield derived(
                "peer receives ike but never answers", st.line_of("ike_ctrl_in_ok"), device=device
            )
            yield Position(device, "ike-sa", because=st.line_of("ike_ctrl_in_ok"), rule="silent")
        elif out_ok == 0 and not up:
            reason = "ike never sent" if trig in (0, None) else "ike triggered but not sent"
            line = (
                st.line_of("trigger_ok")
                if reason == "ike never sent"
                else st.line_of("ike_ctrl_out_ok")
            )
            yield derived(reason, st.line_of("ike_ctrl_out_ok"), line, device=device)
            yield Position(device, "no-ike", because=st.line_of("ike_ctrl_out_ok"), rule=reason)
        elif out_ok and in_ok == 0 and not up:
            yield derived(
                "ike sent, no reply",
                st.line_of("ike_ctrl_out_ok"),
                device=device,
                detail=f"outbound ok {out_ok}, inbound ok 0",
            )
            yield Position(device, "ike-sa", because=st.line_of("ike_ctrl_out_ok"), rule="no-reply")
        for field, reason in _DROPS:
            n = getattr(st, field, None)
            if n:
                yield derived(reason, st.line_of(field), device=device, detail=f"{field} {n}")


def two_devices(world: World) -> Iterator[Signal | Position]:
    ends = [(d, _stats(world, d)) for d in world.devices()]
    ends = [(d, s) for d, s in ends if s is not None]
    if len(ends) != 2:
        return
    for (a, sa), (_b, sb) in (ends, ends[::-1]):
        if not sa.ike_ctrl_out_ok or sa.ike_ctrl_in_ok:
            continue  # a is not an initiator left without answers
        a_out = sa.line_of("ike_ctrl_out_ok")
        b_in = sb.line_of("ike_ctrl_in_ok")
        if sb.ike_ctrl_in_ok == 0:
            yield derived("ike sent, peer received nothing", a_out, b_in, device=a)
            yield Position(a, "ike-sa", because=a_out, rule="path-drops-ike")
        elif sb.ike_ctrl_in_ok and sb.ike_ctrl_out_ok:
            yield derived(
                "peer answers ike, replies never arrive",
                sb.line_of("ike_ctrl_out_ok"),
                a_out,
                device=a,
            )
            yield Position(a, "ike-sa", because=a_out, rule="replies-lost")


RULES = (single_device, two_devices)
