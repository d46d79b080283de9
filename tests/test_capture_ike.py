"""IKEv1/IKEv2 decoding (``capture.ike``): header, proposals, notifies, vendor IDs, NAT-T
framing, and that no byte sequence makes the decoder raise."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from capture_kit import (
    MM_AES256_SHA256_PSK_14,
    esp,
    ether,
    ike,
    ike_sk,
    ike_udp,
    ipv4,
    ipv6,
    udp,
    v1_notify,
    v1_sa,
    v1_vid,
    v2_ke,
    v2_nonce,
    v2_notify,
    v2_sa,
)
from ipsec_doctor.capture.ike import decode, parse_message, summary
from ipsec_doctor.capture.read import Frame, frames

A, B = "192.0.2.1", "198.51.100.2"
ISPI = bytes.fromhex("a1a2a3a4a5a6a7a8")
R = bytes.fromhex("b1b2b3b4b5b6b7b8")
Z = bytes(8)
LAB = Path(__file__).parent / "fixtures" / "lab"


def _pkt(data: bytes, n: int = 1):
    return decode(Frame(n, 0.0, 1, data, len(data)))


def test_ikev2_sa_init_proposals_transforms_and_ke_group() -> None:
    msg = ike(ISPI, Z, 2, 34, 0x08, 0, [
        v2_sa([(1, 12, 256), (2, 5), (3, 12), (4, 14)], [(1, 20, 128), (2, 7), (4, 19)]),
        v2_ke(14), v2_nonce(), v2_notify(16388, bytes(20)),
    ])
    p = _pkt(ike_udp(A, B, msg))
    m = p.ike
    assert (m.version, m.exchange_name, m.msgid, m.initiator_flag, m.response) == (
        2, "IKE_SA_INIT", 0, True, False)
    assert [pr.text() for pr in m.proposals] == [
        "AES_CBC_256/PRF_SHA2_256/SHA2_256_128/MODP_2048",
        "AES_GCM_16_128/PRF_SHA2_512/ECP_256",
    ]
    assert m.ke_group == 14
    assert m.notify_names() == ["NAT_DETECTION_SOURCE_IP"]
    assert m.malformed is None
    text = summary(p, "req")
    assert text.startswith("#1 192.0.2.1:500 > 198.51.100.2:500 IKEv2 IKE_SA_INIT req mid 0 SA[")
    assert "KE(14)" in text and "N(NAT_DETECTION_SOURCE_IP)" in text


def test_ikev2_notify_with_data_and_summary_text() -> None:
    msg = ike(ISPI, Z, 2, 34, 0x20, 0, [v2_notify(17, (19).to_bytes(2, "big"))])
    p = _pkt(ike_udp(B, A, msg), 3)
    (n,) = p.ike.notifies
    assert (n.name, n.data) == ("INVALID_KE_PAYLOAD", b"\x00\x13")
    assert summary(p, "resp") == (
        "#3 198.51.100.2:500 > 192.0.2.1:500 IKEv2 IKE_SA_INIT resp mid 0 "
        "N(INVALID_KE_PAYLOAD group 19)"
    )


def test_ikev2_encrypted_message_names_its_first_inner_payload() -> None:
    p = _pkt(ike_udp(B, A, ike_sk(ISPI, R, 35, 0x20, 1, 41, 52), 4500, 4500))
    assert p.sport == 4500 and p.ike.encrypted and p.ike.inner == "N"
    assert p.ike.length == 28 + 56


def test_ikev1_main_mode_sa_attributes_and_vendor_ids() -> None:
    msg = ike(ISPI, Z, 1, 2, 0, 0, [
        v1_sa(MM_AES256_SHA256_PSK_14, [(1, 5), (2, 2), (3, 1), (4, 2)]),
        v1_vid("4a131c81070358455c5728f20e95452f"),
        v1_vid("afcad71368a1f1c96b8696fc77570100"),
        v1_vid("0123456789abcdef0123"),
    ])
    m = _pkt(ike_udp(A, B, msg)).ike
    assert m.version == 1 and m.exchange_name == "MAIN_MODE"
    assert m.proposals[0].text() == (
        "AES_CBC_256/SHA2_256/PSK/MODP_2048/28800s, 3DES/SHA1/PSK/MODP_1024"
    )
    assert m.vendors == ["NAT-T (RFC 3947)", "DPD", "0123456789abcdef"]


def test_ikev1_notify_and_encrypted_flag() -> None:
    m = _pkt(ike_udp(B, A, ike(ISPI, Z, 1, 5, 0, 0, [v1_notify(14)]))).ike
    assert m.notify_names() == ["NO-PROPOSAL-CHOSEN"]
    enc = parse_message(ISPI + R + bytes([8, 0x10, 2, 1]) + bytes(4) + (60).to_bytes(4, "big")
                        + bytes(32))
    assert enc is not None and enc.encrypted and enc.payloads == ["encrypted"]


def test_nat_t_framing_on_4500() -> None:
    ka = ether(ipv4(A, B, 17, udp(4500, 4500, b"\xff")))
    assert _pkt(ka).kind == "keepalive"
    enc = esp(A, B, 0xC0FFEE, 9, udp_encap=True)
    p = _pkt(enc)
    assert (p.kind, p.spi, p.seq) == ("udp-esp", 0xC0FFEE, 9)
    assert summary(p) == "#1 192.0.2.1:4500 > 198.51.100.2:4500 UDP-ESP spi 0x00c0ffee seq 9"


def test_ipv6_and_non_ike_udp() -> None:
    msg = ike(ISPI, Z, 2, 34, 0x08, 0, [v2_ke(19)])
    p = _pkt(ike_udp("2001:db8::1", "2001:db8::2", msg))
    assert p.src == "2001:db8::1" and p.ike.ke_group == 19
    assert summary(p).startswith("#1 [2001:db8::1]:500 > [2001:db8::2]:500 IKEv2")
    dns = ether(ipv6("2001:db8::1", "2001:db8::2", 17, udp(53, 53, b"x" * 30)))
    assert _pkt(dns) is None


def test_bad_payload_length_is_malformed_not_an_exception() -> None:
    msg = bytearray(ike(ISPI, Z, 2, 34, 0x08, 0, [v2_ke(14), v2_nonce()]))
    msg[28 + 2 : 28 + 4] = (5000).to_bytes(2, "big")  # KE payload claims 5000 bytes
    m = _pkt(ike_udp(A, B, bytes(msg))).ike
    assert m.malformed and "KE" in m.malformed
    cut = ike(ISPI, Z, 2, 34, 0x08, 0, [v2_sa([(1, 12, 256)]), v2_ke(14)])[:60]
    m = parse_message(cut)
    assert m is not None and m.malformed


def test_non_first_ip_fragment_is_not_decoded_as_ike() -> None:
    frag = ether(ipv4(A, B, 17, b"\x00" * 64, frag=0x00B9))
    assert _pkt(frag).kind == "fragment"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 400))
def test_decoder_never_raises_on_garbage(tail: bytes, cut: int) -> None:
    msg = ike(ISPI, R, 2, 35, 0x08, 1, [v2_ke(14), v2_nonce()]) + tail
    for data in (ike_udp(A, B, msg)[:cut], ike_udp(A, B, tail), ether(ipv4(A, B, 50, tail)),
                 ike_udp(A, B, msg, 4500, 4500), tail):
        p = _pkt(data)
        if p is not None and p.ike is not None:
            summary(p, "req", "X")


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_flipped_bytes_in_a_real_message_never_raise(data) -> None:
    msg = bytearray(ike(ISPI, Z, 1, 2, 0, 0, [v1_sa(MM_AES256_SHA256_PSK_14),
                                         v1_vid("4a131c81070358455c5728f20e95452f")]))
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(msg) - 1))
        msg[i] = data.draw(st.integers(0, 255))
    p = _pkt(ike_udp(A, B, bytes(msg)))
    if p is not None and p.ike is not None:
        summary(p)


def test_every_lab_frame_decodes() -> None:
    files = sorted(LAB.glob("*/capture.pcap"))
    if not files:
        import pytest

        pytest.skip("no lab captures")
    ike_seen = 0
    for path in files:
        with path.open("rb") as fh:
            for f in frames(iter(lambda fh=fh: fh.read(65536), b"")):
                p = decode(f)
                if p is not None and p.ike is not None:
                    ike_seen += 1
                    assert p.ike.malformed is None, (path, f.number, p.ike.malformed)
                    assert p.ike.exchange_name in summary(p)
    assert ike_seen >= len(files)


_TCPDUMP_EXCHANGES = {
    "ikev2_init": "IKE_SA_INIT", "ikev2_auth": "IKE_AUTH", "child_sa": "CREATE_CHILD_SA",
    "inf2": "INFORMATIONAL", "ident": "MAIN_MODE", "agg": "AGGRESSIVE",
    "oakley-quick": "QUICK_MODE", "inf": "INFORMATIONAL_V1",
}


def _tcpdump_view(line: str) -> tuple:
    """(kind, details) of one ``tcpdump -nn`` line: tcpdump's own ISAKMP/ESP decoder."""
    if "ESP(spi=" in line:
        spi, seq = line.split("ESP(spi=", 1)[1].split(")", 1)[0].split(",seq=")
        return ("esp", int(spi, 16), int(seq, 16))
    if "isakmp:" in line:
        token = line.split("isakmp:", 1)[1].split()[-1]
        name, _, flags = token.partition("[")
        return ("ike", _TCPDUMP_EXCHANGES.get(name, name), flags.rstrip("]"))
    return ("other",)


