"""strongSwan configuration reader: ``swanctl.conf`` and legacy ``ipsec.conf`` (+ the
``ipsec.secrets`` lines the ``check`` front end appends) to ``DeviceConfig``.

One ``Tunnel`` per CHILD_SA configuration (swanctl ``connections.CONN.children.CHILD``, named
``CONN/CHILD``, the connection's IKE settings repeated) or per loaded ipsec.conf ``conn``.
Shunt children (``mode = pass|drop``, ``type=passthrough|drop``) and conns that are not loaded
(``auto=ignore``, the ipsec.conf default) give no tunnel, only a note.

Facts the files do not state, and how they are modelled (sources in ``defaults/strongswan.yaml``):

* Interfaces: strongSwan names none.  The concrete ``local_addrs``/``left`` addresses become one
  synthetic interface ``local_addrs`` (``/32``) so that pairing by address works, and every
  tunnel is ``bound_interface = "local_addrs"`` (a loaded connection is always "applied").
  The host's routing table is not in the file either: one synthetic default route via
  ``local_addrs`` says "the host reaches its peers" (routing problems are not predicted).
* NAT-T cannot be switched off (``encap`` only forces UDP encapsulation): ``nat_traversal`` is
  always True.
* ``initiates`` is True only with ``start_action = trap|start`` (``auto=route|start``): a
  connection that is merely loaded (``none``/``auto=add``) never initiates by itself.
* Identities: ``local.id`` unset = the IP address IKE leaves from (``Identity("ip", None)``);
  swanctl ``remote.id`` unset = ``%any`` (``Identity("any")``: anything is accepted); ipsec.conf
  ``rightid`` unset = right's address, which *is* checked.
* ipsec.conf: ``left`` is taken as the local side (interface addresses are unknown); ``ike=``/
  ``esp=`` without a trailing ``!`` also accept charon's default proposals (appended).
* Libreswan: its ipsec.conf has the same shape; pluto-only keys (``ikev2=``,
  ``encapsulation=``, ``;`` before the DH group ...) switch to its keys and defaults
  (``platform = "libreswan"``, still ``vendor = "strongswan"``): ``encapsulation=no`` really
  disables NAT-T there, ``pfs=yes`` (default) reuses the IKE group, lists are strict.
* PSKs: a secret applies when its ids match the local or remote identity (best match wins, as
  charon's credential sets rank them), a secret without ids applies to every connection; ``0x``
  (hex) and ``0s`` (base64) keys are decoded first so that equal keys compare equal.
"""

from __future__ import annotations

from . import ConfigError
from .model import DeviceConfig
from .strongswan_common import VENDOR, _Ctx, defaults
from .strongswan_ipsec import parse_ipsec
from .strongswan_render import render
from .strongswan_swanctl import parse_swanctl
from .strongswan_syntax import parse_ipsec_conf

__all__ = ["VENDOR", "defaults", "detect", "parse", "render"]

# ------------------------------------------------------------------------------ detect

_SWANCTL_KEYS = ("local_addrs", "remote_addrs", "esp_proposals", "local_ts", "remote_ts",
                 "start_action", "proposals", "rekey_time")
_IPSEC_KEYS = ("left", "right", "leftsubnet", "rightsubnet", "leftid", "rightid", "authby",
               "keyexchange", "auto", "ike", "esp")


def detect(text: str) -> int:
    """0-100: how sure we are that ``text`` is a swanctl.conf or ipsec.conf(+secrets)."""
    swanctl = ipsec = secrets = 0
    for n, raw in enumerate(text.splitlines()):
        if n > 5000:
            break
        s = raw.split("#", 1)[0].strip()
        if not s:
            continue
        head = s.replace("{", " { ").split()
        if head[:2] == ["connections", "{"] or head[:2] == ["secrets", "{"]:
            swanctl += 50
        elif head[:2] == ["children", "{"]:
            swanctl += 20
        elif "=" in s and s.split("=", 1)[0].strip() in _SWANCTL_KEYS and " = " in f" {s} ":
            swanctl += 8
        if not raw[:1].isspace():
            if head[:2] == ["config", "setup"]:
                ipsec += 50
            elif head[0] == "conn" and len(head) == 2:
                ipsec += 40
            elif ": PSK " in f" {s} " or s.startswith(": RSA "):
                secrets += 15
        elif "=" in s and s.split("=", 1)[0].strip() in _IPSEC_KEYS:
            ipsec += 6
    # an ipsec.secrets alone is strongSwan, but not a configuration with tunnels
    return min(95, max(swanctl, ipsec + min(secrets, 30)))


def parse(text: str, source: str) -> list[DeviceConfig]:
    """One ``DeviceConfig`` for a swanctl.conf or ipsec.conf (+ appended ipsec.secrets) text."""
    if not text.strip():
        raise ConfigError(f"{source}: empty configuration")
    ctx = _Ctx(text, source)
    swanctl = any(
        ln.split("#", 1)[0].replace("{", " { ").split()[:2] in (["connections", "{"],
                                                               ["secrets", "{"])
        for ln in ctx.raw
    )
    if swanctl:
        dev = parse_swanctl(ctx, text)
    else:
        conns, secrets, includes, _boundary = parse_ipsec_conf(text, source)
        dev = parse_ipsec(ctx, conns, secrets, includes)
    _global_switches(ctx, dev)
    return [dev]


AGGRESSIVE_PSK = "i_dont_care_about_security_and_use_aggressive_mode_psk"


def _global_switches(ctx: _Ctx, dev: DeviceConfig) -> None:
    """strongswan.conf settings pasted along (``charon { ... }``): charon refuses IKEv1
    Aggressive Mode with a PSK as responder unless ``charon.i_dont_care_about_security_and_
    use_aggressive_mode_psk = yes``
    (default no); the flag ``aggressive-psk-allowed`` records that it was allowed."""
    for n, raw in enumerate(ctx.raw, 1):
        key, sep, value = raw.split("#", 1)[0].partition("=")
        if sep and key.strip().rsplit(".", 1)[-1] == AGGRESSIVE_PSK and value.strip().lower() in (
                "yes", "true", "1"):
            dev.flags["aggressive-psk-allowed"] = ctx.cite(n)
