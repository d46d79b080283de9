"""Shape of the real-lab recordings in ``tests/fixtures/lab/<scenario>/`` (written by lab/run.py).

Every folder must hold its scenario definition (with the expected and the observed verdict),
both sides' configuration and log, and a non-empty packet capture; the observed verdict must
agree with the expected one unless the scenario says why reality differs; no pre-shared key may
appear anywhere but in the configuration files.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import FIXTURES, ROOT

LAB = FIXTURES / "lab"
SCENARIOS = ROOT / "lab" / "scenarios"
FOLDERS = sorted(p for p in LAB.iterdir() if p.is_dir()) if LAB.is_dir() else []
IMPLS = {"strongswan", "libreswan"}
PCAP_MAGIC = {b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"}


def cause_ids() -> set[str]:
    data = yaml.safe_load((ROOT / "src/ipsec_doctor/kb/causes.yaml").read_text(encoding="utf-8"))
    return {entry["id"] for entry in data}


def scenario(folder: Path) -> dict:
    return yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))


def pcap_packets(path: Path) -> int:
    data = path.read_bytes()
    assert data[:4] in PCAP_MAGIC, f"{path} is not a pcap file"
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    count, offset = 0, 24
    while offset + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        offset += 16 + incl
        count += 1
    assert offset == len(data), f"{path}: truncated packet record"
    return count


def test_lab_fixtures_exist() -> None:
    names = {p.name for p in FOLDERS}
    assert {"success", "psk"} <= names


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_scenario_definition(folder: Path) -> None:
    data = scenario(folder)
    assert data["name"] == folder.name
    assert (SCENARIOS / f"{folder.name}.yaml").is_file(), "the lab has no such scenario"
    assert data["topology"] in {"direct", "nat"}
    assert data["a"] in IMPLS and data["b"] in IMPLS
    assert isinstance(data["description"], str) and data["description"]
    assert isinstance(data["differs"], str) and data["differs"]
    exp, obs = data["expected"], data["observed"]
    assert exp["outcome"] in {"established", "fails"}
    assert obs["outcome"] in {"established", "fails"}
    if exp["outcome"] == "fails":
        assert exp["stage"] in {"ike", "ipsec", "traffic"}
        assert exp["cause"] in cause_ids(), f"unknown root cause {exp['cause']!r}"
    if obs["outcome"] == "fails":
        assert obs["stage"] in {"ike", "ipsec", "traffic"}
    assert obs["evidence"], "the observed verdict cites no log line"
    for line in obs["evidence"]:
        assert line[:3] in {"a: ", "b: "}, line


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_observed_matches_expected(folder: Path) -> None:
    data = scenario(folder)
    exp, obs = data["expected"], data["observed"]
    if data.get("reality_differs"):
        pytest.skip(f"{folder.name}: {data['reality_differs']}")
    assert obs["outcome"] == exp["outcome"]
    if exp["outcome"] == "fails":
        assert obs["stage"] == exp["stage"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_recorded_files(folder: Path) -> None:
    data = scenario(folder)
    for side in ("a", "b"):
        if data[side] == "strongswan":
            conf = (folder / f"{side}.swanctl.conf").read_text(encoding="utf-8")
            assert "connections {" in conf and "secrets {" in conf
        else:
            assert (folder / f"{side}.ipsec.conf").read_text(encoding="utf-8").strip()
            assert (folder / f"{side}.ipsec.secrets").is_file()
        log = folder / f"{side}.log"
        if not data.get("peer_down") or side == "a":
            assert log.read_text(encoding="utf-8").strip(), f"{log} is empty"
    assert pcap_packets(folder / "capture.pcap") > 0
    if folder.name in {"success", "rekey"}:
        assert "ESTABLISHED" in (folder / "a.list-sas.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_no_psk_outside_configuration(folder: Path) -> None:
    # the scenario's settings and the configuration files carry the (lab-only) keys by design
    for path in folder.iterdir():
        if path.name.endswith((".conf", ".secrets", ".yaml")) or path.suffix == ".pcap":
            continue
        assert "lab-psk" not in path.read_text(encoding="utf-8"), path.name
    assert "lab-psk" not in yaml.safe_dump(scenario(folder)["observed"])


def lab_modules() -> tuple[ModuleType, ModuleType]:
    """lab/run.py and lab/libreswan.py, imported from their files (the lab is not a package)."""
    lab_dir = str(ROOT / "lab")
    if lab_dir not in sys.path:
        sys.path.insert(0, lab_dir)
    import libreswan
    import run

    return run, libreswan


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_committed_configuration_is_the_scenarios(folder: Path) -> None:
    """The recorded configuration files are what the scenario definition generates today."""
    run, libreswan = lab_modules()
    sc = run.load_scenario(folder.name)
    for side in ("a", "b"):
        if sc.impl(side) == "strongswan":
            text = (folder / f"{side}.swanctl.conf").read_text(encoding="utf-8")
            assert text == run.swanctl_conf(sc, side)
            daemon = (folder / f"{side}.strongswan.conf").read_text(encoding="utf-8")
            assert daemon == run.fixture_strongswan_conf(sc, side)
        else:
            text = (folder / f"{side}.ipsec.conf").read_text(encoding="utf-8")
            logfile = str(run.RUNDIR / sc.name / side / "pluto.log")
            assert text == libreswan.ipsec_conf(sc, side, logfile)
            secrets = (folder / f"{side}.ipsec.secrets").read_text(encoding="utf-8")
            assert secrets == libreswan.secrets(sc, side)


def test_libreswan_proposal_translation() -> None:
    _, libreswan = lab_modules()
    assert libreswan.proposal("aes256-sha256-modp2048") == ("aes256-sha2_256;modp2048", True)
    assert libreswan.proposal("aes128-sha1-ecp256") == ("aes128-sha1;dh19", True)
    assert libreswan.proposal("aes256-sha256") == ("aes256-sha2_256", False)
