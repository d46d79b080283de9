"""Cisco show-command parsers, part 1: ``show crypto isakmp sa``, ``show crypto ikev2 sa``,
``show crypto session``, and what every Cisco show parser shares (registration, sources,
empty and foreign output, messy pastes, fast mode).

Fixtures (``tests/fixtures/cisco/show-*.txt``, ``paste-*.txt``) are real outputs copied
verbatim; the first line of each names its source (Genie golden outputs, ntc-templates test
files, public write-ups found through the search index, and reference seed 004).  Tests drop that
line and add a prompt where the source had none.
"""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line, Signal, Unparsed
from ipsec_doctor.parsers import registry
from ipsec_doctor.parsers.base import Context
from ipsec_doctor.parsers.cisco.crypto_session import CryptoSession
from ipsec_doctor.parsers.cisco.ikev2_sa import Ikev2Sa
from ipsec_doctor.parsers.cisco.isakmp_sa import IsakmpSa, IsakmpSaParser, ShowTable

CISCO = FIXTURES / "cisco"
SEED004 = "004_*"


def body(name: str) -> str:
    """The fixture's output, without its ``# source:`` line."""
    text = (CISCO / name).read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    assert first.startswith("# source: "), name
    return rest


def facts(text: str, mode: str = "full") -> list:
    return list(scan_text(text, "t.txt", mode=mode))


def of(fs: list, cls: type) -> list:
    return [f for f in fs if isinstance(f, cls)]


def tables(fs: list, family: str) -> list[ShowTable]:
    return [f for f in fs if isinstance(f, ShowTable) and f.family == family]


def signals(fs: list) -> list[tuple]:
    return [(s.family, s.kind, s.reason, s.device, s.peer, s.ev.line) for s in of(fs, Signal)]


# -- sources and registration --------------------------------------------------------------------


def test_every_fixture_names_its_source_and_there_are_enough() -> None:
    mine = sorted(p for p in CISCO.glob("*.txt") if p.name.startswith(("show-", "paste-")))
    assert len(mine) >= 25
    for p in mine:
        first = p.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# source: ") and len(first) > 30, p.name


@pytest.mark.parametrize(
    ("name", "ranges"),
    [
        ("show-isakmp-sa-seed004.txt", [(139, 142), (909, 912), (928, 936)]),
        ("show-ipsec-sa-seed004-ios.txt", [(155, 247)]),
        ("show-ipsec-sa-seed004-pix.txt", [(952, 1019)]),
    ],
)
def test_seed_fixtures_are_verbatim(seeds, name: str, ranges: list) -> None:
    lines = next(seeds.glob(SEED004)).read_text(encoding="utf-8").split("\n")
    expect = [line for a, b in ranges for line in lines[a - 1 : b]]
    assert body(name) == "\n".join(expect) + "\n"


def test_parsers_are_registered_with_priority_100() -> None:
    names = {
        p.name: p for p in registry() if p.vendor == "cisco" and p.name.startswith("cisco.show")
    }
    assert set(names) >= {
        "cisco.show-crypto-isakmp-sa",
        "cisco.show-crypto-ikev2-sa",
        "cisco.show-crypto-session",
        "cisco.show-crypto-ipsec-sa",
        "cisco.show-crypto-engine-connections-active",
        "cisco.show-crypto-map",
        "cisco.show-crypto-isakmp-policy",
    }
    assert all(getattr(p, "priority", None) == 100 for p in names.values())


@pytest.mark.parametrize(
    ("typed", "family"),
    [
        ("sh cry is sa", "isakmp-sa-table"),
        ("show crypto ikev1 sa", "isakmp-sa-table"),
        ("show isakmp sa", "isakmp-sa-table"),
        ("sh cry ikev2 sa det", "ikev2-sa-table"),
        ("sh cry sess", "crypto-session-table"),
        ("sh cry ipsec sa", "ipsec-sa-table"),
        ("sh cry eng conn act", "engine-table"),
        ("show crypto engine connection active", "engine-table"),
        ("sh cry map", "crypto-map-table"),
        ("sh cry isa pol", "isakmp-policy-table"),
    ],
)
def test_abbreviated_commands_reach_their_parser(typed: str, family: str) -> None:
    fs = facts(f"R1#{typed}\nR1#\n")
    (t,) = [f for f in fs if isinstance(f, ShowTable)]
    assert (t.family, t.rows, t.device, t.ev.line, t.filter) == (family, 0, "R1", 1, None)


