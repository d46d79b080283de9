"""``display ipsec interface brief``: which IPsec policy (or profile) each interface applies.

Output shape (AR and USG; seed 002 case 3.2.3, seed 003 cases, seed 001 sample), one record per
interface between dashed rules::

    ------------------------------------------------
      IPSec policy        : policy1
      Using interface     : GigabitEthernet1/0/0
      IPSec policy number : 10
      IPSec policy Type : policy
    ------------------------------------------------

Facts: one ``IpsecInterface`` per record and one ``IpsecInterfaceList`` per output.  A list
with ``records == 0`` says that no interface applies any IPsec policy (the fault tree's "IPsec
policy not applied to the interface").
"""

from __future__ import annotations

from ...model import State
from ..base import Context
from .kv_block import (
    KV,
    ConfigListing,
    Converter,
    RecordBlock,
    build,
    classify,
    first_int,
    lower_or_none,
    text_or_none,
)


class IpsecInterface(State, kw_only=True):
    """One interface and the IPsec policy group (or profile) applied to it."""

    policy: str | None = None
    interface: str | None = None
    number: int | None = None  # "IPSec policy number" as printed
    type: str | None = None  # "policy", "profile", ... (lower case)
    elided: bool = False
    extra: tuple[tuple[str, str], ...] = ()


class IpsecInterfaceList(ConfigListing, kw_only=True):
    """The whole output (``records`` = interfaces with a policy)."""


FIELDS: dict[str, tuple[str, Converter]] = {
    "ipsecpolicy": ("policy", text_or_none),
    "ipsecpolicyname": ("policy", text_or_none),
    "ipsecprofile": ("policy", text_or_none),
    "policy": ("policy", text_or_none),
    "usinginterface": ("interface", text_or_none),
    "interface": ("interface", text_or_none),
    "ipsecpolicynumber": ("number", first_int),
    "policynumber": ("number", first_int),
    "ipsecpolicytype": ("type", lower_or_none),
    "policytype": ("type", lower_or_none),
    "type": ("type", lower_or_none),
}
_START = frozenset({"ipsecpolicy", "ipsecpolicyname", "ipsecprofile", "policy"})


class _Block(RecordBlock):
    start_keys = _START
    fields = FIELDS
    listing_cls = IpsecInterfaceList
    listing_family = "ipsec-interface-list"
    total_keys = frozenset({"numberofipsecinterfaces", "numberofinterfaces"})
    filter_words = ()

    def flush(self) -> None:
        rec, self.rec = self.rec, None
        if rec is None or not rec.values:
            return
        kwargs, lines, extra = build(rec, FIELDS)
        if "ipsecprofile" in rec.values and kwargs.get("type") is None:
            kwargs["type"] = "profile"
        self.emit_record(
            IpsecInterface(
                vendor="huawei",
                family="ipsec-interface",
                ev=rec.ev,
                device=self.ctx.device,
                lines=lines,
                elided=rec.elided,
                extra=extra,
                **kwargs,  # type: ignore[arg-type]
            )
        )


class IpsecInterfaceParser:
    name = "huawei.display-ipsec-interface"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "ipsec", "interface"),)

    def accepts(self, text: str) -> bool:
        low = text.lstrip()[:16].lower()
        if not low.startswith("ipsec policy"):
            return False
        item = classify(text[:256])
        return item.kind == KV and item.key == "ipsecpolicy"

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx, self.commands)


PARSERS = (IpsecInterfaceParser,)
