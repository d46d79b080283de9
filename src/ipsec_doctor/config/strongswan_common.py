"""Shared pieces of the strongSwan reader (``config/strongswan*.py``): the defaults data, line
citing, identities, time values, PSK decoding and charon's secret selection, address lists, and
the conversion of parsed proposal strings into model proposals.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import os
from functools import lru_cache
from importlib import resources

import yaml

from ..model import Line
from ..redact import redact
from .model import (
    ChildProposal,
    DeviceConfig,
    Identity,
    IkeProposal,
    Interface,
    Route,
    Secret,
    Tunnel,
)
from .strongswan_proposals import Parsed

VENDOR = "strongswan"
LOCAL_IF = "local_addrs"


@lru_cache(maxsize=1)
def defaults() -> dict:
    """The strongSwan defaults (``defaults/strongswan.yaml``) as loaded data."""
    f = resources.files(__package__).joinpath("defaults/strongswan.yaml")
    return yaml.safe_load(f.read_text(encoding="utf-8"))


def _d(section: str, key: str):
    return defaults()[section][key]["value"]


# ------------------------------------------------------------------------------ helpers


class _Ctx:
    def __init__(self, text: str, source: str):
        self.source = source
        self.raw = text.splitlines()
        self.notes: list[Line] = []

    def cite(self, n: int) -> Line:
        text = self.raw[n - 1].strip() if 0 < n <= len(self.raw) else ""
        return Line(self.source, n, redact(text))

    def note(self, n: int, why: str = "") -> None:
        ln = self.cite(n)
        if why:
            ln = Line(ln.source, ln.line, f"{ln.text}  [{why}]")
        self.notes.append(ln)


def seconds(value: str) -> int | None:
    """``4h``, ``20m``, ``60s``, ``1d``, ``3600`` -> seconds (None when unreadable)."""
    v = value.strip().lower()
    mult = 1
    if v[-1:] in ("s", "m", "h", "d"):
        mult = {"s": 1, "m": 60, "h": 3600, "d": 86400}[v[-1]]
        v = v[:-1]
    try:
        return int(float(v) * mult)
    except (ValueError, OverflowError):  # "x", "nan"; "inf" or 1e999
        return None


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def identity(value: str) -> Identity:
    """A strongSwan identity string (``moon.strongswan.org``, ``@moon``, ``carol@x``, ``C=CH,
    CN=x``, ``10.1.1.1``, ``%any``, ``fqdn:x`` ...) as a model ``Identity``."""
    v = value.strip()
    low = v.lower()
    if low in ("%any", "%any6", "*", ""):
        return Identity(type="any")
    prefixes = {"ipv4": "ip", "ipv6": "ip", "fqdn": "fqdn", "dns": "fqdn", "email": "user-fqdn",
                "rfc822": "user-fqdn", "userfqdn": "user-fqdn", "asn1dn": "dn", "keyid": "key-id"}
    pre, sep, rest = v.partition(":")
    if sep and pre.lower() in prefixes and not is_ip(v):
        return Identity(type=prefixes[pre.lower()], value=rest)
    if is_ip(v):
        return Identity(type="ip", value=str(ipaddress.ip_address(v)))
    if v.startswith("@#"):
        return Identity(type="key-id", value=v[2:])
    if v.startswith("@@"):
        return Identity(type="user-fqdn", value=v[2:])
    if v.startswith("@"):
        return Identity(type="fqdn", value=v[1:])
    if "=" in v:
        return Identity(type="dn", value=v)
    if "@" in v:
        return Identity(type="user-fqdn", value=v)
    return Identity(type="fqdn", value=v)


def id_string(ident: Identity | None) -> str:
    if ident is None or ident.type == "any" or ident.value is None:
        return "%any"
    if ident.type == "key-id":
        return f"@#{ident.value}"
    return ident.value


def _decode_key(raw: str, *, quoted_is_literal: bool) -> str:
    """A PSK as charon sees it: ``0x`` hex and ``0s`` base64 decoded (bytes kept exactly)."""
    v = raw.strip()
    quoted = len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'"
    if quoted:
        v = v[1:-1]
    if quoted and quoted_is_literal:
        return v
    try:
        if v[:2].lower() == "0x":
            return bytes.fromhex(v[2:]).decode("utf-8", "surrogateescape")
        if v[:2].lower() == "0s":
            return base64.b64decode(v[2:], validate=True).decode("utf-8", "surrogateescape")
    except (ValueError, binascii.Error):
        pass
    return v


def _id_match(owner: Identity, me: Identity | None) -> int:
    """charon's ID_MATCH ranking, reduced: perfect 20, ``*`` wildcard 10, ``%any`` 1."""
    if owner.type == "any":
        return 1
    if me is None or me.value is None or owner.value is None:
        return 0
    if owner.type == me.type and owner.value.lower() == me.value.lower():
        return 20
    if owner.value.startswith("*") and me.value.lower().endswith(owner.value[1:].lower()):
        return 10
    return 0


