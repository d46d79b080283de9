"""Agreement between ``ipsec-doctor check`` and the real daemons of the lab.

For every recorded lab scenario with both configurations
(``tests/fixtures/lab/<scenario>/{a,b}.swanctl.conf``, or a Libreswan ``ipsec.conf`` with its
``ipsec.secrets``), runs the simulator on the pair and sets its verdict (outcome, stage, first
cause) next to what the daemons did
(``scenario.yaml``: ``observed.outcome``/``observed.stage``, and the scenario's root cause
``expected.cause``).  Prints a Markdown table (for the README); ``--check`` exits 1 on any
disagreement.  ``tests/test_lab_agreement.py`` asserts the same thing.

Usage: ``python tools/lab_agreement.py [--check] [FIXTURE_DIR]``
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

import yaml

from ipsec_doctor.check.build import build
from ipsec_doctor.check.load import load_paths

ROOT = Path(__file__).resolve().parent.parent
LAB = ROOT / "tests" / "fixtures" / "lab"


def config_of(d: Path, side: str) -> Path | None:
    """A side's configuration: strongSwan ``swanctl.conf`` or Libreswan ``ipsec.conf``."""
    for name in (f"{side}.swanctl.conf", f"{side}.ipsec.conf"):
        if (d / name).is_file():
            return d / name
    return None


def scenarios(lab: Path = LAB) -> list[Path]:
    """Recorded scenarios with both configurations, except those whose recording could not show
    what they were meant to (``reality_differs``: a limit of the lab machine)."""
    if not lab.is_dir():
        return []
    return sorted(
        d for d in lab.iterdir()
        if (d / "scenario.yaml").is_file()
        and config_of(d, "a") and config_of(d, "b")
        and not _scenario(d).get("reality_differs")
    )


@cache
def _scenario(d: Path) -> dict:
    """A recording's scenario.yaml, read once (every verdict below consults it)."""
    return yaml.safe_load((d / "scenario.yaml").read_text(encoding="utf-8")) or {}


def network_event(d: Path) -> str | None:
    """Why the daemons failed for a reason no configuration shows (the peer's daemon down,
    UDP dropped on the path, the link cut after establishment), or None."""
    sc = _scenario(d)
    if sc.get("peer_down"):
        return "peer daemon down"
    if sc.get("block_udp"):
        return "UDP " + "/".join(str(p) for p in sc["block_udp"]) + " dropped on the path"
    if "link-down" in (sc.get("steps") or []):
        return "link cut after establishment"
    return None


def daemons(d: Path) -> tuple[str, str | None, str | None]:
    sc = _scenario(d)
    obs, exp = sc.get("observed") or {}, sc.get("expected") or {}
    outcome = obs.get("outcome")
    return outcome, obs.get("stage"), exp.get("cause") if outcome == "fails" else None


def wanted(d: Path) -> tuple[str, str | None, str | None]:
    """What the simulator must predict: the daemons' verdict, except for a network event,
    where the configurations agree and only the path fails (``check`` reads configurations)."""
    return ("established", None, None) if network_event(d) else daemons(d)


def simulator(d: Path) -> tuple[str, str | None, str | None, str]:
    devices, _ = load_paths([str(config_of(d, "a")), str(config_of(d, "b"))])
    report = build(devices)
    if len(report.tunnels) != 1:
        return "unpaired", None, None, f"{len(report.tunnels)} tunnels paired"
    t = report.tunnels[0]
    cause = t.findings[0].cause if t.findings else None
    detail = t.findings[0].details[0] if t.findings and t.findings[0].details else ""
    return t.outcome, t.stage, cause, detail


def table(lab: Path = LAB) -> tuple[list[str], int]:
    rows = [
        "| scenario | daemons | simulator | agree |",
        "|---|---|---|---|",
    ]
    bad = 0
    for d in scenarios(lab):
        real = daemons(d)
        sim = simulator(d)
        ok = wanted(d) == sim[:3]
        bad += not ok
        fmt = lambda v: " / ".join(x or "-" for x in v)  # noqa: E731
        event = network_event(d)
        verdict = ("yes" if ok else "NO") + (f" (configs agree; {event})" if event else "")
        rows.append(f"| {d.name} | {fmt(real)} | {fmt(sim[:3])} | {verdict} |")
    return rows, bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lab", nargs="?", default=str(LAB))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    rows, bad = table(Path(args.lab))
    print("\n".join(rows))
    return 1 if args.check and bad else 0


if __name__ == "__main__":
    sys.exit(main())
