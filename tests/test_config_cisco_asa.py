"""Cisco ASA configuration reader (``config/cisco_asa*.py``): fields with their lines, defaults,
object-group resolution, NAT order, keys, dynamic/answer-only entries, detection, rendering and
the check-matrix half (``tests/matrix/cisco_asa.py``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import msgspec
import pytest

from ipsec_doctor.config import ConfigError, cisco_asa
from ipsec_doctor.config.model import CHANGE_FIELDS, Change, Identity, Route, Selector
from matrix import cisco_asa as matrix

FIX = Path(__file__).parent / "fixtures" / "config" / "cisco_asa"
KEYS = ("Nondirmela", "Br2-Secret-77", "Dyn-Secret-55", "Matrix-Key-42", "Other-Key-99")


def _text(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def _parse(name: str):
    [dev] = cisco_asa.parse(_text(name), name)
    return dev


def _lineno(text: str, needle: str) -> int:
    """1-based number of the first line that contains ``needle`` (exactly one expected)."""
    hits = [i for i, ln in enumerate(text.splitlines(), 1) if needle in ln]
    assert hits, needle
    return hits[0]


def _tunnel(dev, name: str):
    [t] = [t for t in dev.tunnels if t.name == name]
    return t


def _dump(dev) -> str:
    return msgspec.json.encode(dev).decode() + repr(dev)


# ---------------------------------------------------------------- real ASA 8.4+ configuration


def test_packet_tracer_fw_a_fields_cite_their_lines():
    text = _text("fw_a_packet_tracer.txt")
    dev = _parse("fw_a_packet_tracer.txt")
    assert dev.vendor == "cisco-asa" and dev.name == "FW-A" and dev.firewall
    outside = next(i for i in dev.interfaces if i.name == "outside")
    assert outside.addresses == ("10.1.1.1/24",) and outside.security_level == 0
    assert outside.ev.line == _lineno(text, "interface Vlan2")
    assert [i.name for i in dev.interfaces] == ["inside", "outside"]  # no nameif -> not modelled
    [route] = dev.routes
    assert (route.prefix, route.next_hop, route.interface) == ("0.0.0.0/0", "10.1.1.254", "outside")
    assert route.ev.line == _lineno(text, "route outside")

    [t] = dev.tunnels
    assert t.name == "VPN-Map 10" and t.kind == "static" and t.initiates
    assert t.ike_versions == (1,) and t.initiate_version == 1 and t.exchange_mode == "main"
    assert t.peer_addresses == ("10.1.2.1",)
    assert t.lines["peer_addresses"].line == _lineno(text, "set peer 10.1.2.1")
    assert (t.bound_interface, t.local_address) == ("outside", "10.1.1.1")
    assert t.lines["bound_interface"].line == _lineno(text, "crypto map VPN-Map interface")
    assert t.selector_name == "VPN-Acl"
    assert [(s.src, s.dst) for s in t.selectors] == [
        ("172.16.1.0/24", "172.16.2.0/24"), ("172.16.2.0/24", "172.16.1.0/24")]
    assert t.selectors[1].ev.line == _lineno(text, "permit ip object ReteB object ReteA")

    [p] = t.ike_proposals
    assert (p.encryption, p.integrity, p.dh, p.lifetime, p.auth_method) == (
        ("aes-cbc-128",), ("sha1",), (5,), 43200, "psk")
    assert p.lines["encryption"].line == _lineno(text, " encr aes")
    assert p.lines["dh"].line == _lineno(text, " group 5")
    assert p.defaults == ()
    [cp] = t.child_proposals
    assert (cp.name, cp.encryption, cp.integrity, cp.mode) == (
        "VPN-Set", ("aes-cbc-128",), ("sha1",), "tunnel")
    assert cp.lifetime == 43200 and cp.lines["lifetime"].line == _lineno(text, "seconds 43200")
    assert cp.lifetime_kb == 4608000
    assert t.psk.kind == "plain"
    assert t.lines["psk"].text == "ikev1 pre-shared-key <redacted>"
    assert t.lines["tunnel-group"].line == _lineno(text, "tunnel-group 10.1.2.1 type")
    # silent settings are defaults, named as such
    assert t.pfs is None and t.dpd and t.nat_traversal
    assert {"pfs", "dpd", "nat_traversal", "exchange_mode", "local_id"} <= set(t.defaults)
    # 'access-group VPN-Acl out interface inside' -> rules with the inside egress zone
    outs = [r for r in dev.security_rules if r.name == "VPN-Acl"]
    assert len(outs) == 2 and all(r.destination_zones == ("inside",) for r in outs)
    assert "Nondirmela" not in _dump(dev)


def test_asa82_legacy_syntax_nat0_and_flat_subcommands():
    text = _text("site_a_asa82.txt")
    dev = _parse("site_a_asa82.txt")
    [t] = dev.tunnels
    assert t.peer_hostname == "a.a.a.a" and t.peer_addresses == ()
    assert t.psk.kind == "plain"  # tunnel-group named after the peer, 8.2 'pre-shared-key'
    [p] = t.ike_proposals  # flat (unindented) policy sub-commands still belong to the policy
    assert (p.name, p.encryption, p.integrity, p.dh, p.lifetime) == (
        "ikev1 policy 20", ("3des",), ("sha1",), (2,), 86400)
    assert p.lines["lifetime"].line == _lineno(text, "lifetime 86400")
    [cp] = t.child_proposals
    assert cp.encryption == ("3des",) and cp.lifetime == 43200  # global SA lifetime
    assert cp.lines["lifetime"].line == _lineno(text, "lifetime seconds 43200")
    assert t.local_id == Identity(type="ip") and "local_id" not in t.defaults
    [nat0] = dev.nat_rules
    assert nat0.kind == "exempt" and nat0.name == "acl_nat0"
    assert [(m.src, m.dst) for m in nat0.match] == [("192.168.155.0/24", "10.100.2.0/24")]
    assert nat0.ev.line == _lineno(text, "nat (inside) 0")


# ---------------------------------------------------------------- hq_multi: many features


@pytest.fixture(scope="module")
def hq():
    return _parse("hq_multi.txt")


def test_object_groups_nested_ranges_and_names(hq):
    t = _tunnel(hq, "outside_map 10")
    # HQ-NETS = object HQ-USERS (subnet) + object HQ-SERVERS (range 10.20.0.0-10.20.1.255)
    assert [(s.src, s.dst) for s in t.selectors] == [
        ("10.10.0.0/16", "10.30.1.0/24"), ("10.20.0.0/23", "10.30.1.0/24")]
    exempt = next(n for n in hq.nat_rules if n.kind == "exempt")
    # BRANCH-NETS nests BRANCH2-ONLY, which is defined after it
    assert {m.dst for m in exempt.match} == {"10.30.1.0/24", "10.30.2.0/24"}
    t20 = _tunnel(hq, "outside_map 20")
    assert t20.peer_addresses == ("203.0.113.10",)  # 'name 203.0.113.10 branch2-peer'
    assert [(s.action, s.dst) for s in t20.selectors] == [
        ("permit", "10.30.2.5/32"), ("deny", "0.0.0.0/0")]


def test_interfaces_standby_and_management(hq):
    names = [(i.name, i.addresses, i.security_level) for i in hq.interfaces]
    assert names == [("outside", ("192.0.2.10/24",), 0), ("inside", ("10.10.0.1/16",), 100),
                     ("dmz", ("172.16.50.1/24",), 50)]  # standby address is the mate's


def test_ikev1_and_ikev2_on_one_entry(hq):
    text = _text("hq_multi.txt")
    t = _tunnel(hq, "outside_map 10")
    assert t.ike_versions == (1, 2) and t.initiate_version == 2
    assert "initiate_version" in t.defaults
    # both versions' policies, the initiating version (2) first, each tagged with its version
    assert [(p.name, p.version) for p in t.ike_proposals] == [
        ("ikev2 policy 1", 2), ("ikev2 policy 20", 2), ("ikev1 policy 10", 1),
        ("ikev1 policy 20", 1)]
    gcm, cbc = t.ike_proposals[:2]
    assert gcm.encryption == ("aes-gcm-256",) and gcm.integrity == ()  # 'integrity null'
    assert gcm.dh == (19, 14) and gcm.prf == ("sha2-384", "sha2-256") and gcm.lifetime == 43200
    assert cbc.prf == ("sha1",) and cbc.lifetime == 86400  # ASA defaults: prf sha, 86400 s
    assert set(cbc.defaults) == {"prf", "lifetime"}
    assert [(c.name, c.version) for c in t.child_proposals] == [
        ("AES256-GCM", 2), ("AES-SHA", 2), ("ESP-AES256-SHA256", 1)]
    assert t.child_proposals[2].lifetime == 3600  # the entry's lifetime applies to both
    assert t.child_proposals[1].encryption == ("aes-cbc-256", "aes-cbc-128")
    assert t.child_proposals[1].integrity == ("sha2-256", "sha1")
    assert t.child_proposals[0].integrity == ()
    assert t.pfs == 14 and t.lines["pfs"].line == _lineno(text, "outside_map 10 set pfs")
    assert t.nat_traversal  # 'no crypto isakmp nat-traversal' is IKEv1-only
    assert hq.flags["no-nat-traversal"].line == _lineno(text, "no crypto isakmp nat-traversal")


def test_masked_keys_prove_nothing(hq):
    t = _tunnel(hq, "outside_map 10")
    again = _tunnel(_parse("hq_multi.txt"), "outside_map 10")
    assert t.psk.kind == "cipher"
    assert t.psk.same_as(again.psk) is None  # two '*****' never compare equal
    masked = [n for n in hq.notes if "masked" in n.text]
    assert len(masked) == 3 and all("<redacted>" in n.text for n in masked)


def test_answer_only_aggressive_and_bare_pfs(hq):
    text = _text("hq_multi.txt")
    t = _tunnel(hq, "outside_map 20")
    assert t.kind == "static" and not t.initiates
    assert t.lines["initiates"].line == _lineno(text, "answer-only")
    assert t.exchange_mode == "aggressive"
    assert t.lines["exchange_mode"].line == _lineno(text, "phase1-mode aggressive")
    assert t.pfs == 2  # 'set pfs' without a group = group 2
    assert t.ike_versions == (1,) and not t.nat_traversal  # global 'no ... nat-traversal'
    assert not t.dpd and t.lines["dpd"].line == _lineno(text, "isakmp keepalive disable")
    assert t.remote_id is None  # peer-id-validate nocheck
    assert t.child_proposals[0].lifetime == 28800 and "lifetime" in t.child_proposals[0].defaults
    # IKEv1 policies in priority order (10 before 20), rsa-sig first
    assert [(p.name, p.auth_method) for p in t.ike_proposals] == [
        ("ikev1 policy 10", "rsa-sig"), ("ikev1 policy 20", "psk")]
    assert t.ike_proposals[1].lifetime == 86400 and "lifetime" in t.ike_proposals[1].defaults
    assert any(n.line == _lineno(text, "set trustpoint HQ-TP") for n in hq.notes)


def test_dynamic_map_is_a_responder_for_any_peer(hq):
    text = _text("hq_multi.txt")
    t = _tunnel(hq, "outside_map 65535 dynamic DYN 10")
    assert t.kind == "dynamic" and not t.initiates and t.peer_any and not t.peer_addresses
    assert t.lines["dynamic"].line == _lineno(text, "ipsec-isakmp dynamic DYN")
    assert [(s.src, s.dst) for s in t.selectors] == [("10.10.0.0/16", "10.99.0.0/16")]
    assert t.psk.kind == "plain"  # DefaultL2LGroup key
    other = _tunnel(hq, "outside_map 20")
    assert t.psk.same_as(other.psk) is False  # Dyn-Secret-55 vs Br2-Secret-77


def test_nat_sections_order_first_match_wins(hq):
    text = _text("hq_multi.txt")
    rules = hq.nat_rules
    assert [r.position for r in rules] == sorted(r.position for r in rules)
    kinds = [(r.kind, r.ev.line) for r in rules]
    assert kinds == [
        ("exempt", _lineno(text, "source static HQ-NETS HQ-NETS")),
        ("source", _lineno(text, "nat (inside,outside) source dynamic any interface")),
        ("server", _lineno(text, " nat (dmz,outside) static 192.0.2.20")),  # object static
        ("source", _lineno(text, " nat (inside,outside) dynamic interface")),  # object dynamic
        ("source", _lineno(text, "after-auto")),
    ]
    assert rules[1].match_all and rules[4].match_all
    assert rules[0].source_zones == ("inside",) and rules[0].destination_zones == ("outside",)

    def first(src: str, dst: str):
        s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
        for r in rules:
            if r.match_all or any(
                s in ipaddress.ip_network(m.src) and d in ipaddress.ip_network(m.dst)
                for m in r.match
            ):
                return r
        return None

    assert first("10.10.4.4", "10.30.2.9").kind == "exempt"
    assert first("10.10.4.4", "8.8.8.8").kind == "source"


def test_firewall_rules_and_flags(hq):
    text = _text("hq_multi.txt")
    assert hq.flags["permit-vpn"].text.endswith("(default)")
    sysopt = [r for r in hq.security_rules if r.name == "sysopt connection permit-vpn"]
    # decrypted protected traffic (remote -> local) passes ahead of every ACL
    assert ("10.30.1.0/24", "10.10.0.0/16") in [(r.selector.src, r.selector.dst) for r in sysopt]
    assert all(r.position < 1000 for r in sysopt)
    ike = [r for r in hq.security_rules if r.destination_zones == ("local",)]
    assert {(r.selector.protocol, r.selector.dst_ports) for r in ike} == {
        (17, (500, 500)), (17, (4500, 4500)), (50, None)}
    assert {r.ev.line for r in ike} == {_lineno(text, "crypto ikev2 enable outside"),
                                        _lineno(text, "crypto ikev1 enable outside")}
    acl = [r for r in hq.security_rules if r.name == "outside_access_in"]
    assert [(r.action, r.selector.protocol, r.selector.dst, r.selector.dst_ports) for r in acl] == [
        ("permit", 6, "172.16.50.10/32", (443, 443)), ("deny", None, "0.0.0.0/0", None)]
    # interface ACLs and sysopt never decide traffic to the box itself
    assert all("local" not in r.destination_zones for r in hq.security_rules
               if not r.name.startswith("crypto ike"))
    assert all(r.destination_zones for r in hq.security_rules if r.name == "outside_access_in")
    implicit = [r for r in hq.security_rules if r.name.startswith("implicit")]
    assert [(r.source_zones, r.destination_zones) for r in implicit] == [
        (("inside",), ("outside", "dmz")), (("dmz",), ("outside",))]


def test_unmodelled_crypto_lines_are_notes(hq):
    text = _text("hq_multi.txt")
    lines = {n.line for n in hq.notes}
    assert _lineno(text, "pmtu-aging infinite") in lines
    assert _lineno(text, "crypto ca trustpool policy") in lines


def test_no_secret_anywhere():
    for name in ("hq_multi.txt", "fw_a_packet_tracer.txt", "site_a_asa82.txt"):
        dev = _parse(name)
        dump = _dump(dev)
        for key in (*KEYS, "123456"):
            assert key not in dump, (name, key)
        for t in dev.tunnels:
            for field in CHANGE_FIELDS:
                out = "\n".join(cisco_asa.render(_change(field, t), dev, t))
                assert not any(k in out for k in (*KEYS, "123456")), field


def test_psk_equal_and_different_between_configs():
    a = cisco_asa.parse(matrix.baseline("a", 1), "a")[0].tunnels[0]
    b = cisco_asa.parse(matrix.baseline("b", 1), "b")[0].tunnels[0]
    assert a.psk.same_as(b.psk) is True
    flipped = matrix.FLIPS["psk"](matrix.baseline("b", 1), 1, False)
    c = cisco_asa.parse(flipped, "c")[0].tunnels[0]
    assert a.psk.same_as(c.psk) is False


def test_bad_input_is_a_config_error():
    with pytest.raises(ConfigError):
        cisco_asa.parse("hello world\nthis is not a firewall\n", "x.txt")
    with pytest.raises(ConfigError) as e:
        cisco_asa.parse("hostname fw\nsysopt connection permit-vpn\n", "y.txt")
    assert "y.txt" in str(e.value)


# ---------------------------------------------------------------- detect

IOS = """\
hostname R1
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto isakmp key Cisco123 address 203.0.113.2
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
crypto map CMAP 10 ipsec-isakmp
 set peer 203.0.113.2
 set transform-set TS
 match address 110
