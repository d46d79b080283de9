"""``display firewall server-map [filters]`` (USG firewalls): NAT server, No-PAT and ASPF entries.

Entry layouts seen in the reference documents and manuals::

     Current Total Server-map : 2                                  (seed 003, NAT server case)
     Type: Nat Server,  ANY -> 2.1.1.10:3389[10.1.2.2:3389],  Zone:---,  protocol:tcp
     Vpn: public -> public
     Type: Nat Server Reverse,  10.1.2.2[2.1.1.10] -> ANY,  Zone:---,  protocol:tcp
     Vpn: public -> public,  counter: 1

    ServerMap item(s) on slot 2 cpu 3                              (USG9000)
    Type: Nat Server, ANY -> 203.0.113.20[192.168.10.2], Zone:---
    Protocol: ANY(Appro: unknown), Left-Time:---, Pool: ---
    Vpn: public -> public

    server-map 6 item(s)                                           (older USG: no "Type:")
    ASPF: 192.168.10.5 -> 198.51.100.10:2165 , Zone: ---
    Protocol: tcp(Appro: ftp-data), Left-Time: 00:00:05, Addr-Pool: ---
    VPN: public --> public
    No-Pat: 10.1.1.2[203.0.113.100] -> any, Zone: untrust

An address is ``ip[:port]`` followed by ``[ip[:port]]`` when NAT translates it; ``ANY`` is kept
as ``None``.  Facts: one ``ServerMapEntry`` per entry, one ``ServerMapTable`` per output (also an
empty one: no Nat Server Reverse entry is evidence too).
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import emit_table, to_int
from .firewall_session import (
    keyed,
    other_field,
    parse_duration,
    parse_flow,
    parse_int,
    split_pair,
    strip_note,
)

# entry types printed without a "Type:" prefix by older versions
_TYPES = (
    "aspf",
    "sa",
    "sa aspf",
    "stun",
    "stun reverse",
    "nat server",
    "nat server reverse",
    "no-pat",
    "no-pat reverse",
    "fullcone src",
    "fullcone dst",
    "full-cone",
    "slb",
    "pcp",
    "nat64",
    "nat64 reverse",
    "ds-lite",
    "static",
    "dynamic",
    "blacklist",
)
_KEYS = (
    "zone",
    "protocol",
    "appro",
    "left-time",
    "pool",
    "addr-pool",
    "addrpool",
    "section",
    "vpn",
    "counter",
)
_MAX_PENDING_LINES = 8


class ServerMapEntry(State, kw_only=True):
    """One server-map entry.  ``type`` as printed ("Nat Server", "Nat Server Reverse", "ASPF",
    "No-Pat" ...); ``*_nat`` is the translated address of the one before it."""

    type: str
    source: str | None = None  # None: ANY
    source_port: int | None = None
    source_nat: str | None = None
    source_nat_port: int | None = None
    destination: str | None = None
    destination_port: int | None = None
    destination_nat: str | None = None
    destination_nat_port: int | None = None
    protocol: str | None = None  # "tcp", "udp", "any"
    application: str | None = None  # "(Appro: ftp-data)"
    zone: str | None = None
    vpn_source: str | None = None
    vpn_destination: str | None = None
    left_time: int | None = None  # seconds; None when "---" (static entries)
    pool: str | None = None
    counter: int | None = None

    @property
    def reverse(self) -> bool:
        return "reverse" in self.type.lower()

    @property
    def nat_server(self) -> bool:
        return self.type.lower().startswith("nat server")


class ServerMapTable(State, kw_only=True):
    rows: int = 0
    total: int | None = None


def _value(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip(" ,()")
    return v if v and v.strip("-") and v.lower() != "unknown" else None


def _split_type(text: str) -> tuple[str, str] | None:
    """(type, rest) of an entry's first line, None if the line does not start an entry."""
    low = text.lower()
    prefixed = low.startswith("type:")
    body = text[5:].strip() if prefixed else text
    cut = len(body)
    for sep in (",", ":"):
        i = body.find(sep)
        if i != -1 and i < cut:
            cut = i
    kind, rest = body[:cut].strip(), body[cut + 1 :]
    if not kind or len(kind) > 40 or "->" not in rest:
        return None
    if not prefixed and kind.lower() not in _TYPES:
        return None
    return kind, rest


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.first_text: Line | None = None
        self.rows = 0
        self.total: int | None = None
        self.total_line: Line | None = None
        self.cur: dict | None = None
        self.cur_lines: dict[str, Line] = {}
        self.cur_ev: Line | None = None
        self.cur_count = 0

    def _flush(self) -> None:
        if self.cur is None or self.cur_ev is None:
            return
        fields, lines, ev = self.cur, self.cur_lines, self.cur_ev
        self.cur, self.cur_lines, self.cur_ev = None, {}, None
        self.rows += 1
        self.ctx.emit(
            ServerMapEntry(
                vendor="huawei",
                family="server-map",
                ev=ev,
                device=self.ctx.device,
                lines=lines,
                **fields,
            )
        )

    def _fields(self, text: str, ev: Line) -> bool:
        """Apply the ``Key: value`` pairs of ``text`` to the current entry."""
        cur, lines = self.cur, self.cur_lines
        if cur is None:
            return False
        kv = keyed(text, _KEYS)
        if not kv:
            return False
        if "zone" in kv:
            cur["zone"] = _value(kv["zone"])
            lines["zone"] = ev
        if "protocol" in kv:
            cur["protocol"] = (_value(kv["protocol"]) or "").lower() or None
            lines["protocol"] = ev
        if "appro" in kv:
            cur["application"] = _value(kv["appro"])
        if "left-time" in kv:
            cur["left_time"] = parse_duration(_value(kv["left-time"]))
            lines["left_time"] = ev
        for key in ("pool", "addr-pool", "addrpool"):
            if key in kv:
                cur["pool"] = _value(kv[key])
        if "vpn" in kv:
            cur["vpn_source"], cur["vpn_destination"] = split_pair(kv["vpn"])
            lines["vpn"] = ev
        if "counter" in kv:
            cur["counter"] = parse_int(kv["counter"])
            lines["counter"] = ev
        return True

    def feed(self, ev: Line) -> bool:
        if self.first is None:
            self.first = ev
        text = strip_note(ev.text).strip()
        if not text or text.startswith("```") or text.startswith("---") or not text.strip("."):
            return True
        if self.first_text is None:
            self.first_text = ev
        low = text.lower()
        if low.startswith(("current total server-map", "total server-map")):
            self.total = parse_int(text.rpartition(":")[2].strip())
            self.total_line = ev
            return True
        if low.startswith(("server-map", "servermap")) and "item" in low:
            head = low.replace("server-map", " ").replace("servermap", " ").split()
            if head and to_int(head[0]) is not None and self.total is None:
                self.total = int(head[0])
                self.total_line = ev
            return True
        entry = _split_type(text)
        if entry is not None:
            kind, rest = entry
            addr, _, tail = rest.partition(",")
            flow = parse_flow(addr)
            if flow is None:
                return False
            self._flush()
            self.cur = {"type": kind, **flow}
            self.cur_lines = {"type": ev, "flow": ev}
            self.cur_ev = ev
            self.cur_count = 1
            self._fields(tail, ev)
            return True
        if self.cur is not None and self.cur_count < _MAX_PENDING_LINES:
            self.cur_count += 1
            return self._fields(text, ev) or other_field(text)
        return False

    def close(self) -> None:
        self._flush()
        emit_table(
            self.ctx,
            ServerMapTable,
            "server-map-table",
            self.first_text or self.first,
            rows=self.rows,
            total=self.total,
            total_line=self.total_line,
        )


class ServerMapParser:
    name = "huawei.display-firewall-server-map"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "firewall", "server-map"),)

    def accepts(self, text: str) -> bool:
        head = text[:256].strip().lower()
        if head.startswith(("current total server-map", "servermap item")):
            return True
        return head.startswith("type:") and "->" in head and _split_type(text.strip()) is not None

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (ServerMapParser,)
