"""Fast mode's line filter (``ingest/candidates.py``): both finders against a plain reference,
against each other, and the Hyperscan finder's own edges (thread safety, huge ranges, the
choice between finders).

The reference is the rule of the module docstring written word by word, line by line: a keyword
spelling anywhere in the line (a lower-case "ike" not glued to a letter) and not ``foreign``.
"""

from __future__ import annotations

import random
import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import use_finder
from ipsec_doctor.ingest import candidates
from ipsec_doctor.ingest.candidates import KEYWORD_SPELLINGS, MAX_LINE, foreign

FINDERS = list(candidates.FINDERS)


def _find(name: str, buf: bytes, pos: int, end: int) -> list[int]:
    with use_finder(name):
        return candidates.find(buf, pos, end)


def _lines(buf: bytes, positions: list[int]) -> set[int]:
    """The line starts of ``positions`` (a position may be a line's newline)."""
    return {buf.rfind(b"\n", 0, p) + 1 for p in positions}


# -- keywords against a plain reference ----------------------------------------------------------
_LOWER = (b"ike", b"ipsec", b"isakmp")
_UPPER = tuple(w for w in KEYWORD_SPELLINGS if w not in _LOWER)


def _keyword_line(line: bytes) -> bool:
    """A spelling anywhere in the line, except a lower-case "ike" right after an ASCII letter."""
    if any(w in line for w in _UPPER) or b"ipsec" in line or b"isakmp" in line:
        return True
    i = line.find(b"ike")
    while i != -1:
        if i == 0 or not (65 <= line[i - 1] <= 90 or 97 <= line[i - 1] <= 122):
            return True
        i = line.find(b"ike", i + 1)
    return False


def _reference_candidates(buf: bytes) -> set[int]:
    """Line starts of the keyword lines of ``buf`` (whole lines) that are not ``foreign``."""
    out, start = set(), 0
    while start < len(buf):
        nl = buf.index(b"\n", start)
        if _keyword_line(buf[start:nl]) and not foreign(buf, start, nl):
            out.add(start)
        start = nl + 1
    return out


# Pieces of lines without prompt or debris characters (no "<", "[", ">", "#", ESC, BS, CR, no
# leading blank or "-"), so that the finders report keyword lines only.
_PIECES = [
    *[w.decode() for w in KEYWORD_SPELLINGS],
    "l", "b", "M", "str", "X", "_", "/", "=", " ", "0",
    "Mar  8 2017 11:10:51 FW1 %%01SHELL/5/CMDRECORD(s)[7]:",
    "Mar  8 2017 11:10:51 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:",
    "FW1 %%01IPSEC-VPN/4/X:", "%%01ike/5/", "%%0", "Command=", "IKE_INFO 2:5 ", "iKe", "IPSEc",
]


@st.composite
def keyword_buffers(draw: st.DrawFn) -> bytes:
    lines = draw(
        st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), max_size=12)
    )
    return "".join(f"{line}\n" for line in lines).encode()


@pytest.mark.parametrize("finder", FINDERS)
@settings(max_examples=300, deadline=None)
@given(buf=keyword_buffers(), lead=st.sampled_from([b"", b"x\n", b"like\n"]))
def test_keyword_lines_are_those_of_the_reference(finder: str, buf: bytes, lead: bytes) -> None:
    data = lead + buf
    got = _lines(data, _find(finder, data, len(lead), len(data)))
    assert got == {p for p in _reference_candidates(data) if p >= len(lead)}


@pytest.mark.parametrize("finder", FINDERS)
def test_a_keyword_beyond_the_foreign_window(finder: str) -> None:
    shell = b"Mar  8 2017 11:10:51 FW1 %%01SHELL/5/CMDRECORD(s)[7]:x "
    for word in (b"IKE", b"IPSEC", b"IPSec", b"ISAKMP", b"IPsec", b"Ike"):
        for pad, expect in ((MAX_LINE, set()), (100, {0})):
            line = shell + b"y" * pad + word + b" display ike sa\n"
            if word in (b"IPsec", b"Ike"):
                expect = set()  # not among the words that make a line possibly ours
            assert _lines(line, _find(finder, line, 0, len(line))) == expect, (word, pad)
            assert _reference_candidates(line) == expect


@pytest.mark.parametrize("finder", FINDERS)
def test_glued_ike_at_the_start_of_the_range_and_of_the_buffer(finder: str) -> None:
    assert _lines(b"ike sa\n", _find(finder, b"ike sa\n", 0, 7)) == {0}
    assert _lines(b"like\nike sa\n", _find(finder, b"like\nike sa\n", 5, 12)) == {5}
    assert _find(finder, b"strike\nbike\n", 0, 12) == []


@pytest.mark.parametrize("finder", FINDERS)
@pytest.mark.parametrize("word", [w.decode() for w in KEYWORD_SPELLINGS])
def test_every_spelling_at_the_start_middle_and_end_of_a_line(finder: str, word: str) -> None:
    for line in (f"{word} x", f"x {word} x", f"x={word}", word):
        buf = f"noise\n{line}\nnoise\n".encode()
        assert _lines(buf, _find(finder, buf, 0, len(buf))) == {6}, line


