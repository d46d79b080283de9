"""Secret redaction, applied to every line before it is stored, printed or put in an error.

Covers Huawei cipher blobs (``%^%#...%^%#``, ``%$%$...%$%$``, ``%@%@...%@%@``), keyword-led
secrets in Huawei/Cisco/strongSwan syntax (pre-shared keys, passwords, secrets, SNMP
communities, key strings) and ``display ike peer`` fields.  Every pattern is bounded, so the work
per line is linear in its length whatever the input.
"""

from __future__ import annotations

import re

MASK = "<redacted>"

# Huawei cipher text: a marker, up to 512 non-newline characters, the same marker.  An unclosed
# marker (truncated paste) swallows the rest of its token.
_BLOB = re.compile(r"(%\^%#|%\$%\$|%@%@)(?:[^\n]{1,512}?\1|\S{0,512})")

# keyword [qualifier ...] value   -- the value is the next token (quoted or bare).
_KEYWORDS = (
    r"pre-shared-key|pre_shared_key|preshared-key|pre-share-key|psk|password|passwd|secret|"
    r"community|key-string|authentication-key|shared-key|auth-key|"
    r"ikev1 pre-shared-key|isakmp key|crypto isakmp key"
)
_QUALIFIERS = (
    r"cipher|simple|irreversible-cipher|plain|plain-text|encrypted|hash|"
    r"local|remote|read|write|0|5|6|7|8|9|\*|"
    r"address|hex|ascii"
)
_KEYED = re.compile(
    r"(?i)(?<![\w-])(" + _KEYWORDS + r")"
    r"((?:[ \t]{0,8}[:=][ \t]{0,8}|[ \t]{1,8})(?:(?:" + _QUALIFIERS + r")[ \t]{1,8}){0,3})"
    r"(\"[^\"\n]{0,512}\"|'[^'\n]{0,512}'|[^\s\"']{1,512})"
)
# strongSwan ipsec.secrets:  1.2.3.4 5.6.7.8 : PSK "secret"
_SECRETS_FILE = re.compile(r"(?i)(:[ \t]{0,8}(?:PSK|XAUTH|EAP|RSA|ECDSA|PIN)[ \t]{1,8})(\S{1,512})")

_PREFILTER = ("%^%#", "%$%$", "%@%@")
_PREFILTER_LOWER = ("key", "pass", "secret", "community", "psk", "cipher")

# Values that name a field rather than hold a secret ("Pre-shared-key : -", "password-expired")
_HARMLESS = {"-", "", MASK}


def _keyed(m: re.Match[str]) -> str:
    value = m.group(3)
    if value in _HARMLESS:
        return m.group(0)
    return f"{m.group(1)}{m.group(2)}{MASK}"


def redact(text: str) -> str:
    """Return ``text`` with every secret replaced by ``<redacted>``."""
    if not text:
        return text
    hit = any(p in text for p in _PREFILTER)
    if not hit:
        low = text.lower()
        if not any(p in low for p in _PREFILTER_LOWER):
            return text
    if hit:
        text = _BLOB.sub(MASK, text)
    text = _KEYED.sub(_keyed, text)
    text = _SECRETS_FILE.sub(lambda m: m.group(1) + MASK, text)
    return text
