"""Secret redaction, applied to every line before it is stored, printed or put in an error.

Covers Huawei cipher blobs (``%^%#...%^%#``, ``%$%$...%$%$``, ``%@%@...%@%@``, ``%#%#...%#%#``),
keyword-led secrets in Huawei/Cisco/strongSwan syntax (pre-shared keys, passwords, secrets, SNMP
communities, key strings, routing-protocol ``authentication-mode ... plain|cipher`` keys, IOS
keyring ``pre-shared-key address A key K``), the other secrets of a pasted running-config (AAA
server keys, NTP and OSPF MD5 keys, HSRP/VRRP text authentication, SNMP trap communities and
SNMPv3 user keys), strongSwan ``ipsec.secrets`` lines and ``display ike peer`` fields.

Blanks between words are any whitespace but a newline: tabs, and the no-break
and ideographic spaces of configurations copied from web pages or documents, which the
configuration readers split words on too.

Every pattern is bounded (no unbounded repetition, lazy runs capped at a few hundred characters,
backtracking limited to a fixed number of tokens), so the work per line is linear in its length
whatever the input.  Cheap substring checks (a blob marker, a ``:``, a keyword) decide which
patterns run at all; most log lines run none or one.

Redaction must never change a vendor failure reason (parsers read the redacted text): words such
as ``pre-share-key`` inside ``hash value not equal(pre-share-key)`` are left alone because a
secret needs a separator and a value after the keyword (``tests/test_secrets.py`` checks every
reason wording of the knowledge base).
"""

from __future__ import annotations

import re

MASK = "<redacted>"

# Huawei cipher text: a marker, up to 512 non-newline characters, the same marker.  An unclosed
# marker (truncated paste) swallows the rest of its token.
_BLOB = re.compile(r"(%\^%#|%\$%\$|%@%@|%#%#)(?:[^\n]{1,512}?\1|\S{0,512})")

# keyword [qualifier ...] value   -- the value is the next token (quoted or bare).
_KEYWORDS = (
    r"pre-shared-key|pre_shared_key|preshared-key|pre-share-key|psk|psksecret|password|passwd|"
    r"secret|community|key-string|authentication-key|shared-key|auth-key|message-digest-key|"
    r"wpa-psk|ldap-login-password|eap-password|passphrase|private-key-passphrase|"
    r"ikev1[^\S\n]{1,8}pre-shared-key|isakmp[^\S\n]{1,8}key|crypto[^\S\n]{1,8}isakmp[^\S\n]{1,8}key"
)
_QUALIFIERS = (
    r"cipher|simple|irreversible-cipher|plain|plain-text|encrypted|hash|"
    r"local|remote|read|write|[0-9]|\*|"
    r"(?:[0-9]{1,5}[^\S\n]{1,8})?(?:md5|sha1?|hmac-sha-?[0-9]{1,3})|"  # NTP/OSPF: key id, hash
    r"address|hex|ascii|ascii-text|hexadecimal|ENC"
)
_VALUE = r"(\"[^\"\n]{0,512}\"|'[^'\n]{0,512}'|\S{1,512})"
_KEYED = re.compile(
    r"(?i)(?<![\w-])(" + _KEYWORDS + r")"
    r"((?:[^\S\n]{0,8}[:=][^\S\n]{0,8}|[^\S\n]{1,8})(?:(?:" + _QUALIFIERS + r")[^\S\n]{1,8}){0,3})"
    + _VALUE
)
# Cisco IOS keyring: pre-shared-key address 10.1.1.1 [mask] key [0|6|7] SECRET
_KEYRING = re.compile(
    r"(?i)(?<![\w-])(pre-shared-key[^\S\n]{1,8}(?:address|hostname)(?:[^\S\n]{1,8}\S{1,64}){1,3}?"
    r"[^\S\n]{1,8}key[^\S\n]{1,8}(?:[0-9][^\S\n]{1,8})?)" + _VALUE
)
# IOS IKEv2 profile: authentication local|remote pre-share key [0|6|7] SECRET; and a bare
# "key [0|6|7] SECRET" line (isakmp client configuration group, key chains' ids stay: digits)
_PRESHARE = re.compile(
    r"(?i)(?<![\w-])(pre-share[^\S\n]{1,8}key[^\S\n]{1,8}(?:[0-9][^\S\n]{1,8})?)" + _VALUE
)
_BARE_KEY = re.compile(
    r"(?i)^([^\S\n]{0,16}key[^\S\n]{1,8}(?:[0-9][^\S\n]{1,8})?)" + _VALUE + r"[^\S\n]*$"
)
# Routing/NTP/VRRP authentication: authentication-mode md5 1 cipher SECRET, ... simple plain X;
# SNMPv3 users: ... privacy-mode aes128 cipher SECRET
_AUTH_MODE = re.compile(
    r"(?i)(?<![\w-])((?:authentication|privacy)-mode(?:[^\S\n]{1,8}\S{1,32}){0,3}"
    r"[^\S\n]{1,8}(?:plain|cipher|simple)[^\S\n]{1,8})" + _VALUE
)
# strongSwan ipsec.secrets:  1.2.3.4 5.6.7.8 : PSK "secret";  carol : XAUTH "pw";
# : RSA key.pem "passphrase".  Secrets are quoted, 0x hex or 0s base64; for PSK any token counts.
# (The type words are case-sensitive there; "...: EAP authentication failed" is not a secret.)
_SECRETS_FILE = re.compile(
    r"(:[^\S\n]{0,8}(?:PSK[^\S\n]{1,8}|(?:XAUTH|EAP|NTLM|PIN)[^\S\n]{1,8}(?=[\"']|0[sx])"
    r"|(?:RSA|ECDSA|BLISS|PKCS12|P12|PKCS8)[^\S\n]{1,8}\S{1,512}[^\S\n]{1,8}))" + _VALUE
)