# -- show crypto isakmp sa -----------------------------------------------------------------------


def isakmp_rows(fs: list) -> list[tuple]:
    return [(r.device, r.dst, r.src, r.peer, r.state, r.conn_id, r.status, r.deleted, r.ipv6)
            for r in of(fs, IsakmpSa)]  # fmt: skip


def test_ios_table_ipv4_and_ipv6_sections() -> None:
    fs = facts("R1#show crypto isakmp sa\n" + body("show-isakmp-sa-genie.txt"))
    rows = isakmp_rows(fs)
    assert rows[:3] == [
        ("R1", "100.0.10.2", "100.13.220.2", "100.13.220.2", "QM_IDLE", 29609, "ACTIVE", False, False),
        ("R1", "100.0.10.2", "100.12.82.2", "100.12.82.2", "MM_NO_STATE", 29188, "ACTIVE", True, False),
        ("R1", "100.0.10.2", "100.11.106.2", "100.11.106.2", "QM_IDLE", 29362, "ACTIVE", False, False),
    ]  # fmt: skip
    assert [(r[3], r[4], r[8]) for r in rows[3:]] == [
        ("100.13.220::2", "QM_IDLE", True),
        ("100.12.82::2", "MM_NO_STATE", True),
        ("100.11.106::2", "QM_IDLE", True),
    ]
    sa = of(fs, IsakmpSa)[1]
    assert sa.local == "100.0.10.2" and not sa.established and of(fs, IsakmpSa)[0].established
    # every SA in a non-established state is a scored signal citing its own row
    assert signals(fs) == [
        ("isakmp-sa", "state", "isakmp state MM_NO_STATE", "R1", "100.12.82.2", 5),
        ("isakmp-sa", "state", "isakmp state MM_NO_STATE", "R1", "100.12.82::2", 10),
    ]
    assert of(fs, Signal)[0].ev.text.startswith("100.0.10.2      100.12.82.2     MM_NO_STATE")
    (t,) = tables(fs, "isakmp-sa-table")
    assert (t.rows, t.layout, t.ev.text) == (6, "table", "R1#show crypto isakmp sa")


@pytest.mark.parametrize(
    ("name", "rows", "v6"),
    [("show-isakmp-sa-genie-no-ipv4.txt", 3, [True] * 3),
     ("show-isakmp-sa-genie-no-ipv6.txt", 3, [False] * 3)],
)  # fmt: skip
def test_ios_table_with_an_empty_section(name: str, rows: int, v6: list) -> None:
    fs = facts("R1#show crypto isakmp sa\n" + body(name))
    assert [r.ipv6 for r in of(fs, IsakmpSa)] == v6
    assert [s.reason for s in of(fs, Signal)] == ["isakmp state MM_NO_STATE"]
    assert tables(fs, "isakmp-sa-table")[0].rows == rows


def test_single_row_table_keeps_dst_and_src_without_guessing_the_peer() -> None:
    fs = facts("R2#show crypto isakmp sa\n" + "\n".join(body("show-isakmp-sa-seed004.txt")
                                                      .split("\n")[:4]) + "\n")  # fmt: skip
    (sa,) = of(fs, IsakmpSa)
    assert (sa.dst, sa.src, sa.peer, sa.conn_id, sa.slot, sa.layout) == (
        "10.1.0.2",
        "10.1.0.1",
        None,
        1,
        0,
        "table",
    )


def test_seed_samples_pix_embryonic_sa_is_a_signal() -> None:
    fs = facts("PIX(config)# show crypto isakmp sa\n" + body("show-isakmp-sa-seed004.txt"))
    rows = of(fs, IsakmpSa)
    assert [(r.state, r.layout, r.conn_id, r.pending, r.created) for r in rows] == [
        ("QM_IDLE", "table", 1, None, None),
        ("QM_IDLE", "table", 1, None, None),
        ("MM_KEY_EXCH", "embryonic", None, 0, 0),
    ]
    (sig,) = of(fs, Signal)
    assert (sig.reason, sig.device, sig.peer, sig.detail) == (
        "isakmp state MM_KEY_EXCH",
        "PIX",
        None,
        "dst 192.168.254.250 src 10.177.243.187",
    )
    (t,) = tables(fs, "isakmp-sa-table")
    assert (t.total, t.line_of("total").text) == (2, "Total      : 2")


