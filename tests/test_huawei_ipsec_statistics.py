"""``display ipsec statistics [esp]`` / ``display ipsec packet statistics``: every sample of the
reference documents (seed 002, seed 003, verbatim: odd indentation, trailing blanks, ``.....``
elisions, Markdown fences), the manual layouts (USG full output with encrypt/decrypt sections, NE
per-address-family sections, the AR ``esp`` counters) and messy pastes.
"""

from __future__ import annotations

import pytest

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line
from ipsec_doctor.parsers.huawei.ipsec_statistics import IpsecStatistics

NEGOTIATE = (
    "ike_fwd_ok",
    "ike_fwd_err",
    "ike_ctrl_in_ok",
    "ike_ctrl_out_ok",
    "soft_expired",
    "hard_expired",
    "dpd_oper",
    "trigger_ok",
    "switch_sa",
    "sync_sa",
    "nat_keepalive_in",
    "ike_input",
)


def stats(text: str, mode: str = "full") -> list[IpsecStatistics]:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, IpsecStatistics)]


def line_of(f: IpsecStatistics, field: str) -> tuple[int, str]:
    ev = f.lines[field]
    return ev.line, ev.text.strip()


# seed 002 case 3.2 (no IKE packet sent), lines 194-205: prompt and output in separate fences, verbatim
SEED002_ROUTER1_NOT_SENT = """```
<Router1> display ipsec statistics
```

```
.....
negotiate about packet statistics:
IKE fwd packet ok: 0, err: 0
IKE ctrl packet inbound ok: 0, outbound ok: 0
SoftExpr: 0, HardExpr: 0, DPDOper: 0
trigger ok: 0, switch sa: 0, sync sa: 0
recv IKE nat keepalive: 0, IKE input: 0
"""

# seed 002 case 3.3 (IKE packets sent), lines 395-410: output split over two fences, verbatim
SEED002_ROUTER1_SENT = """```
<Router1> display ipsec statistics
.....
negotiate about packet statistics:
IKE fwd packet ok: 0, err: 0
IKE ctrl packet inbound ok: 0, outbound ok: 4
SoftExpr: 0, HardExpr: 0, DPDOper: 0
```

```
trigger ok: 0, switch sa: 0, sync sa: 0
recv IKE nat keepalive: 0, IKE input: 0
```

3.3.2 可能原因

"""

# seed 002 case 3.3 step 1, lines 425-435, verbatim
SEED002_ROUTER1_INITIATOR = """```
<Router1> display ipsec statistics
.....
negotiate about packet statistics:
IKE fwd packet ok: 0, err: 0
IKE ctrl packet inbound ok: 0, outbound ok: 0
SoftExpr: 0, HardExpr: 0, DPDOper: 0
trigger ok: 0, switch sa: 0, sync sa: 0
recv IKE nat keepalive: 0, IKE input: 0
```

"""

# seed 002 case 3.7 (SHA2 authentication drops), lines 1798-1817, verbatim
SEED002_AR1_AUTH = """```
<AR1> display ipsec statistics
IPSec statistics information:
Number of IPSec tunnels: 1
the security packet statistics:
input/output security packets: 33/0
input/output security bytes: 0/0
input/output dropped security packets: 33/0
```



```
.....
dropped security packet detail:
can not find SA: 0, wrong SA: 0
authentication: 33, replay: 0
front recheck: 0, after recheck: 0
.....
```
"""

# seed 003 case 1 (IKE not triggered), lines 78-86, prose after it, verbatim
SEED003_FW1_NOT_SENT = """<FW1> display ipsec statistics
.......
    negotiate about packet statistics: 
    IKE fwd packet ok: 0, err: 0 
    IKE ctrl packet inbound ok: 0, outbound ok: 0
    SoftExpr: 0, HardExpr: 0, DPDOper: 0 
trigger ok: 0, switch sa: 0, sync sa: 0 
    recv IKE nat keepalive: 0, IKE input: 0 
  • Automatic IPSec SA triggering mode
"""

