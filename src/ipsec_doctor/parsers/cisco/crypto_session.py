"""``show crypto session [detail | remote A | local A ...]`` on IOS / IOS-XE.

Shapes read (indentation varies and is ignored)::

    Crypto session current status

    Code: C - IKE Configuration mode, D - Dead Peer Detection        (detail: a legend)
    K - Keepalives, N - NAT-traversal, T - cTCP encapsulation
    X - IKE Extended Authentication, F - IKE Fragmentation
    R - IKE Auto Reconnect, U - IKE Dynamic Route Update
    S - SIP VPN

    Interface: Tunnel0
    Username: cisco / Profile: prof / Group: easy / Assigned address: 10.3.3.4 / Uptime: 6d00h
    Session status: UP-ACTIVE          (UP-ACTIVE, UP-IDLE, UP-NO-IKE, DOWN, DOWN-NEGOTIATING)
    Peer: 1.1.1.1 port 500 fvrf: myf-vrf ivrf: myi-vrf
          Desc: (none)
          Phase1_id: polaris-test.polaris-test
          System IP: 13.13.13.11  Interface: Tu1
      Session ID: 3
      IKEv2 SA: local 2.2.2.2/500 remote 1.1.1.1/500 Active      ("IKE SA:", "IKEv1 SA:";
              Capabilities:U connid:1 lifetime:23:32:18            "Inactive" when not up)
      IKEv2 SA: local 2001:DB8:ACAD:1::1/500                      (wrapped: "remote ..." on
              remote 2001:DB8:ACAD:1::2/500 Active                 the next line)
      IPSEC FLOW: permit 47 host 2.2.2.2 host 1.1.1.1
            Active SAs: 2, origin: crypto map
            Inbound:  #pkts dec'ed 0 drop 0 life (KB/Sec) 4319919/1937
            Outbound: #pkts enc'ed 0 drop 0 life (KB/Sec) 4319919/1937

Facts: one ``CryptoSession`` per ``Interface:`` record, with its IKE SAs (``SessionIkeSa``) and
IPsec flows (``SessionFlow``); one ``ShowTable`` (family ``crypto-session-table``) per output
(rows = sessions; 0 = no crypto session at all).  ``status`` is kept as printed; ``up`` and
``active`` say whether the session is up and carries IPsec SAs.
"""

from __future__ import annotations

import msgspec

from ...model import Line, State
from ..base import Context
from ..util import is_digits
from .isakmp_sa import VENDOR, ShowBlock, addr_port, to_int


class SessionIkeSa(msgspec.Struct, kw_only=True):
    """One ``IKE SA:`` / ``IKEv1 SA:`` / ``IKEv2 SA:`` line of a session."""

    ev: Line
    version: str | None = None  # "v1" / "v2" (None for "IKE SA:")
    local: str | None = None
    local_port: int | None = None
    remote: str | None = None
    remote_port: int | None = None
    state: str | None = None  # "Active" / "Inactive"
    session_id: int | None = None
    capabilities: str | None = None
    conn_id: int | None = None
    lifetime: int | None = None  # seconds left

    @property
    def active(self) -> bool:
        return (self.state or "").lower() == "active"


class SessionFlow(msgspec.Struct, kw_only=True):
    """One ``IPSEC FLOW:`` of a session."""

    ev: Line
    acl: str  # "permit ip 10.1.0.0/255.255.0.0 10.2.0.0/255.255.0.0"
    active_sas: int | None = None
    origin: str | None = None  # "crypto map"
    in_packets: int | None = None  # "#pkts dec'ed"
    in_drops: int | None = None
    in_life_kb: int | None = None
    in_life_seconds: int | None = None
    out_packets: int | None = None  # "#pkts enc'ed"
    out_drops: int | None = None
    out_life_kb: int | None = None
    out_life_seconds: int | None = None


class CryptoSession(State, kw_only=True):
    """One crypto session (one ``Interface:`` record)."""

    interface: str | None = None
    status: str | None = None  # "UP-ACTIVE", "UP-IDLE", "DOWN", "DOWN-NEGOTIATING" ...
    peer: str | None = None
    port: int | None = None
    fvrf: str | None = None
    ivrf: str | None = None
    profile: str | None = None
    username: str | None = None
    group: str | None = None
    assigned_address: str | None = None
    uptime: str | None = None
    desc: str | None = None
    phase1_id: str | None = None
    ike_sas: tuple[SessionIkeSa, ...] = ()
    flows: tuple[SessionFlow, ...] = ()

    @property
    def up(self) -> bool:
        return (self.status or "").upper().startswith("UP")

    @property
    def active(self) -> bool:
        return (self.status or "").upper() == "UP-ACTIVE"


_SIMPLE = {
    "profile": "profile",
    "username": "username",
    "group": "group",
    "assigned address": "assigned_address",
    "uptime": "uptime",
    "desc": "desc",
    "phase1_id": "phase1_id",
    "session status": "status",
}


def _clock(value: str) -> int | None:
    parts = value.split(":")
    if len(parts) == 1:
        return to_int(value)
    if len(parts) == 3 and all(is_digits(p) and len(p) <= 20 for p in parts):
        return int(parts[0]) * 3600 + int(parts[1]) * 60 + int(parts[2])
    return None


def _legend(text: str) -> bool:
    words = text.split()
    return len(words) >= 3 and len(words[0]) == 1 and words[0].isupper() and words[1] == "-"