def test_ios_detail_rows_and_engine_ids() -> None:
    fs = facts("R1#show crypto isakmp sa detail\n" + body("show-isakmp-sa-detail-genie.txt"))
    rows = of(fs, IsakmpSa)
    assert [(r.conn_id, r.local, r.peer, r.ivrf, r.status, r.encryption, r.hash, r.auth,
             r.lifetime, r.capabilities, r.engine_conn, r.ipv6) for r in rows] == [
        (29609, "100.0.10.2", "100.13.220.2", "RED", "ACTIVE", "aes", "sha", "psk", 107, "D",
         "SW:12609", False),
        (29493, "100.0.10.2", "100.12.134.2", None, "ACTIVE", "aes", "sha", "psk", 72, "D",
         "SW:12493", False),
        (29610, "100.0.10::2", "100.13.220::2", "BLUE", "ACTIVE", "aes", "sha", "psk", 107, "D",
         "SW:12609", True),
        (29494, "100.0.10::2", "100.12.134::2", None, "ACTIVE", "aes", "sha", "psk", 72, "D",
         None, True),  # "Engine-id:Conn-id =  ????"
    ]  # fmt: skip
    assert rows[0].line_of("engine_conn").text.strip() == "Engine-id:Conn-id =  SW:12609"
    assert not of(fs, Signal)  # the detail layout has no state column
    assert tables(fs, "isakmp-sa-table")[0].filter is None  # "detail" is a layout word


def test_detail_row_dh_group_read_when_not_masked() -> None:
    # fed straight to the block (the scanner's redaction masks the value after "psk")
    out: list = []
    block = IsakmpSaParser().start(Context("t", "R1", "show crypto isakmp sa detail", out.append))
    for n, text in enumerate(body("show-isakmp-sa-detail-genie-no-ipv6.txt").split("\n"), 1):
        assert block.feed(Line("t", n, text)), text
    block.close()
    assert [(r.conn_id, r.dh_group, r.lifetime) for r in of(out, IsakmpSa)] == [
        (29609, 16, 107), (29493, 16, 72)
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["show-isakmp-sa-detail-genie-no-ipv4.txt",
                                  "show-isakmp-sa-detail-genie-no-ipv6.txt"])  # fmt: skip
def test_ios_detail_with_an_empty_section(name: str) -> None:
    fs = facts("R1#show crypto isakmp sa detail\n" + body(name))
    assert len(of(fs, IsakmpSa)) == 2 and tables(fs, "isakmp-sa-table")[0].rows == 2


def test_asa_blocks_and_the_ikev2_part_handed_over() -> None:
    fs = facts(body("show-isakmp-sa-asa-bos-fw1a.txt"))
    rows = of(fs, IsakmpSa)
    assert [(r.device, r.index, r.peer, r.type, r.role, r.rekey, r.state, r.layout) for r in rows] == [
        ("bos-fw1a", 1, "214.5.14.61", "L2L", "initiator", False, "MM_ACTIVE", "asa"),
        ("bos-fw1a", 2, "78.110.205.13", "L2L", "initiator", False, "MM_ACTIVE", "asa"),
    ]  # fmt: skip
    assert rows[1].line_of("state").text.strip() == "Rekey   : no              State   : MM_ACTIVE"
    assert not of(fs, Signal)
    (t,) = tables(fs, "isakmp-sa-table")
    assert (t.rows, t.total, t.ev.text) == (2, 2, "bos-fw1a# sh cry is sa")
    (v2,) = tables(fs, "ikev2-sa-table")  # "There are no IKEv2 SAs": no IKEv2 SA at all
    assert (v2.rows, v2.device, v2.ev.text) == (0, "bos-fw1a", "There are no IKEv2 SAs")


