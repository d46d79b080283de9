"""Huawei syslog / logbuffer / trap / alarm lines: IKE_NEGO_FAIL, IPSECNEGOFAIL (hwIPSecNegoFail),
IPSEC_TUNNEL_TEARED_DOWN and IPSECTUNNELSTOP (hwIPSecTunnelStop).

Inputs are the seed 003 log-buffer line (verbatim) or written to the exact formats of Huawei's
log and alarm references (message text and parameter lists), with the usual surroundings:
``%%01`` headers and ``(l)``/``(t)`` type tags, syslog-server prefixes, ``+08:00`` stamps,
``display logbuffer`` pastes, wrapped and truncated lines, CRLF.
"""

from __future__ import annotations

import time

import pytest

from conftest import fixture_text
from ipsec_doctor.diagnose.engine import diagnose_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.kb import load
from ipsec_doctor.model import Signal
from ipsec_doctor.parsers.huawei.syslog import SyslogParser

MODES = ("full", "fast")

# reference seed 003, line 2842 (FAQ "IKE_ERROR 58:566 Processing TS Payload Failed"), verbatim
SEED003 = (
    "Mar 8 2017 11:10:47 sysname IPSEC/4/IPSECNEGOFAIL:1.3.6.1.4.1.2011.6.122.26.6.14 IPSec "
    'tunnel negotiation fails. (Ifindex=12, SeqNum=0, Reason="acl configuration mismatch", '
    "ReasonCode=4, PeerAddress=1.1.1.1, PeerPort=500)"
)


def signals(text: str, source: str = "log.txt", mode: str = "full") -> list[Signal]:
    return [f for f in scan_text(text, source, mode=mode) if isinstance(f, Signal)]


def brief(s: Signal) -> tuple:
    return (s.ev.line, s.kind, s.family, s.reason, s.code, s.peer, s.port)


# -- the seed line ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_seed003_line_every_field(mode: str) -> None:
    (s,) = signals(SEED003, mode=mode)
    assert s.vendor == "huawei" and s.family == "alarm" and s.kind == "ike-failure"
    assert s.reason == "acl configuration mismatch" and s.code == 4
    assert (s.peer, s.port, s.interface) == ("1.1.1.1", 500, "ifindex 12")
    assert (s.device, s.time, s.detail, s.version) == ("sysname", "2017-03-08 11:10:47", None, None)
    assert (s.ev.source, s.ev.line, s.ev.text) == ("log.txt", 1, SEED003)


def test_seed003_line_found_in_the_reference_document(seeds) -> None:
    path = seeds / "003_959a0ef46ea275e6.txt"
    got = [s for s in signals(path.read_text(encoding="utf-8"), "003.txt") if s.family == "alarm"]
    assert [(s.ev.line, s.reason, s.code, s.peer) for s in got] == [
        (2842, "acl configuration mismatch", 4, "1.1.1.1")
    ]


# -- header variants --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_trap_with_priority_percent_header_and_bracketed_values(mode: str) -> None:
    line = (
        "<134>Mar  8 2017 11:10:47 FW1 %%01IPSEC-VPN/4/IPSECNEGOFAIL(t):OID "
        "1.3.6.1.4.1.2011.6.122.26.6.14 IPSec tunnel negotiation fails. (Ifindex=[12], "
        "SeqNum=[0], Reason=[phase2 proposal or pfs mismatch], ReasonCode=[2], "
        "PeerAddress=[10.1.1.2], PeerPort=[4500], VsysName=[public], "
        "InterfaceName=[GigabitEthernet0/0/1], ConnID=[3])"
    )
    (s,) = signals(line, mode=mode)
    assert brief(s) == (
        1,
        "ike-failure",
        "alarm",
        "phase2 proposal or pfs mismatch",
        2,
        "10.1.1.2",
        4500,
    )
    assert (s.device, s.time, s.interface) == ("FW1", "2017-03-08 11:10:47", "GigabitEthernet0/0/1")


