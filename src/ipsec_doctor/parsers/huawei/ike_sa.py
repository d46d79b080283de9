"""``display ike sa [remote A | verbose ...]``: which IKE/IPsec SAs exist, per peer.

Table layout (AR, USG and NE variants), rows seen in the reference documents (seed 002 cases,
seed 003 cases) and product manuals::

    Conn-ID Peer VPN Flag(s) Phase
    1342 1.1.1.1 NEG|A v2:1                                    (AR, VPN column empty)
     151003222  2.1.1.1:500                       NEG|A       v1:2   (USG, peer with port)
     1342      0.0.0.0                         RD|A                 v2:1  (template, no peer yet)
       16      202.38.0.2      0     RD|ST                  2          (older AR: VPN 0, phase only)
    117477244     10.100.1.1/4500 vrf1  RD|M      v2:2    IP          10.100.1.1
                                                       (USG with RemoteType / RemoteID columns)
     1342    0.0.0.0                RDJA    v1:1        (seed 002 4.1.2: flags garbled in print)
     1342    0.0.0.0                        v1:1        (negotiation failed: empty flags)

Around the rows: ``IKE SA information :``, the column header, ``Number of IKE SA : N``, NE
headers (``current sa Num :2``, ``Single-homing :2 ...``, ``Spu board slot 1, IKE SA
Information:``, ``Current IKE SA number: 2``) and the flag legend, with or without its ``Flag
Description:`` title (``RD--READY ST--STAYALIVE ...``).

Verbose layout (``display ike sa verbose [remote A | connection-id N]``): one ``Key : value``
block per SA, blocks separated by dashed lines that may also appear inside a block.  Keys vary
by product and release; the ones read (case, ``-``/``_`` and spacing ignored, a parenthesised
unit such as ``(sec)`` dropped)::

    Connection ID / Conn-ID / Ike Sa Connection Id        -> conn_id
    IKE Peer Name / Peer Name / Profile                   -> peer_name
    Version / IKE Version                                 -> version  ("v1" / "v2")
    VPN / Peer VPN / Outside VPN / Outbound VPN           -> vpn
    Flow VPN / Inside VPN / Inbound VPN                   -> flow_vpn
    Initiator Cookie / Initiator SPI, Responder ...       -> initiator_cookie, responder_cookie
    Local Address / Local IP (+ Local Port)               -> local, local_port
    Remote Address / Remote IP / Peer Address (+ port)    -> peer, port
    Transmitting entity / Role                            -> role ("initiator" / "responder")
    Exchange mode / Exchange-mode / Negotiation mode      -> exchange_mode ("main" ...)
    Authentication (method), Authentication algorithm, Integrity algorithm, PRF algorithm,
    Encryption algorithm, DH group / Diffie-Hellman group -> auth_method, auth_alg, ...
    SA Duration / Life duration / Lifetime (sec)          -> lifetime
    Remaining Time / Remaining key duration (sec)         -> remaining
    Flag / Flag(s), Phase, Status                         -> flags, phase, status
    NAT traversal / NAT-Traversal                         -> nat_traversal (bool)
    DPD / DPD status                                      -> dpd (as printed)
    Local ID type, Local ID, Remote ID type, Remote ID    -> local_id_type, ...

Facts: one ``IkeSa`` per table row, one ``IkeSaDetail`` per verbose block, and one ``IkeSaTable``
per command output (also when it is empty, which is itself evidence: no SA at all; ``filter``
says when the command asked about one peer or connection only).  The table cites the prompt
line that typed the command when the scanner gives it (else the output's first line), so a
prompt followed directly by the next prompt is an empty table cited at that prompt; the printed
total keeps its own line in ``lines``.  Output that is neither layout (another command's output
pasted under this prompt, an ``Error:`` line) gives an ``Unparsed`` fact instead of an empty
table; output flattened onto the prompt line (``output_on_prompt_line``) is not read and gives
no table at all.  Flags: RD ready, ST stay-alive (the local end initiated), RL
replaced, FD fading, TO timeout, HRT heartbeat, LKG last known good, BCK backed up, M active,
S standby, A alone, NEG negotiating.  Phase 1 rows are IKE SAs, phase 2 rows IPsec SAs.
"""