# seed 003 case 2, lines 270-279, a NOTE after it, verbatim
SEED003_FW1_SENT = """    <FW1> display ipsec statistics 
    ....... 
      negotiate about packet statistics: 
        IKE fwd packet ok: 0, err: 0 
        IKE ctrl packet inbound ok: 0, outbound ok: 4 
        SoftExpr: 0, HardExpr: 0, DPDOper: 0 
        trigger ok: 0, switch sa: 0, sync sa: 0 
        recv IKE nat keepalive: 0, IKE input: 0 
NOTE:

"""

# seed 003 ACL case, lines 1505-1513, verbatim
SEED003_FW1_NOT_INITIATED = """    <FW1> display ipsec statistics 
    ....... 
     negotiate about packet statistics: 
         IKE fwd packet ok: 0, err: 0 
         IKE ctrl packet inbound ok: 0, outbound ok: 0 
         SoftExpr: 0, HardExpr: 0, DPDOper: 0 
         trigger ok: 0, switch sa: 0, sync sa: 0 
         recv IKE nat keepalive: 0, IKE input: 0
  3. Find that there are reachable public and private routes and the IPSec configuration is correct.
"""

# seed 003 SHA2 case, lines 1806-1819, verbatim
SEED003_FW1_AUTH = """    <FW1> display ipsec statistics 
     IPSec statistics information:                                                   
     Number of IPSec tunnels: 1                                                      
     the security packet statistics:                                                 
     input/output security packets: 5/0                                            
     input/output security bytes: 0/0                                              
     input/output dropped security packets: 5/0                                    
    ...... 
     dropped security packet detail:                                               
         can not find SA: 0, wrong SA: 0                                             
         authentication: 5, replay: 0                                                
         front recheck: 0, after recheck: 0                                          
    ......
Possible Causes
"""


# -- seed samples -------------------------------------------------------------------------------

NEGOTIATE_SAMPLES = [
    # (text, device, outbound ok, line of "IKE ctrl packet ...", line of "recv IKE nat keepalive")
    (SEED002_ROUTER1_NOT_SENT, "Router1", 0, 9, 12),
    (SEED002_ROUTER1_SENT, "Router1", 4, 6, 12),
    (SEED002_ROUTER1_INITIATOR, "Router1", 0, 6, 9),
    (SEED003_FW1_NOT_SENT, "FW1", 0, 5, 8),
    (SEED003_FW1_SENT, "FW1", 4, 5, 8),
    (SEED003_FW1_NOT_INITIATED, "FW1", 0, 5, 8),
]


@pytest.mark.parametrize(("text", "device", "out_ok", "ctrl_line", "nat_line"), NEGOTIATE_SAMPLES)
def test_seed_negotiate_blocks(
    text: str, device: str, out_ok: int, ctrl_line: int, nat_line: int
) -> None:
    (f,) = stats(text)
    assert f.device == device and f.family == "ipsec-statistics" and f.vendor == "huawei"
    assert f.ike_ctrl_out_ok == out_ok
    assert {n: getattr(f, n) for n in NEGOTIATE if n != "ike_ctrl_out_ok"} == dict.fromkeys(
        (n for n in NEGOTIATE if n != "ike_ctrl_out_ok"), 0
    )
    assert line_of(f, "ike_ctrl_out_ok") == (
        ctrl_line,
        f"IKE ctrl packet inbound ok: 0, outbound ok: {out_ok}",
    )
    assert line_of(f, "ike_ctrl_in_ok")[0] == ctrl_line
    assert line_of(f, "nat_keepalive_in") == (nat_line, "recv IKE nat keepalive: 0, IKE input: 0")
    # the fact cites the prompt that typed the command (line 2 after a fence, else line 1)
    assert f.ev.text.strip() == f"<{device}> display ipsec statistics"
    assert text.split("\n")[f.ev.line - 1].strip() == f.ev.text.strip()
    assert f.ev.line == (2 if text.startswith("```") else 1)
    # the elided part proves nothing: counters that were not printed stay None
    assert f.in_packets is None and f.auth_failed is None and f.tunnels is None
    assert f.other == {}


