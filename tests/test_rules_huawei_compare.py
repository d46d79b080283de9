"""Comparison rules (diagnose/rules/huawei_compare.py): the attribute that differs is named,
with both values and both lines; identical settings say nothing."""

from __future__ import annotations

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text

IKE_TWO = (FIXTURES / "huawei" / "ike-proposal-usg-two-devices.txt").read_text(encoding="utf-8")
IPSEC_TWO = (FIXTURES / "huawei" / "ipsec-proposal-usg-two-devices.txt").read_text(encoding="utf-8")
POLICY_TWO = (FIXTURES / "huawei" / "ipsec-policy-usg-two-devices.txt").read_text(encoding="utf-8")
AR_412 = (FIXTURES / "cases" / "ar-4.1.2-ike-proposal.txt").read_text(encoding="utf-8")


def top(text: str):
    faults = [f for f in diagnose_text(text).findings if not f.normal]
    return faults[0] if faults else None


def test_offered_transform_against_local_proposal_names_the_attribute() -> None:
    f = top(AR_412)
    assert f.cause == "ike-proposal-mismatch"
    assert "encryption: local AES-128, offered AES-256" in f.details
    cited = {e.text.strip() for e in f.evidence}
    assert "Encryption Algorithm    : AES-128" in cited
    assert "IKE_INFO 2:2969 Attribute ENCRYPTION_ALGORITHM value AES_CBC" in cited


def test_offered_transform_that_a_local_proposal_accepts_is_no_difference() -> None:
    same = AR_412.replace("Encryption Algorithm    : AES-128", "Encryption Algorithm    : AES-256")
    f = top(same)
    assert f is None or not any("offered" in d for d in f.details)


def test_two_ends_ike_proposals_differ_in_encryption() -> None:
    f = top(IKE_TWO)
    assert f.cause == "ike-proposal-mismatch"
    assert f.details == ["encryption: FW1 AES-128, FW2 AES-256"]
    assert top(IKE_TWO.replace("AES-256", "AES-128")) is None


def test_two_ends_ipsec_proposals_differ() -> None:
    f = top(IPSEC_TWO)
    assert f.cause == "ipsec-proposal-mismatch"
    assert f.details == ["esp encryption: FW1 AES-128, FW2 AES-256"]
    mode = IPSEC_TWO.replace("Encryption AES-256", "Encryption AES-128").replace(
        "Encapsulation mode: Tunnel  ", "Encapsulation mode: Transport", 1
    )
    g = top(mode)
    assert g.cause == "encapsulation-mode-mismatch"
    assert top(IPSEC_TWO.replace("AES-256", "AES-128")) is None


def test_acls_that_mirror_are_fine_and_a_widened_rule_is_reported() -> None:
    f = top(POLICY_TWO)
    causes = [] if f is None else [f.cause]
    assert "traffic-selector-mismatch" not in causes


def test_pfs_on_one_end_only() -> None:
    one = """<FW1> display ipsec policy
===========================================
IPSec policy group: "map1"
Using interface: GigabitEthernet0/0/1
===========================================
  Sequence number: 10
  Security data flow: 3000
  Peer name : p1
  Perfect forward secrecy: DH group 14
  Proposal name: tran1
"""
    other = one.replace("FW1", "FW2").replace("  Perfect forward secrecy: DH group 14\n", "")
    f = top(one + other)
    assert f.cause == "pfs-mismatch"
    assert f.details == ["pfs: FW1 group14, FW2 none"]
    assert top(one + one.replace("FW1", "FW2")) is None


def test_acls_that_are_not_mirror_images() -> None:
    widened = POLICY_TWO.replace(
        "rule 5 permit ip source 10.1.2.0 0.0.0.255 destination 10.1.1.0 0.0.0.255",
        "rule 5 permit ip source 10.1.2.0 0.0.0.255 destination 10.1.0.0 0.0.255.255",
    )
    f = top(widened)
    assert f.cause == "traffic-selector-mismatch"
    assert f.details and "10.1.1.0/24 -> 10.1.2.0/24" in f.details[0]