from __future__ import annotations

from ...model import Line, State, Unparsed
from ..base import Context
from ..util import is_digits, is_ip

FLAGS = frozenset({"RD", "ST", "RL", "FD", "TO", "HRT", "LKG", "BCK", "M", "S", "A", "NEG"})


class IkeSa(State, kw_only=True):
    """One row: an SA with one peer in one phase."""

    conn_id: int
    peer: str  # address without port; "0.0.0.0" when the peer is not known yet
    port: int | None = None
    vpn: str | None = None
    flags: tuple[str, ...] = ()
    flags_text: str | None = None  # the flag column as printed (set even when unreadable)
    version: str | None = None  # "v1" / "v2" when printed
    phase: int | None = None  # 1 = IKE SA, 2 = IPsec SA
    remote_id_type: str | None = None  # USG RemoteType / RemoteID columns
    remote_id: str | None = None

    @property
    def ready(self) -> bool:
        return "RD" in self.flags

    @property
    def negotiating(self) -> bool:
        return "NEG" in self.flags


class IkeSaDetail(State, kw_only=True):
    """One block of ``display ike sa verbose``; every field is None when not printed."""

    conn_id: int | None = None
    peer_name: str | None = None
    version: str | None = None  # "v1" / "v2"
    phase: int | None = None
    flags: tuple[str, ...] = ()
    status: str | None = None
    vpn: str | None = None  # VPN instance of the peer (outside)
    flow_vpn: str | None = None  # VPN instance of the protected flows (inside)
    peer: str | None = None
    port: int | None = None
    local: str | None = None
    local_port: int | None = None
    role: str | None = None  # "initiator" / "responder"
    exchange_mode: str | None = None  # "main" / "aggressive" (IKEv1)
    initiator_cookie: str | None = None
    responder_cookie: str | None = None
    auth_method: str | None = None  # "PRE-SHARED-KEY", "RSA-SIG", ...
    auth_alg: str | None = None
    integrity_alg: str | None = None
    prf_alg: str | None = None
    encryption_alg: str | None = None
    dh_group: str | None = None
    lifetime: int | None = None  # seconds
    remaining: int | None = None  # seconds left
    nat_traversal: bool | None = None
    dpd: str | None = None  # as printed
    local_id_type: str | None = None
    local_id: str | None = None
    remote_id_type: str | None = None
    remote_id: str | None = None

    @property
    def ready(self) -> bool:
        return "RD" in self.flags

    @property
    def negotiating(self) -> bool:
        return "NEG" in self.flags


class IkeSaTable(State, kw_only=True):
    """The whole output: how many SA records it had (0 = no SA at all) and the printed total."""

    rows: int = 0  # table rows or verbose blocks
    total: int | None = None  # "Number of IKE SA : N"
    layout: str = "table"  # "table" / "verbose"
    filter: str | None = None  # "remote 2.1.1.1", "| include NEG" ...: the output is partial


# -- small helpers shared with ipsec_sa.py ------------------------------------------------------


def split_addr_port(tok: str) -> tuple[str, int | None] | None:
    """``1.1.1.1``, ``1.1.1.1:500``, ``1.1.1.1/4500``, ``[2001:db8::1]:500``; None otherwise."""
    tok = tok.strip()
    if is_ip(tok):
        return tok, None
    for sep in (":", "/"):
        host, found, port = tok.rpartition(sep)
        host = host.strip()
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if found and is_digits(port) and len(port) <= 5 and is_ip(host):
            return host, int(port)
    return None


_YES = ("enable", "yes", "y", "true", "on", "detected", "support")
_NO = ("disable", "no", "n", "false", "off", "not", "none", "unsupport")