def test_asa_stuck_in_main_mode_messy_paste() -> None:
    # the same output with the second tunnel stuck at MM_WAIT_MSG2, pasted with CRLF line ends
    # and a paging prompt between the two blocks
    text = body("show-isakmp-sa-asa-bos-fw1a.txt")
    text = text.replace("State   : MM_ACTIVE\n2 ", "State   : MM_ACTIVE\n<--- More --->\n2 ")
    head, _, tail = text.rpartition("MM_ACTIVE")
    text = (head + "MM_WAIT_MSG2" + tail).replace("\n", "\r\n")
    for mode in ("full", "fast"):
        fs = facts(text, mode)
        assert signals(fs) == [
            ("isakmp-sa", "state", "isakmp state MM_WAIT_MSG2", "bos-fw1a", "78.110.205.13", 12)
        ], mode
        assert of(fs, Signal)[0].ev.text.strip().endswith("State   : MM_WAIT_MSG2")
        assert tables(fs, "isakmp-sa-table")[0].rows == 2


def test_asa_8_table_rows() -> None:
    fs = facts("asa# show crypto ikev1 sa detail\n" + body("show-ikev1-sa-detail-asa-ntc.txt"))
    rows = of(fs, IsakmpSa)
    r = rows[0]
    assert (r.index, r.peer, r.type, r.role, r.rekey, r.state, r.encryption, r.hash, r.auth,
            r.lifetime) == (
        1, "209.165.200.225", "User", "responder", False, "AM_Active", "3des", "SHA", "preshrd",
        86400,
    )  # fmt: skip
    assert [r.peer for r in rows][1:] == ["209.165.200.226", "209.165.200.227", "209.165.200.228"]
    assert all(r.established for r in rows) and not of(fs, Signal)  # AM_Active is up


def test_several_devices_one_paste_with_paging() -> None:
    fs = facts(body("paste-asa1-hub-rtr.txt"))
    assert [(t.device, t.rows) for t in tables(fs, "isakmp-sa-table")] == [
        ("ASA1", 1), ("ASA1", 1), ("Hub-RTR", 2)
    ]  # fmt: skip
    hub = [r for r in of(fs, IsakmpSa) if r.device == "Hub-RTR"]
    assert [(r.local, r.peer, r.conn_id) for r in hub] == [
        ("203.0.113.1", "203.0.113.20", 1002),
        ("203.0.113.1", "203.0.113.10", 1001),
    ]


def test_empty_foreign_and_filtered_output() -> None:
    fs = facts("R1#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\ndst src state conn-id status\n\n"
               "IPv6 Crypto ISAKMP SA\n\nR1#sh cry isa sa | i MM_\nR1#show crypto isakmp sa\n"
               "                 ^\n% Invalid input detected at '^' marker.\n\nR1#")  # fmt: skip
    assert [(t.rows, t.filter, t.ev.line) for t in tables(fs, "isakmp-sa-table")] == [
        (0, None, 1), (0, "| i MM_", 7)
    ]  # fmt: skip
    (u,) = of(fs, Unparsed)  # not "no SA": the command was rejected
    assert (u.family, u.device, u.ev.line) == ("isakmp-sa", "R1", 10)
    assert u.ev.text.startswith("% Invalid input")


def test_header_without_prompt_starts_the_block() -> None:
    for mode in ("full", "fast"):
        fs = facts(body("show-isakmp-sa-genie.txt"), mode)
        assert len(of(fs, IsakmpSa)) == 6 and len(of(fs, Signal)) == 2, mode
        assert tables(fs, "isakmp-sa-table")[0].ev.text == "IPv4 Crypto ISAKMP SA"


def test_truncated_paste_keeps_what_was_printed() -> None:
    text = body("show-isakmp-sa-asa-bos-fw1a.txt").split(
        "    Rekey   : no              State   : MM_ACTIVE\n2"
    )[0]
    fs = facts(text)
    (sa,) = of(fs, IsakmpSa)
    assert (sa.peer, sa.type, sa.state) == ("214.5.14.61", "L2L", None)  # cut before its state
    assert not of(fs, Signal)


# -- show crypto ikev2 sa ------------------------------------------------------------------------


def v2rows(fs: list) -> list[tuple]:
    return [(r.device, r.tunnel_id, r.local, r.local_port, r.remote, r.remote_port, r.fvrf, r.ivrf,
             r.status) for r in of(fs, Ikev2Sa)]  # fmt: skip


