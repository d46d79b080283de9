"""Byte-exact builders for capture tests: IKEv1/IKEv2 messages (RFC 2408/7296 layouts), ESP,
UDP/IPv4/IPv6 with Ethernet, Linux cooked (SLL/SLL2) or raw framing, and pcap/pcapng files.

Used where no real capture shows a case (truncation, several interfaces, 100k packets, exotic
notifies); the real strongSwan/Libreswan captures live in ``fixtures/lab``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import struct

# -- IKE payloads -------------------------------------------------------------------------------


def payload(next_type: int, body: bytes) -> bytes:
    return struct.pack(">BBH", next_type, 0, 4 + len(body)) + body


def chain(items: list[tuple[int, bytes]]) -> tuple[int, bytes]:
    """(first payload type, bytes) of a payload chain given as (type, body) pairs."""
    out = b""
    for i, (_t, body) in enumerate(items):
        nxt = items[i + 1][0] if i + 1 < len(items) else 0
        out += payload(nxt, body)
    return (items[0][0] if items else 0), out


def ike(ispi: bytes, rspi: bytes, version: int, exchange: int, flags: int, msgid: int,
        items: list[tuple[int, bytes]], raw_tail: bytes = b"") -> bytes:
    first, body = chain(items)
    body += raw_tail
    ver = 0x20 if version == 2 else 0x10
    hdr = ispi + rspi + struct.pack(">BBBBII", first, ver, exchange, flags, msgid, 28 + len(body))
    return hdr + body


def v2_transform(ttype: int, tid: int, keylen: int | None = None, last: bool = False) -> bytes:
    attrs = struct.pack(">HH", 0x800E, keylen) if keylen else b""
    return struct.pack(">BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def v2_proposal(num: int, proto: int, transforms: list[tuple], spi: bytes = b"",
                last: bool = True) -> bytes:
    ts = b"".join(
        v2_transform(*t, last=(i == len(transforms) - 1)) for i, t in enumerate(transforms)
    )
    body = struct.pack(">BBBB", num, proto, len(spi), len(transforms)) + spi + ts
    return struct.pack(">BBH", 0 if last else 2, 0, 4 + len(body)) + body


IKE_AES256_SHA256_14 = [(1, 12, 256), (2, 5), (3, 12), (4, 14)]


def v2_sa(*proposals: list[tuple]) -> tuple[int, bytes]:
    body = b"".join(
        v2_proposal(i + 1, 1, p, last=(i == len(proposals) - 1)) for i, p in enumerate(proposals)
    )
    return (33, body)


def v2_ke(group: int, size: int = 32) -> tuple[int, bytes]:
    return (34, struct.pack(">HH", group, 0) + b"\x11" * size)


def v2_nonce() -> tuple[int, bytes]:
    return (40, b"\x22" * 32)


def v2_notify(ntype: int, data: bytes = b"", proto: int = 0) -> tuple[int, bytes]:
    return (41, struct.pack(">BBH", proto, 0, ntype) + data)


def v2_nat_d(ispi: bytes, rspi: bytes, src: str, sport: int, dst: str, dport: int,
             fake_src: str | None = None) -> list[tuple[int, bytes]]:
    def h(addr: str, port: int) -> bytes:
        return hashlib.sha1(
            ispi + rspi + ipaddress.ip_address(addr).packed + port.to_bytes(2, "big")
        ).digest()

    return [v2_notify(16388, h(fake_src or src, sport)), v2_notify(16389, h(dst, dport))]


def ike_sk(ispi: bytes, rspi: bytes, exchange: int, flags: int, msgid: int, inner: int,
           size: int) -> bytes:
    body = struct.pack(">BBH", inner, 0, 4 + size) + b"\x5a" * size
    hdr = ispi + rspi + struct.pack(">BBBBII", 46, 0x20, exchange, flags, msgid, 28 + len(body))
    return hdr + body


# IKEv1
def v1_transform(num: int, attrs: list[tuple[int, int]], tid: int = 1, last: bool = True) -> bytes:
    a = b"".join(struct.pack(">HH", 0x8000 | t, v) for t, v in attrs)
    body = struct.pack(">BBH", num, tid, 0) + a
    return struct.pack(">BBH", 0 if last else 3, 0, 4 + len(body)) + body


MM_AES256_SHA256_PSK_14 = [(1, 7), (14, 256), (2, 4), (3, 1), (4, 14), (11, 1), (12, 28800)]


def v1_sa(*transforms: list[tuple[int, int]]) -> tuple[int, bytes]:
    ts = b"".join(
        v1_transform(i + 1, t, last=(i == len(transforms) - 1)) for i, t in enumerate(transforms)
    )
    prop_body = struct.pack(">BBBB", 1, 1, 0, len(transforms)) + ts
    prop = struct.pack(">BBH", 0, 0, 4 + len(prop_body)) + prop_body
    return (1, struct.pack(">II", 1, 1) + prop)


def v1_notify(ntype: int, data: bytes = b"") -> tuple[int, bytes]:
    return (11, struct.pack(">IBBH", 1, 1, 0, ntype) + data)


def v1_vid(hexstr: str) -> tuple[int, bytes]:
    return (13, bytes.fromhex(hexstr))


def v1_encrypted(ispi: bytes, rspi: bytes, exchange: int, msgid: int, size: int,
                 first: int = 8) -> bytes:
    body = b"\x77" * size
    return ispi + rspi + struct.pack(">BBBBII", first, 0x10, exchange, 1, msgid, 28 + size) + body


# -- packets --------------------------------------------------------------------------------


def _csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src: str, dst: str, proto: int, payload_: bytes, frag: int = 0) -> bytes:
    hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload_), 1, frag, 64, proto, 0,
                      ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    hdr = hdr[:10] + struct.pack(">H", _csum(hdr)) + hdr[12:]
    return hdr + payload_


def ipv6(src: str, dst: str, proto: int, payload_: bytes) -> bytes:
    return struct.pack(">IHBB", 0x60000000, len(payload_), proto, 64) + \
        ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed + payload_


def udp(sport: int, dport: int, data: bytes) -> bytes:
    return struct.pack(">HHHH", sport, dport, 8 + len(data), 0) + data


def ether(ip: bytes, vlan: int | None = None) -> bytes:
    v6 = ip[0] >> 4 == 6
    etype = struct.pack(">H", 0x86DD if v6 else 0x0800)
    tag = struct.pack(">HH", 0x8100, vlan) if vlan is not None else b""
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + tag + etype + ip


def sll(ip: bytes) -> bytes:
    return struct.pack(">HHH8sH", 0, 1, 6, b"\x02" * 8, 0x0800) + ip


def sll2(ip: bytes) -> bytes:
    return struct.pack(">HHIHBB8s", 0x0800, 0, 2, 1, 0, 6, b"\x02" * 8) + ip


def ike_udp(src: str, dst: str, msg: bytes, sport: int = 500, dport: int = 500) -> bytes:
    data = (b"\x00" * 4 + msg) if 4500 in (sport, dport) else msg
    maker = ipv6 if ":" in src else ipv4
    return ether(maker(src, dst, 17, udp(sport, dport, data)))


def esp(src: str, dst: str, spi: int, seq: int, size: int = 80, udp_encap: bool = False) -> bytes:
    body = struct.pack(">II", spi, seq) + b"\x33" * size
    if udp_encap:
        return ether(ipv4(src, dst, 17, udp(4500, 4500, body)))
    return ether(ipv4(src, dst, 50, body))


# -- files ----------------------------------------------------------------------------------


def pcap(frames: list[bytes], link: int = 1, nano: bool = False, big: bool = False,
         t0: float = 1_790_000_000.0) -> bytes:
    o = ">" if big else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = struct.pack(o + "IHHiIII", magic, 2, 4, 0, 0, 262144, link)
    for i, f in enumerate(frames):
        t = t0 + i * 0.5
        sec = int(t)
        frac = round((t - sec) * (1e9 if nano else 1e6))
        out += struct.pack(o + "IIII", sec, frac, len(f), len(f)) + f
    return out


def _block(btype: int, body: bytes, o: str = "<") -> bytes:
    body += b"\x00" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(o + "II", btype, n) + body + struct.pack(o + "I", n)


def pcapng(frames: list[tuple[int, bytes]], links: list[int], big: bool = False,
           tsresol: int | None = None, t0: float = 1_790_000_000.0) -> bytes:
    """``frames``: (interface id, bytes); ``links``: link type per interface."""
    o = ">" if big else "<"
    shb = _block(0x0A0D0D0A, struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1), o)
    out = shb
    for link in links:
        opts = b""
        if tsresol is not None:
            opts = struct.pack(o + "HHB3x", 9, 1, tsresol) + struct.pack(o + "HH", 0, 0)
        out += _block(1, struct.pack(o + "HHI", link, 0, 262144) + opts, o)
    unit = 10.0 ** -(tsresol if tsresol is not None else 6)
    for i, (iface, f) in enumerate(frames):
        ts = int((t0 + i * 0.5) / unit)
        out += _block(
            6, struct.pack(o + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(f), len(f)) + f, o
        )
    return out
