"""Check-matrix half for Cisco ASA (``show running-config`` syntax, ASA 9.x).

``baseline(side, version, nat)`` builds the standard scenario of the common brief; ``FLIPS`` are
single changes on side b.  Firewall choices (documented, realistic for a careful engineer):

* ``no sysopt connection permit-vpn``: decrypted traffic is filtered by the outside interface
  ACL, which permits exactly remote LAN -> local LAN (Cisco ASA VPN CLI guide, General VPN
  Parameters: with ``no sysopt connection permit-vpn`` the outside ACL applies to traffic to
  inside hosts).  ``security_rule.traffic`` removes that ACL entry.
* IKE/ESP to the ASA itself is not governed by interface ACLs; the ASA answers IKE only on
  interfaces with ``crypto ikev1|ikev2 enable IF``.  ``security_rule.ike`` removes that line
  (the reader turns each such line into permit rules towards the ``local`` zone).
* Twice NAT identity rule (section 1) before the object PAT (section 2) = the NAT exemption.

Omitted flips (the ASA cannot express them): ``remote_id`` (no expected peer identity for PSK
tunnels), ``local_address`` (one address per interface, no secondary), ``child.protocol`` (ESP
only, no AH), ``sha2_truncation`` (always RFC 4868), ``ike.prf`` for v1, ``child.mode`` for v2
(IKEv2 IPsec proposals carry no mode).
"""

from __future__ import annotations

from collections.abc import Callable

VENDOR = "cisco-asa"

_SIDES = {
    # name, wan, wan gw, lan net, lan gw address, remote lan, peer, acl name
    "a": ("asa-a", "192.0.2.1", "192.0.2.254", "10.1.1.0", "10.1.1.1", "10.2.2.0",
          "198.51.100.2", "VPN-TO-B"),
    "b": ("asa-b", "198.51.100.2", "198.51.100.254", "10.2.2.0", "10.2.2.1", "10.1.1.0",
          "192.0.2.1", "VPN-TO-A"),
}
_MASK = "255.255.255.0"


def _crypto(side: str, version: int) -> str:
    """The version-specific crypto block (IKE enable/policy, transform set/proposal, map, keys)."""
    peer = _SIDES[side][6]
    if version == 1:
        return f"""\
crypto ipsec ikev1 transform-set TS-AES256-SHA256 esp-aes-256 esp-sha-256-hmac
crypto map outside_map 10 match address {_SIDES[side][7]}
crypto map outside_map 10 set pfs group14
crypto map outside_map 10 set peer {peer}
crypto map outside_map 10 set ikev1 transform-set TS-AES256-SHA256
crypto map outside_map 10 set security-association lifetime seconds 3600
crypto map outside_map interface outside
crypto ikev1 enable outside
crypto ikev1 policy 10
 authentication pre-share
 encryption aes-256
 hash sha256
 group 14
 lifetime 86400
tunnel-group {peer} type ipsec-l2l
tunnel-group {peer} ipsec-attributes
 ikev1 pre-shared-key Matrix-Key-42
 isakmp keepalive threshold 10 retry 2
"""
    return f"""\
crypto ipsec ikev2 ipsec-proposal PROP-AES256-SHA256
 protocol esp encryption aes-256
 protocol esp integrity sha-256
crypto map outside_map 10 match address {_SIDES[side][7]}
crypto map outside_map 10 set pfs group14
crypto map outside_map 10 set peer {peer}
crypto map outside_map 10 set ikev2 ipsec-proposal PROP-AES256-SHA256
crypto map outside_map 10 set security-association lifetime seconds 3600
crypto map outside_map interface outside
crypto ikev2 policy 10
 encryption aes-256
 integrity sha256
 group 14
 prf sha256
 lifetime seconds 86400
crypto ikev2 enable outside
tunnel-group {peer} type ipsec-l2l
tunnel-group {peer} ipsec-attributes
 ikev2 remote-authentication pre-shared-key Matrix-Key-42
 ikev2 local-authentication pre-shared-key Matrix-Key-42
 isakmp keepalive threshold 10 retry 2
"""


