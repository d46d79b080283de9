"""Cisco show-command parsers, part 2: ``show crypto ipsec sa``, ``show crypto map``,
``show crypto isakmp policy``, ``show crypto engine connections active``; and every fixture
read the same way in full and fast mode and with CRLF line ends.

Fixtures and helpers as in ``test_cisco_show.py``.
"""

from __future__ import annotations

import pytest

from ipsec_doctor.model import Unparsed
from ipsec_doctor.parsers.cisco.crypto_map import CryptoMapEntry, TransformSet
from ipsec_doctor.parsers.cisco.engine import EngineConnection
from ipsec_doctor.parsers.cisco.ipsec_sa import CryptoIpsecSa, Ident
from ipsec_doctor.parsers.cisco.isakmp_policy import IsakmpPolicy
from test_cisco_show import CISCO, body, facts, of, tables

# -- show crypto ipsec sa ------------------------------------------------------------------------


def flows(fs: list) -> list[CryptoIpsecSa]:
    return of(fs, CryptoIpsecSa)


def test_ios_three_flows_two_interfaces() -> None:
    fs = facts("R1#show crypto ipsec sa\n" + body("show-ipsec-sa-genie.txt"))
    a, b, c = flows(fs)
    assert [(f.interface, f.crypto_map, f.local_addr, f.peer, f.peer_port) for f in (a, b, c)] == [
        ("GigabitEthernet3", "vpn-crypto-map", "1.1.1.2", "1.1.1.1", 500),
        ("GigabitEthernet3", "vpn-crypto-map", "1.1.1.2", "1.1.1.1", 500),
        ("Tunnel0", "Tunnel0-head-0", "2.2.2.2", "2.2.2.1", 500),
    ]  # fmt: skip
    assert a.local_ident == Ident(address="20.20.20.0", mask="255.255.255.0", protocol=0, port=0)
    assert a.remote_ident == Ident(address="10.10.10.0", mask="255.255.255.0", protocol=0, port=0)
    assert (a.vrf, a.permit, a.flags) == (None, True, ("origin_is_acl",))
    assert (a.encaps, a.encrypt, a.digest, a.decaps, a.decrypt, a.verify, a.send_errors,
            a.recv_errors) == (4, 4, 4, 4, 4, 4, 0, 0)  # fmt: skip
    assert (
        a.local_endpoint,
        a.remote_endpoint,
        a.plaintext_mtu,
        a.path_mtu,
        a.ip_mtu,
        a.mtu_interface,
    ) == ("1.1.1.2", "1.1.1.1", 1438, 1500, 1500, "GigabitEthernet3")
    assert (a.outbound_spi, a.pfs, a.pfs_group) == (0x397C36EE, False, None)
    assert [(s.direction, s.protocol, s.spi, s.transform, s.mode, s.conn_id, s.flow_id,
             s.crypto_map, s.remaining_kb, s.remaining_seconds, s.iv_size, s.replay_detection,
             s.status) for s in a.sas] == [
        ("inbound", "ESP", 1703902225, ("esp-256-aes", "esp-sha256-hmac"), "tunnel", 2076,
         "CSR:76", "vpn-crypto-map", 4607999, 83191, 16, True, "ACTIVE"),
        ("outbound", "ESP", 964441838, ("esp-256-aes", "esp-sha256-hmac"), "tunnel", 2075,
         "CSR:75", "vpn-crypto-map", 4607999, 83191, 16, True, "ACTIVE"),
    ]  # fmt: skip
    # the second flow of the same map has no SA at all: no outbound SPI, no packets
    assert (b.local_ident.address, b.outbound_spi, b.encaps, b.sas) == ("40.40.40.0", 0, 0, ())
    assert len(c.inbound) == 1 and len(c.outbound) == 1  # "outbound esp sas:" then a blank line
    assert a.line_of("send_errors").text == "#send errors 0, #recv errors 0"
    assert a.sas[0].line_of("status").text == "Status: ACTIVE(ACTIVE)"
    (t,) = tables(fs, "ipsec-sa-table")
    assert (t.rows, t.filter) == (3, None)