def test_ikev2_table_and_algorithms() -> None:
    fs = facts("R1#show crypto ikev2 sa\n" + body("show-ikev2-sa-genie.txt"))
    assert v2rows(fs) == [("R1", 1, "66.66.66.1", 500, "66.66.66.2", 500, "none", "none", "READY")]
    (sa,) = of(fs, Ikev2Sa)
    assert (sa.encryption, sa.keysize, sa.prf, sa.hash, sa.dh_group, sa.auth_sign,
            sa.auth_verify, sa.lifetime, sa.active_time) == (
        "AES-CBC", 128, "SHA1", "SHA96", 16, "PSK", "PSK", 86400, 735
    )  # fmt: skip
    assert sa.ready and not of(fs, Signal)
    assert tables(fs, "ikev2-sa-table")[0].rows == 1


def test_ikev2_compact_columns_and_spis() -> None:
    fs = facts("R1#show crypto ikev2 sa\n" + body("show-ikev2-sa-genie-1.txt"))
    (sa,) = of(fs, Ikev2Sa)
    assert (sa.tunnel_id, sa.local_port, sa.remote, sa.ce_id, sa.session_id) == (
        3, 4500, "20.20.20.20", 0, 5206
    )  # fmt: skip
    assert (sa.local_spi, sa.remote_spi) == ("1F7B76961C3A77ED", "1298FDE074BD724C")


@pytest.mark.parametrize(
    ("name", "cmd"),
    [("show-ikev2-sa-genie-2-ipv6.txt", "show crypto ikev2 sa"),
     ("show-ikev2-sa-detail-genie-7-ipv6.txt", "show crypto ikev2 sa detailed")],
)  # fmt: skip
def test_ikev2_ipv6_layout_addresses_on_their_own_lines(name: str, cmd: str) -> None:
    fs = facts(f"R1#{cmd}\n" + body(name))
    assert [(r.tunnel_id, r.local, r.remote, r.remote_port, r.ipv6, r.dh_group) for r in
            of(fs, Ikev2Sa)] == [
        (1, "2001:DB8:1101::131", "2001:DB8:1201::122", 500, True, 21),
        (2, "2001:DB8:1101::131", "2001:DB8:1202::123", 500, True, 21),
    ]  # fmt: skip
    sa = of(fs, Ikev2Sa)[0]
    assert sa.line_of("remote").text == "Remote  2001:DB8:1201::122/500"


def test_ikev2_detailed_fields() -> None:
    fs = facts("R1#show crypto ikev2 sa detailed\n" + body("show-ikev2-sa-detail-genie-2.txt"))
    a, b = of(fs, Ikev2Sa)
    assert (a.ivrf, a.status_description, a.local_id, a.remote_id, a.dpd_interval, a.dpd_retry,
            a.nat_t, a.nat_side, a.initiator, a.pushed_ip) == (
        "121", "Negotiation done", "user2621@cisco.com", "22.1.1.2", 60, 3, False, None, True,
        "8.1.9.4",
    )  # fmt: skip
    assert a.remote_subnets == ("10.0.0.0 255.0.0.0", "13.0.0.0 255.0.0.0", "17.0.0.0 255.0.0.0",
                                "23.0.0.0 255.0.0.0", "19.0.0.0 255.0.0.0")  # fmt: skip
    assert (b.tunnel_id, b.encryption, b.hash, b.dh_group, b.nat_t, b.nat_side, b.dpd_interval) == (
        4, "AES-GCM", "None", 20, True, "inside", 10
    )  # fmt: skip
    assert b.line_of("nat_t").text.strip() == "NAT-T is detected inside"


def test_ikev2_detailed_three_tunnels_behind_nat_and_not() -> None:
    fs = facts("hub#show crypto ikev2 sa detailed\n" + body("show-ikev2-sa-detail-genie-3.txt"))
    assert [(r.tunnel_id, r.remote, r.remote_port, r.nat_t, r.nat_side, r.initiator, r.peer_type)
            for r in of(fs, Ikev2Sa)] == [
        (1, "107.90.29.85", 500, False, None, False, "IOS-XE"),
        (8, "3.130.109.2", 4500, True, "outside", False, "Other"),
        (9, "65.27.58.179", 500, False, None, False, "Other"),
    ]  # fmt: skip
    assert tables(fs, "ikev2-sa-table")[0].rows == 3


