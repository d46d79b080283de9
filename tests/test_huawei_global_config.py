"""``display ike global config`` / ``display ipsec global config``: the reference documents'
samples (seed 002 verbatim, seed 001's flattened one-line form), the AR layout with every setting,
messy pastes and empty output.
"""

from __future__ import annotations

import pytest

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line
from ipsec_doctor.parsers.base import Context
from ipsec_doctor.parsers.huawei.global_config import (
    GlobalConfig,
    IkeGlobalConfig,
    IkeGlobalConfigParser,
    IpsecGlobalConfig,
    IpsecGlobalConfigParser,
    split_pairs,
)


def configs(text: str, mode: str = "full") -> list[GlobalConfig]:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, GlobalConfig)]


# seed 002 case 3.7 (DF bit), lines 2053-2070, verbatim: fences and the prose after the output
SEED002_AR1 = """```
<AR1> display ipsec global config
IPSec Global Config:
-----
IPSec sa global-duration time-based(seconds) : 3600
IPSec sa global-duration traffic-based(kbytes) : 1843200
IPSec anti-replay : enable
IPSec df-bit      : copy
IPSec fragmentation : disable
IPSec invalid-spi-recovery : disable
IPSec nat-traversal source-port : 8000
-----
```

从显示信息可以看出，IPSec报文的DF标志位为原始报文的标志位。初步怀疑原始报文的DF标志位为1，不允许对报文进行分片。

说明

"""

# seed 001 (IKE error reasons), lines 212, 404 and 868, verbatim: output flattened onto the prompt
SEED001_CALL_ADMISSION = (
    "<sysname> display ike global config IKE Global Config: "
    "-------------------------------------------------------------- ...... "
    "IKE call admission : 800 ......"
)
SEED001_NETMASK = (
    "<sysname> display ipsec global config IPSec Global Config: "
    "-------------------------------------------------------------- ...... "
    "IPSec netmask source : 24 IPSec netmask destination : 24 ......"
)
SEED001_DURATION = (
    "<sysname> display ipsec global config IPSec Global Config: "
    "-------------------------------------------------------------- "
    "IPSec sa global-duration time-based(seconds) : 3600 "
    "IPSec sa global-duration traffic-based(kbytes) : 1843200 ......"
)


def test_seed002_ipsec_global_config() -> None:
    (f,) = configs(SEED002_AR1)
    assert isinstance(f, IpsecGlobalConfig) and f.family == "ipsec-global-config"
    # cited at the prompt line that typed the command
    assert f.device == "AR1" and f.ev == Line("t.txt", 2, "<AR1> display ipsec global config")
    assert f.lines["sa_duration_time"].line == 5
    assert (f.sa_duration_time, f.sa_duration_traffic) == (3600, 1843200)
    assert (f.anti_replay, f.df_bit, f.invalid_spi_recovery) == (True, "copy", False)
    assert (f.fragmentation, f.fragment_before_encryption) == ("disable", False)
    assert f.nat_traversal_source_port == 8000
    assert f.lines["df_bit"] == Line("t.txt", 8, "IPSec df-bit      : copy")
    assert f.lines["fragment_before_encryption"].line == 9
    assert f.other == {} and f.netmask_source is None and f.sha2_compatible is None
    # the prose after the output is not read as settings
    assert max(ev.line for ev in f.lines.values()) == 11


@pytest.mark.parametrize(
    ("parser", "line", "want"),
    [
        (IkeGlobalConfigParser, SEED001_CALL_ADMISSION, {"call_admission": 800}),
        (
            IpsecGlobalConfigParser,
            SEED001_NETMASK,
            {"netmask_source": 24, "netmask_destination": 24},
        ),
        (
            IpsecGlobalConfigParser,
            SEED001_DURATION,
            {"sa_duration_time": 3600, "sa_duration_traffic": 1843200},
        ),
    ],
)
def test_seed001_output_flattened_onto_the_prompt(parser, line: str, want: dict) -> None:
    out: list = []
    prompt = Line("s.txt", 7, line)
    command = line.split(">", 1)[1].strip()
    block = parser().start(Context("s.txt", "sysname", command, out.append, prompt=prompt))
    block.close()
    (f,) = out
    assert {k: getattr(f, k) for k in want} == want
    assert f.ev is prompt and all(f.lines[k] is prompt for k in want)
    assert f.other == {}