def test_header_forms_give_device_and_normalised_time() -> None:
    body = (
        "%%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails. "
        "(PeerAddress=2.2.2.2, PeerPort=500, Reason=rekey fail, Version=v2)"
    )
    cases = {
        f"Mar  8 2017 11:10:47+08:00 AR1 {body}": ("AR1", "2017-03-08 11:10:47"),
        f"2017-03-08 11:10:47.120 +08:00 AR1 {body}": ("AR1", "2017-03-08 11:10:47"),
        f"<134>1 2017-03-08T11:10:47.120+08:00 AR1 {body}": ("AR1", "2017-03-08 11:10:47"),
        f"Mar  9 00:01:02 syslog1 Mar  8 2017 11:10:47 AR1 {body}": ("AR1", "2017-03-08 11:10:47"),
        f"Mar  8 11:10:47 AR1 {body}": ("AR1", "Mar 8 11:10:47"),  # no year: as printed
        f"#Mar  8 2017 11:10:47 AR1 {body}": ("AR1", "2017-03-08 11:10:47"),
    }
    for line, (device, when) in cases.items():
        (s,) = signals(line)
        assert (s.device, s.time, s.version, s.reason) == (device, when, "v2", "rekey fail"), line


# -- fixtures: a logbuffer paste and a syslog-server archive ---------------------------------


def test_logbuffer_paste_lines_devices_and_wrapped_message() -> None:
    got = signals(fixture_text("huawei/syslog-logbuffer.txt"), "fw1.txt")
    assert [brief(s) for s in got] == [
        (11, "ike-failure", "alarm", "max transmit reached", 53, "203.0.113.9", 500),
        (12, "teardown", "syslog", "dpd timeout", None, "203.0.113.9", None),
        (13, "ike-failure", "alarm", "acl configuration mismatch", 4, "203.0.113.9", 500),
        (16, "ike-failure", "syslog", "phase1 proposal mismatch", None, "203.0.113.9", 500),
        (18, "ike-failure", "syslog", "authentication fail", None, "203.0.113.77", 4500),
    ]
    assert {s.device for s in got} == {"FW1"}  # line 18 has no host: the prompt's device
    wrapped = got[2]
    assert wrapped.interface == "GigabitEthernet1/0/1" and wrapped.detail is None
    assert wrapped.ev.text.endswith("(Ifindex=12, SeqNum=10,")  # evidence is the first line
    assert got[1].interface == "ifindex 12"
    assert [s.version for s in got] == [None, None, None, "v2", "v1"]


def test_logbuffer_paste_fast_mode_and_crlf_give_the_same_signals() -> None:
    text = fixture_text("huawei/syslog-logbuffer.txt")
    want = [brief(s) for s in signals(text)]
    assert [brief(s) for s in signals(text, mode="fast")] == want
    assert [brief(s) for s in signals(text.replace("\n", "\r\n"))] == want
    assert [brief(s) for s in signals(text.replace("\n", "\r\n"), mode="fast")] == want


@pytest.mark.parametrize("mode", MODES)
def test_syslog_server_archive(mode: str) -> None:
    got = signals(fixture_text("huawei/syslog-server.txt"), "syslog.log", mode=mode)
    assert [brief(s) for s in got] == [
        (1, "ike-failure", "alarm", "no valid local cert", 54, "192.0.2.10", 500),
        (2, "ike-failure", "syslog", "form cert payload fail", None, "2001:db8::20", 4500),
        (3, "teardown", "alarm", "dpd timeout", None, "192.0.2.10", 4500),
        (5, "ike-failure", "alarm", "unknown", 53, "192.0.2.10", 500),
        (6, "ike-failure", "alarm", "acl configur", None, None, None),
        (7, "ike-failure", "alarm", "flow or peer mismatch", 4, "192.0.2.10", 500),
    ]
    assert [s.device for s in got] == ["FW1", "AR2", "10.8.8.8", "FW1", "FW1", "FW1"]
    assert [s.time for s in got[:3]] == [
        "2017-03-08 11:10:47",
        "2017-03-08 11:10:48",
        "Mar 8 11:10:49",
    ]
    assert [s.detail for s in got] == [None, None, None, None, "truncated", None]


# -- wrapping, truncation, unreadable reasons ------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_message_hard_wrapped_at_80_columns_is_joined(mode: str) -> None:
    line = SEED003.replace("sysname", "FW9")
    parts = [line[i : i + 80] for i in range(0, len(line), 80)]
    assert len(parts) == 3 and not parts[1].startswith(" ")  # cuts fall inside words
    text = "\n".join([*parts, SEED003])
    got = signals(text, mode=mode)
    assert [(s.ev.line, s.device, s.reason, s.code, s.peer) for s in got] == [
        (1, "FW9", "acl configuration mismatch", 4, "1.1.1.1"),
        (4, "sysname", "acl configuration mismatch", 4, "1.1.1.1"),
    ]
    assert got[0].ev.text == parts[0]