# -- prompts and debris --------------------------------------------------------------------------
@pytest.mark.parametrize("finder", FINDERS)
def test_prompts_and_debris_are_candidates(finder: str) -> None:
    for line, expect in (
        (b"<FW1>display ike sa", True),
        (b"<FW1>", True),
        (b"  [FW1-ike-peer-x]", True),
        (b"\xef\xbb\xbf\xc2\xa0<FW1>", True),  # BOM, no-break space
        (b"\xe3\x80\x80[FW1]", True),  # ideographic space
        (b"  ---- More ----", True),
        (b"<134>Mar  8 2017 11:10:52 FW1 %%01OSPF/3/X(l)[8]:state changed.", False),
        (b"<1" + b"2" * 70 + b">", True),  # too long for a priority
        (b"<12 x", True),
        (b"<", True),
        (b"HUAWEI>", True),
        (b"R1#show crypto isakmp sa", True),
        (b"R1# terminal length 0", True),
        (b"a -> b # c", False),
        (b"x\x1b[0mplain", True),
        (b"dsp\b\b\bdisplay", True),
        (b"junk\r<FW6>", True),
        (b"plain text, nothing else", False),
    ):
        for crlf in (b"\n", b"\r\n"):
            buf = b"noise" + crlf + line + crlf + b"noise" + crlf
            got = _lines(buf, _find(finder, buf, 0, len(buf)))
            assert got == ({len(b"noise" + crlf)} if expect else set()), (line, crlf)


@pytest.mark.parametrize("finder", FINDERS)
def test_cisco_vpn_tags_without_a_keyword_are_candidates(finder: str) -> None:
    for line, expect in (
        (b"*Sep 14 06:00:45.693: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed", True),
        (b"000123: *Mar  1 00:03:43 UTC: %CRPTO-4-IKMP_BAD_MESSAGE: message from x", True),
        (b"%CRYPTO_ENGINE-3-CSDL_COMPAT: an engine error", True),
        (b"Dec 04 2014 12:37:51: %ASA-5-713119: Group = 77.88.99.100, PHASE 1 COMPLETED", True),
        (b"172.16.200.253:514 : local7.notice %PIX-5-713904: IP = 78.186.68.163, no SA", True),
        (b"%PIX|ASA-4-402101: decaps: recd packet has invalid spi", True),
        (b"%FTD-6-113019: Group = g, Username = u, IP = 1.2.3.4, Session disconnected.", True),
        (b"%ASA-4-750003: Local:1.1.1.1:500 Remote:2.2.2.2:500 Negotiation aborted", True),
        (b"%ASA-6-602303: An outbound tunnel SA (SPI= 0x1) was created", True),
        (b"%HW_VPN-1-HPRXERR: Hardware VPN0/2: Packet Encryption/Decryption error", True),
        (b"%MOTCR-1-ERROR:motcr_crypto_callback() motcr return failure", True),
        (b"%C1700_EM-1-ERROR: packet-rx error: ESP sequence fail", True),
        # not VPN messages: other ASA ids, other facilities, a Huawei tag
        (b"%ASA-6-302013: Built outbound TCP connection 1 for outside:1.2.3.4/443", False),
        (b"%ASA-6-4021: not an id in range", False),
        (b"%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to up", False),
        (b"Mar  8 2017 11:10:47 FW1 %%01OSPF/3/NBR_CHG_DOWN(l)[8]:Neighbor state changed.", False),
        (b"CRYPTO-4-PKT_REPLAY_ERR without its percent sign", False),  # full mode only
    ):
        buf = b"noise\n" + line + b"\nnoise\n"
        got = _lines(buf, _find(finder, buf, 0, len(buf)))
        assert got == ({6} if expect else set()), line


# -- the finders agree ---------------------------------------------------------------------------
# A line the Hyperscan finder may add: a prompt or paging prompt after more blanks than ``re``'s
# bounded runs allow (any number of them; a test pattern, run on small inputs only).
_UNBOUNDED_PROMPT = re.compile(
    candidates._PROMPT_TAIL.replace(b"{0,8}", b"*").replace(b"{0,200}", b"*")
)

_MIXED = [
    *_PIECES,
    "<FW1>", "[FW2]", "  ", "\t", "\xa0", "\u3000", "---- More ----", "-- more", "<134>", "<",
    "HUAWEI>", "R1#", " show", "dis", "\x1b[0m", "\b", "\r", "\ufeff", "#", ">", "1", "9",
    "%CRYPTO-4-", "%ASA-5-713", "%PIX|", "%ASA-6-302", "%", "-", "CRYPTO", "402", "713904",
]


@st.composite
def mixed_buffers(draw: st.DrawFn) -> bytes:
    lines = draw(
        st.lists(st.lists(st.sampled_from(_MIXED), max_size=10).map("".join), max_size=14)
    )
    return "".join(f"{line}\n" for line in lines).encode()