interface GigabitEthernet0/0
 ip address 198.51.100.1 255.255.255.0
 ip nat outside
 crypto map CMAP
ip nat inside source list 100 interface GigabitEthernet0/0 overload
access-list 110 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255
"""
HUAWEI = """\
#
sysname AR1
#
ike proposal 1
 encryption-algorithm aes-256
 dh group14
#
ike peer b
 pre-shared-key cipher %^%#abcdefgh%^%#
 ike-proposal 1
 remote-address 198.51.100.2
#
ipsec proposal p1
 esp authentication-algorithm sha2-256
#
"""
STRONGSWAN = """\
connections {
   net-net {
      remote_addrs = 192.168.0.2
      local { auth = psk }
      children { net-net { local_ts = 10.1.0.0/16 } }
   }
}
"""


def test_detect_scores():
    for name in ("hq_multi.txt", "fw_a_packet_tracer.txt", "site_a_asa82.txt"):
        assert cisco_asa.detect(_text(name)) >= 60, name
    assert cisco_asa.detect(matrix.baseline("a", 2)) == 100
    for other in (IOS, HUAWEI, STRONGSWAN):
        assert cisco_asa.detect(other) == 0


def test_detect_ios_fixtures_when_present():
    ios = sorted((FIX.parent / "cisco_ios").glob("*"))
    if not ios:
        pytest.skip("no IOS fixtures in this tree")
    for f in ios:
        assert cisco_asa.detect(f.read_text(encoding="utf-8", errors="replace")) < 30, f.name


# ---------------------------------------------------------------- matrix baselines and flips


@pytest.mark.parametrize("nat", [False, True])
@pytest.mark.parametrize("version", [1, 2])
def test_matrix_baselines_match_the_scenario(version, nat):
    a = cisco_asa.parse(matrix.baseline("a", version, nat), "a")[0]
    b = cisco_asa.parse(matrix.baseline("b", version, nat), "b")[0]
    [ta], [tb] = a.tunnels, b.tunnels
    assert ta.local_address == "192.0.2.1" and ta.peer_addresses == ("198.51.100.2",)
    assert tb.local_address == ("10.0.0.2" if nat else "198.51.100.2")
    assert tb.peer_addresses == ("192.0.2.1",)
    assert [r.next_hop for r in b.routes] == ["10.0.0.254" if nat else "198.51.100.254"]
    for dev, t, lan, rem in ((a, ta, "10.1.1.0/24", "10.2.2.0/24"),
                             (b, tb, "10.2.2.0/24", "10.1.1.0/24")):
        assert t.ike_versions == (version,) and t.exchange_mode == "main"
        [p] = t.ike_proposals
        assert p.version is None and t.child_proposals[0].version is None  # one version only
        assert p.encryption == ("aes-cbc-256",) and p.integrity == ("sha2-256",)
        assert p.prf == (("sha2-256",) if version == 2 else ())
        assert p.dh == (14,) and p.lifetime == 86400 and p.auth_method == "psk"
        [cp] = t.child_proposals
        assert (cp.protocol, cp.encryption, cp.integrity, cp.mode, cp.lifetime) == (
            "esp", ("aes-cbc-256",), ("sha2-256",), "tunnel", 3600)
        assert t.pfs == 14 and t.dpd and t.nat_traversal and t.initiates
        assert t.local_id == Identity(type="ip") and t.sha2_truncation == 128
        assert [(s.src, s.dst) for s in t.selectors] == [(lan, rem)]
        assert t.bound_interface == "outside"
        assert [n.kind for n in dev.nat_rules] == ["exempt", "source"]
        assert [(m.src, m.dst) for m in dev.nat_rules[0].match] == [(lan, rem)]
        assert "no-permit-vpn" in dev.flags
        inbound = [r for r in dev.security_rules if r.name == "outside_access_in"]
        assert (inbound[0].action, inbound[0].selector.src, inbound[0].selector.dst) == (
            "permit", rem, lan)
        assert any(r.destination_zones == ("local",) and r.selector.dst_ports == (500, 500)
                   for r in dev.security_rules)
        assert dev.notes == []
    assert ta.psk.same_as(tb.psk) is True


def _flip_effect(key: str, dev, t, version: int) -> bool:
    p = t.ike_proposals[0] if t.ike_proposals else None
    cp = t.child_proposals[0] if t.child_proposals else None
    checks = {
        "ike.encryption": lambda: p.encryption == ("aes-cbc-128",),
        "ike.integrity": lambda: p.integrity == ("sha1",) and (
            version == 1 or p.prf == ("sha2-256",)),
        "ike.prf": lambda: p.prf == ("sha1",) and p.integrity == ("sha2-256",),
        "ike.dh": lambda: p.dh == ((5,) if version == 1 else (19,)),
        "ike.auth_method": lambda: (p.auth_method if version == 1 else t.local_auth) == "rsa-sig",
        "ike.lifetime": lambda: p.lifetime == 28800,
        "psk": lambda: t.psk.kind == "plain",
        "ike_version": lambda: t.ike_versions == ((2,) if version == 1 else (1,)),
        "exchange_mode": lambda: t.exchange_mode == "aggressive",
        "local_id": lambda: t.local_id == Identity(type="fqdn", value="b.example.net"),
        "peer_address": lambda: t.peer_addresses == ("192.0.2.99",),
        "nat_traversal": lambda: t.nat_traversal is False,
        "dpd": lambda: t.dpd is False,
        "child.encryption": lambda: cp.encryption == ("aes-cbc-128",),
        "child.integrity": lambda: cp.integrity == ("sha1",),
        "child.mode": lambda: cp.mode == "transport",
        "child.lifetime": lambda: cp.lifetime == 28800,
        "pfs": lambda: t.pfs is None,
        "selectors": lambda: [(s.src, s.dst) for s in t.selectors] == [
            ("10.2.2.0/24", "10.1.9.0/24")],
        "selectors.narrow": lambda: [(s.src, s.dst) for s in t.selectors] == [
            ("10.2.2.0/25", "10.1.1.0/24")],
        "bind": lambda: t.bound_interface is None,
        "responder_only": lambda: not t.initiates and t.kind == "dynamic" and t.peer_any
        and t.psk.kind == "plain" and t.lines["tunnel-group"].text.startswith(
            "tunnel-group 192.0.2.1 "),
        "nat_exempt": lambda: [n.kind for n in dev.nat_rules] == ["source"],
        "security_rule.ike": lambda: not any(
            r.destination_zones == ("local",) for r in dev.security_rules),
        "security_rule.traffic": lambda: not any(
            r.action == "permit" and r.selector.src == "10.1.1.0/24"
            and r.source_zones == ("outside",) for r in dev.security_rules),
        "route": lambda: dev.routes == [],
    }
    return checks[key]()


@pytest.mark.parametrize("nat", [False, True])
@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("key", sorted(matrix.FLIPS))
def test_matrix_flip_changes_only_its_attribute(key, version, nat):
    if key == "nat_traversal" and not nat:
        pytest.skip("nat_traversal flip is defined for nat=True")
    base = matrix.baseline("b", version, nat)
    try:
        text = matrix.FLIPS[key](base, version, nat)
    except NotImplementedError:
        assert key in matrix.NOT_FOR_VERSION[version]
        return
    assert text != base
    [dev] = cisco_asa.parse(text, "b")
    [t] = dev.tunnels
    assert _flip_effect(key, dev, t, version), key
    assert dev.notes == []


# ---------------------------------------------------------------- render


def _change(field: str, t) -> Change:
    values = {
        "ike.encryption": "aes-cbc-128", "ike.integrity": "sha1", "ike.prf": "sha1",
        "ike.dh": 19, "ike.auth_method": "psk", "ike.lifetime": 28800, "ike_version": 1,
        "exchange_mode": "aggressive", "psk": None,
        "local_id": Identity(type="fqdn", value="b.example.net"),
        "remote_id": Identity(type="fqdn", value="a.example.net"),
        "peer_address": "192.0.2.99", "auth_address": "10.0.0.2",
        "local_address": "198.51.100.2", "nat_traversal": False, "dpd": False,
        "child.protocol": "esp", "child.encryption": "aes-cbc-128", "child.integrity": "sha1",
        "child.mode": "transport", "child.lifetime": 28800, "pfs": 19,
        "selectors": [Selector(src="10.2.2.0/24", dst="10.1.1.0/24")], "bind": "outside",
        "nat_exempt": Selector(src="10.2.2.0/24", dst="10.1.1.0/24"),
        "security_rule": Selector(src="10.1.1.0/24", dst="10.2.2.0/24"),
        "route": Route(prefix="0.0.0.0/0", next_hop="198.51.100.254", interface="outside"),
        "sha2_truncation": 128,
    }
    return Change(side="b", field=field, value=values[field])


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("field", sorted(CHANGE_FIELDS))
def test_render_every_change_field(field, version):
    [dev] = cisco_asa.parse(matrix.baseline("b", version), "b")
    [t] = dev.tunnels
    out = cisco_asa.render(_change(field, t), dev, t)
    assert out and all(isinstance(x, str) and x for x in out)
    assert "Matrix-Key-42" not in "\n".join(out)


RENDER_EXPECT = {
    ("ike.encryption", 1): ["crypto ikev1 policy 10", " encryption aes"],
    ("ike.encryption", 2): ["crypto ikev2 policy 10", " encryption aes"],
    ("ike.integrity", 1): ["crypto ikev1 policy 10", " hash sha"],
    ("ike.integrity", 2): ["crypto ikev2 policy 10", " integrity sha"],
    ("ike.prf", 2): ["crypto ikev2 policy 10", " prf sha"],
    ("ike.dh", 2): ["crypto ikev2 policy 10", " group 19"],
    ("ike.lifetime", 2): ["crypto ikev2 policy 10", " lifetime seconds 28800"],
    ("psk", 1): ["tunnel-group 192.0.2.1 ipsec-attributes",
                 " ikev1 pre-shared-key <same key as the peer>"],
    ("pfs", 1): ["crypto map outside_map 10 set pfs group19"],
    ("child.lifetime", 2): ["crypto map outside_map 10 set security-association lifetime "
                            "seconds 28800"],
    ("child.encryption", 1): ["crypto ipsec ikev1 transform-set TS-AES256-SHA256 esp-aes "
                              "esp-sha-256-hmac"],
    ("child.encryption", 2): ["crypto ipsec ikev2 ipsec-proposal PROP-AES256-SHA256",
                              " protocol esp encryption aes"],
    ("dpd", 1): ["tunnel-group 192.0.2.1 ipsec-attributes", " isakmp keepalive disable"],
    ("exchange_mode", 1): ["no crypto ikev1 am-disable",
                           "crypto map outside_map 10 set ikev1 phase1-mode aggressive"],
    ("route", 1): ["route outside 0.0.0.0 0.0.0.0 198.51.100.254"],
    ("nat_exempt", 2): ["object network NET-10.2.2.0-24", " subnet 10.2.2.0 255.255.255.0",
                        "object network NET-10.1.1.0-24", " subnet 10.1.1.0 255.255.255.0",
                        "nat (inside,outside) 1 source static NET-10.2.2.0-24 NET-10.2.2.0-24 "
                        "destination static NET-10.1.1.0-24 NET-10.1.1.0-24 no-proxy-arp "
                        "route-lookup"],
}


@pytest.mark.parametrize(("field", "version"), sorted(RENDER_EXPECT))
def test_render_uses_the_devices_own_names(field, version):
    [dev] = cisco_asa.parse(matrix.baseline("b", version), "b")
    [t] = dev.tunnels
    assert cisco_asa.render(_change(field, t), dev, t) == RENDER_EXPECT[(field, version)]


@pytest.mark.parametrize(
    ("field", "value", "check"),
    [
        ("pfs", None, lambda d, t: t.pfs is None),
        ("pfs", 19, lambda d, t: t.pfs == 19),
        ("child.lifetime", 7200, lambda d, t: t.child_proposals[0].lifetime == 7200),
        ("peer_address", "192.0.2.77", lambda d, t: t.peer_addresses == ("192.0.2.77",)),
        ("dpd", False, lambda d, t: not t.dpd),
        ("nat_traversal", False, lambda d, t: not t.nat_traversal),
        ("ike.dh", 19, lambda d, t: t.ike_proposals[0].dh == (19,)),
        ("ike.lifetime", 3600, lambda d, t: t.ike_proposals[0].lifetime == 3600),
        ("child.mode", "transport", lambda d, t: t.child_proposals[0].mode == "transport"),
        ("exchange_mode", "aggressive", lambda d, t: t.exchange_mode == "aggressive"),
        ("selectors", [Selector(src="10.2.2.0/24", dst="10.1.7.0/24")],
         lambda d, t: [(s.src, s.dst) for s in t.selectors] == [("10.2.2.0/24", "10.1.7.0/24")]),
    ],
)
def test_rendered_commands_take_effect_when_applied(field, value, check):
    """Appending the rendered lines to the configuration (as pasting them into the CLI would)
    gives a configuration whose parse shows the change."""
    base = matrix.baseline("b", 1)
    [dev] = cisco_asa.parse(base, "b")
    [t] = dev.tunnels
    lines = cisco_asa.render(Change(side="b", field=field, value=value), dev, t)
    text = _apply(base, lines)
    [dev2] = cisco_asa.parse(text, "b2")
    assert check(dev2, dev2.tunnels[0])


def _apply(text: str, lines: list[str]) -> str:
    body = text.replace("!\n: end\n", "")
    out = []
    for ln in lines:
        if ln.startswith("clear configure access-list "):
            acl = ln.split()[-1]
            body = "\n".join(x for x in body.split("\n")
                             if not x.startswith(f"access-list {acl} ")) + "\n"
        else:
            out.append(ln)
    return body + "\n".join(out) + "\n"


def test_render_unknown_field_is_an_error():
    [dev] = cisco_asa.parse(matrix.baseline("b", 1), "b")
    with pytest.raises(ValueError):
        cisco_asa.render(Change(side="b", field="nope"), dev, dev.tunnels[0])


def test_pasted_cli_session_with_prompts():
    """Commands typed at the prompt (flat sub-commands, ``exit``) read like show run output."""
    session = """\