def test_ios_detail_counters_and_esn() -> None:
    fs = facts("R1#show crypto ipsec sa detail\n" + body("show-ipsec-sa-detail-genie-1.txt"))
    (f,) = flows(fs)
    assert (
        f.encaps,
        f.decaps,
        f.decrypt,
        f.no_sa_send,
        f.invalid_sa,
        f.replay_failed,
        f.verify_failed,
        f.encaps_failed,
        f.decaps_failed,
    ) == (4, 12, 915, 0, 0, 0, 0, 0, 0)
    assert f.counters["pkts_internal_err_recv"] == 0 and f.counters["pkts_tagged_send"] == 0
    assert f.line_of("replay_failed").text.strip() == "##pkts replay failed (rcv): 0"
    assert [(s.settings, s.mode, s.remaining_kb, s.remaining_seconds) for s in f.sas] == [
        (("Tunnel", "esn"), "tunnel", 3, 92), (("Tunnel", "esn"), "tunnel", 0, 92)
    ]  # fmt: skip
    assert tables(fs, "ipsec-sa-table")[0].filter is None  # "detail" is a layout word


def test_ios_peer_filter_pfs_and_time_only_lifetime() -> None:
    fs = facts("R1#show crypto ipsec sa peer 17.0.1.1\n" + body("show-ipsec-sa-peer-genie.txt"))
    (f,) = flows(fs)
    assert (f.vrf, f.local_ident.protocol, f.encaps, f.decaps, f.pfs, f.pfs_group) == (
        "VRF_CLOUD_11", 47, None, 768, True, "group20"
    )  # fmt: skip
    assert [(s.transform, s.remaining_kb, s.remaining_seconds, s.replay_detection) for s in
            f.sas] == [(("esp-gcm", "256"), None, 4200, False)] * 2  # fmt: skip
    assert tables(fs, "ipsec-sa-table")[0].filter == "peer 17.0.1.1"


def test_asa_remote_access_and_l2l_with_nat_t() -> None:
    fs = facts("asa# show crypto ipsec sa\n" + body("show-ipsec-sa-asa-ntc.txt"))
    ra, colo2, colo3 = flows(fs)
    assert (ra.interface, ra.crypto_map, ra.local_addr, ra.peer, ra.dynamic_peer, ra.decaps,
            ra.outbound_spi) == (
        "outside2", "def", "10.132.0.17", "172.20.0.21", "10.135.1.5", 1145, 0xDC15BF68
    )  # fmt: skip
    assert ra.counters["pre_frag_successes"] == 2 and ra.counters["pmtus_sent"] == 5
    assert [(s.settings, s.conn_id, s.slot, s.crypto_map, s.remaining_seconds) for s in ra.sas] == [
        (("RA", "Tunnel"), 3, 0, "def", 548)
    ] * 2  # fmt: skip
    assert (colo2.map_seq, colo2.acl, colo2.local_endpoint_port, colo2.remote_endpoint,
            colo2.remote_endpoint_port, colo2.ipsec_overhead, colo2.inbound_spi, colo2.nat_t) == (
        2,
        "access-list 2 extended permit ip 172.16.122.32 255.255.255.240 host 172.30.1.153",
        4500, "8.8.8.8", 4500, 82, 0x32F752FF, True,
    )  # fmt: skip
    s = colo2.sas[0]
    assert (s.status, s.settings, s.ike_version, s.transform, s.remaining_kb) == (
        "ACTIVE", ("L2L", "Tunnel", "NAT-T-Encaps", "IKEv1"), "v1",
        ("esp-aes-256", "esp-md5-hmac", "no", "compression"), 2699423,
    )  # fmt: skip
    assert (colo3.interface, colo3.map_seq, colo3.local_addr, colo3.nat_t, colo3.encaps) == (
        "COLO", 3, "172.20.248.119", False, 0
    )  # fmt: skip
    assert tables(fs, "ipsec-sa-table")[0].rows == 3


def test_asa_peer_heading_abbreviated_command() -> None:
    fs = facts(body("show-ipsec-sa-peer-asa-bos-fw1a.txt"))
    (f,) = flows(fs)
    assert (f.peer_filter, f.interface, f.crypto_map, f.map_seq, f.peer, f.encaps, f.decaps) == (
        "24.15.14.61", None, "cmap-n0-trans", 1, "24.15.14.61", 72, 59
    )  # fmt: skip
    assert [s.spi for s in f.sas] == [0x539AD11C, 0xD6772CD4]  # bitmap words skipped
    (t,) = tables(fs, "ipsec-sa-table")
    assert (t.device, t.filter) == ("bos-fw1a", "peer 24.15.14.61")


