"""Cisco debug output: IOS/IOS-XE ``debug crypto isakmp|ipsec|ikev2``, ASA ``debug crypto
ikev1|ikev2`` (``parsers/cisco/debug.py``).

Fixtures (tests/fixtures/cisco/debug-*.txt; the first line of each names its source):

* ``debug-seed-*``: every debug sample of seed 004 (Cisco "understand and use debug commands to
  troubleshoot IPsec"), copied from its code blocks without the Markdown fences;
* the others: real outputs published elsewhere (blogs, lab reports, Cisco guides, notes),
  verbatim, sometimes an excerpt: IOS 12.4 and IOS-XE IKEv1, IOS-XE IKEv2 over IPv6, ASA IKEv1
  and IKEv2, a Cisco VPN solution guide, a training scenario.

Messier variants (every time-stamp style, syslog-server prefixes, CRLF, 80-column wraps, several
devices, interleaved syslog lines, hostile lines) are built in the tests below from these lines.
"""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES, fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Signal, Unparsed
from ipsec_doctor.parsers.cisco.debug import DebugParser

MODES = ("full", "fast")


def signals(text: str, mode: str = "full") -> list[Signal]:
    facts = scan_text(text, "t.txt", mode=mode)
    return [f for f in facts if isinstance(f, Signal) and f.vendor == "cisco"]


def debug_signals(text: str, mode: str = "full") -> list[Signal]:
    return [s for s in signals(text, mode) if s.family == "debug"]


def brief(s: Signal) -> tuple:
    return (s.ev.line, s.kind, s.reason, s.peer, s.detail)


# -- the fixtures, line by line -----------------------------------------------------------------

