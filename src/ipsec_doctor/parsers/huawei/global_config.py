"""``display ike global config`` and ``display ipsec global config``: global IKE/IPsec settings.

Shapes seen in the reference documents (seed 002 case 3.7, seed 001) and product manuals::

    IPSec Global Config:
    --------------------------------------------------------------
    IPSec sa global-duration time-based(seconds) : 3600
    IPSec sa global-duration traffic-based(kbytes) : 1843200
    IPSec anti-replay : enable
    IPSec anti-replay window-size : 1024
    IPSec df-bit      : copy                                  (copy | set | clear)
    IPSec fragmentation : disable                             (enable/before-encryption |
    IPSec invalid-spi-recovery : disable                       disable/after-encryption)
    IPSec nat-traversal source-port : 8000
    IPSec netmask source : 24
    IPSec netmask destination : 24
    IPSec authentication sha2 compatible : enable
    --------------------------------------------------------------

    IKE Global Config:
    --------------------------------------------------------------
    IKE local-name                 : huawei
    IKE call admission             : 800
    IKE nat-keepalive-timer interval : 20
    IKE DPD type / idle-time / retransmit-interval / retry-limit / msg seq : ...
    IKE heartbeat-timer interval / timeout, IKE heartbeat seq-num / spi-list : ...

Seed 001 prints the whole output flattened onto the prompt line
(``<sysname> display ipsec global config IPSec Global Config: ---- ...... IPSec netmask source :
24 IPSec netmask destination : 24 ......``); the scanner hands that line over as ``ctx.prompt``,
so the form is read too (each of its settings cited at the prompt line), and likewise a
flattened line inside the block.

Facts: one ``IkeGlobalConfig`` or ``IpsecGlobalConfig`` per output (both are ``GlobalConfig``
with the same typed fields, since some settings print under either command), cited at the
prompt line that typed the command when there is one (else at the output's first line; the
output pasted again without a prompt starts a new fact cited at its own first line).  A setting
that is not printed stays ``None``.  Keys are matched on their words, not their exact spelling
(AR and USG differ), after dropping the ``IKE``/``IPSec`` prefix; unmatched ``key : value``
lines (or matched ones whose value does not convert) go to ``other`` (key lower-cased, prefix
kept).
``lines`` maps every field (and ``other.<key>``) to its line.  Markdown fences, ``-----`` and
``.....`` elisions are skipped.  An empty output gives no fact.
"""

from __future__ import annotations

import msgspec

from ...model import Line, State
from ..base import Context
from ..util import is_digits

_MAX_OTHER = 256
_MAX_KEY_WORDS = 12
_MAX_DIGITS = 20
_TRUE = frozenset({"enable", "enabled", "yes", "on", "true", "y"})
_FALSE = frozenset({"disable", "disabled", "no", "off", "false", "n"})


class GlobalConfig(State, kw_only=True):
    """Typed global settings; durations in seconds, traffic in kilobytes."""

    # IKE
    local_name: str | None = None
    nat_traversal: bool | None = None
    nat_keepalive: int | None = None  # NAT keepalive interval (s)
    dpd_type: str | None = None  # periodic / on-demand
    dpd_idle: int | None = None  # idle time before a DPD probe (s)
    dpd_retransmit_interval: int | None = None  # (s)
    dpd_retry_limit: int | None = None
    dpd_msg_seq: str | None = None  # payload order: seq-hash-notify / seq-notify-hash
    heartbeat_interval: int | None = None  # (s)
    heartbeat_timeout: int | None = None  # (s)
    heartbeat_seq_num: str | None = None  # new / old
    heartbeat_spi_list: bool | None = None
    call_admission: int | None = None  # "IKE call admission" as printed
    call_admission_negotiating: int | None = None  # limit in-negotiation-sa
    call_admission_max_sa: int | None = None  # limit max-sa
    call_admission_cpu: int | None = None  # CPU usage threshold (%)
    # IPsec
    sa_duration_time: int | None = None  # global-duration time-based (s)
    sa_duration_traffic: int | None = None  # global-duration traffic-based (kbytes)
    anti_replay: bool | None = None
    anti_replay_window: int | None = None
    df_bit: str | None = None  # copy / set / clear
    fragmentation: str | None = None  # the value as printed
    fragment_before_encryption: bool | None = None  # enable/before-encryption -> True
    invalid_spi_recovery: bool | None = None
    nat_traversal_source_port: int | None = None
    netmask_source: int | None = None  # mask length the peer's source must not be wider than
    netmask_destination: int | None = None
    sha2_compatible: bool | None = None  # ipsec authentication sha2 compatible enable
    decrypt_check: bool | None = None
    other: dict[str, str] = msgspec.field(default_factory=dict)


class IkeGlobalConfig(GlobalConfig, kw_only=True):
    """``display ike global config``."""


