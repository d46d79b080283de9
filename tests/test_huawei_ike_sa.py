"""``display ike sa`` (table and verbose layouts): every sample of the reference documents, product
variants, messy pastes and empty output.

Fixtures:

* ``ike-sa-seed002.txt`` / ``ike-sa-seed003.txt``: every ``display ike sa`` sample of seeds 002
  and 003, verbatim (odd indentation, trailing blanks and markdown fences included), in the order
  of ``SEED002`` / ``SEED003`` below (seed line ranges);
* ``ike-sa-variants.txt``: the USG layout with RemoteType/RemoteID columns and ``peer/port``
  (huawei/dc/display_ike_sa.html manual page), the NE layout with its board headers
  (netengine8000f1a display_ike_sa.html), an older AR row (VPN ``0``, phase only), a row with an
  empty flag column, and an error message; values are ours;
* ``ike-sa-verbose.txt``: ``display ike sa verbose``: an AR/USG style block (field names of the
  AR command reference, written from its description; values are ours) and the older lower-case
  VRP layout shared with Comware (``connection id`` / ``transmitting entity`` ..., as printed in
  the Comware command reference), two blocks;
* ``ike-sa-messy.txt``: view prompt and abbreviated command, a paging prompt between rows, the
  RemoteID column wrapped onto the next line, an output filter, a truncated paste.
"""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES, fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line, Unparsed
from ipsec_doctor.parsers.base import Context
from ipsec_doctor.parsers.huawei.ike_sa import IkeSa, IkeSaDetail, IkeSaParser, IkeSaTable

# (seed, first line, last line) of each sample, in fixture order
SEED002 = [
    (188, 190), (378, 390), (611, 623), (811, 826), (1199, 1211), (1317, 1334), (2872, 2884),
    (3022, 3034), (3189, 3200), (3550, 3562),
]  # fmt: skip
SEED003 = [
    (74, 75), (119, 133), (255, 268), (479, 492), (625, 641), (995, 1008), (1100, 1113),
    (1169, 1182), (1263, 1276), (1356, 1369), (1420, 1433), (1503, 1504), (1600, 1613),
    (1709, 1710), (1791, 1804), (1866, 1877), (1954, 1967), (2091, 2104), (2171, 2184),
    (2245, 2258), (2331, 2344), (2488, 2501), (2565, 2578), (2592, 2604), (2663, 2676),
    (2683, 2696), (2737, 2738),
]  # fmt: skip


def facts(text: str, mode: str = "full") -> list:
    return [
        f
        for f in scan_text(text, "t.txt", mode=mode)
        if isinstance(f, (IkeSa, IkeSaDetail, IkeSaTable))
        or (isinstance(f, Unparsed) and f.family == "ike-sa")
    ]


def rows(fs: list) -> list[tuple]:
    return [
        (r.device, r.conn_id, r.peer, r.port, "|".join(r.flags), r.version, r.phase)
        for r in fs
        if isinstance(r, IkeSa)
    ]


def tables(fs: list) -> list[tuple]:
    return [(t.device, t.rows, t.total, t.ev.line) for t in fs if isinstance(t, IkeSaTable)]


@pytest.mark.parametrize(
    ("name", "ranges", "glob"),
    [("ike-sa-seed002.txt", SEED002, "002_*"), ("ike-sa-seed003.txt", SEED003, "003_*")],
)
def test_seed_fixtures_are_verbatim(seeds, name: str, ranges: list, glob: str) -> None:
    lines = next(seeds.glob(glob)).read_text(encoding="utf-8").split("\n")
    expect = [line for a, b in ranges for line in lines[a - 1 : b]]
    assert (FIXTURES / "huawei" / name).read_text(encoding="utf-8") == "\n".join(expect) + "\n"


