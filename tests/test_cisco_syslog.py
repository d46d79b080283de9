"""Cisco syslog messages: IOS ``%CRYPTO-*`` / ``%IPSEC-*`` / ``%IKEV2-*``, crypto hardware
(``HW_VPN``, ``C1700_EM``, ``MOTCR``) and ASA/PIX ``%ASA-n-<id>`` (``parsers/cisco/syslog.py``).

Fixtures (tests/fixtures/cisco/syslog-*.txt; the first line of each names its source):

* ``syslog-seed-*``: every log sample of seed 004, copied from its code blocks (the "%CRPTO"
  typo, the "%PIX|ASA" facility, the wrapped lines and the syslog-server prefixes as printed);
* the others: real logs published elsewhere, verbatim: an ASA against AWS, ASA 402116 twice,
  IOS invalid SPI in four shapes (HSRP failover, DMVPN, a syslog-ng test case with priority,
  sequence number and host name, a forum copy), IKMP_NO_SA glued to ping output, EzVPN,
  ``show logging`` with an indented continuation line, a PIX line kept by a syslog server.

Messier variants (priorities, sequence numbers, server prefixes, CRLF, 80-column wraps, several
devices, other facilities around, hostile lines) are built below from these lines; message
formats not found in a published log are written from the Cisco message guides and say so.
"""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES, fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Signal, Unparsed
from ipsec_doctor.parsers.cisco.syslog import SyslogParser, find_peer, split_header

MODES = ("full", "fast")


def signals(text: str, mode: str = "full") -> list[Signal]:
    facts = scan_text(text, "log.txt", mode=mode)
    return [f for f in facts if isinstance(f, Signal) and f.vendor == "cisco"]


def syslog_signals(text: str, mode: str = "full") -> list[Signal]:
    return [s for s in signals(text, mode) if s.family == "syslog"]


def brief(s: Signal) -> tuple:
    return (s.ev.line, s.kind, s.reason, s.peer, s.code)


EXPECTED: dict[str, list[tuple]] = {
    # (line, kind, reason, peer, code); line 1 of every fixture is its source comment
    "syslog-seed-replay.txt": [(2, "alarm", "PKT_REPLAY_ERR", None, None)],
    "syslog-seed-sanity-check.txt": [
        (2, "ike-failure", "IKMP_BAD_MESSAGE", "198.51.100.1", None),
    ],
    "syslog-seed-invalid-spi.txt": [(2, "alarm", "asa-402101", None, 402101)],
    "syslog-seed-hmac.txt": [
        (5, "alarm", "motcr_crypto_callback() motcr return failure", None, None),
        (11, "alarm", "hmac verification failed", None, None),
    ],
    "syslog-seed-hw-vpn.txt": [
        (2, "alarm", "packet encryption/decryption error", None, None),
        (4, "alarm", "packet encryption/decryption error", None, None),
    ],
    "syslog-seed-esp-sequence.txt": [(2, "alarm", "esp sequence fail", None, None)],
    "syslog-asa-aws-crypto-map.txt": [
        (2, "state", "asa-713119", "77.88.99.100", 713119),
        (3, "ike-failure", "asa-713061", "77.88.99.100", 713061),
        (4, "ike-failure", "asa-713902", "77.88.99.100", 713902),
        (5, "ike-failure", "asa-713902", "77.88.99.100", 713902),
        (6, "teardown", "asa-713259", "77.88.99.100", 713259),
        (7, "teardown", "asa-113019", "77.88.99.100", 113019),
    ],
    "syslog-asa-402116-proxy.txt": [
        (2, "alarm", "asa-402116", "93.184.216.34", 402116),
        (4, "alarm", "asa-402116", None, 402116),  # the addresses were stripped
    ],
    "syslog-ios-inv-spi-hsrp.txt": [(5, "alarm", "RECVD_PKT_INV_SPI", "1.1.56.6", None)],
    "syslog-ios-inv-spi-dmvpn.txt": [
        (3, "alarm", "RECVD_PKT_INV_SPI", "161.132.38.201", None),
    ],
    "syslog-ios-inv-spi-syslog-ng.txt": [
        (2, "alarm", "RECVD_PKT_INV_SPI", "150.3.1.3", None),
    ],
    "syslog-ios-no-sa-forum.txt": [
        (2, "ike-failure", "IKMP_NO_SA", "10.10.10.10", None),
        (4, "alarm", "RECVD_PKT_INV_SPI", "10.10.10.10", None),
    ],
    "syslog-ios-no-sa-ping.txt": [(7, "ike-failure", "IKMP_NO_SA", "203.0.113.10", None)],
    "syslog-ios-ezvpn.txt": [
        (2, "state", "ISAKMP_ON_OFF", None, None),
        (3, "ike-failure", "IKMP_NO_SA", "10.1.1.1", None),
        (4, "state", "EZVPN_CONNECTION_UP", None, None),
    ],
    "syslog-ios-show-logging-replay.txt": [(9, "alarm", "PKT_REPLAY_ERR", None, None)],
    "syslog-pix-no-sa-invalid-spi.txt": [
        (2, "debug", "asa-713904", "78.186.68.163", 713904),
        (4, "alarm", "asa-402101", None, 402101),
    ],
}
# messages without ike/ipsec/isakmp (fast mode reads them only inside an open block)
# Lines fast mode does not read: a tag quoted without its "%" at the start of a line (seed 004
# prose); every "%"-tagged VPN message is a candidate, keyword or not (ingest/candidates.py).
FULL_ONLY = {
    "syslog-seed-hw-vpn.txt": [2],
}


