"""Cisco IOS / IOS-XE configuration reader (``config/cisco_ios*.py``): detection, every modelled
field with the line it came from, vendor defaults, keys (equality without the value), dynamic
maps, VTI profiles, IKEv2, NAT exemption through ACL deny rules, the renderer for every change
field, and the matrix baselines/flips of ``tests/matrix/cisco_ios.py``.

Fixtures are verbatim public configurations (``tests/fixtures/config/cisco_ios/README.md``).
"""

from __future__ import annotations

import msgspec
import pytest

from conftest import FIXTURES, fixture_text
from ipsec_doctor.config import ConfigError, cisco_ios, load_text
from ipsec_doctor.config.model import (
    CHANGE_FIELDS,
    Change,
    DeviceConfig,
    Identity,
    Route,
    Selector,
    Tunnel,
)
from matrix import cisco_ios as matrix

DIR = "config/cisco_ios/"


def parse(name: str) -> DeviceConfig:
    devices = cisco_ios.parse(fixture_text(DIR + name), name)
    assert len(devices) == 1
    return devices[0]


def text_parse(text: str, source: str = "t.cfg") -> DeviceConfig:
    return cisco_ios.parse(text, source)[0]


def tunnel(dev: DeviceConfig, name: str) -> Tunnel:
    return next(t for t in dev.tunnels if t.name == name)


def cited(dev_text: str, line) -> str:
    """The source line a ``Line`` cites (1-based)."""
    return dev_text.splitlines()[line.line - 1]


def dump(dev: DeviceConfig) -> str:
    return msgspec.json.encode(dev).decode() + repr(dev)


# ----------------------------------------------------------------------------- detect


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / DIR).iterdir()
                                        if p.suffix in (".txt", ".cfg")))  # fmt: skip
def test_detect_scores_ios_fixtures(name: str) -> None:
    text = fixture_text(DIR + name)
    assert cisco_ios.detect(text) >= 18
    if name != "batfish_ios_crypto.cfg":  # two ISAKMP policies only: still IOS, lower score
        assert cisco_ios.detect(text) >= 50


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(FIXTURES)) for sub in ("config/cisco_asa", "config/huawei",
                                             "config/strongswan")
    for p in (FIXTURES / sub).iterdir() if p.suffix != ".md"))  # fmt: skip
def test_detect_scores_other_vendors_low(path: str) -> None:
    assert cisco_ios.detect(fixture_text(path)) <= 16


def test_detect_asa_text_with_crypto_map_is_low() -> None:
    asa = ("ASA Version 9.8(2)\nhostname fw\ninterface GigabitEthernet0/0\n nameif outside\n"
           " security-level 0\n ip address 192.0.2.1 255.255.255.0\n"
           "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
           "crypto map CM 10 match address VPN\ncrypto map CM 10 set peer 198.51.100.2\n"
           "crypto map CM interface outside\ncrypto ikev1 enable outside\n"
           "tunnel-group 198.51.100.2 type ipsec-l2l\n")  # fmt: skip
    assert cisco_ios.detect(asa) <= 10


def test_matrix_baselines_are_read_by_the_ios_reader() -> None:
    for version in (1, 2):
        devs = load_text(matrix.baseline("b", version), "b.cfg")
        assert devs[0].vendor == "cisco-ios"


def test_empty_text_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="empty"):
        cisco_ios.parse("  \n", "x.cfg")


# ----------------------------------------------------------------------------- ALFA (IKEv1)


def test_alfa_interfaces_routes_and_nat() -> None:
    dev = parse("alfa_running_config.txt")
    assert dev.name == "ALFA" and dev.vendor == "cisco-ios"
    itfs = {i.name: i for i in dev.interfaces}
    assert itfs["Serial0/1/1"].addresses == ("1.8.0.2/30",)
    assert itfs["Serial0/1/1"].nat_role == "outside"
    assert itfs["FastEthernet0/0"].nat_role == "inside"
    assert itfs["FastEthernet0/1"].shutdown and not itfs["Serial0/1/1"].shutdown
    assert [(r.prefix, r.next_hop) for r in dev.routes] == [
        ("172.17.8.0/24", "172.16.8.2"),
        ("172.18.8.0/24", "172.16.8.2"),
    ]
    pat, web, tls = dev.nat_rules
    assert (pat.kind, pat.interface, pat.name) == ("source", "Serial0/1/1", "1")
    assert [s.src for s in pat.match] == ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
    assert all(s.dst == "0.0.0.0/0" for s in pat.match)  # standard ACL: source only
    assert pat.ev is not None and pat.ev.text.startswith("ip nat inside source list 1")
    assert (web.kind, web.match[0].src, web.match[0].protocol, web.match[0].src_ports) == (
        "server",
        "172.17.8.2/32",
        6,
        (80, 80),
    )
    assert tls.match[0].src_ports == (443, 443)