def test_ikev2_detailed_unindented_with_quantum_lines() -> None:
    fs = facts("R1#show crypto ikev2 sa detailed\n" + body("show-ikev2-sa-detail-genie-5.txt"))
    (sa,) = of(fs, Ikev2Sa)
    assert (sa.remote, sa.dpd_interval, sa.initiator, sa.peer_type, sa.auth_verify) == (
        "2.2.2.2", 0, False, "Other", "PSK"
    )  # fmt: skip


def test_ikev2_asa_session_children_and_role() -> None:
    fs = facts("asa# show crypto ikev2 sa\n" + body("show-ikev2-sa-asa-genie-1.txt"))
    (sa,) = of(fs, Ikev2Sa)
    assert (sa.tunnel_id, sa.local, sa.remote, sa.status, sa.role, sa.session_id,
            sa.session_status, sa.lifetime, sa.active_time) == (
        3686011, "2001:db8:2:1::1", "2001:db8:2:1::2", "READY", "initiator", 1, "UP-ACTIVE",
        43200, 880,
    )  # fmt: skip
    assert [(c.spi_in, c.spi_out) for c in sa.children] == [
        (0xBE064BDC, 0x5DB6EFF3), (0x69B865F8, 0x978DBBE5)
    ]  # fmt: skip
    assert sa.children[0].remote_selector == (
        "2001:db8:3:2::/0 - 2001:db8:3:2:ffff:ffff:ffff:ffff/65535"
    )


def test_ikev2_asa_none_is_an_empty_table() -> None:
    fs = facts("asa# show crypto ikev2 sa\n" + body("show-ikev2-sa-asa-genie-2-none.txt"))
    (t,) = tables(fs, "ikev2-sa-table")
    assert (t.rows, t.device, t.ev.line) == (0, "asa", 1)
    assert not of(fs, Ikev2Sa)


def test_ikev2_in_negotiation_is_a_signal() -> None:
    fs = facts(body("show-ikev2-sa-in-neg-br-edge.txt"))
    (sa,) = of(fs, Ikev2Sa)
    assert (sa.status, sa.encryption, sa.dh_group, sa.active_time, sa.ready) == (
        "IN-NEG", "Unknown - 0", 0, 0, False
    )  # fmt: skip
    (sig,) = of(fs, Signal)
    assert (sig.vendor, sig.family, sig.kind, sig.reason, sig.device, sig.peer, sig.port,
            sig.version) == (
        "cisco", "ikev2-sa", "state", "ikev2 state IN-NEG", "br-edge", "200.0.1.1", 500, "v2"
    )  # fmt: skip
    assert sig.ev.text.strip().endswith("IN-NEG")


def test_ikev2_in_neg_then_ready_on_other_devices() -> None:
    fs = facts(body("paste-r15-in-neg-then-ready.txt"))
    assert [(r.device, r.status) for r in of(fs, Ikev2Sa)] == [("R15", "IN-NEG"), ("R27", "READY")]
    assert [(s.device, s.reason, s.peer) for s in of(fs, Signal)] == [
        ("R15", "ikev2 state IN-NEG", "20.42.0.17")
    ]


# -- show crypto session -------------------------------------------------------------------------


def test_session_remote_access_with_two_ike_sas() -> None:
    fs = facts("R1#show crypto session\n" + body("show-crypto-session-genie.txt"))
    (s,) = of(fs, CryptoSession)
    assert (s.interface, s.username, s.profile, s.group, s.assigned_address, s.status, s.peer,
            s.port, s.up, s.active) == (
        "Virtual-Access2", "cisco", "prof", "easy", "10.3.3.4", "UP-ACTIVE", "10.1.1.2", 500,
        True, True,
    )  # fmt: skip
    assert [(i.version, i.local, i.remote, i.remote_port, i.state, i.active) for i in s.ike_sas] == [
        (None, "10.1.1.1", "10.1.1.2", 500, "Active", True),
        (None, "10.1.1.1", "10.1.1.2", 500, "Inactive", False),
    ]  # fmt: skip
    (flow,) = s.flows
    assert (flow.acl, flow.active_sas, flow.origin) == (
        "permit ip 0.0.0.0/0.0.0.0 host 3.3.3.4", 2, "crypto map"
    )  # fmt: skip


