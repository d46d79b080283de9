"""Cisco IOS / IOS-XE half of the ``check`` matrix: the standard scenario as an IOS running-config
(crypto map on the WAN interface, IKEv1 ISAKMP policy + key, or IKEv2 proposal/policy/keyring/
profile attached with ``set ikev2-profile``), PAT for LAN -> internet with a deny rule exempting
the protected traffic, and one single-attribute flip per key of the brief's table.

IOS cannot express ``security_rule.*`` (a router, not a zone firewall) or ``sha2_truncation``
(RFC 4868 only), so those keys are absent.
"""

from __future__ import annotations

from collections.abc import Callable

VENDOR = "cisco-ios"

PSK = "Matrix-Key-42"


def _side(side: str, nat: bool) -> dict[str, str]:
    if side == "a":
        return {"host": "a", "wan": "192.0.2.1", "sec": "", "gw": "192.0.2.254",
                "lan": "10.1.1", "rlan": "10.2.2", "peer": "198.51.100.2",
                "peer_id": "10.0.0.2" if nat else "198.51.100.2"}  # fmt: skip
    wan, sec, gw = (
        ("10.0.0.2", "10.0.0.3", "10.0.0.254")
        if nat
        else ("198.51.100.2", "198.51.100.3", "198.51.100.254")
    )
    return {"host": "b", "wan": wan, "sec": sec, "gw": gw, "lan": "10.2.2", "rlan": "10.1.1",
            "peer": "192.0.2.1", "peer_id": "192.0.2.1"}  # fmt: skip


def baseline(side: str, version: int, nat: bool = False) -> str:
    s = _side(side, nat)
    out = [
        "Building configuration...",
        "",
        "Current configuration : 2411 bytes",
        "!",
        "version 15.7",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "!",
        f"hostname {s['host']}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
    ]
    if version == 1:
        out += [
            "crypto isakmp policy 10",
            " encr aes 256",
            " hash sha256",
            " authentication pre-share",
            " group 14",
            " lifetime 86400",
            f"crypto isakmp key {PSK} address {s['peer']}",
            "crypto isakmp keepalive 10 3 periodic",
            "!",
        ]
    else:
        # a behind-NAT b sends its own (private) address as identity; a matches that one
        out += [
            "crypto ikev2 proposal PROP-AES256",
            " encryption aes-cbc-256",
            " integrity sha256",
            " prf sha256",
            " group 14",
            "!",
            "crypto ikev2 policy POL-1",
            " proposal PROP-AES256",
            "!",
            "crypto ikev2 keyring KR-PEER",
            " peer PEER",
            f"  address {s['peer']}",
            f"  pre-shared-key {PSK}",
            " !",
            "!",
            "crypto ikev2 profile IKEV2-PROF",
            f" match identity remote address {s['peer_id']} 255.255.255.255",
            " authentication remote pre-share",
            " authentication local pre-share",
            " keyring local KR-PEER",
            " lifetime 86400",
            " dpd 10 3 periodic",
            "!",
        ]
    out += [
        "crypto ipsec transform-set TS-AES256 esp-aes 256 esp-sha256-hmac",
        " mode tunnel",
        "!",
        "crypto map CMAP 10 ipsec-isakmp",
        f" set peer {s['peer']}",
        " set security-association lifetime seconds 3600",
        " set transform-set TS-AES256",
        " set pfs group14",
    ]
    if version == 2:
        out.append(" set ikev2-profile IKEV2-PROF")
    out += [
        " match address VPN-ACL",
        "!",
        "interface GigabitEthernet0/0",
        " description WAN",
        f" ip address {s['wan']} 255.255.255.0",
    ]
    if s["sec"]:
        out.append(f" ip address {s['sec']} 255.255.255.0 secondary")
    out += [
        " ip nat outside",
        " duplex auto",
        " speed auto",
        " crypto map CMAP",
        "!",
        "interface GigabitEthernet0/1",
        " description LAN",
        f" ip address {s['lan']}.1 255.255.255.0",
        " ip nat inside",
        "!",
        "ip forward-protocol nd",
        "!",
        "ip nat inside source list NAT-ACL interface GigabitEthernet0/0 overload",
        f"ip route 0.0.0.0 0.0.0.0 {s['gw']}",
        "!",
        "ip access-list extended NAT-ACL",
        f" deny   ip {s['lan']}.0 0.0.0.255 {s['rlan']}.0 0.0.0.255",
        f" permit ip {s['lan']}.0 0.0.0.255 any",
        "ip access-list extended VPN-ACL",
        f" permit ip {s['lan']}.0 0.0.0.255 {s['rlan']}.0 0.0.0.255",
        "!",
        "line con 0",
        "line vty 0 4",
        " login",
        "!",
        "end",
    ]
    return "\n".join(out) + "\n"