@pytest.mark.parametrize(
    ("text", "device", "n", "auth_line"),
    [(SEED002_AR1_AUTH, "AR1", 33, 17), (SEED003_FW1_AUTH, "FW1", 5, 11)],
)
def test_seed_authentication_drops(text: str, device: str, n: int, auth_line: int) -> None:
    (f,) = stats(text)
    assert f.device == device and f.ev.text.strip() == f"<{device}> display ipsec statistics"
    assert text.split("\n")[f.ev.line - 1].strip() == f.ev.text.strip()
    assert f.lines["tunnels"].text.strip() == "Number of IPSec tunnels: 1"
    assert (f.tunnels, f.in_packets, f.out_packets, f.in_bytes, f.out_bytes) == (1, n, 0, 0, 0)
    assert (f.in_dropped, f.out_dropped) == (n, 0)
    assert (f.no_sa, f.wrong_sa, f.auth_failed, f.replay) == (0, 0, n, 0)
    assert (f.front_recheck, f.after_recheck) == (0, 0)
    assert line_of(f, "auth_failed") == (auth_line, f"authentication: {n}, replay: 0")
    assert line_of(f, "in_dropped")[1] == f"input/output dropped security packets: {n}/0"
    assert f.lines["in_dropped"] is f.lines["out_dropped"]
    assert f.ike_ctrl_out_ok is None  # the negotiate block was elided


def test_block_ends_at_the_prose_after_it() -> None:
    # seed 003: "• Automatic IPSec SA triggering mode" and "NOTE:" follow the outputs; they are
    # not counters, so the last cited line is the last counter line
    for text in (SEED003_FW1_NOT_SENT, SEED003_FW1_SENT):
        (f,) = stats(text)
        assert max(ev.line for ev in f.lines.values()) == 8
    follow = SEED003_FW1_SENT + "IKE fwd packet ok: 9, err: 9\n"
    # after "NOTE:" ended the block, a stray counter line starts a new record (by shape)
    got = stats(follow)
    assert [g.ike_fwd_ok for g in got] == [0, 9]


def test_every_seed_sample_parses(seeds) -> None:
    """Sweep the documents: each prompt that typed the command yields one fact of its device."""
    for name in ("002_cdda174dccb642c3.txt", "003_959a0ef46ea275e6.txt"):
        lines = (seeds / name).read_text(encoding="utf-8").splitlines()
        starts = [
            i
            for i, t in enumerate(lines)
            if t.strip().startswith("<") and "display ipsec statistics" in t
        ]
        assert starts, name
        for i in starts:
            text = "\n".join(lines[i : i + 25]) + "\n"
            got = stats(text)
            device = lines[i].strip()[1:].split(">")[0]
            assert got and got[0].device == device, (name, i + 1)


# -- manual layouts -----------------------------------------------------------------------------


def test_usg_full_output_with_encrypt_decrypt_sections() -> None:
    # layout of the "display ipsec packet statistics" manual page (USG), counters made distinct
    (f,) = stats(fixture_text("huawei/ipsec-statistics-usg-full.txt"))
    assert f.device == "HUAWEI" and f.ev.line == 1  # the prompt line
    assert f.ev.text.strip() == "<HUAWEI> display ipsec packet statistics"
    assert f.lines["tunnels"].line == 3
    assert (f.tunnels, f.standby_tunnels) == (3, 1)
    assert (f.in_packets, f.out_packets, f.in_bytes, f.out_bytes) == (1520, 1498, 182400, 179760)
    assert (f.in_dropped, f.out_dropped, f.in_dropped_normal, f.out_dropped_normal) == (22, 4, 5, 6)
    assert (f.no_sa, f.wrong_sa, f.auth_failed, f.replay) == (7, 1, 9, 3)
    assert (f.front_recheck, f.after_recheck) == (0, 2)
    assert (f.exceed_byte_limit, f.exceed_packet_limit, f.policy_deny, f.queue_full) == (0, 0, 0, 4)
    assert [getattr(f, n) for n in NEGOTIATE] == [12, 1, 40, 42, 2, 1, 3, 5, 0, 6, 8, 40]
    # chip counters are kept, per section, with their lines
    assert f.other["encrypt.send chip"] == 1498 and f.other["decrypt.send err"] == 2
    assert f.other["decrypt.reass first slice"] == 0 and f.other["encrypt.recv other cpu"] == 0
    assert f.lines["other.decrypt.send err"].line == 14
    assert len(f.other) == 17
    assert line_of(f, "queue_full") == (22, "policy deny: 0, queue is full: 4")
    assert line_of(f, "ike_fwd_err") == (26, "IKE fwd packet ok: 12, err: 1")


