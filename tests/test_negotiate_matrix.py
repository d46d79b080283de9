"""The check matrix (COMMON.md) on the model: Huawei <-> Huawei baseline, one attribute flipped on
side b, IKE version 1 (main mode) and 2, with and without b behind NAT."""

from __future__ import annotations

import pytest

from ipsec_doctor.config.model import Identity
from ipsec_doctor.negotiate import check_pair
from negotiate_factory import FLIPS, causes, direction, pair

# attribute -> (stage, cause) when it fails in every direction that can initiate
FAILS = {
    "ike.encryption": ("ike", "ike-proposal-mismatch"),
    "ike.integrity": ("ike", "ike-proposal-mismatch"),
    "ike.dh": ("ike", "ike-dh-group-mismatch"),
    "ike.auth_method": ("ike", "auth-method-mismatch"),
    "psk": ("ike", "psk-mismatch"),
    "ike_version": ("ike", "ike-version-mismatch"),
    "remote_id": ("ike", "identity-mismatch"),
    "peer_address": ("ike", "peer-address-mismatch"),
    "bind": ("ike", "ipsec-policy-not-applied"),
    "child.protocol": ("ipsec", "ipsec-proposal-mismatch"),
    "child.encryption": ("ipsec", "ipsec-proposal-mismatch"),
    "child.integrity": ("ipsec", "ipsec-proposal-mismatch"),
    "child.mode": ("ipsec", "encapsulation-mode-mismatch"),
    "pfs": ("ipsec", "pfs-mismatch"),
    "selectors": ("ipsec", "traffic-selector-mismatch"),
    "nat_exempt": ("traffic", "nat-before-ipsec"),
    "security_rule.traffic": ("traffic", "security-policy-blocks-traffic"),
    "sha2_truncation": ("traffic", "sha2-compatibility-mismatch"),
}
# attribute -> warning code, tunnel established both ways
WARNS = {"ike.lifetime": "lifetime-differs", "child.lifetime": "lifetime-differs",
         "dpd": "no-dpd"}
CASES = [(v, nat) for v in (1, 2) for nat in (False, True)]


def flipped(attr: str, version: int, nat: bool, firewall: bool = False):
    a, ta, b, tb = pair(version, nat, firewall=firewall)
    FLIPS[attr](b, tb, version)
    return check_pair(a, ta, b, tb)


@pytest.mark.parametrize(("version", "nat"), CASES)
def test_baseline_establishes_both_ways(version, nat):
    r = check_pair(*pair(version, nat, firewall=True))
    assert [d.outcome for d in r.directions] == ["established", "established"]
    assert r.nat_between is nat
    assert all(d.version == version for d in r.directions)
    assert r.warnings == []


@pytest.mark.parametrize(("version", "nat"), CASES)
@pytest.mark.parametrize("attr", sorted(FAILS))
def test_flip_fails(attr, version, nat):
    stage, cause = FAILS[attr]
    r = flipped(attr, version, nat, firewall=attr.startswith("security_rule"))
    for d in r.directions:
        assert d.outcome == "fails", (attr, d)
        assert d.stage == stage
        assert cause in [f.cause for f in d.failures]


@pytest.mark.parametrize(("version", "nat"), CASES)
@pytest.mark.parametrize("attr", sorted(WARNS))
def test_flip_warns(attr, version, nat):
    r = flipped(attr, version, nat)
    assert [d.outcome for d in r.directions] == ["established", "established"]
    assert WARNS[attr] in [w.code for w in r.warnings]


@pytest.mark.parametrize(("version", "nat"), CASES)
def test_ike_prf_only_matters_in_ikev2(version, nat):
    r = flipped("ike.prf", version, nat)
    if version == 1:  # IKEv1 has no separate PRF transform to negotiate
        assert causes(r) == []
    else:
        assert set(causes(r)) == {"ike-proposal-mismatch"}


@pytest.mark.parametrize("nat", [False, True])
def test_exchange_mode_v1(nat):
    r = flipped("exchange_mode", 1, nat)
    assert set(causes(r)) == {"exchange-mode-mismatch"}


@pytest.mark.parametrize(("version", "nat"), CASES)
def test_local_id_only_fails_when_a_checks(version, nat):
    assert causes(flipped("local_id", version, nat)) == []
    a, ta, b, tb = pair(version, nat)
    FLIPS["local_id"](b, tb, version)
    ta.remote_id = tb.local_id
    assert causes(check_pair(a, ta, b, tb)) == []
    ta.remote_id = Identity(type="ip", value="198.51.100.2")
    assert set(causes(check_pair(a, ta, b, tb))) == {"identity-mismatch"}


@pytest.mark.parametrize("version", [1, 2])
def test_local_address_secondary(version):
    r = flipped("local_address", version, False)
    assert {d.outcome for d in r.directions} == {"fails"}
    assert set(causes(r)) == {"peer-address-mismatch"}


@pytest.mark.parametrize("version", [1, 2])
def test_nat_traversal_off_only_matters_with_nat(version):
    assert causes(flipped("nat_traversal", version, False)) == []
    r = flipped("nat_traversal", version, True)
    assert set(causes(r)) == {"nat-traversal-mismatch"}
    # the SAs come up over UDP 500; ESP is what the NAT drops (seed 003)
    assert all(d.stage == "traffic" for d in r.directions)


@pytest.mark.parametrize("nat", [False, True])
def test_selectors_narrow(nat):
    v1 = flipped("selectors.narrow", 1, nat)
    assert direction(v1, "a").outcome == "fails"
    assert causes(v1, "a") == ["traffic-selector-mismatch"]
    assert direction(v1, "b").outcome == "established"  # gw-b's flow lies inside gw-a's mirror
    v2 = flipped("selectors.narrow", 2, nat)
    assert [d.outcome for d in v2.directions] == ["established", "established"]
    assert "ts-narrowed" in [w.code for w in v2.warnings]


@pytest.mark.parametrize(("version", "nat"), CASES)
def test_responder_only(version, nat):
    r = flipped("responder_only", version, nat)
    assert direction(r, "a").outcome == "established"
    assert direction(r, "b").outcome == "not-initiated"
    assert "responder-only" in [w.code for w in r.warnings]


@pytest.mark.parametrize(("version", "nat"), CASES)
def test_security_rule_ike(version, nat):
    r = flipped("security_rule.ike", version, nat, firewall=True)
    assert causes(r, "a") == ["ike-ports-blocked"]
    assert direction(r, "a").stage == "ike"
    assert direction(r, "b").outcome == "established"  # b initiates: gw-a's rules are intact


@pytest.mark.parametrize(("version", "nat"), CASES)
def test_route(version, nat):
    r = flipped("route", version, nat)
    assert causes(r, "a") == ["return-route-missing"]
    assert causes(r, "b") == ["peer-unreachable"]
    assert {d.stage for d in r.directions} == {"ike"}


def test_every_flip_is_covered():
    covered = set(FAILS) | set(WARNS) | {
        "ike.prf", "exchange_mode", "local_id", "local_address", "nat_traversal",
        "selectors.narrow", "responder_only", "security_rule.ike", "route"}
    assert covered == set(FLIPS)
