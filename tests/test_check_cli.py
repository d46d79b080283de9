"""``ipsec-doctor check``: the JSON contract (``../shared/spec/README.md``), exit codes, fleet
mode over a folder, pairing, the terminal table, Chinese labels, and that keys never leak.

Configurations are the matrix baselines (``tests/matrix/``), written to files as an engineer
would save them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from matrix import cisco_asa, cisco_ios, huawei_ar, huawei_usg, strongswan

CANARY = "Canary-Check-Key-77"


def cli(*args: str) -> tuple[int, str, str]:
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", "check", *args],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"},
    )
    return res.returncode, res.stdout.decode("utf-8"), res.stderr.decode("utf-8")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_contract_for_a_failing_pair(tmp_path: Path) -> None:
    a = write(tmp_path, "hq-ar.cfg", huawei_ar.baseline("a", 1))
    b = write(tmp_path, "r1.cfg", cisco_ios.FLIPS["ike.dh"](cisco_ios.baseline("b", 1), 1, False))
    code, out, err = cli("--json", str(a), str(b))
    assert code == 1, err
    doc = json.loads(out)
    assert doc["schema"] == "ipsec-doctor/check/1"
    (t,) = doc["tunnels"]
    for key in ("a", "b", "outcome", "stage", "initiator", "findings", "predicted_messages",
                "warnings"):
        assert key in t
    assert (t["outcome"], t["stage"]) == ("fails", "ike")
    assert t["initiator"] in ("a", "b")
    f = t["findings"][0]
    assert f["cause"] == "ike-dh-group-mismatch"
    assert 0 <= f["confidence"] <= 1
    for key in ("title", "signals", "evidence", "steps", "fix"):
        assert f[key], key
    sources = {e["source"] for e in f["evidence"]}
    assert sources == {str(a), str(b)}, "both sides' offending lines are cited"
    for e in f["evidence"]:
        text = Path(e["source"]).read_text(encoding="utf-8").splitlines()[e["line"] - 1]
        assert " ".join(text.split()) == " ".join(e["text"].split())
    assert "group 14" in "\n".join(f["fix"]) or "group14" in "\n".join(f["fix"])
    assert "phase1 proposal dh mismatch" in t["predicted_messages"]["a"]
    assert any("not acceptable" in m or "does not match" in m
               for m in t["predicted_messages"]["b"])


def test_established_pair_exits_zero_and_lists_warnings_apart(tmp_path: Path) -> None:
    a = write(tmp_path, "a.cfg", strongswan.baseline("a", 2))
    b = write(tmp_path, "b.cfg", cisco_asa.FLIPS["dpd"](cisco_asa.baseline("b", 2), 2, False))
    code, out, err = cli("--json", str(a), str(b))
    assert code == 0, out + err
    (t,) = json.loads(out)["tunnels"]
    assert t["outcome"] == "established" and t["findings"] == []
    assert "no-dpd" in {w["code"] for w in t["warnings"]}


def test_fleet_folder_pairs_hub_and_spokes_and_skips_other_files(tmp_path: Path) -> None:
    hub = huawei_usg.FLIPS["responder_only"](huawei_usg.baseline("b", 2), 2, False)
    write(tmp_path, "hub-usg.cfg", hub)
    write(tmp_path, "spoke1-ios.cfg", cisco_ios.baseline("a", 2))
    spoke2 = strongswan.baseline("a", 2).replace("192.0.2.1", "192.0.2.7")
    write(tmp_path, "spoke2.swanctl.conf", spoke2.replace("10.1.1.", "10.1.7."))
    write(tmp_path, "notes.txt", "shopping list\n")
    code, out, err = cli("--json", str(tmp_path))
    assert code == 1, err  # spoke2 is refused: the hub's template is pinned to 192.0.2.1
    doc = json.loads(out)
    verdicts = sorted((t["b_device"], t["outcome"]) for t in doc["tunnels"])
    assert verdicts == [("a", "established"), ("spoke2", "fails")]
    failing = next(t for t in doc["tunnels"] if t["outcome"] == "fails")
    assert failing["findings"][0]["cause"] == "peer-address-mismatch"
    assert [s["source"].endswith("notes.txt") for s in doc["skipped"]] == [True]
    code, text, _ = cli(str(tmp_path))
    assert "established" in text and "FAILS" in text and "peer-address-mismatch" in text


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b"hello world\nnothing here\n", "not a Huawei"),
    ],
)
def test_unusable_input_exits_2_with_one_line(tmp_path: Path, content: bytes, words: str) -> None:
    bad = tmp_path / "bad.cfg"
    bad.write_bytes(content)
    good = write(tmp_path, "good.cfg", huawei_ar.baseline("a", 2))
    code, out, err = cli(str(good), str(bad))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err


def test_missing_file_and_no_arguments_exit_2(tmp_path: Path) -> None:
    code, _, err = cli(str(tmp_path / "nope.cfg"))
    assert code == 2 and "Traceback" not in err
    code, _, err = cli()
    assert code == 2


def test_keys_never_leak_into_any_output(tmp_path: Path) -> None:
    a_text = huawei_ar.baseline("a", 1).replace("Matrix-Key-42", CANARY)
    b_text = cisco_ios.baseline("b", 1).replace("Matrix-Key-42", CANARY + "x")
    a = write(tmp_path, "a.cfg", a_text)
    b = write(tmp_path, "b.cfg", b_text)
    assert CANARY in a.read_text() and CANARY in b.read_text()
    for args in (("--json",), (), ("--lang", "zh")):
        code, out, err = cli(*args, str(a), str(b))
        assert code == 1
        assert "Canary" not in out + err
    doc = json.loads(cli("--json", str(a), str(b))[1])
    assert doc["tunnels"][0]["findings"][0]["cause"] == "psk-mismatch"


def test_chinese_labels(tmp_path: Path) -> None:
    a = write(tmp_path, "a.cfg", huawei_ar.baseline("a", 2))
    b = write(tmp_path, "b.cfg", huawei_usg.FLIPS["pfs"](huawei_usg.baseline("b", 2), 2, False))
    code, out, _ = cli("--lang", "zh", str(a), str(b))
    assert code == 1
    assert "配置检查" in out and "失败" in out and "PFS" in out
