"""``display ike peer`` and ``display ike proposal``: typed records, cited lines, messy pastes.

Inputs are the reference documents' outputs (verbatim, in fixtures named after them) or written
to their exact format (said so at each input).
"""

from __future__ import annotations

import time

import msgspec

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Unparsed
from ipsec_doctor.parsers.huawei.ike_peer import IkePeer, IkePeerList, norm_version, split_remote
from ipsec_doctor.parsers.huawei.ike_proposal import IkeProposal, IkeProposalList, key_length_of
from ipsec_doctor.parsers.huawei.kv_block import classify, strip_note


def of(cls: type, text: str, mode: str = "full") -> list:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, cls)]


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# -- display ike peer ---------------------------------------------------------------------------


def test_ar_peer_every_field_typed_and_cited() -> None:
    # seed 002 lines 1236-1268 (case 4.1.1, AR2), verbatim: the cipher blob wraps onto "%#"
    text = fixture_text("huawei/ike-peer-ar-verbose.txt")
    (p,) = of(IkePeer, text)
    assert (p.device, p.name, p.ike_version, p.remote, p.remote_ips) == (
        "AR2",
        "spua",
        "v1v2",
        "1.1.1.1",
        ("1.1.1.1",),
    )
    assert p.proposals == (5,) and p.psk_configured is True
    assert (p.vpn_instance, p.authentic_ip, p.remote_id_type, p.remote_id) == (None,) * 4
    assert p.local_id_type == "ip" and p.pki_realm is None  # "NULL"
    assert (p.nat_traversal, p.dpd, p.certificate_check) == (True, False, True)
    assert (p.inband_ocsp, p.inband_crl, p.cert_request_empty_payload) == (False, False, False)
    assert p.lifetime_notification is False
    assert (p.rsa_encryption_padding, p.sm4_version) == ("PKCS1", "draft-standard")
    assert p.ev.line == 4 and p.ev.text == "Peer name : spua"
    assert p.line_of("nat_traversal").line == 22
    assert p.line_of("nat_traversal").text == "NAT-traversal : Enable"
    assert p.line_of("authentic_ip").text == "Authentic IP address :"  # printed empty: cited
    assert p.line_of("psk_configured").text == "Pre-shared-key : <redacted>"
    assert p.extra == () and not p.elided
    (lst,) = of(IkePeerList, text)
    assert (lst.records, lst.total, lst.name_filter, lst.command) == (
        1,
        1,
        None,
        "display ike peer",
    )


def test_usg_peers_of_two_devices_with_wrapped_ciphers_and_elisions() -> None:
    # seed 003 lines 1205-1233 (FW1 and FW2), verbatim: trailing blanks, "%#" tails, "........."
    got = of(IkePeer, fixture_text("huawei/ike-peer-usg-two-devices.txt"))
    assert [(p.device, p.name, p.ike_version, p.remote_ips, p.proposals) for p in got] == [
        ("FW1", "b", "v2", ("2.1.1.1",), (10,)),
        ("FW2", "a", "v2", ("1.1.1.5",), (10,)),
    ]
    assert all(p.psk_configured and p.elided for p in got)
    assert all(p.vpn_instance is None and p.local_id is None for p in got)  # printed "-"
    assert [p.ev.line for p in got] == [3, 19]
    lists = of(IkePeerList, fixture_text("huawei/ike-peer-usg-two-devices.txt"))
    assert [(x.device, x.name_filter, x.records, x.elided) for x in lists] == [
        ("FW1", "b", 1, True),
        ("FW2", "b", 1, True),
    ]


def test_fenced_document_sample_with_domain_and_nat_traversal() -> None:
    # seed 002 lines 971-990, verbatim: a markdown fence and blank lines split the record
    text = fixture_text("huawei/ike-peer-fenced.txt")
    (p,) = of(IkePeer, text)
    assert (p.remote_ips, p.remote_domain) == (("1.1.1.1",), "www.huawei.com")
    assert p.remote_id_type == "any" and p.nat_traversal is True and p.elided
    assert p.line_of("nat_traversal").text.startswith("NAT-traversal      : Enable")