def test_seed_ios_sample_cut_at_every_value() -> None:
    fs = facts("R1#show crypto ipsec sa\n" + body("show-ipsec-sa-seed004-ios.txt"))
    (f,) = flows(fs)
    assert (f.interface, f.crypto_map, f.local_addr, f.peer) == (
        "FastEthernet0", "test", "10.1.0.1", "10.1.0.2"
    )  # fmt: skip
    assert (f.local_ident.address, f.remote_ident.address, f.send_errors, f.encaps) == (
        "10.1.0.0", "10.1.1.0", 1, 7767918
    )  # fmt: skip
    assert f.outbound_spi == 0x3D3
    assert [(s.direction, s.protocol, s.spi, s.transform, s.settings, s.conn_id, s.remaining_kb)
            for s in f.sas] == [
        ("inbound", "ESP", 0x136A010F, ("esp-3des", "esp-md5-hmac"), ("Tunnel",), 3442, 4608000),
        ("outbound", "ESP", 0x3D3, ("esp-3des", "esp-md5-hmac"), ("Tunnel",), 3443, 4608000),
    ]  # fmt: skip


def test_seed_pix_sample() -> None:
    fs = facts("PIX# show crypto ipsec sa\n" + body("show-ipsec-sa-seed004-pix.txt"))
    (f,) = flows(fs)
    assert (f.peer, f.dynamic_peer, f.flags, f.digest, f.outbound_spi, f.ipsec_overhead) == (
        "10.2.1.1", "10.1.0.2", (), 0, 0x9A46ECAE, 56
    )  # fmt: skip
    assert [(s.direction, s.spi, s.mode, s.remaining_seconds) for s in f.sas] == [
        ("inbound", 84646069, "tunnel", 21), ("outbound", 2588339374, "tunnel", 21)
    ]  # fmt: skip


def test_paste_one_way_traffic_and_paging_between_devices() -> None:
    fs = facts(body("paste-asa1-hub-rtr.txt"))
    asa, hub = flows(fs)
    assert (asa.device, asa.vrf, asa.encaps, asa.decaps, asa.counters["pkts_not_offload_decrypted"]) == (
        "ASA1", "Global", 14, 0, 0
    )  # fmt: skip
    assert (hub.device, hub.peer, hub.outbound_spi, hub.sas) == ("Hub-RTR", "203.0.113.10", 0, ())
    assert [(t.device, t.rows, t.filter) for t in tables(fs, "ipsec-sa-table")] == [
        ("ASA1", 1, None), ("Hub-RTR", 1, "peer 203.0.113.20")
    ]  # fmt: skip


def test_annotated_counter_line_and_truncated_output() -> None:
    fs = facts(body("paste-spoke2-send-errors.txt"))
    (f,) = flows(fs)
    assert (f.send_errors, f.recv_errors, f.encaps) == (15, 0, 0)
    # cut in the middle of an SA: the flow and the SA read so far are kept
    text = body("show-ipsec-sa-genie.txt").split("IV size: 16 bytes")[0]
    fs = facts("R1#show crypto ipsec sa\n" + text)
    (f,) = flows(fs)
    (sa,) = f.sas
    assert (sa.spi, sa.remaining_seconds, sa.iv_size) == (1703902225, 83191, None)


def test_course_notes_with_typos() -> None:
    fs = facts(body("show-crypto-hmchen-phase2-bad.txt"))
    (f,) = flows(fs)
    assert (f.peer, f.peer_port, f.pfs, f.recv_errors, f.counters["pkts_errors"]) == (
        "25.2.2.2",
        500,
        False,
        5,
        5,
    )  # "current-peer", "FPS (Y/N)", "#pkts errros 5" as published
    assert f.remote_ident.mask == "255.255.255.255"


def test_empty_and_rejected_ipsec_output() -> None:
    fs = facts("R1#show crypto ipsec sa\nR1#show crypto ipsec sa peer 9.9.9.9\n"
               "% No matching SA found\nR1#")  # fmt: skip
    (t,) = tables(fs, "ipsec-sa-table")
    assert (t.rows, t.ev.line) == (0, 1)
    (u,) = of(fs, Unparsed)
    assert (u.family, u.ev.line) == ("ipsec-sa", 3)


# -- show crypto map -----------------------------------------------------------------------------


