"""Libreswan pluto logs (``parsers/libreswan/pluto.py``): log file, syslog and console shapes."""

from __future__ import annotations

from conftest import fixture_text
from ipsec_doctor.diagnose.engine import diagnose
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Signal
from ipsec_doctor.parsers.libreswan.pluto import parse


def signals(text: str) -> list[Signal]:
    return [f for f in scan_text(text, "t.log") if isinstance(f, Signal)]


def faults(text: str) -> list[str]:
    return [f.cause for f in diagnose(scan_text(text, "t.log")).findings if not f.normal]


def test_line_shapes() -> None:
    p = parse('Nov 23 20:32:29.408015: "net" #1: no local proposal matches remote proposals 1:IKE')
    assert p is not None and (p.time, p.conn, p.serial) == ("Nov 23 20:32:29", "net", "1")
    p = parse('Nov 23 20:32:27 gw-b pluto[2279]: "net"[2] 192.0.2.1 #3: sent IKE_SA_INIT reply')
    assert p is not None and (p.host, p.conn, p.serial, p.msg) == (
        "gw-b",
        "net",
        "3",
        "sent IKE_SA_INIT reply",
    )
    p = parse('002 "west-east" #1: initiating IKEv1 Main Mode connection')
    assert p is not None and p.msg == "initiating IKEv1 Main Mode connection"
    assert parse("Nov 23 20:25:54 gw1 kernel: eth0: link up") is None
    assert parse("Nov 23 20:25:54 11[IKE] <net|1> initiating IKE_SA net[1] to 1.2.3.4") is None


def test_log_file_proposal_refusal_names_the_transform() -> None:
    text = fixture_text("libreswan/pluto-ike-proposal-responder.log")
    details = [s.detail for s in signals(text) if s.detail]
    assert "IKE proposal differs in encryption (received AES_CBC_256, configured AES_CBC_128)" in (
        details
    )
    assert faults(text)[0] == "ike-proposal-mismatch"


def test_syslog_psk_refusal() -> None:
    text = fixture_text("libreswan/syslog-psk-responder.log")
    sigs = signals(text)
    assert all(s.vendor == "libreswan" and s.device == "gw-b" for s in sigs)
    assert any(s.detail == "AUTHENTICATION_FAILED sent in IKE_AUTH" for s in sigs)
    assert faults(text)[0] == "psk-mismatch"


def test_console_timeout_is_peer_unreachable() -> None:
    text = fixture_text("libreswan/console-ikev1-timeout.txt")
    (s,) = signals(text)
    assert (s.detail, s.version) == ("no response to our first IKE message", "v1")
    assert faults(text)[0] == "peer-unreachable"


def test_debug_lines_are_never_read() -> None:
    text = 'Nov 23 20:32:27.1: "net" #1: sent IKE_SA_INIT reply\nNov 23 20:32:27.2: | SKEYSEED failed CanaryDebug\n'
    assert not [s for s in signals(text) if "Canary" in s.ev.text]


IKEV1_CONSOLE = """\
002 "west-east" #1: initiating IKEv1 Main Mode connection
102 "west-east" #1: sent Main Mode request
003 "west-east" #1: ignoring informational payload NO_PROPOSAL_CHOSEN, msgid=00000000, length=12
"""


def test_ikev1_informational_notify_is_placed_in_main_mode() -> None:
    (s,) = signals(IKEV1_CONSOLE)
    assert (s.detail, s.version, s.kind) == (
        "NO_PROPOSAL_CHOSEN received in Main Mode",
        "v1",
        "notify",
    )
    assert faults(IKEV1_CONSOLE)[0] == "ike-proposal-mismatch"


def test_established_lines_are_normal_events() -> None:
    text = (
        '004 "west-east" #1: STATE_MAIN_I4: ISAKMP SA established {auth=PRESHARED_KEY '
        "cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}\n"
        '004 "west-east" #2: STATE_QUICK_I2: IPsec SA established tunnel mode '
        "{ESP=>0x1a2b3c4d <0x4d3c2b1a xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none "
        "DPD=passive}\n"
    )
    report = diagnose(scan_text(text, "t.log"))
    assert report.findings and all(f.normal for f in report.findings)
    assert {s.reason for s in signals(text)} == {"IKE SA established", "IPsec SA established"}


def test_rejected_by_peer_and_no_suitable_connection() -> None:
    initiator = (
        '"westnet-eastnet-ipv4-psk-ppk" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 '
        "{cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=DH19}\n"
        '"westnet-eastnet-ipv4-psk-ppk" #1: IKE SA authentication request rejected by peer: '
        "AUTHENTICATION_FAILED\n"
    )
    (s,) = signals(initiator)
    assert s.detail == "AUTHENTICATION_FAILED received in IKE_AUTH"
    assert s.peer == "192.1.2.23"
    assert faults(initiator)[0] == "psk-mismatch"
    responder = (
        "Nov 23 20:32:27 gw-b pluto[2279]: \"net\" #1: no suitable connection for peer '@road'\n"
    )
    assert faults(responder)[0] == "identity-mismatch"