def test_annotated_seed_samples_drop_the_notes(seeds) -> None:
    # seed 003 lines 346-399: "//Specify the authenticated address." after an empty value
    lines = (seeds / "003_959a0ef46ea275e6.txt").read_text(encoding="utf-8").splitlines()
    got = of(IkePeer, "\n".join(lines[345:399]))
    assert [(p.ike_version, p.exchange_mode, p.authentic_ip) for p in got] == [
        ("v1v2", None, None),
        ("v1", "main", None),
    ]
    assert got[1].sm4_version == "standard" and got[1].rsa_signature_padding == "PKCS1"


def test_messy_paste_paging_crlf_dpd_wrapped_value_and_truncation() -> None:
    # written to the AR layout of seed 002 case 4.1.1, with the DPD fields of seed 001 line 708
    text = crlf(fixture_text("huawei/ike-peer-messy.txt"))
    a, b = of(IkePeer, text)
    assert a.remote_ips == ("203.0.113.7", "203.0.113.8") and a.authentic_ip == "10.4.1.1"
    assert a.proposals == (5, 10) and a.exchange_mode == "aggressive"
    assert (a.local_id_type, a.local_id, a.remote_id_type, a.remote_id) == (
        "fqdn",
        "hq.example.com",
        "user-fqdn",
        "branch1@example.com",
    )
    assert a.certificate_peer_name is None and a.line_of("certificate_peer_name").line == 16
    assert (a.dpd, a.dpd_type, a.dpd_retry_limit, a.dpd_retransmit, a.dpd_idle) == (
        True,
        "on-demand",
        3,
        30,
        60,
    )
    assert a.dpd_message == "seq-hash-notify" and a.dscp == 46 and a.lifetime_notification
    assert a.nat_traversal is False
    # second peer: nothing remote, no key, a value wrapped by the terminal, cut at the end
    assert (b.remote, b.remote_ips, b.proposals, b.psk_configured) == (None, (), (), False)
    assert b.certificate_peer_name == "CN=branch-gateway-01.example.com,OU=IPSec,O=Example"
    assert b.inband_ocsp is True and b.vpn_instance == "vpn-a"
    assert b.nat_traversal is None and b.line_of("nat_traversal").text.endswith(": Ena")
    (lst,) = of(IkePeerList, text)
    assert (lst.records, lst.total, lst.command) == (2, 2, "display ike peer verbose")


def test_fast_mode_reads_prompted_outputs_like_full_mode() -> None:
    text = fixture_text("huawei/ike-peer-messy.txt") + fixture_text(
        "huawei/ike-peer-ar-verbose.txt"
    )
    full = [msgspec.json.encode(f) for f in scan_text(text, "t.txt")]
    assert [msgspec.json.encode(f) for f in scan_text(text, "t.txt", mode="fast")] == full
    assert len(full) >= 5


def test_secrets_never_reach_a_fact() -> None:
    for name in ("ar-verbose", "usg-two-devices", "fenced", "messy"):
        blob = b"".join(
            msgspec.json.encode(f) for f in scan_text(fixture_text(f"huawei/ike-peer-{name}.txt"))
        )
        assert b"%^%#" not in blob and b"%#" not in blob.replace(b"%#%#", b"")
        for piece in (b"w.]D%IU", b"Q90U4SS", b"G7(t", b"SBO>Q"):
            assert piece not in blob


def test_peer_output_without_prompt_is_read_in_full_mode() -> None:
    text = "Peer name : p9\nIKE version : v2\nRemote IP : 192.0.2.9\nProposal : 3\n\nnext words\n"
    (p,) = of(IkePeer, text)
    assert (p.name, p.ike_version, p.remote_ips, p.proposals, p.device) == (
        "p9",
        "v2",
        ("192.0.2.9",),
        (3,),
        None,
    )


def test_unknown_fields_are_kept_as_extra_but_never_secrets() -> None:
    text = (
        "<R1> display ike peer\nPeer name : p\nReauthentication interval : 3600\n"
        "Auth key string : s3cr3t\nIKE version : v2\n"
    )
    (p,) = of(IkePeer, text)
    assert p.extra == (("Reauthentication interval", "3600"),) and p.ike_version == "v2"
    assert p.line_of("extra:reauthentication interval").line == 3
    assert b"s3cr3t" not in msgspec.json.encode(p)


def test_empty_output_is_an_empty_list() -> None:
    (lst,) = of(IkePeerList, "<AR1> display ike peer\n\n<AR1>\n")
    assert (lst.records, lst.total, lst.device, lst.command) == (0, None, "AR1", "display ike peer")
    assert (lst.ev.line, lst.ev.text) == (1, "<AR1> display ike peer")  # the prompt line
    assert of(IkePeer, "<AR1> display ike peer\n\n<AR1>\n") == []