def test_every_fixture_is_listed() -> None:
    names = {p.name for p in FIXTURES.joinpath("cisco").glob("syslog-*.txt")}
    assert names == set(EXPECTED)
    assert len([n for n in names if not n.startswith("syslog-seed-")]) >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_signals(name: str) -> None:
    got = syslog_signals(fixture_text(f"cisco/{name}"))
    assert [brief(s) for s in got] == EXPECTED[name]
    assert signals(fixture_text(f"cisco/{name}")) == got  # no debug facts from log lines


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fast_mode_reads_the_same_except_a_tag_without_its_percent(name: str) -> None:
    text = fixture_text(f"cisco/{name}")
    full = [brief(s) for s in syslog_signals(text, "full")]
    fast = [brief(s) for s in syslog_signals(text, "fast")]
    lost = FULL_ONLY.get(name, [])
    assert fast == [b for b in full if b[0] not in lost]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixtures_leave_nothing_unparsed(name: str) -> None:
    for mode in MODES:
        facts = scan_text(fixture_text(f"cisco/{name}"), name, mode=mode)
        assert not [f for f in facts if isinstance(f, Unparsed)], mode


def test_fixture_fields() -> None:
    aws = syslog_signals(fixture_text("cisco/syslog-asa-aws-crypto-map.txt"))
    assert {s.time for s in aws} == {"2014-12-04 12:37:51"}
    assert aws[1].detail == (
        "Group = 77.88.99.100, IP = 77.88.99.100, Rejecting IPSec tunnel: no matching crypto map "
        "entry for remote proxy 0.0.0.0/0.0.0.0/0/0 local proxy 0.0.0.0/0.0.0.0/0/0 on interface "
        "OUTSIDE"
    )
    assert aws[2].detail.endswith("QM FSM error (P2 struct &0x00007fff33763a70, mess id 0x2c44baec)")
    assert [s.version for s in aws] == ["v1"] * 5 + [None]
    (ng,) = syslog_signals(fixture_text("cisco/syslog-ios-inv-spi-syslog-ng.txt"))
    assert (ng.device, ng.time) == ("mydevice.com", "Oct 7 03:10:04")
    (dm,) = syslog_signals(fixture_text("cisco/syslog-ios-inv-spi-dmvpn.txt"))
    assert (dm.device, dm.time) == ("DC-Edge-1", "Apr 23 21:48:19")  # the prompt's device
    (ping,) = syslog_signals(fixture_text("cisco/syslog-ios-no-sa-ping.txt"))
    assert ping.detail.endswith("initialization offer.")  # the ping's "!!!!" is not kept
    (replay,) = syslog_signals(fixture_text("cisco/syslog-ios-show-logging-replay.txt"))
    assert replay.detail == "decrypt: replay check failed connection id=29, sequence number=219"
    assert replay.device == "R1"
    pix, spi = syslog_signals(fixture_text("cisco/syslog-pix-no-sa-invalid-spi.txt"))
    assert pix.device == "172.16.200.253"  # the sender, as the syslog server wrote it
    assert spi.detail.endswith("spi= number")  # the wrapped line is joined
    seed = syslog_signals(fixture_text("cisco/syslog-seed-sanity-check.txt"))[0]
    assert seed.detail == "IKE message from 198.51.100.1 failed its sanity check or is malformed"
    assert seed.time == "1d00h"


