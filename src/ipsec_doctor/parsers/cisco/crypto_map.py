"""``show crypto map [tag M | interface I]`` on IOS / IOS-XE.

Shapes read (tabs and indentation ignored)::

    Crypto Map IPv4 "ikev2-cryptomap" 1 ipsec-isakmp        (older: Crypto Map "Demo-MAP" 10 ...)
            WARNING: This crypto map is in an incomplete state!
                    (missing peer or access-list definitions)
            Peer = 172.20.249.12                            (one line per configured peer)
            IKEv2 Profile: ikev2profile                     ("ISAKMP Profile: p" for IKEv1)
            Access-List SS dynamic: False
            Extended IP access list 102                     ("No matching address list set.")
                access-list Crypto-ACL permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
            Current peer: 172.20.249.12
            Security association lifetime: 4608000 kilobytes/3600 seconds
            Dualstack (Y/N): N
            Responder-Only (Y/N): N
            PFS (Y/N): Y
            DH group:  group15
            Mixed-mode : Disabled
            Transform sets={
                    aes256-sha1:  { esp-aes esp-sha-hmac  } ,
            }
            Interfaces using crypto map ikev2-cryptomap:
                    Vlan1

Facts: one ``CryptoMapEntry`` per map entry (name + sequence number) and one ``ShowTable``
(family ``crypto-map-table``) per output.  An entry lists the interfaces printed under it, so
an empty ``interfaces`` means the map is applied nowhere (as far as this output shows).
"""

from __future__ import annotations

import msgspec

from ...model import Line, State
from ..base import Context
from .isakmp_sa import VENDOR, ShowBlock, to_int, yes_no