def baseline(side: str, version: int, nat: bool = False) -> str:
    name, wan, gw, lan, lan_gw, remote, _peer, acl = _SIDES[side]
    if side == "b" and nat:
        wan, gw = "10.0.0.2", "10.0.0.254"
    return f"""\
: Saved
:
ASA Version 9.12(4)
!
hostname {name}
enable password ***** encrypted
names
!
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address {wan} {_MASK}
!
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address {lan_gw} {_MASK}
!
object network LOCAL-LAN
 subnet {lan} {_MASK}
object network REMOTE-LAN
 subnet {remote} {_MASK}
object-group network LOCAL-NETS
 network-object object LOCAL-LAN
object-group network REMOTE-NETS
 network-object object REMOTE-LAN
access-list outside_access_in extended permit ip object-group REMOTE-NETS object-group LOCAL-NETS
access-list outside_access_in extended deny ip any any
access-list inside_access_in extended permit ip object-group LOCAL-NETS object-group REMOTE-NETS
access-list inside_access_in extended permit ip object LOCAL-LAN any
access-list {acl} extended permit ip object-group LOCAL-NETS object-group REMOTE-NETS
nat (inside,outside) source static LOCAL-NETS LOCAL-NETS destination static REMOTE-NETS REMOTE-NETS no-proxy-arp route-lookup
!
object network LOCAL-LAN
 nat (inside,outside) dynamic interface
access-group outside_access_in in interface outside
access-group inside_access_in in interface inside
route outside 0.0.0.0 0.0.0.0 {gw} 1
no sysopt connection permit-vpn
{_crypto(side, version)}!
: end
"""


def _sub(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"flip does not apply: {old!r} not in the configuration")
    return text.replace(old, new, 1)


def _drop_line(text: str, prefix: str) -> str:
    kept = [ln for ln in text.split("\n") if not ln.startswith(prefix)]
    if len(kept) == text.count("\n") + 1:
        raise ValueError(f"flip does not apply: no line starts with {prefix!r}")
    return "\n".join(kept)


def _unsupported(what: str) -> Callable[[str], str]:
    def f(text: str) -> str:
        raise NotImplementedError(what)

    return f


def _v(v1: Callable[[str], str], v2: Callable[[str], str]) -> Callable[[str, int, bool], str]:
    return lambda text, version, nat: (v1 if version == 1 else v2)(text)


def _ike_version(text: str, version: int, nat: bool) -> str:
    return _sub(text, _crypto("b", version), _crypto("b", 2 if version == 1 else 1))


def _dynamic(text: str, version: int, nat: bool) -> str:
    # responder only: the entry moves into a dynamic map (no peer); the ASA still picks the
    # tunnel-group named after the initiator's address
    text = _sub(text, "crypto map outside_map 10 set peer 192.0.2.1\n", "")
    text = text.replace("crypto map outside_map 10 ", "crypto dynamic-map DYN-MAP 10 ")
    return _sub(text, "crypto map outside_map interface outside\n",
                "crypto map outside_map 65535 ipsec-isakmp dynamic DYN-MAP\n"
                "crypto map outside_map interface outside\n")


def _nat_t(text: str, version: int, nat: bool) -> str:
    return _sub(text, "crypto map outside_map interface outside\n",
                "crypto map outside_map 10 set nat-t-disable\n"
                "crypto map outside_map interface outside\n")


