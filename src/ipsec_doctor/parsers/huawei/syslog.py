"""Huawei information-center messages about IKE/IPsec failures: syslog, logbuffer, trap buffer,
alarms.

One message per line (wrapped lines are joined back), in any of these shapes::

    Mar 8 2017 11:10:47 sysname IPSEC/4/IPSECNEGOFAIL:1.3.6.1.4.1.2011.6.122.26.6.14 IPSec
        tunnel negotiation fails. (Ifindex=12, SeqNum=0, Reason="acl configuration mismatch",
        ReasonCode=4, PeerAddress=1.1.1.1, PeerPort=500)            (seed 003, one line)
    <134>Mar  8 2017 11:10:47 FW1 %%01IPSEC-VPN/4/IPSECNEGOFAIL(t):OID 1.3.6.1... (...)
    Mar  8 2017 11:10:47+08:00 AR1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:... (PeerAddress=..., Reason=...)
    ... IPSEC-VPN/5/IPSEC_TUNNEL_TEARED_DOWN:An IPSec tunnel is teared down. (..., DstIP=...,
        OfflineReason=dpd timeout, State=Normal)
    ... IPSEC/4/IPSECTUNNELSTOP: OID ... The IPSec tunnel is deleted. (..., DstIP=...,
        RemotePort=500, OfflineReason=[dpd timeout], ...)
    1  0x8520006  Warning  2017-03-08 11:10:47 IPSec tunnel negotiation fails. (...)
                                                    (an alarm table row: no mnemonic)

Negotiation failures (IKE_NEGO_FAIL, IPSECNEGOFAIL = alarm hwIPSecNegoFail) become
``kind="ike-failure"`` signals, teardowns (IPSEC_TUNNEL_TEARED_DOWN, IPSECTUNNELSTOP = alarm
hwIPSecTunnelStop) ``kind="teardown"``.  Family is ``syslog`` for log mnemonics and ``alarm`` for
trap/alarm ones.  Parameters are read in ``Key=value``, ``Key=[value]`` and ``Key="value"``
styles; a recognised message whose reason is missing or unreadable still yields a signal whose
reason is ``unknown``.

Everything here is bounded string work: the mnemonic is looked for in the first ``_HEAD`` characters
only, parameters are split with ``str.find`` and short look-aheads, and a wrapped message is joined
from at most ``_MAX_CONT`` lines and ``_MAX_JOIN`` characters.
"""

from __future__ import annotations

import re

from ...model import Line, Signal
from ..base import Context
from ..util import is_date, is_digits, is_ip

_HEAD = 1024  # where a MODULE/severity/MNEMONIC token may start
_MAX_CONT = 4  # continuation lines joined to one message
_MAX_JOIN = 4096  # characters a wrapped message may grow to
_MAX_PAIRS = 48  # Key=value pairs read from one message
_MAX_REASON = 256  # longer "reasons" are garbage
_TERMINAL_WIDTHS = frozenset({80, 100, 120, 128, 132, 160, 200, 256})

# mnemonic (upper-case, as printed) -> (family, kind)
_MNEMONICS: dict[str, tuple[str, str]] = {
    "IKE_NEGO_FAIL": ("syslog", "ike-failure"),
    "IPSECNEGOFAIL": ("alarm", "ike-failure"),
    "HWIPSECNEGOFAIL": ("alarm", "ike-failure"),
    "IPSEC_TUNNEL_TEARED_DOWN": ("syslog", "teardown"),
    "IPSECTUNNELSTOP": ("alarm", "teardown"),
    "HWIPSECTUNNELSTOP": ("alarm", "teardown"),
}
# message bodies that identify the message when no mnemonic is printed (alarm tables)
_BODIES: tuple[tuple[str, str, str], ...] = (
    ("IPSec tunnel negotiation fails", "alarm", "ike-failure"),
    ("IPSec tunnel is deleted", "alarm", "teardown"),
    ("IPSec tunnel is teared down", "syslog", "teardown"),
)
_PREFILTER = ("NEGO", "TUNNEL", "IPSec tunnel", "hwIPSec")

