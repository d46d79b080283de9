"""Huawei VRP vocabulary for the configuration reader (``config/huawei.py``): algorithm words in
both directions (VRP <-> canonical, ``config/algorithms.py``), ACL / policy address and port
conversion to ``model.Selector``, USG predefined services, and the vendor defaults read from
``config/defaults/huawei.yaml``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from ..parsers.huawei.acl import PORT_NAMES
from ..parsers.huawei.current_config import AclRule, AddrSpec
from .algorithms import dh_group
from .model import Line, Selector

# -- algorithms -------------------------------------------------------------------------------

_ENC = {
    "des": "des",
    "des-cbc": "des",
    "3des": "3des",
    "3des-cbc": "3des",
    "aes-128": "aes-cbc-128",
    "aes-192": "aes-cbc-192",
    "aes-256": "aes-cbc-256",
    "aes-cbc-128": "aes-cbc-128",
    "aes-cbc-192": "aes-cbc-192",
    "aes-cbc-256": "aes-cbc-256",
    "aes-gcm-128": "aes-gcm-128",
    "aes-gcm-192": "aes-gcm-192",
    "aes-gcm-256": "aes-gcm-256",
    "aes-ctr-128": "aes-ctr-128",
    "aes-ctr-192": "aes-ctr-192",
    "aes-ctr-256": "aes-ctr-256",
    "sm1": "sm1",
    "sm4": "sm4",
    "null": "null",
}
_INTEG = {
    "md5": "md5",
    "sha1": "sha1",
    "sha": "sha1",
    "sha2-256": "sha2-256",
    "sha2-384": "sha2-384",
    "sha2-512": "sha2-512",
    "sm3": "sm3",
    "aes-xcbc": "aes-xcbc",
    "aes-xcbc-mac": "aes-xcbc",
    "aes-xcbc-128": "aes-xcbc",
}
_AUTH = {
    "pre-share": "psk",
    "pre-shared": "psk",
    "rsa-signature": "rsa-sig",
    "rsa-sig": "rsa-sig",
    "digital-envelope": "digital-envelope",
    "ecdsa-signature": "ecdsa-sig",
}

# canonical -> VRP words used by ``render``
ENC_WORD = {
    "des": "des",
    "3des": "3des",
    "aes-cbc-128": "aes-128",
    "aes-cbc-192": "aes-192",
    "aes-cbc-256": "aes-256",
    "aes-gcm-128": "aes-gcm-128",
    "aes-gcm-192": "aes-gcm-192",
    "aes-gcm-256": "aes-gcm-256",
    "sm1": "sm1",
    "sm4": "sm4",
}
AUTH_WORD = {"psk": "pre-share", "rsa-sig": "rsa-signature", "digital-envelope": "digital-envelope"}


def integrity_word(canon: str, kind: str) -> str:
    """VRP word for a canonical integrity name: ``kind`` is ``v1`` (authentication-algorithm),
    ``v2`` (integrity-algorithm), ``prf`` or ``esp`` / ``ah``."""
    if canon == "aes-xcbc":
        return {"v2": "aes-xcbc-mac-96", "prf": "aes-xcbc-128"}.get(kind, "aes-xcbc-mac-96")
    if kind == "v2":
        return f"hmac-{canon}-96" if canon in ("md5", "sha1") else f"hmac-{canon}"
    if kind == "prf":
        return f"hmac-{canon}"
    return canon


def encryption(word: str) -> str:
    """VRP encryption word -> canonical (unknown words are kept, lower-cased)."""
    return _ENC.get(word.lower(), word.lower())


def integrity(word: str) -> str:
    """``sha2-256``, ``hmac-sha2-256``, ``hmac-sha1-96``, ``aes-xcbc-mac-96`` -> canonical."""
    w = word.lower()
    if w.startswith("hmac-"):
        w = w[5:]
    if w.endswith("-96"):
        w = w[:-3]
    return _INTEG.get(w, w)


def auth_method(word: str) -> str:
    return _AUTH.get(word.lower(), word.lower())


def dh(word: str) -> int | None:
    return dh_group(word)


def pfs_group(word: str | None) -> int | None:
    """``dh-group14`` / ``group14`` -> 14; None / ``none`` -> None."""
    if word is None or word.lower() == "none":
        return None
    return dh_group(word)


# -- addresses, protocols, ports --------------------------------------------------------------

PROTOCOLS = {
    "ip": None,
    "icmp": 1,
    "igmp": 2,
    "ipinip": 4,
    "tcp": 6,
    "udp": 17,
    "gre": 47,
    "esp": 50,
    "ah": 51,
    "ospf": 89,
    "sctp": 132,
}


class Unsupported(ValueError):
    """A selector element the neutral model cannot express (address set, range ...)."""


def protocol_number(word: str | None) -> int | None:
    if word is None:
        return None
    w = word.lower()
    if w.isdecimal():
        n = int(w) if len(w) <= 3 else 256
        if n > 255:
            raise Unsupported(f"protocol {w}")
        return n or None  # "0" = any IP protocol in VRP
    if w not in PROTOCOLS:
        raise Unsupported(f"protocol {w}")
    return PROTOCOLS[w]


def _port(word: str) -> int:
    w = word.lower()
    if w.isdecimal() and len(w) <= 5 and int(w) <= 65535:
        return int(w)
    if w in PORT_NAMES:
        return PORT_NAMES[w]
    raise Unsupported(f"port {word}")


def port_range(spec: str | None) -> tuple[int, int] | None:
    """``eq 500``, ``range 1 100``, ``lt 1024``, ``gt 1023``, ``500 to 501``, ``500``."""
    if spec is None:
        return None
    w = spec.split()
    if not w:
        return None
    op = w[0].lower()
    if op == "eq" and len(w) == 2:
        p = _port(w[1])
        return (p, p)
    if op == "range" and len(w) == 3:
        return (_port(w[1]), _port(w[2]))
    if op == "lt" and len(w) == 2:
        return (0, max(_port(w[1]) - 1, 0))
    if op == "gt" and len(w) == 2:
        return (min(_port(w[1]) + 1, 65535), 65535)
    if len(w) == 3 and w[1].lower() == "to":
        return (_port(w[0]), _port(w[2]))
    if len(w) == 1:
        p = _port(w[0])
        return (p, p)
    raise Unsupported(f"ports {spec}")


def address(spec: AddrSpec | None) -> tuple[str | None, str | None]:
    """(network, wildcard form) of an address selector; ``None`` spec is any."""
    if spec is None:
        return "0.0.0.0/0", None
    if spec.address_set is not None or spec.range_end is not None:
        raise Unsupported(spec.raw)
    if spec.network is not None:
        if ":" in spec.network:
            raise Unsupported(spec.raw)
        return spec.network, None
    if spec.address is not None and spec.wildcard is not None:
        return None, f"{spec.address}/{spec.wildcard}"
    raise Unsupported(spec.raw)


def acl_selector(rule: AclRule, basic: bool, ev: Line) -> Selector:
    """One ACL rule as a selector (raises ``Unsupported``)."""
    if rule.vpn_instance is not None:
        raise Unsupported("vpn-instance")
    src, src_w = address(rule.source)
    dst, dst_w = ("0.0.0.0/0", None) if basic else address(rule.destination)
    return Selector(
        action=rule.action,
        src=src,
        dst=dst,
        src_wildcard=src_w,
        dst_wildcard=dst_w,
        protocol=None if basic else protocol_number(rule.protocol),
        src_ports=port_range(rule.source_port),
        dst_ports=port_range(rule.destination_port),
        ev=ev,
    )


# USG predefined services (protocol, destination ports)
_SERVICES: dict[str, tuple[int | None, tuple[int, int] | None]] = {
    "any": (None, None),
    "esp": (50, None),
    "ah": (51, None),
    "gre": (47, None),
    "icmp": (1, None),
    "ospf": (89, None),
    "http": (6, (80, 80)),
    "https": (6, (443, 443)),
    "ssh": (6, (22, 22)),
    "telnet": (6, (23, 23)),
    "ftp": (6, (21, 21)),
    "smtp": (6, (25, 25)),
    "dns": (17, (53, 53)),
    "ntp": (17, (123, 123)),
    "snmp": (17, (161, 161)),
    "tftp": (17, (69, 69)),
    "bgp": (6, (179, 179)),
}


def service(spec: str) -> tuple[int | None, tuple[int, int] | None, tuple[int, int] | None]:
    """A USG ``service`` item -> (protocol, source ports, destination ports).  Items are a
    predefined name (``esp``, ``http``) or ``udp destination-port 500 [to 501] [source-port ...]``
    (the ``protocol`` keyword already removed by the parser)."""
    w = spec.lower().split()
    if len(w) == 1 and w[0] in _SERVICES:
        proto, dports = _SERVICES[w[0]]
        return proto, None, dports
    if not w:
        raise Unsupported(spec)
    proto = protocol_number(w[0])
    sports = dports = None
    i = 1
    while i < len(w):
        k = w[i]
        if k in ("source-port", "destination-port") and i + 1 < len(w):
            if i + 3 < len(w) and w[i + 2] == "to":
                rng = port_range(" ".join(w[i + 1 : i + 4]))
                i += 4
            else:
                rng = port_range(w[i + 1])
                i += 2
            if k == "source-port":
                sports = rng
            else:
                dports = rng
        else:
            raise Unsupported(spec)
    if sports == (0, 65535):
        sports = None
    if dports == (0, 65535):
        dports = None
    return proto, sports, dports


# -- defaults ---------------------------------------------------------------------------------


@cache
def defaults() -> dict[str, Any]:
    """``config/defaults/huawei.yaml`` (values and their sources)."""
    import yaml  # only when a Huawei configuration is read

    text = (
        resources.files("ipsec_doctor.config")
        .joinpath("defaults/huawei.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    if not isinstance(data, dict):  # pragma: no cover - packaging error
        raise RuntimeError("config/defaults/huawei.yaml is not a mapping")
    return data


def default(section: str, key: str) -> Any:
    return defaults()[section][key]["value"]
