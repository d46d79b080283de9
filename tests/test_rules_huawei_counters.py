"""Fault-tree rules over ``display ipsec statistics`` (diagnose/rules/huawei_counters.py), one
device and two devices pasted together.  Counter blocks follow seed 002 sections 3.2/3.3."""

from __future__ import annotations

from ipsec_doctor.diagnose.engine import diagnose_text


def stats(device: str, *, out_ok: int, in_ok: int, trigger: int = 0, auth: int = 0,
          replay: int = 0) -> str:
    return f"""<{device}> display ipsec statistics
  the security packet statistics:
    input/output security packets: {auth}/0
    input/output security bytes: 0/0
    input/output dropped security packets: {auth + replay}/0
    dropped security packet detail:
      can not find SA: 0, wrong SA: 0
      authentication: {auth}, replay: {replay}
      front recheck: 0, after recheck: 0
  negotiate about packet statistics:
    IKE fwd packet ok: 0, err: 0
    IKE ctrl packet inbound ok: {in_ok}, outbound ok: {out_ok}
    SoftExpr: 0, HardExpr: 0, DPDOper: 0
    trigger ok: {trigger}, switch sa: 0, sync sa: 0
    recv IKE nat keepalive: 0, IKE input: 0
"""


EMPTY_SA = "<{d}> display ike sa\n"


def causes(report, device):
    return [f.cause for f in report.findings if f.device == device and not f.normal]


def stage(report, device):
    return {p.stage for p in report.tree if p.device == device}


def test_nothing_sent_nothing_triggered_is_ike_not_triggered() -> None:
    report = diagnose_text(EMPTY_SA.format(d="R1") + stats("R1", out_ok=0, in_ok=0))
    assert causes(report, "R1")[0] == "ike-not-triggered"
    assert stage(report, "R1") == {"no-ike"}
    top = report.findings[0]
    assert any("outbound ok: 0" in e.text for e in top.evidence)
    assert any(n.command == "display ipsec policy" for n in report.next)


def test_triggered_but_not_sent_points_at_the_policy_binding() -> None:
    report = diagnose_text(stats("R1", out_ok=0, in_ok=0, trigger=5))
    assert causes(report, "R1")[0] in ("ipsec-policy-not-applied", "wrong-egress-interface")


def test_sent_without_reply_is_an_ike_sa_failure_on_the_path() -> None:
    report = diagnose_text(EMPTY_SA.format(d="R1") + stats("R1", out_ok=4, in_ok=0))
    assert stage(report, "R1") == {"ike-sa"}
    assert causes(report, "R1")[0] in ("peer-unreachable", "ike-ports-blocked")


def test_counters_with_an_sa_up_do_not_claim_a_negotiation_fault() -> None:
    text = """<R1> display ike sa
 Conn-ID  Peer            VPN   Flag(s)                Phase
  83891320    2.1.1.1:500                    RD|A                 v2:2
  83891319    2.1.1.1:500                    RD|A                 v2:1
""" + stats("R1", out_ok=0, in_ok=0)
    report = diagnose_text(text)
    assert "ike-not-triggered" not in causes(report, "R1")


def test_two_devices_initiator_sends_responder_receives_nothing() -> None:
    text = stats("FW1", out_ok=12, in_ok=0) + stats("FW2", out_ok=0, in_ok=0)
    report = diagnose_text(text)
    assert causes(report, "FW1")[0] == "ike-ports-blocked"
    top = next(f for f in report.findings if f.device == "FW1")
    # both ends' counters are cited
    assert {e.text.strip() for e in top.evidence} >= {
        "IKE ctrl packet inbound ok: 0, outbound ok: 12",
        "IKE ctrl packet inbound ok: 0, outbound ok: 0",
    }


def test_two_devices_responder_receives_but_never_answers() -> None:
    report = diagnose_text(stats("FW1", out_ok=12, in_ok=0) + stats("FW2", out_ok=0, in_ok=12))
    assert causes(report, "FW2")[0] == "peer-address-mismatch"


def test_two_devices_replies_never_arrive() -> None:
    report = diagnose_text(stats("FW1", out_ok=12, in_ok=0) + stats("FW2", out_ok=12, in_ok=12))
    assert causes(report, "FW1")[0] == "return-route-missing"


def test_authentication_drops_point_at_sha2_compatibility() -> None:
    # seed 003 SHA2 case: received IPsec packets dropped for authentication
    report = diagnose_text(stats("FW1", out_ok=2, in_ok=2, auth=33))
    assert causes(report, "FW1")[0] == "sha2-compatibility-mismatch"


def test_replay_drops_point_at_reordering() -> None:
    report = diagnose_text(stats("FW1", out_ok=2, in_ok=2, replay=120))
    assert causes(report, "FW1")[0] == "packet-reordering"