def test_every_seed002_sample() -> None:
    fs = facts(fixture_text("huawei/ike-sa-seed002.txt"))
    assert rows(fs) == [
        ("Router1", 1342, "0.0.0.0", None, "RD|A", "v2", 1),
        ("Router1", 8388, "2.1.1.1", 500, "RD|ST|A", "v2", 1),
        ("Router1", 8388, "2.1.1.1", 500, "RD|ST|A", "v2", 2),
        ("Router1", 8378, "2.1.1.1", 500, "RD|ST|A", "v2", 1),
        ("AR2", 1342, "1.1.1.1", None, "NEG|A", "v2", 1),
        ("AR1", 1342, "0.0.0.0", None, "", "v1", 1),  # flags printed garbled: "RDJA"
        ("Huawei", 16, "2.1.1.1", 500, "RD|ST", "v1", 2),
        ("Huawei", 14, "2.1.1.1", 500, "RD|ST", "v1", 1),
        ("Huawei", 16, "2.1.1.1", 500, "RD|ST", "v1", 2),
        ("Huawei", 14, "2.1.1.1", 500, "RD|ST", "v1", 1),
        ("Huawei", 16, "2.1.1.1", 500, "RD|ST", "v2", 2),
        ("Huawei", 14, "2.1.1.1", 500, "RD|ST", "v2", 1),
        ("Huawei", 16, "2.1.1.1", 4500, "RD|ST", "v2", 2),
        ("Huawei", 14, "2.1.1.1", 4500, "RD|ST", "v2", 1),
    ]
    # one table per command output, empty ones included (Router1 3.2, Router2 3.5)
    assert [(d, n, total) for d, n, total, _ in tables(fs)] == [
        ("Router1", 0, None),
        ("Router1", 1, 0),
        ("Router1", 1, 1),
        ("Router1", 2, 2),
        ("Router2", 0, None),
        ("AR2", 1, 1),
        ("AR1", 1, 0),
        ("Huawei", 2, 2),
        ("Huawei", 2, 2),
        ("Huawei", 2, 2),
        ("Huawei", 2, 2),
    ]
    garbled = next(r for r in fs if isinstance(r, IkeSa) and r.device == "AR1")
    assert garbled.flags_text == "RDJA" and not garbled.ready and garbled.vpn is None


def test_every_seed003_sample() -> None:
    fs = facts(fixture_text("huawei/ike-sa-seed003.txt"))
    got = rows(fs)
    assert len(got) == 35
    assert got[:5] == [
        ("FW1", 1342, "0.0.0.0", None, "RD|A", "v2", 1),
        ("FW1", 8388, "2.1.1.1", 500, "RD|ST|A", "v2", 1),
        ("FW1", 8388, "2.1.1.1", 500, "RD|ST|A", "v2", 2),
        ("FW1", 8378, "2.1.1.1", 500, "RD|ST|A", "v2", 1),
        ("FW1", 1342, "0.0.0.0", None, "RD|A", "v2", 1),
    ]
    assert ("FW2", 151003222, "1.1.1.1", 2049, "RD|ST|A", "v1", 2) in got  # NAT changed the port
    assert ("FW2", 83891196, "1.1.1.5", 500, "NEG|A", "v2", 1) in got
    assert ("FW3", 151003215, "1.1.3.1", 500, "RD|ST|A", "v1", 1) in got
    empty = [(d, t) for d, n, t, _ in tables(fs) if n == 0]
    # FW1 3.2 / 1.5 no information, FW2 after restart (twice), FW2 NAT, FW2 aged SA
    assert empty == [("FW1", None), ("FW2", None), ("FW2", None), ("FW1", None), ("FW2", None),
                     ("FW2", None)]  # fmt: skip
    # 27 samples holding 29 commands (two show FW1 and FW2), one not this command's output
    assert len(tables(fs)) == 28


def test_output_of_another_command_is_unparsed_not_an_empty_table() -> None:
    # seed 003 line 119: "<sysname> display ike sa" followed by display ipsec policy output
    fs = facts(fixture_text("huawei/ike-sa-seed003.txt"))
    (u,) = [f for f in fs if isinstance(f, Unparsed)]
    assert u.ev.text.strip() == 'IPSec policy group: "10"' and u.device == "sysname"
    assert not [t for t in fs if isinstance(t, IkeSaTable) and t.device == "sysname"]


