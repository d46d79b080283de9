"""Which direction of an established SA carries traffic: the reading shared by the counter rules
(``cisco_counters.py``: encaps/decaps; ``swan_sa.py``: strongSwan/Libreswan bytes in/out)."""

from __future__ import annotations

SENT_ONLY = "sent-only"
RECEIVED_ONLY = "received-only"


def one_way(sent: int | None, received: int | None, min_received: int = 10) -> str | None:
    """``SENT_ONLY`` when this end sends into the SA and nothing comes back; ``RECEIVED_ONLY``
    when at least ``min_received`` arrive and nothing is sent back (a few stray inbound packets
    without replies are not yet a pattern); None otherwise or when a counter is missing."""
    if sent is None or received is None:
        return None
    if sent > 0 and received == 0:
        return SENT_ONLY
    if received >= min_received and sent == 0:
        return RECEIVED_ONLY
    return None
