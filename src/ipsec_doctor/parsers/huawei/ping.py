"""``ping [ip] [-a source] [-s size] [-c count] [-f] [-vpn-instance X] ... host`` (VRP: AR, USG).

Output (seed 002 MTU case, seed 003 route and MTU cases; USG prints ``CTRL_C``)::

    PING 10.1.2.2: 1418 data bytes, press CTRL+C to break
    Reply from 10.1.2.2: bytes=1418 Sequence=1 ttl=126 time=67 ms
    Request time out

    --- 10.1.2.2 ping statistics ---
    5 packet(s) transmitted
    5 packet(s) received
    0.00% packet loss
    round-trip min/avg/max = 50/53/67 ms

The options come from the typed command (``ctx.command``): ``-a`` source, ``-s`` size, ``-c``
count, ``-f`` don't fragment (DF set), ``-vpn-instance``, ``-i`` interface.  A ``PING`` header
without a prompt starts a block by itself; if the typed command names another host than the
header, its options are not trusted.  A second ``PING`` header ends the block (the next one
starts).  ``Error:``/``Info:`` lines are kept in ``error``.

Facts: one ``PingResult`` per ping, with every reply/timeout as a ``PingReply`` (own line).
"""

from __future__ import annotations

import msgspec

from ...model import Line, State
from ..base import Context
from ..util import is_digits, is_ip
from .firewall_session import parse_int, strip_note

# options followed by one value
_VALUED = frozenset("-a -c -s -t -m -h -p -tos -dscp -vpn-instance -nexthop -si -8021p -i".split())
_FLAGS = frozenset(
    "-f -d -n -q -r -v -name -system-time -ri -detail -brief ignore-mtu ip-forwarding".split()
)
_MAX_REPLIES = 10000


class PingReply(msgspec.Struct, kw_only=True):
    """One reply line (``timeout`` for "Request time out")."""

    ev: Line
    timeout: bool = False
    source: str | None = None  # "Reply from X"
    size: int | None = None
    seq: int | None = None
    ttl: int | None = None
    time_ms: int | None = None


class PingResult(State, kw_only=True):
    """One ping run: what was asked, each answer, and the statistics block."""

    target: str | None = None  # the address pinged (from the PING header, else the command)
    host: str | None = None  # as typed (an address or a name)
    source: str | None = None  # -a
    size: int | None = None  # data bytes (-s or the header)
    count: int | None = None  # -c
    df: bool = False  # -f
    vpn_instance: str | None = None
    interface: str | None = None  # -i
    replies: tuple[PingReply, ...] = ()
    timeouts: int = 0
    transmitted: int | None = None
    received: int | None = None
    loss_percent: float | None = None
    rtt_min: int | None = None
    rtt_avg: int | None = None
    rtt_max: int | None = None
    error: str | None = None
    complete: bool = False  # the statistics block was seen

    @property
    def answered(self) -> int:
        return sum(1 for r in self.replies if not r.timeout)

    @property
    def success(self) -> bool:
        if self.received is not None:
            return self.received > 0
        return self.answered > 0

    @property
    def all_lost(self) -> bool:
        if self.received is not None and self.transmitted:
            return self.received == 0
        return bool(self.replies) and self.answered == 0


def parse_command(command: str) -> dict:
    """Options of a typed ``ping`` command; {} when ``command`` is not a ping."""
    words = command.split("|", 1)[0].split()
    if not words or len(words[0]) < 2 or not "ping".startswith(words[0].lower()):
        return {}
    out: dict = {}
    i = 1
    n = len(words)
    while i < n:
        w = words[i]
        lw = w.lower()
        if lw in _VALUED and i + 1 < n:
            v = words[i + 1]
            i += 2
            if lw == "-a":
                out["source"] = v
            elif lw == "-s":
                out["size"] = parse_int(v)
            elif lw == "-c":
                out["count"] = parse_int(v)
            elif lw == "-vpn-instance":
                out["vpn_instance"] = v
            elif lw == "-i":
                # "-i GigabitEthernet 0/0/1" or "-i GigabitEthernet0/0/1"
                if i < n - 1 and is_digits(words[i][:1]) and "/" in words[i]:
                    v += words[i]
                    i += 1
                out["interface"] = v
        elif lw == "-range":
            i += 1
            while i + 1 < n and words[i].lower() in ("min", "max", "step"):
                i += 2
        elif lw in _FLAGS:
            if lw == "-f":
                out["df"] = True
            i += 1
        elif lw == "ip" and i == 1:
            i += 1
        else:
            out["host"] = w
            i += 1
    return out


