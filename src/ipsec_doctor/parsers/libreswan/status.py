"""Libreswan SA state: ``ipsec trafficstatus`` (``ipsec whack --trafficstatus``) and
``ipsec status`` (``ipsec whack --status``), with or without the old ``000 ``/``006 `` codes::

    006 #2: "net", type=ESP, add_time=1700000000, inBytes=0, outBytes=252, maxBytes=2^63B,
        id='198.51.100.2'                                       (one line; cut here)
    #2: "net"[1] 192.0.2.100, type=ESP, add_time=..., inBytes=84, outBytes=0, id='@road'

    000 "net": 10.2.2.0/24===198.51.100.2...192.0.2.1===10.1.1.0/24; unrouted; ...
    000 #1: "net":500 STATE_V2_ESTABLISHED_IKE_SA (established IKE SA); REKEY in 27874s; ...
    000 #2: "net":500 STATE_V2_ESTABLISHED_CHILD_SA (established Child SA); ...; IKE SA #1;
    000 #2: "net" esp.a1b2c3d4@192.0.2.1 ... Traffic: ESPin=0B ESPout=252B ESPmax=2^63B
    #1: "west":500 STATE_MAIN_I1 (sent MI1, expecting MR1); RETRANSMIT in 1s; idle;

Facts: the strongSwan classes (``strongswan.status.SwanIkeSa`` / ``SwanChildSa``), vendor
``libreswan``; the peer is the remote end of the connection line (``...B<id>``) when printed.
"""

from __future__ import annotations

from ...model import Line
from ..base import Context
from ..strongswan.status import SwanChildSa, SwanIkeSa
from ..util import is_digits, is_ip, to_int

VENDOR = "libreswan"
_IKE_UP = frozenset(
    {
        "STATE_MAIN_I4",
        "STATE_MAIN_R3",
        "STATE_AGGR_I2",
        "STATE_AGGR_R2",
        "STATE_PARENT_I3",
        "STATE_PARENT_R2",
        "STATE_V2_ESTABLISHED_IKE_SA",
        "ESTABLISHED_IKE_SA",
    }
)
_CHILD_UP = frozenset(
    {
        "STATE_QUICK_I2",
        "STATE_QUICK_R2",
        "STATE_V2_IPSEC_I",
        "STATE_V2_IPSEC_R",
        "STATE_V2_ESTABLISHED_CHILD_SA",
        "ESTABLISHED_CHILD_SA",
    }
)
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def _strip_code(s: str) -> str:
    s = s.strip()
    if len(s) == 3 and is_digits(s):
        return ""  # a status code alone: a blank line of whack's output
    if len(s) > 4 and is_digits(s[:3]) and s[3] == " ":
        return s[4:].lstrip()
    return s


def _serial_conn(s: str) -> tuple[str, str, str] | None:
    """``#2: "net"[1] 1.2.3.4, rest`` / ``#1: "net":500 rest`` -> (serial, conn, rest)."""
    if not s.startswith("#"):
        return None
    num, sep, rest = s[1:].partition(": ")
    if not sep or not is_digits(num) or not rest.startswith('"'):
        return None
    close = rest.find('"', 1, 200)
    if close == -1:
        return None
    return num, rest[1:close], rest[close + 1 :]


def _size(tok: str) -> int | None:
    t = tok.rstrip("!,;")
    for unit in ("TB", "GB", "MB", "KB", "B"):
        num = t[: -len(unit)]
        if t.endswith(unit) and len(num) <= 20 and is_digits(num.replace(".", "", 1)):
            return int(float(num) * _UNITS[unit])
    return to_int(t)


class LsStatusBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.peers: dict[str, str] = {}  # connection -> remote address
        self.ikes: dict[str, SwanIkeSa] = {}
        self.children: dict[str, SwanChildSa] = {}

    def _child(self, serial: str, conn: str, ev: Line) -> SwanChildSa:
        c = self.children.get(serial)
        if c is None:
            c = self.children[serial] = SwanChildSa(
                vendor=VENDOR,
                family="child-sa",
                ev=ev,
                device=self.ctx.device,
                name=conn,
                uid=serial,
                state="",
                installed=True,
                peer=self.peers.get(conn),
            )
        return c

    def feed(self, ev: Line) -> bool:
        s = _strip_code(ev.text)
        if not s:
            return True
        sc = _serial_conn(s)
        if sc is None:
            if s.startswith('"') and "..." in s:
                conn = s[1 : s.find('"', 1)]
                remote = s.split("...", 1)[1].split("<", 1)[0].split("[", 1)[0].split("=", 1)[0]
                if is_ip(remote.strip()):
                    self.peers[conn] = remote.strip()
                return True
            return s.startswith(
                (
                    '"',
                    "State Information",
                    "IKE SAs:",
                    "IPsec SAs:",
                    "Connection list",
                    "Total IPsec",
                    "using kernel",
                    "interface ",
                    "fips mode",
                    "Bare Shunt",
                    "Shunt list",
                    "listening",
                    "nat-",
                    "myid",
                    "debug",
                    "algorithm",
                    "stats",
                    "ESP algorithm",
                    "IKE algorithm",
                    "IKE SA proposals",
                    "virtual-private",
                )
            )
        serial, conn, rest = sc
        rest = rest.lstrip()
        if "type=" in rest and ("inBytes=" in rest or "outBytes=" in rest):  # trafficstatus
            c = self._child(serial, conn, ev)
            for part in rest.split(","):
                k, _, v = part.strip().partition("=")
                if k == "inBytes":
                    c.bytes_in = _size(v)
                elif k == "outBytes":
                    c.bytes_out = _size(v)
                elif k == "type":
                    c.state = v
            c.lines = {**c.lines, "bytes_in": ev, "bytes_out": ev}
            return True
        if "Traffic:" in rest:
            c = self._child(serial, conn, ev)
            for tok in rest.split("Traffic:", 1)[1].split():
                k, _, v = tok.partition("=")
                if k in ("ESPin", "AHin", "IPCOMPin"):
                    c.bytes_in = _size(v)
                elif k in ("ESPout", "AHout", "IPCOMPout"):
                    c.bytes_out = _size(v)
            c.lines = {**c.lines, "bytes_in": ev, "bytes_out": ev}
            return True
        if rest.startswith(":"):
            rest = rest.split(" ", 1)[1] if " " in rest else ""
        state = rest.split(" ", 1)[0]
        if not state.isupper() and "_" not in state:
            return True
        child = "CHILD" in state or "QUICK" in state or "IPSEC" in state
        if child:
            c = self._child(serial, conn, ev)
            c.ev, c.state, c.installed = ev, state, state in _CHILD_UP
        else:
            version = "v1" if state.startswith(("STATE_MAIN", "STATE_AGGR")) else "v2"
            self.ikes[serial] = SwanIkeSa(
                vendor=VENDOR,
                family="ike-sa",
                ev=ev,
                device=self.ctx.device,
                name=conn,
                uid=serial,
                state=state,
                established=state in _IKE_UP,
                version=version,
                peer=self.peers.get(conn),
            )
        return True

    def close(self) -> None:
        for ike in self.ikes.values():
            ike.peer = ike.peer or self.peers.get(ike.name or "")
            ike.children = sum(1 for c in self.children.values() if c.name == ike.name)
            self.ctx.emit(ike)
        for c in self.children.values():
            c.peer = c.peer or self.peers.get(c.name or "")
            self.ctx.emit(c)


class LsStatusParser:
    """``ipsec trafficstatus`` / ``ipsec status`` (Libreswan whack)."""

    priority = 46
    name = "libreswan.status"
    vendor = VENDOR
    hints = ("#", "===")
    commands: tuple[tuple[str, ...], ...] = (
        ("ipsec", "trafficstatus"),
        ("ipsec", "whack", "--trafficstatus"),
        ("ipsec", "whack", "--status"),
        ("ipsec", "status"),
    )

    def accepts(self, text: str) -> bool:
        s = _strip_code(text)
        if s.startswith('"') and "===" in s and "..." in s and "; " in s:
            return True  # a connection line: 'conn': A===B...C===D; erouted; ...
        sc = _serial_conn(s)
        if sc is None:
            return False
        rest = sc[2]
        return (
            ("type=" in rest and "Bytes=" in rest)
            or "STATE_" in rest
            or "Traffic:" in rest
            or ("ESTABLISHED_" in rest)
        )

    def start(self, ctx: Context) -> LsStatusBlock:
        return LsStatusBlock(ctx)


PARSERS = (LsStatusParser,)
