"""Huawei ``debugging ikev1|ikev2|ipsec`` output: ``IKE/7/IKE_Debug:`` and
``IPSEC/7/IPSEC-DEBUG:`` records.

A record is a header (time, device, module tag) and one or more body lines; the body may also
sit on the header line, or arrive without any header (pasted from a document)::

    Aug 17 2017 14:29:15.800.1 Huawei IKE/7/IKE_Debug:
    IKE_ERROR 17:5773 Message from peer 2.1.1.1: Got NOTIFY of type NO_PROPOSAL_CHOS
    EN
    Aug 18 2017 09:29:26.800.1 Huawei IPSEC/7/IPSEC-DEBUG:
    [IPSEC-Error] acl mismatch.(Ifindex=[7], SeqNum=[0],PeerAddress=[1.1.1.1], PeerPort=[500])

What becomes a fact (``Signal``, family ``debug``):

* ``IKE_ERROR ... error-info record(peer address: X, error reason: R, list number: N)``:
  kind ``ike-failure``, the same reason vocabulary as ``display ike error-info``;
* notifications received or dropped: kind ``notify``, reason ``notify <TYPE>``;
* the other ``IKE_ERROR`` messages: kind ``debug``, a short normalised reason for the ones the
  knowledge base explains, the message text itself for the rest (reported as unknown);
* ``[IPSEC-Error] <reason>.(Key=[value], ...)``: kind ``debug``, peer and port from the fields;
* runs of ``IKE_INFO`` proposal attributes: one ``proposal attribute`` fact per transform whose
  detail lists what the peer offered.

Ordinary ``IKE_INFO`` chatter and ``IKE_PACKET`` hex dumps are consumed and yield nothing.

Terminals wrap long lines (80 columns in the reference documents) and pastes lose the tail of
wrapped lines.  A message is kept pending until the next line shows whether it continues; a
message that stays incomplete is emitted with what it has and ``detail="truncated"``.
Everything here is linear in the line length: only ``str`` methods, and bounded look-ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Line, Signal
from ..base import Context
from ..util import is_clock, is_date, is_digits, is_ip, norm_time

HEAD_SCAN = 300  # the module tag of a header sits within the first characters of a line
MAX_REASON = 200
MAX_PENDING = 4096  # characters of one message kept while waiting for its continuation
MAX_BLANKS = 3  # blank lines that end a block when nothing is pending
MAX_PENDING_BLANKS = 2  # blank lines a cut record may sit across before its continuation
MAX_ATTRS = 24
MAX_CONTINUATION = 240
MAX_FIELDS = 16
# Terminal widths at which a device line is cut; a line exactly this long (or one shorter,
# the last column being a space that the cleaner stripped) may continue on the next line.
WRAP_WIDTHS = frozenset({80, 100, 120, 128, 132, 160, 200, 256})

_TAGS = ("/ike_debug", "/ipsec-debug", "/ipsec_debug", "/ikev2_debug")  # all hold "debug"
_BODY_FIRST = frozenset("Ii[")  # how a body starts (``_body_kind``)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_NOT_DEVICE = frozenset({"dst", "utc", "gmt"})
_LOG_MARKS = ("IKE/", "IPSEC/", "IPSEC-VPN/", "%%", "SHELL/", "IFNET/")

# IKEv1 (RFC 2408) and IKEv2 (RFC 7296) notify message types.  Error types may appear in
# IKE_INFO lines too; status types there are normal chatter.
_ERROR_NOTIFY = frozenset(
    """INVALID_PAYLOAD_TYPE DOI_NOT_SUPPORTED SITUATION_NOT_SUPPORTED INVALID_COOKIE
    INVALID_MAJOR_VERSION INVALID_MINOR_VERSION INVALID_EXCHANGE_TYPE INVALID_FLAGS
    INVALID_MESSAGE_ID INVALID_PROTOCOL_ID INVALID_SPI INVALID_TRANSFORM_ID
    ATTRIBUTES_NOT_SUPPORTED NO_PROPOSAL_CHOSEN BAD_PROPOSAL_SYNTAX PAYLOAD_MALFORMED
    INVALID_KEY_INFORMATION INVALID_ID_INFORMATION INVALID_CERT_ENCODING INVALID_CERTIFICATE
    CERT_TYPE_UNSUPPORTED INVALID_CERT_AUTHORITY INVALID_HASH_INFORMATION AUTHENTICATION_FAILED
    INVALID_SIGNATURE ADDRESS_NOTIFICATION NOTIFY_SA_LIFETIME CERTIFICATE_UNAVAILABLE
    UNSUPPORTED_EXCHANGE_TYPE UNEQUAL_PAYLOAD_LENGTHS UNSUPPORTED_CRITICAL_PAYLOAD
    INVALID_IKE_SPI INVALID_SYNTAX INVALID_KE_PAYLOAD SINGLE_PAIR_REQUIRED NO_ADDITIONAL_SAS
    INTERNAL_ADDRESS_FAILURE FAILED_CP_REQUIRED TS_UNACCEPTABLE INVALID_SELECTORS
    TEMPORARY_FAILURE CHILD_SA_NOT_FOUND""".split()
)
_STATUS_NOTIFY = frozenset(
    """INITIAL_CONTACT SET_WINDOW_SIZE ADDITIONAL_TS_POSSIBLE IPCOMP_SUPPORTED
    NAT_DETECTION_SOURCE_IP NAT_DETECTION_DESTINATION_IP COOKIE USE_TRANSPORT_MODE
    HTTP_CERT_LOOKUP_SUPPORTED REKEY_SA ESP_TFC_PADDING_NOT_SUPPORTED NON_FIRST_FRAGMENTS_ALSO
    MOBIKE_SUPPORTED REDIRECT_SUPPORTED MULTIPLE_AUTH_SUPPORTED ANOTHER_AUTH_FOLLOWS
    IKEV2_FRAGMENTATION_SUPPORTED SIGNATURE_HASH_ALGORITHMS RESPONDER_LIFETIME REPLAY_STATUS
    CONNECTED R_U_THERE R_U_THERE_ACK""".split()
)
_KNOWN_NOTIFY = _ERROR_NOTIFY | _STATUS_NOTIFY

# Fixed IKE_ERROR wordings -> the normalised reason the knowledge base uses.  Checked in order
# with ``in`` on the lower-cased message.
_FIXED = (
    ("invalid next payload", "invalid next payload"),
    ("message sort error", "message sort error occurred"),
    ("dropping duplicate", "dropping duplicate"),
    ("processing ts payload failed", "processing ts payload failed"),
    ("ike_sa_init response message error", "ike_sa_init response message error"),
    ("sa negotiation for child sa failed", "sa negotiation for child sa failed"),
)


# -- small token helpers --------------------------------------------------------------------


def _clock(tok: str) -> str | None:
    """``21:05:59.550.3+08:00`` -> ``21:05:59`` (fractions and time zone dropped)."""
    head = tok[:8]
    if len(head) == 8 and head[2] == ":" and head[5] == ":":
        # two digits each (the usual case) passes ``is_clock`` for sure: skip it
        if (is_digits(head[:2]) and is_digits(head[3:5]) and is_digits(head[6:])) or is_clock(head):
            return head
    return None


def _parse_time(tokens: list[str]) -> str | None:
    """``Aug 17 2017 14:29:15.800.1`` or ``2017-08-17 14:29:15`` at the end of ``tokens``."""
    if len(tokens) >= 4:
        mon, day, year, clk = tokens[-4:]
        m = _MONTHS.get(mon[:3].lower()) if len(mon) >= 3 else None
        c = _clock(clk)
        if m and c and is_digits(day) and is_digits(year) and len(year) == 4 and len(day) <= 2:
            return f"{year}-{m:02d}-{int(day):02d} {c}"
    if len(tokens) >= 2 and is_date(tokens[-2]):
        c = _clock(tokens[-1])
        if c:
            return norm_time(tokens[-2], c)
    return None


def _header(text: str) -> tuple[str | None, str | None, str] | None:
    """(time, device, body) of a debug header line, None when ``text`` is not one."""
    head = text[:HEAD_SCAN]
    low = head.lower()
    if "debug" not in low:  # every tag holds it
        return None
    pos = -1
    for tag in _TAGS:
        pos = low.find(tag)
        if pos != -1:
            break
    if pos <= 0:
        return None
    start = head.rfind(" ", 0, pos) + 1
    module, sep, level = head[start:pos].rpartition("/")
    if not sep or not is_digits(level) or not module.lstrip("%0123456789").isalpha():
        return None
    colon = head.find(":", pos)
    space = head.find(" ", pos)
    if colon != -1 and (space == -1 or colon < space):
        body = text[colon + 1 :]
    elif space != -1:
        body = text[space + 1 :]
    else:
        body = ""
    pre = head[:start].split()
    if pre and pre[-1].lower() in _NOT_DEVICE:
        pre.pop()
    device = None
    if pre and not _clock(pre[-1]) and len(pre[-1]) <= 64 and "/" not in pre[-1]:
        device = pre.pop()
    return _parse_time(pre), device, body.strip()


# the last line ``accepts`` read as a header, so that the block it starts does not read it again
_last: tuple[str, tuple[str | None, str | None, str] | None] = ("", None)


def _header_of(text: str) -> tuple[str | None, str | None, str] | None:
    global _last
    last_text, hdr = _last
    if text is last_text or text == last_text:
        return hdr
    hdr = _header(text)
    _last = (text, hdr)
    return hdr


def _body_kind(s: str) -> str | None:
    """``ike`` for ``IKE_ERROR 17:5773 ...``, ``ipsec`` for ``[IPSEC-Error] ...``, else None.

    The tags are compared in ASCII only (not "ıKE_": ``DebugParser.hints`` relies on it)."""
    head = s[:7]
    if head.isascii() and head.upper() == "[IPSEC-":
        return "ipsec"
    head = s[:4]
    if not head.isascii() or head.upper() != "IKE_":
        return None
    sp = s.find(" ", 4, 24)
    if sp == -1:
        return None
    code = s[sp + 1 : sp + 16].split(" ", 1)[0]
    a, sep, b = code.partition(":")
    if sep and is_digits(a) and is_digits(b):
        return "ike"
    return None


def _strip_comment(msg: str) -> str:
    """Drop a ``  // note`` that document authors append to device output."""
    i = msg.find(" //")
    return msg[:i].rstrip() if i != -1 else msg


