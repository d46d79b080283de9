"""``show crypto ikev2 sa [detailed | detail | remote A | local A]`` on IOS / IOS-XE and ASA.

Layouts read (column widths vary; indented lines may also come unindented)::

     IPv4 Crypto IKEv2  SA                                           (IOS / IOS-XE)
    Tunnel-id Local                 Remote                fvrf/ivrf            Status
    1         66.66.66.1/500        66.66.66.2/500        none/none            READY
          Encr: AES-CBC, keysize: 128, PRF: SHA1, Hash: SHA96, DH Grp:16, Auth sign: PSK, ...
          Life/Active Time: 86400/735 sec
          CE id: 0, Session-id: 5206                                 (detail from here on)
          Local spi: 1F7B76961C3A77ED       Remote spi: 1298FDE074BD724C
          Status Description: Negotiation done
          Local id: user2621@cisco.com
          Remote id: 22.1.1.2
          Local req msg id:  214            Remote req msg id:  6   (and next/queued/window)
          DPD configured for 60 seconds, retry 3
          NAT-T is not detected              ("NAT-T is detected inside" / "... outside")
          Initiator of SA : Yes
          Pushed IP address: 8.1.9.4
          Remote subnets:
          10.0.0.0 255.0.0.0
          PEER TYPE: IOS-XE
     IPv6 Crypto IKEv2  SA
    Tunnel-id    fvrf/ivrf              Status                       (IPv6: addresses apart)
    1          none/none             READY
    Local  2001:DB8:1101::131/500
    Remote  2001:DB8:1201::122/500

    IKEv2 SAs:                                                       (ASA)
    Session-id:1, Status:UP-ACTIVE, IKE count:1, CHILD count:2
    Tunnel-id Local                       Remote                       Status         Role
      3686011 2001:db8:2:1::1/500         2001:db8:2:1::2/500          READY    INITIATOR
          Encr: 3DES, Hash: SHA96, DH Grp:2, Auth sign: PSK, Auth verify: PSK
          Life/Active Time: 43200/880 sec
    Child sa: local selector  2001:db8:1:2::/0 - 2001:db8:1:2:ffff:ffff:ffff:ffff/65535
              remote selector 2001:db8:3:2::/0 - 2001:db8:3:2:ffff:ffff:ffff:ffff/65535
              ESP spi in/out: 0xbe064bdc/0x5db6eff3
    There are no IKEv2 SAs                                           (ASA, none at all)

A failed negotiation shows as ``IN-NEG`` with ``Encr: Unknown - 0, ... DH Grp:0``; other
statuses: ``READY``, ``DELETE``, ``UNKNOWN``.

Facts: one ``Ikev2Sa`` per tunnel; a ``Signal`` (vendor ``cisco``, family ``ikev2-sa``, kind
``state``, reason ``ikev2 state <STATUS>``) for every tunnel whose status is not ``READY``, citing
its row; one ``ShowTable`` (family ``ikev2-sa-table``) per output, empty ones included.  The
ASA's ``show crypto isakmp sa`` hands its ``IKEv2 SAs:`` part over to this parser (no prompt
then: the table cites its first line).
"""

from __future__ import annotations

import msgspec

from ...model import Line, Signal, State
from ..base import Context
from ..util import is_digits
from .isakmp_sa import VENDOR, ShowBlock, addr_port, hex_int, is_addr, to_int, yes_no


class Ikev2Child(msgspec.Struct, frozen=True, kw_only=True):
    """An ASA ``Child sa:`` entry (selectors as printed, SPIs as integers)."""

    local_selector: str | None = None
    remote_selector: str | None = None
    spi_in: int | None = None
    spi_out: int | None = None


class Ikev2Sa(State, kw_only=True):
    """One IKEv2 SA (one tunnel-id).  Fields are None when not printed."""

    tunnel_id: int
    status: str  # "READY", "IN-NEG", "DELETE" ... as printed
    local: str | None = None
    local_port: int | None = None
    remote: str | None = None
    remote_port: int | None = None
    fvrf: str | None = None
    ivrf: str | None = None
    role: str | None = None  # ASA "initiator" / "responder"
    session_id: int | None = None
    session_status: str | None = None  # ASA "UP-ACTIVE"
    ipv6: bool = False  # listed under "IPv6 Crypto IKEv2 SA" (IOS)
    encryption: str | None = None  # "AES-CBC", "AES-GCM", "Unknown - 0"
    keysize: int | None = None
    prf: str | None = None
    hash: str | None = None
    dh_group: int | None = None
    auth_sign: str | None = None
    auth_verify: str | None = None
    lifetime: int | None = None  # seconds
    active_time: int | None = None  # seconds since established
    ce_id: int | None = None
    local_spi: str | None = None
    remote_spi: str | None = None
    status_description: str | None = None  # "Negotiation done"
    local_id: str | None = None
    remote_id: str | None = None
    dpd_interval: int | None = None  # seconds; 0 = DPD off
    dpd_retry: int | None = None
    nat_t: bool | None = None  # "NAT-T is detected ..." / "... not detected"
    nat_side: str | None = None  # "inside" / "outside": which end is behind NAT
    initiator: bool | None = None  # "Initiator of SA : Yes"
    pushed_ip: str | None = None
    remote_subnets: tuple[str, ...] = ()  # "10.0.0.0 255.0.0.0"
    peer_type: str | None = None
    children: tuple[Ikev2Child, ...] = ()

    @property
    def ready(self) -> bool:
        return self.status.upper() == "READY"


