"""A packet list copied from Wireshark/tshark (summary columns ``No. Time Source Destination
Protocol Info``, tab- or space-separated), as engineers paste it next to device output::

    No.	Time	Source	Destination	Protocol Info
    172	23.258477	10.248.0.15	192.168.0.12	TCP [TCP previous segment lost] [TCP segment ...]
    192	25.522172	10.248.0.15	192.168.0.12	TCP http > 49242 [SYN, ACK] Seq=0 ... MSS=1420 ...

One ``TcpCaptureSummary`` per list: how many TCP packets, how many Wireshark flagged as lost,
retransmitted, out of order or duplicate ACKs, and the MSS values announced in SYNs, each with
the first line that shows it.  Rules read it as a quality signal (segments of full size lost on
the way: MTU/MSS; reordering: anti-replay pressure).
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_digits, is_ip

_FLAGS = (
    ("lost", "[tcp previous segment lost]"),
    ("lost", "[tcp previous segment not captured]"),
    ("retransmissions", "[tcp retransmission]"),
    ("retransmissions", "[tcp fast retransmission]"),
    ("out_of_order", "[tcp out-of-order]"),
    ("dup_acks", "[tcp dup ack"),
)


class TcpCaptureSummary(State, kw_only=True):
    packets: int = 0
    tcp: int = 0
    lost: int = 0
    retransmissions: int = 0
    out_of_order: int = 0
    dup_acks: int = 0
    mss: tuple[int, ...] = ()  # MSS values seen in SYN / SYN-ACK packets, in order


def _row(text: str) -> tuple[str, str] | None:
    """(protocol, info) of a packet row: number, time, source, destination, protocol, info."""
    parts = text.split(None, 5)
    if len(parts) < 5 or not is_digits(parts[0]):
        return None
    try:
        float(parts[1])
    except ValueError:
        return None
    if not (is_ip(parts[2]) and is_ip(parts[3])):
        return None
    return parts[4], parts[5] if len(parts) > 5 else ""


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.counts: dict[str, int] = {}
        self.lines: dict[str, Line] = {}
        self.mss: list[int] = []
        self.packets = 0
        self.tcp = 0

    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if not text:
            return True
        if text.lower().startswith("no.") and "protocol" in text.lower():
            self.first = self.first or ev
            return True
        row = _row(text)
        if row is None:
            return False
        self.first = self.first or ev
        self.packets += 1
        proto, info = row
        if proto.upper() not in ("TCP", "HTTP", "TLSV1.2", "TLSV1.3", "SSL"):
            return True
        self.tcp += 1
        low = info.lower()
        for field, marker in _FLAGS:
            if marker in low:
                self.counts[field] = self.counts.get(field, 0) + 1
                self.lines.setdefault(field, ev)
        if "[syn" in low and "mss=" in low:
            value = low.split("mss=", 1)[1].split(None, 1)[0]
            if is_digits(value) and len(value) <= 5 and len(self.mss) < 64:
                self.mss.append(int(value))
                self.lines.setdefault("mss", ev)
        return True

    def close(self) -> None:
        if self.first is None or not self.packets:
            return
        self.ctx.emit(
            TcpCaptureSummary(
                vendor="generic",
                family="tcp-capture",
                ev=self.first,
                device=self.ctx.device,
                lines=self.lines,
                packets=self.packets,
                tcp=self.tcp,
                mss=tuple(self.mss),
                **self.counts,
            )
        )


class PacketListParser:
    name = "generic.packet-list"
    vendor = "generic"
    log_like = False
    priority = 150
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        low = text.lstrip()[:80].lower()
        if low.startswith("no.") and "protocol" in low and "source" in low:
            return True
        return is_digits(text[:1]) and _row(text.strip()) is not None

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (PacketListParser,)