class _Block(ShowBlock):
    family = "crypto-session"
    verbs = 3
    layout_words = ("detail", "brief")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.rec: dict | None = None
        self.rec_ev: Line | None = None
        self.rec_lines: dict[str, Line] = {}
        self.ike: list[SessionIkeSa] = []
        self.flows: list[SessionFlow] = []
        self.session_id: int | None = None
        self.wrapped: SessionIkeSa | None = None  # an IKE SA line cut before "remote"

    def flush(self) -> None:
        rec, ev = self.rec, self.rec_ev
        lines, self.rec_lines = self.rec_lines, {}
        ike, flows = tuple(self.ike), tuple(self.flows)
        self.rec, self.rec_ev, self.ike, self.flows = None, None, [], []
        self.session_id, self.wrapped = None, None
        if rec is None or ev is None:
            return
        self.rows += 1
        self.emit(CryptoSession(vendor=VENDOR, family="crypto-session", ev=ev,
                                device=self.ctx.device, lines=lines, ike_sas=ike, flows=flows,
                                **rec))  # fmt: skip

    def line(self, ev: Line, text: str) -> bool:
        low = text.lower()
        if low.startswith("crypto session current status") or low.startswith("code:"):
            return True
        if _legend(text) and self.rec is None:
            return True
        key, sep, value = text.partition(":")
        key = " ".join(key.split()).lower()
        value = value.strip()
        if sep and key == "interface":
            self.flush()
            self.rec, self.rec_ev = {"interface": value or None}, ev
            self.rec_lines = {"interface": ev}
            return True
        if self.rec is None:
            return False
        if self.wrapped is not None and low.startswith("remote "):
            self._ike_ends(self.wrapped, text.split())
            self.wrapped = None
            return True
        if sep and key in _SIMPLE:
            self.rec[_SIMPLE[key]] = None if value in ("", "(none)") else value
            self.rec_lines[_SIMPLE[key]] = ev
            return True
        if sep and key == "peer":
            self._peer(value)
            self.rec_lines["peer"] = ev
            return True
        if sep and key == "session id":
            self.session_id = to_int(value)
            return True
        if sep and key in ("ike sa", "ikev1 sa", "ikev2 sa"):
            version = {"ikev1 sa": "v1", "ikev2 sa": "v2"}.get(key)
            sa = SessionIkeSa(ev=ev, version=version, session_id=self.session_id)
            if not self._ike_ends(sa, value.split()):
                self.wrapped = sa
            self.ike.append(sa)
            return True
        if low.startswith("capabilities:") and self.ike:
            self._capabilities(self.ike[-1], text)
            return True
        if sep and key == "ipsec flow":
            self.flows.append(SessionFlow(ev=ev, acl=" ".join(value.split())))
            return True
        if sep and key == "active sas" and self.flows:
            flow = self.flows[-1]
            for part in text.split(","):
                k, _, v = part.partition(":")
                k = k.strip().lower()
                if k == "active sas":
                    flow.active_sas = to_int(v)
                elif k == "origin":
                    flow.origin = v.strip() or None
            return True
        if sep and key in ("inbound", "outbound") and self.flows:
            self._traffic(self.flows[-1], key, value)
            return True
        if sep and key == "system ip":
            return True
        return False

    def _peer(self, value: str) -> None:
        rec = self.rec
        assert rec is not None
        words = value.split()
        if words:
            rec["peer"] = words[0]
        for i, word in enumerate(words[:-1]):
            nxt = words[i + 1]
            if word == "port":
                rec["port"] = to_int(nxt)
            elif word in ("fvrf:", "ivrf:"):
                rec[word[:-1]] = None if nxt == "(none)" else nxt

    def _ike_ends(self, sa: SessionIkeSa, words: list[str]) -> bool:
        """Read ``local A/p remote B/p State``; False when the remote end is not there yet."""
        done = False
        for i, word in enumerate(words[:-1]):
            end = addr_port(words[i + 1])
            if end is None:
                continue
            if word == "local":
                sa.local, sa.local_port = end
            elif word == "remote":
                sa.remote, sa.remote_port = end
                done = True
                if i + 2 < len(words):
                    sa.state = words[i + 2]
        return done

    def _capabilities(self, sa: SessionIkeSa, text: str) -> None:
        for word in text.split():
            key, _, value = word.partition(":")
            key = key.lower()
            if key == "capabilities":
                sa.capabilities = None if value in ("", "(none)") else value
            elif key == "connid":
                sa.conn_id = to_int(value)
            elif key == "lifetime":
                sa.lifetime = _clock(value)

    def _traffic(self, flow: SessionFlow, direction: str, value: str) -> None:
        words = value.split()
        packets = drops = kb = secs = None
        for i, word in enumerate(words):
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if word.startswith(("dec'ed", "enc'ed")):
                packets = to_int(nxt)
            elif word == "drop":
                drops = to_int(nxt)
        last = words[-1] if words else ""
        if "/" in last:
            a, _, b = last.partition("/")
            kb, secs = to_int(a), to_int(b)
        if direction == "inbound":
            flow.in_packets, flow.in_drops = packets, drops
            flow.in_life_kb, flow.in_life_seconds = kb, secs
        else:
            flow.out_packets, flow.out_drops = packets, drops
            flow.out_life_kb, flow.out_life_seconds = kb, secs


class CryptoSessionParser:
    name = "cisco.show-crypto-session"
    vendor = VENDOR
    priority = 100
    log_like = False
    hints = ("crypto session",)
    commands = (("show", "crypto", "session"),)

    def accepts(self, text: str) -> bool:
        return text.strip().lower().startswith("crypto session current status")

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (CryptoSessionParser,)
