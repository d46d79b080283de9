"""``show crypto isakmp sa [detail]`` (IOS / IOS-XE, PIX, ASA) and ``show crypto ikev1 sa``.

Also home of the helpers the other Cisco show-command parsers share (``ShowBlock``,
``ShowTable``, address and number helpers).

Layouts read (rows shown as printed; column widths vary)::

    dst          src          state      conn-id    slot              (IOS 12.x, PIX)
    10.1.0.2    10.1.0.1    QM_IDLE    1          0

    IPv4 Crypto ISAKMP SA                                            (IOS 12.4T / 15 / XE)
    dst             src             state          conn-id status
    100.0.10.2      100.12.82.2     MM_NO_STATE      29188 ACTIVE (deleted)
    IPv6 Crypto ISAKMP SA
    (IPv6 rows in the same columns)

    IPv4 Crypto ISAKMP SA                                            (``detail``)
    C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.
    29609 100.0.10.2      100.13.220.2     RED      ACTIVE aes  sha    psk  16 00:01:47 D
           Engine-id:Conn-id =  SW:12609

    Total      : 2                                                   (PIX 6, embryonic SAs)
    Embryonic : 1
          dst          src          state    pending    created
    192.168.254.250  10.177.243.187  MM_KEY_EXCH  0          0

    IKEv1 SAs:                                                       (ASA 8.4+ / 9.x)
       Active SA: 1
        Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)
    Total IKE SA: 1
    1   IKE Peer: 203.0.113.1
        Type    : L2L             Role    : initiator
        Rekey   : no              State   : MM_ACTIVE
        Encrypt : aes-256         Hash    : SHA          (``detail`` adds these two lines)
        Auth    : preshared       Lifetime: 86400
    There are no IKEv2 SAs            (ASA also lists IKEv2 SAs: that part is handed over to
                                       ``ikev2_sa.py`` by ending this block at ``IKEv2 SAs:``)

    IKE Peer      Type  Dir   Rky  State      Encrypt Hash  Auth    Lifetime   (ASA 8.0-8.3)
    1 209.165.200.225 User  Resp  No   AM_Active  3des    SHA   preshrd 86400

Facts:

* one ``IsakmpSa`` per SA (``layout`` says which of the layouts above it came from);
* one ``Signal`` (vendor ``cisco``, family ``isakmp-sa``, kind ``state``, reason ``isakmp state
  <STATE>``, the state upper-cased) for every SA whose state is not an established one
  (``QM_IDLE``, ``MM_ACTIVE``, ``AM_ACTIVE`` and their rekey variants), citing the SA's row;
* one ``ShowTable`` (family ``isakmp-sa-table``) per command output, also when it is empty: no
  IKEv1 SA at all (or none matching ``filter`` when the command was filtered).  It cites the
  prompt line when there was one.  Output that is not this command's (``% Invalid input``)
  gives an ``Unparsed`` fact instead.

The IOS table does not say which address is the local one: when every row of a section shares
one address, that address is local and the other one is the row's ``peer``; otherwise ``peer``
stays None (``dst``/``src`` are always kept).  Values masked by redaction (``<redacted>``, the
IOS detail row holds ``psk <DH group>``) read as None.
"""

from __future__ import annotations

from ...model import Line, Signal, State, Unparsed
from ..base import Context
from ..huawei.ike_sa import command_filter, is_separator, output_on_prompt_line
from ..util import is_digits, is_ip

VENDOR = "cisco"

# -- shared helpers (used by every Cisco show-command parser) -----------------------------------

_HEX = frozenset("0123456789abcdefABCDEF")
# Lines of pasted documents that are not device output but may sit between output lines, and
# "<>": what line cleaning leaves of the ASA pager "<--- More --->".
_DEBRIS = frozenset({"<#root>", "(", ")", ",", ", }", "}", "'", "{", "<>"})


def is_addr(tok: str) -> bool:
    """An IPv4/IPv6 address; also the not-quite-valid IPv6 spellings test outputs carry
    (``100.0.10::2``: hex groups and dots with at least two colons)."""
    if is_ip(tok):
        return True
    if not (5 <= len(tok) <= 45) or tok.count(":") < 2:
        return False
    return all(c in _HEX or c in ":." for c in tok)


def addr_port(tok: str) -> tuple[str, int | None] | None:
    """``1.1.1.1``, ``1.1.1.1/500``, ``2001:db8::1/4500``, ``1.1.1.1:500``; None otherwise."""
    tok = tok.strip().rstrip(",")
    if is_addr(tok):
        return tok, None
    for sep in ("/", ":"):
        host, found, port = tok.rpartition(sep)
        if found and is_digits(port) and len(port) <= 5 and is_addr(host):
            return host, int(port)
    return None


