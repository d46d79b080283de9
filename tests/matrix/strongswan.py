"""strongSwan half of the check matrix: swanctl.conf baselines for the standard scenario and one
single-attribute flip per attribute strongSwan can express (see ``/tmp/brief/COMMON.md``).

strongSwan owns no interfaces, routes, NAT or packet filter, so ``route``, ``nat_exempt``,
``security_rule.*`` and ``bind`` are omitted, as is ``sha2_truncation`` (a Huawei switch).
``nat_traversal`` is omitted too: charon always detects NAT and floats to UDP 4500; ``encap``
only *forces* encapsulation, nothing disables it (swanctl.conf(5) ``encap``, ``remote_port``).

Scenario mapping: ``local_addrs`` = the WAN address (b: 198.51.100.2, or 10.0.0.2 behind the
static NAT), ``local_ts``/``remote_ts`` = the LANs, PSK in ``secrets``, identities = the IP
addresses (behind NAT b sends 10.0.0.2, which a expects), DPD ``dpd_delay = 30s``, the child is
started on traffic (``start_action = trap``).  IKE lifetime 86400 s = ``rekey_time = 24h``, IPsec
lifetime 3600 s = child ``rekey_time = 1h``.
"""

from __future__ import annotations

from collections.abc import Callable

VENDOR = "strongswan"

_SIDES = {
    # side: (wan, peer, lan, peer lan)
    "a": ("192.0.2.1", "198.51.100.2", "10.1.1.0/24", "10.2.2.0/24"),
    "b": ("198.51.100.2", "192.0.2.1", "10.2.2.0/24", "10.1.1.0/24"),
}

_TEMPLATE = """\
# strongSwan swanctl.conf - ipsec-doctor check matrix, side {side} (IKEv{version})
connections {{
   {conn} {{
      version = {version}
      local_addrs = {wan}
      remote_addrs = {peer}
      proposals = {ike}
      rekey_time = 24h
      dpd_delay = 30s
      local {{
         auth = psk
         id = {local_id}
      }}
      remote {{
         auth = psk
         id = {remote_id}
      }}
      children {{
         lan-lan {{
            local_ts = {lan}
            remote_ts = {peer_lan}
            esp_proposals = aes256-sha256-modp2048
            mode = tunnel
            rekey_time = 1h
            dpd_action = restart
            start_action = trap
         }}
      }}
   }}
}}

secrets {{
   ike-{conn} {{
      id-local = {local_id}
      id-remote = {remote_id}
      secret = "Matrix-Key-42"
   }}
}}
"""


def baseline(side: str, version: int, nat: bool = False) -> str:
    """swanctl.conf of side ``a`` or ``b`` for IKE ``version`` 1 (main mode) or 2."""
    wan, peer, lan, peer_lan = _SIDES[side]
    if nat and side == "b":
        wan = "10.0.0.2"  # b's real address; a reaches it as 198.51.100.2 (static NAT)
    local_id = wan
    remote_id = peer
    if nat and side == "a":
        remote_id = "10.0.0.2"  # b identifies itself with its own (pre-NAT) address
    ike = "aes256-sha256-modp2048" if version == 1 else "aes256-sha256-prfsha256-modp2048"
    return _TEMPLATE.format(side=side, version=version, conn=f"site-{'b' if side == 'a' else 'a'}",
                            wan=wan, peer=peer, lan=lan, peer_lan=peer_lan, ike=ike,
                            local_id=local_id, remote_id=remote_id)


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _ike(new: str) -> Callable[[str, int, bool], str]:
    def f(text: str, version: int, nat: bool) -> str:
        old = "aes256-sha256-modp2048" if version == 1 else "aes256-sha256-prfsha256-modp2048"
        return _sub(text, f"proposals = {old}\n", f"proposals = {new(version)}\n")

    return f


def _child(new: str) -> Callable[[str, int, bool], str]:
    return lambda text, version, nat: _sub(
        text, "esp_proposals = aes256-sha256-modp2048", new)


