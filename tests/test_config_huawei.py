"""Huawei VRP configuration reader (``config/huawei.py``): configuration text -> neutral model.

Fixtures under ``fixtures/config/huawei/`` (sources in its README): verbatim seed excerpts and two
full configurations in exact ``display current-configuration`` format.  Line citations are checked
against the line that holds the cited text, found in the fixture itself.
"""

from __future__ import annotations

import msgspec
import pytest

from conftest import FIXTURES
from ipsec_doctor.config import huawei, load_text
from ipsec_doctor.config.model import (
    CHANGE_FIELDS,
    Change,
    DeviceConfig,
    Identity,
    Route,
    Selector,
    Tunnel,
)
from matrix import huawei_ar, huawei_usg

DIR = FIXTURES / "config" / "huawei"


def text_of(name: str) -> str:
    return (DIR / name).read_text(encoding="utf-8")


def line_no(text: str, wanted: str, nth: int = 1) -> int:
    """1-based number of the ``nth`` line whose stripped text is ``wanted``."""
    hits = [i for i, ln in enumerate(text.split("\n"), 1) if ln.strip() == wanted]
    assert len(hits) >= nth, f"{wanted!r} not in fixture"
    return hits[nth - 1]


def one_device(text: str, source: str = "t.cfg") -> DeviceConfig:
    (dev,) = huawei.parse(text, source)
    return dev


def tunnel(dev: DeviceConfig, name: str) -> Tunnel:
    (t,) = [t for t in dev.tunnels if t.name == name]
    return t


# -- the AR hub (full configuration) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def ar() -> tuple[str, DeviceConfig]:
    text = text_of("ar-hq-full.txt")
    return text, one_device(text, "ar-hq-full.txt")


