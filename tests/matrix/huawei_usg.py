"""Check-matrix half for Huawei USG firewalls (USG6000 V500R001 ``display current-configuration``).

``baseline(side, version, nat)`` builds the standard scenario of the common brief; ``FLIPS`` are
single changes on side b (shared ones in ``_huawei.py``).  USG choices:

* Zones: WAN in ``untrust``, LAN in ``trust``, the device itself is ``local``; security policy is
  default deny (seed 003 l.2194-2207).  Rules a careful engineer writes: ``ike_in`` (peer ->
  local: ESP, UDP 500 and 4500), ``ike_out`` (local -> peer), ``vpn_out`` / ``vpn_in`` (LAN <->
  remote LAN), ``internet`` (LAN -> untrust).  ``security_rule.ike`` removes ``ike_in``;
  ``security_rule.traffic`` removes ``vpn_out`` and ``vpn_in``.
* NAT: nat-policy ``no_nat_vpn`` (``action no-nat``) before ``internet`` (``action source-nat
  easy-ip``), as in seed 003 l.2125-2136; ``nat_exempt`` removes ``no_nat_vpn``.
* SHA2: the USG default is the standard 128-bit mode; ``sha2_truncation`` adds ``ipsec sha2
  compatible enable`` on b (seed 003 l.1836-1856).
* ``local_address``: ``tunnel local`` in the policy (seed 003 l.1242-1243).
"""

from __future__ import annotations

from matrix._huawei import (
    POLICY,
    Flip,
    _drop_block,
    _swap,
    common_flips,
    crypto_acl,
    peer,
    proposals,
    side,
)

VENDOR = "huawei-usg"


def _mask(net: str, mask: str = "255.255.255.0") -> str:
    return f"{net} mask {mask}"


def baseline(which: str, version: int, nat: bool = False) -> str:
    wan, gw, sec, lan, lan_ip, rlan, peer_ip = side(which, nat)
    name = "FW-A" if which == "a" else "FW-B"
    sub = f" ip address {sec} 255.255.255.0 sub\n" if sec else ""
    host = "255.255.255.255"
    return f"""\
#
 sysname {name}
#
{proposals()}{peer(which, version, nat, usg=True)}{POLICY}interface GigabitEthernet1/0/1
 undo shutdown
 ip address {wan} 255.255.255.0
{sub} ipsec policy map1
#
interface GigabitEthernet1/0/2
 undo shutdown
 ip address {lan_ip} 255.255.255.0
#
firewall zone local
 set priority 100
#
firewall zone trust
 set priority 85
 add interface GigabitEthernet1/0/2
#
firewall zone untrust
 set priority 5
 add interface GigabitEthernet1/0/1
#
 ip route-static 0.0.0.0 0.0.0.0 {gw}
#
{crypto_acl(which, nat)}security-policy
 default action deny
 rule name ike_in
  source-zone untrust
  destination-zone local
  source-address {_mask(peer_ip, host)}
  destination-address {_mask(wan, host)}
  service esp
  service protocol udp destination-port 500
  service protocol udp destination-port 4500
  action permit
 rule name ike_out
  source-zone local
  destination-zone untrust
  source-address {_mask(wan, host)}
  destination-address {_mask(peer_ip, host)}
  action permit
 rule name vpn_out
  source-zone trust
  destination-zone untrust
  source-address {_mask(lan)}
  destination-address {_mask(rlan)}
  action permit
 rule name vpn_in
  source-zone untrust
  destination-zone trust
  source-address {_mask(rlan)}
  destination-address {_mask(lan)}
  action permit
 rule name internet
  source-zone trust
  destination-zone untrust
  source-address {_mask(lan)}
  action permit
#
nat-policy
 rule name no_nat_vpn
  source-zone trust
  destination-zone untrust
  source-address {_mask(lan)}
  destination-address {_mask(rlan)}
  action no-nat
 rule name internet
  source-zone trust
  destination-zone untrust
  source-address {_mask(lan)}
  action source-nat easy-ip
#
return
"""


def _local_address(t: str, v: int, n: bool) -> str:
    sec = side("b", n)[2]
    return _swap(t, " pfs dh-group14", f" pfs dh-group14\n tunnel local {sec}")


def _traffic(t: str, v: int, n: bool) -> str:
    return _drop_block(_drop_block(t, " rule name vpn_out"), " rule name vpn_in")


FLIPS: dict[str, Flip] = {
    **common_flips(usg=True),
    "local_address": _local_address,
    "nat_exempt": lambda t, v, n: _drop_block(t, " rule name no_nat_vpn"),
    "security_rule.ike": lambda t, v, n: _drop_block(t, " rule name ike_in"),
    "security_rule.traffic": _traffic,
    "sha2_truncation": lambda t, v, n: _swap(
        t, " sysname FW-B", " sysname FW-B\n#\n ipsec sha2 compatible enable"
    ),
}
