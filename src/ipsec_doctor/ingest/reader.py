"""Reading evidence from files and stdin: chunked, bounded memory, clear errors.

This is the only module of the engine that touches the file system; front ends call it and hand
the chunks to ``scan.scan_chunks``.  Errors are ``InputError`` with a one-line message whose file
name is already redacted (a name can hold a secret as easily as a line can).

The scan mode is chosen from the input size: up to ``FULL_SCAN_LIMIT`` bytes (files, and stdin,
whose first ``FULL_SCAN_LIMIT`` bytes are read ahead to decide) every line is examined; above it
the fast keyword-driven mode is used.  gzip, bzip2 and xz inputs (rotated syslog archives) are
decompressed on the fly (``compressed.py``; the mode then follows the decompressed size, read
ahead like stdin).  UTF-16 text with a byte-order mark (what Windows PowerShell writes with
``>``) is converted to UTF-8 on the fly; pcap and pcapng packet captures (recognised by their
magic numbers, also when compressed) get the mode ``capture``; other binary input is refused.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..capture.read import is_capture
from ..errors import InputError
from ..redact import redact
from .compressed import StreamError, decompress, kind_of
from .scan import CHUNK, FULL_SCAN_LIMIT

_MAGIC = {
    b"\xd4\xc3\xb2\xa1": "a pcap packet capture",
    b"\xa1\xb2\xc3\xd4": "a pcap packet capture",
    b"\x4d\x3c\xb2\xa1": "a pcap packet capture",
    b"\xa1\xb2\x3c\x4d": "a pcap packet capture",
    b"\x0a\x0d\x0d\x0a": "a pcapng packet capture",
    b"\x1f\x8b": "a gzip archive",
    b"PK\x03\x04": "a zip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ\x00": "an xz archive",
    b"7z\xbc\xaf\x27\x1c": "a 7-zip archive",
    b"\x28\xb5\x2f\xfd": "a zstd archive",
    b"%PDF": "a PDF document",
    b"\x7fELF": "an executable",
    b"MZ": "a Windows executable",
    b"\xd0\xcf\x11\xe0": "an Office document",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
}
# control bytes that never occur in text evidence (tab, LF, CR, FF, BS and ESC do)
_BAD_CONTROLS = bytes(b for b in range(32) if b not in (8, 9, 10, 12, 13, 27))
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class Source:
    """One opened input: its display name, scan mode and chunk iterator."""

    name: str
    mode: str
    chunks: Iterator[bytes]


def _looks_binary(head: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            if magic == b"MZ" and b"\x00" not in head[:512]:
                continue  # a text file that happens to start with "MZ"
            if magic == b"BZh" and head[3:4] not in b"123456789":
                continue
            return what
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary data"
    if sample:
        bad = len(sample) - len(sample.translate(None, _BAD_CONTROLS))
        if bad * 10 > len(sample):
            return "binary data"
    return None


def _read_head(fh: BinaryIO, limit: int) -> tuple[list[bytes], bool]:
    """Read up to ``limit`` bytes in ``CHUNK`` pieces; also say whether the input ended."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        block = fh.read(min(CHUNK, limit - size))
        if not block:
            return parts, True
        parts.append(block)
        size += len(block)
    return parts, False


def _read_ahead(
    it: Iterator[bytes], limit: int
) -> tuple[list[bytes], bool, StreamError | None]:
    """``_read_head`` for an iterator of pieces (decompressed data); a damaged stream ends the
    read-ahead, and its error is returned, to be raised after the pieces before it."""
    parts: list[bytes] = []
    size = 0
    try:
        for block in it:
            parts.append(block)
            size += len(block)
            if size >= limit:
                return parts, False, None
    except StreamError as exc:
        return parts, True, exc
    return parts, True, None


def _prefix(parts: list[bytes], n: int) -> bytes:
    out = b""
    for p in parts:
        out += p[: n - len(out)]
        if len(out) >= n:
            break
    return out


def _rest(
    head: list[bytes], ended: bool, it: Iterator[bytes], error: StreamError | None
) -> Iterator[bytes]:
    yield from head
    if error is not None:
        raise error  # after the text before the damage (``scan.scan_chunks`` notes it)
    if not ended:
        yield from it