def test_syslog_lines_inside_debug_fixtures() -> None:
    (spi,) = syslog_signals(fixture_text("cisco/debug-iosxe-isakmp-invalid-spi.txt"))
    assert brief(spi) == (14, "alarm", "RECVD_PKT_INV_SPI", "103.1.1.1", None)
    assert (spi.device, spi.time) == ("HQ", "Oct 24 04:31:10")
    (mode_failure,) = syslog_signals(fixture_text("cisco/debug-seed-main-mode.txt"))
    assert mode_failure.peer == "198.51.100.1" and mode_failure.ev.line == 5
    on_off = syslog_signals(fixture_text("cisco/debug-iosxe-ikev2-no-proposal-auth.txt"))
    assert [(s.reason, s.detail, s.device) for s in on_off] == [
        ("ISAKMP_ON_OFF", "ISAKMP is OFFno shut", "XE-R4"),  # the typed command glued to it
        ("ISAKMP_ON_OFF", "ISAKMP is ON", "XE-R4"),
    ]


def test_every_log_sample_of_seed_004(seeds) -> None:
    text = (seeds / "004_23202ac4529e1698.txt").read_text(encoding="utf-8")
    got = {s.ev.line: s.reason for s in syslog_signals(text)}
    assert got == {
        466: "PKT_REPLAY_ERR",
        505: "IKMP_BAD_MESSAGE",
        517: "IKMP_MODE_FAILURE",
        620: "asa-402101",
        766: "motcr_crypto_callback() motcr return failure",
        776: "hmac verification failed",
        797: "packet encryption/decryption error",
        813: "packet encryption/decryption error",
        833: "esp sequence fail",
    }


# -- messy variants -----------------------------------------------------------------------------

# the DMVPN line above, behind every header style
INV_SPI = (
    "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for "
    "destaddr=103.163.246.69, prot=50, spi=0x136D8924(325945636), srcaddr=161.132.38.201, "
    "input interface=Ethernet0/1"
)
HEADERS = [
    ("*Apr 23 21:48:19.495: ", "Apr 23 21:48:19", None),
    (".Apr 23 21:48:19.495 UTC: ", "Apr 23 21:48:19", None),
    ("Apr 23 21:48:19 UTC: ", "Apr 23 21:48:19", None),
    ("000123: *Apr 23 21:48:19.495: ", "Apr 23 21:48:19", None),
    ("000123: Apr 23 2024 21:48:19.495 CEST: ", "2024-04-23 21:48:19", None),
    ("<188>123: DC-Edge-1: *Apr 23 21:48:19.495: ", "Apr 23 21:48:19", "DC-Edge-1"),
    ("<188>Apr 23 21:48:20 10.20.30.40 123: *Apr 23 21:48:19.495: ", "Apr 23 21:48:19",
     "10.20.30.40"),
    ("Apr 23 21:48:20 dc-edge-1.example.net 4711: Apr 23 21:48:19: ", "Apr 23 21:48:19",
     "dc-edge-1.example.net"),
    ("1w2d: ", "1w2d", None),
    ("", None, None),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("head", "stamp", "device"), HEADERS)