def test_rows_cite_their_own_line_and_the_table_cites_its_total() -> None:
    text = fixture_text("huawei/ike-sa-seed003.txt")
    fs = facts(text)
    lines = text.split("\n")
    for f in fs:
        assert lines[f.ev.line - 1].rstrip() == f.ev.text  # cleaning drops trailing blanks
    t = next(t for t in fs if isinstance(t, IkeSaTable) and t.rows == 2)
    assert t.line_of("total").text.strip() == "Number of IKE SA : 2"
    # the table cites the prompt that typed the command; its output starts on the next line
    assert (t.ev.line, t.ev.text) == (46, "<FW1> display ike sa")
    assert lines[t.ev.line].strip() == "IKE SA information :"
    # every table cites a prompt line of its own device
    for tab in (f for f in fs if isinstance(f, IkeSaTable)):
        assert tab.ev.text.strip() == f"<{tab.device}> display ike sa"


def test_variants_remote_id_columns_ne_headers_old_ar_and_empty_flags() -> None:
    fs = facts(fixture_text("huawei/ike-sa-variants.txt"))
    assert rows(fs) == [
        ("USG1", 117477251, "10.200.1.1", 4500, "RD|M", "v2", 2),
        ("USG1", 117477250, "10.200.1.1", 4500, "RD|M", "v2", 1),
        ("USG1", 117477260, "10.200.9.9", 500, "NEG|A", "v2", 1),
        ("NE1", 5, "10.30.0.2", None, "RD|ST", None, 2),
        ("NE1", 4, "10.30.0.2", None, "RD|ST", None, 1),
        ("R3", 16, "202.38.0.2", None, "RD|ST", None, 2),
        ("R3", 1342, "0.0.0.0", None, "", "v1", 1),
    ]
    usg = [r for r in fs if isinstance(r, IkeSa)]
    assert [(r.vpn, r.remote_id_type, r.remote_id) for r in usg[:3]] == [
        ("vrf1", "IP", "10.200.1.1"),
        ("vrf1", "IP", "10.200.1.1"),
        (None, "FQDN", "br9.example.net"),
    ]
    assert usg[0].ready and usg[2].negotiating and usg[5].vpn is None
    assert [(d, n, total) for d, n, total, _ in tables(fs)] == [
        ("USG1", 3, 3),
        ("NE1", 2, 2),
        ("R3", 2, None),
    ]
    (err,) = [f for f in fs if isinstance(f, Unparsed)]
    assert err.ev.text.startswith("Error: Wrong parameter") and err.device == "R3"


