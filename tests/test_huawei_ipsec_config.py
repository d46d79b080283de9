"""``display ipsec proposal``, ``display ipsec policy [brief]`` / ``policy-template`` and
``display ipsec interface brief``: typed records, cited lines, messy pastes.

Inputs are the reference documents' outputs (verbatim, in fixtures named after them) or written
to their exact format (said so at each input).
"""

from __future__ import annotations

import msgspec

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import State, Unparsed
from ipsec_doctor.parsers.huawei.ipsec_interface import IpsecInterface, IpsecInterfaceList
from ipsec_doctor.parsers.huawei.ipsec_policy import (
    IpsecPolicy,
    IpsecPolicyGroup,
    IpsecPolicyList,
    parse_acl,
    parse_brief_row,
    pfs_group_of,
)
from ipsec_doctor.parsers.huawei.ipsec_proposal import (
    IpsecProposal,
    IpsecProposalList,
    split_protocol,
)


def of(cls: type, text: str, mode: str = "full") -> list:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, cls)]


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# -- display ipsec proposal ---------------------------------------------------------------------


def test_ah_esp_proposal_with_notes_and_aligned_continuation() -> None:
    # seed 003 lines 552-560, verbatim: "//" notes, the ESP value continues on the next line
    text = fixture_text("huawei/ipsec-proposal-ah-esp.txt")
    (p,) = of(IpsecProposal, text)
    assert (p.name, p.encapsulation_mode, p.transform) == ("p1", "tunnel", "ah-esp-new")
    assert (p.ah_authentication, p.esp_authentication, p.esp_encryption) == (
        ("SHA2-HMAC-256",),
        ("SHA2-HMAC-256",),
        ("AES-256",),
    )
    assert p.uses_ah and p.uses_esp
    assert p.ev.line == 4 and p.line_of("esp_encryption").line == 8  # the ESP protocol line
    (lst,) = of(IpsecProposalList, text)
    assert (lst.records, lst.total) == (1, 1)


def test_proposals_of_two_devices_differ_in_encryption() -> None:
    # seed 003 lines 1295-1307 (FW1 and FW2), verbatim, lines padded with blanks
    got = of(IpsecProposal, fixture_text("huawei/ipsec-proposal-usg-two-devices.txt"))
    assert [(p.device, p.name, p.esp_authentication, p.esp_encryption) for p in got] == [
        ("FW1", "tran1", ("SHA2-HMAC-512",), ("AES-128",)),
        ("FW2", "tran1", ("SHA2-HMAC-512",), ("AES-256",)),
    ]
    assert not got[0].uses_ah and got[0].uses_esp
    lists = of(IpsecProposalList, fixture_text("huawei/ipsec-proposal-usg-two-devices.txt"))
    assert [x.name_filter for x in lists] == ["tran1", "tran1"]


def test_unindented_continuation_of_seed002() -> None:
    # seed 002 lines 1828-1834 (AR1), verbatim: "Encryption AES-256" at column 0, then a fence
    (p,) = of(IpsecProposal, fixture_text("huawei/ipsec-proposal-ar-unindented.txt"))
    assert (p.device, p.esp_authentication, p.esp_encryption) == (
        "AR1",
        ("SHA2-HMAC-512",),
        ("AES-256",),
    )


def test_messy_proposals_one_line_value_several_algorithms_paging_crlf() -> None:
    # written to the layout of seed 003; "Authentication SM3 Encryption SM1" on one line is the
    # value of seed 001 line 275
    text = crlf(fixture_text("huawei/ipsec-proposal-messy.txt"))
    sm, multi, ah = of(IpsecProposal, text)
    assert (sm.esp_authentication, sm.esp_encryption) == (("SM3",), ("SM1",))
    assert multi.encapsulation_mode == "transport"
    assert multi.esp_authentication == ("SHA2-HMAC-256", "SHA2-HMAC-384")
    assert multi.esp_encryption == ("AES-256", "AES-128")
    assert (ah.transform, ah.ah_authentication, ah.esp_encryption) == (
        "ah-new",
        ("SHA2-HMAC-256",),
        (),
    )
    assert ah.uses_ah and not ah.uses_esp and ah.ev.line == 15
    (lst,) = of(IpsecProposalList, text)
    assert (lst.records, lst.total) == (3, 3)


def test_comma_separated_protocol_value() -> None:
    # a variant written with commas and lower case (NE-style wording)
    text = (
        "<NE1>display ipsec proposal\nIPSec proposal name: p\n encapsulation mode: tunnel\n"
        " transform: esp-new\n ESP protocol: authentication sha2-256, encryption aes-256\n"
    )
    (p,) = of(IpsecProposal, text)
    assert (p.esp_authentication, p.esp_encryption) == (("sha2-256",), ("aes-256",))
    assert split_protocol("Encryption AES-256") == ((), ("AES-256",))


