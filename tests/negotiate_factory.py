"""Builds ``config.model`` objects for the simulator tests: the standard scenario of the check
matrix (tests/matrix), side a 192.0.2.1 / 10.1.1.0/24, side b 198.51.100.2 / 10.2.2.0/24 (or
10.0.0.2 behind a static NAT seen as 198.51.100.2), IKE AES-CBC-256/SHA2-256/DH14/PSK, ESP
AES-CBC-256/SHA2-256 tunnel, PFS 14.  ``pair(...)`` returns (a, ta, b, tb); tests then mutate one
attribute the way a reader would have produced it."""

from __future__ import annotations

from ipsec_doctor.config.model import (
    ChildProposal,
    DeviceConfig,
    IkeProposal,
    Interface,
    NatRule,
    Route,
    SecurityRule,
    Selector,
    Tunnel,
)
from ipsec_doctor.config.secrets import secret
from ipsec_doctor.model import Line

FIELDS = ("psk", "pfs", "local_id", "remote_id", "peer_addresses", "local_address",
          "bound_interface", "exchange_mode", "ike_versions", "nat_traversal", "dpd",
          "selectors", "local_auth", "remote_auth", "sha2_truncation")

NETS = {"a": ("10.1.1.0/24", "10.2.2.0/24"), "b": ("10.2.2.0/24", "10.1.1.0/24")}


def line(source: str, n: int, text: str) -> Line:
    return Line(source, n, text)


def ike(name: str = "10", source: str = "x.cfg", **kw) -> IkeProposal:
    base = dict(encryption=("aes-cbc-256",), integrity=("sha2-256",), prf=("sha2-256",),
                dh=(14,), auth_method="psk", lifetime=86400)
    base.update(kw)
    return IkeProposal(name=name, ev=line(source, 1, f"ike proposal {name}"),
                       lines={k: line(source, 2 + i, f"{k} {v}") for i, (k, v) in
                              enumerate(base.items())}, **base)


def esp(name: str = "p1", source: str = "x.cfg", **kw) -> ChildProposal:
    base = dict(protocol="esp", encryption=("aes-cbc-256",), integrity=("sha2-256",),
                mode="tunnel", lifetime=3600)
    base.update(kw)
    return ChildProposal(name=name, ev=line(source, 20, f"ipsec proposal {name}"),
                         lines={k: line(source, 21 + i, f"{k} {v}") for i, (k, v) in
                                enumerate(base.items())}, **base)


def device(side: str, version: int = 1, nat: bool = False, vendor: str = "huawei",
           firewall: bool = False) -> tuple[DeviceConfig, Tunnel]:
    src = f"{side}.cfg"
    local, remote = NETS[side]
    lan_ip = "10.1.1.1/24" if side == "a" else "10.2.2.1/24"
    if side == "a":
        wan, gw, secondary = ("192.0.2.1/24",), "192.0.2.254", ()
        peer = "198.51.100.2"
    else:
        wan = ("10.0.0.2/24",) if nat else ("198.51.100.2/24",)
        gw = "10.0.0.254" if nat else "198.51.100.254"
        secondary = () if nat else ("198.51.100.3/24",)
        peer = "192.0.2.1"
    dev = DeviceConfig(
        vendor=vendor, name=f"gw-{side}", source=src, firewall=firewall,
        interfaces=[
            Interface(name="WAN", addresses=wan, secondary=secondary, zone="untrust"),
            Interface(name="LAN", addresses=(lan_ip,), zone="trust"),
        ],
        routes=[Route(prefix="0.0.0.0/0", next_hop=gw, ev=line(src, 90, f"route 0/0 {gw}"))],
        nat_rules=[NatRule(kind="source", interface="WAN", name="3000",
                           ev=line(src, 80, "nat outbound 3000"),
                           match=[Selector(action="deny", src=local, dst=remote,
                                           ev=line(src, 81, "rule 5 deny")),
                                  Selector(action="permit", src=local, dst="0.0.0.0/0",
                                           ev=line(src, 82, "rule 10 permit"))])],
    )
    if firewall:
        dev.security_rules = [
            SecurityRule(name="ike", action="permit", source_zones=("untrust",),
                         destination_zones=("local",), position=1,
                         selector=Selector(protocol=17, dst_ports=(500, 4500)),
                         ev=line(src, 70, "rule name ike")),
            SecurityRule(name="esp", action="permit", source_zones=("untrust",),
                         destination_zones=("local",), position=2,
                         selector=Selector(protocol=50), ev=line(src, 71, "rule name esp")),
            SecurityRule(name="out", action="permit", source_zones=("trust",),
                         destination_zones=("untrust",), position=3,
                         selector=Selector(src=local, dst=remote), ev=line(src, 72, "rule out")),
            SecurityRule(name="in", action="permit", source_zones=("untrust",),
                         destination_zones=("trust",), position=4,
                         selector=Selector(src=remote, dst=local), ev=line(src, 73, "rule in")),
        ]
    tun = Tunnel(
        name="map1 10", ike_versions=(version,), initiate_version=version,
        ike_proposals=[ike(source=src)], child_proposals=[esp(source=src)],
        psk=secret("Matrix-Key-42"), peer_addresses=(peer,), nat_traversal=True, dpd=True,
        pfs=14, selectors=[Selector(src=local, dst=remote, ev=line(src, 60, "rule 5 permit"))],
        bound_interface="WAN", ev=line(src, 50, "ipsec policy map1 10 isakmp"),
        lines={f: line(src, 100 + i, f"<{f}>") for i, f in enumerate(FIELDS)},
    )
    if nat and side == "a":
        tun.auth_addresses = ("10.0.0.2",)
    dev.tunnels = [tun]
    return dev, tun


