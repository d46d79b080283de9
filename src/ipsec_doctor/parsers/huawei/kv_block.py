"""Shared reader for Huawei ``Key : value`` display outputs (IKE peer, IKE/IPsec proposal,
IPsec policy, IPsec interface).  The command modules build on it; it defines no parser itself.

What one output line can be (``classify``)::

    ------------------------------------------          rule (also ======= and -----)
     Peer name                       : 1                key : value (any spacing around ':')
     Remote IP    : 1.1.1.1(www.huawei.com) //note      the documents' "//" notes are dropped
     Authentic IP address            :                  key with an empty value
    ......                                              elision (any run of dots)
                         Encryption AES-256             text: a wrapped value or the end
    %#                                                  text: the tail of a wrapped cipher blob
    Error: The IKE peer does not exist.                 a device message (Error/Info/Warning)
    ```                                                 a markdown fence of a pasted document

Keys are compared ``squash``-ed: lower case without blanks, ``-`` and ``_`` and without a
trailing unit such as ``(s)`` or ``(seconds)``, so ``NAT-traversal``/``NAT traversal`` and
``DPD idle-time(s)``/``DPD idle-time`` are one key.  Values are cleaned of the notes that the
reference documents append (`` //...``) and of nothing else.

``ConfigListing`` is the per-command summary each parser emits when its output ends: how many
records it held (0 = nothing configured, itself evidence), the printed total, the name filter
that was typed, and the device's own message when it printed one instead of records.

Everything is plain string work (no regular expressions), linear in the line length.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from ...ingest.prompts import command_matches, command_tokens
from ...model import Line, State, Unparsed
from ..base import Context
from ..util import is_digits
from .ike_sa import output_on_prompt_line

# -- line classification -----------------------------------------------------------------------
BLANK = "blank"
RULE = "rule"
ELISION = "elision"
FENCE = "fence"
MESSAGE = "message"
KV = "kv"
TEXT = "text"

_MESSAGE_HEADS = ("error:", "info:", "warning:", "error :", "info :", "warning :")
_UNITS = ("(s)", "(sec)", "(second)", "(seconds)", "(kb)", "(kilobytes)", "(bytes)")
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_()/'.")
_ALGO_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")
MAX_KEY = 64
MAX_VALUE = 1024  # a configuration value is short; a longer one is cut (garbage stays cheap)
MAX_WRAP = 256  # a value wrapped by the terminal continues with at most one screen line
ABSENT = frozenset({"", "-", "--", "null", "n/a", "none"})
# key words that may name a secret: such fields are never kept, whatever their value
_SECRET_WORDS = ("key", "secret", "password", "passwd", "cipher", "psk", "authcode")


class Item:
    """One classified line: its kind and, for ``KV``, the key and value."""

    __slots__ = ("key", "kind", "raw_key", "text", "value")

    def __init__(self, kind: str, text: str = "", raw_key: str = "", value: str = "") -> None:
        self.kind = kind
        self.text = text  # stripped, note removed
        self.raw_key = raw_key  # the key as printed, blanks collapsed
        self.key = squash(raw_key) if raw_key else ""
        self.value = value


def strip_note(text: str) -> str:
    """Drop a ``//`` note (at the start or after a blank) and what follows it."""
    i = text.find("//")
    while i != -1:
        if i == 0 or text[i - 1] in " \t":
            return text[:i].rstrip()
        i = text.find("//", i + 2)
    return text


def squash(key: str) -> str:
    """Comparable form of a key: lower case, no blanks/``-``/``_``, no trailing unit."""
    k = key.strip().lower()
    for unit in _UNITS:
        if k.endswith(unit):
            k = k[: -len(unit)]
            break
    return k.replace(" ", "").replace("-", "").replace("_", "").replace("\t", "")


def _is_key(key: str) -> bool:
    if not key or len(key) > MAX_KEY or not key[0].isalpha():
        return False
    if key.count(" ") > 7:
        return False
    return all(c in _KEY_CHARS for c in key)


_MONTHS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())


def _log_line(s: str) -> bool:
    """``Sep 14 2017 11:14:11 AR1 IKE/7/IKE_Debug:`` or a bare ``IKE_ERROR 17:5773 ...``."""
    if s.startswith(("IKE_ERROR", "IKE_INFO", "IKE_PACKET", "[IPSEC-", "%%")):
        return True
    parts = s.split(None, 2)
    return len(parts) >= 2 and parts[0][:3].lower() in _MONTHS and is_digits(parts[1])