def test_ar_device_interfaces_routes(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    assert (dev.vendor, dev.name, dev.platform, dev.firewall) == ("huawei", "AR-HQ", "ar", False)
    wan, lan, tun = dev.interfaces
    assert (wan.name, wan.addresses, wan.secondary) == (
        "GigabitEthernet0/0/1",
        ("198.51.100.4/24",),
        ("198.51.100.5/24",),
    )
    assert wan.ev is not None and wan.ev.line == line_no(text, "interface GigabitEthernet0/0/1")
    assert lan.addresses == ("10.10.1.1/24",) and tun.addresses == ("172.16.1.1/30",)
    assert [(r.prefix, r.next_hop, r.interface) for r in dev.routes] == [
        ("0.0.0.0/0", "198.51.100.1", None),
        ("10.30.0.0/16", None, "Tunnel0/0/1"),
    ]
    assert dev.routes[0].ev.line == line_no(text, "ip route-static 0.0.0.0 0.0.0.0 198.51.100.1")
    assert dev.own_addresses()[:2] == ["198.51.100.4", "10.10.1.1"]


def test_ar_isakmp_entry_every_field_cited(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    t = tunnel(dev, "hq 10")
    assert (t.kind, t.initiates) == ("static", True)
    # no version line: v1v2, starts with IKEv2 (seed 001 l.126 "IKE version : v1v2")
    assert (t.ike_versions, t.initiate_version) == ((1, 2), 2)
    assert {"ike_versions", "exchange_mode", "ike_proposals", "nat_traversal"} <= set(t.defaults)
    assert t.exchange_mode == "main"
    assert t.local_id == Identity(type="fqdn", value="hq.example.net")
    assert t.lines["local_id"].line == line_no(text, "local-id hq.example.net")
    assert t.remote_id == Identity(type="fqdn", value="branch1.example.net")
    assert t.lines["remote_id"].line == line_no(text, "remote-id branch1.example.net")
    assert t.peer_addresses == ("203.0.113.10",)
    assert t.lines["peer_addresses"].line == line_no(text, "remote-address 203.0.113.10")
    # local-address picks the sub address (seed 003 l.1238: default is the primary one)
    assert t.local_address == "198.51.100.5" and "local_address" not in t.defaults
    assert t.lines["local_address"].line == line_no(text, "local-address 198.51.100.5")
    assert (t.bound_interface, t.local_interface) == ("GigabitEthernet0/0/1",) * 2
    assert t.lines["bound_interface"].line == line_no(text, "ipsec policy hq")
    # global "ike dpd type periodic" applies to a peer without dpd lines (seed 003 l.658)
    assert t.dpd is True and t.lines["dpd"].line == line_no(text, "ike dpd type periodic")
    assert t.nat_traversal is True and "nat_traversal" in t.defaults
    assert t.pfs == 19 and t.lines["pfs"].line == line_no(text, "pfs dh-group19")
    assert t.sha2_truncation == 128
    assert t.lines["sha2_truncation"].line == line_no(
        text, "ipsec authentication sha2 compatible enable"
    )
    assert t.psk is not None and t.psk.kind == "cipher"
    assert t.lines["psk"].text.strip() == "pre-shared-key cipher <redacted>"
    assert t.ev is not None and t.ev.line == line_no(text, "ipsec policy hq 10 isakmp")


def test_ar_peer_without_ike_proposal_offers_all_plus_default(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    t = tunnel(dev, "hq 10")
    assert [p.name for p in t.ike_proposals] == ["5", "10", "default"]
    p5, p10, dflt = t.ike_proposals
    # v1v2: integrity = IKEv2 integrity-algorithm, v1_integrity = authentication-algorithm
    assert (p5.encryption, p5.integrity, p5.prf, p5.v1_integrity, p5.dh) == (
        ("aes-cbc-128",),
        ("sha1",),
        ("sha1",),
        ("sha1",),
        (19,),
    )
    assert (p5.auth_method, p5.lifetime, p5.defaults) == ("psk", 28800, ())
    assert p5.lines["integrity"].line == line_no(text, "integrity-algorithm hmac-sha1-96")
    assert p5.lines["v1_integrity"].line == line_no(text, "authentication-algorithm sha1")
    assert p5.lines["dh"].line == line_no(text, "dh group19")
    assert p5.lines["lifetime"].line == line_no(text, "sa duration 28800")
    assert p10.lifetime == 86400 and p10.defaults == ("lifetime",)
    # the default proposal: every value a default (config/defaults/huawei.yaml)
    assert dflt.ev is None and dflt.lines == {}
    assert (dflt.encryption, dflt.integrity, dflt.dh, dflt.auth_method) == (
        ("aes-cbc-256",),
        ("sha2-256",),
        (14,),
        "psk",
    )
    assert set(dflt.defaults) >= {"encryption", "integrity", "prf", "dh", "auth_method", "lifetime"}


def test_ar_ipsec_proposals_lifetimes_selectors(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    t = tunnel(dev, "hq 10")
    esp, ahesp = t.child_proposals
    assert (esp.name, esp.protocol, esp.encryption, esp.integrity, esp.mode) == (
        "prop-esp",
        "esp",
        ("aes-cbc-256",),
        ("sha2-256",),
        "tunnel",
    )
    assert {"protocol", "mode"} <= set(esp.defaults)
    assert (esp.lifetime, esp.lifetime_kb) == (7200, 100000)
    assert esp.lines["lifetime"].line == line_no(text, "sa duration time-based 7200")
    assert (ahesp.protocol, ahesp.encryption, ahesp.integrity, ahesp.ah_integrity, ahesp.mode) == (
        "ah-esp",
        ("aes-cbc-128",),
        ("sha2-384",),
        ("sha2-512",),
        "transport",
    )
    assert ahesp.lines["mode"].line == line_no(text, "encapsulation-mode transport")
    # ACL 3000 in rule order: deny kept, ports and a non-contiguous wildcard kept
    assert t.selector_name == "3000"
    assert [(s.action, s.src, s.dst) for s in t.selectors[:2]] == [
        ("permit", "10.10.0.0/16", "10.20.1.0/24"),
        ("deny", "10.10.9.0/24", "10.20.0.0/16"),
    ]
    tcp = t.selectors[2]
    assert (tcp.protocol, tcp.dst_ports, tcp.src_ports) == (6, (443, 443), None)
    odd = t.selectors[3]
    assert (odd.src, odd.src_wildcard, odd.dst) == (None, "10.10.0.1/0.0.255.0", "10.20.3.0/24")
    assert odd.ev is not None and odd.ev.line == line_no(
        text, "rule 20 permit ip source 10.10.0.1 0.0.255.0 destination 10.20.3.0 0.0.0.255"
    )


def test_ar_v2_peer_hostname_nat_t_off(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    t = tunnel(dev, "hq 20")
    assert (t.ike_versions, t.initiate_version) == ((2,), 2)
    assert t.lines["ike_versions"].line == line_no(text, "undo version 1")
    assert [p.name for p in t.ike_proposals] == ["10"]
    assert t.ike_proposals[0].v1_integrity == ()  # IKEv1 disabled
    assert (t.peer_addresses, t.peer_hostname, t.peer_any) == ((), "branch2.example.net", False)
    assert t.nat_traversal is False
    assert t.lines["nat_traversal"].line == line_no(text, "undo nat traversal")
    assert t.dpd is True and t.lines["dpd"].line == line_no(text, "dpd type on-demand")
    assert t.psk is not None and t.psk.kind == "plain"
    # primary address of the bound interface by default (seed 003 l.1238)
    assert t.local_address == "198.51.100.4" and "local_address" in t.defaults
    assert t.lines["local_address"].line == line_no(text, "ip address 198.51.100.4 255.255.255.0")
    assert t.pfs is None and "pfs" in t.defaults


def test_ar_template_entry_is_responder_only(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    t = tunnel(dev, "hq 30 (tpl-mobile 10)")
    assert (t.kind, t.initiates) == ("template", False)
    assert t.lines["kind"].line == line_no(text, "ipsec policy hq 30 isakmp template tpl-mobile")
    assert t.ev is not None and t.ev.line == line_no(text, "ipsec policy-template tpl-mobile 10")
    assert t.bound_interface == "GigabitEthernet0/0/1"
    # a range of peers, not "any"
    assert (t.peer_addresses, t.peer_any) == (("203.0.113.100-203.0.113.150",), False)
    # IKEv1 aggressive mode without ike-proposal: only the default proposal (seed 003 l.3003)
    assert t.exchange_mode == "aggressive"
    assert [p.name for p in t.ike_proposals] == ["default"]
    # a template without ACL accepts the initiator's flows (seed 003 l.1980)
    assert t.selectors == [Selector()] and "selectors" in t.defaults


def test_ar_profile_on_tunnel_interface(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    t = tunnel(dev, "Tunnel0/0/1 profile dc-prof")
    assert (t.kind, t.bound_interface, t.local_interface) == (
        "profile",
        "Tunnel0/0/1",
        "GigabitEthernet0/0/1",
    )
    assert t.peer_addresses == ("192.0.2.50",)
    assert t.lines["peer_addresses"].line == line_no(text, "destination 192.0.2.50")
    assert t.local_address == "198.51.100.4"
    assert [(s.src, s.dst) for s in t.selectors] == [("0.0.0.0/0", "0.0.0.0/0")]
    assert t.pfs == 14


def test_ar_nat_rules_and_notes(ar: tuple[str, DeviceConfig]) -> None:
    text, dev = ar
    src, srv = dev.nat_rules
    assert (src.kind, src.interface, src.name, src.match_all) == (
        "source",
        "GigabitEthernet0/0/1",
        "nat outbound 3001",
        False,
    )
    # the deny rule of the NAT ACL is the exemption for the protected traffic
    assert [(s.action, s.src, s.dst) for s in src.match] == [
        ("deny", "10.10.0.0/16", "10.20.0.0/16"),
        ("permit", "10.10.0.0/16", "0.0.0.0/0"),
    ]
    assert src.ev is not None and src.ev.line == line_no(text, "nat outbound 3001")
    assert srv.kind == "server"
    assert [(s.src, s.protocol, s.src_ports) for s in srv.match] == [
        ("10.10.1.20/32", 6, (443, 443))
    ]
    noted = {n.line for n in dev.notes}
    for wanted in (
        "ipsec policy hq 40 manual",
        "sa trigger-mode auto",
        "remote-address 203.0.113.100 203.0.113.150",
        "ike dpd idle-time 30",
    ):
        assert line_no(text, wanted) in noted, wanted
    assert dev.flags["sha2-compatible"].line == line_no(
        text, "ipsec authentication sha2 compatible enable"
    )


# -- the USG hub -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def usg() -> tuple[str, DeviceConfig]:
    text = text_of("usg-hq-full.txt")
    return text, one_device(text, "usg-hq-full.txt")


def test_usg_platform_zones_sha2(usg: tuple[str, DeviceConfig]) -> None:
    text, dev = usg
    assert (dev.platform, dev.firewall) == ("usg", True)
    assert [(i.name, i.zone) for i in dev.interfaces] == [
        ("GigabitEthernet1/0/1", "untrust"),
        ("GigabitEthernet1/0/2", "trust"),
    ]
    # USG default is RFC 4868; "ipsec sha2 compatible enable" switches to 96 bits
    assert {t.sha2_truncation for t in dev.tunnels} == {96}
    assert dev.flags["sha2-compatible"].line == line_no(text, "ipsec sha2 compatible enable")


def test_usg_static_entry(usg: tuple[str, DeviceConfig]) -> None:
    text, dev = usg
    t = tunnel(dev, "ipsec_hq 1")
    # a lone "version 2" re-enables a version that is on by default: v1v2 stays
    assert t.ike_versions == (1, 2)
    (p,) = t.ike_proposals
    assert (p.encryption, p.integrity, p.dh, p.lifetime) == (
        ("aes-cbc-256", "aes-cbc-128"),
        ("sha2-256", "sha2-384"),
        (14, 19),
        43200,
    )
    # tunnel local applied-interface = primary address of the bound interface
    assert t.local_address == "203.0.113.1"
    assert t.lines["local_address"].line == line_no(text, "tunnel local applied-interface")
    # an IP identity is checked against remote-address (seed 002 l.1224-1266)
    assert t.remote_id == Identity(type="ip", value="192.0.2.60") and "remote_id" in t.defaults
    assert t.psk is not None and t.psk.kind == "plain"
    assert t.child_proposals[0].integrity == ("sha2-512",)


def test_usg_template_peer_any(usg: tuple[str, DeviceConfig]) -> None:
    text, dev = usg
    t = tunnel(dev, "ipsec_hq 10000 (tpl 1)")
    assert (t.kind, t.initiates, t.peer_any, t.peer_addresses) == ("template", False, True, ())
    assert t.remote_id == Identity(type="any")
    assert t.lines["remote_id"].line == line_no(text, "remote-id-type any")
    assert t.local_id == Identity(type="fqdn", value="usg-hq.example.com")
    assert t.psk is not None and t.psk.kind == "cipher"
    assert [(s.src, s.dst) for s in t.selectors] == [("10.50.0.0/16", "10.70.0.0/16")]


def test_usg_security_policy(usg: tuple[str, DeviceConfig]) -> None:
    text, dev = usg
    rules = dev.security_rules
    assert [r.position for r in rules] == list(range(len(rules)))
    ike = [r for r in rules if r.name == "ipsec_in"]
    assert [(r.selector.protocol, r.selector.dst_ports) for r in ike] == [
        (50, None),
        (17, (500, 500)),
        (17, (4500, 4500)),
    ]
    assert {(r.source_zones, r.destination_zones) for r in ike} == {(("untrust",), ("local",))}
    vpn = [r for r in rules if r.name == "vpn_traffic"]
    assert [(r.selector.src, r.selector.dst) for r in vpn] == [
        ("10.50.0.0/16", "10.60.0.0/16"),
        ("10.60.0.0/16", "10.60.0.0/16"),
    ]
    assert vpn[0].source_zones == ("trust", "untrust")
    names = [r.name for r in rules]
    assert "old_rule" not in names  # disabled
    assert line_no(text, "rule name old_rule") in {n.line for n in dev.notes}
    # an address set is taken as any and noted
    (lan_out,) = [r for r in rules if r.name == "lan_out"]
    assert lan_out.selector.src == "0.0.0.0/0"
    assert line_no(text, "source-address address-set lan_nets") in {n.line for n in dev.notes}
    last = rules[-1]
    assert (last.name, last.action) == ("default", "deny")
    assert last.ev is not None and last.ev.line == line_no(text, "default action deny")


def test_usg_nat_policy(usg: tuple[str, DeviceConfig]) -> None:
    text, dev = usg
    exempt, source, server = dev.nat_rules
    assert (exempt.kind, exempt.name, exempt.interface, exempt.position) == (
        "exempt",
        "no_nat_vpn",
        "GigabitEthernet1/0/1",
        0,
    )
    assert [(s.src, s.dst) for s in exempt.match] == [("10.50.0.0/16", "10.60.0.0/16")]
    assert (source.kind, source.match_all, source.source_zones, source.destination_zones) == (
        "source",
        True,
        ("trust",),
        ("untrust",),
    )
    assert source.ev is not None and source.ev.line == line_no(text, "rule name internet")
    assert server.kind == "server" and server.match[0].src == "10.50.1.10/32"


@pytest.mark.parametrize("name", ["ar-hq-full.txt", "usg-hq-full.txt", "seed002-ar-template.txt"])
def test_every_set_field_is_cited_or_default(name: str) -> None:
    """A field that differs from the model's own default came from a line or a vendor default."""
    dev = one_device(text_of(name))
    for t in dev.tunnels:
        blank = Tunnel(name="")
        for field in Tunnel.__struct_fields__:
            if field in ("name", "ev", "lines", "defaults"):
                continue
            if getattr(t, field) != getattr(blank, field):
                assert field in t.lines or field in t.defaults, (t.name, field)
        for p in t.ike_proposals:
            for field in ("encryption", "integrity", "prf", "dh", "auth_method", "lifetime"):
                if getattr(p, field):
                    assert field in p.lines or field in p.defaults, (t.name, p.name, field)
        for c in t.child_proposals:
            for field in ("encryption", "integrity", "ah_integrity", "mode", "lifetime"):
                if getattr(c, field):
                    assert field in c.lines or field in c.defaults, (t.name, c.name, field)


# -- verbatim seed excerpts ----------------------------------------------------------------------


def test_seed002_template_v1_defaults() -> None:
    text = text_of("seed002-ar-template.txt")
    dev = one_device(text)
    (t,) = dev.tunnels
    assert (t.name, t.kind, t.initiates, t.peer_any) == ("huir 10 (hrui 10)", "template", False, True)
    # "ike peer aaa v1": IKEv1 only
    assert (t.ike_versions, t.initiate_version) == ((1,), 1)
    assert t.lines["ike_versions"].line == line_no(text, "ike peer aaa v1")
    # empty "ike proposal 2" = all defaults; plus the default proposal
    assert [p.name for p in t.ike_proposals] == ["2", "default"]
    assert t.ike_proposals[0].ev.line == line_no(text, "ike proposal 2")
    assert t.ike_proposals[0].defaults == ("encryption", "integrity", "dh", "auth_method", "lifetime")
    (c,) = t.child_proposals
    assert (c.name, c.protocol, c.encryption, c.integrity, c.mode) == (
        "2",
        "esp",
        ("aes-cbc-256",),
        ("sha2-256",),
        "tunnel",
    )
    assert c.lifetime == 3600 and "lifetime" in c.defaults
    assert t.psk is not None and t.psk.kind == "plain"
    assert [s.action for s in t.selectors] == ["permit"] * 4 + ["deny"]
    assert t.selectors[-1].src == t.selectors[-1].dst == "0.0.0.0/0"
    # AR without the compatible switch: the 96-bit pre-RFC 4868 mode
    assert t.sha2_truncation == 96 and "sha2_truncation" in t.defaults
    assert t.bound_interface is None  # no interface in the excerpt


def test_seed003_nat_policy_exemption() -> None:
    dev = one_device(text_of("seed003-usg-nat-policy.txt"))
    assert (dev.name, dev.platform) == ("FW2", "usg")
    exempt, snat = dev.nat_rules
    assert (exempt.kind, exempt.name) == ("exempt", "policy_nat1")
    assert [(s.src, s.dst) for s in exempt.match] == [("10.1.2.0/24", "10.1.1.0/24")]
    assert (snat.kind, snat.name, snat.position) == ("source", "policy_nat2", 1)
    assert [(s.src, s.dst) for s in snat.match] == [("10.1.2.0/24", "0.0.0.0/0")]


def test_seed003_security_policy() -> None:
    dev = one_device(text_of("seed003-usg-security-policy.txt"))
    assert dev.firewall
    got = [(r.name, r.source_zones, r.destination_zones, r.selector.src, r.selector.dst)
           for r in dev.security_rules]
    assert got == [
        ("policy3", ("local",), ("untrust",), "1.1.1.1/32", "2.1.1.1/32"),
        ("policy4", ("untrust",), ("local",), "2.1.1.1/32", "1.1.1.1/32"),
        ("default", (), (), "0.0.0.0/0", "0.0.0.0/0"),
    ]


def test_seed003_sub_address_tunnel_local() -> None:
    text = text_of("seed003-usg-sub-address.txt")
    dev = one_device(text)
    (itf,) = dev.interfaces
    assert (itf.addresses, itf.secondary) == (("1.1.1.1/24",), ("1.1.1.5/24",))
    (t,) = dev.tunnels
    assert t.local_address == "1.1.1.5"
    assert t.lines["local_address"].line == line_no(text, "tunnel local 1.1.1.5")
    # no ike-peer in the excerpt: noted, cannot initiate without remote-address
    assert t.initiates is False and t.psk is not None and t.psk.kind == "missing"


# -- versions, identities, platform switches (small inline configurations) -----------------------

PEER_TMPL = """\
#
 sysname R1
#
acl number 3000
 rule 5 permit ip source 10.1.1.0 0.0.0.255 destination 10.2.2.0 0.0.0.255
#
ipsec proposal p1
 esp authentication-algorithm sha2-256
 esp encryption-algorithm aes-256
#
ike peer p
{peer}
#
ipsec policy m 10 isakmp
 security acl 3000
 ike-peer p
 proposal p1
#
interface GigabitEthernet0/0/1
 ip address 192.0.2.1 255.255.255.0
 ipsec policy m
#
{extra}
return
"""


def peer_tunnel(peer: str, extra: str = "") -> Tunnel:
    (t,) = one_device(PEER_TMPL.format(peer=peer, extra=extra)).tunnels
    return t


@pytest.mark.parametrize(
    ("lines", "versions", "start"),
    [
        (" remote-address 192.0.2.2", (1, 2), 2),
        (" undo version 2\n remote-address 192.0.2.2", (1,), 1),
        (" undo version 1\n remote-address 192.0.2.2", (2,), 2),
        (" version 1\n version 2\n remote-address 192.0.2.2", (1, 2), 2),
    ],
)
def test_ike_versions(lines: str, versions: tuple[int, ...], start: int) -> None:
    t = peer_tunnel(lines)
    assert (t.ike_versions, t.initiate_version) == (versions, start)


def test_peer_header_version() -> None:
    text = PEER_TMPL.format(peer=" remote-address 192.0.2.2", extra="").replace(
        "ike peer p\n", "ike peer p v2\n"
    )
    (t,) = one_device(text).tunnels
    assert t.ike_versions == (2,)


def test_identities() -> None:
    t = peer_tunnel(" remote-address 198.51.100.2\n remote-address authentication-address 10.0.0.2")
    assert t.remote_id == Identity(type="ip", value="10.0.0.2")
    assert t.auth_addresses == ("10.0.0.2",)
    t = peer_tunnel(" local-id-type fqdn\n remote-address 192.0.2.2")
    assert t.local_id == Identity(type="fqdn", value="R1")  # sysname (seed 003 l.2983)
    t = peer_tunnel(" local-id-type fqdn\n remote-address 192.0.2.2", "ike local-name r1.example")
    assert t.local_id == Identity(type="fqdn", value="r1.example")
    t = peer_tunnel(" remote-id-type user-fqdn\n remote-id vpn@example.net\n remote-address 1.2.3.4")
    assert t.remote_id == Identity(type="user-fqdn", value="vpn@example.net")


def test_auth_method_and_missing_key() -> None:
    extra = "ike proposal 7\n authentication-method rsa-signature\n#"
    t = peer_tunnel(" remote-address 192.0.2.2\n ike-proposal 7", extra)
    assert t.ike_proposals[0].auth_method == "rsa-sig" and t.local_auth == "rsa-sig"
    assert t.psk is None
    t = peer_tunnel(" remote-address 192.0.2.2")
    assert t.psk is not None and t.psk.kind == "missing"


def test_sha2_switch_per_platform() -> None:
    base = PEER_TMPL.format(peer=" remote-address 192.0.2.2", extra="")
    assert one_device(base).tunnels[0].sha2_truncation == 96  # AR default
    on = base.replace(" sysname R1\n", " sysname R1\n#\n ipsec authentication sha2 compatible enable\n")
    assert one_device(on).tunnels[0].sha2_truncation == 128
    usg = base.replace("\nreturn\n", "\nfirewall zone untrust\n set priority 5\n"
                       " add interface GigabitEthernet0/0/1\n#\nreturn\n")
    assert usg != base
    dev = one_device(usg)
    assert (dev.platform, dev.tunnels[0].sha2_truncation) == ("usg", 128)
    usg_on = usg.replace(" sysname R1\n", " sysname R1\n#\n ipsec sha2 compatible enable\n")
    assert one_device(usg_on).tunnels[0].sha2_truncation == 96


def test_unbound_policy_and_interactive_paste() -> None:
    t = peer_tunnel(" remote-address 192.0.2.2").bound_interface
    assert t == "GigabitEthernet0/0/1"
    text = PEER_TMPL.format(peer=" remote-address 192.0.2.2", extra="").replace(
        " ipsec policy m\n", ""
    )
    assert one_device(text).tunnels[0].bound_interface is None
    paste = "[R1] ike peer p\n[R1-ike-peer-p] undo nat traversal\n[R1-ike-peer-p] remote-address 1.1.1.1\n"
    (dev,) = huawei.parse(paste, "p.txt")
    assert dev.tunnels == []  # a peer alone is no tunnel; its lines are kept as notes
    assert {n.text.strip() for n in dev.notes} >= {"undo nat traversal", "remote-address 1.1.1.1"}


OLD_USG = """\
#
 sysname USG-OLD
#
acl name VPN-FLOWS 3500
 rule 5 permit ip source 10.8.0.0 0.0.255.255 destination 10.9.0.0 0.0.255.255
#
ike peer p
 pre-shared-key simple Old-Key-1
 remote-address 192.0.2.9
#
ipsec proposal p1
#
ipsec policy m 10 isakmp
 security acl name VPN-FLOWS
 ike-peer p
 proposal p1
#
interface GigabitEthernet0/0/1
 ip address 192.0.2.1 255.255.255.0
 ipsec policy m
#
firewall zone trust
 set priority 85
 add interface GigabitEthernet0/0/0
#
firewall zone untrust
 set priority 5
 add interface GigabitEthernet0/0/1
#
policy interzone local untrust inbound
 policy 0
  action permit
  policy source 192.0.2.9 0
#
return
"""


def test_named_acl_and_interzone_policy() -> None:
    """``security acl name`` and the older ``policy interzone`` rules (zones from priorities)."""
    dev = one_device(OLD_USG)
    (t,) = dev.tunnels
    assert t.selector_name == "VPN-FLOWS"
    assert [(s.src, s.dst) for s in t.selectors] == [("10.8.0.0/16", "10.9.0.0/16")]
    (rule,) = dev.security_rules
    assert (rule.source_zones, rule.destination_zones, rule.selector.src) == (
        ("untrust",), ("local",), "192.0.2.9/32")
    assert rule.ev is not None and rule.ev.line == line_no(OLD_USG, "policy 0")


# -- secrets ----------------------------------------------------------------------------------------


def _psk(line: str) -> object:
    return peer_tunnel(f" {line}\n remote-address 192.0.2.2").psk


def test_psk_equality_across_files() -> None:
    a = _psk("pre-shared-key simple Same-Key-1")
    b = _psk("pre-shared-key Same-Key-1")  # USG form without qualifier
    c = _psk("pre-shared-key simple Other-Key-2")
    assert a.same_as(b) is True
    assert a.same_as(c) is False
    blob = "%^%#Ab1(cD2)eF3~gH4@iJ5%^%#"
    x = _psk(f"pre-shared-key cipher {blob}")
    y = _psk(f"pre-shared-key cipher {blob}")
    z = _psk("pre-shared-key cipher %^%#Zz9(yY8)xX7~wW6@vV5%^%#")
    assert x.kind == "cipher" and x.same_as(y) is True
    assert x.same_as(z) is None  # different blobs prove nothing
    assert x.same_as(a) is None


def test_no_secret_leaks() -> None:
    canary = "Canary-Secret-7731"
    blob = "%^%#Canary(Blob)Zq8~Wx7%^%#"
    text = PEER_TMPL.format(
        peer=f" pre-shared-key simple {canary}\n remote-address 192.0.2.2", extra=""
    ) + f"#\n sysname R2\n#\nike peer q\n pre-shared-key cipher {blob}\n remote-address 1.1.1.1\n#\n"
    devs = huawei.parse(text, "canary.cfg")
    assert len(devs) == 2
    dumped = msgspec.json.encode(devs).decode() + repr(devs) + str(devs)
    assert canary not in dumped and "Canary(Blob)" not in dumped and "%^%#" not in dumped
    t = devs[0].tunnels[0]
    for field in CHANGE_FIELDS:
        out = "\n".join(huawei.render(Change(side="a", field=field, value=VALUES[field]), devs[0], t))
        assert canary not in out


# -- render -------------------------------------------------------------------------------------------

VALUES: dict[str, object] = {
    "ike.encryption": "aes-cbc-128",
    "ike.integrity": "sha1",
    "ike.prf": "sha2-384",
    "ike.dh": 19,
    "ike.auth_method": "rsa-sig",
    "ike.lifetime": 28800,
    "ike_version": 2,
    "exchange_mode": "aggressive",
    "psk": None,
    "local_id": Identity(type="fqdn", value="b.example.net"),
    "remote_id": Identity(type="ip", value="192.0.2.1"),
    "peer_address": "192.0.2.1",
    "auth_address": "10.0.0.2",
    "local_address": "198.51.100.3",
    "nat_traversal": False,
    "dpd": True,
    "child.protocol": "ah",
    "child.encryption": "aes-cbc-128",
    "child.integrity": "sha2-512",
    "child.mode": "transport",
    "child.lifetime": 7200,
    "pfs": 14,
    "selectors": [Selector(src="10.2.2.0/24", dst="10.1.1.0/24")],
    "bind": "GigabitEthernet0/0/1",
    "nat_exempt": Selector(src="10.2.2.0/24", dst="10.1.1.0/24"),
    "security_rule": Selector(
        src="192.0.2.1/32", dst="198.51.100.2/32", protocol=17, dst_ports=(500, 500)
    ),
    "route": Route(prefix="0.0.0.0/0", next_hop="198.51.100.254"),
    "sha2_truncation": 96,
}

AR_EXPECTED = {
    "ike.encryption": ["ike proposal 10", " encryption-algorithm aes-128"],
    "ike.integrity": ["ike proposal 10", " authentication-algorithm sha1"],
    "ike.prf": ["ike proposal 10", " prf hmac-sha2-384"],
    "ike.dh": ["ike proposal 10", " dh group19"],
    "ike.auth_method": ["ike proposal 10", " authentication-method rsa-signature"],
    "ike.lifetime": ["ike proposal 10", " sa duration 28800"],
    "ike_version": ["ike peer peer1", " version 2", " undo version 1"],
    "exchange_mode": ["ike peer peer1", " exchange-mode aggressive"],
    "psk": ["ike peer peer1", " pre-shared-key cipher <same key as the peer>"],
    "local_id": ["ike peer peer1", " local-id-type fqdn", " local-id b.example.net"],
    "remote_id": ["ike peer peer1", " remote-id-type ip", " remote-id 192.0.2.1"],
    "peer_address": ["ike peer peer1", " remote-address 192.0.2.1"],
    "auth_address": ["ike peer peer1", " remote-address authentication-address 10.0.0.2"],
    "local_address": ["ike peer peer1", " local-address 198.51.100.3"],
    "nat_traversal": ["ike peer peer1", " undo nat traversal"],
    "dpd": ["ike peer peer1", " dpd type periodic"],
    "child.protocol": ["ipsec proposal prop1", " transform ah",
                       " ah authentication-algorithm sha2-256"],
    "child.encryption": ["ipsec proposal prop1", " esp encryption-algorithm aes-128"],
    "child.integrity": ["ipsec proposal prop1", " esp authentication-algorithm sha2-512"],
    "child.mode": ["ipsec proposal prop1", " encapsulation-mode transport"],
    "child.lifetime": ["ipsec policy map1 10 isakmp", " sa duration time-based 7200"],
    "pfs": ["ipsec policy map1 10 isakmp", " pfs dh-group14"],
    "selectors": ["acl number 3000", " undo rule 5",
                  " rule 5 permit ip source 10.2.2.0 0.0.0.255 destination 10.1.1.0 0.0.0.255"],
    "bind": ["interface GigabitEthernet0/0/1", " ipsec policy map1"],
    "nat_exempt": ["acl number 3001",
                   " rule 4 deny ip source 10.2.2.0 0.0.0.255 destination 10.1.1.0 0.0.0.255"],
    "security_rule": [],  # no firewall on the AR baseline
    "route": ["ip route-static 0.0.0.0 0.0.0.0 198.51.100.254"],
    "sha2_truncation": ["undo ipsec authentication sha2 compatible enable"],
}


def test_render_covers_every_change_field() -> None:
    assert set(VALUES) == set(CHANGE_FIELDS) == set(AR_EXPECTED)


@pytest.mark.parametrize("field", sorted(CHANGE_FIELDS))
def test_render_ar(field: str) -> None:
    dev = one_device(huawei_ar.baseline("b", 1))
    out = huawei.render(Change(side="b", field=field, value=VALUES[field]), dev, dev.tunnels[0])
    assert out == AR_EXPECTED[field]


def test_render_usg_specifics() -> None:
    dev = one_device(huawei_usg.baseline("b", 2))
    t = dev.tunnels[0]

    def r(field: str) -> list[str]:
        return huawei.render(Change(side="b", field=field, value=VALUES[field]), dev, t)

    assert r("psk") == ["ike peer peer1", " pre-shared-key <same key as the peer>"]
    assert r("ike.integrity") == ["ike proposal 10", " integrity-algorithm hmac-sha1-96"]
    assert r("local_address") == ["ipsec policy map1 10 isakmp", " tunnel local 198.51.100.3"]
    assert r("sha2_truncation") == ["ipsec sha2 compatible enable"]
    assert r("nat_exempt") == [
        "nat-policy",
        " rule name no_nat_ipsec",
        "  egress-interface GigabitEthernet1/0/1",
        "  source-address 10.2.2.0 mask 255.255.255.0",
        "  destination-address 10.1.1.0 mask 255.255.255.0",
        "  action no-nat",
        " rule move no_nat_ipsec top",
    ]
    assert r("security_rule") == [
        "security-policy",
        " rule name ipsec_fix1",
        "  source-zone untrust",
        "  destination-zone local",
        "  source-address 192.0.2.1 mask 255.255.255.255",
        "  destination-address 198.51.100.2 mask 255.255.255.255",
        "  service protocol udp destination-port 500",
        "  action permit",
        " rule move ipsec_fix1 top",
    ]


def test_render_route_without_next_hop_and_bad_values() -> None:
    dev = one_device(huawei_ar.baseline("b", 1))
    t = dev.tunnels[0]
    out = huawei.render(Change(side="b", field="route", value=Route(prefix="0.0.0.0/0")), dev, t)
    assert out == ["ip route-static 0.0.0.0 0.0.0.0 GigabitEthernet0/0/1 <gateway address>"]
    with pytest.raises(ValueError):
        huawei.render(Change(side="b", field="ike.lifetime", value=None), dev, t)
    with pytest.raises(ValueError):
        huawei.render(Change(side="b", field="no.such.field", value=1), dev, t)


def test_render_default_proposal_creates_a_numbered_one() -> None:
    t = peer_tunnel(" remote-address 192.0.2.2")
    dev = one_device(PEER_TMPL.format(peer=" remote-address 192.0.2.2", extra=""))
    out = huawei.render(Change(side="a", field="ike.dh", value=19), dev, t)
    # a copy of the default proposal with the change, bound to the peer
    assert out == [
        "ike proposal 10",
        " encryption-algorithm aes-256",
        " authentication-algorithm sha2-256",
        " authentication-method pre-share",
        " integrity-algorithm hmac-sha2-256",
        " prf hmac-sha2-256",
        " sa duration 86400",
        " dh group19",
        "#",
        "ike peer p",
        " ike-proposal 10",
    ]
    # the new proposal, read back, is the default one with DH 19
    text = PEER_TMPL.format(
        peer=" remote-address 192.0.2.2\n ike-proposal 10",
        extra="\n".join(out[:8]) + "\n#",
    )
    (t2,) = one_device(text).tunnels
    (p,) = t2.ike_proposals
    d = t.ike_proposals[-1]
    assert (p.dh, p.encryption, p.integrity, p.prf, p.lifetime) == (
        (19,), d.encryption, d.integrity, d.prf, d.lifetime)


# -- detect -----------------------------------------------------------------------------------------

CISCO_IOS = """\
hostname R1
!
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key Matrix-Key-42 address 192.0.2.1
!
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
!
crypto map CMAP 10 ipsec-isakmp
 set peer 192.0.2.1
 set transform-set TS
 match address VPN
!
interface GigabitEthernet0/0/1
 ip address 198.51.100.2 255.255.255.0
 crypto map CMAP
!
ip route 0.0.0.0 0.0.0.0 198.51.100.254
!
end
"""

STRONGSWAN = """\
connections {
   site {
      local_addrs = 192.0.2.1
      remote_addrs = 198.51.100.2
      children {
         net {
            local_ts = 10.1.1.0/24
         }
      }
   }
}
"""


def test_detect() -> None:
    for name in ("ar-hq-full.txt", "usg-hq-full.txt", "seed002-ar-template.txt"):
        assert huawei.detect(text_of(name)) >= 80, name
    assert huawei.detect(huawei_ar.baseline("a", 1)) >= 80
    assert huawei.detect(CISCO_IOS) <= 10
    assert huawei.detect(STRONGSWAN) == 0
    assert huawei.detect("") == 0


@pytest.mark.parametrize("vendor", ["cisco_ios", "cisco_asa", "strongswan"])
def test_detect_other_vendors_matrix_baselines(vendor: str) -> None:
    mod = pytest.importorskip(f"matrix.{vendor}")
    for version in (1, 2):
        for which in ("a", "b"):
            assert huawei.detect(mod.baseline(which, version, False)) <= 10


def test_load_text_picks_huawei() -> None:
    (dev,) = load_text(text_of("usg-hq-full.txt"), "usg.cfg")
    assert dev.vendor == "huawei"


def test_garbage_does_not_raise() -> None:
    assert huawei.parse("\x00\x01 %^%#abc\n[[[]]]\n:::\n", "junk") == []


# -- matrix baselines ------------------------------------------------------------------------------


@pytest.mark.parametrize("mod", [huawei_ar, huawei_usg], ids=["ar", "usg"])
@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("nat", [False, True])
@pytest.mark.parametrize("which", ["a", "b"])
def test_matrix_baseline_matches_scenario(mod, version: int, nat: bool, which: str) -> None:
    dev = one_device(mod.baseline(which, version, nat), f"{which}.cfg")
    assert dev.platform == ("usg" if mod is huawei_usg else "ar")
    (t,) = dev.tunnels
    wan = {"a": "192.0.2.1", "b": "10.0.0.2" if nat else "198.51.100.2"}[which]
    peer = "198.51.100.2" if which == "a" else "192.0.2.1"
    lan, rlan = ("10.1.1.0/24", "10.2.2.0/24") if which == "a" else ("10.2.2.0/24", "10.1.1.0/24")
    assert (t.ike_versions, t.initiate_version, t.exchange_mode) == ((version,), version, "main")
    (p,) = t.ike_proposals
    assert (p.encryption, p.integrity, p.dh, p.auth_method, p.lifetime) == (
        ("aes-cbc-256",), ("sha2-256",), (14,), "psk", 86400)
    assert p.prf == (("sha2-256",) if version == 2 else ())
    assert t.psk is not None and t.psk.kind == "plain"
    assert (t.local_address, t.peer_addresses, t.bound_interface) == (
        wan, (peer,), dev.interfaces[0].name)
    if which == "a" and nat:
        assert t.auth_addresses == ("10.0.0.2",)
        assert t.remote_id == Identity(type="ip", value="10.0.0.2")
    else:
        assert t.remote_id == Identity(type="ip", value=peer)
    assert t.local_id == Identity(type="ip")
    (c,) = t.child_proposals
    assert (c.protocol, c.encryption, c.integrity, c.mode, c.lifetime) == (
        "esp", ("aes-cbc-256",), ("sha2-256",), "tunnel", 3600)
    assert (t.pfs, t.nat_traversal, t.dpd, t.sha2_truncation) == (14, True, True, 128)
    assert [(s.action, s.src, s.dst) for s in t.selectors] == [("permit", lan, rlan)]
    assert [r.prefix for r in dev.routes] == ["0.0.0.0/0"]
    # NAT with the exemption for the protected traffic first
    first = dev.nat_rules[0]
    assert first.match[0].src == lan and first.match[0].dst == rlan
    assert first.kind == "exempt" or first.match[0].action == "deny"
    if which == "b":
        sec = "10.0.0.3/24" if nat else "198.51.100.3/24"
        assert dev.interfaces[0].secondary == (sec,)
    if mod is huawei_usg:
        assert dev.firewall
        assert any(r.selector.dst_ports == (500, 500) and r.destination_zones == ("local",)
                   for r in dev.security_rules)


FLIP_EFFECT = {
    "ike.encryption": lambda t, d: t.ike_proposals[0].encryption == ("aes-cbc-128",),
    "ike.integrity": lambda t, d: t.ike_proposals[0].integrity == ("sha1",),
    "ike.prf": lambda t, d: t.ike_proposals[0].prf in (("sha1",), ()),
    "ike.dh": lambda t, d: t.ike_proposals[0].dh == (19,),
    "ike.auth_method": lambda t, d: t.ike_proposals[0].auth_method == "rsa-sig",
    "ike.lifetime": lambda t, d: t.ike_proposals[0].lifetime == 28800,
    "psk": lambda t, d: t.psk is not None and t.psk.kind == "plain",
    "ike_version": lambda t, d: len(t.ike_versions) == 1,
    "exchange_mode": lambda t, d: t.exchange_mode == "aggressive",
    "local_id": lambda t, d: t.local_id == Identity(type="fqdn", value="b.example.net"),
    "remote_id": lambda t, d: t.remote_id == Identity(type="fqdn", value="a.example.net"),
    "peer_address": lambda t, d: t.peer_addresses == ("192.0.2.99",),
    "local_address": lambda t, d: t.local_address in ("198.51.100.3", "10.0.0.3"),
    "nat_traversal": lambda t, d: t.nat_traversal is False,
    "dpd": lambda t, d: t.dpd is False,
    "child.protocol": lambda t, d: t.child_proposals[0].protocol == "ah",
    "child.encryption": lambda t, d: t.child_proposals[0].encryption == ("aes-cbc-128",),
    "child.integrity": lambda t, d: t.child_proposals[0].integrity == ("sha1",),
    "child.mode": lambda t, d: t.child_proposals[0].mode == "transport",
    "child.lifetime": lambda t, d: t.child_proposals[0].lifetime == 28800,
    "pfs": lambda t, d: t.pfs is None,
    "selectors": lambda t, d: t.selectors[0].dst == "10.1.9.0/24",
    "selectors.narrow": lambda t, d: t.selectors[0].src == "10.2.2.0/25",
    "bind": lambda t, d: t.bound_interface is None,
    "responder_only": lambda t, d: (t.kind, t.initiates) == ("template", False),
    "nat_exempt": lambda t, d: not any(
        r.kind == "exempt" or any(s.action == "deny" for s in r.match) for r in d.nat_rules),
    "security_rule.ike": lambda t, d: not any(r.name == "ike_in" for r in d.security_rules),
    "security_rule.traffic": lambda t, d: not any(
        r.name in ("vpn_in", "vpn_out") for r in d.security_rules),
    "route": lambda t, d: d.routes == [],
    "sha2_truncation": lambda t, d: t.sha2_truncation == 96,
}


@pytest.mark.parametrize("mod", [huawei_ar, huawei_usg], ids=["ar", "usg"])
@pytest.mark.parametrize("version", [1, 2])
def test_matrix_flips_change_the_model(mod, version: int) -> None:
    assert set(mod.FLIPS) <= set(FLIP_EFFECT)
    base = mod.baseline("b", version, False)
    (t0,) = one_device(base).tunnels
    for attr, flip in mod.FLIPS.items():
        nat = attr == "nat_traversal"
        text = flip(mod.baseline("b", version, nat), version, nat)
        dev = one_device(text)
        (t,) = dev.tunnels
        if attr == "ike.prf" and version == 1:
            assert t.ike_proposals[0].prf == ()  # no PRF of its own in IKEv1
            continue
        if attr == "exchange_mode" and version == 2:
            assert t.ike_versions == (2,)
            continue
        assert FLIP_EFFECT[attr](t, dev), attr
        if attr == "psk":
            assert t.psk.same_as(t0.psk) is False
