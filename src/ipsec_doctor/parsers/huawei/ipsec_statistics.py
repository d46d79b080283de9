"""``display ipsec statistics [esp]`` (AR, USG) and ``display ipsec packet statistics`` (USG6000E):
IPsec packet counters, drop reasons and the IKE negotiation counters, as one ``IpsecStatistics``.

Shapes seen in the reference documents (seed 002 cases 3.2/3.3/3.7, seed 003 cases) and manuals::

    IPSec statistics information:
    Number of IPSec tunnels: 1
    Number of standby IPSec tunnels: 0
    the security packet statistics:
      input/output security packets: 33/0
      input/output security bytes: 0/0
      input/output dropped security packets: 33/0
      the encrypt packet statistics:                     (USG: per-section chip counters)
        send chip: 0, recv chip: 0, send err: 0
        local cpu: 0, other cpu: 0, recv other cpu: 0
        intact packet: 0, first slice: 0, after slice: 0
      the decrypt packet statistics:
        send chip: 0, recv chip: 0, send err: 0
        reass  first slice: 0, after slice: 0
      dropped security packet detail:
        can not find SA: 0, wrong SA: 0
        authentication: 33, replay: 0
        front recheck: 0, after recheck: 0
        memory process problem: 0                        (NE/older VRP: one reason a line)
        can't find SA: 0 / queue is full: 0 / authentication is failed: 0 / wrong length: 0 /
        replay packet: 0 / too long packet: 0 / invalid SA: 0 / policy deny: 0
    the normal packet statistics:
      input/output dropped normal packets: 0/0
    negotiate about packet statistics:
      IKE fwd packet ok: 0, err: 0
      IKE ctrl packet inbound ok: 0, outbound ok: 4
      SoftExpr: 0, HardExpr: 0, DPDOper: 0
      trigger ok: 0, switch sa: 0, sync sa: 0
      recv IKE nat keepalive: 0, IKE input: 0

    Inpacket count            : 0                        (``display ipsec statistics esp``,
    Inpacket auth count       : 0                         AR before V200R008C00)
    Inpacket decap count      : 0
    Outpacket count / Outpacket auth count / Outpacket encap count / Inpacket drop count /
    Outpacket drop count / BadAuthLen count / AuthFail count / InSAAclCheckFail count /
    PktDuplicateDrop count / PktSeqNoTooSmallDrop count / PktInSAMissDrop count

The documents elide parts with ``.....`` lines and put the output in Markdown fences; both are
skipped.  A counter that is not printed stays ``None`` (never 0): ``outbound ok`` being 0 is
evidence, a missing ``outbound ok`` is not.  Counters without a typed field are kept in ``other``
(names lower-cased; those of the encrypt/decrypt sections prefixed ``encrypt.``/``decrypt.``).
``lines`` maps every field (and ``other.<name>``) to the line it was read from.

NE routers print an ``IPv6 security packet statistics:`` and an ``IPv4 ...`` section: each becomes
its own fact (``af`` says which).  A counter seen twice (the output pasted again without its
prompt) also starts a new fact.  An empty output gives no fact: it proves nothing.  The first
fact of an output cites the prompt line that typed the command when the scanner gives it (else
its first line); a later one (the next section, the output again) cites its own first line.
A line wrapped inside a ``name: value`` pair is joined with the next line.
"""

from __future__ import annotations

import msgspec

from ...model import Line, State
from ..base import Context
from ..util import is_digits

_MAX_DIGITS = 20
_MAX_OTHER = 256
_MAX_PENDING = 60


class IpsecStatistics(State, kw_only=True):
    """Counters of one ``display ipsec statistics`` output (or one address-family section)."""

    af: str | None = None  # "ipv4"/"ipv6" when the output has per-family sections (NE)
    tunnels: int | None = None
    standby_tunnels: int | None = None
    # packets and bytes (input = inbound = decrypted side, output = outbound = encrypted side)
    in_packets: int | None = None
    out_packets: int | None = None
    in_bytes: int | None = None
    out_bytes: int | None = None
    in_dropped: int | None = None
    out_dropped: int | None = None
    in_dropped_normal: int | None = None  # plain packets dropped (the normal packet statistics)
    out_dropped_normal: int | None = None
    in_auth: int | None = None  # esp: Inpacket auth count
    out_auth: int | None = None  # esp: Outpacket auth count
    in_decap: int | None = None  # esp: Inpacket decap count (decrypted)
    out_encap: int | None = None  # esp: Outpacket encap count (encrypted)
    # drop reasons
    no_sa: int | None = None  # can not find SA / can't find SA / PktInSAMissDrop
    wrong_sa: int | None = None
    invalid_sa: int | None = None
    auth_failed: int | None = None  # authentication / authentication is failed / AuthFail
    replay: int | None = None  # replay / replay packet / PktDuplicateDrop
    replay_too_old: int | None = None  # PktSeqNoTooSmallDrop (left of the anti-replay window)
    policy_deny: int | None = None  # policy deny / InSAAclCheckFail (decrypted flow not in ACL)
    invalid_length: int | None = None  # wrong length / invalid length / BadAuthLen
    too_long: int | None = None  # too long packet / packet too long
    decrypt_failed: int | None = None
    queue_full: int | None = None
    memory: int | None = None  # memory process problem / not enough memory
    front_recheck: int | None = None
    after_recheck: int | None = None
    exceed_byte_limit: int | None = None
    exceed_packet_limit: int | None = None
    # negotiate about packet statistics
    ike_fwd_ok: int | None = None
    ike_fwd_err: int | None = None
    ike_ctrl_in_ok: int | None = None  # IKE packets received
    ike_ctrl_out_ok: int | None = None  # IKE packets sent ("outbound ok")
    soft_expired: int | None = None  # SoftExpr
    hard_expired: int | None = None  # HardExpr
    dpd_oper: int | None = None  # DPDOper
    trigger_ok: int | None = None  # negotiations triggered by traffic
    switch_sa: int | None = None
    sync_sa: int | None = None
    nat_keepalive_in: int | None = None  # recv IKE nat keepalive
    ike_input: int | None = None
    other: dict[str, int] = msgspec.field(default_factory=dict)


