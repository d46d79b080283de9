"""Before IKE: NAT detection, policy binding, routes and egress interface, the responder's peer
lookup by address (peer_any templates, local address), NAT-T on both ends, firewall rules for
UDP 500/4500 to the responder."""

from __future__ import annotations

import pytest

from ipsec_doctor.config.model import Interface, Route
from ipsec_doctor.negotiate import check_pair
from ipsec_doctor.negotiate.context import Side
from ipsec_doctor.negotiate.path import behind_nat
from negotiate_factory import causes, direction, pair


def _sides(a, ta, b, tb):
    return Side("a", a, ta), Side("b", b, tb)


def test_nat_detection_b_behind_nat():
    assert behind_nat(*_sides(*pair(1, nat=True))) == "b"
    assert behind_nat(*_sides(*pair(1, nat=False))) is None


def test_nat_detection_a_behind_nat():
    b, tb, a, ta = pair(1, nat=True)  # the same devices with roles swapped
    assert behind_nat(*_sides(a, ta, b, tb)) == "a"


def test_wrong_peer_address_is_not_nat():
    """A public source that the peer does not expect is a configuration error, not NAT."""
    a, ta, b, tb = pair(1)
    tb.peer_addresses = ("192.0.2.99",)
    assert behind_nat(*_sides(a, ta, b, tb)) is None
    assert check_pair(a, ta, b, tb).nat_between is False


def test_nat_detected_with_template_responder_behind_nat():
    a, ta, b, tb = pair(2, nat=True)
    tb.peer_addresses, tb.peer_any, tb.initiates = (), True, False
    r = check_pair(a, ta, b, tb)
    assert r.nat_between
    assert direction(r, "a").outcome == "established"


@pytest.mark.parametrize("side", ["a", "b"])
def test_policy_not_applied_on_either_end(side):
    a, ta, b, tb = pair(1)
    (ta if side == "a" else tb).bound_interface = None
    r = check_pair(a, ta, b, tb)
    for d in r.directions:
        assert [f.cause for f in d.failures] == ["ipsec-policy-not-applied"]
        f = d.failures[0]
        assert [(c.side, c.field, c.value) for c in f.changes] == [(side, "bind", "WAN")]
        assert f.messages[side] == ["no policy applied on interface"]


def test_strongswan_needs_no_binding():
    a, ta, b, tb = pair(2, va="strongswan", vb="strongswan")
    ta.bound_interface = tb.bound_interface = None
    assert causes(check_pair(a, ta, b, tb)) == []


def test_egress_interface_differs_from_the_policy_interface():
    a, ta, b, tb = pair(1)
    a.interfaces.append(Interface(name="WAN2", addresses=("203.0.113.1/24",)))
    a.routes = [Route(prefix="0.0.0.0/0", next_hop="203.0.113.254")]
    r = check_pair(a, ta, b, tb)
    assert causes(r, "a") == ["wrong-egress-interface"]
    assert direction(r, "a").failures[0].changes[0].value == "WAN2"


def test_specific_route_is_enough_and_shutdown_interface_is_not():
    a, ta, b, tb = pair(1)
    b.routes = [Route(prefix="192.0.2.0/24", next_hop="198.51.100.254")]
    assert causes(check_pair(a, ta, b, tb)) == []
    b.interfaces[0].shutdown = True
    assert "return-route-missing" in causes(check_pair(a, ta, b, tb), "a")


def test_peer_address_not_owned_by_responder():
    a, ta, b, tb = pair(1)
    ta.peer_addresses = ("198.51.100.9",)
    f = direction(check_pair(a, ta, b, tb), "a").failures
    assert [x.cause for x in f] == ["peer-address-mismatch"]
    assert "not an address of gw-b" in f[0].detail
    assert f[0].changes[0].value == "198.51.100.2"


def test_responder_expects_another_peer():
    a, ta, b, tb = pair(2, vb="strongswan")
    tb.peer_addresses = ("192.0.2.99",)
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert f.detail == ("peer address: gw-b expects its peer at 192.0.2.99, gw-a's IKE comes from "
                        "192.0.2.1")
    assert f.messages["b"] == [
        "no IKE config found for 198.51.100.2...192.0.2.1, sending NO_PROPOSAL_CHOSEN"]
    assert ("b", "peer_address", "192.0.2.1") in [(c.side, c.field, c.value) for c in f.changes]


