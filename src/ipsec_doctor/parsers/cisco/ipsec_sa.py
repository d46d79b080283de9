"""``show crypto ipsec sa [peer A | detail | map M ...]`` on IOS / IOS-XE, PIX and ASA.

The output nests: interface -> crypto map tag -> protected flows (one per local/remote ident
pair) -> SAs.  Shapes read (indentation varies and is ignored)::

    interface: GigabitEthernet3                       (ASA filtered by peer: "peer address: A")
        Crypto map tag: vpn-crypto-map, local addr 1.1.1.2
                        (ASA: "Crypto map tag: COLO-MAP, seq num: 2, local addr: 172.16.248.119")
       protected vrf: (none)                          (ASA: "Protected vrf (ivrf): Global")
          access-list 2 extended permit ip ...        (ASA: the crypto ACL line of the flow)
       local  ident (addr/mask/prot/port): (20.20.20.0/255.255.255.0/0/0)
       remote ident (addr/mask/prot/port): (10.10.10.0/255.255.255.0/0/0)
       current_peer 1.1.1.1 port 500                  (ASA / PIX: "current_peer: 172.20.0.21")
       dynamic allocated peer ip: 10.135.1.5          (ASA / PIX remote access)
         PERMIT, flags={origin_is_acl,}
        #pkts encaps: 4, #pkts encrypt: 4, #pkts digest: 4
        #pkts decaps: 4, #pkts decrypt: 4, #pkts verify: 4
        #pkts compressed: 0, #pkts decompressed: 0
        #pkts not compressed: 0, #pkts compr. failed: 0
        #pkts not decompressed: 0, #pkts decompress failed: 0
        #pkts no sa (send) 0, #pkts invalid sa (rcv) 0          ("detail" and newer releases)
        ##pkts replay failed (rcv): 0
        #pre-frag successes: 0, #pre-frag failures: 0, ...      (ASA)
        #send errors 0, #recv errors 0                          (ASA: "#send errors: 0, ...")
         local crypto endpt.: 1.1.1.2, remote crypto endpt.: 1.1.1.1   (ASA: "A/4500, B/4500")
         plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb GigabitEthernet3
                                                      (ASA: "path mtu 1500, ipsec overhead 74(44),
                                                       media mtu 1500")
         current outbound spi: 0x397C36EE(964441838)  (ASA: "current outbound spi: DC15BF68",
                                                       "current inbound spi : 32F752FF")
         PFS (Y/N): N, DH group: none
         inbound esp sas:
          spi: 0x658F7C11(1703902225)                 (ASA: "spi: 0x1E8246FC (511854332)")
            SA State: active                          (ASA)
            transform: esp-256-aes esp-sha256-hmac ,
            in use settings ={Tunnel, }               ({L2L, Tunnel,  NAT-T-Encaps, IKEv1, },
                                                       {Tunnel UDP-Encaps, }, {Tunnel, esn})
            conn id: 2076, flow_id: CSR:76, sibling_flags FFFFFFFF80000048, crypto map: vpn-map
                                                      (ASA: "slot: 0, conn_id: 3, crypto-map: def")
            sa timing: remaining key lifetime (k/sec): (4607999/83191)
                       ("(kB/sec): (2699423/25461)", "(sec): 548", "1 hours, 10 mins")
            IV size: 16 bytes
            replay detection support: Y
            Status: ACTIVE(ACTIVE)
         inbound ah sas:
         inbound pcp sas:
         outbound esp sas: ...

Documents (seed 004) print the same output cut at every value: ``local addr.`` then the address
on its own line, ``(`` / value / ``)`` for the idents, ``inbound`` / ``esp`` / ``sas:`` on three
lines, ``in use settings ={'`` / ``Tunnel`` / ``, }``; a value on a line of its own completes the
field left open above it.  A line annotated by hand (``#send errors 15, #recv errors 0 <-- 15
send errors``) still reads: each counter is the first number after its name.

Facts: one ``CryptoIpsecSa`` per protected flow with its SAs (``CryptoSaEntry``, one per
``spi:``), and one ``ShowTable`` (family ``ipsec-sa-table``) per output (rows = flows; an
output with no flow at all has rows 0).  Counters are ints; every counter printed is also in
``counters`` under its normalised name (``pkts_no_sa_send``, ``pkts_replay_failed_rcv``,
``send_errors`` ...).
"""