# name as printed (lower-cased, blanks collapsed) -> field; a pair of fields for "a/b" values
_FIELDS: dict[str, str | tuple[str, str]] = {
    "number of ipsec tunnels": "tunnels",
    "number of standby ipsec tunnels": "standby_tunnels",
    "input/output security packets": ("in_packets", "out_packets"),
    "input/output security bytes": ("in_bytes", "out_bytes"),
    "input/output dropped security packets": ("in_dropped", "out_dropped"),
    "input/output dropped normal packets": ("in_dropped_normal", "out_dropped_normal"),
    # display ipsec statistics esp
    "inpacket count": "in_packets",
    "outpacket count": "out_packets",
    "inpacket auth count": "in_auth",
    "outpacket auth count": "out_auth",
    "inpacket decap count": "in_decap",
    "outpacket encap count": "out_encap",
    "inpacket drop count": "in_dropped",
    "outpacket drop count": "out_dropped",
    "badauthlen count": "invalid_length",
    "authfail count": "auth_failed",
    "insaaclcheckfail count": "policy_deny",
    "pktduplicatedrop count": "replay",
    "pktseqnotoosmalldrop count": "replay_too_old",
    "pktinsamissdrop count": "no_sa",
    # dropped security packet detail
    "can not find sa": "no_sa",
    "can't find sa": "no_sa",
    "cannot find sa": "no_sa",
    "no sa": "no_sa",
    "sa not found": "no_sa",
    "wrong sa": "wrong_sa",
    "invalid sa": "invalid_sa",
    "authentication": "auth_failed",
    "authentication is failed": "auth_failed",
    "authentication has failed": "auth_failed",
    "authentication failed": "auth_failed",
    "authentication fail": "auth_failed",
    "replay": "replay",
    "replay packet": "replay",
    "policy deny": "policy_deny",
    "wrong length": "invalid_length",
    "invalid length": "invalid_length",
    "too long packet": "too_long",
    "packet too long": "too_long",
    "decryption": "decrypt_failed",
    "decrypt fail": "decrypt_failed",
    "decryption failed": "decrypt_failed",
    "queue is full": "queue_full",
    "queue full": "queue_full",
    "memory process problem": "memory",
    "not enough memory": "memory",
    "front recheck": "front_recheck",
    "after recheck": "after_recheck",
    "exceed byte limit": "exceed_byte_limit",
    "exceed packet limit": "exceed_packet_limit",
    # negotiate about packet statistics
    "ike fwd packet ok": "ike_fwd_ok",
    "ike ctrl packet inbound ok": "ike_ctrl_in_ok",
    "outbound ok": "ike_ctrl_out_ok",
    "softexpr": "soft_expired",
    "hardexpr": "hard_expired",
    "dpdoper": "dpd_oper",
    "trigger ok": "trigger_ok",
    "switch sa": "switch_sa",
    "sync sa": "sync_sa",
    "recv ike nat keepalive": "nat_keepalive_in",
    "ike input": "ike_input",
}
# names whose meaning depends on the pair before them on the same line
_AFTER = {("ike fwd packet ok", "err"): "ike_fwd_err"}


def _number(tok: str) -> int | None:
    return int(tok) if is_digits(tok) and len(tok) <= _MAX_DIGITS else None


def _parse_pairs(text: str) -> list[tuple[str, list[int]]] | None:
    """``name: n[, name: n ...]`` or ``name: a/b``; None unless every part has that shape."""
    out: list[tuple[str, list[int]]] = []
    for part in text.split(","):
        name, sep, value = part.rpartition(":")
        name = " ".join(name.lower().split())
        value = value.strip()
        if not sep or not name or len(name) > 80:
            return None
        nums = [_number(v.strip()) for v in value.split("/")] if "/" in value else [_number(value)]
        if any(n is None for n in nums) or len(nums) > 2:
            return None
        out.append((name, [n for n in nums if n is not None]))
    return out