class IpsecGlobalConfig(GlobalConfig, kw_only=True):
    """``display ipsec global config``."""


_BOOL, _INT, _STR = "bool", "int", "str"


def _classify(key: str) -> tuple[str, str] | None:
    """(field, type) for a normalised key (lower-case, no IKE/IPSec prefix), None if unknown."""
    has = key.__contains__
    if has("sha2") and has("compatib"):
        return "sha2_compatible", _BOOL
    if has("df-bit") or has("df bit") or has("dfbit"):
        return "df_bit", _STR
    if has("fragment"):
        return "fragmentation", _STR
    if has("anti-replay") or has("anti replay") or has("antireplay"):
        return ("anti_replay_window", _INT) if has("window") else ("anti_replay", _BOOL)
    if has("global-duration") or has("global duration"):
        if has("time"):
            return "sa_duration_time", _INT
        if has("traffic"):
            return "sa_duration_traffic", _INT
        return None
    if has("invalid-spi") or has("invalid spi"):
        return "invalid_spi_recovery", _BOOL
    if has("netmask"):
        if has("source"):
            return "netmask_source", _INT
        if has("dest"):
            return "netmask_destination", _INT
        return None
    if has("decrypt") and has("check"):
        return "decrypt_check", _BOOL
    if has("nat-traversal") or has("nat traversal") or key == "nat-t":
        return ("nat_traversal_source_port", _INT) if has("port") else ("nat_traversal", _BOOL)
    if has("nat") and has("keepalive"):
        return "nat_keepalive", _INT
    if has("dpd"):
        if has("idle"):
            return "dpd_idle", _INT
        if has("limit") or has("times") or has("count"):
            return "dpd_retry_limit", _INT
        if has("interval") or has("timeout") or has("time-out"):
            return "dpd_retransmit_interval", _INT
        if has("seq") or has("msg") or has("payload"):
            return "dpd_msg_seq", _STR
        if has("type") or has("mode"):
            return "dpd_type", _STR
        return None
    if has("heartbeat"):
        if has("interval"):
            return "heartbeat_interval", _INT
        if has("timeout"):
            return "heartbeat_timeout", _INT
        if has("seq"):
            return "heartbeat_seq_num", _STR
        if has("spi"):
            return "heartbeat_spi_list", _BOOL
        return None
    if has("admission"):
        if has("ipv6"):
            return None
        if has("negotiat"):
            return "call_admission_negotiating", _INT
        if has("max"):
            return "call_admission_max_sa", _INT
        if has("cpu"):
            return "call_admission_cpu", _INT
        return "call_admission", _INT
    if has("local-name") or has("local name"):
        return "local_name", _STR
    return None


def _convert(kind: str, value: str) -> object | None:
    first = value.split()[0].lower() if value.split() else ""
    if kind == _BOOL:
        return True if first in _TRUE else False if first in _FALSE else None
    if kind == _INT:
        digits = ""
        for ch in first[:_MAX_DIGITS]:
            if not is_digits(ch):
                break
            digits += ch
        return int(digits) if digits else None
    return value or None


def _norm_key(key: str) -> str:
    words = key.lower().split()
    if len(words) > 1 and words[0] in ("ike", "ipsec"):
        words = words[1:]
    return " ".join(words)


def _is_filler_token(tok: str) -> bool:
    """``.....``, ``-----``, a Markdown fence (a lone ``-`` is a value: "not set")."""
    return len(tok) >= 3 and not tok.strip(".…-=`")


def split_pairs(text: str) -> list[tuple[str, str]] | None:
    """``key : value`` pairs of one line, also several flattened onto one line.

    A key runs up to a colon; its value runs until a filler (``.....``, ``----``) or, after at
    least one value token, a token ``IKE``/``IPSec`` that starts the next key.  None when the
    line holds no pair, a key is implausibly long, or words after the last value never reach a
    colon (prose).
    """
    pairs: list[tuple[str, str]] = []
    key: list[str] = []
    val: list[str] = []
    in_val = False
    boundary = False
    for tok in text.split():
        if _is_filler_token(tok):
            boundary = in_val
            continue
        if in_val:
            if boundary or (val and tok.lower() in ("ike", "ipsec")):
                pairs.append((" ".join(key), " ".join(val)))
                key, val, in_val, boundary = [], [], False, False
            else:
                val.append(tok)
                continue
        if len(key) >= _MAX_KEY_WORDS:
            return None
        if tok == ":":
            in_val = True
        elif tok.endswith(":"):
            key.append(tok[:-1])
            in_val = True
        elif ":" in tok and not tok.startswith(":"):
            k, _, v = tok.partition(":")
            key.append(k)
            in_val = True
            if v:
                val.append(v)
        elif tok.startswith(":"):
            in_val = True
            if tok[1:]:
                val.append(tok[1:])
        else:
            key.append(tok)
    if in_val:
        pairs.append((" ".join(key), " ".join(val)))
    elif key:
        return None  # words after the last value that never reach a colon: prose
    pairs = [(k, v) for k, v in pairs if k]
    return pairs or None


