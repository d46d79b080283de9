"""``display ike error-info`` and ``display ike offline-info``: both layouts, filters, messy pastes.

Inputs are the reference documents' outputs (verbatim) or written to their exact format.
"""

from __future__ import annotations

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Signal


def signals(text: str, source: str = "t.txt", mode: str = "full") -> list[Signal]:
    return [f for f in scan_text(text, source, mode=mode) if isinstance(f, Signal)]


# seed 002, case 4.1.1 (AR2), verbatim
AR2_TABLE = """<AR2> display ike error-info
current info Num :2
ike error information:
current ike Error-info number :2
-----
peer port error-reason version error-time
-----
1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32
1.1.1.1 500 config ID mismatch v2 2017-09-05 15:22:32
-----
"""


def test_table_layout_rows_become_signals_with_lines() -> None:
    got = signals(AR2_TABLE)
    assert [(s.reason, s.peer, s.port, s.version, s.ev.line) for s in got] == [
        ("authentication fail", "1.1.1.1", 500, "v2", 8),
        ("config ID mismatch", "1.1.1.1", 500, "v2", 9),
    ]
    assert all(s.device == "AR2" and s.kind == "ike-failure" for s in got)
    assert got[0].time == "2017-09-05 15:22:32"
    assert got[0].ev.text == "1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32"


def test_verbose_layout_from_seed000() -> None:
    (s,) = signals(fixture_text("huawei/error-info-verbose.txt"))
    assert (s.peer, s.port, s.version, s.reason, s.detail) == (
        "10.1.1.1", 500, "v1", "phase1 proposal mismatch", None
    )
    assert s.time == "2013-08-26 12:02:37" and s.device == "sysname"
    assert s.ev.line == 9  # the Reason line is the evidence


def test_verbose_detail_is_kept_and_records_split_on_separator() -> None:
    got = signals(fixture_text("huawei/error-info-verbose-detail.txt"))
    assert [(s.reason, s.detail, s.port) for s in got] == [
        ("authentication fail", "hash value not equal(pre-share-key)", 4500),
        ("phase1 proposal mismatch", "phase1 proposal dh mismatch", 4500),
    ]
    assert [s.ev.line for s in got] == [9, 16]


def test_messy_paste_crlf_paging_wrapped_row_ipv6_and_slashed_dates() -> None:
    got = signals(fixture_text("huawei/error-info-messy.txt"))
    assert [s.reason for s in got] == [
        "phase2 proposal or pfs mismatch",
        "(peer local or tunnel local or interface) address mismatch",
        "version mismatch",
    ]
    assert got[1].ev.line == 9  # the wrapped row is cited at its first line
    assert got[2].peer == "2001:db8::7" and got[2].time == "2017-09-05 15:24:00"
    assert all(s.device == "FW1" for s in got)


def test_truncated_paste_keeps_the_partial_row() -> None:
    text = AR2_TABLE.split("1.1.1.1 500 config")[0] + "1.1.1.1 500 config ID mis"
    got = signals(text)
    assert got[-1].reason == "config ID mis" and got[-1].detail == "truncated"
    assert got[-1].peer == "1.1.1.1" and got[-1].port == 500


def test_rows_without_prompt_or_header_are_recognised_by_shape() -> None:
    text = "2.1.1.1 500 phase1 proposal mismatch v1    2017-09-05 15:22:32\n"
    (s,) = signals(text)
    assert s.reason == "phase1 proposal mismatch" and s.device is None and s.family == "error-info"


def test_peer_filter_and_slot_options_are_accepted() -> None:
    text = AR2_TABLE.replace("display ike error-info", "dis ike error-info peer 1.1.1.1 slot 1 cpu 0")
    assert len(signals(text)) == 2


def test_offline_info_without_port_column_seed003() -> None:
    text = """    <FW2> display ike offline-info 
      Current info Num :1 
      Ike offline information: 
    ----------------------------------------------------------------------------- 
      peer        offline-reason                         version offline-time 
    ----------------------------------------------------------------------------- 
      1.1.1.1     port mismatch after inbound sa miss    v1        2018-03-23 17:30:17
"""
    (s,) = signals(text)
    assert (s.kind, s.family, s.reason, s.port, s.device) == (
        "teardown", "offline-info", "port mismatch after inbound sa miss", None, "FW2"
    )
    assert s.ev.line == 7


def test_offline_info_with_port_column_and_double_space_time_seed003() -> None:
    text = """    <FW2> display ike offline-info 
    Current info number: 2 
    ------------------------------------------------------------------------------------------ 
    peer               port    offline-reason           version     offline-time 
    ------------------------------------------------------------------------------------------ 
    1.1.1.1          500     phase1 hardware expire v1          2018/04/01  16:05:55 
    1.1.1.1            500     phase1 hardware expire v1          2018/04/01  15:05:55 
    ------------------------------------------------------------------------------------------     
"""
    got = signals(text)
    assert [(s.reason, s.port, s.time) for s in got] == [
        ("phase1 hardware expire", 500, "2018-04-01 16:05:55"),
        ("phase1 hardware expire", 500, "2018-04-01 15:05:55"),
    ]


def test_next_prompt_ends_the_block_and_switches_device() -> None:
    text = AR2_TABLE + "<AR1> display version\n1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32\n"
    got = signals(text)
    # the row under "display version" is not taken as error-info: that command is not ours
    assert len(got) == 2 and {s.device for s in got} == {"AR2"}


def test_unknown_reason_is_kept_not_dropped() -> None:
    text = AR2_TABLE.replace("config ID mismatch", "quantum flux mismatch")
    assert "quantum flux mismatch" in [s.reason for s in signals(text)]


def test_fast_mode_gives_the_same_signals() -> None:
    text = fixture_text("huawei/error-info-messy.txt") + AR2_TABLE
    full = [(s.reason, s.ev.line, s.device) for s in signals(text, mode="full")]
    fast = [(s.reason, s.ev.line, s.device) for s in signals(text, mode="fast")]
    assert full == fast and len(full) == 5
