"""``display ipsec sa`` (detail and brief layouts): every sample of the reference documents,
product variants, messy pastes and empty output.

Fixtures:

* ``ipsec-sa-seed002.txt`` / ``ipsec-sa-seed003.txt``: every ``display ipsec sa`` sample of
  seeds 002 and 003, verbatim (markdown fences, ``.....`` elisions, trailing blanks, ``//``
  comments), in the order of ``SEED002`` / ``SEED003`` below (seed line ranges);
* ``ipsec-sa-ne.txt``: the NE layout of the netengine8000f1a manual pages
  (display-ipsec-sa-policy / display-ipsec-sa-both): lower-case keys, a time stamp, two fields on
  one line, bundle counters; values are ours;
* ``ipsec-sa-brief.txt``: ``display ipsec sa brief`` in the AR, USG and NE column orders (the NE
  one from display-ipsec-sa-both, values ours), and an empty one;
* ``ipsec-sa-messy.txt``: a view prompt, ``Path MTU``, AH and ESP SAs in one bundle, transport
  mode, a proposal wrapped by the terminal, a paging prompt, two SAs under one section header
  (rekey), an IPsec profile over IPv6, an empty output, a truncated paste.
"""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES, fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line, Unparsed
from ipsec_doctor.parsers.base import Context
from ipsec_doctor.parsers.huawei.ipsec_sa import (
    Flow,
    IpsecSa,
    IpsecSaBrief,
    IpsecSaParser,
    IpsecSaTable,
)

SEED002 = [(904, 931), (1448, 1480), (1647, 1675), (1754, 1792), (1884, 1926), (2016, 2048)]
SEED003 = [(708, 727), (1887, 1922), (1982, 2019), (2029, 2066), (2365, 2444)]


def facts(text: str, mode: str = "full") -> list:
    return [
        f
        for f in scan_text(text, "t.txt", mode=mode)
        if isinstance(f, (IpsecSa, IpsecSaBrief, IpsecSaTable))
        or (isinstance(f, Unparsed) and f.family == "ipsec-sa")
    ]


def bundles(fs: list) -> list[IpsecSa]:
    return [f for f in fs if isinstance(f, IpsecSa)]


def tables(fs: list) -> list[tuple]:
    return [(t.device, t.rows, t.total, t.layout) for t in fs if isinstance(t, IpsecSaTable)]


@pytest.mark.parametrize(
    ("name", "ranges", "glob"),
    [("ipsec-sa-seed002.txt", SEED002, "002_*"), ("ipsec-sa-seed003.txt", SEED003, "003_*")],
)
def test_seed_fixtures_are_verbatim(seeds, name: str, ranges: list, glob: str) -> None:
    lines = next(seeds.glob(glob)).read_text(encoding="utf-8").split("\n")
    expect = [line for a, b in ranges for line in lines[a - 1 : b]]
    assert (FIXTURES / "huawei" / name).read_text(encoding="utf-8") == "\n".join(expect) + "\n"


def test_every_seed002_sample() -> None:
    fs = facts(fixture_text("huawei/ipsec-sa-seed002.txt"))
    got = [
        (b.device, b.interface, b.policy, b.seq, b.acl, b.acl_rule, b.mode, b.conn_id, b.remote)
        for b in bundles(fs)
    ]
    assert got == [
        ("Huawei", "GigabitEthernet1/0/0", "map1", 1, 3100, 5, "isakmp", 83893872, "1.1.5.1"),
        ("AR1", "GigabitEthernet0/0/2", "pc2", 1, 3101, 5, "template", 67108879, "2.1.1.1"),
        ("AR1", "GigabitEthernet0/0/2", "pc2", 1, 3101, 5, "template", 67108879, "2.1.1.1"),
        ("AR1", "GigabitEthernet0/0/2", "pc2", 1, 3061, 5, "template", 67108879, "2.1.1.1"),
        ("AR1", "GigabitEthernet1/0/1", "map1", 1, 3000, 5, "isakmp", 83893872, "1.1.5.1"),
        ("AR1", "GigabitEthernet1/0/1", "map1", 2, 3001, 5, "isakmp", 83893872, "1.1.6.1"),
        ("AR1", "GigabitEthernet0/0/2", "pc2", 1, 3101, 5, "template", 67108879, "2.1.1.1"),
    ]
    assert tables(fs) == [("Huawei", 1, None, "detail")] + [("AR1", 1, None, "detail")] * 3 + [
        ("AR1", 2, None, "detail"),
        ("AR1", 1, None, "detail"),
    ]
    # case 4.2.3 (AR1 decrypt failure): inbound packets all dropped, none decapsulated
    b = bundles(fs)[3]
    assert (b.encapsulation, b.holding_seconds, b.local, b.local_port, b.remote_port) == (
        "tunnel", 269, "1.1.1.1", 500, 500
    )
    assert b.flow_src == Flow(address="10.1.1.0", mask="255.255.255.0", protocol=17, port="1701")
    assert b.flow_dst == Flow(address="10.1.2.0", mask="255.255.255.0", protocol=17, port="39725")
    out, inb = b.outbound, b.inbound
    assert out is not None and inb is not None
    assert (out.spi, out.encryption, out.authentication, out.remaining_traffic) == (
        4055669516, "3DES-192", "SHA2-256-128", 1840323
    )
    assert (out.traffic_unit, out.remaining_seconds, out.packets, out.processed, out.dropped) == (
        "kilobytes", 2420, 0, 0, 0
    )
    assert (inb.spi, inb.packets, inb.processed, inb.dropped, inb.max_seq) == (
        1050491168, 33, 0, 33, 33
    )
    assert inb.line_of("dropped").text == "Inpacket drop count  : 33"
    assert inb.ev.text == "[Inbound ESP SAs]"
    # case 4.2.4: overlapping flows of two policies on one interface
    b1, b2 = bundles(fs)[4:6]
    assert b1.flow_dst == Flow(address="10.1.0.0", mask="255.255.0.0", protocol=0, port="0")
    assert b2.flow_dst == Flow(address="10.1.3.0", mask="255.255.255.0", protocol=0, port="0")
    assert b2.line_of("flow_dst").text == "Flow destination : 10.1.3.0/255.255.255.0 0/0"
    assert b2.line_of("policy").text == 'IPSec policy name: "map1"'
    assert b2.line_of("seq").text == "Sequence number : 2"