def _squash(text: str, limit: int = MAX_REASON) -> str:
    return " ".join(text[: limit * 2].split())[:limit]


def _looks_like_log(s: str) -> bool:
    if any(m in s for m in _LOG_MARKS):
        return True
    first = s.split(" ", 1)[0]
    if is_date(first):
        return True
    return len(first) == 3 and first.lower() in _MONTHS and is_digits(s[4:5])


def _is_hex_dump(s: str) -> bool:
    """``c8f3069a 00000000 ...`` or ``Recv_KE_NONCE : f317d868 ...`` (IKE_PACKET contents)."""
    toks = s.split()
    if not toks:
        return False
    if len(toks) >= 2 and (toks[1] == ":" or toks[0].endswith(":")):
        name = toks[0].rstrip(":")
        if name.replace("_", "").isalnum() and "_" in name:
            toks = toks[2:] if toks[1] == ":" else toks[1:]
            if not toks:
                return True
    return sum(map(len, toks)) >= 4 and all(len(t) <= 8 and _is_hex(t) for t in toks)


def _is_hex(t: str) -> bool:
    try:
        int(t, 16)
    except ValueError:
        return False
    return True


def _complete_notify(partial: str) -> str | None:
    """The single known notify type that starts with a cut ``partial`` (at least 4 letters)."""
    if len(partial) < 4:
        return None
    hits = [t for t in _KNOWN_NOTIFY if t.startswith(partial)]
    return hits[0] if len(hits) == 1 else None


