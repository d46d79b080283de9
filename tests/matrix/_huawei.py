"""Shared builder of the Huawei check-matrix halves (``huawei_ar.py``, ``huawei_usg.py``).

Configurations are written as ``display current-configuration`` prints them (section headers flush
left, sub-commands indented by one blank, ``#`` between sections), in VRP syntax as the reference
seeds show it (seed 002 l.1583-1604 AR policy/peer/proposal blocks, seed 003 l.2125-2230 USG
nat-policy and security-policy, seed 003 l.1191-1197 interface with a ``sub`` address).

Flips are single, line-level edits of side b's text; ``_swap`` refuses to edit anything but exactly
one whole line so that a baseline change cannot silently turn a flip into a no-op.
"""

from __future__ import annotations

from collections.abc import Callable

KEY = "Matrix-Key-42"

# side -> (wan, gw, secondary, lan net, lan address, remote lan, peer)
_PLAIN = {
    "a": ("192.0.2.1", "192.0.2.254", None, "10.1.1.0", "10.1.1.1", "10.2.2.0", "198.51.100.2"),
    "b": (
        "198.51.100.2",
        "198.51.100.254",
        "198.51.100.3",
        "10.2.2.0",
        "10.2.2.1",
        "10.1.1.0",
        "192.0.2.1",
    ),
}
# b behind a static NAT: private WAN, reached by a as 198.51.100.2
_NAT_B = ("10.0.0.2", "10.0.0.254", "10.0.0.3", "10.2.2.0", "10.2.2.1", "10.1.1.0", "192.0.2.1")


def side(which: str, nat: bool) -> tuple:
    return _NAT_B if (which == "b" and nat) else _PLAIN[which]


def _peer_block(which: str, version: int, nat: bool, usg: bool) -> str:
    peer = side(which, nat)[6]
    lines = ["ike peer peer1", " undo version 2" if version == 1 else " undo version 1"]
    if version == 1:
        lines.append(" exchange-mode main")
    lines.append(f" pre-shared-key {KEY}" if usg else f" pre-shared-key simple {KEY}")
    lines += [" ike-proposal 10", f" remote-address {peer}"]
    if which == "a" and nat:
        # b's IKE packets carry its private address as IP identity (seed 002 l.1224-1275)
        lines.append(f" remote-address authentication-address {_NAT_B[0]}")
    lines += [" nat traversal", " dpd type periodic"]
    return "\n".join(lines) + "\n"


def proposals() -> str:
    return """\
ipsec proposal prop1
 transform esp
 encapsulation-mode tunnel
 esp authentication-algorithm sha2-256
 esp encryption-algorithm aes-256
#
ike proposal 10
 encryption-algorithm aes-256
 dh group14
 authentication-algorithm sha2-256
 authentication-method pre-share
 integrity-algorithm hmac-sha2-256
 prf hmac-sha2-256
 sa duration 86400
#
"""


POLICY = """\
ipsec policy map1 10 isakmp
 security acl 3000
 ike-peer peer1
 proposal prop1
 pfs dh-group14
 sa duration time-based 3600
#
"""


def wild(net: str, mask: str = "0.0.0.255") -> str:
    return f"{net} {mask}"


def crypto_acl(which: str, nat: bool) -> str:
    _, _, _, lan, _, rlan, _ = side(which, nat)
    return f"""\
acl number 3000
 rule 5 permit ip source {wild(lan)} destination {wild(rlan)}
#
"""


def peer(which: str, version: int, nat: bool, usg: bool) -> str:
    return _peer_block(which, version, nat, usg) + "#\n"


# -- flips ----------------------------------------------------------------------------------------

Flip = Callable[[str, int, bool], str]


def _swap(text: str, old: str, new: str) -> str:
    """Replace the one whole line ``old`` (without newline) by ``new`` (lines, may be empty)."""
    lines = text.split("\n")
    hits = [i for i, ln in enumerate(lines) if ln == old]
    if len(hits) != 1:
        raise AssertionError(f"flip expects exactly one line {old!r}, found {len(hits)}")
    i = hits[0]
    repl = new.split("\n") if new else []
    return "\n".join(lines[:i] + repl + lines[i + 1 :])


def _after(text: str, anchor: str, new: str) -> str:
    return _swap(text, anchor, f"{anchor}\n{new}")


def _drop_block(text: str, header: str) -> str:
    """Remove a policy rule block (`` rule name X`` and its deeper-indented lines)."""
    lines = text.split("\n")
    i = lines.index(header)
    j = i + 1
    while j < len(lines) and lines[j].startswith("  "):
        j += 1
    return "\n".join(lines[:i] + lines[j:])