class TransformSet(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    transforms: tuple[str, ...]  # ("esp-aes", "esp-sha-hmac")


class CryptoMapEntry(State, kw_only=True):
    """One crypto map entry (``name seq``)."""

    name: str
    seq: int | None = None
    ip_version: str | None = None  # "IPv4" / "IPv6" when printed
    mode: str | None = None  # "ipsec-isakmp", "ipsec-manual", "gdoi" ...
    dynamic: bool = False  # "ipsec-isakmp dynamic D": entry pointing at a dynamic map
    incomplete: bool = False  # "WARNING: This crypto map is in an incomplete state!"
    peers: tuple[str, ...] = ()
    current_peer: str | None = None
    isakmp_profile: str | None = None
    ikev2_profile: str | None = None
    acl: str | None = None  # the match address ACL name
    acl_lines: tuple[str, ...] = ()  # its entries as printed
    lifetime_kb: int | None = None
    lifetime_seconds: int | None = None
    pfs: bool | None = None
    dh_group: str | None = None  # PFS group ("group15")
    responder_only: bool | None = None
    transform_sets: tuple[TransformSet, ...] = ()
    interfaces: tuple[str, ...] = ()


def _transform_set(text: str) -> TransformSet | None:
    """``aes256-sha1:  { esp-aes esp-sha-hmac  } ,``; None otherwise."""
    name, sep, rest = text.partition(":")
    if not sep or "{" not in rest:
        return None
    body = rest.partition("{")[2].partition("}")[0]
    name = name.strip().lstrip("{").strip()
    if not name or " " in name:
        return None
    return TransformSet(name=name, transforms=tuple(body.split()))


class _Block(ShowBlock):
    family = "crypto-map"
    verbs = 3

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.rec: dict | None = None
        self.rec_ev: Line | None = None
        self.rec_lines: dict[str, Line] = {}
        self.in_sets = False
        self.in_acl = False
        self.in_ifaces = False

    def flush(self) -> None:
        rec, ev = self.rec, self.rec_ev
        lines, self.rec_lines = self.rec_lines, {}
        self.rec, self.rec_ev = None, None
        self.in_sets = self.in_acl = self.in_ifaces = False
        if rec is None or ev is None:
            return
        self.rows += 1
        self.emit(CryptoMapEntry(vendor=VENDOR, family="crypto-map", ev=ev,
                                 device=self.ctx.device, lines=lines, **rec))  # fmt: skip

    def _add(self, field: str, value: object) -> None:
        assert self.rec is not None
        self.rec[field] = (*self.rec.get(field, ()), value)

    def line(self, ev: Line, text: str) -> bool:
        low = text.lower()
        if low.startswith("crypto map") and '"' in text and not low.startswith("crypto map:"):
            self.flush()
            self._head(ev, text)
            return True
        if low.startswith("crypto map:"):
            return True  # 'Crypto Map: "vpn" idb: Gi0/0 local address: 1.1.1.1' (a heading)
        rec = self.rec
        if rec is None:
            return False
        if self.in_sets:
            if text.startswith("}"):
                self.in_sets = False
                return True
            ts = _transform_set(text)
            if ts is not None:
                self._add("transform_sets", ts)
                return True
            self.in_sets = False
        if self.in_acl and low.startswith("access-list "):
            self._add("acl_lines", " ".join(text.split()))
            self.rec_lines.setdefault("acl_lines", ev)
            return True
        self.in_acl = False
        if low.startswith("interfaces using crypto map"):
            self.in_ifaces = True
            return True
        key, sep, value = text.partition(":")
        lkey = " ".join(key.split()).lower()
        value = value.strip()
        if low.startswith("warning:") and "incomplete" in low:
            rec["incomplete"] = True
            self.rec_lines["incomplete"] = ev
            return True
        if low.startswith("(missing"):
            return True
        if low.startswith("peer ="):
            self._add("peers", text.partition("=")[2].strip())
            self.rec_lines.setdefault("peers", ev)
            return True
        if low.startswith(("extended ip access list", "extended ipv6 access list",
                           "ipv6 access list", "ip access list")):  # fmt: skip
            rec["acl"] = text.split()[-1]
            self.rec_lines["acl"] = ev
            self.in_acl = True
            return True
        if low.startswith("transform sets="):
            self.in_sets = True
            self.rec_lines["transform_sets"] = ev
            inline = text.partition("{")[2]
            for chunk in inline.split("},"):
                ts = _transform_set(chunk + "}")
                if ts is not None:
                    self._add("transform_sets", ts)
            if inline.rstrip().endswith("}") and inline.count("{") < inline.count("}"):
                self.in_sets = False
            return True
        if sep and lkey in _KEYS:
            field = _KEYS[lkey]
            self.rec_lines[field] = ev
            if field in ("pfs", "responder_only"):
                rec[field] = yes_no(value)
            elif field == "lifetime":
                for part in value.split("/"):
                    words = part.split()
                    if len(words) == 2 and words[1].startswith("kilobyte"):
                        rec["lifetime_kb"] = to_int(words[0])
                    elif len(words) == 2 and words[1].startswith("second"):
                        rec["lifetime_seconds"] = to_int(words[0])
            elif field:
                rec[field] = value or None
            return True
        if low.startswith(("no matching address list", "extended ip access check")):
            return True
        if self.in_ifaces and len(text.split()) == 1:
            self._add("interfaces", text.strip())
            return True
        return False

    def _head(self, ev: Line, text: str) -> None:
        first, _, rest = text.partition('"')
        name, _, tail = rest.partition('"')
        words = tail.split()
        rec: dict = {"name": name}
        head_words = first.split()
        if len(head_words) > 2:
            rec["ip_version"] = head_words[2]
        if words:
            rec["seq"] = to_int(words[0])
        if len(words) > 1:
            rec["mode"] = words[1]
        rec["dynamic"] = "dynamic" in (w.lower() for w in words[2:])
        self.rec, self.rec_ev, self.rec_lines = rec, ev, {"name": ev}


_KEYS = {
    "isakmp profile": "isakmp_profile",
    "ikev2 profile": "ikev2_profile",
    "current peer": "current_peer",
    "security association lifetime": "lifetime",
    "pfs (y/n)": "pfs",
    "dh group": "dh_group",
    "responder-only (y/n)": "responder_only",
    "access-list ss dynamic": "",
    "dualstack (y/n)": "",
    "mixed-mode": "",
}


class CryptoMapParser:
    name = "cisco.show-crypto-map"
    vendor = VENDOR
    priority = 100
    log_like = False
    hints = ("crypto map",)
    commands = (("show", "crypto", "map"),)

    def accepts(self, text: str) -> bool:
        low = text.strip().lower()
        return low.startswith("crypto map") and '"' in low and ("ipsec" in low or "gdoi" in low)

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (CryptoMapParser,)
