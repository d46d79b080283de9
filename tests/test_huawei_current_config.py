"""Huawei configuration text (``display current-configuration`` and pasted configurations).

Seed snippets are used verbatim (seed and line in a comment); fixtures ``config-*.txt`` are full
device outputs written to the exact VRP/USG format.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import msgspec
import pytest

from conftest import FIXTURES, fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Signal, State
from ipsec_doctor.parsers.huawei.current_config import (
    CfgAcl,
    CfgGlobals,
    CfgIkePeer,
    CfgIkeProposal,
    CfgInterface,
    CfgIpsecPolicy,
    CfgIpsecProposal,
    CfgNatPolicyRule,
    CfgNatServer,
    CfgSecurityPolicyRule,
    CfgStaticRoute,
    CfgZone,
    parse_acl_rule,
    parse_addr,
)

T = TypeVar("T", bound=State)


def raw_text(name: str) -> str:
    """A fixture as stored (CRLF kept)."""
    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        return fh.read()


def facts(text: str, cls: type[T], mode: str = "full") -> list[T]:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, cls)]


def one(text: str, cls: type[T]) -> T:
    (f,) = facts(text, cls)
    return f


def cfg_facts(text: str, mode: str = "full") -> list[State]:
    return [
        f
        for f in scan_text(text, "t.txt", mode=mode)
        if isinstance(f, State) and f.family.startswith("cfg-")
    ]


# -- full configurations --------------------------------------------------------------------------


def test_ar_full_configuration() -> None:
    text = fixture_text("huawei/config-ar-full.txt")
    got = cfg_facts(text)
    # the "[V200R010C00SPC600]" banner looks like a prompt: the device still comes from sysname
    assert {f.device for f in got} == {"AR1"}

    g = one(text, CfgGlobals)
    assert (g.sysname, g.whole, g.sha2_compatible, g.ikev1_sa_dependent) == (
        "AR1",
        True,
        True,
        True,
    )
    assert (g.df_bit, g.fragmentation) == ("clear", "before-encryption")
    assert g.line_of("sha2_compatible").line == 6 and g.line_of("ikev1_sa_dependent").line == 7

    peer = one(text, CfgIkePeer)
    assert (peer.name, peer.version, peer.versions_off, peer.exchange_mode) == (
        "spub",
        "v1",
        (2,),
        "aggressive",
    )
    assert peer.pre_shared_key and peer.line_of("pre_shared_key").line == 40
    assert peer.line_of("pre_shared_key").text == " pre-shared-key cipher <redacted>"
    assert (peer.ike_proposal, peer.remote_addresses, peer.nat_traversal) == (
        5,
        ("60.1.2.1",),
        True,
    )
    assert (peer.local_id_type, peer.local_id, peer.remote_ids) == (
        "fqdn",
        "ar1.example.com",
        ("fw1.example.com",),
    )
    assert (peer.dpd_type, peer.dpd_idle) == ("periodic", 20)
    assert peer.line_of("remote_addresses").line == 45

    prop = one(text, CfgIkeProposal)
    assert (prop.number, prop.encryption, prop.dh, prop.authentication) == (
        5,
        ("aes-256",),
        ("group14",),
        ("sha2-256",),
    )
    assert (prop.integrity, prop.prf, prop.auth_method, prop.sa_duration) == (
        ("hmac-sha2-256",),
        ("hmac-sha2-256",),
        "pre-share",
        86400,
    )
    ipp = one(text, CfgIpsecProposal)
    assert (ipp.name, ipp.esp_authentication, ipp.esp_encryption, ipp.transform) == (
        "tran1",
        ("sha2-256",),
        ("aes-256",),
        None,
    )

    pol = one(text, CfgIpsecPolicy)
    assert (pol.name, pol.seq, pol.kind, pol.mode, pol.acl, pol.ike_peer, pol.proposals) == (
        "map1",
        10,
        "policy",
        "isakmp",
        3000,
        "spub",
        ("tran1",),
    )
    assert (pol.pfs, pol.trigger_mode, pol.sa_duration_time) == ("dh-group14", "auto", 3600)
    assert pol.line_of("acl").line == 51 and pol.ev.line == 50

    ifs = {i.name: i for i in facts(text, CfgInterface)}
    assert list(ifs) == ["GigabitEthernet0/0/1", "GigabitEthernet0/0/2", "LoopBack0"]
    wan = ifs["GigabitEthernet0/0/1"]
    assert (wan.ipsec_policy, wan.tcp_mss, wan.shutdown) == ("map1", 1350, False)
    assert [(a.address, a.mask, a.prefix_len, a.sub) for a in wan.addresses] == [
        ("60.1.1.1", "255.255.255.0", 24, False)
    ]
    (nat,) = wan.nat_outbound
    assert (nat.acl, nat.easy_ip, nat.address_group, nat.ev.line) == (3001, True, None, 61)
    assert wan.line_of("ipsec_policy").line == 62
    lan = ifs["GigabitEthernet0/0/2"]
    assert lan.shutdown and [(a.address, a.prefix_len, a.sub) for a in lan.addresses] == [
        ("10.1.1.1", 24, False),
        ("10.1.9.1", 24, True),
    ]

    acls = facts(text, CfgAcl)
    assert [(a.number, a.kind, len(a.rules)) for a in acls] == [
        (3000, "advanced", 1),
        (3001, "advanced", 2),
    ]
    deny, permit = acls[1].rules
    assert (deny.id, deny.action, deny.source.network, deny.destination.network) == (
        5,
        "deny",
        "10.1.1.0/24",
        "10.1.2.0/24",
    )
    assert (permit.id, permit.action, permit.destination) == (10, "permit", None)

    routes = facts(text, CfgStaticRoute)
    assert [(r.prefix, r.prefix_len, r.next_hop, r.interface, r.vpn_instance) for r in routes] == [
        ("0.0.0.0", 0, "60.1.1.2", None, None),
        ("10.1.2.0", 24, "60.1.1.2", "GigabitEthernet0/0/1", None),
        ("192.168.0.0", 16, None, "NULL0", "vpn1"),
    ]
    assert (routes[1].preference, routes[1].description, routes[1].ev.line) == (70, "to-hq", 77)
    # nothing from the skipped sections (aaa, ospf "network", user-interface): 2 ACLs, 2
    # proposals, peer, policy, 3 interfaces, 3 routes, globals
    assert len(got) == 13


def test_no_secret_reaches_a_fact() -> None:
    for name in ("config-ar-full.txt", "config-usg-full.txt", "config-messy.txt"):
        blob = msgspec.json.encode(cfg_facts(fixture_text(f"huawei/{name}")))
        for secret in (b"JvZxR", b"Qm0b", b"x*;=", b"%^%#"):
            assert secret not in blob, (name, secret)


def test_usg_full_configuration_zones_policies_and_nat() -> None:
    text = fixture_text("huawei/config-usg-full.txt")
    assert {f.device for f in cfg_facts(text)} == {"FW1"}
    g = one(text, CfgGlobals)
    assert (g.whole, g.tcp_mss, g.sha2_compatible) == (True, 1380, False)
    # the prompt that typed the command (or, where the scanner gives none, the first
    # configuration line "!Software Version ...", not the time stamp before it)
    assert g.ev.line in (1, 3) and g.ev.text.startswith(("<FW1>", "!Software"))

    ifs = {i.name: i for i in facts(text, CfgInterface)}
    wan = ifs["GigabitEthernet0/0/1"]
    assert (wan.zone, wan.ipsec_policy, wan.ipsec_auto_neg, wan.shutdown) == (
        "untrust",
        "map1",
        True,
        False,
    )
    assert wan.line_of("zone").text == " add interface GigabitEthernet0/0/1"
    assert [(a.address, a.sub) for a in wan.addresses] == [("1.1.1.1", False), ("1.1.1.5", True)]
    assert ifs["GigabitEthernet0/0/3"].zone == "trust"
    assert [(z.name, z.priority, z.interfaces) for z in facts(text, CfgZone)] == [
        ("local", 100, ()),
        ("trust", 85, ("GigabitEthernet0/0/3",)),
        ("untrust", 5, ("GigabitEthernet0/0/1",)),
    ]

    peer = one(text, CfgIkePeer)
    assert (peer.version, peer.pre_shared_key, peer.remote_addresses, peer.auth_addresses) == (
        "v2",
        True,
        ("2.1.1.1",),
        ("10.4.1.1",),
    )
    assert peer.remote_id_type == "ip"
    ipp = one(text, CfgIpsecProposal)
    assert (ipp.transform, ipp.encapsulation, ipp.esp_encryption) == (
        "esp",
        "tunnel",
        ("aes-256", "aes-128"),
    )
    pol = one(text, CfgIpsecPolicy)
    assert (pol.tunnel_local, pol.alias, pol.sa_duration_time, pol.sa_duration_traffic) == (
        "applied-interface",
        "map1",
        3600,
        5242880,
    )

    (srv,) = facts(text, CfgNatServer)
    assert (srv.entry.name, srv.entry.protocol, srv.entry.global_address) == (
        "web",
        "tcp",
        "1.1.1.10",
    )
    assert (srv.entry.inside_address, srv.entry.inside_port, srv.entry.no_reverse) == (
        "10.1.1.10",
        "www",
        True,
    )

    sec = facts(text, CfgSecurityPolicyRule)
    assert [(r.name, r.position, r.enabled, r.action) for r in sec] == [
        ("ipsec_in", 0, True, "permit"),
        ("trust_out", 1, False, "permit"),
    ]
    assert sec[0].services == ("esp", "udp destination-port 500")
    assert (sec[0].source_zones, sec[0].destination_zones) == (("untrust",), ("local",))
    assert sec[0].source_addresses[0].network == "2.1.1.1/32"
    assert sec[0].source_addresses[0].ev.line == 75
    dst = sec[1].destination_addresses[0]
    assert (dst.address, dst.range_end, dst.network) == ("10.1.2.1", "10.1.2.100", None)
    assert sec[1].source_addresses[0].network == "10.1.1.0/24"

    nat = facts(text, CfgNatPolicyRule)
    assert [(r.name, r.position, r.action, r.translation) for r in nat] == [
        ("no_nat_vpn", 0, "no-nat", None),
        ("to_internet", 1, "source-nat", "easy-ip"),
    ]
    assert nat[0].egress_interfaces == ("GigabitEthernet0/0/1",)
    assert [a.network for a in nat[0].destination_addresses] == ["10.1.2.0/24"]
    assert nat[1].source_addresses[0].address_set == "lan"
    assert nat[1].line_of("action").text == "  action source-nat easy-ip"


def test_fast_mode_reads_configurations_like_full_mode() -> None:
    for name in ("config-ar-full.txt", "config-usg-full.txt", "config-messy.txt"):
        text = raw_text(f"huawei/{name}")
        assert cfg_facts(text, "fast") == cfg_facts(text, "full"), name


# -- reference documents, verbatim ----------------------------------------------------------------

# seed 002, lines 1582-1602 (RouterA, printed flush left)
SEED002_ROUTER_A = """#
acl number 3000
rule 10 permit ip source 192.168.10.0 0.0.0.255 destination 192.168.0.0 0.0.255.255
rule 20 permit ip source 192.168.20.0 0.0.0.255 destination 192.168.0.0 0.0.255.255
rule 30 permit ip source 192.168.202.0 0.0.0.255 destination 192.168.0.0 0.0.255.255
rule 40 permit ip source 192.168.201.0 0.0.0.255 destination 192.168.0.0 0.0.255.255
rule 50 deny ip
#
ipsec proposal 2
#
ike proposal 2
#
ike peer aaa v1
pre-shared-key huawei
#
ipsec policy-template hrui 10
security acl 3000
ike-peer aaa
proposal 2
#
ipsec policy huir 10 isakmp template hrui
#
"""


def test_seed002_flat_router_config() -> None:
    text = SEED002_ROUTER_A
    (acl,) = facts(text, CfgAcl)
    assert [(r.id, r.action, r.source and r.source.network) for r in acl.rules] == [
        (10, "permit", "192.168.10.0/24"),
        (20, "permit", "192.168.20.0/24"),
        (30, "permit", "192.168.202.0/24"),
        (40, "permit", "192.168.201.0/24"),
        (50, "deny", None),
    ]
    assert acl.rules[-1].ev.line == 7
    peer = one(text, CfgIkePeer)
    assert (peer.name, peer.version, peer.pre_shared_key) == ("aaa", "v1", True)
    assert peer.line_of("pre_shared_key").text == "pre-shared-key <redacted>"
    assert b"pre-shared-key huawei" not in msgspec.json.encode(cfg_facts(text))
    assert one(text, CfgIpsecProposal).name == "2"
    assert one(text, CfgIkeProposal).number == 2
    tpl, pol = facts(text, CfgIpsecPolicy)
    assert (tpl.name, tpl.seq, tpl.kind, tpl.acl, tpl.ike_peer, tpl.proposals) == (
        "hrui",
        10,
        "template",
        3000,
        "aaa",
        ("2",),
    )
    assert (pol.name, pol.seq, pol.kind, pol.mode, pol.template) == (
        "huir",
        10,
        "policy",
        "isakmp",
        "hrui",
    )
    assert pol.line_of("template").line == 21


# seed 002, lines 2347-2351 and 2355-2382 (LAC; the markdown fences left out)
SEED002_LAC = """#
l2tp enable
#
aaa
local-user huawei password cipher %^%#_<`.CO&(:!eS/$#F\\H0Qv8B]KAZja3}3q'RNx;VI%^%#
local-user huawei privilege level 0
local-user huawei service-type ppp
#
interface Virtual-Template1
ppp authentication-mode chap
#
interface GigabitEthernet1/0/0
ip address 1.1.2.1 255.255.255.0
#
interface GigabitEthernet2/0/0
pppoe-server bind Virtual-Template 1
#
l2tp-group 1
tunnel password cipher %@@@/-#)Lg[S4F:#2~ZNvqa$]\\DL%@@@
tunnel name lac
start l2tp ip 1.1.1.1 fullusername huawei
#
ip route-static 1.1.1.1 255.255.255.255 1.1.2.2
#
interface gigabitethernet1/0/0
nat server protocol tcp global interface gigabitethernet 1/0/0 www inside 192.168.10.2 www
nat server protocol tcp global interface gigabitethernet 1/0/0 pop3 inside 192.168.10.2 pop3
nat server protocol tcp global interface gigabitethernet 1/0/0 smtp inside 192.168.10.2 smtp
nat server protocol tcp global interface gigabitethernet 1/0/0 ftp inside 192.168.10.2 ftp
nat server protocol udp global interface gigabitethernet 1/0/0 any inside 192.168.10.2 any
nat outbound 2001
#
return
"""


def test_seed002_lac_config_nat_server_and_skipped_sections() -> None:
    text = SEED002_LAC
    ifs = facts(text, CfgInterface)
    assert [i.name for i in ifs] == [
        "Virtual-Template1",
        "GigabitEthernet1/0/0",
        "GigabitEthernet2/0/0",
        "gigabitethernet1/0/0",
    ]
    last = ifs[-1]
    assert [
        (s.protocol, s.global_interface, s.global_port, s.inside_address, s.inside_port)
        for s in last.nat_servers
    ][::4] == [
        ("tcp", "gigabitethernet1/0/0", "www", "192.168.10.2", "www"),
        ("udp", "gigabitethernet1/0/0", "any", "192.168.10.2", "any"),
    ]
    assert last.nat_servers[4].ev.line == 30
    assert [(n.acl, n.easy_ip) for n in last.nat_outbound] == [(2001, True)]
    (route,) = facts(text, CfgStaticRoute)
    assert (route.prefix, route.prefix_len, route.next_hop) == ("1.1.1.1", 32, "1.1.2.2")
    # the aaa and l2tp-group bodies (lines 5-7, 19-21) are skipped; no secret survives
    got = cfg_facts(text)
    assert not [f.ev.line for f in got if 5 <= f.ev.line <= 7 or 19 <= f.ev.line <= 21]
    assert b"eS/" not in msgspec.json.encode(got) and b"Lg[S4F" not in msgspec.json.encode(got)
    # an excerpt without sysname is not a whole configuration, even with "return"
    assert facts(text, CfgGlobals) == []


def test_seed002_display_this_in_interface_view() -> None:
    # seed 002, lines 2396-2406, verbatim
    text = """<LAC> system-view
