"""IPsec stage: transforms and mode (IOS transport-as-request), PFS (IKEv1 per responder vendor,
IKEv2 only at the first rekey), proxy IDs / traffic selectors (IKEv1 subset rule with rule
order and deny rules, template responder without ACL, IKEv2 narrowing per vendor)."""

from __future__ import annotations

import pytest

from ipsec_doctor.config.model import Selector
from ipsec_doctor.negotiate import behaviours, check_pair
from negotiate_factory import causes, direction, esp, pair


def test_child_transform_mismatch_names_attribute_and_changes():
    a, ta, b, tb = pair(1)
    tb.child_proposals[0].integrity = ("sha1",)
    f = direction(check_pair(a, ta, b, tb), "a").failures
    assert [x.cause for x in f] == ["ipsec-proposal-mismatch"]
    assert f[0].stage == "ipsec"
    assert f[0].detail == "ESP integrity: gw-a offers sha2-256, gw-b accepts sha1"
    assert {(c.side, c.field, c.value, c.target) for c in f[0].changes} == {
        ("a", "child.integrity", "sha1", "p1"), ("b", "child.integrity", "sha2-256", "p1")}


def test_child_second_proposal_accepted():
    a, ta, b, tb = pair(2)
    ta.child_proposals = [esp("p0", encryption=("3des",)), esp("p1")]
    da = direction(check_pair(a, ta, b, tb), "a")
    assert da.outcome == "established"
    assert da.chosen["child"] == "esp/aes-cbc-256/sha2-256/tunnel"


def test_child_gcm_needs_no_integrity():
    a, ta, b, tb = pair(2)
    for t in (ta, tb):
        t.child_proposals = [esp(encryption=("aes-gcm-256",), integrity=())]
    assert causes(check_pair(a, ta, b, tb)) == []


def test_ah_against_esp_is_protocol_mismatch():
    a, ta, b, tb = pair(1)
    tb.child_proposals = [esp(protocol="ah", encryption=(), integrity=(),
                              ah_integrity=("sha2-256",))]
    f = direction(check_pair(a, ta, b, tb), "b").failures[0]
    assert f.detail == "IPsec protocol: gw-b offers ah, gw-a accepts esp"


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize(("vb", "ok"), [("huawei", False), ("cisco-ios", True),
                                         ("cisco-asa", True), ("strongswan", False)])
def test_transport_against_tunnel_per_vendor(vb, ok, version):
    """b says transport: IOS/ASA treat it as a request and accept/offer tunnel; Huawei reports
    encapsulation mode mismatch; strongSwan's quick mode refuses another mode."""
    a, ta, b, tb = pair(version, vb=vb)
    tb.child_proposals[0].mode = "transport"
    r = check_pair(a, ta, b, tb)
    for d in r.directions:
        assert (d.outcome == "established") is ok
        if not ok:
            assert [f.cause for f in d.failures] == ["encapsulation-mode-mismatch"]


# --- PFS ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("vb", "accepts"), [("huawei", False), ("cisco-ios", True),
                                              ("cisco-asa", True), ("strongswan", False)])
def test_v1_pfs_initiator_with_responder_without(vb, accepts):
    a, ta, b, tb = pair(1, vb=vb)
    tb.pfs = None
    r = check_pair(a, ta, b, tb)
    assert (direction(r, "a").outcome == "established") is accepts
    # b initiates without PFS, a (Huawei) requires group 14: always refused
    fb = direction(r, "b").failures
    assert [f.cause for f in fb] == ["pfs-mismatch"]
    assert fb[0].detail == "PFS: gw-b offers no PFS, gw-a requires PFS group 14"
    assert fb[0].when is None


def test_v1_pfs_groups_differ():
    a, ta, b, tb = pair(1, vb="cisco-ios")
    tb.pfs = 19
    assert set(causes(check_pair(a, ta, b, tb))) == {"pfs-mismatch"}


@pytest.mark.parametrize("nat", [False, True])
def test_v2_pfs_fails_only_at_first_rekey(nat):
    a, ta, b, tb = pair(2, nat=nat)
    tb.pfs = None
    for d in check_pair(a, ta, b, tb).directions:
        assert d.outcome == "fails" and d.stage == "ipsec"
        assert [f.cause for f in d.failures] == ["pfs-mismatch"]
        assert d.failures[0].when == "at the first CHILD_SA rekey"
        assert d.chosen["child"]  # the first CHILD_SA was negotiated
        assert any("carries no KE" in t for t in d.trace)


def test_v2_pfs_rekey_failure_does_not_hide_traffic_failures():
    a, ta, b, tb = pair(2)
    tb.pfs = None
    tb.sha2_truncation = 96
    assert causes(check_pair(a, ta, b, tb), "a") == ["pfs-mismatch",
                                                     "sha2-compatibility-mismatch"]


# --- IKEv1 proxy IDs ----------------------------------------------------------------------

def _sel(src, dst, action="permit"):
    return Selector(action=action, src=src, dst=dst)


