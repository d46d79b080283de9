"""``display ike offline-info [peer ADDR] [slot S cpu C]``: why IPsec tunnels were torn down.

Both layouts of the reference documents: with a port column (USG V5, seed 003 FW2 case) and
without (AR / manual example, seed 003 NAT case)::

    peer        offline-reason                         version offline-time
    1.1.1.1     port mismatch after inbound sa miss    v1        2018-03-23 17:30:17

    peer               port    offline-reason           version     offline-time
    1.1.1.1            500     phase1 hardware expire   v1          2018/04/01  15:05:55
"""

from __future__ import annotations

from .reason_table import ReasonTableParser


class OfflineInfoParser(ReasonTableParser):
    priority = 20
    name = "huawei.display-ike-offline-info"
    family = "offline-info"
    kind = "teardown"
    commands = (("display", "ike", "offline-info"),)
    headers = ("ike offline information", "current offline info")

    def _row_is_ours(self, reason: str) -> bool:
        from ...kb import load

        entry = load().lookup("huawei", reason)
        return entry is not None and entry.kind == "teardown"


PARSERS = (OfflineInfoParser,)
