"""The scanner's contract (``ingest/scan.py``).

* ``full`` and ``fast`` modes give identical facts (reasons, line numbers, devices) on mixed
  inputs: tables behind prompts, syslog and debug lines, noise with "like"/"bike" substrings,
  terminal debris;
* any chunking of the same bytes gives the same facts (1-byte chunks, random splits, a split
  inside CRLF, a split inside a multi-byte character);
* lines longer than 64 KiB are cut and the following lines keep their numbers;
* CR, CRLF and LF line ends; ``---- More ----`` with Huawei's erase sequence, backspaces, ANSI
  colours, tabs; prompts ``<FW1>``, ``[FW1]``, ``[~FW1-ike-peer-x]``, bare ``HUAWEI>``; several
  devices in one paste; a table pasted without its prompt.

The input is mostly the ``display ike error-info`` table of the reference documents (seed 002,
AR1 and AR2 cases), whose parser is the oldest.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, use_finder
from ipsec_doctor.ingest import candidates
from ipsec_doctor.ingest import scan as scan_mod
from ipsec_doctor.ingest.candidates import KEYWORD_SPELLINGS
from ipsec_doctor.ingest.clean import clean_bytes, clean_line
from ipsec_doctor.ingest.scan import (
    MAX_LINE,
    ScanStats,
    scan_chunks,
    scan_text,
)
from ipsec_doctor.model import Line, Signal, Unparsed
from ipsec_doctor.parsers.base import Block, Context
from ipsec_doctor.redact import MASK, redact

# seed 002, case 4.1.1 (AR2), verbatim
AR2 = """<AR2> display ike error-info
current info Num :2
ike error information:
current ike Error-info number :2
-----
peer port error-reason version error-time
-----
1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32
1.1.1.1 500 config ID mismatch v2 2017-09-05 15:22:32
-----
"""
# seed 002, case 4.1.2 (AR1), verbatim
AR1 = """<AR1> display ike error-info
current info Num :2
ike error information:
current ike Error-info number :2
-----
peer    port error-reason          version error-time
-----
2.1.1.1 500 phase1 proposal mismatch v1    2017-09-05 15:22:32
2.1.1.1 500 phase1 proposal mismatch v1    2017-09-05 15:22:32
-----
"""
AR2_ROWS = [("authentication fail", 8), ("config ID mismatch", 9)]

Key = tuple


def key(facts: list) -> list[Key]:
    """What must not depend on the mode or the chunking."""
    out: list[Key] = []
    for f in facts:
        if isinstance(f, Signal):
            out.append(
                ("S", f.ev.line, f.ev.text, f.reason, f.device, f.peer, f.kind, f.family, f.detail)
            )
        elif isinstance(f, Unparsed):
            out.append(("U", f.ev.line, f.ev.text, f.device))
        else:  # the other fact types (configuration, state...): all their fields
            out.append(("F", type(f).__name__, repr(f)))
    return out


def scan_bytes(data: bytes, mode: str = "full", splits: list[int] | None = None) -> list[Key]:
    cuts = sorted(set(splits or []))
    chunks = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
    return key(list(scan_chunks(chunks, "t.txt", mode=mode)))


def rows(text: str, mode: str = "full") -> list[tuple[str, int, str | None]]:
    return [
        (f.reason, f.ev.line, f.device)
        for f in scan_text(text, "t.txt", mode=mode)
        if isinstance(f, Signal)
    ]


# -- building blocks for mixed inputs ----------------------------------------------------------
FRAGMENTS = [
    AR2,
    AR1,
    # offline-info behind a prompt with a view
    "[~FW1-ike-peer-x]display ike offline-info\n"
    "peer        offline-reason                         version offline-time\n"
    "1.1.1.1     port mismatch after inbound sa miss    v1        2018-03-23 17:30:17\n",
    # bare prompt, then a table
    "HUAWEI>display ike error-info\n"
    "peer port error-reason version error-time\n"
    "3.3.3.3 500 phase2 proposal or pfs mismatch v1 2019-01-02 03:04:05\n",
    "[FW2]\n",
    "<FW3>\n",
    "[FW2]display current-configuration\n#\nsysname FW2\n#\n",
    # logs
    "Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails. "
    "(PeerAddress=2.1.1.1, PeerPort=500, Reason=phase1 proposal mismatch)\n",
    "Mar 8 2017 11:10:47 sysname IPSEC/4/IPSECNEGOFAIL:1.3.6.1.4.1.2011.6.122.26.6.14 IPSec "
    'tunnel negotiation fails. (Ifindex=12, SeqNum=0, Reason="acl configuration mismatch", '
    "ReasonCode=4, PeerAddress=1.1.1.1, PeerPort=500)\n",
    "Mar  8 2017 11:10:48 FW1 %%01IPSEC/5/IPSEC_TUNNEL_TEARED_DOWN(l)[4]:An IPSec tunnel is "
    "teared down. (PolicyName=map1, IfIndex=6, SeqNum=10, RuleNum=5, SrcIP=10.1.1.1, "
    "DstIP=2.1.1.1, CpuID=0, OfflineReason=dpd timeout, State=master)\n",
    "Sep 14 2017 11:14:11.630.17 AR1 IKE/7/IKE_Debug:\n"
    "IKE_INFO 2:2969 Attribute ENCRYPTION_ALGORITHM value AES_CBC\n",
    "Aug 18 2017 09:29:26.800.1 Huawei IPSEC/7/IPSEC-DEBUG:\n"
    "[IPSEC-Error] acl mismatch.(Ifindex=[7], SeqNum=[0],PeerAddress=[1.1.1.1], PeerPort=[500])\n",
    "Mar  8 2017 11:10:49 FW1 %%01IKE/4/SOMETHING_NEW(l)[5]:An IKE message nobody parses.\n",
    # noise: words holding "ike", lines a prompt search must not take
    "Mar  8 2017 11:10:50 FW1 %%01URL/4/FILTER(l)[6]:Url=www.bikeshop.example/strike, "
    "User=mike, Remark=looks like a normal request\n",
    "Mar  8 2017 11:10:51 FW1 %%01SHELL/5/CMDRECORD(s)[7]:Recorded command information. "
    '(Task=VT0, Ip=10.1.1.1, User=admin, Command="display ike sa")\n',
    "<134>Mar  8 2017 11:10:52 FW1 %%01OSPF/3/NBR_CHG_DOWN(l)[8]:Neighbor state changed.\n",
    "some text -> other text # not a prompt\n",
    "\n",
    "   \n",
    # debris
    "  ---- More ----\x1b[42D                                          \x1b[42D"
    "2.1.1.1 500 phase1 proposal mismatch v1 2017-09-05 15:22:32\n",
    "\x1b[1;32m<FW4>\x1b[0mdisplay ike error-info\n"
    "peer port error-reason version error-time\n"
    "4.4.4.4\t500\tauthentication fail\tv2\t2017-09-05 15:22:32\n",
    "<FW5>dsplay\b\b\b\b\b\bdisplay ike error-info\n"
    "5.5.5.5 500 config ID mismatch v2 2017-09-05 15:22:32\n",
    "junk\r<FW6>display ike error-info\n6.6.6.6 500 flow or peer mismatch v1 2017-09-05 15:22:32\n",
    "\ufeff\xa0<FW7>display ike error-info\n7.7.7.7 500 authentication fail v2 2017-09-05 15:22:32\n",
    # debris that hides a keyword-less prompt or splits the only keyword of a line
    "xx\b\b<FW8>\n",
    "\ufeff[FW9]\n",
    "junk\r[FW10]\n",
    "Mar  8 2017 11:10:53 FW1 %%01I\x1b[0mKE/4/SOMETHING_NEW(l)[9]:An I\x1b[1mK\x1b[0mE message.\n",
    # other modules' messages: skipped unless an upper-case word makes them ours
    "Mar  8 2017 11:10:54 FW1 %%01SHELL/5/CMDRECORD(s)[10]:Recorded command information. "
    '(Task=VT0, User=admin, Command="display IPSEC sa")\n',
    "Mar  8 2017 11:10:55 FW1 %%01ike/4/LOWER_MODULE(l)[11]:an ike message.\n",
    "Mar  8 2017 11:10:56 FW1 %%01SNMP/4/TRAP(l)[12]:hwIKEPeerStop ipsec trap.\n",
    # a debug record, then the log line that ends it; a packet dump, then a hex-looking line
    "Sep 14 2017 11:14:11.630.17 AR1 IKE/7/IKE_Debug:\n"
    "IKE_ERROR 1:4567 Peer 2.1.1.1 authentication fail: invalid hash payload\n"
    "Sep 14 2017 11:14:12 AR1 %%01OSPF/3/NBR_CHG_DOWN(l)[13]:Neighbor state changed.\n",
    "Sep 14 2017 11:14:13.630.17 AR1 IKE/7/IKE_Debug:\n"
    "IKE_PACKET 5:1 Received from 2.1.1.1\n"
    "Dec 1 abcdef 00\n"
    "Dec 14 2017 11:14:14 AR1 %%01SHELL/5/CMDRECORD(s)[14]:Command=debug\n",
    # Cisco VPN messages that name no keyword (and an ASA message that is not ours)
    "*Sep 14 06:00:45.693: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed\n"
    "        connection id=29, sequence number=219\n",
    "Dec 04 2014 12:37:51: %ASA-5-713119: Group = 77.88.99.100, IP = 77.88.99.100, PHASE 1 "
    "COMPLETED\n",
    "Dec 04 2014 12:37:52: %ASA-6-302013: Built outbound TCP connection 1 for outside:1.2.3.4/443\n",
]


@st.composite
def mixed(draw: st.DrawFn) -> bytes:
    parts = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14))
    text = "".join(parts)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


# -- full and fast modes agree ------------------------------------------------------------------


@pytest.mark.parametrize("finder", list(candidates.FINDERS))
def test_fast_mode_matches_full_mode_on_every_fragment(finder: str) -> None:
    data = "".join(FRAGMENTS).encode()
    full = scan_bytes(data, "full")
    with use_finder(finder):
        assert full == scan_bytes(data, "fast")
    assert sum(1 for k in full if k[0] == "S") >= 15  # the fragments do produce facts


@pytest.mark.parametrize("finder", list(candidates.FINDERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mixed(), seed=st.integers(0, 2**32 - 1))
def test_fast_mode_matches_full_mode_on_mixed_inputs(finder: str, data: bytes, seed: int) -> None:
    rnd = random.Random(seed)
    splits = [rnd.randrange(len(data) + 1) for _ in range(rnd.randrange(4))]
    full = scan_bytes(data, "full")
    with use_finder(finder):
        assert scan_bytes(data, "fast") == full
        assert scan_bytes(data, "fast", splits) == full
    assert scan_bytes(data, "full", splits) == full


@pytest.mark.parametrize("finder", list(candidates.FINDERS))
def test_fast_mode_matches_full_mode_at_every_split(finder: str) -> None:
    # Keyword-less prompts, each followed by a row that only debris makes a candidate (so its
    # device comes from the prompt) and by a line that ends the table block.
    prompts = [
        "<FW3>",
        "xx\b\b[FW4]",
        "\ufeff[FW5]",
        "junk\r[FW6]",
        "  ---- More ----[FW7]",
        "HUAWEI>",
        "\t\xa0[FW8]",
    ]
    text = "".join(
        f"{p}\n\x1b[0m{i}.1.1.1 500 authentication fail v2 2017-09-05 15:22:32\nnoise\n"
        for i, p in enumerate(prompts, 1)
    )
    data = text.encode()
    full = scan_bytes(data, "full")
    assert [k[4] for k in full if k[0] == "S"] == [
        "FW3",
        "FW4",
        "FW5",
        "FW6",
        "FW7",
        "HUAWEI",
        "FW8",
    ]
    with use_finder(finder):
        for i in range(len(data) + 1):
            assert scan_bytes(data, "fast", [i]) == full, i


@pytest.mark.parametrize("finder", list(candidates.FINDERS))
def test_fast_mode_skips_lines_without_keywords(finder: str) -> None:
    with use_finder(finder):
        _skips_lines_without_keywords()


def _skips_lines_without_keywords() -> None:
    noise = "Mar  8 2017 11:10:50 FW1 %%01URL/4/FILTER(l)[6]:Url=www.bikeshop.example, User=Mike\n"
    data = (noise * 1000 + AR2 + noise * 1000).encode()
    stats = ScanStats()
    facts = key(list(scan_chunks([data], "t.txt", mode="fast", stats=stats)))
    assert [(k[3], k[1]) for k in facts if k[0] == "S"] == [(r, n + 1000) for r, n in AR2_ROWS]
    assert stats.lines == 2000 + AR2.count("\n")
    assert stats.offered < 20  # the table's lines, not the noise
    # a keyword glued to a letter is skipped only when written in lower case; another module's
    # message only when no upper-case IKE/IPSEC/IPSec/ISAKMP makes it possibly ours
    shell = 'Mar  8 2017 11:10:51 FW1 %%01SHELL/5/CMDRECORD(s)[7]:Recorded. (Command="{}")'
    for line, offered in (
        ("User=mike bike", 0),
        ("hwIKEPeerStop", 1),
        ("hwIkePeerStop", 1),
        ("xIPSec", 1),
        (shell.format("display ike sa"), 0),
        (shell.format("display ipsec sa brief"), 0),
        (shell.format("display IKE sa"), 1),
        ("<134>" + shell.format("display isakmp sa"), 0),  # a priority is no prompt
        ("  [FW1]" + shell.format("display isakmp sa"), 1),  # a possible prompt
        (shell.format("display ike sa").replace("SHELL", "IKEV2"), 1),
        (shell.format("display ike sa").replace("SHELL", "ipsec-vpn"), 1),
        ("Mar  8 2017 11:10:51 FW1 SHELL/5/CMDRECORD:display ike sa", 1),  # no "%%01"
    ):
        stats = ScanStats()
        list(scan_chunks([f"{line}\n".encode()], "t.txt", mode="fast", stats=stats))
        assert stats.offered == offered, line


CISCO_SYSLOG = sorted(
    p for p in (FIXTURES / "cisco").glob("syslog-*.txt")
    # a tag quoted without its "%" at the start of a line: read in full mode only
    if p.name != "syslog-seed-hw-vpn.txt"
)


@pytest.mark.parametrize("finder", list(candidates.FINDERS))
@pytest.mark.parametrize("path", CISCO_SYSLOG, ids=lambda p: p.name)
def test_fast_mode_reads_cisco_syslog_as_full_mode_does(finder: str, path) -> None:
    data = path.read_bytes()
    full = scan_bytes(data, "full")
    assert any(k[0] == "S" for k in full)
    with use_finder(finder):
        assert scan_bytes(data, "fast") == full
        # behind a megabyte of Huawei noise, as in a mixed syslog archive
        noise = b"Mar  8 2017 11:10:50 FW1 %%01URL/4/FILTER(l)[6]:Url=www.bike.example\n" * 15000
        shifted = [(k[0], k[1] - 15000, *k[2:]) if k[0] == "S" else k for k in scan_bytes(
            noise + data, "fast")]
        assert shifted == full


# -- chunking never matters ---------------------------------------------------------------------


def test_one_byte_chunks() -> None:
    data = (AR1 + "x" * 300 + "\n" + AR2).encode()
    expect = scan_bytes(data)
    for mode in ("full", "fast"):
        chunks = [data[i : i + 1] for i in range(len(data))]
        assert key(list(scan_chunks(chunks, "t.txt", mode=mode))) == expect
    assert [k[1] for k in expect if k[0] == "S"] == [8, 9, 19, 20]


@settings(max_examples=100, deadline=None)
@given(data=mixed(), cuts=st.lists(st.integers(0, 10_000), max_size=30))
def test_any_chunking_gives_the_same_facts(data: bytes, cuts: list[int]) -> None:
    splits = [c % (len(data) + 1) for c in cuts]
    for mode in ("full", "fast"):
        assert scan_bytes(data, mode, splits) == scan_bytes(data, mode)


def test_split_inside_crlf_and_inside_a_utf8_character() -> None:
    text = "<AR2> display ike error-info\r\n# 对端 1.1.1.1\r\n" + AR2.replace("\n", "\r\n")
    data = text.encode()
    expect = scan_bytes(data)
    for i in range(len(data)):
        if data[i : i + 2] == b"\r\n" or (data[i] & 0xC0) == 0x80:
            for mode in ("full", "fast"):
                assert scan_bytes(data, mode, [i + 1]) == expect, (mode, i)
    assert [k[1] for k in expect if k[0] == "S"] == [10, 11]


# -- long lines ---------------------------------------------------------------------------------


def test_lines_longer_than_64k_are_cut_and_numbering_continues() -> None:
    long1 = "A" * (MAX_LINE * 3) + " IKE/5/IKE_NEGO_FAIL beyond the cut"
    long2 = "B" * (MAX_LINE + 1)
    data = (long1 + "\n" + long2 + "\n" + AR2).encode()
    for mode in ("full", "fast"):
        for splits in ([], [100], [MAX_LINE - 1, MAX_LINE + 5], list(range(0, len(data), 4096))):
            got = scan_bytes(data, mode, splits)
            assert [(k[3], k[1]) for k in got if k[0] == "S"] == [
                (r, n + 2) for r, n in AR2_ROWS
            ], (mode, splits)


def test_an_unterminated_long_last_line_still_counts() -> None:
    data = AR2.encode() + b"x" * (MAX_LINE * 2)
    for mode in ("full", "fast"):
        for splits in ([], [len(AR2) + 10], [len(AR2) + MAX_LINE + 3]):
            stats = ScanStats()
            cuts = sorted(splits)
            chunks = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
            facts = list(scan_chunks(chunks, "t.txt", mode=mode, stats=stats))
            assert [f.ev.line for f in facts] == [8, 9]
            assert stats.lines == AR2.count("\n") + 1


def test_a_cut_long_line_keeps_its_head() -> None:
    row = "1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32"
    data = ("<AR2> display ike error-info\n" + row + " " * (MAX_LINE * 2) + "\n").encode()
    for mode in ("full", "fast"):
        for splits in ([], [40], [40, 40 + MAX_LINE]):
            got = scan_bytes(data, mode, splits)
            assert [(k[3], k[1], k[4]) for k in got if k[0] == "S"] == [
                ("authentication fail", 2, "AR2")
            ]


# -- line ends and terminal debris --------------------------------------------------------------


def test_cr_crlf_and_lf_line_ends_give_the_same_facts() -> None:
    lf = AR2 + AR1
    expect = rows(lf)
    assert [n for _, n, _ in expect] == [8, 9, 18, 19]
    for text in (lf.replace("\n", "\r\n"), lf.replace("\n", "\r")):
        for mode in ("full", "fast"):
            assert rows(text, mode) == expect


def test_huawei_more_prompt_with_erase_sequence() -> None:
    erase = "  ---- More ----\x1b[42D                                          \x1b[42D"
    text = AR2.replace("1.1.1.1 500 config", erase + "1.1.1.1 500 config")
    for mode in ("full", "fast"):
        got = [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, Signal)]
        assert [(s.reason, s.ev.line, s.ev.text) for s in got] == [
            ("authentication fail", 8, "1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32"),
            ("config ID mismatch", 9, "1.1.1.1 500 config ID mismatch v2 2017-09-05 15:22:32"),
        ]


def test_cisco_more_erased_with_backspaces() -> None:
    more = " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10
    assert clean_line(more + "R1#show crypto isakmp sa") == "R1#show crypto isakmp sa"


def test_backspaces_ansi_colours_and_tabs() -> None:
    text = (
        "\x1b[1;32m<AR2>\x1b[0m display ike erorr\b\b\b\brror-info\n"
        "peer\tport\terror-reason\tversion\terror-time\n"
        "\x1b[31m1.1.1.1\x1b[0m\t500\tauthentication fail\tv2\t2017-09-05 15:22:32\n"
    )
    for mode in ("full", "fast"):
        assert rows(text, mode) == [("authentication fail", 3, "AR2")]


def test_clean_line_leaves_no_control_characters() -> None:
    assert clean_line("a\x07b\x1bc\x9bd\x00e") == "a b c d e"
    assert clean_line("\ufeff<FW1>") == "<FW1>"
    assert clean_line("abc\rdef\r") == "def"
    assert clean_line("x\ty \t") == "x y"


@given(raw=st.binary(max_size=300) | st.text(max_size=100).map(lambda t: t.encode()))
def test_clean_bytes_is_clean_line_of_the_decoded_line(raw: bytes) -> None:
    raw = raw.replace(b"\n", b" ")
    assert clean_bytes(raw) == clean_line(raw.decode("utf-8", "replace"))


# -- prompts and devices ------------------------------------------------------------------------


def test_prompt_styles_name_the_device() -> None:
    row = "1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32\n"
    for prompt, device in (
        ("<FW1>", "FW1"),
        ("[FW1]", "FW1"),
        ("[~FW1-ike-peer-x]", "FW1"),
        ("[*FW1-ipsec-policy-templet-t1-10]", "FW1"),
        ("HUAWEI>", "HUAWEI"),
        ("  <FW1>", "FW1"),
    ):
        text = f"{prompt}display ike error-info\n{row}"
        for mode in ("full", "fast"):
            assert rows(text, mode) == [("authentication fail", 2, device)], (prompt, mode)


def test_several_devices_in_one_paste_keep_their_names() -> None:
    text = AR1 + "\n<AR1>\n[AR1]display ike sa\nnothing here\n" + AR2
    expect = [
        ("phase1 proposal mismatch", 8, "AR1"),
        ("phase1 proposal mismatch", 9, "AR1"),
        ("authentication fail", 22, "AR2"),
        ("config ID mismatch", 23, "AR2"),
    ]
    for mode in ("full", "fast"):
        assert rows(text, mode) == expect
    # the view prompt of a known device keeps the device's name
    text = "<FW-HQ>\n[FW-HQ-ike-peer-b1]display ike error-info\n" + AR2.split("\n", 1)[1]
    assert {d for _, _, d in rows(text)} == {"FW-HQ"}


def test_table_without_prompt_is_read_in_full_mode() -> None:
    table = AR2.split("\n", 1)[1]  # no prompt line
    assert rows(table) == [("authentication fail", 7, None), ("config ID mismatch", 8, None)]
    rows_only = "\n".join(table.splitlines()[6:8]) + "\n"  # no header either
    assert rows(rows_only) == [("authentication fail", 1, None), ("config ID mismatch", 2, None)]


class _Recorder:
    """A parser that accepts every line it is offered and records them."""

    name = "test.recorder"
    vendor = "test"
    log_like = True
    commands: tuple[tuple[str, ...], ...] = ()

    def __init__(self, hints: tuple[str, ...] = ()) -> None:
        self.hints = hints
        self.offered: list[str] = []

    def accepts(self, text: str) -> bool:
        self.offered.append(text)
        return False

    def start(self, ctx: Context) -> Block:  # pragma: no cover - never accepted
        raise AssertionError


def test_parser_hints_filter_what_accepts_sees() -> None:
    text = "IKE one\nike PEER two\nipsec three\nnothing\n  Peer four\n"
    plain, hinted = _Recorder(), _Recorder(hints=("Peer", "three"))
    anchored = _Recorder(hints=("^peer", "three"))
    for parser in (plain, hinted, anchored):
        list(scan_chunks([text.encode()], "t.txt", parsers=(parser,)))
    assert plain.offered == ["IKE one", "ike PEER two", "ipsec three", "nothing", "  Peer four"]
    assert hinted.offered == ["ike PEER two", "ipsec three", "  Peer four"]
    assert anchored.offered == ["ipsec three", "  Peer four"]


class _OneShot:
    """A block that takes its first line only, and says so with ``ended`` (or not, with a
    ``done`` list like the configuration parser's, which must not be mistaken for it)."""

    def __init__(self, ctx: Context, flag: str) -> None:
        self.ctx, self.flag, self.lines = ctx, flag, 0
        self.done: list[int] = []

    def feed(self, ev: Line) -> bool:
        self.lines += 1
        if self.lines > 1:
            return "more" in ev.text
        self.ctx.emit(Unparsed(family=self.flag, ev=ev))
        self.done.append(1)
        if self.flag == "ended":
            self.ended = True
        return True

    def close(self) -> None:
        pass


class _OneShotParser:
    name = "test.one-shot"
    vendor = "test"
    log_like = True
    commands: tuple[tuple[str, ...], ...] = ()

    def __init__(self, flag: str) -> None:
        self.flag = flag

    def accepts(self, text: str) -> bool:
        return text.startswith("ike")

    def start(self, ctx: Context) -> Block:
        return _OneShot(ctx, self.flag)


def test_a_block_that_has_ended_is_closed_at_once() -> None:
    text = b"ike one\nike more two\n"
    for flag, lines in (("ended", [1, 2]), ("open", [1])):
        facts = list(scan_chunks([text], "t.txt", parsers=(_OneShotParser(flag),)))
        assert [f.ev.line for f in facts] == lines, flag


def test_another_modules_message_is_not_offered_to_parsers() -> None:
    rec = _Recorder()
    text = (
        "Mar  8 2017 11:10:51 FW1 %%01SHELL/5/CMDRECORD(s)[7]:Recorded. (Command=ike sa)\n"
        "Mar  8 2017 11:10:51 FW1 %%01SHELL/5/CMDRECORD(s)[7]:Recorded. (Command=IKE sa)\n"
        "Mar  8 2017 11:10:51 FW1 %%01IKE/5/IKE_X(l)[7]:whatever\n"
    )
    for mode in ("full", "fast"):
        rec.offered.clear()
        list(scan_chunks([text.encode()], "t.txt", mode=mode, parsers=(rec,)))
        assert [t.rsplit(":", 1)[1] for t in rec.offered] == [
            "Recorded. (Command=IKE sa)",
            "whatever",
        ]


# -- redaction of log lines (memoised by message) -----------------------------------------------

_HOSTS = ("FW1", "USG6550-HQ", "key1", "psk", "password", "my.secret", "c", "AR-cipher",
          "snmp-server", "standby", "vrrp-1", "radius-server")
_TAGS = (
    "%%01IKE/5/IKE_NEGO_FAIL(l)[3]:",
    "%%01IPSEC/4/IPSECNEGOFAIL(t):",
    "%%01SHELL/5/CMDRECORD(s)[77]:",
    "%%01AAA/5/PASSWORD_KEY[1]:",
    "IKE/7/IKE_Debug:",
    "%%01IKE/4/PSK:",
)
_MESSAGES = (
    "IPSec tunnel negotiation fails. (PeerAddress=2.1.1.1, Reason=phase1 proposal mismatch)",
    " PSK secret1",
    'PSK "quoted"',
    ' : PSK "x y"',
    'XAUTH "pw"',
    "password Canary1 and more",
    "pre-shared-key cipher %^%#abc%^%# tail",
    "Command=ike-peer p1 pre-shared-key simple Canary2",
    "authentication-mode md5 1 cipher Canary3",
    "host 1.1.1.1 version 2c CanaryCommunity",
    "snmp-server host 1.1.1.1 CanaryCommunity2",
    " 1 authentication CanaryHsrp",
    "key 7 CanaryServerKey",
    "user u g v3 auth sha CanaryAuth priv aes 128 CanaryPriv",
    "%@%@blob%@%@",
    'RSA key.pem "pass phrase" ',
    "",
    "community public",
    "x" * 1100,
)
_BODIES = (
    "IKE_INFO 2:5773 ",
    "IKE_ERROR 17:1 ",
    "IKE_KEY 1:1 ",
    "[IPSEC-Error] ",
    "[IPSEC-Key] ",
)


@settings(max_examples=300, deadline=None)
@given(
    stamp=st.sampled_from(
        (
            "Mar  8 2017 11:10:47",
            "<134>Dec 31 2017 23:59:59.123+08:00",
            "Aug 17 2017 14:29:15.800.1",
        )
    ),
    host=st.sampled_from(_HOSTS),
    tag=st.sampled_from(_TAGS),
    body=st.sampled_from(_BODIES),
    message=st.sampled_from(_MESSAGES),
    noise=st.text(alphabet="Pk:=% \"'-", max_size=6),
)
def test_memoised_redaction_is_redact(
    stamp: str, host: str, tag: str, body: str, message: str, noise: str
) -> None:
    red = scan_mod._Redactor()
    for text in (
        f"{stamp} {host} {tag}{message}{noise}",
        f"{stamp} {host} {tag}{noise}{message}",
        f"{body}{message}{noise}",
        f"{body}{noise}{message}",
    ):
        expect = redact(text)
        assert red(text) == expect, text
        assert red(text) == expect, text  # from the memo
    assert MASK not in red(f"{stamp} FW1 {_TAGS[0]}{_MESSAGES[0]}")


def test_redaction_memo_is_bounded() -> None:
    red = scan_mod._Redactor()
    for i in range(3 * scan_mod._MEMO_MAX):
        red(f"Mar  8 2017 11:10:47 FW{i} %%01IKE/5/IKE_NEGO_FAIL(l)[3]:message {i}")
    assert len(red.messages) <= scan_mod._MEMO_MAX
    assert len(red.heads) <= scan_mod._MEMO_MAX


def test_syslog_priority_is_not_a_prompt() -> None:
    text = "<134>Mar  8 2017 11:10:47 FW1 hello\n" + AR2
    for mode in ("full", "fast"):
        assert [d for _, _, d in rows(text, mode)] == ["AR2", "AR2"]


def test_secrets_in_prompt_commands_are_not_kept() -> None:
    text = "[FW1-ike-peer-x]pre-shared-key cipher CanaryCmd\n" + AR2
    facts = scan_text(text)
    assert facts and all("CanaryCmd" not in repr(f) for f in facts)


def test_asa_pager_prompt_is_removed_with_its_brackets() -> None:
    from ipsec_doctor.ingest.clean import clean_line

    assert clean_line("<--- More --->") == ""
    assert clean_line("  ---- More ----  1.1.1.1 500 x") == "1.1.1.1 500 x"


@pytest.mark.parametrize("word", [w.decode() for w in KEYWORD_SPELLINGS])
def test_fast_mode_offers_every_vendor_spelling(word: str) -> None:
    """Each spelling fast mode searches for brings its line to Python; "like" does not."""
    noise = "Nov 23 2026 10:00:00 FW1 %%01IFNET/4/LINK_STATE(l)[1]:The line state changed.\n"
    line = f"Nov 23 2026 10:00:01 FW1 {word} tunnel with 192.0.2.1 changed state\n"
    data = (noise * 50 + line + noise * 50 + "a user like Mike logged in\n").encode()
    stats = ScanStats()
    list(scan_chunks([data], "x.log", mode="fast", stats=stats))
    assert stats.offered == 1


@given(tok=st.text(alphabet="0123456789:.+-x²٣ ", max_size=12))
def test_debug_clock_is_the_is_clock_rule(tok: str) -> None:
    from ipsec_doctor.parsers.huawei.debug import _clock
    from ipsec_doctor.parsers.util import is_clock

    head = tok[:8]
    expect = head if len(head) == 8 and head[2] == ":" and head[5] == ":" and is_clock(head) else None
    assert _clock(tok) == expect
