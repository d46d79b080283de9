"""``display ike sa`` (table layout, AR and USG variants): which IKE/IPsec SAs exist, per peer.

Rows seen in the reference documents (seed 002 cases, seed 003 cases) and product manuals::

    Conn-ID Peer VPN Flag(s) Phase
    1342 1.1.1.1 NEG|A v2:1                                    (AR, VPN column empty)
     151003222  2.1.1.1:500                       NEG|A       v1:2   (USG, peer with port)
     1342      0.0.0.0                         RD|A                 v2:1  (template, no peer yet)
       16      202.38.0.2      0     RD|ST                  2          (older AR: VPN 0, phase only)

Facts: one ``IkeSa`` per row and one ``IkeSaTable`` per command output (also when it is empty,
which is itself evidence: no SA at all).  Flags: RD ready, ST stay-alive, RL replaced, FD fading,
TO timeout, HRT heartbeat, LKG last known good, BCK backed up, M active, S standby, A alone,
NEG negotiating.  Phase 1 rows are IKE SAs, phase 2 rows IPsec SAs.
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_ip

FLAGS = frozenset({"RD", "ST", "RL", "FD", "TO", "HRT", "LKG", "BCK", "M", "S", "A", "NEG"})


class IkeSa(State, kw_only=True):
    """One row: an SA with one peer in one phase."""

    conn_id: int
    peer: str  # address without port; "0.0.0.0" when the peer is not known yet
    port: int | None = None
    vpn: str | None = None
    flags: tuple[str, ...] = ()
    version: str | None = None  # "v1" / "v2" when printed
    phase: int | None = None  # 1 = IKE SA, 2 = IPsec SA

    @property
    def ready(self) -> bool:
        return "RD" in self.flags

    @property
    def negotiating(self) -> bool:
        return "NEG" in self.flags


class IkeSaTable(State, kw_only=True):
    """The whole output: how many rows it had (0 = no SA at all) and the printed total."""

    rows: int = 0
    total: int | None = None  # "Number of IKE SA : N"


def _split_peer(tok: str) -> tuple[str, int | None] | None:
    if is_ip(tok):
        return tok, None
    host, sep, port = tok.rpartition(":")
    if sep and port.isdigit() and is_ip(host.strip("[]")):
        return host.strip("[]"), int(port)
    return None


def parse_row(tokens: list[str]) -> dict | None:
    """``conn-id peer [vpn] flags phase`` in any column order after the first two."""
    if len(tokens) < 3 or not tokens[0].isdigit():
        return None
    peer = _split_peer(tokens[1])
    if peer is None:
        return None
    out: dict = {"conn_id": int(tokens[0]), "peer": peer[0], "port": peer[1]}
    flags: tuple[str, ...] = ()
    for tok in tokens[2:]:
        parts = tok.split("|")
        if all(p.upper() in FLAGS for p in parts if p) and any(parts):
            flags = tuple(p.upper() for p in parts if p)
        elif tok[:1] in "vV" and ":" in tok:
            ver, _, ph = tok.partition(":")
            if ph.isdigit() and ver[1:].isdigit():
                out["version"], out["phase"] = ver.lower(), int(ph)
        elif tok in ("1", "2") and "phase" not in out and flags:
            out["phase"] = int(tok)
        elif "vpn" not in out and not flags:
            out["vpn"] = None if tok in ("-", "0") else tok
    if not flags:
        return None
    out["flags"] = flags
    return out


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows = 0
        self.total: int | None = None
        self.first: Line | None = None
        self.total_line: Line | None = None
        self.in_flags = False

    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if self.first is None:
            self.first = ev
        if not text or text.startswith("---"):
            return True
        low = text.lower()
        if low.startswith(("ike sa information", "conn-id", "spu board", "current ike sa number")):
            return True
        if low.startswith("number of ike sa"):
            _, _, n = text.partition(":")
            self.total = int(n.strip()) if n.strip().isdigit() else None
            self.total_line = ev
            return True
        if low.startswith("flag description") or self.in_flags:
            self.in_flags = True
            return "--" in text or low.startswith("flag description")
        row = parse_row(text.split())
        if row is None:
            return False
        self.rows += 1
        self.ctx.emit(IkeSa(vendor="huawei", family="ike-sa", ev=ev, device=self.ctx.device, **row))
        return True

    def close(self) -> None:
        ev = self.ctx.prompt or self.first
        if ev is None:
            return
        lines = {"total": self.total_line} if self.total_line else {}
        self.ctx.emit(
            IkeSaTable(
                vendor="huawei",
                family="ike-sa-table",
                ev=ev,
                device=self.ctx.device,
                rows=self.rows,
                total=self.total,
                lines=lines,
            )
        )


class IkeSaParser:
    name = "huawei.display-ike-sa"
    vendor = "huawei"
    log_like = False
    commands = (("display", "ike", "sa"),)

    def accepts(self, text: str) -> bool:
        return text.lstrip().lower().startswith("ike sa information")

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (IkeSaParser,)