from __future__ import annotations

import itertools

import msgspec

from ...model import Line, State
from ..base import Context
from ..util import is_digits
from .isakmp_sa import VENDOR, ShowBlock, addr_port, hex_int, is_addr, to_int, yes_no


class Ident(msgspec.Struct, frozen=True, kw_only=True):
    """A proxy identity as printed: ``20.20.20.0/255.255.255.0/0/0`` (addr/mask/prot/port)."""

    address: str
    mask: str | None = None
    protocol: int | None = None  # 0 = any, 47 = GRE ...
    port: int | None = None


class CryptoSaEntry(msgspec.Struct, kw_only=True):
    """One SA of a flow (one ``spi:`` under ``inbound esp sas:`` ...)."""

    direction: str  # "inbound" / "outbound"
    protocol: str  # "ESP" / "AH" / "PCP"
    ev: Line  # the spi line
    spi: int | None = None
    transform: tuple[str, ...] = ()  # ("esp-256-aes", "esp-sha256-hmac")
    settings: tuple[str, ...] = ()  # ("L2L", "Tunnel", "NAT-T-Encaps", "IKEv1")
    mode: str | None = None  # "tunnel" / "transport"
    nat_t: bool = False  # NAT-T-Encaps / UDP-Encaps in the settings
    ike_version: str | None = None  # "v1" / "v2" when the settings say so
    conn_id: int | None = None
    flow_id: str | None = None
    slot: int | None = None
    crypto_map: str | None = None
    remaining_kb: int | None = None
    remaining_seconds: int | None = None
    iv_size: int | None = None
    replay_detection: bool | None = None
    replay_window: int | None = None
    status: str | None = None  # "ACTIVE" (IOS "Status: ACTIVE(ACTIVE)", ASA "SA State: active")
    lines: dict[str, Line] = {}

    def line_of(self, field: str) -> Line:
        return self.lines.get(field, self.ev)


class CryptoIpsecSa(State, kw_only=True):
    """One protected flow (local/remote ident pair) with its counters and SAs."""

    interface: str | None = None
    crypto_map: str | None = None
    map_seq: int | None = None  # ASA "seq num"
    local_addr: str | None = None
    peer_filter: str | None = None  # ASA "peer address: A" heading
    vrf: str | None = None
    acl: str | None = None  # ASA crypto ACL line
    local_ident: Ident | None = None
    remote_ident: Ident | None = None
    peer: str | None = None  # current_peer
    peer_port: int | None = None
    dynamic_peer: str | None = None  # "dynamic allocated peer ip"
    permit: bool | None = None
    flags: tuple[str, ...] = ()  # ("origin_is_acl",)
    encaps: int | None = None
    encrypt: int | None = None
    digest: int | None = None
    decaps: int | None = None
    decrypt: int | None = None
    verify: int | None = None
    send_errors: int | None = None
    recv_errors: int | None = None
    no_sa_send: int | None = None  # "#pkts no sa (send)"
    invalid_sa: int | None = None  # "#pkts invalid sa (rcv)"
    invalid_spi: int | None = None  # "#pkts invalid spi (rcv)" where printed
    replay_failed: int | None = None  # "##pkts replay failed (rcv)"
    verify_failed: int | None = None
    encaps_failed: int | None = None
    decaps_failed: int | None = None
    counters: dict[str, int] = msgspec.field(default_factory=dict)
    local_endpoint: str | None = None
    local_endpoint_port: int | None = None
    remote_endpoint: str | None = None
    remote_endpoint_port: int | None = None
    plaintext_mtu: int | None = None
    path_mtu: int | None = None
    ip_mtu: int | None = None
    media_mtu: int | None = None
    ipsec_overhead: int | None = None
    mtu_interface: str | None = None  # "ip mtu idb GigabitEthernet3"
    outbound_spi: int | None = None  # 0 = no outbound SA
    inbound_spi: int | None = None
    pfs: bool | None = None
    pfs_group: str | None = None  # "group20"; None for "none"
    sas: tuple[CryptoSaEntry, ...] = ()

    @property
    def inbound(self) -> tuple[CryptoSaEntry, ...]:
        return tuple(s for s in self.sas if s.direction == "inbound")

    @property
    def outbound(self) -> tuple[CryptoSaEntry, ...]:
        return tuple(s for s in self.sas if s.direction == "outbound")

    @property
    def nat_t(self) -> bool:
        return any(s.nat_t for s in self.sas)