[LAC] interface gigabitethernet1/0/0
[LAC-GigabitEthernet1/0/0] display this
#
interface GigabitEthernet1/0/0
ip address 1.1.2.1 255.255.255.0
nat server protocol tcp global interface gigabitethernet 1/0/0 www inside 192.168.10.2 www
nat server protocol tcp global interface gigabitethernet 1/0/0 pop3 inside 192.168.10.2 pop3
nat server protocol tcp global interface gigabitethernet 1/0/0 smtp inside 192.168.10.2 smtp
nat server protocol tcp global interface gigabitethernet 1/0/0 ftp inside 192.168.10.2 ftp
nat server protocol udp global interface gigabitethernet 1/0/0 any inside 192.168.10.2 any
nat outbound 2001
"""
    i = one(text, CfgInterface)
    assert (i.device, i.name, len(i.nat_servers), i.ev.line) == (
        "LAC",
        "GigabitEthernet1/0/0",
        5,
        5,
    )
    assert i.addresses[0].address == "1.1.2.1"
    assert facts(text, CfgGlobals) == []  # "display this" is never a whole configuration


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # seed 002, lines 680-683 (and seed 003, lines 536-539, indented the same way)
        (
            "acl number 3001\n rule 5 permit ip source 10.1.2.0 0.0.0.255 destination 10.1.1.0 "
            "0.0.0.255\nacl number 3002\n rule 5 permit ip source 10.1.0.0 0.0.255.255 "
            "destination 10.1.0.0 0.0.255.255\n",
            [(3001, "10.1.2.0/24", "10.1.1.0/24"), (3002, "10.1.0.0/16", "10.1.0.0/16")],
        ),
        # seed 002, lines 1711-1713
        (
            "acl number 3300\nrule 5 deny ip source 10.1.1.0 0.0.0.255 destination 10.1.2.0 "
            "0.0.0.255\nrule 10 permit ip\n",
            [(3300, "10.1.1.0/24", "10.1.2.0/24"), (3300, None, None)],
        ),
        # seed 002, lines 1934-1938 (a blank line between the ACLs)
        (
            "acl number 3000\nrule 5 permit ip source 10.1.1.0 0.0.0.255 destination 10.1.2.0 "
            "0.0.0.255\n\nacl number 3001\nrule 5 permit ip source 10.1.1.0 0.0.0.255 "
            "destination 10.1.3.0 0.0.0.255\n",
            [(3000, "10.1.1.0/24", "10.1.2.0/24"), (3001, "10.1.1.0/24", "10.1.3.0/24")],
        ),
        # seed 003, lines 1930-1934 (trailing blanks, a blank-only line between)
        (
            "    acl number 3000  \n     rule 5 permit ip source 10.1.1.0 0.0.0.255 destination "
            "10.1.2.0 0.0.0.255 \n     \n    acl number 3001 \n     rule 5 permit ip source "
            "10.1.1.0 0.0.0.255 destination 10.1.3.0 0.0.0.255     \n",
            [(3000, "10.1.1.0/24", "10.1.2.0/24"), (3001, "10.1.1.0/24", "10.1.3.0/24")],
        ),
        # seed 003, lines 1673-1674
        (
            "    acl number 3000 \n     rule 5 permit ip source 10.1.1.0 0.0.0.255 destination "
            "10.1.2.0 0.0.0.255\n",
            [(3000, "10.1.1.0/24", "10.1.2.0/24")],
        ),
    ],
)
def test_seed_acl_snippets(text: str, expect: list[tuple]) -> None:
    got = [
        (a.number, r.source and r.source.network, r.destination and r.destination.network)
        for a in facts(text, CfgAcl)
        for r in a.rules
    ]
    assert got == expect


def test_seed003_two_devices_acls_separated_by_prose() -> None:
    # seed 003, lines 1477-1485, verbatim: "FW2:" ends FW1's paste, the next ACL is read anew
    text = """    FW1:

    acl number 3000 
     rule 5 permit ip source 1.1.1.0 0.0.0.255 destination 2.1.1.0 0.0.0.255

    FW2:

    acl number 3000 
     rule 5 permit ip source 2.1.1.0 0.0.0.255 destination 1.1.1.0 0.0.0.255