asa2# show running-config
asa2(config)# hostname asa2
asa2(config)# interface GigabitEthernet0/0
asa2(config-if)# ip address 172.16.1.2 255.255.255.0
asa2(config-if)# nameif outside
asa2(config-if)# exit
asa2(config)# crypto ikev2 policy 10
asa2(config-ikev2-policy)# encryption aes-256
asa2(config-ikev2-policy)# integrity sha256
asa2(config-ikev2-policy)# group 14
asa2(config-ikev2-policy)# prf sha256
asa2(config-ikev2-policy)# exit
asa2(config)# crypto ikev2 enable outside
asa2(config)# crypto ipsec ikev2 ipsec-proposal P1
asa2(config-ipsec-proposal)# protocol esp encryption aes-256
asa2(config-ipsec-proposal)# protocol esp integrity sha-256
asa2(config-ipsec-proposal)# exit
asa2(config)# access-list VPN20 extended permit ip 192.168.20.0 255.255.255.0 192.168.10.0 255.255.255.0
asa2(config)# crypto map CMAP 10 match address VPN20
asa2(config)# crypto map CMAP 10 set peer 172.16.1.1
asa2(config)# crypto map CMAP 10 set ikev2 ipsec-proposal P1
asa2(config)# crypto map CMAP interface outside
asa2(config)# tunnel-group 172.16.1.1 type ipsec-l2l
asa2(config)# tunnel-group 172.16.1.1 ipsec-attributes
asa2(config-tunnel-ipsec)# ikev2 remote-authentication pre-shared-key cisco
asa2(config-tunnel-ipsec)# ikev2 local-authentication pre-shared-key cisco
asa2(config-tunnel-ipsec)# exit
"""
    [dev] = cisco_asa.parse(session, "session.txt")
    [itf] = dev.interfaces
    assert (itf.name, itf.addresses, itf.security_level) == ("outside", ("172.16.1.2/24",), 0)
    [t] = dev.tunnels
    assert t.ike_versions == (2,) and t.local_address == "172.16.1.2"
    [p] = t.ike_proposals
    assert (p.encryption, p.integrity, p.prf, p.dh) == (
        ("aes-cbc-256",), ("sha2-256",), ("sha2-256",), (14,))
    assert t.child_proposals[0].integrity == ("sha2-256",)
    assert t.psk.kind == "plain" and t.lines["psk"].line == 25
    assert [(s.src, s.dst) for s in t.selectors] == [("192.168.20.0/24", "192.168.10.0/24")]


def test_repeated_policy_header_and_no_commands_edit_the_same_objects():
    text = matrix.baseline("b", 1) + (
        "crypto ikev1 policy 10\n group 5\n"
        "no crypto map outside_map 10 set pfs\n"
        "crypto ipsec ikev1 transform-set TS-AES256-SHA256 mode transport\n"
        "no crypto ipsec ikev1 transform-set TS-AES256-SHA256 mode transport\n")
    [dev] = cisco_asa.parse(text, "b")
    [t] = dev.tunnels
    [p] = t.ike_proposals
    assert p.dh == (5,) and p.encryption == ("aes-cbc-256",)
    assert t.pfs is None and "pfs" in t.defaults
    assert t.child_proposals[0].mode == "tunnel"


def test_large_object_group_expansion_is_bounded():
    hosts = "\n".join(f" network-object host 10.{i // 250}.{i % 250}.1" for i in range(3000))
    text = matrix.baseline("b", 1).replace(
        "access-list VPN-TO-A extended permit ip object-group LOCAL-NETS object-group REMOTE-NETS",
        f"object-group network BIG\n{hosts}\n"
        "access-list VPN-TO-A extended permit ip object-group BIG object-group BIG")
    [dev] = cisco_asa.parse(text, "big")
    assert len(dev.tunnels[0].selectors) <= 4096
    assert any("object-group BIG object-group BIG" in n.text for n in dev.notes)


@pytest.mark.parametrize("version", [1, 2])
def test_rendered_ike_version_change_gives_a_working_entry(version):
    """b is switched to the other IKE version: the rendered lines create what that version
    needs, so the re-read entry speaks it with the scenario's algorithms."""
    other = 2 if version == 1 else 1
    base = matrix.baseline("b", version)
    [dev] = cisco_asa.parse(base, "b")
    [t] = dev.tunnels
    lines = cisco_asa.render(Change(side="b", field="ike_version", value=other), dev, t)
    [dev2] = cisco_asa.parse(_apply(base, lines), "b2")
    [t2] = dev2.tunnels
    assert other in t2.ike_versions and t2.psk.kind == "plain"
    v2 = next(p for p in t2.ike_proposals if p.name.startswith(f"ikev{other} policy"))
    assert v2.encryption == ("aes-cbc-256",) and v2.dh == (14,) and v2.lifetime == 86400
    if other == 2:
        assert t2.child_proposals[0].name == "PROP-V2"
        assert t2.child_proposals[0].integrity == ("sha2-256",)
    assert any(r.ev.text == f"crypto ikev{other} enable outside" for r in dev2.security_rules)


