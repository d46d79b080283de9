"""Reading configuration files for ``check``: files named on the command line, or every file of
a folder (fleet mode).  The only I/O of the check path.

Named files must parse (else ``InputError``: exit 2); in a folder, files that are not a
configuration of a supported vendor are listed as skipped, not fatal.  A legacy strongSwan
``ipsec.conf`` gets its sibling ``ipsec.secrets`` appended so that keys can be compared.
"""

from __future__ import annotations

import os

from ..config import ConfigError, load_text
from ..config.model import DeviceConfig
from ..errors import InputError
from ..ingest.reader import open_source, read_all
from ..redact import redact
from .report import Skipped

MAX_FILES = 5000


def _text(path: str) -> tuple[str, str]:
    src = open_source(path)
    if src.mode == "capture":
        raise InputError(f"{src.name}: a packet capture, not a configuration")
    if src.mode != "full":
        raise InputError(f"{src.name}: too large for a configuration (over 16 MB)")
    return src.name, read_all(src)


def _read(path: str) -> tuple[str, str]:
    name, text = _text(path)
    for extra in _companions(path):
        if os.path.getsize(extra) == 0:
            continue  # an empty ipsec.secrets / strongswan.conf adds nothing
        text = text.rstrip("\n") + "\n" + _text(extra)[1]
    return name, text


def _companions(path: str) -> list[str]:
    """Files that complete a strongSwan configuration: ``ipsec.secrets`` next to
    ``ipsec.conf``; the daemon's ``strongswan.conf`` (global switches such as aggressive-mode
    PSK) next to ``X.swanctl.conf`` as ``X.strongswan.conf``, or one folder up from
    ``swanctl/swanctl.conf`` (the /etc layout)."""
    folder, base = os.path.split(path)
    folder = folder or "."
    out: list[str] = []
    if base == "ipsec.conf":
        out.append(os.path.join(folder, "ipsec.secrets"))
    elif base.endswith(".ipsec.conf"):
        out.append(os.path.join(folder, base[: -len("ipsec.conf")] + "ipsec.secrets"))
    elif base.endswith(".swanctl.conf"):
        out.append(os.path.join(folder, base[: -len("swanctl.conf")] + "strongswan.conf"))
    elif base == "swanctl.conf":
        out.append(os.path.join(folder, "strongswan.conf"))
        if os.path.basename(folder) == "swanctl":
            out.append(os.path.join(os.path.dirname(folder) or ".", "strongswan.conf"))
    return [f for f in out if os.path.isfile(f)][:1]


def _parse(name: str, text: str) -> list[DeviceConfig]:
    if not text.strip():
        raise InputError(f"{name}: empty file")
    try:
        devices = load_text(text, name)
    except ConfigError as exc:
        raise InputError(redact(str(exc))) from None
    if not devices:
        raise InputError(f"{name}: no device configuration found")
    return devices


def _folder_files(folder: str) -> list[str]:
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.startswith(".") or f.endswith(("ipsec.secrets", "strongswan.conf")):
                continue  # read together with the configuration they complete
            out.append(os.path.join(root, f))
            if len(out) > MAX_FILES:
                raise InputError(f"{folder}: more than {MAX_FILES} files")
    return out


def load_paths(paths: list[str]) -> tuple[list[DeviceConfig], list[Skipped]]:
    """Devices from files and folders, in the order given; skipped folder members."""
    devices: list[DeviceConfig] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for f in _folder_files(path):
                try:
                    name, text = _read(f)
                    devices += _parse(name, text)
                except InputError as exc:
                    name = redact(f)
                    why = str(exc).removeprefix(f"{name}: ")
                    skipped.append(Skipped(source=name, why=why))
            continue
        name, text = _read(path)
        devices += _parse(name, text)
    return devices, skipped