def _our_view(p) -> tuple:
    if p is None:
        return ("other",)
    if p.kind in ("esp", "udp-esp"):
        return ("esp", p.spi, p.seq)
    m = p.ike
    if m.version == 2:
        flags = ("I" if m.flags & 0x08 else "") + ("R" if m.flags & 0x20 else "")
    else:
        flags = "E" if m.encrypted else ""
    return ("ike", m.exchange_name, flags)


def test_decoding_agrees_with_tcpdump_on_lab_captures() -> None:
    """tcpdump (an independent ISAKMP/ESP decoder) on every lab capture: exchange type, IKEv2
    I/R flags, IKEv1 encryption flag, ESP SPI and sequence number, frame by frame."""
    import shutil
    import subprocess

    import pytest

    tcpdump = shutil.which("tcpdump")
    files = sorted(LAB.glob("*/capture.pcap"))
    if tcpdump is None or not files:
        pytest.skip("tcpdump or lab captures not available")
    compared = 0
    for path in files:
        res = subprocess.run([tcpdump, "-nn", "-r", str(path)], capture_output=True, text=True,
                             timeout=60)
        theirs = [_tcpdump_view(x) for x in res.stdout.splitlines()]
        with path.open("rb") as fh:
            ours = [_our_view(decode(f)) for f in frames(iter(lambda fh=fh: fh.read(65536), b""))]
        assert ours == theirs, path
        compared += len(ours)
    assert compared > 100
