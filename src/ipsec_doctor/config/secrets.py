"""Pre-shared keys reduced to comparable digests (``model.Secret``); the key itself is dropped.

The digest is an HMAC-SHA256 under a random key drawn once per process, so the same key in two
configurations read by one run compares equal, while nothing printed or stored lets anyone test a
guess offline.  Call ``secret(value, encrypted=...)`` from a reader, then never keep ``value``.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from .model import Secret

_KEY = os.urandom(32)
_BLOB_MARKS = ("%^%#", "%$%$", "%@%@", "%#%#")


def secret(value: str | None, *, encrypted: bool | None = None) -> Secret:
    """A ``Secret`` for a key as written.  ``encrypted`` None guesses from Huawei blob markers;
    pass True for Cisco type 6/7/8 and other vendor-encrypted forms."""
    if value is None or value == "":
        return Secret(kind="missing")
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    if encrypted is None:
        encrypted = v.startswith(_BLOB_MARKS)
    digest = hmac.new(_KEY, v.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()
    return Secret(kind="cipher" if encrypted else "plain", digest=digest)
