"""Packet capture files (pcap and pcapng) to frames, streaming, with bounded memory.

``frames(chunks)`` reads the byte chunks of one capture (a file or stdin, any split) and yields
one ``Frame`` per captured packet: its 1-based number, time, link type and bytes.  Formats:

* pcap: both byte orders, microsecond (``a1b2c3d4``) and nanosecond (``a1b23c4d``) variants;
* pcapng: several sections (each with its own byte order) and several interfaces, each with its
  own link type, ``if_tsresol`` and ``if_tsoffset``; enhanced, simple and obsolete packet
  blocks; every other block is skipped.

Written here rather than taken from a library because the reader must survive whatever it is
given: dpkt's pcapng reader applies the first interface's link type and time resolution to every
packet, and both of its readers allocate whatever a (corrupt) length field says.  Here a packet
keeps at most ``MAX_FRAME`` bytes (the rest is skipped without being held), a block or record
longer than ``MAX_BLOCK`` ends the read, and a truncated or corrupt file ends the read with
``ReadStats.problem`` saying where: the frames before it are still delivered.
``tests/test_capture_read.py`` checks the frames against dpkt on single-interface files.

A compressed capture (gzip, bzip2, xz) is decompressed on the fly before it gets here
(``ingest/compressed.py``).

Link layers to an IP packet (``ip_payload``): Ethernet with 802.1Q/802.1ad tags, Linux cooked
capture v1 and v2 (``tcpdump -i any``), BSD loopback/null, raw IPv4/IPv6.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import InputError

MAX_FRAME = 64 * 1024  # bytes kept of one packet (IKE messages with certificates fit)
MAX_BLOCK = 16 * 1024 * 1024  # a longer record or block is corruption, not a packet

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"

# link types (www.tcpdump.org/linktypes.html)
LINK_NULL = 0
LINK_ETHERNET = 1
LINK_RAW = 101
LINK_LOOP = 108
LINK_SLL = 113
LINK_IPV4 = 228
LINK_IPV6 = 229
LINK_SLL2 = 276
_RAW_LINKS = (LINK_RAW, 12, 14, LINK_IPV4, LINK_IPV6)
LINK_TYPES = frozenset((LINK_NULL, LINK_ETHERNET, LINK_LOOP, LINK_SLL, LINK_SLL2, *_RAW_LINKS))


def is_capture(head: bytes) -> str | None:
    """"pcap" or "pcapng" when ``head`` (the first bytes of an input) opens a capture file;
    "gzip" when it is a gzip stream whose content opens one (Wireshark writes ``.pcapng.gz``)."""
    if head[:4] in PCAP_MAGICS:
        return "pcap"
    if head[:4] == PCAPNG_MAGIC and head[8:12] in (b"\x4d\x3c\x2b\x1a", b"\x1a\x2b\x3c\x4d"):
        return "pcapng"
    if head[:2] == b"\x1f\x8b":
        try:
            inner = zlib.decompressobj(wbits=31).decompress(head[:65536], 64)
        except zlib.error:
            return None
        if is_capture(inner[:12]) in ("pcap", "pcapng"):
            return "gzip"
    return None


@dataclass(frozen=True)
class Frame:
    number: int  # 1-based, as Wireshark numbers frames
    time: float  # seconds since the epoch
    link: int  # link type of the interface it was captured on
    data: bytes  # at most MAX_FRAME bytes
    length: int  # length on the wire


@dataclass
class ReadStats:
    format: str = ""
    frames: int = 0
    interfaces: int = 0
    problem: str | None = None  # why the read stopped early (truncated, corrupt), if it did


class _Stream:
    """Reads exact byte counts from an iterator of chunks, keeping at most one chunk around."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._it = iter(chunks)
        self._buf = b""
        self._pos = 0
        self.offset = 0  # bytes consumed so far

    def _fill(self) -> bool:
        for chunk in self._it:
            if chunk:
                self._buf = self._buf[self._pos :] + chunk
                self._pos = 0
                return True
        return False

    def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes, or fewer at the end of the input."""
        while len(self._buf) - self._pos < n:
            if not self._fill():
                break
        out = self._buf[self._pos : self._pos + n]
        self._pos += len(out)
        self.offset += len(out)
        return out

    def skip(self, n: int) -> int:
        """Drop ``n`` bytes without holding them; returns how many were there."""
        done = 0
        while done < n:
            avail = len(self._buf) - self._pos
            if avail == 0:
                if not self._fill():
                    break
                continue
            take = min(avail, n - done)
            self._pos += take
            done += take
        self.offset += done
        return done


def frames(chunks: Iterable[bytes], stats: ReadStats | None = None) -> Iterator[Frame]:
    """Yield the frames of one capture; ``InputError`` only when not even a header is there."""
    stats = stats if stats is not None else ReadStats()
    s = _Stream(chunks)
    head = s.read(4)
    if head in PCAP_MAGICS:
        stats.format = "pcap"
        yield from _pcap(s, head, stats)
    elif head == PCAPNG_MAGIC:
        stats.format = "pcapng"
        yield from _pcapng(s, stats)
    else:
        raise InputError("not a pcap or pcapng capture (unknown magic number)")


def _pcap(s: _Stream, magic: bytes, stats: ReadStats) -> Iterator[Frame]:
    order, unit = PCAP_MAGICS[magic]
    rest = s.read(20)
    if len(rest) < 20:
        raise InputError("pcap capture truncated inside its file header")
    _vmaj, _vmin, _zone, _sig, _snap, link = struct.unpack(order + "HHiIII", rest)
    link &= 0x0FFFFFFF  # the upper bits carry FCS information
    stats.interfaces = 1
    rec = struct.Struct(order + "IIII")
    n = 0
    while True:
        hdr = s.read(16)
        if not hdr:
            return
        if len(hdr) < 16:
            stats.problem = f"truncated inside the record header after frame {n}"
            return
        sec, frac, incl, orig = rec.unpack(hdr)
        if incl > MAX_BLOCK:
            stats.problem = f"corrupt record length ({incl} bytes) after frame {n}"
            return
        keep = min(incl, MAX_FRAME)
        data = s.read(keep)
        if len(data) < keep or s.skip(incl - keep) < incl - keep:
            stats.problem = f"truncated inside frame {n + 1}"
            return
        n += 1
        stats.frames = n
        yield Frame(n, sec + frac * unit, link, data, orig)


@dataclass
class _Iface:
    link: int
    unit: float = 1e-6
    offset: int = 0


def _tsresol(value: int) -> float:
    exp = value & 0x7F
    if exp > 30:
        return 1e-6
    return 2.0**-exp if value & 0x80 else 10.0**-exp


def _iface(body: bytes, order: str) -> _Iface:
    link = struct.unpack(order + "H", body[:2])[0] if len(body) >= 2 else LINK_ETHERNET
    iface = _Iface(link)
    pos = 8  # linktype(2) reserved(2) snaplen(4), then options
    while pos + 4 <= len(body):
        code, length = struct.unpack(order + "HH", body[pos : pos + 4])
        value = body[pos + 4 : pos + 4 + length]
        if code == 0:
            break
        if code == 9 and len(value) >= 1:
            iface.unit = _tsresol(value[0])
        elif code == 14 and len(value) == 8:
            iface.offset = struct.unpack(order + "q", value)[0]
        pos += 4 + ((length + 3) & ~3)
    return iface


def _pcapng(s: _Stream, stats: ReadStats) -> Iterator[Frame]:
    order = "<"
    ifaces: list[_Iface] = []
    n = 0
    first = True
    while True:
        if first:
            btype_raw, first = PCAPNG_MAGIC, False
        else:
            btype_raw = s.read(4)
            if not btype_raw:
                return
        blen_raw = s.read(4)
        if len(btype_raw) < 4 or len(blen_raw) < 4:
            stats.problem = f"truncated inside a block header after frame {n}"
            return
        if btype_raw == PCAPNG_MAGIC:  # section header: byte order may change
            bom = s.read(4)
            if bom == b"\x4d\x3c\x2b\x1a":
                order = "<"
            elif bom == b"\x1a\x2b\x3c\x4d":
                order = ">"
            else:
                if n == 0 and not stats.interfaces:
                    raise InputError("pcapng capture with an unknown byte-order magic")
                stats.problem = f"corrupt section header after frame {n}"
                return
            blen = struct.unpack(order + "I", blen_raw)[0]
            if blen < 28 or blen > MAX_BLOCK or blen % 4:
                if n == 0 and not stats.interfaces:
                    raise InputError("pcapng capture with a corrupt section header")
                stats.problem = f"corrupt section header after frame {n}"
                return
            if s.skip(blen - 12) < blen - 12:
                if n == 0 and not stats.interfaces:
                    raise InputError("pcapng capture truncated inside its section header")
                stats.problem = f"truncated inside a section header after frame {n}"
                return
            ifaces = []  # interface ids are per section
            continue
        btype = struct.unpack(order + "I", btype_raw)[0]
        blen = struct.unpack(order + "I", blen_raw)[0]
        if blen < 12 or blen > MAX_BLOCK or blen % 4:
            stats.problem = f"corrupt block length ({blen} bytes) after frame {n}"
            return
        body_len = blen - 12
        if btype == 1:  # interface description
            body = s.read(body_len)
            if len(body) < body_len:
                stats.problem = f"truncated inside an interface block after frame {n}"
                return
            ifaces.append(_iface(body, order))
            stats.interfaces += 1
        elif btype in (6, 2, 3):  # enhanced packet, obsolete packet, simple packet
            fixed = 20 if btype != 3 else 4
            head = s.read(min(body_len, fixed))
            if len(head) < fixed:
                stats.problem = f"truncated inside frame {n + 1}"
                return
            if btype == 3:
                iface_id, hi, lo = 0, 0, 0
                caplen = struct.unpack(order + "I", head)[0]  # original length
                caplen = min(caplen, body_len - 4)
                orig = caplen
            elif btype == 6:
                iface_id, hi, lo, caplen, orig = struct.unpack(order + "IIIII", head)
            else:
                iface_id, _drops, hi, lo, caplen, orig = struct.unpack(order + "HHIIII", head)
            room = body_len - fixed
            if caplen > room:
                stats.problem = f"corrupt packet length in frame {n + 1}"
                return
            keep = min(caplen, MAX_FRAME)
            data = s.read(keep)
            rest = room - keep
            if len(data) < keep or s.skip(rest) < rest:
                stats.problem = f"truncated inside frame {n + 1}"
                return
            iface = ifaces[iface_id] if iface_id < len(ifaces) else None
            n += 1
            stats.frames = n
            if iface is None:  # a packet for an interface never described: no link type
                continue
            ts = iface.offset + ((hi << 32) | lo) * iface.unit
            yield Frame(n, ts, iface.link, data, orig)
        elif s.skip(body_len) < body_len:
            stats.problem = f"truncated inside a block after frame {n}"
            return
        if len(s.read(4)) < 4:  # trailing block length
            stats.problem = f"truncated at the end of a block after frame {n}"
            return


# -- link layer -----------------------------------------------------------------------------

_ETH_VLAN = (0x8100, 0x88A8, 0x9100)


def ip_payload(link: int, data: bytes) -> tuple[int, int] | None:
    """(ip version, offset of the IP header) in a frame, or None when it carries no IP."""
    if link == LINK_ETHERNET:
        off, etype = 14, int.from_bytes(data[12:14], "big")
        tags = 0
        while etype in _ETH_VLAN and tags < 4:
            etype = int.from_bytes(data[off + 2 : off + 4], "big")
            off += 4
            tags += 1
    elif link == LINK_SLL:
        off, etype = 16, int.from_bytes(data[14:16], "big")
    elif link == LINK_SLL2:
        off, etype = 20, int.from_bytes(data[0:2], "big")
    elif link in (LINK_NULL, LINK_LOOP):
        if len(data) < 5:
            return None
        off, etype = 4, 0
    elif link in _RAW_LINKS:
        off, etype = 0, 0
    else:
        return None
    if len(data) <= off:
        return None
    if etype == 0:
        version = data[off] >> 4
    elif etype == 0x0800:
        version = 4
    elif etype == 0x86DD:
        version = 6
    else:
        return None
    if version not in (4, 6) or data[off] >> 4 != version:
        return None
    return version, off