def test_alfa_crypto_map_fields_cite_their_lines() -> None:
    text = fixture_text(DIR + "alfa_running_config.txt")
    dev = parse("alfa_running_config.txt")
    (t,) = dev.tunnels
    assert (t.name, t.kind, t.initiates, t.ike_versions) == ("OMAPA 10", "static", True, (1,))
    assert t.peer_addresses == ("1.8.0.1",)
    assert (t.local_address, t.local_interface, t.bound_interface) == (
        "1.8.0.2",
        "Serial0/1/1",
        "Serial0/1/1",
    )
    for key, word in (
        ("peer_addresses", "set peer 1.8.0.1"),
        ("child_proposals", "TRANS"),
        ("selectors", "match address 100"),
        ("bound_interface", "crypto map"),
        ("psk", "crypto isakmp key"),
        ("local_address", "1.8.0.2"),
    ):
        assert word in cited(text, t.lines[key]), key
    (p,) = t.ike_proposals
    assert (p.name, p.encryption, p.integrity, p.dh, p.auth_method, p.lifetime) == (
        "10",
        ("aes-cbc-256",),
        ("sha1",),
        (5,),
        "psk",
        3600,
    )
    assert cited(text, p.lines["encryption"]).strip() == "encr aes 256"
    assert cited(text, p.lines["dh"]).strip() == "group 5"
    assert cited(text, p.lines["lifetime"]).strip() == "lifetime 3600"
    assert p.defaults == ("integrity",)  # no "hash" line: SHA-1 default
    (c,) = t.child_proposals
    assert (c.protocol, c.encryption, c.integrity, c.ah_integrity, c.mode) == (
        "ah-esp",
        ("aes-cbc-256",),
        ("sha1",),
        ("sha1",),
        "tunnel",
    )
    assert (c.lifetime, c.lifetime_kb) == (3600, 4608000)
    assert set(c.defaults) == {"mode", "lifetime"}
    assert t.pfs is None and "pfs" in t.defaults
    assert t.nat_traversal and "nat_traversal" in t.defaults
    assert not t.dpd and "dpd" in t.defaults
    assert t.sha2_truncation == 128
    sel = t.selectors
    assert [(s.protocol, s.dst, s.dst_ports) for s in sel] == [
        (6, "0.0.0.0/0", (80, 80)),
        (6, "0.0.0.0/0", (443, 443)),
        (None, "1.8.0.0/30", None),
        (47, "1.8.0.1/32", None),
    ]
    assert sel[3].src == "1.8.0.2/32"
    assert all(s.ev is not None and s.ev.text.startswith("access-list 100") for s in sel)


def test_alfa_key_is_digested_and_never_kept() -> None:
    dev = parse("alfa_running_config.txt")
    assert dev.tunnels[0].psk is not None and dev.tunnels[0].psk.kind == "plain"
    assert "Passw0rd" not in dump(dev)


# ----------------------------------------------------------------------------- Batfish


def test_isakmp_policy_defaults_and_values() -> None:
    text = fixture_text(DIR + "batfish_ios_crypto.cfg")
    dev = parse("batfish_ios_crypto.cfg")
    assert dev.tunnels == []  # policies alone make no tunnel
    from ipsec_doctor.config.cisco_ios_collect import collect
    from ipsec_doctor.config.cisco_ios_tunnels import _isakmp_proposals

    props = _isakmp_proposals(collect(text, "x"), [])
    p10, p20 = props
    assert (p10.encryption, p10.integrity, p10.dh, p10.auth_method, p10.lifetime) == (
        ("aes-cbc-128",),
        ("md5",),
        (1,),
        "rsa-sig",
        14400,
    )
    assert p10.defaults == ()
    assert (p20.encryption, p20.integrity, p20.dh, p20.auth_method, p20.lifetime) == (
        ("des",),
        ("sha1",),
        (1,),
        "rsa-sig",
        86400,
    )
    assert set(p20.defaults) == {"encryption", "integrity", "dh", "auth_method", "lifetime"}
    assert p20.ev is not None and p20.ev.text == "crypto isakmp policy 20"