def yes_no(value: str) -> bool | None:
    """``Y``/``N``, ``Enable``/``Disable``, ``Yes``, ``Not detected`` ... as a bool."""
    word = value.strip().lower().replace("-", " ").split(" ", 1)[0].rstrip(".,;")
    if word in _NO or word.startswith("disable"):
        return False
    if word in _YES or word.startswith("enable"):
        return True
    return None


def first_int(value: str) -> int | None:
    """The leading integer of ``value`` (``86400``, ``86379 (seconds)``); None if there is none."""
    head = value.strip().split(" ", 1)[0]
    return int(head) if is_digits(head) and len(head) <= 20 else None


def norm_key(key: str) -> tuple[str, str]:
    """``SA remaining key duration (kilobytes/sec)`` -> (``sa remaining key duration``,
    ``kilobytes/sec``): lower case, ``-``/``_`` as blanks, single blanks, unit apart."""
    unit = ""
    base = key
    if key.endswith(")") and "(" in key:
        base, _, unit = key[:-1].rpartition("(")  # "Flag(s)" -> "flag" too
        if not base.strip():
            base, unit = key, ""
    base = base.lower().replace("-", " ").replace("_", " ")
    return " ".join(base.split()), unit.strip().lower()


def key_value_line(text: str, max_key: int = 48) -> tuple[str, str] | None:
    """``Key : value`` where the key looks like a field name (starts with a letter, at most
    ``max_key`` characters, no sentence punctuation); None otherwise."""
    key, sep, value = text.partition(":")
    if not sep:
        return None
    key = key.strip()
    if not key or len(key) > max_key or not key[0].isalpha():
        return None
    for ch in key:
        if not (ch.isalnum() or ch in " -_()/.'"):
            return None
    return key, value.strip()


def is_separator(text: str) -> bool:
    """A rule line (``-----``, ``=====``), a markdown fence, or elided output (``.....``)."""
    if text.startswith("```"):
        return True
    head = text[:1]
    if head not in ("-", "=", ".", "…"):
        return False
    body = text.replace(" ", "")
    if head in ("-", "="):
        return len(body) >= 3 and body.strip(head) == ""
    return body.strip(".…") == ""


def command_filter(command: str, skip: int, words: tuple[str, ...]) -> str | None:
    """What restricts the output of ``command``: its arguments after the first ``skip`` tokens,
    without ``words`` (layout keywords such as ``verbose``), and any output filter (``| include
    NEG``).  None when the output is complete, so that an empty one means "nothing at all"."""
    body, pipe, rest = command.partition("|")
    toks = body.split()[skip:]
    kept = [t for t in toks if not (len(t) >= 2 and any(w.startswith(t.lower()) for w in words))]
    if pipe and rest.strip():
        kept.append("| " + " ".join(rest.split()))
    return " ".join(kept) or None


def output_on_prompt_line(command: str) -> bool:
    """True when ``command``, as typed at the prompt, also holds the command's output flattened
    onto the prompt line (seed 001 prints its samples so: ``<sysname> display ike peer name
    peer1 ------ Peer name : peer1 ...``): a rule or elision token (``-----``, ``=====``,
    ``......``) or a ``Key :`` token ending with a colon that is not an address.  No argument of
    a display command looks like that.  Such an output is not read, and it is not empty either:
    a block that read nothing after such a prompt must not report "nothing there"."""
    for tok in command.split():
        if len(tok) >= 3 and not tok.strip("-=.…"):
            return True
        if tok.endswith(":") and not is_ip(tok):
            return True
    return False


# -- table rows ---------------------------------------------------------------------------------


def _flag_tuple(tok: str) -> tuple[str, ...] | None:
    parts = [p for p in tok.split("|") if p]
    if parts and all(p.upper() in FLAGS for p in parts):
        return tuple(p.upper() for p in parts)
    return None


def _version_phase(tok: str) -> tuple[str, int] | None:
    ver, sep, ph = tok.partition(":")
    if sep and ver[:1] in "vV" and is_digits(ver[1:]) and is_digits(ph) and len(ph) <= 2:
        return ver.lower(), int(ph)
    return None