# -- message classification -----------------------------------------------------------------


@dataclass
class _Msg:
    kind: str
    reason: str
    peer: str | None = None
    port: int | None = None
    version: str | None = None
    detail: str | None = None
    # True: the wording is whole; False: visibly cut; None: free text, cannot tell
    complete: bool | None = None


def _split_peer(msg: str) -> tuple[str | None, str]:
    """``Message from peer 1.1.1.1: rest`` -> (``1.1.1.1``, ``rest``)."""
    if msg[:18].lower() != "message from peer ":
        return None, msg
    addr, sep, rest = msg[18:].partition(": ")
    if not sep:
        addr, sep, rest = msg[18:].partition(":")
    addr = addr.strip()
    if is_ip(addr):
        return addr, rest.strip()
    return None, msg


def _record(msg: str, low: str) -> _Msg | None:
    """``Ikev1 error-info record(peer address: X, error reason: R,list number: N).``"""
    i = low.find("record(")
    if i == -1 or ("error-info" not in low[:i] and "error info" not in low[:i]):
        return None
    version = "v2" if "ikev2" in low[:i] else ("v1" if "ikev1" in low[:i] else None)
    peer = None
    p = low.find("peer address:", i)
    if p != -1:
        q = low.find(",", p)
        cand = msg[p + 13 : q if q != -1 else p + 60].strip()
        peer = cand if is_ip(cand) else None
    r = low.find("error reason:", i)
    if r == -1:
        return _Msg("ike-failure", _squash(msg), peer=peer, version=version, complete=False)
    r += len("error reason:")
    end = low.find(",list number", r)
    if end == -1:
        end = low.find(", list number", r)
    if end == -1:
        end = low.find(")", r)
    complete = end != -1
    reason = msg[r:end] if complete else msg[r:].split(",", 1)[0]  # a cut inside ",list"
    reason = _squash(reason)
    if not reason:
        return _Msg("ike-failure", _squash(msg), peer=peer, version=version, complete=False)
    return _Msg("ike-failure", reason, peer=peer, version=version, complete=complete)


