"""``diagnose`` never crashes on numbers that are not plain ASCII numbers.

``str.isdigit()`` accepts characters that ``int()`` rejects (superscripts "²", circled "①"),
``int()`` refuses strings of more than 4300 digits, and ``float("1e999")`` is infinite.  The
evidence here is the real fixtures (Huawei, Cisco, strongSwan, Libreswan, the reference cases and
the lab's charon/pluto logs) with their numbers rewritten: Unicode digits (superscripts,
Arabic-Indic, mathematical bold, circled, full-width) replacing or appended to ASCII digits,
5000-digit numbers, "1e999", negative numbers.  Whatever the rewrite, scanning (``full`` and
``fast`` modes) and diagnosing end without an exception, and the command line exits 0 or 2
(never 3, "internal error").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsec_doctor.diagnose.engine import diagnose
from ipsec_doctor.ingest.scan import scan_chunks, scan_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _evidence_files() -> list[Path]:
    files: list[Path] = []
    for area in ("huawei", "cisco", "strongswan", "libreswan", "cases"):
        files += sorted(
            p for p in (FIXTURES / area).rglob("*") if p.is_file() and p.suffix in (".txt", ".log")
        )
    files += sorted(FIXTURES.glob("lab/*/a.log")) + sorted(FIXTURES.glob("lab/*/b.log"))
    return files


FILES = _evidence_files()
TEXTS = {p: p.read_text(encoding="utf-8", errors="replace") for p in FILES}
# isdigit() but not int()-able: superscripts, circled; int()-able but not ASCII: Arabic-Indic,
# mathematical bold, full-width
UNICODE_DIGITS = ("²", "³", "¹", "①", "١", "٤", "𝟙", "１")
HUGE = "9" * 5000


def _runs(text: str) -> list[tuple[int, int]]:
    """Spans of the ASCII digit runs of ``text`` (a plain scan, no regex)."""
    spans, i, n = [], 0, len(text)
    while i < n:
        if "0" <= text[i] <= "9":
            j = i
            while j < n and "0" <= text[j] <= "9":
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _rewrite(run: str, kind: int, digit: str) -> str:
    """One number of the evidence rewritten: ``kind`` picks how."""
    if kind == 0:
        return run[:-1] + digit  # "500" -> "50²"
    if kind == 1:
        return run + digit  # "5" -> "5²"
    if kind == 2:
        return digit * len(run)  # "500" -> "①①①"
    if kind == 3:
        return HUGE
    if kind == 4:
        return "1e999"
    if kind == 5:
        return "-" + run
    return digit + run  # "500" -> "²500"


KINDS = 7


def _apply(text: str, edits: dict[int, tuple[int, str]]) -> str:
    """``text`` with the digit runs numbered in ``edits`` rewritten."""
    out, last = [], 0
    for k, (i, j) in enumerate(_runs(text)):
        if k in edits:
            kind, digit = edits[k]
            out.append(text[last:i])
            out.append(_rewrite(text[i:j], kind, digit))
            last = j
    out.append(text[last:])
    return "".join(out)


def _all(n: int, kind: int, limit: int = 200) -> range:
    """The runs to rewrite "all" of: every one, but at most ``limit`` 5000-digit numbers."""
    return range(0, n, max(1, n // limit)) if kind == 3 else range(n)


def _check(text: str) -> None:
    """Both scanner modes, then the diagnosis: no exception."""
    diagnose(scan_text(text))
    data = text.encode("utf-8", "surrogatepass")
    chunks = [data[i : i + 4096] for i in range(0, len(data), 4096)]
    diagnose(list(scan_chunks(chunks, "<fuzz>", mode="fast")))


def test_there_is_evidence_to_rewrite() -> None:
    assert len(FILES) > 100
    assert any("/lab/" in str(p) for p in FILES)
    assert sum(len(_runs(t)) for t in TEXTS.values()) > 10_000


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_number_rewritten(path: Path) -> None:
    """Every number of a fixture rewritten the same way, for each way."""
    text = TEXTS[path]
    n = len(_runs(text))
    for kind in range(KINDS):
        for digit in ("²", "①", "١", "１") if kind in (0, 1, 2, 6) else ("",):
            _check(_apply(text, {k: (kind, digit) for k in _all(n, kind)}))


@st.composite
def rewritten(draw: st.DrawFn) -> str:
    text = TEXTS[draw(st.sampled_from(FILES))]
    n = len(_runs(text))
    if n == 0:
        return text
    picks = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=min(n, 40)))
    edits = {
        k: (draw(st.integers(0, KINDS - 1)), draw(st.sampled_from(UNICODE_DIGITS))) for k in picks
    }
    return _apply(text, edits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rewritten())
def test_some_numbers_rewritten(text: str) -> None:
    """A few numbers rewritten, each its own way, so the rest still parses around them."""
    _check(text)


VERBOSE = """<sysname> display ike error-info verbose
current info Num :1
Ike error information:
current ike Error-info number :1
-----
Peer      : 10.1.1.1
Port     : {port}
version  : v1
Reason   : phase1 proposal mismatch
Detail   : phase1 proposal mismatch
Error-time : 2013-08-26 12:02:37
-----
"""
TRUNCATED = """<FW1> display ike error-info
peer            port  error-reason              version  error-time
1.1.1.1         {port}    authentication fail
"""


@pytest.mark.parametrize("template", [VERBOSE, TRUNCATED], ids=["verbose", "truncated"])
@pytest.mark.parametrize("port", ["5²", "①", "5" * 5000, "1e999", "-500"])
def test_reason_table_with_odd_port(template: str, port: str) -> None:
    """The crash the fuzzing found: a port column holding "5²".  The reason is still read, as
    evidence without a port; a plain port still reads as a port."""
    facts = scan_text(template.format(port=port))
    reasons = [f for f in facts if getattr(f, "reason", None)]
    assert reasons and all(getattr(f, "port", None) is None for f in reasons)
    diagnose(facts)
    plain = [f for f in scan_text(template.format(port="500")) if getattr(f, "reason", None)]
    assert plain and all(getattr(f, "port", None) == 500 for f in plain)


def _cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", "diagnose", str(path)],
        input=b"",
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"},
    )


@pytest.mark.parametrize("kind", range(KINDS))
def test_cli_never_exits_with_internal_error(tmp_path: Path, kind: int) -> None:
    """All fixtures concatenated, every number rewritten: exit 0 or 2, no traceback."""
    parts = []
    for i, path in enumerate(FILES):
        text = TEXTS[path]
        digit = UNICODE_DIGITS[i % len(UNICODE_DIGITS)]
        edits = {k: (kind, digit) for k in _all(len(_runs(text)), kind, limit=5)}
        parts.append(_apply(text, edits))
    path = tmp_path / "evidence.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    res = _cli(path)
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err


PING = """<AR1> ping -c 3 10.1.2.2
  PING 10.1.2.2: 56  data bytes, press CTRL_C to break
    Request time out
    Reply from 10.1.2.2: bytes=56 Sequence=2 ttl=254 time=31 ms
    Request time out

  --- 10.1.2.2 ping statistics ---
    3 packet(s) transmitted
    1 packet(s) received
    {loss}% packet loss
    round-trip min/avg/max = 31/31/31 ms
"""


@pytest.mark.parametrize(
    ("loss", "read"),
    [("66.67", 66.67), ("0.00", 0.0), ("nan", None), ("1e999", None), ("-5", None), ("６６", None)],
)
def test_ping_loss_is_a_plain_percentage(loss: str, read: float | None) -> None:
    """``float()`` takes "nan", "1e999" (infinite) and full-width digits: the loss is only read
    from a plain decimal percentage."""
    pings = [f for f in scan_text(PING.format(loss=loss)) if hasattr(f, "loss_percent")]
    assert len(pings) == 1
    assert pings[0].loss_percent == read
    assert pings[0].transmitted == 3 and pings[0].received == 1
