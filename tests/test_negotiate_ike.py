"""IKE stage: versions, IKEv1 exchange modes and proposal selection (vendor order, IOS lifetime
rule, default policy 65535), IKEv2 SA_INIT (INVALID_KE retry, DH-only mismatch), IKE_AUTH
(methods, PSK, identities), ranking and changes."""

from __future__ import annotations

import pytest

from ipsec_doctor.config.model import Identity
from ipsec_doctor.config.secrets import secret
from ipsec_doctor.negotiate import check_pair
from negotiate_factory import causes, direction, ike, pair

# --- versions -------------------------------------------------------------------------------

def _v1v2(t, first=2):
    t.ike_versions, t.initiate_version = (1, 2), first


@pytest.mark.parametrize(("vendor", "falls_back"), [("cisco-asa", True), ("huawei", False),
                                                     ("strongswan", False)])
def test_v1v2_initiator_falls_back_per_vendor(vendor, falls_back):
    a, ta, b, tb = pair(1, va=vendor)
    _v1v2(ta)  # a accepts both, starts with IKEv2 (Huawei v1v2 does, seed 001)
    r = check_pair(a, ta, b, tb)
    da = direction(r, "a")
    if falls_back:
        assert da.outcome == "established" and da.version == 1
        assert any("falls back to IKEv1" in t for t in da.trace)
    else:
        assert causes(r, "a") == ["ike-version-mismatch"]
        assert "does not fall back" in da.failures[0].detail
    assert direction(r, "b").outcome == "established"  # gw-b starts v1, gw-a accepts it


def test_version_mismatch_changes_both_sides():
    a, ta, b, tb = pair(1)
    tb.ike_versions, tb.initiate_version = (2,), 2
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert [(c.side, c.field, c.value) for c in f.changes] == [
        ("a", "ike_version", 2), ("b", "ike_version", 1)]
    assert f.messages == {"a": ["version mismatch"], "b": ["version mismatch"]}


# --- IKEv1 exchange mode ----------------------------------------------------------------------

@pytest.mark.parametrize(("vb", "a_fails", "b_fails"), [
    ("huawei", True, True),        # role mismatch both ways (seed 000/001)
    ("cisco-ios", False, True),    # IOS answers main when configured aggressive; a refuses
    ("strongswan", True, True),    # charon phase1.c select_config matches the mode exactly
])
def test_exchange_mode_per_responder_vendor(vb, a_fails, b_fails):
    a, ta, b, tb = pair(1, vb=vb)
    tb.exchange_mode = "aggressive"
    r = check_pair(a, ta, b, tb)
    assert (causes(r, "a") == ["exchange-mode-mismatch"]) is a_fails
    assert (causes(r, "b") == ["exchange-mode-mismatch"]) is b_fails


def test_ios_responder_answers_aggressive_when_main():
    a, ta, b, tb = pair(1, va="cisco-ios", vb="cisco-ios")
    ta.exchange_mode = "aggressive"
    r = check_pair(a, ta, b, tb)
    assert direction(r, "a").outcome == "established"
    assert any("answers aggressive mode" in t for t in direction(r, "a").trace)


# --- IKEv1 proposals --------------------------------------------------------------------------

def test_v1_responder_accepts_first_equal_proposal_in_initiator_order():
    a, ta, b, tb = pair(1)
    ta.ike_proposals = [ike("5", encryption=("3des",)), ike("10"), ike("20", dh=(19,))]
    tb.ike_proposals = [ike("20", dh=(19,)), ike("10")]
    da = direction(check_pair(a, ta, b, tb), "a")
    assert da.outcome == "established"
    assert da.chosen["ike"] == "aes-cbc-256/sha2-256/14/psk"  # gw-a's 10 comes before gw-a's 20


def test_v1_ios_responder_walks_its_own_priority_order():
    a, ta, b, tb = pair(1, vb="cisco-ios")
    ta.ike_proposals = [ike("10"), ike("20", dh=(19,))]
    tb.ike_proposals = [ike("1", dh=(19,)), ike("2")]
    da = direction(check_pair(a, ta, b, tb), "a")
    assert da.chosen["ike"] == "aes-cbc-256/sha2-256/19/psk"  # gw-b's priority 1 wins (seed 004)


def test_v1_default_policy_65535_only_when_the_reader_listed_it():
    a, ta, b, tb = pair(1, vb="cisco-ios")
    ta.ike_proposals = [ike("10", encryption=("3des",), integrity=("sha1",), dh=(2,))]
    assert causes(check_pair(a, ta, b, tb), "a") == ["ike-proposal-mismatch",
                                                     "ike-dh-group-mismatch"]
    tb.ike_proposals.append(ike("65535", encryption=("3des",), integrity=("sha1",), dh=(2,)))
    assert direction(check_pair(a, ta, b, tb), "a").outcome == "established"


