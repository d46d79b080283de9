"""``show crypto isakmp policy`` on IOS / IOS-XE.

Shape (indentation, tabs and blank lines between the fields vary)::

    Global IKE policy
    Protection suite of priority 10
            encryption algorithm:   AES - Advanced Encryption Standard (128 bit keys).
            hash algorithm:         Secure Hash Standard
            authentication method:  Pre-Shared Key
            Diffie-Hellman group:   #2 (1024 bit)
            lifetime:               86400 seconds, no volume limit
    Default protection suite                          ("... of priority 65507" on some releases)
            encryption algorithm:   DES - Data Encryption Standard (56 bit keys).
            hash algorithm:         Secure Hash Standard
            authentication method:  Rivest-Shamir-Adleman Signature
            Diffie-Hellman group:   #1 (768 bit)
            lifetime:               86400 seconds, no volume limit

Facts: one ``IsakmpPolicy`` per protection suite (the default suite has ``default`` True and
priority 65535 unless printed) and one ``ShowTable`` (family ``isakmp-policy-table``) per
output.  Each algorithm is kept as printed (``*_text``) and in the short configuration words
(``aes``/``3des``/``des``, ``sha``/``sha256``/``md5``, ``pre-share``/``rsa-sig``/``rsa-encr``).
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from .isakmp_sa import VENDOR, ShowBlock, to_int

DEFAULT_PRIORITY = 65535


class IsakmpPolicy(State, kw_only=True):
    """One ISAKMP (IKEv1) protection suite."""

    priority: int
    default: bool = False
    encryption: str | None = None  # "aes", "3des", "des"
    key_bits: int | None = None  # 128 / 192 / 256 / 56 / 168
    hash: str | None = None  # "sha", "sha256", "sha384", "sha512", "md5"
    auth: str | None = None  # "pre-share", "rsa-sig", "rsa-encr"
    dh_group: int | None = None
    lifetime: int | None = None  # seconds
    volume_limit: int | None = None  # kilobytes; None = "no volume limit"
    encryption_text: str | None = None
    hash_text: str | None = None
    auth_text: str | None = None


def _encryption(value: str) -> tuple[str | None, int | None]:
    low = value.lower()
    bits = None
    if "(" in value:
        inner = value.partition("(")[2].split()
        bits = to_int(inner[0]) if inner else None
    if low.startswith("aes"):
        return "aes", bits
    if low.startswith(("three key triple des", "3des", "triple")):
        return "3des", bits or 168
    if low.startswith("des"):
        return "des", bits
    return low.split(" - ", 1)[0].strip() or None, bits


def _hash(value: str) -> str | None:
    low = value.lower()
    if "message digest" in low or low.startswith("md5"):
        return "md5"
    if "secure hash standard" in low or low.startswith("sha"):
        if "(" in value:
            bits = to_int(value.partition("(")[2].split()[0])
            if bits and bits != 160:
                return f"sha{bits}"
        return "sha"
    return low or None


def _auth(value: str) -> str | None:
    low = value.lower()
    if "pre-shared" in low:
        return "pre-share"
    if "signature" in low:
        return "rsa-sig"
    if "encryption" in low:
        return "rsa-encr"
    return low or None


class _Block(ShowBlock):
    family = "isakmp-policy"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.rec: dict | None = None
        self.rec_ev: Line | None = None
        self.rec_lines: dict[str, Line] = {}

    def flush(self) -> None:
        rec, ev = self.rec, self.rec_ev
        lines, self.rec_lines = self.rec_lines, {}
        self.rec, self.rec_ev = None, None
        if rec is None or ev is None:
            return
        self.rows += 1
        self.emit(IsakmpPolicy(vendor=VENDOR, family="isakmp-policy", ev=ev,
                               device=self.ctx.device, lines=lines, **rec))  # fmt: skip

    def line(self, ev: Line, text: str) -> bool:
        low = text.lower()
        if low.startswith("global ike policy"):
            return True
        if low.startswith(("protection suite", "default protection suite")):
            self.flush()
            default = low.startswith("default")
            words = low.split()
            prio = to_int(words[-1]) if "priority" in words else None
            self.rec = {"priority": prio if prio is not None else DEFAULT_PRIORITY,
                        "default": default}  # fmt: skip
            self.rec_ev, self.rec_lines = ev, {"priority": ev}
            return True
        rec = self.rec
        if rec is None:
            return False
        key, sep, value = text.partition(":")
        key = " ".join(key.split()).lower()
        value = " ".join(value.split())
        if not sep:
            return False
        if key == "encryption algorithm":
            rec["encryption"], rec["key_bits"] = _encryption(value)
            rec["encryption_text"] = value or None
        elif key == "hash algorithm":
            rec["hash"], rec["hash_text"] = _hash(value), value or None
        elif key == "authentication method":
            rec["auth"], rec["auth_text"] = _auth(value), value or None
        elif key == "diffie-hellman group":
            rec["dh_group"] = to_int(value.lstrip("#").split()[0]) if value else None
        elif key == "lifetime":
            words = value.replace(",", " ").split()
            rec["lifetime"] = to_int(words[0]) if words else None
            if "kilobytes" in words:
                rec["volume_limit"] = to_int(words[words.index("kilobytes") - 1])
        else:
            return False
        self.rec_lines[_LINE_KEYS[key]] = ev
        return True


_LINE_KEYS = {
    "encryption algorithm": "encryption",
    "hash algorithm": "hash",
    "authentication method": "auth",
    "diffie-hellman group": "dh_group",
    "lifetime": "lifetime",
}


class IsakmpPolicyParser:
    name = "cisco.show-crypto-isakmp-policy"
    vendor = VENDOR
    priority = 100
    log_like = False
    hints = ("ike policy", "protection suite")
    commands = (("show", "crypto", "isakmp", "policy"),)

    def accepts(self, text: str) -> bool:
        low = text.strip().lower()
        return low.startswith(("global ike policy", "protection suite of priority",
                               "default protection suite"))  # fmt: skip

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (IsakmpPolicyParser,)