def test_session_flows_with_traffic_and_capabilities() -> None:
    fs = facts("R1#show crypto session detail\n" + body("show-crypto-session-genie-1.txt"))
    (s,) = of(fs, CryptoSession)
    assert (s.fvrf, s.ivrf, s.desc, s.phase1_id) == (
        None, None, "this is my peer at 10.1.1.3:500 Green", "10.1.1.3"
    )  # fmt: skip
    (ike,) = s.ike_sas
    assert (ike.capabilities, ike.conn_id, ike.lifetime) == (None, 3, 22 * 3600 + 3 * 60 + 24)
    assert [(f.active_sas, f.in_packets, f.out_packets, f.out_drops, f.in_life_kb,
             f.in_life_seconds) for f in s.flows] == [
        (0, 0, 0, 0, 0, 0), (4, 4, 4, 1, 4605665, 2949)
    ]  # fmt: skip


def test_session_ikev2_and_wrapped_ipv6_ike_line() -> None:
    fs = facts("R1#show crypto session\n" + body("show-crypto-session-genie-2.txt"))
    (s,) = of(fs, CryptoSession)
    assert [(i.version, i.session_id, i.state) for i in s.ike_sas] == [("v2", 3, "Active")]
    fs = facts("R1#show crypto session\n" + body("show-crypto-session-genie-3-ipv6.txt"))
    (s,) = of(fs, CryptoSession)
    (ike,) = s.ike_sas
    assert (s.peer, ike.local, ike.remote, ike.remote_port, ike.state, ike.session_id) == (
        "2001:DB8:ACAD:1::2", "2001:DB8:ACAD:1::1", "2001:DB8:ACAD:1::2", 500, "Active", 15
    )  # fmt: skip
    assert s.flows[0].acl == "permit ipv6 ::/0 ::/0"


def test_session_detail_legend_is_skipped() -> None:
    for name, n_ike in (("show-crypto-session-detail-genie.txt", 2),
                        ("show-crypto-session-detail-genie-2.txt", 1)):  # fmt: skip
        fs = facts("R1#show crypto session detail\n" + body(name))
        (s,) = of(fs, CryptoSession)
        assert s.status == "UP-ACTIVE" and len(s.ike_sas) == n_ike, name
    assert s.fvrf == "myf-vrf" and s.ivrf == "myi-vrf" and s.uptime == "00:27:42"


def test_session_down_and_down_negotiating() -> None:
    fs = facts(
        "R1#show crypto session detail\n" + body("show-crypto-session-detail-genie-3-down.txt")
    )
    down, neg = of(fs, CryptoSession)
    assert (down.status, down.up, len(down.flows), down.ike_sas, down.ivrf) == (
        "DOWN", False, 6, (), "inner"
    )  # fmt: skip
    assert all(f.active_sas == 0 for f in down.flows)
    assert (neg.status, neg.profile, [i.state for i in neg.ike_sas]) == (
        "DOWN-NEGOTIATING", "ISAKMP-inner-LOC_A", ["Inactive", "Inactive"]
    )  # fmt: skip
    assert neg.line_of("status").text == "Session status: DOWN-NEGOTIATING"
    assert tables(fs, "crypto-session-table")[0].rows == 2


def test_session_without_prompt_starts_at_its_title() -> None:
    fs = facts(body("show-crypto-session-genie-2.txt"))
    (t,) = tables(fs, "crypto-session-table")
    assert (t.rows, t.ev.text) == (1, "Crypto session current status")


# -- robustness ----------------------------------------------------------------------------------


def test_garbage_lines_stay_linear() -> None:
    junk = ("1.1.1.1 2.2.2.2 " + "A_B " * 20000 + "\n" + "#pkts x: " * 20000 + "\n"
            + "Type : " * 20000 + "\n")  # fmt: skip
    for cmd in ("show crypto isakmp sa", "show crypto ipsec sa", "show crypto ikev2 sa",
                "show crypto session", "show crypto map"):  # fmt: skip
        start = time.perf_counter()
        facts(f"R1#{cmd}\n" + junk * 3)
        assert time.perf_counter() - start < 2.0, cmd
