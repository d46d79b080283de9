"""``display ike error-info [verbose] [peer ADDR] [slot S cpu C]``: why IKE negotiation failed.

Table layout (seed 002, AR1/AR2 cases)::

    current ike Error-info number :2
    peer    port error-reason          version error-time
    2.1.1.1 500 phase1 proposal mismatch v1    2017-09-05 15:22:32

Verbose layout (seed 000)::

    Peer      : 10.1.1.1
    Port     : 500
    version  : v1
    Reason   : phase1 proposal mismatch
    Detail   : phase1 proposal mismatch
    Error-time : 2013-08-26 12:02:37
"""

from __future__ import annotations

from .reason_table import ReasonTableParser


class ErrorInfoParser(ReasonTableParser):
    priority = 10
    name = "huawei.display-ike-error-info"
    family = "error-info"
    kind = "ike-failure"
    commands = (("display", "ike", "error-info"),)
    headers = ("current ike error-info number", "ike error information", "ike error-info")

    def _row_is_ours(self, reason: str) -> bool:
        # a headerless row is ours unless it reads as a teardown reason
        from ...kb import load

        entry = load().lookup("huawei", reason)
        return entry is None or entry.kind != "teardown"


PARSERS = (ErrorInfoParser,)
