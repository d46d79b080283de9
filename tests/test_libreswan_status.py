"""Libreswan SA state (``parsers/libreswan/status.py``): ``ipsec status`` and
``ipsec trafficstatus`` feed the same stage and one-way rules as strongSwan's outputs."""

from __future__ import annotations

from conftest import fixture_text
from ipsec_doctor.diagnose.engine import diagnose
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.parsers.strongswan.status import SwanChildSa, SwanIkeSa


def test_status_established_ike_sa_without_ipsec_sa() -> None:
    fs = scan_text(fixture_text("libreswan/status-ike-only.txt"), "status.txt")
    ikes = [f for f in fs if isinstance(f, SwanIkeSa)]
    assert [(i.vendor, i.state, i.established, i.peer, i.children) for i in ikes] == [
        ("libreswan", "STATE_V2_ESTABLISHED_IKE_SA", True, "192.0.2.1", 0)
    ]
    report = diagnose(fs)
    assert report.tree[0].stage == "ipsec-sa"
    assert any(n.command.startswith("ipsec ") for n in report.next)


def test_trafficstatus_in_without_out() -> None:
    fs = scan_text(fixture_text("libreswan/trafficstatus-in-only.txt"), "t.txt")
    (c,) = [f for f in fs if isinstance(f, SwanChildSa)]
    assert (c.bytes_in, c.bytes_out, c.name, c.uid) == (16800, 0, "net", "2")
    report = diagnose(fs)
    assert report.findings[0].cause in ("private-route-missing", "nat-before-ipsec")
    assert report.tree[0].stage == "no-traffic"


def test_whack_status_traffic_line_and_stuck_main_mode() -> None:
    text = (
        '000 "west": 10.1.1.0/24===192.0.2.1...198.51.100.2===10.2.2.0/24; erouted; eroute owner: #2\n'
        '000 #1: "west":500 STATE_MAIN_I4 (ISAKMP SA established); EVENT_SA_REPLACE in 2661s; newest ISAKMP; lastdpd=-1s(seq in:0 out:0); idle;\n'
        '000 #2: "west":500 STATE_QUICK_I2 (sent QI2, IPsec SA established); EVENT_SA_REPLACE in 27848s; newest IPSEC; eroute owner; isakmp#1; idle;\n'
        '000 #2: "west" esp.a1b2c3d4@198.51.100.2 esp.d4c3b2a1@192.0.2.1 tun.0@198.51.100.2 tun.0@192.0.2.1 Traffic: ESPin=0B ESPout=2KB! ESPmax=4194303B\n'
    )
    report = diagnose(scan_text(text, "t.txt"))
    assert report.findings[0].cause == "esp-blocked"
    assert report.findings[0].peer == "198.51.100.2"
    stuck = '000 #1: "west":500 STATE_MAIN_I1 (sent MI1, expecting MR1); EVENT_RETRANSMIT in 19s; idle;\n'
    report = diagnose(scan_text(stuck, "t.txt"))
    assert report.tree[0].stage == "ike-sa"