P1_3DES = "offered encryption 3DES-CBC, hash MD5, group 1, auth pre-share, lifetime 86400"
EXPECTED: dict[str, list[tuple]] = {
    # (line, kind, reason, peer, detail); line 1 of every fixture is its source comment
    "debug-seed-ios-isakmp-ok.txt": [],  # the policy is accepted
    "debug-seed-ios-ipsec-ok.txt": [],  # the proposal is accepted, SAs created
    "debug-seed-pix-isakmp.txt": [],  # transform 1 and proposal 1 refused, the next ones taken
    "debug-seed-pix-ipsec.txt": [],
    "debug-seed-invalid-local-address.txt": [
        (2, "debug", "invalid local address", None, "local address 10.2.0.2"),
    ],
    "debug-seed-main-mode.txt": [(2, "debug", "atts are not acceptable", None, None)],
    "debug-seed-proxy-identities.txt": [
        (2, "debug", "proxy identities not supported", None, None),
    ],
    "debug-seed-transform-proposal.txt": [
        (2, "debug", "transform proposal not supported", None, "port 3, trans 2, hmac_alg 2"),
    ],
    "debug-seed-no-cert.txt": [
        (2, "debug", "no cert and no keys with remote peer", "198.51.100.2", None),
    ],
    "debug-seed-peer-not-found.txt": [
        (9, "debug", "peer address not found", "198.51.100.6", "peer address 198.51.100.6"),
    ],
    "debug-seed-invalid-proxy-ids.txt": [(2, "debug", "invalid proxy ids", None, None)],
    "debug-seed-hash-policy.txt": [
        (
            17,
            "debug",
            "hash algorithm offered does not match policy",
            "203.0.113.22",
            f"hash: offered MD5, policy priority 1; {P1_3DES}",
        ),
        (
            37,
            "debug",
            "encryption algorithm offered does not match policy",
            "203.0.113.22",
            f"encryption: offered 3DES-CBC, policy priority 65535; {P1_3DES}",
        ),
    ],
    "debug-seed-7600.txt": [(2, "debug", "crypto engine cannot handle more", None, None)],
    "debug-seed-icmp-mtu.txt": [
        (n, "debug", "mtu exceeded", None, "dst (172.16.1.56): frag. needed and DF set")
        for n in (6, 8, 10, 12, 14)
    ],
    # IOS 12.4: policy 3 refused, policy 5 accepted (no failure), then the peer refuses phase 2
    # (PROPOSAL_NOT_CHOSEN for protocol 3, ESP, after IKE_P1_COMPLETE)
    "debug-ios-encryption-mismatch-pfs.txt": [
        (
            133,
            "debug",
            "ipsec sa proposal not acceptable",
            "77.77.77.77",
            "NO_PROPOSAL_CHOSEN received in quick mode",
        ),
    ],
    "debug-ios-aswan-transform-set.txt": [],
    "debug-iosxe-courseiva-no-offers.txt": [
        (
            10,
            "debug",
            "atts are not acceptable",
            "192.168.1.1",
            "transform 1 vs priority 10 policy; "
            "offered encryption DES-CBC, hash SHA, group 2, auth pre-share",
        ),
    ],
    # the CHILD_SA offered in IKE_AUTH is refused (the IKE SA itself is up)
    "debug-iosxe-ikev2-no-proposal-auth.txt": [
        (
            65,
            "debug",
            "ipsec sa proposal not acceptable",
            "FC00:123:123:123::1",
            "NO_PROPOSAL_CHOSEN received in IKE_AUTH",
        ),
    ],
    "debug-iosxe-ikev2-policy-lab.txt": [
        (
            2,
            "debug",
            "encryption algorithm offered does not match policy",
            None,
            "encryption: offered AES-CBC-128, policy AES-CBC-256",
        ),
        (6, "debug", "Auth exchange failed", None, None),
    ],
    "debug-asa-ikev2-policy-mismatch.txt": [
        (
            9,
            "debug",
            "atts are not acceptable",
            None,
            "prf: offered SHA1, policy SHA384; integrity: offered SHA96, policy SHA384; "
            "group: offered 2, policy 24",
        ),
    ],
    "debug-asa-ikev2-azure.txt": [(3, "debug", "atts are not acceptable", None, None)],
    "debug-asa-ikev2-cert-auth.txt": [
        (2, "debug", "Auth exchange failed", None, None),
        (3, "debug", "Unsupported cert encoding found or Peer requested", None, None),
    ],
    "debug-asa-ikev1-qm-fsm.txt": [
        row
        for n in (2, 5, 8, 11)
        for row in (
            (n, "debug", "qm fsm error", "172.16.0.2", None),
            (
                n + 2,
                "teardown",
                "no matching crypto map entry",
                "172.16.0.2",
                "Session is being torn down. Reason: crypto map policy not found",
            ),
        )
    ],
    "debug-asa-ikev1-notes.txt": [
        (
            3,
            "debug",
            "No crypto map bound to interface... dropping pkt",
            "206.54.167.110",
            None,
        ),
        (
            10,
            "debug",
            "atts are not acceptable",
            "206.54.167.110",
            "All SA proposals found unacceptable",
        ),
        (18, "debug", "no matching crypto map entry", "206.54.167.110", None),
    ],
    "debug-iosxe-isakmp-invalid-spi.txt": [],  # only the syslog line (test_cisco_syslog.py)
}
# The messages that carry none of the fast mode's keywords (ike, ipsec, isakmp) are read in
# full mode only, unless they follow a line that keeps a block open.
FULL_ONLY = {
    "debug-seed-7600.txt": [2],
    "debug-seed-icmp-mtu.txt": [6, 8, 10, 12, 14],
}


def test_every_fixture_is_listed() -> None:
    names = {p.name for p in FIXTURES.joinpath("cisco").glob("debug-*.txt")}
    assert names == set(EXPECTED)
    assert len([n for n in names if not n.startswith("debug-seed-")]) >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_signals(name: str) -> None:
    got = debug_signals(fixture_text(f"cisco/{name}"))
    assert [brief(s) for s in got] == EXPECTED[name]
    assert all(s.vendor == "cisco" and s.family == "debug" for s in got)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fast_mode_reads_the_same_except_keywordless_messages(name: str) -> None:
    text = fixture_text(f"cisco/{name}")
    full = [brief(s) for s in signals(text, "full")]
    fast = [brief(s) for s in signals(text, "fast")]
    lost = FULL_ONLY.get(name, [])
    assert fast == [b for b in full if b[0] not in lost]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixtures_leave_nothing_unparsed(name: str) -> None:
    for mode in MODES:
        facts = scan_text(fixture_text(f"cisco/{name}"), name, mode=mode)
        assert not [f for f in facts if isinstance(f, Unparsed)], mode