"""
    a, b = facts(text, CfgAcl)
    assert (a.ev.line, a.rules[0].source.network) == (3, "1.1.1.0/24")
    assert (b.ev.line, b.rules[0].source.network) == (8, "2.1.1.0/24")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("ike proposal 10\nencryption-algorithm aes-256\n", 2),  # seed 002, lines 1406-1407
        ("    ike proposal 10 \n     encryption-algorithm aes-256\n", 2),  # seed 003, 1056-1057
    ],
)
def test_seed_ike_proposal_snippets(text: str, line: int) -> None:
    p = one(text, CfgIkeProposal)
    assert (p.number, p.encryption, p.line_of("encryption").line) == (10, ("aes-256",), line)


def test_seed003_ike_peer_snippets() -> None:
    # seed 003, lines 1156-1157: the key in clear text is redacted before parsing
    p = one("    ike peer spub \n     pre-shared-key huawei@123\n", CfgIkePeer)
    assert p.name == "spub" and p.pre_shared_key
    assert p.line_of("pre_shared_key").text == "     pre-shared-key <redacted>"
    assert b"huawei@123" not in msgspec.json.encode(p)
    # seed 003, lines 1767-1768
    p = one(
        "    ike peer spr \n     remote-address authentication-address 10.4.1.1 10.4.1.255\n",
        CfgIkePeer,
    )
    assert (p.auth_addresses, p.remote_addresses) == (("10.4.1.1-10.4.1.255",), ())
    assert p.line_of("auth_addresses").line == 2
    # seed 003, lines 2072-2073
    p = one("    ike peer spub \n     nat traversal\n", CfgIkePeer)
    assert p.nat_traversal is True


def test_seed003_sub_address_and_tunnel_local() -> None:
    # seed 003, lines 1194-1197
    text = """    interface GigabitEthernet0/0/1 
     ip address 1.1.1.1 255.255.255.0 
     ip address 1.1.1.5 255.255.255.0 sub 
     ipsec policy map1