def test_batfish_crypto_map_profiles_keyrings_and_dynamic_entries() -> None:
    text = fixture_text(DIR + "batfish_ios_crypto_map.cfg")
    dev = parse("batfish_ios_crypto_map.cfg")
    assert [t.name for t in dev.tunnels] == [
        "mymap 10",
        "mymap 20",
        "mydynamicmap 5",
        "mydynamicmap 15",
        "Tunnel1",
    ]
    m10, m20, d5, d15, vti = dev.tunnels
    # no "crypto isakmp policy": the default suites 65507-65514 are offered, marked default
    assert [p.name for p in m10.ike_proposals] == [str(n) for n in range(65507, 65515)]
    assert "ike_proposals" in m10.defaults
    assert m10.ike_proposals[1].auth_method == "psk" and m10.ike_proposals[1].dh == (5,)
    # profile set on the entry; keyring key; keepalive in the profile = DPD
    assert cited(text, m10.lines["isakmp_profile"]).strip() == "set isakmp-profile ISAKMP-PROFILE"
    assert m10.remote_id == Identity(type="ip", value="1.2.3.4")
    assert "pre-shared-key address" in cited(text, m10.lines["psk"])
    assert m10.lines["psk"].line == 5
    assert m10.dpd and "keepalive 10 retry 3" in cited(text, m10.lines["dpd"])
    assert m10.pfs == 14 and cited(text, m10.lines["pfs"]).strip() == "set pfs group14"
    # entry 20 has no profile: the one whose identity matches the peer is used
    assert "ISAKMP-PROFILE-MATCHED" in cited(text, m20.lines["isakmp_profile"])
    assert m20.lines["psk"].line == 9
    assert m10.psk is not None and m20.psk is not None and m10.psk.same_as(m20.psk) is False
    # dynamic entries: responder only, any peer, no key for "any" among two address keys
    for d in (d5, d15):
        assert (d.kind, d.initiates, d.peer_any, d.peer_addresses) == ("dynamic", False, True, ())
        assert d.lines["crypto_map"].text.startswith("crypto map mymap 30 ipsec-isakmp dynamic")
        assert d.psk is not None and d.psk.kind == "missing"
    assert d5.pfs == 2 and d15.pfs is None
    assert [c.name for c in d15.child_proposals] == ["ts2"]
    # the map is on two interfaces: bound to the first, the second is noted
    assert m10.bound_interface == "TenGigabitEthernet0/0"
    assert any(n.line == 66 for n in dev.notes)
    # VTI with an IPsec profile: any <-> any, peer = tunnel destination, source = interface
    assert (vti.kind, vti.peer_addresses, vti.local_address) == ("profile", ("1.2.3.4",),
                                                                  "2.3.4.6")  # fmt: skip
    assert vti.selectors == [Selector()]
    assert [c.name for c in vti.child_proposals] == ["ts1", "ts2"]
    assert [c.integrity for c in vti.child_proposals] == [("md5",), ("sha1",)]
    assert vti.pfs == 14 and vti.remote_id == Identity(type="ip", value="1.2.3.4")
    assert "psk1" not in dump(dev) and "psk2" not in dump(dev)


# ----------------------------------------------------------------------------- IKEv2 VTI


def test_azure_vti_ikev2() -> None:
    text = fixture_text(DIR + "azure_vti_ikev2.txt")
    dev = parse("azure_vti_ikev2.txt")
    (t,) = dev.tunnels
    assert (t.kind, t.ike_versions, t.initiate_version) == ("profile", (2,), 2)
    assert t.peer_addresses == ("20.4.225.214",) and t.local_interface == "GigabitEthernet0/0/0"
    (p,) = t.ike_proposals
    assert p.name == "azure-proposal-Home_VPN"
    assert p.encryption == ("aes-cbc-256", "aes-cbc-128")
    assert p.integrity == ("sha1", "sha2-256") and p.prf == () and p.dh == (2,)
    assert p.lifetime == 28800 and cited(text, p.lines["lifetime"]).strip() == "lifetime 28800"
    assert (t.local_auth, t.remote_auth) == ("psk", "psk")
    assert t.remote_id == Identity(type="ip", value="20.4.225.214")
    assert t.local_id == Identity(type="ip") and "local_id" in t.defaults
    assert t.dpd and cited(text, t.lines["dpd"]).strip() == "dpd 10 5 on-demand"
    assert t.psk is not None and t.psk.kind == "plain"
    assert cited(text, t.lines["psk"]).strip().startswith("pre-shared-key")
    (c,) = t.child_proposals
    assert (c.encryption, c.integrity, c.lifetime, c.lifetime_kb) == (
        ("aes-cbc-256",),
        ("sha2-256",),
        3600,
        102400000,
    )
    assert t.selectors == [Selector()]
    assert "SecretVPNKeyDemo" not in dump(dev)


IKEV2_INLINE = """\
hostname hub
crypto ikev2 profile V2-PROFILE
 description IKEv2 profile for Tenant 1
 match address local 10.60.3.251
 match identity remote any
 authentication remote pre-share key abc123
 authentication local pre-share key 6 Fq]Xb`dCJ
!
crypto ipsec transform-set V2-TRANSFORM2 esp-gcm 256
 mode tunnel
!
crypto ipsec profile V2-PROFILE
 set transform-set V2-TRANSFORM2
 set ikev2-profile V2-PROFILE
!
interface TenGigabitEthernet0/1/0.211
 ip address 10.60.3.251 255.255.255.0
!
interface Tunnel10
 ip address 11.0.0.2 255.255.255.252
 tunnel source TenGigabitEthernet0/1/0.211
 tunnel mode ipsec ipv4
 tunnel destination 10.10.0.62
 tunnel protection ipsec profile V2-PROFILE
"""


def test_ikev2_inline_keys_default_proposal_and_gcm() -> None:
    dev = text_parse(IKEV2_INLINE)
    (t,) = dev.tunnels
    assert t.psk is not None and t.psk.kind == "cipher"  # type 6
    assert t.remote_id == Identity(type="any")
    (p,) = t.ike_proposals  # no IKEv2 policy: default policy/proposal
    assert p.name == "default" and "ike_proposals" in t.defaults
    assert p.encryption == ("aes-cbc-256", "aes-cbc-192", "aes-cbc-128") and p.dh == (5, 2)
    assert t.child_proposals[0].encryption == ("aes-gcm-256",)
    assert t.child_proposals[0].integrity == ()
    out = dump(dev)
    assert "abc123" not in out and "Fq]Xb" not in out