def to_int(tok: str | None) -> int | None:
    """A decimal integer token (``86400``, ``86400,``); None for anything else."""
    if tok is None:
        return None
    tok = tok.strip().rstrip(",;.")
    return int(tok) if is_digits(tok) and len(tok) <= 20 else None


def hex_int(tok: str) -> int | None:
    """An SPI as printed: ``0x658F7C11(1703902225)``, ``0x1E8246FC``, ``DC15BF68``, ``3D3``."""
    tok = tok.strip().rstrip(",")
    head = tok.split("(", 1)[0].strip()
    if head[:2] in ("0x", "0X"):
        head = head[2:]
    if head and len(head) <= 16 and all(c in _HEX for c in head):
        return int(head, 16)
    return None


def yes_no(tok: str) -> bool | None:
    word = tok.strip().rstrip(",.").lower()
    if word in ("y", "yes", "true", "enabled", "enable", "on"):
        return True
    if word in ("n", "no", "false", "disabled", "disable", "off"):
        return False
    return None


class ShowTable(State, kw_only=True):
    """One command output: how many records it held (0 = none at all) and how it was asked.

    ``family`` is ``<command family>-table`` (``isakmp-sa-table``, ``ipsec-sa-table`` ...).
    ``filter`` holds the command's arguments and output filter (``peer 1.1.1.1``, ``| i MM_``)
    when the output is partial, so ``rows == 0`` means "nothing" only when ``filter`` is None.
    """

    rows: int = 0
    total: int | None = None  # a total the device printed ("Total IKE SA: 1")
    layout: str | None = None  # which layout the records came in, when it matters
    filter: str | None = None


class ShowBlock:
    """The part every Cisco show-command block shares: blank lines, rule lines, markdown fences
    and document debris are skipped; a first line the subclass does not recognise means the
    output is not this command's (kept for an ``Unparsed`` fact); the block ends at the first
    unrecognised line after that.  ``close`` emits the ``ShowTable`` (or the ``Unparsed``).

    Subclasses set ``family`` and ``verbs`` (command tokens before the arguments) and implement
    ``line`` (True when the line was theirs) and ``flush`` (emit what is pending)."""

    family = ""
    verbs = 4
    layout_words: tuple[str, ...] = ()

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows = 0
        self.total: int | None = None
        self.total_line: Line | None = None
        self.layout: str | None = None
        self.first: Line | None = None
        self.seen = False
        self.foreign: Line | None = None
        self.filter = command_filter(ctx.command, self.verbs, self.layout_words)

    # -- to implement ---------------------------------------------------------------------------
    def line(self, ev: Line, text: str) -> bool:
        raise NotImplementedError

    def flush(self) -> None:
        """Emit the record under construction, if any."""

    # -- Block protocol -------------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if self.first is None:
            self.first = ev
        if not text or text in _DEBRIS or is_separator(text) or not text.strip("^ "):
            return True  # blank, rule, document debris, the caret under a rejected command
        if self.line(ev, text):
            self.seen = True
            return True
        if not self.seen and self.foreign is None:
            self.foreign = ev
        return False

    def close(self) -> None:
        self.flush()
        if not self.seen and output_on_prompt_line(self.ctx.command):
            return
        if not self.seen and self.foreign is not None:
            self.ctx.emit(Unparsed(family=self.family, ev=self.foreign, device=self.ctx.device))
            return
        ev = self.ctx.prompt or self.first
        if ev is None:
            return
        self.ctx.emit(
            ShowTable(
                vendor=VENDOR,
                family=f"{self.family}-table",
                ev=ev,
                device=self.ctx.device,
                rows=self.rows,
                total=self.total,
                layout=self.layout,
                filter=self.filter,
                lines={"total": self.total_line} if self.total_line else {},
            )
        )

    # -- helpers for subclasses -----------------------------------------------------------------
    def emit(self, fact: State | Signal) -> None:
        self.ctx.emit(fact)


def kv_pairs(text: str) -> list[tuple[str, str]]:
    """``Type    : L2L             Role    : initiator`` -> [(type, L2L), (role, initiator)].

    Keys are lower-cased and whitespace-normalised; each value is the words between its colon
    and the next key (the last word before the next colon).  Not for values holding colons."""
    parts = text.split(":")
    if len(parts) < 2:
        return []
    out: list[tuple[str, str]] = []
    key = " ".join(parts[0].split()).lower()
    for i, part in enumerate(parts[1:], start=1):
        words = part.split()
        if i == len(parts) - 1:
            out.append((key, " ".join(words)))
            break
        if not words:
            return out
        out.append((key, " ".join(words[:-1])))
        key = words[-1].lower()
    return out


