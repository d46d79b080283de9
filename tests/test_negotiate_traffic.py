"""Traffic stage: NAT before IPsec (deny exemptions, exempt rules, first-match order), firewall
rules for the protected traffic (USG both ways, ASA permit-vpn), ESP to filtering devices, SHA2
truncation (Huawei compatible switch), AH across NAT."""

from __future__ import annotations

import pytest

from ipsec_doctor.config.model import NatRule, Selector
from ipsec_doctor.negotiate import check_pair
from negotiate_factory import causes, direction, esp, pair


def test_nat_without_exemption():
    a, ta, b, tb = pair(1)
    a.nat_rules[0].match.pop(0)
    r = check_pair(a, ta, b, tb)
    for d in r.directions:
        assert d.stage == "traffic" and [f.cause for f in d.failures] == ["nat-before-ipsec"]
    f = direction(r, "a").failures[0]
    assert f.lines_a and f.lines_a[0].text == "nat outbound 3000"
    assert [(c.side, c.field, c.value) for c in f.changes] == [
        ("a", "nat_exempt", Selector(src="10.1.1.0/24", dst="10.2.2.0/24"))]


def test_nat_exemption_rule_order():
    a, ta, b, tb = pair(1)
    a.nat_rules[0].match.reverse()  # the broad permit now comes first
    assert causes(check_pair(a, ta, b, tb)) == ["nat-before-ipsec", "nat-before-ipsec"]


def test_exempt_rule_before_source_rule_wins():
    a, ta, b, tb = pair(1)
    a.nat_rules = [
        NatRule(kind="exempt", interface="WAN", position=1,
                match=[Selector(src="10.1.1.0/24", dst="10.2.2.0/24")]),
        NatRule(kind="source", interface="WAN", position=2, match_all=True),
    ]
    assert causes(check_pair(a, ta, b, tb)) == []
    a.nat_rules[0].position = 3  # PAT first now
    assert "nat-before-ipsec" in causes(check_pair(a, ta, b, tb))


def test_nat_on_another_interface_does_not_touch_the_tunnel():
    a, ta, b, tb = pair(1)
    a.nat_rules = [NatRule(kind="source", interface="WAN2", match_all=True)]
    assert causes(check_pair(a, ta, b, tb)) == []


@pytest.mark.parametrize("way", ["in", "out"])
def test_usg_security_policy_each_way(way):
    a, ta, b, tb = pair(2, firewall=True)
    b.security_rules = [r for r in b.security_rules if r.name != way]
    r = check_pair(a, ta, b, tb)
    f = direction(r, "a").failures
    assert [x.cause for x in f] == ["security-policy-blocks-traffic"]
    expected = "inbound" if way == "in" else "outbound"
    assert f"blocks {expected} protected traffic" in f[0].detail
    assert f[0].changes[0].field == "security_rule"


def test_asa_decrypted_traffic_allowed_unless_permit_vpn_off():
    from ipsec_doctor.model import Line

    a, ta, b, tb = pair(1, vb="cisco-asa", firewall=True)
    b.security_rules = [r for r in b.security_rules if r.name != "in"]
    assert causes(check_pair(a, ta, b, tb)) == []
    b.flags["no-permit-vpn"] = Line("b.cfg", 5, "no sysopt connection permit-vpn")
    assert "security-policy-blocks-traffic" in causes(check_pair(a, ta, b, tb))


def test_esp_blocked_on_filtering_device():
    a, ta, b, tb = pair(1, firewall=True)
    b.security_rules = [r for r in b.security_rules if r.name != "esp"]
    r = check_pair(a, ta, b, tb)
    assert causes(r, "a") == ["esp-blocked"]


@pytest.mark.parametrize("integrity", ["sha2-256", "sha2-512"])
def test_sha2_truncation_mismatch(integrity):
    a, ta, b, tb = pair(1, vb="cisco-ios")
    for t in (ta, tb):
        t.child_proposals = [esp(integrity=(integrity,))]
    ta.sha2_truncation = 96  # Huawei AR without "ipsec authentication sha2 compatible enable"
    r = check_pair(a, ta, b, tb)
    f = direction(r, "a").failures
    assert [x.cause for x in f] == ["sha2-compatibility-mismatch"]
    assert f[0].detail.startswith(f"ESP {integrity} truncation: gw-a uses 96 bits, gw-b uses 128")
    assert {(c.side, c.value) for c in f[0].changes} == {("a", 128), ("b", 96)}
    assert f[0].messages["b"] == ["hmac verification failed"]


def test_sha1_ignores_truncation_setting():
    a, ta, b, tb = pair(1)
    for t in (ta, tb):
        t.child_proposals = [esp(integrity=("sha1",))]
    tb.sha2_truncation = 96
    assert causes(check_pair(a, ta, b, tb)) == []


@pytest.mark.parametrize("version", [1, 2])
def test_ah_across_nat(version):
    ah = {"protocol": "ah", "encryption": (), "integrity": (), "ah_integrity": ("sha2-256",)}
    a, ta, b, tb = pair(version, nat=True)
    ta.child_proposals, tb.child_proposals = [esp(**ah)], [esp(**ah)]
    r = check_pair(a, ta, b, tb)
    assert causes(r) == ["nat-traversal-mismatch", "nat-traversal-mismatch"]
    assert {d.stage for d in r.directions} == {"traffic"}
    a, ta, b, tb = pair(version, nat=False)
    ta.child_proposals, tb.child_proposals = [esp(**ah)], [esp(**ah)]
    assert causes(check_pair(a, ta, b, tb)) == []
