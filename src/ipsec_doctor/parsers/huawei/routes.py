"""``display ip routing-table [vpn-instance NAME] [ADDRESS [MASK]] [verbose]``: the IPv4 routes.

Table layout (seed 003, "private network route" case; AR/USG manuals)::

    Route Flags: R - relay, D - download to fib
    ------------------------------------------------------------------------------
    Routing Tables: Public                        ("Routing Table : Public" for an address)
             Destinations : 15       Routes : 15  ("Summary Count : 1" for an address)
    Destination/Mask    Proto Pre  Cost      Flags NextHop         Interface
            0.0.0.0/0 Unr     70 0           D 192.168.1.1     GigabitEthernet1/0/7
          2.1.1.0/24  Static  60 0          RD 1.1.1.2         GigabitEthernet1/0/1
          10.1.2.0/24 OSPF    10 2           D 10.0.12.2       GigabitEthernet0/0/1
                      OSPF    10 2           D 10.0.13.2       GigabitEthernet0/0/2  (ECMP)
    ......

An equal-cost route continues on a line without destination; it becomes its own ``Route`` with
the destination of the line above.  The Flags column may be empty or absent.

``verbose`` prints a record per route::

    Destination: 0.0.0.0/0
         Protocol: Static           Process ID: 0
       Preference: 60                     Cost: 0
          NextHop: 192.214.198.156   Neighbour: 0.0.0.0
            State: Active Adv              Age: 1d01h58m07s
              Tag: 0                  Priority: medium
            Label: NULL                QoSInfo: 0x0
       IndirectID: 0x0
     RelayNextHop: 0.0.0.0           Interface: Dialer1
         TunnelID: 0x0                   Flags:  D

Facts: one ``Route`` per route and one ``RouteTable`` per table section (also an empty one:
``display ip routing-table 10.1.2.2`` with no route is the proof that there is no route).
"""

from __future__ import annotations

import ipaddress

from ...ingest.prompts import command_matches, command_tokens
from ...model import Line, State
from ..base import Context
from ..util import is_digits, is_ip, to_int
from .firewall_session import keyed, other_field, parse_duration, parse_int, strip_note


class Route(State, kw_only=True):
    """One route.  ``prefix`` is ``network/len``; ``flags`` the letters of the Flags column."""

    prefix: str
    destination: str
    mask_length: int
    protocol: str
    preference: int | None = None
    cost: int | None = None
    flags: tuple[str, ...] = ()
    next_hop: str | None = None
    interface: str | None = None
    table: str | None = None  # "Public" or a VPN instance
    # verbose only
    state: str | None = None  # "Active Adv", "Inactive Adv" ...
    age: int | None = None  # seconds
    relay_next_hop: str | None = None
    neighbour: str | None = None

    @property
    def active(self) -> bool | None:
        if self.state is None:
            return None
        return self.state.split(" ", 1)[0].lower() == "active"

    @property
    def default(self) -> bool:
        return self.mask_length == 0

    def contains(self, address: str) -> bool:
        """True when ``address`` (or every address of a ``prefix``) falls in this route."""
        try:
            net = ipaddress.ip_network(self.prefix, strict=False)
            other = ipaddress.ip_network(address, strict=False)
        except ValueError:
            return False
        return other.version == net.version and other.subnet_of(net)  # type: ignore[arg-type]


class RouteTable(State, kw_only=True):
    """One table section of the output."""

    table: str | None = None
    destinations: int | None = None
    routes: int | None = None  # the printed "Routes : N" / "Summary Count : N"
    rows: int = 0
    query: str | None = None  # the address asked for, if any
    verbose: bool = False


def _prefix(tok: str) -> tuple[str, str, int] | None:
    """``10.1.1.0/24`` -> (``10.1.1.0/24``, ``10.1.1.0``, 24)."""
    addr, sep, length = tok.partition("/")
    if not sep or not is_digits(length) or len(length) > 3 or not is_ip(addr):
        return None
    n = int(length)
    if n > (32 if "." in addr else 128):
        return None
    return f"{addr}/{n}", addr, n


def parse_row(tokens: list[str]) -> dict | None:
    """``[dest/mask] proto pre cost [flags] nexthop interface``."""
    out: dict = {}
    i = 0
    if tokens and "/" in tokens[0]:
        p = _prefix(tokens[0])
        if p is None:
            return None
        out["prefix"], out["destination"], out["mask_length"] = p
        i = 1
    rest = tokens[i:]
    if len(rest) < 4 or len(rest) > 6:
        return None
    proto, pre, cost = rest[0], rest[1], rest[2]
    if not proto[:1].isalpha() or to_int(pre) is None or to_int(cost) is None:
        return None
    out["protocol"], out["preference"], out["cost"] = proto, int(pre), int(cost)
    j = 3
    if not is_ip(rest[j]):
        flags = rest[j]
        if not flags.isalpha() or not flags.isupper() or len(flags) > 6:
            return None
        out["flags"] = tuple(flags)
        j += 1
    if j >= len(rest) or not is_ip(rest[j]):
        return None
    out["next_hop"] = rest[j]
    tail = rest[j + 1 :]
    if len(tail) > 1:
        return None
    out["interface"] = tail[0] if tail else None
    return out


