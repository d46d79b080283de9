"""``display ipsec proposal [name X]``: the IPsec (phase 2) proposals, one record each.

Record layout (AR and USG; seed 002 cases 3.x and 4.x, seed 003 cases, seed 001 samples)::

    Number of proposals: 1

    IPSec proposal name: p1
     Encapsulation mode: Tunnel
     Transform         : ah-esp-new
     AH protocol       : Authentication SHA2-HMAC-256
     ESP protocol      : Authentication SHA2-HMAC-256
                         Encryption AES-256              (the ESP value continues here)

The ESP value may also sit on one line (``Authentication SHA2-HMAC-256 Encryption AES-256``),
list several algorithms after a word, carry only one of the two words, or separate its parts
with commas (``authentication sha2-256, encryption aes-256``).  Records follow each other
without rules; a new ``IPSec proposal name`` starts the next one.

Facts: one ``IpsecProposal`` per proposal and one ``IpsecProposalList`` per output.
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from .kv_block import (
    KV,
    ConfigListing,
    Converter,
    Item,
    RecordBlock,
    build,
    classify,
    looks_like_algorithms,
    lower_or_none,
    text_or_none,
    words,
)


class IpsecProposal(State, kw_only=True):
    """One IPsec proposal; algorithm lists as printed, in order."""

    name: str | None = None
    encapsulation_mode: str | None = None  # "tunnel" / "transport" / "auto"
    transform: str | None = None  # "esp-new", "ah-new", "ah-esp-new", "esp", ...
    esp_authentication: tuple[str, ...] = ()
    esp_encryption: tuple[str, ...] = ()
    ah_authentication: tuple[str, ...] = ()
    elided: bool = False
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def uses_ah(self) -> bool:
        return self.transform is not None and "ah" in self.transform.split("-")

    @property
    def uses_esp(self) -> bool:
        return self.transform is not None and "esp" in self.transform.split("-")


class IpsecProposalList(ConfigListing, kw_only=True):
    """The whole ``display ipsec proposal`` output (``records`` = proposals read)."""


def split_protocol(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``Authentication A [B] Encryption C [D]`` -> ((A, B), (C, D)); words before any keyword
    count as authentication (the AH value)."""
    auth: list[str] = []
    enc: list[str] = []
    current = auth
    for tok in value.replace(",", " ").split():
        low = tok.lower().rstrip(":")
        if low in ("authentication", "authentication-algorithm", "auth"):
            current = auth
        elif low in ("encryption", "encryption-algorithm", "encrypt"):
            current = enc
        elif low not in ("-", "--", "none", "null"):
            current.append(tok)
    return tuple(auth), tuple(enc)


FIELDS: dict[str, tuple[str, Converter]] = {
    "ipsecproposalname": ("name", text_or_none),
    "ipsecurityproposalname": ("name", text_or_none),
    "proposalname": ("name", text_or_none),
    "ipsecproposal": ("name", text_or_none),
    "encapsulationmode": ("encapsulation_mode", lower_or_none),
    "transform": ("transform", lower_or_none),
    "securityprotocol": ("transform", lower_or_none),
    "espprotocol": ("_esp", str),
    "ahprotocol": ("_ah", str),
    "espauthenticationalgorithm": ("esp_authentication", words),
    "espauthentication": ("esp_authentication", words),
    "espencryptionalgorithm": ("esp_encryption", words),
    "espencryption": ("esp_encryption", words),
    "ahauthenticationalgorithm": ("ah_authentication", words),
    "ahauthentication": ("ah_authentication", words),
}
_START = frozenset({"ipsecproposalname", "ipsecurityproposalname", "proposalname", "ipsecproposal"})
_PROTOCOLS = frozenset({"espprotocol", "ahprotocol"})
_LISTS = frozenset(
    {
        "espauthenticationalgorithm",
        "espauthentication",
        "espencryptionalgorithm",
        "espencryption",
        "ahauthenticationalgorithm",
        "ahauthentication",
    }
)


class _Block(RecordBlock):
    start_keys = _START
    fields = FIELDS
    listing_cls = IpsecProposalList
    listing_family = "ipsec-proposal-list"
    total_keys = frozenset(
        {"numberofproposals", "numberofipsecproposals", "totalipsecurityproposalnumber"}
    )
    filter_words = ("name",)

    def flush(self) -> None:
        rec, self.rec = self.rec, None
        if rec is None or not rec.values:
            return
        kwargs, lines, extra = build(rec, FIELDS)
        esp = kwargs.pop("_esp", None)
        if isinstance(esp, str):
            auth, enc = split_protocol(esp)
            esp_line = lines.pop("_esp")
            if auth and not kwargs.get("esp_authentication"):
                kwargs["esp_authentication"], lines["esp_authentication"] = auth, esp_line
            if enc and not kwargs.get("esp_encryption"):
                kwargs["esp_encryption"], lines["esp_encryption"] = enc, esp_line
        ah = kwargs.pop("_ah", None)
        if isinstance(ah, str):
            ah_line = lines.pop("_ah")
            auth, _ = split_protocol(ah)
            if auth and not kwargs.get("ah_authentication"):
                kwargs["ah_authentication"], lines["ah_authentication"] = auth, ah_line
        self.emit_record(
            IpsecProposal(
                vendor="huawei",
                family="ipsec-proposal",
                ev=rec.ev,
                device=self.ctx.device,
                lines=lines,
                elided=rec.elided,
                extra=extra,
                **kwargs,  # type: ignore[arg-type]
            )
        )

    def on_text(self, item: Item, ev: Line) -> bool:
        rec = self.rec
        if rec is None or rec.last is None:
            return False
        first = item.text.split()[0].lower()
        if rec.last in _PROTOCOLS and (
            first in ("authentication", "encryption") or looks_like_algorithms(item.text)
        ):
            rec.extend(item.text)
            return True
        if rec.last in _LISTS and looks_like_algorithms(item.text):
            rec.extend(item.text)
            return True
        return False


class IpsecProposalParser:
    name = "huawei.display-ipsec-proposal"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "ipsec", "proposal"),)

    def accepts(self, text: str) -> bool:
        low = text.lstrip()[:32].lower()
        if not low.startswith(("ipsec proposal name", "ip security proposal name")):
            return False
        item = classify(text[:256])
        return item.kind == KV and item.key in _START

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx, self.commands)


PARSERS = (IpsecProposalParser,)
