"""Secrets never appear in anything the tool prints.

Canary secrets in every syntax ``redact.py`` knows are planted inside evidence that also holds
real failure lines (at the end of an error-info row, on an IPSECNEGOFAIL syslog line, in debug
bodies, in unparsed IPsec-looking lines, in a prompt's command, in configuration and
``display ike peer`` output), then the report is rendered in every format and language and the
error paths are walked (file names, unreadable input, internal errors, unknown reasons).  No
canary may appear in stdout or stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ipsec_doctor.cli import app
from ipsec_doctor.redact import MASK, redact

# (line holding a secret, the secret)
CANARY_LINES = [
    ("  pre-shared-key cipher %^%#CanaryBlob1`k=P+7)%^%#", "CanaryBlob1"),
    ("  pre-shared-key simple Canary-PSK-2", "Canary-PSK-2"),
    ("  pre-shared-key cipher %$%$CanaryDollar%$%$", "CanaryDollar"),
    (" local-user admin password cipher Canary3", "Canary3"),
    ("snmp-agent community read cipher Canary4", "Canary4"),
    ("  Pre-shared-key       : %^%#CanaryPeer%^%#", "CanaryPeer"),
    ("crypto isakmp key CanaryKey5 address 1.1.1.1", "CanaryKey5"),
    (" pre-shared-key local Canary6", "Canary6"),
    ("username u password 0 Canary7", "Canary7"),
    ("enable secret 5 Canary8", "Canary8"),
    ('  secret = "Canary9"', "Canary9"),
    ('1.1.1.1 2.2.2.2 : PSK "Canary10"', "Canary10"),
    (" pre-shared-key address 10.1.1.1 key CanaryRing", "CanaryRing"),
    (" ospf authentication-mode md5 1 plain CanaryOspf", "CanaryOspf"),
    ('carol : XAUTH "CanaryXauth"', "CanaryXauth"),
    (" ikev1 pre-shared-key CanaryAsa", "CanaryAsa"),
    ("set psksecret ENC CanaryForti", "CanaryForti"),
    (" pre-shared-key 'Canary Quoted Words'", "Canary Quoted"),
    (" password irreversible-cipher %@%@CanaryAt%@%@", "CanaryAt"),
    (" authentication local pre-share key CanaryV2Local", "CanaryV2Local"),
    (" authentication remote pre-share key 6 CanaryV2Remote", "CanaryV2Remote"),
    (" key CanaryGroupKey", "CanaryGroupKey"),
    ("  pre-shared-key 3 CanaryTypeThree", "CanaryTypeThree"),  # any one-digit type word
    # IOS/ASA AAA, NTP, routing, FHRP and SNMP secrets of a pasted running-config
    ("tacacs-server host 10.1.1.1 key 7 CanaryTacacs", "CanaryTacacs"),
    ("radius-server host 10.1.1.1 auth-port 1645 acct-port 1646 key CanaryRadius", "CanaryRadius"),
    (" server-private 10.1.1.1 key 0 CanaryPrivate", "CanaryPrivate"),
    ("ntp authentication-key 1 md5 CanaryNtp 7", "CanaryNtp"),
    (" ip ospf message-digest-key 1 md5 7 CanaryMd5", "CanaryMd5"),
    (" standby 1 authentication text CanaryHsrp", "CanaryHsrp"),
    (" vrrp 1 authentication CanaryVrrp", "CanaryVrrp"),
    ("snmp-server host 1.1.1.1 version 2c CanaryTrapCommunity", "CanaryTrapCommunity"),
    ("snmp-server user u g v3 auth sha CanarySnmpAuth priv aes 128 CanarySnmpPriv", "CanarySnmp"),
    (" snmp-agent usm-user v3 u privacy-mode aes128 cipher CanaryUsmPriv", "CanaryUsmPriv"),
    (" wpa-psk ascii 0 CanaryWpa", "CanaryWpa"),
    (" ldap-login-password CanaryLdap", "CanaryLdap"),
]

ROW = "1.1.1.1 500 authentication fail v2 2017-09-05 15:22:32"
EVIDENCE = "\n".join(
    [
        "<FW1> display ike error-info",
        "current ike Error-info number :3",
        "peer port error-reason version error-time",
        ROW,
        f"{ROW} pre-shared-key cipher %^%#CanaryRow11%^%#",
        "2.2.2.2 500 phase1 proposal mismatch v1 2017-09-05 15:22:33 password CanaryRow12",
        "<FW1> display ike peer name b1",
        "  Peer name              : b1",
        "  Pre-shared-key         : %^%#CanaryPeer13%^%#",
        "[FW1-ike-peer-b1]pre-shared-key cipher CanaryPrompt14",
        "<FW1> display current-configuration",
        *(line for line, _ in CANARY_LINES),
        "Mar 8 2017 11:10:47 FW1 IPSEC/4/IPSECNEGOFAIL:1.3.6.1.4.1.2011.6.122.26.6.14 IPSec tunnel "
        'negotiation fails. (Ifindex=12, SeqNum=0, Reason="authentication fail", ReasonCode=15, '
        "PeerAddress=3.3.3.3, PeerPort=500, pre-shared-key simple CanarySyslog15)",
        "Mar  8 2017 11:10:48 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails. "
        "(PeerAddress=4.4.4.4, PeerPort=500, Reason=password CanaryReason16)",
        "Mar  8 2017 11:10:49 FW1 %%01IKE/4/UNKNOWN_THING(l)[4]:key-string 7 CanaryUnparsed17",
        "Mar  8 2017 11:10:50 FW1 %%01IPSEC/4/ODD(l)[5]:secret CanaryUnparsed18 and more",
        "Aug 18 2017 09:29:26.800.1 FW1 IPSEC/7/IPSEC-DEBUG:",
        "[IPSEC-Error] acl mismatch.(Ifindex=[7], SeqNum=[0],PeerAddress=[5.5.5.5], PeerPort=[500])"
        " psk CanaryDebug19",
        "Aug 17 2017 14:29:15.800.1 FW1 IKE/7/IKE_Debug:",
        "IKE_ERROR 17:5773 Message from peer 6.6.6.6: pre-shared-key %$%$CanaryDebug20%$%$",
        "",
    ]
)
CANARIES = (
    [c for _, c in CANARY_LINES]
    + [f"Canary{k}" for k in ("Row11", "Row12", "Peer13")]
    + [
        "CanaryPrompt14",
        "CanarySyslog15",
        "CanaryReason16",
        "CanaryUnparsed17",
        "CanaryUnparsed18",
        "CanaryDebug19",
        "CanaryDebug20",
    ]
)


def cli(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"},
    )
    return res.returncode, res.stdout.decode("utf-8", "replace") + res.stderr.decode(
        "utf-8", "replace"
    )


def assert_clean(output: str) -> None:
    leaked = [c for c in CANARIES if c in output]
    assert not leaked, f"leaked {leaked}"
    assert "Canary" not in output, output[max(0, output.find("Canary") - 200) :][:400]


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "fw1.txt"
    path.write_text(EVIDENCE, encoding="utf-8")
    return path


def test_every_planted_line_is_redacted() -> None:
    for line, secret in CANARY_LINES:
        out = redact(line)
        assert secret not in out and MASK in out, (line, out)


@pytest.mark.parametrize("fmt", ["terminal", "json", "markdown"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_secret_in_any_report(evidence: Path, fmt: str, lang: str) -> None:
    code, out = cli("diagnose", "--format", fmt, "--lang", lang, "--color", str(evidence))
    assert code == 0, out
    assert_clean(out)
    assert "authentication" in out or "认证" in out  # the report did cite the failures


def test_json_cites_the_redacted_lines(evidence: Path) -> None:
    code, out = cli("diagnose", "--json", str(evidence))
    assert code == 0
    assert_clean(out)
    data = json.loads(out)
    cited = [e["text"] for f in data["findings"] for e in f["evidence"]]
    cited += [e["text"] for e in data.get("unknown", []) + data.get("unparsed", [])]
    assert any(MASK in t for t in cited), cited  # a line with a secret was shown, masked


def test_no_secret_from_stdin(evidence: Path) -> None:
    code, out = cli("diagnose", "--json", "-", stdin=evidence.read_bytes())
    assert code == 0
    assert_clean(out)


@pytest.mark.parametrize(
    "name",
    ["psk=CanaryFileA.txt", "pre-shared-key %^%#CanaryFileB%^%#.txt", "password CanaryFileC"],
)
def test_no_secret_in_file_names(tmp_path: Path, name: str) -> None:
    missing = tmp_path / name
    code, out = cli("diagnose", str(missing))
    assert code == 2 and "no such file" in out
    assert "CanaryFile" not in out
    # the same name on a real file: the report names its source without the secret
    missing.write_text(EVIDENCE, encoding="utf-8")
    code, out = cli("diagnose", "--json", str(missing))
    assert code == 0 and "CanaryFile" not in out
    assert_clean(out)
    # unreadable content under such a name
    missing.write_bytes(b"\x00\x01\x02" * 100)
    code, out = cli("diagnose", str(missing))
    assert code == 2 and "CanaryFile" not in out
    # a directory under such a name
    missing.unlink()
    missing.mkdir()
    code, out = cli("diagnose", str(missing))
    assert code == 2 and "CanaryFile" not in out


def test_no_secret_in_binary_input_message(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"pre-shared-key simple CanaryBin\x00\x01\x02\x03" * 50)
    code, out = cli("diagnose", str(path))
    assert code == 2
    assert "CanaryBin" not in out


def test_no_secret_in_internal_error(monkeypatch: pytest.MonkeyPatch, evidence: Path) -> None:
    import ipsec_doctor.ingest.scan as scan

    def boom(*args, **kwargs):
        raise ValueError("bad line: pre-shared-key cipher CanaryBoom")

    monkeypatch.setattr(scan, "scan_chunks", boom)
    res = CliRunner().invoke(app, ["diagnose", str(evidence)])
    assert res.exit_code == 3
    assert "CanaryBoom" not in res.output
    assert "internal error" in res.output


def test_no_secret_in_explain_errors() -> None:
    code, out = cli("explain", "pre-shared-key cipher CanaryExplain")
    assert code == 2 and "CanaryExplain" not in out


def test_redaction_keeps_every_vendor_reason() -> None:
    """Parsers read redacted text: no reason wording of the knowledge base may change."""
    kb_dir = Path(__file__).resolve().parent.parent / "src" / "ipsec_doctor" / "kb"
    wordings = []
    for path in kb_dir.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            wordings += [s for s in data.get("strings") or [] if isinstance(s, str)]
    assert wordings
    for w in wordings:
        assert redact(w) == w
        line = f"1.1.1.1 500 {w} v1 2017-09-05 15:22:32"
        assert redact(line) == line
        assert redact(f"Reason={w}, PeerAddress=1.1.1.1") == f"Reason={w}, PeerAddress=1.1.1.1"


@pytest.mark.parametrize(
    "text",
    [
        "Pre-shared-key : -",
        "authentication-method pre-share",
        "IKE_ERROR: EAP authentication failed",
        "hash value not equal(pre-share-key)",
        "display ike peer | include pre-shared-key",
        "secrets.txt",
        # daemon prose, verbatim from the lab recordings (tests/fixtures/lab)
        "Nov 23 20:26:14 10[IKE] <1> Aggressive Mode PSK disabled for security reasons",
        '"net" #1: authby=secret and ID_IPV4_ADDR',
    ],
)
def test_harmless_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_psk_auth_column_of_isakmp_detail_is_not_a_secret() -> None:
    """`show crypto isakmp sa detail`: "psk  16 23:59:24" is the auth method, DH group and
    lifetime, not a key; a real value after psk stays masked."""
    from ipsec_doctor.redact import redact

    row = "1001  10.1.1.1  10.2.2.2  ACTIVE aes  256 sha256 psk  16 23:59:24"
    assert redact(row) == row
    assert "CanaryPsk" not in redact("psk CanaryPsk")
    assert "16" not in redact("psk 16")
