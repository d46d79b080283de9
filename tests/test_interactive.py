"""``diagnose --interactive``: asks for the next output in fault-tree order and narrows down."""

from __future__ import annotations

from conftest import FIXTURES
from ipsec_doctor.interactive import run

PROPOSAL_CASE = (FIXTURES / "cases" / "fw-ike-proposal.txt").read_text(encoding="utf-8")
NAT_CASE = (FIXTURES / "cases" / "fw-nat-authentication-address.txt").read_text(encoding="utf-8")


def drive(answers: list[str], initial=None, lang: str = "en"):
    out: list[str] = []
    queue = list(answers)
    report = run(lambda: queue.pop(0) if queue else "", out.append, initial, lang=lang)
    return report, out


def test_starts_at_the_top_of_the_tree_without_evidence() -> None:
    report, out = drive([""])
    asks = [line for line in out if line.startswith("Next:")]
    assert asks and "`display ike sa`" in asks[0]
    assert report.findings == []


def test_a_paste_is_diagnosed_and_the_next_question_follows() -> None:
    report, out = drive([NAT_CASE])
    assert report.findings and report.findings[0].cause == "peer-address-mismatch"
    assert any("paste-1" == s for s in report.sources)
    # the answer made the picture clear: it stops asking
    assert out[-1].startswith("No further output is needed")


def test_weak_evidence_asks_for_the_command_that_tells_causes_apart() -> None:
    _report, out = drive([""], initial=[("fw1.txt", PROPOSAL_CASE)])
    asks = [line for line in out if line.startswith("Next:")]
    assert "`display ike proposal`" in asks[0] and "on FW1" in asks[0]


def test_chinese_dialogue() -> None:
    _, out = drive([""], lang="zh")
    assert any(line.startswith("下一步") for line in out)


def test_the_command_line_refuses_what_interactive_cannot_hold(tmp_path) -> None:
    """Initial files are held in memory and re-read after every paste: a capture, stdin and
    anything over 16 MB (also once decompressed) are refused with one line, exit 2."""
    import gzip
    import os
    import subprocess
    import sys

    from ipsec_doctor.ingest.scan import FULL_SCAN_LIMIT

    line = b"Mar  8 2017 11:10:50 FW1 %%01IFNET/4/LINK_STATE(l)[6]:The line state changed.\n"
    big = tmp_path / "big.log.gz"
    big.write_bytes(gzip.compress(line * (FULL_SCAN_LIMIT // len(line) + 10), compresslevel=1))
    small = tmp_path / "small.log"
    small.write_bytes(line)
    for args, words in (
        ([str(big)], "too large for --interactive"),
        (["-"], "give files, not '-'"),
    ):
        res = subprocess.run(
            [sys.executable, "-m", "ipsec_doctor", "diagnose", "--interactive", *args],
            input=b"", capture_output=True, timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        err = res.stderr.decode()
        assert res.returncode == 2 and words in err and err.count("\n") == 1, err
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", "diagnose", "--interactive", str(small)],
        input=b"", capture_output=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert res.returncode == 0, res.stderr
