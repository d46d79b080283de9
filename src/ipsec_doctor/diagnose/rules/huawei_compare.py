"""Rules that compare what two ends use (AR guide 3.3/3.4, cases 4.1.2; USG proposal cases):
the evidence names the attribute that differs and both values, each with its line.

* the local ``display ike proposal`` against the transform the peer offered (``debugging ike``
  attribute lines): ``encryption: local AES-128, offered AES-256``;
* two devices' ``display ike proposal``: no proposal in common;
* two devices' ``display ipsec proposal``: transform, algorithms or encapsulation mode differ;
* two devices' ``display ipsec policy``: PFS on one end only or different groups;
* two devices' security ACLs (``display ipsec policy`` + ``display acl``): not mirror images.

Two devices are taken as the two ends when exactly two devices carry the compared facts.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator

from ...model import Line, Signal
from ...parsers.huawei.acl import Acl
from ...parsers.huawei.ike_proposal import IkeProposal
from ...parsers.huawei.ipsec_policy import IpsecPolicy
from ...parsers.huawei.ipsec_proposal import IpsecProposal
from . import Position, World, derived

_ALIASES = {
    "SHA": "SHA1",
    "HMAC-SHA1-96": "SHA1",
    "SHA2-HMAC-256": "SHA2-256",
    "SHA2-HMAC-384": "SHA2-384",
    "SHA2-HMAC-512": "SHA2-512",
    "HMAC-SHA2-256": "SHA2-256",
    "MD5-HMAC-96": "MD5",
    "SHA1-HMAC-96": "SHA1",
    "PRE-SHARED": "PRE-SHARED",
    "PRE-SHARE": "PRE-SHARED",
    "MODP-768": "GROUP1",
    "MODP-1024": "GROUP2",
    "MODP-1536": "GROUP5",
    "MODP-2048": "GROUP14",
    "MODP-3072": "GROUP15",
    "MODP-4096": "GROUP16",
    "ECP-256": "GROUP19",
    "ECP-384": "GROUP20",
    "ECP-521": "GROUP21",
}


def norm(value: str | None) -> str | None:
    """One spelling per algorithm: ``AES_CBC``+256 and ``AES-256``; ``MODP_2048`` and
    ``group14``; ``SHA2-HMAC-256`` and ``SHA2-256``."""
    if not value:
        return None
    v = value.strip().upper().replace("_", "-").replace(" ", "")
    if v.startswith("DH-GROUP") or v.startswith("DH"):
        v = "GROUP" + v.lstrip("DH-").replace("GROUP", "")
    v = v.removesuffix("-CBC")
    return _ALIASES.get(v, v)


def _offered(detail: str) -> dict[str, str]:
    """``ENCRYPTION_ALGORITHM=AES_CBC, KEY_LENGTH=256, ...`` -> attribute -> normalised value."""
    raw: dict[str, str] = {}
    for part in detail.split(","):
        k, sep, v = part.strip().partition("=")
        if sep:
            raw[k.strip().upper()] = v.strip()
    out: dict[str, str] = {}
    enc = raw.get("ENCRYPTION_ALGORITHM")
    if enc:
        e = norm(enc) or ""
        if raw.get("KEY_LENGTH", "").isdigit() and e in ("AES", "SM4", "CAMELLIA"):
            e = f"{e}-{raw['KEY_LENGTH']}"
        out["encryption"] = e
    if raw.get("HASH_ALGORITHM"):
        out["authentication"] = norm(raw["HASH_ALGORITHM"]) or ""
    if raw.get("AUTHENTICATION_METHOD"):
        out["method"] = norm(raw["AUTHENTICATION_METHOD"]) or ""
    if raw.get("GROUP_DESCRIPTION"):
        out["dh"] = norm(raw["GROUP_DESCRIPTION"]) or ""
    return out


def _local(p: IkeProposal) -> dict[str, tuple[set[str], str]]:
    """attribute -> (accepted normalised values, field name for the evidence line)."""
    out: dict[str, tuple[set[str], str]] = {}

    def put(attr: str, values: Iterable[str], field: str) -> None:
        vals = {x for x in (norm(v) for v in values) if x}
        if vals:
            out[attr] = (vals, field)

    put("encryption", p.encryption_algorithms, "encryption_algorithms")
    put("authentication", p.authentication_algorithms, "authentication_algorithms")
    put("dh", p.dh_groups, "dh_groups")
    if p.authentication_method:
        put("method", [p.authentication_method], "authentication_method")
    return out


def _diff(offer: dict[str, str], p: IkeProposal) -> list[tuple[str, str, str]]:
    """(attribute, local values, offered value) for every attribute the proposal rejects."""
    loc = _local(p)
    out = []
    for attr, value in offer.items():
        if attr in loc and value not in loc[attr][0]:
            out.append((attr, "/".join(sorted(loc[attr][0])), value))
    return out


def offered_ike_proposal(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        locals_ = world.states(IkeProposal, device)
        if not locals_:
            continue
        for peer, tallies in world.tallies(device).items():
            for t in tallies.values():
                if t.reason != "proposal attribute":
                    continue
                for detail in t.details:
                    offer = _offered(detail)
                    if not offer:
                        continue
                    diffs = [(p, _diff(offer, p)) for p in locals_]
                    if any(not d for _, d in diffs):
                        continue  # some local proposal accepts it
                    p, d = min(diffs, key=lambda x: len(x[1]))
                    field = _local(p)[d[0][0]][1]
                    text = "; ".join(f"{a}: local {lv}, offered {ov}" for a, lv, ov in d)
                    yield derived(
                        "offered ike proposal differs",
                        p.line_of(field),
                        t.lines()[0],
                        device=device,
                        peer=peer,
                        detail=text,
                    )
                    yield Position(device, "ike-sa", peer, p.line_of(field), "proposal")


def _pair(world: World, cls: type) -> tuple[str | None, str | None] | None:
    ends = [d for d in world.devices() if world.states(cls, d)]
    return (ends[0], ends[1]) if len(ends) == 2 else None


def _ike_key(p: IkeProposal) -> dict[str, set[str]]:
    return {a: v for a, (v, _) in _local(p).items()}


def two_ends_ike_proposals(world: World) -> Iterator[Signal | Position]:
    pair = _pair(world, IkeProposal)
    if pair is None:
        return
    a, b = pair
    pa, pb = world.states(IkeProposal, a), world.states(IkeProposal, b)
    best: tuple[int, IkeProposal, IkeProposal, list[str]] | None = None
    for x in pa:
        kx = _ike_key(x)
        for y in pb:
            ky = _ike_key(y)
            bad = [k for k in kx.keys() & ky.keys() if not kx[k] & ky[k]]
            if not bad:
                return  # a common proposal exists
            if best is None or len(bad) < best[0]:
                best = (len(bad), x, y, bad)
    if best is None:
        return
    _, x, y, bad = best
    lx, ly = _local(x), _local(y)
    text = "; ".join(
        f"{k}: {a} {'/'.join(sorted(lx[k][0]))}, {b} {'/'.join(sorted(ly[k][0]))}" for k in bad
    )
    yield derived(
        "ike proposals differ",
        x.line_of(lx[bad[0]][1]),
        y.line_of(ly[bad[0]][1]),
        device=a,
        detail=text,
    )
    yield Position(a, "ike-sa", None, x.line_of(lx[bad[0]][1]), "proposal")


def _ipsec_key(p: IpsecProposal) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    if p.transform:
        out["transform"] = ((p.transform or "").lower().replace("-new", ""), "transform")
    if p.esp_encryption:
        out["esp encryption"] = (
            "/".join(sorted(norm(v) or "" for v in p.esp_encryption)),
            "esp_encryption",
        )
    if p.esp_authentication:
        out["esp authentication"] = (
            "/".join(sorted(norm(v) or "" for v in p.esp_authentication)),
            "esp_authentication",
        )
    if p.ah_authentication:
        out["ah authentication"] = (
            "/".join(sorted(norm(v) or "" for v in p.ah_authentication)),
            "ah_authentication",
        )
    if p.encapsulation_mode:
        out["encapsulation mode"] = (p.encapsulation_mode.lower(), "encapsulation_mode")
    return out


def two_ends_ipsec_proposals(world: World) -> Iterator[Signal | Position]:
    pair = _pair(world, IpsecProposal)
    if pair is None:
        return
    a, b = pair
    best = None
    for x in world.states(IpsecProposal, a):
        kx = _ipsec_key(x)
        for y in world.states(IpsecProposal, b):
            ky = _ipsec_key(y)
            bad = [k for k in kx.keys() & ky.keys() if kx[k][0] != ky[k][0]]
            if not bad:
                return
            if best is None or len(bad) < len(best[2]):
                best = (x, y, bad, kx, ky)
    if best is None:
        return
    x, y, bad, kx, ky = best
    reason = (
        "encapsulation modes differ" if bad == ["encapsulation mode"] else "ipsec proposals differ"
    )
    text = "; ".join(f"{k}: {a} {kx[k][0]}, {b} {ky[k][0]}" for k in bad)
    yield derived(
        reason,
        x.line_of(kx[bad[0]][1]),
        y.line_of(ky[bad[0]][1]),
        device=a,
        detail=text,
    )
    yield Position(a, "ipsec-sa", None, x.line_of(kx[bad[0]][1]), "ipsec-proposal")


def two_ends_pfs(world: World) -> Iterator[Signal | Position]:
    pair = _pair(world, IpsecPolicy)
    if pair is None:
        return
    a, b = pair
    pa = [p for p in world.states(IpsecPolicy, a) if not p.brief]
    pb = [p for p in world.states(IpsecPolicy, b) if not p.brief]
    if len(pa) != 1 or len(pb) != 1:
        return  # several policies: which one faces the other end is not known
    x, y = pa[0], pb[0]
    gx, gy = x.pfs_group, y.pfs_group
    if gx != gy:
        ga, gb = (f"group{g}" if g else "none" for g in (gx, gy))
        yield derived(
            "pfs differs",
            x.line_of("pfs"),
            y.line_of("pfs"),
            device=a,
            detail=f"pfs: {a} {ga}, {b} {gb}",
        )
        yield Position(a, "ipsec-sa", None, x.line_of("pfs"), "pfs")


def _acl_flows(
    world: World, device: str | None
) -> list[tuple[ipaddress.IPv4Network, ipaddress.IPv4Network, Line]]:
    numbers = {p.acl for p in world.states(IpsecPolicy, device) if p.acl is not None}
    out = []
    for acl in world.states(Acl, device):
        if acl.number not in numbers:
            continue
        for r in acl.rules:
            if not r.permit or not r.source or not r.destination:
                continue
            try:
                src = ipaddress.ip_network(
                    f"{r.source}/{r.source_wildcard or '0.0.0.0'}", strict=False
                )
                dst = ipaddress.ip_network(
                    f"{r.destination}/{r.destination_wildcard or '0.0.0.0'}", strict=False
                )
            except ValueError:
                continue
            out.append((src, dst, r.ev))  # type: ignore[arg-type]
    return out


def two_ends_acl_mirror(world: World) -> Iterator[Signal | Position]:
    ends = [d for d in world.devices() if _acl_flows(world, d)]
    if len(ends) != 2:
        return
    a, b = ends
    fa, fb = _acl_flows(world, a), _acl_flows(world, b)
    for sa_, da_, la in fa:
        mirrored = any(sb == da_ and db == sa_ for sb, db, _ in fb)
        if mirrored:
            continue
        near = [(sb, db, lb) for sb, db, lb in fb if sb.overlaps(da_) and db.overlaps(sa_)]
        other = near[0][2] if near else fb[0][2]
        yield derived(
            "security acls do not mirror",
            la,
            other,
            device=a,
            detail=f"{a}: {sa_} -> {da_}; {b}: "
            + (f"{near[0][0]} -> {near[0][1]}" if near else "no rule for the reverse flow"),
        )
        yield Position(a, "ipsec-sa", None, la, "acl-mirror")
        return


RULES = (
    offered_ike_proposal,
    two_ends_ike_proposals,
    two_ends_ipsec_proposals,
    two_ends_pfs,
    two_ends_acl_mirror,
)
