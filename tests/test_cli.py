"""The command line against the contract in ../shared/spec/README.md: JSON shape, languages,
several files, stdin, normal events, exit status."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from ipsec_doctor.cli import app

runner = CliRunner()
CASE = FIXTURES / "cases" / "fw-nat-authentication-address.txt"
PROPOSAL = FIXTURES / "cases" / "ar-4.1.2-ike-proposal.txt"
NORMAL_ONLY = """<FW1> display ike offline-info
  Current info Num :2
  Ike offline information:
-----------------------------------------------------------------------------
  peer              offline-reason              version     offline-time
-----------------------------------------------------------------------------
  2.1.1.2           phase2 sa replace           v2          2017-02-18 02:12:39
  2.1.1.2           phase1 sa replace           v2          2017-02-18 01:17:06
-----------------------------------------------------------------------------
"""


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_json_report_follows_the_spec() -> None:
    res = run("diagnose", "--json", str(CASE))
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["schema"] == "ipsec-doctor/report/1"
    assert isinstance(data["findings"], list) and data["findings"]
    for f in data["findings"]:
        assert {"cause", "title", "confidence", "signals", "evidence", "steps", "fix"} <= set(f)
        assert 0 <= f["confidence"] <= 1
        assert all(isinstance(s, str) for s in f["signals"] + f["steps"] + f["fix"])
        for ev in f["evidence"]:
            assert set(ev) >= {"source", "line", "text"} and ev["line"] >= 1
    confs = [f["confidence"] for f in data["findings"] if f["cause"] != "expected-event"]
    assert confs == sorted(confs, reverse=True), "ranked, most likely first"
    assert all({"command", "why"} <= set(n) for n in data["next"])


def test_several_files_and_stdin_in_one_run() -> None:
    res = run("diagnose", "--json", str(CASE), "-", stdin=PROPOSAL.read_text(encoding="utf-8"))
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    sources = {ev["source"] for f in data["findings"] for ev in f["evidence"]}
    assert sources == {str(CASE), "<stdin>"}
    devices = {f.get("device") for f in data["findings"]}
    assert {"FW2", "AR1"} <= devices


def test_chinese_report() -> None:
    res = run("diagnose", "--lang", "zh", str(PROPOSAL))
    assert res.exit_code == 0
    assert "诊断报告" in res.stdout and "置信度" in res.stdout
    assert re.search(r"[\u4e00-\u9fff]{6}", res.stdout.split("证据")[0])
    data = json.loads(run("diagnose", "--json", "--lang", "zh", str(PROPOSAL)).stdout)
    assert re.search(r"[\u4e00-\u9fff]", data["findings"][0]["title"])


def test_markdown_report() -> None:
    res = run("diagnose", "--format", "markdown", str(PROPOSAL))
    assert res.exit_code == 0 and res.stdout.startswith("# ipsec-doctor report")
    assert "`ike-proposal-mismatch`" in res.stdout


def test_normal_events_are_expected_event_not_faults(tmp_path) -> None:
    p = tmp_path / "normal.txt"
    p.write_text(NORMAL_ONLY, encoding="utf-8")
    data = json.loads(run("diagnose", "--json", str(p)).stdout)
    assert [f["cause"] for f in data["findings"]] == ["expected-event"]
    assert set(data["findings"][0]["signals"]) == {"phase2 sa replace", "phase1 sa replace"}


def test_nothing_recognised_asks_for_the_start_of_the_fault_tree(tmp_path) -> None:
    p = tmp_path / "hello.txt"
    p.write_text("<FW1> display version\nHuawei Versatile Routing Platform Software\n")
    res = run("diagnose", "--json", str(p))
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["findings"] == []
    cmds = [n["command"] for n in data["next"]]
    # the top of the fault tree, in order: SA state, counters, failure and teardown reasons
    order = ["display ike sa", "display ipsec statistics", "display ike error-info",
             "display ike offline-info"]
    assert [c for c in cmds if c in order] == order


def test_unusable_input_exits_2_with_one_line(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for args in (["diagnose", str(empty)], ["diagnose", str(tmp_path / "missing.txt")]):
        proc = subprocess.run(
            [sys.executable, "-m", "ipsec_doctor", *args],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )
        assert proc.returncode == 2
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
        assert proc.stdout == ""


def test_explain_command() -> None:
    res = run("explain", "Phase1 proposal mismatch")
    assert res.exit_code == 0 and "ike-proposal-mismatch" in res.stdout
    assert run("explain", "no such reason at all").exit_code == 2