# IOS/ASA AAA servers: tacacs-server [host A ...] key [0|7] SECRET, radius-server ... key SECRET,
# server-private A ... key SECRET (the words between are bounded: no backtracking beyond 200)
_SERVER_KEY = re.compile(
    r"(?i)(?<![\w-])((?:tacacs-server|radius-server|server-private)(?:[^\S\n]{1,8}\S{1,64}){0,8}?"
    r"[^\S\n]{1,8}key[^\S\n]{1,8}(?:[0-9][^\S\n]{1,8})?)" + _VALUE
)
# HSRP/VRRP plain-text authentication: standby 1 authentication [text] SECRET,
# vrrp 1 authentication text SECRET ("md5" leads to a key-string or key-chain, handled above)
_FHRP_AUTH = re.compile(
    r"(?i)(?<![\w-])((?:standby|vrrp)[^\S\n]{1,8}[0-9]{1,5}[^\S\n]{1,8}authentication[^\S\n]{1,8}"
    r"(?:text[^\S\n]{1,8})?)(?!md5[^\S\n]|text[^\S\n])" + _VALUE
)
# SNMP: snmp-server user U G v3 auth sha SECRET priv aes 128 SECRET; snmp-server host A
# [traps|informs] [version 1|2c|3 auth|noauth|priv] COMMUNITY [udp-port N] [notification types]
_SNMP_USER = re.compile(
    r"(?i)(?<![\w-])((?:auth|priv)[^\S\n]{1,8}(?:md5|sha\S{0,8}|des|3des|aes(?:[^\S\n]{1,8}"
    r"[0-9]{3})?)[^\S\n]{1,8})" + _VALUE
)
_SNMP_HOST = re.compile(
    r"(?i)(?<![\w-])(snmp-server[^\S\n]{1,8}host[^\S\n]{1,8}\S{1,64}"
    r"(?:[^\S\n]{1,8}(?:traps|informs|vrf[^\S\n]{1,8}\S{1,32}))?"
    r"(?:[^\S\n]{1,8}version[^\S\n]{1,8}(?:1|2c|3[^\S\n]{1,8}(?:auth|noauth|priv)))?[^\S\n]{1,8})"
    + _VALUE
)

