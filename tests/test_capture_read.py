"""Reading pcap/pcapng files (``capture.read``): formats, link types, damage, bounded memory."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from capture_kit import esp, ike, ike_udp, ipv4, pcap, pcapng, sll, sll2, udp, v2_ke, v2_sa
from ipsec_doctor.capture.ike import decode
from ipsec_doctor.capture.read import (
    LINK_ETHERNET,
    LINK_RAW,
    LINK_SLL,
    LINK_SLL2,
    MAX_FRAME,
    ReadStats,
    frames,
    ip_payload,
    is_capture,
)
from ipsec_doctor.errors import InputError

LAB = Path(__file__).parent / "fixtures" / "lab"
A, B = "192.0.2.1", "198.51.100.2"
ISPI = bytes.fromhex("0102030405060708")
REQ = ike(ISPI, bytes(8), 2, 34, 0x08, 0, [v2_sa([(1, 12, 256), (2, 5), (3, 12), (4, 14)]),
                                           v2_ke(14)])


def _read(data: bytes, split: int = 7) -> tuple[list, ReadStats]:
    """Read ``data`` given in chunks of ``split`` bytes (the reader must not care)."""
    stats = ReadStats()
    chunks = [data[i : i + split] for i in range(0, len(data), split)]
    return list(frames(chunks, stats)), stats


@pytest.mark.parametrize("nano", [False, True])
@pytest.mark.parametrize("big", [False, True])
def test_pcap_both_byte_orders_and_resolutions(nano: bool, big: bool) -> None:
    data = pcap([ike_udp(A, B, REQ), esp(A, B, 0x1234, 1)], nano=nano, big=big)
    assert is_capture(data) == "pcap"
    got, stats = _read(data)
    assert [f.number for f in got] == [1, 2]
    assert got[1].time - got[0].time == pytest.approx(0.5, abs=1e-6)
    assert got[0].time == pytest.approx(1_790_000_000.0, abs=1e-6)
    assert stats.problem is None and stats.format == "pcap"
    pkt = decode(got[0])
    assert pkt is not None and pkt.ike is not None and pkt.ike.exchange_name == "IKE_SA_INIT"
    assert decode(got[1]).spi == 0x1234


@pytest.mark.parametrize("big", [False, True])
def test_pcapng_several_interfaces_with_their_own_link_types(big: bool) -> None:
    raw_ip = ipv4(A, B, 17, udp(500, 500, REQ))
    data = pcapng(
        [(0, ike_udp(A, B, REQ)), (1, sll(raw_ip)), (2, sll2(raw_ip)), (3, raw_ip),
         (0, esp(B, A, 0x99, 7))],
        links=[LINK_ETHERNET, LINK_SLL, LINK_SLL2, LINK_RAW],
        big=big,
    )
    assert is_capture(data) == "pcapng"
    got, stats = _read(data, split=5)
    assert stats.interfaces == 4 and stats.problem is None
    assert [f.link for f in got] == [LINK_ETHERNET, LINK_SLL, LINK_SLL2, LINK_RAW, LINK_ETHERNET]
    decoded = [decode(f) for f in got]
    assert all(p is not None for p in decoded)
    assert [p.kind for p in decoded] == ["ike"] * 4 + ["esp"]
    assert {(p.src, p.dst) for p in decoded[:4]} == {(A, B)}


def test_pcapng_nanosecond_resolution_option() -> None:
    data = pcapng([(0, ike_udp(A, B, REQ))], links=[LINK_ETHERNET], tsresol=9)
    (f,), _ = _read(data)
    assert f.time == pytest.approx(1_790_000_000.0, abs=1e-6)


def test_truncated_capture_gives_the_frames_before_the_cut() -> None:
    data = pcap([ike_udp(A, B, REQ)] * 3)
    got, stats = _read(data[:-10])
    assert [f.number for f in got] == [1, 2]
    assert "truncated inside frame 3" in (stats.problem or "")


def test_truncated_file_header_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="truncated inside its file header"):
        _read(pcap([])[:10])


def test_wrong_magic_is_a_clear_error() -> None:
    assert is_capture(b"GIF89a....") is None
    with pytest.raises(InputError, match="unknown magic"):
        _read(b"\x00\x01\x02\x03" + bytes(40))


def test_garbage_after_the_header_stops_the_read_without_a_traceback() -> None:
    rng = random.Random(5)
    data = pcap([ike_udp(A, B, REQ)]) + rng.randbytes(5000)
    got, stats = _read(data, split=1000)
    assert got[0].number == 1
    assert stats.problem  # corrupt length or truncated: said, not raised


def test_corrupt_record_length_is_not_allocated() -> None:
    good = pcap([ike_udp(A, B, REQ)])
    bad = good + bytes(8) + (0x7FFFFFF0).to_bytes(4, "little") * 2
    got, stats = _read(bad)
    assert len(got) == 1
    assert "corrupt record length" in (stats.problem or "")


def test_huge_frame_is_cut_to_max_frame() -> None:
    big = ike_udp(A, B, REQ) + bytes(MAX_FRAME * 2)
    (f,), stats = _read(pcap([big, ike_udp(A, B, REQ)])[: 24 + 16 + len(big)], split=4096)
    assert len(f.data) == MAX_FRAME and f.length == len(big)
    assert stats.problem is None


def test_pcapng_packet_for_an_undescribed_interface_is_counted_not_decoded() -> None:
    data = pcapng([(0, ike_udp(A, B, REQ)), (5, ike_udp(A, B, REQ))], links=[LINK_ETHERNET])
    got, stats = _read(data)
    assert [f.number for f in got] == [1] and stats.frames == 2


def test_vlan_tags_and_unknown_ethertypes() -> None:
    frame = ike_udp(A, B, REQ)
    tagged = frame[:12] + b"\x81\x00\x00\x05" + frame[12:]
    assert ip_payload(LINK_ETHERNET, tagged) == (4, 18)
    arp = frame[:12] + b"\x08\x06" + frame[14:]
    assert ip_payload(LINK_ETHERNET, arp) is None
    assert ip_payload(147, frame) is None  # a link type we do not read


def test_same_frames_as_dpkt_on_real_lab_captures() -> None:
    """dpkt (a well-kept capture library) as an oracle on single-interface files."""
    dpkt = pytest.importorskip("dpkt")
    files = sorted(LAB.glob("*/capture.pcap"))[:6]
    if not files:
        pytest.skip("no lab captures")
    for path in files:
        with path.open("rb") as fh:
            theirs = [(round(ts, 6), bytes(buf)) for ts, buf in dpkt.pcap.Reader(fh)]
        ours, stats = _read(path.read_bytes(), split=65536)
        assert stats.problem is None, path
        assert [(round(f.time, 6), f.data) for f in ours] == theirs, path


def test_pcapng_sections_may_change_byte_order_and_interfaces() -> None:
    """Two captures concatenated (``cat a.pcapng b.pcapng``): interface ids restart per section."""
    first = pcapng([(0, ike_udp(A, B, REQ))], links=[LINK_ETHERNET])
    raw_ip = ipv4(B, A, 17, udp(500, 500, REQ))
    second = pcapng([(0, raw_ip)], links=[LINK_RAW], big=True)
    got, stats = _read(first + second, split=3)
    assert [(f.number, f.link) for f in got] == [(1, LINK_ETHERNET), (2, LINK_RAW)]
    assert stats.problem is None and decode(got[1]).src == B


def test_pcapng_corrupt_block_length_stops_with_a_problem() -> None:
    good = pcapng([(0, ike_udp(A, B, REQ))] * 2, links=[LINK_ETHERNET])
    bad = good + (6).to_bytes(4, "little") + (0xFFFFFFF0).to_bytes(4, "little") + bytes(64)
    got, stats = _read(bad)
    assert len(got) == 2
    assert "corrupt block length" in (stats.problem or "")


def test_lab_capture_rewritten_as_pcapng_by_dpkt_gives_the_same_facts() -> None:
    """dpkt's pcapng writer (an independent implementation of the format) as the producer."""
    import io

    dpkt = pytest.importorskip("dpkt")
    from ipsec_doctor.capture.facts import capture_facts

    files = sorted(LAB.glob("*/capture.pcap"))[:8]
    if not files:
        pytest.skip("no lab captures")
    seen = 0
    for path in files:
        with path.open("rb") as fh:
            reader = dpkt.pcap.Reader(fh)
            out = io.BytesIO()
            writer = dpkt.pcapng.Writer(out, snaplen=65535, linktype=reader.datalink())
            for ts, buf in reader:
                writer.writepkt(buf, ts=ts)
        ng = out.getvalue()
        assert is_capture(ng) == "pcapng"

        def reasons(data: bytes) -> list[tuple[str, int, str]]:
            facts = capture_facts([data], "x")
            return [(f.reason, f.ev.line, f.ev.text) for f in facts if hasattr(f, "reason")]

        mine = reasons(path.read_bytes())
        assert reasons(ng) == mine, path
        seen += len(mine)
    assert seen  # the comparison covered real signals