def _notify(peer: str | None, sub: str, low: str, error_only: bool) -> _Msg | None:
    """``Got NOTIFY of type T`` / ``dropping Message due to notification type T``."""
    rest = None
    for key in ("got notify of type", "due to notification type"):
        i = low.find(key)
        if i != -1:
            rest = sub[i + len(key) :].strip()
            break
    if rest is None:
        i = low.find("notificatio")
        if error_only or i == -1 or "type" in low[i:]:
            return None
        return _Msg("notify", _squash(sub), peer=peer, complete=False)  # cut before the type
    typ = rest.split(" ", 1)[0].strip(".,;:()").upper() if rest else ""
    if error_only and typ not in _ERROR_NOTIFY:
        return None
    if not typ:
        return _Msg("notify", _squash(sub), peer=peer, complete=False)
    if typ in _KNOWN_NOTIFY:
        return _Msg("notify", f"notify {typ}", peer=peer, complete=True)
    full = _complete_notify(typ)
    if full is not None:  # "NO_PROPOSAL_CHOS": the tail was lost, the type is still certain
        return _Msg("notify", f"notify {full}", peer=peer, detail="truncated", complete=False)
    return _Msg("notify", f"notify {typ[:64]}", peer=peer, complete=None)


def _between(text: str, low: str, key: str) -> str | None:
    """The text inside ``key(...)``; None when absent or not closed."""
    i = low.find(key)
    if i == -1:
        return None
    j = text.find(")", i + len(key))
    return text[i + len(key) : j].strip() if j != -1 else None


def _ike_error(msg: str) -> _Msg:
    peer, sub = _split_peer(msg)
    low = sub.lower()
    rec = _record(sub, low)
    if rec is not None:
        if rec.peer is None:
            rec.peer = peer
        return rec
    note = _notify(peer, sub, low, error_only=False)
    if note is not None:
        return note
    if "remote-name(" in low and "does not match" in low:
        got = _between(sub, low, "received remote-name(")
        want = _between(sub, low, "peer remote-name(")
        if got is not None and want is not None:
            detail = f"received {got}, expected {want}"
        elif want is not None:
            detail = f"expected {want}"
        elif got is not None:
            detail = f"received {got}"
        else:
            detail = None
        whole = got is not None and want is not None
        return _Msg(
            "debug", "remote-name mismatch", peer=peer, detail=detail, complete=whole or None
        )
    if "peer configuration not found" in low:
        j = low.find("for peer", low.find("peer configuration not found") + 28)
        cand = sub[j + 8 :].strip().strip("\"'.") if j != -1 else ""
        return _Msg("debug", "peer configuration not found", peer=cand if is_ip(cand) else peer)
    if low.startswith("authentication failed for the peer"):
        cand = sub[34:].strip().strip("\"'.")
        return _Msg(
            "debug", "authentication failed for the peer", peer=cand if is_ip(cand) else peer
        )
    if "unable to find ipsec policy" in low:
        j = low.find("for peer")
        cand = sub[j + 8 :].strip().strip("\"'.") if j != -1 else ""
        return _Msg(
            "debug", "unable to find ipsec policy for peer", peer=cand if is_ip(cand) else peer
        )
    for needle, reason in _FIXED:
        i = low.find(needle)
        if i != -1:
            detail = None
            if reason == "invalid next payload":  # "of Type 60 in Payload Type 5"
                rest = _squash(sub[i + len(needle) :]).strip(" .:")
                detail = (rest[3:] if rest[:3].lower() == "of " else rest) or None
            return _Msg("debug", reason, peer=peer, detail=detail)
    text = _squash(sub).rstrip(".")
    return _Msg("debug", text or _squash(msg), peer=peer)


