"""strongSwan SA state: ``swanctl --list-sas`` and ``ipsec statusall`` / ``ipsec status``.

``swanctl --list-sas`` (one IKE SA, its CHILD_SAs indented under it)::

    net: #1, ESTABLISHED, IKEv2, 1eea7b74b5908843_i* a7ab79b4b5101a9a_r
      local  '192.0.2.1' @ 192.0.2.1[4500]
      remote '198.51.100.2' @ 198.51.100.2[4500]
      AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
      established 1s ago
      net: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-256/HMAC_SHA2_256_128
        installed 1s ago
        in  9306f216,    252 bytes,     3 packets,     0s ago
        out 6854195b,    252 bytes,     3 packets,     0s ago
        local  10.1.1.0/24
        remote 10.2.2.0/24

``ipsec statusall`` / ``ipsec status`` (stroke; ``status`` omits the counters)::

    Security Associations (1 up, 0 connecting):
             net[1]: ESTABLISHED 2 minutes ago, 192.0.2.1[192.0.2.1]...198.51.100.2[198.51.100.2]
             net[1]: IKEv2 SPIs: 1eea7b74b5908843_i* a7ab79b4b5101a9a_r, pre-shared key ...
             net{1}:  INSTALLED, TUNNEL, reqid 1, ESP SPIs: c1234567_i c7654321_o
             net{1}:  AES_CBC_256/HMAC_SHA2_256_128, 252 bytes_i (3 pkts, 0s ago), 0 bytes_o, ...
             net{1}:   10.1.1.0/24 === 10.2.2.0/24

Facts: ``SwanIkeSa`` (family ``ike-sa``) per IKE SA and ``SwanChildSa`` (family ``child-sa``) per
CHILD_SA, with its IKE SA's peer and the byte/packet counters per direction (None when the
output does not print them).  The Libreswan status parsers emit the same classes.
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_digits, is_ip, to_int

VENDOR = "strongswan"
IKE_STATES = frozenset(
    "CREATED CONNECTING ESTABLISHED PASSIVE REKEYING REKEYED DELETING DESTROYING".split()
)
CHILD_STATES = frozenset(
    "CREATED ROUTED INSTALLING INSTALLED UPDATING REKEYING REKEYED RETRYING DELETING DELETED "
    "DESTROYING".split()
)


class SwanIkeSa(State, kw_only=True):
    """One IKE SA: ``state`` as printed (ESTABLISHED, CONNECTING; Libreswan: the state name)."""

    name: str | None = None
    uid: str | None = None
    state: str = ""
    established: bool = False
    version: str | None = None  # "v1" / "v2"
    local: str | None = None
    peer: str | None = None
    children: int | None = None  # CHILD_SAs listed under it (swanctl), None when unknown


class SwanChildSa(State, kw_only=True):
    """One CHILD_SA (IPsec SA) with its counters; ``installed``: usable for traffic."""

    name: str | None = None
    uid: str | None = None
    state: str = ""
    installed: bool = False
    mode: str | None = None
    peer: str | None = None
    spi_in: str | None = None
    spi_out: str | None = None
    bytes_in: int | None = None
    bytes_out: int | None = None
    packets_in: int | None = None
    packets_out: int | None = None
    local_ts: str | None = None
    remote_ts: str | None = None


def _int(tok: str) -> int | None:
    t = tok.strip(" ,()")
    return to_int(t)


def _at_addr(text: str) -> str | None:
    """``'192.0.2.1' @ 192.0.2.1[4500]`` -> ``192.0.2.1``."""
    _, sep, rest = text.partition(" @ ")
    if not sep:
        return None
    host = rest.strip().split("[", 1)[0]
    return host if is_ip(host) else None


def list_sas_header(text: str) -> tuple[str, str, str, str | None] | None:
    """``net: #1, ESTABLISHED, IKEv2, ...`` -> (name, uid, state, version); also the CHILD_SA
    line ``net: #1, reqid 1, INSTALLED, TUNNEL, ...`` (version None)."""
    s = text.strip()
    name, sep, rest = s.partition(": #")
    if not sep or not name or " " in name or len(name) > 64:
        return None
    parts = [p.strip() for p in rest.split(",")[:6]]
    if len(parts) < 3 or not is_digits(parts[0]):
        return None
    if parts[1] in IKE_STATES and parts[2].startswith("IKEv"):
        return name, parts[0], parts[1], "v" + parts[2][4:5]
    if parts[1].startswith("reqid ") and len(parts) >= 3 and parts[2] in CHILD_STATES:
        return name, parts[0], parts[2], None
    return None


class ListSasBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ike: SwanIkeSa | None = None
        self.child: SwanChildSa | None = None
        self.children = 0

    def _flush_child(self) -> None:
        if self.child is not None:
            self.ctx.emit(self.child)
            self.child = None

    def _flush_ike(self) -> None:
        self._flush_child()
        if self.ike is not None:
            self.ike.children = self.children
            self.ctx.emit(self.ike)
            self.ike = None
        self.children = 0

    def feed(self, ev: Line) -> bool:
        text = ev.text
        s = text.strip()
        if not s:
            return True
        hdr = list_sas_header(text)
        indented = text[:1] in (" ", "\t")
        if hdr is not None:
            name, uid, state, version = hdr
            if version is not None and not indented:
                self._flush_ike()
                self.ike = SwanIkeSa(
                    vendor=VENDOR,
                    family="ike-sa",
                    ev=ev,
                    device=self.ctx.device,
                    name=name,
                    uid=uid,
                    state=state,
                    established=state == "ESTABLISHED",
                    version=version,
                )
                return True
            if version is None and self.ike is not None:
                self._flush_child()
                self.children += 1
                parts = [p.strip() for p in s.split(",")]
                mode = parts[3].split("-", 1)[0] if len(parts) > 3 else None
                self.child = SwanChildSa(
                    vendor=VENDOR,
                    family="child-sa",
                    ev=ev,
                    device=self.ctx.device,
                    name=name,
                    uid=uid,
                    state=state,
                    installed=state == "INSTALLED",
                    mode=mode,
                    peer=self.ike.peer,
                )
                return True
            return False
        if not indented or self.ike is None:
            return False
        if s.startswith("local ") and self.child is None:
            self.ike.local = _at_addr(s)
        elif s.startswith("remote ") and self.child is None:
            self.ike.peer = _at_addr(s)
        elif self.child is not None and s.startswith(("in ", "out ")):
            toks = s.replace(",", " ").split()
            spi = toks[1] if len(toks) > 1 else None
            nbytes = npkts = None
            for i, t in enumerate(toks[:-1]):
                if toks[i + 1] == "bytes":
                    nbytes = _int(t)
                elif toks[i + 1] == "packets":
                    npkts = _int(t)
            c = self.child
            if s.startswith("in "):
                c.spi_in, c.bytes_in, c.packets_in = spi, nbytes, npkts
                c.lines = {**c.lines, "bytes_in": ev}
            else:
                c.spi_out, c.bytes_out, c.packets_out = spi, nbytes, npkts
                c.lines = {**c.lines, "bytes_out": ev}
        elif self.child is not None and s.startswith("local "):
            self.child.local_ts = s[6:].strip()
        elif self.child is not None and s.startswith("remote "):
            self.child.remote_ts = s[7:].strip()
        return True

    def close(self) -> None:
        self._flush_ike()


class ListSasParser:
    """``swanctl --list-sas`` (with or without its prompt)."""

    priority = 45
    name = "strongswan.list_sas"
    vendor = VENDOR
    hints = (": #",)
    commands: tuple[tuple[str, ...], ...] = (("swanctl", "--list-sas"), ("swanctl", "-l"))

    def accepts(self, text: str) -> bool:
        hdr = list_sas_header(text)
        return hdr is not None and hdr[3] is not None and text[:1] not in (" ", "\t")

    def start(self, ctx: Context) -> ListSasBlock:
        return ListSasBlock(ctx)


# -- ipsec statusall / ipsec status ----------------------------------------------------------


def _stroke_head(s: str) -> tuple[str, str, str, str] | None:
    """``net[1]: rest`` / ``net{1}:  rest`` -> (kind "ike"/"child", name, uid, rest)."""
    colon = s.find(": ", 0, 80)
    if colon < 3 or s[colon - 1] not in "]}":
        return None
    head = s[:colon]
    opener = "[" if head.endswith("]") else "{"
    name, sep, uid = head[:-1].partition(opener)
    if not sep or not name or not is_digits(uid) or " " in name:
        return None
    return ("ike" if opener == "[" else "child"), name, uid, s[colon + 2 :].strip()


