"""``display cpu-usage`` and ``display clock``: AR/USG (VRP5) and VRP8 layouts, the one-period-a-line
variant, the task table behind a ``---- More ----`` prompt, several devices, empty output.

The reference documents only name these commands (seed 002 cases 3.7 and PKI, seed 003 "CPU usage
is high"); the outputs are written to the products' formats.
"""

from __future__ import annotations

import pytest

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line
from ipsec_doctor.parsers.base import Context
from ipsec_doctor.parsers.huawei.system import Clock, ClockParser, CpuUsage


def cpus(text: str, mode: str = "full") -> list[CpuUsage]:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, CpuUsage)]


def clocks(text: str, mode: str = "full") -> list[Clock]:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, Clock)]


# -- display cpu-usage --------------------------------------------------------------------------


def test_cpu_usage_three_layouts() -> None:
    ar1, ce1, fw3 = cpus(fixture_text("huawei/system-cpu-usage.txt"))
    assert (ar1.device, ce1.device, fw3.device) == ("AR1", "CE1", "FW3")
    # each cites the prompt that typed its command (fixture lines 1, 18 and 33)
    assert ar1.family == "cpu-usage" and ar1.ev == Line("t.txt", 1, "<AR1> display cpu-usage")
    assert (ce1.ev.line, ce1.ev.text, fw3.ev.line) == (18, "<CE1> display cpu", 33)
    assert ar1.lines["cycle_seconds"].line == 2
    # AR / USG (VRP5)
    assert (ar1.usage, ar1.max_usage, ar1.cycle_seconds) == (92.0, 99.0, 60)
    assert (ar1.usage_5s, ar1.usage_1m, ar1.usage_5m, ar1.usage_10s) == (92.0, 90.0, 85.0, None)
    assert (ar1.stat_time, ar1.max_time) == ("2017-09-05 15:22:40", "2017-09-05 15:20:01")
    assert ar1.lines["usage"] == Line("t.txt", 3, " CPU Usage            : 92% Max: 99%")
    assert ar1.lines["usage_5m"].line == 5 and ar1.lines["max_time"].line == 6
    # VRP8 ("display cpu" abbreviates "display cpu-usage")
    assert (ce1.usage, ce1.max_usage) == (6.0, 38.0)
    assert (ce1.usage_5s, ce1.usage_1m, ce1.usage_5m) == (6.0, 6.0, 6.0)
    assert (ce1.stat_time, ce1.max_time) == ("2016-02-02 02:07:22", "2016-02-01 12:29:26")
    assert ce1.other == {
        "state": "Non-overload",
        "overload threshold": "90%",
        "overload clear threshold": "75%",
        "duration": "480s",
    }
    assert ce1.lines["other.overload threshold"].line == 25
    assert [(t.name, t.usage) for t in ce1.tasks] == [("SYSTEM", 6.0), ("AAA", 0.0), ("ARP", 0.0)]
    # one period a line, with decimals
    assert (fw3.cycle_seconds, fw3.usage_10s, fw3.usage_1m, fw3.usage_5m) == (10, 11.9, 12.0, 12.5)
    assert fw3.usage is None and fw3.lines["usage_5m"].line == 37


def test_task_table_behind_a_more_prompt_and_top_tasks() -> None:
    ar1 = cpus(fixture_text("huawei/system-cpu-usage.txt"))[0]
    assert [(t.name, t.usage, t.explanation) for t in ar1.tasks] == [
        ("VIDL", 8.0, "DOPRA IDLE"),
        ("OS", 4.0, "Operation System"),
        ("IKE", 61.0, "IKE negotiation"),
        ("SOCK", 12.0, "Socket"),
        ("IPSE", 7.0, "IPSec"),
    ]
    assert ar1.tasks[3].ev.line == 12  # the row after the paging prompt
    assert [t.name for t in ar1.top_tasks(3)] == ["IKE", "SOCK", "IPSE"]
    assert ar1.top_tasks(1, include_idle=True)[0].name == "IKE"
    assert "VIDL" not in [t.name for t in ar1.top_tasks(10)]


@pytest.mark.parametrize(
    "text",
    [
        "<FW3> display cpu-usage\n<FW3>\n",
        "<FW3> display cpu-usage\n",
        "<AR1> display cpu-usage history\n100%|\n 95%| #\n",
        "<AR1> display cpu-usage\n\n......\n<AR1> display ike sa\n",
    ],
)
def test_cpu_usage_empty_output_or_history_chart_gives_no_fact(text: str) -> None:
    assert cpus(text) == []


def test_cpu_usage_crlf_two_devices_repeated_block_and_prose_end() -> None:
    one = fixture_text("huawei/system-cpu-usage.txt").split("<AR1> display cpu-usage history")[0]
    body = one.split("\n", 1)[1]
    text = one + "<AR2> display cpu-usage\n" + body + body + "当CPU占用率超过80%时，请检查。\n"
    got = cpus(text.replace("\n", "\r\n"))
    assert [(g.device, g.usage, len(g.tasks)) for g in got] == [
        ("AR1", 92.0, 5),
        ("AR2", 92.0, 5),
        ("AR2", 92.0, 5),
    ]
    # AR2's first block cites its prompt (line 14), the repeat (no prompt) its first line
    assert (got[1].ev.line, got[1].ev.text) == (14, "<AR2> display cpu-usage")
    assert got[1].lines["cycle_seconds"].line == 15
    assert got[2].ev.text.strip() == "CPU Usage Stat. Cycle: 60 (Second)"
    assert got[2].ev.line == got[1].lines["cycle_seconds"].line + 12 == 27


