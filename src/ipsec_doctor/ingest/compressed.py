"""Compressed evidence, decompressed as a stream: rotated syslog archives (``messages.1.gz``,
``syslog.2.bz2``, ``vpn.log.xz``) and compressed captures (``.pcapng.gz``).

``kind_of(head)`` names the format from the first bytes; ``decompress(kind, chunks)`` yields the
content in pieces of at most ``PIECE`` bytes, so memory stays bounded whatever the compression
ratio (a decompression bomb costs time, like a file of its decompressed size, never memory).
Concatenated streams (``cat a.gz b.gz``, what ``pigz``/``pbzip2`` write) are read one after the
other.  A stream that is corrupt, cut short, or followed by bytes that open no further stream
ends with ``StreamError`` (an ``InputError``) after everything before the damage was yielded;
the scanner turns that into a note in the report (``scan.scan_chunks``).  Standard library only:
``zlib``, ``bz2``, ``lzma`` (the last two imported only when such an input comes).
"""

from __future__ import annotations

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


def decompress(kind: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The content of the ``kind`` stream given as ``chunks`` (any split), in pieces of at most
    ``PIECE`` bytes; ``StreamError`` after the last good piece when the stream is damaged."""
    new = _DECOMPRESSORS[kind]
    d = new()
    started = False  # the current stream has consumed input
    done = 0
    for chunk in chunks:
        data = chunk
        while True:
            if not started and data and not data.strip(b"\0"):
                break  # zero padding after the last stream (tar and some tools add it)
            try:
                out = d.decompress(data, PIECE)
            except Exception as exc:
                if isinstance(exc, _corrupt_data()):
                    raise StreamError(f"corrupt {kind} data after {_size(done)}") from None
                raise
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
        # the input ended inside a stream: what zlib still holds (bz2/lzma hold no output
        # back), then say so
        out = d.finish() if isinstance(d, _Gzip) else b""
        if out:
            done += len(out)
            yield out
        raise StreamError(f"{kind} data cut short after {_size(done)} (truncated file?)")


class _Gzip:
    """``zlib`` behind the interface of the ``bz2``/``lzma`` decompressors, which keep unread
    input themselves and say ``needs_input``; ``finish`` flushes what a cut stream still holds."""

    def __init__(self) -> None:
        self._d = zlib.decompressobj(wbits=31)

    def decompress(self, data: bytes, max_length: int) -> bytes:
        # called with b"" only while input is pending (``needs_input`` is False)
        return self._d.decompress(data or self._d.unconsumed_tail, max_length)

    @property
    def needs_input(self) -> bool:
        return not self._d.unconsumed_tail

    @property
    def eof(self) -> bool:
        return self._d.eof

    @property
    def unused_data(self) -> bytes:
        return self._d.unused_data

    def finish(self) -> bytes:
        try:
            return self._d.flush()
        except zlib.error:
            return b""


def _bzip2() -> Any:
    import bz2

    return bz2.BZ2Decompressor()


def _xz() -> Any:
    import lzma

    return lzma.LZMADecompressor(format=lzma.FORMAT_XZ)


def _corrupt_data() -> tuple[type[Exception], ...]:
    """What the decompressors raise on bad data (``lzma`` imported here: an error path)."""
    import lzma

    return (zlib.error, OSError, EOFError, lzma.LZMAError)


_DECOMPRESSORS: dict[str, Callable[[], Any]] = {"gzip": _Gzip, "bzip2": _bzip2, "xz": _xz}


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _next_stream(kind: str, rest: bytes, done: int) -> None:
    """After one stream ended: ``rest`` must open another one, or be the start of its magic
    number (the chunk ends there), or zero padding."""
    magic = next(m for m, k in _MAGIC if k == kind)
    if not rest or rest.startswith(magic) or magic.startswith(rest) or not rest.strip(b"\0"):
        return
    raise StreamError(f"data after the end of the {kind} stream ignored (after {_size(done)})")
