"""What each vendor logs at each simulated failure point (data in ``messages.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any


@cache
def _table() -> dict[str, Any]:
    import yaml

    text = resources.files(__package__).joinpath("messages.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # unknown placeholder: keep it visible
        return "{" + key + "}"


# strongSwan prints DH groups by name (diffie_hellman_group_names)
STRONGSWAN_DH = {
    1: "MODP_768", 2: "MODP_1024", 5: "MODP_1536", 14: "MODP_2048", 15: "MODP_3072",
    16: "MODP_4096", 17: "MODP_6144", 18: "MODP_8192", 19: "ECP_256", 20: "ECP_384",
    21: "ECP_521", 22: "MODP_1024_160", 23: "MODP_2048_224", 24: "MODP_2048_256",
    25: "ECP_192", 26: "ECP_224", 31: "CURVE_25519", 32: "CURVE_448",
}


def dh_name(vendor: str, group: object) -> str:
    if vendor == "strongswan" and isinstance(group, int):
        return STRONGSWAN_DH.get(group, str(group))
    return str(group)


def lines(event: str | tuple[str, ...], vendor: str, role: str, *, version: int | None = None,
          attr: str | None = None, **values: object) -> list[str]:
    """The log lines ``vendor`` shows as ``role`` (initiator / responder) at ``event``.

    ``event`` may be a tuple: the specific event first, then more general ones.  For each,
    lookup order is ``event.attr.vN``, ``event.attr``, ``event.vN``, ``event``; the first key
    that has an entry for the vendor and role wins.  Placeholders are filled from ``values``
    (DH groups ``group`` / ``want`` by the vendor's own names)."""
    table = _table()
    keys = []
    for ev in (event,) if isinstance(event, str) else event:
        if attr:
            if version:
                keys.append(f"{ev}.{attr}.v{version}")
            keys.append(f"{ev}.{attr}")
        if version:
            keys.append(f"{ev}.v{version}")
        keys.append(ev)
    for k in ("group", "want"):
        if k in values:
            values[k] = dh_name(vendor, values[k])
    fill = _Keep({k: str(v) for k, v in values.items() if v is not None})
    for key in keys:
        per_role = table.get(key, {}).get(vendor, {})
        if role in per_role:
            return [line.format_map(fill) for line in per_role[role]]
    return []


def events() -> dict[str, Any]:
    """The raw table (for tests)."""
    return _table()
