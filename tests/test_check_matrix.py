"""The ``check`` matrix: one good baseline per vendor, every vendor pair (ordered, so each vendor is
both the end that stays and the end that changes), IKEv1 and IKEv2, then one attribute flipped at
a time on side b.  The predicted outcome, stage and first cause must match the table below.

Vendor halves (baseline configuration text and the flips, in each vendor's own syntax) live in
``tests/matrix/<vendor>.py``; the expectations live here, in one table, with the vendor
deviations next to it and the source of each deviation.
"""

from __future__ import annotations

import importlib
from itertools import product

import pytest

from ipsec_doctor.check.build import build
from ipsec_doctor.config import load_text

VENDORS = ("huawei_ar", "huawei_usg", "cisco_ios", "cisco_asa", "strongswan")


def _vendor(name: str):
    try:
        return importlib.import_module(f"matrix.{name}")
    except ImportError:
        return None


MODS = {n: m for n in VENDORS if (m := _vendor(n)) is not None}

EST = ("established", None, None)


def _fails(stage: str, cause: str) -> tuple[str, str, str]:
    return ("fails", stage, cause)


# attribute -> version -> (outcome, stage, first cause); version None = both
EXPECTED: dict[str, dict[int | None, tuple[str, str | None, str | None]]] = {
    "ike.encryption": {None: _fails("ike", "ike-proposal-mismatch")},
    "ike.integrity": {None: _fails("ike", "ike-proposal-mismatch")},
    "ike.prf": {2: _fails("ike", "ike-proposal-mismatch")},
    "ike.dh": {None: _fails("ike", "ike-dh-group-mismatch")},
    "ike.auth_method": {None: _fails("ike", "auth-method-mismatch")},
    "ike.lifetime": {None: EST},
    "psk": {None: _fails("ike", "psk-mismatch")},
    "ike_version": {None: _fails("ike", "ike-version-mismatch")},
    "exchange_mode": {1: _fails("ike", "exchange-mode-mismatch")},
    "local_id": {None: _fails("ike", "identity-mismatch")},
    "remote_id": {None: _fails("ike", "identity-mismatch")},
    "peer_address": {None: _fails("ike", "peer-address-mismatch")},
    "local_address": {None: _fails("ike", "peer-address-mismatch")},
    # seed 003 (NAT-T off behind NAT): both SAs come up over UDP 500, ESP is lost at the NAT
    "nat_traversal": {None: _fails("traffic", "nat-traversal-mismatch")},
    "dpd": {None: EST},
    "child.protocol": {None: _fails("ipsec", "ipsec-proposal-mismatch")},
    "child.encryption": {None: _fails("ipsec", "ipsec-proposal-mismatch")},
    "child.integrity": {None: _fails("ipsec", "ipsec-proposal-mismatch")},
    "child.mode": {None: _fails("ipsec", "encapsulation-mode-mismatch")},
    "child.lifetime": {None: EST},
    "pfs": {None: _fails("ipsec", "pfs-mismatch")},
    "selectors": {None: _fails("ipsec", "traffic-selector-mismatch")},
    "selectors.narrow": {1: _fails("ipsec", "traffic-selector-mismatch"), 2: EST},
    "bind": {None: _fails("ike", "ipsec-policy-not-applied")},
    "responder_only": {None: EST},
    "nat_exempt": {None: _fails("traffic", "nat-before-ipsec")},
    "security_rule.ike": {None: _fails("ike", "ike-ports-blocked")},
    "security_rule.traffic": {None: _fails("traffic", "security-policy-blocks-traffic")},
    "route": {None: _fails("ike", "return-route-missing")},
    "sha2_truncation": {None: _fails("traffic", "sha2-compatibility-mismatch")},
}

# attributes whose flip is only meaningful with b behind NAT
NAT_ONLY = {"nat_traversal"}
# warnings that must accompany an established flip
WARN = {"ike.lifetime": "lifetime-differs", "child.lifetime": "lifetime-differs", "dpd": "no-dpd"}