def test_fixture_fields() -> None:
    (s,) = debug_signals(fixture_text("cisco/debug-iosxe-ikev2-no-proposal-auth.txt"))
    assert (s.device, s.version) == ("XE-R4", "v2")  # the prompt names the device
    qm = debug_signals(fixture_text("cisco/debug-asa-ikev1-qm-fsm.txt"))
    assert [s.time for s in qm[:2]] == ["Nov 8 07:10:05", "Nov 8 07:10:05"]
    assert {s.version for s in qm} == {"v1"}
    (p,) = debug_signals(fixture_text("cisco/debug-asa-ikev2-policy-mismatch.txt"))
    # cited from "Failed to find a matching policy", with the proposal lines as extra evidence
    assert p.ev.text.endswith("Failed to find a matching policy")
    assert [e.line for e in p.extra] == [3, 4, 5, 6, 7, 8, 11]
    hashed = debug_signals(fixture_text("cisco/debug-seed-hash-policy.txt"))
    assert hashed[0].ev.text == "Hash algorithm offered does not match policy!"


# -- the raw reference document -----------------------------------------------------------------

SEED004 = "004_23202ac4529e1698.txt"
# seed line -> reason: every debug/error sample of the document, nothing from its prose
SEED_DEBUG = {
    490: "invalid local address",
    514: "atts are not acceptable",
    539: "proxy identities not supported",
    560: "transform proposal not supported",
    589: "no cert and no keys with remote peer",
    611: "peer address not found",
    691: "hash algorithm offered does not match policy",
    725: "encryption algorithm offered does not match policy",
    896: "crypto engine cannot handle more",
    1375: "mtu exceeded",
    1377: "mtu exceeded",
    1379: "mtu exceeded",
    1381: "mtu exceeded",
    1383: "mtu exceeded",
}


def test_every_debug_sample_of_seed_004(seeds) -> None:
    text = (seeds / SEED004).read_text(encoding="utf-8")
    got = {s.ev.line: s for s in debug_signals(text)}
    assert {n: s.reason for n, s in got.items()} == SEED_DEBUG
    assert got[611].peer == "198.51.100.6"
    assert got[589].peer == "198.51.100.2"
    # in the raw document Markdown fences split the check: the offered values are still read
    assert got[691].detail.startswith("hash: offered MD5, policy priority 1; offered")
    fast = {s.ev.line for s in debug_signals(text, "fast")}
    assert fast == set(SEED_DEBUG) - {896, 1375, 1377, 1379, 1381, 1383}


# -- proposal checks ----------------------------------------------------------------------------

# IOS 15 wording (as in the tunupgh.github.io trace above) with a DH group refused
DH_REFUSED = [
    "ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy",
    "ISAKMP:      encryption AES-CBC",
    "ISAKMP:      keylength of 256",
    "ISAKMP:      hash SHA",
    "ISAKMP:      default group 14",
    "ISAKMP:      auth pre-share",
    "ISAKMP:(0):Diffie-Hellman group offered does not match policy!",
    "ISAKMP:(0):atts are not acceptable. Next payload is 0",
    "ISAKMP:(0):no offers accepted!",
    "ISAKMP:(0): phase 1 SA policy not acceptable! (local 10.1.1.1 remote 10.2.2.2)",
]
DH_DETAIL = (
    "group: offered 14, policy priority 10; "
    "offered encryption AES-CBC, keylength 256, hash SHA, group 14, auth pre-share"
)


@pytest.mark.parametrize("mode", MODES)
def test_a_refused_group_names_the_offered_value(mode: str) -> None:
    (s,) = debug_signals("\n".join(DH_REFUSED) + "\n", mode)
    assert brief(s) == (
        7,
        "debug",
        "dh group offered does not match policy",
        "10.2.2.2",  # from the verdict "(local A remote B)"
        DH_DETAIL,
    )
    assert s.version == "v1"


# every header style in front of every line: the facts do not change, the time is read
HEADERS = [
    ("*Mar  1 00:03:43.339: ", "Mar 1 00:03:43", None),
    (".Mar  1 00:03:43.339: ", "Mar 1 00:03:43", None),
    ("Mar 1 00:03:43 UTC: ", "Mar 1 00:03:43", None),
    ("000123: *Mar  1 00:03:43.339: ", "Mar 1 00:03:43", None),
    ("<189>45: R2: *Mar 1 00:03:43.339 UTC: ", "Mar 1 00:03:43", "R2"),
    ("<166>Mar  1 00:03:44 10.9.9.9 123: Mar  1 2024 00:03:43 CET: ", "2024-03-01 00:03:43",
     "10.9.9.9"),
    ("1d00h: ", "1d00h", None),
    ("00:27:07: ", "00:27:07", None),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("head", "stamp", "device"), HEADERS)
