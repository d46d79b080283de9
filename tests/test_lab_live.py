"""Live lab subset: success and PSK mismatch with real strongSwan daemons in namespaces.

Runs ``lab/run.py``'s scenarios without rewriting the fixtures when the machine allows it (root,
``ip netns``, charon/swanctl with kernel-libipsec, tcpdump); otherwise skips with the exact
reason.  ``IPSEC_LAB_LIVE=0`` skips it on purpose.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from types import ModuleType

import pytest

from conftest import ROOT


def lab_module() -> ModuleType:
    path = ROOT / "lab" / "run.py"
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location("ipsec_lab_run", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def lab() -> ModuleType:
    if os.environ.get("IPSEC_LAB_LIVE") == "0":
        pytest.skip("live lab disabled by IPSEC_LAB_LIVE=0")
    module = lab_module()
    problem = module.machine_problem()
    if problem:
        pytest.skip(f"live lab not run: {problem}")
    return module


def test_live_success_establishes_and_passes_traffic(lab: ModuleType) -> None:
    observed = lab.run_scenario("success", write=False)
    assert observed["outcome"] == "established", observed["steps"]
    assert any("ping: ok" in step for step in observed["steps"])
    assert any("CHILD_SA net{" in line and "established" in line
               for line in observed["evidence"])


def test_live_psk_mismatch_fails_at_ike_auth(lab: ModuleType) -> None:
    observed = lab.run_scenario("psk", write=False)
    assert (observed["outcome"], observed["stage"]) == ("fails", "ike")
    assert any(line.startswith("a: ") and "AUTHENTICATION_FAILED" in line
               for line in observed["evidence"])
    assert any(line.startswith("b: ") and "MAC mismatched" in line
               for line in observed["evidence"])
    assert not any("lab-psk" in line for line in observed["evidence"])


def test_lab_leaves_nothing_behind(lab: ModuleType) -> None:
    lab.run_scenario("psk", write=False)
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert not [n for n in names.split() if n.startswith(lab.PREFIX)]


def test_failed_run_still_tears_everything_down(lab: ModuleType, tmp_path, monkeypatch) -> None:
    # a scenario whose second step is unknown: the run aborts after both daemons are up
    (tmp_path / "broken.yaml").write_text(
        "name: broken\ndescription: aborts mid-run\ntopology: nat\na: strongswan\nb: strongswan\n"
        "differs: an unknown step\nsteps: [initiate, no-such-step]\n"
        "expected: {outcome: established, stage: null, cause: null}\n", encoding="utf-8")
    monkeypatch.setattr(lab, "SCENARIOS", tmp_path)
    with pytest.raises(lab.LabError, match="unknown step 'no-such-step'"):
        lab.run_scenario("broken", write=False)
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert not [n for n in names.split() if n.startswith(lab.PREFIX)]
    assert not (lab.FIXTURES / "broken").exists()