"""
    i = one(text, CfgInterface)
    assert [(a.address, a.sub, a.ev.line) for a in i.addresses] == [
        ("1.1.1.1", False, 2),
        ("1.1.1.5", True, 3),
    ]
    assert i.ipsec_policy == "map1"
    # seed 003, lines 1242-1243
    p = one("    ipsec policy map1 10 isakmp  \n     tunnel local 1.1.1.5\n", CfgIpsecPolicy)
    assert (p.name, p.seq, p.mode, p.tunnel_local) == ("map1", 10, "isakmp", "1.1.1.5")


def test_seed003_policy_nat_output_without_its_header() -> None:
    # seed 003, lines 1557-1562: the section header is implied by the command
    text = """    <FW1> display current-configuration configuration policy-nat 
     rule name policy_nat2                                                           
      source-zone trust                                                              
      destination-zone untrust                                                       
      source-address 10.1.1.0 0.0.0.255                                              
      action source-nat easy-ip 

    The configuration of FW2 is similar to that of FW1, and is not mentioned here.
"""
    r = one(text, CfgNatPolicyRule)
    assert (r.device, r.name, r.source_zones, r.destination_zones) == (
        "FW1",
        "policy_nat2",
        ("trust",),
        ("untrust",),
    )
    assert [a.network for a in r.source_addresses] == ["10.1.1.0/24"]
    assert (r.action, r.translation, r.ev.line, r.line_of("action").line) == (
        "source-nat",
        "easy-ip",
        2,
        6,
    )
    # seed 003, lines 2620-2623
    text = """    <FW1> display current-configuration configuration policy-nat 
     rule name policy_nat2  
      destination-zone untrust 
      action source-nat easy-ip