def test_ne_output_gives_one_fact_per_address_family() -> None:
    # NetEngine configuration example (IPv6 then IPv4 sections), verbatim
    v6, v4 = stats(fixture_text("huawei/ipsec-statistics-ne-af.txt"))
    assert (v6.af, v4.af) == ("ipv6", "ipv4") and v6.device == v4.device == "DeviceA"
    assert (v6.in_packets, v6.out_packets, v6.in_bytes, v6.out_bytes) == (184, 19, 13216, 1312)
    assert (v4.in_packets, v4.out_packets) == (0, 0)
    for f in (v6, v4):
        assert (f.memory, f.no_sa, f.queue_full, f.auth_failed, f.invalid_length) == (0,) * 5
        assert (f.replay, f.too_long, f.invalid_sa, f.policy_deny) == (0,) * 4
        assert (f.in_dropped_normal, f.out_dropped_normal) == (0, 0)
    assert v4.ev.text.strip() == "IPv4 security packet statistics:" and v4.ev.line == 18
    assert line_of(v6, "auth_failed") == (10, "authentication is failed: 0")
    assert line_of(v4, "auth_failed")[0] == 26


def test_esp_counters_of_older_ar() -> None:
    (f,) = stats(fixture_text("huawei/ipsec-statistics-esp.txt"))
    assert f.device == "AR3"
    assert (f.in_packets, f.in_auth, f.in_decap) == (120, 118, 110)
    assert (f.out_packets, f.out_auth, f.out_encap) == (97, 97, 97)
    assert (f.in_dropped, f.out_dropped) == (10, 0)
    assert (f.invalid_length, f.auth_failed, f.policy_deny) == (1, 6, 2)
    assert (f.replay, f.replay_too_old, f.no_sa) == (0, 1, 0)
    assert line_of(f, "auth_failed") == (11, "AuthFail count            : 6")
    assert f.other == {}


# -- messy pastes -------------------------------------------------------------------------------


def test_messy_paste_crlf_paging_wrapped_pair_fences_two_devices() -> None:
    ar1, fw2 = stats(fixture_text("huawei/ipsec-statistics-messy.txt"))
    assert (ar1.device, fw2.device) == ("AR1", "FW2")
    assert (ar1.in_dropped, ar1.auth_failed, ar1.ike_ctrl_out_ok) == (33, 33, 3)
    # "can not find SA: 0, wrong" + " SA: 0": the cut pair is joined, cited at its first line
    assert (ar1.no_sa, ar1.wrong_sa) == (0, 0) and ar1.lines["wrong_sa"].line == 9
    # the "---- More ----" erase sequence does not hide the counters behind it
    assert line_of(ar1, "auth_failed") == (11, "authentication: 33, replay: 0")
    assert ar1.other == {"mystery drop": 5} and ar1.lines["other.mystery drop"].line == 13
    assert (ar1.ev.line, ar1.ev.text) == (1, "<AR1>display ipsec statistics")
    assert (fw2.ev.line, fw2.ev.text) == (19, "[FW2]dis ipsec stat")  # the prompt lines
    assert fw2.lines["ike_ctrl_out_ok"].line == 24
    assert fw2.ike_ctrl_out_ok == 0 and fw2.in_packets is None