def test_header_styles(head: str, stamp: str, device: str | None, mode: str) -> None:
    text = "".join(head + line + "\n" for line in DH_REFUSED)
    (s,) = debug_signals(text, mode)
    assert brief(s)[1:] == ("debug", "dh group offered does not match policy", "10.2.2.2",
                            DH_DETAIL)
    assert (s.time, s.device) == (stamp, device)


@pytest.mark.parametrize("mode", MODES)
def test_crlf_and_an_80_column_terminal(mode: str) -> None:
    stamped = ["*Mar  1 00:03:43.339: " + line for line in DH_REFUSED]
    cut = []
    for line in stamped:  # the terminal cuts every 80 columns, mid-word
        cut.extend(line[i : i + 80] for i in range(0, len(line), 80))
    assert len(cut) > len(stamped)
    (s,) = debug_signals("\r\n".join(cut) + "\r\n", mode)
    assert s.reason == "dh group offered does not match policy"
    assert s.detail == DH_DETAIL
    assert not s.ev.text.endswith("\r")


@pytest.mark.parametrize("mode", MODES)
def test_an_accepted_check_drops_the_refused_ones(mode: str) -> None:
    accepted = [
        *DH_REFUSED[:8],
        "ISAKMP:(0):Checking ISAKMP transform 1 against priority 20 policy",
        *DH_REFUSED[1:6],
        "ISAKMP:(0):atts are acceptable. Next payload is 0",
        "ISAKMP:(0):Acceptable atts:actual life: 0",
    ]
    assert debug_signals("\n".join(accepted) + "\n", mode) == []


@pytest.mark.parametrize("mode", MODES)
def test_default_policies_report_the_first_policy_checked(mode: str) -> None:
    # IOS 15 also checks the default policies 65507..65514: their refusals are not the cause
    lines = [DH_REFUSED[0], *DH_REFUSED[1:8]]
    for prio, why in ((65507, "Encryption algorithm"), (65508, "Hash algorithm")):
        lines += [
            f"ISAKMP:(0):Checking ISAKMP transform 1 against priority {prio} policy",
            *DH_REFUSED[1:6],
            f"ISAKMP:(0):{why} offered does not match policy!",
            "ISAKMP:(0):atts are not acceptable. Next payload is 0",
        ]
    lines.append("ISAKMP:(0):no offers accepted!")
    (s,) = debug_signals("\n".join(lines) + "\n", mode)
    assert (s.ev.line, s.reason) == (7, "dh group offered does not match policy")