def _responder_only(text: str, version: int, nat: bool) -> str:
    """The ISAKMP entry becomes a policy template referenced by the policy (seed 002
    l.1597-1602: ``ipsec policy-template hrui 10`` + ``ipsec policy huir 10 isakmp template
    hrui``); the template keeps its remote-address."""
    text = _swap(text, "ipsec policy map1 10 isakmp", "ipsec policy-template tpl1 10")
    return _swap(
        text,
        " sa duration time-based 3600",
        " sa duration time-based 3600\n#\nipsec policy map1 10 isakmp template tpl1",
    )


def common_flips(usg: bool) -> dict[str, Flip]:
    """Flips both platforms write identically."""
    psk = f" pre-shared-key {KEY}" if usg else f" pre-shared-key simple {KEY}"
    psk_other = psk.replace(KEY, "Other-Key-99")

    def crypto_rule(nat: bool) -> str:
        _, _, _, lan, _, rlan, _ = side("b", nat)
        return f" rule 5 permit ip source {wild(lan)} destination {wild(rlan)}"

    def integ(t: str, v: int, n: bool) -> str:
        if v == 1:
            return _swap(t, " authentication-algorithm sha2-256", " authentication-algorithm sha1")
        return _swap(t, " integrity-algorithm hmac-sha2-256", " integrity-algorithm hmac-sha1-96")

    def version(t: str, v: int, n: bool) -> str:
        if v == 1:
            return _swap(t, " undo version 2", " undo version 1")
        return _swap(t, " undo version 1", " undo version 2")

    def exchange(t: str, v: int, n: bool) -> str:
        if v == 1:
            return _swap(t, " exchange-mode main", " exchange-mode aggressive")
        return _after(t, " undo version 1", " exchange-mode aggressive")  # no effect on IKEv2

    def selectors(t: str, v: int, n: bool) -> str:
        return _swap(t, crypto_rule(n), crypto_rule(n).replace("10.1.1.0", "10.1.9.0"))

    def narrow(t: str, v: int, n: bool) -> str:
        return _swap(
            t,
            crypto_rule(n),
            crypto_rule(n).replace("source 10.2.2.0 0.0.0.255", "source 10.2.2.0 0.0.0.127"),
        )

    def bind(t: str, v: int, n: bool) -> str:
        return _swap(t, " ipsec policy map1", "")

    def route(t: str, v: int, n: bool) -> str:
        gw = side("b", n)[1]
        return _swap(t, f" ip route-static 0.0.0.0 0.0.0.0 {gw}", "")

    return {
        "ike.encryption": lambda t, v, n: _swap(
            t, " encryption-algorithm aes-256", " encryption-algorithm aes-128"
        ),
        "ike.integrity": integ,
        # IKEv2 only: IKEv1 derives its PRF from authentication-algorithm (no effect on v1)
        "ike.prf": lambda t, v, n: _swap(t, " prf hmac-sha2-256", " prf hmac-sha1"),
        "ike.dh": lambda t, v, n: _swap(t, " dh group14", " dh group19"),
        "ike.auth_method": lambda t, v, n: _swap(
            t, " authentication-method pre-share", " authentication-method rsa-signature"
        ),
        "ike.lifetime": lambda t, v, n: _swap(t, " sa duration 86400", " sa duration 28800"),
        "psk": lambda t, v, n: _swap(t, psk, psk_other),
        "ike_version": version,
        "exchange_mode": exchange,
        "local_id": lambda t, v, n: _after(t, psk, " local-id-type fqdn\n local-id b.example.net"),
        "remote_id": lambda t, v, n: _after(
            t, psk, " remote-id-type fqdn\n remote-id a.example.net"
        ),
        "peer_address": lambda t, v, n: _swap(
            t, " remote-address 192.0.2.1", " remote-address 192.0.2.99"
        ),
        "nat_traversal": lambda t, v, n: _swap(t, " nat traversal", " undo nat traversal"),
        "dpd": lambda t, v, n: _swap(t, " dpd type periodic", ""),
        "child.protocol": lambda t, v, n: _swap(
            t, " transform esp", " transform ah\n ah authentication-algorithm sha2-256"
        ),
        "child.encryption": lambda t, v, n: _swap(
            t, " esp encryption-algorithm aes-256", " esp encryption-algorithm aes-128"
        ),
        "child.integrity": lambda t, v, n: _swap(
            t, " esp authentication-algorithm sha2-256", " esp authentication-algorithm sha1"
        ),
        "child.mode": lambda t, v, n: _swap(
            t, " encapsulation-mode tunnel", " encapsulation-mode transport"
        ),
        "child.lifetime": lambda t, v, n: _swap(
            t, " sa duration time-based 3600", " sa duration time-based 28800"
        ),
        "pfs": lambda t, v, n: _swap(t, " pfs dh-group14", ""),
        "selectors": selectors,
        "selectors.narrow": narrow,
        "bind": bind,
        "responder_only": _responder_only,
        "route": route,
    }