def starts(low: str, *heads: str) -> bool:
    return low.startswith(heads)


# -- the ISAKMP SA records -----------------------------------------------------------------------

ESTABLISHED = frozenset(
    {"QM_IDLE", "MM_ACTIVE", "AM_ACTIVE", "MM_ACTIVE_REKEY", "AM_ACTIVE_REKEY", "MM_REKEY_DONE",
     "AM_REKEY_DONE"}
)  # fmt: skip


class IsakmpSa(State, kw_only=True):
    """One IKEv1 (ISAKMP) SA.  Every field is None when the layout does not print it.

    ``layout``: ``table`` (dst/src/state), ``detail`` (C-id/Local/Remote), ``asa`` (numbered
    ``IKE Peer:`` blocks), ``asa-table`` (ASA 8.0 rows), ``embryonic`` (PIX pending rows)."""

    layout: str
    peer: str | None = None  # the remote end when known (ASA, detail, or inferred)
    local: str | None = None
    dst: str | None = None  # IOS/PIX table columns as printed
    src: str | None = None
    state: str | None = None  # "QM_IDLE", "MM_NO_STATE", "MM_ACTIVE", "AM_Active" ...
    conn_id: int | None = None  # conn-id / C-id
    slot: int | None = None
    status: str | None = None  # "ACTIVE", "STDBY" ...
    deleted: bool = False  # "ACTIVE (deleted)"
    ipv6: bool = False  # listed under "IPv6 Crypto ISAKMP SA"
    version: str = "v1"
    index: int | None = None  # ASA block / row number
    type: str | None = None  # ASA "L2L" / "user"
    role: str | None = None  # "initiator" / "responder"
    rekey: bool | None = None
    ivrf: str | None = None
    encryption: str | None = None
    hash: str | None = None
    auth: str | None = None  # "psk", "preshared", "rsig" ...
    dh_group: int | None = None
    lifetime: int | None = None  # seconds (configured on ASA, remaining on IOS detail)
    lifetime_remaining: int | None = None  # ASA "Lifetime Remaining"
    capabilities: str | None = None  # IOS detail "Cap." column ("D", "DN" ...)
    engine_conn: str | None = None  # IOS detail "Engine-id:Conn-id = SW:12609"
    pending: int | None = None  # PIX embryonic columns
    created: int | None = None

    @property
    def established(self) -> bool:
        return self.state is None or self.state.upper() in ESTABLISHED


def _clock_seconds(tok: str) -> int | None:
    """``00:01:47`` / ``23:39:38`` -> seconds."""
    parts = tok.split(":")
    if len(parts) != 3 or not all(is_digits(p) and len(p) <= 4 for p in parts):
        return None
    h, m, s = (int(p) for p in parts)
    return h * 3600 + m * 60 + s


def _is_state(tok: str) -> bool:
    """MM_NO_STATE, QM_IDLE, AG_INIT_EXCH, MM_WAIT_MSG2 (digits too), AM_Active ..."""
    bare = tok.replace("_", "")
    return "_" in tok and tok[:1].isalpha() and bare.isascii() and bare.isalnum() and len(tok) <= 32


_ROLE = {"init": "initiator", "initiator": "initiator", "resp": "responder",
         "responder": "responder"}  # fmt: skip


