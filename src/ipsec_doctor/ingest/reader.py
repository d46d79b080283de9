"""Reading evidence from files and stdin: chunked, bounded memory, clear errors.

This is the only module of the engine that touches the file system; front ends call it and hand
the chunks to ``scan.scan_chunks``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError
from .scan import CHUNK, FULL_SCAN_LIMIT

_MAGIC = {
    b"\xd4\xc3\xb2\xa1": "a pcap packet capture",
    b"\xa1\xb2\xc3\xd4": "a pcap packet capture",
    b"\x4d\x3c\xb2\xa1": "a pcap packet capture",
    b"\x0a\x0d\x0d\x0a": "a pcapng packet capture",
    b"\x1f\x8b": "a gzip archive",
    b"PK\x03\x04": "a zip archive",
    b"%PDF": "a PDF document",
    b"\x7fELF": "an executable",
}


@dataclass
class Source:
    """One opened input: its display name, scan mode and chunk iterator."""

    name: str
    mode: str
    chunks: Iterator[bytes]


def _looks_binary(head: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary data"
    if sample:
        # control bytes other than tab/newline/CR/escape/backspace/formfeed
        bad = sum(1 for b in sample if b < 32 and b not in (8, 9, 10, 12, 13, 27))
        if bad * 10 > len(sample):
            return "binary data"
    return None


def _chunks(fh, first: bytes) -> Iterator[bytes]:
    try:
        yield first
        while True:
            block = fh.read(CHUNK)
            if not block:
                return
            yield block
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def open_source(path: str) -> Source:
    """Open ``path`` ("-" is stdin) and check it is usable text evidence."""
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            fh = sys.stdin.buffer
            size = None
        else:
            if os.path.isdir(path):
                raise InputError(f"{name}: is a directory, give the evidence files inside it")
            fh = open(path, "rb")
            size = os.fstat(fh.fileno()).st_size
        first = fh.read(CHUNK)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not first.strip():
        raise InputError(f"{name}: empty input, nothing to diagnose")
    what = _looks_binary(first)
    if what is not None:
        if fh is not sys.stdin.buffer:
            fh.close()
        raise InputError(f"{name}: looks like {what}, not text evidence (CLI output, logs, debug)")
    if size is None:
        mode = "full" if len(first) < CHUNK else "fast"
    else:
        mode = "full" if size <= FULL_SCAN_LIMIT else "fast"
    return Source(name=name, mode=mode, chunks=_chunks(fh, first))