def test_verbose_blocks_become_details() -> None:
    fs = facts(fixture_text("huawei/ike-sa-verbose.txt"))
    details = [f for f in fs if isinstance(f, IkeSaDetail)]
    assert len(details) == 3
    ar = details[0]
    assert (ar.device, ar.conn_id, ar.peer_name, ar.version, ar.peer, ar.port, ar.local) == (
        "AR1", 14, "rut2", "v2", "2.1.1.1", 4500, "1.1.1.1"
    )
    assert (ar.auth_method, ar.auth_alg, ar.encryption_alg, ar.dh_group) == (
        "PRE-SHARED-KEY", "SHA2-256", "AES-256", "MODP-2048"
    )
    assert (ar.lifetime, ar.remaining, ar.flags, ar.status) == (86400, 85217, ("RD", "ST", "A"), "Active")
    assert (ar.nat_traversal, ar.dpd, ar.remote_id_type, ar.remote_id) == (
        True, "Periodic, interval 30s", "IP", "2.1.1.1"
    )
    assert ar.vpn is None and ar.flow_vpn is None and ar.ready
    assert ar.initiator_cookie == "0x7fa4e0e2d9c2c9b5"
    assert ar.ev.text.strip() == "IKE Peer Name        :  rut2"
    assert ar.line_of("remaining").text.strip() == "Remaining Time(Sec)  :  85217"
    assert ar.line_of("port").text.strip() == "Remote Port          :  4500"

    old1, old2 = details[1:]
    assert (old1.conn_id, old1.vpn, old1.role, old1.exchange_mode, old1.nat_traversal) == (
        2, "vpn1", "initiator", "main", False
    )
    assert (old1.local, old1.peer, old1.local_id, old1.remote_id) == (
        "4.4.4.4", "4.4.4.5", "4.4.4.4", "4.4.4.5"
    )
    assert (old1.lifetime, old1.remaining, old1.dh_group) == (86400, 86379, "GROUP2")
    assert (old2.conn_id, old2.vpn, old2.role, old2.exchange_mode, old2.nat_traversal) == (
        3, None, "responder", "aggressive", True
    )
    assert (old2.remote_id_type, old2.remote_id, old2.remaining) == (
        "FQDN", "branch6.example.net", 412
    )
    assert old2.ev.text.strip() == "connection id: 3"

    tabs = [t for t in fs if isinstance(t, IkeSaTable)]
    assert [(t.device, t.rows, t.layout, t.filter) for t in tabs] == [
        ("AR1", 1, "verbose", "remote 2.1.1.1"),
        ("FW1", 2, "verbose", None),
        # prompt directly followed by the next prompt: empty, no SA with that connection ID
        ("FW1", 0, "verbose", "connection-id 99"),
        ("FW1", 0, "verbose", "remote 9.9.9.9"),  # empty: no SA with that peer
    ]
    assert [t.ev.line for t in tabs] == [1, 29, 75, 76]  # the prompt lines


def test_messy_paste_paging_wrapped_remote_id_filter_truncation_crlf() -> None:
    text = fixture_text("huawei/ike-sa-messy.txt")
    for variant in (text, text.replace("\n", "\r\n")):
        fs = facts(variant)
        assert rows(fs) == [
            ("AR1", 8388, "2.1.1.1", 500, "RD|ST|A", "v2", 2),
            ("AR1", 8378, "2.1.1.1", 500, "RD|ST|A", "v2", 1),
            ("USG2", 117477244, "10.100.1.1", 4500, "RD|M", "v2", 2),
            ("USG2", 117477242, "10.100.1.1", 4500, "RD|M", "v2", 1),
            ("FW3", 151003222, "2.1.1.1", 500, "NEG|A", "v1", 2),
            ("FW4", 151003222, "2.1.1.1", 500, "RD|ST|A", "v1", 2),
        ]
        usg = [r for r in fs if isinstance(r, IkeSa) and r.device == "USG2"]
        assert [(r.remote_id_type, r.remote_id, r.ev.line) for r in usg] == [
            ("IP", "10.100.1.1", 14),
            ("IP", "10.100.1.1", 16),
        ]
        assert [(t.device, t.rows, t.total, t.filter) for t in fs if isinstance(t, IkeSaTable)] == [
            ("AR1", 2, 2, None),
            ("USG2", 2, 2, None),
            ("FW3", 1, None, "| include NEG"),  # partial output: rows=0 would not mean "no SA"
            ("FW4", 1, None, None),  # truncated paste: no total line
        ]


def test_paging_with_erase_sequence_and_fast_mode() -> None:
    text = fixture_text("huawei/ike-sa-messy.txt").replace(
        "  ---- More ----", "  ---- More ----\x1b[42D                                          \x1b[42D"
    )
    full = [(type(f).__name__, f.ev.line, f.ev.text) for f in facts(text)]
    assert full == [(type(f).__name__, f.ev.line, f.ev.text) for f in facts(text, "fast")]
    assert len([f for f in full if f[0] == "IkeSa"]) == 6


def test_table_without_prompt_starts_at_its_title() -> None:
    # fixture lines 18-29: the output without its prompt, up to the end of the flag legend
    text = "\n".join(fixture_text("huawei/ike-sa-seed002.txt").split("\n")[17:29]) + "\n"
    assert text.startswith("IKE SA information :")
    assert text.endswith("NEG--NEGOTIATING\n")
    for mode in ("full", "fast"):
        fs = facts(text, mode)
        assert rows(fs) == [(None, 8388, "2.1.1.1", 500, "RD|ST|A", "v2", 1)]
        assert tables(fs) == [(None, 1, 1, 1)]


