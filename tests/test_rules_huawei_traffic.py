"""Focused tests of the no-traffic rules (diagnose/rules/huawei_traffic.py and huawei_config.py)
that the reference cases exercise only together: each rule fires on its own evidence and stays
silent on evidence that only looks similar."""

from __future__ import annotations

from conftest import FIXTURES
from ipsec_doctor.diagnose.engine import diagnose_text
from ipsec_doctor.kb import normalize

TWO_ISPS = (FIXTURES / "cases" / "fw-two-isps-equal-cost.txt").read_text(encoding="utf-8")
ROUTES_SPLIT = """<FW1> display ip routing-table
Route Flags: R - relay, D - download to fib
------------------------------------------------------------------------------
Routing Tables: Public
         Destinations : 3        Routes : 4

Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

        0.0.0.0/0   Static  60   0          RD   1.1.1.2         GigabitEthernet0/0/2
                    Static  60   0          RD   1.2.1.2         GigabitEthernet0/0/3
       1.1.1.0/24   Direct  0    0           D   1.1.1.1         GigabitEthernet0/0/2
       1.2.1.0/24   Direct  0    0           D   1.2.1.1         GigabitEthernet0/0/3
"""


def signals(text: str) -> set[str]:
    report = diagnose_text(text)
    return {normalize(s) for f in report.findings for s in f.signals}


def test_encrypted_on_one_end_never_decrypted_on_the_other() -> None:
    # keep the two `display ipsec sa` outputs of the two-ISP case, drop the static routes
    text = "\n".join(ln for ln in TWO_ISPS.splitlines() if "ip route-static" not in ln)
    got = signals(text)
    assert normalize("state: encrypted packets never arrive") in got
    assert normalize("state: equal-cost routes over different interfaces") not in got


def test_decrypted_counter_above_zero_is_not_lost_esp() -> None:
    text = TWO_ISPS.replace("SA decrypted packets (number/bytes): 0/0",
                            "SA decrypted packets (number/bytes): 7/588")
    assert normalize("state: encrypted packets never arrive") not in signals(text)


def test_equal_cost_static_defaults_in_the_configuration() -> None:
    got = signals(TWO_ISPS)
    assert normalize("state: equal-cost routes over different interfaces") in got
    one_isp = TWO_ISPS.replace(
        "    ip route-static 0.0.0.0 0.0.0.0 GigabitEthernet0/0/3 1.2.1.2 track ip-link isp1", ""
    )
    assert normalize("state: equal-cost routes over different interfaces") not in signals(one_isp)


def test_equal_cost_defaults_in_the_routing_table_with_an_sa() -> None:
    sa_part = TWO_ISPS.split("    ip route-static")[0]
    text = sa_part + ROUTES_SPLIT
    got = signals(text)
    assert normalize("state: equal-cost routes over different interfaces") in got
    single = ROUTES_SPLIT.replace(
        "                    Static  60   0          RD   1.2.1.2         GigabitEthernet0/0/3\n", ""
    )
    assert normalize("state: equal-cost routes over different interfaces") not in signals(sa_part + single)