class StatusBlock:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ikes: dict[str, SwanIkeSa] = {}
        self.children: dict[str, SwanChildSa] = {}

    def feed(self, ev: Line) -> bool:
        s = ev.text.strip()
        if not s:
            return True
        head = _stroke_head(s)
        if head is None:
            return (
                s.startswith(
                    (
                        "Status of IKE",
                        "uptime:",
                        "worker threads:",
                        "job queue",
                        "loaded plugins",
                        "malloc:",
                        "Listening IP",
                        "Connections:",
                        "Security Associations",
                        "  ",
                    )
                )
                or ev.text[:1] == " "
            )
        kind, name, uid, rest = head
        first = rest.split(" ", 1)[0].rstrip(",")
        if kind == "ike":
            if first in IKE_STATES:
                peer = None
                if "..." in rest:
                    peer = rest.rsplit("...", 1)[1].split("[", 1)[0].strip()
                    peer = peer if is_ip(peer) else None
                self.ikes[uid] = SwanIkeSa(
                    vendor=VENDOR,
                    family="ike-sa",
                    ev=ev,
                    device=self.ctx.device,
                    name=name,
                    uid=uid,
                    state=first,
                    established=first == "ESTABLISHED",
                    peer=peer,
                )
            elif rest.startswith(("IKEv1 SPIs", "IKEv2 SPIs")) and uid in self.ikes:
                self.ikes[uid].version = "v" + rest[4]
            return True
        c = self.children.get(uid)
        if first in CHILD_STATES:
            parts = [p.strip() for p in rest.split(",")]
            ike = next((i for i in self.ikes.values() if i.name == name), None)
            c = self.children[uid] = SwanChildSa(
                vendor=VENDOR,
                family="child-sa",
                ev=ev,
                device=self.ctx.device,
                name=name,
                uid=uid,
                state=first,
                installed=first == "INSTALLED",
                mode=parts[1] if len(parts) > 1 else None,
                peer=ike.peer if ike else None,
            )
            for p in parts:
                if p.startswith(("ESP SPIs:", "AH SPIs:")):
                    spis = p.split(":", 1)[1].split()
                    c.spi_in = next((x[:-2] for x in spis if x.endswith("_i")), None)
                    c.spi_out = next((x[:-2] for x in spis if x.endswith("_o")), None)
        elif c is not None and "bytes_i" in rest:
            toks = rest.replace(",", " ").replace("(", " ").split()
            for i, t in enumerate(toks[1:], 1):
                if t == "bytes_i":
                    c.bytes_in = _int(toks[i - 1])
                    if i + 2 < len(toks) and toks[i + 2] == "pkts":
                        c.packets_in = _int(toks[i + 1])
                elif t == "bytes_o":
                    c.bytes_out = _int(toks[i - 1])
                    if i + 2 < len(toks) and toks[i + 2] == "pkts":
                        c.packets_out = _int(toks[i + 1])
            c.lines = {**c.lines, "bytes_in": ev, "bytes_out": ev}
        elif c is not None and " === " in rest:
            c.local_ts, _, c.remote_ts = (x.strip() for x in rest.partition(" === "))
        return True

    def close(self) -> None:
        for ike in self.ikes.values():
            ike.children = sum(1 for c in self.children.values() if c.name == ike.name)
            self.ctx.emit(ike)
        for c in self.children.values():
            self.ctx.emit(c)


class StatusParser:
    """``ipsec statusall`` / ``ipsec status`` (stroke)."""

    priority = 45
    name = "strongswan.statusall"
    vendor = VENDOR
    hints = (
        "status of ike charon",
        "security associations (",
        "]: established",
        "]: connecting",
        "}:  installed",
    )
    commands: tuple[tuple[str, ...], ...] = (("ipsec", "statusall"), ("ipsec", "status"))

    def accepts(self, text: str) -> bool:
        s = text.strip()
        if s.startswith(("Status of IKE charon daemon", "Security Associations (")):
            return True
        head = _stroke_head(s)
        return head is not None and head[3].split(" ", 1)[0].rstrip(",") in (
            IKE_STATES | CHILD_STATES
        )

    def start(self, ctx: Context) -> StatusBlock:
        return StatusBlock(ctx)


PARSERS = (ListSasParser, StatusParser)
