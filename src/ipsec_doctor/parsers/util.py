"""Small token helpers shared by parsers (no regexes that can backtrack)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Line, State
    from .base import Context


MAX_DIGITS = 20


def is_digits(tok: str) -> bool:
    """True for one or more ASCII digits ``0``-``9``: the numbers ``int()`` takes.

    ``str.isdigit()`` also accepts superscripts ("²") and circled digits ("①"), which ``int()``
    rejects, and Unicode decimals ("١", "１"), which no device prints as a number."""
    return tok.isascii() and tok.isdecimal()


def to_int(tok: str, max_digits: int = MAX_DIGITS) -> int | None:
    """``tok`` as a non-negative integer when it is ASCII digits only, at most ``max_digits`` of
    them (``int()`` refuses more than 4300); else None."""
    return int(tok) if len(tok) <= max_digits and is_digits(tok) else None


def is_ip(tok: str) -> bool:
    """True for an IPv4 or IPv6 address (no prefix length)."""
    if not tok or len(tok) > 45:
        return False
    c = tok[0]
    if not (is_digits(c) or c in "abcdefABCDEF:"):
        return False
    try:
        ipaddress.ip_address(tok)
    except ValueError:
        return False
    return True


def is_date(tok: str) -> bool:
    """2017-09-05 or 2018/04/01."""
    if len(tok) < 8 or len(tok) > 10:
        return False
    sep = "-" if "-" in tok else "/"
    parts = tok.split(sep)
    return len(parts) == 3 and all(is_digits(p) for p in parts) and len(parts[0]) == 4


def is_clock(tok: str) -> bool:
    """15:22:32 (optionally with fractions)."""
    parts = tok.split(":")
    return len(parts) == 3 and all(is_digits(p.split(".")[0]) for p in parts)


def norm_time(date: str, clock: str = "") -> str:
    """ISO-like ``YYYY-MM-DD HH:MM:SS`` so that times sort as strings."""
    d = date.replace("/", "-")
    y, m, dd = d.split("-")
    out = f"{y}-{int(m):02d}-{int(dd):02d}"
    return f"{out} {clock}" if clock else out


def key_value(text: str) -> tuple[str, str] | None:
    """``Key : value`` (first colon) with both sides stripped; None if no colon."""
    k, sep, v = text.partition(":")
    if not sep:
        return None
    return k.strip(), v.strip()


def emit_table(
    ctx: Context,
    cls: type[State],
    family: str,
    fallback: Line | None,
    *,
    rows: int,
    total: int | None,
    total_line: Line | None,
    **extra: object,
) -> None:
    """Emit the table-level fact of a command output (also for an empty output, which is
    evidence): cited at the prompt line, else at ``fallback`` (the output's first line);
    nothing when there is neither."""
    ev = ctx.prompt or fallback
    if ev is None:
        return
    ctx.emit(
        cls(  # type: ignore[call-arg]
            vendor="huawei",
            family=family,
            ev=ev,
            device=ctx.device,
            rows=rows,
            total=total,
            lines={"total": total_line} if total_line else {},
            **extra,
        )
    )
