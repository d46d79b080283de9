"""Reference cases of issue 3: state, statistics and configuration evidence (seed 002 section
3.5 and chapter 4; seed 003 NAT, ACL, security-policy, routing, MSS and restart cases) yield the
documented root cause first.  Fixtures and the proof behind each expectation:
tests/fixtures/cases/ISSUE3_CASES.md."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text

CASES = {
    "ar-3.5-one-sided-renegotiation": ("stale-sa-after-peer-restart", "one-sided"),
    "ar-4.1.3-nat-server": ("nat-before-ipsec", "no-traffic"),
    "ar-4.2.1-no-traffic": ("acl-does-not-match-traffic", None),
    "ar-4.2.2-acl-nat-conflict": ("nat-before-ipsec", "no-traffic"),
    "ar-4.2.3-sha2": ("sha2-compatibility-mismatch", "no-traffic"),
    "ar-4.2.4-acl-conflict": ("traffic-selector-overlap", "no-traffic"),
    "ar-4.2.5-fragmentation": ("mtu-fragmentation", "poor-quality"),
    "ar-4.3.1-tcp-mss": ("mtu-fragmentation", "poor-quality"),
    "ar-4.4.1-nat-server-udp-port": ("nat-before-ipsec", None),
    "fw-restart-stale-sa": ("stale-sa-after-peer-restart", "one-sided"),
    "fw-policy-nat-before-ipsec": ("nat-before-ipsec", None),
    "fw-sha2-mode": ("sha2-compatibility-mismatch", "no-traffic"),
    "fw-hub-overlapping-acls": ("traffic-selector-overlap", "no-traffic"),
    "fw-nat-traversal-off": ("nat-traversal-mismatch", "no-traffic"),
    "fw-nat-server-reverse": ("nat-before-ipsec", "no-traffic"),
    "fw-security-policy": ("security-policy-blocks-traffic", "no-traffic"),
    "fw-private-route-missing": ("private-route-missing", "no-traffic"),
    "fw-two-isps-equal-cost": ("wrong-egress-interface", "no-traffic"),
    "fw-tcp-mss": ("mtu-fragmentation", "poor-quality"),
}


@pytest.mark.parametrize(("case", "expected"), sorted(CASES.items()))
def test_state_case_top_cause(case: str, expected: tuple[str, str | None]) -> None:
    cause, stage = expected
    path = FIXTURES / "cases" / f"{case}.txt"
    text = path.read_text(encoding="utf-8")
    report = diagnose_text(text, source=path.name)
    faults = [f for f in report.findings if not f.normal]
    assert faults, f"{case}: no finding; tree={[(p.device, p.stage) for p in report.tree]}"
    top = faults[0]
    assert top.cause == cause, f"{case}: got {[(f.cause, f.confidence) for f in faults[:4]]}"
    lines = text.splitlines()
    for ev in top.evidence:
        # the cited line is the source line (cleaned: tabs and terminal debris become spaces)
        assert lines[ev.line - 1].split() == ev.text.split(), "evidence line numbers are exact"
    if stage is not None:
        assert stage in {p.stage for p in report.tree}, [(p.device, p.stage) for p in report.tree]
