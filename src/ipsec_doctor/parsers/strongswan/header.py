"""Line headers of Linux IKE daemon logs (strongSwan charon, Libreswan pluto).

Shapes read (every part optional, in this order)::

    Nov 23 20:25:54                                  (syslog / charon filelog stamp)
    Nov 23 20:25:54.369070:                          (pluto log file, with a colon)
    2026-11-23T20:25:54.123456+00:00                 (RFC 3339: rsyslog, journalctl -o short-iso)
    2026-11-23 20:25:54                              (charon filelog with a custom time_format)
    <134>                                            (syslog priority)
    host                                             (the sending host, before the program)
    charon: / charon[1234]: / charon-systemd[1234]: / pluto[1234]: / ipsec[1]:   (program)

``split`` returns the time (``Nov 23 20:25:54`` or ``2026-11-23 20:25:54``), the host name (only
when a program token follows it), the program name and where the rest starts.  Pure ``str``
work on the first ``HEAD`` characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..util import is_digits, is_ip

HEAD = 160
_MONTH_LIST = "jan feb mar apr may jun jul aug sep oct nov dec".split()
MONTHS = frozenset(_MONTH_LIST)
_HOST_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


@dataclass
class Head:
    time: str | None
    host: str | None
    program: str | None  # "charon", "charon-systemd", "pluto", ...
    rest: int  # index where the part after the header starts


def _clock(tok: str) -> str | None:
    """``20:25:54``, ``20:25:54.369070``, ``20:25:54:`` -> ``20:25:54``."""
    t = tok.rstrip(":")
    if len(t) < 8 or t[2] != ":" or t[5] != ":":
        return None
    hh, mm, ss = t[0:2], t[3:5], t[6:8]
    if not (is_digits(hh) and is_digits(mm) and is_digits(ss)):
        return None
    frac = t[8:]
    if frac and not (frac[0] in ".," and is_digits(frac[1:])):
        return None
    return f"{hh}:{mm}:{ss}"


def _iso(tok: str) -> str | None:
    """``2026-11-23T20:25:54.123+00:00`` -> ``2026-11-23 20:25:54``."""
    if len(tok) < 19 or tok[4] != "-" or tok[7] != "-" or tok[10] not in "T ":
        return None
    date = tok[:10]
    if not (is_digits(date[:4]) and is_digits(date[5:7]) and is_digits(date[8:10])):
        return None
    clock = _clock(tok[11:19])
    return f"{date} {clock}" if clock else None


def _date(tok: str) -> bool:
    return len(tok) == 10 and tok[4] == "-" and tok[7] == "-" and is_digits(tok.replace("-", ""))


def program_of(tok: str) -> str | None:
    """``charon:``, ``charon[12]:``, ``pluto[3]:`` -> the program name; None otherwise."""
    if not tok.endswith(":") or len(tok) > 48:
        return None
    t = tok[:-1]
    if t.endswith("]"):
        name, sep, pid = t[:-1].partition("[")
        if not sep or not is_digits(pid):
            return None
        t = name
    if not t or not t[0].isalpha() or any(c not in _HOST_CHARS for c in t):
        return None
    return t


def _host(tok: str) -> str | None:
    if not tok or len(tok) > 64 or tok.lower() in MONTHS:
        return None
    if is_ip(tok):
        return tok
    if not tok[0].isalnum() or any(c not in _HOST_CHARS for c in tok) or is_digits(tok):
        return None
    return tok


def split(text: str) -> Head:
    """Read the header of ``text`` (see the module docstring)."""
    end = min(len(text), HEAD)
    i = 0
    n = end
    time: str | None = None
    host: str | None = None
    program: str | None = None

    def skip(j: int) -> int:
        while j < n and text[j] == " ":
            j += 1
        return j

    def token(j: int) -> tuple[str, int]:
        k = text.find(" ", j, n)
        if k == -1:
            k = n
        return text[j:k], k

    i = skip(0)
    tok, j = token(i)
    if tok.startswith("<"):  # syslog priority
        close = tok.find(">", 1, 6)
        if close > 1 and is_digits(tok[1:close]):
            i = i + close + 1
            if i >= j:
                i = skip(j)
            tok, j = token(i)
    if tok[:3].lower() in MONTHS and len(tok) == 3:
        day_i = skip(j)
        day, k = token(day_i)
        clock_i = skip(k)
        clock_tok, m = token(clock_i)
        year = None
        if len(clock_tok) == 4 and is_digits(clock_tok):  # "Nov 23 2026 20:25:54"
            year = clock_tok
            clock_i = skip(m)
            clock_tok, m = token(clock_i)
        clock = _clock(clock_tok)
        if is_digits(day) and len(day) <= 2 and clock:
            name = tok[:3].capitalize()
            if year:
                mon = _MONTH_LIST.index(name.lower()) + 1
                time = f"{year}-{mon:02d}-{int(day):02d} {clock}"
            else:
                time = f"{name} {int(day)} {clock}"
            i = skip(m)
            tok, j = token(i)
    elif _iso(tok):
        time = _iso(tok)
        i = skip(j)
        tok, j = token(i)
    elif _date(tok):
        clock_tok, m = token(skip(j))
        clock = _clock(clock_tok)
        if clock:
            time = f"{tok} {clock}"
            i = skip(m)
            tok, j = token(i)
    if tok and program_of(tok) is None:
        nxt, k = token(skip(j))
        if nxt and program_of(nxt) is not None and _host(tok.rstrip(":")):
            host = _host(tok.rstrip(":"))
            i = skip(j)
            tok, j = nxt, k
    prog = program_of(tok) if tok else None
    if prog is not None:
        program = prog
        i = skip(j)
    return Head(time, host, program, i)
