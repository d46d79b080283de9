"""Poor-quality rules (diagnose/rules/quality.py) and the packet-list parser they read."""

from __future__ import annotations

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.parsers.generic.packet_list import TcpCaptureSummary

CPU = """<AR1> display cpu-usage
 CPU Usage Stat. Cycle: 60 (Second)
 CPU Usage            : {now}% Max: 99%
 CPU Usage Stat. Time : 2017-09-05  15:22:40
 CPU utilization for five seconds: {now}%: one minute: {now}%: five minutes: {now}%
"""
PING = """<FW1> ping -a 1.1.1.1 2.1.1.1
  PING 2.1.1.1: 56  data bytes, press CTRL_C to break
    Reply from 2.1.1.1: bytes=56 Sequence=1 ttl=255 time=1 ms
    Request time out
    Reply from 2.1.1.1: bytes=56 Sequence=3 ttl=255 time=1 ms
    Request time out
    Reply from 2.1.1.1: bytes=56 Sequence=5 ttl=255 time=1 ms

  --- 2.1.1.1 ping statistics ---
    5 packet(s) transmitted
    3 packet(s) received
    {loss} packet loss
    round-trip min/avg/max = 1/1/1 ms
"""


def causes(text: str) -> list[str]:
    return [f.cause for f in diagnose_text(text).findings if not f.normal]


def test_cpu_above_threshold_is_overload_and_below_is_nothing() -> None:
    assert causes(CPU.format(now=92))[0] == "cpu-overload"
    assert causes(CPU.format(now=35)) == []


def test_partial_ping_loss_points_at_the_public_network() -> None:
    assert causes(PING.format(loss="40.00%"))[0] == "public-network-quality"
    clean = PING.replace("Request time out", "Reply from 2.1.1.1: bytes=56 Sequence=2 ttl=255 time=1 ms")
    assert causes(clean.format(loss="0.00%")) == []


def test_packet_list_summary_from_seed_002_case_4_3_1() -> None:
    text = (FIXTURES / "cases" / "ar-4.3.1-tcp-mss.txt").read_text(encoding="utf-8")
    (cap,) = [f for f in scan_text(text) if isinstance(f, TcpCaptureSummary)]
    assert (cap.lost, cap.out_of_order, cap.retransmissions) == (4, 2, 2)
    assert cap.mss == (1420, 1420)
    assert cap.line_of("lost").text.startswith("172 23.258477")


def test_clean_capture_with_small_mss_is_not_an_mtu_problem() -> None:
    text = """No.	Time	Source	Destination	Protocol Info
1	0.000000	10.1.1.2	10.1.2.2	TCP 49241 > http [SYN] Seq=0 Len=0 MSS=1200
2	0.010000	10.1.2.2	10.1.1.2	TCP http > 49241 [SYN, ACK] Seq=0 Ack=1 Len=0 MSS=1200
3	0.020000	10.1.1.2	10.1.2.2	TCP 49241 > http [ACK] Seq=1 Ack=1 Len=0
"""
    (cap,) = [f for f in scan_text(text) if isinstance(f, TcpCaptureSummary)]
    assert cap.packets == 3 and cap.lost == 0 and cap.mss == (1200, 1200)
    assert causes(text) == []
