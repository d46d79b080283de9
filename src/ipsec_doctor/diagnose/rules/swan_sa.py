"""Rules over strongSwan / Libreswan SA state (``swanctl --list-sas``, ``ipsec statusall``,
``ipsec status``, ``ipsec trafficstatus``): which stage did negotiation reach, and which
direction of an installed CHILD_SA carries traffic.

* an IKE SA not ESTABLISHED (CONNECTING; Libreswan STATE_MAIN_I1, STATE_V2_PARENT_I1 ...) ->
  IKE SA fails (``state: swan ike sa connecting``);
* ESTABLISHED with no CHILD_SA listed under it -> IPsec SA fails (``state: swan ike sa up, no
  child sa``);
* an installed CHILD_SA: bytes out without bytes in -> ``state: swan child sa out without in``;
  in without out -> ``state: swan child sa in without out`` (the reading of
  ``cisco_counters.py``, through ``direction.one_way``); both moving -> the tunnel is up.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Signal
from ...parsers.strongswan.status import SwanChildSa, SwanIkeSa
from . import Position, World, derived
from .direction import RECEIVED_ONLY, SENT_ONLY, one_way

_MIN_IN_BYTES = 840  # ten small packets: below that, a few stray inbound packets


def _direction(c: SwanChildSa) -> str | None:
    if c.packets_in is not None and c.packets_out is not None:
        return one_way(c.packets_out, c.packets_in)
    return one_way(c.bytes_out, c.bytes_in, _MIN_IN_BYTES)


def sa_state(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        for ike in world.states(SwanIkeSa, device):
            if not ike.established:
                yield derived(
                    "swan ike sa connecting",
                    ike.ev,
                    device=device,
                    peer=ike.peer,
                    vendor=ike.vendor,
                    detail=ike.state,
                )
                yield Position(device, "ike-sa", ike.peer, ike.ev, "swan-connecting")
            elif ike.children == 0:
                yield derived(
                    "swan ike sa up, no child sa",
                    ike.ev,
                    device=device,
                    peer=ike.peer,
                    vendor=ike.vendor,
                )
                yield Position(device, "ipsec-sa", ike.peer, ike.ev, "swan-no-child")
        for c in world.states(SwanChildSa, device):
            if not c.installed:
                continue
            way = _direction(c)
            out_line, in_line = c.line_of("bytes_out"), c.line_of("bytes_in")
            counts = f"bytes in {c.bytes_in}, bytes out {c.bytes_out}"
            if way == SENT_ONLY:
                yield derived(
                    "swan child sa out without in",
                    out_line,
                    in_line,
                    device=device,
                    peer=c.peer,
                    vendor=c.vendor,
                    detail=counts,
                )
                yield Position(device, "no-traffic", c.peer, out_line, "one-way")
            elif way == RECEIVED_ONLY:
                yield derived(
                    "swan child sa in without out",
                    in_line,
                    out_line,
                    device=device,
                    peer=c.peer,
                    vendor=c.vendor,
                    detail=counts,
                )
                yield Position(device, "no-traffic", c.peer, in_line, "one-way")
            elif c.bytes_in and c.bytes_out:
                yield Position(device, "service-abnormal", c.peer, c.ev, "sa-up")


RULES = (sa_state,)