def parse_row(tokens: list[str]) -> dict | None:
    """``conn-id peer [vpn] [flags] phase [remote-type remote-id]``; None if not a row.

    A row needs its flag column or a ``vN:phase`` column; a column between the peer and the
    phase that is neither a flag set nor a VPN name (``RDJA``) is kept as ``flags_text``."""
    if len(tokens) < 3 or not is_digits(tokens[0]) or len(tokens[0]) > 12:
        return None
    peer = split_addr_port(tokens[1])
    if peer is None:
        return None
    out: dict = {"conn_id": int(tokens[0]), "peer": peer[0], "port": peer[1]}
    flags: tuple[str, ...] | None = None
    middle: list[str] = []  # tokens between the peer and the flags/phase
    after: list[str] = []  # tokens after the version:phase column
    seen_phase = False
    for tok in tokens[2:]:
        if seen_phase:
            after.append(tok)
            continue
        vp = _version_phase(tok)
        if vp is not None:
            out["version"], out["phase"] = vp
            seen_phase = True
            continue
        parsed = _flag_tuple(tok) if flags is None else None
        if parsed is not None:
            flags = parsed
            out["flags_text"] = tok
        elif tok in ("1", "2") and flags is not None and "phase" not in out:
            out["phase"] = int(tok)
        elif flags is None:
            middle.append(tok)
        else:
            after.append(tok)
    if flags is None and not seen_phase:
        return None
    if flags is None and middle and middle[-1].isalpha() and middle[-1].isupper():
        out["flags_text"] = middle.pop()  # an unreadable flag column
    if middle:
        out["vpn"] = None if middle[0] in ("-", "0") else middle[0]
    if seen_phase and after:
        out["remote_id_type"] = after[0]
        out["remote_id"] = " ".join(after[1:]) or None
    out["flags"] = flags or ()
    return out


def _wrapped_remote_id(tokens: list[str], row: dict) -> bool:
    """``IP 10.100.1.1`` or ``10.100.1.1`` alone after a row cut before its RemoteID: complete
    ``row`` and return True; False when the line is something else."""
    if len(tokens) == 2 and row.get("remote_id_type") is None and tokens[0].isupper():
        row["remote_id_type"], row["remote_id"] = tokens
        return True
    if len(tokens) == 1 and (is_ip(tokens[0]) or any(c in tokens[0] for c in ".@=")):
        row["remote_id"] = tokens[0]
        return True
    return False


def _is_flag_legend(text: str) -> bool:
    head, sep, _ = text.partition("--")
    return bool(sep) and head.strip().upper() in FLAGS


# -- verbose keys -------------------------------------------------------------------------------

_DETAIL_KEYS: dict[str, str] = {}
for _field, _names in {
    "conn_id": ("connection id", "conn id", "connid", "ike sa connection id", "connection"),
    "peer_name": ("ike peer name", "peer name", "ike peer", "profile", "ike profile"),
    "version": ("version", "ike version"),
    "vpn": ("vpn", "peer vpn", "outside vpn", "outbound vpn", "vpn instance"),
    "flow_vpn": ("flow vpn", "inside vpn", "inbound vpn"),
    "initiator_cookie": ("initiator cookie", "initiator spi"),
    "responder_cookie": ("responder cookie", "responder spi"),
    "local": ("local address", "local ip", "local ip address", "local"),
    "local_port": ("local port",),
    "peer": (
        "remote address",
        "remote ip",
        "remote ip address",
        "peer address",
        "peer ip address",
        "peer ip",
        "remote",
        "peer",
    ),
    "port": ("remote port", "peer port"),
    "role": ("transmitting entity", "role", "negotiation role"),
    "exchange_mode": (
        "exchange mode",
        "exchange type",
        "negotiation mode",
        "ike negotiation mode",
    ),
    "auth_method": ("authentication", "authentication method", "auth method"),
    "auth_alg": ("authentication algorithm", "auth algorithm", "hash algorithm"),
    "integrity_alg": ("integrity algorithm",),
    "prf_alg": ("prf algorithm", "prf"),
    "encryption_alg": ("encryption algorithm", "encryption"),
    "dh_group": ("dh group", "diffie hellman group", "dh"),
    "lifetime": ("sa duration", "life duration", "lifetime", "duration", "sa lifetime"),
    "remaining": (
        "remaining time",
        "remaining key duration",
        "remaining lifetime",
        "remaining duration",
    ),
    "flags": ("flag", "flags", "flag(s)"),
    "phase": ("phase",),
    "status": ("status", "state"),
    "nat_traversal": ("nat traversal", "nat traversal enabled", "nat t", "nat"),
    "dpd": ("dpd", "dpd status", "dpd capable", "dpd configuration"),
    "local_id_type": ("local id type",),
    "local_id": ("local id", "local identifier"),
    "remote_id_type": ("remote id type",),
    "remote_id": ("remote id", "remote identifier"),
}.items():
    for _name in _names:
        _DETAIL_KEYS[_name] = _field

