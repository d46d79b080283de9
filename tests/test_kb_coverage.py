"""Coverage: every reason wording of the reference documents has a knowledge-base entry.

The wordings are listed here explicitly (so the test runs without the documents); when the
documents are present, a second test re-reads them and fails if they hold a wording this list
lacks, so the list cannot silently fall behind.
"""

from __future__ import annotations

import re

import pytest

from ipsec_doctor.kb import load, normalize

# seed 000: display ike error-info "error-reason/Reason" list and "Detail" list
SEED000_REASONS = """
phase1 proposal mismatch|phase2 proposal or pfs mismatch|responder dh mismatch|initiator dh mismatch|
encapsulation mode mismatch|flow or peer mismatch|version mismatch|peer address mismatch|
config ID mismatch|exchange mode mismatch|authentication fail|construct local ID fail|
rekey no find old sa|rekey fail|first packet limited|unsupported version|malformed message|
malformed payload|critical drop|COOKIE mismatch|invalid COOKIE|invalid length|unknown exchange type|
uncritical drop|route limit|ip assigned fail|eap authentication timeout|eap authentication fail|
xauth authentication fail|xauth authentication timeout|license or specification limited|
local address mismatch|dynamic peers number reaches limitation|ipsec tunnel number reaches limitation|
netmask mismatch|flow conflict|conflict|proposal mismatch or use sm in ikev2|
ikev2 not support sm in ipsec proposal ikev2|no policy applied on interface|nat detection fail|
fragment packet limit|fragment packet reassemble timeout|receive phase1 proposal mismatch|
receive phase2 proposal mismatch|phase2 proposal mismatch|receive flow or peer mismatch|
(peer local or tunnel local or interface) address mismatch|remote auth method mismatch|
proc cert fail or inband cert validate fail|outband cert validate fail(rsa-signature)|
hash value not equal(pre-share-key)|hash value not equal(digital-envelope)|
verify sig data fail(rsa-signature)|proc auth payload fail(pre-share-key)|
proc auth payload fail(rsa-signature)|proc auth payload fail(eap)|rcv peer auth fail notification|
rcv peer auth fail notification(pre-share-key)|rcv peer auth fail notification(rsa-signature)|
rcv peer auth fail notification(digital-envelope)|rcv peer auth fail notification(eap)|
proc and auth ID payload fail(pre-share-key)|proc and auth ID payload fail(rsa-signature)|
proc and auth ID payload fail(eap)|can not find key by cert|the cert is not valid|cert revoked by CRL|
unable to get issuer cert|ocsp valid fail|cert filter check mismatch|no corresponding CRL|
inband cert validate fail|cert PKI whitelist valid fail|receive proposal mismatch or use sm in ikev2
"""

# seed 001: "IKE Negotiation Failure Causes"
SEED001_IKE = """
authentication fail|config ID mismatch|construct local ID fail|cookie mismatch|critical drop|
dynamic peers number reaches limitation|eap authentication fail|eap authentication timeout|
encapsulation mode mismatch|first packet limited|flow confict|flow or peer mismatch|
fragment packet limit|fragment packet reassemble timeout|ikev2 not support sm in ipsec proposal|
in disconnect state|initiator dh mismatch|invalid cookie|invalid length|ip assigned fail|
ipsec tunnel number reaches limitation|license or specification limited|local address mismatch|
malformed message|malformed payload|nat detection fail|netmask mismatch|
no policy applied on interface|none of user's interface is selected|peer address mismatch|
phase1 proposal mismatch|phase2 proposal or pfs mismatch|proposal mismatch or use sm in ikev2|
rekey fail|rekey no find old sa|responder dh mismatch|role mismatch|route limit|
unknown exchange type|unsupported version|version mismatch|xauth authentication fail|
xauth authentication timeout
"""

