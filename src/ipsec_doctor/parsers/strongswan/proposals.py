"""Proposal lists as charon prints them, and what differs between received and configured ones.

``IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048, IKE:AES_GCM_16_256/...`` and
``ESP:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ`` (``received proposals:``,
``configured proposals:``).  ``compare`` finds the received/configured pair that differs in the
fewest transform classes and says which classes those are, as a detail sentence the knowledge
base knows (``IKE proposal differs in DH group (received ECP_256, configured MODP_2048)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PROPOSALS = 32
CLASSES = ("protocol", "encryption", "integrity", "PRF", "DH group", "ESN")
_DH_PREFIXES = (
    "MODP_",
    "ECP_",
    "CURVE_",
    "BRAINPOOL",
    "X25519",
    "X448",
    "ML_KEM",
    "NTRU",
    "NEWHOPE",
)
_INTEG = frozenset({"AES_XCBC_96", "AES_CMAC_96", "AES_128_GMAC", "AES_192_GMAC", "AES_256_GMAC"})


@dataclass
class Proposal:
    protocol: str  # IKE, ESP, AH
    parts: dict[str, set[str]] = field(default_factory=dict)


def _class(t: str) -> str:
    if t.startswith("PRF_"):
        return "PRF"
    if t.startswith("HMAC_") or t in _INTEG or t.startswith("AES_XCBC") or t.startswith("UNDEF"):
        return "integrity"
    if t.startswith(_DH_PREFIXES) or t.startswith("KE"):
        return "DH group"
    if t in ("NO_EXT_SEQ", "EXT_SEQ"):
        return "ESN"
    return "encryption"


def parse_list(text: str) -> list[Proposal]:
    """``IKE:A/B/C, IKE:D/E`` -> proposals (at most ``MAX_PROPOSALS``)."""
    out: list[Proposal] = []
    for item in text.split(",")[:MAX_PROPOSALS]:
        proto, sep, rest = item.strip().partition(":")
        if not sep or not proto.isalpha():
            continue
        p = Proposal(proto.upper())
        for t in rest.strip().split("/")[:32]:
            t = t.strip()
            if t:
                p.parts.setdefault(_class(t), set()).add(t)
        out.append(p)
    return out


def _diff(r: Proposal, c: Proposal, ignore: set[str]) -> list[str]:
    if r.protocol != c.protocol:
        return ["protocol"]
    out = []
    for cls in CLASSES[1:]:
        if cls in ignore:
            continue
        a, b = r.parts.get(cls, set()), c.parts.get(cls, set())
        if not a and not b:
            continue
        if not (a & b):
            out.append(cls)
    return out


def _values(ps: list[Proposal], cls: str) -> str:
    if cls == "protocol":
        vals = sorted({p.protocol for p in ps})
    else:
        vals = sorted({v for p in ps for v in p.parts.get(cls, set())})
    return "/".join(vals[:4]) or "none"


def compare(
    received: list[Proposal], configured: list[Proposal], child_in_auth: bool
) -> str | None:
    """The detail sentence for a refused proposal, or None when nothing can be said.

    ``child_in_auth``: a Child SA proposal of IKE_AUTH, whose DH group is not negotiated (PFS
    only applies at rekeying), so DH differences are ignored.
    """
    if not received or not configured:
        return None
    best: list[str] | None = None
    for r in received:
        for c in configured:
            ignore = {"ESN"} if r.protocol == "IKE" else set()
            if child_in_auth:
                ignore.add("DH group")
            d = _diff(r, c, ignore)
            if d and (best is None or len(d) < len(best)):
                best = d
    if not best:
        return None
    proto = "IKE" if received[0].protocol == "IKE" else "child"
    if best == ["protocol"]:
        return (
            f"child proposal differs in protocol (received {_values(received, 'protocol')}, "
            f"configured {_values(configured, 'protocol')})"
        )
    what = " and ".join(best)
    first = best[0]
    if proto == "child" and best == ["DH group"]:
        what = "DH group (PFS)"
    return (
        f"{proto} proposal differs in {what} (received {_values(received, first)}, "
        f"configured {_values(configured, first)})"
    )


# "no acceptable DIFFIE_HELLMAN_GROUP found" (charon 5.9, cfg level 2) -> class
TRANSFORM_TYPES = {
    "ENCRYPTION_ALGORITHM": "encryption",
    "INTEGRITY_ALGORITHM": "integrity",
    "PSEUDO_RANDOM_FUNCTION": "PRF",
    "DIFFIE_HELLMAN_GROUP": "DH group",
    "KEY_EXCHANGE_METHOD": "DH group",
    "EXTENDED_SEQUENCE_NUMBERS": "ESN",
}