def test_load_text_picks_the_asa_reader():
    from ipsec_doctor.config import load_text

    for name in ("hq_multi.txt", "fw_a_packet_tracer.txt", "site_a_asa82.txt"):
        [dev] = load_text(_text(name), name)
        assert dev.vendor == "cisco-asa", name


def test_render_targets_a_transform_set_of_a_two_version_entry(hq):
    t = _tunnel(hq, "outside_map 10")
    out = cisco_asa.render(Change(side="a", field="child.integrity", value="sha2-512",
                                  target="ESP-AES256-SHA256"), hq, t)
    assert out == ["crypto ipsec ikev1 transform-set ESP-AES256-SHA256 esp-aes-256 "
                   "esp-sha-512-hmac"]
    out = cisco_asa.render(Change(side="a", field="ike.dh", value=21, target="20"), hq, t)
    assert out == ["crypto ikev2 policy 20", " group 21"]


def test_vti_and_dhcp_interfaces_are_noted_not_guessed():
    text = """\
ASA Version 9.14(1)
hostname edge
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address dhcp setroute
interface Tunnel1
 nameif FG-Tunnel
 ip address 169.254.2.1 255.255.255.252
 tunnel source interface outside
 tunnel destination 203.0.113.9
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile Tun-Prof
crypto ipsec profile Tun-Prof
 set ikev2 ipsec-proposal AES256
"""
    [dev] = cisco_asa.parse(text, "vti.txt")
    assert [(i.name, i.addresses) for i in dev.interfaces] == [
        ("outside", ()), ("FG-Tunnel", ("169.254.2.1/30",))]
    noted = {n.line for n in dev.notes}
    assert {_lineno(text, "ip address dhcp"), _lineno(text, "tunnel protection ipsec"),
            _lineno(text, "crypto ipsec profile")} <= noted
    assert dev.tunnels == []