_REASON_KEYS = ("reason", "offlinereason", "reason-str", "failreason", "errorreason", "errreason")
_PEER_KEYS = {
    "ike-failure": ("peeraddress", "remoteaddress", "peerip", "remoteip", "peeraddr", "dstip"),
    "teardown": ("dstip", "remoteaddress", "peeraddress", "remoteip", "peerip", "peeraddr"),
}
_PORT_KEYS = ("peerport", "remoteport", "dstport")
_VERSION_KEYS = ("version", "ikeversion")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_IDENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
_MODULE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")  # a mnemonic: _MODULE characters, at most 40

# Memoisation.  Real logs repeat the same message (a retry every few seconds): what a message
# says (reason, peer, port, ...) is a function of its kind and its text after the mnemonic, so
# it is parsed once; only the header (time, device) is read per line.  Both caches are bounded
# (emptied when full), so memory stays flat however long the log.
_CACHE_MAX = 4096
_MEMO_TEXT = 1024  # longer message texts are parsed without the cache (and within _MAX_JOIN)
# "(l)[123]:" after the mnemonic: the sequence number differs on every line and is not read
_SEQ = re.compile(r"(\([A-Za-z]\))?\[[0-9]{1,10}\]:")
# the usual header: [<pri>]Mon dd yyyy hh:mm:ss[.fff][+hh:mm] host
_STAMP_RE = (
    r"(?:<[0-9]{1,3}>)?([A-Z][a-z]{2}) {1,2}([0-9]{1,2}) ([0-9]{4}) "
    r"([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.[0-9]{1,6}){0,2}(?:[+-][0-9]{2}:[0-9]{2})? "
    r"([A-Za-z0-9_.-]{1,64}) "
)
_STAMP = re.compile(_STAMP_RE)
# a whole usual line up to the mnemonic: header, "%%01MODULE/5/", NAME (``SyslogParser.quick``).
# No "/" before the module's, so ``_locate`` would find this token first.
_USUAL = re.compile(
    _STAMP_RE + r"(?:%%[0-9]{2})?[A-Za-z][A-Za-z0-9_-]{0,31}/[0-9]/([A-Za-z0-9_-]{1,40})"
    r"(?:(\([A-Za-z]\))?\[[0-9]{1,10}\]:)?"  # _SEQ
)


# -- locating a message ---------------------------------------------------------------------


class _Where:
    """Where a recognised message sits in its line."""

    __slots__ = ("body", "family", "header", "kind", "named")

    def __init__(self, family: str, kind: str, header: str, body: int, named: bool) -> None:
        self.family = family
        self.kind = kind
        self.header = header  # text before the mnemonic token (or before the body text)
        self.body = body  # index where the message text starts
        self.named = named  # True when a MODULE/severity/MNEMONIC token was found


def _mnemonic_at(text: str, slash: int) -> tuple[str, int] | None:
    """For ``.../d/NAME`` with ``slash`` at the second '/', NAME upper-cased and its end."""
    m = _NAME.match(text, slash + 1)
    if m is None:
        return None
    return m.group().upper(), m.end()


def _locate(text: str) -> _Where | None:
    """Find one of our messages in ``text``; None when the line is not ours."""
    head = text[:_HEAD]
    n = len(head)
    pos = head.find("/")
    while pos != -1 and pos + 2 < n:
        # MODULE/severity/MNEMONIC: "/" digit "/"
        if (
            head[pos + 2] == "/"
            and is_digits(head[pos + 1])
            and pos > 0
            and head[pos - 1] in _MODULE
        ):
            hit = _mnemonic_at(text, pos + 2)
            if hit is not None:
                known = _MNEMONICS.get(hit[0])
                if known is not None:
                    # the token (with any "%%01" or "#" glued in front) starts after a blank;
                    # the module name before ``pos`` holds none
                    tok = text.rfind(" ", 0, pos) + 1
                    return _Where(known[0], known[1], text[:tok], hit[1], True)
        pos = head.find("/", pos + 1)
    for needle, family, kind in _BODIES:
        i = text.find(needle)
        if i != -1:
            return _Where(family, kind, text[max(0, i - 512) : i], i, False)
    if "hwIPSec" in text:
        for name in ("hwIPSecNegoFail", "hwIPSecTunnelStop"):
            i = text.find(name)
            if i != -1:
                family, kind = _MNEMONICS[name.upper()]
                return _Where(family, kind, text[max(0, i - 512) : i], i + len(name), False)
    return None