def classify(text: str) -> Item:
    """Classify one (redacted, cleaned) output line."""
    s = text.strip()
    if not s:
        return Item(BLANK)
    head = s[0]
    if head in "-=" and len(s) >= 3 and not s.strip(head):
        return Item(RULE, s)
    if head == "." and not s.strip("."):
        return Item(ELISION, s)
    if head == "`" and not s.strip("`"):
        return Item(FENCE, s)
    if head == "^" and not s.strip("^ "):
        return Item(BLANK)  # the error caret under a mistyped command
    s = strip_note(s)
    if not s:
        return Item(BLANK)
    if _log_line(s):
        return Item(TEXT, s)  # a log/debug message ends the block: it is not a field
    low = s[:10].lower()
    if low.startswith(_MESSAGE_HEADS):
        return Item(MESSAGE, s, value=s.partition(":")[2].strip())
    if ":" in s:
        k, _, v = s.partition(":")
        k = " ".join(k.split())
        if _is_key(k):
            return Item(KV, s, raw_key=k, value=v.strip())
    return Item(TEXT, s)


# -- value conversions -------------------------------------------------------------------------


def text_or_none(value: str) -> str | None:
    """The value as printed, or None when the device prints it as absent (``-``, ``NULL``)."""
    v = value.strip()
    return None if v.lower() in ABSENT else v


def lower_or_none(value: str) -> str | None:
    v = text_or_none(value)
    return v.lower() if v is not None else None


def to_bool(value: str) -> bool | None:
    """Enable/Disable style flags; None when the value is neither."""
    v = value.strip().lower()
    if v in ("enable", "enabled", "yes", "true", "on", "y"):
        return True
    if v in ("disable", "disabled", "no", "false", "off", "n"):
        return False
    return None


def first_int(value: str) -> int | None:
    """The first whole number in ``value`` (``3600 seconds`` -> 3600, ``30 (s)`` -> 30)."""
    for tok in value.replace("(", " ").replace(")", " ").replace(",", " ").split():
        if is_digits(tok) and len(tok) <= 18:
            return int(tok)
    return None


def words(value: str) -> tuple[str, ...]:
    """Blank/comma separated values without the absent markers."""
    return tuple(t for t in value.replace(",", " ").split() if t.lower() not in ABSENT)


def ints(value: str) -> tuple[int, ...]:
    return tuple(int(t) for t in words(value) if is_digits(t) and len(t) <= 18)


def is_secret_key(key: str) -> bool:
    """True for keys that may hold a secret (``Pre-shared-key``, ``ESP string-key``, ...)."""
    k = squash(key)
    return any(w in k for w in _SECRET_WORDS)


def looks_like_algorithms(text: str) -> bool:
    """A wrapped list of algorithm names: ``AES-128 3DES``, ``HMAC-SHA2-256`` (never prose)."""
    toks = text.split()
    if not toks or len(toks) > 12:
        return False
    for t in toks:
        if len(t) > 40 or not all(c in _ALGO_CHARS for c in t):
            return False
        if not any(is_digits(c) for c in t) and t.upper() != t:
            return False
    return True


# -- records -----------------------------------------------------------------------------------


class Record:
    """The raw fields of one record: squashed key -> value, and the line of each key."""

    __slots__ = ("elided", "ev", "last", "lines", "long_last", "order", "raw", "values")

    def __init__(self, ev: Line) -> None:
        self.ev = ev
        self.values: dict[str, str] = {}
        self.raw: dict[str, str] = {}  # squashed key -> key as printed
        self.lines: dict[str, Line] = {}
        self.order: list[str] = []
        self.elided = False
        self.last: str | None = None  # key of the previous line, for wrapped values
        self.long_last = False  # the previous key line was long enough to have been wrapped

    def put(self, item: Item, ev: Line, key: str | None = None) -> None:
        """Store ``item`` (under ``key`` when given: a key qualified by its section)."""
        key = key or item.key
        if key not in self.values:
            self.order.append(key)
        self.values[key] = item.value[:MAX_VALUE]
        self.raw[key] = item.raw_key
        self.lines[key] = ev
        self.last = key
        self.long_last = len(ev.text.rstrip()) >= 60

    def extend(self, text: str, *, glue: str = " ") -> None:
        if self.last is not None:
            self.values[self.last] = (self.values[self.last] + glue + text).strip()[:MAX_VALUE]

    def has(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str) -> str | None:
        return self.values.get(key)


