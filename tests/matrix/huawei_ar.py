"""Check-matrix half for Huawei AR routers (VRP V200R010 ``display current-configuration``).

``baseline(side, version, nat)`` builds the standard scenario of the common brief; ``FLIPS`` are
single changes on side b (shared ones in ``_huawei.py``).  AR choices:

* ``ipsec authentication sha2 compatible enable`` on both ends: the AR default SHA2 ESP mode is
  not interoperable with RFC 4868 peers (seed 002 l.1030-1060 and l.1820-1860);
  ``sha2_truncation`` removes it on b.
* Source NAT = ``nat outbound 3001`` on the WAN interface; rule 5 of ACL 3001 denies the protected
  traffic (the exemption, seed 002 l.960-963); ``nat_exempt`` removes that rule.
* ``local_address``: ``local-address`` in the IKE peer (the secondary WAN address).
* No firewall: ``security_rule.*`` flips are omitted (an AR has no default-deny zones here).
"""

from __future__ import annotations

from matrix._huawei import (
    POLICY,
    Flip,
    _swap,
    common_flips,
    crypto_acl,
    peer,
    proposals,
    side,
    wild,
)

VENDOR = "huawei-ar"


def baseline(which: str, version: int, nat: bool = False) -> str:
    wan, gw, sec, lan, lan_ip, rlan, _ = side(which, nat)
    name = "AR-A" if which == "a" else "AR-B"
    sub = f" ip address {sec} 255.255.255.0 sub\n" if sec else ""
    return f"""\
#
 sysname {name}
#
 ipsec authentication sha2 compatible enable
#
{crypto_acl(which, nat)}acl number 3001
 rule 5 deny ip source {wild(lan)} destination {wild(rlan)}
 rule 10 permit ip source {wild(lan)}
#
{proposals()}{peer(which, version, nat, usg=False)}{POLICY}interface GigabitEthernet0/0/1
 ip address {wan} 255.255.255.0
{sub} nat outbound 3001
 ipsec policy map1
#
interface GigabitEthernet0/0/2
 ip address {lan_ip} 255.255.255.0
#
 ip route-static 0.0.0.0 0.0.0.0 {gw}
#
return
"""


def _nat_exempt(t: str, v: int, n: bool) -> str:
    _, _, _, lan, _, rlan, _ = side("b", n)
    return _swap(t, f" rule 5 deny ip source {wild(lan)} destination {wild(rlan)}", "")


def _local_address(t: str, v: int, n: bool) -> str:
    sec = side("b", n)[2]
    return _swap(t, " nat traversal", f" nat traversal\n local-address {sec}")


FLIPS: dict[str, Flip] = {
    **common_flips(usg=False),
    "local_address": _local_address,
    "nat_exempt": _nat_exempt,
    # AR default (no compatible switch) is the 96-bit pre-RFC 4868 mode
    "sha2_truncation": lambda t, v, n: _swap(t, " ipsec authentication sha2 compatible enable", ""),
}