# ----------------------------------------------------------------------------- dynamic


def test_mikrotik_dynamic_map_unindented_profile() -> None:
    text = fixture_text(DIR + "mikrotik_dynamic_map.txt")
    dev = parse("mikrotik_dynamic_map.txt")
    (t,) = dev.tunnels
    assert (t.name, t.kind, t.initiates, t.peer_any) == ("dyn-cmap 2000", "dynamic", False, True)
    assert t.remote_id == Identity(type="any")
    assert not t.dpd and cited(text, t.lines["dpd"]) == "no keepalive"
    assert t.psk is not None and t.psk.kind == "plain"  # the wildcard keyring key
    assert cited(text, t.lines["psk"]).startswith("pre-shared-key address 0.0.0.0")
    assert t.selectors == [Selector()] and "selectors" in t.defaults
    assert t.ike_proposals[0].integrity == ("md5",)
    assert t.bound_interface == "GigabitEthernet0/0"  # "interface gi0/0"
    assert "derkey" not in dump(dev)


def test_ezvpn_unmodelled_crypto_lines_become_notes_without_keys() -> None:
    dev = parse("ezvpn_server.txt")
    (t,) = dev.tunnels
    assert (t.kind, t.name) == ("dynamic", "DYNMAP 10")
    notes = [n.text for n in dev.notes]
    assert "crypto isakmp client configuration group VPNGROUP" in notes
    assert "crypto map VPN client configuration address respond" in notes
    assert " ip address dhcp" in notes
    out = dump(dev)
    assert "key secret" not in out and "paSSword" not in out


def test_prompted_and_unindented_lines() -> None:
    dev = parse("azure_policy_nat_exempt.txt")
    (t,) = dev.tunnels
    assert t.selectors[0].src == "10.10.10.0/24" and t.selectors[0].dst == "10.20.20.0/24"
    assert t.bound_interface == "FastEthernet0/0"
    (nat,) = dev.nat_rules
    assert nat.interface == "FastEthernet0/0" and nat.name == "1"
    assert nat.match == []  # ACL 1 does not exist in the published snippet: noted
    assert any("ip nat inside source list 1" in n.text for n in dev.notes)
    assert t.psk is not None and t.psk.kind == "missing"  # key is for 2.2.2.1, peer 3.3.3.1
    assert "myvpnkey" not in dump(dev)


# ----------------------------------------------------------------------------- keys


def _key_cfg(key: str) -> str:
    return matrix.baseline("b", 1).replace(f"crypto isakmp key {matrix.PSK} ",
                                           f"crypto isakmp key {key} ")  # fmt: skip


def _psk(text: str):
    psk = text_parse(text).tunnels[0].psk
    assert psk is not None
    return psk


def test_psk_equality_inequality_and_unknown() -> None:
    same = _psk(_key_cfg("Matrix-Key-42"))
    assert same.same_as(_psk(matrix.baseline("b", 1))) is True
    assert same.same_as(_psk(_key_cfg("Other-Key-99"))) is False
    enc = _psk(_key_cfg("7 0822455D0A16"))
    assert enc.kind == "cipher"
    assert enc.same_as(same) is None  # a type-7 blob against a readable key: unknown
    assert enc.same_as(_psk(_key_cfg("7 0822455D0A16"))) is True
    assert _psk(_key_cfg("0 Matrix-Key-42")).same_as(same) is True  # type 0 = readable


def test_key_lines_are_redacted() -> None:
    dev = text_parse(_key_cfg("7 0822455D0A16"))
    line = dev.tunnels[0].lines["psk"]
    assert "0822455D0A16" not in line.text and "<redacted>" in line.text


# ----------------------------------------------------------------------------- NAT


ROUTE_MAP_NAT = """\
hostname br1
interface GigabitEthernet0/0
 ip address 203.0.113.2 255.255.255.0
 ip nat outside
interface GigabitEthernet0/1
 ip address 192.168.1.1 255.255.255.0
 ip nat inside
ip nat inside source route-map NONAT interface GigabitEthernet0/0 overload
ip nat inside source static 192.168.1.10 203.0.113.10
access-list 110 deny   ip 192.168.1.0 0.0.0.255 172.16.0.0 0.0.255.255
access-list 110 permit ip 192.168.1.0 0.0.0.255 any
route-map NONAT permit 10
 match ip address 110
"""


def test_nat_route_map_keeps_deny_rules_as_exemptions() -> None:
    dev = text_parse(ROUTE_MAP_NAT)
    pat, static = dev.nat_rules
    assert (pat.kind, pat.interface, pat.name) == ("source", "GigabitEthernet0/0", "NONAT")
    assert [(s.action, s.src, s.dst) for s in pat.match] == [
        ("deny", "192.168.1.0/24", "172.16.0.0/16"),
        ("permit", "192.168.1.0/24", "0.0.0.0/0"),
    ]
    assert (static.kind, static.match[0].src, static.interface) == (
        "source",
        "192.168.1.10/32",
        "GigabitEthernet0/0",
    )