def test_v1_ios_lifetime_rule():
    """IOS: a policy matches only when the peer's lifetime is <= its own (configuration guide);
    other vendors never refuse on lifetime."""
    a, ta, b, tb = pair(1, vb="cisco-ios")
    tb.ike_proposals[0].lifetime = 28800
    r = check_pair(a, ta, b, tb)
    fa = direction(r, "a").failures
    assert [f.cause for f in fa] == ["ike-proposal-mismatch"]
    assert "IKE lifetime: gw-a offers 86400, gw-b accepts 28800" in fa[0].detail
    assert fa[0].confidence < 0.7
    assert direction(r, "b").outcome == "established"  # 28800 <= gw-a's 86400
    b.vendor = "huawei"
    assert causes(check_pair(a, ta, b, tb)) == []


def test_v1_every_differing_attribute_is_named_with_both_values_and_changes():
    a, ta, b, tb = pair(1)
    tb.ike_proposals[0].encryption = ("aes-cbc-128",)
    tb.ike_proposals[0].integrity = ("sha1",)
    tb.ike_proposals[0].dh = (19,)
    tb.ike_proposals[0].auth_method = "rsa-sig"
    fails = direction(check_pair(a, ta, b, tb), "a").failures
    assert [f.cause for f in fails] == ["ike-proposal-mismatch", "ike-dh-group-mismatch",
                                        "auth-method-mismatch"]
    first = fails[0]
    assert first.detail == ("IKE encryption: gw-a offers aes-cbc-256, gw-b accepts aes-cbc-128; "
                            "IKE integrity: gw-a offers sha2-256, gw-b accepts sha1")
    assert {(c.side, c.field, c.value) for c in first.changes} == {
        ("a", "ike.encryption", "aes-cbc-128"), ("b", "ike.encryption", "aes-cbc-256"),
        ("a", "ike.integrity", "sha1"), ("b", "ike.integrity", "sha2-256")}
    assert first.lines_a and first.lines_b
    assert all(c.target == "10" for c in first.changes)


def test_v1_psk_checked_even_when_proposals_differ():
    a, ta, b, tb = pair(1)
    tb.ike_proposals[0].dh = (19,)
    tb.psk = secret("Other-Key-99")
    assert causes(check_pair(a, ta, b, tb), "a") == ["ike-dh-group-mismatch", "psk-mismatch"]


# --- IKEv2 SA_INIT ----------------------------------------------------------------------------

def test_v2_invalid_ke_retry_is_traced_not_failed():
    a, ta, b, tb = pair(2, va="strongswan", vb="strongswan")
    ta.ike_proposals[0].dh = (19, 14)
    da = direction(check_pair(a, ta, b, tb), "a")
    assert da.outcome == "established"
    assert da.chosen["ike"].endswith("/14")
    retry = [t for t in da.trace if "INVALID_KE_PAYLOAD" in t]
    assert retry and "retries once with KE group 14" in retry[0]
    assert "peer didn't accept DH group ECP_256, it requested MODP_2048" in retry[0]


def test_v2_no_retry_when_first_group_accepted():
    a, ta, b, tb = pair(2)
    ta.ike_proposals[0].dh = (14, 19)
    tb.ike_proposals[0].dh = (19, 14)
    da = direction(check_pair(a, ta, b, tb), "a")
    assert not [t for t in da.trace if "INVALID_KE_PAYLOAD" in t]


def test_v2_only_dh_differs_is_dh_group_mismatch_with_vendor_messages():
    a, ta, b, tb = pair(2, vb="strongswan")
    tb.ike_proposals[0].dh = (19,)
    f = direction(check_pair(a, ta, b, tb), "a").failures
    assert [x.cause for x in f] == ["ike-dh-group-mismatch"]
    assert f[0].messages == {"a": ["phase1 proposal dh mismatch"],
                             "b": ["no acceptable proposal found"]}


def test_v2_responder_picks_first_initiator_proposal_it_supports():
    a, ta, b, tb = pair(2)
    ta.ike_proposals = [ike("1", encryption=("aes-gcm-256",), integrity=(), prf=("sha2-384",)),
                        ike("2")]
    tb.ike_proposals = [ike("9", encryption=("aes-cbc-256", "aes-gcm-256"),
                            integrity=("sha2-256",), prf=("sha2-384", "sha2-256"))]
    da = direction(check_pair(a, ta, b, tb), "a")
    assert da.chosen["ike"] == "aes-gcm-256/aead/sha2-384/14"


def test_v2_prf_mismatch():
    a, ta, b, tb = pair(2)
    tb.ike_proposals[0].prf = ("sha1",)
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert f.detail == "IKE PRF: gw-a offers sha2-256, gw-b accepts sha1"


# --- IKE_AUTH -----------------------------------------------------------------------------

def test_v2_auth_methods_both_ways_one_failure_one_change_per_side():
    a, ta, b, tb = pair(2)
    tb.local_auth = "rsa-sig"
    f = direction(check_pair(a, ta, b, tb), "a").failures
    assert [x.cause for x in f] == ["auth-method-mismatch"]
    assert sorted((c.side, c.value) for c in f[0].changes) == [("a", "rsa-sig"), ("b", "psk")]


