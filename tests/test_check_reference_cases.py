"""``ipsec-doctor check`` against the troubleshooting cases of the vendor reference documents.

Each case in ``tests/fixtures/check_cases/<case>/{a,b}.cfg`` is a pair of configurations rebuilt
from a seed case (provenance of every line: ``tests/fixtures/check_cases/README.md``).  The
expectations below are the documents' own: outcome, failing stage and root cause as the case
states them, and the wording the case shows in ``display ike error-info`` / logs.  ``-fixed``
cases carry the document's fix and must establish.  Where ``check`` and the document still
disagree, the test is a strict xfail naming the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import msgspec
import pytest

from ipsec_doctor.check.build import build
from ipsec_doctor.check.load import load_paths

HERE = os.path.join(os.path.dirname(__file__), "fixtures", "check_cases")


@dataclass(frozen=True)
class Doc:
    """What the document says: outcome, stage, first cause, and per side ("a", "b" or "any")
    the wordings the case prints (one of each tuple must be predicted)."""

    outcome: str
    stage: str | None = None
    cause: str | None = None
    messages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pick: str | None = None  # more than two devices: the tunnel towards this device; every
    # other tunnel of the case must establish


EST = Doc("established")

CASES: dict[str, Doc] = {
    # seed 003 (USG6000)
    "fw-ike-proposal": Doc("fails", "ike", "ike-proposal-mismatch",
                           {"a": ("phase1 proposal mismatch",)}),  # l.1017
    "fw-ike-proposal-fixed": EST,
    "fw-pre-shared-key": Doc("fails", "ike", "psk-mismatch"),
    "fw-pre-shared-key-fixed": EST,
    "fw-pre-shared-key-ikev1": Doc("fails", "ike", "psk-mismatch",
                                   {"any": ("malformed message",)}),  # l.1127
    "fw-peer-address": Doc("fails", "ike", "peer-address-mismatch",
                           {"b": ("peer address mismatch",)}),  # l.1191 (FW2)
    "fw-peer-address-fixed": EST,
    "fw-ipsec-proposal": Doc("fails", "ipsec", "ipsec-proposal-mismatch",
                             {"a": ("phase2 proposal or pfs mismatch",)}),  # l.1285
    "fw-ipsec-proposal-fixed": EST,
    # the error-info table says "flow or peer mismatch" (l.1622), the text "flow mismatch"
    # (l.1616)
    "fw-acl-ranges": Doc("fails", "ipsec", "traffic-selector-mismatch",
                         {"a": ("flow or peer mismatch", "flow mismatch")}),
    "fw-acl-ranges-fixed": EST,
    # the same root cause diagnose gives from this case's evidence (tests/test_reference_cases.py)
    "fw-nat-authentication-address": Doc(
        "fails", "ike", "peer-address-mismatch",
        {"b": ("authentication fail",), "any": ("config ID mismatch",)},  # l.1718-1719 (FW2)
    ),
    "fw-nat-authentication-address-fixed": EST,
    "fw-policy-nat-before-ipsec": Doc("fails", "traffic", "nat-before-ipsec"),
    "fw-policy-nat-before-ipsec-fixed": EST,
    "fw-sha2-mode": Doc("fails", "traffic", "sha2-compatibility-mismatch"),
    "fw-sha2-mode-fixed": EST,
    # SAs up (l.1958-1959, 'SA encrypted/decrypted packets' l.2009/l.2017), ESP lost on the way
    "fw-nat-traversal-off": Doc("fails", "traffic", "nat-traversal-mismatch"),
    "fw-nat-traversal-off-fixed": EST,
    "fw-nat-server-reverse": Doc("fails", "traffic", "nat-before-ipsec"),
    "fw-nat-server-reverse-fixed": EST,
    "fw-private-route-missing": Doc("fails", "traffic", "private-route-missing"),
    "fw-private-route-missing-fixed": EST,
    "fw-two-isps-equal-cost": Doc("fails", "traffic", "wrong-egress-interface"),
    "fw-two-isps-equal-cost-fixed": EST,
    "fw-security-policy": Doc("fails", "traffic", "security-policy-blocks-traffic"),
    "fw-security-policy-fixed": EST,
    # FW2 sees FW1's IKE from port 2049, then 'port mismatch after inbound sa miss' (l.2612)
    "fw-nat-on-ike-packets": Doc("fails", "ike", "nat-on-ike-packets",
                                 {"b": ("port mismatch after inbound sa miss",)}),
    "fw-nat-on-ike-packets-fixed": EST,
    # seed 002 (AR routers)
    # the same root cause diagnose gives from this case's evidence (tests/test_reference_cases.py)
    "ar-nat-authentication-address": Doc(
        "fails", "ike", "peer-address-mismatch",
        {"b": ("authentication fail",), "any": ("config ID mismatch",)},  # l.1226-1227 (AR2)
    ),
    "ar-nat-authentication-address-fixed": EST,
    "ar-ike-proposal-other-vendor": Doc("fails", "ike", "ike-proposal-mismatch",
                                        {"a": ("phase1 proposal mismatch",)}),  # l.1350
    "ar-ike-proposal-other-vendor-fixed": EST,
    "ar-nat-server": Doc("fails", "traffic", "nat-before-ipsec"),
    "ar-nat-server-fixed": EST,
    "ar-acl-nat-conflict": Doc("fails", "traffic", "nat-before-ipsec"),
    "ar-acl-nat-conflict-fixed": EST,
    "ar-sha2-cisco": Doc("fails", "traffic", "sha2-compatibility-mismatch"),
    "ar-sha2-cisco-fixed": EST,
    # three devices: hub AR1, AR2 (1.1.5.1), AR3 (1.1.6.1); only AR3's traffic is lost
    "ar-hub-acl-conflict": Doc("fails", "traffic", "traffic-selector-overlap", pick="AR3"),
    "ar-hub-acl-conflict-fixed": Doc("established", pick="AR3"),
    # seed 004 (Cisco IOS)
    "ios-mirrored-acls": EST,
    "ios-hash-mismatch": Doc("fails", "ike", "ike-proposal-mismatch",
                             {"b": ("hash algorithm offered does not match policy!",)}),  # l.691
    "ios-hash-mismatch-fixed": EST,
}

# case -> reason: check still disagrees with the document on outcome/stage/cause
XFAIL_VERDICT: dict[str, str] = {}
# case -> reason: the documented wording is not among the predicted messages
XFAIL_MESSAGES: dict[str, str] = {}
# fw-pre-shared-key documents 'authentication fail' (l.1122): the error-info reason
PSK_V2_DOC = Doc("fails", "ike", "psk-mismatch", {"a": ("authentication fail",)})


def _run(name: str, pick: str | None = None):
    d = os.path.join(HERE, name)
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".cfg"))
    devices, skipped = load_paths(files)
    assert not skipped
    report = build(devices)
    assert len(report.tunnels) == len(files) - 1, [(t.a, t.b) for t in report.tunnels]
    if pick is None:
        return report.tunnels[0]
    (chosen,) = [t for t in report.tunnels if pick in (t.a_device, t.b_device)]
    for t in report.tunnels:
        assert t is chosen or t.outcome == "established", (t.a, t.b, _verdict(t))
    return chosen


def _verdict(t) -> tuple[str, str | None, str | None]:
    return t.outcome, t.stage, (t.findings[0].cause if t.findings else None)


def _params(table: dict[str, Doc], xfails: dict[str, str]) -> list:
    return [
        pytest.param(
            name, doc, id=name,
            marks=[pytest.mark.xfail(strict=True, reason=xfails[name])] if name in xfails else [],
        )
        for name, doc in table.items()
    ]


def test_every_fixture_has_an_expectation():
    on_disk = {n for n in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, n))}
    assert on_disk == set(CASES)
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    for name in CASES:
        assert f"## {name}\n" in readme, name


@pytest.mark.parametrize(("name", "doc"), _params(CASES, XFAIL_VERDICT))
def test_documented_verdict(name: str, doc: Doc):
    t = _run(name, doc.pick)
    assert _verdict(t) == (doc.outcome, doc.stage, doc.cause)


def _messages_ok(t, doc: Doc) -> bool:
    pm = t.predicted_messages
    for side, wanted in doc.messages.items():
        said = [*pm.get("a", []), *pm.get("b", [])] if side == "any" else pm.get(side, [])
        if not any(w in said for w in wanted):
            return False
    return True


WITH_MESSAGES = {n: d for n, d in CASES.items() if d.messages}


@pytest.mark.parametrize(("name", "doc"), _params(WITH_MESSAGES, XFAIL_MESSAGES))
def test_documented_messages(name: str, doc: Doc):
    t = _run(name, doc.pick)
    assert _messages_ok(t, doc), t.predicted_messages


def test_documented_messages_psk_ikev2():
    assert _messages_ok(_run("fw-pre-shared-key"), PSK_V2_DOC)


def test_fixed_cases_are_the_broken_ones_with_the_fix():
    """Each ``-fixed`` pair differs from its broken pair only in a few lines (the fix), so an
    ``established`` result cannot come from a different scenario."""
    for name in CASES:
        if not name.endswith("-fixed"):
            continue
        base = name.removesuffix("-fixed")
        changed = 0
        for side in sorted(f for f in os.listdir(os.path.join(HERE, base)) if f.endswith(".cfg")):
            with open(os.path.join(HERE, base, side), encoding="utf-8") as fh:
                old = fh.read().split("\n")
            with open(os.path.join(HERE, name, side), encoding="utf-8") as fh:
                new = fh.read().split("\n")
            changed += len(set(old) ^ set(new))
        assert 0 < changed <= 20, (name, changed)


def test_no_secret_in_check_output():
    """The fixtures carry clear-text keys; the report must not."""
    for name in ("fw-pre-shared-key", "ar-ike-proposal-other-vendor"):
        text = msgspec.json.encode(_run(name)).decode()
        for key in ("huawei@123", "Huawei@456"):
            assert key not in text, name


# case -> the document's own fix line (seed, line); the rendered fix must contain it
DOC_FIX = {
    "fw-ike-proposal": "encryption-algorithm aes-256",  # 003 l.1057
    "fw-peer-address": "tunnel local 1.1.1.5",  # 003 l.1243
    "fw-ipsec-proposal": "esp encryption-algorithm aes-256",  # 003 l.1306 (FW2's value)
    "fw-sha2-mode": "undo ipsec sha2 compatible enable",  # 003 l.1846
    "fw-nat-traversal-off": "nat traversal",  # 003 l.2073
    "fw-private-route-missing": "ip route-static 10.1.2.0 255.255.255.0 1.1.1.2",  # 003 l.2315
    "ar-ike-proposal-other-vendor": "encryption-algorithm aes-256",  # 002 l.1407
    "ar-sha2-cisco": "ipsec authentication sha2 compatible enable",  # 002 l.1843
    # 002 l.1712 'rule 5 deny ip ...': the rule number is the renderer's choice
    "ar-acl-nat-conflict": "deny ip source 10.1.1.0 0.0.0.255 destination 10.1.2.0 0.0.0.255",
}


@pytest.mark.parametrize(("name", "line"), list(DOC_FIX.items()), ids=list(DOC_FIX))
def test_rendered_fix_contains_the_documented_fix(name: str, line: str):
    fix = [" ".join(x.split()) for x in _run(name).findings[0].fix]
    assert any(x == line or x.endswith(" " + line) for x in fix), fix


SEEDS = "/work/shared/reference/seeds"


@pytest.mark.skipif(not os.path.isdir(SEEDS), reason="reference seeds not available")
def test_seed_lines_are_verbatim():
    """Every README row 'X.cfg:A-B seed: NNN l.C-D verbatim' holds: the fixture lines are the
    seed lines (seed 003 without its four-blank code-block indentation)."""
    import glob

    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as fh:
        readme = fh.read().split("\n")
    case, checked = None, 0
    for row in readme:
        if row.startswith("## "):
            case = row[3:].strip()
        if " seed: " not in row or not row.endswith(" verbatim"):
            continue
        where, _, src = row.strip().removeprefix("- ").partition(" seed: ")
        fname, _, span = where.partition(":")
        seed, _, lines = src.removesuffix(" verbatim").partition(" l.")
        lo, _, hi = span.partition("-")
        slo, _, shi = lines.partition("-")
        with open(os.path.join(HERE, str(case), fname), encoding="utf-8") as fh:
            got = fh.read().split("\n")[int(lo) - 1 : int(hi or lo)]
        (path,) = glob.glob(os.path.join(SEEDS, f"{seed}_*.txt"))
        with open(path, encoding="utf-8") as fh:
            want = fh.read().split("\n")[int(slo) - 1 : int(shi or slo)]
        if seed == "003":
            want = [w[4:] for w in want]
        assert got == want, (case, row)
        checked += 1
    assert checked > 20