def test_cpu_usage_not_recognised_without_prompt() -> None:
    body = fixture_text("huawei/system-cpu-usage.txt").split("\n", 1)[1]
    assert cpus("noise\n" + body.split("<AR1>")[0]) == []


# -- display clock ------------------------------------------------------------------------------


def test_clock_variants() -> None:
    ar1, fw1, old = clocks(fixture_text("huawei/system-clock.txt"))
    # cited at the prompt lines (fixture lines 1, 5 and 15)
    assert (ar1.device, ar1.family, ar1.ev.line) == ("AR1", "clock", 1)
    assert [c.ev.text for c in (ar1, fw1, old)] == [
        "<AR1> display clock",
        "<FW1> display clock",
        "<OLD> dis clock",
    ]
    assert (fw1.ev.line, old.ev.line, ar1.lines["date"].line) == (5, 15, 2)
    assert (ar1.date, ar1.time, ar1.utc_offset, ar1.dst) == ("2017-09-05", "15:30:41", None, False)
    assert (ar1.weekday, ar1.zone_name, ar1.zone_offset) == ("Tuesday", "DefaultZoneName", "UTC")
    assert ar1.timestamp == "2017-09-05 15:30:41"
    assert ar1.lines["zone_offset"].text == "Time Zone(DefaultZoneName) : UTC"
    # offset after the time, DST in effect, DST details
    assert (fw1.date, fw1.time, fw1.utc_offset, fw1.dst) == (
        "2018-04-01",
        "16:05:55",
        "+08:00",
        True,
    )
    assert (fw1.weekday, fw1.zone_name, fw1.zone_offset) == ("Sunday", "BeiJing", "UTC+08:00")
    assert fw1.other == {
        "dst.name": "BJ",
        "dst.repeat-mode": "repeat",
        "dst.start-year": "2018",
        "dst.end-year": "2019",
        "dst.saving-time": "01:00:00",
    }
    assert fw1.lines["other.dst.saving-time"].line == 14 and fw1.lines["dst"].line == 6
    # older VRP: everything on one line
    assert (old.date, old.time, old.weekday, old.zone_name) == (
        "2008-06-23",
        "15:38:49",
        "Monday",
        "UTC",
    )
    assert old.lines["weekday"].line == 16


def test_clock_other_date_forms_and_block_end() -> None:
    text = (
        "<R1> display clock\n"
        "2019/11/02 08:01:02.318-05:00\n"
        "Saturday\n"
        "Time Zone(NewYork) : UTC-05:00\n"
        "The clock above is wrong by two hours.\n"
        "<R2> display clock\n"
        "08:01:02 EST Sat 11/02/2019\n"
    )
    r1, r2 = clocks(text)
    assert (r1.date, r1.time, r1.utc_offset, r1.zone_offset) == (
        "2019-11-02",
        "08:01:02",
        "-05:00",
        "UTC-05:00",
    )
    assert max(ev.line for ev in r1.lines.values()) == 4
    assert (r2.date, r2.time, r2.zone_name, r2.weekday) == (
        "2019-11-02",
        "08:01:02",
        "EST",
        "Saturday",
    )


@pytest.mark.parametrize(
    "text",
    [
        "<FW2> display clock\n<FW2>\n",
        "<FW2> display clock\n",
        "<FW2> display clock\n```\n```\n<FW2> display ike sa\n",
    ],
)
def test_clock_empty_output_gives_no_fact(text: str) -> None:
    assert clocks(text) == []


def test_clock_pasted_twice_and_prompt_evidence() -> None:
    body = "2017-09-05 15:30:41\nTuesday\n"
    got = clocks("<AR1> dis clock\n" + body + body)
    # the first cites the prompt, the repeat (no prompt of its own) its date line
    assert [g.ev.line for g in got] == [1, 4]
    assert [g.lines["date"].line for g in got] == [2, 4]
    out: list = []
    prompt = Line("t.txt", 1, "<AR1> display clock")
    block = ClockParser().start(Context("t.txt", "AR1", "display clock", out.append, prompt=prompt))
    assert block.feed(Line("t.txt", 2, "2017-09-05 15:30:41"))
    block.close()
    assert out[0].ev is prompt and out[0].lines["date"].line == 2


def test_long_garbage_lines_are_cheap() -> None:
    import time

    junk = "1% " * 20000
    text = (
        "<AR1> display cpu-usage\nCPU Usage : 5%\n" + junk + "\n<AR1> display clock\n" + junk + "\n"
    )
    t0 = time.perf_counter()
    got = scan_text(text, "t.txt")
    assert time.perf_counter() - t0 < 2
    assert [type(f).__name__ for f in got] == ["CpuUsage"]
    assert got[0].usage == 5.0 and got[0].tasks == ()