@pytest.mark.skipif(not candidates.load_hyperscan(), reason="the hyperscan package does not import")
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(buf=mixed_buffers(), lead=st.sampled_from([b"", b"x\n", b"like\n", b"  \n"]))
def test_hyperscan_reports_the_lines_re_reports(buf: bytes, lead: bytes) -> None:
    data = lead + buf
    by_re = _lines(data, candidates.find_re(data, len(lead), len(data)))
    by_hs = _lines(data, candidates.find_hyperscan(data, len(lead), len(data)))
    assert by_re <= by_hs
    for start in by_hs - by_re:  # only prompts behind long blank runs
        assert _UNBOUNDED_PROMPT.match(data, start, data.index(b"\n", start)), data[start:]


@pytest.mark.skipif(not candidates.load_hyperscan(), reason="the hyperscan package does not import")
def test_hyperscan_on_a_large_realistic_buffer() -> None:
    rnd = random.Random(7)
    lines = [
        b"Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails.",
        b"Mar  8 2017 11:10:51 FW1 %%01SHELL/5/CMDRECORD(s)[7]:(Command=\"display ike sa\")",
        b"Mar  8 2017 11:10:50 FW1 %%01URL/4/FILTER(l)[6]:Url=www.bikeshop.example, User=Mike",
        b"<134>Mar  8 2017 11:10:52 FW1 %%01OSPF/3/NBR_CHG_DOWN(l)[8]:Neighbor state changed.",
        b"[IPSEC-Error] acl mismatch.(Ifindex=[7], PeerAddress=[1.1.1.1])",
        b"IKE_INFO 2:2969 Attribute ENCRYPTION_ALGORITHM value AES_CBC",
        b"<FW1>display ike error-info",
    ]
    buf = b"\n".join(rnd.choice(lines) for _ in range(60_000)) + b"\n"
    by_hs = _lines(buf, candidates.find_hyperscan(buf, 0, len(buf)))
    assert by_hs == _lines(buf, candidates.find_re(buf, 0, len(buf)))
    assert 20_000 < len(by_hs) < 50_000


# -- the Hyperscan finder's own edges ------------------------------------------------------------
@pytest.mark.skipif(not candidates.load_hyperscan(), reason="the hyperscan package does not import")
def test_hyperscan_from_several_threads_at_once() -> None:
    buf = b"x\nFW1 IKE/5/IKE_NEGO_FAIL x\n<FW1>\nnoise like\n" * 20_000
    expect = candidates.find_hyperscan(buf, 0, len(buf))
    assert _lines(buf, expect) == _lines(buf, candidates.find_re(buf, 0, len(buf)))
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                results.append(candidates.find_hyperscan(buf, 0, len(buf)))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 20 and all(r == expect for r in results)


@pytest.mark.skipif(not candidates.load_hyperscan(), reason="the hyperscan package does not import")
def test_a_range_too_large_for_hyperscan_uses_re(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = b"x\nike sa\n<FW1>\n" * 10
    monkeypatch.setattr(candidates, "_HS_MAX", 8)
    monkeypatch.setattr(candidates, "find_re", lambda b, p, e: ["re was used"])
    assert candidates.find_hyperscan(buf, 0, len(buf)) == ["re was used"]


def test_the_finder_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPSEC_DOCTOR_MATCHER", "re")
    assert candidates.finder_name() == "re"
    monkeypatch.setenv("IPSEC_DOCTOR_MATCHER", "")
    assert candidates.finder_name() == ("hyperscan" if candidates.load_hyperscan() else "re")


def test_without_hyperscan_the_re_finder_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(candidates, "_HS", None)
    monkeypatch.setitem(sys.modules, "hyperscan", None)  # "import hyperscan" raises ImportError
    monkeypatch.delenv("IPSEC_DOCTOR_MATCHER", raising=False)
    assert candidates.finder_name() == "re"
    buf = b"ike sa\n"
    assert candidates.find_hyperscan(buf, 0, len(buf)) == [0]  # falls back rather than failing


def test_cisco_tags_cover_every_facility_and_message_id_the_syslog_parser_reads() -> None:
    """``_CISCO_TAG`` restates ``parsers/cisco/syslog.py``'s facilities and ASA id ranges; a
    facility or range added there without a keyword must be added here too."""
    from ipsec_doctor.parsers.cisco import syslog

    for fac in syslog.IOS_FACILITIES | syslog.HW_FACILITIES:
        tagged = f"%{fac}-4-X: text".encode()
        assert candidates._CISCO_TAG.match(tagged) or _keyword_line(tagged), fac
    tag = candidates._CISCO_TAG.match
    for fac in syslog.ASA_FACILITIES:
        for mid in range(100_000, 1_000_000):
            ours = syslog._asa_ours(mid)
            assert (tag(b"%%%s-4-%d: text" % (fac.encode(), mid)) is not None) == ours, (fac, mid)