def _is_header(key: str) -> bool:
    return " ".join(key.lower().split()) in ("ike global config", "ipsec global config")


class _Block:
    def __init__(self, ctx: Context, scope: str | None) -> None:
        self.ctx = ctx
        self.scope = scope  # "ike" / "ipsec"; None until a header says it (no prompt)
        self.first: Line | None = None
        self.fields: dict[str, object] = {}
        self.other: dict[str, str] = {}
        self.lines: dict[str, Line] = {}
        self.emitted = 0

    def _flush(self) -> None:
        if (self.fields or self.other) and self.first is not None:
            cls = IkeGlobalConfig if self.scope == "ike" else IpsecGlobalConfig
            family = "ike-global-config" if self.scope == "ike" else "ipsec-global-config"
            self.ctx.emit(
                cls(
                    vendor="huawei",
                    family=family,
                    ev=self.first,
                    device=self.ctx.device,
                    lines=self.lines,
                    other=self.other,
                    **self.fields,  # type: ignore[arg-type]
                )
            )
            self.emitted += 1
        self.fields, self.other, self.lines, self.first = {}, {}, {}, None

    def _store(self, key: str, value: str, ev: Line) -> None:
        norm = _norm_key(key)
        hit = _classify(norm)
        conv = _convert(hit[1], value) if hit else None
        if hit is not None and conv is not None:
            field = hit[0]
            if field in self.fields and self.lines[field] is ev:
                return  # the same key twice on one line: keep the first
            if field in self.fields:  # the output again: a new record
                self._flush()
                self.first = ev
            self.fields[field] = conv
            self.lines[field] = ev
            if field == "fragmentation":
                low = value.lower()
                before = (
                    True
                    if ("before" in low or low.startswith("enable"))
                    else False
                    if ("after" in low or low.startswith("disable"))
                    else None
                )
                if before is not None:
                    self.fields["fragment_before_encryption"] = before
                    self.lines["fragment_before_encryption"] = ev
            elif field == "df_bit":
                self.fields[field] = value.lower()
            return
        name = " ".join(key.lower().split())
        if name in self.other and self.lines["other." + name] is ev:
            return
        if name in self.other:
            self._flush()
            self.first = ev
        if len(self.other) < _MAX_OTHER:
            self.other[name] = value
            self.lines["other." + name] = ev

    def take(self, pairs: list[tuple[str, str]], ev: Line) -> None:
        for key, value in pairs:
            if _is_header(key):
                if self.scope is None:
                    self.scope = "ike" if key.lower().startswith("ike") else "ipsec"
                if self.first is None:
                    self.first = ev
                continue
            if self.first is None:
                self.first = ev
            self._store(key, value, ev)

    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if not text or (len(text) >= 3 and not text.strip(".…-=` ")):
            return True
        pairs = split_pairs(text)
        if pairs is None:
            return False
        if len(pairs) == 1:
            key, value = pairs[0]
            prefixed = key.split()[0].lower() in ("ike", "ipsec")
            short = 0 < len(value.split()) <= 4 and len(key.split()) <= 6
            if not _is_header(key) and not prefixed and not short:
                return False  # "NOTE:", "Step 1: run the display ... command", prose
        self.take(pairs, ev)
        return True

    def close(self) -> None:
        self._flush()


def _command_tail(command: str, words: int) -> str:
    """What follows the first ``words`` tokens of a typed command (a flattened output)."""
    rest = command
    for _ in range(words):
        rest = rest.lstrip()
        cut = rest.find(" ")
        if cut == -1:
            return ""
        rest = rest[cut:]
    return rest.strip()


class _GlobalConfigParser:
    vendor = "huawei"
    priority = 100
    log_like = False
    name = ""
    scope = ""
    header = ""
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        return " ".join(text.lower().split()[:3]).startswith(self.header)

    def start(self, ctx: Context) -> _Block:
        block = _Block(ctx, self.scope)
        prompt = ctx.prompt
        if prompt is not None:
            tail = _command_tail(ctx.command, 4)
            pairs = split_pairs(tail) if tail else None
            if pairs:
                block.take(pairs, prompt)
            block.first = prompt
        return block


class IkeGlobalConfigParser(_GlobalConfigParser):
    name = "huawei.display-ike-global-config"
    scope = "ike"
    header = "ike global config"
    commands = (("display", "ike", "global", "config"),)


class IpsecGlobalConfigParser(_GlobalConfigParser):
    name = "huawei.display-ipsec-global-config"
    scope = "ipsec"
    header = "ipsec global config"
    commands = (("display", "ipsec", "global", "config"),)


PARSERS = (IkeGlobalConfigParser, IpsecGlobalConfigParser)
