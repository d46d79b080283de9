"""Libreswan pluto log messages (pluto log file, syslog/journal, ``ipsec auto --up`` output).

Line shapes (``strongswan/header.py`` reads stamp, host and program)::

    Nov 23 20:32:29.408015: "net" #1: no local proposal matches remote proposals 1:IKE:...
    Nov 23 20:32:29 gw2 pluto[2279]: "net" #1: IKE SA authentication request rejected by peer: ...
    Nov 23 20:32:25.359238: ERROR: "net" #2: netlink response for Add SA esp.404bcea5@...
    "westnet-eastnet-ipv4" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500  (console)
    002 "west-east" #1: STATE_MAIN_I1: retransmission; will wait 0.5 seconds for response
    "net"[1] 192.0.2.1 #3: ...                                       (an instance of a template)

Debug lines (``| ...``, which can hold key material) are never read.  The connection's own
proposals (``"net":   1:IKE=AES_CBC_256-HMAC_SHA2_256-HMAC_SHA2_256_128-MODP2048`` after ``IKE SA
proposals (connection add):``) are kept, so that ``no local proposal matches remote proposals
1:IKE:ENCR=...;INTEG=...`` can say which transform differs (the same detail wording as the
strongSwan parser: ``IKE proposal differs in encryption (received AES_CBC_256, configured
AES_CBC_128)``).

What becomes a fact (``Signal``, vendor ``libreswan``, family ``pluto``): messages naming a
failure, a notification sent or received (``detail`` ``<NOTIFY> received in <exchange>`` /
``<NOTIFY> sent in <exchange>``, exchange from the message or the state name), a teardown, an
established SA; any other line with a failure word is a signal with its own wording (reported
as unknown unless the knowledge base has it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Line, Signal
from ..base import Context
from ..strongswan import header
from ..strongswan.charon import parse as charon_parse
from ..strongswan.proposals import Proposal, compare
from ..util import is_digits, is_ip

VENDOR = "libreswan"
FAMILY = "pluto"
MAX_REASON = 200
MAX_FOREIGN = 200
PROGRAMS = frozenset({"pluto", "ipsec", "libreswan"})
NOTIFIES = (
    "NO_PROPOSAL_CHOSEN",
    "AUTHENTICATION_FAILED",
    "TS_UNACCEPTABLE",
    "INVALID_KE_PAYLOAD",
    "INVALID_SYNTAX",
    "INVALID_ID_INFORMATION",
    "SINGLE_PAIR_REQUIRED",
    "NO_ADDITIONAL_SAS",
    "INTERNAL_ADDRESS_FAILURE",
    "FAILED_CP_REQUIRED",
    "INVALID_MAJOR_VERSION",
    "INVALID_SPI",
    "PAYLOAD_MALFORMED",
    "INVALID_HASH_INFORMATION",
    "INVALID_PAYLOAD_TYPE",
)
_FAILURE_WORDS = (
    "fail",
    "error",
    "unacceptable",
    "invalid",
    "mismatch",
    "not found",
    "no suitable",
    "unable",
    "refused",
    "rejected",
    "timeout",
    "timed out",
    "denied",
    "not supported",
    "unsupported",
    "not responding",
    "does not match",
    "no acceptable",
    "no local proposal",
    "dead",
    "no connection",
)
_STATES = (  # state name prefix -> exchange
    ("STATE_MAIN_", "Main Mode"),
    ("STATE_AGGR_", "Aggressive Mode"),
    ("STATE_QUICK_", "Quick Mode"),
    ("STATE_V2_PARENT_I1", "IKE_SA_INIT"),
    ("STATE_V2_PARENT_R0", "IKE_SA_INIT"),
    ("STATE_V2_PARENT_R1", "IKE_AUTH"),
    ("STATE_V2_PARENT_I2", "IKE_AUTH"),
    ("STATE_PARENT_I1", "IKE_SA_INIT"),
    ("STATE_PARENT_I2", "IKE_AUTH"),
    ("STATE_PARENT_R1", "IKE_AUTH"),
    ("IKE_SA_INIT_I", "IKE_SA_INIT"),
    ("IKE_SA_INIT_R", "IKE_SA_INIT"),
    ("IKE_AUTH_I", "IKE_AUTH"),
    ("IKE_AUTH_R", "IKE_AUTH"),
    ("STATE_V2_NEW_CHILD", "CREATE_CHILD_SA"),
    ("STATE_V2_REKEY_CHILD", "CREATE_CHILD_SA"),
)
_EXCHANGES = ("IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA", "IKE_INTERMEDIATE")


@dataclass
class Parsed:
    time: str | None
    host: str | None
    conn: str | None
    serial: str | None
    msg: str


def parse(text: str) -> Parsed | None:
    """Split a pluto line; None when ``text`` is not one."""
    h = header.split(text)
    if h.program is not None and h.program not in PROGRAMS:
        return None
    rest = text[h.rest :].strip()
    if rest.startswith("| "):
        return Parsed(h.time, h.host, None, None, "")  # debug line: ours, never read
    if is_digits(rest[:4].rstrip()) and rest[3:4] == " ":  # whack status code "002 "
        rest = rest[4:].lstrip()
    if rest.startswith("ERROR: "):
        rest = rest[7:].lstrip()
    conn = serial = None
    if rest.startswith('"'):
        close = rest.find('"', 1, 200)
        if close == -1:
            return None
        conn = rest[1:close]
        rest = rest[close + 1 :]
        if rest.startswith("["):  # instance number of a template, then its address
            j = rest.find("]", 0, 12)
            rest = rest[j + 1 :] if j != -1 else rest
            tok = rest.strip().split(" ", 1)[0]
            if is_ip(tok.split(":")[0]):
                rest = rest.strip()[len(tok) :]
        rest = rest.lstrip()
        if rest.startswith("#"):
            num, sep, after = rest[1:].partition(":")
            if sep and is_digits(num):
                serial, rest = num, after
        elif rest.startswith(":"):
            rest = rest[1:]
        elif rest.startswith("..."):
            rest = rest.split(":", 1)[1] if ":" in rest[:120] else rest
    elif h.program is None:
        low = rest.lower()
        if not (h.time and low.startswith(("pluto", "starting pluto", "ike sa", "ipsec sa"))):
            return None  # without a program name, only "conn" lines and pluto's own words
    return Parsed(h.time, h.host, conn, serial, rest.strip())


def _lsw_proposals(text: str, ike: bool) -> list[Proposal]:
    """``1:IKE=AES_CBC_128-HMAC_SHA2_256-HMAC_SHA2_256_128-MODP2048`` (local, encr-prf-integ-dh;
    ESP: encr-integ-dh-esn) or ``1:IKE:ENCR=AES_CBC_256;INTEG=...;PRF=...;DH=MODP2048`` (remote)."""
    out: list[Proposal] = []
    for item in text.split(" ")[:16]:
        num, sep, body = item.partition(":")
        if not sep or not is_digits(num):
            continue
        proto, sep, spec = body.partition("=") if "=" in body[:4] else body.partition(":")
        if not sep:
            continue
        spec = spec.split("[", 1)[0]
        p = Proposal(proto.upper())
        if "=" in spec:  # remote form
            for kv in spec.split(";")[:32]:
                k, _, v = kv.partition("=")
                cls = {
                    "ENCR": "encryption",
                    "INTEG": "integrity",
                    "PRF": "PRF",
                    "DH": "DH group",
                    "ESN": "ESN",
                }.get(k)
                if cls and v and v != "NONE":
                    p.parts.setdefault(cls, set()).add(v)
        else:
            parts = spec.split("-")
            order = (
                ("encryption", "PRF", "integrity", "DH group")
                if ike
                else ("encryption", "integrity", "DH group", "ESN")
            )
            for cls, v in zip(order, parts, strict=False):
                if v and v != "NONE":
                    p.parts.setdefault(cls, set()).add(v.split("+")[0])
        out.append(p)
    return out


def _exchange(msg: str, fallback: str | None) -> str | None:
    for ex in _EXCHANGES:
        if ex in msg:
            return ex
    for prefix, ex in _STATES:
        if prefix in msg:
            return ex
    return fallback


def _peer(msg: str) -> str | None:
    """``from 192.0.2.1:500``, ``to 192.1.2.23:UDP/500``, ``192.0.2.1:4500`` -> the address."""
    for key in (" from ", " to ", " peer "):
        i = msg.find(key)
        if i != -1:
            tok = msg[i + len(key) : i + len(key) + 64].split(" ", 1)[0].rstrip(",;")
            host = tok.split(":", 1)[0] if tok.count(":") <= 2 else tok
            if is_ip(host):
                return host
    return None


@dataclass
class ConnContext:
    peer: str | None = None
    version: str | None = None
    exchange: str | None = None
    ike: list[Proposal] = field(default_factory=list)
    esp: list[Proposal] = field(default_factory=list)
    listing: str | None = None  # "ike" / "esp": the proposal list being printed


class PlutoBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.conns: dict[str | None, ConnContext] = {}
        self.foreign = 0

    def _conn(self, name: str | None) -> ConnContext:
        c = self.conns.get(name)
        if c is None:
            if len(self.conns) >= 256:
                self.conns.clear()
            c = self.conns[name] = ConnContext()
        return c

    def feed(self, ev: Line) -> bool:
        text = ev.text
        if not text.strip():
            return True
        p = parse(text)
        if p is None:
            h = header.split(text)
            if self.foreign < MAX_FOREIGN and (
                (h.program is not None and h.host is not None)
                or (
                    h.program is None
                    and h.time is not None
                    and text[: h.rest].rstrip().endswith(":")  # "Nov 23 20:32:24.045: "
                    and charon_parse(text) is None
                )
            ):
                # another program's syslog line, or pluto's own chatter in its log file
                self.foreign += 1
                return True
            return False
        self.foreign = 0
        if p.msg:
            self._handle(p, ev)
        return True

    def close(self) -> None:
        pass

    def _emit(
        self,
        p: Parsed,
        ev: Line,
        c: ConnContext,
        kind: str,
        detail: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.ctx.emit(
            Signal(
                vendor=VENDOR,
                family=FAMILY,
                kind=kind,
                reason=reason or " ".join(p.msg[: MAX_REASON * 3].split())[:MAX_REASON],
                ev=ev,
                device=p.host or self.ctx.device,
                peer=c.peer,
                version=c.version,
                time=p.time,
                detail=detail,
            )
        )

    def _handle(self, p: Parsed, ev: Line) -> None:
        msg = p.msg
        low = msg.lower()
        c = self._conn(p.conn)
        peer = _peer(msg)
        if peer:
            c.peer = peer
        if "ikev2" in low or "ike_sa_init" in low or "ike_auth" in low or "state_v2" in low:
            c.version = "v2"
        elif "ikev1" in low or "main mode" in low or "state_main" in low or "aggr" in low:
            c.version = "v1"
        c.exchange = _exchange(msg, c.exchange)
        # -- the connection's own proposals ---------------------------------------------------
        if low.startswith("ike sa proposals"):
            c.listing, c.ike = "ike", []
            return
        if low.startswith("child sa proposals"):
            c.listing, c.esp = "esp", []
            return
        if c.listing and is_digits(msg[:1]) and ":" in msg[:4] and "=" in msg:
            (c.ike if c.listing == "ike" else c.esp).extend(_lsw_proposals(msg, c.listing == "ike"))
            return
        c.listing = None
        # -- verdicts ------------------------------------------------------------------------
        if low.startswith("no local proposal matches remote proposals"):
            remote = msg.split("remote proposals", 1)[1]
            ike = ":IKE:" in remote
            got = _lsw_proposals(remote.strip(), ike)
            detail = compare(got, c.ike if ike else c.esp, child_in_auth=c.exchange == "IKE_AUTH")
            self._emit(p, ev, c, "ike-failure", detail)
            return
        if "established" in low and ("ike sa" in low or "isakmp sa" in low) and "fail" not in low:
            self._emit(p, ev, c, "state", reason="IKE SA established")
            return
        if "established" in low and ("child sa" in low or "ipsec sa" in low) and "fail" not in low:
            self._emit(p, ev, c, "state", reason="IPsec SA established")
            return
        if low.startswith("deleting state") or low.startswith("received delete sa payload"):
            self._emit(p, ev, c, "teardown", reason="deleting state")
            return
        for name in NOTIFIES:
            if name in msg:
                sent = low.startswith(("responding to", "sending notification")) or (
                    " with " in low and "notification" in low
                )
                where = c.exchange or ("Main Mode" if c.version == "v1" else "IKE_SA_INIT")
                detail = f"{name} {'sent' if sent else 'received'} in {where}"
                self._emit(p, ev, c, "notify", detail)
                return
        if (
            "retransmission; will wait" in low
            or low.startswith("sent ")
            or low.startswith("initiating")
        ):
            return
        if "timeout exceeded after" in low and "retransmit" in low:
            detail = "no response to our first IKE message" if "first" in low else None
            self._emit(p, ev, c, "ike-failure", detail)
            return
        if (
            any(w in low for w in _FAILURE_WORDS) or (low.startswith("no ") and "found" in low)
        ) and (not low.startswith("warning")):
            self._emit(p, ev, c, "ike-failure")


class PlutoParser:
    """pluto log lines."""

    priority = 41
    name = "libreswan.pluto"
    vendor = VENDOR
    log_like = True
    hints = ('"', "pluto", "| ")  # a connection name, the program, a debug line
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        p = parse(text)
        if p is None:
            return False
        if p.time is None and p.host is None and p.serial is None:
            return False  # "000 "net": ..." of ipsec status: a state table, not a log
        return p.conn is not None or p.msg == "" or "pluto" in text[:160].lower()

    def start(self, ctx: Context) -> PlutoBlock:
        return PlutoBlock(ctx)


PARSERS = (PlutoParser,)