def test_empty_output_cites_the_prompt_when_the_scanner_gives_it() -> None:
    # "<FW2> display ike sa" directly followed by the next prompt (seed 003 line 640): the
    # block gets no line at all; the table cites the prompt line the scanner hands over.
    out: list = []
    prompt = Line("t.txt", 7, "<FW2> display ike sa")
    block = IkeSaParser().start(Context("t.txt", "FW2", "display ike sa", out.append, prompt))
    block.close()
    (t,) = out
    assert isinstance(t, IkeSaTable)
    assert (t.rows, t.total, t.layout, t.filter, t.ev, t.device) == (0, None, "table", None, prompt, "FW2")
    # verbose, filtered: the empty answer is about that peer only
    out.clear()
    cmd = "dis ike sa ver remote 2.1.1.1"
    IkeSaParser().start(Context("t.txt", "FW2", cmd, out.append, prompt)).close()
    assert (out[0].layout, out[0].filter, out[0].rows) == ("verbose", "remote 2.1.1.1", 0)


def test_empty_output_followed_by_prose_or_blank_line() -> None:
    fs = facts("<FW2> display ike sa\n\nPossible Causes\n")
    assert tables(fs) == [("FW2", 0, None, 1)]  # cited at the prompt line
    assert fs[0].ev.text == "<FW2> display ike sa"


def test_empty_output_between_two_prompts_is_an_empty_table() -> None:
    for mode in ("full", "fast"):
        fs = facts("<FW2> display ike sa\n<FW2> display ike sa remote 2001:db8::1\n<FW2>\n", mode)
        assert tables(fs) == [("FW2", 0, None, 1), ("FW2", 0, None, 2)], mode
        assert [t.filter for t in fs] == [None, "remote 2001:db8::1"]  # an argument, not output


def test_output_flattened_onto_the_prompt_line_is_not_an_empty_table() -> None:
    # seed 001 prints samples flattened onto the prompt line; that output is not read, and it
    # must not become "no SA" (rows=0), whatever follows the line
    flat = (
        "<R1> display ike sa IKE SA information : Conn-ID Peer VPN Flag(s) Phase "
        "1342 1.1.1.1 RD|A v2:1 Number of IKE SA : 1"
    )
    for tail in ("", "<R1>\n", "Possible Causes\n", "\n<R1> display ike sa\n\n<R1>\n"):
        for mode in ("full", "fast"):
            fs = facts(flat + "\n" + tail, mode)
            want = [("R1", 0, None, 3)] if "display" in tail else []  # the second, real one
            assert tables(fs) == want and rows(fs) == [], (tail, mode)


def test_garbage_lines_stay_linear() -> None:
    junk = "1 1.1.1.1 " + "RD|" * 20000 + "\n" + "x:" * 30000 + "\n" + "- " * 30000 + "\n"
    text = "<FW1> display ike sa\nIKE SA information :\n" + junk * 3
    start = time.perf_counter()
    facts(text)
    assert time.perf_counter() - start < 2.0


def test_flag_legend_without_its_title_belongs_to_the_table() -> None:
    # seed 002 (5.1.x samples) print the legend without "Flag Description:"
    block = IkeSaParser().start(Context("t.txt", "R1", "display ike sa", [].append))
    for n, text in enumerate(
        ("Number of IKE SA : 2", "", "RD--READY ST--STAYALIVE RL--REPLACED FD--FADING TO--TIMEOUT",
         "HRT--HEARTBEAT LKG--LAST KNOWN GOOD SEQ NO. BCK--BACKED UP",
         "  M--ACTIVE S--STANDBY A--ALONE  NEG--NEGOTIATING"),
        start=1,
    ):  # fmt: skip
        assert block.feed(Line("t.txt", n, text)), text
    assert not block.feed(Line("t.txt", 9, "3.5.2 Possible causes"))