def _sub(old: str, new: str) -> Callable[[str, int, bool], str]:
    def flip(text: str, version: int, nat: bool) -> str:
        assert old in text, old
        return text.replace(old, new)

    return flip


def _by_version(v1: Callable[[str, int, bool], str], v2: Callable[[str, int, bool], str]):
    def flip(text: str, version: int, nat: bool) -> str:
        return (v1 if version == 1 else v2)(text, version, nat)

    return flip


def _insert_after(anchor: str, lines: str) -> Callable[[str, int, bool], str]:
    def flip(text: str, version: int, nat: bool) -> str:
        assert anchor in text, anchor
        return text.replace(anchor, anchor + lines, 1)

    return flip


def _ike_version(text: str, version: int, nat: bool) -> str:
    # the whole IKE half changes, so b's configuration is rebuilt for the other version
    return baseline("b", 2 if version == 1 else 1, nat)


def _exchange_mode(text: str, version: int, nat: bool) -> str:
    # IOS initiates aggressive mode for a peer with "set aggressive-mode client-endpoint"
    wan = "10.0.0.2" if nat else "198.51.100.2"
    return _insert_after(
        "crypto isakmp keepalive 10 3 periodic\n",
        "crypto isakmp peer address 192.0.2.1\n"
        f" set aggressive-mode password {PSK}\n"
        f" set aggressive-mode client-endpoint ipv4-address {wan}\n",
    )(text, version, nat)


def _local_id(text: str, version: int, nat: bool) -> str:
    if version == 1:  # "crypto isakmp identity hostname" sends hostname.domain (b.example.net)
        return _insert_after(
            "crypto isakmp keepalive 10 3 periodic\n",
            "crypto isakmp identity hostname\nip domain name example.net\n",
        )(text, version, nat)
    return _insert_after(" keyring local KR-PEER\n", " identity local fqdn b.example.net\n")(
        text, version, nat
    )


def _remote_id(text: str, version: int, nat: bool) -> str:
    if version == 1:  # an ISAKMP profile that only accepts a peer identifying as a.example.net
        text = _insert_after(
            "crypto isakmp keepalive 10 3 periodic\n",
            "crypto keyring KR-A\n"
            f"  pre-shared-key address 192.0.2.1 key {PSK}\n"
            "crypto isakmp profile PROF-A\n"
            "   keyring KR-A\n"
            "   match identity host a.example.net\n",
        )(text, version, nat)
        return _insert_after(" set pfs group14\n", " set isakmp-profile PROF-A\n")(
            text, version, nat
        )
    return _sub(
        " match identity remote address 192.0.2.1 255.255.255.255",
        " match identity remote fqdn a.example.net",
    )(text, version, nat)


def _peer_address(text: str, version: int, nat: bool) -> str:
    # the peer address and the key bound to it move together (IOS looks keys up by address);
    # the identity b expects from a (IKEv2 "match identity remote") is left alone
    text = text.replace(" set peer 192.0.2.1", " set peer 192.0.2.99")
    text = text.replace(f"key {PSK} address 192.0.2.1", f"key {PSK} address 192.0.2.99")
    return text.replace("  address 192.0.2.1\n", "  address 192.0.2.99\n")


def _local_address(text: str, version: int, nat: bool) -> str:
    # IOS sources IKE from an interface ("crypto map NAME local-address IF"), not from a
    # secondary address: the secondary moves to a loopback that the map uses as its source
    sec = "10.0.0.3" if nat else "198.51.100.3"
    text = _sub(f" ip address {sec} 255.255.255.0 secondary\n", "")(text, version, nat)
    text = _sub(
        "interface GigabitEthernet0/0\n",
        f"interface Loopback1\n ip address {sec} 255.255.255.255\n!\n"
        "interface GigabitEthernet0/0\n",
    )(text, version, nat)
    return _insert_after(" match address VPN-ACL\n", "crypto map CMAP local-address Loopback1\n")(
        text, version, nat
    )


