"""strongSwan charon log messages, in every shape charon writes them.

Line shapes (``header.py`` reads the stamp, host and program)::

    Nov 23 20:25:54 11[CFG] <net|1> selected proposal: IKE:AES_CBC_256/...   (charon filelog)
    Nov 23 20:25:54 gw1 charon: 11[IKE] received AUTHENTICATION_FAILED notify error   (syslog)
    2026-11-23T20:25:54.1+00:00 gw1 charon[812]: 11[IKE] ...                 (rsyslog RFC 3339)
    Nov 23 20:25:54 gw1 charon-systemd[812]: received AUTHENTICATION_FAILED notify error
                                                 (journalctl -u strongswan: no thread or group)
    [IKE] initiating IKE_SA net[1] to 198.51.100.2                      (swanctl --log/--initiate)
    May 13 11:50:03 intra charon: 12[IKE1] <C1|3> authentication of ...   (log level in the tag)

A block holds consecutive charon lines (other programs' syslog lines in between are skipped, up to
``MAX_FOREIGN`` in a row, so a negotiation interleaved with other daemons keeps its context).
Context lines yield no fact but tell the peer address (``received packet: from B[500] to A[500]``,
``initiating IKE_SA net[1] to B``, ``B is initiating an IKE_SA``, ``... established between A[..]
...B[..]``), the IKE version and the exchange in progress (``parsed IKE_AUTH response 1 [...]``),
and the proposals compared (``received proposals:`` / ``configured proposals:`` / ``no acceptable
DIFFIE_HELLMAN_GROUP found``), per IKE SA (the ``<name|id>`` prefix of ``ike_name = yes``; without
it, the last one seen).

What becomes a fact (``Signal``, vendor ``strongswan``, family ``charon``): the messages that
name a failure, a teardown or an established SA (``reason`` = the message, without the
``<name|id>`` prefix, whitespace-normalised, at most 200 characters).  Where the message alone
is ambiguous, ``detail`` holds the finer wording the knowledge base keys on:

* ``NO_PROPOSAL_CHOSEN received in IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|Main Mode|Quick Mode``
  (and ``... sent in ...``), ``INVALID_KE_PAYLOAD received in CREATE_CHILD_SA`` (PFS);
* ``IKE proposal differs in DH group (received ECP_256, configured MODP_2048)``,
  ``child proposal differs in encryption (...)``, ... (``proposals.compare``);
* ``no response to IKE_SA_INIT request`` / ``no response to IKE_AUTH request`` /
  ``no response on an established IKE_SA`` for ``giving up after N retransmits``;
* ``IKE version mismatch: received IKEv1, configured IKEv2`` for ``no IKE config found``.

Any other line of the IKE, CFG, CHD, KNL or NET groups that holds a failure word is a signal
with its own wording (reported as unknown unless the knowledge base has it).  Hex dumps (which
at ``ike 4`` can hold key material) are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Line, Signal
from ..base import Context
from ..util import is_digits, is_ip
from . import header
from .proposals import TRANSFORM_TYPES, Proposal, compare, parse_list

VENDOR = "strongswan"
FAMILY = "charon"
MAX_REASON = 200
MAX_FOREIGN = 200
MAX_SAS = 256  # IKE SAs whose context is kept per block
GROUPS = frozenset(
    "DMN MGR IKE CHD JOB CFG KNL NET ASN ENC TNC IMC IMV PTS TLS APP ESP LIB".split()
)
PROGRAMS = frozenset({"charon", "charon-systemd", "charon-nm", "charon-svc", "charon-cmd"})
_V1_EXCHANGES = frozenset(
    {"ID_PROT", "AGGRESSIVE", "QUICK_MODE", "INFORMATIONAL_V1", "TRANSACTION"}
)
_V2_EXCHANGES = frozenset(
    {
        "IKE_SA_INIT",
        "IKE_AUTH",
        "CREATE_CHILD_SA",
        "INFORMATIONAL",
        "IKE_INTERMEDIATE",
        "IKE_FOLLOWUP_KE",
        "IKE_SESSION_RESUME",
    }
)
_EXCHANGE_NAMES = {
    "ID_PROT": "Main Mode",
    "AGGRESSIVE": "Aggressive Mode",
    "QUICK_MODE": "Quick Mode",
}
_FAILURE_WORDS = (
    "fail",
    "error",
    "unacceptable",
    "inacceptable",
    "invalid",
    "mismatch",
    "not found",
    "unable",
    "refused",
    "rejected",
    "giving up",
    "timed out",
    "timeout",
    "denied",
    "not supported",
    "unsupported",
    "not responding",
    "does not match",
    "disabled",
    "could not",
)
_ERROR_GROUPS = frozenset({"IKE", "CFG", "CHD", "KNL", "NET", "MGR", "ENC"})


@dataclass
class Parsed:
    """One charon line, split."""

    time: str | None
    host: str | None
    group: str | None  # "IKE", "CFG", ... (None: the journal's untagged form)
    sa: str | None  # the IKE SA key from "<name|id>" (the id), None without it
    name: str | None  # the connection name from "<name|id>"
    msg: str


def _tag_at(text: str, i: int) -> tuple[str, int] | None:
    """``11[IKE]``, ``[IKE]``, ``12[IKE1]`` at ``i`` -> (group, index after the tag)."""
    j = i
    n = len(text)
    while j < n and j - i < 3 and is_digits(text[j]):
        j += 1
    if j >= n or text[j] != "[":
        return None
    close = text.find("]", j + 1, j + 8)
    if close == -1:
        return None
    group = text[j + 1 : close].rstrip("0123456789")
    if group not in GROUPS:
        return None
    return group, close + 1


def parse(text: str) -> Parsed | None:
    """Split a charon line; None when ``text`` is not one."""
    if "[" not in text[: header.HEAD] and "charon" not in text[: header.HEAD]:
        return None
    h = header.split(text)
    tag = _tag_at(text, h.rest)
    if tag is None:
        if h.program not in PROGRAMS:
            return None
        group, i = None, h.rest
    else:
        if h.program is not None and h.program not in PROGRAMS and h.program != "ipsec":
            return None
        group, i = tag
    msg = text[i:].strip()
    sa = name = None
    if msg.startswith("<"):
        close = msg.find(">", 1, 80)
        if close != -1:
            inner = msg[1:close]
            name, bar, uid = inner.rpartition("|")
            if not bar:
                name, uid = None, inner
            if is_digits(uid):
                sa = uid
                msg = msg[close + 1 :].strip()
            else:
                name = None
    return Parsed(h.time, h.host, group, sa, name, msg)


def _hexdump(msg: str) -> bool:
    """``   0: 6A 45 ...  jE..`` (a %B dump line) or ``=> 32 bytes @ 0x...`` headers' lines."""
    s = msg.lstrip()
    head, sep, rest = s.partition(": ")
    if not sep or not is_digits(head):
        return False
    return len(rest) >= 2 and all(c in "0123456789ABCDEFabcdef" for c in rest[:2])


