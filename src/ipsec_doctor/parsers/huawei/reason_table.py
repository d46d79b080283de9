"""Shared reader for Huawei's reason tables: ``display ike error-info`` and
``display ike offline-info``.  Both print a table (one row per event) or, with ``verbose``, a
``Key : value`` block per event; they differ only in column names and in what the reason means.

Table rows seen in the reference documents and product manuals::

    1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32          (error-info)
    1.1.1.1     port mismatch after inbound sa miss    v1   2018-03-23 17:30:17  (no port column)
    10.2.2.2    500   hardware-timeout   v2   2015/08/01  16:05:55

A row cut by the terminal width continues on the next line; a truncated paste ends mid-row.
Both are handled: an incomplete row waits for its continuation and is emitted as-is otherwise.
"""

from __future__ import annotations

from ...model import Line, Signal
from ..base import Context
from ..util import is_clock, is_date, is_digits, is_ip, key_value, norm_time, to_int

_VERSIONS = ("v1", "v2")


def parse_row(tokens: list[str]) -> dict | None:
    """Split a complete row into fields; None when the row is not complete."""
    if len(tokens) < 4 or not is_ip(tokens[0]):
        return None
    i = 1
    port = None
    if is_digits(tokens[1]) and len(tokens[1]) <= 5:
        port = int(tokens[1])
        i = 2
    # time at the end: "date clock" or "date"
    j = len(tokens)
    time = None
    if j - 2 > i and is_date(tokens[j - 2]) and is_clock(tokens[j - 1]):
        time = norm_time(tokens[j - 2], tokens[j - 1])
        j -= 2
    elif is_date(tokens[j - 1]):
        time = norm_time(tokens[j - 1])
        j -= 1
    else:
        return None
    version = None
    if j - 1 >= i and tokens[j - 1].lower() in _VERSIONS:
        version = tokens[j - 1].lower()
        j -= 1
    if j <= i:
        return None
    return {
        "peer": tokens[0],
        "port": port,
        "reason": " ".join(tokens[i:j]),
        "version": version,
        "time": time,
    }


class ReasonTableBlock:
    """One table/verbose block of a reason command."""

    def __init__(self, ctx: Context, *, family: str, kind: str, headers: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.family = family
        self.kind = kind
        self.headers = headers
        self.pending: tuple[list[str], Line] | None = None  # an incomplete row
        self.record: dict[str, str] = {}  # verbose fields of the current record
        self.record_ev: Line | None = None
        self.default_peer = _filter_peer(ctx.command)

    # -- emit -------------------------------------------------------------------------------
    def _signal(self, ev: Line, **fields) -> None:
        self.ctx.emit(
            Signal(
                vendor="huawei",
                family=self.family,
                kind=self.kind,
                ev=ev,
                device=self.ctx.device,
                **fields,
            )
        )

    def _flush_pending(self) -> None:
        if self.pending is None:
            return
        tokens, ev = self.pending
        self.pending = None
        # truncated row: keep what we have, never drop the reason
        peer = tokens[0] if tokens and is_ip(tokens[0]) else self.default_peer
        rest = tokens[1:] if peer == (tokens[0] if tokens else None) else tokens
        port = None
        if rest and is_digits(rest[0]) and len(rest[0]) <= 5:
            port = int(rest[0])
            rest = rest[1:]
        version = None
        if rest and rest[-1].lower() in _VERSIONS:
            version = rest[-1].lower()
            rest = rest[:-1]
        if rest:
            self._signal(
                ev, reason=" ".join(rest), peer=peer, port=port, version=version, detail="truncated"
            )

    def _flush_record(self) -> None:
        rec, ev = self.record, self.record_ev
        self.record, self.record_ev = {}, None
        if not rec or ev is None:
            return
        reason = rec.get("reason") or rec.get("error-reason") or rec.get("offline-reason")
        detail = rec.get("detail")
        if not reason and not detail:
            return
        port = rec.get("port", "")
        time = rec.get("error-time") or rec.get("offline-time") or rec.get("time")
        if time:
            parts = time.split()
            if parts and is_date(parts[0]):
                time = norm_time(parts[0], parts[1] if len(parts) > 1 else "")
        self._signal(
            ev,
            reason=reason or detail or "",
            detail=detail if detail and detail != reason else None,
            peer=rec.get("peer") or self.default_peer,
            port=to_int(port),
            version=(rec.get("version") or "").lower() or None,
            time=time,
        )

    # -- Block protocol ---------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if not text:
            return True
        low = text.lower()
        if text.startswith("---") or text.startswith("==="):
            self._flush_pending()
            self._flush_record()
            return True
        if low.startswith(self.headers) or low.startswith(
            ("current info num", "current info number")
        ):
            return True
        if low.startswith("peer") and ("reason" in low or "port" in low) and ":" not in low:
            return True  # column header
        kv = key_value(text) if ":" in text and not is_ip(text.split()[0]) else None
        if kv is not None and kv[0] and len(kv[0]) <= 24 and " " not in kv[0].strip():
            key = kv[0].lower()
            if key == "peer":
                self._flush_record()
            if self.record_ev is None or key in ("reason", "error-reason", "offline-reason"):
                if key in ("reason", "error-reason", "offline-reason", "detail"):
                    self.record_ev = ev
                elif self.record_ev is None:
                    self.record_ev = ev
            self.record[key] = kv[1]
            return True
        tokens = text.split()
        if self.pending is not None:
            merged = self.pending[0] + tokens
            row = parse_row(merged)
            if row is not None:
                ev0 = self.pending[1]
                self.pending = None
                self._signal(ev0, **row)
                return True
            if is_ip(tokens[0]):
                self._flush_pending()
            elif len(merged) < 40:
                self.pending = (merged, self.pending[1])
                return True
            else:
                self._flush_pending()
                return False
        row = parse_row(tokens)
        if row is not None:
            self._signal(ev, **row)
            return True
        if is_ip(tokens[0]):
            self.pending = (tokens, ev)
            return True
        return False

    def close(self) -> None:
        self._flush_pending()
        self._flush_record()


def _filter_peer(command: str) -> str | None:
    toks = command.split()
    for i, t in enumerate(toks[:-1]):
        if t.lower() == "peer" and is_ip(toks[i + 1]):
            return toks[i + 1]
    return None


class ReasonTableParser:
    """Base for the two reason commands; subclasses set names and header words."""

    vendor = "huawei"
    log_like = False
    name = ""
    family = ""
    kind = ""
    commands: tuple[tuple[str, ...], ...] = ()
    headers: tuple[str, ...] = ()

    def accepts(self, text: str) -> bool:
        head = text.lstrip()[:64].lower()  # a prefix of the lower-cased line: headers are short
        if head.startswith(self.headers):
            return True
        # a headerless row: ip [port] reason v1|v2 date time (``is_ip`` of the first token)
        c = head[:1]
        if not c or not (is_digits(c) or c in "abcdef:"):
            return False
        tokens = text.lower().split()
        if len(tokens) < 4:
            return False
        row = parse_row(tokens)
        return row is not None and self._row_is_ours(row["reason"])

    def _row_is_ours(self, reason: str) -> bool:
        return False

    def start(self, ctx: Context) -> ReasonTableBlock:
        return ReasonTableBlock(ctx, family=self.family, kind=self.kind, headers=self.headers)