def test_every_seed003_sample() -> None:
    fs = facts(fixture_text("huawei/ipsec-sa-seed003.txt"))
    got = [(b.device, b.policy, b.seq, b.acl, b.conn_id, b.local, b.remote) for b in bundles(fs)]
    assert got == [
        ("sysname", "map1", 1, 3100, 83893872, "1.1.3.1", "1.1.5.1"),
        ("FW1", "map1", 1, 3000, 83893872, "1.1.3.1", "1.1.5.1"),
        ("FW1", "map1", 2, 3001, 83893872, "1.1.3.1", "1.1.6.1"),
        ("FW1", "map1", 1, 3101, 67108879, "10.4.1.1", "2.1.1.1"),
        ("FW1", "map1", 1, 3101, 67108879, "10.4.1.1", "2.1.1.1"),
        ("FW1", "test", 1, 3011, 67109470, "1.1.1.1", "2.1.1.1"),
        ("FW2", "test-1", 1, 3011, 50332732, "2.1.1.1", "1.1.1.1"),
    ]
    assert [t[:2] for t in tables(fs)] == [
        ("sysname", 1), ("FW1", 2), ("FW1", 1), ("FW1", 1), ("FW1", 1), ("FW2", 1)
    ]  # fmt: skip
    # NAT traversal case: UDP encapsulation not used on either SA
    nat = bundles(fs)[4]
    assert nat.nat_traversal is False
    assert nat.outbound is not None and nat.outbound.line_of("nat_traversal").text.strip() == (
        "UDP encapsulation used for NAT traversal: N"
    )
    assert nat.outbound.processed == 2376 and nat.outbound.processed_volume == 2877
    assert nat.outbound.volume_unit == "kilobytes"
    assert nat.inbound is not None
    assert (nat.inbound.anti_replay, nat.inbound.replay_window) == (True, 1024)
    # one-way traffic case: FW1 encrypts 7 packets, FW2 decrypts none (comments after values)
    fw1, fw2 = bundles(fs)[5:]
    assert fw1.outbound is not None and fw2.inbound is not None
    assert (fw1.outbound.processed, fw1.outbound.processed_volume, fw1.outbound.volume_unit) == (
        7, 588, "bytes"
    )
    assert (fw2.inbound.processed, fw2.inbound.max_seq, fw2.inbound.spi) == (0, 1, 185226861)
    assert (fw1.outbound.encryption, fw1.outbound.authentication) == ("AES-256", "SHA2-256-128")
    assert fw1.holding_seconds == 20 * 86400 + 5 * 3600 + 6 * 60 + 38
    assert fw2.encapsulation == "tunnel"  # its "Encapsulation mode" line is indented differently


def test_every_fact_cites_its_own_line() -> None:
    for name in ("ipsec-sa-seed002.txt", "ipsec-sa-seed003.txt", "ipsec-sa-messy.txt"):
        text = fixture_text(f"huawei/{name}")
        lines = text.split("\n")
        for f in facts(text):
            cited = [f.ev, *f.lines.values()]
            for side in getattr(f, "sides", ()):
                cited += [side.ev, *side.lines.values()]
            for ev in cited:
                assert lines[ev.line - 1].rstrip() == ev.text, (name, ev)


