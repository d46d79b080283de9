"""strongSwan charon logs (``parsers/strongswan/charon.py``): every line shape, the context that
refines a message (exchange, proposals, peer), and the diagnosis of real-format evidence."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import fixture_text
from ipsec_doctor.diagnose.engine import diagnose
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Signal
from ipsec_doctor.parsers.strongswan.charon import parse
from ipsec_doctor.parsers.strongswan.proposals import compare, parse_list


def signals(text: str) -> list[Signal]:
    return [f for f in scan_text(text, "t.log") if isinstance(f, Signal)]


def faults(text: str) -> list[tuple[str, float]]:
    report = diagnose(scan_text(text, "t.log"))
    return [(f.cause, f.confidence) for f in report.findings if not f.normal]


@pytest.mark.parametrize(
    ("line", "time", "host", "group", "sa"),
    [
        (
            "Nov 23 20:25:54 11[CFG] <net|1> selected proposal: IKE:AES_CBC_256",
            "Nov 23 20:25:54",
            None,
            "CFG",
            "1",
        ),
        (
            "Nov 23 20:25:54 gw1 charon: 11[IKE] received AUTHENTICATION_FAILED notify error",
            "Nov 23 20:25:54",
            "gw1",
            "IKE",
            None,
        ),
        (
            "2026-11-23T20:25:54.123456+00:00 gw1 charon[812]: 11[IKE] <3> giving up after 5 retransmits",
            "2026-11-23 20:25:54",
            "gw1",
            "IKE",
            "3",
        ),
        (
            "Nov 23 20:25:54 gw1 charon-systemd[812]: received AUTHENTICATION_FAILED notify error",
            "Nov 23 20:25:54",
            "gw1",
            None,
            None,
        ),
        ("[IKE] initiating IKE_SA net[1] to 198.51.100.2", None, None, "IKE", None),
        (
            "May 13 11:50:03 intra charon: 12[IKE1] <C1|3> authentication of 'x' successful",
            "May 13 11:50:03",
            "intra",
            "IKE",
            "3",
        ),
    ],
)
def test_line_shapes(line: str, time: str | None, host: str | None, group: str | None, sa) -> None:
    p = parse(line)
    assert p is not None
    assert (p.time, p.host, p.group, p.sa) == (time, host, group, sa)
    assert not p.msg.startswith(("<", "["))


@pytest.mark.parametrize(
    "line",
    [
        "Nov 23 20:25:54 gw1 kernel: [123.4] eth0: link up",
        "Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails.",
        "[IPSEC-Error] acl mismatch.(Ifindex=[7], SeqNum=[0])",
        "<FW1> display ike sa",
    ],
)
def test_other_lines_are_not_charon(line: str) -> None:
    assert parse(line) is None


def test_syslog_signal_carries_device_peer_version_and_time() -> None:
    sigs = signals(fixture_text("strongswan/syslog-psk-responder.log"))
    assert [s.reason for s in sigs] == [
        "tried 1 shared key for '198.51.100.2' - '192.0.2.1', but MAC mismatched"
    ]
    s = sigs[0]
    assert (s.vendor, s.device, s.peer, s.version, s.time) == (
        "strongswan",
        "gw-b",
        "192.0.2.1",
        "v2",
        "Nov 23 20:28:50",
    )
    assert s.ev.line == 11  # the kernel line in between did not break the context
    assert faults(fixture_text("strongswan/syslog-psk-responder.log"))[0][0] == "psk-mismatch"


def test_journal_form_without_thread_or_group() -> None:
    text = fixture_text("strongswan/journal-ike-proposal-initiator.log")
    (s,) = signals(text)
    assert s.detail == "NO_PROPOSAL_CHOSEN received in IKE_SA_INIT"
    assert (s.device, s.peer) == ("gw-a", "198.51.100.2")
    # the initiator cannot tell proposal from group, version or address: a candidate list
    causes = [c for c, _ in faults(text)]
    assert causes[0] == "ike-proposal-mismatch" and "ike-dh-group-mismatch" in causes


def test_no_proposal_chosen_is_told_by_exchange() -> None:
    text = fixture_text("strongswan/swanctl-log-rekey-pfs.txt")
    details = [s.detail for s in signals(text) if "NO_PROPOSAL_CHOSEN" in s.reason]
    assert details == ["NO_PROPOSAL_CHOSEN received in CREATE_CHILD_SA"]
    assert faults(text)[0][0] == "pfs-mismatch"
    auth = text.replace("CREATE_CHILD_SA", "IKE_AUTH")
    assert faults(auth)[0][0] == "ipsec-proposal-mismatch"


def test_unknown_error_line_is_reported_not_dropped() -> None:
    report = diagnose(scan_text(fixture_text("strongswan/swanctl-log-rekey-pfs.txt"), "t.log"))
    assert any("flux capacitor" in u.text for u in report.unknown)
    # the next steps stay in strongSwan syntax (no Huawei "display ike error-info verbose")
    assert not any(n.command.startswith("display") for n in report.next)


RESPONDER = """\
Nov 23 20:37:27 16[NET] <1> received packet: from 192.0.2.1[500] to 198.51.100.2[500] (464 bytes)
Nov 23 20:37:27 16[ENC] <1> parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]
Nov 23 20:37:27 16[CFG] <1> selecting proposal:
Nov 23 20:37:27 16[CFG] <1>   no acceptable DIFFIE_HELLMAN_GROUP found
Nov 23 20:37:27 16[CFG] <1> received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
Nov 23 20:37:27 16[CFG] <1> configured proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256
Nov 23 20:37:27 16[IKE] <1> received proposals unacceptable
"""


def test_refused_proposals_are_compared() -> None:
    (s,) = signals(RESPONDER)
    assert s.detail == "IKE proposal differs in DH group (received MODP_2048, configured ECP_256)"
    assert faults(RESPONDER) == [("ike-dh-group-mismatch", 0.8)]
    enc = RESPONDER.replace("ECP_256", "MODP_2048").replace(
        "PRF_HMAC_SHA2_256/MODP_2048\nNov", "PRF_HMAC_SHA2_256/MODP_2048\nNov"
    )
    enc = enc.replace(
        "configured proposals: IKE:AES_CBC_256", "configured proposals: IKE:AES_CBC_128"
    )
    assert faults(enc)[0][0] == "ike-proposal-mismatch"


def test_refusal_cites_the_proposals_it_compared() -> None:
    """The finding's evidence holds the received and configured proposal lines its detail
    comes from, before the refusal line."""
    (s,) = signals(RESPONDER)
    assert len(s.extra) == 2 and all(e.line < s.ev.line for e in s.extra)
    assert "received proposals:" in s.extra[0].text
    assert "configured proposals:" in s.extra[1].text
    report = diagnose(scan_text(RESPONDER, "b.log"))
    cited = [e.text for e in report.findings[0].evidence]
    assert any("received proposals:" in t for t in cited)
    assert any("configured proposals:" in t for t in cited)


def test_proposal_compare_ignores_dh_of_a_child_in_ike_auth() -> None:
    got = parse_list("ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ")
    conf = parse_list("ESP:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ")
    assert compare(got, conf, child_in_auth=True) is None
    assert compare(got, conf, child_in_auth=False) == (
        "child proposal differs in DH group (PFS) (received none, configured MODP_2048)"
    )
    ah = parse_list("AH:HMAC_SHA2_256_128/NO_EXT_SEQ")
    assert compare(ah, conf, True).startswith("child proposal differs in protocol")


def test_invalid_ke_retry_then_established_is_not_a_fault() -> None:
    text = """\
