"""Cisco ASA (8.4+, with 8.2 ``nat 0``/``crypto isakmp`` forms) configuration reader.

``parse`` turns ``show running-config`` text into one ``DeviceConfig`` whose tunnels are the
crypto map entries (static, ``answer-only`` and dynamic-map entries) with their global IKE
policies, transform sets / IPsec proposals, crypto ACL selectors and tunnel-group keys.
Defaults come from ``config/defaults/cisco_asa.yaml`` (each with its source).

Conventions for the simulator (the ASA is a firewall, ``firewall=True``):

* ``Interface.name`` is the ``nameif`` (every ASA command refers to it), ``zone`` too.
* ``security_rules``: interface ACL entries (``access-group ACL in interface X`` ->
  ``source_zones=(X,)``; ``out`` -> ``destination_zones=(X,)``; ``global`` -> any source); their
  destination zones otherwise list every nameif, never ``local`` (interface ACLs do not filter
  traffic to the ASA itself).  Rules synthesised from ASA behaviour: ``crypto ikev1|ikev2 enable
  IF`` permits UDP 500/4500 and ESP from IF to the box (``destination_zones=("local",)``), which
  is how the ASA decides whether IKE reaches it; ``sysopt connection permit-vpn`` (default on)
  permits decrypted protected traffic ahead of the ACLs; an interface without an inbound ACL
  permits traffic to lower security levels.
* A crypto map entry with both ``set ikev1 transform-set`` and ``set ikev2 ipsec-proposal``
  speaks both versions and initiates IKEv2 (assumed, see the defaults file): ``ike_proposals``
  and ``child_proposals`` then hold both versions' sets, initiating version first, each tagged
  with ``version``; single-version entries leave ``version`` None.
* ``nat_rules.position``: 8.2 ``nat 0`` (500+), manual NAT section 1 (1000+), object NAT
  (2000+ static, 2500+ dynamic), ``after-auto`` section 3 (3000+), 8.2 dynamic (4000+).
* ``flags``: ``permit-vpn`` or ``no-permit-vpn``; ``nat-traversal`` / ``no-nat-traversal``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from ..model import Line
from ..redact import redact
from . import ConfigError
from .cisco_asa_objects import Objects, Stmt, statements, strip_prompt
from .model import Change, DeviceConfig, Secret, Tunnel
from .secrets import secret

VENDOR = "cisco-asa"

ENC = {"des": "des", "3des": "3des", "aes": "aes-cbc-128", "aes-192": "aes-cbc-192",
       "aes-256": "aes-cbc-256", "aes-gcm": "aes-gcm-128", "aes-gcm-192": "aes-gcm-192",
       "aes-gcm-256": "aes-gcm-256", "null": "null"}
HASH = {"md5": "md5", "sha": "sha1", "sha-1": "sha1", "sha256": "sha2-256", "sha-256": "sha2-256",
        "sha384": "sha2-384", "sha-384": "sha2-384", "sha512": "sha2-512", "sha-512": "sha2-512",
        "null": "null"}
ESP_ENC = {"esp-des": "des", "esp-3des": "3des", "esp-aes": "aes-cbc-128",
           "esp-aes-192": "aes-cbc-192", "esp-aes-256": "aes-cbc-256", "esp-null": "null"}
ESP_INT = {"esp-md5-hmac": "md5", "esp-sha-hmac": "sha1", "esp-sha-256-hmac": "sha2-256",
           "esp-sha-384-hmac": "sha2-384", "esp-sha-512-hmac": "sha2-512", "esp-none": None}
AUTH = {"pre-share": "psk", "rsa-sig": "rsa-sig", "ecdsa-sig": "ecdsa-sig", "crack": "xauth-psk"}

_ASA_TELLS = (("asa version", 45), ("nameif ", 25), ("tunnel-group ", 25),
              ("security-level ", 15), ("object network ", 12), ("object-group network ", 8),
              ("crypto ikev1 ", 12), ("crypto ikev2 enable", 12), ("access-group ", 8),
              ("crypto ipsec ikev1 transform-set", 12), ("sysopt connection", 8),
              ("same-security-traffic", 8), ("nat (", 15), ("crypto isakmp enable ", 10),
              ("crypto map ", 3), ("global (", 8))
_OTHER_TELLS = ("ip nat inside", "crypto isakmp key", "crypto keyring", "ip access-list extended",
                "ike peer", "ipsec proposal", "sysname", "display current", "conn ",
                "connections {", "crypto isakmp profile", "crypto ikev2 keyring", "security-policy")


def detect(text: str) -> int:
    """0-100: how sure the text is ASA syntax (``ASA Version``, ``nameif``, ``tunnel-group``...)."""
    seen: set[str] = set()
    other = 0
    for raw in text.splitlines()[:20000]:
        s = (strip_prompt(raw) or "").strip().lower()
        for tell, _ in _ASA_TELLS:
            if s.startswith(tell):
                seen.add(tell)
        if s.startswith(_OTHER_TELLS):
            other += 1
        if s.startswith("access-list ") and len(s.split()) > 3 and s.split()[2] == "extended":
            seen.add("access-list extended")
    score = sum(w for t, w in _ASA_TELLS if t in seen) + 10 * ("access-list extended" in seen)
    if not seen - {"crypto map "}:
        return 0
    return max(0, min(100, score - 10 * min(other, 5)))


@cache
def defaults() -> dict:
    import yaml

    path = Path(__file__).parent / "defaults" / "cisco_asa.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _d(*keys: str) -> object:
    v: object = defaults()
    for k in keys:
        v = v[k]  # type: ignore[index]
    return v["value"] if isinstance(v, dict) and "value" in v else v


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.stmts = statements(text)
        self.objs = Objects(source)
        self.notes: list[Line] = []
        self.flags: dict[str, Line] = {}
        self.hostname = "asa"
        self.domain: str | None = None
        self.version_line: Line | None = None

    def ln(self, st: Stmt, words: list[str] | None = None) -> Line:
        return Line(self.source, st.no, redact(" ".join(words if words is not None else
                                                        st.words)))

    def note(self, st: Stmt, words: list[str] | None = None) -> None:
        self.notes.append(self.ln(st, words))


def parse(text: str, source: str) -> list[DeviceConfig]:
    """One ``DeviceConfig`` for an ASA running-config; ``ConfigError`` when it is not one."""
    if detect(text) <= 0:
        raise ConfigError(f"{source}: not a Cisco ASA configuration")
    from .cisco_asa_build import build

    r = _Reader(text, source)
    try:
        return [build(r)]
    except (IndexError, KeyError, ValueError) as e:  # last resort: never a deep traceback
        if isinstance(e, ConfigError):
            raise
        raise ConfigError(f"{source}: unreadable ASA configuration ({type(e).__name__})") from None


# helpers shared with cisco_asa_build ------------------------------------------------------


def masked_secret() -> Secret:
    """A ``show running-config`` ``*****``: proves nothing, never equal to anything."""
    return Secret(kind="cipher", digest=os.urandom(16).hex())


def key_secret(words: list[str]) -> Secret:
    """The key tokens after ``pre-shared-key`` -> Secret (``*****`` masked, ``8 X`` encrypted)."""
    if not words:
        return Secret(kind="missing")
    if set(words[0]) == {"*"}:
        return masked_secret()
    if words[0].lower() == "hex" and len(words) > 1:
        return secret(words[1].lower(), encrypted=False)
    if words[0] == "8" and len(words) > 1:
        return secret(words[1], encrypted=True)
    if words[0] == "0" and len(words) > 1:
        return secret(words[1], encrypted=False)
    return secret(words[0], encrypted=False)


def render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]:
    """ASA commands applying ``change`` with the device's own names (never a key)."""
    from .cisco_asa_render import render as _render

    return _render(change, device, tunnel)
