"""Configuration readers: vendor configuration text -> ``config.model.DeviceConfig``.

Each reader module (``huawei``, ``cisco_ios``, ``cisco_asa``, ``strongswan``) exposes

* ``VENDOR``: the ``DeviceConfig.vendor`` value it produces;
* ``detect(text: str) -> int``: how sure it is that the text is its syntax (0-100);
* ``parse(text: str, source: str) -> list[DeviceConfig]``: one entry per device in the text;
* ``render(change: Change, device: DeviceConfig, tunnel: Tunnel) -> list[str]``: the commands
  that apply a ``Change`` in its syntax.

``load_text`` picks the reader with the highest ``detect`` score.  Readers receive the raw text
(so that pre-shared keys can be digested) and must redact every line they keep
(``redact.redact``).
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from .model import DeviceConfig

READERS = ("huawei", "cisco_ios", "cisco_asa", "strongswan")


class ConfigError(ValueError):
    """The text is not a configuration any reader understands (message is safe to print)."""


def reader(name: str) -> ModuleType:
    return import_module(f"{__name__}.{name}")


def reader_for_vendor(vendor: str) -> ModuleType:
    for name in READERS:
        mod = reader(name)
        if mod.VENDOR == vendor:
            return mod
    raise KeyError(vendor)


def load_text(text: str, source: str) -> list[DeviceConfig]:
    """Parse one configuration file's text with the best-matching reader."""
    scored = []
    for name in READERS:
        try:
            mod = reader(name)
        except ImportError:  # reader not written yet
            continue
        scored.append((mod.detect(text), name, mod))
    scored.sort(key=lambda t: -t[0])
    if not scored or scored[0][0] <= 0:
        raise ConfigError(f"{source}: not a Huawei, Cisco IOS/ASA or strongSwan configuration")
    return scored[0][2].parse(text, source)
