"""``display ike proposal [number N]``: the IKE (phase 1) proposals, the default one included.

Record layout (AR and USG; seed 002 cases 3.x/4.1.2, seed 003 cases, seed 001 samples)::

    -------------------------------------------
     IKE Proposal: 10                                  ("IKE Proposal: Default" for the default)
     Authentication Method      : PRE_SHARED
     Authentication Algorithm   : SHA2-256
     Encryption Algorithm       : AES-256
     Diffie-Hellman Group       : MODP-2048
     SA Duration(Seconds)       : 86400
     Integrity Algorithm        : HMAC-SHA2-256
     Prf Algorithm              : HMAC-SHA2-256
    -------------------------------------------

A field may list several algorithms (the default proposal of USG firewalls offers
``AES-256 AES-192 AES-128``), on one line or wrapped onto the following lines; all are kept, in
order.  Older VRP releases print one table row per proposal instead::

    priority authentication authentication encryption Diffie-Hellman duration
             method         algorithm      algorithm  group          (seconds)
    ---------------------------------------------------------------------------
     10      PRE_SHARED     SHA            DES_CBC    MODP_768       5000
     default PRE_SHARED     SHA            DES_CBC    MODP_768       86400

Facts: one ``IkeProposal`` per proposal and one ``IkeProposalList`` per output.
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_digits, to_int
from .kv_block import (
    KV,
    ConfigListing,
    Converter,
    Item,
    RecordBlock,
    build,
    classify,
    first_int,
    looks_like_algorithms,
    text_or_none,
    words,
)


class IkeProposal(State, kw_only=True):
    """One IKE proposal; algorithm fields are tuples (several may be offered), as printed."""

    number: int | None = None  # None for the default proposal (or when not printed)
    is_default: bool = False
    authentication_method: str | None = None  # "PRE_SHARED", "RSA_SIG", "DIGITAL_ENVELOPE"...
    authentication_algorithms: tuple[str, ...] = ()
    encryption_algorithms: tuple[str, ...] = ()
    key_length: int | None = None  # printed, or read from the first encryption algorithm
    dh_groups: tuple[str, ...] = ()
    duration: int | None = None  # IKE SA lifetime, seconds
    integrity_algorithms: tuple[str, ...] = ()  # IKEv2
    prf_algorithms: tuple[str, ...] = ()  # IKEv2
    elided: bool = False
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def authentication_algorithm(self) -> str | None:
        return self.authentication_algorithms[0] if self.authentication_algorithms else None

    @property
    def encryption_algorithm(self) -> str | None:
        return self.encryption_algorithms[0] if self.encryption_algorithms else None

    @property
    def dh_group(self) -> str | None:
        return self.dh_groups[0] if self.dh_groups else None


class IkeProposalList(ConfigListing, kw_only=True):
    """The whole ``display ike proposal`` output (``records`` = proposals read)."""


def key_length_of(algorithm: str | None) -> int | None:
    """``AES-256``/``AES-CBC-256``/``aes_256`` -> 256; None for DES/3DES or no length."""
    if not algorithm:
        return None
    parts = algorithm.replace("_", "-").split("-")
    if not parts[0].upper().startswith(("AES", "SM4", "CAMELLIA")):
        return None
    for p in parts[1:]:
        if is_digits(p) and len(p) <= 4:
            return int(p)
    return None


def _number(value: str) -> int | None:
    return first_int(value)


FIELDS: dict[str, tuple[str, Converter]] = {
    "ikeproposal": ("number", _number),
    "proposal": ("number", _number),
    "proposalnumber": ("number", _number),
    "ikeproposalnumber": ("number", _number),
    "authenticationmethod": ("authentication_method", text_or_none),
    "authenticationalgorithm": ("authentication_algorithms", words),
    "encryptionalgorithm": ("encryption_algorithms", words),
    "keylength": ("key_length", first_int),
    "diffiehellmangroup": ("dh_groups", words),
    "dhgroup": ("dh_groups", words),
    "saduration": ("duration", first_int),
    "salifetime": ("duration", first_int),
    "duration": ("duration", first_int),
    "integrityalgorithm": ("integrity_algorithms", words),
    "prfalgorithm": ("prf_algorithms", words),
}
_START = frozenset({"ikeproposal", "proposal", "proposalnumber", "ikeproposalnumber"})
_LISTS = frozenset(
    {
        "authenticationalgorithm",
        "encryptionalgorithm",
        "diffiehellmangroup",
        "dhgroup",
        "integrityalgorithm",
        "prfalgorithm",
    }
)


def parse_table_row(tokens: list[str]) -> dict | None:
    """``10 PRE_SHARED SHA DES_CBC MODP_768 5000`` (older releases' table layout)."""
    if len(tokens) < 6 or len(tokens) > 8 or to_int(tokens[-1]) is None:
        return None
    first = tokens[0].lower()
    if not (is_digits(first) or first == "default"):
        return None
    return {
        "number": to_int(first),
        "is_default": first == "default",
        "authentication_method": tokens[1],
        "authentication_algorithms": (tokens[2],),
        "encryption_algorithms": (" ".join(tokens[3:-2]),),
        "dh_groups": (tokens[-2],),
        "duration": int(tokens[-1]),
    }


class _Block(RecordBlock):
    start_keys = _START
    fields = FIELDS
    listing_cls = IkeProposalList
    listing_family = "ike-proposal-list"
    total_keys = frozenset({"numberofikeproposals", "numberofproposals", "totalikeproposals"})
    filter_words = ("number",)

    def __init__(self, ctx: Context, commands: tuple[tuple[str, ...], ...]) -> None:
        super().__init__(ctx, commands)
        self.table = False  # the older table layout

    def flush(self) -> None:
        rec, self.rec = self.rec, None
        if rec is None or not rec.values:
            return
        kwargs, lines, extra = build(rec, FIELDS)
        start = next((k for k in rec.order if k in _START), None)
        is_default = start is not None and (rec.values[start].strip().lower() == "default")
        if kwargs.get("key_length") is None:
            enc = kwargs.get("encryption_algorithms") or ()
            kl = key_length_of(enc[0]) if enc else None  # type: ignore[index]
            if kl is not None:
                kwargs["key_length"] = kl
                lines["key_length"] = lines["encryption_algorithms"]
        self._emit(rec.ev, lines, kwargs, is_default=is_default, elided=rec.elided, extra=extra)

    def _emit(self, ev: Line, lines: dict[str, Line], kwargs: dict, **more: object) -> None:
        self.emit_record(
            IkeProposal(
                vendor="huawei",
                family="ike-proposal",
                ev=ev,
                device=self.ctx.device,
                lines=lines,
                **kwargs,
                **more,  # type: ignore[arg-type]
            )
        )

    def on_text(self, item: Item, ev: Line) -> bool:
        rec = self.rec
        # an algorithm list wrapped onto the next line(s)
        if rec is not None and rec.last in _LISTS and looks_like_algorithms(item.text):
            rec.extend(item.text)
            return True
        low = item.text.lower()
        if low.startswith("priority") and "authentication" in low:
            self.flush()
            self.table = True
            return True
        if not self.table:
            return False
        tokens = item.text.split()
        row = parse_table_row(tokens)
        if row is not None:
            kl = key_length_of(row["encryption_algorithms"][0])
            self._emit(ev, {k: ev for k in row if k != "is_default"}, row, key_length=kl)
            return True
        # the second header line: "method algorithm algorithm group (seconds)"
        return all(t.strip("()").isalpha() and t.islower() for t in tokens)


class IkeProposalParser:
    name = "huawei.display-ike-proposal"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "ike", "proposal"),)

    def accepts(self, text: str) -> bool:
        low = text.lstrip()[:24].lower()
        if not low.startswith(("ike proposal", "number of ike proposal")):
            return False
        item = classify(text[:256])
        return item.kind == KV and item.key in ("ikeproposal", "numberofikeproposals")

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx, self.commands)


PARSERS = (IkeProposalParser,)