_VERBOSE_KEYS = (
    "destination",
    "protocol",
    "process id",
    "preference",
    "cost",
    "nexthop",
    "neighbour",
    "state",
    "age",
    "tag",
    "priority",
    "label",
    "qosinfo",
    "indirectid",
    "relaynexthop",
    "interface",
    "tunnelid",
    "flags",
    "instance",
)


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.first_text: Line | None = None
        words = ctx.command.split("|", 1)[0].split()
        if not command_matches(command_tokens(ctx.command), ("display", "ip", "routing-table")):
            words = []  # started by a line's shape: the last typed command is another one's
        self.verbose = any("verbose".startswith(w.lower()) and len(w) >= 3 for w in words[3:])
        self.query = next((w for w in words[3:] if is_ip(w)), None)
        self.table: str | None = None
        self.table_line: Line | None = None
        self.destinations: int | None = None
        self.routes: int | None = None
        self.count_line: Line | None = None
        self.rows = 0
        self.started = False  # something of a table was seen since the last summary
        self.last: dict | None = None  # destination of the previous row (ECMP continuation)
        self.rec: dict | None = None  # verbose record
        self.rec_lines: dict[str, Line] = {}
        self.rec_ev: Line | None = None
        self.rec_seen = False  # a verbose record was read

    # -- emit -------------------------------------------------------------------------------
    def _route(self, ev: Line, fields: dict, lines: dict[str, Line]) -> None:
        self.rows += 1
        self.started = True
        self.ctx.emit(
            Route(
                vendor="huawei",
                family="route",
                ev=ev,
                device=self.ctx.device,
                table=self.table,
                lines=lines,
                **fields,
            )
        )

    def _flush_record(self) -> None:
        rec, lines, ev = self.rec, self.rec_lines, self.rec_ev
        self.rec, self.rec_lines, self.rec_ev = None, {}, None
        if rec is None or ev is None or "protocol" not in rec:
            return
        self._route(ev, rec, lines)

    def _table(self) -> None:
        """Emit the summary of the current section."""
        self._flush_record()
        ev = self.table_line or self.ctx.prompt or self.first_text or self.first
        if ev is None:
            return
        lines: dict[str, Line] = {}
        if self.count_line is not None:
            lines["routes"] = self.count_line
        if self.table_line is not None:
            lines["table"] = self.table_line
        self.ctx.emit(
            RouteTable(
                vendor="huawei",
                family="route-table",
                ev=ev,
                device=self.ctx.device,
                table=self.table,
                destinations=self.destinations,
                routes=self.routes,
                rows=self.rows,
                query=self.query,
                verbose=self.verbose or self.rec_seen,
                lines=lines,
            )
        )
        self.rows, self.destinations, self.routes = 0, None, None
        self.table_line = self.count_line = None
        self.started = False

    # -- lines ----------------------------------------------------------------------------
    def _verbose(self, text: str, ev: Line) -> bool:
        kv = keyed(text, _VERBOSE_KEYS)
        if not kv:
            return self.rec is not None and other_field(text)
        if "destination" in kv:
            p = _prefix(kv["destination"].split(" ", 1)[0])
            if p is None:
                return False
            self._flush_record()
            self.rec_seen = True
            self.rec = {"prefix": p[0], "destination": p[1], "mask_length": p[2]}
            self.rec_lines = {"prefix": ev}
            self.rec_ev = ev
            return True
        rec, lines = self.rec, self.rec_lines
        if rec is None:
            return False
        for key, field in (
            ("protocol", "protocol"),
            ("interface", "interface"),
            ("state", "state"),
        ):
            if kv.get(key):
                rec[field] = kv[key]
                lines[field] = ev
        for key, field in (("preference", "preference"), ("cost", "cost")):
            if key in kv:
                rec[field] = parse_int(kv[key])
                lines[field] = ev
        for key, field in (
            ("nexthop", "next_hop"),
            ("relaynexthop", "relay_next_hop"),
            ("neighbour", "neighbour"),
        ):
            if key in kv and is_ip(kv[key].split(" ", 1)[0]):
                rec[field] = kv[key].split(" ", 1)[0]
                lines[field] = ev
        if "age" in kv:
            rec["age"] = parse_duration(kv["age"])
            lines["age"] = ev
        if "flags" in kv:
            rec["flags"] = tuple(c for c in kv["flags"] if c.isalpha())
            lines["flags"] = ev
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
        if low.startswith("route flags"):
            if self.started:
                self._table()
            return True
        if low.startswith(("routing table", "routing tables")):
            if self.started or self.table_line is not None:
                self._table()
            self.table = text.partition(":")[2].strip() or None
            self.table_line = ev
            return True
        if low.startswith(("destinations", "summary count")):
            kv = keyed(text, ("destinations", "routes", "summary count"))
            self.destinations = parse_int(kv.get("destinations"))
            self.routes = parse_int(kv.get("routes") or kv.get("summary count"))
            self.count_line = ev
            self.started = True
            return True
        if low.startswith("destination/mask"):
            self.started = True
            return True
        if low.startswith("destination:") or low.startswith("destination :") or self.rec:
            if self._verbose(text, ev):
                return True
        tokens = text.split()
        row = parse_row(tokens)
        if row is None:
            return False
        self._flush_record()
        if "prefix" in row:
            self.last = {k: row[k] for k in ("prefix", "destination", "mask_length")}
        elif self.last is not None:
            row.update(self.last)
        else:
            return False
        self._route(ev, row, {"prefix": ev, "next_hop": ev, "interface": ev})
        return True

    def close(self) -> None:
        self._table()


class RoutesParser:
    name = "huawei.display-ip-routing-table"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "ip", "routing-table"),)

    def accepts(self, text: str) -> bool:
        head = text[:128].strip().lower()
        return head.startswith(("route flags: r - relay", "destination/mask", "routing tables:"))

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (RoutesParser,)
