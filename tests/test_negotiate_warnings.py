"""Warnings (weak algorithms, no PFS/DPD, lifetimes, narrowing, unverifiable keys, responder-only)
never become failures; ranking; secrets never reach the result; the simulator prints nothing."""

from __future__ import annotations

import msgspec
import pytest

from ipsec_doctor.config.secrets import secret
from ipsec_doctor.negotiate import check_pair
from ipsec_doctor.negotiate.result import Failure
from ipsec_doctor.negotiate.simulate import rank
from negotiate_factory import FLIPS, causes, direction, esp, ike, pair

WARNING_CODES = {"weak-encryption", "weak-integrity", "weak-dh", "no-pfs", "no-dpd",
                 "lifetime-differs", "ts-narrowed", "psk-unverifiable", "responder-only"}


def _codes(r):
    return sorted(w.code for w in r.warnings)


def test_weak_algorithms_of_the_chosen_proposals():
    a, ta, b, tb = pair(1)
    for t in (ta, tb):
        t.ike_proposals = [ike(encryption=("3des",), integrity=("md5",), dh=(2,)),
                           ike("20")]
        t.child_proposals = [esp(encryption=("des",), integrity=("sha1",))]
    r = check_pair(a, ta, b, tb)
    assert causes(r) == []
    assert _codes(r) == ["weak-dh", "weak-encryption", "weak-encryption", "weak-integrity",
                         "weak-integrity"]


def test_unused_weak_proposal_is_not_reported():
    a, ta, b, tb = pair(2)
    ta.ike_proposals.append(ike("99", encryption=("des",)))
    assert _codes(check_pair(a, ta, b, tb)) == []


def test_no_pfs_no_dpd_per_side():
    a, ta, b, tb = pair(1, vb="cisco-ios")
    ta.dpd = False
    tb.pfs = None
    r = check_pair(a, ta, b, tb)
    assert {(w.code, w.side) for w in r.warnings} == {("no-dpd", "a"), ("no-pfs", "b")}


def test_lifetimes_differ_from_configuration_when_nothing_was_chosen():
    a, ta, b, tb = pair(1)
    tb.ike_proposals[0].lifetime = 3600
    tb.ike_proposals[0].dh = (19,)  # phase 1 never agrees
    r = check_pair(a, ta, b, tb)
    assert "lifetime-differs" in _codes(r)
    w = next(x for x in r.warnings if x.code == "lifetime-differs")
    assert "86400" in w.detail and "3600" in w.detail and w.lines


@pytest.mark.parametrize("flip", sorted(FLIPS))
@pytest.mark.parametrize("version", [1, 2])
def test_warning_codes_never_appear_as_failures(flip, version):
    a, ta, b, tb = pair(version, firewall=flip.startswith("security_rule"))
    FLIPS[flip](b, tb, version)
    r = check_pair(a, ta, b, tb)
    assert not set(causes(r)) & WARNING_CODES
    assert {w.code for w in r.warnings} <= WARNING_CODES


def test_rank_keeps_exchange_order_and_puts_assumptions_last():
    def f(cause, conf):
        return Failure(cause=cause, stage="ike", detail="", confidence=conf)

    got = rank([f("x", 0.6), f("y", 0.9), f("z", 0.8)])
    assert [x.cause for x in got] == ["y", "z", "x"]


def test_failures_ranked_in_exchange_order():
    a, ta, b, tb = pair(2)
    tb.peer_addresses = ("192.0.2.99",)
    tb.ike_proposals[0].encryption = ("aes-cbc-128",)
    tb.psk = secret("Other-Key-99")
    got = [f.cause for f in direction(check_pair(a, ta, b, tb), "a").failures]
    assert got == ["peer-address-mismatch", "ike-proposal-mismatch", "psk-mismatch"]


def test_secrets_never_in_the_result(capsys):
    a, ta, b, tb = pair(2)
    ta.psk = secret("Matrix-Key-42")
    tb.psk = secret("Other-Key-99")
    r = check_pair(a, ta, b, tb)
    text = msgspec.json.encode(r).decode() + repr(r)
    for key in ("Matrix-Key-42", "Other-Key-99", ta.psk.digest, tb.psk.digest):
        assert key not in text
    assert capsys.readouterr() == ("", "")


def test_result_shape():
    r = check_pair(*pair(2))
    assert (r.a_device, r.b_device, r.a_tunnel) == ("gw-a", "gw-b", "map1 10")
    assert [d.initiator for d in r.directions] == ["a", "b"]
    assert r.directions[0].trace[0] == "gw-a starts with IKEv2; gw-b accepts it"


def test_sparse_and_odd_models_do_not_crash():
    from ipsec_doctor.config.model import DeviceConfig, Selector, Tunnel

    bare_a = DeviceConfig(vendor="strongswan", name="x", source="x.conf",
                          tunnels=[Tunnel(name="t", peer_hostname="vpn.example.net")])
    bare_b = DeviceConfig(vendor="unknown-vendor", name="y", source="y.conf")
    tb = Tunnel(name="u", ike_versions=(2,), initiate_version=2, peer_any=True,
                initiates=False, selectors=[Selector(src="2001:db8::/32", dst="::/0")])
    r = check_pair(bare_a, bare_a.tunnels[0], bare_b, tb)
    assert [d.outcome for d in r.directions] == ["fails", "not-initiated"]
    a, ta, b, tb = pair(2)
    ta.ike_proposals[0].dh = ()
    tb.child_proposals = []
    ta.peer_addresses = ("2001:db8::1",)
    r = check_pair(a, ta, b, tb)
    assert r.directions[0].outcome == "fails"