_COUNTERS = {
    "pkts_encaps": "encaps",
    "pkts_encrypt": "encrypt",
    "pkts_digest": "digest",
    "pkts_decaps": "decaps",
    "pkts_decrypt": "decrypt",
    "pkts_verify": "verify",
    "send_errors": "send_errors",
    "recv_errors": "recv_errors",
    "pkts_no_sa_send": "no_sa_send",
    "pkts_invalid_sa_rcv": "invalid_sa",
    "pkts_invalid_spi_rcv": "invalid_spi",
    "pkts_invalid_spi": "invalid_spi",
    "pkts_replay_failed_rcv": "replay_failed",
    "pkts_verify_failed": "verify_failed",
    "pkts_encaps_failed_send": "encaps_failed",
    "pkts_decaps_failed_rcv": "decaps_failed",
}
_MTU_FIELDS = {
    "plaintext": "plaintext_mtu",
    "path": "path_mtu",
    "ip": "ip_mtu",
    "media": "media_mtu",
    "ipsec": "ipsec_overhead",
}
_PROTOCOLS = frozenset({"esp", "ah", "pcp", "pcg"})


def _counter_name(words: list[str]) -> str:
    name = " ".join(words).lower().lstrip("#")
    for ch in "().:-":
        name = name.replace(ch, " ")
    return "_".join(name.split())


def _ident(value: str) -> Ident | None:
    value = value.strip().strip("()").strip()
    parts = value.split("/")
    if len(parts) < 2 or not is_addr(parts[0]):
        return None
    return Ident(
        address=parts[0],
        mask=parts[1] or None,
        protocol=to_int(parts[2]) if len(parts) > 2 else None,
        port=to_int(parts[3]) if len(parts) > 3 else None,
    )


def _lifetime(value: str) -> tuple[int | None, int | None]:
    """``(k/sec): (4607999/83191)`` -> (4607999, 83191); ``(sec): 548`` -> (None, 548);
    ``1 hours, 10 mins`` -> (None, 4200)."""
    unit, _, rest = value.partition(":")
    if rest:
        nums = rest.strip().strip("()").split("/")
        if "k" in unit.lower() and len(nums) == 2:
            return to_int(nums[0]), to_int(nums[1])
        return None, to_int(nums[-1])
    total = 0
    found = False
    words = value.replace(",", " ").split()
    for n, unit_word in itertools.pairwise(words):
        k = to_int(n)
        if k is None:
            continue
        scale = {"h": 3600, "m": 60, "s": 1, "d": 86400}.get(unit_word[:1].lower())
        if scale:
            total += k * scale
            found = True
    return None, total if found else None