def _addr(tok: str) -> tuple[str | None, int | None]:
    """``198.51.100.2[500]`` / ``198.51.100.2`` / ``198.51.100.2[id]`` -> (address, port)."""
    tok = tok.strip(" ,'")
    host, sep, rest = tok.partition("[")
    if not is_ip(host):
        return None, None
    port = rest.rstrip("]")
    return host, int(port) if sep and is_digits(port) and len(port) <= 5 else None


def _between(msg: str, key: str) -> str | None:
    """The remote address of ``... between A[ida]...B[idb]``."""
    i = msg.find(key)
    if i == -1:
        return None
    rest = msg[i + len(key) :].strip()
    j = rest.rfind("...")
    if j == -1:
        return None
    host, _ = _addr(rest[j + 3 :].split(" ", 1)[0])
    return host


def _squash(text: str) -> str:
    return " ".join(text[: MAX_REASON * 3].split())[:MAX_REASON]


def _exchange_label(exchange: str | None, default: str) -> str:
    if not exchange:
        return default
    return _EXCHANGE_NAMES.get(exchange, exchange)


def _version_of(exchange: str) -> str | None:
    if exchange in _V1_EXCHANGES:
        return "v1"
    if exchange in _V2_EXCHANGES:
        return "v2"
    return None


@dataclass
class SaContext:
    """What the lines so far tell about one IKE SA."""

    peer: str | None = None
    port: int | None = None
    version: str | None = None
    exchange: str | None = None  # the last exchange parsed or generated
    request: str | None = None  # the last request this end generated
    received: list[Proposal] = field(default_factory=list)
    configured: list[Proposal] = field(default_factory=list)
    compared: list[Line] = field(default_factory=list)  # the two lines above, as evidence
    refused: list[str] = field(default_factory=list)  # "no acceptable X found" classes
    established: bool = False
    nat: bool = False  # NAT detected between the peers
    ts_us: list[str] | None = None  # "proposing traffic selectors for us:" (None: not seen)
    ts_listing: str | None = None  # which list the following lines belong to
    received_v: str | None = None  # version of the last request received