def _local_id(text: str, version: int, nat: bool) -> str:
    return _sub(text, "local {\n         auth = psk\n         id = ",
                "local {\n         auth = psk\n         id = b.example.net\n         # was ")


def _remote_id(text: str, version: int, nat: bool) -> str:
    return _sub(text, "remote {\n         auth = psk\n         id = ",
                "remote {\n         auth = psk\n         id = a.example.net\n         # was ")


def _rsa(text: str, version: int, nat: bool) -> str:
    text = _sub(text, "local {\n         auth = psk\n",
                "local {\n         auth = pubkey\n         certs = bCert.pem\n")
    return _sub(text, "remote {\n         auth = psk\n", "remote {\n         auth = pubkey\n")


FLIPS: dict[str, Callable[[str, int, bool], str]] = {
    "ike.encryption": _ike(lambda v: "aes128-sha256-modp2048" if v == 1
                           else "aes128-sha256-prfsha256-modp2048"),
    "ike.integrity": _ike(lambda v: "aes256-sha1-modp2048" if v == 1
                          else "aes256-sha1-prfsha256-modp2048"),
    # the table marks ike.prf v2-only; in IKEv1 charon derives the PRF from the hash
    "ike.prf": _ike(lambda v: "aes256-sha256-prfsha1-modp2048"),
    "ike.dh": _ike(lambda v: "aes256-sha256-ecp256" if v == 1
                   else "aes256-sha256-prfsha256-ecp256"),
    "ike.auth_method": _rsa,
    "ike.lifetime": lambda t, v, n: _sub(t, "      rekey_time = 24h\n", "      rekey_time = 8h\n"),
    "psk": lambda t, v, n: _sub(t, 'secret = "Matrix-Key-42"', 'secret = "Other-Key-99"'),
    "ike_version": lambda t, v, n: _sub(t, f"version = {v}\n", f"version = {3 - v}\n"),
    "exchange_mode": lambda t, v, n: _sub(t, "      dpd_delay = 30s\n",
                                          "      dpd_delay = 30s\n      aggressive = yes\n"),
    "local_id": _local_id,
    "remote_id": _remote_id,
    "peer_address": lambda t, v, n: _sub(t, "remote_addrs = 192.0.2.1",
                                         "remote_addrs = 192.0.2.99"),
    # b's secondary WAN address (also used behind NAT: the flip is about the IKE source only)
    "local_address": lambda t, v, n: _sub(t, "local_addrs = 10.0.0.2" if n
                                          else "local_addrs = 198.51.100.2",
                                          "local_addrs = 198.51.100.3"),
    "dpd": lambda t, v, n: _sub(t, "      dpd_delay = 30s\n", ""),
    "child.protocol": _child("ah_proposals = sha256-modp2048"),
    "child.encryption": _child("esp_proposals = aes128-sha256-modp2048"),
    "child.integrity": _child("esp_proposals = aes256-sha1-modp2048"),
    # swanctl.conf(5) mode: "transport ... subject to mode negotiation; tunnel mode is negotiated
    # if the preferred mode is not available" -- a strongSwan responder configured for transport
    # falls back to tunnel when the initiator does not ask for transport (vendor fallback).
    "child.mode": lambda t, v, n: _sub(t, "mode = tunnel", "mode = transport"),
    "child.lifetime": lambda t, v, n: _sub(t, "            rekey_time = 1h\n",
                                           "            rekey_time = 8h\n"),
    # IKEv2: the first CHILD_SA takes its keys from IKE_SA_INIT, PFS only matters at rekeying
    "pfs": _child("esp_proposals = aes256-sha256"),
    "selectors": lambda t, v, n: _sub(t, "remote_ts = 10.1.1.0/24", "remote_ts = 10.1.9.0/24"),
    "selectors.narrow": lambda t, v, n: _sub(t, "local_ts = 10.2.2.0/24",
                                             "local_ts = 10.2.2.0/25"),
    # only start_action = trap|start initiates; 'none' merely loads the connection (responder)
    "responder_only": lambda t, v, n: _sub(t, "start_action = trap", "start_action = none"),
}
