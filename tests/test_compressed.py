"""Compressed evidence (``ingest/compressed.py`` and its use by the reader and the scanner).

* gzip, bzip2 and xz round-trip whatever the chunking, in bounded pieces, concatenated streams
  included;
* damage (a cut, flipped bytes, trailing garbage) never raises anything but ``StreamError``, and
  what came before it is delivered;
* through the command line: a compressed log gives the report of the plain one, a compressed
  capture is decoded as a capture, a large archive is read in fast mode with the plain file's
  facts, a truncated archive is diagnosed up to the cut with a note, an unreadable one exits 2
  with one line, and canary secrets inside stay hidden.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from ipsec_doctor.ingest.compressed import PIECE, StreamError, decompress, kind_of
from ipsec_doctor.ingest.scan import FULL_SCAN_LIMIT, ScanStats, scan_chunks
from ipsec_doctor.model import Signal, Unparsed

PACK = {
    "gzip": lambda b: gzip.compress(b, compresslevel=6),
    "bzip2": lambda b: bz2.compress(b, 9),
    "xz": lambda b: lzma.compress(b, format=lzma.FORMAT_XZ),
}
KINDS = list(PACK)
SUFFIX = {"gzip": ".gz", "bzip2": ".bz2", "xz": ".xz"}


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    cuts = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


def unpack(kind: str, chunks: list[bytes]) -> tuple[bytes, str | None]:
    """Everything ``decompress`` yields, and the ``StreamError`` message if it raised one."""
    out = []
    try:
        for piece in decompress(kind, chunks):
            assert 0 < len(piece) <= PIECE
            out.append(piece)
    except StreamError as exc:
        return b"".join(out), str(exc)
    return b"".join(out), None


# -- the decompressors ----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000), cuts=st.lists(st.integers(0, 10**6), max_size=5),
       members=st.integers(1, 3))
def test_round_trip_at_any_split(kind: str, data: bytes, cuts: list[int], members: int) -> None:
    packed = b"".join(PACK[kind](data[i::members]) for i in range(members))
    got, err = unpack(kind, split(packed, cuts))
    assert err is None
    assert got == b"".join(data[i::members] for i in range(members))


@pytest.mark.parametrize("kind", KINDS)
def test_a_high_ratio_stream_comes_in_bounded_pieces(kind: str) -> None:
    text = b"Mar  8 2017 11:10:47 FW1 %%01IFNET/4/LINK_STATE(l)[1]:The line state changed.\n"
    data = text * (24 * 1024 * 1024 // len(text))  # 24 MB that compress to a few kB
    packed = PACK[kind](data)
    assert len(packed) < len(data) // 100
    got, err = unpack(kind, [packed])  # one chunk: the whole 24 MB would fit in one piece
    assert err is None and got == data


@pytest.mark.parametrize("kind", KINDS)
def test_a_cut_stream_delivers_a_prefix_then_says_so(kind: str) -> None:
    data = bytes(random.Random(1).choices(b"abcdefgh \n", k=400_000))
    packed = PACK[kind](data)
    for cut in (len(packed) // 3, len(packed) - 5, len(packed) - 1):
        got, err = unpack(kind, split(packed[:cut], [cut // 2]))
        assert err is not None and ("cut short" in err or "corrupt" in err), err
        assert data.startswith(got)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=80, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1,
                      max_size=4))
def test_damaged_bytes_raise_only_stream_error(kind: str, flips: list[tuple[int, int]]) -> None:
    data = b"".join(b"line %d of the log, ike sa\n" % i for i in range(2000))
    packed = bytearray(PACK[kind](data))
    for pos, x in flips:
        packed[pos % len(packed)] ^= x
    got, err = unpack(kind, [bytes(packed)])  # anything else would propagate and fail the test
    assert err is not None or got == data or isinstance(got, bytes)


@pytest.mark.parametrize("kind", KINDS)
def test_trailing_garbage_and_zero_padding(kind: str) -> None:
    data = b"ike sa\n" * 100
    got, err = unpack(kind, [PACK[kind](data) + b"\0" * 512])
    assert (got, err) == (data, None)
    got, err = unpack(kind, [PACK[kind](data) + b"not another stream"])
    assert got == data and err is not None and "after the end" in err


def test_kinds_are_told_by_their_magic() -> None:
    assert [kind_of(PACK[k](b"x")) for k in KINDS] == KINDS
    assert kind_of(b"BZhello, a text that starts like bzip2") is None
    assert kind_of(b"<FW1>display ike sa") is None


def test_the_scanner_notes_where_a_damaged_stream_stopped() -> None:
    text = b"".join(
        b"Mar  8 2017 11:10:%02d FW1 %%%%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation "
        b"fails. (PeerAddress=2.1.1.%d, PeerPort=500, Reason=phase1 proposal mismatch)\n"
        % (i % 60, i % 200) for i in range(20_000)
    )
    packed = gzip.compress(text)
    chunks = decompress("gzip", [packed[: len(packed) // 2]])
    stats = ScanStats()
    facts = list(scan_chunks(chunks, "fw1.log.gz", stats=stats))
    notes = [f for f in facts if isinstance(f, Unparsed)]
    signals = [f for f in facts if isinstance(f, Signal)]
    assert len(notes) == 1 and notes[0].family == "input"
    assert notes[0].ev.text.startswith("read stopped: gzip data cut short after")
    assert notes[0].ev.line == stats.lines and 0 < len(signals) <= stats.lines < 20_000


# -- through the command line ---------------------------------------------------------------------
def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", *args], capture_output=True, timeout=300,
        input=stdin, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert b"Traceback" not in res.stderr + res.stdout
    return res


def report(*args: str, stdin: bytes | None = None) -> dict:
    """The JSON report, with the input's name (file, or stdin) replaced by "SOURCE"."""
    res = cli("diagnose", "--json", *args, stdin=stdin)
    assert res.returncode == 0, res.stderr
    text = res.stdout.decode()
    for name in (*(a for a in args if a.startswith("/")), "<stdin>"):
        text = text.replace(json.dumps(name)[1:-1], "SOURCE")
    return json.loads(text)


