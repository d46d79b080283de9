"""``ipsec-doctor check`` on each lab scenario's two swanctl configurations must predict what the
real strongSwan daemons did (outcome and stage) and name the scenario's root cause when it
fails; where the daemons failed only because of the network (peer down, UDP dropped, link cut)
the configurations agree, so ``check`` must say "established" (tools/lab_agreement.py prints the
same comparison as the README's table)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import lab_agreement

CASES = lab_agreement.scenarios()


@pytest.mark.skipif(not CASES, reason="no lab recordings with two swanctl configurations")
@pytest.mark.parametrize("scenario", CASES, ids=[d.name for d in CASES])
def test_simulator_agrees_with_daemons(scenario: Path) -> None:
    want = lab_agreement.wanted(scenario)
    sim = lab_agreement.simulator(scenario)
    real = lab_agreement.daemons(scenario)
    assert sim[:3] == want, (
        f"daemons did {real}, simulator predicts {sim} ({scenario.name}); "
        f"network event: {lab_agreement.network_event(scenario)}"
    )
