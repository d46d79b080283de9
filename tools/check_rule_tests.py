"""Mutation check: every fault-tree rule has a test that fails when the rule is removed.

Runs the rule and reference-case tests once per rule with that rule taken out of the registry
and reports the rules whose removal no test notices.  Exit status 1 when there is one.
Usage: .venv/bin/python tools/check_rule_tests.py   (about one second per rule)
"""

from __future__ import annotations

import glob
import subprocess
import sys

from ipsec_doctor.diagnose.rules import registry

TESTS = ["tests/test_reference_cases_state.py", "tests/test_reference_cases.py"]
TESTS += sorted(glob.glob("tests/test_rules_*.py"))

PROBE = """
import sys
import pytest
import ipsec_doctor.diagnose.rules as R
kept = tuple(r for r in R.registry() if f"{{r.__module__}}:{{r.__name__}}" != {name!r})
R.registry = lambda: kept
sys.exit(pytest.main(["-q", "-x", "-p", "no:cacheprovider", *{tests!r}]))
"""


def main() -> int:
    missed = []
    for rule in registry():
        name = f"{rule.__module__}:{rule.__name__}"
        code = PROBE.format(name=name, tests=TESTS)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        caught = proc.returncode != 0
        print(("caught  " if caught else "MISSED  ") + name)
        if not caught:
            missed.append(name)
    print(f"{len(registry()) - len(missed)} of {len(registry())} rules have a failing test")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