@pytest.mark.parametrize(
    ("line", "cls", "want"),
    [
        (SEED001_CALL_ADMISSION, IkeGlobalConfig, {"call_admission": 800}),
        (SEED001_NETMASK, IpsecGlobalConfig, {"netmask_source": 24, "netmask_destination": 24}),
        (
            SEED001_DURATION,
            IpsecGlobalConfig,
            {"sa_duration_time": 3600, "sa_duration_traffic": 1843200},
        ),
    ],
)
def test_seed001_flattened_output_is_read_through_the_scanner(line: str, cls, want: dict) -> None:
    # the scanner hands the prompt line over: the flattened output is read from it, in both
    # modes, and the document's sentences around it are not
    text = "- Run the display command to check it.\n" + line + "\n- If not, go to step 2.\n"
    for mode in ("full", "fast"):
        (f,) = configs(text, mode=mode)
        assert type(f) is cls and f.device == "sysname", mode
        assert {k: getattr(f, k) for k in want} == want and f.other == {}
        assert f.ev == Line("t.txt", 2, line) and {ev.line for ev in f.lines.values()} == {2}


def test_every_flattened_sample_of_seed001(seeds) -> None:
    text = (seeds / "001_c3928a3093123beb.txt").read_text(encoding="utf-8")
    got = configs(text)
    assert [(type(f).__name__, f.ev.line) for f in got] == [
        ("IkeGlobalConfig", 212),
        ("IpsecGlobalConfig", 404),
        ("IpsecGlobalConfig", 868),
    ]
    assert got[0].call_admission == 800 and got[1].netmask_source == 24
    assert got[2].sa_duration_time == 3600


def test_flattened_line_inside_the_block_and_split_pairs() -> None:
    body = SEED001_NETMASK.split("config ", 1)[1]
    (f,) = configs("<FW2> display ipsec global config\n" + body + "\n")
    assert (f.netmask_source, f.netmask_destination, f.ev.line) == (24, 24, 1)
    assert f.lines["netmask_source"].line == f.lines["netmask_destination"].line == 2
    assert split_pairs("IPSec df-bit      : copy") == [("IPSec df-bit", "copy")]
    assert split_pairs("IKE dpd retransmit-interval : -") == [("IKE dpd retransmit-interval", "-")]
    assert split_pairs("If the ping fails, ensure that the links are normal") is None


def test_ar_layout_every_setting_typed() -> None:
    ike, ipsec = configs(fixture_text("huawei/global-config-ar.txt"))
    assert isinstance(ike, IkeGlobalConfig) and ike.family == "ike-global-config"
    # each cites the prompt that typed its command (fixture lines 1 and 21)
    assert (ike.device, ike.ev.line, ipsec.ev.line) == ("AR1", 1, 21)
    assert (ike.ev.text, ipsec.ev.text) == (
        "<AR1> display ike global config",
        "<AR1> display ipsec global config",
    )
    assert ike.local_name == "ar1.example.com"
    assert (ike.call_admission, ike.call_admission_max_sa, ike.call_admission_cpu) == (
        800,
        1000,
        90,
    )
    assert (ike.nat_keepalive, ike.nat_traversal) == (20, True)
    assert (ike.dpd_type, ike.dpd_idle, ike.dpd_retransmit_interval) == ("periodic", 30, 15)
    assert (ike.dpd_retry_limit, ike.dpd_msg_seq) == (3, "seq-hash-notify")
    assert (ike.heartbeat_interval, ike.heartbeat_timeout) == (10, 30)
    assert (ike.heartbeat_seq_num, ike.heartbeat_spi_list) == ("new", False)
    assert ike.other == {"ike peer-name check": "disable"}
    assert ike.lines["other.ike peer-name check"].line == 19
    assert ike.lines["dpd_idle"].text.startswith("IKE DPD idle-time")
    assert ipsec.sa_duration_time == 3600 and ipsec.anti_replay_window == 1024
    assert (ipsec.df_bit, ipsec.fragmentation, ipsec.fragment_before_encryption) == (
        "clear",
        "before-encryption",
        True,
    )
    assert (ipsec.netmask_source, ipsec.netmask_destination) == (24, 16)
    assert (ipsec.sha2_compatible, ipsec.decrypt_check, ipsec.invalid_spi_recovery) == (
        True,
        True,
        True,
    )
    assert ipsec.lines["sha2_compatible"].line == 35
    assert ipsec.other == {"ipsec ipv6 call admission": "500"}
    assert ipsec.dpd_idle is None and ike.df_bit is None