def _ipsec_error(msg: str) -> _Msg:
    """``acl mismatch.(Ifindex=[7], SeqNum=[10],PeerAddress=[2.1.1.1], PeerPort=[500])``"""
    par = msg.find("(")
    reason = _squash(msg[:par] if par != -1 else msg).rstrip(". ")
    peer = port = None
    complete = None if par == -1 else msg.find(")", par) != -1
    if par != -1:
        pos = par + 1
        for _ in range(MAX_FIELDS):
            eq = msg.find("=[", pos)
            if eq == -1:
                break
            close = msg.find("]", eq + 2)
            if close == -1:
                break
            start = max(msg.rfind(",", pos - 1, eq), msg.rfind("(", pos - 1, eq)) + 1
            key = msg[start:eq].replace(" ", "").lower()
            value = msg[eq + 2 : close].strip()
            if key == "peeraddress" and is_ip(value):
                peer = value
            elif key == "peerport" and is_digits(value) and len(value) <= 5:
                port = int(value)
            pos = close + 1
    return _Msg("debug", reason or "ipsec error", peer=peer, port=port, complete=complete)


def _attribute(msg: str) -> tuple[str, str] | None:
    """``Attribute KEY_LENGTH value 256`` or ``ENCRYPTION ALGORITHM: AES_256`` -> (name, value)."""
    msg = _strip_comment(msg)
    if msg[:10].lower() == "attribute ":
        name, sep, value = msg[10:].partition(" value ")
        if sep and name and " " not in name.strip():
            v = value.split()
            return name.strip().upper(), (v[0] if v else "")
        return None
    name, sep, value = msg.partition(":")
    if not sep or len(name) > 40:
        return None
    key = "_".join(name.split()).upper()
    if key.endswith("ALGORITHM") or key in ("GROUP_TYPE", "DH_GROUP", "ESN"):
        v = value.split()
        return key, (v[0] if v else "")
    return None


# -- the block ------------------------------------------------------------------------------


# Real debug output repeats the same messages (every retry): a message's meaning is a function
# of its severity class and text, so it is parsed once.  Bounded (emptied when full).  The
# cached ``_Msg`` objects are shared: nothing may modify them.
_CACHE_MAX = 4096
_parsed: dict[tuple[str, str], _Msg] = {}


_MEMO_TEXT = 1024  # longer messages are parsed without the cache


def _parse(sev: str, text: str) -> _Msg:
    key = (sev, text)
    m = _parsed.get(key)
    if m is None:
        msg = _strip_comment(text.strip())
        m = _ipsec_error(msg) if sev == "ipsec" else _ike_error(msg)
        if len(text) <= _MEMO_TEXT:
            if len(_parsed) >= _CACHE_MAX:
                _parsed.clear()
            _parsed[key] = m
    return m


@dataclass(slots=True)
class _Pending:
    """A message whose continuation may still arrive on the next line(s)."""

    sev: str  # "ike" or "ipsec"
    ev: Line
    text: str
    last_len: int
    time: str | None
    device: str | None
    peer: str | None
    blanks: int = 0

    def parse(self) -> _Msg:
        return _parse(self.sev, self.text)


@dataclass(slots=True)
class _Group:
    """Consecutive proposal attributes: one transform the peer offered."""

    ev: Line
    time: str | None
    device: str | None
    peer: str | None
    attrs: list[str] = field(default_factory=list)