# ----------------------------------------------------------------------------- matrix


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("nat", [False, True])
def test_matrix_baselines_match_the_scenario(version: int, nat: bool) -> None:
    a = text_parse(matrix.baseline("a", version, nat), "a.cfg")
    b = text_parse(matrix.baseline("b", version, nat), "b.cfg")
    (ta,), (tb,) = a.tunnels, b.tunnels
    b_wan = "10.0.0.2" if nat else "198.51.100.2"
    assert (ta.peer_addresses, ta.local_address) == (("198.51.100.2",), "192.0.2.1")
    assert (tb.peer_addresses, tb.local_address) == (("192.0.2.1",), b_wan)
    for dev, t, lan, rlan, gw in ((a, ta, "10.1.1.0/24", "10.2.2.0/24", "192.0.2.254"),
                                  (b, tb, "10.2.2.0/24", "10.1.1.0/24",
                                   "10.0.0.254" if nat else "198.51.100.254")):  # fmt: skip
        assert t.ike_versions == (version,) and t.initiates and t.kind == "static"
        (p,) = t.ike_proposals
        assert (p.encryption, p.integrity, p.dh, p.lifetime) == (
            ("aes-cbc-256",),
            ("sha2-256",),
            (14,),
            86400,
        )
        assert p.prf == (() if version == 1 else ("sha2-256",))
        assert p.auth_method == "psk" and t.local_auth == "psk"
        (c,) = t.child_proposals
        assert (c.protocol, c.encryption, c.integrity, c.mode, c.lifetime) == (
            "esp",
            ("aes-cbc-256",),
            ("sha2-256",),
            "tunnel",
            3600,
        )
        assert t.pfs == 14 and t.dpd and t.nat_traversal
        assert t.exchange_mode == "main" and t.local_id == Identity(type="ip")
        assert t.bound_interface == "GigabitEthernet0/0"
        assert [(s.action, s.src, s.dst, s.protocol) for s in t.selectors] == [
            ("permit", lan, rlan, None)
        ]
        (nat_rule,) = dev.nat_rules
        assert [(s.action, s.src, s.dst) for s in nat_rule.match] == [
            ("deny", lan, rlan),
            ("permit", lan, "0.0.0.0/0"),
        ]
        assert [(r.prefix, r.next_hop) for r in dev.routes] == [("0.0.0.0/0", gw)]
    assert ta.psk is not None and ta.psk.same_as(tb.psk) is True
    wan = next(i for i in b.interfaces if i.name == "GigabitEthernet0/0")
    assert wan.secondary == (("10.0.0.3/24",) if nat else ("198.51.100.3/24",))
    if version == 2:
        assert tb.remote_id == Identity(type="ip", value="192.0.2.1")
        assert ta.remote_id == Identity(type="ip", value=b_wan)


def _flip_cells():
    for version in (1, 2):
        for attr in sorted(matrix.FLIPS):
            if (attr, version) in (("ike.prf", 1), ("exchange_mode", 2)):
                continue  # not expressible for that version (the table skips them too)
            yield pytest.param(attr, version, id=f"v{version}-{attr}")


@pytest.mark.parametrize(("attr", "version"), list(_flip_cells()))
def test_every_flip_changes_what_b_negotiates(attr: str, version: int) -> None:
    nat = attr == "nat_traversal"
    base = text_parse(matrix.baseline("b", version, nat), "b.cfg")
    flipped = text_parse(matrix.FLIPS[attr](matrix.baseline("b", version, nat), version, nat),
                         "b.cfg")  # fmt: skip

    def view(d: DeviceConfig):
        out = msgspec.to_builtins(d)
        for t in out["tunnels"]:  # lines move when text is inserted; compare values only
            t.pop("lines"), t.pop("ev"), t.pop("defaults")
            t["psk"] = None
        return {k: out[k] for k in ("tunnels", "nat_rules", "routes", "interfaces")}

    assert view(base) != view(flipped) or attr == "psk"
    if attr == "psk":
        assert base.tunnels[0].psk.same_as(flipped.tunnels[0].psk) is False  # type: ignore[union-attr]


@pytest.mark.parametrize("version", [1, 2])
def test_flip_specific_values(version: int) -> None:
    def flip(attr: str) -> Tunnel:
        return text_parse(matrix.FLIPS[attr](matrix.baseline("b", version), version, False)
                          ).tunnels[0]  # fmt: skip

    assert flip("ike_version").ike_versions == ((2,) if version == 1 else (1,))
    assert flip("responder_only").initiates is False
    assert flip("bind").bound_interface is None
    assert flip("local_address").local_address == "198.51.100.3"
    assert flip("local_id").local_id == Identity(type="fqdn", value="b.example.net")
    assert flip("remote_id").remote_id == Identity(type="fqdn", value="a.example.net")
    assert flip("pfs").pfs is None
    assert flip("child.protocol").child_proposals[0].protocol == "ah"
    assert flip("ike.dh").ike_proposals[0].dh == (19,)
    if version == 1:
        assert flip("exchange_mode").exchange_mode == "aggressive"
    else:
        assert flip("ike.prf").ike_proposals[0].prf == ("sha1",)