def test_v1_initiator_subset_accepted_superset_refused():
    """Seeds 002/003: the initiator's flow must equal or lie inside the responder's mirror."""
    a, ta, b, tb = pair(1)
    tb.selectors = [_sel("10.2.0.0/16", "10.1.0.0/16")]
    r = check_pair(a, ta, b, tb)
    assert direction(r, "a").outcome == "established"  # gw-a's /24s inside gw-b's mirrored /16s
    fb = direction(r, "b").failures
    assert [f.cause for f in fb] == ["traffic-selector-mismatch"]
    assert "b proposes 10.2.0.0/16 -> 10.1.0.0/16" in fb[0].detail
    assert fb[0].messages == {"a": ["flow mismatch"], "b": ["flow mismatch"]}
    change_a = next(c for c in fb[0].changes if c.side == "a")
    assert change_a.field == "selectors"
    assert change_a.value == [Selector(src="10.1.0.0/16", dst="10.2.0.0/16")]  # mirror of b's
    change_b = next(c for c in fb[0].changes if c.side == "b")
    assert change_b.value == [Selector(src="10.2.2.0/24", dst="10.1.1.0/24")]  # mirror of a's


def test_v1_responder_deny_rule_before_permit_refuses():
    a, ta, b, tb = pair(1)
    tb.selectors = [_sel("10.2.2.0/24", "10.1.1.0/24", "deny"),
                    _sel("10.2.0.0/16", "10.1.0.0/16")]
    r = check_pair(a, ta, b, tb)
    f = direction(r, "a").failures
    assert [x.cause for x in f] == ["traffic-selector-mismatch"]
    assert "deny rule" in f[0].detail
    tb.selectors.reverse()  # the permit first: it contains the flow and wins
    assert direction(check_pair(a, ta, b, tb), "a").outcome == "established"


def test_v1_every_initiator_flow_is_checked():
    a, ta, b, tb = pair(1)
    ta.selectors.append(_sel("10.1.3.0/24", "10.2.2.0/24"))
    f = direction(check_pair(a, ta, b, tb), "a").failures
    assert len(f) == 1 and "10.1.3.0/24 -> 10.2.2.0/24" in f[0].detail


def test_v1_non_contiguous_wildcards():
    a, ta, b, tb = pair(1)
    tb.selectors = [Selector(src=None, dst=None, src_wildcard="10.2.2.0/0.0.0.255",
                             dst_wildcard="10.1.0.0/0.0.255.255")]
    assert direction(check_pair(a, ta, b, tb), "a").outcome == "established"
    tb.selectors = [Selector(src=None, dst=None, src_wildcard="10.2.2.0/0.0.0.255",
                             dst_wildcard="10.1.0.1/0.0.255.0")]  # hosts .1 only
    assert causes(check_pair(a, ta, b, tb), "a") == ["traffic-selector-mismatch"]


@pytest.mark.parametrize("version", [1, 2])
def test_template_responder_without_acl_accepts_initiator_flows(version):
    a, ta, b, tb = pair(version)
    tb.kind, tb.initiates, tb.peer_any, tb.peer_addresses = "template", False, True, ()
    tb.selectors = []
    ta.selectors.append(_sel("10.1.1.0/24", "10.2.3.0/24"))
    a.nat_rules[0].match.insert(0, _sel("10.1.1.0/24", "10.2.3.0/24", "deny"))
    r = check_pair(a, ta, b, tb)
    assert direction(r, "a").outcome == "established"
    assert direction(r, "b").outcome == "not-initiated"


def test_protocol_in_selectors():
    a, ta, b, tb = pair(1)
    ta.selectors = [Selector(src="10.1.1.0/24", dst="10.2.2.0/24", protocol=6)]
    assert direction(check_pair(a, ta, b, tb), "a").outcome == "established"
    tb.selectors = [Selector(src="10.2.2.0/24", dst="10.1.1.0/24", protocol=17)]
    assert causes(check_pair(a, ta, b, tb), "a") == ["traffic-selector-mismatch"]


# --- IKEv2 traffic selectors ---------------------------------------------------------------

@pytest.mark.parametrize(("vb", "narrows"), [("huawei", True), ("strongswan", True),
                                              ("cisco-ios", True), ("cisco-asa", True),
                                              ("no-narrowing", False)])
def test_v2_narrowing_per_vendor(vb, narrows, monkeypatch):
    if vb == "no-narrowing":  # a responder that applies the inclusion rule instead
        real = behaviours.switch
        monkeypatch.setattr(behaviours, "switch", lambda v, k: (False, 0.5, "test") if
                            k == "narrows_ts" else real(v, k))
    a, ta, b, tb = pair(2, vb=vb)
    tb.selectors = [_sel("10.2.2.0/25", "10.1.0.0/16")]
    r = check_pair(a, ta, b, tb)
    da = direction(r, "a")
    if narrows:
        assert da.outcome == "established"
        w = [x for x in r.warnings if x.code == "ts-narrowed"]
        assert w and "gw-b accepts 10.1.1.0/24 -> 10.2.2.0/25" in w[0].detail
        assert any("narrows" in t for t in da.trace)
    else:
        assert [f.cause for f in da.failures] == ["traffic-selector-mismatch"]


def test_v2_no_overlap_is_ts_unacceptable_with_messages():
    a, ta, b, tb = pair(2, va="strongswan", vb="strongswan")
    tb.selectors = [_sel("10.2.2.0/24", "10.1.9.0/24")]
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert f.cause == "traffic-selector-mismatch" and "TS_UNACCEPTABLE" in f.detail
    assert f.messages["a"] == ["received TS_UNACCEPTABLE notify, no CHILD_SA built"]
    assert f.messages["b"] == ["traffic selectors 10.2.2.0/24 === 10.1.1.0/24 unacceptable"]


def test_v2_exact_mirror_is_not_narrowed():
    r = check_pair(*pair(2))
    assert "ts-narrowed" not in [w.code for w in r.warnings]