class _Block(ShowBlock):
    family = "ipsec-sa"
    layout_words = ("detail",)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.head: dict = {}  # interface / map context inherited by each flow
        self.flow: dict | None = None
        self.flow_ev: Line | None = None
        self.flow_lines: dict[str, Line] = {}
        self.side: tuple[str, str] | None = None  # (direction, protocol)
        self.sa: dict | None = None
        self.sa_lines: dict[str, Line] = {}
        self.sa_ev: Line | None = None
        self.sas: list[CryptoSaEntry] = []
        self.open: str | None = None  # a field whose value comes on a later line
        self.open_dir: str | None = None  # "inbound" / "outbound" printed alone
        self.open_proto: str | None = None
        self.bitmap = False

    # -- records -------------------------------------------------------------------------------
    def _end_sa(self) -> None:
        if self.sa is not None and self.sa_ev is not None:
            self.sas.append(CryptoSaEntry(ev=self.sa_ev, lines=self.sa_lines, **self.sa))
        self.sa, self.sa_ev, self.sa_lines = None, None, {}

    def flush(self) -> None:
        self._end_sa()
        flow, ev = self.flow, self.flow_ev
        self.flow, self.flow_ev, self.side, self.open = None, None, None, None
        lines, self.flow_lines = self.flow_lines, {}
        sas, self.sas = self.sas, []
        if flow is None or ev is None:
            return
        if not any(k in flow for k in ("local_ident", "remote_ident", "peer", "counters")):
            return
        self.rows += 1
        rec = {**self.head, **flow}
        self.emit(CryptoIpsecSa(vendor=VENDOR, family="ipsec-sa", ev=ev, device=self.ctx.device,
                                lines=lines, sas=tuple(sas), **rec))  # fmt: skip

    def _flow(self, ev: Line, new_if: str | None = None) -> dict:
        """The flow under construction; a new one when ``new_if`` is already set in it."""
        if self.flow is not None and new_if is not None and new_if in self.flow:
            self.flush()
        if self.flow is None:
            self.flow, self.flow_ev = {}, ev
        return self.flow

    def _set(self, field: str, value: object, ev: Line) -> None:
        flow = self._flow(ev)
        if value is not None:
            flow[field] = value
        self.flow_lines[field] = ev

    # -- lines ---------------------------------------------------------------------------------
    def line(self, ev: Line, text: str) -> bool:
        low = text.lower()
        if self.bitmap and all(t.startswith("0x") for t in low.split()):
            return True  # the ASA "Anti replay bitmap:" words
        self.bitmap = False
        if low.startswith(("interface:", "peer address:")):
            self.flush()
            value = text.partition(":")[2].strip()
            key = "interface" if low.startswith("interface") else "peer_filter"
            self.head = {key: value or None}
            return True
        if low.startswith("crypto map tag:"):
            self.flush()
            self._map_tag(text)
            return True
        if self.open is not None and self._continuation(ev, text):
            return True
        if self.sa is not None or self.side is not None:
            if self._sa_line(ev, text, low):
                return True
        if self._side_header(ev, low):
            return True
        return self._flow_line(ev, text, low)

    def _map_tag(self, text: str) -> None:
        body = text.partition(":")[2]
        parts = [p.strip() for p in body.split(",")]
        head = {k: v for k, v in self.head.items() if k in ("interface", "peer_filter")}
        head["crypto_map"] = parts[0] or None
        for part in parts[1:]:
            p = part.lower()
            if p.startswith("seq num"):
                head["map_seq"] = to_int(part.rpartition(" ")[2].lstrip(":"))
            elif p.startswith("local addr"):
                value = part[len("local addr") :].lstrip(".: ").strip()
                if value and is_addr(value):
                    head["local_addr"] = value
                else:
                    self.open = "local_addr"
        self.head = head

    def _continuation(self, ev: Line, text: str) -> bool:
        """A value printed on a line of its own (seed layouts)."""
        field = self.open
        value = text.strip().strip("'").strip()
        if not value or (":" in value and not is_addr(value)):
            return False
        self.open = None
        if field == "local_addr" and is_addr(value):
            self.head["local_addr"] = value
            return True
        if field in ("local_ident", "remote_ident"):
            ident = _ident(value)
            if ident is not None:
                self._set(field, ident, ev)
                return True
        if field == "peer" and is_addr(value.split()[0]):
            self._set("peer", value.split()[0], ev)
            return True
        if field == "transform" and self.sa is not None:
            self.sa["transform"] = tuple(t for t in value.split() if t != ",")
            return True
        if field == "settings" and self.sa is not None:
            self._settings(value)
            return True
        return False

    def _side_header(self, ev: Line, low: str) -> bool:
        words = low.split()
        if words and words[-1] == "sas:" and words[0] in ("inbound", "outbound"):
            self._end_sa()
            proto = words[1] if len(words) == 3 else (self.open_proto or "esp")
            self.side = (words[0], proto.upper())
            self.open_dir = self.open_proto = None
            return True
        if words == ["sas:"] and self.open_dir is not None:
            self._end_sa()
            self.side = (self.open_dir, (self.open_proto or "esp").upper())
            self.open_dir = self.open_proto = None
            return True
        if len(words) == 1 and words[0] in ("inbound", "outbound"):
            self._end_sa()
            self.side = None
            self.open_dir = words[0]
            return True
        if len(words) == 1 and words[0] in _PROTOCOLS and self.open_dir is not None:
            self.open_proto = words[0]
            return True
        return False

    def _sa_line(self, ev: Line, text: str, low: str) -> bool:
        if low.startswith("spi:") and self.side is not None:
            self._end_sa()
            self.sa = {"direction": self.side[0], "protocol": self.side[1],
                       "spi": hex_int(text.partition(":")[2].strip().replace(" ", ""))}  # fmt: skip
            self.sa_ev = ev
            return True
        sa = self.sa
        if sa is None:
            return False
        key, _, value = text.partition(":")
        lkey = " ".join(key.split()).lower()
        value = value.strip()
        if lkey == "transform":
            toks = tuple(t for t in value.replace(",", " ").split())
            if not toks:
                self.open = "transform"
            sa["transform"] = toks
            self.sa_lines["transform"] = ev
            return True
        if lkey == "in use settings ={" or low.startswith("in use settings"):
            self.sa_lines["settings"] = ev
            inner = text.partition("{")[2]
            if not inner.strip(" '}").strip(", "):
                self.open = "settings"
                return True
            self._settings(inner)
            return True
        if lkey in ("conn id", "slot", "conn_id"):
            for part in text.split(","):
                k, _, v = part.partition(":")
                k = " ".join(k.split()).lower().replace("_", " ").replace("-", " ")
                v = v.strip()
                if k == "conn id":
                    sa["conn_id"] = to_int(v)
                elif k == "slot":
                    sa["slot"] = to_int(v)
                elif k == "flow id":
                    sa["flow_id"] = v or None
                elif k == "crypto map":
                    sa["crypto_map"] = v or None
            self.sa_lines["conn_id"] = ev
            return True
        if lkey.startswith(("sa timing", "remaining key lifetime")):
            rest = text[low.find("remaining key lifetime") :] if "remaining key" in low else ""
            if rest:
                kb, secs = _lifetime(rest[len("remaining key lifetime") :])
                sa["remaining_kb"], sa["remaining_seconds"] = kb, secs
                self.sa_lines["lifetime"] = ev
            return True
        if lkey == "iv size":
            sa["iv_size"] = to_int(value.split()[0]) if value else None
            return True
        if lkey == "replay detection support":
            # "Y" or "Y  replay window size: 1024" (IOS 15+ prints both on one line)
            flag, _, rest = value.partition(" ")
            sa["replay_detection"] = yes_no(flag)
            if "window size" in rest.lower():
                size = rest.rpartition(":")[2].strip()
                sa["replay_window"] = to_int(size) if is_digits(size) else None
            self.sa_lines["replay_detection"] = ev
            return True
        if lkey in ("status", "sa state"):
            sa["status"] = value.split("(", 1)[0].strip().upper() or None
            self.sa_lines["status"] = ev
            return True
        if lkey == "anti replay bitmap":
            self.bitmap = True
            return True
        if low.startswith("kilobyte volume rekey"):
            return True
        return False

    def _settings(self, inner: str) -> None:
        sa = self.sa
        assert sa is not None
        words = [w.strip(" '") for w in inner.replace("}", "").replace(",", " ").split()]
        settings = tuple(w for w in words if w)
        sa["settings"] = settings
        low = {w.lower() for w in settings}
        sa["mode"] = "tunnel" if "tunnel" in low else "transport" if "transport" in low else None
        sa["nat_t"] = any("nat-t" in w or "udp-encaps" in w for w in low)
        sa["ike_version"] = "v2" if "ikev2" in low else "v1" if "ikev1" in low else None

    def _flow_line(self, ev: Line, text: str, low: str) -> bool:
        if low.startswith(("protected vrf", "access-list ")):
            field = "vrf" if low.startswith("protected") else "acl"
            flow = self._flow(ev, new_if="local_ident")
            if field in flow:
                self.flush()
            value = text.partition(":")[2].strip() if field == "vrf" else " ".join(text.split())
            self._set(field, None if value in ("", "(none)") else value, ev)
            return True
        if "ident" in low[:14] and low.startswith(("local", "remote")):
            field = "local_ident" if low.startswith("local") else "remote_ident"
            self._flow(ev, new_if=field)
            value = text.partition("):")[2].strip()
            ident = _ident(value) if value and value != "(" else None
            if ident is None:
                self.open = field
                self.flow_lines[field] = ev
                return True
            self._set(field, ident, ev)
            return True
        if low.startswith(("current_peer", "current-peer")):
            words = text.split()
            if len(words) > 1 and words[1] == ":":  # "current_peer : A"
                del words[1]
            if len(words) < 2:
                self.open = "peer"
                self._flow(ev)
                return True
            self._set("peer", words[1], ev)
            if "port" in words[2:3]:
                self._set("peer_port", to_int(words[3]) if len(words) > 3 else None, ev)
            return True
        if low.startswith("dynamic allocated peer ip"):
            self._set("dynamic_peer", text.partition(":")[2].strip() or None, ev)
            return True
        if low.startswith("permit") or low.startswith("deny,"):
            flags = text.partition("{")[2].rstrip("}").replace(",", " ").split()
            self._set("permit", low.startswith("permit"), ev)
            self._set("flags", tuple(flags), ev)
            return True
        if low.startswith("#"):
            return self._counters(ev, text)
        if low.startswith("local crypto endpt"):
            for part in text.split(","):
                key, _, value = part.partition(":")
                end = addr_port(value.strip())
                side = "local" if "local" in key.lower() else "remote"
                if end is not None:
                    self._set(f"{side}_endpoint", end[0], ev)
                    self._set(f"{side}_endpoint_port", end[1], ev)
            return True
        if "mtu" in low and low.startswith(("plaintext mtu", "path mtu")):
            for part in text.split(","):
                words = part.split()
                lw = [w.lower() for w in words]
                if lw[:3] == ["ip", "mtu", "idb"] and len(words) > 3:
                    self._set("mtu_interface", words[3], ev)
                elif len(words) >= 3 and lw[1] in ("mtu", "overhead"):
                    field = _MTU_FIELDS.get(lw[0])
                    if field:
                        self._set(field, to_int(words[2].split("(")[0]), ev)
            return True
        if low.startswith(("current outbound spi", "current inbound spi")):
            field = "outbound_spi" if "outbound" in low else "inbound_spi"
            self._set(field, hex_int(text.partition(":")[2]), ev)
            return True
        if low.startswith(("pfs (y/n)", "fps (y/n)")):
            for part in text.split(","):
                key, _, value = part.partition(":")
                if "y/n" in key.lower():
                    self._set("pfs", yes_no(value), ev)
                elif "dh group" in key.lower():
                    group = value.strip()
                    self._set("pfs_group", None if group.lower() == "none" else group, ev)
            return True
        if low.startswith(("pmtu time remaining", "icmp error validation")):
            return True
        return False

    def _counters(self, ev: Line, text: str) -> bool:
        if not text.lstrip("#")[:1].isalpha():
            return False
        flow = self._flow(ev)
        counters: dict[str, int] = flow.setdefault("counters", {})
        found = False
        for part in text.split(","):
            words = part.replace(":", " ").split()
            if not words or not words[0].lstrip("#")[:1].isalpha():
                continue  # "#pkts ...", "#send errors ..."; not "# comment"
            for i, word in enumerate(words[:8]):
                n = to_int(word)
                if n is None:
                    continue
                if i == 0:
                    break
                name = _counter_name(words[:i])
                counters[name] = n
                field = _COUNTERS.get(name)
                if field is not None:
                    flow[field] = n
                    self.flow_lines[field] = ev
                found = True
                break
        return found


class IpsecSaParser:
    name = "cisco.show-crypto-ipsec-sa"
    vendor = VENDOR
    priority = 100
    log_like = False
    hints = ("interface:", "crypto map tag", "peer address:")
    commands = (("show", "crypto", "ipsec", "sa"),)

    def accepts(self, text: str) -> bool:
        stripped = text.strip()
        if stripped.startswith("interface: ") and len(stripped.split()) == 2:
            return True  # IOS / ASA print this key in lower case (Huawei: "Interface:")
        return stripped.lower().startswith("crypto map tag:")

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (IpsecSaParser,)