def test_messy_paste_crlf_paging_fences_note_two_devices() -> None:
    fw1, fw2 = configs(fixture_text("huawei/global-config-messy.txt"))
    assert (fw1.device, type(fw1), fw2.device, type(fw2)) == (
        "FW1",
        IkeGlobalConfig,
        "FW2",
        IpsecGlobalConfig,
    )
    assert (fw1.nat_keepalive, fw1.dpd_idle) == (20, 10)
    assert fw1.lines["dpd_idle"].line == 7  # behind the "---- More ----" erase sequence
    # "-" does not convert to seconds: kept as printed, the typed field stays None
    assert fw1.dpd_retransmit_interval is None
    assert fw1.other == {"ike dpd retransmit-interval": "-"}
    # "NOTE:" ends the block (and the sentence after it is not read)
    assert max(ev.line for ev in fw1.lines.values()) == 8
    assert (fw2.netmask_source, fw2.netmask_destination, fw2.df_bit) == (24, 24, "set")
    assert fw2.fragment_before_encryption is False and fw2.lines["df_bit"].line == 15


@pytest.mark.parametrize(
    "text",
    [
        "<FW1> display ike global config\n<FW1> display ike sa\n",
        "<FW1> display ipsec global config\n",
        "<FW1> display ipsec global config\n```\n-----\n......\n```\n<FW1>\n",
    ],
)
def test_empty_output_gives_no_fact(text: str) -> None:
    assert configs(text) == []


def test_without_prompt_by_header_and_same_in_fast_mode() -> None:
    text = "some text\n" + SEED002_AR1.split("\n", 2)[2]
    for mode in ("full", "fast"):
        (f,) = configs(text, mode=mode)
        assert (f.device, f.ev.line, f.df_bit, type(f)) == (None, 2, "copy", IpsecGlobalConfig)
    (g,) = configs("IKE Global Config:\nIKE nat-keepalive-timer interval : 30\n")
    assert isinstance(g, IkeGlobalConfig) and g.nat_keepalive == 30


def test_unprefixed_keys_are_kept_but_prose_ends_the_block() -> None:
    text = (
        "<FW1> display ike global config\n"
        "DPD idle-time : 20\n"
        "Step 2: run the display ike peer command to check the remote address\n"
        "IKE nat-keepalive-timer interval : 30\n"
    )
    (f,) = configs(text)
    assert f.dpd_idle == 20 and f.nat_keepalive is None and f.other == {}


def test_output_pasted_twice_gives_two_facts_and_abbreviation() -> None:
    body = "IPSec df-bit : copy\nIPSec df-bit : set\n"
    got = configs("<FW1> dis ipsec glo con\n" + body)
    assert [g.df_bit for g in got] == ["copy", "set"]
    # the first cites the prompt, the repeat (no prompt of its own) its first line
    assert [g.ev.line for g in got] == [1, 3]
    assert [g.lines["df_bit"].line for g in got] == [2, 3]


def test_long_garbage_lines_are_cheap() -> None:
    import time

    text = (
        "<FW1> display ipsec global config\n"
        + "IPSec df-bit : copy " * 4000
        + "\n"
        + "x " * 30000
        + "\n"
        + ": " * 30000
        + "\n"
    )
    t0 = time.perf_counter()
    got = configs(text)
    assert time.perf_counter() - t0 < 2
    assert len(got) == 1 and got[0].df_bit == "copy"