LOG = FIXTURES / "cisco" / "syslog-asa-aws-crypto-map.txt"


@pytest.mark.parametrize("kind", KINDS)
def test_a_compressed_log_gives_the_plain_report(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"asa.log{SUFFIX[kind]}"
    path.write_bytes(PACK[kind](LOG.read_bytes()))
    plain = report(str(LOG))
    assert plain["findings"]
    assert report(str(path)) == plain
    assert report("-", stdin=path.read_bytes()) == plain


def test_a_compressed_capture_is_read_as_a_capture(tmp_path: Path) -> None:
    pcap = FIXTURES / "lab" / "psk" / "capture.pcap"
    plain = report(str(pcap))
    assert plain["findings"]
    for kind in KINDS:
        path = tmp_path / f"psk.pcap{SUFFIX[kind]}"
        path.write_bytes(PACK[kind](pcap.read_bytes()))
        assert report(str(path)) == plain, kind


def test_a_large_archive_is_read_in_fast_mode_with_the_plain_facts(tmp_path: Path) -> None:
    noise = b"Dec 04 2014 12:37:52: %ASA-6-302013: Built outbound TCP connection 1 for x\n"
    body = LOG.read_bytes()
    data = noise * (FULL_SCAN_LIMIT // len(noise) + 1000) + body + noise * 1000
    plain = tmp_path / "big.log"
    plain.write_bytes(data)
    packed = tmp_path / "big.log.gz"
    packed.write_bytes(gzip.compress(data, compresslevel=1))
    expect = report(str(plain))
    assert expect["findings"] and expect["lines_read"] == data.count(b"\n")
    assert report(str(packed)) == expect


def test_a_truncated_archive_is_diagnosed_up_to_the_cut(tmp_path: Path) -> None:
    data = LOG.read_bytes() * 400
    packed = gzip.compress(data)
    path = tmp_path / "cut.log.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    out = report(str(path))
    assert out["findings"]
    (note,) = out["unparsed"]
    assert note["text"].startswith("read stopped: gzip data cut short after")
    assert 0 < note["line"] == out["lines_read"] < data.count(b"\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "gzip archive unreadable: corrupt gzip data after 0 bytes"),
        (b"cut", "gzip archive unreadable: gzip data cut short after 0 bytes"),
        (b"", "empty gzip archive"),
        (b"  \n\n", "empty input"),
        (bytes(range(256)) * 40, "looks like binary data inside the gzip archive"),
    ],
)
def test_unusable_archives_exit_2_with_one_line(tmp_path: Path, content: bytes | None,
                                                 message: str) -> None:
    path = tmp_path / "x.gz"
    if content is None:  # a gzip header, then a deflate block of the reserved type 3
        data = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 20
    elif content == b"cut":
        data = b"\x1f\x8b\x08\x00garbage"
    else:
        data = gzip.compress(content)
    path.write_bytes(data)
    res = cli("diagnose", str(path))
    assert res.returncode == 2
    err = res.stderr.decode()
    assert message in err and err.count("\n") == 1, err


def test_secrets_inside_an_archive_stay_hidden(tmp_path: Path) -> None:
    text = (
        "<FW1>display current-configuration\n"
        "ike peer b1\n pre-shared-key cipher %^%#CanaryGzBlob%^%#\n"
        "Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails. "
        "(PeerAddress=4.4.4.4, PeerPort=500, Reason=password CanaryGzReason)\n"
    )
    for kind in KINDS:
        path = tmp_path / f"canary{SUFFIX[kind]}"
        path.write_bytes(PACK[kind](text.encode()))
        for args in (("--json",), ()):
            res = cli("diagnose", *args, str(path))
            assert res.returncode == 0 and b"Canary" not in res.stdout + res.stderr
        cut = tmp_path / f"cut{SUFFIX[kind]}"
        cut.write_bytes(path.read_bytes()[:-8])
        res = cli("diagnose", "--json", str(cut))
        assert b"Canary" not in res.stdout + res.stderr


def test_check_reads_a_compressed_configuration_and_refuses_a_cut_one(tmp_path: Path) -> None:
    examples = FIXTURES.parent.parent / "examples" / "check"
    a, b = examples / "hq-ar.cfg", examples / "branch-r1.cfg"
    plain = cli("check", "--json", str(a), str(b))
    packed = tmp_path / "hq-ar.cfg.xz"
    packed.write_bytes(PACK["xz"](a.read_bytes()))
    res = cli("check", "--json", str(packed), str(b))
    assert res.returncode == plain.returncode == 1
    outcome = [(t["outcome"], t["stage"]) for t in json.loads(res.stdout)["tunnels"]]
    assert outcome == [(t["outcome"], t["stage"]) for t in json.loads(plain.stdout)["tunnels"]]
    cut = tmp_path / "hq-ar.cfg.gz"
    cut.write_bytes(gzip.compress(a.read_bytes())[:300])
    res = cli("check", str(cut), str(b))
    err = res.stderr.decode()
    assert res.returncode == 2 and f"{cut}: gzip data cut short" in err and err.count("\n") == 1