def _prefilter(text: str) -> bool:
    return "NEGO" in text or "TUNNEL" in text or "IPSec tunnel" in text or "hwIPSec" in text


# the last line ``accepts`` located, so that the block it starts does not locate it again
_last: tuple[str, _Where | None] = ("", None)


def _where(text: str) -> _Where | None:
    global _last
    last_text, where = _last
    if text is last_text or text == last_text:
        return where
    where = _locate(text) if _prefilter(text) else None
    _last = (text, where)
    return where


def _is_ours(text: str) -> bool:
    return _where(text) is not None


# -- header: device and time ------------------------------------------------------------------


def _clock(tok: str) -> str | None:
    """``HH:MM:SS`` from ``11:10:47``, ``11:10:47+08:00``, ``11:10:47.123``; else None."""
    if len(tok) < 8 or tok[2] != ":" or tok[5] != ":":
        return None
    hh, mm, ss = tok[0:2], tok[3:5], tok[6:8]
    if not (is_digits(hh) and is_digits(mm) and is_digits(ss)):
        return None
    return f"{hh}:{mm}:{ss}"


def _iso(tok: str) -> str | None:
    """``2017-03-08T11:10:47.123+08:00`` -> ``2017-03-08 11:10:47``."""
    date, sep, rest = tok.partition("T")
    if not sep or not is_date(date):
        return None
    clock = _clock(rest)
    return f"{_ymd(date)} {clock}" if clock else None


def _ymd(date: str) -> str:
    y, m, d = date.replace("/", "-").split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _time(tokens: list[str]) -> str | None:
    """The message time from header tokens: the right-most stamp with a year, else as printed."""
    loose: str | None = None
    for k in range(len(tokens) - 1, -1, -1):
        tok = tokens[k]
        iso = _iso(tok) if "T" in tok else None
        if iso:
            return iso
        clock = _clock(tok)
        if clock is None:
            continue
        if k >= 1 and is_date(tokens[k - 1]):
            return f"{_ymd(tokens[k - 1])} {clock}"
        if k >= 3 and is_digits(tokens[k - 1]) and len(tokens[k - 1]) == 4:
            mon = _MONTHS.get(tokens[k - 3][-3:].lower())
            day = tokens[k - 2]
            if mon and is_digits(day) and len(day) <= 2:
                return f"{tokens[k - 1]}-{mon:02d}-{int(day):02d} {clock}"
        if loose is None and k >= 2 and tokens[k - 2][-3:].lower() in _MONTHS:
            loose = " ".join((tokens[k - 2].lstrip("<>#0123456789"), tokens[k - 1], tok))
    return loose


def _device(tokens: list[str]) -> str | None:
    """The host name printed before the mnemonic, if any."""
    if not tokens:
        return None
    tok = tokens[-1].strip("#")
    if not tok or len(tok) > 64 or not (tok[0].isalnum() or tok[0] == "_"):
        return None
    if _clock(tok) or is_date(tok) or ("T" in tok and _iso(tok)):
        return None
    if is_digits(tok) or tok.upper().startswith(("UTC", "GMT", "DST")) or tok[0] in "+-":
        return None
    if tok[-3:].lower() in _MONTHS and len(tok) <= 3:
        return None
    if ":" in tok and not is_ip(tok):
        return None
    return tok


# -- parameters -----------------------------------------------------------------------------


def _key_ahead(text: str, i: int) -> bool:
    """True when ``text[i:]`` reads as `` Key=`` (after a separator)."""
    n = len(text)
    j = i
    while j < n and j - i < 4 and text[j] == " ":
        j += 1
    k = j
    while k < n and k - j < 40 and text[k] in _IDENT:
        k += 1
    if k == j:
        return False
    while k < n and text[k] == " " and k - j < 44:
        k += 1
    return k < n and text[k] == "="


def _group_start(text: str, start: int) -> int:
    """Index after the "(" that opens the parameter list, or -1."""
    pos = text.find("(", start)
    tries = 0
    while pos != -1 and tries < 16:
        if _key_ahead(text, pos + 1):
            return pos + 1
        pos = text.find("(", pos + 1)
        tries += 1
    return -1


