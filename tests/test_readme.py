"""The README's example sessions are what the commands print today (the first lines of each, up
to the "..." that cuts them), so the README cannot drift from the tool."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# "$ ipsec-doctor <args>" then the printed lines, up to a line "..." (or the end of the block)
SESSIONS = re.findall(r"```text\n\$ ipsec-doctor ([^\n]*)\n(.*?)\n(?:\.\.\.\n)?```", README, re.S)


def test_the_readme_has_example_sessions() -> None:
    assert [args.split()[0] for args, _ in SESSIONS] == ["diagnose", "check"]


@pytest.mark.parametrize(("args", "shown"), SESSIONS, ids=[a.split()[0] for a, _ in SESSIONS])
def test_an_example_session_is_current(args: str, shown: str) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", *args.split()], capture_output=True, cwd=ROOT,
        timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"},
    )
    assert res.returncode in (0, 1), res.stderr
    printed = res.stdout.decode("utf-8").splitlines()
    expect = shown.splitlines()
    assert printed[: len(expect)] == expect