def _responder_only(text: str, version: int, nat: bool) -> str:
    # the entry moves to a dynamic map (no peer, responder only) referenced by the crypto map
    text = _sub(
        "crypto map CMAP 10 ipsec-isakmp\n set peer 192.0.2.1\n", "crypto dynamic-map DMAP 10\n"
    )(text, version, nat)
    return _insert_after(
        " match address VPN-ACL\n", "crypto map CMAP 10 ipsec-isakmp dynamic DMAP\n"
    )(text, version, nat)


FLIPS: dict[str, Callable[[str, int, bool], str]] = {
    "ike.encryption": _by_version(
        _sub(" encr aes 256", " encr aes 128"),
        _sub(" encryption aes-cbc-256", " encryption aes-cbc-128"),
    ),
    "ike.integrity": _by_version(
        _sub(" hash sha256", " hash sha"), _sub(" integrity sha256", " integrity sha1")
    ),
    "ike.prf": _by_version(lambda t, v, n: t, _sub(" prf sha256", " prf sha1")),
    "ike.dh": _sub("\n group 14\n", "\n group 19\n"),
    "ike.auth_method": _by_version(
        _sub(" authentication pre-share", " authentication rsa-sig"),
        lambda t, v, n: _sub(
            " authentication remote pre-share\n authentication local pre-share",
            " authentication remote rsa-sig\n authentication local rsa-sig\n pki trustpoint TP-CA",
        )(t, v, n),
    ),
    # IOS deviation (IKEv1, b = IOS): an ISAKMP policy matches only when the initiator's lifetime
    # is <= the responder's ("Configuring Internet Key Exchange for IPsec VPNs": "the remote
    # peer's policy specifies a lifetime that is less than or equal to the lifetime in the policy
    # being compared"), so a initiating with 86400 s is refused by b (28800 s); b -> a works.
    "ike.lifetime": _sub(" lifetime 86400", " lifetime 28800"),
    "psk": _sub(PSK, "Other-Key-99"),
    "ike_version": _ike_version,
    # IOS deviation when a is IOS: an IOS responder answers aggressive mode unless "crypto isakmp
    # aggressive-mode disable" is configured, so b's aggressive initiation succeeds.
    "exchange_mode": _exchange_mode,
    # IOS deviation when a is IOS with IKEv1 and no ISAKMP profile: the key is found by the
    # peer's address and the ID payload is not checked, so b's FQDN identity is accepted.
    "local_id": _local_id,
    "remote_id": _remote_id,
    "peer_address": _peer_address,
    "local_address": _local_address,
    "nat_traversal": _insert_after(
        "boot-end-marker\n!\n", "no crypto ipsec nat-transparency udp-encapsulation\n!\n"
    ),
    "dpd": _by_version(
        _sub("crypto isakmp keepalive 10 3 periodic\n", ""), _sub(" dpd 10 3 periodic\n", "")
    ),
    "child.protocol": _sub("TS-AES256 esp-aes 256 esp-sha256-hmac", "TS-AES256 ah-sha256-hmac"),
    "child.encryption": _sub("esp-aes 256 esp-sha256-hmac", "esp-aes 128 esp-sha256-hmac"),
    "child.integrity": _sub("esp-aes 256 esp-sha256-hmac", "esp-aes 256 esp-sha-hmac"),
    # IOS deviation (expected: established): "mode transport" is only a request on IOS; the
    # router also offers tunnel mode (IKEv1 quick mode carries both) and accepts a peer's tunnel
    # proposal, so the tunnel still comes up in tunnel mode.  Only "mode transport require"
    # refuses tunnel mode.  Source: Cisco IOS Security Command Reference, "mode (IPsec)"
    # ("if the peer does not support transport mode, tunnel mode is used"); simulator switch
    # behaviours.yaml cisco-ios accepts_tunnel_when_transport_configured.
    "child.mode": _sub(" mode tunnel", " mode transport"),
    "child.lifetime": _sub("lifetime seconds 3600", "lifetime seconds 28800"),
    "pfs": _sub(" set pfs group14\n", ""),
    "selectors": _sub(
        " permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255",
        " permit ip 10.2.2.0 0.0.0.255 10.1.9.0 0.0.0.255",
    ),
    "selectors.narrow": _sub(
        " permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255",
        " permit ip 10.2.2.0 0.0.0.127 10.1.1.0 0.0.0.255",
    ),
    "bind": _sub(" crypto map CMAP\n", ""),
    "responder_only": _responder_only,
    "nat_exempt": _sub(" deny   ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255\n", ""),
    "route": lambda t, v, n: "\n".join(
        ln for ln in t.split("\n") if not ln.startswith("ip route 0.0.0.0 0.0.0.0 ")
    ),
}
