"""``check.build``: folding the simulator's two directions into one verdict per tunnel, the
"fails next" findings behind a blocking IKE failure, and two responder-only ends."""

from __future__ import annotations

from ipsec_doctor.check.build import build
from ipsec_doctor.config import load_text
from matrix import cisco_ios, huawei_ar, huawei_usg


def _pair(text_a: str, text_b: str):
    report = build(load_text(text_a, "a.cfg") + load_text(text_b, "b.cfg"))
    assert len(report.tunnels) == 1
    return report.tunnels[0]


def test_what_fails_next_follows_the_blocking_failure() -> None:
    b = cisco_ios.FLIPS["ike.dh"](cisco_ios.baseline("b", 1), 1, False)
    b = cisco_ios.FLIPS["pfs"](b, 1, False)
    t = _pair(huawei_ar.baseline("a", 1), b)
    causes = [f.cause for f in t.findings]
    assert causes == ["ike-dh-group-mismatch", "pfs-mismatch"]
    nxt = t.findings[1]
    assert nxt.steps[0].startswith("Fails next") and nxt.stage == "ipsec-sa"
    assert nxt.confidence < t.findings[0].confidence
    assert nxt.fix and nxt.evidence


def test_a_single_fault_has_no_follow_up() -> None:
    b = cisco_ios.FLIPS["ike.dh"](cisco_ios.baseline("b", 1), 1, False)
    t = _pair(huawei_ar.baseline("a", 1), b)
    assert [f.cause for f in t.findings] == ["ike-dh-group-mismatch"]


def test_two_responder_only_ends_never_start() -> None:
    a = huawei_usg.FLIPS["responder_only"](huawei_usg.baseline("a", 2), 2, False)
    b = huawei_usg.FLIPS["responder_only"](huawei_usg.baseline("b", 2), 2, False)
    t = _pair(a, b)
    assert (t.outcome, t.stage, t.initiator) == ("fails", "ike", None)
    assert t.findings[0].cause == "ike-not-triggered"
    assert {d.outcome for d in t.directions} == {"not-initiated"}


def test_a_tunnel_that_comes_up_one_way_only_is_reported_failing() -> None:
    # IKEv1 selectors: b protects a subset; b initiating works, a initiating is refused
    b = huawei_usg.FLIPS["selectors.narrow"](huawei_usg.baseline("b", 1), 1, False)
    t = _pair(huawei_usg.baseline("a", 1), b)
    outcomes = {d.initiator: d.outcome for d in t.directions}
    assert outcomes == {"a": "fails", "b": "established"}
    assert (t.outcome, t.initiator) == ("fails", "a")
    assert t.findings[0].cause == "traffic-selector-mismatch"