def _params(text: str, i: int) -> tuple[dict[str, str], bool]:
    """Key=value pairs from ``text[i:]``; the flag says the list was closed by ")"."""
    out: dict[str, str] = {}
    n = len(text)
    closed = False
    rounds = 0
    while i < n and rounds < _MAX_PAIRS:
        rounds += 1
        while i < n and text[i] in " ,;":
            i += 1
        k = i
        while k < n and k - i < 40 and text[k] in _IDENT:
            k += 1
        key = text[i:k]
        eq = k
        while eq < n and text[eq] == " " and eq - k < 4:
            eq += 1
        if not key or eq >= n or text[eq] != "=":
            if text.startswith(")", i):
                closed = True
            break
        v = eq + 1
        while v < n and text[v] == " " and v - eq < 4:
            v += 1
        quote = text[v] if v < n else ""
        if quote in ('"', "["):
            close = text.find('"' if quote == '"' else "]", v + 1)
            if close == -1:  # truncated inside the value
                value, i = text[v + 1 :], n
            else:
                value, i = text[v + 1 : close], close + 1
        else:
            end = text.find(",", v)
            while end != -1 and not _key_ahead(text, end + 1):
                end = text.find(",", end + 1)
            if end == -1:
                value, i = text[v:].rstrip(), n
                if value.endswith(")") and value.count(")") > value.count("("):
                    value, closed = value[:-1].rstrip(), True
            else:
                value, i = text[v:end], end + 1
        lk = key.lower()
        if lk not in out:
            out[lk] = value.strip()
    return out, closed


def _loose_params(text: str, start: int) -> dict[str, str]:
    """Parameters printed without "(...)": from the first ``Key=`` after ``start``."""
    eq = text.find("=", start)
    if eq == -1:
        return {}
    k = eq
    while k > start and text[k - 1] == " " and eq - k < 4:
        k -= 1
    while k > start and text[k - 1] in _IDENT and eq - k < 44:
        k -= 1
    return _params(text, k)[0]


def _free_text(text: str, start: int) -> dict[str, str]:
    """Last resort for prose: "reason: X" / "reason is X", and the first address."""
    body = text[start : start + _MAX_JOIN]
    out: dict[str, str] = {}
    i = body.lower().find("reason")
    if i != -1:
        rest = body[i + 6 : i + 6 + _MAX_REASON + 8].lstrip(" :=[\"'")
        if rest[:3].lower() == "is ":
            rest = rest[3:]
        end = len(rest)
        for stop in (",", ";", ")", "]", '"', ". "):
            j = rest.find(stop)
            if j != -1 and j < end:
                end = j
        out["reason"] = rest[:end].rstrip(" .")
    for tok in body.split(None, 64)[:64]:
        peer = _peer(tok.strip(",;.()[]"))
        if peer:
            out["peeraddress"] = peer
            break
    return out


def _readable(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split()).strip("\"'")
    if not value or len(value) > _MAX_REASON or "\ufffd" in value:
        return None
    if not value.isprintable() or value in ("-", "--", "N/A", "NA", "null"):
        return None
    return value


