"""Capture decoding at scale: generated captures of N packets (default 100 000) read from disk
in chunks, with time and peak Python memory (tracemalloc) reported:

* ``esp``: one IKEv2 exchange, then ESP both ways over 30 000 SPIs, then one-way ESP;
* ``ike``: N IKE_SA_INIT requests, each with its own SPI (a flood, or a scanner): the number of
  IKE SAs and messages kept stops at its bound.

    .venv/bin/python bench/capture_100k.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from capture_kit import (
    IKE_AES256_SHA256_14,
    esp,
    ike,
    ike_sk,
    ike_udp,
    pcap,
    v2_ke,
    v2_nonce,
    v2_sa,
)

A, B = "192.0.2.1", "198.51.100.2"
ISPI, R, Z = b"\xa1" * 8, b"\xb1" * 8, bytes(8)


def write(path: Path, n: int) -> None:
    head = [
        ike_udp(A, B, ike(ISPI, Z, 2, 34, 0x08, 0, [v2_sa(IKE_AES256_SHA256_14), v2_ke(14),
                                                  v2_nonce()])),
        ike_udp(B, A, ike(ISPI, R, 2, 34, 0x20, 0, [v2_sa(IKE_AES256_SHA256_14), v2_ke(14),
                                                  v2_nonce()])),
        ike_udp(A, B, ike_sk(ISPI, R, 35, 0x08, 1, 35, 240), 4500, 4500),
        ike_udp(B, A, ike_sk(ISPI, R, 35, 0x20, 1, 36, 200), 4500, 4500),
    ]
    with path.open("wb") as fh:
        fh.write(pcap(head))
        rec = pcap([esp(A, B, 1, 1, udp_encap=True)])[24:]  # one record, patched below
        body = bytearray(rec)
        spi_at = 16 + 14 + 20 + 8
        for i in range(n - len(head)):
            one_way = i >= (n - len(head)) * 9 // 10
            src, dst = (A, B) if (i % 2 == 0 or one_way) else (B, A)
            pkt = bytearray(esp(src, dst, 0x1000 + (i % 30000), i, udp_encap=True))
            body[16:] = pkt
            body[spi_at : spi_at + 4] = (0x1000 + (i % 30000)).to_bytes(4, "big")
            fh.write(body)


def write_ike(path: Path, n: int) -> None:
    with path.open("wb") as fh:
        fh.write(pcap([]))
        rec = bytearray(pcap([ike_udp(A, B, ike(ISPI, Z, 2, 34, 0x08, 0, [
            v2_sa(IKE_AES256_SHA256_14), v2_ke(14), v2_nonce()]))])[24:])
        spi_at = 16 + 14 + 20 + 8
        for i in range(n):
            rec[spi_at : spi_at + 8] = i.to_bytes(8, "big")
            fh.write(rec)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    for kind, writer in (("esp", write), ("ike", write_ike)):
        print(f"-- {kind}")
        run(writer, n)


def run(writer, n: int) -> None:
    from ipsec_doctor.capture.facts import capture_facts
    from ipsec_doctor.capture.read import ReadStats

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.pcap"
        writer(path, n)
        size = path.stat().st_size
        for traced in (False, True):
            stats = ReadStats()
            if traced:
                tracemalloc.start()
            t0 = time.perf_counter()
            with path.open("rb") as fh:
                facts = list(capture_facts(iter(lambda: fh.read(1 << 20), b""), "big", stats))
            dt = time.perf_counter() - t0
            peak = tracemalloc.get_traced_memory()[1] if traced else 0
            if traced:
                tracemalloc.stop()
                print(f"peak Python memory {peak / 1e6:.1f} MB (tracemalloc, slower run)")
            else:
                print(f"{stats.frames} frames, {size / 1e6:.1f} MB in {dt:.2f} s "
                      f"({stats.frames / dt:,.0f} frames/s), {len(facts)} facts")


if __name__ == "__main__":
    main()