@pytest.mark.parametrize("mode", MODES)
def test_a_verdict_without_the_checks(mode: str) -> None:
    text = (
        "*Mar 28 08:14:22.339: ISAKMP:(0): atts are not acceptable. Next payload is 3\n"
        "*Mar 28 08:14:22.339: ISAKMP:(0): no offers accepted!\n"
        "*Mar 28 08:14:22.339: ISAKMP:(0): SA negotiation failed - NO_PROPOSAL_CHOSEN\n"
        "ISAKMP-ERROR: (0):phase 2 SA policy not acceptable! (local 10.1.1.1 remote 10.2.2.2)\n"
    )
    got = [(s.ev.line, s.reason, s.peer) for s in debug_signals(text, mode)]
    assert got == [
        (1, "atts are not acceptable", None),
        (4, "all ipsec sa proposals found unacceptable", "10.2.2.2"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_asa_names_both_values(mode: str) -> None:
    # ASA debug crypto ikev1 127, the wording of syslog 713257 ("Phase %d failure: Mismatched
    # attribute types for class %s: Rcv'd: %s Cfg'd: %s", ASA syslog guide)
    text = (
        "Jan 12 10:01:02 [IKEv1 DEBUG]IP = 172.18.254.89, processing SA payload\n"
        "Jan 12 10:01:02 [IKEv1]IP = 172.18.254.89, Phase 1 failure: Mismatched attribute "
        "types for class Group Description:  Rcv'd: Group 5  Cfg'd: Group 2\n"
        "Jan 12 10:01:02 [IKEv1 DEBUG]IP = 172.18.254.89, All SA proposals found unacceptable\n"
        "Jan 12 10:02:02 [IKEv1]Group = 10.0.0.2, IP = 10.0.0.2, Phase 2 failure: Mismatched "
        "attribute types for class Encapsulation Mode:  Rcv'd: Transport  Cfg'd: Tunnel\n"
        "Jan 12 10:02:02 [IKEv1]Group = 10.0.0.2, IP = 10.0.0.2, "
        "All IPSec SA proposals found unacceptable!\n"
    )
    got = [brief(s) for s in debug_signals(text, mode)]
    assert got == [
        (
            2,
            "debug",
            "dh group offered does not match policy",
            "172.18.254.89",
            "group: offered 5, policy 2",
        ),
        (
            4,
            "debug",
            "all ipsec sa proposals found unacceptable",
            "10.0.0.2",
            "encapsulation mode: offered Transport, policy Tunnel",
        ),
    ]
    accepted = text.replace(
        "All SA proposals found unacceptable",
        "IKE SA Proposal # 1, Transform # 1 acceptable Matches global IKE entry # 5",
    )
    assert [s.ev.line for s in debug_signals(accepted, mode)] == [4]


@pytest.mark.parametrize("mode", MODES)
def test_ikev2_policies_compared_across_lines(mode: str) -> None:
    # IOS-XE prints the policies on the line after their title (the lab above prints them glued)
    text = (
        "IKEv2-ERROR:(SESSION ID = 3,SA ID = 1):Received Policies: : "
        "Failed to find a matching policy\n"
        "Proposal 1:  ENCRYPTION: AES-CBC-256 PRF: SHA256 INTEGRITY: SHA256 "
        "DH GROUP: DH_GROUP_1536_MODP/Group 5\n"
        "IKEv2-ERROR:(SESSION ID = 3,SA ID = 1):Expected Policies: : "
        "Failed to find a matching policy\n"
        "Proposal 1:  ENCRYPTION: AES-CBC-256 PRF: SHA256 INTEGRITY: SHA256 "
        "DH GROUP: DH_GROUP_2048_MODP/Group 14\n"
        "IKEv2:(SESSION ID = 3,SA ID = 1):Sending no proposal chosen notify\n"
    )
    got = [brief(s) for s in debug_signals(text, mode)]
    assert got == [
        (1, "debug", "dh group offered does not match policy", None,
         "group: offered 5, policy 14"),
        (5, "notify", "notify NO_PROPOSAL_CHOSEN", None, "sent"),
    ]
    # the child SA's proposals (ESP) in the auth exchange: a phase 2 mismatch
    esp = (
        "IKEv2-ERROR:(SESSION ID = 3,SA ID = 1):Received Policies: : "
        "Failed to find a matching policy\n"
        "ESP: Proposal 1:  ENCRYPTION: AES-CBC-128 INTEGRITY: SHA96 ESN: No\n"
        "IKEv2-ERROR:(SESSION ID = 3,SA ID = 1):Expected Policies: : "
        "Failed to find a matching policy\n"
        "ESP: Proposal 1:  ENCRYPTION: AES-CBC-256 INTEGRITY: SHA96 ESN: No\n"
    )
    (s,) = debug_signals(esp, mode)
    assert (s.reason, s.detail) == (
        "all ipsec sa proposals found unacceptable",
        "encryption: offered AES-CBC-128, policy AES-CBC-256",
    )


# -- notifications, keys, retransmissions, unknown errors ---------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_phase_2_refusals_are_told_from_phase_1(mode: str) -> None:
    # IKEv1: the protocol of the notification (1 ISAKMP, 3 ESP), else the message ID of the SA
    # payload and the end of phase 1; IKEv2: the exchange (IKE_SA_INIT vs IKE_AUTH)
    text = (
        "ISAKMP (0:0): processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 1\n"
        "ISAKMP:(1001):SA has been authenticated with 10.0.0.2\n"
        "ISAKMP:(1001):Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE\n"
        "ISAKMP:(1001): processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 3\n"
        "ISAKMP:(1002): processing SA payload. message ID = 1529043126\n"
        "ISAKMP:(1002):Checking IPSec proposal 1\n"
        "ISAKMP: transform 1, ESP_AES\n"
        "ISAKMP:   attributes in transform:\n"
        "ISAKMP:      encaps is 1 (Tunnel)\n"
        "ISAKMP:      group is 2\n"
        "ISAKMP:(1002):Diffie-Hellman group offered does not match policy!\n"
        "ISAKMP:(1002):atts are not acceptable.\n"
        "ISAKMP:(1002): IPSec policy invalidated proposal with error 256\n"
        "ISAKMP:(1002): phase 2 SA policy not acceptable! (local 10.0.0.1 remote 10.0.0.2)\n"
        "\n"
        "IKEv2:(SESSION ID = 1,SA ID = 1):Received Packet [From 10.0.0.2:500/To 10.0.0.1:500/VRF i0:f0]\n"
        "Initiator SPI : 63FE7A8D6C5A7B02 - Responder SPI : 0000000000000000 Message id: 0\n"
        "IKEv2 IKE_SA_INIT Exchange RESPONSE\n"
        "Payload contents:\n"
        " NOTIFY(NO_PROPOSAL_CHOSEN)\n"
        "IKEv2:(SESSION ID = 2,SA ID = 1):Received Packet [From 10.0.0.2:500/To 10.0.0.1:500/VRF i0:f0]\n"
        "Initiator SPI : 63FE7A8D6C5A7B03 - Responder SPI : 1D418169B24BF95A Message id: 1\n"
        "IKEv2 IKE_AUTH Exchange RESPONSE\n"
        "Payload contents:\n"
        " VID IDr AUTH NOTIFY(NO_PROPOSAL_CHOSEN)\n"
        "\n"
        "Jan 12 10:02:02 [IKEv1]Group = 10.0.0.3, IP = 10.0.0.3, Phase 2 failure: Mismatched "
        "attribute types for class Group Description:  Rcv'd: Group 2  Cfg'd: Group 14\n"
        "Jan 12 10:02:02 [IKEv1]Group = 10.0.0.3, IP = 10.0.0.3, "
        "All IPSec SA proposals found unacceptable!\n"
    )
    got = [brief(s) for s in debug_signals(text, mode)]
    assert got == [
        (1, "notify", "notify NO_PROPOSAL_CHOSEN", None, "received"),
        (4, "debug", "ipsec sa proposal not acceptable", "10.0.0.2",
         "NO_PROPOSAL_CHOSEN received in quick mode"),
        (11, "debug", "pfs group offered does not match", "10.0.0.2",
         "pfs group: offered 2; offered transform ESP_AES, encaps 1 (Tunnel), pfs group 2"),
        (20, "notify", "notify NO_PROPOSAL_CHOSEN", "10.0.0.2", "received"),
        (25, "debug", "ipsec sa proposal not acceptable", "10.0.0.2",
         "NO_PROPOSAL_CHOSEN received in IKE_AUTH"),
        (27, "debug", "pfs group offered does not match", "10.0.0.3",
         "group: offered 2, policy 14"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_notifications(mode: str) -> None:
    text = (
        "IKEv2-PROTO-2: Received Packet [From 10.0.0.2:500/To 10.0.0.1:500/VRF i0:f0]\n"
        "Initiator SPI : 63FE7A8D6C5A7B02 - Responder SPI : 0000000000000000 Message id: 0\n"
        "IKEv2 IKE_SA_INIT Exchange RESPONSE\n"
        "Payload contents:\n"
        " NOTIFY(INVALID_KE_PAYLOAD) NOTIFY(NAT_DETECTION_SOURCE_IP)\n"
        "IKEv2-PROTO-5: (27): Parse Notify Payload: AUTHENTICATION_FAILED "
        "NOTIFY(AUTHENTICATION_FAILED)\n"
        "IKEv2:(SESSION ID = 1,SA ID = 1):Received no proposal chosen notify\n"
        "ISAKMP:(1003): processing NOTIFY INVALID_ID_INFO protocol 1\n"
        "ISAKMP:(1003): processing NOTIFY INITIAL_CONTACT protocol 1\n"
        "Jan 12 10:01:02 [IKEv1]IP = 10.0.0.2, Received non-routine Notify message: "
        "Invalid ID info (18)\n"
        "Jan 12 10:01:03 [IKEv1]IP = 10.0.0.2, Received an un-encrypted NO_PROPOSAL_CHOSEN "
        "notify message, dropping\n"
    )
    got = [(s.ev.line, s.kind, s.reason, s.peer, s.detail) for s in debug_signals(text, mode)]
    assert got == [
        (5, "notify", "notify INVALID_KE_PAYLOAD", "10.0.0.2", "received"),
        (6, "notify", "notify AUTHENTICATION_FAILED", "10.0.0.2", "received"),
        (7, "notify", "notify NO_PROPOSAL_CHOSEN", "10.0.0.2", "received"),
        (8, "notify", "notify INVALID_ID_INFORMATION", "10.0.0.2", "received"),
        (10, "notify", "notify INVALID_ID_INFORMATION", "10.0.0.2", "received"),
        (11, "notify", "notify NO_PROPOSAL_CHOSEN", "10.0.0.2", "received"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_keys_retransmissions_and_dead_peers(mode: str) -> None:
    text = (
        # IOS: the initiator of a pre-shared key mismatch (CCNP notes quoting the debug)
        "*Mar  1 00:10:01.111: ISAKMP:(1002): retransmitting phase 1 MM_KEY_EXCH...\n"
        "*Mar  1 00:10:01.111: ISAKMP (0:1002): incrementing error counter on sa, attempt 1 of "
        "5: retransmit phase 1\n"
        "*Mar  1 00:10:02.222: ISAKMP (0:1): reserved not zero on payload 5!\n"
        "*Mar  1 00:10:31.111: ISAKMP:(1002):deleting SA reason \"Death by retransmission P1\" "
        "state (I) MM_KEY_EXCH (peer 10.2.2.2)\n"
        "*Mar  1 00:10:41.111: ISAKMP:(0): retransmitting phase 2 QM_IDLE  -1234 ...\n"
        # IOS-XE IKEv2 and ASA IKEv1
        "IKEv2:(SESSION ID = 1,SA ID = 1):Verification of peer's authentication data FAILED\n"
        "Jan 12 10:01:04 [IKEv1]Group = 10.0.0.2, IP = 10.0.0.2, Received encrypted Oakley "
        "Main Mode packet with invalid payloads, MessID = 0\n"
        "Jan 12 10:01:05 [IKEv1]: IP = 10.0.0.3, IKE lost contact with remote peer, deleting "
        "connection (keepalive type: DPD)\n"
    )
    got = [(s.ev.line, s.reason, s.peer) for s in debug_signals(text, mode)]
    assert got == [
        (1, "retransmitting phase 1", None),
        (3, "reserved not zero on payload 5", None),
        (4, "remote peer not responding", "10.2.2.2"),
        (5, "retransmitting phase 2", None),
        (6, "preshared key mismatch", None),
        (7, "preshared key mismatch", "10.0.0.2"),
        (8, "remote peer not responding", "10.0.0.3"),
    ]
    sig = debug_signals(text, mode)
    assert sig[0].detail == "MM_KEY_EXCH"
    assert sig[2].detail == "Death by retransmission P1"


@pytest.mark.parametrize("mode", MODES)
def test_unknown_errors_are_kept_and_chatter_is_not(mode: str) -> None:
    text = (
        "ISAKMP-ERROR: (0):Failed to find peer index node to update peer_info_list\n"
        "ISAKMP-ERROR: (1004):unable to allocate SA lifetime table (0x7F1A00C0)\n"
        "ISAKMP: (0):vendor ID seems Unity/DPD but major 69 mismatch\n"
        "ISAKMP:(0):Can not start Aggressive mode, trying Main mode.\n"
        "ISAKMP:(9577):deleting node 1201896175 error FALSE reason \"Informational (in)\"\n"
        "IKEv2-ERROR:(SESSION ID = 31,SA ID = 1):\n"
        "IKEv2-PLAT-4: (27): PSH cleanup\n"
        "Jan 12 10:01:06 [IKEv1]IP = 10.0.0.2, IKE Initiator: New Phase 1, Intf inside\n"
        "Jan 12 10:01:07 [IKEv1]IP = 10.0.0.2, Unable to find tunnel group for peer.\n"
    )
    got = [(s.ev.line, s.reason) for s in debug_signals(text, mode)]
    assert got == [
        (2, "unable to allocate SA lifetime table (0x?)"),
        (9, "Unable to find tunnel group for peer"),
    ]


# -- sessions: devices, interleaved logs, other vendors ------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_several_devices_in_one_paste(mode: str) -> None:
    text = (
        "R1#debug crypto isakmp\n"
        "Crypto ISAKMP debugging is on\n"
        "R1#\n"
        + "".join(f"*Mar  1 00:03:43.339: {line}\n" for line in DH_REFUSED)
        + "R1#\n"
        "R2#debug crypto ikev2\n"
        "IKEv2:(SESSION ID = 1,SA ID = 1):Received no proposal chosen notify\n"
        "asa1# debug crypto ikev1 127\n"
        "Nov 08 07:10:05 [IKEv1]Group = 172.16.0.2, IP = 172.16.0.2, QM FSM error "
        "(P2 struct &0xcc19ed48, mess id 0xfc16eec2)!\n"
    )
    got = [(s.device, s.reason) for s in debug_signals(text, mode)]
    assert got == [
        ("R1", "dh group offered does not match policy"),
        ("R2", "notify NO_PROPOSAL_CHOSEN"),
        ("asa1", "qm fsm error"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_syslog_lines_inside_debug_keep_the_check_open(mode: str) -> None:
    lines = list(DH_REFUSED)
    lines.insert(7, "*Mar  1 00:03:43.339: %LINK-3-UPDOWN: Interface Tunnel0, changed state to up")
    lines.insert(8, "*Mar  1 00:03:43.340: %CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main Mode "
                    "failed with peer at 10.2.2.2")
    got = [(s.family, s.reason) for s in signals("\n".join(lines) + "\n", mode)]
    assert got == [
        ("syslog", "IKMP_MODE_FAILURE"),
        ("debug", "dh group offered does not match policy"),
    ]


def test_huawei_debug_is_not_taken() -> None:
    for name in ("debug-v1-proposal.txt", "debug-trace-ikev2.txt", "debug-usg-faq.txt"):
        text = fixture_text(f"huawei/{name}")
        for mode in MODES:
            assert signals(text, mode) == [], (name, mode)


def test_accepts() -> None:
    p = DebugParser()
    for line in (
        "ISAKMP:(0):atts are not acceptable. Next payload is 0",
        "*Mar  1 00:03:43.339: ISAKMP (0:1): SA not acceptable!",
        "IPSEC(validate_proposal): invalid local address 10.2.0.2",
        "IPsec (validate_proposal): transform proposal",
        "IKEv2-ERROR:(SESSION ID = 71,SA ID = 1):: Auth exchange failed",
        "IKEv2-PROTO-1: (16): Received Policies:",
        "Nov 08 07:10:05 [IKEv1]Group = 172.16.0.2, IP = 172.16.0.2, QM FSM error",
        "Checking ISAKMP transform 1 against priority 1 policy",
        "crypto_engine_select_crypto_engine: can't handle any more",
    ):
        assert p.accepts(line), line
    for line in (
        "*Mar  1 00:03:43.339: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet",
        "IPSEC/4/IPSECNEGOFAIL:1.3.6.1.4.1.2011.6.122.26.6.14 IPSec tunnel negotiation fails.",
        "Aug 18 2017 09:29:26.800.1 Huawei IPSEC/7/IPSEC-DEBUG:",
        "IKE_ERROR 17:5773 Message from peer 2.1.1.1: Got NOTIFY of type NO_PROPOSAL_CHOSEN",
        "[IPSEC-Error] acl mismatch.(Ifindex=[7], SeqNum=[0],PeerAddress=[1.1.1.1])",
        "IPv4 Crypto ISAKMP SA",
        "crypto isakmp policy 10",
        "processing SA payload. message ID = 0",
    ):
        assert not p.accepts(line), line


# -- hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_hostile_lines_are_cheap_and_harmless(mode: str) -> None:
    junk = [
        "ISAKMP:(0):" + "NOTIFY(" * 9000,
        "IKEv2-PROTO-1: (1): Received Policies:",
        "Proposal 1: " + "DH_GROUP_1/Group " * 4000,
        "IKEv2-PROTO-1: (1): Failed to find a matching policy" + " Proposal 1:" * 5000,
        "ISAKMP:(0):Checking ISAKMP transform 1 against priority " + "9" * 60000,
        "IPSEC(" + "(" * 60000,
        "*Mar " * 13000,
        "ISAKMP (" + "0:" * 30000 + "): peer address " + "1." * 20000 + " not found",
        "[IKEv1]" + "Group = x, " * 5000,
        "ISAKMP:      encryption " + "A" * 65000,
    ]
    text = "\n".join(junk * 3) + "\n"
    start = time.perf_counter()
    got = debug_signals(text, mode)
    assert time.perf_counter() - start < 5
    assert all(len(s.reason) <= 200 for s in got)
    assert all(s.detail is None or len(s.detail) < 2000 for s in got)