_BLOB_MARKS = ("%^%#", "%$%$", "%@%@", "%#%#")
# Words of the keyword-led patterns above (lower case), one of which every match of them holds:
# text with none of them cannot take part in such a match, whatever follows it.  The scanner's
# memo of log-line redaction relies on this to redact a log line's message apart from a header
# that holds none of them (``ingest/scan._Redactor``; blobs and ``ipsec.secrets`` lines are
# handled there separately).  A new pattern adds its words here.
PATTERN_WORDS = ("key", "pass", "secret", "community", "psk", "cipher", "authentication-mode",
                 "snmp", "server", "standby", "vrrp", "privacy-mode")

# Values that name a field rather than hold a secret ("Pre-shared-key : -", "password-expired")
_HARMLESS = {"-", "", MASK}
# English words that follow "PSK"/"secret" in daemon log prose rather than a key after a bare
# separator: strongSwan "Aggressive Mode PSK disabled for security reasons", Libreswan
# "authby=secret and ID_...", "PSK authentication failed".  Only for a blank separator: after
# ":" or "=" any value is a secret.
_PROSE = frozenset(
    "disabled enabled and or for with is was not of to the a an by on in authentication auth "
    "failed mismatch mismatched found required used payload based key keys".split()
)


def _keyed(m: re.Match[str]) -> str:
    value = m.group(3)
    if value in _HARMLESS:
        return m.group(0)
    if value.lower() in _PROSE and not m.group(2).strip():
        return m.group(0)
    if m.group(1).lower() == "psk" and _psk_column(m):
        return m.group(0)
    return f"{m.group(1)}{m.group(2)}{MASK}"


def _psk_column(m: re.Match[str]) -> bool:
    """``psk`` as the auth column of ``show crypto isakmp sa detail`` (``psk 16 23:59:59``):
    the next token is a DH group (1-3 digits) and a lifetime ``h:mm:ss`` follows."""
    value = m.group(3)
    if not (value.isdigit() and len(value) <= 3):
        return False
    rest = m.string[m.end() : m.end() + 24].split(None, 1)
    if not rest:
        return False
    parts = rest[0].split(":")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


def _tail(m: re.Match[str]) -> str:
    if m.group(2) in _HARMLESS:
        return m.group(0)
    return m.group(1) + MASK


def _bare_key(m: re.Match[str]) -> str:
    value = m.group(2)
    if value in _HARMLESS or (value.isdigit() and len(value) <= 3):
        return m.group(0)
    return m.group(1) + MASK


def redact(text: str) -> str:
    """Return ``text`` with every secret replaced by ``<redacted>``."""
    if not text:
        return text
    if "%" in text and any(p in text for p in _BLOB_MARKS):
        text = _BLOB.sub(MASK, text)
    if ":" in text:
        text = _SECRETS_FILE.sub(_tail, text)
    low = text.lower()
    if "snmp-server" in low:
        if "host" in low:
            text = _SNMP_HOST.sub(_tail, text)
        if "user" in low:
            text = _SNMP_USER.sub(_tail, text)
    if ("standby" in low or "vrrp" in low) and "authentication" in low:
        text = _FHRP_AUTH.sub(_tail, text)
    # the words without which no keyword pattern can match ("in" beats a regex here)
    if not (
        "key" in low
        or "pass" in low
        or "secret" in low
        or "community" in low
        or "psk" in low
        or "cipher" in low
        or "authentication-mode" in low
    ):
        return text
    if "key" in low:
        text = _KEYRING.sub(_tail, text)
        if "server" in low:
            text = _SERVER_KEY.sub(_tail, text)
        if "pre-share" in low:
            text = _PRESHARE.sub(_tail, text)
        if low.lstrip().startswith("key"):
            text = _BARE_KEY.sub(_bare_key, text)
    if "authentication-mode" in low or "privacy-mode" in low:
        text = _AUTH_MODE.sub(_tail, text)
    return _KEYED.sub(_keyed, text)