"""
    r = one(text, CfgNatPolicyRule)
    assert (r.source_zones, r.destination_zones, r.source_addresses) == ((), ("untrust",), ())


def test_seed003_policy_nat_with_header_keeps_rule_order() -> None:
    # seed 003, lines 2124-2136
    text = """    <FW2> display current-configuration configuration policy-nat 
    nat-policy                                                                       
     rule name policy_nat1                                                           
      source-zone trust                                                              
      destination-zone untrust                                                       
      source-address 10.1.2.0 0.0.0.255                                              
      destination-address 10.1.1.0 0.0.0.255                                         
      action no-nat                                                                  
     rule name policy_nat2 
      source-zone trust  
      destination-zone untrust 
      source-address 10.1.2.0 0.0.0.255 
      action source-nat address-group addressgroup1
"""
    a, b = facts(text, CfgNatPolicyRule)
    assert (a.name, a.position, a.action, [d.network for d in a.destination_addresses]) == (
        "policy_nat1",
        0,
        "no-nat",
        ["10.1.1.0/24"],
    )
    assert (b.name, b.position, b.action, b.translation, b.address_group) == (
        "policy_nat2",
        1,
        "source-nat",
        "address-group",
        "addressgroup1",
    )
    assert {a.device, b.device} == {"FW2"}


def test_seed003_security_policy_and_default_action() -> None:
    # seed 003, lines 2193-2206
    text = """    <FW1> display current-configuration configuration policy-security 
    security-policy  
     default action deny  
     rule name policy3                                                               
      source-zone local                                                              
      destination-zone untrust                                                       
      source-address 1.1.1.1 mask 255.255.255.255                                    
      destination-address 2.1.1.1 mask 255.255.255.255                               
      action permit                                                                  
     rule name policy4                                                               
      source-zone untrust                                                            
      destination-zone local                                                         
      source-address 2.1.1.1 mask 255.255.255.255                                    
      destination-address 1.1.1.1 mask 255.255.255.255                               
      action permit