def _is_filler(text: str) -> bool:
    """Blank-ish lines inside an output: elisions, separators, Markdown fences."""
    if not text:
        return True
    c = text[0]
    if c in ".…-=`":
        return not text.strip(".…-=` ")
    return False


def _header(text: str) -> str | None:
    """Section name for ``the ... statistics:``-style headers, None for anything else."""
    if not text.endswith(":") or len(text) > 80:
        return None
    name = " ".join(text[:-1].lower().split())
    if not name or len(name.split()) > 8:
        return None
    if not any(w in name for w in ("statistic", "detail", "information")):
        return None
    for tag in ("ipv4", "ipv6", "encrypt", "decrypt", "dropped", "negotiate", "normal"):
        if tag in name:
            return tag
    return "main"


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None  # first meaningful line of the current record
        self.fields: dict[str, int] = {}
        self.other: dict[str, int] = {}
        self.lines: dict[str, Line] = {}
        self.af: str | None = None
        self.section = "main"
        self.pending: tuple[str, Line] | None = None  # a pair cut at the end of a line
        self.emitted = 0

    # -- records -----------------------------------------------------------------------------
    def _flush(self) -> None:
        if self.fields or self.other:
            ev = self.first
            if self.emitted == 0 and self.ctx.prompt is not None:
                ev = self.ctx.prompt
            assert ev is not None
            self.ctx.emit(
                IpsecStatistics(
                    vendor="huawei",
                    family="ipsec-statistics",
                    ev=ev,
                    device=self.ctx.device,
                    lines=self.lines,
                    af=self.af,
                    other=self.other,
                    **self.fields,
                )
            )
            self.emitted += 1
        self.fields, self.other, self.lines = {}, {}, {}
        self.first = None

    def _set(self, field: str, value: int, ev: Line) -> None:
        if field in self.fields and self.lines[field] is ev:
            return  # the same name twice on one line: keep the first
        if field in self.fields:  # the same output again: a new record
            af = self.af
            self._flush()
            self.af = af
            self.first = ev
        self.fields[field] = value
        self.lines[field] = ev

    def _set_other(self, name: str, value: int, ev: Line) -> None:
        if name in self.other and self.lines["other." + name] is ev:
            return
        if name in self.other:
            af = self.af
            self._flush()
            self.af = af
            self.first = ev
        if len(self.other) < _MAX_OTHER:
            self.other[name] = value
            self.lines["other." + name] = ev

    def _store(self, pairs: list[tuple[str, list[int]]], ev: Line) -> None:
        if self.first is None:
            self.first = ev
        lead = pairs[0][0]
        for name, nums in pairs:
            field: str | tuple[str, str] | None = None
            if self.section not in ("encrypt", "decrypt"):
                field = _AFTER.get((lead, name)) or _FIELDS.get(name)
            if isinstance(field, tuple) and len(nums) == 2:
                self._set(field[0], nums[0], ev)
                self._set(field[1], nums[1], ev)
            elif isinstance(field, str) and len(nums) == 1:
                self._set(field, nums[0], ev)
            else:
                key = name
                if self.section in ("encrypt", "decrypt"):
                    key = f"{self.section}.{name}"
                if len(nums) == 2:
                    self._set_other(key + ".in", nums[0], ev)
                    self._set_other(key + ".out", nums[1], ev)
                else:
                    self._set_other(key, nums[0], ev)

    # -- Block protocol ----------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if _is_filler(text):
            return True
        if self.pending is not None:
            head, head_ev = self.pending
            self.pending = None
            pairs = _parse_pairs(head + " " + text)
            if pairs is not None:
                self._store(pairs, head_ev)
                return True
            # not a continuation: the cut pair is lost, the line is judged on its own
        section = _header(text)
        if section is not None:
            if section in ("ipv4", "ipv6"):
                self._flush()
                self.af = section
                self.first = ev
                self.section = "main"
            else:
                self.section = section
                if self.first is None:
                    self.first = ev
            return True
        pairs = _parse_pairs(text)
        if pairs is not None:
            self._store(pairs, ev)
            return True
        # a pair cut by the terminal width: "can not find SA: 0, wrong" + "SA: 0"
        done, comma, tail = text.rpartition(",")
        tail = tail.strip()
        if comma and tail and len(tail) <= _MAX_PENDING and len(tail.split()) <= 4:
            head_pairs = _parse_pairs(done)
            if head_pairs is not None and (":" not in tail or tail.endswith(":")):
                self._store(head_pairs, ev)
                self.pending = (tail, ev)
                return True
        return False

    def close(self) -> None:
        self.pending = None
        self._flush()


class IpsecStatisticsParser:
    name = "huawei.display-ipsec-statistics"
    vendor = "huawei"
    priority = 100
    log_like = False
    commands = (
        ("display", "ipsec", "statistics"),
        ("display", "ipsec", "packet", "statistics"),
    )

    def accepts(self, text: str) -> bool:
        # only lines holding a keyword, so that the fast scanner sees the same starts
        low = text.lstrip()[:40].lower()
        return low.startswith(("ipsec statistics information", "ike fwd packet ok"))

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (IpsecStatisticsParser,)
