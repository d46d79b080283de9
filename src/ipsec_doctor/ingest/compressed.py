"""Compressed evidence, decompressed as a stream: rotated syslog archives (``messages.1.gz``,
``syslog.2.bz2``, ``vpn.log.xz``) and compressed captures (``.pcapng.gz``).

``kind_of(head)`` names the format from the first bytes; ``decompress(kind, chunks)`` yields the
content in pieces of at most ``PIECE`` bytes, so memory stays bounded whatever the compression
ratio (a decompression bomb costs time, like a file of its decompressed size, never memory).
Concatenated streams (``cat a.gz b.gz``, what ``pigz``/``pbzip2`` write) are read one after the
other.  A stream that is corrupt, cut short, or followed by bytes that open no further stream
ends with ``StreamError`` (an ``InputError``) after everything before the damage was yielded;
the scanner turns that into a note in the report (``scan.scan_chunks``).  Standard library only:
``zlib``, ``bz2``, ``lzma``.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import InputError

PIECE = 1024 * 1024

# magic numbers -> format name, as the messages say it
_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)


class StreamError(InputError):
    """A compressed input ends early (corrupt data, a truncated file, trailing garbage)."""


def kind_of(head: bytes) -> str | None:
    """"gzip", "bzip2" or "xz" when ``head`` (an input's first bytes) opens such a stream."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "bzip2" and head[3:4] not in b"123456789":
                return None  # text that happens to start with "BZh"
            return kind
    return None


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


def decompress(kind: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The content of the ``kind`` stream given as ``chunks`` (any split), in pieces of at most
    ``PIECE`` bytes; ``StreamError`` after the last good piece when the stream is damaged."""
    if kind == "gzip":
        return _gunzip(chunks)
    new: Callable[[], Any] = bz2.BZ2Decompressor if kind == "bzip2" else _xz
    return _buffered(kind, new, chunks)


def _xz() -> Any:
    return lzma.LZMADecompressor(format=lzma.FORMAT_XZ)


def _next_stream(kind: str, rest: bytes, done: int) -> None:
    """After one stream ended: ``rest`` must open another one, or be the start of its magic
    number (the chunk ends there), or zero padding."""
    magic = next(m for m, k in _MAGIC if k == kind)
    if not rest or rest.startswith(magic) or magic.startswith(rest) or not rest.strip(b"\0"):
        return
    raise StreamError(f"data after the end of the {kind} stream ignored (after {_size(done)})")


def _gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    d = zlib.decompressobj(wbits=31)
    started = False  # the current stream has consumed input
    done = 0
    for chunk in chunks:
        data = chunk
        while data:
            if not started and not data.strip(b"\0"):
                break  # zero padding after the last stream (tar and some tools add it)
            try:
                out = d.decompress(data, PIECE)
            except zlib.error:
                raise StreamError(f"corrupt gzip data after {_size(done)}") from None
            started = True
            if out:
                done += len(out)
                yield out
            if d.eof:
                rest = d.unused_data
                _next_stream("gzip", rest, done)
                d, started, data = zlib.decompressobj(wbits=31), False, rest
            else:
                data = d.unconsumed_tail
    if started:
        # the input ended inside a stream: flush what the decompressor holds, then say so
        try:
            out = d.flush()
        except zlib.error:
            out = b""
        if out:
            yield out
            done += len(out)
        raise StreamError(f"gzip data cut short after {_size(done)} (truncated file?)")


def _buffered(kind: str, new: Callable[[], Any], chunks: Iterable[bytes]) -> Iterator[bytes]:
    """bzip2/xz: the decompressor keeps unread input itself (``needs_input``)."""
    d = new()
    started = False
    done = 0
    for chunk in chunks:
        data = chunk
        while True:
            if not started and data and not data.strip(b"\0"):
                break
            try:
                out = d.decompress(data, PIECE)
            except (OSError, EOFError, lzma.LZMAError):
                raise StreamError(f"corrupt {kind} data after {_size(done)}") from None
            started = started or bool(data)
            data = b""
            if out:
                done += len(out)
                yield out
            if d.eof:
                rest = d.unused_data
                _next_stream(kind, rest, done)
                d, started = new(), False
                if not rest:
                    break
                data = rest
            elif d.needs_input:
                break
    if started:
        raise StreamError(f"{kind} data cut short after {_size(done)} (truncated file?)")
