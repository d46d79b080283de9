"""``display cpu-usage`` and ``display clock``: is the device overloaded, and what time does it
think it is (certificate validity, SA lifetimes and log correlation depend on it).

``display cpu-usage`` shapes (AR/USG VRP5, VRP8 ``display cpu``-style, product manuals)::

    CPU Usage Stat. Cycle: 60 (Second)
    CPU Usage            : 28% Max: 87%
    CPU Usage Stat. Time : 2022-01-13  18:57:06
    CPU utilization for five seconds: 28%: one minute: 28%: five minutes: 20%
    Max CPU Usage Stat. Time : 2021-10-05 17:50:44.

    TaskName        CPU  Runtime(CPU Tick High/Tick Low)  Task Explanation
    VIDL           85%         0/2b6e2f5b       DOPRA IDLE
    OS              7%         0/ 3c0e4e7       Operation System

    CPU utilization statistics at 2016-02-02 02:07:22 366 ms          (VRP8)
    System CPU Using Percentage :   6%
    CPU utilization for five seconds: 6%, one minute: 6%, five minutes: 6%.
    Max CPU Usage :                38%
    Max CPU Usage Stat. Time : 2016-02-01 12:29:26 821 ms
    State: Non-overload
    Overload threshold: 90%, Overload clear threshold: 75%, Duration: 480s
    ServiceName  UseRate
    SYSTEM         6%

    CPU utilization for ten seconds: 11.9%                              (one period a line)
    one minute: 12.0%
    five minutes: 12.0%

``display clock`` shapes::

    2017-09-05 15:30:41                       (AR, VRP8)
    2017-09-05 15:30:41+08:00 DST             (offset and daylight saving time in effect)
    Tuesday
    Time Zone(DefaultZoneName) : UTC
    Time Zone(BeiJing) : UTC+08:00
    Daylight saving time :                    (then indented "Name : ...", "Start time : ...")
    15:38:49 UTC Mon 2008/06/23               (older VRP: time, zone, weekday, date on one line)

Facts: ``CpuUsage`` (percentages as floats, tasks in printed order; a repeated statistics block
starts a new fact) and ``Clock``.  Neither output carries an IPsec keyword, so neither is
recognised without its prompt; the first fact of an output cites that prompt line, a repeated
block (the output pasted again without its prompt) its own first line.  An empty output gives
no fact.  Unknown ``key: value`` lines of the CPU summary (``State``, ``Overload threshold``
...) and the daylight-saving details are kept in ``other``.  ``lines`` maps each field to its
line (tasks carry their own line).
"""

from __future__ import annotations

import msgspec

from ...model import Line, State
from ..base import Context
from ..util import is_clock, is_date, is_digits, norm_time, to_int