# ----------------------------------------------------------------------------- render

RENDER_VALUES: dict[str, object] = {
    "ike.encryption": "aes-cbc-128", "ike.integrity": "sha1", "ike.prf": "sha2-256",
    "ike.dh": 19, "ike.auth_method": "rsa-sig", "ike.lifetime": 28800, "ike_version": 2,
    "exchange_mode": "aggressive", "psk": None,
    "local_id": Identity(type="fqdn", value="b.example.net"),
    "remote_id": Identity(type="fqdn", value="a.example.net"), "peer_address": "192.0.2.7",
    "auth_address": "10.0.0.2", "local_address": "198.51.100.3", "nat_traversal": False,
    "dpd": False, "child.protocol": "ah", "child.encryption": "aes-cbc-128",
    "child.integrity": "sha1", "child.mode": "transport", "child.lifetime": 28800, "pfs": None,
    "selectors": [Selector(src="10.2.2.0/24", dst="10.1.1.0/24")], "bind": "GigabitEthernet0/0",
    "nat_exempt": Selector(src="10.2.2.0/24", dst="10.1.1.0/24"),
    "security_rule": Selector(src="192.0.2.1/32", dst="198.51.100.2/32", protocol=17,
                              dst_ports=(500, 500)),
    "route": Route(prefix="0.0.0.0/0", next_hop="198.51.100.254"), "sha2_truncation": 96,
}  # fmt: skip


def test_render_values_cover_every_change_field() -> None:
    assert set(RENDER_VALUES) == set(CHANGE_FIELDS)


def _render(field: str, version: int, value: object = None) -> list[str]:
    dev = text_parse(matrix.baseline("b", version), "b.cfg")
    val = RENDER_VALUES[field] if value is None else value
    return cisco_ios.render(Change(side="b", field=field, value=val), dev, dev.tunnels[0])


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("field", sorted(CHANGE_FIELDS))
def test_render_every_field_gives_ios_lines_without_keys(field: str, version: int) -> None:
    out = _render(field, version)
    assert out and all(isinstance(x, str) and x for x in out)
    assert matrix.PSK not in "\n".join(out)


EXPECTED_RENDER = {
    (1, "ike.encryption"): ["crypto isakmp policy 10", " encr aes"],
    (2, "ike.encryption"): ["crypto ikev2 proposal PROP-AES256", " no encryption aes-cbc-256",
                            " encryption aes-cbc-128"],
    (1, "ike.integrity"): ["crypto isakmp policy 10", " hash sha"],
    (2, "ike.prf"): ["crypto ikev2 proposal PROP-AES256", " prf sha256"],
    (1, "ike.dh"): ["crypto isakmp policy 10", " group 19"],
    (2, "ike.lifetime"): ["crypto ikev2 profile IKEV2-PROF", " lifetime 28800"],
    (1, "psk"): ["crypto isakmp key <same key as the peer> address 192.0.2.1"],
    (2, "psk"): ["crypto ikev2 keyring KR-PEER", " peer PEER",
                 "  pre-shared-key <same key as the peer>"],
    (2, "local_id"): ["crypto ikev2 profile IKEV2-PROF", " identity local fqdn b.example.net"],
    (1, "nat_traversal"): ["no crypto ipsec nat-transparency udp-encapsulation"],
    (1, "dpd"): ["no crypto isakmp keepalive"],
    (2, "dpd"): ["crypto ikev2 profile IKEV2-PROF", " no dpd"],
    (1, "child.encryption"): ["crypto ipsec transform-set TS-AES256 esp-aes 128 esp-sha256-hmac",
                              " mode tunnel"],
    (1, "child.protocol"): ["crypto ipsec transform-set TS-AES256 ah-sha256-hmac", " mode tunnel"],
    (2, "child.mode"): ["crypto ipsec transform-set TS-AES256 esp-aes 256 esp-sha256-hmac",
                        " mode transport"],
    (1, "child.lifetime"): ["crypto map CMAP 10 ipsec-isakmp",
                            " set security-association lifetime seconds 28800"],
    (1, "pfs"): ["crypto map CMAP 10 ipsec-isakmp", " no set pfs"],
    (1, "selectors"): ["no ip access-list extended VPN-ACL", "ip access-list extended VPN-ACL",
                       " permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255"],
    (1, "bind"): ["interface GigabitEthernet0/0", " crypto map CMAP"],
    (1, "nat_exempt"): ["ip access-list extended NAT-ACL",
                        " 1 deny ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255"],
    (1, "route"): ["ip route 0.0.0.0 0.0.0.0 198.51.100.254"],
    (1, "peer_address"): ["crypto map CMAP 10 ipsec-isakmp", " no set peer 192.0.2.1",
                          " set peer 192.0.2.7",
                          "crypto isakmp key <same key as the peer> address 192.0.2.7"],
    (1, "exchange_mode"): ["crypto isakmp peer address 192.0.2.1",
                           " set aggressive-mode client-endpoint ipv4-address 198.51.100.2",
                           " set aggressive-mode password <same key as the peer>"],
}  # fmt: skip