FLIPS: dict[str, Callable[[str, int, bool], str]] = {
    "ike.encryption": lambda t, v, n: _sub(t, "\n encryption aes-256\n", "\n encryption aes\n"),
    "ike.integrity": _v(lambda t: _sub(t, " hash sha256\n", " hash sha\n"),
                        lambda t: _sub(t, " integrity sha256\n", " integrity sha\n")),
    # IKEv1 on the ASA has no separate PRF: only the v2 flip changes something
    "ike.prf": _v(_unsupported("IKEv1 on the ASA has no separate PRF"), lambda t: _sub(t, " prf sha256\n", " prf sha\n")),
    # IKEv1 on the ASA offers DH groups 1/2/5/14 only (Cisco Security Manager guide: "groups
    # 19-24 are not supported for IKEv1"): the v1 flip uses group 5, still a DH mismatch
    "ike.dh": _v(lambda t: _sub(t, " group 14\n", " group 5\n"),
                 lambda t: _sub(t, " group 14\n", " group 19\n")),
    "ike.auth_method": _v(
        lambda t: _sub(t, " authentication pre-share\n", " authentication rsa-sig\n"),
        lambda t: _sub(t, " ikev2 remote-authentication pre-shared-key Matrix-Key-42\n"
                       " ikev2 local-authentication pre-shared-key Matrix-Key-42\n",
                       " ikev2 remote-authentication certificate\n"
                       " ikev2 local-authentication certificate ASDM_TrustPoint0\n")),
    "ike.lifetime": _v(lambda t: _sub(t, " lifetime 86400\n", " lifetime 28800\n"),
                       lambda t: _sub(t, " lifetime seconds 86400\n",
                                      " lifetime seconds 28800\n")),
    "psk": lambda t, v, n: t.replace("Matrix-Key-42", "Other-Key-99"),
    "ike_version": _ike_version,
    # Deviation: 'set ikev1 phase1-mode aggressive' only changes how b initiates; an ASA
    # responder answers aggressive mode unless 'crypto ikev1 am-disable' is configured and b
    # answers a's main mode (ASA VPN CLI guide, Disabling IKEv1 Aggressive Mode) -> an ASA pair
    # establishes; a peer that refuses aggressive mode fails with exchange-mode-mismatch.
    "exchange_mode": _v(lambda t: _sub(t, "crypto map outside_map 10 set peer 192.0.2.1\n",
                                       "crypto map outside_map 10 set peer 192.0.2.1\n"
                                       "crypto map outside_map 10 set ikev1 phase1-mode "
                                       "aggressive\n"),
                        _unsupported("exchange modes exist in IKEv1 only")),
    # the ASA sends its FQDN (hostname.domain-name) with 'crypto isakmp identity hostname'.
    # An ASA peer a picks the tunnel-group by address for pre-shared keys and does not compare
    # the identity (peer-id-validate concerns certificates) -> established against an ASA.
    "local_id": lambda t, v, n: _sub(_sub(t, "hostname asa-b\n",
                                          "hostname b\ndomain-name example.net\n"),
                                     "crypto map outside_map interface outside\n",
                                     "crypto map outside_map interface outside\n"
                                     "crypto isakmp identity hostname\n"),
    "peer_address": lambda t, v, n: _sub(t, "set peer 192.0.2.1\n", "set peer 192.0.2.99\n"),
    "nat_traversal": _nat_t,
    "dpd": lambda t, v, n: _sub(t, " isakmp keepalive threshold 10 retry 2\n",
                                " isakmp keepalive disable\n"),
    "child.encryption": _v(
        lambda t: _sub(t, " esp-aes-256 esp-sha-256-hmac\n", " esp-aes esp-sha-256-hmac\n"),
        lambda t: _sub(t, " protocol esp encryption aes-256\n", " protocol esp encryption aes\n")),
    "child.integrity": _v(
        lambda t: _sub(t, " esp-aes-256 esp-sha-256-hmac\n", " esp-aes-256 esp-sha-hmac\n"),
        lambda t: _sub(t, " protocol esp integrity sha-256\n", " protocol esp integrity sha-1\n")),
    # Deviation: the ASA treats 'mode transport' as a request and falls back to tunnel mode when
    # the peer proposes tunnel (ASA command reference, crypto ipsec ikev1 transform-set mode
    # transport) -> expected to establish in tunnel mode.  IKEv2 proposals have no mode.
    "child.mode": _v(lambda t: _sub(t, "crypto ipsec ikev1 transform-set TS-AES256-SHA256 "
                                    "esp-aes-256 esp-sha-256-hmac\n",
                                    "crypto ipsec ikev1 transform-set TS-AES256-SHA256 "
                                    "esp-aes-256 esp-sha-256-hmac\n"
                                    "crypto ipsec ikev1 transform-set TS-AES256-SHA256 "
                                    "mode transport\n"),
                     _unsupported("ASA IKEv2 IPsec proposals carry no mode")),
    "child.lifetime": lambda t, v, n: _sub(t, "lifetime seconds 3600\n",
                                           "lifetime seconds 28800\n"),
    "pfs": lambda t, v, n: _sub(t, "crypto map outside_map 10 set pfs group14\n", ""),
    "selectors": lambda t, v, n: _sub(
        t, "access-list VPN-TO-A extended permit ip object-group LOCAL-NETS object-group "
        "REMOTE-NETS\n",
        "access-list VPN-TO-A extended permit ip object-group LOCAL-NETS 10.1.9.0 "
        "255.255.255.0\n"),
    "selectors.narrow": lambda t, v, n: _sub(
        t, "access-list VPN-TO-A extended permit ip object-group LOCAL-NETS object-group "
        "REMOTE-NETS\n",
        "access-list VPN-TO-A extended permit ip 10.2.2.0 255.255.255.128 object-group "
        "REMOTE-NETS\n"),
    "bind": lambda t, v, n: _sub(t, "crypto map outside_map interface outside\n", ""),
    "responder_only": _dynamic,
    "nat_exempt": lambda t, v, n: _sub(
        t, "nat (inside,outside) source static LOCAL-NETS LOCAL-NETS destination static "
        "REMOTE-NETS REMOTE-NETS no-proxy-arp route-lookup\n", ""),
    "security_rule.ike": lambda t, v, n: _sub(t, f"crypto ikev{v} enable outside\n", ""),
    "security_rule.traffic": lambda t, v, n: _sub(
        t, "access-list outside_access_in extended permit ip object-group REMOTE-NETS "
        "object-group LOCAL-NETS\n", ""),
    "route": lambda t, v, n: _drop_line(t, "route outside 0.0.0.0 0.0.0.0 "),
}

# flips that do not apply to one IKE version (the function raises NotImplementedError)
NOT_FOR_VERSION = {1: {"ike.prf"}, 2: {"exchange_mode", "child.mode"}}