Converter = Callable[[str], object]


def build(
    rec: Record,
    fields: dict[str, tuple[str, Converter]],
    *,
    skip: frozenset[str] = frozenset(),
) -> tuple[dict[str, object], dict[str, Line], tuple[tuple[str, str], ...]]:
    """Typed keyword arguments for a fact from ``rec``.

    ``fields`` maps a squashed key to (attribute, converter).  Keys not in it (and not in
    ``skip``) become ``extra`` pairs (key as printed, value) unless they may hold a secret; their
    lines are under ``extra:<key in lower case>``.  Returns (kwargs, lines by attribute, extra).
    """
    kwargs: dict[str, object] = {}
    lines: dict[str, Line] = {}
    extra: list[tuple[str, str]] = []
    for key in rec.order:
        value = rec.values[key]
        spec = fields.get(key)
        if spec is not None:
            attr, conv = spec
            out = conv(value)
            # the first printed value wins; a later one only fills an absent value
            if attr not in kwargs or (kwargs[attr] in (None, ()) and out not in (None, ())):
                kwargs[attr] = out
                lines[attr] = rec.lines[key]
        elif key not in skip and not is_secret_key(key):
            raw = rec.raw[key]
            extra.append((raw, value))
            lines.setdefault("extra:" + raw.lower(), rec.lines[key])
    return kwargs, lines, tuple(extra)


# -- the per-command summary -------------------------------------------------------------------


class ConfigListing(State, kw_only=True):
    """One command output as a whole.

    ``records`` counts the records read (0: the output listed nothing, e.g. no IPsec policy is
    applied to any interface); ``total`` is the count the device printed ("Number of ...");
    ``name_filter`` is the name/number typed after the command (``display ike peer name p1``:
    ``p1``), so that an empty filtered output means "this one does not exist"; ``message`` is
    the device's own ``Error:``/``Info:`` text when it printed one (then ``records == 0`` is
    no evidence of an empty configuration); ``elided`` says that the paste left lines out
    (``......``).
    """

    command: str = ""
    records: int = 0
    total: int | None = None
    name_filter: str | None = None
    message: str | None = None
    elided: bool = False


def command_filter(command: str, words_before: tuple[str, ...]) -> str | None:
    """The token after one of ``words_before`` in a typed command (``name p1`` -> ``p1``)."""
    toks = command.split("|", 1)[0].split()
    for i, t in enumerate(toks[:-1]):
        if t.lower() in words_before:
            return toks[i + 1]
    return None