"""
    rules = facts(text, CfgSecurityPolicyRule)
    assert [(r.name, r.source_zones, r.destination_zones, r.action) for r in rules] == [
        ("policy3", ("local",), ("untrust",), "permit"),
        ("policy4", ("untrust",), ("local",), "permit"),
    ]
    assert [a.network for a in rules[0].destination_addresses] == ["2.1.1.1/32"]
    g = one(text, CfgGlobals)
    assert (g.security_default_action, g.line_of("security_default_action").line, g.whole) == (
        "deny",
        3,
        False,
    )
    # seed 003, lines 2215-2227 (pasted without prompt)
    text = """    security-policy 
     rule name policy1                                                               
      source-zone trust                                                              
      destination-zone untrust                                                       
      source-address 10.1.1.0 mask 255.255.255.0                                     
      destination-address 10.1.2.0 mask 255.255.255.0                                
      action permit 
     rule name policy2                                                               
      source-zone untrust                                                            
      destination-zone trust                                                         
      source-address 10.1.2.0 mask 255.255.255.0                                     
      destination-address 10.1.1.0 mask 255.255.255.0                                
      action permit
"""
    rules = facts(text, CfgSecurityPolicyRule)
    assert [(r.name, [a.network for a in r.source_addresses]) for r in rules] == [
        ("policy1", ["10.1.1.0/24"]),
        ("policy2", ["10.1.2.0/24"]),
    ]


def test_seed003_static_routes() -> None:
    # seed 003, line 2315
    r = one("    ip route-static 10.1.2.0 255.255.255.0 1.1.1.2\n", CfgStaticRoute)
    assert (r.prefix, r.mask, r.prefix_len, r.next_hop) == (
        "10.1.2.0",
        "255.255.255.0",
        24,
        "1.1.1.2",
    )
    # seed 003, lines 2465-2466
    text = """    ip route-static 0.0.0.0 0.0.0.0 GigabitEthernet0/0/2 1.1.1.2 track ip-link isp2 
    ip route-static 0.0.0.0 0.0.0.0 GigabitEthernet0/0/3 1.2.1.2 track ip-link isp1     