_MAX_TASKS = 512
_MAX_OTHER = 64
_IDLE_TASKS = frozenset({"vidl", "idle", "idl"})
_PERIODS = (
    ("five seconds", "usage_5s"),
    ("ten seconds", "usage_10s"),
    ("one minute", "usage_1m"),
    ("five minutes", "usage_5m"),
)
_WEEKDAYS = {
    d[:3]: d for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


class CpuTask(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the task (or service) table."""

    name: str
    usage: float  # percent
    explanation: str | None = None
    ev: Line


class CpuUsage(State, kw_only=True):
    """CPU load; all percentages are 0-100 floats."""

    usage: float | None = None  # now ("CPU Usage", "System CPU Using Percentage")
    max_usage: float | None = None
    usage_5s: float | None = None
    usage_10s: float | None = None
    usage_1m: float | None = None
    usage_5m: float | None = None
    cycle_seconds: int | None = None  # CPU Usage Stat. Cycle
    stat_time: str | None = None  # "YYYY-MM-DD HH:MM:SS"
    max_time: str | None = None  # when max_usage was seen
    tasks: tuple[CpuTask, ...] = ()
    other: dict[str, str] = msgspec.field(default_factory=dict)

    def top_tasks(self, n: int = 5, *, include_idle: bool = False) -> tuple[CpuTask, ...]:
        """The ``n`` busiest tasks (the idle task left out unless asked for)."""
        rows = [t for t in self.tasks if include_idle or t.name.lower() not in _IDLE_TASKS]
        return tuple(sorted(rows, key=lambda t: -t.usage)[:n])


class Clock(State, kw_only=True):
    """The device's idea of the current time."""

    date: str | None = None  # YYYY-MM-DD
    time: str | None = None  # HH:MM:SS (fractions dropped)
    utc_offset: str | None = None  # "+08:00" when printed after the time
    dst: bool = False  # "DST" printed after the time: daylight saving time in effect
    weekday: str | None = None  # "Tuesday"
    zone_name: str | None = None  # "BeiJing" in "Time Zone(BeiJing)", or "UTC" (older VRP)
    zone_offset: str | None = None  # "UTC+08:00" as printed after "Time Zone(...) :"
    other: dict[str, str] = msgspec.field(default_factory=dict)  # "dst.<key>" details

    @property
    def timestamp(self) -> str | None:
        if self.date and self.time:
            return f"{self.date} {self.time}"
        return self.date


# -- small readers ------------------------------------------------------------------------------


def _percent(text: str) -> float | None:
    """``28%``, `` 11.9%``, ``6%.`` -> float; None otherwise."""
    body = text.strip().rstrip(".,").rstrip("%").strip()
    if not body or len(body) > 12 or body.count(".") > 1:
        return None
    if not is_digits(body.replace(".", "", 1)):
        return None
    return float(body)


def _first_percent(text: str) -> float | None:
    """The first ``N%`` in ``text``."""
    cut = text.find("%")
    if cut == -1:
        return None
    start = cut
    while start > 0 and (is_digits(text[start - 1]) or text[start - 1] == ".") and cut - start < 12:
        start -= 1
    return _percent(text[start:cut])


def _stamp(text: str) -> str | None:
    """First ``date [clock]`` in ``text`` as ``YYYY-MM-DD HH:MM:SS`` (fractions dropped)."""
    toks = text.split()
    for i, tok in enumerate(toks[:16]):
        if is_date(tok):
            nxt = toks[i + 1].rstrip(".") if i + 1 < len(toks) else ""
            return norm_time(tok, nxt.split(".")[0] if is_clock(nxt) else "")
    return None


def _split_clock(tok: str) -> tuple[str, str | None] | None:
    """``15:30:41``, ``15:30:41.302``, ``15:30:41+08:00`` -> (HH:MM:SS, offset)."""
    offset = None
    for sign in "+-":
        at = tok.find(sign, 5)
        if at != -1:
            tok, offset = tok[:at], tok[at:]
            break
    if not is_clock(tok):
        return None
    return tok.split(".")[0], offset


def _date(tok: str) -> str | None:
    if is_date(tok):
        return norm_time(tok)
    parts = tok.split("/")  # MM/DD/YYYY
    if len(parts) == 3 and all(is_digits(p) for p in parts) and len(parts[2]) == 4:
        return norm_time(f"{parts[2]}-{parts[0]}-{parts[1]}")
    return None


# -- display cpu-usage --------------------------------------------------------------------------


class _CpuBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.fields: dict[str, object] = {}
        self.lines: dict[str, Line] = {}
        self.other: dict[str, str] = {}
        self.tasks: list[CpuTask] = []
        self.in_tasks = False
        self.emitted = 0

    def _flush(self) -> None:
        if self.fields or self.tasks or self.other:
            ev = self.first
            if self.emitted == 0 and self.ctx.prompt is not None:
                ev = self.ctx.prompt
            assert ev is not None
            self.ctx.emit(
                CpuUsage(
                    vendor="huawei",
                    family="cpu-usage",
                    ev=ev,
                    device=self.ctx.device,
                    lines=self.lines,
                    tasks=tuple(self.tasks),
                    other=self.other,
                    **self.fields,  # type: ignore[arg-type]
                )
            )
            self.emitted += 1
        self.fields, self.lines, self.other, self.tasks = {}, {}, {}, []
        self.first = None
        self.in_tasks = False

    def _set(self, field: str, value: object, ev: Line) -> None:
        if value is None:
            return
        if field in self.fields:  # a second statistics block
            self._flush()
        if self.first is None:
            self.first = ev
        self.fields[field] = value
        self.lines[field] = ev

    def _periods(self, low: str, ev: Line) -> bool:
        found = False
        for phrase, field in _PERIODS:
            at = low.find(phrase)
            if at == -1:
                continue
            colon = low.find(":", at + len(phrase), at + len(phrase) + 4)
            if colon == -1:
                continue
            value = _first_percent(low[colon + 1 : colon + 24])
            if value is not None:
                if field in self.fields and not found:
                    self._flush()
                self._set(field, value, ev)
                found = True
        return found

    def _task(self, text: str, ev: Line) -> bool:
        toks = text.split(None, 16)
        if not 2 <= len(toks) <= 16 or not toks[1].endswith("%"):
            return False
        if len(toks[0]) > 40 or toks[0].endswith("%") or toks[0].endswith(":"):
            return False
        usage = _percent(toks[1])
        if usage is None:
            return False
        rest = toks[2:]
        if rest and "/" in rest[0]:  # runtime "0/2b6e2f5b" or "0/ 3c0e4e7"
            rest = rest[2:] if rest[0].endswith("/") else rest[1:]
        if len(self.tasks) < _MAX_TASKS:
            self.tasks.append(
                CpuTask(name=toks[0], usage=usage, explanation=" ".join(rest) or None, ev=ev)
            )
        if self.first is None:
            self.first = ev
        return True

    def _other(self, key: str, value: str, ev: Line) -> None:
        key = " ".join(key.lower().split())
        if len(self.other) < _MAX_OTHER and key:
            self.other[key] = value.strip()
            self.lines["other." + key] = ev

    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if not text or not text.strip(".-=`… "):
            return True
        low = " ".join(text.lower().split())
        if low.startswith(("taskname", "servicename", "task name", "service name")):
            self.in_tasks = True
            return True
        if self.in_tasks and self._task(text, ev):
            return True
        if low.startswith("cpu usage stat. cycle") or low.startswith("cpu usage stat cycle"):
            value = low.partition(":")[2].split()
            self._set("cycle_seconds", to_int(value[0]) if value else None, ev)
            if self.first is None:
                self.first = ev
            return True
        if low.startswith(("cpu usage stat. time", "cpu usage stat time")):
            self._set("stat_time", _stamp(text.partition(":")[2]), ev)
            return True
        if low.startswith("max cpu usage stat"):
            self._set("max_time", _stamp(text.partition(":")[2]), ev)
            return True
        if low.startswith("cpu utilization statistics at"):
            self._set("stat_time", _stamp(text[len("cpu utilization statistics at") :]), ev)
            return True
        if low.startswith(("cpu usage", "system cpu using percentage", "cpu using percentage")):
            key, _, value = low.partition(":")
            usage, _, mx = value.partition("max")
            self._set("usage", _first_percent(usage), ev)
            if mx:
                self._set("max_usage", _first_percent(mx), ev)
            return "usage" in self.fields and self.lines.get("usage") is ev
        if low.startswith("max cpu usage"):
            self._set("max_usage", _first_percent(low.partition(":")[2]), ev)
            return True
        if low.startswith(("cpu utilization for", "one minute", "five minutes")):
            return self._periods(low, ev)
        if low.startswith(("state", "overload", "threshold")) and ":" in low:
            for part in text.split(","):
                key, sep, value = part.partition(":")
                if sep:
                    self._other(key, value, ev)
            return True
        # a task row whose table header was elided
        return bool(self.fields) and self._task(text, ev)

    def close(self) -> None:
        self._flush()


# -- display clock ------------------------------------------------------------------------------


class _ClockBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.fields: dict[str, object] = {}
        self.lines: dict[str, Line] = {}
        self.other: dict[str, str] = {}
        self.in_dst = False
        self.emitted = 0

    def _flush(self) -> None:
        if self.fields:
            ev = self.first
            if self.emitted == 0 and self.ctx.prompt is not None:
                ev = self.ctx.prompt
            assert ev is not None
            self.ctx.emit(
                Clock(
                    vendor="huawei",
                    family="clock",
                    ev=ev,
                    device=self.ctx.device,
                    lines=self.lines,
                    other=self.other,
                    **self.fields,  # type: ignore[arg-type]
                )
            )
            self.emitted += 1
        self.fields, self.lines, self.other, self.first = {}, {}, {}, None
        self.in_dst = False

    def _set(self, field: str, value: object, ev: Line) -> None:
        self.fields[field] = value
        self.lines[field] = ev
        if self.first is None:
            self.first = ev

    def _time_line(self, toks: list[str], ev: Line) -> bool:
        """A line with a date and a clock token (any order) and little else."""
        if len(toks) > 6:
            return False
        date = clock = None
        rest: list[str] = []
        for tok in toks:
            if date is None and (d := _date(tok)) is not None:
                date = d
            elif clock is None and (c := _split_clock(tok)) is not None:
                clock = c
            else:
                rest.append(tok)
        if date is None or clock is None:
            return False
        if "date" in self.fields:  # a second output without its prompt
            self._flush()
        self._set("date", date, ev)
        self._set("time", clock[0], ev)
        if clock[1]:
            self._set("utc_offset", clock[1], ev)
        for tok in rest:
            low = tok.lower()
            if low == "dst":
                self._set("dst", True, ev)
            elif low[:3] in _WEEKDAYS and len(low) in (3, len(_WEEKDAYS[low[:3]])):
                self._set("weekday", _WEEKDAYS[low[:3]].capitalize(), ev)
            elif "zone_name" not in self.fields and tok.isalpha():
                self._set("zone_name", tok, ev)
        return True

    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if not text or not text.strip(".-=`… "):
            return True
        toks = text.split()
        low = text.lower()
        if self._time_line(toks, ev):
            return True
        if len(toks) == 1 and low in _WEEKDAYS.values():
            self._set("weekday", low.capitalize(), ev)
            return True
        if low.startswith("time zone"):
            # "Time Zone(BeiJing) : UTC+08:00": the value holds a colon of its own
            head, _, value = text.partition(":")
            value = value.strip()
            if "(" in head and head.rstrip().endswith(")"):
                self._set("zone_name", head[head.find("(") + 1 : head.rstrip().rfind(")")], ev)
            if value:
                self._set("zone_offset", value, ev)
            return True
        if low.startswith(("daylight saving", "summer time", "dst")):
            self.in_dst = True
            value = text.partition(":")[2].strip()
            if value:
                self._other_dst("status", value, ev)
            return True
        if self.in_dst and ":" in text:
            key, _, value = text.partition(":")
            if key.strip() and len(key.split()) <= 4:
                self._other_dst(key, value, ev)
                return True
        return False

    def _other_dst(self, key: str, value: str, ev: Line) -> None:
        name = "dst." + "-".join(key.lower().split())
        if len(self.other) < _MAX_OTHER:
            self.other[name] = value.strip()
            self.lines["other." + name] = ev
        if self.first is None:
            self.first = ev

    def close(self) -> None:
        self._flush()


# -- parsers ------------------------------------------------------------------------------------


class CpuUsageParser:
    name = "huawei.display-cpu-usage"
    vendor = "huawei"
    priority = 100
    log_like = False
    commands = (("display", "cpu-usage"),)

    def accepts(self, text: str) -> bool:
        return False  # no IPsec keyword: only behind its prompt

    def start(self, ctx: Context) -> _CpuBlock:
        return _CpuBlock(ctx)


class ClockParser:
    name = "huawei.display-clock"
    vendor = "huawei"
    priority = 100
    log_like = False
    commands = (("display", "clock"),)

    def accepts(self, text: str) -> bool:
        return False  # a bare date line is no proof of anything: only behind its prompt

    def start(self, ctx: Context) -> _ClockBlock:
        return _ClockBlock(ctx)


PARSERS = (CpuUsageParser, ClockParser)