class _Key:
    def __init__(self, ids: list[Identity], value: Secret, line: int):
        self.ids, self.value, self.line = ids, value, line


def _best_key(keys: list[_Key], me: Identity | None,
              other: Identity | None) -> tuple[_Key | None, bool]:
    """The secret charon would use between ``me`` and ``other`` and whether it is a guess.

    ``other`` None means the peer's identity is only known at run time (``remote.id = %any``
    and no address): any secret could then be the one; the best-ranked is taken as a guess."""
    best, best_score, guessed = None, 0, False
    for k in keys:
        if not k.ids:
            score = 2
        else:
            mine = max(_id_match(o, me) for o in k.ids)
            theirs = max(_id_match(o, other) for o in k.ids) if other is not None else 0
            if not mine and not theirs and other is not None:
                continue
            score = mine + theirs if (mine or theirs) else 1
        if score > best_score:
            best, best_score = k, score
            guessed = other is None and score == 1
    return best, guessed


def _device_name(source: str) -> str:
    generic = {"swanctl.conf", "ipsec.conf", "swanctl", "etc", "ipsec.d", "conf.d", "", "."}
    path = os.path.normpath(source)
    base = os.path.basename(path)
    if base not in generic:
        for suffix in (".conf", ".swanctl", ".ipsec", ".txt"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
        for suffix in (".swanctl", ".ipsec"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
        return base or "strongswan"
    while base in generic and path not in ("", "/", "."):
        path = os.path.dirname(path)
        base = os.path.basename(path)
    return base or "strongswan"


def _auth(word: str) -> str:
    w = word.strip().lower()
    if w.startswith("ike:"):
        w = w[4:]
    if w in ("psk", "secret"):
        return "psk"
    if w.startswith("eap"):
        return "eap"
    if w.startswith("xauth"):
        return "xauth-psk"
    if w.startswith("ecdsa") or w.startswith("ecdsasig"):
        return "ecdsa-sig"
    return "rsa-sig"  # pubkey / rsa / rsasig: key type unknown without the certificate


def _addresses(value: str) -> tuple[list[str], bool, str | None]:
    """Concrete addresses, whether any peer (``%any``, ranges, subnets) is accepted, and the
    first DNS name of a ``*_addrs`` / ``left``/``right`` value."""
    ips: list[str] = []
    anyp, host = False, None
    for item in (p.strip() for p in value.split(",")):
        if not item:
            continue
        if item.lower().startswith("%any") or "/" in item or ("-" in item and is_ip(
                item.split("-")[0])):
            anyp = True
        elif is_ip(item):
            ips.append(str(ipaddress.ip_address(item)))
        elif item.startswith("%"):
            if item.lower() != "%defaultroute":
                anyp = True
        else:
            host = host or item.lstrip("%")
    return ips, anyp, host


def _ike_proposals(ctx: _Ctx, parsed: list[Parsed], version: int, ev: Line | None,
                   lifetime: int | None, auth: str, lines: dict, dflt: tuple[str, ...],
                   tag: str, table: str = "default_proposals") -> list[IkeProposal]:
    out: list[IkeProposal] = []
    for p in parsed:
        if p.default:
            for d in defaults()[table]["ike"]:
                out.append(IkeProposal(
                    name=f"{tag} {d['name']}", encryption=tuple(d["encryption"]),
                    integrity=tuple(d["integrity"]), prf=tuple(d["prf"]), dh=tuple(d["dh"]),
                    auth_method=auth, lifetime=lifetime, ev=ev, lines=dict(lines),
                    defaults=(*dflt, "encryption", "integrity", "prf", "dh")))
            continue
        if p.unknown:
            _note_unknown(ctx, p, ev)
            continue
        enc, integ, prf, dh = p.encryption, p.integrity, p.prf, [g for g in p.dh if g]
        if version == 1:  # IKEv1: one algorithm of each kind, the rest is stripped
            enc, integ, prf, dh = enc[:1], integ[:1], prf[:1], dh[:1]
        out.append(IkeProposal(
            name=f"{tag} {p.text}", encryption=tuple(enc), integrity=tuple(integ),
            prf=tuple(prf), dh=tuple(dh), auth_method=auth, lifetime=lifetime, ev=ev,
            lines=dict(lines), defaults=dflt))
    return out


def _note_unknown(ctx: _Ctx, p: Parsed, ev: Line | None) -> None:
    """A proposal with keywords charon does not know: it is dropped, with a note."""
    if ev is not None:
        ctx.note(ev.line, f"proposal {p.text!r}: unknown keyword(s) "
                 f"{', '.join(p.unknown)}; charon rejects such a proposal")


def _child_proposals(ctx: _Ctx, items: list[tuple[str, list[Parsed], Line | None]],
                     version: int, mode: str, lifetime: int | None, lines: dict,
                     dflt: tuple[str, ...], tag: str, table: str = "default_proposals",
                     ) -> tuple[list[ChildProposal], int | None, bool]:
    """Child proposals (configuration order), the PFS group of the first proposal and
    whether SHA-256 is truncated to 96 bits."""
    out: list[ChildProposal] = []
    pfs: int | None = None
    first = True
    trunc = False
    for proto, parsed, ev in items:
        for p in parsed:
            if p.default:
                for d in defaults()[table][proto]:
                    if proto == "ah":
                        cp = ChildProposal(name=f"{tag} {d['name']}", protocol="ah",
                                           ah_integrity=tuple(d["integrity"]))
                    else:
                        cp = ChildProposal(name=f"{tag} {d['name']}", protocol="esp",
                                           encryption=tuple(d["encryption"]),
                                           integrity=tuple(d["integrity"]))
                    cp.mode, cp.lifetime, cp.ev, cp.lines = mode, lifetime, ev, dict(lines)
                    cp.defaults = (*dflt, "encryption", "integrity")
                    out.append(cp)
                first = False
                continue
            if p.unknown:
                _note_unknown(ctx, p, ev)
                continue
            enc, integ, dh = p.encryption, p.integrity, [g for g in p.dh if g]
            if proto == "ah":  # AES-GMAC is parsed as encryption but is AH integrity
                integ = integ + [e for e in enc if e.startswith("aes-gmac")]
                enc = []
            if version == 1:
                enc, integ, dh = enc[:1], integ[:1], dh[:1]
            if first:
                pfs = dh[0] if dh else None
                trunc = p.sha2_96
                first = False
            if proto == "ah":
                cp = ChildProposal(name=f"{tag} {p.text}", protocol="ah",
                                   ah_integrity=tuple(integ))
            else:
                cp = ChildProposal(name=f"{tag} {p.text}", protocol="esp",
                                   encryption=tuple(enc), integrity=tuple(integ))
            cp.mode, cp.lifetime, cp.ev, cp.lines = mode, lifetime, ev, dict(lines)
            cp.defaults = dflt
            out.append(cp)
    return out, pfs, trunc



def _device(ctx: _Ctx, platform: str, tunnels: list[Tunnel],
            local_ips: list[tuple[str, int]]) -> DeviceConfig:
    interfaces: list[Interface] = []
    seen: list[str] = []
    first_line = 0
    for ip, n in local_ips:
        if ip not in seen:
            seen.append(ip)
            first_line = first_line or n
    if seen:
        plen = lambda a: "128" if ":" in a else "32"  # noqa: E731
        interfaces.append(Interface(
            name=LOCAL_IF, addresses=(f"{seen[0]}/{plen(seen[0])}",),
            secondary=tuple(f"{a}/{plen(a)}" for a in seen[1:]), ev=ctx.cite(first_line)))
    # the host's routing table is not part of the file: assume it reaches every peer
    routes = [Route(prefix="0.0.0.0/0", interface=LOCAL_IF,
                    ev=ctx.cite(first_line) if first_line else None)] if tunnels else []
    return DeviceConfig(vendor=VENDOR, name=_device_name(ctx.source), source=ctx.source,
                        platform=platform, interfaces=interfaces, routes=routes,
                        tunnels=tunnels, notes=ctx.notes)


