"""strongSwan SA state (``parsers/strongswan/status.py``) and the rules that read it
(``diagnose/rules/swan_sa.py``): stage reached, and which direction of a CHILD_SA breaks."""

from __future__ import annotations

from conftest import fixture_text
from ipsec_doctor.diagnose.engine import diagnose
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.parsers.strongswan.status import SwanChildSa, SwanIkeSa


def facts(text: str) -> list:
    return scan_text(text, "t.txt")


def test_list_sas_reads_ike_and_child_with_counters() -> None:
    fs = facts(fixture_text("strongswan/list-sas-up.txt"))
    (ike,) = [f for f in fs if isinstance(f, SwanIkeSa)]
    (child,) = [f for f in fs if isinstance(f, SwanChildSa)]
    assert (ike.name, ike.state, ike.established, ike.version, ike.peer, ike.children) == (
        "net",
        "ESTABLISHED",
        True,
        "v2",
        "198.51.100.2",
        1,
    )
    assert (child.installed, child.mode, child.peer) == (True, "TUNNEL", "198.51.100.2")
    assert (child.bytes_in, child.bytes_out, child.packets_in, child.packets_out) == (
        252,
        252,
        3,
        3,
    )
    assert (child.local_ts, child.remote_ts) == ("10.1.1.0/24", "10.2.2.0/24")
    report = diagnose(fs)
    assert not [f for f in report.findings if not f.normal]
    assert [p.stage for p in report.tree] == ["service-abnormal"]


def test_list_sas_one_way_counter() -> None:
    report = diagnose(facts(fixture_text("strongswan/list-sas-out-only.txt")))
    top = report.findings[0]
    assert top.cause == "esp-blocked" and top.stage == "no-traffic"
    assert top.peer == "198.51.100.2"
    assert any(" in  " in e.text for e in top.evidence)
    assert [p.stage for p in report.tree] == ["no-traffic"]


def test_statusall_one_way_counter_and_stage() -> None:
    fs = facts(fixture_text("strongswan/statusall-one-way.txt"))
    (child,) = [f for f in fs if isinstance(f, SwanChildSa)]
    assert (child.bytes_in, child.bytes_out, child.packets_out) == (0, 15540, 185)
    assert (child.spi_in, child.spi_out, child.peer) == ("c1f0e3a2", "c8a7b6d5", "198.51.100.2")
    report = diagnose(fs)
    assert report.findings[0].cause == "esp-blocked"
    assert any(n.command.startswith(("swanctl", "ip ", "iptables")) for n in report.next) or (
        report.findings[0].confidence >= 0.8
    )


def test_connecting_and_childless_ike_sa() -> None:
    connecting = "net: #3, CONNECTING, IKEv2, 2553fa7696fc68e3_i* 0000000000000000_r\n" + (
        "  local  '192.0.2.1' @ 192.0.2.1[500]\n  remote '%any' @ 198.51.100.2[500]\n"
    )
    report = diagnose(facts(connecting))
    assert report.tree[0].stage == "ike-sa"
    assert report.findings[0].cause == "peer-unreachable"
    childless = "\n".join(fixture_text("strongswan/list-sas-up.txt").splitlines()[:5]) + "\n"
    report = diagnose(facts(childless))
    assert report.tree[0].stage == "ipsec-sa"
    assert report.findings[0].stage == "ipsec-sa"


def test_a_few_inbound_bytes_are_not_a_pattern() -> None:
    text = fixture_text("strongswan/list-sas-up.txt")
    lines = text.splitlines()
    out = next(ln for ln in lines if ln.strip().startswith("out "))
    few = text.replace(out, out.split(",")[0] + ",      0 bytes,     0 packets").replace(
        "252 bytes,     3 packets", "84 bytes,     1 packets"
    )
    assert not [f for f in diagnose(facts(few)).findings if not f.normal]