def test_ne_layout_two_fields_on_a_line_and_bundle_counters() -> None:
    fs = facts(fixture_text("huawei/ipsec-sa-ne.txt"))
    (b,) = bundles(fs)
    assert (b.device, b.interface, b.policy, b.seq, b.mode, b.conn_id, b.acl_rule) == (
        "NE1", "Tunnel0/0/7", "pol7", 3, "isakmp", 41, 7
    )
    assert (b.local, b.remote, b.local_port) == ("10.23.200.1", "10.24.200.1", None)
    assert b.line_of("local") == b.line_of("remote")
    assert b.flow_src == Flow(
        address="10.77.0.1", mask="255.255.255.255", protocol=0, port="0-65535"
    )
    assert (b.in_packets, b.out_packets, b.in_volume, b.out_volume, b.volume_unit) == (
        12, 9, 3, 2, "kilobytes"
    )
    assert (b.in_dropped, b.out_dropped) == (0, 4)
    inb, out = b.inbound, b.outbound
    assert inb is not None and out is not None
    assert (inb.spi, inb.vpn, inb.established, inb.remaining_traffic, inb.remaining_seconds) == (
        1750602558, "tun7", "2021-07-22 21:27:46", None, 554608
    )
    assert (inb.encryption, inb.authentication, inb.max_seq) == ("256-AES", "SHA2-256", 12)
    assert (out.max_seq, out.nat_traversal, b.nat_traversal) == (9, True, True)
    assert tables(fs) == [("NE1", 1, None, "detail")]
    (t,) = [t for t in fs if isinstance(t, IpsecSaTable)]
    assert t.filter == "policy pol7"


def test_brief_layouts_one_record_per_row() -> None:
    fs = facts(fixture_text("huawei/ipsec-sa-brief.txt"))
    got = [
        (r.device, r.src, r.dst, r.spi, r.protocol, r.encryption, r.authentication, r.vpn)
        for r in fs
        if isinstance(r, IpsecSaBrief)
    ]
    assert got == [
        ("AR1", "1.1.1.1", "2.1.1.1", 3914625024, "ESP", "AES-256", "SHA2_256_128", None),
        ("AR1", "2.1.1.1", "1.1.1.1", 2447425216, "ESP", "AES-256", "SHA2_256_128", None),
        ("FW1", "10.4.1.1", "2.1.1.1", 4055669516, "ESP", "3DES", "SHA2_256_128", "vpna"),
        ("FW1", "2.1.1.1", "10.4.1.1", 1050491168, "ESP", "3DES", "SHA2_256_128", "vpna"),
        ("FW1", "10.4.1.1", "2.1.1.1", 2954821110, "AH", None, "SHA1", None),
        ("NE1", "10.8.1.1", "10.8.1.2", 852978435, "ESP", "AES", "SHA2-256-128", None),
        ("NE1", "10.8.1.2", "10.8.1.1", 195316743, "ESP", "AES", "SHA2-256-128", None),
    ]
    assert tables(fs) == [
        ("AR1", 2, 2, "brief"),
        ("FW1", 3, 3, "brief"),
        ("NE1", 2, 2, "brief"),  # "Total Manual ... number: 1" counts manual SAs only
        ("FW2", 0, 0, "brief"),  # empty: no IPsec SA at all
    ]
    (fw2,) = [t for t in fs if isinstance(t, IpsecSaTable) and t.device == "FW2"]
    assert fw2.line_of("total").text.strip() == "Number of IPSec SA : 0" and fw2.filter is None


def test_messy_paste() -> None:
    text = fixture_text("huawei/ipsec-sa-messy.txt")
    for variant in (text, text.replace("\n", "\r\n")):
        fs = facts(variant)
        hq, v6, br = bundles(fs)
        assert (hq.device, hq.interface, hq.path_mtu, hq.encapsulation) == (
            "HQ", "GigabitEthernet1/0/0", 1500, "transport"
        )
        assert [(s.direction, s.protocol, s.spi) for s in hq.sides] == [
            ("outbound", "AH", 2954821110),
            ("outbound", "ESP", 1509955592),
            ("inbound", "ESP", 3045219416),
            ("inbound", "ESP", 3045219999),  # second SA under the same header (rekey)
        ]
        assert hq.outbound is not None and hq.outbound.protocol == "ESP"
        # the proposal wrapped by the terminal is joined; it cites its first line
        assert (hq.outbound.encryption, hq.outbound.authentication) == ("AES-256", "SHA2-256-128")
        assert hq.outbound.line_of("proposal").text.strip() == "Proposal: ESP-ENCRYPT-AES-256"
        assert (hq.outbound.traffic_unit, hq.outbound.remaining_traffic) == ("bytes", 1887436800)
        assert hq.sides[0].authentication == "SHA2-256-128" and hq.sides[0].encryption is None
        assert hq.sides[3].remaining_seconds == 120 and hq.sides[2].replay_window == 32
        assert hq.flow_src == Flow(
            address="10.1.1.1", mask="255.255.255.255", protocol=47, port="0"
        )
        assert (v6.interface, v6.policy, v6.local, v6.remote, v6.nat_traversal) == (
            "Tunnel0/0/1", "prof6", "2001:db8:1::1", "2001:db8:2::1", True
        )
        assert v6.flow_dst == Flow(address="2001:db8:20::", mask="64", protocol=0, port="0")
        # truncated paste: what was printed is kept
        assert (br.device, br.conn_id, br.local_port, br.remote, br.holding_seconds) == (
            "BR1", 77, 4500, "203.0.113.9", 12
        )
        assert br.flow_src is not None and br.flow_dst is None and br.sides == ()
        assert tables(fs) == [
            ("HQ", 2, None, "detail"),
            ("BR1", 0, None, "detail"),  # empty output
            ("BR1", 1, None, "detail"),
        ]