def test_device_message_for_a_missing_peer_is_kept() -> None:
    # the message wording is illustrative: any "Error:" line is kept as the device printed it
    (lst,) = of(IkePeerList, "<AR1>dis ike peer name nobody\nError: The peer does not exist.\n")
    assert (lst.records, lst.name_filter, lst.message) == (0, "nobody", "The peer does not exist.")
    assert lst.line_of("message").line == 2


def test_another_commands_output_under_the_prompt_is_unparsed() -> None:
    text = '<AR1> display ike peer\nIPSec policy group: "map1"\nUsing interface: GE0/0/1\n'
    facts = scan_text(text)
    assert [(f.family, f.ev.line) for f in facts if isinstance(f, Unparsed)] == [("ike-peer", 2)]
    assert not [f for f in facts if isinstance(f, IkePeer | IkePeerList)]


def test_brief_variant_is_not_claimed() -> None:
    text = "<AR1> display ike peer brief\nPeer name   Version   Remote\np1   v2   1.1.1.1\n"
    assert of(IkePeer, text) == [] and of(IkePeerList, text) == []


def test_flattened_samples_of_seed001_give_no_record(seeds) -> None:
    text = (seeds / "001_c3928a3093123beb.txt").read_text(encoding="utf-8")
    mine = (IkePeer, IkePeerList, IkeProposal, IkeProposalList)
    facts = scan_text(text)
    assert [f for f in facts if isinstance(f, mine)] == []
    assert not [f for f in facts if isinstance(f, Unparsed) and f.family.startswith("ike-p")]


# seed 001 lines 126 and 102, verbatim: the output flattened onto the prompt line
SEED001_PEER = (
    "<sysname> display ike peer name peer1 ------------------------------------------------------"
    "----- Peer name : peer1 IKE version : v1v2 VPN instance : - Remote IP : 10.1.1.1 Authentic "
    "IP address : - Proposal : - Pre-shared-key : Local ID type : IP Local ID : - Remote ID type "
    ": - Remote ID : - ......"
)
SEED001_PROPOSAL = (
    "<sysname> display ike proposal number 10 ------------------------------------------- IKE "
    "Proposal: 10 Authentication Method : PRE_SHARED ...... -------------------------------------"
    "------"
)


def test_flattened_output_is_never_an_empty_list() -> None:
    # the output on the prompt line is not read; followed by the next prompt or by the end of
    # the paste it must not become "peer1 / proposal 10 does not exist" (records=0)
    mine = (IkePeer, IkePeerList, IkeProposal, IkeProposalList)
    for line in (SEED001_PEER, SEED001_PROPOSAL):
        for tail in ("", "<sysname>\n", "<sysname> display ike sa\n"):
            for mode in ("full", "fast"):
                facts = scan_text(line + "\n" + tail, "t.txt", mode=mode)
                assert [f for f in facts if isinstance(f, mine)] == [], (line[:40], tail, mode)
                assert not [f for f in facts if isinstance(f, Unparsed)]
    # the same command with its output on the following lines is read as usual
    (lst,) = of(IkePeerList, "<sysname> display ike peer name peer1\n<sysname>\n")
    assert (lst.records, lst.name_filter, lst.ev.line) == (0, "peer1", 1)


def test_garbage_lines_of_64k_cost_little() -> None:
    big_value = "Remote IP : " + "192.0.2.1 " * 7000
    text = (
        "<AR1> display ike peer\nPeer name : x\n"
        + big_value[:65536]
        + "\n"
        + ":" * 65536
        + "\n"  # not a key line, too long to be a wrapped value: ends the block
        + "Proposal : 1\n"
    )
    t0 = time.perf_counter()
    for _ in range(20):
        got = of(IkePeer, text)
    assert time.perf_counter() - t0 < 2.0
    (p,) = got
    assert p.name == "x" and p.proposals == () and 0 < len(p.remote_ips) <= 128


def test_value_helpers() -> None:
    assert [norm_version(v) for v in ("v1v2", "V1 V2", "IKEv2", "v2v1", "-", "")] == [
        "v1v2",
        "v1v2",
        "v2",
        "v1v2",
        None,
        None,
    ]
    assert split_remote("1.1.1.1(www.huawei.com)") == (("1.1.1.1",), "www.huawei.com")
    assert split_remote("10.1.1.1-10.1.1.9 10.2.0.0/16") == ((), None)
    assert strip_note("Remote IP : 1.1.1.1 //note") == "Remote IP : 1.1.1.1"
    assert strip_note("url : http://x/y") == "url : http://x/y"
    assert classify("That is, a sentence: with words").kind == "text"
    assert classify("   ......  ").kind == "elision"