def test_header_styles(head: str, stamp: str | None, device: str | None, mode: str) -> None:
    (s,) = syslog_signals(head + INV_SPI + "\n", mode)
    assert brief(s) == (1, "alarm", "RECVD_PKT_INV_SPI", "161.132.38.201", None)
    assert (s.time, s.device) == (stamp, device)
    assert s.detail == INV_SPI.split(": ", 1)[1]


@pytest.mark.parametrize("mode", MODES)
def test_crlf_80_columns_and_several_devices(mode: str) -> None:
    line = "*Apr 23 21:48:19.495: " + INV_SPI
    cut = [line[i : i + 80] for i in range(0, len(line), 80)]
    assert len(cut) == 3
    asa = (
        "Dec 04 2014 12:37:51: %ASA-3-713061: Group = 77.88.99.100, IP = 77.88.99.100, "
        "Rejecting IPSec tunnel: no matching crypto map entry for remote proxy "
        "0.0.0.0/0.0.0.0/0/0 local proxy 0.0.0.0/0.0.0.0/0/0 on interface OUTSIDE"
    )
    text = "\r\n".join(
        ["R1#show logging", *cut, "R1#", "asa1# show logging", *asa_cut(asa), "asa1#"]
    ) + "\r\n"
    got = syslog_signals(text, mode)
    expect = [
        ("R1", "RECVD_PKT_INV_SPI", "161.132.38.201", 2),
        ("asa1", "asa-713061", "77.88.99.100", 7),
    ]
    # (fast mode too: the ASA line's first 80 columns hold no ike/ipsec/isakmp, but its tag is a
    # candidate, and the block it opens joins the wrapped rest)
    assert [(s.device, s.reason, s.peer, s.ev.line) for s in got] == expect
    assert got[0].detail == INV_SPI.split(": ", 1)[1]
    assert got[-1].detail.endswith(("on interface OUTSIDE", "input interface=Ethernet0/1"))


def asa_cut(line: str) -> list[str]:
    return [line[i : i + 80] for i in range(0, len(line), 80)]


@pytest.mark.parametrize("mode", MODES)
def test_asa_prefixes_and_the_vpn_ranges_only(mode: str) -> None:
    text = (
        # ASA 9.x with "logging device-id hostname" / a syslog server's priority
        "<166>Dec 04 2014 12:37:51 asa01 : %ASA-3-713902: Group = 77.88.99.100, IP = "
        "77.88.99.100, QM FSM error (P2 struct &0x00007fff33763a70, mess id 0x2c44baec)!\n"
        "Dec 04 2014 12:37:51 asa01 %ASA-5-713119: Group = 77.88.99.100, IP = 77.88.99.100, "
        "PHASE 1 COMPLETED\n"
        # firewall traffic: not ours (witfoo/syslog-to-artifact sample)
        "<164>Aug 28 2022 19:34:14: %ASA-4-106023: Deny tcp src outside:123.93.187.190/63659 "
        'dst dmz-1:245.194.191.142/8827 by access-group "outside_access_in" [0x0, 0x0]\n'
        # written from the ASA syslog guide formats of 713257, 402120 and 702307
        "Jan 12 2024 10:01:02: %ASA-5-713257: Phase 1 failure: Mismatched attribute types for "
        "class Group Description:  Rcv'd: Group 5  Cfg'd: Group 2\n"
        "Jan 12 2024 10:01:03: %ASA-4-402120: IPSEC: Received an ESP packet (SPI=0x1A2B3C4D, "
        "sequence number=0x15) from 10.0.0.2 (user=10.0.0.2) to 10.0.0.1 that failed "
        "authentication.\n"
        "Jan 12 2024 10:01:04: %ASA-7-702307: IPSEC: An outbound LAN-to-LAN SA (SPI= 0x9C2F5A11) "
        "between 10.0.0.1 and 10.0.0.2 (user= 10.0.0.2) is rekeying due to data rollover.\n"
        "%FTD-4-402119: IPSEC: Received an ESP packet (SPI= 0x1A2B3C4D, sequence number= 0x15) "
        "from 10.0.0.2 (user= 10.0.0.2) to 10.0.0.1 that failed anti-replay checking.\n"
    )
    got = [(s.ev.line, s.kind, s.reason, s.peer, s.device, s.code) for s in syslog_signals(text)]
    assert got == [
        (1, "ike-failure", "asa-713902", "77.88.99.100", "asa01", 713902),
        (2, "state", "asa-713119", "77.88.99.100", "asa01", 713119),
        (4, "state", "asa-713257", None, None, 713257),
        (5, "alarm", "asa-402120", "10.0.0.2", None, 402120),
        (6, "state", "asa-702307", "10.0.0.2", None, 702307),
        (7, "alarm", "asa-402119", "10.0.0.2", None, 402119),
    ]
    mismatch = syslog_signals(text)[2]
    assert mismatch.detail == (
        "Phase 1 failure: Mismatched attribute types for class Group Description: "
        "Rcv'd: Group 5 Cfg'd: Group 2"
    )
    assert mismatch.time == "2024-01-12 10:01:02"