def _first(params: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = params.get(k)
        if v:
            return v
    return None


def _port(value: str | None) -> int | None:
    if value and is_digits(value) and len(value) <= 5 and int(value) <= 65535:
        return int(value)
    return None


def _peer(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip("[]")
    if is_ip(value):
        return value
    host, sep, port = value.rpartition(":")
    if sep and is_digits(port) and is_ip(host):
        return host
    return None


def _version(value: str | None) -> str | None:
    if not value:
        return None
    v = value.lower().replace("ike", "").strip()
    if v in ("1", "v1", "2", "v2"):
        return "v" + v[-1]
    return None


def _interface(params: dict[str, str]) -> str | None:
    name = _readable(params.get("interfacename") or params.get("ifname"))
    if name:
        return name
    idx = params.get("ifindex")
    if idx and is_digits(idx) and len(idx) <= 10:
        return f"ifindex {idx}"
    return None


# -- the block --------------------------------------------------------------------------------


def _starts_stamp(text: str) -> bool:
    """Does the line begin with a time stamp or a syslog priority (a new message)?"""
    t = text.lstrip().lstrip("#")
    if t.startswith("<"):
        close = t.find(">", 1, 6)
        return close != -1 and is_digits(t[1:close])
    tok = t.split(" ", 1)[0]
    if not tok:
        return False
    if len(tok) == 3 and tok.lower() in _MONTHS:
        return True
    return bool(is_date(tok[:10]) or _clock(tok))


# -- one message: parsed once per distinct text ---------------------------------------------

_messages: dict[tuple[str, str | None, str], tuple] = {}
_devices: dict[str, str | None] = {}
_dates: dict[tuple[str, str, str], str] = {}  # (year, month name, day) -> "YYYY-MM-DD"


def _host_device(host: str) -> str | None:
    """``_device([host])``, memoised (bounded: emptied when full)."""
    device = _devices.get(host, "")
    if device == "":
        device = _device([host])
        if len(_devices) >= _CACHE_MAX:
            _devices.clear()
        _devices[host] = device
    return device


def _message(kind: str, text: str, body: int, key: tuple | None = None) -> tuple:
    """What the message from ``body`` says, memoised (see ``_CACHE_MAX``).

    (reason, peer, port, version, detail, code, interface, complete, grouped): ``complete`` is
    whether no continuation line can follow, ``grouped`` whether a "(Key=" list was found.
    Everything here reads ``text`` from ``body`` on only, and a "[123]:" sequence number right
    after the mnemonic is never read (no "(" or "=" in it; texts short enough that no window
    limit is reached), so the key leaves it out.  ``key``: the key, when the caller has it.
    """
    if key is None and len(text) - body <= _MEMO_TEXT:
        m = _SEQ.match(text, body)
        if m is not None:
            key = (kind, m.group(1) or "", text[m.end() :])
        else:
            key = (kind, None, text[body:])
    if key is not None:
        hit = _messages.get(key)
        if hit is not None:
            return hit
    start = _group_start(text, body)
    if start != -1:
        params, closed = _params(text, start)
        complete = closed
    else:
        params, closed = _loose_params(text, body), True
        if not any(k in params for k in _REASON_KEYS):
            params = {**_free_text(text, body), **params}
        # no "(Key=" yet: incomplete only while no parameter at all has been seen
        complete = "=" in text[body:]
    code = params.get("reasoncode", "")
    out = (
        _readable(_first(params, _REASON_KEYS)) or "unknown",
        _peer(_first(params, _PEER_KEYS[kind])),
        _port(_first(params, _PORT_KEYS)),
        _version(_first(params, _VERSION_KEYS)),
        None if closed else "truncated",
        int(code) if is_digits(code) and len(code) <= 6 else None,
        _interface(params),
        complete,
        start != -1,
    )
    if key is not None:
        if len(_messages) >= _CACHE_MAX:
            _messages.clear()
        _messages[key] = out
    return out


def _header_fields(header: str, named: bool) -> tuple[str | None, str | None]:
    """(device, time) from the text before the message; the usual header is read by one regex
    (same results as the token walk of ``_device``/``_time``, which handles the rest)."""
    m = _STAMP.fullmatch(header)
    if m is not None:
        mon = _MONTHS.get(m.group(1).lower())
        if mon is not None:
            time = f"{m.group(3)}-{mon:02d}-{int(m.group(2)):02d} {m.group(4)}"
            if not named:
                return None, time
            host = m.group(5)
            return _host_device(host), time
    tokens = header.split()[-16:]
    return (_device(tokens) if named else None), _time(tokens)


class _Pending:
    """A message being collected: its first line and the text joined so far."""

    __slots__ = ("cont", "ev", "lens", "text", "where")

    def __init__(self, ev: Line, where: _Where) -> None:
        self.ev = ev
        self.where = where
        self.text = ev.text
        self.cont = 0
        self.lens = len(ev.text)  # length of the last physical line

    def message(self) -> tuple:
        return _message(self.where.kind, self.text, self.where.body)

    def complete(self) -> bool:
        return self.message()[7]

    def add(self, text: str) -> None:
        if text[:1] == " " or self.lens not in _TERMINAL_WIDTHS:
            self.text = self.text + " " + text.strip()
        else:  # cut by the terminal width: the next character follows directly
            self.text = self.text + text.rstrip()
        self.cont += 1
        self.lens = len(text)


class SyslogBlock:
    """Consecutive Huawei log lines; a wrapped message is joined before it is parsed.

    A complete message (its parameter list closed) is emitted at once and the block has
    ``ended``: no continuation can follow it, and the next line is dispatched afresh.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.pending: _Pending | None = None
        self.ended = False

    def _flush(self) -> None:
        p, self.pending = self.pending, None
        if p is None:
            return
        self.ctx.emit(_signal(p, self.ctx.device))

    def _continues(self, text: str) -> bool:
        """Is ``text`` the wrapped rest of the pending message?"""
        p = self.pending
        if (
            p is None
            or p.cont >= _MAX_CONT
            or len(p.text) + len(text) > _MAX_JOIN
            or _starts_stamp(text)
        ):
            return False
        msg = p.message()
        if msg[7]:  # complete
            return False
        if msg[8]:
            return True  # inside the parameter list
        return text.lstrip()[:1] == "(" or "=" in text

    def feed(self, ev: Line) -> bool:
        text = ev.text
        if not text.strip():
            self._flush()
            return False
        where = _where(text)
        # a continuation may hold the message text ("IPSec tunnel negotiation fails. (...")
        if where is not None and (where.named or not self._continues(text)):
            self._flush()
            p = self.pending = _Pending(ev, where)
            if p.message()[7]:
                self._flush()
                self.ended = True
            return True
        p = self.pending
        if p is not None and self._continues(text):
            p.add(text)
            if p.message()[7]:
                self._flush()
                self.ended = True
            return True
        self._flush()
        return False

    def close(self) -> None:
        self._flush()


def _signal(p: _Pending, ctx_device: str | None) -> Signal:
    where = p.where
    reason, peer, port, version, detail, code, interface, _, _ = p.message()
    device, time = _header_fields(where.header, where.named)
    return Signal(
        vendor="huawei",
        family=where.family,
        kind=where.kind,
        reason=reason,
        ev=p.ev,
        device=device or ctx_device,
        peer=peer,
        port=port,
        version=version,
        time=time,
        detail=detail,
        code=code,
        interface=interface,
    )


class SyslogParser:
    """IKE_NEGO_FAIL, IPSECNEGOFAIL, IPSEC_TUNNEL_TEARED_DOWN, IPSECTUNNELSTOP and their alarms."""
    priority = 40

    name = "huawei.syslog"
    vendor = "huawei"
    log_like = True
    hints = ("nego", "tunnel", "hwipsec")  # _prefilter, case-folded
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        return _is_ours(text)

    def start(self, ctx: Context) -> SyslogBlock:
        return SyslogBlock(ctx)

    def quick(self, ev: Line, ctx: Context) -> bool:
        """A usual one-line message (header, known mnemonic, closed parameter list): emit its
        signal as ``accepts``/``start``/``feed`` would, without a block.  False: not handled."""
        text = ev.text
        m = _USUAL.match(text)
        if m is None:
            return False
        mon, day, year, clock, host, name, tag = m.groups()
        known = _MNEMONICS.get(name.upper())
        # ``name`` is part of ``text``: when it passes the prefilter, so does ``text``
        if known is None or not (_prefilter(name) or _prefilter(text)):
            return False
        family, kind = known
        body = m.end(6)
        if len(text) - body > _MEMO_TEXT:
            key = None
        elif m.end() > body:  # "(l)[123]:" read by _USUAL as _message would read it
            key = (kind, tag or "", text[m.end() :])
        else:
            key = (kind, None, text[body:])
        msg = _messages.get(key) if key is not None else None  # ``_message``'s memo, inlined
        if msg is None:
            msg = _message(kind, text, body, key)
        if not msg[7]:  # may continue on the next line: the block handles it
            return False
        date = _dates.get((year, mon, day))
        if date is None:
            month = _MONTHS.get(mon.lower())
            if month is None:
                return False
            date = f"{year}-{month:02d}-{int(day):02d}"
            if len(_dates) >= _CACHE_MAX:
                _dates.clear()
            _dates[(year, mon, day)] = date
        device = _host_device(host)
        ctx.emit(
            Signal(
                vendor="huawei",
                family=family,
                kind=kind,
                reason=msg[0],
                ev=ev,
                device=device or ctx.device,
                peer=msg[1],
                port=msg[2],
                version=msg[3],
                time=f"{date} {clock}",
                detail=msg[4],
                code=msg[5],
                interface=msg[6],
            )
        )
        return True


PARSERS = (SyslogParser,)
