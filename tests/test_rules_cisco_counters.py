"""Rules over Cisco `show crypto ipsec sa` counters (diagnose/rules/cisco_counters.py)."""

from __future__ import annotations

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text


def text(name: str) -> str:
    return (FIXTURES / "cisco" / name).read_text(encoding="utf-8")


def faults(t: str):
    return [f for f in diagnose_text(t).findings if not f.normal]


def test_encaps_without_decaps_names_the_direction() -> None:
    got = faults(text("paste-asa1-hub-rtr.txt"))
    assert got and got[0].details == ["encaps 14, decaps 0"]
    assert got[0].cause in ("esp-blocked", "private-route-missing", "nat-before-ipsec")


def test_counters_moving_both_ways_are_healthy() -> None:
    assert faults(text("show-ipsec-sa-genie.txt")) == []  # 4 encaps, 4 decaps


def test_one_send_error_among_millions_is_noise() -> None:
    # seed 004: 7767918 packets encapsulated, one send error
    assert faults(text("show-ipsec-sa-seed004-ios.txt")) == []


def test_many_send_errors_are_reported() -> None:
    t = text("show-ipsec-sa-genie.txt").replace("#send errors 0", "#send errors 40")
    got = faults(t)
    assert got and got[0].details == ["send errors 40"]


def test_cisco_only_evidence_asks_for_cisco_commands() -> None:
    t = (
        "R1#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\n"
        "dst             src             state          conn-id status\n"
        "203.0.113.1     198.51.100.2    QM_IDLE         1001 ACTIVE\n"
    )
    report = diagnose_text(t)
    assert report.findings == []
    cmds = [n.command for n in report.next]
    assert cmds and all(not c.startswith("display ") for c in cmds), cmds
    assert "show crypto ipsec sa" in cmds


def test_mm_wait_msg2_state_is_read_and_scored() -> None:
    t = (
        "R1#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\n"
        "dst             src             state          conn-id status\n"
        "203.0.113.1     198.51.100.2    MM_WAIT_MSG2         0 ACTIVE\n"
    )
    got = faults(t)
    assert got and got[0].cause in ("peer-unreachable", "ike-ports-blocked")
    assert "isakmp state MM_WAIT_MSG2" in got[0].signals