# -- display ike proposal -----------------------------------------------------------------------


def test_usg_proposals_of_two_devices_differ_in_encryption() -> None:
    # seed 003 lines 1027-1048 (FW1 and FW2), verbatim, lines padded with blanks
    got = of(IkeProposal, fixture_text("huawei/ike-proposal-usg-two-devices.txt"))
    assert [(p.device, p.number, p.encryption_algorithm, p.key_length) for p in got] == [
        ("FW1", 10, "AES-128", 128),
        ("FW2", 10, "AES-256", 256),
    ]
    p = got[0]
    assert (p.authentication_method, p.authentication_algorithm, p.dh_group, p.duration) == (
        "PRE_SHARED",
        "SHA2-256",
        "MODP-2048",
        86400,
    )
    assert p.integrity_algorithms == ("HMAC-SHA2-256",) and p.prf_algorithms == ("HMAC-SHA2-256",)
    assert p.line_of("encryption_algorithms").line == 6 and not p.is_default
    assert p.line_of("encryption_algorithms").text.split(":")[1].strip() == "AES-128"
    lists = of(IkeProposalList, fixture_text("huawei/ike-proposal-usg-two-devices.txt"))
    assert [(x.device, x.name_filter, x.records) for x in lists] == [
        ("FW1", "10", 1),
        ("FW2", "10", 1),
    ]


def test_annotated_ar_proposal_of_seed002(seeds) -> None:
    # seed 002 lines 525-535: every field carries a "//" note in Chinese
    lines = (seeds / "002_cdda174dccb642c3.txt").read_text(encoding="utf-8").splitlines()
    (p,) = of(IkeProposal, "\n".join(lines[524:536]))
    assert (p.authentication_method, p.authentication_algorithms, p.dh_groups) == (
        "PRE_SHARED",
        ("SHA2-256",),
        ("MODP-2048",),
    )
    assert p.prf_algorithms == ("HMAC-SHA2-256",) and p.duration == 86400


def test_default_proposal_with_wrapped_algorithm_lists_paging_and_crlf() -> None:
    # written to the layout above; the default's algorithms are those of the USG manual page
    # https://usg.zrnko.cz/resources/dc/ike_proposal.html (AES-256/192/128, SHA2-512/384/256)
    text = crlf(fixture_text("huawei/ike-proposal-messy.txt"))
    a, d = of(IkeProposal, text)
    assert (a.number, a.authentication_method, a.dh_groups, a.duration) == (
        5,
        "RSA_SIG",
        ("MODP-3072",),
        3600,
    )
    assert (d.number, d.is_default) == (None, True)
    assert d.authentication_algorithms == ("SHA2-512", "SHA2-384", "SHA2-256")
    assert d.encryption_algorithms == ("AES-256", "AES-192", "AES-128")
    assert d.line_of("encryption_algorithms").line == 17  # the line the paging prompt preceded
    (lst,) = of(IkeProposalList, text)
    assert (lst.records, lst.total, lst.name_filter) == (2, 2, None)


def test_older_table_layout() -> None:
    # layout of older VRP releases (one row per proposal), written from recollection
    got = of(IkeProposal, fixture_text("huawei/ike-proposal-table.txt"))
    assert [
        (p.number, p.is_default, p.encryption_algorithm, p.dh_group, p.duration) for p in got
    ] == [
        (10, False, "DES_CBC", "MODP_768", 5000),
        (None, True, "DES_CBC", "MODP_768", 86400),
    ]
    assert got[0].ev.line == 5 and got[0].line_of("duration").line == 5


def test_empty_proposal_output_and_number_filter() -> None:
    (lst,) = of(IkeProposalList, "<FW1>display ike proposal number 99\n\n<FW1>\n")
    assert (lst.records, lst.name_filter, lst.device) == (0, "99", "FW1")


def test_key_length_of() -> None:
    assert [key_length_of(a) for a in ("AES-256", "AES-CBC-128", "aes_192", "3DES", "DES-CBC")] == [
        256,
        128,
        192,
        None,
        None,
    ]