def _chunks(fh: BinaryIO, head: list[bytes], ended: bool, close: bool) -> Iterator[bytes]:
    try:
        yield from head
        if ended:
            return
        while True:
            block = fh.read(CHUNK)
            if not block:
                return
            yield block
    finally:
        if close:
            fh.close()


def _from_utf16(chunks: Iterator[bytes]) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder("utf-16")("replace")
    for chunk in chunks:
        text = decoder.decode(chunk)
        if text:
            yield text.encode("utf-8", "surrogatepass")
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail.encode("utf-8", "surrogatepass")


def open_source(path: str) -> Source:
    """Open ``path`` ("-" is stdin) and check it is usable text evidence."""
    stdin = path == "-"
    name = "<stdin>" if stdin else redact(path)
    fh: BinaryIO | None = None
    size: int | None = None  # known for regular files only
    try:
        if stdin:
            fh = sys.stdin.buffer
        else:
            if os.path.isdir(path):
                raise InputError(f"{name}: is a directory, give the evidence files inside it")
            fh = open(path, "rb")
            st = os.fstat(fh.fileno())
            if stat.S_ISREG(st.st_mode):
                size = st.st_size
        # stdin or a pipe: read ahead what full mode may hold, to choose the mode
        head, ended = _read_head(fh, CHUNK if size is not None else FULL_SCAN_LIMIT + 1)
    except OSError as exc:
        if fh is not None and not stdin:
            fh.close()
        if isinstance(exc, FileNotFoundError):
            raise InputError(f"{name}: no such file") from None
        if isinstance(exc, PermissionError):
            raise InputError(f"{name}: permission denied") from None
        if isinstance(exc, IsADirectoryError):
            raise InputError(f"{name}: is a directory, give the evidence files inside it") from None
        raise InputError(f"{name}: cannot read ({redact(exc.strerror or str(exc))})") from None
    first = head[0] if head else b""

    def refuse(message: str) -> InputError:
        if fh is not None and not stdin:
            fh.close()
        return InputError(f"{name}: {message}")

    packed = kind_of(first)
    if packed:  # read ahead in the decompressed stream: its size decides the mode
        stream = decompress(packed, _chunks(fh, head, ended, not stdin))
        head, ended, damage = _read_ahead(stream, FULL_SCAN_LIMIT + 1)
        if damage is not None and not head:
            raise refuse(f"{packed} archive unreadable: {damage}")
        first = _prefix(head, 65536)  # the first pieces may be short
        size = None
        chunks = _rest(head, ended, stream, damage)
        if not first and ended:
            raise refuse(f"empty {packed} archive, nothing to diagnose")
    else:
        chunks = _chunks(fh, head, ended, close=not stdin)
    if is_capture(first) in ("pcap", "pcapng"):  # decoded by ``capture`` (``scan.scan_chunks``)
        return Source(name=name, mode="capture", chunks=chunks)
    utf16 = first.startswith(_UTF16)
    if not utf16:
        what = _looks_binary(first)
        if what is not None:
            inside = f" inside the {packed} archive" if packed else ""
            raise refuse(f"looks like {what}{inside}, not text evidence (CLI output, logs, debug)")
    if ended and not utf16 and not b"".join(head).strip():
        raise refuse("empty input, nothing to diagnose")
    if size is None:
        size = sum(len(h) for h in head) if ended else FULL_SCAN_LIMIT + 1
    mode = "full" if size <= FULL_SCAN_LIMIT else "fast"
    if utf16:
        chunks = _from_utf16(chunks)
    return Source(name=name, mode=mode, chunks=chunks)


def read_all(src: Source) -> str:
    """The whole text of a (small, ``full``-mode) source, for readers that need it at once
    (``check``, ``diagnose --interactive``); a damaged compressed input is an ``InputError``
    naming the source: a configuration cut short must not be judged."""
    try:
        return b"".join(src.chunks).decode("utf-8", "replace")
    except StreamError as exc:
        raise InputError(f"{src.name}: {exc}") from None
