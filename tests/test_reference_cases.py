"""Reference cases: each case of the vendor documents, from its own evidence, yields the
documented root cause first, citing the evidence lines.

Fixtures in tests/fixtures/cases/ are the device output printed in the case (verbatim, the
authors' narrative removed); their first line names the seed and line range.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text

CASES = {
    # seed 002 (AR guide)
    "ar-4.1.1-nat-authentication-address": "peer-address-mismatch",
    "ar-4.1.2-ike-proposal": "ike-proposal-mismatch",
    # seed 003 (USG guide)
    "fw-ike-proposal": "ike-proposal-mismatch",
    "fw-pre-shared-key": "psk-mismatch",
    "fw-peer-address": "peer-address-mismatch",
    "fw-ipsec-proposal": "ipsec-proposal-mismatch",
    "fw-l2tp-acl": "traffic-selector-mismatch",
    "fw-acl-ranges": "traffic-selector-mismatch",
    "fw-nat-authentication-address": "peer-address-mismatch",
    "fw-nat-on-ike-packets": "nat-on-ike-packets",
    "fw-nat-d-dropped": "nat-traversal-mismatch",
    "fw-non-rekeying-initiator": "lifetime-or-rekey-problem",
    "fw-faq-ts-payload": "traffic-selector-mismatch",
    "fw-faq-child-sa": "ipsec-proposal-mismatch",
}


@pytest.mark.parametrize(("case", "cause"), sorted(CASES.items()))
def test_reference_case_top_cause(case: str, cause: str) -> None:
    path = FIXTURES / "cases" / f"{case}.txt"
    text = path.read_text(encoding="utf-8")
    report = diagnose_text(text, source=path.name)
    faults = [f for f in report.findings if not f.normal]
    assert faults, f"{case}: no finding"
    top = faults[0]
    assert top.cause == cause, f"{case}: got {[(f.cause, f.confidence) for f in faults[:4]]}"
    assert 0 < top.confidence <= 1
    lines = text.splitlines()
    assert top.evidence, "the finding cites evidence"
    for ev in top.evidence:
        assert ev.source == path.name
        # the cited line is the source line (cleaned: tabs and terminal debris become spaces)
        assert lines[ev.line - 1].split() == ev.text.split(), "evidence line numbers are exact"
    assert top.steps and (top.fix or top.cause == "expected-event")


def test_nat_alias_case_is_one_fault_not_three() -> None:
    """seed 003: authentication fail + config ID mismatch + peer address mismatch (private
    address, same translated port) collapse into one peer and one leading cause."""
    text = (FIXTURES / "cases" / "fw-nat-authentication-address.txt").read_text(encoding="utf-8")
    report = diagnose_text(text, source="fw2.txt")
    faults = [f for f in report.findings if not f.normal]
    assert {f.peer for f in faults} == {"1.1.1.1"}
    top = faults[0]
    assert set(top.signals) >= {"authentication fail", "config ID mismatch", "peer address mismatch"}
    assert "authentication-address" in top.summary
    assert top.confidence >= 0.7
    psk = [f for f in faults if f.cause == "psk-mismatch"]
    assert not psk or psk[0].confidence < 0.2
