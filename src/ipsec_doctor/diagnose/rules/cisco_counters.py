"""Rules over Cisco ``show crypto ipsec sa`` counters (seed 004 and issue 4): which direction of
an established tunnel breaks.

* encaps > 0 and decaps 0: this end encrypts and sends, nothing comes back: the other end does
  not answer into the tunnel (its crypto ACL, NAT or route for the return traffic), or ESP is
  dropped on the way;
* decaps > 0 and encaps 0: traffic arrives and is decrypted, nothing is sent back into the
  tunnel: this end routes or NATs the replies elsewhere, or its crypto ACL does not cover them;
* verify/decrypt failures, replay failures, send errors, packets without SA: the reason named
  by the counter.

Two devices pasted: one end's encaps without the other end's decaps proves the packets are
lost between them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Signal
from ...parsers.cisco.ipsec_sa import CryptoIpsecSa
from . import Position, World, derived
from .direction import RECEIVED_ONLY, SENT_ONLY
from .direction import one_way as direction_of

_ERRORS = (
    ("verify_failed", "cisco ipsec verify failures"),
    ("decaps_failed", "cisco ipsec verify failures"),
    ("replay_failed", "cisco ipsec replay failures"),
    ("send_errors", "cisco ipsec send errors"),
    ("no_sa_send", "cisco ipsec packets without sa"),
    ("invalid_spi", "cisco ipsec packets without sa"),
)


def one_way(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        for sa in world.states(CryptoIpsecSa, device):
            enc, dec = sa.encaps, sa.decaps
            if enc is None or dec is None:
                continue
            way = direction_of(enc, dec)
            if way == SENT_ONLY:
                yield derived(
                    "cisco ipsec encaps without decaps",
                    sa.line_of("encaps"),
                    sa.line_of("decaps"),
                    device=device,
                    vendor="cisco",
                    peer=sa.peer,
                    detail=f"encaps {enc}, decaps 0",
                )
                yield Position(device, "no-traffic", sa.peer, sa.line_of("encaps"), "one-way")
            elif way == RECEIVED_ONLY:
                yield derived(
                    "cisco ipsec decaps without encaps",
                    sa.line_of("decaps"),
                    sa.line_of("encaps"),
                    device=device,
                    vendor="cisco",
                    peer=sa.peer,
                    detail=f"decaps {dec}, encaps 0",
                )
                yield Position(device, "no-traffic", sa.peer, sa.line_of("decaps"), "one-way")
            traffic = max(enc or 0, dec or 0)
            for field, reason in _ERRORS:
                n = getattr(sa, field, None)
                # a handful of errors among millions of packets is noise, not a fault
                if n and n >= 10 and n * 1000 >= traffic:
                    yield derived(
                        reason,
                        sa.line_of(field),
                        device=device,
                        vendor="cisco",
                        peer=sa.peer,
                        detail=f"{field.replace('_', ' ')} {n}",
                    )


RULES = (one_way,)