# (attribute, version, vendor of a, vendor of b) -> expectation, where a vendor really differs.
# Keys may use "*" for any vendor.  Each entry names its source.
CISCO = ("cisco_ios", "cisco_asa")
DEVIATIONS: dict[tuple[str, int | str, str, str], tuple[str, str | None, str | None]] = {
    # IOS and ASA treat "mode transport" as a request and accept tunnel mode when the peer
    # proposes it (Cisco IOS Security Configuration Guide, "Transport mode": "the router will
    # accept tunnel mode if the remote peer requests it"; ASA transform set "mode transport"
    # likewise falls back); ASA IKEv2 proposals carry no mode (flip not applicable).
    **{("child.mode", "*", "*", v): EST for v in CISCO},
    # IOS: "a match is made when ... the remote peer's policy specifies a lifetime that is less
    # than or equal to the lifetime in the policy being compared" (Cisco IOS Security
    # Configuration Guide, Configuring IKE for IPsec VPNs).  a (86400 s) initiating to an IOS b
    # (28800 s) is refused: phase 1 fails.
    ("ike.lifetime", 1, "*", "cisco_ios"): _fails("ike", "ike-proposal-mismatch"),
    # An IOS or ASA responder answers whichever IKEv1 exchange the initiator starts unless
    # aggressive mode is disabled ("crypto isakmp aggressive-mode disable" /
    # "crypto ikev1 am-disable"): between two Cisco ends both directions come up.
    **{("exchange_mode", 1, va, vb): EST for va in CISCO for vb in CISCO},
    # Without an ISAKMP profile IOS does not check an IKEv1 peer's identity, and an ASA
    # tunnel-group authenticated by pre-shared key looks the peer up by address: a changed
    # identity on b goes through (an IOS IKEv2 profile "match identity remote address" does
    # check it, so IOS v2 keeps the table's verdict).
    ("local_id", 1, "cisco_ios", "*"): EST,
    ("local_id", "*", "cisco_asa", "*"): EST,
}


def expected(attr: str, version: int, va: str, vb: str):
    for key in (
        (attr, version, va, vb),
        (attr, version, "*", vb),
        (attr, version, va, "*"),
        (attr, "*", va, vb),
        (attr, "*", "*", vb),
        (attr, "*", va, "*"),
    ):
        if key in DEVIATIONS:
            return DEVIATIONS[key]
    table = EXPECTED[attr]
    return table.get(version, table.get(None))


def _run(text_a: str, text_b: str):
    devices = load_text(text_a, "a.cfg") + load_text(text_b, "b.cfg")
    report = build(devices)
    assert len(report.tunnels) == 1, (
        f"expected one paired tunnel, got {len(report.tunnels)}; unpaired: {report.unpaired}"
    )
    return report.tunnels[0]


def _verdict(t):
    return (t.outcome, t.stage, t.findings[0].cause if t.findings else None)


def _cells():
    for va, vb in product(sorted(MODS), repeat=2):
        for version in (1, 2):
            for nat in (False, True):
                yield pytest.param(va, vb, version, nat, None, id=f"{va}-{vb}-v{version}"
                                   f"{'-nat' if nat else ''}-baseline")
                skip = getattr(MODS[vb], "NOT_FOR_VERSION", {}).get(version, ())
                for attr in sorted(MODS[vb].FLIPS):
                    if attr not in EXPECTED or attr in skip:
                        continue
                    if (attr in NAT_ONLY) != nat:
                        continue
                    if expected(attr, version, va, vb) is None:
                        continue
                    yield pytest.param(va, vb, version, nat, attr,
                                       id=f"{va}-{vb}-v{version}{'-nat' if nat else ''}-{attr}")


@pytest.mark.parametrize(("va", "vb", "version", "nat", "attr"), list(_cells()))
def test_matrix_cell(va: str, vb: str, version: int, nat: bool, attr: str | None) -> None:
    ma, mb = MODS[va], MODS[vb]
    text_a = ma.baseline("a", version, nat)
    text_b = mb.baseline("b", version, nat)
    if attr is None:
        want = EST
    else:
        text_b = mb.FLIPS[attr](text_b, version, nat)
        want = expected(attr, version, va, vb)
    t = _run(text_a, text_b)
    got = _verdict(t)
    assert got == want, (
        f"{va} a / {vb} b, IKEv{version}{' behind NAT' if nat else ''}, flip {attr}: "
        f"predicted {got}, expected {want}\n"
        + "\n".join(f"  {d.initiator}: {d.outcome} {d.stage} {d.causes}" for d in t.directions)
    )
    if attr in WARN and want == EST:
        assert WARN[attr] in {w.code for w in t.warnings}, t.warnings
    if want[0] == "fails":
        f = t.findings[0]
        assert f.evidence, "a failing cell must cite configuration lines"
        assert f.fix, "a failing cell must propose a fix"