@pytest.mark.parametrize("mode", MODES)
def test_ios_messages_by_meaning(mode: str) -> None:
    # IOS formats from the "Cisco IOS Security Command Reference / System Message Guide"
    text = (
        "*Mar  1 00:10:01.111: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN. "
        "Peer 10.2.2.2:500       Id: 10.2.2.2\n"
        "*Mar  1 00:10:31.111: %CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is UP.  "
        "Peer 10.2.2.2:4500       Id: 10.2.2.2\n"
        "*Mar  1 00:11:01.111: %CRYPTO-5-IKMP_SETUP_FAILURE: IKE SETUP FAILED for local:10.1.1.1 "
        "local_id:10.1.1.1 remote:10.2.2.2 remote_id:10.2.2.2 IKE profile:None fvrf:None "
        "fail_reason:Phase1 proposal mismatch fail_class_cnt:1\n"
        "*Mar  1 00:11:02.111: %CRYPTO-6-IKMP_NOT_ENCRYPTED: IKE packet from 10.2.2.2 was not "
        "encrypted and it should've been.\n"
        "*Mar  1 00:11:03.111: %CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet. "
        "(ip) vrf/dest_addr= /10.1.1.1, src_addr= 10.2.2.2, prot= 1\n"
        "*Mar  1 00:11:04.111: %CRYPTO-6-IKMP_AG_MODE_DISABLED: Unable to initiate or respond to "
        "Aggressive Mode while disabled\n"
        "*Mar  1 00:11:05.111: %IOSXE-3-PLATFORM: R0/0: cpp_cp: QFP:0.0 Thread:002 "
        "TS:00000012345678901234 %IPSEC-3-REPLAY_ERROR: IPSec SA receives anti-replay error, "
        "DP Handle 4, src_addr 10.2.2.2, dest_addr 10.1.1.1, SPI 0x2f4c6e1a\n"
        "*Mar  1 00:11:06.111: %LINK-3-UPDOWN: Interface Tunnel0, changed state to down\n"
        "*Mar  1 00:11:07.111: %IKEV2-5-SA_DOWN: SA DOWN, local 10.1.1.1:500 remote "
        "10.2.2.2:500\n"
    )
    got = [(s.ev.line, s.kind, s.reason, s.peer, s.port, s.version) for s in syslog_signals(text)]
    assert got == [
        (1, "teardown", "SESSION_STATUS", "10.2.2.2", 500, None),
        (2, "state", "IKEV2_SESSION_STATUS", "10.2.2.2", 4500, "v2"),
        (3, "ike-failure", "IKMP_SETUP_FAILURE", "10.2.2.2", None, "v1"),
        (4, "ike-failure", "IKMP_NOT_ENCRYPTED", "10.2.2.2", None, "v1"),
        (5, "alarm", "RECVD_PKT_NOT_IPSEC", "10.2.2.2", None, None),
        (6, "ike-failure", "IKMP_AG_MODE_DISABLED", None, None, "v1"),
        (7, "alarm", "REPLAY_ERROR", "10.2.2.2", None, None),
        (9, "teardown", "SA_DOWN", "10.2.2.2", 500, "v2"),
    ]
    setup = syslog_signals(text)[2]
    assert "fail_reason:Phase1 proposal mismatch" in setup.detail