def test_empty_ipsec_proposal_output() -> None:
    (lst,) = of(IpsecProposalList, "<FW1>display ipsec proposal\n\n<FW1>\n")
    assert (lst.records, lst.device) == (0, "FW1")


# -- display ipsec policy -----------------------------------------------------------------------


def test_ar_policy_every_field() -> None:
    # seed 002 lines 224-238 (case 3.2.3), verbatim
    text = fixture_text("huawei/ipsec-policy-ar.txt")
    (p,) = of(IpsecPolicy, text)
    assert (p.group, p.interfaces, p.seq, p.alias) == (
        "10",
        ("GigabitEthernet1/0/0",),
        10,
        "map1-10",
    )
    assert (p.acl, p.acl_family, p.peer, p.pfs, p.pfs_group, p.proposals) == (
        3100,
        "ipv4",
        "rut2",
        "DH group 14",
        14,
        ("prop1",),
    )
    assert (p.duration_seconds, p.duration_kilobytes, p.sa_trigger) == (
        3600,
        1843200,
        "traffic-based",
    )
    assert (p.mode, p.mode_inferred, p.elided, p.brief) == ("isakmp", True, True, False)
    assert p.ev.line == 6 and p.line_of("interfaces").line == 4 and p.line_of("group").line == 3
    assert p.line_of("sa_trigger").text.startswith("SA trigger mode: Traffic-based")
    assert p.line_of("acl").text == "Security data flow: 3100/IPv4"
    (g,) = of(IpsecPolicyGroup, text)
    assert (g.name, g.interfaces, g.seqs) == ("10", ("GigabitEthernet1/0/0",), (10,))
    (lst,) = of(IpsecPolicyList, text)
    assert (lst.records, lst.elided) == (1, True)


def test_policies_of_two_devices_with_acl_displays_in_between() -> None:
    # seed 003 lines 1520-1550 (FW1 and FW2), verbatim: "display acl" outputs follow each
    text = fixture_text("huawei/ipsec-policy-usg-two-devices.txt")
    got = of(IpsecPolicy, text)
    assert [(p.device, p.group, p.interfaces, p.seq, p.acl, p.elided) for p in got] == [
        ("FW1", "map1", ("GigabitEthernet0/0/1",), 10, 3000, True),
        ("FW2", "map1", ("GigabitEthernet0/0/1",), 10, 3000, True),
    ]
    assert all(p.peer is None and p.mode is None for p in got)  # not printed: unknown


def test_output_under_the_wrong_prompt_is_recognised_by_its_header() -> None:
    # seed 003 lines 119-133: the document typed "display ike sa" above a policy output
    (p,) = of(IpsecPolicy, fixture_text("huawei/ipsec-policy-mislabelled.txt"))
    assert (p.group, p.peer, p.proposals, p.sa_trigger) == (
        "10",
        "rut2",
        ("prop1",),
        "traffic-based",
    )
    (lst,) = of(IpsecPolicyList, fixture_text("huawei/ipsec-policy-mislabelled.txt"))
    assert lst.command == "" and lst.name_filter is None and lst.records == 1


def test_document_prose_after_the_output_ends_it() -> None:
    # seed 002 lines 729-742, verbatim: PFS sample, a fence, then prose in Chinese
    text = fixture_text("huawei/ipsec-policy-pfs-fenced.txt")
    (p,) = of(IpsecPolicy, text)
    assert (p.pfs_group, p.proposals, p.extra) == (14, (), ())


def test_brief_layout() -> None:
    # seed 002 lines 715-722, verbatim
    text = fixture_text("huawei/ipsec-policy-brief.txt")
    (p,) = of(IpsecPolicy, text)
    assert (p.brief, p.alias, p.group, p.seq, p.mode, p.mode_inferred) == (
        True,
        "policy1-100",
        "policy1",
        100,
        "isakmp",
        False,
    )
    assert (p.acl, p.acl_family, p.peer, p.local_address) == (3002, "ipv4", "peer1", None)
    assert p.ev.line == 7
    (lst,) = of(IpsecPolicyList, text)
    assert (lst.records, lst.total) == (1, 1)
    assert parse_brief_row("map2-20 manual 3001 10.1.1.1 10.1.1.2".split()) == {
        "alias": "map2-20",
        "mode": "manual",
        "group": "map2",
        "seq": 20,
        "acl": 3001,
        "acl_name": None,
        "acl_family": None,
        "local_address": "10.1.1.1",
        "remote_address": "10.1.1.2",
    }