def test_crypto_map_incomplete_entry_without_interface() -> None:
    fs = facts("R1#show crypto map\n" + body("show-crypto-map-genie-1.txt"))
    (m,) = of(fs, CryptoMapEntry)
    assert (m.name, m.seq, m.ip_version, m.mode, m.incomplete, m.peers, m.acl, m.lifetime_kb,
            m.lifetime_seconds, m.pfs, m.responder_only, m.interfaces) == (
        "VPN_To_Switch2", 1, "IPv4", "ipsec-isakmp", True, ("172.20.249.12",), "101", 4608000,
        3600, False, False, (),
    )  # fmt: skip
    assert m.transform_sets == (
        TransformSet(name="default", transforms=("esp-aes", "esp-sha-hmac")),
    )
    assert m.line_of("incomplete").text.strip().startswith("WARNING: This crypto map")


def test_crypto_map_two_peers_ikev2_profile_interface() -> None:
    fs = facts("R1#show crypto map\n" + body("show-crypto-map-genie-2.txt"))
    (m,) = of(fs, CryptoMapEntry)
    assert (m.peers, m.current_peer, m.ikev2_profile, m.interfaces, m.incomplete) == (
        ("172.20.249.12", "172.20.249.3"), "172.20.249.12", "ikev2profile", ("Vlan1",), False
    )  # fmt: skip
    assert m.transform_sets[0].name == "aes256-sha1"


def test_crypto_map_manual_ipv6_two_interfaces() -> None:
    fs = facts("R1#show crypto map\n" + body("show-crypto-map-genie-4-ipv6.txt"))
    (m,) = of(fs, CryptoMapEntry)
    assert (m.ip_version, m.mode, m.peers, m.acl, m.interfaces) == (
        "IPv6", "ipsec-manual", ("2001::1",), None,
        ("TwoGigabitEthernet2/0/17", "TwoGigabitEthernet2/0/19"),
    )  # fmt: skip


def test_crypto_map_acl_lines_and_pfs_group() -> None:
    fs = facts(body("show-crypto-hmchen-debugipsec.txt"))
    (m,) = of(fs, CryptoMapEntry)
    assert (m.name, m.seq, m.acl, m.acl_lines, m.pfs, m.dh_group, m.interfaces) == (
        "Demo-MAP", 10, "Crypto-ACL",
        ("access-list Crypto-ACL permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255",),
        True, "group15", ("GigabitEthernet0/1",),
    )  # fmt: skip
    assert m.transform_sets == (
        TransformSet(name="Demo-SET", transforms=("esp-aes", "esp-sha384-hmac")),
    )
    assert m.line_of("acl_lines").text.strip().startswith("access-list Crypto-ACL permit")


# -- show crypto isakmp policy -------------------------------------------------------------------


def policies(fs: list) -> list[tuple]:
    return [(p.priority, p.default, p.encryption, p.key_bits, p.hash, p.auth, p.dh_group,
             p.lifetime) for p in of(fs, IsakmpPolicy)]  # fmt: skip


def test_policy_and_default_suite() -> None:
    fs = facts(body("show-isakmp-policy-router.txt"))
    assert policies(fs) == [
        (10, False, "aes", 128, "sha", "pre-share", 2, 86400),
        (65535, True, "des", 56, "sha", "rsa-sig", 1, 86400),
    ]
    p = of(fs, IsakmpPolicy)[0]
    assert p.encryption_text == "AES - Advanced Encryption Standard (128 bit keys)."
    assert p.line_of("dh_group").text.strip() == "Diffie-Hellman group:   #2 (1024 bit)"
    assert tables(fs, "isakmp-policy-table")[0].rows == 2


def test_policy_default_only_with_blank_lines_between_fields() -> None:
    fs = facts(body("show-isakmp-policy-default-blank-lines.txt"))
    assert policies(fs) == [(65535, True, "des", 56, "sha", "rsa-sig", 1, 86400)]


def test_policy_sha256_key_length_from_indented_notes() -> None:
    fs = facts(body("show-crypto-hmchen-debugipsec.txt"))
    assert policies(fs) == [(5, False, "aes", 192, "sha256", "pre-share", 5, 5000)]


# -- show crypto engine connections active -------------------------------------------------------


def engines(fs: list) -> list[tuple]:
    return [(e.device, e.conn_id, e.type, e.interface, e.ip, e.algorithm, e.encrypt, e.decrypt)
            for e in of(fs, EngineConnection)]  # fmt: skip


