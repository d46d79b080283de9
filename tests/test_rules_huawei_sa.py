"""Fault-tree rules over ``display ike sa`` (diagnose/rules/huawei_sa_state.py): each rule has
evidence that triggers it and evidence that must not."""

from __future__ import annotations

from ipsec_doctor.diagnose.engine import diagnose_text

HEADER = """<FW1> display ike sa
IKE SA information :
 Conn-ID    Peer           VPN             Flag(s)              Phase
  ----------------------------------------------------------------------
"""
FOOTER = """
  Number of IKE SA : {n}
  ----------------------------------------------------------------------
"""


def ike_sa(*rows: str) -> str:
    return HEADER + "\n".join(rows) + FOOTER.format(n=len(rows))


def stage_of(report, device="FW1"):
    return {(p.device, p.peer): p.stage for p in report.tree}


def test_empty_table_means_tunnel_not_established_and_asks_for_counters() -> None:
    report = diagnose_text("<FW2> display ike sa\n<FW2>\n")
    assert stage_of(report) == {("FW2", None): "tunnel-down"}
    cmds = [(n.device, n.command) for n in report.next]
    assert ("FW2", "display ipsec statistics") in cmds
    assert cmds.index(("FW2", "display ike sa")) < cmds.index(("FW2", "display ipsec statistics"))


def test_template_placeholder_row_counts_as_no_sa() -> None:
    report = diagnose_text(ike_sa(" 1342      0.0.0.0                         RD|A                 v2:1"))
    assert stage_of(report) == {("FW1", None): "tunnel-down"}


def test_phase1_ready_without_phase2_is_an_ipsec_sa_failure() -> None:
    text = ike_sa(
        " 151003222  2.1.1.1:500                       NEG|A       v1:2",
        " 151003215  2.1.1.1:500                       RD|A        v1:1",
    )
    report = diagnose_text(text)
    assert stage_of(report) == {("FW1", "2.1.1.1"): "ipsec-sa"}
    top = report.findings[0]
    assert top.cause == "traffic-selector-mismatch"
    assert "state: phase1 up, phase2 missing" in top.signals
    assert [e.line for e in top.evidence] == [6, 5]  or sorted(e.line for e in top.evidence) == [5, 6]


def test_both_phases_ready_is_not_a_fault() -> None:
    text = ike_sa(
        "  83891320    2.1.1.1:500                    RD|A                 v2:2",
        "  83891319    2.1.1.1:500                    RD|A                 v2:1",
    )
    report = diagnose_text(text)
    assert report.findings == []
    assert stage_of(report) == {("FW1", "2.1.1.1"): "service-abnormal"}


def test_phase1_negotiating_is_an_ike_sa_failure() -> None:
    report = diagnose_text(ike_sa(" 1342 1.1.1.1 NEG|A v2:1"))
    assert stage_of(report) == {("FW1", "1.1.1.1"): "ike-sa"}
    assert report.findings == []
    assert any(n.command == "display ike error-info" for n in report.next)


def test_sas_on_one_end_only_mean_stale_sas_after_a_restart() -> None:
    text = ike_sa(
        "  83891320    2.1.1.1:500                    RD|A                 v2:2",
        "  83891319    2.1.1.1:500                    RD|A                 v2:1",
    ) + "<FW2> display ike sa\n<FW2>\n"
    report = diagnose_text(text)
    assert report.findings[0].cause == "stale-sa-after-peer-restart"
    assert {p.stage for p in report.tree} == {"one-sided"}
    lines = {e.text for e in report.findings[0].evidence}
    assert "<FW2> display ike sa" in lines  # the other end's empty output is cited


def test_both_ends_with_sas_are_not_one_sided() -> None:
    one = ike_sa("  83891319    2.1.1.1:500                    RD|A                 v2:1")
    other = one.replace("FW1", "FW2").replace("2.1.1.1", "1.1.1.1")
    report = diagnose_text(one + other)
    assert all(f.cause != "stale-sa-after-peer-restart" for f in report.findings)