def test_truncated_paste_keeps_what_was_complete() -> None:
    text = SEED002_AR1_AUTH.split("authentication: 33")[0] + "authentication: 33, repl"
    (f,) = stats(text)
    assert f.auth_failed == 33 and f.replay is None and f.no_sa == 0
    cut = SEED002_AR1_AUTH.split("input/output security bytes")[0] + "input/output secu"
    (g,) = stats(cut)
    assert (g.in_packets, g.in_bytes) == (33, None)


@pytest.mark.parametrize(
    "text",
    [
        "<FW1> display ipsec statistics\n<FW1> display ike sa\n",
        "<FW1> display ipsec statistics\n",
        "<FW1> display ipsec statistics\n\n```\n.....\n```\n\n<FW1>\n",
    ],
)
def test_empty_output_gives_no_fact(text: str) -> None:
    assert stats(text) == []


def test_command_abbreviations_and_variants() -> None:
    body = "negotiate about packet statistics:\nIKE ctrl packet inbound ok: 1, outbound ok: 2\n"
    for cmd in (
        "dis ipsec stat",
        "display ipsec statistics esp",
        "display ipsec packet statistics",
        "disp ipsec statistics | include ok",
        "display ipsec statistics slot 1 cpu 0",
    ):
        (f,) = stats(f"<FW1> {cmd}\n{body}")
        assert f.ike_ctrl_out_ok == 2, cmd
    assert stats("<FW1> display ipsec sa\n" + body.split("\n", 1)[1]) == []


def test_without_prompt_by_shape_and_same_in_fast_mode() -> None:
    text = "noise line\n" + SEED003_FW1_AUTH.split("\n", 1)[1] + SEED002_ROUTER1_INITIATOR
    for mode in ("full", "fast"):
        got = stats(text, mode=mode)
        # without a prompt the first line of the output; with one, the prompt (line 16)
        assert [(g.device, g.ev.line, g.auth_failed, g.ike_ctrl_out_ok) for g in got] == [
            (None, 2, 5, None),
            ("Router1", 16, None, 0),
        ], mode
        assert got[0].ev.text.strip() == "IPSec statistics information:"
        assert got[1].ev.text == "<Router1> display ipsec statistics"
    # a headerless negotiate block starts at its first keyword line
    (f,) = stats("IKE fwd packet ok: 3, err: 0\nIKE ctrl packet inbound ok: 0, outbound ok: 7\n")
    assert (f.ev.line, f.ike_fwd_ok, f.ike_ctrl_out_ok) == (1, 3, 7)


def test_output_pasted_twice_gives_two_facts() -> None:
    body = SEED003_FW1_AUTH.split("\n", 1)[1]
    got = stats(SEED003_FW1_AUTH + body.replace("authentication: 5", "authentication: 6"))
    assert [g.auth_failed for g in got] == [5, 6]
    assert got[1].ev.text.strip() == "IPSec statistics information:"


def test_prompt_line_is_the_evidence_when_the_scanner_gives_it() -> None:
    from ipsec_doctor.parsers.base import Context
    from ipsec_doctor.parsers.huawei.ipsec_statistics import IpsecStatisticsParser

    out: list = []
    prompt = Line("t.txt", 1, "<FW1> display ipsec statistics")
    block = IpsecStatisticsParser().start(
        Context("t.txt", "FW1", "display ipsec statistics", out.append, prompt=prompt)
    )
    assert block.feed(Line("t.txt", 2, "IKE fwd packet ok: 0, err: 0"))
    block.close()
    (f,) = out
    assert f.ev is prompt and f.lines["ike_fwd_ok"].line == 2


def test_long_garbage_lines_are_cheap_and_bounded() -> None:
    import time

    junk = "x" * 65536
    pairs = ", ".join(["a: 1"] * 10000)
    text = "<FW1> display ipsec statistics\n" + pairs + "\n" + junk + "\n" + ",:" * 30000 + "\n"
    text += "<FW1> display ipsec statistics\n" + ",:" * 30000 + "\n" + "a: 1," * 12000 + "\n"
    t0 = time.perf_counter()
    got = stats(text)
    assert time.perf_counter() - t0 < 2
    assert len(got) == 1 and got[0].other == {"a": 1}  # one name, kept once
