"""Canonical algorithm words shared by every config reader and the simulator.

Readers map their vendor's words onto these (each reader keeps its own vendor-word table);
the simulator compares canonical words only.  Groups are IANA Diffie-Hellman numbers.
"""

from __future__ import annotations

ENCRYPTION = (
    "des", "3des", "aes-cbc-128", "aes-cbc-192", "aes-cbc-256",
    "aes-gcm-128", "aes-gcm-192", "aes-gcm-256", "aes-ctr-128", "aes-ctr-192", "aes-ctr-256",
    "sm4", "sm1", "null",
)
INTEGRITY = ("md5", "sha1", "sha2-256", "sha2-384", "sha2-512", "aes-xcbc", "sm3")
AUTH_METHODS = ("psk", "rsa-sig", "ecdsa-sig", "digital-envelope", "eap", "xauth-psk")

# combined-mode ciphers carry their own integrity (no separate integrity transform)
AEAD = frozenset({"aes-gcm-128", "aes-gcm-192", "aes-gcm-256"})

# name -> IANA group number (strongSwan / RFC names, Cisco "group N" is the number itself)
DH_NAMES = {
    "modp768": 1, "modp1024": 2, "modp1536": 5, "modp2048": 14, "modp3072": 15,
    "modp4096": 16, "modp6144": 17, "modp8192": 18, "ecp256": 19, "ecp384": 20, "ecp521": 21,
    "modp1024s160": 22, "modp2048s224": 23, "modp2048s256": 24, "ecp192": 25, "ecp224": 26,
    "curve25519": 31, "x25519": 31, "curve448": 32, "x448": 32,
}

WEAK_ENCRYPTION = frozenset({"des", "3des", "null"})
WEAK_INTEGRITY = frozenset({"md5", "sha1"})
WEAK_DH = frozenset({1, 2, 5, 22})


def dh_group(word: str) -> int | None:
    """``14``, ``group14``, ``dh14``, ``dh-group14``, ``modp2048``, ``group 14`` -> 14."""
    w = word.strip().lower().replace(" ", "")
    if w in DH_NAMES:
        return DH_NAMES[w]
    for prefix in ("dh-group", "dhgroup", "group", "dh"):
        if w.startswith(prefix):
            w = w[len(prefix):]
            break
    return int(w) if w.isascii() and w.isdigit() and len(w) <= 6 else None