class KvBlock:
    """Base of the command blocks: classification, totals, messages and the listing fact.

    Subclasses set ``listing_cls``, ``listing_family``, ``total_keys``, ``filter_words`` and
    implement ``on_kv``/``on_text`` (return False to end the block), ``on_rule`` and ``flush``.
    They call ``emit_record`` for each fact.  When the first line that is neither blank, a rule
    nor an elision is refused, the output is another command's (a mislabelled paste) when that
    line is a ``Key : value`` line or follows a rule: ``close`` then emits an ``Unparsed`` fact
    instead of the listing; when it is plain text (a document's prose right after a flattened
    sample), nothing is emitted.  An output with no line at all, or blank lines only, is an
    empty listing (``records == 0``), cited at the prompt line when the scanner provides it,
    except when the output was flattened onto the prompt line itself (seed 001 samples,
    ``<sysname> display ike peer name peer1 ----- Peer name : peer1 ...``): that output is not
    read, and nothing is emitted for it (it is not empty: ``output_on_prompt_line``).
    """

    listing_cls: type[ConfigListing] = ConfigListing
    listing_family = "config-listing"
    total_keys: frozenset[str] = frozenset()
    filter_words: tuple[str, ...] = ("name",)
    commands: tuple[tuple[str, ...], ...] = ()

    def __init__(self, ctx: Context, commands: tuple[tuple[str, ...], ...]) -> None:
        self.ctx = ctx
        self.commands = commands
        self.first: Line | None = None
        self.records = 0
        self.total: int | None = None
        self.total_line: Line | None = None
        self.message: str | None = None
        self.message_line: Line | None = None
        self.elided = False
        self.after_kv = False  # the previous non-blank line was a key line
        self.seen = False  # some line was read as this command's output
        self.foreign: Line | None = None  # the first refused line, when nothing was read
        self.prose = False  # the first refused line was plain text (a document's prose)
        self.rules = False  # a dashed rule was seen

    # -- to implement -------------------------------------------------------------------------
    def on_kv(self, item: Item, ev: Line) -> bool:
        raise NotImplementedError

    def on_text(self, item: Item, ev: Line) -> bool:
        return False

    def on_rule(self, ev: Line) -> None:
        return None

    def on_elision(self) -> None:
        return None

    def flush(self) -> None:
        return None

    # -- helpers ------------------------------------------------------------------------------
    def emit_record(self, fact: State) -> None:
        self.records += 1
        self.ctx.emit(fact)

    def _ours(self) -> bool:
        toks = command_tokens(self.ctx.command)
        return bool(toks) and any(command_matches(toks, full) for full in self.commands)

    # -- Block protocol -----------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        if self.first is None:
            self.first = ev
        item = classify(ev.text)
        kind = item.kind
        if kind == BLANK or kind == FENCE:
            return True
        if kind == ELISION:
            self.elided = True
            self.on_elision()
            return True
        if kind == RULE:
            self.after_kv = False
            self.rules = True
            self.on_rule(ev)
            return True
        if kind == MESSAGE:
            if self.message is None:
                self.message, self.message_line = item.value or item.text, ev
            self.seen = True
            return True
        if kind == KV and item.key in self.total_keys:
            self.total, self.total_line = first_int(item.value), ev
            self.seen = True
            return True
        if kind == KV:
            ok = self.on_kv(item, ev)
            self.after_kv = ok
        else:
            ok = self.on_text(item, ev)
            self.after_kv = False
        if ok:
            self.seen = True
        elif not self.seen:
            if kind == KV or self.rules:
                self.foreign = ev  # output of some other command (or a mislabelled paste)
            else:
                self.prose = True  # the output ended before it began: nothing to say
        return ok

    def close(self) -> None:
        self.flush()
        if not self.seen and output_on_prompt_line(self.ctx.command):
            return  # the output sits unread on the prompt line: nothing is known of it
        if not self.seen and self.foreign is not None:
            # another command's output under this prompt: say so instead of "nothing listed"
            family = self.listing_family.removesuffix("-list")
            self.ctx.emit(Unparsed(family=family, ev=self.foreign, device=self.ctx.device))
            return
        if not self.seen and self.prose:
            return
        ours = self._ours()
        if not ours and self.records == 0:
            return
        ev = self.ctx.prompt or self.first
        if ev is None:
            return
        lines: dict[str, Line] = {}
        if self.total_line is not None:
            lines["total"] = self.total_line
        if self.message_line is not None:
            lines["message"] = self.message_line
        self.ctx.emit(
            self.listing_cls(
                vendor="huawei",
                family=self.listing_family,
                ev=ev,
                device=self.ctx.device,
                lines=lines,
                command=self.ctx.command if ours else "",
                records=self.records,
                total=self.total,
                name_filter=command_filter(self.ctx.command, self.filter_words) if ours else None,
                message=self.message,
                elided=self.elided,
            )
        )


class RecordBlock(KvBlock):
    """A listing of ``Key : value`` records (peers, proposals, interfaces): a start key, or a
    key already set in the open record, opens a new record; a dashed rule closes it.

    Subclasses set ``start_keys`` and ``fields`` and implement ``flush`` (build and emit the
    open record ``self.rec``); they may override ``on_text`` for wrapped values.
    """

    start_keys: ClassVar[frozenset[str]] = frozenset()
    fields: ClassVar[dict[str, tuple[str, Converter]]] = {}

    def __init__(self, ctx: Context, commands: tuple[tuple[str, ...], ...]) -> None:
        super().__init__(ctx, commands)
        self.rec: Record | None = None

    def on_kv(self, item: Item, ev: Line) -> bool:
        rec = self.rec
        if rec is None and item.key not in self.start_keys and item.key not in self.fields:
            return False  # no record open: only a known key starts one
        if rec is None or item.key in self.start_keys or rec.has(item.key):
            self.flush()
            rec = self.rec = Record(ev)
        rec.put(item, ev)
        return True

    def on_rule(self, ev: Line) -> None:
        self.flush()

    def on_elision(self) -> None:
        if self.rec is not None:
            self.rec.elided = True