def test_messy_groups_manual_sas_unapplied_group_and_truncation() -> None:
    # written to the layout of seed 002/003; manual SA sections as printed by AR releases
    text = crlf(fixture_text("huawei/ipsec-policy-messy.txt"))
    a, m, t = of(IpsecPolicy, text)
    assert (a.seq, a.pfs, a.pfs_group, a.proposals) == (10, None, None, ("prop1", "prop2", "prop3"))
    assert a.line_of("pfs").text.endswith("Perfect forward secrecy: None")
    assert (a.sa_trigger, a.route_inject, a.anti_replay_window, a.qos_pre_classify) == (
        "auto",
        "dynamic",
        1024,
        False,
    )
    assert (m.seq, m.alias, m.mode, m.mode_inferred) == (20, "map1-20", "manual", True)
    assert (m.local_address, m.remote_address) == ("10.1.1.1", "10.1.1.2")
    assert (m.inbound_esp_spi, m.outbound_esp_spi) == (12345, 54321)
    assert m.extra == ()  # the SA keys are never kept
    assert (t.group, t.interfaces, t.seq, t.pfs_group, t.duration_seconds) == (
        "map2",
        (),
        5,
        2,
        None,
    )
    groups = of(IpsecPolicyGroup, text)
    assert [(g.name, g.interfaces, g.seqs) for g in groups] == [
        ("map1", ("GigabitEthernet0/0/1",), (10, 20)),
        ("map2", (), (5,)),  # applied to no interface
    ]
    assert groups[1].line_of("interfaces").line == 37
    blob = b"".join(msgspec.json.encode(f) for f in scan_text(text))
    assert b"abc123secret" not in blob
    (lst,) = of(IpsecPolicyList, text)
    assert lst.records == 3


def test_policy_template_listing() -> None:
    # written to the policy layout: the header label of templates is not in the references
    text = fixture_text("huawei/ipsec-policy-template.txt")
    (p,) = of(IpsecPolicy, text)
    assert (p.group, p.template_group, p.mode, p.peer, p.acl) == (
        "temp1",
        True,
        "template",
        "dyn",
        3000,
    )
    (g,) = of(IpsecPolicyGroup, text)
    assert g.template_group and g.name == "temp1"


def test_fast_mode_reads_prompted_policy_outputs_like_full_mode() -> None:
    text = (
        fixture_text("huawei/ipsec-policy-messy.txt")
        + "<FW1>\n"
        + fixture_text("huawei/ipsec-policy-brief.txt")
    )
    full = [msgspec.json.encode(f) for f in scan_text(text)]
    assert [msgspec.json.encode(f) for f in scan_text(text, mode="fast")] == full
    assert len(full) >= 7


def test_empty_policy_output_and_name_filter() -> None:
    (lst,) = of(IpsecPolicyList, "<FW1>display ipsec policy name nomap\n\n<FW1>\n")
    assert (lst.records, lst.name_filter) == (0, "nomap")


def test_value_helpers() -> None:
    assert parse_acl("3100/IPv4") == (3100, None, "ipv4")
    assert parse_acl("3000") == (3000, None, None)
    assert parse_acl("acl-branch IPv6") == (None, "acl-branch", "ipv6")
    assert parse_acl("-") == (None, None, None)
    assert [
        pfs_group_of(v) for v in ("DH group 14", "dh-group19", "group14 (2048-bit)", "None")
    ] == [14, 19, 14, None]


# -- display ipsec interface brief --------------------------------------------------------------


def test_interface_brief_of_seed003() -> None:
    # seed 003 lines 145-151, verbatim
    text = fixture_text("huawei/ipsec-interface-brief.txt")
    (i,) = of(IpsecInterface, text)
    assert (i.policy, i.interface, i.number, i.type, i.device) == (
        "policy1",
        "GigabitEthernet1/0/0",
        10,
        "policy",
        "sysname",
    )
    assert i.ev.line == 3 and i.line_of("interface").line == 4
    (lst,) = of(IpsecInterfaceList, text)
    assert lst.records == 1


def test_interface_brief_of_seed002(seeds) -> None:
    # seed 002 lines 252-259 (unindented, "-----" rules)
    lines = (seeds / "002_cdda174dccb642c3.txt").read_text(encoding="utf-8").splitlines()
    (i,) = of(IpsecInterface, "\n".join(lines[251:259]))
    assert (i.policy, i.interface, i.number, i.type) == (
        "policy1",
        "GigabitEthernet1/0/0",
        10,
        "policy",
    )


def test_several_interfaces_paging_crlf() -> None:
    # written to the layout of seed 003
    text = crlf(fixture_text("huawei/ipsec-interface-messy.txt"))
    got = of(IpsecInterface, text)
    assert [(i.policy, i.interface, i.number, i.type, i.ev.line) for i in got] == [
        ("policy1", "GigabitEthernet0/0/1", 10, "policy", 3),
        ("prof1", "Tunnel0/0/1", 1, "profile", 8),
    ]
    (lst,) = of(IpsecInterfaceList, text)
    assert lst.records == 2