Nov 23 20:26:00 13[IKE] <net|1> initiating IKE_SA net[1] to 198.51.100.2
Nov 23 20:26:00 13[IKE] <net|1> peer didn't accept DH group MODP_2048, it requested ECP_256
Nov 23 20:26:00 14[IKE] <net|1> IKE_SA net[1] established between 192.0.2.1[192.0.2.1]...198.51.100.2[198.51.100.2]
"""
    report = diagnose(scan_text(text, "t.log"))
    assert report.findings and all(f.normal for f in report.findings)


def test_collect_next_speaks_strongswan() -> None:
    report = diagnose(scan_text(fixture_text("strongswan/journal-ike-proposal-initiator.log"), "t"))
    commands = [n.command for n in report.next]
    assert any(c.startswith("swanctl") for c in commands), commands
    assert not any(c.startswith(("display ", "show ")) for c in commands), commands


CANARY = """\
Nov 23 20:25:54 11[IKE] <net|1> Sk_ai secret => 32 bytes @ 0x7f1c2c003a40
Nov 23 20:25:54 11[IKE] <net|1>    0: 43 61 6E 61 72 79 48 65 78 44 75 6D 70 21 21 21  CanaryHexDump!!!
Nov 23 20:25:54 11[CFG]    secret = CanarySwanSecret
Nov 23 20:25:54 11[CFG] <net|1> loaded PSK "CanarySwanPsk" for 192.0.2.1 failed
Nov 23 20:25:54 11[IKE] <net|1> unexpected failure near secret CanaryNearSecret
Nov 23 20:25:54 12[IKE] <net|1> tried 1 shared key for '198.51.100.2' - '192.0.2.1', but MAC mismatched
"""


@pytest.mark.parametrize("fmt", ["terminal", "json", "markdown"])
def test_no_secret_from_high_log_levels(tmp_path, fmt: str) -> None:
    path = tmp_path / "charon.log"
    path.write_text(CANARY, encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", "diagnose", "--format", fmt, str(path)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"},
    )
    out = res.stdout.decode("utf-8", "replace") + res.stderr.decode("utf-8", "replace")
    assert res.returncode == 0, out
    assert "Canary" not in out, out
    assert "psk-mismatch" in out or "pre-shared" in out.lower()


def test_swanctl_log_group_is_not_a_prompt() -> None:
    from ipsec_doctor.ingest.prompts import parse_prompt

    assert parse_prompt("[IKE] initiating IKE_SA net[1] to 198.51.100.2") is None
    assert parse_prompt("[CFG1] selected peer config 'net'") is None
    assert parse_prompt("[FW1]display ike sa") is not None


@pytest.mark.parametrize(
    "name",
    [
        "strongswan/syslog-psk-responder.log",
        "strongswan/journal-ike-proposal-initiator.log",
        "strongswan/swanctl-log-rekey-pfs.txt",
        "libreswan/pluto-ike-proposal-responder.log",
        "libreswan/syslog-psk-responder.log",
    ],
)
def test_fast_mode_reads_the_same_signals(name: str) -> None:
    """Once a charon/pluto block is open every line reaches it, so the large-file mode (lines
    without an IKE keyword skipped) gives the same facts on these logs."""
    text = fixture_text(name)

    def key(mode: str) -> list:
        return [
            (s.ev.line, s.reason, s.detail, s.peer)
            for s in scan_text(text, "t", mode=mode)
            if isinstance(s, Signal)
        ]

    assert key("fast") == key("full")
