"""Both ends of one tunnel in one paste (any vendors) are reported as one tunnel, with both
sides' evidence (diagnose/tunnels.py)."""

from __future__ import annotations

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text

MIXED = (FIXTURES / "cases" / "mixed-huawei-cisco.txt").read_text(encoding="utf-8")


def test_huawei_and_cisco_sides_are_one_tunnel() -> None:
    report = diagnose_text(MIXED, source="mixed.txt")
    faults = [f for f in report.findings if not f.normal]
    assert {f.device for f in faults} == {"HQ-FW ↔ R1"}
    top = faults[0]
    assert top.cause == "ike-proposal-mismatch"
    assert set(top.signals) >= {
        "phase1 proposal mismatch",
        "hash algorithm offered does not match policy",
    }
    lines = MIXED.splitlines()
    cited = {lines[e.line - 1].strip() for e in top.evidence}
    assert any("phase1 proposal mismatch" in c for c in cited)  # the Huawei side
    assert "Hash algorithm offered does not match policy!" in cited  # the Cisco side


def test_unrelated_devices_stay_apart() -> None:
    # R1's tunnel goes to another address: not the other end of HQ-FW's tunnel
    other = MIXED.replace("current_peer 203.0.113.1", "current_peer 192.0.2.9").replace(
        "remote crypto endpt.: 203.0.113.1", "remote crypto endpt.: 192.0.2.9"
    ).replace("local crypto endpt.: 198.51.100.2", "local crypto endpt.: 198.51.100.7").replace(
        "local addr 198.51.100.2", "local addr 198.51.100.7"
    ).replace("matched 203.0.113.1", "matched 192.0.2.9")
    report = diagnose_text(other, source="two.txt")
    devices = {f.device for f in report.findings if not f.normal}
    assert "HQ-FW ↔ R1" not in devices
    assert "HQ-FW" in devices