def test_empty_interface_brief_means_no_policy_applied() -> None:
    (lst,) = of(IpsecInterfaceList, "<AR1> display ipsec interface brief\n\n<AR1>\n")
    assert (lst.records, lst.device, lst.command) == (0, "AR1", "display ipsec interface brief")
    assert (lst.ev.line, lst.ev.text) == (1, "<AR1> display ipsec interface brief")
    assert of(IpsecInterface, "<AR1> display ipsec interface brief\n\n<AR1>\n") == []
    # the prompt directly followed by the next prompt: the same empty list
    (lst,) = of(IpsecInterfaceList, "<AR1> display ipsec interface brief\n<AR1>\n")
    assert (lst.records, lst.ev.line) == (0, 1)


# seed 001 lines 416, 203 and 223, verbatim: the output flattened onto the prompt line
SEED001_FLATTENED = (
    "<sysname> display ipsec interface brief ------------------------------------------------ "
    "IPSec policy : policy1 Using interface : GigabitEthernet1/0/0 IPSec policy number : 10 IPSec "
    "policy Type : policy ------------------------------------------------",
    "<sysname> display ipsec proposal name tran1 IPSec proposal name: tran1 Encapsulation mode: "
    "Tunnel ......",
    "<sysname> display ipsec policy name map1 =========================================== IPSec "
    'policy group: "map1" Using interface: GigabitEthernet0/0/1 ==================================='
    "======== Sequence number: 10 Policy Alias: map1-10 Security data flow: 3000 ...... <sysname> "
    "display acl 3000 Advanced ACL 3000, 1 rule Acl's step is 5 rule 5 permit ip source 10.1.1.0 "
    "0.0.0.255 destination 10.2.2.0 0.0.0.255",
)


def test_flattened_output_is_never_an_empty_list() -> None:
    # not read, and not empty either: records=0 would say "no policy applied to any interface"
    # (or "tran1"/"map1" does not exist) while the flattened output shows the opposite
    lists = (IpsecInterfaceList, IpsecProposalList, IpsecPolicyList)
    for line in SEED001_FLATTENED:
        for tail in ("", "<sysname>\n", "<sysname> display ike sa\n"):
            for mode in ("full", "fast"):
                facts = scan_text(line + "\n" + tail, "t.txt", mode=mode)
                assert not [f for f in facts if isinstance(f, (*lists, *MINE, Unparsed))], (
                    line[:50],
                    tail,
                    mode,
                )


# -- every sample of the reference documents ----------------------------------------------------

MINE = (
    IpsecProposal,
    IpsecPolicy,
    IpsecPolicyGroup,
    IpsecInterface,
)


def _first_lines(facts: list[State], cls: type) -> list[int]:
    return [f.ev.line for f in facts if isinstance(f, cls)]


def test_every_sample_of_seeds_002_and_003_parses(seeds) -> None:
    from ipsec_doctor.parsers.huawei.ike_peer import IkePeer
    from ipsec_doctor.parsers.huawei.ike_proposal import IkeProposal

    f2 = scan_text((seeds / "002_cdda174dccb642c3.txt").read_text(encoding="utf-8"), "002")
    f3 = scan_text((seeds / "003_959a0ef46ea275e6.txt").read_text(encoding="utf-8"), "003")
    assert _first_lines(f2, IkePeer) == [460, 489, 974, 1239]
    assert _first_lines(f2, IkeProposal) == [527, 1366]
    assert _first_lines(f2, IpsecProposal) == [700, 1009, 1028, 1830]
    assert _first_lines(f2, IpsecPolicy) == [229, 271, 648, 721, 734]
    assert _first_lines(f2, IpsecPolicyGroup) == [226, 268, 645, 731, 947]
    assert _first_lines(f2, IpsecInterface) == [254]
    assert _first_lines(f3, IkePeer) == [348, 379, 773, 1207, 1223, 1738, 1751]
    assert _first_lines(f3, IkeProposal) == [421, 1029, 1040, 1140]
    assert _first_lines(f3, IpsecProposal) == [555, 797, 810, 1296, 1302, 1829]
    assert _first_lines(f3, IpsecPolicy) == [124, 162, 512, 571, 1460, 1526, 1542, 1638, 1654]
    assert _first_lines(f3, IpsecInterface) == [147]
    mine = ("ike-peer", "ike-proposal", "ipsec-proposal", "ipsec-policy", "ipsec-interface")
    assert not [f for f in f2 + f3 if isinstance(f, Unparsed) and f.family in mine]