def parse_reply(text: str, ev: Line) -> PingReply | None:
    low = text.lower()
    if low.startswith("request time") or low.startswith("request timed"):
        return PingReply(ev=ev, timeout=True)
    if not low.startswith("reply from"):
        return None
    body = text[10:].strip()
    src, _, rest = body.partition(":")
    fields: dict = {"ev": ev, "source": src.strip() if is_ip(src.strip()) else None}
    for tok in rest.replace("<", "=").split():
        k, sep, v = tok.partition("=")
        if not sep:
            continue
        k = k.lower()
        if k == "bytes":
            fields["size"] = parse_int(v)
        elif k in ("sequence", "seq", "icmp_seq"):
            fields["seq"] = parse_int(v)
        elif k == "ttl":
            fields["ttl"] = parse_int(v)
        elif k == "time":
            fields["time_ms"] = parse_int(v)
    return PingReply(**fields)


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.first_text: Line | None = None
        self.opts = parse_command(ctx.command)
        self.header: Line | None = None
        self.target: str | None = None
        self.header_size: int | None = None
        self.replies: list[PingReply] = []
        self.timeouts = 0
        self.stats: dict = {}
        self.lines: dict[str, Line] = {}
        self.error: str | None = None
        self.in_stats = False
        self.foreign = False

    def _header(self, text: str, ev: Line) -> None:
        body = text[4:].strip()
        target, _, rest = body.partition(":")
        self.target = target.strip() or None
        self.header_size = parse_int(rest.strip())
        self.header = ev
        self.lines["header"] = ev

    def feed(self, ev: Line) -> bool:
        if self.first is None:
            self.first = ev
        text = strip_note(ev.text).strip()
        if not text or text.startswith("```") or not text.strip("."):
            return True
        low = text.lower()
        if self.first_text is None:
            self.first_text = ev
        if low.startswith("ping ") and "data bytes" in low:
            if self.header is not None or self.replies or self.in_stats:
                return False  # the next ping
            self._header(text, ev)
            return True
        if low.startswith("---") and "statistics" in low:
            self.in_stats = True
            self.lines["statistics"] = ev
            return True
        if self.in_stats:
            return self._stats(text, low, ev)
        reply = parse_reply(text, ev)
        if reply is not None:
            if len(self.replies) < _MAX_REPLIES:
                self.replies.append(reply)
            if reply.timeout:
                self.timeouts += 1
                self.lines.setdefault("timeout", ev)
            else:
                self.lines.setdefault("reply", ev)
            return True
        if low.startswith(("error:", "info:", "warning:")) and self.error is None:
            self.error = text.partition(":")[2].strip()
            self.lines["error"] = ev
            return True
        if self.header is None and not self.replies:
            self.foreign = True  # not a VRP ping output (another vendor's, or prose)
        return False

    def _stats(self, text: str, low: str, ev: Line) -> bool:
        toks = low.split()
        if len(toks) > 6:
            return False
        key = None
        if len(toks) == 3 and is_digits(toks[0]) and toks[1].startswith("packet"):
            key = toks[2] if toks[2] in ("transmitted", "received") else None
            if key is not None and key not in self.stats:
                self.stats[key] = int(toks[0]) if len(toks[0]) <= 20 else None
                self.lines[key] = ev
                return True
            return False
        if (
            toks[-2:] == ["packet", "loss"]
            and toks[0].endswith("%")
            and "loss_percent" not in self.stats
        ):
            num = toks[0][:-1][:12]
            if not is_digits(num.replace(".", "", 1)):
                return False  # not "66.67": "nan", "1e999", "-5", "６６"
            self.stats["loss_percent"] = float(num)
            self.lines["loss"] = ev
            return True
        if toks[0] == "round-trip" and "=" in text and "rtt" not in self.lines:
            vals = text.partition("=")[2].replace("ms", " ").strip().split("/")
            if len(vals) == 3:
                self.stats["rtt_min"], self.stats["rtt_avg"], self.stats["rtt_max"] = (
                    parse_int(v.strip()) for v in vals
                )
            self.lines["rtt"] = ev
            return True
        return False

    def close(self) -> None:
        ev = self.ctx.prompt or self.header or self.first_text or self.first
        if ev is None or self.foreign:
            return
        opts = dict(self.opts)
        host = opts.get("host")
        if self.target and host and is_ip(host) and host != self.target:
            opts = {}  # the typed command is another ping's
        target = self.target or (host if host and is_ip(host) else None)
        self.ctx.emit(
            PingResult(
                vendor="huawei",
                family="ping",
                ev=ev,
                device=self.ctx.device,
                lines=self.lines,
                target=target,
                host=opts.get("host") or self.target,
                source=opts.get("source"),
                size=opts.get("size") or self.header_size,
                count=opts.get("count"),
                df=bool(opts.get("df")),
                vpn_instance=opts.get("vpn_instance"),
                interface=opts.get("interface"),
                replies=tuple(self.replies),
                timeouts=self.timeouts,
                error=self.error,
                complete="statistics" in self.lines,
                **self.stats,
            )
        )


class PingParser:
    name = "huawei.ping"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("ping",),)

    def accepts(self, text: str) -> bool:
        head = text[:160].strip()
        return head.startswith("PING ") and "data bytes" in head

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (PingParser,)