def test_continuation_is_bounded_and_does_not_swallow_the_next_message() -> None:
    head = SEED003.split(" Reason=")[0]  # ends inside the parameter list
    junk = [f" junk{i}=x," for i in range(10)]
    text = "\n".join([head, *junk, SEED003])
    got = signals(text)
    assert [(s.ev.line, s.reason) for s in got] == [
        (1, "unknown"),
        (12, "acl configuration mismatch"),
    ]
    assert got[0].detail == "truncated" and got[0].peer is None


def test_truncated_and_reasonless_messages_still_become_signals() -> None:
    lines = [
        SEED003[: SEED003.index(" mismatch")],  # cut inside the quoted reason
        SEED003.replace('Reason="acl configuration mismatch", ', ""),  # no reason at all
        SEED003.replace("acl configuration mismatch", "\ufffd\ufffd\ufffd"),  # unreadable
        SEED003.replace('"acl configuration mismatch"', ""),  # empty
        "Mar 8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l):",  # nothing after the mnemonic
    ]
    got = signals("\n".join(lines))
    assert [(s.ev.line, s.reason, s.code) for s in got] == [
        (1, "acl configuration", None),
        (2, "unknown", 4),
        (3, "unknown", 4),
        (4, "unknown", 4),
        (5, "unknown", None),
    ]
    assert got[0].detail == "truncated" and got[1].detail is None


# -- teardowns and alarms ---------------------------------------------------------------------


def test_teardown_peer_is_the_remote_end_not_the_source() -> None:
    line = (
        "Mar  8 2017 11:11:02 FW1 %%01IPSEC-VPN/5/IPSEC_TUNNEL_TEARED_DOWN(l)[3]:An IPSec tunnel "
        "is teared down. (PolicyName=map1, IfIndex=12, SeqNum=10, RuleNum=5, SrcIP=198.51.100.1, "
        "DstIP=203.0.113.9, InboundSPI=3257401834, Slot=1, CpuID=0, "
        "OfflineReason=phase2 hard expiry, State=Backup)"
    )
    (s,) = signals(line)
    assert brief(s) == (1, "teardown", "syslog", "phase2 hard expiry", None, "203.0.113.9", None)


def test_display_alarm_active_row_without_mnemonic() -> None:
    text = (
        "<FW1>display alarm active\n"
        "Sequence   AlarmId    Severity Date Time  Description\n"
        "1          0x8520006  Warning  2017-03-08 11:10:47+08:00 IPSec tunnel negotiation "
        "fails. (Ifindex=12, SeqNum=0, Reason=flow or peer mismatch, ReasonCode=4, "
        "PeerAddress=1.1.1.1, PeerPort=500, VsysName=public, InterfaceName=GigabitEthernet1/0/1)\n"
        "2          0x8520007  Major    2017-03-08 11:11:02+08:00 The IPSec tunnel is deleted. "
        "(Ifindex=12, SeqNum=0,TunnelIndex=3, RuleNum=5, DstIP=1.1.1.1, InsideIP=0.0.0.0, "
        "RemotePort=500, CpuID=0, SrcIP=2.2.2.2, FlowInfo=[10.1.1.0 -> 10.2.2.0], "
        "OfflineReason=[dpd timeout], VsysName=public, InterfaceName=GigabitEthernet1/0/1, "
        "SlotID=1)\n"
    )
    got = signals(text)
    assert [brief(s) for s in got] == [
        (3, "ike-failure", "alarm", "flow or peer mismatch", 4, "1.1.1.1", 500),
        (4, "teardown", "alarm", "dpd timeout", None, "1.1.1.1", 500),
    ]
    assert [(s.device, s.time) for s in got] == [
        ("FW1", "2017-03-08 11:10:47"),
        ("FW1", "2017-03-08 11:11:02"),
    ]


def test_other_log_lines_are_not_claimed() -> None:
    parser = SyslogParser()
    assert parser.log_like and parser.vendor == "huawei"
    assert parser.accepts(SEED003)
    for text in (
        "Mar  8 2017 11:10:20 FW1 %%01IPSEC/4/IPSECTUNNELSTART(l)[0]:OID 1.3.6.1.4.1.2011.6.122."
        "26.6.1 The IPSec tunnel is established. (Ifindex=12, SeqNum=10, DstIP=1.1.1.1)",
        "Mar  8 2017 11:12:02 FW1 %%01SHELL/5/CMDRECORD(s)[5]:Recorded command information. "
        '(Task=VT0, Command="display ike sa")',
        "2.1.1.1 500 phase1 proposal mismatch v1 2017-09-05 15:22:32",
        "Mar 8 2017/03/08 IKE/4/SOMETHING_ELSE: (Reason=x)",
        "",
    ):
        assert not parser.accepts(text), text
    start = "Mar  8 2017 11:10:20 FW1 %%01IPSEC/4/IPSECTUNNELSTART(l)[0]:The IPSec tunnel is up."
    assert signals(f"<FW1>display logbuffer\n{start}\n{start}", mode="fast") == []