_ALG_KEYS = {
    "encr": "encryption",
    "keysize": "keysize",
    "prf": "prf",
    "hash": "hash",
    "dh grp": "dh_group",
    "auth sign": "auth_sign",
    "auth verify": "auth_verify",
}
_ONE_KEYS = {
    "status description": "status_description",
    "local id": "local_id",
    "remote id": "remote_id",
    "pushed ip address": "pushed_ip",
    "peer type": "peer_type",
    "initiator of sa": "initiator",
    "local spi": "local_spi",
    "remote spi": "remote_spi",
    "ce id": "ce_id",
    "session-id": "session_id",
}
# Free-text lines of a detailed record that carry nothing we read.
_PROSE = (
    "fragmentation",
    "extended authentication",
    "cisco trust security",
    "quantum",
    "dynamic route update",
    "local sys id",
    "pqc key exchange",
)


def _key_value(part: str) -> tuple[str, str] | None:
    key, sep, value = part.partition(":")
    if not sep:
        return None
    return " ".join(key.split()).lower(), value.strip()


class _Block(ShowBlock):
    family = "ikev2-sa"
    layout_words = ("detailed", "detail")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.ipv6 = False
        self.columns: tuple[str, ...] = ()
        self.rec: dict | None = None
        self.rec_ev: Line | None = None
        self.rec_lines: dict[str, Line] = {}
        self.subnets = False  # inside "Remote subnets:"
        self.session: dict = {}  # ASA "Session-id:1, Status:UP-ACTIVE, ..."
        self.child: dict | None = None

    def flush(self) -> None:
        self._end_child()
        rec, ev = self.rec, self.rec_ev
        self.rec, self.rec_ev, self.subnets = None, None, False
        lines, self.rec_lines = self.rec_lines, {}
        if rec is None or ev is None:
            return
        self.rows += 1
        sa = Ikev2Sa(vendor=VENDOR, family="ikev2-sa", ev=ev, device=self.ctx.device,
                     lines=lines, **rec)  # fmt: skip
        self.emit(sa)
        if not sa.ready:
            self.emit(
                Signal(
                    vendor=VENDOR,
                    family="ikev2-sa",
                    kind="state",
                    reason=f"ikev2 state {sa.status.upper()}",
                    ev=ev,
                    device=self.ctx.device,
                    peer=sa.remote,
                    port=sa.remote_port,
                    version="v2",
                )
            )

    def _end_child(self) -> None:
        if self.child is not None and self.rec is not None:
            self.rec["children"] = (*self.rec.get("children", ()), Ikev2Child(**self.child))
        self.child = None

    # -- lines ---------------------------------------------------------------------------------
    def line(self, ev: Line, text: str) -> bool:
        low = text.lower()
        if low.startswith(("ipv4 crypto ikev2", "ipv6 crypto ikev2")):
            self.flush()
            self.ipv6 = low.startswith("ipv6")
            return True
        if low.startswith(("ikev2 sas:", "there are no ikev2 sas")):
            self.flush()
            self.layout = self.layout or "asa"
            return True
        if low.startswith("tunnel-id"):
            self.flush()
            self.columns = tuple(low.split())
            return True
        if low.startswith("session-id:") and "status:" in low:
            self.flush()
            self.session = {}
            for part in text.split(","):
                kv = _key_value(part)
                if kv and kv[0] == "session-id":
                    self.session["session_id"] = to_int(kv[1])
                elif kv and kv[0] == "status":
                    self.session["session_status"] = kv[1] or None
            self.layout = "asa"
            return True
        tokens = text.split()
        if self.columns and is_digits(tokens[0]) and self._row(ev, tokens):
            return True
        if self.rec is None:
            return False
        return self._detail(ev, text, low, tokens)

    def _row(self, ev: Line, tokens: list[str]) -> bool:
        cols = self.columns
        if len(tokens) < 3:
            return False
        rec: dict = {"tunnel_id": int(tokens[0][:18]), "ipv6": self.ipv6}
        rest = tokens[1:]
        if "local" in cols:
            a, b = addr_port(rest[0]), addr_port(rest[1]) if len(rest) > 1 else None
            if a is None or b is None:
                return False
            rec["local"], rec["local_port"] = a
            rec["remote"], rec["remote_port"] = b
            rest = rest[2:]
        if "fvrf/ivrf" in cols and rest and "/" in rest[0]:
            fvrf, _, ivrf = rest.pop(0).partition("/")
            rec["fvrf"], rec["ivrf"] = fvrf or None, ivrf or None
        if not rest:
            return False
        rec["status"] = rest.pop(0)
        if rest and "role" in cols:
            rec["role"] = rest[0].lower()
        self.flush()
        rec.update(self.session)
        self.rec, self.rec_ev = rec, ev
        self.rec_lines = {"status": ev}
        self.layout = self.layout or ("asa" if "role" in cols else "ios")
        return True

    def _detail(self, ev: Line, text: str, low: str, tokens: list[str]) -> bool:
        rec = self.rec
        assert rec is not None
        if self.child is not None and self._child_line(low, text):
            return True
        if low.startswith("child sa:"):
            self._end_child()
            self.child = {"local_selector": _selector(text)}
            return True
        if low.startswith("remote subnets"):
            self.subnets = True
            return True
        if low.startswith(("local ", "remote ")) and len(tokens) == 2 and ":" not in tokens[0]:
            end = addr_port(tokens[1])  # IPv6 layout: "Local  2001:DB8::131/500"
            if end is None:
                return False
            side = "local" if low.startswith("local") else "remote"
            rec[side], rec[f"{side}_port"] = end
            self.rec_lines[side] = ev
            return True
        if low.startswith("encr:") or ", dh grp:" in low:
            for part in text.split(","):
                kv = _key_value(part)
                field = _ALG_KEYS.get(kv[0]) if kv else None
                if field is None or kv is None:
                    continue
                if field in ("keysize", "dh_group"):
                    rec[field] = to_int(kv[1].split()[0]) if kv[1] else None
                else:
                    rec[field] = kv[1] or None
            self.rec_lines["encryption"] = ev
            return True
        if low.startswith("life/active time:"):
            life, _, active = text.partition(":")[2].strip().split(" ", 1)[0].partition("/")
            rec["lifetime"], rec["active_time"] = to_int(life), to_int(active)
            self.rec_lines["lifetime"] = ev
            return True
        if low.startswith("dpd"):
            words = low.replace(",", " ").split()
            if "for" in words:
                rec["dpd_interval"] = to_int(words[words.index("for") + 1])
            if "retry" in words and words.index("retry") + 1 < len(words):
                rec["dpd_retry"] = to_int(words[words.index("retry") + 1])
            if "disabled" in words:
                rec["dpd_interval"] = 0
            self.rec_lines["dpd"] = ev
            return True
        if low.startswith("nat-t is"):
            words = low.split()
            rec["nat_t"] = "not" not in words
            side = words[-1]
            rec["nat_side"] = side if side in ("inside", "outside") else None
            self.rec_lines["nat_t"] = ev
            return True
        if self.subnets and 1 <= len(tokens) <= 2 and all(is_addr(t) for t in tokens):
            rec["remote_subnets"] = (*rec.get("remote_subnets", ()), " ".join(tokens))
            return True
        self.subnets = False
        if low.startswith(_PROSE):
            return True
        if low.startswith("local ") and " remote " in low:
            cut = low.index(" remote ")
            parts = [text[:cut], text[cut + 1 :]]
        else:
            parts = text.split(",")
        known = False
        for part in parts:
            kv = _key_value(part)
            if kv is None:
                continue
            known = True  # "Local window: 5", "Local req msg id: 214": read, not kept
            field = _ONE_KEYS.get(kv[0])
            if field is None:
                continue
            value = kv[1]
            if field == "initiator":
                rec[field] = yes_no(value)
            elif field in ("ce_id", "session_id"):
                rec[field] = to_int(value)
            else:
                rec[field] = value or None
            self.rec_lines[field] = ev
        return known

    def _child_line(self, low: str, text: str) -> bool:
        child = self.child
        assert child is not None
        if low.startswith("remote selector"):
            child["remote_selector"] = _selector(text, "remote selector")
            return True
        if low.startswith("esp spi in/out:") or low.startswith("ah spi in/out:"):
            spi_in, _, spi_out = text.partition(":")[2].strip().partition("/")
            child["spi_in"], child["spi_out"] = hex_int(spi_in), hex_int(spi_out)
            return True
        return False


def _selector(text: str, key: str = "local selector") -> str | None:
    low = text.lower()
    at = low.find(key)
    if at < 0:
        return None
    value = " ".join(text[at + len(key) :].split())
    return value or None


class Ikev2SaParser:
    name = "cisco.show-crypto-ikev2-sa"
    vendor = VENDOR
    priority = 100
    log_like = False
    hints = ("ikev2",)
    commands = (("show", "crypto", "ikev2", "sa"),)

    def accepts(self, text: str) -> bool:
        low = text.strip().lower()
        return low.startswith(
            ("ipv4 crypto ikev2", "ipv6 crypto ikev2", "ikev2 sas:", "there are no ikev2 sas")
        )

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (Ikev2SaParser,)