# seed 001: "IPSec Tunnel Teardown Causes"
SEED001_TEARDOWN = """
aaa cut user|config modify or manual offline|cpu table updated|disconnect track nqa/bfd/vrrp|
dns resolution status change|dpd timeout|eap delete old sa|exchange timeout|flow overlap|
hard expiry triggered by port mismatch|hash gene adjusted|heartbeat timeout|
ikev1 phase1-phase2 sa dependent offline|ip address syn failed|kick old sa with same flow|
modecfg address soft expiry|nhrp notify|peer address switch|peer request|phase1 hard expiry|
phase1 sa replace|phase2 hard expiry|phase2 sa replace|re-auth timeout|receive backup delete info|
receive invalid spi notify|spi conflict
"""

# sample outputs in seeds 002/003 and the product manuals (offline-info rows, newer firmware)
SAMPLES_TEARDOWN = "port mismatch after inbound sa miss|phase1 hardware expire|dpd-timeout"
SAMPLES_FAILURE = (
    "flow mismatch|phase1 proposal encryption algorithm mismatch|phase1 proposal dh mismatch|"
    "phase1 proposal authentication method mismatch"
)

NORMAL_TEARDOWNS = {
    "cpu table updated",
    "eap delete old sa",
    "hard expiry triggered by port mismatch",
    "hash gene adjusted",
    "modecfg address soft expiry",
    "nhrp notify",
    "phase1 sa replace",
    "phase2 sa replace",
    "receive backup delete info",
    "receive invalid spi notify",
    "disconnect track nqa/bfd/vrrp",
}


def _split(block: str) -> list[str]:
    return [w.strip() for w in block.replace("\n", "").split("|") if w.strip()]


FAILURES = sorted(set(_split(SEED000_REASONS) + _split(SEED001_IKE) + _split(SAMPLES_FAILURE)))
TEARDOWNS = sorted(set(_split(SEED001_TEARDOWN) + _split(SAMPLES_TEARDOWN)))


@pytest.mark.parametrize("reason", FAILURES)
def test_failure_reason_has_entry(reason: str) -> None:
    entry = load().lookup("huawei", reason)
    assert entry is not None, f"no KB entry for IKE failure reason {reason!r}"
    assert entry.kind == "ike-failure", f"{reason!r} -> {entry.id} is {entry.kind}"


@pytest.mark.parametrize("reason", TEARDOWNS)
def test_teardown_reason_has_entry(reason: str) -> None:
    entry = load().lookup("huawei", reason)
    assert entry is not None, f"no KB entry for teardown reason {reason!r}"
    assert entry.kind == "teardown", f"{reason!r} -> {entry.id} is {entry.kind}"
    assert entry.normal == (reason in NORMAL_TEARDOWNS), f"{reason!r}: normal flag"


def test_finer_phase1_wordings_point_at_their_attribute() -> None:
    kb = load()
    dh = kb.lookup("huawei", "phase1 proposal dh mismatch")
    auth = kb.lookup("huawei", "phase1 proposal authentication method mismatch")
    assert dh is not None and dh.causes[0].id == "ike-dh-group-mismatch"
    assert auth is not None and auth.causes[0].id == "auth-method-mismatch"
    # an unseen finer wording of the family still finds the family's entry
    other = kb.lookup("huawei", "phase1 proposal lifetime type mismatch")
    assert other is not None and other.causes[0].id == "ike-proposal-mismatch"


def test_seed000_lists_nothing_we_lack(seeds) -> None:
    text = (seeds / "000_d3420acfa3b5f388.txt").read_text(encoding="utf-8")
    found = set(re.findall(r"<li>• ([^:<]{1,80}):", text))
    assert len(found) > 60
    known = {normalize(r) for r in FAILURES}
    missing = sorted(r for r in found if normalize(r) not in known)
    assert not missing, f"seed 000 wordings missing from this test's list: {missing}"


def test_seed001_lists_nothing_we_lack(seeds) -> None:
    lines = (seeds / "001_c3928a3093123beb.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index("- IKE Negotiation Failure Causes")
    mid = lines.index("- IPSec Tunnel Teardown Causes")
    end = lines.index("- Related Information")
    ike = {ln[2:] for ln in lines[start + 1 : mid]}
    down = {ln[2:] for ln in lines[mid + 1 : end]}
    assert len(ike) > 40 and len(down) > 25
    assert not ike - set(FAILURES), sorted(ike - set(FAILURES))
    assert not down - set(TEARDOWNS), sorted(down - set(TEARDOWNS))
