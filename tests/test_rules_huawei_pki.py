"""Certificate validity against the device clock (diagnose/rules/huawei_pki.py)."""

from __future__ import annotations

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text

CERT = (FIXTURES / "huawei" / "pki-local-realm.txt").read_text(encoding="utf-8")  # 2017-03-02 .. 2018-03-02


def clock(date: str) -> str:
    return f"<FW1> display clock\n{date} 10:00:00\nMonday\nTime Zone(DefaultZoneName) : UTC\n"


def top(text: str):
    faults = [f for f in diagnose_text(text).findings if not f.normal]
    return faults[0] if faults else None


def test_expired_certificate_at_the_device_clock() -> None:
    f = top(CERT + clock("2019-06-01"))
    assert f.cause == "certificate-invalid"
    assert f.details and "expired 2018-03-02" in f.details[0]
    assert any("Not After" in e.text for e in f.evidence)


def test_clock_before_validity_means_a_wrong_clock() -> None:
    f = top(CERT + clock("2016-01-01"))
    assert f.cause == "certificate-invalid" and "valid from" in f.details[0]


def test_valid_certificate_is_silent() -> None:
    assert top(CERT + clock("2017-09-05")) is None