@pytest.mark.parametrize(("key", "want"), list(EXPECTED_RENDER.items()),
                         ids=[f"v{v}-{f}" for v, f in EXPECTED_RENDER])  # fmt: skip
def test_render_uses_the_devices_own_names(key: tuple[int, str], want: list[str]) -> None:
    version, field = key
    assert _render(field, version) == want


def test_render_local_address_on_a_secondary_moves_it_to_a_loopback() -> None:
    out = _render("local_address", 1)
    assert " no ip address 198.51.100.3 255.255.255.0 secondary" in out
    assert out[-1] == "crypto map CMAP local-address Loopback100"


def test_render_nat_exempt_for_a_standard_acl_moves_nat_to_an_extended_acl() -> None:
    dev = parse("alfa_running_config.txt")
    sel = Selector(src="172.16.8.0/24", dst="10.9.9.0/24")
    out = cisco_ios.render(Change(side="a", field="nat_exempt", value=sel), dev, dev.tunnels[0])
    assert out[:2] == ["ip access-list extended NAT-1",
                       " deny ip 172.16.8.0 0.0.0.255 10.9.9.0 0.0.0.255"]  # fmt: skip
    assert "no ip nat inside source list 1 interface Serial0/1/1 overload" in out
    assert out[-1] == "ip nat inside source list NAT-1 interface Serial0/1/1 overload"


def test_render_vti_peer_and_remote_identity() -> None:
    dev = parse("azure_vti_ikev2.txt")
    t = dev.tunnels[0]
    out = cisco_ios.render(Change(side="a", field="peer_address", value="20.4.225.215"), dev, t)
    assert out == ["interface Tunnel100", " tunnel destination 20.4.225.215"]
    out = cisco_ios.render(
        Change(side="a", field="remote_id", value=Identity(type="ip", value="20.4.225.215")), dev, t
    )
    assert out == ["crypto ikev2 profile azure-profile-Home_VPN",
                   " no match identity remote address 20.4.225.214 255.255.255.255",
                   " match identity remote address 20.4.225.215 255.255.255.255"]  # fmt: skip


# ----------------------------------------------------------------------------- ACLs, globals

ACL_FORMS = """\
hostname acl-forms
crypto isakmp policy 10
 encr 3des
 authentication pre-share
 group 2
crypto isakmp key 0 K3y-Canary address 203.0.113.9 255.255.255.255 no-xauth
crypto isakmp aggressive-mode disable
crypto ipsec security-association lifetime seconds 28800
no crypto ipsec nat-transparency udp-encapsulation
crypto ipsec transform-set T esp-3des esp-md5-hmac
crypto map M 10 ipsec-isakmp
 set peer 203.0.113.9
 set transform-set T
 match address CRYPTO
interface Dialer1
 ip address 198.18.0.2 255.255.255.252
 crypto map M
ip route 0.0.0.0 0.0.0.0 Dialer1
ip access-list extended CRYPTO
 remark site B networks
 10 deny   udp any any eq isakmp
 20 permit tcp host 10.0.0.5 range 1000 2000 10.8.0.0 0.0.255.255 gt 1023
 30 permit icmp 10.0.0.0 0.0.0.255 10.8.0.0 0.0.255.255 echo
 40 permit ip 10.0.0.0 0.255.0.255 any
 50 permit ip object-group LOCALS any
 60 permit tcp any any neq 22
 70 permit 47 any any
"""


def test_acl_forms_and_global_switches() -> None:
    dev = text_parse(ACL_FORMS)
    (t,) = dev.tunnels
    sel = t.selectors
    assert [(s.action, s.protocol) for s in sel] == [
        ("deny", 17),
        ("permit", 6),
        ("permit", 1),
        ("permit", None),
        ("permit", 47),
    ]
    assert sel[0].dst_ports == (500, 500)
    assert (sel[1].src, sel[1].src_ports, sel[1].dst, sel[1].dst_ports) == (
        "10.0.0.5/32",
        (1000, 2000),
        "10.8.0.0/16",
        (1024, 65535),
    )
    assert sel[2].src == "10.0.0.0/24"
    assert (sel[3].src, sel[3].src_wildcard) == (None, "10.0.0.0/0.255.0.255")  # non-contiguous
    noted = {n.text.strip() for n in dev.notes}
    assert {"50 permit ip object-group LOCALS any", "60 permit tcp any any neq 22"} <= noted
    assert t.child_proposals[0].lifetime == 28800  # global SA lifetime
    assert "crypto ipsec security-association" in t.lines["child.lifetime"].text
    assert not t.nat_traversal and t.lines["nat_traversal"].line == 9
    assert "aggressive-mode-disable" in dev.flags
    assert [(r.prefix, r.interface, r.next_hop) for r in dev.routes] == [
        ("0.0.0.0/0", "Dialer1", None)
    ]
    assert t.psk is not None and t.psk.kind == "plain"
    assert "K3y-Canary" not in dump(dev)


