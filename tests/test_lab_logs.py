"""Every lab recording (``tests/fixtures/lab/<scenario>/``) diagnoses to its expected cause.

Each scenario folder holds ``scenario.yaml`` (``expected.cause``, ``expected.outcome``, and what
the lab really ``observed``) and one log per side (``a.log``, ``b.log``: charon file logs or pluto
logs).  Each side's log is diagnosed on its own:

* a scenario that establishes (``expected.cause`` null) must give no fault finding;
* otherwise the top fault must be the expected cause, except where that side's log genuinely
  cannot tell (``CANDIDATES``: the expected cause must then be among the candidates shown) or
  holds no evidence at all (``SILENT``: nothing arrived, so no fault may be claimed from it).

Recordings whose observed outcome differs from the expected one (a lab defect, e.g. a kernel
without ESP support) are skipped, as are folders without the files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ipsec_doctor.diagnose.engine import diagnose
from ipsec_doctor.ingest.scan import scan_text

LAB = Path(__file__).resolve().parent / "fixtures" / "lab"

# (scenario, side): that side's log cannot tell the expected cause from its neighbours; why.
CANDIDATES = {
    # the initiator only sees NO_PROPOSAL_CHOSEN in IKE_SA_INIT: proposal, group, version, address
    ("dh-group", "a"): "NO_PROPOSAL_CHOSEN",
    ("ike-version", "a"): "NO_PROPOSAL_CHOSEN",
    ("ike-version-v1", "a"): "NO_PROPOSAL_CHOSEN (IKEv1 informational)",
    ("ike-integrity", "a"): "NO_PROPOSAL_CHOSEN",
    ("peer-address", "a"): "NO_PROPOSAL_CHOSEN",
    ("local-id", "a"): "AUTHENTICATION_FAILED",
    # the initiator only sees AUTHENTICATION_FAILED: key, identity or method
    ("identity", "a"): "AUTHENTICATION_FAILED",
    ("auth-method", "a"): "AUTHENTICATION_FAILED",
    ("libreswan-psk", "a"): "AUTHENTICATION_FAILED",
    # TS_UNACCEPTABLE: selectors or a transport-mode peer
    ("encapsulation-mode", "a"): "TS_UNACCEPTABLE",
    # no answer to IKE_SA_INIT: peer down or UDP 500 dropped look the same from the initiator
    ("udp-blocked", "a"): "no response",
    ("udp4500-blocked", "a"): "no response to IKE_AUTH",
    # "no IKE config found": the version or the addresses differ (the configuration, not the
    # log, says which, unless charon logs its configuration at cfg level 2)
    ("peer-address", "b"): "no IKE config found",
}
# (scenario, side): the log shows a failure but points elsewhere; only a fault is required.
UNTELLABLE = {
    # Libreswan answers a bad IKEv1 key with malformed-payload notifications the strongSwan
    # initiator ignores: all it sees is no answer to main mode
    ("libreswan-ikev1-psk", "a"),
}
# scenario: why the recording does not show the expected failure (skipped).
LAB_DEFECT = {
    "natt-off-across-nat": "pluto could not install the ESP SA (netlink: Protocol not supported); "
    "the Child SA fails for the lab kernel's reason, not NAT-T's",
}
# (scenario, side): the log holds no IKE exchange at all (nothing reached that end).
SILENT = {
    ("peer-down", "b"),
    ("udp-blocked", "b"),
    ("udp4500-blocked", "b"),
}


def _cases() -> list[tuple[str, str]]:
    out = []
    if not LAB.is_dir():
        return out
    for d in sorted(LAB.iterdir()):
        if not (d / "scenario.yaml").is_file():
            continue
        for side in ("a", "b"):
            if (d / f"{side}.log").is_file():
                out.append((d.name, side))
    return out


CASES = _cases()


@pytest.mark.skipif(not CASES, reason="no lab recordings present")
@pytest.mark.parametrize(("scenario", "side"), CASES)
def test_lab_log_diagnoses_to_expected_cause(scenario: str, side: str) -> None:
    d = LAB / scenario
    sc = yaml.safe_load((d / "scenario.yaml").read_text(encoding="utf-8"))
    expected = sc.get("expected") or {}
    observed = sc.get("observed") or {}
    if observed.get("outcome") and observed.get("outcome") != expected.get("outcome"):
        pytest.skip(
            f"recording observed {observed.get('outcome')}, expected {expected.get('outcome')}"
        )
    if scenario in LAB_DEFECT:
        pytest.skip(LAB_DEFECT[scenario])
    text = (d / f"{side}.log").read_text(encoding="utf-8", errors="replace")
    report = diagnose(scan_text(text, f"{scenario}/{side}.log"))
    faults = [f for f in report.findings if not f.normal]
    cause = expected.get("cause")
    shown = [(f.cause, f.confidence) for f in faults]
    if cause is None or (scenario, side) in SILENT:
        assert not faults, f"{scenario}/{side}: no fault expected, got {shown}"
        return
    assert faults, f"{scenario}/{side}: no finding"
    if (scenario, side) in UNTELLABLE:
        return
    if (scenario, side) in CANDIDATES:
        assert cause in [f.cause for f in faults], f"{scenario}/{side}: {cause} not in {shown}"
    else:
        assert faults[0].cause == cause, f"{scenario}/{side}: expected {cause}, got {shown}"