# -- hostile input ----------------------------------------------------------------------------


def test_hostile_lines_parse_in_linear_time() -> None:
    head = "Mar  8 2017 11:10:47 FW1 %%01IPSEC/4/IPSECNEGOFAIL:"
    lines = [
        head + "(" + "Reason=, " * 7000,
        head + "(Reason=" + "x" * 60000,
        head + "(" * 30000 + "IPSec tunnel negotiation fails" + "(a" * 10000,
        head + "(Reason=a" + ", b" * 20000 + ")",
        "IPSEC/4/" * 8000,
        "IPSec tunnel negotiation fails " + "a=, " * 15000,
    ]
    text = "\n".join(lines * 10)
    t0 = time.perf_counter()
    got = signals(text)
    assert time.perf_counter() - t0 < 2.0
    assert len(got) == 50
    assert all(s.reason == "unknown" for s in got[:5])  # empty / overlong / absent reasons


# -- knowledge base and end to end ------------------------------------------------------------


def test_kb_finds_syslog_wordings_and_their_reason_codes() -> None:
    kb = load()
    assert kb.lookup("huawei", "acl configuration mismatch").id == (
        "syslog-acl-configuration-mismatch"
    )
    for code, eid in (
        (52, "syslog-form-cert-payload-fail"),
        (53, "syslog-max-transmit-reached"),
        (54, "syslog-no-valid-local-cert"),
    ):
        assert kb.lookup("huawei", "unknown", code).id == eid
        assert kb.entries[eid].kind == "ike-failure" and code in kb.entries[eid].codes


def test_seed003_line_diagnoses_traffic_selector_mismatch() -> None:
    report = diagnose_text(SEED003, source="fw.log")
    top = report.findings[0]
    assert top.cause == "traffic-selector-mismatch"
    assert (top.device, top.peer) == ("sysname", "1.1.1.1")
    assert [(e.source, e.line, e.text) for e in top.evidence] == [("fw.log", 1, SEED003)]
    assert top.steps and top.fix


def test_reasonless_alarm_is_diagnosed_by_its_reason_code() -> None:
    line = (
        "<189>Mar  8 2017 11:10:51 FW1 %%01IPSEC/4/IPSECNEGOFAIL(t):OID "
        "1.3.6.1.4.1.2011.6.122.26.6.14 IPSec tunnel negotiation fails. (Ifindex=12, SeqNum=0, "
        "ReasonCode=53, PeerAddress=192.0.2.10, PeerPort=500)"
    )
    report = diagnose_text(line)
    assert report.findings and report.findings[0].cause == "peer-unreachable"


# -- the one-line path and the memo -----------------------------------------------------------


class _NoQuick:
    """The syslog parser without its one-line path: every message goes through a block."""

    def __init__(self, parser: SyslogParser) -> None:
        self._p = parser
        for attr in ("name", "vendor", "log_like", "commands", "priority", "hints"):
            setattr(self, attr, getattr(parser, attr))

    def accepts(self, text: str) -> bool:
        return self._p.accepts(text)

    def start(self, ctx):
        return self._p.start(ctx)