_INT_FIELDS = frozenset({"conn_id", "local_port", "port", "lifetime", "remaining"})


def _detail_value(field: str, value: str, unit: str) -> object:
    """Typed value of one verbose field (None when the device printed nothing usable)."""
    value = value.strip()
    if value in ("", "-", "--", "N/A", "n/a"):
        return None
    if field in _INT_FIELDS:
        if field in ("lifetime", "remaining") and unit and not unit.startswith("s"):
            return None  # a traffic lifetime (kilobytes), not seconds
        return first_int(value)
    if field == "flags":
        return _flag_tuple(value.split()[0]) or ()
    if field == "phase":
        vp = _version_phase(value)
        return vp[1] if vp else first_int(value)
    if field == "version":
        v = value.lower().replace("ikev", "v").split()[0]
        return v if v.startswith("v") else f"v{v}" if is_digits(v) else v
    if field == "nat_traversal":
        return yes_no(value)
    if field == "role":
        low = value.lower()
        return "initiator" if "initiat" in low else "responder" if "respond" in low else low
    if field == "exchange_mode":
        return value.lower().split()[0]
    return value


# -- the block ----------------------------------------------------------------------------------

_SKIP = (
    "ike sa information",
    "spu board",
    "single-homing",
    "none-backup",
    "ike sa verbose",
)
_TOTALS = ("number of ike sa", "current ike sa number", "current sa num", "ike sa number")
# Fields that can open a verbose block (weaker ones only count inside one).
_OPENERS = frozenset(
    {"conn_id", "peer_name", "peer", "local", "initiator_cookie", "flags", "vpn", "flow_vpn"}
)


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows = 0
        self.total: int | None = None
        self.first: Line | None = None
        self.total_line: Line | None = None
        self.in_flags = False
        self.seen = False  # a line of this command's output was recognised
        self.rules = False  # a rule line was seen (the output is device output)
        self.foreign: Line | None = None  # the output is not this command's
        self.verbose = False
        self.record: dict[str, object] = {}
        self.record_lines: dict[str, Line] = {}
        self.record_ev: Line | None = None
        self.filter = command_filter(ctx.command, 3, ("verbose",))
        toks = ctx.command.split("|", 1)[0].lower().split()
        self.verbose_cmd = any(len(t) >= 2 and "verbose".startswith(t) for t in toks[3:])
        self.remote_cols = False  # the header has RemoteType / RemoteID columns
        self.pending: tuple[dict, Line] | None = None  # a row whose RemoteID may wrap

    # -- verbose records ----------------------------------------------------------------------
    def _flush(self) -> None:
        rec, ev = self.record, self.record_ev
        lines = self.record_lines
        self.record, self.record_lines, self.record_ev = {}, {}, None
        if ev is None or not any(k in rec for k in ("conn_id", "peer", "peer_name", "flags")):
            return
        self.rows += 1
        self.ctx.emit(
            IkeSaDetail(
                vendor="huawei",
                family="ike-sa-detail",
                ev=ev,
                device=self.ctx.device,
                lines=lines,
                **rec,  # type: ignore[arg-type]
            )
        )

    def _verbose_field(self, ev: Line, key: str, value: str) -> bool:
        base, unit = norm_key(key)
        field = _DETAIL_KEYS.get(base)
        if field is None or (not self.verbose and field not in _OPENERS):
            if not self.verbose:
                return False
            if self.record_ev is None:
                self.record_ev = ev
            return True  # an unknown field of a verbose block
        if field in self.record_lines:
            self._flush()
        self.verbose = True
        if self.record_ev is None:
            self.record_ev = ev
        if field in ("peer", "local"):
            addr = split_addr_port(value.split()[0]) if value.split() else None
            self.record_lines[field] = ev
            if addr is None:
                return True
            self.record[field] = addr[0]
            if addr[1] is not None:
                port_field = "port" if field == "peer" else "local_port"
                self.record[port_field] = addr[1]
                self.record_lines[port_field] = ev
            return True
        typed = _detail_value(field, value, unit)
        self.record_lines[field] = ev
        if typed is not None:
            self.record[field] = typed
        return True

    # -- Block protocol -----------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if self.first is None:
            self.first = ev
        if not text:
            return True
        if is_separator(text):
            self.rules = self.rules or text[:1] in "-="
            return True
        low = text.lower()
        if low.startswith(_TOTALS):
            n = first_int(text.partition(":")[2])
            if n is not None and self.total is None:
                self.total, self.total_line = n, ev
            self.seen = True
            return True
        if low.startswith(_SKIP) or (low.startswith("conn-id") and ":" not in low):
            self.seen = True
            self.remote_cols = self.remote_cols or "remoteid" in low.replace(" ", "")
            return True
        if low.startswith("flag description") or _is_flag_legend(text):
            self.in_flags = self.seen = True
            return True
        if self.in_flags and "--" in text:
            return True
        self.in_flags = False
        tokens = text.split()
        pending, self.pending = self.pending, None
        if pending is not None and _wrapped_remote_id(tokens, pending[0]):
            self._row(*pending)  # the RemoteID column wrapped onto its own line
            return True
        if pending is not None:
            self._row(*pending)
        row = parse_row(tokens)
        if row is not None:
            self.seen = True
            if self.remote_cols and row.get("phase") and row.get("remote_id") is None:
                self.pending = (row, ev)  # its RemoteID may follow on the next line
            else:
                self._row(row, ev)
            return True
        kv = key_value_line(text)
        if kv is not None and self._verbose_field(ev, kv[0], kv[1]):
            self.seen = True
            return True
        if not self.seen and (kv is not None or self.rules):
            self.foreign = ev  # another command's output, or an error message
        return False

    def _row(self, row: dict, ev: Line) -> None:
        self.rows += 1
        self.ctx.emit(IkeSa(vendor="huawei", family="ike-sa", ev=ev, device=self.ctx.device, **row))

    def close(self) -> None:
        if self.pending is not None:
            self._row(*self.pending)
            self.pending = None
        self._flush()
        if not self.seen and output_on_prompt_line(self.ctx.command):
            return  # the output sits unread on the prompt line: its row count is unknown
        if self.foreign is not None and not self.seen:
            self.ctx.emit(Unparsed(family="ike-sa", ev=self.foreign, device=self.ctx.device))
            return
        ev = self.ctx.prompt or self.first
        if ev is None:
            return
        lines = {"total": self.total_line} if self.total_line else {}
        self.ctx.emit(
            IkeSaTable(
                vendor="huawei",
                family="ike-sa-table",
                ev=ev,
                device=self.ctx.device,
                rows=self.rows,
                total=self.total,
                layout="verbose" if self.verbose or self.verbose_cmd else "table",
                filter=self.filter,
                lines=lines,
            )
        )


class IkeSaParser:
    name = "huawei.display-ike-sa"
    vendor = "huawei"
    priority = 100
    log_like = False
    commands = (("display", "ike", "sa"),)

    def accepts(self, text: str) -> bool:
        return text.lstrip().lower().startswith("ike sa information")

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (IkeSaParser,)