def test_paging_erase_sequence_and_fast_mode_agree() -> None:
    text = fixture_text("huawei/ipsec-sa-messy.txt").replace(
        "  ---- More ----", "  ---- More ----\x1b[42D                                          \x1b[42D"
    )

    def key(fs: list) -> list:
        return [(type(f).__name__, f.ev.line, getattr(f, "conn_id", None)) for f in fs]

    assert key(facts(text)) == key(facts(text, "fast"))
    assert len(bundles(facts(text))) == 3


def test_output_without_prompt_starts_at_its_title() -> None:
    text = fixture_text("huawei/ipsec-sa-seed003.txt").split("\n")
    body = "\n".join(text[95:133]) + "\n"  # from "ipsec sa information:" (FW1 NAT case)
    assert body.lstrip().startswith("ipsec sa information:")
    for mode in ("full", "fast"):
        fs = facts(body, mode)
        assert [(b.device, b.conn_id, b.interface) for b in bundles(fs)] == [
            (None, 67108879, "GigabitEthernet0/0/2")
        ]


def test_error_message_is_unparsed_not_an_empty_table() -> None:
    fs = facts("<R1> display ipsec sa polcy\nError: Unrecognized command found at '^' position.\n")
    assert tables(fs) == []
    (u,) = fs
    assert isinstance(u, Unparsed) and u.device == "R1"


def test_empty_output_cites_the_prompt_when_the_scanner_gives_it() -> None:
    out: list = []
    prompt = Line("t.txt", 3, "<FW2> display ipsec sa")
    IpsecSaParser().start(Context("t.txt", "FW2", "display ipsec sa", out.append, prompt)).close()
    (t,) = out
    assert isinstance(t, IpsecSaTable)
    assert (t.rows, t.total, t.layout, t.filter, t.ev) == (0, None, "detail", None, prompt)
    out.clear()
    cmd = "dis ipsec sa br | include 2.1.1.1"
    IpsecSaParser().start(Context("t.txt", "FW2", cmd, out.append, prompt)).close()
    assert (out[0].layout, out[0].filter) == ("brief", "| include 2.1.1.1")


def test_empty_output_through_the_scanner_and_flattened_output() -> None:
    for mode in ("full", "fast"):
        # a prompt directly followed by the next prompt: no IPsec SA, cited at the prompt
        fs = facts("<FW2> display ipsec sa\n<FW2> display ipsec sa brief\n<FW2>\n", mode)
        assert tables(fs) == [("FW2", 0, None, "detail"), ("FW2", 0, None, "brief")], mode
        assert [t.ev.line for t in fs] == [1, 2]
        # an output flattened onto the prompt line (written in seed 001's style) is not read;
        # it is not "no IPsec SA" either, whatever follows it
        flat = (
            "<FW2> display ipsec sa brief Number of SAs:2 Src address Dst address SPI VPN "
            "Protocol Algorithm ------ 10.1.1.1 10.1.1.2 3914625024 ESP E:AES-256 A:SHA2_256_128"
        )
        for tail in ("", "<FW2>\n", "Possible Causes\n"):
            assert facts(flat + "\n" + tail, mode) == [], (tail, mode)


def test_garbage_lines_stay_linear() -> None:
    junk = (
        "Proposal: " + "ESP-AUTH-" * 7000 + "\n"
        + "1.1.1.1 2.2.2.2 12345 " + "E:x " * 15000 + "\n"
        + "Tunnel local: " + "tunnel remote" * 4000 + "\n"
        + "=" * 60000 + "\n"
    )  # fmt: skip
    text = "<FW1> display ipsec sa\nipsec sa information:\n[Outbound ESP SAs]\n" + junk * 3
    start = time.perf_counter()
    facts(text)
    assert time.perf_counter() - start < 2.0
