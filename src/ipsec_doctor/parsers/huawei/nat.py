"""``display nat server`` and ``display nat outbound``: NAT that may catch IPsec-protected traffic.

``display nat server``, AR layout (seed 002, "NAT server" case; one ``Key : value`` a line)::

    Nat Server Information:
    Interface : GigabitEthernet0/0/2
    Global IP/Port : current-interface/8080 (Real IP : 1.1.1.1)
    Inside IP/Port : 10.1.1.2/8080
    Protocol : 6(tcp)
    VPN instance-name : ----
    Acl number : ----
    Vrrp id      : ----
    Description : ----
    Total:      1

USG layout (two pairs a line; ``no-revers : 1`` when configured with ``no-reverse``)::

    Server in private network information:
     name     : web        id       : 0         zone : ---
     global-start-addr : 1.1.1.10  global-end-addr : ---
     inside-start-addr : 10.1.1.2  inside-end-addr : ---
     global-start-port : 80(www)   global-end-port : ---
     insideport        : 8080
     globalvpn         : public    insidevpn       : public
     protocol          : tcp       vrrp            : ---
     no-revers         : 0         interface       : ---
     Total    1 NAT server(s)

A key seen twice starts the next server (the AR layout has no separator).

``display nat outbound`` (AR; seed 002, "NAT outbound" cases)::

    NAT Outbound Information:
    -----
    Interface      Acl   Address-group/IP/Interface  Type
    -----
    GigabitEthernet0/0/2 3300          1.1.1.1  easyip
    GigabitEthernet0/0/1 2001                1      pat
    Dialer1              3000          Dialer1  easyip
    -----
    Total : 1

Facts: ``NatServer`` per server and ``NatServerTable`` per output; ``NatOutbound`` per row and
``NatOutboundTable`` per output (empty outputs included: no NAT at all is evidence too).
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import emit_table, is_digits, is_ip, to_int
from .firewall_session import keyed, normalise, other_field, parse_int, strip_note

_NONE = ("", "-", "--", "---", "----", "-----")


def _val(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip(" ,()")
    return None if v in _NONE else v


# -- display nat server --------------------------------------------------------------------------


class NatServer(State, kw_only=True):
    """One NAT server mapping: global (public) address/port to inside (private) address/port."""

    name: str | None = None
    server_id: int | None = None
    zone: str | None = None
    interface: str | None = None
    global_address: str | None = None  # the "Real IP" when the global side is an interface
    global_interface: bool = False  # "current-interface" / an interface as global address
    global_end: str | None = None
    global_port: int | None = None
    global_end_port: int | None = None
    inside_address: str | None = None
    inside_end: str | None = None
    inside_port: int | None = None
    protocol: str | None = None  # "tcp", "udp", "any" ...
    protocol_number: int | None = None
    vpn: str | None = None  # inside VPN instance (AR: "VPN instance-name")
    global_vpn: str | None = None
    acl: str | None = None
    vrrp: str | None = None
    description: str | None = None
    no_reverse: bool | None = None  # None: not printed (AR)


class NatServerTable(State, kw_only=True):
    rows: int = 0
    total: int | None = None


_SERVER_KEYS = (
    # AR
    "interface",
    "global ip/port",
    "inside ip/port",
    "real ip",
    "protocol",
    "vpn instance-name",
    "acl number",
    "vrrp id",
    "description",
    # USG
    "name",
    "id",
    "zone",
    "global-start-addr",
    "global-end-addr",
    "inside-start-addr",
    "inside-end-addr",
    "global-start-port",
    "global-end-port",
    "inside-start-port",
    "inside-end-port",
    "insideport",
    "globalvpn",
    "insidevpn",
    "vsys",
    "vrrp",
    "vrrp-id",
    "no-revers",
    "no-reverse",
    "unr-route",
    "nat-disable",
    "vrrp-bind-interface",
)


def _addr_port(value: str) -> tuple[str | None, int | None, bool]:
    """``1.1.1.1/80(www)``, ``current-interface/8080``, ``1.1.1.1`` -> (address, port, is_if)."""
    addr, _, port = value.partition("/")
    addr = addr.strip()
    if is_ip(addr):
        return addr, parse_int(port.strip()), False
    if _val(addr) is None:
        return None, parse_int(port.strip()), False
    return None, parse_int(port.strip()), True


def _protocol(value: str | None) -> tuple[str | None, int | None]:
    """``6(tcp)`` -> ("tcp", 6); ``tcp`` -> ("tcp", None); ``17`` -> (None, 17)."""
    v = _val(value)
    if v is None:
        return None, None
    num = parse_int(v)
    name = v[v.find("(") + 1 :].rstrip(")") if "(" in v else ("" if is_digits(v) else v)
    return (name.lower() or None), num


class _ServerBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.first_text: Line | None = None
        self.rows = 0
        self.total: int | None = None
        self.total_line: Line | None = None
        self.raw: dict[str, str] = {}
        self.raw_lines: dict[str, Line] = {}
        self.cur_ev: Line | None = None

    def _flush(self) -> None:
        raw, lines, ev = self.raw, self.raw_lines, self.cur_ev
        self.raw, self.raw_lines, self.cur_ev = {}, {}, None
        if not raw or ev is None:
            return
        f: dict = {}
        out_lines: dict[str, Line] = {}

        def put(field: str, value: object, key: str) -> None:
            f[field] = value
            if key in lines:
                out_lines[field] = lines[key]

        if "global ip/port" in raw:
            addr, port, is_if = _addr_port(raw["global ip/port"])
            put("global_address", addr or _val(raw.get("real ip")), "global ip/port")
            put("global_port", port, "global ip/port")
            put("global_interface", is_if, "global ip/port")
        if "inside ip/port" in raw:
            addr, port, _ = _addr_port(raw["inside ip/port"])
            put("inside_address", addr, "inside ip/port")
            put("inside_port", port, "inside ip/port")
        for key, field in (
            ("name", "name"),
            ("zone", "zone"),
            ("interface", "interface"),
            ("global-start-addr", "global_address"),
            ("global-end-addr", "global_end"),
            ("inside-start-addr", "inside_address"),
            ("inside-end-addr", "inside_end"),
            ("vpn instance-name", "vpn"),
            ("insidevpn", "vpn"),
            ("globalvpn", "global_vpn"),
            ("acl number", "acl"),
            ("vrrp id", "vrrp"),
            ("vrrp", "vrrp"),
            ("vrrp-id", "vrrp"),
            ("description", "description"),
        ):
            if key in raw:
                put(field, _val(raw[key]), key)
        for key, field in (
            ("id", "server_id"),
            ("global-start-port", "global_port"),
            ("global-end-port", "global_end_port"),
            ("insideport", "inside_port"),
            ("inside-start-port", "inside_port"),
        ):
            if key in raw:
                put(field, parse_int(_val(raw[key])), key)
        if "protocol" in raw:
            name, num = _protocol(raw["protocol"])
            put("protocol", name, "protocol")
            put("protocol_number", num, "protocol")
        for key in ("no-revers", "no-reverse"):
            if key in raw:
                v = (_val(raw[key]) or "").lower()
                put("no_reverse", v in ("1", "yes", "true", "enable", "no-reverse"), key)
        self.rows += 1
        self.ctx.emit(
            NatServer(
                vendor="huawei",
                family="nat-server",
                ev=ev,
                device=self.ctx.device,
                lines=out_lines,
                **f,
            )
        )

    def feed(self, ev: Line) -> bool:
        if self.first is None:
            self.first = ev
        text = strip_note(ev.text).strip()
        if not text or text.startswith("```") or text.startswith("---") or not text.strip("."):
            return True
        if self.first_text is None:
            self.first_text = ev
        low = text.lower()
        if low.endswith("information:") or low.endswith("information :"):
            self._flush()
            return True
        if low.startswith("total"):
            rest = text[5:].replace(":", " ").split()
            if rest and to_int(rest[0]) is not None:
                self._flush()
                self.total = int(rest[0])
                self.total_line = ev
                return True
        kv = keyed(text, _SERVER_KEYS)
        if not kv or not normalise(text).lower().startswith(tuple(kv)):
            # another field of the current server, one this parser has no use for
            return bool(self.raw) and other_field(text)
        if any(k in self.raw for k in kv if k != "real ip"):
            self._flush()
        if self.cur_ev is None:
            self.cur_ev = ev
        for k, v in kv.items():
            self.raw[k] = v
            self.raw_lines[k] = ev
        return True

    def close(self) -> None:
        self._flush()
        emit_table(
            self.ctx,
            NatServerTable,
            "nat-server-table",
            self.first_text or self.first,
            rows=self.rows,
            total=self.total,
            total_line=self.total_line,
        )


# -- display nat outbound ------------------------------------------------------------------------


class NatOutbound(State, kw_only=True):
    """One ``nat outbound`` binding: traffic matching ``acl`` leaving ``interface`` is translated
    to ``address`` / the addresses of ``address_group`` / the address of ``address_interface``."""

    interface: str
    acl: int | None = None
    address_group: int | None = None
    address: str | None = None
    address_interface: str | None = None
    type: str  # "easy-ip", "pat", "no-pat", ... (as printed, "easyip" spelt "easy-ip")


class NatOutboundTable(State, kw_only=True):
    rows: int = 0
    total: int | None = None


_OUT_TYPES = {"easyip": "easy-ip", "easy-ip": "easy-ip", "pat": "pat", "no-pat": "no-pat"}


def parse_outbound_row(tokens: list[str]) -> dict | None:
    """``interface acl address-group|ip|interface type [...]``."""
    if len(tokens) < 4 or len(tokens) > 8:
        return None
    iface, acl, target = tokens[0], tokens[1], tokens[2]
    kind = " ".join(tokens[3:]).lower()
    if not (is_digits(acl) or _val(acl) is None):
        return None
    base = kind.split(" ", 1)[0]
    if base not in _OUT_TYPES and not base.startswith(("no-pat", "nopat", "easy", "pat")):
        return None
    if not iface[:1].isalpha():
        return None
    row: dict = {
        "interface": iface,
        "acl": to_int(acl),
        "type": _OUT_TYPES.get(base, base) + kind[len(base) :],
    }
    if is_digits(target) and len(target) <= 20:
        row["address_group"] = int(target)
    elif is_ip(target):
        row["address"] = target
    elif _val(target) is not None:
        row["address_interface"] = target
    return row


class _OutboundBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.first_text: Line | None = None
        self.rows = 0
        self.total: int | None = None
        self.total_line: Line | None = None

    def feed(self, ev: Line) -> bool:
        if self.first is None:
            self.first = ev
        text = strip_note(ev.text).strip()
        if not text or text.startswith("```") or text.startswith("---") or not text.strip("."):
            return True
        if self.first_text is None:
            self.first_text = ev
        low = text.lower()
        if low.startswith("nat outbound information"):
            return True
        if low.startswith("interface") and "acl" in low and "type" in low:
            return True  # column header
        if low.startswith("total"):
            rest = text[5:].replace(":", " ").split()
            if rest and to_int(rest[0]) is not None:
                self.total = int(rest[0])
                self.total_line = ev
                return True
        row = parse_outbound_row(text.split())
        if row is None:
            return False
        self.rows += 1
        self.ctx.emit(
            NatOutbound(
                vendor="huawei", family="nat-outbound", ev=ev, device=self.ctx.device, **row
            )
        )
        return True

    def close(self) -> None:
        emit_table(
            self.ctx,
            NatOutboundTable,
            "nat-outbound-table",
            self.first_text or self.first,
            rows=self.rows,
            total=self.total,
            total_line=self.total_line,
        )


class NatServerParser:
    name = "huawei.display-nat-server"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "nat", "server"),)

    def accepts(self, text: str) -> bool:
        head = text[:128].strip().lower()
        return head.startswith(("nat server information", "server in private network"))

    def start(self, ctx: Context) -> _ServerBlock:
        return _ServerBlock(ctx)


class NatOutboundParser:
    name = "huawei.display-nat-outbound"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "nat", "outbound"),)

    def accepts(self, text: str) -> bool:
        return text[:128].strip().lower().startswith("nat outbound information")

    def start(self, ctx: Context) -> _OutboundBlock:
        return _OutboundBlock(ctx)


PARSERS = (NatServerParser, NatOutboundParser)