GRE_OVER_IPSEC = """\
hostname spoke
crypto isakmp policy 10
 encr aes 256
 hash sha512
 authentication pre-share
 group 14
crypto isakmp key secret address 0.0.0.0
crypto ipsec transform-set T-SET esp-aes 128 esp-sha-hmac
 mode transport
crypto ipsec profile IPSEC-PRO
 set transform-set T-SET
 set pfs group14
interface Serial2/0
 ip address 1.1.1.2 255.255.255.252
interface Tunnel 1
 ip address 172.16.1.17 255.255.255.0
 tunnel source serial 2/0
 tunnel destination 1.1.1.1
 tunnel protection ipsec profile IPSEC-PRO
"""


def test_gre_tunnel_protection_protects_gre_between_the_tunnel_ends() -> None:
    dev = text_parse(GRE_OVER_IPSEC)
    (t,) = dev.tunnels
    assert (t.name, t.kind, t.local_interface, t.local_address) == (
        "Tunnel1",
        "profile",
        "Serial2/0",
        "1.1.1.2",
    )
    assert t.selectors == [Selector(src="1.1.1.2/32", dst="1.1.1.1/32", protocol=47,
                                    ev=t.selectors[0].ev)]  # fmt: skip
    assert t.child_proposals[0].mode == "transport"
    assert t.psk is not None and t.psk.kind == "plain"  # the wildcard "address 0.0.0.0" key
    assert t.ike_proposals[0].integrity == ("sha2-512",)


@pytest.mark.parametrize("name", ["alfa_running_config.txt", "batfish_ios_crypto_map.cfg",
                                  "azure_vti_ikev2.txt"])  # fmt: skip
def test_truncated_lines_never_raise_deep_errors(name: str) -> None:
    lines = fixture_text(DIR + name).splitlines()
    for i, line in enumerate(lines):
        words = line.split()
        if len(words) < 2:
            continue
        cut = [*lines[:i], line[: line.rindex(words[-1])].rstrip(), *lines[i + 1 :]]
        try:
            cisco_ios.parse("\n".join(cut), name)
        except ConfigError:
            pass


CITED = {
    1: {"ike_versions": "crypto map CMAP 10 ipsec-isakmp", "peer_addresses": " set peer 192.0.2.1",
        "psk": "crypto isakmp key <redacted> address 192.0.2.1",
        "dpd": "crypto isakmp keepalive 10 3 periodic", "pfs": " set pfs group14",
        "child_proposals": " set transform-set TS-AES256", "selectors": " match address VPN-ACL",
        "bound_interface": " crypto map CMAP", "child.lifetime":
        " set security-association lifetime seconds 3600",
        "local_address": " ip address 198.51.100.2 255.255.255.0"},
    2: {"ike_versions": " set ikev2-profile IKEV2-PROF", "psk": "  pre-shared-key <redacted>",
        "remote_id": " match identity remote address 192.0.2.1 255.255.255.255",
        "local_auth": " authentication local pre-share", "dpd": " dpd 10 3 periodic",
        "ike_proposals": "crypto ikev2 policy POL-1", "keyring": " keyring local KR-PEER",
        "keyring_peer": " peer PEER"},
}  # fmt: skip


@pytest.mark.parametrize("version", [1, 2])
def test_matrix_baseline_fields_cite_their_lines(version: int) -> None:
    text = matrix.baseline("b", version)
    t = text_parse(text, "b.cfg").tunnels[0]
    for key, want in CITED[version].items():
        line = t.lines[key]
        assert (line.source, line.text) == ("b.cfg", want), key
        assert matrix.PSK not in line.text
        if "<redacted>" not in want:
            assert cited(text, line) == want, key
    (p,) = t.ike_proposals
    assert {k: cited(text, v).strip() for k, v in p.lines.items()} == (
        {"encryption": "encr aes 256", "integrity": "hash sha256", "auth_method":
         "authentication pre-share", "dh": "group 14", "lifetime": "lifetime 86400"}
        if version == 1 else
        {"encryption": "encryption aes-cbc-256", "integrity": "integrity sha256",
         "prf": "prf sha256", "dh": "group 14", "lifetime": "lifetime 86400"})  # fmt: skip


def test_render_route_without_gateway_names_the_wan_interface() -> None:
    dev = text_parse(matrix.baseline("b", 1), "b.cfg")
    change = Change(side="b", field="route", value=Route(prefix="0.0.0.0/0"))
    assert cisco_ios.render(change, dev, dev.tunnels[0]) == [
        "ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/0 <gateway on GigabitEthernet0/0>"
    ]


def test_render_v1_remote_id_replaces_the_profile_match() -> None:
    text = matrix.FLIPS["remote_id"](matrix.baseline("b", 1), 1, False)
    dev = text_parse(text, "b.cfg")
    change = Change(side="b", field="remote_id", value=Identity(type="ip", value="192.0.2.1"))
    assert cisco_ios.render(change, dev, dev.tunnels[0]) == [
        "crypto isakmp profile PROF-A", " no match identity host a.example.net",
        " match identity address 192.0.2.1 255.255.255.255"]  # fmt: skip
