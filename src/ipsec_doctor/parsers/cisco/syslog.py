"""Cisco IOS/IOS-XE and ASA/PIX syslog messages about IKE/IPsec, wherever they appear: a syslog
server's file, ``show logging``, a console paste between debug lines.

One message per line, in any of these shapes (header tokens are all optional)::

    *Mar  1 00:03:43.339: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi
        for destaddr=61.128.1.1, prot=50, spi=0x3EA71AED(1051138797), srcaddr=103.1.1.1
    000123: *Mar  1 00:03:43 UTC: %CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main Mode failed
    <189>91: R1: *Oct 07 03:10:04: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN. Peer ...
    <0>91: *Oct 07 03:10:04: mydevice.com %CRYPTO-4-RECVD_PKT_INV_SPI: ...
    1d00h:%CRPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.1 failed its   (seed 004, typo)
    *Mar  1 00:03:43: %IOSXE-3-PLATFORM: R0/0: cpp_cp: ... %IPSEC-3-REPLAY_ERROR: ...
    Dec 04 2014 12:37:51: %ASA-3-713902: Group = 77.88.99.100, IP = 77.88.99.100, QM FSM error
    172.16.200.253:514 : local7.notice %PIX-5-713904: IP = 78.186.68.163, Received ...
    %PIX|ASA-4-402101: decaps: recd IPSEC packet has                           (seed 004)
    HW_VPN-1-HPRXERR: Virtual Private Network (VPN) Module0/2: Packet Encryption/Decryption ...

A message wrapped onto following lines (an indented line, or a lower-case continuation of a
visibly unfinished sentence) is joined, up to ``_MAX_CONT`` lines.

What becomes a fact (``Signal``, vendor ``cisco``, family ``syslog``):

* IOS crypto facilities (``CRYPTO``, ``IPSEC``, ``IKEV2``, ``ISAKMP``, ``CRYPTO_ENGINE``):
  ``reason`` = the mnemonic in upper case (``IKMP_BAD_MESSAGE``, ``RECVD_PKT_INV_SPI``, ...),
  ``detail`` = the message text, ``kind`` by meaning: ``ike-failure`` (negotiation), ``alarm``
  (data-plane drops: invalid SPI, replay, MAC), ``teardown`` (a tunnel DOWN), ``state``
  (ISAKMP on/off, tunnel UP);
* crypto hardware facilities (``HW_VPN``, ``VPN_HW``, ``C1700_EM``, ``MOTCR``, ``VPNSM``): the
  debug vocabulary (``packet encryption/decryption error``, ``esp sequence fail``, ``hmac
  verification failed``, ``replay check failed``), else the message text (reported as unknown);
* ASA/PIX/FWSM/FTD messages of the VPN ranges (113019, 402xxx, 602303/602304, 702xxx, 713xxx,
  715xxx, 750xxx-752xxx): ``reason`` = ``asa-<id>``, ``code`` = the id, ``detail`` = the text.
  713902-713906 are generic "descriptive event" wrappers: their meaning is in ``detail``.

``peer`` (and ``port``) come from the text: ``IP = X``, ``peer at X``, ``Peer X:500``,
``srcaddr=X``, ``from X``, ``remote:X``, ``between A and B``.  ``device`` is the host name a
syslog server or ``logging origin-id`` put in the header, else the prompt's device.

The header reader and the tag finder here are shared with ``debug.py``.  Everything is bounded
``str`` work: the header is read from the first ``HEAD`` characters, at most ``_MAX_TAGS`` "%"
are tried per line, a joined message is at most ``_MAX_JOIN`` characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Line, Signal
from ..base import Context
from ..util import is_digits, is_ip

HEAD = 320  # where the header and the message tag are looked for
MAX_REASON = 200
_MAX_TAGS = 6
_MAX_CONT = 4
_MAX_JOIN = 2048
_MAX_TOKENS = 16
# Terminal widths at which a device line is cut; a line this long (or one shorter: the last
# column was a space that cleaning removed) may continue on the next line.
WRAP_WIDTHS = frozenset({80, 100, 120, 128, 132, 160, 200, 256})

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_SYSLOG_FACILITIES = frozenset(
    "kern user mail daemon auth syslog lpr news uucp cron authpriv ftp local0 local1 local2 "
    "local3 local4 local5 local6 local7".split()
)
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAG_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_MNEM_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_HOST_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
)
# Words that start a debug body and so are never a host name before it.
_NOT_HOST = frozenset(
    "isakmp isakmp-pak isakmp-error ipsec ikev2 ikev1 icmp crypto_engine cryptoengine0 "
    "crypto_engine0 oak_ag oak_mm oak_qm".split()
)

IOS_FACILITIES = frozenset({"CRYPTO", "CRPTO", "IPSEC", "IKEV2", "ISAKMP", "CRYPTO_ENGINE"})
HW_FACILITIES = frozenset({"HW_VPN", "VPN_HW", "C1700_EM", "MOTCR", "VPNSM"})
ASA_FACILITIES = frozenset({"ASA", "PIX", "FWSM", "FTD"})

# IOS mnemonic -> kind; the rest is classified by ``_ios_kind``.
_IOS_KINDS = {
    "IKMP_BAD_MESSAGE": "ike-failure",
    "IKMP_MODE_FAILURE": "ike-failure",
    "IKMP_NO_SA": "ike-failure",
    "IKMP_NOT_ENCRYPTED": "ike-failure",
    "IKMP_INVAL_CERT": "ike-failure",
    "IKMP_AG_MODE_DISABLED": "ike-failure",
    "IKMP_SETUP_FAILURE": "ike-failure",
    "IPSEC_SETUP_FAILURE": "ike-failure",
    "IKMP_SA_NOT_AUTH": "ike-failure",
    "IKMP_SA_NOT_OFFERED": "ike-failure",
    "IKMP_CRYPT_FAILURE": "ike-failure",
    "IKEV2_PEER_AUTH_FAILED": "ike-failure",
    "RECVD_PKT_INV_SPI": "alarm",
    "PKT_REPLAY_ERR": "alarm",
    "RECVD_PKT_NOT_IPSEC": "alarm",
    "RECVD_PKT_INV_IDENTITY_ACL": "alarm",
    "RECVD_PKT_MAC_ERR": "alarm",
    "REPLAY_ERROR": "alarm",
    "HMAC_ERROR": "alarm",
    "ISAKMP_ON_OFF": "state",
    "EZVPN_CONNECTION_UP": "state",
    "EZVPN_CONNECTION_DOWN": "teardown",
}
# ASA message id -> kind; the rest is classified by ``_asa_kind``.
_ASA_KINDS = {
    113019: "teardown",
    602303: "state",
    602304: "state",
    702305: "state",
    702307: "state",
    713050: "teardown",
    713119: "state",
    713120: "state",
    713259: "teardown",
    713904: "debug",
    713905: "debug",
    713906: "debug",
}
_HW_PHRASES = (
    ("encryption/decryption error", "packet encryption/decryption error"),
    ("esp sequence fail", "esp sequence fail"),
    ("macmiscompare", "hmac verification failed"),
    ("hmac verification fail", "hmac verification failed"),
    ("replay check failed", "replay check failed"),
)
_FAILURE_WORDS = ("FAIL", "BAD", "INVAL", "ERR", "REJECT", "DENY", "NO_SA", "MISMATCH")


# -- small token helpers --------------------------------------------------------------------


def squash(text: str, limit: int = MAX_REASON) -> str:
    """Whitespace-normalised ``text``, at most ``limit`` characters (read from a bounded slice)."""
    return " ".join(text[: limit * 3].split())[:limit]


def clock_of(tok: str) -> str | None:
    """``00:03:43.339:`` / ``11:02:39`` -> ``HH:MM:SS``; None for anything else."""
    if len(tok) < 8 or tok[2] != ":" or tok[5] != ":":
        return None
    hh, mm, ss = tok[0:2], tok[3:5], tok[6:8]
    if not (is_digits(hh) and is_digits(mm) and is_digits(ss)):
        return None
    rest = tok[8:].rstrip(":")
    if rest and not (rest[0] == "." and is_digits(rest[1:])):
        return None
    return f"{hh}:{mm}:{ss}"


def _uptime(tok: str) -> bool:
    """``1d00h``, ``2w5d``, ``3d01h``, ``1y2w``: an IOS uptime stamp."""
    if not 3 <= len(tok) <= 10 or not is_digits(tok[0]) or not tok[-1].isalpha():
        return False
    letters = 0
    for c in tok:
        if c.isalpha():
            if c not in "ywdhm":
                return False
            letters += 1
        elif not is_digits(c):
            return False
    return letters >= 2


def _zone(tok: str) -> bool:
    """``UTC``, ``UTC:``, ``CET``, ``PDT:``: a time zone after a clock."""
    t = tok.rstrip(":")
    return 2 <= len(t) <= 5 and all(c in _UPPER for c in t)


def hostname(tok: str) -> str | None:
    """``R1``, ``asa01.example.com``, ``203.0.113.16``, ``172.16.200.253:514`` -> the name."""
    t = tok.rstrip(":")
    if not t or len(t) > 64:
        return None
    if t.count(":") == 1 and not is_ip(t):
        host, _, port = t.partition(":")
        if is_digits(port) and is_ip(host):
            return host
        return None
    if is_ip(t):
        return t
    if not (t[0].isalnum() or t[0] == "_") or any(c not in _HOST_CHARS for c in t):
        return None
    if is_digits(t) or t.lower() in _NOT_HOST or t.lower() in MONTHS:
        return None
    return t


@dataclass
class Header:
    """What precedes a message body: its time and sending device, and where the body starts."""

    time: str | None
    device: str | None
    body: int  # index in the line where the body starts
    stamped: bool  # a time stamp, sequence number or priority was read


def _spans(text: str, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while i < end and len(out) < _MAX_TOKENS:
        while i < end and text[i] == " ":
            i += 1
        if i >= end:
            break
        j = text.find(" ", i, end)
        if j == -1:
            j = end
        out.append((i, j))
        i = j
    return out


def _stamp_token(tok: str) -> bool:
    """Does ``tok`` start a time stamp, a sequence number or a priority?"""
    core = tok.lstrip("*.")
    if not core:
        return False
    if core[:3].lower() in MONTHS and (len(core) == 3 or not core[3:].isalpha()):
        return len(core) == 3
    if clock_of(core) or _uptime(core.rstrip(":")):
        return True
    if core.endswith(":") and is_digits(core[:-1]):
        return True
    return core[0] == "<"


def split_header(text: str) -> Header:
    """Read the time stamp(s), sequence number, priority and host name in front of a message.

    Stops at the first token that is none of these (the body).  A host name is taken only
    when a stamp, a sequence number, a ``%`` tag or a lone ``:`` follows it.  The right-most
    stamp wins (the device's own clock rather than the syslog server's).
    """
    end = min(len(text), HEAD)
    spans = _spans(text, end)
    time: str | None = None
    device: str | None = None
    stamped = False
    body = end if spans else 0
    k = 0
    n = len(spans)
    while k < n:
        s, e = spans[k]
        tok = text[s:e]
        if tok[0] == "<":  # syslog priority, maybe glued to what follows
            close = tok.find(">", 1, 6)
            if close > 1 and is_digits(tok[1:close]):
                stamped = True
                if close + 1 < len(tok):
                    spans[k] = (s + close + 1, e)
                    continue
                k += 1
                continue
            body = s
            break
        glued = tok.find(":%")
        if glued > 0:  # "1d00h:%CRPTO-4-..."
            head = tok[: glued + 1]
            if _stamp_token(head) or hostname(head):
                t = _loose_time(head)
                if t:
                    time, stamped = t, True
                elif not _seq(head):
                    device = hostname(head) or device
                body = s + glued + 1
                break
        core = tok.lstrip("*.")
        if len(core) == 3 and core.lower() in MONTHS and k + 2 < n:
            t, used = _month_stamp(text, spans, k)
            if t:
                time, stamped = t, True
                k += used
                continue
        if core and (clock_of(core) or _uptime(core.rstrip(":"))) and tok.endswith(":"):
            time, stamped = _loose_time(core) or time, True
            k += 1
            continue
        if clock_of(core):  # "00:27:07" without its colon, e.g. before a host name
            time, stamped = _loose_time(core) or time, True
            k += 1
            continue
        if _seq(tok):
            stamped = True
            k += 1
            continue
        if tok == ":":
            k += 1
            continue
        if _facility_level(tok):  # "local7.notice" written by a syslog server
            k += 1
            continue
        name = hostname(tok)
        if name is not None and k + 1 < n:
            nxt = text[spans[k + 1][0] : spans[k + 1][1]]
            # "R1: *Mar 1 ...", "host %CRYPTO-...", "asa01 : %ASA-..."; before a bare sequence
            # number ("203.0.113.16 2435:") only after a stamp ("Proposal 1: AES" is a body)
            after = text[spans[k + 2][0] : spans[k + 2][1]] if k + 2 < n else ""
            if (
                nxt[0] == "%"
                or (nxt == ":" and (after[:1] == "%" or _facility_level(after)))
                or (_stamp_token(nxt) and (stamped or time is not None or not _seq(nxt)))
            ):
                device = name
                k += 1
                continue
        body = s
        break
    else:
        body = end if spans else 0
    return Header(time, device, body, stamped or time is not None)


def _facility_level(tok: str) -> bool:
    fac, dot, lvl = tok.partition(".")
    return bool(dot) and fac in _SYSLOG_FACILITIES and lvl.isalpha()


def _seq(tok: str) -> bool:
    return len(tok) >= 2 and tok.endswith(":") and is_digits(tok[:-1])


def _loose_time(tok: str) -> str | None:
    t = tok.lstrip("*.").rstrip(":")
    c = clock_of(t)
    if c:
        return c
    return t if _uptime(t) else None


def _month_stamp(text: str, spans: list[tuple[int, int]], k: int) -> tuple[str | None, int]:
    """``Mar  1 [2014] 00:03:43.339[:] [UTC[:]]`` from token ``k``: (time, tokens used)."""
    toks = [text[s:e] for s, e in spans[k : k + 5]]
    mon = MONTHS[toks[0].lstrip("*.").lower()]
    day = toks[1]
    if not is_digits(day) or len(day) > 2:
        return None, 0
    i = 2
    year = None
    if i < len(toks) and len(toks[i]) in (4, 5) and is_digits(toks[i].rstrip(":")):
        year = toks[i].rstrip(":")
        i += 1
    if i >= len(toks):
        return None, 0
    clock = clock_of(toks[i])
    if clock is None:
        return None, 0
    i += 1
    if i < len(toks) and _zone(toks[i]) and not toks[i].startswith("%"):
        i += 1
    name = toks[0].lstrip("*.")[:3].capitalize()
    if year:
        return f"{year}-{mon:02d}-{int(day):02d} {clock}", i
    return f"{name} {int(day)} {clock}", i


# -- the message tag ------------------------------------------------------------------------


@dataclass
class Tag:
    """``%FAC-SEV-MNEMONIC:`` found in a line."""

    facility: str  # the facility that made it ours ("CRYPTO", "ASA", "HW_VPN", ...)
    severity: int
    mnemonic: str
    start: int  # index of the tag ("%" or the facility's first letter)
    text: int  # index where the message text starts


def _tag_at(text: str, p: int) -> Tag | None:
    """Parse ``FAC-SEV-MNEM`` at ``p`` (just after a "%", or a line start)."""
    n = len(text)
    i = p
    while i < n and i - p <= 40 and (text[i] in _TAG_CHARS or text[i] == "|"):
        i += 1
    if i == p or i + 3 >= n or text[i] != "-" or not is_digits(text[i + 1]) or text[i + 2] != "-":
        return None
    facs = text[p:i]
    sev = int(text[i + 1])
    j = i + 3
    while j < n and j - i <= 64 and text[j] in _MNEM_CHARS:
        j += 1
    if j == i + 3:
        return None
    if j < n and text[j] not in ": ":
        return None
    mnem = text[i + 3 : j]
    for fac in facs.split("|"):
        if fac in ASA_FACILITIES:
            if not is_digits(mnem) or not _asa_ours(int(mnem)):
                continue
        elif fac not in IOS_FACILITIES and fac not in HW_FACILITIES:
            continue
        start = j + 1 if j < n else n
        while start < n and text[start] == " ":
            start += 1
        return Tag(fac, sev, mnem.upper(), p - 1 if p and text[p - 1] == "%" else p, start)
    return None


def _asa_ours(mid: int) -> bool:
    if mid in (113019, 602303, 602304):
        return True
    return 402000 <= mid < 403000 or 702000 <= mid < 703000 or 713000 <= mid < 716000 or (
        750000 <= mid < 753000
    )


def find_tag(text: str, start: int = 0) -> Tag | None:
    """Our ``%FAC-SEV-MNEM:`` tag in ``text[start:]`` (first ``HEAD`` characters), or a bare
    ``HW_VPN-1-...:`` at ``start``."""
    end = min(len(text), start + HEAD)
    pos = text.find("%", start, end)
    tries = 0
    while pos != -1 and tries < _MAX_TAGS:
        tag = _tag_at(text, pos + 1)
        if tag is not None:
            return tag
        tries += 1
        pos = text.find("%", pos + 1, end)
    if start < len(text) and text[start] in _UPPER:
        tag = _tag_at(text, start)
        if tag is not None and tag.facility in HW_FACILITIES:
            return tag
    return None


def is_cisco_tag(text: str, p: int) -> bool:
    """Is there any ``%FAC-SEV-MNEM:`` tag at ``p`` (ours or not, e.g. ``%LINK-3-UPDOWN:``)?"""
    if p >= len(text) or text[p] != "%":
        return False
    n = min(len(text), p + 80)
    i = p + 1
    while i < n and (text[i] in _TAG_CHARS or text[i] == "|"):
        i += 1
    if i == p + 1 or i + 3 >= n or text[i] != "-" or not is_digits(text[i + 1]):
        return False
    return text[i + 2] == "-"


# -- the message ----------------------------------------------------------------------------


def _ip_port(tok: str) -> tuple[str | None, int | None]:
    t = tok.strip(" ,;.()[]'\"")
    if is_ip(t):
        return t, None
    if "[" in tok:  # "10.1.1.1[500]"
        host, _, port = tok.partition("[")
        port = port.split("]", 1)[0]
        if is_ip(host) and is_digits(port) and len(port) <= 5:
            return host, int(port)
    host, sep, port = t.rpartition(":")
    if sep and is_ip(host):
        return host, int(port) if is_digits(port) and len(port) <= 5 else None
    host, sep, _ = t.partition("/")  # "10.1.1.1/500"
    if sep and is_ip(host):
        return host, None
    return None, None


# words after which a message prints the remote address, most specific first
_PEER_KEYS = (
    "ip = ",
    "peer at ",
    "with peer ",
    "peer ",
    "remote:",
    "remote ",
    "srcaddr=",
    "src_addr=",
    "src_addr ",
    "from ",
)


def find_peer(text: str) -> tuple[str | None, int | None]:
    """The remote address a message names, and its port when printed next to it."""
    low = text[:1024].lower()
    for key in _PEER_KEYS:
        i = low.find(key)
        tries = 0
        while i != -1 and tries < 4:
            if i == 0 or not low[i - 1].isalnum():
                rest = text[i + len(key) : i + len(key) + 80].lstrip(" =")
                tok = rest.split(" ", 1)[0] if rest else ""
                host, port = _ip_port(tok)
                if host:
                    return host, port
            tries += 1
            i = low.find(key, i + 1)
    i = low.find("between ")
    if i != -1:
        j = low.find(" and ", i)
        if j != -1:
            rest = text[j + 5 : j + 85].lstrip()
            host, port = _ip_port(rest.split(" ", 1)[0] if rest else "")
            if host:
                return host, port
    return None, None


def _ios_kind(mnem: str, text: str, sev: int) -> str:
    kind = _IOS_KINDS.get(mnem)
    if kind:
        return kind
    if mnem.endswith("SESSION_STATUS") or mnem.endswith("CONNECTION_STATUS"):
        return "teardown" if " down" in text.lower() else "state"
    if "DOWN" in mnem:
        return "teardown"
    if any(w in mnem for w in _FAILURE_WORDS):
        return "ike-failure" if mnem.startswith(("IKMP", "IKE", "ISAKMP")) else "alarm"
    if mnem.endswith("_UP") or mnem.startswith("ISAKMP_ON"):
        return "state"
    return "alarm" if sev <= 4 else "state"


def _asa_kind(mid: int, sev: int) -> str:
    kind = _ASA_KINDS.get(mid)
    if kind:
        return kind
    if sev <= 3:
        return "alarm" if mid < 500000 else "ike-failure"
    if sev == 4:
        return "alarm"
    return "state"


def _clean_detail(text: str) -> str:
    """The message text for ``detail``: squashed, without the "!!!!" of a ping glued to it."""
    return squash(text).rstrip("!").rstrip(" ,;")


@dataclass
class Message:
    kind: str
    reason: str
    peer: str | None
    port: int | None
    version: str | None
    detail: str | None
    code: int | None


def read_message(tag: Tag, text: str) -> Message:
    """What the message after ``tag`` says (``text`` is the whole, possibly joined, line)."""
    body = text[tag.text : tag.text + _MAX_JOIN]
    detail = _clean_detail(body) or None
    peer, port = find_peer(body)
    fac, mnem, sev = tag.facility, tag.mnemonic, tag.severity
    if fac in ASA_FACILITIES:
        mid = int(mnem)
        version = "v2" if 750000 <= mid < 753000 else ("v1" if 713000 <= mid < 716000 else None)
        return Message(_asa_kind(mid, sev), f"asa-{mid}", peer, port, version, detail, mid)
    if fac in HW_FACILITIES:
        low = body[:512].lower()
        for needle, reason in _HW_PHRASES:
            if needle in low:
                return Message("alarm", reason, peer, port, None, detail, None)
        return Message("alarm", squash(body).rstrip(".") or mnem, peer, port, None, None, None)
    if fac == "IKEV2" or "IKEV2" in mnem:
        version: str | None = "v2"
    elif mnem.startswith(("IKMP", "ISAKMP")) or fac == "ISAKMP":
        version = "v1"
    else:
        version = None
    return Message(_ios_kind(mnem, body, sev), mnem, peer, port, version, detail, None)


# -- collecting (possibly wrapped) messages -------------------------------------------------


@dataclass
class Hit:
    """A line that starts one of our messages."""

    header: Header
    tag: Tag


def parse_line(text: str) -> Hit | None:
    """The header and tag of one of our syslog messages, or None."""
    if "%" not in text[:HEAD] and "-" not in text[:HEAD]:
        return None
    hdr = split_header(text)
    tag = find_tag(text, hdr.body)
    if tag is None:
        return None
    if tag.start > hdr.body:  # a host name glued in front of the tag ("mydevice.com %CRYPTO")
        pre = text[hdr.body : tag.start].split()
        if pre and len(pre) <= 8:
            name = hostname(pre[-1])
            if name and hdr.device is None and len(pre) == 1:
                hdr.device = name
    return Hit(hdr, tag)


# the last line ``accepts`` parsed, so that the block it starts does not parse it again
_last: tuple[str, Hit | None] = ("", None)


def parse_line_cached(text: str) -> Hit | None:
    global _last
    last_text, hit = _last
    if text is last_text or text == last_text:
        return hit
    hit = parse_line(text)
    _last = (text, hit)
    return hit


def _continuation_shape(text: str) -> bool:
    """A wrapped tail: not a new message (no stamp, tag or debug tag), not too long."""
    s = text.strip()
    if not s or len(s) > 300 or "%" in s[:2]:
        return False
    if _stamp_token(s.split(" ", 1)[0]):
        return False
    first = s.split(" ", 1)[0]
    return not first.endswith(":") or len(first) <= 2


class Pending:
    """One message being collected: its first line and the text joined so far."""

    __slots__ = ("cont", "device", "ev", "hit", "lens", "text")

    def __init__(self, ev: Line, hit: Hit, device: str | None) -> None:
        self.ev = ev
        self.hit = hit
        self.text = ev.text
        self.cont = 0
        self.device = device
        self.lens = len(ev.text)  # length of the last physical line


class Collector:
    """Collects our syslog messages (joining wrapped tails) and emits one ``Signal`` each."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.pending: Pending | None = None

    def start(self, ev: Line, hit: Hit) -> None:
        self.flush()
        self.pending = Pending(ev, hit, hit.header.device or self.ctx.device)

    def continues(self, ev: Line) -> bool:
        """Join ``ev`` to the pending message when it is its wrapped tail; True if joined."""
        p = self.pending
        text = ev.text
        if p is None or p.cont >= _MAX_CONT or len(p.text) + len(text) > _MAX_JOIN:
            return False
        if not _continuation_shape(text):
            return False
        s = text.strip()
        if p.lens in WRAP_WIDTHS:  # cut by the terminal, mid-word: glue as is
            p.text = p.text + text.rstrip()
        else:
            indented = text[:1] == " "
            if not indented and (p.lens + 1) not in WRAP_WIDTHS:
                last = p.text.rstrip()[-1:]
                if last in ".!)" or not (s[0].islower() or s[0] in "([" or last == ","):
                    return False
            p.text = p.text.rstrip() + " " + s
        p.lens = len(text.rstrip())
        p.cont += 1
        return True

    def flush(self) -> None:
        p, self.pending = self.pending, None
        if p is None:
            return
        m = read_message(p.hit.tag, p.text)
        self.ctx.emit(
            Signal(
                vendor="cisco",
                family="syslog",
                kind=m.kind,
                reason=m.reason,
                ev=p.ev,
                device=p.device,
                peer=m.peer,
                port=m.port,
                version=m.version,
                time=p.hit.header.time,
                detail=m.detail,
                code=m.code,
            )
        )


class SyslogBlock:
    """Consecutive Cisco syslog lines; a wrapped message is joined before it is read."""

    def __init__(self, ctx: Context) -> None:
        self.collector = Collector(ctx)

    def feed(self, ev: Line) -> bool:
        text = ev.text
        if not text.strip():
            self.collector.flush()
            return False
        if self.collector.continues(ev):
            return True
        self.collector.flush()
        hit = parse_line_cached(text)
        if hit is None:
            return False
        self.collector.start(ev, hit)
        return True

    def close(self) -> None:
        self.collector.flush()


class SyslogParser:
    """``%CRYPTO-*``, ``%IPSEC-*``, ``%IKEV2-*``, crypto hardware and ``%ASA-n-*`` VPN messages."""

    priority = 50

    name = "cisco.syslog"
    vendor = "cisco"
    log_like = True
    hints = ("%", "hw_vpn-")  # every tag holds a "%", except the bare HW_VPN one
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        return parse_line_cached(text) is not None

    def start(self, ctx: Context) -> SyslogBlock:
        return SyslogBlock(ctx)


PARSERS = (SyslogParser,)
