"""Hostile and odd input through the real command line (``python -m ipsec_doctor``).

Whatever arrives, the tool ends with exit 0 (analysed) or 2 (unusable input, one line on stderr),
never with a traceback.  Large inputs only have to finish: speed is measured by
``bench/huawei_syslog.py``, not here.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsec_doctor.diagnose.engine import diagnose, diagnose_text
from ipsec_doctor.ingest.scan import CHUNK, scan_text

ROW = "1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32"
TABLE = f"<FW1> display ike error-info\npeer port error-reason version error-time\n{ROW}\n"


def cli(
    *args: str, stdin: bytes | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"},
    )
    err = res.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert "Traceback" not in res.stdout.decode("utf-8", "replace")
    return res


def refused(res: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 2 with exactly one line on stderr that names the problem."""
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2, (res.returncode, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("ipsec-doctor: ")
    for w in words:
        assert w in err, err
    return err


def analysed(res: subprocess.CompletedProcess) -> dict:
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")
    return json.loads(res.stdout)


# -- unusable input: exit 2, one line -------------------------------------------------------------


def test_random_binary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(random.Random(7).randbytes(20_000))
    refused(cli("diagnose", str(path)), "blob.bin", "not text")


def test_pcap_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ike.pcap"
    header = bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000")
    path.write_bytes(header + b"\x00" * 64)
    refused(cli("diagnose", str(path)), "pcap")


def test_gzip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(100))
    refused(cli("diagnose", str(path)), "gzip")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n\n  ", b"\n" * 1000])
def test_empty_and_blank_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    refused(cli("diagnose", str(path)), "empty")


def test_directory_is_refused(tmp_path: Path) -> None:
    refused(cli("diagnose", str(tmp_path)), "directory")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    refused(cli("diagnose", str(tmp_path / "nope.txt")), "nope.txt", "no such file")


def test_missing_file_among_good_ones_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TABLE)
    refused(cli("diagnose", str(good), str(tmp_path / "nope.txt")), "no such file")


def test_stdin_twice_is_refused() -> None:
    refused(cli("diagnose", "-", "-", stdin=TABLE.encode()), "stdin")


def test_empty_stdin_is_refused() -> None:
    refused(cli("diagnose", "-", stdin=b""), "<stdin>", "empty")


def test_binary_stdin_is_refused() -> None:
    refused(cli("diagnose", "-", stdin=bytes(range(256)) * 40), "<stdin>", "not text")


# -- odd but usable input: exit 0 -----------------------------------------------------------------


def test_garbage_text_is_analysed(tmp_path: Path) -> None:
    rnd = random.Random(3)
    words = ["lorem", "ipsum", "IKE", "ipsec", "<", ">", "[", "]", "#", "%^%#", "1.1.1.1", "v2"]
    lines = [" ".join(rnd.choice(words) for _ in range(rnd.randrange(12))) for _ in range(2000)]
    path = tmp_path / "garbage.txt"
    path.write_text("\n".join(lines))
    data = analysed(cli("diagnose", "--json", str(path)))
    assert data["lines_read"] == 2000