def test_engine_before_and_after_traffic_ike_row_without_address() -> None:
    fs = facts(body("show-engine-gm1-getvpn.txt"))
    rows = engines(fs)
    assert rows[:4] == [
        ("GM-1", 1, "IPsec", None, "172.16.0.0", "3DES+MD5", 0, 0),
        ("GM-1", 2, "IPsec", None, "172.16.0.0", "3DES+MD5", 0, 0),
        ("GM-1", 1001, "IKE", None, "202.100.2.1", "SHA+DES", 0, 0),
        ("GM-1", 1002, "IKE", None, None, "SHA+AES256", 0, 0),
    ]
    assert [(r[1], r[6], r[7]) for r in rows[4:6]] == [(1, 0, 100), (2, 100, 0)]
    assert [t.rows for t in tables(fs, "engine-table")] == [4, 4]
    assert of(fs, EngineConnection)[0].ipsec and not of(fs, EngineConnection)[2].ipsec


def test_engine_with_interface_column() -> None:
    fs = facts(body("show-engine-git-a.txt"))
    assert engines(fs) == [
        ("GIT-A", 1, "IPsec", "Se1/0.10", "100.100.100.1", "AES+SHA", 0, 9),
        ("GIT-A", 2, "IPsec", "Se1/0.10", "100.100.100.1", "AES+SHA", 9, 0),
        ("GIT-A", 1001, "IKE", "Se1/0.10", "100.100.100.1", "MD5+AES", 0, 0),
    ]


def test_engine_only_ike_no_ipsec_sa() -> None:
    fs = facts(body("show-crypto-hmchen-phase2-bad.txt"))
    (e,) = of(fs, EngineConnection)
    assert (e.conn_id, e.type, e.ipsec, e.last_seq) == (1001, "IKE", False, 0)
    assert [t.rows for t in tables(fs, "engine-table")] == [1]


def test_engine_old_layout_with_state_column() -> None:
    text = ("R1#show crypto engine connections active\n"
            "  ID Interface            IP-Address      State  Algorithm           Encrypt  Decrypt\n"
            "   1 FastEthernet0/0      10.1.0.1        set    HMAC_MD5+DES_56_CB        0        0\n"
            "2000 FastEthernet0/0      10.1.0.1        set    HMAC_SHA+3DES_56_C        0       19\n")  # fmt: skip
    rows = of(facts(text), EngineConnection)
    assert [(e.conn_id, e.interface, e.state, e.decrypt, e.ipsec) for e in rows] == [
        (1, "FastEthernet0/0", "set", 0, True), (2000, "FastEthernet0/0", "set", 19, True)
    ]  # fmt: skip


# -- every fixture: fast mode and CRLF -----------------------------------------------------------

PROMPTED = {
    "show-isakmp-sa-genie.txt": "R1#show crypto isakmp sa\n",
    "show-isakmp-sa-detail-genie.txt": "R1#show crypto isakmp sa detail\n",
    "show-isakmp-sa-seed004.txt": "PIX# show crypto isakmp sa\n",
    "show-ikev1-sa-detail-asa-ntc.txt": "asa# show crypto ikev1 sa detail\n",
    "show-ipsec-sa-genie.txt": "R1#show crypto ipsec sa\n",
    "show-ipsec-sa-asa-ntc.txt": "asa# show crypto ipsec sa\n",
    "show-ipsec-sa-seed004-ios.txt": "R1#show crypto ipsec sa\n",
    "show-ikev2-sa-detail-genie-3.txt": "R1#show crypto ikev2 sa detailed\n",
    "show-ikev2-sa-asa-genie-1.txt": "asa# show crypto ikev2 sa\n",
    "show-crypto-session-detail-genie-3-down.txt": "R1#show crypto session detail\n",
    "show-crypto-map-genie-2.txt": "R1#show crypto map\n",
}
WITH_PROMPTS = sorted(
    p.name
    for p in CISCO.glob("*.txt")
    if p.name.startswith(("show-", "paste-")) and p.name not in PROMPTED
    and "#" in body(p.name).split("\n", 3)[0] + body(p.name).split("\n", 3)[1]
)  # fmt: skip


def _key(fs: list) -> list[tuple]:
    return [(type(f).__name__, f.ev.line, f.ev.text, getattr(f, "device", None)) for f in fs]


@pytest.mark.parametrize("name", sorted(PROMPTED) + WITH_PROMPTS)
def test_fast_mode_and_crlf_read_the_same(name: str) -> None:
    text = PROMPTED.get(name, "") + body(name)
    full = facts(text)
    assert len(full) >= 2
    assert _key(full) == _key(facts(text, "fast"))
    assert full == facts(text.replace("\n", "\r\n"))