QUICK_LINES = [
    SEED003,
    "<134>Mar  8 2017 11:10:47 FW1 %%01IPSEC-VPN/4/IPSECNEGOFAIL(t):OID 1.3.6.1.4.1.2011.6.122"
    ".26.6.14 IPSec tunnel negotiation fails. (Ifindex=[12], SeqNum=[0], Reason=[phase2 "
    "proposal or pfs mismatch], ReasonCode=[2], PeerAddress=[10.1.1.2], PeerPort=[4500])",
    "Mar  8 2017 11:10:47+08:00 AR1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation "
    "fails. (PeerAddress=2.1.1.1, PeerPort=500, Reason=phase1 proposal mismatch)",
    "Mar  8 2017 11:10:48 AR1 %%01IKE/5/IKE_NEGO_FAIL(l)[4]:IPSec tunnel negotiation "
    "fails. (PeerAddress=2.1.1.1, PeerPort=500, Reason=phase1 proposal mismatch)",
    "Dec 31 2017 23:59:59.123 USG6550-HQ %%01IPSEC/5/IPSEC_TUNNEL_TEARED_DOWN(l)[421]:An IPSec "
    "tunnel is teared down. (PolicyName=map1, DstIP=2.1.1.1, OfflineReason=dpd timeout)",
    "Mar  8 2017 11:10:49 FW1 %%01IPSEC/4/IPSECTUNNELSTOP(t):OID 1.3.6 The IPSec tunnel is "
    "deleted. (Ifindex=12, DstIP=1.1.1.1, RemotePort=500, OfflineReason=[dpd timeout])",
    "Mar  8 2017 11:10:50 fw-1 %%01IKE/5/IKE_NEGO_FAIL(l)[5]:IPSec tunnel negotiation fails. "
    "(PeerAddress=2.1.1.1, PeerPort=500, Reason=phase1 proposal",  # truncated: the block path
    "Mar  8 2017 11:10:51 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[6]:IPSec tunnel negotiation fails. "
    "(PeerAddress=2.1.1.1, Reason=authentication fail, password=Canary9, PeerPort=500)",
    "Foo  8 2017 11:10:52 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[7]:IPSec tunnel negotiation fails. "
    "(PeerAddress=2.1.1.1, Reason=x)",  # no month: the block path reads the time
    "Mar  8 2017 11:10:53 12:00 %%01IKE/5/IKE_NEGO_FAIL:IPSec tunnel negotiation fails. "
    "(PeerAddress=2.1.1.1, Reason=x)",
    "Mar  8 2017 11:10:54 FW1 %%01IKE/5/ike_nego_fail(l)[8]:ipsec tunnel negotiation fails. "
    "(PeerAddress=2.1.1.1, Reason=x)",  # no prefilter word: not ours
]


@pytest.mark.parametrize("mode", MODES)
def test_one_line_path_gives_what_the_block_gives(mode: str) -> None:
    from ipsec_doctor.ingest.scan import scan_chunks
    from ipsec_doctor.parsers import registry

    text = "\n".join([*QUICK_LINES, "", "<FW9>display logbuffer", *QUICK_LINES]) + "\n"
    plain = registry()
    slow = tuple(_NoQuick(p) if isinstance(p, SyslogParser) else p for p in plain)
    for data in (text, text.replace("\n", "\r\n")):
        got = list(scan_chunks([data.encode()], "log.txt", mode=mode, parsers=plain))
        want = list(scan_chunks([data.encode()], "log.txt", mode=mode, parsers=slow))
        assert got == want
        assert sum(isinstance(f, Signal) for f in got) == 2 * (len(QUICK_LINES) - 1)
        assert all("Canary9" not in repr(f) for f in got)


def test_repeated_messages_keep_their_own_time_line_and_device() -> None:
    lines = [
        f"Mar  8 2017 11:{m:02d}:{s:02d} FW{n % 3} %%01IKE/5/IKE_NEGO_FAIL(l)[{n}]:IPSec tunnel "
        f"negotiation fails. (PeerAddress=2.1.1.{n % 2}, PeerPort=500, Reason=phase1 proposal "
        "mismatch)"
        for n, (m, s) in enumerate((m, s) for m in range(3) for s in range(0, 60, 7))
    ]
    got = signals("\n".join(lines), mode="fast")
    assert [(s.ev.line, s.ev.text) for s in got] == list(enumerate(lines, 1))
    assert [s.time[-8:-3] for s in got] == [line[12:17] for line in lines]
    assert {(s.device, s.peer) for s in got} == {
        (f"FW{n % 3}", f"2.1.1.{n % 2}") for n in range(len(lines))
    }
    assert {s.reason for s in got} == {"phase1 proposal mismatch"}


def test_message_memo_is_bounded() -> None:
    from ipsec_doctor.parsers.huawei import syslog

    text = "\n".join(
        f"Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[{n}]:IPSec tunnel negotiation "
        f"fails. (PeerAddress=2.1.{n // 250}.{n % 250}, Reason=r{n})"
        for n in range(syslog._CACHE_MAX + 500)
    )
    got = signals(text, mode="fast")
    assert len(got) == syslog._CACHE_MAX + 500 and got[-1].reason == f"r{syslog._CACHE_MAX + 499}"
    assert len(syslog._messages) <= syslog._CACHE_MAX