class _Block(ShowBlock):
    family = "isakmp-sa"
    layout_words = ("detail",)

    def __init__(self, ctx: Context) -> None:
        toks = ctx.command.split("|", 1)[0].split()
        # "show crypto isakmp sa" / "show crypto ikev1 sa" / "show isakmp sa"
        self.verbs = 3 if len(toks) > 1 and "isakmp".startswith(toks[1].lower()) else 4
        super().__init__(ctx)
        self.ipv6 = False
        self.columns: tuple[str, ...] = ()
        self.section: list[tuple[dict, Line]] = []  # IOS table rows awaiting peer inference
        self.pending: tuple[dict, Line, dict[str, Line]] | None = None  # detail row / ASA block
        self.counts: dict[str, int] = {}

    # -- records -------------------------------------------------------------------------------
    def _emit(self, rec: dict, ev: Line, lines: dict[str, Line] | None = None) -> None:
        self.rows += 1
        sa = IsakmpSa(vendor=VENDOR, family="isakmp-sa", ev=ev, device=self.ctx.device,
                      lines=lines or {}, **rec)  # fmt: skip
        self.emit(sa)
        if sa.state and not sa.established:
            detail = None
            if sa.peer is None and (sa.dst or sa.src):
                detail = f"dst {sa.dst} src {sa.src}"
            self.emit(
                Signal(
                    vendor=VENDOR,
                    family="isakmp-sa",
                    kind="state",
                    reason=f"isakmp state {sa.state.upper()}",
                    ev=sa.line_of("state"),
                    device=self.ctx.device,
                    peer=sa.peer,
                    version="v1",
                    detail=detail,
                )
            )

    def _flush_section(self) -> None:
        rows, self.section = self.section, []
        if not rows:
            return
        local: str | None = None
        if len(rows) >= 2:
            common = {rows[0][0]["dst"], rows[0][0]["src"]}
            for rec, _ in rows[1:]:
                common &= {rec["dst"], rec["src"]}
            if len(common) == 1:
                local = common.pop()
        for rec, ev in rows:
            if local is not None and rec["dst"] != rec["src"]:
                rec["local"] = local
                rec["peer"] = rec["src"] if rec["dst"] == local else rec["dst"]
            self._emit(rec, ev, {"state": ev})

    def flush(self) -> None:
        self._flush_section()
        if self.pending is not None:
            rec, ev, lines = self.pending
            self.pending = None
            self._emit(rec, ev, lines)

    # -- lines ---------------------------------------------------------------------------------
    def line(self, ev: Line, text: str) -> bool:
        low = text.lower()
        if starts(low, "ipv4 crypto isakmp sa", "ipv6 crypto isakmp sa"):
            self.flush()
            self.ipv6 = low.startswith("ipv6")
            return True
        if starts(low, "ikev2 sas:", "there are no ikev2 sas"):
            return False  # the IKEv2 part of an ASA listing: ikev2_sa.py takes it
        if starts(low, "ikev1 sas:", "there are no ikev1 sas", "there are no isakmp sas"):
            self.layout = self.layout or "asa"
            return True
        if low.startswith(("dst ", "c-id ", "ike peer ")) and ":" not in low:
            self.flush()
            self.columns = tuple(low.replace("ike peer", "ike-peer").split())
            return True
        if low.startswith("engine-id:conn-id") and self.pending is not None:
            value = text.partition("=")[2].strip()
            self.pending[0]["engine_conn"] = value if value and "?" not in value else None
            self.pending[2]["engine_conn"] = ev
            return True
        if self._counter(ev, low):
            return True
        tokens = text.split()
        if "ike peer:" in low and is_digits(tokens[0]):
            return self._asa_block(ev, text, tokens)
        if self.pending is not None and self.pending[0].get("layout") == "asa" and ":" in text:
            return self._asa_pairs(ev, text)
        row = self._row(tokens)
        if row is not None:
            row["ipv6"] = self.ipv6
            if row["layout"] == "table":
                self.section.append((row, ev))
            else:
                self.flush()
                self.pending = (row, ev, {"state": ev})
            self.layout = self.layout or row["layout"]
            return True
        return False

    def _counter(self, ev: Line, low: str) -> bool:
        key, sep, value = low.partition(":")
        key = " ".join(key.split())
        if not sep or key not in ("active sa", "rekey sa", "total ike sa", "total", "embryonic"):
            return False
        n = to_int(value.split()[0]) if value.split() else None
        if key in ("total ike sa", "total") and n is not None:
            self.total, self.total_line = n, ev
        return True

    def _asa_block(self, ev: Line, text: str, tokens: list[str]) -> bool:
        self.flush()
        peer = text.partition(":")[2].strip()
        rec: dict = {"layout": "asa", "index": int(tokens[0][:9]), "peer": peer or None}
        self.pending = (rec, ev, {})
        self.layout = "asa"
        return True

    def _asa_pairs(self, ev: Line, text: str) -> bool:
        pairs = kv_pairs(text)
        if not pairs:
            return False
        rec, _, lines = self.pending  # type: ignore[misc]
        known = False
        for key, value in pairs:
            field = _ASA_KEYS.get(key)
            if field is None:
                continue
            known = True
            lines[field] = ev
            if field == "rekey":
                rec[field] = yes_no(value)
            elif field in ("lifetime", "lifetime_remaining"):
                rec[field] = to_int(value.split()[0]) if value else None
            elif field == "role":
                rec[field] = _ROLE.get(value.lower(), value.lower() or None)
            else:
                rec[field] = value or None
        return known

    def _row(self, tokens: list[str]) -> dict | None:
        if len(tokens) >= 4 and is_addr(tokens[0]) and is_addr(tokens[1]):
            return self._table_row(tokens)
        if len(tokens) >= 5 and is_digits(tokens[0]) and is_addr(tokens[1]):
            if is_addr(tokens[2]):
                return self._detail_row(tokens)
            if len(tokens) >= 6 and _is_state(tokens[5]):
                return self._asa_row(tokens)
        return None

    def _table_row(self, tokens: list[str]) -> dict | None:
        state = tokens[2]
        if not _is_state(state):
            return None
        rec: dict = {"layout": "table", "dst": tokens[0], "src": tokens[1], "state": state}
        rest = tokens[3:]
        ints: list[int] = []
        words: list[str] = []
        for tok in rest:
            n = to_int(tok)
            if n is not None and not words:
                ints.append(n)
            elif tok.lower() == "(deleted)":
                rec["deleted"] = True
            else:
                words.append(tok)
        if "pending" in self.columns:
            rec["layout"] = "embryonic"
            rec["pending"] = ints[0] if ints else None
            rec["created"] = ints[1] if len(ints) > 1 else None
            return rec
        if not ints:
            return None
        rec["conn_id"] = ints[0]
        if len(ints) > 1:
            rec["slot"] = ints[1]
        if words:
            rec["status"] = " ".join(words)
        return rec

    def _detail_row(self, tokens: list[str]) -> dict | None:
        rec: dict = {"layout": "detail", "conn_id": int(tokens[0][:18]), "local": tokens[1],
                     "peer": tokens[2]}  # fmt: skip
        rest = tokens[3:]
        if rest and rest[0].upper() not in _SA_STATUS:
            rec["ivrf"] = rest.pop(0)
        if not rest or rest[0].upper() not in _SA_STATUS:
            return None
        rec["status"] = rest.pop(0)
        for field in ("encryption", "hash", "auth"):
            if rest:
                rec[field] = rest.pop(0)
        if rest and is_digits(rest[0]):
            rec["dh_group"] = int(rest.pop(0)[:4])
        elif rest and rest[0].startswith("<"):
            rest.pop(0)  # masked by redaction
        if rest and (":" in rest[0] or rest[0].startswith("<")):
            rec["lifetime"] = _clock_seconds(rest.pop(0))
        if rest:
            rec["capabilities"] = rest[0]
        return rec

    def _asa_row(self, tokens: list[str]) -> dict | None:
        # n peer type dir rky state encrypt hash auth lifetime
        rec: dict = {"layout": "asa-table", "index": int(tokens[0][:9]), "peer": tokens[1],
                     "type": tokens[2], "role": _ROLE.get(tokens[3].lower(), tokens[3].lower()),
                     "rekey": yes_no(tokens[4]), "state": tokens[5]}  # fmt: skip
        for field, tok in zip(("encryption", "hash", "auth"), tokens[6:9], strict=False):
            rec[field] = tok
        if len(tokens) > 9:
            rec["lifetime"] = to_int(tokens[9])
        return rec