def test_a_3mb_single_line_finishes(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text("IKE " * (3 * 1024 * 1024 // 4))
    data = analysed(cli("diagnose", "--json", str(path)))
    assert data["lines_read"] == 1


def test_a_200k_line_file_finishes(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    noise = "Mar  8 2017 11:10:50 FW1 %%01IFNET/4/LINK_STATE(l)[6]:The line protocol is UP.\n"
    path.write_text(noise * 100_000 + TABLE + noise * 100_000)
    data = analysed(cli("diagnose", "--json", str(path)))
    assert data["lines_read"] == 200_000 + TABLE.count("\n")
    lines = {e["line"] for f in data["findings"] for e in f["evidence"]}
    assert lines == {100_003}


def test_a_big_file_uses_fast_mode_and_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    noise = b"Mar  8 2017 11:10:50 FW1 %%01SEC/6/SESSION(l)[6]:like a bike, Mike.\n"
    n = (17 * 1024 * 1024) // len(noise)  # above the full-mode limit
    with open(path, "wb") as fh:
        fh.write(noise * n + TABLE.encode() + noise * 10)
    data = analysed(cli("diagnose", "--json", str(path)))
    assert {e["line"] for f in data["findings"] for e in f["evidence"]} == {n + 3}


def test_invalid_utf8_is_analysed(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"caf\xe9 \xff\xfe\xfd\n" + TABLE.encode() + b"\xc3\x28 \xa0\xa1\n")
    data = analysed(cli("diagnose", "--json", str(path)))
    assert data["findings"] and data["findings"][0]["evidence"][0]["line"] == 4


def test_gbk_chinese_text_is_analysed(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("执行命令 display ike error-info\n".encode("gbk") + TABLE.encode())
    assert analysed(cli("diagnose", "--json", str(path)))["findings"]


def test_nul_bytes_after_a_text_first_chunk(tmp_path: Path) -> None:
    path = tmp_path / "padded.log"
    text = TABLE.encode()
    filler = b"x" * 99 + b"\n"
    with open(path, "wb") as fh:
        fh.write(text + filler * (CHUNK // len(filler) + 1))
        fh.write(b"\x00" * 200_000 + b"\n" + b"IKE \x00\x00 tail\n" + bytes(5000))
    data = analysed(cli("diagnose", "--json", str(path)))
    assert data["findings"] and data["lines_read"] == 3 + CHUNK // len(filler) + 1 + 3


def test_utf16_with_bom_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "powershell.txt"
    path.write_bytes(TABLE.replace("\n", "\r\n").encode("utf-16"))
    data = analysed(cli("diagnose", "--json", str(path)))
    assert data["findings"][0]["device"] == "FW1"
    assert data["findings"][0]["evidence"][0] == {"source": str(path), "line": 3, "text": ROW}


def test_stdin_is_read() -> None:
    data = analysed(cli("diagnose", "--json", "-", stdin=TABLE.encode()))
    assert data["sources"] == ["<stdin>"]
    assert data["findings"][0]["evidence"][0]["source"] == "<stdin>"


def test_several_files_at_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TABLE)
    b.write_text(TABLE.replace("FW1", "FW2").replace("1.1.1.1", "2.2.2.2"))
    data = analysed(cli("diagnose", "--json", str(a), "-", str(b), stdin=b"\n\n" + TABLE.encode()))
    assert data["sources"] == [str(a), "<stdin>", str(b)]
    cited = {(e["source"], e["line"]) for f in data["findings"] for e in f["evidence"]}
    assert cited == {(str(a), 3), ("<stdin>", 5), (str(b), 3)}


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_text_in_every_format(tmp_path: Path, fmt: str, lang: str) -> None:
    path = tmp_path / "hostile.txt"
    hostile = (
        TABLE
        + "\x1b]0;evil title\x07\x1b[2J\x9b31m\n"
        + "[IPSEC-Error] \x1b[5mblink\x1b[0m mismatch.(PeerAddress=[1.1.1.1], PeerPort=[500])\n"
        + "Mar 8 2017 11:10:47 FW1 %%01IKE/4/NEW:\x07\x08\x0b odd | pipes | `ticks` **stars**\n"
    )
    path.write_bytes(hostile.encode())
    res = cli("diagnose", "--format", fmt, "--lang", lang, str(path))
    assert res.returncode == 0
    out = res.stdout.decode("utf-8")
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out


# -- the library never raises on text ----------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"abcIKEipsec<>[]#~*-:=./ \t\r\n\x1b\b\x00%^$@\"'0123456789",
        *("More", "---- More ----", "display ike error-info", "IKE/5/IKE_NEGO_FAIL", "Reason="),
        *("PeerAddress=", "1.1.1.1", "v1", "2017-09-05", "15:22:32", "\r\n", "\u3000", "对端"),
        *("\ufeff", "%^%#", "pre-shared-key ", "[IPSEC-Error]", "IKE_ERROR 1:2 ", "(", ")"),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(_ALPHABET, max_size=200), mode=st.sampled_from(["full", "fast"]))
def test_random_text_never_raises(parts: list[str], mode: str) -> None:
    text = "".join(parts)
    facts = scan_text(text, "r.txt", mode=mode)
    report = diagnose(facts, lang="zh" if len(text) % 2 else "en", sources=["r.txt"])
    assert report.lines_read >= 0


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=2000))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    diagnose_text(text, source="u.txt")