"""
    assert [(r.interface, r.next_hop, r.track, r.ev.line) for r in facts(text, CfgStaticRoute)] == [
        ("GigabitEthernet0/0/2", "1.1.1.2", "ip-link isp2", 1),
        ("GigabitEthernet0/0/3", "1.2.1.2", "ip-link isp1", 2),
    ]


def test_whole_reference_documents_give_only_real_configuration(seeds: Path) -> None:
    """Prose around the snippets ("ike peer configuration not found", "ikev1 phase1-phase2 sa
    dependent offline", Cisco "acl 150") opens nothing."""
    counts = {}
    for path in sorted(seeds.glob("00*.txt")):
        got = cfg_facts(path.read_text(encoding="utf-8"))
        counts[path.name[:3]] = len(got)
        assert all(f.ev.text.strip() for f in got)
    assert counts["000"] == counts["001"] == counts["004"] == 0
    assert counts["002"] >= 7 and counts["003"] >= 26


# -- messy pastes ---------------------------------------------------------------------------------


def test_messy_paste_paging_crlf_filters_devices_and_truncation() -> None:
    text = raw_text("huawei/config-messy.txt")
    assert "\r\n" in text
    ifs = facts(text, CfgInterface)
    ar1 = ifs[0]
    # "---- More ----" and its erase ate the indentation of "nat outbound": still the interface's
    assert (ar1.device, ar1.name, [n.acl for n in ar1.nat_outbound], ar1.ipsec_policy) == (
        "AR1",
        "GigabitEthernet0/0/1",
        [3001],
        "map1",
    )
    peers = facts(text, CfgIkePeer)
    assert (peers[0].device, peers[0].remote_addresses, peers[0].nat_traversal) == (
        "AR1",
        ("60.1.2.1",),
        True,
    )
    assert peers[0].line_of("remote_addresses").line == 14
    # "| include" output: headers without bodies, the global line, the route
    assert (peers[1].device, peers[1].name) == ("AR2", "spua")
    inc = [g for g in facts(text, CfgGlobals) if g.sha2_compatible]
    assert len(inc) == 1 and inc[0].whole is False and inc[0].device == "AR2"
    pols = facts(text, CfgIpsecPolicy)
    assert [(p.device, p.name, p.acl) for p in pols] == [
        ("AR2", "map1", None),
        ("AR2", "map1", 3000),
    ]
    # the truncated last route keeps its prefix and has no garbage interface
    last = facts(text, CfgStaticRoute)[-1]
    assert (last.prefix, last.next_hop, last.interface, last.ev.line) == (
        "10.1.1.0",
        None,
        None,
        42,
    )
    full = [g for g in facts(text, CfgGlobals) if g.sysname == "AR2"]
    assert len(full) == 1 and full[0].whole is False  # no "return": not a whole configuration


def test_two_configurations_pasted_without_prompts() -> None:
    text = fixture_text("huawei/config-two-devices.txt")
    peers = facts(text, CfgIkePeer)
    assert [(p.device, p.remote_addresses) for p in peers] == [
        ("FW1", ("2.1.1.1",)),
        ("FW2", ("1.1.1.5",)),
    ]
    assert [(g.device, g.whole) for g in facts(text, CfgGlobals)] == [("FW1", True), ("FW2", True)]
    # the log line after the second "return" still reaches the syslog parser
    (sig,) = [f for f in scan_text(text, "t.txt") if isinstance(f, Signal)]
    assert sig.ev.line == 23


def test_a_second_sysname_without_return_starts_a_new_device() -> None:
    text = "#\n sysname A\n#\nike peer x\n remote-address 1.1.1.1\n#\n sysname B\n#\nike peer y\n"
    assert [(p.device, p.name) for p in facts(text, CfgIkePeer)] == [("A", "x"), ("B", "y")]


def test_empty_outputs_give_nothing() -> None:
    for text in (
        "<FW1>display current-configuration configuration policy-nat\n<FW1>\n",
        "<FW1>display current-configuration\n\n<FW1>display ike sa\n",
        "",
        "#\n#\n",
    ):
        assert cfg_facts(text) == [], text


def test_saved_configuration_is_read_too() -> None:
    text = "<AR1>display saved-configuration\n#\n sysname AR1\n#\nike peer x\n#\nreturn\n"
    assert one(text, CfgIkePeer).device == "AR1"
    assert one(text, CfgGlobals).whole is True


def test_prose_and_foreign_lines_open_nothing() -> None:
    text = (
        "ike peer configuration not found for peer 1.1.1.1\n"
        "ikev1 phase1-phase2 sa dependent offline\n"
        "acl 150\n"
        "interface GigabitEthernet0/0/1 is down\n"
        "sysname of the peer\n"
    )
    assert cfg_facts(text) == []


def test_old_usg_interzone_policies_derive_zones_from_priorities() -> None:
    text = """#
nat-policy interzone trust untrust outbound
 policy 0
  action no-nat
  policy source 10.1.1.0 0.0.0.255
  policy destination 10.1.2.0 0.0.0.255
 policy 1
  action source-nat
  policy source 10.1.1.0 0.0.0.255
  easy-ip GigabitEthernet0/0/1
#
policy interzone local untrust inbound
 policy 0
  action permit
  policy service service-set ike esp
  policy source 2.1.1.1 0
#
"""
    a, b = facts(text, CfgNatPolicyRule)
    assert (a.name, a.action, a.source_zones, a.destination_zones, a.direction) == (
        "0",
        "no-nat",
        ("trust",),
        ("untrust",),
        "outbound",
    )
    assert [d.network for d in a.destination_addresses] == ["10.1.2.0/24"]
    assert (b.translation, b.easy_ip_interface, b.position) == (
        "easy-ip",
        "GigabitEthernet0/0/1",
        1,
    )
    (s,) = facts(text, CfgSecurityPolicyRule)
    assert (s.source_zones, s.destination_zones, s.services, s.action) == (
        ("untrust",),
        ("local",),
        ("ike", "esp"),
        "permit",
    )
    assert s.source_addresses[0].network == "2.1.1.1/32"


def test_flat_sections_keep_claimed_lines_after_unknown_ones() -> None:
    text = """interface Tunnel0/0/1
description to hq
mtu 1400
tunnel-protocol ipsec
source GigabitEthernet0/0/1
ipsec profile prof1
interface GigabitEthernet0/0/9
undo shutdown
ip binding vpn-instance vpn1
ip address 10.9.9.1 255.255.255.252
nat outbound 3000 address-group 1 no-pat
ipsec profile prof2
"""
    tun, ge = facts(text, CfgInterface)
    assert (
        tun.tunnel_protocol,
        tun.tunnel_source,
        tun.ipsec_profile,
        tun.mtu,
        tun.description,
    ) == ("ipsec", "GigabitEthernet0/0/1", "prof1", 1400, "to hq")
    assert (ge.vpn_instance, ge.addresses[0].prefix_len, ge.shutdown) == ("vpn1", 30, False)
    (nat,) = ge.nat_outbound
    assert (nat.acl, nat.address_group, nat.no_pat, nat.easy_ip) == (3000, "1", True, False)
    assert ge.ipsec_profile == "prof2"
    assert facts(text, CfgIpsecPolicy) == []


def test_interface_filtered_command_and_profile_section() -> None:
    text = """<AR1>display current-configuration interface GigabitEthernet 0/0/1
#
interface GigabitEthernet0/0/1
 ip address 60.1.1.1 255.255.255.0
 ipsec policy map1 auto-neg
#
return
<AR1>display current-configuration configuration ipsec
#
ipsec profile prof1
 ike-peer spub
 proposal tran1
 pfs dh-group14
#
"""
    i = one(text, CfgInterface)
    assert (i.name, i.ipsec_auto_neg) == ("GigabitEthernet0/0/1", True)
    p = one(text, CfgIpsecPolicy)
    assert (p.kind, p.name, p.seq, p.ike_peer, p.pfs) == (
        "profile",
        "prof1",
        None,
        "spub",
        "dh-group14",
    )
    assert facts(text, CfgGlobals) == []  # filtered outputs are never whole


# -- helpers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "wildcard", "expect"),
    [
        ("10.1.1.0 0.0.0.255", True, ("10.1.1.0/24", "0.0.0.255")),
        ("10.1.1.7 0", True, ("10.1.1.7/32", "0.0.0.0")),
        ("10.1.0.0 0.0.255.0", True, (None, "0.0.255.0")),  # non-contiguous wildcard
        ("10.1.1.0 255.255.255.0", False, ("10.1.1.0/24", "0.0.0.255")),  # policy: a mask
        ("10.1.1.0 0.0.0.255", False, ("10.1.1.0/24", "0.0.0.255")),  # policy: a wildcard
        ("10.1.1.0 mask 255.255.255.128", False, ("10.1.1.0/25", "0.0.0.127")),
        ("10.1.1.9 24", False, ("10.1.1.0/24", "0.0.0.255")),
        ("10.1.1.0/26", False, ("10.1.1.0/26", "0.0.0.63")),
        ("any", True, ("0.0.0.0/0", None)),
        ("2001:db8:: 32", True, ("2001:db8::/32", None)),
    ],
)
def test_parse_addr(words: str, wildcard: bool, expect: tuple) -> None:
    spec, end = parse_addr(words.split(), 0, wildcard=wildcard)
    assert spec is not None and end == len(words.split())
    assert (spec.network, spec.wildcard) == expect


def test_parse_acl_rule_forms() -> None:
    from ipsec_doctor.model import Line

    ev = Line("t", 1, "")
    r = parse_acl_rule(
        ev,
        "rule 5 permit udp vpn-instance v1 source 1.1.1.1 0 source-port eq 500 "
        "destination 2.2.2.0 0.0.0.255 destination-port range 500 4500 "
        "logging".split(),
    )
    assert (r.id, r.protocol, r.vpn_instance, r.source.network, r.source_port) == (
        5,
        "udp",
        "v1",
        "1.1.1.1/32",
        "eq 500",
    )
    assert (r.destination.network, r.destination_port, r.extra) == (
        "2.2.2.0/24",
        "range 500 4500",
        ("logging",),
    )
    basic = parse_acl_rule(ev, "rule 10 permit source 10.1.1.0 0.0.0.255".split())
    assert (basic.protocol, basic.source.network) == (None, "10.1.1.0/24")
    shown = parse_acl_rule(ev, "rule 10 permit ip (4 matches)".split())
    assert (shown.protocol, shown.matches) == ("ip", 4)
    assert parse_acl_rule(ev, "rule move 5 after 10".split()) is None
