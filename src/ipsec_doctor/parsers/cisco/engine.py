"""``show crypto engine connections active`` on IOS / IOS-XE.

Column sets seen (rows are read by the header's columns; an empty trailing IP-Address column
is allowed)::

      ID Interface            IP-Address      State  Algorithm           Encrypt  Decrypt
       1 FastEthernet0/0      10.1.0.1        set    HMAC_MD5+DES_56_CB        0        0
                                                                          (IOS 12.x)
    Crypto Engine Connections

       ID  Type    Algorithm           Encrypt  Decrypt LastSeqN IP-Address
        1  IPsec   3DES+MD5                  0      100        0 172.16.0.0
     1002  IKE     SHA+AES256                0        0        0          (IOS 15 / XE)

     ID  Interface  Type   Algorithm   Encrypt Decrypt IP-Address
      1  Se1/0.10   IPsec  AES+SHA        0       9    100.100.100.1     (with Interface)

Each IPsec SA is one connection and counts one direction only (an outbound SA encrypts, an
inbound one decrypts); IKE rows are the phase 1 SAs.

Facts: one ``EngineConnection`` per row; one ``ShowTable`` (family ``engine-table``) per output
(rows = connections; a table without any ``IPsec`` row means no IPsec SA is installed).
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_digits
from .isakmp_sa import VENDOR, ShowBlock, is_addr, to_int

_COLUMNS = {
    "id": "conn_id",
    "interface": "interface",
    "ip-address": "ip",
    "state": "state",
    "algorithm": "algorithm",
    "type": "type",
    "encrypt": "encrypt",
    "decrypt": "decrypt",
    "lastseqn": "last_seq",
}
_INTS = frozenset({"conn_id", "encrypt", "decrypt", "last_seq"})


class EngineConnection(State, kw_only=True):
    """One crypto engine connection (one SA in the crypto engine)."""

    conn_id: int
    type: str | None = None  # "IPsec" / "IKE" (newer releases)
    interface: str | None = None
    ip: str | None = None
    state: str | None = None  # "set" (older releases)
    algorithm: str | None = None  # "AES+SHA", "HMAC_MD5+DES_56_CB"
    encrypt: int | None = None
    decrypt: int | None = None
    last_seq: int | None = None

    @property
    def ipsec(self) -> bool:
        """An IPsec SA (newer releases say so; older ones list only IPsec SAs with an
        interface and an HMAC algorithm)."""
        if self.type is not None:
            return self.type.lower() == "ipsec"
        return self.algorithm is not None and "HMAC" in self.algorithm.upper()


class _Block(ShowBlock):
    family = "engine"
    verbs = 5

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.columns: tuple[str, ...] = ()

    def line(self, ev: Line, text: str) -> bool:
        low = text.lower()
        if low.startswith("crypto engine connections"):
            return True
        words = text.split()
        if words[0].lower() == "id" and len(words) >= 4:
            cols = tuple(_COLUMNS.get(w.lower(), "") for w in words)
            if "encrypt" in cols:
                self.columns = cols
                return True
        if not self.columns or not is_digits(words[0]):
            return False
        cols = self.columns
        if len(words) == len(cols) - 1 and cols[-1] == "ip":
            cols = cols[:-1]  # IKE rows without an address
        if len(words) != len(cols):
            return False
        rec: dict = {}
        for col, word in zip(cols, words, strict=True):
            if not col:
                continue
            if col in _INTS:
                n = to_int(word)
                if n is None:
                    return False
                rec[col] = n
            elif col == "ip" and not is_addr(word):
                return False
            else:
                rec[col] = word
        self.rows += 1
        self.emit(EngineConnection(vendor=VENDOR, family="engine-connection", ev=ev,
                                   device=self.ctx.device, **rec))  # fmt: skip
        return True


class EngineParser:
    name = "cisco.show-crypto-engine-connections-active"
    vendor = VENDOR
    priority = 100
    log_like = False
    hints = ("crypto engine connections",)
    commands = (("show", "crypto", "engine", "connections", "active"),)

    def accepts(self, text: str) -> bool:
        return text.strip().lower().startswith("crypto engine connections")

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (EngineParser,)