def test_other_vendors_and_facilities_are_not_taken() -> None:
    for name in ("huawei/debug-v1-proposal.txt", "huawei/debug-usg-faq.txt"):
        assert signals(fixture_text(name)) == []
    p = SyslogParser()
    for line in (
        "Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails.",
        "*Mar  1 00:11:06.111: %LINK-3-UPDOWN: Interface Tunnel0, changed state to down",
        "<164>Aug 28 2022 19:34:14: %ASA-4-106023: Deny tcp src outside:1.2.3.4/1 dst in:5.6.7.8/2",
        "Success rate is 80 percent (4/5), round-trip min/avg/max = 2/3/4 ms",
        "%CRYPTO-4: no mnemonic",
        "100% of the CRYPTO-4-X budget",
    ):
        assert not p.accepts(line), line
    for line in (
        "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=#.",
        "1d00h:%CRPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.1 failed its",
        "%PIX|ASA-4-402101: decaps: recd IPSEC packet has",
        "HW_VPN-1-HPRXERR: Virtual Private Network (VPN) Module0/2: Packet Encryption/Decryption",
        "%MOTCR-1-ERROR:motcr_crypto_callback() motcr return failure",
    ):
        assert p.accepts(line), line


def test_header_and_peer_helpers() -> None:
    h = split_header("<0>91: *Oct 07 03:10:04: mydevice.com %CRYPTO-4-RECVD_PKT_INV_SPI: x")
    assert (h.time, h.device) == ("Oct 7 03:10:04", "mydevice.com")
    h = split_header("Proposal 1: AES-CBC-256 SHA1 SHA96 DH_GROUP_1024_MODP/Group 2")
    assert (h.time, h.device, h.body) == (None, None, 0)  # not a host name and a sequence
    assert find_peer("Processing of Main Mode failed with peer at 198.51.100.1") == (
        "198.51.100.1",
        None,
    )
    assert find_peer("Crypto tunnel is DOWN. Peer 10.1.1.1:500 Id: x") == ("10.1.1.1", 500)
    assert find_peer("an outbound SA between 10.0.0.1 and 10.0.0.2 (user= x)") == ("10.0.0.2", None)
    assert find_peer("no address here") == (None, None)


# -- hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_hostile_lines_are_cheap_and_harmless(mode: str) -> None:
    junk = [
        "%" * 65000,
        "%CRYPTO-4-" + "A" * 65000,
        "%ASA-3-713902: " + "IP = " * 13000,
        "*Mar " * 13000 + "%CRYPTO-4-X: y",
        "<1>" * 20000,
        "%CRYPTO-4-RECVD_PKT_INV_SPI: " + "srcaddr=" * 8000,
        "%CRYPTO-4-IKMP_NO_SA: IKE message from " + "x" * 65000,
        "%ASA-4-402116: IPSEC: " + "between 1 and " * 4000,
    ]
    text = "\n".join(junk * 3) + "\n"
    start = time.perf_counter()
    got = signals(text, mode)
    assert time.perf_counter() - start < 5
    assert all(len(s.reason) <= 200 and (s.detail is None or len(s.detail) <= 200) for s in got)