class DebugBlock:
    """One stretch of debug output: headers, bodies, wrapped tails and packet dumps."""

    __slots__ = (
        "blanks",
        "ctx",
        "device",
        "group",
        "packet",
        "peer",
        "pending",
        "protocol",
        "time",
    )

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.time: str | None = None
        self.device: str | None = ctx.device
        self.peer: str | None = None  # the peer named by the current record's chatter
        self.pending: _Pending | None = None
        self.group: _Group | None = None
        self.protocol: str | None = None  # "Protocol ID: IPSEC_ESP" before a transform
        self.blanks = 0
        self.packet = False  # inside an IKE_PACKET dump

    # -- emit ---------------------------------------------------------------------------------
    def _emit(
        self,
        ev: Line,
        m: _Msg,
        time: str | None,
        device: str | None,
        peer: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.ctx.emit(
            Signal(
                vendor="huawei",
                family="debug",
                kind=m.kind,
                reason=m.reason,
                ev=ev,
                device=device,
                peer=m.peer if m.peer is not None else peer,
                port=m.port,
                version=m.version,
                time=time,
                detail=m.detail if m.detail is not None else detail,
            )
        )

    def _flush_pending(self) -> None:
        p, self.pending = self.pending, None
        if p is None:
            return
        m = p.parse()  # shared: read only
        self._emit(p.ev, m, p.time, p.device, p.peer, "truncated" if m.complete is False else None)

    def _flush_group(self) -> None:
        g, self.group = self.group, None
        if g is None or not g.attrs:
            return
        m = _Msg("debug", "proposal attribute", peer=g.peer, detail=", ".join(g.attrs))
        self._emit(g.ev, m, g.time, g.device)

    # -- bodies -------------------------------------------------------------------------------
    def _body(self, body: str, ev: Line, phys_len: int, kind: str) -> None:
        """``kind``: ``_body_kind(body)``, which the caller has just computed (not None)."""
        self.packet = False
        if kind == "ipsec":
            self._flush_group()
            tag_end = body.find("]")
            sev = body[7:tag_end].lower() if tag_end != -1 else ""
            if sev.startswith(("err", "warn")):
                self._pend("ipsec", body[tag_end + 1 :], ev, phys_len)
            return
        sp = body.find(" ")
        sev = body[:sp].upper()
        rest = body[sp + 1 :].lstrip()
        sp2 = rest.find(" ")
        msg = rest[sp2 + 1 :].strip() if sp2 != -1 else ""
        if sev in ("IKE_ERROR", "IKE_WARNING", "IKE_WARN"):
            self._flush_group()
            if msg:
                self._pend("ike", msg, ev, phys_len)
            return
        if sev == "IKE_PACKET":
            self._flush_group()
            self.packet = True
            low = msg[:200].lower()
            i = low.find("received from ")
            if i != -1:
                cand = low[i + 14 :].split(" ", 1)[0]
                if is_ip(cand):
                    self.peer = cand
            return
        self._info(msg, ev)

    def _info(self, msg: str, ev: Line) -> None:
        attr = _attribute(msg) if msg else None
        if attr is not None:
            self._add_attr(f"{attr[0]}={attr[1]}", ev)
            return
        self._flush_group()
        peer, sub = _split_peer(msg)
        if peer is not None:
            self.peer = peer
        low = sub[:300].lower()
        if "notif" in low:
            note = _notify(peer or self.peer, sub, low, error_only=True)
            if note is not None:
                self._emit(ev, note, self.time, self.device)

    def _add_attr(self, item: str, ev: Line) -> None:
        g = self.group
        if g is not None and g.attrs and g.attrs[-1] == item:
            return  # the same attribute printed twice
        if g is None or len(g.attrs) >= MAX_ATTRS:
            self._flush_group()
            g = self.group = _Group(ev, self.time, self.device, self.peer)
            if self.protocol:
                g.attrs.append(f"PROTOCOL_ID={self.protocol}")
                self.protocol = None
        g.attrs.append(item[:80])

    def _pend(self, sev: str, msg: str, ev: Line, phys_len: int) -> None:
        self._flush_pending()
        self.pending = _Pending(
            sev, ev, msg[:MAX_PENDING], phys_len, self.time, self.device, self.peer
        )

    # -- continuation lines ---------------------------------------------------------------------
    def _continue(self, ev: Line, s: str) -> bool:
        """Join ``s`` to the pending message when it is the wrapped tail; True if joined."""
        p = self.pending
        if p is None or len(s) > MAX_CONTINUATION or not s.isascii() or _looks_like_log(s):
            return False
        if len(p.text) + len(s) > MAX_PENDING:
            return False
        state = p.parse().complete
        if state is True:
            return False
        raw = ev.text.rstrip()
        # cut exactly at the terminal width: mid-word, glue as is; one column short: the last
        # column was a space that the cleaner stripped
        joined = p.text + raw if p.last_len in WRAP_WIDTHS else p.text + " " + s
        completes = (
            state is False
            and _Pending(p.sev, p.ev, joined, 0, None, None, None).parse().complete is True
        )
        if p.blanks:
            # across blank lines (a document split the output): only when the message was
            # visibly cut and the join completes it
            ok = completes
        else:
            ok = completes or p.last_len in WRAP_WIDTHS or (p.last_len + 1) in WRAP_WIDTHS
        if not ok:
            return False
        p.text = joined
        p.last_len = len(raw)
        p.blanks = 0
        return True

    # -- Block protocol -------------------------------------------------------------------------
    def ends_before(self, text: str) -> bool:
        """True when ``text`` (cleaned, not yet redacted) ends the block whatever redaction
        makes of it: a log line ("Mon d..." first, which redaction leaves alone, so
        ``_looks_like_log``: no continuation, body or proposal line) with no "debug" anywhere
        (so no header), outside a packet dump ("Dec 1 abc" reads as hex).  ``feed`` would flush
        and return False; the scanner closes the block instead."""
        s = text.lstrip()
        return (
            not self.packet
            and s[3:4] == " "
            and is_digits(s[4:5])
            and s[:3].lower() in _MONTHS
            and "debug" not in text.lower()
        )

    def feed(self, ev: Line) -> bool:
        text = ev.text
        s = text.strip()
        if not s:
            self.blanks += 1
            if self.pending is not None:
                self.pending.blanks += 1
                if self.pending.blanks > MAX_PENDING_BLANKS:
                    self._flush_pending()
                return True
            return self.blanks <= MAX_BLANKS
        self.blanks = 0
        phys_len = len(text.rstrip())
        hdr = _header_of(text)
        if hdr is not None:
            self._flush_pending()
            time, device, body = hdr
            self.time = time
            self.device = device or self.ctx.device
            self.peer = None
            self.packet = False
            kind = _body_kind(body) if body else None
            if kind:
                self._body(body, ev, phys_len, kind)
            return True
        kind = _body_kind(s)
        if kind is not None:
            self._flush_pending()
            self._body(s, ev, phys_len, kind)
            return True
        if self._continue(ev, s):
            return True
        self._flush_pending()
        low = s[:16].lower()
        if low.startswith(("proposal no", "protocol id")):
            self._flush_group()
            if low.startswith("protocol id"):
                value = _strip_comment(s.partition(":")[2]).split()
                self.protocol = value[0][:32] if value else None
            return True
        if self.packet and _is_hex_dump(s):
            return True
        return False

    def close(self) -> None:
        self._flush_pending()
        self._flush_group()


class DebugParser:
    """Claims debug headers and header-less debug bodies wherever they appear."""
    priority = 30

    name = "huawei.debug"
    vendor = "huawei"
    log_like = True
    # every line ``accepts`` takes starts with "IKE_" or "[IPSEC-" (``_body_kind``, ASCII case
    # folding) or holds a ``_TAGS`` (all end in "_debug" or "-debug")
    hints = ("^ike_", "^[ipsec-", "_debug", "-debug")
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        s = text[:HEAD_SCAN].lstrip()
        if s[:1] in _BODY_FIRST and _body_kind(s) is not None:  # "IKE_...", "[IPSEC-..."
            return True
        low = text[:HEAD_SCAN].lower()
        if "debug" not in low:
            return False
        for t in _TAGS:
            if t in low:
                return _header_of(text) is not None
        return False

    def start(self, ctx: Context) -> DebugBlock:
        return DebugBlock(ctx)


PARSERS = (DebugParser,)