class CharonBlock:
    """Consecutive charon lines; see the module docstring."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sas: dict[str | None, SaContext] = {}
        self.last: SaContext = SaContext()
        self.foreign = 0
        self.conf_versions: set[str] = set()

    # -- context -----------------------------------------------------------------------------
    def _sa(self, key: str | None) -> SaContext:
        if key is None:
            return self.last
        sa = self.sas.get(key)
        if sa is None:
            if len(self.sas) >= MAX_SAS:
                self.sas.clear()
            sa = self.sas[key] = SaContext(
                peer=self.last.peer, port=self.last.port, version=self.last.version
            )
        self.last = sa
        return sa

    def _emit(
        self,
        p: Parsed,
        ev: Line,
        sa: SaContext,
        kind: str,
        detail: str | None = None,
        version: str | None = None,
        reason: str | None = None,
        extra: tuple[Line, ...] = (),
    ) -> None:
        self.ctx.emit(
            Signal(
                vendor=VENDOR,
                family=FAMILY,
                kind=kind,
                reason=reason or _squash(p.msg),
                ev=ev,
                device=p.host or self.ctx.device,
                peer=sa.peer,
                port=sa.port,
                version=version or sa.version,
                time=p.time,
                detail=detail,
                extra=extra,
            )
        )

    # -- Block protocol ----------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        text = ev.text
        if not text.strip():
            return True
        p = parse(text)
        if p is None:
            h = header.split(text)
            if h.program is not None and h.host is not None and self.foreign < MAX_FOREIGN:
                self.foreign += 1  # another program's syslog line between charon's
                return True
            return False
        self.foreign = 0
        if p.msg and not _hexdump(p.msg):
            self._handle(p, ev)
        return True

    def close(self) -> None:
        pass

    # -- messages ----------------------------------------------------------------------------
    def _handle(self, p: Parsed, ev: Line) -> None:
        msg = p.msg
        low = msg.lower()
        sa = self._sa(p.sa)
        g = p.group
        # -- context ------------------------------------------------------------------------
        if low.startswith(("received packet: from ", "sending packet: from ")):
            parts = msg.split(" ")
            if len(parts) >= 6:
                which = parts[3] if low.startswith("received") else parts[5]
                host, port = _addr(which)
                if host:
                    sa.peer, sa.port = host, port
            return
        if low.startswith(("parsed ", "generating ")) and (
            " request " in low or " response " in low
        ):
            words = msg.split(" ", 3)
            if len(words) >= 3:
                exchange = words[1]
                sa.exchange = exchange
                v = _version_of(exchange)
                if v:
                    sa.version = v
                if words[0] == "generating" and words[2] == "request":
                    sa.request = exchange
                if words[0] == "parsed" and words[2] == "request":
                    sa.received_v = v
            return
        if low.startswith("initiating ") and " ike_sa " in low and " to " in low:
            host, _ = _addr(msg.rsplit(" ", 1)[-1])
            if host:
                sa.peer = host
            sa.version = "v1" if " mode " in low else "v2"
            return
        if " is initiating " in low and "ike_sa" in low:
            host, _ = _addr(msg.split(" ", 1)[0])
            if host:
                sa.peer = host
            sa.version = "v1" if " mode " in low else "v2"
            return
        if low.startswith("looking for peer configs matching "):
            host = _between(msg, "matching ")
            if host:
                sa.peer = host
            return
        if low.startswith("received proposals: "):
            sa.received = parse_list(msg[len("received proposals: ") :])
            sa.compared = [ev]
            return
        if low.startswith("configured proposals: "):
            sa.configured = parse_list(msg[len("configured proposals: ") :])
            sa.compared = [*sa.compared[:1], ev]
            return
        if low.startswith(("remote host is behind nat", "local host is behind nat")):
            sa.nat = True
            return
        if low.startswith("selecting proposal:"):
            sa.refused = []
            return
        if low.startswith("no acceptable ") and low.endswith(" found"):
            word = msg[len("no acceptable ") : -len(" found")]
            cls = TRANSFORM_TYPES.get(word)
            if cls is not None:
                if cls not in sa.refused:
                    sa.refused.append(cls)
                return
        if low.startswith(("proposal matches", "selected proposal:")):
            sa.refused = []
            return
        if low.startswith("proposing traffic selectors for "):
            sa.ts_us = [] if low.endswith("for us:") else sa.ts_us
            sa.ts_listing = "us" if low.endswith("for us:") else "other"
            return
        if sa.ts_listing is not None:
            first = msg.split(" ", 1)[0]
            if is_digits(first[:1]) or ":" in first:
                if sa.ts_listing == "us" and sa.ts_us is not None:
                    sa.ts_us.append(first)
                return
            sa.ts_listing = None
        if g == "CFG" and low.startswith("version = ") and is_digits(low[10:].strip()):
            self.conf_versions.add(low[10:].strip())
            return
        # -- established / teardown ------------------------------------------------------------
        if low.startswith("ike_sa ") and " established between " in low:
            host = _between(msg, " between ")
            if host:
                sa.peer = host
            sa.established = True
            self._emit(p, ev, sa, "state", reason="IKE_SA established")
            return
        if low.startswith("child_sa ") and " established with spis " in low:
            self._emit(p, ev, sa, "state", reason="CHILD_SA established")
            return
        if low.startswith("deleting ike_sa ") and " between " in low:
            host = _between(msg, " between ")
            if host:
                sa.peer = host
            self._emit(p, ev, sa, "teardown", reason="deleting IKE_SA")
            return
        if low.startswith("received delete for ike_sa "):
            self._emit(p, ev, sa, "teardown", reason="received DELETE for IKE_SA")
            return
        # -- failures --------------------------------------------------------------------------
        if low.startswith("received ") and (
            low.endswith(" notify error") or low.endswith(" error notify")
        ):
            notify = msg.split(" ")[1]
            detail = None
            if notify in ("NO_PROPOSAL_CHOSEN", "INVALID_ID_INFORMATION"):
                default = "IKE_SA_INIT" if low.endswith(" notify error") else "Main Mode"
                exchange = sa.exchange
                if exchange in (None, "INFORMATIONAL_V1", "INFORMATIONAL"):
                    exchange = sa.request  # the request the notification answers
                where = _exchange_label(exchange, default)
                detail = f"{notify} received in {where}"
            elif notify == "AUTHENTICATION_FAILED" and sa.request == "AGGRESSIVE":
                # refused in answer to the first Aggressive Mode message: the peer would not
                # even compute the exchange (strongSwan refuses Aggressive Mode with PSK)
                detail = "AUTHENTICATION_FAILED received in Aggressive Mode"
            version = "v1" if low.endswith(" error notify") else "v2"
            self._emit(p, ev, sa, "notify", detail, version=version)
            return
        if low.startswith("received ") and low.endswith(" notify, no child_sa built"):
            notify = msg.split(" ")[1]
            detail = None
            if notify in ("NO_PROPOSAL_CHOSEN", "INVALID_KE_PAYLOAD", "TS_UNACCEPTABLE"):
                detail = f"{notify} received in {_exchange_label(sa.exchange, 'IKE_AUTH')}"
                if notify == "TS_UNACCEPTABLE" and sa.nat:
                    detail += " across NAT"
            self._emit(p, ev, sa, "notify", detail, version="v2")
            return
        if low.startswith("peer didn't accept dh group "):
            detail = None
            if sa.exchange == "CREATE_CHILD_SA":
                detail = "INVALID_KE_PAYLOAD received in CREATE_CHILD_SA"
            self._emit(p, ev, sa, "notify", detail, version="v2")
            return
        if low.startswith("dh group ") and ", requesting " in low:
            detail = None
            if sa.exchange == "CREATE_CHILD_SA":
                detail = "INVALID_KE_PAYLOAD sent in CREATE_CHILD_SA"
            self._emit(p, ev, sa, "ike-failure", detail)
            return
        if (
            low.startswith(("received proposals unacceptable", "received proposals inacceptable"))
            or low.startswith("no acceptable proposal found")
            or low.startswith("no proposal found")
            or low.startswith("no matching proposal found")
        ):
            compared = tuple(sa.compared)  # cite the proposals the detail compares
            self._emit(p, ev, sa, "ike-failure", self._proposal_detail(sa), extra=compared)
            return
        if low.startswith("aggressive mode psk") and low.endswith("for security reasons"):
            # "Aggressive Mode PSK disabled for security reasons" (redaction may have masked
            # the word after PSK: the knowledge base keys on the detail)
            self._emit(p, ev, sa, "ike-failure", "Aggressive Mode pre-shared key refused", "v1")
            return
        if "but none allows pre-shared key authentication using aggressive mode" in low:
            self._emit(p, ev, sa, "ike-failure", "Aggressive Mode pre-shared key refused", "v1")
            return
        if low.startswith(("constraint requires ", "constraint check failed")) or (
            low.startswith("selected peer config ") and "non-matching authentication" in low
        ):
            self._emit(p, ev, sa, "ike-failure")
            return
        if low.startswith("traffic selectors ") and low.endswith(("unacceptable", "inacceptable")):
            detail = None
            if sa.ts_us == []:
                detail = "traffic selectors unacceptable, none proposed for this end"
            sa.ts_us = None
            self._emit(p, ev, sa, "ike-failure", detail)
            return
        if low.startswith("no ike config found for "):
            self._emit(p, ev, sa, "ike-failure", self._config_detail(sa))
            return
        if (low.startswith("giving up after ") and "retransmit" in low) or (
            low.startswith("establishing ike_sa failed, peer not responding")
        ):
            if sa.established:
                detail = "no response on an established IKE_SA"
            else:
                detail = f"no response to {_exchange_label(sa.request, 'IKE_SA_INIT')} request"
            self._emit(p, ev, sa, "ike-failure", detail)
            return
        if low.startswith("received retransmit of request with id"):
            self._emit(p, ev, sa, "debug", reason=_squash(msg.split(",", 1)[0]))
            return
        if low.startswith(("retransmit ", "sending retransmit ")) and " of request" in low:
            return  # normal until "giving up"
        if g is None or g in _ERROR_GROUPS:
            if any(w in low for w in _FAILURE_WORDS) or low.startswith("no "):
                if low.startswith(("failed to establish child_sa", "establishing child_sa")):
                    detail = None
                    if sa.received and sa.received[0].protocol != "IKE":
                        detail = self._proposal_detail(sa)
                    self._emit(p, ev, sa, "ike-failure", detail)
                    return
                self._emit(p, ev, sa, "ike-failure")

    def _proposal_detail(self, sa: SaContext) -> str | None:
        """What differs in the proposals just refused, as a knowledge-base wording."""
        in_auth = sa.exchange in ("IKE_AUTH", "QUICK_MODE") or (
            sa.exchange is None and bool(sa.received) and sa.received[0].protocol != "IKE"
        )
        detail = compare(
            sa.received, sa.configured, child_in_auth=in_auth and sa.exchange != "QUICK_MODE"
        )
        if detail is None and sa.refused:
            proto = "IKE" if not sa.received or sa.received[0].protocol == "IKE" else "child"
            what = sa.refused[0]
            if proto == "child" and what == "DH group":
                what = "DH group (PFS)"
            detail = f"{proto} proposal differs in {what}"
        if detail is None and sa.exchange:
            where = _exchange_label(sa.exchange, "")
            detail = f"NO_PROPOSAL_CHOSEN sent in {where}"
        sa.received, sa.configured, sa.refused, sa.compared = [], [], [], []
        return detail

    def _config_detail(self, sa: SaContext) -> str | None:
        got = sa.received_v
        if got and self.conf_versions and "0" not in self.conf_versions:
            conf = {f"v{v}" for v in self.conf_versions}
            if got not in conf:
                want = "/".join(sorted(f"IKE{v}" for v in conf))
                return f"IKE version mismatch: received IKE{got}, configured {want}"
        return None


class CharonParser:
    """charon log lines (syslog, journal, filelog, ``swanctl --log``)."""

    priority = 40
    name = "strongswan.charon"
    vendor = VENDOR
    log_like = True
    # a group tag ("[IKE]", "[CFG1]"), or the journal's untagged "charon-systemd[1]:"
    hints = (*(f"[{g.lower()}" for g in sorted(GROUPS)), "charon")
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        return parse(text) is not None

    def start(self, ctx: Context) -> CharonBlock:
        return CharonBlock(ctx)


PARSERS = (CharonParser,)