def test_v2_remote_auth_differs_from_local():
    a, ta, b, tb = pair(2)
    tb.remote_auth = "rsa-sig"  # b proves with psk but wants a certificate from a
    f = direction(check_pair(a, ta, b, tb), "a").failures
    assert f[0].detail == "authentication method: gw-a authenticates with psk, gw-b expects rsa-sig"


@pytest.mark.parametrize("version", [1, 2])
def test_psk_unverifiable_cipher_blobs_warn_not_fail(version):
    a, ta, b, tb = pair(version)
    ta.psk = secret("%^%#abc%^%#")
    tb.psk = secret("%^%#xyz%^%#")
    r = check_pair(a, ta, b, tb)
    assert causes(r) == []
    assert "psk-unverifiable" in [w.code for w in r.warnings]
    tb.psk = secret("%^%#abc%^%#")
    assert "psk-unverifiable" not in [w.code for w in check_pair(a, ta, b, tb).warnings]


@pytest.mark.parametrize("version", [1, 2])
def test_psk_missing(version):
    a, ta, b, tb = pair(version)
    tb.psk = None
    f = direction(check_pair(a, ta, b, tb), "a").failures
    assert f[0].cause == "psk-mismatch" and f[0].detail == "pre-shared key: missing on b"


def test_psk_messages_per_vendor_and_role():
    a, ta, b, tb = pair(2, va="huawei", vb="strongswan")
    tb.psk = secret("Other-Key-99")
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert f.messages["a"] == [
        "authentication fail", "rcv peer auth fail notification(pre-share-key)"
    ]
    assert f.messages["b"] == [
        "tried 1 shared key for '198.51.100.2' - '192.0.2.1', but MAC mismatched"]
    f = direction(check_pair(a, ta, b, tb), "b").failures[0]
    assert f.messages["b"] == ["received AUTHENTICATION_FAILED notify error"]
    assert f.messages["a"] == ["authentication fail", "proc auth payload fail(pre-share-key)"]


@pytest.mark.parametrize("version", [1, 2])
def test_identity_ip_checked_against_peer_and_authentication_address_behind_nat(version):
    """Huawei NAT case (seed 002 ~1285): gw-b sends its pre-NAT address as IP ID; gw-a accepts it only
    with remote-address authentication-address."""
    a, ta, b, tb = pair(version, nat=True)
    ta.remote_id = Identity(type="ip")
    assert causes(check_pair(a, ta, b, tb)) == []
    ta.auth_addresses = ()
    r = check_pair(a, ta, b, tb)
    # one fault, the NAT authentication-address case: filed as peer-address-mismatch like the
    # diagnosis of the same case; Huawei's fix is the authentication-address
    assert set(causes(r)) == {"peer-address-mismatch"}
    f = direction(r, "a").failures[0]
    assert "gw-b sends its pre-NAT address 10.0.0.2" in f.detail
    assert ("a", "auth_address", "10.0.0.2") in [(c.side, c.field, c.value) for c in f.changes]
    assert ("b", "local_id", Identity(type="ip", value="198.51.100.2")) in [
        (c.side, c.field, c.value) for c in f.changes]


def test_identity_any_accepts_everything():
    a, ta, b, tb = pair(2)
    ta.remote_id = Identity(type="any")
    tb.local_id = Identity(type="fqdn", value="b.example.net")
    assert causes(check_pair(a, ta, b, tb)) == []


def test_identity_fqdn_case_insensitive_and_type_must_match():
    a, ta, b, tb = pair(2)
    tb.local_id = Identity(type="fqdn", value="B.Example.NET")
    ta.remote_id = Identity(type="fqdn", value="b.example.net")
    assert causes(check_pair(a, ta, b, tb)) == []
    ta.remote_id = Identity(type="user-fqdn", value="b.example.net")
    assert set(causes(check_pair(a, ta, b, tb))) == {"identity-mismatch"}


def test_strongswan_refuses_aggressive_psk_unless_flagged():
    """Lab ikev1-aggressive-psk-disabled: charon's default refuses aggressive mode with PSK."""
    from ipsec_doctor.model import Line

    a, ta, b, tb = pair(1, va="strongswan", vb="strongswan")
    ta.exchange_mode = tb.exchange_mode = "aggressive"
    r = check_pair(a, ta, b, tb)
    f = direction(r, "a").failures
    assert [x.cause for x in f] == ["exchange-mode-mismatch"]
    assert f[0].messages["b"] == ["Aggressive Mode PSK disabled for security reasons"]
    b.flags["aggressive-psk-allowed"] = Line("strongswan.conf", 3, "i_dont_care_... = yes")
    assert direction(check_pair(a, ta, b, tb), "a").outcome == "established"
    a2, ta2, b2, tb2 = pair(1, vb="huawei")
    ta2.exchange_mode = tb2.exchange_mode = "aggressive"
    assert causes(check_pair(a2, ta2, b2, tb2)) == []