def pair(version: int = 1, nat: bool = False, va: str = "huawei", vb: str = "huawei",
         firewall: bool = False):
    a, ta = device("a", version, nat, va, firewall)
    b, tb = device("b", version, nat, vb, firewall)
    return a, ta, b, tb


def causes(result, initiator: str | None = None) -> list[str]:
    return [f.cause for d in result.directions if initiator in (None, d.initiator)
            for f in d.failures]


def direction(result, initiator: str):
    return next(d for d in result.directions if d.initiator == initiator)


# The check-matrix flips (COMMON.md table) expressed on the model, applied to side b the way a
# reader would have produced the changed configuration: attribute -> f(device_b, tunnel_b, version)
def _set(obj, **kw) -> None:
    for k, v in kw.items():
        setattr(obj, k, v)


def _flip_ah(dev, t, v):
    _set(t.child_proposals[0], protocol="ah", encryption=(), integrity=(),
         ah_integrity=("sha2-256",))


def _flip_auth(dev, t, v):
    _set(t.ike_proposals[0], auth_method="rsa-sig")
    _set(t, local_auth="rsa-sig")


def _flip_traffic_rules(dev, t, v):
    dev.security_rules = [r for r in dev.security_rules if r.name not in ("in", "out")]


def _flip_responder(dev, t, v):
    _set(t, initiates=False, peer_any=True, peer_addresses=(), kind="template")


FLIPS = {
    "ike.encryption": lambda d, t, v: _set(t.ike_proposals[0], encryption=("aes-cbc-128",)),
    "ike.integrity": lambda d, t, v: _set(t.ike_proposals[0], integrity=("sha1",)),
    "ike.prf": lambda d, t, v: _set(t.ike_proposals[0], prf=("sha1",)),
    "ike.dh": lambda d, t, v: _set(t.ike_proposals[0], dh=(19,)),
    "ike.auth_method": _flip_auth,
    "ike.lifetime": lambda d, t, v: _set(t.ike_proposals[0], lifetime=28800),
    "psk": lambda d, t, v: _set(t, psk=secret("Other-Key-99")),
    "ike_version": lambda d, t, v: _set(t, ike_versions=(3 - v,), initiate_version=3 - v),
    "exchange_mode": lambda d, t, v: _set(t, exchange_mode="aggressive"),
    "local_id": lambda d, t, v: _set(t, local_id=_identity("fqdn", "b.example.net")),
    "remote_id": lambda d, t, v: _set(t, remote_id=_identity("fqdn", "a.example.net")),
    "peer_address": lambda d, t, v: _set(t, peer_addresses=("192.0.2.99",)),
    "local_address": lambda d, t, v: _set(t, local_address="198.51.100.3"),
    "nat_traversal": lambda d, t, v: _set(t, nat_traversal=False),
    "dpd": lambda d, t, v: _set(t, dpd=False),
    "child.protocol": _flip_ah,
    "child.encryption": lambda d, t, v: _set(t.child_proposals[0], encryption=("aes-cbc-128",)),
    "child.integrity": lambda d, t, v: _set(t.child_proposals[0], integrity=("sha1",)),
    "child.mode": lambda d, t, v: _set(t.child_proposals[0], mode="transport"),
    "child.lifetime": lambda d, t, v: _set(t.child_proposals[0], lifetime=28800),
    "pfs": lambda d, t, v: _set(t, pfs=None),
    "selectors": lambda d, t, v: _set(t, selectors=[Selector(src="10.2.2.0/24",
                                                             dst="10.1.9.0/24")]),
    "selectors.narrow": lambda d, t, v: _set(t, selectors=[Selector(src="10.2.2.0/25",
                                                                    dst="10.1.1.0/24")]),
    "bind": lambda d, t, v: _set(t, bound_interface=None),
    "responder_only": _flip_responder,
    "nat_exempt": lambda d, t, v: d.nat_rules[0].match.pop(0),
    "security_rule.ike": lambda d, t, v: d.security_rules.pop(0),
    "security_rule.traffic": _flip_traffic_rules,
    "route": lambda d, t, v: _set(d, routes=[]),
    "sha2_truncation": lambda d, t, v: _set(t, sha2_truncation=96),
}


def _identity(kind: str, value: str):
    from ipsec_doctor.config.model import Identity

    return Identity(type=kind, value=value)