def test_responder_pinned_to_secondary_address():
    a, ta, b, tb = pair(1, vb="cisco-ios")
    tb.local_address = "198.51.100.3"
    r = check_pair(a, ta, b, tb)
    fa = direction(r, "a").failures[0]
    assert fa.detail == "local address: gw-a sends IKE to 198.51.100.2, gw-b's tunnel uses 198.51.100.3"
    assert fa.messages["b"] == ["invalid local address"]
    fb = direction(r, "b").failures[0]  # b initiates from .3, gw-a expects .2
    assert "gw-a's peer address" not in fb.detail and "comes from 198.51.100.3" in fb.detail


@pytest.mark.parametrize("version", [1, 2])
def test_nat_t_needs_both_ends(version):
    a, ta, b, tb = pair(version, nat=True)
    ta.nat_traversal = False
    r = check_pair(a, ta, b, tb)
    f = direction(r, "b").failures
    assert [x.cause for x in f] == ["nat-traversal-mismatch"]
    assert [(c.side, c.value) for c in f[0].changes] == [("a", True)]


@pytest.mark.parametrize("nat", [False, True])
def test_firewall_ike_ports(nat):
    a, ta, b, tb = pair(2, nat=nat, firewall=True)
    b.security_rules[0].selector = b.security_rules[0].selector.__class__(
        protocol=17, dst_ports=(500, 500))
    r = check_pair(a, ta, b, tb)
    if nat:  # UDP 4500 is needed too once NAT is detected
        f = direction(r, "a").failures
        assert [x.cause for x in f] == ["ike-ports-blocked"]
        assert "UDP 4500" in f[0].detail
    else:
        assert causes(r) == []


def test_firewall_deny_rule_first_blocks_ike():
    from ipsec_doctor.config.model import SecurityRule, Selector

    a, ta, b, tb = pair(1, firewall=True)
    b.security_rules.insert(0, SecurityRule(name="drop-ike", action="deny", position=0,
                                            selector=Selector(protocol=17, dst_ports=(500, 500))))
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert f.cause == "ike-ports-blocked" and "rule drop-ike denies it" in f.detail


def test_asa_interface_acls_do_not_filter_ike_to_the_box():
    """Only rules towards zone ``local`` (the reader's ``crypto ikevN enable IF``) govern IKE to
    the ASA; an interface ACL denying everything does not."""
    from ipsec_doctor.config.model import SecurityRule, Selector

    a, ta, b, tb = pair(1, vb="cisco-asa", firewall=True)
    b.security_rules.insert(0, SecurityRule(
        name="outside_access_in", action="deny", source_zones=("untrust",),
        destination_zones=("untrust", "trust"), position=0, selector=Selector()))
    assert "ike-ports-blocked" not in causes(check_pair(a, ta, b, tb))
    b.security_rules = [r for r in b.security_rules if r.name != "ike"]  # no "crypto enable"
    assert causes(check_pair(a, ta, b, tb), "a") == ["ike-ports-blocked"]


def test_public_one_to_one_nat_outside_the_peer_subnet():
    """Lab success-nat: gw-b (198.51.100.2) is published as 203.0.113.2; a points at 203.0.113.2."""
    a, ta, b, tb = pair(2, va="strongswan", vb="strongswan")
    b.interfaces[0].secondary = ()
    ta.peer_addresses = ("203.0.113.2",)
    r = check_pair(a, ta, b, tb)
    assert r.nat_between
    assert [d.outcome for d in r.directions] == ["established", "established"]


def test_wrong_peer_in_the_same_subnet_is_a_typo_not_nat():
    a, ta, b, tb = pair(2)
    ta.peer_addresses = ("198.51.100.99",)
    r = check_pair(a, ta, b, tb)
    assert not r.nat_between
    assert set(causes(r)) == {"peer-address-mismatch"}