_SA_STATUS = frozenset({"ACTIVE", "INACTIVE", "STDBY", "DELETED", "UNKNOWN"})
_ASA_KEYS = {
    "type": "type",
    "role": "role",
    "rekey": "rekey",
    "state": "state",
    "encrypt": "encryption",
    "hash": "hash",
    "auth": "auth",
    "lifetime": "lifetime",
    "lifetime remaining": "lifetime_remaining",
}


class IsakmpSaParser:
    name = "cisco.show-crypto-isakmp-sa"
    vendor = VENDOR
    priority = 100
    log_like = False
    hints = ("isakmp", "ikev1", "conn-id")
    commands = (
        ("show", "crypto", "isakmp", "sa"),
        ("show", "crypto", "ikev1", "sa"),
        ("show", "isakmp", "sa"),
    )

    def accepts(self, text: str) -> bool:
        low = text.strip().lower()
        if low.startswith(("ipv4 crypto isakmp sa", "ipv6 crypto isakmp sa", "ikev1 sas:",
                           "there are no ikev1 sas")):  # fmt: skip
            return True
        return low.startswith("dst ") and "conn-id" in low and "state" in low

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (IsakmpSaParser,)

__all__ = [
    "ESTABLISHED",
    "IsakmpSa",
    "IsakmpSaParser",
    "ShowBlock",
    "ShowTable",
    "addr_port",
    "hex_int",
    "is_addr",
    "kv_pairs",
    "to_int",
    "yes_no",
]
